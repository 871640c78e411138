//! `assll backup` and `assll restore` (issue 9), through the binary: a
//! backup restores every acknowledged change after the base was damaged,
//! a damaged backup is refused before anything is touched, and while a
//! server holds the base the backup goes through it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-27";

fn assll(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_assll"))
        .args(args)
        .env("ASSLL_TODAY", TODAY)
        .env_remove("ASSLL_DB")
        .output()
        .expect("run assll")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn demo(dir: &Path) -> PathBuf {
    let db = dir.join("base");
    let out = assll(&["demo", "--db", s(&db), "--households", "60"]);
    assert!(out.status.success(), "{}", text(&out));
    db
}

/// The base's records as JSON (`export` puts its own read in the audit
/// trail, which is not compared).
fn records(db: &Path) -> String {
    let out = assll(&["export", "--db", s(db)]);
    assert!(out.status.success(), "{}", text(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// Every file under `dir` (names only), to see that nothing was left.
fn names(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn a_backup_restores_every_acknowledged_change_after_the_base_is_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let before = records(&db);
    let file = dir.path().join("nuit.sauvegarde");
    let out = assll(&["backup", "--db", s(&db), s(&file)]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Sauvegarde écrite et vérifiée"),
        "{}",
        text(&out)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // A backup never overwrites another.
    let again = assll(&["backup", "--db", s(&db), s(&file)]);
    assert!(!again.status.success());
    assert!(text(&again).contains("existe déjà"), "{}", text(&again));

    // sled's log is lost: sled would open an empty base.
    std::fs::remove_file(db.join("db")).unwrap();
    let check = assll(&["check", "--db", s(&db)]);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    assert!(text(&check).contains("assll restore"), "{}", text(&check));

    // Not over a base that is not empty, unless asked.
    let refused = assll(&["restore", s(&file), "--db", s(&db)]);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("--remplacer"), "{}", text(&refused));

    let out = assll(&["restore", s(&file), "--db", s(&db), "--remplacer"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("L'ancienne base est gardée"),
        "{}",
        text(&out)
    );
    let check = assll(&["check", "--db", s(&db)]);
    assert!(check.status.success(), "{}", text(&check));
    assert_eq!(records(&db), before);
    // The restore is in the audit trail; the damaged base was kept aside.
    let audit = text(&assll(&["audit", "--db", s(&db)]));
    assert!(audit.contains("restauration de la sauvegarde"), "{audit}");
    assert!(
        names(dir.path())
            .iter()
            .any(|n| n.starts_with("base.avant-restauration-")),
        "{:?}",
        names(dir.path())
    );
    assert!(
        !names(dir.path()).iter().any(|n| n.contains("nouvelle")),
        "{:?}",
        names(dir.path())
    );
}

#[test]
fn a_damaged_backup_is_refused_and_nothing_is_changed() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let file = dir.path().join("b.sauvegarde");
    assert!(
        assll(&["backup", "--db", s(&db), s(&file)])
            .status
            .success()
    );
    let mut bytes = std::fs::read(&file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&file, &bytes).unwrap();
    // Into a new base: refused, nothing created.
    let target = dir.path().join("neuve");
    let out = assll(&["restore", s(&file), "--db", s(&target)]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("Sauvegarde inutilisable"),
        "{}",
        text(&out)
    );
    assert!(!target.exists());
    // Truncated: the same.
    std::fs::write(&file, &bytes[..mid]).unwrap();
    let out = assll(&["restore", s(&file), "--db", s(&target), "--remplacer"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("tronqué"), "{}", text(&out));
    let before = names(dir.path());
    assert!(!before.iter().any(|n| n.contains("nouvelle")), "{before:?}");
    assert!(!target.exists());
}

#[test]
fn a_restore_into_a_new_path_needs_no_flag_and_gives_the_same_base() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let file = dir.path().join("b.sauvegarde");
    assert!(
        assll(&["backup", "--db", s(&db), s(&file)])
            .status
            .success()
    );
    let copy = dir.path().join("copie");
    let out = assll(&["restore", s(&file), "--db", s(&copy)]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(records(&copy), records(&db));
}

fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// While `assll serve` holds the base, the backup goes through the server
/// (which reads between two commits) and the client writes the file; a
/// restore is refused.
#[cfg(unix)]
#[test]
fn a_backup_while_the_server_runs_goes_through_it_and_restore_waits_for_it_to_stop() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let expected = records(&db);
    let mut server = Command::new(env!("CARGO_BIN_EXE_assll"))
        .args(["serve", "--db", s(&db)])
        .env("ASSLL_TODAY", TODAY)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_until("the server", || assll::remote::server_running(&db));
    let file = dir.path().join("pendant.sauvegarde");
    let out = assll(&["backup", "--db", s(&db), s(&file)]);
    let refused = assll(&["restore", s(&file), "--db", s(&db), "--remplacer"]);
    // SAFETY: kill on our own child's pid.
    unsafe {
        libc::kill(server.id() as i32, libc::SIGTERM);
    }
    let _ = server.wait();
    assert!(out.status.success(), "{}", text(&out));
    assert!(!refused.status.success());
    assert!(text(&refused).contains("arrêtez-le"), "{}", text(&refused));
    let copy = dir.path().join("copie");
    let out = assll(&["restore", s(&file), "--db", s(&copy)]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(records(&copy), expected);
    let audit = text(&assll(&["audit", "--db", s(&db)]));
    assert!(audit.contains("sauvegarde de toute la base"), "{audit}");
}
