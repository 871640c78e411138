//! The yearly statistics (R-STAT-1/2) as documents: a text table for the
//! terminal, a CSV and an ODS table for spreadsheets (one layout, from
//! [`table`]), and the GIP's yearly report as PDF and text.

use super::doc::Document;
use crate::domain::Dataset;
use crate::domain::calendar::fr_date;
use crate::domain::stats::{
    Counts, GtsFigures, Ratio, RowKey, YearStats, days_label, period_label,
};

/// A spreadsheet cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Num(i64),
    Text(String),
    Empty,
}

/// The columns of the CSV and ODS tables, in order (docs/statistics.md).
pub const HEADER: [&str; 25] = [
    "Niveau",
    "Circonscription",
    "TS",
    "Mesures suivies",
    "Nouvelles commandes",
    "Diagnostics suivis",
    "Diagnostics rendus",
    "Diagnostics rendus en 2 mois",
    "Démarrages",
    "Démarrages hors ordre",
    "Renouvellements",
    "Arrêts",
    "Non mises en place",
    "Bilans",
    "Attente médiane (jours)",
    "Attente maximale (jours)",
    "R-REF-4 tenus",
    "R-REF-4 dus",
    "R-MES-2 tenus",
    "R-MES-2 dus",
    "R-MES-3 tenus",
    "R-MES-3 dus",
    "R-DIAG-2 tenus",
    "R-DIAG-2 dus",
    "Motifs d'arrêt",
];

/// One line per row of `stats` (worker rows, sector rows, total), each in
/// the order of [`HEADER`]. The figures no worker holds (new referrals,
/// not set up) are empty on a worker's line.
pub fn table(data: &Dataset, stats: &YearStats) -> Vec<Vec<Cell>> {
    stats
        .rows
        .iter()
        .map(|row| {
            let c = &row.counts;
            let (level, sector, worker) = match row.key {
                RowKey::Worker(s, w) => ("TS", data.sector_name(s), data.worker_name(Some(w))),
                RowKey::Sector(s) => ("Circonscription", data.sector_name(s), ""),
                RowKey::Total => ("Total GIP", "", ""),
            };
            let is_worker = matches!(row.key, RowKey::Worker(..));
            let n = |x: u32| Cell::Num(i64::from(x));
            let sector_only = |x: u32| if is_worker { Cell::Empty } else { n(x) };
            let opt = |d: Option<i64>| d.map_or(Cell::Empty, Cell::Num);
            let text = |s: &str| {
                if s.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(s.to_string())
                }
            };
            let mut cells = vec![
                text(level),
                text(sector),
                text(worker),
                n(c.followed),
                sector_only(c.referrals),
                n(c.diagnostics_followed),
                n(c.diagnostics_returned),
                n(c.diagnostics_on_time),
                n(c.starts),
                n(c.out_of_order),
                n(c.renewals),
                n(c.stops),
                sector_only(c.not_started),
                n(c.reviews),
                opt(c.median_wait()),
                opt(c.max_wait()),
            ];
            for r in [
                c.first_contact,
                c.attempts,
                c.meetings,
                c.diagnostic_deadline,
            ] {
                cells.push(n(r.met));
                cells.push(n(r.due));
            }
            cells.push(text(&reasons(c)));
            cells
        })
        .collect()
}

