//! `view`: a pure function of the model, drawn on any backend.

mod alerts;
mod dashboard;
mod forms;
mod gts;
mod household;
mod measures;
mod overlays;
mod refdata;
pub mod seance;
mod stats;
pub mod theme;
mod waiting;

use crate::app::{Model, Screen, StatusKind, active_mode};
use crate::domain::calendar::{fr_date, weekday_short};
use crate::keymap::Mode;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
pub use theme::{Theme, fit, trunc};

/// Below this the screens do not fit; a message says so.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn theme(m: &Model) -> Theme {
    Theme {
        color: m.config.color,
        unicode: m.config.unicode,
    }
}

pub fn view(m: &Model, f: &mut Frame) {
    draw(m, f);
    mend_wide_cells(f.buffer_mut());
    // Without Unicode, what is left of it becomes ASCII (see fold_ascii).
    if !m.config.unicode {
        theme::fold_ascii(f.buffer_mut());
    }
}

/// A wide character (an emoji, a CJK character) covers the cell after it.
/// When something is drawn over that cell later in the frame (a box's
/// border over a line of text with an emoji in it), the terminal would
/// print the character over the border, and ratatui's diff skips the
/// covered cell: the border would vanish. Such a character is replaced by
/// a blank; the box drawn over it wins, as it does for narrow characters.
pub fn mend_wide_cells(buf: &mut ratatui::buffer::Buffer) {
    use unicode_width::UnicodeWidthStr;
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let symbol = buf[(x, y)].symbol();
            // ASCII is one column: most cells stop here.
            let w = if symbol.len() == 1 { 1 } else { symbol.width() };
            if w < 2 {
                x += 1;
                continue;
            }
            let end = x.saturating_add(w as u16);
            let cut = end > area.right() || (x + 1..end).any(|cx| buf[(cx, y)].symbol() != " ");
            if cut {
                buf[(x, y)].set_symbol(" ");
                x += 1;
            } else {
                x = end;
            }
        }
    }
}

