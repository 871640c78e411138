//! Where the application writes the documents it produces (GTS agendas,
//! minutes), each as a PDF with its plain-text twin.

use std::path::{Path, PathBuf};

/// The documents folder: `ASSLL_DOCS` when set, else `assll/` in the
/// user's documents folder, else in the data folder.
pub fn documents_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ASSLL_DOCS").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(d) =
        directories::UserDirs::new().and_then(|u| u.document_dir().map(Path::to_path_buf))
    {
        return d.join("assll");
    }
    directories::ProjectDirs::from("fr", "GIP Charente", "assll")
        .map(|d| d.data_dir().join("documents"))
        .unwrap_or_else(|| PathBuf::from("assll-documents"))
}

/// Writes `<stem>.pdf` and `<stem>.txt` in `dir` (created 0700 if needed),
/// each 0600 (people's names are in them),
/// through a temporary file renamed into place, so that a reader never
/// sees half a document. Returns the two paths; the error is in French.
pub fn write_document(
    dir: &Path,
    stem: &str,
    text: &str,
    pdf: &[u8],
) -> Result<(PathBuf, PathBuf), String> {
    crate::private::create_dir(dir)
        .map_err(|e| format!("dossier {} impossible à créer : {e}", dir.display()))?;
    let write = |path: &Path, bytes: &[u8]| -> Result<(), String> {
        let tmp = path.with_extension("tmp");
        crate::private::write(&tmp, bytes)
            .and_then(|_| std::fs::rename(&tmp, path))
            .map_err(|e| format!("écriture de {} impossible : {e}", path.display()))
    };
    let pdf_path = dir.join(format!("{stem}.pdf"));
    let txt_path = dir.join(format!("{stem}.txt"));
    write(&pdf_path, pdf)?;
    write(&txt_path, text.as_bytes())?;
    Ok((pdf_path, txt_path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_both_twins() {
        let dir = tempfile::tempdir().unwrap();
        let (pdf, txt) =
            write_document(dir.path(), "pv-2026-12", "Procès-verbal", b"%PDF-1.7").unwrap();
        assert_eq!(std::fs::read(pdf).unwrap(), b"%PDF-1.7");
        assert_eq!(std::fs::read_to_string(&txt).unwrap(), "Procès-verbal");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&txt), 0o600);
            assert_eq!(mode(&txt.with_extension("pdf")), 0o600);
        }
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
