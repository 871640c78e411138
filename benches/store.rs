//! Speed of the foundation (issue 2): opening the database and loading what
//! the dashboard needs, one sector's waiting list, the alert list; on the
//! demo data at 10,000 and 100,000 households.
//!
//! Run: `cargo bench --bench store` (figures in docs/performance.md).
//! The databases are written once into target/bench-db/ and reused.

use assll::domain::{Dataset, Record, SectorId};
use assll::store::{Change, Store};
use chrono::NaiveDate;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn db_for(households: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-db")
        .join(format!("demo-{households}"));
    let marker = dir.join("complete");
    if !marker.exists() {
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

fn open_and_load(path: &std::path::Path) -> Dataset {
    let store = Store::open(path).unwrap();
    let loaded = store.load().unwrap();
    let data = loaded.data;
    black_box(data.sector_loads(today()));
    data
}

fn bench(c: &mut Criterion) {
    for n in [10_000usize, 100_000] {
        let path = db_for(n);
        let mut g = c.benchmark_group(format!("demo_{n}"));
        g.sample_size(10);
        g.measurement_time(Duration::from_secs(if n > 10_000 { 20 } else { 5 }));
        g.bench_function(BenchmarkId::new("open_and_load_dashboard", n), |b| {
            b.iter(|| black_box(open_and_load(&path)))
        });
        let data = open_and_load(&path);
        g.bench_function(BenchmarkId::new("waiting_list_one_sector", n), |b| {
            b.iter(|| black_box(data.waiting_list(SectorId(6)).len()))
        });
        g.bench_function(BenchmarkId::new("sector_loads", n), |b| {
            b.iter(|| black_box(data.sector_loads(today()).len()))
        });
        g.bench_function(BenchmarkId::new("alerts", n), |b| {
            b.iter(|| black_box(assll::domain::alerts::compute_alerts(&data, today()).len()))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
