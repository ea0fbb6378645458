//! The hostile-content oracle: finds in a page what a browser would run or
//! what an attacker could inject (scripts other than Quire's own, `on*`
//! attributes, script-capable URLs, frames, styles).
//!
//! Pages are parsed by html5ever (through `scraper`), the HTML5 parsing
//! algorithm browsers implement, so comments, raw-text elements, broken
//! tags and character references are read as a browser reads them.
#![allow(dead_code)]

/// One start tag with lower-cased name and attributes (values decoded).
#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// Raw text up to the matching end tag, for raw-text elements.
    pub text: Option<String>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

const RAW_TEXT: [&str; 7] = [
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "plaintext",
    "noembed",
];

/// Every element of `html` as a browser's parser builds it, in document
/// order (attribute values decoded).
pub fn tags(html: &str) -> Vec<Tag> {
    let document = scraper::Html::parse_document(html);
    document
        .tree
        .nodes()
        .filter_map(|node| {
            let element = node.value().as_element()?;
            let name = element.name().to_string();
            let text = RAW_TEXT.contains(&name.as_str()).then(|| {
                node.children()
                    .filter_map(|child| child.value().as_text().map(|t| t.to_string()))
                    .collect()
            });
            let attrs = element
                .attrs()
                .map(|(name, value)| (name.to_ascii_lowercase(), value.to_string()))
                .collect();
            Some(Tag { name, attrs, text })
        })
        .collect()
}

/// The text of escaped HTML (`&lt;p&gt;…`), decoded as a browser decodes
/// character references.
pub fn decode_entities(text: &str) -> String {
    scraper::Html::parse_fragment(text)
        .root_element()
        .text()
        .collect()
}

/// The scheme a browser sees: controls and spaces removed, lower case.
pub fn scheme_of(url: &str) -> String {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned
        .split_once(':')
        .filter(|(scheme, _)| {
            scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
        .map(|(scheme, _)| scheme.to_string())
        .unwrap_or_default()
}

const URL_ATTRS: [&str; 14] = [
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
    "ping",
    "cite",
    "codebase",
    "lowsrc",
    "dynsrc",
];

/// Elements that never belong in a rendered post or page body.
const FORBIDDEN: [&str; 13] = [
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "style",
    "plaintext",
    "xmp",
    "noembed",
    "param",
    "portal",
];

/// The one host the hostile site lets posts embed (`embed_hosts`).
pub const EMBED_HOST: &str = "www.youtube.com";

/// A frame Quire keeps: an `https` address on [`EMBED_HOST`], sandboxed
/// without top navigation, no `srcdoc`.
fn is_embed(tag: &Tag) -> bool {
    let src = tag.attr("src").unwrap_or_default();
    let sandbox = tag.attr("sandbox").unwrap_or("allow-top-navigation");
    src.starts_with(&format!("https://{EMBED_HOST}/"))
        && tag.attr("srcdoc").is_none()
        && !sandbox.contains("top-navigation")
}

/// Quire's own inline scripts: the theme script in `index.html`, and the
/// Dioxus hydration bootstrap and data.
fn is_known_inline_script(text: &str) -> bool {
    let text = text.trim();
    if text.starts_with("try{var t=localStorage.getItem(\"quire-theme\")") {
        return true;
    }
    if text.starts_with("window.hydrate_queue=[];window.dx_hydrate=") {
        return !text.contains("</") && !text.contains("alert");
    }
    if let Some(rest) = text.strip_prefix("window.initial_dioxus_hydration_data=\"") {
        let Some((data, rest)) = rest.split_once('"') else {
            return false;
        };
        let base64 = data
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
        return base64 && debug_hydration_tail(rest);
    }
    false
}

/// Debug builds follow the data with the Rust type names and source
/// locations of each value, as JSON arrays of strings: each must parse.
fn debug_hydration_tail(rest: &str) -> bool {
    let mut rest = rest.trim().trim_start_matches(';');
    for name in [
        "window.initial_dioxus_hydration_debug_types=",
        "window.initial_dioxus_hydration_debug_locations=",
    ] {
        let Some(after) = rest.strip_prefix(name) else {
            continue;
        };
        let Some(end) = after.find("];") else {
            return false;
        };
        let strings = serde_json::from_str::<Vec<String>>(&after[..=end]);
        if strings.is_err() {
            return false;
        }
        rest = after[end + 2..].trim_start();
    }
    rest.trim().trim_end_matches(';').is_empty()
}

/// Everything in a page that could run script or inject markup, as
/// readable problems. `context` names the page in the messages.
pub fn problems(context: &str, html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in tags(html) {
        let name = tag.name.as_str();
        for (attr, value) in &tag.attrs {
            if attr.starts_with("on") {
                found.push(format!("{context}: <{name} {attr}={value:?}>"));
            }
            if URL_ATTRS.contains(&attr.as_str()) {
                let scheme = scheme_of(value);
                let image_data = scheme == "data"
                    && matches!(name, "img" | "source")
                    && value.trim().to_ascii_lowercase().starts_with("data:image/");
                if matches!(
                    scheme.as_str(),
                    "javascript" | "vbscript" | "data" | "livescript"
                ) && !image_data
                {
                    found.push(format!("{context}: <{name} {attr}={value:?}>"));
                }
            }
            if attr == "style" && value.to_ascii_lowercase().contains("url(") {
                found.push(format!("{context}: <{name} style={value:?}>"));
            }
        }
        if name == "iframe" && is_embed(&tag) {
            // A sandboxed frame from the embed host the hostile site lists.
        } else if FORBIDDEN.contains(&name) {
            found.push(format!("{context}: forbidden element <{name}>"));
        }
        if name == "meta" {
            if tag.attr("http-equiv").is_some() {
                found.push(format!("{context}: <meta http-equiv>"));
            }
            if let Some(content) = tag.attr("content") {
                let scheme = scheme_of(content);
                if matches!(scheme.as_str(), "javascript" | "vbscript" | "data") {
                    found.push(format!("{context}: <meta content={content:?}>"));
                }
            }
        }
        if name == "link" {
            let rel = tag.attr("rel").unwrap_or("").to_ascii_lowercase();
            if rel.contains("import") {
                found.push(format!("{context}: <link rel=import>"));
            }
        }
        if name == "script" {
            let text = tag.text.as_deref().unwrap_or("");
            let ty = tag.attr("type").unwrap_or("").trim().to_ascii_lowercase();
            if let Some(src) = tag.attr("src") {
                let same_origin = src.starts_with('/') && !src.starts_with("//");
                if !same_origin || !text.trim().is_empty() {
                    found.push(format!("{context}: <script src={src:?}>"));
                }
            } else if ty == "application/ld+json" {
                if text.contains('<') {
                    found.push(format!("{context}: JSON-LD holds a raw '<': {text:.200}"));
                }
                if serde_json::from_str::<serde_json::Value>(text).is_err() {
                    found.push(format!("{context}: JSON-LD is not valid JSON: {text:.200}"));
                }
            } else if !is_known_inline_script(text) {
                found.push(format!("{context}: unknown inline script: {text:.200}"));
            }
        }
    }
    found
}

/// The inline scripts of a page a browser would run (for CSP checks).
pub fn inline_scripts(html: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .filter(|t| t.name == "script" && t.attr("src").is_none())
        .filter(|t| {
            let ty = t.attr("type").unwrap_or("").trim().to_ascii_lowercase();
            ty.is_empty() || ty == "module" || ty.contains("javascript")
        })
        .map(|t| t.text.unwrap_or_default())
        .collect()
}