/// `Arrêt décidé par le GTS : 12 ; Objectifs atteints : 3`.
fn reasons(c: &Counts) -> String {
    c.stop_reasons
        .iter()
        .map(|(k, n)| format!("{k} : {n}"))
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// The CSV: semicolon-separated (the French spreadsheets' convention), a
/// header line, one line per row; a field holding `;`, `"` or a line
/// break is quoted.
pub fn csv(data: &Dataset, stats: &YearStats) -> String {
    let field = |s: &str| {
        // A free text (a stop reason) a spreadsheet would run as a formula.
        let s = if s.starts_with(['=', '+', '-', '@']) {
            format!("'{s}")
        } else {
            s.to_string()
        };
        if s.contains([';', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    };
    let mut out = HEADER
        .iter()
        .map(|h| field(h))
        .collect::<Vec<_>>()
        .join(";");
    out.push('\n');
    for line in table(data, stats) {
        let cells: Vec<String> = line
            .iter()
            .map(|c| match c {
                Cell::Num(n) => n.to_string(),
                Cell::Text(s) => field(s),
                Cell::Empty => String::new(),
            })
            .collect();
        out.push_str(&cells.join(";"));
        out.push('\n');
    }
    out
}

fn pad(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n >= w {
        s.chars().take(w).collect()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

fn rpad(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n >= w {
        s.to_string()
    } else {
        format!("{}{s}", " ".repeat(w - n))
    }
}

fn short_label(data: &Dataset, key: RowKey) -> String {
    match key {
        RowKey::Worker(_, w) => format!("  {}", data.worker_name(Some(w))),
        RowKey::Sector(s) => data.sector_name(s).to_string(),
        RowKey::Total => "Total GIP".to_string(),
    }
}

/// Rows in reading order: each sector's line followed by its workers'
/// lines, then the total. A worker who sees only their own rows gets them
/// under their sectors' names.
fn reading_order(stats: &YearStats) -> Vec<RowKey> {
    let mut keys: Vec<RowKey> = Vec::new();
    let mut sectors: Vec<_> = stats
        .rows
        .iter()
        .filter_map(|r| match r.key {
            RowKey::Sector(s) | RowKey::Worker(s, _) => Some(s),
            RowKey::Total => None,
        })
        .collect();
    sectors.sort();
    sectors.dedup();
    for s in sectors {
        keys.extend(
            stats
                .rows
                .iter()
                .map(|r| r.key)
                .filter(|k| *k == RowKey::Sector(s)),
        );
        keys.extend(
            stats
                .rows
                .iter()
                .map(|r| r.key)
                .filter(|k| matches!(k, RowKey::Worker(ss, _) if *ss == s)),
        );
    }
    keys.extend(
        stats
            .rows
            .iter()
            .map(|r| r.key)
            .filter(|k| *k == RowKey::Total),
    );
    keys
}

/// The text for the terminal (`assll stats ANNÉE`): the activity table,
/// the deadlines table, the stop reasons and the GTS, in French.
pub fn text(data: &Dataset, stats: &YearStats) -> String {
    let mut out = format!("Statistiques ASSLL — {}\n\n", period_label(stats));
    if stats.rows.is_empty() {
        out.push_str("Aucune ligne à afficher pour ce compte.\n");
        return out;
    }
    let order = reading_order(stats);
    out.push_str(&format!(
        "{} {} {} {} {} {} {} {} {} {} {}\n",
        pad("", 26),
        rpad("Suiv.", 5),
        rpad("Cmd.", 5),
        rpad("Diag.", 5),
        rpad("Rendus", 8),
        rpad("Déb.", 5),
        rpad("Renv.", 5),
        rpad("Arr.", 5),
        rpad("NMP", 4),
        rpad("Bil.", 5),
        rpad("Attente", 12),
    ));
    for key in &order {
        let Some(c) = stats.row(*key) else { continue };
        let worker = matches!(key, RowKey::Worker(..));
        let so = |n: u32| {
            if worker {
                "".to_string()
            } else {
                n.to_string()
            }
        };
        out.push_str(&format!(
            "{} {} {} {} {} {} {} {} {} {} {}\n",
            pad(&short_label(data, *key), 26),
            rpad(&c.followed.to_string(), 5),
            rpad(&so(c.referrals), 5),
            rpad(&c.diagnostics_followed.to_string(), 5),
            rpad(
                &format!("{} ({})", c.diagnostics_returned, c.diagnostics_on_time),
                8
            ),
            rpad(&c.starts.to_string(), 5),
            rpad(&c.renewals.to_string(), 5),
            rpad(&c.stops.to_string(), 5),
            rpad(&so(c.not_started), 4),
            rpad(&c.reviews.to_string(), 5),
            rpad(
                &format!(
                    "{} / {}",
                    days_label(c.median_wait()),
                    days_label(c.max_wait())
                ),
                12
            ),
        ));
    }
    out.push_str(
        "\nSuiv. mesures suivies · Cmd. nouvelles commandes · Diag. diagnostics suivis\n\
         Rendus diagnostics rendus (dont en 2 mois) · Déb. démarrages · Renv. renouvellements\n\
         Arr. arrêts · NMP non mises en place · Bil. bilans · Attente médiane / maximale\n",
    );
    out.push_str(&format!(
        "\nÉchéances tenues / dues\n{} {} {} {} {}\n",
        pad("", 26),
        rpad("1er contact", 11),
        rpad("Sollicit.", 10),
        rpad("Rencontres", 10),
        rpad("Diagnostic", 10),
    ));
    for key in &order {
        let Some(c) = stats.row(*key) else { continue };
        out.push_str(&format!(
            "{} {} {} {} {}\n",
            pad(&short_label(data, *key), 26),
            rpad(&c.first_contact.label(), 11),
            rpad(&c.attempts.label(), 10),
            rpad(&c.meetings.label(), 10),
            rpad(&c.diagnostic_deadline.label(), 10),
        ));
    }
    out.push_str("(R-REF-4, R-MES-2, R-MES-3, R-DIAG-2 : voir docs/statistics.md)\n");
    let reason_rows: Vec<_> = order
        .iter()
        .filter_map(|k| stats.row(*k).map(|c| (k, c)))
        .filter(|(k, c)| !matches!(k, RowKey::Worker(..)) && !c.stop_reasons.is_empty())
        .collect();
    if !reason_rows.is_empty() {
        out.push_str("\nMotifs d'arrêt\n");
        for (k, c) in reason_rows {
            out.push_str(&format!("{} : {}\n", short_label(data, *k), reasons(c)));
        }
    }
    if !stats.out_of_order.is_empty() {
        out.push_str("\nDémarrages hors de l'ordre d'attente (R-REF-5)\n");
        for line in out_of_order_lines(data, stats) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    if let Some(g) = &stats.gts {
        out.push_str(&format!("\n{}\n", gts_line(g)));
    }
    out
}

/// `12/03/2026 · 2026-0042 · Cognac · Mme Laurent · avant 2 commandes :
/// expulsion programmée`, one per start out of the waiting order.
fn out_of_order_lines(data: &Dataset, stats: &YearStats) -> Vec<String> {
    stats
        .out_of_order
        .iter()
        .map(|o| {
            format!(
                "{} · {} · {} · {} · avant {} commande{} : {}",
                fr_date(o.start),
                o.reference,
                data.sector_name(o.sector),
                data.worker_name(o.worker),
                o.passed,
                if o.passed > 1 { "s" } else { "" },
                o.reason
            )
        })
        .collect()
}

/// `GTS : 11 séances tenues sur 11 passées (1 annulée) · ODJ brouillon à
/// temps 10/11 · définitif 11/11 · PV 9/11`.
pub fn gts_line(g: &GtsFigures) -> String {
    format!(
        "GTS : {} séance(s) tenue(s) sur {} passée(s), {} annulée(s) · ODJ brouillon à temps {} · ODJ définitif à temps {} · PV à temps {}",
        g.held,
        g.planned,
        g.cancelled,
        g.draft_on_time.label(),
        g.final_on_time.label(),
        g.minutes_on_time.label()
    )
}

fn ratio_line(name: &str, r: Ratio) -> String {
    format!("{name} : {}", r.label())
}

/// The lines of a row in the report.
fn row_lines(c: &Counts, with_sector_figures: bool) -> Vec<String> {
    let mut v = vec![format!(
        "Mesures suivies {} · démarrages {}{} · renouvellements {} · arrêts {} · bilans {}",
        c.followed,
        c.starts,
        match c.out_of_order {
            0 => String::new(),
            n => format!(" (dont {n} hors ordre)"),
        },
        c.renewals,
        c.stops,
        c.reviews
    )];
    if with_sector_figures {
        v.push(format!(
            "Nouvelles commandes {} · non mises en place {}",
            c.referrals, c.not_started
        ));
    }
    v.push(format!(
        "Diagnostics suivis {} · rendus {} (dont {} en deux mois)",
        c.diagnostics_followed, c.diagnostics_returned, c.diagnostics_on_time
    ));
    v.push(format!(
        "Attente de la commande au démarrage : médiane {}, maximum {}",
        days_label(c.median_wait()),
        days_label(c.max_wait())
    ));
    v.push(
        [
            ratio_line(
                "Échéances tenues/dues — 1er contact (R-REF-4)",
                c.first_contact,
            ),
            ratio_line("sollicitations (R-MES-2)", c.attempts),
            ratio_line("rencontres (R-MES-3)", c.meetings),
            ratio_line("diagnostic (R-DIAG-2)", c.diagnostic_deadline),
        ]
        .join(" · "),
    );
    if !c.stop_reasons.is_empty() {
        v.push(format!("Motifs d'arrêt : {}", reasons(c)));
    }
    v
}

/// The GIP's yearly report (R-STAT-2), or a worker's (R-STAT-1) when
/// `stats` holds only their rows.
pub fn document(data: &Dataset, stats: &YearStats, today: chrono::NaiveDate) -> Document {
    let mut doc = Document::new(format!("ASSLL — rapport annuel {}", stats.year));
    doc.title(format!("Rapport annuel ASSLL {}", stats.year));
    doc.subtitle(format!(
        "{} — établi le {}",
        period_label(stats),
        fr_date(today)
    ));
    doc.subtitle(
        "Exercice : l'année civile, du 1er janvier au 31 décembre. Définitions : docs/statistics.md.",
    );
    if let Some(t) = stats.total() {
        doc.heading("Ensemble du dispositif (GIP)");
        doc.entry("Total GIP", row_lines(t, true));
        if let Some(g) = &stats.gts {
            doc.para(gts_line(g));
        }
    }
    let order = reading_order(stats);
    let mut sector = None;
    for key in order {
        let Some(c) = stats.row(key) else { continue };
        match key {
            RowKey::Sector(s) => {
                sector = Some(s);
                doc.heading(data.sector_name(s));
                doc.entry("Circonscription", row_lines(c, true));
            }
            RowKey::Worker(s, w) => {
                if sector != Some(s) {
                    sector = Some(s);
                    doc.heading(data.sector_name(s));
                }
                doc.entry(
                    format!("TS : {}", data.worker_name(Some(w))),
                    row_lines(c, false),
                );
            }
            RowKey::Total => {}
        }
    }
    if !stats.out_of_order.is_empty() {
        doc.heading("Démarrages hors de l'ordre d'attente (R-REF-5)");
        for line in out_of_order_lines(data, stats) {
            doc.para(line);
        }
    }
    doc
}

/// The yearly report's files: its name (`rapport-annuel-2027`), then the
/// PDF, the text and the ODS table, ready for
/// `app::documents::write_documents`.
pub fn report_files(
    data: &Dataset,
    stats: &YearStats,
    today: chrono::NaiveDate,
) -> (String, Vec<(&'static str, Vec<u8>)>) {
    let doc = document(data, stats, today);
    let ods = super::ods::spreadsheet(
        &format!("Statistiques {}", stats.year),
        &HEADER,
        &table(data, stats),
    );
    // A worker's own report (R-STAT-1) is named after them.
    let own = match stats.rows.as_slice() {
        rows if !rows.is_empty() && rows.iter().all(|r| matches!(r.key, RowKey::Worker(..))) => {
            match rows[0].key {
                RowKey::Worker(_, w) => format!("-ts{}", w.0),
                _ => String::new(),
            }
        }
        _ => String::new(),
    };
    (
        format!("rapport-annuel-{}{own}", stats.year),
        vec![
            ("pdf", doc.to_pdf()),
            ("txt", doc.to_text().into_bytes()),
            ("ods", ods),
        ],
    )
}

/// Writes the yearly report in `dir` (never over a document already
/// there) and says, in French, where.
pub fn write_report(
    dir: &std::path::Path,
    data: &Dataset,
    stats: &YearStats,
    today: chrono::NaiveDate,
) -> Result<String, String> {
    let (stem, files) = report_files(data, stats, today);
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(e, b)| (*e, b.as_slice())).collect();
    let (paths, taken) = crate::app::documents::write_documents(dir, &stem, &refs)?;
    let mut s = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(t) = taken {
        s.push_str(&format!(" ; {t}.pdf existait déjà, gardé"));
    }
    Ok(s)
}
