//! The demo data set, the consistency check and the JSON export/import,
//! through the library's public API.

use assll::check::{Severity, check};
use assll::communes;
use assll::demo::{DEFAULT_HOUSEHOLDS, DEFAULT_SEED, generate};
use assll::domain::alerts::{Severity as AlertSeverity, compute_alerts};
use assll::domain::gts::next_session;
use assll::domain::measure::{Contract, DifficultyKind, Renewal, add_months, masp_eligible};
use assll::domain::{
    Dataset, DecidingBody, HouseholdId, MeasureStatus, ReferralKind, Requester, SectorId,
};
use assll::export::{from_json, from_json_at, from_json_with_findings, to_json};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const TODAY: (i32, u32, u32) = (2026, 11, 27);

fn today() -> NaiveDate {
    day(TODAY.0, TODAY.1, TODAY.2)
}

fn demo() -> Dataset {
    generate(today(), DEFAULT_HOUSEHOLDS, DEFAULT_SEED)
}

fn no_errors(data: &Dataset) {
    let errors: Vec<String> = check(data)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.to_string())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn demo_is_deterministic() {
    let a = to_json(&demo());
    let b = to_json(&demo());
    assert_eq!(a, b);
    let c = to_json(&generate(today(), DEFAULT_HOUSEHOLDS, 2));
    assert_ne!(a, c);
    let d = to_json(&generate(day(2027, 3, 2), DEFAULT_HOUSEHOLDS, DEFAULT_SEED));
    assert_ne!(a, d);
}

#[test]
fn demo_passes_check_on_many_days_and_seeds() {
    let days = [
        today(),
        day(2027, 1, 1),
        day(2027, 1, 31),
        day(2027, 8, 15),
        day(2028, 2, 29),
        day(2026, 12, 17),
        day(2030, 8, 15),
    ];
    for (i, d) in days.iter().enumerate() {
        for seed in [DEFAULT_SEED, 7 + i as u64] {
            let data = generate(*d, DEFAULT_HOUSEHOLDS, seed);
            no_errors(&data);
            // Nothing is dated after the day it was made.
            let future: Vec<String> = assll::check::check_at(&data, Some(*d))
                .into_iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| f.to_string())
                .collect();
            assert!(future.is_empty(), "{d}: {future:?}");
            // Every event, fact and decision is in the past.
            for m in data.measures.values() {
                assert!(m.events.iter().all(|e| e.date <= *d), "{}", m.reference);
                assert!(m.start.is_none_or(|s| s <= *d), "{}", m.reference);
                assert!(m.checked_facts.iter().all(|f| f.checked_on <= *d));
                assert!(m.renewals.iter().all(|r| r.decided_on <= *d));
            }
        }
    }
}

#[test]
fn r_cap_1_demo_has_sectors_over_capacity_and_with_free_places() {
    let data = demo();
    let loads: BTreeMap<u16, (u32, u32)> = data
        .sector_loads(today())
        .into_iter()
        .map(|l| (l.sector.0, (l.load, l.capacity)))
        .collect();
    assert_eq!(loads[&2], (15, 14), "Charente-Limousine");
    assert_eq!(loads[&5], (16, 14), "Sud Charente");
    assert!(loads.values().any(|(l, c)| l < c));
    let waiting: Vec<usize> = data
        .sectors
        .keys()
        .map(|s| data.waiting_list(*s).len())
        .collect();
    assert_eq!(waiting.iter().min(), Some(&0));
    assert_eq!(waiting.iter().max(), Some(&9));
    // Diagnostics in progress are beside the load, not in it (R-CAP-2).
    assert!(data.sector_loads(today()).iter().any(|l| l.diagnostics > 0));
}

