//! Everything the rules look at, in memory: what the store loads and the
//! application reads. Pure data; the store keeps it in step with the disk.

use super::error::DomainError;
use super::gts::{GtsSession, SessionInfo, sessions_from};
use super::household::Household;
use super::ids::{HouseholdId, Reference, SectorId, WorkerId};
use super::measure::{Measure, MeasureStatus};
use super::record::Record;
use super::referral::{Referral, ReferralKind};
use super::sector::{Norms, Sector};
use super::worker::Worker;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// The map of the large tables (households, referrals, measures): ordered
/// like a `BTreeMap`, but a clone shares everything and a change copies
/// only the path to what changed. Sessions keep the version they show
/// while a commit makes the next one, at the cost of one path, not of the
/// whole base.
pub type Map<K, V> = imbl::OrdMap<K, V>;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    pub norms: Norms,
    pub sectors: BTreeMap<SectorId, Sector>,
    pub workers: BTreeMap<WorkerId, Worker>,
    pub households: Map<HouseholdId, Household>,
    pub referrals: Map<Reference, Referral>,
    pub measures: Map<Reference, Measure>,
    /// Sessions that have a record, keyed by (year, month).
    pub sessions: BTreeMap<(u16, u8), GtsSession>,
    /// Who may attach to the base when it is shared, by login.
    pub accounts: BTreeMap<String, super::command::Account>,
    /// The communes whose sector the GIP confirmed, by INSEE code (the
    /// others follow the suggestion, `crate::communes::effective_sector`).
    pub commune_sectors: super::refdata::CommuneSectors,
    /// The standing members of the GTS (R-GTS-1).
    pub gts_members: Vec<super::refdata::GtsMember>,
}

/// R-CAP-1/2: a sector's figures for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectorLoad {
    pub sector: SectorId,
    pub capacity: u32,
    /// Measures in progress carried by the sector (diagnostics excluded).
    pub load: u32,
    /// Diagnostics in progress, shown beside the load (R-CAP-2, Decision).
    pub diagnostics: u32,
    pub waiting: u32,
    /// Days the oldest waiting referral has waited.
    pub oldest_wait_days: Option<i64>,
}

impl SectorLoad {
    /// Over capacity is a state, not an error.
    pub fn over_capacity(&self) -> bool {
        self.load > self.capacity
    }
    pub fn free_places(&self) -> i64 {
        i64::from(self.capacity) - i64::from(self.load)
    }
}

impl Dataset {
    pub fn sector_name(&self, id: SectorId) -> &str {
        self.sectors.get(&id).map_or("?", |s| s.name.as_str())
    }

    pub fn worker_name(&self, id: Option<WorkerId>) -> &str {
        id.and_then(|w| self.workers.get(&w))
            .map_or("—", |w| w.name.as_str())
    }

    /// Sessions known for the next `months` months from the month of `from`.
    pub fn sessions_from(&self, from: NaiveDate, months: u32) -> Vec<SessionInfo> {
        sessions_from(from, months, |y, m| self.sessions.get(&(y, m)))
    }

    /// Sessions around `today`: a year back to two years ahead, enough for
    /// every planned end (6 months + 2 renewals of 6).
    pub fn sessions_around(&self, today: NaiveDate) -> Vec<SessionInfo> {
        let start = NaiveDate::from_ymd_opt(today.year() - 1, today.month(), 1).unwrap_or(today);
        self.sessions_from(start, 36)
    }

    /// R-CAP-1/2 for every sector, in one pass over the measures.
    pub fn sector_loads(&self, today: NaiveDate) -> Vec<SectorLoad> {
        let mut map: BTreeMap<SectorId, SectorLoad> = self
            .sectors
            .values()
            .map(|s| {
                (
                    s.id,
                    SectorLoad {
                        sector: s.id,
                        capacity: s.capacity(&self.norms),
                        load: 0,
                        diagnostics: 0,
                        waiting: 0,
                        oldest_wait_days: None,
                    },
                )
            })
            .collect();
        for m in self.measures.values() {
            match m.status {
                MeasureStatus::InProgress => {
                    if let Some(l) = map.get_mut(&m.sector) {
                        match m.kind {
                            ReferralKind::Measure => l.load += 1,
                            ReferralKind::Diagnostic => l.diagnostics += 1,
                        }
                    }
                }
                MeasureStatus::Waiting => {
                    let Some(r) = self.referrals.get(&m.reference) else {
                        continue;
                    };
                    if let Some(l) = map.get_mut(&r.sector) {
                        l.waiting += 1;
                        let days = (today - r.referral_date).num_days();
                        l.oldest_wait_days = Some(l.oldest_wait_days.map_or(days, |o| o.max(days)));
                    }
                }
                _ => {}
            }
        }
        map.into_values().collect()
    }

    /// R-CAP-2: one sector's load.
    pub fn load_of(&self, sector: SectorId) -> u32 {
        self.measures
            .values()
            .filter(|m| m.sector == sector && m.is_in_progress() && m.kind == ReferralKind::Measure)
            .count() as u32
    }

