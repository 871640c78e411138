//! The GTS meeting, projected: attendance, then one situation at a time
//! with a big heading, the measure, the compliance strip, the checked
//! facts, why it is on the agenda and the review; the decision taken is
//! always in words (never colour alone). A projector theme (light, high
//! contrast, bold) and a privacy mode (initials + reference) are one key
//! away. When the content does not fit, the screen says how big it needs.

use crate::app::Model;
use crate::app::StatusKind;
use crate::app::seance::{Input, Phase, REPRESENTATIVE, Seance, attendee_label};
use crate::domain::agenda::{self, capacity_effect};
use crate::domain::calendar::{fr_date, weekday_long};
use crate::domain::gts::Decision;
use crate::domain::measure::{Contract, MAX_RENEWALS, compliance};
use crate::domain::{Dataset, Reference};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use tui_big_text::{BigText, PixelSize};

/// Below this width a situation is not drawn.
pub const MIN_WIDTH: u16 = 60;
/// The capacity panel's width when beside the situation.
const PANEL_WIDTH: usize = 44;

/// The meeting's palette: normal, or projector (black on white, bold,
/// dark colours); with NO_COLOR only modifiers.
#[derive(Debug, Clone, Copy)]
pub struct Pal {
    pub projector: bool,
    pub color: bool,
    pub unicode: bool,
}

impl Pal {
    pub fn of(m: &Model) -> Pal {
        Pal {
            projector: m.prefs.projector,
            color: m.config.color,
            unicode: m.config.unicode,
        }
    }
    fn fg(&self, normal: Color, projector: Color) -> Style {
        let s = self.base();
        if !self.color {
            return s;
        }
        s.fg(if self.projector { projector } else { normal })
    }
    /// The page: black on white in the projector theme.
    pub fn base(&self) -> Style {
        match (self.projector, self.color) {
            (true, true) => Style::new()
                .fg(Color::Indexed(16))
                .bg(Color::Indexed(231))
                .add_modifier(Modifier::BOLD),
            (true, false) => Style::new().add_modifier(Modifier::BOLD),
            _ => Style::new(),
        }
    }
    pub fn text(&self) -> Style {
        self.base()
    }
    pub fn label(&self) -> Style {
        self.fg(Color::Cyan, Color::Indexed(18))
            .add_modifier(Modifier::BOLD)
    }
    pub fn heading(&self) -> Style {
        self.fg(Color::Cyan, Color::Indexed(18))
            .add_modifier(Modifier::BOLD)
    }
    pub fn key(&self) -> Style {
        self.fg(Color::Yellow, Color::Indexed(18))
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn ok(&self) -> Style {
        self.fg(Color::Green, Color::Indexed(22))
            .add_modifier(Modifier::BOLD)
    }
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow, Color::Indexed(94))
            .add_modifier(Modifier::BOLD)
    }
    pub fn error(&self) -> Style {
        self.fg(Color::Red, Color::Indexed(88))
            .add_modifier(Modifier::BOLD)
    }
    pub fn dim(&self) -> Style {
        // No grey on a projector: it vanishes at the back of the room.
        self.fg(Color::DarkGray, Color::Indexed(16))
    }
    pub fn bar(&self) -> Style {
        match (self.projector, self.color) {
            (true, true) => Style::new()
                .fg(Color::Indexed(231))
                .bg(Color::Indexed(18))
                .add_modifier(Modifier::BOLD),
            (false, true) => Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            _ => Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        }
    }
    fn check(&self) -> &'static str {
        if self.unicode { "✓" } else { "ok" }
    }
    fn cross(&self) -> &'static str {
        if self.unicode { "✗" } else { "x" }
    }
    fn dot(&self) -> &'static str {
        if self.unicode { " · " } else { " - " }
    }
    fn arrow(&self) -> &'static str {
        if self.unicode { "→" } else { "->" }
    }
    fn ellipsis(&self) -> &'static str {
        if self.unicode { "…" } else { "." }
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Greedy word wrap to `width` characters; a word longer than the width
/// is split. Never returns an empty list.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let mut word = word.to_string();
            while chars(&word) > width {
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                let head: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                out.push(head);
            }
            if word.is_empty() {
                continue;
            }
            if line.is_empty() {
                line = word;
            } else if chars(&line) + 1 + chars(&word) <= width {
                line.push(' ');
                line.push_str(&word);
            } else {
                out.push(std::mem::replace(&mut line, word));
            }
        }
        out.push(line);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// Lays styled items on lines of `width`, separated by ` · `; an item
/// longer than a line is wrapped on its own lines.
fn flow(items: Vec<(String, Style)>, width: usize, pal: &Pal) -> Vec<Line<'static>> {
    let sep = pal.dot();
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut cur: Vec<Span<'static>> = Vec::new();
    let mut used = 0usize;
    for (text, style) in items {
        let n = chars(&text);
        let need = if cur.is_empty() { n } else { n + chars(sep) };
        if used + need <= width {
            if !cur.is_empty() {
                cur.push(Span::styled(sep, pal.text()));
            }
            cur.push(Span::styled(text, style));
            used += need;
            continue;
        }
        if !cur.is_empty() {
            lines.push(Line::from(std::mem::take(&mut cur)));
        }
        let parts = wrap(&text, width);
        let last = parts.len() - 1;
        for (i, p) in parts.into_iter().enumerate() {
            if i == last {
                used = chars(&p);
                cur.push(Span::styled(p, style));
            } else {
                lines.push(Line::from(Span::styled(p, style)));
            }
        }
    }
    if !cur.is_empty() {
        lines.push(Line::from(cur));
    }
    lines
}

/// `Label : text` wrapped, the label styled.
fn labeled(label: &str, text: &str, style: Style, width: usize, pal: &Pal) -> Vec<Line<'static>> {
    let prefix = format!("{label} : ");
    let first_room = width.saturating_sub(chars(&prefix)).max(1);
    let mut parts = wrap(text, first_room);
    let mut lines = vec![Line::from(vec![
        Span::styled(prefix.clone(), pal.label()),
        Span::styled(parts.remove(0), style),
    ])];
    let rest = parts.join(" ");
    if !rest.is_empty() {
        for p in wrap(&rest, width) {
            lines.push(Line::from(Span::styled(p, style)));
        }
    }
    lines
}

