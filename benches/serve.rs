//! Several people at once (issue 7): `assll serve` measured in-process,
//! through the real Unix socket and wire protocol.
//!
//! 1. 50 sessions attached to a 10,000-household base; each client, on its
//!    own thread, types navigation keys (waiting lists, sectors, measures,
//!    alerts, dashboard) and times each key from writing its frame to
//!    receiving the next `Frame`. Run once at a typing pace (one key per
//!    person every 100 ms, the commits of one person in the middle), once
//!    with no pause at all (every client types as fast as the server
//!    answers). Target: p99 < 10 ms.
//!    Then, every other session on the dashboard, one person starts three
//!    measures: time from the key that commits to each other session's
//!    redraw (the wake).
//! 2. Resident memory of the process (server + clients' small buffers):
//!    the base loaded and one session that has visited every screen, then
//!    fifty sessions that have. Target: < 2× the single-user figure.
//! 3. At 100,000 households, a fresh client's first frame: connect, hello,
//!    first complete `Frame`, for fifty clients one after the other.
//!    Target: < 100 ms. Also there: one session's keys, the memory of one
//!    and fifty sessions, the wakes after a commit.
//!
//! Last, the parts of a commit timed alone (store write and flush, copy of
//! the data, derived views), to see where a commit's time goes.
//!
//! Run: `cargo bench --bench serve` (figures in docs/performance.md). The
//! demo bases are written once into target/bench-db/ (as benches/store.rs
//! does) and copied into a temporary folder for each run, so that the
//! commits and connection audits of the run never touch them.
//!
//! Nothing waits a fixed time: every read is a blocking read of a frame,
//! with a socket read timeout as a safety net only. The pauses of the
//! paced run are the typing rhythm being simulated (a schedule of when
//! each key is typed), not waits for the server.

mod common;
use assll::app::Derived;
use assll::app::hub::Hub;
use assll::app::sample::key_event;
use assll::domain::Dataset;
use assll::remote::server::{listen, serve_on};
use assll::remote::{Hello, Key, ToClient, ToServer};
use assll::serve::Host;
use assll::store::{Change, Store};
use common::{db_for, today};
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const CLIENTS: usize = 50;
/// Safety net on every read: a frame that does not come is a failure.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Paced run: one key per person every this long.
const PACE: Duration = Duration::from_millis(100);
const PACED_KEYS: usize = 40;
const UNPACED_KEYS: usize = 20;
const COMMITS: usize = 3;

/// One tour of the screens; every key changes what is shown (a cursor, a
/// sector, a screen), so every key gets a frame. Nothing here writes.
const TOUR: &[&str] = &[
    "a", "j", "j", "<Tab>", "j", "k", "m", "j", "j", "k", "!", "j", "k", "t", "j", "k",
];

fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// (VmRSS, VmHWM) of this process, in MiB.
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The parts of a commit, each timed alone (medians of 5, ms): the store's
/// write and flush of an audit entry, the copy of the data a commit makes
/// while sessions still show the old version, the derived views.
fn commit_parts(server: &Server) -> [f64; 3] {
    let median = |mut f: Box<dyn FnMut()>| {
        let mut v: Vec<Duration> = (0..5)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect();
        v.sort();
        v[2].as_secs_f64() * 1e3
    };
    let hub = &server.hub;
    let snap = hub.snapshot();
    let write = median(Box::new(|| {
        hub.store()
            .commit(&Change {
                who: "bench".into(),
                at: today().and_hms_opt(9, 0, 0).unwrap(),
                summary: "bench : mesure du temps d'écriture".into(),
                records: Vec::new(),
            })
            .unwrap();
    }));
    let copy = median(Box::new(|| {
        std::hint::black_box(Dataset::clone(&snap.data));
    }));
    let derive = median(Box::new(|| {
        std::hint::black_box(Derived::compute(&snap.data, today()));
    }));
    [write, copy, derive]
}

/// VmRSS (MiB) once the allocator has given back what it keeps free: what
/// is live, as against what glibc holds on to after frees.
fn trimmed() -> f64 {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
    memory().0
}

