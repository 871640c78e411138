//! `assll serve`: the socket next to the database, the accept loop, and one
//! thread per connected client that runs its UI session.
//!
//! Threads, per client: a *handshake* thread reads the kernel's
//! credentials and the client's [`Hello`], asks the host to open a
//! session, then becomes the *session* thread: it alone calls the
//! session and alone writes to the client. A *reader* thread decodes the
//! client's frames into a bounded channel; the host's [`Waker`] posts into
//! the same channel. So a slow or dead client only ever blocks its own
//! session thread, and that for at most [`WRITE_TIMEOUT`] per write, after
//! which it is dropped (the session gets [`Input::Hangup`]).
//!
//! Socket placement: for a database at `/srv/assll/base`, the socket is
//! `/srv/assll/base.run/assll.sock`. A sibling folder, not the database
//! folder itself: sled owns that one (and copies or backups of it should
//! not carry a socket), and staff who connect need no access at all to
//! the data, only to the run folder, which is `0750` (others stripped)
//! with the socket `0660`: give the run folder the staff's group (and the
//! setgid bit, kept) to let them in. A Unix socket path is at most 107
//! bytes; a database deeper than that cannot be served (said in French).

use super::backend::ClientBackend;
use super::peer::{Peer, peer_credentials};
use super::wire::{Hello, PROTOCOL_VERSION, Request, ToClient, ToServer, clamp_size};
use ratatui::Terminal;
use ratatui::crossterm::event::KeyEvent;
use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a client has to say hello.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one write to a client may block before it is dropped.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(2);
/// A session gets [`Input::Tick`] this often (the meeting's clock).
pub const TICK: Duration = Duration::from_secs(1);
/// How often the accept loop and idle sessions look at `stop`.
const STOP_POLL: Duration = Duration::from_millis(200);
/// Client messages queued for a session before its reader waits.
const QUEUE: usize = 256;
/// Messages handled before a draw, when many are waiting.
const BATCH: usize = 64;
/// A redraw bigger than this goes out as several frames.
const CHUNK: usize = 512 << 10;

/// What a session is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    Paste(String),
    /// The client's terminal is now cols × rows (already clamped; the
    /// terminal the session draws into has that size from the next draw).
    Resize(u16, u16),
    /// Something changed elsewhere (the host called [`Waker::wake`]):
    /// reload what is shown; a draw follows.
    Wake,
    /// A second passed; a draw follows (nothing is sent if nothing changed).
    Tick,
    /// The session ends without the user having quit: client gone or too
    /// slow, or the server stopping. The last input: keep typed text as a
    /// draft. No draw follows; [`Session::done`] may then say where the
    /// draft went (sent to the client if it is still there).
    Hangup,
}

/// One user's UI, driven by the server. Called from its own thread only.
pub trait Session: Send {
    /// One input; the session updates its state.
    fn handle(&mut self, input: Input);
    /// Draws the whole screen, as a `view` does (pure of the state).
    fn draw(&mut self, frame: &mut ratatui::Frame);
    /// `Some(goodbye)` once the session wants to end (the user quit):
    /// the client is sent the goodbye and disconnected.
    fn done(&self) -> Option<String>;
}

/// Opens sessions; shared by every connection thread.
pub trait SessionHost: Send + Sync {
    /// A client connected as `peer` (from the kernel) with `hello`
    /// (its terminal). `Err(message)` refuses it with that French message.
    /// `waker` lets the host make this session redraw later (keep a clone,
    /// e.g. to tell every session that data changed). The session is
    /// dropped, on its thread, when it ends: `Drop` is the place to
    /// unregister it.
    fn open(&self, peer: Peer, hello: &Hello, waker: Waker) -> Result<Box<dyn Session>, String>;

    /// A one-shot request from the command line, by `peer`: the bytes to
    /// print, or the French reason for a refusal.
    fn request(&self, peer: Peer, request: Request) -> Result<Vec<u8>, String> {
        let _ = (peer, request);
        Err("Ce serveur ne répond pas aux demandes de la ligne de commande.".into())
    }
}