fn draw(m: &Model, f: &mut Frame) {
    let area = f.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    let t = theme(m);
    if m.screen == Screen::Seance {
        seance::draw(m, f, area);
        overlays::draw(m, f, area, &t);
        return;
    }
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "Terminal trop petit : {}×{}. Il faut au moins {}×{} (idéal 80×24). Agrandissez la fenêtre ; q pour quitter.",
            area.width, area.height, MIN_WIDTH, MIN_HEIGHT
        );
        f.render_widget(
            Paragraph::new(msg)
                .style(t.warn())
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let [header, body, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(m, f, header, &t);
    match m.screen {
        Screen::Dashboard => dashboard::draw(m, f, body, &t),
        Screen::Waiting => waiting::draw(m, f, body, &t),
        Screen::Measures => measures::draw(m, f, body, &t),
        Screen::Household { .. } => household::draw(m, f, body, &t),
        Screen::NewReferral => forms::draw_referral(m, f, body, &t),
        Screen::Alerts => alerts::draw(m, f, body, &t),
        Screen::Gts => gts::draw_calendar(m, f, body, &t),
        Screen::GtsAgenda { year, month } => gts::draw_agenda(m, f, body, &t, year, month),
        Screen::Stats => stats::draw(m, f, body, &t),
        Screen::Seance => {}
        Screen::Refdata => refdata::draw(m, f, body, &t),
    }
    draw_status(m, f, status, &t);
    draw_hints(m, f, hints, &t);
    overlays::draw(m, f, body, &t);
}

fn draw_header(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let left = format!(" ASSLL Charente {} {}", t.dot(), m.screen.title());
    let right = format!(
        "{} {} {} {} ",
        weekday_short(m.today),
        fr_date(m.today),
        t.dot(),
        m.who
    );
    let w = area.width as usize;
    let lw = left.chars().count();
    let rw = right.chars().count();
    let line = if lw + rw < w {
        format!("{left}{}{right}", " ".repeat(w - lw - rw))
    } else {
        trunc(&format!("{left} {right}"), w, t)
    };
    f.render_widget(Paragraph::new(line).style(t.header()), area);
}

fn draw_status(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let Some(s) = &m.status else {
        return;
    };
    let (style, prefix) = match s.kind {
        StatusKind::Info => (t.dim(), ""),
        StatusKind::Saved => (t.ok(), ""),
        StatusKind::Error => (t.error(), "! "),
    };
    let text = trunc(
        &format!(" {prefix}{}", t.say(&s.text)),
        area.width as usize,
        t,
    );
    f.render_widget(Paragraph::new(text).style(style), area);
}

/// The hint bar: the current mode's keys, from the same `desc` as the help.
pub fn hint_spans(m: &Model, t: &Theme) -> Vec<(String, String)> {
    let mode = active_mode(m);
    let mut hints = m.keymap.hints(mode, t.unicode);
    if mode.falls_back_to_global() {
        for action in [crate::keymap::Action::Help, crate::keymap::Action::Quit] {
            if let Some(b) = m
                .keymap
                .bindings(Mode::Global)
                .iter()
                .find(|b| b.action == action)
                && !hints.iter().any(|(_, d)| *d == b.desc)
            {
                hints.push((b.chord.label(t.unicode), b.desc.clone()));
            }
        }
    }
    hints
}

fn draw_hints(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let w = area.width as usize;
    let mut hints = hint_spans(m, t);
    if t.unicode {
        for (k, _) in &mut hints {
            if k == "Entrée" {
                *k = "↵".to_string();
            }
        }
    }
    // Help (appended for the screens) always shows; the screen's own keys fill the room left, in file order. The
    // separators shrink before any key is dropped.
    let tail = if active_mode(m).falls_back_to_global() && hints.len() >= 2 {
        // [..screen keys, help, quit] → [..screen keys, quit | help]
        let n = hints.len();
        hints.swap(n - 2, n - 1);
        1
    } else {
        0
    };
    let total = |sep: usize, list: &[(String, String)]| {
        list.iter()
            .map(|(k, d)| sep + k.chars().count() + 1 + d.chars().count())
            .sum::<usize>()
    };
    let sep = if total(3, &hints) < w + 3 {
        " · "
    } else {
        "  "
    };
    let sep_w = sep.chars().count();
    let (head, tail) = hints.split_at(hints.len() - tail);
    let mut room = (w + sep_w).saturating_sub(1 + total(sep_w, tail));
    let mut shown: Vec<&(String, String)> = Vec::new();
    for h in head {
        let need = total(sep_w, std::slice::from_ref(h));
        if need > room {
            break;
        }
        room -= need;
        shown.push(h);
    }
    shown.extend(tail.iter());
    let mut spans = vec![Span::raw(" ")];
    for (i, (k, d)) in shown.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(sep, t.dim()));
        }
        spans.push(Span::styled(k.clone(), t.key()));
        spans.push(Span::raw(format!(" {d}")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// `◀ Cognac ▶ 6/9`.
/// The head of a per-sector list: ` ◀ Cognac ▶ 6/9 · charge 24/30 ▲`
/// (the waiting lists and the measures in progress share it).
pub fn sector_head(m: &Model, t: &Theme) -> Vec<Span<'static>> {
    let mut spans = vec![Span::raw(" ")];
    spans.extend(sector_switcher(m, t));
    if let Some(l) = m.derived.load(m.sector) {
        let over = l.over_capacity();
        spans.push(Span::raw(format!(" {} charge ", t.dot())));
        spans.push(Span::styled(
            format!(
                "{}/{}{}",
                l.load,
                l.capacity,
                if over {
                    format!(" {}", t.over_mark())
                } else {
                    String::new()
                }
            ),
            if over { t.over() } else { t.title() },
        ));
    }
    spans
}

pub fn sector_switcher(m: &Model, t: &Theme) -> Vec<Span<'static>> {
    let ids = m.sector_ids();
    let pos = ids.iter().position(|s| *s == m.sector).map_or(0, |p| p + 1);
    vec![
        Span::styled(format!("{} ", t.left()), t.key()),
        Span::styled(
            m.data.sector_name(m.sector).to_string(),
            t.title().add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!(" {}", t.right()), t.key()),
        Span::raw(format!(" {pos}/{}", ids.len())),
    ]
}

/// The widths a [`ratatui::widgets::Table`] gives its columns in `width`
/// cells (no selection symbol), computed as the table does: a cell cut to
/// its column can end with `…` rather than be clipped.
pub fn column_widths(widths: &[Constraint], spacing: u16, width: u16) -> Vec<usize> {
    Layout::horizontal(widths.iter().copied())
        .flex(ratatui::layout::Flex::Start)
        .spacing(spacing)
        .split(Rect::new(0, 0, width, 1))
        .iter()
        .map(|r| r.width as usize)
        .collect()
}

/// The filter line under a list, when a filter is typed.
pub fn filter_line(m: &Model, t: &Theme) -> Option<Line<'static>> {
    if m.filter.is_empty() && !m.filter_editing {
        return None;
    }
    let cursor = if m.filter_editing { "_" } else { "" };
    Some(Line::from(vec![
        Span::styled(" / ", t.key()),
        Span::raw(format!("{}{cursor}", m.filter)),
        Span::styled(
            if m.filter_editing {
                "  (Entrée garder, Échap effacer)"
            } else {
                "  (Échap effacer)"
            },
            t.dim(),
        ),
    ]))
}
