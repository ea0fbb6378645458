//! [`Date`]: a calendar day, typed from the front matter to the page.
//!
//! A post's dates were `YYYY-MM-DD` strings, re-parsed (or compared as
//! text) by each reader: feeds, sitemap, views. Now they are one `Copy`
//! value that orders chronologically and prints, serializes and keys the
//! store as that same `YYYY-MM-DD` text, so the JSON API and the stored
//! records keep their shape. Years are 0000 to 9999: four digits, so the
//! text sorts as the days do (the store's `dates` tree relies on it).
//!
//! The server reads the author's dates with chrono
//! (`content::front_matter::dates`) and converts them here; the wasm
//! client only decodes the wire text ([`FromStr`]), with no date library.

mod shown;

pub use shown::DateNames;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A valid day of the proleptic Gregorian calendar, years 0000 to 9999.
/// Fields in this order, so the derived order is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Text that is not a valid `YYYY-MM-DD` day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateError;

impl Date {
    /// Stands for "no date" where one is not required (standalone pages,
    /// sections): 0000-01-01, before every real date.
    pub const UNDATED: Date = Date {
        year: 0,
        month: 1,
        day: 1,
    };

    /// The day, if it exists: month 1–12, day within the month (leap years
    /// included), year at most 9999.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let valid =
            year <= 9999 && (1..=12).contains(&month) && (1..=days_in(year, month)).contains(&day);
        valid.then_some(Self { year, month, day })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// For readers: `Mar 8, 2026`.
    pub fn human(self) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let month = MONTHS[usize::from(self.month - 1)];
        // Years print as u32: the client has its formatting code already.
        format!("{month} {}, {}", self.day, u32::from(self.year))
    }
}

