//! The store: envelope fixtures, transactions with audit, lock, damage.

mod common_records;

use assll::domain::Record;
use assll::store::envelope::{FORMAT_VERSION, seal_record, unseal_record};
use assll::store::{Change, Store, StoreError};
use chrono::NaiveDate;
use common_records::*;
use std::path::PathBuf;

fn fixtures_dir(version: u16) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/v{version}"))
}

fn change(summary: &str, records: Vec<Record>) -> Change {
    Change {
        who: "testeur".into(),
        at: NaiveDate::from_ymd_opt(2026, 11, 27)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
        summary: summary.into(),
        records,
    }
}

/// Golden bytes of every format version must keep decoding to the same
/// values. Run with ASSLL_WRITE_FIXTURES=1 once when a new version is born.
#[test]
fn fixtures_of_every_version_still_decode() {
    let dir = fixtures_dir(FORMAT_VERSION);
    if std::env::var_os("ASSLL_WRITE_FIXTURES").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, rec) in one_of_each() {
            std::fs::write(dir.join(format!("{name}.bin")), seal_record(&rec)).unwrap();
        }
    }
    for version in 1..=FORMAT_VERSION {
        for (name, expected) in one_of_each() {
            let path = fixtures_dir(version).join(format!("{name}.bin"));
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("fixture {} missing: {e}", path.display()));
            let decoded = unseal_record(&bytes)
                .unwrap_or_else(|e| panic!("fixture {} no longer decodes: {e}", path.display()));
            assert_eq!(
                decoded,
                expected,
                "fixture {} decodes differently",
                path.display()
            );
        }
    }
}

#[test]
fn current_encoding_matches_current_fixtures() {
    // Catches an accidental change of layout (a field inserted, an enum
    // variant reordered) that would need a new format version.
    for (name, rec) in one_of_each() {
        let path = fixtures_dir(FORMAT_VERSION).join(format!("{name}.bin"));
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(
            seal_record(&rec),
            bytes,
            "{name}: layout changed without a new version"
        );
    }
}

/// The reference-data kinds born after version 1 (the commune → sector
/// table, the GTS members), with the version they were first written in.
fn reference_data_records() -> Vec<(&'static str, u16, Record)> {
    let table = [
        ("16015".to_string(), assll::domain::SectorId(3)),
        ("16102".to_string(), assll::domain::SectorId(6)),
    ]
    .into_iter()
    .collect();
    let members = vec![
        assll::domain::GtsMember {
            name: "Mme Dumas".into(),
            organisation: "Conseil Général".into(),
        },
        assll::domain::GtsMember {
            name: "M. Prévost".into(),
            organisation: "Logélia Charente".into(),
        },
    ];
    vec![
        ("commune_sectors", 3, Record::CommuneSectors(table)),
        ("gts_members", 3, Record::GtsMembers(members)),
    ]
}

#[test]
fn reference_data_fixtures_decode_and_match_the_current_encoding() {
    let dir = fixtures_dir(FORMAT_VERSION);
    if std::env::var_os("ASSLL_WRITE_FIXTURES").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, _, rec) in reference_data_records() {
            std::fs::write(dir.join(format!("{name}.bin")), seal_record(&rec)).unwrap();
        }
    }
    for (name, born, expected) in reference_data_records() {
        for version in born..=FORMAT_VERSION {
            let path = fixtures_dir(version).join(format!("{name}.bin"));
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("fixture {} missing: {e}", path.display()));
            assert_eq!(
                unseal_record(&bytes).unwrap(),
                expected,
                "{name} v{version}"
            );
        }
        let current = std::fs::read(dir.join(format!("{name}.bin"))).unwrap();
        assert_eq!(seal_record(&expected), current, "{name}: layout changed");
    }
}

#[test]
fn reference_data_is_committed_reloaded_and_audited_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let recs: Vec<Record> = reference_data_records()
        .into_iter()
        .map(|(_, _, r)| r)
        .collect();
    {
        let store = Store::open(&path).unwrap();
        store.commit(&change("référentiel", recs.clone())).unwrap();
    }
    let store = Store::open(&path).unwrap();
    let loaded = store.load().unwrap();
    assert!(loaded.damaged.is_empty(), "{:?}", loaded.damaged);
    for r in &recs {
        assert_eq!(loaded.data.current(r).as_ref(), Some(r));
    }
    let inspection = store.inspect().unwrap();
    assert!(inspection.problems.is_empty(), "{:?}", inspection.problems);
    assert_eq!(
        store.audit().unwrap()[0].keys,
        vec![
            "communes et secteurs".to_string(),
            "membres du GTS".to_string()
        ]
    );
}

