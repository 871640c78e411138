//! The synthetic demo data set: invented people in real Charente communes,
//! dated relative to `today` so that it always looks current.
//!
//! [`generate`] is deterministic for `(today, households, seed)`. Its
//! households follow a template of [`DEFAULT_HOUSEHOLDS`] situations that
//! exercises every rule of DOMAIN.md (loads over capacity and free places,
//! waiting lists of 0 to 9 with urgent and diagnostic entries, measures at
//! every stage, MASP, judicial protection, overdue contacts, meeting
//! gaps…); a larger data set repeats the template, so it scales in O(n)
//! (loads are then far over capacity).
//!
//! Nobody in it is real: first and last names are drawn from lists of
//! common French names.

use crate::communes::{self, Commune};
use crate::domain::error::DomainError;
use crate::domain::gts::{
    AgendaItem, AgendaReason, Attendee, DecisionRecord, Reply, SessionInfo, sessions_from,
};
use crate::domain::measure::{
    CheckedFact, Difficulty, DifficultyKind, OutOfOrder, PastHolder, masp_eligible,
};
use crate::domain::sector::default_sectors;
use crate::domain::{
    Contract, Dataset, DecidingBody, Decision, Employer, EventKind, GtsSession, Household,
    HouseholdId, Landlord, LandlordKind, LogEntry, Means, Measure, MeasureStatus, Norms, Objective,
    Party, Reference, Referral, ReferralKind, Requester, SectorId, Worker, WorkerId,
};
use chrono::{Datelike, Days, Months, NaiveDate};
use std::collections::BTreeMap;

/// The default size: the template's one pass, which covers every situation.
pub const DEFAULT_HOUSEHOLDS: usize = 120;
pub const DEFAULT_SEED: u64 = 1;

/// splitmix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi` (`lo` when `hi < lo`).
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo + 1) as u64;
        lo + (self.next() % span) as i64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The situation a household of the template is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Profile {
    /// In progress, contract signed, a meeting every 10 to 14 days.
    Compliant,
    /// Started this month, contract not signed yet.
    NewThisMonth,
    OneRenewal,
    TwoRenewals,
    /// Planned end within the next two GTS sessions; review written.
    EndingSoon,
    /// Planned end passed, review written, waiting for the GTS (R-BIL-1).
    EndPassed,
    /// R-MES-5: no contract, with the reason for the GTS.
    NoContractReason,
    /// R-MES-5: over 30 days without contract nor reason.
    NoContractOverdue,
    /// R-MES-6: the family refuses to collaborate.
    Refusal,
    MaspAsked,
    MaspGranted,
    /// R-MES-3: last meeting over 15 days ago.
    MeetingGap,
    /// R-ELIG-2: a judicial protection appeared during the measure.
    Protected,
    /// R-MES-7: the household moved to another sector, the worker kept it.
    Moved,
    DiagnosticInProgress,
    /// R-DIAG-2: a diagnostic due within the week.
    DiagnosticDueSoon,
    /// R-DIAG-3: a diagnostic done, then a measure that started at once.
    AfterDiagnostic,
    /// Waiting, first contacts made (R-REF-4).
    Waiting,
    /// Waiting for over a month with no contact (R-REF-4 overdue).
    WaitingLate,
    /// Urgency asked and decided by the appeals unit (R-REF-5).
    WaitingUrgent,
    WaitingDiagnostic,
    Stopped,
    /// R-MES-6: could not be set up.
    NotStarted,
}

use Profile::*;

/// The template, sector by sector. Loads (measures in progress):
/// 9/14, 15/14, 11/30, 13/30, 16/14, 10/30, 5/15, 4/14, 5/14;
/// waiting lists: 2, 6, 3, 9, 4, 1, 0, 0, 1.
const TEMPLATE: &[(u16, &[(Profile, u8)])] = &[
    (
        1,
        &[
            (NewThisMonth, 1),
            (OneRenewal, 1),
            (EndingSoon, 1),
            (MaspGranted, 1),
            (Compliant, 5),
            (Waiting, 1),
            (WaitingDiagnostic, 1),
            (Stopped, 1),
        ],
    ),
    (
        2,
        &[
            (OneRenewal, 1),
            (TwoRenewals, 1),
            (EndingSoon, 1),
            (NoContractReason, 1),
            (MeetingGap, 1),
            (Compliant, 10),
            (WaitingUrgent, 1),
            (WaitingLate, 1),
            (Waiting, 4),
        ],
    ),
    (
        3,
        &[
            (OneRenewal, 1),
            (EndingSoon, 1),
            (MaspAsked, 1),
            (Protected, 1),
            (Moved, 1),
            (Compliant, 6),
            (Waiting, 3),
            (Stopped, 1),
        ],
    ),
    (
        4,
        &[
            (NewThisMonth, 1),
            (TwoRenewals, 1),
            (EndingSoon, 1),
            (NoContractOverdue, 1),
            (MeetingGap, 1),
            (Compliant, 8),
            (WaitingUrgent, 1),
            (WaitingDiagnostic, 1),
            (WaitingLate, 1),
            (Waiting, 6),
            (NotStarted, 1),
            (DiagnosticDueSoon, 1),
        ],
    ),
    (
        5,
        &[
            (OneRenewal, 1),
            (TwoRenewals, 1),
            (EndingSoon, 1),
            (NoContractReason, 1),
            (Refusal, 1),
            (Compliant, 11),
            (WaitingUrgent, 1),
            (Waiting, 3),
        ],
    ),
    (
        6,
        &[
            (NewThisMonth, 1),
            (EndingSoon, 1),
            (EndPassed, 1),
            (MaspGranted, 1),
            (Compliant, 6),
            (Waiting, 1),
            (DiagnosticInProgress, 1),
        ],
    ),
    (7, &[(EndingSoon, 1), (Compliant, 4)]),
    (8, &[(AfterDiagnostic, 1), (MeetingGap, 1), (Compliant, 2)]),
    (
        9,
        &[(TwoRenewals, 1), (Compliant, 4), (Waiting, 1), (Stopped, 1)],
    ),
];

fn template() -> Vec<(SectorId, Profile)> {
    let mut out = Vec::with_capacity(DEFAULT_HOUSEHOLDS);
    for (sector, items) in TEMPLATE {
        for (profile, count) in *items {
            for _ in 0..*count {
                out.push((SectorId(*sector), *profile));
            }
        }
    }
    out
}

