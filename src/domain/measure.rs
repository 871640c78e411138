//! The measure (mesure): from the referral's arrival to its stop (R-MES,
//! R-DIAG-2/3, R-MASP, R-ELIG-2), with its log of contacts and meetings.

use super::error::DomainError;
use super::gts::Decision;
use super::household::Household;
use super::ids::{HouseholdId, Reference, SectorId, WorkerId};
use super::log::{Author, Correction, MeansSet};
use super::referral::{Objective, Referral, ReferralKind, Requester, validate_initial_months};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Adds whole months, clamping to the month's last day (31/01 + 1 = 28/02,
/// 31/08 + 6 = 28/02). Saturates at the last representable date.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeasureStatus {
    /// On its sector's waiting list.
    Waiting,
    InProgress,
    Stopped {
        date: NaiveDate,
        reason: String,
    },
    /// Could not be set up (R-MES-6), with the reason.
    NotStarted {
        date: NaiveDate,
        reason: String,
    },
}

impl MeasureStatus {
    pub fn label(&self) -> &'static str {
        match self {
            MeasureStatus::Waiting => "en attente",
            MeasureStatus::InProgress => "en cours",
            MeasureStatus::Stopped { .. } => "arrêtée",
            MeasureStatus::NotStarted { .. } => "non mise en place",
        }
    }
}

/// R-MES-5: the contract, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Contract {
    Pending,
    Signed(NaiveDate),
    NoContract { reason: String, date: NaiveDate },
}

/// R-MASP-2: asked, then granted or refused, each with its date.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Masp {
    pub requested: Option<NaiveDate>,
    pub decision: Option<(bool, NaiveDate)>,
}

impl Masp {
    pub fn label(&self) -> String {
        match (self.requested, self.decision) {
            (_, Some((true, d))) => format!("accordée {}", d.format("%d/%m/%Y")),
            (_, Some((false, d))) => format!("refusée {}", d.format("%d/%m/%Y")),
            (Some(d), None) => format!("demandée {}", d.format("%d/%m/%Y")),
            (None, None) => "non".to_string(),
        }
    }
}

/// R-MES-8: a fact presented to the GTS, with the date it was checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckedFact {
    pub label: String,
    pub value: String,
    pub checked_on: NaiveDate,
}

/// R-MES-6: the family refuses to collaborate, or the measure cannot be set
/// up or go on: it goes to the next GTS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DifficultyKind {
    RefusesToCollaborate,
    CannotContinue,
}

impl DifficultyKind {
    pub const ALL: [DifficultyKind; 2] = [
        DifficultyKind::RefusesToCollaborate,
        DifficultyKind::CannotContinue,
    ];
    pub fn label(self) -> &'static str {
        match self {
            DifficultyKind::RefusesToCollaborate => "refus de collaborer",
            DifficultyKind::CannotContinue => "ne peut se poursuivre",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Difficulty {
    pub kind: DifficultyKind,
    pub date: NaiveDate,
    pub note: String,
}

/// The kinds of log entry. Only append variants (bincode encodes the index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    /// A contact attempt of any other kind (SMS, message left…).
    ContactAttempt,
    HomeVisit,
    Phone,
    Letter,
    MeetingHome,
    MeetingMds,
    MeetingInstitution,
    JointMeetingReferring,
}

impl EventKind {
    pub const ALL: [EventKind; 8] = [
        EventKind::HomeVisit,
        EventKind::MeetingHome,
        EventKind::MeetingMds,
        EventKind::MeetingInstitution,
        EventKind::Phone,
        EventKind::Letter,
        EventKind::ContactAttempt,
        EventKind::JointMeetingReferring,
    ];
    pub fn label(self) -> &'static str {
        match self {
            EventKind::ContactAttempt => "Sollicitation",
            EventKind::HomeVisit => "Visite à domicile",
            EventKind::Phone => "Appel téléphonique",
            EventKind::Letter => "Courrier",
            EventKind::MeetingHome => "Rencontre au domicile",
            EventKind::MeetingMds => "Rencontre à la MDS",
            EventKind::MeetingInstitution => "Rencontre en institution",
            EventKind::JointMeetingReferring => "Rencontre commune avec le TS référent",
        }
    }
    /// An actual meeting (R-MES-3).
    pub fn is_meeting(self) -> bool {
        matches!(
            self,
            EventKind::MeetingHome
                | EventKind::MeetingMds
                | EventKind::MeetingInstitution
                | EventKind::JointMeetingReferring
        )
    }
    /// A contact at the family's home (R-MES-2, R-DIAG-2).
    pub fn is_home_visit(self) -> bool {
        matches!(self, EventKind::HomeVisit | EventKind::MeetingHome)
    }
}

