//! `style` attributes in raw HTML: kept, one declaration at a time, when
//! the property only dresses the element it is on (alignment, colours,
//! spacing, borders, widths: what tables and boxes written in HTML use).
//!
//! Why a module of its own: a style attribute is the one place where raw
//! HTML carries a second language, so it gets its own allow-list. What
//! could lift an element out of its place and cover the page (`position`,
//! `z-index`, `transform`, `inset`…) or fetch something (`url(…)`,
//! `image-set`, `@import`) never survives; neither does anything that is
//! not a plain `property: value` (escapes, comments, `expression`). The
//! page's Content-Security-Policy allows style attributes
//! (`style-src-attr 'unsafe-inline'`) and nothing else inline: `<style>`
//! elements stay removed.

/// Properties kept in a `style` attribute (with their `-top`, `-left`…
/// forms when listed as prefixes in [`PREFIXES`]).
const PROPERTIES: &[&str] = &[
    "align-content",
    "align-items",
    "align-self",
    "aspect-ratio",
    "background-color",
    "border-collapse",
    "border-spacing",
    "box-shadow",
    "box-sizing",
    "caption-side",
    "clear",
    "color",
    "cursor",
    "column-count",
    "column-gap",
    "columns",
    "display",
    "empty-cells",
    "flex",
    "flex-basis",
    "flex-direction",
    "flex-flow",
    "flex-grow",
    "flex-shrink",
    "flex-wrap",
    "float",
    "font",
    "font-family",
    "font-size",
    "font-stretch",
    "font-style",
    "font-variant",
    "font-weight",
    "gap",
    "grid-area",
    "grid-column",
    "grid-row",
    "grid-template-areas",
    "grid-template-columns",
    "grid-template-rows",
    "height",
    "hyphens",
    "justify-content",
    "justify-items",
    "justify-self",
    "letter-spacing",
    "line-height",
    "list-style",
    "list-style-position",
    "list-style-type",
    "max-height",
    "max-width",
    "min-height",
    "min-width",
    "object-fit",
    "opacity",
    "order",
    "overflow",
    "overflow-wrap",
    "overflow-x",
    "overflow-y",
    "row-gap",
    "tab-size",
    "table-layout",
    "text-align",
    "text-decoration",
    "text-decoration-color",
    "text-decoration-line",
    "text-decoration-style",
    "text-indent",
    "text-overflow",
    "text-transform",
    "text-wrap",
    "vertical-align",
    "visibility",
    "white-space",
    "width",
    "word-break",
    "word-spacing",
    "word-wrap",
    "writing-mode",
];

/// Families kept with any suffix: `margin-top`, `border-bottom-color`.
const PREFIXES: &[&str] = &["margin", "padding", "border", "outline", "background"];

/// Text that never appears in a kept value: fetches, old IE script hooks,
/// escapes and comments (which could hide either).
const REFUSED_IN_VALUES: &[&str] = &[
    "url(",
    "image(",
    "image-set(",
    "expression",
    "\\",
    "/*",
    "@",
    "<",
];

/// The declarations of `value` that are kept, and the properties dropped.
pub(super) fn filter(value: &str) -> (String, Vec<String>) {
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for declaration in value.split(';').map(str::trim).filter(|d| !d.is_empty()) {
        match declaration.split_once(':') {
            Some((property, value)) if allowed(property.trim(), value.trim()) => {
                kept.push(format!(
                    "{}: {}",
                    property.trim().to_ascii_lowercase(),
                    value.trim()
                ));
            }
            Some((property, _)) => dropped.push(property.trim().to_ascii_lowercase()),
            None => dropped.push(declaration.to_string()),
        }
    }
    (kept.join("; "), dropped)
}

fn allowed(property: &str, value: &str) -> bool {
    let property = property.to_ascii_lowercase();
    let value = value.to_ascii_lowercase();
    let known = PROPERTIES.contains(&property.as_str())
        || PREFIXES.iter().any(|p| {
            property == *p || property.strip_prefix(p).is_some_and(|r| r.starts_with('-'))
        });
    let plain = property.chars().all(|c| c.is_ascii_lowercase() || c == '-');
    known && plain && !value.is_empty() && !REFUSED_IN_VALUES.iter().any(|r| value.contains(r))
}

#[cfg(test)]
mod tests {
    use super::filter;

    #[test]
    fn what_dresses_an_element_is_kept() {
        let (kept, dropped) =
            filter("text-align: right; padding:0 4px;border-bottom:1px solid #ccc;");
        assert_eq!(
            kept,
            "text-align: right; padding: 0 4px; border-bottom: 1px solid #ccc"
        );
        assert!(dropped.is_empty());
    }

    #[test]
    fn what_could_cover_the_page_or_fetch_goes() {
        let hostile = [
            "position: fixed",
            "z-index: 9999",
            "transform: scale(40)",
            "inset: 0",
            "background: url(https://evil/x.png)",
            "background-image: image-set('x.png' 1x)",
            "color: red\\; position: fixed",
            "width: expression(alert(1))",
            "color: /* */ red",
            "behavior: url(x.htc)",
            "-moz-binding: url(x)",
            "background:u\\72l(x)",
        ];
        for style in hostile {
            let (kept, dropped) = filter(style);
            assert!(kept.is_empty(), "{style} kept {kept}");
            assert!(!dropped.is_empty(), "{style}");
        }
        let (kept, dropped) = filter("color: red; position: absolute; top: 0");
        assert_eq!(kept, "color: red");
        assert_eq!(dropped, ["position", "top"]);
    }
}
