//! The minutes (procès-verbal) of a session (R-GTS-6/7/8/9).
//!
//! Generate them once the records returned by `close_session` are applied
//! to the dataset: the annex then shows the waiting lists and the measures
//! in progress after the decisions, and renewals their new planned end.

use super::doc::Document;
use super::{Grouping, grouped, household_label, measure_dates, measure_dates_at};
use crate::domain::Dataset;
use crate::domain::agenda::{
    decision_for, is_on_final, new_planned_end, reason_details, renewed_by,
};
use crate::domain::calendar::{deadlines, fr_date, fr_long_date};
use crate::domain::gts::{AgendaItem, AgendaReason, Attendee, Decision, GtsSession, Reply};
use crate::domain::measure::MAX_RENEWALS;
use crate::domain::referral::{ReferralKind, Requester};

fn by_organisation(list: &[&Attendee]) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for a in list {
        let org = if a.organisation.trim().is_empty() {
            "Autres".to_string()
        } else {
            a.organisation.trim().to_string()
        };
        match groups.iter_mut().find(|(o, _)| *o == org) {
            Some((_, names)) => names.push(a.name.clone()),
            None => groups.push((org, vec![a.name.clone()])),
        }
    }
    groups
}

fn presenter(data: &Dataset, session: &GtsSession, item: &AgendaItem) -> String {
    let worker = data
        .measures
        .get(&item.reference)
        .map_or("—", |m| data.worker_name(m.worker));
    match decision_for(session, item.reference).and_then(|d| d.presented_by_colleague.as_deref()) {
        Some(c) => format!("Présentée par : {c}, collègue, à la place de {worker} (R-GTS-6)"),
        // An absent worker presented nothing (a postponement, say).
        None if !crate::domain::agenda::is_present(session, worker) => {
            format!("Non présentée : {worker}, TS en charge, absent·e")
        }
        None => format!("Présentée par : {worker}, TS en charge"),
    }
}

/// The minutes as a document.
pub fn minutes_document(data: &Dataset, session: &GtsSession, privacy: bool) -> Document {
    let date = session.date();
    let mut doc = Document::new(format!("GTS du {} — Procès-verbal", fr_date(date)));
    doc.title("Procès-verbal");
    doc.subtitle(format!(
        "Groupe Technique Social ASSLL — séance du {}, au GIP",
        fr_long_date(date)
    ));
    doc.subtitle(format!(
        "Présidence : {}",
        if session.chair.trim().is_empty() {
            "—"
        } else {
            session.chair.trim()
        }
    ));
    doc.subtitle(match (session.closed, session.minutes_sent) {
        (_, Some(sent)) => format!("Procès-verbal envoyé le {}", fr_date(sent)),
        (Some(_), None) => format!(
            "Procès-verbal à envoyer au plus tard le {} (R-GTS-9)",
            fr_date(deadlines(date).minutes)
        ),
        (None, None) => "Projet : la séance n'est pas encore close".to_string(),
    });

    // Attendance.
    let present: Vec<&Attendee> = session.attendance.iter().filter(|a| a.present).collect();
    let absent: Vec<&Attendee> = session.attendance.iter().filter(|a| !a.present).collect();
    doc.heading("Présents");
    if present.is_empty() {
        doc.para("Aucune présence enregistrée.");
    }
    for (org, names) in by_organisation(&present) {
        doc.item(format!("{org} : {}", names.join(", ")));
    }
    if !absent.is_empty() {
        doc.heading("Absents ou excusés");
        for (org, names) in by_organisation(&absent) {
            doc.item(format!("{org} : {}", names.join(", ")));
        }
    }

    // Decisions.
    let mut stops = 0;
    let mut renewals = 0;
    let mut postponed: Vec<&AgendaItem> = Vec::new();
    let mut examined: Vec<&AgendaItem> = Vec::new();
    for item in session.agenda.iter().filter(|i| is_on_final(i)) {
        match decision_for(session, item.reference).map(|d| &d.decision) {
            Some(Decision::Stop) => {
                stops += 1;
                examined.push(item);
            }
            Some(Decision::Renew { .. }) => {
                renewals += 1;
                examined.push(item);
            }
            Some(Decision::Postpone { .. }) => postponed.push(item),
            None => {}
        }
    }
    doc.heading("Situations examinées");
    doc.para(format!(
        "{} situation(s) examinée(s) : {stops} arrêt(s), {renewals} renouvellement(s) ; {} reportée(s).",
        examined.len(),
        postponed.len()
    ));
    grouped(
        data,
        &mut doc,
        Grouping::Nested,
        examined.iter().copied(),
        |doc, item| {
            let mut lines = Vec::new();
            let m = data.measures.get(&item.reference);
            if let Some(m) = m {
                lines.push(measure_dates_at(data, m, session));
            }
            lines.push(format!(
                "Inscrite : {}",
                reason_details(data, session, item).join(" ; ")
            ));
            if let Some(d) = decision_for(session, item.reference) {
                match &d.decision {
                    Decision::Stop => lines.push("Décision : arrêt de la mesure".to_string()),
                    Decision::Renew { months } => {
                        let end = m
                            .and_then(|m| new_planned_end(m, d))
                            .map_or_else(|| "—".to_string(), fr_date);
                        let used = m.map_or(0, |m| {
                            // Before closing, the renewal is not counted yet.
                            let counted = renewed_by(m, session).is_some();
                            m.renewals_used() + usize::from(!counted)
                        });
                        lines.push(format!(
                            "Décision : renouvellement de {months} mois — nouvelle fin prévue le {end}"
                        ));
                        lines.push(format!(
                            "Renouvellements après décision : {used}/{MAX_RENEWALS}"
                        ));
                    }
                    Decision::Postpone { reason } => {
                        lines.push(format!("Décision : reportée — {reason}"))
                    }
                }
            }
            lines.push(presenter(data, session, item));
            doc.entry(household_label(data, item.reference, privacy), lines);
        },
    );

    if !postponed.is_empty() {
        doc.heading("Situations reportées au prochain GTS");
        for item in &postponed {
            let mut lines = Vec::new();
            if let Some(Decision::Postpone { reason }) =
                decision_for(session, item.reference).map(|d| &d.decision)
            {
                lines.push(format!("Motif du report : {reason}"));
            }
            lines.push(presenter(data, session, item));
            doc.entry(household_label(data, item.reference, privacy), lines);
        }
    }

    // Not examined: the workers' "will not examine", and what the meeting
    // did not reach.
    let mut not_examined: Vec<(&AgendaItem, String)> = session
        .agenda
        .iter()
        .filter(|i| i.removed.is_none())
        .filter_map(|i| match &i.reply {
            Some((Reply::WillNotExamine { reason }, _)) => {
                Some((i, format!("Motif du TS : {reason}")))
            }
            _ => None,
        })
        .collect();
    for item in session.agenda.iter().filter(|i| is_on_final(i)) {
        if decision_for(session, item.reference).is_none() {
            not_examined.push((
                item,
                "Non examinée en séance : inscrite d'office au prochain GTS".to_string(),
            ));
        }
    }
    if !not_examined.is_empty() {
        doc.heading("Situations non examinées");
        for (item, why) in not_examined {
            doc.entry(household_label(data, item.reference, privacy), vec![why]);
        }
    }

    let added: Vec<&AgendaItem> = session
        .agenda
        .iter()
        .filter(|i| i.removed.is_none())
        .filter(|i| {
            i.reasons
                .iter()
                .any(|r| matches!(r, AgendaReason::AddedByGip | AgendaReason::AddedByWorker))
        })
        .collect();
    if !added.is_empty() {
        doc.heading("Situations ajoutées à l'ordre du jour");
        for item in added {
            let mut lines = vec![reason_details(data, session, item).join(" ; ")];
            if let Some(d) = decision_for(session, item.reference) {
                lines.push(format!("Décision : {}", d.decision.label()));
            }
            doc.entry(household_label(data, item.reference, privacy), lines);
        }
    }

    annex(data, session, privacy, &mut doc);
    doc
}

