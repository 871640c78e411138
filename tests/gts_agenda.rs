//! The GTS agenda from draft to final, the meeting's decisions and the
//! closing of a session, named after DOMAIN.md's rule ids.

mod gts_common;

use assll::domain::agenda::*;
use assll::domain::gts::{AgendaReason, Decision, GtsSession, Reply};
use assll::domain::measure::{Contract, Difficulty, DifficultyKind, MeasureStatus};
use assll::domain::record::Record;
use assll::domain::{Dataset, Reference};
use gts_common::*;
use proptest::prelude::*;

fn reasons_of(items: &[assll::domain::gts::AgendaItem], r: Reference) -> Vec<AgendaReason> {
    items
        .iter()
        .find(|i| i.reference == r)
        .map(|i| i.reasons.clone())
        .unwrap_or_default()
}

/// A Cognac measure due in January 2027 by its planned end (10/02/2027:
/// the February session, 18/02, is after it).
fn due_in_january(data: &mut Dataset, n: u32, last: &str) -> Reference {
    measure(
        data,
        n,
        last,
        COGNAC,
        LAURENT,
        d(2026, 8, 10),
        d(2027, 2, 10),
    )
}

/// The January 2027 session with its draft computed and sent on 06/01.
fn sent_draft(data: &Dataset) -> GtsSession {
    let (info, mut s) = january(data);
    refresh_draft(data, &info, &mut s, d(2027, 1, 4)).unwrap();
    send_draft(&mut s, d(2027, 1, 6)).unwrap();
    s
}

#[test]
fn r_gts_2_planned_end_puts_measure_on_due_session() {
    let mut data = base();
    let r = due_in_january(&mut data, 1, "Durand");
    // Planned end exactly on the February session: due in February.
    let feb = measure(
        &mut data,
        2,
        "Martin",
        COGNAC,
        LAURENT,
        d(2026, 8, 18),
        d(2027, 2, 18),
    );
    let today = d(2026, 12, 20);
    let jan = draft_agenda(&data, &info(&data, 2027, 1), None, today);
    assert_eq!(reasons_of(&jan, r), vec![AgendaReason::PlannedEnd]);
    assert!(reasons_of(&jan, feb).is_empty());
    let dec = draft_agenda(&data, &info(&data, 2026, 12), None, today);
    assert!(reasons_of(&dec, r).is_empty());
    let feb_items = draft_agenda(&data, &info(&data, 2027, 2), None, today);
    assert_eq!(reasons_of(&feb_items, feb), vec![AgendaReason::PlannedEnd]);
    assert!(reasons_of(&feb_items, r).is_empty());
}

#[test]
fn r_gts_2_cancelled_session_moves_the_due_date_back() {
    let mut data = base();
    let r = due_in_january(&mut data, 1, "Durand");
    let mut jan = GtsSession::new(2027, 1);
    cancel_session(&mut jan, "Vœux du Département").unwrap();
    data.sessions.insert((2027, 1), jan);
    let dec = draft_agenda(&data, &info(&data, 2026, 12), None, d(2026, 11, 20));
    assert_eq!(reasons_of(&dec, r), vec![AgendaReason::PlannedEnd]);
}

#[test]
fn r_gts_2_overdue_review_goes_to_the_coming_session() {
    let mut data = base();
    // Planned end 01/12/2026: due at the November session, which passed.
    let r = measure(
        &mut data,
        1,
        "Durand",
        COGNAC,
        LAURENT,
        d(2026, 6, 1),
        d(2026, 12, 1),
    );
    let today = d(2026, 12, 2);
    let dec = draft_agenda(&data, &info(&data, 2026, 12), None, today);
    assert_eq!(reasons_of(&dec, r), vec![AgendaReason::PlannedEnd]);
    let feb = draft_agenda(&data, &info(&data, 2027, 2), None, today);
    assert!(reasons_of(&feb, r).is_empty(), "only the coming session");
}

#[test]
fn r_mes_5_no_contract_goes_to_agenda_with_reason() {
    let mut data = base();
    let with_reason = measure(
        &mut data,
        1,
        "Durand",
        COGNAC,
        LAURENT,
        d(2026, 11, 2),
        d(2027, 5, 2),
    );
    data.measures.get_mut(&with_reason).unwrap().contract = Contract::NoContract {
        reason: "la famille refuse de signer avant la visite du bailleur".into(),
        date: d(2026, 12, 1),
    };
    let pending = measure(
        &mut data,
        2,
        "Martin",
        COGNAC,
        LAURENT,
        d(2026, 12, 1),
        d(2027, 6, 1),
    );
    data.measures.get_mut(&pending).unwrap().contract = Contract::Pending;
    // Started 10 days before the session: not yet 30 days.
    let recent = measure(
        &mut data,
        3,
        "Bernard",
        COGNAC,
        LAURENT,
        d(2027, 1, 11),
        d(2027, 7, 11),
    );
    data.measures.get_mut(&recent).unwrap().contract = Contract::Pending;

    let (info, mut s) = january(&data);
    refresh_draft(&data, &info, &mut s, d(2027, 1, 4)).unwrap();
    let items = &s.agenda;
    assert_eq!(
        reasons_of(items, with_reason),
        vec![AgendaReason::NoContract]
    );
    assert_eq!(reasons_of(items, pending), vec![AgendaReason::NoContract]);
    assert!(reasons_of(items, recent).is_empty());
    let item = items.iter().find(|i| i.reference == with_reason).unwrap();
    assert_eq!(
        reason_details(&data, &s, item),
        vec!["pas de contrat : la famille refuse de signer avant la visite du bailleur"]
    );
    let item = items.iter().find(|i| i.reference == pending).unwrap();
    assert_eq!(
        reason_details(&data, &s, item),
        vec!["pas de contrat signé ni de motif après 30 jours"]
    );
}

