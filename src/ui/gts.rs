//! The GTS screens: the calendar of a year with each session's deadlines
//! and state, and the agenda of one session from draft to final.

use super::{Theme, trunc};
use crate::app::Model;
use crate::app::gts::{shown_session, situation_count, state_label, working_session};
use crate::domain::agenda;
use crate::domain::calendar::{countdown, fr_date, weekday_short};
use crate::domain::gts::{GtsSession, Reply, SessionInfo, SessionStatus, year_calendar};
use crate::domain::measure::MAX_RENEWALS;
use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};

fn short(d: NaiveDate) -> String {
    format!("{:02}/{:02}", d.day(), d.month())
}

fn status_cell(s: SessionStatus, t: &Theme) -> (String, Style) {
    let mark = match (s, t.unicode) {
        (SessionStatus::Planned, true) => "●",
        (SessionStatus::Moved, true) => "→",
        (SessionStatus::Cancelled, true) => "✗",
        (SessionStatus::Planned, false) => "*",
        (SessionStatus::Moved, false) => ">",
        (SessionStatus::Cancelled, false) => "x",
    };
    let style = match s {
        SessionStatus::Planned => Style::default(),
        SessionStatus::Moved => t.warn(),
        SessionStatus::Cancelled => t.dim(),
    };
    (format!("{mark} {}", s.label()), style)
}

fn dash(t: &Theme) -> &'static str {
    if t.unicode { "—" } else { "-" }
}

fn warn_mark(t: &Theme) -> &'static str {
    if t.unicode { "⚠" } else { "!" }
}

/// A deadline: `✓ 27/11` when done, `J-20` ahead, `J+3 !` late, the plain
/// date for a past session.
fn deadline_cell(
    done: Option<Option<NaiveDate>>,
    due: NaiveDate,
    session_past: bool,
    today: NaiveDate,
    t: &Theme,
) -> (String, Style) {
    match done {
        Some(Some(d)) => (format!("{} {}", t.check(), short(d)), t.ok()),
        Some(None) => (t.check().to_string(), t.ok()),
        None if session_past => (short(due), t.dim()),
        None if due < today => (format!("{} !", countdown(today, due)), t.over()),
        None => (countdown(today, due), Style::default()),
    }
}

/// The four deadlines of a session, as cells.
fn deadline_cells(
    m: &Model,
    i: &SessionInfo,
    s: Option<&GtsSession>,
    t: &Theme,
) -> Vec<(String, Style)> {
    if !i.held() {
        return vec![(dash(t).to_string(), t.dim()); 4];
    }
    let past = i.date < m.today;
    let draft = s.and_then(|s| s.draft_sent);
    // Done, as the dashboard says it (one rule for both).
    let replies_done = agenda::steps_done(s).replies.then_some(None);
    let dl = &i.deadlines;
    vec![
        deadline_cell(draft.map(Some), dl.draft_agenda, past, m.today, t),
        deadline_cell(replies_done, dl.replies, past, m.today, t),
        deadline_cell(
            s.and_then(|s| s.final_sent).map(Some),
            dl.final_agenda,
            past,
            m.today,
            t,
        ),
        deadline_cell(
            s.and_then(|s| s.minutes_sent).map(Some),
            dl.minutes,
            // The minutes are due once the session is closed (R-GTS-9).
            past && s.is_none_or(|s| s.closed.is_none()),
            m.today,
            t,
        ),
    ]
}

