//! The terminal's input, watched with poll(2): whether a key is there, or
//! the terminal hung up (an SSH link that drops, a closed window). Used by
//! the application's loop and by the client attached to `assll serve`.

/// What the terminal's input says, read with poll(2) before crossterm is
/// asked for an event: crossterm 0.29 loops for ever, without returning,
/// when its read gets end-of-file or EIO (a terminal that hung up), so it
/// must never be asked then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Ready,
    Nothing,
    HungUp,
}

#[cfg(unix)]
mod imp {
    use super::Input;
    use std::os::fd::{AsRawFd, RawFd};

    /// The descriptor crossterm reads keys from: standard input when it is
    /// a terminal, else `/dev/tty` (opened here too: same terminal).
    pub struct Tty {
        fd: RawFd,
        _owned: Option<std::fs::File>,
    }

    impl Tty {
        pub fn open() -> Option<Tty> {
            // SAFETY: isatty only inspects the descriptor.
            if unsafe { libc::isatty(libc::STDIN_FILENO) } == 1 {
                return Some(Tty {
                    fd: libc::STDIN_FILENO,
                    _owned: None,
                });
            }
            let f = std::fs::File::open("/dev/tty").ok()?;
            Some(Tty {
                fd: f.as_raw_fd(),
                _owned: Some(f),
            })
        }

        /// Waits up to `ms` milliseconds for input (a signal cuts it short:
        /// `Nothing`). POLLHUP, POLLERR, POLLNVAL, a poll(2) failure, or
        /// "readable" with nothing to read (end of file) are a hang-up.
        pub fn wait(&self, ms: i32) -> Input {
            let mut p = libc::pollfd {
                fd: self.fd,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd, for the duration of the call.
            let n = unsafe { libc::poll(&mut p, 1, ms) };
            if n < 0 {
                return match std::io::Error::last_os_error().kind() {
                    std::io::ErrorKind::Interrupted => Input::Nothing,
                    _ => Input::HungUp,
                };
            }
            if n == 0 {
                return Input::Nothing;
            }
            if p.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                return Input::HungUp;
            }
            let mut pending: libc::c_int = 0;
            // SAFETY: FIONREAD writes one c_int.
            let r = unsafe { libc::ioctl(self.fd, libc::FIONREAD, &mut pending) };
            if r < 0 || pending <= 0 {
                return Input::HungUp;
            }
            Input::Ready
        }
    }
}

#[cfg(not(unix))]
mod imp {
    use super::Input;
    use ratatui::crossterm::event;
    use std::time::{Duration, Instant};

    pub struct Tty;

    impl Tty {
        pub fn open() -> Option<Tty> {
            Some(Tty)
        }
        pub fn wait(&self, ms: i32) -> Input {
            match event::poll(Duration::from_millis(ms.max(0) as u64)) {
                Ok(true) => Input::Ready,
                Ok(false) => Input::Nothing,
                Err(_) => Input::HungUp,
            }
        }
    }
}

pub use imp::Tty;
