//! The alert engine: given a date and the data, every deadline missed or
//! near, with its rule id (R-REF-4, R-DIAG-2, R-MES-2/3/5, R-GTS-2,
//! R-BIL-1, R-ELIG-2, R-GTS-3/4/5/9).

use super::calendar::fr_date;
use super::dataset::Dataset;
use super::gts::{SessionInfo, due_session, next_session};
use super::household::LandlordKind;
use super::ids::{HouseholdId, Reference, SectorId, WorkerId};
use super::measure::{
    Contract, Measure, MeasureStatus, Party, add_months, compliance, diagnostic_due,
};
use super::referral::{Referral, ReferralKind, Requester};
use chrono::{Days, NaiveDate};

/// How close an alert is. Ordered: the most pressing first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The deadline has passed (`!`).
    Overdue,
    /// Due within [`SOON_DAYS`] days.
    Soon,
    /// Worth knowing, no deadline missed.
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Overdue => "en retard",
            Severity::Soon => "bientôt",
            Severity::Info => "info",
        }
    }
    /// The mark shown beside the alert: never colour alone.
    pub fn mark(self) -> &'static str {
        match self {
            Severity::Overdue => "!",
            Severity::Soon => "●",
            Severity::Info => "·",
        }
    }
}

/// An alert is raised this many days before its deadline.
pub const SOON_DAYS: i64 = 7;
/// R-MES-3: at most fifteen days between two meetings.
pub const MEETING_GAP_DAYS: u64 = 15;
/// R-MES-5, Decision: a contract (or its reason) within thirty days.
pub const CONTRACT_DAYS: u64 = 30;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub rule: &'static str,
    pub severity: Severity,
    pub due: NaiveDate,
    pub sector: Option<SectorId>,
    pub worker: Option<WorkerId>,
    pub household: Option<HouseholdId>,
    pub reference: Option<Reference>,
    pub message: String,
}

fn severity_for(due: NaiveDate, today: NaiveDate) -> Option<Severity> {
    let days = (due - today).num_days();
    if days < 0 {
        Some(Severity::Overdue)
    } else if days <= SOON_DAYS {
        Some(Severity::Soon)
    } else {
        None
    }
}

fn plus_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(NaiveDate::MAX)
}

struct Ctx<'a> {
    today: NaiveDate,
    sessions: &'a [SessionInfo],
    next: Option<&'a SessionInfo>,
    out: Vec<Alert>,
}

impl Ctx<'_> {
    fn push(
        &mut self,
        m: &Measure,
        rule: &'static str,
        severity: Severity,
        due: NaiveDate,
        message: String,
    ) {
        self.out.push(Alert {
            rule,
            severity,
            due,
            sector: Some(m.sector),
            worker: m.worker,
            household: Some(m.household),
            reference: Some(m.reference),
            message,
        });
    }

    fn push_dated(&mut self, m: &Measure, rule: &'static str, due: NaiveDate, message: String) {
        if let Some(sev) = severity_for(due, self.today) {
            self.push(m, rule, sev, due, message);
        }
    }
}

/// Every alert as of `today`, most pressing first, then by due date.
pub fn compute_alerts(data: &Dataset, today: NaiveDate) -> Vec<Alert> {
    let sessions = data.sessions_around(today);
    let mut ctx = Ctx {
        today,
        sessions: &sessions,
        next: next_session(today, &sessions),
        out: Vec::new(),
    };
    for m in data.measures.values() {
        let Some(r) = data.referrals.get(&m.reference) else {
            continue;
        };
        measure_alerts(&mut ctx, data, m, r);
    }
    gts_alerts(&mut ctx.out, data, &sessions, today);
    ctx.out
        .sort_by_key(|a| (a.severity, a.due, a.reference, a.rule));
    ctx.out
}

