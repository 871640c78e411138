//! Keys are data: `keymaps/default.toml` → [`Keymap`]. One table per mode,
//! each with `keymap = [ { on = "d", run = "start_measure", desc = "…" } ]`.
//! A user file (config folder, `keymap.toml`) is merged over the defaults:
//! its entries replace the default binding of the same key in the same mode.
//! A bad entry in the user file is skipped with a French message naming its
//! line, so the defaults keep working.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The default keymap, compiled in.
pub const DEFAULT_TOML: &str = include_str!("../keymaps/default.toml");

/// Where a key is looked up. Screen modes fall back to `global`; the modal
/// ones (form, dialog, editor, filter, help) do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    Global,
    Dashboard,
    Waiting,
    Measures,
    Household,
    Alerts,
    Form,
    Dialog,
    Editor,
    Filter,
    Help,
    Gts,
    GtsAgenda,
    Seance,
    SeanceAttendance,
    Refdata,
    Stats,
}

impl Mode {
    pub const ALL: [Mode; 17] = [
        Mode::Global,
        Mode::Dashboard,
        Mode::Waiting,
        Mode::Measures,
        Mode::Household,
        Mode::Alerts,
        Mode::Form,
        Mode::Dialog,
        Mode::Editor,
        Mode::Filter,
        Mode::Help,
        Mode::Gts,
        Mode::GtsAgenda,
        Mode::Seance,
        Mode::SeanceAttendance,
        Mode::Refdata,
        Mode::Stats,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Mode::Global => "global",
            Mode::Dashboard => "dashboard",
            Mode::Waiting => "waiting",
            Mode::Measures => "measures",
            Mode::Household => "household",
            Mode::Alerts => "alerts",
            Mode::Form => "form",
            Mode::Dialog => "dialog",
            Mode::Editor => "editor",
            Mode::Filter => "filter",
            Mode::Help => "help",
            Mode::Gts => "gts",
            Mode::GtsAgenda => "gts_agenda",
            Mode::Seance => "seance",
            Mode::SeanceAttendance => "seance_attendance",
            Mode::Refdata => "refdata",
            Mode::Stats => "stats",
        }
    }
    /// French title, for the help overlay and the README.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Global => "Partout",
            Mode::Dashboard => "Tableau de bord",
            Mode::Waiting => "Listes d'attente",
            Mode::Measures => "Mesures en cours",
            Mode::Household => "Dossier",
            Mode::Alerts => "Alertes",
            Mode::Form => "Formulaires",
            Mode::Dialog => "Choix et confirmations",
            Mode::Editor => "Éditeur du bilan",
            Mode::Filter => "Filtre",
            Mode::Help => "Aide",
            Mode::Gts => "Calendrier du GTS",
            Mode::GtsAgenda => "Ordre du jour du GTS",
            Mode::Seance => "Séance du GTS",
            Mode::SeanceAttendance => "Séance du GTS : présences",
            Mode::Refdata => "Référentiel",
            Mode::Stats => "Statistiques",
        }
    }
    pub fn from_name(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.name() == s)
    }
    /// Screen modes fall back to the global table.
    pub fn falls_back_to_global(self) -> bool {
        matches!(
            self,
            Mode::Dashboard
                | Mode::Waiting
                | Mode::Measures
                | Mode::Household
                | Mode::Alerts
                | Mode::Gts
                | Mode::GtsAgenda
                | Mode::Refdata
                | Mode::Stats
        )
    }
}

macro_rules! actions {
    ($($variant:ident => $name:literal),* $(,)?) => {
        /// Everything a key can ask for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Action { $($variant),* }
        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),*];
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),* }
            }
            pub fn from_name(s: &str) -> Option<Action> {
                match s { $($name => Some(Action::$variant),)* _ => None }
            }
        }
    };
}