fn section(title: &str, pal: &Pal) -> Line<'static> {
    Line::from(Span::styled(
        title.to_string(),
        pal.heading().add_modifier(Modifier::UNDERLINED),
    ))
}

/// How the household is named on this screen.
pub fn household_title(data: &Dataset, r: Reference, privacy: bool) -> (String, String) {
    let h = data
        .measures
        .get(&r)
        .and_then(|m| data.households.get(&m.household));
    match (h, privacy) {
        (Some(h), true) => {
            let s = format!("{} {r}", h.initials());
            (s.clone(), s)
        }
        (Some(h), false) => {
            let full = format!("{} {}", h.last_name.to_uppercase(), h.first_name.trim());
            (full.trim().to_string(), h.display_name())
        }
        (None, _) => (r.to_string(), r.to_string()),
    }
}

/// In privacy mode, the household's names in a free text (review, notes)
/// become their initials.
fn redact(data: &Dataset, r: Reference, privacy: bool, text: &str) -> String {
    let Some(h) = privacy
        .then(|| data.measures.get(&r))
        .flatten()
        .and_then(|m| data.households.get(&m.household))
    else {
        return text.to_string();
    };
    let mut out = text.to_string();
    for name in [h.last_name.trim(), h.first_name.trim()] {
        if chars(name) < 2 {
            continue;
        }
        let initial = format!("{}.", name.chars().next().unwrap_or('?').to_uppercase());
        for form in [name.to_string(), name.to_uppercase(), name.to_lowercase()] {
            out = out.replace(&form, &initial);
        }
    }
    out
}

fn elapsed(m: &Model, s: &Seance) -> String {
    let mins = ((m.now)() - s.started).num_minutes().max(0);
    if mins >= 60 {
        format!("{} h {:02}", mins / 60, mins % 60)
    } else {
        format!("{mins} min")
    }
}

fn decision_text(data: &Dataset, s: &Seance, r: Reference) -> Option<String> {
    let d = agenda::decision_for(&s.session, r)?;
    let mut t = match &d.decision {
        Decision::Stop => "ARRÊT de la mesure".to_string(),
        Decision::Renew { months } => format!("RENOUVELLEMENT {months} mois"),
        Decision::Postpone { reason } => format!("REPORTÉE au GTS suivant : {reason}"),
    };
    if let Some(end) = data
        .measures
        .get(&r)
        .and_then(|me| agenda::new_planned_end(me, d))
    {
        t.push_str(&format!(" → nouvelle fin prévue {}", fr_date(end)));
    }
    Some(t)
}

