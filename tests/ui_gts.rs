//! The GTS screens driven by keys on the demo data, as the GIP would: the
//! calendar (R-GTS-1: 12 sessions, holidays, moving a session), the agenda
//! from draft to final (R-GTS-2..5), the documents; snapshots and a size
//! sweep.

mod screens;

use assll::app::sample::{press, sample_model, sample_today, status, type_text};
use assll::app::{MemoryPersist, Model, Overlay, Screen, StatusKind};
use assll::domain::agenda;
use assll::domain::gts::{Reply, SessionStatus, session_info};
use assll::domain::{Record, Reference};
use chrono::NaiveDate;
use screens::render;
use std::sync::Arc;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The demo data (default size and seed) at the fixed date, saved in memory.
fn setup() -> (Model, Arc<MemoryPersist>) {
    let p = Arc::new(MemoryPersist::default());
    let mut m = sample_model(Box::new(Arc::clone(&p)));
    m.data = Arc::new(assll::demo::generate(
        sample_today(),
        assll::demo::DEFAULT_HOUSEHOLDS,
        assll::demo::DEFAULT_SEED,
    ));
    m.refresh();
    (m, p)
}

/// `g` then Enter: the agenda of the next session (December 2026).
fn open_december(m: &mut Model) {
    press(m, &["g"]);
    assert_eq!(m.screen, Screen::Gts);
    assert_eq!(m.gts.cursor, 11, "the calendar opens on the next session");
    press(m, &["<Enter>"]);
    assert_eq!(
        m.screen,
        Screen::GtsAgenda {
            year: 2026,
            month: 12
        }
    );
}

fn december(m: &Model) -> assll::domain::GtsSession {
    m.data.sessions[&(2026, 12)].clone()
}

fn saved_session(p: &MemoryPersist) -> assll::domain::GtsSession {
    p.last_records()
        .into_iter()
        .find_map(|r| match r {
            Record::Session(s) => Some(s),
            _ => None,
        })
        .expect("the change saves the session record")
}

#[test]
fn g_opens_the_gts_from_everywhere_and_home_still_goes_to_the_top() {
    let (mut m, _) = setup();
    press(&mut m, &["a", "j", "j", "g"]);
    assert_eq!(m.screen, Screen::Gts);
    press(&mut m, &["<Esc>"]);
    assert_eq!(m.screen, Screen::Waiting);
    press(&mut m, &["<Home>"]);
    assert_eq!(m.waiting_cursor, 0);
    press(&mut m, &["t", "g"]);
    assert_eq!(m.screen, Screen::Gts);
}

#[test]
fn r_gts_1_the_calendar_shows_twelve_sessions_and_flags_a_holiday() {
    let (mut m, _) = setup();
    press(&mut m, &["g"]);
    let s = render(&m, 120, 40);
    let rows = |s: &str, year: &str| {
        s.lines()
            .filter(|l| l.starts_with("jeu. ") && l[5..].starts_with(|c: char| c.is_ascii_digit()))
            .filter(|l| l.contains(year))
            .count()
    };
    assert_eq!(rows(&s, "/2026"), 12, "{s}");
    assert!(s.contains("12 séances sur 12"), "{s}");
    // 2030: the third Thursday of August is the 15th, Assomption.
    press(&mut m, &["<Tab>", "<Right>", "l", "<Tab>"]);
    assert_eq!(m.gts.year, 2030);
    let s = render(&m, 120, 40);
    assert_eq!(rows(&s, "/2030"), 12, "{s}");
    let aug = s.lines().find(|l| l.contains("15/08/2030")).unwrap();
    assert!(aug.contains("⚠ Assomption"), "{aug}");
    // At 80 columns the mark stays beside the date, the name below.
    press(&mut m, &["<Home>"]);
    press(&mut m, &["<Down>"; 7]);
    let s = render(&m, 80, 24);
    assert!(s.contains("jeu. 15/08/2030 ⚠"), "{s}");
    assert!(s.contains("jour férié : Assomption"), "{s}");
    press(&mut m, &["<Left>"]);
    assert_eq!(m.gts.year, 2029);
}