/// The largest `Output` chunk (under the server → client cap).
const OUTPUT_CHUNK: usize = 512 * 1024;

/// Answers a one-shot request: the output in chunks, then `Bye("")`.
fn answer(stream: &mut UnixStream, host: &dyn SessionHost, peer: Peer, request: Request) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(60)));
    let result = catch_unwind(AssertUnwindSafe(|| host.request(peer, request)))
        .unwrap_or_else(|_| Err("Erreur interne du serveur.".into()));
    match result {
        Ok(bytes) => {
            for chunk in bytes.chunks(OUTPUT_CHUNK) {
                if send(stream, &ToClient::Output(chunk.to_vec())).is_err() {
                    return;
                }
            }
            let _ = send(stream, &ToClient::Bye(String::new()));
        }
        Err(msg) => {
            let _ = send(stream, &ToClient::Refused(msg));
        }
    }
}

enum Event {
    Client(ToServer),
    /// The client closed, said bye, or sent something invalid (the reason).
    Gone(Option<String>),
    Wake,
}

/// Wakes one session from any thread, without ever blocking: wakes that
/// come while one is already waiting are merged into it.
#[derive(Clone)]
pub struct Waker {
    tx: SyncSender<Event>,
    pending: Arc<AtomicBool>,
    closed: Arc<AtomicBool>,
}

impl Waker {
    /// Asks the session to handle [`Input::Wake`] and redraw. Returns
    /// false once the session has ended (the host can forget this waker).
    pub fn wake(&self) -> bool {
        if self.closed.load(Ordering::Acquire) {
            return false;
        }
        if self.pending.swap(true, Ordering::AcqRel) {
            return true; // one is already on its way
        }
        match self.tx.try_send(Event::Wake) {
            Ok(()) => true,
            // The queue is full: the session will draw after emptying it,
            // which shows the change anyway.
            Err(TrySendError::Full(_)) => {
                self.pending.store(false, Ordering::Release);
                true
            }
            Err(TrySendError::Disconnected(_)) => false,
        }
    }

    /// True once the session has ended.
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }
}

/// Where the server for database `db` listens: `<db>.run/assll.sock`
/// (the database path made absolute, symbolic links resolved when it
/// exists, so that client and server agree).
pub fn socket_path(db: &Path) -> PathBuf {
    let db = fs::canonicalize(db)
        .or_else(|_| std::path::absolute(db))
        .unwrap_or_else(|_| db.to_path_buf());
    let name = db
        .file_name()
        .map_or_else(|| "assll".into(), |n| n.to_string_lossy().into_owned());
    db.with_file_name(format!("{name}.run")).join("assll.sock")
}

/// True when a server answers for database `db`.
pub fn server_running(db: &Path) -> bool {
    UnixStream::connect(socket_path(db)).is_ok()
}

/// A server holds `db` but this user may not reach it (the socket's
/// folder or the socket refuses them: not in the base owner's group).
pub fn server_out_of_reach(db: &Path) -> bool {
    matches!(
        UnixStream::connect(socket_path(db)),
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied
    )
}

