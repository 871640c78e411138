//! The « Référentiel » screen: the GIP edits sectors and norms, workers,
//! the commune → sector table and the GTS members (DOMAIN.md §3, R-GTS-1).
//! Every change is a [`Command`] executed by [`Model::execute`]; the other
//! roles read.

use super::form::{Field, Form, FormPurpose, parse_fr_date};
use super::{Model, Overlay, StatusKind};
use crate::communes::{self, Commune};
use crate::domain::command::{Command, Role};
use crate::domain::refdata::{GtsMember, fte_label, parse_fte};
use crate::domain::sector::{Employer, Norms, Setting};
use crate::domain::{SectorId, Worker, WorkerId};
use crate::keymap::Action;

/// The four parts of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Sectors,
    Workers,
    Communes,
    Members,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Sectors, Tab::Workers, Tab::Communes, Tab::Members];
    pub fn label(self) -> &'static str {
        match self {
            Tab::Sectors => "Secteurs",
            Tab::Workers => "Travailleurs",
            Tab::Communes => "Communes",
            Tab::Members => "Membres du GTS",
        }
    }
    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// Which part is shown and the cursor of each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefState {
    pub tab: Tab,
    pub cursors: [usize; 4],
}

impl RefState {
    pub fn cursor(&self) -> usize {
        self.cursors[self.tab.index()]
    }
}

/// What a reference-data form saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefForm {
    Sector(SectorId),
    Norms,
    /// `None`: a new worker.
    Worker(Option<WorkerId>),
    /// The index of the commune in [`communes::communes`].
    Commune(usize),
    /// `None`: a new member; else its index.
    Member(Option<usize>),
}

/// The communes shown: all 359, filtered by INSEE code, name,
/// intercommunality or effective sector.
pub fn visible_communes(m: &Model) -> Vec<(usize, &'static Commune)> {
    let f = communes::fold(&m.filter);
    communes::communes()
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            f.is_empty() || c.insee.starts_with(m.filter.trim()) || {
                let sector = communes::effective_sector_for(&m.data.commune_sectors, c)
                    .map_or("", |s| m.data.sector_name(s));
                [c.name.as_str(), c.epci.as_str(), sector]
                    .iter()
                    .any(|h| communes::fold(h).contains(&f))
            }
        })
        .collect()
}

/// How many communes the GIP confirmed, and how many are left to confirm.
pub fn commune_counts(m: &Model) -> (usize, usize) {
    let all = communes::communes();
    let confirmed = all
        .iter()
        .filter(|c| m.data.commune_sectors.contains_key(&c.insee))
        .count();
    (confirmed, all.len() - confirmed)
}

fn rows(m: &Model) -> usize {
    match m.refdata.tab {
        Tab::Sectors => m.data.sectors.len(),
        Tab::Workers => m.data.workers.len(),
        Tab::Communes => visible_communes(m).len(),
        Tab::Members => m.data.gts_members.len(),
    }
}

