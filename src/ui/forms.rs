//! Forms: one line per field, its error in French right under it.

use super::{Theme, trunc};
use crate::app::{Form, Model};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

/// Lines of a form, and the line of the focused field.
pub fn form_lines(form: &Form, width: usize, t: &Theme) -> (Vec<Line<'static>>, usize) {
    let label_w = form
        .fields
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(0)
        .min(22);
    let mut lines = Vec::new();
    let mut focus_line = 0;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        if focused {
            focus_line = lines.len();
        }
        let marker = if focused { t.right() } else { " " };
        let mut value = field.display(t.unicode);
        if focused && field.is_text() {
            value.push('_');
        }
        let avail = width.saturating_sub(label_w + 5);
        lines.push(Line::from(vec![
            Span::styled(format!("{marker} "), t.key()),
            Span::styled(
                format!("{:<label_w$} ", trunc(&field.label, label_w, t)),
                if focused { t.focus() } else { t.dim() },
            ),
            Span::raw(trunc(&value, avail, t)),
        ]));
        if let Some(e) = &field.error {
            for chunk in wrap(e, width.saturating_sub(label_w + 5).max(10)) {
                lines.push(Line::from(vec![
                    Span::raw(" ".repeat(label_w + 3)),
                    Span::styled(format!("! {chunk}"), t.error()),
                ]));
            }
        }
    }
    if let Some(e) = &form.error {
        lines.push(Line::raw(""));
        for chunk in wrap(e, width.saturating_sub(4).max(10)) {
            lines.push(Line::styled(format!("! {chunk}"), t.error()));
        }
    }
    (lines, focus_line)
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
    let (lines, focus) = form_lines(form, inner.width as usize, t);
    let h = inner.height as usize;
    // Keep the focused field (and its error) in view.
    let scroll = (focus + 2).saturating_sub(h);
    f.render_widget(
        Paragraph::new(lines).scroll((u16::try_from(scroll).unwrap_or(0), 0)),
        inner,
    );
}

pub fn draw_referral(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    match &m.referral_form {
        Some(form) => draw_form(form, f, area, t, false),
        None => f.render_widget(Paragraph::new(" Aucun formulaire ouvert."), area),
    }
}