/// The lines under the heading of one situation, at `width`.
fn situation_lines(
    m: &Model,
    s: &Seance,
    r: Reference,
    width: usize,
    compact: bool,
    pal: &Pal,
) -> Vec<Line<'static>> {
    let data = &m.data;
    let privacy = m.prefs.privacy;
    let mut out: Vec<Line<'static>> = Vec::new();
    let Some(me) = data.measures.get(&r) else {
        out.push(Line::from(Span::styled(
            format!("Mesure {r} introuvable"),
            pal.error(),
        )));
        return out;
    };
    let referral = data.referrals.get(&r);
    let worker = data.worker_name(me.worker).to_string();
    let employer = me
        .worker
        .and_then(|w| data.workers.get(&w))
        .map(|w| format!(" ({})", w.employer.label()))
        .unwrap_or_default();
    let colleague = agenda::decision_for(&s.session, r)
        .and_then(|d| d.presented_by_colleague.clone())
        .or_else(|| s.colleague.get(&r).cloned());
    let presenter = match &colleague {
        Some(c) => format!("Présentée par : {c} (collègue, R-GTS-6)"),
        None => format!("Présentée par : {}", agenda::presenter(data, &s.session, r)),
    };
    let mut info = vec![
        (r.to_string(), pal.text()),
        (
            format!("Secteur {}", data.sector_name(me.sector)),
            pal.text(),
        ),
        (format!("TS : {worker}{employer}"), pal.text()),
        (presenter, pal.text()),
    ];
    if !privacy
        && let Some(h) = data.households.get(&me.household)
        && !h.commune.trim().is_empty()
    {
        info.insert(1, (h.commune.trim().to_string(), pal.text()));
    }
    out.extend(flow(info, width, pal));

    // The decision, in words, always.
    let marker = if pal.unicode { "▶ " } else { "> " };
    match decision_text(data, s, r).map(|t| super::theme::say(&t, pal.unicode)) {
        Some(t) => out.extend(labeled(
            &format!("{marker}DÉCISION"),
            &redact(data, r, privacy, &format!("{} {t}", pal.check())),
            pal.ok().add_modifier(Modifier::REVERSED),
            width,
            pal,
        )),
        None => out.push(Line::from(vec![
            Span::styled(format!("{marker}DÉCISION : "), pal.label()),
            Span::styled("à prendre", pal.warn()),
            Span::styled(
                " (a arrêt · r renouvellement · p report)"
                    .chars()
                    .take(width.saturating_sub(chars(marker) + 22))
                    .collect::<String>(),
                pal.dim(),
            ),
        ])),
    }
    if let Some(e) = &s.refusal {
        let e = super::theme::say(e, pal.unicode);
        for l in wrap(&format!("{} {e}", pal.cross()), width) {
            out.push(Line::from(Span::styled(
                l,
                pal.error().add_modifier(Modifier::REVERSED),
            )));
        }
    }

    // The measure.
    let mut left: Vec<Line<'static>> = if compact {
        Vec::new()
    } else {
        vec![section("Mesure", pal)]
    };
    let d = |x: Option<chrono::NaiveDate>| x.map_or_else(|| "—".to_string(), fr_date);
    let used = me.renewals_used();
    let renew_style = if used >= MAX_RENEWALS {
        pal.warn()
    } else {
        pal.text()
    };
    let renew_note = if used >= MAX_RENEWALS {
        " (plus de renouvellement possible, R-MES-4)"
    } else {
        ""
    };
    let mut ms = vec![
        (format!("Début {}", d(me.start)), pal.text()),
        (format!("fin prévue {}", d(me.planned_end)), pal.text()),
        (
            format!("renouvellements {used}/{MAX_RENEWALS}{renew_note}"),
            renew_style,
        ),
    ];
    if !me.is_in_progress() {
        ms.push((format!("mesure {}", me.status.label()), pal.warn()));
    }
    let wide = width >= 110;
    let col = if wide { (width - 3) / 2 } else { width };
    left.extend(flow(ms, col, pal));
    if let Some(rf) = referral {
        let objectives: Vec<&str> = rf.objectives.iter().map(|o| o.label()).collect();
        let text = if objectives.is_empty() {
            "—".to_string()
        } else {
            objectives.join(", ")
        };
        left.extend(labeled("Objectifs", &text, pal.text(), col, pal));
    }

    // The compliance strip.
    let mut right: Vec<Line<'static>> = if compact {
        Vec::new()
    } else {
        vec![section("Suivi (minimums de la convention)", pal)]
    };
    if let Some(rf) = referral {
        let c = compliance(me, rf, m.today);
        let ok = |b: bool| if b { pal.ok() } else { pal.warn() };
        let mark = |b: bool| if b { pal.check() } else { pal.cross() };
        let first = match c.first_household_contact {
            Some(fc) => {
                let in_time = fc <= c.first_contact_due;
                (
                    format!("1er contact {} {}", fr_date(fc), mark(in_time)),
                    ok(in_time),
                )
            }
            None => (
                format!(
                    "1er contact : aucun (dû le {}) {}",
                    fr_date(c.first_contact_due),
                    pal.cross()
                ),
                pal.warn(),
            ),
        };
        let attempts_ok = c.attempts_met();
        let mut items = vec![
            first,
            (
                format!("tentatives {}/3 {}", c.attempts.min(3), mark(attempts_ok)),
                ok(attempts_ok),
            ),
            (
                format!(
                    "visite à domicile {}",
                    if c.home_visit { "oui" } else { "non" }
                ),
                ok(c.home_visit),
            ),
        ];
        if let Some(days) = c.days_since_meeting {
            let fresh = c.meetings_met();
            items.push((
                format!("dernier RDV il y a {days} j {}", mark(fresh)),
                ok(fresh),
            ));
        }
        items.push(match &me.contract {
            Contract::Signed(dt) => (
                format!("contrat signé {} {}", fr_date(*dt), pal.check()),
                pal.ok(),
            ),
            Contract::Pending => (format!("contrat : non signé {}", pal.cross()), pal.warn()),
            Contract::NoContract { reason, .. } => {
                (format!("pas de contrat : {reason}"), pal.warn())
            }
        });
        items.push((format!("MASP : {}", me.masp.label()), pal.text()));
        right.extend(flow(items, col, pal));
    }
    // R-MES-8: checked facts with their date.
    right.push(section("Faits vérifiés (R-MES-8)", pal));
    if me.checked_facts.is_empty() {
        right.push(Line::from(Span::styled("aucun", pal.dim())));
    }
    for fct in &me.checked_facts {
        right.extend(labeled(
            &fct.label,
            &redact(
                data,
                r,
                privacy,
                &format!("{} (vérifié le {})", fct.value, fr_date(fct.checked_on)),
            ),
            pal.text(),
            col,
            pal,
        ));
    }
    if wide {
        if !compact {
            out.push(Line::default());
        }
        let n = left.len().max(right.len());
        for i in 0..n {
            let mut spans: Vec<Span<'static>> = left.get(i).cloned().unwrap_or_default().spans;
            let w: usize = spans.iter().map(|s| s.width()).sum();
            spans.push(Span::styled(
                " ".repeat(col.saturating_sub(w) + 3),
                pal.text(),
            ));
            spans.extend(right.get(i).cloned().unwrap_or_default().spans);
            out.push(Line::from(spans));
        }
    } else {
        out.extend(left);
        out.extend(right);
    }

    // Why it is on the agenda.
    if let Some(item) = s.session.agenda.iter().find(|i| i.reference == r) {
        let reasons = agenda::reason_details(data, &s.session, item);
        out.extend(labeled(
            "À l'ordre du jour",
            &redact(data, r, privacy, &reasons.join(" ; ")),
            pal.text(),
            width,
            pal,
        ));
    }
    // The review (bilan): once the session has renewed the measure, the
    // one presented to it is kept with its cycle (R-BIL-1).
    let presented = agenda::renewed_by(me, &s.session)
        .and_then(|rn| {
            me.past_reviews
                .iter()
                .find(|p| p.renewed_on == rn.decided_on)
        })
        .map_or(&me.review, |p| &p.review);
    let title = match presented.updated {
        Some(u) => format!("Bilan du ou de la TS (mis à jour le {})", fr_date(u)),
        None => "Bilan du ou de la TS".to_string(),
    };
    out.push(section(&title, pal));
    if presented.text.trim().is_empty() {
        out.push(Line::from(Span::styled(
            "Pas de bilan écrit (R-BIL-1)",
            pal.warn(),
        )));
    } else {
        let review = redact(data, r, privacy, presented.text.trim());
        for l in wrap(&review, width) {
            if compact && l.is_empty() {
                continue;
            }
            out.push(Line::from(Span::styled(l, pal.text())));
        }
    }
    out
}

/// What the keyboard is answering, as a box: its title, the question,
/// the line being typed (with its cursor) and the keys that answer.
struct Prompt {
    title: &'static str,
    question: Option<String>,
    input: Option<(String, String)>,
    keys: Vec<(&'static str, &'static str)>,
}

