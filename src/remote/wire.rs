//! The wire protocol between `assll` (client) and `assll serve`.
//!
//! A message is a frame: a big-endian `u32` payload length, then the
//! payload, a bincode 2 (serde) encoding of [`ToServer`] or [`ToClient`].
//! Each direction has a hard cap ([`MAX_TO_SERVER`], [`MAX_TO_CLIENT`]): a
//! length above it is refused before anything is allocated, and the
//! decoder is limited to the same size, so a forged length inside the
//! payload (a string claiming 4 GB) cannot allocate either. A frame that
//! is oversized, cut short, or does not decode to exactly its length is an
//! error; the caller closes the connection.
//!
//! bincode here and not only in `store/`: these messages are never stored,
//! both ends are the same binary (the [`Hello`] carries
//! [`PROTOCOL_VERSION`], a mismatch is refused), so the reason bincode
//! sits behind the record envelope (old values that must keep decoding)
//! does not apply. Append variants only, as for records.

use ratatui::crossterm::event::{
    Event, KeyCode as CtKeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::io::{self, Read, Write};

/// Bumped whenever a message changes shape (2: a measure carries its past
/// reviews).
pub const PROTOCOL_VERSION: u32 = 3;
/// Largest frame the server sends (a full redraw is split below it).
pub const MAX_TO_CLIENT: usize = 1 << 20;
/// Largest frame a client may send (a paste included).
pub const MAX_TO_SERVER: usize = 64 << 10;
/// Terminal sizes beyond these are clamped: a session's screen buffer is
/// cols × rows cells, and the numbers come from the client.
pub const MAX_COLS: u16 = 1000;
pub const MAX_ROWS: u16 = 500;

/// The first message of a client: who it is not (that comes from the
/// kernel, see `peer`), but what its terminal can show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub version: u32,
    pub cols: u16,
    pub rows: u16,
    /// False when the user asked for no colour (`NO_COLOR`).
    pub color: bool,
    /// False when the locale is not UTF-8 (draw ASCII only).
    pub unicode: bool,
}

impl Hello {
    /// A hello for this protocol version.
    pub fn new(cols: u16, rows: u16, color: bool, unicode: bool) -> Self {
        Hello {
            version: PROTOCOL_VERSION,
            cols,
            rows,
            color,
            unicode,
        }
    }

    /// Colour and Unicode read from the environment as the local TUI does:
    /// `NO_COLOR` set and non-empty → no colour; `LC_ALL`, else
    /// `LC_CTYPE`, else `LANG` naming UTF-8 → Unicode. The size is filled
    /// in by `client::attach`.
    pub fn from_env() -> Self {
        let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let unicode = locale.contains("utf-8") || locale.contains("utf8");
        Hello::new(80, 24, color, unicode)
    }

    /// The size, clamped to 1..=MAX.
    pub fn size(&self) -> (u16, u16) {
        clamp_size(self.cols, self.rows)
    }
}

/// A terminal size from the client, made safe to allocate a screen for.
pub fn clamp_size(cols: u16, rows: u16) -> (u16, u16) {
    (cols.clamp(1, MAX_COLS), rows.clamp(1, MAX_ROWS))
}

/// The keys the application uses, as sent on the wire (crossterm's
/// `KeyCode` has no serde without a feature we do not take).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyCode {
    Char(char),
    F(u8),
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    PageUp,
    PageDown,
    Tab,
    BackTab,
    Enter,
    Esc,
    Backspace,
    Delete,
    Insert,
}

/// Press, repeat or release (only presses are sent by most terminals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyKind {
    Press,
    Repeat,
    Release,
}

/// A key event: code, modifier bits (crossterm's `KeyModifiers` bits:
/// shift 1, control 2, alt 4, super 8, hyper 16, meta 32), kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: u8,
    pub kind: KeyKind,
}

