//! The GTS screens: the calendar of a year (R-GTS-1: move, cancel or
//! restore a session) and the agenda of a session from draft to final
//! (R-GTS-2..5), its documents, and the minutes marked sent (R-GTS-9).
//!
//! Every change is a `Command::Session` operation, decided by the domain
//! (`domain::agenda`) on the session as saved, then said "Enregistré ✓".

use super::form::{Field, Form, FormPurpose, parse_fr_date};
use super::{Model, Overlay, StatusKind};
use crate::domain::agenda::{self, AgendaError};
use crate::domain::calendar::fr_date;
use crate::domain::command::{Command, Refusal, SessionOp};
use crate::domain::gts::{GtsSession, Reply, SessionInfo, session_info};
use crate::domain::{Dataset, Reference};
use crate::keymap::Action;
use chrono::{Datelike, NaiveDate};
use std::path::PathBuf;

const PAGE: usize = 10;

/// What the GTS screens remember.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GtsState {
    /// The year the calendar shows.
    pub year: u16,
    /// The month under the cursor (0 = January).
    pub cursor: usize,
    /// The item under the cursor on the agenda screen.
    pub agenda_cursor: usize,
    /// Where exports go; `None`: [`super::documents::documents_dir`].
    pub docs_dir: Option<PathBuf>,
}

impl GtsState {
    pub fn new(today: NaiveDate) -> GtsState {
        GtsState {
            year: u16::try_from(today.year()).unwrap_or(2026),
            cursor: today.month0() as usize,
            agenda_cursor: 0,
            docs_dir: None,
        }
    }
}

/// The forms of the GTS screens (what Submit does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GtsForm {
    Move {
        year: u16,
        month: u8,
    },
    Cancel {
        year: u16,
        month: u8,
    },
    Restore {
        year: u16,
        month: u8,
    },
    AddItem {
        year: u16,
        month: u8,
    },
    RemoveItem {
        year: u16,
        month: u8,
        reference: Reference,
    },
    NotExamine {
        year: u16,
        month: u8,
        reference: Reference,
    },
    WorkerAdd {
        year: u16,
        month: u8,
    },
}

/// A session as the calendar shows it.
pub fn info(data: &Dataset, year: u16, month: u8) -> SessionInfo {
    session_info(year, month, data.sessions.get(&(year, month)))
}

/// The session as the screens work on it: the saved record (or a fresh
/// one) and, until the draft is sent, its draft recomputed from the data
/// (R-GTS-2). Nothing is saved until the GIP acts on it.
pub fn working_session(data: &Dataset, year: u16, month: u8, today: NaiveDate) -> GtsSession {
    agenda::working_session(data, year, month, today)
}

/// The session as this person is shown it: a worker sees, of the agenda,
/// the situations of the households it may see only.
pub fn shown_session(m: &Model, year: u16, month: u8) -> GtsSession {
    let mut s = working_session(&m.data, year, month, m.today);
    let actor = m.actor();
    if actor.sectors(&m.data).is_some() {
        s.agenda.retain(|i| {
            m.data
                .measures
                .get(&i.reference)
                .is_some_and(|me| actor.sees_household(&m.data, me.household))
        });
    }
    s
}

/// Where the agenda stands: brouillon / envoyé / définitif / clos.
pub fn state_label(s: &GtsSession) -> &'static str {
    if s.closed.is_some() {
        "clos"
    } else if s.final_sent.is_some() {
        "définitif"
    } else if s.draft_sent.is_some() {
        "envoyé"
    } else {
        "brouillon"
    }
}

/// The situations due at the session (R-GTS-2): not removed, and once the
/// final agenda is sent, on it; the dashboard counts them the same way
/// ([`agenda::due_situations`]).
pub fn situation_count(s: &GtsSession) -> usize {
    agenda::due_situations(s).len()
}

/// The year and month under the calendar's cursor.
pub fn selected(m: &Model) -> Option<(u16, u8)> {
    let month = u8::try_from(m.gts.cursor.min(11) + 1).ok()?;
    Some((m.gts.year, month))
}

/// `g`: the calendar opens at the next session (not closed), in its year;
/// with none ahead, on the current year's December.
pub fn on_open(m: &mut Model) {
    if m.screen == super::Screen::Gts {
        return;
    }
    if let Some(n) = &m.derived.next_session {
        m.gts.year = n.year;
        m.gts.cursor = usize::from(n.month.saturating_sub(1));
        return;
    }
    m.gts.year = u16::try_from(m.today.year()).unwrap_or(m.gts.year);
    m.gts.cursor = 11;
}

