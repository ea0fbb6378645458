//! Colours an owner writes (`accent = "#1f5fbf"`) and the one rule Quire
//! holds them to: WCAG 2's contrast ratio against the backgrounds links
//! sit on in the scheme they are used in (the page and the cards), at
//! least 4.5:1 (AA for body text), since the accent colours links. Kept apart so the rule and its wording live
//! in one place, read by the settings check and the theme stylesheet.

/// The light theme's page background (`--bg` in assets/main.css).
pub const LIGHT_BACKGROUND: Rgb = Rgb(0xff, 0xff, 0xff);
/// The dark theme's page background (`--bg` in assets/main.css).
pub const DARK_BACKGROUND: Rgb = Rgb(0x12, 0x14, 0x17);
/// What links sit on in the light scheme (`--bg`, `--card`), page first.
pub const LIGHT: [(Rgb, &str); 2] = [
    (LIGHT_BACKGROUND, "background"),
    (Rgb(0xf8, 0xf9, 0xfb), "card background"),
];
/// What links sit on in the dark scheme (`--bg`, `--card`), page first.
pub const DARK: [(Rgb, &str); 2] = [
    (DARK_BACKGROUND, "background"),
    (Rgb(0x19, 0x1c, 0x21), "card background"),
];
/// WCAG 2 AA for normal text.
pub const AA_TEXT: f64 = 4.5;

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rgb` or `#rrggbb` (any case, surrounding spaces ignored).
    pub fn parse(text: &str) -> Result<Self, String> {
        let hex = text.trim().strip_prefix('#').unwrap_or("");
        let digit = |i: usize, len: usize| u8::from_str_radix(hex.get(i..i + len)?, 16).ok();
        let rgb = match hex.len() {
            3 if hex.is_ascii() => (0..3)
                .map(|i| digit(i, 1).map(|d| d * 17))
                .collect::<Option<Vec<_>>>(),
            6 if hex.is_ascii() => (0..3).map(|i| digit(i * 2, 2)).collect::<Option<Vec<_>>>(),
            _ => None,
        };
        match rgb.as_deref() {
            Some(&[r, g, b]) => Ok(Self(r, g, b)),
            _ => Err(format!(
                "`{text}` is not a colour; write it as #rrggbb, e.g. \"#1f5fbf\""
            )),
        }
    }

    /// WCAG 2 relative luminance.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// WCAG 2 contrast ratio of two colours, 1 to 21.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// `accent` on each of `backgrounds` (a scheme's [`LIGHT`] or [`DARK`]),
/// or why it cannot be used for text: the pair, the ratio and which way
/// to move.
pub fn check_accent(accent: Rgb, backgrounds: &[(Rgb, &str)]) -> Result<(), String> {
    backgrounds
        .iter()
        .try_for_each(|&(background, name)| check_on(accent, background, name))
}

fn check_on(accent: Rgb, background: Rgb, name: &str) -> Result<(), String> {
    let ratio = contrast(accent, background);
    if ratio >= AA_TEXT {
        return Ok(());
    }
    let way = if background.luminance() > 0.5 {
        "darker"
    } else {
        "lighter"
    };
    Err(format!(
        "accent {} on {name} {}: contrast {:.1}:1, below 4.5:1 (WCAG AA); choose a {way} accent",
        accent.hex(),
        background.hex(),
        // One decimal, never rounded up past the threshold.
        (ratio * 10.0).floor() / 10.0
    ))
}

/// `accent` mixed with white, in steps of 5%, until it reads on every one
/// of `backgrounds` (the dark scheme's accent when only `accent` is set).
pub fn readable_on(accent: Rgb, backgrounds: &[(Rgb, &str)]) -> Rgb {
    let mix = |c: u8, t: f64| (f64::from(c) + (255.0 - f64::from(c)) * t).round() as u8;
    (0..=20)
        .map(|step| {
            let t = f64::from(step) / 20.0;
            Rgb(mix(accent.0, t), mix(accent.1, t), mix(accent.2, t))
        })
        .find(|c| backgrounds.iter().all(|(b, _)| contrast(*c, *b) >= AA_TEXT))
        .unwrap_or(Rgb(0xff, 0xff, 0xff))
}

/// The text colour for buttons filled with `accent`: white or the dark
/// theme's ink, whichever reads better on it.
pub fn text_on(accent: Rgb) -> Rgb {
    let ink = Rgb(0x0b, 0x12, 0x20);
    let white = Rgb(0xff, 0xff, 0xff);
    if contrast(white, accent) >= contrast(ink, accent) {
        white
    } else {
        ink
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_in_both_lengths() {
        assert_eq!(Rgb::parse("#1F5fbf").unwrap(), Rgb(0x1f, 0x5f, 0xbf));
        assert_eq!(Rgb::parse(" #fe0 ").unwrap(), Rgb(0xff, 0xee, 0x00));
        for bad in ["1f5fbf", "#12345", "#ggg", "red", "#ééé", ""] {
            assert!(Rgb::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ratios_follow_wcag() {
        let black = Rgb(0, 0, 0);
        assert!((contrast(black, LIGHT_BACKGROUND) - 21.0).abs() < 1e-9);
        assert!((contrast(LIGHT_BACKGROUND, LIGHT_BACKGROUND) - 1.0).abs() < 1e-9);
        // WebAIM: #767676 on white is 4.54:1, the lightest grey that passes.
        assert!((contrast(Rgb(0x76, 0x76, 0x76), LIGHT_BACKGROUND) - 4.54).abs() < 0.01);
    }

    #[test]
    fn a_pale_accent_is_refused_naming_pair_and_ratio() {
        let err = check_accent(Rgb::parse("#ffee00").unwrap(), &LIGHT).unwrap_err();
        assert_eq!(
            err,
            "accent #ffee00 on background #ffffff: contrast 1.2:1, below 4.5:1 (WCAG AA); choose a darker accent"
        );
        let err = check_accent(Rgb::parse("#1f5fbf").unwrap(), &DARK).unwrap_err();
        assert!(err.contains("on background #121417") && err.ends_with("choose a lighter accent"));
        check_accent(Rgb::parse("#1f5fbf").unwrap(), &LIGHT).unwrap();
        check_accent(Rgb::parse("#7fb0ff").unwrap(), &DARK).unwrap();
        // Passes on the dark page, not on the dark cards.
        let edge = Rgb::parse("#808080").unwrap();
        assert!(
            contrast(edge, DARK_BACKGROUND) >= AA_TEXT,
            "{}",
            contrast(edge, DARK_BACKGROUND)
        );
        let err = check_accent(edge, &DARK).unwrap_err();
        assert!(err.contains("on card background #191c21"), "{err}");
    }

    #[test]
    fn a_dark_accent_is_lightened_until_it_reads_on_the_dark_background() {
        let accent = Rgb::parse("#1f5fbf").unwrap();
        let dark = readable_on(accent, &DARK);
        assert!(DARK.iter().all(|(b, _)| contrast(dark, *b) >= AA_TEXT));
        assert!(dark.luminance() > accent.luminance());
        let already = Rgb::parse("#7fb0ff").unwrap();
        assert_eq!(readable_on(already, &DARK), already);
    }

    #[test]
    fn the_backgrounds_are_the_stylesheets() {
        let css = include_str!("../../../assets/main.css");
        for ((bg, _), (card, _)) in [(LIGHT[0], LIGHT[1]), (DARK[0], DARK[1])] {
            assert!(css.contains(&format!("--bg: {};", bg.hex())));
            assert!(css.contains(&format!("--card: {};", card.hex())));
        }
    }
}
