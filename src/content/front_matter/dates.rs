//! The dates and times front matter may hold, read leniently: a day
//! (`2026-01-31`) or an RFC 3339 time, whichever the author wrote.

use chrono::{DateTime, NaiveDate, Utc};

/// Accepts `YYYY-MM-DD` or an RFC 3339 timestamp (its date part is kept).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| {
            DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|t| t.date_naive())
        })
        .or_else(|| {
            text.get(..10)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .filter(|_| text.as_bytes().get(10) == Some(&b'T'))
        })
}

/// Accepts an RFC 3339 timestamp, or a date meaning midnight UTC.
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })
}