fn move_in(cur: &mut usize, len: usize, a: Action) -> bool {
    let last = len.saturating_sub(1);
    let new = match a {
        Action::Up => cur.saturating_sub(1),
        Action::Down => (*cur + 1).min(last),
        Action::PageUp => cur.saturating_sub(PAGE),
        Action::PageDown => (*cur + PAGE).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return false,
    };
    *cur = new;
    true
}

fn session_label(year: u16, month: u8) -> String {
    let d = session_info(year, month, None).date;
    format!(
        "{} {}",
        crate::domain::calendar::month_name(d.month()),
        year
    )
}

fn date_label(m: &Model, year: u16, month: u8) -> String {
    fr_date(info(&m.data, year, month).date)
}

/// Actions of the calendar screen.
pub fn on_calendar(m: &mut Model, a: Action) {
    if move_in(&mut m.gts.cursor, 12, a) {
        return;
    }
    let Some((year, month)) = selected(m) else {
        return;
    };
    match a {
        Action::NextSector => m.gts.year = m.gts.year.saturating_add(1).min(9999),
        Action::PrevSector => m.gts.year = m.gts.year.saturating_sub(1).max(1583),
        Action::MoveSession => open_move(m, year, month),
        Action::CancelSession => open_cancel(m, year, month),
        Action::ExportAgenda => export(m, year, month),
        Action::MinutesSent => minutes_sent(m, year, month),
        _ => {}
    }
}

/// Actions of the agenda screen.
pub fn on_agenda(m: &mut Model, year: u16, month: u8, a: Action) {
    let s = shown_session(m, year, month);
    if move_in(&mut m.gts.agenda_cursor, s.agenda.len(), a) {
        return;
    }
    let item = s
        .agenda
        .get(m.gts.agenda_cursor.min(s.agenda.len().saturating_sub(1)))
        .map(|i| i.reference);
    match a {
        Action::AddItem => {
            if let Err(e) = draft_editable(&s) {
                return refuse(m, e);
            }
            open_form(
                m,
                format!("Ajouter une situation au GTS du {}", fr_date(s.date())),
                GtsForm::AddItem { year, month },
                vec![
                    Field::text("reference", "Mesure (AAAA-NNNN)", ""),
                    Field::text("reason", "Motif", ""),
                ],
            );
        }
        Action::RemoveItem => {
            if let Err(e) = draft_editable(&s) {
                return refuse(m, e);
            }
            let Some(reference) = item else {
                return m.set_status(StatusKind::Error, "Aucune situation sélectionnée");
            };
            if s.agenda
                .iter()
                .any(|i| i.reference == reference && i.removed.is_some())
            {
                return refuse(m, AgendaError::NotOnAgenda { reference });
            }
            open_form(
                m,
                format!("Retirer {reference} de l'ordre du jour"),
                GtsForm::RemoveItem {
                    year,
                    month,
                    reference,
                },
                vec![Field::text("reason", "Motif", "")],
            );
        }
        Action::SendDraft => send(
            m,
            year,
            month,
            SessionOp::SendDraft,
            "ODJ brouillon",
            "aux TS",
        ),
        Action::ReplyExamine => {
            let Some(reference) = item else {
                return m.set_status(StatusKind::Error, "Aucune situation sélectionnée");
            };
            let op = SessionOp::Reply {
                reference,
                reply: Reply::WillExamine,
            };
            if run(m, year, month, op).is_ok() {
                m.set_status(
                    StatusKind::Saved,
                    format!("Enregistré ✓ — {reference} : sera examinée"),
                );
            }
        }
        Action::ReplyNotExamine => {
            let Some(reference) = item else {
                return m.set_status(StatusKind::Error, "Aucune situation sélectionnée");
            };
            if let Err(e) = reply_window(&s) {
                return refuse(m, e);
            }
            open_form(
                m,
                format!("{reference} ne sera pas examinée"),
                GtsForm::NotExamine {
                    year,
                    month,
                    reference,
                },
                vec![Field::text("reason", "Motif", "")],
            );
        }
        Action::WorkerAddSituation => {
            if let Err(e) = reply_window(&s) {
                return refuse(m, e);
            }
            open_form(
                m,
                format!(
                    "Situation ajoutée par le TS au GTS du {}",
                    fr_date(s.date())
                ),
                GtsForm::WorkerAdd { year, month },
                vec![
                    Field::text("reference", "Mesure (AAAA-NNNN)", ""),
                    Field::text("reason", "Motif", ""),
                ],
            );
        }
        Action::SendFinal => ask_send_final(m, year, month),
        Action::ExportAgenda => export(m, year, month),
        Action::MinutesSent => minutes_sent(m, year, month),
        Action::Open => {
            if let Some(r) = item {
                super::update::open_household(m, r);
            }
        }
        _ => {}
    }
}

