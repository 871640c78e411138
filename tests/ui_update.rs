//! update() driven by keys, as a user would: triage (start, R-ELIG-2
//! refusal, capacity warning, move sector, not started, undo), the
//! household file's forms, the new referral form, filters.

use assll::app::sample::{press, sample_model, status, type_text};
use assll::app::{MemoryPersist, Model, Overlay, Screen, StatusKind, visible_waiting};
use assll::domain::{EventKind, MeasureStatus, Record, SectorId};
use std::sync::Arc;

fn setup() -> (Model, Arc<MemoryPersist>) {
    let p = Arc::new(MemoryPersist::default());
    let m = sample_model(Box::new(Arc::clone(&p)));
    (m, p)
}

const COGNAC: [&str; 6] = ["a", "<Tab>", "<Tab>", "<Tab>", "<Tab>", "<Tab>"];

#[test]
fn start_measure_commits_then_says_saved_with_the_new_load() {
    let (mut m, p) = setup();
    press(&mut m, &COGNAC);
    assert_eq!(m.sector, SectorId(6));
    let first = visible_waiting(&m)[0];
    press(&mut m, &["d"]);
    assert!(matches!(m.overlay, Some(Overlay::Pick(_))));
    press(&mut m, &["<Enter>"]);
    assert_eq!(
        status(&m),
        format!("Enregistré ✓ — mesure {first} démarrée, Cognac 25/30")
    );
    assert_eq!(p.changes.lock().unwrap().len(), 1);
    let me = &m.data.measures[&first];
    assert_eq!(me.status, MeasureStatus::InProgress);
    assert_eq!(me.start, Some(m.today));
    assert!(!visible_waiting(&m).contains(&first));
    assert_eq!(m.derived.load(SectorId(6)).unwrap().load, 25);
}

#[test]
fn r_elig_2_start_is_refused_under_judicial_protection() {
    let (mut m, p) = setup();
    press(&mut m, &["a", "l"]); // Charente-Limousine
    let pos = visible_waiting(&m)
        .iter()
        .position(|r| {
            let h = m.data.referrals[r].household;
            m.data.households[&h].judicial_protection
        })
        .expect("a protected household waits");
    for _ in 0..pos {
        press(&mut m, &["j"]);
    }
    press(&mut m, &["d"]);
    assert!(m.overlay.is_none());
    let s = m.status.clone().unwrap();
    assert_eq!(s.kind, StatusKind::Error);
    assert!(s.text.contains("R-ELIG-2"), "{}", s.text);
    assert!(p.changes.lock().unwrap().is_empty());
}

#[test]
fn going_over_capacity_asks_before_starting() {
    let (mut m, p) = setup();
    press(&mut m, &["a", "<Tab>", "<Tab>", "<Tab>", "<Tab>"]); // Sud Charente 16/14
    assert_eq!(m.sector, SectorId(5));
    // Find a measure (not a diagnostic, which is not counted in the load).
    let pos = visible_waiting(&m)
        .iter()
        .position(|r| m.data.referrals[r].kind == assll::domain::ReferralKind::Measure)
        .unwrap();
    for _ in 0..pos {
        press(&mut m, &["<Down>"]);
    }
    press(&mut m, &["d", "<Enter>"]);
    match &m.overlay {
        Some(Overlay::Confirm(c)) => assert!(c.message.contains("17/14"), "{}", c.message),
        o => panic!("expected a confirmation, got {o:?}"),
    }
    press(&mut m, &["n"]);
    assert!(p.changes.lock().unwrap().is_empty());
    press(&mut m, &["d", "<Enter>", "o"]);
    // R-REF-5: diagnostics come first in the list: the reason is asked.
    assert!(
        pos > 0,
        "the demo's Sud Charente list starts with diagnostics"
    );
    match &m.overlay {
        Some(Overlay::Form(f)) => {
            assert!(
                f.title.contains(&format!("avant {pos} commande")),
                "{}",
                f.title
            )
        }
        o => panic!("expected the reason form, got {o:?}"),
    }
    press(&mut m, &["<Enter>"]);
    assert!(p.changes.lock().unwrap().is_empty(), "no reason, no start");
    type_text(&mut m, "Expulsion imminente");
    press(&mut m, &["<Enter>"]);
    assert_eq!(p.changes.lock().unwrap().len(), 1);
    assert!(status(&m).contains("Sud Charente 17/14"), "{}", status(&m));
    let started = m
        .data
        .measures
        .values()
        .find(|x| x.out_of_order.is_some())
        .expect("the reason is kept");
    assert_eq!(
        started.out_of_order.as_ref().unwrap().reason,
        "Expulsion imminente"
    );
}

