//! A small deterministic data set for the screen tests and snapshots: the
//! nine default sectors, loads as in UX.md (two sectors over capacity),
//! waiting lists with an urgent referral, a diagnostic and a household under
//! judicial protection.

use crate::domain::measure::{Contract, LogEntry, Renewal, add_months};
use crate::domain::sector::default_sectors;
use crate::domain::{
    Dataset, DecidingBody, Employer, EventKind, Household, HouseholdId, Landlord, LandlordKind,
    Means, Measure, MeasureStatus, Objective, Party, Reference, Referral, ReferralKind, Requester,
    SectorId, Worker, WorkerId,
};
use chrono::{Days, NaiveDate};

const LAST: [&str; 24] = [
    "Durand",
    "Martin",
    "Bernard",
    "Petit",
    "Robert",
    "Richard",
    "Dubois",
    "Moreau",
    "Lefèvre",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Müller",
    "Lefebvre-Château",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
];
const FIRST: [&str; 12] = [
    "Émilie", "Sophie", "Jean", "Marc", "Hélène", "Nadia", "Léa", "Gaëlle", "Karim", "Zoé", "Noël",
    "Inès",
];
const COMMUNES: [&str; 9] = [
    "Ruffec",
    "Confolens",
    "Soyaux",
    "La Couronne",
    "Barbezieux-Saint-Hilaire",
    "Cognac",
    "Gond-Pontouvre",
    "Jarnac",
    "La Rochefoucauld-en-Angoumois",
];
/// Measures in progress per sector (1..=9): Charente-Limousine and Sud
/// Charente are over capacity.
const LOADS: [u32; 9] = [12, 15, 18, 28, 16, 24, 7, 12, 13];
const WAITING: [u32; 9] = [5, 9, 0, 3, 7, 2, 0, 4, 1];
const WORKERS: [(&str, &[u16], Employer); 11] = [
    ("Mme Laurent", &[1], Employer::Gip),
    ("M. Chevalier", &[2], Employer::ConseilGeneral),
    ("Mme Roux", &[3], Employer::Caf),
    ("Mme Morel", &[4], Employer::ConseilGeneral),
    ("M. Gauthier", &[4, 3], Employer::Gip),
    ("Mme Perrin", &[5], Employer::ConseilGeneral),
    ("Mme Lemaire", &[6], Employer::Caf),
    ("M. Barbier", &[6], Employer::Caf),
    ("Mme Renaud", &[7], Employer::ConseilGeneral),
    ("Mme Colin", &[8], Employer::ConseilGeneral),
    ("M. Aubert", &[9], Employer::ConseilGeneral),
];

fn minus(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(n)).unwrap_or(d)
}

