//! The terminal: set-up, the event loop against any ratatui `Backend`, and
//! restoration on exit, panic, signals (TERM, HUP, INT, QUIT; TSTP and
//! CONT) and a terminal that hangs up.

use crate::app::{Model, Msg, Persist, UiConfig, update};
use crate::domain::Dataset;
use crate::keymap::Keymap;
use crate::store::Store;
use crate::tty::{Input, Tty};
use crate::ui::view;
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event};
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

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

/// The signals a session answers, each a flag the loop checks (the
/// handlers only set them). Without a terminal (tests, benches) none is
/// ever set.
#[derive(Debug, Default, Clone)]
pub struct Signals {
    /// SIGTERM, SIGHUP, SIGINT, SIGQUIT, or the terminal hung up: the
    /// session ends, an open form kept as a draft.
    pub stop: Arc<AtomicBool>,
    /// SIGTSTP: give the terminal back, stop, and take it again on SIGCONT.
    pub suspend: Arc<AtomicBool>,
    /// SIGCONT: someone else may have written on the screen: redraw it all.
    pub resumed: Arc<AtomicBool>,
}

impl Signals {
    /// Installs the handlers (Unix); elsewhere, flags nothing sets.
    pub fn register() -> io::Result<Signals> {
        let s = Signals::default();
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
            // In raw mode Ctrl-C and Ctrl-\ are keys: SIGINT and SIGQUIT
            // come from `kill`, and end the session as SIGTERM does.
            for sig in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] {
                signal_hook::flag::register(sig, Arc::clone(&s.stop))?;
            }
            signal_hook::flag::register(SIGTSTP, Arc::clone(&s.suspend))?;
            signal_hook::flag::register(SIGCONT, Arc::clone(&s.resumed))?;
        }
        Ok(s)
    }
}

/// The main loop: draw, wait for a key (or a signal), update. Returns when
/// the user quits or the session is cut: `signals.stop` is then set (also
/// when the terminal hung up, or an event could not be read, so that the
/// caller keeps an open form as a draft exactly as on SIGHUP).
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    model: &mut Model,
    signals: &Signals,
) -> io::Result<()>
where
    B::Error: Into<io::Error> + Send + Sync + 'static,
{
    let tty = Tty::open().ok_or_else(|| io::Error::other("pas de terminal"))?;
    let cut = |model: &mut Model| {
        signals.stop.store(true, Ordering::Relaxed);
        update(model, Msg::Terminate);
        Ok(())
    };
    loop {
        if let Err(e) = terminal.draw(|f| view(model, f)) {
            if tty.wait(0) == Input::HungUp {
                return cut(model);
            }
            return Err(e.into());
        }
        if model.quit {
            return Ok(());
        }
        // Wait for an event. The flags are checked at least five times a
        // second; a signal cuts the wait short.
        let waiting_since = Instant::now();
        let ev = loop {
            if signals.stop.load(Ordering::Relaxed) {
                update(model, Msg::Terminate);
                return Ok(());
            }
            if signals.suspend.swap(false, Ordering::Relaxed) {
                suspend(terminal)?;
                break None;
            }
            if signals.resumed.swap(false, Ordering::Relaxed) {
                redraw_all(terminal)?;
                break None;
            }
            // Only ask crossterm when the terminal is known to be alive
            // (it may hold events already read: a paste, several keys).
            if tty.wait(0) == Input::HungUp {
                return cut(model);
            }
            match event::poll(Duration::ZERO) {
                Ok(true) => match event::read() {
                    Ok(ev) => break Some(ev),
                    Err(_) => return cut(model),
                },
                Ok(false) => {}
                Err(_) => return cut(model),
            }
            if tty.wait(200) == Input::HungUp {
                return cut(model);
            }
            // The meeting's clock: a redraw every second.
            if model.screen == crate::app::Screen::Seance
                && waiting_since.elapsed() >= Duration::from_secs(1)
            {
                break None;
            }
        };
        let mut msg = match ev {
            Some(Event::Key(k)) => Some(Msg::Key(k)),
            Some(Event::Paste(text)) => Some(Msg::Paste(text)),
            None => Some(Msg::Tick),
            _ => None, // resize: the next draw uses the new size
        };
        while let Some(m) = msg {
            msg = update(model, m);
        }
    }
}