const FEMALE: &[&str] = &[
    "Émilie",
    "Hélène",
    "Chloé",
    "Léa",
    "Manon",
    "Camille",
    "Sophie",
    "Nathalie",
    "Isabelle",
    "Céline",
    "Aurélie",
    "Sandrine",
    "Valérie",
    "Stéphanie",
    "Élodie",
    "Inès",
    "Zoé",
    "Maëlle",
    "Noémie",
    "Josiane",
    "Françoise",
    "Geneviève",
    "Mélanie",
    "Laëtitia",
];
const MALE: &[&str] = &[
    "Jérôme",
    "Frédéric",
    "Stéphane",
    "Sébastien",
    "Julien",
    "Nicolas",
    "Thierry",
    "Loïc",
    "Mickaël",
    "Kévin",
    "Théo",
    "Hugo",
    "Mathéo",
    "Grégory",
    "Raphaël",
    "Benoît",
    "Hervé",
    "Joël",
    "Gaël",
    "Cédric",
    "Yannick",
    "Rémi",
    "Anthony",
    "François",
];
const LAST: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Gérard",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Roche",
    "Noël",
    "Meunier",
    "Pérez",
    "Marchand",
    "Dufour",
    "Blanchard",
    "Barbier",
    "Brun",
    "Dumas",
    "Colin",
    "Renard",
    "Arnaud",
    "Rolland",
    "Giraud",
    "Leclerc",
    "Vidal",
    "Bourgeois",
    "Lemoine",
    "Picard",
    "Gaillard",
    "Lacroix",
    "Dupuis",
    "Olivier",
    "Hébert",
    "Ménard",
    "Bénard",
    "Prévost",
    "Thébault",
];

/// The FSL workers: 6 FTE in all, 1 or 2 per sector.
fn workers() -> Vec<Worker> {
    use Employer::*;
    let w = |id: u32, name: &str, employer, sector: u16, fte: u16, login: &str| Worker {
        id: WorkerId(id),
        name: name.to_string(),
        employer,
        sectors: vec![SectorId(sector)],
        fte_hundredths: fte,
        login: login.to_string(),
        arrived: None,
        left: None,
    };
    vec![
        w(1, "Mme Laurent", Gip, 1, 50, "claurent"),
        w(2, "Mme Giraud", ConseilGeneral, 2, 50, "agiraud"),
        w(3, "M. Perrin", Caf, 3, 100, "pperrin"),
        w(4, "Mme Lacroix", ConseilGeneral, 4, 50, "slacroix"),
        w(5, "M. Renaud", Gip, 4, 50, "jrenaud"),
        w(6, "Mme Lefèvre", ConseilGeneral, 5, 50, "hlefevre"),
        w(7, "Mme Brunet", Caf, 6, 50, "mbrunet"),
        w(8, "M. Aubert", Caf, 6, 50, "taubert"),
        w(9, "Mme Hébert", ConseilGeneral, 7, 50, "nhebert"),
        w(10, "M. Caron", ConseilGeneral, 8, 50, "dcaron"),
        w(11, "Mme Ménard", ConseilGeneral, 9, 50, "emenard"),
    ]
}

/// Mme Roux, who left the service [`LEFT_DAYS_AGO`] days before `today`
/// (her time went to M. Perrin): in the records, never drawn for a measure.
fn departed_worker(today: NaiveDate) -> Worker {
    Worker {
        id: LEFT_WORKER,
        name: "Mme Roux".to_string(),
        employer: Employer::Caf,
        sectors: vec![SectorId(3)],
        fte_hundredths: 0,
        login: "mroux".to_string(),
        arrived: Some(NaiveDate::from_ymd_opt(today.year() - 4, 9, 1).unwrap_or(today)),
        left: Some(plus(today, -LEFT_DAYS_AGO)),
    }
}

/// The worker who left the service (Angoulême – Soyaux, CAF), some five
/// months before the demo's day: her measures were handed to M. Perrin.
const LEFT_WORKER: WorkerId = WorkerId(12);
const LEFT_DAYS_AGO: i64 = 150;

/// What the measures' records keep of their past, by reference number (no
/// draw from the generator, so the rest of the demo stays as it is): the
/// measures Mme Roux held until she left, handed over the day after
/// (R-MES-7), and a few starts out of the waiting order with their reason
/// (R-REF-5).
fn history(data: &mut Dataset, today: NaiveDate) {
    const REASONS: [&str; 4] = [
        "Expulsion programmée : accord du GIP",
        "Logement déclaré insalubre, enfants en bas âge",
        "Sortie d'hébergement d'urgence à date fixe",
        "Relogement proposé par le bailleur, à saisir",
    ];
    let left = plus(today, -LEFT_DAYS_AGO);
    let handed = plus(left, 1);
    let keys: Vec<Reference> = data.measures.keys().copied().collect();
    for key in keys {
        let Some(m) = data.measures.get_mut(&key) else {
            continue;
        };
        let Some(start) = m.start else { continue };
        let ended_after = match &m.status {
            MeasureStatus::InProgress => true,
            MeasureStatus::Stopped { date, .. } => *date > handed,
            _ => false,
        };
        if m.sector == SectorId(3) && start < left && ended_after && key.number % 3 != 0 {
            m.previous_holders = vec![PastHolder {
                worker: Some(LEFT_WORKER),
                sector: m.sector,
                until: handed,
            }];
        } else if m.sector == SectorId(3) && start < left && !ended_after {
            // Stopped while she held it.
            m.worker = Some(LEFT_WORKER);
        }
        if m.kind == ReferralKind::Measure
            && key.number % 23 == 5
            && start > plus(today, -365)
            && data.referrals.get(&key).is_some_and(|r| !r.urgent)
        {
            m.out_of_order = Some(OutOfOrder {
                reason: REASONS[key.number as usize % REASONS.len()].to_string(),
                passed: 1 + key.number % 3,
            });
        }
    }
}

fn mds(sector: SectorId) -> &'static str {
    match sector.0 {
        1 => "MDS de Ruffec",
        2 => "MDS de Confolens",
        3 => "MDS d'Angoulême Est",
        4 => "MDS de La Couronne",
        5 => "MDS de Barbezieux",
        6 => "MDS de Cognac",
        7 => "MDS de Gond-Pontouvre",
        8 => "MDS de Jarnac",
        _ => "MDS de La Rochefoucauld",
    }
}

fn fr(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// `1 240 €`, as French writes amounts.
fn euros(amount: i64) -> String {
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out.push_str(" €");
    out
}

fn plus(d: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        d.checked_add_days(Days::new(days as u64))
    } else {
        d.checked_sub_days(Days::new(days.unsigned_abs()))
    }
    .unwrap_or(d)
}

fn minus_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(months)).unwrap_or(d)
}

/// The generator does only what the domain allows; a refusal would be a
/// bug of the template, which the tests catch through `check`.
fn ok<T>(r: Result<T, DomainError>) {
    debug_assert!(r.is_ok(), "demo: {:?}", r.err());
}

/// Appends a log entry dated on or before `today` (later ones have not
/// happened yet).
#[allow(clippy::too_many_arguments)]
fn log(
    today: NaiveDate,
    out: &mut Vec<LogEntry>,
    date: NaiveDate,
    kind: EventKind,
    with: Party,
    means: Vec<Means>,
    note: &str,
    author: &str,
) {
    if date <= today {
        out.push(LogEntry {
            date,
            kind,
            with,
            means: means.into(),
            note: note.to_string(),
            author: author.into(),
            correction: None,
        });
    }
}

