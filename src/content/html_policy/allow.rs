//! The allow-list: which elements, attributes and URLs of raw HTML are
//! kept. One table, read twice: by [`super::sanitize`] to configure ammonia,
//! and by [`removals`] to tell the author what ammonia will take out (so
//! `quire check` and the sanitiser cannot disagree about the rules).
//!
//! Generous for what blog authors write (tables, `details`, figures,
//! pictures, media, `progress`/`meter`, inline semantics); nothing that can
//! run code, load a plugin, submit a form, restyle the page or change where
//! its links point (`script`, `style`, `form`, `object`, `embed`, `base`,
//! `meta`, `link`, `on*` attributes, `javascript:` URLs). `style`
//! attributes keep the declarations [`super::style`] allows.

use ammonia::Url;

/// Elements kept (with the attributes below). `input` is kept only as a
/// disabled checkbox (task lists); `iframe` only from an embed host.
pub(super) const TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "article",
    "aside",
    "audio",
    "b",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "meter",
    "ol",
    "p",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// Elements removed together with their content.
pub(super) const CLEAN_CONTENT_TAGS: &[&str] = &["script", "style"];

/// Attributes every kept element may carry.
pub(super) const GENERIC_ATTRIBUTES: &[&str] = &[
    "class",
    "style",
    "id",
    "title",
    "lang",
    "dir",
    "aria-hidden",
    "aria-label",
    "aria-describedby",
    "role",
    // Microdata (schema.org), which galleries copied into posts carry.
    "itemscope",
    "itemtype",
    "itemprop",
    // Keyboard focus: `0` makes a scrollable table or code block reachable
    // by keyboard, `-1` a heading a skip link moves to (Hugo's and Docsy's
    // generated headings carry it). A positive value reorders the page's
    // tab order, which WCAG advises against: that one is removed.
    "tabindex",
];

const CELL: &[&str] = &[
    "align", "valign", "colspan", "rowspan", "headers", "scope", "width",
];
/// `align` on blocks: a README's `<p align="center">`, which GitHub keeps
/// and the theme and project pages of real sites copy (Zola's own site).
const ALIGNED: &[&str] = &["align"];
const MEDIA: &[&str] = &[
    "src",
    "controls",
    "muted",
    "loop",
    "preload",
    "width",
    "height",
    "poster",
    "playsinline",
];

/// Attributes kept per element, besides [`GENERIC_ATTRIBUTES`].
pub(super) const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    (
        "a",
        &[
            "href",
            "hreflang",
            "name",
            "rel",
            "target",
            "data-footnote-ref",
            "data-footnote-backref",
            "data-footnote-backref-idx",
            "data-heading-content",
        ],
    ),
    ("abbr", &[]),
    ("audio", &["src", "controls", "muted", "loop", "preload"]),
    ("blockquote", &["cite"]),
    ("col", &["span", "width", "align"]),
    ("colgroup", &["span", "width", "align"]),
    ("data", &["value"]),
    ("del", &["cite", "datetime"]),
    ("details", &["open"]),
    ("div", ALIGNED),
    ("h1", ALIGNED),
    ("h2", ALIGNED),
    ("h3", ALIGNED),
    ("h4", ALIGNED),
    ("h5", ALIGNED),
    ("h6", ALIGNED),
    (
        "iframe",
        &[
            "src",
            "width",
            "height",
            "allow",
            "allowfullscreen",
            "frameborder",
        ],
    ),
    (
        "img",
        &[
            "src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding", "align",
            "border", "hspace", "vspace",
        ],
    ),
    ("input", &["type", "checked", "disabled"]),
    ("ins", &["cite", "datetime"]),
    ("li", &["value"]),
    ("meter", &["value", "min", "max", "low", "high", "optimum"]),
    ("ol", &["start", "reversed", "type"]),
    ("p", ALIGNED),
    ("pre", &["lang"]),
    ("progress", &["value", "max"]),
    ("q", &["cite"]),
    ("section", &["data-footnotes"]),
    (
        "source",
        &["src", "srcset", "sizes", "type", "media", "width", "height"],
    ),
    (
        "table",
        &["align", "border", "cellpadding", "cellspacing", "width"],
    ),
    ("tbody", &["align", "valign"]),
    ("td", CELL),
    ("tfoot", &["align", "valign"]),
    ("th", CELL),
    ("thead", &["align", "valign"]),
    ("time", &["datetime"]),
    ("tr", &["align", "valign"]),
    ("track", &["src", "kind", "srclang", "label", "default"]),
    ("ul", &["type"]),
    ("video", MEDIA),
];