#[test]
fn commit_is_durable_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path).unwrap();
        assert!(store.is_empty());
        let recs: Vec<Record> = one_of_each().into_iter().map(|(_, r)| r).collect();
        assert_eq!(store.commit(&change("import", recs)).unwrap(), 1);
        let mut m = measure(7, 7);
        m.review.text.push_str("\nSuite.");
        assert_eq!(
            store
                .commit(&change("bilan", vec![Record::Measure(m)]))
                .unwrap(),
            2
        );
    }
    let store = Store::open(&path).unwrap();
    assert!(!store.is_empty());
    let loaded = store.load().unwrap();
    assert!(loaded.damaged.is_empty());
    assert_eq!(loaded.data.households.len(), 1);
    assert_eq!(loaded.data.sectors.len(), 1);
    assert_eq!(loaded.data.sessions.len(), 1);
    let m = loaded.data.measures.values().next().unwrap();
    assert!(m.review.text.ends_with("Suite."));
    let audit = store.audit().unwrap();
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[0].who, "testeur");
    assert_eq!(audit[1].summary, "bilan");
    assert_eq!(audit[1].keys, vec!["mesure 2026-0007".to_string()]);
}

#[test]
fn second_open_of_the_same_database_says_it_is_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let _first = Store::open(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("déjà ouverte"), "{msg}");
    assert!(msg.contains(&path.display().to_string()), "{msg}");
}

#[test]
fn damaged_record_is_reported_and_the_rest_still_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = Store::open(&path).unwrap();
    let recs: Vec<Record> = (1..=3)
        .flat_map(|i| {
            [
                Record::Household(household(i)),
                Record::Referral(referral(i, i)),
                Record::Measure(measure(i, i)),
            ]
        })
        .collect();
    store.commit(&change("trois", recs)).unwrap();
    let victim = Record::Measure(measure(2, 2));
    let mut bytes = store.raw(&victim).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    store.write_raw_for_tests(&victim, &bytes).unwrap();
    let loaded = store.load().unwrap();
    assert_eq!(loaded.data.measures.len(), 2);
    assert_eq!(loaded.data.households.len(), 3);
    assert_eq!(loaded.damaged.len(), 1);
    let line = loaded.damaged[0].to_string();
    assert!(line.contains("measures / 2026-0002"), "{line}");
    assert!(line.contains("somme de contrôle"), "{line}");
}

#[test]
fn bulk_load_writes_everything_with_one_audit_entry_and_refuses_a_non_empty_base() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let data = assll::demo::generate(d(2026, 11, 27), 300, 7);
    let at = d(2026, 11, 27).and_hms_opt(8, 0, 0).unwrap();
    let n = store
        .bulk_load("testeur", at, "démo", data.records())
        .unwrap();
    assert_eq!(n, data.records().count());
    let loaded = store.load_full().unwrap();
    assert!(loaded.damaged.is_empty(), "{:?}", loaded.damaged);
    assert_eq!(loaded.data, data);
    let audit = store.audit().unwrap();
    assert_eq!(audit.len(), 1);
    assert!(audit[0].summary.starts_with("démo"));
    assert!(
        store
            .bulk_load("testeur", at, "encore", data.records())
            .is_err()
    );
}

/// Start-up leaves each measure's log on disk, with what the rules need of
/// it; the log is read when asked for, and rewriting a measure whose log was
/// not read keeps the log.
#[test]
fn logs_stay_on_disk_until_asked_for_and_are_never_lost() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let data = assll::demo::generate(d(2026, 11, 27), 120, 1);
    let at = d(2026, 11, 27).and_hms_opt(8, 0, 0).unwrap();
    store.bulk_load("t", at, "démo", data.records()).unwrap();
    let lazy = store.load().unwrap().data;
    let (reference, full) = data
        .measures
        .iter()
        .find(|(_, m)| m.events.len() >= 3)
        .unwrap();
    let m = &lazy.measures[reference];
    assert!(m.events.is_empty());
    assert_eq!(
        m.log_on_disk.map(|f| f.entries as usize),
        Some(full.events.len())
    );
    // The rules see the same facts, the alerts are the same.
    assert_eq!(m.facts(), full.facts());
    let today = d(2026, 11, 27);
    assert_eq!(
        assll::domain::alerts::compute_alerts(&lazy, today),
        assll::domain::alerts::compute_alerts(&data, today)
    );
    assert_eq!(store.load_log(*reference).unwrap(), full.events);
    // A change that does not touch the log (a renewal, a stop…) keeps it.
    let mut changed = m.clone();
    changed.review.text = "Bilan mis à jour".into();
    store
        .commit(&change("bilan", vec![Record::Measure(changed)]))
        .unwrap();
    assert_eq!(store.load_log(*reference).unwrap(), full.events);
    let again = store.load_full().unwrap().data;
    assert_eq!(again.measures[reference].events, full.events);
    assert_eq!(again.measures[reference].review.text, "Bilan mis à jour");
}