/// Binds `socket`: creates its folder (`0750`, or strips others' rights
/// from an existing one), replaces a stale socket (no server answering),
/// refuses if a server is live, and makes the socket `0660`.
pub fn listen(socket: &Path) -> io::Result<UnixListener> {
    if let Some(dir) = socket.parent().filter(|d| !d.as_os_str().is_empty()) {
        let existed = dir.exists();
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o750)
            .create(dir)?;
        if !existed {
            // The process umask (077 for assll) would leave it 0700: the
            // group of the base's owner is who may attach.
            fs::set_permissions(dir, fs::Permissions::from_mode(0o750))?;
        }
        let mode = fs::metadata(dir)?.permissions().mode();
        if mode & 0o007 != 0 {
            fs::set_permissions(dir, fs::Permissions::from_mode(mode & 0o7770))?;
        }
    }
    match fs::symlink_metadata(socket) {
        Ok(meta) => {
            if UnixStream::connect(socket).is_ok() {
                return Err(io::Error::new(
                    io::ErrorKind::AddrInUse,
                    format!(
                        "Un serveur tourne déjà pour cette base ({}).",
                        socket.display()
                    ),
                ));
            }
            if !meta.file_type().is_socket() {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "{} existe et n'est pas une prise (socket) : à vérifier, puis à effacer.",
                        socket.display()
                    ),
                ));
            }
            // Left by a server that died: nobody answers.
            fs::remove_file(socket)?;
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let listener = UnixListener::bind(socket).map_err(|e| {
        if e.kind() == io::ErrorKind::InvalidInput {
            io::Error::new(
                e.kind(),
                format!(
                    "Chemin de prise trop long ({} octets, 107 au plus) : {} ; \
                     placez la base dans un dossier au chemin plus court.",
                    socket.as_os_str().len(),
                    socket.display()
                ),
            )
        } else {
            e
        }
    })?;
    fs::set_permissions(socket, fs::Permissions::from_mode(0o660))?;
    Ok(listener)
}

/// Serves on `socket` until `stop` is set: every client gets its own
/// session from `host`. On stop, each session gets [`Input::Hangup`] and
/// its client `Bye("Le serveur s'arrête…")`; returns once every session
/// thread has ended, and removes the socket.
pub fn serve(socket: &Path, host: Arc<dyn SessionHost>, stop: &AtomicBool) -> io::Result<()> {
    let listener = listen(socket)?;
    let ino = fs::metadata(socket)?.ino();
    let result = serve_on(&listener, &*host, stop);
    // Remove the socket if it is still ours.
    if fs::metadata(socket).is_ok_and(|m| m.ino() == ino) {
        let _ = fs::remove_file(socket);
    }
    result
}

/// The accept loop on a bound listener (see [`serve`]). A fatal accept
/// error sets `stop` too, so that every session ends before it returns.
pub fn serve_on(
    listener: &UnixListener,
    host: &dyn SessionHost,
    stop: &AtomicBool,
) -> io::Result<()> {
    std::thread::scope(|scope| {
        while !stop.load(Ordering::Relaxed) {
            if !readable(listener, STOP_POLL)? {
                continue;
            }
            let stream = match listener.accept() {
                Ok((s, _)) => s,
                Err(e) if is_transient(&e) => continue,
                Err(e) => {
                    stop.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            };
            std::thread::Builder::new()
                .name("assll-client".into())
                .spawn_scoped(scope, move || client(stream, host, stop, scope))?;
        }
        Ok(())
    })
}

fn is_transient(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock | io::ErrorKind::ConnectionAborted
    ) || matches!(
        e.raw_os_error(),
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM | libc::EPROTO)
    )
}

