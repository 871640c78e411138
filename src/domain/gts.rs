//! The GTS (Groupe Technique Social): its sessions, agenda, decisions
//! (R-GTS-1..9, R-MES-4, R-GTS-7).

use super::calendar::{Deadlines, deadlines, holiday_name, third_thursday};
use super::ids::Reference;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// R-GTS-7: a decision on one situation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Stop,
    Renew {
        months: u8,
    },
    /// Decision: postponed to the next session, with a reason.
    Postpone {
        reason: String,
    },
}

impl Decision {
    pub fn label(&self) -> String {
        match self {
            Decision::Stop => "Arrêt".to_string(),
            Decision::Renew { months } => format!("Renouvellement {months} mois"),
            Decision::Postpone { reason } => format!("Reportée : {reason}"),
        }
    }
}

/// Why a situation is on an agenda (R-GTS-2). Only append variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AgendaReason {
    /// Planned end falls before the next session (R-GTS-2, R-BIL-1).
    PlannedEnd,
    /// No contract (R-MES-5): the reason is shown.
    NoContract,
    /// Refusal to collaborate, or cannot start or go on (R-MES-6).
    Difficulty,
    /// Judicial protection appeared during the measure (R-ELIG-2).
    JudicialProtection,
    /// Postponed by the previous session (R-GTS-7).
    Postponed,
    /// Added by the GIP.
    AddedByGip,
    /// Added by the worker in reply to the draft (R-GTS-4).
    AddedByWorker,
}

impl AgendaReason {
    pub fn label(self) -> &'static str {
        match self {
            AgendaReason::PlannedEnd => "fin prévue",
            AgendaReason::NoContract => "pas de contrat",
            AgendaReason::Difficulty => "ne peut se mettre en place / se poursuivre",
            AgendaReason::JudicialProtection => "protection judiciaire",
            AgendaReason::Postponed => "reportée",
            AgendaReason::AddedByGip => "ajoutée par le GIP",
            AgendaReason::AddedByWorker => "ajoutée par le TS",
        }
    }
}

/// R-GTS-4: a worker's reply on one item of the draft agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reply {
    WillExamine,
    WillNotExamine { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    pub reference: Reference,
    pub reasons: Vec<AgendaReason>,
    /// Removed by the GIP, with its reason; kept to be shown.
    pub removed: Option<String>,
    pub reply: Option<(Reply, NaiveDate)>,
    /// Why the GIP or a worker added it, why it was postponed: free texts,
    /// in the order they were written.
    pub notes: Vec<String>,
}

/// Who attends a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attendee {
    pub name: String,
    pub organisation: String,
    pub present: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRecord {
    pub reference: Reference,
    pub decision: Decision,
    /// R-GTS-6: a colleague who presented in the worker's place.
    pub presented_by_colleague: Option<String>,
    pub recorded_on: NaiveDate,
}

/// One month's session, as saved. A month with no record is planned at its
/// third Thursday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GtsSession {
    pub year: u16,
    pub month: u8,
    pub moved_to: Option<NaiveDate>,
    pub cancelled: bool,
    pub note: String,
    pub agenda: Vec<AgendaItem>,
    pub draft_sent: Option<NaiveDate>,
    pub final_sent: Option<NaiveDate>,
    pub chair: String,
    pub attendance: Vec<Attendee>,
    pub decisions: Vec<DecisionRecord>,
    pub closed: Option<NaiveDate>,
    pub minutes_sent: Option<NaiveDate>,
}

impl GtsSession {
    pub fn new(year: u16, month: u8) -> Self {
        Self {
            year,
            month,
            moved_to: None,
            cancelled: false,
            note: String::new(),
            agenda: Vec::new(),
            draft_sent: None,
            final_sent: None,
            chair: String::new(),
            attendance: Vec::new(),
            decisions: Vec::new(),
            closed: None,
            minutes_sent: None,
        }
    }

    pub fn scheduled(&self) -> NaiveDate {
        third_thursday(i32::from(self.year), u32::from(self.month))
    }

