//! The seal: a small file beside sled's, `assll.seal`, that says what the
//! base held after the last acknowledged change: that change's audit number,
//! date and author, and per tree a record count and a checksum.
//!
//! sled checks its own log, but when that log is damaged it recovers to an
//! older state without a word (a flipped byte, a truncated or deleted `db`
//! file): acknowledged changes vanish. The seal lets the store notice it.
//!
//! The checksum of a tree is the wrapping sum of a 64-bit hash of each
//! (key, value): a commit updates it from the values it replaces (sled's
//! transactional insert returns them), so a commit at 100,000 households
//! costs what it writes, not what the base holds. The hash is built from
//! two CRC-32s over differently ordered input: made to catch accidental
//! damage (a lost, stale or altered record), not tampering.
//!
//! The file is text (the GIP's IT can read it), ends with its own CRC, and
//! is replaced atomically (temporary file, fsync, rename, fsync of the
//! folder) after the base's flush: it may lag the base by the change in
//! flight when the program is killed, never lead it.

use chrono::NaiveDateTime;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The seal's file name, inside the base's folder.
pub const FILE: &str = "assll.seal";
const TMP: &str = "assll.seal.tmp";
const HEADER: &str = "assll-sceau 1";

/// Count and checksum of one tree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TreeSum {
    pub count: u64,
    pub sum: u64,
}

impl TreeSum {
    pub fn add(&mut self, tree: usize, key: &[u8], value: &[u8]) {
        self.count = self.count.wrapping_add(1);
        self.sum = self.sum.wrapping_add(entry_hash(tree, key, value));
    }

    pub fn remove(&mut self, tree: usize, key: &[u8], value: &[u8]) {
        self.count = self.count.wrapping_sub(1);
        self.sum = self.sum.wrapping_sub(entry_hash(tree, key, value));
    }

    /// One write: `old` replaced by `new` (either may be absent).
    pub fn replace(&mut self, tree: usize, key: &[u8], old: Option<&[u8]>, new: Option<&[u8]>) {
        if let Some(old) = old {
            self.remove(tree, key, old);
        }
        if let Some(new) = new {
            self.add(tree, key, new);
        }
    }
}

/// The 64-bit hash of one entry of tree number `tree`.
pub fn entry_hash(tree: usize, key: &[u8], value: &[u8]) -> u64 {
    let tree = tree as u32;
    let mut a = crc32fast::Hasher::new_with_initial(tree.wrapping_mul(0x9e37_79b9));
    a.update(&(key.len() as u32).to_le_bytes());
    a.update(key);
    a.update(value);
    // The same bytes in another order (and another start): not the same
    // linear function of the input as `a`, so the pair is a 64-bit hash.
    let mut b = crc32fast::Hasher::new_with_initial(!tree);
    b.update(value);
    b.update(key);
    b.update(&(value.len() as u32).to_le_bytes());
    (u64::from(a.finalize()) << 32) | u64::from(b.finalize())
}

/// What the base held after the last acknowledged change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    /// Audit number of the last acknowledged change (0: none yet).
    pub seq: u64,
    /// Its date and author, to say what was lost.
    pub at: Option<NaiveDateTime>,
    pub who: String,
    /// Hash of that change's audit entry (its value in the audit tree).
    pub audit_hash: u64,
    /// Per tree, in the store's fixed order.
    pub trees: Vec<TreeSum>,
}

impl Seal {
    pub fn empty(trees: usize) -> Seal {
        Seal {
            seq: 0,
            at: None,
            who: String::new(),
            audit_hash: 0,
            trees: vec![TreeSum::default(); trees],
        }
    }

