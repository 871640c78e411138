//! Keystroke → update + view into a buffer, on 10,000 and 100,000
//! households, and the first frame from a loaded dataset.
//! `cargo bench --bench ui`

use assll::app::sample::{key_event, sample_today};
use assll::app::{MemoryPersist, Model, Msg, UiConfig, update};
use assll::keymap::Keymap;
use assll::ui::view;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;

fn model(n: usize) -> Model {
    Model::new(
        assll::demo::generate(sample_today(), n, assll::demo::DEFAULT_SEED),
        Box::new(MemoryPersist::default()),
        sample_today(),
        "bench".into(),
        UiConfig::default(),
        Keymap::default_keymap(),
    )
}

fn keystroke(m: &mut Model, term: &mut Terminal<TestBackend>, key: &str) {
    let mut msg = Some(Msg::Key(key_event(key)));
    while let Some(x) = msg {
        msg = update(m, x);
    }
    term.draw(|f| view(m, f)).expect("draw");
}

fn bench(c: &mut Criterion) {
    for n in [10_000usize, 100_000] {
        let mut m = model(n);
        let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        keystroke(&mut m, &mut term, "a");
        c.bench_function(&format!("waiting_list_down_{n}"), |b| {
            b.iter(|| keystroke(&mut m, &mut term, black_box("j")))
        });
        c.bench_function(&format!("waiting_list_next_sector_{n}"), |b| {
            b.iter(|| keystroke(&mut m, &mut term, black_box("<Tab>")))
        });
        keystroke(&mut m, &mut term, "t");
        c.bench_function(&format!("dashboard_down_{n}"), |b| {
            b.iter(|| keystroke(&mut m, &mut term, black_box("j")))
        });
        keystroke(&mut m, &mut term, "m");
        c.bench_function(&format!("measures_down_{n}"), |b| {
            b.iter(|| keystroke(&mut m, &mut term, black_box("j")))
        });
        keystroke(&mut m, &mut term, "!");
        c.bench_function(&format!("alerts_down_{n}"), |b| {
            b.iter(|| keystroke(&mut m, &mut term, black_box("j")))
        });
    }
    let data = assll::demo::generate(sample_today(), 10_000, assll::demo::DEFAULT_SEED);
    c.bench_function("first_frame_10000", |b| {
        b.iter(|| {
            let m = Model::new(
                data.clone(),
                Box::new(MemoryPersist::default()),
                sample_today(),
                "bench".into(),
                UiConfig::default(),
                Keymap::default_keymap(),
            );
            let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
            term.draw(|f| view(&m, f)).expect("draw");
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
