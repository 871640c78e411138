//! Triage of the waiting lists: start a measure (R-ELIG-2, capacity
//! warning), move a referral to another sector (R-CAP-3), record that a
//! measure could not start (R-MES-6), and undo the last of these.

use super::form::{Field, Form, FormPurpose};
use super::{Confirm, Model, Overlay, Pending, Pick, PickItem, PickPurpose, StatusKind, UndoEntry};
use crate::domain::command::Command;
use crate::domain::measure::check_eligibility;
use crate::domain::{Record, Reference, ReferralKind, SectorId, WorkerId, transfer_candidates};

fn selected_waiting(m: &Model) -> Option<Reference> {
    super::visible_waiting(m).get(m.waiting_cursor).copied()
}

fn nothing_selected(m: &mut Model) {
    m.set_status(StatusKind::Error, "Aucune commande sélectionnée");
}

/// `d`: checks eligibility, then asks for the worker.
pub fn start_measure(m: &mut Model) {
    let Some(reference) = selected_waiting(m) else {
        return nothing_selected(m);
    };
    let Some(referral) = m.data.referrals.get(&reference) else {
        return nothing_selected(m);
    };
    let sector = referral.sector;
    if let Some(h) = m.data.households.get(&referral.household)
        && let Err(e) = check_eligibility(h)
    {
        m.set_status(
            StatusKind::Error,
            format!("{} {} : {e}", reference, h.display_name()),
        );
        return;
    }
    // Those in the service today only (arrived, not left).
    let in_service = || m.data.workers.values().filter(|w| w.active_on(m.today));
    let mut workers: Vec<_> = in_service()
        .filter(|w| w.sectors.contains(&sector))
        .collect();
    let note = if workers.is_empty() {
        workers = in_service().collect();
        Some(format!(
            "Aucun·e TS rattaché·e à {} : toutes et tous sont proposés",
            m.data.sector_name(sector)
        ))
    } else {
        None
    };
    if workers.is_empty() {
        m.set_status(StatusKind::Error, "Aucun·e TS enregistré·e");
        return;
    }
    let items = workers
        .iter()
        .map(|w| {
            let n = m.derived.worker_loads.get(&w.id).copied().unwrap_or(0);
            PickItem {
                label: w.name.clone(),
                detail: format!("{n} mesure{} en cours", if n > 1 { "s" } else { "" }),
            }
        })
        .collect();
    let load = m.sector_load_label(sector);
    m.overlay = Some(Overlay::Pick(Pick {
        title: format!("Démarrer {reference} · {load} · TS :"),
        items,
        values: workers.iter().map(|w| w.id.0).collect(),
        cursor: 0,
        purpose: PickPurpose::StartWorker(reference),
        note,
    }));
}

/// After the worker is chosen: warns before going over capacity.
pub fn worker_chosen(m: &mut Model, reference: Reference, worker: WorkerId) {
    let Some(referral) = m.data.referrals.get(&reference) else {
        return nothing_selected(m);
    };
    let sector = m.data.carrying_sector(referral, worker);
    if referral.kind == ReferralKind::Measure
        && let Some(l) = m.derived.load(sector)
        && l.load + 1 > l.capacity
    {
        m.overlay = Some(Overlay::Confirm(Confirm {
            title: "Au-delà de la capacité".into(),
            message: format!(
                "{} passera à {}/{} (capacité dépassée de {}). Démarrer quand même la mesure {} ?",
                m.data.sector_name(sector),
                l.load + 1,
                l.capacity,
                l.load + 1 - l.capacity,
                reference
            ),
            on_yes: Pending::StartOverCapacity {
                reference,
                worker,
                sector,
            },
        }));
        return;
    }
    do_start(m, reference, worker, sector);
}

