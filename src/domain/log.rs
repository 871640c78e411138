//! Compact parts of a log entry. A measure's log is most of what the
//! application holds in memory (about a million entries at 100,000
//! households): the means are a set of bits rather than a vector, and the
//! author's name is shared between the entries that carry it. And the
//! trace an entry keeps when it is corrected ([`Correction`]).

use super::measure::{LogEntry, Means};
use chrono::NaiveDate;
use serde::de::{Deserializer, Error as _};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

/// A set of [`Means`], one bit per variant (by declaration order, which
/// only ever grows). In JSON it is the list of their names.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MeansSet(u32);

impl MeansSet {
    pub fn new() -> Self {
        Self(0)
    }
    fn bit(m: Means) -> u32 {
        1 << (m as u32)
    }
    pub fn insert(&mut self, m: Means) {
        self.0 |= Self::bit(m);
    }
    pub fn contains(&self, m: Means) -> bool {
        self.0 & Self::bit(m) != 0
    }
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }
    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }
    /// In declaration order.
    pub fn iter(&self) -> impl Iterator<Item = Means> + '_ {
        Means::ALL.iter().copied().filter(|m| self.contains(*m))
    }
}

impl fmt::Debug for MeansSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl FromIterator<Means> for MeansSet {
    fn from_iter<I: IntoIterator<Item = Means>>(iter: I) -> Self {
        let mut s = MeansSet::new();
        for m in iter {
            s.insert(m);
        }
        s
    }
}

impl<const N: usize> From<[Means; N]> for MeansSet {
    fn from(v: [Means; N]) -> Self {
        v.into_iter().collect()
    }
}

impl From<Vec<Means>> for MeansSet {
    fn from(v: Vec<Means>) -> Self {
        v.into_iter().collect()
    }
}

impl Serialize for MeansSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            let mut seq = serializer.serialize_seq(Some(self.len()))?;
            for m in self.iter() {
                seq.serialize_element(&m)?;
            }
            seq.end()
        } else {
            serializer.serialize_u32(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for MeansSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            Ok(Vec::<Means>::deserialize(deserializer)?
                .into_iter()
                .collect())
        } else {
            let bits = u32::deserialize(deserializer)?;
            let known = (1u64 << Means::ALL.len()) - 1;
            if u64::from(bits) & !known != 0 {
                return Err(D::Error::custom(format!("moyens inconnus : {bits:#x}")));
            }
            Ok(MeansSet(bits))
        }
    }
}

thread_local! {
    /// Names already read on this thread: an author's name is shared by
    /// every entry that carries it instead of being allocated each time.
    static NAMES: RefCell<HashSet<Arc<str>>> = RefCell::new(HashSet::new());
}

/// Who logged an entry (a login), shared between entries.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Author(Arc<str>);

impl Author {
    pub fn new(name: &str) -> Self {
        NAMES.with(|n| {
            let mut n = n.borrow_mut();
            if let Some(a) = n.get(name) {
                return Author(a.clone());
            }
            let a: Arc<str> = Arc::from(name);
            // A bound, so that a stream of distinct names cannot grow it forever.
            if n.len() < 10_000 {
                n.insert(a.clone());
            }
            Author(a)
        })
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Author {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Author {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Author {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Author {
    fn from(s: &str) -> Self {
        Author::new(s)
    }
}

impl From<String> for Author {
    fn from(s: String) -> Self {
        Author::new(&s)
    }
}

impl From<&String> for Author {
    fn from(s: &String) -> Self {
        Author::new(s)
    }
}

impl PartialEq<&str> for Author {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<str> for Author {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

/// Same bytes as a `String` in every format.
impl Serialize for Author {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Author {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(Author::new(&s))
    }
}

/// How a logged contact was corrected (a wrong type, date, party, means
/// or note): who corrected it, on which day, and the entry as it was before
/// (itself with the correction before it, if any). The corrected entry
/// keeps it: nothing logged is ever lost, and the chronology says that the
/// entry was corrected (DOMAIN.md §13).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub by: Author,
    #[serde(with = "compact_date")]
    pub on: NaiveDate,
    pub was: LogEntry,
}

impl LogEntry {
    /// The entries this one was before its corrections, latest first.
    pub fn history(&self) -> impl Iterator<Item = (&Correction, &LogEntry)> {
        std::iter::successors(self.correction.as_deref(), |c| c.was.correction.as_deref())
            .map(|c| (c, &c.was))
    }
}

/// Field by field, the date as [`compact_date`] writes it; the correction
/// left out of human-readable formats (the JSON export) when there is none,
/// always written in binary ones (bincode has no field names: every field
/// is there, in order).
impl Serialize for LogEntry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Date<'a>(&'a NaiveDate);
        impl Serialize for Date<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                compact_date::serialize(self.0, s)
            }
        }
        let skip = serializer.is_human_readable() && self.correction.is_none();
        let mut st = serializer.serialize_struct("LogEntry", if skip { 6 } else { 7 })?;
        st.serialize_field("date", &Date(&self.date))?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("with", &self.with)?;
        st.serialize_field("means", &self.means)?;
        st.serialize_field("note", &self.note)?;
        st.serialize_field("author", &self.author)?;
        if skip {
            st.skip_field("correction")?;
        } else {
            st.serialize_field("correction", &self.correction)?;
        }
        st.end()
    }
}

thread_local! {
    /// Set while the store decodes a record of format version 1, written
    /// before log entries could be corrected: their last field is absent.
    static FORMAT_V1: Cell<bool> = const { Cell::new(false) };
}

/// Runs `decode` on bytes of format version 1 (see [`correction_field`]).
/// The store's envelope calls it; the flag is this thread's, and put back
/// as it was even if `decode` panics.
pub fn decoding_format_v1<T>(decode: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            FORMAT_V1.with(|f| f.set(self.0));
        }
    }
    let _restore = Restore(FORMAT_V1.with(|f| f.replace(true)));
    decode()
}

