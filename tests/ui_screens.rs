//! Every screen rendered into a TestBackend: insta snapshots at 80×24 and
//! 120×40 from the demo data at a fixed date, and a size sweep (0×0 to
//! 300×100) that must never panic.

mod screens;

use assll::app::Model;
use assll::app::sample::{press, type_text};
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
    // The ASCII marks are wider: the last column is cut, with its mark.
    assert!(s.contains("Accès+Mainti.\n"), "{s}");
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

/// Every box that asks something, reached by keys: its title and what
/// answers it (the line being typed, the choices, the keys).
fn prompts() -> Vec<(&'static str, Model, Vec<&'static str>)> {
    let household = ["m", "<Tab>", "<Tab>", "<Tab>", "<Enter>"];
    let at = |keys: &[&str], text: &str| {
        let mut m = model();
        press(&mut m, keys);
        type_text(&mut m, text);
        m
    };
    fn with(first: &[&'static str], then: &[&'static str]) -> Vec<&'static str> {
        [first, then].concat()
    }
    let mut v = vec![
        (
            "non mise en place",
            at(&["a", "n"], "parti sans laisser d'adresse"),
            vec!["non mise en place", "Motif parti sans laisser d'adresse"],
        ),
        (
            "start: worker",
            at(&["a", "d"], ""),
            vec!["Démarrer 2026-0112", "▶ Mme Laurent"],
        ),
        (
            "start: over capacity",
            at(&["a", "l", "d", "<Enter>"], ""),
            vec![
                "Au-delà de la capacité",
                "Démarrer quand même",
                "oui",
                "non",
            ],
        ),
        (
            "move to a sector",
            at(&["a", "s"], ""),
            vec!["2026-0112", "▶ "],
        ),
        (
            "judicial protection",
            at(&with(&household, &["J"]), ""),
            vec!["Protection judiciaire", "(R-ELIG-2)", "oui", "non"],
        ),
        (
            "contract",
            at(&with(&household, &["o"]), ""),
            vec!["Contrat · 2026-0094", "Date", "Motif (sans contrat)"],
        ),
        (
            "MASP",
            at(&with(&household, &["p"]), ""),
            vec!["MASP niveau 1", "Date"],
        ),
        (
            "checked fact",
            at(&with(&household, &["f"]), ""),
            vec!["Fait vérifié", "Valeur", "Vérifié le"],
        ),
        (
            "contact",
            at(&with(&household, &["r"]), ""),
            vec!["Contact ou rencontre", "▶ "],
        ),
        (
            "review",
            at(&with(&household, &["b"]), "Dossier FSL déposé."),
            vec!["Bilan de la mesure 2026-0094", "Dossier FSL déposé."],
        ),
        (
            "GTS: move",
            at(&["g", "d"], ""),
            vec!["Déplacer le GTS de décembre 2026", "17/12/2026", "Motif"],
        ),
        (
            "GTS: cancel",
            at(&["g", "n"], ""),
            vec!["Annuler le GTS de décembre 2026", "Motif"],
        ),
        (
            "GTS: add a situation",
            at(&["g", "<Enter>", "+"], "2026-0001"),
            vec!["Ajouter une situation", "2026-0001", "Motif"],
        ),
        (
            "GTS: remove a situation",
            at(&["g", "<Enter>", "-"], ""),
            vec!["de l'ordre du jour", "Motif"],
        ),
        (
            "séance: a person's name",
            at(&["S", "G", "n"], "Mme Dumas"),
            vec![
                "Ajouter une personne présente",
                "Nom de la personne : Mme Dumas_",
                "Entrée puis son organisme",
                "Échap abandonner",
                "▶ [ ] absent·e   Mme Ménard", // the selected row stays in view
            ],
        ),
        (
            "séance: naming a representative",
            at(&["S", "<Down>", "<Down>", "e"], "Mme Colin"),
            vec![
                "Nommer la personne présente",
                "Mme Colin_",
                "Entrée valider",
            ],
        ),
        (
            "séance: close during attendance",
            at(&["S", "G", "F"], ""),
            vec![
                "Clôturer la séance",
                "procès-verbal",
                "o oui, clôturer",
                "n ou Échap non",
            ],
        ),
        (
            "séance: close",
            at(&["S", "<Enter>", "F"], ""),
            vec!["Clôturer la séance", "o oui, clôturer", "n ou Échap non"],
        ),
        (
            "séance: postpone",
            at(&["S", "<Enter>", "p"], "bilan non transmis"),
            vec![
                "Report au GTS suivant",
                "Motif du report : bilan non transmis_",
                "Entrée valider",
            ],
        ),
        (
            "séance: renew",
            at(&["S", "<Enter>", "r"], ""),
            vec!["Renouvellement", "Tapez 1 à 6", "Échap abandonner"],
        ),
        (
            "séance: colleague",
            at(&["S", "<Enter>", "c"], "Mme Hébert"),
            vec![
                "Présentée par un·e collègue",
                "Mme Hébert_",
                "Entrée valider",
            ],
        ),
    ];
    // Starting where no worker is attached: the note says so, whole.
    let mut m = model();
    let first = m.sector;
    for w in m.data_mut().workers.values_mut() {
        w.sectors.retain(|s| *s != first);
    }
    m.refresh();
    press(&mut m, &["a", "d"]);
    v.push((
        "start: no worker in the sector",
        m,
        vec![
            "Aucun·e TS rattaché·e à Ruffécois",
            "toutes et tous sont proposés",
            "▶ ",
        ],
    ));
    // Discarding: a typed form, then Esc.
    let mut m = at(&with(&household, &["f"]), "Dette");
    press(&mut m, &["<Esc>"]);
    v.push((
        "discard",
        m,
        vec!["Abandonner ?", "L'abandonner ?", "oui", "non"],
    ));
    // The organisation, after the name.
    let mut m = at(&["S", "n"], "Mme Dumas");
    press(&mut m, &["<Enter>"]);
    type_text(&mut m, "CAF");
    v.push((
        "séance: organisation",
        m,
        vec!["Organisme de Mme Dumas : CAF_", "Entrée ajouter"],
    ));
    // Closing on a situation too long for the screen (a long review):
    // « Terminal trop petit » is drawn, the question over it.
    let mut m = at(&["S", "<Enter>"], "");
    let r = m.seance.as_ref().unwrap().current().unwrap();
    let review = "Une ligne du bilan, assez longue pour en faire deux ou trois.\n".repeat(40);
    m.data_mut().measures.get_mut(&r).unwrap().review.text = review;
    assert!(screens::render(&m, 160, 45).contains("Agrandissez"));
    press(&mut m, &["F"]);
    v.push((
        "séance: close over « trop petit »",
        m,
        vec!["Clôturer la séance", "o oui, clôturer", "n ou Échap non"],
    ));
    // Start-up messages longer than the screen.
    let mut m = model();
    let long: Vec<String> = (1..=40)
        .map(|i| format!("Enregistrement abîmé n° {i} : ménage illisible, ignoré à l'ouverture ; lancez assll check pour le détail."))
        .collect();
    m.show_issues(&[], &long);
    v.push((
        "start-up messages",
        m,
        vec!["Au démarrage", "Entrée pour continuer"],
    ));
    v
}

