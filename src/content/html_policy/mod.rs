//! What happens to raw HTML written inside Markdown: the `raw_html`
//! setting ([`RawHtml`]), the sanitiser ([`sanitize`], ammonia with the
//! allow-list of [`allow`]), and the report of what it removed, per file
//! and line ([`report`]), which `quire check` prints.
//!
//! Kept apart from `markdown` because the rules are a security boundary:
//! one module owns the list, the iframe hosts (`embed_hosts`) and the
//! checks made after ammonia, and its tests (and `tests/hostile.rs`) pin
//! them.

pub mod allow;
pub mod report;
mod style;

use std::cell::RefCell;

use lol_html::{HtmlRewriter, Settings, element};

pub use allow::Removal;

/// The `raw_html` setting: what happens to HTML written in a post.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RawHtml {
    /// Kept through the allow-list; what it removes is reported.
    #[default]
    Sanitize,
    /// Dropped (each block reported), as Markdown's safe mode does.
    Drop,
    /// Passed as written: the author's own responsibility (the
    /// Content-Security-Policy still applies).
    Trust,
}

impl RawHtml {
    /// The values the setting accepts, as written in `quire.toml`.
    pub const CHOICES: [&str; 3] = ["sanitize", "drop", "trust"];

    /// Reads the setting's text (case and spaces ignored).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "sanitize" | "sanitise" => Some(Self::Sanitize),
            "drop" => Some(Self::Drop),
            "trust" => Some(Self::Trust),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sanitize => "sanitize",
            Self::Drop => "drop",
            Self::Trust => "trust",
        }
    }
}

/// Whether the Markdown under `root` has raw HTML other than comments
/// (`<!-- more -->` is a marker, not markup).
pub fn has_raw_html<'a>(root: &'a comrak::nodes::AstNode<'a>) -> bool {
    use comrak::nodes::NodeValue;
    root.descendants().any(|node| match &node.data().value {
        NodeValue::HtmlBlock(block) => !is_comment(&block.literal),
        NodeValue::HtmlInline(text) => !is_comment(text),
        _ => false,
    })
}

/// One HTML comment and nothing else.
fn is_comment(raw: &str) -> bool {
    let raw = raw.trim();
    raw.strip_prefix("<!--")
        .and_then(|rest| rest.find("-->").map(|end| end + 3 == rest.len()))
        .unwrap_or(false)
}

/// Cleans rendered HTML with the allow-list: raw HTML from the author and
/// the markup comrak emits alike (heading anchors, highlighting classes,
/// footnotes and task lists pass unchanged). Iframes stay only with an
/// `https` address on one of `embed_hosts` (lower-case host names).
pub fn sanitize(html: &str, embed_hosts: &[String]) -> String {
    let cleaned = builder(embed_hosts)
        .clean(&without_noscript(html))
        .to_string();
    without_empty_frames_and_inputs(&cleaned)
}

/// `html` with its `<noscript>` and `</noscript>` tags taken out, their
/// content kept. Scripts are always removed, so the fallback a `<noscript>`
/// holds (an image for a chart) is what readers should see; left in, the
/// parser reads its content as text and readers would see the markup.
/// Taken out before parsing, so the sanitiser and the browser read the
/// same elements.
fn without_noscript(html: &str) -> std::borrow::Cow<'_, str> {
    let lower = html.to_ascii_lowercase();
    if !lower.contains("noscript") {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while let Some(found) = next_noscript_tag(&lower, at) {
        out.push_str(&html[at..found.start]);
        at = found.end;
    }
    out.push_str(&html[at..]);
    std::borrow::Cow::Owned(out)
}

/// The byte range of the next `<noscript…>` or `</noscript…>` tag from `from`.
fn next_noscript_tag(lower: &str, from: usize) -> Option<std::ops::Range<usize>> {
    let mut search = from;
    loop {
        let start = search + lower[search..].find("noscript")?;
        let open = lower[..start]
            .strip_suffix('<')
            .or(lower[..start].strip_suffix("</"));
        let after = lower[start + "noscript".len()..].chars().next();
        let is_tag = matches!(after, Some('>' | '/' | ' ' | '\t' | '\n' | '\r' | '\x0c'));
        if let (Some(before), true) = (open, is_tag) {
            let end = start
                + lower[start..]
                    .find('>')
                    .map_or(lower.len() - start, |e| e + 1);
            return Some(before.len()..end);
        }
        search = start + "noscript".len();
    }
}

fn builder(embed_hosts: &[String]) -> ammonia::Builder<'static> {
    let hosts = embed_hosts.to_vec();
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(allow::TAGS.iter().copied().collect())
        .clean_content_tags(allow::CLEAN_CONTENT_TAGS.iter().copied().collect())
        .generic_attributes(allow::GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(
            allow::TAG_ATTRIBUTES
                .iter()
                .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect()))
                .collect(),
        )
        .url_schemes(allow::URL_SCHEMES.iter().copied().collect())
        .link_rel(None)
        .id_prefix(None)
        .set_tag_attribute_value("input", "disabled", "")
        .attribute_filter(move |tag, attr, value| {
            allow::filter_value(tag, attr, value, &hosts).map(Into::into)
        });
    for (attr, value) in allow::IFRAME_SET {
        builder.set_tag_attribute_value("iframe", *attr, *value);
    }
    builder
}

/// What ammonia cannot decide by attribute alone: an iframe whose address
/// was refused goes entirely (not left as an empty frame), and an `<input>`
/// that is not a checkbox goes too. Tidying, not safety: ammonia's output
/// is already inert.
fn without_empty_frames_and_inputs(html: &str) -> String {
    if !html.contains("<iframe") && !html.contains("<input") {
        return html.to_string();
    }
    let output = RefCell::new(Vec::with_capacity(html.len()));
    let settings = Settings::new()
        .append_element_content_handler(element!("iframe:not([src])", |el| {
            el.remove();
            Ok(())
        }))
        .append_element_content_handler(element!("iframe[src]", |el| {
            // ammonia sets these (so they are there whatever happens
            // here), in the order of a HashMap, which changes from one
            // process to the next: a page's bytes, its ETag and an
            // export's unchanged pages with it. Set again, in one order.
            for (attr, value) in allow::IFRAME_SET {
                el.remove_attribute(attr);
                el.set_attribute(attr, value)?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("input", |el| {
            if !allow::input_allowed(el.get_attribute("type").as_deref()) {
                el.remove();
            }
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| {
        output.borrow_mut().extend_from_slice(chunk)
    });
    let written = rewriter
        .write(html.as_bytes())
        .and_then(|()| rewriter.end());
    match written.map(|()| String::from_utf8(output.into_inner())) {
        Ok(Ok(finished)) => finished,
        // ammonia's output is safe already: an iframe without an address
        // is an empty frame, a text input without a form sends nothing.
        _ => html.to_string(),
    }
}

#[cfg(test)]
mod tests;
