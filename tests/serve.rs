//! `assll serve`'s host over the real socket and protocol: the identity
//! from the kernel, accounts and roles, two people at once with live
//! refresh, every connection and refusal in the audit trail.

mod wire_client;

use assll::app::hub::Hub;
use assll::domain::command::{Account, Role};
use assll::domain::{Record, SectorId};
use assll::remote::wire::KeyCode;
use assll::serve::Host;
use assll::store::{Change, Store};
use chrono::{Datelike, NaiveDate};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use wire_client::{Client, Got, wait_until};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn my_uid() -> u32 {
    // SAFETY: getuid cannot fail.
    unsafe { libc::getuid() }
}

struct Server {
    _dir: tempfile::TempDir,
    sock: PathBuf,
    hub: Arc<Hub>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

/// A server on the demo data; `owner`: whether the test's user runs it.
fn start(owner: bool, accounts: Vec<Account>) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("base");
    let store = Store::open(&db).unwrap();
    let mut data = assll::demo::generate(today(), 120, 1);
    for a in accounts {
        data.apply(Record::Account(a));
    }
    store
        .commit(&Change {
            who: "test".into(),
            at: today().and_hms_opt(8, 0, 0).unwrap(),
            summary: "démo".into(),
            records: data.records().collect(),
        })
        .unwrap();
    let data = store.load().unwrap().data;
    let hub = Arc::new(Hub::new(store, data, today()));
    let host = Host {
        hub: Arc::clone(&hub),
        owner_uid: if owner {
            my_uid()
        } else {
            my_uid().wrapping_add(1)
        },
        today: Some(today()),
    };
    let sock = assll::remote::socket_path(&db);
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let (sock, stop) = (sock.clone(), Arc::clone(&stop));
        std::thread::spawn(move || assll::remote::serve(&sock, Arc::new(host), &stop))
    };
    wait_until("the socket is bound", || assll::remote::server_running(&db));
    Server {
        _dir: dir,
        sock,
        hub,
        stop,
        thread: Some(thread),
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn audit(s: &Server) -> Vec<String> {
    s.hub
        .store()
        .audit()
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {}", e.who, e.summary))
        .collect()
}

fn me() -> String {
    assll::identity::current_user()
}

#[test]
fn two_people_at_once_one_starts_a_measure_the_other_sees_it_at_once() {
    let s = start(true, Vec::new());
    let mut a = Client::connect(&s.sock, 100, 30);
    let mut b = Client::connect(&s.sock, 80, 24);
    a.wait_for("Tableau de bord");
    b.wait_for("Cognac");
    let cognac = |c: &Client| {
        c.text()
            .lines()
            .find(|l| l.contains("Cognac"))
            .unwrap_or_default()
            .to_string()
    };
    let before = cognac(&b);
    // A: waiting lists, Cognac, start the first one with the first worker.
    a.key('a');
    a.wait_for("Listes d'attente");
    for _ in 0..5 {
        a.special(KeyCode::Tab);
    }
    a.wait_for("◀ Cognac ▶");
    a.key('d');
    a.wait_for("TS :");
    a.special(KeyCode::Enter);
    a.wait_for("Enregistré ✓");
    // B, who pressed nothing, is redrawn with the new load.
    let start = std::time::Instant::now();
    while cognac(&b) == before {
        assert!(start.elapsed() < wire_client::DEADLINE, "{}", b.text());
        assert!(matches!(b.read(), Got::Frame));
    }
    let log = audit(&s);
    assert!(
        log.iter().filter(|l| l.contains("connexion (GIP")).count() == 2,
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|l| l.starts_with(&me()) && l.contains("démarrée")),
        "{log:?}"
    );
}

#[test]
fn an_unknown_login_is_refused_and_the_refusal_audited() {
    let s = start(false, Vec::new());
    let mut c = Client::connect(&s.sock, 80, 24);
    match c.read() {
        Got::Refused(m) => {
            assert!(m.starts_with("Accès refusé"), "{m}");
            assert!(m.contains(&me()), "{m}");
        }
        _ => panic!("expected a refusal:\n{}", c.text()),
    }
    let log = audit(&s);
    assert!(
        log.iter()
            .any(|l| l.contains(&format!("connexion refusée : aucun compte pour {}", me()))),
        "{log:?}"
    );
}

#[test]
fn a_withdrawn_account_is_refused_like_an_unknown_one() {
    let s = start(
        false,
        vec![Account {
            login: me(),
            role: Role::NoAccess,
        }],
    );
    let mut c = Client::connect(&s.sock, 80, 24);
    assert!(matches!(c.read(), Got::Refused(_)));
}

#[test]
fn a_worker_sees_its_own_sector_and_is_refused_another_sectors_changes() {
    let data = assll::demo::generate(today(), 120, 1);
    let worker = data
        .workers
        .values()
        .find(|w| w.sectors == vec![SectorId(6)])
        .expect("a worker of Cognac")
        .id;
    let s = start(
        false,
        vec![Account {
            login: me(),
            role: Role::Worker { worker },
        }],
    );
    let mut c = Client::connect(&s.sock, 100, 30);
    c.wait_for("Tableau de bord");
    c.key('a');
    // Opens on its own sector, and Tab stays there.
    c.wait_for("◀ Cognac ▶");
    c.special(KeyCode::Tab);
    c.key('m');
    c.wait_for("Mesures en cours");
    assert!(c.text().contains("Cognac"), "{}", c.text());
    // The GTS is the GIP's: sending the draft is refused.
    c.key('g');
    c.wait_for("GTS");
    c.special(KeyCode::Enter);
    c.wait_for("Ordre du jour");
    c.key('e');
    c.wait_for("Refusé");
    let log = audit(&s);
    assert!(
        log.iter()
            .any(|l| l.contains("connexion (travailleur social)")),
        "{log:?}"
    );
    assert!(
        !log.iter().any(|l| l.contains("ODJ brouillon envoyé")),
        "{log:?}"
    );
}

