//! Small hand-built datasets for the GTS tests.
#![allow(dead_code)]

use assll::domain::gts::{GtsSession, SessionInfo, session_info};
use assll::domain::measure::{Contract, Measure, MeasureStatus, Renewal, Review};
use assll::domain::referral::{DecidingBody, Objective, Referral, ReferralKind, Requester};
use assll::domain::sector::{Employer, default_sectors};
use assll::domain::{Dataset, Household, HouseholdId, Reference, SectorId, Worker, WorkerId};
use chrono::NaiveDate;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub const COGNAC: SectorId = SectorId(6);
pub const RUFFEC: SectorId = SectorId(1);
pub const LAURENT: WorkerId = WorkerId(1);
pub const BLANC: WorkerId = WorkerId(2);
pub const PETIT: WorkerId = WorkerId(3);

/// Nine default sectors; Mme Laurent and M. Blanc in Cognac, Mme Petit in
/// the Ruffécois.
pub fn base() -> Dataset {
    let mut data = Dataset::default();
    for s in default_sectors() {
        data.sectors.insert(s.id, s);
    }
    for (id, name, sector, employer) in [
        (LAURENT, "Mme Laurent", COGNAC, Employer::Caf),
        (BLANC, "M. Blanc", COGNAC, Employer::Caf),
        (PETIT, "Mme Petit", RUFFEC, Employer::Gip),
    ] {
        data.workers.insert(
            id,
            Worker {
                id,
                name: name.into(),
                employer,
                sectors: vec![sector],
                fte_hundredths: 50,
                login: String::new(),
                arrived: None,
                left: None,
            },
        );
    }
    data
}

pub fn household(
    data: &mut Dataset,
    n: u32,
    last: &str,
    first: &str,
    sector: SectorId,
) -> HouseholdId {
    let id = HouseholdId(n);
    data.households.insert(
        id,
        Household {
            id,
            last_name: last.into(),
            first_name: first.into(),
            commune_insee: String::new(),
            commune: "Cognac".into(),
            sector,
            referring_worker: "Mme Roux (MDS)".into(),
            landlord: None,
            judicial_protection: false,
        },
    );
    id
}

pub fn referral(
    data: &mut Dataset,
    reference: Reference,
    hh: HouseholdId,
    sector: SectorId,
    date: NaiveDate,
) {
    data.referrals.insert(
        reference,
        Referral {
            reference,
            household: hh,
            kind: ReferralKind::Measure,
            requester: Requester::Commission,
            deciding_body: DecidingBody::Commission,
            urgent: false,
            referral_date: date,
            received: date,
            objectives: vec![Objective::EvictionPrevention],
            initial_months: 6,
            sector,
            sublet: false,
            after_diagnostic: None,
            note: String::new(),
        },
    );
}

/// A measure in progress with a signed contract, its household and referral.
pub fn measure(
    data: &mut Dataset,
    n: u32,
    last: &str,
    sector: SectorId,
    worker: WorkerId,
    start: NaiveDate,
    planned_end: NaiveDate,
) -> Reference {
    let reference = Reference::new(2026, n);
    let hh = household(data, n, last, "Émilie", sector);
    referral(data, reference, hh, sector, start);
    let r = data.referrals[&reference].clone();
    let mut m = Measure::new_waiting(&r);
    m.status = MeasureStatus::InProgress;
    m.worker = Some(worker);
    m.start = Some(start);
    m.planned_end = Some(planned_end);
    m.contract = Contract::Signed(start);
    // R-BIL-1: its review written for the GTS, three weeks before its end.
    m.review = Review {
        text: "Bilan : loyer repris, dette en baisse.".into(),
        updated: Some((planned_end - chrono::Days::new(21)).max(start)),
    };
    data.measures.insert(reference, m);
    reference
}

/// A referral waiting on its sector's list.
pub fn waiting(
    data: &mut Dataset,
    n: u32,
    last: &str,
    sector: SectorId,
    date: NaiveDate,
) -> Reference {
    let reference = Reference::new(2026, n);
    let hh = household(data, n, last, "Jean", sector);
    referral(data, reference, hh, sector, date);
    let r = data.referrals[&reference].clone();
    data.measures.insert(reference, Measure::new_waiting(&r));
    reference
}

pub fn renewed_twice(data: &mut Dataset, reference: Reference) {
    let m = data.measures.get_mut(&reference).unwrap();
    for _ in 0..2 {
        m.renewals.push(Renewal {
            decided_on: d(2026, 6, 18),
            months: 3,
            new_end: d(2026, 9, 18),
        });
    }
}

/// The January 2027 session (Thursday 21/01/2027) and its calendar line.
pub fn january(data: &Dataset) -> (SessionInfo, GtsSession) {
    let s = data
        .sessions
        .get(&(2027, 1))
        .cloned()
        .unwrap_or_else(|| GtsSession::new(2027, 1));
    (session_info(2027, 1, Some(&s)), s)
}

pub fn info(data: &Dataset, year: u16, month: u8) -> SessionInfo {
    session_info(year, month, data.sessions.get(&(year, month)))
}
