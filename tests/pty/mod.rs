//! Drives the real `assll` binary in a pseudo-terminal, as a user would,
//! and reads its screen with a VT100 parser.
#![allow(dead_code)]

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Term {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

pub const TIMEOUT: Duration = Duration::from_secs(20);

impl Term {
    /// Starts `assll args…` in an 80×24 (or given) terminal.
    pub fn spawn(args: &[&str], envs: &[(&str, &str)], cols: u16, rows: u16) -> Term {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_assll"));
        for a in args {
            cmd.arg(a);
        }
        // portable-pty starts in $HOME unless told otherwise.
        if let Ok(cwd) = std::env::current_dir() {
            cmd.cwd(cwd);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn assll");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let nz = |n: u16| std::num::NonZeroU16::new(n.max(1)).expect("non-zero");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let p = parser.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => p.lock().expect("parser").process(&buf[..n]),
                }
            }
        });
        Term {
            parser,
            writer,
            child,
            _master: pair.master,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    /// Waits until the screen shows `text`; panics with the screen if not.
    pub fn wait_for(&self, text: &str) {
        let t0 = Instant::now();
        while t0.elapsed() < TIMEOUT {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!("« {text} » never appeared; screen:\n{}", self.screen());
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn enter(&mut self) {
        self.send("\r");
    }
    pub fn esc(&mut self) {
        self.send("\x1b");
        std::thread::sleep(Duration::from_millis(60));
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

    /// Waits for the program to end; its exit success.
    pub fn wait_exit(&mut self) -> bool {
        let t0 = Instant::now();
        while t0.elapsed() < TIMEOUT {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        let _ = self.child.kill();
        panic!("assll did not exit; screen:\n{}", self.screen());
    }

    /// Whether the program left the terminal as it found it: main screen,
    /// cursor shown.
    pub fn restored(&self) -> bool {
        let p = self.parser.lock().expect("parser");
        !p.screen().alternate_screen() && !p.screen().hide_cursor()
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
    }
}
