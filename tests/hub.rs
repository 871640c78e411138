//! Several sessions on one base through the hub: one copy of the data for
//! all, a change by one seen by the others, two people editing the same
//! record (the second save refused with who changed it, nothing lost), and
//! the roles checked where the change is decided.

use assll::app::hub::{Hub, HubClient};
use assll::app::sample::{press, sample_dataset, sample_today, status, type_text};
use assll::app::{Model, Msg, Overlay, Screen, UiConfig, update, visible_waiting};
use assll::domain::command::Role;
use assll::domain::{Dataset, MeasureStatus, Reference};
use assll::store::{Change, Store};
use assll::tui::build_model;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn hub(dir: &std::path::Path) -> Arc<Hub> {
    let today = sample_today();
    let store = Store::open(&dir.join("base")).unwrap();
    store
        .commit(&Change {
            who: "test".into(),
            at: today.and_hms_opt(9, 0, 0).unwrap(),
            summary: "import".into(),
            records: sample_dataset(today).records().collect(),
        })
        .unwrap();
    let data = store.load().unwrap().data;
    Arc::new(Hub::new(store, data, today))
}

fn session(hub: &Arc<Hub>, who: &str) -> Model {
    let mut m = build_model(
        Box::new(HubClient { hub: hub.clone() }),
        Dataset::default(),
        hub.today(),
        who.into(),
        UiConfig::default(),
    );
    m.adopt(hub.snapshot());
    m
}

const COGNAC: [&str; 6] = ["a", "<Tab>", "<Tab>", "<Tab>", "<Tab>", "<Tab>"];

#[test]
fn every_session_shows_the_one_copy_and_sees_the_others_changes() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path());
    let woken = Arc::new(AtomicUsize::new(0));
    let w = woken.clone();
    hub.subscribe(move || {
        w.fetch_add(1, Ordering::SeqCst);
        true
    });
    let mut gip = session(&hub, "gip");
    let mut other = session(&hub, "ts");
    // No copy per session: both show the hub's own data.
    assert!(Arc::ptr_eq(&gip.data, &other.data));
    assert!(Arc::ptr_eq(&gip.derived, &other.derived));
    press(&mut gip, &COGNAC);
    let first: Reference = visible_waiting(&gip)[0];
    press(&mut gip, &["d", "<Enter>"]);
    assert!(status(&gip).starts_with("Enregistré ✓"), "{}", status(&gip));
    assert_eq!(woken.load(Ordering::SeqCst), 1);
    // The other session still shows the old version until it is woken.
    assert_eq!(other.data.measures[&first].status, MeasureStatus::Waiting);
    update(&mut other, Msg::Refresh);
    assert_eq!(
        other.data.measures[&first].status,
        MeasureStatus::InProgress
    );
    assert!(Arc::ptr_eq(&gip.data, &other.data));
    // The views the hub updated after the commit are those of the data.
    let now = hub.snapshot();
    assert_eq!(
        *now.derived,
        assll::app::Derived::compute(&now.data, now.today)
    );
    assert!(
        other
            .derived
            .in_progress
            .values()
            .flatten()
            .any(|r| *r == first)
    );
    assert!(
        other
            .derived
            .waiting
            .values()
            .flatten()
            .all(|r| *r != first)
    );
}

#[test]
fn a_base_shown_by_one_session_is_changed_in_place_not_copied() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path());
    let mut m = session(&hub, "gip");
    let before = Arc::as_ptr(&hub.snapshot().data);
    press(&mut m, &COGNAC);
    press(&mut m, &["d", "<Enter>"]);
    assert!(status(&m).starts_with("Enregistré ✓"), "{}", status(&m));
    assert_eq!(Arc::as_ptr(&hub.snapshot().data), before);
    assert_eq!(Arc::as_ptr(&m.data), before);
}

/// Opens the bilan editor of the first measure in progress of Cognac.
fn open_review(m: &mut Model) -> Reference {
    let r = *m.derived.in_progress[&assll::domain::SectorId(6)]
        .first()
        .unwrap();
    m.screen = Screen::Household {
        household: m.data.measures[&r].household,
        reference: Some(r),
    };
    press(m, &["b"]);
    assert!(
        matches!(m.overlay, Some(Overlay::Editor(_))),
        "{:?}",
        m.overlay
    );
    r
}

#[test]
fn the_second_of_two_saves_of_one_record_is_refused_with_who_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path());
    let mut a = session(&hub, "anne");
    let mut b = session(&hub, "bruno");
    let r = open_review(&mut a);
    assert_eq!(open_review(&mut b), r);
    type_text(&mut b, "Bilan de Bruno.");
    press(&mut b, &["<C-s>"]);
    assert!(status(&b).starts_with("Enregistré ✓"), "{}", status(&b));
    // Anne, woken, keeps typing in the editor she opened before.
    update(&mut a, Msg::Refresh);
    type_text(&mut a, "Bilan d'Anne.");
    press(&mut a, &["<C-s>"]);
    let Some(Overlay::Editor(ed)) = &a.overlay else {
        panic!("the editor stays open: {:?}", a.status)
    };
    let error = ed.error.clone().unwrap_or_default();
    assert!(error.contains("bruno"), "{error}");
    assert!(ed.text().contains("Bilan d'Anne."), "typed text kept");
    assert!(
        hub.snapshot().data.measures[&r]
            .review
            .text
            .contains("Bruno")
    );
    // Closed and opened again, she sees Bruno's version and can save hers.
    press(&mut a, &["<Esc>"]);
    if matches!(a.overlay, Some(Overlay::Confirm(_))) {
        press(&mut a, &["o"]);
    }
    press(&mut a, &["b"]);
    type_text(&mut a, " Complété par Anne.");
    press(&mut a, &["<C-s>"]);
    assert!(status(&a).starts_with("Enregistré ✓"), "{}", status(&a));
    let text = hub.snapshot().data.measures[&r].review.text.clone();
    assert!(text.contains("Bruno") && text.contains("Anne"), "{text}");
}