#[test]
fn demo_covers_every_situation() {
    let data = demo();
    let t = today();
    let ms: Vec<_> = data.measures.values().collect();
    let referral = |m: &assll::domain::Measure| &data.referrals[&m.reference];
    let in_progress = |m: &&&assll::domain::Measure| m.is_in_progress();

    // R-REF-5/6: urgent waiting referrals, asked and decided by the appeals unit.
    assert!(ms.iter().filter(|m| m.is_waiting()).any(|m| {
        let r = referral(m);
        r.urgent
            && r.requester == Requester::AppealsUnit
            && r.deciding_body == DecidingBody::AppealsUnit
    }));
    // R-DIAG-1: a waiting diagnostic, one in progress, one done then a measure.
    assert!(
        ms.iter()
            .any(|m| m.is_waiting() && m.kind == ReferralKind::Diagnostic)
    );
    assert!(
        ms.iter()
            .any(|m| m.is_in_progress() && m.kind == ReferralKind::Diagnostic)
    );
    assert!(
        data.referrals
            .values()
            .any(|r| r.after_diagnostic.is_some())
    );
    // Every stage of a measure.
    assert!(ms.iter().filter(in_progress).any(|m| {
        m.start
            .is_some_and(|s| s.year() == t.year() && s.month() == t.month())
    }));
    for n in [0, 1, 2] {
        assert!(
            ms.iter()
                .filter(in_progress)
                .any(|m| m.renewals.len() == n && m.kind == ReferralKind::Measure),
            "{n} renewals"
        );
    }
    let sessions = data.sessions_around(t);
    let next = next_session(t, &sessions).unwrap().date;
    let after = sessions
        .iter()
        .filter(|s| s.held() && s.date > next)
        .map(|s| s.date)
        .min()
        .unwrap();
    let ending: Vec<_> = ms
        .iter()
        .filter(in_progress)
        .filter(|m| m.kind == ReferralKind::Measure)
        .filter(|m| m.planned_end.is_some_and(|e| e >= t && e <= after))
        .collect();
    assert!(ending.len() >= 5, "{} ending soon", ending.len());
    assert!(ending.iter().all(|m| !m.review.text.is_empty()));
    assert!(
        ms.iter()
            .any(|m| matches!(m.contract, Contract::NoContract { .. }))
    );
    assert!(ms.iter().filter(in_progress).any(|m| {
        m.contract == Contract::Pending
            && m.kind == ReferralKind::Measure
            && m.start.is_some_and(|s| (t - s).num_days() > 30)
    }));
    assert!(ms.iter().any(|m| {
        m.difficulty
            .as_ref()
            .is_some_and(|d| d.kind == DifficultyKind::RefusesToCollaborate)
    }));
    // R-MASP: asked, and granted, only on eligible referrals.
    assert!(
        ms.iter()
            .any(|m| m.masp.requested.is_some() && m.masp.decision.is_none())
    );
    assert!(
        ms.iter()
            .any(|m| matches!(m.masp.decision, Some((true, _))))
    );
    assert!(
        ms.iter()
            .filter(|m| m.masp.requested.is_some())
            .all(|m| masp_eligible(referral(m)))
    );
    assert!(
        ms.iter()
            .any(|m| matches!(m.status, MeasureStatus::Stopped { .. }))
    );
    assert!(
        ms.iter()
            .any(|m| matches!(m.status, MeasureStatus::NotStarted { .. }))
    );
    // R-MES-8: checked facts with amounts and dates.
    assert!(ms.iter().any(|m| {
        m.checked_facts
            .iter()
            .any(|f| f.label == "Dette locative" && f.value.ends_with(" €"))
    }));
    assert!(
        ms.iter()
            .any(|m| m.checked_facts.iter().any(|f| f.label == "Loyer repris"))
    );
    // R-MES-7: a household that moved keeps its measure in its worker's sector.
    assert!(
        ms.iter()
            .filter(in_progress)
            .any(|m| { data.households[&m.household].sector != m.sector })
    );
    // Realistic logs: meetings every two weeks with parties and means.
    assert!(ms.iter().any(|m| {
        m.events.iter().filter(|e| e.kind.is_meeting()).count() >= 8
            && m.events.iter().all(|e| !e.author.is_empty())
            && m.events.iter().any(|e| !e.means.is_empty())
    }));
    // A past session with its decisions.
    assert!(
        data.sessions
            .values()
            .any(|s| s.closed.is_some() && !s.decisions.is_empty())
    );

    // The alerts the demo is there to show.
    let alerts = compute_alerts(&data, t);
    for rule in [
        "R-ELIG-2", "R-REF-4", "R-MES-3", "R-MES-5", "R-BIL-1", "R-DIAG-2",
    ] {
        assert!(alerts.iter().any(|a| a.rule == rule), "alert {rule}");
    }
    assert!(
        alerts
            .iter()
            .any(|a| a.rule == "R-REF-4" && a.severity == AlertSeverity::Overdue)
    );
}

