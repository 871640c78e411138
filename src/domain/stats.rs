//! The yearly statistics (R-STAT-1/2): per worker and sector, per sector,
//! and for the whole programme (the GIP). Pure: a data set, a year and
//! today's date in, figures out. Every figure is defined in
//! docs/statistics.md; the "exercice" is the calendar year.

use super::calendar::fr_date;
use super::command::Role;
use super::dataset::Dataset;
use super::gts::year_calendar;
use super::ids::{SectorId, WorkerId};
use super::measure::{
    Holding, MeasureStatus, add_months, compliance, diagnostic_due, first_contact_due,
};
use super::referral::{ReferralKind, Requester};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// Years the statistics accept (the command line refuses the others).
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A deadline's record over the year: how many were due, how many met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ratio {
    pub met: u32,
    pub due: u32,
}

impl Ratio {
    fn add(&mut self, met: bool) {
        self.due += 1;
        self.met += u32::from(met);
    }
    /// `12/15`, or `—` when nothing was due.
    pub fn label(&self) -> String {
        if self.due == 0 {
            "—".to_string()
        } else {
            format!("{}/{}", self.met, self.due)
        }
    }
}

/// The figures of one row (a worker in a sector, a sector, or the total).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Counts {
    /// ASSLL measures (not diagnostics) in progress at some moment of the year.
    pub followed: u32,
    /// Referrals (measures and diagnostics) received in the year, by the
    /// sector whose list holds them (sector and total rows only).
    pub referrals: u32,
    /// Diagnostics in progress at some moment of the year.
    pub diagnostics_followed: u32,
    /// Diagnostics returned (stopped) in the year.
    pub diagnostics_returned: u32,
    /// … of which within R-DIAG-2's two months.
    pub diagnostics_on_time: u32,
    pub starts: u32,
    /// … of which out of the waiting order, with a reason (R-REF-5).
    pub out_of_order: u32,
    pub renewals: u32,
    pub stops: u32,
    /// Stops by reason, grouped ([`reason_group`]).
    pub stop_reasons: BTreeMap<String, u32>,
    /// Referrals that could not be set up in the year (R-MES-6; sector and
    /// total rows only: no worker holds them).
    pub not_started: u32,
    /// Reviews (bilans) written in the year.
    pub reviews: u32,
    /// Days from referral to start, of the measures started in the year.
    pub waits: Vec<i64>,
    /// Starts per month (January first).
    pub starts_by_month: [u32; 12],
    /// R-REF-4: first contact with the household within a month.
    pub first_contact: Ratio,
    /// R-MES-2: three attempts, one at home, and the requester contacted,
    /// within the first month.
    pub attempts: Ratio,
    /// R-MES-3: no more than 15 days without a meeting.
    pub meetings: Ratio,
    /// R-DIAG-2: diagnostic returned within two months.
    pub diagnostic_deadline: Ratio,
}

impl Counts {
    /// Median of the waits, in days (the mean of the two middle ones, rounded
    /// down, for an even count).
    pub fn median_wait(&self) -> Option<i64> {
        let mut w = self.waits.clone();
        w.sort_unstable();
        let n = w.len();
        match n {
            0 => None,
            _ if n % 2 == 1 => Some(w[n / 2]),
            _ => Some((w[n / 2 - 1] + w[n / 2]).div_euclid(2)),
        }
    }
    pub fn max_wait(&self) -> Option<i64> {
        self.waits.iter().copied().max()
    }
}

/// What a row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RowKey {
    /// A worker's measures in one sector (R-STAT-1).
    Worker(SectorId, WorkerId),
    Sector(SectorId),
    /// The whole programme (R-STAT-2).
    Total,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub key: RowKey,
    pub counts: Counts,
}

/// The GTS's own deadlines over the year (R-GTS-1/3/5/9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GtsFigures {
    /// Sessions of the year closed (held, decisions applied).
    pub held: u32,
    /// Sessions of the year not cancelled whose date is past.
    pub planned: u32,
    pub cancelled: u32,
    pub draft_on_time: Ratio,
    pub final_on_time: Ratio,
    pub minutes_on_time: Ratio,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearStats {
    pub year: i32,
    /// The last day the figures cover: 31 December, or today in the
    /// current year.
    pub until: NaiveDate,
    /// Worker rows (sector, then worker), then sector rows, then the total.
    pub rows: Vec<Row>,
    /// `None` when the reader may not see them (a worker, R-STAT-1).
    pub gts: Option<GtsFigures>,
    /// The starts of the year out of the waiting order, with their reason
    /// (R-REF-5), by start date.
    pub out_of_order: Vec<OutOfOrderStart>,
}

/// A start out of the waiting order (R-REF-5), as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfOrderStart {
    pub reference: super::ids::Reference,
    pub sector: SectorId,
    pub worker: Option<WorkerId>,
    pub start: NaiveDate,
    /// How many referrals of the list it passed.
    pub passed: u32,
    pub reason: String,
}

