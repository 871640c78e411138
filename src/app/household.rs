//! The household file's actions: log a contact or meeting, the contract or
//! why there is none (R-MES-5), MASP (R-MASP-2), checked facts (R-MES-8),
//! judicial protection (R-ELIG-2), the review (R-BIL-1).

use super::form::{Field, Form, FormPurpose};
use super::{Confirm, Editor, Model, Overlay, Pending, Screen, StatusKind};
use crate::domain::calendar::fr_date;
use crate::domain::measure::{CheckedFact, Contract, LogEntry};
use crate::domain::{DomainError, EventKind, Means, Measure, Party, Record, Reference};
use ratatui_textarea::TextArea;

/// The measure shown in the file.
pub fn current_reference(m: &Model) -> Option<Reference> {
    match m.screen {
        Screen::Household { reference, .. } => reference,
        _ => None,
    }
}

fn with_measure(m: &mut Model) -> Option<Reference> {
    let r = current_reference(m).filter(|r| m.data.measures.contains_key(r));
    if r.is_none() {
        m.set_status(StatusKind::Error, "Ce ménage n'a pas de mesure");
    }
    r
}

fn today_text(m: &Model) -> String {
    fr_date(m.today)
}

pub fn open_log_event(m: &mut Model) {
    let Some(r) = with_measure(m) else { return };
    let fields = vec![
        Field::text("date", "Date", &today_text(m)),
        Field::choice(
            "kind",
            "Type",
            EventKind::ALL
                .iter()
                .map(|k| k.label().to_string())
                .collect(),
            0,
        ),
        Field::choice(
            "with",
            "Avec",
            Party::ALL.iter().map(|p| p.label().to_string()).collect(),
            0,
        ),
        Field::multi(
            "means",
            "Moyens",
            Means::ALL.iter().map(|x| x.label().to_string()).collect(),
            Vec::new(),
        ),
        Field::text("note", "Note", ""),
    ];
    m.overlay = Some(Overlay::Form(Form::new(
        &format!("Contact ou rencontre · {r}"),
        FormPurpose::LogEvent(r),
        fields,
    )));
}

pub fn open_contract(m: &mut Model) {
    let Some(r) = with_measure(m) else { return };
    let fields = vec![
        Field::choice(
            "signed",
            "Contrat",
            vec!["signé".into(), "pas de contrat".into()],
            0,
        ),
        Field::text("date", "Date", &today_text(m)),
        Field::text("reason", "Motif (sans contrat)", ""),
    ];
    m.overlay = Some(Overlay::Form(Form::new(
        &format!("Contrat · {r}"),
        FormPurpose::Contract(r),
        fields,
    )));
}

pub fn open_masp(m: &mut Model) {
    let Some(r) = with_measure(m) else { return };
    let next = match m.data.measures.get(&r).map(|x| x.masp.requested) {
        Some(Some(_)) => 1,
        _ => 0,
    };
    let fields = vec![
        Field::choice(
            "step",
            "MASP",
            vec!["demandée".into(), "accordée".into(), "refusée".into()],
            next,
        ),
        Field::text("date", "Date", &today_text(m)),
    ];
    m.overlay = Some(Overlay::Form(Form::new(
        &format!("MASP niveau 1 · {r}"),
        FormPurpose::Masp(r),
        fields,
    )));
}

pub fn open_fact(m: &mut Model) {
    let Some(r) = with_measure(m) else { return };
    let fields = vec![
        Field::text("label", "Fait", ""),
        Field::text("value", "Valeur", ""),
        Field::text("date", "Vérifié le", &today_text(m)),
    ];
    m.overlay = Some(Overlay::Form(Form::new(
        &format!("Fait vérifié · {r}"),
        FormPurpose::Fact(r),
        fields,
    )));
}

pub fn open_review(m: &mut Model) {
    let Some(r) = with_measure(m) else { return };
    let text = m
        .data
        .measures
        .get(&r)
        .map(|x| x.review.text.clone())
        .unwrap_or_default();
    let lines: Vec<String> = if text.is_empty() {
        vec![String::new()]
    } else {
        text.lines().map(str::to_string).collect()
    };
    let textarea = TextArea::new(lines);
    m.overlay = Some(Overlay::Editor(Box::new(Editor {
        reference: r,
        textarea,
        original: text,
        error: None,
    })));
}

pub fn ask_toggle_protection(m: &mut Model) {
    let Screen::Household { household, .. } = m.screen else {
        return;
    };
    let Some(h) = m.data.households.get(&household) else {
        return;
    };
    let message = if h.judicial_protection {
        format!(
            "Retirer la mesure de protection judiciaire de {} ?",
            h.display_name()
        )
    } else {
        format!(
            "{} est sous protection judiciaire ? Un ASSLL ne pourra plus démarrer ; une mesure en cours ira au prochain GTS (R-ELIG-2).",
            h.display_name()
        )
    };
    m.overlay = Some(Overlay::Confirm(Confirm {
        title: "Protection judiciaire".into(),
        message,
        on_yes: Pending::ToggleProtection(household),
    }));
}

pub fn toggle_protection(m: &mut Model, id: crate::domain::HouseholdId) {
    m.overlay = None;
    let Some(h) = m.data.households.get(&id) else {
        return;
    };
    let mut h = h.clone();
    h.judicial_protection = !h.judicial_protection;
    let what = if h.judicial_protection {
        "sous protection judiciaire"
    } else {
        "sans protection judiciaire"
    };
    let summary = format!("ménage {} {what}", h.display_name());
    match m.commit(summary.clone(), vec![Record::Household(h)]) {
        Ok(_) => m.set_status(StatusKind::Saved, format!("Enregistré ✓ — {summary}")),
        Err(e) => m.set_status(StatusKind::Error, format!("Non enregistré : {e}")),
    }
}

