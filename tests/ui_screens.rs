//! Every screen rendered into a TestBackend: insta snapshots at 80×24 and
//! 120×40 from the demo data at a fixed date, and a size sweep (0×0 to
//! 300×100) that must never panic.

mod screens;

use assll::app::sample::press;
use assll::ui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use screens::{model, render, screens};

#[test]
fn snapshots_80x24_and_120x40() {
    for (name, m) in screens() {
        insta::assert_snapshot!(format!("{name}_80x24"), render(&m, 80, 24));
        insta::assert_snapshot!(format!("{name}_120x40"), render(&m, 120, 40));
    }
}

#[test]
fn no_color_and_ascii_keep_every_state_readable() {
    let mut m = model();
    m.config.color = false;
    m.config.unicode = false;
    press(&mut m, &["a", "l"]); // Charente-Limousine: an urgent referral, over capacity
    let s = render(&m, 80, 24);
    assert!(s.contains("URG"), "{s}");
    assert!(s.contains("15/14 ^"), "{s}");
    let mut m = model();
    m.config.color = false;
    m.config.unicode = false;
    insta::assert_snapshot!("dashboard_ascii_80x24", render(&m, 80, 24));
    // No colour at all in the buffer.
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| view(&m, f)).unwrap();
    let buf = term.backend().buffer();
    for cell in buf.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset);
        assert_eq!(cell.bg, ratatui::style::Color::Reset);
    }
}

#[test]
fn size_sweep_never_panics() {
    for (name, m) in screens() {
        for (w, h) in [
            (0, 0),
            (1, 1),
            (20, 5),
            (59, 15),
            (60, 16),
            (80, 24),
            (300, 100),
        ] {
            let s = render(&m, w, h);
            if (w, h) == (20, 5) {
                assert!(s.contains("Terminal"), "{name} {w}x{h}: {s}");
            }
        }
    }
}

#[test]
fn alerts_too_long_for_their_column_are_cut_with_an_ellipsis() {
    let mut m = model();
    press(&mut m, &["!"]);
    let messages: Vec<String> = m.derived.alerts.iter().map(|a| a.message.clone()).collect();
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&m, w, h);
        let mut cut = 0;
        for line in screen.lines().filter(|l| l.contains("/2026 J")) {
            // The message column: what follows the rule (R-XXX-N).
            let Some(p) = line.find(" R-") else { continue };
            let after = &line[p + 1..];
            let msg = after.split_once(' ').map_or("", |(_, m)| m.trim_start());
            if let Some(head) = msg.strip_suffix('…') {
                cut += 1;
                assert!(
                    messages
                        .iter()
                        .any(|m| m.starts_with(head) && m.len() > head.len()),
                    "{msg:?} is not the start of an alert"
                );
            } else {
                assert!(messages.iter().any(|m| m == msg), "{msg:?} cut without …");
            }
        }
        assert!(
            cut > 0,
            "some messages are longer than the column: {screen}"
        );
    }
}