impl YearStats {
    pub fn total(&self) -> Option<&Counts> {
        self.rows
            .iter()
            .find(|r| r.key == RowKey::Total)
            .map(|r| &r.counts)
    }
    pub fn sector_rows(&self) -> impl Iterator<Item = (SectorId, &Counts)> {
        self.rows.iter().filter_map(|r| match r.key {
            RowKey::Sector(s) => Some((s, &r.counts)),
            _ => None,
        })
    }
    pub fn row(&self, key: RowKey) -> Option<&Counts> {
        self.rows.iter().find(|r| r.key == key).map(|r| &r.counts)
    }

    /// R-STAT-1/2: what `role` may read. A worker reads their own rows, per
    /// sector; the GIP, employers and readers read everything; a withdrawn
    /// account nothing.
    pub fn visible_to(mut self, role: &Role) -> YearStats {
        match role {
            Role::Worker { worker } => {
                self.rows
                    .retain(|r| matches!(r.key, RowKey::Worker(_, w) if w == *worker));
                self.gts = None;
                self.out_of_order.retain(|o| o.worker == Some(*worker));
            }
            Role::NoAccess => {
                self.rows.clear();
                self.gts = None;
                self.out_of_order.clear();
            }
            Role::GipAdmin | Role::EmployerRep | Role::ReadOnly => {}
        }
        self
    }

    /// The label of a row: `Cognac — Mme Laurent`, `Cognac`, `Total GIP`.
    pub fn row_label(data: &Dataset, key: RowKey) -> String {
        match key {
            RowKey::Worker(s, w) => {
                format!("{} — {}", data.sector_name(s), data.worker_name(Some(w)))
            }
            RowKey::Sector(s) => data.sector_name(s).to_string(),
            RowKey::Total => "Total GIP".to_string(),
        }
    }
}

/// Who held a measure on `date`, given its [`Measure::holdings`] (the
/// first holder before its start).
fn holder_at(periods: &[Holding], date: NaiveDate) -> Option<(Option<WorkerId>, SectorId)> {
    periods
        .iter()
        .rev()
        .find(|p| p.from <= date)
        .or(periods.first())
        .map(|p| (p.worker, p.sector))
}

/// Who held `m` at some moment of `[from, to]`, given the measure's last
/// day `last` (its stop, or `None` while in progress).
fn holders_between(
    periods: &[Holding],
    from: NaiveDate,
    to: NaiveDate,
    last: Option<NaiveDate>,
) -> Vec<(Option<WorkerId>, SectorId)> {
    let mut out = Vec::new();
    for (i, p) in periods.iter().enumerate() {
        // The period's last day: the day before the next one, or the stop.
        let end = match periods.get(i + 1) {
            Some(next) => next.from.pred_opt().unwrap_or(next.from),
            None => last.unwrap_or(NaiveDate::MAX),
        };
        let end = last.map_or(end, |l| end.min(l));
        if p.from <= to && end >= from && p.from <= end {
            out.push((p.worker, p.sector));
        }
    }
    out
}

/// A stop's reason without its date, so that reasons group: « Arrêt décidé
/// par le GTS du 17/12/2026 » → « Arrêt décidé par le GTS ».
pub fn reason_group(reason: &str) -> String {
    let words: Vec<&str> = reason.split_whitespace().collect();
    let is_date = |w: &str| {
        let w = w.trim_end_matches(['.', ',', ')', ';']);
        w.len() == 10 && w.chars().filter(|c| *c == '/').count() == 2
    };
    let mut kept: Vec<&str> = Vec::new();
    for w in words {
        if is_date(w) {
            if matches!(kept.last(), Some(&"du") | Some(&"le") | Some(&"au")) {
                kept.pop();
            }
            continue;
        }
        kept.push(w);
    }
    let s = kept.join(" ");
    if s.is_empty() {
        "Sans motif".to_string()
    } else {
        s
    }
}

/// Adds a figure to the rows it belongs to: the worker's row in that
/// sector (when a worker holds it), the sector's, and the total. Each row
/// at most once per call, so that a measure held twice in a sector counts
/// once there.
struct Acc {
    rows: BTreeMap<RowKey, Counts>,
}

impl Acc {
    fn credit(&mut self, at: &[(Option<WorkerId>, SectorId)], f: impl Fn(&mut Counts)) {
        match at {
            [] => return,
            // One holder, the usual case: no set to build.
            [(w, s)] => {
                if let Some(w) = w {
                    f(self.rows.entry(RowKey::Worker(*s, *w)).or_default());
                }
                f(self.rows.entry(RowKey::Sector(*s)).or_default());
                f(self.rows.entry(RowKey::Total).or_default());
                return;
            }
            _ => {}
        }
        let mut keys: BTreeSet<RowKey> = BTreeSet::new();
        for (w, s) in at {
            if let Some(w) = w {
                keys.insert(RowKey::Worker(*s, *w));
            }
            keys.insert(RowKey::Sector(*s));
        }
        keys.insert(RowKey::Total);
        for k in keys {
            f(self.rows.entry(k).or_default());
        }
    }
}

