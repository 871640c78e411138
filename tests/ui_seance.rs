//! The GTS meeting (séance) driven by keys on the demo data, as the GIP's
//! animator would: attendance, decisions saved at once, R-MES-4 refused on
//! screen, closing in one commit with the minutes; preferences kept;
//! snapshots (normal, projector, privacy) and a size sweep.

mod screens;

use assll::app::sample::{press, sample_model, status, type_text};
use assll::app::{MemoryPersist, Model, Screen, StatusKind};
use assll::domain::gts::Decision;
use assll::domain::{MeasureStatus, Record, Reference};
use assll::ui::view;
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use screens::render;
use std::sync::Arc;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn setup() -> (Model, Arc<MemoryPersist>) {
    let p = Arc::new(MemoryPersist::default());
    let mut m = sample_model(Box::new(Arc::clone(&p)));
    m.today = today();
    m.data = Arc::new(assll::demo::generate(today(), 120, 1));
    m.refresh();
    (m, p)
}

/// The December session's day (third Thursday).
fn session_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 17).unwrap()
}

/// The same data, on the day of the December session: the meeting is held
/// for real (before its day, it is a rehearsal that saves nothing).
fn on_the_day() -> (Model, Arc<MemoryPersist>) {
    let (mut m, p) = setup();
    m.today = session_day();
    m.refresh();
    (m, p)
}

/// On the day, the session as the GIP prepared it: draft sent to the
/// workers (R-GTS-3), everyone on the proposed attendance present, and
/// Mme Hébert, a colleague, present too (R-GTS-6).
fn ready() -> (Model, Arc<MemoryPersist>) {
    let (mut m, p) = on_the_day();
    prepare(&mut m);
    (m, p)
}

