//! Views derived from the data, computed once per commit, not per frame:
//! with 100,000 households, loads, waiting lists and alerts are too dear to
//! recompute at every keystroke. A commit that touches a few households
//! updates them from the previous views ([`Derived::after`]) rather than
//! recomputing them all: fifty sessions share a base, and every commit
//! makes all of them wait for the next views.

use crate::domain::agenda;
use crate::domain::alerts::{Alert, compute_alerts, measures_alerts_of};
use crate::domain::gts::{SessionInfo, next_session};
use crate::domain::waiting::waiting_order;
use crate::domain::{Dataset, Record, Reference, ReferralKind, SectorId, SectorLoad, WorkerId};
use chrono::NaiveDate;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Derived {
    /// The date the views were computed for.
    pub today: NaiveDate,
    pub loads: Vec<SectorLoad>,
    /// R-REF-5 order, per sector.
    pub waiting: BTreeMap<SectorId, Vec<Reference>>,
    /// Measures and diagnostics in progress per sector, by worker then
    /// planned end.
    pub in_progress: BTreeMap<SectorId, Vec<Reference>>,
    /// Measures in progress carried by each worker.
    pub worker_loads: BTreeMap<WorkerId, u32>,
    pub alerts: Vec<Alert>,
    /// Sessions from a year back to two years ahead.
    pub sessions: Vec<SessionInfo>,
    pub next_session: Option<SessionInfo>,
    /// The situations due at the next session (R-GTS-2), as its agenda
    /// counts them ([`agenda::due_situations`]).
    pub due_next: BTreeSet<Reference>,
    /// Their number.
    pub due_at_next: usize,
}

impl Derived {
    pub fn compute(data: &Dataset, today: NaiveDate) -> Derived {
        let loads = data.sector_loads(today);
        // R-REF-5 order per sector, in one pass over the referrals.
        let mut waiting: BTreeMap<SectorId, Vec<Reference>> =
            data.sectors.keys().map(|s| (*s, Vec::new())).collect();
        let mut by_sector: BTreeMap<SectorId, Vec<&crate::domain::Referral>> = BTreeMap::new();
        for r in data.referrals.values() {
            if data
                .measures
                .get(&r.reference)
                .is_some_and(|m| m.is_waiting())
            {
                by_sector.entry(r.sector).or_default().push(r);
            }
        }
        for (s, mut list) in by_sector {
            list.sort_by(|a, b| crate::domain::waiting::waiting_order(a, b));
            waiting.insert(s, list.iter().map(|r| r.reference).collect());
        }
        let sessions = data.sessions_around(today);
        let next = next_session(today, &sessions).cloned();
        let mut in_progress: BTreeMap<SectorId, Vec<Reference>> = BTreeMap::new();
        let mut worker_loads: BTreeMap<WorkerId, u32> = BTreeMap::new();
        for m in data.measures.values().filter(|m| m.is_in_progress()) {
            in_progress.entry(m.sector).or_default().push(m.reference);
            if let Some(w) = m.worker {
                *worker_loads.entry(w).or_default() += 1;
            }
        }
        // R-GTS-2: the next session's agenda as it stands, counted as the
        // agenda screen counts it.
        let due_next: BTreeSet<Reference> = next
            .as_ref()
            .map(|n| {
                agenda::due_situations(&agenda::working_session(data, n.year, n.month, today))
                    .into_iter()
                    .collect()
            })
            .unwrap_or_default();
        let due_at_next = due_next.len();
        for list in in_progress.values_mut() {
            list.sort_by(|a, b| in_progress_order(data, a, b));
        }
        // The alerts screen lists them by due date: sort once here.
        let mut alerts = compute_alerts(data, today);
        alerts.sort_by(alert_order);
        Derived {
            today,
            loads,
            waiting,
            in_progress,
            worker_loads,
            alerts,
            sessions,
            next_session: next,
            due_next,
            due_at_next,
        }
    }

    pub fn load(&self, sector: SectorId) -> Option<&SectorLoad> {
        self.loads.iter().find(|l| l.sector == sector)
    }