#[test]
fn r_ref_5_the_first_of_a_list_starts_without_a_reason() {
    let (mut m, p) = setup();
    press(&mut m, &["a", "<Tab>", "<Tab>", "<Tab>", "<Tab>"]);
    press(&mut m, &["d", "<Enter>"]);
    if matches!(m.overlay, Some(Overlay::Confirm(_))) {
        press(&mut m, &["o"]);
    }
    assert!(m.overlay.is_none(), "{:?}", m.overlay);
    assert_eq!(p.changes.lock().unwrap().len(), 1);
}

#[test]
fn move_sector_proposes_free_places_first_and_undo_puts_it_back() {
    let (mut m, p) = setup();
    press(&mut m, &COGNAC);
    let r = visible_waiting(&m)[0];
    press(&mut m, &["s"]);
    let Some(Overlay::Pick(pick)) = &m.overlay else {
        panic!("no pick list")
    };
    // R-CAP-3, the domain's order: places left once each sector's own list
    // is served, most first. Cognac is not in the Angoulême pool, so no
    // sector is marked as pooled with it.
    assert_eq!(pick.items[0].label, "Angoulême – Soyaux");
    assert_eq!(
        pick.items[0].detail, "12 libres · aucune attente",
        "{pick:?}"
    );
    assert!(pick.items.iter().all(|i| !i.detail.contains("pool ComAGA")));
    let last = pick.items.last().unwrap();
    assert!(last.detail.starts_with("complet"), "{}", last.detail);
    press(&mut m, &["<Enter>"]);
    assert_eq!(m.data.referrals[&r].sector, SectorId(3));
    assert!(status(&m).contains("déplacée vers Angoulême – Soyaux"));
    press(&mut m, &["u"]);
    assert_eq!(m.data.referrals[&r].sector, SectorId(6));
    assert_eq!(
        status(&m),
        format!("Annulé ✓ — déplacement de {r} vers Angoulême – Soyaux")
    );
    let summaries = p.summaries();
    assert_eq!(summaries.len(), 2);
    assert!(summaries[1].starts_with("annulation : "));
    press(&mut m, &["u"]);
    assert_eq!(status(&m), "Rien à annuler");
}

#[test]
fn undo_of_a_start_is_a_compensating_commit() {
    let (mut m, p) = setup();
    press(&mut m, &COGNAC);
    let r = visible_waiting(&m)[0];
    press(&mut m, &["d", "<Enter>", "u"]);
    assert_eq!(m.data.measures[&r].status, MeasureStatus::Waiting);
    assert_eq!(visible_waiting(&m)[0], r);
    assert_eq!(p.changes.lock().unwrap().len(), 2);
    match &p.last_records()[0] {
        Record::Measure(x) => assert_eq!(x.status, MeasureStatus::Waiting),
        other => panic!("{other:?}"),
    }
    assert!(status(&m).starts_with("Annulé ✓ — démarrage de la mesure"));
}

#[test]
fn not_started_needs_a_reason_shown_next_to_its_field() {
    let (mut m, p) = setup();
    press(&mut m, &COGNAC);
    let r = visible_waiting(&m)[0];
    press(&mut m, &["n", "<Enter>"]);
    let Some(Overlay::Form(f)) = &m.overlay else {
        panic!()
    };
    assert_eq!(f.fields[0].error.as_deref(), Some("Motif obligatoire"));
    type_text(&mut m, "Déménagé hors département");
    press(&mut m, &["<Enter>"]);
    assert!(m.overlay.is_none());
    assert!(matches!(
        &m.data.measures[&r].status,
        MeasureStatus::NotStarted { reason, .. } if reason == "Déménagé hors département"
    ));
    assert_eq!(p.changes.lock().unwrap().len(), 1);
}