/// R-GTS-8: the waiting lists and the measures in progress of each sector.
fn annex(data: &Dataset, session: &GtsSession, privacy: bool, doc: &mut Document) {
    let date = session.date();
    doc.heading("Annexe — listes d'attente et mesures en cours par circonscription (R-GTS-8)");
    for sector in data.sectors.values() {
        let load = data.load_of(sector.id);
        let capacity = sector.capacity(&data.norms);
        doc.subheading(format!(
            "{} — charge {load}/{capacity}{}",
            sector.name,
            if load > capacity {
                " (au-delà de la capacité)"
            } else {
                ""
            }
        ));
        let waiting = data.waiting_list(sector.id);
        doc.para(format!("Liste d'attente : {}", waiting.len()));
        for (i, r) in waiting.iter().enumerate() {
            let mut flags = Vec::new();
            if r.urgent {
                flags.push("urgence".to_string());
            }
            if r.kind == ReferralKind::Diagnostic {
                flags.push("diagnostic".to_string());
            }
            if r.requester != Requester::Household {
                flags.push(format!("demandeur : {}", r.requester.label()));
            }
            let days = (date - r.referral_date).num_days().max(0);
            doc.item(format!(
                "{}. {} — commande du {}, {days} j{}",
                i + 1,
                household_label(data, r.reference, privacy),
                fr_date(r.referral_date),
                if flags.is_empty() {
                    String::new()
                } else {
                    format!(", {}", flags.join(", "))
                }
            ));
        }
        let mut in_progress: Vec<_> = data
            .measures
            .values()
            .filter(|m| m.sector == sector.id && m.is_in_progress())
            .collect();
        in_progress
            .sort_by_cached_key(|m| (data.worker_name(m.worker).to_lowercase(), m.reference));
        doc.para(format!("Mesures en cours : {}", in_progress.len()));
        for m in in_progress {
            doc.item(format!(
                "{}{} — TS {} — {}",
                household_label(data, m.reference, privacy),
                if m.kind == ReferralKind::Diagnostic {
                    " (diagnostic)"
                } else {
                    ""
                },
                data.worker_name(m.worker),
                measure_dates(m)
            ));
        }
    }
}

pub fn minutes_text(data: &Dataset, session: &GtsSession, privacy: bool) -> String {
    minutes_document(data, session, privacy).to_text()
}

pub fn minutes_pdf(data: &Dataset, session: &GtsSession, privacy: bool) -> Vec<u8> {
    minutes_document(data, session, privacy).to_pdf()
}