/// A log entry's correction: absent from format version 1 (binary) and
/// from a JSON entry that was never corrected.
pub(super) fn correction_field<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Box<Correction>>, D::Error> {
    if !deserializer.is_human_readable() && FORMAT_V1.with(Cell::get) {
        return Ok(None);
    }
    Option::<Box<Correction>>::deserialize(deserializer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::envelope::BINCODE;

    #[test]
    fn means_set_round_trips_in_json_and_binary() {
        let s: MeansSet = [Means::RepaymentPlan, Means::AgencyContacts].into();
        assert_eq!(s.len(), 2);
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            vec![Means::AgencyContacts, Means::RepaymentPlan]
        );
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"["AgencyContacts","RepaymentPlan"]"#);
        assert_eq!(serde_json::from_str::<MeansSet>(&json).unwrap(), s);
        let bin = bincode::serde::encode_to_vec(s, BINCODE).unwrap();
        let (back, _): (MeansSet, usize) =
            bincode::serde::decode_from_slice(&bin, BINCODE).unwrap();
        assert_eq!(back, s);
        // Unknown bits are refused, not read as other means.
        let bad = bincode::serde::encode_to_vec(1u32 << 31, BINCODE).unwrap();
        assert!(bincode::serde::decode_from_slice::<MeansSet, _>(&bad, BINCODE).is_err());
    }

    #[test]
    fn log_dates_are_iso_in_json_and_days_in_the_store() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct D(#[serde(with = "super::compact_date")] chrono::NaiveDate);
        let d = D(chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-11-27\"");
        assert_eq!(serde_json::from_str::<D>("\"2026-11-27\"").unwrap(), d);
        let bin = bincode::serde::encode_to_vec(&d, BINCODE).unwrap();
        assert!(bin.len() <= 5, "{bin:?}");
        let (back, _): (D, usize) = bincode::serde::decode_from_slice(&bin, BINCODE).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn a_correction_is_in_json_only_when_there_is_one_and_always_in_binary() {
        use crate::domain::{EventKind, Party};
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        let was = LogEntry {
            date: day,
            kind: EventKind::HomeVisit,
            with: Party::Household,
            means: MeansSet::new(),
            note: "visite".into(),
            author: "ts".into(),
            correction: None,
        };
        let json = serde_json::to_string(&was).unwrap();
        assert!(!json.contains("correction"), "{json}");
        assert_eq!(serde_json::from_str::<LogEntry>(&json).unwrap(), was);
        let fixed = LogEntry {
            kind: EventKind::Phone,
            correction: Some(Box::new(Correction {
                by: "gip".into(),
                on: day,
                was: was.clone(),
            })),
            ..was.clone()
        };
        let json = serde_json::to_string(&fixed).unwrap();
        assert!(
            json.contains(r#""correction":{"by":"gip","on":"2026-11-02","was":{"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<LogEntry>(&json).unwrap(), fixed);
        for e in [&was, &fixed] {
            let bin = bincode::serde::encode_to_vec(e, BINCODE).unwrap();
            let (back, used): (LogEntry, usize) =
                bincode::serde::decode_from_slice(&bin, BINCODE).unwrap();
            assert_eq!((&back, used), (e, bin.len()));
        }
        assert_eq!(fixed.history().map(|(_, e)| e).collect::<Vec<_>>(), [&was]);
    }

    #[test]
    fn authors_are_shared_and_encode_as_strings() {
        let a = Author::from("laurent");
        let b: Author = serde_json::from_str("\"laurent\"").unwrap();
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(a, "laurent");
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"laurent\"");
        let as_string = bincode::serde::encode_to_vec("laurent", BINCODE).unwrap();
        assert_eq!(
            bincode::serde::encode_to_vec(&a, BINCODE).unwrap(),
            as_string
        );
    }
}

/// A date as ISO text in human-readable formats (the JSON export) and as
/// days from the Common Era in binary ones (the store): a measure's log holds
/// most of the dates read at start-up, and parsing text is most of their cost.
pub mod compact_date {
    use chrono::{Datelike, NaiveDate};
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            date.serialize(serializer)
        } else {
            serializer.serialize_i32(date.num_days_from_ce())
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        if deserializer.is_human_readable() {
            NaiveDate::deserialize(deserializer)
        } else {
            let days = i32::deserialize(deserializer)?;
            NaiveDate::from_num_days_from_ce_opt(days)
                .ok_or_else(|| D::Error::custom(format!("date hors limites : {days}")))
        }
    }
}
