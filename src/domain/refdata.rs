//! Reference data the GIP edits (DOMAIN.md §3, §10): sectors (FTE,
//! employers, setting), the norms (R-CAP-1), workers, the commune → sector
//! table the GIP confirms, and the standing members of the GTS (R-GTS-1).
//!
//! The validations here are the only ones: [`crate::check`] calls the same
//! functions on a whole base that the commands call on one change.

use super::command::{Decided, Refusal};
use super::dataset::Dataset;
use super::ids::{SectorId, WorkerId};
use super::record::Record;
use super::sector::{Employer, Norms, Sector};
use super::worker::Worker;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest share of posts a sector or a worker may have, in
/// hundredths: ten full-time posts.
pub const MAX_FTE_HUNDREDTHS: u16 = 1000;

/// A share of posts as French writes it: `0,5`, `1`, `0,75`.
pub fn fte_label(hundredths: u16) -> String {
    let whole = hundredths / 100;
    let frac = hundredths % 100;
    if frac == 0 {
        whole.to_string()
    } else if frac.is_multiple_of(10) {
        format!("{whole},{}", frac / 10)
    } else {
        format!("{whole},{frac:02}")
    }
}

/// Reads a share of posts typed the French way (`0,5`; `0.5` too) into
/// hundredths. Refuses what is not a number with at most two decimals;
/// the range is [`fte_problem`]'s.
pub fn parse_fte(s: &str) -> Result<u16, String> {
    let t = s.trim();
    let bad = || format!("ETP « {t} » invalide : un nombre comme 0,5 ou 1");
    if t.is_empty() {
        return Err("ETP obligatoire (ex. 0,5)".into());
    }
    let (whole, frac) = match t.split_once([',', '.']) {
        Some((w, f)) => (w, f),
        None => (t, ""),
    };
    let digits = |x: &str| x.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(frac) || frac.len() > 2 || (whole.is_empty() && frac.is_empty()) {
        return Err(bad());
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let frac: u32 = match frac.len() {
        0 => 0,
        1 => frac.parse::<u32>().map_err(|_| bad())? * 10,
        _ => frac.parse().map_err(|_| bad())?,
    };
    let total = whole.saturating_mul(100).saturating_add(frac);
    match u16::try_from(total)
        .ok()
        .filter(|t| fte_problem(*t).is_none())
    {
        Some(t) => Ok(t),
        None => Err(format!(
            "{t} ETP refusé : de 0 à {} ETP",
            MAX_FTE_HUNDREDTHS / 100
        )),
    }
}

/// R-CAP-1: a share of posts outside 0–10 is impossible.
pub fn fte_problem(hundredths: u16) -> Option<String> {
    (hundredths > MAX_FTE_HUNDREDTHS).then(|| {
        format!(
            "{} ETP refusé : de 0 à {} ETP",
            fte_label(hundredths),
            MAX_FTE_HUNDREDTHS / 100
        )
    })
}

/// R-CAP-1: a norm of zero would make every capacity zero.
pub fn norms_problem(norms: &Norms) -> Option<String> {
    (norms.urban == 0 || norms.rural == 0).then(|| {
        format!(
            "norme nulle refusée ({} en urbain, {} en rural) : toute capacité serait nulle",
            norms.urban, norms.rural
        )
    })
}

/// The standing member of the GTS for one organisation (R-GTS-1: one per
/// employer, one per social landlord; the Conseil Général chairs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GtsMember {
    /// `Mme Dupuis`.
    pub name: String,
    /// An employer's label (`Conseil Général`, `CAF`, `GIP`) or a social
    /// landlord's name (`Logélia`).
    pub organisation: String,
}

impl GtsMember {
    /// Whether this member represents `employer`.
    pub fn represents(&self, employer: Employer) -> bool {
        same_organisation(&self.organisation, employer.label())
    }
}

pub fn same_organisation(a: &str, b: &str) -> bool {
    super::household::name_key(a) == super::household::name_key(b)
}

/// A commune's INSEE code: five characters, digits (2A/2B in Corsica).
pub fn insee_problem(insee: &str) -> Option<String> {
    let ok = insee.len() == 5 && insee.chars().all(|c| c.is_ascii_alphanumeric());
    (!ok).then(|| format!("code INSEE « {insee} » invalide : cinq caractères (ex. 16015)"))
}

