//! Plain `assll` when a server runs: the user's terminal attached to a
//! session hosted by `assll serve`. The client draws nothing itself: it
//! forwards keys, pastes and resizes, and writes the server's bytes.

use super::wire::{Hello, PROTOCOL_VERSION, ToClient, ToServer};
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::style::{Attribute, SetAttribute};
use ratatui::crossterm::terminal::{
    self, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};
use std::io::{self, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

/// How long the server has to open the session.
const OPEN_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one write to the server may block.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// How an attached session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The server said goodbye (the user quit, or the server stops).
    Bye(String),
    /// The server would not open a session.
    Refused(String),
    /// The connection broke (server crash, garbage): the reason.
    Lost(String),
    /// The user's own terminal went away (SIGHUP, SIGTERM, read error).
    Hangup,
}

impl Ending {
    /// What to tell the user, in French (nothing after a hang-up).
    pub fn message(&self) -> Option<String> {
        match self {
            Ending::Bye(m) | Ending::Refused(m) => Some(m.clone()),
            Ending::Lost(why) => Some(format!("Connexion au serveur assll perdue : {why}")),
            Ending::Hangup => None,
        }
    }

    /// The process exit code: 0 goodbye or hang-up, 1 connection lost,
    /// 2 refused.
    pub fn exit_code(&self) -> u8 {
        match self {
            Ending::Bye(_) | Ending::Hangup => 0,
            Ending::Lost(_) => 1,
            Ending::Refused(_) => 2,
        }
    }
}

/// Attaches this terminal to the server listening on `socket`. `hello`
/// carries the colour and Unicode choices (see [`Hello::from_env`]); its
/// size is replaced by the terminal's. The terminal is restored on every
/// way out (panic included) before the French message is printed:
/// goodbye on stdout, anything else on stderr.
///
/// `Err` only when nothing was shown yet (no server answering, no terminal).
pub fn attach(socket: &Path, mut hello: Hello) -> io::Result<Ending> {
    let mut stream = UnixStream::connect(socket).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "Aucun serveur assll ne répond sur {} : {e}",
                socket.display()
            ),
        )
    })?;
    let (cols, rows) = terminal::size()?;
    hello.version = PROTOCOL_VERSION;
    hello.cols = cols;
    hello.rows = rows;
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    stream.set_read_timeout(Some(OPEN_TIMEOUT))?;
    ToServer::Hello(hello).write_to(&mut stream)?;

    // The first answer, before the terminal is touched: a refusal is
    // printed on the plain terminal.
    let first = match ToClient::read_from(&mut stream) {
        Ok(Some(ToClient::Frame(bytes))) => bytes,
        Ok(Some(ToClient::Refused(m))) => return Ok(finish(Ending::Refused(m))),
        Ok(Some(ToClient::Bye(m))) => return Ok(finish(Ending::Bye(m))),
        Ok(Some(ToClient::Output(_))) => {
            return Ok(finish(Ending::Lost("réponse inattendue du serveur".into())));
        }
        Ok(None) => return Ok(finish(Ending::Lost("le serveur a fermé".into()))),
        Err(e) => return Ok(finish(Ending::Lost(e.to_string()))),
    };
    stream.set_read_timeout(None)?;

    let stop = Arc::new(AtomicBool::new(false));
    {
        use signal_hook::consts::{SIGHUP, SIGTERM};
        signal_hook::flag::register(SIGTERM, Arc::clone(&stop))?;
        signal_hook::flag::register(SIGHUP, Arc::clone(&stop))?;
    }
    let guard = TerminalGuard::enter()?;
    let mut out = io::stdout();
    out.write_all(&first)?;
    out.flush()?;

    // The server's frames are written by their own thread; this one
    // forwards the terminal's events.
    let done = Arc::new(AtomicBool::new(false));
    let result: Arc<Mutex<Option<Ending>>> = Arc::default();
    let reader = {
        let (mut stream, done, result) =
            (stream.try_clone()?, Arc::clone(&done), Arc::clone(&result));
        std::thread::Builder::new()
            .name("assll-frames".into())
            .spawn(move || {
                let end = pump(&mut stream, &mut io::stdout());
                *result.lock().unwrap_or_else(|e| e.into_inner()) = Some(end);
                done.store(true, Ordering::Release);
            })?
    };
    let local = forward_events(&mut stream, &done, &stop);
    if local == Some(Ending::Hangup) {
        // Our terminal went away: tell the server, so it keeps a draft.
        let _ = ToServer::Bye.write_to(&mut stream);
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
    let _ = reader.join();
    drop(guard);
    let from_server = result.lock().unwrap_or_else(|e| e.into_inner()).take();
    let end = local
        .or(from_server)
        .unwrap_or_else(|| Ending::Lost("fin inattendue".into()));
    Ok(finish(end))
}

/// Prints the ending's message (the terminal is already restored).
fn finish(end: Ending) -> Ending {
    if let Some(m) = end.message() {
        if matches!(end, Ending::Bye(_)) {
            println!("{m}");
        } else {
            eprintln!("{m}");
        }
    }
    end
}