/// The sample data as of `today` (snapshots use 2026-11-27).
pub fn sample_dataset(today: NaiveDate) -> Dataset {
    let mut d = Dataset::default();
    for s in default_sectors() {
        d.sectors.insert(s.id, s);
    }
    for (i, (name, sectors, employer)) in WORKERS.iter().enumerate() {
        let id = WorkerId(i as u32 + 1);
        d.workers.insert(
            id,
            Worker {
                id,
                name: name.to_string(),
                employer: *employer,
                sectors: sectors.iter().map(|s| SectorId(*s)).collect(),
                fte_hundredths: 50,
                login: String::new(),
                arrived: None,
                left: None,
            },
        );
    }
    let mut n: u32 = 0;
    let mut number: u32 = 0;
    for sector in 1..=9u16 {
        let sid = SectorId(sector);
        let s_idx = usize::from(sector - 1);
        let sector_workers: Vec<WorkerId> = d
            .workers
            .values()
            .filter(|w| w.sectors.first() == Some(&sid))
            .map(|w| w.id)
            .collect();
        let total = LOADS[s_idx] + WAITING[s_idx] + u32::from(sector % 3 == 0);
        for k in 0..total {
            n += 1;
            number += 1;
            let hid = HouseholdId(n);
            let protected = sector == 2 && k == LOADS[s_idx] + 1;
            d.households.insert(
                hid,
                Household {
                    id: hid,
                    last_name: LAST[(n as usize * 7) % LAST.len()].to_string(),
                    first_name: FIRST[(n as usize * 5) % FIRST.len()].to_string(),
                    commune_insee: String::new(),
                    commune: COMMUNES[s_idx].to_string(),
                    sector: sid,
                    referring_worker: "Mme Texier (MDS)".to_string(),
                    landlord: Some(Landlord {
                        name: if n.is_multiple_of(2) {
                            "Logélia Charente".into()
                        } else {
                            "M. Prével".into()
                        },
                        kind: if n.is_multiple_of(2) {
                            LandlordKind::Public
                        } else {
                            LandlordKind::Private
                        },
                    }),
                    judicial_protection: protected,
                },
            );
            let in_progress = k < LOADS[s_idx];
            let diagnostic_in_progress = k == LOADS[s_idx] + WAITING[s_idx];
            let waiting = !in_progress && !diagnostic_in_progress;
            let age: u64 = if in_progress {
                20 + u64::from((k * 37 + u32::from(sector) * 11) % 300)
            } else {
                5 + u64::from((k * 23 + u32::from(sector) * 13) % 110)
            };
            let referral_date = minus(today, age + 10);
            let urgent = waiting && sector == 6 && k == LOADS[s_idx] + 1;
            let kind = if (waiting && k == LOADS[s_idx] && sector != 6) || diagnostic_in_progress {
                ReferralKind::Diagnostic
            } else {
                ReferralKind::Measure
            };
            let requester = if urgent {
                Requester::AppealsUnit
            } else if kind == ReferralKind::Diagnostic {
                Requester::Commission
            } else {
                Requester::ALL[(n as usize) % Requester::ALL.len()]
            };
            let objectives = match n % 4 {
                0 => vec![Objective::EvictionPrevention],
                1 => vec![Objective::Rehousing, Objective::ChargesManagement],
                2 => vec![Objective::LivingConditions],
                _ => vec![Objective::Appropriation],
            };
            let reference = Reference::new(
                u16::try_from(chrono::Datelike::year(&referral_date)).unwrap_or(2026),
                number,
            );
            let referral = Referral {
                reference,
                household: hid,
                kind,
                requester,
                deciding_body: if urgent {
                    DecidingBody::AppealsUnit
                } else {
                    DecidingBody::Commission
                },
                urgent,
                referral_date,
                received: minus(today, age + 5),
                objectives,
                initial_months: 6,
                sector: sid,
                sublet: n.is_multiple_of(9),
                after_diagnostic: None,
                note: String::new(),
            };
            let mut m = Measure::new_waiting(&referral);
            if in_progress || diagnostic_in_progress {
                let start = minus(today, age);
                let worker = sector_workers[(k as usize) % sector_workers.len().max(1)];
                m.status = MeasureStatus::InProgress;
                m.worker = Some(worker);
                m.start = Some(start);
                m.planned_end = Some(if kind == ReferralKind::Diagnostic {
                    add_months(referral.received, 2)
                } else {
                    add_months(start, 6)
                });
                if kind == ReferralKind::Measure && age > 200 {
                    let end = m.planned_end.unwrap_or(start);
                    let new_end = add_months(end, 4);
                    m.renewals.push(Renewal {
                        decided_on: minus(end, 10),
                        months: 4,
                        new_end,
                    });
                    m.planned_end = Some(new_end);
                }
                if k % 3 != 2 {
                    m.contract = Contract::Signed(minus(today, age.saturating_sub(12)));
                }
                if k % 5 == 1 && m.contract == Contract::Pending {
                    m.contract = Contract::NoContract {
                        reason: "Famille réticente".into(),
                        date: minus(today, age.saturating_sub(20)),
                    };
                }
                let plus = |n: u64| start.checked_add_days(Days::new(n)).unwrap_or(start);
                let mut log = |date: NaiveDate,
                               kind: EventKind,
                               with: Party,
                               means: Vec<Means>,
                               note: &str| {
                    if date <= today {
                        m.events.push(LogEntry {
                            date,
                            kind,
                            with,
                            means: means.into(),
                            note: note.to_string(),
                            author: "demo".into(),
                            correction: None,
                        });
                    }
                };
                log(
                    plus(2),
                    EventKind::Phone,
                    Party::Household,
                    vec![],
                    "Premier contact, rendez-vous fixé",
                );
                log(
                    plus(3),
                    EventKind::Phone,
                    Party::ReferringWorker,
                    vec![],
                    "",
                );
                if k % 3 != 0 {
                    log(plus(4), EventKind::Letter, Party::Requester, vec![], "");
                }
                if k % 2 == 0 {
                    log(
                        plus(5),
                        EventKind::Phone,
                        Party::Landlord,
                        vec![Means::LandlordMediation],
                        "",
                    );
                }
                if k % 4 != 3 {
                    log(
                        plus(7),
                        EventKind::HomeVisit,
                        Party::Household,
                        vec![Means::HomeUpkeep],
                        "",
                    );
                }
                // Meetings every 14 days, up to a gap that some exceed (R-MES-3).
                let gap = if k % 5 == 0 { 20 } else { u64::from(k % 10) };
                let last = today.checked_sub_days(Days::new(gap)).unwrap_or(today);
                let mut day = 14;
                let mut e = 0usize;
                while plus(day) <= last {
                    let kind = if e.is_multiple_of(2) {
                        EventKind::MeetingMds
                    } else {
                        EventKind::MeetingHome
                    };
                    log(
                        plus(day),
                        kind,
                        Party::Household,
                        vec![Means::ALL[(k as usize + e) % Means::ALL.len()]],
                        "",
                    );
                    day += 14;
                    e += 1;
                }
                m.events.sort_by_key(|e| e.date);
                if k % 4 == 0 {
                    m.review.text = "La famille a repris le paiement du loyer depuis septembre ;\nla dette est ramenée à 1 240 €.".into();
                    m.review.updated = Some(minus(today, 4));
                    m.checked_facts.push(crate::domain::measure::CheckedFact {
                        label: "Loyer repris".into(),
                        value: "depuis septembre".into(),
                        checked_on: minus(today, 15),
                    });
                }
            }
            d.referrals.insert(reference, referral);
            d.measures.insert(reference, m);
        }
    }
    d
}

