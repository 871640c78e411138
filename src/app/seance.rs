//! The GTS meeting (séance), live: attendance, then one situation at a
//! time with one key per decision, each saved at once; closing applies the
//! decisions in one commit and writes the minutes (R-GTS-6..9, R-MES-4).

use super::{Model, Screen, StatusKind};
use crate::domain::agenda;
use crate::domain::gts::{Attendee, Decision, GtsSession, SessionInfo, next_session, session_info};
use crate::domain::sector::Employer;
use crate::domain::{LandlordKind, Record, Reference};
use crate::keymap::{Action, Chord, Mode};
use chrono::NaiveDateTime;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::collections::BTreeMap;

/// The name written for an organisation's representative until the GIP
/// types the person's name.
pub const REPRESENTATIVE: &str = "représentant·e";
/// The row standing for the private landlords of the households.
pub const PRIVATE_LANDLORDS: &str = "Bailleurs privés";

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

/// Attendance proposed for a session with none yet: the three employers,
/// the landlords of the households on the agenda, the workers concerned
/// (with their employer); everybody absent until ticked.
pub fn default_attendance(data: &crate::domain::Dataset, session: &GtsSession) -> Vec<Attendee> {
    let mut out: Vec<Attendee> = Employer::ALL
        .iter()
        .map(|e| Attendee {
            name: REPRESENTATIVE.to_string(),
            organisation: e.label().to_string(),
            present: false,
        })
        .collect();
    // Public landlords by name; private ones (individuals) in one row.
    let mut landlords: Vec<String> = Vec::new();
    let mut private = false;
    let mut workers: Vec<crate::domain::WorkerId> = Vec::new();
    for item in agenda::final_agenda(session) {
        let Some(m) = data.measures.get(&item.reference) else {
            continue;
        };
        if let Some(l) = data
            .households
            .get(&m.household)
            .and_then(|h| h.landlord.as_ref())
            && !l.name.trim().is_empty()
        {
            match l.kind {
                LandlordKind::Public if !landlords.contains(&l.name) => {
                    landlords.push(l.name.clone())
                }
                LandlordKind::Private => private = true,
                _ => {}
            }
        }
        if let Some(w) = m.worker
            && !workers.contains(&w)
        {
            workers.push(w);
        }
    }
    landlords.sort();
    if private {
        landlords.push(PRIVATE_LANDLORDS.to_string());
    }
    out.extend(landlords.into_iter().map(|l| Attendee {
        name: REPRESENTATIVE.to_string(),
        organisation: l,
        present: false,
    }));
    let mut ws: Vec<&crate::domain::Worker> =
        workers.iter().filter_map(|w| data.workers.get(w)).collect();
    ws.sort_by(|a, b| a.name.cmp(&b.name));
    out.extend(ws.into_iter().map(|w| Attendee {
        name: w.name.clone(),
        organisation: w.employer.label().to_string(),
        present: false,
    }));
    out
}

/// `S`: opens the meeting of the next session not closed (over the next
/// three months). Its agenda is computed when none is saved yet.
pub fn open(m: &mut Model) {
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
    let mut session = m
        .data
        .sessions
        .get(&(info.year, info.month))
        .cloned()
        .unwrap_or_else(|| GtsSession::new(info.year, info.month));
    if session.draft_sent.is_none()
        && let Err(e) = agenda::refresh_draft(&m.data, &info, &mut session, m.today)
    {
        m.set_status(StatusKind::Error, e.to_string());
        return;
    }
    if session.attendance.is_empty() {
        session.attendance = default_attendance(&m.data, &session);
    }
    if session.chair.trim().is_empty() {
        session.chair = Employer::ConseilGeneral.label().to_string();
    }
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
    }));
    if m.screen != Screen::Seance {
        m.back.push(m.screen);
        m.screen = Screen::Seance;
    }
    m.status = None;
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

fn month_label(s: &GtsSession) -> String {
    format!("GTS {:02}/{}", s.month, s.year)
}

/// Commits the session record; on success the screen works on it.
fn save_session(m: &mut Model, session: GtsSession, done: String) -> bool {
    let summary = format!("{} : {done}", month_label(&session));
    match m.commit(summary, vec![Record::Session(session.clone())]) {
        Ok(_) => {
            if let Some(s) = m.seance.as_mut() {
                s.session = session;
            }
            m.set_status(StatusKind::Saved, format!("Enregistré ✓ — {done}"));
            true
        }
        Err(e) => {
            m.set_status(StatusKind::Error, format!("Non enregistré : {e}"));
            false
        }
    }
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
        Action::Help => m.overlay = Some(super::Overlay::Help { scroll: 0 }),
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
            let mut session = s.session.clone();
            if let Err(e) = agenda::set_present(&mut session, i, !a.present) {
                return refuse(m, e.to_string());
            }
            let who = attendee_label(&a);
            let done = if a.present {
                format!("{who} : absent·e")
            } else {
                format!("{who} : présent·e")
            };
            save_session(m, session, done);
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
            let mut session = s.session.clone();
            if let Err(e) = agenda::set_chair(&mut session, &chair) {
                return refuse(m, e.to_string());
            }
            save_session(m, session, format!("présidence : {chair}"));
        }
        Action::StartSituations => {
            s.phase = Phase::Situations;
            m.status = None;
        }
        _ => {}
    }
}