/// `f`: R-GTS-4/5: once the reply time has run, the final agenda goes,
/// replies missing or not; before, only when every reply is in, and then
/// after a confirmation; otherwise the domain's refusal is said.
fn ask_send_final(m: &mut Model, year: u16, month: u8) {
    let s = working_session(&m.data, year, month, m.today);
    if reply_window(&s).is_ok()
        && agenda::replies_missing(&s) == 0
        && agenda::reply_time_running(&s, m.today)
    {
        m.overlay = Some(Overlay::Confirm(super::Confirm {
            title: "Envoyer l'ordre du jour définitif ?".into(),
            message: format!(
                "Toutes les réponses des TS sont là, avant la fin de leur délai (le {}). \
                 Envoyer dès maintenant l'ordre du jour définitif du GTS du {} aux partenaires ?",
                fr_date(agenda::reply_deadline(&s)),
                fr_date(s.date())
            ),
            on_yes: super::Pending::SendFinalEarly { year, month },
        }));
        return;
    }
    send_final(m, year, month);
}

/// Sends the final agenda (R-GTS-5), as the domain decides.
pub fn send_final(m: &mut Model, year: u16, month: u8) {
    send(
        m,
        year,
        month,
        SessionOp::SendFinal,
        "ODJ définitif",
        "aux partenaires",
    );
}

fn plural(n: usize) -> &'static str {
    if n > 1 { "s" } else { "" }
}

/// Sends the draft or the final agenda (R-GTS-3, R-GTS-5): the step
/// freezes it with today's date; saved, then said.
fn send(m: &mut Model, year: u16, month: u8, op: SessionOp, what: &str, to: &str) {
    if let Ok(s) = run(m, year, month, op) {
        let n = situation_count(&s);
        m.set_status(
            StatusKind::Saved,
            format!(
                "Enregistré ✓ — {what} du GTS du {} envoyé {to} le {} ({n} situation{})",
                fr_date(s.date()),
                fr_date(m.today),
                plural(n)
            ),
        );
    }
}

/// Executes an operation on the session's record; the session as saved,
/// or the refusal (also said in the status line).
fn run(m: &mut Model, year: u16, month: u8, op: SessionOp) -> Result<GtsSession, Refusal> {
    match m.execute(Command::Session { year, month, op }) {
        Ok(_) => Ok(saved_or_new(&m.data, year, month)),
        Err(e) => {
            m.set_status(StatusKind::Error, e.to_string());
            Err(e)
        }
    }
}

/// Runs a form's operation: closes the form and says `text` when saved,
/// else keeps it open with the refusal beside `key` (or `reason_key` when
/// the refusal is a missing reason).
fn run_form(
    m: &mut Model,
    mut form: Form,
    (year, month): (u16, u8),
    op: SessionOp,
    key: &'static str,
    text: impl FnOnce(&GtsSession) -> String,
) {
    match run(m, year, month, op) {
        Ok(s) => {
            m.overlay = None;
            let text = text(&s);
            m.set_status(StatusKind::Saved, format!("Enregistré ✓ — {text}"));
        }
        Err(mut e) => {
            if e.field.is_none() {
                let reason = AgendaError::ReasonRequired.to_string();
                e.field = Some(
                    if e.message == reason && form.fields.iter().any(|f| f.key == "reason") {
                        "reason"
                    } else {
                        key
                    },
                );
            }
            form.show_refusal(e);
            m.overlay = Some(Overlay::Form(form));
        }
    }
}

fn refuse(m: &mut Model, e: AgendaError) {
    m.set_status(StatusKind::Error, e.to_string());
}

fn draft_editable(s: &GtsSession) -> Result<(), AgendaError> {
    open_check(s)?;
    if let Some(d) = s.draft_sent {
        return Err(AgendaError::DraftAlreadySent { date: fr_date(d) });
    }
    Ok(())
}

fn reply_window(s: &GtsSession) -> Result<(), AgendaError> {
    open_check(s)?;
    if s.draft_sent.is_none() {
        return Err(AgendaError::DraftNotSent);
    }
    if let Some(d) = s.final_sent {
        return Err(AgendaError::FinalAlreadySent { date: fr_date(d) });
    }
    Ok(())
}