pub fn draw_calendar(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let year = m.gts.year;
    let cal = year_calendar(year, |y, mo| m.data.sessions.get(&(y, mo)));
    let [top, list, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(if area.height >= 18 { 4 } else { 2 }),
    ])
    .areas(area);

    let held = cal.iter().filter(|s| s.held()).count();
    let mut spans = vec![
        Span::raw(" "),
        Span::styled(format!("{} ", t.left()), t.key()),
        Span::styled(year.to_string(), t.title().add_modifier(Modifier::BOLD)),
        Span::styled(format!(" {}", t.right()), t.key()),
        Span::raw(format!(
            " {} {held} séance{} sur 12",
            t.dot(),
            if held > 1 { "s" } else { "" }
        )),
    ];
    if let Some(n) = &m.derived.next_session {
        spans.push(Span::raw(format!(
            " {} prochaine : {} {} ",
            t.dot(),
            weekday_short(n.date),
            fr_date(n.date)
        )));
        spans.push(Span::styled(countdown(m.today, n.date), t.key()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), top);

    let wide = list.width >= 110;
    let dl_w: u16 = if wide { 13 } else { 8 };
    let mut rows = Vec::with_capacity(12);
    for i in &cal {
        let saved = m.data.sessions.get(&(i.year, i.month));
        let (st, st_style) = status_cell(i.status, t);
        let mut date = format!("{} {}", weekday_short(i.date), fr_date(i.date));
        if !wide && i.holiday.is_some() {
            date.push(' ');
            date.push_str(warn_mark(t));
        }
        let mut cells = vec![Cell::from(date), Cell::from(Span::styled(st, st_style))];
        if wide {
            cells.push(match i.holiday {
                Some(h) => Cell::from(Span::styled(
                    trunc(&format!("{} {h}", warn_mark(t)), 18, t),
                    t.warn(),
                )),
                None => Cell::from(""),
            });
        }
        for (text, style) in deadline_cells(m, i, saved, t) {
            cells.push(Cell::from(Span::styled(text, style)));
        }
        let (count, state) = if !i.held() {
            (dash(t).to_string(), dash(t))
        } else if saved.is_some() || i.date >= m.today {
            let s = working_session(&m.data, i.year, i.month, m.today);
            (situation_count(&s).to_string(), state_label(&s))
        } else {
            (dash(t).to_string(), dash(t))
        };
        cells.push(Cell::from(format!("{count:>4}")));
        cells.push(Cell::from(state));
        let mut row = Row::new(cells);
        if !i.held() {
            row = row.style(t.dim());
        }
        rows.push(row);
    }
    let mut widths = vec![Constraint::Length(17), Constraint::Length(10)];
    let mut header = vec!["Date", "Statut"];
    if wide {
        widths.push(Constraint::Length(18));
        header.push("Férié");
    }
    widths.extend([Constraint::Length(dl_w); 4]);
    if wide {
        header.extend(["ODJ brouillon", "Réponses TS", "ODJ définitif", "PV"]);
    } else {
        header.extend(["Brouil.", "Rép. TS", "Défin.", "PV"]);
    }
    widths.push(Constraint::Length(4));
    widths.push(Constraint::Min(5));
    header.extend(["Sit.", "État"]);
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(t.title()))
        .row_highlight_style(t.selected())
        .column_spacing(1);
    let cursor = m.gts.cursor.min(11);
    let height = list.height.saturating_sub(1) as usize;
    let mut state = TableState::default().with_selected(Some(cursor));
    if height > 0 && cursor >= height {
        *state.offset_mut() = cursor + 1 - height;
    }
    f.render_stateful_widget(table, list, &mut state);

    // The selected session in full.
    let Some(i) = cal.get(cursor) else {
        return;
    };
    let dl = &i.deadlines;
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!(" {} {}", weekday_short(i.date), fr_date(i.date)),
            t.title(),
        ),
        Span::raw(format!(
            " {} ODJ brouillon {} {} réponses TS {} {} ODJ définitif {} {} PV {}",
            t.dot(),
            fr_date(dl.draft_agenda),
            t.dot(),
            fr_date(dl.replies),
            t.dot(),
            fr_date(dl.final_agenda),
            t.dot(),
            fr_date(dl.minutes)
        )),
    ])];
    if let Some(h) = i.holiday {
        lines.push(Line::styled(
            format!(" {} jour férié : {h}", warn_mark(t)),
            t.warn(),
        ));
    }
    if let Some(s) = m.data.sessions.get(&(i.year, i.month)) {
        let note = agenda::free_note(s);
        if !note.trim().is_empty() {
            lines.push(Line::raw(format!(" Note : {}", note.replace('\n', " / "))));
        }
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), detail);
}

