//! The communes of Charente (INSEE code, name, postcodes, intercommunality),
//! embedded at compile time from `data/charente-communes.json` (Etalab,
//! `@etalab/decoupage-administratif`, MIT licence), and a heuristic that
//! suggests a commune's sector.
//!
//! The cantons of the convention (DOMAIN.md §3) predate 2015 and are not in
//! the data, so the commune → sector table is reference data **the GIP
//! confirms**: [`suggest_sector`] only proposes, from the commune's
//! intercommunality (EPCI) and, inside the two agglomerations, from the
//! commune itself.

use crate::domain::SectorId;
use serde::Deserialize;
use std::sync::OnceLock;

/// The embedded file, as shipped.
const RAW: &str = include_str!("../data/charente-communes.json");

/// One current commune (`commune-actuelle` in the source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commune {
    pub insee: String,
    pub name: String,
    pub postcodes: Vec<String>,
    /// The intercommunality (EPCI) name, e.g. `CA du Grand Angoulême`.
    pub epci: String,
    pub population: Option<u32>,
}

#[derive(Deserialize)]
struct RawFile {
    source: String,
    communes: Vec<RawCommune>,
}

#[derive(Deserialize)]
struct RawCommune {
    insee: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    codes_postaux: Vec<String>,
    population: Option<u32>,
    epci: Option<RawEpci>,
}

#[derive(Deserialize)]
struct RawEpci {
    nom: String,
}

struct Table {
    source: String,
    communes: Vec<Commune>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The file is part of the build; a parse failure is caught by the
        // unit test below, and yields an empty table rather than a panic.
        let raw: RawFile = serde_json::from_str(RAW).unwrap_or(RawFile {
            source: String::new(),
            communes: Vec::new(),
        });
        let communes = raw
            .communes
            .into_iter()
            .filter(|c| c.kind == "commune-actuelle")
            .map(|c| Commune {
                insee: c.insee,
                name: c.nom,
                postcodes: c.codes_postaux,
                epci: c.epci.map(|e| e.nom).unwrap_or_default(),
                population: c.population,
            })
            .collect();
        Table {
            source: raw.source,
            communes,
        }
    })
}

/// The data's source line (`@etalab/decoupage-administratif … MIT licence`).
pub fn source() -> &'static str {
    &table().source
}

/// Every current commune, in INSEE order.
pub fn communes() -> &'static [Commune] {
    &table().communes
}

pub fn by_insee(insee: &str) -> Option<&'static Commune> {
    communes().iter().find(|c| c.insee == insee.trim())
}

/// Finds a commune by name, ignoring case, accents, hyphens and apostrophes
/// (`saint michel` finds `Saint-Michel`).
pub fn by_name(name: &str) -> Option<&'static Commune> {
    let key = fold(name);
    if key.is_empty() {
        return None;
    }
    communes().iter().find(|c| fold(&c.name) == key)
}

/// Lower case, no accents, words separated by one space (the domain's
/// [`crate::domain::household::name_key`], used for names too).
pub fn fold(s: &str) -> String {
    crate::domain::household::name_key(s)
}

// Sector ids of `default_sectors()`.
const RUFFECOIS: SectorId = SectorId(1);
const CHARENTE_LIMOUSINE: SectorId = SectorId(2);
const ANG_SOYAUX: SectorId = SectorId(3);
const ANG_LA_COURONNE: SectorId = SectorId(4);
const SUD_CHARENTE: SectorId = SectorId(5);
const COGNAC: SectorId = SectorId(6);
const ANG_GOND_PONTOUVRE: SectorId = SectorId(7);
const JARNAC: SectorId = SectorId(8);
const HORTE_TARDOIRE: SectorId = SectorId(9);

