//! Documents (GTS agendas, minutes) go where the README says, `ASSLL_DOCS`
//! here, and one already there is never replaced: the new one is numbered
//! and the status line says the path written.
//!
//! One test only in this file: it sets `ASSLL_DOCS` for the process.

mod screens;

use assll::app::sample::{press, status};
use screens::model;

#[test]
fn documents_go_to_assll_docs_and_never_replace_one_already_there() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("Mes documents").join("assll");
    // SAFETY: the only test of this binary, before any thread reads the
    // environment.
    unsafe { std::env::set_var("ASSLL_DOCS", &docs) };
    assert_eq!(assll::app::documents::documents_dir(), docs);

    let mut m = model();
    assert!(m.gts.docs_dir.is_none(), "the application's own choice");
    // The draft agenda of December, exported: the folder is created.
    press(&mut m, &["g", "<Enter>", "x"]);
    let pdf = docs.join("odj-brouillon-2026-12.pdf");
    let txt = docs.join("odj-brouillon-2026-12.txt");
    assert!(pdf.exists() && txt.exists(), "{}", status(&m));
    assert!(
        status(&m).contains(&pdf.display().to_string()),
        "{}",
        status(&m)
    );
    // Someone annotates the text; a second export keeps it.
    std::fs::write(&txt, "ma version annotée").unwrap();
    press(&mut m, &["x"]);
    let pdf2 = docs.join("odj-brouillon-2026-12-2.pdf");
    assert!(
        status(&m).contains(&pdf2.display().to_string()),
        "{}",
        status(&m)
    );
    assert!(
        status(&m).contains("odj-brouillon-2026-12.pdf existait déjà"),
        "{}",
        status(&m)
    );
    assert_eq!(std::fs::read_to_string(&txt).unwrap(), "ma version annotée");
    assert!(
        std::fs::read(&pdf2).unwrap().starts_with(b"%PDF"),
        "a whole document"
    );
    assert!(docs.join("odj-brouillon-2026-12-2.txt").exists());

    // The minutes: a file of their name is already there (a copy someone
    // put back); closing writes beside it.
    let old_pv = docs.join("pv-2026-12.pdf");
    std::fs::write(&old_pv, "ancien procès-verbal").unwrap();
    // On the session's day, the draft sent, everyone present (R-GTS-1/3/6).
    let mut m = screens::meeting_day();
    press(&mut m, &["g", "<Enter>", "e"]);
    screens::everyone_present(&mut m);
    press(&mut m, &["F", "o"]);
    let pv = docs.join("pv-2026-12-2.txt");
    assert!(pv.exists(), "{}", status(&m));
    assert!(docs.join("pv-2026-12-2.pdf").exists());
    assert!(
        status(&m).contains(&pv.display().to_string()),
        "{}",
        status(&m)
    );
    assert!(status(&m).contains("existait déjà"), "{}", status(&m));
    assert_eq!(
        std::fs::read_to_string(&old_pv).unwrap(),
        "ancien procès-verbal"
    );
    // Nothing half-written left behind.
    let names: Vec<String> = std::fs::read_dir(&docs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}
