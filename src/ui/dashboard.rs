//! Tableau de bord: a caseload gauge per sector, the next GTS, the alerts.

use super::{Theme, trunc};
use crate::app::Model;
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
    let name_w = if wide { 27 } else { 17 };
    // name, gauge, mark, load, waiting, oldest wait, diagnostics.
    let diag_w = 1 + t.diag().chars().count() + 2;
    let fixed = name_w + 1 + 2 + 6 + 9 + 7 + diag_w;
    let gauge_w = w.saturating_sub(fixed).clamp(4, 30);
    let mut lines = Vec::new();
    let (mut tl, mut tc, mut tw, mut td) = (0u32, 0u32, 0u32, 0u32);
    for (i, l) in m.derived.loads.iter().enumerate() {
        let sector = m.data.sectors.get(&l.sector);
        let name = sector.map_or("?", |s| {
            if wide {
                s.name.as_str()
            } else {
                s.short_name.as_str()
            }
        });
        tl += l.load;
        tc += l.capacity;
        tw += l.waiting;
        td += l.diagnostics;
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
        let mut spans = vec![
            Span::raw(format!("{:<name_w$} ", trunc(name, name_w, t))),
            Span::styled(gauge, gstyle),
            Span::styled(
                format!(" {}", if over { t.over_mark() } else { " " }),
                t.over(),
            ),
            Span::styled(
                format!("{:>6}", format!("{}/{}", l.load, l.capacity)),
                if over {
                    t.over()
                } else {
                    ratatui::style::Style::new()
                },
            ),
            Span::raw(format!("  att.{:>3}", l.waiting)),
            Span::raw(match l.oldest_wait_days {
                Some(d) if l.waiting > 0 => format!("{:>5} j", d),
                _ => "       ".to_string(),
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
            format!("{:<w2$}", "Total", w2 = name_w + 1 + gauge_w + 2),
            t.title(),
        ),
        Span::styled(
            format!("{:>6}", format!("{tl}/{tc}")),
            if over_total { t.over() } else { t.title() },
        ),
        Span::styled(format!("  att.{tw:>3}"), t.title()),
        Span::styled(
            if td > 0 {
                format!("        {}{td}", t.diag())
            } else {
                String::new()
            },
            t.title(),
        ),
        // (7 columns of "oldest wait" left blank on the total line.)
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
    let row = |label: &str, d: chrono::NaiveDate| {
        let passed = d < m.today;
        Line::from(vec![
            Span::raw(format!("{label:<14}")),
            Span::styled(
                format!(
                    "{}{}",
                    short_date(d),
                    if passed {
                        format!(" {}", t.check())
                    } else {
                        String::new()
                    }
                ),
                if passed { t.dim() } else { t.key() },
            ),
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
        row("ODJ brouillon", dl.draft_agenda),
        row("Réponses TS", dl.replies),
        row("ODJ définitif", dl.final_agenda),
        row("PV", dl.minutes),
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
    f.render_widget(Paragraph::new(lines), inner);
}

fn draw_alerts(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    if area.height < 3 {
        return;
    }
    let block = Block::bordered().title(Span::styled("Alertes", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let count = |s: Severity| m.derived.alerts.iter().filter(|a| a.severity == s).count();
    let lines = vec![
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
    f.render_widget(Paragraph::new(lines), inner);
}