/// `Conseil Général` for a representative, `CAF — M. Robin` otherwise.
pub fn attendee_label(a: &Attendee) -> String {
    if a.name == REPRESENTATIVE || a.name.trim().is_empty() {
        a.organisation.clone()
    } else if a.organisation.trim().is_empty() {
        a.name.clone()
    } else {
        format!("{} — {}", a.organisation, a.name)
    }
}

fn add_person(m: &mut Model, name: &str, org: &str) {
    let Some(s) = m.seance.as_mut() else { return };
    let mut session = s.session.clone();
    if let Err(e) = agenda::add_attendee(&mut session, name, org) {
        return refuse(m, e.to_string());
    }
    let n = session.attendance.len();
    let label = session
        .attendance
        .last()
        .map(attendee_label)
        .unwrap_or_default();
    if save_session(m, session, format!("{label} ajouté·e, présent·e"))
        && let Some(s) = m.seance.as_mut()
    {
        s.cursor = n.saturating_sub(1);
    }
}

/// `e`: names the person who came for an organisation; marked present.
fn rename(m: &mut Model, name: String) {
    let Some(s) = m.seance.as_mut() else { return };
    let i = s.cursor;
    let name = name.trim().to_string();
    if name.is_empty() {
        return refuse(m, "Nom obligatoire".into());
    }
    let mut list = s.session.attendance.clone();
    let Some(a) = list.get_mut(i) else { return };
    let was_chair = s.session.chair == attendee_label(a);
    a.name = name;
    a.present = true;
    let label = attendee_label(a);
    let mut session = s.session.clone();
    if let Err(e) = agenda::set_attendance(&mut session, list) {
        return refuse(m, e.to_string());
    }
    if was_chair && let Err(e) = agenda::set_chair(&mut session, &label) {
        return refuse(m, e.to_string());
    }
    save_session(m, session, format!("{label} : présent·e"));
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
            let mut session = s.session.clone();
            if let Err(e) = agenda::clear_decision(&mut session, r) {
                return refuse(m, e.to_string());
            }
            save_session(m, session, format!("{r} : décision retirée"));
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
    let mut session = s.session.clone();
    if let Err(e) =
        agenda::record_decision(&mut session, &measure, decision.clone(), colleague, m.today)
    {
        return refuse(m, e.to_string());
    }
    let mut done = format!("{r} : {}", decision.label());
    if let Some(d) = agenda::decision_for(&session, r)
        && let Some(end) = agenda::new_planned_end(&measure, d)
    {
        done.push_str(&format!(
            ", fin prévue {}",
            crate::domain::calendar::fr_date(end)
        ));
    }
    if save_session(m, session, done)
        && let Some(s) = m.seance.as_mut()
    {
        s.colleague.remove(&r);
    }
}

/// R-GTS-6: the colleague who presents; saved with the decision (at once
/// when it is already taken).
fn set_colleague(m: &mut Model, name: String) {
    let Some(s) = m.seance.as_mut() else { return };
    let Some(r) = s.current() else { return };
    let name = name.trim().to_string();
    match agenda::decision_for(&s.session, r).cloned() {
        Some(d) => {
            let Some(measure) = m.data.measures.get(&r).cloned() else {
                return;
            };
            let mut session = s.session.clone();
            let colleague = (!name.is_empty()).then(|| name.clone());
            if let Err(e) = agenda::record_decision(
                &mut session,
                &measure,
                d.decision,
                colleague,
                d.recorded_on,
            ) {
                return refuse(m, e.to_string());
            }
            let done = if name.is_empty() {
                format!("{r} : présentée par le ou la TS")
            } else {
                format!("{r} : présentée par {name} (R-GTS-6)")
            };
            save_session(m, session, done);
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
    let Some(s) = m.seance.as_mut() else { return };
    let mut session = s.session.clone();
    let records = match agenda::close_session(&m.data, &mut session, m.today) {
        Ok(r) => r,
        Err(e) => return refuse(m, e.to_string()),
    };
    let n = session.decisions.len();
    let when = crate::domain::calendar::fr_date(session.date());
    let summary = format!(
        "{} clôturé : {n} décision{} appliquée{}",
        month_label(&session),
        if n > 1 { "s" } else { "" },
        if n > 1 { "s" } else { "" }
    );
    if let Err(e) = m.commit(summary, records) {
        m.set_status(StatusKind::Error, format!("Non enregistré : {e}"));
        return;
    }
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
        s.minutes = written.as_ref().ok().map(|(_, t)| t.clone());
    }
    match written {
        Ok((_, txt)) => m.set_status(
            StatusKind::Saved,
            format!(
                "Enregistré ✓ — GTS du {when} clôturé ({n} décisions appliquées) ; procès-verbal : {}",
                txt.display()
            ),
        ),
        Err(e) => m.set_status(
            StatusKind::Error,
            format!("GTS du {when} clôturé (enregistré ✓) mais procès-verbal non écrit : {e}"),
        ),
    }
}
