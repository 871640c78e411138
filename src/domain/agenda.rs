//! The GTS agenda from draft to final, the decisions of the meeting and the
//! closing of a session (R-GTS-2..9, R-MES-4..6, R-ELIG-2).
//!
//! Every transition is a function over a `&mut GtsSession` that refuses
//! out-of-order steps with a French message; the application applies it to
//! a clone, commits the records, then shows "Enregistré ✓".
//!
//! Free-text notes of an item (why the GIP or a worker added it, why it was
//! postponed) are kept on the item; read them with [`item_note`].

use super::alerts::CONTRACT_DAYS;
use super::calendar::{deadlines, fr_date, on_or_before_working_day};
use super::dataset::Dataset;
use super::error::DomainError;
use super::gts::{
    AgendaItem, AgendaReason, Attendee, Decision, DecisionRecord, GtsSession, Reply, SessionInfo,
};
use super::household::LandlordKind;
use super::ids::{Reference, WorkerId};
use super::measure::{Contract, Measure, MeasureStatus, check_renewal, check_review_for_renewal};
use super::record::Record;
use super::referral::ReferralKind;
use super::sector::Employer;
use chrono::NaiveDate;
use thiserror::Error;

/// A refused step of the agenda or the meeting, in French.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AgendaError {
    #[error("Ordre du jour figé : le brouillon a été envoyé aux TS le {date} (R-GTS-3)")]
    DraftAlreadySent { date: String },
    #[error("L'ordre du jour brouillon n'a pas encore été envoyé aux TS (R-GTS-3)")]
    DraftNotSent,
    #[error("Ordre du jour figé : le définitif a été envoyé aux partenaires le {date} (R-GTS-5)")]
    FinalAlreadySent { date: String },
    #[error("Le GTS a été clôturé le {date} : plus aucune modification")]
    Closed { date: String },
    #[error("Le GTS n'est pas encore clôturé")]
    NotClosed,
    #[error("Ce GTS est annulé")]
    Cancelled,
    #[error("Mesure {reference} introuvable")]
    UnknownMeasure { reference: Reference },
    #[error(
        "La mesure {reference} est {status} : elle ne peut pas être inscrite à l'ordre du jour"
    )]
    MeasureNotActive {
        reference: Reference,
        status: String,
    },
    #[error("La situation {reference} est déjà à l'ordre du jour")]
    AlreadyOnAgenda { reference: Reference },
    #[error("La situation {reference} n'est pas à l'ordre du jour")]
    NotOnAgenda { reference: Reference },
    #[error(
        "La situation {reference} n'est pas à l'ordre du jour définitif (retirée ou non examinée)"
    )]
    NotOnFinalAgenda { reference: Reference },
    #[error("Aucune décision enregistrée pour la situation {reference}")]
    NoDecision { reference: Reference },
    #[error("Motif obligatoire")]
    ReasonRequired,
    #[error("Aucune séance du GTS après le {date} pour y reporter les situations")]
    NoNextSession { date: String },
    #[error("Date du {date} antérieure à la séance du {session}")]
    BeforeSession { date: String, session: String },
    #[error(
        "Les TS ont jusqu'au {deadline} inclus pour répondre (72 heures, R-GTS-4) et {missing} : \
         l'ordre du jour définitif part après ce délai, ou dès que toutes les réponses sont là \
         (R-GTS-5)"
    )]
    RepliesPending { deadline: String, missing: String },
    #[error("Le {date} {why} : le GTS n'y est déplacé que sur confirmation (R-GTS-1)")]
    NonWorkingDay { date: String, why: String },
    #[error("Procès-verbal déjà envoyé le {date}")]
    MinutesAlreadySent { date: String },
    #[error("Séance impossible à annuler : des décisions y sont déjà enregistrées")]
    HasDecisions,
    #[error(
        "La séance du GTS du {date} ne peut être tenue qu'à partir de ce jour-là (R-GTS-1) ; \
         avant, seule une répétition est possible, qui n'enregistre rien"
    )]
    BeforeMeetingDay { date: String },
    #[error("Personne n'est noté présent : marquez les présences avant de clore la séance")]
    NobodyPresent,
    #[error(
        "La présidence ({chair}) n'est pas notée présente : marquez-la présente ou désignez \
         une présidence parmi les présents (R-GTS-1)"
    )]
    ChairAbsent { chair: String },
    #[error(
        "{worker}, TS en charge, est absent·e : nommez la ou le collègue présent·e qui présente \
         la situation (R-GTS-6)"
    )]
    PresenterAbsent { worker: String },
    #[error(
        "{name} n'est pas noté·e présent·e : la situation est présentée par une personne \
         présente (R-GTS-6)"
    )]
    ColleagueAbsent { name: String },
    #[error(
        "{reference} est arrivée à son terme le {end} et a déjà été reportée par le GTS du \
         {postponed} : arrêt ou renouvellement (R-GTS-7)"
    )]
    PostponedTwice {
        reference: Reference,
        end: String,
        postponed: String,
    },
    #[error("{0}")]
    Domain(#[from] DomainError),
}

/// R-GTS-7 (Decision, docs/decisions.md): from the session a measure is
/// due at (R-GTS-2), it is postponed at most once: at the next session,
/// past its planned end, the GTS stops or renews it. A cycle starts at the
/// start or at the last renewal; postponements before the due session (a
/// difficulty, R-MES-6) do not count.
pub fn check_postponement(
    data: &Dataset,
    session: &GtsSession,
    measure: &Measure,
) -> Result<(), AgendaError> {
    let Some(end) = measure.planned_end else {
        return Ok(());
    };
    let date = session.date();
    if end >= date {
        return Ok(());
    }
    let cycle_from = measure
        .renewals
        .last()
        .map(|r| r.decided_on)
        .or(measure.start)
        .unwrap_or(NaiveDate::MIN);
    // Postponements count from the session the measure was due at
    // (R-GTS-2): one before it (a difficulty, say) is not the one allowed.
    let due = end
        .checked_sub_days(chrono::Days::new(62))
        .map(|from| data.sessions_from(from, 4))
        .and_then(|infos| super::gts::due_session(end, &infos).map(|s| s.date));
    let since = due.map_or(cycle_from, |d| d.max(cycle_from));
    let earlier = data
        .sessions
        .values()
        .filter(|s| !s.cancelled && s.date() < date && s.date() >= since && s.date() > cycle_from)
        .filter(|s| {
            s.decisions.iter().any(|d| {
                d.reference == measure.reference && matches!(d.decision, Decision::Postpone { .. })
            })
        })
        .map(|s| s.date())
        .max();
    match earlier {
        Some(on) => Err(AgendaError::PostponedTwice {
            reference: measure.reference,
            end: fr_date(end),
            postponed: fr_date(on),
        }),
        None => Ok(()),
    }
}

