//! The command line as a script would drive it.

use std::path::Path;
use std::process::{Command, Output};

const TODAY: &str = "2026-11-27";

fn assll(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_assll"))
        .args(args)
        .env("ASSLL_TODAY", TODAY)
        .env_remove("ASSLL_DB")
        .output()
        .expect("run assll")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn demo_db(dir: &Path) -> String {
    let db = dir.join("base").display().to_string();
    let out = assll(&["demo", "--db", &db]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    db
}

#[test]
fn demo_is_deterministic_and_refuses_a_non_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let again = assll(&["demo", "--db", &db]);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("n'est pas vide"),
        "{}",
        text(&again.stderr)
    );
    let db2 = dir.path().join("autre").display().to_string();
    assert!(assll(&["demo", "--db", &db2]).status.success());
    let a = assll(&["export", "--db", &db]).stdout;
    let b = assll(&["export", "--db", &db2]).stdout;
    assert!(!a.is_empty());
    assert_eq!(a, b, "same seed and date, same data");
}

#[test]
fn export_import_export_gives_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let first = assll(&["export", "--db", &db]);
    assert!(first.status.success());
    let file = dir.path().join("export.json");
    std::fs::write(&file, &first.stdout).unwrap();
    let db2 = dir.path().join("copie").display().to_string();
    let imp = assll(&["import", "--db", &db2, file.to_str().unwrap()]);
    assert!(imp.status.success(), "{}", text(&imp.stderr));
    let second = assll(&["export", "--db", &db2]);
    assert_eq!(first.stdout, second.stdout);
    // Importing into a database that is not empty is refused.
    let again = assll(&["import", "--db", &db2, file.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("n'est pas vide"));
}

#[test]
fn import_of_bad_input_says_line_and_reason_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let good = text(&assll(&["export", "--db", &db]).stdout);
    let target = dir.path().join("neuve").display().to_string();

    // Broken JSON.
    let broken = dir.path().join("casse.json");
    std::fs::write(&broken, &good[..good.len() / 2]).unwrap();
    let out = assll(&["import", "--db", &target, broken.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("ligne"), "{err}");
    assert!(err.contains("Rien n'a été écrit"), "{err}");

    // A rule violated: urgency from a landlord (R-REF-6).
    let pos = good.find("\"urgent\": false").expect("a referral");
    let mut bad = good.clone();
    bad.replace_range(pos..pos + "\"urgent\": false".len(), "\"urgent\": true");
    let f = dir.path().join("urgence.json");
    std::fs::write(&f, bad).unwrap();
    let out = assll(&["import", "--db", &target, f.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("ligne"), "{err}");

    // Nothing was written by either attempt.
    let check = assll(&["export", "--db", &target]);
    let exported = text(&check.stdout);
    assert!(
        !exported.contains("\"reference\""),
        "the database received records: {exported}"
    );
}

#[test]
fn check_is_clean_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let out = assll(&["check", "--db", &db]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("0 erreur(s)"));
}

#[test]
fn a_database_in_use_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let _held = assll::store::Store::open(Path::new(&db)).unwrap();
    let out = assll(&["check", "--db", &db]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("déjà ouverte"), "{err}");
    assert!(err.contains(&db), "{err}");
    assert!(!err.contains("Io(") && !err.contains("panicked"), "{err}");
}

