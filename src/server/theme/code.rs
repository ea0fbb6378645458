//! Code highlighting themes by name (`code_theme`, `code_theme_dark`):
//! posts carry syntect's `hl-` classes (`content::markdown`), coloured by
//! default through the `--hl-*` custom properties of assets/main.css; a
//! named theme replaces those colours with the rules syntect writes for
//! one of its bundled themes, scoped to the light or the dark theme.

use std::sync::LazyLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, css_for_theme_with_class_style};

static THEMES: LazyLock<ThemeSet> = LazyLock::new(ThemeSet::load_defaults);

/// The names a setting may give, sorted.
pub fn names() -> Vec<String> {
    THEMES.themes.keys().cloned().collect()
}

/// The rules of theme `name` with every selector under `root` (a selector
/// for the page root in one colour scheme); `None` for an unknown name.
pub fn css(name: &str, root: &str) -> Option<String> {
    let theme = THEMES.themes.get(name)?;
    let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
    let rules = css_for_theme_with_class_style(theme, style).ok()?;
    let mut out = String::new();
    if let Some(bg) = theme.settings.background {
        out.push_str(&format!(
            "{root} {{ --code-bg: #{:02x}{:02x}{:02x}; }}\n",
            bg.r, bg.g, bg.b
        ));
    }
    if let Some(fg) = theme.settings.foreground {
        out.push_str(&format!(
            "{root} .post-body pre {{ color: #{:02x}{:02x}{:02x}; }}\n",
            fg.r, fg.g, fg.b
        ));
    }
    for block in without_comments(&rules).split('}') {
        let Some((selectors, body)) = block.split_once('{') else {
            continue;
        };
        // The `.hl-code` block is the theme's own background: set above.
        if selectors.trim() == ".hl-code" {
            continue;
        }
        let scoped: Vec<String> = selectors
            .split(',')
            .map(|s| format!("{root} {}", s.trim()))
            .collect();
        let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
        out.push_str(&format!("{} {{ {body} }}\n", scoped.join(", ")));
    }
    Some(out)
}

fn without_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_themes_are_named_and_scoped() {
        let names = names();
        assert!(names.iter().any(|n| n == "InspiredGitHub"), "{names:?}");
        assert!(names.iter().any(|n| n == "base16-ocean.dark"), "{names:?}");
        let css = css("InspiredGitHub", ":root[data-theme=\"light\"]").unwrap();
        assert!(
            css.contains(":root[data-theme=\"light\"] .hl-comment"),
            "{css}"
        );
        assert!(css.contains("--code-bg: #ffffff"), "{css}");
        assert!(!css.contains("/*") && !css.contains(".hl-code "), "{css}");
        assert_eq!(css.matches('{').count(), css.matches('}').count());
        assert!(super::css("Monokai", ":root").is_none());
    }
}