fn prompt(s: &Seance) -> Option<Prompt> {
    let valid = vec![("Entrée", "valider"), ("Échap", "abandonner")];
    let typed = |label: String, t: &str| Some((label, format!("{t}_")));
    let p = match &s.input {
        Input::None => return None,
        Input::RenewMonths => Prompt {
            title: "Renouvellement",
            question: Some("Renouveler pour combien de mois ? Tapez 1 à 6.".into()),
            input: None,
            keys: vec![("1…6", "mois"), ("Échap", "abandonner")],
        },
        Input::Postpone(t) => Prompt {
            title: "Report au GTS suivant",
            question: None,
            input: typed("Motif du report : ".into(), t),
            keys: valid,
        },
        Input::Colleague(t) => Prompt {
            title: "Présentée par un·e collègue (R-GTS-6)",
            question: None,
            input: typed("Présentée par (collègue présent·e) : ".into(), t),
            keys: vec![
                ("↑↓", "parmi les présents"),
                ("Entrée", "valider"),
                ("Échap", "abandonner"),
            ],
        },
        Input::AddName(t) => Prompt {
            title: "Ajouter une personne présente",
            question: None,
            input: typed("Nom de la personne : ".into(), t),
            keys: vec![("Entrée", "puis son organisme"), ("Échap", "abandonner")],
        },
        Input::AddOrg { name, org } => Prompt {
            title: "Ajouter une personne présente",
            question: None,
            input: typed(format!("Organisme de {name} : "), org),
            keys: vec![("Entrée", "ajouter"), ("Échap", "abandonner")],
        },
        Input::Rename(t) => Prompt {
            title: "Nommer la personne présente",
            question: None,
            input: typed("Nom de la personne présente : ".into(), t),
            keys: valid,
        },
        Input::ConfirmClose => {
            let undecided = agenda::undecided(&s.session).len();
            let n = s.session.decisions.len();
            let mut q = match n {
                0 => "Clôturer la séance sans aucune décision ?".to_string(),
                1 => "Clôturer la séance et appliquer la décision prise ?".to_string(),
                n => format!("Clôturer la séance et appliquer les {n} décisions ?"),
            };
            q.push_str(" Le procès-verbal sera écrit.");
            if undecided > 0 {
                q.push_str(&format!(
                    " {undecided} situation{} sans décision ser{} reportée{} au GTS suivant.",
                    if undecided > 1 { "s" } else { "" },
                    if undecided > 1 { "ont" } else { "a" },
                    if undecided > 1 { "s" } else { "" }
                ));
            }
            Prompt {
                title: "Clôturer la séance",
                question: Some(q),
                input: None,
                keys: vec![("o", "oui, clôturer"), ("n ou Échap", "non")],
            }
        }
    };
    Some(p)
}

/// The prompt box's width in a frame `frame_w` wide.
fn prompt_width(frame_w: u16) -> u16 {
    frame_w.min(78).min(frame_w.saturating_sub(2).max(20))
}

/// The prompt box's lines, inside a box `width` wide.
fn prompt_lines(p: &Prompt, width: u16, pal: &Pal) -> Vec<Line<'static>> {
    let inner_w = width.saturating_sub(4).max(1) as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    if let Some(q) = &p.question {
        for l in wrap(q, inner_w) {
            lines.push(Line::from(Span::styled(l, pal.text())));
        }
    }
    if let Some((label, text)) = &p.input {
        // The label then the text; a long text shows its end, where the
        // cursor is, on at most three lines.
        let all = wrap(&format!("{label}{text}"), inner_w);
        let skip = all.len().saturating_sub(3);
        for (i, l) in all.into_iter().enumerate().skip(skip) {
            let line = match (i, l.strip_prefix(label.trim_end())) {
                (0, Some(rest)) => Line::from(vec![
                    Span::styled(label.trim_end().to_string(), pal.label()),
                    Span::styled(rest.to_string(), pal.text()),
                ]),
                _ => Line::from(Span::styled(l, pal.text())),
            };
            lines.push(line);
        }
    }
    lines.push(Line::default());
    let mut keys: Vec<Span<'static>> = Vec::new();
    for (i, (k, d)) in p.keys.iter().enumerate() {
        if i > 0 {
            keys.push(Span::styled(pal.dot(), pal.text()));
        }
        let k = if pal.unicode {
            k.to_string()
        } else {
            k.replace('…', "-")
        };
        keys.push(Span::styled(k, pal.key()));
        keys.push(Span::styled(format!(" {d}"), pal.text()));
    }
    lines.push(Line::from(keys));
    lines
}

