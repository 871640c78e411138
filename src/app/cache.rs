//! Views derived from the data, computed once per commit, not per frame:
//! with 100,000 households, loads, waiting lists and alerts are too dear to
//! recompute at every keystroke.

use crate::domain::alerts::{Alert, compute_alerts};
use crate::domain::gts::{SessionInfo, next_session, presentation_session};
use crate::domain::{Dataset, Reference, SectorId, SectorLoad, WorkerId};
use chrono::NaiveDate;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct Derived {
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
    /// Measures in progress due at the next session (R-GTS-2).
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
        let mut due_at_next = 0;
        for m in data.measures.values().filter(|m| m.is_in_progress()) {
            in_progress.entry(m.sector).or_default().push(m.reference);
            if let Some(w) = m.worker {
                *worker_loads.entry(w).or_default() += 1;
            }
            // Diagnostics go back to the commission, not to the GTS (R-DIAG-2).
            if let (Some(end), Some(n)) = (m.planned_end, next.as_ref())
                && m.kind == crate::domain::ReferralKind::Measure
                && presentation_session(end, today, &sessions).is_some_and(|s| s.date == n.date)
            {
                due_at_next += 1;
            }
        }
        for list in in_progress.values_mut() {
            list.sort_by(|a, b| {
                let ma = &data.measures[a];
                let mb = &data.measures[b];
                data.worker_name(ma.worker)
                    .cmp(data.worker_name(mb.worker))
                    .then(ma.planned_end.cmp(&mb.planned_end))
                    .then(a.cmp(b))
            });
        }
        // The alerts screen lists them by due date: sort once here.
        let mut alerts = compute_alerts(data, today);
        alerts.sort_by(|a, b| a.due.cmp(&b.due).then(a.severity.cmp(&b.severity)));
        Derived {
            loads,
            waiting,
            in_progress,
            worker_loads,
            alerts,
            sessions,
            next_session: next,
            due_at_next,
        }
    }

    pub fn load(&self, sector: SectorId) -> Option<&SectorLoad> {
        self.loads.iter().find(|l| l.sector == sector)
    }
}