fn days_in(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DD`, zero-padded.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let year = u32::from(self.year); // as in `human`
        write!(f, "{year:04}-{:02}-{:02}", self.month, self.day)
    }
}

/// Exactly `YYYY-MM-DD` (ten characters, digits zero-padded) naming a day
/// that exists: the form [`Display`](fmt::Display) writes, nothing looser.
impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, DateError> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(DateError);
        }
        let number = |digits: &[u8]| {
            digits.iter().try_fold(0u16, |n, &d| {
                d.is_ascii_digit().then(|| n * 10 + u16::from(d - b'0'))
            })
        };
        let (Some(year), Some(month), Some(day)) = (
            number(&bytes[..4]),
            number(&bytes[5..7]),
            number(&bytes[8..]),
        ) else {
            return Err(DateError);
        };
        Date::new(year, month as u8, day as u8).ok_or(DateError)
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a calendar day written YYYY-MM-DD")
    }
}

impl std::error::Error for DateError {}

/// As its `YYYY-MM-DD` text.
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Every [`Date`] is a day chrono knows (its years reach far past 9999).
#[cfg(feature = "server")]
impl From<Date> for chrono::NaiveDate {
    fn from(date: Date) -> Self {
        chrono::NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
            .expect("a Date is a valid day in chrono's range")
    }
}

/// Fails for a year outside 0000–9999, which `YYYY` cannot write.
#[cfg(feature = "server")]
impl TryFrom<chrono::NaiveDate> for Date {
    type Error = DateError;

    fn try_from(date: chrono::NaiveDate) -> Result<Self, DateError> {
        use chrono::Datelike;
        let year = u16::try_from(date.year()).map_err(|_| DateError)?;
        // chrono's month and day are 1–12 and 1–31.
        Date::new(year, date.month() as u8, date.day() as u8).ok_or(DateError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The day `text` (`YYYY-MM-DD`) names; for this module's tests and
    /// `shown`'s.
    pub(super) fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn reads_and_writes_yyyy_mm_dd() {
        assert_eq!(day("2026-03-08"), Date::new(2026, 3, 8).unwrap());
        assert_eq!(day("0007-01-09").to_string(), "0007-01-09");
        assert_eq!(day("9999-12-31").to_string(), "9999-12-31");
    }

    #[test]
    fn refuses_anything_but_a_real_day() {
        const BAD: &str = "|soon|2026-13-08|2026-00-10|2026-04-31|2026-04-00|2026-3-8|2026-03-08 \
            | 2026-03-08|2026/03/08|+2026-03-08|20260-03-08|2026-03-08T10:00:00Z|2026-0a-08\
            |２０２６-03-08|-001-03-08";
        for text in BAD.split('|') {
            assert_eq!(text.parse::<Date>(), Err(DateError), "{text:?}");
        }
    }

    #[test]
    fn knows_leap_years() {
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2000-02-29".parse::<Date>().is_ok());
        assert!("0000-02-29".parse::<Date>().is_ok());
        assert!("2026-02-29".parse::<Date>().is_err());
        assert!("1900-02-29".parse::<Date>().is_err());
        assert!("2100-02-29".parse::<Date>().is_err());
    }

    #[test]
    fn orders_chronologically() {
        assert!(day("2025-12-31") < day("2026-01-01"));
        assert!(day("2026-01-31") < day("2026-02-01"));
        assert!(day("2026-02-01") < day("2026-02-02"));
    }

    #[test]
    fn human_form_is_for_readers() {
        assert_eq!(day("2026-03-08").human(), "Mar 8, 2026");
        assert_eq!(day("2026-12-25").human(), "Dec 25, 2026");
        assert_eq!(day("0999-01-01").human(), "Jan 1, 999");
    }

    #[test]
    fn serde_keeps_the_wire_string() {
        let json = serde_json::to_string(&day("2026-03-08")).unwrap();
        assert_eq!(json, "\"2026-03-08\"");
        assert_eq!(
            serde_json::from_str::<Date>(&json).unwrap(),
            day("2026-03-08")
        );
        let bad = serde_json::from_str::<Date>("\"2026-02-30\"").unwrap_err();
        assert!(bad.to_string().contains("YYYY-MM-DD"), "{bad}");
        assert!(serde_json::from_str::<Date>("20260308").is_err());
    }

    /// Random `DDDD-DD-DD` texts (months 0–13, days 0–32): each parses
    /// exactly when chrono reads it as a day, to the same day, and prints
    /// back as written; text order and day order agree.
    #[cfg(feature = "server")]
    #[test]
    fn fuzzed_texts_agree_with_chrono_and_round_trip() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |below: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % below
        };
        let mut previous: Option<(String, Date)> = None;
        for _ in 0..200_000 {
            let text = format!("{:04}-{:02}-{:02}", next(10_000), next(14), next(33));
            let ours = text.parse::<Date>().ok();
            let chrono = chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok();
            assert_eq!(ours.map(chrono::NaiveDate::from), chrono, "{text}");
            let Some(date) = ours else { continue };
            assert_eq!(date.to_string(), text);
            assert_eq!(Date::try_from(chrono.unwrap()), Ok(date));
            if let Some((before, earlier)) = &previous {
                assert_eq!(before.cmp(&text), earlier.cmp(&date), "{before} {text}");
            }
            previous = Some((text, date));
        }
    }

    /// Every day from 1900 to 2100, walked with chrono: each converts,
    /// prints as chrono prints it, parses back, and comes after the last.
    #[cfg(feature = "server")]
    #[test]
    fn every_day_of_two_centuries_matches_chrono() {
        use chrono::Datelike;
        let mut day = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
        let mut last: Option<Date> = None;
        while day.year() <= 2100 {
            let date = Date::try_from(day).unwrap();
            assert_eq!(date.to_string(), day.to_string());
            assert_eq!(date.to_string().parse(), Ok(date));
            assert!(last < Some(date), "{date}");
            last = Some(date);
            day = day.succ_opt().unwrap();
        }
    }

    #[cfg(feature = "server")]
    #[test]
    fn years_past_four_digits_do_not_convert() {
        let far = chrono::NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap();
        assert_eq!(Date::try_from(far), Err(DateError));
        let before = chrono::NaiveDate::from_ymd_opt(-1, 12, 31).unwrap();
        assert_eq!(Date::try_from(before), Err(DateError));
    }
}