/// R-GTS-1: a meeting is held on its day (or later, to record it); before,
/// nothing of it is saved.
pub fn ensure_meeting_day(session: &GtsSession, today: NaiveDate) -> Result<(), AgendaError> {
    let date = session.date();
    if today < date {
        return Err(AgendaError::BeforeMeetingDay {
            date: fr_date(date),
        });
    }
    Ok(())
}

/// Is `name` someone present: a name typed, or the label of an attendance
/// row (`CAF — M. Robin`, `Conseil Général`)?
pub fn is_present(session: &GtsSession, name: &str) -> bool {
    let name = name.trim();
    !name.is_empty()
        && session
            .attendance
            .iter()
            .filter(|a| a.present)
            .any(|a| a.name.trim() == name || attendee_label(a) == name)
}

/// R-GTS-6: who presents a situation: the worker in charge when present,
/// else a colleague, who must be present (and is recorded). `None` when
/// the worker in charge is absent and no colleague is named.
pub fn presenter_check(
    data: &Dataset,
    session: &GtsSession,
    measure: &Measure,
    colleague: Option<&str>,
) -> Result<(), AgendaError> {
    if let Some(c) = colleague.map(str::trim).filter(|c| !c.is_empty()) {
        if !is_present(session, c) {
            return Err(AgendaError::ColleagueAbsent {
                name: c.to_string(),
            });
        }
        return Ok(());
    }
    let worker = data.worker_name(measure.worker);
    if !is_present(session, worker) {
        return Err(AgendaError::PresenterAbsent {
            worker: worker.to_string(),
        });
    }
    Ok(())
}

fn ensure_open(session: &GtsSession) -> Result<(), AgendaError> {
    if let Some(d) = session.closed {
        return Err(AgendaError::Closed { date: fr_date(d) });
    }
    if session.cancelled {
        return Err(AgendaError::Cancelled);
    }
    Ok(())
}

fn ensure_draft_editable(session: &GtsSession) -> Result<(), AgendaError> {
    ensure_open(session)?;
    if let Some(d) = session.draft_sent {
        return Err(AgendaError::DraftAlreadySent { date: fr_date(d) });
    }
    Ok(())
}

fn ensure_reply_window(session: &GtsSession) -> Result<(), AgendaError> {
    ensure_open(session)?;
    if session.draft_sent.is_none() {
        return Err(AgendaError::DraftNotSent);
    }
    if let Some(d) = session.final_sent {
        return Err(AgendaError::FinalAlreadySent { date: fr_date(d) });
    }
    Ok(())
}

fn required(reason: &str) -> Result<String, AgendaError> {
    let r = reason.trim();
    if r.is_empty() {
        Err(AgendaError::ReasonRequired)
    } else {
        Ok(r.to_string())
    }
}

fn is_active(m: &Measure) -> bool {
    matches!(m.status, MeasureStatus::Waiting | MeasureStatus::InProgress)
}

fn active_measure(data: &Dataset, reference: Reference) -> Result<&Measure, AgendaError> {
    let m = data
        .measures
        .get(&reference)
        .ok_or(AgendaError::UnknownMeasure { reference })?;
    if !is_active(m) {
        return Err(AgendaError::MeasureNotActive {
            reference,
            status: m.status.label().to_string(),
        });
    }
    Ok(m)
}

// ---------------------------------------------------------------------------
// Item notes: why the GIP or a worker added an item, why it was postponed.

/// The free texts attached to an item (reason of an addition or of a
/// postponement), in the order they were written.
pub fn item_notes(session: &GtsSession, reference: Reference) -> Vec<&str> {
    session
        .agenda
        .iter()
        .find(|i| i.reference == reference)
        .map(|i| i.notes.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The free texts attached to an item, joined, if any.
pub fn item_note(session: &GtsSession, reference: Reference) -> Option<String> {
    let parts = item_notes(session, reference);
    (!parts.is_empty()).then(|| parts.join(" ; "))
}

/// The session's own note (moved, cancelled…).
pub fn free_note(session: &GtsSession) -> String {
    session.note.clone()
}

fn push_item_note(session: &mut GtsSession, reference: Reference, text: &str) {
    let line = text.replace('\n', " ");
    if let Some(item) = session.agenda.iter_mut().find(|i| i.reference == reference)
        && !item.notes.contains(&line)
    {
        item.notes.push(line);
    }
}

// ---------------------------------------------------------------------------
// R-GTS-2: the draft agenda.

/// The saved record of the last session held before `info`, if any.
pub fn previous_session<'a>(data: &'a Dataset, info: &SessionInfo) -> Option<&'a GtsSession> {
    data.sessions_around(info.date)
        .into_iter()
        .filter(|s| {
            s.held() && s.date < info.date && !(s.year == info.year && s.month == info.month)
        })
        .max_by_key(|s| s.date)
        .and_then(|s| data.sessions.get(&(s.year, s.month)))
}