#[test]
fn r_elig_2_demo_has_a_protected_household_with_a_measure_in_progress() {
    let data = demo();
    let protected: Vec<HouseholdId> = data
        .households
        .values()
        .filter(|h| h.judicial_protection)
        .map(|h| h.id)
        .collect();
    assert!(
        data.measures
            .values()
            .any(|m| m.is_in_progress() && protected.contains(&m.household))
    );
    let findings = check(&data);
    assert!(findings.iter().any(|f| f.rule == Some("R-ELIG-2")));
    assert!(findings.iter().all(|f| f.severity == Severity::Warning));
}

#[test]
fn demo_people_are_french_names_in_real_communes() {
    let data = demo();
    assert!(
        data.households
            .values()
            .any(|h| !h.first_name.is_ascii() || !h.last_name.is_ascii())
    );
    for h in data.households.values() {
        let c = communes::by_insee(&h.commune_insee).expect("commune réelle");
        assert_eq!(c.name, h.commune);
    }
    assert_eq!(data.sectors.len(), 9);
    let fte: u32 = data
        .workers
        .values()
        .map(|w| u32::from(w.fte_hundredths))
        .sum();
    assert_eq!(fte, 600);
    for s in data.sectors.keys() {
        let n = data
            .workers
            .values()
            .filter(|w| w.sectors.contains(s))
            .count();
        assert!((1..=2).contains(&n), "secteur {}", s.0);
    }
}

#[test]
fn demo_references_are_numbered_per_referral_year() {
    let data = generate(today(), 1000, 3);
    let mut per_year: BTreeMap<u16, Vec<u32>> = BTreeMap::new();
    for (r, referral) in &data.referrals {
        assert_eq!(i32::from(r.year), referral.referral_date.year());
        per_year.entry(r.year).or_default().push(r.number);
    }
    for numbers in per_year.values() {
        let expected: Vec<u32> = (1..=numbers.len() as u32).collect();
        assert_eq!(numbers, &expected);
    }
    // Numbered in referral-date order.
    let mut last = BTreeMap::new();
    for r in data.referrals.values() {
        let prev = last.insert(r.reference.year, r.referral_date);
        assert!(prev.is_none_or(|p| p <= r.referral_date));
    }
}

#[test]
fn demo_scales_to_a_hundred_thousand_households() {
    let started = std::time::Instant::now();
    let data = generate(today(), 100_000, DEFAULT_SEED);
    let elapsed = started.elapsed();
    assert_eq!(data.households.len(), 100_000);
    assert!(data.referrals.len() > 100_000);
    assert_eq!(data.referrals.len(), data.measures.len());
    let loads = data.sector_loads(today());
    assert!(loads.iter().all(|l| l.over_capacity()));
    eprintln!("100 000 ménages générés en {elapsed:?}");
    let started = std::time::Instant::now();
    no_errors(&data);
    eprintln!("vérifiés en {:?}", started.elapsed());
}

#[test]
fn round_trip_gives_identical_bytes() {
    let cases = [
        (today(), DEFAULT_HOUSEHOLDS, DEFAULT_SEED),
        (day(2027, 2, 28), 37, 11),
        (day(2028, 2, 29), 500, 12345),
        (day(2026, 1, 1), 1, 0),
        (day(2026, 1, 1), 0, 0),
    ];
    for (d, n, seed) in cases {
        let first = to_json(&generate(d, n, seed));
        assert!(first.ends_with("}\n"));
        let data = from_json(&first).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(data, generate(d, n, seed));
        assert_eq!(to_json(&data), first);
    }
}

#[test]
fn import_keeps_warnings_apart() {
    let (data, warnings) = from_json_with_findings(&to_json(&demo())).unwrap();
    assert_eq!(data, demo());
    assert!(warnings.iter().any(|w| w.rule == Some("R-ELIG-2")));
}

/// The 1-based line where the `index`-th record of `section` begins.
fn record_line(text: &str, section: &str, index: usize) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim_start() == format!("\"{section}\": ["))
        .unwrap();
    let mut seen = 0;
    for (i, l) in lines.iter().enumerate().skip(start + 1) {
        if *l == "    {" {
            if seen == index {
                return i + 1;
            }
            seen += 1;
        }
    }
    panic!("record {index} of {section} not found");
}