impl Key {
    /// The wire form of a crossterm key; `None` for keys the application
    /// has no use for (media keys, lone modifiers, caps lock…).
    pub fn from_event(k: &KeyEvent) -> Option<Key> {
        let code = match k.code {
            CtKeyCode::Char(c) => KeyCode::Char(c),
            CtKeyCode::F(n) => KeyCode::F(n),
            CtKeyCode::Left => KeyCode::Left,
            CtKeyCode::Right => KeyCode::Right,
            CtKeyCode::Up => KeyCode::Up,
            CtKeyCode::Down => KeyCode::Down,
            CtKeyCode::Home => KeyCode::Home,
            CtKeyCode::End => KeyCode::End,
            CtKeyCode::PageUp => KeyCode::PageUp,
            CtKeyCode::PageDown => KeyCode::PageDown,
            CtKeyCode::Tab => KeyCode::Tab,
            CtKeyCode::BackTab => KeyCode::BackTab,
            CtKeyCode::Enter => KeyCode::Enter,
            CtKeyCode::Esc => KeyCode::Esc,
            CtKeyCode::Backspace => KeyCode::Backspace,
            CtKeyCode::Delete => KeyCode::Delete,
            CtKeyCode::Insert => KeyCode::Insert,
            _ => return None,
        };
        let kind = match k.kind {
            KeyEventKind::Press => KeyKind::Press,
            KeyEventKind::Repeat => KeyKind::Repeat,
            KeyEventKind::Release => KeyKind::Release,
        };
        Some(Key {
            code,
            modifiers: k.modifiers.bits(),
            kind,
        })
    }

    /// The crossterm key the application's `update` expects.
    pub fn to_event(self) -> KeyEvent {
        let code = match self.code {
            KeyCode::Char(c) => CtKeyCode::Char(c),
            KeyCode::F(n) => CtKeyCode::F(n),
            KeyCode::Left => CtKeyCode::Left,
            KeyCode::Right => CtKeyCode::Right,
            KeyCode::Up => CtKeyCode::Up,
            KeyCode::Down => CtKeyCode::Down,
            KeyCode::Home => CtKeyCode::Home,
            KeyCode::End => CtKeyCode::End,
            KeyCode::PageUp => CtKeyCode::PageUp,
            KeyCode::PageDown => CtKeyCode::PageDown,
            KeyCode::Tab => CtKeyCode::Tab,
            KeyCode::BackTab => CtKeyCode::BackTab,
            KeyCode::Enter => CtKeyCode::Enter,
            KeyCode::Esc => CtKeyCode::Esc,
            KeyCode::Backspace => CtKeyCode::Backspace,
            KeyCode::Delete => CtKeyCode::Delete,
            KeyCode::Insert => CtKeyCode::Insert,
        };
        let kind = match self.kind {
            KeyKind::Press => KeyEventKind::Press,
            KeyKind::Repeat => KeyEventKind::Repeat,
            KeyKind::Release => KeyEventKind::Release,
        };
        KeyEvent {
            code,
            modifiers: KeyModifiers::from_bits_truncate(self.modifiers),
            kind,
            state: KeyEventState::NONE,
        }
    }
}

impl From<Key> for KeyEvent {
    fn from(k: Key) -> KeyEvent {
        k.to_event()
    }
}

/// Client → server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ToServer {
    Hello(Hello),
    Key(Key),
    Paste(String),
    Resize {
        cols: u16,
        rows: u16,
    },
    /// The user's terminal is going away.
    Bye,
    /// Instead of `Hello`: one command-line request (no session), answered
    /// with `Output` chunks then `Bye("")`, or `Refused`.
    Request(Request),
}

/// What the command line asks a running server for (its store is the
/// server's while it runs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    /// `assll export`: the whole base as JSON.
    Export,
    /// `assll audit`.
    Audit {
        last: Option<usize>,
        who: Option<String>,
    },
    /// `assll tableau`.
    Tableau,
    /// `assll compte donner LOGIN ROLE [--ts N]`.
    SetAccount {
        login: String,
        role: String,
        ts: Option<u32>,
    },
    /// `assll compte liste`.
    Accounts,
    /// `assll backup`: a consistent copy of the whole base (the backup
    /// file's bytes, see `store::backup`), written by the client.
    Backup,
    /// `assll stats ANNÉE [--csv]`: what the asker's role may read (R-STAT-1).
    Stats { year: i32, csv: bool },
}

impl ToServer {
    /// The message for a terminal event, if the server has a use for it
    /// (mouse and focus events are not sent).
    pub fn from_event(ev: &Event) -> Option<ToServer> {
        match ev {
            Event::Key(k) => Key::from_event(k).map(ToServer::Key),
            Event::Paste(s) => Some(ToServer::Paste(s.clone())),
            Event::Resize(cols, rows) => Some(ToServer::Resize {
                cols: *cols,
                rows: *rows,
            }),
            _ => None,
        }
    }