    /// The views once `records` are committed, from these views (those of
    /// the data before) and `data` (after): what the records touch is
    /// recomputed, the rest kept; the result is what [`Derived::compute`]
    /// gives on `data`. `before` are the previous versions of the records
    /// that had one ([`Dataset::current`] before the commit).
    ///
    /// Households, referrals and measures are updated in place; a change of
    /// sectors, workers, norms or sessions (rare, and felt everywhere), or
    /// another day, recomputes everything.
    pub fn after(
        &self,
        data: &Dataset,
        today: NaiveDate,
        before: &[Record],
        records: &[Record],
    ) -> Derived {
        let local = records.iter().all(|r| {
            matches!(
                r,
                Record::Household(_)
                    | Record::Referral(_)
                    | Record::Measure(_)
                    | Record::Account(_)
            )
        });
        if !local || today != self.today {
            return Derived::compute(data, today);
        }
        // The measures whose views may change.
        let mut touched: BTreeSet<Reference> = BTreeSet::new();
        let mut households = BTreeSet::new();
        let mut diagnostics = BTreeSet::new();
        for r in records.iter().chain(before) {
            match r {
                Record::Referral(x) => {
                    touched.insert(x.reference);
                }
                Record::Measure(m) => {
                    touched.insert(m.reference);
                    if m.kind == ReferralKind::Diagnostic {
                        diagnostics.insert(m.reference);
                    }
                }
                Record::Household(h) => {
                    households.insert(h.id);
                }
                _ => {}
            }
        }
        // A household's flags count in each of its measures' alerts, a
        // diagnostic's contacts in the measure asked for after it (R-DIAG-3).
        if !households.is_empty() {
            touched.extend(
                data.measures
                    .values()
                    .filter(|m| households.contains(&m.household))
                    .map(|m| m.reference),
            );
        }
        if !diagnostics.is_empty() {
            touched.extend(
                data.referrals
                    .values()
                    .filter(|r| r.after_diagnostic.is_some_and(|d| diagnostics.contains(&d)))
                    .map(|r| r.reference),
            );
        }
        if touched.is_empty() {
            return self.clone();
        }
        let old_measure = |r: &Reference| {
            before.iter().find_map(|x| match x {
                Record::Measure(m) if m.reference == *r => Some(m),
                _ => None,
            })
        };
        let mut out = self.clone();

        // Waiting lists (R-REF-5) and what the loads say of them.
        let mut sectors: BTreeSet<SectorId> = BTreeSet::new();
        for r in records.iter().chain(before) {
            match r {
                Record::Referral(x) => {
                    sectors.insert(x.sector);
                }
                Record::Measure(m) => {
                    sectors.insert(m.sector);
                }
                _ => {}
            }
        }
        // A referral touched through its household or diagnostic is in its
        // current sector's list.
        sectors.extend(
            touched
                .iter()
                .filter_map(|r| data.referrals.get(r))
                .map(|r| r.sector),
        );
        for s in &sectors {
            if let Some(list) = out.waiting.get_mut(s) {
                list.retain(|r| !touched.contains(r));
            }
        }
        for r in &touched {
            let (Some(referral), Some(m)) = (data.referrals.get(r), data.measures.get(r)) else {
                continue;
            };
            if !m.is_waiting() {
                continue;
            }
            sectors.insert(referral.sector);
            let list = out.waiting.entry(referral.sector).or_default();
            let at = list.partition_point(|x| {
                data.referrals
                    .get(x)
                    .is_some_and(|other| waiting_order(other, referral) == Ordering::Less)
            });
            list.insert(at, *r);
        }
        out.waiting
            .retain(|s, list| !list.is_empty() || data.sectors.contains_key(s));

        // The situations due at the next session: those touched, anew.
        if let Some(next) = &self.next_session {
            for r in &touched {
                out.due_next.remove(r);
                if agenda::is_due_at(data, next, *r, today) {
                    out.due_next.insert(*r);
                }
            }
            out.due_at_next = out.due_next.len();
        }

        // Measures in progress, per sector and per worker.
        for r in &touched {
            let old = old_measure(r).or_else(|| {
                // Touched through its household or diagnostic: unchanged.
                (!records
                    .iter()
                    .any(|x| matches!(x, Record::Measure(m) if m.reference == *r)))
                .then(|| data.measures.get(r))
                .flatten()
            });
            if let Some(m) = old.filter(|m| m.is_in_progress()) {
                if let Some(list) = out.in_progress.get_mut(&m.sector) {
                    list.retain(|x| x != r);
                }
                if let Some(w) = m.worker
                    && let Some(n) = out.worker_loads.get_mut(&w)
                {
                    *n = n.saturating_sub(1);
                }
                if let Some(l) = out.loads.iter_mut().find(|l| l.sector == m.sector) {
                    match m.kind {
                        ReferralKind::Measure => l.load = l.load.saturating_sub(1),
                        ReferralKind::Diagnostic => {
                            l.diagnostics = l.diagnostics.saturating_sub(1);
                        }
                    }
                }
            }
            if let Some(m) = data.measures.get(r).filter(|m| m.is_in_progress()) {
                let list = out.in_progress.entry(m.sector).or_default();
                let at = list.partition_point(|x| in_progress_order(data, x, r) == Ordering::Less);
                list.insert(at, *r);
                if let Some(w) = m.worker {
                    *out.worker_loads.entry(w).or_default() += 1;
                }
                if let Some(l) = out.loads.iter_mut().find(|l| l.sector == m.sector) {
                    match m.kind {
                        ReferralKind::Measure => l.load += 1,
                        ReferralKind::Diagnostic => l.diagnostics += 1,
                    }
                }
            }
        }
        out.in_progress.retain(|_, list| !list.is_empty());
        out.worker_loads.retain(|_, n| *n > 0);
        for l in &mut out.loads {
            if !sectors.contains(&l.sector) {
                continue;
            }
            let list = out.waiting.get(&l.sector).map_or(&[][..], Vec::as_slice);
            l.waiting = list.len() as u32;
            l.oldest_wait_days = list
                .iter()
                .filter_map(|r| data.referrals.get(r))
                .map(|r| (today - r.referral_date).num_days())
                .max();
        }

        // Alerts: those of the touched measures, anew.
        let refs: Vec<Reference> = touched.iter().copied().collect();
        let mut fresh = measures_alerts_of(data, today, &self.sessions, &refs);
        out.alerts
            .retain(|a| a.reference.is_none_or(|r| !touched.contains(&r)));
        fresh.sort_by(alert_order);
        out.alerts = merge_sorted(std::mem::take(&mut out.alerts), fresh, alert_order);
        out
    }
}

