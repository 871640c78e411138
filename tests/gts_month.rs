//! A whole GTS month through the store, as the application will run it:
//! each step applied to a clone, committed, then applied in memory; after a
//! reopen the data says the same, and the minutes list the four decisions.

mod gts_common;

use assll::domain::agenda::*;
use assll::domain::gts::{Decision, GtsSession, Reply};
use assll::domain::record::Record;
use assll::domain::{Dataset, Reference};
use assll::report::{minutes_pdf, minutes_text};
use assll::store::{Change, Store};
use gts_common::*;

fn commit(store: &Store, data: &mut Dataset, summary: &str, records: Vec<Record>) {
    let change = Change {
        who: "gip".into(),
        at: d(2027, 1, 21).and_hms_opt(10, 0, 0).unwrap(),
        summary: summary.into(),
        records: records.clone(),
    };
    store.commit(&change).unwrap();
    for r in records {
        data.apply(r);
    }
}

fn save(store: &Store, data: &mut Dataset, summary: &str, s: &GtsSession) {
    commit(store, data, summary, vec![Record::Session(s.clone())]);
}

#[test]
fn r_gts_a_whole_month_is_durable_and_ends_in_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let mut data = base();
    let stop = measure(
        &mut data,
        1,
        "Durand",
        COGNAC,
        LAURENT,
        d(2026, 8, 10),
        d(2027, 2, 10),
    );
    let renew = measure(
        &mut data,
        2,
        "Martin",
        COGNAC,
        BLANC,
        d(2026, 8, 10),
        d(2027, 2, 10),
    );
    let twice = measure(
        &mut data,
        3,
        "Bœuf",
        RUFFEC,
        PETIT,
        d(2026, 8, 10),
        d(2027, 2, 10),
    );
    renewed_twice(&mut data, twice);
    let later = measure(
        &mut data,
        4,
        "Garçon",
        COGNAC,
        LAURENT,
        d(2026, 8, 10),
        d(2027, 2, 10),
    );
    let store = Store::open(&path).unwrap();
    let all: Vec<Record> = data.records().collect();
    commit(&store, &mut data, "données", all);

    // Draft, sent; replies; final.
    let (info, mut s) = january(&data);
    refresh_draft(&data, &info, &mut s, d(2027, 1, 4)).unwrap();
    assert_eq!(s.agenda.len(), 4);
    send_draft(&mut s, d(2027, 1, 6)).unwrap();
    save(&store, &mut data, "ODJ brouillon envoyé", &s);
    for r in [stop, renew, twice, later] {
        let mut next = data.sessions[&(2027, 1)].clone();
        record_reply(&mut next, r, Reply::WillExamine, d(2027, 1, 7)).unwrap();
        save(&store, &mut data, "réponse TS", &next);
    }
    assert!(workers_without_reply(&data, &data.sessions[&(2027, 1)]).is_empty());
    let mut s = data.sessions[&(2027, 1)].clone();
    send_final(&mut s, d(2027, 1, 13)).unwrap();
    save(&store, &mut data, "ODJ définitif envoyé", &s);

    // The meeting: attendance, then each decision saved at once.
    let today = d(2027, 1, 21);
    let mut s = data.sessions[&(2027, 1)].clone();
    add_attendee(&mut s, "Mme Garnier", "Conseil Général").unwrap();
    set_chair(&mut s, "Mme Garnier").unwrap();
    add_attendee(&mut s, "M. Roy", "CAF").unwrap();
    save(&store, &mut data, "présences", &s);
    let decide = |data: &mut Dataset, r: Reference, decision: Decision| {
        let mut s = data.sessions[&(2027, 1)].clone();
        let m = data.measures[&r].clone();
        record_decision(&mut s, &m, decision, None, today).map(|()| s)
    };
    let s = decide(&mut data, stop, Decision::Stop).unwrap();
    save(&store, &mut data, "arrêt", &s);
    let s = decide(&mut data, renew, Decision::Renew { months: 3 }).unwrap();
    save(&store, &mut data, "renouvellement", &s);
    let refused = decide(&mut data, twice, Decision::Renew { months: 2 }).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "Renouvellement refusé : déjà renouvelée 2 fois (R-MES-4)"
    );
    let s = decide(
        &mut data,
        later,
        Decision::Postpone {
            reason: "bilan à compléter".into(),
        },
    )
    .unwrap();
    save(&store, &mut data, "report", &s);
    let s = decide(&mut data, twice, Decision::Stop).unwrap();
    save(&store, &mut data, "arrêt", &s);

    // Closing: one transaction.
    let mut s = data.sessions[&(2027, 1)].clone();
    let records = close_session(&data, &mut s, today).unwrap();
    commit(&store, &mut data, "clôture du GTS", records);
    drop(store);

    // Reopened, the data is the same.
    let store = Store::open(&path).unwrap();
    let loaded = store.load().unwrap();
    assert!(loaded.damaged.is_empty());
    let data2 = loaded.data;
    assert_eq!(data2.measures[&renew].planned_end, Some(d(2027, 5, 10)));
    assert_eq!(data2.measures[&renew].renewals.len(), 1);
    assert!(!data2.measures[&stop].is_in_progress());
    assert!(!data2.measures[&twice].is_in_progress());
    assert!(data2.sessions[&(2027, 1)].closed.is_some());
    let feb = &data2.sessions[&(2027, 2)];
    assert_eq!(feb.agenda.len(), 1);
    assert_eq!(feb.agenda[0].reference, later);
    assert_eq!(data2, data);

    // The minutes list the four decisions.
    let jan = &data2.sessions[&(2027, 1)];
    let t = minutes_text(&data2, jan, false);
    assert!(
        t.contains("3 situation(s) examinée(s) : 2 arrêt(s), 1 renouvellement(s) ; 1 reportée(s).")
    );
    assert!(t.contains("Décision : renouvellement de 3 mois — nouvelle fin prévue le 10/05/2027"));
    assert_eq!(t.matches("Décision : arrêt de la mesure").count(), 2);
    assert!(t.contains("Motif du report : bilan à compléter"));
    let pdf = minutes_pdf(&data2, jan, true);
    assert!(pdf.starts_with(b"%PDF-"));

    // Minutes sent.
    let mut jan = jan.clone();
    assert!(minutes_overdue(&jan, d(2027, 1, 25)));
    mark_minutes_sent(&mut jan, d(2027, 1, 22)).unwrap();
    assert!(!minutes_overdue(&jan, d(2027, 1, 25)));
}