/// A server on a copy of `base`, serving in a thread of this process.
struct Server {
    hub: Arc<Hub>,
    socket: PathBuf,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<io::Result<()>>>,
    load: Duration,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(base: &Path) -> Server {
        let dir = tempfile::Builder::new()
            .prefix("assll-serve-bench")
            .tempdir()
            .unwrap();
        let db = dir.path().join("base");
        copy_dir(base, &db).unwrap();
        let t = Instant::now();
        let store = Store::open(&db).unwrap();
        let data = store.load().unwrap().data;
        let hub = Arc::new(Hub::new(store, data, today()));
        let load = t.elapsed();
        let host = Host {
            hub: Arc::clone(&hub),
            // SAFETY: getuid has no preconditions and cannot fail.
            owner_uid: unsafe { libc::getuid() },
            today: Some(today()),
        };
        let socket = dir.path().join("assll.sock");
        let listener = listen(&socket).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || serve_on(&listener, &host, &stop))
        };
        Server {
            hub,
            socket,
            stop,
            thread: Some(thread),
            load,
            _dir: dir,
        }
    }

    /// The hub's commit number (moves on with each change saved).
    fn seq(&self) -> u64 {
        self.hub.snapshot().seq
    }

    /// Stops the server; returns once every session has ended.
    fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            t.join().unwrap().unwrap();
        }
    }
}

/// One person's terminal, as `assll` would attach it.
struct Client {
    stream: UnixStream,
    /// Where it is in [`TOUR`]: the next key it types.
    pos: usize,
}

impl Client {
    /// Connects and says hello; returns the client and the time to its
    /// first complete frame.
    fn attach(socket: &Path) -> (Client, Duration) {
        let t = Instant::now();
        let stream = UnixStream::connect(socket).unwrap();
        stream.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
        let mut c = Client { stream, pos: 0 };
        ToServer::Hello(Hello::new(120, 40, true, true))
            .write_to(&mut c.stream)
            .unwrap();
        c.frame();
        (c, t.elapsed())
    }

    fn send(&mut self, key: &str) {
        let key = Key::from_event(&key_event(key)).unwrap();
        ToServer::Key(key).write_to(&mut self.stream).unwrap();
    }

    /// The next frame's bytes.
    fn frame(&mut self) -> Vec<u8> {
        match ToClient::read_from(&mut self.stream) {
            Ok(Some(ToClient::Frame(bytes))) => bytes,
            other => panic!("une image était attendue, reçu {other:?}"),
        }
    }

    /// True when something has arrived and not been read.
    fn pending(&self) -> bool {
        self.pending_within(0)
    }

