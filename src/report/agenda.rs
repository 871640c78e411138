//! The draft agenda (to the workers, R-GTS-3/4) and the final agenda (to the
//! partners, R-GTS-5).

use super::doc::Document;
use super::{Grouping, grouped, household_label, measure_dates};
use crate::domain::Dataset;
use crate::domain::agenda::{is_on_final, reason_details, reply_is_late};
use crate::domain::calendar::{deadlines, fr_date, fr_long_date};
use crate::domain::gts::{AgendaItem, GtsSession, Reply};

fn session_line(session: &GtsSession) -> String {
    format!(
        "Groupe Technique Social ASSLL — séance du {}, au GIP",
        fr_long_date(session.date())
    )
}

fn item_lines(
    data: &Dataset,
    session: &GtsSession,
    item: &AgendaItem,
    replies: bool,
) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(m) = data.measures.get(&item.reference) {
        lines.push(measure_dates(m));
    }
    lines.push(format!(
        "Inscrite : {}",
        reason_details(data, session, item).join(" ; ")
    ));
    if replies && let Some((reply, date)) = &item.reply {
        let late = if reply_is_late(session, item) {
            " — hors délai"
        } else {
            ""
        };
        let what = match reply {
            Reply::WillExamine => "sera examinée".to_string(),
            Reply::WillNotExamine { reason } => format!("ne sera pas examinée : {reason}"),
        };
        lines.push(format!(
            "Réponse du TS le {}{late} : {what}",
            fr_date(*date)
        ));
    }
    lines
}

/// The draft agenda as a document.
pub fn draft_agenda_document(data: &Dataset, session: &GtsSession, privacy: bool) -> Document {
    let dl = deadlines(session.date());
    let mut doc = Document::new(format!(
        "GTS du {} — Ordre du jour brouillon",
        fr_date(session.date())
    ));
    doc.title("Ordre du jour brouillon");
    doc.subtitle(session_line(session));
    doc.subtitle(match session.draft_sent {
        Some(d) => format!("Envoyé aux travailleurs sociaux le {}", fr_date(d)),
        None => format!(
            "À envoyer aux travailleurs sociaux au plus tard le {} (R-GTS-3)",
            fr_date(dl.draft_agenda)
        ),
    });
    doc.space();
    doc.para(format!(
        "Réponses attendues au plus tard le {} (R-GTS-4) : pour chaque situation, « sera \
         examinée » ou « ne sera pas examinée » avec le motif, et les situations à ajouter.",
        fr_date(dl.replies)
    ));
    let listed: Vec<&AgendaItem> = session
        .agenda
        .iter()
        .filter(|i| i.removed.is_none())
        .collect();
    doc.para(count_line(listed.len()));
    grouped(data, &mut doc, Grouping::Sections, listed, |doc, item| {
        doc.entry(
            household_label(data, item.reference, privacy),
            item_lines(data, session, item, true),
        );
    });
    let removed: Vec<&AgendaItem> = session
        .agenda
        .iter()
        .filter(|i| i.removed.is_some())
        .collect();
    if !removed.is_empty() {
        doc.heading("Situations retirées par le GIP");
        for item in removed {
            let mut lines = item_lines(data, session, item, false);
            lines.push(format!(
                "Retirée : {}",
                item.removed.as_deref().unwrap_or_default()
            ));
            doc.entry(household_label(data, item.reference, privacy), lines);
        }
    }
    doc
}

fn count_line(n: usize) -> String {
    match n {
        0 => "Aucune situation inscrite.".to_string(),
        1 => "1 situation inscrite.".to_string(),
        n => format!("{n} situations inscrites."),
    }
}

/// The final agenda as a document.
pub fn final_agenda_document(data: &Dataset, session: &GtsSession, privacy: bool) -> Document {
    let dl = deadlines(session.date());
    let mut doc = Document::new(format!(
        "GTS du {} — Ordre du jour définitif",
        fr_date(session.date())
    ));
    doc.title("Ordre du jour définitif");
    doc.subtitle(session_line(session));
    doc.subtitle(match session.final_sent {
        Some(d) => format!("Envoyé aux partenaires le {}", fr_date(d)),
        None => format!(
            "À envoyer aux partenaires au plus tard le {} (R-GTS-5)",
            fr_date(dl.final_agenda)
        ),
    });
    doc.space();
    let listed: Vec<&AgendaItem> = session.agenda.iter().filter(|i| is_on_final(i)).collect();
    doc.para(count_line(listed.len()));
    grouped(data, &mut doc, Grouping::Sections, listed, |doc, item| {
        doc.entry(
            household_label(data, item.reference, privacy),
            item_lines(data, session, item, false),
        );
    });
    let not_examined: Vec<(&AgendaItem, &str)> = session
        .agenda
        .iter()
        .filter(|i| i.removed.is_none())
        .filter_map(|i| match &i.reply {
            Some((Reply::WillNotExamine { reason }, _)) => Some((i, reason.as_str())),
            _ => None,
        })
        .collect();
    if !not_examined.is_empty() {
        doc.heading("Situations qui ne seront pas examinées");
        for (item, reason) in not_examined {
            doc.entry(
                household_label(data, item.reference, privacy),
                vec![format!("Motif du TS : {reason}")],
            );
        }
    }
    doc
}

pub fn draft_agenda_text(data: &Dataset, session: &GtsSession, privacy: bool) -> String {
    draft_agenda_document(data, session, privacy).to_text()
}

pub fn draft_agenda_pdf(data: &Dataset, session: &GtsSession, privacy: bool) -> Vec<u8> {
    draft_agenda_document(data, session, privacy).to_pdf()
}

pub fn final_agenda_text(data: &Dataset, session: &GtsSession, privacy: bool) -> String {
    final_agenda_document(data, session, privacy).to_text()
}

pub fn final_agenda_pdf(data: &Dataset, session: &GtsSession, privacy: bool) -> Vec<u8> {
    final_agenda_document(data, session, privacy).to_pdf()
}
