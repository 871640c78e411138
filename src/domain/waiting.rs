//! R-REF-5: the strict order of a waiting list.

use super::referral::{Referral, ReferralKind};
use std::cmp::Ordering;

/// Decision (DOMAIN.md R-REF-5): urgent (appeals unit) first, then
/// diagnostics (done in priority, R-DIAG-1), then the rest; within each, by
/// referral date, then by reference.
///
/// A measure asked for after a diagnostic (R-DIAG-3) starts right after it,
/// without a waiting list; should one still be waiting, it comes right after
/// the urgent ones and before the diagnostics, so it is behind no ordinary
/// referral. References are unique, so this is a strict total order.
pub fn waiting_order(a: &Referral, b: &Referral) -> Ordering {
    rank(a)
        .cmp(&rank(b))
        .then(a.referral_date.cmp(&b.referral_date))
        .then(a.reference.cmp(&b.reference))
}

fn rank(r: &Referral) -> u8 {
    if r.urgent {
        0
    } else if r.after_diagnostic.is_some() && r.kind == ReferralKind::Measure {
        1
    } else if r.kind == ReferralKind::Diagnostic {
        2
    } else {
        3
    }
}