fn prepare(m: &mut Model) {
    let mut s = assll::domain::agenda::meeting_session(&m.data, 2026, 12, m.today);
    s.draft_sent
        .get_or_insert(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
    for a in &mut s.attendance {
        a.present = true;
    }
    s.attendance.push(assll::domain::gts::Attendee {
        name: "Mme Hébert".into(),
        organisation: "CAF".into(),
        present: true,
    });
    m.data_mut().sessions.insert((2026, 12), s);
    m.refresh();
}

fn items(m: &Model) -> Vec<Reference> {
    m.seance.as_ref().unwrap().items()
}

/// Moves to the situation of `r`.
fn go_to(m: &mut Model, r: Reference) {
    let i = items(m)
        .iter()
        .position(|x| *x == r)
        .expect("on the agenda");
    m.seance.as_mut().unwrap().index = i;
}

/// Measures of the agenda in progress with fewer than two renewals (to
/// stop, renew, postpone) and one already renewed twice.
fn picks(m: &Model) -> (Vec<Reference>, Reference) {
    let its = items(m);
    let open: Vec<Reference> = its
        .iter()
        .copied()
        .filter(|r| {
            let me = &m.data.measures[r];
            me.status == MeasureStatus::InProgress && me.renewals.len() < 2
        })
        .collect();
    let twice = its
        .iter()
        .copied()
        .find(|r| m.data.measures[r].renewals.len() == 2)
        .expect("a measure renewed twice is on the agenda");
    (open, twice)
}

fn saved_session(m: &Model) -> assll::domain::GtsSession {
    m.data.sessions[&(2026, 12)].clone()
}

#[test]
fn s_opens_the_next_session_on_its_computed_draft() {
    let (mut m, p) = setup();
    press(&mut m, &["S"]);
    assert_eq!(m.screen, Screen::Seance);
    let s = m.seance.as_ref().unwrap();
    assert_eq!((s.session.year, s.session.month), (2026, 12));
    assert!(!s.on_final());
    assert!(items(&m).len() >= 10);
    // Computed, not saved until something is decided.
    assert!(p.changes.lock().unwrap().is_empty());
    // R-GTS-1: the demo's standing member for the Conseil Général chairs.
    assert_eq!(s.session.chair, "Conseil Général — Mme Dumas");
    let orgs: Vec<&str> = s
        .session
        .attendance
        .iter()
        .map(|a| a.organisation.as_str())
        .collect();
    for e in ["Conseil Général", "CAF", "GIP"] {
        assert!(orgs.contains(&e), "{orgs:?}");
    }
    let screen = render(&m, 80, 24);
    assert!(screen.contains("GTS du 17/12/2026"), "{screen}");
    assert!(screen.contains("brouillon"), "{screen}");
    press(&mut m, &["<Esc>"]);
    assert_eq!(m.screen, Screen::Dashboard);
    assert!(m.seance.is_none());
}

#[test]
fn attendance_toggles_additions_and_chair_are_saved() {
    let (mut m, p) = on_the_day();
    // Without standing members: the « représentant·e » rows, named here.
    m.data_mut().gts_members.clear();
    m.refresh();
    press(&mut m, &["S", "<Space>", "<Down>", "<Space>"]);
    assert_eq!(p.changes.lock().unwrap().len(), 2);
    let s = saved_session(&m);
    assert!(s.attendance[0].present && s.attendance[1].present);
    assert!(!s.attendance[2].present);
    assert!(status(&m).starts_with("Enregistré ✓"), "{}", status(&m));
    // Toggle back: absent, saved.
    press(&mut m, &["<Space>"]);
    assert!(!saved_session(&m).attendance[1].present);
    // A person, then the chair.
    press(&mut m, &["n"]);
    type_text(&mut m, "Mme Dumas");
    press(&mut m, &["<Enter>"]);
    type_text(&mut m, "Conseil Général");
    press(&mut m, &["<Enter>"]);
    let s = saved_session(&m);
    let last = s.attendance.last().unwrap();
    assert_eq!(
        (last.name.as_str(), last.organisation.as_str(), last.present),
        ("Mme Dumas", "Conseil Général", true)
    );
    press(&mut m, &["p"]);
    assert_eq!(saved_session(&m).chair, "Conseil Général — Mme Dumas");
    // Naming the GIP's representative marks them present.
    press(&mut m, &["g", "<Down>", "<Down>", "e"]);
    type_text(&mut m, "Mme Colin");
    press(&mut m, &["<Enter>"]);
    let a = saved_session(&m).attendance[2].clone();
    assert_eq!(
        (a.name.as_str(), a.organisation.as_str(), a.present),
        ("Mme Colin", "GIP", true)
    );
    // The agenda computed at opening is saved with the session.
    assert_eq!(saved_session(&m).agenda.len(), items(&m).len());
}

#[test]
fn stop_renew_postpone_and_colleague_are_saved_at_once() {
    let (mut m, p) = ready();
    press(&mut m, &["S", "<Enter>"]);
    let (open, _) = picks(&m);
    go_to(&mut m, open[0]);
    press(&mut m, &["a"]);
    go_to(&mut m, open[1]);
    press(&mut m, &["c"]);
    type_text(&mut m, "Mme Hébert");
    press(&mut m, &["<Enter>", "r", "3"]);
    go_to(&mut m, open[2]);
    press(&mut m, &["p"]);
    type_text(&mut m, "bilan non transmis");
    // Typed, not validated: kept as a draft if the session is cut.
    assert!(
        m.draft()
            .unwrap()
            .contains("Motif du report : bilan non transmis")
    );
    press(&mut m, &["<Enter>"]);
    assert!(m.draft().is_none());
    assert_eq!(p.changes.lock().unwrap().len(), 3);
    let s = saved_session(&m);
    let d = |r: Reference| {
        s.decisions
            .iter()
            .find(|d| d.reference == r)
            .unwrap()
            .clone()
    };
    assert_eq!(d(open[0]).decision, Decision::Stop);
    assert_eq!(d(open[1]).decision, Decision::Renew { months: 3 });
    assert_eq!(
        d(open[1]).presented_by_colleague.as_deref(),
        Some("Mme Hébert")
    );
    assert_eq!(
        d(open[2]).decision,
        Decision::Postpone {
            reason: "bilan non transmis".into()
        }
    );
    // The screen shows the decision taken; it can be changed until closing.
    let screen = render(&m, 160, 45);
    assert!(
        screen.contains("REPORTÉE au GTS suivant : bilan non transmis"),
        "{screen}"
    );
    press(&mut m, &["a"]);
    assert_eq!(d(open[2]).decision, s.decisions[2].decision); // old copy
    assert_eq!(
        saved_session(&m)
            .decisions
            .iter()
            .find(|x| x.reference == open[2])
            .unwrap()
            .decision,
        Decision::Stop
    );
    assert_eq!(saved_session(&m).decisions.len(), 3);
    // Measures are untouched until closing.
    assert_eq!(m.data.measures[&open[0]].status, MeasureStatus::InProgress);
}

#[test]
fn r_mes_4_third_renewal_is_refused_on_screen_and_nothing_saved() {
    let (mut m, p) = setup();
    press(&mut m, &["S", "<Enter>"]);
    let (_, twice) = picks(&m);
    go_to(&mut m, twice);
    press(&mut m, &["r", "3"]);
    let msg = "Renouvellement refusé : déjà renouvelée 2 fois (R-MES-4)";
    assert_eq!(m.status.as_ref().unwrap().kind, StatusKind::Error);
    assert_eq!(status(&m), msg);
    assert!(p.changes.lock().unwrap().is_empty());
    assert!(!m.data.sessions.contains_key(&(2026, 12)));
    // Shown in the situation itself, not only in the status line.
    press(&mut m, &["r"]);
    let screen = render(&m, 160, 45);
    assert_eq!(screen.matches(msg).count(), 2, "{screen}");
    // Out-of-range months are refused with their rule too.
    let (open, _) = picks(&m);
    go_to(&mut m, open[0]);
    press(&mut m, &["r", "9"]);
    assert_eq!(m.status.as_ref().unwrap().kind, StatusKind::Error);
    assert!(p.changes.lock().unwrap().is_empty());
}

#[test]
fn closing_applies_every_decision_in_one_commit_and_writes_the_minutes() {
    let (mut m, p) = ready();
    let docs = tempfile::tempdir().unwrap();
    m.gts.docs_dir = Some(docs.path().to_path_buf());
    press(&mut m, &["S", "<Enter>"]);
    let (open, twice) = picks(&m);
    let (stop, renew, later) = (open[0], open[1], open[2]);
    let end_before = m.data.measures[&renew].planned_end.unwrap();
    let renewals_before = m.data.measures[&renew].renewals.len();
    go_to(&mut m, stop);
    press(&mut m, &["a"]);
    go_to(&mut m, renew);
    press(&mut m, &["r", "3"]);
    go_to(&mut m, twice);
    press(&mut m, &["r", "2"]);
    go_to(&mut m, later);
    press(&mut m, &["p"]);
    type_text(&mut m, "attente du diagnostic");
    press(&mut m, &["<Enter>"]);
    let before = p.changes.lock().unwrap().len();
    // Asks first; "n" leaves everything as it was.
    press(&mut m, &["F", "n"]);
    assert_eq!(p.changes.lock().unwrap().len(), before);
    assert!(saved_session(&m).closed.is_none());
    press(&mut m, &["F", "o"]);
    assert_eq!(
        p.changes.lock().unwrap().len(),
        before + 1,
        "{}",
        status(&m)
    );
    let records = p.last_records();
    let sessions: Vec<(u16, u8)> = records
        .iter()
        .filter_map(|r| match r {
            Record::Session(s) => Some((s.year, s.month)),
            _ => None,
        })
        .collect();
    assert_eq!(sessions, vec![(2026, 12), (2027, 1)]);
    assert!(
        records
            .iter()
            .any(|r| matches!(r, Record::Measure(x) if x.reference == stop))
    );
    assert!(
        records
            .iter()
            .any(|r| matches!(r, Record::Measure(x) if x.reference == renew))
    );
    // Applied to the data.
    assert!(matches!(
        m.data.measures[&stop].status,
        MeasureStatus::Stopped { .. }
    ));
    let me = &m.data.measures[&renew];
    assert_eq!(
        me.planned_end,
        Some(assll::domain::measure::add_months(end_before, 3))
    );
    assert_eq!(me.renewals.len(), renewals_before + 1);
    assert_eq!(m.data.measures[&twice].renewals.len(), 2);
    let next = &m.data.sessions[&(2027, 1)];
    let item = next.agenda.iter().find(|i| i.reference == later).unwrap();
    assert!(
        item.reasons
            .contains(&assll::domain::gts::AgendaReason::Postponed)
    );
    assert!(saved_session(&m).closed.is_some());
    // The minutes, names in full, path in the status line.
    let txt = docs.path().join("pv-2026-12.txt");
    assert!(docs.path().join("pv-2026-12.pdf").exists());
    let minutes = std::fs::read_to_string(&txt).unwrap();
    assert!(minutes.contains("attente du diagnostic"), "{minutes}");
    assert!(minutes.contains(&stop.to_string()));
    assert!(minutes.contains(&renew.to_string()));
    assert!(status(&m).contains("pv-2026-12.txt"), "{}", status(&m));
    // Closed: no more decisions.
    press(&mut m, &["a"]);
    assert_eq!(m.status.as_ref().unwrap().kind, StatusKind::Error);
    assert_eq!(p.changes.lock().unwrap().len(), before + 1);
}

#[test]
fn r_gts_1_before_its_day_the_meeting_is_a_rehearsal_that_saves_nothing() {
    let (mut m, p) = setup();
    prepare(&mut m);
    let prepared = saved_session(&m);
    let docs = tempfile::tempdir().unwrap();
    m.gts.docs_dir = Some(docs.path().to_path_buf());
    press(&mut m, &["S"]);
    assert!(m.seance.as_ref().unwrap().rehearsal);
    assert!(status(&m).starts_with("Répétition"), "{}", status(&m));
    assert!(render(&m, 80, 24).contains("RÉPÉTITION"));
    // Attendance and decisions work as on the day, by the same rules…
    press(&mut m, &["<Space>"]);
    assert!(!m.seance.as_ref().unwrap().session.attendance[0].present);
    press(&mut m, &["<Space>", "<Enter>"]);
    let (open, twice) = picks(&m);
    go_to(&mut m, open[0]);
    press(&mut m, &["a"]);
    assert!(
        status(&m).contains("rien n'est enregistré"),
        "{}",
        status(&m)
    );
    go_to(&mut m, twice);
    press(&mut m, &["r", "3"]);
    assert_eq!(
        status(&m),
        "Renouvellement refusé : déjà renouvelée 2 fois (R-MES-4)"
    );
    assert_eq!(m.seance.as_ref().unwrap().session.decisions.len(), 1);
    // … and nothing is saved, not even at closing, and no minutes written.
    press(&mut m, &["F", "o"]);
    assert!(
        status(&m).starts_with("Répétition terminée"),
        "{}",
        status(&m)
    );
    assert!(m.seance.as_ref().unwrap().session.closed.is_some());
    assert!(p.changes.lock().unwrap().is_empty());
    assert_eq!(saved_session(&m), prepared);
    assert_eq!(std::fs::read_dir(docs.path()).unwrap().count(), 0);
    // The domain refuses the meeting's operations before the day too.
    assert!(
        m.execute(assll::domain::command::Command::Session {
            year: 2026,
            month: 12,
            op: assll::domain::command::SessionOp::Prepare,
        })
        .unwrap_err()
        .message
        .contains("ne peut être tenue qu'à partir de ce jour-là")
    );
}

#[test]
fn r_gts_6_an_absent_worker_does_not_present_and_the_colleague_is_present() {
    let (mut m, p) = ready();
    press(&mut m, &["S"]);
    let (open, _) = picks(&m);
    let r = open[0];
    let worker = m.data.worker_name(m.data.measures[&r].worker).to_string();
    // The worker in charge marked absent.
    let row = m
        .seance
        .as_ref()
        .unwrap()
        .session
        .attendance
        .iter()
        .position(|a| a.name == worker)
        .expect("the worker is on the attendance");
    m.seance.as_mut().unwrap().cursor = row;
    press(&mut m, &["<Space>", "<Enter>"]);
    let saved = p.changes.lock().unwrap().len();
    go_to(&mut m, r);
    press(&mut m, &["a"]);
    assert_eq!(m.status.as_ref().unwrap().kind, StatusKind::Error);
    assert!(status(&m).contains("est absent·e"), "{}", status(&m));
    assert_eq!(p.changes.lock().unwrap().len(), saved);
    // A colleague who is not there is refused too.
    press(&mut m, &["c"]);
    type_text(&mut m, "M. Personne");
    press(&mut m, &["<Enter>", "a"]);
    assert!(
        status(&m).contains("M. Personne n'est pas noté·e présent·e"),
        "{}",
        status(&m)
    );
    assert_eq!(p.changes.lock().unwrap().len(), saved);
    // A colleague present presents it, and is recorded.
    press(&mut m, &["c"]);
    for _ in 0.."M. Personne".chars().count() {
        press(&mut m, &["<Backspace>"]);
    }
    type_text(&mut m, "Mme Hébert");
    press(&mut m, &["<Enter>", "a"]);
    assert!(status(&m).starts_with("Enregistré ✓"), "{}", status(&m));
    let d = saved_session(&m)
        .decisions
        .iter()
        .find(|d| d.reference == r)
        .cloned()
        .unwrap();
    assert_eq!(d.presented_by_colleague.as_deref(), Some("Mme Hébert"));
}

#[test]
fn projector_theme_and_privacy_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (mut m, _p) = setup();
    m.prefs_dir = Some(dir.path().to_path_buf());
    press(&mut m, &["S", "T", "P"]);
    assert!(m.prefs.projector && m.prefs.privacy);
    let loaded = assll::app::prefs::load(dir.path());
    assert_eq!(loaded, m.prefs);
    press(&mut m, &["P"]);
    assert!(!assll::app::prefs::load(dir.path()).privacy);
    assert!(assll::app::prefs::load(dir.path()).projector);
    // Explicit round trip.
    let other = tempfile::tempdir().unwrap();
    let p = assll::app::prefs::Prefs {
        projector: false,
        privacy: true,
    };
    assll::app::prefs::save(other.path(), &p).unwrap();
    assert_eq!(assll::app::prefs::load(other.path()), p);
}

