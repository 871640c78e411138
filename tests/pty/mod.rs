//! Drives the real `assll` binary in a pseudo-terminal, as a user would,
//! and reads its screen with a VT100 parser.
#![allow(dead_code)]

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub struct Term {
    parser: Arc<Mutex<vt100::Parser>>,
    /// Our own copy of the master's descriptor, for the keys: portable-pty's
    /// writer sends "\n" + EOF when dropped, which a raw-mode program reads
    /// as keys, not as a hang-up.
    writer: Option<File>,
    child: Box<dyn Child + Send + Sync>,
    master: Option<Box<dyn MasterPty + Send>>,
    /// Tells the reader thread to close its copy of the master.
    closing: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    /// The program's own data and config folders (drafts, prefs) when the
    /// test names none: a test never writes into the real user's.
    _home: tempfile::TempDir,
}

/// A duplicate of `fd` as an owned file (closed when dropped).
fn dup(fd: std::os::fd::RawFd) -> File {
    // SAFETY: dup returns a new descriptor that nothing else owns.
    let new = unsafe { libc::dup(fd) };
    assert!(new >= 0, "dup: {}", std::io::Error::last_os_error());
    // SAFETY: `new` is a fresh, open descriptor owned by the File from now on.
    unsafe { File::from_raw_fd(new) }
}

pub const TIMEOUT: Duration = Duration::from_secs(20);

impl Term {
    /// Starts `assll args…` in an 80×24 (or given) terminal.
    pub fn spawn(args: &[&str], envs: &[(&str, &str)], cols: u16, rows: u16) -> Term {
        Term::spawn_via(&[], args, envs, cols, rows)
    }

    /// Starts `wrapper… assll args…` (e.g. `setsid -w`).
    pub fn spawn_via(
        wrapper: &[&str],
        args: &[&str],
        envs: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Term {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let bin = env!("CARGO_BIN_EXE_assll");
        let mut cmd = CommandBuilder::new(wrapper.first().copied().unwrap_or(bin));
        if let Some((_, rest)) = wrapper.split_first() {
            cmd.args(rest);
            cmd.arg(bin);
        }
        for a in args {
            cmd.arg(a);
        }
        // portable-pty starts in $HOME unless told otherwise.
        if let Ok(cwd) = std::env::current_dir() {
            cmd.cwd(cwd);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        let home = tempfile::tempdir().expect("temp dir");
        cmd.env("XDG_DATA_HOME", home.path().join("data"));
        cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn assll");
        drop(pair.slave);
        let master_fd = pair.master.as_raw_fd().expect("master fd");
        let mut reader = dup(master_fd);
        let writer = dup(master_fd);
        let nz = |n: u16| std::num::NonZeroU16::new(n.max(1)).expect("non-zero");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let p = parser.clone();
        let closing = Arc::new(AtomicBool::new(false));
        let stop = closing.clone();
        // Reads the screen until told to close (its copy of the master must
        // be closed for the terminal to hang up), or the program is gone.
        let reader_thread = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !stop.load(Ordering::Relaxed) {
                let mut pfd = libc::pollfd {
                    fd: reader.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd.
                if unsafe { libc::poll(&mut pfd, 1, 50) } <= 0 {
                    continue;
                }
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => p.lock().expect("parser").process(&buf[..n]),
                }
            }
        });
        Term {
            _home: home,
            parser,
            writer: Some(writer),
            child,
            master: Some(pair.master),
            closing,
            reader: Some(reader_thread),
        }
    }

    /// Closes the terminal as a dropped SSH link or a killed terminal
    /// emulator does: every descriptor of the master side is closed, and
    /// the program's terminal hangs up. The screen stays as it was.
    pub fn hang_up(&mut self) {
        self.writer = None;
        self.closing.store(true, Ordering::Relaxed);
        if let Some(r) = self.reader.take() {
            r.join().expect("reader thread");
        }
        self.master = None;
    }

