//! Tableau de bord: a caseload gauge per sector, the next GTS, the alerts.

use super::theme::{cut, width};
use super::{Theme, fit};
use crate::app::{Model, own_alerts};
use crate::domain::alerts::Severity;
use crate::domain::calendar::{countdown, weekday_short};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

fn short_date(d: chrono::NaiveDate) -> String {
    d.format("%d/%m").to_string()
}

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let side = if area.width >= 110 { 30 } else { 23 };
    let [left, right] =
        Layout::horizontal([Constraint::Min(30), Constraint::Length(side)]).areas(area);
    let rows = u16::try_from(m.derived.loads.len())
        .unwrap_or(u16::MAX)
        .saturating_add(3);
    let [loads_area, rest] =
        Layout::vertical([Constraint::Length(rows), Constraint::Min(0)]).areas(left);
    draw_loads(m, f, loads_area, t);
    draw_summary(m, f, rest, t);
    let [gts, alerts] = Layout::vertical([Constraint::Length(9), Constraint::Min(0)]).areas(right);
    draw_gts(m, f, gts, t);
    draw_alerts(m, f, alerts, t);
}

fn draw_loads(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let block = Block::bordered().title(Span::styled("Charge par circonscription", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let wide = w >= 80;
    let loads = &m.derived.loads;
    let (tl, tc, tw, td) = loads.iter().fold((0u32, 0u32, 0u32, 0u32), |a, l| {
        (
            a.0 + l.load,
            a.1 + l.capacity,
            a.2 + l.waiting,
            a.3 + l.diagnostics,
        )
    });
    // Each figure's column is as wide as its widest value (the total's
    // included, 10,000 households give 5 digits), never narrower than the
    // usual `24/30`, `att.  5`, `  62 j`: the columns stay aligned.
    let digits = |n: u32| n.to_string().len();
    let load_w = loads
        .iter()
        .map(|l| format!("{}/{}", l.load, l.capacity).len())
        .chain([format!("{tl}/{tc}").len()])
        .max()
        .unwrap_or(0)
        .max(6);
    let wait_w = digits(tw).max(2);
    let days_w = loads
        .iter()
        .filter(|l| l.waiting > 0)
        .filter_map(|l| l.oldest_wait_days)
        .map(|d| d.to_string().len())
        .max()
        .unwrap_or(0)
        .max(4);
    let diag_w = 1 + width(t.diag()) + digits(td).max(2);
    let mark_w = 1 + width(t.over_mark());
    // name, gauge, mark, load, waiting, oldest wait, diagnostics: the
    // gauge gives way first, then the name.
    let figures = mark_w + load_w + 2 + 4 + 1 + wait_w + 1 + days_w + 2 + diag_w;
    let mut name_w: usize = if wide { 27 } else { 17 };
    let mut gauge_w = w.saturating_sub(name_w + 1 + figures).min(30);
    if gauge_w < 4 {
        name_w = w.saturating_sub(figures + 1 + 4).clamp(8, name_w);
        gauge_w = w.saturating_sub(name_w + 1 + figures).min(4);
    }
    let mut lines = Vec::new();
    for (i, l) in loads.iter().enumerate() {
        let sector = m.data.sectors.get(&l.sector);
        let name = sector.map_or("?", |s| {
            if wide {
                s.name.as_str()
            } else {
                s.short_name.as_str()
            }
        });
        let over = l.over_capacity();
        let filled = if l.capacity == 0 {
            gauge_w
        } else {
            ((l.load as usize * gauge_w) / l.capacity as usize).min(gauge_w)
        };
        let gauge: String = std::iter::repeat_n(t.full(), filled)
            .chain(std::iter::repeat_n(t.empty(), gauge_w - filled))
            .collect();
        let gstyle = if over {
            t.over()
        } else if l.load == l.capacity {
            t.warn()
        } else {
            t.ok()
        };
        let selected = i == m.dashboard_cursor;
        let mark = if over { t.over_mark() } else { "" };
        let mut spans = vec![
            Span::raw(format!("{} ", fit(name, name_w, t))),
            Span::styled(gauge, gstyle),
            Span::styled(format!(" {}", fit(mark, mark_w - 1, t)), t.over()),
            Span::styled(
                format!("{:>load_w$}", format!("{}/{}", l.load, l.capacity)),
                if over {
                    t.over()
                } else {
                    ratatui::style::Style::new()
                },
            ),
            Span::raw(format!("  att. {:>wait_w$}", l.waiting)),
            Span::raw(match l.oldest_wait_days {
                Some(d) if l.waiting > 0 => format!(" {d:>days_w$} j"),
                _ => " ".repeat(days_w + 3),
            }),
        ];
        if l.diagnostics > 0 {
            spans.push(Span::raw(format!(" {}{}", t.diag(), l.diagnostics)));
        }
        let mut line = Line::from(spans);
        if selected {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    let over_total = tl > tc;
    lines.push(Line::from(vec![
        Span::styled(
            format!("{:<w2$}", "Total", w2 = name_w + 1 + gauge_w + mark_w),
            t.title(),
        ),
        Span::styled(
            format!("{:>load_w$}", format!("{tl}/{tc}")),
            if over_total { t.over() } else { t.title() },
        ),
        Span::styled(format!("  att. {tw:>wait_w$}"), t.title()),
        Span::styled(
            if td > 0 {
                // (The "oldest wait" column is left blank on the total line.)
                format!("{} {}{td}", " ".repeat(days_w + 3), t.diag())
            } else {
                String::new()
            },
            t.title(),
        ),
    ]));
    f.render_widget(Paragraph::new(lines), inner);
}

fn draw_summary(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    if area.height == 0 {
        return;
    }
    let diag = m.derived.loads.iter().map(|l| l.diagnostics).sum::<u32>();
    let lines = vec![
        Line::from(vec![
            Span::styled(format!(" {}", t.over_mark()), t.over()),
            Span::raw(" au-delà de la capacité"),
        ]),
        Line::raw(" att. : commandes en attente, puis la plus longue attente"),
        Line::raw(format!(
            " {} diagnostics en cours ({diag}), hors charge (R-CAP-2)",
            t.diag()
        )),
        Line::styled(
            format!(
                " {} ménages · {} commandes · Entrée : liste du secteur",
                m.data.households.len(),
                m.data.referrals.len()
            ),
            t.dim(),
        ),
    ];
    let w = area.width as usize;
    let lines: Vec<Line> = lines.into_iter().map(|l| cut(l, w, t)).collect();
    f.render_widget(Paragraph::new(lines), area);
}

fn draw_gts(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let block = Block::bordered().title(Span::styled("Prochain GTS", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(s) = &m.derived.next_session else {
        f.render_widget(Paragraph::new("Aucune séance prévue"), inner);
        return;
    };
    let cd = countdown(m.today, s.date);
    let dl = &s.deadlines;
    // ✓ when the step is done, `!` when its date has passed undone
    // (with words when there is room): never the date passing alone, never
    // colour alone.
    let done = crate::domain::agenda::steps_done(m.data.sessions.get(&(s.year, s.month)));
    let w = inner.width as usize;
    let row = |label: &str, d: chrono::NaiveDate, done: bool| {
        let (mark, style) = if done {
            (format!(" {}", t.check()), t.ok())
        } else if d < m.today {
            let words = match w {
                w if w >= 14 + 5 + 12 => " ! en retard",
                w if w >= 14 + 5 + 9 => " ! retard",
                _ => " !",
            };
            (words.to_string(), t.over())
        } else {
            (String::new(), t.key())
        };
        Line::from(vec![
            Span::raw(format!("{label:<14}")),
            Span::styled(format!("{}{mark}", short_date(d)), style),
        ])
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!("{} {}", weekday_short(s.date), short_date(s.date)),
                t.title(),
            ),
            Span::raw("  "),
            Span::styled(cd, t.key()),
        ]),
        row("ODJ brouillon", dl.draft_agenda, done.draft),
        row("Réponses TS", dl.replies, done.replies),
        row("ODJ définitif", dl.final_agenda, done.final_agenda),
        row("PV", dl.minutes, done.minutes),
        Line::from(format!(
            "{} situation{} due{}",
            m.derived.due_at_next,
            if m.derived.due_at_next > 1 { "s" } else { "" },
            if m.derived.due_at_next > 1 { "s" } else { "" }
        )),
    ];
    if let Some(h) = s.holiday {
        lines.push(Line::styled(format!("! jour férié : {h}"), t.warn()));
    }
    let lines: Vec<Line> = lines.into_iter().map(|l| cut(l, w, t)).collect();
    f.render_widget(Paragraph::new(lines), inner);
}

/// The alerts this session sees: a count per severity, then the first
/// ones due, one line each, cut with `…` (`!` opens them all).
fn draw_alerts(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    if area.height < 3 {
        return;
    }
    let block = Block::bordered().title(Span::styled("Alertes", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let own: Vec<&crate::domain::alerts::Alert> = own_alerts(m)
        .into_iter()
        .filter_map(|i| m.derived.alerts.get(i))
        .collect();
    let count = |s: Severity| own.iter().filter(|a| a.severity == s).count();
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{} ", t.severity(Severity::Overdue)), t.over()),
            Span::styled(format!("{} en retard", count(Severity::Overdue)), t.over()),
        ]),
        Line::from(vec![
            Span::styled(format!("{} ", t.severity(Severity::Soon)), t.warn()),
            Span::raw(format!("{} sous 7 jours", count(Severity::Soon))),
        ]),
        Line::from(vec![
            Span::raw(format!("{} ", t.severity(Severity::Info))),
            Span::raw(format!("{} pour info", count(Severity::Info))),
        ]),
    ];
    let w = inner.width as usize;
    // The first alerts due, overdue ones first, in the room left.
    let room = (inner.height as usize).saturating_sub(lines.len() + 1);
    let first: Vec<_> = own
        .iter()
        .filter(|a| a.severity == Severity::Overdue)
        .chain(own.iter().filter(|a| a.severity == Severity::Soon))
        .take(room)
        .collect();
    if !first.is_empty() {
        lines.push(Line::raw(""));
    }
    for a in first {
        let style = if a.severity == Severity::Overdue {
            t.over()
        } else {
            t.warn()
        };
        let mut spans = vec![Span::styled(format!("{} ", t.severity(a.severity)), style)];
        if let Some(r) = a.reference.filter(|_| w >= 26) {
            spans.push(Span::styled(format!("{r} "), t.dim()));
        }
        spans.push(Span::raw(a.message.clone()));
        lines.push(Line::from(spans));
    }
    let lines: Vec<Line> = lines.into_iter().map(|l| cut(l, w, t)).collect();
    f.render_widget(Paragraph::new(lines), inner);
}
