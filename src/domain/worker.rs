//! Workers (travailleurs sociaux du FSL).

use super::ids::{SectorId, WorkerId};
use super::sector::Employer;
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
}

impl Worker {
    /// Initial of the first name and last name, as on the GTS screen.
    pub fn short_name(&self) -> &str {
        &self.name
    }
}