/// With whom a contact was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Party {
    Household,
    Requester,
    Landlord,
    ReferringWorker,
    OtherPartner,
}

impl Party {
    pub const ALL: [Party; 5] = [
        Party::Household,
        Party::Requester,
        Party::Landlord,
        Party::ReferringWorker,
        Party::OtherPartner,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Party::Household => "Ménage",
            Party::Requester => "Demandeur",
            Party::Landlord => "Bailleur",
            Party::ReferringWorker => "TS référent",
            Party::OtherPartner => "Autre partenaire",
        }
    }
}

/// The means of DOMAIN.md §5 (the convention's "moyens mis en œuvre").
/// Only append variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Means {
    AgencyContacts,
    HousingApplication,
    HousingVisit,
    AppealsUnitRequest,
    FslFunding,
    LeaseSigning,
    InventoryOfFixtures,
    Moving,
    MeterOpening,
    HomeInsurance,
    HousingBenefit,
    HomeUpkeep,
    Furnishing,
    EnergyAdvice,
    Neighbourhood,
    LocalLife,
    PaperFiling,
    BudgetTools,
    CreditorNegotiation,
    AdministrativeRights,
    OverIndebtedness,
    RepaymentPlan,
    BudgetSupport,
    CafHousingUnit,
    LandlordMediation,
    SubstandardHousing,
}

impl Means {
    pub const ALL: [Means; 26] = [
        Means::AgencyContacts,
        Means::HousingApplication,
        Means::HousingVisit,
        Means::AppealsUnitRequest,
        Means::FslFunding,
        Means::LeaseSigning,
        Means::InventoryOfFixtures,
        Means::Moving,
        Means::MeterOpening,
        Means::HomeInsurance,
        Means::HousingBenefit,
        Means::HomeUpkeep,
        Means::Furnishing,
        Means::EnergyAdvice,
        Means::Neighbourhood,
        Means::LocalLife,
        Means::PaperFiling,
        Means::BudgetTools,
        Means::CreditorNegotiation,
        Means::AdministrativeRights,
        Means::OverIndebtedness,
        Means::RepaymentPlan,
        Means::BudgetSupport,
        Means::CafHousingUnit,
        Means::LandlordMediation,
        Means::SubstandardHousing,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Means::AgencyContacts => "Contacts agences, propriétaires, mairies, HLM",
            Means::HousingApplication => "Demande de logement",
            Means::HousingVisit => "Visite de logement",
            Means::AppealsUnitRequest => "Sollicitation de la cellule de recours",
            Means::FslFunding => "Recherche de financement (FSL…)",
            Means::LeaseSigning => "Signature du bail",
            Means::InventoryOfFixtures => "État des lieux",
            Means::Moving => "Organisation du déménagement",
            Means::MeterOpening => "Ouverture des compteurs",
            Means::HomeInsurance => "Assurance habitat",
            Means::HousingBenefit => "Allocation logement / APL",
            Means::HomeUpkeep => "Entretien du logement",
            Means::Furnishing => "Aménagement, mobilier",
            Means::EnergyAdvice => "Économies d'énergie",
            Means::Neighbourhood => "Relations de voisinage",
            Means::LocalLife => "Accès à la vie locale",
            Means::PaperFiling => "Classement des papiers",
            Means::BudgetTools => "Supports budgétaires",
            Means::CreditorNegotiation => "Négociation avec les créanciers",
            Means::AdministrativeRights => "Démarches, rétablissement des droits",
            Means::OverIndebtedness => "Dossier de surendettement",
            Means::RepaymentPlan => "Plan d'apurement",
            Means::BudgetSupport => "AEB",
            Means::CafHousingUnit => "Lien cellule Logement CAF",
            Means::LandlordMediation => "Médiation avec le bailleur",
            Means::SubstandardHousing => "Lutte contre l'habitat indigne",
        }
    }
}

/// Serialised by hand (`domain::log`): the correction is left out of the
/// JSON export when there is none. Only append fields, with a new format
/// version: bincode writes the fields one after the other, unnamed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogEntry {
    #[serde(deserialize_with = "super::log::compact_date::deserialize")]
    pub date: NaiveDate,
    pub kind: EventKind,
    pub with: Party,
    pub means: MeansSet,
    pub note: String,
    /// Who logged it (a correction keeps it: see [`Correction::by`]).
    pub author: Author,
    /// The last correction, with the entry as it was (format version 2).
    #[serde(default, deserialize_with = "super::log::correction_field")]
    pub correction: Option<Box<Correction>>,
}

