//! The « Statistiques » screen's state: the year shown, the table's
//! scroll, and the year's figures computed once per version of the data
//! (the view reads them, the keys change the year).

use super::{Model, StatusKind};
use crate::domain::stats::{YEARS, YearStats, yearly};
use crate::keymap::Action;
use chrono::{Datelike, NaiveDate};
use std::cell::RefCell;
use std::sync::Arc;

/// What the figures were computed from: the year, the commit, today, the
/// data's address (a test changing the data in place calls `refresh`).
type Key = (i32, u64, NaiveDate, usize);

pub struct StatsState {
    pub year: i32,
    /// The first table row shown.
    pub scroll: usize,
    cache: RefCell<Option<(Key, Arc<YearStats>)>>,
}

impl StatsState {
    pub fn new(today: NaiveDate) -> Self {
        StatsState {
            year: today.year(),
            scroll: 0,
            cache: RefCell::new(None),
        }
    }
    /// Forgets the figures (the data changed).
    pub fn clear(&self) {
        self.cache.borrow_mut().take();
    }
}

/// The figures of the year shown, as this session's role may read them
/// (R-STAT-1/2).
pub fn shown(m: &Model) -> Arc<YearStats> {
    let key = (
        m.stats.year,
        m.seq,
        m.today,
        std::sync::Arc::as_ptr(&m.data) as usize,
    );
    if let Some((k, s)) = m.stats.cache.borrow().as_ref()
        && *k == key
    {
        return Arc::clone(s);
    }
    let s = Arc::new(yearly(&m.data, m.stats.year, m.today).visible_to(&m.role));
    *m.stats.cache.borrow_mut() = Some((key, Arc::clone(&s)));
    s
}

/// Keys of the screen: the year (←/→), the table (↑/↓), the report (x).
pub fn on_key(m: &mut Model, a: Action) {
    match a {
        Action::NextSector if m.stats.year < *YEARS.end() => {
            m.stats.year += 1;
            m.stats.scroll = 0;
        }
        Action::PrevSector if m.stats.year > *YEARS.start() => {
            m.stats.year -= 1;
            m.stats.scroll = 0;
        }
        Action::Down => {
            let rows = shown(m).rows.len();
            m.stats.scroll = (m.stats.scroll + 1).min(rows.saturating_sub(1));
        }
        Action::Up => m.stats.scroll = m.stats.scroll.saturating_sub(1),
        Action::Top => m.stats.scroll = 0,
        Action::Bottom => m.stats.scroll = shown(m).rows.len().saturating_sub(1),
        Action::PageDown => {
            let rows = shown(m).rows.len();
            m.stats.scroll = (m.stats.scroll + 10).min(rows.saturating_sub(1));
        }
        Action::PageUp => m.stats.scroll = m.stats.scroll.saturating_sub(10),
        Action::WriteReport => write_report(m),
        _ => {}
    }
}

/// `x`: the yearly report (PDF, text, ODS) in the documents folder; the
/// status line says where.
fn write_report(m: &mut Model) {
    let stats = shown(m);
    let dir = m
        .gts
        .docs_dir
        .clone()
        .unwrap_or_else(super::documents::documents_dir);
    match crate::report::stats::write_report(&dir, &m.data, &stats, m.today) {
        Ok(paths) => m.set_status(
            StatusKind::Info,
            format!("Rapport annuel {} écrit : {paths}", stats.year),
        ),
        Err(e) => m.set_status(StatusKind::Error, format!("Rapport impossible : {e}")),
    }
}
