//! Where a confirmed change goes before the screen says "Enregistré ✓".

use crate::domain::command::{Command, Context, Decided, Refusal, decide};
use crate::domain::{Dataset, LogEntry, Record, Reference};
use crate::store::{Change, Store};
use chrono::NaiveDateTime;
use std::sync::{Arc, Mutex};

/// Where commands are decided and committed; `Ok` only once on disk.
pub trait Persist: Send {
    /// Decides `cmd` (the domain's [`decide`]) and commits what it writes,
    /// with its audit entry, in one durable change. A base opened directly
    /// decides against `data`, the session's own; a shared one may decide
    /// against its own current data instead.
    ///
    /// `base` is the commit the person's screen showed when they began (a
    /// shared base refuses to overwrite what someone else changed since).
    fn execute(
        &self,
        data: &Dataset,
        base: u64,
        ctx: Context<'_>,
        cmd: &Command,
        at: NaiveDateTime,
    ) -> Result<(u64, Decided), Refusal> {
        let _ = base;
        let decided = decide(data, ctx, cmd)?;
        let seq = self
            .commit(&change_of(ctx, at, &decided))
            .map_err(not_saved)?;
        Ok((seq, decided))
    }
    /// Commits one change durably (no rule is checked here: use `execute`).
    fn commit(&self, change: &Change) -> Result<u64, String>;
    /// Puts a read of personal data (a file opened, an export) in the audit
    /// trail: an entry that writes no record.
    fn audit_read(&self, who: &str, at: NaiveDateTime, what: &str) -> Result<u64, String> {
        self.commit(&Change {
            who: who.to_string(),
            at,
            summary: what.to_string(),
            records: Vec::new(),
        })
    }
    /// A measure's log, left on disk until its file is opened. Stores that
    /// keep everything in memory never need it.
    fn load_log(&self, reference: Reference) -> Result<Vec<LogEntry>, String> {
        Err(format!("journal de la mesure {reference} introuvable"))
    }
    /// A shared base's current data; `None` when the session's own data is
    /// the base's (it then applies what it commits itself).
    fn snapshot(&self) -> Option<super::hub::Snapshot> {
        None
    }
}

/// The durable change a decided command makes: its records and its audit
/// entry (who, when, the sentence).
pub(crate) fn change_of(ctx: Context<'_>, at: NaiveDateTime, decided: &Decided) -> Change {
    Change {
        who: ctx.actor.name.clone(),
        at,
        summary: decided.summary.clone(),
        records: decided.records.clone(),
    }
}

/// A commit that failed, as the person reads it.
pub(crate) fn not_saved(e: impl std::fmt::Display) -> Refusal {
    Refusal::new(format!("Non enregistré : {e}"))
}

impl Persist for Store {
    fn commit(&self, change: &Change) -> Result<u64, String> {
        Store::commit(self, change).map_err(|e| e.to_string())
    }
    fn load_log(&self, reference: Reference) -> Result<Vec<LogEntry>, String> {
        Store::load_log(self, reference).map_err(|e| e.to_string())
    }
}

/// In-memory persistence for tests: keeps every change, can be told to fail.
#[derive(Debug, Default)]
pub struct MemoryPersist {
    pub changes: Mutex<Vec<Change>>,
    /// Reads put in the audit trail (`who`, what).
    pub reads: Mutex<Vec<(String, String)>>,
    pub fail_with: Mutex<Option<String>>,
}

impl MemoryPersist {
    pub fn summaries(&self) -> Vec<String> {
        self.changes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|c| c.summary.clone())
            .collect()
    }
    pub fn last_records(&self) -> Vec<Record> {
        self.changes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .last()
            .map(|c| c.records.clone())
            .unwrap_or_default()
    }
}

impl Persist for MemoryPersist {
    fn audit_read(&self, who: &str, _at: NaiveDateTime, what: &str) -> Result<u64, String> {
        let mut v = self.reads.lock().unwrap_or_else(|p| p.into_inner());
        v.push((who.to_string(), what.to_string()));
        Ok(v.len() as u64)
    }
    fn commit(&self, change: &Change) -> Result<u64, String> {
        if let Some(e) = self
            .fail_with
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
        {
            return Err(e);
        }
        let mut v = self.changes.lock().unwrap_or_else(|p| p.into_inner());
        v.push(change.clone());
        Ok(v.len() as u64)
    }
}

impl<P: Persist + Sync + ?Sized> Persist for Arc<P> {
    fn execute(
        &self,
        data: &Dataset,
        base: u64,
        ctx: Context<'_>,
        cmd: &Command,
        at: NaiveDateTime,
    ) -> Result<(u64, Decided), Refusal> {
        (**self).execute(data, base, ctx, cmd, at)
    }
    fn snapshot(&self) -> Option<super::hub::Snapshot> {
        (**self).snapshot()
    }
    fn audit_read(&self, who: &str, at: NaiveDateTime, what: &str) -> Result<u64, String> {
        (**self).audit_read(who, at, what)
    }
    fn commit(&self, change: &Change) -> Result<u64, String> {
        (**self).commit(change)
    }
    fn load_log(&self, reference: Reference) -> Result<Vec<LogEntry>, String> {
        (**self).load_log(reference)
    }
}