#[test]
fn roles_a_worker_is_refused_another_sector_and_a_reader_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path());
    let mut reader = session(&hub, "lecteur");
    reader.role = Role::ReadOnly;
    press(&mut reader, &COGNAC);
    let first = visible_waiting(&reader)[0];
    press(&mut reader, &["d", "<Enter>"]);
    assert!(
        status(&reader).starts_with("Refusé") || status(&reader).contains("Refusé"),
        "{}",
        status(&reader)
    );
    assert_eq!(
        hub.snapshot().data.measures[&first].status,
        MeasureStatus::Waiting
    );
    let audit = hub.store().audit().unwrap();
    assert!(
        audit
            .iter()
            .all(|e| e.who != "lecteur" || e.keys.is_empty())
    );
}

#[test]
fn roles_a_worker_sees_the_lists_files_and_alerts_of_its_own_sectors_only() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path());
    let mut ts = session(&hub, "ts-cognac");
    let cognac = assll::domain::SectorId(6);
    let worker = ts
        .data
        .workers
        .values()
        .find(|w| w.sectors == vec![cognac])
        .expect("a worker of Cognac only")
        .id;
    ts.role = Role::Worker { worker };
    ts.sector = cognac;
    // Waiting lists: Tab stays on its own sector.
    press(&mut ts, &["a", "<Tab>", "<Tab>"]);
    assert_eq!(ts.sector, cognac);
    assert!(!visible_waiting(&ts).is_empty());
    // Alerts: none of another sector.
    let alerts = assll::app::visible_alerts(&ts);
    assert!(!alerts.is_empty());
    for i in alerts {
        let a = &ts.derived.alerts[i];
        assert!(
            a.sector == Some(cognac) || a.worker == Some(worker),
            "{a:?}"
        );
    }
    // Another sector's file is refused, whichever way it is reached.
    let other = ts
        .data
        .referrals
        .values()
        .find(|r| !ts.actor().sees_household(&ts.data, r.household))
        .expect("a household of another sector")
        .reference;
    // The GTS agenda shows its own situations only, and the séance is the GIP's.
    let next = ts.derived.next_session.clone().expect("a next session");
    let all = assll::app::gts::working_session(&ts.data, next.year, next.month, ts.today);
    let shown = assll::app::gts::shown_session(&ts, next.year, next.month);
    assert!(
        shown.agenda.len() < all.agenda.len(),
        "{} < {}",
        shown.agenda.len(),
        all.agenda.len()
    );
    for i in &shown.agenda {
        let h = ts.data.measures[&i.reference].household;
        assert!(ts.actor().sees_household(&ts.data, h));
    }
    press(&mut ts, &["S"]);
    assert_ne!(ts.screen, Screen::Seance);
    assert!(status(&ts).starts_with("Refusé"), "{}", status(&ts));
    ts.screen = Screen::Waiting;
    assll::app::open_household(&mut ts, other);
    assert_eq!(ts.screen, Screen::Waiting);
    assert!(status(&ts).starts_with("Refusé"), "{}", status(&ts));
}

#[test]
fn another_persons_change_leaves_the_cursor_on_the_same_household() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path());
    let mut a = session(&hub, "anne");
    let mut b = session(&hub, "bruno");
    for m in [&mut a, &mut b] {
        press(m, &["a", "<Tab>", "<Tab>", "<Tab>", "<Tab>", "<Tab>"]);
    }
    assert!(visible_waiting(&b).len() >= 2, "Cognac has a list");
    // Bruno looks at the second row; Anne starts the first.
    press(&mut b, &["j"]);
    let looked_at = visible_waiting(&b)[b.waiting_cursor];
    press(&mut a, &["d", "<Enter>"]);
    assert!(status(&a).starts_with("Enregistré ✓"), "{}", status(&a));
    update(&mut b, Msg::Refresh);
    assert_eq!(visible_waiting(&b)[b.waiting_cursor], looked_at);
}

#[test]
fn a_reference_data_change_through_the_hub_is_durable_and_recomputes_every_view() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path());
    let mut gip = session(&hub, "gip");
    let mut other = session(&hub, "lecteur");
    other.role = Role::ReadOnly;
    // Cognac's FTE from 1 to 0,5: capacity 30 → 15, in every session.
    press(
        &mut gip,
        &["R", "<Down>", "<Down>", "<Down>", "<Down>", "<Down>"],
    );
    press(&mut gip, &["<Enter>", "<Tab>", "<Backspace>"]);
    type_text(&mut gip, "0,5");
    press(&mut gip, &["<Enter>"]);
    assert!(
        status(&gip).contains("secteur Cognac : 0,5 ETP"),
        "{}",
        status(&gip)
    );
    update(&mut other, Msg::Refresh);
    let cognac = assll::domain::SectorId(6);
    assert_eq!(other.derived.load(cognac).unwrap().capacity, 15);
    let now = hub.snapshot();
    assert_eq!(
        *now.derived,
        assll::app::Derived::compute(&now.data, now.today)
    );
    // The reader is refused, in the domain too.
    press(&mut other, &["R", "<Enter>"]);
    assert!(other.overlay.is_none());
    assert!(status(&other).contains("seul le GIP"), "{}", status(&other));
    // Durable: a new hub on the same store sees it.
    drop((gip, other, hub));
    let store = Store::open(&dir.path().join("base")).unwrap();
    assert_eq!(
        store.load().unwrap().data.sectors[&cognac].fte_hundredths,
        50
    );
}
