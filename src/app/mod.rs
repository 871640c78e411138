//! The Elm architecture: [`Model`] (all the state of one session), [`Msg`]
//! (what happened), [`update`] (the only place the state changes). The view
//! (`crate::ui::view`) reads the model and nothing else.

pub mod cache;
mod command;
pub mod documents;
pub mod form;
pub mod gts;
mod household;
pub mod hub;
pub mod persist;
pub mod prefs;
pub mod refdata;
mod referral_form;
pub mod sample;
pub mod seance;
pub mod stats;
pub mod text;
mod triage;
mod update;

pub use cache::Derived;
pub use command::Executed;
pub use form::{Field, FieldValue, Form, FormPurpose};
pub use household::{chosen_entry as household_chosen_entry, chronology as household_chronology};
pub use persist::{MemoryPersist, Persist};
pub use update::{
    active_mode, open_household, own_alerts, update, visible_alerts, visible_measures,
    visible_waiting,
};

use crate::domain::{Dataset, HouseholdId, Record, Reference, SectorId, WorkerId};
use crate::keymap::{Action, Keymap, KeymapIssue};
use chrono::{NaiveDate, NaiveDateTime};
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

/// Per-session display choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiConfig {
    /// False when NO_COLOR is set: states are told by symbols and text.
    pub color: bool,
    /// False on terminals without Unicode: `URG`/`DIAG`, `>` instead of `▶`.
    pub unicode: bool,
    /// The user's keymap file merged over the defaults (None: defaults only).
    pub keymap_file: Option<std::path::PathBuf>,
    /// Messages to show at start-up (damaged records…), in French.
    pub notices: Vec<String>,
}

impl Default for UiConfig {
    fn default() -> Self {
        UiConfig {
            color: true,
            unicode: true,
            keymap_file: None,
            notices: Vec::new(),
        }
    }
}

impl UiConfig {
    /// NO_COLOR (any non-empty value) turns colours off; a locale without
    /// UTF-8 (LANG / LC_ALL / LC_CTYPE) turns Unicode marks off.
    pub fn from_env() -> UiConfig {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
            .unwrap_or_default()
            .to_ascii_lowercase();
        let unicode = locale.is_empty() || locale.contains("utf-8") || locale.contains("utf8");
        UiConfig {
            color: !no_color,
            unicode,
            keymap_file: crate::keymap::user_keymap_path(),
            notices: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Dashboard,
    Waiting,
    Measures,
    Household {
        household: HouseholdId,
        reference: Option<Reference>,
    },
    NewReferral,
    Alerts,
    /// The GTS calendar of a year.
    Gts,
    /// The agenda of one session.
    GtsAgenda {
        year: u16,
        month: u8,
    },
    /// The GTS meeting, live (projected).
    Seance,
    /// The GIP's reference data: sectors, workers, communes, GTS members.
    Refdata,
    /// The yearly statistics (R-STAT-1/2).
    Stats,
}

impl Screen {
    pub fn title(&self) -> &'static str {
        match self {
            Screen::Dashboard => "Tableau de bord",
            Screen::Waiting => "Listes d'attente",
            Screen::Measures => "Mesures en cours",
            Screen::Household { .. } => "Dossier",
            Screen::NewReferral => "Nouvelle commande",
            Screen::Alerts => "Alertes",
            Screen::Gts => "GTS",
            Screen::GtsAgenda { .. } => "Ordre du jour du GTS",
            Screen::Seance => "Séance du GTS",
            Screen::Refdata => "Référentiel",
            Screen::Stats => "Statistiques",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Saved,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub kind: StatusKind,
    pub text: String,
}

/// A line of a pick list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickItem {
    pub label: String,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickPurpose {
    StartWorker(Reference),
    MoveSector(Reference),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub title: String,
    pub items: Vec<PickItem>,
    /// What each item stands for (worker or sector id).
    pub values: Vec<u32>,
    pub cursor: usize,
    pub purpose: PickPurpose,
    pub note: Option<String>,
}

/// What a "yes" does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    StartOverCapacity {
        reference: Reference,
        worker: WorkerId,
        sector: SectorId,
    },
    ToggleProtection(HouseholdId),
    /// R-GTS-5: every reply is in before the reply time has run.
    SendFinalEarly {
        year: u16,
        month: u8,
    },
    /// R-GTS-1: a session moved to a Saturday, a Sunday or a holiday; the
    /// move form waits in the stash.
    MoveSessionAnyway {
        year: u16,
        month: u8,
        date: chrono::NaiveDate,
    },
    Quit,
    DiscardReferralForm,
    DiscardOverlay,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub title: String,
    pub message: String,
    pub on_yes: Pending,
}

/// The bilan editor.
#[derive(Debug, Clone)]
pub struct Editor {
    pub reference: Reference,
    pub textarea: TextArea<'static>,
    pub original: String,
    pub error: Option<String>,
}

impl Editor {
    pub fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }
    pub fn dirty(&self) -> bool {
        self.text() != self.original
    }
}

