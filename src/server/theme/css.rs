//! The theme stylesheet: the settings that are CSS (`accent`,
//! `accent_dark`, `font_text`, `font_code`, `card_layout`, the code themes)
//! written as custom properties and a few rules, served like the owner's
//! stylesheet at a hashed address (the Content-Security-Policy allows no
//! inline `<style>`), before `custom.css` so the owner's file still wins.

use super::code;
use super::colour::{self, Rgb};
use crate::server::SiteConfig;

/// Root selectors of the light scheme: the toggle's, then the system's.
const LIGHT: [&str; 2] = [
    ":root[data-theme=\"light\"]",
    ":root:not([data-theme=\"dark\"])",
];
/// Root selectors of the dark scheme: the toggle's, then the system's.
const DARK: [&str; 2] = [
    ":root[data-theme=\"dark\"]",
    ":root:not([data-theme=\"light\"])",
];

/// The stylesheet, or `None` when no setting needs one.
pub fn stylesheet(config: &SiteConfig) -> Option<String> {
    let mut css = String::new();
    let mut root = Vec::new();
    if !config.font_text.trim().is_empty() {
        root.push(format!("--font-text: {};", config.font_text.trim()));
    }
    if !config.font_code.trim().is_empty() {
        root.push(format!("--font-code: {};", config.font_code.trim()));
    }
    if !root.is_empty() {
        css.push_str(&format!(":root {{ {} }}\n", root.join(" ")));
    }
    if config.card_layout == "list" {
        css.push_str(".cards { grid-template-columns: minmax(0, 1fr); }\n");
    }
    let dark_accent = match (config.accent_dark.as_str(), Rgb::parse(&config.accent)) {
        ("", Ok(accent)) => colour::readable_on(accent, &colour::DARK).hex(),
        (set, _) => set.to_string(),
    };
    css.push_str(&scheme(false, &config.accent, &config.code_theme));
    css.push_str(&scheme(true, &dark_accent, &config.code_theme_dark));
    (!css.is_empty()).then_some(css)
}

/// The accent and code theme of one colour scheme, under its two roots.
fn scheme(dark: bool, accent: &str, code_theme: &str) -> String {
    let [toggle, system] = if dark { DARK } else { LIGHT };
    let rules = |root: &str| {
        let mut out = String::new();
        if let Ok(accent) = Rgb::parse(accent) {
            let ink = colour::text_on(accent);
            out.push_str(&format!(
                "{root} {{ --accent: {}; --accent-fg: {}; }}\n",
                accent.hex(),
                ink.hex()
            ));
        }
        out.push_str(&code::css(code_theme, root).unwrap_or_default());
        out
    };
    let (by_toggle, by_system) = (rules(toggle), rules(system));
    if by_toggle.is_empty() {
        return String::new();
    }
    let media = if dark { "dark" } else { "light" };
    format!("{by_toggle}@media (prefers-color-scheme: {media}) {{\n{by_system}}}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_no_stylesheet() {
        assert_eq!(stylesheet(&SiteConfig::default()), None);
    }

    #[test]
    fn one_accent_gets_a_lighter_twin_in_the_dark_scheme() {
        let config = SiteConfig {
            accent: "#1f5fbf".into(),
            ..SiteConfig::default()
        };
        let css = stylesheet(&config).unwrap();
        let dark = colour::readable_on(Rgb(0x1f, 0x5f, 0xbf), &colour::DARK);
        assert!(
            css.contains(&format!(
                ":root[data-theme=\"dark\"] {{ --accent: {};",
                dark.hex()
            )),
            "{css}"
        );
    }

    #[test]
    fn settings_become_properties_per_scheme() {
        let config = SiteConfig {
            accent: "#8a2be2".into(),
            accent_dark: "#d0a8ff".into(),
            font_text: "Georgia, serif".into(),
            card_layout: "list".into(),
            code_theme_dark: "base16-ocean.dark".into(),
            ..SiteConfig::default()
        };
        let css = stylesheet(&config).unwrap();
        assert!(
            css.contains(":root { --font-text: Georgia, serif; }"),
            "{css}"
        );
        assert!(
            css.contains(
                ":root[data-theme=\"light\"] { --accent: #8a2be2; --accent-fg: #ffffff; }"
            ),
            "{css}"
        );
        assert!(
            css.contains(":root[data-theme=\"dark\"] { --accent: #d0a8ff; --accent-fg: #0b1220; }"),
            "{css}"
        );
        assert!(css.contains("@media (prefers-color-scheme: dark) {\n:root:not([data-theme=\"light\"]) { --accent: #d0a8ff;"), "{css}");
        assert!(
            css.contains(":root[data-theme=\"dark\"] .hl-comment"),
            "{css}"
        );
        assert!(!css.contains(":root[data-theme=\"light\"] .hl-"), "{css}");
        assert!(css.contains(".cards { grid-template-columns: minmax(0, 1fr); }"));
    }
}
