//! A record: one saved thing, the unit the store writes and the application
//! applies to its in-memory [`Dataset`] once the store says it is durable.

use super::dataset::Dataset;
use super::gts::GtsSession;
use super::household::Household;
use super::measure::Measure;
use super::referral::Referral;
use super::sector::{Norms, Sector};
use super::worker::Worker;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Record {
    Norms(Norms),
    Sector(Sector),
    Worker(Worker),
    Household(Household),
    Referral(Referral),
    Measure(Measure),
    Session(GtsSession),
    /// Appended last: bincode numbers variants by position.
    Account(super::command::Account),
    /// The commune → sector table as the GIP confirmed it (by INSEE code);
    /// the whole table is one record. Appended after `Account`.
    CommuneSectors(super::refdata::CommuneSectors),
    /// The standing members of the GTS (R-GTS-1), all in one record.
    GtsMembers(Vec<super::refdata::GtsMember>),
}

impl Record {
    /// A short French name of what the record is, for the audit trail.
    pub fn describe(&self) -> String {
        match self {
            Record::Norms(_) => "normes".to_string(),
            Record::Sector(s) => format!("secteur {}", s.name),
            Record::Worker(w) => format!("TS {}", w.name),
            Record::Household(h) => format!("ménage {}", h.id.0),
            Record::Referral(r) => format!("commande {}", r.reference),
            Record::Measure(m) => format!("mesure {}", m.reference),
            Record::Session(s) => format!("GTS {:04}-{:02}", s.year, s.month),
            Record::Account(a) => format!("compte {}", a.login),
            Record::CommuneSectors(_) => "communes et secteurs".to_string(),
            Record::GtsMembers(_) => "membres du GTS".to_string(),
        }
    }
}

impl Dataset {
    /// Puts a record in place of the one with the same key.
    pub fn apply(&mut self, record: Record) {
        match record {
            Record::Norms(n) => self.norms = n,
            Record::Sector(s) => {
                self.sectors.insert(s.id, s);
            }
            Record::Worker(w) => {
                self.workers.insert(w.id, w);
            }
            Record::Household(h) => {
                self.households.insert(h.id, h);
            }
            Record::Referral(r) => {
                self.referrals.insert(r.reference, r);
            }
            Record::Measure(m) => {
                self.measures.insert(m.reference, m);
            }
            Record::Session(s) => {
                self.sessions.insert((s.year, s.month), s);
            }
            Record::Account(a) => {
                self.accounts.insert(a.login.clone(), a);
            }
            Record::CommuneSectors(t) => self.commune_sectors = t,
            Record::GtsMembers(m) => self.gts_members = m,
        }
    }

    /// The record with the same key as `record`, as it is now.
    pub fn current(&self, record: &Record) -> Option<Record> {
        match record {
            Record::Norms(_) => Some(Record::Norms(self.norms)),
            Record::Sector(x) => self.sectors.get(&x.id).cloned().map(Record::Sector),
            Record::Worker(x) => self.workers.get(&x.id).cloned().map(Record::Worker),
            Record::Household(x) => self.households.get(&x.id).cloned().map(Record::Household),
            Record::Referral(x) => self
                .referrals
                .get(&x.reference)
                .cloned()
                .map(Record::Referral),
            Record::Measure(x) => self
                .measures
                .get(&x.reference)
                .cloned()
                .map(Record::Measure),
            Record::Session(x) => self
                .sessions
                .get(&(x.year, x.month))
                .cloned()
                .map(Record::Session),
            Record::Account(x) => self.accounts.get(&x.login).cloned().map(Record::Account),
            Record::CommuneSectors(_) => Some(Record::CommuneSectors(self.commune_sectors.clone())),
            Record::GtsMembers(_) => Some(Record::GtsMembers(self.gts_members.clone())),
        }
    }

    /// Every record, in a stable order: norms, sectors, workers,
    /// households, referrals, measures, sessions, accounts, then the
    /// commune table and the GTS members when the GIP has set them (a base
    /// without them holds no record of them).
    pub fn records(&self) -> impl Iterator<Item = Record> + '_ {
        std::iter::once(Record::Norms(self.norms))
            .chain(self.sectors.values().cloned().map(Record::Sector))
            .chain(self.workers.values().cloned().map(Record::Worker))
            .chain(self.households.values().cloned().map(Record::Household))
            .chain(self.referrals.values().cloned().map(Record::Referral))
            .chain(self.measures.values().cloned().map(Record::Measure))
            .chain(self.sessions.values().cloned().map(Record::Session))
            .chain(self.accounts.values().cloned().map(Record::Account))
            .chain(
                (!self.commune_sectors.is_empty())
                    .then(|| Record::CommuneSectors(self.commune_sectors.clone())),
            )
            .chain(
                (!self.gts_members.is_empty())
                    .then(|| Record::GtsMembers(self.gts_members.clone())),
            )
    }
}
