//! Forms: one line per field, its error in French right under it.

use super::{Theme, trunc};
use crate::app::{FieldValue, Form, Model};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Lines of a form, and the line of the focused field.
pub fn form_lines(form: &Form, width: usize, t: &Theme) -> (Vec<Line<'static>>, usize) {
    let l = lay_out(form, width, t);
    (l.lines, l.focus_line)
}

/// A form laid out in `width` columns.
struct Laid {
    lines: Vec<Line<'static>>,
    focus_line: usize,
    /// The column of the focused text field's cursor, from the left of the
    /// form's inside.
    cursor_col: Option<usize>,
}

fn lay_out(form: &Form, width: usize, t: &Theme) -> Laid {
    let label_w = form
        .fields
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(0)
        .min(22);
    let mut lines = Vec::new();
    let mut focus_line = 0;
    let mut cursor_col = None;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        if focused {
            focus_line = lines.len();
        }
        let marker = if focused { t.right() } else { " " };
        let avail = width.saturating_sub(label_w + 5);
        let mut line = vec![
            Span::styled(format!("{marker} "), t.key()),
            Span::styled(
                format!("{:<label_w$} ", trunc(&field.label, label_w, t)),
                if focused { t.focus() } else { t.dim() },
            ),
        ];
        match &field.value {
            FieldValue::Text(value) => {
                let w = text_window(value, field.cursor, avail, focused, t);
                if focused {
                    cursor_col = w.cursor.map(|c| label_w + 3 + c);
                }
                line.extend(w.spans);
            }
            _ => line.push(Span::raw(trunc(&field.display(t.unicode), avail, t))),
        }
        lines.push(Line::from(line));
        if let Some(e) = &field.error {
            for chunk in wrap(e, width.saturating_sub(label_w + 5).max(10)) {
                lines.push(Line::from(vec![
                    Span::raw(" ".repeat(label_w + 3)),
                    Span::styled(format!("! {chunk}"), t.error()),
                ]));
            }
        }
    }
    if let Some(n) = &form.note {
        lines.push(Line::raw(""));
        for chunk in wrap(n, width.saturating_sub(4).max(10)) {
            lines.push(Line::styled(format!("  {chunk}"), t.dim()));
        }
    }
    if let Some(e) = &form.error {
        lines.push(Line::raw(""));
        for chunk in wrap(e, width.saturating_sub(4).max(10)) {
            lines.push(Line::styled(format!("! {chunk}"), t.error()));
        }
    }
    Laid {
        lines,
        focus_line,
        cursor_col,
    }
}

/// What a text field shows in its columns.
pub struct TextWindow {
    pub spans: Vec<Span<'static>>,
    /// The cursor's column from the start of the field (focused only).
    pub cursor: Option<usize>,
}

