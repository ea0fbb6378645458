//! Every URL Quire serves, written in one place.
//!
//! Pages, feeds, the sitemap, redirects, the cache, live reload and the
//! islands client all build links through these functions, so a post's
//! address is computed by one rule (and always percent-encoded), and the
//! table of paths the site keeps for itself ([`OWN_PATHS`]) is the one
//! list the router's neighbours read: aliases may not take them over
//! (`quire check` and the redirect middleware) and the cache knows which
//! ones it must not store. The Dioxus `web::Route` enum spells the page
//! patterns as attributes; `web::links`' tests check both agree.
//!
//! Below every layer but `model`: compiled into the wasm client too.

pub mod languages;
mod other_engines;
pub mod permalink;

pub use other_engines::{
    OtherFeed, OtherList, other_engines_feed, other_engines_list, other_engines_spellings,
};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// The prefix of every post's address.
pub const POSTS: &str = "/blog/";
/// The search page (its form's `action`).
pub const SEARCH: &str = "/search";
pub const ATOM: &str = "/atom.xml";
pub const RSS: &str = "/rss.xml";
pub const JSON_FEED: &str = "/feed.json";
pub const SITEMAP: &str = "/sitemap.xml";
pub const ROBOTS: &str = "/robots.txt";
pub const HEALTH: &str = "/healthz";
/// Where a Hugo `ref`/`relref` points: the post's key behind this prefix,
/// redirected to the post's address when followed (the address is not
/// known when the linking post is parsed, and may change later).
pub const REFERENCE: &str = "/_ref/";
/// A static export's search index (`quire_find::format::FOLDER`); a live
/// server answers its `meta.json` with no engine: it searches through
/// `/api/search`.
pub const SEARCH_INDEX: &str = "/_search/";
/// The live-reload event stream (`serve --live-reload`).
pub const LIVE_EVENTS: &str = "/_quire/live";

/// Bytes left as they are in a path segment: RFC 3986's unreserved set.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `segment` percent-encoded for a path (every byte outside RFC 3986's
/// unreserved set, `/` included).
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// The address of a post at the top of `content/` under the default
/// pattern: `/blog/<slug>`, encoded. Posts carry their own address
/// ([`crate::model::PostSummary::url`], computed by [`permalink`]); this is
/// for tests and examples.
pub fn post(slug: &str) -> String {
    format!("{POSTS}{}", encode_segment(slug))
}

/// The address that leads to the post with key `key` (see [`REFERENCE`]).
pub fn reference(key: &str) -> String {
    format!("{REFERENCE}{}", permalink::encode(key))
}

/// The list of every tag ([`crate::model::TermsPage`]); a tag's page
/// is below it ([`tag`]).
pub const TAGS: &str = "/tags";
/// The list of every category; a category's page is below it ([`category`]).
pub const CATEGORIES: &str = "/category";
/// The list of every author; an author's page is below it ([`author`]).
pub const AUTHORS: &str = "/authors";

/// A category's first page.
pub fn category(slug: &str) -> String {
    format!("/category/{}", encode_segment(slug))
}

/// A tag's first page.
pub fn tag(slug: &str) -> String {
    format!("/tags/{}", encode_segment(slug))
}

/// Page `page` (2 or more) of a category.
pub fn category_page(slug: &str, page: u32) -> String {
    format!("{}/page/{page}", category(slug))
}

/// Page `page` (2 or more) of a tag.
pub fn tag_page(slug: &str, page: u32) -> String {
    format!("{}/page/{page}", tag(slug))
}

/// An author's page: `/authors/<slug>`.
pub fn author(slug: &str) -> String {
    format!("/authors/{}", encode_segment(slug))
}

/// Page `page` (2 or more) of an author's posts.
pub fn author_page(slug: &str, page: u32) -> String {
    format!("{}/page/{page}", author(slug))
}

/// An author's Atom feed.
pub fn author_feed(slug: &str) -> String {
    format!("{}{ATOM}", author(slug))
}

/// A section's first page: its path (`notes/2024`) under the root, each
/// folder encoded.
pub fn section(path: &str) -> String {
    permalink::encode(&format!("/{path}"))
}

/// Page `page` (2 or more) of a section.
pub fn section_page(path: &str, page: u32) -> String {
    format!("{}/page/{page}", section(path))
}

/// A section's Atom feed.
pub fn section_feed(path: &str) -> String {
    format!("{}{ATOM}", section(path))
}

/// Page `page` (2 or more) of the index.
pub fn index_page(page: u32) -> String {
    format!("/page/{page}")
}

/// A category's Atom feed.
pub fn category_feed(slug: &str) -> String {
    format!("{}{ATOM}", category(slug))
}

/// A tag's Atom feed.
pub fn tag_feed(slug: &str) -> String {
    format!("{}{ATOM}", tag(slug))
}

/// `path` (root-relative) under the public `base` URL (no trailing slash).
pub fn absolute(base: &str, path: &str) -> String {
    format!("{base}{path}")
}

/// Where absolute URLs (canonical links, feeds, the sitemap) point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BaseUrl {
    /// `base_url` as the owner set it: every response names it.
    Fixed(String),
    /// No `base_url` set: the fallback's scheme (`https://` when Quire
    /// serves HTTPS itself, else `http://`) plus the request's `Host`, so
    /// replicas behind one proxy (which all see the same `Host`) serve the
    /// same bytes, and a site opened at any address links to itself. The
    /// fallback is used when a request has no usable `Host`.
    FromHost { fallback: String },
}