/// Attributes Quire sets on every kept iframe, whatever the author wrote.
pub(super) const IFRAME_SET: &[(&str, &str)] = &[
    (
        "sandbox",
        "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation",
    ),
    ("loading", "lazy"),
    ("referrerpolicy", "strict-origin-when-cross-origin"),
];

/// URL schemes kept in `href`, `src` and `poster` (relative URLs are kept too).
pub(super) const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// `rel` values kept on links; others are dropped from the list.
const REL_VALUES: &[&str] = &[
    "nofollow",
    "noopener",
    "noreferrer",
    "ugc",
    "sponsored",
    "external",
    "me",
    "author",
    "license",
    "tag",
    "bookmark",
    "help",
    "prev",
    "next",
];

/// Whether `attr` is on the list for `tag` (before any value check).
pub(super) fn listed(tag: &str, attr: &str) -> bool {
    GENERIC_ATTRIBUTES.contains(&attr)
        || TAG_ATTRIBUTES
            .iter()
            .any(|(t, attrs)| *t == tag && attrs.contains(&attr))
        || (tag == "iframe" && IFRAME_SET.iter().any(|(a, _)| *a == attr))
}

/// Whether ammonia checks the scheme of this attribute (its `is_url_attr`).
pub(super) fn is_url_attribute(tag: &str, attr: &str) -> bool {
    matches!(attr, "href" | "src") || (tag == "video" && attr == "poster")
}

/// A URL ammonia keeps: a listed scheme, or relative.
pub(super) fn url_allowed(value: &str) -> bool {
    match Url::parse(value) {
        Ok(url) => URL_SCHEMES.contains(&url.scheme()),
        Err(e) => e == ammonia::url::ParseError::RelativeUrlWithoutBase,
    }
}

/// The value kept for an attribute that passed the list and the scheme
/// check, or `None` to remove it: the one filter given to ammonia.
pub(super) fn filter_value(
    tag: &str,
    attr: &str,
    value: &str,
    embed_hosts: &[String],
) -> Option<String> {
    match (tag, attr) {
        ("iframe", "src") => embed_host(value, embed_hosts).map(|_| value.to_string()),
        (_, "srcset") => srcset_allowed(value).then(|| value.to_string()),
        ("a", "rel") => {
            let kept: Vec<&str> = value
                .split_ascii_whitespace()
                .filter(|v| REL_VALUES.contains(&v.to_ascii_lowercase().as_str()))
                .collect();
            (!kept.is_empty()).then(|| kept.join(" "))
        }
        // A named window (`target="charts"`) opens a new one, as `_blank`
        // does; `_top` and `_parent` would only matter inside a frame.
        ("a", "target") => match value.to_ascii_lowercase().as_str() {
            "_blank" | "_self" => Some(value.to_ascii_lowercase()),
            "_top" | "_parent" | "_unfencedtop" => None,
            _ => Some("_blank".to_string()),
        },
        (_, "tabindex") => matches!(value.trim(), "0" | "-1").then(|| value.trim().to_string()),
        (_, "style") => {
            let (kept, _) = super::style::filter(value);
            (!kept.is_empty()).then_some(kept)
        }
        _ => Some(value.to_string()),
    }
}

/// The host of an `https` address on one of `embed_hosts`.
pub(super) fn embed_host(src: &str, embed_hosts: &[String]) -> Option<String> {
    let url = Url::parse(src.trim()).ok()?;
    let plain = url.scheme() == "https"
        && url.username().is_empty()
        && url.password().is_none()
        && url.port().is_none();
    let host = url.host_str()?.to_ascii_lowercase();
    (plain && embed_hosts.contains(&host)).then_some(host)
}

/// Every candidate of a `srcset` is an allowed URL.
fn srcset_allowed(value: &str) -> bool {
    value.split(',').all(|candidate| {
        candidate
            .split_ascii_whitespace()
            .next()
            .is_none_or(url_allowed)
    })
}

/// A script URL is never worth keeping; another scheme may be.
fn url_fix(value: &str) -> String {
    let scheme = Url::parse(value).map(|u| u.scheme().to_string());
    let script = matches!(scheme.as_deref(), Ok("javascript" | "vbscript"));
    let trust = if script { BLOCKED } else { TRUST };
    format!("use an http(s), mailto: or tel: address or a relative one; {trust}")
}