/// The measures screen's order within a sector: by worker, then planned
/// end, then reference (a total order).
fn in_progress_order(data: &Dataset, a: &Reference, b: &Reference) -> Ordering {
    let (Some(ma), Some(mb)) = (data.measures.get(a), data.measures.get(b)) else {
        return a.cmp(b);
    };
    data.worker_name(ma.worker)
        .cmp(data.worker_name(mb.worker))
        .then(ma.planned_end.cmp(&mb.planned_end))
        .then(a.cmp(b))
}

/// The alerts screen's order: by due date, the most pressing first, then
/// by reference, rule and text, so that it is the same however the list
/// was made.
fn alert_order(a: &Alert, b: &Alert) -> Ordering {
    (a.due, a.severity, a.reference, a.rule, &a.message).cmp(&(
        b.due,
        b.severity,
        b.reference,
        b.rule,
        &b.message,
    ))
}

fn merge_sorted<T>(a: Vec<T>, b: Vec<T>, order: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut b = b.into_iter().peekable();
    for x in a {
        while let Some(y) = b.next_if(|y| order(y, &x) == Ordering::Less) {
            out.push(y);
        }
        out.push(x);
    }
    out.extend(b);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{GtsSession, MeasureStatus};

    fn next(state: &mut u64) -> u64 {
        // xorshift: a fixed sequence, the same at every run.
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    fn pick<'a, T>(rng: &mut u64, v: &'a [T]) -> &'a T {
        &v[next(rng) as usize % v.len()]
    }

    /// One change of the kinds commits make (and some they never make: the
    /// views must follow any data): a measure's status, sector, worker or
    /// end; a referral moved, made urgent or back-dated; a household's
    /// flags; a new household with its referral; now and then a session.
    fn change(data: &Dataset, today: NaiveDate, rng: &mut u64) -> Vec<Record> {
        let refs: Vec<Reference> = data.measures.keys().copied().collect();
        let sectors: Vec<SectorId> = data.sectors.keys().copied().collect();
        let workers: Vec<WorkerId> = data.workers.keys().copied().collect();
        let r = *pick(rng, &refs);
        let mut m = data.measures[&r].clone();
        let mut referral = data.referrals[&r].clone();
        let days = |rng: &mut u64| chrono::Days::new(next(rng) % 200);
        match next(rng) % 10 {
            0 => {
                m.status = MeasureStatus::InProgress;
                m.start = Some(today - days(rng));
                m.planned_end = Some(today + days(rng));
                m.worker = Some(*pick(rng, &workers));
                vec![Record::Measure(m)]
            }
            1 => {
                m.status = MeasureStatus::Stopped {
                    date: today,
                    reason: "fin".into(),
                };
                vec![Record::Measure(m)]
            }
            2 => {
                m.status = MeasureStatus::Waiting;
                m.start = None;
                vec![Record::Measure(m)]
            }
            3 => {
                let to = *pick(rng, &sectors);
                referral.sector = to;
                m.sector = to;
                vec![Record::Referral(referral), Record::Measure(m)]
            }
            4 => {
                m.worker = Some(*pick(rng, &workers));
                m.planned_end = Some(today + days(rng));
                vec![Record::Measure(m)]
            }
            5 => {
                referral.urgent = !referral.urgent;
                referral.referral_date = today - days(rng);
                vec![Record::Referral(referral)]
            }
            6 => {
                let mut h = data.households[&m.household].clone();
                h.judicial_protection = !h.judicial_protection;
                h.referring_worker = if h.referring_worker.is_empty() {
                    "Mme Durand".into()
                } else {
                    String::new()
                };
                vec![Record::Household(h)]
            }
            7 => {
                let mut h = data.households[&m.household].clone();
                h.id = data.next_household_id();
                let reference = data.next_reference(2026);
                referral.reference = reference;
                referral.household = h.id;
                referral.sector = *pick(rng, &sectors);
                m.reference = reference;
                m.household = h.id;
                m.sector = referral.sector;
                m.status = MeasureStatus::Waiting;
                vec![
                    Record::Household(h),
                    Record::Referral(referral),
                    Record::Measure(m),
                ]
            }
            8 => {
                // A measure asked for after this one, as if it were a diagnostic.
                m.kind = ReferralKind::Diagnostic;
                m.checked_facts.clear();
                vec![Record::Measure(m)]
            }
            _ => {
                let mut s = data
                    .sessions
                    .values()
                    .next()
                    .cloned()
                    .unwrap_or_else(|| GtsSession::new(2026, 12));
                s.cancelled = !s.cancelled;
                vec![Record::Session(s)]
            }
        }
    }

    #[test]
    fn views_updated_after_a_commit_are_the_views_computed_anew() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let mut data = crate::demo::generate(today, 400, 5);
        let mut views = Derived::compute(&data, today);
        let mut rng = 0x2545_f491_4f6c_dd1d_u64;
        let mut kinds = [0usize; 2];
        for round in 0..400 {
            let records = change(&data, today, &mut rng);
            let before: Vec<Record> = records.iter().filter_map(|r| data.current(r)).collect();
            for r in &records {
                data.apply(r.clone());
            }
            let updated = views.after(&data, today, &before, &records);
            let anew = Derived::compute(&data, today);
            kinds[usize::from(matches!(records[0], Record::Session(_)))] += 1;
            assert_eq!(updated, anew, "round {round}: {records:?}");
            views = updated;
        }
        // Both paths ran, many times.
        assert!(kinds[0] > 300 && kinds[1] > 20, "{kinds:?}");
    }
}