/// Forwards terminal events until the server is done (`None`) or the
/// user's terminal goes away (`Some(Hangup)`) or a write to the server
/// fails (`Some(Lost)`).
fn forward_events(stream: &mut UnixStream, done: &AtomicBool, stop: &AtomicBool) -> Option<Ending> {
    // crossterm loops for ever on a terminal that hung up: it is asked for
    // an event only once poll(2) says the terminal is alive.
    let Some(tty) = crate::tty::Tty::open() else {
        return Some(Ending::Hangup);
    };
    while !done.load(Ordering::Acquire) {
        if stop.load(Ordering::Relaxed) {
            return Some(Ending::Hangup);
        }
        if tty.wait(0) == crate::tty::Input::HungUp {
            return Some(Ending::Hangup);
        }
        match event::poll(Duration::ZERO) {
            Ok(false) => {
                if tty.wait(100) == crate::tty::Input::HungUp {
                    return Some(Ending::Hangup);
                }
                continue;
            }
            Ok(true) => {}
            Err(_) => return Some(Ending::Hangup),
        }
        let ev = match event::read() {
            Ok(ev) => ev,
            Err(_) => return Some(Ending::Hangup),
        };
        if let Some(msg) = ToServer::from_event(&ev) {
            // A paste too long for one message is cut: still an error to
            // the wire, so send what fits.
            let msg = match msg {
                ToServer::Paste(s) => ToServer::Paste(cut(s)),
                m => m,
            };
            if let Err(e) = msg.write_to(stream) {
                return Some(Ending::Lost(e.to_string()));
            }
        }
    }
    None
}

/// A paste cut to what one message carries (on a char boundary).
fn cut(mut s: String) -> String {
    let max = super::wire::MAX_TO_SERVER - 16;
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    s
}

/// Writes the server's frames to `out` until the session ends.
pub fn pump(stream: &mut UnixStream, out: &mut impl Write) -> Ending {
    loop {
        match ToClient::read_from(stream) {
            Ok(Some(ToClient::Frame(bytes))) => {
                if out.write_all(&bytes).and_then(|()| out.flush()).is_err() {
                    return Ending::Hangup;
                }
            }
            Ok(Some(ToClient::Bye(m))) => return Ending::Bye(m),
            Ok(Some(ToClient::Refused(m))) => return Ending::Refused(m),
            Ok(Some(ToClient::Output(_))) => {
                return Ending::Lost("réponse inattendue du serveur".into());
            }
            Ok(None) => return Ending::Lost("le serveur a fermé la connexion".into()),
            Err(e) => return Ending::Lost(e.to_string()),
        }
    }
}

/// Raw mode, alternate screen and bracketed paste while alive; restored
/// on drop and by a panic hook.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        enable_raw_mode()?;
        let guard = TerminalGuard;
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableBracketedPaste,
            terminal::Clear(terminal::ClearType::All)
        )?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the terminal back as the shell expects it. Idempotent.
fn restore() {
    let _ = execute!(
        io::stdout(),
        SetAttribute(Attribute::Reset),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// Sends a command-line request to the server on `socket`: the bytes it
/// answers, or its French refusal (`Ok(Err)`); `Err` when it cannot be
/// reached or the connection drops.
pub fn request(
    socket: &Path,
    request: super::wire::Request,
) -> io::Result<Result<Vec<u8>, String>> {
    let mut stream = UnixStream::connect(socket)?;
    ToServer::Request(request).write_to(&mut stream)?;
    let mut out = Vec::new();
    loop {
        match ToClient::read_from(&mut stream)? {
            Some(ToClient::Output(bytes)) => out.extend_from_slice(&bytes),
            Some(ToClient::Bye(_)) => return Ok(Ok(out)),
            Some(ToClient::Refused(m)) => return Ok(Err(m)),
            Some(ToClient::Frame(_)) | None => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "le serveur a fermé la connexion avant la fin de sa réponse",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pump_writes_frames_then_ends() {
        let (mut server, mut client) = UnixStream::pair().unwrap();
        ToClient::Frame(b"\x1b[Hbonjour".to_vec())
            .write_to(&mut server)
            .unwrap();
        ToClient::Frame(b" !".to_vec())
            .write_to(&mut server)
            .unwrap();
        ToClient::Bye("Au revoir".into())
            .write_to(&mut server)
            .unwrap();
        let mut out = Vec::new();
        assert_eq!(pump(&mut client, &mut out), Ending::Bye("Au revoir".into()));
        assert_eq!(out, b"\x1b[Hbonjour !");

        // The server dies mid-session.
        ToClient::Frame(b"x".to_vec())
            .write_to(&mut server)
            .unwrap();
        drop(server);
        let end = pump(&mut client, &mut Vec::new());
        assert!(matches!(end, Ending::Lost(_)));
        assert_eq!(end.exit_code(), 1);
        assert!(
            end.message()
                .unwrap()
                .starts_with("Connexion au serveur assll perdue : ")
        );
    }

    #[test]
    fn pump_stops_on_garbage() {
        let (mut server, mut client) = UnixStream::pair().unwrap();
        server.write_all(&[0, 0, 0, 1, 0x7f]).unwrap();
        assert!(matches!(
            pump(&mut client, &mut Vec::new()),
            Ending::Lost(_)
        ));
    }

    #[test]
    fn a_long_paste_is_cut_on_a_char_boundary() {
        let s = "é".repeat(super::super::wire::MAX_TO_SERVER);
        let c = cut(s);
        assert!(c.len() <= super::super::wire::MAX_TO_SERVER - 16);
        assert!(ToServer::Paste(c).write_to(&mut Vec::new()).is_ok());
    }

    #[test]
    fn no_server_is_an_error_in_french() {
        let dir = tempfile::tempdir().unwrap();
        let e = attach(
            &dir.path().join("assll.sock"),
            Hello::new(80, 24, true, true),
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("Aucun serveur assll ne répond"));
    }
}
