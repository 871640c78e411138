//! The record envelope: `magic | format version | kind | bincode payload | crc32`.
//!
//! Every value in sled is one envelope. The CRC covers everything before it,
//! so a torn or flipped byte is found, never decoded into a wrong value.
//! Decoding an older format version goes through a migration; golden bytes
//! of each version live in `tests/fixtures/` and must keep decoding.

use crate::domain::Record;
use bincode::config::{Configuration, Limit, LittleEndian, Varint};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

pub const MAGIC: [u8; 4] = *b"ASLL";
/// The format version written today. Version 2 appended a log entry's
/// correction (`LogEntry::correction`) and a measure's reviews kept per
/// cycle (`Measure::past_reviews`, R-BIL-1): version 1 log entries are read
/// as never corrected, version 1 measures through [`v1::Measure`] with no
/// past reviews. Version 3 appended who held a measure and a start out of
/// the waiting order (`Measure::previous_holders`, `Measure::out_of_order`), and a
/// worker's arrival and departure (`Worker::arrived`, `Worker::left`):
/// older measures and workers are read through [`v2`] (and [`v1`]), with
/// no hand-over known.
pub const FORMAT_VERSION: u16 = 3;
/// The largest payload accepted (a measure with years of log entries is a
/// few tens of KiB).
pub const MAX_PAYLOAD: usize = 8 * 1024 * 1024;

/// The one bincode configuration: variable-length little-endian integers
/// (a measure's log is mostly small numbers and short strings: a third
/// smaller on disk than fixed-width, and as much less to read at start-up)
/// and a size limit against corrupt lengths.
pub const BINCODE: Configuration<LittleEndian, Varint, Limit<MAX_PAYLOAD>> =
    bincode::config::standard().with_limit::<MAX_PAYLOAD>();

const HEADER: usize = 4 + 2 + 1;
const TRAILER: usize = 4;

/// What an envelope holds. Numbers are on disk: never renumber.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Kind {
    Norms = 1,
    Sector = 2,
    Worker = 3,
    Household = 4,
    Referral = 5,
    Measure = 6,
    Session = 7,
    Audit = 8,
    /// A measure's log, kept apart so that start-up does not read it.
    Log = 9,
    Account = 10,
    /// The commune → sector table the GIP confirmed.
    CommuneSectors = 11,
    /// The standing members of the GTS.
    GtsMembers = 12,
}

impl Kind {
    pub fn from_byte(b: u8) -> Option<Kind> {
        Some(match b {
            1 => Kind::Norms,
            2 => Kind::Sector,
            3 => Kind::Worker,
            4 => Kind::Household,
            5 => Kind::Referral,
            6 => Kind::Measure,
            7 => Kind::Session,
            8 => Kind::Audit,
            9 => Kind::Log,
            10 => Kind::Account,
            11 => Kind::CommuneSectors,
            12 => Kind::GtsMembers,
            _ => return None,
        })
    }

