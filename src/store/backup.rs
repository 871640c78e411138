//! Backups: a consistent copy of the whole base in one file, and its
//! restore into a new base.
//!
//! The file (version 1), every integer little-endian:
//! `MAGIC | version u16 | entry* | 0xFF | seal length u32 | seal text | crc32`
//! where an entry is `tree u8 | key length u32 | key | value length u32 |
//! value`: every (key, value) of every sled tree as it is on disk (records,
//! measures' logs, audit trail, accounts), then the base's seal (see
//! [`super::seal`]). The CRC covers every byte before it, and the seal's
//! counts and sums must match the entries: a backup is checked whole
//! before anything is made from it, and after it is written.
//!
//! A copy is consistent because it is read under the store's commit lock
//! (no change can be saved meanwhile; with `assll serve`, the server makes
//! it), and the base is checked against its seal as it is read: a damaged
//! base is not backed up over a good backup.

use super::seal::{self, Seal, TreeSum};
use super::{Handles, Store, StoreError, TREE_LABELS, TREES, Trust, envelope, guarded};
use chrono::NaiveDateTime;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

pub const MAGIC: &[u8; 16] = b"ASSLL-SAUVEGARDE";
const VERSION: u16 = 1;
const END: u8 = 0xFF;
/// Larger than any key or value the store writes (envelopes are capped
/// at 8 MiB): a corrupt length is refused, not allocated.
const MAX_FIELD: u32 = 64 << 20;

/// What a backup holds: the seal of the base it copies.
#[derive(Debug, Clone)]
pub struct Summary {
    pub seal: Seal,
    pub bytes: u64,
}

impl Summary {
    /// One line for the user: « n° 1234 du 02/12/2026 à 10:00 par X, 812 ménages… »
    pub fn describe(&self) -> String {
        let s = &self.seal;
        let count = |i: usize| s.trees[i].count;
        format!(
            "dernier enregistrement n° {}{}{} ; {} ménages, {} commandes, {} mesures, {} entrées d'audit ; {} Kio",
            s.seq,
            super::fr_at(s.at),
            if s.who.is_empty() {
                String::new()
            } else {
                format!(" par {}", s.who)
            },
            count(3),
            count(4),
            count(5),
            count(super::AUDIT),
            self.bytes.div_ceil(1024)
        )
    }
}

struct CrcWriter<W: Write> {
    inner: W,
    crc: crc32fast::Hasher,
    bytes: u64,
}

impl<W: Write> Write for CrcWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

struct CrcReader<R: Read> {
    inner: R,
    crc: crc32fast::Hasher,
    bytes: u64,
}

