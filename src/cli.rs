//! The command line: opens the application, or runs a subcommand that a
//! script (or the GIP's nightly job) can drive. Help text in French.

use crate::domain::Dataset;
use crate::domain::calendar::{countdown, fr_date, weekday_short};
use crate::domain::gts::{SessionStatus, next_session, year_calendar};
use crate::remote::Request;
use crate::store::{Replace, Store, StoreError};
use chrono::{Local, NaiveDate, NaiveDateTime};
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "assll",
    version,
    about = "ASSLL Charente : commandes, listes d'attente, mesures et GTS",
    long_about = "ASSLL Charente : accompagnement social spécifique lié au logement.\n\
                  Sans sous-commande, ouvre l'application plein écran sur la base.",
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    /// Ouvre l'application sur une base de démonstration neuve, dans un
    /// dossier temporaire effacé à la sortie.
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Chemin de la base (par défaut : dossier de données de l'utilisateur).
    #[arg(long, global = true, env = "ASSLL_DB", value_name = "CHEMIN")]
    pub db: Option<PathBuf>,
    /// Fait tout comme si l'on était à cette date (AAAA-MM-JJ ou JJ/MM/AAAA) :
    /// tests, formation, démonstrations reproductibles.
    #[arg(long, global = true, env = "ASSLL_TODAY", value_name = "DATE", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Écrit le jeu de démonstration (personnes fictives) dans une base vide.
    Demo {
        /// Nombre de ménages.
        #[arg(long, default_value_t = crate::demo::DEFAULT_HOUSEHOLDS)]
        households: usize,
        /// Graine : même graine et même date, même jeu de données.
        #[arg(long, default_value_t = crate::demo::DEFAULT_SEED)]
        seed: u64,
    },
    /// Écrit toute la base en JSON sur la sortie standard (voir docs/export.md).
    Export,
    /// Charge un fichier JSON d'export dans une base vide.
    Import {
        /// Fichier JSON produit par `assll export`.
        file: PathBuf,
    },
    /// Relit chaque enregistrement, vérifie les références et les règles,
    /// et que la base n'a perdu aucune modification enregistrée.
    Check {
        /// Prend la base telle qu'elle est pour référence (après une perte
        /// constatée et acceptée faute de sauvegarde, ou un fichier de
        /// contrôle perdu) ; inscrit au journal d'audit.
        #[arg(long)]
        resceller: bool,
    },
    /// Copie cohérente de toute la base dans un fichier (aussi pendant que
    /// `assll serve` tourne), vérifiée après écriture.
    Backup {
        /// Fichier de sauvegarde à écrire (ne doit pas exister).
        dest: PathBuf,
    },
    /// Remet une sauvegarde en place comme base (vérifiée d'abord ; la base
    /// remplacée est gardée à côté).
    Restore {
        /// Fichier écrit par `assll backup`.
        sauvegarde: PathBuf,
        /// Remplace une base qui n'est pas vide (elle est gardée à côté,
        /// renommée).
        #[arg(long)]
        remplacer: bool,
    },
    /// Ouvre la base pour plusieurs personnes à la fois : `assll` s'y
    /// attache ensuite (une session par personne, identifiée par le système).
    Serve,
    /// Les comptes de ceux qui s'attachent à la base partagée (le GIP).
    Compte {
        #[command(subcommand)]
        command: AccountCommand,
    },
    /// Le journal d'audit : qui a modifié ou consulté quoi, et quand.
    Audit {
        /// Seulement les N dernières entrées.
        #[arg(long, value_name = "N")]
        last: Option<usize>,
        /// Seulement les entrées de cet utilisateur.
        #[arg(long, value_name = "NOM")]
        who: Option<String>,
    },
    /// Affiche le tableau de bord en texte (charge, listes d'attente, GTS).
    Tableau,
    /// Les statistiques d'un exercice (année civile) : par TS et
    /// circonscription, par circonscription et pour le GIP (R-STAT-1/2 ;
    /// définitions dans docs/statistics.md).
    Stats {
        /// Année de l'exercice (2000 à 2100), par exemple 2027.
        #[arg(value_name = "ANNÉE", allow_negative_numbers = true)]
        year: i64,
        /// Sortie CSV (séparateur point-virgule, une ligne d'en-tête).
        #[arg(long)]
        csv: bool,
        /// Écrit le rapport annuel (PDF, texte et tableur ODS) dans le
        /// dossier des documents et en donne les chemins.
        #[arg(long, conflicts_with = "csv")]
        rapport: bool,
    },
    /// Le GTS (Groupe Technique Social).
    Gts {
        #[command(subcommand)]
        command: GtsCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Les comptes et leurs rôles.
    Liste,
    /// Donne un rôle à un nom de connexion du système.
    Donner {
        /// Nom de connexion (login) de la personne sur ce système.
        login: String,
        /// gip, ts, employeur, lecture, ou aucun (retire l'accès).
        role: String,
        /// Pour le rôle ts : le numéro de la ou du TS (voir `assll export`).
        #[arg(long, value_name = "N")]
        ts: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum GtsCommand {
    /// Les séances d'une année avec leurs échéances (R-GTS-1…9).
    Calendar {
        /// Année, par exemple 2027.
        year: u16,
        /// Sortie JSON (une ligne par séance dans un tableau).
        #[arg(long)]
        json: bool,
    },
}

/// Parses `2026-11-27` or `27/11/2026`.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .map_err(|_| format!("date « {s} » invalide : attendu AAAA-MM-JJ ou JJ/MM/AAAA"))
}

/// The default database path, in the user's data folder.
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("fr", "GIP Charente", "assll")
        .map(|d| d.data_dir().join("base"))
        .unwrap_or_else(|| PathBuf::from("assll-base"))
}

fn now_at(today: NaiveDate) -> NaiveDateTime {
    today.and_time(Local::now().time())
}

/// A failure to report: French message, exit code.
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure {
            message: e.to_string(),
            code: 1,
        }
    }
}