actions! {
    Quit => "quit",
    Help => "help",
    Back => "back",
    GoDashboard => "go_dashboard",
    GoWaiting => "go_waiting",
    GoMeasures => "go_measures",
    GoAlerts => "go_alerts",
    NewReferral => "new_referral",
    Up => "up",
    Down => "down",
    PageUp => "page_up",
    PageDown => "page_down",
    Top => "top",
    Bottom => "bottom",
    NextSector => "next_sector",
    PrevSector => "prev_sector",
    Open => "open",
    Filter => "filter",
    Undo => "undo",
    StartMeasure => "start_measure",
    MoveSector => "move_sector",
    NotStarted => "not_started",
    CycleWorker => "cycle_worker",
    LogEvent => "log_event",
    Contract => "contract",
    Masp => "masp",
    CheckedFact => "checked_fact",
    ToggleProtection => "toggle_protection",
    EditReview => "edit_review",
    NextField => "next_field",
    PrevField => "prev_field",
    ChoiceNext => "choice_next",
    ChoicePrev => "choice_prev",
    Toggle => "toggle",
    Submit => "submit",
    Cancel => "cancel",
    Confirm => "confirm",
    Save => "save",
    ClearFilter => "clear_filter",
    GoGts => "go_gts",
    MoveSession => "move_session",
    CancelSession => "cancel_session",
    AddItem => "add_item",
    RemoveItem => "remove_item",
    SendDraft => "send_draft",
    ReplyExamine => "reply_examine",
    ReplyNotExamine => "reply_not_examine",
    WorkerAddSituation => "worker_add_situation",
    SendFinal => "send_final",
    ExportAgenda => "export_agenda",
    MinutesSent => "minutes_sent",
    OpenSeance => "open_seance",
    NextSituation => "next_situation",
    PrevSituation => "prev_situation",
    DecideStop => "decide_stop",
    DecideRenew => "decide_renew",
    DecidePostpone => "decide_postpone",
    Colleague => "colleague",
    WithdrawDecision => "withdraw_decision",
    Attendance => "attendance",
    CloseSession => "close_session",
    ToggleCapacity => "toggle_capacity",
    ToggleProjector => "toggle_projector",
    TogglePrivacy => "toggle_privacy",
    TogglePresent => "toggle_present",
    AddPerson => "add_person",
    NamePerson => "name_person",
    SetChair => "set_chair",
    StartSituations => "start_situations",
    FieldStart => "field_start",
    FieldEnd => "field_end",
    DeleteNext => "delete_next",
    CorrectEvent => "correct_event",
    Difficulty => "difficulty",
    HandOver => "hand_over",
    MoveHousehold => "move_household",
    ReturnDiagnostic => "return_diagnostic",
    EditHousehold => "edit_household",
    GoRefdata => "go_refdata",
    EditNorms => "edit_norms",
    AddRow => "add_row",
    RemoveRow => "remove_row",
    ConfirmCommune => "confirm_commune",
    GoStats => "go_stats",
    WriteReport => "write_report",
}

/// A key with its modifiers (Shift is folded into the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Chord {
    pub code: KeyCodeOrd,
    pub ctrl: bool,
    pub alt: bool,
}

/// `KeyCode` made orderable (sorted duplicate checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeOrd {
    Char(char),
    F(u8),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Insert,
}

impl Chord {
    pub fn from_event(ev: &KeyEvent) -> Option<Chord> {
        let code = match ev.code {
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            KeyCode::Enter => KeyCodeOrd::Enter,
            KeyCode::Esc => KeyCodeOrd::Esc,
            KeyCode::Tab if ev.modifiers.contains(KeyModifiers::SHIFT) => KeyCodeOrd::BackTab,
            KeyCode::Tab => KeyCodeOrd::Tab,
            KeyCode::BackTab => KeyCodeOrd::BackTab,
            KeyCode::Backspace => KeyCodeOrd::Backspace,
            KeyCode::Delete => KeyCodeOrd::Delete,
            KeyCode::Up => KeyCodeOrd::Up,
            KeyCode::Down => KeyCodeOrd::Down,
            KeyCode::Left => KeyCodeOrd::Left,
            KeyCode::Right => KeyCodeOrd::Right,
            KeyCode::PageUp => KeyCodeOrd::PageUp,
            KeyCode::PageDown => KeyCodeOrd::PageDown,
            KeyCode::Home => KeyCodeOrd::Home,
            KeyCode::End => KeyCodeOrd::End,
            KeyCode::Insert => KeyCodeOrd::Insert,
            _ => return None,
        };
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        // Ctrl-letters arrive lower-case; normalise upper-case with Ctrl too.
        let code = match code {
            KeyCodeOrd::Char(c) if ctrl => KeyCodeOrd::Char(c.to_ascii_lowercase()),
            c => c,
        };
        Some(Chord { code, ctrl, alt })
    }

