//! Keystroke → update + view into a buffer (120×40), on the demo data at
//! 10,000 and 100,000 households, and the first frame (model + cached views
//! + draw, store load excluded) at 10,000. `cargo bench --bench ui`
//!
//! Medians measured on the 2-core build machine (27/11/2026, release):
//! | keystroke                     | 10,000   | 100,000  |
//! |-------------------------------|----------|----------|
//! | waiting list, `j`             | 0.23 ms  | 0.23 ms  |
//! | waiting list, `Tab` (sector)  | 0.23 ms  | 0.24 ms  |
//! | dashboard, `j`                | 0.13 ms  | 0.15 ms  |
//! | measures, `j`                 | 0.36 ms  | 2.9 ms   |
//! | alerts, `j`                   | 0.24 ms  | 0.32 ms  |
//! | first frame                   | 45 ms    |          |
//! Targets (issue 3): < 2 ms at 10,000, < 10 ms at 100,000, first frame
//! < 200 ms at 10,000.
//!
//! A 30 KB paste (bracketed paste: one message) into the review editor,
//! then the one redraw, 120×40: see docs/performance.md (target, issue 9:
//! < 1 s); and the same paste into a one-line field (the contact's note).

use assll::app::sample::{key_event, sample_today};
use assll::app::{MemoryPersist, Model, Msg, UiConfig, update};
use assll::keymap::Keymap;
use assll::ui::view;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// About 30 KB of review text, in lines, accents and € included.
fn pasted_review() -> String {
    let line = "La famille a repris le paiement du loyer depuis septembre ; \
                la dette est ramenée à 1 240 € (plan d'apurement signé).\n";
    line.repeat(30_000usize.div_ceil(line.len()))
}

/// Opens `key`'s box on the file shown, then times the paste and the one
/// frame after it; the box is closed unsaved between iterations.
fn paste_into(c: &mut Criterion, name: &str, key: &str) {
    let mut m = assll::app::sample::sample_model(Box::new(MemoryPersist::default()));
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    for k in ["m", "<Tab>", "<Tab>", "<Tab>", "<Enter>"] {
        keystroke(&mut m, &mut term, k);
    }
    let text = pasted_review();
    assert!(text.len() >= 30_000);
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                keystroke(&mut m, &mut term, key);
                if key == "r" {
                    for _ in 0..4 {
                        keystroke(&mut m, &mut term, "<Tab>"); // to the note
                    }
                }
                let t0 = Instant::now();
                assert!(update(&mut m, Msg::Paste(black_box(text.clone()))).is_none());
                term.draw(|f| view(&m, f)).expect("draw");
                total += t0.elapsed();
                keystroke(&mut m, &mut term, "<Esc>");
                keystroke(&mut m, &mut term, "o");
                assert!(m.overlay.is_none(), "the box was not closed");
            }
            total
        })
    });
}

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

fn paste(c: &mut Criterion) {
    paste_into(c, "paste_30k_review_and_redraw", "b");
    paste_into(c, "paste_30k_note_field_and_redraw", "r");
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = paste, bench
}
criterion_main!(benches);
