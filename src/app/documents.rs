//! Where the application writes the documents it produces (GTS agendas,
//! minutes), each as a PDF with its plain-text twin, and how: never over
//! a document already there.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

/// The documents folder, as the README says: `ASSLL_DOCS` when set, else
/// `assll/` in the user's Documents folder.
pub fn documents_dir() -> PathBuf {
    let user = directories::UserDirs::new();
    documents_dir_from(
        std::env::var_os("ASSLL_DOCS"),
        user.as_ref()
            .and_then(|u| u.document_dir().map(Path::to_path_buf)),
        user.as_ref().map(|u| u.home_dir().to_path_buf()),
    )
}

/// [`documents_dir`] from what the system says: `ASSLL_DOCS`, the Documents
/// folder the desktop names (XDG's `DOCUMENTS` on Linux, which a server
/// reached by SSH often does not have), the home folder. Without a named
/// Documents folder it is `~/Documents`, the name every desktop gives it.
pub fn documents_dir_from(
    assll_docs: Option<OsString>,
    documents: Option<PathBuf>,
    home: Option<PathBuf>,
) -> PathBuf {
    if let Some(dir) = assll_docs.filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(d) = documents {
        return d.join("assll");
    }
    if let Some(h) = home {
        return h.join("Documents").join("assll");
    }
    // No home at all (a service account): beside the program's data.
    directories::ProjectDirs::from("fr", "GIP Charente", "assll")
        .map(|d| d.data_dir().join("documents"))
        .unwrap_or_else(|| PathBuf::from("assll-documents"))
}

/// The two documents written, and the name asked for when it was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub pdf: PathBuf,
    pub txt: PathBuf,
    /// `Some("pv-2026-12")` when a document of that name was already
    /// there: it is kept, and these are `pv-2026-12-2.pdf`/`.txt`.
    pub taken: Option<String>,
}

impl Written {
    /// For the status line: ` ; pv-2026-12.pdf existait déjà, gardé`.
    pub fn note(&self) -> String {
        match &self.taken {
            Some(stem) => format!(" ; {stem}.pdf existait déjà, gardé"),
            None => String::new(),
        }
    }
}

/// Writes `<stem>.pdf` and `<stem>.txt` in `dir` (created 0700 if
/// needed), each 0600 (people's names are in them). A document already
/// there is never replaced: the pair takes the first free name among
/// `<stem>-2`, `<stem>-3`… Each file is written whole under a temporary
/// name first, then linked under its own (which fails rather than replace
/// a file), so a reader never sees half a document. The error is in
/// French.
pub fn write_document(dir: &Path, stem: &str, text: &str, pdf: &[u8]) -> Result<Written, String> {
    let (paths, taken) = write_documents(dir, stem, &[("pdf", pdf), ("txt", text.as_bytes())])?;
    let mut paths = paths.into_iter();
    match (paths.next(), paths.next()) {
        (Some(pdf), Some(txt)) => Ok(Written { pdf, txt, taken }),
        _ => Err(format!("{stem} : documents non écrits")),
    }
}

/// [`write_document`] for any set of twins, one per extension (the yearly
/// report: PDF, text and ODS): all take the same free name, none replaces
/// a file. Returns their paths, in the order of `files`, and the name
/// asked for when it was taken.
pub fn write_documents(
    dir: &Path,
    stem: &str,
    files: &[(&str, &[u8])],
) -> Result<(Vec<PathBuf>, Option<String>), String> {
    crate::private::create_dir(dir)
        .map_err(|e| format!("dossier {} impossible à créer : {e}", dir.display()))?;
    let tmps: Vec<PathBuf> = files
        .iter()
        .map(|(ext, _)| dir.join(format!(".{stem}.{}.{ext}.tmp", std::process::id())))
        .collect();
    let written = (|| {
        for (tmp, (_, bytes)) in tmps.iter().zip(files) {
            crate::private::write(tmp, bytes)
                .map_err(|e| format!("écriture de {} impossible : {e}", tmp.display()))?;
        }
        'names: for n in 1..1000 {
            let name = if n == 1 {
                stem.to_string()
            } else {
                format!("{stem}-{n}")
            };
            let dests: Vec<PathBuf> = files
                .iter()
                .map(|(ext, _)| dir.join(format!("{name}.{ext}")))
                .collect();
            if dests.iter().any(|d| d.exists()) {
                continue;
            }
            let failed =
                |p: &Path, e: io::Error| format!("écriture de {} impossible : {e}", p.display());
            for (i, (tmp, dest)) in tmps.iter().zip(&dests).enumerate() {
                if !place(tmp, dest).map_err(|e| failed(dest, e))? {
                    // Taken meanwhile: ours go back, the next name is tried.
                    for (t, d) in tmps.iter().zip(&dests).take(i) {
                        std::fs::rename(d, t).map_err(|e| failed(d, e))?;
                    }
                    continue 'names;
                }
            }
            return Ok((dests, (n > 1).then(|| stem.to_string())));
        }
        Err(format!(
            "{stem} : plus de 999 documents de ce nom dans {}",
            dir.display()
        ))
    })();
    for t in &tmps {
        let _ = std::fs::remove_file(t);
    }
    written
}

