//! Who is using assll, from the operating system: the process's real uid
//! and its login name in the user database. Never from `$USER`, `$LOGNAME`
//! or anything else the user can set: the audit's author must not be
//! whatever the environment says.

/// The login name of the user running this process (real uid).
pub fn current_user() -> String {
    #[cfg(unix)]
    {
        // SAFETY: getuid has no preconditions and cannot fail.
        user_name(unsafe { libc::getuid() })
    }
    #[cfg(not(unix))]
    {
        "inconnu".to_string()
    }
}

/// The login name of `uid` (getpwuid_r), or `uid N` when the user database
/// has no entry for it. Also for a peer's credentials (a Unix socket).
#[cfg(unix)]
pub fn user_name(uid: u32) -> String {
    login_name(uid).unwrap_or_else(|| format!("uid {uid}"))
}

/// The login name of `uid` in the user database, if it has one.
#[cfg(unix)]
pub fn login_name(uid: u32) -> Option<String> {
    use std::ffi::CStr;
    let mut buf = vec![0u8; 1024];
    loop {
        // SAFETY: an all-zero passwd is a valid value to be overwritten.
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer is valid for the call; getpwuid_r writes the
        // strings into `buf`, which outlives the reads below.
        let rc = unsafe {
            libc::getpwuid_r(
                uid,
                &mut pwd,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            )
        };
        if rc == libc::ERANGE && buf.len() < 1 << 20 {
            buf.resize(buf.len() * 4, 0);
            continue;
        }
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        // SAFETY: pw_name points to a NUL-terminated string inside `buf`.
        let name = unsafe { CStr::from_ptr(pwd.pw_name) }
            .to_string_lossy()
            .into_owned();
        return (!name.is_empty()).then_some(name);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn root_is_root_and_an_unknown_uid_is_its_number() {
        assert_eq!(user_name(0), "root");
        assert_eq!(user_name(4_000_000_123), "uid 4000000123");
    }
}