    pub fn date(&self) -> NaiveDate {
        self.moved_to.unwrap_or_else(|| self.scheduled())
    }

    pub fn status(&self) -> SessionStatus {
        if self.cancelled {
            SessionStatus::Cancelled
        } else if self.moved_to.is_some() {
            SessionStatus::Moved
        } else {
            SessionStatus::Planned
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionStatus {
    Planned,
    Moved,
    Cancelled,
}

impl SessionStatus {
    pub fn label(self) -> &'static str {
        match self {
            SessionStatus::Planned => "prévue",
            SessionStatus::Moved => "déplacée",
            SessionStatus::Cancelled => "annulée",
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            SessionStatus::Planned => "planned",
            SessionStatus::Moved => "moved",
            SessionStatus::Cancelled => "cancelled",
        }
    }
}

/// A session as the calendar shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub year: u16,
    pub month: u8,
    pub date: NaiveDate,
    pub status: SessionStatus,
    pub holiday: Option<&'static str>,
    pub deadlines: Deadlines,
    /// Held and closed: its decisions are applied, the next session is
    /// the coming one.
    pub closed: bool,
}

impl SessionInfo {
    pub fn held(&self) -> bool {
        self.status != SessionStatus::Cancelled
    }
}

/// R-GTS-1: the sessions of a month range, with the GIP's changes applied.
/// `saved` holds the sessions that have a record (moved, cancelled, with an
/// agenda…); the others are planned on their third Thursday.
pub fn session_info(year: u16, month: u8, saved: Option<&GtsSession>) -> SessionInfo {
    let fresh;
    let s = match saved {
        Some(s) => s,
        None => {
            fresh = GtsSession::new(year, month);
            &fresh
        }
    };
    let date = s.date();
    SessionInfo {
        year,
        month,
        date,
        status: s.status(),
        holiday: holiday_name(date),
        deadlines: deadlines(date),
        closed: s.closed.is_some(),
    }
}

/// The twelve sessions of a year.
pub fn year_calendar<'a>(
    year: u16,
    saved: impl Fn(u16, u8) -> Option<&'a GtsSession>,
) -> Vec<SessionInfo> {
    (1..=12u8)
        .map(|m| session_info(year, m, saved(year, m)))
        .collect()
}