/// SIGTSTP (`kill -TSTP`; in raw mode Ctrl-Z is a key): gives the terminal
/// back as it was (main screen, cursor, line mode), really stops, and on
/// SIGCONT takes it again and redraws everything.
fn suspend<B: Backend>(terminal: &mut Terminal<B>) -> io::Result<()>
where
    B::Error: Into<io::Error> + Send + Sync + 'static,
{
    use ratatui::crossterm::{cursor, execute, terminal as term};
    let _ = terminal.show_cursor();
    paste_off();
    let _ = ratatui::try_restore();
    #[cfg(unix)]
    signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP)?;
    // Here again after SIGCONT.
    term::enable_raw_mode()?;
    execute!(io::stdout(), term::EnterAlternateScreen, cursor::Hide)?;
    paste_on()?;
    redraw_all(terminal)
}

/// Bracketed paste: the terminal sends a paste as one event
/// (`Event::Paste`) instead of typing it, so a line break in it is not
/// Enter (which would save a form half filled) and the screen is drawn once.
fn paste_on() -> io::Result<()> {
    ratatui::crossterm::execute!(io::stdout(), event::EnableBracketedPaste)
}

/// Gives the shell a terminal without bracketed paste. Never fails: the
/// terminal may be gone.
fn paste_off() {
    let _ = ratatui::crossterm::execute!(io::stdout(), event::DisableBracketedPaste);
}

/// After `ratatui::try_init`'s own hook: a panic also turns bracketed
/// paste off before the message is printed.
fn paste_off_on_panic() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            paste_off();
            previous(info);
        }));
    });
}

/// Blanks the screen and makes the next draw write every cell.
/// (`Terminal::clear` would do it too, but it first asks the terminal where
/// its cursor is and waits for the answer: a slow link, or a terminal that
/// does not answer, turns that into an error.)
fn redraw_all<B: Backend>(terminal: &mut Terminal<B>) -> io::Result<()>
where
    B::Error: Into<io::Error> + Send + Sync + 'static,
{
    terminal
        .backend_mut()
        .clear_region(ratatui::backend::ClearType::All)
        .map_err(Into::into)?;
    // Both buffers are now blank, as the screen is: the diff is everything.
    terminal.swap_buffers();
    Ok(())
}

/// Where drafts are written when the session is cut (SIGTERM, SIGHUP).
pub fn drafts_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("fr", "GIP Charente", "assll")
        .map(|d| d.data_local_dir().join("brouillons"))
}

/// Writes the text of an open, unsaved form as a draft file (0600, in a
/// folder created 0700); returns its path.
pub fn save_draft(model: &Model) -> Option<PathBuf> {
    let text = model.draft()?;
    let dir = drafts_dir()?;
    crate::private::create_dir(&dir).ok()?;
    let name = format!(
        "brouillon-{}-{}.txt",
        (model.now)().format("%Y%m%d-%H%M%S"),
        file_safe(&model.who)
    );
    let path = dir.join(name);
    crate::private::write(&path, text.as_bytes()).ok()?;
    Some(path)
}

/// `who` as part of a file name: letters, digits, `.`, `-`, `_`; anything
/// else (a space in `uid 1234`, a `/`) becomes `_`.
fn file_safe(who: &str) -> String {
    who.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
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
    let signals = Signals::register()?;
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
    paste_off_on_panic();
    let result = paste_on().and_then(|()| run_loop(&mut terminal, &mut model, &signals));
    // The terminal may be gone (hang-up): nothing here may fail on it, nor
    // print with `eprintln!`, which panics when stderr cannot be written.
    let _ = terminal.show_cursor();
    paste_off();
    let _ = ratatui::try_restore();
    // Every confirmed change is already committed; only typed, unconfirmed
    // text can be lost: keep it as a draft when the session was cut.
    if (signals.stop.load(Ordering::Relaxed) || result.is_err())
        && let Some(path) = save_draft(&model)
    {
        use std::io::Write;
        let _ = writeln!(
            io::stderr(),
            "Saisie non enregistrée gardée en brouillon : {}",
            path.display()
        );
    }
    // Its drop would print (and so panic) if the cursor cannot be shown.
    std::mem::forget(terminal);
    // The store goes with the model: sled's lock is released.
    drop(model);
    result
}

/// Runs the application on `store` as `loaded` from it; damaged records, if any,
/// are listed in a box at start-up (they are never dropped silently).
pub fn run_store(
    store: Store,
    loaded: crate::store::Loaded,
    today: NaiveDate,
    who: String,
    mut config: UiConfig,
) -> io::Result<()> {
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
