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

/// The loads box of a rendered dashboard: its rows, as chars.
fn load_rows(screen: &str) -> Vec<Vec<char>> {
    screen
        .lines()
        .filter(|l| l.starts_with('│') && l.contains("att."))
        .map(|l| l.chars().collect())
        .collect()
}

fn find(row: &[char], pat: &str) -> Option<usize> {
    let p: Vec<char> = pat.chars().collect();
    row.windows(p.len()).position(|w| w == p.as_slice())
}

#[test]
fn dashboard_columns_hold_at_10_000_households() {
    let mut m = model();
    m.data = std::sync::Arc::new(assll::demo::generate(
        assll::app::sample::sample_today(),
        10_000,
        assll::demo::DEFAULT_SEED,
    ));
    m.refresh();
    let total_load: u32 = m.derived.loads.iter().map(|l| l.load).sum();
    assert!(total_load >= 1000, "a 4-digit total at least: {total_load}");
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&m, w, h);
        let rows = load_rows(&screen);
        assert_eq!(rows.len(), m.derived.loads.len() + 1, "{screen}");
        // One column for "att." and one right edge for the box, every row.
        let att: Vec<Option<usize>> = rows.iter().map(|r| find(r, "att.")).collect();
        assert!(att.iter().all(|a| a.is_some() && *a == att[0]), "{screen}");
        let border: Vec<usize> = rows
            .iter()
            .map(|r| r.iter().skip(1).position(|c| *c == '│').unwrap() + 1)
            .collect();
        assert!(border.iter().all(|b| *b == border[0]), "{screen}");
        // Every figure whole: load/capacity right-aligned against "att.",
        // waiting count, diagnostics.
        for (row, l) in rows.iter().zip(&m.derived.loads) {
            let text: String = row.iter().collect();
            let load = format!("{}/{}  att.", l.load, l.capacity);
            assert!(
                find(row, &load).map(|p| p + load.chars().count() - 4) == att[0],
                "{load} in {text}"
            );
            assert!(text.contains(&format!(" {}", l.waiting)), "{text}");
            if l.diagnostics > 0 {
                assert!(
                    text.contains(&format!("◆{} ", l.diagnostics))
                        || text.contains(&format!("◆{}│", l.diagnostics)),
                    "{text}"
                );
            }
        }
        let (tl, tc) = m
            .derived
            .loads
            .iter()
            .fold((0, 0), |a, l| (a.0 + l.load, a.1 + l.capacity));
        let tw: u32 = m.derived.loads.iter().map(|l| l.waiting).sum();
        let total: String = rows.last().unwrap().iter().collect();
        assert!(total.contains(&format!("{tl}/{tc}  att. {tw}")), "{total}");
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
    // The dashboard's panel: the first alerts due, each cut to its line.
    let m = model();
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&m, w, h);
        // Lines of the panel that show an alert: `│! … │` at the right.
        let panel: Vec<&str> = screen
            .lines()
            .filter_map(|l| l.rfind("│! ").map(|p| &l[p + "│".len()..]))
            .filter_map(|r| r.strip_suffix('│'))
            .filter(|r| !r.contains("en retard"))
            .collect();
        assert!(!panel.is_empty(), "{screen}");
        assert!(panel.iter().any(|r| r.contains('…')), "{screen}");
    }
}

#[test]
fn help_stops_at_its_last_line_and_says_when_there_is_more() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut m = model();
        press(&mut m, &["a", "?"]);
        // Drawn after every key, as the application does.
        let first = render(&m, w, h);
        assert!(first.contains("encore"), "{first}");
        let mut last = first.clone();
        let mut moves = 0;
        loop {
            press(&mut m, &["j"]);
            let s = render(&m, w, h);
            if s == last {
                break;
            }
            last = s;
            moves += 1;
            assert!(moves < 500, "the help never stops");
        }
        assert!(moves > 0);
        // The end: the last key of the last mode on the box's last row,
        // no "more" any longer.
        assert!(last.contains("fin de l'aide"), "{last}");
        assert!(!last.contains("encore"), "{last}");
        let rows: Vec<&str> = last.lines().collect();
        let bottom = rows
            .iter()
            .rposition(|l| l.contains("fin de l'aide"))
            .unwrap();
        let above = rows[bottom - 1].trim_end().trim_end_matches('│').trim();
        assert!(
            !above.is_empty(),
            "the last row is a key, not a blank: {last}"
        );
        // More downs change nothing; one up moves at once.
        press(&mut m, &["j", "j", "j"]);
        assert_eq!(render(&m, w, h), last);
        press(&mut m, &["k"]);
        let up = render(&m, w, h);
        assert_ne!(up, last);
        assert!(up.contains("encore 1 ligne "), "{up}");
        // Home and End jump.
        press(&mut m, &["<End>"]);
        assert_eq!(render(&m, w, h), last);
        press(&mut m, &["<Home>"]);
        assert_eq!(render(&m, w, h), first);
    }
}
