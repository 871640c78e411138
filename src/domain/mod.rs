//! The ASSLL domain: pure types and rules. Dates in, decisions and alerts
//! out; no I/O, no store, no terminal. Rule ids are those of DOMAIN.md.

pub mod agenda;
pub mod alerts;
pub mod calendar;
pub mod command;
pub mod dataset;
pub mod error;
pub mod gts;
pub mod household;
pub mod ids;
pub mod log;
pub mod measure;
pub mod record;
pub mod refdata;
pub mod referral;
pub mod sector;
pub mod stats;
pub mod waiting;
pub mod worker;

pub use dataset::{Dataset, Map, SectorLoad, transfer_candidates};
pub use error::DomainError;
pub use gts::{Decision, GtsSession};
pub use household::{Household, Landlord, LandlordKind};
pub use ids::{HouseholdId, Reference, SectorId, WorkerId};
pub use log::{Author, Correction, MeansSet};
pub use measure::{Contract, EventKind, LogEntry, Means, Measure, MeasureStatus, Party};
pub use record::Record;
pub use refdata::GtsMember;
pub use referral::{DecidingBody, Objective, Referral, ReferralKind, Requester};
pub use sector::{Employer, Norms, Sector, Setting};
pub use worker::Worker;
