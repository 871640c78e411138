//! The GTS meeting (séance), live: attendance, then one situation at a
//! time with one key per decision, each saved at once; closing applies the
//! decisions in one commit and writes the minutes (R-GTS-6..9, R-MES-4).

use super::{Model, Screen, StatusKind};
use crate::domain::Reference;
use crate::domain::agenda;
use crate::domain::command::{self, Command, Context, SessionOp};
use crate::domain::gts::{Attendee, Decision, GtsSession, SessionInfo, next_session, session_info};
use crate::domain::{Dataset, Record};
use crate::keymap::{Action, Chord, Mode};
use chrono::NaiveDateTime;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::collections::BTreeMap;

pub use crate::domain::agenda::{PRIVATE_LANDLORDS, REPRESENTATIVE, default_attendance};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Attendance,
    Situations,
}

/// What the keyboard is typing or answering, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    None,
    /// `r` pressed: waiting for 1–6.
    RenewMonths,
    /// Reason of a postponement.
    Postpone(String),
    /// Name of the colleague who presents (R-GTS-6).
    Colleague(String),
    /// A new attendee: name, then organisation.
    AddName(String),
    AddOrg {
        name: String,
        org: String,
    },
    /// The name of the selected attendee (an organisation's representative).
    Rename(String),
    /// `F` pressed: closing asks first.
    ConfirmClose,
}

/// The meeting's state while its screen is open.
#[derive(Debug, Clone)]
pub struct Seance {
    /// The session as saved (or computed, before the first save).
    pub session: GtsSession,
    pub info: SessionInfo,
    pub phase: Phase,
    /// Selected attendance row.
    pub cursor: usize,
    /// Situation shown (index into the agenda the meeting works on).
    pub index: usize,
    pub input: Input,
    /// When the screen was opened, for the elapsed time.
    pub started: NaiveDateTime,
    /// The capacity side panel is shown.
    pub capacity: bool,
    /// A refusal shown on screen (R-MES-4…), until the next key.
    pub refusal: Option<String>,
    /// A colleague named before the decision: recorded with it.
    pub colleague: BTreeMap<Reference, String>,
    /// The minutes written at closing (text twin).
    pub minutes: Option<std::path::PathBuf>,
    /// Opened before the session's day (R-GTS-1): everything works as on
    /// the day, decided by the same rules, and nothing is saved.
    pub rehearsal: bool,
}

impl Seance {
    /// The agenda the meeting works on: the final one once sent, else the
    /// draft (items not removed).
    pub fn items(&self) -> Vec<Reference> {
        agenda::final_agenda(&self.session)
            .into_iter()
            .map(|i| i.reference)
            .collect()
    }
    pub fn current(&self) -> Option<Reference> {
        self.items().get(self.index).copied()
    }
    /// Text typed and not yet validated (for a draft when the session is cut).
    pub fn typed(&self) -> Option<String> {
        let what = match &self.input {
            Input::Postpone(t) => format!("Motif du report : {t}"),
            Input::Colleague(t) => format!("Présentée par : {t}"),
            Input::AddName(t) | Input::Rename(t) => format!("Personne présente : {t}"),
            Input::AddOrg { name, org } => format!("Personne présente : {name} ({org})"),
            _ => return None,
        };
        let r = self.current().map(|r| format!(" {r}")).unwrap_or_default();
        Some(format!(
            "GTS {:02}/{}{r}\n{what}\n",
            self.session.month, self.session.year
        ))
    }
    /// True when the meeting works on the final agenda sent to partners.
    pub fn on_final(&self) -> bool {
        self.session.final_sent.is_some()
    }
}

