//! `assll check`: the consistency of a whole [`Dataset`], record by record.
//!
//! Two levels:
//! - **Error**: something no domain function can produce (a dangling
//!   reference, an urgency not from the appeals unit, a third renewal, an
//!   end-date chain that does not add up…). The import refuses it.
//! - **Warning**: a situation the data may legitimately be in but that needs
//!   someone's attention (R-ELIG-2: a measure in progress for a household
//!   under judicial protection goes to the next GTS; a planned end that no
//!   longer matches the commission's duration…). The import accepts it.
//!
//! Date-relative situations (overdue contacts, meeting gaps…) are alerts,
//! not findings: see `domain::alerts`. Loads over capacity are a state.

use crate::domain::error::DomainError;
use crate::domain::measure::{MAX_RENEWALS, add_months, diagnostic_due, masp_eligible};
use crate::domain::{Dataset, Measure, MeasureStatus, Referral, ReferralKind, measure::Contract};
use chrono::Datelike;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "erreur",
            Severity::Warning => "avertissement",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// The DOMAIN.md rule id, when one applies.
    pub rule: Option<&'static str>,
    /// The record: `mesure 2026-0042`, `commande 2026-0042`, `ménage 12`,
    /// `TS 3`, `secteur 4`, `GTS 2026-11` (see the `loc_*` functions).
    pub location: String,
    /// In French.
    pub message: String,
}

impl Finding {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}] {} : {}",
            self.severity.label(),
            self.location,
            self.message
        )?;
        if let Some(rule) = self.rule
            && !self.message.contains(rule)
        {
            write!(f, " ({rule})")?;
        }
        Ok(())
    }
}

pub fn loc_sector(id: u16) -> String {
    format!("secteur {id}")
}
pub fn loc_worker(id: u32) -> String {
    format!("TS {id}")
}
pub fn loc_household(id: u32) -> String {
    format!("ménage {id}")
}
pub fn loc_referral(r: crate::domain::Reference) -> String {
    format!("commande {r}")
}
pub fn loc_measure(r: crate::domain::Reference) -> String {
    format!("mesure {r}")
}
pub fn loc_session(year: u16, month: u8) -> String {
    format!("GTS {year:04}-{month:02}")
}

struct Out(Vec<Finding>);

impl Out {
    fn error(&mut self, rule: Option<&'static str>, location: &str, message: impl Into<String>) {
        self.0.push(Finding {
            severity: Severity::Error,
            rule,
            location: location.to_string(),
            message: message.into(),
        });
    }
    fn warning(&mut self, rule: Option<&'static str>, location: &str, message: impl Into<String>) {
        self.0.push(Finding {
            severity: Severity::Warning,
            rule,
            location: location.to_string(),
            message: message.into(),
        });
    }
}

