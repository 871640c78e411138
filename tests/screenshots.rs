//! `screenshots/`: one SVG per screen, with colours, drawn from the same
//! rendering as the application on the deterministic demo data at a fixed
//! date. This test fails when they are stale; regenerate them with
//!
//! ```sh
//! ASSLL_UPDATE_SCREENSHOTS=1 cargo test --test screenshots
//! ```

mod screens;

use assll::screenshot::buffer_to_svg;
use assll::ui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("screenshots")
}

#[test]
fn screenshots_are_up_to_date() {
    let update = std::env::var_os("ASSLL_UPDATE_SCREENSHOTS").is_some();
    let mut stale = Vec::new();
    let mut expected = Vec::new();
    for (name, m) in screens::screens()
        .into_iter()
        .chain(screens::refdata_screens())
    {
        let mut term = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        term.draw(|f| view(&m, f)).unwrap();
        let svg = buffer_to_svg(term.backend().buffer(), &format!("assll · {name}"));
        let path = dir().join(format!("{name}.svg"));
        expected.push(path.clone());
        if update {
            std::fs::create_dir_all(dir()).unwrap();
            std::fs::write(&path, &svg).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(svg.as_str()) {
            stale.push(name);
        }
    }
    // No picture of a screen that no longer exists.
    let extra: Vec<_> = std::fs::read_dir(dir())
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "svg") && !expected.contains(p))
                .collect()
        })
        .unwrap_or_default();
    if update {
        for p in &extra {
            std::fs::remove_file(p).unwrap();
        }
        return;
    }
    assert!(
        stale.is_empty() && extra.is_empty(),
        "screenshots/ is stale ({stale:?} differ, {extra:?} no longer drawn): \
         run `ASSLL_UPDATE_SCREENSHOTS=1 cargo test --test screenshots` and review them"
    );
}