/// `S`: opens the meeting of the next session not closed (over the next
/// three months). Its agenda is computed when none is saved yet.
pub fn open(m: &mut Model) {
    // Projected by the GIP to the GTS's members; a worker's view is its own
    // households (the agenda screen).
    if m.actor().sectors(&m.data).is_some() {
        m.set_status(
            StatusKind::Error,
            "Refusé : la séance du GTS est tenue par le GIP (l'ordre du jour montre vos situations)",
        );
        return;
    }
    let sessions: Vec<SessionInfo> = m
        .data
        .sessions_from(m.today, 3)
        .into_iter()
        .filter(|s| {
            m.data
                .sessions
                .get(&(s.year, s.month))
                .is_none_or(|x| x.closed.is_none())
        })
        .collect();
    // From a session's agenda, that session; else the next one.
    let shown = match m.screen {
        Screen::GtsAgenda { year, month } => Some(session_info(
            year,
            month,
            m.data.sessions.get(&(year, month)),
        )),
        _ => None,
    };
    if let Some(info) = &shown {
        if let Some(d) = m
            .data
            .sessions
            .get(&(info.year, info.month))
            .and_then(|s| s.closed)
        {
            let text = agenda::AgendaError::Closed {
                date: crate::domain::calendar::fr_date(d),
            };
            m.set_status(StatusKind::Error, text.to_string());
            return;
        }
        if !info.held() {
            m.set_status(
                StatusKind::Error,
                agenda::AgendaError::Cancelled.to_string(),
            );
            return;
        }
    }
    let Some(info) = shown.or_else(|| next_session(m.today, &sessions).cloned()) else {
        m.set_status(
            StatusKind::Error,
            "Aucune séance du GTS à tenir dans les trois prochains mois",
        );
        return;
    };
    let session = agenda::meeting_session(&m.data, info.year, info.month, m.today);
    let rehearsal = m.today < info.date;
    let day = info.date;
    let phase = if session.decisions.is_empty() {
        Phase::Attendance
    } else {
        Phase::Situations
    };
    m.seance = Some(Box::new(Seance {
        session,
        info,
        phase,
        cursor: 0,
        index: 0,
        input: Input::None,
        started: (m.now)(),
        capacity: false,
        refusal: None,
        colleague: BTreeMap::new(),
        minutes: None,
        rehearsal,
    }));
    if m.screen != Screen::Seance {
        m.back.push(m.screen);
        m.screen = Screen::Seance;
    }
    m.status = None;
    if rehearsal {
        m.set_status(
            StatusKind::Info,
            format!(
                "Répétition : la séance du {} n'a pas encore eu lieu ; rien ne sera enregistré",
                crate::domain::calendar::fr_date(day)
            ),
        );
    }
}

fn leave(m: &mut Model) {
    m.screen = m.back.pop().unwrap_or(Screen::Dashboard);
    if m.screen == Screen::Seance {
        m.screen = Screen::Dashboard;
    }
    if m.seance
        .take()
        .is_some_and(|s| !s.session.decisions.is_empty())
    {
        m.set_status(
            StatusKind::Info,
            "Séance quittée : les décisions prises sont enregistrées (S pour y revenir)",
        );
    }
}

/// Executes an operation on the meeting's session; on success the screen
/// works on the session as saved.
fn run(m: &mut Model, op: SessionOp, done: String) -> bool {
    let Some((year, month)) = m.seance.as_ref().map(|s| (s.session.year, s.session.month)) else {
        return false;
    };
    if m.seance.as_ref().is_some_and(|s| s.rehearsal) {
        return match rehearse(m, op) {
            Ok(_) => {
                m.set_status(
                    StatusKind::Info,
                    format!("Répétition — {done} (rien n'est enregistré)"),
                );
                true
            }
            Err(e) => {
                refuse(m, e);
                false
            }
        };
    }
    match m.execute(Command::Session { year, month, op }) {
        Ok(_) => {
            if let (Some(s), Some(saved)) = (m.seance.as_mut(), m.data.sessions.get(&(year, month)))
            {
                s.session = saved.clone();
            }
            m.set_status(StatusKind::Saved, format!("Enregistré ✓ — {done}"));
            true
        }
        Err(e) => {
            refuse(m, e.message);
            false
        }
    }
}

/// A rehearsal's operation: decided by the rules as on the session's day,
/// on the session as the screen holds it, and kept on screen only. Returns
/// the number of decisions a closing would apply.
fn rehearse(m: &mut Model, op: SessionOp) -> Result<usize, String> {
    let Some(s) = m.seance.as_ref() else {
        return Ok(0);
    };
    let (year, month) = (s.session.year, s.session.month);
    let mut data = Dataset::clone(&m.data);
    data.sessions.insert((year, month), s.session.clone());
    let actor = m.actor();
    let ctx = Context {
        today: s.info.date,
        actor: &actor,
    };
    let decided = command::decide(&data, ctx, &Command::Session { year, month, op })
        .map_err(|e| e.message)?;
    let Some(session) = decided.records.into_iter().find_map(|r| match r {
        Record::Session(x) if (x.year, x.month) == (year, month) => Some(x),
        _ => None,
    }) else {
        return Ok(0);
    };
    let n = session.decisions.len();
    if let Some(s) = m.seance.as_mut() {
        s.session = session;
    }
    Ok(n)
}