/// A text value in `avail` columns, measured by display width (an emoji or
/// a CJK character takes two columns, a combining accent none). Focused, it
/// shows the cursor (the character under it in reverse video, a reversed
/// blank at the end) and scrolls so that the cursor stays in view, `…`
/// where the value is cut; unfocused, it shows the start.
pub fn text_window(
    value: &str,
    cursor: usize,
    avail: usize,
    focused: bool,
    t: &Theme,
) -> TextWindow {
    let graphemes: Vec<(usize, &str, usize)> = value
        .grapheme_indices(true)
        .map(|(i, g)| (i, g, g.width()))
        .collect();
    let n = graphemes.len();
    let dots = t.ellipsis();
    let dots_w = dots.width();
    let plain = |from: usize, to: usize| -> String {
        graphemes[from..to].iter().map(|(_, g, _)| *g).collect()
    };
    if !focused || avail < 2 * dots_w + 2 {
        // The start, cut with `…` when it does not fit.
        let mut used = 0;
        let mut end = 0;
        let total: usize = graphemes.iter().map(|g| g.2).sum();
        let room = if total > avail {
            avail.saturating_sub(dots_w)
        } else {
            avail
        };
        while end < n && used + graphemes[end].2 <= room {
            used += graphemes[end].2;
            end += 1;
        }
        let mut text = plain(0, end);
        if end < n && avail >= dots_w {
            text.push_str(dots);
        }
        return TextWindow {
            spans: vec![Span::raw(text)],
            cursor: None,
        };
    }
    let cursor = crate::app::text::clamp(value, cursor);
    // The grapheme under the cursor (n: after the last one).
    let at = graphemes
        .iter()
        .position(|(i, _, _)| *i >= cursor)
        .unwrap_or(n);
    let width_of =
        |from: usize, to: usize| -> usize { graphemes[from..to].iter().map(|g| g.2).sum() };
    let under = graphemes.get(at).map_or(1, |g| g.2.max(1));
    // From the start if all of it fits (with the blank cursor cell at the
    // end), or if the cursor fits with a `…` after it; else from the first
    // grapheme that puts the cursor at the right edge, after a `…`.
    let all = width_of(0, n) + usize::from(at == n) <= avail;
    let tail = if at < n { dots_w } else { 0 };
    let mut from = 0;
    if !all && width_of(0, at) + under + tail > avail {
        from = at;
        let mut used = dots_w + under + tail;
        while from > 0 && used + graphemes[from - 1].2 <= avail {
            from -= 1;
            used += graphemes[from].2;
        }
    }
    let lead = if from > 0 { dots_w } else { 0 };
    // As much after the cursor as fits, `…` if the rest is cut.
    let mut used = lead + width_of(from, at) + under;
    let mut to = (at + 1).min(n);
    while to < n && used + graphemes[to].2 <= avail {
        used += graphemes[to].2;
        to += 1;
    }
    if to < n {
        while to > at + 1 && used + dots_w > avail {
            to -= 1;
            used -= graphemes[to].2;
        }
    }
    let mut spans = Vec::new();
    if from > 0 {
        spans.push(Span::styled(dots.to_string(), t.dim()));
    }
    spans.push(Span::raw(plain(from, at)));
    if at < n {
        spans.push(Span::styled(plain(at, at + 1), t.selected()));
        spans.push(Span::raw(plain(at + 1, to)));
        if to < n {
            spans.push(Span::styled(dots.to_string(), t.dim()));
        }
    } else {
        spans.push(Span::styled(" ", t.selected()));
    }
    TextWindow {
        spans,
        cursor: Some(lead + width_of(from, at)),
    }
}

/// Word wrap on spaces (errors are short sentences).
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for word in s.split(' ') {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

pub fn draw_form(form: &Form, f: &mut Frame, area: Rect, t: &Theme, clear: bool) {
    draw_form_with_cursor(form, f, area, t, clear, true);
}

/// The form, and the terminal's cursor at its focused text field's cursor
/// when `cursor` (the form is on top).
fn draw_form_with_cursor(
    form: &Form,
    f: &mut Frame,
    area: Rect,
    t: &Theme,
    clear: bool,
    cursor: bool,
) {
    if clear {
        f.render_widget(Clear, area);
    }
    let dirty = if form.dirty { " (modifié)" } else { "" };
    let block = Block::bordered().title(Span::styled(
        trunc(
            &format!("{}{dirty}", form.title),
            area.width.saturating_sub(4) as usize,
            t,
        ),
        t.title(),
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let laid = lay_out(form, inner.width as usize, t);
    let h = inner.height as usize;
    // Keep the focused field (and its error) in view.
    let scroll = (laid.focus_line + 2).saturating_sub(h);
    f.render_widget(
        Paragraph::new(laid.lines).scroll((u16::try_from(scroll).unwrap_or(0), 0)),
        inner,
    );
    if cursor
        && let Some(col) = laid.cursor_col
        && let Some(row) = laid.focus_line.checked_sub(scroll)
        && row < h
        && col < inner.width as usize
    {
        f.set_cursor_position(Position::new(inner.x + col as u16, inner.y + row as u16));
    }
}

pub fn draw_referral(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    match &m.referral_form {
        Some(form) => draw_form_with_cursor(form, f, area, t, false, m.overlay.is_none()),
        None => f.render_widget(Paragraph::new(" Aucun formulaire ouvert."), area),
    }
}
