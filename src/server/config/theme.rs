//! The theme settings' own types and checks (docs/THEMING.md): header and
//! social links, colours held to WCAG AA against the backgrounds they are
//! shown on, font stacks that cannot break out of their declaration, a
//! date format chrono can write, and the names of the code themes that
//! exist. Apart from `validate` because they are many and belong together.

use serde::Deserialize;

use super::errors::invalid;
use super::validate::Origin;
use super::{ConfigError, PAGE_SIZE_RANGE, SiteConfig};
use crate::server::theme::colour::{self, DARK, LIGHT, Rgb};

/// A link in the header after the site's name (`[[header_links]]`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderLink {
    pub title: String,
    pub url: String,
}

/// A link in the footer (`[[social]]`): a `kind` from [`SOCIAL_KINDS`]
/// gets its icon (and a label when none is written).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SocialLink {
    pub kind: String,
    pub label: String,
    pub url: String,
}

/// The kinds with an icon, and the label each gets by default.
pub const SOCIAL_KINDS: [(&str, &str); 6] = [
    ("mastodon", "Mastodon"),
    ("github", "GitHub"),
    ("bluesky", "Bluesky"),
    ("linkedin", "LinkedIn"),
    ("rss", "RSS"),
    ("email", "Email"),
];

/// The accepted values of `card_layout`.
pub const CARD_LAYOUTS: [&str; 2] = ["grid", "list"];

impl SocialLink {
    /// What the link says: its label, else its kind's name.
    pub fn text(&self) -> String {
        if !self.label.trim().is_empty() {
            return self.label.clone();
        }
        SOCIAL_KINDS
            .iter()
            .find(|(kind, _)| *kind == self.kind)
            .map_or_else(|| self.url.clone(), |(_, label)| (*label).to_string())
    }
}

/// Checks every theme setting, normalising colours to `#rrggbb`.
pub(super) fn validate(config: &mut SiteConfig, origin: &Origin<'_>) -> Result<(), ConfigError> {
    let at = |key: &'static str| move |m: String| invalid(&origin(key), m);
    check_accents(config).map_err(|(key, m)| invalid(&origin(key), m))?;
    check_font(&config.font_text).map_err(at("font_text"))?;
    check_font(&config.font_code).map_err(at("font_code"))?;
    check_date_format(&config.date_format).map_err(at("date_format"))?;
    check_one_of(&config.card_layout, &CARD_LAYOUTS).map_err(at("card_layout"))?;
    let themes = crate::server::theme::code::names();
    let names: Vec<&str> = themes.iter().map(String::as_str).collect();
    for key in ["code_theme", "code_theme_dark"] {
        let value = if key == "code_theme" {
            &config.code_theme
        } else {
            &config.code_theme_dark
        };
        if !value.is_empty() {
            check_one_of(value, &names).map_err(at(key))?;
        }
    }
    if config.home_page_size != 0 && !PAGE_SIZE_RANGE.contains(&config.home_page_size) {
        let message = format!(
            "{} posts per home page is out of range; choose a number from 1 to {}, or 0 to follow page_size",
            config.home_page_size,
            PAGE_SIZE_RANGE.end()
        );
        return Err(invalid(&origin("home_page_size"), message));
    }
    check_social(&config.social).map_err(at("social"))?;
    check_header_links(&config.header_links).map_err(at("header_links"))
}

/// `accent` against the light scheme's backgrounds, `accent_dark`
/// against the dark one's (unset, the dark scheme shows `accent` lightened until it
/// passes: `colour::readable_on`).
fn check_accents(config: &mut SiteConfig) -> Result<(), (&'static str, String)> {
    if !config.accent.trim().is_empty() {
        let accent = Rgb::parse(&config.accent).map_err(|m| ("accent", m))?;
        config.accent = accent.hex();
        colour::check_accent(accent, &LIGHT).map_err(|m| ("accent", m))?;
    }
    if !config.accent_dark.trim().is_empty() {
        let dark = Rgb::parse(&config.accent_dark).map_err(|m| ("accent_dark", m))?;
        config.accent_dark = dark.hex();
        colour::check_accent(dark, &DARK).map_err(|m| ("accent_dark", m))?;
    }
    Ok(())
}

/// A `font-family` value that stays one declaration: no `;`, braces, `<`,
/// `url(`, backslash escapes or line breaks.
fn check_font(stack: &str) -> Result<(), String> {
    let lower = stack.to_ascii_lowercase();
    let bad = stack.contains([';', '{', '}', '<', '>', '\\', '\n', '\r'])
        || lower.contains("url(")
        || lower.contains("expression(")
        || lower.contains("@import");
    if bad {
        return Err(format!(
            "`{stack}` is not a font stack; list font names separated by commas, e.g. \"Georgia, 'Times New Roman', serif\" (no ;, braces, < or url())"
        ));
    }
    Ok(())
}

/// A strftime format of dates only, that chrono can write.
pub fn check_date_format(format: &str) -> Result<(), String> {
    use chrono::format::{Fixed, Item, Numeric, StrftimeItems};
    if format.is_empty() {
        return Ok(());
    }
    let date_only = |item: &Item| match item {
        Item::Literal(_) | Item::OwnedLiteral(_) | Item::Space(_) | Item::OwnedSpace(_) => true,
        Item::Numeric(n, _) => matches!(
            n,
            Numeric::Year
                | Numeric::YearMod100
                | Numeric::Month
                | Numeric::Day
                | Numeric::Ordinal
                | Numeric::WeekdayFromMon
                | Numeric::IsoYear
                | Numeric::IsoWeek
        ),
        Item::Fixed(f) => matches!(
            f,
            Fixed::ShortMonthName
                | Fixed::LongMonthName
                | Fixed::ShortWeekdayName
                | Fixed::LongWeekdayName
        ),
        Item::Error => false,
    };
    if StrftimeItems::new(format).all(|item| date_only(&item)) {
        return Ok(());
    }
    Err(format!(
        "`{format}` is not a date format Quire can write; use strftime's date fields (%Y %y %m %d %e %B %b %A %a %j %-d…), e.g. \"%e %B %Y\""
    ))
}

