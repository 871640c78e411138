//! Identifiers shared by every record.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A sector (circonscription). Small and stable: the 9 defaults are 1..=9.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct SectorId(pub u16);

/// A social worker of the FSL.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct WorkerId(pub u32);

/// A household (ménage).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct HouseholdId(pub u32);

/// The human reference of a referral and of the measure it leads to:
/// `AAAA-NNNN`, numbered per referral year (e.g. `2027-0042`).
///
/// In human-readable formats (the JSON export) it is that string; in the
/// store's binary records it is the pair (year, number), as derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Reference {
    pub year: u16,
    pub number: u32,
}

impl Reference {
    pub fn new(year: u16, number: u32) -> Self {
        Self { year, number }
    }
}

/// The binary layout: exactly what `#[derive(Serialize, Deserialize)]`
/// gives a struct of two fields, so stored records keep decoding.
#[derive(Serialize, Deserialize)]
#[serde(rename = "Reference")]
struct ReferenceFields {
    year: u16,
    number: u32,
}

impl Serialize for Reference {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_str(self)
        } else {
            ReferenceFields {
                year: self.year,
                number: self.number,
            }
            .serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for Reference {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            let s = String::deserialize(deserializer)?;
            s.parse().map_err(serde::de::Error::custom)
        } else {
            let f = ReferenceFields::deserialize(deserializer)?;
            Ok(Reference::new(f.year, f.number))
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:04}", self.year, self.number)
    }
}

impl FromStr for Reference {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("référence « {s} » invalide : attendu AAAA-NNNN (ex. 2027-0042)");
        let (y, n) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || n.len() < 4 {
            return Err(bad());
        }
        let year = y.parse::<u16>().map_err(|_| bad())?;
        let number = n.parse::<u32>().map_err(|_| bad())?;
        if number == 0 {
            return Err(bad());
        }
        Ok(Self { year, number })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_is_year_dash_four_digits() {
        assert_eq!(Reference::new(2027, 42).to_string(), "2027-0042");
        assert_eq!(Reference::new(2027, 12345).to_string(), "2027-12345");
        assert_eq!(
            "2027-0042".parse::<Reference>(),
            Ok(Reference::new(2027, 42))
        );
        assert!("27-42".parse::<Reference>().is_err());
        assert!("2027-0000".parse::<Reference>().is_err());
        assert!("abcd-0001".parse::<Reference>().is_err());
    }
}