/// What is wrong with a sector as the GIP would save it, with the field.
pub fn sector_problem(data: &Dataset, s: &Sector) -> Option<(&'static str, String)> {
    if !data.sectors.contains_key(&s.id) {
        return Some(("name", format!("secteur n° {} inconnu", s.id.0)));
    }
    if s.name.trim().is_empty() {
        return Some(("name", "nom du secteur obligatoire".into()));
    }
    if let Some(p) = fte_problem(s.fte_hundredths) {
        return Some(("fte", p));
    }
    if s.employers.is_empty() {
        return Some(("employers", "au moins un employeur".into()));
    }
    None
}

/// A departure before the arrival is impossible.
pub fn worker_dates_problem(w: &Worker) -> Option<String> {
    let fr = super::calendar::fr_date;
    match (w.arrived, w.left) {
        (Some(a), Some(l)) if l < a => {
            Some(format!("départ le {}, avant l'arrivée ({})", fr(l), fr(a)))
        }
        _ => None,
    }
}

/// What is wrong with a worker as the GIP would save it, with the field.
pub fn worker_problem(data: &Dataset, w: &Worker) -> Option<(&'static str, String)> {
    if w.name.trim().is_empty() {
        return Some(("name", "nom obligatoire (ex. Mme Laurent)".into()));
    }
    if let Some(p) = fte_problem(w.fte_hundredths) {
        return Some(("fte", p));
    }
    if w.sectors.is_empty() {
        return Some((
            "sectors",
            "au moins un secteur : une ou un TS travaille dans un secteur".into(),
        ));
    }
    if let Some(s) = w.sectors.iter().find(|s| !data.sectors.contains_key(s)) {
        return Some(("sectors", format!("secteur n° {} inconnu", s.0)));
    }
    if let Some(p) = worker_dates_problem(w) {
        return Some(("left", p));
    }
    let login = w.login.trim();
    if login.contains(char::is_whitespace) || login.contains(':') {
        return Some((
            "login",
            format!("identifiant « {login} » invalide : le nom de connexion du système"),
        ));
    }
    if !login.is_empty()
        && let Some(other) = data
            .workers
            .values()
            .find(|o| o.id != w.id && o.login.trim() == login)
    {
        return Some((
            "login",
            format!("identifiant « {login} » déjà pris par {}", other.name),
        ));
    }
    None
}