    /// Whether the program is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    /// Waits until `ok(screen)` holds; panics with `what` and the screen
    /// if it does not within [`TIMEOUT`] (generous: a loaded machine).
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) {
        let t0 = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return;
            }
            if t0.elapsed() > TIMEOUT {
                panic!("{what}: not seen after {TIMEOUT:?}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the screen shows `text`; panics with the screen if not.
    pub fn wait_for(&self, text: &str) {
        self.wait_until(&format!("« {text} » to appear"), |s| s.contains(text));
    }

    /// Waits until the screen no longer shows `text`.
    pub fn wait_gone(&self, text: &str) {
        self.wait_until(&format!("« {text} » to go"), |s| !s.contains(text));
    }

    /// Sends keys and returns at once: the caller waits for what they do
    /// (never a fixed pause: it is too short on a loaded machine and
    /// wasted on an idle one).
    pub fn send(&mut self, keys: &str) {
        let w = self.writer.as_mut().expect("terminal hung up");
        w.write_all(keys.as_bytes()).expect("write keys");
        w.flush().expect("flush keys");
    }

    pub fn enter(&mut self) {
        self.send("\r");
    }
    /// A bare Escape. The program tells it from the start of an escape
    /// sequence because nothing follows in the same read: wait for its
    /// effect on the screen before sending the next key.
    pub fn esc(&mut self) {
        self.send("\x1b");
    }
    pub fn down(&mut self) {
        self.send("\x1b[B");
    }
    pub fn right(&mut self) {
        self.send("\x1b[C");
    }
    pub fn tab(&mut self) {
        self.send("\t");
    }

    /// Waits for the program to end, then for the screen to have
    /// everything it wrote (its last bytes, the terminal's restoration, may
    /// still be in the pty when it is gone); its exit success.
    pub fn wait_exit(&mut self) -> bool {
        let t0 = Instant::now();
        while t0.elapsed() < TIMEOUT {
            if let Ok(Some(status)) = self.child.try_wait() {
                self.drain(t0);
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        panic!("assll did not exit; screen:\n{}", self.screen());
    }

    /// Waits for the reader thread to reach the end of the output (the
    /// slave side closed by every process), within the same deadline.
    fn drain(&mut self, t0: Instant) {
        while let Some(r) = &self.reader {
            if r.is_finished() {
                let _ = self.reader.take().map(JoinHandle::join);
                return;
            }
            if t0.elapsed() > TIMEOUT {
                return; // something else holds the slave: keep what is read
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Whether the program left the terminal as it found it: main screen,
    /// cursor shown, bracketed paste off.
    pub fn restored(&self) -> bool {
        let p = self.parser.lock().expect("parser");
        !p.screen().alternate_screen() && !p.screen().hide_cursor() && !p.screen().bracketed_paste()
    }

    /// Whether the program asked for bracketed paste (a paste arrives as
    /// one, not as keys).
    pub fn bracketed_paste(&self) -> bool {
        self.parser
            .lock()
            .expect("parser")
            .screen()
            .bracketed_paste()
    }

    /// Pastes `text` as a terminal does in bracketed-paste mode.
    pub fn paste(&mut self, text: &str) {
        self.send(&format!("\x1b[200~{text}\x1b[201~"));
    }

    /// Whether the program shows the alternate screen (full-screen mode).
    pub fn alternate(&self) -> bool {
        self.parser
            .lock()
            .expect("parser")
            .screen()
            .alternate_screen()
    }

    /// The process state letter from /proc (`T`: stopped), if readable.
    pub fn state(&self) -> Option<char> {
        let pid = self.child.process_id()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // "pid (comm) S …": the state follows the last parenthesis.
        stat.rsplit_once(')')?.1.trim_start().chars().next()
    }

    /// Sends a Unix signal (`TERM`, `HUP`…) to the program.
    pub fn signal(&self, sig: &str) {
        let pid = self.child.process_id().expect("child pid");
        // The shell's builtin `kill`: no dependence on procps being installed.
        let ok = std::process::Command::new("sh")
            .args(["-c", &format!("kill -{sig} {pid}")])
            .status()
            .expect("kill")
            .success();
        assert!(ok, "kill -{sig} {pid}");
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.child.kill();
        self.closing.store(true, Ordering::Relaxed);
    }
}