    /// The terminal event this message stands for (`Hello` and `Bye` have none).
    pub fn to_event(&self) -> Option<Event> {
        match self {
            ToServer::Key(k) => Some(Event::Key(k.to_event())),
            ToServer::Paste(s) => Some(Event::Paste(s.clone())),
            ToServer::Resize { cols, rows } => Some(Event::Resize(*cols, *rows)),
            ToServer::Hello(_) | ToServer::Bye | ToServer::Request(_) => None,
        }
    }

    pub fn write_to<W: Write>(&self, w: &mut W) -> io::Result<()> {
        write_frame(w, self, MAX_TO_SERVER)
    }

    /// The next message; `Ok(None)` on a clean end of stream (between frames).
    pub fn read_from<R: Read>(r: &mut R) -> io::Result<Option<ToServer>> {
        read_frame(r, MAX_TO_SERVER)
    }
}

/// Server → client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ToClient {
    /// Terminal bytes to write as they are.
    Frame(Vec<u8>),
    /// The session was not opened; the French reason.
    Refused(String),
    /// The session is over; the French goodbye or reason.
    Bye(String),
    /// Part of the answer to a `Request`, in order.
    Output(Vec<u8>),
}

impl ToClient {
    pub fn write_to<W: Write>(&self, w: &mut W) -> io::Result<()> {
        write_frame(w, self, MAX_TO_CLIENT)
    }

    /// The next message; `Ok(None)` on a clean end of stream (between frames).
    pub fn read_from<R: Read>(r: &mut R) -> io::Result<Option<ToClient>> {
        read_frame(r, MAX_TO_CLIENT)
    }
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg)
}

/// Encodes `msg` as one frame (length + payload), in one write.
pub fn encode<T: Serialize>(msg: &T, cap: usize) -> io::Result<Vec<u8>> {
    let config = bincode::config::standard();
    let mut out = vec![0u8; 4];
    bincode::serde::encode_into_std_write(msg, &mut out, config)
        .map_err(|e| invalid(format!("encodage impossible : {e}")))?;
    let len = out.len() - 4;
    if len > cap {
        return Err(invalid(format!("message trop long ({len} octets > {cap})")));
    }
    out[..4].copy_from_slice(&(len as u32).to_be_bytes());
    Ok(out)
}

/// Decodes one payload (without its length prefix): all of it, no more.
pub fn decode<T: DeserializeOwned>(payload: &[u8], cap: usize) -> io::Result<T> {
    if payload.len() > cap {
        return Err(invalid(format!(
            "message trop long ({} octets > {cap})",
            payload.len()
        )));
    }
    // The limit covers every length the payload claims inside itself.
    let config = bincode::config::standard().with_limit::<MAX_TO_CLIENT>();
    let (msg, used) = bincode::serde::decode_from_slice::<T, _>(payload, config)
        .map_err(|e| invalid(format!("message illisible : {e}")))?;
    if used != payload.len() {
        return Err(invalid(format!(
            "message illisible : {} octet(s) en trop",
            payload.len() - used
        )));
    }
    Ok(msg)
}

fn write_frame<W: Write, T: Serialize>(w: &mut W, msg: &T, cap: usize) -> io::Result<()> {
    let bytes = encode(msg, cap)?;
    w.write_all(&bytes)?;
    w.flush()
}