fn reply_cell(
    s: &GtsSession,
    item: &crate::domain::gts::AgendaItem,
    wide: bool,
    t: &Theme,
) -> (String, Style) {
    if let Some(r) = &item.removed {
        return (format!("{} retirée : {r}", t.cross()), t.dim());
    }
    if !wide {
        let late = if agenda::reply_is_late(s, item) {
            "!"
        } else {
            ""
        };
        // Without Unicode the words alone tell the reply (room is short).
        let (yes, no) = if t.unicode {
            ("✓ oui", "✗ non")
        } else {
            ("oui", "non")
        };
        return match &item.reply {
            Some((Reply::WillExamine, d)) => (
                format!("{late}{yes} {}", short(*d)),
                if late.is_empty() { t.ok() } else { t.warn() },
            ),
            Some((Reply::WillNotExamine { .. }, d)) => {
                (format!("{late}{no} {}", short(*d)), t.warn())
            }
            None if s.draft_sent.is_some() => ("attente".to_string(), t.over()),
            None => (dash(t).to_string(), t.dim()),
        };
    }
    let late = if agenda::reply_is_late(s, item) {
        "! "
    } else {
        ""
    };
    match &item.reply {
        Some((Reply::WillExamine, d)) => (
            format!("{late}{} examinée {}", t.check(), short(*d)),
            if late.is_empty() { t.ok() } else { t.warn() },
        ),
        Some((Reply::WillNotExamine { reason }, d)) => (
            format!("{late}{} non {} : {reason}", t.cross(), short(*d)),
            t.warn(),
        ),
        None if s.draft_sent.is_some() => ("en attente".to_string(), t.over()),
        None => (dash(t).to_string(), t.dim()),
    }
}

