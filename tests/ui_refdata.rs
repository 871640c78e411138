//! The « Référentiel » screen (R): the GIP edits sectors and norms,
//! workers, the commune → sector table and the GTS members, each change a
//! command through `Model::execute` (the rules are in tests/rules.rs);
//! the other roles read. Snapshots at 80×24 and 120×40, and in ASCII.

mod screens;

use assll::app::sample::{press, status, type_text};
use assll::app::{MemoryPersist, Model, Overlay, Screen};
use assll::domain::SectorId;
use assll::domain::command::Role;
use screens::{refdata_screens, render};
use std::sync::Arc;

fn setup() -> (Model, Arc<MemoryPersist>) {
    let p = Arc::new(MemoryPersist::default());
    let mut m = screens::model();
    m.persist = Box::new(Arc::clone(&p));
    (m, p)
}

fn changes(p: &MemoryPersist) -> usize {
    p.changes.lock().unwrap().len()
}

fn form_error(m: &Model, key: &str) -> Option<String> {
    match &m.overlay {
        Some(Overlay::Form(f)) => f.field(key).and_then(|x| x.error.clone()),
        _ => None,
    }
}

#[test]
fn snapshots_80x24_and_120x40() {
    for (name, m) in refdata_screens() {
        insta::assert_snapshot!(format!("{name}_80x24"), render(&m, 80, 24));
        insta::assert_snapshot!(format!("{name}_120x40"), render(&m, 120, 40));
    }
}

