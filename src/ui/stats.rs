//! « Statistiques »: the year's figures (R-STAT-1/2) as a table, starts
//! and stops per sector as a bar chart, starts per month as a sparkline.

use super::{Theme, trunc};
use crate::app::Model;
use crate::app::stats::shown;
use crate::domain::stats::{Counts, RowKey, YearStats, period_label};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::bar;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Cell, Paragraph, Row, Sparkline, Table};

/// Bars in ASCII when the terminal has no Unicode.
const ASCII_BARS: bar::Set<'static> = bar::Set {
    full: "#",
    seven_eighths: "#",
    three_quarters: "=",
    five_eighths: "=",
    half: "-",
    three_eighths: "-",
    one_quarter: ".",
    one_eighth: ".",
    empty: " ",
};

fn bars(t: &Theme) -> bar::Set<'static> {
    if t.unicode {
        bar::NINE_LEVELS
    } else {
        ASCII_BARS
    }
}

/// Rows in reading order: each sector, then its workers; the total apart.
fn table_keys(s: &YearStats) -> Vec<RowKey> {
    let mut sectors: Vec<_> = s
        .rows
        .iter()
        .filter_map(|r| match r.key {
            RowKey::Sector(x) | RowKey::Worker(x, _) => Some(x),
            RowKey::Total => None,
        })
        .collect();
    sectors.sort();
    sectors.dedup();
    let mut keys = Vec::new();
    for x in sectors {
        for r in &s.rows {
            if r.key == RowKey::Sector(x) {
                keys.push(r.key);
            }
        }
        for r in &s.rows {
            if matches!(r.key, RowKey::Worker(y, _) if y == x) {
                keys.push(r.key);
            }
        }
    }
    keys
}

fn label(m: &Model, key: RowKey, only_workers: bool) -> String {
    match key {
        RowKey::Worker(s, w) if only_workers => format!(
            "{} {}",
            m.data
                .sectors
                .get(&s)
                .map_or("?", |x| x.short_name.as_str()),
            m.data.worker_name(Some(w))
        ),
        RowKey::Worker(_, w) => format!("  {}", m.data.worker_name(Some(w))),
        RowKey::Sector(s) => m
            .data
            .sectors
            .get(&s)
            .map_or("?", |x| x.short_name.as_str())
            .to_string(),
        RowKey::Total => "Total GIP".to_string(),
    }
}

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let s = shown(m);
    let charts_h = (area.height / 3).clamp(8, 14);
    let [title, table, charts] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(charts_h),
    ])
    .areas(area);
    let head = format!(
        " {} {} {} {} {}",
        t.left(),
        s.year,
        t.right(),
        t.dot(),
        period_label(&s)
    );
    f.render_widget(
        Paragraph::new(Line::from(Span::styled(
            trunc(&head, title.width as usize, t),
            t.title(),
        ))),
        title,
    );
    if s.rows.is_empty() {
        f.render_widget(
            Paragraph::new(" Aucune statistique à afficher pour ce compte."),
            table,
        );
        return;
    }
    draw_table(m, f, table, t, &s);
    let [left, right] =
        Layout::horizontal([Constraint::Min(30), Constraint::Length(33)]).areas(charts);
    draw_bars(m, f, left, t, &s);
    draw_months(f, right, t, &s);
}

