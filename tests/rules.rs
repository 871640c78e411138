//! One test (at least) per rule of DOMAIN.md that the domain enforces, each
//! named after its id. Pure: no store, no terminal.

use assll::domain::alerts::{Alert, Severity, compute_alerts};
use assll::domain::calendar::{
    deadlines, easter_sunday, holiday_name, is_working_day, third_thursday,
};
use assll::domain::gts::{
    AgendaItem, AgendaReason, Decision, GtsSession, Reply, SessionStatus, due_session,
    sessions_from, year_calendar,
};
use assll::domain::measure::{
    Contract, DifficultyKind, LogEntry, MAX_RENEWALS, add_months, check_renewal, compliance,
    measure_after_diagnostic, open_referral,
};
use assll::domain::sector::Employer;
use assll::domain::sector::default_sectors;
use assll::domain::waiting::waiting_order;
use assll::domain::{
    Dataset, DecidingBody, DomainError, EventKind, Household, HouseholdId, Landlord, LandlordKind,
    Measure, MeasureStatus, Objective, Party, Record, Reference, Referral, ReferralKind, Requester,
    SectorId, Worker, WorkerId, transfer_candidates,
};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use proptest::prelude::*;
use std::cmp::Ordering;

// ---------------------------------------------------------------- fixtures

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn plus(date: NaiveDate, n: u64) -> NaiveDate {
    date.checked_add_days(Days::new(n)).unwrap()
}

fn household(id: u32, sector: u16) -> Household {
    Household {
        id: HouseholdId(id),
        last_name: format!("Famille{id}"),
        first_name: "Anne".into(),
        commune_insee: String::new(),
        commune: String::new(),
        sector: SectorId(sector),
        referring_worker: "Mme Référente (MDS)".into(),
        landlord: Some(Landlord {
            name: "Logélia".into(),
            kind: LandlordKind::Public,
        }),
        judicial_protection: false,
    }
}

fn referral(number: u32, household: u32, sector: u16, date: NaiveDate) -> Referral {
    Referral {
        reference: Reference::new(date.year() as u16, number),
        household: HouseholdId(household),
        kind: ReferralKind::Measure,
        requester: Requester::ReferringWorker,
        deciding_body: DecidingBody::Commission,
        urgent: false,
        referral_date: date,
        received: date,
        objectives: vec![Objective::Rehousing],
        initial_months: 6,
        sector: SectorId(sector),
        sublet: false,
        after_diagnostic: None,
        note: String::new(),
    }
}

fn diagnostic(number: u32, household: u32, sector: u16, date: NaiveDate) -> Referral {
    Referral {
        kind: ReferralKind::Diagnostic,
        requester: Requester::Commission,
        objectives: Vec::new(),
        ..referral(number, household, sector, date)
    }
}

fn event(date: NaiveDate, kind: EventKind, with: Party) -> LogEntry {
    LogEntry {
        date,
        kind,
        with,
        means: Default::default(),
        note: String::new(),
        author: "ts".into(),
        correction: None,
    }
}

/// The nine default sectors, one worker per sector (worker id = sector id).
fn base() -> Dataset {
    let mut ds = Dataset::default();
    for s in default_sectors() {
        ds.workers.insert(
            WorkerId(u32::from(s.id.0)),
            Worker {
                id: WorkerId(u32::from(s.id.0)),
                name: format!("TS {}", s.id.0),
                employer: Employer::ConseilGeneral,
                sectors: vec![s.id],
                fte_hundredths: s.fte_hundredths,
                login: String::new(),
                arrived: None,
                left: None,
            },
        );
        ds.sectors.insert(s.id, s);
    }
    ds
}

/// Adds a household (if new) and a waiting referral.
fn add_waiting(ds: &mut Dataset, r: Referral) -> Reference {
    let h = ds
        .households
        .entry(r.household)
        .or_insert_with(|| household(r.household.0, r.sector.0))
        .clone();
    let m = open_referral(&r, &h).unwrap();
    let reference = r.reference;
    ds.apply(Record::Referral(r));
    ds.apply(Record::Measure(m));
    reference
}

/// Adds a referral and starts it on `start` with its sector's worker.
fn add_started(ds: &mut Dataset, r: Referral, start: NaiveDate) -> Reference {
    let reference = add_waiting(ds, r);
    let r = ds.referrals[&reference].clone();
    let h = ds.households[&r.household].clone();
    let mut m = ds.measures[&reference].clone();
    m.start(&r, &h, WorkerId(u32::from(r.sector.0)), r.sector, start)
        .unwrap();
    ds.apply(Record::Measure(m));
    reference
}

fn alerts(ds: &Dataset, today: NaiveDate, rule: &str) -> Vec<Alert> {
    compute_alerts(ds, today)
        .into_iter()
        .filter(|a| a.rule == rule)
        .collect()
}

fn alerts_of(ds: &Dataset, today: NaiveDate, rule: &str, reference: Reference) -> Vec<Alert> {
    alerts(ds, today, rule)
        .into_iter()
        .filter(|a| a.reference == Some(reference))
        .collect()
}

fn log(ds: &mut Dataset, reference: Reference, e: LogEntry) {
    ds.measures.get_mut(&reference).unwrap().events.push(e);
}

// ------------------------------------------------------------------ R-CAP

#[test]
fn r_cap_1_capacity_is_fte_times_30_urban_or_28_rural() {
    let ds = base();
    let caps: Vec<u32> = ds
        .sector_loads(d(2026, 11, 27))
        .iter()
        .map(|l| l.capacity)
        .collect();
    assert_eq!(caps, vec![14, 14, 30, 30, 14, 30, 15, 14, 14]);
    assert_eq!(caps.iter().sum::<u32>(), 175);
}

#[test]
fn r_cap_2_load_counts_measures_in_progress_not_diagnostics() {
    let mut ds = base();
    let today = d(2026, 11, 27);
    add_started(&mut ds, referral(1, 1, 6, d(2026, 9, 1)), d(2026, 9, 10));
    add_started(&mut ds, diagnostic(2, 2, 6, d(2026, 10, 1)), d(2026, 10, 5));
    add_waiting(&mut ds, referral(3, 3, 6, d(2026, 10, 2)));
    let stopped = add_started(&mut ds, referral(4, 4, 6, d(2026, 5, 1)), d(2026, 5, 2));
    ds.measures
        .get_mut(&stopped)
        .unwrap()
        .stop(d(2026, 11, 1), "fin")
        .unwrap();

    let cognac = ds
        .sector_loads(today)
        .into_iter()
        .find(|l| l.sector == SectorId(6))
        .unwrap();
    assert_eq!(cognac.load, 1, "only the measure in progress is counted");
    assert_eq!(cognac.diagnostics, 1, "the diagnostic is shown beside it");
    assert_eq!(cognac.waiting, 1);
    assert_eq!(cognac.oldest_wait_days, Some(56));
    assert_eq!(cognac.free_places(), 29);
    assert_eq!(ds.load_of(SectorId(6)), 1);
}

#[test]
fn r_cap_2_over_capacity_is_a_state_not_an_error() {
    let mut ds = base();
    for i in 1..=15 {
        add_started(&mut ds, referral(i, i, 1, d(2026, 9, 1)), d(2026, 9, 2));
    }
    let l = &ds.sector_loads(d(2026, 11, 27))[0];
    assert_eq!((l.load, l.capacity), (15, 14));
    assert!(l.over_capacity());
    assert_eq!(l.free_places(), -1);
}

#[test]
fn r_cap_3_transfer_candidates_free_places_first_pool_marked() {
    let mut ds = base();
    let today = d(2026, 11, 27);
    // Cognac (30) full but 1; Angoulême – La Couronne (30) with 20 in
    // progress and 2 waiting; the rural sectors empty.
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    for _ in 0..29 {
        let i = next();
        add_started(&mut ds, referral(i, i, 6, d(2026, 9, 1)), d(2026, 9, 2));
    }
    for _ in 0..20 {
        let i = next();
        add_started(&mut ds, referral(i, i, 4, d(2026, 9, 1)), d(2026, 9, 2));
    }
    for _ in 0..2 {
        let i = next();
        add_waiting(&mut ds, referral(i, i, 4, d(2026, 9, 1)));
    }
    let c = transfer_candidates(&ds, SectorId(3), today);
    assert_eq!(c.len(), 8, "every sector but the one it comes from");
    assert!(c.iter().all(|(s, _, _)| *s != SectorId(3)));
    // Most free places first.
    assert!(c.windows(2).all(|w| w[0].1 >= w[1].1));
    assert_eq!(c[0], (SectorId(7), 15, true));
    let find = |id: u16| c.iter().find(|x| x.0 == SectorId(id)).copied().unwrap();
    assert_eq!(find(4), (SectorId(4), 30 - 20 - 2, true));
    assert_eq!(find(6), (SectorId(6), 1, false));
    assert_eq!(find(1), (SectorId(1), 14, false));
    // Among equal free places, ordered by sector id; nothing pooled from a
    // sector outside the pool.
    let from_cognac = transfer_candidates(&ds, SectorId(6), today);
    assert!(from_cognac.iter().all(|(_, _, pooled)| !pooled));
}

#[test]
fn r_cap_3_transfer_referral_moves_it_keeping_its_date() {
    let mut ds = base();
    let old = add_waiting(&mut ds, referral(1, 1, 3, d(2026, 6, 1)));
    let newer = add_waiting(&mut ds, referral(2, 2, 7, d(2026, 9, 1)));
    let records = ds.transfer_referral(old, SectorId(7)).unwrap();
    assert_eq!(records.len(), 2);
    for r in records {
        ds.apply(r);
    }
    assert!(ds.waiting_list(SectorId(3)).is_empty());
    let list: Vec<Reference> = ds
        .waiting_list(SectorId(7))
        .iter()
        .map(|r| r.reference)
        .collect();
    assert_eq!(list, vec![old, newer], "its older date keeps it first");
    assert_eq!(ds.measures[&old].sector, SectorId(7));
    assert_eq!(
        ds.transfer_referral(old, SectorId(7)),
        Err(DomainError::SameSector)
    );
    assert_eq!(
        ds.transfer_referral(old, SectorId(99)),
        Err(DomainError::UnknownSector)
    );
    let started = add_started(&mut ds, referral(3, 3, 3, d(2026, 6, 1)), d(2026, 7, 1));
    assert!(matches!(
        ds.transfer_referral(started, SectorId(7)),
        Err(DomainError::WrongStatus { .. })
    ));
}

// ----------------------------------------------------------------- R-ELIG

#[test]
fn r_elig_2_opening_or_starting_under_judicial_protection_is_refused() {
    let mut h = household(1, 6);
    h.judicial_protection = true;
    let r = referral(1, 1, 6, d(2026, 10, 1));
    let err = open_referral(&r, &h).unwrap_err();
    assert_eq!(err, DomainError::JudicialProtection);
    assert!(err.to_string().contains("protection judiciaire"));
    assert!(err.to_string().contains("R-ELIG-2"));

    let mut m = Measure::new_waiting(&r);
    let err = m
        .start(&r, &h, WorkerId(6), SectorId(6), d(2026, 10, 5))
        .unwrap_err();
    assert_eq!(err, DomainError::JudicialProtection);
    assert_eq!(m.status, MeasureStatus::Waiting);
    assert_eq!(m.start, None);
}

#[test]
fn r_elig_2_protection_during_a_measure_goes_to_the_next_gts() {
    let mut ds = base();
    let r = add_started(&mut ds, referral(1, 1, 6, d(2026, 9, 1)), d(2026, 9, 2));
    assert!(alerts_of(&ds, d(2026, 11, 27), "R-ELIG-2", r).is_empty());
    ds.households
        .get_mut(&HouseholdId(1))
        .unwrap()
        .judicial_protection = true;
    let a = alerts_of(&ds, d(2026, 11, 27), "R-ELIG-2", r);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].due, d(2026, 12, 17), "the next session");
    assert!(agenda_reasons(&ds, r, d(2026, 11, 27)).contains(&AgendaReason::JudicialProtection));
}

// ------------------------------------------------------------------ R-REF

#[test]
fn r_ref_4_first_contact_within_one_month_of_reception_incl_referring_worker() {
    let mut ds = base();
    let mut r = referral(1, 1, 6, d(2026, 10, 20));
    r.received = d(2026, 10, 25);
    let reference = add_waiting(&mut ds, r);
    // Far from the deadline: nothing yet.
    assert!(alerts_of(&ds, d(2026, 11, 10), "R-REF-4", reference).is_empty());
    // Within a week of received + 1 month: soon, even on the waiting list.
    let a = alerts_of(&ds, d(2026, 11, 20), "R-REF-4", reference);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].severity, Severity::Soon);
    assert_eq!(a[0].due, d(2026, 11, 25));
    // Past it: overdue; the household contacted but not the referring worker.
    log(
        &mut ds,
        reference,
        event(d(2026, 11, 26), EventKind::Phone, Party::Household),
    );
    let a = alerts_of(&ds, d(2026, 11, 27), "R-REF-4", reference);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].severity, Severity::Overdue);
    assert!(a[0].message.contains("TS référent"));
    assert!(!a[0].message.contains("ménage"));
    log(
        &mut ds,
        reference,
        event(d(2026, 11, 27), EventKind::Letter, Party::ReferringWorker),
    );
    assert!(alerts_of(&ds, d(2026, 11, 27), "R-REF-4", reference).is_empty());
}

#[test]
fn r_ref_4_no_referring_worker_to_contact_when_the_household_has_none() {
    let mut ds = base();
    let reference = add_waiting(&mut ds, referral(1, 1, 6, d(2026, 10, 1)));
    ds.households
        .get_mut(&HouseholdId(1))
        .unwrap()
        .referring_worker
        .clear();
    log(
        &mut ds,
        reference,
        event(d(2026, 10, 5), EventKind::Phone, Party::Household),
    );
    assert!(alerts_of(&ds, d(2026, 11, 27), "R-REF-4", reference).is_empty());
}

#[test]
fn r_ref_5_urgent_then_diagnostics_then_by_date_then_reference() {
    let mut ds = base();
    let oldest = add_waiting(&mut ds, referral(1, 1, 6, d(2026, 1, 10)));
    let same_day_b = add_waiting(&mut ds, referral(3, 3, 6, d(2026, 3, 1)));
    let same_day_a = add_waiting(&mut ds, referral(2, 2, 6, d(2026, 3, 1)));
    let diag = add_waiting(&mut ds, diagnostic(4, 4, 6, d(2026, 5, 1)));
    let mut u = referral(5, 5, 6, d(2026, 8, 1));
    u.urgent = true;
    u.requester = Requester::AppealsUnit;
    u.deciding_body = DecidingBody::AppealsUnit;
    let urgent = add_waiting(&mut ds, u);
    let other_sector = add_waiting(&mut ds, referral(6, 6, 5, d(2025, 1, 1)));

    let list: Vec<Reference> = ds
        .waiting_list(SectorId(6))
        .iter()
        .map(|r| r.reference)
        .collect();
    assert_eq!(list, vec![urgent, diag, oldest, same_day_a, same_day_b]);
    assert!(!list.contains(&other_sector));
    // A started measure leaves the list.
    let r = ds.referrals[&oldest].clone();
    let h = ds.households[&r.household].clone();
    let mut m = ds.measures[&oldest].clone();
    m.start(&r, &h, WorkerId(6), SectorId(6), d(2026, 11, 1))
        .unwrap();
    ds.apply(Record::Measure(m));
    assert_eq!(ds.waiting_list(SectorId(6)).len(), 4);
}