/// The reasons the data puts a measure on the agenda of `info` (without the
/// postponements, which come from the previous session).
fn computed_reasons(
    data: &Dataset,
    m: &Measure,
    info: &SessionInfo,
    sessions: &[SessionInfo],
    previous_date: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<AgendaReason> {
    let mut reasons = Vec::new();
    if m.kind != ReferralKind::Measure {
        return reasons;
    }
    let in_progress = m.is_in_progress();

    // Planned end: due at the last session held on or before it; a measure
    // whose due session has passed undecided goes to the coming session.
    if in_progress && let Some(end) = m.planned_end {
        match super::gts::due_session(end, sessions) {
            Some(due) if due.year == info.year && due.month == info.month => {
                reasons.push(AgendaReason::PlannedEnd)
            }
            due => {
                // Its session has passed (or there was none): the coming
                // session takes it.
                let missed = due.is_none_or(|d| d.date < today && d.date < info.date);
                let coming = super::gts::next_session(today, sessions)
                    .is_some_and(|n| n.year == info.year && n.month == info.month);
                if missed && coming && end < info.date {
                    reasons.push(AgendaReason::PlannedEnd);
                }
            }
        }
    }

    // R-MES-5: no contract signed thirty days after the start, with or
    // without a reason.
    if in_progress
        && !matches!(m.contract, Contract::Signed(_))
        && let Some(start) = m.start
        && (info.date - start).num_days() >= CONTRACT_DAYS as i64
    {
        reasons.push(AgendaReason::NoContract);
    }

    // R-MES-6: refusal to collaborate, or cannot be set up or go on.
    let difficulty = match &m.status {
        MeasureStatus::InProgress | MeasureStatus::Waiting => {
            m.difficulty.as_ref().is_some_and(|d| d.date <= info.date)
        }
        MeasureStatus::NotStarted { date, .. } => {
            *date <= info.date && previous_date.is_none_or(|p| *date > p)
        }
        MeasureStatus::Stopped { .. } => false,
    };
    if difficulty {
        reasons.push(AgendaReason::Difficulty);
    }

    // R-ELIG-2: a judicial protection with an active measure.
    if is_active(m)
        && data
            .households
            .get(&m.household)
            .is_some_and(|h| h.judicial_protection)
    {
        reasons.push(AgendaReason::JudicialProtection);
    }
    reasons
}

/// What the draft of a session is computed against: the sessions around
/// it, the previous session's date and what that session carried.
struct DraftContext {
    sessions: Vec<SessionInfo>,
    previous_date: Option<NaiveDate>,
    postponed: Vec<Reference>,
}

fn draft_context(
    data: &Dataset,
    session: &SessionInfo,
    previous: Option<&GtsSession>,
) -> DraftContext {
    let sessions = data.sessions_around(session.date);
    // The previous session: the saved record given, else the calendar's.
    let previous_date = previous.map(GtsSession::date).or_else(|| {
        sessions
            .iter()
            .filter(|s| s.held() && s.date < session.date)
            .map(|s| s.date)
            .max()
    });
    // Postponed by the previous session, or said "will not be examined"
    // there by the worker (R-GTS-4, carried once it closed).
    let postponed: Vec<Reference> = previous
        .map(|p| {
            let not_examined = p
                .agenda
                .iter()
                .filter(|_| p.closed.is_some())
                .filter(|i| {
                    i.removed.is_none()
                        && matches!(i.reply, Some((Reply::WillNotExamine { .. }, _)))
                })
                .map(|i| i.reference);
            p.decisions
                .iter()
                .filter(|d| matches!(d.decision, Decision::Postpone { .. }))
                .map(|d| d.reference)
                .chain(not_examined)
                .collect()
        })
        .unwrap_or_default();
    DraftContext {
        sessions,
        previous_date,
        postponed,
    }
}

/// The reasons a measure is on the computed draft of `session`.
fn draft_reasons(
    data: &Dataset,
    m: &Measure,
    session: &SessionInfo,
    ctx: &DraftContext,
    today: NaiveDate,
) -> Vec<AgendaReason> {
    let mut reasons = computed_reasons(data, m, session, &ctx.sessions, ctx.previous_date, today);
    if ctx.postponed.contains(&m.reference) && is_active(m) {
        reasons.push(AgendaReason::Postponed);
    }
    reasons
}

/// R-GTS-2: the draft agenda of a session, computed from the data: measures
/// due by their planned end, R-MES-5, R-MES-6 and R-ELIG-2 situations, and
/// what the previous session postponed. One item per measure with all its
/// reasons, ordered by sector, worker, reference.
pub fn draft_agenda(
    data: &Dataset,
    session: &SessionInfo,
    previous: Option<&GtsSession>,
    today: NaiveDate,
) -> Vec<AgendaItem> {
    let ctx = draft_context(data, session, previous);
    let mut items: Vec<AgendaItem> = data
        .measures
        .values()
        .filter_map(|m| {
            let reasons = draft_reasons(data, m, session, &ctx, today);
            (!reasons.is_empty()).then_some(AgendaItem {
                reference: m.reference,
                reasons,
                removed: None,
                reply: None,
                notes: Vec::new(),
            })
        })
        .collect();
    sort_items(data, &mut items);
    items
}

// ---------------------------------------------------------------------------
// R-GTS-2: the situations due at a session, one rule for every screen.

/// Whether an item of a session's agenda is a situation due there: not
/// removed, and on the final agenda once that is sent.
pub fn counts_as_due(session: &GtsSession, item: &AgendaItem) -> bool {
    item.removed.is_none() && (session.final_sent.is_none() || is_on_final(item))
}

/// R-GTS-2: the situations due at a session, from its agenda as it stands
/// ([`working_session`]: the draft recomputed until it is sent). The
/// dashboard's count and the agenda's are this one.
pub fn due_situations(session: &GtsSession) -> Vec<Reference> {
    session
        .agenda
        .iter()
        .filter(|i| counts_as_due(session, i))
        .map(|i| i.reference)
        .collect()
}

/// Whether one measure is among the [`due_situations`] of the session
/// `info` as [`working_session`] gives it on `today`, without computing the
/// whole agenda (the views' update after a commit uses it).
pub fn is_due_at(
    data: &Dataset,
    info: &SessionInfo,
    reference: Reference,
    today: NaiveDate,
) -> bool {
    let saved = data.sessions.get(&(info.year, info.month));
    let item = saved.and_then(|s| s.agenda.iter().find(|i| i.reference == reference));
    if let Some(s) = saved
        && (s.draft_sent.is_some() || s.closed.is_some() || s.cancelled)
    {
        // Frozen: the agenda as saved.
        return item.is_some_and(|i| counts_as_due(s, i));
    }
    match item {
        Some(i) if i.removed.is_some() => false,
        Some(i) if i.reasons.iter().any(|r| is_manual(*r)) => true,
        _ => data.measures.get(&reference).is_some_and(|m| {
            let ctx = draft_context(data, info, previous_session(data, info));
            !draft_reasons(data, m, info, &ctx, today).is_empty()
        }),
    }
}

/// Sorts agenda items by sector (the convention's order), then worker name,
/// then reference; items whose measure is unknown come last.
pub fn sort_items(data: &Dataset, items: &mut [AgendaItem]) {
    items.sort_by_cached_key(|it| {
        let m = data.measures.get(&it.reference);
        let sector = m.map_or(u16::MAX, |m| m.sector.0);
        let worker = m
            .and_then(|m| m.worker)
            .and_then(|w| data.workers.get(&w))
            .map_or_else(|| "\u{10FFFF}".to_string(), |w| w.name.to_lowercase());
        (sector, worker, it.reference)
    });
}

fn is_manual(r: AgendaReason) -> bool {
    matches!(
        r,
        AgendaReason::AddedByGip | AgendaReason::AddedByWorker | AgendaReason::Postponed
    )
}

/// Recomputes the draft of a session not yet sent, keeping what the GIP did:
/// its additions and removals, and the items carried from the previous
/// session. Computed items that no longer apply are dropped.
/// The session as it is worked on: the saved record (or a fresh one) and,
/// until the draft is sent, its draft recomputed from the data (R-GTS-2).
pub fn working_session(data: &Dataset, year: u16, month: u8, today: NaiveDate) -> GtsSession {
    let mut s = data
        .sessions
        .get(&(year, month))
        .cloned()
        .unwrap_or_else(|| GtsSession::new(year, month));
    if s.draft_sent.is_none() && s.closed.is_none() && !s.cancelled {
        let i = super::gts::session_info(year, month, Some(&s));
        // Refused only when frozen, closed or cancelled: then kept as saved.
        let _ = refresh_draft(data, &i, &mut s, today);
    }
    s
}

pub fn refresh_draft(
    data: &Dataset,
    info: &SessionInfo,
    session: &mut GtsSession,
    today: NaiveDate,
) -> Result<(), AgendaError> {
    ensure_draft_editable(session)?;
    let computed = draft_agenda(data, info, previous_session(data, info), today);
    let mut items: Vec<AgendaItem> = Vec::new();
    for old in &session.agenda {
        let fresh = computed.iter().find(|c| c.reference == old.reference);
        let mut reasons: Vec<AgendaReason> = old
            .reasons
            .iter()
            .copied()
            .filter(|r| is_manual(*r))
            .collect();
        if let Some(c) = fresh {
            for r in &c.reasons {
                if !reasons.contains(r) {
                    reasons.push(*r);
                }
            }
        }
        if reasons.is_empty() {
            // No longer due (or removed and no longer due): dropped.
            continue;
        }
        reasons.sort();
        items.push(AgendaItem {
            reasons,
            ..old.clone()
        });
    }
    for c in computed {
        if !items.iter().any(|i| i.reference == c.reference) {
            items.push(c);
        }
    }
    sort_items(data, &mut items);
    session.agenda = items;
    Ok(())
}

// ---------------------------------------------------------------------------
// GIP edits of the draft.

/// The GIP adds a situation to the draft, with a reason.
pub fn add_item(
    data: &Dataset,
    session: &mut GtsSession,
    reference: Reference,
    reason: &str,
) -> Result<(), AgendaError> {
    ensure_draft_editable(session)?;
    let reason = required(reason)?;
    active_measure(data, reference)?;
    match session.agenda.iter_mut().find(|i| i.reference == reference) {
        Some(item) if item.removed.is_none() => {
            return Err(AgendaError::AlreadyOnAgenda { reference });
        }
        Some(item) => {
            item.removed = None;
            if !item.reasons.contains(&AgendaReason::AddedByGip) {
                item.reasons.push(AgendaReason::AddedByGip);
            }
        }
        None => session.agenda.push(AgendaItem {
            reference,
            reasons: vec![AgendaReason::AddedByGip],
            removed: None,
            reply: None,
            notes: Vec::new(),
        }),
    }
    push_item_note(
        session,
        reference,
        &format!("ajoutée par le GIP : {reason}"),
    );
    sort_items(data, &mut session.agenda);
    Ok(())
}

/// The GIP removes a situation from the draft, with a reason (kept to be
/// shown).
pub fn remove_item(
    session: &mut GtsSession,
    reference: Reference,
    reason: &str,
) -> Result<(), AgendaError> {
    ensure_draft_editable(session)?;
    let reason = required(reason)?;
    let item = session
        .agenda
        .iter_mut()
        .find(|i| i.reference == reference && i.removed.is_none())
        .ok_or(AgendaError::NotOnAgenda { reference })?;
    item.removed = Some(reason);
    Ok(())
}

/// R-GTS-3: sending the draft to the workers freezes it.
pub fn send_draft(session: &mut GtsSession, date: NaiveDate) -> Result<(), AgendaError> {
    ensure_draft_editable(session)?;
    session.draft_sent = Some(date);
    Ok(())
}

// ---------------------------------------------------------------------------
// R-GTS-4: the workers' replies.

/// A worker's reply on one item: will examine, or will not (reason
/// required). A reply may be changed until the final agenda is sent.
pub fn record_reply(
    session: &mut GtsSession,
    reference: Reference,
    reply: Reply,
    date: NaiveDate,
) -> Result<(), AgendaError> {
    ensure_reply_window(session)?;
    let reply = match reply {
        Reply::WillExamine => Reply::WillExamine,
        Reply::WillNotExamine { reason } => Reply::WillNotExamine {
            reason: required(&reason)?,
        },
    };
    let item = session
        .agenda
        .iter_mut()
        .find(|i| i.reference == reference && i.removed.is_none())
        .ok_or(AgendaError::NotOnAgenda { reference })?;
    item.reply = Some((reply, date));
    Ok(())
}

/// A worker adds a situation in reply to the draft (R-GTS-4); it will be
/// examined.
pub fn add_worker_situation(
    data: &Dataset,
    session: &mut GtsSession,
    reference: Reference,
    reason: &str,
    date: NaiveDate,
) -> Result<(), AgendaError> {
    ensure_reply_window(session)?;
    let reason = required(reason)?;
    active_measure(data, reference)?;
    match session.agenda.iter_mut().find(|i| i.reference == reference) {
        Some(item) if item.removed.is_none() => {
            return Err(AgendaError::AlreadyOnAgenda { reference });
        }
        Some(item) => {
            item.removed = None;
            if !item.reasons.contains(&AgendaReason::AddedByWorker) {
                item.reasons.push(AgendaReason::AddedByWorker);
            }
            item.reply = Some((Reply::WillExamine, date));
        }
        None => session.agenda.push(AgendaItem {
            reference,
            reasons: vec![AgendaReason::AddedByWorker],
            removed: None,
            reply: Some((Reply::WillExamine, date)),
            notes: Vec::new(),
        }),
    }
    push_item_note(session, reference, &format!("ajoutée par le TS : {reason}"));
    sort_items(data, &mut session.agenda);
    Ok(())
}

/// R-GTS-4: the last day of the workers' reply time. Decision (DOMAIN.md
/// §10): the draft-agenda date + 3 days, moved back to a working day; a
/// draft sent after its due date counts from the day it was sent, so that
/// sending late does not shorten the workers' 72 hours.
pub fn reply_deadline(session: &GtsSession) -> NaiveDate {
    let dl = deadlines(session.date());
    match session.draft_sent {
        Some(sent) if sent > dl.draft_agenda => {
            on_or_before_working_day(sent + chrono::Days::new(3)).max(dl.replies)
        }
        _ => dl.replies,
    }
}

/// R-GTS-4: a reply given after the workers' reply time.
pub fn reply_is_late(session: &GtsSession, item: &AgendaItem) -> bool {
    item.reply
        .as_ref()
        .is_some_and(|(_, d)| *d > reply_deadline(session))
}

/// The items of the sent draft still waiting for a reply (R-GTS-4).
pub fn replies_missing(session: &GtsSession) -> usize {
    session
        .agenda
        .iter()
        .filter(|i| i.removed.is_none() && i.reply.is_none())
        .count()
}

/// Which of a session's four steps are done — not merely due: the draft
/// sent (R-GTS-3), every reply in or the final agenda sent (R-GTS-4), the
/// final agenda sent (R-GTS-5), the minutes sent (R-GTS-9). A session with
/// no record has done none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StepsDone {
    pub draft: bool,
    pub replies: bool,
    pub final_agenda: bool,
    pub minutes: bool,
}