#[test]
fn ascii_mode_shows_no_unicode() {
    for (name, mut m) in refdata_screens() {
        m.config.unicode = false;
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = render(&m, w, h);
            // Letters keep their accents (fold_ascii); symbols do not stay.
            assert!(
                screen
                    .lines()
                    .all(|l| l.chars().all(assll::ui::theme::ascii_or_letter)),
                "{name} {w}x{h} not ASCII:\n{}",
                screen
                    .lines()
                    .filter(|l| !l.chars().all(assll::ui::theme::ascii_or_letter))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
}

#[test]
fn r_cap_1_an_edited_fte_changes_the_capacity_and_below_the_load_is_said() {
    let (mut m, p) = setup();
    press(&mut m, &["R"]);
    assert_eq!(m.screen, Screen::Refdata);
    // Charente-Limousine: 0,5 ETP, its load over 14 in the demo.
    press(&mut m, &["<Down>", "<Enter>", "<Tab>", "<Backspace>"]);
    type_text(&mut m, "25");
    let screen = render(&m, 80, 24);
    assert!(screen.contains("capacité 7"), "{screen}");
    assert!(screen.contains("au-delà de la capacité"), "{screen}");
    press(&mut m, &["<Enter>"]);
    assert!(status(&m).starts_with("Enregistré ✓"), "{}", status(&m));
    assert_eq!(changes(&p), 1);
    assert_eq!(m.data.sectors[&SectorId(2)].fte_hundredths, 25);
    assert_eq!(m.derived.load(SectorId(2)).unwrap().capacity, 7);
    let screen = render(&m, 80, 24);
    assert!(screen.contains("/7   ▲"), "{screen}");
}

#[test]
fn fte_11_and_norms_0_are_refused_beside_their_field_and_nothing_is_saved() {
    let (mut m, p) = setup();
    press(
        &mut m,
        &[
            "R",
            "<Enter>",
            "<Tab>",
            "<Backspace>",
            "<Backspace>",
            "<Backspace>",
        ],
    );
    type_text(&mut m, "11");
    press(&mut m, &["<Enter>"]);
    let e = form_error(&m, "fte").expect("refused");
    assert!(e.contains("11 ETP refusé : de 0 à 10 ETP"), "{e}");
    press(&mut m, &["<Esc>", "<Enter>"]);
    assert!(m.overlay.is_none());
    press(&mut m, &["N", "<Backspace>", "<Backspace>"]);
    type_text(&mut m, "0");
    press(&mut m, &["<Enter>"]);
    let e = form_error(&m, "urban").expect("refused");
    assert!(e.contains("norme nulle refusée"), "{e}");
    assert_eq!(changes(&p), 0);
}

#[test]
fn a_worker_is_added_then_a_taken_login_is_refused() {
    let (mut m, p) = setup();
    let before = m.data.workers.len();
    let taken = m
        .data
        .workers
        .values()
        .find(|w| !w.login.is_empty())
        .cloned();
    press(&mut m, &["R", "<Tab>", "n"]);
    type_text(&mut m, "Mme Nouvelle");
    // Employer, then the sectors: tick the first.
    press(&mut m, &["<Tab>", "<Tab>", "<Space>", "<Tab>"]);
    type_text(&mut m, "0,5");
    press(&mut m, &["<Tab>"]);
    type_text(&mut m, "mnouvelle");
    press(&mut m, &["<Tab>"]);
    type_text(&mut m, "01/12/2026");
    press(&mut m, &["<Tab>"]);
    type_text(&mut m, "30/11/2026");
    press(&mut m, &["<Enter>"]);
    let e = form_error(&m, "left").expect("departure before arrival");
    assert!(e.contains("avant l'arrivée"), "{e}");
    for _ in 0..10 {
        press(&mut m, &["<Backspace>"]);
    }
    press(&mut m, &["<Enter>"]);
    assert!(
        status(&m).contains("Mme Nouvelle ajouté·e"),
        "{}",
        status(&m)
    );
    assert_eq!(m.data.workers.len(), before + 1);
    let new = m
        .data
        .workers
        .values()
        .find(|w| w.name == "Mme Nouvelle")
        .unwrap();
    assert_eq!(new.sectors, vec![SectorId(1)]);
    assert_eq!(new.fte_hundredths, 50);
    assert_eq!(changes(&p), 1);
    // The same login as a colleague's: refused beside the field.
    if let Some(taken) = taken {
        press(&mut m, &["n"]);
        type_text(&mut m, "M. Doublon");
        press(&mut m, &["<Tab>", "<Tab>", "<Space>", "<Tab>"]);
        type_text(&mut m, "1");
        press(&mut m, &["<Tab>"]);
        type_text(&mut m, &taken.login);
        press(&mut m, &["<Enter>"]);
        let e = form_error(&m, "login").expect("login taken");
        assert!(e.contains("déjà pris"), "{e}");
        assert_eq!(changes(&p), 1);
    }
}

#[test]
fn a_worker_with_no_sector_is_refused() {
    let (mut m, _p) = setup();
    press(&mut m, &["R", "<Tab>", "n"]);
    type_text(&mut m, "M. Sans Secteur");
    press(&mut m, &["<Tab>", "<Tab>", "<Tab>"]);
    type_text(&mut m, "1");
    press(&mut m, &["<Enter>"]);
    let e = form_error(&m, "sectors").expect("refused");
    assert!(e.contains("au moins un secteur"), "{e}");
    assert!(!m.data.workers.values().any(|w| w.name == "M. Sans Secteur"));
}

#[test]
fn others_read_the_screen_and_cannot_edit() {
    let (mut m, p) = setup();
    m.role = Role::ReadOnly;
    press(&mut m, &["R"]);
    assert!(render(&m, 80, 24).contains("(lecture seule)"));
    for keys in [
        &["<Enter>"][..],
        &["N"],
        &["<Tab>", "n"],
        &["<Tab>", "<Tab>", "o"],
        &["<S-Tab>", "x"],
    ] {
        m.refdata = Default::default();
        press(&mut m, keys);
        assert!(m.overlay.is_none());
        assert!(status(&m).contains("seul le GIP"), "{}", status(&m));
    }
    assert_eq!(changes(&p), 0);
}

#[test]
fn a_confirmed_commune_gives_the_new_referral_its_sector() {
    let (mut m, p) = setup();
    let (confirmed, _) = assll::app::refdata::commune_counts(&m);
    press(&mut m, &["R", "<Tab>", "<Tab>", "/"]);
    type_text(&mut m, "16167");
    press(&mut m, &["<Enter>", "<Enter>"]);
    // Jarnac (suggested: Jarnac) confirmed in Cognac instead.
    let cognac = m
        .data
        .sectors
        .keys()
        .position(|s| *s == SectorId(6))
        .unwrap();
    let jarnac = m
        .data
        .sectors
        .keys()
        .position(|s| *s == SectorId(8))
        .unwrap();
    for _ in jarnac..cognac + m.data.sectors.len() + 1 {
        press(&mut m, &["<Right>"]);
    }
    press(&mut m, &["<Enter>"]);
    assert!(
        status(&m).contains("confirmée dans le secteur Cognac"),
        "{}",
        status(&m)
    );
    assert_eq!(changes(&p), 1);
    assert_eq!(assll::app::refdata::commune_counts(&m).0, confirmed);
    assert_eq!(m.data.commune_sectors["16167"], SectorId(6));
    // The new referral's commune field: Jarnac → Cognac.
    press(&mut m, &["<Esc>", "<Esc>", "c", "<Tab>", "<Tab>", "<Tab>"]);
    type_text(&mut m, "Jarnac");
    press(&mut m, &["<Tab>"]);
    let form = m.referral_form.as_ref().unwrap();
    assert_eq!(form.choice("sector"), cognac, "{}", status(&m));
    assert!(status(&m).contains("Secteur Cognac d'après la commune Jarnac"));
}

#[test]
fn o_confirms_the_suggestion_and_the_count_follows() {
    let (mut m, _p) = setup();
    let (confirmed, left) = assll::app::refdata::commune_counts(&m);
    press(&mut m, &["R", "<Tab>", "<Tab>", "/"]);
    type_text(&mut m, "chabanais");
    press(&mut m, &["<Enter>", "o"]);
    assert!(status(&m).starts_with("Enregistré ✓"), "{}", status(&m));
    assert_eq!(
        assll::app::refdata::commune_counts(&m),
        (confirmed + 1, left - 1)
    );
    assert!(render(&m, 80, 24).contains(&format!("{} confirmées", confirmed + 1)));
}

#[test]
fn r_gts_1_members_added_and_removed_from_the_screen_name_the_attendance() {
    let (mut m, p) = setup();
    m.data_mut().gts_members.clear();
    m.refresh();
    press(&mut m, &["R", "<S-Tab>", "n"]);
    // The first employer without a member is proposed.
    match &m.overlay {
        Some(Overlay::Form(f)) => assert_eq!(f.text("organisation"), "Conseil Général"),
        _ => panic!("no form"),
    }
    type_text(&mut m, "Mme Dumas");
    press(&mut m, &["<Enter>"]);
    assert!(
        status(&m).contains("membres du GTS : 1 membre"),
        "{}",
        status(&m)
    );
    press(&mut m, &["n"]);
    type_text(&mut m, "M. Autre");
    press(&mut m, &["<Tab>"]);
    for _ in 0..3 {
        press(&mut m, &["<Backspace>"]);
    }
    type_text(&mut m, "Conseil Général");
    press(&mut m, &["<Enter>"]);
    let e = form_error(&m, "organisation").expect("one per organisation");
    assert!(e.contains("R-GTS-1"), "{e}");
    press(&mut m, &["<Esc>", "<Enter>"]);
    let att = assll::domain::agenda::default_attendance(
        &m.data,
        &assll::domain::GtsSession::new(2026, 12),
    );
    assert_eq!(att[0].name, "Mme Dumas");
    press(&mut m, &["x"]);
    assert!(m.data.gts_members.is_empty());
    assert_eq!(changes(&p), 2);
}
