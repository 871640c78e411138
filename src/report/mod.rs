//! Documents of the GTS that can be mailed as they are: the draft and final
//! agendas (R-GTS-3/5) and the minutes (procès-verbal, R-GTS-9, with the
//! annex of R-GTS-8), each as plain text and as PDF from one
//! [`doc::Document`], so both twins always say the same.
//!
//! `privacy` replaces household names by their initials and reference.

pub mod doc;
pub mod ods;
pub mod stats;
pub mod winansi;

mod agenda;
mod minutes;

pub use agenda::{
    draft_agenda_document, draft_agenda_pdf, draft_agenda_text, final_agenda_document,
    final_agenda_pdf, final_agenda_text,
};
pub use minutes::{minutes_document, minutes_pdf, minutes_text};

use crate::domain::calendar::fr_date;
use crate::domain::gts::{AgendaItem, GtsSession};
use crate::domain::measure::MAX_RENEWALS;
use crate::domain::{Dataset, Measure, Reference};

/// How a household is named in a document: `2027-0042 — DURAND Émilie
/// (Cognac)`, or with `privacy` `D.É. 2027-0042`.
pub fn household_label(data: &Dataset, reference: Reference, privacy: bool) -> String {
    let h = data
        .measures
        .get(&reference)
        .and_then(|m| data.households.get(&m.household));
    match (h, privacy) {
        (Some(h), true) => format!("{} {reference}", h.initials()),
        (Some(h), false) => {
            let mut s = format!("{reference} — {}", h.last_name.to_uppercase());
            if !h.first_name.trim().is_empty() {
                s.push(' ');
                s.push_str(h.first_name.trim());
            }
            if !h.commune.trim().is_empty() {
                s.push_str(&format!(" ({})", h.commune.trim()));
            }
            s
        }
        (None, _) => format!("{reference} — ménage inconnu"),
    }
}

/// `Début 01/06/2026 · fin prévue 01/12/2026 · renouvellements 1/2`.
pub fn measure_dates(m: &Measure) -> String {
    let d = |x: Option<chrono::NaiveDate>| x.map_or_else(|| "—".to_string(), fr_date);
    format!(
        "Début {} · fin prévue {} · renouvellements {}/{}",
        d(m.start),
        d(m.planned_end),
        m.renewals_used(),
        MAX_RENEWALS
    )
}

/// The measure's dates as the session saw them: before a renewal it decided
/// (once closed, the measure already carries it).
pub fn measure_dates_at(data: &Dataset, m: &Measure, session: &GtsSession) -> String {
    use crate::domain::agenda::{end_before_session, renewed_by};
    if renewed_by(m, session).is_none() {
        return measure_dates(m);
    }
    let mut before = m.clone();
    before.planned_end = end_before_session(data, m, session);
    before.renewals.pop();
    measure_dates(&before)
}

/// How [`grouped`] titles its groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grouping {
    /// A heading per sector, a sub-heading per worker (the agendas).
    Sections,
    /// One sub-heading per sector and worker, inside a section (the minutes).
    Nested,
}

/// Walks items in sector, worker order and calls `emit` for each, after
/// titling each new sector and worker.
pub(crate) fn grouped<'a>(
    data: &Dataset,
    doc: &mut doc::Document,
    grouping: Grouping,
    items: impl IntoIterator<Item = &'a AgendaItem>,
    mut emit: impl FnMut(&mut doc::Document, &AgendaItem),
) {
    let mut items: Vec<AgendaItem> = items.into_iter().cloned().collect();
    crate::domain::agenda::sort_items(data, &mut items);
    let mut sector = None;
    let mut worker = None;
    for item in &items {
        let m = data.measures.get(&item.reference);
        let s = m.map(|m| m.sector);
        let w = m.and_then(|m| m.worker);
        let sector_name = s.map_or("Circonscription inconnue", |s| data.sector_name(s));
        if sector != Some(s) {
            sector = Some(s);
            worker = None;
            if grouping == Grouping::Sections {
                doc.heading(sector_name);
            }
        }
        if worker != Some(w) {
            worker = Some(w);
            doc.subheading(match grouping {
                Grouping::Sections => format!("TS : {}", data.worker_name(w)),
                Grouping::Nested => format!("{sector_name} — TS : {}", data.worker_name(w)),
            });
        }
        emit(doc, item);
    }
}
