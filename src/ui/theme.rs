//! Styles, per session: with NO_COLOR only modifiers (bold, reverse,
//! underline) are used, and every state also has a symbol or a word.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

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
    /// A text written elsewhere (the status line, a refusal) as it is, or
    /// without Unicode with its symbols in ASCII words (`Enregistré ok`,
    /// `->`); [`fold_ascii`] takes care of the rest.
    pub fn say(&self, s: &str) -> String {
        say(s, self.unicode)
    }
}

/// See [`Theme::say`].
pub fn say(s: &str, unicode: bool) -> String {
    if unicode || s.is_ascii() {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '✓' | '✔' => out.push_str("ok"),
            '✗' | '✘' => out.push('x'),
            '→' => out.push_str("->"),
            '←' => out.push_str("<-"),
            '…' => out.push_str("..."),
            '⚡' => out.push_str("URG"),
            '◆' => out.push_str("DIAG"),
            '€' => out.push_str("EUR"),
            c => out.push(c),
        }
    }
    out
}

/// Whether `c` shows on a terminal without Unicode: ASCII, or a letter of
/// French. Accented letters are letters, not symbols: people's and
/// places' names keep them (`Hébert`, `Ruffécois`, `Cœur`), they are in
/// every console font (Latin-1 and Latin-9), and a name written without
/// its accents is another name for the file and the filter.
pub fn ascii_or_letter(c: char) -> bool {
    matches!(c, ' '..='~')
        || (('\u{c0}'..='\u{ff}').contains(&c) && c != '×' && c != '÷')
        || matches!(c, 'Œ' | 'œ' | 'Ÿ')
}

/// The one ASCII character a symbol is shown as in ASCII mode (`─` `-`,
/// `│` `|`, corners `+`, `█` `#`, `«` `"`, `…` `.`, arrows `<` `>` `^`
/// `v`…), `?` for what has none.
fn ascii_of(c: char) -> char {
    match c {
        // Box drawing: light and heavy lines, then the double ones.
        '─' | '━' | '┄' | '┅' | '┈' | '┉' | '╌' | '╍' | '═' | '╴' | '╶' | '╸' | '╺' => {
            '-'
        }
        '│' | '┃' | '┆' | '┇' | '┊' | '┋' | '╎' | '╏' | '║' | '╵' | '╷' | '╹' | '╻' => {
            '|'
        }
        '\u{2500}'..='\u{257f}' => '+',
        '█' | '▓' | '▒' | '▀' | '▄' | '▌' | '▐' | '■' | '\u{2596}'..='\u{259f}' => {
            '#'
        }
        '░' => '.',
        '—' | '–' | '‐' | '‑' | '‒' | '−' | '·' | '•' | '∙' => '-',
        '«' | '»' | '“' | '”' | '„' => '"',
        '‘' | '’' | '‚' | '′' => '\'',
        '…' => '.',
        '→' | '▶' | '►' | '▸' | '›' | '⇒' => '>',
        '←' | '◀' | '◄' | '◂' | '‹' | '⇐' => '<',
        '↑' | '▲' | '△' => '^',
        '↓' | '▼' | '▽' => 'v',
        '✓' | '✔' => '+',
        '✗' | '✘' | '×' => 'x',
        '●' | '◆' | '◇' | '★' | '☆' | '○' | '◦' => '*',
        '⚠' | '⚡' | '❗' => '!',
        '↵' | '⏎' => '<',
        '°' | 'º' => 'o',
        'ª' => 'a',
        '÷' => '/',
        '€' => 'E',
        '\u{a0}' | '\u{202f}' | '\u{2009}' | '\u{2007}' | '\u{2002}' | '\u{2003}' => ' ',
        _ => '?',
    }
}

/// The same letter with a combining accent as one Latin-1 letter, when
/// French has it (`e` + ◌́ → `é`).
fn compose(base: char, mark: char) -> Option<char> {
    let table: &[(char, char, char)] = &[
        ('a', '\u{300}', 'à'),
        ('a', '\u{302}', 'â'),
        ('c', '\u{327}', 'ç'),
        ('e', '\u{301}', 'é'),
        ('e', '\u{300}', 'è'),
        ('e', '\u{302}', 'ê'),
        ('e', '\u{308}', 'ë'),
        ('i', '\u{302}', 'î'),
        ('i', '\u{308}', 'ï'),
        ('o', '\u{302}', 'ô'),
        ('u', '\u{300}', 'ù'),
        ('u', '\u{302}', 'û'),
        ('u', '\u{308}', 'ü'),
        ('y', '\u{308}', 'ÿ'),
    ];
    let lower = base.to_ascii_lowercase();
    let (_, _, c) = table.iter().find(|(b, m, _)| *b == lower && *m == mark)?;
    Some(if base.is_ascii_uppercase() {
        c.to_uppercase().next().unwrap_or(*c)
    } else {
        *c
    })
}