/// Whether a kept `<input>` is a checkbox (the only kind Markdown makes).
pub(super) fn input_allowed(kind: Option<&str>) -> bool {
    kind.is_some_and(|k| k.trim().eq_ignore_ascii_case("checkbox"))
}

/// One thing the sanitiser removes from a start tag, for the author.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removal {
    /// What goes: "`<form>` (its text is kept)", "the `onclick` attribute of `<b>`".
    pub what: String,
    pub fix: String,
}

/// What the sanitiser removes from one start tag with these attributes.
pub fn removals(tag: &str, attrs: &[(String, String)], embed_hosts: &[String]) -> Vec<Removal> {
    let get = |name: &str| {
        attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if let Some(whole) = removed_element(tag, get, embed_hosts) {
        return vec![whole];
    }
    attrs
        .iter()
        .filter_map(|(name, value)| removed_attribute(tag, name, value, embed_hosts))
        .collect()
}

/// The way out for markup that is safe but not on the list.
const TRUST: &str =
    "or set raw_html = \"trust\" in quire.toml to keep raw HTML as written (at your own risk)";
/// Why `trust` would not help: the browser blocks it anyway.
const BLOCKED: &str = "the Content-Security-Policy blocks it in every mode";

fn removed_element<'v>(
    tag: &str,
    get: impl Fn(&str) -> Option<&'v str>,
    embed_hosts: &[String],
) -> Option<Removal> {
    let removal = |what: String, fix: String| Some(Removal { what, fix });
    if CLEAN_CONTENT_TAGS.contains(&tag) {
        return removal(
            format!("`<{tag}>` and its content"),
            format!("remove it: {BLOCKED} (a style sheet belongs in the theme)"),
        );
    }
    if tag == "iframe" {
        return iframe_removal(get("src"), embed_hosts);
    }
    if tag == "input" && !input_allowed(get("type")) {
        let fix = format!("only task-list checkboxes are kept: remove it, {TRUST}");
        return removal("`<input>`".into(), fix);
    }
    if tag == "noscript" {
        let fix =
            "nothing to do: scripts never run on a Quire page, so what it holds is always shown";
        return removal(
            "`<noscript>` (unwrapped: its content is shown)".into(),
            fix.into(),
        );
    }
    if !TAGS.contains(&tag) {
        let fix = format!("write it in Markdown or with kept elements, {TRUST}");
        return removal(format!("`<{tag}>` (its text is kept)"), fix);
    }
    None
}

fn iframe_removal(src: Option<&str>, embed_hosts: &[String]) -> Option<Removal> {
    let src = src.unwrap_or_default();
    if embed_host(src, embed_hosts).is_some() {
        return None;
    }
    let url = Url::parse(src.trim()).ok();
    let host = url.as_ref().and_then(|u| u.host_str()).unwrap_or_default();
    let fix = match url.as_ref().map(Url::scheme) {
        Some("https") if !host.is_empty() => {
            format!("add \"{host}\" to `embed_hosts` in quire.toml")
        }
        _ => {
            "embed only `https://` addresses of a host listed in `embed_hosts` in quire.toml".into()
        }
    };
    Some(Removal {
        what: format!("`<iframe src=\"{src}\">`"),
        fix,
    })
}

/// The declarations of a `style` attribute that go ([`super::style`]).
fn removed_style(tag: &str, value: &str) -> Option<Removal> {
    let (_, dropped) = super::style::filter(value);
    if dropped.is_empty() {
        return None;
    }
    Some(Removal {
        what: format!("`{}` in the `style` attribute of `<{tag}>`", dropped.join("`, `")),
        fix: "use a class of the theme instead: positioning, layering and anything fetched (`url(…)`) \
              are never kept in a style attribute, in any mode but \"trust\""
            .to_string(),
    })
}

fn removed_attribute(
    tag: &str,
    name: &str,
    value: &str,
    embed_hosts: &[String],
) -> Option<Removal> {
    let what = format!("the `{name}` attribute of `<{tag}>`");
    if name == "style" {
        return removed_style(tag, value);
    }
    let fix = if !listed(tag, name) {
        match name {
            "style" => format!("use a class of the theme instead: {BLOCKED}"),
            n if n.starts_with("on") => format!("remove it: {BLOCKED}"),
            _ => format!("remove it, {TRUST}"),
        }
    } else if is_url_attribute(tag, name) && !url_allowed(value) {
        url_fix(value)
    } else if filter_value(tag, name, value, embed_hosts).is_none() {
        format!("`{value}` is not a value Quire keeps here: remove it, {TRUST}")
    } else {
        return None;
    };
    Some(Removal { what, fix })
}
