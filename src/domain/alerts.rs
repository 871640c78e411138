//! The alert engine: given a date and the data, every deadline missed or
//! near, with its rule id (R-REF-4, R-DIAG-2, R-MES-2/3/5, R-GTS-2,
//! R-BIL-1, R-ELIG-2, R-GTS-3/4/5/9).

use super::calendar::fr_date;
use super::dataset::Dataset;
use super::gts::{SessionInfo, due_session, next_session};
use super::household::LandlordKind;
use super::ids::{HouseholdId, Reference, SectorId, WorkerId};
use super::measure::{Contract, Measure, MeasureStatus, add_months, compliance, diagnostic_due};
use super::referral::{Referral, ReferralKind, Requester};
use chrono::{Days, NaiveDate};
use std::collections::HashMap;

/// Per household, what the rules ask of it, indexed by id (ids are given
/// in sequence, so the table is dense; a sparse set of ids uses a map).
enum HouseholdFlags {
    Dense(Vec<u8>),
    Sparse(HashMap<HouseholdId, u8>),
}

/// What the rules ask of a household, as [`HouseholdFlags`] bits.
fn flags(h: &super::household::Household) -> u8 {
    let mut f = 0;
    if h.judicial_protection {
        f |= PROTECTED;
    }
    if !h.referring_worker.trim().is_empty() {
        f |= HAS_REFERRING;
    }
    if h.landlord
        .as_ref()
        .is_some_and(|l| l.kind != LandlordKind::Owner)
    {
        f |= HAS_LANDLORD;
    }
    f
}

impl HouseholdFlags {
    fn new(data: &Dataset) -> Self {
        let max = data
            .households
            .keys()
            .next_back()
            .map_or(0, |h| h.0 as usize);
        if max <= 4 * data.households.len() + 1024 {
            let mut v = vec![0u8; max + 1];
            for h in data.households.values() {
                v[h.id.0 as usize] = flags(h);
            }
            HouseholdFlags::Dense(v)
        } else {
            HouseholdFlags::Sparse(data.households.values().map(|h| (h.id, flags(h))).collect())
        }
    }

    fn get(&self, id: HouseholdId) -> u8 {
        match self {
            HouseholdFlags::Dense(v) => v.get(id.0 as usize).copied().unwrap_or(0),
            HouseholdFlags::Sparse(m) => m.get(&id).copied().unwrap_or(0),
        }
    }
}

const PROTECTED: u8 = 1;
const HAS_REFERRING: u8 = 2;
const HAS_LANDLORD: u8 = 4;

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
    /// Per household, the [`PROTECTED`], [`HAS_REFERRING`], [`HAS_LANDLORD`] flags.
    households: &'a HouseholdFlags,
    /// Workers who left before today, with their last day (usually none).
    departed: Vec<(WorkerId, NaiveDate)>,
    out: Vec<Alert>,
}

