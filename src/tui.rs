//! The terminal: set-up, the event loop against any ratatui `Backend`, and
//! restoration on exit, panic, SIGTERM and SIGHUP.

use crate::app::{Model, Msg, Persist, UiConfig, update};
use crate::domain::Dataset;
use crate::keymap::Keymap;
use crate::store::Store;
use crate::ui::view;
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event};
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Builds the model of one session: the keymap (defaults + the user's
/// file, its problems shown at start-up) and the cached views.
pub fn build_model(
    persist: Box<dyn Persist>,
    data: Dataset,
    today: NaiveDate,
    who: String,
    config: UiConfig,
) -> Model {
    let (keymap, issues) = Keymap::load(config.keymap_file.as_deref());
    let notices = config.notices.clone();
    let mut model = Model::new(data, persist, today, who, config, keymap);
    model.show_issues(&issues, &notices);
    // The meeting's projector theme and privacy switch survive a restart.
    model.prefs_dir = crate::app::prefs::config_dir();
    if let Some(dir) = &model.prefs_dir {
        model.prefs = crate::app::prefs::load(dir);
    }
    model
}

/// The main loop: draw, wait for a key (or a stop signal), update.
/// Returns when the user quits or `stop` is set.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    model: &mut Model,
    stop: &AtomicBool,
) -> io::Result<()>
where
    B::Error: Into<io::Error> + Send + Sync + 'static,
{
    loop {
        terminal.draw(|f| view(model, f)).map_err(Into::into)?;
        if model.quit {
            return Ok(());
        }
        // Wait for an event, checking the stop flag a few times a second.
        let mut idle = 0u32;
        let ev = loop {
            if stop.load(Ordering::Relaxed) {
                update(model, Msg::Terminate);
                return Ok(());
            }
            if event::poll(Duration::from_millis(200))? {
                break Some(event::read()?);
            }
            // The meeting's clock: a redraw every second.
            idle += 1;
            if idle >= 5 && model.screen == crate::app::Screen::Seance {
                break None;
            }
        };
        let mut msg = match ev {
            Some(Event::Key(k)) => Some(Msg::Key(k)),
            None => Some(Msg::Tick),
            _ => None, // resize: the next draw uses the new size
        };
        while let Some(m) = msg {
            msg = update(model, m);
        }
    }
}

/// Where drafts are written when the session is cut (SIGTERM, SIGHUP).
pub fn drafts_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("fr", "GIP Charente", "assll")
        .map(|d| d.data_local_dir().join("brouillons"))
}

/// Writes the text of an open, unsaved form as a draft file; returns its path.
pub fn save_draft(model: &Model) -> Option<PathBuf> {
    let text = model.draft()?;
    let dir = drafts_dir()?;
    std::fs::create_dir_all(&dir).ok()?;
    let name = format!(
        "brouillon-{}-{}.txt",
        (model.now)().format("%Y%m%d-%H%M%S"),
        model.who
    );
    let path = dir.join(name);
    std::fs::write(&path, text).ok()?;
    Some(path)
}

/// `assll` and `assll --demo` open this: the full-screen application on
/// the data loaded from `store`, every confirmed change committed to it.
pub fn run(
    store: Store,
    data: Dataset,
    today: NaiveDate,
    who: String,
    config: UiConfig,
) -> io::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGTERM};
        signal_hook::flag::register(SIGTERM, Arc::clone(&stop))?;
        signal_hook::flag::register(SIGHUP, Arc::clone(&stop))?;
    }
    // One session on the base: the hub still decides and commits (the same
    // path as when several staff share it through `assll serve`).
    let hub = Arc::new(crate::app::hub::Hub::new(store, data, today));
    let snapshot = hub.snapshot();
    let mut model = build_model(
        Box::new(crate::app::hub::HubClient { hub }),
        Dataset::default(),
        today,
        who,
        config,
    );
    model.adopt(snapshot);
    // ratatui::init: raw mode, alternate screen, and a panic hook that
    // restores the terminal before the panic message is printed.
    let mut terminal = ratatui::try_init()?;
    let result = run_loop(&mut terminal, &mut model, &stop);
    ratatui::restore();
    // Every confirmed change is already committed; only typed, unconfirmed
    // text can be lost: keep it as a draft when the session was cut.
    // (A dropped SSH link may show as a read error before SIGHUP arrives.)
    if (stop.load(Ordering::Relaxed) || result.is_err())
        && let Some(path) = save_draft(&model)
    {
        eprintln!(
            "Saisie non enregistrée gardée en brouillon : {}",
            path.display()
        );
    }
    result
}

/// Loads `store` and runs the application on it; damaged records, if any,
/// are listed in a box at start-up (they are never dropped silently).
pub fn run_store(
    store: Store,
    today: NaiveDate,
    who: String,
    mut config: UiConfig,
) -> io::Result<()> {
    let loaded = store.load().map_err(|e| io::Error::other(e.to_string()))?;
    if !loaded.damaged.is_empty() {
        config.notices.push(format!(
            "{} enregistrement(s) illisible(s), laissé(s) de côté (voir `assll check`) :",
            loaded.damaged.len()
        ));
        config
            .notices
            .extend(loaded.damaged.iter().take(8).map(|d| format!("  {d}")));
    }
    config.notices.extend(drafts_notice());
    run(store, loaded.data, today, who, config)
}

/// Drafts kept from sessions that were cut (SIGHUP, SIGTERM): said at
/// start-up so that nothing typed is forgotten.
fn drafts_notice() -> Vec<String> {
    let Some(dir) = drafts_dir() else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect()
        })
        .unwrap_or_default();
    if files.is_empty() {
        return Vec::new();
    }
    files.sort();
    let mut out = vec![format!(
        "{} saisie(s) interrompue(s) gardée(s) en brouillon dans {} :",
        files.len(),
        dir.display()
    )];
    out.extend(files.iter().rev().take(5).map(|p| {
        format!(
            "  {}",
            p.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        )
    }));
    out.push("  (à reprendre puis à effacer ; ce message revient tant qu'il en reste)".to_string());
    out
}
