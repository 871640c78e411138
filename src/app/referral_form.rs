//! Nouvelle commande: a referral for a new or existing household, checked
//! field by field against the rules (R-REF-6, R-DIAG-1, R-MES-1, R-OBJ,
//! R-ELIG-2), then Household + Referral + waiting Measure in one commit.

use super::form::{Field, Form, FormPurpose};
use super::{Model, Screen, StatusKind};
use crate::domain::calendar::fr_date;
use crate::domain::command::{Command, HouseholdChoice};
use crate::domain::measure::check_eligibility;
use crate::domain::referral::{
    validate_diagnostic_body, validate_initial_months, validate_urgency,
};
use crate::domain::{
    DecidingBody, DomainError, Household, HouseholdId, Landlord, LandlordKind, Objective, Record,
    Referral, ReferralKind, Requester, SectorId,
};
use chrono::Datelike;

const BODIES: [DecidingBody; 2] = [DecidingBody::Commission, DecidingBody::AppealsUnit];
const LANDLORDS: [LandlordKind; 3] = [
    LandlordKind::Public,
    LandlordKind::Private,
    LandlordKind::Owner,
];

/// Leaving the commune field: the sector its commune belongs to (the
/// commune → sector table) is chosen, and said; it can still be changed.
pub fn derive_sector(m: &mut Model) {
    let Some(form) = m.referral_form.as_mut() else {
        return;
    };
    let commune = form.text("commune");
    let Some(sector) = crate::communes::effective_sector(&m.data.commune_sectors, commune.trim())
    else {
        return;
    };
    let Some(index) = m.data.sectors.keys().position(|s| *s == sector) else {
        return;
    };
    if form.choice("sector") != index {
        if let Some(super::form::FieldValue::Choice { index: i, .. }) = form
            .fields
            .iter_mut()
            .find(|f| f.key == "sector")
            .map(|f| &mut f.value)
        {
            *i = index;
        }
        m.set_status(
            StatusKind::Info,
            format!(
                "Secteur {} d'après la commune {} (modifiable)",
                m.data.sector_name(sector),
                commune.trim()
            ),
        );
    }
}

pub fn new_form(m: &Model) -> Form {
    let today = fr_date(m.today);
    let sectors: Vec<String> = m.data.sectors.values().map(|s| s.name.clone()).collect();
    let sector_index = m
        .data
        .sectors
        .keys()
        .position(|s| *s == m.sector)
        .unwrap_or(0);
    Form::new(
        "Nouvelle commande",
        FormPurpose::NewReferral,
        vec![
            Field::text("existing", "N° ménage existant", ""),
            Field::text("last_name", "Nom", ""),
            Field::text("first_name", "Prénom", ""),
            Field::text("commune", "Commune", ""),
            Field::choice("sector", "Secteur", sectors, sector_index),
            Field::text("referring", "TS référent (MDS…)", ""),
            Field::choice(
                "landlord_kind",
                "Logement",
                std::iter::once("— non renseigné —".to_string())
                    .chain(LANDLORDS.iter().map(|k| k.label().to_string()))
                    .collect(),
                0,
            ),
            Field::text("landlord", "Nom du bailleur", ""),
            Field::toggle("protection", "Protection judiciaire", false),
            Field::choice(
                "kind",
                "Type",
                vec!["Mesure ASSLL".into(), "Diagnostic".into()],
                0,
            ),
            Field::choice(
                "requester",
                "Demandeur",
                Requester::ALL
                    .iter()
                    .map(|r| r.label().to_string())
                    .collect(),
                2,
            ),
            Field::choice(
                "body",
                "Instance",
                BODIES.iter().map(|b| b.label().to_string()).collect(),
                0,
            ),
            Field::toggle("urgent", "Urgence", false),
            Field::text("referral_date", "Date de commande", &today),
            Field::text("received", "Reçue le", &today),
            Field::multi(
                "objectives",
                "Objectifs",
                Objective::ALL
                    .iter()
                    .map(|o| o.label().to_string())
                    .collect(),
                Vec::new(),
            ),
            Field::text("months", "Durée initiale (mois)", "6"),
            Field::toggle("sublet", "Sous-location", false),
            Field::text("note", "Note", ""),
        ],
    )
}

/// Checks every field, puts each error beside its field, and saves when
/// all is well.
pub fn submit(m: &mut Model) {
    let Some(mut form) = m.referral_form.take() else {
        return;
    };
    form.clear_errors();
    let built = build(m, &mut form);
    let (household, referral) = match built {
        Some(b) if !form.has_errors() => b,
        _ => {
            if form.error.is_none() {
                form.error = Some("À corriger avant d'enregistrer (voir les champs)".into());
            }
            m.referral_form = Some(form);
            return;
        }
    };
    let sector = referral.sector;
    match m.execute(Command::CreateReferral {
        household,
        referral,
    }) {
        Ok(done) => {
            // The reference and household the domain gave.
            let Some(created) = done.records.iter().find_map(|r| match r {
                Record::Referral(x) => Some(x.clone()),
                _ => None,
            }) else {
                return;
            };
            let reference = created.reference;
            let rank = m
                .derived
                .waiting
                .get(&sector)
                .and_then(|l| l.iter().position(|x| *x == reference))
                .map_or(0, |p| p + 1);
            m.set_status(
                StatusKind::Saved,
                format!(
                    "Enregistré ✓ — commande {reference} créée, liste d'attente {} rang {rank}",
                    m.data.sector_name(sector)
                ),
            );
            m.screen = Screen::Household {
                household: created.household,
                reference: Some(reference),
            };
            m.household_scroll = 0;
            m.household_entry = None;
        }
        Err(e) => {
            form.show_refusal(e);
            m.referral_form = Some(form);
        }
    }
}

