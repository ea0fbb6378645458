//! Links in a post's HTML made absolute for a feed: a feed reader shows
//! the post away from the site, where `/blog/x` means nothing.
//!
//! The HTML is rewritten by lol_html, so only real attributes change,
//! however they are quoted or spaced, and never text that merely looks like
//! one (`<code>src="/x"</code>`). `srcset` is read as browsers read it: each
//! candidate's URL runs to the next space, its descriptors to the next comma
//! outside parentheses.

use lol_html::{RewriteStrSettings, element, rewrite_str};

/// Attributes holding one URL.
const URL_ATTRIBUTES: [&str; 3] = ["href", "src", "poster"];

/// Makes root-relative URLs (`/…`) in `href`, `src`, `poster` and `srcset`
/// absolute with `base_url` (no trailing slash), so images and links work
/// in a feed reader. Protocol-relative `//…` (and `/\…`, which browsers
/// read the same way), absolute and fragment URLs stay as they are. HTML
/// lol_html cannot rewrite is returned unchanged.
pub fn absolutize(html: &str, base_url: &str) -> String {
    let rewritten = rewrite_str(
        html,
        RewriteStrSettings::new().append_element_content_handler(element!(
            "[href], [src], [poster], [srcset]",
            |el| {
                for name in URL_ATTRIBUTES {
                    if let Some(url) = el.get_attribute(name).and_then(|v| absolute(&v, base_url)) {
                        el.set_attribute(name, &url)?;
                    }
                }
                if let Some(srcset) = el.get_attribute("srcset") {
                    el.set_attribute("srcset", &absolute_srcset(&srcset, base_url))?;
                }
                Ok(())
            }
        )),
    );
    rewritten.unwrap_or_else(|err| {
        tracing::warn!(error = %err, "feed links left relative: the HTML could not be rewritten");
        html.to_string()
    })
}

/// `url` with `base_url` in front when it is root-relative (leading
/// whitespace, which browsers ignore, dropped); `None` otherwise.
fn absolute(url: &str, base_url: &str) -> Option<String> {
    let url = url.trim_start_matches(is_html_space);
    let path = url.strip_prefix('/')?;
    (!path.starts_with(['/', '\\'])).then(|| format!("{base_url}{url}"))
}

/// Every candidate URL of a `srcset` made absolute; separators and
/// descriptors (`2x`, `480w`) kept as written.
fn absolute_srcset(srcset: &str, base_url: &str) -> String {
    let mut out = String::with_capacity(srcset.len() + base_url.len());
    let mut rest = srcset;
    loop {
        let start = rest
            .find(|c: char| !is_html_space(c) && c != ',')
            .unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.is_empty() {
            return out;
        }
        let end = rest.find(is_html_space).unwrap_or(rest.len());
        let url = &rest[..end];
        out.push_str(&absolute(url, base_url).unwrap_or_else(|| url.to_string()));
        rest = &rest[end..];
        // A URL ending in a comma has no descriptors: the next candidate follows.
        if !url.ends_with(',') {
            let descriptors = descriptors_len(rest);
            out.push_str(&rest[..descriptors]);
            rest = &rest[descriptors..];
        }
    }
}

/// Bytes up to the comma that ends a candidate's descriptors (a comma
/// inside parentheses does not), or to the end.
fn descriptors_len(text: &str) -> usize {
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => return at,
            _ => {}
        }
    }
    text.len()
}

/// ASCII whitespace as HTML defines it.
fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{c}' | '\r')
}
