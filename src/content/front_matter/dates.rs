//! The dates and times front matter and file names may hold, read
//! leniently: a day (`2026-01-31`) or an RFC 3339 time, whichever the
//! author wrote, and the forms Jekyll and Hugo blogs hold
//! (`2019-03-01 10:00:00 +0100`, `2019-03-01T10:00:00`). The one place the server reads a post's dates: chrono
//! parses, and days become [`Date`]s (the wire type) right here.

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::Date;

/// Accepts `YYYY-MM-DD` (Jekyll's one-digit months and days too:
/// `2016-3-9`), or a day followed by a time (`T` or a space, then
/// anything): the day is kept as written, whatever the offset.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let day = text.split(['T', 't', ' ']).next()?;
    parse_day(day)
}

/// A `YYYY-MM-DD` day, as chrono reads it, within [`Date`]'s years.
pub fn parse_day(text: &str) -> Option<Date> {
    naive_day(text).and_then(|day| Date::try_from(day).ok())
}

/// The day an address spells as `/YYYY/MM/DD/` segments, as blogs that
/// keep the date only in their URLs do (`path = "2024/02/19/survey"`).
pub fn date_in_path(path: &str) -> Option<Date> {
    let segments: Vec<&str> = path.split('/').collect();
    segments.windows(3).find_map(|w| {
        let numeric = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
        if !(numeric(w[0], 4) && numeric(w[1], 2) && numeric(w[2], 2)) {
            return None;
        }
        parse_day(&format!("{}-{}-{}", w[0], w[1], w[2]))
    })
}

/// Times with an offset Jekyll and Hugo blogs write besides RFC 3339.
const OFFSET_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M %z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S%z",
];
/// Times without an offset, read as UTC.
const LOCAL_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
];

/// Accepts an RFC 3339 timestamp, a time with a numeric offset
/// (`2019-03-01 10:00:00 +0100`), a time without one (UTC), or a date
/// meaning midnight UTC.
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let with_offset = || {
        OFFSET_FORMATS
            .iter()
            .find_map(|format| DateTime::parse_from_str(text, format).ok())
    };
    let local = || {
        LOCAL_FORMATS
            .iter()
            .find_map(|format| chrono::NaiveDateTime::parse_from_str(text, format).ok())
            .map(|time| time.and_utc())
    };
    DateTime::parse_from_rfc3339(text)
        .ok()
        .or_else(with_offset)
        .map(|t| t.with_timezone(&Utc))
        .or_else(local)
        .or_else(|| naive_day(text).map(|day| day.and_time(chrono::NaiveTime::MIN).and_utc()))
}

#[cfg(test)]
#[test]
fn jekyll_writes_one_digit_months_days_and_hours() {
    assert_eq!(parse_date("2016-3-9 2:00:00"), Date::new(2016, 3, 9));
    assert_eq!(parse_date("2016-12-9 10:00:00"), Date::new(2016, 12, 9));
    assert_eq!(parse_date("2016-03-21T10:00:00Z"), Date::new(2016, 3, 21));
    assert_eq!(parse_date("2016-3"), None);
    assert!(parse_instant("2016-6-13 2:00:00").is_some());
}

fn naive_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jekyll_and_hugo_times_are_read() {
        let day = Date::new(2019, 3, 1);
        for text in [
            "2019-03-01 10:00:00 +0100",
            "2019-03-01 23:30:00 -0800",
            "2019-03-01T10:00:00+01:00",
            "2019-03-01T10:00:00",
            "2019-03-01",
        ] {
            assert_eq!(parse_date(text), day, "{text}");
            assert!(parse_instant(text).is_some(), "{text}");
        }
        let jekyll = parse_instant("2019-03-01 10:00:00 +0100").unwrap();
        assert_eq!(jekyll.to_rfc3339(), "2019-03-01T09:00:00+00:00");
        assert_eq!(parse_date("2019-03-01x"), None);
    }
}