#[test]
fn r_ref_6_urgency_from_anyone_but_the_appeals_unit_is_refused() {
    for requester in Requester::ALL {
        let mut r = referral(1, 1, 6, d(2026, 10, 1));
        r.urgent = true;
        r.requester = requester;
        r.deciding_body = DecidingBody::Commission;
        let res = r.validate();
        if requester == Requester::AppealsUnit {
            assert_eq!(res, Ok(()));
        } else {
            let err = res.unwrap_err();
            assert!(
                matches!(err, DomainError::UrgencyNotFromAppealsUnit { .. }),
                "{requester:?}"
            );
            assert!(err.to_string().starts_with("Urgence refusée"));
            assert!(err.to_string().contains(requester.label()));
        }
        // Decided by the appeals unit: it is the appeals unit that asks.
        r.deciding_body = DecidingBody::AppealsUnit;
        assert_eq!(r.validate(), Ok(()));
        // Without urgency, anyone may ask (R-REF-1).
        r.urgent = false;
        r.deciding_body = DecidingBody::Commission;
        assert_eq!(r.validate(), Ok(()));
    }
}

#[test]
fn r_ref_1_six_kinds_of_requester_and_r_ref_2_two_deciding_bodies() {
    assert_eq!(
        Requester::ALL.len(),
        7,
        "commission and appeals unit are one item, split"
    );
    let labels: Vec<&str> = Requester::ALL.iter().map(|r| r.label()).collect();
    let mut unique = labels.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), labels.len());
    for requester in Requester::ALL {
        let mut r = referral(1, 1, 6, d(2026, 10, 1));
        r.requester = requester;
        assert_eq!(r.validate(), Ok(()), "{requester:?} may ask");
    }
    assert_eq!(DecidingBody::AppealsUnit.label(), "Cellule de recours");
    // The commission sets objectives and the initial duration.
    let mut r = referral(1, 1, 6, d(2026, 10, 1));
    r.objectives.clear();
    assert_eq!(r.validate(), Err(DomainError::NoObjective));
    // Received before it was made: refused.
    let mut r = referral(1, 1, 6, d(2026, 10, 1));
    r.received = d(2026, 9, 30);
    assert_eq!(r.validate(), Err(DomainError::ReceivedBeforeReferral));
}

#[test]
fn r_obj_five_objectives_on_two_axes() {
    use assll::domain::referral::Axis;
    let access: Vec<Objective> = Objective::ALL
        .into_iter()
        .filter(|o| o.axis() == Axis::Access)
        .collect();
    assert_eq!(
        access,
        vec![
            Objective::Rehousing,
            Objective::Appropriation,
            Objective::ChargesManagement
        ]
    );
    let mut r = referral(1, 1, 6, d(2026, 10, 1));
    r.objectives = vec![Objective::EvictionPrevention, Objective::Rehousing];
    assert_eq!(r.axes_label(), "Accès · Maintien");
    assert_eq!(
        diagnostic(2, 2, 6, d(2026, 10, 1)).axes_label(),
        "Diagnostic"
    );
}

// ----------------------------------------------------------------- R-DIAG

#[test]
fn r_diag_1_diagnostic_asked_by_commission_or_appeals_unit_done_in_priority() {
    for requester in Requester::ALL {
        let mut r = diagnostic(1, 1, 6, d(2026, 10, 1));
        r.requester = requester;
        let ok = matches!(requester, Requester::Commission | Requester::AppealsUnit);
        match r.validate() {
            Ok(()) => assert!(ok, "{requester:?} accepted"),
            Err(e) => {
                assert!(!ok, "{requester:?} refused");
                assert!(matches!(e, DomainError::DiagnosticRequester { .. }));
                assert!(e.to_string().contains("R-DIAG-1"));
            }
        }
    }
    // In priority: before an older ordinary referral.
    let older = referral(1, 1, 6, d(2025, 1, 1));
    let diag = diagnostic(2, 2, 6, d(2026, 10, 1));
    assert_eq!(waiting_order(&diag, &older), Ordering::Less);
}

#[test]
fn r_diag_2_due_two_months_after_reception_three_attempts_incl_home_visit() {
    let mut ds = base();
    let mut r = diagnostic(1, 1, 6, d(2026, 9, 20));
    r.received = d(2026, 9, 28);
    let reference = add_started(&mut ds, r, d(2026, 10, 1));
    assert_eq!(ds.measures[&reference].planned_end, Some(d(2026, 11, 28)));
    log(
        &mut ds,
        reference,
        event(d(2026, 10, 2), EventKind::Phone, Party::Household),
    );
    assert!(alerts_of(&ds, d(2026, 11, 10), "R-DIAG-2", reference).is_empty());
    let a = alerts_of(&ds, d(2026, 11, 24), "R-DIAG-2", reference);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].due, d(2026, 11, 28));
    assert_eq!(a[0].severity, Severity::Soon);
    assert!(a[0].message.contains("sollicitations 1/3"));
    assert!(a[0].message.contains("visite à domicile non"));
    log(
        &mut ds,
        reference,
        event(d(2026, 10, 9), EventKind::Letter, Party::Household),
    );
    log(
        &mut ds,
        reference,
        event(d(2026, 10, 16), EventKind::HomeVisit, Party::Household),
    );
    let c = compliance(
        &ds.measures[&reference],
        &ds.referrals[&reference],
        d(2026, 11, 24),
    );
    assert_eq!((c.attempts, c.home_visit), (3, true));
    let a = alerts_of(&ds, d(2026, 11, 30), "R-DIAG-2", reference);
    assert_eq!(a[0].severity, Severity::Overdue);
    assert!(!a[0].message.contains("sollicitations"));
    // Returned (stopped): no more alert.
    ds.measures
        .get_mut(&reference)
        .unwrap()
        .stop(d(2026, 11, 30), "Diagnostic rendu")
        .unwrap();
    assert!(alerts_of(&ds, d(2026, 12, 1), "R-DIAG-2", reference).is_empty());
}

#[test]
fn r_diag_2_a_diagnostic_still_waiting_near_its_two_months_is_an_alert() {
    let mut ds = base();
    let mut r = diagnostic(1, 1, 6, d(2026, 9, 20));
    r.received = d(2026, 9, 28);
    let reference = add_waiting(&mut ds, r);
    assert!(alerts_of(&ds, d(2026, 11, 10), "R-DIAG-2", reference).is_empty());
    let a = alerts_of(&ds, d(2026, 11, 24), "R-DIAG-2", reference);
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!((a[0].due, a[0].severity), (d(2026, 11, 28), Severity::Soon));
    assert!(
        a[0].message.contains("toujours en attente"),
        "{}",
        a[0].message
    );
    let a = alerts_of(&ds, d(2026, 12, 2), "R-DIAG-2", reference);
    assert_eq!(a[0].severity, Severity::Overdue);
    // An ordinary referral waiting as long raises no R-DIAG-2.
    let other = add_waiting(&mut ds, referral(2, 2, 6, d(2026, 9, 20)));
    assert!(alerts_of(&ds, d(2026, 12, 2), "R-DIAG-2", other).is_empty());
}

#[test]
fn r_diag_3_measure_after_diagnostic_starts_at_once_without_waiting_list() {
    let mut ds = base();
    // An older ordinary referral waits in the same sector.
    let waiting = add_waiting(&mut ds, referral(1, 1, 6, d(2025, 6, 1)));
    let diag = add_started(&mut ds, diagnostic(2, 2, 6, d(2026, 9, 1)), d(2026, 9, 5));
    let h = ds.households[&HouseholdId(2)].clone();
    let (r, m) = measure_after_diagnostic(
        &ds.referrals[&diag],
        &ds.measures[&diag],
        &h,
        Reference::new(2026, 3),
        vec![Objective::EvictionPrevention],
        4,
        d(2026, 10, 30),
    )
    .unwrap();
    assert_eq!(r.after_diagnostic, Some(diag));
    assert_eq!(r.kind, ReferralKind::Measure);
    assert!(!r.urgent);
    assert_eq!(r.validate(), Ok(()));
    assert_eq!(m.status, MeasureStatus::InProgress);
    assert_eq!(m.start, Some(d(2026, 10, 30)));
    assert_eq!(m.planned_end, Some(d(2027, 2, 28)));
    assert_eq!(m.worker, ds.measures[&diag].worker);
    assert_eq!(m.sector, SectorId(6));
    // Not queued behind anyone: the waiting list is untouched, and were it
    // waiting it would come before the older referral.
    let reference = r.reference;
    ds.apply(Record::Referral(r.clone()));
    ds.apply(Record::Measure(m));
    let list: Vec<Reference> = ds
        .waiting_list(SectorId(6))
        .iter()
        .map(|r| r.reference)
        .collect();
    assert_eq!(list, vec![waiting]);
    assert_eq!(ds.load_of(SectorId(6)), 1);
    assert_eq!(
        waiting_order(&r, &ds.referrals[&waiting]),
        Ordering::Less,
        "{reference}"
    );
    let other_diag = diagnostic(9, 9, 6, d(2024, 1, 1));
    assert_eq!(waiting_order(&r, &other_diag), Ordering::Less);
    // The diagnostic's contacts count for the measure that follows it.
    for (day, kind) in [
        (6, EventKind::Phone),
        (9, EventKind::Letter),
        (12, EventKind::HomeVisit),
    ] {
        log(
            &mut ds,
            diag,
            event(d(2026, 9, day), kind, Party::Household),
        );
    }
    log(
        &mut ds,
        diag,
        event(d(2026, 9, 12), EventKind::Phone, Party::ReferringWorker),
    );
    log(
        &mut ds,
        diag,
        event(d(2026, 9, 13), EventKind::Phone, Party::Landlord),
    );
    let today = d(2026, 12, 5);
    assert!(alerts_of(&ds, today, "R-REF-4", reference).is_empty());
    assert!(alerts_of(&ds, today, "R-MES-2", reference).is_empty());
    // Whereas the same contacts on an unrelated diagnostic do not count.
    let mut unrelated = ds.clone();
    unrelated
        .referrals
        .get_mut(&reference)
        .unwrap()
        .after_diagnostic = None;
    assert_eq!(alerts_of(&unrelated, today, "R-MES-2", reference).len(), 1);
    assert_eq!(alerts_of(&unrelated, today, "R-REF-4", reference).len(), 1);

    // Only after a diagnostic that was started.
    let not_diag = add_started(&mut ds, referral(4, 4, 6, d(2026, 9, 1)), d(2026, 9, 5));
    let h4 = ds.households[&HouseholdId(4)].clone();
    assert!(matches!(
        measure_after_diagnostic(
            &ds.referrals[&not_diag],
            &ds.measures[&not_diag],
            &h4,
            Reference::new(2026, 5),
            vec![Objective::Rehousing],
            6,
            d(2026, 10, 30),
        ),
        Err(DomainError::NotADiagnostic { .. })
    ));
    let waiting_diag = add_waiting(&mut ds, diagnostic(6, 6, 6, d(2026, 9, 1)));
    let h6 = ds.households[&HouseholdId(6)].clone();
    assert!(matches!(
        measure_after_diagnostic(
            &ds.referrals[&waiting_diag],
            &ds.measures[&waiting_diag],
            &h6,
            Reference::new(2026, 7),
            vec![Objective::Rehousing],
            6,
            d(2026, 10, 30),
        ),
        Err(DomainError::DiagnosticNotStarted { .. })
    ));
}

// ------------------------------------------------------------------ R-MES

#[test]
fn r_mes_1_initial_duration_is_one_to_six_months_from_the_start() {
    for months in [0u8, 7, 12] {
        let mut r = referral(1, 1, 6, d(2026, 10, 1));
        r.initial_months = months;
        assert_eq!(r.validate(), Err(DomainError::InitialDuration { months }));
    }
    let mut ds = base();
    let mut r = referral(1, 1, 6, d(2026, 7, 1));
    r.initial_months = 3;
    let reference = add_started(&mut ds, r, d(2026, 8, 31));
    // 31/08 + 3 months = 30/11 (clamped to the month's last day).
    assert_eq!(ds.measures[&reference].planned_end, Some(d(2026, 11, 30)));
}

#[test]
fn r_mes_1_add_months_clamps_to_the_end_of_the_month() {
    assert_eq!(add_months(d(2027, 1, 31), 1), d(2027, 2, 28));
    assert_eq!(add_months(d(2028, 1, 31), 1), d(2028, 2, 29));
    assert_eq!(add_months(d(2026, 8, 31), 6), d(2027, 2, 28));
    assert_eq!(add_months(d(2026, 10, 15), 6), d(2027, 4, 15));
    assert_eq!(add_months(NaiveDate::MAX, 1), NaiveDate::MAX);
}

#[test]
fn r_mes_1_start_before_the_referral_date_is_refused() {
    let r = referral(1, 1, 6, d(2026, 10, 1));
    let mut m = Measure::new_waiting(&r);
    let err = m
        .start(
            &r,
            &household(1, 6),
            WorkerId(6),
            SectorId(6),
            d(2026, 9, 30),
        )
        .unwrap_err();
    assert!(matches!(err, DomainError::BeforeReferral { .. }));
    assert!(err.to_string().contains("30/09/2026"));
    assert!(m.is_waiting());
}

#[test]
fn r_mes_2_three_attempts_a_home_visit_requester_and_landlord() {
    let mut ds = base();
    let mut r = referral(1, 1, 6, d(2026, 9, 1));
    r.requester = Requester::Cdapl;
    let reference = add_started(&mut ds, r, d(2026, 10, 1));
    let today = d(2026, 11, 2); // start + 1 month passed
    let a = alerts_of(&ds, today, "R-MES-2", reference);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].due, d(2026, 11, 1));
    assert_eq!(a[0].severity, Severity::Overdue);
    for part in [
        "sollicitations 0/3",
        "pas de visite à domicile",
        "demandeur non contacté",
        "bailleur non contacté",
    ] {
        assert!(a[0].message.contains(part), "{}", a[0].message);
    }
    for (day, kind) in [
        (2, EventKind::Phone),
        (5, EventKind::Letter),
        (8, EventKind::HomeVisit),
    ] {
        log(
            &mut ds,
            reference,
            event(d(2026, 10, day), kind, Party::Household),
        );
    }
    log(
        &mut ds,
        reference,
        event(d(2026, 10, 9), EventKind::Phone, Party::Landlord),
    );
    let a = alerts_of(&ds, today, "R-MES-2", reference);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].message, "demandeur non contacté");
    log(
        &mut ds,
        reference,
        event(d(2026, 10, 9), EventKind::Letter, Party::Requester),
    );
    assert!(alerts_of(&ds, today, "R-MES-2", reference).is_empty());
}

