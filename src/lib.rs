//! assll: the ASSLL programme of Charente, from referral to GTS.

pub mod app;
pub mod check;
pub mod cli;
pub mod communes;
pub mod demo;
pub mod domain;
pub mod export;
pub mod identity;
pub mod keymap;
pub mod private;
pub mod remote;
pub mod report;
pub mod requests;
pub mod screenshot;
pub mod serve;
pub mod store;
pub mod tty;
pub mod tui;
pub mod ui;