#[test]
fn r_mes_6_refusal_goes_to_next_session() {
    let mut data = base();
    let r = measure(
        &mut data,
        1,
        "Durand",
        COGNAC,
        LAURENT,
        d(2026, 11, 2),
        d(2027, 5, 2),
    );
    data.measures.get_mut(&r).unwrap().difficulty = Some(Difficulty {
        kind: DifficultyKind::RefusesToCollaborate,
        date: d(2027, 1, 5),
        note: "ne répond plus depuis décembre".into(),
    });
    // A measure that could not be set up after the December session.
    let w = waiting(&mut data, 2, "Martin", COGNAC, d(2026, 10, 1));
    data.measures.get_mut(&w).unwrap().status = MeasureStatus::NotStarted {
        date: d(2027, 1, 4),
        reason: "ménage parti sans adresse".into(),
    };
    let mut dec = GtsSession::new(2026, 12);
    dec.closed = Some(d(2026, 12, 17));
    let items = draft_agenda(&data, &info(&data, 2027, 1), Some(&dec), d(2027, 1, 4));
    assert_eq!(reasons_of(&items, r), vec![AgendaReason::Difficulty]);
    assert_eq!(reasons_of(&items, w), vec![AgendaReason::Difficulty]);
    let (_, mut s) = january(&data);
    s.agenda = items.clone();
    let item = items.iter().find(|i| i.reference == r).unwrap();
    assert_eq!(
        reason_details(&data, &s, item),
        vec!["refus de collaborer (05/01/2027) : ne répond plus depuis décembre"]
    );
    let item = items.iter().find(|i| i.reference == w).unwrap();
    assert_eq!(
        reason_details(&data, &s, item),
        vec!["n'a pu se mettre en place (04/01/2027) : ménage parti sans adresse"]
    );
    // Without a saved previous session, the calendar's is used: a measure
    // that could not start months ago is not brought back.
    let old = waiting(&mut data, 3, "Ancien", COGNAC, d(2026, 1, 5));
    data.measures.get_mut(&old).unwrap().status = MeasureStatus::NotStarted {
        date: d(2026, 3, 1),
        reason: "injoignable".into(),
    };
    let items = draft_agenda(&data, &info(&data, 2027, 1), None, d(2027, 1, 4));
    assert_eq!(reasons_of(&items, w), vec![AgendaReason::Difficulty]);
    assert!(reasons_of(&items, old).is_empty());
    // Not again at the February session.
    let mut jan = GtsSession::new(2027, 1);
    jan.closed = Some(d(2027, 1, 21));
    let feb = draft_agenda(&data, &info(&data, 2027, 2), Some(&jan), d(2027, 1, 25));
    assert!(reasons_of(&feb, w).is_empty());
}

#[test]
fn r_elig_2_judicial_protection_goes_to_agenda() {
    let mut data = base();
    let r = measure(
        &mut data,
        1,
        "Durand",
        COGNAC,
        LAURENT,
        d(2026, 11, 2),
        d(2027, 5, 2),
    );
    let stopped = measure(
        &mut data,
        2,
        "Martin",
        COGNAC,
        LAURENT,
        d(2026, 6, 2),
        d(2026, 12, 2),
    );
    for hh in [1, 2] {
        data.households
            .get_mut(&assll::domain::HouseholdId(hh))
            .unwrap()
            .judicial_protection = true;
    }
    data.measures.get_mut(&stopped).unwrap().status = MeasureStatus::Stopped {
        date: d(2026, 12, 17),
        reason: "arrêt".into(),
    };
    let items = draft_agenda(&data, &info(&data, 2027, 1), None, d(2027, 1, 4));
    assert_eq!(
        reasons_of(&items, r),
        vec![AgendaReason::JudicialProtection]
    );
    assert!(reasons_of(&items, stopped).is_empty());
}

#[test]
fn r_gts_2_one_item_per_measure_with_all_reasons_in_sector_worker_order() {
    let mut data = base();
    let a = due_in_january(&mut data, 5, "Zola");
    data.measures.get_mut(&a).unwrap().contract = Contract::Pending;
    data.households
        .get_mut(&assll::domain::HouseholdId(5))
        .unwrap()
        .judicial_protection = true;
    let b = measure(
        &mut data,
        3,
        "Bernard",
        COGNAC,
        BLANC,
        d(2026, 8, 10),
        d(2027, 2, 10),
    );
    let c = measure(
        &mut data,
        9,
        "Carré",
        RUFFEC,
        PETIT,
        d(2026, 8, 10),
        d(2027, 2, 10),
    );
    let e = measure(
        &mut data,
        1,
        "Albert",
        COGNAC,
        LAURENT,
        d(2026, 8, 10),
        d(2027, 2, 10),
    );
    let items = draft_agenda(&data, &info(&data, 2027, 1), None, d(2027, 1, 4));
    assert_eq!(
        reasons_of(&items, a),
        vec![
            AgendaReason::PlannedEnd,
            AgendaReason::NoContract,
            AgendaReason::JudicialProtection
        ]
    );
    // Ruffécois (1) before Cognac (6); in Cognac M. Blanc before Mme Laurent.
    let order: Vec<Reference> = items.iter().map(|i| i.reference).collect();
    assert_eq!(order, vec![c, b, e, a]);
}