#[test]
fn a_failed_commit_changes_nothing_in_memory() {
    let (mut m, p) = setup();
    *p.fail_with.lock().unwrap() = Some("disque plein".into());
    press(&mut m, &COGNAC);
    let r = visible_waiting(&m)[0];
    press(&mut m, &["d", "<Enter>"]);
    assert_eq!(m.data.measures[&r].status, MeasureStatus::Waiting);
    let s = m.status.clone().unwrap();
    assert_eq!(s.kind, StatusKind::Error);
    assert!(s.text.contains("disque plein"));
}

fn open_first_measure(m: &mut Model) {
    press(m, &["m", "<Tab>", "<Tab>", "<Tab>", "<Enter>"]);
    assert!(matches!(m.screen, Screen::Household { .. }));
}

#[test]
fn log_a_home_visit_with_a_french_date_error_first() {
    let (mut m, p) = setup();
    open_first_measure(&mut m);
    let Screen::Household {
        reference: Some(r), ..
    } = m.screen
    else {
        panic!()
    };
    let before = m.data.measures[&r].events.len();
    press(&mut m, &["r"]);
    for _ in 0..10 {
        press(&mut m, &["<Backspace>"]);
    }
    type_text(&mut m, "31/02/2026");
    press(&mut m, &["<Enter>"]);
    let Some(Overlay::Form(f)) = &m.overlay else {
        panic!()
    };
    assert!(f.fields[0].error.as_ref().unwrap().contains("inexistante"));
    for _ in 0..10 {
        press(&mut m, &["<Backspace>"]);
    }
    type_text(&mut m, "26/11/2026");
    // Means: tick the second one.
    press(
        &mut m,
        &[
            "<Tab>", "<Right>", "<Tab>", "<Tab>", "<Right>", "<Space>", "<Tab>",
        ],
    );
    type_text(&mut m, "Logement visité, compteur à relever");
    press(&mut m, &["<C-s>"]);
    assert!(m.overlay.is_none(), "{:?}", m.overlay);
    let me = &m.data.measures[&r];
    assert_eq!(me.events.len(), before + 1);
    let e = me
        .events
        .iter()
        .find(|e| e.note == "Logement visité, compteur à relever")
        .unwrap();
    assert_eq!(e.kind, EventKind::HomeVisit);
    assert_eq!(e.means.len(), 1);
    assert_eq!(e.author, "gip");
    assert!(status(&m).starts_with("Enregistré ✓ — visite à domicile"));
    assert_eq!(p.changes.lock().unwrap().len(), 1);
}

#[test]
fn review_editor_keeps_accented_text() {
    let (mut m, _p) = setup();
    open_first_measure(&mut m);
    let Screen::Household {
        reference: Some(r), ..
    } = m.screen
    else {
        panic!()
    };
    press(&mut m, &["b"]);
    type_text(&mut m, "Élan retrouvé ; ça avance, dette réglée à 80 %.");
    press(&mut m, &["<C-s>"]);
    assert!(m.overlay.is_none());
    assert_eq!(
        m.data.measures[&r].review.text,
        "Élan retrouvé ; ça avance, dette réglée à 80 %."
    );
    assert_eq!(m.data.measures[&r].review.updated, Some(m.today));
}

#[test]
fn leaving_an_edited_form_asks_first() {
    let (mut m, p) = setup();
    open_first_measure(&mut m);
    press(&mut m, &["f"]);
    type_text(&mut m, "Loyer repris");
    press(&mut m, &["<Esc>"]);
    assert!(matches!(m.overlay, Some(Overlay::Confirm(_))));
    press(&mut m, &["n"]); // keep editing
    let Some(Overlay::Form(f)) = &m.overlay else {
        panic!("form lost")
    };
    assert_eq!(f.text("label"), "Loyer repris");
    press(&mut m, &["<Esc>", "o"]);
    assert!(m.overlay.is_none());
    assert!(p.changes.lock().unwrap().is_empty());
}