pub fn draw_agenda(m: &Model, f: &mut Frame, area: Rect, t: &Theme, year: u16, month: u8) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let s = shown_session(m, year, month);
    let info = crate::app::gts::info(&m.data, year, month);
    let saved = m.data.sessions.get(&(year, month));
    let missing = if s.draft_sent.is_some() && s.final_sent.is_none() && s.closed.is_none() {
        agenda::workers_without_reply(&m.data, &s)
    } else {
        Vec::new()
    };
    let detail_h: u16 = if area.height >= 20 { 3 } else { 1 };
    let [top, dls, step, list, waiting, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(u16::from(area.height >= 12)),
        Constraint::Min(1),
        Constraint::Length(u16::from(!missing.is_empty())),
        Constraint::Length(detail_h),
    ])
    .areas(area);

    // Heading: date, status, state, count.
    let n = situation_count(&s);
    let stage = match (state_label(&s), saved.is_some_and(|x| !x.agenda.is_empty())) {
        ("brouillon", false) => "brouillon calculé",
        ("brouillon", true) => "brouillon",
        ("envoyé", _) => "envoyé aux TS",
        (l, _) => l,
    };
    let mut spans = vec![
        Span::styled(
            format!(" GTS du {} {}", weekday_short(s.date()), fr_date(s.date())),
            t.title().add_modifier(Modifier::BOLD),
        ),
        Span::raw(format!(" {} ", t.dot())),
    ];
    let (st, st_style) = status_cell(s.status(), t);
    spans.push(Span::styled(st, st_style));
    if let Some(h) = info.holiday {
        spans.push(Span::styled(format!(" {} {h}", warn_mark(t)), t.warn()));
    }
    spans.push(Span::raw(format!(
        " {} ODJ {stage} {} {n} situation{}",
        t.dot(),
        t.dot(),
        if n > 1 { "s" } else { "" }
    )));
    f.render_widget(Paragraph::new(Line::from(spans)), top);

    // Deadlines.
    let labels = ["Brouillon", "Réponses TS", "Définitif", "PV"];
    let mut spans = vec![Span::raw(" ")];
    for (k, (text, style)) in deadline_cells(m, &info, Some(&s), t)
        .into_iter()
        .enumerate()
    {
        if k > 0 {
            spans.push(Span::styled(format!(" {} ", t.dot()), t.dim()));
        }
        spans.push(Span::raw(format!("{} ", labels[k])));
        spans.push(Span::styled(text, style));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), dls);

    f.render_widget(Paragraph::new(next_step(m, &s, t)), step);

    // The items.
    if s.agenda.is_empty() {
        let msg = if s.cancelled {
            " Séance annulée."
        } else {
            " Aucune situation à l'ordre du jour."
        };
        f.render_widget(Paragraph::new(msg).style(t.dim()), list);
    } else {
        let wide = list.width >= 110;
        let sector_w: u16 = if wide { 16 } else { 10 };
        let worker_w: u16 = if wide { 14 } else { 10 };
        let hh_w: u16 = if wide { 24 } else { 19 };
        let reply_w: u16 = if wide { 20 } else { 11 };
        let height = list.height.saturating_sub(1) as usize;
        let cursor = m.gts.agenda_cursor.min(s.agenda.len() - 1);
        let first = cursor.saturating_sub(height.saturating_sub(1));
        let mut rows = Vec::new();
        for item in s.agenda.iter().skip(first).take(height.max(1)) {
            let me = m.data.measures.get(&item.reference);
            let sector = me.map_or("?", |x| m.data.sector_name(x.sector));
            let worker = m.data.worker_name(me.and_then(|x| x.worker));
            let name = me
                .and_then(|x| m.data.households.get(&x.household))
                .map(|h| h.display_name())
                .unwrap_or_default();
            let end = me
                .and_then(|x| agenda::end_before_session(&m.data, x, &s))
                .map_or_else(|| dash(t).to_string(), fr_date);
            let renewals = me.map_or(0, |x| x.renewals.len());
            let reasons = agenda::reason_details(&m.data, &s, item).join(" ; ");
            let (reply, rstyle) = reply_cell(&s, item, wide, t);
            let reasons_w = list
                .width
                .saturating_sub(sector_w + worker_w + hh_w + 10 + 3 + reply_w + 6)
                .max(4);
            let mut row = Row::new(vec![
                Cell::from(trunc(sector, sector_w as usize, t)),
                Cell::from(trunc(worker, worker_w as usize, t)),
                Cell::from(trunc(
                    &format!("{} {name}", item.reference),
                    hh_w as usize,
                    t,
                )),
                Cell::from(end),
                Cell::from(format!("{renewals}/{MAX_RENEWALS}")),
                Cell::from(trunc(&reasons, reasons_w as usize, t)),
                Cell::from(Span::styled(trunc(&reply, reply_w as usize, t), rstyle)),
            ]);
            if item.removed.is_some() {
                row = row.style(t.dim().add_modifier(Modifier::CROSSED_OUT));
            }
            rows.push(row);
        }
        let widths = [
            Constraint::Length(sector_w),
            Constraint::Length(worker_w),
            Constraint::Length(hh_w),
            Constraint::Length(10),
            Constraint::Length(3),
            Constraint::Min(4),
            Constraint::Length(reply_w),
        ];
        let table = Table::new(rows, widths)
            .header(
                Row::new([
                    "Secteur",
                    "TS",
                    "Ménage",
                    "Fin prévue",
                    "Ren",
                    "Motifs",
                    "Réponse",
                ])
                .style(t.title()),
            )
            .row_highlight_style(t.selected())
            .column_spacing(1);
        let mut state = TableState::default().with_selected(Some(cursor - first));
        f.render_stateful_widget(table, list, &mut state);
    }

    if !missing.is_empty() {
        let names: Vec<&str> = missing
            .iter()
            .map(|w| m.data.worker_name(Some(*w)))
            .collect();
        f.render_widget(
            Paragraph::new(trunc(
                &format!(" Sans réponse : {}", names.join(", ")),
                waiting.width as usize,
                t,
            ))
            .style(t.warn()),
            waiting,
        );
    }

    // The selected item's reasons in full.
    if let Some(item) = s
        .agenda
        .get(m.gts.agenda_cursor.min(s.agenda.len().saturating_sub(1)))
    {
        let mut text = format!(
            " {} : {}",
            item.reference,
            agenda::reason_details(&m.data, &s, item).join(" ; ")
        );
        if let Some(r) = &item.removed {
            text.push_str(&format!(" {} retirée : {r}", t.dot()));
        }
        if let Some(dr) = agenda::decision_for(&s, item.reference) {
            text.push_str(&format!(" {} décision : {}", t.dot(), dr.decision.label()));
        }
        if let Some((Reply::WillNotExamine { reason }, _)) = &item.reply {
            text.push_str(&format!(" {} ne sera pas examinée : {reason}", t.dot()));
        }
        if agenda::reply_is_late(&s, item) {
            text.push_str(&format!(" {} réponse tardive (!)", t.dot()));
        }
        f.render_widget(
            Paragraph::new(text)
                .style(t.dim())
                .wrap(Wrap { trim: false }),
            detail,
        );
    }
}

