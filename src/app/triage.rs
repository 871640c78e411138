//! Triage of the waiting lists: start a measure (R-ELIG-2, capacity
//! warning), move a referral to another sector (R-CAP-3), record that a
//! measure could not start (R-MES-6), and undo the last of these.

use super::form::{Field, Form, FormPurpose};
use super::{Confirm, Model, Overlay, Pending, Pick, PickItem, PickPurpose, StatusKind, UndoEntry};
use crate::domain::measure::check_eligibility;
use crate::domain::{Record, Reference, ReferralKind, SectorId, WorkerId};

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
    let mut workers: Vec<_> = m
        .data
        .workers
        .values()
        .filter(|w| w.sectors.contains(&sector))
        .collect();
    let note = if workers.is_empty() {
        workers = m.data.workers.values().collect();
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
    let w_sectors = m
        .data
        .workers
        .get(&worker)
        .map(|w| w.sectors.clone())
        .unwrap_or_default();
    // The measure is carried by the referral's sector when the worker serves
    // it, otherwise by the worker's first sector.
    let sector = if w_sectors.contains(&referral.sector) || w_sectors.is_empty() {
        referral.sector
    } else {
        w_sectors[0]
    };
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
    let (Some(referral), Some(measure)) = (
        m.data.referrals.get(&reference),
        m.data.measures.get(&reference),
    ) else {
        return nothing_selected(m);
    };
    let Some(household) = m.data.households.get(&referral.household) else {
        return nothing_selected(m);
    };
    let before = measure.clone();
    let mut after = measure.clone();
    if let Err(e) = after.start(referral, household, worker, sector, m.today) {
        m.set_status(StatusKind::Error, format!("{reference} : {e}"));
        return;
    }
    let wname = m.data.worker_name(Some(worker)).to_string();
    let summary = format!("mesure {reference} démarrée ({wname})");
    let rec = vec![Record::Measure(after)];
    match m.commit(summary, rec.clone()) {
        Ok(_) => {
            m.undo = Some(UndoEntry {
                label: format!("démarrage de la mesure {reference}"),
                before: vec![Record::Measure(before)],
                after: rec,
            });
            let what = if referral_kind(m, reference) == ReferralKind::Diagnostic {
                format!("diagnostic {reference} démarré")
            } else {
                format!("mesure {reference} démarrée")
            };
            let load = m.sector_load_label(sector);
            m.set_status(StatusKind::Saved, format!("Enregistré ✓ — {what}, {load}"));
            clamp_waiting(m);
        }
        Err(e) => m.set_status(StatusKind::Error, format!("Non enregistré : {e}")),
    }
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
    let from_pool = m.data.sectors.get(&from).is_some_and(|s| s.angouleme_pool);
    let mut options: Vec<(i64, bool, SectorId)> = m
        .derived
        .loads
        .iter()
        .filter(|l| l.sector != from)
        .map(|l| {
            let pool = m
                .data
                .sectors
                .get(&l.sector)
                .is_some_and(|s| s.angouleme_pool);
            (l.free_places(), pool, l.sector)
        })
        .collect();
    // Free places first (most first); among equals, the pool first when the
    // referral is in the Angoulême pool.
    options.sort_by(|a, b| {
        (b.0 > 0)
            .cmp(&(a.0 > 0))
            .then((from_pool && b.1).cmp(&(from_pool && a.1)))
            .then(b.0.cmp(&a.0))
            .then(a.2.cmp(&b.2))
    });
    let items = options
        .iter()
        .map(|(free, pool, s)| {
            let waiting = m.derived.load(*s).map_or(0, |l| l.waiting);
            let places = match *free {
                f if f > 1 => format!("{f} places libres"),
                1 => "1 place libre".to_string(),
                0 => "complet".to_string(),
                f => format!("complet ({} en trop)", -f),
            };
            PickItem {
                label: m.data.sector_name(*s).to_string(),
                detail: format!(
                    "{places} · att. {waiting}{}",
                    if *pool { " · pool ComAGA" } else { "" }
                ),
            }
        })
        .collect();
    m.overlay = Some(Overlay::Pick(Pick {
        title: format!("Déplacer {reference} vers :"),
        items,
        values: options.iter().map(|o| u32::from(o.2.0)).collect(),
        cursor: 0,
        purpose: PickPurpose::MoveSector(reference),
        note: None,
    }));
}

