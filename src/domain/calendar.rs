//! Working days, French public holidays and the GTS calendar (R-GTS-1, the
//! deadlines of R-GTS-3/4/5/9 as DOMAIN.md §10 decides them).

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Easter Sunday (Gregorian, anonymous algorithm of Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is a valid date")
}

/// The French public holidays of a year (metropolitan France), in date order.
/// Empty outside the Gregorian years this software can meet (1583..=9999).
pub fn french_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    if !(1583..=9999).contains(&year) {
        return Vec::new();
    }
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(year, m, day).expect("fixed holiday");
    let easter = easter_sunday(year);
    let plus = |n: u64| {
        easter
            .checked_add_days(Days::new(n))
            .expect("date in range")
    };
    let mut v = vec![
        (d(1, 1), "Jour de l'an"),
        (plus(1), "Lundi de Pâques"),
        (d(5, 1), "Fête du Travail"),
        (d(5, 8), "Victoire 1945"),
        (plus(39), "Ascension"),
        (plus(50), "Lundi de Pentecôte"),
        (d(7, 14), "Fête nationale"),
        (d(8, 15), "Assomption"),
        (d(11, 1), "Toussaint"),
        (d(11, 11), "Armistice 1918"),
        (d(12, 25), "Noël"),
    ];
    v.sort_by_key(|(date, _)| *date);
    v
}

/// The holiday's French name, if `date` is one.
pub fn holiday_name(date: NaiveDate) -> Option<&'static str> {
    french_holidays(date.year())
        .into_iter()
        .find(|(d, _)| *d == date)
        .map(|(_, n)| n)
}

pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && holiday_name(date).is_none()
}

/// Why `date` is not a working day, in French (`est un samedi`, `est
/// férié (Noël)`); `None` for a working day.
pub fn non_working_reason(date: NaiveDate) -> Option<String> {
    if let Some(h) = holiday_name(date) {
        return Some(format!("est férié ({h})"));
    }
    match date.weekday() {
        Weekday::Sat | Weekday::Sun => Some(format!("est un {}", weekday_long(date))),
        _ => None,
    }
}

/// `date` if it is a working day, else the working day before it.
pub fn on_or_before_working_day(mut date: NaiveDate) -> NaiveDate {
    while !is_working_day(date) {
        match date.pred_opt() {
            Some(p) => date = p,
            None => break,
        }
    }
    date
}

/// R-GTS-1: the third Thursday of a month. A month outside 1..=12 (bad
/// data) is clamped into it rather than panicking.
pub fn third_thursday(year: i32, month: u32) -> NaiveDate {
    let month = month.clamp(1, 12);
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Thu, 3)
        .or_else(|| NaiveDate::from_ymd_opt(year, month, 15))
        .unwrap_or(NaiveDate::MIN)
}

/// The deadlines around a session (DOMAIN.md §10, Decision on the deadlines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// R-GTS-3: draft agenda to the workers, session − 15 days.
    pub draft_agenda: NaiveDate,
    /// R-GTS-4: workers' replies, draft agenda + 3 days (72 h).
    pub replies: NaiveDate,
    /// R-GTS-5: final agenda to the partners, session − 8 days.
    pub final_agenda: NaiveDate,
    /// R-GTS-9: minutes, session + 3 days (72 h).
    pub minutes: NaiveDate,
}

/// Every deadline is computed from its unmoved date and, when that is not a
/// working day, moved back to the previous working day, so that it is still
/// met: a deadline is always a working day and never after its unmoved date.
///
/// The workers' 72 hours (R-GTS-4) run from the unmoved draft date (session
/// − 15 days), then move back like the others. Counting from the moved draft
/// instead could leave them no time at all: session Monday 2027-04-12, draft
/// Sunday 28/03 → Friday 26/03, + 3 = Easter Monday → Friday 26/03 again;
/// here the replies are due Wednesday 31/03.
pub fn deadlines(session: NaiveDate) -> Deadlines {
    let minus = |n: u64| session.checked_sub_days(Days::new(n)).unwrap_or(session);
    let plus = |d: NaiveDate, n: u64| d.checked_add_days(Days::new(n)).unwrap_or(d);
    let draft = minus(15);
    Deadlines {
        draft_agenda: on_or_before_working_day(draft),
        replies: on_or_before_working_day(plus(draft, 3)),
        final_agenda: on_or_before_working_day(minus(8)),
        minutes: on_or_before_working_day(plus(session, 3)),
    }
}

/// French short weekday: `jeu.`.
pub fn weekday_short(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "lun.",
        Weekday::Tue => "mar.",
        Weekday::Wed => "mer.",
        Weekday::Thu => "jeu.",
        Weekday::Fri => "ven.",
        Weekday::Sat => "sam.",
        Weekday::Sun => "dim.",
    }
}