/// Waits up to `timeout` for a connection to accept.
fn readable(listener: &UnixListener, timeout: Duration) -> io::Result<bool> {
    use std::os::fd::AsRawFd;
    let mut fd = libc::pollfd {
        fd: listener.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid, writable pollfd and its count; the fd stays open
    // (borrowed from `listener`) for the duration of the call.
    let rc = unsafe { libc::poll(&mut fd, 1, timeout.as_millis() as libc::c_int) };
    if rc < 0 {
        let e = io::Error::last_os_error();
        return if e.kind() == io::ErrorKind::Interrupted {
            Ok(false)
        } else {
            Err(e)
        };
    }
    Ok(rc > 0)
}

fn send(stream: &mut UnixStream, msg: &ToClient) -> io::Result<()> {
    msg.write_to(stream)
}

const STOPPING: &str = "Le serveur s'arrête : session fermée.";

/// One connection, from hello to goodbye.
fn client<'scope, 'env: 'scope>(
    mut stream: UnixStream,
    host: &'env dyn SessionHost,
    stop: &'env AtomicBool,
    scope: &'scope std::thread::Scope<'scope, 'env>,
) {
    let Ok(peer) = peer_credentials(&stream) else {
        return;
    };
    if stream.set_read_timeout(Some(HELLO_TIMEOUT)).is_err()
        || stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err()
    {
        return;
    }
    let hello = match ToServer::read_from(&mut stream) {
        Ok(Some(ToServer::Hello(h))) => h,
        Ok(Some(ToServer::Request(r))) => return answer(&mut stream, host, peer, r),
        // A probe (`server_running`), a timeout, garbage: nothing to say.
        Ok(None) | Err(_) => return,
        Ok(Some(_)) => {
            let _ = send(
                &mut stream,
                &ToClient::Refused("Le client ne s'est pas présenté.".into()),
            );
            return;
        }
    };
    if hello.version != PROTOCOL_VERSION {
        let msg = format!(
            "Version du client ({}) différente de celle du serveur ({PROTOCOL_VERSION}) : \
             mettez assll à jour.",
            hello.version
        );
        let _ = send(&mut stream, &ToClient::Refused(msg));
        return;
    }
    if stop.load(Ordering::Relaxed) {
        let _ = send(&mut stream, &ToClient::Bye(STOPPING.into()));
        return;
    }
    let (tx, rx) = sync_channel(QUEUE);
    let waker = Waker {
        tx: tx.clone(),
        pending: Arc::new(AtomicBool::new(false)),
        closed: Arc::new(AtomicBool::new(false)),
    };
    let opened = catch_unwind(AssertUnwindSafe(|| host.open(peer, &hello, waker.clone())));
    let session = match opened {
        Ok(Ok(s)) => s,
        Ok(Err(msg)) => {
            let _ = send(&mut stream, &ToClient::Refused(msg));
            return;
        }
        Err(_) => {
            let _ = send(
                &mut stream,
                &ToClient::Refused("Erreur interne du serveur à l'ouverture de la session.".into()),
            );
            return;
        }
    };
    let Ok(reader) = stream.try_clone() else {
        waker.closed.store(true, Ordering::Release);
        return;
    };
    let _ = reader.set_read_timeout(None);
    if std::thread::Builder::new()
        .name("assll-reader".into())
        .spawn_scoped(scope, move || read_client(reader, tx))
        .is_err()
    {
        waker.closed.store(true, Ordering::Release);
        return;
    }
    let (cols, rows) = hello.size();
    let backend = ClientBackend::new(cols, rows).with_color(hello.color);
    let mut run = Running {
        stream,
        session,
        closed: Arc::clone(&waker.closed),
        pending: Arc::clone(&waker.pending),
    };
    drop(waker);
    run.run(backend, &rx, stop);
}

/// The reader thread: client frames into the session's queue.
fn read_client(mut stream: UnixStream, tx: SyncSender<Event>) {
    loop {
        let ev = match ToServer::read_from(&mut stream) {
            Ok(Some(ToServer::Bye)) | Ok(None) => Event::Gone(None),
            Ok(Some(msg)) => Event::Client(msg),
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                Event::Gone(Some(format!("Message du client refusé : {e}")))
            }
            Err(_) => Event::Gone(None),
        };
        let last = matches!(ev, Event::Gone(_));
        if tx.send(ev).is_err() || last {
            return;
        }
    }
}

struct Running {
    stream: UnixStream,
    session: Box<dyn Session>,
    closed: Arc<AtomicBool>,
    pending: Arc<AtomicBool>,
}

/// Why a session loop ended.
enum End {
    /// The user quit: say goodbye.
    Done(String),
    /// The client left or failed: tell it the reason if there is one.
    Gone(Option<String>),
    /// The server stops.
    Stop,
    /// The session panicked.
    Broken,
}

