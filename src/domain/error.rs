//! Rule violations, each with the French sentence the user reads and the
//! rule id it comes from.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    #[error(
        "Refusé : le ménage bénéficie d'une mesure de protection judiciaire, incompatible avec un ASSLL (R-ELIG-2)"
    )]
    JudicialProtection,
    #[error(
        "Urgence refusée : seule la cellule de recours peut demander une urgence, pas « {requester} » (R-REF-6)"
    )]
    UrgencyNotFromAppealsUnit { requester: String },
    #[error(
        "Diagnostic refusé : il est demandé par les commissions FSL ou la cellule de recours, pas « {requester} » (R-DIAG-1)"
    )]
    DiagnosticRequester { requester: String },
    #[error("Durée initiale de {months} mois refusée : de 1 à 6 mois (R-MES-1)")]
    InitialDuration { months: u8 },
    #[error("Aucun objectif : une commande de mesure en nomme au moins un (R-OBJ)")]
    NoObjective,
    #[error("Date de réception antérieure à la date de la commande")]
    ReceivedBeforeReferral,
    #[error("Renouvellement refusé : déjà renouvelée 2 fois (R-MES-4)")]
    ThirdRenewal,
    #[error("Renouvellement de {months} mois refusé : de 1 à 6 mois (R-MES-4)")]
    RenewalDuration { months: u8 },
    #[error("Action impossible : la mesure est {status}")]
    WrongStatus { status: String },
    #[error("Date du {date} antérieure au début de la mesure")]
    BeforeStart { date: String },
    #[error("Date du {date} antérieure à la dernière passation de la mesure")]
    BeforeLastHolding { date: String },
    #[error("Motif obligatoire")]
    ReasonRequired,
    #[error(
        "Qualification MASP refusée : la mesure n'a ni objectif budgétaire ni cadre de sous-location (R-MASP-1)"
    )]
    MaspNotEligible,
    #[error("Qualification MASP : {0}")]
    Masp(String),
    #[error("Date du {date} antérieure à la date de la commande")]
    BeforeReferral { date: String },
    #[error("La commande {reference} n'est pas un diagnostic (R-DIAG-3)")]
    NotADiagnostic { reference: String },
    #[error(
        "Le diagnostic {reference} n'a pas été commencé : aucune mesure ne peut le suivre (R-DIAG-3)"
    )]
    DiagnosticNotStarted { reference: String },
    #[error("Libellé obligatoire")]
    LabelRequired,
    #[error("Transfert impossible : la commande est déjà sur ce secteur (R-CAP-3)")]
    SameSector,
    #[error("Secteur inconnu")]
    UnknownSector,
    #[error("Ménage inconnu")]
    UnknownHousehold,
    #[error("Chronologie non chargée : rouvrez le dossier puis recommencez")]
    LogNotLoaded,
    #[error(
        "Ce contact n'est plus dans la chronologie tel qu'il était (modifié entre-temps) : fermez puis rouvrez le dossier"
    )]
    EntryNotFound,
    #[error(
        "Rien à corriger : le type, la date, la personne, les moyens et la note sont les mêmes"
    )]
    NothingCorrected,
    #[error(
        "Renouvellement refusé : aucun bilan écrit pour ce cycle (depuis le {since}) ; la ou le \
         TS rédige le bilan présenté au GTS (R-BIL-1)"
    )]
    NoReviewThisCycle { since: String },
}

impl DomainError {
    /// The DOMAIN.md rule a refusal comes from, when it comes from one.
    pub fn rule(&self) -> Option<&'static str> {
        Some(match self {
            DomainError::JudicialProtection => "R-ELIG-2",
            DomainError::UrgencyNotFromAppealsUnit { .. } => "R-REF-6",
            DomainError::DiagnosticRequester { .. } => "R-DIAG-1",
            DomainError::InitialDuration { .. } => "R-MES-1",
            DomainError::NoObjective => "R-OBJ",
            DomainError::ThirdRenewal | DomainError::RenewalDuration { .. } => "R-MES-4",
            DomainError::MaspNotEligible => "R-MASP-1",
            DomainError::Masp(_) => "R-MASP-2",
            DomainError::NotADiagnostic { .. } | DomainError::DiagnosticNotStarted { .. } => {
                "R-DIAG-3"
            }
            DomainError::SameSector => "R-CAP-3",
            DomainError::NoReviewThisCycle { .. } => "R-BIL-1",
            DomainError::ReceivedBeforeReferral
            | DomainError::WrongStatus { .. }
            | DomainError::BeforeStart { .. }
            | DomainError::BeforeLastHolding { .. }
            | DomainError::BeforeReferral { .. }
            | DomainError::ReasonRequired
            | DomainError::LabelRequired
            | DomainError::UnknownSector
            | DomainError::UnknownHousehold
            | DomainError::LogNotLoaded
            | DomainError::EntryNotFound
            | DomainError::NothingCorrected => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_refusal_names_its_rule_in_its_message() {
        let errors = [
            DomainError::JudicialProtection,
            DomainError::UrgencyNotFromAppealsUnit {
                requester: "Ménage".into(),
            },
            DomainError::DiagnosticRequester {
                requester: "Ménage".into(),
            },
            DomainError::InitialDuration { months: 7 },
            DomainError::NoObjective,
            DomainError::ThirdRenewal,
            DomainError::RenewalDuration { months: 0 },
            DomainError::MaspNotEligible,
            DomainError::NotADiagnostic {
                reference: "2026-0001".into(),
            },
            DomainError::DiagnosticNotStarted {
                reference: "2026-0001".into(),
            },
            DomainError::SameSector,
            DomainError::NoReviewThisCycle {
                since: "01/01/2027".into(),
            },
        ];
        for e in errors {
            let rule = e.rule().unwrap();
            assert!(e.to_string().contains(rule), "{e}");
        }
        assert_eq!(DomainError::ReasonRequired.rule(), None);
    }
}
