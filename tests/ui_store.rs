//! The TUI on a real store: a triage action and a logged home visit are
//! durable (found again after reopening), with their audit entries.

use assll::app::UiConfig;
use assll::app::sample::{press, sample_dataset, sample_today};
use assll::domain::{EventKind, MeasureStatus};
use assll::store::{Change, Store};
use assll::tui::build_model;

#[test]
fn start_and_home_visit_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("base");
    let today = sample_today();
    let reference;
    {
        let store = Store::open(&path).unwrap();
        let data = sample_dataset(today);
        store
            .commit(&Change {
                who: "test".into(),
                at: today.and_hms_opt(9, 0, 0).unwrap(),
                summary: "import".into(),
                records: data.records().collect(),
            })
            .unwrap();
        let loaded = store.load().unwrap().data;
        let mut m = build_model(
            Box::new(store.clone()),
            loaded,
            today,
            "mlemaire".into(),
            UiConfig::default(),
        );
        press(&mut m, &["a", "<Tab>", "<Tab>", "<Tab>", "<Tab>", "<Tab>"]);
        reference = assll::app::visible_waiting(&m)[0];
        press(&mut m, &["d", "<Enter>"]);
        // Its file (reached from the measures list in real use).
        m.screen = assll::app::Screen::Household {
            household: m.data.referrals[&reference].household,
            reference: Some(reference),
        };
        press(&mut m, &["r", "<Tab>", "<Right>", "<C-s>"]);
        let s = m.status.clone().unwrap().text;
        assert!(s.starts_with("Enregistré ✓ — visite à domicile"), "{s}");
    }
    let store = Store::open(&path).unwrap();
    let data = store.load_full().unwrap().data;
    let me = &data.measures[&reference];
    assert_eq!(me.status, MeasureStatus::InProgress);
    assert_eq!(me.events.len(), 1);
    assert_eq!(me.events[0].kind, EventKind::HomeVisit);
    assert_eq!(me.events[0].author, "mlemaire");
    let audit = store.audit().unwrap();
    let mine: Vec<_> = audit.iter().filter(|a| a.who == "mlemaire").collect();
    // The start, the file's opening (a read: it writes no record), the visit.
    assert_eq!(mine.len(), 3, "{mine:?}");
    assert!(mine[0].summary.contains("démarrée"));
    assert!(mine[1].summary.starts_with("consultation du dossier"));
    assert!(mine[1].keys.is_empty());
    assert!(mine[2].summary.contains("visite à domicile"));
}