#[test]
fn r_mes_2_a_requester_who_is_the_referring_worker_is_contacted_as_such() {
    let mut ds = base();
    let reference = add_started(&mut ds, referral(1, 1, 6, d(2026, 9, 1)), d(2026, 10, 1));
    ds.households.get_mut(&HouseholdId(1)).unwrap().landlord = None;
    for (day, kind) in [
        (2, EventKind::Phone),
        (5, EventKind::Letter),
        (8, EventKind::MeetingHome),
    ] {
        log(
            &mut ds,
            reference,
            event(d(2026, 10, day), kind, Party::Household),
        );
    }
    assert_eq!(
        alerts_of(&ds, d(2026, 11, 2), "R-MES-2", reference).len(),
        1
    );
    log(
        &mut ds,
        reference,
        event(d(2026, 10, 9), EventKind::Phone, Party::ReferringWorker),
    );
    assert!(alerts_of(&ds, d(2026, 11, 2), "R-MES-2", reference).is_empty());
}

#[test]
fn r_mes_3_a_gap_over_fifteen_days_between_meetings_is_an_alert() {
    let mut ds = base();
    let reference = add_started(&mut ds, referral(1, 1, 6, d(2026, 9, 1)), d(2026, 10, 1));
    // No meeting yet: counted from the start.
    assert!(alerts_of(&ds, d(2026, 10, 16), "R-MES-3", reference).is_empty());
    let a = alerts_of(&ds, d(2026, 10, 17), "R-MES-3", reference);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].severity, Severity::Overdue);
    assert_eq!(a[0].due, d(2026, 10, 16));
    // A phone call is not a meeting; a meeting at the MDS is.
    log(
        &mut ds,
        reference,
        event(d(2026, 10, 20), EventKind::Phone, Party::Household),
    );
    assert_eq!(
        alerts_of(&ds, d(2026, 10, 21), "R-MES-3", reference).len(),
        1
    );
    log(
        &mut ds,
        reference,
        event(d(2026, 10, 20), EventKind::MeetingMds, Party::Household),
    );
    assert!(alerts_of(&ds, d(2026, 11, 4), "R-MES-3", reference).is_empty());
    let a = alerts_of(&ds, d(2026, 11, 5), "R-MES-3", reference);
    assert_eq!(a.len(), 1);
    assert!(a[0].message.contains("16 j"), "{}", a[0].message);
}

#[test]
fn r_mes_4_third_renewal_is_refused() {
    let mut ds = base();
    let mut r = referral(1, 1, 6, d(2026, 1, 5));
    r.initial_months = 6;
    let reference = add_started(&mut ds, r, d(2026, 1, 31));
    let m = ds.measures.get_mut(&reference).unwrap();
    assert_eq!(m.planned_end, Some(d(2026, 7, 31)));
    // New end = current planned end + N months, not decision date + N.
    assert_eq!(m.renew(3, d(2026, 7, 16)), Ok(d(2026, 10, 31)));
    assert_eq!(m.renew(4, d(2026, 10, 15)), Ok(d(2027, 2, 28)));
    assert_eq!(m.renewals_used(), MAX_RENEWALS);
    let err = m.renew(2, d(2027, 2, 18)).unwrap_err();
    assert_eq!(err, DomainError::ThirdRenewal);
    assert_eq!(
        err.to_string(),
        "Renouvellement refusé : déjà renouvelée 2 fois (R-MES-4)"
    );
    assert_eq!(m.planned_end, Some(d(2027, 2, 28)), "unchanged");
    assert_eq!(m.renewals.len(), 2);
    assert_eq!(check_renewal(m, 2), Err(DomainError::ThirdRenewal));
}

#[test]
fn r_mes_4_a_renewal_is_for_one_to_six_months_of_a_measure_in_progress() {
    let mut ds = base();
    let reference = add_started(&mut ds, referral(1, 1, 6, d(2026, 1, 5)), d(2026, 2, 1));
    let m = ds.measures.get_mut(&reference).unwrap();
    assert_eq!(
        m.renew(0, d(2026, 7, 16)),
        Err(DomainError::RenewalDuration { months: 0 })
    );
    assert_eq!(
        m.renew(7, d(2026, 7, 16)),
        Err(DomainError::RenewalDuration { months: 7 })
    );
    assert!(m.renewals.is_empty());
    let diag = add_started(&mut ds, diagnostic(2, 2, 6, d(2026, 1, 5)), d(2026, 2, 1));
    assert!(matches!(
        ds.measures.get_mut(&diag).unwrap().renew(3, d(2026, 3, 1)),
        Err(DomainError::WrongStatus { .. })
    ));
}

#[test]
fn r_mes_5_no_contract_nor_reason_after_thirty_days_is_an_alert() {
    let mut ds = base();
    let reference = add_started(&mut ds, referral(1, 1, 6, d(2026, 9, 1)), d(2026, 10, 1));
    assert!(alerts_of(&ds, d(2026, 10, 20), "R-MES-5", reference).is_empty());
    let a = alerts_of(&ds, d(2026, 11, 1), "R-MES-5", reference);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].due, d(2026, 10, 31));
    assert_eq!(a[0].severity, Severity::Overdue);

    // A reason recorded: no alert, and the reason goes on the agenda.
    let mut with_reason = ds.clone();
    let m = with_reason.measures.get_mut(&reference).unwrap();
    assert_eq!(
        m.record_no_contract("  ", d(2026, 11, 1)),
        Err(DomainError::ReasonRequired)
    );
    m.record_no_contract("Famille injoignable", d(2026, 11, 1))
        .unwrap();
    assert!(
        agenda_reasons(&with_reason, reference, d(2026, 11, 2)).contains(&AgendaReason::NoContract)
    );
    assert!(alerts_of(&with_reason, d(2026, 11, 2), "R-MES-5", reference).is_empty());

    // A contract signed: no alert, nothing on the agenda for it.
    let m = ds.measures.get_mut(&reference).unwrap();
    assert!(matches!(
        m.sign_contract(d(2026, 9, 30)),
        Err(DomainError::BeforeStart { .. })
    ));
    m.sign_contract(d(2026, 10, 8)).unwrap();
    assert_eq!(m.contract, Contract::Signed(d(2026, 10, 8)));
    assert!(agenda_reasons(&ds, reference, d(2026, 11, 2)).is_empty());
    assert!(alerts_of(&ds, d(2026, 11, 2), "R-MES-5", reference).is_empty());
}

#[test]
fn r_mes_6_refusal_or_impossibility_goes_to_the_next_gts() {
    let mut ds = base();
    let reference = add_started(&mut ds, referral(1, 1, 6, d(2026, 9, 1)), d(2026, 10, 1));
    let m = ds.measures.get_mut(&reference).unwrap();
    assert_eq!(
        m.record_difficulty(DifficultyKind::RefusesToCollaborate, d(2026, 11, 2), ""),
        Err(DomainError::ReasonRequired)
    );
    m.record_difficulty(
        DifficultyKind::RefusesToCollaborate,
        d(2026, 11, 2),
        "Refuse toute visite",
    )
    .unwrap();
    assert!(agenda_reasons(&ds, reference, d(2026, 11, 13)).contains(&AgendaReason::Difficulty));
    let a = alerts_of(&ds, d(2026, 11, 13), "R-MES-6", reference);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].due, d(2026, 11, 19), "the next session");
    assert_eq!(a[0].severity, Severity::Soon);
    assert!(a[0].message.starts_with("Refus de collaborer"));

    // A waiting measure that cannot be set up: recorded with its reason.
    let w = add_waiting(&mut ds, referral(2, 2, 6, d(2026, 9, 1)));
    let m = ds.measures.get_mut(&w).unwrap();
    assert_eq!(
        m.mark_not_started(d(2026, 11, 2), " "),
        Err(DomainError::ReasonRequired)
    );
    m.mark_not_started(d(2026, 11, 2), "Déménagé hors département")
        .unwrap();
    assert_eq!(m.status.label(), "non mise en place");
}

#[test]
fn r_mes_7_a_household_moving_keeps_its_measure_in_its_workers_load() {
    let mut ds = base();
    let in_progress = add_started(&mut ds, referral(1, 1, 6, d(2026, 9, 1)), d(2026, 9, 2));
    let waiting = add_waiting(&mut ds, referral(2, 1, 6, d(2026, 10, 1)));
    let before = ds.load_of(SectorId(6));
    let records = ds.move_household(HouseholdId(1), SectorId(8)).unwrap();
    for r in records {
        ds.apply(r);
    }
    assert_eq!(ds.households[&HouseholdId(1)].sector, SectorId(8));
    assert_eq!(ds.load_of(SectorId(6)), before, "load unchanged");
    assert_eq!(ds.load_of(SectorId(8)), 0);
    assert_eq!(ds.measures[&in_progress].sector, SectorId(6));
    assert_eq!(ds.measures[&in_progress].worker, Some(WorkerId(6)));
    // The waiting referral goes to the new sector's list.
    assert!(ds.waiting_list(SectorId(6)).is_empty());
    assert_eq!(ds.waiting_list(SectorId(8))[0].reference, waiting);
    assert_eq!(
        ds.move_household(HouseholdId(99), SectorId(8)),
        Err(DomainError::UnknownHousehold)
    );
    assert_eq!(
        ds.move_household(HouseholdId(1), SectorId(99)),
        Err(DomainError::UnknownSector)
    );
    // Should the GIP hand it over, the load follows.
    let mut m = ds.measures[&in_progress].clone();
    m.hand_over(WorkerId(8), SectorId(8), d(2026, 10, 1))
        .unwrap();
    ds.apply(Record::Measure(m));
    assert_eq!(ds.load_of(SectorId(8)), 1);
    assert_eq!(ds.load_of(SectorId(6)), before - 1);
}

#[test]
fn r_mes_8_facts_shown_to_the_gts_keep_the_date_they_were_checked() {
    let mut ds = base();
    let reference = add_started(&mut ds, referral(1, 1, 6, d(2026, 9, 1)), d(2026, 9, 2));
    let m = ds.measures.get_mut(&reference).unwrap();
    m.record_checked_fact("Reprise du paiement du loyer", "oui", d(2026, 10, 5))
        .unwrap();
    m.record_checked_fact("Montant de la dette", "1 250 €", d(2026, 10, 5))
        .unwrap();
    m.record_checked_fact("Montant de la dette", "980 €", d(2026, 11, 10))
        .unwrap();
    assert_eq!(m.checked_facts.len(), 2);
    let debt = &m.checked_facts[1];
    assert_eq!(
        (debt.value.as_str(), debt.checked_on),
        ("980 €", d(2026, 11, 10))
    );
    let stale: Vec<&str> = m
        .facts_to_recheck(d(2026, 10, 15))
        .iter()
        .map(|f| f.label.as_str())
        .collect();
    assert_eq!(stale, vec!["Reprise du paiement du loyer"]);
    assert_eq!(
        m.record_checked_fact(" ", "x", d(2026, 10, 5)),
        Err(DomainError::LabelRequired)
    );
    assert!(matches!(
        m.record_checked_fact("Dette", "x", d(2026, 8, 1)),
        Err(DomainError::BeforeStart { .. })
    ));
}

// ----------------------------------------------------------------- R-MASP

#[test]
fn r_masp_1_only_a_budget_objective_or_sub_letting_may_be_qualified() {
    let mut ds = base();
    let plain = add_started(&mut ds, referral(1, 1, 6, d(2026, 9, 1)), d(2026, 9, 2));
    let m = ds.measures.get_mut(&plain).unwrap();
    let r = ds.referrals[&plain].clone();
    assert_eq!(
        m.request_masp(&r, d(2026, 10, 1)),
        Err(DomainError::MaspNotEligible)
    );
    assert_eq!(m.masp.requested, None);

    for (n, objectives, sublet) in [
        (2, vec![Objective::ChargesManagement], false),
        (3, vec![Objective::EvictionPrevention], false),
        (4, vec![Objective::Rehousing], true),
    ] {
        let mut r = referral(n, n, 6, d(2026, 9, 1));
        r.objectives = objectives;
        r.sublet = sublet;
        let reference = add_started(&mut ds, r, d(2026, 9, 2));
        let r = ds.referrals[&reference].clone();
        let m = ds.measures.get_mut(&reference).unwrap();
        assert_eq!(m.request_masp(&r, d(2026, 10, 1)), Ok(()), "{n}");
    }
}

#[test]
fn r_masp_2_asked_then_granted_or_refused_with_dates() {
    let mut ds = base();
    let mut r = referral(1, 1, 6, d(2026, 9, 1));
    r.objectives = vec![Objective::ChargesManagement];
    let reference = add_started(&mut ds, r, d(2026, 9, 2));
    let r = ds.referrals[&reference].clone();
    let m = ds.measures.get_mut(&reference).unwrap();
    assert!(matches!(
        m.decide_masp(true, d(2026, 10, 1)),
        Err(DomainError::Masp(_))
    ));
    assert_eq!(m.masp.label(), "non");
    m.request_masp(&r, d(2026, 10, 1)).unwrap();
    assert_eq!(m.masp.label(), "demandée 01/10/2026");
    assert!(matches!(
        m.request_masp(&r, d(2026, 10, 2)),
        Err(DomainError::Masp(_))
    ));
    assert!(matches!(
        m.decide_masp(true, d(2026, 9, 30)),
        Err(DomainError::Masp(_))
    ));
    m.decide_masp(false, d(2026, 10, 20)).unwrap();
    assert_eq!(m.masp.label(), "refusée 20/10/2026");
    m.decide_masp(true, d(2026, 10, 21)).unwrap();
    assert_eq!(m.masp.decision, Some((true, d(2026, 10, 21))));
    assert_eq!(m.masp.label(), "accordée 21/10/2026");
}

// ------------------------------------------------------------------ R-GTS

#[test]
fn r_gts_1_third_thursday_moved_cancelled_and_holidays_flagged() {
    let cal = year_calendar(2027, |_, _| None);
    assert!(cal.iter().all(|s| s.date.weekday() == Weekday::Thu));
    assert!(cal.iter().all(|s| (15..=21).contains(&s.date.day())));
    assert_eq!(cal[0].date, d(2027, 1, 21));
    assert_eq!(third_thursday(2030, 8), d(2030, 8, 15));
    assert_eq!(
        year_calendar(2030, |_, _| None)[7].holiday,
        Some("Assomption")
    );
    assert_eq!(
        year_calendar(2034, |_, _| None)[4].holiday,
        Some("Ascension")
    );
    let mut aug = GtsSession::new(2027, 8);
    aug.cancelled = true;
    let cal = year_calendar(2027, |_, m| (m == 8).then_some(&aug));
    assert_eq!(cal[7].status, SessionStatus::Cancelled);
    assert!(!cal[7].held());
    // Bad data does not panic.
    assert_eq!(third_thursday(2027, 13), d(2027, 12, 16));
}