/// A renewal decided by the GTS (R-MES-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Renewal {
    pub decided_on: NaiveDate,
    pub months: u8,
    pub new_end: NaiveDate,
}

/// The worker's written review presented to the GTS (R-BIL-1).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub text: String,
    pub updated: Option<NaiveDate>,
}

/// The review of a cycle that ended with a renewal (R-BIL-1): kept when the
/// measure was renewed, so that the reviews are kept per cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PastReview {
    /// The cycle it reviewed: 1 for the initial duration, 2 after the first
    /// renewal, 3 after the second.
    pub cycle: u8,
    /// The GTS day that renewed the measure on it.
    pub renewed_on: NaiveDate,
    pub review: Review,
}

/// Who held a measure before a hand-over (R-MES-7, R-CAP-3): the worker,
/// the sector whose load carried it, and the day it was handed over (the
/// first day of the next holder). Statistics attribute the work by it
/// (R-STAT-1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PastHolder {
    pub worker: Option<WorkerId>,
    pub sector: SectorId,
    pub until: NaiveDate,
}

/// One holding of a measure, as [`Measure::holdings`] gives it: from which
/// day, by whom, in which sector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holding {
    pub from: NaiveDate,
    pub worker: Option<WorkerId>,
    pub sector: SectorId,
}

/// R-REF-5: a measure started before others that came first in its
/// sector's waiting order, with the reason given, kept to be reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutOfOrder {
    pub reason: String,
    /// How many waiting referrals of the list it passed.
    pub passed: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub reference: Reference,
    pub household: HouseholdId,
    pub kind: ReferralKind,
    /// The sector whose load carries it (R-CAP-2). Set at start from the
    /// worker's sector; a household moving keeps it there (R-MES-7).
    pub sector: SectorId,
    pub worker: Option<WorkerId>,
    pub status: MeasureStatus,
    pub start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub renewals: Vec<Renewal>,
    pub contract: Contract,
    pub masp: Masp,
    pub checked_facts: Vec<CheckedFact>,
    pub difficulty: Option<Difficulty>,
    /// The log of contacts and meetings, oldest first. Left on disk by the
    /// store until a file is opened: see [`Measure::log_on_disk`].
    pub events: Vec<LogEntry>,
    pub review: Review,
    /// `Some` when the store left the log on disk (`events` is then empty):
    /// what the rules need of it, as computed when it was last written.
    /// `None` when `events` is the whole log. Not part of any format.
    #[serde(skip)]
    pub log_on_disk: Option<LogFacts>,
    /// The reviews of the cycles that ended with a renewal, oldest first
    /// (R-BIL-1). Appended in format version 2 (version 1 records have
    /// none); absent from an older export.
    #[serde(default)]
    pub past_reviews: Vec<PastReview>,
    /// Who held it before `worker`, oldest first: empty unless it was
    /// handed over (format version 3; older records and exports have none
    /// known). See [`Measure::holdings`].
    #[serde(default)]
    pub previous_holders: Vec<PastHolder>,
    /// Started out of the waiting order, and why (format version 3).
    #[serde(default)]
    pub out_of_order: Option<OutOfOrder>,
}

/// What the rules need of a measure's log (R-REF-4, R-MES-2/3, R-DIAG-2),
/// kept with the measure so that the log itself can stay on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogFacts {
    pub entries: u32,
    pub household_attempts: u32,
    pub home_visit: bool,
    pub first_household: Option<NaiveDate>,
    pub last_household_meeting: Option<NaiveDate>,
    pub first_referring_worker: Option<NaiveDate>,
    pub first_landlord: Option<NaiveDate>,
    pub first_requester: Option<NaiveDate>,
}

impl LogFacts {
    /// In one pass over the log.
    pub fn of(events: &[LogEntry]) -> LogFacts {
        let min = |a: &mut Option<NaiveDate>, d: NaiveDate| *a = Some(a.map_or(d, |x| x.min(d)));
        let mut f = LogFacts {
            entries: events.len() as u32,
            ..LogFacts::default()
        };
        for e in events {
            match e.with {
                Party::Household => {
                    f.household_attempts += 1;
                    f.home_visit |= e.kind.is_home_visit();
                    min(&mut f.first_household, e.date);
                    if e.kind.is_meeting() {
                        f.last_household_meeting =
                            Some(f.last_household_meeting.map_or(e.date, |x| x.max(e.date)));
                    }
                }
                Party::ReferringWorker => min(&mut f.first_referring_worker, e.date),
                Party::Landlord => min(&mut f.first_landlord, e.date),
                Party::Requester => min(&mut f.first_requester, e.date),
                Party::OtherPartner => {}
            }
        }
        f
    }