pub fn steps_done(session: Option<&GtsSession>) -> StepsDone {
    let Some(s) = session else {
        return StepsDone::default();
    };
    StepsDone {
        draft: s.draft_sent.is_some(),
        replies: s.final_sent.is_some() || (s.draft_sent.is_some() && replies_missing(s) == 0),
        final_agenda: s.final_sent.is_some(),
        minutes: s.minutes_sent.is_some(),
    }
}

/// R-GTS-4/5: whether the workers' reply time is still running on `today`.
pub fn reply_time_running(session: &GtsSession, today: NaiveDate) -> bool {
    today <= reply_deadline(session)
}

/// The workers who have at least one item of the draft without a reply,
/// in id order.
pub fn workers_without_reply(data: &Dataset, session: &GtsSession) -> Vec<WorkerId> {
    let mut v: Vec<WorkerId> = session
        .agenda
        .iter()
        .filter(|i| i.removed.is_none() && i.reply.is_none())
        .filter_map(|i| data.measures.get(&i.reference).and_then(|m| m.worker))
        .collect();
    v.sort();
    v.dedup();
    v
}

// ---------------------------------------------------------------------------
// R-GTS-5: the final agenda.

/// On the final agenda: not removed, and not "will not examine".
pub fn is_on_final(item: &AgendaItem) -> bool {
    item.removed.is_none() && !matches!(item.reply, Some((Reply::WillNotExamine { .. }, _)))
}

