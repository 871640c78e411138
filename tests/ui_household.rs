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
    // The file keeps who held it before (R-MES-7), to the day before.
    let held = m.data.measures[&r].holdings();
    assert_eq!(held.len(), 2, "{held:?}");
    assert_eq!((held[0].worker, held[1].worker), (before, after));
    let was = m.data.worker_name(before).to_string();
    let screen = render(&m, 120, 40);
    assert!(
        screen.contains("Suivie avant") && screen.contains(&was),
        "{screen}"
    );
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

/// Focuses the new referral form's field `key`.
fn focus(m: &mut Model, key: &str) {
    let f = m.referral_form.as_mut().unwrap();
    f.focus = f.fields.iter().position(|x| x.key == key).unwrap();
}

#[test]
fn a_new_household_gets_its_sector_from_its_commune_and_its_partners_at_creation() {
    let (mut m, p) = setup();
    press(&mut m, &["c"]);
    focus(&mut m, "last_name");
    type_text(&mut m, "Ouvrard");
    focus(&mut m, "commune");
    type_text(&mut m, "Jarnac");
    press(&mut m, &["<Tab>"]);
    // Leaving the commune chooses its sector, and says so.
    let jarnac = *m
        .data
        .sectors
        .iter()
        .find(|(_, s)| s.name == "Jarnac")
        .unwrap()
        .0;
    let f = m.referral_form.as_ref().unwrap();
    assert_eq!(m.data.sectors.keys().nth(f.choice("sector")), Some(&jarnac));
    assert!(
        status(&m).contains("d'après la commune Jarnac"),
        "{}",
        status(&m)
    );
    focus(&mut m, "referring");
    type_text(&mut m, "Mme Texier (MDS de Cognac)");
    focus(&mut m, "landlord_kind");
    press(&mut m, &["<Right>"]);
    focus(&mut m, "landlord");
    type_text(&mut m, "Logélia");
    focus(&mut m, "objectives");
    press(&mut m, &["<Space>", "<Enter>"]);
    assert!(status(&m).starts_with("Enregistré ✓"), "{}", status(&m));
    assert_eq!(p.changes.lock().unwrap().len(), 1);
    let Screen::Household { household, .. } = m.screen else {
        panic!("the new file opens")
    };
    let h = &m.data.households[&household];
    assert_eq!(h.sector, jarnac);
    assert_eq!(h.referring_worker, "Mme Texier (MDS de Cognac)");
    let l = h.landlord.as_ref().unwrap();
    assert_eq!(
        (l.name.as_str(), l.kind),
        ("Logélia", assll::domain::LandlordKind::Public)
    );
}

#[test]
fn r_elig_2_a_household_under_protection_is_refused_at_creation() {
    let (mut m, p) = setup();
    press(&mut m, &["c"]);
    focus(&mut m, "last_name");
    type_text(&mut m, "Ouvrard");
    focus(&mut m, "protection");
    press(&mut m, &["<Space>"]);
    focus(&mut m, "objectives");
    press(&mut m, &["<Space>", "<Enter>"]);
    let f = m.referral_form.as_ref().expect("kept open");
    let said = format!("{:?}", f);
    assert!(said.contains("R-ELIG-2"), "{said}");
    assert!(p.changes.lock().unwrap().is_empty());
}

#[test]
fn a_households_identity_and_partners_are_corrected_from_the_file() {
    let (mut m, p) = setup();
    let (h, _) = open_first_measure(&mut m);
    let before = m.data.households[&h].clone();
    press(&mut m, &["i"]);
    assert!(render(&m, 120, 40).contains("identité et partenaires"));
    let f = match &mut m.overlay {
        Some(Overlay::Form(f)) => f,
        _ => panic!("no form"),
    };
    f.focus = f.fields.iter().position(|x| x.key == "referring").unwrap();
    type_text(&mut m, " — Mme Texier");
    press(&mut m, &["<Enter>"]);
    assert!(status(&m).starts_with("Enregistré ✓"), "{}", status(&m));
    let after = &m.data.households[&h];
    assert!(after.referring_worker.ends_with("— Mme Texier"));
    assert_eq!(
        (after.sector, after.judicial_protection),
        (before.sector, before.judicial_protection)
    );
    // An unknown commune is said beside it, nothing saved.
    press(&mut m, &["i"]);
    let f = match &mut m.overlay {
        Some(Overlay::Form(f)) => f,
        _ => panic!("no form"),
    };
    f.focus = f.fields.iter().position(|x| x.key == "commune").unwrap();
    type_text(&mut m, "xyz");
    press(&mut m, &["<Enter>"]);
    let Some(Overlay::Form(f)) = &m.overlay else {
        panic!("kept open")
    };
    assert!(
        f.field("commune")
            .unwrap()
            .error
            .as_ref()
            .unwrap()
            .contains("commune inconnue")
    );
    assert_eq!(p.changes.lock().unwrap().len(), 1);
}

#[test]
fn r_ref_5_and_r_mes_7_the_file_shows_a_start_out_of_order_and_who_held_it_before() {
    let (mut m, _p) = setup();
    let r = m
        .data
        .measures
        .values()
        .find(|x| !x.previous_holders.is_empty())
        .map(|x| x.reference)
        .expect("the demo has a measure handed over");
    assll::app::open_household(&mut m, r);
    let screen = render(&m, 120, 40);
    assert!(
        screen.contains("Suivie avant") && screen.contains("Mme Roux 30/05/2026 – 30/06/2026"),
        "{screen}"
    );
    insta::assert_snapshot!("household_handed_over", screen);
    let o = m
        .data
        .measures
        .values()
        .find(|x| x.out_of_order.is_some() && x.is_in_progress())
        .map(|x| x.reference)
        .expect("the demo has a measure started out of order");
    assll::app::open_household(&mut m, o);
    let screen = render(&m, 120, 40);
    let kept = m.data.measures[&o].out_of_order.clone().unwrap();
    let start: String = kept.reason.chars().take(16).collect();
    assert!(
        screen.contains("Hors ordre") && screen.contains(&start),
        "{screen}"
    );
}