    pub fn first_contact_with(&self, party: Party) -> Option<NaiveDate> {
        match party {
            Party::Household => self.first_household,
            Party::ReferringWorker => self.first_referring_worker,
            Party::Landlord => self.first_landlord,
            Party::Requester => self.first_requester,
            Party::OtherPartner => None,
        }
    }
}

impl Measure {
    /// The measure that a new referral opens: waiting on its sector's list.
    pub fn new_waiting(referral: &Referral) -> Self {
        Self {
            reference: referral.reference,
            household: referral.household,
            kind: referral.kind,
            sector: referral.sector,
            worker: None,
            status: MeasureStatus::Waiting,
            start: None,
            planned_end: None,
            renewals: Vec::new(),
            contract: Contract::Pending,
            masp: Masp::default(),
            checked_facts: Vec::new(),
            difficulty: None,
            events: Vec::new(),
            review: Review::default(),
            log_on_disk: None,
            past_reviews: Vec::new(),
            previous_holders: Vec::new(),
            out_of_order: None,
        }
    }

    /// Who held it, oldest first: each previous holder from the start or
    /// the hand-over before, then `worker` and `sector` from the last
    /// hand-over. Empty while not started.
    pub fn holdings(&self) -> Vec<Holding> {
        let Some(start) = self.start else {
            return Vec::new();
        };
        let mut from = start;
        let mut out = Vec::with_capacity(self.previous_holders.len() + 1);
        for p in &self.previous_holders {
            out.push(Holding {
                from,
                worker: p.worker,
                sector: p.sector,
            });
            from = p.until;
        }
        out.push(Holding {
            from,
            worker: self.worker,
            sector: self.sector,
        });
        out
    }

    /// The holdings with the day each ended (exclusive: the next one's
    /// start), `None` for the current one; a stopped measure's last
    /// holding ends the day after its stop.
    pub fn holding_periods(&self) -> Vec<(Holding, Option<NaiveDate>)> {
        let last_end = match &self.status {
            MeasureStatus::Stopped { date, .. } => date.succ_opt(),
            _ => None,
        };
        let all = self.holdings();
        all.iter()
            .enumerate()
            .map(|(i, h)| (*h, all.get(i + 1).map(|n| n.from).or(last_end)))
            .collect()
    }

    pub fn is_in_progress(&self) -> bool {
        self.status == MeasureStatus::InProgress
    }

    pub fn is_waiting(&self) -> bool {
        self.status == MeasureStatus::Waiting
    }

    /// Starts the measure with a worker of `sector`.
    /// R-ELIG-2: refused for a household under judicial protection.
    /// R-MES-1: planned end = start + the commission's initial duration.
    /// R-DIAG-2: a diagnostic is due two months after the order was received.
    pub fn start(
        &mut self,
        referral: &Referral,
        household: &Household,
        worker: WorkerId,
        sector: SectorId,
        date: NaiveDate,
    ) -> Result<(), DomainError> {
        check_eligibility(household)?;
        if self.status != MeasureStatus::Waiting {
            return Err(self.wrong_status());
        }
        if date < referral.referral_date {
            return Err(DomainError::BeforeReferral {
                date: date.format("%d/%m/%Y").to_string(),
            });
        }
        self.status = MeasureStatus::InProgress;
        self.worker = Some(worker);
        self.sector = sector;
        self.start = Some(date);
        self.previous_holders.clear();
        self.planned_end = Some(match self.kind {
            ReferralKind::Measure => add_months(date, u32::from(referral.initial_months)),
            ReferralKind::Diagnostic => diagnostic_due(referral),
        });
        Ok(())
    }

    /// R-MES-4: renew for 1..=6 months, at most twice; new planned end =
    /// current planned end + N months. R-BIL-1: the current review goes to
    /// `past_reviews`, with its cycle.
    pub fn renew(&mut self, months: u8, decided_on: NaiveDate) -> Result<NaiveDate, DomainError> {
        check_renewal(self, months)?;
        let end = self.planned_end.unwrap_or(decided_on);
        let new_end = add_months(end, u32::from(months));
        // R-BIL-1: the review of the cycle that ends is kept with it; the
        // new cycle's is to be written.
        if !self.review.text.trim().is_empty() || self.review.updated.is_some() {
            self.past_reviews.push(PastReview {
                cycle: u8::try_from(self.renewals.len() + 1).unwrap_or(u8::MAX),
                renewed_on: decided_on,
                review: std::mem::take(&mut self.review),
            });
        }
        self.renewals.push(Renewal {
            decided_on,
            months,
            new_end,
        });
        self.planned_end = Some(new_end);
        Ok(new_end)
    }