fn refuse((field, message): (&'static str, String)) -> Refusal {
    Refusal::on(field, format!("Refusé : {message}"))
}

/// The GIP edits a sector (name, FTE, employers, setting, area). Over
/// capacity after a lower FTE is a state, not a refusal (R-CAP-2).
pub fn edit_sector(data: &Dataset, sector: &Sector) -> Result<Decided, Refusal> {
    let mut s = sector.clone();
    s.name = s.name.trim().to_string();
    if let Some(p) = sector_problem(data, &s) {
        return Err(refuse(p));
    }
    s.short_name = s.short_name.trim().to_string();
    if s.short_name.is_empty() {
        s.short_name = s.name.clone();
    }
    let summary = format!(
        "secteur {} : {} ETP, {}, capacité {}",
        s.name,
        fte_label(s.fte_hundredths),
        s.setting.label(),
        s.capacity(&data.norms)
    );
    Ok(Decided {
        summary,
        records: vec![Record::Sector(s)],
    })
}

/// R-CAP-1: the GIP edits the households per FTE.
pub fn edit_norms(norms: &Norms) -> Result<Decided, Refusal> {
    if let Some(p) = norms_problem(norms) {
        let field = if norms.urban == 0 { "urban" } else { "rural" };
        return Err(Refusal::on(field, format!("Refusé : {p} (R-CAP-1)")));
    }
    Ok(Decided {
        summary: format!(
            "normes : {} ménages par ETP en urbain, {} en rural",
            norms.urban, norms.rural
        ),
        records: vec![Record::Norms(*norms)],
    })
}

/// A new worker; its number is given here (the `id` given is ignored).
pub fn add_worker(data: &Dataset, worker: &Worker) -> Result<Decided, Refusal> {
    let mut w = worker.clone();
    let next = data
        .workers
        .keys()
        .next_back()
        .map_or(Some(1), |id| id.0.checked_add(1));
    let Some(next) = next else {
        return Err(Refusal::new("Plus aucun numéro de TS libre"));
    };
    w.id = WorkerId(next);
    w.name = w.name.trim().to_string();
    w.login = w.login.trim().to_string();
    if let Some(p) = worker_problem(data, &w) {
        return Err(refuse(p));
    }
    Ok(Decided {
        summary: format!(
            "TS {} ajouté·e ({})",
            w.name,
            sectors_label(data, &w.sectors)
        ),
        records: vec![Record::Worker(w)],
    })
}

/// A worker's name, employer, sectors, FTE or login corrected.
pub fn edit_worker(data: &Dataset, worker: &Worker) -> Result<Decided, Refusal> {
    if !data.workers.contains_key(&worker.id) {
        return Err(Refusal::new(format!("TS n° {} inconnu·e", worker.id.0)));
    }
    let mut w = worker.clone();
    w.name = w.name.trim().to_string();
    w.login = w.login.trim().to_string();
    if let Some(p) = worker_problem(data, &w) {
        return Err(refuse(p));
    }
    Ok(Decided {
        summary: format!(
            "TS {} : {}, {} ETP, {}",
            w.name,
            w.employer.label(),
            fte_label(w.fte_hundredths),
            sectors_label(data, &w.sectors)
        ),
        records: vec![Record::Worker(w)],
    })
}

fn sectors_label(data: &Dataset, sectors: &[SectorId]) -> String {
    sectors
        .iter()
        .map(|s| data.sector_name(*s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The GIP confirms a commune's sector (`None`: back to the suggestion).
/// `name` is the commune's name, for the audit trail.
pub fn confirm_commune(
    data: &Dataset,
    insee: &str,
    name: &str,
    sector: Option<SectorId>,
) -> Result<Decided, Refusal> {
    let insee = insee.trim();
    if let Some(p) = insee_problem(insee) {
        return Err(Refusal::on("insee", format!("Refusé : {p}")));
    }
    let mut table = data.commune_sectors.clone();
    let summary = match sector {
        Some(s) => {
            if !data.sectors.contains_key(&s) {
                return Err(refuse(("sector", format!("secteur n° {} inconnu", s.0))));
            }
            table.insert(insee.to_string(), s);
            format!(
                "commune {name} ({insee}) confirmée dans le secteur {}",
                data.sector_name(s)
            )
        }
        None => {
            table.remove(insee);
            format!("commune {name} ({insee}) : secteur à confirmer de nouveau")
        }
    };
    Ok(Decided {
        summary,
        records: vec![Record::CommuneSectors(table)],
    })
}

/// R-GTS-1: the standing members, one per organisation.
pub fn set_gts_members(members: &[GtsMember]) -> Result<Decided, Refusal> {
    let mut out: Vec<GtsMember> = Vec::with_capacity(members.len());
    for m in members {
        let m = GtsMember {
            name: m.name.trim().to_string(),
            organisation: m.organisation.trim().to_string(),
        };
        if m.name.is_empty() {
            return Err(Refusal::on("name", "Refusé : nom du membre obligatoire"));
        }
        if m.organisation.is_empty() {
            return Err(Refusal::on(
                "organisation",
                "Refusé : organisation obligatoire (employeur ou bailleur social)",
            ));
        }
        if let Some(o) = out
            .iter()
            .find(|o| same_organisation(&o.organisation, &m.organisation))
        {
            return Err(Refusal::on(
                "organisation",
                format!(
                    "Refusé : {} a déjà un membre ({}) : un·e par employeur et par bailleur (R-GTS-1)",
                    m.organisation, o.name
                ),
            ));
        }
        out.push(m);
    }
    let n = out.len();
    Ok(Decided {
        summary: format!(
            "membres du GTS : {n} membre{}",
            if n > 1 { "s" } else { "" }
        ),
        records: vec![Record::GtsMembers(out)],
    })
}

/// What the GIP has confirmed, by INSEE code.
pub type CommuneSectors = BTreeMap<String, SectorId>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_fte_parses_and_out_of_range_is_refused() {
        assert_eq!(parse_fte("0,5"), Ok(50));
        assert_eq!(parse_fte("1"), Ok(100));
        assert_eq!(parse_fte("0.75"), Ok(75));
        assert_eq!(parse_fte(",5"), Ok(50));
        assert_eq!(parse_fte("10"), Ok(1000));
        assert!(parse_fte("11").unwrap_err().contains("de 0 à 10 ETP"));
        assert!(parse_fte("un").unwrap_err().contains("invalide"));
        assert!(parse_fte("0,555").unwrap_err().contains("invalide"));
        assert!(parse_fte("-1").unwrap_err().contains("invalide"));
        assert!(parse_fte("").unwrap_err().contains("obligatoire"));
        assert!(parse_fte("99999999").is_err());
    }

    #[test]
    fn fte_label_is_french() {
        assert_eq!(fte_label(50), "0,5");
        assert_eq!(fte_label(100), "1");
        assert_eq!(fte_label(75), "0,75");
    }
}
