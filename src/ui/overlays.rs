//! Boxes drawn over the screen: help, pick lists, confirmations, small
//! forms, the review editor, start-up messages.

use super::forms::draw_form;
use super::theme::wrap;
use super::{Theme, trunc};
use crate::app::{HelpScroll, Model, Overlay};
use crate::keymap::Mode;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

/// A centred box of at most `w`×`h` inside `area`.
fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// A count of lines as a height.
fn rows(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

fn boxed(f: &mut Frame, area: Rect, title: &str, t: &Theme) -> Rect {
    f.render_widget(Clear, area);
    let block = Block::bordered().title(Span::styled(
        trunc(title, area.width.saturating_sub(4) as usize, t),
        t.title(),
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    inner
}

pub fn draw(m: &Model, f: &mut Frame, body: Rect, t: &Theme) {
    let Some(o) = &m.overlay else {
        return;
    };
    match o {
        Overlay::Help(h) => help(m, f, body, t, h),
        Overlay::Message { title, lines } => {
            // Wrapped here, so that the box is as tall as its text; when
            // the text is longer than the screen, its end gives way to the
            // line that says how to go on.
            let w = body.width.min(76);
            let inner_w = w.saturating_sub(2) as usize;
            let mut text: Vec<Line> = lines
                .iter()
                .flat_map(|l| wrap(l, inner_w))
                .map(Line::raw)
                .collect();
            text.push(Line::raw(""));
            let area = centred(body, w, rows(text.len() + 3));
            let room = area.height.saturating_sub(3) as usize;
            if text.len() > room {
                text.truncate(room.saturating_sub(1));
                text.push(Line::raw(t.ellipsis()));
            }
            text.push(Line::styled("Entrée pour continuer", t.dim()));
            let inner = boxed(f, area, title, t);
            f.render_widget(Paragraph::new(text), inner);
        }
        Overlay::Pick(p) => {
            let w = body.width.min(74);
            let inner_w = w.saturating_sub(2) as usize;
            let note: Vec<String> = p.note.iter().flat_map(|n| wrap(n, inner_w)).collect();
            let extra = rows(note.len());
            let h = rows(p.items.len() + 2)
                .saturating_add(extra)
                .min(body.height);
            let area = centred(body, w, h);
            let inner = boxed(f, area, &p.title, t);
            let mut lines: Vec<Line> = note
                .into_iter()
                .map(|n| Line::styled(n, t.warn()))
                .collect();
            let visible = inner.height.saturating_sub(extra).max(1) as usize;
            let first = p.cursor.saturating_sub(visible.saturating_sub(1));
            for (i, it) in p.items.iter().enumerate().skip(first).take(visible) {
                let sel = i == p.cursor;
                let marker = if sel { t.right() } else { " " };
                let label_w = 26usize;
                let line = Line::from(vec![
                    Span::styled(format!("{marker} "), t.key()),
                    Span::raw(format!("{} ", super::fit(&it.label, label_w, t))),
                    Span::styled(it.detail.clone(), t.dim()),
                ]);
                let line = super::theme::cut(line, inner_w, t);
                lines.push(if sel { line.style(t.selected()) } else { line });
            }
            // The selected item shows even when the note takes the room.
            let skip = lines.len().saturating_sub(inner.height as usize);
            let skip = skip.min(lines.len().saturating_sub(1));
            f.render_widget(Paragraph::new(lines).scroll((rows(skip), 0)), inner);
        }
        Overlay::Confirm(c) => {
            // As tall as the question, wrapped; the answer keys always show.
            let w = body.width.min(64);
            let mut question: Vec<String> = wrap(&c.message, w.saturating_sub(2) as usize);
            let area = centred(body, w, rows(question.len() + 4));
            question.truncate(area.height.saturating_sub(4) as usize);
            let inner = boxed(f, area, &c.title, t);
            let yes = m
                .keymap
                .keys_for(Mode::Dialog, crate::keymap::Action::Confirm, t.unicode);
            let no = m
                .keymap
                .keys_for(Mode::Dialog, crate::keymap::Action::Cancel, t.unicode);
            let mut text: Vec<Line> = question.into_iter().map(Line::raw).collect();
            text.extend([
                Line::raw(""),
                Line::from(vec![
                    Span::styled(yes, t.key()),
                    Span::raw(" oui   "),
                    Span::styled(no, t.key()),
                    Span::raw(" non"),
                ]),
            ]);
            f.render_widget(Paragraph::new(text), inner);
        }
        Overlay::Form(form) => {
            let (lines, focus) = super::forms::form_lines(form, 68, t);
            // Room for the focused field and the line under it (its error),
            // which the form keeps in view: a one-field form is not
            // scrolled out of its own box.
            let h = rows(lines.len().max(focus + 2) + 2).min(body.height);
            let area = centred(body, 72, h);
            draw_form(form, f, area, t, true);
        }
        Overlay::Editor(ed) => {
            let area = centred(body, 76, body.height.saturating_sub(2));
            let title = format!(
                "Bilan de la mesure {}{} · Ctrl-s enregistrer · Échap abandonner",
                ed.reference,
                if ed.dirty() { " (modifié)" } else { "" }
            );
            let inner = boxed(f, area, &title, t);
            let text_area = if let Some(e) = &ed.error {
                let [a, b] = ratatui::layout::Layout::vertical([
                    ratatui::layout::Constraint::Min(1),
                    ratatui::layout::Constraint::Length(1),
                ])
                .areas(inner);
                f.render_widget(Paragraph::new(format!("! {e}")).style(t.error()), b);
                a
            } else {
                inner
            };
            f.render_widget(&ed.textarea, text_area);
        }
    }
}

fn help(m: &Model, f: &mut Frame, body: Rect, t: &Theme, h: &HelpScroll) {
    let area = centred(body, 70, body.height);
    let inner = boxed(f, area, "Aide · touches (Échap pour fermer)", t);
    let lines = help_lines(m, t);
    // The last line stops at the bottom of the box: no scrolling past it.
    let total = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let max = total.saturating_sub(inner.height);
    let scroll = h.offset.min(max);
    h.drawn.set(Some((max, inner.height)));
    f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
    // Says on the bottom border whether there is more, and how to see it.
    let below = max - scroll;
    let more = if below > 0 {
        let down = m
            .keymap
            .keys_for(Mode::Help, crate::keymap::Action::Down, t.unicode);
        format!(
            " {} encore {below} ligne{} ({down}) ",
            if t.unicode { "▼" } else { "v" },
            if below > 1 { "s" } else { "" }
        )
    } else if scroll > 0 {
        " fin de l'aide ".to_string()
    } else {
        String::new()
    };
    if !more.is_empty() && area.height > 2 {
        let more = trunc(&more, area.width.saturating_sub(2) as usize, t);
        let w = u16::try_from(super::theme::width(&more)).unwrap_or(0);
        let x = area.x + area.width.saturating_sub(w + 1);
        f.render_widget(
            Paragraph::new(Span::styled(more, t.key())),
            Rect::new(x, area.y + area.height - 1, w, 1),
        );
    }
}

/// The help's lines: the keys of the screen under it first, then
/// everywhere, then every other mode.
fn help_lines(m: &Model, t: &Theme) -> Vec<Line<'static>> {
    let under = under_mode(m);
    let mut lines = Vec::new();
    let mut modes = vec![under];
    if under.falls_back_to_global() {
        modes.push(Mode::Global);
    }
    for mode in Mode::ALL {
        if !modes.contains(&mode) && mode != Mode::Help {
            modes.push(mode);
        }
    }
    for mode in modes {
        let bindings = m.keymap.bindings(mode);
        if bindings.is_empty() {
            continue;
        }
        lines.push(Line::styled(mode.title().to_string(), t.title()));
        // One line per action: every key of it, then its description.
        let mut seen = Vec::new();
        for b in bindings {
            if seen.contains(&b.action) {
                continue;
            }
            seen.push(b.action);
            let keys = m.keymap.keys_for(mode, b.action, t.unicode);
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<16}"), t.key()),
                Span::raw(b.desc.clone()),
            ]));
        }
        lines.push(Line::raw(""));
    }
    // No blank line after the last mode: the end is the last key.
    while lines.last().is_some_and(|l| l.width() == 0) {
        lines.pop();
    }
    lines
}

/// The mode of what is under the help box.
fn under_mode(m: &Model) -> Mode {
    match m.screen {
        crate::app::Screen::Dashboard => Mode::Dashboard,
        crate::app::Screen::Waiting => Mode::Waiting,
        crate::app::Screen::Measures => Mode::Measures,
        crate::app::Screen::Household { .. } => Mode::Household,
        crate::app::Screen::NewReferral => Mode::Form,
        crate::app::Screen::Alerts => Mode::Alerts,
        crate::app::Screen::Gts => Mode::Gts,
        crate::app::Screen::GtsAgenda { .. } => Mode::GtsAgenda,
        crate::app::Screen::Refdata => Mode::Refdata,
        crate::app::Screen::Stats => Mode::Stats,
        crate::app::Screen::Seance => m
            .seance
            .as_ref()
            .map_or(Mode::Seance, |s| crate::app::seance::mode_of(s)),
    }
}
