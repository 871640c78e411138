//! The command boundary: every change anyone asks for is a [`Command`]; the
//! domain decides what it writes ([`decide`]), against the data as it is
//! when it is executed (not as the screen last saw it), and who may ask for
//! it ([`Actor`]). The application executes a command in one place and
//! commits the records this module returns; it never builds a record itself.

use super::agenda::{self, AgendaError};
use super::calendar::fr_date;
use super::dataset::Dataset;
use super::error::DomainError;
use super::gts::{Decision, GtsSession};
use super::household::Household;
use super::ids::{HouseholdId, Reference, SectorId, WorkerId};
use super::measure::{DifficultyKind, LogEntry, Measure, check_eligibility};
use super::record::Record;
use super::referral::Referral;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// What a person may do with the base (the GIP manages who has which).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// The GIP: everything, including the GTS and the reference data.
    GipAdmin,
    /// A FSL worker: sees and edits the households of its own sectors only.
    Worker { worker: WorkerId },
    /// An employer's representative: reads.
    EmployerRep,
    /// Reads, nothing else.
    ReadOnly,
    /// An account withdrawn: refused like an unknown user, kept for the
    /// audit trail's sake.
    NoAccess,
}

impl Role {
    pub fn label(&self) -> &'static str {
        match self {
            Role::GipAdmin => "GIP (administration)",
            Role::Worker { .. } => "travailleur social",
            Role::EmployerRep => "représentant employeur",
            Role::ReadOnly => "lecture seule",
            Role::NoAccess => "sans accès",
        }
    }
}

/// A person allowed to attach to a shared base: their operating-system
/// login and role, managed by the GIP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub login: String,
    pub role: Role,
}

/// Who asks: the identity the operating system gives, and its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub role: Role,
}

impl Actor {
    /// The owner of a base opened directly (no server): its files are
    /// private to that user, who is the GIP.
    pub fn owner(name: &str) -> Actor {
        Actor {
            name: name.to_string(),
            role: Role::GipAdmin,
        }
    }

    /// The sectors this actor is limited to; `None`: all of them.
    pub fn sectors(&self, data: &Dataset) -> Option<Vec<SectorId>> {
        match &self.role {
            Role::Worker { worker } => Some(
                data.workers
                    .get(worker)
                    .map(|w| w.sectors.clone())
                    .unwrap_or_default(),
            ),
            _ => None,
        }
    }

    /// Whether this actor may see the households of `sector`.
    pub fn sees_sector(&self, data: &Dataset, sector: SectorId) -> bool {
        self.sectors(data).is_none_or(|s| s.contains(&sector))
    }

    /// Whether this actor may see a household's file: one of its sectors
    /// holds the household, or one of its measures, or (for a worker) the
    /// worker carries one of its measures (R-MES-7: the worker may keep a
    /// measure after a move).
    pub fn sees_household(&self, data: &Dataset, id: HouseholdId) -> bool {
        let Some(sectors) = self.sectors(data) else {
            return true;
        };
        let own = match &self.role {
            Role::Worker { worker } => Some(*worker),
            _ => None,
        };
        data.households
            .get(&id)
            .is_some_and(|h| sectors.contains(&h.sector))
            || data.measures.values().any(|m| {
                m.household == id
                    && (sectors.contains(&m.sector) || (own.is_some() && m.worker == own))
            })
    }
}

/// A household named by a new referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HouseholdChoice {
    /// Created with the referral; its id is given when the command is
    /// executed (the `id` of the value is ignored).
    New(Household),
    Existing(HouseholdId),
}

/// An operation on one GTS session's record.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionOp {
    /// Saves the session as the meeting opens: its agenda as computed now
    /// (R-GTS-2) and the proposed attendance and chair.
    Prepare,
    SendDraft,
    SendFinal,
    Reply {
        reference: Reference,
        reply: super::gts::Reply,
    },
    AddItem {
        reference: Reference,
        reason: String,
    },
    RemoveItem {
        reference: Reference,
        reason: String,
    },
    AddWorkerSituation {
        reference: Reference,
        reason: String,
    },
    Move {
        date: NaiveDate,
        note: String,
        /// To a Saturday, a Sunday or a public holiday: the GIP confirmed.
        anyway: bool,
    },
    Cancel {
        note: String,
    },
    Restore {
        note: String,
    },
    MinutesSent,
    SetChair(String),
    SetPresent {
        index: usize,
        present: bool,
    },
    AddAttendee {
        name: String,
        organisation: String,
    },
    NameAttendee {
        index: usize,
        name: String,
    },
    Decide {
        reference: Reference,
        decision: Decision,
        colleague: Option<String>,
    },
    ClearDecision(Reference),
    Close,
}