/// A referral and its measure before references are numbered.
struct Draft {
    referral: Referral,
    measure: Measure,
    after: Option<usize>,
}

struct Gen {
    today: NaiveDate,
    rng: Rng,
    /// Held sessions, in date order, from 30 months back to 30 ahead.
    sessions: Vec<SessionInfo>,
    workers: Vec<Worker>,
    /// Indexes in `workers`, by sector id.
    by_sector: Vec<Vec<usize>>,
    communes: Vec<Vec<&'static Commune>>,
    drafts: Vec<Draft>,
}

impl Gen {
    /// The last session held on or before `d` (or `d` itself).
    fn session_on_or_before(&self, d: NaiveDate) -> NaiveDate {
        let i = self.sessions.partition_point(|s| s.date <= d);
        if i == 0 { d } else { self.sessions[i - 1].date }
    }

    /// The `n`-th session held after `today` (0: the next one, on or after).
    fn next_session(&self, n: usize) -> NaiveDate {
        let i = self.sessions.partition_point(|s| s.date < self.today);
        self.sessions
            .get(i + n)
            .map_or(plus(self.today, 28 * (n as i64 + 1)), |s| s.date)
    }

    /// The `n`-th session held strictly before `today` (0: the last one).
    fn past_session(&self, n: usize) -> NaiveDate {
        let i = self.sessions.partition_point(|s| s.date < self.today);
        if i > n {
            self.sessions[i - 1 - n].date
        } else {
            plus(self.today, -28 * (n as i64 + 1))
        }
    }

    fn pick_worker(&mut self, sector: SectorId) -> (WorkerId, String) {
        let Some(ids) = self.by_sector.get(usize::from(sector.0)) else {
            return (WorkerId(1), String::new());
        };
        if ids.is_empty() {
            return (WorkerId(1), String::new());
        }
        let w = &self.workers[*self.rng.pick(ids)];
        (w.id, w.login.clone())
    }

    fn household(&mut self, id: u32, sector: SectorId) -> Household {
        let female = self.rng.chance(62);
        let first = if female {
            *self.rng.pick(FEMALE)
        } else {
            *self.rng.pick(MALE)
        };
        let last = *self.rng.pick(LAST);
        let list = &self.communes[usize::from(sector.0).min(self.communes.len() - 1)];
        let (insee, commune) = if list.is_empty() {
            (String::new(), String::new())
        } else {
            let c = *self.rng.pick(list);
            (c.insee.clone(), c.name.clone())
        };
        let civ = if self.rng.chance(80) { "Mme" } else { "M." };
        let referring = format!("{civ} {} ({})", self.rng.pick(LAST), mds(sector));
        let roll = self.rng.range(0, 99);
        let landlord = if roll < 55 {
            let urban = matches!(sector.0, 3 | 4 | 6 | 7);
            let name = if urban {
                *self
                    .rng
                    .pick(&["OPH de l'Angoumois", "Logélia Charente", "Noalis"])
            } else {
                *self
                    .rng
                    .pick(&["Logélia Charente", "Noalis", "Logement communal"])
            };
            Some(Landlord {
                name: name.to_string(),
                kind: LandlordKind::Public,
            })
        } else if roll < 90 {
            let civ = if self.rng.chance(50) { "Mme" } else { "M." };
            Some(Landlord {
                name: format!("{civ} {} (particulier)", self.rng.pick(LAST)),
                kind: LandlordKind::Private,
            })
        } else {
            Some(Landlord {
                name: "Propriétaire occupant".to_string(),
                kind: LandlordKind::Owner,
            })
        };
        Household {
            id: HouseholdId(id),
            last_name: last.to_string(),
            first_name: first.to_string(),
            commune_insee: insee,
            commune,
            sector,
            referring_worker: referring,
            landlord,
            judicial_protection: false,
        }
    }

    fn objectives(&mut self, budget: bool) -> Vec<Objective> {
        let mut v = vec![*self.rng.pick(&Objective::ALL)];
        if self.rng.chance(40) {
            let o = *self.rng.pick(&Objective::ALL);
            if !v.contains(&o) {
                v.push(o);
            }
        }
        if budget && !v.iter().any(|o| o.is_budget()) {
            v.push(if self.rng.chance(50) {
                Objective::ChargesManagement
            } else {
                Objective::EvictionPrevention
            });
        }
        v.sort();
        v
    }

    fn note(&mut self, o: Objective) -> String {
        let pool: &[&str] = match o {
            Objective::EvictionPrevention => &[
                "Impayés de loyer depuis cinq mois, commandement de payer délivré",
                "Assignation en résiliation de bail, audience à venir",
                "Dette locative après une baisse de ressources",
            ],
            Objective::Rehousing => &[
                "Logement trop petit pour la famille, demande de mutation",
                "Hébergée chez un tiers, recherche d'un logement autonome",
                "Sortie de CHRS prévue, projet de relogement à construire",
            ],
            Objective::ChargesManagement => &[
                "Factures d'énergie impayées, coupure annoncée",
                "Budget déséquilibré depuis une perte d'emploi",
            ],
            Objective::Appropriation => &[
                "Première installation, accompagnement à l'entretien du logement",
                "Conflit de voisinage signalé par le bailleur",
            ],
            Objective::LivingConditions => &[
                "Logement signalé non décent (humidité, chauffage)",
                "Surpeuplement et logement dégradé",
            ],
        };
        if self.rng.chance(80) {
            self.rng.pick(pool).to_string()
        } else {
            String::new()
        }
    }

    fn referral(
        &mut self,
        h: &Household,
        kind: ReferralKind,
        date: NaiveDate,
        budget: bool,
    ) -> Referral {
        let (requester, body) = match kind {
            ReferralKind::Diagnostic => {
                if self.rng.chance(70) {
                    (Requester::Commission, DecidingBody::Commission)
                } else {
                    (Requester::AppealsUnit, DecidingBody::AppealsUnit)
                }
            }
            ReferralKind::Measure => {
                let r = *self.rng.pick(&[
                    Requester::ReferringWorker,
                    Requester::ReferringWorker,
                    Requester::ReferringWorker,
                    Requester::Commission,
                    Requester::Commission,
                    Requester::Landlord,
                    Requester::Landlord,
                    Requester::Household,
                    Requester::Cdapl,
                    Requester::Other,
                    Requester::AppealsUnit,
                ]);
                let body = if r == Requester::AppealsUnit {
                    DecidingBody::AppealsUnit
                } else {
                    DecidingBody::Commission
                };
                (r, body)
            }
        };
        let received = plus(date, self.rng.range(1, 8)).min(self.today).max(date);
        let objectives = match kind {
            ReferralKind::Measure => self.objectives(budget),
            ReferralKind::Diagnostic => Vec::new(),
        };
        let note = objectives
            .first()
            .map(|o| self.note(*o))
            .unwrap_or_else(|| "Diagnostic de la situation locative demandé".to_string());
        Referral {
            reference: Reference::new(0, 0),
            household: h.id,
            kind,
            requester,
            deciding_body: body,
            urgent: false,
            referral_date: date,
            received,
            objectives,
            initial_months: match kind {
                ReferralKind::Measure => *self.rng.pick(&[6, 6, 6, 6, 5, 4, 3]),
                ReferralKind::Diagnostic => 2,
            },
            sector: h.sector,
            sublet: kind == ReferralKind::Measure && self.rng.chance(5),
            after_diagnostic: None,
            note,
        }
    }

