//! Typing: the cursor of the forms' text fields (← → Début Fin Suppr,
//! Ctrl-A Ctrl-E), long values that scroll to the cursor, the terminal
//! cursor where the typing goes, bracketed paste (one message), the review
//! editor (wraps, opens at the end), and wide characters (emoji, CJK,
//! combining accents) that never break a box's border.

use assll::app::sample::{press, sample_model, status, type_text};
use assll::app::{Form, MemoryPersist, Model, Msg, Overlay, Screen, update};
use assll::ui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

fn setup() -> Model {
    sample_model(Box::new(MemoryPersist::default()))
}

/// The form on screen: the overlay's, else the new referral's.
fn form(m: &Model) -> &Form {
    match &m.overlay {
        Some(Overlay::Form(f)) => f,
        _ => m.referral_form.as_ref().expect("a form is open"),
    }
}

fn paste(m: &mut Model, text: &str) {
    // One message, and nothing follows it: one update, so one redraw.
    assert!(update(m, Msg::Paste(text.to_string())).is_none());
}

/// The frame as the terminal gets it (through ratatui's diff, as a real
/// terminal would), its rows as text, and the terminal cursor if shown.
struct Drawn {
    buf: Buffer,
    rows: Vec<String>,
    cursor: Option<(u16, u16)>,
}

fn draw(m: &Model, w: u16, h: u16) -> Drawn {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| view(m, f)).unwrap();
    let backend = term.backend();
    let buf = backend.buffer().clone();
    let rows = (0..h)
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < w {
                let s = buf[(x, y)].symbol();
                line.push_str(s);
                x += (s.width() as u16).max(1);
            }
            line
        })
        .collect();
    let cursor = backend.cursor_visible().then(|| {
        let p = backend.cursor_position();
        (p.x, p.y)
    });
    Drawn { buf, rows, cursor }
}

/// The box whose top-left corner is the `n`-th `┌` found scanning rows:
/// (left, top, right, bottom) in cells.
fn find_box(buf: &Buffer, title: &str) -> (u16, u16, u16, u16) {
    let a = buf.area;
    for y in a.top()..a.bottom() {
        for x in a.left()..a.right() {
            if buf[(x, y)].symbol() != "┌" {
                continue;
            }
            let mut row = String::new();
            let mut r = x + 1;
            while r < a.right() && buf[(r, y)].symbol() != "┐" {
                row.push_str(buf[(r, y)].symbol());
                r += 1;
            }
            if !row.contains(title) || r == a.right() {
                continue;
            }
            let mut b = y + 1;
            while b < a.bottom() && buf[(x, b)].symbol() != "└" {
                b += 1;
            }
            return (x, y, r, b);
        }
    }
    panic!("no box titled {title:?}");
}

/// Both side borders of the box are whole on every row, and no wide
/// character anywhere covers a cell that holds something else.
fn assert_borders_whole(d: &Drawn, title: &str) {
    let (l, t, r, b) = find_box(&d.buf, title);
    assert!(b > t + 1, "box {title:?} has no inside");
    for y in t + 1..b {
        for x in [l, r] {
            assert_eq!(
                d.buf[(x, y)].symbol(),
                "│",
                "border of {title:?} broken at ({x}, {y}):\n{}",
                d.rows.join("\n")
            );
        }
    }
    let a = d.buf.area;
    for y in a.top()..a.bottom() {
        for x in a.left()..a.right() {
            let w = d.buf[(x, y)].symbol().width() as u16;
            for cx in x + 1..x + w {
                assert!(cx < a.right(), "wide char cut by the edge at ({x}, {y})");
                assert_eq!(
                    d.buf[(cx, y)].symbol(),
                    " ",
                    "wide char at ({x}, {y}) covers ({cx}, {y}):\n{}",
                    d.rows.join("\n")
                );
            }
        }
    }
}