fn d(date: chrono::NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Years a date of the base may have: anything else is a typing error
/// (`0226`, `20266`) that would place a household in another century.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
/// The most a sector or a worker can have, in hundredths of a full-time
/// post (ten posts).
pub use crate::domain::refdata::MAX_FTE_HUNDREDTHS;

/// [`check_at`] with no date: nothing is said of dates in the future.
pub fn check(data: &Dataset) -> Vec<Finding> {
    check_at(data, None)
}

/// Every finding, in record order: sectors, workers, households,
/// referrals, measures, sessions, then what is impossible whatever the
/// rules (dates outside [`YEARS`], after `today` when given, or before the
/// referral; shares of posts over ten; norms of zero; two ASSLL in
/// progress for one household). O(records).
pub fn check_at(data: &Dataset, today: Option<chrono::NaiveDate>) -> Vec<Finding> {
    let mut out = Out(Vec::new());
    impossible(&mut out, data, today);
    for (key, s) in &data.sectors {
        let loc = loc_sector(key.0);
        if s.id != *key {
            out.error(
                None,
                &loc,
                format!("clé {} différente de l'identifiant {}", key.0, s.id.0),
            );
        }
        if s.name.trim().is_empty() {
            out.error(None, &loc, "secteur sans nom");
        }
        if s.fte_hundredths == 0 {
            out.warning(Some("R-CAP-1"), &loc, "aucun ETP : capacité nulle");
        }
    }
    for (key, w) in &data.workers {
        let loc = loc_worker(key.0);
        if w.id != *key {
            out.error(
                None,
                &loc,
                format!("clé {} différente de l'identifiant {}", key.0, w.id.0),
            );
        }
        if w.sectors.is_empty() {
            out.warning(
                None,
                &loc,
                format!("{} n'est rattaché(e) à aucun secteur", w.name),
            );
        }
        for s in &w.sectors {
            match data.sectors.get(s) {
                None => out.error(None, &loc, format!("secteur inconnu : {}", s.0)),
                Some(sector) if !sector.employers.contains(&w.employer) => out.warning(
                    Some("R-REF-3"),
                    &loc,
                    format!(
                        "employeur {} absent des employeurs du secteur {}",
                        w.employer.label(),
                        sector.name
                    ),
                ),
                Some(_) => {}
            }
        }
    }
    for (key, h) in &data.households {
        let loc = loc_household(key.0);
        if h.id != *key {
            out.error(
                None,
                &loc,
                format!("clé {} différente de l'identifiant {}", key.0, h.id.0),
            );
        }
        if !data.sectors.contains_key(&h.sector) {
            out.error(None, &loc, format!("secteur inconnu : {}", h.sector.0));
        }
    }
    for (key, r) in &data.referrals {
        check_referral(&mut out, data, key, r);
    }
    for (key, m) in &data.measures {
        check_measure(&mut out, data, key, m);
    }
    for (key, s) in &data.sessions {
        let loc = loc_session(key.0, key.1);
        if (s.year, s.month) != *key {
            out.error(
                None,
                &loc,
                format!("clé différente de la séance {:04}-{:02}", s.year, s.month),
            );
        }
        if !(1..=12).contains(&s.month) {
            out.error(
                Some("R-GTS-1"),
                &loc,
                format!("mois invalide : {}", s.month),
            );
            continue;
        }
        for item in &s.agenda {
            if !data.measures.contains_key(&item.reference) {
                out.error(
                    Some("R-GTS-2"),
                    &loc,
                    format!("ordre du jour : mesure {} inconnue", item.reference),
                );
            }
        }
        for dec in &s.decisions {
            if !data.measures.contains_key(&dec.reference) {
                out.error(
                    Some("R-GTS-7"),
                    &loc,
                    format!("décision sur une mesure inconnue : {}", dec.reference),
                );
            }
            if let crate::domain::Decision::Renew { months } = dec.decision
                && !(1..=6).contains(&months)
            {
                out.error(
                    Some("R-MES-4"),
                    &loc,
                    format!(
                        "renouvellement de {months} mois décidé pour {} : de 1 à 6 mois",
                        dec.reference
                    ),
                );
            }
        }
    }
    out.0
}

/// What no base can hold, whatever the rules say.
fn impossible(out: &mut Out, data: &Dataset, today: Option<chrono::NaiveDate>) {
    // The same validations as the GIP's commands (`domain::refdata`).
    if let Some(p) = crate::domain::refdata::norms_problem(&data.norms) {
        out.error(Some("R-CAP-1"), "normes", p);
    }
    for s in data.sectors.values() {
        if let Some(p) = crate::domain::refdata::fte_problem(s.fte_hundredths) {
            out.error(Some("R-CAP-1"), &loc_sector(s.id.0), p);
        }
    }
    for w in data.workers.values() {
        if let Some(p) = crate::domain::refdata::fte_problem(w.fte_hundredths) {
            out.error(Some("R-CAP-1"), &loc_worker(w.id.0), p);
        }
    }
    // The commune table: known codes, known sectors; the GTS members: one
    // per organisation (R-GTS-1).
    for (insee, sector) in &data.commune_sectors {
        let loc = format!("commune {insee}");
        if let Some(p) = crate::domain::refdata::insee_problem(insee) {
            out.error(None, &loc, p);
        }
        if !data.sectors.contains_key(sector) {
            out.error(None, &loc, format!("secteur inconnu : {}", sector.0));
        }
    }
    if !data.gts_members.is_empty()
        && let Err(r) = crate::domain::refdata::set_gts_members(&data.gts_members)
    {
        out.error(Some("R-GTS-1"), "membres du GTS", r.message);
    }
    for w in data.workers.values() {
        if let Some(p) = crate::domain::refdata::worker_dates_problem(w) {
            out.error(None, &loc_worker(w.id.0), p);
        }
    }
    // A date within the years a base may have (one known ahead, such as a
    // planned end or a departure, is checked for that only).
    let year = |out: &mut Out, loc: &str, what: &str, on: chrono::NaiveDate| {
        let ok = YEARS.contains(&on.year());
        if !ok {
            out.error(
                None,
                loc,
                format!(
                    "{what} le {} : année hors de {} à {}",
                    d(on),
                    YEARS.start(),
                    YEARS.end()
                ),
            );
        }
        ok
    };
    // A date: within the years a base may have, not after today.
    let date = |out: &mut Out, loc: &str, what: &str, on: chrono::NaiveDate| {
        if year(out, loc, what, on)
            && let Some(t) = today
            && on > t
        {
            out.error(
                None,
                loc,
                format!("{what} le {}, après aujourd'hui ({})", d(on), d(t)),
            );
        }
    };
    for w in data.workers.values() {
        let loc = loc_worker(w.id.0);
        if let Some(a) = w.arrived {
            date(out, &loc, "arrivée", a);
        }
        if let Some(l) = w.left {
            year(out, &loc, "départ", l);
        }
    }
    for r in data.referrals.values() {
        let loc = loc_referral(r.reference);
        date(out, &loc, "commande", r.referral_date);
        date(out, &loc, "reçue", r.received);
        if r.received < r.referral_date {
            out.error(
                None,
                &loc,
                format!(
                    "reçue le {}, avant la date de la commande ({})",
                    d(r.received),
                    d(r.referral_date)
                ),
            );
        }
    }
    let mut in_progress: std::collections::BTreeMap<
        crate::domain::HouseholdId,
        crate::domain::Reference,
    > = std::collections::BTreeMap::new();
    for m in data.measures.values() {
        let loc = loc_measure(m.reference);
        let referral_date = data.referrals.get(&m.reference).map(|r| r.referral_date);
        if let Some(start) = m.start {
            date(out, &loc, "début", start);
        }
        if let Some(end) = m.planned_end {
            year(out, &loc, "fin prévue", end);
        }
        match &m.status {
            MeasureStatus::Stopped { date: on, .. } => date(out, &loc, "arrêt", *on),
            MeasureStatus::NotStarted { date: on, .. } => date(out, &loc, "non mise en place", *on),
            _ => {}
        }
        match &m.contract {
            crate::domain::Contract::Signed(on) => date(out, &loc, "contrat signé", *on),
            crate::domain::Contract::NoContract { date: on, .. } => {
                date(out, &loc, "motif sans contrat", *on)
            }
            crate::domain::Contract::Pending => {}
        }
        for f in &m.checked_facts {
            date(
                out,
                &loc,
                &format!("fait « {} » vérifié", f.label),
                f.checked_on,
            );
        }
        // Who held it before a hand-over: after its start, in order, before
        // its stop, known workers and sectors.
        for p in &m.previous_holders {
            date(out, &loc, "passation", p.until);
            if p.worker.is_some_and(|w| !data.workers.contains_key(&w)) {
                out.error(
                    Some("R-MES-7"),
                    &loc,
                    format!(
                        "titulaire précédent inconnu : TS {}",
                        p.worker.map_or(0, |w| w.0)
                    ),
                );
            }
            if !data.sectors.contains_key(&p.sector) {
                out.error(
                    Some("R-MES-7"),
                    &loc,
                    format!("titulaire précédent : secteur inconnu {}", p.sector.0),
                );
            }
        }
        if let Some(first) = m.previous_holders.first() {
            match m.start {
                None => out.error(
                    Some("R-MES-7"),
                    &loc,
                    "passation d'une mesure jamais commencée",
                ),
                Some(start) if first.until <= start => out.error(
                    Some("R-MES-7"),
                    &loc,
                    format!(
                        "passation le {}, pas après le début ({})",
                        d(first.until),
                        d(start)
                    ),
                ),
                Some(_) => {}
            }
        }
        if m.previous_holders
            .windows(2)
            .any(|w| w[1].until <= w[0].until)
        {
            out.error(Some("R-MES-7"), &loc, "passations dans le désordre");
        }
        if let (MeasureStatus::Stopped { date: stop, .. }, Some(last)) =
            (&m.status, m.previous_holders.last())
            && last.until > *stop
        {
            out.error(
                Some("R-MES-7"),
                &loc,
                format!(
                    "passation le {}, après l'arrêt ({})",
                    d(last.until),
                    d(*stop)
                ),
            );
        }
        for e in &m.events {
            date(out, &loc, "contact", e.date);
            if let Some(rd) = referral_date
                && e.date < rd
            {
                out.error(
                    None,
                    &loc,
                    format!(
                        "contact du {} avant la date de la commande ({})",
                        d(e.date),
                        d(rd)
                    ),
                );
            }
        }
        // One ASSLL at a time for a household.
        if m.is_in_progress() && m.kind == ReferralKind::Measure {
            if let Some(other) = in_progress.get(&m.household) {
                out.error(
                    None,
                    &loc,
                    format!(
                        "deuxième ASSLL en cours pour le ménage n° {} (déjà {other})",
                        m.household.0
                    ),
                );
            } else {
                in_progress.insert(m.household, m.reference);
            }
        }
    }
    for s in data.sessions.values() {
        if !YEARS.contains(&i32::from(s.year)) {
            out.error(
                Some("R-GTS-1"),
                &loc_session(s.year, s.month),
                format!("année {} : hors de 2000 à 2100", s.year),
            );
        }
    }
}

fn check_referral(out: &mut Out, data: &Dataset, key: &crate::domain::Reference, r: &Referral) {
    let loc = loc_referral(*key);
    if r.reference != *key {
        out.error(
            None,
            &loc,
            format!("clé différente de la référence {}", r.reference),
        );
    }
    if r.reference.number == 0 {
        out.error(
            None,
            &loc,
            "référence de numéro 0 : attendu AAAA-NNNN à partir de 0001",
        );
    }
    if i32::from(r.reference.year) != r.referral_date.year() {
        out.warning(
            Some("R-REF-5"),
            &loc,
            format!(
                "année de la référence différente de celle de la commande ({})",
                d(r.referral_date)
            ),
        );
    }
    if let Err(e) = r.validate() {
        out.error(e.rule(), &loc, e.to_string());
    }
    if !data.households.contains_key(&r.household) {
        out.error(None, &loc, format!("ménage inconnu : {}", r.household.0));
    }
    if !data.sectors.contains_key(&r.sector) {
        out.error(None, &loc, format!("secteur inconnu : {}", r.sector.0));
    }
    if !data.measures.contains_key(key) {
        out.error(None, &loc, "aucune mesure pour cette commande");
    }
    if let Some(diag) = r.after_diagnostic {
        match data.referrals.get(&diag) {
            None => out.error(
                Some("R-DIAG-3"),
                &loc,
                format!("fait suite au diagnostic {diag}, inconnu"),
            ),
            Some(dr) if dr.kind != ReferralKind::Diagnostic => out.error(
                Some("R-DIAG-3"),
                &loc,
                format!("fait suite à {diag}, qui n'est pas un diagnostic"),
            ),
            Some(dr) if dr.household != r.household => out.warning(
                Some("R-DIAG-3"),
                &loc,
                format!("fait suite au diagnostic {diag} d'un autre ménage"),
            ),
            Some(_) => {}
        }
        if r.kind == ReferralKind::Diagnostic {
            out.error(
                Some("R-DIAG-3"),
                &loc,
                "un diagnostic ne fait pas suite à un diagnostic",
            );
        }
    }
}

fn check_measure(out: &mut Out, data: &Dataset, key: &crate::domain::Reference, m: &Measure) {
    let loc = loc_measure(*key);
    if m.reference != *key {
        out.error(
            None,
            &loc,
            format!("clé différente de la référence {}", m.reference),
        );
    }
    let referral = data.referrals.get(key);
    match referral {
        None => out.error(None, &loc, "aucune commande pour cette mesure"),
        Some(r) => {
            if r.household != m.household {
                out.error(
                    None,
                    &loc,
                    format!(
                        "ménage {} différent de celui de la commande ({})",
                        m.household.0, r.household.0
                    ),
                );
            }
            if r.kind != m.kind {
                out.error(
                    None,
                    &loc,
                    "nature (mesure / diagnostic) différente de la commande",
                );
            }
        }
    }
    let household = data.households.get(&m.household);
    if household.is_none() {
        out.error(None, &loc, format!("ménage inconnu : {}", m.household.0));
    }
    if !data.sectors.contains_key(&m.sector) {
        out.error(None, &loc, format!("secteur inconnu : {}", m.sector.0));
    }
    if let Some(w) = m.worker
        && !data.workers.contains_key(&w)
    {
        out.error(None, &loc, format!("TS inconnu(e) : {}", w.0));
    }

    let active = matches!(m.status, MeasureStatus::Waiting | MeasureStatus::InProgress);
    match &m.status {
        MeasureStatus::Waiting => {
            if m.start.is_some() || !m.renewals.is_empty() {
                out.error(
                    None,
                    &loc,
                    "mesure en attente avec une date de début ou des renouvellements",
                );
            }
        }
        MeasureStatus::InProgress => {
            if m.start.is_none() || m.planned_end.is_none() {
                out.error(
                    None,
                    &loc,
                    "mesure en cours sans date de début ou de fin prévue",
                );
            }
            if m.worker.is_none() {
                out.error(Some("R-REF-3"), &loc, "mesure en cours sans TS");
            }
        }
        MeasureStatus::Stopped { reason, .. } | MeasureStatus::NotStarted { reason, .. } => {
            if reason.trim().is_empty() {
                out.warning(None, &loc, "arrêt ou non mise en place sans motif");
            }
            if matches!(m.status, MeasureStatus::Stopped { .. }) && m.start.is_none() {
                out.error(None, &loc, "mesure arrêtée sans date de début");
            }
        }
    }
    if let MeasureStatus::Stopped { date, .. } = m.status
        && let Some(start) = m.start
        && date < start
    {
        out.error(
            None,
            &loc,
            format!("arrêt le {} avant le début ({})", d(date), d(start)),
        );
    }

    // R-ELIG-2: not an error: the protection appeared during the measure,
    // which goes to the next GTS.
    if active && household.is_some_and(|h| h.judicial_protection) {
        out.warning(
            Some("R-ELIG-2"),
            &loc,
            format!(
                "ménage sous protection judiciaire avec une mesure {} : à présenter au prochain GTS",
                m.status.label()
            ),
        );
    }

    check_dates(out, &loc, m, referral);

    if let Some(r) = referral
        && m.masp.requested.is_some()
        && !masp_eligible(r)
    {
        out.error(
            Some("R-MASP-1"),
            &loc,
            DomainError::MaspNotEligible.to_string(),
        );
    }
    match (m.masp.requested, m.masp.decision) {
        (None, Some(_)) => out.error(Some("R-MASP-2"), &loc, "MASP décidée sans demande"),
        (Some(asked), Some((_, on))) if on < asked => out.error(
            Some("R-MASP-2"),
            &loc,
            format!(
                "décision MASP du {} antérieure à la demande ({})",
                d(on),
                d(asked)
            ),
        ),
        _ => {}
    }
    if let Contract::NoContract { reason, .. } = &m.contract
        && reason.trim().is_empty()
    {
        out.error(Some("R-MES-5"), &loc, "absence de contrat sans motif");
    }
    if let (Contract::Signed(on), Some(start)) = (&m.contract, m.start)
        && *on < start
    {
        out.warning(
            Some("R-MES-5"),
            &loc,
            format!("contrat signé le {} avant le début ({})", d(*on), d(start)),
        );
    }
}

/// R-MES-1, R-MES-4, R-DIAG-2: the planned end and the renewals' chain.
fn check_dates(out: &mut Out, loc: &str, m: &Measure, referral: Option<&Referral>) {
    if m.renewals.len() > MAX_RENEWALS {
        out.error(
            Some("R-MES-4"),
            loc,
            format!(
                "{} renouvellements : au plus {MAX_RENEWALS} (R-MES-4)",
                m.renewals.len()
            ),
        );
    }
    if m.kind == ReferralKind::Diagnostic && !m.renewals.is_empty() {
        out.error(Some("R-MES-4"), loc, "un diagnostic ne se renouvelle pas");
    }
    for (i, r) in m.renewals.iter().enumerate() {
        if !(1..=6).contains(&r.months) {
            out.error(
                Some("R-MES-4"),
                loc,
                format!(
                    "renouvellement n° {} de {} mois : de 1 à 6 mois (R-MES-4)",
                    i + 1,
                    r.months
                ),
            );
        }
    }
    let (Some(start), Some(end)) = (m.start, m.planned_end) else {
        return;
    };
    if end < start {
        out.error(
            None,
            loc,
            format!("fin prévue ({}) avant le début ({})", d(end), d(start)),
        );
    }
    let Some(r) = referral else { return };
    if start < r.referral_date {
        out.error(
            None,
            loc,
            format!(
                "début ({}) avant la date de la commande ({})",
                d(start),
                d(r.referral_date)
            ),
        );
    }
    let initial_end = match m.kind {
        ReferralKind::Measure => add_months(start, u32::from(r.initial_months)),
        ReferralKind::Diagnostic => diagnostic_due(r),
    };
    // The chain: each renewal adds its months to the previous end (R-MES-4).
    let rule = if m.kind == ReferralKind::Diagnostic {
        "R-DIAG-2"
    } else {
        "R-MES-1"
    };
    let mut prev = initial_end;
    let actual_initial = match m.renewals.first() {
        None => Some(end),
        Some(first) if add_months(initial_end, u32::from(first.months)) == first.new_end => None,
        // Either the initial end was changed (a warning), or the chain is
        // broken (the error is reported below).
        Some(first) => first_renewal_base(first),
    };
    if let Some(actual) = actual_initial
        && actual != initial_end
    {
        out.warning(
            Some(rule),
            loc,
            format!(
                "fin initiale {} différente du début + durée de la commande ({})",
                d(actual),
                d(initial_end)
            ),
        );
        prev = actual;
    }
    for (i, rn) in m.renewals.iter().enumerate() {
        let expected = add_months(prev, u32::from(rn.months));
        if rn.new_end != expected {
            out.error(
                Some("R-MES-4"),
                loc,
                format!(
                    "renouvellement n° {} : nouvelle fin {} au lieu de {} ({} + {} mois)",
                    i + 1,
                    d(rn.new_end),
                    d(expected),
                    d(prev),
                    rn.months
                ),
            );
        }
        prev = rn.new_end;
    }
    if !m.renewals.is_empty() && end != prev {
        out.error(
            Some("R-MES-4"),
            loc,
            format!(
                "fin prévue {} différente de la fin du dernier renouvellement ({})",
                d(end),
                d(prev)
            ),
        );
    }
}

/// The end a first renewal was added to: `new_end - months`, checked by
/// adding back (month clamping makes the subtraction ambiguous; any day
/// that adds back to `new_end` is accepted, the latest one is returned).
fn first_renewal_base(rn: &crate::domain::measure::Renewal) -> Option<chrono::NaiveDate> {
    let months = chrono::Months::new(u32::from(rn.months));
    let approx = rn.new_end.checked_sub_months(months)?;
    // Clamping: 31/03 + 1 month = 30/04, so 30/04 - 1 month = 30/03 may
    // stand for 30/03 or 31/03. Try the following days of the same month.
    let mut best = None;
    let mut day = approx;
    for _ in 0..4 {
        if add_months(day, u32::from(rn.months)) == rn.new_end {
            best = Some(day);
        }
        match day.succ_opt() {
            Some(next) if next.month() == approx.month() => day = next,
            _ => break,
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::measure::Renewal;
    use crate::domain::sector::default_sectors;
    use crate::domain::{
        DecidingBody, Household, HouseholdId, Objective, Reference, Requester, SectorId, Worker,
        WorkerId,
    };
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn base() -> (Dataset, Reference) {
        let mut data = Dataset::default();
        for s in default_sectors() {
            data.sectors.insert(s.id, s);
        }
        data.workers.insert(
            WorkerId(1),
            Worker {
                id: WorkerId(1),
                name: "Mme Laurent".into(),
                employer: crate::domain::Employer::Caf,
                sectors: vec![SectorId(6)],
                fte_hundredths: 100,
                login: "slaurent".into(),
                arrived: None,
                left: None,
            },
        );
        data.households.insert(
            HouseholdId(1),
            Household {
                id: HouseholdId(1),
                last_name: "Lefèvre".into(),
                first_name: "Hélène".into(),
                commune_insee: "16102".into(),
                commune: "Cognac".into(),
                sector: SectorId(6),
                referring_worker: String::new(),
                landlord: None,
                judicial_protection: false,
            },
        );
        let reference = Reference::new(2026, 1);
        let referral = Referral {
            reference,
            household: HouseholdId(1),
            kind: ReferralKind::Measure,
            requester: Requester::Landlord,
            deciding_body: DecidingBody::Commission,
            urgent: false,
            referral_date: day(2026, 1, 5),
            received: day(2026, 1, 8),
            objectives: vec![Objective::EvictionPrevention],
            initial_months: 6,
            sector: SectorId(6),
            sublet: false,
            after_diagnostic: None,
            note: String::new(),
        };
        let mut m = Measure::new_waiting(&referral);
        let h = data.households[&HouseholdId(1)].clone();
        m.start(&referral, &h, WorkerId(1), SectorId(6), day(2026, 2, 2))
            .unwrap();
        data.referrals.insert(reference, referral);
        data.measures.insert(reference, m);
        (data, reference)
    }

    fn errors(data: &Dataset) -> Vec<Finding> {
        check(data).into_iter().filter(|f| f.is_error()).collect()
    }

    #[test]
    fn a_consistent_dataset_has_no_finding() {
        let (mut data, r) = base();
        assert!(check(&data).is_empty(), "{:?}", check(&data));
        let m = data.measures.get_mut(&r).unwrap();
        m.renew(3, day(2026, 7, 16)).unwrap();
        m.renew(6, day(2026, 10, 15)).unwrap();
        assert!(check(&data).is_empty(), "{:?}", check(&data));
    }

    #[test]
    fn r_mes_4_third_renewal_is_an_error() {
        let (mut data, r) = base();
        let m = data.measures.get_mut(&r).unwrap();
        m.renew(1, day(2026, 7, 16)).unwrap();
        m.renew(1, day(2026, 8, 20)).unwrap();
        let end = m.planned_end.unwrap();
        let new_end = add_months(end, 1);
        m.renewals.push(Renewal {
            decided_on: day(2026, 9, 17),
            months: 1,
            new_end,
        });
        m.planned_end = Some(new_end);
        let e = errors(&data);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].rule, Some("R-MES-4"));
        assert_eq!(e[0].location, "mesure 2026-0001");
    }

    #[test]
    fn r_mes_4_broken_end_chain_is_an_error() {
        let (mut data, r) = base();
        let m = data.measures.get_mut(&r).unwrap();
        m.renew(3, day(2026, 7, 16)).unwrap();
        m.renewals[0].new_end = day(2026, 12, 31);
        let e = errors(&data);
        assert!(e.iter().any(|f| f.rule == Some("R-MES-4")), "{e:?}");
    }

    #[test]
    fn r_mes_1_initial_duration_out_of_range_is_an_error() {
        let (mut data, r) = base();
        data.referrals.get_mut(&r).unwrap().initial_months = 9;
        let e = errors(&data);
        assert!(e.iter().any(|f| f.rule == Some("R-MES-1")), "{e:?}");
    }

    #[test]
    fn r_ref_6_urgency_from_a_landlord_is_an_error() {
        let (mut data, r) = base();
        data.referrals.get_mut(&r).unwrap().urgent = true;
        let e = errors(&data);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].rule, Some("R-REF-6"));
        assert_eq!(e[0].location, "commande 2026-0001");
        assert!(e[0].message.contains("Bailleur"));
    }

    #[test]
    fn r_elig_2_protection_during_a_measure_is_a_warning() {
        let (mut data, _) = base();
        data.households
            .get_mut(&HouseholdId(1))
            .unwrap()
            .judicial_protection = true;
        let f = check(&data);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!(f[0].rule, Some("R-ELIG-2"));
    }

    #[test]
    fn r_mes_7_a_holding_history_out_of_step_is_an_error() {
        use crate::domain::measure::PastHolder;
        let (mut data, r) = base();
        assert!(errors(&data).is_empty());
        let m = data.measures.get_mut(&r).unwrap();
        let start = m.start.unwrap();
        let day = |n: u64| start.checked_add_days(chrono::Days::new(n)).unwrap();
        let held = |until| PastHolder {
            worker: Some(WorkerId(1)),
            sector: SectorId(6),
            until,
        };
        m.previous_holders = vec![held(day(10)), held(day(20))];
        assert!(errors(&data).is_empty(), "{:?}", errors(&data));
        let messages = |data: &Dataset| -> Vec<String> {
            errors(data).into_iter().map(|f| f.message).collect()
        };
        let m = data.measures.get_mut(&r).unwrap();
        m.previous_holders = vec![held(day(20)), held(day(10))];
        assert!(messages(&data).contains(&"passations dans le désordre".to_string()));
        let m = data.measures.get_mut(&r).unwrap();
        m.previous_holders = vec![held(start)];
        let e = messages(&data);
        assert!(e.iter().any(|x| x.contains("pas après le début")), "{e:?}");
        let m = data.measures.get_mut(&r).unwrap();
        m.previous_holders = vec![PastHolder {
            worker: Some(WorkerId(42)),
            ..held(day(10))
        }];
        let e = messages(&data);
        assert!(e.iter().any(|x| x.contains("TS 42")), "{e:?}");
    }

    #[test]
    fn dangling_references_are_errors() {
        let (mut data, r) = base();
        data.households.get_mut(&HouseholdId(1)).unwrap().sector = SectorId(42);
        data.measures.get_mut(&r).unwrap().worker = Some(WorkerId(9));
        data.workers
            .get_mut(&WorkerId(1))
            .unwrap()
            .sectors
            .push(SectorId(77));
        let e = errors(&data);
        let locs: Vec<_> = e.iter().map(|f| f.location.as_str()).collect();
        assert_eq!(locs, vec!["TS 1", "ménage 1", "mesure 2026-0001"], "{e:?}");
        data.measures.clear();
        assert!(
            errors(&data)
                .iter()
                .any(|f| f.message == "aucune mesure pour cette commande")
        );
    }

    #[test]
    fn r_masp_1_masp_on_a_non_budget_measure_is_an_error() {
        let (mut data, r) = base();
        data.referrals.get_mut(&r).unwrap().objectives = vec![Objective::Rehousing];
        data.measures.get_mut(&r).unwrap().masp.requested = Some(day(2026, 3, 1));
        let e = errors(&data);
        assert_eq!(e[0].rule, Some("R-MASP-1"));
    }

    #[test]
    fn renewal_base_accepts_month_end_clamping() {
        let rn = Renewal {
            decided_on: day(2026, 3, 19),
            months: 1,
            new_end: day(2026, 4, 30),
        };
        assert_eq!(first_renewal_base(&rn), Some(day(2026, 3, 31)));
    }
}