impl<R: Read> CrcReader<R> {
    fn exact(&mut self, buf: &mut [u8]) -> Result<(), StoreError> {
        self.inner.read_exact(buf).map_err(|e| {
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                bad("fichier tronqué")
            } else {
                bad(&format!("lecture impossible : {e}"))
            }
        })?;
        self.crc.update(buf);
        self.bytes += buf.len() as u64;
        Ok(())
    }
    fn u8(&mut self) -> Result<u8, StoreError> {
        let mut b = [0; 1];
        self.exact(&mut b)?;
        Ok(b[0])
    }
    fn u32(&mut self) -> Result<u32, StoreError> {
        let mut b = [0; 4];
        self.exact(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn field(&mut self) -> Result<Vec<u8>, StoreError> {
        let len = self.u32()?;
        if len > MAX_FIELD {
            return Err(bad("longueur impossible (fichier abîmé)"));
        }
        let mut v = vec![0; len as usize];
        self.exact(&mut v)?;
        Ok(v)
    }
}

fn bad(why: &str) -> StoreError {
    StoreError::Backup(format!("Sauvegarde inutilisable : {why}."))
}

fn io_err(what: &Path, e: std::io::Error) -> StoreError {
    if super::is_full(&e) {
        StoreError::Backup(format!(
            "Disque plein : la sauvegarde {} n'a pas été écrite (rien n'est resté). \
             Libérez de la place puis recommencez.",
            what.display()
        ))
    } else {
        StoreError::Backup(format!("{} : {e}", what.display()))
    }
}

/// One (tree, key, value).
type Entry = (usize, Vec<u8>, Vec<u8>);

/// The entries of a backup, read one at a time; `finish` checks the CRC
/// and that the entries match the seal.
struct Entries<R: Read> {
    r: CrcReader<BufReader<R>>,
    sums: Vec<TreeSum>,
    error: Option<StoreError>,
    ended: bool,
}

impl<R: Read> Entries<R> {
    fn new(input: R) -> Result<Self, StoreError> {
        let mut r = CrcReader {
            inner: BufReader::with_capacity(1 << 16, input),
            crc: crc32fast::Hasher::new(),
            bytes: 0,
        };
        let mut magic = [0; 16];
        r.exact(&mut magic)
            .map_err(|_| bad("ce n'est pas une sauvegarde assll"))?;
        if &magic != MAGIC {
            return Err(bad("ce n'est pas une sauvegarde assll"));
        }
        let mut version = [0; 2];
        r.exact(&mut version)?;
        let version = u16::from_le_bytes(version);
        if version != VERSION {
            return Err(bad(&format!(
                "version {version} inconnue de cette version d'assll"
            )));
        }
        Ok(Entries {
            r,
            sums: vec![TreeSum::default(); TREES.len()],
            error: None,
            ended: false,
        })
    }

    fn entry(&mut self) -> Result<Option<Entry>, StoreError> {
        let tree = self.r.u8()?;
        if tree == END {
            return Ok(None);
        }
        let tree = usize::from(tree);
        if tree >= TREES.len() {
            return Err(bad("partie de base inconnue (fichier abîmé)"));
        }
        let key = self.r.field()?;
        let value = self.r.field()?;
        self.sums[tree].add(tree, &key, &value);
        Ok(Some((tree, key, value)))
    }

    fn finish(mut self) -> Result<Summary, StoreError> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        while !self.ended {
            if self.entry()?.is_none() {
                self.ended = true;
            }
        }
        let text = self.r.field()?;
        let expected = self.r.crc.clone().finalize();
        let mut crc = [0; 4];
        self.r
            .inner
            .read_exact(&mut crc)
            .map_err(|_| bad("fichier tronqué"))?;
        if u32::from_le_bytes(crc) != expected {
            return Err(bad("somme de contrôle fausse (fichier abîmé)"));
        }
        let mut rest = [0; 1];
        if self
            .r
            .inner
            .read(&mut rest)
            .map_err(|e| bad(&e.to_string()))?
            != 0
        {
            return Err(bad("octets en trop après la fin"));
        }
        let seal = std::str::from_utf8(&text)
            .ok()
            .and_then(|t| Seal::from_text(t, &TREES))
            .ok_or_else(|| bad("contrôle final illisible"))?;
        for (i, (found, said)) in self.sums.iter().zip(&seal.trees).enumerate() {
            if found != said {
                return Err(bad(&format!(
                    "{} : {} enregistrement(s) au lieu de {}, ou contenu différent",
                    TREE_LABELS[i], found.count, said.count
                )));
            }
        }
        Ok(Summary {
            seal,
            bytes: self.r.bytes + 4,
        })
    }
}

impl<R: Read> Iterator for Entries<R> {
    type Item = Entry;
    fn next(&mut self) -> Option<Self::Item> {
        if self.ended || self.error.is_some() {
            return None;
        }
        match self.entry() {
            Ok(Some(e)) => Some(e),
            Ok(None) => {
                self.ended = true;
                None
            }
            Err(e) => {
                self.error = Some(e);
                None
            }
        }
    }
}

/// Reads a whole backup from `input` and checks it (CRC, entries against
/// the seal). Returns its seal.
pub fn read(input: impl Read) -> Result<Summary, StoreError> {
    Entries::new(input)?.finish()
}