#[test]
fn r_gts_1_moving_a_session_to_a_weekend_or_a_holiday_asks_first() {
    let (mut m, p) = setup();
    press(&mut m, &["g", "d"]);
    press(&mut m, &["<Backspace>"; 10]);
    type_text(&mut m, "19/12/2026");
    press(&mut m, &["<Tab>"]);
    type_text(&mut m, "salle indisponible");
    press(&mut m, &["<Enter>"]);
    let Some(Overlay::Confirm(c)) = &m.overlay else {
        panic!("a confirmation is asked: {:?}", m.overlay)
    };
    assert_eq!(
        c.message,
        "Le 19/12/2026 est un samedi : déplacer quand même ?"
    );
    let screen = render(&m, 80, 24);
    assert!(
        screen.contains("est un samedi : déplacer quand"),
        "{screen}"
    );
    // "No": back to the form as typed, nothing saved.
    press(&mut m, &["<Esc>"]);
    let Some(Overlay::Form(f)) = &m.overlay else {
        panic!("the form is back: {:?}", m.overlay)
    };
    assert_eq!(f.text("date"), "19/12/2026");
    assert_eq!(p.changes.lock().unwrap().len(), 0);
    // A holiday says which.
    press(&mut m, &["<BackTab>"]);
    press(&mut m, &["<Backspace>"; 10]);
    type_text(&mut m, "25/12/2026");
    press(&mut m, &["<Enter>"]);
    let Some(Overlay::Confirm(c)) = &m.overlay else {
        panic!("a confirmation is asked: {:?}", m.overlay)
    };
    assert_eq!(
        c.message,
        "Le 25/12/2026 est férié (Noël) : déplacer quand même ?"
    );
    // "Yes": moved.
    press(&mut m, &["<Enter>"]);
    assert!(m.overlay.is_none(), "{:?}", m.overlay);
    assert!(status(&m).starts_with("Enregistré ✓"), "{}", status(&m));
    assert_eq!(december(&m).moved_to, Some(d(2026, 12, 25)));
    assert_eq!(p.changes.lock().unwrap().len(), 1);
}