/// The prompt's box, drawn last over the screen at the bottom of `body`
/// (or of the whole frame when the body is too short): always whole, the
/// typed line's end (and its cursor) in view, at any size.
fn draw_prompt(p: &Prompt, f: &mut Frame, body: Rect, frame: Rect, pal: &Pal) {
    let width = prompt_width(frame.width);
    let mut lines = prompt_lines(p, width, pal);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let region = if height <= body.height { body } else { frame };
    let height = height.min(region.height);
    let area = Rect {
        x: region.x + (region.width.saturating_sub(width)) / 2,
        y: region.y + region.height - height,
        width: width.min(region.width),
        height,
    };
    f.render_widget(ratatui::widgets::Clear, area);
    let block = Block::bordered()
        .border_style(pal.heading())
        .style(pal.base())
        .title(Span::styled(format!(" {} ", p.title), pal.heading()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    // The keys line is the last: when the box is cut, it stays.
    let room = inner.height as usize;
    if lines.len() > room && room > 0 {
        let keys = lines.pop().unwrap_or_default();
        lines.truncate(room - 1);
        lines.push(keys);
    }
    f.render_widget(Paragraph::new(lines).style(pal.text()), inner);
}

/// The capacity side panel: per sector, places freed by the decisions so
/// far, and who comes next on the waiting list.
fn capacity_lines(m: &Model, s: &Seance, width: usize, pal: &Pal) -> Vec<Line<'static>> {
    let mut out = vec![section("Effet sur la capacité", pal)];
    let effects = capacity_effect(&m.data, &s.session);
    for e in effects {
        let name = m.data.sector_name(e.sector).to_string();
        let freed = if e.freed > 0 {
            format!(
                " +{} libérée{}",
                e.freed,
                if e.freed > 1 { "s" } else { "" }
            )
        } else {
            String::new()
        };
        let free = if e.free_after >= 0 {
            format!(
                "{} libre{}",
                e.free_after,
                if e.free_after > 1 { "s" } else { "" }
            )
        } else {
            format!("{} en trop", -e.free_after)
        };
        let style = if e.free_after < 0 {
            pal.warn()
        } else if e.freed > 0 {
            pal.ok()
        } else {
            pal.text()
        };
        out.extend(flow(
            vec![(
                format!(
                    "{name} {}/{}{freed} {} {free}",
                    e.load,
                    e.capacity,
                    pal.arrow()
                ),
                style,
            )],
            width,
            pal,
        ));
        for r in e.next.iter().take(3) {
            let label = household_label_short(&m.data, *r, m.prefs.privacy);
            out.extend(flow(
                vec![(format!("  puis {label}"), pal.text())],
                width,
                pal,
            ));
        }
    }
    out
}

/// A waiting household: `2026-0101 DURAND M.` or `D.M. 2026-0101`.
fn household_label_short(data: &Dataset, r: Reference, privacy: bool) -> String {
    let h = data
        .referrals
        .get(&r)
        .and_then(|rf| data.households.get(&rf.household));
    match (h, privacy) {
        (Some(h), true) => format!("{} {r}", h.initials()),
        (Some(h), false) => format!("{r} {}", h.display_name()),
        (None, _) => r.to_string(),
    }
}

fn too_small(f: &mut Frame, area: Rect, w: usize, h: usize, pal: &Pal) {
    let msg = format!(
        "Terminal trop petit ({}×{}). Agrandissez le terminal (il faut au moins {w}×{h})",
        area.width, area.height
    );
    f.render_widget(
        Paragraph::new(msg)
            .style(pal.warn())
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// The attendance list as lines, grouped, and the line of the cursor.
fn attendance_lines(m: &Model, s: &Seance, width: usize, pal: &Pal) -> (Vec<Line<'static>>, usize) {
    let mut out: Vec<Line<'static>> = Vec::new();
    let present = s.session.attendance.iter().filter(|a| a.present).count();
    out.extend(labeled(
        "Présidence",
        &if s.session.chair.trim().is_empty() {
            "— (Conseil Général par convention)".to_string()
        } else {
            s.session.chair.clone()
        },
        pal.text(),
        width,
        pal,
    ));
    out.push(Line::from(Span::styled(
        format!(
            "{present} présent·e{} sur {}",
            if present > 1 { "s" } else { "" },
            s.session.attendance.len()
        ),
        pal.text(),
    )));
    if let Some(e) = &s.refusal {
        out.push(Line::from(Span::styled(
            format!("{} {e}", pal.cross()),
            pal.error(),
        )));
    }
    let employers: Vec<&str> = crate::domain::sector::Employer::ALL
        .iter()
        .map(|e| e.label())
        .collect();
    let group = |a: &crate::domain::gts::Attendee| -> &'static str {
        if m.data.workers.values().any(|w| w.name == a.name) {
            "Travailleurs sociaux"
        } else if employers.contains(&a.organisation.as_str()) {
            "Employeurs"
        } else if a.name == REPRESENTATIVE
            // A standing member for a landlord (R-GTS-1), by name.
            || m
                .data
                .gts_members
                .iter()
                .any(|x| crate::domain::refdata::same_organisation(&x.organisation, &a.organisation))
        {
            "Bailleurs"
        } else {
            "Autres personnes"
        }
    };
    let mut cursor_line = 0;
    for g in [
        "Employeurs",
        "Bailleurs",
        "Travailleurs sociaux",
        "Autres personnes",
    ] {
        let rows: Vec<(usize, &crate::domain::gts::Attendee)> = s
            .session
            .attendance
            .iter()
            .enumerate()
            .filter(|(_, a)| group(a) == g)
            .collect();
        if rows.is_empty() {
            continue;
        }
        out.push(section(g, pal));
        for (i, a) in rows {
            let mark = if a.present {
                "[x] présent·e"
            } else {
                "[ ] absent·e "
            };
            let who = if a.name == REPRESENTATIVE {
                format!("{} ({REPRESENTATIVE})", a.organisation)
            } else if a.organisation.trim().is_empty() {
                a.name.clone()
            } else {
                format!("{} ({})", a.name, a.organisation)
            };
            let chair = if !s.session.chair.is_empty() && s.session.chair == attendee_label(a) {
                " — préside"
            } else {
                ""
            };
            let sel = i == s.cursor;
            let arrow = if sel {
                if pal.unicode { "▶ " } else { "> " }
            } else {
                "  "
            };
            let style = if sel {
                pal.text().add_modifier(Modifier::REVERSED)
            } else if a.present {
                pal.ok()
            } else {
                pal.text()
            };
            if sel {
                cursor_line = out.len();
            }
            let text: String = format!("{arrow}{mark}  {who}{chair}")
                .chars()
                .take(width)
                .collect();
            out.push(Line::from(Span::styled(text, style)));
        }
    }
    (out, cursor_line)
}

/// The keys of the current state: (key, description, short description),
/// in order of importance. Outside text entry they come from the live
/// keymap (modes `seance` and `seance_attendance`), like every other hint bar.
fn hints(m: &Model, s: &Seance) -> Vec<(String, String, String)> {
    let fixed = |v: &[(&str, &str, &str)]| -> Vec<(String, String, String)> {
        v.iter()
            .map(|(k, d, sd)| (k.to_string(), d.to_string(), sd.to_string()))
            .collect()
    };
    match &s.input {
        Input::None => {
            // Moving in a list and quitting go without saying on this
            // screen: the bar keeps its room for the meeting's own keys.
            // The two arrows share one hint: `←/→ situation`.
            use crate::keymap::Action::{
                Bottom, Down, NextSituation, PrevSituation, Quit, Top, Up,
            };
            let mode = crate::app::seance::mode_of(s);
            let unicode = m.config.unicode;
            let mut seen = Vec::new();
            m.keymap
                .bindings(mode)
                .iter()
                .filter(|b| !matches!(b.action, Up | Down | Top | Bottom | Quit | PrevSituation))
                .filter(|b| {
                    let new = !seen.contains(&b.action);
                    seen.push(b.action);
                    new && !b.desc.is_empty()
                })
                .map(|b| {
                    let (key, desc) = if b.action == NextSituation {
                        let prev = m
                            .keymap
                            .bindings(mode)
                            .iter()
                            .find(|p| p.action == PrevSituation);
                        match prev {
                            Some(p) => (
                                format!("{}/{}", p.chord.label(unicode), b.chord.label(unicode)),
                                "situation".to_string(),
                            ),
                            None => (b.chord.label(unicode), b.desc.clone()),
                        }
                    } else {
                        (b.chord.label(unicode), b.desc.clone())
                    };
                    let short = abbreviate(&desc);
                    (key, desc, short)
                })
                .collect()
        }
        Input::RenewMonths => fixed(&[
            (if m.config.unicode { "1…6" } else { "1-6" }, "mois", "mois"),
            ("Échap", "abandonner", "abandon"),
        ]),
        Input::ConfirmClose => fixed(&[("o", "clôturer", "clôturer"), ("n", "non", "non")]),
        _ => fixed(&[
            ("Entrée", "valider", "valider"),
            ("Échap", "abandonner", "abandon"),
        ]),
    }
}

/// A description short enough for a narrow hint bar: `renouv.`.
fn abbreviate(desc: &str) -> String {
    if desc.chars().count() > 8 {
        let mut s: String = desc.chars().take(6).collect();
        s.push('.');
        s
    } else {
        desc.to_string()
    }
}

fn hint_line(m: &Model, s: &Seance, width: usize, pal: &Pal) -> Line<'static> {
    let all = hints(m, s);
    let room = width.saturating_sub(1);
    let size = |list: &[(&str, &str)], sep: usize| -> usize {
        list.iter()
            .map(|(k, d)| chars(k) + 1 + chars(d))
            .sum::<usize>()
            + sep * list.len().saturating_sub(1)
    };
    // Long descriptions, then short ones, then fewer keys (the least
    // important first; "leave" always shows).
    let mut chosen: Vec<(&str, &str)> = all
        .iter()
        .map(|(k, d, _)| (k.as_str(), d.as_str()))
        .collect();
    let mut sep = 3;
    if size(&chosen, sep) > room {
        chosen = all
            .iter()
            .map(|(k, _, d)| (k.as_str(), d.as_str()))
            .collect();
    }
    if size(&chosen, sep) > room {
        sep = 2;
    }
    while size(&chosen, sep) > room && chosen.len() > 1 {
        let n = chosen.len();
        chosen.remove(n - 2);
    }
    let sep_text = if sep == 3 { pal.dot() } else { "  " };
    let mut spans = vec![Span::styled(" ", pal.text())];
    for (i, (k, d)) in chosen.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(sep_text, pal.text()));
        }
        spans.push(Span::styled(k.to_string(), pal.key()));
        spans.push(Span::styled(format!(" {d}"), pal.text()));
    }
    Line::from(spans)
}

