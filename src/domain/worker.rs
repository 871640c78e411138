//! Workers (travailleurs sociaux du FSL).

use super::ids::{SectorId, WorkerId};
use super::sector::Employer;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Worker {
    pub id: WorkerId,
    /// As shown to others: `Mme Laurent`.
    pub name: String,
    pub employer: Employer,
    pub sectors: Vec<SectorId>,
    /// Time share in hundredths of a full-time equivalent.
    pub fte_hundredths: u16,
    /// Operating-system login, used to match the audit's "who" and a
    /// worker's own view; empty when unknown.
    pub login: String,
    /// The day they joined the service, when known (format version 3).
    #[serde(default)]
    pub arrived: Option<NaiveDate>,
    /// The day they left it; they keep their past in the statistics but
    /// take no new measure (format version 3).
    #[serde(default)]
    pub left: Option<NaiveDate>,
}

impl Worker {
    /// In the service on `date`: arrived (or arrival unknown) and not yet
    /// left. A worker leaves at the end of their last day.
    pub fn active_on(&self, date: NaiveDate) -> bool {
        self.arrived.is_none_or(|a| a <= date) && self.left.is_none_or(|l| date <= l)
    }

    /// Why a measure cannot be given to this worker on `date`, in French.
    pub fn unavailable_on(&self, date: NaiveDate) -> Option<String> {
        let fr = super::calendar::fr_date;
        match (self.arrived, self.left) {
            (_, Some(l)) if l < date => {
                Some(format!("{} a quitté le service le {}", self.name, fr(l)))
            }
            (Some(a), _) if date < a => Some(format!(
                "{} n'arrive dans le service que le {}",
                self.name,
                fr(a)
            )),
            _ => None,
        }
    }

    /// Initial of the first name and last name, as on the GTS screen.
    pub fn short_name(&self) -> &str {
        &self.name
    }
}