pub fn do_start(m: &mut Model, reference: Reference, worker: WorkerId, sector: SectorId) {
    m.overlay = None;
    // R-REF-5: others come first in the list: the reason is asked.
    let passed = m
        .data
        .referrals
        .get(&reference)
        .map_or(0, |r| m.data.waiting_before(r));
    if passed > 0 {
        m.overlay = Some(Overlay::Form(Form::new(
            &format!(
                "Démarrer {reference} avant {passed} commande{} (R-REF-5)",
                if passed > 1 { "s" } else { "" }
            ),
            FormPurpose::StartOutOfOrder {
                reference,
                worker,
                sector,
            },
            vec![Field::text("reason", "Motif", "")],
        )));
        return;
    }
    if let Err(e) = start_with(m, reference, worker, sector, None) {
        m.set_status(StatusKind::Error, format!("{reference} : {e}"));
    }
}

/// The reason typed for a start out of the waiting order.
pub fn submit_out_of_order(
    m: &mut Model,
    mut form: Form,
    reference: Reference,
    worker: WorkerId,
    sector: SectorId,
) {
    form.clear_errors();
    let reason = form.text("reason");
    if let Err(e) = start_with(m, reference, worker, sector, Some(reason)) {
        form.show_refusal(e);
        m.overlay = Some(Overlay::Form(form));
    }
}