/// The final agenda: the items not removed and not "will not examine", in
/// the agenda's order.
pub fn final_agenda(session: &GtsSession) -> Vec<&AgendaItem> {
    session.agenda.iter().filter(|i| is_on_final(i)).collect()
}

/// R-GTS-5: sending the final agenda to the partners freezes it. R-GTS-4:
/// not while the workers' reply time runs, unless every situation of the
/// draft has its reply (the screen then asks for a confirmation).
pub fn send_final(session: &mut GtsSession, date: NaiveDate) -> Result<(), AgendaError> {
    ensure_reply_window(session)?;
    let missing = replies_missing(session);
    if missing > 0 && reply_time_running(session, date) {
        return Err(AgendaError::RepliesPending {
            deadline: fr_date(reply_deadline(session)),
            missing: if missing == 1 {
                "1 situation attend encore sa réponse".to_string()
            } else {
                format!("{missing} situations attendent encore leur réponse")
            },
        });
    }
    session.final_sent = Some(date);
    Ok(())
}

// ---------------------------------------------------------------------------
// The meeting: attendance and decisions.

pub fn set_chair(session: &mut GtsSession, chair: &str) -> Result<(), AgendaError> {
    ensure_open(session)?;
    // R-GTS-1: the chair is someone present.
    if !is_present(session, chair) {
        return Err(AgendaError::ChairAbsent {
            chair: chair.trim().to_string(),
        });
    }
    session.chair = chair.trim().to_string();
    Ok(())
}

pub fn set_attendance(
    session: &mut GtsSession,
    attendance: Vec<Attendee>,
) -> Result<(), AgendaError> {
    ensure_open(session)?;
    session.attendance = attendance;
    Ok(())
}

/// Adds a member, present; a name is required.
pub fn add_attendee(
    session: &mut GtsSession,
    name: &str,
    organisation: &str,
) -> Result<(), AgendaError> {
    ensure_open(session)?;
    let name = required(name)?;
    session.attendance.push(Attendee {
        name,
        organisation: organisation.trim().to_string(),
        present: true,
    });
    Ok(())
}

/// Marks a member present or absent (by its index in the list).
pub fn set_present(
    session: &mut GtsSession,
    index: usize,
    present: bool,
) -> Result<(), AgendaError> {
    ensure_open(session)?;
    if let Some(a) = session.attendance.get_mut(index) {
        a.present = present;
    }
    Ok(())
}

/// R-GTS-7, R-MES-4, R-GTS-6: records (or changes) the decision on a
/// situation of the final agenda. A renewal is checked at once: a third one,
/// or one outside 1..=6 months, is refused with the rule's message.
pub fn record_decision(
    session: &mut GtsSession,
    measure: &Measure,
    decision: Decision,
    colleague: Option<String>,
    today: NaiveDate,
) -> Result<(), AgendaError> {
    ensure_open(session)?;
    let reference = measure.reference;
    if !session
        .agenda
        .iter()
        .any(|i| i.reference == reference && is_on_final(i))
    {
        return Err(AgendaError::NotOnFinalAgenda { reference });
    }
    let decision = match decision {
        Decision::Stop => {
            if !measure.is_in_progress() {
                return Err(DomainError::WrongStatus {
                    status: measure.status.label().to_string(),
                }
                .into());
            }
            Decision::Stop
        }
        Decision::Renew { months } => {
            check_renewal(measure, months)?;
            // R-BIL-1: renewed on this cycle's review.
            check_review_for_renewal(measure)?;
            Decision::Renew { months }
        }
        Decision::Postpone { reason } => Decision::Postpone {
            reason: required(&reason)?,
        },
    };
    let record = DecisionRecord {
        reference,
        decision,
        presented_by_colleague: colleague
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty()),
        recorded_on: today,
    };
    match session
        .decisions
        .iter_mut()
        .find(|d| d.reference == reference)
    {
        Some(d) => *d = record,
        None => session.decisions.push(record),
    }
    Ok(())
}

