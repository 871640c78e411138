//! Keymap files: every file in keymaps/ parses, binds every action, has no
//! key bound twice in a mode (checked on the sorted list); the README is
//! generated from the default file and must be up to date.

use assll::keymap::{Action, Keymap, Mode, parse, readme};
use std::path::Path;

fn keymap_files() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps");
    let mut v: Vec<_> = std::fs::read_dir(&dir)
        .expect("keymaps/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    assert!(!v.is_empty());
    v
}

#[test]
fn every_keymap_file_parses_binds_every_action_without_duplicates() {
    for path in keymap_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let (map, issues) = parse(&text, &path.display().to_string());
        assert!(issues.is_empty(), "{}: {issues:?}", path.display());
        assert!(
            map.unbound_actions().is_empty(),
            "{}: unbound {:?}",
            path.display(),
            map.unbound_actions()
        );
        assert!(map.duplicates().is_empty(), "{}", path.display());
        for mode in Mode::ALL {
            assert!(!map.bindings(mode).is_empty(), "mode {} empty", mode.name());
        }
    }
}

#[test]
fn duplicate_check_finds_non_adjacent_duplicates() {
    // `x` twice, not neighbours: parse refuses the second one with its line.
    let text = "[waiting]\nkeymap = [\n { on = \"x\", run = \"undo\", desc = \"a\" },\n { on = \"y\", run = \"filter\", desc = \"b\" },\n { on = \"x\", run = \"open\", desc = \"c\" },\n]\n";
    let (map, issues) = parse(text, "t.toml");
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].line, Some(5));
    assert!(map.duplicates().is_empty());
    // And the sorted check itself, on a map built by hand.
    let mut map = Keymap::default_keymap();
    let list = map.modes.get_mut(&Mode::Waiting).unwrap();
    let first = list[0].clone();
    list.push(first);
    assert_eq!(map.duplicates().len(), 1);
}

#[test]
fn arrows_and_vim_keys_both_move() {
    let map = Keymap::default_keymap();
    for (k, a) in [
        ("j", Action::Down),
        ("<Down>", Action::Down),
        ("k", Action::Up),
        ("<Up>", Action::Up),
        ("l", Action::NextSector),
        ("<Right>", Action::NextSector),
        ("h", Action::PrevSector),
        ("<Left>", Action::PrevSector),
        ("<Tab>", Action::NextSector),
        ("<S-Tab>", Action::PrevSector),
    ] {
        let c = assll::keymap::Chord::parse(k).unwrap();
        assert_eq!(map.lookup(Mode::Waiting, &c), Some(a), "{k}");
    }
}

#[test]
fn unknown_action_in_user_file_names_the_line_and_defaults_still_work() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("keymap.toml");
    std::fs::write(
        &p,
        "[household]\nkeymap = [\n  { on = \"z\", run = \"teleport\", desc = \"?\" },\n  { on = \"R\", run = \"log_event\", desc = \"contact\" },\n]\n[nowhere]\nkeymap = []\n",
    )
    .unwrap();
    let (map, issues) = Keymap::load(Some(&p));
    assert_eq!(issues.len(), 2, "{issues:?}");
    let text: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
    assert!(
        text.iter()
            .any(|t| t.contains("ligne 3") && t.contains("« teleport » inconnue"))
    );
    assert!(
        text.iter()
            .any(|t| t.contains("ligne 6") && t.contains("mode « nowhere » inconnu"))
    );
    let r = assll::keymap::Chord::parse("r").unwrap();
    let big_r = assll::keymap::Chord::parse("R").unwrap();
    assert_eq!(map.lookup(Mode::Household, &r), Some(Action::LogEvent));
    assert_eq!(map.lookup(Mode::Household, &big_r), Some(Action::LogEvent));
}

#[test]
fn readme_is_generated_from_default_toml() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps/README.md");
    let want = readme(&Keymap::default_keymap());
    if std::env::var_os("UPDATE_KEYMAP_README").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "keymaps/README.md is stale: run `UPDATE_KEYMAP_README=1 cargo test --test ui_keymap`"
    );
}