#[test]
fn r_gts_2_gip_adds_and_removes_with_a_reason() {
    let mut data = base();
    let due = due_in_january(&mut data, 1, "Durand");
    let other = measure(
        &mut data,
        2,
        "Martin",
        COGNAC,
        LAURENT,
        d(2026, 11, 2),
        d(2027, 5, 2),
    );
    let (info, mut s) = january(&data);
    refresh_draft(&data, &info, &mut s, d(2027, 1, 4)).unwrap();
    assert_eq!(
        add_item(&data, &mut s, other, "  ").unwrap_err(),
        AgendaError::ReasonRequired
    );
    add_item(&data, &mut s, other, "dette qui s'aggrave").unwrap();
    assert_eq!(
        add_item(&data, &mut s, other, "encore").unwrap_err(),
        AgendaError::AlreadyOnAgenda { reference: other }
    );
    let item = s.agenda.iter().find(|i| i.reference == other).unwrap();
    assert_eq!(
        reason_details(&data, &s, item),
        vec!["ajoutée par le GIP : dette qui s'aggrave"]
    );
    assert!(remove_item(&mut s, due, "").is_err());
    remove_item(&mut s, due, "bilan déjà fait en décembre").unwrap();
    assert_eq!(
        s.agenda
            .iter()
            .find(|i| i.reference == due)
            .unwrap()
            .removed
            .as_deref(),
        Some("bilan déjà fait en décembre")
    );
    // Recomputing the draft keeps the GIP's work.
    refresh_draft(&data, &info, &mut s, d(2027, 1, 5)).unwrap();
    assert!(s.agenda.iter().any(|i| i.reference == other));
    assert!(
        s.agenda
            .iter()
            .find(|i| i.reference == due)
            .unwrap()
            .removed
            .is_some()
    );
    assert_eq!(free_note(&s), "");
    // An unknown measure is refused.
    let unknown = Reference::new(2020, 1);
    assert_eq!(
        add_item(&data, &mut s, unknown, "x")
            .unwrap_err()
            .to_string(),
        "Mesure 2020-0001 introuvable"
    );
}

#[test]
fn r_gts_3_sending_the_draft_freezes_it() {
    let mut data = base();
    let due = due_in_january(&mut data, 1, "Durand");
    let other = measure(
        &mut data,
        2,
        "Martin",
        COGNAC,
        LAURENT,
        d(2026, 11, 2),
        d(2027, 5, 2),
    );
    let mut s = sent_draft(&data);
    assert_eq!(s.draft_sent, Some(d(2027, 1, 6)));
    let err = add_item(&data, &mut s, other, "ajout tardif").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Ordre du jour figé : le brouillon a été envoyé aux TS le 06/01/2027 (R-GTS-3)"
    );
    assert!(remove_item(&mut s, due, "motif").is_err());
    assert!(send_draft(&mut s, d(2027, 1, 7)).is_err());
    let (info, _) = january(&data);
    assert!(refresh_draft(&data, &info, &mut s, d(2027, 1, 7)).is_err());
}

#[test]
fn r_gts_4_reply_before_draft_is_refused() {
    let mut data = base();
    let due = due_in_january(&mut data, 1, "Durand");
    let (info, mut s) = january(&data);
    refresh_draft(&data, &info, &mut s, d(2027, 1, 4)).unwrap();
    let err = record_reply(&mut s, due, Reply::WillExamine, d(2027, 1, 5)).unwrap_err();
    assert_eq!(err, AgendaError::DraftNotSent);
    assert_eq!(
        err.to_string(),
        "L'ordre du jour brouillon n'a pas encore été envoyé aux TS (R-GTS-3)"
    );
}

#[test]
fn r_gts_4_late_reply_is_marked() {
    let mut data = base();
    let on_time = due_in_january(&mut data, 1, "Durand");
    let late = due_in_january(&mut data, 2, "Martin");
    let mut s = sent_draft(&data);
    // Replies are due Friday 08/01/2027 (the Saturday moves back).
    record_reply(&mut s, on_time, Reply::WillExamine, d(2027, 1, 8)).unwrap();
    record_reply(&mut s, late, Reply::WillExamine, d(2027, 1, 11)).unwrap();
    let item = |r| s.agenda.iter().find(|i| i.reference == r).unwrap();
    assert!(!reply_is_late(&s, item(on_time)));
    assert!(reply_is_late(&s, item(late)));
}

#[test]
fn r_gts_4_not_examined_needs_reason() {
    let mut data = base();
    let due = due_in_january(&mut data, 1, "Durand");
    let mut s = sent_draft(&data);
    let err = record_reply(
        &mut s,
        due,
        Reply::WillNotExamine { reason: " ".into() },
        d(2027, 1, 7),
    )
    .unwrap_err();
    assert_eq!(err, AgendaError::ReasonRequired);
    assert_eq!(err.to_string(), "Motif obligatoire");
    record_reply(
        &mut s,
        due,
        Reply::WillNotExamine {
            reason: " bilan non rédigé ".into(),
        },
        d(2027, 1, 7),
    )
    .unwrap();
    assert_eq!(
        s.agenda[0].reply,
        Some((
            Reply::WillNotExamine {
                reason: "bilan non rédigé".into()
            },
            d(2027, 1, 7)
        ))
    );
}

#[test]
fn r_gts_4_workers_without_reply_are_listed() {
    let mut data = base();
    let a = due_in_january(&mut data, 1, "Durand");
    let _b = measure(
        &mut data,
        2,
        "Martin",
        COGNAC,
        BLANC,
        d(2026, 8, 10),
        d(2027, 2, 10),
    );
    let _c = measure(
        &mut data,
        3,
        "Carré",
        RUFFEC,
        PETIT,
        d(2026, 8, 10),
        d(2027, 2, 10),
    );
    let mut s = sent_draft(&data);
    assert_eq!(
        workers_without_reply(&data, &s),
        vec![LAURENT, BLANC, PETIT]
    );
    record_reply(&mut s, a, Reply::WillExamine, d(2027, 1, 7)).unwrap();
    assert_eq!(workers_without_reply(&data, &s), vec![BLANC, PETIT]);
}

#[test]
fn r_gts_4_worker_adds_a_situation() {
    let mut data = base();
    due_in_january(&mut data, 1, "Durand");
    let other = measure(
        &mut data,
        2,
        "Martin",
        COGNAC,
        LAURENT,
        d(2026, 11, 2),
        d(2027, 5, 2),
    );
    let mut s = sent_draft(&data);
    assert!(add_worker_situation(&data, &mut s, other, "", d(2027, 1, 7)).is_err());
    add_worker_situation(&data, &mut s, other, "expulsion programmée", d(2027, 1, 7)).unwrap();
    let item = s.agenda.iter().find(|i| i.reference == other).unwrap();
    assert_eq!(item.reasons, vec![AgendaReason::AddedByWorker]);
    assert_eq!(item.reply, Some((Reply::WillExamine, d(2027, 1, 7))));
    assert_eq!(
        reason_details(&data, &s, item),
        vec!["ajoutée par le TS : expulsion programmée"]
    );
}