#[test]
fn r_gts_2_due_at_the_last_session_held_on_or_before_the_planned_end() {
    let sessions = sessions_from(d(2027, 1, 1), 12, |_, _| None);
    let due = |end| due_session(end, &sessions).map(|s| s.date);
    assert_eq!(due(d(2027, 5, 20)), Some(d(2027, 5, 20)), "on the day");
    assert_eq!(due(d(2027, 5, 19)), Some(d(2027, 4, 15)));
    assert_eq!(due(d(2027, 6, 16)), Some(d(2027, 5, 20)));
    assert_eq!(due(d(2027, 1, 20)), None, "before every known session");

    // A planned end with no session held before it (next one after it).
    let mut ds = base();
    let mut r = referral(1, 1, 6, d(2026, 11, 1));
    r.initial_months = 1;
    let reference = add_started(&mut ds, r, d(2026, 11, 20));
    // Planned end 20/12; next session after 27/11 is 17/12: due there.
    assert!(alerts_of(&ds, d(2026, 11, 27), "R-GTS-2", reference).is_empty());
    // After 17/12, the end (20/12) comes before any session.
    let a = alerts_of(&ds, d(2026, 12, 18), "R-GTS-2", reference);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].due, d(2026, 12, 20));
    assert_eq!(a[0].severity, Severity::Soon);
}

#[test]
fn r_gts_3_4_5_9_deadlines_of_the_domain_example() {
    let dl = deadlines(d(2027, 1, 21));
    assert_eq!(dl.draft_agenda, d(2027, 1, 6)); // R-GTS-3, Wednesday
    assert_eq!(dl.replies, d(2027, 1, 8)); // R-GTS-4, Saturday → Friday
    assert_eq!(dl.final_agenda, d(2027, 1, 13)); // R-GTS-5, Wednesday
    assert_eq!(dl.minutes, d(2027, 1, 22)); // R-GTS-9, Friday
}

#[test]
fn r_gts_3_draft_agenda_fifteen_days_before_moved_back_from_a_holiday() {
    // Session moved to Thursday 2026-11-26: − 15 days = Armistice.
    assert_eq!(deadlines(d(2026, 11, 26)).draft_agenda, d(2026, 11, 10));
    // Session on Monday 2027-04-12: − 15 = Easter Sunday 28/03 → Friday 26/03.
    assert_eq!(deadlines(d(2027, 4, 12)).draft_agenda, d(2027, 3, 26));
    let mut ds = base();
    let a = alerts(&ds, d(2026, 11, 27), "R-GTS-3");
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].due, d(2026, 12, 2));
    assert_eq!(a[0].severity, Severity::Soon);
    let mut s = GtsSession::new(2026, 12);
    s.draft_sent = Some(d(2026, 12, 1));
    ds.apply(Record::Session(s));
    assert!(alerts(&ds, d(2026, 11, 27), "R-GTS-3").is_empty());
}

#[test]
fn r_gts_4_workers_have_72_hours_after_the_draft() {
    // Session 16/05/2030: draft 01/05 (Labour Day) → Tuesday 30/04; replies
    // draft + 3 = Saturday 04/05 → Friday 03/05.
    let dl = deadlines(d(2030, 5, 16));
    assert_eq!(dl.draft_agenda, d(2030, 4, 30));
    assert_eq!(dl.replies, d(2030, 5, 3));
    // Draft on Easter Sunday 2027 → Friday 26/03; the replies run from the
    // unmoved draft date (28/03 + 3 = Wednesday 31/03), never the same day.
    let dl = deadlines(d(2027, 4, 12));
    assert_eq!(dl.draft_agenda, d(2027, 3, 26));
    assert_eq!(dl.replies, d(2027, 3, 31));

    let mut ds = base();
    let today = d(2026, 12, 4);
    assert_eq!(alerts(&ds, today, "R-GTS-4").len(), 1);
    let mut s = GtsSession::new(2026, 12);
    s.draft_sent = Some(d(2026, 12, 2));
    s.agenda.push(AgendaItem {
        reference: Reference::new(2026, 1),
        reasons: vec![AgendaReason::PlannedEnd],
        removed: None,
        reply: None,
        notes: Vec::new(),
    });
    ds.apply(Record::Session(s.clone()));
    let a = alerts(&ds, today, "R-GTS-4");
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].due, d(2026, 12, 4));
    s.agenda[0].reply = Some((Reply::WillExamine, d(2026, 12, 3)));
    ds.apply(Record::Session(s));
    assert!(
        alerts(&ds, today, "R-GTS-4").is_empty(),
        "every item answered"
    );
}

#[test]
fn r_gts_5_final_agenda_eight_days_before() {
    assert_eq!(deadlines(d(2026, 12, 17)).final_agenda, d(2026, 12, 9));
    let mut ds = base();
    let a = alerts(&ds, d(2026, 12, 10), "R-GTS-5");
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].severity, Severity::Overdue);
    let mut s = GtsSession::new(2026, 12);
    s.draft_sent = Some(d(2026, 12, 2));
    s.final_sent = Some(d(2026, 12, 9));
    ds.apply(Record::Session(s));
    assert!(alerts(&ds, d(2026, 12, 10), "R-GTS-5").is_empty());
}

#[test]
fn r_gts_7_stop_renew_or_postpone_with_a_reason() {
    let mut ds = base();
    let reference = add_started(&mut ds, referral(1, 1, 6, d(2026, 1, 5)), d(2026, 1, 15));
    let mut m = ds.measures[&reference].clone();
    assert_eq!(
        m.apply_decision(&Decision::Postpone { reason: " ".into() }, d(2026, 7, 16)),
        Err(DomainError::ReasonRequired)
    );
    m.apply_decision(
        &Decision::Postpone {
            reason: "TS absente".into(),
        },
        d(2026, 7, 16),
    )
    .unwrap();
    assert_eq!(m.planned_end, Some(d(2026, 7, 15)), "postponed: unchanged");
    m.apply_decision(&Decision::Renew { months: 2 }, d(2026, 7, 16))
        .unwrap();
    assert_eq!(m.planned_end, Some(d(2026, 9, 15)));
    assert_eq!(
        m.apply_decision(&Decision::Renew { months: 9 }, d(2026, 9, 17)),
        Err(DomainError::RenewalDuration { months: 9 })
    );
    m.apply_decision(&Decision::Stop, d(2026, 9, 17)).unwrap();
    assert!(matches!(m.status, MeasureStatus::Stopped { date, .. } if date == d(2026, 9, 17)));
    assert!(matches!(
        m.apply_decision(&Decision::Stop, d(2026, 9, 18)),
        Err(DomainError::WrongStatus { .. })
    ));
}

#[test]
fn r_gts_9_minutes_within_72_hours_of_the_session() {
    assert_eq!(deadlines(d(2026, 12, 17)).minutes, d(2026, 12, 18)); // Sunday → Friday
    let mut ds = base();
    let mut s = GtsSession::new(2026, 11);
    s.closed = Some(d(2026, 11, 19));
    ds.apply(Record::Session(s.clone()));
    let a = alerts(&ds, d(2026, 11, 19), "R-GTS-9");
    assert_eq!(a.len(), 1, "closed today: minutes due");
    assert_eq!(a[0].due, d(2026, 11, 20));
    assert_eq!(
        alerts(&ds, d(2026, 11, 23), "R-GTS-9")[0].severity,
        Severity::Overdue
    );
    s.minutes_sent = Some(d(2026, 11, 20));
    ds.apply(Record::Session(s));
    assert!(alerts(&ds, d(2026, 11, 23), "R-GTS-9").is_empty());
}

// ------------------------------------------------------------------ R-BIL

#[test]
fn r_bil_1_review_due_at_the_latest_at_the_planned_end() {
    let mut ds = base();
    let mut r = referral(1, 1, 6, d(2026, 6, 1));
    r.initial_months = 6;
    let reference = add_started(&mut ds, r, d(2026, 6, 20));
    // Planned end 20/12: due at the session of 17/12; the week before, a
    // review still to write is flagged.
    assert!(alerts_of(&ds, d(2026, 12, 1), "R-BIL-1", reference).is_empty());
    let a = alerts_of(&ds, d(2026, 12, 11), "R-BIL-1", reference);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].due, d(2026, 12, 17));
    assert_eq!(a[0].severity, Severity::Soon);
    ds.measures.get_mut(&reference).unwrap().review.text = "Bilan : loyer repris.".into();
    assert!(alerts_of(&ds, d(2026, 12, 11), "R-BIL-1", reference).is_empty());
    // Planned end passed without a decision: overdue.
    let a = alerts_of(&ds, d(2026, 12, 21), "R-BIL-1", reference);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].severity, Severity::Overdue);
    assert_eq!(a[0].due, d(2026, 12, 20));
}

// ----------------------------------------------------------------- alerts

#[test]
fn alerts_are_sorted_most_pressing_first_then_by_due_date() {
    let mut ds = base();
    for i in 1..=6 {
        add_started(
            &mut ds,
            referral(i, i, (i % 9 + 1) as u16, d(2026, 5, i)),
            d(2026, 5, 10 + i),
        );
    }
    let all = compute_alerts(&ds, d(2026, 11, 27));
    assert!(all.len() > 6);
    assert!(all.windows(2).all(|w| {
        (w[0].severity, w[0].due, w[0].reference, w[0].rule)
            <= (w[1].severity, w[1].due, w[1].reference, w[1].rule)
    }));
    // Stopped measures raise nothing.
    let all: Vec<_> = ds.measures.keys().copied().collect();
    for r in all {
        ds.measures[&r].stop(d(2026, 11, 1), "fin").unwrap();
    }
    assert!(
        compute_alerts(&ds, d(2026, 11, 27))
            .iter()
            .all(|a| a.reference.is_none())
    );
}

// -------------------------------------------------------------- properties

#[test]
fn r_gts_3_4_5_9_every_third_thursday_to_2060_has_sane_deadlines() {
    for year in 2020..=2060 {
        for month in 1..=12 {
            let session = third_thursday(year, month);
            let dl = deadlines(session);
            for got in [dl.draft_agenda, dl.replies, dl.final_agenda, dl.minutes] {
                assert!(is_working_day(got), "{session}: {got}");
            }
            assert!(dl.draft_agenda <= session - Days::new(15));
            assert!(dl.replies <= session - Days::new(12));
            assert!(dl.draft_agenda <= dl.replies, "{session}");
            assert!(dl.replies <= dl.final_agenda);
            assert!(dl.final_agenda <= session - Days::new(8));
            assert!(session <= dl.minutes && dl.minutes <= session + Days::new(3));
        }
    }
    assert_eq!(deadlines(d(2043, 4, 30)).minutes, d(2043, 4, 30));
    // DOMAIN.md's move-back rule, applied literally, can leave the workers
    // no time at all: session 21/05/2043, draft Wednesday 06/05, + 3 =
    // Saturday 09/05 → Friday 8 May (holiday) → Thursday 7 (Ascension) →
    // Wednesday 06/05, the draft's own day.
    let dl = deadlines(d(2043, 5, 21));
    assert_eq!(
        (dl.draft_agenda, dl.replies),
        (d(2043, 5, 6), d(2043, 5, 6))
    );
}

fn arb_referral() -> impl Strategy<Value = (bool, bool, bool, u32)> {
    (any::<bool>(), any::<bool>(), any::<bool>(), 0u32..60)
}

