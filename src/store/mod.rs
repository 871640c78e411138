//! The store: the only module that names sled or bincode.
//!
//! One sled tree per record kind, every value an envelope
//! ([`envelope`]), every user change one transaction over all the trees it
//! touches plus its audit entry, flushed and fsynced before it is reported
//! as saved; then the [`seal`] beside the base says what it holds, so that
//! a base that lost acknowledged changes is noticed ([`Store::load`],
//! [`Store::inspect`]). [`backup`]: consistent copies and their restore.

pub mod backup;
pub mod envelope;
pub mod seal;

use crate::domain::{Dataset, GtsSession, Record, Reference};
use chrono::NaiveDateTime;
use envelope::{AuditEntry, DecodeError, Kind};
use seal::{Seal, TreeSum};
use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

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
/// The same trees in words, for messages.
const TREE_LABELS: [&str; 10] = [
    "paramètres",
    "secteurs",
    "TS",
    "ménages",
    "commandes",
    "mesures",
    "séances du GTS",
    "journal d'audit",
    "chronologies des mesures",
    "comptes",
];
const META: usize = 0;
const AUDIT: usize = 7;
/// Each measure's log, apart from the measure: start-up does not read it.
const LOGS: usize = 8;
const NORMS_KEY: &[u8] = b"norms";
/// The commune → sector table and the GTS members: reference data, one
/// record each, beside the norms.
const COMMUNES_KEY: &[u8] = b"commune_sectors";
const GTS_MEMBERS_KEY: &[u8] = b"gts_members";
/// The keys of `meta` that hold records.
const META_RECORDS: [&[u8]; 3] = [NORMS_KEY, COMMUNES_KEY, GTS_MEMBERS_KEY];
const AUDIT_SEQ_KEY: &[u8] = b"audit_seq";
/// Present while a bulk load is under way: a load that was interrupted
/// leaves it, and the database then says it is incomplete.
const BULK_KEY: &[u8] = b"bulk_incomplete";
/// Present once the base has a seal: a seal file that then goes missing is
/// reported, where a base made before seals existed just gets one.
const SEALED_KEY: &[u8] = b"sealed";
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
    #[error(
        "Disque plein : rien n'a été enregistré. Libérez de la place sur le disque de la base \
         puis enregistrez de nouveau (la saisie est gardée)."
    )]
    DiskFull,
    #[error("Erreur d'écriture dans la base : {0}. Rien n'a été enregistré.")]
    Write(String),
    #[error("Erreur de lecture dans la base : {0}")]
    Read(String),
    /// The base lost acknowledged changes, or cannot be checked: the whole
    /// French message, with what to do.
    #[error("{0}")]
    Damaged(String),
    /// A backup or a restore that could not be done: why, in French.
    #[error("{0}")]
    Backup(String),
}

/// What to do with a damaged base, for every message that reports one.
pub fn restore_hint(path: &Path) -> String {
    format!(
        "Restaurez la dernière sauvegarde : assll restore SAUVEGARDE --db {} --remplacer \
         (voir README, « Ce que garantit la base »)",
        path.display()
    )
}

/// sled's error in French, its own text kept in parentheses for the IT.
fn sled_french(e: &sled::Error) -> String {
    let what = match e {
        sled::Error::Io(io) if is_full(io) => "disque plein",
        sled::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::PermissionDenied => {
                "droits insuffisants sur les fichiers de la base"
            }
            std::io::ErrorKind::NotFound => "un fichier de la base manque",
            _ => "erreur d'entrée-sortie sur les fichiers de la base",
        },
        sled::Error::Corruption { .. } => "fichiers de la base abîmés",
        sled::Error::Unsupported(_) => {
            "fichiers de la base non reconnus (abîmés, ou d'une autre version de sled)"
        }
        sled::Error::ReportableBug(_) => "erreur interne de sled (fichiers sans doute abîmés)",
        sled::Error::CollectionNotFound(_) => "partie de la base introuvable",
    };
    format!("{what} ({e})")
}

fn is_full(io: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    if matches!(io.kind(), ErrorKind::StorageFull | ErrorKind::FileTooLarge) {
        return true;
    }
    #[cfg(unix)]
    if matches!(
        io.raw_os_error(),
        Some(libc::ENOSPC | libc::EFBIG | libc::EDQUOT)
    ) {
        return true;
    }
    false
}

fn is_disk_full(e: &sled::Error) -> bool {
    matches!(e, sled::Error::Io(io) if is_full(io))
}

fn open_failure(path: &Path, e: &sled::Error) -> StoreError {
    StoreError::Open {
        path: path.to_path_buf(),
        reason: format!("{}. {}.", sled_french(e), restore_hint(path)),
    }
}