#[test]
fn r_gts_5_final_agenda_excludes_not_examined() {
    let mut data = base();
    let kept = due_in_january(&mut data, 1, "Durand");
    let not = due_in_january(&mut data, 2, "Martin");
    let removed = due_in_january(&mut data, 3, "Bernard");
    let (info, mut s) = january(&data);
    refresh_draft(&data, &info, &mut s, d(2027, 1, 4)).unwrap();
    // The final cannot precede the draft.
    assert_eq!(
        send_final(&mut s, d(2027, 1, 13)).unwrap_err(),
        AgendaError::DraftNotSent
    );
    remove_item(&mut s, removed, "déménagé hors département").unwrap();
    send_draft(&mut s, d(2027, 1, 6)).unwrap();
    record_reply(
        &mut s,
        not,
        Reply::WillNotExamine {
            reason: "TS en congé".into(),
        },
        d(2027, 1, 7),
    )
    .unwrap();
    send_final(&mut s, d(2027, 1, 13)).unwrap();
    let finals: Vec<Reference> = final_agenda(&s).iter().map(|i| i.reference).collect();
    assert_eq!(finals, vec![kept]);
    // Frozen: no more replies nor a second sending.
    let err = record_reply(&mut s, kept, Reply::WillExamine, d(2027, 1, 14)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Ordre du jour figé : le définitif a été envoyé aux partenaires le 13/01/2027 (R-GTS-5)"
    );
    assert!(send_final(&mut s, d(2027, 1, 14)).is_err());
    // A situation not on the final agenda gets no decision.
    let m = data.measures[&not].clone();
    assert_eq!(
        record_decision(&mut s, &m, Decision::Stop, None, d(2027, 1, 21)).unwrap_err(),
        AgendaError::NotOnFinalAgenda { reference: not }
    );
}

#[test]
fn r_gts_5_final_agenda_waits_for_the_reply_time_unless_every_reply_is_in() {
    let mut data = base();
    let a = due_in_january(&mut data, 1, "Durand");
    let b = due_in_january(&mut data, 2, "Martin");
    // Draft sent 06/01, its due date, for the 21/01 session: the workers
    // reply until Friday 08/01 inclusive (06/01 + 3 days is a Saturday,
    // moved back to the previous working day).
    let mut s = sent_draft(&data);
    assert_eq!(reply_deadline(&s), d(2027, 1, 8));
    record_reply(&mut s, a, Reply::WillExamine, d(2027, 1, 7)).unwrap();
    let err = send_final(&mut s.clone(), d(2027, 1, 8)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Les TS ont jusqu'au 08/01/2027 inclus pour répondre (72 heures, R-GTS-4) et 1 \
         situation attend encore sa réponse : l'ordre du jour définitif part après ce délai, \
         ou dès que toutes les réponses sont là (R-GTS-5)"
    );
    // Once the reply time has run, it goes with a reply missing.
    let mut late = s.clone();
    send_final(&mut late, d(2027, 1, 9)).unwrap();
    assert_eq!(late.final_sent, Some(d(2027, 1, 9)));
    // Every reply in: it may go before the deadline.
    record_reply(
        &mut s,
        b,
        Reply::WillNotExamine {
            reason: "TS en congé".into(),
        },
        d(2027, 1, 7),
    )
    .unwrap();
    send_final(&mut s, d(2027, 1, 7)).unwrap();
    assert_eq!(s.final_sent, Some(d(2027, 1, 7)));
    // A draft sent late (Monday 11/01) gives its 72 hours from then:
    // until Thursday 14/01.
    let (info, mut s) = january(&data);
    refresh_draft(&data, &info, &mut s, d(2027, 1, 4)).unwrap();
    send_draft(&mut s, d(2027, 1, 11)).unwrap();
    assert_eq!(reply_deadline(&s), d(2027, 1, 14));
    assert!(send_final(&mut s.clone(), d(2027, 1, 14)).is_err());
    send_final(&mut s, d(2027, 1, 15)).unwrap();
    // A reply on 14/01 is in time, on 15/01 late.
    let item = |day| assll::domain::gts::AgendaItem {
        reply: Some((Reply::WillExamine, d(2027, 1, day))),
        ..s.agenda[0].clone()
    };
    assert!(!reply_is_late(&s, &item(14)));
    assert!(reply_is_late(&s, &item(15)));
}

/// January with a final agenda sent, ready for the meeting.
/// The January session as it opens, everyone on the proposed attendance
/// present, chaired by the Conseil Général.
fn meeting(data: &Dataset) -> GtsSession {
    let mut s = sent_draft(data);
    send_final(&mut s, d(2027, 1, 13)).unwrap();
    s.attendance = default_attendance(data, &s);
    for a in &mut s.attendance {
        a.present = true;
    }
    s.chair = "Conseil Général".into();
    s
}

#[test]
fn r_mes_4_third_renewal_is_refused_at_gts() {
    let mut data = base();
    let r = due_in_january(&mut data, 1, "Durand");
    renewed_twice(&mut data, r);
    let mut s = meeting(&data);
    let m = data.measures[&r].clone();
    let err = record_decision(
        &mut s,
        &m,
        Decision::Renew { months: 3 },
        None,
        d(2027, 1, 21),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Renouvellement refusé : déjà renouvelée 2 fois (R-MES-4)"
    );
    assert!(s.decisions.is_empty());
    // Stopping it is fine.
    record_decision(&mut s, &m, Decision::Stop, None, d(2027, 1, 21)).unwrap();
}