/// Every key with its long description on two lines, when one line would
/// drop some; None when one line holds them all (or two are not enough).
fn hint_rows(m: &Model, s: &Seance, width: usize, pal: &Pal) -> Option<Vec<Line<'static>>> {
    let all = hints(m, s);
    let room = width.saturating_sub(1);
    let item = |k: &str, d: &str| chars(k) + 1 + chars(d);
    let one: usize = all.iter().map(|(k, d, _)| item(k, d) + 3).sum::<usize>();
    if one.saturating_sub(3) <= room {
        return None;
    }
    let mut lines: Vec<Vec<Span<'static>>> = vec![vec![Span::styled(" ", pal.text())]];
    let mut used = 1;
    for (k, d, _) in all {
        let need = item(&k, &d) + if used > 1 { 3 } else { 0 };
        if used + need > room {
            if lines.len() == 2 {
                return None;
            }
            lines.push(vec![Span::styled(" ", pal.text())]);
            used = 1;
        }
        let cur = lines.last_mut()?;
        if used > 1 {
            cur.push(Span::styled(pal.dot(), pal.text()));
            used += 3;
        }
        cur.push(Span::styled(k.to_string(), pal.key()));
        cur.push(Span::styled(format!(" {d}"), pal.text()));
        used += item(&k, &d);
    }
    Some(lines.into_iter().map(Line::from).collect())
}

/// The top bar: session, which agenda, progress, elapsed time; shorter
/// forms when narrow, never cut mid-word.
fn top_bar(m: &Model, s: &Seance, width: usize) -> String {
    let date = s.session.date();
    let n = s.items().len();
    let nd = s.session.decisions.len();
    let closed = s
        .session
        .closed
        .map(|d| format!(" · CLÔTURÉE le {}", fr_date(d)))
        .unwrap_or_default();
    let privacy = if m.prefs.privacy {
        " · confidentiel"
    } else {
        ""
    };
    let (kind_long, kind_short) = if s.on_final() {
        ("ordre du jour définitif", "définitif")
    } else {
        ("ordre du jour brouillon (non envoyé)", "brouillon")
    };
    let (prog_long, prog_short) = match s.phase {
        Phase::Attendance => ("présences".to_string(), "présences".to_string()),
        Phase::Situations if n > 0 => (
            format!("situation {} / {n}", s.index + 1),
            format!("{}/{n}", s.index + 1),
        ),
        Phase::Situations => ("aucune situation".to_string(), "0/0".to_string()),
    };
    let decided = format!("{nd} décision{}", if nd > 1 { "s" } else { "" });
    let time = elapsed(m, s);
    // Said in words, first: a rehearsal saves nothing (R-GTS-1).
    let r = if s.rehearsal { " RÉPÉTITION ·" } else { "" };
    let variants = [
        format!(
            "{r} GTS du {} {}{closed} · {kind_long} · {prog_long} · {decided} · depuis {time}{privacy}",
            weekday_long(date),
            fr_date(date)
        ),
        format!(
            "{r} GTS du {}{closed} · {kind_short} · {prog_long} · {decided} · {time}{privacy}",
            fr_date(date)
        ),
        format!(
            "{r} GTS {}{closed} · {kind_short} · {prog_short} · {time}{privacy}",
            fr_date(date)
        ),
        format!("{r} GTS {}{closed} · {prog_short} · {time}", fr_date(date)),
        format!("{r} GTS · {prog_short}"),
    ];
    variants
        .iter()
        .find(|v| chars(v) <= width)
        .cloned()
        .unwrap_or_default()
}