#[test]
fn judicial_protection_toggle_is_confirmed() {
    let (mut m, p) = setup();
    open_first_measure(&mut m);
    let Screen::Household { household, .. } = m.screen else {
        panic!()
    };
    press(&mut m, &["J"]);
    assert!(matches!(m.overlay, Some(Overlay::Confirm(_))));
    press(&mut m, &["o"]);
    assert!(m.data.households[&household].judicial_protection);
    assert_eq!(p.changes.lock().unwrap().len(), 1);
}

#[test]
fn new_referral_errors_are_french_and_next_to_their_fields() {
    let (mut m, p) = setup();
    press(&mut m, &["c", "<Enter>"]);
    let f = m.referral_form.as_ref().unwrap();
    assert!(
        f.field("last_name")
            .unwrap()
            .error
            .as_ref()
            .unwrap()
            .contains("nom obligatoire")
    );
    assert!(
        f.field("objectives")
            .unwrap()
            .error
            .as_ref()
            .unwrap()
            .contains("R-OBJ")
    );
    // Urgent from the commission: R-REF-6, next to "Urgence".
    let urgent = f.fields.iter().position(|x| x.key == "urgent").unwrap();
    for _ in 0..urgent {
        press(&mut m, &["<Tab>"]);
    }
    press(&mut m, &["<Space>", "<Enter>"]);
    let f = m.referral_form.as_ref().unwrap();
    assert!(
        f.field("urgent")
            .unwrap()
            .error
            .as_ref()
            .unwrap()
            .contains("R-REF-6")
    );
    assert!(p.changes.lock().unwrap().is_empty());
    // Fix everything and save.
    press(&mut m, &["<Space>"]);
    let f = m.referral_form.as_mut().unwrap();
    f.focus = 1;
    type_text(&mut m, "Lefèvre");
    let f = m.referral_form.as_mut().unwrap();
    f.focus = f.fields.iter().position(|x| x.key == "objectives").unwrap();
    press(&mut m, &["<Space>", "<Enter>"]);
    // Lefèvre families are known: said beside the name, nothing saved…
    let f = m.referral_form.as_ref().expect("kept open");
    let said = f.field("last_name").unwrap().error.clone().unwrap();
    assert!(said.starts_with("déjà connu : n° "), "{said}");
    assert!(said.contains("LEFÈVRE"), "{said}");
    assert!(p.changes.lock().unwrap().is_empty());
    // … and a second Enter creates a new household all the same.
    press(&mut m, &["<Enter>"]);
    assert!(m.referral_form.is_none() || !m.referral_form.as_ref().unwrap().has_errors());
    assert_eq!(p.changes.lock().unwrap().len(), 1);
    let recs = p.last_records();
    assert_eq!(recs.len(), 3, "household + referral + measure");
    assert!(status(&m).starts_with("Enregistré ✓ — commande 2026-"));
    assert!(matches!(m.screen, Screen::Household { .. }));
}

#[test]
fn new_referral_commune_is_checked_against_charente_and_keeps_its_insee_code() {
    let (mut m, p) = setup();
    press(&mut m, &["c"]);
    let focus_on = |m: &mut assll::app::Model, key: &str| {
        let f = m.referral_form.as_mut().unwrap();
        f.focus = f.fields.iter().position(|x| x.key == key).unwrap();
    };
    focus_on(&mut m, "last_name");
    type_text(&mut m, "Lefèvre");
    focus_on(&mut m, "objectives");
    press(&mut m, &["<Space>"]);
    focus_on(&mut m, "commune");
    type_text(&mut m, "Bordeaux");
    press(&mut m, &["<Enter>"]);
    let f = m.referral_form.as_ref().unwrap();
    let err = f
        .field("commune")
        .unwrap()
        .error
        .clone()
        .unwrap_or_default();
    assert!(err.contains("commune inconnue en Charente"), "{err}");
    assert!(p.changes.lock().unwrap().is_empty());
    // Accents and case do not matter; the official name and code are kept.
    focus_on(&mut m, "commune");
    for _ in 0.."Bordeaux".len() {
        press(&mut m, &["<Backspace>"]);
    }
    type_text(&mut m, "la couronne");
    press(&mut m, &["<Enter>"]);
    assert_eq!(p.changes.lock().unwrap().len(), 1);
    let h = p
        .last_records()
        .into_iter()
        .find_map(|r| match r {
            assll::domain::Record::Household(h) => Some(h),
            _ => None,
        })
        .unwrap();
    assert_eq!(h.commune, "La Couronne");
    assert_eq!(h.commune_insee, "16113");
}