    /// Parses `q`, `?`, `<Enter>`, `<S-Tab>`, `<C-s>`, `<Down>`, `<Space>`, `<F1>`.
    pub fn parse(s: &str) -> Result<Chord, String> {
        let bad = || format!("touche « {s} » inconnue (ex. « d », « <Enter> », « <C-s> »)");
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_whitespace() => {
                return Ok(Chord {
                    code: KeyCodeOrd::Char(c),
                    ctrl: false,
                    alt: false,
                });
            }
            (Some('<'), Some(_)) if s.ends_with('>') => {}
            _ => return Err(bad()),
        }
        let inner = &s[1..s.len() - 1];
        let mut ctrl = false;
        let mut alt = false;
        let mut shift = false;
        let mut rest = inner;
        while rest.len() > 2 && rest.as_bytes()[1] == b'-' {
            match rest.as_bytes()[0] {
                b'C' => ctrl = true,
                b'A' => alt = true,
                b'S' => shift = true,
                _ => return Err(bad()),
            }
            rest = &rest[2..];
        }
        let code = match rest {
            "Enter" | "CR" => KeyCodeOrd::Enter,
            "Esc" => KeyCodeOrd::Esc,
            "Tab" if shift => KeyCodeOrd::BackTab,
            "Tab" => KeyCodeOrd::Tab,
            "BackTab" => KeyCodeOrd::BackTab,
            "Backspace" => KeyCodeOrd::Backspace,
            "Delete" => KeyCodeOrd::Delete,
            "Up" => KeyCodeOrd::Up,
            "Down" => KeyCodeOrd::Down,
            "Left" => KeyCodeOrd::Left,
            "Right" => KeyCodeOrd::Right,
            "PageUp" => KeyCodeOrd::PageUp,
            "PageDown" => KeyCodeOrd::PageDown,
            "Home" => KeyCodeOrd::Home,
            "End" => KeyCodeOrd::End,
            "Insert" => KeyCodeOrd::Insert,
            "Space" => KeyCodeOrd::Char(' '),
            "lt" => KeyCodeOrd::Char('<'),
            f if f.starts_with('F') && f.len() > 1 => {
                let n: u8 = f[1..].parse().map_err(|_| bad())?;
                if !(1..=24).contains(&n) {
                    return Err(bad());
                }
                KeyCodeOrd::F(n)
            }
            c if c.chars().count() == 1 => {
                let ch = c.chars().next().unwrap_or(' ');
                KeyCodeOrd::Char(if ctrl { ch.to_ascii_lowercase() } else { ch })
            }
            _ => return Err(bad()),
        };
        Ok(Chord { code, ctrl, alt })
    }

    /// How the key is shown in the hint bar and the help.
    pub fn label(&self, unicode: bool) -> String {
        let base = match self.code {
            KeyCodeOrd::Char(' ') => "Espace".to_string(),
            KeyCodeOrd::Char(c) => c.to_string(),
            KeyCodeOrd::F(n) => format!("F{n}"),
            KeyCodeOrd::Enter => "Entrée".into(),
            KeyCodeOrd::Esc => "Échap".into(),
            KeyCodeOrd::Tab => "Tab".into(),
            KeyCodeOrd::BackTab => "Maj-Tab".into(),
            KeyCodeOrd::Backspace => "Retour arr.".into(),
            KeyCodeOrd::Delete => "Suppr".into(),
            KeyCodeOrd::Up => if unicode { "↑" } else { "Haut" }.into(),
            KeyCodeOrd::Down => if unicode { "↓" } else { "Bas" }.into(),
            KeyCodeOrd::Left => if unicode { "←" } else { "Gauche" }.into(),
            KeyCodeOrd::Right => if unicode { "→" } else { "Droite" }.into(),
            KeyCodeOrd::PageUp => "PgPréc".into(),
            KeyCodeOrd::PageDown => "PgSuiv".into(),
            KeyCodeOrd::Home => "Début".into(),
            KeyCodeOrd::End => "Fin".into(),
            KeyCodeOrd::Insert => "Inser".into(),
        };
        let mut s = String::new();
        if self.ctrl {
            s.push_str("Ctrl-");
        }
        if self.alt {
            s.push_str("Alt-");
        }
        s.push_str(&base);
        s
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub chord: Chord,
    /// The key as written in the file (`<C-s>`).
    pub on: String,
    pub action: Action,
    pub desc: String,
}