#[test]
fn privacy_mode_shows_initials_and_reference_only() {
    let (mut m, _p) = setup();
    press(&mut m, &["S", "<Enter>", "P"]);
    let r = items(&m)[0];
    let me = &m.data.measures[&r];
    let h = &m.data.households[&me.household];
    for (w, ht) in [(80, 24), (160, 45)] {
        let screen = render(&m, w, ht);
        assert!(
            screen.contains(&format!("{} {r}", h.initials())) || w >= 160,
            "{screen}"
        );
        assert!(!screen.contains(&h.last_name.to_uppercase()), "{screen}");
        assert!(!screen.contains(&h.last_name), "{screen}");
    }
    // The capacity panel too.
    press(&mut m, &["k"]);
    let screen = render(&m, 160, 45);
    for rf in m.data.referrals.values() {
        let name = m.data.households[&rf.household].display_name();
        assert!(!screen.contains(&name), "{name} in {screen}");
    }
}

#[test]
fn projector_theme_is_black_on_white() {
    let (mut m, _p) = setup();
    press(&mut m, &["S", "<Enter>", "T"]);
    let mut term = Terminal::new(TestBackend::new(160, 45)).unwrap();
    term.draw(|f| view(&m, f)).unwrap();
    let buf = term.backend().buffer();
    let cell = &buf[(100, 30)];
    assert_eq!(cell.bg, ratatui::style::Color::Indexed(231));
    assert!(cell.modifier.contains(ratatui::style::Modifier::BOLD));
}