fn in_year(d: NaiveDate, from: NaiveDate, until: NaiveDate) -> bool {
    from <= d && d <= until
}

/// R-STAT-1/2: the figures of `year` as known on `today` (a year not yet
/// over is counted up to today). Rows with nothing in them are left out,
/// except the sectors' and the total.
pub fn yearly(data: &Dataset, year: i32, today: NaiveDate) -> YearStats {
    let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
    let until = dec31.min(today);
    let mut acc = Acc {
        rows: BTreeMap::new(),
    };
    for s in data.sectors.keys() {
        acc.rows.insert(RowKey::Sector(*s), Counts::default());
    }
    acc.rows.insert(RowKey::Total, Counts::default());
    let mut out_of_order: Vec<OutOfOrderStart> = Vec::new();

    for m in data.measures.values() {
        let Some(r) = data.referrals.get(&m.reference) else {
            continue;
        };
        let sector_only = [(None, r.sector)];
        if from <= until && in_year(r.received, from, until) {
            acc.credit(&sector_only, |c| c.referrals += 1);
        }
        let periods = m.holdings();
        let last = match &m.status {
            MeasureStatus::Stopped { date, .. } => Some(*date),
            _ => None,
        };
        let holder = |d: NaiveDate| holder_at(&periods, d);

        match &m.status {
            MeasureStatus::NotStarted { date, .. } => {
                if in_year(*date, from, until) {
                    acc.credit(&[(None, m.sector)], |c| c.not_started += 1);
                }
                continue;
            }
            MeasureStatus::Waiting => {
                // R-REF-4 and R-DIAG-2 run while waiting too.
                let due = first_contact_due(r);
                if in_year(due, from, until) {
                    let met = m.facts().first_household.is_some_and(|d| d <= due);
                    acc.credit(&sector_only, |c| c.first_contact.add(met));
                }
                if m.kind == ReferralKind::Diagnostic {
                    let due = diagnostic_due(r);
                    if in_year(due, from, until) {
                        acc.credit(&sector_only, |c| c.diagnostic_deadline.add(false));
                    }
                }
                continue;
            }
            MeasureStatus::InProgress | MeasureStatus::Stopped { .. } => {}
        }
        let Some(start) = m.start else { continue };
        // A year still to come (`until` before `from`) follows nothing.
        let followed = if from > until || last.is_some_and(|l| l < from) {
            Vec::new()
        } else {
            holders_between(&periods, from, until, last)
        };
        // What the rules look at, with a diagnostic's contacts counting for
        // the measure that follows it (R-DIAG-3), as the alerts do.
        // R-MES-3 is seen on the measure's last day: its stop, or today.
        let at = last.unwrap_or(today);
        let mut c = compliance(m, r, at);
        if let Some(diag) = r.after_diagnostic.and_then(|d| data.measures.get(&d)) {
            let df = diag.facts();
            c.first_household_contact = match (c.first_household_contact, df.first_household) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            c.attempts += df.household_attempts as usize;
            c.home_visit |= df.home_visit;
            c.requester_contacted |= r.requester == Requester::Other;
        }
        // Who an échéance counts for: the holder on its day, or the sector
        // alone while the referral was still waiting.
        let owner = |due: NaiveDate| {
            if start <= due {
                holder(due)
            } else {
                Some(sector_only[0])
            }
        };
        // R-REF-4.
        let due = c.first_contact_due;
        if in_year(due, from, until) {
            let met = c.first_household_contact.is_some_and(|d| d <= due);
            acc.credit(owner(due).as_slice(), |x| x.first_contact.add(met));
        }
        // R-DIAG-2.
        let diag_due = diagnostic_due(r);
        let returned_on_time = last.is_some_and(|l| l <= diag_due);
        if m.kind == ReferralKind::Diagnostic && in_year(diag_due, from, until) {
            acc.credit(owner(diag_due).as_slice(), |x| {
                x.diagnostic_deadline.add(returned_on_time)
            });
        }
        if start > until {
            continue;
        }

        match m.kind {
            ReferralKind::Diagnostic => {
                acc.credit(&followed, |x| x.diagnostics_followed += 1);
                if let Some(l) = last.filter(|l| in_year(*l, from, until)) {
                    acc.credit(holder(l).as_slice(), |x| {
                        x.diagnostics_returned += 1;
                        x.diagnostics_on_time += u32::from(returned_on_time);
                    });
                }
            }
            ReferralKind::Measure => {
                acc.credit(&followed, |x| x.followed += 1);
                if in_year(start, from, until) {
                    let wait = (start - r.referral_date).num_days().max(0);
                    let month = start.month0() as usize;
                    let passed = m.out_of_order.is_some();
                    acc.credit(holder(start).as_slice(), |x| {
                        x.starts += 1;
                        x.out_of_order += u32::from(passed);
                        x.waits.push(wait);
                        x.starts_by_month[month] += 1;
                    });
                    if let Some(o) = &m.out_of_order {
                        let (worker, sector) = holder(start).unwrap_or((m.worker, m.sector));
                        out_of_order.push(OutOfOrderStart {
                            reference: m.reference,
                            sector,
                            worker,
                            start,
                            passed: o.passed,
                            reason: o.reason.clone(),
                        });
                    }
                }
                for rn in &m.renewals {
                    if in_year(rn.decided_on, from, until) {
                        acc.credit(holder(rn.decided_on).as_slice(), |x| x.renewals += 1);
                    }
                }
                if let MeasureStatus::Stopped { date, reason } = &m.status
                    && in_year(*date, from, until)
                {
                    let group = reason_group(reason);
                    acc.credit(holder(*date).as_slice(), |x| {
                        x.stops += 1;
                        *x.stop_reasons.entry(group.clone()).or_default() += 1;
                    });
                }
                // R-BIL-1: the current review when dated in the year, and
                // those of the cycles renewed in the year.
                if let Some(d) = m.review.updated
                    && !m.review.text.trim().is_empty()
                    && in_year(d, from, until)
                {
                    acc.credit(holder(d).as_slice(), |x| x.reviews += 1);
                }
                for p in &m.past_reviews {
                    if in_year(p.renewed_on, from, until) {
                        acc.credit(holder(p.renewed_on).as_slice(), |x| x.reviews += 1);
                    }
                }
                // R-MES-2: due a month after the start (as the alerts).
                let due = add_months(start, 1);
                if in_year(due, from, until) {
                    let met = c.attempts_met() && c.requester_contacted;
                    acc.credit(holder(due).as_slice(), |x| x.attempts.add(met));
                }
                // R-MES-3: seen on the measure's last day in the year (its
                // stop, or today in the current year).
                if in_year(at, from, until) {
                    let met = c.meetings_met();
                    acc.credit(holder(at).as_slice(), |x| x.meetings.add(met));
                }
            }
        }
    }

    let rows = acc
        .rows
        .into_iter()
        .map(|(key, counts)| Row { key, counts })
        .collect();
    out_of_order.sort_by_key(|o| (o.start, o.reference));
    YearStats {
        year,
        until,
        rows,
        gts: Some(gts_figures(data, year, until)),
        out_of_order,
    }
}