    /// Ends a measure in progress (GTS decision, end of a diagnostic…).
    pub fn stop(&mut self, date: NaiveDate, reason: &str) -> Result<(), DomainError> {
        if !self.is_in_progress() {
            return Err(self.wrong_status());
        }
        self.check_not_before_start(date)?;
        self.status = MeasureStatus::Stopped {
            date,
            reason: reason.to_string(),
        };
        Ok(())
    }

    /// R-MES-6: a waiting measure that could not be set up, with the reason.
    pub fn mark_not_started(&mut self, date: NaiveDate, reason: &str) -> Result<(), DomainError> {
        if reason.trim().is_empty() {
            return Err(DomainError::ReasonRequired);
        }
        if !self.is_waiting() {
            return Err(self.wrong_status());
        }
        self.status = MeasureStatus::NotStarted {
            date,
            reason: reason.trim().to_string(),
        };
        Ok(())
    }

    /// R-GTS-7: applies a GTS decision. Stop ends the measure on `date`;
    /// Renew extends it (R-MES-4, refused a third time); Postpone keeps it
    /// as it is for the next session and needs a reason.
    pub fn apply_decision(
        &mut self,
        decision: &Decision,
        date: NaiveDate,
    ) -> Result<(), DomainError> {
        match decision {
            Decision::Stop => self.stop(date, "Arrêt décidé par le GTS"),
            Decision::Renew { months } => self.renew(*months, date).map(|_| ()),
            Decision::Postpone { reason } => {
                if reason.trim().is_empty() {
                    return Err(DomainError::ReasonRequired);
                }
                if !self.is_in_progress() {
                    return Err(self.wrong_status());
                }
                Ok(())
            }
        }
    }

    /// R-MES-5: the contract signed between household and worker.
    pub fn sign_contract(&mut self, date: NaiveDate) -> Result<(), DomainError> {
        if !self.is_in_progress() {
            return Err(self.wrong_status());
        }
        self.check_not_before_start(date)?;
        self.contract = Contract::Signed(date);
        Ok(())
    }

    /// R-MES-6: the family refuses to collaborate, or the measure cannot be
    /// set up or go on; it then goes to the next GTS
    /// (`agenda::draft_agenda`).
    pub fn record_difficulty(
        &mut self,
        kind: DifficultyKind,
        date: NaiveDate,
        note: &str,
    ) -> Result<(), DomainError> {
        if note.trim().is_empty() {
            return Err(DomainError::ReasonRequired);
        }
        if !matches!(
            self.status,
            MeasureStatus::Waiting | MeasureStatus::InProgress
        ) {
            return Err(self.wrong_status());
        }
        self.difficulty = Some(Difficulty {
            kind,
            date,
            note: note.trim().to_string(),
        });
        Ok(())
    }

    /// R-MES-2, R-MES-3, R-REF-4: a contact attempt or a meeting, logged
    /// while the measure waits (the first contacts come before the start)
    /// or is in progress. The log must be in memory: appending to a log
    /// left on disk would lose the rest of it.
    pub fn log_event(&mut self, entry: LogEntry) -> Result<(), DomainError> {
        if !matches!(
            self.status,
            MeasureStatus::Waiting | MeasureStatus::InProgress
        ) {
            return Err(self.wrong_status());
        }
        if self.log_on_disk.is_some() {
            return Err(DomainError::LogNotLoaded);
        }
        self.check_not_before_start(entry.date)?;
        self.events.push(entry);
        self.events.sort_by_key(|e| e.date);
        Ok(())
    }