/// Where the help box is scrolled to. How tall the box is is known only
/// when it is drawn: the view records the furthest scroll that still
/// fills the box and the box's height (as ratatui's list state records its
/// offset while rendering), and the keys stop there: the help stops at its
/// last line, whatever the terminal's size.
#[derive(Debug, Clone, Default)]
pub struct HelpScroll {
    pub offset: u16,
    /// `(furthest offset, page height)` of the last frame; None before.
    pub drawn: std::cell::Cell<Option<(u16, u16)>>,
}

impl HelpScroll {
    /// The offset after `a` (up, down, a page, top, bottom).
    pub fn moved(&self, a: Action) -> u16 {
        let (max, page) = self.drawn.get().unwrap_or((u16::MAX, 10));
        let at = self.offset.min(max);
        let page = page.saturating_sub(1).max(1);
        match a {
            Action::Down => at.saturating_add(1).min(max),
            Action::Up => at.saturating_sub(1),
            Action::PageDown => at.saturating_add(page).min(max),
            Action::PageUp => at.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => max,
            _ => at,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Overlay {
    Help(HelpScroll),
    Pick(Pick),
    Confirm(Confirm),
    Form(Form),
    Editor(Box<Editor>),
    /// Start-up messages (keymap problems, damaged records).
    Message {
        title: String,
        lines: Vec<String>,
    },
}

/// The last triage action, for `u`: the records as they were before, and
/// as the action left them (undo only if nobody changed them since).
#[derive(Debug, Clone, PartialEq)]
pub struct UndoEntry {
    pub label: String,
    /// Where it was done: `u` undoes it there only.
    pub screen: Screen,
    pub before: Vec<Record>,
    pub after: Vec<Record>,
}

/// Everything a session shows and remembers.
pub struct Model {
    /// The data shown, shared with every other session of the base (see
    /// [`hub`]): never copied per session.
    pub data: std::sync::Arc<Dataset>,
    pub derived: std::sync::Arc<Derived>,
    /// The commit the data is as of (see [`hub::Snapshot`]).
    pub seq: u64,
    /// The commit the screen showed when the open form or editor was
    /// opened: a save is refused if someone changed its records since.
    pub edit_base: Option<u64>,
    /// The log of the measure whose file is open, read from the store when
    /// its log was left there (the shared data is not touched).
    pub open_log: Option<(Reference, Vec<crate::domain::LogEntry>)>,
    pub today: NaiveDate,
    /// Clock for the audit's timestamps (fixed in tests).
    pub now: fn() -> NaiveDateTime,
    pub who: String,
    /// What `who` may do (a base opened directly: its owner, the GIP).
    pub role: crate::domain::command::Role,
    pub config: UiConfig,
    pub keymap: Keymap,
    pub persist: Box<dyn Persist>,

    pub screen: Screen,
    pub back: Vec<Screen>,
    /// The sector shown on the waiting-list and measures screens.
    pub sector: SectorId,
    pub dashboard_cursor: usize,
    pub waiting_cursor: usize,
    pub measures_cursor: usize,
    pub alerts_cursor: usize,
    pub household_scroll: usize,
    /// The chronology's chosen entry (0: the newest), for `e` (correct).
    pub household_entry: Option<usize>,
    pub measures_worker: Option<WorkerId>,
    pub alerts_sector: Option<SectorId>,
    pub alerts_worker: Option<WorkerId>,
    pub filter: String,
    pub filter_editing: bool,

    pub overlay: Option<Overlay>,
    /// An overlay put aside while a confirmation is asked about it.
    pub stash: Option<Box<Overlay>>,
    /// The new-referral form, kept while its screen is open.
    pub referral_form: Option<Form>,
    pub status: Option<Status>,
    pub undo: Option<UndoEntry>,
    /// The household file whose opening is in the audit trail (a read).
    pub audited_file: Option<HouseholdId>,
    pub quit: bool,
    /// The GTS screens' state (year shown, cursors, documents folder).
    pub gts: gts::GtsState,
    /// The statistics screen's year and figures.
    pub stats: stats::StatsState,
    /// The GTS meeting, while its screen is open.
    pub seance: Option<Box<seance::Seance>>,
    /// Projector theme and privacy switch (kept in `prefs.toml`).
    pub prefs: prefs::Prefs,
    /// Where the preferences are saved (None: not saved, as in tests).
    pub prefs_dir: Option<std::path::PathBuf>,
    /// The « Référentiel » screen's part and cursors.
    pub refdata: refdata::RefState,
}

/// What happened.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Action(Action),
    /// Text pasted (bracketed paste): inserted whole into what has the
    /// focus, in one update and so one redraw.
    Paste(String),
    /// The terminal asks us to stop (SIGTERM, SIGHUP).
    Terminate,
    /// A second passed with no key: the meeting's clock is redrawn.
    Tick,
    /// Another session changed the base: take its data.
    Refresh,
}

fn system_now() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

impl Model {
    pub fn new(
        data: Dataset,
        persist: Box<dyn Persist>,
        today: NaiveDate,
        who: String,
        config: UiConfig,
        keymap: Keymap,
    ) -> Model {
        let derived = std::sync::Arc::new(Derived::compute(&data, today));
        let sector = data.sectors.keys().next().copied().unwrap_or_default();
        Model {
            data: std::sync::Arc::new(data),
            derived,
            seq: 0,
            edit_base: None,
            open_log: None,
            today,
            now: system_now,
            who,
            role: crate::domain::command::Role::GipAdmin,
            config,
            keymap,
            persist,
            screen: Screen::Dashboard,
            back: Vec::new(),
            sector,
            dashboard_cursor: 0,
            waiting_cursor: 0,
            measures_cursor: 0,
            alerts_cursor: 0,
            household_scroll: 0,
            household_entry: None,
            measures_worker: None,
            alerts_sector: None,
            alerts_worker: None,
            filter: String::new(),
            filter_editing: false,
            overlay: None,
            stash: None,
            referral_form: None,
            status: None,
            undo: None,
            audited_file: None,
            quit: false,
            gts: gts::GtsState::new(today),
            stats: stats::StatsState::new(today),
            seance: None,
            prefs: prefs::Prefs::default(),
            prefs_dir: None,
            refdata: refdata::RefState::default(),
        }
    }

    pub fn stash_take(&mut self) -> Option<Overlay> {
        self.stash.take().map(|b| *b)
    }

    /// Shows start-up problems (keymap lines, damaged records) in a box.
    pub fn show_issues(&mut self, issues: &[KeymapIssue], others: &[String]) {
        let mut lines: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
        lines.extend(others.iter().cloned());
        if !lines.is_empty() {
            self.overlay = Some(Overlay::Message {
                title: "Au démarrage".into(),
                lines,
            });
        }
    }

    /// Recomputes the cached views after the data changed.
    pub fn refresh(&mut self) {
        self.derived = std::sync::Arc::new(Derived::compute(&self.data, self.today));
        self.stats.clear();
    }

    /// The data to change in place (tests, the demo): copied first if
    /// another session shares it.
    pub fn data_mut(&mut self) -> &mut Dataset {
        std::sync::Arc::make_mut(&mut self.data)
    }

    /// Takes a shared base's newer data, if there is one (another session
    /// committed): the screens show it at the next frame.
    pub fn sync(&mut self) -> bool {
        match self.persist.snapshot() {
            Some(s) if s.seq != self.seq || s.today != self.today => {
                self.adopt(s);
                true
            }
            _ => false,
        }
    }

    /// Shows `s` from now on. The rows under the cursors stay under them
    /// (another person's change may add or remove rows above): a key
    /// pressed next acts on the household the person was looking at.
    pub fn adopt(&mut self, s: hub::Snapshot) {
        let waiting = visible_waiting(self).get(self.waiting_cursor).copied();
        let measure = visible_measures(self).get(self.measures_cursor).copied();
        self.data = s.data;
        self.derived = s.derived;
        self.seq = s.seq;
        self.today = s.today;
        if !self.data.sectors.contains_key(&self.sector) {
            self.sector = self.data.sectors.keys().next().copied().unwrap_or_default();
        }
        let keep = |list: Vec<Reference>, kept: Option<Reference>, cursor: &mut usize| match kept
            .and_then(|r| list.iter().position(|x| *x == r))
        {
            Some(p) => *cursor = p,
            None => *cursor = (*cursor).min(list.len().saturating_sub(1)),
        };
        keep(visible_waiting(self), waiting, &mut self.waiting_cursor);
        keep(visible_measures(self), measure, &mut self.measures_cursor);
        if let Some(se) = self.seance.as_mut() {
            let (y, mo) = (se.session.year, se.session.month);
            se.session = crate::domain::agenda::meeting_session(&self.data, y, mo, self.today);
        }
    }

    pub fn sector_ids(&self) -> Vec<SectorId> {
        self.data.sectors.keys().copied().collect()
    }

    /// The sectors whose households this session may see (a worker: its
    /// own; everyone else: all).
    pub fn visible_sectors(&self) -> Vec<SectorId> {
        match self.actor().sectors(&self.data) {
            Some(own) => self
                .sector_ids()
                .into_iter()
                .filter(|s| own.contains(s))
                .collect(),
            None => self.sector_ids(),
        }
    }

    /// Whether this session may see the households of `sector`.
    pub fn sees_sector(&self, sector: SectorId) -> bool {
        self.actor().sees_sector(&self.data, sector)
    }

    pub fn set_status(&mut self, kind: StatusKind, text: impl Into<String>) {
        self.status = Some(Status {
            kind,
            text: text.into(),
        });
    }

    /// `Cognac 25/30`.
    pub fn sector_load_label(&self, sector: SectorId) -> String {
        match self.derived.load(sector) {
            Some(l) => format!(
                "{} {}/{}",
                self.data.sector_name(sector),
                l.load,
                l.capacity
            ),
            None => self.data.sector_name(sector).to_string(),
        }
    }

    /// Text of an unsaved form or editor, for a draft on SIGTERM/SIGHUP.
    pub fn draft(&self) -> Option<String> {
        let form_text = |f: &Form| {
            let mut s = format!("{}\n", f.title);
            for fl in &f.fields {
                s.push_str(&format!("{} : {}\n", fl.label, fl.display(false)));
            }
            s
        };
        let mut out = String::new();
        if let Some(f) = &self.referral_form
            && f.dirty
        {
            out.push_str(&form_text(f));
        }
        match &self.overlay {
            Some(Overlay::Form(f)) if f.dirty => out.push_str(&form_text(f)),
            Some(Overlay::Editor(e)) if e.dirty() => out.push_str(&format!(
                "Bilan de la mesure {}\n{}\n",
                e.reference,
                e.text()
            )),
            _ => {}
        }
        if let Some(t) = self.seance.as_ref().and_then(|s| s.typed()) {
            out.push_str(&t);
        }
        (!out.is_empty()).then_some(out)
    }

    /// True when leaving would lose typed text.
    pub fn has_unsaved(&self) -> bool {
        self.draft().is_some()
    }
}