fn draw_table(m: &Model, f: &mut Frame, area: Rect, t: &Theme, s: &YearStats) {
    let wide = area.width >= 110;
    let only_workers = !s.rows.iter().any(|r| r.key == RowKey::Total);
    let mut header = vec![
        "", "Suiv.", "Cmd.", "Déb.", "Renv.", "Arr.", "Bil.", "Diag.", "Attente",
    ];
    let mut widths = vec![5u16, 5, 5, 5, 5, 5, 5, 8];
    if wide {
        header.extend(["1er cont.", "Sollic.", "Renc.", "Diag.2m"]);
        widths.extend([9u16, 9, 9, 9]);
    }
    let fixed: u16 = widths.iter().sum::<u16>() + widths.len() as u16;
    let label_w = area.width.saturating_sub(fixed).max(8);
    let row_of = |key: RowKey, c: &Counts| {
        let so = |n: u32| match key {
            RowKey::Worker(..) => String::new(),
            _ => n.to_string(),
        };
        let wait = match (c.median_wait(), c.max_wait()) {
            (Some(a), Some(b)) => format!("{a}/{b} j"),
            _ => "—".to_string(),
        };
        let mut cells = vec![
            trunc(&label(m, key, only_workers), label_w as usize, t),
            c.followed.to_string(),
            so(c.referrals),
            c.starts.to_string(),
            c.renewals.to_string(),
            c.stops.to_string(),
            c.reviews.to_string(),
            c.diagnostics_followed.to_string(),
            wait,
        ];
        if wide {
            for r in [
                c.first_contact,
                c.attempts,
                c.meetings,
                c.diagnostic_deadline,
            ] {
                cells.push(r.label());
            }
        }
        let style = match key {
            RowKey::Sector(_) | RowKey::Total => Style::default().add_modifier(Modifier::BOLD),
            RowKey::Worker(..) => Style::default(),
        };
        Row::new(cells.into_iter().enumerate().map(|(i, x)| {
            if i == 0 {
                Cell::from(x)
            } else {
                Cell::from(Line::from(x).right_aligned())
            }
        }))
        .style(style)
    };
    let keys = table_keys(s);
    let total = s.total();
    // Header and total stay; the rows between scroll (↑/↓).
    let room = (area.height as usize).saturating_sub(1 + usize::from(total.is_some()));
    let start = m.stats.scroll.min(keys.len().saturating_sub(room));
    let below = keys.len().saturating_sub(start + room);
    let mut rows: Vec<Row> = keys
        .iter()
        .skip(start)
        .take(room)
        .filter_map(|k| s.row(*k).map(|c| row_of(*k, c)))
        .collect();
    if let Some(c) = total {
        rows.push(row_of(RowKey::Total, c));
    }
    let mut constraints = vec![Constraint::Length(label_w)];
    constraints.extend(widths.iter().map(|w| Constraint::Length(*w)));
    let header = Row::new(header.into_iter().enumerate().map(|(i, h)| {
        if i == 0 {
            Cell::from(h)
        } else {
            Cell::from(Line::from(h).right_aligned())
        }
    }))
    .style(t.title());
    f.render_widget(Table::new(rows, constraints).header(header), area);
    // Rows out of view: said on the header's first cell.
    if start > 0 || below > 0 {
        let more = match (start, below) {
            (0, n) => format!("{} {n} de plus (j/↓)", if t.unicode { "▼" } else { "v" }),
            (n, 0) => format!("{} {n} de plus (k/↑)", if t.unicode { "▲" } else { "^" }),
            (a, b) => format!("↑{a} ↓{b} de plus"),
        };
        let w = label_w.min(area.width);
        f.render_widget(
            Paragraph::new(trunc(&more, w as usize, t)).style(t.dim()),
            Rect {
                width: w,
                height: 1,
                ..area
            },
        );
    }
}