    /// R-REF-5: a sector's waiting list, in order.
    pub fn waiting_list(&self, sector: SectorId) -> Vec<&Referral> {
        let mut v: Vec<&Referral> = self
            .referrals
            .values()
            .filter(|r| r.sector == sector)
            .filter(|r| {
                self.measures
                    .get(&r.reference)
                    .is_some_and(|m| m.is_waiting())
            })
            .collect();
        v.sort_by(|a, b| super::waiting::waiting_order(a, b));
        v
    }

    /// R-REF-5: how many waiting referrals come before `referral` in its
    /// sector's waiting order (0: it is first, or not waiting).
    pub fn waiting_before(&self, referral: &Referral) -> u32 {
        self.referrals
            .values()
            .filter(|r| r.sector == referral.sector && r.reference != referral.reference)
            .filter(|r| super::waiting::waiting_order(r, referral).is_lt())
            .filter(|r| {
                self.measures
                    .get(&r.reference)
                    .is_some_and(|m| m.is_waiting())
            })
            .count() as u32
    }

    /// The next free number of a referral year.
    pub fn next_reference(&self, year: u16) -> Reference {
        let last = self
            .referrals
            .range(Reference::new(year, 0)..Reference::new(year.saturating_add(1), 0))
            .next_back()
            .map_or(0, |(r, _)| r.number);
        Reference::new(year, last + 1)
    }

    pub fn next_household_id(&self) -> HouseholdId {
        HouseholdId(self.households.keys().next_back().map_or(1, |h| h.0 + 1))
    }

    /// The sector whose load a measure started with `worker` counts in: the
    /// referral's sector when the worker serves it (or serves none), else
    /// the worker's first sector (R-CAP-2, R-CAP-3).
    pub fn carrying_sector(&self, referral: &Referral, worker: WorkerId) -> SectorId {
        let sectors = self
            .workers
            .get(&worker)
            .map(|w| w.sectors.as_slice())
            .unwrap_or_default();
        match sectors.first() {
            Some(first) if !sectors.contains(&referral.sector) => *first,
            _ => referral.sector,
        }
    }

    /// R-MES-7: the household moves to sector `to`. Returns the records to
    /// commit: the household with its new sector, and its waiting referrals
    /// (with their measures) moved to the new sector's list, keeping their
    /// referral date and so their place in the order (R-REF-3, R-REF-5). A
    /// measure in progress keeps its sector and worker: it stays in that
    /// worker's load (use [`Measure::hand_over`] if the GIP decides otherwise).
    pub fn move_household(
        &self,
        id: HouseholdId,
        to: SectorId,
    ) -> Result<Vec<Record>, DomainError> {
        let mut household = self
            .households
            .get(&id)
            .cloned()
            .ok_or(DomainError::UnknownHousehold)?;
        if !self.sectors.contains_key(&to) {
            return Err(DomainError::UnknownSector);
        }
        household.sector = to;
        let mut out = vec![Record::Household(household)];
        for m in self
            .measures
            .values()
            .filter(|m| m.household == id && m.is_waiting() && m.sector != to)
        {
            if let Some(r) = self.referrals.get(&m.reference) {
                let mut r = r.clone();
                r.sector = to;
                out.push(Record::Referral(r));
            }
            let mut m = m.clone();
            m.sector = to;
            out.push(Record::Measure(m));
        }
        Ok(out)
    }

    /// R-CAP-3: the GIP moves a waiting referral to another sector's list.
    /// It keeps its referral date, so its place in the order (R-REF-5).
    /// Returns the referral and measure records to commit.
    pub fn transfer_referral(
        &self,
        reference: Reference,
        to: SectorId,
    ) -> Result<Vec<Record>, DomainError> {
        let (Some(r), Some(m)) = (
            self.referrals.get(&reference),
            self.measures.get(&reference),
        ) else {
            return Err(DomainError::WrongStatus {
                status: "introuvable".into(),
            });
        };
        if !m.is_waiting() {
            return Err(DomainError::WrongStatus {
                status: m.status.label().to_string(),
            });
        }
        if !self.sectors.contains_key(&to) {
            return Err(DomainError::UnknownSector);
        }
        if r.sector == to {
            return Err(DomainError::SameSector);
        }
        let mut r = r.clone();
        let mut m = m.clone();
        r.sector = to;
        m.sector = to;
        Ok(vec![Record::Referral(r), Record::Measure(m)])
    }
}

/// R-CAP-3: the sectors a waiting referral of `from` could go to, as
/// `(sector, free, pooled)`: `free` = places left once the sector's own
/// waiting list is served (capacity − load − waiting, may be negative);
/// `pooled` = both sectors are in the Angoulême pool (ComAGA), where the
/// convention pools the work. Ordered: most free places first, then pooled
/// first, then by sector id. `from` itself is left out. The software
/// proposes, the GIP decides.
pub fn transfer_candidates(
    data: &Dataset,
    from: SectorId,
    today: NaiveDate,
) -> Vec<(SectorId, i64, bool)> {
    let from_pooled = data.sectors.get(&from).is_some_and(|s| s.angouleme_pool);
    let mut v: Vec<(SectorId, i64, bool)> = data
        .sector_loads(today)
        .into_iter()
        .filter(|l| l.sector != from)
        .map(|l| {
            let pooled = from_pooled
                && data
                    .sectors
                    .get(&l.sector)
                    .is_some_and(|s| s.angouleme_pool);
            (l.sector, l.free_places() - i64::from(l.waiting), pooled)
        })
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    v
}