/// A key on the screen (no overlay open).
pub fn on_action(m: &mut Model, a: Action) {
    let i = m.refdata.tab.index();
    match a {
        Action::NextSector | Action::PrevSector => {
            let n = Tab::ALL.len();
            let j = if a == Action::NextSector {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            m.refdata.tab = Tab::ALL[j];
            m.filter.clear();
            m.filter_editing = false;
        }
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => {
            let n = rows(m);
            super::update::move_in(&mut m.refdata.cursors[i], n, a);
        }
        Action::Open => open_selected(m),
        Action::EditNorms if gip_only(m) => open_norms(m),
        Action::AddRow => {
            let tab = m.refdata.tab;
            if matches!(tab, Tab::Workers | Tab::Members) && gip_only(m) {
                if tab == Tab::Workers {
                    open_worker(m, None);
                } else {
                    open_member(m, None);
                }
            }
        }
        Action::RemoveRow if m.refdata.tab == Tab::Members && gip_only(m) => remove_member(m),
        Action::ConfirmCommune if m.refdata.tab == Tab::Communes && gip_only(m) => {
            confirm_suggestion(m)
        }
        _ => {}
    }
}

/// The others read: said before a form is filled in for nothing (the
/// domain refuses it anyway).
fn gip_only(m: &mut Model) -> bool {
    if m.role == Role::GipAdmin {
        return true;
    }
    m.set_status(
        StatusKind::Error,
        format!(
            "Refusé : seul le GIP modifie le référentiel ({} : lecture)",
            m.role.label()
        ),
    );
    false
}

fn open_selected(m: &mut Model) {
    if !gip_only(m) {
        return;
    }
    let cursor = m.refdata.cursor();
    match m.refdata.tab {
        Tab::Sectors => {
            if let Some(id) = m.data.sectors.keys().nth(cursor).copied() {
                open_sector(m, id);
            }
        }
        Tab::Workers => {
            if let Some(id) = m.data.workers.keys().nth(cursor).copied() {
                open_worker(m, Some(id));
            }
        }
        Tab::Communes => {
            if let Some((index, _)) = visible_communes(m).get(cursor).copied() {
                open_commune(m, index);
            }
        }
        Tab::Members => {
            if cursor < m.data.gts_members.len() {
                open_member(m, Some(cursor));
            }
        }
    }
}

fn employer_options() -> Vec<String> {
    Employer::ALL
        .iter()
        .map(|e| e.label().to_string())
        .collect()
}

fn sector_options(m: &Model) -> Vec<String> {
    m.data.sectors.values().map(|s| s.name.clone()).collect()
}

fn open_sector(m: &mut Model, id: SectorId) {
    let Some(s) = m.data.sectors.get(&id) else {
        return;
    };
    let chosen = Employer::ALL
        .iter()
        .map(|e| s.employers.contains(e))
        .collect();
    let setting = usize::from(s.setting == Setting::Rural);
    let mut form = Form::new(
        &format!("Secteur {}", s.name),
        FormPurpose::RefData(RefForm::Sector(id)),
        vec![
            Field::text("name", "Nom", &s.name),
            Field::text("fte", "ETP (ex. 0,5)", &s.fte_label()),
            Field::multi("employers", "Employeur(s)", employer_options(), chosen),
            Field::choice(
                "setting",
                "Cadre",
                vec![Setting::Urban.label().into(), Setting::Rural.label().into()],
                setting,
            ),
            Field::text("area", "Territoire", &s.area),
            Field::text("short_name", "Nom court", &s.short_name),
        ],
    );
    form.note = sector_note(m, &form, id);
    m.overlay = Some(Overlay::Form(form));
}

fn open_norms(m: &mut Model) {
    let n = m.data.norms;
    let mut form = Form::new(
        "Normes : ménages par ETP (R-CAP-1)",
        FormPurpose::RefData(RefForm::Norms),
        vec![
            Field::text("urban", "Urbain", &n.urban.to_string()),
            Field::text("rural", "Rural", &n.rural.to_string()),
        ],
    );
    form.note = norms_note(m, &form);
    m.overlay = Some(Overlay::Form(form));
}

fn open_worker(m: &mut Model, id: Option<WorkerId>) {
    let w = id.and_then(|id| m.data.workers.get(&id)).cloned();
    let ids: Vec<SectorId> = m.data.sectors.keys().copied().collect();
    let chosen = ids
        .iter()
        .map(|s| w.as_ref().is_some_and(|w| w.sectors.contains(s)))
        .collect();
    let employer = w
        .as_ref()
        .and_then(|w| Employer::ALL.iter().position(|e| *e == w.employer))
        .unwrap_or(0);
    let date =
        |d: Option<chrono::NaiveDate>| d.map(crate::domain::calendar::fr_date).unwrap_or_default();
    let title = match &w {
        Some(w) => format!("TS {}", w.name),
        None => "Nouveau·elle TS".to_string(),
    };
    let form = Form::new(
        &title,
        FormPurpose::RefData(RefForm::Worker(id)),
        vec![
            Field::text(
                "name",
                "Nom (ex. Mme Laurent)",
                w.as_ref().map_or("", |w| &w.name),
            ),
            Field::choice("employer", "Employeur", employer_options(), employer),
            Field::multi("sectors", "Secteur(s)", sector_options(m), chosen),
            Field::text(
                "fte",
                "ETP (ex. 0,5)",
                &w.as_ref()
                    .map_or_else(String::new, |w| fte_label(w.fte_hundredths)),
            ),
            Field::text("login", "Identifiant", w.as_ref().map_or("", |w| &w.login)),
            Field::text(
                "arrived",
                "Arrivée (jj/mm/aaaa)",
                &date(w.as_ref().and_then(|w| w.arrived)),
            ),
            Field::text(
                "left",
                "Départ (jj/mm/aaaa)",
                &date(w.as_ref().and_then(|w| w.left)),
            ),
        ],
    );
    m.overlay = Some(Overlay::Form(form));
}

/// The choice of a commune form: each sector, then « à confirmer ».
const UNCONFIRM: &str = "à confirmer (suggestion)";

fn open_commune(m: &mut Model, index: usize) {
    let Some(c) = communes::communes().get(index) else {
        return;
    };
    let effective = communes::effective_sector_for(&m.data.commune_sectors, c);
    let mut options = sector_options(m);
    options.push(UNCONFIRM.to_string());
    let at = effective
        .and_then(|s| m.data.sectors.keys().position(|x| *x == s))
        .unwrap_or(options.len() - 1);
    let mut form = Form::new(
        &format!("Commune {} ({})", c.name, c.insee),
        FormPurpose::RefData(RefForm::Commune(index)),
        vec![Field::choice("sector", "Secteur", options, at)],
    );
    form.note = Some(format!(
        "{} · suggéré : {}",
        c.epci,
        communes::suggest_sector_for(c).map_or("aucun", |s| m.data.sector_name(s))
    ));
    m.overlay = Some(Overlay::Form(form));
}

fn open_member(m: &mut Model, index: Option<usize>) {
    let member = index.and_then(|i| m.data.gts_members.get(i)).cloned();
    // A new member: the first employer without one, as a start.
    let organisation = member.as_ref().map_or_else(
        || {
            Employer::ALL
                .iter()
                .find(|e| !m.data.gts_members.iter().any(|x| x.represents(**e)))
                .map_or("", |e| e.label())
                .to_string()
        },
        |x| x.organisation.clone(),
    );
    let form = Form::new(
        if member.is_some() {
            "Membre du GTS"
        } else {
            "Nouveau membre du GTS"
        },
        FormPurpose::RefData(RefForm::Member(index)),
        vec![
            Field::text("name", "Nom", member.as_ref().map_or("", |x| &x.name)),
            Field::text("organisation", "Organisation", &organisation),
        ],
    );
    m.overlay = Some(Overlay::Form(form));
}

fn run(m: &mut Model, cmd: Command) -> Result<(), crate::domain::command::Refusal> {
    let done = m.execute(cmd)?;
    m.set_status(
        StatusKind::Saved,
        format!("Enregistré ✓ — {}", done.summary),
    );
    Ok(())
}

fn remove_member(m: &mut Model) {
    let i = m.refdata.cursor();
    if i >= m.data.gts_members.len() {
        return;
    }
    let mut members = m.data.gts_members.clone();
    members.remove(i);
    if let Err(e) = run(m, Command::SetGtsMembers { members }) {
        m.set_status(StatusKind::Error, e.message);
    }
    let n = m.data.gts_members.len();
    m.refdata.cursors[Tab::Members.index()] = i.min(n.saturating_sub(1));
}

/// `o` on a commune: its suggested sector, confirmed as it is.
fn confirm_suggestion(m: &mut Model) {
    let Some((_, c)) = visible_communes(m).get(m.refdata.cursor()).copied() else {
        return;
    };
    let Some(sector) = communes::effective_sector_for(&m.data.commune_sectors, c) else {
        m.set_status(
            StatusKind::Error,
            format!(
                "{} : aucune suggestion, choisissez le secteur (Entrée)",
                c.name
            ),
        );
        return;
    };
    let cmd = Command::ConfirmCommuneSector {
        insee: c.insee.clone(),
        name: c.name.clone(),
        sector: Some(sector),
    };
    if let Err(e) = run(m, cmd) {
        m.set_status(StatusKind::Error, e.message);
    }
}

fn number(form: &mut Form, key: &'static str) -> Option<u16> {
    match form.text(key).parse::<u16>() {
        Ok(n) => Some(n),
        Err(_) => {
            let t = form.text(key);
            form.set_error(
                key,
                format!("« {t} » : un nombre entier de ménages (ex. 30)"),
            );
            None
        }
    }
}

fn fte(form: &mut Form, key: &'static str) -> Option<u16> {
    match parse_fte(&form.text(key)) {
        Ok(n) => Some(n),
        Err(e) => {
            form.set_error(key, e);
            None
        }
    }
}

fn optional_date(form: &mut Form, key: &'static str) -> Option<Option<chrono::NaiveDate>> {
    let t = form.text(key);
    if t.is_empty() {
        return Some(None);
    }
    match parse_fr_date(&t) {
        Ok(d) => Some(Some(d)),
        Err(e) => {
            form.set_error(key, e);
            None
        }
    }
}

/// Enter on a reference-data form.
pub fn submit(m: &mut Model, mut form: Form, what: RefForm) {
    form.clear_errors();
    let cmd = match what {
        RefForm::Sector(id) => {
            let fte = fte(&mut form, "fte");
            m.data.sectors.get(&id).cloned().and_then(|mut s| {
                s.name = form.text("name");
                s.short_name = form.text("short_name");
                s.fte_hundredths = fte?;
                s.employers = form
                    .chosen("employers")
                    .into_iter()
                    .filter_map(|i| Employer::ALL.get(i).copied())
                    .collect();
                s.setting = if form.choice("setting") == 1 {
                    Setting::Rural
                } else {
                    Setting::Urban
                };
                s.area = form.text("area");
                Some(Command::EditSector { sector: s })
            })
        }
        RefForm::Norms => {
            let urban = number(&mut form, "urban");
            let rural = number(&mut form, "rural");
            urban.zip(rural).map(|(urban, rural)| Command::EditNorms {
                norms: Norms { urban, rural },
            })
        }
        RefForm::Worker(id) => {
            let fte = fte(&mut form, "fte");
            let arrived = optional_date(&mut form, "arrived");
            let left = optional_date(&mut form, "left");
            let ids: Vec<SectorId> = m.data.sectors.keys().copied().collect();
            match (fte, arrived, left) {
                (Some(fte), Some(arrived), Some(left)) => {
                    let worker = Worker {
                        id: id.unwrap_or_default(),
                        name: form.text("name"),
                        employer: Employer::ALL
                            .get(form.choice("employer"))
                            .copied()
                            .unwrap_or(Employer::Gip),
                        sectors: form
                            .chosen("sectors")
                            .into_iter()
                            .filter_map(|i| ids.get(i).copied())
                            .collect(),
                        fte_hundredths: fte,
                        login: form.text("login"),
                        arrived,
                        left,
                    };
                    Some(match id {
                        Some(_) => Command::EditWorker { worker },
                        None => Command::AddWorker { worker },
                    })
                }
                _ => None,
            }
        }
        RefForm::Commune(index) => communes::communes().get(index).map(|c| {
            let sector = m.data.sectors.keys().nth(form.choice("sector")).copied();
            Command::ConfirmCommuneSector {
                insee: c.insee.clone(),
                name: c.name.clone(),
                sector,
            }
        }),
        RefForm::Member(index) => {
            let member = GtsMember {
                name: form.text("name"),
                organisation: form.text("organisation"),
            };
            let mut members = m.data.gts_members.clone();
            match index.filter(|i| *i < members.len()) {
                Some(i) => members[i] = member,
                None => members.push(member),
            }
            Some(Command::SetGtsMembers { members })
        }
    };
    let Some(cmd) = cmd.filter(|_| !form.has_errors()) else {
        m.overlay = Some(Overlay::Form(form));
        return;
    };
    match run(m, cmd) {
        Ok(()) => m.overlay = None,
        Err(e) => {
            form.show_refusal(e);
            m.overlay = Some(Overlay::Form(form));
        }
    }
}

/// The live line under a sector's or the norms' form: the capacity the
/// values typed give, and whether the load is over it (allowed: over
/// capacity is a state, R-CAP-2).
pub fn refresh_note(m: &mut Model) {
    let Some(Overlay::Form(form)) = &m.overlay else {
        return;
    };
    let note = match form.purpose {
        FormPurpose::RefData(RefForm::Sector(id)) => sector_note(m, form, id),
        FormPurpose::RefData(RefForm::Norms) => norms_note(m, form),
        _ => return,
    };
    if let Some(Overlay::Form(form)) = &mut m.overlay {
        form.note = note;
    }
}

fn sector_note(m: &Model, form: &Form, id: SectorId) -> Option<String> {
    let s = m.data.sectors.get(&id)?;
    let load = m.derived.load(id).map_or(0, |l| l.load);
    let Ok(fte) = parse_fte(&form.text("fte")) else {
        return Some(format!("charge actuelle {load}"));
    };
    let mut s = s.clone();
    s.fte_hundredths = fte;
    s.setting = if form.choice("setting") == 1 {
        Setting::Rural
    } else {
        Setting::Urban
    };
    let cap = s.capacity(&m.data.norms);
    let over = if load > cap {
        format!(" : au-delà de la capacité ({load} > {cap}), accepté mais signalé ▲")
    } else {
        String::new()
    };
    Some(format!("capacité {cap} · charge {load}/{cap}{over}"))
}

fn norms_note(m: &Model, form: &Form) -> Option<String> {
    let (Ok(urban), Ok(rural)) = (
        form.text("urban").parse::<u16>(),
        form.text("rural").parse::<u16>(),
    ) else {
        return None;
    };
    let norms = Norms { urban, rural };
    let total: u32 = m.data.sectors.values().map(|s| s.capacity(&norms)).sum();
    let over = m
        .data
        .sectors
        .values()
        .filter(|s| {
            m.derived
                .load(s.id)
                .is_some_and(|l| l.load > s.capacity(&norms))
        })
        .count();
    Some(format!(
        "capacité totale {total}{}",
        if over > 0 {
            format!(" · {over} secteur(s) au-delà ▲ (accepté, signalé)")
        } else {
            String::new()
        }
    ))
}