#[test]
fn text_fields_edit_at_the_cursor() {
    let mut m = setup();
    press(&mut m, &["c", "<Tab>"]); // Nom
    type_text(&mut m, "Hélne");
    press(&mut m, &["<Left>", "<Left>"]);
    type_text(&mut m, "è");
    assert_eq!(form(&m).text("last_name"), "Hélène");
    // Début, Suppr: the first letter goes; typed text goes at the start.
    press(&mut m, &["<Home>", "<Delete>"]);
    type_text(&mut m, "M");
    assert_eq!(form(&m).text("last_name"), "Mélène");
    // Fin then Retour arrière; Suppr at the end does nothing.
    press(&mut m, &["<End>", "<Backspace>", "<Delete>"]);
    assert_eq!(form(&m).text("last_name"), "Mélèn");
    // Ctrl-A, →, Suppr: the accented letter goes whole.
    press(&mut m, &["<C-a>", "<Right>", "<Delete>"]);
    assert_eq!(form(&m).text("last_name"), "Mlèn");
    // Ctrl-E: typing goes at the end again.
    press(&mut m, &["<C-e>"]);
    type_text(&mut m, "e");
    assert_eq!(form(&m).text("last_name"), "Mlène");
    // A combining accent typed after its letter is one character for the
    // cursor: ← jumps over both, Retour arrière removes both.
    type_text(&mut m, "e\u{301}");
    press(&mut m, &["<Left>"]);
    type_text(&mut m, "-");
    assert_eq!(form(&m).text("last_name"), "Mlène-e\u{301}");
    press(&mut m, &["<End>", "<Backspace>"]);
    assert_eq!(form(&m).text("last_name"), "Mlène-");
    // ← → still step a choice; Tab / ↓ still move between fields.
    press(&mut m, &["<Down>", "<Tab>", "<Tab>"]); // Secteur
    let before = form(&m).choice("sector");
    press(&mut m, &["<Right>"]);
    assert_eq!(form(&m).choice("sector"), before + 1);
    assert_eq!(form(&m).text("last_name"), "Mlène-");
}

#[test]
fn a_prefilled_date_is_erased_from_the_end_and_edited_in_the_middle() {
    let mut m = setup();
    press(&mut m, &["m", "<Tab>", "<Tab>", "<Tab>", "<Enter>", "r"]);
    assert_eq!(form(&m).text("date"), "27/11/2026");
    // The cursor opens at the end: the day is changed without retyping.
    for _ in 0..8 {
        press(&mut m, &["<Left>"]);
    }
    press(&mut m, &["<Backspace>"]);
    type_text(&mut m, "6");
    assert_eq!(form(&m).text("date"), "26/11/2026");
}

#[test]
fn a_long_value_scrolls_so_that_the_cursor_stays_in_view() {
    let mut m = setup();
    press(&mut m, &["c", "<S-Tab>"]); // Note, the last field
    let long: String = (1..=40).map(|i| format!("mot{i} ")).collect();
    type_text(&mut m, long.trim_end());
    let d = draw(&m, 80, 24);
    let y = d.rows.iter().position(|r| r.contains("Note")).unwrap();
    let row = &d.rows[y];
    assert!(row.contains("mot40"), "{row}");
    assert!(row.contains('…') && !row.contains("mot1 "), "{row}");
    assert!(row.ends_with('│'), "{row}");
    // The terminal cursor is right after the last character.
    let (cx, cy) = d.cursor.expect("cursor shown in a text field");
    assert_eq!(cy as usize, y);
    let col_after = |row: &str, text: &str| {
        let i = row.find(text).unwrap() + text.len();
        row[..i].width() as u16
    };
    assert_eq!(cx, col_after(row, "mot40"));
    // Début: the start is shown, the rest cut with …, the cursor on « m ».
    press(&mut m, &["<Home>"]);
    let d = draw(&m, 80, 24);
    let row = &d.rows[y];
    assert!(row.contains("mot1 mot2") && !row.contains("mot40"), "{row}");
    assert!(row.contains('…'), "{row}");
    assert_eq!(d.cursor, Some((col_after(row, "mot1") - 4, y as u16)));
    // Moving right along the value keeps the cursor inside the box.
    for _ in 0..long.chars().count() {
        press(&mut m, &["<Right>"]);
        let d = draw(&m, 80, 24);
        let (cx, _) = d.cursor.unwrap();
        assert!(cx < 79, "cursor at {cx} on the border");
    }
    // A field without focus shows its start (the form, taller than 24
    // rows, is back at its first field: drawn at 40 rows).
    press(&mut m, &["<Tab>"]);
    let d = draw(&m, 80, 40);
    let y = d.rows.iter().position(|r| r.contains("Note")).unwrap();
    assert!(d.rows[y].contains("mot1 mot2"), "{}", d.rows[y]);
    assert_ne!(d.cursor.map(|c| c.1), Some(y as u16));
}