#[test]
fn import_refuses_broken_json_with_its_line() {
    let text = to_json(&demo());
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Drop the comma at the end of line 10.
    let n = 10;
    assert!(lines[n - 1].ends_with(','), "{}", lines[n - 1]);
    lines[n - 1].pop();
    let broken = lines.join("\n");
    let err = from_json(&broken).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("JSON mal formé"), "{msg}");
    assert_eq!(err.problems[0].line, n + 1, "{msg}");
    assert!(msg.contains(&format!("ligne {}", n + 1)), "{msg}");

    let err = from_json(&text[..text.len() / 2]).unwrap_err();
    assert!(err.to_string().contains("JSON incomplet"), "{err}");
    let err = from_json("").unwrap_err();
    assert!(err.to_string().contains("ligne 1"), "{err}");
}

#[test]
fn import_refuses_another_format_or_version() {
    let text = to_json(&demo());
    let err = from_json(&text.replacen("\"version\": 1", "\"version\": 2", 1)).unwrap_err();
    assert!(err.to_string().contains("version 2"), "{err}");
    assert_eq!(err.problems[0].line, 3);
    let err = from_json(&text.replacen("assll-export", "autre", 1)).unwrap_err();
    assert!(
        err.to_string().contains("format « autre » inconnu"),
        "{err}"
    );
}

#[test]
fn import_refuses_an_unknown_sector_with_the_household_line() {
    let mut data = demo();
    let id = HouseholdId(5);
    data.households.get_mut(&id).unwrap().sector = SectorId(42);
    let text = to_json(&data);
    let index = data.households.keys().position(|k| *k == id).unwrap();
    let line = record_line(&text, "households", index);
    let err = from_json(&text).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("secteur inconnu : 42"), "{msg}");
    assert!(msg.contains(&format!("ligne {line}")), "{msg}");
    assert!(msg.contains("ménage 5"), "{msg}");
}

#[test]
fn import_refuses_dangling_references() {
    let mut data = demo();
    let key = *data.measures.keys().next().unwrap();
    data.measures.get_mut(&key).unwrap().household = HouseholdId(999_999);
    let text = to_json(&data);
    let err = from_json(&text).unwrap_err();
    assert_eq!(err.problems[0].line, record_line(&text, "measures", 0));
    assert!(err.to_string().contains("ménage inconnu : 999999"), "{err}");
}

#[test]
fn import_refuses_duplicate_records() {
    let text = to_json(&demo());
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let first = v["workers"][0].clone();
    v["workers"].as_array_mut().unwrap().push(first);
    let text = serde_json::to_string_pretty(&v).unwrap();
    let err = from_json(&text).unwrap_err();
    let msg = err.to_string();
    let last = v["workers"].as_array().unwrap().len() - 1;
    assert!(msg.contains("TS 1 en double"), "{msg}");
    assert_eq!(err.problems[0].line, record_line(&text, "workers", last));
}

#[test]
fn r_ref_6_import_refuses_urgency_from_landlord() {
    let mut data = demo();
    let key = data
        .referrals
        .values()
        .find(|r| !r.urgent && r.kind == ReferralKind::Measure)
        .unwrap()
        .reference;
    let r = data.referrals.get_mut(&key).unwrap();
    r.urgent = true;
    r.requester = Requester::Landlord;
    r.deciding_body = DecidingBody::Commission;
    let text = to_json(&data);
    let index = data.referrals.keys().position(|k| *k == key).unwrap();
    let line = record_line(&text, "referrals", index);
    let err = from_json(&text).unwrap_err();
    let msg = err.to_string();
    assert_eq!(err.problems.len(), 1, "{msg}");
    assert_eq!(err.problems[0].rule, Some("R-REF-6"));
    assert_eq!(err.problems[0].line, line);
    assert!(msg.contains(&format!("ligne {line}")), "{msg}");
    assert!(msg.contains("Bailleur") && msg.contains("R-REF-6"), "{msg}");
    assert!(msg.contains(&format!("commande {key}")), "{msg}");
}