#[test]
fn every_prompt_and_box_is_whole_at_80x24_and_larger() {
    let mut missing = Vec::new();
    for (name, m, expected) in prompts() {
        for (w, h) in [(80, 24), (120, 40), (160, 45)] {
            let s = render(&m, w, h);
            for e in &expected {
                if !s.contains(e) {
                    missing.push(format!("{name} at {w}×{h}: {e:?} not on screen:\n{s}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// A character a terminal without Unicode shows: ASCII, or a letter of
/// French (accented letters are letters of people's and places' names, in
/// every console font; the application does not strip them).
fn ascii_or_french_letter(c: char) -> bool {
    matches!(c, ' '..='~')
        || (('\u{c0}'..='\u{ff}').contains(&c) && c != '×' && c != '÷')
        || matches!(c, 'Œ' | 'œ' | 'Ÿ')
}

#[test]
fn ascii_mode_draws_every_screen_and_box_in_ascii() {
    let mut cases: Vec<(&str, Model)> = screens();
    cases.extend(prompts().into_iter().map(|(n, m, _)| (n, m)));
    // The meeting's other states: privacy, capacity panel, a decision.
    for (name, keys) in [
        (
            "séance: privacy and capacity",
            vec!["S", "<Enter>", "P", "k"],
        ),
        ("séance: decided", vec!["S", "<Enter>", "r", "3", "l", "p"]),
    ] {
        let mut m = model();
        press(&mut m, &keys);
        cases.push((name, m));
    }
    // Data with typographic marks of its own.
    let mut m = model();
    press(&mut m, &["a"]);
    let r = assll::app::visible_waiting(&m)[0];
    let h = m.data.referrals[&r].household;
    m.data_mut().households.get_mut(&h).unwrap().last_name = "D’Œuvray — “dit” Ñoño".into();
    m.refresh();
    cases.push(("data with its own symbols", m));

    let mut bad = Vec::new();
    for (name, mut m) in cases {
        m.config.unicode = false;
        for (w, h) in [(80, 24), (120, 40), (160, 45)] {
            let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
            term.draw(|f| view(&m, f)).unwrap();
            let buf = term.backend().buffer();
            for y in 0..h {
                for x in 0..w {
                    let sym = buf[(x, y)].symbol();
                    if !sym.chars().all(ascii_or_french_letter) {
                        bad.push(format!("{name} {w}×{h} ({x},{y}): {sym:?}"));
                    }
                }
            }
            if (w, h) == (80, 24) && bad.len() > 40 {
                break;
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} cells:\n{}",
        bad.len(),
        bad[..bad.len().min(40)].join("\n")
    );
    // Borders are ASCII, letters keep their accents.
    let mut m = model();
    m.config.unicode = false;
    let s = render(&m, 80, 24);
    assert!(s.contains("+Charge par circonscription---"), "{s}");
    assert!(s.contains("|Ruffécois"), "{s}");
    press(&mut m, &["a", "n"]);
    let s = render(&m, 80, 24);
    assert!(s.contains("| > Motif") || s.contains("|> Motif"), "{s}");
}