    /// The file's text, its CRC on the last line.
    pub fn to_text(&self, names: &[&str]) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{HEADER}");
        let _ = writeln!(s, "numero {}", self.seq);
        let _ = writeln!(
            s,
            "date {}",
            self.at
                .map(|a| a.format("%Y-%m-%dT%H:%M:%S").to_string())
                .unwrap_or_else(|| "-".into())
        );
        let who: String = self
            .who
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let _ = writeln!(s, "auteur {who}");
        let _ = writeln!(s, "audit {:016x}", self.audit_hash);
        for (name, t) in names.iter().zip(&self.trees) {
            let _ = writeln!(s, "arbre {name} {} {:016x}", t.count, t.sum);
        }
        let crc = crc32fast::hash(s.as_bytes());
        let _ = writeln!(s, "crc {crc:08x}");
        s
    }

    /// Reads [`Seal::to_text`]; `None` when it is not a whole, sound seal.
    pub fn from_text(text: &str, names: &[&str]) -> Option<Seal> {
        let body_end = text.trim_end_matches('\n').rfind('\n')? + 1;
        let (body, last) = text.split_at(body_end);
        let crc = u32::from_str_radix(last.trim_end().strip_prefix("crc ")?, 16).ok()?;
        if crc32fast::hash(body.as_bytes()) != crc {
            return None;
        }
        let mut lines = body.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let seq = lines.next()?.strip_prefix("numero ")?.parse().ok()?;
        let at = match lines.next()?.strip_prefix("date ")? {
            "-" => None,
            d => Some(NaiveDateTime::parse_from_str(d, "%Y-%m-%dT%H:%M:%S").ok()?),
        };
        let who = lines.next()?.strip_prefix("auteur ")?.to_string();
        let audit_hash = u64::from_str_radix(lines.next()?.strip_prefix("audit ")?, 16).ok()?;
        let mut trees = Vec::with_capacity(names.len());
        for name in names {
            let rest = lines.next()?.strip_prefix("arbre ")?;
            let mut parts = rest.split(' ');
            if parts.next()? != *name {
                return None;
            }
            let count = parts.next()?.parse().ok()?;
            let sum = u64::from_str_radix(parts.next()?, 16).ok()?;
            trees.push(TreeSum { count, sum });
        }
        if lines.next().is_some() {
            return None;
        }
        Some(Seal {
            seq,
            at,
            who,
            audit_hash,
            trees,
        })
    }
}

/// What reading the seal file found.
#[derive(Debug)]
pub enum Read {
    Sound(Seal),
    Absent,
    /// There, but not a sound seal (torn, altered): the detail.
    Unreadable(String),
}

pub fn path(base: &Path) -> PathBuf {
    base.join(FILE)
}

pub fn read(base: &Path, names: &[&str]) -> Read {
    match std::fs::read(path(base)) {
        Ok(bytes) => match std::str::from_utf8(&bytes)
            .ok()
            .and_then(|t| Seal::from_text(t, names))
        {
            Some(seal) => Read::Sound(seal),
            None => Read::Unreadable(format!("{} octets illisibles", bytes.len())),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Read::Absent,
        Err(e) => Read::Unreadable(e.to_string()),
    }
}

/// Replaces the seal atomically: a temporary file written and fsynced,
/// renamed over the old one, then the folder fsynced.
pub fn write(base: &Path, seal: &Seal, names: &[&str]) -> std::io::Result<()> {
    let tmp = base.join(TMP);
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o.open(&tmp)?;
    f.write_all(seal.to_text(names).as_bytes())?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path(base))?;
    sync_dir(base)
}

/// fsync of a folder: the names it holds (a rename) survive a power cut.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 2] = ["a", "b"];

    #[test]
    fn text_round_trip_and_any_changed_byte_is_refused() {
        let mut seal = Seal::empty(2);
        seal.seq = 1234;
        seal.at = chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_opt(10, 1, 2);
        seal.who = "mdupont".into();
        seal.audit_hash = 0xdead_beef;
        seal.trees[1].add(1, b"k", b"v");
        let text = seal.to_text(&NAMES);
        assert_eq!(Seal::from_text(&text, &NAMES), Some(seal));
        let bytes = text.as_bytes();
        for i in 0..bytes.len() {
            let mut bad = bytes.to_vec();
            bad[i] ^= 0x04;
            if let Ok(t) = std::str::from_utf8(&bad) {
                assert!(Seal::from_text(t, &NAMES).is_none(), "byte {i}");
            }
        }
        assert!(Seal::from_text(&text[..text.len() - 3], &NAMES).is_none());
    }

    #[test]
    fn sums_update_incrementally_like_a_full_count() {
        let mut inc = TreeSum::default();
        inc.replace(3, b"k1", None, Some(b"v1"));
        inc.replace(3, b"k2", None, Some(b"v2"));
        inc.replace(3, b"k1", Some(b"v1"), Some(b"v1bis"));
        let mut full = TreeSum::default();
        full.add(3, b"k2", b"v2");
        full.add(3, b"k1", b"v1bis");
        assert_eq!(inc, full);
        // A stale value, another tree, a swapped key and value all differ.
        let mut stale = TreeSum::default();
        stale.add(3, b"k2", b"v2");
        stale.add(3, b"k1", b"v1");
        assert_ne!(stale, full);
        assert_ne!(entry_hash(3, b"k", b"v"), entry_hash(4, b"k", b"v"));
        assert_ne!(entry_hash(3, b"kv", b""), entry_hash(3, b"k", b"v"));
    }
}