fn build(specs: &[(bool, bool, bool, u32)]) -> Vec<Referral> {
    specs
        .iter()
        .enumerate()
        .map(|(i, &(urgent, diag, after, offset))| {
            let date = plus(d(2026, 1, 1), u64::from(offset));
            let mut r = if diag {
                diagnostic(i as u32 + 1, 1, 6, date)
            } else {
                referral(i as u32 + 1, 1, 6, date)
            };
            r.reference = Reference::new(2026, i as u32 + 1);
            if urgent {
                r.urgent = true;
                r.requester = Requester::AppealsUnit;
            }
            if after && !diag {
                r.after_diagnostic = Some(Reference::new(2025, 1));
            }
            r
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn r_ref_5_waiting_order_is_total_stable_urgent_first(
        specs in proptest::collection::vec(arb_referral(), 0..25)
    ) {
        let refs = build(&specs);
        // A strict total order: antisymmetric, equal only to itself.
        for a in &refs {
            for b in &refs {
                let ab = waiting_order(a, b);
                prop_assert_eq!(ab, waiting_order(b, a).reverse());
                prop_assert_eq!(ab == Ordering::Equal, a.reference == b.reference);
            }
        }
        let mut sorted = refs.clone();
        sorted.sort_by(waiting_order);
        // Transitive and input-independent: any starting order gives the same list.
        let mut reversed: Vec<Referral> = refs.iter().rev().cloned().collect();
        reversed.sort_by(waiting_order);
        prop_assert_eq!(&sorted, &reversed);
        // Urgent always before non-urgent; diagnostics before ordinary
        // referrals; within a rank, by date then reference.
        for w in sorted.windows(2) {
            prop_assert!(w[0].urgent || !w[1].urgent);
            if w[0].urgent == w[1].urgent {
                let ordinary = |r: &Referral| r.kind == ReferralKind::Measure && r.after_diagnostic.is_none();
                if !w[0].urgent && w[1].kind == ReferralKind::Diagnostic {
                    prop_assert!(!ordinary(&w[0]));
                }
                let same_rank = (w[0].kind, w[0].after_diagnostic.is_some())
                    == (w[1].kind, w[1].after_diagnostic.is_some());
                if same_rank {
                    prop_assert!(
                        (w[0].referral_date, w[0].reference) < (w[1].referral_date, w[1].reference)
                    );
                }
            }
        }
    }

    #[test]
    fn r_gts_3_4_5_9_deadlines_are_working_days_never_after_the_unmoved_date(
        offset in 0u64..(365 * 30)
    ) {
        let session = plus(d(2020, 1, 1), offset);
        let dl = deadlines(session);
        let unmoved_draft = session - Days::new(15);
        let unmoved_final = session - Days::new(8);
        let unmoved_minutes = session + Days::new(3);
        for (got, unmoved) in [
            (dl.draft_agenda, unmoved_draft),
            (dl.final_agenda, unmoved_final),
            (dl.minutes, unmoved_minutes),
            (dl.replies, unmoved_draft + Days::new(3)),
        ] {
            prop_assert!(is_working_day(got), "{got} not a working day");
            prop_assert!(got <= unmoved, "{got} after {unmoved}");
            // Moved back by at most a long weekend plus holidays.
            prop_assert!((unmoved - got).num_days() <= 4, "{got} far from {unmoved}");
            // It is the nearest working day on or before: none in between.
            let mut day = got.succ_opt().unwrap();
            while day <= unmoved {
                prop_assert!(!is_working_day(day), "{day} skipped");
                day = day.succ_opt().unwrap();
            }
        }
        prop_assert!(dl.draft_agenda <= dl.replies);
        prop_assert!(dl.replies <= dl.final_agenda);
        prop_assert!(dl.final_agenda < session);
        // Minutes never before a session held on a working day; on the
        // session day itself when the days after it are all off (Thursday
        // 30/04/2043: Friday 1 May, then the weekend).
        if is_working_day(session) {
            prop_assert!(session <= dl.minutes);
        }
    }

    #[test]
    fn easter_is_a_sunday_between_march_22_and_april_25(year in 1900i32..2200) {
        let e = easter_sunday(year);
        prop_assert_eq!(e.weekday(), Weekday::Sun);
        prop_assert!(e >= d(year, 3, 22) && e <= d(year, 4, 25));
        let monday = e.succ_opt().unwrap();
        prop_assert_eq!(holiday_name(monday), Some("Lundi de Pâques"));
        prop_assert!(!is_working_day(monday));
    }
}

/// The reasons the draft agenda of the next session gives for a measure.
fn agenda_reasons(ds: &Dataset, r: Reference, today: NaiveDate) -> Vec<AgendaReason> {
    let sessions = ds.sessions_from(today, 2);
    let next = assll::domain::gts::next_session(today, &sessions)
        .expect("a next session")
        .clone();
    assll::domain::agenda::draft_agenda(ds, &next, None, today)
        .into_iter()
        .find(|i| i.reference == r)
        .map(|i| i.reasons)
        .unwrap_or_default()
}

// ------------------------------------------------------- command boundary
// Every change goes through `command::decide`: the rules below are checked
// there, whatever screen (or client) asks.

use assll::domain::command::{Actor, Command, Context, HouseholdChoice, Role, SessionOp, decide};

fn gip() -> Actor {
    Actor::owner("gip")
}

fn run(ds: &mut Dataset, actor: &Actor, today: NaiveDate, cmd: Command) -> Result<String, String> {
    let ctx = Context { today, actor };
    let decided = decide(ds, ctx, &cmd).map_err(|r| r.message)?;
    for r in decided.records {
        ds.apply(r);
    }
    Ok(decided.summary)
}

#[test]
fn r_mes_5_a_contract_is_signed_on_a_measure_in_progress_only() {
    let mut ds = base();
    let r = add_waiting(&mut ds, referral(1, 1, 6, d(2026, 3, 2)));
    let sign = |date| Command::SignContract { reference: r, date };
    let e = run(&mut ds, &gip(), d(2026, 4, 1), sign(d(2026, 4, 1))).unwrap_err();
    assert!(e.contains("en attente"), "{e}");
    assert_eq!(ds.measures[&r].contract, Contract::Pending);
    let r2 = add_started(&mut ds, referral(2, 2, 6, d(2026, 3, 2)), d(2026, 3, 10));
    let sign2 = Command::SignContract {
        reference: r2,
        date: d(2026, 3, 20),
    };
    run(&mut ds, &gip(), d(2026, 4, 1), sign2).unwrap();
    assert_eq!(ds.measures[&r2].contract, Contract::Signed(d(2026, 3, 20)));
}

#[test]
fn r_mes_8_a_fact_checked_again_replaces_the_older_check() {
    let mut ds = base();
    let r = add_started(&mut ds, referral(1, 1, 6, d(2026, 3, 2)), d(2026, 3, 10));
    for (value, day) in [("1 800 €", 1), ("1 240 €", 12)] {
        let cmd = Command::CheckFact {
            reference: r,
            label: "dette".into(),
            value: value.into(),
            date: d(2026, 5, day),
        };
        run(&mut ds, &gip(), d(2026, 5, 20), cmd).unwrap();
    }
    let facts = &ds.measures[&r].checked_facts;
    assert_eq!(facts.len(), 1, "{facts:?}");
    assert_eq!(facts[0].value, "1 240 €");
    assert_eq!(facts[0].checked_on, d(2026, 5, 12));
}

#[test]
fn r_cap_3_a_transfer_goes_through_the_domain_and_keeps_the_order() {
    let mut ds = base();
    let r = add_waiting(&mut ds, referral(1, 1, 6, d(2026, 3, 2)));
    let cmd = Command::TransferReferral {
        reference: r,
        to: SectorId(3),
    };
    run(&mut ds, &gip(), d(2026, 4, 1), cmd.clone()).unwrap();
    assert_eq!(ds.referrals[&r].sector, SectorId(3));
    assert_eq!(ds.measures[&r].sector, SectorId(3));
    assert_eq!(ds.referrals[&r].referral_date, d(2026, 3, 2));
    let e = run(&mut ds, &gip(), d(2026, 4, 1), cmd).unwrap_err();
    assert!(e.contains("R-CAP-3"), "{e}");
}

#[test]
fn r_elig_2_a_referral_for_a_protected_household_is_refused_at_creation() {
    let mut ds = base();
    let mut h = household(1, 6);
    h.judicial_protection = true;
    ds.apply(Record::Household(h));
    let cmd = Command::CreateReferral {
        household: HouseholdChoice::Existing(HouseholdId(1)),
        referral: referral(0, 0, 6, d(2026, 3, 2)),
    };
    let e = run(&mut ds, &gip(), d(2026, 4, 1), cmd).unwrap_err();
    assert!(e.contains("R-ELIG-2"), "{e}");
    assert!(ds.referrals.is_empty());
}

#[test]
fn r_ref_5_the_reference_and_household_id_are_given_when_the_command_runs() {
    let mut ds = base();
    add_waiting(&mut ds, referral(7, 1, 6, d(2026, 3, 2)));
    let cmd = Command::CreateReferral {
        household: HouseholdChoice::New(household(0, 6)),
        referral: referral(0, 0, 6, d(2026, 3, 5)),
    };
    // Two clients asking at once: each gets its own reference.
    run(&mut ds, &gip(), d(2026, 4, 1), cmd.clone()).unwrap();
    run(&mut ds, &gip(), d(2026, 4, 1), cmd).unwrap();
    let refs: Vec<u32> = ds.referrals.keys().map(|r| r.number).collect();
    assert_eq!(refs, vec![7, 8, 9]);
    let ids: Vec<u32> = ds.households.keys().map(|h| h.0).collect();
    assert_eq!(ids, vec![1, 2, 3]);
}

#[test]
fn r_gts_1_restoring_a_cancelled_session_needs_a_reason_kept_in_its_note() {
    let mut ds = base();
    let cancel = Command::Session {
        year: 2026,
        month: 8,
        op: SessionOp::Cancel {
            note: "août".into(),
        },
    };
    run(&mut ds, &gip(), d(2026, 7, 1), cancel).unwrap();
    assert!(ds.sessions[&(2026, 8)].cancelled);
    let restore = |note: &str| Command::Session {
        year: 2026,
        month: 8,
        op: SessionOp::Restore { note: note.into() },
    };
    assert!(run(&mut ds, &gip(), d(2026, 7, 2), restore(" ")).is_err());
    run(&mut ds, &gip(), d(2026, 7, 2), restore("quorum trouvé")).unwrap();
    let s = &ds.sessions[&(2026, 8)];
    assert!(!s.cancelled);
    assert!(s.note.ends_with("rétablie : quorum trouvé"), "{}", s.note);
}

#[test]
fn undo_is_refused_once_someone_else_changed_the_record() {
    let mut ds = base();
    let r = add_waiting(&mut ds, referral(1, 1, 6, d(2026, 3, 2)));
    let before = vec![Record::Measure(ds.measures[&r].clone())];
    let start = Command::StartMeasure {
        reference: r,
        worker: WorkerId(6),
        sector: SectorId(6),
        out_of_order_reason: None,
    };
    run(&mut ds, &gip(), d(2026, 4, 1), start).unwrap();
    let after = vec![Record::Measure(ds.measures[&r].clone())];
    // Somebody signs the contract meanwhile.
    let sign = Command::SignContract {
        reference: r,
        date: d(2026, 4, 1),
    };
    run(&mut ds, &gip(), d(2026, 4, 1), sign).unwrap();
    let revert = Command::Revert {
        label: "démarrage".into(),
        before,
        after,
    };
    let e = run(&mut ds, &gip(), d(2026, 4, 1), revert).unwrap_err();
    assert!(e.contains("a changé"), "{e}");
    assert!(ds.measures[&r].is_in_progress());
}

#[test]
fn roles_a_worker_edits_its_own_sector_only_and_readers_never_write() {
    let mut ds = base();
    let mine = add_started(&mut ds, referral(1, 1, 6, d(2026, 3, 2)), d(2026, 3, 10));
    let other = add_started(&mut ds, referral(2, 2, 3, d(2026, 3, 2)), d(2026, 3, 10));
    let ts = Actor {
        name: "ts6".into(),
        role: Role::Worker {
            worker: WorkerId(6),
        },
    };
    let sign = |reference| Command::SignContract {
        reference,
        date: d(2026, 3, 20),
    };
    run(&mut ds, &ts, d(2026, 4, 1), sign(mine)).unwrap();
    let e = run(&mut ds, &ts, d(2026, 4, 1), sign(other)).unwrap_err();
    assert!(e.starts_with("Refusé"), "{e}");
    assert_eq!(ds.measures[&other].contract, Contract::Pending);
    // Nor the GTS, nor another sector's list.
    let gts = Command::Session {
        year: 2026,
        month: 4,
        op: SessionOp::SendDraft,
    };
    assert!(run(&mut ds, &ts, d(2026, 4, 1), gts).is_err());
    for role in [Role::EmployerRep, Role::ReadOnly] {
        let reader = Actor {
            name: "lecteur".into(),
            role,
        };
        assert!(run(&mut ds, &reader, d(2026, 4, 1), sign(mine)).is_err());
    }
    assert!(ts.sees_household(&ds, HouseholdId(1)));
    assert!(!ts.sees_household(&ds, HouseholdId(2)));
}

/// A measure due at the GTS of Thursday 19/11/2026 (planned end 25/11),
/// and the session prepared on its day with everyone present.
fn november_meeting() -> (Dataset, Reference) {
    let mut ds = base();
    let r = add_started(&mut ds, referral(1, 1, 6, d(2026, 5, 4)), d(2026, 5, 25));
    assert_eq!(ds.measures[&r].planned_end, Some(d(2026, 11, 25)));
    meeting_with_everyone(&mut ds, d(2026, 11, 19));
    assert!(ds.sessions[&(2026, 11)].attendance.len() > 3);
    (ds, r)
}

/// The session of `day`'s month prepared on its day, everyone present.
fn meeting_with_everyone(ds: &mut Dataset, day: NaiveDate) {
    let (year, month) = (day.year() as u16, day.month() as u8);
    let session = |op| Command::Session { year, month, op };
    run(ds, &gip(), day, session(SessionOp::Prepare)).unwrap();
    let n = ds.sessions[&(year, month)].attendance.len();
    for index in 0..n {
        let op = SessionOp::SetPresent {
            index,
            present: true,
        };
        run(ds, &gip(), day, session(op)).unwrap();
    }
}

#[test]
fn r_gts_1_the_meeting_is_not_held_before_its_day() {
    let mut ds = base();
    add_started(&mut ds, referral(1, 1, 6, d(2026, 5, 4)), d(2026, 5, 25));
    let prepare = Command::Session {
        year: 2026,
        month: 11,
        op: SessionOp::Prepare,
    };
    let e = run(&mut ds, &gip(), d(2026, 11, 18), prepare.clone()).unwrap_err();
    assert!(e.contains("19/11/2026") && e.contains("R-GTS-1"), "{e}");
    assert!(!ds.sessions.contains_key(&(2026, 11)));
    run(&mut ds, &gip(), d(2026, 11, 19), prepare).unwrap();
    assert!(ds.sessions.contains_key(&(2026, 11)));
}

#[test]
fn r_elig_2_renewal_of_a_household_under_protection_is_refused_at_the_gts() {
    let (mut ds, r) = november_meeting();
    let h = ds.measures[&r].household;
    ds.households.get_mut(&h).unwrap().judicial_protection = true;
    let decide_on = |decision| Command::Session {
        year: 2026,
        month: 11,
        op: SessionOp::Decide {
            reference: r,
            decision,
            colleague: None,
        },
    };
    let e = run(
        &mut ds,
        &gip(),
        d(2026, 11, 19),
        decide_on(Decision::Renew { months: 3 }),
    )
    .unwrap_err();
    assert!(e.contains("R-ELIG-2"), "{e}");
    assert!(ds.sessions[&(2026, 11)].decisions.is_empty());
    // Stopping it is what the GTS can decide.
    run(&mut ds, &gip(), d(2026, 11, 19), decide_on(Decision::Stop)).unwrap();
    assert_eq!(ds.sessions[&(2026, 11)].decisions.len(), 1);
}

#[test]
fn r_gts_6_the_worker_in_charge_presents_only_when_present() {
    let (mut ds, r) = november_meeting();
    let worker = ds.worker_name(ds.measures[&r].worker).to_string();
    let row = ds.sessions[&(2026, 11)]
        .attendance
        .iter()
        .position(|a| a.name == worker)
        .expect("the worker is on the proposed attendance");
    let session = |op| Command::Session {
        year: 2026,
        month: 11,
        op,
    };
    let absent = SessionOp::SetPresent {
        index: row,
        present: false,
    };
    run(&mut ds, &gip(), d(2026, 11, 19), session(absent)).unwrap();
    let stop = |colleague: Option<&str>| {
        session(SessionOp::Decide {
            reference: r,
            decision: Decision::Stop,
            colleague: colleague.map(String::from),
        })
    };
    let e = run(&mut ds, &gip(), d(2026, 11, 19), stop(None)).unwrap_err();
    assert!(e.contains(&worker) && e.contains("R-GTS-6"), "{e}");
    let e = run(&mut ds, &gip(), d(2026, 11, 19), stop(Some("M. Inconnu"))).unwrap_err();
    assert!(e.contains("M. Inconnu n'est pas noté·e présent·e"), "{e}");
    // A postponement needs nobody to present it.
    let later = session(SessionOp::Decide {
        reference: r,
        decision: Decision::Postpone {
            reason: "TS absente".into(),
        },
        colleague: None,
    });
    run(&mut ds, &gip(), d(2026, 11, 19), later).unwrap();
    // A colleague present (here the CAF's representative) presents it.
    run(&mut ds, &gip(), d(2026, 11, 19), stop(Some("CAF"))).unwrap();
    let d0 = &ds.sessions[&(2026, 11)].decisions[0];
    assert_eq!(d0.decision, Decision::Stop);
    assert_eq!(d0.presented_by_colleague.as_deref(), Some("CAF"));
}

#[test]
fn r_mes_2_three_attempts_and_a_home_visit_both_needed() {
    let mut ds = base();
    let r = add_started(&mut ds, referral(1, 1, 6, d(2026, 3, 2)), d(2026, 3, 10));
    let check = |ds: &Dataset| {
        compliance(&ds.measures[&r], &ds.referrals[&r], d(2026, 3, 20)).attempts_met()
    };
    for day in [11, 12, 13] {
        log(
            &mut ds,
            r,
            event(d(2026, 3, day), EventKind::Phone, Party::Household),
        );
    }
    // Three attempts, none at home: not met (was shown ✓ by the meeting).
    assert!(!check(&ds));
    log(
        &mut ds,
        r,
        event(d(2026, 3, 14), EventKind::HomeVisit, Party::Household),
    );
    assert!(check(&ds));
}

#[test]
fn r_mes_3_more_than_fifteen_days_without_a_meeting_is_not_met() {
    let mut ds = base();
    let r = add_started(&mut ds, referral(1, 1, 6, d(2026, 3, 2)), d(2026, 3, 10));
    log(
        &mut ds,
        r,
        event(d(2026, 3, 12), EventKind::MeetingMds, Party::Household),
    );
    let met = |today| compliance(&ds.measures[&r], &ds.referrals[&r], today).meetings_met();
    assert!(met(d(2026, 3, 27)));
    // 16 days (the meeting screen used to allow 30).
    assert!(!met(d(2026, 3, 28)));
}

// ------------------------------------------- R-MES-2: correcting a contact
// A contact logged by mistake is corrected where it stands (what the rules
// count follows it) and keeps who corrected it, when, and what it was.

fn correct(
    ds: &mut Dataset,
    actor: &Actor,
    today: NaiveDate,
    reference: Reference,
    index: usize,
    change: impl FnOnce(&mut LogEntry),
) -> Result<String, String> {
    let was = ds.measures[&reference].events[index].clone();
    let mut entry = was.clone();
    change(&mut entry);
    run(
        ds,
        actor,
        today,
        Command::CorrectEvent {
            reference,
            was,
            entry,
        },
    )
}

/// A measure started 01/10/2026 with three attempts, the third a home
/// visit, and the landlord and the requester (the referring worker)
/// contacted.
fn three_attempts() -> (Dataset, Reference) {
    let mut ds = base();
    let reference = add_started(&mut ds, referral(1, 1, 6, d(2026, 9, 1)), d(2026, 10, 1));
    for (day, kind, with) in [
        (2, EventKind::Phone, Party::Household),
        (5, EventKind::Letter, Party::Household),
        (8, EventKind::HomeVisit, Party::Household),
        (9, EventKind::Phone, Party::Landlord),
        (9, EventKind::Phone, Party::ReferringWorker),
    ] {
        log(&mut ds, reference, event(d(2026, 10, day), kind, with));
    }
    (ds, reference)
}

#[test]
fn r_mes_2_a_corrected_contact_counts_as_its_new_type() {
    let (mut ds, r) = three_attempts();
    let today = d(2026, 11, 2);
    assert!(alerts_of(&ds, today, "R-MES-2", r).is_empty());
    // The « home visit » was a phone call.
    let said = correct(&mut ds, &gip(), today, r, 2, |e| e.kind = EventKind::Phone).unwrap();
    assert_eq!(
        said,
        "contact corrigé (2026-0001) : visite à domicile (ménage) du 08/10/2026 \
         devient appel téléphonique (ménage) du 08/10/2026"
    );
    let me = &ds.measures[&r];
    assert!(!me.has_home_visit());
    assert_eq!(me.contact_attempts(), 3);
    let a = alerts_of(&ds, today, "R-MES-2", r);
    assert_eq!(a.len(), 1);
    assert!(
        a[0].message.contains("pas de visite à domicile"),
        "{}",
        a[0].message
    );
    // And the letter was a visit at home after all.
    correct(&mut ds, &gip(), today, r, 1, |e| {
        e.kind = EventKind::HomeVisit
    })
    .unwrap();
    assert!(ds.measures[&r].has_home_visit());
    assert!(alerts_of(&ds, today, "R-MES-2", r).is_empty());
}

#[test]
fn r_mes_2_a_contact_corrected_to_another_party_is_no_longer_an_attempt() {
    let (mut ds, r) = three_attempts();
    let today = d(2026, 11, 2);
    correct(&mut ds, &gip(), today, r, 0, |e| e.with = Party::Requester).unwrap();
    let me = &ds.measures[&r];
    assert_eq!(me.contact_attempts(), 2);
    assert_eq!(
        me.first_contact_with(Party::Requester),
        Some(d(2026, 10, 2))
    );
    let a = alerts_of(&ds, today, "R-MES-2", r);
    assert!(
        a[0].message.contains("sollicitations 2/3"),
        "{}",
        a[0].message
    );
}

#[test]
fn r_mes_2_a_correction_keeps_who_when_and_what_it_was() {
    let (mut ds, r) = three_attempts();
    let was = ds.measures[&r].events[2].clone();
    correct(&mut ds, &gip(), d(2026, 10, 20), r, 2, |e| {
        e.kind = EventKind::MeetingHome;
        e.note = "  rencontre, pas une simple visite ".into();
    })
    .unwrap();
    correct(&mut ds, &gip(), d(2026, 10, 21), r, 2, |e| {
        e.date = d(2026, 10, 7);
    })
    .unwrap();
    let e = &ds.measures[&r].events[2];
    assert_eq!((e.kind, e.date), (EventKind::MeetingHome, d(2026, 10, 7)));
    assert_eq!(e.note, "rencontre, pas une simple visite");
    // Logged by « ts », corrected by the GIP: the author stays.
    assert_eq!(e.author, "ts");
    let history: Vec<_> = e.history().collect();
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[0].0.by.as_str(), history[0].0.on),
        ("gip", d(2026, 10, 21))
    );
    assert_eq!(history[0].1.date, d(2026, 10, 8));
    assert_eq!(
        (history[1].0.by.as_str(), history[1].0.on),
        ("gip", d(2026, 10, 20))
    );
    assert_eq!(history[1].1, &was);
}

