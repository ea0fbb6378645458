//! The cache key of a request: which page it names, in canonical form.
//!
//! Two requests share a cached page exactly when the page would render the
//! same for both. So the key is built from the very parsers the pages read
//! their query with ([`Filter::parse`] for listings, [`SearchQuery::parse`]
//! for search), never from the raw text: `/?%74ag=x`, `/?TAG=x` or
//! `/?tag%3Dx` cannot be stored under `/` unless the page itself reads them
//! as no filter. Everything else in a query string (`utm_source`, junk)
//! leaves the key unchanged, so a flood of made-up query strings or Host
//! headers (absolute URLs come from `base_url`) cannot push real pages out.

use axum::extract::Request;

use crate::web::{Filter, SearchQuery};

/// The canonical key: normalised path, then the page parameters the page
/// reads, in their canonical form.
pub fn of(request: &Request) -> String {
    let uri = request.uri();
    let path = canonical_path(uri.path());
    let query = uri.query().unwrap_or("");
    let parameters = page_parameters(&path, query);
    if parameters.is_empty() {
        path
    } else {
        format!("{path}?{parameters}")
    }
}

/// [`of`], for a site whose pages name the request's `Host` (no
/// `base_url`): one entry per host, so a request cannot store links to
/// its own host under another's page.
pub fn with_host(request: &Request) -> String {
    let host = request
        .headers()
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    format!("{}@{host}", of(request))
}

/// The parameters a page at `path` reads, canonical: the filter on the
/// index and its pages, the query on search, nothing elsewhere. Paths are
/// classified leniently (empty segments ignored), so a path the router
/// might read as a listing never loses its filter from the key: behind
/// any one segment too, which may be a language's prefix (`/fr?tag=x`,
/// `/fr/page/2?tag=x`, `/fr/search?q=x`; `urls::languages`). The price
/// of not knowing the site's prefixes here is at most a few more keys
/// for one page, each still in canonical form.
fn page_parameters(path: &str, query: &str) -> String {
    if query.is_empty() {
        return String::new();
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["search"] | [_, "search"] => search_parameters(query),
        [] | ["page", _] | [_, "page", _] => Filter::parse(query).to_string(),
        // A prefix is a language tag: never a file's name (`/atom.xml`).
        [prefix] if !prefix.contains('.') => Filter::parse(query).to_string(),
        _ => String::new(),
    }
}

fn search_parameters(query: &str) -> String {
    let search = SearchQuery::parse(query);
    if search.q.is_empty() {
        return String::new();
    }
    match crate::search::language_parameter(query) {
        Some(language) => format!("{search}&lang={language}"),
        None => search.to_string(),
    }
}

/// The path with escapes of unreserved characters decoded (`/%62log/a` is
/// `/blog/a`, RFC 3986 §6.2.2.2) and other escapes in upper case, so
/// equivalent spellings share one entry and its invalidation. An escaped
/// `/`, `?` or `%` stays escaped: decoding them would change the route.
pub fn canonical_path(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match escaped_byte(bytes, i) {
            Some(byte) if is_unreserved(byte) => out.push(byte),
            Some(byte) => out.extend_from_slice(format!("%{byte:02X}").as_bytes()),
            None => {
                // Any other byte as it came, raw UTF-8 included (hyper
                // accepts a valid UTF-8 path unescaped).
                out.push(bytes[i]);
                i += 1;
                continue;
            }
        }
        i += 3;
    }
    // Only ASCII was replaced, by ASCII: the bytes are still `path`'s UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| path.to_string())
}

/// The byte a `%XX` escape at `at` stands for, if one is there.
fn escaped_byte(bytes: &[u8], at: usize) -> Option<u8> {
    if bytes[at] != b'%' {
        return None;
    }
    let hex = std::str::from_utf8(bytes.get(at + 1..at + 3)?).ok()?;
    u8::from_str_radix(hex, 16)
        .ok()
        .filter(|_| hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::header;

    fn key(uri: &str) -> String {
        let request = Request::builder()
            .uri(uri)
            .header(header::HOST, "a")
            .body(Body::empty())
            .unwrap();
        of(&request)
    }

    #[test]
    fn keys_keep_only_what_pages_read() {
        assert_eq!(key("/"), "/");
        assert_eq!(key("/?utm_source=x&flood=2"), "/");
        assert_eq!(
            key("/?x=1&tag=b&category=c&tag=a&q"),
            "/?category=c&tag=a&tag=b"
        );
        assert_eq!(key("/search?ref=1&q=a+b"), "/search?q=a+b");
        assert_eq!(key("/search?q=a%20b"), "/search?q=a+b");
        assert_eq!(key("/blog/a?tag=x&q=y"), "/blog/a");
        assert_eq!(key("/atom.xml?tag=x"), "/atom.xml");
        assert_eq!(key("/?q=flood"), "/");
        assert_eq!(key("/search?tag=x"), "/search");
        assert_eq!(key("/category/go?tag=x"), "/category/go");
    }

    #[test]
    fn a_language_s_listings_and_search_keep_their_parameters() {
        assert_eq!(key("/fr?category=Kitchen&utm=1"), "/fr?category=kitchen");
        assert_ne!(key("/fr?category=kitchen"), key("/fr"));
        assert_eq!(key("/fr/page/2?%74ag=x"), "/fr/page/2?tag=x");
        assert_eq!(key("/fr/search?q=pain&x=1"), "/fr/search?q=pain");
        assert_eq!(
            key("/fr/blog/pain?tag=x"),
            "/fr/blog/pain",
            "a post reads none"
        );
    }

    #[test]
    fn the_search_language_is_keyed_in_canonical_form() {
        assert_eq!(key("/search?lang=fr-CA&q=a"), "/search?q=a&lang=fr");
        assert_eq!(key("/search?q=a&lang=FR"), "/search?q=a&lang=fr");
        assert_eq!(key("/search?q=a&lang=%3Cx%3E"), "/search?q=a");
        assert_eq!(key("/search?lang=fr"), "/search");
    }

    #[test]
    fn encoded_parameter_names_are_read_as_the_page_reads_them() {
        assert_eq!(key("/?%74ag=moved"), "/?tag=moved");
        assert_eq!(key("/search?%71=evil"), "/search?q=evil");
        assert_eq!(key("/page/2?%74ag=rust"), "/page/2?tag=rust");
        // Decoded once, as the page decodes them: no filter at all.
        assert_eq!(key("/?tag%3Dx"), "/");
        assert_eq!(key("/?a=1%26tag%3Dx"), "/");
    }

    #[test]
    fn case_order_and_repeats_share_one_key() {
        assert_eq!(key("/?tag=RUST&tag=go"), key("/?tag=go&tag=rust&tag=Rust"));
        assert_eq!(key("/?category=Go"), "/?category=go");
    }

    #[test]
    fn equivalent_paths_share_one_key() {
        assert_eq!(canonical_path("/%62log/%61"), "/blog/a");
        assert_eq!(canonical_path("/blog/caf%c3%a9"), "/blog/caf%C3%A9");
        assert_eq!(
            canonical_path("/category/a%2Fpage%2F2"),
            "/category/a%2Fpage%2F2"
        );
        assert_eq!(canonical_path("/100%"), "/100%");
        assert_eq!(canonical_path("/%zz%4"), "/%zz%4");
        assert_eq!(canonical_path("/%+1"), "/%+1", "a sign is no hex digit");
        assert_eq!(canonical_path("/blog/café%41"), "/blog/caféA");
        assert_eq!(canonical_path("/é%"), "/é%");
    }
}