impl Running {
    fn run(&mut self, backend: ClientBackend, rx: &Receiver<Event>, stop: &AtomicBool) {
        let end = self.run_loop(backend, rx, stop);
        let bye = match end {
            End::Done(msg) => Some(msg),
            End::Gone(reason) => {
                self.call(|s| s.handle(Input::Hangup));
                reason
            }
            End::Stop => {
                self.call(|s| s.handle(Input::Hangup));
                let extra = self.call(|s| s.done()).flatten();
                Some(match extra {
                    Some(x) if !x.is_empty() => format!("{STOPPING}\n{x}"),
                    _ => STOPPING.to_string(),
                })
            }
            End::Broken => Some("Erreur interne du serveur : session fermée.".to_string()),
        };
        if let Some(msg) = bye {
            let _ = send(&mut self.stream, &ToClient::Bye(msg));
        }
        self.closed.store(true, Ordering::Release);
        // Wakes the reader thread out of its read.
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }

    /// Calls the session, catching a panic (that session only is lost).
    fn call<T>(&mut self, f: impl FnOnce(&mut dyn Session) -> T) -> Option<T> {
        catch_unwind(AssertUnwindSafe(|| f(&mut *self.session))).ok()
    }

    fn run_loop(&mut self, backend: ClientBackend, rx: &Receiver<Event>, stop: &AtomicBool) -> End {
        let Ok(mut term) = Terminal::new(backend) else {
            return End::Broken;
        };
        let _ = term.clear();
        let mut last_tick = Instant::now();
        loop {
            // Draw what changed and send it.
            let session = &mut self.session;
            lend_scratch(&mut term);
            let drawn = catch_unwind(AssertUnwindSafe(|| {
                term.draw(|f| session.draw(f)).map(|_| ())
            }));
            match drawn {
                Ok(Ok(())) => {}
                Ok(Err(_)) | Err(_) => return End::Broken,
            }
            give_back_scratch(&mut term);
            let bytes = term.backend_mut().take();
            for chunk in bytes.chunks(CHUNK) {
                if send(&mut self.stream, &ToClient::Frame(chunk.to_vec())).is_err() {
                    return End::Gone(None);
                }
            }
            // Wait for something to handle.
            let mut handled = 0;
            while handled == 0 {
                if stop.load(Ordering::Relaxed) {
                    return End::Stop;
                }
                let wait = TICK.saturating_sub(last_tick.elapsed()).min(STOP_POLL);
                let first = match rx.recv_timeout(wait) {
                    Ok(ev) => Some(ev),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return End::Gone(None),
                };
                let mut next = first;
                if next.is_none() && last_tick.elapsed() >= TICK {
                    last_tick = Instant::now();
                    match self.input(Input::Tick) {
                        Some(end) => return end,
                        None => handled += 1,
                    }
                }
                while let Some(ev) = next.take() {
                    let input = match ev {
                        Event::Gone(reason) => return End::Gone(reason),
                        Event::Wake => {
                            self.pending.store(false, Ordering::Release);
                            Input::Wake
                        }
                        Event::Client(ToServer::Key(k)) => Input::Key(k.to_event()),
                        Event::Client(ToServer::Paste(s)) => Input::Paste(s),
                        Event::Client(ToServer::Resize { cols, rows }) => {
                            let (cols, rows) = clamp_size(cols, rows);
                            term.backend_mut().resize(cols, rows);
                            Input::Resize(cols, rows)
                        }
                        Event::Client(
                            ToServer::Hello(_) | ToServer::Bye | ToServer::Request(_),
                        ) => continue,
                    };
                    if let Some(end) = self.input(input) {
                        return end;
                    }
                    handled += 1;
                    if handled < BATCH {
                        next = rx.try_recv().ok();
                    }
                }
            }
        }
    }

    /// Handles one input; `Some` if the session ended.
    fn input(&mut self, input: Input) -> Option<End> {
        match self.call(|s| {
            s.handle(input);
            s.done()
        }) {
            None => Some(End::Broken),
            Some(Some(bye)) => Some(End::Done(bye)),
            Some(None) => None,
        }
    }
}