#[test]
fn r_mes_2_only_the_author_or_the_gip_may_correct_a_contact() {
    let (mut ds, r) = three_attempts(); // entries logged by « ts »
    let other = add_started(&mut ds, referral(2, 2, 3, d(2026, 9, 1)), d(2026, 10, 1));
    log(
        &mut ds,
        other,
        event(d(2026, 10, 2), EventKind::Phone, Party::Household),
    );
    let ts6 = Actor {
        name: "ts6".into(),
        role: Role::Worker {
            worker: WorkerId(6),
        },
    };
    let today = d(2026, 11, 2);
    // A colleague's entry, in its own sector: refused, with who may.
    let e = correct(&mut ds, &ts6, today, r, 0, |e| e.kind = EventKind::Letter).unwrap_err();
    assert!(
        e.starts_with("Refusé") && e.contains("ts") && e.contains("GIP"),
        "{e}"
    );
    assert_eq!(ds.measures[&r].events[0].kind, EventKind::Phone);
    // Its own entry: corrected.
    log(
        &mut ds,
        r,
        LogEntry {
            author: "ts6".into(),
            ..event(d(2026, 10, 20), EventKind::Letter, Party::Household)
        },
    );
    let mine = ds.measures[&r].events.len() - 1;
    correct(&mut ds, &ts6, today, r, mine, |e| e.kind = EventKind::Phone).unwrap();
    // Another sector's file: refused; readers: refused.
    assert!(
        correct(&mut ds, &ts6, today, other, 0, |e| e.kind =
            EventKind::Letter)
        .is_err()
    );
    for role in [Role::EmployerRep, Role::ReadOnly] {
        let reader = Actor {
            name: "ts".into(),
            role,
        };
        assert!(
            correct(&mut ds, &reader, today, r, 0, |e| e.kind =
                EventKind::Letter)
            .is_err()
        );
    }
    // The GIP corrects anyone's.
    correct(&mut ds, &gip(), today, r, 0, |e| e.kind = EventKind::Letter).unwrap();
}

#[test]
fn r_mes_2_a_correction_is_refused_when_nothing_changes_or_the_entry_changed_since() {
    let (mut ds, r) = three_attempts();
    let today = d(2026, 11, 2);
    let e = correct(&mut ds, &gip(), today, r, 0, |e| e.note = " ".into()).unwrap_err();
    assert!(e.contains("Rien à corriger"), "{e}");
    // Someone changed the entry after it was shown: refused, not guessed.
    let shown = ds.measures[&r].events[0].clone();
    correct(&mut ds, &gip(), today, r, 0, |e| {
        e.note = "appel manqué".into()
    })
    .unwrap();
    let mut entry = shown.clone();
    entry.kind = EventKind::Letter;
    let cmd = Command::CorrectEvent {
        reference: r,
        was: shown,
        entry,
    };
    let e = run(&mut ds, &gip(), today, cmd).unwrap_err();
    assert!(e.contains("modifié entre-temps"), "{e}");
    // A date in the future, or before the start: refused on the date.
    let ctx = Context {
        today,
        actor: &gip(),
    };
    for date in [d(2026, 11, 3), d(2026, 9, 30)] {
        let was = ds.measures[&r].events[1].clone();
        let entry = LogEntry {
            date,
            ..was.clone()
        };
        let refusal = decide(
            &ds,
            ctx,
            &Command::CorrectEvent {
                reference: r,
                was,
                entry,
            },
        )
        .unwrap_err();
        assert_eq!(refusal.field, Some("date"), "{}", refusal.message);
    }
}

#[test]
fn r_mes_3_a_corrected_meeting_date_moves_the_last_meeting() {
    let mut ds = base();
    let r = add_started(&mut ds, referral(1, 1, 6, d(2026, 9, 1)), d(2026, 10, 1));
    log(
        &mut ds,
        r,
        event(d(2026, 10, 5), EventKind::MeetingMds, Party::Household),
    );
    log(
        &mut ds,
        r,
        event(d(2026, 10, 12), EventKind::Phone, Party::Household),
    );
    let today = d(2026, 10, 28);
    assert_eq!(alerts_of(&ds, today, "R-MES-3", r).len(), 1);
    // The meeting was on the 20th, not the 5th: the log stays in date order.
    correct(&mut ds, &gip(), today, r, 0, |e| e.date = d(2026, 10, 20)).unwrap();
    let me = &ds.measures[&r];
    assert_eq!(me.last_meeting(), Some(d(2026, 10, 20)));
    assert_eq!(me.events[1].kind, EventKind::MeetingMds);
    assert!(alerts_of(&ds, today, "R-MES-3", r).is_empty());
}

// ------------------------------------------------ R-MES-7: hand-over, moves

#[test]
fn r_mes_7_a_measure_handed_over_counts_in_the_sector_its_new_worker_carries() {
    let mut ds = base();
    let r = add_started(&mut ds, referral(1, 1, 6, d(2026, 3, 2)), d(2026, 3, 10));
    assert_eq!(ds.load_of(SectorId(6)), 1);
    // The worker of sector 2 serves sector 2 only: the measure goes with
    // her into sector 2's load (R-CAP-2).
    let cmd = |worker| Command::HandOver {
        reference: r,
        worker: WorkerId(worker),
    };
    run(&mut ds, &gip(), d(2026, 4, 1), cmd(2)).unwrap();
    assert_eq!(ds.measures[&r].worker, Some(WorkerId(2)));
    assert_eq!(ds.measures[&r].sector, SectorId(2));
    assert_eq!((ds.load_of(SectorId(6)), ds.load_of(SectorId(2))), (0, 1));
    // Not to the one who has it, not by a worker.
    assert!(run(&mut ds, &gip(), d(2026, 4, 1), cmd(2)).is_err());
    let ts = Actor {
        name: "ts2".into(),
        role: Role::Worker {
            worker: WorkerId(2),
        },
    };
    let e = run(&mut ds, &ts, d(2026, 4, 1), cmd(6)).unwrap_err();
    assert!(e.contains("n'a pas le droit"), "{e}");
    // A waiting measure is not handed over: it is started.
    let w = add_waiting(&mut ds, referral(2, 2, 6, d(2026, 3, 2)));
    let e = run(
        &mut ds,
        &gip(),
        d(2026, 4, 1),
        Command::HandOver {
            reference: w,
            worker: WorkerId(3),
        },
    )
    .unwrap_err();
    assert!(e.contains("en attente"), "{e}");
}

#[test]
fn r_mes_7_a_household_changing_sector_keeps_its_measure_with_its_worker() {
    let mut ds = base();
    let started = add_started(&mut ds, referral(1, 1, 6, d(2026, 3, 2)), d(2026, 3, 10));
    let waiting = add_waiting(&mut ds, referral(2, 1, 6, d(2026, 2, 1)));
    let cmd = Command::MoveHousehold {
        household: HouseholdId(1),
        to: SectorId(3),
    };
    run(&mut ds, &gip(), d(2026, 4, 1), cmd.clone()).unwrap();
    assert_eq!(ds.households[&HouseholdId(1)].sector, SectorId(3));
    // The measure in progress stays in its worker's load (R-MES-7)…
    assert_eq!(ds.measures[&started].sector, SectorId(6));
    assert_eq!(ds.measures[&started].worker, Some(WorkerId(6)));
    // … the waiting referral follows, with its date (R-REF-5).
    assert_eq!(ds.referrals[&waiting].sector, SectorId(3));
    assert_eq!(ds.referrals[&waiting].referral_date, d(2026, 2, 1));
    assert_eq!(ds.waiting_list(SectorId(3))[0].reference, waiting);
    // Moving it where it is already is said.
    assert!(run(&mut ds, &gip(), d(2026, 4, 1), cmd).is_err());
}

#[test]
fn r_diag_2_a_returned_diagnostic_is_stopped_and_r_diag_3_its_measure_starts_at_once() {
    let mut ds = base();
    let older = add_waiting(&mut ds, referral(1, 1, 6, d(2025, 6, 1)));
    let diag = add_started(&mut ds, diagnostic(2, 2, 6, d(2026, 9, 1)), d(2026, 9, 5));
    let ret = |follow_on| Command::ReturnDiagnostic {
        reference: diag,
        date: d(2026, 10, 20),
        follow_on,
    };
    // The measure after it needs objectives (R-REF-2) and 1–6 months (R-MES-1).
    let e = run(&mut ds, &gip(), d(2026, 10, 20), ret(Some((Vec::new(), 6)))).unwrap_err();
    assert!(e.contains("objectif"), "{e}");
    let e = run(
        &mut ds,
        &gip(),
        d(2026, 10, 20),
        ret(Some((vec![Objective::Rehousing], 9))),
    )
    .unwrap_err();
    assert!(e.contains("R-MES-1"), "{e}");
    assert!(ds.measures[&diag].is_in_progress());
    run(
        &mut ds,
        &gip(),
        d(2026, 10, 20),
        ret(Some((vec![Objective::Rehousing], 4))),
    )
    .unwrap();
    assert!(matches!(
        &ds.measures[&diag].status,
        MeasureStatus::Stopped { date, reason }
            if *date == d(2026, 10, 20) && reason.contains("rendu")
    ));
    // R-DIAG-3: the measure is in progress with the diagnostic's worker, in
    // front of the older waiting referral, which still waits.
    let after = Reference::new(2026, 3);
    let m = &ds.measures[&after];
    assert!(m.is_in_progress());
    assert_eq!(m.worker, ds.measures[&diag].worker);
    assert_eq!(m.start, Some(d(2026, 10, 20)));
    assert_eq!(m.planned_end, Some(d(2027, 2, 20)));
    assert_eq!(ds.referrals[&after].after_diagnostic, Some(diag));
    assert!(ds.measures[&older].is_waiting());
    // Returned once: not twice, and an ordinary measure is no diagnostic.
    assert!(run(&mut ds, &gip(), d(2026, 10, 21), ret(None)).is_err());
    let e = run(
        &mut ds,
        &gip(),
        d(2026, 10, 21),
        Command::ReturnDiagnostic {
            reference: after,
            date: d(2026, 10, 21),
            follow_on: None,
        },
    )
    .unwrap_err();
    assert!(e.contains("n'est pas un diagnostic"), "{e}");
}