    fn means_for(&mut self, r: &Referral) -> Vec<Means> {
        let o = r
            .objectives
            .first()
            .copied()
            .unwrap_or(Objective::LivingConditions);
        let pool: &[Means] = match o {
            Objective::Rehousing => &[
                Means::HousingApplication,
                Means::AgencyContacts,
                Means::HousingVisit,
                Means::FslFunding,
                Means::AdministrativeRights,
            ],
            Objective::Appropriation => &[
                Means::HomeUpkeep,
                Means::Neighbourhood,
                Means::LocalLife,
                Means::Furnishing,
                Means::HomeInsurance,
            ],
            Objective::ChargesManagement => &[
                Means::BudgetSupport,
                Means::BudgetTools,
                Means::EnergyAdvice,
                Means::PaperFiling,
                Means::HousingBenefit,
            ],
            Objective::EvictionPrevention => &[
                Means::RepaymentPlan,
                Means::CreditorNegotiation,
                Means::CafHousingUnit,
                Means::FslFunding,
                Means::LandlordMediation,
                Means::OverIndebtedness,
            ],
            Objective::LivingConditions => &[
                Means::SubstandardHousing,
                Means::LandlordMediation,
                Means::HomeUpkeep,
                Means::EnergyAdvice,
            ],
        };
        let a = *self.rng.pick(pool);
        let b = *self.rng.pick(pool);
        if a == b || self.rng.chance(50) {
            vec![a]
        } else {
            vec![a, b]
        }
    }

    /// R-REF-4: contacts while the referral waits (household, referring worker).
    fn waiting_contacts(&mut self, r: &Referral, author: &str, until: NaiveDate) -> Vec<LogEntry> {
        let mut ev = Vec::new();
        let a = plus(r.received, self.rng.range(2, 15));
        let b = plus(r.received, self.rng.range(2, 20));
        if a <= until {
            log(
                self.today,
                &mut ev,
                a,
                EventKind::Phone,
                Party::Household,
                Vec::new(),
                "Premier contact : le ménage est informé de l'attente",
                author,
            );
        }
        if b <= until {
            log(
                self.today,
                &mut ev,
                b,
                EventKind::Phone,
                Party::ReferringWorker,
                Vec::new(),
                "Point avec le TS référent",
                author,
            );
        }
        ev
    }

    /// The log of a measure from `start`: first contacts (R-MES-2), then a
    /// meeting every 10 to 14 days until `meet_until` (R-MES-3).
    fn measure_log(
        &mut self,
        r: &Referral,
        h: &Household,
        author: &str,
        start: NaiveDate,
        meet_until: NaiveDate,
    ) -> Vec<LogEntry> {
        let mut ev = if (start - r.received).num_days() > 20 {
            self.waiting_contacts(r, author, start)
        } else {
            Vec::new()
        };
        log(
            self.today,
            &mut ev,
            start,
            EventKind::Phone,
            Party::Household,
            Vec::new(),
            "Prise de rendez-vous",
            author,
        );
        let mut visit = plus(start, self.rng.range(1, 6));
        if self.rng.chance(25) {
            log(
                self.today,
                &mut ev,
                visit,
                EventKind::HomeVisit,
                Party::Household,
                Vec::new(),
                "Visite à domicile : personne, avis de passage laissé",
                author,
            );
            visit = plus(visit, 2);
        }
        let means = self.means_for(r);
        log(
            self.today,
            &mut ev,
            visit,
            EventKind::MeetingHome,
            Party::Household,
            means,
            "Première rencontre au domicile, présentation de l'ASSLL",
            author,
        );
        let requester_note = match r.requester {
            Requester::Landlord => "Point avec le bailleur demandeur",
            Requester::Household => "Retour au ménage demandeur sur la mise en place",
            Requester::Commission | Requester::AppealsUnit => "Accusé de réception à la commission",
            _ => "Information du demandeur : mesure démarrée",
        };
        log(
            self.today,
            &mut ev,
            plus(start, self.rng.range(2, 8)),
            EventKind::Letter,
            Party::Requester,
            Vec::new(),
            requester_note,
            author,
        );
        if h.landlord
            .as_ref()
            .is_some_and(|l| l.kind != LandlordKind::Owner)
        {
            log(
                self.today,
                &mut ev,
                plus(start, self.rng.range(3, 10)),
                EventKind::Phone,
                Party::Landlord,
                vec![Means::LandlordMediation],
                "Contact avec le bailleur",
                author,
            );
        }
        if !ev.iter().any(|e| e.with == Party::ReferringWorker) {
            log(
                self.today,
                &mut ev,
                plus(start, self.rng.range(3, 12)),
                EventKind::Phone,
                Party::ReferringWorker,
                Vec::new(),
                "Point avec le TS référent",
                author,
            );
        }
        let mut d = plus(visit, self.rng.range(10, 14));
        let until = meet_until.min(self.today);
        while d <= until {
            let kind = match self.rng.range(0, 19) {
                0..=7 => EventKind::MeetingHome,
                8..=14 => EventKind::MeetingMds,
                15..=17 => EventKind::MeetingInstitution,
                _ => EventKind::JointMeetingReferring,
            };
            let means = self.means_for(r);
            let note = if self.rng.chance(20) {
                *self.rng.pick(&[
                    "Point sur le budget du mois",
                    "Tri et classement des papiers",
                    "Accompagnement au rendez-vous CAF",
                    "Préparation du dossier FSL",
                    "Point sur les démarches en cours",
                ])
            } else {
                ""
            };
            log(
                self.today,
                &mut ev,
                d,
                kind,
                Party::Household,
                means,
                note,
                author,
            );
            d = plus(d, self.rng.range(10, 14));
        }
        ev
    }

