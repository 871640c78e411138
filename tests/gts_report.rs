//! The GTS documents: draft and final agendas and the minutes, as plain
//! text and PDF (R-GTS-3/5/6/7/8/9).

mod gts_common;

use assll::domain::agenda::*;
use assll::domain::gts::{Decision, GtsSession, Reply};
use assll::domain::measure::Contract;
use assll::domain::{Dataset, Reference};
use assll::report::*;
use gts_common::*;

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

fn page_count(pdf: &[u8]) -> usize {
    // "/Count N" of the page tree.
    let at = pdf
        .windows(7)
        .position(|w| w == b"/Count ")
        .expect("a page tree");
    let digits: Vec<u8> = pdf[at + 7..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    String::from_utf8(digits).unwrap().parse().unwrap()
}

/// Two sectors, three workers, four situations in January 2027, a waiting
/// list in Cognac.
fn scene() -> (Dataset, GtsSession, [Reference; 4]) {
    let mut data = base();
    let a = measure(
        &mut data,
        11,
        "Durand",
        COGNAC,
        LAURENT,
        d(2026, 8, 10),
        d(2027, 2, 10),
    );
    let b = measure(
        &mut data,
        12,
        "Lefèvre",
        COGNAC,
        BLANC,
        d(2026, 8, 10),
        d(2027, 2, 10),
    );
    let c = measure(
        &mut data,
        13,
        "Bœuf",
        RUFFEC,
        PETIT,
        d(2026, 8, 10),
        d(2027, 2, 10),
    );
    renewed_twice(&mut data, c);
    let e = measure(
        &mut data,
        14,
        "Garçon",
        COGNAC,
        LAURENT,
        d(2026, 11, 2),
        d(2027, 5, 2),
    );
    data.measures.get_mut(&e).unwrap().contract = Contract::NoContract {
        reason: "attend l'accord du curateur « ad hoc »".into(),
        date: d(2026, 12, 2),
    };
    waiting(&mut data, 20, "Éluard", COGNAC, d(2026, 10, 1));
    waiting(&mut data, 21, "Châtelain", COGNAC, d(2026, 11, 15));
    let (info, mut s) = january(&data);
    refresh_draft(&data, &info, &mut s, d(2027, 1, 4)).unwrap();
    (data, s, [a, b, c, e])
}

#[test]
fn r_gts_3_draft_agenda_text_lists_items_by_sector_and_worker() {
    let (data, mut s, [a, _b, c, _e]) = scene();
    send_draft(&mut s, d(2027, 1, 6)).unwrap();
    record_reply(&mut s, a, Reply::WillExamine, d(2027, 1, 11)).unwrap();
    let t = draft_agenda_text(&data, &s, false);
    for line in [
        "Ordre du jour brouillon",
        "Groupe Technique Social ASSLL — séance du jeudi 21 janvier 2027, au GIP",
        "Envoyé aux travailleurs sociaux le 06/01/2027",
        "4 situations inscrites.",
        "Ruffécois",
        "TS : Mme Petit",
        "  * 2026-0013 — BŒUF Émilie (Cognac)",
        "      Début 10/08/2026 · fin prévue 10/02/2027 · renouvellements 2/2",
        "      Inscrite : fin prévue le 10/02/2027",
        "Cognac",
        "TS : M. Blanc",
        "TS : Mme Laurent",
        "      Inscrite : pas de contrat : attend l'accord du curateur « ad hoc »",
        "      Réponse du TS le 11/01/2027 — hors délai : sera examinée",
    ] {
        assert!(
            t.lines().any(|l| l == line),
            "missing line {line:?} in\n{t}"
        );
    }
    // Ruffécois (sector 1) before Cognac (6); M. Blanc before Mme Laurent.
    let pos = |s: &str| t.find(s).unwrap();
    assert!(pos("Ruffécois") < pos("\nCognac"));
    assert!(pos("TS : M. Blanc") < pos("TS : Mme Laurent"));
    assert!(t.contains("Réponses attendues au plus tard le 08/01/2027 (R-GTS-4)"));
    let _ = c;
}

#[test]
fn r_gts_3_privacy_gives_initials_and_reference() {
    let (data, s, _) = scene();
    let t = draft_agenda_text(&data, &s, true);
    assert!(t.lines().any(|l| l == "  * D.É. 2026-0011"));
    assert!(!t.contains("DURAND"));
    assert!(!t.contains("Lefèvre") && !t.contains("LEFÈVRE"));
}

#[test]
fn r_gts_3_removed_items_are_shown_with_their_reason() {
    let (data, mut s, [a, ..]) = scene();
    remove_item(&mut s, a, "bilan présenté en décembre").unwrap();
    let t = draft_agenda_text(&data, &s, false);
    assert!(t.contains("3 situations inscrites."));
    assert!(t.contains("Situations retirées par le GIP"));
    assert!(
        t.lines()
            .any(|l| l == "      Retirée : bilan présenté en décembre")
    );
}

#[test]
fn r_gts_5_final_agenda_text_excludes_not_examined() {
    let (data, mut s, [a, b, ..]) = scene();
    send_draft(&mut s, d(2027, 1, 6)).unwrap();
    record_reply(
        &mut s,
        b,
        Reply::WillNotExamine {
            reason: "TS en arrêt maladie".into(),
        },
        d(2027, 1, 7),
    )
    .unwrap();
    send_final(&mut s, d(2027, 1, 13)).unwrap();
    let t = final_agenda_text(&data, &s, false);
    assert!(t.starts_with("Ordre du jour définitif\n"));
    assert!(t.contains("Envoyé aux partenaires le 13/01/2027"));
    assert!(t.contains("3 situations inscrites."));
    let examined = t
        .split("Situations qui ne seront pas examinées")
        .next()
        .unwrap();
    assert!(!examined.contains("2026-0012"));
    assert!(examined.contains(&a.to_string()));
    assert!(
        t.lines()
            .any(|l| l == "      Motif du TS : TS en arrêt maladie")
    );
}

/// The January meeting of the scene: attendance, four decisions, closed.
fn closed_meeting() -> (Dataset, GtsSession, [Reference; 4]) {
    let (mut data, mut s, refs) = scene();
    let [a, b, c, e] = refs;
    send_draft(&mut s, d(2027, 1, 6)).unwrap();
    send_final(&mut s, d(2027, 1, 13)).unwrap();
    add_attendee(&mut s, "Mme Garnier", "Conseil Général").unwrap();
    set_chair(&mut s, "Conseil Général — Mme Garnier").unwrap();
    add_attendee(&mut s, "M. Roy", "CAF").unwrap();
    add_attendee(&mut s, "Mme Lenoir", "Logélia").unwrap();
    add_attendee(&mut s, "M. Vidal", "Conseil Général").unwrap();
    set_present(&mut s, 3, false).unwrap();
    // The workers who present (R-GTS-6); M. Blanc is away.
    add_attendee(&mut s, "Mme Petit", "Conseil Général").unwrap();
    add_attendee(&mut s, "Mme Laurent", "Conseil Général").unwrap();
    let today = d(2027, 1, 21);
    let m = |r: Reference| data.measures[&r].clone();
    record_decision(&mut s, &m(a), Decision::Renew { months: 3 }, None, today).unwrap();
    record_decision(
        &mut s,
        &m(b),
        Decision::Stop,
        Some("Mme Laurent".into()),
        today,
    )
    .unwrap();
    assert!(record_decision(&mut s, &m(c), Decision::Renew { months: 2 }, None, today).is_err());
    record_decision(&mut s, &m(c), Decision::Stop, None, today).unwrap();
    record_decision(
        &mut s,
        &m(e),
        Decision::Postpone {
            reason: "contrat à signer la semaine prochaine".into(),
        },
        None,
        today,
    )
    .unwrap();
    let records = close_session(&data, &mut s, today).unwrap();
    for r in records {
        data.apply(r);
    }
    (data, s, refs)
}

#[test]
fn r_gts_7_minutes_text_lists_decisions_attendance_and_annex() {
    let (data, s, _) = closed_meeting();
    let t = minutes_text(&data, &s, false);
    for line in [
        "Procès-verbal",
        "Groupe Technique Social ASSLL — séance du jeudi 21 janvier 2027, au GIP",
        "Présidence : Conseil Général — Mme Garnier",
        "Procès-verbal à envoyer au plus tard le 22/01/2027 (R-GTS-9)",
        "    Conseil Général : Mme Garnier, Mme Petit, Mme Laurent",
        "    CAF : M. Roy",
        "    Logélia : Mme Lenoir",
        "Absents ou excusés",
        "Ruffécois — TS : Mme Petit",
        "Cognac — TS : M. Blanc",
        "    Conseil Général : M. Vidal",
        "3 situation(s) examinée(s) : 2 arrêt(s), 1 renouvellement(s) ; 1 reportée(s).",
        "  * 2026-0011 — DURAND Émilie (Cognac)",
        "      Décision : renouvellement de 3 mois — nouvelle fin prévue le 10/05/2027",
        "      Décision : arrêt de la mesure",
        "      Présentée par : Mme Laurent, collègue, à la place de M. Blanc (R-GTS-6)",
        "      Présentée par : Mme Petit, TS en charge",
        "Situations reportées au prochain GTS",
        "      Motif du report : contrat à signer la semaine prochaine",
        "Annexe — listes d'attente et mesures en cours par circonscription (R-GTS-8)",
        "Cognac — charge 2/30",
        "Liste d'attente : 2",
        "    1. 2026-0020 — ÉLUARD Jean (Cognac) — commande du 01/10/2026, 112 j,",
        "      Début 10/08/2026 · fin prévue 10/02/2027 · renouvellements 0/2",
        "      Inscrite : fin prévue le 10/02/2027",
        "Mesures en cours : 2",
    ] {
        assert!(
            t.lines().any(|l| l == line),
            "missing line {line:?} in\n{t}"
        );
    }
    assert!(
        t.lines()
            .any(|l| l == "      Renouvellements après décision : 1/2")
    );
    // The annex shows the measures after the decisions: the stopped ones are gone.
    let annex = t.split("Annexe").nth(1).unwrap();
    assert!(!annex.contains("2026-0012"));
    assert!(annex.contains("fin prévue 10/05/2027 · renouvellements 1/2"));
}

#[test]
fn r_gts_7_minutes_list_not_examined_and_added_items() {
    let (mut data, mut s, [a, b, ..]) = scene();
    let extra = measure(
        &mut data,
        30,
        "Roux",
        COGNAC,
        LAURENT,
        d(2026, 11, 2),
        d(2027, 5, 2),
    );
    add_item(&data, &mut s, extra, "impayés en hausse").unwrap();
    send_draft(&mut s, d(2027, 1, 6)).unwrap();
    record_reply(
        &mut s,
        b,
        Reply::WillNotExamine {
            reason: "bilan non rédigé".into(),
        },
        d(2027, 1, 7),
    )
    .unwrap();
    send_final(&mut s, d(2027, 1, 13)).unwrap();
    let m = data.measures[&a].clone();
    record_decision(&mut s, &m, Decision::Stop, None, d(2027, 1, 21)).unwrap();
    let t = minutes_text(&data, &s, false);
    assert!(t.contains("Projet : la séance n'est pas encore close"));
    assert!(t.contains("Situations non examinées"));
    assert!(
        t.lines()
            .any(|l| l == "      Motif du TS : bilan non rédigé")
    );
    assert!(t.contains("Non examinée en séance : inscrite d'office au prochain GTS"));
    assert!(t.contains("Situations ajoutées à l'ordre du jour"));
    assert!(
        t.lines()
            .any(|l| l == "      ajoutée par le GIP : impayés en hausse")
    );
}

#[test]
fn r_gts_9_minutes_pdf_prints_accents_in_winansi() {
    let (data, s, _) = closed_meeting();
    let pdf = minutes_pdf(&data, &s, false);
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.ends_with(b"%%EOF") || pdf.ends_with(b"%%EOF\n"));
    assert_eq!(count(&pdf, b"/BaseFont /Helvetica"), 2);
    assert_eq!(count(&pdf, b"/Encoding /WinAnsiEncoding"), 2);
    // Uncompressed content: the WinAnsi bytes of accented words are there.
    assert!(count(&pdf, b"Proc\xe8s-verbal") >= 1);
    assert!(count(&pdf, b"Pr\xe9sidence") == 1);
    assert!(count(&pdf, b"B\x8cUF") >= 1, "Œ is 0x8C");
    assert!(count(&pdf, b"\xab ad hoc \xbb") + count(&pdf, b"\xe0 signer") >= 1);
    // No UTF-8 leaks into the page text.
    assert_eq!(count(&pdf, "è".as_bytes()), 0);
}