#[test]
fn a_household_edit_keeps_its_sector_and_protection_and_needs_a_name() {
    let mut ds = base();
    add_waiting(&mut ds, referral(1, 1, 6, d(2026, 3, 2)));
    let mut h = ds.households[&HouseholdId(1)].clone();
    h.referring_worker = "Mme Texier (MDS)".into();
    // Sector and protection go through their own commands (R-MES-7, R-ELIG-2).
    h.sector = SectorId(2);
    h.judicial_protection = true;
    run(
        &mut ds,
        &gip(),
        d(2026, 4, 1),
        Command::EditHousehold {
            household: h.clone(),
        },
    )
    .unwrap();
    let now = &ds.households[&HouseholdId(1)];
    assert_eq!(now.referring_worker, "Mme Texier (MDS)");
    assert_eq!((now.sector, now.judicial_protection), (SectorId(6), false));
    h.last_name = " ".into();
    let e = run(
        &mut ds,
        &gip(),
        d(2026, 4, 1),
        Command::EditHousehold { household: h },
    )
    .unwrap_err();
    assert!(e.contains("nom obligatoire"), "{e}");
}

// ------------------------------------------------- reference data (GIP)

fn reader() -> Actor {
    Actor {
        name: "lecteur".into(),
        role: Role::ReadOnly,
    }
}

#[test]
fn r_cap_1_capacity_follows_an_edited_fte_and_norm() {
    let mut ds = base();
    let today = d(2026, 11, 27);
    let mut cognac = ds.sectors[&SectorId(6)].clone();
    assert_eq!(cognac.capacity(&ds.norms), 30);
    cognac.fte_hundredths = assll::domain::refdata::parse_fte("1,5").unwrap();
    let said = run(
        &mut ds,
        &gip(),
        today,
        Command::EditSector {
            sector: cognac.clone(),
        },
    )
    .unwrap();
    assert!(said.contains("1,5 ETP"), "{said}");
    assert_eq!(ds.sectors[&SectorId(6)].capacity(&ds.norms), 45);
    let norms = assll::domain::Norms {
        urban: 20,
        rural: 28,
    };
    run(&mut ds, &gip(), today, Command::EditNorms { norms }).unwrap();
    assert_eq!(ds.sectors[&SectorId(6)].capacity(&ds.norms), 30);
    let loads = ds.sector_loads(today);
    assert_eq!(loads[5].capacity, 30);
    assert_eq!(loads[0].capacity, 14, "a rural sector keeps its norm");
}

#[test]
fn r_cap_2_a_fte_below_the_load_is_accepted_as_over_capacity() {
    let mut ds = base();
    let today = d(2026, 11, 27);
    for i in 1..=3 {
        add_started(&mut ds, referral(i, i, 1, d(2026, 3, 2)), d(2026, 3, 10));
    }
    let mut s = ds.sectors[&SectorId(1)].clone();
    s.fte_hundredths = 5; // 0,05 ETP × 28 = 1 place
    run(&mut ds, &gip(), today, Command::EditSector { sector: s }).unwrap();
    let l = &ds.sector_loads(today)[0];
    assert_eq!((l.load, l.capacity), (3, 1));
    assert!(l.over_capacity());
}

#[test]
fn r_cap_1_impossible_reference_data_is_refused_in_french() {
    let mut ds = base();
    let today = d(2026, 11, 27);
    // FTE 11: refused, by the same function as `assll check`.
    assert!(
        assll::domain::refdata::parse_fte("11")
            .unwrap_err()
            .contains("de 0 à 10 ETP")
    );
    let mut s = ds.sectors[&SectorId(6)].clone();
    s.fte_hundredths = 1100;
    let e = run(&mut ds, &gip(), today, Command::EditSector { sector: s }).unwrap_err();
    assert!(e.contains("11 ETP refusé : de 0 à 10 ETP"), "{e}");
    let mut copy = ds.clone();
    copy.sectors.get_mut(&SectorId(6)).unwrap().fte_hundredths = 1100;
    assert!(
        assll::check::check(&copy)
            .iter()
            .any(|f| f.message.contains("11 ETP refusé : de 0 à 10 ETP"))
    );
    // Norms 0.
    let zero = assll::domain::Norms {
        urban: 0,
        rural: 28,
    };
    let e = run(&mut ds, &gip(), today, Command::EditNorms { norms: zero }).unwrap_err();
    assert!(e.contains("norme nulle refusée"), "{e}");
    assert_eq!(ds.norms, assll::domain::Norms::default());
    // An unknown sector, an empty name.
    let mut ghost = ds.sectors[&SectorId(6)].clone();
    ghost.id = SectorId(42);
    let e = run(
        &mut ds,
        &gip(),
        today,
        Command::EditSector { sector: ghost },
    )
    .unwrap_err();
    assert!(e.contains("secteur n° 42 inconnu"), "{e}");
    let mut unnamed = ds.sectors[&SectorId(6)].clone();
    unnamed.name = "  ".into();
    let e = run(
        &mut ds,
        &gip(),
        today,
        Command::EditSector { sector: unnamed },
    )
    .unwrap_err();
    assert!(e.contains("nom du secteur obligatoire"), "{e}");
}

#[test]
fn workers_are_added_and_edited_with_unique_logins_and_at_least_one_sector() {
    let mut ds = base();
    let today = d(2026, 11, 27);
    ds.workers.get_mut(&WorkerId(1)).unwrap().login = "mlaurent".into();
    let new = Worker {
        id: WorkerId(0),
        name: " Mme Nouvelle ".into(),
        employer: Employer::Caf,
        sectors: vec![SectorId(6)],
        fte_hundredths: 50,
        login: "mnouvelle".into(),
        arrived: None,
        left: None,
    };
    let said = run(
        &mut ds,
        &gip(),
        today,
        Command::AddWorker {
            worker: new.clone(),
        },
    )
    .unwrap();
    assert!(said.contains("Mme Nouvelle ajouté·e (Cognac)"), "{said}");
    let added = ds.workers[&WorkerId(10)].clone();
    assert_eq!(added.name, "Mme Nouvelle");
    // Login taken, no sector, unknown sector, empty name, FTE 11.
    let mut taken = added.clone();
    taken.login = "mlaurent".into();
    let e = run(
        &mut ds,
        &gip(),
        today,
        Command::EditWorker { worker: taken },
    )
    .unwrap_err();
    assert!(e.contains("« mlaurent » déjà pris par TS 1"), "{e}");
    let mut none = added.clone();
    none.sectors.clear();
    let e = run(&mut ds, &gip(), today, Command::EditWorker { worker: none }).unwrap_err();
    assert!(e.contains("au moins un secteur"), "{e}");
    let mut unknown = added.clone();
    unknown.sectors = vec![SectorId(77)];
    let e = run(
        &mut ds,
        &gip(),
        today,
        Command::EditWorker { worker: unknown },
    )
    .unwrap_err();
    assert!(e.contains("secteur n° 77 inconnu"), "{e}");
    let mut unnamed = new.clone();
    unnamed.name = String::new();
    let e = run(
        &mut ds,
        &gip(),
        today,
        Command::AddWorker { worker: unnamed },
    )
    .unwrap_err();
    assert!(e.contains("nom obligatoire"), "{e}");
    let mut big = added.clone();
    big.fte_hundredths = 1100;
    let e = run(&mut ds, &gip(), today, Command::EditWorker { worker: big }).unwrap_err();
    assert!(e.contains("de 0 à 10 ETP"), "{e}");
    // Its own login again is no clash; a change is saved.
    let mut moved = added.clone();
    moved.sectors = vec![SectorId(6), SectorId(8)];
    run(
        &mut ds,
        &gip(),
        today,
        Command::EditWorker { worker: moved },
    )
    .unwrap();
    assert_eq!(ds.workers[&WorkerId(10)].sectors.len(), 2);
}

#[test]
fn only_the_gip_edits_the_reference_data() {
    let mut ds = base();
    let today = d(2026, 11, 27);
    let ts = Actor {
        name: "ts6".into(),
        role: Role::Worker {
            worker: WorkerId(6),
        },
    };
    let cmds = [
        Command::EditSector {
            sector: ds.sectors[&SectorId(6)].clone(),
        },
        Command::EditNorms {
            norms: assll::domain::Norms::default(),
        },
        Command::AddWorker {
            worker: ds.workers[&WorkerId(6)].clone(),
        },
        Command::EditWorker {
            worker: ds.workers[&WorkerId(6)].clone(),
        },
        Command::ConfirmCommuneSector {
            insee: "16102".into(),
            name: "Cognac".into(),
            sector: Some(SectorId(6)),
        },
        Command::SetGtsMembers { members: vec![] },
    ];
    for cmd in cmds {
        for who in [&ts, &reader()] {
            let before = ds.clone();
            let e = run(&mut ds, who, today, cmd.clone()).unwrap_err();
            assert!(e.contains("n'a pas le droit"), "{e}");
            assert_eq!(ds, before);
        }
        run(&mut ds, &gip(), today, cmd).unwrap();
    }
}

#[test]
fn the_gip_confirms_a_communes_sector_which_then_wins_over_the_suggestion() {
    let mut ds = base();
    let today = d(2026, 11, 27);
    let jarnac = assll::communes::by_name("Jarnac").unwrap();
    assert_eq!(
        assll::communes::suggest_sector_for(jarnac),
        Some(SectorId(8))
    );
    run(
        &mut ds,
        &gip(),
        today,
        Command::ConfirmCommuneSector {
            insee: jarnac.insee.clone(),
            name: jarnac.name.clone(),
            sector: Some(SectorId(6)),
        },
    )
    .unwrap();
    assert_eq!(
        assll::communes::effective_sector(&ds.commune_sectors, "jarnac"),
        Some(SectorId(6))
    );
    // Back to the suggestion; an unknown sector is refused.
    run(
        &mut ds,
        &gip(),
        today,
        Command::ConfirmCommuneSector {
            insee: jarnac.insee.clone(),
            name: jarnac.name.clone(),
            sector: None,
        },
    )
    .unwrap();
    assert!(ds.commune_sectors.is_empty());
    let e = run(
        &mut ds,
        &gip(),
        today,
        Command::ConfirmCommuneSector {
            insee: jarnac.insee.clone(),
            name: jarnac.name.clone(),
            sector: Some(SectorId(99)),
        },
    )
    .unwrap_err();
    assert!(e.contains("secteur n° 99 inconnu"), "{e}");
}

fn member(name: &str, organisation: &str) -> assll::domain::GtsMember {
    assll::domain::GtsMember {
        name: name.into(),
        organisation: organisation.into(),
    }
}

#[test]
fn r_gts_1_standing_members_replace_the_placeholders_and_chair_for_the_conseil_general() {
    use assll::domain::agenda::{REPRESENTATIVE, default_attendance, meeting_session};
    let mut ds = base();
    let today = d(2026, 11, 27);
    let r = add_started(&mut ds, referral(1, 1, 6, d(2026, 3, 2)), d(2026, 3, 10));
    let mut s = GtsSession::new(2026, 12);
    s.agenda.push(AgendaItem {
        reference: r,
        reasons: vec![AgendaReason::PlannedEnd],
        removed: None,
        reply: None,
        notes: Vec::new(),
    });
    // No members: placeholders, the landlord of the day, the worker.
    let rows: Vec<(String, String)> = default_attendance(&ds, &s)
        .into_iter()
        .map(|a| (a.name, a.organisation))
        .collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(
        rows[0],
        (REPRESENTATIVE.to_string(), "Conseil Général".into())
    );
    assert_eq!(rows[3], (REPRESENTATIVE.to_string(), "Logélia".into()));
    assert_eq!(rows[4], ("TS 6".to_string(), "Conseil Général".into()));
    // Members: by name; a landlord member stands for the landlord of the day.
    let members = vec![
        member("Mme Dumas", "Conseil Général"),
        member("M. Robin", "CAF"),
        member("M. Prévost", "Logélia"),
        member("Mme Lambert", "Noalis"),
    ];
    run(&mut ds, &gip(), today, Command::SetGtsMembers { members }).unwrap();
    let rows: Vec<(String, String)> = default_attendance(&ds, &s)
        .into_iter()
        .map(|a| (a.name, a.organisation))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("Mme Dumas".to_string(), "Conseil Général".to_string()),
            ("M. Robin".into(), "CAF".into()),
            (REPRESENTATIVE.into(), "GIP".into()),
            ("M. Prévost".into(), "Logélia".into()),
            ("Mme Lambert".into(), "Noalis".into()),
            ("TS 6".into(), "Conseil Général".into()),
        ]
    );
    let meeting = meeting_session(&ds, 2026, 12, today);
    assert_eq!(meeting.chair, "Conseil Général — Mme Dumas");
}

#[test]
fn r_gts_1_one_member_per_organisation_with_a_name() {
    let mut ds = base();
    let today = d(2026, 11, 27);
    let e = run(
        &mut ds,
        &gip(),
        today,
        Command::SetGtsMembers {
            members: vec![
                member("Mme Dumas", "Conseil Général"),
                member("M. X", "conseil general"),
            ],
        },
    )
    .unwrap_err();
    assert!(
        e.contains("un·e par employeur et par bailleur (R-GTS-1)"),
        "{e}"
    );
    let e = run(
        &mut ds,
        &gip(),
        today,
        Command::SetGtsMembers {
            members: vec![member(" ", "CAF")],
        },
    )
    .unwrap_err();
    assert!(e.contains("nom du membre obligatoire"), "{e}");
    assert!(ds.gts_members.is_empty());
}

// ------------------------------------------------ format 3: who, and why