/// Workers who left the service before `today`, with their last day.
fn departed(data: &Dataset, today: NaiveDate) -> Vec<(WorkerId, NaiveDate)> {
    data.workers
        .values()
        .filter_map(|w| w.left.filter(|l| *l < today).map(|l| (w.id, l)))
        .collect()
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

/// Above this many measures, the alert engine splits the work in two
/// halves run on two threads (the pure rules need no coordination).
const PARALLEL_FROM: usize = 20_000;

/// Every alert as of `today`, most pressing first, then by due date.
pub fn compute_alerts(data: &Dataset, today: NaiveDate) -> Vec<Alert> {
    compute_alerts_split(data, today, data.measures.len() >= PARALLEL_FROM)
}

fn compute_alerts_split(data: &Dataset, today: NaiveDate, parallel: bool) -> Vec<Alert> {
    let sessions = data.sessions_around(today);
    // What the rules need of each household, read once in order: a search
    // per measure in the households' map costs more than the rules.
    let households = HouseholdFlags::new(data);
    let ctx = || Ctx {
        today,
        sessions: &sessions,
        next: next_session(today, &sessions),
        households: &households,
        departed: departed(data, today),
        out: Vec::new(),
    };
    let mut out = if parallel {
        let mid = data
            .measures
            .keys()
            .nth(data.measures.len() / 2)
            .copied()
            .unwrap_or_default();
        let (mut a, mut b) = (ctx(), ctx());
        std::thread::scope(|scope| {
            scope.spawn(|| measures_alerts(&mut a, data, ..mid));
            measures_alerts(&mut b, data, mid..);
        });
        a.out.append(&mut b.out);
        a.out
    } else {
        let mut c = ctx();
        measures_alerts(&mut c, data, ..);
        c.out
    };
    gts_alerts(&mut out, data, &sessions, today);
    out.sort_by_key(|a| (a.severity, a.due, a.reference, a.rule));
    out
}

/// The alerts of the measures `refs` only, none of the sessions' (what a
/// commit that touched those measures changes; see `app::Derived::after`).
/// `sessions` are [`Dataset::sessions_around`] `today`.
pub fn measures_alerts_of(
    data: &Dataset,
    today: NaiveDate,
    sessions: &[SessionInfo],
    refs: &[Reference],
) -> Vec<Alert> {
    let households = HouseholdFlags::Sparse(
        refs.iter()
            .filter_map(|r| data.measures.get(r))
            .filter_map(|m| data.households.get(&m.household))
            .map(|h| (h.id, flags(h)))
            .collect(),
    );
    let mut ctx = Ctx {
        today,
        sessions,
        next: next_session(today, sessions),
        households: &households,
        departed: departed(data, today),
        out: Vec::new(),
    };
    for r in refs {
        if let (Some(m), Some(referral)) = (data.measures.get(r), data.referrals.get(r)) {
            measure_alerts(&mut ctx, data, m, referral);
        }
    }
    ctx.out
}

/// The alerts of the measures whose reference is in `range`. Referrals and
/// measures share their keys: both maps are walked in step rather than
/// searched once per measure (100,000 searches cost more than the rules).
fn measures_alerts(
    ctx: &mut Ctx<'_>,
    data: &Dataset,
    range: impl std::ops::RangeBounds<Reference> + Clone,
) {
    let mut referrals = data.referrals.range(range.clone()).peekable();
    for (key, m) in data.measures.range(range) {
        while referrals.next_if(|(k, _)| *k < key).is_some() {}
        let Some((_, r)) = referrals.next_if(|(k, _)| *k == key) else {
            continue;
        };
        measure_alerts(ctx, data, m, r);
    }
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
        let df = diag.facts();
        let dc = df.first_household;
        c.first_household_contact = match (c.first_household_contact, dc) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        c.referring_worker_contacted |= df.first_referring_worker.is_some();
        c.landlord_contacted |= df.first_landlord.is_some();
        c.requester_contacted |= r.requester == Requester::Other;
        c.attempts += df.household_attempts as usize;
        c.home_visit |= df.home_visit;
    }
    let flags = ctx.households.get(m.household);

    // R-MES-7: a worker who left holds no measure: it goes to another.
    if m.is_in_progress()
        && let Some((w, left)) = ctx.departed.iter().find(|(w, _)| Some(*w) == m.worker)
    {
        let due = left.succ_opt().unwrap_or(*left);
        let name = data.worker_name(Some(*w)).to_string();
        ctx.push(
            m,
            "R-MES-7",
            Severity::Overdue,
            due,
            format!(
                "{name} a quitté le service le {} : mesure à confier à un·e autre TS",
                fr_date(*left)
            ),
        );
    }

    // R-ELIG-2: a judicial protection during a measure goes to the next GTS.
    if flags & PROTECTED != 0 {
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
    let referring_missing = !c.referring_worker_contacted && flags & HAS_REFERRING != 0;
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

    // R-DIAG-2: a diagnostic is returned within two months of the order's
    // reception, waiting list or not: one still waiting near or past that
    // date is said (it is done in priority, R-DIAG-1).
    if m.status == MeasureStatus::Waiting && m.kind == ReferralKind::Diagnostic {
        let due = diagnostic_due(r);
        ctx.push_dated(
            m,
            "R-DIAG-2",
            due,
            format!(
                "Diagnostic toujours en attente (reçu le {}) : à rendre le {}",
                fr_date(r.received),
                fr_date(due)
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
    let landlord_needed = !c.landlord_contacted && flags & HAS_LANDLORD != 0;
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
    // A session closed (on its day) has nothing left to prepare.
    for s in sessions
        .iter()
        .filter(|s| s.held() && !s.closed && s.date >= today)
    {
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
                    // The workers' reply time, from a draft sent late too.
                    rec.map_or(s.deadlines.replies, super::agenda::reply_deadline),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_over_two_threads_gives_the_same_alerts() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let data = crate::demo::generate(today, 2_000, 3);
        let one = compute_alerts_split(&data, today, false);
        let two = compute_alerts_split(&data, today, true);
        assert!(!one.is_empty());
        assert_eq!(one, two);
    }
}