    pub fn of(record: &Record) -> Kind {
        match record {
            Record::Norms(_) => Kind::Norms,
            Record::Sector(_) => Kind::Sector,
            Record::Worker(_) => Kind::Worker,
            Record::Household(_) => Kind::Household,
            Record::Referral(_) => Kind::Referral,
            Record::Measure(_) => Kind::Measure,
            Record::Session(_) => Kind::Session,
            Record::Account(_) => Kind::Account,
            Record::CommuneSectors(_) => Kind::CommuneSectors,
            Record::GtsMembers(_) => Kind::GtsMembers,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("enregistrement trop court ({0} octets)")]
    TooShort(usize),
    #[error("signature inconnue (ce n'est pas un enregistrement assll)")]
    BadMagic,
    #[error("somme de contrôle fausse (enregistrement abîmé)")]
    BadCrc,
    #[error("version de format {0} inconnue de cette version d'assll")]
    UnknownVersion(u16),
    #[error("type d'enregistrement {0} inconnu")]
    UnknownKind(u8),
    #[error("type d'enregistrement {found:?} au lieu de {expected:?}")]
    WrongKind { expected: Kind, found: Kind },
    #[error("contenu illisible : {0}")]
    Payload(String),
}

/// The size of a value's payload, without the limit: what an import
/// checks against [`MAX_PAYLOAD`] before anything is written (a value over
/// it cannot be sealed).
pub fn payload_len<T: Serialize>(value: &T) -> Option<usize> {
    bincode::serde::encode_to_vec(value, bincode::config::standard())
        .ok()
        .map(|v| v.len())
}

/// Wraps a serialisable value in an envelope of the current version.
pub fn seal<T: Serialize>(kind: Kind, value: &T) -> Vec<u8> {
    let payload = bincode::serde::encode_to_vec(value, BINCODE)
        .expect("in-memory values always encode (no maps with non-string keys, under the limit)");
    let mut out = Vec::with_capacity(HEADER + payload.len() + TRAILER);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.push(kind as u8);
    out.extend_from_slice(&payload);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// Checks magic and CRC, returns (version, kind, payload).
pub fn open(bytes: &[u8]) -> Result<(u16, Kind, &[u8]), DecodeError> {
    if bytes.len() < HEADER + TRAILER {
        return Err(DecodeError::TooShort(bytes.len()));
    }
    if bytes[..4] != MAGIC {
        return Err(DecodeError::BadMagic);
    }
    let (body, crc) = bytes.split_at(bytes.len() - TRAILER);
    let crc = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
    if crc32fast::hash(body) != crc {
        return Err(DecodeError::BadCrc);
    }
    let version = u16::from_le_bytes([body[4], body[5]]);
    let kind = Kind::from_byte(body[6]).ok_or(DecodeError::UnknownKind(body[6]))?;
    Ok((version, kind, &body[HEADER..]))
}

fn payload<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    let (value, used) = bincode::serde::decode_from_slice::<T, _>(bytes, BINCODE)
        .map_err(|e| DecodeError::Payload(e.to_string()))?;
    if used != bytes.len() {
        return Err(DecodeError::Payload(format!(
            "{} octets en trop",
            bytes.len() - used
        )));
    }
    Ok(value)
}

/// Decodes a value of a known kind, migrating older versions.
pub fn unseal<T: DeserializeOwned>(expected: Kind, bytes: &[u8]) -> Result<T, DecodeError> {
    let (version, kind, body) = open(bytes)?;
    if kind != expected {
        return Err(DecodeError::WrongKind {
            expected,
            found: kind,
        });
    }
    match version {
        3 => payload(body),
        // Versions 1 and 2: measures and workers without their last fields
        // (read by `unseal_record`, through `v1` and `v2`).
        1 | 2 if matches!(kind, Kind::Measure | Kind::Worker) => Err(DecodeError::Payload(
            "mesure ou TS d'un format ancien : à lire par unseal_record".into(),
        )),
        2 => payload(body),
        // Version 1: log entries without their last field.
        1 => crate::domain::log::decoding_format_v1(|| payload(body)),
        v => Err(DecodeError::UnknownVersion(v)),
    }
}

/// The structs of format version 1 that version 2 changed, kept to decode
/// and migrate what was written then.
pub mod v1 {
    use crate::domain::ids::{HouseholdId, Reference, SectorId, WorkerId};
    use crate::domain::measure::{
        CheckedFact, Contract, Difficulty, Masp, MeasureStatus, Renewal, Review,
    };
    use crate::domain::{LogEntry, ReferralKind};
    use chrono::NaiveDate;
    use serde::Deserialize;

    /// A measure as version 1 wrote it: without `past_reviews`.
    #[derive(Deserialize)]
    pub struct Measure {
        pub reference: Reference,
        pub household: HouseholdId,
        pub kind: ReferralKind,
        pub sector: SectorId,
        pub worker: Option<WorkerId>,
        pub status: MeasureStatus,
        pub start: Option<NaiveDate>,
        pub planned_end: Option<NaiveDate>,
        pub renewals: Vec<Renewal>,
        pub contract: Contract,
        pub masp: Masp,
        pub checked_facts: Vec<CheckedFact>,
        pub difficulty: Option<Difficulty>,
        pub events: Vec<LogEntry>,
        pub review: Review,
    }

    impl From<Measure> for super::v2::Measure {
        fn from(m: Measure) -> Self {
            super::v2::Measure {
                reference: m.reference,
                household: m.household,
                kind: m.kind,
                sector: m.sector,
                worker: m.worker,
                status: m.status,
                start: m.start,
                planned_end: m.planned_end,
                renewals: m.renewals,
                contract: m.contract,
                masp: m.masp,
                checked_facts: m.checked_facts,
                difficulty: m.difficulty,
                events: m.events,
                review: m.review,
                past_reviews: Vec::new(),
            }
        }
    }
}

/// The structs of format version 2 that version 3 changed, kept to decode
/// and migrate what was written then.
pub mod v2 {
    use crate::domain::ids::{HouseholdId, Reference, SectorId, WorkerId};
    use crate::domain::measure::{
        CheckedFact, Contract, Difficulty, Masp, MeasureStatus, PastReview, Renewal, Review,
    };
    use crate::domain::sector::Employer;
    use crate::domain::{LogEntry, ReferralKind};
    use chrono::NaiveDate;
    use serde::Deserialize;