/// A change asked for by someone.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// A new referral (and its waiting measure), for a new or known household.
    CreateReferral {
        household: HouseholdChoice,
        referral: Referral,
    },
    /// R-ELIG-2, R-MES-1: a waiting measure starts with a worker. R-REF-5:
    /// one that others precede in its sector's waiting order needs a
    /// reason, kept with the measure ([`Measure::out_of_order`]).
    StartMeasure {
        reference: Reference,
        worker: WorkerId,
        sector: SectorId,
        out_of_order_reason: Option<String>,
    },
    /// R-CAP-3: a waiting referral goes to another sector's list.
    TransferReferral { reference: Reference, to: SectorId },
    /// R-MES-6: a waiting measure could not be set up.
    MarkNotStarted {
        reference: Reference,
        reason: String,
    },
    /// R-MES-6: difficulty or refusal during a measure.
    RecordDifficulty {
        reference: Reference,
        kind: DifficultyKind,
        date: NaiveDate,
        note: String,
    },
    /// R-MES-7, R-CAP-2/3: the GIP hands a measure in progress over to
    /// another worker; it then counts in the load of the sector that worker
    /// carries it in ([`Dataset::carrying_sector`]).
    HandOver {
        reference: Reference,
        worker: WorkerId,
    },
    /// R-MES-7: the household moves to another sector; its waiting
    /// referrals follow (keeping their date, R-REF-5), a measure in
    /// progress stays with its worker ([`Dataset::move_household`]).
    MoveHousehold {
        household: HouseholdId,
        to: SectorId,
    },
    /// R-DIAG-2: a diagnostic returned to the commission; R-DIAG-3: with,
    /// when the worker asks for one, the measure that follows it at once
    /// (its objectives and initial months), no waiting list.
    ReturnDiagnostic {
        reference: Reference,
        date: NaiveDate,
        follow_on: Option<(Vec<super::Objective>, u8)>,
    },
    /// The household's identity and partners corrected (names, commune,
    /// referring worker, landlord); its sector moves with
    /// [`Command::MoveHousehold`], its protection with
    /// [`Command::SetJudicialProtection`].
    EditHousehold { household: Household },
    /// R-ELIG-2.
    SetJudicialProtection { household: HouseholdId, on: bool },
    /// R-MES-2, R-MES-3, R-REF-4: a contact attempt or a meeting.
    LogEvent {
        reference: Reference,
        entry: LogEntry,
    },
    /// R-MES-2, R-MES-3, R-REF-4: a logged contact corrected (its type,
    /// date, party, means or note), with a trace. `was` is the entry as the
    /// person saw it: refused if it changed since. (Commands are never
    /// serialised: the variants' order is free.)
    CorrectEvent {
        reference: Reference,
        was: LogEntry,
        entry: LogEntry,
    },
    /// R-MES-5.
    SignContract {
        reference: Reference,
        date: NaiveDate,
    },
    /// R-MES-5: no contract, and why.
    NoContract {
        reference: Reference,
        reason: String,
        date: NaiveDate,
    },
    /// R-MASP-2.
    RequestMasp {
        reference: Reference,
        date: NaiveDate,
    },
    /// R-MASP-2.
    DecideMasp {
        reference: Reference,
        granted: bool,
        date: NaiveDate,
    },
    /// R-MES-8.
    CheckFact {
        reference: Reference,
        label: String,
        value: String,
        date: NaiveDate,
    },
    /// R-BIL-1.
    WriteReview { reference: Reference, text: String },
    /// A GTS session's record.
    Session { year: u16, month: u8, op: SessionOp },
    /// The GIP gives a login a role (`NoAccess` withdraws it).
    SetAccount { login: String, role: Role },
    /// Puts records back as they were (undo), if nobody changed them since.
    Revert {
        label: String,
        before: Vec<Record>,
        after: Vec<Record>,
    },
    /// R-CAP-1: the GIP edits a sector (FTE, employers, setting…).
    EditSector { sector: super::Sector },
    /// R-CAP-1: the GIP edits the households per FTE.
    EditNorms { norms: super::Norms },
    /// A new worker (its number is given when executed).
    AddWorker { worker: super::Worker },
    /// A worker's name, employer, sectors, FTE or login.
    EditWorker { worker: super::Worker },
    /// DOMAIN.md §3: the GIP confirms a commune's sector (`None`: back to
    /// the suggestion). `name` is the commune's, for the audit trail.
    ConfirmCommuneSector {
        insee: String,
        name: String,
        sector: Option<SectorId>,
    },
    /// R-GTS-1: the standing members of the GTS, all of them.
    SetGtsMembers {
        members: Vec<super::refdata::GtsMember>,
    },
}