/// Checks the backup file at `path` whole.
pub fn verify_file(path: &Path) -> Result<Summary, StoreError> {
    let f = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
    read(f)
}

/// Writes a backup file at `dest` (which must not exist): into a
/// temporary file beside it (0600), fsynced, checked by reading it back,
/// then renamed into place and the folder fsynced. On any failure nothing
/// is left.
pub fn write_file(
    dest: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<Summary, StoreError>,
) -> Result<Summary, StoreError> {
    if dest.exists() {
        return Err(StoreError::Backup(format!(
            "{} existe déjà : choisissez un autre nom (une sauvegarde n'en écrase jamais une autre).",
            dest.display()
        )));
    }
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // NamedTempFile: 0600, removed when dropped unless persisted.
    let tmp = tempfile::Builder::new()
        .prefix(".assll-sauvegarde-")
        .tempfile_in(&dir)
        .map_err(|e| io_err(&dir, e))?;
    let written = {
        let mut out = BufWriter::with_capacity(1 << 16, tmp.as_file());
        let summary = fill(&mut out)?;
        out.flush().map_err(|e| io_err(dest, e))?;
        summary
    };
    tmp.as_file().sync_all().map_err(|e| io_err(dest, e))?;
    let read_back = verify_file(tmp.path())?;
    if read_back.seal != written.seal {
        return Err(bad("relue différente de ce qui a été écrit"));
    }
    tmp.persist_noclobber(dest)
        .map_err(|e| io_err(dest, e.error))?;
    seal::sync_dir(&dir).map_err(|e| io_err(&dir, e))?;
    Ok(read_back)
}

impl Store {
    /// Writes a consistent copy of the whole base to `out` (see the
    /// module's documentation). Refused when the base does not match its
    /// seal or a record does not read.
    pub fn backup(&self, out: &mut dyn Write) -> Result<Summary, StoreError> {
        let path = self.inner.path.clone();
        let mut st = self.seal_lock();
        match &st.trust {
            Trust::Problem(msg) => return Err(StoreError::Damaged(msg.clone())),
            Trust::Bulk => {
                return Err(StoreError::Backup(format!(
                    "La base {} est incomplète (chargement interrompu) : pas de sauvegarde.",
                    path.display()
                )));
            }
            Trust::Sealed => {}
        }
        let expected = st.seal.clone();
        let mut w = CrcWriter {
            inner: out,
            crc: crc32fast::Hasher::new(),
            bytes: 0,
        };
        let copied = guarded(&path, || {
            self.with_locked(&mut st, |h| copy_entries(&path, h, &mut w))
        })?;
        let (sums, damaged) = copied;
        let differ = super::compare(
            &expected,
            &sums.into_iter().map(Some).collect::<Vec<_>>(),
            &[],
        );
        if !differ.is_empty() || damaged > 0 {
            let mut what = differ;
            if damaged > 0 {
                what.push(format!("{damaged} enregistrement(s) illisible(s)"));
            }
            let msg = super::mismatch_message(&path, &what);
            if !what.iter().all(|w| w.contains("illisible")) {
                st.trust = Trust::Problem(msg.clone());
            }
            return Err(StoreError::Backup(format!(
                "Pas de sauvegarde : {msg} (lancez `assll check --db {}`)",
                path.display()
            )));
        }
        let text = expected.to_text(&TREES);
        let e = |e: std::io::Error| StoreError::Backup(format!("écriture de la sauvegarde : {e}"));
        w.write_all(&[END]).map_err(e)?;
        w.write_all(&(text.len() as u32).to_le_bytes()).map_err(e)?;
        w.write_all(text.as_bytes()).map_err(e)?;
        let crc = w.crc.clone().finalize();
        w.inner.write_all(&crc.to_le_bytes()).map_err(e)?;
        w.inner.flush().map_err(e)?;
        Ok(Summary {
            seal: expected,
            bytes: w.bytes + 4,
        })
    }