#[test]
fn too_small_says_how_big_rather_than_cutting() {
    let (mut m, _p) = setup();
    press(&mut m, &["S", "<Enter>"]);
    let screen = render(&m, 70, 14);
    assert!(
        screen.contains("Agrandissez le terminal (il faut au moins"),
        "{screen}"
    );
}

/// On the session's day; for the situations (keys from `Enter` on),
/// with everyone present, as the meeting is held.
fn snap_model(keys: &[&str]) -> Model {
    let (mut m, _p) = if keys.first() == Some(&"<Enter>") {
        ready()
    } else {
        on_the_day()
    };
    press(&mut m, &["S"]);
    press(&mut m, keys);
    m
}

#[test]
fn snapshots() {
    let cases: Vec<(&str, Vec<&str>, u16, u16)> = vec![
        (
            "attendance_80x24",
            vec!["<Space>", "<Down>", "<Space>"],
            80,
            24,
        ),
        ("meeting_80x24", vec!["<Enter>"], 80, 24),
        ("meeting_160x45", vec!["<Enter>"], 160, 45),
        ("projector_80x24", vec!["<Enter>", "T", "a"], 80, 24),
        (
            "projector_160x45",
            vec!["<Enter>", "T", "l", "r", "3", "k"],
            160,
            45,
        ),
        ("privacy_80x24", vec!["<Enter>", "P"], 80, 24),
        ("privacy_160x45", vec!["<Enter>", "P", "k"], 160, 45),
        ("capacity_80x24", vec!["<Enter>", "a", "k"], 80, 24),
    ];
    for (name, keys, w, h) in cases {
        let mut m = snap_model(&keys);
        m.status = None;
        insta::assert_snapshot!(name, render(&m, w, h));
    }
}

