//! The household file's actions: log a contact or meeting, the contract or
//! why there is none (R-MES-5), MASP (R-MASP-2), checked facts (R-MES-8),
//! judicial protection (R-ELIG-2), the review (R-BIL-1).

use super::form::{Field, Form, FormPurpose};
use super::{Confirm, Editor, Model, Overlay, Pending, Screen, StatusKind};
use crate::domain::calendar::fr_date;
use crate::domain::command::Command;
use crate::domain::measure::{DifficultyKind, LogEntry};
use crate::domain::{EventKind, Means, Party, Reference};
use crate::keymap::{Action, Mode};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

/// The type of a contact until one is chosen.
const KIND_TO_CHOOSE: &str = "— à choisir —";

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

/// The fields of a contact, empty (a new one) or as `entry` was logged
/// (a correction).
fn contact_fields(m: &Model, entry: Option<&LogEntry>) -> Vec<Field> {
    let position = |i: Option<usize>| i.unwrap_or(0);
    vec![
        Field::text(
            "date",
            "Date",
            &entry.map_or_else(|| today_text(m), |e| fr_date(e.date)),
        ),
        // No type chosen in advance: a home visit logged by a hurried
        // Enter would count for R-MES-2 without having happened.
        Field::choice(
            "kind",
            "Type",
            std::iter::once(KIND_TO_CHOOSE.to_string())
                .chain(EventKind::ALL.iter().map(|k| k.label().to_string()))
                .collect(),
            entry.map_or(0, |e| {
                position(EventKind::ALL.iter().position(|k| *k == e.kind)) + 1
            }),
        ),
        Field::choice(
            "with",
            "Avec",
            Party::ALL.iter().map(|p| p.label().to_string()).collect(),
            position(entry.and_then(|e| Party::ALL.iter().position(|p| *p == e.with))),
        ),
        Field::multi(
            "means",
            "Moyens",
            Means::ALL.iter().map(|x| x.label().to_string()).collect(),
            entry.map_or_else(Vec::new, |e| {
                Means::ALL.iter().map(|x| e.means.contains(*x)).collect()
            }),
        ),
        Field::text("note", "Note", entry.map_or("", |e| e.note.as_str())),
    ]
}

pub fn open_log_event(m: &mut Model) {
    let Some(r) = with_measure(m) else { return };
    let fields = contact_fields(m, None);
    m.overlay = Some(Overlay::Form(Form::new(
        &format!("Contact ou rencontre · {r}"),
        FormPurpose::LogEvent(r),
        fields,
    )));
}

/// The open measure's log, oldest first (read from the store when the file
/// was opened, if the store had left it there).
pub fn chronology(m: &Model) -> &[LogEntry] {
    let Some(me) = current_reference(m).and_then(|r| m.data.measures.get(&r)) else {
        return &[];
    };
    match (&me.log_on_disk, &m.open_log) {
        (None, _) => &me.events,
        (Some(_), Some((r, events))) if *r == me.reference => events,
        (Some(_), _) => &[],
    }
}

/// The chronology's entry chosen with ↑/↓ (the chronology shows the newest
/// first), if any.
pub fn chosen_entry(m: &Model) -> Option<&LogEntry> {
    let events = chronology(m);
    let i = m.household_entry?;
    events.len().checked_sub(i + 1).and_then(|j| events.get(j))
}

