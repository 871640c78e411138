//! The real binary in a pseudo-terminal, as a new user would use it.

mod pty;

use pty::Term;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-27";

fn assll() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_assll"));
    c.env("ASSLL_TODAY", TODAY).env_remove("ASSLL_DB");
    c
}

fn demo(dir: &Path) -> String {
    let db = dir.join("base").display().to_string();
    let out = assll().args(["demo", "--db", &db]).output().unwrap();
    assert!(out.status.success());
    db
}

fn envs(dir: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("ASSLL_TODAY", TODAY.to_string()),
        ("ASSLL_DOCS", dir.join("docs").display().to_string()),
        ("ASSLL_CONFIG_DIR", dir.join("config").display().to_string()),
        ("XDG_CONFIG_HOME", dir.join("xdg").display().to_string()),
        ("XDG_DATA_HOME", dir.join("xdg-data").display().to_string()),
        // Not who the audit names: that is the process's real user.
        ("USER", "mallory".to_string()),
        ("LOGNAME", "mallory".to_string()),
    ]
}

fn open(db: &str, dir: &Path) -> Term {
    let envs = envs(dir);
    let envs: Vec<(&str, &str)> = envs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Term::spawn(&["--db", db], &envs, 80, 24)
}

/// Waits for the waiting list with its rows (« Ruffécois » alone is also
/// on the dashboard, which is still shown for a moment after `a`).
fn wait_waiting_list(t: &Term) {
    t.wait_until("the waiting list and its first row", |s| {
        s.contains("Listes d'attente")
            && s.contains("Ruffécois")
            && s.lines().any(|l| l.trim_start().starts_with("1 "))
    });
}

/// The reference on the first row of the waiting list shown.
fn first_waiting_reference(screen: &str) -> String {
    let line = screen
        .lines()
        .find(|l| l.trim_start().starts_with("1 "))
        .unwrap_or_else(|| panic!("no first row:\n{screen}"));
    line.split_whitespace()
        .nth(1)
        .expect("a reference")
        .to_string()
}

/// The rows of the list shown (ranked lines), without the status line.
fn waiting_rows(screen: &str) -> String {
    screen
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .next()
                .is_some_and(|w| w.parse::<u32>().is_ok())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn start_a_measure_and_log_a_home_visit_then_find_both_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());

    let mut t = open(&db, dir.path());
    t.wait_for("Tableau de bord");
    t.send("a");
    wait_waiting_list(&t);
    let reference = first_waiting_reference(&t.screen());
    // Start the first household's measure with the sector's first worker.
    t.send("d");
    t.wait_for("Démarrer");
    t.enter();
    t.wait_for("Enregistré ✓");
    t.wait_for(&format!("{reference} démarr"));
    assert!(
        !waiting_rows(&t.screen()).contains(&reference),
        "still on the waiting list"
    );
    // Its file, from the measures in progress: log a home visit.
    t.send("m");
    t.wait_for("Mesures en cours");
    t.send("/");
    t.send(&reference);
    t.enter();
    t.enter();
    t.wait_for("Dossier");
    t.wait_for(&reference);
    t.send("r");
    t.wait_for("Contact ou rencontre");
    // The type is chosen (none in advance): the first, a home visit.
    t.tab();
    t.right();
    t.wait_for("Visite à domicile");
    t.enter();
    t.wait_for("Enregistré ✓ — visite à domicile");
    t.send("q");
    assert!(t.wait_exit(), "assll did not exit cleanly");

    // Reopen: both changes are there.
    let mut t = open(&db, dir.path());
    t.wait_for("Tableau de bord");
    t.send("a");
    wait_waiting_list(&t);
    assert!(!waiting_rows(&t.screen()).contains(&reference));
    t.send("m");
    t.send("/");
    t.send(&reference);
    t.enter();
    t.enter();
    t.wait_for("Dossier");
    t.wait_for("27/11/2026 Visite à domicile");
    t.send("q");
    assert!(t.wait_exit());

    // And in the export, with its author.
    let out = assll().args(["export", "--db", &db]).output().unwrap();
    let data: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let m = data["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["reference"] == reference.as_str())
        .unwrap();
    assert_eq!(m["status"], "InProgress");
    let last = m["events"].as_array().unwrap().last().unwrap();
    assert_eq!(last["kind"], "HomeVisit");
    assert_eq!(last["date"], TODAY);
    assert_eq!(
        last["author"].as_str(),
        Some(assll::identity::current_user().as_str())
    );
    assert_ne!(last["author"], "mallory");
}

#[test]
fn a_second_assll_on_the_same_database_says_it_is_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let mut t = open(&db, dir.path());
    t.wait_for("Tableau de bord");
    let out = assll().args(["--db", &db]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("déjà ouverte"), "{err}");
    assert!(err.contains(&db), "{err}");
    t.send("q");
    assert!(t.wait_exit());
}