/// The live keymap: bindings per mode, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
    pub modes: BTreeMap<Mode, Vec<Binding>>,
}

/// A problem found in a keymap file, with its line when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapIssue {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for KeymapIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}, ligne {} : {}", self.file, l, self.message),
            None => write!(f, "{} : {}", self.file, self.message),
        }
    }
}

#[derive(Deserialize)]
struct RawEntry {
    on: toml::Spanned<String>,
    run: toml::Spanned<String>,
    #[serde(default)]
    desc: String,
}

#[derive(Deserialize)]
struct RawMode {
    keymap: Vec<RawEntry>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(1, |t| t.bytes().filter(|b| *b == b'\n').count() + 1)
}

/// Parses one keymap file. Returns the bindings it could read and the
/// problems of the others (unknown mode, key or action, a key bound twice
/// in a mode).
pub fn parse(text: &str, file: &str) -> (Keymap, Vec<KeymapIssue>) {
    let mut issues = Vec::new();
    let mut map = Keymap::default();
    let raw: BTreeMap<toml::Spanned<String>, toml::Spanned<RawMode>> = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start));
            issues.push(KeymapIssue {
                file: file.to_string(),
                line,
                message: format!("fichier illisible, ignoré ({})", e.message()),
            });
            return (map, issues);
        }
    };
    for (mode_name, entries) in raw {
        let Some(mode) = Mode::from_name(mode_name.get_ref()) else {
            issues.push(KeymapIssue {
                file: file.to_string(),
                line: Some(line_of(text, mode_name.span().start)),
                message: format!(
                    "mode « {} » inconnu (modes : {})",
                    mode_name.get_ref(),
                    Mode::ALL.map(Mode::name).join(", ")
                ),
            });
            continue;
        };
        let list = map.modes.entry(mode).or_default();
        for e in entries.into_inner().keymap {
            let line = Some(line_of(text, e.on.span().start));
            let chord = match Chord::parse(e.on.get_ref()) {
                Ok(c) => c,
                Err(m) => {
                    issues.push(KeymapIssue {
                        file: file.to_string(),
                        line,
                        message: m,
                    });
                    continue;
                }
            };
            let Some(action) = Action::from_name(e.run.get_ref()) else {
                issues.push(KeymapIssue {
                    file: file.to_string(),
                    line: Some(line_of(text, e.run.span().start)),
                    message: format!("action « {} » inconnue", e.run.get_ref()),
                });
                continue;
            };
            if let Some(prev) = list.iter().find(|b| b.chord == chord) {
                issues.push(KeymapIssue {
                    file: file.to_string(),
                    line,
                    message: format!(
                        "touche « {} » déjà liée à « {} » dans le mode « {} » : entrée ignorée",
                        e.on.get_ref(),
                        prev.action.name(),
                        mode.name()
                    ),
                });
                continue;
            }
            list.push(Binding {
                chord,
                on: e.on.into_inner(),
                action,
                desc: e.desc,
            });
        }
    }
    (map, issues)
}

impl Keymap {
    /// The compiled-in defaults.
    pub fn default_keymap() -> Keymap {
        parse(DEFAULT_TOML, "keymaps/default.toml").0
    }

