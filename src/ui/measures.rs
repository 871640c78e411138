//! Mesures en cours: per sector, grouped by worker, with the compliance
//! strip (R-REF-4, R-MES-2/3/5, R-MASP).

use super::{Theme, filter_line, sector_head, trunc};
use crate::app::{Model, visible_measures};
use crate::domain::gts::presentation_session;
use crate::domain::measure::{Contract, MAX_RENEWALS, compliance};
use crate::domain::{Measure, Referral, ReferralKind};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let filter = filter_line(m, t);
    let [top, list, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(u16::from(filter.is_some())),
    ])
    .areas(area);
    let mut spans = sector_head(m, t);
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
        let name_w: usize = if wide { 22 } else { 14 };
        let cursor = m.measures_cursor.min(refs.len() - 1);
        // Group headers take rows too: build the window around the cursor.
        let height = list.height.saturating_sub(1) as usize;
        let mut rows: Vec<(Option<usize>, Line)> = Vec::new();
        let mut last_worker = None;
        let worker_of = |r: &crate::domain::Reference| m.data.measures.get(r).map(|x| x.worker);
        for (i, r) in refs.iter().enumerate() {
            let Some(me) = m.data.measures.get(r) else {
                continue;
            };
            if last_worker != Some(me.worker) {
                last_worker = Some(me.worker);
                // The list is grouped by worker: the group's count is its
                // run (only the groups up to the window are looked at, not
                // a whole sector of 100,000 households each frame).
                let n = refs[i..]
                    .iter()
                    .take_while(|x| worker_of(x) == Some(me.worker))
                    .count();
                rows.push((
                    None,
                    Line::styled(
                        format!(
                            "{} · {n} mesure{}",
                            m.data.worker_name(me.worker),
                            if n > 1 { "s" } else { "" }
                        ),
                        t.group(),
                    ),
                ));
            }
            // Past the window: stop building rows.
            if i > cursor + height {
                break;
            }
            // Before the window: a placeholder keeps the row count right.
            if i + height < cursor {
                rows.push((Some(i), Line::default()));
                continue;
            }
            let Some(rf) = m.data.referrals.get(r) else {
                continue;
            };
            let mut line = row(m, t, me, rf, name_w, wide);
            if i == cursor {
                line = line.style(t.selected());
            }
            rows.push((Some(i), line));
        }
        let sel_row = rows
            .iter()
            .position(|(i, _)| *i == Some(cursor))
            .unwrap_or(0);
        let first = sel_row.saturating_sub(height.saturating_sub(1));
        let mut header = vec![pad("Réf.", 10), pad("Ménage", name_w + 1)];
        if wide {
            header.push(pad("Début", 11));
        }
        for (h, w) in [
            ("Fin prév.", 11),
            ("Ren.", 5),
            ("GTS", 6),
            ("1er", 4),
            ("Soll.", 9),
            ("Renc.", 6),
            ("Ctr", 5),
            ("MASP", 5),
        ] {
            header.push(pad(h, w));
        }
        if wide {
            header.push("Objectifs".into());
        }
        let mut lines = vec![Line::styled(header.concat(), t.title())];
        lines.extend(
            rows.into_iter()
                .skip(first)
                .take(height.max(1))
                .map(|(_, l)| l),
        );
        f.render_widget(Paragraph::new(lines), list);
    }
    if let Some(l) = filter {
        f.render_widget(Paragraph::new(l), bottom);
    }
}

fn dm(d: Option<NaiveDate>) -> String {
    d.map_or("—".into(), |d| d.format("%d/%m/%Y").to_string())
}

fn pad(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n >= w {
        s.chars().take(w).collect()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

fn cell(s: impl Into<String>, w: usize, style: Style) -> Span<'static> {
    Span::styled(pad(&s.into(), w), style)
}

fn row(
    m: &Model,
    t: &Theme,
    me: &Measure,
    rf: &Referral,
    name_w: usize,
    wide: bool,
) -> Line<'static> {
    let h = m.data.households.get(&me.household);
    let mut name = h.map(|h| h.display_name()).unwrap_or_else(|| "?".into());
    if me.kind == ReferralKind::Diagnostic {
        name = format!("{} {name}", t.diag());
    }
    let c = compliance(me, rf, m.today);
    let first = match c.first_household_contact {
        Some(d) if d <= c.first_contact_due => (t.check(), t.ok()),
        Some(_) => ("!", t.warn()),
        None if m.today > c.first_contact_due => ("!", t.over()),
        None => (t.ellipsis(), t.dim()),
    };
    let attempts_ok = c.attempts >= 3 && c.home_visit;
    let attempts = format!(
        "{}/3 {}",
        // R-MES-2 asks for three: more says nothing more in a narrow column.
        c.attempts.min(3),
        if c.home_visit { "VAD" } else { "---" }
    );
    let meet = match c.days_since_meeting {
        Some(d) if d > 15 => (format!("{d} j!"), t.over()),
        Some(d) => (format!("{d} j"), Style::new()),
        None => ("—".to_string(), Style::new()),
    };
    let days_in = me.start.map_or(0, |s| (m.today - s).num_days());
    let contract = match &me.contract {
        Contract::Signed(_) => (t.check(), t.ok()),
        Contract::NoContract { .. } => ("sans", t.warn()),
        Contract::Pending if days_in > 30 => ("!", t.over()),
        Contract::Pending => (t.ellipsis(), t.dim()),
    };
    let masp = match (me.masp.requested, me.masp.decision) {
        (_, Some((true, _))) => "acc.",
        (_, Some((false, _))) => "ref.",
        (Some(_), None) => "dem.",
        _ => "non",
    };
    let gts = me
        .planned_end
        .filter(|_| me.kind == crate::domain::ReferralKind::Measure)
        .and_then(|e| presentation_session(e, m.today, &m.derived.sessions))
        .map_or("—".into(), |s| s.date.format("%d/%m").to_string());
    let end_style = match me.planned_end {
        Some(e) if e < m.today => t.over(),
        _ => Style::new(),
    };
    let plain = Style::new();
    let mut spans = vec![
        cell(me.reference.to_string(), 10, plain),
        cell(trunc(&name, name_w, t), name_w + 1, plain),
    ];
    if wide {
        spans.push(cell(dm(me.start), 11, plain));
    }
    spans.extend([
        cell(dm(me.planned_end), 11, end_style),
        cell(format!("{}/{}", me.renewals_used(), MAX_RENEWALS), 5, plain),
        cell(gts, 6, plain),
        cell(first.0, 4, first.1),
        cell(attempts, 9, if attempts_ok { t.ok() } else { t.warn() }),
        cell(meet.0, 6, meet.1),
        cell(contract.0, 5, contract.1),
        cell(masp, 5, plain),
    ]);
    if wide {
        spans.push(Span::raw(rf.axes_label()));
    }
    Line::from(spans)
}