pub fn draw(m: &Model, f: &mut Frame, area: Rect) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let pal = Pal::of(m);
    let p = m.seance.as_deref().and_then(prompt);
    // The rows the prompt's box will cover, kept clear of the attendance
    // list's selected row.
    let covered = p.as_ref().map_or(0, |p| {
        prompt_lines(p, prompt_width(area.width), &pal).len() as u16 + 2
    });
    let body = draw_screen(m, f, area, &pal, covered);
    // What the keyboard is answering comes last, over everything, even
    // over « Terminal trop petit ».
    if let Some(p) = &p {
        draw_prompt(p, f, body.unwrap_or(area), area, &pal);
    }
}

/// The meeting's screen; the body's area, None when it did not fit.
fn draw_screen(m: &Model, f: &mut Frame, area: Rect, pal: &Pal, covered: u16) -> Option<Rect> {
    let pal = *pal;
    f.render_widget(Block::new().style(pal.base()), area);
    let s = m.seance.as_deref()?;
    let w = area.width as usize;
    let h = area.height as usize;
    let min_w = match s.phase {
        Phase::Attendance => 40,
        Phase::Situations => MIN_WIDTH as usize,
    };
    // Status: up to two lines (the minutes' path is long).
    let status_lines: Vec<String> = m
        .status
        .as_ref()
        .map(|st| {
            let prefix = if st.kind == StatusKind::Error {
                "! "
            } else {
                ""
            };
            let text = super::theme::say(&st.text, pal.unicode);
            let mut v = wrap(&format!("{prefix}{text}"), w.saturating_sub(1));
            v.truncate(2);
            v
        })
        .unwrap_or_default();
    let chrome = 2 + status_lines.len().max(1);
    if w < min_w || h < chrome + 6 {
        too_small(f, area, min_w.max(w), chrome + 6, &pal);
        return None;
    }
    // Every key on two lines when one is not enough and there is room.
    let two = hint_rows(m, s, w, &pal);
    let mut hint_h = 1;
    let mut body_h = h - chrome;
    // A situation is laid out first: if it cannot fit, say so.
    let situation = match (s.phase, s.current()) {
        (Phase::Situations, Some(r)) => {
            let roomy = two
                .as_ref()
                .and_then(|_| plan(m, s, r, w, body_h - 1, &pal).ok());
            match roomy {
                Some(p) => {
                    hint_h = 2;
                    body_h -= 1;
                    Some(p)
                }
                None => match plan(m, s, r, w, body_h, &pal) {
                    Ok(p) => Some(p),
                    Err(need) => {
                        too_small(f, area, w, need + chrome, &pal);
                        return None;
                    }
                },
            }
        }
        _ => {
            if two.is_some() && body_h > 12 {
                hint_h = 2;
                body_h -= 1;
            }
            None
        }
    };
    let body = Rect::new(area.x, area.y + 1, area.width, body_h as u16);

    // Top bar.
    f.render_widget(
        Paragraph::new(top_bar(m, s, w)).style(pal.bar()),
        Rect::new(area.x, area.y, area.width, 1),
    );
    // Status and hints.
    let status_style = match m.status.as_ref().map(|s| s.kind) {
        Some(StatusKind::Error) => pal.error(),
        Some(StatusKind::Saved) => pal.ok(),
        _ => pal.text(),
    };
    for (i, l) in status_lines.iter().enumerate() {
        f.render_widget(
            Paragraph::new(format!(" {l}")).style(status_style),
            Rect::new(area.x, area.y + 1 + (body_h + i) as u16, area.width, 1),
        );
    }
    let hint_lines = match (hint_h, two) {
        (2, Some(lines)) => lines,
        _ => vec![hint_line(m, s, w, &pal)],
    };
    let top = area.y + area.height - hint_lines.len() as u16;
    f.render_widget(
        Paragraph::new(hint_lines).style(pal.text()),
        Rect::new(area.x, top, area.width, hint_h as u16),
    );

    match s.phase {
        Phase::Attendance => draw_attendance(m, s, f, body, &pal, covered),
        Phase::Situations => match situation {
            Some(p) => draw_situation(f, body, &pal, p),
            None => {
                let msg = "Aucune situation à l'ordre du jour de cette séance.";
                f.render_widget(
                    Paragraph::new(msg)
                        .style(pal.text())
                        .wrap(Wrap { trim: true }),
                    Rect::new(body.x + 1, body.y + 1, body.width - 2, body.height - 1),
                );
            }
        },
    }
    Some(body)
}

fn draw_attendance(m: &Model, s: &Seance, f: &mut Frame, body: Rect, pal: &Pal, covered: u16) {
    let w = (body.width as usize).saturating_sub(2);
    let inner = Rect::new(
        body.x + 1,
        body.y,
        body.width.saturating_sub(2),
        body.height,
    );
    let title = Line::from(Span::styled(
        "Présences à la séance",
        pal.heading().add_modifier(Modifier::UNDERLINED),
    ));
    let (mut lines, cursor) = attendance_lines(m, s, w, pal);
    lines.insert(0, title);
    let cursor = cursor + 1;
    let hgt = body.height as usize;
    // Scroll the list so that the selected row shows, above the prompt's
    // box if there is one.
    let visible = if covered < body.height {
        (body.height - covered) as usize
    } else {
        hgt
    };
    let skip = if cursor >= visible {
        cursor + 1 - visible
    } else {
        0
    };
    let shown: Vec<Line<'static>> = lines.into_iter().skip(skip).take(hgt).collect();
    f.render_widget(Paragraph::new(shown).style(pal.text()), inner);
}

