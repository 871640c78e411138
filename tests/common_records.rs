// Shared sample records for the store tests (included with `mod`).
#![allow(dead_code)]

use assll::domain::gts::{AgendaItem, AgendaReason, Attendee, DecisionRecord, Reply};
use assll::domain::measure::{CheckedFact, Difficulty, DifficultyKind, Masp, Renewal, Review};
use assll::domain::sector::default_sectors;
use assll::domain::*;
use chrono::NaiveDate;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn household(id: u32) -> Household {
    Household {
        id: HouseholdId(id),
        last_name: "Lefèvre".into(),
        first_name: "Hélène".into(),
        commune_insee: "16102".into(),
        commune: "Cognac".into(),
        sector: SectorId(6),
        referring_worker: "Mme Roux (MDS Cognac)".into(),
        landlord: Some(Landlord {
            name: "Logélia".into(),
            kind: LandlordKind::Public,
        }),
        judicial_protection: false,
    }
}

pub fn referral(number: u32, household: u32) -> Referral {
    Referral {
        reference: Reference::new(2026, number),
        household: HouseholdId(household),
        kind: ReferralKind::Measure,
        requester: Requester::Landlord,
        deciding_body: DecidingBody::Commission,
        urgent: false,
        referral_date: d(2026, 3, 2),
        received: d(2026, 3, 5),
        objectives: vec![Objective::EvictionPrevention, Objective::ChargesManagement],
        initial_months: 6,
        sector: SectorId(6),
        sublet: false,
        after_diagnostic: None,
        note: "Dette de loyer « 1 240 € »".into(),
    }
}

pub fn measure(number: u32, household: u32) -> Measure {
    let mut m = Measure::new_waiting(&referral(number, household));
    m.worker = Some(WorkerId(11));
    m.status = MeasureStatus::InProgress;
    m.start = Some(d(2026, 4, 1));
    m.planned_end = Some(d(2026, 12, 1));
    m.renewals = vec![Renewal {
        decided_on: d(2026, 9, 17),
        months: 2,
        new_end: d(2026, 12, 1),
    }];
    m.contract = Contract::Signed(d(2026, 4, 15));
    m.masp = Masp {
        requested: Some(d(2026, 5, 1)),
        decision: Some((true, d(2026, 6, 1))),
    };
    m.checked_facts = vec![CheckedFact {
        label: "Dette".into(),
        value: "1 240 €".into(),
        checked_on: d(2026, 11, 12),
    }];
    m.difficulty = Some(Difficulty {
        kind: DifficultyKind::RefusesToCollaborate,
        date: d(2026, 10, 1),
        note: "Ne répond plus".into(),
    });
    m.events = vec![LogEntry {
        date: d(2026, 4, 2),
        kind: EventKind::HomeVisit,
        with: Party::Household,
        means: [Means::RepaymentPlan, Means::BudgetSupport].into(),
        note: "Première visite, accueil chaleureux".into(),
        author: "laurent".into(),
        correction: None,
    }];
    m.review = Review {
        text: "La famille a repris le paiement du loyer.\nDette ramenée à 1 240 €.".into(),
        updated: Some(d(2026, 11, 20)),
    };
    m
}

pub fn session() -> GtsSession {
    let mut s = GtsSession::new(2026, 12);
    s.moved_to = Some(d(2026, 12, 10));
    s.note = "Avancée (congés)".into();
    s.agenda = vec![AgendaItem {
        reference: Reference::new(2026, 7),
        reasons: vec![AgendaReason::PlannedEnd, AgendaReason::NoContract],
        removed: None,
        notes: vec!["ajoutée par le GIP : dette en hausse".into()],
        reply: Some((
            Reply::WillNotExamine {
                reason: "Hospitalisation".into(),
            },
            d(2026, 11, 28),
        )),
    }];
    s.draft_sent = Some(d(2026, 11, 25));
    s.chair = "M. Dupont (Conseil Général)".into();
    s.attendance = vec![Attendee {
        name: "Mme Laurent".into(),
        organisation: "CAF".into(),
        present: true,
    }];
    s.decisions = vec![DecisionRecord {
        reference: Reference::new(2026, 7),
        decision: Decision::Renew { months: 3 },
        presented_by_colleague: Some("Mme Petit".into()),
        recorded_on: d(2026, 12, 10),
    }];
    s
}

pub fn worker() -> Worker {
    Worker {
        id: WorkerId(11),
        name: "Mme Laurent".into(),
        employer: Employer::Caf,
        sectors: vec![SectorId(6)],
        fte_hundredths: 100,
        login: "laurent".into(),
        arrived: None,
        left: None,
    }
}

/// One record of each kind, in kind order.
pub fn one_of_each() -> Vec<(&'static str, Record)> {
    vec![
        (
            "norms",
            Record::Norms(Norms {
                urban: 30,
                rural: 28,
            }),
        ),
        ("sector", Record::Sector(default_sectors().remove(5))),
        ("worker", Record::Worker(worker())),
        ("household", Record::Household(household(7))),
        ("referral", Record::Referral(referral(7, 7))),
        ("measure", Record::Measure(measure(7, 7))),
        ("session", Record::Session(session())),
    ]
}
