//! Where a post lives: the site's permalink patterns and the one rule that
//! turns a pattern, or an address an author wrote (Zola's `path`, Hugo's
//! `url`, Jekyll's `permalink`, `aliases`), into a canonical path.
//!
//! A post's address is computed once, at ingest ([`Permalinks::of`] or an
//! override through [`normalize`]), and stored with the post; pages,
//! feeds, the sitemap and redirects read it from there. Canonical paths
//! are decoded, start with `/` and have no empty, `.` or `..` segment.
//! They end in a slash when the author's pattern or address does, or when
//! the site says every address does (`trailing_slash`, as Zola's and
//! Hugo's addresses all do): a migrated site keeps its addresses, its
//! canonical links and its feed entries' ids as they were. Either way
//! `/a/b` and `/a/b/` are one address ([`key`]): the spelling the post
//! has is served, the other answers one 301 to it.

use std::collections::BTreeMap;

use crate::model::Date;

/// The pattern posts at the top of `content/` get unless set otherwise.
pub const DEFAULT_PATTERN: &str = "/blog/{slug}";
/// The pattern posts in a section (a sub-folder of `content/`) get
/// unless set otherwise: Zola's and Hugo's own default.
pub const DEFAULT_SECTION_PATTERN: &str = "/{section}/{slug}";
/// Every placeholder a pattern may use.
pub const PLACEHOLDERS: &[&str] = &[
    "slug",
    "title",
    "slug_or_title",
    "name",
    "file",
    "categories",
    "year",
    "month",
    "day",
    "section",
];

/// A checked permalink pattern such as `/{year}/{month}/{slug}.html`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern(String);

/// What a pattern's placeholders are filled from.
#[derive(Clone, Copy, Debug)]
pub struct Facts<'a> {
    /// The front matter's `slug`, else the file name's (Zola's and
    /// Jekyll's slug).
    pub slug: &'a str,
    /// The title, slugified (Hugo's `:title`).
    pub title: &'a str,
    /// The front matter's `slug`, else the title, slugified (Hugo's `:slug`).
    pub slug_or_title: &'a str,
    /// The `slug`, else the file name's words, in their case, dots kept
    /// (Jekyll's `:title`).
    pub name: &'a str,
    /// The `slug`, else the file name, as Hugo spells it (`urlize`: lower
    /// case, `_` and dots kept): Hugo's `:slugorfilename`, and the last
    /// segment of its default addresses.
    pub file: &'a str,
    /// The section's path (`notes`, `blog/2024`), empty at the top.
    pub section: &'a str,
    /// Every category, slugified, joined with `/` (Jekyll's `:categories`).
    pub categories: &'a str,
    pub date: Date,
}

impl Pattern {
    /// Checks `text`: it starts with `/`, names `{slug}` or `{title}`, uses only
    /// [`PLACEHOLDERS`] and has no `..`, `?`, `#`, `%` or `\`.
    pub fn parse(text: &str) -> Result<Self, String> {
        if !text.starts_with('/') {
            return Err(format!("`{text}` must start with `/`"));
        }
        if let Some(bad) = ['?', '#', '%', '\\'].iter().find(|c| text.contains(**c)) {
            return Err(format!("`{text}` may not contain `{bad}`"));
        }
        if text
            .split('/')
            .any(|segment| segment == ".." || segment == ".")
        {
            return Err(format!("`{text}` may not contain `.` or `..` segments"));
        }
        for name in placeholders(text)? {
            if !PLACEHOLDERS.contains(&name) {
                return Err(format!(
                    "`{{{name}}}` is not a placeholder; use {}",
                    PLACEHOLDERS.map_braced()
                ));
            }
        }
        // Neovim's monthly news (`/:section/:year/:month/`) is one post a
        // month: a date down to the month names it. Two posts at one
        // address are an error `quire check` names.
        if ![
            "{slug}",
            "{title}",
            "{slug_or_title}",
            "{name}",
            "{file}",
            "{month}",
            "{day}",
        ]
        .iter()
        .any(|p| text.contains(p))
        {
            return Err(format!(
                "`{text}` has no `{{slug}}`, `{{title}}`, `{{slug_or_title}}`, `{{name}}` or `{{file}}` (nor `{{month}}` or `{{day}}`, for one post a month or a day), so every post would get the same address"
            ));
        }
        Ok(Self(text.to_string()))
    }