/// Withdraws a decision taken by mistake, until the session is closed.
pub fn clear_decision(session: &mut GtsSession, reference: Reference) -> Result<(), AgendaError> {
    ensure_open(session)?;
    let before = session.decisions.len();
    session.decisions.retain(|d| d.reference != reference);
    if session.decisions.len() == before {
        return Err(AgendaError::NoDecision { reference });
    }
    Ok(())
}

/// The decision recorded for a situation, if any.
pub fn decision_for(session: &GtsSession, reference: Reference) -> Option<&DecisionRecord> {
    session.decisions.iter().find(|d| d.reference == reference)
}

/// Final-agenda items the meeting has not decided on yet.
pub fn undecided(session: &GtsSession) -> Vec<&AgendaItem> {
    final_agenda(session)
        .into_iter()
        .filter(|i| decision_for(session, i.reference).is_none())
        .collect()
}

/// The next session held after `session`, as saved or freshly planned.
pub fn next_session_record(data: &Dataset, session: &GtsSession) -> Option<GtsSession> {
    let date = session.date();
    data.sessions_around(date)
        .into_iter()
        .filter(|s| {
            s.held() && s.date > date && !(s.year == session.year && s.month == session.month)
        })
        .min_by_key(|s| s.date)
        .map(|s| {
            data.sessions
                .get(&(s.year, s.month))
                .cloned()
                .unwrap_or_else(|| GtsSession::new(s.year, s.month))
        })
}

/// Closes the session and applies its decisions (R-GTS-7, R-MES-4):
/// stopped measures end, renewed ones get their new planned end and one more
/// renewal counted, postponed ones — and the final-agenda items left
/// undecided, and those the worker said would not be examined (R-GTS-4) —
/// go on the next session's draft with their reason.
///
/// Returns every record to commit in one transaction: the measures changed,
/// this session, and the next session when something was carried to it.
/// On error nothing is changed.
pub fn close_session(
    data: &Dataset,
    session: &mut GtsSession,
    today: NaiveDate,
) -> Result<Vec<Record>, AgendaError> {
    ensure_open(session)?;
    ensure_meeting_day(session, today)?;
    // R-GTS-3: the meeting works on an agenda the workers received.
    if session.draft_sent.is_none() {
        return Err(AgendaError::DraftNotSent);
    }
    if !session.attendance.iter().any(|a| a.present) {
        return Err(AgendaError::NobodyPresent);
    }
    if !is_present(session, &session.chair) {
        return Err(AgendaError::ChairAbsent {
            chair: if session.chair.trim().is_empty() {
                "aucune".to_string()
            } else {
                session.chair.trim().to_string()
            },
        });
    }
    let when = fr_date(session.date());
    let mut measures: Vec<Measure> = Vec::new();
    let mut carried: Vec<(Reference, String)> = Vec::new();
    let mut decisions = session.decisions.clone();
    decisions.sort_by_key(|d| d.reference);
    for d in &decisions {
        let reference = d.reference;
        let mut m = data
            .measures
            .get(&reference)
            .cloned()
            .ok_or(AgendaError::UnknownMeasure { reference })?;
        match &d.decision {
            Decision::Stop => {
                m.stop(d.recorded_on, &format!("Arrêt décidé par le GTS du {when}"))?;
                measures.push(m);
            }
            Decision::Renew { months } => {
                // R-ELIG-2: a protection recorded since the decision.
                if data
                    .households
                    .get(&m.household)
                    .is_some_and(|h| h.judicial_protection)
                {
                    return Err(DomainError::JudicialProtection.into());
                }
                m.renew(*months, d.recorded_on)?;
                measures.push(m);
            }
            Decision::Postpone { reason } => {
                carried.push((
                    reference,
                    format!("reportée par le GTS du {when} : {reason}"),
                ));
            }
        }
    }
    for item in undecided(session) {
        if data.measures.get(&item.reference).is_some_and(is_active) {
            carried.push((
                item.reference,
                format!("non examinée lors du GTS du {when}"),
            ));
        }
    }
    // R-GTS-4: a situation the worker said would not be examined goes to
    // the next session with its reason. Decision: at closing, with the
    // postponements, in the same transaction: the reply may change until
    // the final agenda is sent, the session may still be moved or
    // cancelled until it is held, and the next draft is due two weeks
    // after the meeting, so it is carried in time.
    for item in &session.agenda {
        if let (None, Some((Reply::WillNotExamine { reason }, _))) = (&item.removed, &item.reply)
            && data.measures.get(&item.reference).is_some_and(is_active)
        {
            carried.push((
                item.reference,
                format!("non examinée lors du GTS du {when} (réponse de la TS) : {reason}"),
            ));
        }
    }
    let mut records: Vec<Record> = measures.into_iter().map(Record::Measure).collect();
    let next = if carried.is_empty() {
        None
    } else {
        let mut next = next_session_record(data, session)
            .ok_or(AgendaError::NoNextSession { date: when.clone() })?;
        for (reference, text) in &carried {
            match next.agenda.iter_mut().find(|i| i.reference == *reference) {
                Some(item) => {
                    item.removed = None;
                    if !item.reasons.contains(&AgendaReason::Postponed) {
                        item.reasons.push(AgendaReason::Postponed);
                    }
                }
                None => next.agenda.push(AgendaItem {
                    reference: *reference,
                    reasons: vec![AgendaReason::Postponed],
                    removed: None,
                    reply: None,
                    notes: Vec::new(),
                }),
            }
            push_item_note(&mut next, *reference, text);
        }
        sort_items(data, &mut next.agenda);
        Some(next)
    };
    session.closed = Some(today);
    records.push(Record::Session(session.clone()));
    if let Some(next) = next {
        records.push(Record::Session(next));
    }
    Ok(records)
}

// ---------------------------------------------------------------------------
// R-GTS-9: the minutes.

/// Records the date the minutes were sent; the session must be closed.
pub fn mark_minutes_sent(session: &mut GtsSession, date: NaiveDate) -> Result<(), AgendaError> {
    if session.cancelled {
        return Err(AgendaError::Cancelled);
    }
    if session.closed.is_none() {
        return Err(AgendaError::NotClosed);
    }
    if let Some(d) = session.minutes_sent {
        return Err(AgendaError::MinutesAlreadySent { date: fr_date(d) });
    }
    if date < session.date() {
        return Err(AgendaError::BeforeSession {
            date: fr_date(date),
            session: fr_date(session.date()),
        });
    }
    session.minutes_sent = Some(date);
    Ok(())
}