    fn checked_facts(&mut self, r: &Referral, since: NaiveDate) -> Vec<CheckedFact> {
        let mut out = Vec::new();
        let on = plus(self.today, -self.rng.range(0, 20)).max(since);
        for o in &r.objectives {
            let (label, value) = match o {
                Objective::EvictionPrevention => {
                    out.push(CheckedFact {
                        label: "Dette locative".into(),
                        value: euros(self.rng.range(30, 350) * 10),
                        checked_on: on,
                    });
                    (
                        "Loyer repris",
                        format!(
                            "oui, depuis le {}",
                            fr(plus(on, -self.rng.range(20, 60)).max(since))
                        ),
                    )
                }
                Objective::ChargesManagement => ("Factures d'énergie", "à jour".to_string()),
                Objective::Rehousing => (
                    "Demande de logement social",
                    "enregistrée, en attente de proposition".to_string(),
                ),
                Objective::Appropriation => {
                    ("Assurance habitation", "attestation fournie".to_string())
                }
                Objective::LivingConditions => (
                    "Décence du logement",
                    "visite de contrôle faite, travaux prévus".to_string(),
                ),
            };
            out.push(CheckedFact {
                label: label.into(),
                value,
                checked_on: on,
            });
        }
        out
    }

    fn review(&mut self, h: &Household, r: &Referral, start: NaiveDate, proposal: &str) -> String {
        let civ = if FEMALE.contains(&h.first_name.as_str()) {
            "Mme"
        } else {
            "M."
        };
        let mut text = format!(
            "{civ} {} est accompagné{} depuis le {}.",
            h.last_name,
            if civ == "Mme" { "e" } else { "" },
            fr(start)
        );
        for o in &r.objectives {
            let s = match o {
                Objective::EvictionPrevention => {
                    "Le paiement du loyer a repris ; le plan d'apurement signé avec le bailleur est respecté."
                }
                Objective::Rehousing => {
                    "La demande de logement social est à jour ; deux visites de logement ont eu lieu."
                }
                Objective::ChargesManagement => {
                    "Le budget est travaillé en AEB ; les factures d'énergie sont réglées à échéance."
                }
                Objective::Appropriation => {
                    "Le logement est entretenu ; les relations avec le voisinage se sont apaisées."
                }
                Objective::LivingConditions => {
                    "Le signalement pour non-décence a été fait ; le propriétaire a programmé des travaux."
                }
            };
            text.push(' ');
            text.push_str(s);
        }
        text.push_str("\n\nProposition : ");
        text.push_str(proposal);
        text
    }

    /// Builds an in-progress measure from `start` (with `renewals` months
    /// each), through the domain's own `start` and `renew`.
    fn started(
        &mut self,
        r: &Referral,
        h: &Household,
        start: NaiveDate,
        renewals: &[u8],
    ) -> (Measure, String) {
        let (worker, login) = self.pick_worker(r.sector);
        let mut m = Measure::new_waiting(r);
        ok(m.start(r, h, worker, r.sector, start));
        for months in renewals {
            let end = m.planned_end.unwrap_or(start);
            let decided = self.session_on_or_before(end).max(start);
            ok(m.renew(*months, decided));
        }
        m.contract = Contract::Signed(plus(start, self.rng.range(5, 20)));
        if let Contract::Signed(d) = m.contract
            && d > self.today
        {
            m.contract = Contract::Pending;
        }
        (m, login)
    }

    /// A start such that, after `months` in all, the planned end falls
    /// near `end`.
    fn start_for_end(end: NaiveDate, months: u32) -> NaiveDate {
        minus_months(end, months)
    }

    fn push(&mut self, referral: Referral, measure: Measure, after: Option<usize>) -> usize {
        self.drafts.push(Draft {
            referral,
            measure,
            after,
        });
        self.drafts.len() - 1
    }

    fn make(&mut self, id: u32, sector: SectorId, profile: Profile) -> Household {
        let t = self.today;
        let home_sector = if profile == Moved {
            // R-MES-7: moved to the sector next door.
            SectorId(if sector.0 == 3 { 7 } else { 3 })
        } else {
            sector
        };
        let mut h = self.household(id, home_sector);
        match profile {
            Waiting | WaitingLate | WaitingUrgent | WaitingDiagnostic | NotStarted => {
                self.waiting(&h, profile);
            }
            DiagnosticInProgress | DiagnosticDueSoon => {
                let date = plus(t, -self.rng.range(10, 40));
                let mut r = self.referral(&h, ReferralKind::Diagnostic, date, false);
                if profile == DiagnosticDueSoon {
                    r.received = plus(minus_months(t, 2), self.rng.range(2, 6));
                    r.referral_date = plus(r.received, -self.rng.range(2, 6));
                }
                let start = plus(r.received, self.rng.range(1, 5)).min(t);
                let (mut m, login) = self.started(&r, &h, start, &[]);
                m.contract = Contract::Pending;
                let mut ev = Vec::new();
                log(
                    self.today,
                    &mut ev,
                    start,
                    EventKind::Phone,
                    Party::Household,
                    Vec::new(),
                    "Prise de rendez-vous pour le diagnostic",
                    &login,
                );
                log(
                    self.today,
                    &mut ev,
                    plus(start, self.rng.range(3, 10)),
                    EventKind::HomeVisit,
                    Party::Household,
                    vec![Means::AdministrativeRights],
                    "Visite à domicile : état des lieux de la situation",
                    &login,
                );
                log(
                    self.today,
                    &mut ev,
                    plus(start, self.rng.range(12, 20)),
                    EventKind::MeetingMds,
                    Party::Household,
                    vec![Means::PaperFiling],
                    "",
                    &login,
                );
                m.events = ev;
                self.push(r, m, None);
            }
            AfterDiagnostic => {
                let date = plus(t, -self.rng.range(110, 140));
                let d = self.referral(&h, ReferralKind::Diagnostic, date, false);
                let start = plus(d.received, 2);
                let (mut dm, login) = self.started(&d, &h, start, &[]);
                dm.contract = Contract::Pending;
                let done = plus(dm.planned_end.unwrap_or(start), -self.rng.range(3, 12));
                dm.events = self.measure_log(&d, &h, &login, start, plus(start, 40));
                ok(dm.stop(
                    done,
                    "Diagnostic rendu à la commission : mesure ASSLL demandée (R-DIAG-3)",
                ));
                dm.review.text = "Diagnostic : dette locative ancienne, ressources stables depuis peu ; un accompagnement de six mois est proposé.".into();
                dm.review.updated = Some(plus(done, -2));
                let di = self.push(d, dm, None);
                // R-DIAG-3: the measure starts right after, no waiting list.
                let mut r = self.referral(&h, ReferralKind::Measure, done, false);
                r.requester = Requester::Other;
                r.deciding_body = DecidingBody::Commission;
                r.received = done;
                r.note = "À la suite du diagnostic (R-DIAG-3)".into();
                let start = plus(done, self.rng.range(0, 3)).min(t);
                let (mut m, login) = self.started(&r, &h, start, &[]);
                m.events = self.measure_log(&r, &h, &login, start, t);
                self.review_if_due(&mut m, &h, &r, start, false);
                self.push(r, m, Some(di));
            }
            Stopped => {
                let back = self.rng.range(0, 2) as usize;
                let s0 = self.past_session(back);
                let end = plus(s0, self.rng.range(4, 20));
                let mut r = self.referral(&h, ReferralKind::Measure, t, false);
                let start = Self::start_for_end(end, u32::from(r.initial_months));
                r.referral_date = plus(start, -self.rng.range(20, 90));
                r.received = plus(r.referral_date, 4);
                let (mut m, login) = self.started(&r, &h, start, &[]);
                let stop = self
                    .session_on_or_before(m.planned_end.unwrap_or(end))
                    .max(start);
                m.events = self.measure_log(&r, &h, &login, start, plus(stop, -3));
                m.checked_facts = self.checked_facts(&r, start);
                for f in &mut m.checked_facts {
                    f.checked_on = f.checked_on.min(plus(stop, -5)).max(start);
                }
                m.review.text =
                    self.review(&h, &r, start, "arrêt de la mesure, objectifs atteints.");
                m.review.updated = Some(plus(stop, -7).max(start));
                ok(m.stop(stop, "Objectifs atteints (décision du GTS)"));
                self.push(r, m, None);
            }
            _ => self.in_progress(&mut h, profile, sector),
        }
        h
    }