fn build(m: &Model, form: &mut Form) -> Option<(HouseholdChoice, Referral)> {
    let sector = m
        .data
        .sectors
        .keys()
        .nth(form.choice("sector"))
        .copied()
        .unwrap_or(SectorId(0));
    // The commune, checked against the département's list (INSEE code kept).
    let commune_text = form.text("commune");
    let commune = if commune_text.trim().is_empty() {
        None
    } else {
        let found = crate::communes::by_name(&commune_text)
            .or_else(|| crate::communes::by_insee(commune_text.trim()));
        if found.is_none() {
            form.set_error(
                "commune",
                "commune inconnue en Charente : vérifiez l'orthographe (ex. La Couronne) ou le code INSEE",
            );
        }
        found
    };
    // The household.
    let existing = form.text("existing");
    let household = if existing.is_empty() {
        let last = form.text("last_name");
        if last.is_empty() {
            form.set_error("last_name", "nom obligatoire (ou un n° de ménage existant)");
        }
        let first = form.text("first_name");
        let insee = commune.map(|c| c.insee.clone()).unwrap_or_default();
        // A family already known: most likely a second referral for it.
        let known: Vec<String> = crate::domain::household::possible_duplicates(
            m.data.households.values(),
            &last,
            &first,
            &insee,
        )
        .iter()
        .take(3)
        .map(|h| format!("n° {} {} ({})", h.id.0, h.display_name(), h.commune))
        .collect();
        if !known.is_empty() {
            let warning = format!(
                "déjà connu : {} — son n° dans « N° ménage existant », ou Entrée encore pour un nouveau ménage",
                known.join(", ")
            );
            if form.acknowledged.as_deref() != Some(warning.as_str()) {
                form.set_error("last_name", warning.clone());
                form.acknowledged = Some(warning);
            }
        }
        let landlord_kind = form
            .choice("landlord_kind")
            .checked_sub(1)
            .and_then(|i| LANDLORDS.get(i).copied());
        let landlord_name = form.text("landlord");
        let landlord = match landlord_kind {
            Some(kind) => Some(Landlord {
                name: landlord_name,
                kind,
            }),
            None if !landlord_name.trim().is_empty() => {
                form.set_error("landlord_kind", "public, privé ou propriétaire : à choisir");
                None
            }
            None => None,
        };
        HouseholdChoice::New(Household {
            id: HouseholdId(0),
            last_name: last,
            first_name: first,
            commune_insee: insee,
            commune: commune.map_or(commune_text.clone(), |c| c.name.clone()),
            sector,
            referring_worker: form.text("referring"),
            landlord,
            judicial_protection: form.toggle("protection"),
        })
    } else {
        match existing
            .parse::<u32>()
            .ok()
            .and_then(|n| m.data.households.get(&HouseholdId(n)))
        {
            Some(h) => {
                if let Err(e) = check_eligibility(h) {
                    form.set_error("existing", e.to_string());
                }
                HouseholdChoice::Existing(h.id)
            }
            None => {
                form.set_error("existing", format!("aucun ménage n° « {existing} »"));
                return None;
            }
        }
    };
    let kind = if form.choice("kind") == 1 {
        ReferralKind::Diagnostic
    } else {
        ReferralKind::Measure
    };
    let requester = Requester::ALL
        .get(form.choice("requester"))
        .copied()
        .unwrap_or(Requester::Other);
    let body = BODIES
        .get(form.choice("body"))
        .copied()
        .unwrap_or(DecidingBody::Commission);
    let urgent = form.toggle("urgent");
    if let Err(e) = validate_urgency(urgent, requester, body) {
        form.set_error("urgent", e.to_string());
    }
    if kind == ReferralKind::Diagnostic
        && let Err(e) = validate_diagnostic_body(requester, body)
    {
        form.set_error("requester", e.to_string());
    }
    let referral_date = form.date("referral_date");
    let received = form.date("received");
    if let (Some(a), Some(b)) = (referral_date, received)
        && b < a
    {
        form.set_error("received", DomainError::ReceivedBeforeReferral.to_string());
    }
    if let Some(d) = referral_date
        && d > m.today
    {
        form.set_error("referral_date", "date dans le futur");
    }
    let objectives: Vec<Objective> = form
        .chosen("objectives")
        .into_iter()
        .filter_map(|i| Objective::ALL.get(i).copied())
        .collect();
    let months_text = form.text("months");
    let months = match months_text.parse::<u8>() {
        Ok(n) => n,
        Err(_) => {
            form.set_error(
                "months",
                format!("« {months_text} » n'est pas un nombre de mois (1 à 6)"),
            );
            0
        }
    };
    if kind == ReferralKind::Measure {
        if objectives.is_empty() {
            form.set_error("objectives", DomainError::NoObjective.to_string());
        }
        if months != 0
            && let Err(e) = validate_initial_months(months)
        {
            form.set_error("months", e.to_string());
        }
    }
    let referral_date = referral_date?;
    let received = received?;
    let referral = Referral {
        // Given by the domain when the command is executed.
        reference: crate::domain::Reference::new(referral_date.year() as u16, 0),
        household: HouseholdId(0),
        kind,
        requester,
        deciding_body: body,
        urgent,
        referral_date,
        received,
        objectives,
        initial_months: if kind == ReferralKind::Diagnostic && months == 0 {
            2
        } else {
            months
        },
        sector,
        sublet: form.toggle("sublet"),
        after_diagnostic: None,
        note: form.text("note"),
    };
    if form.has_errors() {
        return None;
    }
    Some((household, referral))
}