/// Grand Angoulême, south-west: La Couronne, Nersac, Roullet and around.
const LA_COURONNE_SIDE: &[&str] = &[
    "la couronne",
    "nersac",
    "roullet saint estephe",
    "saint michel",
    "linars",
    "fleac",
    "trois palis",
    "sireuil",
    "claix",
    "mouthiers sur boeme",
    "voulgezac",
    "plassac rouffiac",
    "saint saturnin",
];

/// Grand Angoulême, north: Gond-Pontouvre, Ruelle and around.
const GOND_PONTOUVRE_SIDE: &[&str] = &[
    "gond pontouvre",
    "ruelle sur touvre",
    "l isle d espagnac",
    "magnac sur touvre",
    "touvre",
    "mornac",
    "champniers",
    "brie",
    "balzac",
    "vindelle",
    "saint yrieix sur charente",
    "jauldes",
    "marsac",
    "asnieres sur nouere",
];

/// Grand Cognac, the former canton of Cognac; the rest goes to Jarnac.
const COGNAC_CANTON: &[&str] = &[
    "cognac",
    "chateaubernard",
    "boutiers saint trojan",
    "breville",
    "javrezac",
    "louzac saint andre",
    "mesnac",
    "ars",
    "gimeux",
    "merpins",
    "saint laurent de cognac",
    "salles d angles",
    "gente",
    "saint brice",
];

/// Lavalette Tude Dronne, the former canton of Villebois-Lavalette
/// (Horte et Tardoire); the rest goes to Sud Charente.
const VILLEBOIS_CANTON: &[&str] = &[
    "villebois lavalette",
    "blanzaguet saint cybard",
    "combiers",
    "edon",
    "fouquebrune",
    "gurat",
    "magnac les gardes",
    "ronsenac",
    "rougnac",
    "boisne la tude",
];

/// The sector an intercommunality suggests, on its own (for an
/// agglomeration, its main sector: Angoulême – Soyaux, Cognac).
fn sector_of_epci(epci_folded: &str) -> Option<SectorId> {
    let e = epci_folded;
    let has = |s: &str| e.contains(s);
    if has("grand angouleme") {
        Some(ANG_SOYAUX)
    } else if has("grand cognac") {
        Some(COGNAC)
    } else if has("rouillacais") {
        Some(JARNAC)
    } else if has("charente limousine") {
        Some(CHARENTE_LIMOUSINE)
    } else if has("coeur de charente") || has("val de charente") {
        Some(RUFFECOIS)
    } else if has("4b sud charente") || has("lavalette tude dronne") {
        Some(SUD_CHARENTE)
    } else if has("rochefoucauld") {
        Some(HORTE_TARDOIRE)
    } else {
        None
    }
}

/// The sector suggested for one commune of the table.
pub fn suggest_sector_for(commune: &Commune) -> Option<SectorId> {
    let name = fold(&commune.name);
    let epci = fold(&commune.epci);
    let base = sector_of_epci(&epci)?;
    let is_in = |list: &[&str]| list.contains(&name.as_str());
    Some(match base {
        ANG_SOYAUX if is_in(LA_COURONNE_SIDE) => ANG_LA_COURONNE,
        ANG_SOYAUX if is_in(GOND_PONTOUVRE_SIDE) => ANG_GOND_PONTOUVRE,
        COGNAC if !is_in(COGNAC_CANTON) => JARNAC,
        SUD_CHARENTE if is_in(VILLEBOIS_CANTON) => HORTE_TARDOIRE,
        other => other,
    })
}

/// Suggests a sector from a commune name, an INSEE code or an
/// intercommunality name ("CA du Grand Angoulême" → Angoulême – Soyaux,
/// "Ruelle-sur-Touvre" → Angoulême – Gond-Pontouvre, "CA du Grand Cognac"
/// → Cognac, "Jarnac" → Jarnac). A heuristic for the default sectors: the
/// GIP confirms the commune → sector table (DOMAIN.md §3).
pub fn suggest_sector(name: &str) -> Option<SectorId> {
    effective_sector(&Default::default(), name)
}