#[test]
fn r_mes_1_import_refuses_an_initial_duration_of_nine_months() {
    let mut data = demo();
    let key = *data
        .referrals
        .iter()
        .find(|(_, r)| r.kind == ReferralKind::Measure)
        .unwrap()
        .0;
    data.referrals.get_mut(&key).unwrap().initial_months = 9;
    let text = to_json(&data);
    let err = from_json(&text).unwrap_err();
    assert!(
        err.problems
            .iter()
            .any(|p| p.rule == Some("R-MES-1") && p.message.contains("9 mois")),
        "{err}"
    );
}

#[test]
fn r_mes_4_import_refuses_a_third_renewal() {
    let mut data = demo();
    let key = *data
        .measures
        .iter()
        .find(|(_, m)| m.renewals.len() == 2 && m.is_in_progress())
        .unwrap()
        .0;
    let m = data.measures.get_mut(&key).unwrap();
    let end = m.planned_end.unwrap();
    let new_end = add_months(end, 3);
    m.renewals.push(Renewal {
        decided_on: end,
        months: 3,
        new_end,
    });
    m.planned_end = Some(new_end);
    let text = to_json(&data);
    let index = data.measures.keys().position(|k| *k == key).unwrap();
    let line = record_line(&text, "measures", index);
    let err = from_json(&text).unwrap_err();
    let msg = err.to_string();
    assert_eq!(err.problems.len(), 1, "{msg}");
    assert_eq!(err.problems[0].rule, Some("R-MES-4"));
    assert!(msg.contains(&format!("ligne {line}")), "{msg}");
    assert!(msg.contains("3 renouvellements"), "{msg}");
}

