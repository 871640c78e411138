//! `assll serve` transport, end to end over a real Unix socket: a dummy
//! host whose sessions echo what is typed, and raw clients speaking the
//! wire protocol (no terminal needed). No fixed sleeps: every wait is for
//! a condition, with a generous deadline (the machine may be loaded).

use assll::remote::wire::{Hello, ToClient, ToServer};
use assll::remote::{Input, Peer, Session, SessionHost, Waker, Wakers, serve};
use ratatui::crossterm::event::KeyCode as CtKey;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Paragraph};
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

mod wire_client;
use wire_client::{Client, DEADLINE, Got, nz, wait_until};

/// Sessions are named after the width their client says (80 → "80").
struct Echo {
    name: String,
    typed: String,
    wakes: u64,
    /// Fill the screen with what changes at every wake (big frames).
    fill: bool,
    quit: bool,
    log: Arc<Mutex<Vec<String>>>,
}

impl Session for Echo {
    fn handle(&mut self, input: Input) {
        match input {
            Input::Key(k) => match k.code {
                CtKey::Char('q') => self.quit = true,
                CtKey::Char(c) => self.typed.push(c),
                _ => {}
            },
            Input::Paste(s) => self.typed.push_str(&s),
            Input::Wake => self.wakes += 1,
            Input::Hangup => self
                .log
                .lock()
                .unwrap()
                .push(format!("{} hangup", self.name)),
            Input::Resize(..) | Input::Tick => {}
        }
    }

    fn draw(&mut self, f: &mut ratatui::Frame) {
        let a = f.area();
        if self.fill {
            let c = char::from(b'a' + (self.wakes % 26) as u8);
            let row: String = std::iter::repeat_n(c, a.width as usize).collect();
            let text = vec![row.as_str(); a.height as usize].join("\n");
            f.render_widget(Paragraph::new(text), a);
        }
        let lines = format!(
            "Écho : {}\nRéveils : {} .\nTaille : {}x{}",
            self.typed, self.wakes, a.width, a.height
        );
        let top = Rect::new(0, 0, a.width, 3.min(a.height));
        f.render_widget(Clear, top);
        f.render_widget(Paragraph::new(lines), top);
    }

    fn done(&self) -> Option<String> {
        self.quit.then(|| "Au revoir".to_string())
    }
}

#[derive(Default)]
struct Host {
    refuse: bool,
    fill: bool,
    wakers: Wakers,
    log: Arc<Mutex<Vec<String>>>,
    peers: Mutex<Vec<Peer>>,
}

impl SessionHost for Host {
    fn open(&self, peer: Peer, hello: &Hello, waker: Waker) -> Result<Box<dyn Session>, String> {
        if self.refuse {
            return Err("Accès refusé : vous n'êtes pas du groupe assll.".into());
        }
        self.peers.lock().unwrap().push(peer);
        self.wakers.add(waker);
        Ok(Box::new(Echo {
            name: hello.cols.to_string(),
            typed: String::new(),
            wakes: 0,
            fill: self.fill,
            quit: false,
            log: Arc::clone(&self.log),
        }))
    }
}

struct Server {
    _dir: tempfile::TempDir,
    sock: PathBuf,
    stop: Arc<AtomicBool>,
    host: Arc<Host>,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl Server {
    fn start(host: Host) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("base.run").join("assll.sock");
        let stop = Arc::new(AtomicBool::new(false));
        let host = Arc::new(host);
        let thread = {
            let (sock, stop, host) = (sock.clone(), Arc::clone(&stop), Arc::clone(&host));
            std::thread::spawn(move || serve(&sock, host, &stop))
        };
        wait_until("the socket is bound", || sock.exists());
        Server {
            _dir: dir,
            sock,
            stop,
            host,
            thread: Some(thread),
        }
    }

    fn log(&self) -> Vec<String> {
        self.host.log.lock().unwrap().clone()
    }

