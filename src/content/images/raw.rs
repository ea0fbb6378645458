//! Files named in a post's raw HTML (`<img src="chart.png">`,
//! `<a href="chart.svg">`, `<video poster>`, `<source src>`, `srcset`),
//! resolved by the same rules as Markdown's images and links.
//!
//! Why: a relative address in raw HTML is resolved by the browser against
//! the page's address, and unless the site keeps Zola's and Hugo's
//! trailing slash (`trailing_slash`), Quire serves a post at
//! `/2025/02/13/survey` rather than `/2025/02/13/survey/`, so `chart.png`
//! beside `index.md` would be fetched from `/2025/02/13/chart.png`: a
//! blog's survey charts all went missing. Each raw HTML node of the
//! Markdown is rewritten before it is rendered, so its problems carry the
//! node's line.

use std::cell::RefCell;

use lol_html::{RewriteStrSettings, element, rewrite_str};

use super::{Localized, Place};

/// `(selector, attribute, is an image)`: the attributes that name a file.
const NAMED: [(&str, &str, bool); 7] = [
    ("img[src]", "src", true),
    ("img[srcset]", "srcset", true),
    ("source[srcset]", "srcset", true),
    ("source[src]", "src", false),
    ("video[src]", "src", false),
    ("video[poster]", "poster", true),
    ("a[href]", "href", false),
];

/// What `<noscript>` is called while lol_html reads the node.
const NOSCRIPT_STANDIN: &str = "quire-noscript";

/// `html` with the tag name `from` (in `<from` and `</from`, any case)
/// written `to`.
fn rename_noscript(html: &str, from: &str, to: &str) -> String {
    let lower = html.to_ascii_lowercase();
    if !lower.contains(from) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 16);
    let mut at = 0;
    while let Some(found) = lower[at..].find(from).map(|i| at + i) {
        let opens = lower[..found].ends_with('<') || lower[..found].ends_with("</");
        let end = found + from.len();
        let whole =
            lower[end..].starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace());
        out.push_str(&html[at..found]);
        out.push_str(if opens && whole {
            to
        } else {
            &html[found..end]
        });
        at = end;
    }
    out.push_str(&html[at..]);
    out
}

impl Localized {
    /// `html` (one raw HTML node, at `line`) with the files it names at
    /// the addresses they are served at.
    pub(super) fn raw_html(
        &mut self,
        place: &Place,
        base: &str,
        html: &str,
        line: usize,
    ) -> String {
        if !["src", "href", "poster"].iter().any(|a| html.contains(a)) {
            return html.to_string();
        }
        let cell = RefCell::new(&mut *self);
        let found = &cell;
        let mut settings = RewriteStrSettings::new();
        for &(selector, attribute, image) in &NAMED {
            settings = settings.append_element_content_handler(element!(selector, move |el| {
                let Some(value) = el.get_attribute(attribute) else {
                    return Ok(());
                };
                let mut found = found.borrow_mut();
                let resolved = if attribute == "srcset" {
                    found.srcset(place, base, &value, line)
                } else if image {
                    found.image(place, base, &value, Some(line))
                } else {
                    found.file(place, base, &value)
                };
                if resolved != value {
                    el.set_attribute(attribute, &resolved)?;
                }
                Ok(())
            }));
        }
        // lol_html reads `<noscript>` as text (as a browser running
        // scripts does), so the files inside are renamed under another name.
        let renamed = rename_noscript(html, "noscript", NOSCRIPT_STANDIN);
        match rewrite_str(&renamed, settings) {
            Ok(out) => rename_noscript(&out, NOSCRIPT_STANDIN, "noscript"),
            Err(_) => html.to_string(),
        }
    }

    /// Each candidate of a `srcset`, resolved as an image.
    fn srcset(&mut self, place: &Place, base: &str, value: &str, line: usize) -> String {
        let candidates: Vec<String> = value
            .split(',')
            .map(|candidate| {
                let candidate = candidate.trim();
                let (url, descriptor) = candidate.split_once(' ').unwrap_or((candidate, ""));
                let url = self.image(place, base, url, Some(line));
                format!("{url} {descriptor}").trim_end().to_string()
            })
            .collect();
        candidates.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::rename_noscript;

    #[test]
    fn only_the_tag_name_is_renamed() {
        let html = "<NoScript><img src=x></noscript> noscript <noscripts>";
        let renamed = rename_noscript(html, "noscript", "quire-noscript");
        assert_eq!(
            renamed,
            "<quire-noscript><img src=x></quire-noscript> noscript <noscripts>"
        );
        assert_eq!(
            rename_noscript(&renamed, "quire-noscript", "noscript"),
            "<noscript><img src=x></noscript> noscript <noscripts>"
        );
    }
}