/// Starts the measure, or says why not.
fn start_with(
    m: &mut Model,
    reference: Reference,
    worker: WorkerId,
    sector: SectorId,
    reason: Option<String>,
) -> Result<(), crate::domain::command::Refusal> {
    let Some(before) = m.data.measures.get(&reference).cloned() else {
        nothing_selected(m);
        return Ok(());
    };
    match m.execute(Command::StartMeasure {
        reference,
        worker,
        sector,
        out_of_order_reason: reason,
    }) {
        Ok(_) => {
            m.overlay = None;
            remember_undo(
                m,
                format!("démarrage de la mesure {reference}"),
                vec![Record::Measure(before)],
            );
            let what = if referral_kind(m, reference) == ReferralKind::Diagnostic {
                format!("diagnostic {reference} démarré")
            } else {
                format!("mesure {reference} démarrée")
            };
            let load = m.sector_load_label(sector);
            m.set_status(StatusKind::Saved, format!("Enregistré ✓ — {what}, {load}"));
            clamp_waiting(m);
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// After a triage action: `u` puts back `before`, if the records are still
/// as the action left them.
fn remember_undo(m: &mut Model, label: String, before: Vec<Record>) {
    let after = before.iter().filter_map(|r| m.data.current(r)).collect();
    m.undo = Some(UndoEntry {
        label,
        screen: m.screen,
        before,
        after,
    });
}

fn referral_kind(m: &Model, r: Reference) -> ReferralKind {
    m.data
        .referrals
        .get(&r)
        .map_or(ReferralKind::Measure, |r| r.kind)
}

fn clamp_waiting(m: &mut Model) {
    let n = super::visible_waiting(m).len();
    if m.waiting_cursor >= n {
        m.waiting_cursor = n.saturating_sub(1);
    }
}

/// `s`: the other sectors, those with free places first (R-CAP-3).
pub fn move_sector(m: &mut Model) {
    let Some(reference) = selected_waiting(m) else {
        return nothing_selected(m);
    };
    let Some(referral) = m.data.referrals.get(&reference) else {
        return nothing_selected(m);
    };
    let from = referral.sector;
    // R-CAP-3: the domain's order (free places once each list is served,
    // the Angoulême pool first among equals).
    let options = transfer_candidates(&m.data, from, m.today);
    let items = options
        .iter()
        .map(|(s, free, pool)| {
            let waiting = m.derived.load(*s).map_or(0, |l| l.waiting);
            // R-CAP-3: what is left once the sector's own list is served.
            let places = match *free {
                f if f > 1 => format!("{f} libres"),
                1 => "1 libre".to_string(),
                0 => "complet".to_string(),
                f => format!("complet ({} en trop)", -f),
            };
            PickItem {
                label: m.data.sector_name(*s).to_string(),
                detail: format!(
                    "{places}{}{}",
                    match waiting {
                        0 => " · aucune attente".to_string(),
                        w => format!(" après ses {w} en attente"),
                    },
                    if *pool { " · pool ComAGA" } else { "" }
                ),
            }
        })
        .collect();
    m.overlay = Some(Overlay::Pick(Pick {
        title: format!("Déplacer {reference} vers :"),
        items,
        values: options.iter().map(|o| u32::from(o.0.0)).collect(),
        cursor: 0,
        purpose: PickPurpose::MoveSector(reference),
        note: None,
    }));
}

pub fn do_move(m: &mut Model, reference: Reference, to: SectorId) {
    m.overlay = None;
    let before: Vec<Record> = [
        m.data
            .referrals
            .get(&reference)
            .cloned()
            .map(Record::Referral),
        m.data
            .measures
            .get(&reference)
            .cloned()
            .map(Record::Measure),
    ]
    .into_iter()
    .flatten()
    .collect();
    match m.execute(Command::TransferReferral { reference, to }) {
        Ok(_) => {
            let rank = m
                .derived
                .waiting
                .get(&to)
                .and_then(|l| l.iter().position(|x| *x == reference))
                .map_or(0, |p| p + 1);
            let name = m.data.sector_name(to).to_string();
            remember_undo(m, format!("déplacement de {reference} vers {name}"), before);
            m.set_status(
                StatusKind::Saved,
                format!("Enregistré ✓ — {reference} déplacée vers {name}, rang {rank}"),
            );
            clamp_waiting(m);
        }
        Err(e) => m.set_status(StatusKind::Error, format!("{reference} : {e}")),
    }
}

/// `n`: asks for the reason.
pub fn not_started(m: &mut Model) {
    let Some(reference) = selected_waiting(m) else {
        return nothing_selected(m);
    };
    m.overlay = Some(Overlay::Form(Form::new(
        &format!("Mesure {reference} non mise en place"),
        FormPurpose::NotStarted(reference),
        vec![Field::text("reason", "Motif", "")],
    )));
}

pub fn submit_not_started(m: &mut Model, mut form: Form, reference: Reference) {
    form.clear_errors();
    let reason = form.text("reason");
    let Some(before) = m.data.measures.get(&reference).cloned() else {
        return nothing_selected(m);
    };
    match m.execute(Command::MarkNotStarted {
        reference,
        reason: reason.clone(),
    }) {
        Ok(_) => {
            m.overlay = None;
            remember_undo(
                m,
                format!("« non mise en place » de {reference}"),
                vec![Record::Measure(before)],
            );
            m.set_status(
                StatusKind::Saved,
                format!("Enregistré ✓ — {reference} non mise en place ({reason})"),
            );
            clamp_waiting(m);
        }
        Err(e) => {
            form.show_refusal(e);
            m.overlay = Some(Overlay::Form(form));
        }
    }
}

/// `u`: a compensating commit that puts the records back as they were.
pub fn undo(m: &mut Model) {
    let Some(entry) = m.undo.take() else {
        m.set_status(StatusKind::Info, "Rien à annuler");
        return;
    };
    if entry.screen != m.screen {
        m.set_status(
            StatusKind::Info,
            format!(
                "Rien à annuler ici : le {} s'annule depuis l'écran « {} »",
                entry.label,
                entry.screen.title()
            ),
        );
        m.undo = Some(entry);
        return;
    }
    let label = entry.label.clone();
    match m.execute(Command::Revert {
        label: entry.label.clone(),
        before: entry.before.clone(),
        after: entry.after.clone(),
    }) {
        Ok(_) => m.set_status(StatusKind::Saved, format!("Annulé ✓ — {label}")),
        Err(e) => {
            // Kept for another try when only the commit failed.
            if entry
                .after
                .iter()
                .all(|r| m.data.current(r).as_ref() == Some(r))
            {
                m.undo = Some(entry);
            }
            m.set_status(StatusKind::Error, e.to_string());
        }
    }
}