impl Command {
    /// The measure whose whole log the command needs in memory (the store
    /// leaves logs on disk until a file is opened).
    pub fn log_needed(&self) -> Option<Reference> {
        match self {
            Command::LogEvent { reference, .. } | Command::CorrectEvent { reference, .. } => {
                Some(*reference)
            }
            _ => None,
        }
    }
}

/// Why a command is refused: the French sentence, and the form field it is
/// about when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub field: Option<&'static str>,
}

impl Refusal {
    pub fn new(message: impl Into<String>) -> Refusal {
        Refusal {
            message: message.into(),
            field: None,
        }
    }
    pub fn on(field: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            message: message.into(),
            field: Some(field),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<DomainError> for Refusal {
    fn from(e: DomainError) -> Refusal {
        Refusal::new(e.to_string())
    }
}

impl From<AgendaError> for Refusal {
    fn from(e: AgendaError) -> Refusal {
        Refusal::new(e.to_string())
    }
}

/// What a command writes: the records, all in one commit, and the
/// sentence of the audit trail.
#[derive(Debug, Clone, PartialEq)]
pub struct Decided {
    pub summary: String,
    pub records: Vec<Record>,
}

/// The context of a decision: today's date and who asks.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub today: NaiveDate,
    pub actor: &'a Actor,
}

fn referral(data: &Dataset, r: Reference) -> Result<&super::Referral, Refusal> {
    data.referrals
        .get(&r)
        .ok_or_else(|| Refusal::new(format!("Commande {r} introuvable")))
}

fn measure(data: &Dataset, r: Reference) -> Result<&Measure, Refusal> {
    data.measures
        .get(&r)
        .ok_or_else(|| Refusal::new(format!("Mesure {r} introuvable")))
}

fn not_in_future(today: NaiveDate, date: NaiveDate, field: &'static str) -> Result<(), Refusal> {
    if date > today {
        return Err(Refusal::on(
            field,
            format!("date dans le futur (aujourd'hui {})", fr_date(today)),
        ));
    }
    Ok(())
}

/// Who may ask for what: the GIP everything; a worker the households of its
/// own sectors (not the GTS, not another sector's list); the others read.
pub fn permits(data: &Dataset, actor: &Actor, cmd: &Command) -> Result<(), Refusal> {
    let refused = || {
        Refusal::new(format!(
            "Refusé : {} ({}) n'a pas le droit de faire cette modification",
            actor.name,
            actor.role.label()
        ))
    };
    match &actor.role {
        Role::GipAdmin => Ok(()),
        Role::EmployerRep | Role::ReadOnly | Role::NoAccess => Err(refused()),
        Role::Worker { .. } => {
            let household_of = |r: &Reference| data.measures.get(r).map(|m| m.household);
            let ok = match cmd {
                Command::Session { .. }
                | Command::TransferReferral { .. }
                | Command::HandOver { .. }
                | Command::MoveHousehold { .. }
                | Command::SetAccount { .. }
                | Command::EditSector { .. }
                | Command::EditNorms { .. }
                | Command::AddWorker { .. }
                | Command::EditWorker { .. }
                | Command::ConfirmCommuneSector { .. }
                | Command::SetGtsMembers { .. } => false,
                Command::CreateReferral { .. } => false,
                Command::SetJudicialProtection { household, .. } => {
                    actor.sees_household(data, *household)
                }
                Command::EditHousehold { household } => actor.sees_household(data, household.id),
                Command::StartMeasure {
                    reference, sector, ..
                } => {
                    household_of(reference).is_some_and(|h| actor.sees_household(data, h))
                        && actor.sees_sector(data, *sector)
                }
                Command::MarkNotStarted { reference, .. }
                | Command::ReturnDiagnostic { reference, .. }
                | Command::RecordDifficulty { reference, .. }
                | Command::LogEvent { reference, .. }
                | Command::SignContract { reference, .. }
                | Command::NoContract { reference, .. }
                | Command::RequestMasp { reference, .. }
                | Command::DecideMasp { reference, .. }
                | Command::CheckFact { reference, .. }
                | Command::WriteReview { reference, .. } => {
                    household_of(reference).is_some_and(|h| actor.sees_household(data, h))
                }
                // A contact is corrected by the one who logged it (the GIP
                // may correct any): a worker does not rewrite a colleague's
                // account of a visit.
                Command::CorrectEvent { reference, was, .. } => {
                    if !household_of(reference).is_some_and(|h| actor.sees_household(data, h)) {
                        false
                    } else if was.author != *actor.name {
                        return Err(Refusal::new(format!(
                            "Refusé : seul·e {} (qui a noté ce contact) ou le GIP peut le corriger",
                            was.author
                        )));
                    } else {
                        true
                    }
                }
                Command::Revert { before, .. } => before.iter().all(|r| match r {
                    Record::Measure(m) => actor.sees_household(data, m.household),
                    Record::Referral(x) => actor.sees_household(data, x.household),
                    Record::Household(h) => actor.sees_household(data, h.id),
                    _ => false,
                }),
            };
            if ok { Ok(()) } else { Err(refused()) }
        }
    }
}

/// Decides what `cmd` writes, against `data` as it is now. Refused with
/// the rule's French sentence when a rule or the actor's role forbids it.
pub fn decide(data: &Dataset, ctx: Context<'_>, cmd: &Command) -> Result<Decided, Refusal> {
    permits(data, ctx.actor, cmd)?;
    let today = ctx.today;
    let one = |summary: String, m: Measure| Decided {
        summary,
        records: vec![Record::Measure(m)],
    };
    match cmd {
        Command::CreateReferral {
            household,
            referral,
        } => create_referral(data, today, household, referral),
        Command::StartMeasure {
            reference,
            worker,
            sector,
            out_of_order_reason,
        } => {
            let referral = referral(data, *reference)?;
            let household = data
                .households
                .get(&referral.household)
                .ok_or(DomainError::UnknownHousehold)?;
            let w = data
                .workers
                .get(worker)
                .ok_or_else(|| Refusal::new("TS inconnu·e"))?;
            if let Some(why) = w.unavailable_on(today) {
                return Err(Refusal::on("worker", why));
            }
            if !data.sectors.contains_key(sector) {
                return Err(DomainError::UnknownSector.into());
            }
            // R-REF-5: the waiting order is kept, or the reason is.
            let passed = data.waiting_before(referral);
            let reason = out_of_order_reason.as_deref().map(str::trim).unwrap_or("");
            if passed > 0 && reason.is_empty() {
                return Err(Refusal::on(
                    "reason",
                    format!(
                        "{reference} passe avant {passed} commande{} de la liste de {} : motif obligatoire (R-REF-5)",
                        if passed > 1 { "s" } else { "" },
                        data.sector_name(referral.sector)
                    ),
                ));
            }
            let mut m = measure(data, *reference)?.clone();
            m.start(referral, household, *worker, *sector, today)?;
            if passed > 0 {
                m.out_of_order = Some(super::measure::OutOfOrder {
                    reason: reason.to_string(),
                    passed,
                });
            }
            let what = match m.kind {
                super::ReferralKind::Diagnostic => "diagnostic",
                super::ReferralKind::Measure => "mesure",
            };
            Ok(one(
                format!(
                    "{what} {reference} démarré{} ({})",
                    if what == "mesure" { "e" } else { "" },
                    data.worker_name(Some(*worker))
                ),
                m,
            ))
        }
        Command::TransferReferral { reference, to } => {
            let from = data.referrals.get(reference).map(|r| r.sector);
            let records = data.transfer_referral(*reference, *to)?;
            Ok(Decided {
                summary: format!(
                    "commande {reference} déplacée de {} vers {}",
                    from.map_or("?", |s| data.sector_name(s)),
                    data.sector_name(*to)
                ),
                records,
            })
        }
        Command::MarkNotStarted { reference, reason } => {
            let mut m = measure(data, *reference)?.clone();
            m.mark_not_started(today, reason)
                .map_err(|e| Refusal::on("reason", e.to_string()))?;
            Ok(one(
                format!("mesure {reference} non mise en place : {}", reason.trim()),
                m,
            ))
        }
        Command::ReturnDiagnostic {
            reference,
            date,
            follow_on,
        } => {
            not_in_future(today, *date, "date")?;
            let diag = measure(data, *reference)?;
            if diag.kind != super::ReferralKind::Diagnostic {
                return Err(Refusal::new(format!(
                    "{reference} n'est pas un diagnostic (R-DIAG-2)"
                )));
            }
            let mut stopped = diag.clone();
            stopped
                .stop(
                    *date,
                    &format!("Diagnostic rendu à la commission le {}", fr_date(*date)),
                )
                .map_err(|e| Refusal::on("date", e.to_string()))?;
            let mut records = vec![Record::Measure(stopped)];
            let mut summary = format!("diagnostic {reference} rendu");
            if let Some((objectives, months)) = follow_on {
                if let Some(why) = diag
                    .worker
                    .and_then(|w| data.workers.get(&w))
                    .and_then(|w| w.unavailable_on(*date))
                {
                    return Err(Refusal::on(
                        "follow_on",
                        format!("{why} : confiez d'abord le diagnostic (R-DIAG-3)"),
                    ));
                }
                let referral = referral(data, *reference)?;
                let household = data
                    .households
                    .get(&diag.household)
                    .ok_or_else(|| Refusal::new("Ménage introuvable"))?;
                let new_ref = data.next_reference(date.year() as u16);
                let (r, m) = super::measure::measure_after_diagnostic(
                    referral,
                    diag,
                    household,
                    new_ref,
                    objectives.clone(),
                    *months,
                    *date,
                )
                .map_err(|e| {
                    let field = match e {
                        DomainError::NoObjective => "objectives",
                        DomainError::InitialDuration { .. } => "months",
                        _ => "follow_on",
                    };
                    Refusal::on(field, e.to_string())
                })?;
                summary.push_str(&format!(
                    " ; mesure {new_ref} commencée à sa suite (R-DIAG-3)"
                ));
                records.push(Record::Referral(r));
                records.push(Record::Measure(m));
            }
            Ok(Decided { summary, records })
        }
        Command::EditHousehold { household } => {
            let was = data
                .households
                .get(&household.id)
                .ok_or_else(|| Refusal::new("Ménage introuvable"))?;
            if household.last_name.trim().is_empty() {
                return Err(Refusal::on("last_name", "nom obligatoire"));
            }
            // What other commands decide stays as it is.
            let mut h = household.clone();
            h.sector = was.sector;
            h.judicial_protection = was.judicial_protection;
            h.last_name = h.last_name.trim().to_string();
            h.first_name = h.first_name.trim().to_string();
            h.referring_worker = h.referring_worker.trim().to_string();
            if h == *was {
                return Err(Refusal::new("Rien n'a changé"));
            }
            Ok(Decided {
                summary: format!("ménage n° {} : identité ou partenaires modifiés", h.id.0),
                records: vec![Record::Household(h)],
            })
        }
        Command::HandOver { reference, worker } => {
            let mut m = measure(data, *reference)?.clone();
            let w = data
                .workers
                .get(worker)
                .ok_or_else(|| Refusal::on("worker", "TS inconnu·e"))?;
            if let Some(why) = w.unavailable_on(today) {
                return Err(Refusal::on("worker", why));
            }
            if m.worker == Some(*worker) {
                return Err(Refusal::on(
                    "worker",
                    format!("{} suit déjà cette mesure", w.name),
                ));
            }
            let referral = referral(data, *reference)?;
            let sector = data.carrying_sector(referral, *worker);
            m.hand_over(*worker, sector, today)
                .map_err(|e| Refusal::on("worker", e.to_string()))?;
            Ok(one(
                format!(
                    "{reference} confiée à {} ({})",
                    w.name,
                    data.sector_name(sector)
                ),
                m,
            ))
        }
        Command::MoveHousehold { household, to } => {
            if data
                .households
                .get(household)
                .is_some_and(|h| h.sector == *to)
            {
                return Err(Refusal::on(
                    "sector",
                    format!("Le ménage est déjà du secteur {}", data.sector_name(*to)),
                ));
            }
            let records = data
                .move_household(*household, *to)
                .map_err(|e| Refusal::on("sector", e.to_string()))?;
            Ok(Decided {
                summary: format!(
                    "ménage n° {} : secteur {}",
                    household.0,
                    data.sector_name(*to)
                ),
                records,
            })
        }
        Command::RecordDifficulty {
            reference,
            kind,
            date,
            note,
        } => {
            not_in_future(today, *date, "date")?;
            let mut m = measure(data, *reference)?.clone();
            m.record_difficulty(*kind, *date, note)
                .map_err(|e| Refusal::on("note", e.to_string()))?;
            Ok(one(
                format!("difficulté signalée ({}) : {reference}", kind.label()),
                m,
            ))
        }
        Command::SetJudicialProtection { household, on } => {
            let mut h = data
                .households
                .get(household)
                .cloned()
                .ok_or(DomainError::UnknownHousehold)?;
            h.judicial_protection = *on;
            let what = if *on {
                "sous protection judiciaire"
            } else {
                "sans protection judiciaire"
            };
            Ok(Decided {
                summary: format!("ménage {} {what}", h.display_name()),
                records: vec![Record::Household(h)],
            })
        }
        Command::LogEvent { reference, entry } => {
            not_in_future(today, entry.date, "date")?;
            let mut m = measure(data, *reference)?.clone();
            m.log_event(entry.clone()).map_err(|e| match e {
                DomainError::BeforeStart { .. } => Refusal::on("date", e.to_string()),
                e => e.into(),
            })?;
            Ok(one(
                format!(
                    "{} ({}) du {} ({reference})",
                    entry.kind.label().to_lowercase(),
                    entry.with.label().to_lowercase(),
                    fr_date(entry.date)
                ),
                m,
            ))
        }
        Command::CorrectEvent {
            reference,
            was,
            entry,
        } => {
            not_in_future(today, entry.date, "date")?;
            let mut m = measure(data, *reference)?.clone();
            m.correct_event(was, entry.clone(), &ctx.actor.name, today)
                .map_err(|e| match e {
                    DomainError::BeforeStart { .. } => Refusal::on("date", e.to_string()),
                    e => e.into(),
                })?;
            let says = |e: &LogEntry| {
                format!(
                    "{} ({}) du {}",
                    e.kind.label().to_lowercase(),
                    e.with.label().to_lowercase(),
                    fr_date(e.date)
                )
            };
            Ok(one(
                format!(
                    "contact corrigé ({reference}) : {} devient {}",
                    says(was),
                    says(entry)
                ),
                m,
            ))
        }
        Command::SignContract { reference, date } => {
            not_in_future(today, *date, "date")?;
            let mut m = measure(data, *reference)?.clone();
            m.sign_contract(*date).map_err(|e| match e {
                DomainError::BeforeStart { .. } => Refusal::on("date", e.to_string()),
                e => Refusal::on("signed", e.to_string()),
            })?;
            Ok(one(
                format!("contrat signé le {} ({reference})", fr_date(*date)),
                m,
            ))
        }
        Command::NoContract {
            reference,
            reason,
            date,
        } => {
            not_in_future(today, *date, "date")?;
            let mut m = measure(data, *reference)?.clone();
            m.record_no_contract(reason, *date)
                .map_err(|e| Refusal::on("reason", e.to_string()))?;
            Ok(one(
                format!("pas de contrat : {} ({reference})", reason.trim()),
                m,
            ))
        }
        Command::RequestMasp { reference, date } => {
            not_in_future(today, *date, "date")?;
            let referral = referral(data, *reference)?;
            let mut m = measure(data, *reference)?.clone();
            m.request_masp(referral, *date)
                .map_err(|e| Refusal::on("step", e.to_string()))?;
            Ok(one(format!("MASP {} ({reference})", m.masp.label()), m))
        }
        Command::DecideMasp {
            reference,
            granted,
            date,
        } => {
            not_in_future(today, *date, "date")?;
            let mut m = measure(data, *reference)?.clone();
            m.decide_masp(*granted, *date)
                .map_err(|e| Refusal::on("step", e.to_string()))?;
            Ok(one(format!("MASP {} ({reference})", m.masp.label()), m))
        }
        Command::CheckFact {
            reference,
            label,
            value,
            date,
        } => {
            not_in_future(today, *date, "date")?;
            let mut m = measure(data, *reference)?.clone();
            m.record_checked_fact(label, value, *date)
                .map_err(|e| match e {
                    DomainError::LabelRequired => {
                        Refusal::on("label", "fait obligatoire (ex. « loyer repris »)")
                    }
                    e => Refusal::on("date", e.to_string()),
                })?;
            Ok(one(
                format!(
                    "fait vérifié « {} » au {} ({reference})",
                    label.trim(),
                    fr_date(*date)
                ),
                m,
            ))
        }
        Command::WriteReview { reference, text } => {
            let mut m = measure(data, *reference)?.clone();
            m.write_review(text, today)?;
            Ok(one(format!("bilan de la mesure {reference}"), m))
        }
        Command::Session { year, month, op } => session(data, today, *year, *month, op),
        Command::SetAccount { login, role } => {
            let login = login.trim();
            if login.is_empty() || login.contains(char::is_whitespace) || login.contains(':') {
                return Err(Refusal::on(
                    "login",
                    format!("identifiant « {login} » invalide : le nom de connexion du système"),
                ));
            }
            if let Role::Worker { worker } = role
                && !data.workers.contains_key(worker)
            {
                return Err(Refusal::on(
                    "worker",
                    format!("TS n° {} inconnu·e", worker.0),
                ));
            }
            Ok(Decided {
                summary: format!("compte {login} : {}", role.label()),
                records: vec![Record::Account(Account {
                    login: login.to_string(),
                    role: role.clone(),
                })],
            })
        }
        Command::Revert {
            label,
            before,
            after,
        } => {
            let unchanged = after.iter().all(|r| data.current(r).as_ref() == Some(r));
            if !unchanged {
                return Err(Refusal::new(format!(
                    "Annulation impossible : le dossier a changé depuis le {label}"
                )));
            }
            Ok(Decided {
                summary: format!("annulation : {label}"),
                records: before.clone(),
            })
        }
        Command::EditSector { sector } => super::refdata::edit_sector(data, sector),
        Command::EditNorms { norms } => super::refdata::edit_norms(norms),
        Command::AddWorker { worker } => super::refdata::add_worker(data, worker),
        Command::EditWorker { worker } => super::refdata::edit_worker(data, worker),
        Command::ConfirmCommuneSector {
            insee,
            name,
            sector,
        } => super::refdata::confirm_commune(data, insee, name, *sector),
        Command::SetGtsMembers { members } => super::refdata::set_gts_members(members),
    }
}

fn create_referral(
    data: &Dataset,
    today: NaiveDate,
    choice: &HouseholdChoice,
    referral: &Referral,
) -> Result<Decided, Refusal> {
    if referral.referral_date > today {
        return Err(Refusal::on("referral_date", "date dans le futur"));
    }
    if !data.sectors.contains_key(&referral.sector) {
        return Err(DomainError::UnknownSector.into());
    }
    let (household, is_new) = match choice {
        HouseholdChoice::New(h) => {
            if h.last_name.trim().is_empty() {
                return Err(Refusal::on(
                    "last_name",
                    "nom obligatoire (ou un n° de ménage existant)",
                ));
            }
            let mut h = h.clone();
            h.id = data.next_household_id();
            (h, true)
        }
        HouseholdChoice::Existing(id) => match data.households.get(id) {
            Some(h) => (h.clone(), false),
            None => {
                return Err(Refusal::on(
                    "existing",
                    format!("aucun ménage n° « {} »", id.0),
                ));
            }
        },
    };
    check_eligibility(&household).map_err(|e| Refusal::on("existing", e.to_string()))?;
    let mut referral = referral.clone();
    referral.household = household.id;
    referral.reference = data.next_reference(referral.referral_date.year() as u16);
    referral.validate()?;
    let measure = Measure::new_waiting(&referral);
    let summary = format!(
        "commande {} créée pour {} ({})",
        referral.reference,
        household.display_name(),
        data.sector_name(referral.sector)
    );
    let mut records = Vec::with_capacity(3);
    if is_new {
        records.push(Record::Household(household));
    }
    records.push(Record::Referral(referral));
    records.push(Record::Measure(measure));
    Ok(Decided { summary, records })
}

fn session(
    data: &Dataset,
    today: NaiveDate,
    year: u16,
    month: u8,
    op: &SessionOp,
) -> Result<Decided, Refusal> {
    // Cancelling, restoring and the minutes keep the record as saved; the
    // agenda's operations work on it as it stands now (R-GTS-2); the
    // meeting's, on it with its proposed attendance and chair.
    let mut s = match op {
        SessionOp::Cancel { .. } | SessionOp::Restore { .. } | SessionOp::MinutesSent => data
            .sessions
            .get(&(year, month))
            .cloned()
            .unwrap_or_else(|| GtsSession::new(year, month)),
        SessionOp::Prepare
        | SessionOp::SetChair(_)
        | SessionOp::SetPresent { .. }
        | SessionOp::AddAttendee { .. }
        | SessionOp::NameAttendee { .. }
        | SessionOp::Decide { .. }
        | SessionOp::ClearDecision(_)
        | SessionOp::Close => agenda::meeting_session(data, year, month, today),
        _ => agenda::working_session(data, year, month, today),
    };
    // R-GTS-1: the meeting itself is held on its day; before, the screen
    // rehearses it without saving (see `app::seance`).
    if matches!(
        op,
        SessionOp::Prepare
            | SessionOp::SetChair(_)
            | SessionOp::SetPresent { .. }
            | SessionOp::AddAttendee { .. }
            | SessionOp::NameAttendee { .. }
            | SessionOp::Decide { .. }
            | SessionOp::ClearDecision(_)
            | SessionOp::Close
    ) {
        agenda::ensure_meeting_day(&s, today)?;
    }
    let note_required = |note: &str| {
        if note.trim().is_empty() {
            Err(Refusal::on("note", AgendaError::ReasonRequired.to_string()))
        } else {
            Ok(())
        }
    };
    let label = format!("GTS {month:02}/{year}");
    let done: String = match op {
        SessionOp::Prepare => "ordre du jour préparé".into(),
        SessionOp::SendDraft => {
            agenda::send_draft(&mut s, today)?;
            "ODJ brouillon envoyé aux TS".into()
        }
        SessionOp::SendFinal => {
            agenda::send_final(&mut s, today)?;
            "ODJ définitif envoyé aux partenaires".into()
        }
        SessionOp::Reply { reference, reply } => {
            agenda::record_reply(&mut s, *reference, reply.clone(), today)?;
            format!("{reference} : réponse de la TS")
        }
        SessionOp::AddItem { reference, reason } => {
            agenda::add_item(data, &mut s, *reference, reason)?;
            format!("{reference} ajoutée à l'ordre du jour")
        }
        SessionOp::RemoveItem { reference, reason } => {
            agenda::remove_item(&mut s, *reference, reason)?;
            format!("{reference} retirée de l'ordre du jour")
        }
        SessionOp::AddWorkerSituation { reference, reason } => {
            agenda::add_worker_situation(data, &mut s, *reference, reason, today)?;
            format!("{reference} ajoutée par la TS")
        }
        SessionOp::Move { date, note, anyway } => {
            note_required(note)?;
            agenda::move_session(&mut s, *date, note, *anyway)?;
            format!("déplacé au {}", fr_date(*date))
        }
        SessionOp::Cancel { note } => {
            note_required(note)?;
            agenda::cancel_session(&mut s, note)?;
            "annulé".into()
        }
        SessionOp::Restore { note } => {
            note_required(note)?;
            agenda::restore_session(&mut s)?;
            if !s.note.is_empty() && !s.note.ends_with('\n') {
                s.note.push('\n');
            }
            s.note.push_str(&format!("rétablie : {}", note.trim()));
            "rétabli".into()
        }
        SessionOp::MinutesSent => {
            agenda::mark_minutes_sent(&mut s, today)?;
            "procès-verbal envoyé".into()
        }
        SessionOp::SetChair(chair) => {
            agenda::set_chair(&mut s, chair)?;
            format!("présidence : {chair}")
        }
        SessionOp::SetPresent { index, present } => {
            agenda::set_present(&mut s, *index, *present)?;
            "présences".into()
        }
        SessionOp::AddAttendee { name, organisation } => {
            agenda::add_attendee(&mut s, name, organisation)?;
            format!("{name} ajouté·e")
        }
        SessionOp::NameAttendee { index, name } => {
            agenda::name_attendee(&mut s, *index, name)?;
            format!("{} : présent·e", name.trim())
        }
        SessionOp::Decide {
            reference,
            decision,
            colleague,
        } => {
            let m = measure(data, *reference)?;
            if matches!(decision, Decision::Postpone { .. }) {
                agenda::check_postponement(data, &s, m)?;
            } else {
                // R-ELIG-2: no renewal for a household now under protection.
                if matches!(decision, Decision::Renew { .. })
                    && data
                        .households
                        .get(&m.household)
                        .is_some_and(|h| h.judicial_protection)
                {
                    return Err(DomainError::JudicialProtection.into());
                }
                // R-GTS-6: presented by someone present.
                agenda::presenter_check(data, &s, m, colleague.as_deref())?;
            }
            agenda::record_decision(&mut s, m, decision.clone(), colleague.clone(), today)?;
            format!("{reference} : décision")
        }
        SessionOp::ClearDecision(reference) => {
            agenda::clear_decision(&mut s, *reference)?;
            format!("{reference} : décision retirée")
        }
        SessionOp::Close => {
            let records = agenda::close_session(data, &mut s, today)?;
            let n = s.decisions.len();
            return Ok(Decided {
                summary: format!(
                    "{label} clôturé : {n} décision{} appliquée{}",
                    if n > 1 { "s" } else { "" },
                    if n > 1 { "s" } else { "" }
                ),
                records,
            });
        }
    };
    Ok(Decided {
        summary: format!("{label} : {done}"),
        records: vec![Record::Session(s)],
    })
}
