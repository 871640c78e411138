//! The base holds vulnerable people's data: everything assll writes is its
//! owner's only, 0600 files in 0700 folders. The umask set by `main`
//! covers what libraries create (sled's files); the helpers here say it
//! explicitly, for when assll is used as a library without that umask.

use std::io;
use std::path::{Path, PathBuf};

/// Sets the process umask to 0o077: files 0600, folders 0700 at most.
pub fn owner_only_umask() {
    #[cfg(unix)]
    // SAFETY: umask only changes the process's creation mask.
    unsafe {
        libc::umask(0o077);
    }
}

/// Creates `dir` and its missing parents, each created one 0700 (folders
/// that already exist are left as they are).
pub fn create_dir(dir: &Path) -> io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// Writes `bytes` to `path` as a 0600 file (also when it already existed
/// with a looser mode).
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o.open(path)?;
    #[cfg(unix)]
    f.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    f.write_all(bytes)?;
    f.flush()
}

/// Takes the group's and others' rights off `root` and everything under
/// it (0755 → 0700, 0644 → 0600). Returns what could not be changed, with
/// why; what was already private is not touched.
pub fn tighten(root: &Path) -> Vec<(PathBuf, io::Error)> {
    let mut failed = Vec::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut todo = vec![root.to_path_buf()];
        while let Some(p) = todo.pop() {
            // Links are not followed: only what is really in the base.
            let meta = match std::fs::symlink_metadata(&p) {
                Ok(m) => m,
                Err(e) => {
                    failed.push((p, e));
                    continue;
                }
            };
            if meta.file_type().is_symlink() {
                continue;
            }
            if meta.is_dir() {
                match std::fs::read_dir(&p) {
                    Ok(rd) => todo.extend(rd.filter_map(Result::ok).map(|e| e.path())),
                    Err(e) => failed.push((p.clone(), e)),
                }
            }
            let mode = meta.permissions().mode();
            if mode & 0o077 != 0 {
                let private = std::fs::Permissions::from_mode(mode & 0o7700);
                if let Err(e) = std::fs::set_permissions(&p, private) {
                    failed.push((p, e));
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = root;
    failed
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn helpers_write_0600_in_0700_and_tighten_takes_off_group_and_others() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        create_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&tmp.path().join("a")), 0o700);
        let f = dir.join("f.txt");
        std::fs::write(&f, "x").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        write(&f, b"y").unwrap();
        assert_eq!(mode(&f), 0o600);
        assert_eq!(std::fs::read(&f).unwrap(), b"y");

        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o664)).unwrap();
        assert!(tighten(&dir).is_empty());
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&f), 0o600);
    }
}