/// R-GTS-1/3/5/9 over the year's sessions whose dates are past.
fn gts_figures(data: &Dataset, year: i32, until: NaiveDate) -> GtsFigures {
    let mut g = GtsFigures::default();
    let Ok(y) = u16::try_from(year) else {
        return g;
    };
    for info in year_calendar(y, |yy, mm| data.sessions.get(&(yy, mm))) {
        let saved = data.sessions.get(&(info.year, info.month));
        if !info.held() {
            if info.date <= until {
                g.cancelled += 1;
            }
            continue;
        }
        if info.date > until {
            // Still to come: its drafts may be due already.
            if info.deadlines.draft_agenda <= until {
                g.draft_on_time.add(
                    saved
                        .and_then(|s| s.draft_sent)
                        .is_some_and(|d| d <= info.deadlines.draft_agenda),
                );
            }
            if info.deadlines.final_agenda <= until {
                g.final_on_time.add(
                    saved
                        .and_then(|s| s.final_sent)
                        .is_some_and(|d| d <= info.deadlines.final_agenda),
                );
            }
            continue;
        }
        g.planned += 1;
        if info.closed {
            g.held += 1;
        }
        let sent = |f: fn(&super::gts::GtsSession) -> Option<NaiveDate>, due: NaiveDate| {
            saved.and_then(f).is_some_and(|d| d <= due)
        };
        g.draft_on_time
            .add(sent(|s| s.draft_sent, info.deadlines.draft_agenda));
        g.final_on_time
            .add(sent(|s| s.final_sent, info.deadlines.final_agenda));
        if info.deadlines.minutes <= until {
            g.minutes_on_time
                .add(sent(|s| s.minutes_sent, info.deadlines.minutes));
        }
    }
    g
}

/// `12 j`, or `—`.
pub fn days_label(d: Option<i64>) -> String {
    d.map_or_else(|| "—".to_string(), |d| format!("{d} j"))
}

