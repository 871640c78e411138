//! What the command line asks of a base (`export`, `audit`, `tableau`,
//! `compte`, `backup`), answered the same way whether the command opens the base
//! itself or asks the `assll serve` that holds it.

use crate::app::hub::Hub;
use crate::domain::command::{Actor, Command, Context, Role};
use crate::domain::{Dataset, WorkerId};
use crate::remote::Request;
use crate::store::{Change, Store};
use chrono::{Local, NaiveDate};

/// The whole base as JSON (logs included), the export itself put in the
/// audit trail as a read by `who`. Refused when a record is damaged.
pub fn export(store: &Store, who: &str) -> Result<String, String> {
    let loaded = store.load_full().map_err(|e| e.to_string())?;
    if !loaded.damaged.is_empty() {
        return Err(format!(
            "export refusé : {} enregistrement(s) abîmé(s), lancez `assll check`",
            loaded.damaged.len()
        ));
    }
    store
        .commit(&Change {
            who: who.to_string(),
            at: Local::now().naive_local(),
            summary: "export de toute la base (lecture)".into(),
            records: Vec::new(),
        })
        .map_err(|e| format!("export refusé : journal d'audit impossible : {e}"))?;
    Ok(crate::export::to_json(&loaded.data))
}

/// The audit trail, one line an entry, oldest first; `last` entries at most,
/// of `who` only when given.
pub fn audit(store: &Store, last: Option<usize>, who: Option<&str>) -> Result<String, String> {
    let (entries, damaged) = store.audit_with_damage().map_err(|e| e.to_string())?;
    let mut shown: Vec<_> = entries
        .iter()
        .filter(|e| who.is_none_or(|w| e.who == w))
        .collect();
    if let Some(n) = last {
        shown = shown.split_off(shown.len().saturating_sub(n));
    }
    let mut out = String::new();
    for e in shown {
        let keys = if e.keys.is_empty() {
            String::new()
        } else {
            format!(" [{}]", e.keys.join(", "))
        };
        out.push_str(&format!(
            "{:>6}  {}  {:<12} {}{keys}\n",
            e.seq,
            e.at.format("%d/%m/%Y %H:%M:%S"),
            e.who,
            e.summary
        ));
    }
    if !damaged.is_empty() {
        return Err(format!(
            "{out}{} entrée(s) du journal illisible(s) : lancez `assll check`",
            damaged.len()
        ));
    }
    Ok(out)
}

/// The accounts and their roles, one line each.
pub fn accounts(data: &Dataset) -> String {
    let mut out = String::new();
    for a in data.accounts.values() {
        let detail = match &a.role {
            Role::Worker { worker } => format!(" — {}", data.worker_name(Some(*worker))),
            _ => String::new(),
        };
        out.push_str(&format!("{:<16} {}{detail}\n", a.login, a.role.label()));
    }
    out
}

/// `gip`, `ts` (with the worker's number), `employeur`, `lecture`, `aucun`.
pub fn parse_role(role: &str, ts: Option<u32>) -> Result<Role, String> {
    Ok(match (role, ts) {
        ("gip", _) => Role::GipAdmin,
        ("ts", Some(n)) => Role::Worker {
            worker: WorkerId(n),
        },
        ("ts", None) => return Err("rôle ts : indiquez la ou le TS avec --ts N".into()),
        ("employeur", _) => Role::EmployerRep,
        ("lecture", _) => Role::ReadOnly,
        ("aucun", _) => Role::NoAccess,
        (other, _) => {
            return Err(format!(
                "rôle « {other} » inconnu : gip, ts, employeur, lecture ou aucun"
            ));
        }
    })
}

/// Gives `login` a role, through the command boundary (the GIP only).
pub fn set_account(
    hub: &Hub,
    actor: &Actor,
    today: NaiveDate,
    login: String,
    role: Role,
) -> Result<String, String> {
    let ctx = Context { today, actor };
    let cmd = Command::SetAccount { login, role };
    hub.execute(ctx, &cmd, Local::now().naive_local(), u64::MAX)
        .map(|(_, d)| format!("Enregistré ✓ — {}\n", d.summary))
        .map_err(|r| r.message)
}

/// Answers `request` by `actor` on the base the hub holds. The GIP only,
/// except the dashboard's figures, which every role may read.
pub fn answer(hub: &Hub, actor: &Actor, request: Request) -> Result<Vec<u8>, String> {
    let gip_only = || {
        if actor.role == Role::GipAdmin {
            Ok(())
        } else {
            Err(format!(
                "Refusé : {} ({}) n'a pas accès à cette commande",
                actor.name,
                actor.role.label()
            ))
        }
    };
    let today = hub.today();
    let text = match request {
        Request::Tableau => Ok(crate::cli::dashboard_text(&hub.snapshot().data, today)),
        Request::Stats { year, .. } if !crate::domain::stats::YEARS.contains(&year) => Err(
            format!("année {year} refusée : un exercice va de 2000 à 2100"),
        ),
        Request::Stats { year, csv } => {
            let data = &hub.snapshot().data;
            let stats = crate::domain::stats::yearly(data, year, today).visible_to(&actor.role);
            Ok(crate::cli::stats_output(data, &stats, csv))
        }
        Request::Export => {
            gip_only()?;
            hub.quiet(|store| export(store, &actor.name))
        }
        Request::Audit { last, who } => {
            gip_only()?;
            audit(hub.store(), last, who.as_deref())
        }
        Request::Accounts => {
            gip_only()?;
            Ok(accounts(&hub.snapshot().data))
        }
        Request::SetAccount { login, role, ts } => {
            let role = parse_role(&role, ts)?;
            set_account(hub, actor, today, login, role)
        }
        Request::Backup => {
            gip_only()?;
            return backup(hub, &actor.name);
        }
    };
    text.map(String::into_bytes)
}

/// The backup file's bytes, read while no change can be saved; the read
/// put in the audit trail.
pub fn backup(hub: &Hub, who: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    hub.quiet(|store| store.backup(&mut bytes))
        .map_err(|e| e.to_string())?;
    hub.store()
        .commit(&Change {
            who: who.to_string(),
            at: Local::now().naive_local(),
            summary: "sauvegarde de toute la base (lecture)".into(),
            records: Vec::new(),
        })
        .map_err(|e| format!("sauvegarde refusée : journal d'audit impossible : {e}"))?;
    Ok(bytes)
}