#[test]
fn size_sweep_never_panics() {
    let states: Vec<Vec<&str>> = vec![
        vec![],
        vec!["<Enter>"],
        vec!["<Enter>", "k"],
        vec!["<Enter>", "T", "P", "p"],
        vec!["<Enter>", "F"],
    ];
    for keys in states {
        let m = snap_model(&keys);
        for (w, h) in [
            (0, 0),
            (1, 1),
            (20, 5),
            (80, 24),
            (300, 100),
            (61, 9),
            (110, 30),
        ] {
            render(&m, w, h);
        }
    }
}

#[test]
fn every_situation_of_the_demo_fits_a_projector_screen() {
    let (mut m, _p) = setup();
    press(&mut m, &["S", "<Enter>"]);
    let n = items(&m).len();
    let mut small = 0;
    for i in 0..n {
        m.seance.as_mut().unwrap().index = i;
        let big = render(&m, 160, 45);
        assert!(!big.contains("Agrandissez"), "{big}");
        if render(&m, 80, 24).contains("Agrandissez") {
            small += 1;
        }
    }
    println!("{small} of {n} need more than 80×24");
}

#[test]
fn the_meeting_works_on_the_final_agenda_once_sent_and_shows_the_time() {
    let (mut m, _p) = setup();
    // Draft computed, sent, one "will not examine" reply, final sent.
    press(&mut m, &["S"]);
    let mut s = m.seance.as_ref().unwrap().session.clone();
    press(&mut m, &["<Esc>"]);
    let dropped = s.agenda[0].reference;
    s.draft_sent = Some(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
    s.agenda[0].reply = Some((
        assll::domain::gts::Reply::WillNotExamine {
            reason: "hospitalisation".into(),
        },
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
    ));
    s.final_sent = Some(NaiveDate::from_ymd_opt(2026, 12, 9).unwrap());
    m.data_mut().sessions.insert((2026, 12), s.clone());
    press(&mut m, &["S", "<Enter>"]);
    let sc = m.seance.as_ref().unwrap();
    assert!(sc.on_final());
    assert!(!items(&m).contains(&dropped));
    assert_eq!(items(&m).len(), s.agenda.len() - 1);
    // Elapsed time from the model's clock.
    m.seance.as_mut().unwrap().started -= chrono::Duration::minutes(65);
    let screen = render(&m, 160, 45);
    assert!(screen.contains("ordre du jour définitif"), "{screen}");
    assert!(screen.contains("depuis 1 h 05"), "{screen}");
    assert!(screen.contains(&format!("situation 1 / {}", s.agenda.len() - 1)));
}

#[test]
fn from_a_session_agenda_s_opens_that_session() {
    let (mut m, _p) = setup();
    m.screen = Screen::GtsAgenda {
        year: 2027,
        month: 1,
    };
    press(&mut m, &["S"]);
    assert_eq!(m.screen, Screen::Seance);
    let s = &m.seance.as_ref().unwrap().session;
    assert_eq!((s.year, s.month), (2027, 1));
    press(&mut m, &["<Esc>"]);
    assert_eq!(
        m.screen,
        Screen::GtsAgenda {
            year: 2027,
            month: 1
        }
    );
    // A closed session is not reopened: November's was held and closed.
    m.screen = Screen::GtsAgenda {
        year: 2026,
        month: 11,
    };
    press(&mut m, &["S"]);
    assert_ne!(m.screen, Screen::Seance);
    assert!(status(&m).contains("clôturé"), "{}", status(&m));
}

#[test]
fn r_gts_6_the_colleague_is_picked_among_those_present() {
    let (mut m, _p) = ready();
    press(&mut m, &["S"]);
    let (open, _) = picks(&m);
    let r = open[0];
    let worker = m.data.worker_name(m.data.measures[&r].worker).to_string();
    go_to(&mut m, r);
    press(&mut m, &["<Enter>"]); // attendance done: the situations
    go_to(&mut m, r);
    press(&mut m, &["c"]);
    let present = assll::app::seance::present_colleagues(&m);
    assert!(!present.is_empty());
    assert!(
        !present.contains(&worker),
        "the worker in charge is left out"
    );
    let s = m.seance.as_ref().unwrap();
    let absent: Vec<_> = s
        .session
        .attendance
        .iter()
        .filter(|a| !a.present)
        .map(|a| a.name.clone())
        .collect();
    // Down goes through the present ones, in order, and round.
    let mut seen = Vec::new();
    for _ in 0..present.len() {
        press(&mut m, &["<Down>"]);
        match &m.seance.as_ref().unwrap().input {
            assll::app::seance::Input::Colleague(t) => seen.push(t.clone()),
            i => panic!("still typing the colleague, got {i:?}"),
        }
    }
    assert_eq!(seen, present);
    assert!(
        seen.iter().all(|x| !absent.contains(x)),
        "{seen:?} {absent:?}"
    );
    press(&mut m, &["<Down>"]);
    assert!(matches!(
        &m.seance.as_ref().unwrap().input,
        assll::app::seance::Input::Colleague(t) if *t == present[0]
    ));
    press(&mut m, &["<Up>"]);
    assert!(matches!(
        &m.seance.as_ref().unwrap().input,
        assll::app::seance::Input::Colleague(t) if Some(t) == present.last()
    ));
    assert!(render(&m, 80, 24).contains("parmi les présents"));
}