#[test]
fn the_cursor_is_hidden_where_nothing_is_typed() {
    let mut m = setup();
    assert_eq!(draw(&m, 80, 24).cursor, None);
    press(&mut m, &["c"]);
    assert!(draw(&m, 80, 24).cursor.is_some());
    press(&mut m, &["<Tab>", "<Tab>", "<Tab>", "<Tab>"]); // Secteur: a choice
    assert_eq!(draw(&m, 80, 24).cursor, None);
}

#[test]
fn wide_and_zero_width_characters_keep_the_form_borders_whole() {
    let mut m = setup();
    press(&mut m, &["c", "<Tab>"]);
    // Emoji (one of them joined by ZWJ, one with VS16), CJK, combining
    // accents, zero-width space: in every text field, some long enough to
    // scroll.
    let samples = [
        "王小明😀👨\u{200d}👩\u{200d}👧",
        "Zoé\u{301}\u{200b}❤\u{fe0f}漢字かな",
        "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
    ];
    for s in samples {
        type_text(&mut m, s);
        press(&mut m, &["<Tab>"]);
    }
    press(&mut m, &["<S-Tab>"]); // Commune: the row of emoji
    for size in [(80, 24), (60, 16), (120, 40)] {
        // Each cursor position along it: both parities of the emoji.
        press(&mut m, &["<Home>"]);
        for _ in 0..=36 {
            let d = draw(&m, size.0, size.1);
            assert_borders_whole(&d, "Nouvelle commande");
            let (cx, _) = d.cursor.unwrap();
            assert!(cx < size.0 - 1);
            press(&mut m, &["<Right>"]);
        }
    }
    assert_eq!(form(&m).text("last_name"), samples[0]);
    assert_eq!(form(&m).text("commune"), samples[2]);
}

#[test]
fn wide_characters_under_a_box_do_not_break_its_borders() {
    let mut m = setup();
    press(&mut m, &["m", "<Tab>", "<Tab>", "<Tab>", "<Enter>"]);
    let Screen::Household {
        reference: Some(r), ..
    } = m.screen
    else {
        panic!("no file open")
    };
    // Checked facts, the review and notes of emoji, at both parities: they
    // run under the left border of a box drawn over the file.
    let me = m.data_mut().measures.get_mut(&r).unwrap();
    let today = me.start.unwrap();
    for i in 0..12 {
        let lead = if i % 2 == 1 { "x" } else { "" };
        me.checked_facts.push(assll::domain::measure::CheckedFact {
            label: format!("{lead}{i}{}", "😀".repeat(30)),
            value: "漢字".repeat(10),
            checked_on: today,
        });
        let mut e = me.events[0].clone();
        e.note = format!("{lead}{}", "😀".repeat(60));
        me.events.push(e);
    }
    me.review.text = format!("x{}", "王".repeat(80));
    m.refresh();
    for scroll in 0..16 {
        m.household_scroll = scroll;
        for (key, title) in [
            ("J", "Protection judiciaire"),
            ("r", "Contact ou rencontre"),
            ("b", "Bilan de la mesure"),
        ] {
            press(&mut m, &[key]);
            for (w, h) in [(80, 24), (120, 40)] {
                assert_borders_whole(&draw(&m, w, h), title);
            }
            press(&mut m, &["<Esc>"]);
            assert!(m.overlay.is_none(), "{title} still open");
        }
    }
}

