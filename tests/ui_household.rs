//! The household file's rules that had no screen (issue 8): a difficulty
//! during the measure (R-MES-6), the measure handed to another worker and
//! the household moved to another sector (R-MES-7), each a form whose
//! saving goes through `Model::execute` (the rules are in tests/rules.rs).

mod screens;

use assll::app::sample::{press, status, type_text};
use assll::app::{MemoryPersist, Model, Overlay, Screen};
use assll::domain::measure::DifficultyKind;
use assll::domain::{HouseholdId, Reference};
use screens::render;
use std::sync::Arc;

/// The file of the first measure in progress of Cognac's list.
fn open_first_measure(m: &mut Model) -> (HouseholdId, Reference) {
    press(m, &["m", "<Tab>", "<Tab>", "<Tab>", "<Enter>"]);
    match m.screen {
        Screen::Household {
            household,
            reference: Some(r),
        } => (household, r),
        _ => panic!("no file open"),
    }
}

fn setup() -> (Model, Arc<MemoryPersist>) {
    let p = Arc::new(MemoryPersist::default());
    let mut m = screens::model();
    m.persist = Box::new(Arc::clone(&p));
    (m, p)
}

#[test]
fn r_mes_6_a_difficulty_is_recorded_from_the_file() {
    let (mut m, p) = setup();
    let (_, r) = open_first_measure(&mut m);
    press(&mut m, &["d"]);
    assert!(matches!(&m.overlay, Some(Overlay::Form(f)) if f.title.contains("R-MES-6")));
    assert!(render(&m, 80, 24).contains("Refus de collaborer"));
    press(&mut m, &["<Right>", "<Tab>", "<Tab>"]);
    type_text(&mut m, "déménagement sans laisser d'adresse");
    press(&mut m, &["<Enter>"]);
    assert!(status(&m).starts_with("Enregistré ✓"), "{}", status(&m));
    let d = m.data.measures[&r].difficulty.clone().expect("recorded");
    assert_eq!(d.kind, DifficultyKind::CannotContinue);
    assert_eq!(p.changes.lock().unwrap().len(), 1);
    // It goes to the next GTS (R-MES-6): an alert says so.
    assert!(
        m.derived
            .alerts
            .iter()
            .any(|a| a.rule == "R-MES-6" && a.reference == Some(r))
    );
}

#[test]
fn r_mes_7_a_measure_is_handed_over_and_a_household_moved_from_the_file() {
    let (mut m, _p) = setup();
    let (h, r) = open_first_measure(&mut m);
    let before = m.data.measures[&r].worker;
    press(&mut m, &["w"]);
    assert!(render(&m, 120, 40).contains("Confier la mesure"));
    press(&mut m, &["<Right>", "<Enter>"]);
    assert!(status(&m).starts_with("Enregistré ✓"), "{}", status(&m));
    let after = m.data.measures[&r].worker;
    assert!(after.is_some() && after != before);
    // The household to another sector: its measure stays with its worker.
    let sector = m.data.households[&h].sector;
    press(&mut m, &["s", "<Enter>"]);
    assert!(status(&m).starts_with("Enregistré ✓"), "{}", status(&m));
    assert_ne!(m.data.households[&h].sector, sector);
    assert_eq!(m.data.measures[&r].worker, after);
}

#[test]
fn r_diag_3_a_diagnostic_is_returned_with_its_measure_from_the_file() {
    let (mut m, p) = setup();
    let diag = m
        .data
        .measures
        .values()
        .find(|x| x.is_in_progress() && x.kind == assll::domain::ReferralKind::Diagnostic)
        .map(|x| x.reference)
        .expect("the demo has a diagnostic in progress");
    assll::app::open_household(&mut m, diag);
    press(&mut m, &["D"]);
    assert!(render(&m, 120, 40).contains("rendu à la commission"));
    // Ask for the measure (toggle), choose an objective, keep 6 months.
    press(&mut m, &["<Tab>", "<Space>", "<Tab>", "<Space>", "<Enter>"]);
    assert!(status(&m).starts_with("Enregistré ✓"), "{}", status(&m));
    assert!(!m.data.measures[&diag].is_in_progress());
    let after = m
        .data
        .referrals
        .values()
        .find(|r| r.after_diagnostic == Some(diag))
        .map(|r| r.reference)
        .expect("a measure after the diagnostic");
    assert!(m.data.measures[&after].is_in_progress());
    assert_eq!(p.changes.lock().unwrap().len(), 1, "one commit");
}