#[test]
fn filter_as_you_type_and_escape_clears() {
    let (mut m, _p) = setup();
    press(&mut m, &["a", "l"]);
    let all = visible_waiting(&m).len();
    press(&mut m, &["/"]);
    type_text(&mut m, "müll");
    assert_eq!(visible_waiting(&m).len(), 1);
    press(&mut m, &["<Esc>"]);
    assert_eq!(visible_waiting(&m).len(), all);
}

#[test]
fn quit_asks_only_when_something_is_unsaved() {
    let (mut m, _p) = setup();
    press(&mut m, &["c"]);
    type_text(&mut m, "12");
    press(&mut m, &["<Esc>"]);
    assert!(matches!(m.overlay, Some(Overlay::Confirm(_))));
    press(&mut m, &["o"]);
    assert_eq!(m.screen, Screen::Dashboard);
    press(&mut m, &["q"]);
    assert!(m.quit);
}

#[test]
fn terminate_keeps_the_open_form_as_a_draft() {
    let (mut m, _p) = setup();
    press(&mut m, &["c", "<Tab>"]);
    type_text(&mut m, "Benoît");
    let mut msg = Some(assll::app::Msg::Terminate);
    while let Some(x) = msg {
        msg = assll::app::update(&mut m, x);
    }
    assert!(m.quit);
    let draft = m.draft().expect("a draft");
    assert!(draft.contains("Nom : Benoît"), "{draft}");
}

#[test]
fn keymap_problems_are_shown_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keymap.toml");
    std::fs::write(
        &file,
        "[waiting]\nkeymap = [ { on = \"d\", run = \"demarrer\" } ]\n",
    )
    .unwrap();
    let cfg = assll::app::UiConfig {
        keymap_file: Some(file),
        ..Default::default()
    };
    let m = assll::tui::build_model(
        Box::new(MemoryPersist::default()),
        assll::app::sample::sample_dataset(assll::app::sample::sample_today()),
        assll::app::sample::sample_today(),
        "gip".into(),
        cfg,
    );
    match &m.overlay {
        Some(Overlay::Message { lines, .. }) => {
            assert!(lines[0].contains("ligne 2"), "{lines:?}");
            assert!(lines[0].contains("« demarrer » inconnue"));
        }
        o => panic!("{o:?}"),
    }
    // The default `d` still starts a measure.
    let c = assll::keymap::Chord::parse("d").unwrap();
    assert_eq!(
        m.keymap.lookup(assll::keymap::Mode::Waiting, &c),
        Some(assll::keymap::Action::StartMeasure)
    );
}

#[test]
fn dashboard_enter_opens_the_selected_sector_list() {
    let (mut m, _p) = setup();
    press(&mut m, &["j", "j", "<Enter>"]);
    assert_eq!(m.screen, Screen::Waiting);
    assert_eq!(m.sector, SectorId(3));
    press(&mut m, &["<Esc>"]);
    assert_eq!(m.screen, Screen::Dashboard);
}