    /// Defaults, with the user's file merged over them when it exists.
    pub fn load(user_file: Option<&Path>) -> (Keymap, Vec<KeymapIssue>) {
        let mut map = Keymap::default_keymap();
        let Some(path) = user_file else {
            return (map, Vec::new());
        };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let issues = map.merge_text(&text, &path.display().to_string());
                (map, issues)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (map, Vec::new()),
            Err(e) => (
                map,
                vec![KeymapIssue {
                    file: path.display().to_string(),
                    line: None,
                    message: format!("lecture impossible ({e})"),
                }],
            ),
        }
    }

    /// Merges a user file: each entry replaces the binding of the same key in
    /// the same mode. Returns the problems (bad entries are skipped).
    pub fn merge_text(&mut self, text: &str, file: &str) -> Vec<KeymapIssue> {
        let (user, mut issues) = parse(text, file);
        for (mode, bindings) in user.modes {
            let list = self.modes.entry(mode).or_default();
            let before: Vec<Action> = list.iter().map(|b| b.action).collect();
            let mut lines = Vec::new();
            for b in bindings {
                lines.push((b.on.clone(), b.action));
                list.retain(|x| x.chord != b.chord);
                list.push(b);
            }
            // A remap that leaves an action without any key in its mode.
            for a in before {
                if !list.iter().any(|b| b.action == a) {
                    let by = lines
                        .iter()
                        .map(|(on, _)| format!("« {on} »"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    issues.push(KeymapIssue {
                        file: file.to_string(),
                        line: None,
                        message: format!(
                            "l'action « {} » n'a plus de touche dans le mode « {} » (touches redéfinies : {by})",
                            a.name(),
                            mode.name()
                        ),
                    });
                }
            }
        }
        issues
    }

    /// The action of a key in a mode (screen modes fall back to `global`).
    pub fn lookup(&self, mode: Mode, chord: &Chord) -> Option<Action> {
        let find = |m: Mode| {
            self.modes
                .get(&m)
                .and_then(|l| l.iter().find(|b| b.chord == *chord))
                .map(|b| b.action)
        };
        find(mode).or_else(|| {
            if mode.falls_back_to_global() {
                find(Mode::Global)
            } else {
                None
            }
        })
    }

    pub fn bindings(&self, mode: Mode) -> &[Binding] {
        self.modes.get(&mode).map_or(&[], Vec::as_slice)
    }

    /// One entry per action of a mode, first key only, in file order: the
    /// hint bar.
    pub fn hints(&self, mode: Mode, unicode: bool) -> Vec<(String, String)> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for b in self.bindings(mode) {
            if seen.contains(&b.action) || b.desc.is_empty() {
                continue;
            }
            seen.push(b.action);
            out.push((b.chord.label(unicode), b.desc.clone()));
        }
        out
    }

    /// Every key of an action in a mode, joined: `j/↓`.
    pub fn keys_for(&self, mode: Mode, action: Action, unicode: bool) -> String {
        let mut keys: Vec<String> = self
            .bindings(mode)
            .iter()
            .filter(|b| b.action == action)
            .map(|b| b.chord.label(unicode))
            .collect();
        if keys.is_empty() && mode.falls_back_to_global() {
            return self.keys_for(Mode::Global, action, unicode);
        }
        keys.dedup();
        keys.join("/")
    }

    /// Chords bound twice in one mode, found on the sorted list (not only
    /// neighbours in file order).
    pub fn duplicates(&self) -> Vec<(Mode, Chord)> {
        let mut out = Vec::new();
        for (mode, list) in &self.modes {
            let mut chords: Vec<Chord> = list.iter().map(|b| b.chord).collect();
            chords.sort();
            for w in chords.windows(2) {
                if w[0] == w[1] {
                    out.push((*mode, w[0]));
                }
            }
        }
        out
    }

    /// Actions bound nowhere.
    pub fn unbound_actions(&self) -> Vec<Action> {
        Action::ALL
            .iter()
            .copied()
            .filter(|a| !self.modes.values().flatten().any(|b| b.action == *a))
            .collect()
    }
}

/// The user's keymap file: `<config folder>/keymap.toml`.
pub fn user_keymap_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("fr", "GIP Charente", "assll")
        .map(|d| d.config_dir().join("keymap.toml"))
}

