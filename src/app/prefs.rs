//! Display preferences that survive a restart (the meeting's projector
//! theme and privacy switch), in `prefs.toml` in the config folder
//! (`ASSLL_CONFIG_DIR` overrides it). Written through a temporary file
//! renamed into place; a missing or unreadable file gives the defaults.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The file's name inside the config folder.
pub const FILE: &str = "prefs.toml";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Light background, high contrast, bold: for a projector.
    pub projector: bool,
    /// Initials and reference instead of names on the meeting screen.
    pub privacy: bool,
}

/// The config folder: `ASSLL_CONFIG_DIR` when set, else the platform's.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ASSLL_CONFIG_DIR").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("fr", "GIP Charente", "assll")
        .map(|d| d.config_dir().to_path_buf())
}

/// Reads `dir/prefs.toml`; the defaults when it is missing or unreadable.
pub fn load(dir: &Path) -> Prefs {
    std::fs::read_to_string(dir.join(FILE))
        .ok()
        .and_then(|s| toml::from_str(&s).ok())
        .unwrap_or_default()
}

/// Writes `dir/prefs.toml` (folder created if needed) through a temporary
/// file renamed into place. The error is in French.
pub fn save(dir: &Path, prefs: &Prefs) -> Result<PathBuf, String> {
    crate::private::create_dir(dir)
        .map_err(|e| format!("dossier {} impossible à créer : {e}", dir.display()))?;
    let text = toml::to_string(prefs).map_err(|e| format!("préférences illisibles : {e}"))?;
    let path = dir.join(FILE);
    let tmp = dir.join(format!("{FILE}.tmp"));
    crate::private::write(&tmp, text.as_bytes())
        .and_then(|_| std::fs::rename(&tmp, &path))
        .map_err(|e| format!("écriture de {} impossible : {e}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()), Prefs::default());
        let p = Prefs {
            projector: true,
            privacy: false,
        };
        save(dir.path(), &p).unwrap();
        assert_eq!(load(dir.path()), p);
        std::fs::write(dir.path().join(FILE), "not = [toml").unwrap();
        assert_eq!(load(dir.path()), Prefs::default());
    }
}