#[test]
fn r_bil_1_renewal_needs_a_review_written_for_this_cycle() {
    let mut data = base();
    let r = due_in_january(&mut data, 1, "Durand");
    let mut s = meeting(&data);
    let renew = Decision::Renew { months: 3 };
    // No review at all: refused, with the rule.
    let mut m = data.measures[&r].clone();
    m.review = Default::default();
    let err = record_decision(&mut s, &m, renew.clone(), None, d(2027, 1, 21)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Renouvellement refusé : aucun bilan écrit pour ce cycle (depuis le 10/08/2026) ; la ou \
         le TS rédige le bilan présenté au GTS (R-BIL-1)"
    );
    assert!(s.decisions.is_empty());
    // Written since the start: renewed.
    m.write_review("Bilan : loyer repris.", d(2027, 1, 12))
        .unwrap();
    record_decision(&mut s, &m, renew.clone(), None, d(2027, 1, 21)).unwrap();
    // Once renewed, the review of the past cycle no longer serves: the
    // next renewal needs one written after the renewal's GTS.
    m.renew(3, d(2026, 11, 19)).unwrap();
    m.review.updated = Some(d(2026, 11, 19));
    let mut s = meeting(&data);
    let err = record_decision(&mut s, &m, renew.clone(), None, d(2027, 1, 21)).unwrap_err();
    assert!(err.to_string().contains("depuis le 19/11/2026"), "{err}");
    m.write_review("Bilan du renouvellement.", d(2027, 1, 14))
        .unwrap();
    record_decision(&mut s, &m, renew, None, d(2027, 1, 21)).unwrap();
    // Stopping or postponing needs no review.
    let mut m = data.measures[&r].clone();
    m.review = Default::default();
    record_decision(&mut s, &m, Decision::Stop, None, d(2027, 1, 21)).unwrap();
}

#[test]
fn r_bil_1_a_renewal_keeps_the_review_of_the_cycle_it_ends() {
    let mut data = base();
    let r = due_in_january(&mut data, 1, "Durand");
    let written = data.measures[&r].review.clone();
    let mut s = meeting(&data);
    let m = data.measures[&r].clone();
    record_decision(
        &mut s,
        &m,
        Decision::Renew { months: 3 },
        None,
        d(2027, 1, 21),
    )
    .unwrap();
    for rec in close_session(&data, &mut s, d(2027, 1, 21)).unwrap() {
        data.apply(rec);
    }
    let m = &data.measures[&r];
    assert_eq!(m.past_reviews.len(), 1);
    assert_eq!(m.past_reviews[0].cycle, 1);
    assert_eq!(m.past_reviews[0].renewed_on, d(2027, 1, 21));
    assert_eq!(m.past_reviews[0].review, written);
    // The new cycle's review is to be written; the next renewal needs it.
    assert!(m.review.text.is_empty() && m.review.updated.is_none());
    let mut m = m.clone();
    assert!(
        assll::domain::measure::check_review_for_renewal(&m).is_err(),
        "the past cycle's review does not serve"
    );
    m.write_review("Bilan du deuxième cycle.", d(2027, 4, 1))
        .unwrap();
    m.renew(2, d(2027, 4, 15)).unwrap();
    let cycles: Vec<u8> = m.past_reviews.iter().map(|p| p.cycle).collect();
    assert_eq!(cycles, vec![1, 2]);
    assert_eq!(m.past_reviews[1].review.text, "Bilan du deuxième cycle.");
}

#[test]
fn r_mes_4_renewal_months_are_one_to_six() {
    let mut data = base();
    let r = due_in_january(&mut data, 1, "Durand");
    let mut s = meeting(&data);
    let m = data.measures[&r].clone();
    for months in [0, 7] {
        let err = record_decision(&mut s, &m, Decision::Renew { months }, None, d(2027, 1, 21))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("Renouvellement de {months} mois refusé : de 1 à 6 mois (R-MES-4)")
        );
    }
    record_decision(
        &mut s,
        &m,
        Decision::Renew { months: 6 },
        None,
        d(2027, 1, 21),
    )
    .unwrap();
}

#[test]
fn r_mes_4_renewal_extends_planned_end_at_close() {
    let mut data = base();
    let renewed = due_in_january(&mut data, 1, "Durand");
    let stopped = due_in_january(&mut data, 2, "Martin");
    let mut s = meeting(&data);
    let m = data.measures[&renewed].clone();
    record_decision(
        &mut s,
        &m,
        Decision::Renew { months: 3 },
        None,
        d(2027, 1, 21),
    )
    .unwrap();
    let m = data.measures[&stopped].clone();
    record_decision(&mut s, &m, Decision::Stop, None, d(2027, 1, 21)).unwrap();
    // Before closing, nothing has changed on the measures.
    assert_eq!(data.measures[&renewed].planned_end, Some(d(2027, 2, 10)));
    let records = close_session(&data, &mut s, d(2027, 1, 21)).unwrap();
    assert_eq!(s.closed, Some(d(2027, 1, 21)));
    for rec in records.clone() {
        data.apply(rec);
    }
    let m = &data.measures[&renewed];
    assert_eq!(m.planned_end, Some(d(2027, 5, 10)));
    assert_eq!(m.renewals.len(), 1);
    assert_eq!(m.renewals[0].months, 3);
    let m = &data.measures[&stopped];
    assert!(matches!(
        &m.status,
        MeasureStatus::Stopped { date, reason }
            if *date == d(2027, 1, 21) && reason == "Arrêt décidé par le GTS du 21/01/2027"
    ));
    // One transaction: the two measures and the session, nothing carried.
    assert_eq!(records.len(), 3);
    assert!(matches!(&records[2], Record::Session(x) if x.closed.is_some() && x.month == 1));
    assert_eq!(data.sessions[&(2027, 1)].closed, Some(d(2027, 1, 21)));
}

