//! Referrals (commandes): who asks, who decides, what for (R-REF, R-OBJ, R-DIAG-1).

use super::error::DomainError;
use super::ids::{HouseholdId, Reference, SectorId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A measure, or a diagnostic of the housing situation (R-DIAG).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReferralKind {
    Measure,
    Diagnostic,
}

/// R-REF-1: who may ask for an intervention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Requester {
    Household,
    ReferringWorker,
    /// The FSL commissions.
    Commission,
    AppealsUnit,
    Landlord,
    Cdapl,
    /// The FSL worker itself, or any interested person or body.
    Other,
}

impl Requester {
    pub const ALL: [Requester; 7] = [
        Requester::Household,
        Requester::ReferringWorker,
        Requester::Commission,
        Requester::AppealsUnit,
        Requester::Landlord,
        Requester::Cdapl,
        Requester::Other,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Requester::Household => "Ménage",
            Requester::ReferringWorker => "TS référent",
            Requester::Commission => "Commission",
            Requester::AppealsUnit => "Cellule rec.",
            Requester::Landlord => "Bailleur",
            Requester::Cdapl => "CDAPL",
            Requester::Other => "Autre",
        }
    }
}

/// R-REF-2: the body that decided the referral is opportune.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DecidingBody {
    Commission,
    AppealsUnit,
}

impl DecidingBody {
    pub fn label(self) -> &'static str {
        match self {
            DecidingBody::Commission => "Commission FSL",
            DecidingBody::AppealsUnit => "Cellule de recours",
        }
    }
}

/// R-OBJ: the five objectives, on two axes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Objective {
    Rehousing,
    Appropriation,
    ChargesManagement,
    EvictionPrevention,
    LivingConditions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Axis {
    Access,
    Keeping,
}

impl Axis {
    pub fn label(self) -> &'static str {
        match self {
            Axis::Access => "Accès",
            Axis::Keeping => "Maintien",
        }
    }
}

impl Objective {
    pub const ALL: [Objective; 5] = [
        Objective::Rehousing,
        Objective::Appropriation,
        Objective::ChargesManagement,
        Objective::EvictionPrevention,
        Objective::LivingConditions,
    ];
    pub fn axis(self) -> Axis {
        match self {
            Objective::Rehousing | Objective::Appropriation | Objective::ChargesManagement => {
                Axis::Access
            }
            Objective::EvictionPrevention | Objective::LivingConditions => Axis::Keeping,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Objective::Rehousing => "Relogement",
            Objective::Appropriation => "Appropriation du logement",
            Objective::ChargesManagement => "Gestion autonome des charges",
            Objective::EvictionPrevention => "Prévention de l'expulsion",
            Objective::LivingConditions => "Maintien de bonnes conditions de vie",
        }
    }
    pub fn short_label(self) -> &'static str {
        match self {
            Objective::Rehousing => "relogement",
            Objective::Appropriation => "appropriation",
            Objective::ChargesManagement => "charges",
            Objective::EvictionPrevention => "expulsion",
            Objective::LivingConditions => "conditions de vie",
        }
    }
    /// R-MASP-1: a budget objective (charges management with AEB, or the
    /// budget work of eviction prevention) lets a measure be qualified MASP.
    pub fn is_budget(self) -> bool {
        matches!(
            self,
            Objective::ChargesManagement | Objective::EvictionPrevention
        )
    }
}

/// A referral (commande).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    pub reference: Reference,
    pub household: HouseholdId,
    pub kind: ReferralKind,
    pub requester: Requester,
    pub deciding_body: DecidingBody,
    /// R-REF-5/6: only the appeals unit may ask for urgency.
    pub urgent: bool,
    /// The date of the referral: the waiting-list order (R-REF-5).
    pub referral_date: NaiveDate,
    /// The date the worker received it: R-REF-4's month and R-DIAG-2's two
    /// months run from here.
    pub received: NaiveDate,
    pub objectives: Vec<Objective>,
    /// R-MES-1: initial duration set by the commission, 1..=6 months.
    pub initial_months: u8,
    /// The sector whose waiting list holds it.
    pub sector: SectorId,
    /// In a sub-letting setting (R-MASP-1).
    pub sublet: bool,
    /// R-DIAG-3: the diagnostic this measure follows, if any.
    pub after_diagnostic: Option<Reference>,
    pub note: String,
}

impl Referral {
    /// `Maintien`, `Accès`, `Accès · Maintien` or `Diagnostic`.
    pub fn axes_label(&self) -> String {
        if self.kind == ReferralKind::Diagnostic {
            return "Diagnostic".to_string();
        }
        let mut axes: Vec<&str> = Vec::new();
        for a in [Axis::Access, Axis::Keeping] {
            if self.objectives.iter().any(|o| o.axis() == a) {
                axes.push(a.label());
            }
        }
        axes.join(" · ")
    }

    /// Validates a referral against the rules, each error in French.
    pub fn validate(&self) -> Result<(), DomainError> {
        validate_urgency(self.urgent, self.requester, self.deciding_body)?;
        if self.kind == ReferralKind::Diagnostic {
            validate_diagnostic_body(self.requester, self.deciding_body)?;
        } else {
            validate_initial_months(self.initial_months)?;
            if self.objectives.is_empty() {
                return Err(DomainError::NoObjective);
            }
        }
        if self.received < self.referral_date {
            return Err(DomainError::ReceivedBeforeReferral);
        }
        Ok(())
    }
}

/// R-REF-6: urgency may come from the appeals unit only: it is the appeals
/// unit that asks for it, either as the requester (R-REF-1, 3) or as the body
/// that decided the referral (R-REF-2). From anyone else it is refused.
pub fn validate_urgency(
    urgent: bool,
    requester: Requester,
    body: DecidingBody,
) -> Result<(), DomainError> {
    if urgent && requester != Requester::AppealsUnit && body != DecidingBody::AppealsUnit {
        return Err(DomainError::UrgencyNotFromAppealsUnit {
            requester: requester.label().to_string(),
        });
    }
    Ok(())
}

/// R-DIAG-1: a diagnostic is asked for by the FSL commissions or the appeals unit.
pub fn validate_diagnostic_body(
    requester: Requester,
    _body: DecidingBody,
) -> Result<(), DomainError> {
    match requester {
        Requester::Commission | Requester::AppealsUnit => Ok(()),
        other => Err(DomainError::DiagnosticRequester {
            requester: other.label().to_string(),
        }),
    }
}

/// R-MES-1: the initial duration is at most six months (and at least one).
pub fn validate_initial_months(months: u8) -> Result<(), DomainError> {
    if (1..=6).contains(&months) {
        Ok(())
    } else {
        Err(DomainError::InitialDuration { months })
    }
}
