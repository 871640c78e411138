//! The screens of the application, each reached by keys as a user would,
//! on the demo data at a fixed date: shared by the snapshot tests and the
//! screenshots.
#![allow(dead_code)]

use assll::app::sample::{press, sample_model, sample_today, type_text};
use assll::app::{MemoryPersist, Model};
use assll::ui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The demo data (deterministic: default size and seed) at the fixed date.
pub fn model() -> Model {
    let mut m = sample_model(Box::new(MemoryPersist::default()));
    m.data = std::sync::Arc::new(assll::demo::generate(
        sample_today(),
        assll::demo::DEFAULT_HOUSEHOLDS,
        assll::demo::DEFAULT_SEED,
    ));
    m.refresh();
    m
}

/// Each screen, reached by keys as a user would.
pub fn screens() -> Vec<(&'static str, Model)> {
    let mut v = Vec::new();
    v.push(("dashboard", model()));
    let mut m = model();
    press(&mut m, &["a", "<Tab>", "<Tab>", "<Tab>", "<Tab>", "<Tab>"]); // Cognac
    v.push(("waiting_cognac", m));
    let mut m = model();
    press(&mut m, &["a", "l"]); // Charente-Limousine: over capacity, PJ household
    v.push(("waiting_over_capacity", m));
    let mut m = model();
    press(&mut m, &["m", "<Tab>", "<Tab>", "<Tab>"]);
    v.push(("measures", m));
    let mut m = model();
    press(&mut m, &["m", "<Tab>", "<Tab>", "<Tab>", "<Enter>"]);
    v.push(("household", m));
    let mut m = model();
    press(&mut m, &["c"]);
    v.push(("new_referral", m));
    let mut m = model();
    press(&mut m, &["!"]);
    v.push(("alerts", m));
    let mut m = model();
    press(
        &mut m,
        &["a", "<Tab>", "<Tab>", "<Tab>", "<Tab>", "<Tab>", "d"],
    );
    v.push(("pick_worker", m));
    let mut m = model();
    press(
        &mut m,
        &["a", "<Tab>", "<Tab>", "<Tab>", "<Tab>", "<Tab>", "s"],
    );
    v.push(("pick_sector", m));
    let mut m = model();
    press(&mut m, &["m", "<Tab>", "<Tab>", "<Tab>", "<Enter>", "r"]);
    v.push(("log_event_form", m));
    let mut m = model();
    press(&mut m, &["m", "<Tab>", "<Tab>", "<Tab>", "<Enter>", "b"]);
    type_text(&mut m, " Rendez-vous à la MDS prévu ; dossier FSL déposé.");
    v.push(("review_editor", m));
    let mut m = model();
    press(&mut m, &["a", "?"]);
    v.push(("help", m));
    let mut m = model();
    press(&mut m, &["g"]);
    v.push(("gts_calendar", m));
    let mut m = model();
    press(&mut m, &["g", "<Enter>"]);
    v.push(("gts_agenda", m));
    let mut m = meeting_day();
    press(&mut m, &["S", "<Space>", "<Down>", "<Space>"]);
    m.status = None;
    v.push(("seance_attendance", m));
    let mut m = meeting_day();
    everyone_present(&mut m);
    press(&mut m, &["<Enter>", "l", "r", "3", "k"]);
    m.status = None;
    v.push(("seance", m));
    let mut m = meeting_day();
    everyone_present(&mut m);
    press(&mut m, &["<Enter>", "T", "a"]);
    m.status = None;
    v.push(("seance_projector", m));
    let mut m = model();
    press(&mut m, &["s"]);
    v.push(("stats", m));
    v
}

/// The « Référentiel » screen's parts and its sector form (R on the
/// dashboard), kept apart from [`screens`] so that their snapshots live in
/// tests/ui_refdata.rs; the screenshots take both.
pub fn refdata_screens() -> Vec<(&'static str, Model)> {
    let mut v = Vec::new();
    let mut m = model();
    press(&mut m, &["R"]);
    v.push(("refdata_sectors", m));
    let mut m = model();
    press(&mut m, &["R", "<Tab>"]);
    v.push(("refdata_workers", m));
    let mut m = model();
    press(&mut m, &["R", "<Tab>", "<Tab>", "/"]);
    type_text(&mut m, "ang");
    press(&mut m, &["<Enter>"]);
    v.push(("refdata_communes", m));
    let mut m = model();
    press(&mut m, &["R", "<S-Tab>"]);
    v.push(("refdata_members", m));
    let mut m = model();
    // Charente-Limousine (over capacity) at a lower FTE: the form says so.
    press(&mut m, &["R", "<Down>", "<Enter>", "<Tab>", "<Backspace>"]);
    type_text(&mut m, "25");
    v.push(("refdata_sector_form", m));
    let mut m = model();
    press(&mut m, &["R", "<Tab>", "<Enter>"]);
    v.push(("refdata_worker_form", m));
    let mut m = model();
    press(&mut m, &["R", "<Tab>", "<Tab>", "<Enter>"]);
    v.push(("refdata_commune_form", m));
    v
}

/// The demo data on the day of the next GTS (Thursday 17/12/2026): the
/// meeting is held for real (before its day, `S` opens a rehearsal).
pub fn meeting_day() -> Model {
    let mut m = model();
    m.today = chrono::NaiveDate::from_ymd_opt(2026, 12, 17).unwrap();
    m.refresh();
    m
}

/// Opens the meeting and marks everyone on the attendance present, row
/// by row, as the animator does when the members arrive.
pub fn everyone_present(m: &mut Model) {
    press(m, &["S"]);
    let n = m.seance.as_ref().map_or(0, |s| s.session.attendance.len());
    for _ in 0..n {
        press(m, &["<Space>", "<Down>"]);
    }
}

/// A model drawn into a test terminal, as text (one line per row, trailing
/// blanks trimmed; a wide symbol takes its two cells once).
pub fn render(m: &Model, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| view(m, f)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            // A wide symbol covers the next cell.
            skip = unicode_cells(sym).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn unicode_cells(s: &str) -> usize {
    // The wide symbols the screens use.
    if s == "⚡" { 2 } else { 1 }
}