#[test]
fn r_gts_6_colleague_presenter_recorded() {
    let mut data = base();
    let r = due_in_january(&mut data, 1, "Durand");
    let mut s = meeting(&data);
    let m = data.measures[&r].clone();
    record_decision(
        &mut s,
        &m,
        Decision::Stop,
        Some(" M. Blanc ".into()),
        d(2027, 1, 21),
    )
    .unwrap();
    assert_eq!(
        s.decisions[0].presented_by_colleague.as_deref(),
        Some("M. Blanc")
    );
    // An empty name means the worker in charge presented.
    record_decision(
        &mut s,
        &m,
        Decision::Stop,
        Some("  ".into()),
        d(2027, 1, 21),
    )
    .unwrap();
    assert_eq!(s.decisions.len(), 1);
    assert_eq!(s.decisions[0].presented_by_colleague, None);
}

#[test]
fn r_gts_7_decision_can_change_until_closed() {
    let mut data = base();
    let r = due_in_january(&mut data, 1, "Durand");
    let mut s = meeting(&data);
    let m = data.measures[&r].clone();
    record_decision(&mut s, &m, Decision::Stop, None, d(2027, 1, 21)).unwrap();
    record_decision(
        &mut s,
        &m,
        Decision::Renew { months: 2 },
        None,
        d(2027, 1, 21),
    )
    .unwrap();
    assert_eq!(s.decisions.len(), 1);
    assert_eq!(s.decisions[0].decision, Decision::Renew { months: 2 });
    assert!(
        record_decision(
            &mut s,
            &m,
            Decision::Postpone { reason: "".into() },
            None,
            d(2027, 1, 21)
        )
        .is_err()
    );
    close_session(&data, &mut s, d(2027, 1, 21)).unwrap();
    let err = record_decision(&mut s, &m, Decision::Stop, None, d(2027, 1, 22)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Le GTS a été clôturé le 21/01/2027 : plus aucune modification"
    );
    assert!(clear_decision(&mut s, r).is_err());
    assert!(close_session(&data, &mut s, d(2027, 1, 22)).is_err());
    assert!(set_chair(&mut s, "Mme X").is_err());
}

#[test]
fn r_gts_7_postponed_item_is_on_next_draft() {
    let mut data = base();
    let r = due_in_january(&mut data, 1, "Durand");
    let mut s = meeting(&data);
    let m = data.measures[&r].clone();
    record_decision(
        &mut s,
        &m,
        Decision::Postpone {
            reason: "attente de la décision du juge".into(),
        },
        None,
        d(2027, 1, 21),
    )
    .unwrap();
    let records = close_session(&data, &mut s, d(2027, 1, 21)).unwrap();
    // The session and the next one (February), nothing else.
    assert_eq!(records.len(), 2);
    let Record::Session(feb) = &records[1] else {
        panic!("the next session is returned")
    };
    assert_eq!((feb.year, feb.month), (2027, 2));
    assert_eq!(feb.agenda.len(), 1);
    assert_eq!(feb.agenda[0].reference, r);
    assert_eq!(feb.agenda[0].reasons, vec![AgendaReason::Postponed]);
    assert_eq!(
        reason_details(&data, feb, &feb.agenda[0]),
        vec!["reportée par le GTS du 21/01/2027 : attente de la décision du juge"]
    );
    for rec in records {
        data.apply(rec);
    }
    // The February draft, computed from the data, keeps it.
    let feb_info = info(&data, 2027, 2);
    let computed = draft_agenda(
        &data,
        &feb_info,
        data.sessions.get(&(2027, 1)),
        d(2027, 1, 25),
    );
    // Its planned end (10/02) has passed its session too: both reasons.
    let both = vec![AgendaReason::PlannedEnd, AgendaReason::Postponed];
    assert_eq!(reasons_of(&computed, r), both);
    let mut feb = data.sessions[&(2027, 2)].clone();
    refresh_draft(&data, &feb_info, &mut feb, d(2027, 1, 25)).unwrap();
    assert_eq!(reasons_of(&feb.agenda, r), both);
    assert_eq!(data.measures[&r].planned_end, Some(d(2027, 2, 10)));
}

#[test]
fn r_gts_4_a_situation_not_examined_goes_to_the_next_session_with_its_reason() {
    let mut data = base();
    let kept = due_in_january(&mut data, 1, "Durand");
    let not = due_in_january(&mut data, 2, "Martin");
    let mut s = sent_draft(&data);
    record_reply(&mut s, kept, Reply::WillExamine, d(2027, 1, 7)).unwrap();
    record_reply(
        &mut s,
        not,
        Reply::WillNotExamine {
            reason: "bilan en attente du bailleur".into(),
        },
        d(2027, 1, 7),
    )
    .unwrap();
    send_final(&mut s, d(2027, 1, 13)).unwrap();
    s.attendance = default_attendance(&data, &s);
    for a in &mut s.attendance {
        a.present = true;
    }
    s.chair = "Conseil Général".into();
    let m = data.measures[&kept].clone();
    record_decision(&mut s, &m, Decision::Stop, None, d(2027, 1, 21)).unwrap();
    let records = close_session(&data, &mut s, d(2027, 1, 21)).unwrap();
    let feb = records
        .iter()
        .find_map(|r| match r {
            Record::Session(x) if x.month == 2 => Some(x.clone()),
            _ => None,
        })
        .expect("the next session receives it");
    assert_eq!(reasons_of(&feb.agenda, not), vec![AgendaReason::Postponed]);
    assert!(reasons_of(&feb.agenda, kept).is_empty());
    let item = feb.agenda.iter().find(|i| i.reference == not).unwrap();
    assert_eq!(
        reason_details(&data, &feb, item),
        vec![
            "non examinée lors du GTS du 21/01/2027 (réponse de la TS) : bilan en attente du \
             bailleur"
        ]
    );
    for rec in records {
        data.apply(rec);
    }
    // Computed anew from the data, the February draft has it too.
    let computed = draft_agenda(
        &data,
        &info(&data, 2027, 2),
        data.sessions.get(&(2027, 1)),
        d(2027, 1, 25),
    );
    assert!(reasons_of(&computed, not).contains(&AgendaReason::Postponed));
    assert!(reasons_of(&computed, kept).is_empty());
}