fn open_check(s: &GtsSession) -> Result<(), AgendaError> {
    if let Some(d) = s.closed {
        return Err(AgendaError::Closed { date: fr_date(d) });
    }
    if s.cancelled {
        return Err(AgendaError::Cancelled);
    }
    Ok(())
}

fn open_form(m: &mut Model, title: String, purpose: GtsForm, fields: Vec<Field>) {
    m.overlay = Some(Overlay::Form(Form::new(
        &title,
        FormPurpose::Gts(purpose),
        fields,
    )));
}

fn open_move(m: &mut Model, year: u16, month: u8) {
    let s = working_session(&m.data, year, month, m.today);
    if let Err(e) = open_check(&s) {
        return refuse(m, e);
    }
    open_form(
        m,
        format!("Déplacer le GTS de {}", session_label(year, month)),
        GtsForm::Move { year, month },
        vec![
            Field::text("date", "Nouvelle date (jj/mm/aaaa)", &fr_date(s.date())),
            Field::text("note", "Motif", ""),
        ],
    );
}

fn open_cancel(m: &mut Model, year: u16, month: u8) {
    let s = m
        .data
        .sessions
        .get(&(year, month))
        .cloned()
        .unwrap_or_else(|| GtsSession::new(year, month));
    if let Some(d) = s.closed {
        return refuse(m, AgendaError::Closed { date: fr_date(d) });
    }
    let (title, purpose) = if s.cancelled {
        (
            format!("Rétablir le GTS de {}", session_label(year, month)),
            GtsForm::Restore { year, month },
        )
    } else {
        if !s.decisions.is_empty() {
            return refuse(m, AgendaError::HasDecisions);
        }
        (
            format!("Annuler le GTS de {}", session_label(year, month)),
            GtsForm::Cancel { year, month },
        )
    };
    open_form(m, title, purpose, vec![Field::text("note", "Motif", "")]);
}

/// Keeps the form open with its error, also said in the status line.
fn form_error(m: &mut Model, mut form: Form, key: &str, msg: String) {
    form.set_error(key, msg.clone());
    m.set_status(StatusKind::Error, msg);
    m.overlay = Some(Overlay::Form(form));
}

fn reference_field(form: &Form) -> Result<Reference, String> {
    let t = form.text("reference");
    if t.is_empty() {
        return Err("référence obligatoire (AAAA-NNNN)".into());
    }
    t.parse::<Reference>()
}

/// Submit of a GTS form.
pub fn submit(m: &mut Model, mut form: Form, g: GtsForm) {
    form.clear_errors();
    match g {
        GtsForm::Move { year, month } => {
            let date = match parse_fr_date(&form.text("date")) {
                Ok(d) => d,
                Err(e) => return form_error(m, form, "date", e),
            };
            // R-GTS-1: a Saturday, a Sunday or a public holiday is asked
            // first (once a reason is typed: without one it is refused).
            if let Some(why) = crate::domain::calendar::non_working_reason(date)
                && !form.text("note").trim().is_empty()
            {
                m.stash = Some(Box::new(Overlay::Form(form)));
                m.overlay = Some(Overlay::Confirm(super::Confirm {
                    title: "Déplacer le GTS ?".into(),
                    message: format!("Le {} {why} : déplacer quand même ?", fr_date(date)),
                    on_yes: super::Pending::MoveSessionAnyway { year, month, date },
                }));
                return;
            }
            move_to(m, form, (year, month), date, false);
        }
        GtsForm::Cancel { year, month } => {
            let note = form.text("note");
            let when = date_label(m, year, month);
            let op = SessionOp::Cancel { note: note.clone() };
            run_form(m, form, (year, month), op, "note", |_| {
                format!("GTS du {when} annulé ({note})")
            });
        }
        GtsForm::Restore { year, month } => {
            let note = form.text("note");
            let when = date_label(m, year, month);
            let op = SessionOp::Restore { note: note.clone() };
            run_form(m, form, (year, month), op, "note", |_| {
                format!("GTS du {when} rétabli ({note})")
            });
        }
        // The GIP adds a situation to the draft; a worker adds one in its
        // reply (R-GTS-4).
        GtsForm::AddItem { year, month } | GtsForm::WorkerAdd { year, month } => {
            let reference = match reference_field(&form) {
                Ok(r) => r,
                Err(e) => return form_error(m, form, "reference", e),
            };
            let reason = form.text("reason");
            let (op, by) = match g {
                GtsForm::AddItem { .. } => (
                    SessionOp::AddItem {
                        reference,
                        reason: reason.clone(),
                    },
                    "à l'ordre du jour",
                ),
                _ => (
                    SessionOp::AddWorkerSituation {
                        reference,
                        reason: reason.clone(),
                    },
                    "par le TS",
                ),
            };
            run_form(m, form, (year, month), op, "reference", |_| {
                format!("{reference} ajoutée {by} ({reason})")
            });
            focus_item(m, year, month, reference);
        }
        GtsForm::RemoveItem {
            year,
            month,
            reference,
        } => {
            let reason = form.text("reason");
            let op = SessionOp::RemoveItem {
                reference,
                reason: reason.clone(),
            };
            run_form(m, form, (year, month), op, "reason", |_| {
                format!("{reference} retirée de l'ordre du jour ({reason})")
            });
        }
        GtsForm::NotExamine {
            year,
            month,
            reference,
        } => {
            let reason = form.text("reason");
            let op = SessionOp::Reply {
                reference,
                reply: Reply::WillNotExamine {
                    reason: reason.clone(),
                },
            };
            run_form(m, form, (year, month), op, "reason", |_| {
                format!("{reference} : ne sera pas examinée ({reason})")
            });
        }
    }
}