    /// A measure as version 2 wrote it: without `previous_holders` and
    /// `out_of_order`.
    #[derive(Deserialize)]
    pub struct Measure {
        pub reference: Reference,
        pub household: HouseholdId,
        pub kind: ReferralKind,
        pub sector: SectorId,
        pub worker: Option<WorkerId>,
        pub status: MeasureStatus,
        pub start: Option<NaiveDate>,
        pub planned_end: Option<NaiveDate>,
        pub renewals: Vec<Renewal>,
        pub contract: Contract,
        pub masp: Masp,
        pub checked_facts: Vec<CheckedFact>,
        pub difficulty: Option<Difficulty>,
        pub events: Vec<LogEntry>,
        pub review: Review,
        pub past_reviews: Vec<PastReview>,
    }

    impl From<Measure> for crate::domain::Measure {
        fn from(m: Measure) -> Self {
            crate::domain::Measure {
                reference: m.reference,
                household: m.household,
                kind: m.kind,
                sector: m.sector,
                worker: m.worker,
                status: m.status,
                start: m.start,
                planned_end: m.planned_end,
                renewals: m.renewals,
                contract: m.contract,
                masp: m.masp,
                checked_facts: m.checked_facts,
                difficulty: m.difficulty,
                events: m.events,
                review: m.review,
                log_on_disk: None,
                past_reviews: m.past_reviews,
                previous_holders: Vec::new(),
                out_of_order: None,
            }
        }
    }

    /// A worker as versions 1 and 2 wrote it: without arrival and
    /// departure.
    #[derive(Deserialize)]
    pub struct Worker {
        pub id: WorkerId,
        pub name: String,
        pub employer: Employer,
        pub sectors: Vec<SectorId>,
        pub fte_hundredths: u16,
        pub login: String,
    }

