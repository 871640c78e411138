//! What the benches share: the date and the demo bases, written once into
//! `target/bench-db/demo-N/` and reused.
#![allow(dead_code)]

use assll::domain::Record;
use assll::store::{Change, Store};
use chrono::NaiveDate;
use std::path::PathBuf;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// The demo base of `households` (seed 1, at [`today`]), written once.
pub fn db_for(households: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-db")
        .join(format!("demo-{households}"));
    let marker = dir.join("complete");
    if !marker.exists() {
        eprintln!("écriture de la base de démonstration à {households} ménages…");
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir.join("base")).unwrap();
        let data = assll::demo::generate(today(), households, 1);
        let records: Vec<Record> = data.records().collect();
        store
            .commit(&Change {
                who: "bench".into(),
                at: today().and_hms_opt(8, 0, 0).unwrap(),
                summary: "bench".into(),
                records,
            })
            .unwrap();
        drop(store);
        std::fs::write(&marker, b"ok").unwrap();
    }
    dir.join("base")
}
