//! Alertes: every alert of the engine, by due date, filtered by sector and
//! worker.

use super::theme::{width, wrap_cut};
use super::{Theme, column_widths, filter_line, trunc};
use crate::app::{Model, visible_alerts};
use crate::domain::alerts::Severity;
use crate::domain::calendar::{countdown, fr_date};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let filter = filter_line(m, t);
    let [top, list, detail, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(2),
        Constraint::Length(u16::from(filter.is_some())),
    ])
    .areas(area);
    let vis = visible_alerts(m);
    let sector = m
        .alerts_sector
        .map_or("tous".to_string(), |s| m.data.sector_name(s).to_string());
    let worker = m.alerts_worker.map_or("tou·te·s".to_string(), |w| {
        m.data.worker_name(Some(w)).to_string()
    });
    let overdue = vis
        .iter()
        .filter(|i| m.derived.alerts[**i].severity == Severity::Overdue)
        .count();
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(" Secteur : "),
            Span::styled(sector, t.title()),
            Span::raw(format!(" {} TS : ", t.dot())),
            Span::styled(worker, t.title()),
            Span::raw(format!(" {} {} alertes, ", t.dot(), vis.len())),
            Span::styled(format!("{overdue} en retard"), t.over()),
        ])),
        top,
    );
    if vis.is_empty() {
        f.render_widget(Paragraph::new(" Aucune alerte.").style(t.dim()), list);
    } else {
        let wide = list.width >= 110;
        let mut widths = vec![
            Constraint::Length(1),
            Constraint::Length(10),
            Constraint::Length(5),
            Constraint::Length(9),
            Constraint::Length(9),
            Constraint::Min(10),
        ];
        let mut header = vec!["", "Échéance", "", "Réf.", "Règle", "Alerte"];
        if wide {
            widths.insert(4, Constraint::Length(16));
            widths.insert(5, Constraint::Length(12));
            header.insert(4, "Secteur");
            header.insert(5, "TS");
        }
        // The message takes what the other columns leave, cut with `…`.
        let message_w = column_widths(&widths, 1, list.width)
            .last()
            .copied()
            .unwrap_or(0);
        let cursor = m.alerts_cursor.min(vis.len() - 1);
        let height = list.height.saturating_sub(1) as usize;
        let first = cursor.saturating_sub(height.saturating_sub(1));
        let rows: Vec<Row> = vis
            .iter()
            .skip(first)
            .take(height.max(1))
            .filter_map(|i| m.derived.alerts.get(*i))
            .map(|a| {
                let style = match a.severity {
                    Severity::Overdue => t.over(),
                    Severity::Soon => t.warn(),
                    Severity::Info => t.dim(),
                };
                let mut cells = vec![
                    Cell::from(Span::styled(t.severity(a.severity), style)),
                    Cell::from(fr_date(a.due)),
                    Cell::from(Span::styled(countdown(m.today, a.due), style)),
                    Cell::from(a.reference.map_or(String::new(), |r| r.to_string())),
                    Cell::from(trunc(a.rule, 9, t)),
                    Cell::from(trunc(&a.message, message_w, t)),
                ];
                if wide {
                    let s = a.sector.and_then(|s| m.data.sectors.get(&s));
                    cells.insert(
                        4,
                        Cell::from(trunc(s.map_or("", |s| s.short_name.as_str()), 16, t)),
                    );
                    cells.insert(5, Cell::from(trunc(m.data.worker_name(a.worker), 12, t)));
                }
                Row::new(cells)
            })
            .collect();
        let table = Table::new(rows, widths)
            .header(Row::new(header).style(t.title()))
            .row_highlight_style(t.selected())
            .column_spacing(1);
        let mut state = TableState::default().with_selected(Some(cursor - first));
        f.render_stateful_widget(table, list, &mut state);
        // The selected alert in full, with its household, on the lines
        // under the list (cut with `…` if it is longer still).
        if let Some(a) = vis.get(cursor).and_then(|i| m.derived.alerts.get(*i)) {
            let who = a
                .household
                .and_then(|h| m.data.households.get(&h))
                .map(|h| format!("{} {} ", h.display_name(), t.dot()))
                .unwrap_or_default();
            let marker = format!("{} ", t.right());
            let indent = width(&marker);
            let text = format!("{who}{}", a.message);
            let lines = wrap_cut(
                &text,
                (detail.width as usize).saturating_sub(indent),
                detail.height as usize,
                t,
            );
            let lines: Vec<Line> = lines
                .into_iter()
                .enumerate()
                .map(|(i, l)| {
                    if i > 0 {
                        return Line::raw(format!("{}{l}", " ".repeat(indent)));
                    }
                    let mut spans = vec![Span::styled(marker.clone(), t.key())];
                    match l.strip_prefix(who.as_str()) {
                        Some(rest) if !who.is_empty() => {
                            spans.push(Span::styled(who.clone(), t.title()));
                            spans.push(Span::raw(rest.to_string()));
                        }
                        _ => spans.push(Span::raw(l)),
                    }
                    Line::from(spans)
                })
                .collect();
            f.render_widget(Paragraph::new(lines), detail);
        }
    }
    if let Some(l) = filter {
        f.render_widget(Paragraph::new(l), bottom);
    }
}