/// An SSH link that drops (SIGHUP), a system stop (SIGTERM), or SIGINT /
/// SIGQUIT sent with `kill` (in raw mode Ctrl-C is a key): the terminal is
/// restored and what was saved stays saved.
#[test]
fn sighup_sigterm_sigint_sigquit_restore_the_terminal_and_keep_what_was_saved() {
    for sig in ["HUP", "TERM", "INT", "QUIT"] {
        let dir = tempfile::tempdir().unwrap();
        let db = demo(dir.path());
        let mut t = open(&db, dir.path());
        t.wait_for("Tableau de bord");
        t.send("a");
        wait_waiting_list(&t);
        let reference = first_waiting_reference(&t.screen());
        t.send("d");
        t.wait_for("Démarrer");
        t.enter();
        t.wait_for("Enregistré ✓");
        assert!(!t.restored(), "the application uses the alternate screen");
        t.signal(sig);
        t.wait_exit();
        assert!(
            t.restored(),
            "SIG{sig}: terminal not restored:\n{}",
            t.screen()
        );
        let out = assll().args(["export", "--db", &db]).output().unwrap();
        assert!(
            out.status.success(),
            "SIG{sig}: the database no longer opens"
        );
        let data: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let m = data["measures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["reference"] == reference.as_str())
            .unwrap();
        assert_eq!(m["status"], "InProgress", "SIG{sig}: the start was lost");
    }
}

/// A form being typed when the SSH link drops is kept as a draft, and the
/// next start says where it is.
#[test]
fn a_form_cut_by_sighup_is_kept_as_a_draft_and_announced_at_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let mut t = open(&db, dir.path());
    type_a_note(&mut t, "Appel de la bailleresse");
    t.signal("HUP");
    t.wait_exit();
    assert!(t.restored());
    assert_one_draft(dir.path(), "Appel de la bailleresse");

    let mut t = open(&db, dir.path());
    t.wait_for("Au démarrage");
    t.wait_for("brouillon");
    t.enter();
    t.wait_gone("Au démarrage");
    t.send("q");
    assert!(t.wait_exit());
}