/// R-GTS-9: the minutes of a held session are not sent and their due date
/// (session + 3 days, moved back to a working day) has passed.
pub fn minutes_overdue(session: &GtsSession, today: NaiveDate) -> bool {
    !session.cancelled
        && session.minutes_sent.is_none()
        && today > deadlines(session.date()).minutes
}

// ---------------------------------------------------------------------------
// R-GTS-1: moving or cancelling a session.

/// Moves a session to another date (holiday, August…). To a Saturday, a
/// Sunday or a public holiday only when `anyway` says the GIP confirmed it
/// (the screen asks).
pub fn move_session(
    session: &mut GtsSession,
    date: NaiveDate,
    note: &str,
    anyway: bool,
) -> Result<(), AgendaError> {
    ensure_open(session)?;
    if !anyway && let Some(why) = super::calendar::non_working_reason(date) {
        return Err(AgendaError::NonWorkingDay {
            date: fr_date(date),
            why,
        });
    }
    session.moved_to = (date != session.scheduled()).then_some(date);
    if !note.trim().is_empty() {
        push_free_note(session, note);
    }
    Ok(())
}

/// Cancels a session; refused once decisions are recorded.
pub fn cancel_session(session: &mut GtsSession, note: &str) -> Result<(), AgendaError> {
    ensure_open(session)?;
    if !session.decisions.is_empty() {
        return Err(AgendaError::HasDecisions);
    }
    session.cancelled = true;
    if !note.trim().is_empty() {
        push_free_note(session, note);
    }
    Ok(())
}

/// Restores a cancelled session.
pub fn restore_session(session: &mut GtsSession) -> Result<(), AgendaError> {
    if let Some(d) = session.closed {
        return Err(AgendaError::Closed { date: fr_date(d) });
    }
    session.cancelled = false;
    Ok(())
}

fn push_free_note(session: &mut GtsSession, note: &str) {
    if !session.note.is_empty() && !session.note.ends_with('\n') {
        session.note.push('\n');
    }
    session.note.push_str(note.trim());
}

// ---------------------------------------------------------------------------
// What the documents and the screens say about an item.

/// Each reason an item is on the agenda, in French, with its details (the
/// planned end, the reason there is no contract, the difficulty, the reason
/// of an addition or a postponement).
pub fn reason_details(data: &Dataset, session: &GtsSession, item: &AgendaItem) -> Vec<String> {
    let m = data.measures.get(&item.reference);
    let notes = item_notes(session, item.reference);
    let note_with = |prefix: &str| -> Option<String> {
        notes
            .iter()
            .rev()
            .find(|p| p.starts_with(prefix))
            .map(|p| p.to_string())
    };
    item.reasons
        .iter()
        .map(|r| match r {
            AgendaReason::PlannedEnd => {
                match m.and_then(|m| end_before_session(data, m, session)) {
                    Some(end) => format!("fin prévue le {}", fr_date(end)),
                    None => r.label().to_string(),
                }
            }
            AgendaReason::NoContract => match m.map(|m| &m.contract) {
                Some(Contract::NoContract { reason, .. }) => {
                    format!("pas de contrat : {reason}")
                }
                _ => "pas de contrat signé ni de motif après 30 jours".to_string(),
            },
            AgendaReason::Difficulty => match m {
                Some(Measure {
                    status: MeasureStatus::NotStarted { reason, date },
                    ..
                }) => format!("n'a pu se mettre en place ({}) : {reason}", fr_date(*date)),
                Some(Measure {
                    difficulty: Some(d),
                    ..
                }) => {
                    let mut s = format!("{} ({})", d.kind.label(), fr_date(d.date));
                    if !d.note.trim().is_empty() {
                        s.push_str(" : ");
                        s.push_str(d.note.trim());
                    }
                    s
                }
                _ => r.label().to_string(),
            },
            AgendaReason::JudicialProtection => {
                "protection judiciaire : incompatible avec l'ASSLL (R-ELIG-2)".to_string()
            }
            AgendaReason::Postponed => note_with("reportée")
                .or_else(|| note_with("non examinée"))
                .or_else(|| postponed_by_previous(data, session, item.reference))
                .unwrap_or_else(|| "reportée par le GTS précédent".to_string()),
            AgendaReason::AddedByGip => {
                note_with("ajoutée par le GIP").unwrap_or_else(|| r.label().to_string())
            }
            AgendaReason::AddedByWorker => {
                note_with("ajoutée par le TS").unwrap_or_else(|| r.label().to_string())
            }
        })
        .collect()
}

/// The planned end of a measure as the session saw it: once the session is
/// closed, a renewal it decided has moved the planned end; this gives the
/// end before that renewal.
pub fn end_before_session(data: &Dataset, m: &Measure, session: &GtsSession) -> Option<NaiveDate> {
    if renewed_by(m, session).is_none() {
        return m.planned_end;
    }
    let n = m.renewals.len();
    if n >= 2 {
        return Some(m.renewals[n - 2].new_end);
    }
    let referral = data.referrals.get(&m.reference)?;
    m.start
        .map(|s| super::measure::add_months(s, u32::from(referral.initial_months)))
}

/// The renewal that this (closed) session's decision added to the measure.
pub fn renewed_by<'a>(m: &'a Measure, session: &GtsSession) -> Option<&'a super::measure::Renewal> {
    session.closed?;
    let d = decision_for(session, m.reference)?;
    let Decision::Renew { months } = d.decision else {
        return None;
    };
    m.renewals
        .last()
        .filter(|r| r.decided_on == d.recorded_on && r.months == months)
}

fn postponed_by_previous(
    data: &Dataset,
    session: &GtsSession,
    reference: Reference,
) -> Option<String> {
    data.sessions
        .values()
        .filter(|s| s.date() < session.date())
        .filter_map(|s| {
            s.decisions.iter().find_map(|d| match &d.decision {
                Decision::Postpone { reason } if d.reference == reference => Some((
                    s.date(),
                    format!("reportée par le GTS du {} : {reason}", fr_date(s.date())),
                )),
                _ => None,
            })
        })
        .max_by_key(|(d, _)| *d)
        .map(|(_, s)| s)
}

/// The new planned end a renewal gives: the one recorded on the measure
/// once the session is closed, else the current planned end + N months.
pub fn new_planned_end(measure: &Measure, decision: &DecisionRecord) -> Option<NaiveDate> {
    let Decision::Renew { months } = decision.decision else {
        return None;
    };
    if let Some(r) = measure
        .renewals
        .iter()
        .rev()
        .find(|r| r.decided_on == decision.recorded_on && r.months == months)
    {
        return Some(r.new_end);
    }
    let end = measure.planned_end?;
    Some(super::measure::add_months(end, u32::from(months)))
}

