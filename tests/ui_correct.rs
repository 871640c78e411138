//! Correcting a logged contact from a household file's chronology: ↓
//! chooses an entry, `e` opens the contact form filled as it was logged,
//! saving goes through `Model::execute` (R-MES-2; the rules themselves are
//! in tests/rules.rs).

mod screens;

use assll::app::hub::{Hub, HubClient};
use assll::app::sample::{press, sample_dataset, sample_model, sample_today, status};
use assll::app::{
    MemoryPersist, Model, Overlay, Screen, UiConfig, household_chosen_entry, household_chronology,
};
use assll::domain::command::Role;
use assll::domain::{Dataset, EventKind, Reference, WorkerId};
use assll::store::{Change, Store};
use screens::render;
use std::sync::Arc;

fn open_first_measure(m: &mut Model) -> Reference {
    press(m, &["m", "<Tab>", "<Tab>", "<Tab>", "<Enter>"]);
    match m.screen {
        Screen::Household {
            reference: Some(r), ..
        } => r,
        _ => panic!("no file open"),
    }
}

fn form(m: &Model) -> &assll::app::Form {
    match &m.overlay {
        Some(Overlay::Form(f)) => f,
        o => panic!("no form: {o:?}"),
    }
}

#[test]
fn a_logged_contact_is_corrected_from_the_chronology() {
    let p = Arc::new(MemoryPersist::default());
    let mut m = screens::model();
    m.persist = Box::new(Arc::clone(&p));
    let r = open_first_measure(&mut m);
    let newest = household_chronology(&m).last().cloned().unwrap();
    // ↓ chooses the newest entry, marked and reversed; the heading says `e`.
    press(&mut m, &["<Down>"]);
    assert_eq!(household_chosen_entry(&m), Some(&newest));
    insta::assert_snapshot!("chronology_entry_chosen_80x24", render(&m, 80, 24));
    insta::assert_snapshot!("chronology_entry_chosen_120x40", render(&m, 120, 40));
    // `e`: the contact form, filled as the entry was logged.
    press(&mut m, &["e"]);
    let f = form(&m);
    assert!(
        f.title.starts_with("Corriger le contact du "),
        "{}",
        f.title
    );
    assert_eq!(
        f.text("date"),
        assll::domain::calendar::fr_date(newest.date)
    );
    assert_eq!(f.text("note"), newest.note);
    assert_eq!(f.correcting.as_deref(), Some(&newest));
    // It was a phone call (or a letter), not what was logged.
    let target = if newest.kind == EventKind::Phone {
        EventKind::Letter
    } else {
        EventKind::Phone
    };
    let index = 1 + EventKind::ALL.iter().position(|k| *k == target).unwrap();
    press(&mut m, &["<Tab>"]);
    while form(&m).choice("kind") != index {
        press(&mut m, &["<Right>"]);
    }
    press(&mut m, &["<C-s>"]);
    assert!(m.overlay.is_none(), "{:?}", m.overlay);
    assert!(
        status(&m).starts_with("Enregistré ✓ — contact corrigé"),
        "{}",
        status(&m)
    );
    assert_eq!(p.changes.lock().unwrap().len(), 1);
    let fixed = m.data.measures[&r]
        .events
        .iter()
        .find(|e| e.correction.is_some())
        .unwrap();
    assert_eq!(fixed.kind, target);
    assert_eq!(fixed.author, newest.author);
    let (c, was) = fixed.history().next().unwrap();
    assert_eq!((c.by.as_str(), c.on, was), ("gip", m.today, &newest));
    // The chronology says so.
    let screen = render(&m, 120, 40);
    assert!(screen.contains("corrigé le 27/11/2026"), "{screen}");
}

#[test]
fn e_without_a_chosen_contact_says_how_to_choose_one() {
    let mut m = sample_model(Box::new(MemoryPersist::default()));
    open_first_measure(&mut m);
    press(&mut m, &["e"]);
    assert!(m.overlay.is_none());
    assert!(status(&m).contains("Choisissez d'abord"), "{}", status(&m));
    // ↓ then ↑ past the newest entry lets it go.
    press(&mut m, &["<Down>", "<Down>", "<Up>", "<Up>"]);
    assert_eq!(household_chosen_entry(&m), None);
    press(&mut m, &["<End>"]);
    assert_eq!(household_chosen_entry(&m), household_chronology(&m).first());
    press(&mut m, &["<PageUp>"]);
    assert_eq!(household_chosen_entry(&m), None);
}

#[test]
fn a_worker_may_not_correct_a_colleagues_contact() {
    let mut m = sample_model(Box::new(MemoryPersist::default()));
    let r = open_first_measure(&mut m);
    let sector = m.data.measures[&r].sector;
    let worker = m
        .data
        .workers
        .values()
        .find(|w| w.sectors.contains(&sector))
        .map_or(WorkerId(0), |w| w.id);
    m.role = Role::Worker { worker };
    m.who = "quelqu'un".into();
    press(&mut m, &["<Down>", "e"]);
    assert!(m.overlay.is_none(), "{:?}", m.overlay);
    assert!(status(&m).starts_with("Refusé : seul·e"), "{}", status(&m));
}

#[test]
fn a_contact_is_corrected_when_its_log_was_left_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let today = sample_today();
    let store = Store::open(&dir.path().join("base")).unwrap();
    store
        .commit(&Change {
            who: "test".into(),
            at: today.and_hms_opt(9, 0, 0).unwrap(),
            summary: "import".into(),
            records: sample_dataset(today).records().collect(),
        })
        .unwrap();
    let data = store.load().unwrap().data;
    let hub = Arc::new(Hub::new(store, data, today));
    let mut m = assll::tui::build_model(
        Box::new(HubClient { hub: hub.clone() }),
        Dataset::default(),
        today,
        "gip".into(),
        UiConfig::default(),
    );
    m.adopt(hub.snapshot());
    let r = open_first_measure(&mut m);
    assert!(
        m.data.measures[&r].log_on_disk.is_some(),
        "log left on disk"
    );
    let before = household_chronology(&m).to_vec();
    assert!(before.len() >= 2);
    // The oldest entry: its note was wrong.
    press(&mut m, &["<End>", "e"]);
    press(&mut m, &["<S-Tab>"]); // the note, last field
    press(&mut m, &["<C-a>"]);
    assll::app::sample::type_text(&mut m, "Corrigé : ");
    press(&mut m, &["<C-s>"]);
    assert!(
        status(&m).starts_with("Enregistré ✓ — contact corrigé"),
        "{}",
        status(&m)
    );
    // The whole log is kept, one entry corrected.
    let after = household_chronology(&m).to_vec();
    assert_eq!(after.len(), before.len());
    assert!(after[0].note.starts_with("Corrigé : "), "{:?}", after[0]);
    assert_eq!(after[1..], before[1..]);
    assert_eq!(hub.store().load_log(r).unwrap(), after);
}

#[test]
fn the_chosen_entry_stays_in_view() {
    let mut m = sample_model(Box::new(MemoryPersist::default()));
    let r = open_first_measure(&mut m);
    // A long chronology: the oldest entry is far below the file's top.
    let me = m.data_mut().measures.get_mut(&r).unwrap();
    let e = me.events[0].clone();
    me.events.splice(0..0, std::iter::repeat_n(e, 40));
    m.refresh();
    let oldest = assll::domain::calendar::fr_date(household_chronology(&m)[0].date);
    press(&mut m, &["<End>"]);
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&m, w, h);
        assert!(
            screen.lines().any(|l| l.contains(&format!("▶ {oldest}"))),
            "{w}×{h}:\n{screen}"
        );
    }
}