fn read_failure(path: &Path, e: &sled::Error) -> StoreError {
    StoreError::Read(format!("{}. {}.", sled_french(e), restore_hint(path)))
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

/// What [`Store::inspect`] finds (`assll check`): everything read, and what
/// is wrong with the base as a whole (lost changes, a missing seal).
#[derive(Debug, Clone, Default)]
pub struct Inspection {
    pub loaded: Loaded,
    pub audit_damaged: Vec<Damaged>,
    /// In French, each with what to do.
    pub problems: Vec<String>,
    /// The last change the base holds: audit number, date, author.
    pub seq: u64,
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
    /// sled's handles; `None` after a write error left sled unusable (it
    /// refuses everything after an I/O error): reopened on next use.
    handles: RwLock<Option<Handles>>,
    /// Held for a whole commit (one at a time, so the seal lags by at most
    /// the change in flight), a bulk load or a backup.
    seal: Mutex<SealState>,
}

struct Handles {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    /// sled's log file, to fsync (see [`Handles::sync`]).
    log: Option<std::fs::File>,
    /// Blob files already fsynced.
    synced_blobs: Mutex<std::collections::HashSet<std::ffi::OsString>>,
}

impl Handles {
    /// sled 0.34's `flush` writes its log with `sync_file_range` on Linux,
    /// which neither flushes the disk's cache nor the file's size, and
    /// writes large values to `blobs/` without any fsync: a power cut
    /// could lose a change reported as saved. So, after sled's flush: an
    /// fsync of the log, and of each new blob file and their folder.
    fn sync(&self, path: &Path) -> std::io::Result<()> {
        if let Some(log) = &self.log {
            log.sync_data()?;
        }
        let blobs = path.join("blobs");
        let Ok(entries) = std::fs::read_dir(&blobs) else {
            return Ok(());
        };
        let mut synced = self.synced_blobs.lock().unwrap_or_else(|p| p.into_inner());
        let mut new = false;
        for entry in entries.flatten() {
            let name = entry.file_name();
            if synced.contains(&name) {
                continue;
            }
            match std::fs::File::open(entry.path()) {
                Ok(f) => f.sync_data()?,
                // Removed by sled meanwhile (rewritten inline).
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            }
            synced.insert(name);
            new = true;
        }
        if new {
            seal::sync_dir(&blobs)?;
        }
        Ok(())
    }
}

/// Where the seal stands with the base.
#[derive(Debug, Clone)]
enum Trust {
    /// The seal describes the base (its sums are checked by each load).
    Sealed,
    /// The base is behind its seal, or the seal is missing: the French
    /// message. Loads refuse, commits leave the seal file alone (it is the
    /// evidence).
    Problem(String),
    /// A bulk load is (or was left) under way: the marker says so.
    Bulk,
}

struct SealState {
    seal: Seal,
    trust: Trust,
    /// The seal file could not be written (a full disk): retried at the
    /// next commit. A seal that lags the base is not taken for damage.
    dirty: bool,
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

/// Opens sled; a full disk (sled writes when it opens) is
/// [`StoreError::DiskFull`].
fn open_handles(path: &Path) -> Result<Handles, StoreError> {
    let db = open_with_retry(path).map_err(|e| {
        if is_disk_full(&e) {
            StoreError::DiskFull
        } else if is_lock_error(&e) {
            StoreError::Locked {
                path: path.to_path_buf(),
            }
        } else {
            open_failure(path, &e)
        }
    })?;
    let trees = TREES
        .iter()
        .map(|name| db.open_tree(name))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| open_failure(path, &e))?;
    let log = std::fs::File::open(path.join("db")).ok();
    Ok(Handles {
        db,
        trees,
        log,
        synced_blobs: Mutex::new(Default::default()),
    })
}

// sled panics on some damaged files (an `expect` in its recovery, an index
// out of bounds): inside the store, such a panic becomes a French error
// and its default message (English, with a backtrace hint) is not printed.
thread_local! {
    static QUIET: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

fn install_quiet_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(|q| q.get()) == 0 {
                previous(info);
            }
        }));
    });
}

/// Runs `f` (which reads sled), turning a panic inside it into an error.
fn guarded<T>(path: &Path, f: impl FnOnce() -> Result<T, StoreError>) -> Result<T, StoreError> {
    install_quiet_hook();
    QUIET.with(|q| q.set(q.get() + 1));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(q.get() - 1));
    result.unwrap_or_else(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(StoreError::Damaged(format!(
            "La base {} est illisible : sled a échoué en la lisant, ses fichiers sont sans doute \
             abîmés. {}. (détail technique : panique de sled : {detail})",
            path.display(),
            restore_hint(path)
        )))
    })
}

fn be_u64(v: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(v.try_into().ok()?))
}

fn fr_at(at: Option<NaiveDateTime>) -> String {
    at.map(|a| a.format(" du %d/%m/%Y à %H:%M").to_string())
        .unwrap_or_default()
}

/// The audit number the base is at (0: no change yet).
fn base_seq(h: &Handles) -> sled::Result<u64> {
    Ok(h.trees[META]
        .get(AUDIT_SEQ_KEY)?
        .and_then(|v| be_u64(&v))
        .unwrap_or(0))
}

/// Counts and sums of every tree, as they are on disk.
fn full_sums(h: &Handles) -> sled::Result<Vec<TreeSum>> {
    let mut sums = vec![TreeSum::default(); TREES.len()];
    for (i, tree) in h.trees.iter().enumerate() {
        for item in tree.iter() {
            let (k, v) = item?;
            sums[i].add(i, &k, &v);
        }
    }
    Ok(sums)
}

/// A seal of the base as it is now.
fn seal_of(h: &Handles) -> sled::Result<Seal> {
    let seq = base_seq(h)?;
    let mut seal = Seal::empty(TREES.len());
    seal.seq = seq;
    if seq > 0
        && let Some(v) = h.trees[AUDIT].get(seq.to_be_bytes())?
    {
        seal.audit_hash = seal::entry_hash(AUDIT, &seq.to_be_bytes(), &v);
        if let Ok(e) = envelope::unseal::<AuditEntry>(Kind::Audit, &v) {
            seal.at = Some(e.at);
            seal.who = e.who;
        }
    }
    seal.trees = full_sums(h)?;
    Ok(seal)
}

