//! Styles, per session: with NO_COLOR only modifiers (bold, reverse,
//! underline) are used, and every state also has a symbol or a word.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
    pub unicode: bool,
}

impl Theme {
    fn c(&self, fg: Color) -> Style {
        if self.color {
            Style::new().fg(fg)
        } else {
            Style::new()
        }
    }
    pub fn header(&self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }
    pub fn title(&self) -> Style {
        self.c(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn over(&self) -> Style {
        self.c(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn warn(&self) -> Style {
        self.c(Color::Yellow)
    }
    pub fn ok(&self) -> Style {
        self.c(Color::Green)
    }
    pub fn error(&self) -> Style {
        self.c(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }
    pub fn key(&self) -> Style {
        self.c(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    pub fn focus(&self) -> Style {
        self.c(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn group(&self) -> Style {
        self.c(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    // Symbols, with their ASCII forms.
    pub fn urgent(&self) -> &'static str {
        if self.unicode { "⚡" } else { "URG" }
    }
    pub fn diag(&self) -> &'static str {
        if self.unicode { "◆" } else { "DIAG" }
    }
    pub fn over_mark(&self) -> &'static str {
        if self.unicode { "▲" } else { "^" }
    }
    pub fn check(&self) -> &'static str {
        if self.unicode { "✓" } else { "ok" }
    }
    pub fn cross(&self) -> &'static str {
        if self.unicode { "✗" } else { "x" }
    }
    pub fn full(&self) -> char {
        if self.unicode { '█' } else { '#' }
    }
    pub fn empty(&self) -> char {
        if self.unicode { '░' } else { '.' }
    }
    pub fn left(&self) -> &'static str {
        if self.unicode { "◀" } else { "<" }
    }
    pub fn right(&self) -> &'static str {
        if self.unicode { "▶" } else { ">" }
    }
    pub fn ellipsis(&self) -> &'static str {
        if self.unicode { "…" } else { "." }
    }
    /// The alert engine's marks (`!`, `●`, `·`), ASCII without Unicode.
    pub fn severity(&self, s: crate::domain::alerts::Severity) -> &'static str {
        use crate::domain::alerts::Severity;
        match (s, self.unicode) {
            (s, true) => s.mark(),
            (Severity::Overdue, false) => "!",
            (Severity::Soon, false) => "*",
            (Severity::Info, false) => ".",
        }
    }
    pub fn dot(&self) -> &'static str {
        if self.unicode { "·" } else { "-" }
    }
}

/// Shortens to `width` characters, ending with `…` when cut.
pub fn trunc(s: &str, width: usize, theme: &Theme) -> String {
    let n = s.chars().count();
    if n <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(width - 1).collect();
    out.push_str(theme.ellipsis());
    out
}