/// What to do next, with the keys of the current keymap.
fn next_step(m: &Model, s: &GtsSession, t: &Theme) -> Line<'static> {
    use crate::keymap::{Action, Mode};
    let key = |a: Action| m.keymap.keys_for(Mode::GtsAgenda, a, t.unicode);
    let mut spans = vec![Span::styled(" Étape : ", t.title())];
    if s.cancelled {
        spans.push(Span::raw("séance annulée"));
    } else if let Some(c) = s.closed {
        spans.push(Span::raw(format!("séance close le {} ", short(c))));
        match s.minutes_sent {
            Some(d) => spans.push(Span::raw(format!("{} PV envoyé le {}", t.dot(), short(d)))),
            None => push(&mut spans, t, key(Action::MinutesSent), "PV envoyé", true),
        }
    } else if s.final_sent.is_some() {
        spans.push(Span::raw("ODJ définitif envoyé, la séance peut se tenir "));
        push(&mut spans, t, key(Action::ExportAgenda), "exporter", true);
    } else if s.draft_sent.is_some() {
        spans.push(Span::raw("réponses : "));
        push(&mut spans, t, key(Action::ReplyExamine), "oui", false);
        push(
            &mut spans,
            t,
            key(Action::ReplyNotExamine),
            "non (motif)",
            true,
        );
        push(
            &mut spans,
            t,
            key(Action::WorkerAddSituation),
            "ajout TS",
            true,
        );
        push(
            &mut spans,
            t,
            key(Action::SendFinal),
            "envoyer le définitif",
            true,
        );
    } else {
        push(&mut spans, t, key(Action::AddItem), "ajouter", false);
        push(&mut spans, t, key(Action::RemoveItem), "retirer", true);
        push(
            &mut spans,
            t,
            key(Action::SendDraft),
            "envoyer le brouillon aux TS",
            true,
        );
        push(&mut spans, t, key(Action::ExportAgenda), "exporter", true);
    }
    Line::from(spans)
}

fn push(spans: &mut Vec<Span<'static>>, t: &Theme, k: String, d: &str, sep: bool) {
    if sep {
        spans.push(Span::styled(format!(" {} ", t.dot()), t.dim()));
    }
    spans.push(Span::styled(k, t.key()));
    spans.push(Span::raw(format!(" {d}")));
}