#[test]
fn r_gts_7_undecided_items_are_carried_to_the_next_session() {
    let mut data = base();
    let r = due_in_january(&mut data, 1, "Durand");
    let mut s = meeting(&data);
    assert_eq!(undecided(&s).len(), 1);
    let records = close_session(&data, &mut s, d(2027, 1, 21)).unwrap();
    let Some(Record::Session(feb)) = records.last() else {
        panic!()
    };
    assert_eq!(feb.month, 2);
    assert_eq!(
        reason_details(&data, feb, &feb.agenda[0]),
        vec!["non examinée lors du GTS du 21/01/2027"]
    );
    assert_eq!(feb.agenda[0].reference, r);
}

#[test]
fn r_gts_7_close_fails_whole_when_a_decision_cannot_apply() {
    let mut data = base();
    let r = due_in_january(&mut data, 1, "Durand");
    let mut s = meeting(&data);
    let m = data.measures[&r].clone();
    record_decision(
        &mut s,
        &m,
        Decision::Renew { months: 2 },
        None,
        d(2027, 1, 21),
    )
    .unwrap();
    // Meanwhile the measure was renewed twice elsewhere.
    renewed_twice(&mut data, r);
    let before = s.clone();
    let err = close_session(&data, &mut s, d(2027, 1, 21)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Renouvellement refusé : déjà renouvelée 2 fois (R-MES-4)"
    );
    assert_eq!(s, before);
}

#[test]
fn r_gts_1_attendance_and_chair() {
    let mut data = base();
    due_in_january(&mut data, 1, "Durand");
    let mut s = meeting(&data);
    s.attendance.clear();
    // The chair is someone present.
    assert_eq!(
        set_chair(&mut s, " Mme Garnier ").unwrap_err(),
        AgendaError::ChairAbsent {
            chair: "Mme Garnier".into()
        }
    );
    add_attendee(&mut s, "Mme Garnier", "Conseil Général").unwrap();
    set_chair(&mut s, " Mme Garnier ").unwrap();
    assert_eq!(s.chair, "Mme Garnier");
    set_chair(&mut s, "Conseil Général — Mme Garnier").unwrap();
    add_attendee(&mut s, "M. Roy", "CAF").unwrap();
    add_attendee(&mut s, "Mme Lenoir", "Logélia").unwrap();
    assert!(add_attendee(&mut s, " ", "CAF").is_err());
    set_present(&mut s, 1, false).unwrap();
    assert!(s.attendance[0].present);
    assert!(!s.attendance[1].present);
}

#[test]
fn r_gts_1_a_session_closes_on_its_day_with_people_present_and_its_chair() {
    let mut data = base();
    due_in_january(&mut data, 1, "Durand");
    let s = meeting(&data);
    // Not before its day (Thursday 21/01/2027).
    let mut early = s.clone();
    assert_eq!(
        close_session(&data, &mut early, d(2027, 1, 20)).unwrap_err(),
        AgendaError::BeforeMeetingDay {
            date: "21/01/2027".into()
        }
    );
    assert!(ensure_meeting_day(&s, d(2027, 1, 20)).is_err());
    assert!(ensure_meeting_day(&s, d(2027, 1, 21)).is_ok());
    // Not with nobody present.
    let mut empty = s.clone();
    for a in &mut empty.attendance {
        a.present = false;
    }
    assert_eq!(
        close_session(&data, &mut empty, d(2027, 1, 21)).unwrap_err(),
        AgendaError::NobodyPresent
    );
    // Not when the chair is absent.
    let mut chairless = s.clone();
    let cg = chairless
        .attendance
        .iter()
        .position(|a| a.organisation == "Conseil Général")
        .unwrap();
    chairless.attendance[cg].present = false;
    assert_eq!(
        close_session(&data, &mut chairless, d(2027, 1, 21)).unwrap_err(),
        AgendaError::ChairAbsent {
            chair: "Conseil Général".into()
        }
    );
    assert_eq!(chairless.closed, None);
    let mut ok = s.clone();
    close_session(&data, &mut ok, d(2027, 1, 21)).unwrap();
    assert_eq!(ok.closed, Some(d(2027, 1, 21)));
}

#[test]
fn r_gts_3_a_session_on_an_unsent_draft_cannot_close() {
    let mut data = base();
    due_in_january(&mut data, 1, "Durand");
    let (_, mut s) = january(&data);
    s.attendance = default_attendance(&data, &s);
    for a in &mut s.attendance {
        a.present = true;
    }
    s.chair = "Conseil Général".into();
    assert_eq!(s.draft_sent, None);
    assert_eq!(
        close_session(&data, &mut s, d(2027, 1, 21)).unwrap_err(),
        AgendaError::DraftNotSent
    );
    assert_eq!(s.closed, None);
}

#[test]
fn r_gts_9_minutes_overdue() {
    let mut data = base();
    due_in_january(&mut data, 1, "Durand");
    let mut s = meeting(&data);
    // Session Thursday 21/01/2027: minutes due Friday 22/01.
    assert!(!minutes_overdue(&s, d(2027, 1, 22)));
    assert!(minutes_overdue(&s, d(2027, 1, 25)));
    assert_eq!(
        mark_minutes_sent(&mut s, d(2027, 1, 22)).unwrap_err(),
        AgendaError::NotClosed
    );
    close_session(&data, &mut s, d(2027, 1, 21)).unwrap();
    assert!(mark_minutes_sent(&mut s, d(2027, 1, 20)).is_err());
    mark_minutes_sent(&mut s, d(2027, 1, 26)).unwrap();
    assert!(!minutes_overdue(&s, d(2027, 1, 27)));
    assert!(mark_minutes_sent(&mut s, d(2027, 1, 27)).is_err());
    let mut cancelled = GtsSession::new(2027, 8);
    cancel_session(&mut cancelled, "").unwrap();
    assert!(!minutes_overdue(&cancelled, d(2027, 9, 1)));
}