#[test]
fn measures_cycle_through_the_sector_workers() {
    let (mut m, _p) = setup();
    press(&mut m, &["m", "<Tab>", "<Tab>", "<Tab>"]); // Angoulême – La Couronne
    let all = assll::app::visible_measures(&m).len();
    press(&mut m, &["w"]);
    let w = m.measures_worker.expect("a worker");
    let mine = assll::app::visible_measures(&m);
    assert!(mine.len() < all);
    assert!(mine.iter().all(|r| m.data.measures[r].worker == Some(w)));
    press(&mut m, &["w", "w"]); // two workers, then back to all
    assert_eq!(m.measures_worker, None);
    assert_eq!(assll::app::visible_measures(&m).len(), all);
}

#[test]
fn alerts_filter_by_sector_and_open_the_file() {
    let (mut m, _p) = setup();
    press(&mut m, &["!"]);
    let all = assll::app::visible_alerts(&m).len();
    press(&mut m, &["<Tab>"]);
    assert_eq!(m.alerts_sector, Some(SectorId(1)));
    let some = assll::app::visible_alerts(&m);
    assert!(some.len() < all);
    assert!(
        some.iter()
            .all(|i| m.derived.alerts[*i].sector == Some(SectorId(1)))
    );
    let due: Vec<_> = some.iter().map(|i| m.derived.alerts[*i].due).collect();
    assert!(due.windows(2).all(|w| w[0] <= w[1]), "by due date");
    press(&mut m, &["<Enter>"]);
    assert!(matches!(m.screen, Screen::Household { .. }));
}

#[test]
fn opening_a_household_file_is_a_read_in_the_audit_trail_once_per_opening() {
    let (mut m, p) = setup();
    press(&mut m, &COGNAC);
    press(&mut m, &["<Enter>"]);
    assert!(matches!(m.screen, Screen::Household { .. }));
    // Moving around inside the file is the same reading.
    press(&mut m, &["j", "j"]);
    assert_eq!(p.reads.lock().unwrap().len(), 1);
    let (who, what) = p.reads.lock().unwrap()[0].clone();
    assert_eq!(who, m.who);
    assert!(
        what.starts_with("consultation du dossier du ménage"),
        "{what}"
    );
    // Nothing was written.
    assert!(p.changes.lock().unwrap().is_empty());
    press(&mut m, &["<Esc>", "<Enter>"]);
    assert_eq!(p.reads.lock().unwrap().len(), 2);
}

#[test]
fn undo_acts_only_on_the_screen_where_the_action_was_done() {
    let (mut m, p) = setup();
    press(&mut m, &COGNAC);
    let first = visible_waiting(&m)[0];
    press(&mut m, &["d", "<Enter>"]);
    assert_eq!(m.data.measures[&first].status, MeasureStatus::InProgress);
    // Elsewhere, `u` says where it can be undone, and undoes nothing.
    press(&mut m, &["t", "u"]);
    assert_eq!(m.data.measures[&first].status, MeasureStatus::InProgress);
    assert!(
        status(&m).contains("« Listes d'attente »"),
        "{}",
        status(&m)
    );
    assert_eq!(p.changes.lock().unwrap().len(), 1);
    // Back on the waiting lists, it is undone.
    press(&mut m, &["a", "u"]);
    assert_eq!(m.data.measures[&first].status, MeasureStatus::Waiting);
    assert!(status(&m).starts_with("Annulé ✓"), "{}", status(&m));
}

#[test]
fn r_mes_2_a_contact_has_no_type_in_advance_so_no_home_visit_is_logged_by_accident() {
    let (mut m, p) = setup();
    open_first_measure(&mut m);
    press(&mut m, &["r", "<Enter>"]);
    let Some(Overlay::Form(f)) = &m.overlay else {
        panic!("the form stays open: {:?}", m.status)
    };
    let kind = f.fields.iter().find(|f| f.key == "kind").unwrap();
    assert!(
        kind.error.as_ref().unwrap().contains("type à choisir"),
        "{kind:?}"
    );
    assert!(p.changes.lock().unwrap().is_empty());
    // Chosen, it is saved.
    press(&mut m, &["<Tab>", "<Right>", "<Enter>"]);
    assert!(m.overlay.is_none(), "{:?}", m.overlay);
    assert!(status(&m).contains("visite à domicile"), "{}", status(&m));
}