#[test]
fn import_reports_a_wrong_value_inside_a_record_at_its_own_line() {
    let text = to_json(&demo());
    let line = record_line(&text, "measures", 3);
    let lines: Vec<&str> = text.lines().collect();
    // The status line of that record.
    let offset = lines[line..]
        .iter()
        .position(|l| l.trim_start().starts_with("\"status\""))
        .unwrap();
    let status_line = line + offset + 1;
    let mut edited: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    edited[status_line - 1] = "      \"status\": \"Perdue\",".into();
    let err = from_json(&edited.join("\n")).unwrap_err();
    assert_eq!(err.problems[0].line, status_line, "{err}");
    assert!(
        err.to_string().contains("donnée invalide dans une mesure"),
        "{err}"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Export → import → export gives identical bytes on any demo, and
    /// every demo passes the check.
    #[test]
    fn round_trip_is_identical_on_varied_demos(
        seed in proptest::prelude::any::<u64>(),
        households in 0usize..300,
        days in 0i64..4000,
    ) {
        let d = day(2024, 1, 1) + chrono::Days::new(days as u64);
        let data = generate(d, households, seed);
        no_errors(&data);
        let text = to_json(&data);
        let back = from_json(&text).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
        proptest::prop_assert_eq!(to_json(&back), text);
    }
}

/// Imports `data` changed by `f`, and returns the import's message.
fn refused(f: impl FnOnce(&mut Dataset)) -> String {
    let mut data = demo();
    f(&mut data);
    from_json_at(&to_json(&data), today())
        .expect_err("refused")
        .to_string()
}

#[test]
fn import_and_check_refuse_impossible_data() {
    // A year typed wrong, a date to come, received before it was ordered.
    let r = *demo().referrals.keys().next().unwrap();
    let e = refused(|d| d.referrals.get_mut(&r).unwrap().received = day(2226, 1, 5));
    assert!(e.contains("année hors de 2000 à 2100"), "{e}");
    let e = refused(|d| d.referrals.get_mut(&r).unwrap().referral_date = day(2026, 12, 25));
    assert!(e.contains("après aujourd'hui (27/11/2026)"), "{e}");
    let e = refused(|d| {
        let x = d.referrals.get_mut(&r).unwrap();
        x.received = x.referral_date.pred_opt().unwrap();
    });
    assert!(e.contains("avant la date de la commande"), "{e}");
    // A contact logged before the referral.
    let m = *demo()
        .measures
        .values()
        .find(|m| !m.events.is_empty())
        .map(|m| &m.reference)
        .unwrap();
    let e = refused(|d| {
        let rd = d.referrals[&m].referral_date;
        d.measures.get_mut(&m).unwrap().events[0].date = rd.pred_opt().unwrap();
    });
    assert!(e.contains("avant la date de la commande"), "{e}");
    // Twelve posts in a sector, norms of zero.
    let e = refused(|d| {
        let s = *d.sectors.keys().next().unwrap();
        d.sectors.get_mut(&s).unwrap().fte_hundredths = 1200;
    });
    assert!(e.contains("12 ETP refusé : de 0 à 10 ETP"), "{e}");
    let e = refused(|d| d.norms.urban = 0);
    assert!(e.contains("norme nulle"), "{e}");
    // Two ASSLL in progress for one household.
    let e = refused(|d| {
        let mut it = d
            .measures
            .values()
            .filter(|m| m.is_in_progress() && m.kind == ReferralKind::Measure);
        let (a, b) = (it.next().unwrap().clone(), it.next().unwrap().clone());
        let (rb, hb) = (b.reference, a.household);
        d.measures.get_mut(&rb).unwrap().household = hb;
        d.referrals.get_mut(&rb).unwrap().household = hb;
    });
    assert!(e.contains("deuxième ASSLL en cours pour le ménage"), "{e}");
    // The same in `assll check`'s own function.
    let mut data = demo();
    data.norms.rural = 0;
    assert!(
        assll::check::check_at(&data, Some(today()))
            .iter()
            .any(|f| f.severity == Severity::Error && f.message.contains("norme nulle"))
    );
}

#[test]
fn import_refuses_a_misspelt_key_and_a_record_too_large_to_write() {
    let text = to_json(&demo());
    let e = from_json(&text.replacen("\"referral_date\"", "\"referal_date\"", 1))
        .unwrap_err()
        .to_string();
    assert!(e.contains("referal_date"), "{e}");
    let mut data = demo();
    let r = *data.referrals.keys().next().unwrap();
    data.referrals.get_mut(&r).unwrap().note = "x".repeat(9 * 1024 * 1024);
    let e = from_json(&to_json(&data)).unwrap_err().to_string();
    assert!(
        e.contains(&format!("commande {r} : 9 Mo, au-delà des 8 Mo")),
        "{e}"
    );
}

#[test]
fn reference_data_round_trips_and_an_export_without_it_still_imports() {
    let data = demo();
    // The demo's GIP confirmed 11 communes and named 6 standing members.
    assert_eq!(data.commune_sectors.len(), 11);
    assert_eq!(data.gts_members.len(), 6);
    let text = to_json(&data);
    assert!(
        text.contains("\"commune_sectors\": {"),
        "absent from the export"
    );
    assert!(text.contains("\"16015\": 3"));
    assert!(text.contains("\"gts_members\": ["));
    let back = from_json(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.commune_sectors, data.commune_sectors);
    assert_eq!(back.gts_members, data.gts_members);
    // A base without them exports without the keys, and imports so.
    let mut bare = demo();
    bare.commune_sectors.clear();
    bare.gts_members.clear();
    let text = to_json(&bare);
    assert!(!text.contains("commune_sectors") && !text.contains("gts_members"));
    assert_eq!(from_json(&text).unwrap_or_else(|e| panic!("{e}")), bare);
}

#[test]
fn import_refuses_impossible_reference_data() {
    let mut data = demo();
    data.commune_sectors.insert("16167".into(), SectorId(42));
    let msg = from_json(&to_json(&data)).unwrap_err().to_string();
    assert!(
        msg.contains("commune 16167 : secteur inconnu : 42"),
        "{msg}"
    );
    let mut data = demo();
    let twice = data.gts_members[0].clone();
    data.gts_members.push(twice);
    let msg = from_json(&to_json(&data)).unwrap_err().to_string();
    assert!(msg.contains("R-GTS-1"), "{msg}");
}

#[test]
fn reference_data_survives_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let data = demo();
    {
        let store = assll::store::Store::open(&path).unwrap();
        let records: Vec<assll::domain::Record> = data.records().collect();
        store
            .commit(&assll::store::Change {
                who: "gip".into(),
                at: today().and_hms_opt(9, 0, 0).unwrap(),
                summary: "démonstration".into(),
                records,
            })
            .unwrap();
    }
    let loaded = assll::store::Store::open(&path).unwrap().load().unwrap();
    assert!(loaded.damaged.is_empty());
    assert_eq!(loaded.data.commune_sectors, data.commune_sectors);
    assert_eq!(loaded.data.gts_members, data.gts_members);
}