pub fn weekday_long(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "lundi",
        Weekday::Tue => "mardi",
        Weekday::Wed => "mercredi",
        Weekday::Thu => "jeudi",
        Weekday::Fri => "vendredi",
        Weekday::Sat => "samedi",
        Weekday::Sun => "dimanche",
    }
}

pub fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    NAMES[((month.clamp(1, 12)) - 1) as usize]
}

/// `27/11/2026`.
pub fn fr_date(date: NaiveDate) -> String {
    // Formatted by hand: chrono's `format` parses its pattern on every call,
    // and lists and alerts format thousands of dates.
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

/// `jeudi 17 décembre 2026`.
pub fn fr_long_date(date: NaiveDate) -> String {
    format!(
        "{} {} {} {}",
        weekday_long(date),
        date.day(),
        month_name(date.month()),
        date.year()
    )
}

/// French admin countdown: `J-20`, `J`, `J+3`.
pub fn countdown(today: NaiveDate, date: NaiveDate) -> String {
    let n = (date - today).num_days();
    match n {
        0 => "J".to_string(),
        n if n > 0 => format!("J-{n}"),
        n => format!("J+{}", -n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_dates_are_right() {
        assert_eq!(easter_sunday(2026), d(2026, 4, 5));
        assert_eq!(easter_sunday(2027), d(2027, 3, 28));
        assert_eq!(easter_sunday(2034), d(2034, 4, 9));
        assert_eq!(easter_sunday(2038), d(2038, 4, 25));
    }

    #[test]
    fn r_gts_1_sessions_are_on_third_thursdays() {
        assert_eq!(third_thursday(2026, 12), d(2026, 12, 17));
        assert_eq!(third_thursday(2027, 1), d(2027, 1, 21));
        assert_eq!(third_thursday(2027, 4), d(2027, 4, 15));
    }

    #[test]
    fn r_gts_1_holidays_on_a_session_day_are_named() {
        // DOMAIN.md's examples: Assumption 2030 and Ascension 2034.
        assert_eq!(third_thursday(2030, 8), d(2030, 8, 15));
        assert_eq!(holiday_name(d(2030, 8, 15)), Some("Assomption"));
        assert_eq!(third_thursday(2034, 5), d(2034, 5, 18));
        assert_eq!(holiday_name(d(2034, 5, 18)), Some("Ascension"));
        assert_eq!(holiday_name(d(2027, 1, 21)), None);
    }

    #[test]
    fn r_gts_3_4_5_9_deadlines_of_domain_example() {
        let dl = deadlines(d(2027, 1, 21));
        assert_eq!(dl.draft_agenda, d(2027, 1, 6));
        assert_eq!(dl.replies, d(2027, 1, 8)); // the Saturday moves back
        assert_eq!(dl.final_agenda, d(2027, 1, 13));
        assert_eq!(dl.minutes, d(2027, 1, 22));
    }

    #[test]
    fn r_gts_9_minutes_due_move_back_over_weekend_and_holidays() {
        // Session Thursday 2026-12-17: + 3 days = Sunday 20 → Friday 18.
        assert_eq!(deadlines(d(2026, 12, 17)).minutes, d(2026, 12, 18));
        // Session Thursday 2027-05-06 (moved): +3 = Sunday 9 → Friday 7;
        // Whit Monday and Ascension handled by the working-day rule.
        assert!(!is_working_day(d(2027, 5, 6))); // Ascension 2027
        assert!(!is_working_day(d(2027, 5, 17))); // Whit Monday 2027
        assert!(!is_working_day(d(2027, 3, 29))); // Easter Monday 2027
        assert_eq!(on_or_before_working_day(d(2027, 3, 29)), d(2027, 3, 26));
    }

    #[test]
    fn r_gts_3_deadline_moves_back_from_a_holiday() {
        // Session 2026-11-26 (moved): draft = 11/11 Armistice → 10/11.
        assert_eq!(deadlines(d(2026, 11, 26)).draft_agenda, d(2026, 11, 10));
    }

    #[test]
    fn french_formats() {
        assert_eq!(fr_date(d(2026, 11, 27)), "27/11/2026");
        assert_eq!(weekday_short(d(2026, 11, 27)), "ven.");
        assert_eq!(fr_long_date(d(2026, 12, 17)), "jeudi 17 décembre 2026");
        assert_eq!(countdown(d(2026, 11, 27), d(2026, 12, 17)), "J-20");
        assert_eq!(countdown(d(2026, 11, 27), d(2026, 11, 27)), "J");
        assert_eq!(countdown(d(2026, 11, 27), d(2026, 11, 24)), "J+3");
    }
}
