//! Dossier: the household, its referral, its measure and the timeline.

use super::{Theme, trunc};
use crate::app::{Model, Screen};
use crate::domain::calendar::fr_date;
use crate::domain::gts::presentation_session;
use crate::domain::measure::{Contract, MAX_RENEWALS, compliance};
use crate::domain::{MeasureStatus, ReferralKind};
use crate::keymap::{Action, Mode};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

fn d(x: Option<NaiveDate>) -> String {
    x.map_or("—".into(), fr_date)
}

fn kv<'a>(label: &str, value: impl Into<String>, t: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label:<19}"), t.dim()),
        Span::raw(value.into()),
    ])
}

fn section<'a>(title: &str, t: &Theme) -> Line<'a> {
    Line::styled(title.to_string(), t.title())
}

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let Screen::Household {
        household,
        reference,
    } = m.screen
    else {
        return;
    };
    let Some(h) = m.data.households.get(&household) else {
        f.render_widget(Paragraph::new(" Ménage introuvable."), area);
        return;
    };
    let mut left: Vec<Line> = Vec::new();
    let mut name_line = vec![Span::styled(
        format!("{} {}", h.last_name.to_uppercase(), h.first_name),
        t.title(),
    )];
    name_line.push(Span::raw(format!("  n° {}", h.id.0)));
    if h.judicial_protection {
        name_line.push(Span::styled("  PROTECTION JUDICIAIRE (R-ELIG-2)", t.over()));
    } else {
        name_line.push(Span::styled("  protection judiciaire : non", t.dim()));
    }
    left.push(Line::from(name_line));
    left.push(kv(
        "Commune",
        format!("{} {} {}", h.commune, t.dot(), m.data.sector_name(h.sector)),
        t,
    ));
    left.push(kv(
        "Bailleur",
        h.landlord
            .as_ref()
            .map_or("—".into(), |l| format!("{} ({})", l.name, l.kind.label())),
        t,
    ));
    left.push(kv("TS référent", h.referring_worker.clone(), t));
    let referral = reference.and_then(|r| m.data.referrals.get(&r));
    let measure = reference.and_then(|r| m.data.measures.get(&r));
    // The chronology: its heading (and what to do when there is nothing),
    // then one text per entry, newest first, and the entry chosen.
    let mut timeline: Vec<Line> = Vec::new();
    let mut entries: Vec<String> = Vec::new();
    let mut chosen: Option<usize> = None;
    if let Some(rf) = referral {
        let mut title = format!(
            "Commande {} · {} du {} (reçue le {})",
            rf.reference,
            match rf.kind {
                ReferralKind::Measure => "mesure ASSLL".to_string(),
                ReferralKind::Diagnostic => format!("{} diagnostic", t.diag()),
            },
            fr_date(rf.referral_date),
            fr_date(rf.received)
        );
        if rf.urgent {
            title.push_str(&format!(" {} urgence", t.urgent()));
        }
        left.push(section(&title, t));
        left.push(kv(
            "Demandeur",
            format!(
                "{} · décidé par : {}",
                rf.requester.label(),
                rf.deciding_body.label()
            ),
            t,
        ));
        let objectives = rf
            .objectives
            .iter()
            .map(|o| o.label())
            .collect::<Vec<_>>()
            .join(", ");
        left.push(kv(
            "Objectifs",
            if rf.kind == ReferralKind::Diagnostic {
                format!(
                    "diagnostic, à rendre le {} (R-DIAG-2)",
                    fr_date(crate::domain::measure::diagnostic_due(rf))
                )
            } else {
                format!("{objectives} ({} mois)", rf.initial_months)
            },
            t,
        ));
    }
    if let (Some(me), Some(rf)) = (measure, referral) {
        let status = match &me.status {
            MeasureStatus::Stopped { date, reason }
            | MeasureStatus::NotStarted { date, reason } => {
                format!("{} le {} ({reason})", me.status.label(), fr_date(*date))
            }
            s => s.label().to_string(),
        };
        left.push(section(
            &format!(
                "Mesure {status} · {} · {}",
                m.data.worker_name(me.worker),
                m.data.sector_name(me.sector)
            ),
            t,
        ));
        left.push(kv(
            "Début · fin prév.",
            format!("{} · {}", d(me.start), d(me.planned_end)),
            t,
        ));
        // R-MES-7: who held it before, oldest first.
        let periods = me.holding_periods();
        for (h, end) in periods.iter().take(periods.len().saturating_sub(1)) {
            let to = end
                .and_then(|e| e.pred_opt())
                .map_or_else(|| "—".to_string(), fr_date);
            // The sector is said when it was another one.
            let sector = match m.data.sectors.get(&h.sector) {
                Some(s) if s.id != me.sector => format!(" ({})", s.short_name),
                _ => String::new(),
            };
            left.push(kv(
                "Suivie avant",
                format!(
                    "{}{sector} {} – {to}",
                    m.data.worker_name(h.worker),
                    fr_date(h.from)
                ),
                t,
            ));
        }
        // R-REF-5: a start out of the waiting order, and why.
        if let Some(o) = &me.out_of_order {
            left.push(kv(
                "Hors ordre",
                format!(
                    "avant {} commande{} : {}",
                    o.passed,
                    if o.passed > 1 { "s" } else { "" },
                    o.reason
                ),
                t,
            ));
        }
        let gts = me
            .planned_end
            .filter(|_| me.kind == crate::domain::ReferralKind::Measure)
            .and_then(|e| presentation_session(e, m.today, &m.derived.sessions))
            .map_or("—".into(), |s| fr_date(s.date));
        left.push(kv(
            "Renouvellements",
            if me.kind == crate::domain::ReferralKind::Measure {
                format!("{}/{} · GTS du {gts}", me.renewals_used(), MAX_RENEWALS)
            } else {
                "sans objet (diagnostic)".to_string()
            },
            t,
        ));
        left.push(kv(
            "Contrat",
            match &me.contract {
                Contract::Pending => "en attente".to_string(),
                Contract::Signed(x) => format!("{} signé le {}", t.check(), fr_date(*x)),
                Contract::NoContract { reason, date } => {
                    format!("sans contrat ({reason}) le {}", fr_date(*date))
                }
            },
            t,
        ));
        left.push(kv("MASP", me.masp.label(), t));
        if me.is_in_progress() {
            let c = compliance(me, rf, m.today);
            left.push(kv(
                "1er contact",
                match c.first_household_contact {
                    Some(x) if x <= c.first_contact_due => format!("{} {}", t.check(), fr_date(x)),
                    Some(x) => format!("! {} (dû le {})", fr_date(x), fr_date(c.first_contact_due)),
                    None => format!("aucun (dû le {})", fr_date(c.first_contact_due)),
                },
                t,
            ));
            left.push(kv(
                "Sollicitations",
                format!(
                    "{}/3{} · visite à domicile {}",
                    c.attempts.min(3),
                    if c.attempts > 3 {
                        format!(" ({} en tout)", c.attempts)
                    } else {
                        String::new()
                    },
                    if c.home_visit { "oui" } else { "non" }
                ),
                t,
            ));
            left.push(kv(
                "Dernière rencontre",
                match (c.last_meeting, c.days_since_meeting) {
                    (Some(x), Some(n)) => {
                        format!("{} ({n} j{})", fr_date(x), if n > 15 { " !" } else { "" })
                    }
                    _ => "aucune".into(),
                },
                t,
            ));
        }
        for fact in &me.checked_facts {
            left.push(kv(
                "Fait vérifié",
                format!(
                    "{} : {} ({})",
                    fact.label,
                    fact.value,
                    fr_date(fact.checked_on)
                ),
                t,
            ));
        }
        left.push(kv(
            "Bilan",
            if me.review.text.is_empty() {
                "à écrire (b)".to_string()
            } else {
                format!(
                    "{} (mis à jour {})",
                    me.review.text.lines().next().unwrap_or(""),
                    d(me.review.updated)
                )
            },
            t,
        ));
        // R-BIL-1: the reviews of the cycles renewed, newest first.
        for past in me.past_reviews.iter().rev() {
            left.push(kv(
                &format!("Bilan cycle {}", past.cycle),
                format!(
                    "GTS du {} · {}",
                    fr_date(past.renewed_on),
                    past.review.text.lines().next().unwrap_or("")
                ),
                t,
            ));
        }
        // A log left on disk is read when the file opens (`Model::open_log`).
        let events = crate::app::household_chronology(m);
        chosen = m
            .household_entry
            .map(|i| i.min(events.len().saturating_sub(1)));
        let mut head = match me.log_on_disk {
            Some(f) if events.is_empty() && f.entries > 0 => {
                format!("Chronologie ({} événements, non chargée)", f.entries)
            }
            _ => format!("Chronologie ({} événements)", events.len()),
        };
        if chosen.is_some() && !events.is_empty() {
            let key = m
                .keymap
                .keys_for(Mode::Household, Action::CorrectEvent, t.unicode);
            head.push_str(&format!(" {} {key} corriger", t.dot()));
        }
        timeline.push(section(&head, t));
        for e in events.iter().rev() {
            let mut text = format!(
                "{} {} · {}",
                fr_date(e.date),
                e.kind.label(),
                e.with.label()
            );
            if !e.means.is_empty() {
                text.push_str(&format!(
                    " · {}",
                    e.means
                        .iter()
                        .map(|x| x.label())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if !e.note.is_empty() {
                text.push_str(&format!(" — {}", e.note));
            }
            if let Some(c) = &e.correction {
                text.push_str(&format!(" (corrigé le {} par {})", fr_date(c.on), c.by));
            }
            entries.push(text);
        }
        if events.is_empty() {
            chosen = None;
            timeline.push(Line::styled(
                "aucun contact noté (r pour en noter un)",
                t.dim(),
            ));
        }
    } else {
        left.push(Line::styled("Aucune mesure pour ce ménage.", t.dim()));
    }
    let title = format!(
        "{}{}",
        h.display_name(),
        reference.map_or(String::new(), |r| format!(" · {r}"))
    );
    let block = Block::bordered().title(Span::styled(
        trunc(&title, area.width.saturating_sub(4) as usize, t),
        t.title(),
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let scroll = u16::try_from(m.household_scroll).unwrap_or(u16::MAX);
    let clip = |lines: Vec<Line<'static>>, w: u16| -> Vec<Line<'static>> {
        // Long lines are shortened with …, not wrapped: the file scrolls.
        lines
            .into_iter()
            .map(|l| {
                let s: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
                if s.chars().count() > w as usize {
                    Line::styled(trunc(&s, w as usize, t), l.style)
                } else {
                    l
                }
            })
            .collect()
    };
    // With an entry chosen, each entry gets a gutter: `▶` marks the chosen
    // one (reversed too), so that it does not depend on colour.
    let gutter = if chosen.is_some() { 2 } else { 0 };
    let entry_lines = |text: &str, i: usize, width: Option<usize>| -> Vec<Line<'static>> {
        let sel = chosen == Some(i);
        let mark = if sel { t.right() } else { " " };
        let rows = match width {
            Some(w) => wrap_width(text, w.saturating_sub(gutter)),
            None => vec![text.to_string()],
        };
        rows.into_iter()
            .enumerate()
            .map(|(k, row)| {
                let lead = match (gutter, k) {
                    (0, _) => String::new(),
                    (_, 0) => format!("{mark} "),
                    _ => "  ".to_string(),
                };
                let line = Line::raw(format!("{lead}{row}"));
                if sel { line.style(t.selected()) } else { line }
            })
            .collect()
    };
    if inner.width >= 110 {
        let [l, _, r] = Layout::horizontal([
            Constraint::Percentage(55),
            Constraint::Length(2),
            Constraint::Min(10),
        ])
        .areas(inner);
        f.render_widget(Paragraph::new(clip(left, l.width)).scroll((scroll, 0)), l);
        // Wrapped here (by display width) rather than by the paragraph, to
        // know where the chosen entry is and keep it in view.
        let w = r.width as usize;
        let mut lines: Vec<Line<'static>> = timeline
            .into_iter()
            .flat_map(|l| {
                let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
                let style = l.spans.first().map_or(l.style, |s| s.style);
                wrap_width(&text, w)
                    .into_iter()
                    .map(move |row| Line::styled(row, style))
            })
            .collect();
        let mut at = None;
        for (i, text) in entries.iter().enumerate() {
            let rows = entry_lines(text, i, Some(w));
            if chosen == Some(i) {
                at = Some((lines.len(), lines.len() + rows.len()));
            }
            lines.extend(rows);
        }
        let top = at.map_or(0, |(first, end)| in_view(0, first, end, r.height as usize));
        f.render_widget(
            Paragraph::new(lines).scroll((u16::try_from(top).unwrap_or(u16::MAX), 0)),
            r,
        );
    } else {
        left.push(Line::raw(""));
        left.extend(timeline);
        let first = left.len();
        for (i, text) in entries.iter().enumerate() {
            left.extend(entry_lines(text, i, None));
        }
        let top = chosen.map_or(m.household_scroll, |i| {
            in_view(
                m.household_scroll,
                first + i,
                first + i + 1,
                inner.height as usize,
            )
        });
        f.render_widget(
            Paragraph::new(clip(left, inner.width))
                .scroll((u16::try_from(top).unwrap_or(u16::MAX), 0)),
            inner,
        );
    }
}

/// The first line to show, from `top`, so that lines `first..end` are in
/// a view of `height` lines (their start if they do not all fit).
fn in_view(top: usize, first: usize, end: usize, height: usize) -> usize {
    let top = if end > top + height {
        end.saturating_sub(height)
    } else {
        top
    };
    top.min(first)
}

/// Word wrap by display width (an emoji is two columns); a word wider than
/// the line is cut between two characters.
fn wrap_width(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0;
    for word in text.split(' ') {
        let w = word.width();
        if !cur.is_empty() && cur_w + 1 + w <= width {
            cur.push(' ');
            cur.push_str(word);
            cur_w += 1 + w;
            continue;
        }
        if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
            cur_w = 0;
        }
        for g in word.graphemes(true) {
            let gw = g.width();
            if cur_w + gw > width && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
                cur_w = 0;
            }
            cur.push_str(g);
            cur_w += gw;
        }
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_by_display_width_at_spaces_cutting_only_words_too_long() {
        assert_eq!(wrap_width("un deux trois", 7), ["un deux", "trois"]);
        assert_eq!(wrap_width("😀😀 😀😀😀", 4), ["😀😀", "😀😀", "😀"]);
        assert_eq!(wrap_width("", 5), [""]);
        assert_eq!(wrap_width("abcdefgh", 3), ["abc", "def", "gh"]);
    }

    #[test]
    fn the_chosen_lines_stay_in_view() {
        assert_eq!(in_view(0, 3, 4, 10), 0);
        assert_eq!(in_view(0, 12, 13, 10), 3);
        assert_eq!(in_view(5, 2, 3, 10), 2);
        assert_eq!(in_view(0, 8, 20, 10), 8);
    }
}