    impl From<Worker> for crate::domain::Worker {
        fn from(w: Worker) -> Self {
            crate::domain::Worker {
                id: w.id,
                name: w.name,
                employer: w.employer,
                sectors: w.sectors,
                fte_hundredths: w.fte_hundredths,
                login: w.login,
                arrived: None,
                left: None,
            }
        }
    }
}

/// Seals a domain record.
pub fn seal_record(record: &Record) -> Vec<u8> {
    let kind = Kind::of(record);
    match record {
        Record::Norms(v) => seal(kind, v),
        Record::Sector(v) => seal(kind, v),
        Record::Worker(v) => seal(kind, v),
        Record::Household(v) => seal(kind, v),
        Record::Referral(v) => seal(kind, v),
        // The measure with what the rules need of its log, so that the
        // store can leave the log itself in its own tree.
        Record::Measure(v) => seal(kind, &(v, v.facts())),
        Record::Session(v) => seal(kind, v),
        Record::Account(v) => seal(kind, v),
        Record::CommuneSectors(v) => seal(kind, v),
        Record::GtsMembers(v) => seal(kind, v),
    }
}

/// A measure as the store keeps it: the record without its log (with what
/// the rules need of the log), and the log apart. A measure whose log is
/// already on disk (`log_on_disk`) gives no log: the one on disk stays.
pub fn seal_measure_split(m: &crate::domain::Measure) -> (Vec<u8>, Option<Vec<u8>>) {
    let mut stripped = m.clone();
    stripped.events = Vec::new();
    match m.log_on_disk {
        Some(facts) => (seal(Kind::Measure, &(&stripped, facts)), None),
        None => {
            let facts = crate::domain::measure::LogFacts::of(&m.events);
            (
                seal(Kind::Measure, &(&stripped, facts)),
                Some(seal(Kind::Log, &m.events)),
            )
        }
    }
}

/// A measure's log, as [`seal_measure_split`] wrote it.
pub fn unseal_log(bytes: &[u8]) -> Result<Vec<crate::domain::LogEntry>, DecodeError> {
    unseal(Kind::Log, bytes)
}

/// Decodes any domain record, whatever its kind.
pub fn unseal_record(bytes: &[u8]) -> Result<Record, DecodeError> {
    let (_, kind, _) = open(bytes)?;
    Ok(match kind {
        Kind::Norms => Record::Norms(unseal(kind, bytes)?),
        Kind::Sector => Record::Sector(unseal(kind, bytes)?),
        Kind::Worker => {
            let (version, _, body) = open(bytes)?;
            Record::Worker(if matches!(version, 1 | 2) {
                payload::<v2::Worker>(body)?.into()
            } else {
                unseal(kind, bytes)?
            })
        }
        Kind::Household => Record::Household(unseal(kind, bytes)?),
        Kind::Referral => Record::Referral(unseal(kind, bytes)?),
        Kind::Measure => {
            let (version, _, body) = open(bytes)?;
            let (mut m, facts): (crate::domain::Measure, crate::domain::measure::LogFacts) =
                if version == 1 {
                    let (old, facts): (v1::Measure, crate::domain::measure::LogFacts) =
                        crate::domain::log::decoding_format_v1(|| payload(body))?;
                    (v2::Measure::from(old).into(), facts)
                } else if version == 2 {
                    let (old, facts): (v2::Measure, crate::domain::measure::LogFacts) =
                        payload(body)?;
                    (old.into(), facts)
                } else {
                    unseal(kind, bytes)?
                };
            if m.events.is_empty() && facts.entries > 0 {
                m.log_on_disk = Some(facts);
            }
            Record::Measure(m)
        }
        Kind::Session => Record::Session(unseal(kind, bytes)?),
        Kind::Account => Record::Account(unseal(kind, bytes)?),
        Kind::CommuneSectors => Record::CommuneSectors(unseal(kind, bytes)?),
        Kind::GtsMembers => Record::GtsMembers(unseal(kind, bytes)?),
        Kind::Audit | Kind::Log => return Err(DecodeError::UnknownKind(kind as u8)),
    })
}

/// One line of the audit trail: who changed what, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: chrono::NaiveDateTime,
    pub who: String,
    pub summary: String,
    /// What the change wrote, as `tree/key` in words (`mesure 2026-0042`).
    pub keys: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sector::default_sectors;

    #[test]
    fn round_trip_and_every_flipped_byte_is_caught() {
        let rec = Record::Sector(default_sectors().remove(0));
        let bytes = seal_record(&rec);
        assert_eq!(unseal_record(&bytes).unwrap(), rec);
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x01;
            assert!(unseal_record(&bad).is_err(), "flip at byte {i} not caught");
        }
        assert_eq!(unseal_record(&bytes[..5]), Err(DecodeError::TooShort(5)));
    }

    #[test]
    fn a_measure_with_its_past_reviews_round_trips() {
        use crate::domain::measure::{PastReview, Review};
        use crate::domain::referral::{DecidingBody, Objective, Referral, ReferralKind, Requester};
        let day = chrono::NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
        let mut m = crate::domain::Measure::new_waiting(&Referral {
            reference: crate::domain::Reference::new(2026, 3),
            household: crate::domain::HouseholdId(3),
            kind: ReferralKind::Measure,
            requester: Requester::Commission,
            deciding_body: DecidingBody::Commission,
            urgent: false,
            referral_date: day,
            received: day,
            objectives: vec![Objective::EvictionPrevention],
            initial_months: 6,
            sector: crate::domain::SectorId(6),
            sublet: false,
            after_diagnostic: None,
            note: String::new(),
        });
        m.past_reviews = vec![PastReview {
            cycle: 1,
            renewed_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 19).unwrap(),
            review: Review {
                text: "Bilan du premier cycle".into(),
                updated: chrono::NaiveDate::from_ymd_opt(2026, 11, 10),
            },
        }];
        let rec = Record::Measure(m);
        assert_eq!(unseal_record(&seal_record(&rec)).unwrap(), rec);
    }

    #[test]
    fn unknown_version_is_refused_not_misread() {
        let rec = Record::Norms(Default::default());
        let mut bytes = seal_record(&rec);
        bytes[4] = 9;
        let n = bytes.len();
        let crc = crc32fast::hash(&bytes[..n - 4]).to_le_bytes();
        bytes[n - 4..].copy_from_slice(&crc);
        assert_eq!(unseal_record(&bytes), Err(DecodeError::UnknownVersion(9)));
    }
}
