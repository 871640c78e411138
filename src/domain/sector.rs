//! Sectors (circonscriptions), their workers' time share and capacity (R-CAP).

use super::ids::SectorId;
use serde::{Deserialize, Serialize};

/// Who employs the workers of a sector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Employer {
    ConseilGeneral,
    Caf,
    Gip,
}

impl Employer {
    pub const ALL: [Employer; 3] = [Employer::ConseilGeneral, Employer::Caf, Employer::Gip];
    pub fn label(self) -> &'static str {
        match self {
            Employer::ConseilGeneral => "Conseil Général",
            Employer::Caf => "CAF",
            Employer::Gip => "GIP",
        }
    }
}

/// Urban or rural: decides the number of households per FTE (R-CAP-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Setting {
    Urban,
    Rural,
}

impl Setting {
    pub fn label(self) -> &'static str {
        match self {
            Setting::Urban => "urbain",
            Setting::Rural => "rural",
        }
    }
}

/// Households per full-time worker (R-CAP-1). Reference data the GIP can edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Norms {
    pub urban: u16,
    pub rural: u16,
}

impl Default for Norms {
    fn default() -> Self {
        Self {
            urban: 30,
            rural: 28,
        }
    }
}

/// A sector. `fte_hundredths` is the workers' time share in hundredths of a
/// full-time equivalent (50 = half time), so capacity stays an exact integer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    pub id: SectorId,
    pub name: String,
    /// A name that fits a narrow column (`Ang.–La Couronne`).
    pub short_name: String,
    pub fte_hundredths: u16,
    pub employers: Vec<Employer>,
    pub area: String,
    pub setting: Setting,
    /// Part of the Angoulême agglomeration pool (ComAGA, R-CAP-3).
    pub angouleme_pool: bool,
}

impl Sector {
    /// R-CAP-1: capacity = FTE × norm (rounded down).
    pub fn capacity(&self, norms: &Norms) -> u32 {
        let norm = match self.setting {
            Setting::Urban => norms.urban,
            Setting::Rural => norms.rural,
        };
        u32::from(self.fte_hundredths) * u32::from(norm) / 100
    }

    /// The FTE as French writes it: `0,5`, `1`.
    pub fn fte_label(&self) -> String {
        super::refdata::fte_label(self.fte_hundredths)
    }
}

/// The 9 sectors of the convention (DOMAIN.md §3), in its order.
pub fn default_sectors() -> Vec<Sector> {
    use Employer::*;
    use Setting::*;
    let s = |id: u16,
             name: &str,
             short: &str,
             fte: u16,
             employers: &[Employer],
             area: &str,
             setting: Setting,
             pool: bool| Sector {
        id: SectorId(id),
        name: name.to_string(),
        short_name: short.to_string(),
        fte_hundredths: fte,
        employers: employers.to_vec(),
        area: area.to_string(),
        setting,
        angouleme_pool: pool,
    };
    vec![
        s(
            1,
            "Ruffécois",
            "Ruffécois",
            50,
            &[Gip],
            "cantons Aigre, Villefagnan, Ruffec, Mansle, Saint-Amant-de-Boixe",
            Rural,
            false,
        ),
        s(
            2,
            "Charente-Limousine",
            "Charente-Limous.",
            50,
            &[ConseilGeneral],
            "cantons Chabanais, Champagne-Mouton, Confolens, Montemboeuf, Saint-Claud",
            Rural,
            false,
        ),
        s(
            3,
            "Angoulême – Soyaux",
            "Angoulême–Soyaux",
            100,
            &[Caf],
            "une partie d'Angoulême (centre) et Soyaux",
            Urban,
            true,
        ),
        s(
            4,
            "Angoulême – La Couronne",
            "Ang.–La Couronne",
            100,
            &[ConseilGeneral, Gip],
            "une partie d'Angoulême, Ma Campagne, Petite et Grande Garenne, La Couronne, Nersac, Roullet",
            Urban,
            true,
        ),
        s(
            5,
            "Sud Charente",
            "Sud Charente",
            50,
            &[ConseilGeneral],
            "cantons Aubeterre, Baignes, Barbezieux, Blanzac, Brossac, Chalais, Montmoreau",
            Rural,
            false,
        ),
        s(
            6,
            "Cognac",
            "Cognac",
            100,
            &[Caf],
            "canton Cognac",
            Urban,
            false,
        ),
        s(
            7,
            "Angoulême – Gond-Pontouvre",
            "Ang.–Gond-Pont.",
            50,
            &[ConseilGeneral],
            "Angoulême Nord (l'Houmeau, Saint-Cybard), Gond-Pontouvre, Ruelle",
            Urban,
            true,
        ),
        s(
            8,
            "Jarnac",
            "Jarnac",
            50,
            &[ConseilGeneral],
            "cantons Châteauneuf, Hiersac, Jarnac, Rouillac, Segonzac",
            Rural,
            false,
        ),
        s(
            9,
            "Horte et Tardoire",
            "Horte et Tardoire",
            50,
            &[ConseilGeneral],
            "cantons La Rochefoucauld, Montbron, Villebois-Lavalette",
            Rural,
            false,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_cap_1_capacity_is_fte_times_norm() {
        let norms = Norms::default();
        let caps: Vec<u32> = default_sectors()
            .iter()
            .map(|s| s.capacity(&norms))
            .collect();
        assert_eq!(caps, vec![14, 14, 30, 30, 14, 30, 15, 14, 14]);
        assert_eq!(caps.iter().sum::<u32>(), 175);
    }

    #[test]
    fn r_cap_1_norms_are_editable() {
        let norms = Norms {
            urban: 20,
            rural: 10,
        };
        let sectors = default_sectors();
        assert_eq!(sectors[0].capacity(&norms), 5);
        assert_eq!(sectors[2].capacity(&norms), 20);
    }

    #[test]
    fn r_cap_3_the_three_angouleme_sectors_are_pooled() {
        let pooled: Vec<_> = default_sectors()
            .into_iter()
            .filter(|s| s.angouleme_pool)
            .map(|s| s.id.0)
            .collect();
        assert_eq!(pooled, vec![3, 4, 7]);
    }

    #[test]
    fn fte_label_is_french() {
        let s = default_sectors();
        assert_eq!(s[0].fte_label(), "0,5");
        assert_eq!(s[2].fte_label(), "1");
    }
}
