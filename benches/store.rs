//! Speed of the foundation (issue 2): opening the database and loading what
//! the dashboard needs, one sector's waiting list, the alert list; on the
//! demo data at 10,000 and 100,000 households; a year's statistics; and
//! one saved change.
//!
//! Run: `cargo bench --bench store` (figures in docs/performance.md).
//! The databases are written once into target/bench-db/ and reused.

mod common;
use assll::domain::{Dataset, Record, SectorId};
use assll::store::{Change, Store};
use common::{db_for, today};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

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
        // R-STAT-1/2: a year's statistics over every measure (their logs
        // left on disk: what the rules need of them is in LogFacts).
        let year = chrono::Datelike::year(&today());
        g.bench_function(BenchmarkId::new("yearly_stats", n), |b| {
            b.iter(|| {
                black_box(
                    assll::domain::stats::yearly(&data, year, today())
                        .rows
                        .len(),
                )
            })
        });
        drop(data);
        // One saved change (a measure rewritten, with its audit entry),
        // durable when commit returns: what « Enregistré ✓ » waits for.
        let store = Store::open(&path).unwrap();
        let measure = store
            .load()
            .unwrap()
            .data
            .measures
            .values()
            .next()
            .cloned()
            .unwrap();
        let change = Change {
            who: "bench".into(),
            at: today().and_hms_opt(9, 0, 0).unwrap(),
            summary: "bench commit".into(),
            records: vec![Record::Measure(measure)],
        };
        g.bench_function(BenchmarkId::new("commit_one_change", n), |b| {
            b.iter(|| black_box(store.commit(&change).unwrap()))
        });
        drop(store);
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
