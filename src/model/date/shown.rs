//! A [`Date`] written as the site's `date_format` says (strftime's
//! date-only specifiers, the set `quire check` accepts), with the month
//! and day names of the site's language ([`DateNames`], which `i18n`
//! fills from its message files). No date library: what a locale-aware
//! one would add is the names, and those are the message files'; the
//! server's tests compare every specifier with chrono's output in English
//! (`server::config::theme`).

use super::Date;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The names `%B`, `%b`, `%A` and `%a` write: a language's (from its
/// message file, `i18n`), or English's.
pub struct DateNames<'a> {
    months: Vec<&'a str>,
    months_short: Vec<&'a str>,
    weekdays: Vec<&'a str>,
    weekdays_short: Vec<&'a str>,
}

impl<'a> DateNames<'a> {
    /// Twelve months and seven days (Monday first), long and short; a list
    /// of another length is replaced by English's.
    pub fn new(
        months: Vec<&'a str>,
        months_short: Vec<&'a str>,
        weekdays: Vec<&'a str>,
        weekdays_short: Vec<&'a str>,
    ) -> Self {
        let or = |list: Vec<&'a str>, english: Vec<&'a str>| match list.len() == english.len() {
            true => list,
            false => english,
        };
        let english = Self::english();
        DateNames {
            months: or(months, english.months),
            months_short: or(months_short, english.months_short),
            weekdays: or(weekdays, english.weekdays),
            weekdays_short: or(weekdays_short, english.weekdays_short),
        }
    }

    /// English's names.
    pub fn english() -> Self {
        DateNames {
            months: MONTHS.to_vec(),
            months_short: MONTHS.iter().map(|m| &m[..3]).collect(),
            weekdays: WEEKDAYS.to_vec(),
            weekdays_short: WEEKDAYS.iter().map(|d| &d[..3]).collect(),
        }
    }
}

impl Date {
    /// The day as `format` says, in English; an empty format is
    /// [`Date::human`]. A specifier outside the date-only set is written
    /// as it stands.
    pub fn shown(self, format: &str) -> String {
        if format.is_empty() {
            return self.human();
        }
        self.shown_with(format, &DateNames::english())
    }

    /// The day as `format` says, with `names` for months and days.
    pub fn shown_with(self, format: &str, names: &DateNames) -> String {
        let mut out = String::with_capacity(format.len() + 8);
        let mut chars = format.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut spec = chars.next();
            let pad = match spec {
                Some(p @ ('-' | '_' | '0')) => {
                    spec = chars.next();
                    Some(p)
                }
                _ => None,
            };
            match spec {
                Some(spec) => self.write(&mut out, spec, pad, names),
                None => out.push('%'),
            }
        }
        out
    }

    /// Writes one specifier (`pad`: chrono's `-`, `_` or `0` modifier).
    fn write(self, out: &mut String, spec: char, pad: Option<char>, names: &DateNames) {
        let number = |out: &mut String, n: u32, width: usize, fill: char| {
            let (width, fill) = match pad {
                Some('-') => (0, fill),
                Some('_') => (width, ' '),
                Some('0') => (width, '0'),
                _ => (width, fill),
            };
            let digits = n.to_string();
            out.extend(std::iter::repeat_n(
                fill,
                width.saturating_sub(digits.len()),
            ));
            out.push_str(&digits);
        };
        let (year, month, day) = (u32::from(self.year), self.month, self.day);
        match spec {
            'Y' => number(out, year, 4, '0'),
            'y' => number(out, year % 100, 2, '0'),
            'm' => number(out, u32::from(month), 2, '0'),
            'd' => number(out, u32::from(day), 2, '0'),
            'e' => number(out, u32::from(day), 2, ' '),
            'j' => number(out, self.ordinal(), 3, '0'),
            'u' => number(out, self.weekday() + 1, 1, '0'),
            'G' => number(out, self.iso_week().0, 4, '0'),
            'V' => number(out, self.iso_week().1, 2, '0'),
            'b' | 'h' => out.push_str(names.months_short[usize::from(month - 1)]),
            'B' => out.push_str(names.months[usize::from(month - 1)]),
            'a' => out.push_str(names.weekdays_short[self.weekday() as usize]),
            'A' => out.push_str(names.weekdays[self.weekday() as usize]),
            'F' => out.push_str(&self.shown_with("%Y-%m-%d", names)),
            'D' | 'x' => out.push_str(&self.shown_with("%m/%d/%y", names)),
            'v' => out.push_str(&self.shown_with("%e-%b-%Y", names)),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            '%' => out.push('%'),
            other => {
                out.push('%');
                out.extend(pad);
                out.push(other);
            }
        }
    }

    /// Day of the year, 1–366.
    fn ordinal(self) -> u32 {
        let before: u32 = (1..self.month)
            .map(|m| u32::from(super::days_in(self.year, m)))
            .sum();
        before + u32::from(self.day)
    }

    /// Monday 0 … Sunday 6.
    fn weekday(self) -> u32 {
        const OFFSETS: [u32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
        let year = u32::from(self.year) + 400 - u32::from(self.month < 3);
        let sunday_first = (year + year / 4 - year / 100
            + year / 400
            + OFFSETS[usize::from(self.month - 1)]
            + u32::from(self.day))
            % 7;
        (sunday_first + 6) % 7
    }

    /// ISO 8601 week-numbering year and week (weeks start on Monday; week
    /// 1 holds the year's first Thursday).
    fn iso_week(self) -> (u32, u32) {
        let year = u32::from(self.year);
        let week = (self.ordinal() + 9 - self.weekday()) / 7;
        if week == 0 {
            let before = self.year.checked_sub(1).and_then(|y| Date::new(y, 12, 31));
            return (
                year.saturating_sub(1),
                before.map_or(52, |d| d.iso_week().1),
            );
        }
        if week == 53 && !long_year(year) {
            return (year + 1, 1);
        }
        (year, week)
    }
}

/// Whether ISO year `year` has 53 weeks: it starts on a Thursday, or on a
/// Wednesday in a leap year.
fn long_year(year: u32) -> bool {
    let Some(first) = u16::try_from(year).ok().and_then(|y| Date::new(y, 1, 1)) else {
        return false;
    };
    let leap = super::days_in(first.year, 2) == 29;
    first.weekday() == 3 || (leap && first.weekday() == 2)
}

#[cfg(test)]
mod tests {
    use super::super::tests::day;

    #[test]
    fn writes_the_date_only_specifiers() {
        let d = day("2026-03-08");
        assert_eq!(d.shown(""), "Mar 8, 2026");
        assert_eq!(d.shown("%e %B %Y"), " 8 March 2026");
        assert_eq!(d.shown("%-d %b %y"), "8 Mar 26");
        assert_eq!(d.shown("%A %d/%m/%Y"), "Sunday 08/03/2026");
        assert_eq!(
            d.shown("%F, day %j, %G-W%V-%u"),
            "2026-03-08, day 067, 2026-W10-7"
        );
        assert_eq!(d.shown("100%% %Q"), "100% %Q");
    }

    #[test]
    fn iso_weeks_cross_year_ends() {
        assert_eq!(day("2021-01-03").shown("%G-W%V"), "2020-W53");
        assert_eq!(day("2024-12-30").shown("%G-W%V"), "2025-W01");
        assert_eq!(day("2026-01-01").shown("%G-W%V %a"), "2026-W01 Thu");
    }
}
