//! `assll serve`: one process owns the base; every person who attaches gets
//! a session of their own (screens, cursors, forms) over the one shared
//! data of the [`Hub`].
//!
//! Who attaches is told by the kernel (the socket's peer credentials), never
//! by the client. The user running the server owns the base's files: the
//! GIP. Anyone else needs an account (`assll compte`); an unknown or
//! withdrawn login is refused, and the refusal is in the audit trail.

use crate::app::hub::{Hub, HubClient};
use crate::app::{Model, Msg, UiConfig, update};
use crate::domain::Dataset;
use crate::domain::command::{Actor, Role};
use crate::remote::{Hello, Input, Peer, Request, Session, SessionHost, Waker};
use crate::store::Change;
use chrono::{Local, NaiveDate};
use std::sync::Arc;

/// What a server hosts: the hub, and whose base it is.
pub struct Host {
    pub hub: Arc<Hub>,
    /// The uid running the server: the owner of the base, the GIP.
    pub owner_uid: u32,
    /// `--today`: every session as on that date; else the real date.
    pub today: Option<NaiveDate>,
}

/// The role of `login` on a shared base: the owner is the GIP; anyone else
/// has the role of their account; `None`: no access.
pub fn role_of(data: &Dataset, login: &str, is_owner: bool) -> Option<Role> {
    if is_owner {
        return Some(Role::GipAdmin);
    }
    match data.accounts.get(login).map(|a| &a.role) {
        None | Some(Role::NoAccess) => None,
        Some(r) => Some(r.clone()),
    }
}

impl Host {
    fn audit(&self, who: &str, what: String) -> Result<u64, String> {
        self.hub
            .store()
            .commit(&Change {
                who: who.to_string(),
                at: Local::now().naive_local(),
                summary: what,
                records: Vec::new(),
            })
            .map_err(|e| e.to_string())
    }
}

impl Host {
    /// Who `peer` is and what they may do; `Err`: refused (and audited).
    fn identify(&self, peer: &Peer) -> Result<Actor, String> {
        let login = crate::identity::user_name(peer.uid);
        let data = self.hub.snapshot().data;
        match role_of(&data, &login, peer.uid == self.owner_uid) {
            Some(role) => Ok(Actor { name: login, role }),
            None => {
                let _ = self.audit(
                    &login,
                    format!(
                        "connexion refusée : aucun compte pour {login} (uid {})",
                        peer.uid
                    ),
                );
                Err(format!(
                    "Accès refusé : {login} n'a pas de compte sur cette base. \
                     Demandez au GIP de vous en ouvrir un."
                ))
            }
        }
    }
}

impl SessionHost for Host {
    fn request(&self, peer: Peer, request: Request) -> Result<Vec<u8>, String> {
        let actor = self.identify(&peer)?;
        crate::requests::answer(&self.hub, &actor, request)
    }

    fn open(&self, peer: Peer, hello: &Hello, waker: Waker) -> Result<Box<dyn Session>, String> {
        let today = self.today.unwrap_or_else(|| Local::now().date_naive());
        self.hub.roll_date(today);
        let Actor { name: login, role } = self.identify(&peer)?;
        let snapshot = self.hub.snapshot();
        self.audit(&login, format!("connexion ({})", role.label()))
            .map_err(|e| format!("Connexion impossible : journal d'audit : {e}"))?;
        let config = UiConfig {
            color: hello.color,
            unicode: hello.unicode,
            keymap_file: None,
            notices: Vec::new(),
        };
        let mut model = crate::tui::build_model(
            Box::new(HubClient {
                hub: Arc::clone(&self.hub),
            }),
            Dataset::default(),
            today,
            login,
            config,
        );
        // The projector theme and privacy switch are the server user's.
        model.prefs_dir = None;
        model.role = role;
        model.adopt(snapshot);
        if let Some(own) = model
            .actor()
            .sectors(&model.data)
            .and_then(|s| s.first().copied())
        {
            model.sector = own;
        }
        self.hub.subscribe(move || waker.wake());
        Ok(Box::new(Remote {
            model,
            hub: Arc::clone(&self.hub),
            fixed_today: self.today,
        }))
    }
}

/// One attached person.
pub struct Remote {
    pub model: Model,
    hub: Arc<Hub>,
    fixed_today: Option<NaiveDate>,
}

impl Session for Remote {
    fn handle(&mut self, input: Input) {
        let msgs: Vec<Msg> = match input {
            Input::Key(k) => vec![Msg::Key(k)],
            // Pasted text arrives whole: one message, one update, one frame.
            Input::Paste(text) => vec![Msg::Paste(text)],
            Input::Resize(..) => Vec::new(),
            Input::Wake => vec![Msg::Refresh],
            Input::Tick => {
                if self.fixed_today.is_none() {
                    self.hub.roll_date(Local::now().date_naive());
                }
                vec![Msg::Tick, Msg::Refresh]
            }
            Input::Hangup => {
                // What was typed and not saved is kept as a draft.
                let _ = crate::tui::save_draft(&self.model);
                vec![Msg::Terminate]
            }
        };
        for m in msgs {
            let mut next = Some(m);
            while let Some(m) = next {
                next = update(&mut self.model, m);
            }
        }
    }

    fn draw(&mut self, frame: &mut ratatui::Frame) {
        crate::ui::view(&self.model, frame);
    }

    fn done(&self) -> Option<String> {
        self.model.quit.then(|| "Au revoir.".to_string())
    }
}