fn refuse(m: &mut Model, text: String) {
    if let Some(s) = m.seance.as_mut() {
        s.refusal = Some(text.clone());
    }
    m.set_status(StatusKind::Error, text);
}

/// The keys of the meeting screen (the screen is modal: it reads keys
/// itself, the help is its hint bar).
pub fn on_key(m: &mut Model, k: KeyEvent) {
    if k.kind == KeyEventKind::Release {
        return;
    }
    let Some(s) = m.seance.as_mut() else {
        leave(m);
        return;
    };
    s.refusal = None;
    if k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char('c') {
        m.quit = true;
        return;
    }
    match s.input.clone() {
        Input::None => {}
        Input::RenewMonths => {
            s.input = Input::None;
            match k.code {
                KeyCode::Char(c) if c.is_ascii_digit() => {
                    let months = c.to_digit(10).unwrap_or(0) as u8;
                    decide(m, Decision::Renew { months });
                }
                _ => m.set_status(StatusKind::Info, "Renouvellement abandonné"),
            }
            return;
        }
        Input::ConfirmClose => {
            s.input = Input::None;
            match k.code {
                KeyCode::Char('o' | 'O' | 'y' | 'Y') | KeyCode::Enter => close(m),
                _ => m.set_status(StatusKind::Info, "Clôture abandonnée : rien n'a changé"),
            }
            return;
        }
        Input::Colleague(t)
            if matches!(
                k.code,
                KeyCode::Up | KeyCode::Down | KeyCode::Tab | KeyCode::BackTab
            ) =>
        {
            // R-GTS-6: picked among those present.
            let forward = matches!(k.code, KeyCode::Down | KeyCode::Tab);
            let next = pick_present(m, &t, forward);
            if let Some(s) = m.seance.as_mut() {
                s.input = Input::Colleague(next.unwrap_or(t));
            }
            return;
        }
        Input::Postpone(t) | Input::Colleague(t) | Input::AddName(t) | Input::Rename(t) => {
            let mut t = t;
            match k.code {
                KeyCode::Esc => {
                    s.input = Input::None;
                    m.set_status(StatusKind::Info, "Saisie abandonnée");
                }
                KeyCode::Enter => submit_text(m, t),
                KeyCode::Backspace => {
                    t.pop();
                    set_text(s, t);
                }
                KeyCode::Char(c) => {
                    t.push(c);
                    set_text(s, t);
                }
                _ => {}
            }
            return;
        }
        Input::AddOrg { name, mut org } => {
            match k.code {
                KeyCode::Esc => {
                    s.input = Input::None;
                    m.set_status(StatusKind::Info, "Saisie abandonnée");
                }
                KeyCode::Enter => {
                    s.input = Input::None;
                    add_person(m, &name, &org);
                }
                KeyCode::Backspace => {
                    org.pop();
                    s.input = Input::AddOrg { name, org };
                }
                KeyCode::Char(c) => {
                    org.push(c);
                    s.input = Input::AddOrg { name, org };
                }
                _ => {}
            }
            return;
        }
    }
    // Everything else goes through the keymap (modes `seance` and
    // `seance_attendance`), so the keys can be remapped and `?` lists them.
    let mode = mode_of(s);
    let Some(action) = Chord::from_event(&k).and_then(|c| m.keymap.lookup(mode, &c)) else {
        return;
    };
    on_action(m, action);
}

/// Text pasted while the meeting types a reason or a name: added to it as
/// one line. Anything else ignores it (a paste is not a string of keys).
pub fn paste(m: &mut Model, text: &str) {
    let Some(s) = m.seance.as_mut() else { return };
    let clean = super::text::single_line(text);
    match &mut s.input {
        Input::Postpone(t)
        | Input::Colleague(t)
        | Input::AddName(t)
        | Input::Rename(t)
        | Input::AddOrg { org: t, .. } => t.push_str(&clean),
        _ => {}
    }
}

/// The keymap mode of the meeting's current phase.
pub fn mode_of(s: &Seance) -> Mode {
    match s.phase {
        Phase::Attendance => Mode::SeanceAttendance,
        Phase::Situations => Mode::Seance,
    }
}