fn fail(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        code: 1,
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(f) => {
            eprintln!("assll : {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let today = cli
        .global
        .today
        .unwrap_or_else(|| Local::now().date_naive());
    let db = cli.global.db.clone();
    let need_db = |db: &Option<PathBuf>| -> Result<PathBuf, Failure> {
        db.clone()
            .ok_or_else(|| fail("indiquez la base avec --db CHEMIN (ou ASSLL_DB)"))
    };
    match cli.command {
        None => {
            if cli.demo {
                let mut builder = tempfile::Builder::new();
                builder.prefix("assll-demo-");
                #[cfg(unix)]
                builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
                let dir = builder
                    .tempdir()
                    .map_err(|e| fail(format!("dossier temporaire impossible : {e}")))?;
                let path = dir.path().join("base");
                let store = Store::open(&path)?;
                write_demo(
                    &store,
                    today,
                    crate::demo::DEFAULT_HOUSEHOLDS,
                    crate::demo::DEFAULT_SEED,
                )?;
                open_app(store, today)
            } else {
                let path = db.unwrap_or_else(default_db_path);
                // A server holds the base: attach to it.
                if crate::remote::server_running(&path) {
                    let ending = crate::remote::attach(
                        &crate::remote::socket_path(&path),
                        crate::remote::Hello::from_env(),
                    )
                    .map_err(|e| fail(format!("connexion au serveur impossible : {e}")))?;
                    return Ok(ExitCode::from(ending.exit_code()));
                }
                if crate::remote::server_out_of_reach(&path) {
                    return Err(out_of_reach(&path));
                }
                let store = Store::open(&path)?;
                open_app(store, today)
            }
        }
        Some(Command::Demo { households, seed }) => {
            let path = need_db(&db)?;
            crate::store::build_beside(&path, Replace::OnlyEmpty, |store| {
                let data = crate::demo::generate(today, households, seed);
                write_all(store, &data, today, "jeu de démonstration")
            })
            .map_err(|e| match e {
                StoreError::Write(m) if m.contains("n'est pas vide") => fail(format!(
                    "la base {} n'est pas vide : le jeu de démonstration s'écrit dans une base neuve",
                    path.display()
                )),
                e => nothing_written(&path, e),
            })?;
            println!(
                "Base de démonstration écrite : {} ({households} ménages, graine {seed}, au {})",
                path.display(),
                fr_date(today)
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Export) => {
            let path = need_db(&db)?;
            if let Some(done) = via_server(&path, Request::Export) {
                return done;
            }
            let store = Store::open_existing(&path)?;
            let json =
                crate::requests::export(&store, &crate::identity::current_user()).map_err(fail)?;
            print_out(&json)
        }
        Some(Command::Serve) => serve(db.unwrap_or_else(default_db_path), cli.global.today),
        Some(Command::Compte { command }) => account(&need_db(&db)?, today, command),
        Some(Command::Audit { last, who }) => {
            let path = need_db(&db)?;
            let request = Request::Audit {
                last,
                who: who.clone(),
            };
            if let Some(done) = via_server(&path, request) {
                return done;
            }
            let store = Store::open_existing(&path)?;
            print_out(&crate::requests::audit(&store, last, who.as_deref()).map_err(fail)?)
        }
        Some(Command::Import { file }) => {
            let path = need_db(&db)?;
            let text = std::fs::read_to_string(&file)
                .map_err(|e| fail(format!("lecture de {} impossible : {e}", file.display())))?;
            let data = crate::export::from_json_at(&text, today)
                .map_err(|e| fail(format!("{} : {e}. Rien n'a été écrit.", file.display())))?;
            if crate::remote::server_running(&path) || crate::remote::server_out_of_reach(&path) {
                return Err(fail(format!(
                    "un serveur assll tient la base {} : l'import se fait dans une base neuve. Rien n'a été écrit.",
                    path.display()
                )));
            }
            let summary = format!("import de {}", file.display());
            let (n, _) = crate::store::build_beside(&path, Replace::OnlyEmpty, |store| {
                write_all(store, &data, today, &summary)
            })
            .map_err(|e| nothing_written(&path, e))?;
            println!("{n} enregistrements importés dans {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Check { resceller }) => check(&need_db(&db)?, resceller, today),
        Some(Command::Backup { dest }) => backup(&need_db(&db)?, &dest, today),
        Some(Command::Restore {
            sauvegarde,
            remplacer,
        }) => restore(&need_db(&db)?, &sauvegarde, remplacer, today),
        Some(Command::Tableau) => {
            let path = db.unwrap_or_else(default_db_path);
            if let Some(done) = via_server(&path, Request::Tableau) {
                return done;
            }
            let store = Store::open_existing(&path)?;
            let loaded = store.load()?;
            print!("{}", dashboard_text(&loaded.data, today));
            if !loaded.damaged.is_empty() {
                println!(
                    "! {} enregistrement(s) abîmé(s) : lancez `assll check`",
                    loaded.damaged.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Stats { year, csv, rapport }) => {
            let year = check_year(year)?;
            let path = db.unwrap_or_else(default_db_path);
            if rapport {
                if crate::remote::server_running(&path) {
                    return Err(fail(format!(
                        "un serveur assll tient la base {} : le rapport annuel s'écrit depuis \
                         l'application (écran Statistiques, touche x)",
                        path.display()
                    )));
                }
            } else if let Some(done) = via_server(&path, Request::Stats { year, csv }) {
                return done;
            }
            let store = Store::open_existing(&path)?;
            let data = store.load()?.data;
            let stats = crate::domain::stats::yearly(&data, year, today);
            if rapport {
                let dir = crate::app::documents::documents_dir();
                let written =
                    crate::report::stats::write_report(&dir, &data, &stats, today).map_err(fail)?;
                println!("Rapport annuel {year} écrit : {written}");
                return Ok(ExitCode::SUCCESS);
            }
            print_out(&stats_output(&data, &stats, csv))
        }
        Some(Command::Gts {
            command: GtsCommand::Calendar { year, json },
        }) => {
            let data = match &db {
                Some(p) => Store::open_existing(p)?.load()?.data,
                None => Dataset::default(),
            };
            print!("{}", calendar_output(&data, year, json));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// R-STAT: an exercice between 2000 and 2100.
fn check_year(year: i64) -> Result<i32, Failure> {
    i32::try_from(year)
        .ok()
        .filter(|y| crate::domain::stats::YEARS.contains(y))
        .ok_or_else(|| {
            fail(format!(
                "année {year} refusée : un exercice va de 2000 à 2100"
            ))
        })
}

/// `assll stats`: the text table, or the CSV.
pub fn stats_output(data: &Dataset, stats: &crate::domain::stats::YearStats, csv: bool) -> String {
    if csv {
        crate::report::stats::csv(data, stats)
    } else {
        crate::report::stats::text(data, stats)
    }
}

fn write_demo(
    store: &Store,
    today: NaiveDate,
    households: usize,
    seed: u64,
) -> Result<(), Failure> {
    if !store.is_empty() {
        return Err(fail(format!(
            "la base {} n'est pas vide : le jeu de démonstration s'écrit dans une base neuve",
            store.path().display()
        )));
    }
    let data = crate::demo::generate(today, households, seed);
    write_all(store, &data, today, "jeu de démonstration")?;
    Ok(())
}

/// Writes a whole data set into an empty store (see [`Store::bulk_load`]).
fn write_all(
    store: &Store,
    data: &Dataset,
    today: NaiveDate,
    summary: &str,
) -> Result<usize, StoreError> {
    store.bulk_load(
        &crate::identity::current_user(),
        now_at(today),
        summary,
        data.records(),
    )
}

/// A bulk write that failed: the base at `path` was left as it was.
fn nothing_written(path: &Path, e: StoreError) -> Failure {
    let why = match e {
        StoreError::DiskFull => "disque plein".to_string(),
        StoreError::Write(m) => m,
        e => e.to_string(),
    };
    fail(format!(
        "{why}. Rien n'a été écrit : la base {} est restée telle qu'elle était.",
        path.display()
    ))
}

fn check(path: &Path, reseal: bool, today: NaiveDate) -> Result<ExitCode, Failure> {
    let store = Store::open_existing(path)?;
    let inspection = store.inspect()?;
    let loaded = &inspection.loaded;
    let mut errors = 0usize;
    let mut warnings = 0usize;
    for p in &inspection.problems {
        println!("ERREUR  base       {p}");
        errors += 1;
    }
    for d in loaded.damaged.iter().chain(&inspection.audit_damaged) {
        println!("ERREUR  abîmé      {d}");
        errors += 1;
    }
    for f in crate::check::check_at(&loaded.data, Some(today)) {
        let is_error = f.severity == crate::check::Severity::Error;
        if is_error {
            errors += 1;
        } else {
            warnings += 1;
        }
        println!(
            "{}  {:<10} {} : {}",
            if is_error { "ERREUR " } else { "ATTENTION" },
            f.rule.unwrap_or("-"),
            f.location,
            f.message
        );
    }
    let d = &loaded.data;
    println!(
        "{} ménages, {} commandes, {} mesures, {} séances GTS enregistrées, dernier enregistrement n° {} : {} erreur(s), {} avertissement(s)",
        d.households.len(),
        d.referrals.len(),
        d.measures.len(),
        d.sessions.len(),
        inspection.seq,
        errors,
        warnings
    );
    if reseal {
        let seq = store.reseal(&crate::identity::current_user(), now_at(today))?;
        println!(
            "Contrôle refait : la base telle qu'elle est (n° {seq}) sert désormais de référence."
        );
        errors -= inspection.problems.len();
    }
    Ok(if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `assll backup --db B DEST`: through the server when one holds the base
/// (it reads under its commit lock, the client writes the file), else
/// from the base opened here.
fn backup(path: &Path, dest: &Path, today: NaiveDate) -> Result<ExitCode, Failure> {
    use crate::store::backup;
    if crate::remote::server_out_of_reach(path) {
        return Err(out_of_reach(path));
    }
    let summary = if crate::remote::server_running(path) {
        let socket = crate::remote::socket_path(path);
        let bytes = match crate::remote::request(&socket, Request::Backup) {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(refusal)) => return Err(fail(refusal)),
            Err(e) => return Err(fail(format!("serveur assll injoignable : {e}"))),
        };
        backup::write_file(dest, |out| {
            out.write_all(&bytes)
                .map_err(|e| StoreError::Backup(format!("{} : {e}", dest.display())))?;
            backup::read(&bytes[..])
        })?
    } else {
        let store = Store::open_existing(path)?;
        let summary = backup::write_file(dest, |out| store.backup(out))?;
        let _ = store.commit(&crate::store::Change {
            who: crate::identity::current_user(),
            at: now_at(today),
            summary: format!(
                "sauvegarde de toute la base dans {} (lecture)",
                dest.display()
            ),
            records: Vec::new(),
        });
        summary
    };
    println!(
        "Sauvegarde écrite et vérifiée : {} ({})",
        dest.display(),
        summary.describe()
    );
    Ok(ExitCode::SUCCESS)
}

/// `assll restore SAUVEGARDE --db B [--remplacer]`.
fn restore(
    path: &Path,
    backup_file: &Path,
    replace: bool,
    today: NaiveDate,
) -> Result<ExitCode, Failure> {
    if crate::remote::server_running(path) || crate::remote::server_out_of_reach(path) {
        return Err(fail(format!(
            "un serveur assll tient la base {} : arrêtez-le (systemctl stop assll, ou Ctrl-C) \
             avant de restaurer. Rien n'a été changé.",
            path.display()
        )));
    }
    let (summary, kept) = crate::store::backup::restore(
        backup_file,
        path,
        replace,
        &crate::identity::current_user(),
        now_at(today),
    )
    .map_err(|e| match e {
        StoreError::Write(m) if m.contains("n'est pas vide") => fail(format!(
            "la base {} n'est pas vide : pour la remplacer par la sauvegarde, ajoutez --remplacer \
             (elle sera gardée à côté). Rien n'a été changé.",
            path.display()
        )),
        StoreError::Locked { path } => fail(format!(
            "la base {} est ouverte par un autre programme assll : fermez-le avant de restaurer. \
             Rien n'a été changé.",
            path.display()
        )),
        StoreError::DiskFull => fail(
            "disque plein : la restauration n'a pas été faite, la base est restée telle qu'elle était. \
             Libérez de la place puis recommencez.",
        ),
        e => fail(format!(
            "{e} La base {} est restée telle qu'elle était.",
            path.display()
        )),
    })?;
    println!(
        "Sauvegarde {} restaurée dans {} ({}).",
        backup_file.display(),
        path.display(),
        summary.describe()
    );
    if let Some(kept) = kept {
        println!("L'ancienne base est gardée à {}.", kept.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn open_app(store: Store, today: NaiveDate) -> Result<ExitCode, Failure> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(fail(
            "l'application plein écran demande un terminal ; pour un script, \
             voir `assll tableau`, `assll export` ou `assll --help`",
        ));
    }
    let loaded = store.load()?;
    crate::tui::run_store(
        store,
        loaded,
        today,
        crate::identity::current_user(),
        crate::app::UiConfig::from_env(),
    )
    .map_err(|e| fail(format!("terminal : {e}")))?;
    Ok(ExitCode::SUCCESS)
}

/// The dashboard's figures as text: one line per sector, then the next GTS.
pub fn dashboard_text(data: &Dataset, today: NaiveDate) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "ASSLL Charente · Tableau de bord · {} {}",
        weekday_short(today),
        fr_date(today)
    );
    let _ = writeln!(
        s,
        "{:<28} {:>7}  {:>5}  {:>8}  {:>10}",
        "Circonscription", "Charge", "Diag.", "Attente", "Plus ancien"
    );
    let (mut load, mut cap, mut wait, mut diag) = (0, 0, 0, 0);
    for l in data.sector_loads(today) {
        let name = data.sector_name(l.sector);
        let mark = if l.over_capacity() { "▲" } else { " " };
        let _ = writeln!(
            s,
            "{:<28} {:>7}{mark} {:>5}  {:>8}  {:>10}",
            name,
            format!("{}/{}", l.load, l.capacity),
            l.diagnostics,
            l.waiting,
            l.oldest_wait_days
                .map(|d| format!("{d} j"))
                .unwrap_or_default()
        );
        load += l.load;
        cap += l.capacity;
        wait += l.waiting;
        diag += l.diagnostics;
    }
    let _ = writeln!(
        s,
        "{:<28} {:>7}  {:>5}  {:>8}",
        "Total",
        format!("{load}/{cap}"),
        diag,
        wait
    );
    let sessions = data.sessions_from(today, 3);
    if let Some(next) = next_session(today, &sessions) {
        let dl = next.deadlines;
        let _ = writeln!(
            s,
            "Prochain GTS : {} {} ({}) · ODJ brouillon {} · réponses TS {} · ODJ définitif {} · PV {}",
            weekday_short(next.date),
            fr_date(next.date),
            countdown(today, next.date),
            fr_date(dl.draft_agenda),
            fr_date(dl.replies),
            fr_date(dl.final_agenda),
            fr_date(dl.minutes),
        );
    }
    let alerts = crate::domain::alerts::compute_alerts(data, today);
    let overdue = alerts
        .iter()
        .filter(|a| a.severity == crate::domain::alerts::Severity::Overdue)
        .count();
    let _ = writeln!(
        s,
        "Alertes : {overdue} en retard, {} au total",
        alerts.len()
    );
    s
}

#[derive(serde::Serialize)]
struct CalendarRow {
    date: NaiveDate,
    draft_agenda_due: NaiveDate,
    replies_due: NaiveDate,
    final_agenda_due: NaiveDate,
    minutes_due: NaiveDate,
    holiday: Option<&'static str>,
    status: SessionStatus,
}

/// `assll gts calendar YEAR`: one row per session.
pub fn calendar_output(data: &Dataset, year: u16, json: bool) -> String {
    let cal = year_calendar(year, |y, m| data.sessions.get(&(y, m)));
    if json {
        let rows: Vec<CalendarRow> = cal
            .iter()
            .map(|s| CalendarRow {
                date: s.date,
                draft_agenda_due: s.deadlines.draft_agenda,
                replies_due: s.deadlines.replies,
                final_agenda_due: s.deadlines.final_agenda,
                minutes_due: s.deadlines.minutes,
                holiday: s.holiday,
                status: s.status,
            })
            .collect();
        let mut out = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into());
        out.push('\n');
        return out;
    }
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<16} {:<14} {:<14} {:<14} {:<14} {:<10} Férié",
        "Séance", "ODJ brouillon", "Réponses TS", "ODJ définitif", "PV", "État"
    );
    for r in &cal {
        let _ = writeln!(
            s,
            "{:<16} {:<14} {:<14} {:<14} {:<14} {:<10} {}",
            format!("{} {}", weekday_short(r.date), fr_date(r.date)),
            fr_date(r.deadlines.draft_agenda),
            fr_date(r.deadlines.replies),
            fr_date(r.deadlines.final_agenda),
            fr_date(r.deadlines.minutes),
            r.status.label(),
            r.holiday.map(|h| format!("⚠ {h}")).unwrap_or_default()
        );
    }
    s
}

/// `assll serve`: owns the base (one server per base: sled's lock) and
/// hosts a session per person who attaches, until SIGTERM, SIGINT or SIGHUP.
fn serve(path: PathBuf, fixed_today: Option<NaiveDate>) -> Result<ExitCode, Failure> {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;
    let store = Store::open_existing(&path)?;
    let loaded = store.load()?;
    if !loaded.damaged.is_empty() {
        eprintln!(
            "assll serve : {} enregistrement(s) illisible(s), laissé(s) de côté (voir `assll check`)",
            loaded.damaged.len()
        );
    }
    let today = fixed_today.unwrap_or_else(|| Local::now().date_naive());
    let hub = Arc::new(crate::app::hub::Hub::new(store, loaded.data, today));
    let stop = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&stop))
            .map_err(|e| fail(format!("signaux : {e}")))?;
    }
    #[cfg(unix)]
    // SAFETY: getuid has no preconditions and cannot fail.
    let owner_uid = unsafe { libc::getuid() };
    #[cfg(not(unix))]
    let owner_uid = 0;
    let host = crate::serve::Host {
        hub,
        owner_uid,
        today: fixed_today,
    };
    let socket = crate::remote::socket_path(&path);
    eprintln!(
        "assll serve : base {} ouverte ; `assll --db {}` s'y attache (socket {}). Arrêt : Ctrl-C ou SIGTERM.",
        path.display(),
        path.display(),
        socket.display()
    );
    crate::remote::serve(&socket, Arc::new(host), &stop)
        .map_err(|e| fail(format!("serveur : {e}")))?;
    eprintln!("assll serve : arrêté, base fermée.");
    Ok(ExitCode::SUCCESS)
}

/// `assll compte`: the GIP gives or withdraws access to the shared base,
/// through the command boundary like any change (through the server when
/// one holds the base).
fn account(path: &Path, today: NaiveDate, command: AccountCommand) -> Result<ExitCode, Failure> {
    let request = match &command {
        AccountCommand::Liste => Request::Accounts,
        AccountCommand::Donner { login, role, ts } => Request::SetAccount {
            login: login.clone(),
            role: role.clone(),
            ts: *ts,
        },
    };
    if let Some(done) = via_server(path, request) {
        return done;
    }
    let store = Store::open_existing(path)?;
    let data = store.load()?.data;
    match command {
        AccountCommand::Liste => print_out(&crate::requests::accounts(&data)),
        AccountCommand::Donner { login, role, ts } => {
            let role = crate::requests::parse_role(&role, ts).map_err(fail)?;
            let actor = crate::domain::command::Actor::owner(&crate::identity::current_user());
            let hub = crate::app::hub::Hub::new(store, data, today);
            print_out(
                &crate::requests::set_account(&hub, &actor, today, login, role).map_err(fail)?,
            )
        }
    }
}

/// Asks the `assll serve` holding the base at `path`, if one runs (the
/// base is then its own); `None`: no server, the command opens the base.
fn via_server(path: &Path, request: Request) -> Option<Result<ExitCode, Failure>> {
    if crate::remote::server_out_of_reach(path) {
        return Some(Err(out_of_reach(path)));
    }
    if !crate::remote::server_running(path) {
        return None;
    }
    let socket = crate::remote::socket_path(path);
    Some(match crate::remote::request(&socket, request) {
        Ok(Ok(bytes)) => print_out(&String::from_utf8_lossy(&bytes)),
        Ok(Err(refusal)) => Err(fail(refusal)),
        Err(e) => Err(fail(format!("serveur assll injoignable : {e}"))),
    })
}

/// A server holds the base, but its socket refuses this user.
fn out_of_reach(path: &Path) -> Failure {
    fail(format!(
        "un serveur assll tient la base {} mais sa prise vous est fermée : \
         demandez au GIP de vous ajouter au groupe du serveur (voir docs/serve.md)",
        path.display()
    ))
}

/// Writes `text` on standard output.
fn print_out(text: &str) -> Result<ExitCode, Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| fail(format!("écriture impossible : {e}")))?;
    Ok(ExitCode::SUCCESS)
}
