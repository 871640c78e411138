//! The store: the only module that names sled or bincode.
//!
//! One sled tree per record kind, every value an envelope
//! ([`envelope`]), every user change one transaction over all the trees it
//! touches plus its audit entry, flushed before it is reported as saved.

pub mod envelope;

use crate::domain::{Dataset, GtsSession, Record, Reference};
use chrono::NaiveDateTime;
use envelope::{AuditEntry, DecodeError, Kind};
use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use envelope::AuditEntry as Audit;

/// Tree names, in the fixed order of [`Store::trees`].
const TREES: [&str; 10] = [
    "meta",
    "sectors",
    "workers",
    "households",
    "referrals",
    "measures",
    "sessions",
    "audit",
    "logs",
    "accounts",
];
const META: usize = 0;
const AUDIT: usize = 7;
/// Each measure's log, apart from the measure: start-up does not read it.
const LOGS: usize = 8;
const NORMS_KEY: &[u8] = b"norms";
const AUDIT_SEQ_KEY: &[u8] = b"audit_seq";
/// Present while a bulk load is under way: a load that was interrupted
/// leaves it, and the database then says it is incomplete.
const BULK_KEY: &[u8] = b"bulk_incomplete";
/// sled's page cache. Its default (1 GiB) would keep every page read at
/// start-up in memory; the application holds its own in-memory copy.
const CACHE_BYTES: u64 = 32 * 1024 * 1024;
/// Records per batch in a bulk load (bounded memory at 100,000 households).
const BULK_CHUNK: usize = 4096;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "La base {path} est déjà ouverte par un autre programme assll (ou un autre utilisateur). \
         Fermez-le puis relancez, ou ouvrez une autre base avec --db."
    )]
    Locked { path: PathBuf },
    #[error(
        "Aucune base à {path} : vérifiez le chemin donné à --db (ou ASSLL_DB). \
         Rien n'a été créé."
    )]
    Missing { path: PathBuf },
    #[error("Impossible d'ouvrir la base {path} : {reason}")]
    Open { path: PathBuf, reason: String },
    #[error("Erreur d'écriture dans la base : {0}. Rien n'a été enregistré.")]
    Write(String),
    #[error("Erreur de lecture dans la base : {0}")]
    Read(String),
}

/// A record that could not be read: reported, never dropped silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged {
    pub tree: String,
    pub key: Vec<u8>,
    pub error: String,
}

impl std::fmt::Display for Damaged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} / {} : {}",
            self.tree,
            key_label(&self.tree, &self.key),
            self.error
        )
    }
}

/// What [`Store::load`] returns: the data that decodes, and what did not.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub data: Dataset,
    pub damaged: Vec<Damaged>,
}

/// One user change: every record it writes, and who made it.
#[derive(Debug, Clone)]
pub struct Change {
    pub who: String,
    pub at: NaiveDateTime,
    pub summary: String,
    pub records: Vec<Record>,
}

#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    db: sled::Db,
    trees: Vec<sled::Tree>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.inner.path)
            .finish()
    }
}

fn is_lock_error(e: &sled::Error) -> bool {
    match e {
        sled::Error::Io(io) => {
            io.kind() == std::io::ErrorKind::WouldBlock
                || io.to_string().contains("could not acquire lock")
        }
        _ => false,
    }
}