/// `e` on a chosen contact: the contact form, filled as it was logged, to
/// correct it (R-MES-2). Only its author or the GIP may (said at once).
pub fn open_correct_event(m: &mut Model) {
    let Some(r) = with_measure(m) else { return };
    let Some(entry) = chosen_entry(m).cloned() else {
        let down = m
            .keymap
            .keys_for(Mode::Household, Action::Down, m.config.unicode);
        let key = m
            .keymap
            .keys_for(Mode::Household, Action::CorrectEvent, m.config.unicode);
        m.set_status(
            StatusKind::Info,
            format!("Choisissez d'abord le contact dans la chronologie ({down}), puis {key}"),
        );
        return;
    };
    let check = Command::CorrectEvent {
        reference: r,
        was: entry.clone(),
        entry: entry.clone(),
    };
    if let Err(e) = crate::domain::command::permits(&m.data, &m.actor(), &check) {
        m.set_status(StatusKind::Error, e.message);
        return;
    }
    let fields = contact_fields(m, Some(&entry));
    let mut form = Form::new(
        &format!("Corriger le contact du {} · {r}", fr_date(entry.date)),
        FormPurpose::CorrectEvent(r),
        fields,
    );
    form.correcting = Some(Box::new(entry));
    m.overlay = Some(Overlay::Form(form));
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

/// R-MES-6: the family refuses to collaborate, or the measure cannot go
/// on: said, dated, and the measure goes to the next GTS.
pub fn open_difficulty(m: &mut Model) {
    let Some(r) = with_measure(m) else { return };
    let fields = vec![
        Field::choice(
            "kind",
            "Difficulté",
            DifficultyKind::ALL
                .iter()
                .map(|k| capitalised(k.label()))
                .collect(),
            0,
        ),
        Field::text("date", "Date", &today_text(m)),
        Field::text("note", "Ce qui s'est passé", ""),
    ];
    m.overlay = Some(Overlay::Form(Form::new(
        &format!("Difficulté (R-MES-6) · {r}"),
        FormPurpose::Difficulty(r),
        fields,
    )));
}

/// The workers a measure can be handed to, as shown in the choice: name
/// and sectors. The current one is left out, and those not in the service
/// today (arrived later, or left).
fn other_workers(m: &Model, r: Reference) -> Vec<crate::domain::WorkerId> {
    let current = m.data.measures.get(&r).and_then(|x| x.worker);
    m.data
        .workers
        .values()
        .filter(|w| Some(w.id) != current && w.active_on(m.today))
        .map(|w| w.id)
        .collect()
}

/// R-MES-7: the GIP hands the measure to another worker.
pub fn open_hand_over(m: &mut Model) {
    let Some(r) = with_measure(m) else { return };
    let workers = other_workers(m, r);
    let labels = workers
        .iter()
        .filter_map(|w| m.data.workers.get(w))
        .map(|w| {
            let sectors: Vec<&str> = w.sectors.iter().map(|s| m.data.sector_name(*s)).collect();
            format!("{} ({})", w.name, sectors.join(", "))
        })
        .collect();
    let now = m
        .data
        .measures
        .get(&r)
        .map(|x| m.data.worker_name(x.worker).to_string())
        .unwrap_or_default();
    m.overlay = Some(Overlay::Form(Form::new(
        &format!("Confier la mesure {r} (suivie par {now})"),
        FormPurpose::HandOver(r),
        vec![Field::choice("worker", "À", labels, 0)],
    )));
}

/// R-MES-7: the household moves to another sector.
pub fn open_move_household(m: &mut Model) {
    let Screen::Household { household, .. } = m.screen else {
        return;
    };
    let Some(h) = m.data.households.get(&household).cloned() else {
        return;
    };
    let sectors: Vec<&crate::domain::Sector> = m
        .data
        .sectors
        .values()
        .filter(|s| s.id != h.sector)
        .collect();
    let labels = sectors.iter().map(|s| s.name.clone()).collect();
    m.overlay = Some(Overlay::Form(Form::new(
        &format!(
            "Le ménage n° {} change de secteur (aujourd'hui {})",
            h.id.0,
            m.data.sector_name(h.sector)
        ),
        FormPurpose::MoveHousehold(h.id),
        vec![Field::choice("sector", "Vers", labels, 0)],
    )));
}

/// R-DIAG-2: the diagnostic returned to the commission; R-DIAG-3: the
/// worker may ask, at once, for the measure that follows it.
pub fn open_return_diagnostic(m: &mut Model) {
    let Some(r) = with_measure(m) else { return };
    if m.data.measures.get(&r).map(|x| x.kind) != Some(crate::domain::ReferralKind::Diagnostic) {
        return m.set_status(StatusKind::Error, format!("{r} n'est pas un diagnostic"));
    }
    let fields = vec![
        Field::text("date", "Rendu le", &today_text(m)),
        Field::toggle("follow_on", "Mesure ASSLL à la suite (R-DIAG-3)", false),
        Field::multi(
            "objectives",
            "Objectifs de la mesure",
            crate::domain::Objective::ALL
                .iter()
                .map(|o| o.label().to_string())
                .collect(),
            Vec::new(),
        ),
        Field::text("months", "Durée initiale (mois)", "6"),
    ];
    m.overlay = Some(Overlay::Form(Form::new(
        &format!("Diagnostic {r} rendu à la commission (R-DIAG-2)"),
        FormPurpose::ReturnDiagnostic(r),
        fields,
    )));
}

const LANDLORDS: [crate::domain::LandlordKind; 3] = [
    crate::domain::LandlordKind::Public,
    crate::domain::LandlordKind::Private,
    crate::domain::LandlordKind::Owner,
];

/// The household's identity and partners, as known, to correct.
pub fn open_edit_household(m: &mut Model) {
    let Screen::Household { household, .. } = m.screen else {
        return;
    };
    let Some(h) = m.data.households.get(&household).cloned() else {
        return;
    };
    let kind = h
        .landlord
        .as_ref()
        .and_then(|l| LANDLORDS.iter().position(|k| *k == l.kind))
        .map_or(0, |i| i + 1);
    let fields = vec![
        Field::text("last_name", "Nom", &h.last_name),
        Field::text("first_name", "Prénom", &h.first_name),
        Field::text("commune", "Commune", &h.commune),
        Field::text("referring", "TS référent (MDS…)", &h.referring_worker),
        Field::choice(
            "landlord_kind",
            "Logement",
            std::iter::once("— non renseigné —".to_string())
                .chain(LANDLORDS.iter().map(|k| k.label().to_string()))
                .collect(),
            kind,
        ),
        Field::text(
            "landlord",
            "Nom du bailleur",
            h.landlord.as_ref().map_or("", |l| l.name.as_str()),
        ),
    ];
    m.overlay = Some(Overlay::Form(Form::new(
        &format!("Ménage n° {} : identité et partenaires", h.id.0),
        FormPurpose::EditHousehold(h.id),
        fields,
    )));
}

fn edited_household(m: &Model, form: &mut Form, id: crate::domain::HouseholdId) -> Option<Command> {
    let mut h = m.data.households.get(&id)?.clone();
    let commune = form.text("commune");
    if commune.trim().is_empty() {
        h.commune = String::new();
        h.commune_insee = String::new();
    } else if commune.trim() != h.commune {
        match crate::communes::by_name(&commune)
            .or_else(|| crate::communes::by_insee(commune.trim()))
        {
            Some(c) => {
                h.commune = c.name.clone();
                h.commune_insee = c.insee.clone();
            }
            None => {
                form.set_error(
                    "commune",
                    "commune inconnue en Charente : vérifiez l'orthographe ou le code INSEE",
                );
                return None;
            }
        }
    }
    h.last_name = form.text("last_name");
    h.first_name = form.text("first_name");
    h.referring_worker = form.text("referring");
    let name = form.text("landlord");
    h.landlord = match form
        .choice("landlord_kind")
        .checked_sub(1)
        .and_then(|i| LANDLORDS.get(i).copied())
    {
        Some(kind) => Some(crate::domain::Landlord { name, kind }),
        None if !name.trim().is_empty() => {
            form.set_error("landlord_kind", "public, privé ou propriétaire : à choisir");
            return None;
        }
        None => None,
    };
    Some(Command::EditHousehold { household: h })
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
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
    m.overlay = Some(Overlay::Editor(Box::new(Editor {
        reference: r,
        textarea: review_textarea(lines),
        original: text,
        error: None,
    })));
}

/// The review's editor: long lines wrap at its width (at word boundaries,
/// a word longer than the line is cut), so nothing goes out of sight to the
/// right; it opens with the cursor after the last character, where a
/// review is usually continued.
fn review_textarea(lines: Vec<String>) -> TextArea<'static> {
    let mut textarea = TextArea::new(lines);
    textarea.set_wrap_mode(WrapMode::WordOrGlyph);
    textarea.move_cursor(CursorMove::Bottom);
    textarea.move_cursor(CursorMove::End);
    textarea
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
    let Some(on) = m.data.households.get(&id).map(|h| !h.judicial_protection) else {
        return;
    };
    match m.execute(Command::SetJudicialProtection { household: id, on }) {
        Ok(done) => m.set_status(
            StatusKind::Saved,
            format!("Enregistré ✓ — {}", done.summary),
        ),
        Err(e) => m.set_status(StatusKind::Error, e.to_string()),
    }
}