    fn waiting(&mut self, h: &Household, profile: Profile) {
        let t = self.today;
        let (kind, date) = match profile {
            WaitingLate => (ReferralKind::Measure, plus(t, -self.rng.range(45, 75))),
            WaitingUrgent => (ReferralKind::Measure, plus(t, -self.rng.range(3, 20))),
            WaitingDiagnostic => (ReferralKind::Diagnostic, plus(t, -self.rng.range(5, 25))),
            NotStarted => (ReferralKind::Measure, plus(t, -self.rng.range(90, 150))),
            _ => (ReferralKind::Measure, plus(t, -self.rng.range(5, 150))),
        };
        let mut r = self.referral(h, kind, date, false);
        if profile == WaitingUrgent {
            r.requester = Requester::AppealsUnit;
            r.deciding_body = DecidingBody::AppealsUnit;
            r.urgent = true;
            r.note = "Urgence : expulsion programmée, concours de la force publique accordé".into();
        }
        let (_, login) = self.pick_worker(r.sector);
        let mut m = Measure::new_waiting(&r);
        if profile != WaitingLate {
            m.events = self.waiting_contacts(&r, &login, t);
        }
        if profile == NotStarted {
            let on = plus(t, -self.rng.range(10, 40));
            let mut ev = Vec::new();
            log(
                self.today,
                &mut ev,
                plus(on, -20),
                EventKind::HomeVisit,
                Party::Household,
                Vec::new(),
                "Visite à domicile : logement vide",
                &login,
            );
            log(
                self.today,
                &mut ev,
                plus(on, -12),
                EventKind::Letter,
                Party::Household,
                Vec::new(),
                "Courrier de relance sans réponse",
                &login,
            );
            m.events.extend(ev);
            let reason = *self.rng.pick(&[
                "Le ménage a quitté le département",
                "Le ménage ne donne pas suite malgré trois sollicitations",
                "Relogement obtenu avant le début de la mesure",
            ]);
            ok(m.mark_not_started(on, reason));
        }
        self.push(r, m, None);
    }

    /// R-BIL-1: a measure near its end (or just renewed) has its review
    /// written and its facts checked (R-MES-8).
    fn review_if_due(
        &mut self,
        m: &mut Measure,
        h: &Household,
        r: &Referral,
        start: NaiveDate,
        force: bool,
    ) {
        let t = self.today;
        let near_end = m.planned_end.is_some_and(|e| e <= self.next_session(1));
        // R-BIL-1: the review of each cycle a renewal ended, kept with it.
        let renewals: Vec<NaiveDate> = m.renewals.iter().map(|rn| rn.decided_on).collect();
        for (i, decided) in renewals.into_iter().enumerate() {
            let text = self.review(h, r, start, "renouvellement pour consolider la situation.");
            m.past_reviews.push(crate::domain::measure::PastReview {
                cycle: u8::try_from(i + 1).unwrap_or(u8::MAX),
                renewed_on: decided,
                review: crate::domain::measure::Review {
                    text,
                    updated: Some(plus(decided, -7).max(start)),
                },
            });
        }
        if force || near_end {
            m.checked_facts.extend(self.checked_facts(r, start));
            let proposal = if self.rng.chance(50) || m.renewals.len() >= 2 {
                "arrêt de la mesure, objectifs atteints."
            } else {
                "renouvellement de 3 mois pour consolider la situation."
            };
            m.review.text = self.review(h, r, start, proposal);
            m.review.updated = Some(plus(t, -self.rng.range(0, 10)).max(start));
        } else if let Some(last) = m.renewals.last() {
            // The review presented to the last renewal is in the history;
            // the current cycle's is not written yet.
            let decided = last.decided_on;
            let written = plus(decided, -self.rng.range(3, 10)).max(start);
            if let Some(p) = m.past_reviews.last_mut() {
                p.review.updated = Some(written);
            }
            let facts = self.checked_facts(r, start);
            m.checked_facts.extend(facts.into_iter().map(|mut f| {
                f.checked_on = f.checked_on.min(decided);
                f
            }));
        }
    }

