//! Households (ménages).

use super::ids::{HouseholdId, SectorId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LandlordKind {
    Public,
    Private,
    /// Homeowner in difficulty (R-ELIG-1): no landlord.
    Owner,
}

impl LandlordKind {
    pub fn label(self) -> &'static str {
        match self {
            LandlordKind::Public => "bailleur public",
            LandlordKind::Private => "bailleur privé",
            LandlordKind::Owner => "propriétaire occupant",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Landlord {
    pub name: String,
    pub kind: LandlordKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Household {
    pub id: HouseholdId,
    pub last_name: String,
    pub first_name: String,
    /// INSEE code of the commune (`16015`), empty when unknown.
    pub commune_insee: String,
    pub commune: String,
    pub sector: SectorId,
    /// The household's usual social worker (travailleur social référent).
    pub referring_worker: String,
    pub landlord: Option<Landlord>,
    /// R-ELIG-2: under a judicial protection measure (tutelle, curatelle…).
    pub judicial_protection: bool,
}

impl Household {
    /// `DURAND M.`: last name in capitals, first initial.
    pub fn display_name(&self) -> String {
        let initial = self.first_name.chars().next().map(|c| format!(" {c}."));
        format!(
            "{}{}",
            self.last_name.to_uppercase(),
            initial.unwrap_or_default()
        )
    }

    /// `D.M. 2026-0087`-style pseudonym part: initials only.
    pub fn initials(&self) -> String {
        let l = self.last_name.chars().next().unwrap_or('?');
        let f = self.first_name.chars().next().unwrap_or('?');
        format!("{}.{}.", l.to_uppercase(), f.to_uppercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_for_lists_and_privacy() {
        let h = Household {
            id: HouseholdId(1),
            last_name: "Durand".into(),
            first_name: "Émilie".into(),
            commune_insee: String::new(),
            commune: "Cognac".into(),
            sector: SectorId(6),
            referring_worker: String::new(),
            landlord: None,
            judicial_protection: false,
        };
        assert_eq!(h.display_name(), "DURAND É.");
        assert_eq!(h.initials(), "D.É.");
    }
}