/// Screen buffers lent to the sessions for the time of a draw.
///
/// A ratatui `Terminal` holds two buffers: the frame the client shows (to
/// send only what changed) and the one the next frame is drawn into, which
/// is blank between two draws. Fifty sessions at 120×40 would keep fifty
/// blank buffers of 230 KB (the largest part of a session's memory): a
/// session keeps its last frame only, and borrows the other from here while
/// it draws. The pool holds as many as were ever drawn into at once, at
/// most [`SCRATCH_KEPT`].
static SCRATCH: Mutex<Vec<ratatui::buffer::Buffer>> = Mutex::new(Vec::new());
const SCRATCH_KEPT: usize = 8;

fn scratch() -> std::sync::MutexGuard<'static, Vec<ratatui::buffer::Buffer>> {
    SCRATCH.lock().unwrap_or_else(|e| e.into_inner())
}

/// Puts a blank buffer of the terminal's size where the next frame is
/// drawn (a client's resize is then handled by `draw` as usual).
fn lend_scratch(term: &mut Terminal<ClientBackend>) {
    let area = term.get_frame().area();
    let mut buf = scratch().pop().unwrap_or_default();
    buf.resize(area);
    buf.reset();
    *term.current_buffer_mut() = buf;
}

/// After a draw, the buffer to draw into next is the blank one: back to
/// the pool.
fn give_back_scratch(term: &mut Terminal<ClientBackend>) {
    let buf = std::mem::take(term.current_buffer_mut());
    let mut pool = scratch();
    if pool.len() < SCRATCH_KEPT {
        pool.push(buf);
    }
}

/// A set of wakers a host keeps, to wake every live session at once
/// (after a change is saved, say). Ended sessions are forgotten.
#[derive(Default)]
pub struct Wakers(Mutex<Vec<Waker>>);

impl Wakers {
    pub fn add(&self, w: Waker) {
        self.lock().push(w);
    }

    /// Wakes every live session; returns how many.
    pub fn wake_all(&self) -> usize {
        let mut ws = self.lock();
        ws.retain(Waker::wake);
        ws.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Waker>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_is_a_sibling_run_folder() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("base");
        let s = socket_path(&db);
        let root = fs::canonicalize(dir.path()).unwrap();
        assert_eq!(s, root.join("base.run").join("assll.sock"));
        // Same answer through another spelling of the same path.
        fs::create_dir(&db).unwrap();
        fs::create_dir(dir.path().join("x")).unwrap();
        assert_eq!(socket_path(&dir.path().join("x/../base")), s);
    }

    #[test]
    fn stale_socket_is_replaced_live_one_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("base");
        let sock = socket_path(&db);
        assert!(!server_running(&db));
        let l = listen(&sock).unwrap();
        let run = sock.parent().unwrap();
        assert_eq!(
            fs::metadata(run).unwrap().permissions().mode() & 0o777,
            0o750
        );
        assert_eq!(
            fs::metadata(&sock).unwrap().permissions().mode() & 0o777,
            0o660
        );
        assert!(server_running(&db));
        let e = listen(&sock).unwrap_err();
        assert!(e.to_string().contains("Un serveur tourne déjà"), "{e}");
        // The server dies without cleaning up: the socket file stays.
        drop(l);
        assert!(sock.exists());
        assert!(!server_running(&db));
        let _l = listen(&sock).unwrap();
        assert!(server_running(&db));
    }

    #[test]
    fn a_plain_file_is_not_removed() {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("run").join("assll.sock");
        fs::create_dir(sock.parent().unwrap()).unwrap();
        fs::write(&sock, "pas une prise").unwrap();
        assert!(listen(&sock).is_err());
        assert!(sock.exists());
    }

    #[test]
    fn too_long_a_path_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("x".repeat(120)).join("assll.sock");
        let e = listen(&sock).unwrap_err();
        assert!(e.to_string().contains("trop long"), "{e}");
    }
}
