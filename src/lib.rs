//! assll: the ASSLL programme of Charente, from referral to GTS.

pub mod domain;
pub mod screenshot;
pub mod store;
