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

/// A name as compared (a household's for duplicates, a commune's for the
/// département's list): lower case, no accents, words separated by one
/// space, anything else than letters and digits a separator
/// (`Lefèvre-Dupont ` = `lefevre dupont`).
pub fn name_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars().flat_map(char::to_lowercase) {
        let c = match ch {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ÿ' => 'y',
            'ç' => 'c',
            'œ' => {
                out.push('o');
                'e'
            }
            'æ' => {
                out.push('a');
                'e'
            }
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        if c == ' ' {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Households already known under this name (same last and first name,
/// accents and case aside), in the same commune when one is given: a new
/// referral for them is most likely a second referral for the same family.
pub fn possible_duplicates<'a>(
    households: impl IntoIterator<Item = &'a Household>,
    last_name: &str,
    first_name: &str,
    commune_insee: &str,
) -> Vec<&'a Household> {
    let (last, first) = (name_key(last_name), name_key(first_name));
    if last.is_empty() {
        return Vec::new();
    }
    households
        .into_iter()
        .filter(|h| name_key(&h.last_name) == last)
        .filter(|h| first.is_empty() || name_key(&h.first_name) == first)
        .filter(|h| {
            commune_insee.is_empty()
                || h.commune_insee.is_empty()
                || h.commune_insee == commune_insee
        })
        .collect()
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

#[cfg(test)]
mod duplicates {
    use super::*;

    fn h(id: u32, last: &str, first: &str, insee: &str) -> Household {
        Household {
            id: HouseholdId(id),
            last_name: last.into(),
            first_name: first.into(),
            commune_insee: insee.into(),
            commune: String::new(),
            sector: SectorId(1),
            referring_worker: String::new(),
            landlord: None,
            judicial_protection: false,
        }
    }

    #[test]
    fn a_known_family_is_found_whatever_its_accents_case_and_hyphens() {
        let all = [
            h(1, "Lefèvre-Dupont", "Anne", "16102"),
            h(2, "Lefevre Dupont", "Paul", "16102"),
            h(3, "LEFÈVRE-DUPONT", "Anne", "16015"),
        ];
        let ids = |v: Vec<&Household>| v.iter().map(|x| x.id.0).collect::<Vec<_>>();
        assert_eq!(
            ids(possible_duplicates(&all, " lefevre  dupont", "anne", "")),
            [1, 3]
        );
        assert_eq!(
            ids(possible_duplicates(&all, "Lefèvre-Dupont", "Anne", "16102")),
            [1]
        );
        assert_eq!(
            ids(possible_duplicates(&all, "Lefèvre-Dupont", "", "")),
            [1, 2, 3]
        );
        assert!(possible_duplicates(&all, "Martin", "Anne", "").is_empty());
        assert!(possible_duplicates(&all, " ", "Anne", "").is_empty());
    }
}