/// Format version 2: a corrected log entry keeps who corrected it, when,
/// and what it was, through the log's tree and the measure's record; its
/// bytes are pinned by a fixture (written with ASSLL_WRITE_FIXTURES=1).
#[test]
fn a_corrected_log_entry_keeps_its_history_on_disk() {
    use assll::domain::{EventKind, Party};
    use assll::store::envelope::{Kind, seal, unseal_log};
    let mut m = measure(7, 7);
    let was = m.events[0].clone();
    let mut fixed = was.clone();
    fixed.kind = EventKind::Phone;
    fixed.with = Party::ReferringWorker;
    fixed.note = "Appel au TS référent, pas une visite".into();
    m.correct_event(&was, fixed, "gip", d(2026, 11, 27))
        .unwrap();
    let bytes = seal(Kind::Log, &m.events);
    let path = fixtures_dir(FORMAT_VERSION).join("log_corrected.bin");
    if std::env::var_os("ASSLL_WRITE_FIXTURES").is_some() {
        std::fs::write(&path, &bytes).unwrap();
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "layout changed without a new version"
    );
    assert_eq!(unseal_log(&bytes).unwrap(), m.events);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path).unwrap();
        store
            .commit(&change("correction", vec![Record::Measure(m.clone())]))
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let log = store.load_log(m.reference).unwrap();
    assert_eq!(log, m.events);
    let (c, before) = log[0].history().next().unwrap();
    assert_eq!((c.by.as_str(), c.on), ("gip", d(2026, 11, 27)));
    assert_eq!(before, &was);
    assert_eq!(log[0].author, "laurent");
}

/// Format version 3: who held a measure, a start out of the waiting order,
/// a worker's arrival and departure; bytes pinned by fixtures (written
/// with ASSLL_WRITE_FIXTURES=1), and kept through the store.
#[test]
fn holders_out_of_order_start_and_worker_dates_are_pinned() {
    use assll::domain::measure::{OutOfOrder, PastHolder};
    use assll::domain::{SectorId, WorkerId};
    let mut m = measure(7, 7);
    m.hand_over(WorkerId(12), SectorId(5), d(2026, 6, 1))
        .unwrap();
    m.out_of_order = Some(OutOfOrder {
        reason: "Expulsion imminente, accord du GIP".into(),
        passed: 3,
    });
    assert_eq!(
        m.previous_holders,
        vec![PastHolder {
            worker: Some(WorkerId(11)),
            sector: SectorId(6),
            until: d(2026, 6, 1),
        }]
    );
    let mut w = worker();
    w.arrived = Some(d(2024, 9, 2));
    w.left = Some(d(2026, 12, 31));
    let records = [
        ("measure_held", Record::Measure(m)),
        ("worker_dated", Record::Worker(w)),
    ];
    for (name, rec) in &records {
        let bytes = seal_record(rec);
        let path = fixtures_dir(FORMAT_VERSION).join(format!("{name}.bin"));
        if std::env::var_os("ASSLL_WRITE_FIXTURES").is_some() {
            std::fs::write(&path, &bytes).unwrap();
        }
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "{name}: layout changed without a new version"
        );
        assert_eq!(&unseal_record(&bytes).unwrap(), rec);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path).unwrap();
        let recs = records.iter().map(|(_, r)| r.clone()).collect();
        store.commit(&change("format 3", recs)).unwrap();
    }
    let data = Store::open(&path).unwrap().load_full().unwrap().data;
    for (_, rec) in &records {
        assert_eq!(data.current(rec).as_ref(), Some(rec));
    }
}

/// Logs written before corrections existed (format version 1) still read,
/// as entries never corrected.
#[test]
fn a_log_of_format_version_1_reads_as_never_corrected() {
    use assll::domain::log::MeansSet;
    use assll::domain::{EventKind, Means, Party};
    use assll::store::envelope::{BINCODE, MAGIC, unseal_log};
    #[derive(serde::Serialize)]
    struct EntryV1 {
        days: i32,
        kind: EventKind,
        with: Party,
        means: MeansSet,
        note: String,
        author: String,
    }
    let day = d(2026, 4, 2);
    let v1: Vec<EntryV1> = (0..3)
        .map(|i| EntryV1 {
            days: chrono::Datelike::num_days_from_ce(&day) + i,
            kind: EventKind::HomeVisit,
            with: Party::Household,
            means: [Means::RepaymentPlan].into(),
            note: format!("visite {i}"),
            author: "laurent".into(),
        })
        .collect();
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&1u16.to_le_bytes());
    bytes.push(9); // a measure's log
    bytes.extend(bincode::serde::encode_to_vec(&v1, BINCODE).unwrap());
    let crc = crc32fast::hash(&bytes);
    bytes.extend_from_slice(&crc.to_le_bytes());
    let log = unseal_log(&bytes).unwrap();
    assert_eq!(log.len(), 3);
    for (i, e) in log.iter().enumerate() {
        assert_eq!(e.note, format!("visite {i}"));
        assert_eq!(e.date, day + chrono::Days::new(i as u64));
        assert_eq!(e.correction, None);
    }
}
