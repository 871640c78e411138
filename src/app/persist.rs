//! Where a confirmed change goes before the screen says "Enregistré ✓".

use crate::domain::Record;
use crate::store::{Change, Store};
use std::cell::RefCell;

/// Durable commit of one change; `Ok` only once it is on disk.
pub trait Persist {
    fn commit(&self, change: &Change) -> Result<u64, String>;
}

impl Persist for Store {
    fn commit(&self, change: &Change) -> Result<u64, String> {
        Store::commit(self, change).map_err(|e| e.to_string())
    }
}

/// In-memory persistence for tests: keeps every change, can be told to fail.
#[derive(Debug, Default)]
pub struct MemoryPersist {
    pub changes: RefCell<Vec<Change>>,
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
    fn commit(&self, change: &Change) -> Result<u64, String> {
        (**self).commit(change)
    }
}