fn draw_bars(m: &Model, f: &mut Frame, area: Rect, t: &Theme, s: &YearStats) {
    let block = Block::bordered().title(Span::styled(
        "Démarrages (D) et arrêts (A) par secteur",
        t.title(),
    ));
    // The sectors' rows, or a worker's own rows.
    let mut groups: Vec<(String, &Counts)> = s
        .sector_rows()
        .map(|(x, c)| {
            (
                m.data
                    .sectors
                    .get(&x)
                    .map_or("?".to_string(), |z| z.short_name.clone()),
                c,
            )
        })
        .collect();
    if groups.is_empty() {
        groups = s
            .rows
            .iter()
            .filter_map(|r| match r.key {
                RowKey::Worker(x, _) => Some((
                    m.data
                        .sectors
                        .get(&x)
                        .map_or("?".to_string(), |z| z.short_name.clone()),
                    &r.counts,
                )),
                _ => None,
            })
            .collect();
    }
    let inner_w = block.inner(area).width as usize;
    let n = groups.len().max(1);
    // Two bars a group and one column between groups.
    let bar_w = ((inner_w / n).saturating_sub(1) / 2).clamp(1, 4) as u16;
    let starts_style = if t.color {
        Style::new().fg(Color::Cyan)
    } else {
        Style::new()
    };
    let stops_style = if t.color {
        Style::new().fg(Color::Yellow)
    } else {
        Style::new().add_modifier(Modifier::DIM)
    };
    let mut chart = BarChart::default()
        .block(block)
        .bar_width(bar_w)
        .bar_gap(0)
        .group_gap(1)
        .bar_set(bars(t));
    for (name, c) in &groups {
        let glabel: String = name.chars().take(usize::from(bar_w) * 2).collect();
        // No value on the bars: drawn over a short bar it reads as one
        // number with the next; the table above gives the figures.
        let bar = |v: u32, l: &'static str, st: Style| {
            Bar::default()
                .value(u64::from(v))
                .text_value(String::new())
                .label(Line::from(l))
                .style(st)
        };
        let bars = [
            bar(c.starts, "D", starts_style),
            bar(c.stops, "A", stops_style),
        ];
        chart = chart.data(BarGroup::default().label(Line::from(glabel)).bars(&bars));
    }
    f.render_widget(chart, area);
}

const MONTHS: &str = "JFMAMJJASOND";

fn draw_months(f: &mut Frame, area: Rect, t: &Theme, s: &YearStats) {
    let block = Block::bordered().title(Span::styled("Démarrages par mois", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    // The total's months, or the sum of a worker's rows.
    let mut months = [0u64; 12];
    match s.total() {
        Some(c) => {
            for (i, v) in c.starts_by_month.iter().enumerate() {
                months[i] = u64::from(*v);
            }
        }
        None => {
            for r in &s.rows {
                for (i, v) in r.counts.starts_by_month.iter().enumerate() {
                    months[i] += u64::from(*v);
                }
            }
        }
    }
    let [spark, letters, rest] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    let spark = Rect {
        width: spark.width.min(24),
        ..spark
    };
    // Two columns a month when there is room.
    let doubled: Vec<u64> = months.iter().flat_map(|v| [*v, *v]).collect();
    let (data, letters_line) = if spark.width >= 24 {
        (
            doubled,
            MONTHS.chars().map(|c| format!("{c} ")).collect::<String>(),
        )
    } else {
        (months.to_vec(), MONTHS.to_string())
    };
    f.render_widget(Sparkline::default().data(&data).bar_set(bars(t)), spark);
    f.render_widget(Paragraph::new(letters_line).style(t.dim()), letters);
    let mut lines: Vec<Line> = Vec::new();
    let sum = |pick: fn(&Counts) -> crate::domain::stats::Ratio| {
        let mut r = crate::domain::stats::Ratio::default();
        match s.total() {
            Some(c) => r = pick(c),
            None => {
                for row in &s.rows {
                    let x = pick(&row.counts);
                    r.met += x.met;
                    r.due += x.due;
                }
            }
        }
        r.label()
    };
    lines.push(Line::from(format!(
        "1er contact en 1 mois {}",
        sum(|c| c.first_contact)
    )));
    lines.push(Line::from(format!(
        "Rencontres 15 j {}",
        sum(|c| c.meetings)
    )));
    if let Some(g) = &s.gts {
        lines.push(Line::from(format!(
            "GTS tenus {}/{} · PV {}",
            g.held,
            g.planned,
            g.minutes_on_time.label()
        )));
    }
    let w = rest.width as usize;
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| Line::from(trunc(&l.to_string(), w, t)))
        .collect();
    f.render_widget(Paragraph::new(lines), rest);
}