/// Saves the review from the editor.
pub fn save_review(m: &mut Model) {
    let Some(Overlay::Editor(mut ed)) = m.overlay.take() else {
        return;
    };
    let r = ed.reference;
    match m.execute(Command::WriteReview {
        reference: r,
        text: ed.text(),
    }) {
        Ok(_) => m.set_status(
            StatusKind::Saved,
            format!("Enregistré ✓ — bilan de la mesure {r}"),
        ),
        Err(e) => {
            ed.error = Some(e.to_string());
            m.overlay = Some(Overlay::Editor(ed));
        }
    }
}

/// Turns a household-file form into its command; field errors (dates that
/// do not parse, missing choices) go back into the form.
pub fn submit(m: &mut Model, mut form: Form) {
    form.clear_errors();
    let cmd = match form.purpose {
        FormPurpose::LogEvent(r)
        | FormPurpose::CorrectEvent(r)
        | FormPurpose::Contract(r)
        | FormPurpose::Masp(r)
        | FormPurpose::Fact(r)
        | FormPurpose::Difficulty(r)
        | FormPurpose::ReturnDiagnostic(r) => command_of(m, &mut form, r),
        FormPurpose::HandOver(r) => {
            other_workers(m, r)
                .get(form.choice("worker"))
                .map(|w| Command::HandOver {
                    reference: r,
                    worker: *w,
                })
        }
        FormPurpose::EditHousehold(h) => edited_household(m, &mut form, h),
        FormPurpose::MoveHousehold(h) => {
            let here = m.data.households.get(&h).map(|x| x.sector);
            m.data
                .sectors
                .keys()
                .filter(|s| Some(**s) != here)
                .nth(form.choice("sector"))
                .map(|s| Command::MoveHousehold {
                    household: h,
                    to: *s,
                })
        }
        _ => return,
    };
    let Some(cmd) = cmd.filter(|_| !form.has_errors()) else {
        m.overlay = Some(Overlay::Form(form));
        return;
    };
    match m.execute(cmd) {
        Ok(done) => {
            m.overlay = None;
            m.set_status(
                StatusKind::Saved,
                format!("Enregistré ✓ — {}", done.summary),
            );
        }
        Err(e) => {
            form.show_refusal(e);
            m.overlay = Some(Overlay::Form(form));
        }
    }
}