/// ASCII mode is an output encoding, applied last to the whole frame:
/// every cell that is not ASCII or a French letter becomes one ASCII
/// character. Borders become `+ - |`, and whatever reaches the screen from
/// the rules' messages or the data (a `—`, a `«`, a typographic `’`) is
/// covered too. The symbols the screens choose (`⚡` `◆` `▲` `✓`) have
/// their own ASCII words in [`Theme`] (`URG`, `DIAG`, `^`, `ok`), which
/// say more than one character could. A `·` between two letters is the
/// French inclusive dot (`présent·e`), written `.`; elsewhere a separator,
/// `-`.
pub fn fold_ascii(buf: &mut Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let sym = buf[(x, y)].symbol();
            if sym.chars().all(ascii_or_letter) {
                continue;
            }
            let mut chars = sym.chars();
            let first = chars.next().unwrap_or(' ');
            let marks: Vec<char> = chars.collect();
            let letter_at = |b: &Buffer, x: u16| {
                b[(x, y)]
                    .symbol()
                    .chars()
                    .next()
                    .is_some_and(char::is_alphabetic)
            };
            let folded = if first.is_alphabetic() && ascii_or_letter(first) {
                // A letter with combining marks.
                marks
                    .first()
                    .and_then(|m| compose(first, *m))
                    .unwrap_or(first)
            } else if first == '·'
                && x > area.left()
                && x + 1 < area.right()
                && letter_at(buf, x - 1)
                && letter_at(buf, x + 1)
            {
                '.'
            } else {
                ascii_of(first)
            };
            buf[(x, y)].set_char(folded);
        }
    }
}

/// Width of `s` in terminal cells (`⚡` takes two, an accent none).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Shortens `s` to at most `width` terminal cells, ending with `…` (`.`
/// in ASCII) when cut. Cut between whole graphemes, never inside one (a
/// letter keeps its accent), and never leaves half of a wide symbol.
pub fn trunc(s: &str, width: usize, theme: &Theme) -> String {
    if UnicodeWidthStr::width(s) <= width {
        return s.to_string();
    }
    let ellipsis = theme.ellipsis();
    let Some(room) = width.checked_sub(UnicodeWidthStr::width(ellipsis)) else {
        return String::new();
    };
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = UnicodeWidthStr::width(g);
        if used + w > room {
            break;
        }
        out.push_str(g);
        used += w;
    }
    let kept = out.trim_end().len();
    out.truncate(kept);
    out.push_str(ellipsis);
    out
}

/// `s` cut to `width` cells (see [`trunc`]) and padded with spaces to
/// exactly `width` cells: a column that stays aligned whatever the text.
pub fn fit(s: &str, width: usize, theme: &Theme) -> String {
    let mut out = trunc(s, width, theme);
    let w = UnicodeWidthStr::width(out.as_str());
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// A styled line cut to `width` cells like [`trunc`]: the ellipsis takes
/// the style of the text it ends.
pub fn cut(line: Line<'static>, width: usize, theme: &Theme) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let ellipsis = theme.ellipsis();
    let room = width.saturating_sub(UnicodeWidthStr::width(ellipsis));
    let mut used = 0;
    let mut spans: Vec<Span<'static>> = Vec::new();
    for span in &line.spans {
        let mut kept = String::new();
        for g in span.content.graphemes(true) {
            let w = UnicodeWidthStr::width(g);
            if used + w > room {
                break;
            }
            kept.push_str(g);
            used += w;
        }
        let whole = kept.len() == span.content.len();
        spans.push(Span::styled(kept, span.style));
        if !whole {
            break;
        }
    }
    if let Some(last) = spans.last_mut() {
        let trimmed = last.content.trim_end().to_string();
        last.content = format!("{trimmed}{ellipsis}").into();
    }
    if width == 0 {
        spans.clear();
    }
    Line { spans, ..line }
}

/// Greedy word wrap to `width` cells; a word longer than a line is cut
/// between graphemes. Never returns an empty list.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for word in para.split_whitespace() {
            let mut w = UnicodeWidthStr::width(word);
            let mut word = word.to_string();
            while w > width {
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                let mut head = String::new();
                let mut hw = 0;
                for g in word.graphemes(true) {
                    let gw = UnicodeWidthStr::width(g);
                    if hw + gw > width && hw > 0 {
                        break;
                    }
                    head.push_str(g);
                    hw += gw;
                }
                word = word[head.len()..].to_string();
                w -= hw;
                out.push(head);
                used = 0;
            }
            if word.is_empty() {
                continue;
            }
            if line.is_empty() {
                line = word;
                used = w;
            } else if used + 1 + w <= width {
                line.push(' ');
                line.push_str(&word);
                used += 1 + w;
            } else {
                out.push(std::mem::replace(&mut line, word));
                used = w;
            }
        }
        out.push(line);
    }
    out
}

