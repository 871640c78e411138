//! Référentiel: the GIP's reference data, in four parts (sectors and
//! norms, workers, communes, GTS members). Read by everyone, edited by the
//! GIP (`app::refdata`).

use super::{Theme, column_widths, filter_line, trunc};
use crate::app::Model;
use crate::app::refdata::{Tab, commune_counts, visible_communes};
use crate::communes;
use crate::domain::calendar::fr_date;
use crate::domain::command::Role;
use crate::domain::refdata::fte_label;
use crate::domain::sector::Employer;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let filter = filter_line(m, t);
    let [tabs, info, list, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(u16::from(filter.is_some())),
    ])
    .areas(area);
    draw_tabs(m, f, tabs, t);
    f.render_widget(Paragraph::new(info_line(m, t, info.width as usize)), info);
    match m.refdata.tab {
        Tab::Sectors => sectors(m, f, list, t),
        Tab::Workers => workers(m, f, list, t),
        Tab::Communes => communes_list(m, f, list, t),
        Tab::Members => members(m, f, list, t),
    }
    if let Some(l) = filter {
        f.render_widget(Paragraph::new(l), bottom);
    }
}

fn draw_tabs(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let mut spans = vec![Span::raw(" ")];
    for (i, tab) in Tab::ALL.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(format!(" {} ", t.dot()), t.dim()));
        }
        if *tab == m.refdata.tab {
            spans.push(Span::styled(format!("[{}]", tab.label()), t.title()));
        } else {
            spans.push(Span::styled(tab.label().to_string(), t.dim()));
        }
    }
    if m.role != Role::GipAdmin {
        spans.push(Span::styled("  (lecture seule)", t.dim()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn info_line(m: &Model, t: &Theme, width: usize) -> Line<'static> {
    let text = match m.refdata.tab {
        Tab::Sectors => {
            let total: u32 = m
                .data
                .sectors
                .values()
                .map(|s| s.capacity(&m.data.norms))
                .sum();
            format!(
                " Normes : {} ménages/ETP en urbain, {} en rural (R-CAP-1) {} capacité totale {total}",
                m.data.norms.urban,
                m.data.norms.rural,
                t.dot()
            )
        }
        Tab::Workers => {
            let active = m
                .data
                .workers
                .values()
                .filter(|w| w.active_on(m.today))
                .count();
            let fte: u32 = m
                .data
                .workers
                .values()
                .filter(|w| w.active_on(m.today))
                .map(|w| u32::from(w.fte_hundredths))
                .sum();
            format!(
                " {active} TS en poste {} {} ETP",
                t.dot(),
                fte_label(u16::try_from(fte).unwrap_or(u16::MAX))
            )
        }
        Tab::Communes => {
            let (confirmed, left) = commune_counts(m);
            format!(
                " {confirmed} confirmée{} par le GIP {} {left} à confirmer (suggestion : l'intercommunalité)",
                if confirmed > 1 { "s" } else { "" },
                t.dot()
            )
        }
        Tab::Members => {
            let missing: Vec<&str> = Employer::ALL
                .iter()
                .filter(|e| !m.data.gts_members.iter().any(|x| x.represents(**e)))
                .map(|e| e.label())
                .collect();
            if missing.is_empty() {
                " R-GTS-1 : un·e par employeur et par bailleur social ; le Conseil Général préside"
                    .to_string()
            } else {
                format!(
                    " R-GTS-1 : sans membre pour {} (la séance dira « représentant·e »)",
                    missing.join(", ")
                )
            }
        }
    };
    Line::styled(trunc(&text, width, t), t.dim())
}

/// A table of `rows` with the cursor's row in view and highlighted.
fn table(
    f: &mut Frame,
    area: Rect,
    t: &Theme,
    (header, widths): (Vec<&'static str>, Vec<Constraint>),
    rows: Vec<Vec<Cell<'static>>>,
    cursor: usize,
    empty: &str,
) {
    if rows.is_empty() {
        f.render_widget(Paragraph::new(format!(" {empty}")).style(t.dim()), area);
        return;
    }
    let cursor = cursor.min(rows.len() - 1);
    let height = (area.height.saturating_sub(1) as usize).max(1);
    let first = cursor.saturating_sub(height - 1);
    let rows: Vec<Row> = rows
        .into_iter()
        .skip(first)
        .take(height)
        .map(Row::new)
        .collect();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(t.title()))
        .row_highlight_style(t.selected())
        .column_spacing(1);
    let mut state = TableState::default().with_selected(Some(cursor - first));
    f.render_stateful_widget(table, area, &mut state);
}

fn employers_label(list: &[Employer], wide: bool) -> String {
    list.iter()
        .map(|e| match (e, wide) {
            (Employer::ConseilGeneral, false) => "CG",
            (e, _) => e.label(),
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

fn sectors(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let wide = area.width >= 110;
    let mut widths = vec![
        Constraint::Length(if wide { 26 } else { 17 }),
        Constraint::Length(5),
        Constraint::Length(if wide { 22 } else { 9 }),
        Constraint::Length(7),
        Constraint::Length(11),
    ];
    let mut header = vec!["Secteur", "ETP", "Employeur", "Cadre", "Charge/cap."];
    if wide {
        widths.push(Constraint::Min(10));
        header.push("Territoire");
    }
    let area_w = column_widths(&widths, 1, area.width)
        .last()
        .copied()
        .unwrap_or(0);
    let rows = m
        .data
        .sectors
        .values()
        .map(|s| {
            let cap = s.capacity(&m.data.norms);
            let load = m.derived.load(s.id).map_or(0, |l| l.load);
            let over = load > cap;
            let mut cells = vec![
                Cell::from(trunc(
                    if wide { &s.name } else { &s.short_name },
                    if wide { 26 } else { 17 },
                    t,
                )),
                Cell::from(s.fte_label()),
                Cell::from(trunc(&employers_label(&s.employers, wide), 22, t)),
                Cell::from(s.setting.label()),
                Cell::from(Span::styled(
                    format!(
                        "{load:>3}/{cap:<3}{}",
                        if over {
                            format!(" {}", t.over_mark())
                        } else {
                            String::new()
                        }
                    ),
                    if over { t.over() } else { t.title() },
                )),
            ];
            if wide {
                cells.push(Cell::from(trunc(&s.area, area_w, t)));
            }
            cells
        })
        .collect();
    table(
        f,
        area,
        t,
        (header, widths),
        rows,
        m.refdata.cursor(),
        "Aucun secteur.",
    );
}

fn workers(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let wide = area.width >= 110;
    let mut widths = vec![
        Constraint::Length(16),
        Constraint::Length(if wide { 15 } else { 5 }),
        Constraint::Min(12),
        Constraint::Length(4),
        Constraint::Length(11),
    ];
    let mut header = vec!["Nom", "Empl.", "Secteurs", "ETP", "Identifiant"];
    if wide {
        header[1] = "Employeur";
        widths.push(Constraint::Length(10));
        widths.push(Constraint::Length(10));
        header.push("Arrivée");
        header.push("Départ");
    }
    let sectors_w = column_widths(&widths, 1, area.width)
        .get(2)
        .copied()
        .unwrap_or(0);
    let rows = m
        .data
        .workers
        .values()
        .map(|w| {
            let sectors = w
                .sectors
                .iter()
                .map(|s| m.data.sectors.get(s).map_or("?", |x| x.short_name.as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            let gone = !w.active_on(m.today);
            let name = Cell::from(Span::styled(
                trunc(&w.name, 16, t),
                if gone { t.dim() } else { t.title() },
            ));
            let mut cells = vec![
                name,
                Cell::from(if wide {
                    w.employer.label().to_string()
                } else {
                    employers_label(&[w.employer], false)
                }),
                Cell::from(trunc(&sectors, sectors_w, t)),
                Cell::from(fte_label(w.fte_hundredths)),
                Cell::from(trunc(&w.login, 11, t)),
            ];
            if wide {
                let date = |d: Option<chrono::NaiveDate>| d.map(fr_date).unwrap_or_default();
                cells.push(Cell::from(date(w.arrived)));
                cells.push(Cell::from(date(w.left)));
            }
            cells
        })
        .collect();
    table(
        f,
        area,
        t,
        (header, widths),
        rows,
        m.refdata.cursor(),
        "Aucun·e TS : n pour en ajouter.",
    );
}

fn communes_list(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let wide = area.width >= 110;
    let mut widths = vec![
        Constraint::Length(5),
        Constraint::Min(14),
        Constraint::Length(16),
        Constraint::Length(18),
    ];
    let mut header = vec!["INSEE", "Commune", "Suggéré", "Confirmé (GIP)"];
    if wide {
        widths.insert(2, Constraint::Length(30));
        header.insert(2, "Intercommunalité");
    }
    let name_w = column_widths(&widths, 1, area.width)
        .get(1)
        .copied()
        .unwrap_or(0);
    let short = |s: Option<crate::domain::SectorId>| {
        s.and_then(|s| m.data.sectors.get(&s))
            .map_or("—".to_string(), |x| x.short_name.clone())
    };
    let rows = visible_communes(m)
        .into_iter()
        .map(|(_, c)| {
            let confirmed = m.data.commune_sectors.get(&c.insee).copied();
            let mut cells = vec![
                Cell::from(c.insee.clone()),
                Cell::from(trunc(&c.name, name_w, t)),
                Cell::from(trunc(&short(communes::suggest_sector_for(c)), 16, t)),
                Cell::from(match confirmed {
                    Some(s) => Span::styled(
                        format!("{} {}", t.check(), trunc(&short(Some(s)), 16, t)),
                        t.ok(),
                    ),
                    None => Span::styled("à confirmer", t.dim()),
                }),
            ];
            if wide {
                cells.insert(2, Cell::from(trunc(&c.epci, 30, t)));
            }
            cells
        })
        .collect();
    table(
        f,
        area,
        t,
        (header, widths),
        rows,
        m.refdata.cursor(),
        "Aucune commune ne correspond au filtre.",
    );
}

fn members(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let widths = vec![
        Constraint::Length(26),
        Constraint::Min(16),
        Constraint::Length(8),
    ];
    let rows = m
        .data
        .gts_members
        .iter()
        .map(|x| {
            let chair = x.represents(Employer::ConseilGeneral);
            vec![
                Cell::from(trunc(&x.organisation, 26, t)),
                Cell::from(trunc(&x.name, 40, t)),
                Cell::from(if chair { "préside" } else { "" }),
            ]
        })
        .collect();
    table(
        f,
        area,
        t,
        (vec!["Organisation", "Nom", ""], widths),
        rows,
        m.refdata.cursor(),
        "Aucun membre permanent : n pour en ajouter (la séance propose « représentant·e »).",
    );
}