/// Saves the review from the editor.
pub fn save_review(m: &mut Model) {
    let Some(Overlay::Editor(mut ed)) = m.overlay.take() else {
        return;
    };
    let Some(measure) = m.data.measures.get(&ed.reference) else {
        return;
    };
    let mut after = measure.clone();
    after.review.text = ed.text().trim_end().to_string();
    after.review.updated = Some(m.today);
    let r = ed.reference;
    match m.commit(
        format!("bilan de la mesure {r}"),
        vec![Record::Measure(after)],
    ) {
        Ok(_) => m.set_status(
            StatusKind::Saved,
            format!("Enregistré ✓ — bilan de la mesure {r}"),
        ),
        Err(e) => {
            ed.error = Some(format!("Non enregistré : {e}"));
            m.overlay = Some(Overlay::Editor(ed));
        }
    }
}

/// Applies a household-file form to a clone of the measure; field errors
/// go back into the form.
pub fn submit(m: &mut Model, mut form: Form) {
    form.clear_errors();
    let reference = match form.purpose {
        FormPurpose::LogEvent(r)
        | FormPurpose::Contract(r)
        | FormPurpose::Masp(r)
        | FormPurpose::Fact(r) => r,
        _ => return,
    };
    let Some(measure) = m.data.measures.get(&reference) else {
        m.overlay = None;
        return;
    };
    let mut after = measure.clone();
    let result = apply_form(m, &mut form, &mut after);
    let summary = match result {
        Some(s) if !form.has_errors() => s,
        _ => {
            m.overlay = Some(Overlay::Form(form));
            return;
        }
    };
    match m.commit(
        format!("{summary} ({reference})"),
        vec![Record::Measure(after)],
    ) {
        Ok(_) => {
            m.overlay = None;
            m.set_status(
                StatusKind::Saved,
                format!("Enregistré ✓ — {summary}, mesure {reference}"),
            );
        }
        Err(e) => {
            form.error = Some(format!("Non enregistré : {e}"));
            m.overlay = Some(Overlay::Form(form));
        }
    }
}

fn check_date(
    m: &Model,
    form: &mut Form,
    key: &str,
    measure: &Measure,
) -> Option<chrono::NaiveDate> {
    let d = form.date(key)?;
    if d > m.today {
        form.set_error(
            key,
            format!("date dans le futur (aujourd'hui {})", fr_date(m.today)),
        );
        return None;
    }
    if let Some(s) = measure.start
        && d < s
    {
        form.set_error(
            key,
            DomainError::BeforeStart { date: fr_date(d) }.to_string(),
        );
        return None;
    }
    Some(d)
}

fn apply_form(m: &Model, form: &mut Form, measure: &mut Measure) -> Option<String> {
    match form.purpose {
        FormPurpose::LogEvent(_) => {
            if !matches!(
                measure.status,
                crate::domain::MeasureStatus::InProgress | crate::domain::MeasureStatus::Waiting
            ) {
                form.error = Some(format!(
                    "Action impossible : la mesure est {}",
                    measure.status.label()
                ));
                return None;
            }
            if measure.log_on_disk.is_some() {
                // Appending to a log that was not read would lose the rest.
                form.error =
                    Some("Chronologie non chargée : rouvrez le dossier puis recommencez".into());
                return None;
            }
            let date = check_date(m, form, "date", measure)?;
            let kind = EventKind::ALL.get(form.choice("kind")).copied()?;
            let with = Party::ALL.get(form.choice("with")).copied()?;
            let means = form
                .chosen("means")
                .into_iter()
                .filter_map(|i| Means::ALL.get(i).copied())
                .collect();
            measure.events.push(LogEntry {
                date,
                kind,
                with,
                means,
                note: form.text("note"),
                author: m.who.as_str().into(),
            });
            measure.events.sort_by_key(|e| e.date);
            Some(format!(
                "{} ({}) du {}",
                kind.label().to_lowercase(),
                with.label().to_lowercase(),
                fr_date(date)
            ))
        }
        FormPurpose::Contract(_) => {
            let date = check_date(m, form, "date", measure)?;
            if form.choice("signed") == 0 {
                measure.contract = Contract::Signed(date);
                Some(format!("contrat signé le {}", fr_date(date)))
            } else {
                let reason = form.text("reason");
                if let Err(e) = measure.record_no_contract(&reason, date) {
                    form.set_error("reason", e.to_string());
                    return None;
                }
                Some(format!("pas de contrat : {reason}"))
            }
        }
        FormPurpose::Masp(r) => {
            let date = check_date(m, form, "date", measure)?;
            let referral = m.data.referrals.get(&r)?;
            let step = form.choice("step");
            let res = match step {
                0 => measure.request_masp(referral, date),
                n => measure.decide_masp(n == 1, date),
            };
            if let Err(e) = res {
                form.set_error("step", e.to_string());
                return None;
            }
            Some(format!("MASP {}", measure.masp.label()))
        }
        FormPurpose::Fact(_) => {
            let label = form.text("label");
            if label.is_empty() {
                form.set_error("label", "fait obligatoire (ex. « loyer repris »)");
            }
            let date = check_date(m, form, "date", measure);
            let date = date?;
            if label.is_empty() {
                return None;
            }
            measure.checked_facts.push(CheckedFact {
                label: label.clone(),
                value: form.text("value"),
                checked_on: date,
            });
            Some(format!("fait vérifié « {label} » au {}", fr_date(date)))
        }
        _ => None,
    }
}
