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
//! The host is [`crate::serve::Host`]: it implements [`SessionHost`] (one
//! per server, holding the shared hub), whose `open` identifies the peer
//! and gives each client a [`Session`] with its own `Model`; a `Waker`
//! per session is subscribed to the hub, so that every commit redraws the
//! others. `assll serve` runs [`serve`] on [`socket_path`]; plain `assll`,
//! when [`server_running`], runs [`attach`]; the other commands send a
//! one-shot [`Request`] with [`request`].

pub mod backend;
pub mod client;
pub mod peer;
pub mod server;
pub mod wire;

pub use backend::ClientBackend;
pub use client::{Ending, attach, request};
pub use peer::{Peer, peer_credentials};
pub use server::{
    Input, Session, SessionHost, Waker, Wakers, serve, server_out_of_reach, server_running,
    socket_path,
};
pub use wire::{Hello, Key, KeyCode, KeyKind, Request, ToClient, ToServer};
