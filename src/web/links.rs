//! The URLs of listing pages, written and read without the router.
//!
//! The server routes with [`super::Route`]; the islands client only needs
//! listing URLs (chips, tags, page links, Back), and naming `Route` there
//! would link every view into the wasm through the router's render table.
//! So listing links are built and parsed here, and the tests check both
//! directions against `Route`.

use percent_encoding::percent_decode_str;

use super::{Filter, ListingKind};
use crate::urls;

/// `/`, or `/?category=…&tag=…` for a filtered index.
pub fn index(filter: &Filter) -> String {
    if filter.is_empty() {
        "/".to_string()
    } else {
        format!("/?{filter}")
    }
}

/// The folder `quire export` writes filtered index pages under.
pub const FILTERED_FOLDER: &str = "_filtered";

/// Where a static host keeps the index filtered by exactly one category
/// or one tag (`/?category=rust` → `/_filtered/category/rust.html`,
/// `/page/2?tag=wasm` → `/_filtered/tag/wasm/page/2.html`), since it
/// ignores query strings: `quire export` writes the page there and the
/// listing island reads it from there when the host answered the query
/// with the plain index. `None` for anything else, or a filter not written
/// canonically.
pub fn static_file(link: &str) -> Option<String> {
    let (path, query) = link.split_once('?')?;
    let (language, path) = language_of(path);
    let page = match path {
        "/" => None,
        _ => {
            let n = path.strip_prefix("/page/")?;
            (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then_some(n)?;
            Some(n)
        }
    };
    let filter = Filter::parse(query);
    if filter.to_string() != query {
        return None;
    }
    let (facet, slug) = match (&filter.category, filter.tags.as_slice()) {
        (Some(category), []) => ("category", category.as_str()),
        (None, [tag]) => ("tag", tag.as_str()),
        _ => return None,
    };
    if slug.contains(['/', '\\']) || slug.starts_with('.') {
        return None;
    }
    Some(match page {
        None => format!("{language}/{FILTERED_FOLDER}/{facet}/{slug}.html"),
        Some(n) => format!("{language}/{FILTERED_FOLDER}/{facet}/{slug}/page/{n}.html"),
    })
}

/// A language's index path split into its prefix and the default
/// language's path (`/fr/page/2` → `/fr`, `/page/2`; `/fr` → `/fr`,
/// `/`); the default language's paths keep an empty prefix. Read
/// leniently (any one segment that is not `page`), as the host rules are:
/// only links the site writes reach here.
fn language_of(path: &str) -> (&str, &str) {
    let Some(rest) = path.strip_prefix('/') else {
        return ("", path);
    };
    let (segment, after) = rest.find('/').map_or((rest, ""), |at| rest.split_at(at));
    let plain = !segment.is_empty() && segment != "page" && !segment.contains(['.', '_']);
    match after {
        "" if plain => (&path[..=segment.len()], "/"),
        after if plain && after.starts_with("/page/") => (&path[..=segment.len()], after),
        _ => ("", path),
    }
}

/// `url` (path and query) as the default language's route, for a page
/// whose language lives under `prefix` (`/fr`: `/fr?tag=x` → `/?tag=x`,
/// `/fr/page/2` → `/page/2`); `None` when it is not under the prefix (a
/// link to another language's pages). With no prefix, `url` itself.
pub fn within(prefix: &str, url: &str) -> Option<String> {
    if prefix.is_empty() {
        return Some(url.to_string());
    }
    let rest = url.strip_prefix(prefix)?;
    match rest.chars().next() {
        None => Some("/".to_string()),
        Some('?') => Some(format!("/{rest}")),
        Some('/') => Some(rest.to_string()),
        Some(_) => None,
    }
}

impl ListingKind {
    /// The URL of `page` of this list (page 1 has no `/page/` part).
    pub fn href(&self, page: u32) -> String {
        let first = page <= 1;
        match self {
            Self::Index(filter) if first => index(filter),
            Self::Index(filter) if filter.is_empty() => urls::index_page(page),
            Self::Index(filter) => format!("{}?{filter}", urls::index_page(page)),
            Self::Category(slug) if first => urls::category(slug),
            Self::Category(slug) => urls::category_page(slug, page),
            Self::Tag(slug) if first => urls::tag(slug),
            Self::Tag(slug) => urls::tag_page(slug, page),
            Self::Section(path) if first => urls::section(path),
            Self::Section(path) => urls::section_page(path, page),
        }
    }

    /// The list and page a URL (path and optional query) shows, when it is a
    /// listing page the way the router reads it; `None` for anything else.
    pub fn parse(url: &str) -> Option<(Self, u32)> {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let segments: Vec<String> = path
            .strip_prefix('/')?
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
            .collect();
        let page = |n: &str| n.parse::<u32>().ok();
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        match segments.as_slice() {
            [] => Some((Self::Index(Filter::from(query)), 1)),
            ["page", n] => Some((Self::Index(Filter::from(query)), page(n)?)),
            ["category", slug] => Some((Self::Category(slug.to_string()), 1)),
            ["category", slug, "page", n] => Some((Self::Category(slug.to_string()), page(n)?)),
            ["tags", slug] => Some((Self::Tag(slug.to_string()), 1)),
            ["tags", slug, "page", n] => Some((Self::Tag(slug.to_string()), page(n)?)),
            _ => None,
        }
    }
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;
    use crate::web::Route;
    use crate::web::components::href;

    fn kinds() -> Vec<ListingKind> {
        vec![
            ListingKind::Index(Filter::default()),
            ListingKind::Index(Filter::from("category=databases")),
            ListingKind::Index(Filter::from("tag=rust&tag=wasm")),
            ListingKind::Index(Filter::from("category=go&tag=rust")),
            ListingKind::Category("databases".into()),
            ListingKind::Tag("rust".into()),
        ]
    }

    #[test]
    fn hrefs_match_the_router() {
        for kind in kinds() {
            for page in [1, 2, 17] {
                assert_eq!(kind.href(page), href(&kind.route(page)), "{kind:?} {page}");
            }
        }
    }

    #[test]
    fn a_language_s_links_read_as_the_default_routes() {
        assert_eq!(within("", "/fr").as_deref(), Some("/fr"));
        assert_eq!(within("/fr", "/fr").as_deref(), Some("/"));
        assert_eq!(within("/fr", "/fr?tag=x").as_deref(), Some("/?tag=x"));
        assert_eq!(within("/fr", "/fr/page/2").as_deref(), Some("/page/2"));
        assert_eq!(within("/fr", "/frites"), None);
        assert_eq!(within("/fr", "/ja/page/2"), None, "another language's");
        assert_eq!(within("/fr", "/?tag=x"), None, "the default language's");
    }

    #[test]
    fn parses_what_it_writes_as_the_router_does() {
        for kind in kinds() {
            for page in [1, 2, 17] {
                let url = kind.href(page);
                assert_eq!(
                    ListingKind::parse(&url),
                    Some((kind.clone(), page)),
                    "{url}"
                );
                assert_eq!(url.parse::<Route>().ok(), Some(kind.route(page)), "{url}");
            }
        }
    }

    #[test]
    fn other_pages_are_not_listings() {
        for url in [
            "/blog/a",
            "/search?q=x",
            "/page/x",
            "/category/a/b",
            "/tags",
            "nope",
        ] {
            assert_eq!(ListingKind::parse(url), None, "{url}");
            let routed = url.parse::<Route>().ok();
            assert!(
                !matches!(
                    routed,
                    Some(
                        Route::Index { .. }
                            | Route::IndexPage { .. }
                            | Route::Category { .. }
                            | Route::CategoryPage { .. }
                            | Route::Tag { .. }
                            | Route::TagPage { .. }
                    )
                ),
                "{url}"
            );
        }
    }
}