/// The fixed date of the snapshots: Friday 27 November 2026.
pub fn sample_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
}

fn fixed_now() -> chrono::NaiveDateTime {
    sample_today().and_hms_opt(10, 0, 0).unwrap_or_default()
}

/// A model on the sample data at the fixed date, defaults keymap, Unicode
/// and colours on, clock fixed: what the screen tests drive.
pub fn sample_model(persist: Box<dyn super::Persist>) -> super::Model {
    let mut m = super::Model::new(
        sample_dataset(sample_today()),
        persist,
        sample_today(),
        "gip".to_string(),
        super::UiConfig::default(),
        crate::keymap::Keymap::default_keymap(),
    );
    m.now = fixed_now;
    m
}

/// A key as written in a keymap (`d`, `<Enter>`, `<C-s>`) as a terminal event.
pub fn key_event(s: &str) -> ratatui::crossterm::event::KeyEvent {
    use crate::keymap::{Chord, KeyCodeOrd};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let c = Chord::parse(s).unwrap_or(Chord {
        code: KeyCodeOrd::Esc,
        ctrl: false,
        alt: false,
    });
    let code = match c.code {
        KeyCodeOrd::Char(ch) => KeyCode::Char(ch),
        KeyCodeOrd::F(n) => KeyCode::F(n),
        KeyCodeOrd::Enter => KeyCode::Enter,
        KeyCodeOrd::Esc => KeyCode::Esc,
        KeyCodeOrd::Tab => KeyCode::Tab,
        KeyCodeOrd::BackTab => KeyCode::BackTab,
        KeyCodeOrd::Backspace => KeyCode::Backspace,
        KeyCodeOrd::Delete => KeyCode::Delete,
        KeyCodeOrd::Up => KeyCode::Up,
        KeyCodeOrd::Down => KeyCode::Down,
        KeyCodeOrd::Left => KeyCode::Left,
        KeyCodeOrd::Right => KeyCode::Right,
        KeyCodeOrd::PageUp => KeyCode::PageUp,
        KeyCodeOrd::PageDown => KeyCode::PageDown,
        KeyCodeOrd::Home => KeyCode::Home,
        KeyCodeOrd::End => KeyCode::End,
        KeyCodeOrd::Insert => KeyCode::Insert,
    };
    let mut mods = KeyModifiers::NONE;
    if c.ctrl {
        mods |= KeyModifiers::CONTROL;
    }
    if c.alt {
        mods |= KeyModifiers::ALT;
    }
    if code == KeyCode::BackTab {
        mods |= KeyModifiers::SHIFT;
    }
    KeyEvent::new(code, mods)
}

/// Presses keys one after the other, running each message chain to its end.
/// The status line's text (empty when there is none).
pub fn status(m: &super::Model) -> String {
    m.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

pub fn press(m: &mut super::Model, keys: &[&str]) {
    for k in keys {
        let mut msg = Some(super::Msg::Key(key_event(k)));
        while let Some(x) = msg {
            msg = super::update(m, x);
        }
    }
}

/// Types text into whatever has the focus.
pub fn type_text(m: &mut super::Model, text: &str) {
    for c in text.chars() {
        let ev = ratatui::crossterm::event::KeyEvent::new(
            ratatui::crossterm::event::KeyCode::Char(c),
            ratatui::crossterm::event::KeyModifiers::NONE,
        );
        let mut msg = Some(super::Msg::Key(ev));
        while let Some(x) = msg {
            msg = super::update(m, x);
        }
    }
}

/// The sample repeated until it holds about `households` households (new
/// ids and references for each copy): for benchmarks until the demo
/// generator is used.
pub fn scaled_dataset(today: NaiveDate, households: usize) -> Dataset {
    let base = sample_dataset(today);
    let per = base.households.len().max(1);
    let copies = households.div_ceil(per).max(1);
    let mut d = base.clone();
    for c in 1..copies {
        let off = (c * per) as u32;
        for h in base.households.values() {
            let mut h = h.clone();
            h.id = HouseholdId(h.id.0 + off);
            d.households.insert(h.id, h);
        }
        let renum = |r: Reference| Reference::new(r.year, r.number + (c as u32) * 1000);
        for r in base.referrals.values() {
            let mut r = r.clone();
            r.reference = renum(r.reference);
            r.household = HouseholdId(r.household.0 + off);
            d.referrals.insert(r.reference, r);
        }
        for m in base.measures.values() {
            let mut m = m.clone();
            m.reference = renum(m.reference);
            m.household = HouseholdId(m.household.0 + off);
            d.measures.insert(m.reference, m);
        }
    }
    d
}
