//! The hub: the one copy of the data that every session of a base shows,
//! and the one place its changes are decided and committed.
//!
//! A session holds a [`Snapshot`] (shared pointers, no copy of its own);
//! a command is decided against the hub's current data (never against what
//! a screen last showed), committed to the store with its audit entry, then
//! the hub's data moves on and every other session is woken to take the new
//! snapshot. The data is copied on write, and only while some session still
//! shows the previous version: a base opened by one person is never copied,
//! and a shared one only along the paths a commit changes (its large tables
//! are persistent maps, [`crate::domain::Map`]). The derived views follow
//! the records a commit writes ([`Derived::after`]).

use super::Derived;
use super::persist::{Persist, change_of, not_saved};
use crate::domain::command::{Command, Context, Decided, Refusal, decide};
use crate::domain::{Dataset, LogEntry, Record, Reference};
use crate::store::{Change, Store};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// The data as of one commit, shared by every session that shows it.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub data: Arc<Dataset>,
    pub derived: Arc<Derived>,
    /// The audit number of the last change it includes (0: as loaded).
    pub seq: u64,
    /// The date its views (alerts, countdowns) were computed for.
    pub today: NaiveDate,
}

/// Who last changed a record, and in which commit.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LastChange {
    seq: u64,
    who: String,
    at: NaiveDateTime,
}

/// What only the one committing holds.
#[derive(Default)]
struct Writer {
    /// Per record (its audit name, `mesure 2026-0042`), the last change
    /// made through this hub.
    last: HashMap<String, LastChange>,
}

type Wake = Box<dyn Fn() -> bool + Send + Sync>;

/// See the module's documentation.
///
/// Two locks: `writer` is held for a whole commit (one at a time), while
/// `published` is held only to read or swap the current snapshot, so that
/// no session waits for someone else's commit to draw or to refresh.
pub struct Hub {
    store: Store,
    writer: Mutex<Writer>,
    published: Mutex<Snapshot>,
    /// Called after each commit; a waker that answers false is dropped
    /// (its session has ended).
    wakers: Mutex<Vec<Wake>>,
}

impl Hub {
    pub fn new(store: Store, data: Dataset, today: NaiveDate) -> Hub {
        let derived = Arc::new(Derived::compute(&data, today));
        Hub {
            store,
            writer: Mutex::new(Writer::default()),
            published: Mutex::new(Snapshot {
                data: Arc::new(data),
                derived,
                seq: 0,
                today,
            }),
            wakers: Mutex::new(Vec::new()),
        }
    }

    // A session that panicked mid-command never left either half written
    // (the snapshot is replaced whole): the locks can be taken back.
    fn writer(&self) -> MutexGuard<'_, Writer> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }
    fn published(&self) -> MutexGuard<'_, Snapshot> {
        self.published.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The data as it is now.
    pub fn snapshot(&self) -> Snapshot {
        self.published().clone()
    }

    pub fn today(&self) -> NaiveDate {
        self.published().today
    }

    /// A server runs for days: from midnight on, the views are those of the
    /// new day (alerts, countdowns), for every session.
    pub fn roll_date(&self, today: NaiveDate) {
        if self.published().today == today {
            return;
        }
        let _w = self.writer();
        let mut s = self.snapshot();
        if s.today == today {
            return;
        }
        s.derived = Arc::new(Derived::compute(&s.data, today));
        s.today = today;
        *self.published() = s;
        self.wake_all();
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Runs `f` on the store while no change can be committed (a whole
    /// export reads a consistent base while sessions go on).
    pub fn quiet<T>(&self, f: impl FnOnce(&Store) -> T) -> T {
        let _w = self.writer();
        f(&self.store)
    }

    /// `wake` is called after every commit, from the committing thread; it
    /// must not block (send on a channel). Returning false unsubscribes.
    pub fn subscribe(&self, wake: impl Fn() -> bool + Send + Sync + 'static) {
        self.wakers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Box::new(wake));
    }

    fn wake_all(&self) {
        self.wakers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|w| w());
    }