/// One mark per situation (`A` arrêt, `R` renouvellement, `P` reportée,
/// `·` à décider), the current one in brackets; a window around it when
/// the line is too narrow.
fn progress_strip(s: &Seance, width: usize, pal: &Pal) -> Line<'static> {
    let items = s.items();
    let undecided = if pal.unicode { "·" } else { "." };
    let marks: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mk = match agenda::decision_for(&s.session, *r).map(|d| &d.decision) {
                Some(Decision::Stop) => "A",
                Some(Decision::Renew { .. }) => "R",
                Some(Decision::Postpone { .. }) => "P",
                None => undecided,
            };
            if i == s.index {
                format!("[{mk}]")
            } else {
                format!(" {mk} ")
            }
        })
        .collect();
    let label = "Ordre du jour : ";
    let room = width.saturating_sub(chars(label) + 2) / 3;
    let (from, to) = if marks.len() <= room {
        (0, marks.len())
    } else {
        let from = s.index.saturating_sub(room / 2).min(marks.len() - room);
        (from, from + room)
    };
    let mut spans = vec![Span::styled(label, pal.label())];
    if from > 0 {
        spans.push(Span::styled(pal.ellipsis(), pal.text()));
    }
    for (i, mk) in marks[from..to].iter().enumerate() {
        let style = if from + i == s.index {
            pal.key()
        } else if mk.trim() == undecided {
            pal.text()
        } else {
            pal.ok()
        };
        spans.push(Span::styled(mk.clone(), style));
    }
    if to < marks.len() {
        spans.push(Span::styled(pal.ellipsis(), pal.text()));
    }
    Line::from(spans)
}

/// How a situation is laid out in the body, once it is known to fit.
struct Plan {
    heading: Heading,
    content: Vec<Line<'static>>,
    panel: Vec<Line<'static>>,
    main_w: usize,
}

enum Heading {
    Big(String, PixelSize, usize),
    Line(String),
}

/// The biggest layout that fits `body_h` rows, or the rows it needs.
fn plan(
    m: &Model,
    s: &Seance,
    r: Reference,
    total_w: usize,
    body_h: usize,
    pal: &Pal,
) -> Result<Plan, usize> {
    // The capacity panel: beside the situation when wide, instead of it
    // when narrow.
    let side = s.capacity && total_w >= 110;
    let only_panel = s.capacity && !side;
    let main_w = if side {
        total_w - PANEL_WIDTH - 3
    } else {
        total_w.saturating_sub(2)
    };
    let (full, short) = household_title(&m.data, r, m.prefs.privacy);
    let panel = if side {
        capacity_lines(m, s, PANEL_WIDTH, pal)
    } else {
        Vec::new()
    };
    let mut need = usize::MAX;
    for compact in [false, true] {
        let mut content = if only_panel {
            capacity_lines(m, s, main_w, pal)
        } else {
            situation_lines(m, s, r, main_w, compact, pal)
        };
        if !compact {
            content.insert(0, progress_strip(s, main_w, pal));
        }
        // Big headings first: full pixels, half height, quadrants.
        let sizes = [
            (PixelSize::Full, 8usize, 8usize),
            (PixelSize::HalfHeight, 4, 8),
            (PixelSize::Quadrant, 4, 4),
        ];
        // Without Unicode only full pixels (`#` once folded): half and
        // quarter blocks have no ASCII form.
        let sizes = &sizes[..if pal.unicode { 3 } else { 1 }];
        for &(size, rows, cols) in sizes.iter().filter(|_| !compact) {
            let Some(t) = [&full, &short]
                .into_iter()
                .find(|t| chars(t) * cols <= main_w)
            else {
                continue;
            };
            if rows + 1 + content.len() <= body_h && panel.len() <= body_h {
                return Ok(Plan {
                    heading: Heading::Big(t.clone(), size, rows),
                    content,
                    panel,
                    main_w,
                });
            }
        }
        let n = (1 + content.len()).max(panel.len());
        need = need.min(n);
        if n <= body_h {
            let t = if chars(&full) <= main_w { full } else { short };
            return Ok(Plan {
                heading: Heading::Line(t),
                content,
                panel,
                main_w,
            });
        }
    }
    Err(need)
}

fn draw_situation(f: &mut Frame, body: Rect, pal: &Pal, p: Plan) {
    let total_w = body.width as usize;
    let x = body.x + 1;
    let mut y = body.y;
    match p.heading {
        Heading::Big(t, size, rows) => {
            let bt = BigText::builder()
                .pixel_size(size)
                .style(pal.heading())
                .lines(vec![Line::from(t)])
                .build();
            f.render_widget(bt, Rect::new(x, y, p.main_w as u16, rows as u16));
            y += rows as u16 + 1;
        }
        Heading::Line(t) => {
            f.render_widget(
                Paragraph::new(t).style(pal.heading().add_modifier(Modifier::REVERSED)),
                Rect::new(x, y, p.main_w as u16, 1),
            );
            y += 1;
        }
    }
    let rows = (body.y + body.height).saturating_sub(y);
    f.render_widget(
        Paragraph::new(p.content).style(pal.text()),
        Rect::new(x, y, p.main_w as u16, rows),
    );
    if !p.panel.is_empty() {
        let px = body.x + (total_w - PANEL_WIDTH) as u16;
        let sep = if pal.unicode { "│" } else { "|" };
        let bar: Vec<Line<'static>> = (0..body.height).map(|_| Line::from(sep)).collect();
        f.render_widget(
            Paragraph::new(bar).style(pal.dim()),
            Rect::new(px - 2, body.y, 1, body.height),
        );
        f.render_widget(
            Paragraph::new(p.panel).style(pal.text()),
            Rect::new(px, body.y, PANEL_WIDTH as u16, body.height),
        );
    }
}