impl BaseUrl {
    /// The base for a request whose `Host` header is `host`.
    pub fn resolve(&self, host: Option<&str>) -> String {
        match self {
            Self::Fixed(base) => base.clone(),
            Self::FromHost { fallback } => match host.filter(|h| is_host(h)) {
                Some(host) => {
                    let scheme = if fallback.starts_with("https://") {
                        "https"
                    } else {
                        "http"
                    };
                    format!("{scheme}://{}", host.to_ascii_lowercase())
                }
                None => fallback.clone(),
            },
        }
    }

    /// Whether responses differ by `Host` (the cache must key on it).
    pub fn varies_by_host(&self) -> bool {
        matches!(self, Self::FromHost { .. })
    }
}

/// A `Host` value safe to put in a URL: a name or an IP address with an
/// optional port, nothing that could end the URL or the attribute.
fn is_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
}

/// What the site does with a path it keeps for itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    /// A page or feed: cached.
    Page,
    /// Answered fresh every time (the API, health, live reload, files
    /// beside posts): never cached.
    Live,
}

/// One entry of [`OWN_PATHS`]: an exact path, or a prefix ending in `/`.
#[derive(Clone, Copy, Debug)]
pub struct OwnPath {
    pub path: &'static str,
    pub prefix: bool,
    pub kind: Use,
}

const fn exact(path: &'static str, kind: Use) -> OwnPath {
    OwnPath {
        path,
        prefix: false,
        kind,
    }
}

const fn prefix(path: &'static str, kind: Use) -> OwnPath {
    OwnPath {
        path,
        prefix: true,
        kind,
    }
}

/// The paths the site serves itself, besides posts. An alias may not
/// take any of them (it would 301 a real page away).
pub const OWN_PATHS: &[OwnPath] = &[
    exact("/", Use::Page),
    exact(ATOM, Use::Page),
    exact(RSS, Use::Page),
    exact(JSON_FEED, Use::Page),
    exact(SITEMAP, Use::Page),
    exact(ROBOTS, Use::Page),
    prefix("/sitemaps/", Use::Page),
    exact(SEARCH, Use::Page),
    exact(HEALTH, Use::Live),
    prefix("/api/", Use::Live),
    prefix("/_quire/", Use::Live),
    prefix("/_", Use::Page),
    prefix("/assets/", Use::Page),
    prefix("/category/", Use::Page),
    prefix("/tags/", Use::Page),
    prefix("/authors/", Use::Page),
    prefix("/page/", Use::Page),
];

impl OwnPath {
    fn matches(&self, path: &str) -> bool {
        if self.prefix {
            path.starts_with(self.path)
        } else {
            path == self.path
        }
    }
}

/// The entry of [`OWN_PATHS`] that `path` falls under, most specific first.
pub fn own_path(path: &str) -> Option<&'static OwnPath> {
    OWN_PATHS
        .iter()
        .filter(|own| own.matches(path))
        .max_by_key(|own| own.path.len())
}

/// Whether an alias may not take `path` (trailing slash already removed).
pub fn is_reserved(path: &str) -> bool {
    own_path(path).is_some()
}

/// Whether a response for `path` must never be cached.
pub fn is_live(path: &str) -> bool {
    own_path(path).is_some_and(|own| own.kind == Use::Live)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_follow_the_host_only_when_none_is_set() {
        let fixed = BaseUrl::Fixed("https://blog.example".into());
        assert_eq!(fixed.resolve(Some("evil.example")), "https://blog.example");
        let from_host = BaseUrl::FromHost {
            fallback: "http://127.0.0.1:8080".into(),
        };
        assert_eq!(
            from_host.resolve(Some("Blog.Example:8443")),
            "http://blog.example:8443"
        );
        assert_eq!(from_host.resolve(Some("[::1]:80")), "http://[::1]:80");
        for hostile in ["a\"><script>", "a/b", "a b", "", "a@b"] {
            assert_eq!(
                from_host.resolve(Some(hostile)),
                "http://127.0.0.1:8080",
                "{hostile}"
            );
        }
        assert_eq!(from_host.resolve(None), "http://127.0.0.1:8080");
        let over_https = BaseUrl::FromHost {
            fallback: "https://127.0.0.1:8443".into(),
        };
        assert_eq!(
            over_https.resolve(Some("blog.example")),
            "https://blog.example",
            "Quire serving HTTPS links over HTTPS"
        );
    }

    #[test]
    fn posts_are_always_encoded() {
        assert_eq!(post("a-b"), "/blog/a-b");
        assert_eq!(post("café"), "/blog/caf%C3%A9");
        assert_eq!(post("a/b c"), "/blog/a%2Fb%20c");
        assert_eq!(category_feed("web dev"), "/category/web%20dev/atom.xml");
        assert_eq!(tag_page("c++", 2), "/tags/c%2B%2B/page/2");
    }

    #[test]
    fn the_table_reserves_pages_and_marks_live_paths() {
        for path in [
            "/",
            "/search",
            "/atom.xml",
            "/category/x",
            "/tags/y/page/2",
            "/page/3",
        ] {
            assert!(is_reserved(path), "{path}");
            assert!(!is_live(path), "{path}");
        }
        for path in ["/api/site", "/healthz", "/_quire/live"] {
            assert!(is_live(path), "{path}");
        }
        for path in ["/blog/a", "/old-post", "/2020/01/x", "/searching"] {
            assert!(!is_reserved(path), "{path}");
            assert!(!is_live(path), "{path}");
        }
    }
}