/// [`wrap`] on at most `rows` lines, the last one ending with `…` when
/// the text goes on.
pub fn wrap_cut(text: &str, width: usize, rows: usize, theme: &Theme) -> Vec<String> {
    let mut lines = wrap(text, width);
    if lines.len() > rows {
        let rest = lines.split_off(rows.saturating_sub(1)).join(" ");
        if rows > 0 {
            lines.push(trunc(&rest, width, theme));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const U: Theme = Theme {
        color: false,
        unicode: true,
    };
    const A: Theme = Theme {
        color: false,
        unicode: false,
    };

    #[test]
    fn trunc_counts_cells_and_keeps_whole_letters() {
        assert_eq!(trunc("Cognac", 6, &U), "Cognac");
        assert_eq!(trunc("Angoulême", 6, &U), "Angou…");
        // Decomposed é (e + combining accent) is one cell, never split.
        let decomposed = "Ange\u{301}lique";
        assert_eq!(trunc(decomposed, 5, &U), "Ange\u{301}…");
        assert_eq!(width(&trunc(decomposed, 5, &U)), 5);
        // A wide symbol is kept whole or not at all.
        assert_eq!(trunc("ab⚡cd", 4, &U), "ab…");
        assert_eq!(trunc("ab⚡cd", 5, &U), "ab⚡…");
        // No space before the ellipsis; ASCII ends with a dot.
        assert_eq!(trunc("pour le GTS", 8, &U), "pour le…");
        assert_eq!(trunc("pour le GTS", 8, &A), "pour le.");
        assert_eq!(trunc("abc", 0, &U), "");
    }

    #[test]
    fn wrap_cut_ends_with_an_ellipsis_when_the_text_goes_on() {
        let text = "Premier contact (ménage et TS référent) à faire avant le 02/12/2026";
        let lines = wrap_cut(text, 20, 2, &U);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(lines.iter().all(|l| width(l) <= 20), "{lines:?}");
        assert_eq!(wrap_cut("court", 20, 2, &U), vec!["court"]);
        assert_eq!(wrap("abcdef", 4), vec!["abcd", "ef"]);
    }

    #[test]
    fn cut_keeps_styles_and_ends_with_an_ellipsis() {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let line = Line::from(vec![Span::styled("! ", bold), Span::raw("844 en retard")]);
        let c = cut(line.clone(), 8, &U);
        assert_eq!(c.width(), 8);
        assert_eq!(c.spans[0].style, bold);
        assert_eq!(c.spans[1].content, "844 e…");
        assert_eq!(cut(line.clone(), 40, &U), line);
    }

    #[test]
    fn fold_ascii_leaves_letters_and_turns_symbols_into_ascii() {
        use ratatui::layout::Rect;
        use ratatui::widgets::{Block, Widget};
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, 3));
        Block::bordered().render(buf.area, &mut buf);
        buf.set_string(1, 1, "Hébert présent·e « x » — 2 →", Style::new());
        fold_ascii(&mut buf);
        let row = |y: u16| -> String { (0..30).map(|x| buf[(x, y)].symbol()).collect() };
        assert_eq!(row(0), format!("+{}+", "-".repeat(28)));
        assert_eq!(row(1), "|Hébert présent.e \" x \" - 2 >|");
        assert_eq!(row(2), format!("+{}+", "-".repeat(28)));
        // A decomposed accent becomes the Latin-1 letter.
        let mut buf = Buffer::empty(Rect::new(0, 0, 3, 1));
        buf.set_string(0, 0, "E\u{301}", Style::new());
        fold_ascii(&mut buf);
        assert_eq!(buf[(0, 0)].symbol(), "É");
    }

    #[test]
    fn fit_pads_to_the_cell() {
        assert_eq!(fit("Hébert", 8, &U), "Hébert  ");
        assert_eq!(width(&fit("ab⚡cd", 5, &U)), 5);
        assert_eq!(fit("Charente-Limousine", 10, &U), "Charente-…");
    }
}