/// Puts the complete file `tmp` at `dest` unless something is there:
/// `Ok(false)` when taken. A hard link fails rather than replace; where
/// the file system has none (some USB keys, network shares), a rename
/// after looking (the small window between is the price).
fn place(tmp: &Path, dest: &Path) -> io::Result<bool> {
    match std::fs::hard_link(tmp, dest) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(_) if dest.exists() => Ok(false),
        Err(_) => std::fs::rename(tmp, dest).map(|_| true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_both_twins() {
        let dir = tempfile::tempdir().unwrap();
        let Written { pdf, txt, taken } =
            write_document(dir.path(), "pv-2026-12", "Procès-verbal", b"%PDF-1.7").unwrap();
        assert_eq!(taken, None);
        assert_eq!(std::fs::read(pdf).unwrap(), b"%PDF-1.7");
        assert_eq!(std::fs::read_to_string(&txt).unwrap(), "Procès-verbal");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&txt), 0o600);
            assert_eq!(mode(&txt.with_extension("pdf")), 0o600);
        }
        // Nothing else left in the folder (no temporary file).
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn a_document_already_there_is_kept_and_the_new_one_numbered() {
        let dir = tempfile::tempdir().unwrap();
        let first = write_document(dir.path(), "pv-2026-12", "premier", b"%PDF-1").unwrap();
        let second = write_document(dir.path(), "pv-2026-12", "second", b"%PDF-2").unwrap();
        assert_eq!(second.pdf, dir.path().join("pv-2026-12-2.pdf"));
        assert_eq!(second.txt, dir.path().join("pv-2026-12-2.txt"));
        assert_eq!(second.taken.as_deref(), Some("pv-2026-12"));
        assert!(second.note().contains("pv-2026-12.pdf existait déjà"));
        assert_eq!(std::fs::read_to_string(&first.txt).unwrap(), "premier");
        assert_eq!(std::fs::read(&first.pdf).unwrap(), b"%PDF-1");
        assert_eq!(std::fs::read_to_string(&second.txt).unwrap(), "second");
        // A lone twin (someone deleted the PDF) still holds its name.
        std::fs::remove_file(dir.path().join("pv-2026-12-2.pdf")).unwrap();
        let third = write_document(dir.path(), "pv-2026-12", "troisième", b"%PDF-3").unwrap();
        assert_eq!(third.txt, dir.path().join("pv-2026-12-3.txt"));
        assert_eq!(std::fs::read_to_string(&second.txt).unwrap(), "second");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 5);
    }

    #[test]
    fn the_folder_is_assll_docs_else_the_documents_folder() {
        let docs = Some(PathBuf::from("/home/ts/Documents"));
        let home = Some(PathBuf::from("/home/ts"));
        assert_eq!(
            documents_dir_from(Some("/srv/docs".into()), docs.clone(), home.clone()),
            PathBuf::from("/srv/docs")
        );
        // Set but empty: as if unset.
        assert_eq!(
            documents_dir_from(Some("".into()), docs.clone(), home.clone()),
            PathBuf::from("/home/ts/Documents/assll")
        );
        // The desktop's own name for it (a French desktop may say so).
        assert_eq!(
            documents_dir_from(None, Some("/home/ts/Mes documents".into()), home.clone()),
            PathBuf::from("/home/ts/Mes documents/assll")
        );
        // No XDG Documents folder (a server reached by SSH): ~/Documents.
        assert_eq!(
            documents_dir_from(None, None, home),
            PathBuf::from("/home/ts/Documents/assll")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_new_documents_folder_is_the_owners_only() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("docs/assll");
        write_document(&dir, "odj-2026-12", "Ordre du jour", b"%PDF-1.7").unwrap();
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }
}