fn on_action(m: &mut Model, a: Action) {
    let Some(s) = m.seance.as_mut() else { return };
    match a {
        Action::Back => leave(m),
        Action::Quit => m.quit = true,
        Action::Help => m.overlay = Some(super::Overlay::Help(Default::default())),
        Action::ToggleProjector => toggle_pref(m, true),
        Action::TogglePrivacy => toggle_pref(m, false),
        Action::ToggleCapacity => s.capacity = !s.capacity,
        Action::CloseSession => {
            if let Some(d) = s.session.closed {
                let text = agenda::AgendaError::Closed {
                    date: crate::domain::calendar::fr_date(d),
                }
                .to_string();
                return refuse(m, text);
            }
            s.input = Input::ConfirmClose;
        }
        _ => match s.phase {
            Phase::Attendance => attendance_action(m, a),
            Phase::Situations => situation_action(m, a),
        },
    }
}

fn set_text(s: &mut Seance, t: String) {
    s.input = match &s.input {
        Input::Postpone(_) => Input::Postpone(t),
        Input::Colleague(_) => Input::Colleague(t),
        Input::AddName(_) => Input::AddName(t),
        Input::Rename(_) => Input::Rename(t),
        other => other.clone(),
    };
}

fn submit_text(m: &mut Model, t: String) {
    let Some(s) = m.seance.as_mut() else { return };
    let input = std::mem::replace(&mut s.input, Input::None);
    match input {
        Input::Postpone(_) => decide(m, Decision::Postpone { reason: t }),
        Input::Colleague(_) => set_colleague(m, t),
        Input::Rename(_) => rename(m, t),
        Input::AddName(_) => {
            if t.trim().is_empty() {
                s.input = Input::AddName(t);
                refuse(m, "Nom obligatoire".into());
            } else {
                s.input = Input::AddOrg {
                    name: t,
                    org: String::new(),
                };
            }
        }
        _ => {}
    }
}

fn toggle_pref(m: &mut Model, projector: bool) {
    let (what, on) = if projector {
        m.prefs.projector = !m.prefs.projector;
        ("Thème projecteur", m.prefs.projector)
    } else {
        m.prefs.privacy = !m.prefs.privacy;
        ("Mode confidentiel", m.prefs.privacy)
    };
    let state = if on { "activé" } else { "désactivé" };
    match m.prefs_dir.clone() {
        Some(dir) => match super::prefs::save(&dir, &m.prefs) {
            Ok(_) => m.set_status(StatusKind::Saved, format!("{what} {state} (gardé)")),
            Err(e) => m.set_status(
                StatusKind::Error,
                format!("{what} {state}, non gardé : {e}"),
            ),
        },
        None => m.set_status(StatusKind::Info, format!("{what} {state}")),
    }
}

fn attendance_action(m: &mut Model, a: Action) {
    let Some(s) = m.seance.as_mut() else { return };
    let n = s.session.attendance.len();
    match a {
        Action::Down => s.cursor = (s.cursor + 1).min(n.saturating_sub(1)),
        Action::Up => s.cursor = s.cursor.saturating_sub(1),
        Action::Top => s.cursor = 0,
        Action::Bottom => s.cursor = n.saturating_sub(1),
        Action::TogglePresent => {
            let i = s.cursor;
            let Some(a) = s.session.attendance.get(i).cloned() else {
                return;
            };
            let who = attendee_label(&a);
            let done = if a.present {
                format!("{who} : absent·e")
            } else {
                format!("{who} : présent·e")
            };
            run(
                m,
                SessionOp::SetPresent {
                    index: i,
                    present: !a.present,
                },
                done,
            );
        }
        Action::AddPerson => s.input = Input::AddName(String::new()),
        Action::NamePerson => {
            if let Some(a) = s.session.attendance.get(s.cursor) {
                let name = if a.name == REPRESENTATIVE {
                    String::new()
                } else {
                    a.name.clone()
                };
                s.input = Input::Rename(name);
            }
        }
        Action::SetChair => {
            let Some(a) = s.session.attendance.get(s.cursor).cloned() else {
                return;
            };
            let chair = attendee_label(&a);
            run(
                m,
                SessionOp::SetChair(chair.clone()),
                format!("présidence : {chair}"),
            );
        }
        Action::StartSituations => {
            s.phase = Phase::Situations;
            m.status = None;
        }
        _ => {}
    }
}