/// The loss, in words: what the seal knew, where the base stops.
fn behind_message(
    path: &Path,
    seal: &Seal,
    base: u64,
    base_at: Option<NaiveDateTime>,
    empty: bool,
) -> String {
    let known = format!(
        "le dernier enregistrement connu est le n° {}{}{}",
        seal.seq,
        fr_at(seal.at),
        if seal.who.is_empty() {
            String::new()
        } else {
            format!(" par {}", seal.who)
        }
    );
    let stops = if base == 0 && empty {
        "la base est vide".to_string()
    } else if base == 0 {
        "la base s'arrête au milieu du premier".to_string()
    } else {
        format!("la base s'arrête au n° {base}{}", fr_at(base_at))
    };
    format!(
        "La base {} a perdu des modifications enregistrées : {known}, {stops}. \
         N'y travaillez pas. {}.",
        path.display(),
        restore_hint(path)
    )
}

fn mismatch_message(path: &Path, what: &[String]) -> String {
    format!(
        "La base {} ne correspond plus à ce qui a été enregistré ({}) : des modifications \
         enregistrées ont été perdues ou altérées. N'y travaillez pas. {}.",
        path.display(),
        what.join(" ; "),
        restore_hint(path)
    )
}

fn seal_missing_message(path: &Path, detail: &str) -> String {
    format!(
        "Le fichier de contrôle {} {detail} : impossible de vérifier que la base {} n'a rien \
         perdu. {}. Si vous êtes sûr(e) que la base est complète : assll check --db {} \
         --resceller.",
        seal::path(path).display(),
        path.display(),
        restore_hint(path),
        path.display()
    )
}

/// Compares counts and sums of the trees in `read` with the seal's; what
/// differs, in words. A tree where a record did not decode (`damaged`,
/// reported on its own) may differ in sum, not in count.
fn compare(seal: &Seal, sums: &[Option<TreeSum>], damaged: &[Damaged]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, found) in sums.iter().enumerate() {
        let Some(found) = found else { continue };
        let expected = seal.trees[i];
        if found.count != expected.count {
            out.push(format!(
                "{} : {} attendu(s), {} trouvé(s)",
                TREE_LABELS[i], expected.count, found.count
            ));
        } else if found.sum != expected.sum && !damaged.iter().any(|d| d.tree == TREES[i]) {
            out.push(format!("{} : contenu différent", TREE_LABELS[i]));
        }
    }
    out
}

/// Where the seal stands with a base just opened (or reopened after an
/// error): `reference` is the seal file's content, or the seal held in
/// memory. A base ahead of its seal is what a kill between commit and
/// seal leaves: checked (the seal's last change is still there, nothing
/// was removed), then sealed anew.
fn establish(path: &Path, h: &Handles, reference: seal::Read) -> Result<SealState, StoreError> {
    let read = |e: sled::Error| read_failure(path, &e);
    let problem = |msg: String| SealState {
        seal: Seal::empty(TREES.len()),
        trust: Trust::Problem(msg),
        dirty: false,
    };
    let seq = base_seq(h).map_err(read)?;
    if h.trees[META].contains_key(BULK_KEY).map_err(read)? {
        // A load interrupted, or one that finished and was sealed but that
        // sled lost since (the base went back to the middle of the load).
        if let seal::Read::Sound(seal) = &reference
            && seal.seq > seq
        {
            return Ok(problem(behind_message(path, seal, seq, None, false)));
        }
        return Ok(SealState {
            seal: Seal::empty(TREES.len()),
            trust: Trust::Bulk,
            dirty: false,
        });
    }
    let seal = match reference {
        seal::Read::Sound(seal) => seal,
        seal::Read::Unreadable(detail) => {
            return Ok(problem(seal_missing_message(
                path,
                &format!("est illisible ({detail})"),
            )));
        }
        seal::Read::Absent => {
            if h.trees[META].contains_key(SEALED_KEY).map_err(read)? {
                return Ok(problem(seal_missing_message(path, "manque")));
            }
            // A new base, or one made before seals: sealed as it is.
            h.trees[META].insert(SEALED_KEY, b"1").map_err(read)?;
            h.db.flush().map_err(read)?;
            let mut st = SealState {
                seal: seal_of(h).map_err(read)?,
                trust: Trust::Sealed,
                dirty: true,
            };
            write_seal(path, &mut st);
            return Ok(st);
        }
    };
    let base_at = || -> Option<NaiveDateTime> {
        let v = h.trees[AUDIT].get(seq.to_be_bytes()).ok()??;
        envelope::unseal::<AuditEntry>(Kind::Audit, &v)
            .ok()
            .map(|e| e.at)
    };
    if seq < seal.seq {
        let empty = h.trees[1..].iter().all(|t| t.is_empty());
        return Ok(problem(behind_message(path, &seal, seq, base_at(), empty)));
    }
    // The seal's last change must still be there, as it was.
    if seal.seq > 0 {
        let entry = h.trees[AUDIT].get(seal.seq.to_be_bytes()).map_err(read)?;
        let same = entry.is_some_and(|v| {
            seal::entry_hash(AUDIT, &seal.seq.to_be_bytes(), &v) == seal.audit_hash
        });
        if !same {
            return Ok(problem(mismatch_message(
                path,
                &[format!(
                    "l'entrée n° {} du journal d'audit a disparu ou changé",
                    seal.seq
                )],
            )));
        }
    }
    if seq == seal.seq {
        return Ok(SealState {
            seal,
            trust: Trust::Sealed,
            dirty: false,
        });
    }
    // Ahead: records are only ever added or rewritten, never removed.
    let now = seal_of(h).map_err(read)?;
    let shrunk: Vec<String> = (1..TREES.len())
        .filter(|&i| now.trees[i].count < seal.trees[i].count)
        .map(|i| {
            format!(
                "{} : {} attendu(s), {} trouvé(s)",
                TREE_LABELS[i], seal.trees[i].count, now.trees[i].count
            )
        })
        .collect();
    if !shrunk.is_empty() {
        return Ok(problem(mismatch_message(path, &shrunk)));
    }
    let mut st = SealState {
        seal: now,
        trust: Trust::Sealed,
        dirty: true,
    };
    write_seal(path, &mut st);
    Ok(st)
}