#[test]
fn r_gts_1_calendar_json_has_the_documented_fields() {
    let out = assll(&["gts", "calendar", "2030", "--json"]);
    assert!(out.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 12);
    let aug = &rows[7];
    assert_eq!(aug["date"], "2030-08-15");
    assert_eq!(aug["holiday"], "Assomption");
    assert_eq!(aug["status"], "planned");
    for key in [
        "date",
        "draft_agenda_due",
        "replies_due",
        "final_agenda_due",
        "minutes_due",
        "holiday",
        "status",
    ] {
        assert!(aug.get(key).is_some(), "missing {key}");
    }
    assert!(rows[0]["holiday"].is_null());
    let jan27 = assll(&["gts", "calendar", "2027", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&jan27.stdout).unwrap();
    assert_eq!(rows[0]["date"], "2027-01-21");
    assert_eq!(rows[0]["draft_agenda_due"], "2027-01-06");
    assert_eq!(rows[0]["replies_due"], "2027-01-08");
    assert_eq!(rows[0]["final_agenda_due"], "2027-01-13");
    assert_eq!(rows[0]["minutes_due"], "2027-01-22");
}

#[test]
fn bad_date_is_refused_in_french() {
    let out = Command::new(env!("CARGO_BIN_EXE_assll"))
        .args(["--today", "31/02/2026", "gts", "calendar", "2027"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("invalide"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn audit_lists_who_changed_or_read_what() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    assert!(assll(&["export", "--db", &db]).status.success());
    let out = assll(&["audit", "--db", &db]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_string).collect();
    assert!(lines.len() >= 2, "{lines:?}");
    // The export, a read of every household, is the last entry.
    let last = lines.last().unwrap();
    assert!(last.contains("export de toute la base"), "{last}");
    let only_last = assll(&["audit", "--db", &db, "--last", "1"]);
    assert_eq!(text(&only_last.stdout).trim_end(), last.as_str());
    let nobody = assll(&["audit", "--db", &db, "--who", "personne-inconnue"]);
    assert!(text(&nobody.stdout).is_empty());
}

/// The audit's author is the real user of the process, never what the
/// environment claims.
#[cfg(unix)]
#[test]
fn the_audit_author_comes_from_the_uid_not_from_user() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("base");
    let out = Command::new(env!("CARGO_BIN_EXE_assll"))
        .args(["demo", "--db", db.to_str().unwrap()])
        .env("ASSLL_TODAY", TODAY)
        .env("USER", "mallory")
        .env("LOGNAME", "mallory")
        .env("USERNAME", "mallory")
        .output()
        .expect("run assll");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let store = assll::store::Store::open(&db).unwrap();
    let audit = store.audit().unwrap();
    assert!(!audit.is_empty());
    let me = assll::identity::current_user();
    assert_ne!(me, "mallory");
    // An independent opinion, where `id` is installed.
    if let Ok(id) = Command::new("id").arg("-un").output()
        && id.status.success()
    {
        assert_eq!(me, text(&id.stdout).trim());
    }
    for e in &audit {
        assert_eq!(e.who, me, "{e:?}");
    }
}

/// Every mode under `root` (itself included), as (path, mode & 0o777).
#[cfg(unix)]
fn modes(root: &Path) -> Vec<(std::path::PathBuf, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(p) = todo.pop() {
        let m = std::fs::symlink_metadata(&p).unwrap();
        if m.is_dir() {
            todo.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        }
        out.push((p, m.permissions().mode() & 0o777));
    }
    out
}

/// A new base is its owner's only: the folder 0700, every file 0600.
#[cfg(unix)]
#[test]
fn a_new_base_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let all = modes(Path::new(&db));
    assert!(all.len() > 1, "{all:?}");
    for (p, mode) in all {
        let want = if p.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode, want, "{}", p.display());
    }
}

/// A base made readable by all (an older assll, a copy by hand) is
/// tightened when it is opened.
#[cfg(unix)]
#[test]
fn an_existing_base_open_to_all_is_tightened_on_open() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    for (p, _) in modes(Path::new(&db)) {
        let loose = if p.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(loose)).unwrap();
    }
    // Through the library: no umask from main here.
    drop(assll::store::Store::open(Path::new(&db)).unwrap());
    for (p, mode) in modes(Path::new(&db)) {
        let want = if p.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode, want, "{}", p.display());
    }
}

#[test]
fn a_mistyped_db_is_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("bsae");
    let typo_s = typo.display().to_string();
    for args in [
        vec!["check", "--db", &typo_s],
        vec!["export", "--db", &typo_s],
        vec!["tableau", "--db", &typo_s],
        vec!["audit", "--db", &typo_s],
        vec!["serve", "--db", &typo_s],
    ] {
        let out = assll(&args);
        assert!(!out.status.success(), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains("Aucune base à"), "{args:?}: {err}");
        assert!(!typo.exists(), "{args:?} created {typo_s}");
    }
}