    fn in_progress(&mut self, h: &mut Household, profile: Profile, sector: SectorId) {
        let t = self.today;
        let budget = matches!(profile, MaspAsked | MaspGranted);
        let mut r = self.referral(h, ReferralKind::Measure, t, budget);
        // R-MES-7: a household that moved keeps its measure in the sector
        // of its worker.
        r.sector = sector;
        let months = u32::from(r.initial_months);
        let mut renewals: Vec<u8> = Vec::new();
        let start = match profile {
            NewThisMonth => {
                let first = t.with_day(1).unwrap_or(t);
                plus(first, self.rng.range(0, i64::from(t.day()) - 1))
            }
            OneRenewal | TwoRenewals => {
                r.initial_months = 6;
                if profile == TwoRenewals {
                    renewals.push(*self.rng.pick(&[3, 6]));
                }
                let last = *self.rng.pick(&[3, 4, 6]);
                let back = *self.rng.pick(&[0, 0, 1, 2]);
                let anchor = self.past_session(back);
                let before_last = plus(anchor, self.rng.range(4, 20));
                let total = 6 + renewals.iter().map(|m| u32::from(*m)).sum::<u32>();
                renewals.push(last);
                Self::start_for_end(before_last, total)
            }
            EndingSoon => {
                let s2 = self.next_session(1);
                let span = (s2 - t).num_days();
                let end = plus(t, self.rng.range(4.min(span), (span - 4).max(4)));
                let n = self.rng.range(0, 2) as usize;
                for _ in 0..n {
                    renewals.push(*self.rng.pick(&[3, 4, 6]));
                }
                let total = months + renewals.iter().map(|m| u32::from(*m)).sum::<u32>();
                Self::start_for_end(end, total)
            }
            EndPassed => Self::start_for_end(plus(t, -self.rng.range(3, 12)), months),
            NoContractOverdue => plus(t, -self.rng.range(35, 80)),
            MaspGranted => plus(t, -self.rng.range(75, i64::from(months) * 30 - 20)),
            MaspAsked | NoContractReason | Refusal => {
                plus(t, -self.rng.range(50, i64::from(months) * 30 - 20))
            }
            _ => plus(t, -self.rng.range(20, i64::from(months) * 30 - 40)),
        };
        r.referral_date = plus(start, -self.rng.range(15, 120));
        r.received = plus(r.referral_date, self.rng.range(1, 8)).min(start);
        let (mut m, login) = self.started(&r, h, start, &renewals);
        let meet_until = match profile {
            MeetingGap => plus(t, -self.rng.range(20, 35)),
            Refusal => plus(t, -self.rng.range(30, 45)),
            _ => t,
        };
        m.events = self.measure_log(&r, h, &login, start, meet_until);
        match profile {
            NewThisMonth | NoContractOverdue => m.contract = Contract::Pending,
            NoContractReason => {
                let reason = *self.rng.pick(&[
                    "Le ménage refuse de signer tant que la dette n'est pas réglée",
                    "Contrat reporté : hospitalisation de Madame",
                    "Le ménage accepte l'accompagnement mais pas d'engagement écrit",
                ]);
                ok(m.record_no_contract(reason, plus(start, self.rng.range(10, 25)).min(t)));
            }
            Refusal => {
                let mut ev = Vec::new();
                let from = plus(meet_until, 7);
                log(
                    self.today,
                    &mut ev,
                    from,
                    EventKind::ContactAttempt,
                    Party::Household,
                    Vec::new(),
                    "Rendez-vous non honoré",
                    &login,
                );
                log(
                    self.today,
                    &mut ev,
                    plus(from, 7),
                    EventKind::HomeVisit,
                    Party::Household,
                    Vec::new(),
                    "Visite à domicile : porte close",
                    &login,
                );
                log(
                    self.today,
                    &mut ev,
                    plus(from, 12),
                    EventKind::Letter,
                    Party::Household,
                    Vec::new(),
                    "Courrier de relance",
                    &login,
                );
                m.events.extend(ev);
                m.difficulty = Some(Difficulty {
                    kind: DifficultyKind::RefusesToCollaborate,
                    date: plus(from, 14).min(t),
                    note: "Trois rendez-vous manqués, le ménage ne répond plus (R-MES-6)".into(),
                });
            }
            MaspAsked | MaspGranted if masp_eligible(&r) => {
                let asked = plus(start, self.rng.range(20, 40)).min(t);
                ok(m.request_masp(&r, asked));
                if profile == MaspGranted {
                    ok(m.decide_masp(true, plus(asked, self.rng.range(15, 30)).min(t)));
                }
            }
            Protected => {
                // R-ELIG-2: appeared during the measure; not refused, flagged.
                h.judicial_protection = true;
                let on = plus(t, -self.rng.range(2, 12)).max(start);
                m.checked_facts.push(CheckedFact {
                    label: "Mesure de protection".into(),
                    value: format!(
                        "curatelle renforcée prononcée le {}",
                        fr(plus(on, -5).max(start))
                    ),
                    checked_on: on,
                });
                let mut ev = Vec::new();
                log(
                    self.today,
                    &mut ev,
                    on,
                    EventKind::Phone,
                    Party::OtherPartner,
                    Vec::new(),
                    "Appel du mandataire judiciaire : curatelle prononcée",
                    &login,
                );
                m.events.extend(ev);
            }
            Moved => {
                let mut ev = Vec::new();
                let on = plus(t, -self.rng.range(5, 20)).max(start);
                let note = format!(
                    "Déménagement à {} : la TS garde la mesure (R-MES-7)",
                    h.commune
                );
                log(
                    self.today,
                    &mut ev,
                    on,
                    EventKind::MeetingHome,
                    Party::Household,
                    vec![Means::Moving],
                    &note,
                    &login,
                );
                m.events.extend(ev);
            }
            _ => {}
        }
        self.review_if_due(
            &mut m,
            h,
            &r,
            start,
            matches!(profile, EndingSoon | EndPassed),
        );
        m.events.sort_by_key(|e| e.date);
        self.push(r, m, None);
    }
}

/// The communes whose sector the demo's GIP has confirmed (as suggested:
/// the towns of each sector), the others still to confirm.
fn confirmed_communes() -> crate::domain::refdata::CommuneSectors {
    [
        ("16015", 3), // Angoulême
        ("16374", 3), // Soyaux
        ("16113", 4), // La Couronne
        ("16154", 7), // Gond-Pontouvre
        ("16291", 7), // Ruelle-sur-Touvre
        ("16102", 6), // Cognac
        ("16167", 8), // Jarnac
        ("16292", 1), // Ruffec
        ("16106", 2), // Confolens
        ("16028", 5), // Barbezieux-Saint-Hilaire
        ("16281", 9), // La Rochefoucauld-en-Angoumois
    ]
    .into_iter()
    .filter(|(insee, s)| {
        communes::by_insee(insee)
            .and_then(communes::suggest_sector_for)
            .is_some_and(|x| x == SectorId(*s))
    })
    .map(|(insee, s)| (insee.to_string(), SectorId(s)))
    .collect()
}

/// R-GTS-1: the demo's standing members of the GTS, one per employer and
/// one per social landlord (the Conseil Général's chairs).
fn gts_members() -> Vec<crate::domain::GtsMember> {
    [
        ("Mme Dumas", "Conseil Général"),
        ("M. Robin", "CAF"),
        ("Mme Colin", "GIP"),
        ("M. Prévost", "Logélia Charente"),
        ("Mme Lambert", "Noalis"),
        ("M. Garnier", "OPH de l'Angoumois"),
    ]
    .into_iter()
    .map(|(name, organisation)| crate::domain::GtsMember {
        name: name.into(),
        organisation: organisation.into(),
    })
    .collect()
}