    fn stop(&mut self) -> std::io::Result<()> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.take().unwrap().join().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn two_clients_each_see_their_own_echo() {
    let mut server = Server::start(Host::default());
    let mut a = Client::connect(&server.sock, 80, 24);
    let mut b = Client::connect(&server.sock, 81, 24);
    for c in "abc".chars() {
        a.key(c);
    }
    for c in "xyz".chars() {
        b.key(c);
    }
    a.wait_for("Écho : abc");
    b.wait_for("Écho : xyz");
    assert!(!a.text().contains("xyz"));
    assert_eq!(
        a.screen.screen().contents_between(0, 0, 0, 10),
        "Écho : abc"
    );

    // The peer is the kernel's, never the client's word.
    // SAFETY: getuid cannot fail.
    let uid = unsafe { libc::getuid() };
    assert!(
        server
            .host
            .peers
            .lock()
            .unwrap()
            .iter()
            .all(|p| p.uid == uid)
    );

    // A change elsewhere: the host wakes every session.
    assert_eq!(server.host.wakers.wake_all(), 2);
    a.wait_for("Réveils : 1 .");
    b.wait_for("Réveils : 1 .");

    // Paste and resize.
    a.send(ToServer::Paste("é€".into()));
    a.wait_for("Écho : abcé€");
    a.send(ToServer::Resize {
        cols: 100,
        rows: 30,
    });
    a.screen.screen_mut().set_size(nz(30), nz(100));
    a.wait_for("Taille : 100x30");

    // A quits: its goodbye; B goes on.
    a.key('q');
    assert_eq!(a.wait_end().as_deref(), Some("Au revoir"));
    b.key('!');
    b.wait_for("Écho : xyz!");
    wait_until("A's waker is closed", || server.host.wakers.wake_all() == 1);

    // The server stops: B is told, its session gets Hangup, the socket goes.
    server.stop().unwrap();
    let bye = b.wait_end().unwrap();
    assert!(bye.contains("Le serveur s'arrête"), "{bye}");
    assert_eq!(server.log(), vec!["81 hangup".to_string()]);
    assert!(!server.sock.exists());
}

#[test]
fn a_refusing_host_sends_refused() {
    let server = Server::start(Host {
        refuse: true,
        ..Host::default()
    });
    let mut a = Client::connect(&server.sock, 80, 24);
    match a.read() {
        Got::Refused(m) => assert!(m.contains("Accès refusé"), "{m}"),
        _ => panic!("expected Refused"),
    }
    assert!(matches!(a.read(), Got::Closed));
}

#[test]
fn a_client_that_never_reads_blocks_nobody() {
    let server = Server::start(Host {
        fill: true,
        ..Host::default()
    });
    // The stuck client says hello and then never reads again.
    let mut stuck = Client::connect(&server.sock, 80, 24);
    let mut good = Client::connect(&server.sock, 81, 24);
    good.wait_for("Réveils : 0 .");
    stuck.key('s');

    let start = Instant::now();
    let mut slowest_wake = Duration::ZERO;
    let mut wakes = 0u64;
    let mut after_hangup = None;
    loop {
        assert!(start.elapsed() < DEADLINE, "log: {:?}", server.log());
        let t = Instant::now();
        server.host.wakers.wake_all();
        slowest_wake = slowest_wake.max(t.elapsed());
        wakes += 1;
        // Every wake of the good session changes its screen: one frame.
        good.wait_for(&format!("Réveils : {wakes} ."));
        if after_hangup.is_none() && server.log().contains(&"80 hangup".to_string()) {
            after_hangup = Some(wakes);
        }
        if after_hangup.is_some_and(|h| wakes >= h + 20) {
            break;
        }
    }
    // The host was never held up by the stuck client.
    assert!(
        slowest_wake < Duration::from_millis(500),
        "{slowest_wake:?}"
    );
    eprintln!(
        "stuck client dropped after {} wakes ({:?}); slowest wake_all {:?}",
        after_hangup.unwrap(),
        start.elapsed(),
        slowest_wake
    );
    assert_eq!(server.host.wakers.wake_all(), 1);
}

#[test]
fn an_oversized_frame_closes_only_its_client() {
    let server = Server::start(Host::default());
    // A connection that never says hello does not hold anyone up either.
    let _silent = UnixStream::connect(&server.sock).unwrap();
    let mut bad = Client::connect(&server.sock, 80, 24);
    let mut good = Client::connect(&server.sock, 81, 24);
    bad.key('a');
    bad.wait_for("Écho : a");
    bad.stream
        .write_all(&[0xff, 0xff, 0xff, 0xff, 1, 2, 3])
        .unwrap();
    let last = bad.wait_end();
    assert!(
        last.as_deref().is_some_and(|m| m.contains("trop long")),
        "{last:?}"
    );
    wait_until("the bad session hangs up", || {
        server.log().contains(&"80 hangup".to_string())
    });
    good.key('g');
    good.wait_for("Écho : g");
    // Garbage inside a well-sized frame: the same.
    let mut garbage = Client::connect(&server.sock, 82, 24);
    garbage.wait_for("Réveils : 0 .");
    garbage.stream.write_all(&[0, 0, 0, 2, 0xee, 0xee]).unwrap();
    assert!(garbage.wait_end().is_some_and(|m| m.contains("illisible")));
    good.key('h');
    good.wait_for("Écho : gh");
}

#[test]
fn a_hello_of_another_version_is_refused() {
    let server = Server::start(Host::default());
    let mut s = UnixStream::connect(&server.sock).unwrap();
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut hello = Hello::new(80, 24, true, true);
    hello.version += 1;
    ToServer::Hello(hello).write_to(&mut s).unwrap();
    match ToClient::read_from(&mut s).unwrap() {
        Some(ToClient::Refused(m)) => assert!(m.contains("mettez assll à jour"), "{m}"),
        other => panic!("{other:?}"),
    }
}

// ---- The real client, in a pseudo-terminal ----
//
// The test binary runs itself as the client: `child_attach` attaches to
// the socket named in ASSLL_REMOTE_TEST_SOCK and exits with its code.

const CHILD_SOCK: &str = "ASSLL_REMOTE_TEST_SOCK";

#[test]
fn child_attach() {
    let Some(sock) = std::env::var_os(CHILD_SOCK) else {
        return; // not the child: nothing to do
    };
    let end = assll::remote::attach(Path::new(&sock), Hello::from_env()).unwrap();
    std::process::exit(end.exit_code().into());
}

struct Pty {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Pty {
    fn attach(sock: &Path) -> Pty {
        use portable_pty::{CommandBuilder, PtySize, native_pty_system};
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(std::env::current_exe().unwrap());
        cmd.args(["child_attach", "--exact", "--nocapture", "--test-threads=1"]);
        cmd.cwd(std::env::current_dir().unwrap());
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env(CHILD_SOCK, sock);
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(24), nz(80), 0)));
        let p = Arc::clone(&parser);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n @ 1..) = std::io::Read::read(&mut reader, &mut buf) {
                p.lock().unwrap().process(&buf[..n]);
            }
        });
        Pty {
            parser,
            writer,
            child,
            master: pair.master,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, what: &str) {
        let start = Instant::now();
        while !self.screen().contains(what) {
            assert!(
                start.elapsed() < DEADLINE,
                "no {what:?} in:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn type_str(&mut self, s: &str) {
        self.writer.write_all(s.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn exit_code(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            assert!(start.elapsed() < DEADLINE, "the client did not end");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Alternate screen left, cursor shown.
    fn assert_restored(&self) {
        let p = self.parser.lock().unwrap();
        assert!(
            !p.screen().alternate_screen(),
            "still on the alternate screen"
        );
        assert!(!p.screen().hide_cursor(), "cursor still hidden");
    }
}

#[test]
fn the_real_client_in_a_terminal() {
    let server = Server::start(Host::default());
    let mut pty = Pty::attach(&server.sock);
    pty.wait_for("Taille : 80x24");
    assert!(pty.parser.lock().unwrap().screen().alternate_screen());
    pty.type_str("abc");
    pty.wait_for("Écho : abc");
    // Bracketed paste reaches the session as one paste.
    pty.type_str("\x1b[200~é€\x1b[201~");
    pty.wait_for("Écho : abcé€");
    pty.master
        .resize(portable_pty::PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    pty.parser
        .lock()
        .unwrap()
        .screen_mut()
        .set_size(nz(30), nz(100));
    pty.wait_for("Taille : 100x30");
    pty.type_str("q");
    assert_eq!(pty.exit_code(), 0);
    pty.wait_for("Au revoir");
    pty.assert_restored();
}

#[test]
fn the_real_client_when_the_server_dies() {
    // A fake server that says hello back with one frame, then dies.
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("assll.sock");
    let listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    let mut pty = Pty::attach(&sock);
    let (mut s, _) = listener.accept().unwrap();
    let hello = ToServer::read_from(&mut s).unwrap();
    assert!(matches!(hello, Some(ToServer::Hello(h)) if (h.cols, h.rows) == (80, 24)));
    ToClient::Frame(b"\x1b[?25l\x1b[5;5HSession ouverte".to_vec())
        .write_to(&mut s)
        .unwrap();
    pty.wait_for("Session ouverte");
    drop(s);
    assert_eq!(pty.exit_code(), 1);
    pty.wait_for("Connexion au serveur assll perdue");
    pty.assert_restored();
}

#[test]
fn the_real_client_hung_up_tells_the_server() {
    let server = Server::start(Host::default());
    let mut pty = Pty::attach(&server.sock);
    pty.type_str("brouillon");
    pty.wait_for("Écho : brouillon");
    // What the kernel sends when the SSH link drops.
    let pid = pty.child.process_id().unwrap() as i32;
    // SAFETY: signals our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGHUP) }, 0);
    wait_until("the session hangs up", || {
        server.log().contains(&"80 hangup".to_string())
    });
    assert_eq!(pty.exit_code(), 0);
}