/// A commune's sector as the application uses it: the one the GIP
/// confirmed (`Dataset::commune_sectors`), else the suggestion
/// ([`suggest_sector_for`]). The one look-up of the new-referral form and
/// the demo.
pub fn effective_sector_for(
    confirmed: &crate::domain::refdata::CommuneSectors,
    commune: &Commune,
) -> Option<SectorId> {
    confirmed
        .get(&commune.insee)
        .copied()
        .or_else(|| suggest_sector_for(commune))
}

/// [`effective_sector_for`] from a commune name or INSEE code; an
/// intercommunality name gives its suggestion.
pub fn effective_sector(
    confirmed: &crate::domain::refdata::CommuneSectors,
    name: &str,
) -> Option<SectorId> {
    match by_insee(name).or_else(|| by_name(name)) {
        Some(c) => effective_sector_for(confirmed, c),
        None => sector_of_epci(&fold(name)),
    }
}

/// The communes suggested for a sector, in INSEE order.
pub fn communes_of(sector: SectorId) -> Vec<&'static Commune> {
    communes()
        .iter()
        .filter(|c| suggest_sector_for(c) == Some(sector))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_has_every_current_commune_with_its_source() {
        assert_eq!(communes().len(), 359);
        assert!(source().contains("MIT"));
        let a = by_insee("16015").expect("Angoulême");
        assert_eq!(a.name, "Angoulême");
        assert_eq!(a.epci, "CA du Grand Angoulême");
        assert!(a.postcodes.iter().any(|p| p == "16000"));
    }

    #[test]
    fn names_are_found_without_accents_or_hyphens() {
        assert_eq!(
            by_name("angouleme").map(|c| c.insee.as_str()),
            Some("16015")
        );
        assert_eq!(
            by_name("ruelle sur touvre").map(|c| c.name.as_str()),
            Some("Ruelle-sur-Touvre")
        );
        assert_eq!(fold("Vœuil-et-Giget"), "voeuil et giget");
        assert!(by_name("   ").is_none());
    }

    #[test]
    fn r_cap_3_grand_angouleme_suggests_an_angouleme_sector() {
        assert_eq!(suggest_sector("CA du Grand Angoulême"), Some(SectorId(3)));
        assert_eq!(suggest_sector("Soyaux"), Some(SectorId(3)));
        assert_eq!(suggest_sector("La Couronne"), Some(SectorId(4)));
        assert_eq!(suggest_sector("Nersac"), Some(SectorId(4)));
        assert_eq!(suggest_sector("Gond-Pontouvre"), Some(SectorId(7)));
        assert_eq!(suggest_sector("Ruelle-sur-Touvre"), Some(SectorId(7)));
    }

    #[test]
    fn other_intercommunalities_suggest_their_sector() {
        assert_eq!(suggest_sector("CA du Grand Cognac"), Some(SectorId(6)));
        assert_eq!(suggest_sector("Cognac"), Some(SectorId(6)));
        assert_eq!(suggest_sector("Jarnac"), Some(SectorId(8)));
        assert_eq!(suggest_sector("Segonzac"), Some(SectorId(8)));
        assert_eq!(suggest_sector("Confolens"), Some(SectorId(2)));
        assert_eq!(
            suggest_sector("Barbezieux-Saint-Hilaire"),
            Some(SectorId(5))
        );
        assert_eq!(suggest_sector("Villebois-Lavalette"), Some(SectorId(9)));
        assert_eq!(suggest_sector("Montbron"), Some(SectorId(9)));
        assert_eq!(suggest_sector("Aigre"), Some(SectorId(1)));
        assert_eq!(suggest_sector("Paris"), None);
    }

    #[test]
    fn every_default_sector_has_communes_and_every_commune_a_sector() {
        for id in 1..=9 {
            assert!(!communes_of(SectorId(id)).is_empty(), "secteur {id}");
        }
        assert!(communes().iter().all(|c| suggest_sector_for(c).is_some()));
    }
}