    /// Decides `cmd` against the current data, refuses it when a record it
    /// writes was changed by someone else after `base` (the commit the
    /// person's screen showed when they began), commits it, moves the data
    /// on and wakes every session.
    pub fn execute(
        &self,
        ctx: Context<'_>,
        cmd: &Command,
        at: NaiveDateTime,
        base: u64,
    ) -> Result<(u64, Decided), Refusal> {
        let mut w = self.writer();
        let mut published = self.published();
        let today = published.today;
        if Arc::strong_count(&published.data) == 1 {
            // Nobody shows this version (one person on the base, whose
            // session let go of it): changed in place, not copied. Someone
            // opening a session meanwhile waits for the commit.
            let mut data = std::mem::take(&mut published.data);
            let result = self.commit_on(&mut w, &mut data, ctx, cmd, at, base);
            if let Ok((seq, decided, before)) = &result {
                published.derived = Arc::new(published.derived.after(
                    &data,
                    today,
                    before,
                    &decided.records,
                ));
                published.seq = *seq;
            }
            published.data = data;
            drop(published);
            drop(w);
            if result.is_ok() {
                self.wake_all();
            }
            return result.map(|(seq, decided, _)| (seq, decided));
        }
        // Others show it: the commit makes the next version (the large
        // tables are persistent maps: only the changed paths are copied),
        // and updates the views, without holding up anyone who draws or
        // refreshes. The writer lock keeps `published` at this version.
        let mut data = Arc::clone(&published.data);
        let views = Arc::clone(&published.derived);
        drop(published);
        let (seq, decided, before) = self.commit_on(&mut w, &mut data, ctx, cmd, at, base)?;
        let derived = Arc::new(views.after(&data, today, &before, &decided.records));
        *self.published() = Snapshot {
            data,
            derived,
            seq,
            today,
        };
        drop(w);
        self.wake_all();
        Ok((seq, decided))
    }

    fn commit_on(
        &self,
        st: &mut Writer,
        data: &mut Arc<Dataset>,
        ctx: Context<'_>,
        cmd: &Command,
        at: NaiveDateTime,
        base: u64,
    ) -> Result<(u64, Decided, Vec<Record>), Refusal> {
        // Appending to (or correcting) a measure's log needs the log: read it into the
        // hub's data first (what a file's opening reads, once for all).
        if let Some(reference) = &cmd.log_needed()
            && data
                .measures
                .get(reference)
                .is_some_and(|m| m.log_on_disk.is_some())
        {
            let events = self
                .store
                .load_log(*reference)
                .map_err(|e| Refusal::new(format!("Chronologie illisible : {e}")))?;
            if let Some(m) = Arc::make_mut(data).measures.get_mut(reference) {
                m.events = events;
                m.log_on_disk = None;
            }
        }
        let decided = decide(data, ctx, cmd)?;
        for r in &decided.records {
            let key = r.describe();
            if let Some(last) = st.last.get(&key)
                && last.seq > base
                && last.who != ctx.actor.name
            {
                return Err(Refusal::new(format!(
                    "Non enregistré : {key} a été modifié·e par {} à {} pendant votre saisie ; \
                     votre saisie est gardée, fermez puis rouvrez pour voir sa version",
                    last.who,
                    last.at.format("%H:%M:%S")
                )));
            }
        }
        let seq = self
            .store
            .commit(&change_of(ctx, at, &decided))
            .map_err(not_saved)?;
        let d = Arc::make_mut(data);
        // What the records were, for the views to follow the change.
        let before: Vec<Record> = decided
            .records
            .iter()
            .filter_map(|r| d.current(r))
            .collect();
        for r in &decided.records {
            d.apply(r.clone());
        }
        for r in &decided.records {
            st.last.insert(
                r.describe(),
                LastChange {
                    seq,
                    who: ctx.actor.name.clone(),
                    at,
                },
            );
        }
        Ok((seq, decided, before))
    }
}

/// A session's handle on the hub: what the session's model commits through.
#[derive(Clone)]
pub struct HubClient {
    pub hub: Arc<Hub>,
}

impl Persist for HubClient {
    fn execute(
        &self,
        _data: &Dataset,
        base: u64,
        ctx: Context<'_>,
        cmd: &Command,
        at: NaiveDateTime,
    ) -> Result<(u64, Decided), Refusal> {
        self.hub.execute(ctx, cmd, at, base)
    }
    fn commit(&self, change: &Change) -> Result<u64, String> {
        self.hub.store.commit(change).map_err(|e| e.to_string())
    }
    fn load_log(&self, reference: Reference) -> Result<Vec<LogEntry>, String> {
        // The hub may hold it already (read for an entry logged since).
        if let Some(m) = self.hub.snapshot().data.measures.get(&reference)
            && m.log_on_disk.is_none()
        {
            return Ok(m.events.clone());
        }
        self.hub
            .store
            .load_log(reference)
            .map_err(|e| e.to_string())
    }
    fn snapshot(&self) -> Option<Snapshot> {
        Some(self.hub.snapshot())
    }
}