#[test]
fn r_gts_1_moving_a_session_changes_its_date_and_deadlines_and_is_saved() {
    let (mut m, p) = setup();
    press(&mut m, &["g", "d"]);
    let Some(Overlay::Form(f)) = &m.overlay else {
        panic!("no form")
    };
    assert_eq!(f.text("date"), "17/12/2026");
    press(&mut m, &["<Backspace>"; 10]);
    type_text(&mut m, "10/12/2026");
    press(&mut m, &["<Tab>"]);
    type_text(&mut m, "salle indisponible");
    press(&mut m, &["<Enter>"]);
    assert!(m.overlay.is_none(), "{:?}", m.overlay);
    assert!(status(&m).starts_with("Enregistré ✓"), "{}", status(&m));
    let s = december(&m);
    assert_eq!(s.moved_to, Some(d(2026, 12, 10)));
    assert_eq!(s.status(), SessionStatus::Moved);
    assert_eq!(saved_session(&p), s);
    assert_eq!(p.changes.lock().unwrap().len(), 1);
    let info = session_info(2026, 12, Some(&s));
    assert_eq!(info.deadlines.draft_agenda, d(2026, 11, 25));
    assert_eq!(
        info.deadlines,
        assll::domain::calendar::deadlines(d(2026, 12, 10))
    );
    let screen = render(&m, 80, 24);
    let row = screen
        .lines()
        .find(|l| l.starts_with("jeu. 10/12/2026"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains("→ déplacée"), "{row}");
    // The draft deadline (25/11) has passed: shown late, not silently.
    assert!(row.contains("J+2 !"), "{row}");
    // The dashboard's countdown follows.
    assert_eq!(
        m.derived.next_session.as_ref().unwrap().date,
        d(2026, 12, 10)
    );
}

#[test]
fn a_bad_date_or_no_reason_keeps_the_move_form_open() {
    let (mut m, p) = setup();
    press(
        &mut m,
        &["g", "d", "<Backspace>", "<Backspace>", "<Backspace>"],
    );
    press(&mut m, &["<Enter>"]);
    let Some(Overlay::Form(f)) = &m.overlay else {
        panic!("no form")
    };
    assert!(
        f.field("date")
            .unwrap()
            .error
            .as_ref()
            .unwrap()
            .contains("jj/mm/aaaa")
    );
    type_text(&mut m, "026");
    press(&mut m, &["<Enter>"]);
    assert_eq!(status(&m), "Motif obligatoire");
    assert!(matches!(m.overlay, Some(Overlay::Form(_))));
    assert!(p.changes.lock().unwrap().is_empty());
}

#[test]
fn r_gts_1_cancel_then_restore_a_session_with_a_reason() {
    let (mut m, p) = setup();
    press(&mut m, &["g", "n", "<Enter>"]);
    assert_eq!(status(&m), "Motif obligatoire");
    type_text(&mut m, "grève");
    press(&mut m, &["<Enter>"]);
    assert!(december(&m).cancelled);
    let s = render(&m, 80, 24);
    assert!(s.contains("✗ annulée"), "{s}");
    assert_eq!(
        m.derived.next_session.as_ref().unwrap().date,
        d(2027, 1, 21)
    );
    press(&mut m, &["n"]);
    type_text(&mut m, "grève levée");
    press(&mut m, &["<Enter>"]);
    assert!(!december(&m).cancelled);
    assert!(december(&m).note.contains("rétablie : grève levée"));
    assert_eq!(p.changes.lock().unwrap().len(), 2);
}

#[test]
fn r_gts_2_the_draft_lists_the_measures_due_and_is_not_saved_until_acted_on() {
    let (mut m, p) = setup();
    open_december(&mut m);
    let info = assll::app::gts::info(&m.data, 2026, 12);
    let expected: Vec<Reference> = agenda::draft_agenda(
        &m.data,
        &info,
        agenda::previous_session(&m.data, &info),
        m.today,
    )
    .iter()
    .map(|i| i.reference)
    .collect();
    assert!(expected.len() > 5);
    let shown = assll::app::gts::working_session(&m.data, 2026, 12, m.today);
    let refs: Vec<Reference> = shown.agenda.iter().map(|i| i.reference).collect();
    assert_eq!(refs, expected);
    let s = render(&m, 120, 40);
    assert!(s.contains(&expected[0].to_string()), "{s}");
    assert!(s.contains("brouillon calculé"), "{s}");
    assert!(p.changes.lock().unwrap().is_empty());
    assert!(!m.data.sessions.contains_key(&(2026, 12)));
}

#[test]
fn removing_an_item_needs_a_reason() {
    let (mut m, p) = setup();
    open_december(&mut m);
    let first = assll::app::gts::working_session(&m.data, 2026, 12, m.today).agenda[0].reference;
    press(&mut m, &["-", "<Enter>"]);
    let Some(Overlay::Form(f)) = &m.overlay else {
        panic!("no form")
    };
    assert_eq!(
        f.field("reason").unwrap().error.as_deref(),
        Some("Motif obligatoire")
    );
    assert_eq!(m.status.as_ref().unwrap().kind, StatusKind::Error);
    assert!(p.changes.lock().unwrap().is_empty());
    type_text(&mut m, "déjà vue en novembre");
    press(&mut m, &["<Enter>"]);
    assert!(m.overlay.is_none());
    let s = december(&m);
    assert_eq!(s.agenda[0].reference, first);
    assert_eq!(s.agenda[0].removed.as_deref(), Some("déjà vue en novembre"));
    assert_eq!(saved_session(&p), s);
    // Enter opens the household's file; Esc comes back.
    press(&mut m, &["<Enter>"]);
    assert!(matches!(m.screen, Screen::Household { reference: Some(r), .. } if r == first));
    press(&mut m, &["<Esc>"]);
    assert!(matches!(m.screen, Screen::GtsAgenda { .. }));
    // Removed twice: refused with the rule's message.
    press(&mut m, &["-"]);
    assert_eq!(
        status(&m),
        format!("La situation {first} n'est pas à l'ordre du jour")
    );
}

#[test]
fn the_gip_adds_a_situation_by_reference_with_a_reason() {
    let (mut m, _) = setup();
    open_december(&mut m);
    let shown = assll::app::gts::working_session(&m.data, 2026, 12, m.today);
    let extra = m
        .data
        .measures
        .values()
        .find(|x| x.is_in_progress() && !shown.agenda.iter().any(|i| i.reference == x.reference))
        .unwrap()
        .reference;
    press(&mut m, &["+"]);
    type_text(&mut m, "2026-9999");
    press(&mut m, &["<Tab>"]);
    type_text(&mut m, "demande du bailleur");
    press(&mut m, &["<Enter>"]);
    assert!(status(&m).contains("introuvable"), "{}", status(&m));
    press(&mut m, &["<S-Tab>"]);
    press(&mut m, &["<Backspace>"; 9]);
    type_text(&mut m, &extra.to_string());
    press(&mut m, &["<Enter>"]);
    assert!(m.overlay.is_none(), "{}", status(&m));
    let s = december(&m);
    let item = s.agenda.iter().find(|i| i.reference == extra).unwrap();
    assert_eq!(
        item.reasons,
        vec![assll::domain::gts::AgendaReason::AddedByGip]
    );
    // The cursor is on it, its reason in full under the list.
    let screen = render(&m, 120, 40);
    assert!(
        screen.contains("ajoutée par le GIP : demande du bailleur"),
        "{screen}"
    );
}

#[test]
fn r_gts_3_4_5_send_draft_replies_then_final() {
    let (mut m, p) = setup();
    open_december(&mut m);
    // Out of order: refused with the domain's message.
    press(&mut m, &["f"]);
    assert_eq!(
        status(&m),
        "L'ordre du jour brouillon n'a pas encore été envoyé aux TS (R-GTS-3)"
    );
    press(&mut m, &["n"]);
    assert!(m.overlay.is_none());
    assert!(status(&m).contains("pas encore été envoyé"));
    press(&mut m, &["e"]);
    assert!(
        status(&m).starts_with("Enregistré ✓ — ODJ brouillon"),
        "{}",
        status(&m)
    );
    let s = december(&m);
    assert_eq!(s.draft_sent, Some(m.today));
    let first = s.agenda[0].reference;
    let second = s.agenda[1].reference;
    // Frozen: no more additions.
    press(&mut m, &["+"]);
    assert!(m.overlay.is_none());
    assert!(status(&m).contains("R-GTS-3"), "{}", status(&m));
    press(&mut m, &["e"]);
    assert!(status(&m).contains("figé"), "{}", status(&m));
    // Everyone still has to reply.
    let screen = render(&m, 120, 40);
    assert!(screen.contains("Sans réponse :"), "{screen}");
    // "Will not examine" needs a reason.
    press(&mut m, &["n", "<Enter>"]);
    assert_eq!(status(&m), "Motif obligatoire");
    let changes = p.changes.lock().unwrap().len();
    type_text(&mut m, "hospitalisation");
    press(&mut m, &["<Enter>"]);
    assert!(m.overlay.is_none());
    assert_eq!(p.changes.lock().unwrap().len(), changes + 1);
    let s = december(&m);
    assert!(matches!(
        &s.agenda[0].reply,
        Some((Reply::WillNotExamine { reason }, _)) if reason == "hospitalisation"
    ));
    press(&mut m, &["j", "o"]);
    let s = december(&m);
    assert!(matches!(s.agenda[1].reply, Some((Reply::WillExamine, _))));
    assert_eq!(saved_session(&p), s);
    // A late reply is marked.
    m.today = d(2026, 12, 7);
    press(&mut m, &["j", "o"]);
    let s = december(&m);
    assert!(agenda::reply_is_late(&s, &s.agenda[2]));
    let screen = render(&m, 120, 40);
    let row = screen
        .lines()
        .find(|l| l.contains(&s.agenda[2].reference.to_string()) && l.contains("examinée"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains("! ✓ examinée 07/12"), "{row}");
    // The workers who have not replied are named.
    let missing = agenda::workers_without_reply(&m.data, &s);
    let name = m.data.worker_name(Some(missing[0]));
    assert!(
        screen.contains(&format!("Sans réponse : {name}")),
        "{screen}"
    );
    // The final agenda: frozen, without the item not examined.
    press(&mut m, &["f"]);
    assert!(
        status(&m).starts_with("Enregistré ✓ — ODJ définitif"),
        "{}",
        status(&m)
    );
    let s = december(&m);
    assert_eq!(s.final_sent, Some(d(2026, 12, 7)));
    let fin: Vec<Reference> = agenda::final_agenda(&s)
        .iter()
        .map(|i| i.reference)
        .collect();
    assert!(!fin.contains(&first));
    assert!(fin.contains(&second));
    press(&mut m, &["o"]);
    assert!(status(&m).contains("R-GTS-5"), "{}", status(&m));
    press(&mut m, &["<Esc>"]);
    let screen = render(&m, 80, 24);
    let row = screen
        .lines()
        .find(|l| l.starts_with("jeu. 17/12/2026"))
        .unwrap();
    assert!(row.contains("définitif"), "{row}");
    assert!(row.contains("✓ 27/11"), "{row}");
    assert!(row.contains("✓ 07/12"), "{row}");
}

#[test]
fn r_gts_5_final_agenda_waits_for_the_reply_time_unless_every_reply_is_in() {
    let (mut m, p) = setup();
    open_december(&mut m);
    press(&mut m, &["e"]);
    // Replies missing, reply time running (until Friday 04/12): refused.
    press(&mut m, &["f"]);
    assert!(m.overlay.is_none());
    assert!(
        status(&m).starts_with("Les TS ont jusqu'au 04/12/2026 inclus pour répondre"),
        "{}",
        status(&m)
    );
    assert!(december(&m).final_sent.is_none());
    // Every reply in before the deadline: sending asks first; "no" keeps
    // the agenda as it was.
    let n = december(&m).agenda.len();
    for _ in 0..n {
        press(&mut m, &["o", "j"]);
    }
    assert_eq!(agenda::replies_missing(&december(&m)), 0);
    let changes = p.changes.lock().unwrap().len();
    press(&mut m, &["f"]);
    let Some(Overlay::Confirm(c)) = &m.overlay else {
        panic!("a confirmation is asked: {:?}", m.overlay)
    };
    assert!(
        c.message.contains("avant la fin de leur délai"),
        "{}",
        c.message
    );
    let screen = render(&m, 80, 24);
    assert!(
        screen.contains("Envoyer l'ordre du jour définitif"),
        "{screen}"
    );
    press(&mut m, &["<Esc>"]);
    assert!(m.overlay.is_none());
    assert_eq!(p.changes.lock().unwrap().len(), changes);
    assert!(december(&m).final_sent.is_none());
    press(&mut m, &["f", "<Enter>"]);
    assert!(
        status(&m).starts_with("Enregistré ✓ — ODJ définitif"),
        "{}",
        status(&m)
    );
    assert_eq!(december(&m).final_sent, Some(sample_today()));
}

#[test]
fn r_gts_5_after_the_reply_time_the_final_agenda_goes_without_asking() {
    let (mut m, _) = setup();
    open_december(&mut m);
    press(&mut m, &["e"]);
    // Saturday 05/12: the reply time (to Friday 04/12) has run, replies
    // missing or not.
    m.today = d(2026, 12, 5);
    press(&mut m, &["f"]);
    assert!(m.overlay.is_none());
    assert!(
        status(&m).starts_with("Enregistré ✓ — ODJ définitif"),
        "{}",
        status(&m)
    );
    assert_eq!(december(&m).final_sent, Some(d(2026, 12, 5)));
}

#[test]
fn export_writes_the_draft_then_the_final_agenda() {
    let (mut m, _) = setup();
    let dir = tempfile::tempdir().unwrap();
    m.gts.docs_dir = Some(dir.path().to_path_buf());
    open_december(&mut m);
    press(&mut m, &["x"]);
    let pdf = dir.path().join("odj-brouillon-2026-12.pdf");
    let txt = dir.path().join("odj-brouillon-2026-12.txt");
    assert!(
        status(&m).contains(&pdf.display().to_string()),
        "{}",
        status(&m)
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let text = std::fs::read_to_string(&txt).unwrap();
    let first = assll::app::gts::working_session(&m.data, 2026, 12, m.today).agenda[0].reference;
    assert!(text.contains(&first.to_string()), "{text}");
    press(&mut m, &["e", "n"]);
    type_text(&mut m, "hospitalisation");
    press(&mut m, &["<Enter>"]);
    // R-GTS-5: the final agenda goes once the workers' reply time has run.
    m.today = d(2026, 12, 7);
    press(&mut m, &["f", "x"]);
    let pdf = dir.path().join("odj-definitif-2026-12.pdf");
    let txt = dir.path().join("odj-definitif-2026-12.txt");
    assert!(
        status(&m).contains(&pdf.display().to_string()),
        "{}",
        status(&m)
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let text = std::fs::read_to_string(&txt).unwrap();
    let expected = assll::report::final_agenda_text(&m.data, &december(&m), false);
    assert_eq!(text, expected);
}

#[test]
fn r_gts_9_minutes_marked_sent_for_a_closed_session_only() {
    let (mut m, p) = setup();
    press(&mut m, &["g", "v"]);
    assert_eq!(status(&m), "Le GTS n'est pas encore clôturé");
    press(&mut m, &["k", "v"]);
    assert!(
        status(&m).starts_with("Procès-verbal déjà envoyé le"),
        "{}",
        status(&m)
    );
    assert!(p.changes.lock().unwrap().is_empty());
    // A closed session whose minutes are not sent yet.
    m.data_mut()
        .sessions
        .get_mut(&(2026, 11))
        .unwrap()
        .minutes_sent = None;
    press(&mut m, &["v"]);
    assert!(
        status(&m).starts_with("Enregistré ✓ — PV"),
        "{}",
        status(&m)
    );
    assert_eq!(m.data.sessions[&(2026, 11)].minutes_sent, Some(m.today));
    assert_eq!(saved_session(&p).minutes_sent, Some(m.today));
}

#[test]
fn a_failed_commit_changes_nothing_and_says_so() {
    let (mut m, p) = setup();
    *p.fail_with.lock().unwrap() = Some("disque plein".into());
    open_december(&mut m);
    press(&mut m, &["e"]);
    assert_eq!(status(&m), "Non enregistré : disque plein");
    assert!(!m.data.sessions.contains_key(&(2026, 12)));
}

/// The GTS screens, reached by keys.
fn screens() -> Vec<(&'static str, Model)> {
    let mut v = Vec::new();
    let (mut m, _) = setup();
    press(&mut m, &["g"]);
    v.push(("calendar", m));
    let (mut m, _) = setup();
    open_december(&mut m);
    v.push(("agenda_draft", m));
    let (mut m, _) = setup();
    open_december(&mut m);
    press(&mut m, &["e", "n"]);
    type_text(&mut m, "hospitalisation");
    press(&mut m, &["<Enter>", "j", "o", "j", "-"]);
    v.push(("agenda_replies", m));
    let (mut m, _) = setup();
    press(&mut m, &["g", "<Tab>", "<Tab>", "<Tab>", "<Tab>", "<Home>"]);
    press(&mut m, &["<Down>"; 7]);
    v.push(("calendar_2030", m));
    v
}

#[test]
fn snapshots_80x24_and_120x40() {
    for (name, m) in screens() {
        insta::assert_snapshot!(format!("{name}_80x24"), render(&m, 80, 24));
        insta::assert_snapshot!(format!("{name}_120x40"), render(&m, 120, 40));
    }
}

#[test]
fn size_sweep_never_panics() {
    for (name, m) in screens() {
        for (w, h) in [(0, 0), (1, 1), (20, 5), (60, 16), (80, 24), (300, 100)] {
            let s = render(&m, w, h);
            if (w, h) == (20, 5) {
                assert!(s.contains("Terminal"), "{name} {w}x{h}: {s}");
            }
        }
    }
}

#[test]
fn without_unicode_or_colour_every_state_stays_readable() {
    let (mut m, _) = setup();
    m.config.unicode = false;
    m.config.color = false;
    press(&mut m, &["g"]);
    let glyphs = ['—', '✓', '✗', '●', '→', '⚠', '◀', '·'];
    let s = render(&m, 80, 24);
    assert!(!s.contains(&glyphs[..]), "{s}");
    let nov = s
        .lines()
        .find(|l| l.starts_with("jeu. 19/11/2026"))
        .unwrap();
    assert!(nov.contains("ok 04/11"), "{nov}");
    assert!(nov.contains("ok 20/11"), "{nov}");
    assert!(nov.ends_with("clos"), "{nov}");
    // The closed November session: replies and decisions as words.
    press(&mut m, &["k", "<Enter>"]);
    let s = render(&m, 80, 24);
    assert!(!s.contains(&glyphs[..]), "{s}");
    assert!(s.contains("oui 06/11"), "{s}");
    assert!(s.contains("décision : Renouvellement"), "{s}");
    assert!(s.contains("séance close le 19/11"), "{s}");
}

#[test]
fn r_bil_1_the_household_file_shows_the_reviews_of_past_cycles() {
    let (mut m, _) = setup();
    let r = m
        .data
        .measures
        .values()
        .find(|x| {
            x.is_in_progress()
                && x.kind == assll::domain::ReferralKind::Measure
                && x.renewals.is_empty()
        })
        .map(|x| x.reference)
        .unwrap();
    let me = m.data_mut().measures.get_mut(&r).unwrap();
    me.write_review("Premier cycle : loyer repris.", d(2026, 11, 10))
        .unwrap();
    me.renew(3, d(2026, 11, 19)).unwrap();
    me.write_review("Deuxième cycle : relogement en vue.", d(2026, 11, 25))
        .unwrap();
    m.refresh();
    let household = m.data.measures[&r].household;
    m.screen = Screen::Household {
        household,
        reference: Some(r),
    };
    let screen = render(&m, 120, 40);
    assert!(
        screen.contains("Bilan              Deuxième cycle : relogement en vue."),
        "{screen}"
    );
    assert!(
        screen.contains("Bilan cycle 1      GTS du 19/11/2026 · Premier cycle : loyer"),
        "{screen}"
    );
}

#[test]
fn r_gts_1_after_closing_the_next_gts_moves_on() {
    let (mut m, _) = setup();
    m.today = d(2026, 12, 17);
    m.refresh();
    press(&mut m, &["t"]);
    assert!(render(&m, 80, 24).contains("jeu. 17/12  J "));
    // The December session closed on its day: the January one is next,
    // on the dashboard and on the GTS calendar.
    let of_december = |m: &Model| {
        m.derived
            .alerts
            .iter()
            .filter(|a| a.rule.starts_with("R-GTS-") && a.message.contains("17/12/2026"))
            .count()
    };
    assert!(of_december(&m) > 0, "its agenda still to send");
    let mut dec = assll::app::gts::working_session(&m.data, 2026, 12, m.today);
    agenda::send_draft(&mut dec, d(2026, 12, 1)).unwrap();
    dec.closed = Some(d(2026, 12, 17));
    m.data_mut().sessions.insert((2026, 12), dec);
    m.refresh();
    // Nothing left to prepare for it: no R-GTS-3/4/5 alert (the minutes,
    // R-GTS-9, are due).
    let left: Vec<&str> = m
        .derived
        .alerts
        .iter()
        .filter(|a| a.rule.starts_with("R-GTS-") && a.message.contains("17/12/2026"))
        .map(|a| a.rule)
        .collect();
    assert_eq!(left, vec!["R-GTS-9"]);
    let screen = render(&m, 80, 24);
    assert!(screen.contains("jeu. 21/01  J-35"), "{screen}");
    assert!(!screen.contains("jeu. 17/12  "), "{screen}");
    press(&mut m, &["g"]);
    assert_eq!(
        (m.gts.year, m.gts.cursor),
        (2027, 0),
        "the calendar opens on January"
    );
    let screen = render(&m, 120, 40);
    assert!(screen.contains("prochaine : jeu. 21/01/2027"), "{screen}");
}

/// The dashboard's "Prochain GTS" panel, line by line.
fn gts_panel(m: &Model) -> Vec<String> {
    let screen = render(m, 80, 24);
    screen
        .lines()
        .filter_map(|l| l.split("││").nth(1).or_else(|| l.split("│┌").nth(1)))
        .map(|l| l.trim_end_matches('│').trim_end().to_string())
        .collect()
}

#[test]
fn dashboard_check_mark_means_done_not_date_passed() {
    let (mut m, _) = setup();
    // Saturday 05/12: the draft (02/12) and replies (04/12) dates passed,
    // nothing sent.
    m.today = d(2026, 12, 5);
    m.refresh();
    press(&mut m, &["t"]);
    let panel = gts_panel(&m);
    assert!(
        panel.contains(&"ODJ brouillon 02/12 !".to_string()),
        "{panel:?}"
    );
    assert!(
        panel.contains(&"Réponses TS   04/12 !".to_string()),
        "{panel:?}"
    );
    assert!(
        panel.contains(&"ODJ définitif 09/12".to_string()),
        "{panel:?}"
    );
    assert!(!panel.iter().any(|l| l.contains('✓')), "{panel:?}");
    let wide = render(&m, 120, 40);
    assert!(wide.contains("ODJ brouillon 02/12 ! retard"), "{wide}");
    // The draft sent (late): ✓ beside it; the replies still missing.
    let mut dec = assll::app::gts::working_session(&m.data, 2026, 12, m.today);
    agenda::send_draft(&mut dec, d(2026, 12, 5)).unwrap();
    m.data_mut().sessions.insert((2026, 12), dec.clone());
    m.refresh();
    let panel = gts_panel(&m);
    assert!(
        panel.contains(&"ODJ brouillon 02/12 ✓".to_string()),
        "{panel:?}"
    );
    assert!(
        panel.contains(&"Réponses TS   04/12 !".to_string()),
        "{panel:?}"
    );
    // Every reply in: ✓ beside the replies too.
    let refs: Vec<Reference> = dec.agenda.iter().map(|i| i.reference).collect();
    for r in refs {
        agenda::record_reply(&mut dec, r, Reply::WillExamine, d(2026, 12, 5)).unwrap();
    }
    m.data_mut().sessions.insert((2026, 12), dec);
    m.refresh();
    let panel = gts_panel(&m);
    assert!(
        panel.contains(&"Réponses TS   04/12 ✓".to_string()),
        "{panel:?}"
    );
    assert!(
        panel.contains(&"ODJ définitif 09/12".to_string()),
        "{panel:?}"
    );
}

#[test]
fn the_dashboard_and_the_agenda_count_due_situations_the_same_way() {
    let (mut m, _) = setup();
    let count = |m: &Model| {
        assll::app::gts::situation_count(&assll::app::gts::working_session(
            &m.data, 2026, 12, m.today,
        ))
    };
    let n = count(&m);
    assert_eq!(m.derived.due_at_next, n);
    press(&mut m, &["t"]);
    assert!(render(&m, 80, 24).contains(&format!("{n} situations dues")));
    // The GIP removes one and adds one: both counts follow.
    open_december(&mut m);
    press(&mut m, &["-"]);
    type_text(&mut m, "déménagé");
    press(&mut m, &["<Enter>"]);
    assert_eq!(count(&m), n - 1);
    assert_eq!(m.derived.due_at_next, n - 1);
    // A household put under judicial protection (R-ELIG-2): its measure
    // becomes due; the views' update after the commit counts it as the
    // agenda does.
    let on_agenda = agenda::due_situations(&assll::app::gts::working_session(
        &m.data, 2026, 12, m.today,
    ));
    let household = m
        .data
        .measures
        .values()
        .find(|x| {
            x.is_in_progress()
                && !on_agenda.contains(&x.reference)
                && x.kind == assll::domain::ReferralKind::Measure
        })
        .map(|x| x.household)
        .unwrap();
    m.execute(assll::domain::command::Command::SetJudicialProtection {
        household,
        on: true,
    })
    .unwrap();
    assert_eq!(count(&m), n);
    assert_eq!(m.derived.due_at_next, n);
    let due: std::collections::BTreeSet<Reference> = agenda::due_situations(
        &assll::app::gts::working_session(&m.data, 2026, 12, m.today),
    )
    .into_iter()
    .collect();
    assert_eq!(m.derived.due_next, due);
}
