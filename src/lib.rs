//! assll: the ASSLL programme of Charente, from referral to GTS.

pub mod app;
pub mod domain;
pub mod keymap;
pub mod report;
pub mod screenshot;
pub mod store;
pub mod tui;
pub mod ui;