fn command_of(m: &Model, form: &mut Form, reference: Reference) -> Option<Command> {
    let date = form.date("date");
    match form.purpose {
        FormPurpose::LogEvent(_) | FormPurpose::CorrectEvent(_) => {
            let Some(kind) = form
                .choice("kind")
                .checked_sub(1)
                .and_then(|i| EventKind::ALL.get(i).copied())
            else {
                form.set_error(
                    "kind",
                    "type à choisir (← →) : visite à domicile, rencontre, téléphone…",
                );
                return None;
            };
            let with = Party::ALL.get(form.choice("with")).copied()?;
            let means = form
                .chosen("means")
                .into_iter()
                .filter_map(|i| Means::ALL.get(i).copied())
                .collect();
            let entry = LogEntry {
                date: date?,
                kind,
                with,
                means,
                note: form.text("note"),
                author: m.who.as_str().into(),
                correction: None,
            };
            Some(match &form.correcting {
                // The domain keeps the author and adds the trace.
                Some(was) if matches!(form.purpose, FormPurpose::CorrectEvent(_)) => {
                    Command::CorrectEvent {
                        reference,
                        was: (**was).clone(),
                        entry,
                    }
                }
                _ => Command::LogEvent { reference, entry },
            })
        }
        FormPurpose::Contract(_) => Some(if form.choice("signed") == 0 {
            Command::SignContract {
                reference,
                date: date?,
            }
        } else {
            Command::NoContract {
                reference,
                reason: form.text("reason"),
                date: date?,
            }
        }),
        FormPurpose::Masp(_) => Some(match form.choice("step") {
            0 => Command::RequestMasp {
                reference,
                date: date?,
            },
            n => Command::DecideMasp {
                reference,
                granted: n == 1,
                date: date?,
            },
        }),
        FormPurpose::ReturnDiagnostic(_) => {
            let follow_on = if form.toggle("follow_on") {
                let objectives = form
                    .chosen("objectives")
                    .into_iter()
                    .filter_map(|i| crate::domain::Objective::ALL.get(i).copied())
                    .collect();
                let Ok(months) = form.text("months").trim().parse::<u8>() else {
                    form.set_error("months", "un nombre de mois, de 1 à 6 (R-MES-1)");
                    return None;
                };
                Some((objectives, months))
            } else {
                None
            };
            Some(Command::ReturnDiagnostic {
                reference,
                date: date?,
                follow_on,
            })
        }
        FormPurpose::Difficulty(_) => Some(Command::RecordDifficulty {
            reference,
            kind: DifficultyKind::ALL.get(form.choice("kind")).copied()?,
            date: date?,
            note: form.text("note"),
        }),
        FormPurpose::Fact(_) => Some(Command::CheckFact {
            reference,
            label: form.text("label"),
            value: form.text("value"),
            date: date?,
        }),
        _ => None,
    }
}