#[test]
fn a_paste_goes_whole_into_the_field_at_its_cursor_on_one_line() {
    let mut m = setup();
    press(&mut m, &["c", "<Tab>"]);
    type_text(&mut m, "Dupont");
    press(&mut m, &["<Home>"]);
    paste(&mut m, "Jean\r\nMarie\t\u{1b}[31m");
    assert_eq!(form(&m).text("last_name"), "Jean Marie [31mDupont");
    // The cursor is after the paste.
    type_text(&mut m, "·");
    assert_eq!(form(&m).text("last_name"), "Jean Marie [31m·Dupont");
    // A newline in a paste is not Enter: nothing was submitted.
    assert_eq!(m.screen, Screen::NewReferral);
    // A paste on a choice changes nothing, and says so.
    press(&mut m, &["<Tab>", "<Tab>", "<Tab>"]);
    let before = form(&m).clone();
    paste(&mut m, "Cognac");
    assert_eq!(form(&m), &before);
    assert!(status(&m).contains("Rien n'est collé"), "{}", status(&m));
}

#[test]
fn a_paste_on_a_list_is_not_taken_for_keys() {
    let mut m = setup();
    press(&mut m, &["a"]);
    let cursor = m.waiting_cursor;
    paste(&mut m, "jjjq\n");
    assert!(!m.quit);
    assert_eq!(m.screen, Screen::Waiting);
    assert_eq!(m.waiting_cursor, cursor);
    // In the filter it is text.
    press(&mut m, &["/"]);
    paste(&mut m, "Mar\ntin");
    assert_eq!(m.filter, "Mar tin");
}

#[test]
fn a_paste_in_the_review_keeps_its_lines() {
    let mut m = setup();
    press(&mut m, &["m", "<Tab>", "<Tab>", "<Tab>", "<Enter>", "b"]);
    paste(&mut m, "Loyer repris.\r\nDette : 1 240 €.\rÀ suivre\u{7}.");
    let Some(Overlay::Editor(ed)) = &m.overlay else {
        panic!("editor closed")
    };
    assert_eq!(ed.text(), "Loyer repris.\nDette : 1 240 €.\nÀ suivre.");
}

#[test]
fn the_review_opens_at_its_end_and_wraps_long_lines() {
    let mut m = setup();
    press(&mut m, &["m", "<Tab>", "<Tab>", "<Tab>", "<Enter>"]);
    let Screen::Household {
        reference: Some(r), ..
    } = m.screen
    else {
        panic!("no file open")
    };
    let long: String = (1..=60).map(|i| format!("mot{i} ")).collect();
    let text = format!("Première ligne.\n{}", long.trim_end());
    m.data_mut().measures.get_mut(&r).unwrap().review.text = text.clone();
    m.refresh();
    press(&mut m, &["b"]);
    type_text(&mut m, " Suite.");
    let Some(Overlay::Editor(ed)) = &m.overlay else {
        panic!("editor closed")
    };
    assert_eq!(ed.text(), format!("{text} Suite."));
    // Every word is on screen, inside the box: wrapped, not cut.
    let d = draw(&m, 80, 24);
    assert_borders_whole(&d, "Bilan de la mesure");
    let (l, t, rgt, b) = find_box(&d.buf, "Bilan de la mesure");
    let inside: String = (t + 1..b)
        .map(|y| {
            (l + 1..rgt)
                .map(|x| d.buf[(x, y)].symbol().to_string())
                .collect::<String>()
                + " "
        })
        .collect();
    let words: Vec<&str> = inside.split_whitespace().collect();
    for i in 1..=60 {
        assert!(
            words.contains(&format!("mot{i}").as_str()),
            "mot{i}:\n{}",
            d.rows.join("\n")
        );
    }
    assert!(words.contains(&"Suite."), "{inside}");
}

#[test]
fn a_paste_in_the_meeting_goes_into_the_reason_being_typed() {
    let mut m = setup();
    m.data = std::sync::Arc::new(assll::demo::generate(m.today, 120, 1));
    m.refresh();
    press(&mut m, &["S", "<Space>", "<Enter>"]);
    assert_eq!(m.screen, Screen::Seance);
    let before = m.seance.as_ref().unwrap().index;
    // Not typing: a paste is not keys (« l » would be the next situation).
    paste(&mut m, "lll");
    assert_eq!(m.seance.as_ref().unwrap().index, before);
    press(&mut m, &["p"]);
    type_text(&mut m, "attente ");
    paste(&mut m, "du\ndiagnostic");
    assert_eq!(
        m.seance.as_ref().unwrap().input,
        assll::app::seance::Input::Postpone("attente du diagnostic".into())
    );
}
