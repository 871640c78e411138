//! The GTS meeting (séance) driven by keys on the demo data, as the GIP's
//! animator would: attendance, decisions saved at once, R-MES-4 refused on
//! screen, closing in one commit with the minutes; preferences kept;
//! snapshots (normal, projector, privacy) and a size sweep.

use assll::app::sample::{press, sample_model, type_text};
use assll::app::{MemoryPersist, Model, Screen, StatusKind};
use assll::domain::gts::Decision;
use assll::domain::{MeasureStatus, Record, Reference};
use assll::ui::view;
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::rc::Rc;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn setup() -> (Model, Rc<MemoryPersist>) {
    let p = Rc::new(MemoryPersist::default());
    let mut m = sample_model(Box::new(Rc::clone(&p)));
    m.today = today();
    m.data = assll::demo::generate(today(), 120, 1);
    m.refresh();
    (m, p)
}

fn render(m: &Model, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| view(m, f)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn status(m: &Model) -> String {
    m.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn items(m: &Model) -> Vec<Reference> {
    m.seance.as_ref().unwrap().items()
}

/// Moves to the situation of `r`.
fn go_to(m: &mut Model, r: Reference) {
    let i = items(m)
        .iter()
        .position(|x| *x == r)
        .expect("on the agenda");
    m.seance.as_mut().unwrap().index = i;
}

#[test]
fn debug_print() {
    let (mut m, _p) = setup();
    press(&mut m, &["S"]);
    println!("{}", render(&m, 80, 24));
    press(&mut m, &["<Enter>"]);
    println!("{}", render(&m, 80, 24));
    println!("{}", render(&m, 160, 45));
    press(&mut m, &["k"]);
    println!("{}", render(&m, 160, 45));
    press(&mut m, &["P"]);
    println!("{}", render(&m, 80, 24));
}