    /// True when something arrives within `ms` milliseconds.
    fn pending_within(&self, ms: i32) -> bool {
        let mut fd = libc::pollfd {
            fd: self.stream.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, the fd borrowed from a live stream.
        unsafe { libc::poll(&mut fd, 1, ms) > 0 }
    }

    /// Reads every frame already there (a frame is written in one go).
    fn drain(&mut self) {
        while self.pending() {
            self.frame();
        }
    }

    /// Key → the next frame, what was already pending read first.
    fn key(&mut self, key: &str) -> (Duration, Vec<u8>) {
        self.drain();
        let t = Instant::now();
        self.send(key);
        let frame = self.frame();
        (t.elapsed(), frame)
    }

    /// Types the next key of the tour; the tour goes on where it was, so
    /// that every key changes the screen (and gets a frame).
    fn next_key(&mut self) -> Duration {
        self.next_named().1
    }

    /// [`Client::next_key`], with the key's place in the tour.
    fn next_named(&mut self) -> (usize, Duration) {
        let at = self.pos % TOUR.len();
        self.pos += 1;
        (at, self.key(TOUR[at]).0)
    }

    /// Types the tour on until `key` is the last typed (untimed).
    fn goto(&mut self, key: &str) {
        self.next_key();
        while TOUR[(self.pos - 1) % TOUR.len()] != key {
            self.next_key();
        }
    }

    /// Types a whole tour of the screens (untimed).
    fn tour(&mut self) {
        for _ in TOUR {
            self.next_key();
        }
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// On the waiting list: starts the selected measure (`d`, the first TS,
/// confirmed if over capacity); an ineligible one is skipped (`j`), an
/// empty sector too (`Tab`).
/// Returns the time from the committing key to its frame, and the instant
/// that key was written (through `sent`, for the wake timings).
fn start_one(c: &mut Client, server: &Server, sent: &Mutex<Instant>) -> Duration {
    for _ in 0..50 {
        let (_, mut frame) = c.key("d");
        // Another session's commit may wake this one first: its frame is
        // not the answer to `d`; the answer follows.
        while !contains(&frame, "Démarrer")
            && !contains(&frame, "Aucune commande")
            && c.pending_within(500)
        {
            frame = c.frame();
        }
        if !contains(&frame, "Démarrer") {
            // This sector's list is empty: the next one.
            c.key(if contains(&frame, "Aucune commande") {
                "<Tab>"
            } else {
                "j"
            });
            continue;
        }
        let before = server.seq();
        for _ in 0..2 {
            c.drain();
            let t = Instant::now();
            *sent.lock().unwrap() = t;
            c.send("<Enter>");
            c.frame();
            let took = t.elapsed();
            if server.seq() != before {
                return took;
            }
        }
        panic!("la mesure n'a pas été démarrée");
    }
    panic!("aucune commande démarrable dans la liste d'attente");
}

struct Stats {
    n: usize,
    p50: f64,
    p95: f64,
    p99: f64,
    max: f64,
}

fn stats(mut v: Vec<Duration>) -> Stats {
    assert!(!v.is_empty());
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let at = |p: f64| ms(v[((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1]);
    Stats {
        n: v.len(),
        p50: at(0.50),
        p95: at(0.95),
        p99: at(0.99),
        max: ms(v[v.len() - 1]),
    }
}

fn row(what: &str, s: &Stats) {
    println!(
        "| {what:<44} | {:>5} | {:>7.2} | {:>7.2} | {:>7.2} | {:>7.2} |",
        s.n, s.p50, s.p95, s.p99, s.max
    );
}

fn header() {
    println!(
        "| {:<44} | {:>5} | {:>7} | {:>7} | {:>7} | {:>7} |",
        "mesure (ms)", "n", "p50", "p95", "p99", "max"
    );
    println!(
        "|{:-<46}|{:-<7}|{:-<9}|{:-<9}|{:-<9}|{:-<9}|",
        "", "", "", "", "", ""
    );
}

/// Every client types `keys` keys of the tour, on its own thread; with
/// `pace`, client i types its k-th key at start + (k + i/n)·pace. With
/// `commits`, client 0 does not tour but starts that many measures, spread
/// over the run. Returns the key timings and the commit timings.
fn storm(
    clients: &mut [Client],
    server: &Server,
    keys: usize,
    pace: Option<Duration>,
    commits: usize,
) -> (Vec<Duration>, Vec<Duration>) {
    let n = clients.len();
    let barrier = Barrier::new(n);
    let sent = Mutex::new(Instant::now());
    let results: Vec<(Vec<Duration>, Vec<Duration>)> = std::thread::scope(|s| {
        let handles: Vec<_> = clients
            .iter_mut()
            .enumerate()
            .map(|(i, c)| {
                let (barrier, sent) = (&barrier, &sent);
                s.spawn(move || {
                    let mut times = Vec::with_capacity(keys);
                    let mut saves = Vec::new();
                    barrier.wait();
                    let start = Instant::now();
                    let when = |k: usize| {
                        pace.map(|p| start + p * k as u32 + p.mul_f64(i as f64 / n as f64))
                    };
                    if i == 0 && commits > 0 {
                        c.goto("a");
                        for j in 0..commits {
                            let k = (j + 1) * keys / (commits + 1);
                            if let Some(at) = when(k) {
                                std::thread::sleep(at.saturating_duration_since(Instant::now()));
                            }
                            saves.push(start_one(c, server, sent));
                        }
                        return (times, saves);
                    }
                    for k in 0..keys {
                        if let Some(at) = when(k) {
                            std::thread::sleep(at.saturating_duration_since(Instant::now()));
                        }
                        times.push(c.next_key());
                    }
                    (times, saves)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut times = Vec::new();
    let mut saves = Vec::new();
    for (t, s) in results {
        times.extend(t);
        saves.extend(s);
    }
    (times, saves)
}

/// Everyone but client 0 on the dashboard; client 0 starts `commits`
/// measures; each other session's redraw is timed from the committing key.
fn wakes(clients: &mut [Client], server: &Server, commits: usize) -> (Vec<Duration>, usize) {
    for c in clients.iter_mut() {
        c.goto("t");
    }
    clients[0].goto("a");
    for c in clients.iter_mut() {
        c.drain();
    }
    let n = clients.len();
    let barrier = Barrier::new(n);
    let sent = Mutex::new(Instant::now());
    let missed = AtomicBool::new(false);
    let (first, rest) = clients.split_first_mut().unwrap();
    let mut out = Vec::new();
    std::thread::scope(|s| {
        let (barrier, sent, missed) = (&barrier, &sent, &missed);
        let handles: Vec<_> = rest
            .iter_mut()
            .map(|c| {
                s.spawn(move || {
                    let mut times = Vec::new();
                    for _ in 0..commits {
                        barrier.wait();
                        let got = match ToClient::read_from(&mut c.stream) {
                            Ok(Some(ToClient::Frame(_))) => Some(Instant::now()),
                            _ => {
                                missed.store(true, Ordering::Relaxed);
                                None
                            }
                        };
                        barrier.wait();
                        if let Some(got) = got {
                            times.push(got.saturating_duration_since(*sent.lock().unwrap()));
                        }
                        // A redraw that came in several frames.
                        c.drain();
                    }
                    times
                })
            })
            .collect();
        for _ in 0..commits {
            barrier.wait();
            start_one(first, server, sent);
            barrier.wait();
        }
        for h in handles {
            out.extend(h.join().unwrap());
        }
    });
    let missing = commits * (n - 1) - out.len();
    (out, missing)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` does not
    // (and a filter names another bench).
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--bench") || args.iter().any(|a| !a.starts_with('-')) {
        println!("serve : lancer avec `cargo bench --bench serve`");
        return;
    }
    let (rss_start, _) = memory();

    // 1 and 2: fifty sessions on 10,000 households.
    let base = db_for(10_000);
    let server = Server::start(&base);
    let (rss_loaded, _) = memory();
    let mut first_frames = Vec::new();
    let (mut c0, d) = Client::attach(&server.socket);
    first_frames.push(d);
    c0.tour();
    let (rss_one, _) = memory();
    let mut clients = vec![c0];
    for _ in 1..CLIENTS {
        let (c, d) = Client::attach(&server.socket);
        first_frames.push(d);
        clients.push(c);
    }
    let (rss_attached, _) = memory();
    for c in clients.iter_mut() {
        c.tour();
    }
    let (rss_toured, _) = memory();

    let t = Instant::now();
    let (paced, saves) = storm(&mut clients, &server, PACED_KEYS, Some(PACE), COMMITS);
    let paced_wall = t.elapsed();
    let t = Instant::now();
    let (unpaced, _) = storm(&mut clients, &server, UNPACED_KEYS, None, 0);
    let unpaced_wall = t.elapsed();
    let (wake, missing) = wakes(&mut clients, &server, COMMITS);
    let (rss_end, hwm_10k) = memory();
    let rss_trimmed = trimmed();
    let load_10k = server.load;
    drop(clients);
    server.stop();

    // The same commits with one other session only: the commit's own cost.
    let server = Server::start(&base);
    let mut pair: Vec<Client> = (0..2).map(|_| Client::attach(&server.socket).0).collect();
    let (wake_one, _) = wakes(&mut pair, &server, COMMITS);
    drop(pair);
    let parts_10k = commit_parts(&server);
    server.stop();

    // 3: fresh clients at 100,000 households.
    let base = db_for(100_000);
    trimmed();
    let server = Server::start(&base);
    let mut fresh = Vec::new();
    let (mut c0, d) = Client::attach(&server.socket);
    fresh.push(d);
    let mut keys_100k = Vec::new();
    let mut by_key = vec![Duration::ZERO; TOUR.len()];
    for _ in 0..4 * TOUR.len() {
        let (at, d) = c0.next_named();
        by_key[at] = by_key[at].max(d);
        keys_100k.push(d);
    }
    let (rss_one_100k, _) = memory();
    let mut attached = vec![c0];
    for _ in 1..CLIENTS {
        let (c, d) = Client::attach(&server.socket);
        fresh.push(d);
        attached.push(c);
    }
    for c in attached.iter_mut() {
        c.tour();
    }
    let (rss_all_100k, _) = memory();
    let (wake_100k, _) = wakes(&mut attached, &server, 2);
    let load_100k = server.load;
    drop(attached);
    let parts_100k = commit_parts(&server);
    server.stop();

    println!();
    println!(
        "assll serve, {CLIENTS} sessions, 10 000 ménages (chargement {:.0} ms), 120×40",
        load_10k.as_secs_f64() * 1e3
    );
    header();
    row(
        &format!("touche → image, 1 touche/{} ms/pers.", PACE.as_millis()),
        &stats(paced),
    );
    row("  dont enregistrements (touche → image)", &stats(saves));
    row("touche → image, sans pause", &stats(unpaced));
    row("réveil des autres sessions (→ image)", &stats(wake));
    row(
        "réveil d'une seule autre session (→ image)",
        &stats(wake_one),
    );
    row("première image (connexion → image)", &stats(first_frames));
    println!(
        "durées : rythmé {:.1} s, sans pause {:.1} s ({:.0} touches/s) ; réveils manqués : {missing}",
        paced_wall.as_secs_f64(),
        unpaced_wall.as_secs_f64(),
        (CLIENTS * UNPACED_KEYS) as f64 / unpaced_wall.as_secs_f64(),
    );
    println!();
    println!("mémoire du processus (VmRSS, Mio) :");
    println!("  au départ                                  {rss_start:>7.1}");
    println!("  base chargée (hub), aucune session         {rss_loaded:>7.1}");
    println!("  1 session, tous les écrans vus             {rss_one:>7.1}");
    println!("  {CLIENTS} sessions, première image               {rss_attached:>7.1}");
    println!("  {CLIENTS} sessions, tous les écrans vus          {rss_toured:>7.1}");
    println!(
        "  {CLIENTS} sessions, après touches et enregistrements {rss_end:>7.1}  (pic VmHWM {hwm_10k:.1})"
    );
    println!("  puis malloc_trim (mémoire rendue au système)  {rss_trimmed:>7.1}");
    println!(
        "  rapport {CLIENTS} sessions / 1 session : {:.2} (après la course : {:.2})",
        rss_toured / rss_one,
        rss_end / rss_one
    );
    println!();
    println!(
        "100 000 ménages (chargement {:.2} s) :",
        load_100k.as_secs_f64()
    );
    header();
    row("première image d'un nouveau client", &stats(fresh));
    println!(
        "mémoire (VmRSS, Mio) : 1 session {rss_one_100k:.1}, {CLIENTS} sessions {rss_all_100k:.1}, rapport {:.2}",
        rss_all_100k / rss_one_100k
    );
    row("touche → image, 1 session", &stats(keys_100k));
    let mut slowest: Vec<_> = (0..TOUR.len()).collect();
    slowest.sort_by_key(|&i| std::cmp::Reverse(by_key[i]));
    let after = |i: usize| TOUR[(i + TOUR.len() - 1) % TOUR.len()];
    let list: Vec<String> = slowest[..4]
        .iter()
        .map(|&i| {
            format!(
                "{} après {} {:.1} ms",
                TOUR[i],
                after(i),
                by_key[i].as_secs_f64() * 1e3
            )
        })
        .collect();
    println!("touches les plus lentes (max) : {}", list.join(" ; "));
    row(
        &format!("réveil des {} autres sessions (→ image)", CLIENTS - 1),
        &stats(wake_100k),
    );
    println!();
    println!("où va le temps d'un enregistrement (médianes, ms) :");
    println!("| {:<44} | {:>8} | {:>8} |", "", "10 000", "100 000");
    for (i, what) in [
        "écriture + flush sled (entrée d'audit seule)",
        "copie des données (Arc::make_mut)",
        "vues dérivées (Derived::compute)",
    ]
    .iter()
    .enumerate()
    {
        println!(
            "| {what:<44} | {:>8.2} | {:>8.2} |",
            parts_10k[i], parts_100k[i]
        );
    }
}