/// Moves the session as the form says (R-GTS-1); `anyway`: to a day off,
/// confirmed.
fn move_to(m: &mut Model, form: Form, (year, month): (u16, u8), date: NaiveDate, anyway: bool) {
    let note = form.text("note");
    let before = fr_date(info(&m.data, year, month).date);
    let op = SessionOp::Move {
        date,
        note: note.clone(),
        anyway,
    };
    run_form(m, form, (year, month), op, "date", |s| {
        format!(
            "GTS de {} déplacé du {before} au {} ({note})",
            session_label(year, month),
            fr_date(s.date())
        )
    });
}

/// "Yes" to moving a session to a day off: the move form that asked it
/// (kept aside while the question was shown) is saved.
pub fn move_anyway(m: &mut Model, form: Option<Overlay>, year: u16, month: u8, date: NaiveDate) {
    m.overlay = None;
    if let Some(Overlay::Form(form)) = form {
        move_to(m, form, (year, month), date, true);
    }
}

fn saved_or_new(data: &Dataset, year: u16, month: u8) -> GtsSession {
    data.sessions
        .get(&(year, month))
        .cloned()
        .unwrap_or_else(|| GtsSession::new(year, month))
}

/// The agenda's cursor on `reference`, once saved.
fn focus_item(m: &mut Model, year: u16, month: u8, reference: Reference) {
    if m.overlay.is_some() {
        return;
    }
    let s = shown_session(m, year, month);
    if let Some(p) = s.agenda.iter().position(|i| i.reference == reference) {
        m.gts.agenda_cursor = p;
    }
}

/// `x`: the draft agenda until the final one is sent, then the final one,
/// as a PDF and its text twin in the documents folder.
pub fn export(m: &mut Model, year: u16, month: u8) {
    let s = shown_session(m, year, month);
    if s.cancelled {
        return refuse(m, AgendaError::Cancelled);
    }
    let (what, stem, text, pdf) = if s.final_sent.is_some() {
        (
            "ODJ définitif",
            format!("odj-definitif-{year:04}-{month:02}"),
            crate::report::final_agenda_text(&m.data, &s, false),
            crate::report::final_agenda_pdf(&m.data, &s, false),
        )
    } else {
        (
            "ODJ brouillon",
            format!("odj-brouillon-{year:04}-{month:02}"),
            crate::report::draft_agenda_text(&m.data, &s, false),
            crate::report::draft_agenda_pdf(&m.data, &s, false),
        )
    };
    let dir = m
        .gts
        .docs_dir
        .clone()
        .unwrap_or_else(super::documents::documents_dir);
    match super::documents::write_document(&dir, &stem, &text, &pdf) {
        Ok(w) => m.set_status(
            StatusKind::Info,
            format!("{what} exporté : {} (et .txt){}", w.pdf.display(), w.note()),
        ),
        Err(e) => m.set_status(StatusKind::Error, format!("Export impossible : {e}")),
    }
}

/// `v`: the minutes of a closed session are marked sent today (R-GTS-9).
pub fn minutes_sent(m: &mut Model, year: u16, month: u8) {
    if let Ok(s) = run(m, year, month, SessionOp::MinutesSent) {
        m.set_status(
            StatusKind::Saved,
            format!(
                "Enregistré ✓ — PV du GTS du {} envoyé le {}",
                fr_date(s.date()),
                fr_date(m.today)
            ),
        );
    }
}