#[test]
fn stats_prints_a_french_table_and_a_semicolon_csv() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let out = assll(&["stats", "2026", "--db", &db]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(
        t.starts_with("Statistiques ASSLL — Exercice 2026 (du 01/01/2026 au 27/11/2026)"),
        "{t}"
    );
    assert!(t.contains("Total GIP"), "{t}");
    assert!(t.contains("Cognac"), "{t}");
    assert!(t.contains("Échéances tenues / dues"), "{t}");
    let out = assll(&["stats", "2026", "--csv", "--db", &db]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("Niveau;Circonscription;TS;Mesures suivies;Nouvelles commandes"));
    let width = lines[0].split(';').count();
    assert_eq!(width, 25);
    // One line per (worker, sector), nine sector lines, one total.
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("Circonscription;"))
            .count(),
        9
    );
    let total: Vec<&str> = lines.last().unwrap().split(';').collect();
    assert_eq!(total[0], "Total GIP");
    assert!(lines.iter().any(|l| l.starts_with("TS;Cognac;")));
    // Every line has the header's columns (no stray semicolon).
    for l in &lines {
        assert!(l.split(';').count() >= width, "{l}");
    }
    // The total's figures are the sectors' sums where nothing is shared.
    let col = |name: &str| lines[0].split(';').position(|h| h == name).unwrap();
    let sum: i64 = lines
        .iter()
        .filter(|l| l.starts_with("Circonscription;"))
        .map(|l| {
            l.split(';')
                .nth(col("Démarrages"))
                .unwrap()
                .parse::<i64>()
                .unwrap()
        })
        .sum();
    assert_eq!(total[col("Démarrages")].parse::<i64>().unwrap(), sum);
    assert!(sum > 0);
}

#[test]
fn stats_refuses_a_year_outside_2000_2100_in_french() {
    for year in ["1999", "2101", "-5"] {
        let out = assll(&["stats", year]);
        assert_eq!(out.status.code(), Some(1), "{year}");
        let err = text(&out.stderr);
        assert!(err.contains("un exercice va de 2000 à 2100"), "{err}");
    }
    let out = assll(&["stats", "deux-mille"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn stats_rapport_writes_pdf_text_and_ods_in_the_documents_folder() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let docs = dir.path().join("docs");
    let out = Command::new(env!("CARGO_BIN_EXE_assll"))
        .args(["stats", "2026", "--rapport", "--db", &db])
        .env("ASSLL_TODAY", TODAY)
        .env("ASSLL_DOCS", &docs)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("rapport-annuel-2026.ods"));
    let ods = std::fs::read(docs.join("rapport-annuel-2026.ods")).unwrap();
    assert_eq!(&ods[30..38], b"mimetype");
    assert_eq!(u16::from_le_bytes([ods[8], ods[9]]), 0, "mimetype stored");
    let body = String::from_utf8_lossy(&ods);
    assert!(body.contains("<table:table table:name=\"Statistiques 2026\">"));
    assert!(body.contains("<text:p>Total GIP</text:p>"));
    // content.xml holds the CSV's figures, row for row, cell for cell.
    let csv = text(&assll(&["stats", "2026", "--csv", "--db", &db]).stdout);
    let xml = &body[body.find("<office:document-content").unwrap()..];
    let xml_rows: Vec<Vec<String>> = xml
        .split("<table:table-row>")
        .skip(1)
        .map(|row| {
            let row = &row[..row.find("</table:table-row>").unwrap()];
            let mut cells = Vec::new();
            let mut rest = row;
            while let Some(i) = rest.find("<table:table-cell") {
                rest = &rest[i..];
                if rest.starts_with("<table:table-cell/>") {
                    cells.push(String::new());
                    rest = &rest[1..];
                    continue;
                }
                let p = rest.find("<text:p>").unwrap() + 8;
                let e = rest.find("</text:p>").unwrap();
                cells.push(rest[p..e].replace("&apos;", "'").replace("&amp;", "&"));
                rest = &rest[e..];
            }
            cells
        })
        .collect();
    let csv_rows: Vec<Vec<String>> = csv
        .lines()
        .map(|l| {
            // No field of the demo is quoted but the reasons, last.
            let mut f: Vec<String> = Vec::new();
            let (head, reasons) = match l.find('"') {
                Some(q) => (&l[..q], Some(l[q + 1..l.len() - 1].replace("\"\"", "\""))),
                None => (l, None),
            };
            f.extend(head.split(';').map(str::to_string));
            if let Some(r) = reasons {
                f.pop();
                f.push(r);
            }
            f
        })
        .collect();
    assert_eq!(xml_rows, csv_rows);
    let txt = std::fs::read_to_string(docs.join("rapport-annuel-2026.txt")).unwrap();
    assert!(txt.starts_with("Rapport annuel ASSLL 2026"));
    assert!(
        std::fs::read(docs.join("rapport-annuel-2026.pdf"))
            .unwrap()
            .starts_with(b"%PDF")
    );
    // Again: the first is kept, the second numbered.
    let again = Command::new(env!("CARGO_BIN_EXE_assll"))
        .args(["stats", "2026", "--rapport", "--db", &db])
        .env("ASSLL_TODAY", TODAY)
        .env("ASSLL_DOCS", &docs)
        .output()
        .unwrap();
    assert!(text(&again.stdout).contains("rapport-annuel-2026-2.ods"));
}