#[test]
fn r_gts_3_agenda_pdfs_are_valid_and_paged() {
    let (data, s, _) = scene();
    let pdf = draft_agenda_pdf(&data, &s, false);
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(page_count(&pdf), 1);
    assert_eq!(count(&pdf, b"(page 1 / 1)"), 1);
    assert!(count(&pdf, b"Ordre du jour brouillon") >= 1);
    let pdf = final_agenda_pdf(&data, &s, true);
    assert!(count(&pdf, b"Ordre du jour d\xe9finitif") >= 1);
    assert_eq!(count(&pdf, b"DURAND"), 0, "privacy hides names");
}

#[test]
fn r_gts_3_long_agenda_runs_over_several_numbered_pages() {
    let mut data = base();
    for n in 1..=120 {
        let (sector, worker) = if n % 2 == 0 {
            (COGNAC, LAURENT)
        } else {
            (RUFFEC, PETIT)
        };
        measure(
            &mut data,
            n,
            "Ménage",
            sector,
            worker,
            d(2026, 8, 10),
            d(2027, 2, 10),
        );
    }
    let (info, mut s) = january(&data);
    refresh_draft(&data, &info, &mut s, d(2027, 1, 4)).unwrap();
    assert_eq!(s.agenda.len(), 120);
    let pdf = draft_agenda_pdf(&data, &s, false);
    let pages = page_count(&pdf);
    // 120 entries of 3 lines: about 18 a page.
    assert!((6..=8).contains(&pages), "{pages} pages");
    for p in 1..=pages {
        let label = format!("(page {p} / {pages})");
        assert_eq!(count(&pdf, label.as_bytes()), 1, "{label}");
    }
    let t = draft_agenda_text(&data, &s, false);
    assert!(t.contains("120 situations inscrites."));
}
