//! assll: the ASSLL programme of Charente, from referral to GTS.

pub mod check;
pub mod communes;
pub mod demo;
pub mod domain;
pub mod export;
pub mod report;
pub mod screenshot;
pub mod store;