/// The terminal goes away without a word (SSH link cut, terminal emulator
/// or tmux killed: the pty master is closed): the session ends as on
/// SIGHUP, the form being typed is kept as a draft, and the database is
/// free for the next session (no « déjà ouverte »).
#[test]
fn a_terminal_that_hangs_up_ends_the_session_keeps_the_draft_and_frees_the_base() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let mut t = open(&db, dir.path());
    type_a_note(&mut t, "Loyer de novembre payé");

    let t0 = Instant::now();
    t.hang_up();
    let deadline = Duration::from_secs(10);
    while t.running() {
        assert!(
            t0.elapsed() < deadline,
            "assll still running {deadline:?} after its terminal hung up"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    eprintln!("assll ended {:?} after its terminal hung up", t0.elapsed());
    assert_one_draft(dir.path(), "Loyer de novembre payé");

    // The lock went with the process: the next session opens.
    let mut t = open(&db, dir.path());
    t.wait_for("Tableau de bord");
    t.wait_for("brouillon");
    t.enter();
    t.wait_gone("Au démarrage");
    t.send("q");
    assert!(t.wait_exit());
}

/// The same without the SIGHUP the kernel sends along (a program started
/// with `setsid`, outside the terminal's session): end-of-file and POLLHUP
/// on the terminal are enough to end the session.
#[test]
fn a_hang_up_without_sighup_also_ends_the_session() {
    if !Path::new("/usr/bin/setsid").exists() {
        eprintln!("no /usr/bin/setsid: test skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let envs = envs(dir.path());
    let envs: Vec<(&str, &str)> = envs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // `setsid -w` itself receives the SIGHUP and dies of it: watch the
    // base's lock and the draft, not the child.
    let mut t = Term::spawn_via(&["/usr/bin/setsid", "-w"], &["--db", &db], &envs, 80, 24);
    type_a_note(&mut t, "Pas de SIGHUP");
    let t0 = Instant::now();
    t.hang_up();
    let deadline = Duration::from_secs(10);
    loop {
        let out = assll().args(["export", "--db", &db]).output().unwrap();
        if out.status.success() {
            break;
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("déjà ouverte"), "{err}");
        assert!(
            t0.elapsed() < deadline,
            "the base is still held {deadline:?} after the terminal hung up"
        );
    }
    eprintln!("base free {:?} after the terminal hung up", t0.elapsed());
    assert_one_draft(dir.path(), "Pas de SIGHUP");
}

/// Opens a measure's file and types `note` in the contact form, unsaved.
fn type_a_note(t: &mut Term, note: &str) {
    t.wait_for("Tableau de bord");
    t.send("m");
    t.wait_for("Mesures en cours");
    t.enter();
    t.wait_for("Dossier");
    t.send("r");
    t.wait_for("Contact ou rencontre");
    for _ in 0..4 {
        t.tab();
    }
    t.send(note);
    t.wait_for(note);
}

/// The drafts folder holds one draft, with `text` in it.
fn assert_one_draft(dir: &Path, text: &str) {
    let drafts = dir.join("xdg-data/assll/brouillons");
    let files: Vec<_> = std::fs::read_dir(&drafts)
        .unwrap_or_else(|e| panic!("no drafts folder {}: {e}", drafts.display()))
        .filter_map(Result::ok)
        .collect();
    assert_eq!(files.len(), 1, "one draft");
    // Named after the real user, not $USER.
    let name = files[0].file_name().to_string_lossy().into_owned();
    let me: String = assll::identity::current_user()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    assert!(name.contains(&me) && !name.contains("mallory"), "{name}");
    let got = std::fs::read_to_string(files[0].path()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&files[0].path()), 0o600, "draft file");
        assert_eq!(mode(&drafts), 0o700, "drafts folder");
    }
    assert!(got.contains(text), "{got}");
}

/// SIGTSTP (`kill -TSTP`): the terminal is given back as it was and the
/// program really stops; SIGCONT brings the full screen back, redrawn, and
/// the keys work again.
#[test]
fn sigtstp_gives_the_terminal_back_and_sigcont_takes_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let mut t = open(&db, dir.path());
    t.wait_for("Tableau de bord");
    t.signal("TSTP");
    t.wait_until("the main screen back", |_| t.restored());
    let t0 = Instant::now();
    while t.state() != Some('T') {
        assert!(
            t0.elapsed() < Duration::from_secs(10),
            "not stopped: {:?}",
            t.state()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    t.signal("CONT");
    t.wait_until("the full screen back", |s| {
        t.alternate() && s.contains("Tableau de bord")
    });
    t.send("a");
    t.wait_for("Listes d'attente");
    t.send("q");
    assert!(t.wait_exit());
    assert!(t.restored());
}

/// `assll serve` owns the base; two people attach with plain `assll` in
/// their own terminals: what one starts, the other sees without a key;
/// a terminal that drops leaves the other working; the server stops on
/// SIGTERM and the base opens again.
#[test]
fn two_people_attach_to_assll_serve_and_see_each_others_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let mut server = assll()
        .args(["serve", "--db", &db])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !assll::remote::server_running(Path::new(&db)) {
        assert!(
            started.elapsed() < pty::TIMEOUT,
            "the server never listened"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut a = open(&db, dir.path());
    let mut b = open(&db, dir.path());
    a.wait_for("Tableau de bord");
    b.wait_for("Tableau de bord");
    let cognac = |t: &Term| {
        t.screen()
            .lines()
            .find(|l| l.contains("Cognac"))
            .unwrap_or_default()
            .to_string()
    };
    let before = cognac(&b);
    a.send("a");
    wait_waiting_list(&a);
    for _ in 0..5 {
        a.tab();
    }
    a.wait_for("Cognac ▶");
    a.send("d");
    a.wait_for("TS :");
    a.enter();
    a.wait_for("Enregistré ✓");
    b.wait_until("the new load of Cognac", |s| {
        s.lines().any(|l| l.contains("Cognac") && *l != before)
    });
    assert_ne!(cognac(&b), before);
    // A's terminal drops: B goes on.
    a.hang_up();
    a.wait_exit();
    b.send("m");
    b.wait_for("Mesures en cours");
    b.send("q");
    b.wait_exit();
    // The nightly export works while the server holds the base.
    let export = assll().args(["export", "--db", &db]).output().unwrap();
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    assert!(assll::export::from_json(&String::from_utf8_lossy(&export.stdout)).is_ok());
    // The server stops on SIGTERM; the base is free again.
    // SAFETY: kill(2) on the child's own pid.
    assert_eq!(unsafe { libc::kill(server.id() as i32, libc::SIGTERM) }, 0);
    let status = server.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let audit = assll().args(["audit", "--db", &db]).output().unwrap();
    let audit = String::from_utf8_lossy(&audit.stdout).into_owned();
    assert_eq!(audit.matches("connexion (GIP").count(), 2, "{audit}");
    assert!(audit.contains("démarrée"), "{audit}");
}

#[test]
fn a_paste_arrives_whole_and_its_line_breaks_are_not_enter() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let mut t = open(&db, dir.path());
    t.wait_for("Tableau de bord");
    assert!(t.bracketed_paste(), "bracketed paste not asked for");
    t.send("c");
    t.wait_for("N° ménage existant");
    t.tab();
    // Typed as keys, the line break would be Enter: the half-filled form
    // submitted, answered with its errors.
    t.paste("Dupont\r\nMartin");
    t.wait_for("Dupont Martin");
    assert!(!t.screen().contains("À corriger"), "{}", t.screen());
    t.esc();
    t.wait_for("Abandonner");
    t.send("o");
    t.wait_gone("N° ménage existant");
    t.send("q");
    assert!(t.wait_exit());
    assert!(t.restored(), "terminal not restored:\n{}", t.screen());
}
