//! Who is at the other end of a Unix socket, as the kernel says
//! (`SO_PEERCRED`), never as the client claims.

use std::io;
use std::os::unix::net::UnixStream;

/// The credentials of the process that connected (at `connect` time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer {
    pub uid: u32,
    pub gid: u32,
    pub pid: i32,
}

impl Peer {
    /// The login name of `uid` from the system's user database, if any:
    /// the author the audit journal records for this session.
    pub fn user_name(&self) -> Option<String> {
        user_name(self.uid)
    }
}

/// The peer's uid, gid and pid, from the kernel.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub fn peer_credentials(stream: &UnixStream) -> io::Result<Peer> {
    use std::os::fd::AsRawFd;
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: the fd is a live socket borrowed from `stream` for the call;
    // `cred` is a properly aligned, writable `ucred` and `len` holds its
    // exact size, which is what SO_PEERCRED writes (and at most `len` bytes).
    let rc = unsafe {
        libc::getsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&raw mut cred).cast::<libc::c_void>(),
            &mut len,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    if len as usize != std::mem::size_of::<libc::ucred>() {
        return Err(io::Error::other("SO_PEERCRED : réponse inattendue"));
    }
    Ok(Peer {
        uid: cred.uid,
        gid: cred.gid,
        pid: cred.pid,
    })
}

/// Only Linux is supported for serving (SO_PEERCRED).
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub fn peer_credentials(_stream: &UnixStream) -> io::Result<Peer> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "identification du client (SO_PEERCRED) disponible sous Linux seulement",
    ))
}

/// The login name of a uid (`getpwuid_r`), `None` if it has none.
pub fn user_name(uid: u32) -> Option<String> {
    crate::identity::login_name(uid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn socketpair_peer_is_this_process() {
        let (a, b) = UnixStream::pair().unwrap();
        let p = peer_credentials(&a).unwrap();
        // SAFETY: getuid/getgid cannot fail and touch no memory.
        let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
        assert_eq!(p.uid, uid);
        assert_eq!(p.gid, gid);
        assert_eq!(p.pid, std::process::id() as i32);
        assert_eq!(peer_credentials(&b).unwrap(), p);
    }

    #[test]
    fn root_has_a_name() {
        assert_eq!(user_name(0).as_deref(), Some("root"));
    }
}