/// `Exercice 2027 (du 01/01/2027 au 31/12/2027)`, or `… au 27/11/2027`
/// while the year runs.
pub fn period_label(s: &YearStats) -> String {
    let from = NaiveDate::from_ymd_opt(s.year, 1, 1).unwrap_or(s.until);
    if s.until < from {
        return format!("Exercice {} (à venir : rien à compter)", s.year);
    }
    format!(
        "Exercice {} (du {} au {})",
        s.year,
        fr_date(from),
        fr_date(s.until)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::measure::{LogEntry, Measure, PastHolder, PastReview, Renewal, Review};
    use crate::domain::{
        DecidingBody, EventKind, Household, HouseholdId, MeansSet, Objective, Party, Reference,
        Referral, Worker,
    };

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn base() -> Dataset {
        let mut data = Dataset::default();
        for s in crate::domain::sector::default_sectors() {
            data.sectors.insert(s.id, s);
        }
        for (id, sector) in [(1, 6), (2, 6), (3, 1)] {
            data.workers.insert(
                WorkerId(id),
                Worker {
                    id: WorkerId(id),
                    name: format!("TS {id}"),
                    employer: crate::domain::Employer::Caf,
                    sectors: vec![SectorId(sector)],
                    fte_hundredths: 100,
                    login: String::new(),
                    arrived: None,
                    left: None,
                },
            );
        }
        data
    }

    /// A measure of sector 6 referred on `referred`, started on `start`
    /// with worker `worker`.
    fn add(
        data: &mut Dataset,
        n: u32,
        kind: ReferralKind,
        referred: NaiveDate,
        start: Option<(NaiveDate, u32)>,
    ) -> Reference {
        let reference = Reference::new(referred.year() as u16, n);
        let household = Household {
            id: HouseholdId(n),
            last_name: "NOM".into(),
            first_name: "Prénom".into(),
            commune_insee: String::new(),
            commune: String::new(),
            sector: SectorId(6),
            referring_worker: String::new(),
            landlord: None,
            judicial_protection: false,
        };
        data.households.insert(household.id, household.clone());
        let referral = Referral {
            reference,
            household: household.id,
            kind,
            requester: Requester::Commission,
            deciding_body: DecidingBody::Commission,
            urgent: false,
            referral_date: referred,
            received: referred,
            objectives: vec![Objective::Rehousing],
            initial_months: 6,
            sector: SectorId(6),
            sublet: false,
            after_diagnostic: None,
            note: String::new(),
        };
        let mut m = Measure::new_waiting(&referral);
        if let Some((date, w)) = start {
            m.start(&referral, &household, WorkerId(w), SectorId(6), date)
                .unwrap();
        }
        data.referrals.insert(reference, referral);
        data.measures.insert(reference, m);
        reference
    }

    fn visit(date: NaiveDate, kind: EventKind) -> LogEntry {
        LogEntry {
            date,
            kind,
            with: Party::Household,
            means: MeansSet::new(),
            note: String::new(),
            author: "ts".into(),
            correction: None,
        }
    }

    #[test]
    fn a_measure_spanning_two_years_is_followed_in_both_and_started_in_the_first() {
        let mut data = base();
        let r = add(
            &mut data,
            1,
            ReferralKind::Measure,
            d(2026, 10, 1),
            Some((d(2026, 11, 2), 1)),
        );
        data.measures
            .get_mut(&r)
            .unwrap()
            .stop(d(2027, 3, 10), "Arrêt décidé par le GTS du 18/03/2027")
            .unwrap();
        let today = d(2028, 1, 10);
        let y26 = yearly(&data, 2026, today);
        let y27 = yearly(&data, 2027, today);
        let w = RowKey::Worker(SectorId(6), WorkerId(1));
        assert_eq!(y26.row(w).unwrap().followed, 1);
        assert_eq!(y26.row(w).unwrap().starts, 1);
        assert_eq!(y26.row(w).unwrap().waits, vec![32]);
        assert_eq!(y26.row(w).unwrap().stops, 0);
        assert_eq!(y26.total().unwrap().referrals, 1);
        assert_eq!(y27.row(w).unwrap().followed, 1);
        assert_eq!(y27.row(w).unwrap().starts, 0);
        assert_eq!(y27.row(w).unwrap().stops, 1);
        assert_eq!(y27.total().unwrap().referrals, 0);
        assert_eq!(
            period_label(&yearly(&data, 2029, today)),
            "Exercice 2029 (à venir : rien à compter)"
        );
        // The year after its stop, it is gone.
        assert!(yearly(&data, 2028, today).row(w).is_none());
        assert_eq!(yearly(&data, 2028, today).total().unwrap().followed, 0);
    }

    #[test]
    fn a_year_still_to_come_follows_no_measure_in_progress() {
        let mut data = base();
        add(
            &mut data,
            1,
            ReferralKind::Measure,
            d(2026, 1, 5),
            Some((d(2026, 2, 6), 1)),
        );
        add(
            &mut data,
            2,
            ReferralKind::Diagnostic,
            d(2026, 10, 5),
            Some((d(2026, 10, 20), 1)),
        );
        let today = d(2026, 12, 3);
        let now = yearly(&data, 2026, today);
        let t = now.total().unwrap();
        assert_eq!((t.followed, t.diagnostics_followed), (1, 1));
        let later = yearly(&data, 2030, today);
        let t = later.total().unwrap();
        assert_eq!((t.followed, t.diagnostics_followed, t.starts), (0, 0, 0));
        assert!(later.rows.iter().all(|r| r.counts.followed == 0));
    }

    #[test]
    fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let mut data = base();
        // Waits of 10, 20, 31 and 60 days: median (20 + 31) / 2 = 25 (down).
        for (n, wait) in [(1, 10), (2, 31), (3, 20), (4, 60)] {
            let referred = d(2027, 1, 5);
            let start = referred + chrono::Days::new(wait);
            add(
                &mut data,
                n,
                ReferralKind::Measure,
                referred,
                Some((start, 1 + n % 2)),
            );
        }
        let s = yearly(&data, 2027, d(2027, 12, 31));
        let t = s.total().unwrap();
        assert_eq!(t.starts, 4);
        assert_eq!(t.median_wait(), Some(25));
        assert_eq!(t.max_wait(), Some(60));
        // Per worker: worker 2 had 10 and 20 (odd n), worker 1 31 and 60.
        let w2 = s.row(RowKey::Worker(SectorId(6), WorkerId(2))).unwrap();
        assert_eq!(w2.median_wait(), Some(15));
        let w1 = s.row(RowKey::Worker(SectorId(6), WorkerId(1))).unwrap();
        assert_eq!(w1.median_wait(), Some(45));
        assert_eq!(w1.max_wait(), Some(60));
        assert_eq!(t.starts_by_month[0] + t.starts_by_month[1], 3);
        assert_eq!(t.starts_by_month[2], 1);
    }

    #[test]
    fn stop_reasons_group_without_their_dates() {
        let mut data = base();
        let reasons = [
            "Arrêt décidé par le GTS du 18/03/2027",
            "Arrêt décidé par le GTS du 15/04/2027",
            "Objectifs atteints (décision du GTS)",
        ];
        for (i, reason) in reasons.iter().enumerate() {
            let n = i as u32 + 1;
            let r = add(
                &mut data,
                n,
                ReferralKind::Measure,
                d(2026, 12, 1),
                Some((d(2027, 1, 4), 1)),
            );
            data.measures
                .get_mut(&r)
                .unwrap()
                .stop(d(2027, 3, 1 + n), reason)
                .unwrap();
        }
        let s = yearly(&data, 2027, d(2027, 12, 31));
        let t = s.total().unwrap();
        assert_eq!(t.stops, 3);
        assert_eq!(t.stop_reasons.get("Arrêt décidé par le GTS"), Some(&2));
        assert_eq!(
            t.stop_reasons.get("Objectifs atteints (décision du GTS)"),
            Some(&1)
        );
        assert_eq!(
            reason_group("Diagnostic rendu à la commission le 02/03/2027"),
            "Diagnostic rendu à la commission"
        );
    }

    #[test]
    fn renewals_reviews_and_diagnostics_are_dated_in_the_year() {
        let mut data = base();
        let r = add(
            &mut data,
            1,
            ReferralKind::Measure,
            d(2026, 6, 1),
            Some((d(2026, 7, 1), 1)),
        );
        {
            let m = data.measures.get_mut(&r).unwrap();
            // Cycle 1 renewed in December 2026, cycle 2 in June 2027; the
            // current review written in November 2027.
            m.past_reviews = vec![
                PastReview {
                    cycle: 1,
                    renewed_on: d(2026, 12, 17),
                    review: Review {
                        text: "un".into(),
                        updated: Some(d(2026, 12, 1)),
                    },
                },
                PastReview {
                    cycle: 2,
                    renewed_on: d(2027, 6, 17),
                    review: Review {
                        text: "deux".into(),
                        updated: Some(d(2027, 6, 1)),
                    },
                },
            ];
            m.renewals = vec![
                Renewal {
                    decided_on: d(2026, 12, 17),
                    months: 6,
                    new_end: d(2027, 7, 1),
                },
                Renewal {
                    decided_on: d(2027, 6, 17),
                    months: 6,
                    new_end: d(2028, 1, 1),
                },
            ];
            m.review = Review {
                text: "trois".into(),
                updated: Some(d(2027, 11, 20)),
            };
        }
        // A diagnostic received 01/02/2027, returned 15/04/2027 (late: due
        // 01/04), and one received 01/09, returned 20/10 (on time).
        for (n, received, returned) in [
            (2, d(2027, 2, 1), d(2027, 4, 15)),
            (3, d(2027, 9, 1), d(2027, 10, 20)),
        ] {
            let r = add(
                &mut data,
                n,
                ReferralKind::Diagnostic,
                received,
                Some((received, 2)),
            );
            data.measures
                .get_mut(&r)
                .unwrap()
                .stop(returned, "Diagnostic rendu")
                .unwrap();
        }
        let s = yearly(&data, 2027, d(2027, 12, 31));
        let t = s.total().unwrap();
        assert_eq!(t.renewals, 1);
        assert_eq!(t.reviews, 2);
        assert_eq!(t.followed, 1);
        assert_eq!(t.diagnostics_followed, 2);
        assert_eq!(t.diagnostics_returned, 2);
        assert_eq!(t.diagnostics_on_time, 1);
        assert_eq!(t.diagnostic_deadline, Ratio { met: 1, due: 2 });
        // Diagnostics are not measures: no start, no stop.
        assert_eq!((t.starts, t.stops), (0, 0));
        assert_eq!(t.referrals, 2);
        let y26 = yearly(&data, 2026, d(2027, 12, 31));
        assert_eq!(y26.total().unwrap().renewals, 1);
        assert_eq!(y26.total().unwrap().reviews, 1);
    }

    #[test]
    fn compliance_counts_met_over_due_from_the_log_in_memory_or_on_disk() {
        let mut data = base();
        // Started 04/01; first contact due 04/02 (received 04/01).
        let r = add(
            &mut data,
            1,
            ReferralKind::Measure,
            d(2027, 1, 4),
            Some((d(2027, 1, 4), 1)),
        );
        let late = add(
            &mut data,
            2,
            ReferralKind::Measure,
            d(2027, 1, 4),
            Some((d(2027, 1, 4), 1)),
        );
        {
            let m = data.measures.get_mut(&r).unwrap();
            m.events = vec![
                visit(d(2027, 1, 6), EventKind::HomeVisit),
                visit(d(2027, 1, 8), EventKind::Phone),
                visit(d(2027, 1, 12), EventKind::MeetingHome),
            ];
            let m = data.measures.get_mut(&late).unwrap();
            m.events = vec![visit(d(2027, 3, 1), EventKind::Phone)];
        }
        let today = d(2027, 1, 20);
        let s = yearly(&data, 2027, d(2027, 3, 10));
        let t = s.total().unwrap();
        assert_eq!(t.first_contact, Ratio { met: 1, due: 2 });
        // R-MES-2 needs the requester (the commission) contacted: not met.
        assert_eq!(t.attempts, Ratio { met: 0, due: 2 });
        // Seen on 10/03: the meeting of 12/01 is too old for both.
        assert_eq!(t.meetings, Ratio { met: 0, due: 2 });
        let early = yearly(&data, 2027, today);
        assert_eq!(early.total().unwrap().meetings, Ratio { met: 1, due: 2 });
        // The same figures with the logs left on disk.
        let mut disk = data.clone();
        let keys: Vec<Reference> = disk.measures.keys().copied().collect();
        for k in keys {
            let m = disk.measures.get_mut(&k).unwrap();
            m.log_on_disk = Some(m.facts());
            m.events.clear();
        }
        assert_eq!(yearly(&disk, 2027, d(2027, 3, 10)), s);
    }

    #[test]
    fn a_first_contact_due_while_waiting_counts_for_the_sector_in_its_year() {
        let mut data = base();
        // Received 15/11/2026, first contact 01/12/2026, started 01/02/2027.
        let r = add(
            &mut data,
            1,
            ReferralKind::Measure,
            d(2026, 11, 15),
            Some((d(2027, 2, 1), 1)),
        );
        data.measures.get_mut(&r).unwrap().events = vec![visit(d(2026, 12, 1), EventKind::Phone)];
        let y26 = yearly(&data, 2026, d(2027, 6, 1));
        assert_eq!(y26.total().unwrap().first_contact, Ratio { met: 1, due: 1 });
        assert_eq!(
            y26.row(RowKey::Sector(SectorId(6))).unwrap().first_contact,
            Ratio { met: 1, due: 1 }
        );
        assert!(y26.row(RowKey::Worker(SectorId(6), WorkerId(1))).is_none());
        assert_eq!(y26.total().unwrap().followed, 0);
        let y27 = yearly(&data, 2027, d(2027, 6, 1));
        assert_eq!(y27.total().unwrap().first_contact, Ratio::default());
        assert_eq!(y27.total().unwrap().starts, 1);
    }

    #[test]
    fn a_measure_held_by_several_counts_for_each_once_per_sector_events_for_their_holder() {
        let mut data = base();
        let r = add(
            &mut data,
            1,
            ReferralKind::Measure,
            d(2026, 5, 1),
            Some((d(2026, 6, 1), 1)),
        );
        {
            let m = data.measures.get_mut(&r).unwrap();
            m.renewals = vec![Renewal {
                decided_on: d(2027, 4, 15),
                months: 3,
                new_end: d(2027, 9, 1),
            }];
            // Worker 1 in Cognac from its start (01/06/2026), worker 2 in
            // Cognac from 01/03/2027, worker 3 in the Ruffécois from
            // 01/09/2027.
            m.previous_holders = vec![
                PastHolder {
                    worker: Some(WorkerId(1)),
                    sector: SectorId(6),
                    until: d(2027, 3, 1),
                },
                PastHolder {
                    worker: Some(WorkerId(2)),
                    sector: SectorId(6),
                    until: d(2027, 9, 1),
                },
            ];
            m.worker = Some(WorkerId(3));
            m.sector = SectorId(1);
            m.stop(d(2027, 10, 20), "Arrêt décidé par le GTS du 15/10/2027")
                .unwrap();
        }
        let s = yearly(&data, 2027, d(2027, 12, 31));
        let row = |k| s.row(k).cloned().unwrap_or_default();
        let (w1, w2, w3) = (
            RowKey::Worker(SectorId(6), WorkerId(1)),
            RowKey::Worker(SectorId(6), WorkerId(2)),
            RowKey::Worker(SectorId(1), WorkerId(3)),
        );
        // Followed by each of the three, once in each sector, once in all.
        assert_eq!(
            (row(w1).followed, row(w2).followed, row(w3).followed),
            (1, 1, 1)
        );
        assert_eq!(row(RowKey::Sector(SectorId(6))).followed, 1);
        assert_eq!(row(RowKey::Sector(SectorId(1))).followed, 1);
        assert_eq!(row(RowKey::Total).followed, 1);
        // The renewal for who held it on 15/04, the stop for who held it on
        // 20/10, in that holder's sector.
        assert_eq!((row(w1).renewals, row(w2).renewals), (0, 1));
        assert_eq!((row(w2).stops, row(w3).stops), (0, 1));
        assert_eq!(row(RowKey::Sector(SectorId(1))).stops, 1);
        assert_eq!(row(RowKey::Sector(SectorId(6))).stops, 0);
        // In 2026, only the first holder; the start is theirs.
        let y26 = yearly(&data, 2026, d(2027, 12, 31));
        assert_eq!(y26.row(w1).unwrap().starts, 1);
        assert!(y26.row(w2).is_none() && y26.row(w3).is_none());
        // Stopped before the third period would have begun: not theirs.
        let mut early = data.clone();
        let m = early.measures.get_mut(&r).unwrap();
        m.status = MeasureStatus::Stopped {
            date: d(2027, 8, 31),
            reason: "Objectifs atteints".into(),
        };
        let s = yearly(&early, 2027, d(2027, 12, 31));
        assert!(s.row(w3).is_none());
        assert_eq!(s.row(w2).unwrap().stops, 1);
    }

    #[test]
    fn a_worker_sees_only_their_rows_the_gip_everything() {
        let mut data = base();
        add(
            &mut data,
            1,
            ReferralKind::Measure,
            d(2027, 1, 4),
            Some((d(2027, 2, 1), 1)),
        );
        add(
            &mut data,
            2,
            ReferralKind::Measure,
            d(2027, 1, 4),
            Some((d(2027, 2, 1), 2)),
        );
        let s = yearly(&data, 2027, d(2027, 12, 31));
        let mine = s.clone().visible_to(&Role::Worker {
            worker: WorkerId(1),
        });
        assert_eq!(mine.rows.len(), 1);
        assert_eq!(mine.rows[0].key, RowKey::Worker(SectorId(6), WorkerId(1)));
        assert_eq!(mine.gts, None);
        let all = s.clone().visible_to(&Role::EmployerRep);
        assert_eq!(all, s);
        assert_eq!(s.row(RowKey::Sector(SectorId(6))).unwrap().starts, 2);
    }

    #[test]
    fn holders_over_a_year_follow_the_periods() {
        let h = |from, w, s| Holding {
            from,
            worker: Some(WorkerId(w)),
            sector: SectorId(s),
        };
        let p = vec![
            h(d(2026, 5, 1), 1, 6),
            h(d(2027, 3, 1), 2, 6),
            h(d(2027, 9, 1), 3, 1),
        ];
        let all = holders_between(&p, d(2027, 1, 1), d(2027, 12, 31), None);
        assert_eq!(all.len(), 3);
        // Stopped on 31/08/2027: the third holder never held it.
        let stopped = holders_between(&p, d(2027, 1, 1), d(2027, 12, 31), Some(d(2027, 8, 31)));
        assert_eq!(stopped.len(), 2);
        assert_eq!(
            holder_at(&p, d(2027, 2, 28)),
            Some((Some(WorkerId(1)), SectorId(6)))
        );
        assert_eq!(
            holder_at(&p, d(2027, 3, 1)),
            Some((Some(WorkerId(2)), SectorId(6)))
        );
        // In 2026 only the first.
        assert_eq!(
            holders_between(&p, d(2026, 1, 1), d(2026, 12, 31), None),
            vec![(Some(WorkerId(1)), SectorId(6))]
        );
    }
}
