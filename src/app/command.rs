//! The one place a change is committed. A screen asks for a [`Command`];
//! the domain decides what it writes (and whether this person may ask for
//! it); the [`Persist`] behind the model commits it durably; only then is
//! it applied to what the screens show.

use super::Model;
use crate::domain::Dataset;
use crate::domain::command::{Actor, Command, Context, Refusal};

/// A command that went through: its audit sentence and commit number.
#[derive(Debug, Clone, PartialEq)]
pub struct Executed {
    pub summary: String,
    pub seq: u64,
    /// What was written, as written (references given by the domain).
    pub records: Vec<crate::domain::Record>,
}

impl Model {
    /// Who is acting in this session.
    pub fn actor(&self) -> Actor {
        Actor {
            name: self.who.clone(),
            role: self.role.clone(),
        }
    }

    /// Executes `cmd`: decided by the domain, committed durably, then applied
    /// to the model's data. Nothing changes when it is refused or when the
    /// commit fails (the refusal then says « Non enregistré : … »).
    pub fn execute(&mut self, cmd: Command) -> Result<Executed, Refusal> {
        let actor = self.actor();
        let ctx = Context {
            today: self.today,
            actor: &actor,
        };
        let base = self.edit_base.unwrap_or(self.seq);
        let at = (self.now)();
        let shared = self.persist.snapshot().is_some();
        if shared {
            // Let go of the old version first, so that a base shown by one
            // session alone is changed in place, not copied.
            self.data = std::sync::Arc::default();
            let result = self
                .persist
                .execute(&Dataset::default(), base, ctx, &cmd, at);
            self.sync_now();
            let (seq, decided) = result?;
            return Ok(Executed {
                summary: decided.summary,
                seq,
                records: decided.records,
            });
        }
        let (seq, decided) = self.persist.execute(&self.data, base, ctx, &cmd, at)?;
        let data = self.data_mut();
        for r in &decided.records {
            data.apply(r.clone());
        }
        self.seq = seq;
        self.refresh();
        Ok(Executed {
            summary: decided.summary,
            seq,
            records: decided.records,
        })
    }
}

impl Model {
    /// Takes the shared base's current data, whatever its number.
    fn sync_now(&mut self) {
        if let Some(s) = self.persist.snapshot() {
            self.adopt(s);
        }
    }
}