    /// R-MES-2, R-MES-3, R-REF-4: corrects the entry `was`, logged by
    /// mistake (wrong type, date, party, means or note), into `corrected`.
    /// The entry is changed where it stands, so that what the rules count
    /// (attempts, home visit, meetings, first contacts) follows the
    /// corrected entry at once; it keeps who corrected it, on which day, and
    /// what it was ([`Correction`]). The author stays the one who logged
    /// it. Same conditions as logging: a measure waiting or in progress,
    /// its log in memory, a date not before the start.
    pub fn correct_event(
        &mut self,
        was: &LogEntry,
        corrected: LogEntry,
        by: &str,
        on: NaiveDate,
    ) -> Result<(), DomainError> {
        if !matches!(
            self.status,
            MeasureStatus::Waiting | MeasureStatus::InProgress
        ) {
            return Err(self.wrong_status());
        }
        if self.log_on_disk.is_some() {
            return Err(DomainError::LogNotLoaded);
        }
        let i = self
            .events
            .iter()
            .position(|e| e == was)
            .ok_or(DomainError::EntryNotFound)?;
        self.check_not_before_start(corrected.date)?;
        let old = &self.events[i];
        let entry = LogEntry {
            date: corrected.date,
            kind: corrected.kind,
            with: corrected.with,
            means: corrected.means,
            note: corrected.note.trim().to_string(),
            author: old.author.clone(),
            correction: None,
        };
        if (entry.date, entry.kind, entry.with, entry.means, &entry.note)
            == (old.date, old.kind, old.with, old.means, &old.note)
        {
            return Err(DomainError::NothingCorrected);
        }
        let entry = LogEntry {
            correction: Some(Box::new(Correction {
                by: by.into(),
                on,
                was: old.clone(),
            })),
            ..entry
        };
        self.events[i] = entry;
        self.events.sort_by_key(|e| e.date);
        Ok(())
    }

    /// R-BIL-1: the worker's review, as written on `date`.
    pub fn write_review(&mut self, text: &str, date: NaiveDate) -> Result<(), DomainError> {
        self.review.text = text.trim_end().to_string();
        self.review.updated = Some(date);
        Ok(())
    }

    /// R-MES-8: a fact to present to the GTS, checked on `checked_on`. A fact
    /// with the same label is replaced (its newer check wins).
    pub fn record_checked_fact(
        &mut self,
        label: &str,
        value: &str,
        checked_on: NaiveDate,
    ) -> Result<(), DomainError> {
        let label = label.trim();
        if label.is_empty() {
            return Err(DomainError::LabelRequired);
        }
        self.check_not_before_start(checked_on)?;
        let fact = CheckedFact {
            label: label.to_string(),
            value: value.trim().to_string(),
            checked_on,
        };
        match self.checked_facts.iter_mut().find(|f| f.label == label) {
            Some(f) => *f = fact,
            None => self.checked_facts.push(fact),
        }
        Ok(())
    }

    /// R-MES-8: the facts not checked since `since` (e.g. the previous
    /// session), to check again before presenting them.
    pub fn facts_to_recheck(&self, since: NaiveDate) -> Vec<&CheckedFact> {
        self.checked_facts
            .iter()
            .filter(|f| f.checked_on < since)
            .collect()
    }

    /// R-MES-7 / R-CAP-3: the measure changes worker (and so sector load),
    /// when the worker does not keep it after a move or the GIP rebalances.
    /// The hand-over is kept in the holding history from `date`.
    pub fn hand_over(
        &mut self,
        worker: WorkerId,
        sector: SectorId,
        date: NaiveDate,
    ) -> Result<(), DomainError> {
        if !self.is_in_progress() {
            return Err(self.wrong_status());
        }
        self.check_not_before_start(date)?;
        let last = self.previous_holders.last().map(|p| p.until);
        if last.is_some_and(|l| date < l) {
            return Err(DomainError::BeforeLastHolding {
                date: date.format("%d/%m/%Y").to_string(),
            });
        }
        // Two hand-overs on one day: who held it for no day is not kept.
        if last != Some(date) && self.start != Some(date) {
            self.previous_holders.push(PastHolder {
                worker: self.worker,
                sector: self.sector,
                until: date,
            });
        }
        self.worker = Some(worker);
        self.sector = sector;
        Ok(())
    }

    fn check_not_before_start(&self, date: NaiveDate) -> Result<(), DomainError> {
        match self.start {
            Some(start) if date < start => Err(DomainError::BeforeStart {
                date: date.format("%d/%m/%Y").to_string(),
            }),
            _ => Ok(()),
        }
    }

    /// R-MES-5: record that there is no contract, and why.
    pub fn record_no_contract(&mut self, reason: &str, date: NaiveDate) -> Result<(), DomainError> {
        if reason.trim().is_empty() {
            return Err(DomainError::ReasonRequired);
        }
        self.contract = Contract::NoContract {
            reason: reason.trim().to_string(),
            date,
        };
        Ok(())
    }

    /// R-MASP-1/2: ask for the MASP qualification.
    pub fn request_masp(
        &mut self,
        referral: &Referral,
        date: NaiveDate,
    ) -> Result<(), DomainError> {
        if !self.is_in_progress() {
            return Err(self.wrong_status());
        }
        if !masp_eligible(referral) {
            return Err(DomainError::MaspNotEligible);
        }
        self.check_not_before_start(date)?;
        if self.masp.requested.is_some() {
            return Err(DomainError::Masp("déjà demandée".into()));
        }
        self.masp.requested = Some(date);
        Ok(())
    }