/// The last session before `today`, closed, with the decisions taken on
/// that day (renewals and stops of the data) and its minutes sent.
fn past_session(g: &Gen, data: &Dataset) -> Option<GtsSession> {
    let date = g.past_session(0);
    let info = g.sessions.iter().find(|s| s.date == date)?;
    let mut s = GtsSession::new(info.year, info.month);
    s.draft_sent = Some(info.deadlines.draft_agenda);
    s.final_sent = Some(info.deadlines.final_agenda);
    s.chair = "Conseil Général — Mme Dumas".into();
    s.attendance = vec![
        Attendee {
            name: "Mme Dumas".into(),
            organisation: "Conseil Général".into(),
            present: true,
        },
        Attendee {
            name: "M. Robin".into(),
            organisation: "CAF".into(),
            present: true,
        },
        Attendee {
            name: "Mme Colin".into(),
            organisation: "GIP".into(),
            present: true,
        },
        Attendee {
            name: "M. Prévost".into(),
            organisation: "Logélia Charente".into(),
            present: false,
        },
    ];
    for m in data.measures.values() {
        let decision = if let Some(rn) = m.renewals.iter().find(|rn| rn.decided_on == date) {
            Decision::Renew { months: rn.months }
        } else if matches!(&m.status, MeasureStatus::Stopped { date: d, .. } if *d == date)
            && m.kind == ReferralKind::Measure
        {
            Decision::Stop
        } else {
            continue;
        };
        s.agenda.push(AgendaItem {
            reference: m.reference,
            reasons: vec![AgendaReason::PlannedEnd],
            removed: None,
            reply: Some((Reply::WillExamine, info.deadlines.replies)),
            notes: Vec::new(),
        });
        s.decisions.push(DecisionRecord {
            reference: m.reference,
            decision,
            presented_by_colleague: None,
            recorded_on: date,
        });
    }
    s.closed = Some(date);
    s.minutes_sent = Some(info.deadlines.minutes.min(g.today));
    Some(s)
}

/// The demo data set for `today`: `households` households (use
/// [`DEFAULT_HOUSEHOLDS`] for the one that shows everything), the 9
/// default sectors, 11 workers. Same arguments, same data.
pub fn generate(today: NaiveDate, households: usize, seed: u64) -> Dataset {
    let start = NaiveDate::from_ymd_opt(today.year() - 3, 1, 1).unwrap_or(today);
    let sessions: Vec<SessionInfo> = sessions_from(start, 72, |_, _| None)
        .into_iter()
        .filter(SessionInfo::held)
        .collect();
    let sectors = default_sectors();
    let max_id = sectors
        .iter()
        .map(|s| usize::from(s.id.0))
        .max()
        .unwrap_or(0);
    let confirmed = confirmed_communes();
    let mut communes_by_sector: Vec<Vec<&'static Commune>> = vec![Vec::new(); max_id + 1];
    for c in communes::communes() {
        if let Some(s) = communes::effective_sector_for(&confirmed, c)
            && let Some(v) = communes_by_sector.get_mut(usize::from(s.0))
        {
            v.push(c);
        }
    }
    let workers = workers();
    let mut by_sector: Vec<Vec<usize>> = vec![Vec::new(); max_id + 1];
    for (i, w) in workers.iter().enumerate() {
        for s in &w.sectors {
            if let Some(v) = by_sector.get_mut(usize::from(s.0)) {
                v.push(i);
            }
        }
    }
    let mut g = Gen {
        today,
        rng: Rng::new(seed),
        sessions,
        workers,
        by_sector,
        communes: communes_by_sector,
        drafts: Vec::with_capacity(households + households / 50),
    };
    let mut data = Dataset {
        norms: Norms::default(),
        commune_sectors: confirmed,
        gts_members: gts_members(),
        ..Dataset::default()
    };
    let tpl = template();
    for i in 0..households {
        let (sector, profile) = tpl[i % tpl.len()];
        let h = g.make(i as u32 + 1, sector, profile);
        data.households.insert(h.id, h);
    }

    // References: AAAA-NNNN, numbered per year in referral-date order.
    let mut order: Vec<usize> = (0..g.drafts.len()).collect();
    order.sort_by_key(|&i| (g.drafts[i].referral.referral_date, i));
    let mut refs = vec![Reference::new(0, 0); g.drafts.len()];
    let mut counters: BTreeMap<u16, u32> = BTreeMap::new();
    for i in order {
        let year = g.drafts[i].referral.referral_date.year() as u16;
        let n = counters.entry(year).or_insert(0);
        *n += 1;
        refs[i] = Reference::new(year, *n);
    }
    let drafts = std::mem::take(&mut g.drafts);
    for (i, mut d) in drafts.into_iter().enumerate() {
        d.referral.reference = refs[i];
        d.referral.after_diagnostic = d.after.map(|j| refs[j]);
        d.measure.reference = refs[i];
        data.referrals.insert(refs[i], d.referral);
        data.measures.insert(refs[i], d.measure);
    }
    for s in sectors {
        data.sectors.insert(s.id, s);
    }
    for w in &g.workers {
        data.workers.insert(w.id, w.clone());
    }
    let gone = departed_worker(today);
    data.workers.insert(gone.id, gone);
    history(&mut data, today);
    if let Some(s) = past_session(&g, &data) {
        data.sessions.insert((s.year, s.month), s);
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::measure::add_months;

    #[test]
    fn the_template_is_the_default_size() {
        assert_eq!(template().len(), DEFAULT_HOUSEHOLDS);
    }

    #[test]
    fn splitmix_is_deterministic_and_in_range() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        for _ in 0..1000 {
            let x = a.range(-3, 5);
            assert_eq!(x, b.range(-3, 5));
            assert!((-3..=5).contains(&x));
        }
        assert_eq!(Rng::new(1).range(7, 2), 7);
        assert_ne!(Rng::new(1).next(), Rng::new(2).next());
    }

    #[test]
    fn amounts_are_written_the_french_way() {
        assert_eq!(euros(1240), "1 240 €");
        assert_eq!(euros(300), "300 €");
        assert_eq!(euros(1_234_567), "1 234 567 €");
    }

    #[test]
    fn r_ref_5_demo_urgent_referrals_come_from_the_appeals_unit() {
        let t = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let data = generate(t, DEFAULT_HOUSEHOLDS, DEFAULT_SEED);
        let urgent: Vec<_> = data.referrals.values().filter(|r| r.urgent).collect();
        assert_eq!(urgent.len(), 3);
        for r in urgent {
            assert_eq!(r.requester, Requester::AppealsUnit);
            assert_eq!(r.deciding_body, DecidingBody::AppealsUnit);
            assert!(r.validate().is_ok());
            // First on its sector's waiting list.
            assert_eq!(data.waiting_list(r.sector)[0].reference, r.reference);
        }
    }

    #[test]
    fn r_mes_4_demo_renewals_follow_the_end_chain() {
        let t = NaiveDate::from_ymd_opt(2027, 5, 31).unwrap();
        let data = generate(t, 2 * DEFAULT_HOUSEHOLDS, 9);
        let mut seen = 0;
        for m in data.measures.values().filter(|m| !m.renewals.is_empty()) {
            let r = &data.referrals[&m.reference];
            let mut end = add_months(m.start.unwrap(), u32::from(r.initial_months));
            for rn in &m.renewals {
                assert!(rn.decided_on <= end);
                end = add_months(end, u32::from(rn.months));
                assert_eq!(rn.new_end, end);
            }
            assert_eq!(m.planned_end, Some(end));
            seen += 1;
        }
        assert!(seen >= 8);
    }
}