fn read_frame<R: Read, T: DeserializeOwned>(r: &mut R, cap: usize) -> io::Result<Option<T>> {
    let mut len = [0u8; 4];
    // A clean end of stream is one that falls between frames.
    let mut got = 0;
    while got < 4 {
        match r.read(&mut len[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > cap {
        return Err(invalid(format!("message trop long ({len} octets > {cap})")));
    }
    let mut payload = vec![0u8; len];
    r.read_exact(&mut payload)?;
    decode(&payload, cap).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn samples() -> Vec<ToServer> {
        vec![
            ToServer::Hello(Hello::new(80, 24, true, false)),
            ToServer::Key(Key {
                code: KeyCode::Char('é'),
                modifiers: 2,
                kind: KeyKind::Press,
            }),
            ToServer::Key(Key {
                code: KeyCode::F(12),
                modifiers: 0,
                kind: KeyKind::Release,
            }),
            ToServer::Paste("ligne 1\nligne « 2 »".into()),
            ToServer::Resize {
                cols: 132,
                rows: 43,
            },
            ToServer::Bye,
        ]
    }

    #[test]
    fn round_trip_both_directions() {
        let mut buf = Vec::new();
        for m in samples() {
            m.write_to(&mut buf).unwrap();
        }
        let mut r = Cursor::new(buf);
        for m in samples() {
            assert_eq!(ToServer::read_from(&mut r).unwrap(), Some(m));
        }
        assert_eq!(ToServer::read_from(&mut r).unwrap(), None);

        let msgs = [
            ToClient::Frame(b"\x1b[1;1Hbonjour".to_vec()),
            ToClient::Refused("Accès refusé".into()),
            ToClient::Bye("Au revoir".into()),
        ];
        let mut buf = Vec::new();
        for m in &msgs {
            m.write_to(&mut buf).unwrap();
        }
        let mut r = Cursor::new(buf);
        for m in &msgs {
            assert_eq!(ToClient::read_from(&mut r).unwrap().as_ref(), Some(m));
        }
        assert_eq!(ToClient::read_from(&mut r).unwrap(), None);
    }

    #[test]
    fn every_key_round_trips_through_crossterm() {
        use KeyCode::*;
        let codes = [
            Char('a'),
            Char('€'),
            F(1),
            F(12),
            Left,
            Right,
            Up,
            Down,
            Home,
            End,
            PageUp,
            PageDown,
            Tab,
            BackTab,
            Enter,
            Esc,
            Backspace,
            Delete,
            Insert,
        ];
        for code in codes {
            for modifiers in [0u8, 1, 2, 4, 7] {
                let k = Key {
                    code,
                    modifiers,
                    kind: KeyKind::Press,
                };
                let ev = Event::Key(k.to_event());
                let msg = ToServer::from_event(&ev).unwrap();
                assert_eq!(msg, ToServer::Key(k));
                assert_eq!(msg.to_event(), Some(ev));
            }
        }
        let media = KeyEvent::from(CtKeyCode::CapsLock);
        assert_eq!(Key::from_event(&media), None);
    }

    #[test]
    fn oversize_is_refused_before_allocating() {
        // A length of 4 GB: refused from the header alone.
        let mut r = Cursor::new(vec![0xff, 0xff, 0xff, 0xff, 0]);
        let e = ToServer::read_from(&mut r).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        // Just over the client's cap.
        let mut r = Cursor::new(((MAX_TO_SERVER + 1) as u32).to_be_bytes().to_vec());
        assert!(ToServer::read_from(&mut r).is_err());
        // A paste too long to send is refused on the sending side too.
        let big = ToServer::Paste("x".repeat(MAX_TO_SERVER));
        assert!(big.write_to(&mut Vec::new()).is_err());
        // A small frame whose string claims to be huge.
        let mut payload = vec![2u8]; // variant Paste
        payload.extend([0xfd, 0, 0, 0, 0, 0, 0, 0, 0x10]); // u64 varint length
        let mut frame = (payload.len() as u32).to_be_bytes().to_vec();
        frame.extend(payload);
        assert!(ToServer::read_from(&mut Cursor::new(frame)).is_err());
    }

    #[test]
    fn truncated_frame_is_an_error() {
        let mut buf = Vec::new();
        ToServer::Paste("bonjour".into())
            .write_to(&mut buf)
            .unwrap();
        for cut in 1..buf.len() {
            let r = ToServer::read_from(&mut Cursor::new(&buf[..cut]));
            assert!(r.is_err(), "cut at {cut}: {r:?}");
        }
    }

    #[test]
    fn garbage_is_an_error_never_a_panic() {
        // Unknown variant, invalid char, bytes left over, random bytes.
        for payload in [
            vec![9u8],
            vec![1u8, 0, 0xff, 0, 0], // Key(Char(not UTF-8))
            vec![4u8, 0, 0, 7],       // Bye + trailing bytes
        ] {
            let mut frame = (payload.len() as u32).to_be_bytes().to_vec();
            frame.extend(payload);
            assert!(ToServer::read_from(&mut Cursor::new(frame)).is_err());
        }
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            let mut bytes = Vec::new();
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                bytes.push(seed as u8);
            }
            let mut frame = (bytes.len() as u32).to_be_bytes().to_vec();
            frame.extend(bytes);
            let _ = ToServer::read_from(&mut Cursor::new(&frame));
            let _ = ToClient::read_from(&mut Cursor::new(&frame));
        }
    }

    #[test]
    fn sizes_are_clamped() {
        assert_eq!(clamp_size(0, 0), (1, 1));
        assert_eq!(clamp_size(u16::MAX, u16::MAX), (MAX_COLS, MAX_ROWS));
        assert_eq!(Hello::new(80, 24, true, true).size(), (80, 24));
    }
}