    /// R-MASP-2: the concertation body's decision.
    pub fn decide_masp(&mut self, granted: bool, date: NaiveDate) -> Result<(), DomainError> {
        match self.masp.requested {
            None => Err(DomainError::Masp("aucune demande enregistrée".into())),
            Some(asked) if date < asked => {
                Err(DomainError::Masp("la décision précède la demande".into()))
            }
            Some(_) => {
                self.masp.decision = Some((granted, date));
                Ok(())
            }
        }
    }

    fn wrong_status(&self) -> DomainError {
        DomainError::WrongStatus {
            status: self.status.label().to_string(),
        }
    }

    /// What the rules need of the log, whether it is in memory or on disk.
    pub fn facts(&self) -> LogFacts {
        self.log_on_disk
            .unwrap_or_else(|| LogFacts::of(&self.events))
    }

    /// Contact attempts with the household (R-MES-2, R-DIAG-2).
    pub fn contact_attempts(&self) -> usize {
        self.facts().household_attempts as usize
    }

    pub fn has_home_visit(&self) -> bool {
        self.facts().home_visit
    }

    pub fn last_meeting(&self) -> Option<NaiveDate> {
        self.facts().last_household_meeting
    }

    pub fn first_contact_with(&self, party: Party) -> Option<NaiveDate> {
        self.facts().first_contact_with(party)
    }

    pub fn renewals_used(&self) -> usize {
        self.renewals.len()
    }
}

/// A new referral (R-REF): checks it (R-REF-6, R-DIAG-1, R-MES-1, R-OBJ)
/// and the household (R-ELIG-2: refused under judicial protection), and
/// opens the measure waiting on its sector's list.
pub fn open_referral(referral: &Referral, household: &Household) -> Result<Measure, DomainError> {
    if referral.household != household.id {
        return Err(DomainError::UnknownHousehold);
    }
    check_eligibility(household)?;
    referral.validate()?;
    Ok(Measure::new_waiting(referral))
}

/// R-DIAG-3: after a diagnostic, its worker asks for a measure, which
/// starts right after: no waiting list. Returns the new referral (asked by
/// the FSL worker, R-REF-1 6; `after_diagnostic` set; same sector and
/// deciding body as the diagnostic) and its measure, already in progress
/// with the diagnostic's worker from `date`.
#[allow(clippy::too_many_arguments)]
pub fn measure_after_diagnostic(
    diagnostic: &Referral,
    diagnostic_measure: &Measure,
    household: &Household,
    reference: Reference,
    objectives: Vec<Objective>,
    initial_months: u8,
    date: NaiveDate,
) -> Result<(Referral, Measure), DomainError> {
    if diagnostic.kind != ReferralKind::Diagnostic
        || diagnostic_measure.kind != ReferralKind::Diagnostic
        || diagnostic_measure.reference != diagnostic.reference
    {
        return Err(DomainError::NotADiagnostic {
            reference: diagnostic.reference.to_string(),
        });
    }
    let (Some(worker), Some(_)) = (diagnostic_measure.worker, diagnostic_measure.start) else {
        return Err(DomainError::DiagnosticNotStarted {
            reference: diagnostic.reference.to_string(),
        });
    };
    if household.id != diagnostic.household {
        return Err(DomainError::UnknownHousehold);
    }
    check_eligibility(household)?;
    validate_initial_months(initial_months)?;
    if objectives.is_empty() {
        return Err(DomainError::NoObjective);
    }
    diagnostic_measure.check_not_before_start(date)?;
    let referral = Referral {
        reference,
        household: diagnostic.household,
        kind: ReferralKind::Measure,
        requester: Requester::Other,
        deciding_body: diagnostic.deciding_body,
        urgent: false,
        referral_date: date,
        received: date,
        objectives,
        initial_months,
        sector: diagnostic_measure.sector,
        sublet: false,
        after_diagnostic: Some(diagnostic.reference),
        note: format!("Suite au diagnostic {}", diagnostic.reference),
    };
    referral.validate()?;
    let mut measure = Measure::new_waiting(&referral);
    measure.start(
        &referral,
        household,
        worker,
        diagnostic_measure.sector,
        date,
    )?;
    Ok((referral, measure))
}

/// R-ELIG-2: ASSLL and judicial protection cannot coexist.
pub fn check_eligibility(household: &Household) -> Result<(), DomainError> {
    if household.judicial_protection {
        Err(DomainError::JudicialProtection)
    } else {
        Ok(())
    }
}