fn measure_alerts(ctx: &mut Ctx<'_>, data: &Dataset, m: &Measure, r: &Referral) {
    let active = matches!(m.status, MeasureStatus::Waiting | MeasureStatus::InProgress);
    if !active {
        return;
    }
    let today = ctx.today;
    let mut c = compliance(m, r, today);
    // R-DIAG-3: a measure asked for after a diagnostic follows a family the
    // worker already met: the diagnostic's contacts count for R-REF-4 and
    // R-MES-2, and when the worker asked for it (R-REF-1 6), there is no
    // other requester to contact.
    if let Some(diag) = r.after_diagnostic.and_then(|d| data.measures.get(&d)) {
        let dc = diag.first_contact_with(Party::Household);
        c.first_household_contact = match (c.first_household_contact, dc) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        c.referring_worker_contacted |= diag.first_contact_with(Party::ReferringWorker).is_some();
        c.landlord_contacted |= diag.first_contact_with(Party::Landlord).is_some();
        c.requester_contacted |= r.requester == Requester::Other;
        c.attempts += diag.contact_attempts();
        c.home_visit |= diag.has_home_visit();
    }
    let household = data.households.get(&m.household);

    // R-ELIG-2: a judicial protection during a measure goes to the next GTS.
    if household.is_some_and(|h| h.judicial_protection) {
        let due = ctx.next.map_or(today, |s| s.date);
        ctx.push(
            m,
            "R-ELIG-2",
            Severity::Overdue,
            due,
            "Protection judiciaire : incompatible avec l'ASSLL, à présenter au prochain GTS".into(),
        );
    }

    // R-MES-6: a refusal or an impossibility goes to the next GTS.
    if let Some(d) = &m.difficulty {
        let due = ctx.next.map_or(today, |s| s.date);
        ctx.push(
            m,
            "R-MES-6",
            severity_for(due, today).unwrap_or(Severity::Info),
            due,
            format!(
                "{} ({}) : à présenter au prochain GTS",
                capitalise(d.kind.label()),
                fr_date(d.date)
            ),
        );
    }

    // R-REF-4: within a month, the household and all partners, the
    // referring worker included (when the household has one).
    let referring_missing = !c.referring_worker_contacted
        && household.is_some_and(|h| !h.referring_worker.trim().is_empty());
    if c.first_household_contact.is_none() || referring_missing {
        let who = match (c.first_household_contact.is_none(), referring_missing) {
            (true, true) => "ménage et TS référent",
            (true, false) => "ménage",
            _ => "TS référent",
        };
        ctx.push_dated(
            m,
            "R-REF-4",
            c.first_contact_due,
            format!(
                "Premier contact ({who}) à faire avant le {}",
                fr_date(c.first_contact_due)
            ),
        );
    }

    if m.status != MeasureStatus::InProgress {
        return;
    }
    let Some(start) = m.start else { return };

    if m.kind == ReferralKind::Diagnostic {
        // R-DIAG-2: returned within two months; 3 attempts incl. a home visit.
        let due = diagnostic_due(r);
        let mut msg = format!("Diagnostic à rendre le {}", fr_date(due));
        if c.attempts < 3 || !c.home_visit {
            msg.push_str(&format!(
                " — sollicitations {}/3, visite à domicile {}",
                c.attempts.min(3),
                if c.home_visit { "oui" } else { "non" }
            ));
        }
        ctx.push_dated(m, "R-DIAG-2", due, msg);
        return;
    }

    // R-MES-2: three attempts, one at home, and requester and landlord
    // contacted, within the first month (Decision: same month as R-REF-4).
    let landlord_needed = household
        .and_then(|h| h.landlord.as_ref())
        .is_some_and(|l| l.kind != LandlordKind::Owner);
    if c.attempts < 3
        || !c.home_visit
        || !c.requester_contacted
        || (landlord_needed && !c.landlord_contacted)
    {
        let due = add_months(start, 1);
        let mut missing = Vec::new();
        if c.attempts < 3 {
            missing.push(format!("sollicitations {}/3", c.attempts));
        }
        if !c.home_visit {
            missing.push("pas de visite à domicile".to_string());
        }
        if !c.requester_contacted {
            missing.push("demandeur non contacté".to_string());
        }
        if landlord_needed && !c.landlord_contacted {
            missing.push("bailleur non contacté".to_string());
        }
        ctx.push_dated(m, "R-MES-2", due, missing.join(", "));
    }

    // R-MES-3: a meeting at least every fifteen days.
    let since = c.last_meeting.unwrap_or(start);
    let due = plus_days(since, MEETING_GAP_DAYS);
    let days = (today - since).num_days();
    if days > MEETING_GAP_DAYS as i64 {
        ctx.push(
            m,
            "R-MES-3",
            Severity::Overdue,
            due,
            match c.last_meeting {
                Some(d) => format!("Dernière rencontre il y a {days} j ({})", fr_date(d)),
                None => format!("Aucune rencontre depuis le début ({days} j)"),
            },
        );
    }

    // R-MES-5: a contract, or the reason there is none, within 30 days.
    if m.contract == Contract::Pending {
        let due = plus_days(start, CONTRACT_DAYS);
        ctx.push_dated(
            m,
            "R-MES-5",
            due,
            "Pas de contrat signé ni de motif pour le GTS".to_string(),
        );
    }

    // R-BIL-1 / R-GTS-2: the review is due at the last session before the
    // planned end; alert when the end has passed, or when no session is
    // held between today and the planned end.
    if let Some(end) = m.planned_end {
        if end < today {
            ctx.push(
                m,
                "R-BIL-1",
                Severity::Overdue,
                end,
                format!(
                    "Fin prévue dépassée ({}) : bilan à présenter au GTS",
                    fr_date(end)
                ),
            );
        } else if let Some(session) = ctx.next.filter(|s| s.date <= end) {
            // R-BIL-1: the review is presented at the session the measure is
            // due at (R-GTS-2); warn the week before when it is not written.
            let due_now = due_session(end, ctx.sessions).is_some_and(|d| d.date == session.date);
            if due_now && m.review.text.trim().is_empty() {
                ctx.push_dated(
                    m,
                    "R-BIL-1",
                    session.date,
                    format!(
                        "Bilan à rédiger pour le GTS du {} (fin prévue le {})",
                        fr_date(session.date),
                        fr_date(end)
                    ),
                );
            }
        } else {
            ctx.push(
                m,
                "R-GTS-2",
                if (end - today).num_days() <= SOON_DAYS {
                    Severity::Soon
                } else {
                    Severity::Info
                },
                end,
                format!(
                    "Fin prévue le {} sans séance du GTS avant cette date",
                    fr_date(end)
                ),
            );
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn gts_alerts(out: &mut Vec<Alert>, data: &Dataset, sessions: &[SessionInfo], today: NaiveDate) {
    let record = |s: &SessionInfo| data.sessions.get(&(s.year, s.month));
    let mut push = |rule: &'static str, due: NaiveDate, msg: String| {
        if let Some(severity) = severity_for(due, today) {
            out.push(Alert {
                rule,
                severity,
                due,
                sector: None,
                worker: None,
                household: None,
                reference: None,
                message: msg,
            });
        }
    };
    // R-GTS-3/4/5: every session to come (the next one's deadlines, and the
    // one after when its draft is already near).
    for s in sessions.iter().filter(|s| s.held() && s.date >= today) {
        let rec = record(s);
        let when = fr_date(s.date);
        if rec.is_none_or(|r| r.draft_sent.is_none()) {
            push(
                "R-GTS-3",
                s.deadlines.draft_agenda,
                format!("Ordre du jour brouillon du GTS du {when} à envoyer aux TS"),
            );
        }
        if rec.is_none_or(|r| r.final_sent.is_none()) {
            // R-GTS-4: replies still expected on items of the draft.
            let replies_missing = rec.is_none_or(|r| {
                r.draft_sent.is_none()
                    || r.agenda
                        .iter()
                        .any(|i| i.removed.is_none() && i.reply.is_none())
            });
            if replies_missing {
                push(
                    "R-GTS-4",
                    s.deadlines.replies,
                    format!("Réponses des TS sur l'ordre du jour du GTS du {when}"),
                );
            }
            push(
                "R-GTS-5",
                s.deadlines.final_agenda,
                format!("Ordre du jour définitif du GTS du {when} à envoyer aux partenaires"),
            );
        }
    }
    // R-GTS-9: minutes of held sessions not yet sent.
    for s in sessions.iter().filter(|s| s.held() && s.date <= today) {
        let Some(rec) = record(s) else { continue };
        if rec.closed.is_some() && rec.minutes_sent.is_none() {
            push(
                "R-GTS-9",
                s.deadlines.minutes,
                format!("Procès-verbal du GTS du {} à envoyer", fr_date(s.date)),
            );
        }
    }
}