/// Writes the seal file if the seal describes the base; a failure (a full
/// disk) leaves it to the next commit.
fn write_seal(path: &Path, st: &mut SealState) {
    if !matches!(st.trust, Trust::Sealed) {
        return;
    }
    st.dirty = seal::write(path, &st.seal, &TREES).is_err();
}

impl Store {
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

    /// Opens the base at `path`, creating it when there is none. A base
    /// behind its seal still opens (for `assll check`), but [`Store::load`]
    /// refuses it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            crate::private::create_dir(parent).map_err(|e| StoreError::Open {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        }
        let handles = guarded(path, || open_handles(path))?;
        // People's data: the base is its owner's only (a base made by an
        // older assll, or by hand, may be 0755/0644).
        for (p, e) in crate::private::tighten(path) {
            eprintln!(
                "assll : attention, droits de {} non restreints au propriétaire : {e}",
                p.display()
            );
        }
        let state = guarded(path, || establish(path, &handles, seal::read(path, &TREES)))?;
        Ok(Store {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                handles: RwLock::new(Some(handles)),
                seal: Mutex::new(state),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    fn seal_lock(&self) -> MutexGuard<'_, SealState> {
        self.inner.seal.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on sled's handles, reopening them if an error closed them.
    fn with<T>(&self, f: impl FnOnce(&Handles) -> Result<T, StoreError>) -> Result<T, StoreError> {
        {
            let g = self.inner.handles.read().unwrap_or_else(|p| p.into_inner());
            if let Some(h) = g.as_ref() {
                return f(h);
            }
        }
        let mut st = self.seal_lock();
        self.with_locked(&mut st, f)
    }

    /// [`Store::with`] for who holds the seal's lock.
    fn with_locked<T>(
        &self,
        st: &mut SealState,
        f: impl FnOnce(&Handles) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        {
            let g = self.inner.handles.read().unwrap_or_else(|p| p.into_inner());
            if let Some(h) = g.as_ref() {
                return f(h);
            }
        }
        self.reopen(st)?;
        let g = self.inner.handles.read().unwrap_or_else(|p| p.into_inner());
        match g.as_ref() {
            Some(h) => f(h),
            None => Err(StoreError::Read("base fermée après une erreur".into())),
        }
    }

    /// After sled reported an I/O error it refuses every later operation,
    /// and its memory may hold the change that failed: its handles are
    /// dropped and the base reopened from disk (now, or at the next use if
    /// the disk is still full), the seal re-established against it.
    fn reopen(&self, st: &mut SealState) -> Result<(), StoreError> {
        let path = &self.inner.path;
        let mut g = self
            .inner
            .handles
            .write()
            .unwrap_or_else(|p| p.into_inner());
        if g.is_none() {
            let h = guarded(path, || open_handles(path))?;
            let reference = match &st.trust {
                Trust::Sealed => seal::Read::Sound(st.seal.clone()),
                _ => seal::read(path, &TREES),
            };
            *st = guarded(path, || establish(path, &h, reference))?;
            *g = Some(h);
        }
        Ok(())
    }

    fn close_after_error(&self, st: &mut SealState) {
        drop(
            self.inner
                .handles
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .take(),
        );
        let _ = self.reopen(st);
    }

    /// True when the base lost acknowledged changes or cannot be checked
    /// (see [`Store::load`]).
    pub fn has_problem(&self) -> bool {
        matches!(self.seal_lock().trust, Trust::Problem(_))
    }

    /// True when no record has ever been written.
    pub fn is_empty(&self) -> bool {
        self.with(|h| {
            Ok(h.trees[1..].iter().all(|t| t.is_empty())
                && h.trees[META]
                    .iter()
                    .keys()
                    .all(|k| k.is_ok_and(|k| &*k == SEALED_KEY)))
        })
        .unwrap_or(false)
    }

    /// Reads every record. What does not decode is listed in `damaged`;
    /// everything else still loads. Refused (a French message saying what
    /// to do) when the base lost acknowledged changes or cannot be checked.
    pub fn load(&self) -> Result<Loaded, StoreError> {
        self.load_checked(false)
    }

    /// Everything, measures' logs included (export, check). A log that does
    /// not decode is listed in `damaged` and its measure keeps the facts
    /// the rules need.
    pub fn load_full(&self) -> Result<Loaded, StoreError> {
        self.load_checked(true)
    }

    fn load_checked(&self, full: bool) -> Result<Loaded, StoreError> {
        let path = self.inner.path.clone();
        // Under the seal's lock: a commit between the read and the
        // comparison would look like damage.
        let mut st = self.seal_lock();
        let (loaded, sums) = guarded(&path, || {
            self.with_locked(&mut st, |h| read_records(&path, h, full))
        })?;
        match &st.trust {
            Trust::Problem(msg) => Err(StoreError::Damaged(msg.clone())),
            Trust::Bulk => Ok(loaded),
            Trust::Sealed => {
                let differ = compare(&st.seal, &sums, &loaded.damaged);
                if differ.is_empty() {
                    Ok(loaded)
                } else {
                    let msg = mismatch_message(&path, &differ);
                    st.trust = Trust::Problem(msg.clone());
                    Err(StoreError::Damaged(msg))
                }
            }
        }
    }

    /// `assll check`: every record, logs and audit included, and every tree
    /// against the seal. Never refuses a damaged base: says what is wrong.
    pub fn inspect(&self) -> Result<Inspection, StoreError> {
        let path = self.inner.path.clone();
        let mut st = self.seal_lock();
        let (loaded, mut sums, audit_damaged, seq) = guarded(&path, || {
            self.with_locked(&mut st, |h| {
                let (loaded, sums) = read_records(&path, h, true)?;
                let mut audit_sum = TreeSum::default();
                let mut audit_damaged = Vec::new();
                for item in h.trees[AUDIT].iter() {
                    let (key, value) = item.map_err(|e| read_failure(&path, &e))?;
                    audit_sum.add(AUDIT, &key, &value);
                    if let Err(e) = envelope::unseal::<AuditEntry>(Kind::Audit, &value) {
                        audit_damaged.push(Damaged {
                            tree: TREES[AUDIT].to_string(),
                            key: key.to_vec(),
                            error: e.to_string(),
                        });
                    }
                }
                let seq = base_seq(h).map_err(|e| read_failure(&path, &e))?;
                Ok((loaded, (sums, audit_sum), audit_damaged, seq))
            })
        })?;
        sums.0[AUDIT] = Some(sums.1);
        let mut problems = Vec::new();
        match &st.trust {
            Trust::Problem(msg) => problems.push(msg.clone()),
            Trust::Bulk => {}
            Trust::Sealed => {
                let all_damaged: Vec<Damaged> = loaded
                    .damaged
                    .iter()
                    .chain(&audit_damaged)
                    .cloned()
                    .collect();
                let differ = compare(&st.seal, &sums.0, &all_damaged);
                if !differ.is_empty() {
                    let msg = mismatch_message(&path, &differ);
                    st.trust = Trust::Problem(msg.clone());
                    problems.push(msg);
                }
            }
        }
        Ok(Inspection {
            loaded,
            audit_damaged,
            problems,
            seq,
        })
    }

    /// Takes the base as it is now for the reference (`assll check
    /// --resceller`): after a loss that was seen and accepted, or a seal
    /// file that went missing. Put in the audit trail by `who`.
    pub fn reseal(&self, who: &str, at: NaiveDateTime) -> Result<u64, StoreError> {
        let path = self.inner.path.clone();
        let before = {
            let mut st = self.seal_lock();
            let before = st.seal.seq;
            let fresh = guarded(&path, || {
                self.with_locked(&mut st, |h| {
                    h.trees[META]
                        .insert(SEALED_KEY, b"1")
                        .map_err(|e| read_failure(&path, &e))?;
                    seal_of(h).map_err(|e| read_failure(&path, &e))
                })
            })?;
            st.seal = fresh;
            st.trust = Trust::Sealed;
            before
        };
        self.commit(&Change {
            who: who.to_string(),
            at,
            summary: format!(
                "contrôle de la base refait : état actuel pris pour référence (contrôle précédent : n° {before})"
            ),
            records: Vec::new(),
        })
    }

    /// One measure's log, read when its file is opened.
    pub fn load_log(
        &self,
        reference: Reference,
    ) -> Result<Vec<crate::domain::LogEntry>, StoreError> {
        let key = reference_key(reference);
        self.with(|h| {
            match h.trees[LOGS].get(&key) {
                Ok(Some(bytes)) => envelope::unseal_log(&bytes).map_err(|e| e.to_string()),
                Ok(None) => Err("journal absent".to_string()),
                Err(e) => Err(sled_french(&e)),
            }
            .map_err(|e| StoreError::Read(format!("journal de la mesure {reference} : {e}")))
        })
    }

    /// Writes a change atomically with its audit entry, then flushes and
    /// fsyncs: when this returns Ok, the change survives a crash or a power
    /// cut. Then the seal. Returns the audit seq.
    pub fn commit(&self, change: &Change) -> Result<u64, StoreError> {
        let mut st = self.seal_lock();
        self.commit_locked(&mut st, change, None)
    }

    /// [`Store::commit`] under the seal's lock, removing a meta key in the
    /// same transaction.
    fn commit_locked(
        &self,
        st: &mut SealState,
        change: &Change,
        remove_meta: Option<&[u8]>,
    ) -> Result<u64, StoreError> {
        let mut writes: Vec<(usize, Vec<u8>, Vec<u8>)> = Vec::with_capacity(change.records.len());
        for r in &change.records {
            push_writes(&mut writes, r);
        }
        let keys: Vec<String> = change.records.iter().map(Record::describe).collect();
        let path = self.inner.path.clone();
        let result = self.with_locked(st, |h| {
            let trees: &[sled::Tree] = &h.trees;
            let result = trees.transaction(|tx| {
                // What this change does to each tree's count and sum.
                let mut delta = vec![TreeSum::default(); TREES.len()];
                let mut write = |tree: usize, key: &[u8], old: Option<sled::IVec>, new| {
                    delta[tree].replace(tree, key, old.as_deref(), new);
                };
                for (tree, key, value) in &writes {
                    let old = tx[*tree].insert(key.as_slice(), value.as_slice())?;
                    write(*tree, key, old, Some(value));
                }
                let seq = match tx[META].get(AUDIT_SEQ_KEY)? {
                    Some(v) => be_u64(&v).unwrap_or(0) + 1,
                    None => 1,
                };
                let seq_bytes = seq.to_be_bytes();
                let old = tx[META].insert(AUDIT_SEQ_KEY, &seq_bytes)?;
                write(META, AUDIT_SEQ_KEY, old, Some(&seq_bytes));
                if let Some(key) = remove_meta {
                    let old = tx[META].remove(key)?;
                    write(META, key, old, None);
                }
                let entry = AuditEntry {
                    seq,
                    at: change.at,
                    who: change.who.clone(),
                    summary: change.summary.clone(),
                    keys: keys.clone(),
                };
                let value = envelope::seal(Kind::Audit, &entry);
                let old = tx[AUDIT].insert(&seq_bytes, value.as_slice())?;
                write(AUDIT, &seq_bytes, old, Some(&value));
                let audit_hash = seal::entry_hash(AUDIT, &seq_bytes, &value);
                Ok::<_, ConflictableTransactionError<()>>((seq, delta, audit_hash))
            });
            let done = match result {
                Ok(done) => done,
                Err(TransactionError::Abort(())) => {
                    return Err(StoreError::Write("transaction annulée".into()));
                }
                Err(TransactionError::Storage(e)) => return Ok(Err(e)),
            };
            if let Err(e) = h.db.flush() {
                return Ok(Err(e));
            }
            if let Err(e) = h.sync(&path) {
                return Ok(Err(sled::Error::Io(e)));
            }
            Ok(Ok(done))
        })?;
        let (seq, delta, audit_hash) = match result {
            Ok(done) => done,
            Err(e) => {
                let full = is_disk_full(&e);
                self.close_after_error(st);
                return Err(if full {
                    StoreError::DiskFull
                } else {
                    StoreError::Write(sled_french(&e))
                });
            }
        };
        for (sum, d) in st.seal.trees.iter_mut().zip(&delta) {
            sum.count = sum.count.wrapping_add(d.count);
            sum.sum = sum.sum.wrapping_add(d.sum);
        }
        st.seal.seq = seq;
        st.seal.at = Some(change.at);
        st.seal.who = change.who.clone();
        st.seal.audit_hash = audit_hash;
        write_seal(&path, st);
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
        let mut writes = Vec::new();
        let mut total = 0usize;
        let mut records = records.inspect(|_| total += 1).flat_map(|r| {
            push_writes(&mut writes, &r);
            std::mem::take(&mut writes)
        });
        self.bulk_write(&mut records)?;
        drop(records);
        let change = Change {
            who: who.to_string(),
            at,
            summary: format!("{summary} ({total} enregistrements)"),
            records: Vec::new(),
        };
        let mut st = self.seal_lock();
        st.trust = Trust::Sealed;
        match self.commit_locked(&mut st, &change, Some(BULK_KEY)) {
            Ok(_) => Ok(total),
            Err(e) => {
                st.trust = Trust::Bulk;
                Err(e)
            }
        }
    }

    /// Writes raw (tree, key, value) entries into an empty base behind the
    /// bulk marker, keeping the seal's sums. Does not end the bulk load.
    fn bulk_write(
        &self,
        entries: &mut dyn Iterator<Item = (usize, Vec<u8>, Vec<u8>)>,
    ) -> Result<(), StoreError> {
        let path = self.inner.path.clone();
        if !self.is_empty() {
            return Err(StoreError::Write(format!(
                "la base {} n'est pas vide",
                path.display()
            )));
        }
        let mut st = self.seal_lock();
        let fail = |e: sled::Error| {
            if is_disk_full(&e) {
                StoreError::DiskFull
            } else {
                StoreError::Write(sled_french(&e))
            }
        };
        let result = self.with_locked(&mut st, |h| {
            let trees = &h.trees;
            let mut sums = vec![TreeSum::default(); TREES.len()];
            for (i, tree) in trees.iter().enumerate() {
                for item in tree.iter() {
                    let (k, v) = item.map_err(fail)?;
                    sums[i].add(i, &k, &v);
                }
            }
            trees[META].insert(BULK_KEY, b"1").map_err(fail)?;
            sums[META].add(META, BULK_KEY, b"1");
            h.db.flush().map_err(fail)?;
            let mut batches: Vec<sled::Batch> =
                (0..TREES.len()).map(|_| sled::Batch::default()).collect();
            let flush_batches = |batches: &mut Vec<sled::Batch>| -> Result<(), StoreError> {
                for (i, b) in batches.iter_mut().enumerate() {
                    trees[i].apply_batch(std::mem::take(b)).map_err(fail)?;
                }
                Ok(())
            };
            let mut pending = 0usize;
            for (tree, key, value) in entries {
                sums[tree].add(tree, &key, &value);
                batches[tree].insert(key, value);
                pending += 1;
                if pending == BULK_CHUNK {
                    flush_batches(&mut batches)?;
                    pending = 0;
                }
            }
            flush_batches(&mut batches)?;
            Ok(sums)
        });
        st.trust = Trust::Bulk;
        match result {
            Ok(sums) => {
                st.seal.trees = sums;
                Ok(())
            }
            Err(e) => {
                if matches!(e, StoreError::DiskFull | StoreError::Write(_)) {
                    self.close_after_error(&mut st);
                }
                Err(e)
            }
        }
    }

    /// The audit trail, oldest first.
    pub fn audit(&self) -> Result<Vec<AuditEntry>, StoreError> {
        self.audit_with_damage().map(|(entries, _)| entries)
    }

    /// The audit trail and the audit entries that do not decode.
    pub fn audit_with_damage(&self) -> Result<(Vec<AuditEntry>, Vec<Damaged>), StoreError> {
        let path = self.inner.path.clone();
        guarded(&path, || {
            self.with(|h| {
                let mut entries = Vec::new();
                let mut damaged = Vec::new();
                for item in h.trees[AUDIT].iter() {
                    let (key, value) = item.map_err(|e| read_failure(&path, &e))?;
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
            })
        })
    }

    /// For tests and repair tools: the raw bytes under a record's key.
    pub fn raw(&self, record: &Record) -> Option<Vec<u8>> {
        let (tree, key) = location(record);
        self.with(|h| Ok(h.trees[tree].get(key).ok().flatten().map(|v| v.to_vec())))
            .ok()
            .flatten()
    }

    /// For tests of damage handling: writes raw bytes under a record's key,
    /// bypassing the envelope and the seal (as damage would).
    #[doc(hidden)]
    pub fn write_raw_for_tests(&self, record: &Record, bytes: &[u8]) -> Result<(), StoreError> {
        let (tree, key) = location(record);
        self.with(|h| {
            h.trees[tree]
                .insert(key, bytes)
                .map_err(|e| StoreError::Write(e.to_string()))?;
            h.db.flush().map_err(|e| StoreError::Write(e.to_string()))?;
            Ok(())
        })
    }
}

/// Whether a record can be written: its encoded size, and the most a
/// record may weigh ([`envelope::MAX_PAYLOAD`]), when it is over.
pub fn too_large(record: &Record) -> Option<(usize, usize)> {
    let n = envelope::payload_len(record)?;
    (n > envelope::MAX_PAYLOAD).then_some((n, envelope::MAX_PAYLOAD))
}

/// Every record (logs too when `full`), with the count and sum of each
/// tree read (all but the audit trail; the logs when `full`).
fn read_records(
    path: &Path,
    h: &Handles,
    full: bool,
) -> Result<(Loaded, Vec<Option<TreeSum>>), StoreError> {
    let mut out = Loaded::default();
    let mut sums: Vec<Option<TreeSum>> = vec![None; TREES.len()];
    let read = |e: sled::Error| read_failure(path, &e);
    if h.trees[META].contains_key(BULK_KEY).map_err(read)? {
        out.damaged.push(Damaged {
            tree: TREES[META].to_string(),
            key: BULK_KEY.to_vec(),
            error: "chargement en bloc (import ou démonstration) interrompu : base incomplète, \
                    à refaire dans une base neuve"
                .to_string(),
        });
    }
    for (i, tree) in h.trees.iter().enumerate() {
        if i == AUDIT || i == LOGS {
            continue;
        }
        let mut sum = TreeSum::default();
        for item in tree.iter() {
            let (key, value) = item.map_err(read)?;
            sum.add(i, &key, &value);
            if i == META && !META_RECORDS.contains(&&*key) {
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
        sums[i] = Some(sum);
    }
    if full {
        let mut sum = TreeSum::default();
        for item in h.trees[LOGS].iter() {
            let (key, value) = item.map_err(read)?;
            sum.add(LOGS, &key, &value);
            let Some(reference) = key_reference(&key) else {
                continue;
            };
            let Some(m) = out.data.measures.get_mut(&reference) else {
                continue;
            };
            if m.log_on_disk.is_none() {
                continue;
            }
            match envelope::unseal_log(&value) {
                Ok(events) => {
                    m.events = events;
                    m.log_on_disk = None;
                }
                Err(e) => out.damaged.push(Damaged {
                    tree: TREES[LOGS].to_string(),
                    key: key.to_vec(),
                    error: e.to_string(),
                }),
            }
        }
        sums[LOGS] = Some(sum);
        // A measure whose log is not on disk at all.
        let absent: Vec<Vec<u8>> = out
            .data
            .measures
            .values()
            .filter(|m| m.log_on_disk.is_some())
            .map(|m| reference_key(m.reference))
            .filter(|k| {
                !out.damaged
                    .iter()
                    .any(|d| d.tree == TREES[LOGS] && d.key == *k)
            })
            .collect();
        for key in absent {
            out.damaged.push(Damaged {
                tree: TREES[LOGS].to_string(),
                key,
                error: "journal absent".to_string(),
            });
        }
    }
    Ok((out, sums))
}

/// What [`build_beside`] does with a base already at its path.
#[derive(Debug, Clone, Copy)]
pub enum Replace {
    /// Only an empty, sound base (or nothing) may be there; it is removed.
    OnlyEmpty,
    /// Any base is moved aside to `PATH.WORD-DATE` and kept.
    KeepAside(&'static str),
}

enum AtPath {
    Nothing,
    EmptyBase,
    Occupied,
}

fn at_path(path: &Path) -> Result<AtPath, StoreError> {
    let Ok(mut entries) = std::fs::read_dir(path) else {
        return Ok(if path.exists() {
            AtPath::Occupied
        } else {
            AtPath::Nothing
        });
    };
    if entries.next().is_none() {
        return Ok(AtPath::EmptyBase);
    }
    if !path.join("conf").exists() && !path.join("db").exists() {
        return Ok(AtPath::Occupied);
    }
    match Store::open(path) {
        Ok(store) if store.is_empty() && !store.has_problem() => Ok(AtPath::EmptyBase),
        Ok(_) => Ok(AtPath::Occupied),
        Err(e @ StoreError::Locked { .. }) => Err(e),
        Err(_) => Ok(AtPath::Occupied),
    }
}

/// Builds a base with `fill` in a new folder beside `path` (same file
/// system), then puts it at `path` by a rename: an import, a demo or a
/// restore that fails (a full disk, a bad entry, a kill) leaves `path` as
/// it was and no half-written base. Returns what `fill` gave, and where a
/// base replaced with [`Replace::KeepAside`] was kept.
pub fn build_beside<T>(
    path: &Path,
    how: Replace,
    fill: impl FnOnce(&Store) -> Result<T, StoreError>,
) -> Result<(T, Option<PathBuf>), StoreError> {
    let not_empty = || {
        StoreError::Write(format!(
            "la base {} n'est pas vide : l'import se fait dans une base neuve",
            path.display()
        ))
    };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = |e: std::io::Error| {
        if is_full(&e) {
            StoreError::DiskFull
        } else {
            StoreError::Write(format!("{} : {e}", parent.display()))
        }
    };
    crate::private::create_dir(&parent).map_err(io)?;
    if matches!(how, Replace::OnlyEmpty) && matches!(at_path(path)?, AtPath::Occupied) {
        return Err(not_empty());
    }
    let name = path
        .file_name()
        .map_or_else(|| "base".into(), |n| n.to_string_lossy().into_owned());
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.nouvelle-"))
        .tempdir_in(&parent)
        .map_err(io)?;
    let new = tmp.path().join("base");
    let value = {
        let store = Store::open(&new)?;
        let value = fill(&store)?;
        store.with(|h| {
            h.db.flush()
                .map_err(|e| StoreError::Write(sled_french(&e)))?;
            h.sync(&new).map_err(|e| StoreError::Write(e.to_string()))
        })?;
        value
    };
    let there = at_path(path)?;
    if matches!(how, Replace::OnlyEmpty) && matches!(there, AtPath::Occupied) {
        return Err(not_empty());
    }
    let aside = match there {
        AtPath::Nothing => None,
        AtPath::EmptyBase | AtPath::Occupied => {
            let word = match how {
                Replace::KeepAside(word) => word,
                Replace::OnlyEmpty => "vide",
            };
            let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
            let aside = parent.join(format!(".{name}.{word}-{stamp}-{}", std::process::id()));
            std::fs::rename(path, &aside).map_err(io)?;
            Some(aside)
        }
    };
    if let Err(e) = std::fs::rename(&new, path) {
        if let Some(aside) = &aside {
            let _ = std::fs::rename(aside, path);
        }
        return Err(io(e));
    }
    seal::sync_dir(&parent).map_err(io)?;
    drop(tmp);
    let kept = match (there, aside) {
        (AtPath::Occupied, Some(aside)) if matches!(how, Replace::KeepAside(_)) => {
            // Visible, under a name that says what it is.
            let visible = parent.join(
                aside
                    .file_name()
                    .map(|n| n.to_string_lossy().trim_start_matches('.').to_string())
                    .unwrap_or_default(),
            );
            Some(if std::fs::rename(&aside, &visible).is_ok() {
                visible
            } else {
                aside
            })
        }
        (_, Some(aside)) => {
            let _ = std::fs::remove_dir_all(&aside);
            None
        }
        (_, None) => None,
    };
    Ok((value, kept))
}

fn key_reference(key: &[u8]) -> Option<Reference> {
    if key.len() != 6 {
        return None;
    }
    let year = u16::from_be_bytes([key[0], key[1]]);
    let number = u32::from_be_bytes([key[2], key[3], key[4], key[5]]);
    Some(Reference::new(year, number))
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
        Record::CommuneSectors(_) => (META, COMMUNES_KEY.to_vec()),
        Record::GtsMembers(_) => (META, GTS_MEMBERS_KEY.to_vec()),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What sled does on some damaged files: a panic inside a store call
    /// becomes a French error with the restore hint and sled's text, and
    /// the store keeps working.
    #[test]
    fn a_panic_inside_sled_becomes_a_french_error() {
        let path = Path::new("/tmp/base-abimee");
        let err = guarded::<()>(path, || {
            let v: Vec<u8> = Vec::new();
            let i = v.len() + 50;
            Err(StoreError::Read(v[i].to_string()))
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("La base /tmp/base-abimee est illisible"),
            "{err}"
        );
        assert!(err.contains("assll restore"), "{err}");
        assert!(err.contains("index out of bounds"), "{err}");
        assert_eq!(QUIET.with(|q| q.get()), 0);
        assert_eq!(guarded(path, || Ok(7)).unwrap(), 7);
    }
}
