//! The « Statistiques » screen (R-STAT-1/2) on the demo data: reached from
//! the dashboard, year switch, report written by a key, role, sizes and
//! ASCII mode.

mod screens;

use assll::app::sample::{press, status};
use assll::app::{Screen, StatusKind};
use assll::domain::WorkerId;
use assll::domain::command::Role;
use screens::{model, render};

#[test]
fn stats_screen_80x24_and_120x40() {
    let mut m = model();
    press(&mut m, &["s"]);
    assert_eq!(m.screen, Screen::Stats);
    let small = render(&m, 80, 24);
    assert!(
        small.contains("Exercice 2026 (du 01/01/2026 au 27/11/2026)"),
        "{small}"
    );
    assert!(small.contains("Total GIP"), "{small}");
    assert!(small.contains("Démarrages par mois"), "{small}");
    insta::assert_snapshot!("stats_80x24", small);
    let large = render(&m, 120, 40);
    assert!(large.contains("1er cont."), "{large}");
    insta::assert_snapshot!("stats_120x40", large);
}

#[test]
fn arrows_change_the_year_within_2000_2100() {
    let mut m = model();
    press(&mut m, &["s", "<Left>"]);
    assert_eq!(m.stats.year, 2025);
    assert!(render(&m, 80, 24).contains("Exercice 2025 (du 01/01/2025 au 31/12/2025)"));
    press(&mut m, &["<Right>", "<Right>"]);
    assert_eq!(m.stats.year, 2027);
    m.stats.year = 2100;
    press(&mut m, &["<Right>"]);
    assert_eq!(m.stats.year, 2100);
    press(&mut m, &["<Esc>"]);
    assert_eq!(m.screen, Screen::Dashboard);
}

#[test]
fn x_writes_the_yearly_report_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = model();
    m.gts.docs_dir = Some(dir.path().to_path_buf());
    press(&mut m, &["s", "x"]);
    let s = status(&m);
    assert_eq!(m.status.as_ref().unwrap().kind, StatusKind::Info, "{s}");
    assert!(s.contains("rapport-annuel-2026.pdf"), "{s}");
    assert!(s.contains("rapport-annuel-2026.ods"), "{s}");
    assert!(dir.path().join("rapport-annuel-2026.txt").exists());
}

#[test]
fn a_worker_sees_only_their_own_rows() {
    let mut m = model();
    m.role = Role::Worker {
        worker: WorkerId(1),
    };
    press(&mut m, &["s"]);
    let s = render(&m, 80, 24);
    assert!(!s.contains("Total GIP"), "{s}");
    assert!(!s.contains("GTS tenus"), "{s}");
    let name = m.data.workers[&WorkerId(1)].name.clone();
    assert!(s.contains(&name), "{s}");
    // Their report (R-STAT-1) is named after them.
    let dir = tempfile::tempdir().unwrap();
    m.gts.docs_dir = Some(dir.path().to_path_buf());
    press(&mut m, &["x"]);
    assert!(
        status(&m).contains("rapport-annuel-2026-ts1.ods"),
        "{}",
        status(&m)
    );
    let txt = std::fs::read_to_string(dir.path().join("rapport-annuel-2026-ts1.txt")).unwrap();
    assert!(txt.contains(&format!("TS : {name}")), "{txt}");
    assert!(!txt.contains("Total GIP"), "{txt}");
}

#[test]
fn ascii_mode_draws_the_charts_in_ascii() {
    let mut m = model();
    m.config.unicode = false;
    m.config.color = false;
    press(&mut m, &["s"]);
    for (w, h) in [(80, 24), (120, 40)] {
        let s = render(&m, w, h);
        // Letters keep their accents; everything else is ASCII.
        assert!(s.chars().all(|c| c.is_ascii() || c.is_alphabetic()), "{s}");
        assert!(s.contains('#'), "bars drawn: {s}");
    }
}

#[test]
fn rows_out_of_view_are_said_and_scroll_into_view() {
    let mut m = model();
    press(&mut m, &["s"]);
    let s = render(&m, 80, 24);
    assert!(s.contains("de plus (j/"), "{s}");
    assert!(!s.contains("Horte et Tardoire"), "{s}");
    for _ in 0..30 {
        press(&mut m, &["j"]);
    }
    let s = render(&m, 80, 24);
    assert!(s.contains("Horte et Tardoire"), "{s}");
    press(&mut m, &["<Home>", "G"]);
    let s = render(&m, 80, 24);
    assert!(s.contains("Horte et Tardoire"), "{s}");
    assert!(s.contains("Total GIP"), "the total stays: {s}");
    press(&mut m, &["<Home>"]);
    assert_eq!(m.stats.scroll, 0);
}