/// Whether a calendar line is this saved session.
pub fn is_session(info: &SessionInfo, session: &GtsSession) -> bool {
    info.year == session.year && info.month == session.month
}

// ---------------------------------------------------------------------------
// The meeting's side panel: the effect of the decisions on capacity.

/// One sector's capacity as the decisions taken so far leave it (R-CAP-1/2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapacityEffect {
    pub sector: super::ids::SectorId,
    pub capacity: u32,
    /// Measures in progress now (R-CAP-2).
    pub load: u32,
    /// Places the session's stop decisions free.
    pub freed: u32,
    /// Free places once the decisions apply (negative: over capacity).
    pub free_after: i64,
    /// The first households of the waiting list that the free places let
    /// in, in the waiting order (R-REF-5), at most [`NEXT_SHOWN`].
    pub next: Vec<Reference>,
}

/// How many waiting households the side panel names per sector.
pub const NEXT_SHOWN: usize = 5;

/// Per sector: places freed by the stop decisions recorded (not yet
/// applied) and who comes next from the waiting list.
pub fn capacity_effect(data: &Dataset, session: &GtsSession) -> Vec<CapacityEffect> {
    data.sectors
        .values()
        .map(|s| {
            let capacity = s.capacity(&data.norms);
            let load = data.load_of(s.id);
            let freed = session
                .decisions
                .iter()
                .filter(|d| d.decision == Decision::Stop)
                .filter_map(|d| data.measures.get(&d.reference))
                .filter(|m| {
                    m.sector == s.id && m.is_in_progress() && m.kind == ReferralKind::Measure
                })
                .count() as u32;
            let free_after = i64::from(capacity) - i64::from(load) + i64::from(freed);
            let take = usize::try_from(free_after.max(0))
                .unwrap_or(0)
                .min(NEXT_SHOWN);
            let next = data
                .waiting_list(s.id)
                .into_iter()
                .take(take)
                .map(|r| r.reference)
                .collect();
            CapacityEffect {
                sector: s.id,
                capacity,
                load,
                freed,
                free_after,
                next,
            }
        })
        .collect()
}

/// Who presents a situation: the colleague recorded (R-GTS-6), else the
/// worker in charge.
pub fn presenter(data: &Dataset, session: &GtsSession, reference: Reference) -> String {
    match decision_for(session, reference).and_then(|d| d.presented_by_colleague.clone()) {
        Some(c) => c,
        None => data
            .worker_name(data.measures.get(&reference).and_then(|m| m.worker))
            .to_string(),
    }
}

// ---------------------------------------------------------------------------
// The meeting's attendance.

/// The name written for an organisation's representative until the GIP
/// types the person's name.
pub const REPRESENTATIVE: &str = "représentant·e";
/// The row standing for the private landlords of the households.
pub const PRIVATE_LANDLORDS: &str = "Bailleurs privés";

/// Attendance proposed for a session with none yet: the three employers,
/// the landlords of the households on the agenda, the workers concerned
/// (with their employer); everybody absent until ticked. The standing
/// members the GIP named (R-GTS-1, `Dataset::gts_members`) come by name,
/// in place of the « représentant·e » rows of their organisation; the
/// other members follow the employers.
pub fn default_attendance(data: &Dataset, session: &GtsSession) -> Vec<Attendee> {
    let member_of = |organisation: &str| {
        data.gts_members.iter().find(|m| {
            super::household::name_key(&m.organisation) == super::household::name_key(organisation)
        })
    };
    let row = |organisation: &str| match member_of(organisation) {
        Some(m) => Attendee {
            name: m.name.clone(),
            organisation: m.organisation.clone(),
            present: false,
        },
        None => Attendee {
            name: REPRESENTATIVE.to_string(),
            organisation: organisation.to_string(),
            present: false,
        },
    };
    let mut out: Vec<Attendee> = Employer::ALL.iter().map(|e| row(e.label())).collect();
    for m in &data.gts_members {
        if !Employer::ALL.iter().any(|e| m.represents(*e)) {
            out.push(row(&m.organisation));
        }
    }
    // Public landlords by name; private ones (individuals) in one row.
    let mut landlords: Vec<String> = Vec::new();
    let mut private = false;
    let mut workers: Vec<WorkerId> = Vec::new();
    for item in final_agenda(session) {
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
    // The landlords of the day, unless a standing member stands for them.
    out.extend(
        landlords
            .into_iter()
            .filter(|l| member_of(l).is_none())
            .map(|l| row(&l)),
    );
    let mut ws: Vec<&super::worker::Worker> =
        workers.iter().filter_map(|w| data.workers.get(w)).collect();
    ws.sort_by(|a, b| a.name.cmp(&b.name));
    out.extend(ws.into_iter().map(|w| Attendee {
        name: w.name.clone(),
        organisation: w.employer.label().to_string(),
        present: false,
    }));
    out
}

/// The meeting as it opens: the session as worked on (R-GTS-2), with the
/// proposed attendance when none is recorded yet, chaired by the Conseil
/// Général unless a chair is named (R-GTS-1).
pub fn meeting_session(data: &Dataset, year: u16, month: u8, today: NaiveDate) -> GtsSession {
    let mut s = working_session(data, year, month, today);
    if s.attendance.is_empty() {
        s.attendance = default_attendance(data, &s);
    }
    if s.chair.trim().is_empty() {
        // R-GTS-1: the Conseil Général chairs, by its member's name when
        // the attendance has it.
        s.chair = s
            .attendance
            .iter()
            .find(|a| {
                super::household::name_key(&a.organisation)
                    == super::household::name_key(Employer::ConseilGeneral.label())
            })
            .map_or_else(
                || Employer::ConseilGeneral.label().to_string(),
                attendee_label,
            );
    }
    s
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

/// Names the person who came for an attendance row: marked present; the
/// chair follows when that row chaired.
pub fn name_attendee(
    session: &mut GtsSession,
    index: usize,
    name: &str,
) -> Result<(), AgendaError> {
    ensure_open(session)?;
    let name = required(name)?;
    let Some(a) = session.attendance.get_mut(index) else {
        return Ok(());
    };
    let was_chair = session.chair == attendee_label(a);
    a.name = name;
    a.present = true;
    if was_chair {
        session.chair = attendee_label(a);
    }
    Ok(())
}
