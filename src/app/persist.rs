//! Where a confirmed change goes before the screen says "Enregistré ✓".

use crate::domain::command::{Command, Context, Decided, Refusal, decide};
use crate::domain::{Dataset, LogEntry, Record, Reference};
use crate::store::{Change, Store};
use chrono::NaiveDateTime;
use std::cell::RefCell;

/// Where commands are decided and committed; `Ok` only once on disk.
pub trait Persist {
    /// Decides `cmd` (the domain's [`decide`]) and commits what it writes,
    /// with its audit entry, in one durable change. A base opened directly
    /// decides against `data`, the session's own; a shared one may decide
    /// against its own current data instead.
    fn execute(
        &self,
        data: &Dataset,
        ctx: Context<'_>,
        cmd: &Command,
        at: NaiveDateTime,
    ) -> Result<(u64, Decided), Refusal> {
        let decided = decide(data, ctx, cmd)?;
        let change = Change {
            who: ctx.actor.name.clone(),
            at,
            summary: decided.summary.clone(),
            records: decided.records.clone(),
        };
        let seq = self
            .commit(&change)
            .map_err(|e| Refusal::new(format!("Non enregistré : {e}")))?;
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
    pub changes: RefCell<Vec<Change>>,
    /// Reads put in the audit trail (`who`, what).
    pub reads: RefCell<Vec<(String, String)>>,
    pub fail_with: RefCell<Option<String>>,
}

impl MemoryPersist {
    pub fn summaries(&self) -> Vec<String> {
        self.changes
            .borrow()
            .iter()
            .map(|c| c.summary.clone())
            .collect()
    }
    pub fn last_records(&self) -> Vec<Record> {
        self.changes
            .borrow()
            .last()
            .map(|c| c.records.clone())
            .unwrap_or_default()
    }
}

impl Persist for MemoryPersist {
    fn audit_read(&self, who: &str, _at: NaiveDateTime, what: &str) -> Result<u64, String> {
        let mut v = self.reads.borrow_mut();
        v.push((who.to_string(), what.to_string()));
        Ok(v.len() as u64)
    }
    fn commit(&self, change: &Change) -> Result<u64, String> {
        if let Some(e) = self.fail_with.borrow().clone() {
            return Err(e);
        }
        let mut v = self.changes.borrow_mut();
        v.push(change.clone());
        Ok(v.len() as u64)
    }
}

impl<P: Persist + ?Sized> Persist for std::rc::Rc<P> {
    fn execute(
        &self,
        data: &Dataset,
        ctx: Context<'_>,
        cmd: &Command,
        at: NaiveDateTime,
    ) -> Result<(u64, Decided), Refusal> {
        (**self).execute(data, ctx, cmd, at)
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