/// `keymaps/README.md`, generated from the default keymap (a test checks
/// the committed file is up to date: `UPDATE_KEYMAP_README=1 cargo test
/// --test ui_keymap` rewrites it).
pub fn readme(map: &Keymap) -> String {
    let mut s = String::from(
        "# Touches d'assll\n\n\
         Généré depuis `keymaps/default.toml` par `assll::keymap::readme` ; ne pas modifier à la main\n\
         (`UPDATE_KEYMAP_README=1 cargo test --test ui_keymap` le régénère).\n\n\
         Pour changer une touche, écrivez un fichier `keymap.toml` dans le dossier de configuration\n\
         (Linux : `~/.config/assll/keymap.toml`) avec les seules entrées à changer, par exemple :\n\n\
         ```toml\n[waiting]\nkeymap = [ { on = \"D\", run = \"start_measure\", desc = \"démarrer\" } ]\n```\n\n\
         Une entrée remplace la touche de même nom dans le même mode. Une action inconnue ou une touche\n\
         liée deux fois est signalée au démarrage, avec sa ligne ; les touches par défaut restent actives.\n\
         Les écrans (tableau de bord, listes, mesures, dossier, alertes) utilisent aussi les touches « Partout ».\n",
    );
    for mode in Mode::ALL {
        let list = map.bindings(mode);
        if list.is_empty() {
            continue;
        }
        s.push_str(&format!(
            "\n## {} (`{}`)\n\n| Touche | Action | Description |\n|---|---|---|\n",
            mode.title(),
            mode.name()
        ));
        for b in list {
            let key = b.on.replace('|', "\\|");
            s.push_str(&format!(
                "| `{}` | `{}` | {} |\n",
                key,
                b.action.name(),
                b.desc
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chords_parse_and_match_events() {
        let c = Chord::parse("<C-s>").unwrap();
        let ev = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(Chord::from_event(&ev), Some(c));
        let bt = Chord::parse("<S-Tab>").unwrap();
        let ev = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Chord::from_event(&ev), Some(bt));
        assert!(Chord::parse("<Nope>").is_err());
        assert!(Chord::parse("ab").is_err());
        assert_eq!(Chord::parse("?").unwrap().code, KeyCodeOrd::Char('?'));
    }

    #[test]
    fn user_file_errors_name_their_line_and_defaults_survive() {
        let mut map = Keymap::default_keymap();
        let user = "[waiting]\nkeymap = [\n  { on = \"x\", run = \"fly\", desc = \"?\" },\n  { on = \"D\", run = \"start_measure\", desc = \"démarrer\" },\n  { on = \"D\", run = \"undo\", desc = \"annuler\" },\n]\n";
        let issues = map.merge_text(user, "keymap.toml");
        assert_eq!(issues.len(), 2, "{issues:?}");
        assert_eq!(issues[0].line, Some(3));
        assert!(issues[0].to_string().contains("action « fly » inconnue"));
        assert_eq!(issues[1].line, Some(5));
        assert!(issues[1].message.contains("déjà liée"));
        let d = Chord::parse("d").unwrap();
        let big_d = Chord::parse("D").unwrap();
        assert_eq!(map.lookup(Mode::Waiting, &d), Some(Action::StartMeasure));
        assert_eq!(
            map.lookup(Mode::Waiting, &big_d),
            Some(Action::StartMeasure)
        );
    }

    #[test]
    fn unreadable_user_file_is_ignored_with_its_line() {
        let mut map = Keymap::default_keymap();
        let before = map.clone();
        let issues = map.merge_text("[waiting]\nkeymap = [ { on = \"x\" ", "k.toml");
        assert_eq!(issues.len(), 1);
        assert!(issues[0].line.is_some());
        assert_eq!(map, before);
    }

    #[test]
    fn a_remap_that_orphans_an_action_is_reported() {
        let mut map = Keymap::default_keymap();
        let user = "[waiting]\nkeymap = [ { on = \"u\", run = \"start_measure\", desc = \"démarrer\" } ]\n";
        let issues = map.merge_text(user, "keymap.toml");
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert!(issues[0].message.contains("« undo » n'a plus de touche"));
    }
}
