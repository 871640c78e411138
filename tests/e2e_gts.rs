//! The GTS meeting end to end, as a new user would: the real `assll` in a
//! pseudo-terminal on the demo database. Open the next session, take
//! attendance, stop one measure, renew another for 3 months, try to renew
//! one already renewed twice (refused, R-MES-4), postpone one with a
//! reason, close; then the export shows the new planned end and the
//! minutes list the decisions.

mod pty;

use assll::app::sample::{press, sample_model};
use assll::app::{MemoryPersist, Model};
use assll::domain::measure::add_months;
use assll::domain::{MeasureStatus, Reference};
use chrono::NaiveDate;
use pty::Term;
use std::process::Command;

const TODAY: &str = "2026-11-27";
/// The next GTS's day (third Thursday): the demo base is written on
/// [`TODAY`], the meeting held on its day (R-GTS-1).
const MEETING_DAY: &str = "2026-12-17";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// The agenda of the next session as the application computes it, read
/// from the same demo data as the database (same date, size and seed).
fn agenda() -> (Model, Vec<Reference>) {
    let mut m = sample_model(Box::new(MemoryPersist::default()));
    m.today = MEETING_DAY.parse().unwrap();
    m.data = std::sync::Arc::new(assll::demo::generate(
        today(),
        assll::demo::DEFAULT_HOUSEHOLDS,
        assll::demo::DEFAULT_SEED,
    ));
    m.refresh();
    // From the GTS screen, the next session's agenda: December's.
    press(&mut m, &["g", "<Enter>"]);
    assert_eq!(
        m.screen,
        assll::app::Screen::GtsAgenda {
            year: 2026,
            month: 12
        }
    );
    press(&mut m, &["S"]);
    let items = m.seance.as_ref().expect("the meeting opens").items();
    (m, items)
}

/// Moves to situation `i` (0-based) from wherever the screen is.
fn go_to(t: &mut Term, i: usize, n: usize) {
    t.send("\x1b[H"); // Home: first situation
    t.wait_for(&format!("situation 1 / {n}"));
    for k in 0..i {
        t.send("l");
        t.wait_for(&format!("situation {} / {n}", k + 2));
    }
}

#[test]
fn a_whole_meeting_from_attendance_to_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assll.db");
    let docs = dir.path().join("docs");
    let config = dir.path().join("config");
    let db_s = db.to_str().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_assll"))
        .args(["demo", "--db", db_s, "--today", TODAY])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Choose the situations from the data.
    let (m, items) = agenda();
    let n = items.len();
    let open: Vec<usize> = (0..n)
        .filter(|i| {
            let me = &m.data.measures[&items[*i]];
            me.status == MeasureStatus::InProgress && me.renewals.len() < 2
        })
        .collect();
    let twice = (0..n)
        .find(|i| m.data.measures[&items[*i]].renewals.len() == 2)
        .expect("a measure renewed twice is on the agenda");
    let (stop, renew, later) = (open[0], open[1], open[2]);
    let renew_ref = items[renew];
    let new_end = add_months(m.data.measures[&renew_ref].planned_end.unwrap(), 3);

    let envs = [
        ("ASSLL_DOCS", docs.to_str().unwrap()),
        ("ASSLL_CONFIG_DIR", config.to_str().unwrap()),
        ("NO_COLOR", ""),
    ];
    let rows = m.seance.as_ref().unwrap().session.attendance.len();
    let mut t = Term::spawn(&["--db", db_s, "--today", MEETING_DAY], &envs, 120, 40);
    t.wait_for("Tableau de bord");
    // The draft agenda goes to the workers (R-GTS-3), late this time.
    t.send("g");
    t.wait_for("séances sur");
    t.enter();
    t.wait_for("Ordre du jour du GTS");
    t.send("e");
    t.wait_for("ODJ brouillon du GTS du 17/12/2026 envoyé aux TS");
    t.send("S");
    t.wait_for("Présences à la séance");
    // Attendance: everyone proposed is there, the workers who present
    // included (R-GTS-6).
    t.send(" ");
    t.wait_for(" 1 présent·e sur");
    for k in 2..=rows {
        t.down();
        t.send(" ");
        t.wait_for(&format!(" {k} présent·es sur"));
    }
    t.enter();
    t.wait_for(&format!("situation 1 / {n}"));

    go_to(&mut t, stop, n);
    t.send("a");
    t.wait_for("ARRÊT de la mesure");

    go_to(&mut t, renew, n);
    t.send("r");
    t.wait_for("Renouveler pour combien de mois");
    t.send("3");
    t.wait_for("RENOUVELLEMENT 3 mois");

    go_to(&mut t, twice, n);
    t.send("r");
    t.wait_for("Renouvellement refusé : déjà renouvelée 2 fois (R-MES-4)");

    go_to(&mut t, later, n);
    t.send("p");
    t.wait_for("Motif du report");
    t.send("bilan non transmis");
    t.enter();
    t.wait_for("REPORTÉE au GTS suivant : bilan non transmis");

    t.send("F");
    t.wait_for("Clôturer la séance");
    t.send("o");
    t.wait_for("procès-verbal");
    t.wait_for("CLÔTURÉE");
    t.send("q");
    assert!(t.wait_exit(), "assll should exit cleanly");

    // The export shows the renewed measure's new planned end.
    let out = Command::new(env!("CARGO_BIN_EXE_assll"))
        .args(["export", "--db", db_s])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let measure = |r: Reference| {
        doc["measures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["reference"] == r.to_string())
            .unwrap()
            .clone()
    };
    let renewed = measure(renew_ref);
    assert_eq!(
        renewed["planned_end"],
        new_end.format("%Y-%m-%d").to_string()
    );
    assert_eq!(
        renewed["renewals"].as_array().unwrap().len(),
        m.data.measures[&renew_ref].renewals.len() + 1
    );
    assert_ne!(measure(items[stop])["status"], "InProgress");
    assert_eq!(
        measure(items[twice])["renewals"].as_array().unwrap().len(),
        2
    );

    // The minutes list the three decisions and the postponement's reason;
    // the refused renewal is not recorded.
    let minutes = std::fs::read_to_string(docs.join("pv-2026-12.txt")).unwrap();
    assert!(docs.join("pv-2026-12.pdf").exists());
    for i in [stop, renew, later] {
        assert!(
            minutes.contains(&items[i].to_string()),
            "{}\n{minutes}",
            items[i]
        );
    }
    assert!(minutes.contains("bilan non transmis"), "{minutes}");
    assert!(
        minutes.contains(&assll::domain::calendar::fr_date(new_end)),
        "{minutes}"
    );
    let twice_lines: Vec<&str> = minutes
        .lines()
        .filter(|l| l.contains(&items[twice].to_string()))
        .collect();
    assert!(
        twice_lines.iter().all(|l| !l.contains("Renouvel")),
        "{twice_lines:?}"
    );
}
