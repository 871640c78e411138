//! Several staff at once: `assll serve` owns the store and hosts one UI
//! session per connected client; plain `assll` attaches to it.
//!
//! This module is the transport only, and knows nothing of the Model:
//! - [`wire`]: the framed messages between client and server;
//! - [`peer`]: who connected, from the kernel (`SO_PEERCRED`);
//! - [`backend`]: a ratatui backend with the client's size, writing ANSI
//!   into memory;
//! - [`server`]: the socket next to the database, the accept loop, one
//!   thread per session, and the [`Session`]/[`SessionHost`] traits a
//!   host implements;
//! - [`client`]: attaching the user's terminal to the server.
//!
//! A host that owns a `Model` per client implements [`SessionHost`] (one
//! per server, holding the shared data) and [`Session`] (one per client):
//!
//! ```ignore
//! struct Host { data: Arc<Shared>, wakers: Wakers }
//! impl SessionHost for Host {
//!     fn open(&self, peer: Peer, hello: &Hello, waker: Waker)
//!         -> Result<Box<dyn Session>, String> {
//!         let who = peer.user_name().ok_or("Utilisateur inconnu.")?;
//!         self.wakers.add(waker);            // wake_all() after each save
//!         Ok(Box::new(Client { model: self.data.model_for(who, hello.color, hello.unicode) }))
//!     }
//! }
//! impl Session for Client {
//!     fn handle(&mut self, input: Input) {
//!         let mut msg = match input {
//!             Input::Key(k) => Some(Msg::Key(k)),
//!             Input::Tick => Some(Msg::Tick),
//!             Input::Wake => Some(Msg::Reload),   // others saved something
//!             Input::Hangup => Some(Msg::Terminate), // keep the draft
//!             Input::Paste(_) | Input::Resize(..) => None,
//!         };
//!         while let Some(m) = msg { msg = update(&mut self.model, m); }
//!     }
//!     fn draw(&mut self, f: &mut ratatui::Frame) { view(&self.model, f) }
//!     fn done(&self) -> Option<String> { self.model.quit.then(|| "Au revoir.".into()) }
//! }
//! // assll serve:
//! serve(&socket_path(&db), Arc::new(host), &stop)?;
//! // assll, when server_running(&db):
//! let end = attach(&socket_path(&db), Hello::from_env())?;
//! std::process::ExitCode::from(end.exit_code())
//! ```

pub mod backend;
pub mod client;
pub mod peer;
pub mod server;
pub mod wire;

pub use backend::ClientBackend;
pub use client::{Ending, attach, request};
pub use peer::{Peer, peer_credentials};
pub use server::{Input, Session, SessionHost, Waker, Wakers, serve, server_running, socket_path};
pub use wire::{Hello, Key, KeyCode, KeyKind, Request, ToClient, ToServer};