/// R-MES-4: the checks of a renewal, without applying it (the GTS screen
/// refuses on the spot with the same message).
pub fn check_renewal(measure: &Measure, months: u8) -> Result<(), DomainError> {
    if !measure.is_in_progress() || measure.kind != ReferralKind::Measure {
        return Err(measure.wrong_status());
    }
    if measure.renewals.len() >= MAX_RENEWALS {
        return Err(DomainError::ThirdRenewal);
    }
    if !(1..=6).contains(&months) {
        return Err(DomainError::RenewalDuration { months });
    }
    Ok(())
}

pub const MAX_RENEWALS: usize = 2;

/// R-BIL-1: a renewal is decided on the review (bilan) of the cycle that
/// ends: written since the measure started, or since its last renewal
/// (a review written on the day of that renewal's GTS was the one presented
/// to it).
pub fn check_review_for_renewal(measure: &Measure) -> Result<(), DomainError> {
    let written = measure
        .review
        .updated
        .filter(|_| !measure.review.text.trim().is_empty());
    let (ok, since) = match (measure.renewals.last(), measure.start) {
        (Some(last), _) => (
            written.is_some_and(|w| w > last.decided_on),
            last.decided_on,
        ),
        (None, Some(start)) => (written.is_some_and(|w| w >= start), start),
        (None, None) => return Ok(()),
    };
    if ok {
        Ok(())
    } else {
        Err(DomainError::NoReviewThisCycle {
            since: since.format("%d/%m/%Y").to_string(),
        })
    }
}

/// R-DIAG-2: a diagnostic is returned within two months of receiving the order.
pub fn diagnostic_due(referral: &Referral) -> NaiveDate {
    add_months(referral.received, 2)
}

/// R-REF-4: the first contact with the household and partners is due within
/// one month of receiving the referral.
pub fn first_contact_due(referral: &Referral) -> NaiveDate {
    add_months(referral.received, 1)
}

/// R-MASP-1: a budget objective, or a sub-letting setting.
pub fn masp_eligible(referral: &Referral) -> bool {
    referral.kind == ReferralKind::Measure
        && (referral.sublet || referral.objectives.iter().any(|o| o.is_budget()))
}

/// Where a measure stands against the convention's minimums, for the
/// compliance strip and the alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compliance {
    pub first_contact_due: NaiveDate,
    pub first_household_contact: Option<NaiveDate>,
    pub referring_worker_contacted: bool,
    pub attempts: usize,
    pub home_visit: bool,
    pub requester_contacted: bool,
    pub landlord_contacted: bool,
    pub last_meeting: Option<NaiveDate>,
    pub days_since_meeting: Option<i64>,
}

impl Compliance {
    /// R-MES-2 (and R-DIAG-2): at least three attempts, one of which is a
    /// home visit: both, not either.
    pub fn attempts_met(&self) -> bool {
        self.attempts >= 3 && self.home_visit
    }

    /// R-MES-3: no more than fifteen days since the last meeting (or since
    /// the start when there was none yet, `days` from the start).
    pub fn meetings_met(&self) -> bool {
        self.days_since_meeting
            .is_none_or(|d| d <= super::alerts::MEETING_GAP_DAYS as i64)
    }
}

/// R-MES-2: the requester named in the referral has been contacted. When
/// the requester is the household, the referring worker or the landlord, a
/// contact with that party counts.
/// Where a measure stands, in one pass over its log (the alert engine runs
/// this for every measure).
pub fn compliance(measure: &Measure, referral: &Referral, today: NaiveDate) -> Compliance {
    let f = measure.facts();
    let first_household_contact = f.first_household;
    let last_meeting = f.last_household_meeting;
    let (attempts, home_visit) = (f.household_attempts as usize, f.home_visit);
    let referring = f.first_referring_worker.is_some();
    let landlord = f.first_landlord.is_some();
    let requester_party = f.first_requester.is_some();
    // R-MES-2: the requester counts as contacted when it is the household,
    // the referring worker or the landlord and that party was contacted.
    let requester_contacted = requester_party
        || match referral.requester {
            Requester::Household => first_household_contact.is_some(),
            Requester::ReferringWorker => referring,
            Requester::Landlord => landlord,
            _ => false,
        };
    let since = last_meeting.or(measure.start);
    Compliance {
        first_contact_due: first_contact_due(referral),
        first_household_contact,
        referring_worker_contacted: referring,
        attempts,
        home_visit,
        requester_contacted,
        landlord_contacted: landlord,
        last_meeting,
        days_since_meeting: since.map(|d| (today - d).num_days()),
    }
}