pub use crate::domain::agenda::attendee_label;

fn add_person(m: &mut Model, name: &str, org: &str) {
    let label = attendee_label(&Attendee {
        name: name.trim().to_string(),
        organisation: org.trim().to_string(),
        present: true,
    });
    let op = SessionOp::AddAttendee {
        name: name.to_string(),
        organisation: org.to_string(),
    };
    if run(m, op, format!("{label} ajouté·e, présent·e"))
        && let Some(s) = m.seance.as_mut()
    {
        s.cursor = s.session.attendance.len().saturating_sub(1);
    }
}

/// `e`: names the person who came for an organisation; marked present.
fn rename(m: &mut Model, name: String) {
    let Some(s) = m.seance.as_ref() else { return };
    let index = s.cursor;
    let Some(mut a) = s.session.attendance.get(index).cloned() else {
        return;
    };
    a.name = name.trim().to_string();
    let label = attendee_label(&a);
    run(
        m,
        SessionOp::NameAttendee { index, name },
        format!("{label} : présent·e"),
    );
}

fn situation_action(m: &mut Model, a: Action) {
    let Some(s) = m.seance.as_mut() else { return };
    let n = s.items().len();
    match a {
        Action::NextSituation => {
            s.index = (s.index + 1).min(n.saturating_sub(1));
        }
        Action::PrevSituation => {
            s.index = s.index.saturating_sub(1);
        }
        Action::Top => s.index = 0,
        Action::Bottom => s.index = n.saturating_sub(1),
        Action::Attendance => s.phase = Phase::Attendance,
        Action::DecideStop => decide(m, Decision::Stop),
        Action::DecideRenew => {
            let Some(r) = s.current() else { return };
            // R-MES-4: a third renewal is refused at once, before the months.
            if let Some(me) = m.data.measures.get(&r)
                && let Err(e) = crate::domain::measure::check_renewal(me, 1)
            {
                return refuse(m, e.to_string());
            }
            s.input = Input::RenewMonths;
        }
        Action::DecidePostpone if s.current().is_some() => {
            s.input = Input::Postpone(String::new());
        }
        Action::Colleague => {
            if let Some(r) = s.current() {
                let known = agenda::decision_for(&s.session, r)
                    .and_then(|d| d.presented_by_colleague.clone())
                    .or_else(|| s.colleague.get(&r).cloned())
                    .unwrap_or_default();
                s.input = Input::Colleague(known);
            }
        }
        Action::WithdrawDecision => {
            let Some(r) = s.current() else { return };
            run(
                m,
                SessionOp::ClearDecision(r),
                format!("{r} : décision retirée"),
            );
        }
        _ => {}
    }
}

/// Records (or changes) the decision on the situation shown; saved at once.
fn decide(m: &mut Model, decision: Decision) {
    let Some(s) = m.seance.as_mut() else { return };
    let Some(r) = s.current() else {
        return refuse(m, "Aucune situation à l'ordre du jour".into());
    };
    let Some(measure) = m.data.measures.get(&r).cloned() else {
        return refuse(m, format!("Mesure {r} introuvable"));
    };
    let colleague = agenda::decision_for(&s.session, r)
        .and_then(|d| d.presented_by_colleague.clone())
        .or_else(|| s.colleague.get(&r).cloned());
    let op = SessionOp::Decide {
        reference: r,
        decision: decision.clone(),
        colleague,
    };
    let mut done = format!("{r} : {}", decision.label());
    // The new planned end, as the decision will set it (R-MES-4).
    let mut probe = s.session.clone();
    if agenda::record_decision(&mut probe, &measure, decision, None, m.today).is_ok()
        && let Some(d) = agenda::decision_for(&probe, r)
        && let Some(end) = agenda::new_planned_end(&measure, d)
    {
        done.push_str(&format!(
            ", fin prévue {}",
            crate::domain::calendar::fr_date(end)
        ));
    }
    if run(m, op, done)
        && let Some(s) = m.seance.as_mut()
    {
        s.colleague.remove(&r);
    }
}