    /// Fills this new, empty store from a backup (see [`restore`]): the
    /// entries, then an audit entry for the restore; then the base as
    /// written is read back and compared with what was written.
    fn restore_from(
        &self,
        backup: &Path,
        who: &str,
        at: NaiveDateTime,
    ) -> Result<Summary, StoreError> {
        let path = self.inner.path.clone();
        let write = |e: sled::Error| StoreError::Write(super::sled_french(&e));
        // The new base's own marker: the backup brings its own.
        self.with(|h| {
            h.trees[super::META]
                .remove(super::SEALED_KEY)
                .map_err(write)?;
            Ok(())
        })?;
        let file = std::fs::File::open(backup).map_err(|e| io_err(backup, e))?;
        let mut entries = Entries::new(file)?;
        self.bulk_write(&mut entries)?;
        let summary = entries.finish()?;
        let change = super::Change {
            who: who.to_string(),
            at,
            summary: format!(
                "restauration de la sauvegarde {} (dernier enregistrement n° {})",
                backup.display(),
                summary.seal.seq
            ),
            records: Vec::new(),
        };
        let mut st = self.seal_lock();
        st.trust = Trust::Sealed;
        self.commit_locked(&mut st, &change, Some(super::BULK_KEY))?;
        let on_disk = guarded(&path, || {
            self.with_locked(&mut st, |h| {
                super::seal_of(h).map_err(|e| super::read_failure(&path, &e))
            })
        })?;
        if on_disk.trees != st.seal.trees {
            return Err(StoreError::Backup(
                "La base restaurée relue ne correspond pas à la sauvegarde : restauration abandonnée, rien n'a été changé."
                    .into(),
            ));
        }
        Ok(summary)
    }
}

/// Restores the backup at `backup` into the base at `target`: the backup
/// is checked whole first, the new base is built in a folder beside
/// `target` and checked, then put in its place; on any failure `target`
/// is left as it was and nothing else remains. A base already at `target`
/// is replaced only with `replace`, and is then kept beside it (its new
/// path is returned); an empty one is simply replaced.
pub fn restore(
    backup: &Path,
    target: &Path,
    replace: bool,
    who: &str,
    at: NaiveDateTime,
) -> Result<(Summary, Option<PathBuf>), StoreError> {
    verify_file(backup)?;
    let how = if replace {
        super::Replace::KeepAside("avant-restauration")
    } else {
        super::Replace::OnlyEmpty
    };
    super::build_beside(target, how, |store| store.restore_from(backup, who, at))
}

/// Everything of every tree into `w`, with each tree's count and sum and
/// how many envelopes do not read.
fn copy_entries<W: Write>(
    path: &Path,
    h: &Handles,
    w: &mut CrcWriter<W>,
) -> Result<(Vec<TreeSum>, usize), StoreError> {
    let e = |e: std::io::Error| StoreError::Backup(format!("écriture de la sauvegarde : {e}"));
    w.write_all(MAGIC).map_err(e)?;
    w.write_all(&VERSION.to_le_bytes()).map_err(e)?;
    let mut sums = vec![TreeSum::default(); TREES.len()];
    let mut damaged = 0usize;
    for (i, tree) in h.trees.iter().enumerate() {
        for item in tree.iter() {
            let (key, value) = item.map_err(|e| super::read_failure(path, &e))?;
            sums[i].add(i, &key, &value);
            let envelope_value = i != super::META || super::META_RECORDS.contains(&&*key);
            if envelope_value && envelope::open(&value).is_err() {
                damaged += 1;
            }
            w.write_all(&[i as u8]).map_err(e)?;
            w.write_all(&(key.len() as u32).to_le_bytes()).map_err(e)?;
            w.write_all(&key).map_err(e)?;
            w.write_all(&(value.len() as u32).to_le_bytes())
                .map_err(e)?;
            w.write_all(&value).map_err(e)?;
        }
    }
    Ok((sums, damaged))
}
