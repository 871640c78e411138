//! A raw client of `assll serve` for tests: speaks the wire protocol over
//! the Unix socket and keeps the screen it is sent in a VT100 parser. No
//! fixed sleeps: every wait is for a condition, with a generous deadline.
#![allow(dead_code)]

use assll::remote::wire::{Hello, Key, KeyCode, KeyKind, ToClient, ToServer};
use std::num::NonZeroU16;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

pub const DEADLINE: Duration = Duration::from_secs(30);

pub fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < DEADLINE, "timed out waiting until {what}");
        std::thread::yield_now();
        std::thread::sleep(Duration::from_millis(5));
    }
}

pub fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap()
}

pub struct Client {
    pub stream: UnixStream,
    pub screen: vt100::Parser,
}

pub enum Got {
    Frame,
    Refused(String),
    Bye(String),
    Closed,
}

impl Client {
    pub fn connect(sock: &Path, cols: u16, rows: u16) -> Client {
        let mut stream = UnixStream::connect(sock).unwrap();
        stream.set_read_timeout(Some(DEADLINE)).unwrap();
        ToServer::Hello(Hello::new(cols, rows, true, true))
            .write_to(&mut stream)
            .unwrap();
        Client {
            stream,
            screen: vt100::Parser::new(nz(rows), nz(cols), 0),
        }
    }

    pub fn send(&mut self, msg: ToServer) {
        msg.write_to(&mut self.stream).unwrap();
    }

    pub fn key(&mut self, c: char) {
        self.send(ToServer::Key(Key {
            code: KeyCode::Char(c),
            modifiers: 0,
            kind: KeyKind::Press,
        }));
    }

    pub fn text(&self) -> String {
        self.screen.screen().contents()
    }

    /// Reads one message; a frame is applied to the screen.
    pub fn read(&mut self) -> Got {
        match ToClient::read_from(&mut self.stream) {
            Ok(Some(ToClient::Frame(bytes))) => {
                self.screen.process(&bytes);
                Got::Frame
            }
            Ok(Some(ToClient::Refused(m))) => Got::Refused(m),
            Ok(Some(ToClient::Bye(m))) => Got::Bye(m),
            Ok(None) | Err(_) | Ok(Some(ToClient::Output(_))) => Got::Closed,
        }
    }

    /// Reads frames until the screen shows `what`.
    pub fn wait_for(&mut self, what: &str) {
        let start = Instant::now();
        while !self.text().contains(what) {
            assert!(
                start.elapsed() < DEADLINE,
                "no {what:?} in:\n{}",
                self.text()
            );
            match self.read() {
                Got::Frame => {}
                Got::Refused(m) | Got::Bye(m) => panic!("ended ({m}) before {what:?}"),
                Got::Closed => panic!("closed before {what:?}:\n{}", self.text()),
            }
        }
    }

    /// Reads until the server ends the connection; its last word, if any.
    pub fn wait_end(&mut self) -> Option<String> {
        loop {
            match self.read() {
                Got::Frame => {}
                Got::Refused(m) | Got::Bye(m) => return Some(m),
                Got::Closed => return None,
            }
        }
    }
}

impl Client {
    /// Sends a key that is not a character (Enter, Tab, Esc…).
    pub fn special(&mut self, code: KeyCode) {
        self.send(ToServer::Key(Key {
            code,
            modifiers: 0,
            kind: KeyKind::Press,
        }));
    }
}