/// Sessions from the month of `from` over `months` months.
pub fn sessions_from<'a>(
    from: NaiveDate,
    months: u32,
    saved: impl Fn(u16, u8) -> Option<&'a GtsSession>,
) -> Vec<SessionInfo> {
    let mut y = from.year() as u16;
    let mut m = from.month() as u8;
    let mut out = Vec::with_capacity(months as usize);
    for _ in 0..months {
        out.push(session_info(y, m, saved(y, m)));
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    out
}

/// R-GTS-2, Decision: a measure is due at the last session held on or before
/// its planned end date. `sessions` must be in date order.
pub fn due_session(planned_end: NaiveDate, sessions: &[SessionInfo]) -> Option<&SessionInfo> {
    sessions
        .iter()
        .filter(|s| s.held() && s.date <= planned_end)
        .max_by_key(|s| s.date)
}

/// The session at which a measure in progress is presented, seen from
/// `today`: its due session (R-GTS-2), or, when that one has passed without
/// deciding (or there was none), the next session held — where the draft
/// agenda carries it.
pub fn presentation_session(
    planned_end: NaiveDate,
    today: NaiveDate,
    sessions: &[SessionInfo],
) -> Option<&SessionInfo> {
    match due_session(planned_end, sessions) {
        Some(s) if s.date >= today && !s.closed => Some(s),
        _ => next_session(today, sessions),
    }
}

/// The next session held on or after `today` and not yet closed: once a
/// session is closed (on its day), the next one is the coming one.
pub fn next_session(today: NaiveDate, sessions: &[SessionInfo]) -> Option<&SessionInfo> {
    sessions
        .iter()
        .filter(|s| s.held() && !s.closed && s.date >= today)
        .min_by_key(|s| s.date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn r_gts_1_a_session_can_be_moved_or_cancelled() {
        let mut aug = GtsSession::new(2027, 8);
        aug.cancelled = true;
        let mut jun = GtsSession::new(2027, 6);
        jun.moved_to = Some(d(2027, 6, 24));
        let cal = year_calendar(2027, |_, m| match m {
            8 => Some(&aug),
            6 => Some(&jun),
            _ => None,
        });
        assert_eq!(cal.len(), 12);
        assert_eq!(cal[7].status, SessionStatus::Cancelled);
        assert_eq!(cal[5].status, SessionStatus::Moved);
        assert_eq!(cal[5].date, d(2027, 6, 24));
        assert_eq!(cal[0].date, d(2027, 1, 21));
        assert_eq!(cal[0].status, SessionStatus::Planned);
    }

    #[test]
    fn r_gts_1_holiday_is_flagged_in_the_calendar() {
        let cal = year_calendar(2030, |_, _| None);
        assert_eq!(cal[7].holiday, Some("Assomption"));
        assert_eq!(cal[0].holiday, None);
    }

    #[test]
    fn r_gts_2_measure_is_due_at_last_session_on_or_before_planned_end() {
        let sessions = sessions_from(d(2026, 11, 1), 6, |_, _| None);
        // Sessions: 19/11, 17/12, 21/01, 18/02…
        let due = due_session(d(2027, 1, 20), &sessions).unwrap();
        assert_eq!(due.date, d(2026, 12, 17));
        let due = due_session(d(2027, 1, 21), &sessions).unwrap();
        assert_eq!(due.date, d(2027, 1, 21));
    }

    #[test]
    fn r_gts_2_cancelled_session_is_skipped() {
        let mut dec = GtsSession::new(2026, 12);
        dec.cancelled = true;
        let sessions = sessions_from(d(2026, 11, 1), 4, |_, m| (m == 12).then_some(&dec));
        let due = due_session(d(2027, 1, 20), &sessions).unwrap();
        assert_eq!(due.date, d(2026, 11, 19));
        assert_eq!(
            next_session(d(2026, 11, 20), &sessions).unwrap().date,
            d(2027, 1, 21)
        );
    }

    #[test]
    fn r_gts_2_a_measure_whose_session_passed_is_presented_at_the_next() {
        let sessions = sessions_from(d(2026, 11, 1), 4, |_, _| None);
        // Planned end 01/12: due 19/11; seen on 27/11, presented on 17/12.
        let s = presentation_session(d(2026, 12, 1), d(2026, 11, 27), &sessions).unwrap();
        assert_eq!(s.date, d(2026, 12, 17));
        // Seen before the 19/11 session: presented there.
        let s = presentation_session(d(2026, 12, 1), d(2026, 11, 10), &sessions).unwrap();
        assert_eq!(s.date, d(2026, 11, 19));
    }

    #[test]
    fn r_gts_1_once_closed_the_next_session_is_the_coming_one() {
        let mut dec = GtsSession::new(2026, 12);
        let sessions = sessions_from(d(2026, 12, 1), 3, |_, m| (m == 12).then_some(&dec));
        assert_eq!(
            next_session(d(2026, 12, 17), &sessions).unwrap().date,
            d(2026, 12, 17)
        );
        dec.closed = Some(d(2026, 12, 17));
        let sessions = sessions_from(d(2026, 12, 1), 3, |_, m| (m == 12).then_some(&dec));
        assert_eq!(
            next_session(d(2026, 12, 17), &sessions).unwrap().date,
            d(2027, 1, 21)
        );
        // A measure due at the closed session is presented at the next.
        let s = presentation_session(d(2027, 1, 10), d(2026, 12, 17), &sessions).unwrap();
        assert_eq!(s.date, d(2027, 1, 21));
    }

    #[test]
    fn r_gts_7_decisions_are_labelled() {
        assert_eq!(
            Decision::Renew { months: 3 }.label(),
            "Renouvellement 3 mois"
        );
        assert_eq!(Decision::Stop.label(), "Arrêt");
    }
}