fn check_one_of(value: &str, choices: &[&str]) -> Result<(), String> {
    if choices.contains(&value) {
        return Ok(());
    }
    Err(format!(
        "`{value}` is not one of \"{}\"; choose one of them",
        choices.join("\", \"")
    ))
}

fn check_social(links: &[SocialLink]) -> Result<(), String> {
    for link in links {
        let known = SOCIAL_KINDS.iter().any(|(kind, _)| *kind == link.kind);
        if !link.kind.is_empty() && !known {
            let kinds: Vec<&str> = SOCIAL_KINDS.iter().map(|(k, _)| *k).collect();
            return Err(format!(
                "`{}` is not a kind with an icon; choose one of \"{}\", or leave `kind` out and write a `label`",
                link.kind,
                kinds.join("\", \"")
            ));
        }
        if link.url.trim().is_empty() || (link.kind.is_empty() && link.label.trim().is_empty()) {
            return Err("every link needs a `url` and a `kind` or a `label`".into());
        }
    }
    Ok(())
}

fn check_header_links(links: &[HeaderLink]) -> Result<(), String> {
    match links
        .iter()
        .find(|l| l.title.trim().is_empty() || l.url.trim().is_empty())
    {
        Some(_) => Err("every header link needs a `title` and a `url`".into()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(config: SiteConfig) -> Result<SiteConfig, String> {
        let mut config = config;
        let origin = |key: &str| format!("`{key}`");
        validate(&mut config, &origin).map_err(|e| e.to_string())?;
        Ok(config)
    }

    #[test]
    fn accents_are_held_to_aa_in_both_themes() {
        let pale = SiteConfig {
            accent: "#FE0".into(),
            ..SiteConfig::default()
        };
        let err = checked(pale).unwrap_err();
        assert!(
            err.starts_with("`accent`: accent #ffee00 on background #ffffff: contrast 1.2:1"),
            "{err}"
        );
        let dark_fails = SiteConfig {
            accent: "#1f5fbf".into(),
            accent_dark: "#1f5fbf".into(),
            ..SiteConfig::default()
        };
        let err = checked(dark_fails).unwrap_err();
        assert!(
            err.starts_with("`accent_dark`: accent #1f5fbf on background #121417: contrast"),
            "{err}"
        );
        let both = SiteConfig {
            accent: "#1F5FBF".into(),
            accent_dark: "#7fb0ff".into(),
            ..SiteConfig::default()
        };
        assert_eq!(checked(both).unwrap().accent, "#1f5fbf");
    }

    #[test]
    fn fonts_dates_layouts_and_code_themes_are_checked() {
        let with = |f: fn(&mut SiteConfig)| {
            let mut config = SiteConfig::default();
            f(&mut config);
            checked(config)
        };
        with(|c| c.font_text = "Georgia, 'Times New Roman', serif".into()).unwrap();
        for bad in ["a; color: red", "x} body {", "url(https://x)", "</style>"] {
            let config = SiteConfig {
                font_code: bad.into(),
                ..SiteConfig::default()
            };
            assert!(
                checked(config).unwrap_err().starts_with("`font_code`"),
                "{bad}"
            );
        }
        with(|c| c.date_format = "%e %B %Y".into()).unwrap();
        assert!(
            with(|c| c.date_format = "%H:%M".into())
                .unwrap_err()
                .starts_with("`date_format`")
        );
        assert!(with(|c| c.date_format = "%Q".into()).is_err());
        assert!(
            with(|c| c.card_layout = "masonry".into())
                .unwrap_err()
                .contains("\"grid\", \"list\"")
        );
        with(|c| c.code_theme = "InspiredGitHub".into()).unwrap();
        assert!(
            with(|c| c.code_theme_dark = "Monokai".into())
                .unwrap_err()
                .contains("base16-ocean.dark")
        );
        assert!(with(|c| c.home_page_size = 501).is_err());
    }

    #[test]
    fn every_accepted_format_is_written_as_chrono_writes_it() {
        let formats = [
            "%Y-%m-%d",
            "%y %e %B",
            "%-d %b %Y",
            "%_m/%0e",
            "%A %a %h",
            "%j %u",
            "%G-W%V",
            "%F %D %x %v",
            "%%Y 100%%",
            "%-j %_u",
        ];
        let mut day = chrono::NaiveDate::from_ymd_opt(1999, 12, 20).unwrap();
        for _ in 0..800 {
            let ours: crate::model::Date = day.format("%Y-%m-%d").to_string().parse().unwrap();
            for format in formats {
                assert!(check_date_format(format).is_ok(), "{format}");
                assert_eq!(
                    ours.shown(format),
                    day.format(format).to_string(),
                    "{format} {day}"
                );
            }
            day += chrono::Duration::days(9);
        }
    }

    #[test]
    fn social_links_have_a_known_kind_or_a_label() {
        let link = |kind: &str, label: &str| SocialLink {
            kind: kind.into(),
            label: label.into(),
            url: "https://x.example".into(),
        };
        let mut config = SiteConfig {
            social: vec![link("mastodon", ""), link("", "Blog roll")],
            ..SiteConfig::default()
        };
        config = checked(config).unwrap();
        assert_eq!(config.social[0].text(), "Mastodon");
        config.social = vec![link("myspace", "")];
        assert!(
            checked(config)
                .unwrap_err()
                .contains("\"mastodon\", \"github\"")
        );
    }
}