    /// The canonical path for a post with these facts, with the
    /// pattern's trailing slash when it has one.
    pub fn expand(&self, facts: Facts<'_>) -> String {
        let filled = self
            .0
            .replace("{slug}", facts.slug)
            .replace("{title}", facts.title)
            .replace("{slug_or_title}", facts.slug_or_title)
            .replace("{name}", facts.name)
            .replace("{file}", facts.file)
            .replace("{section}", facts.section)
            .replace("{categories}", facts.categories)
            .replace("{year}", &format!("{:04}", facts.date.year()))
            .replace("{month}", &format!("{:02}", facts.date.month()))
            .replace("{day}", &format!("{:02}", facts.date.day()));
        canonical(&filled)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

trait Braced {
    fn map_braced(&self) -> String;
}

impl Braced for &[&str] {
    fn map_braced(&self) -> String {
        let names: Vec<String> = self.iter().map(|name| format!("`{{{name}}}`")).collect();
        names.join(", ")
    }
}

/// The names between braces in `text`, or an error for an unclosed brace.
fn placeholders(text: &str) -> Result<Vec<&str>, String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("`{text}` has a `{{` that is never closed"))?;
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    Ok(names)
}

/// The site's patterns: one for posts at the top of `content/`, one per
/// section that sets its own, and one for every other section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Permalinks {
    pub top: Pattern,
    pub sections: BTreeMap<String, Pattern>,
    pub other_sections: Pattern,
    /// Every address ends in `/` (`trailing_slash` in quire.toml), as
    /// Zola's always do and Hugo's do unless `uglyURLs`: see [`Self::spelled`].
    pub trailing_slash: bool,
}

impl Default for Permalinks {
    fn default() -> Self {
        Self {
            top: Pattern(DEFAULT_PATTERN.to_string()),
            sections: BTreeMap::new(),
            other_sections: Pattern(DEFAULT_SECTION_PATTERN.to_string()),
            trailing_slash: false,
        }
    }
}

impl Permalinks {
    /// The pattern for posts in `section` (empty: the top of `content/`).
    pub fn pattern(&self, section: &str) -> &Pattern {
        if section.is_empty() {
            return &self.top;
        }
        self.sections.get(section).unwrap_or(&self.other_sections)
    }

    /// A post's canonical path under these patterns.
    pub fn of(&self, facts: Facts<'_>) -> String {
        self.spelled(self.pattern(facts.section).expand(facts))
    }

    /// `address` (canonical) as this site spells addresses: with a
    /// trailing slash when `trailing_slash` is set, unless it names a
    /// file ([`names_a_file`]: `/2019/x.html`, Hugo's `url` of a page kept
    /// at its old file name) or it is the root. A dot alone is no file:
    /// the Rust blog's `/2024/05/02/Rust-1.78.0/`.
    pub fn spelled(&self, address: String) -> String {
        if !self.trailing_slash || address.ends_with('/') || names_a_file(&address) {
            return address;
        }
        format!("{address}/")
    }
}

/// The extensions of the files a page's address may name, as static
/// hosts serve them: never given a trailing slash.
const FILE_EXTENSIONS: &[&str] = &["html", "htm", "xml", "json", "txt"];

/// Whether `address` ends with a file's name (`/x.html`, `/feed.xml`).
pub fn names_a_file(address: &str) -> bool {
    let last = address.rsplit('/').next().unwrap_or_default();
    last.rsplit_once('.').is_some_and(|(_, extension)| {
        FILE_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str())
    })
}

/// The canonical form of an address an author wrote (`path`, `url`,
/// `permalink`, an alias): a leading `/`, no empty segments, the trailing
/// slash as written. `None` when it cannot be a path on this site: a scheme or
/// host, `.`/`..` segments, a query, a fragment, a backslash or a control
/// character.
pub fn normalize(written: &str) -> Option<String> {
    let written = written.trim();
    let unsafe_char = |c: char| c.is_control() || matches!(c, '?' | '#' | '\\');
    if written.contains("://") || written.starts_with("//") || written.contains(unsafe_char) {
        return None;
    }
    if written
        .split('/')
        .any(|segment| segment == "." || segment == "..")
    {
        return None;
    }
    Some(canonical(written))
}

/// `segments` joined with single slashes behind a leading one, and one
/// behind them when `path` ends with a slash.
fn canonical(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let slash = if path.ends_with('/') && !segments.is_empty() {
        "/"
    } else {
        ""
    };
    format!("/{}{slash}", segments.join("/"))
}

/// The address `path` is found by: without its trailing slashes (`/`
/// stays). `/a/b` and `/a/b/` are one address, which the post's own
/// spelling tells apart only when it is served.
pub fn key(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() { "/" } else { trimmed }
}