#[test]
fn r_mes_7_a_hand_over_is_kept_in_the_measures_history() {
    let mut ds = base();
    let r = add_waiting(&mut ds, referral(1, 1, 6, d(2026, 3, 2)));
    let start = Command::StartMeasure {
        reference: r,
        worker: WorkerId(6),
        sector: SectorId(6),
        out_of_order_reason: None,
    };
    run(&mut ds, &gip(), d(2026, 3, 10), start).unwrap();
    let hand_over = Command::HandOver {
        reference: r,
        worker: WorkerId(7),
    };
    run(&mut ds, &gip(), d(2026, 6, 15), hand_over).unwrap();
    let m = &ds.measures[&r];
    assert_eq!(m.previous_holders.len(), 1);
    let held: Vec<_> = m
        .holdings()
        .iter()
        .map(|h| (h.from, h.worker, h.sector))
        .collect();
    assert_eq!(
        held,
        vec![
            (d(2026, 3, 10), Some(WorkerId(6)), SectorId(6)),
            (d(2026, 6, 15), Some(WorkerId(7)), SectorId(7)),
        ]
    );
    let periods: Vec<_> = m
        .holding_periods()
        .iter()
        .map(|(h, end)| (h.from, *end))
        .collect();
    assert_eq!(
        periods,
        vec![
            (d(2026, 3, 10), Some(d(2026, 6, 15))),
            (d(2026, 6, 15), None)
        ]
    );
    // A hand-over dated before the last one is refused.
    let mut m = ds.measures[&r].clone();
    let e = m
        .hand_over(WorkerId(6), SectorId(6), d(2026, 6, 1))
        .unwrap_err();
    assert!(e.to_string().contains("passation"), "{e}");
}

#[test]
fn r_mes_7_a_worker_who_left_takes_no_new_measure_and_theirs_are_to_hand_over() {
    let mut ds = base();
    let held = add_started(&mut ds, referral(1, 1, 6, d(2026, 3, 2)), d(2026, 3, 10));
    let waiting = add_waiting(&mut ds, referral(2, 2, 6, d(2026, 3, 3)));
    ds.workers.get_mut(&WorkerId(6)).unwrap().left = Some(d(2026, 9, 30));
    let start = |today| {
        let cmd = Command::StartMeasure {
            reference: waiting,
            worker: WorkerId(6),
            sector: SectorId(6),
            out_of_order_reason: None,
        };
        (today, cmd)
    };
    let (today, cmd) = start(d(2026, 10, 1));
    let e = run(&mut ds, &gip(), today, cmd).unwrap_err();
    assert!(e.contains("TS 6 a quitté le service le 30/09/2026"), "{e}");
    assert!(ds.measures[&waiting].is_waiting());
    // Nor is a measure handed over to them.
    let other = add_started(&mut ds, referral(3, 3, 7, d(2026, 3, 2)), d(2026, 3, 10));
    let give = Command::HandOver {
        reference: other,
        worker: WorkerId(6),
    };
    assert!(run(&mut ds, &gip(), d(2026, 10, 1), give).is_err());
    // Theirs is an alert, from the day after they left.
    assert!(alerts_of(&ds, d(2026, 9, 30), "R-MES-7", held).is_empty());
    let a = alerts_of(&ds, d(2026, 10, 1), "R-MES-7", held);
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].severity, Severity::Overdue);
    assert!(a[0].message.contains("à confier"), "{}", a[0].message);
    // On their last day they still start one; not before they arrive.
    let (today, cmd) = start(d(2026, 9, 30));
    run(&mut ds, &gip(), today, cmd).unwrap();
    ds.workers.get_mut(&WorkerId(7)).unwrap().arrived = Some(d(2027, 1, 4));
    let later = add_waiting(&mut ds, referral(4, 4, 7, d(2026, 3, 2)));
    let early = Command::StartMeasure {
        reference: later,
        worker: WorkerId(7),
        sector: SectorId(7),
        out_of_order_reason: None,
    };
    let e = run(&mut ds, &gip(), d(2026, 12, 1), early).unwrap_err();
    assert!(
        e.contains("n'arrive dans le service que le 04/01/2027"),
        "{e}"
    );
}

#[test]
fn r_ref_5_starting_out_of_the_waiting_order_needs_a_reason_which_is_kept() {
    let mut ds = base();
    let first = add_waiting(&mut ds, referral(1, 1, 6, d(2026, 3, 2)));
    let second = add_waiting(&mut ds, referral(2, 2, 6, d(2026, 3, 9)));
    let third = add_waiting(&mut ds, referral(3, 3, 6, d(2026, 3, 16)));
    let start = |reference, reason: Option<&str>| Command::StartMeasure {
        reference,
        worker: WorkerId(6),
        sector: SectorId(6),
        out_of_order_reason: reason.map(String::from),
    };
    let e = run(&mut ds, &gip(), d(2026, 4, 1), start(third, None)).unwrap_err();
    assert!(
        e.contains("passe avant 2 commandes") && e.contains("R-REF-5"),
        "{e}"
    );
    let e = run(&mut ds, &gip(), d(2026, 4, 1), start(third, Some("  "))).unwrap_err();
    assert!(e.contains("motif obligatoire"), "{e}");
    assert!(ds.measures[&third].is_waiting());
    run(
        &mut ds,
        &gip(),
        d(2026, 4, 1),
        start(third, Some(" Expulsion le 15 avril ")),
    )
    .unwrap();
    let kept = ds.measures[&third].out_of_order.clone().unwrap();
    assert_eq!(kept.reason, "Expulsion le 15 avril");
    assert_eq!(kept.passed, 2);
    // The first of the list starts without a reason, and none is kept.
    run(
        &mut ds,
        &gip(),
        d(2026, 4, 2),
        start(first, Some("sans objet")),
    )
    .unwrap();
    assert_eq!(ds.measures[&first].out_of_order, None);
    run(&mut ds, &gip(), d(2026, 4, 3), start(second, None)).unwrap();
    assert_eq!(ds.measures[&second].out_of_order, None);
}

#[test]
fn r_gts_7_a_measure_past_its_end_is_postponed_once_then_stopped_or_renewed() {
    let (mut ds, r) = november_meeting();
    let decide = |month, decision| Command::Session {
        year: 2026,
        month,
        op: SessionOp::Decide {
            reference: r,
            decision,
            colleague: None,
        },
    };
    let postpone = || Decision::Postpone {
        reason: "Bilan à compléter".into(),
    };
    // Before its end (25/11), the GTS of 19/11 postpones it.
    run(&mut ds, &gip(), d(2026, 11, 19), decide(11, postpone())).unwrap();
    // The December session: the measure is past its end, postponed once.
    meeting_with_everyone(&mut ds, d(2026, 12, 17));
    let e = run(&mut ds, &gip(), d(2026, 12, 17), decide(12, postpone())).unwrap_err();
    assert!(
        e.contains("déjà été reportée par le GTS du 19/11/2026") && e.contains("R-GTS-7"),
        "{e}"
    );
    assert!(ds.sessions[&(2026, 12)].decisions.is_empty());
    run(&mut ds, &gip(), d(2026, 12, 17), decide(12, Decision::Stop)).unwrap();
    assert_eq!(ds.sessions[&(2026, 12)].decisions.len(), 1);
}

#[test]
fn a_workers_departure_before_its_arrival_is_refused_by_the_command_and_check() {
    let mut ds = base();
    let mut w = ds.workers[&WorkerId(6)].clone();
    w.arrived = Some(d(2026, 9, 1));
    w.left = Some(d(2026, 8, 31));
    let e = run(
        &mut ds,
        &gip(),
        d(2026, 11, 27),
        Command::EditWorker { worker: w.clone() },
    )
    .unwrap_err();
    assert!(
        e.contains("départ le 31/08/2026, avant l'arrivée (01/09/2026)"),
        "{e}"
    );
    ds.workers.insert(w.id, w);
    assert!(
        assll::check::check(&ds)
            .iter()
            .any(|f| f.message.contains("avant l'arrivée"))
    );
}

// ----------------------------------------------------------------- R-STAT

#[test]
fn r_stat_1_a_worker_reads_their_own_yearly_rows_per_sector() {
    use assll::domain::command::Role;
    use assll::domain::stats::{RowKey, yearly};
    let mut ds = base();
    add_started(&mut ds, referral(1, 1, 6, d(2027, 1, 4)), d(2027, 2, 1));
    add_started(&mut ds, referral(2, 2, 6, d(2027, 1, 5)), d(2027, 3, 1));
    add_started(&mut ds, referral(3, 3, 1, d(2027, 1, 6)), d(2027, 3, 1));
    let all = yearly(&ds, 2027, d(2027, 12, 31));
    let cognac = all.clone().visible_to(&Role::Worker {
        worker: WorkerId(6),
    });
    assert_eq!(
        cognac.rows.iter().map(|r| r.key).collect::<Vec<_>>(),
        vec![RowKey::Worker(SectorId(6), WorkerId(6))]
    );
    let row = &cognac.rows[0].counts;
    assert_eq!((row.followed, row.starts), (2, 2));
    assert!(cognac.gts.is_none(), "the GTS's figures are the GIP's");
    // Employers and the GIP read every row, each sector and the total.
    let employer = all.clone().visible_to(&Role::EmployerRep);
    assert_eq!(employer, all);
    assert_eq!(all.row(RowKey::Sector(SectorId(1))).unwrap().followed, 1);
    assert_eq!(all.total().unwrap().followed, 3);
    assert!(all.visible_to(&Role::NoAccess).rows.is_empty());
}

#[test]
fn r_stat_2_the_gip_report_counts_measures_followed_new_referrals_and_reviews() {
    use assll::domain::stats::yearly;
    let mut ds = base();
    // Started in 2026, still in progress: followed in 2027, not started.
    let old = add_started(&mut ds, referral(1, 1, 6, d(2026, 5, 1)), d(2026, 9, 1));
    // Stopped in 2026: not followed in 2027.
    let gone = add_started(&mut ds, referral(2, 2, 6, d(2026, 1, 5)), d(2026, 2, 1));
    let mut m = ds.measures[&gone].clone();
    m.stop(d(2026, 12, 17), "Arrêt décidé par le GTS du 17/12/2026")
        .unwrap();
    ds.apply(Record::Measure(m));
    // Received in 2027, still waiting: a new referral, not followed.
    add_waiting(&mut ds, referral(1, 3, 1, d(2027, 4, 2)));
    // A review written in 2027 on the measure in progress.
    let mut m = ds.measures[&old].clone();
    m.write_review("La famille a repris le loyer.", d(2027, 2, 10))
        .unwrap();
    ds.apply(Record::Measure(m));
    let s = yearly(&ds, 2027, d(2028, 1, 15));
    let t = s.total().unwrap();
    assert_eq!(t.followed, 1);
    assert_eq!(t.referrals, 1);
    assert_eq!(t.reviews, 1);
    assert_eq!((t.starts, t.stops), (0, 0));
    let y26 = yearly(&ds, 2026, d(2028, 1, 15));
    let t26 = y26.total().unwrap();
    assert_eq!(
        (t26.followed, t26.starts, t26.stops, t26.referrals),
        (2, 2, 1, 2)
    );
    assert_eq!(t26.stop_reasons.get("Arrêt décidé par le GTS"), Some(&1));
}

#[test]
fn r_stat_1_work_is_attributed_to_who_held_the_measure_and_starts_out_of_order_are_reported() {
    use assll::domain::command::Role;
    use assll::domain::stats::{RowKey, yearly};
    let mut ds = base();
    let first = add_waiting(&mut ds, referral(1, 1, 6, d(2027, 1, 4)));
    let later = add_waiting(&mut ds, referral(2, 2, 6, d(2027, 1, 11)));
    // The later one starts first, with its reason (R-REF-5).
    let start = |reference, reason: Option<&str>| Command::StartMeasure {
        reference,
        worker: WorkerId(6),
        sector: SectorId(6),
        out_of_order_reason: reason.map(String::from),
    };
    run(
        &mut ds,
        &gip(),
        d(2027, 2, 1),
        start(later, Some("Expulsion le 15 février")),
    )
    .unwrap();
    run(&mut ds, &gip(), d(2027, 2, 2), start(first, None)).unwrap();
    // Handed to the worker of sector 7 in June (R-MES-7).
    let hand_over = Command::HandOver {
        reference: later,
        worker: WorkerId(7),
    };
    run(&mut ds, &gip(), d(2027, 6, 1), hand_over).unwrap();
    let mut m = ds.measures[&later].clone();
    m.stop(d(2027, 9, 30), "Objectifs atteints").unwrap();
    ds.apply(Record::Measure(m));

    let s = yearly(&ds, 2027, d(2027, 12, 31));
    let w6 = s.row(RowKey::Worker(SectorId(6), WorkerId(6))).unwrap();
    let w7 = s.row(RowKey::Worker(SectorId(7), WorkerId(7))).unwrap();
    // Both followed it; the start is the first holder's, the stop the last's.
    assert_eq!((w6.followed, w6.starts, w6.stops), (2, 2, 0));
    assert_eq!((w7.followed, w7.starts, w7.stops), (1, 0, 1));
    assert_eq!(w6.out_of_order, 1);
    assert_eq!(s.total().unwrap().out_of_order, 1);
    // Reported, with its reason.
    assert_eq!(s.out_of_order.len(), 1);
    let o = &s.out_of_order[0];
    assert_eq!(
        (o.reference, o.worker, o.passed, o.reason.as_str()),
        (later, Some(WorkerId(6)), 1, "Expulsion le 15 février")
    );
    let text = assll::report::stats::text(&ds, &s);
    assert!(
        text.contains("Démarrages hors de l'ordre d'attente (R-REF-5)")
            && text.contains("avant 1 commande : Expulsion le 15 février"),
        "{text}"
    );
    // A worker reads only their own starts out of order (R-STAT-1).
    let seven = s.clone().visible_to(&Role::Worker {
        worker: WorkerId(7),
    });
    assert!(seven.out_of_order.is_empty());
    let six = s.visible_to(&Role::Worker {
        worker: WorkerId(6),
    });
    assert_eq!(six.out_of_order.len(), 1);
}

#[test]
fn r_gts_7_a_postponement_before_the_due_session_does_not_count() {
    use assll::domain::gts::DecisionRecord;
    let (mut ds, r) = november_meeting();
    // October's GTS postponed it (a difficulty), before it was due; the
    // due session of 19/11 decided nothing on it.
    let mut october = GtsSession::new(2026, 10);
    october.decisions.push(DecisionRecord {
        reference: r,
        decision: Decision::Postpone {
            reason: "Refus de collaborer, à revoir".into(),
        },
        presented_by_colleague: None,
        recorded_on: d(2026, 10, 15),
    });
    ds.sessions.insert((2026, 10), october);
    meeting_with_everyone(&mut ds, d(2026, 12, 17));
    let postpone = Command::Session {
        year: 2026,
        month: 12,
        op: SessionOp::Decide {
            reference: r,
            decision: Decision::Postpone {
                reason: "Bilan à compléter".into(),
            },
            colleague: None,
        },
    };
    // Past its end (25/11), the one postponement allowed is still there.
    run(&mut ds, &gip(), d(2026, 12, 17), postpone).unwrap();
    assert_eq!(ds.sessions[&(2026, 12)].decisions.len(), 1);
}