fn ask(s: &Server, r: assll::remote::Request) -> Result<String, String> {
    assll::remote::request(&s.sock, r)
        .expect("the server answers")
        .map(|b| String::from_utf8(b).unwrap())
}

#[test]
fn the_command_line_asks_the_server_that_holds_the_base() {
    use assll::remote::Request;
    let s = start(true, Vec::new());
    // A nightly export while the server runs: the whole base, audited.
    let json = ask(&s, Request::Export).unwrap();
    let data = assll::export::from_json(&json).unwrap();
    assert_eq!(data.households.len(), 120);
    // Byte for byte what the base holds (sent in chunks of 512 KiB).
    let local = assll::export::to_json(&s.hub.store().load_full().unwrap().data);
    assert_eq!(json.len(), local.len());
    assert!(json == local);
    // Accounts through the command boundary, then listed.
    let done = ask(
        &s,
        Request::SetAccount {
            login: "bob".into(),
            role: "lecture".into(),
            ts: None,
        },
    )
    .unwrap();
    assert!(done.starts_with("Enregistré ✓ — compte bob"), "{done}");
    assert!(ask(&s, Request::Accounts).unwrap().contains("bob"));
    let bad = ask(
        &s,
        Request::SetAccount {
            login: "eve".into(),
            role: "chef".into(),
            ts: None,
        },
    );
    assert!(bad.unwrap_err().contains("inconnu"));
    let audit = ask(
        &s,
        Request::Audit {
            last: Some(3),
            who: None,
        },
    )
    .unwrap();
    assert!(audit.contains("export de toute la base"), "{audit}");
    assert!(audit.contains("compte bob"), "{audit}");
    assert!(ask(&s, Request::Tableau).unwrap().contains("Cognac"));
}

#[test]
fn a_reader_may_see_the_dashboard_but_not_export_the_base() {
    use assll::remote::Request;
    let s = start(
        false,
        vec![Account {
            login: me(),
            role: Role::EmployerRep,
        }],
    );
    assert!(ask(&s, Request::Tableau).unwrap().contains("Cognac"));
    let e = ask(&s, Request::Export).unwrap_err();
    assert!(e.starts_with("Refusé"), "{e}");
    let e = ask(
        &s,
        Request::SetAccount {
            login: me(),
            role: "gip".into(),
            ts: None,
        },
    )
    .unwrap_err();
    assert!(e.starts_with("Refusé"), "{e}");
}

/// Someone outside the server's group: told so, rather than « base in use ».
#[test]
fn a_user_the_socket_refuses_is_told_to_ask_the_gip_for_the_group() {
    use std::os::unix::process::CommandExt;
    let s = start(true, Vec::new());
    let db = s.sock.parent().unwrap().with_extension(""); // <base>.run → <base>
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_assll"));
    cmd.args(["tableau", "--db", db.to_str().unwrap()])
        .env("ASSLL_TODAY", "2026-11-27");
    let run_dir = s.sock.parent().unwrap().to_path_buf();
    let locked = my_uid() != 0;
    if locked {
        // The owner itself, once the socket's folder is closed to it.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&run_dir, std::fs::Permissions::from_mode(0o000)).unwrap();
    } else {
        // root passes every permission: another user, as one in a sector office.
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().unwrap();
    if locked {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&run_dir, std::fs::Permissions::from_mode(0o750)).unwrap();
    }
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("sa prise vous est fermée"), "{err}");
}

#[test]
fn a_paste_reaches_the_focused_field_whole_and_its_line_breaks_do_not_submit() {
    let s = start(true, Vec::new());
    let mut a = Client::connect(&s.sock, 100, 30);
    a.wait_for("Tableau de bord");
    a.key('c');
    a.wait_for("N° ménage existant");
    a.special(KeyCode::Tab); // Nom
    // Once typed key by key, the line break was Enter: the half-filled
    // form was submitted and answered with its errors.
    a.send(assll::remote::wire::ToServer::Paste(
        "Dupont\nMartin\r\n".into(),
    ));
    a.wait_for("Dupont Martin");
    assert!(!a.text().contains("À corriger"), "{}", a.text());
    // Abandoned, so that the hang-up at the end keeps no draft (in the
    // real user's folder: this server is not given another one).
    a.special(KeyCode::Esc);
    a.wait_for("Abandonner la commande");
    a.key('o');
    a.wait_for("Tableau de bord");
}

#[test]
fn r_stat_1_through_the_server_a_worker_reads_only_their_own_statistics() {
    use assll::domain::WorkerId;
    use assll::remote::Request;
    let s = start(
        false,
        vec![Account {
            login: me(),
            role: Role::Worker {
                worker: WorkerId(1),
            },
        }],
    );
    let csv = ask(
        &s,
        Request::Stats {
            year: today().year(),
            csv: true,
        },
    )
    .unwrap();
    let lines: Vec<&str> = csv.lines().skip(1).collect();
    assert!(!lines.is_empty(), "{csv}");
    assert!(lines.iter().all(|l| l.starts_with("TS;")), "{csv}");
    assert!(!csv.contains("Total GIP"), "{csv}");
}
