//! The dates and times front matter and file names may hold, read
//! leniently: a day (`2026-01-31`) or an RFC 3339 time, whichever the
//! author wrote. The one place the server reads a post's dates: chrono
//! parses, and days become [`Date`]s (the wire type) right here.

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::Date;

/// Accepts `YYYY-MM-DD` or an RFC 3339 timestamp (its date part is kept).
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    parse_day(text)
        .or_else(|| {
            DateTime::parse_from_rfc3339(text)
                .ok()
                .and_then(|t| Date::try_from(t.date_naive()).ok())
        })
        .or_else(|| {
            text.get(..10)
                .and_then(parse_day)
                .filter(|_| text.as_bytes().get(10) == Some(&b'T'))
        })
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

/// Accepts an RFC 3339 timestamp, or a date meaning midnight UTC.
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| naive_day(text).map(|day| day.and_time(chrono::NaiveTime::MIN).and_utc()))
}

fn naive_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}