/// R-GTS-6: who may present the situation shown in the worker's place:
/// those marked present, the worker in charge left out, by the name the
/// attendance shows (the organisation for an unnamed representative).
pub fn present_colleagues(m: &Model) -> Vec<String> {
    let Some(s) = m.seance.as_ref() else {
        return Vec::new();
    };
    let worker = s
        .current()
        .and_then(|r| m.data.measures.get(&r))
        .map(|x| m.data.worker_name(x.worker).to_string())
        .unwrap_or_default();
    let mut out: Vec<String> = Vec::new();
    for a in s.session.attendance.iter().filter(|a| a.present) {
        let name = if a.name == agenda::REPRESENTATIVE || a.name.trim().is_empty() {
            agenda::attendee_label(a)
        } else {
            a.name.clone()
        };
        if name != worker && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The present colleague after (or before) `typed` in the list.
fn pick_present(m: &Model, typed: &str, forward: bool) -> Option<String> {
    let list = present_colleagues(m);
    let n = list.len();
    if n == 0 {
        return None;
    }
    let at = list.iter().position(|x| x == typed.trim());
    let i = match (at, forward) {
        (Some(i), true) => (i + 1) % n,
        (Some(i), false) => (i + n - 1) % n,
        (None, true) => 0,
        (None, false) => n - 1,
    };
    list.get(i).cloned()
}

/// R-GTS-6: the colleague who presents; saved with the decision (at once
/// when it is already taken).
fn set_colleague(m: &mut Model, name: String) {
    let Some(s) = m.seance.as_mut() else { return };
    let Some(r) = s.current() else { return };
    let name = name.trim().to_string();
    match agenda::decision_for(&s.session, r).cloned() {
        Some(d) => {
            let colleague = (!name.is_empty()).then(|| name.clone());
            let done = if name.is_empty() {
                format!("{r} : présentée par le ou la TS")
            } else {
                format!("{r} : présentée par {name} (R-GTS-6)")
            };
            run(
                m,
                SessionOp::Decide {
                    reference: r,
                    decision: d.decision,
                    colleague,
                },
                done,
            );
        }
        None => {
            if name.is_empty() {
                s.colleague.remove(&r);
            } else {
                s.colleague.insert(r, name.clone());
            }
            m.set_status(
                StatusKind::Info,
                format!("{r} : présentée par {name} — enregistré avec la décision"),
            );
        }
    }
}

/// `F` confirmed: applies the decisions in one commit, then writes the
/// minutes (names in full) in the documents folder.
fn close(m: &mut Model) {
    let Some((year, month)) = m.seance.as_ref().map(|s| (s.session.year, s.session.month)) else {
        return;
    };
    if m.seance.as_ref().is_some_and(|s| s.rehearsal) {
        match rehearse(m, SessionOp::Close) {
            Ok(n) => m.set_status(
                StatusKind::Info,
                format!(
                    "Répétition terminée : {n} décision{} serai{} appliquée{} le jour du GTS ; \
                     rien n'est enregistré, aucun procès-verbal écrit",
                    if n > 1 { "s" } else { "" },
                    if n > 1 { "en" } else { "t" },
                    if n > 1 { "s" } else { "" }
                ),
            ),
            Err(e) => refuse(m, e),
        }
        return;
    }
    if let Err(e) = m.execute(Command::Session {
        year,
        month,
        op: SessionOp::Close,
    }) {
        return refuse(m, e.message);
    }
    let Some(session) = m.data.sessions.get(&(year, month)).cloned() else {
        return;
    };
    let n = session.decisions.len();
    let when = crate::domain::calendar::fr_date(session.date());
    let text = crate::report::minutes_text(&m.data, &session, false);
    let pdf = crate::report::minutes_pdf(&m.data, &session, false);
    let dir = m
        .gts
        .docs_dir
        .clone()
        .unwrap_or_else(super::documents::documents_dir);
    let stem = format!("pv-{:04}-{:02}", session.year, session.month);
    let written = super::documents::write_document(&dir, &stem, &text, &pdf);
    if let Some(s) = m.seance.as_mut() {
        s.session = session;
        s.minutes = written.as_ref().ok().map(|w| w.txt.clone());
    }
    match written {
        Ok(w) => m.set_status(
            StatusKind::Saved,
            format!(
                "Enregistré ✓ — GTS du {when} clôturé ({n} décisions appliquées) ; procès-verbal : {}{}",
                w.txt.display(),
                w.note()
            ),
        ),
        Err(e) => m.set_status(
            StatusKind::Error,
            format!("GTS du {when} clôturé (enregistré ✓) mais procès-verbal non écrit : {e}"),
        ),
    }
}
