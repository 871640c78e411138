//! Mesures en cours: per sector, grouped by worker, with the compliance
//! strip (R-REF-4, R-MES-2/3/5, R-MASP).

use super::{Theme, filter_line, sector_switcher, trunc};
use crate::app::{Model, visible_measures};
use crate::domain::gts::due_session;
use crate::domain::measure::{Contract, MAX_RENEWALS, compliance};
use crate::domain::{Measure, Referral, ReferralKind};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
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
    spans.push(Span::raw(format!(
        " {} TS : {}",
        t.dot(),
        match m.measures_worker {
            None => "tou·te·s".to_string(),
            Some(w) => m.data.worker_name(Some(w)).to_string(),
        }
    )));
    f.render_widget(Paragraph::new(Line::from(spans)), top);

    let refs = visible_measures(m);
    if refs.is_empty() {
        f.render_widget(
            Paragraph::new(" Aucune mesure en cours ici.").style(t.dim()),
            list,
        );
    } else {
        let wide = list.width >= 110;
        let name_w: u16 = if wide { 22 } else { 14 };
        let cursor = m.measures_cursor.min(refs.len() - 1);
        // Group headers take rows too: build the window around the cursor.
        let height = list.height.saturating_sub(1) as usize;
        let mut rows: Vec<(Option<usize>, Row)> = Vec::new();
        let mut last_worker = None;
        for (i, r) in refs.iter().enumerate() {
            let Some(me) = m.data.measures.get(r) else {
                continue;
            };
            if last_worker != Some(me.worker) {
                last_worker = Some(me.worker);
                let n = m.derived.in_progress.get(&m.sector).map_or(0, |l| {
                    l.iter()
                        .filter(|x| {
                            m.data
                                .measures
                                .get(x)
                                .is_some_and(|y| y.worker == me.worker)
                        })
                        .count()
                });
                rows.push((
                    None,
                    Row::new(vec![Cell::from(Span::styled(
                        format!("{} ({n})", m.data.worker_name(me.worker)),
                        t.group(),
                    ))]),
                ));
            }
            // Past the window: stop building rows.
            if i > cursor + height {
                break;
            }
            // Before the window: a placeholder keeps the row count right.
            if i + height < cursor {
                rows.push((Some(i), Row::default()));
                continue;
            }
            let Some(rf) = m.data.referrals.get(r) else {
                continue;
            };
            rows.push((Some(i), row(m, t, me, rf, name_w, wide)));
        }
        let sel_row = rows
            .iter()
            .position(|(i, _)| *i == Some(cursor))
            .unwrap_or(0);
        let first = sel_row.saturating_sub(height.saturating_sub(1));
        let shown: Vec<Row> = rows
            .into_iter()
            .skip(first)
            .take(height.max(1))
            .map(|(_, r)| r)
            .collect();
        let mut widths = vec![
            Constraint::Length(9),
            Constraint::Length(name_w),
            Constraint::Length(10),
            Constraint::Length(4),
            Constraint::Length(5),
            Constraint::Length(3),
            Constraint::Length(8),
            Constraint::Length(5),
            Constraint::Length(4),
            Constraint::Length(5),
        ];
        let mut header = vec![
            "Réf.",
            "Ménage",
            "Fin prév.",
            "Ren.",
            "GTS",
            "1er",
            "Soll.",
            "Renc.",
            "Ctr",
            "MASP",
        ];
        if wide {
            widths.insert(2, Constraint::Length(10));
            header.insert(2, "Début");
            widths.push(Constraint::Min(10));
            header.push("Objectifs");
        }
        let table = Table::new(shown, widths)
            .header(Row::new(header).style(t.title()))
            .row_highlight_style(t.selected())
            .column_spacing(1);
        let mut state = TableState::default().with_selected(Some(sel_row - first));
        f.render_stateful_widget(table, list, &mut state);
    }
    if let Some(l) = filter {
        f.render_widget(Paragraph::new(l), bottom);
    }
}

fn dm(d: Option<NaiveDate>) -> String {
    d.map_or("—".into(), |d| d.format("%d/%m/%Y").to_string())
}

fn row<'a>(m: &Model, t: &Theme, me: &Measure, rf: &Referral, name_w: u16, wide: bool) -> Row<'a> {
    let h = m.data.households.get(&me.household);
    let mut name = h.map(|h| h.display_name()).unwrap_or_else(|| "?".into());
    if me.kind == ReferralKind::Diagnostic {
        name = format!("{} {name}", t.diag());
    }
    let c = compliance(me, rf, m.today);
    let first = match c.first_household_contact {
        Some(d) if d <= c.first_contact_due => Span::styled(t.check(), t.ok()),
        Some(_) => Span::styled("!", t.warn()),
        None if m.today > c.first_contact_due => Span::styled("!", t.over()),
        None => Span::styled("…", t.dim()),
    };
    let attempts_ok = c.attempts >= 3 && c.home_visit;
    let attempts = Span::styled(
        format!(
            "{}/3 {}",
            c.attempts.min(9),
            if c.home_visit { "VAD" } else { "---" }
        ),
        if attempts_ok { t.ok() } else { t.warn() },
    );
    let meet = match c.days_since_meeting {
        Some(d) if d > 15 => Span::styled(format!("{d}j!"), t.over()),
        Some(d) => Span::raw(format!("{d}j")),
        None => Span::raw("—"),
    };
    let days_in = me.start.map_or(0, |s| (m.today - s).num_days());
    let contract = match &me.contract {
        Contract::Signed(_) => Span::styled(t.check(), t.ok()),
        Contract::NoContract { .. } => Span::styled("mot", t.warn()),
        Contract::Pending if days_in > 30 => Span::styled("!", t.over()),
        Contract::Pending => Span::styled("…", t.dim()),
    };
    let masp = match (me.masp.requested, me.masp.decision) {
        (_, Some((true, _))) => "acc.",
        (_, Some((false, _))) => "ref.",
        (Some(_), None) => "dem.",
        _ => "non",
    };
    let gts = me
        .planned_end
        .and_then(|e| due_session(e, &m.derived.sessions))
        .map_or("—".into(), |s| s.date.format("%d/%m").to_string());
    let end_style = match me.planned_end {
        Some(e) if e < m.today => t.over(),
        _ => Style::new(),
    };
    let mut cells = vec![
        Cell::from(me.reference.to_string()),
        Cell::from(trunc(&name, name_w as usize, t)),
        Cell::from(Span::styled(dm(me.planned_end), end_style)),
        Cell::from(format!("{}/{}", me.renewals_used(), MAX_RENEWALS)),
        Cell::from(gts),
        Cell::from(first),
        Cell::from(attempts),
        Cell::from(meet),
        Cell::from(contract),
        Cell::from(masp),
    ];
    if wide {
        cells.insert(2, Cell::from(dm(me.start)));
        cells.push(Cell::from(rf.axes_label()));
    }
    Row::new(cells)
}
