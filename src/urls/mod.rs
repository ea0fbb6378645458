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
pub mod permalink;

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

/// A feed address another engine published, which a migrated site's
/// subscribers' readers still poll: [`other_engines_feed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtherFeed<'a> {
    /// `/feed.xml`: jekyll-feed's, and Zola's when `feed_filenames` names
    /// it (the Rust blog's). Quire's [`ATOM`].
    Atom,
    /// `/index.xml`: Hugo's. Quire's [`RSS`].
    Rss,
    /// `<list>/feed.xml` or `<list>/index.xml`: the feed of a section
    /// (`/posts`), a tag (`/tags/go`) or a category (Hugo's
    /// `/categories/go`), each Quire's Atom feed of that list.
    Of(&'a str),
}

/// Which feed `path` (decoded) was on Zola, Hugo or Jekyll, if it was one.
pub fn other_engines_feed(path: &str) -> Option<OtherFeed<'_>> {
    let (list, file) = path.rsplit_once('/')?;
    let atom = match file {
        "feed.xml" => true,
        "index.xml" => false,
        _ => return None,
    };
    Some(match (list, atom) {
        ("", true) => OtherFeed::Atom,
        ("", false) => OtherFeed::Rss,
        _ => OtherFeed::Of(list),
    })
}

/// A list address another engine published that Quire spells its own
/// way: [`other_engines_list`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtherList<'a> {
    /// `/categories` (Zola's and Hugo's): Quire's [`CATEGORIES`].
    Categories,
    /// The page of one of the site's other taxonomies (`/theme-tags`),
    /// whose terms are tags: Quire's [`TAGS`].
    Tags,
    /// A tag's page (`/tags/<t>`, jekyll-archives' `/tag/<t>`, a term of
    /// one of the site's other taxonomies: `/theme-tags/<t>`), as the
    /// tag was written or slugified by that engine (Hugo keeps dots:
    /// `/tags/1.0`), and its page number (1 for the first).
    Tag(&'a str, u32),
    /// A category's page: `/categories/<c>` (Zola's, Hugo's) or
    /// `/category/<c>` (jekyll-archives').
    Category(&'a str, u32),
    /// An author's page as an `authors` taxonomy spelled it (`/authors/<a>`).
    Author(&'a str, u32),
    /// Page N of the index as jekyll-paginate writes it (`/page2`).
    Index(u32),
}

/// Which list page `path` (decoded, without a trailing slash) was on
/// Zola, Hugo or Jekyll, if it names one; `taxonomies` are the site's
/// other ones (quire.toml's `taxonomies`), whose terms are tags.
pub fn other_engines_list<'a>(path: &'a str, taxonomies: &[String]) -> Option<OtherList<'a>> {
    if path == "/categories" {
        return Some(OtherList::Categories);
    }
    let other = |name: &str| taxonomies.iter().any(|t| t == name);
    if path.strip_prefix('/').is_some_and(other) {
        return Some(OtherList::Tags);
    }
    if let Some(n) = path.strip_prefix("/page").and_then(page_number) {
        return (n >= 2).then_some(OtherList::Index(n));
    }
    let (list, page) = match path.rsplit_once("/page/") {
        Some((list, n)) => (list, page_number(n).filter(|n| *n >= 1)?),
        None => (path, 1),
    };
    let (kind, term) = list.strip_prefix('/')?.split_once('/')?;
    if term.is_empty() || term.contains('/') {
        return None;
    }
    match kind {
        "tags" | "tag" => Some(OtherList::Tag(term, page)),
        "categories" | "category" => Some(OtherList::Category(term, page)),
        "authors" => Some(OtherList::Author(term, page)),
        kind if other(kind) => Some(OtherList::Tag(term, page)),
        _ => None,
    }
}

/// A page number written in digits alone (`u32`'s parser also takes `+2`).
fn page_number(text: &str) -> Option<u32> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| text.parse().ok()).flatten()
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
    fn other_engines_lists_are_named() {
        assert_eq!(
            other_engines_list("/categories", &[]),
            Some(OtherList::Categories)
        );
        assert_eq!(
            other_engines_list("/tags/0.9.10", &[]),
            Some(OtherList::Tag("0.9.10", 1))
        );
        assert_eq!(
            other_engines_list("/tag/Go", &[]),
            Some(OtherList::Tag("Go", 1))
        );
        assert_eq!(
            other_engines_list("/categories/Web Dev/page/3", &[]),
            Some(OtherList::Category("Web Dev", 3))
        );
        assert_eq!(
            other_engines_list("/category/x", &[]),
            Some(OtherList::Category("x", 1))
        );
        assert_eq!(other_engines_list("/page2", &[]), Some(OtherList::Index(2)));
        let theirs = ["theme-tags".to_string()];
        let list = |path| other_engines_list(path, &theirs);
        assert_eq!(list("/theme-tags"), Some(OtherList::Tags));
        assert_eq!(list("/theme-tags/Blog"), Some(OtherList::Tag("Blog", 1)));
        assert_eq!(
            list("/theme-tags/blog/page/2"),
            Some(OtherList::Tag("blog", 2))
        );
        assert_eq!(
            other_engines_list("/theme-tags/blog", &[]),
            None,
            "not declared"
        );
        assert_eq!(list("/theme-tagsx"), None);
        for none in [
            "/tags",
            "/tags/",
            "/tags/a/b",
            "/tags/a/page/x",
            "/tags/a/page/0",
            "/tags/a/page/+2",
            "/blog/a",
            "/page1",
            "/page+2",
            "/pages",
        ] {
            assert_eq!(other_engines_list(none, &[]), None, "{none}");
        }
    }

    #[test]
    fn other_engines_feeds_are_named() {
        assert_eq!(other_engines_feed("/feed.xml"), Some(OtherFeed::Atom));
        assert_eq!(other_engines_feed("/index.xml"), Some(OtherFeed::Rss));
        assert_eq!(
            other_engines_feed("/posts/index.xml"),
            Some(OtherFeed::Of("/posts"))
        );
        assert_eq!(
            other_engines_feed("/tags/go/feed.xml"),
            Some(OtherFeed::Of("/tags/go"))
        );
        for other in ["/atom.xml", "/feed.xml/x", "/blog/x", "/"] {
            assert_eq!(other_engines_feed(other), None, "{other}");
        }
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