/// The addresses a static host would also serve a request for `path` at:
/// `/a/b/index.html` and `/a/b.html` are `/a/b`, and `/a/b` is `/a/b.html`.
/// A request for one of them is redirected to the post there in one step.
pub fn static_forms(path: &str) -> Vec<String> {
    if let Some(dir) = path.strip_suffix("/index.html") {
        return vec![canonical(dir)];
    }
    match path.strip_suffix(".html") {
        Some(stem) if !stem.is_empty() => vec![stem.to_string()],
        _ => vec![format!("{path}.html")],
    }
}

/// An encoded path decoded back (`%XX` escapes that are not UTF-8 stay).
pub fn decode(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

/// A canonical path percent-encoded for an `href`, segment by segment.
pub fn encode(path: &str) -> String {
    let segments: Vec<String> = path.split('/').map(super::encode_segment).collect();
    segments.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(slug: &'static str, section: &'static str) -> Facts<'static> {
        Facts {
            slug,
            title: "a-title",
            slug_or_title: "a-title",
            name: "A-Name",
            file: "a_name",
            categories: "",
            section,
            date: Date::new(2019, 3, 7).unwrap(),
        }
    }

    #[test]
    fn patterns_expand_to_canonical_paths() {
        let links = Permalinks::default();
        assert_eq!(links.of(facts("hello", "")), "/blog/hello");
        assert_eq!(links.of(facts("hello", "notes/2019")), "/notes/2019/hello");
        let dated = Pattern::parse("/{year}/{month}/{day}/{slug}.html").unwrap();
        assert_eq!(dated.expand(facts("x", "")), "/2019/03/07/x.html");
        let section = Pattern::parse("/{section}/{slug}/").unwrap();
        assert_eq!(section.expand(facts("x", "")), "/x/");
        let monthly = Pattern::parse("/{section}/{year}/{month}/").unwrap();
        assert_eq!(monthly.expand(facts("x", "news")), "/news/2019/03/");
    }

    #[test]
    fn a_site_of_slashed_addresses_spells_every_one_with_its_slash() {
        let slashed = Permalinks {
            trailing_slash: true,
            ..Permalinks::default()
        };
        assert_eq!(slashed.of(facts("hello", "")), "/blog/hello/");
        assert_eq!(slashed.spelled("/2019/x.html".into()), "/2019/x.html");
        assert_eq!(
            slashed.spelled("/2024/Rust-1.78.0".into()),
            "/2024/Rust-1.78.0/"
        );
        assert_eq!(slashed.spelled("/a/".into()), "/a/");
        assert_eq!(slashed.spelled("/".into()), "/");
        let as_written = Permalinks::default();
        assert_eq!(as_written.spelled("/a".into()), "/a");
        assert_eq!(as_written.spelled("/a/".into()), "/a/");
    }

    #[test]
    fn bad_patterns_say_why() {
        for (text, why) in [
            ("blog/{slug}", "start with `/`"),
            ("/{year}/x", "no `{slug}`"),
            ("/{nom}/{slug}", "not a placeholder"),
            ("/../{slug}", "`..`"),
            ("/{slug}?x", "`?`"),
            ("/{slug", "never closed"),
            ("/%2f/{slug}", "`%`"),
        ] {
            let err = Pattern::parse(text).unwrap_err();
            assert!(err.contains(why), "{text}: {err}");
        }
    }

    #[test]
    fn written_addresses_are_normalised_or_refused() {
        assert_eq!(normalize("2019/03/foo/").as_deref(), Some("/2019/03/foo/"));
        assert_eq!(normalize("//x").as_deref(), None);
        assert_eq!(normalize("/a//b//").as_deref(), Some("/a/b/"));
        assert_eq!(normalize("/").as_deref(), Some("/"));
        assert_eq!(key("/a/b/"), "/a/b");
        assert_eq!(key("/a//"), "/a");
        assert_eq!(key("//"), "/");
        assert_eq!(key("/a"), "/a");
        assert_eq!(
            normalize("/posts/foo.html").as_deref(),
            Some("/posts/foo.html")
        );
        for bad in [
            "https://evil.example/x",
            "/a/../b",
            "/a/./b",
            "/a?b",
            "/a#b",
            "/a\\b",
            "/a\nb",
        ] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
    }

    #[test]
    fn static_host_spellings() {
        assert_eq!(static_forms("/a/b/index.html"), ["/a/b"]);
        assert_eq!(static_forms("/a/b.html"), ["/a/b"]);
        assert_eq!(static_forms("/a/b"), ["/a/b.html"]);
        assert_eq!(encode("/caf\u{e9}/a b"), "/caf%C3%A9/a%20b");
    }
}