pub fn do_move(m: &mut Model, reference: Reference, to: SectorId) {
    m.overlay = None;
    let (Some(referral), Some(measure)) = (
        m.data.referrals.get(&reference),
        m.data.measures.get(&reference),
    ) else {
        return nothing_selected(m);
    };
    if !measure.is_waiting() {
        m.set_status(
            StatusKind::Error,
            format!("{reference} : la mesure est {}", measure.status.label()),
        );
        return;
    }
    let before = vec![
        Record::Referral(referral.clone()),
        Record::Measure(measure.clone()),
    ];
    let from = referral.sector;
    let mut r = referral.clone();
    let mut me = measure.clone();
    r.sector = to;
    me.sector = to;
    let after = vec![Record::Referral(r), Record::Measure(me)];
    let summary = format!(
        "commande {reference} déplacée de {} vers {}",
        m.data.sector_name(from),
        m.data.sector_name(to)
    );
    match m.commit(summary, after.clone()) {
        Ok(_) => {
            let rank = m
                .derived
                .waiting
                .get(&to)
                .and_then(|l| l.iter().position(|x| *x == reference))
                .map_or(0, |p| p + 1);
            m.undo = Some(UndoEntry {
                label: format!("déplacement de {reference} vers {}", m.data.sector_name(to)),
                before,
                after,
            });
            m.set_status(
                StatusKind::Saved,
                format!(
                    "Enregistré ✓ — {reference} déplacée vers {}, rang {rank}",
                    m.data.sector_name(to)
                ),
            );
            clamp_waiting(m);
        }
        Err(e) => m.set_status(StatusKind::Error, format!("Non enregistré : {e}")),
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
    let Some(measure) = m.data.measures.get(&reference) else {
        return nothing_selected(m);
    };
    let before = measure.clone();
    let mut after = measure.clone();
    if let Err(e) = after.mark_not_started(m.today, &reason) {
        form.set_error("reason", e.to_string());
        m.overlay = Some(Overlay::Form(form));
        return;
    }
    let rec = vec![Record::Measure(after)];
    match m.commit(
        format!("mesure {reference} non mise en place : {reason}"),
        rec.clone(),
    ) {
        Ok(_) => {
            m.overlay = None;
            m.undo = Some(UndoEntry {
                label: format!("« non mise en place » de {reference}"),
                before: vec![Record::Measure(before)],
                after: rec,
            });
            m.set_status(
                StatusKind::Saved,
                format!("Enregistré ✓ — {reference} non mise en place ({reason})"),
            );
            clamp_waiting(m);
        }
        Err(e) => {
            form.error = Some(format!("Non enregistré : {e}"));
            m.overlay = Some(Overlay::Form(form));
        }
    }
}

fn current(m: &Model, r: &Record) -> Option<Record> {
    match r {
        Record::Measure(x) => m
            .data
            .measures
            .get(&x.reference)
            .cloned()
            .map(Record::Measure),
        Record::Referral(x) => m
            .data
            .referrals
            .get(&x.reference)
            .cloned()
            .map(Record::Referral),
        Record::Household(x) => m.data.households.get(&x.id).cloned().map(Record::Household),
        _ => None,
    }
}

/// `u`: a compensating commit that puts the records back as they were.
pub fn undo(m: &mut Model) {
    let Some(entry) = m.undo.clone() else {
        m.set_status(StatusKind::Info, "Rien à annuler");
        return;
    };
    let unchanged = entry
        .after
        .iter()
        .all(|r| current(m, r).as_ref() == Some(r));
    if !unchanged {
        m.undo = None;
        m.set_status(
            StatusKind::Error,
            format!(
                "Annulation impossible : le dossier a changé depuis le {}",
                entry.label
            ),
        );
        return;
    }
    match m.commit(
        format!("annulation : {}", entry.label),
        entry.before.clone(),
    ) {
        Ok(_) => {
            m.undo = None;
            m.set_status(StatusKind::Saved, format!("Annulé ✓ — {}", entry.label));
        }
        Err(e) => m.set_status(
            StatusKind::Error,
            format!("Annulation non enregistrée : {e}"),
        ),
    }
}