/// sled releases its file lock from background threads shortly after the
/// last handle is dropped: a reopen in the same process (or just after the
/// previous program ended) may find it still held for a few milliseconds.
/// A database really held elsewhere still fails, after half a second.
fn open_with_retry(path: &Path) -> sled::Result<sled::Db> {
    let mut tries = 0;
    loop {
        match sled::Config::new()
            .path(path)
            .cache_capacity(CACHE_BYTES)
            .open()
        {
            Err(e) if is_lock_error(&e) && tries < 10 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

impl Store {
    /// Opens (or creates) the database at `path`.
    /// Opens a base that must already exist (reading commands: a mistyped
    /// `--db` must not create an empty base and report it sound).
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        if !path.join("conf").exists() && !path.join("db").exists() {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        Store::open(path)
    }

    /// Opens the base at `path`, creating it when there is none.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        }
        let db = open_with_retry(path).map_err(|e| {
            if is_lock_error(&e) {
                StoreError::Locked {
                    path: path.to_path_buf(),
                }
            } else {
                StoreError::Open {
                    path: path.to_path_buf(),
                    reason: e.to_string(),
                }
            }
        })?;
        // People's data: the base is its owner's only (a base made by an
        // older assll, or by hand, may be 0755/0644).
        for (p, e) in crate::private::tighten(path) {
            eprintln!(
                "assll : attention, droits de {} non restreints au propriétaire : {e}",
                p.display()
            );
        }
        let trees = TREES
            .iter()
            .map(|name| db.open_tree(name))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| StoreError::Open {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        Ok(Store {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                db,
                trees,
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// True when no record has ever been written.
    pub fn is_empty(&self) -> bool {
        self.inner.trees.iter().all(|t| t.is_empty())
    }

    /// Reads every record. What does not decode is listed in `damaged`;
    /// everything else still loads.
    pub fn load(&self) -> Result<Loaded, StoreError> {
        let mut out = Loaded::default();
        if self.inner.trees[META]
            .contains_key(BULK_KEY)
            .map_err(|e| StoreError::Read(e.to_string()))?
        {
            out.damaged.push(Damaged {
                tree: TREES[META].to_string(),
                key: BULK_KEY.to_vec(),
                error:
                    "chargement en bloc (import ou démonstration) interrompu : base incomplète, \
                        à refaire dans une base neuve"
                        .to_string(),
            });
        }
        for (i, tree) in self.inner.trees.iter().enumerate() {
            if i == AUDIT || i == LOGS {
                continue;
            }
            for item in tree.iter() {
                let (key, value) = item.map_err(|e| StoreError::Read(e.to_string()))?;
                if i == META && &*key != NORMS_KEY {
                    continue;
                }
                match decode_in_tree(i, &key, &value) {
                    Ok(record) => out.data.apply(record),
                    Err(error) => out.damaged.push(Damaged {
                        tree: TREES[i].to_string(),
                        key: key.to_vec(),
                        error,
                    }),
                }
            }
        }
        Ok(out)
    }

    /// Everything, measures' logs included (export, check). A log that does
    /// not decode is listed in `damaged` and its measure keeps the facts
    /// the rules need.
    pub fn load_full(&self) -> Result<Loaded, StoreError> {
        let mut out = self.load()?;
        let on_disk: Vec<Reference> = out
            .data
            .measures
            .values()
            .filter(|m| m.log_on_disk.is_some())
            .map(|m| m.reference)
            .collect();
        for reference in on_disk {
            let key = reference_key(reference);
            match self.read_log(&key) {
                Ok(events) => {
                    if let Some(m) = out.data.measures.get_mut(&reference) {
                        m.events = events;
                        m.log_on_disk = None;
                    }
                }
                Err(error) => out.damaged.push(Damaged {
                    tree: TREES[LOGS].to_string(),
                    key,
                    error,
                }),
            }
        }
        Ok(out)
    }

    /// One measure's log, read when its file is opened.
    pub fn load_log(
        &self,
        reference: Reference,
    ) -> Result<Vec<crate::domain::LogEntry>, StoreError> {
        self.read_log(&reference_key(reference))
            .map_err(|e| StoreError::Read(format!("journal de la mesure {reference} : {e}")))
    }

    fn read_log(&self, key: &[u8]) -> Result<Vec<crate::domain::LogEntry>, String> {
        match self.inner.trees[LOGS].get(key) {
            Ok(Some(bytes)) => envelope::unseal_log(&bytes).map_err(|e| e.to_string()),
            Ok(None) => Err("journal absent".to_string()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Writes a change atomically with its audit entry, then flushes: when
    /// this returns Ok, the change survives a crash. Returns the audit seq.
    pub fn commit(&self, change: &Change) -> Result<u64, StoreError> {
        self.commit_with(change, None)
    }

    /// [`Store::commit`], removing a meta key in the same transaction.
    fn commit_with(&self, change: &Change, remove_meta: Option<&[u8]>) -> Result<u64, StoreError> {
        let mut writes: Vec<(usize, Vec<u8>, Vec<u8>)> = Vec::with_capacity(change.records.len());
        for r in &change.records {
            push_writes(&mut writes, r);
        }
        let keys: Vec<String> = change.records.iter().map(Record::describe).collect();
        let trees: &[sled::Tree] = &self.inner.trees;
        let result = trees.transaction(|tx| {
            for (tree, key, value) in &writes {
                tx[*tree].insert(key.as_slice(), value.as_slice())?;
            }
            let seq = match tx[META].get(AUDIT_SEQ_KEY)? {
                Some(v) if v.len() == 8 => {
                    u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])) + 1
                }
                _ => 1,
            };
            tx[META].insert(AUDIT_SEQ_KEY, &seq.to_be_bytes())?;
            if let Some(key) = remove_meta {
                tx[META].remove(key)?;
            }
            let entry = AuditEntry {
                seq,
                at: change.at,
                who: change.who.clone(),
                summary: change.summary.clone(),
                keys: keys.clone(),
            };
            tx[AUDIT].insert(&seq.to_be_bytes(), envelope::seal(Kind::Audit, &entry))?;
            Ok::<u64, ConflictableTransactionError<()>>(seq)
        });
        let seq = result.map_err(|e| match e {
            TransactionError::Abort(()) => StoreError::Write("transaction annulée".into()),
            TransactionError::Storage(e) => StoreError::Write(e.to_string()),
        })?;
        self.inner
            .db
            .flush()
            .map_err(|e| StoreError::Write(e.to_string()))?;
        Ok(seq)
    }

    /// Writes a whole data set into an empty database (demo, import):
    /// batches of bounded size, then one audit entry, then a flush. Until
    /// the end, a marker says the load is incomplete, so an interrupted load
    /// is reported by [`Store::load`] and `assll check`, never taken for a
    /// sound database. Returns the number of records written.
    pub fn bulk_load(
        &self,
        who: &str,
        at: NaiveDateTime,
        summary: &str,
        records: impl Iterator<Item = Record>,
    ) -> Result<usize, StoreError> {
        let write = |e: sled::Error| StoreError::Write(e.to_string());
        if !self.is_empty() {
            return Err(StoreError::Write(format!(
                "la base {} n'est pas vide",
                self.inner.path.display()
            )));
        }
        let trees = &self.inner.trees;
        trees[META].insert(BULK_KEY, b"1").map_err(write)?;
        self.inner.db.flush().map_err(write)?;
        let mut batches: Vec<sled::Batch> =
            (0..TREES.len()).map(|_| sled::Batch::default()).collect();
        let mut pending = 0usize;
        let mut total = 0usize;
        let flush_batches = |batches: &mut Vec<sled::Batch>| -> Result<(), StoreError> {
            for (i, b) in batches.iter_mut().enumerate() {
                trees[i].apply_batch(std::mem::take(b)).map_err(write)?;
            }
            Ok(())
        };
        let mut writes = Vec::new();
        for r in records {
            push_writes(&mut writes, &r);
            for (tree, key, value) in writes.drain(..) {
                batches[tree].insert(key, value);
            }
            pending += 1;
            total += 1;
            if pending == BULK_CHUNK {
                flush_batches(&mut batches)?;
                pending = 0;
            }
        }
        flush_batches(&mut batches)?;
        let change = Change {
            who: who.to_string(),
            at,
            summary: format!("{summary} ({total} enregistrements)"),
            records: Vec::new(),
        };
        self.commit_with(&change, Some(BULK_KEY))?;
        Ok(total)
    }

    /// The audit trail, oldest first.
    pub fn audit(&self) -> Result<Vec<AuditEntry>, StoreError> {
        self.audit_with_damage().map(|(entries, _)| entries)
    }

    /// The audit trail and the audit entries that do not decode.
    pub fn audit_with_damage(&self) -> Result<(Vec<AuditEntry>, Vec<Damaged>), StoreError> {
        let mut entries = Vec::new();
        let mut damaged = Vec::new();
        for item in self.inner.trees[AUDIT].iter() {
            let (key, value) = item.map_err(|e| StoreError::Read(e.to_string()))?;
            match envelope::unseal::<AuditEntry>(Kind::Audit, &value) {
                Ok(e) => entries.push(e),
                Err(e) => damaged.push(Damaged {
                    tree: TREES[AUDIT].to_string(),
                    key: key.to_vec(),
                    error: e.to_string(),
                }),
            }
        }
        Ok((entries, damaged))
    }

    /// For tests and repair tools: the raw bytes under a record's key.
    pub fn raw(&self, record: &Record) -> Option<Vec<u8>> {
        let (tree, key) = location(record);
        self.inner.trees[tree]
            .get(key)
            .ok()
            .flatten()
            .map(|v| v.to_vec())
    }

    /// For tests of damage handling: writes raw bytes under a record's key,
    /// bypassing the envelope.
    #[doc(hidden)]
    pub fn write_raw_for_tests(&self, record: &Record, bytes: &[u8]) -> Result<(), StoreError> {
        let (tree, key) = location(record);
        self.inner.trees[tree]
            .insert(key, bytes)
            .map_err(|e| StoreError::Write(e.to_string()))?;
        self.inner
            .db
            .flush()
            .map_err(|e| StoreError::Write(e.to_string()))?;
        Ok(())
    }
}

/// Whether a record can be written: its encoded size, and the most a
/// record may weigh ([`envelope::MAX_PAYLOAD`]), when it is over.
pub fn too_large(record: &Record) -> Option<(usize, usize)> {
    let n = envelope::payload_len(record)?;
    (n > envelope::MAX_PAYLOAD).then_some((n, envelope::MAX_PAYLOAD))
}

/// The (tree, key, value) writes of a record: a measure is two, itself and
/// its log (unless its log is already on disk and unchanged).
fn push_writes(writes: &mut Vec<(usize, Vec<u8>, Vec<u8>)>, r: &Record) {
    let (tree, key) = location(r);
    match r {
        Record::Measure(m) => {
            let (measure, log) = envelope::seal_measure_split(m);
            if let Some(log) = log {
                writes.push((LOGS, key.clone(), log));
            }
            writes.push((tree, key, measure));
        }
        _ => writes.push((tree, key, envelope::seal_record(r))),
    }
}

fn decode_in_tree(tree: usize, key: &[u8], value: &[u8]) -> Result<Record, String> {
    let record = envelope::unseal_record(value).map_err(|e: DecodeError| e.to_string())?;
    let (expected_tree, expected_key) = location(&record);
    if expected_tree != tree || expected_key != key {
        return Err("enregistrement rangé sous une clé qui n'est pas la sienne".to_string());
    }
    Ok(record)
}

/// Which tree and key a record lives under. Keys are big-endian so that
/// sled's order is the records' natural order.
fn location(record: &Record) -> (usize, Vec<u8>) {
    match record {
        Record::Norms(_) => (META, NORMS_KEY.to_vec()),
        Record::Sector(s) => (1, s.id.0.to_be_bytes().to_vec()),
        Record::Worker(w) => (2, w.id.0.to_be_bytes().to_vec()),
        Record::Household(h) => (3, h.id.0.to_be_bytes().to_vec()),
        Record::Referral(r) => (4, reference_key(r.reference)),
        Record::Measure(m) => (5, reference_key(m.reference)),
        Record::Session(s) => (6, session_key(s)),
        Record::Account(a) => (9, a.login.as_bytes().to_vec()),
    }
}

fn reference_key(r: Reference) -> Vec<u8> {
    let mut k = r.year.to_be_bytes().to_vec();
    k.extend_from_slice(&r.number.to_be_bytes());
    k
}

fn session_key(s: &GtsSession) -> Vec<u8> {
    let mut k = s.year.to_be_bytes().to_vec();
    k.push(s.month);
    k
}

/// A key in words, for reports of damaged records.
pub fn key_label(tree: &str, key: &[u8]) -> String {
    let be = |b: &[u8]| b.iter().fold(0u64, |acc, x| (acc << 8) | u64::from(*x));
    match (tree, key.len()) {
        ("referrals" | "measures" | "logs", 6) => {
            Reference::new(be(&key[..2]) as u16, be(&key[2..]) as u32).to_string()
        }
        ("sessions", 3) => format!("{:04}-{:02}", be(&key[..2]), key[2]),
        ("sectors" | "workers" | "households" | "audit", _) => format!("n° {}", be(key)),
        _ => String::from_utf8_lossy(key).into_owned(),
    }
}