#[test]
fn r_gts_1_moving_to_a_weekend_or_a_holiday_needs_a_confirmation() {
    let data = base();
    let (_, mut s) = january(&data);
    let err = move_session(&mut s, d(2027, 1, 23), "salle indisponible", false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Le 23/01/2027 est un samedi : le GTS n'y est déplacé que sur confirmation (R-GTS-1)"
    );
    let err = move_session(&mut s, d(2027, 5, 6), "pont", false).unwrap_err();
    assert!(err.to_string().contains("est férié (Ascension)"), "{err}");
    assert_eq!(s.moved_to, None);
    move_session(&mut s, d(2027, 1, 23), "salle indisponible", true).unwrap();
    assert_eq!(s.moved_to, Some(d(2027, 1, 23)));
    // A working day needs nothing.
    move_session(&mut s, d(2027, 1, 28), "salle indisponible", false).unwrap();
}

#[test]
fn r_gts_1_session_moved_moves_its_deadlines() {
    let mut data = base();
    due_in_january(&mut data, 1, "Durand");
    let mut s = GtsSession::new(2027, 1);
    move_session(&mut s, d(2027, 1, 28), "salle indisponible", false).unwrap();
    assert_eq!(s.date(), d(2027, 1, 28));
    assert_eq!(free_note(&s), "salle indisponible");
    // Replies now due 15/01 (draft 13/01 + 3 days, the Saturday moves back).
    s.draft_sent = Some(d(2027, 1, 13));
    s.agenda = draft_agenda(&data, &info(&data, 2027, 1), None, d(2027, 1, 4));
    record_reply(
        &mut s,
        Reference::new(2026, 1),
        Reply::WillExamine,
        d(2027, 1, 15),
    )
    .unwrap();
    assert!(!reply_is_late(&s, &s.agenda[0]));
    // A session with decisions cannot be cancelled.
    s.final_sent = Some(d(2027, 1, 20));
    let m = data.measures[&Reference::new(2026, 1)].clone();
    record_decision(&mut s, &m, Decision::Stop, None, d(2027, 1, 28)).unwrap();
    assert_eq!(
        cancel_session(&mut s, "").unwrap_err(),
        AgendaError::HasDecisions
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// R-GTS-2: whatever the data, one item per measure, each with a
    /// reason, in sector, worker, reference order, and the same result twice.
    #[test]
    fn r_gts_2_draft_is_unique_sorted_and_deterministic(
        specs in prop::collection::vec((1u16..=9, 0usize..3, 0u32..400, 0u32..200), 0..40)
    ) {
        let mut data = base();
        let workers = [LAURENT, BLANC, PETIT];
        for (i, (sector, w, start_off, len)) in specs.iter().enumerate() {
            let start = d(2026, 1, 1) + chrono::Days::new(u64::from(*start_off));
            let end = start + chrono::Days::new(u64::from(*len) + 1);
            let r = measure(&mut data, i as u32 + 1, "Ménage", assll::domain::SectorId(*sector), workers[*w], start, end);
            if i % 3 == 0 {
                data.measures.get_mut(&r).unwrap().contract = Contract::Pending;
            }
        }
        let today = d(2027, 1, 4);
        let info = info(&data, 2027, 1);
        let a = draft_agenda(&data, &info, None, today);
        let b = draft_agenda(&data, &info, None, today);
        prop_assert_eq!(&a, &b);
        let mut refs: Vec<Reference> = a.iter().map(|i| i.reference).collect();
        refs.dedup();
        prop_assert_eq!(refs.len(), a.len());
        prop_assert!(a.iter().all(|i| !i.reasons.is_empty()));
        let keys: Vec<_> = a
            .iter()
            .map(|i| {
                let m = &data.measures[&i.reference];
                (m.sector, data.worker_name(m.worker).to_lowercase(), i.reference)
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        prop_assert_eq!(keys, sorted);
    }
}

#[test]
fn r_cap_stops_free_places_and_name_who_comes_next() {
    let mut data = base();
    // Ruffécois: capacity 14 (0.5 FTE × 28); fill it.
    let mut refs = Vec::new();
    for n in 1..=14 {
        refs.push(measure(
            &mut data,
            n,
            "Plein",
            RUFFEC,
            PETIT,
            d(2026, 8, 10),
            d(2027, 2, 10),
        ));
    }
    let first = waiting(&mut data, 50, "Premier", RUFFEC, d(2026, 9, 1));
    let second = waiting(&mut data, 51, "Second", RUFFEC, d(2026, 10, 1));
    let mut s = meeting(&data);
    let ruffec = |s: &GtsSession| {
        capacity_effect(&data, s)
            .into_iter()
            .find(|e| e.sector == RUFFEC)
            .unwrap()
    };
    let e = ruffec(&s);
    assert_eq!((e.capacity, e.load, e.freed, e.free_after), (14, 14, 0, 0));
    assert!(e.next.is_empty());
    let m = data.measures[&refs[0]].clone();
    record_decision(&mut s, &m, Decision::Stop, None, d(2027, 1, 21)).unwrap();
    let m = data.measures[&refs[1]].clone();
    record_decision(
        &mut s,
        &m,
        Decision::Renew { months: 2 },
        None,
        d(2027, 1, 21),
    )
    .unwrap();
    let e = ruffec(&s);
    assert_eq!((e.freed, e.free_after), (1, 1));
    assert_eq!(e.next, vec![first]);
    let m = data.measures[&refs[1]].clone();
    record_decision(
        &mut s,
        &m,
        Decision::Stop,
        Some("M. Blanc".into()),
        d(2027, 1, 21),
    )
    .unwrap();
    assert_eq!(ruffec(&s).next, vec![first, second]);
    assert_eq!(presenter(&data, &s, refs[1]), "M. Blanc");
    assert_eq!(presenter(&data, &s, refs[0]), "Mme Petit");
}
