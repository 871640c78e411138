//! Listes d'attente: one sector at a time, in the order of R-REF-5.

use super::{Theme, column_widths, filter_line, sector_head, trunc};
use crate::app::{Model, visible_waiting};
use crate::domain::ReferralKind;
use crate::domain::calendar::fr_date;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let filter = filter_line(m, t);
    let [top, list, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(u16::from(filter.is_some())),
    ])
    .areas(area);
    let mut spans = sector_head(m, t);
    if let Some(l) = m.derived.load(m.sector) {
        let free = l.free_places();
        spans.push(Span::raw(format!(
            " {} {}",
            t.dot(),
            match free {
                f if f > 1 => format!("{f} places"),
                1 => "1 place".into(),
                0 => "complet".into(),
                f => format!("{} en trop", -f),
            }
        )));
        spans.push(Span::raw(format!(" {} {} en attente", t.dot(), l.waiting)));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), top);

    let refs = visible_waiting(m);
    if refs.is_empty() {
        let msg = if m.filter.is_empty() {
            "Liste d'attente vide."
        } else {
            "Aucune commande ne correspond au filtre."
        };
        f.render_widget(Paragraph::new(format!(" {msg}")).style(t.dim()), list);
    } else {
        let wide = list.width >= 110;
        let name_w: u16 = if wide { 24 } else { 15 };
        let mark_w: u16 = if t.unicode { 2 } else { 4 };
        let req_w: u16 = if wide { 14 } else { 12 };
        let mut widths = vec![
            Constraint::Length(3),
            Constraint::Length(9),
            Constraint::Length(mark_w),
            Constraint::Length(name_w),
            Constraint::Length(10),
            Constraint::Length(7),
            Constraint::Length(req_w),
            Constraint::Min(8),
        ];
        if wide {
            widths.insert(4, Constraint::Length(16));
        }
        // The objectives take what is left, cut with `…`.
        let objectives_w = column_widths(&widths, 1, list.width)
            .last()
            .copied()
            .unwrap_or(0);
        let mut rows = Vec::with_capacity(refs.len());
        // Only the rows that can show are built (lists can be long).
        let height = list.height.saturating_sub(1) as usize;
        let cursor = m.waiting_cursor.min(refs.len() - 1);
        let first = cursor.saturating_sub(height.saturating_sub(1));
        for (i, r) in refs.iter().enumerate().skip(first).take(height.max(1)) {
            let Some(rf) = m.data.referrals.get(r) else {
                continue;
            };
            let h = m.data.households.get(&rf.household);
            let name = h.map(|h| h.display_name()).unwrap_or_else(|| "?".into());
            let protected = h.is_some_and(|h| h.judicial_protection);
            let (mark, mstyle) = if rf.urgent {
                (t.urgent(), t.over())
            } else if rf.kind == ReferralKind::Diagnostic {
                (t.diag(), t.title())
            } else {
                ("", t.dim())
            };
            let days = (m.today - rf.referral_date).num_days();
            let objectives = if wide && rf.kind == ReferralKind::Measure {
                rf.objectives
                    .iter()
                    .map(|o| o.short_label())
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                rf.axes_label().replace(" · ", "+")
            };
            let name_cell = if protected {
                Cell::from(Line::from(vec![
                    Span::raw(trunc(&name, name_w as usize - 3, t)),
                    Span::styled(" PJ", t.over()),
                ]))
            } else {
                Cell::from(trunc(&name, name_w as usize, t))
            };
            let mut cells = vec![
                Cell::from(format!("{:>3}", i + 1)),
                Cell::from(r.to_string()),
                Cell::from(Span::styled(mark, mstyle)),
                name_cell,
                Cell::from(fr_date(rf.referral_date)),
                Cell::from(format!("{days:>5} j")),
                Cell::from(trunc(rf.requester.label(), req_w as usize, t)),
                Cell::from(trunc(&objectives, objectives_w, t)),
            ];
            if wide {
                cells.insert(
                    4,
                    Cell::from(trunc(h.map_or("", |h| h.commune.as_str()), 16, t)),
                );
            }
            rows.push(Row::new(cells));
        }
        let mut header = vec![
            "#",
            "Réf.",
            "",
            "Ménage",
            "Commande",
            "Attente",
            "Demandeur",
            "Objectifs",
        ];
        if wide {
            header.insert(4, "Commune");
        }
        let table = Table::new(rows, widths)
            .header(Row::new(header).style(t.title()))
            .row_highlight_style(t.selected())
            .column_spacing(1);
        let mut state = TableState::default().with_selected(Some(cursor - first));
        f.render_stateful_widget(table, list, &mut state);
    }
    if let Some(l) = filter {
        f.render_widget(Paragraph::new(l), bottom);
    }
}
