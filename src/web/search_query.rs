//! The search page's URL: `/search?q=postgres+vacuum`.
//!
//! The query string is `application/x-www-form-urlencoded`, what the search
//! form submits; `form_urlencoded` decodes it leniently (bytes that do not
//! decode are kept as typed), so no query string can fail to render the page.
//!
//! dioxus-router 0.7 percent-decodes the whole query string once before a
//! route's `FromQuery` sees it, so by then `q=c%2B%2B` (`c++`) and `q=c++`
//! (`c  `) look alike, and `q=a%26b` has lost its `b`. The search page
//! therefore reads the query as the browser sent it ([`SearchQuery::of_page`]);
//! the router's copy is the fallback.

use std::fmt;

/// Results on the search page.
pub const PAGE_RESULTS: u32 = 20;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    pub q: String,
}

impl SearchQuery {
    /// Parses a raw (still encoded) query string such as `q=c%2B%2B&x=1`.
    pub fn parse(query: &str) -> Self {
        let q = form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .find(|(key, _)| key == "q")
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default();
        Self { q }
    }

    /// The search of the page being rendered on the server, from the
    /// request's raw query string. `None` outside a request (tests, tools).
    pub fn of_page() -> Option<Self> {
        raw_page_query().map(|query| Self::parse(&query))
    }
}

/// The raw query string of the request being rendered on the server.
#[cfg(feature = "server")]
pub(crate) fn raw_page_query() -> Option<String> {
    let context = dioxus::fullstack::FullstackContext::current()?;
    let query = context
        .parts_mut()
        .uri
        .query()
        .unwrap_or_default()
        .to_owned();
    Some(query)
}

#[cfg(not(feature = "server"))]
pub(crate) fn raw_page_query() -> Option<String> {
    None
}

/// What the router hands over: the query string after its own decoding
/// pass. Parsed the same way; exact only for text without `%`, `+` or `&`.
impl From<&str> for SearchQuery {
    fn from(query: &str) -> Self {
        Self::parse(query)
    }
}

impl fmt::Display for SearchQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "q={}", encode(&self.q))
    }
}

/// Text → a query-string value, as a browser's form would send it
/// (space as `+`, everything but unreserved characters escaped).
pub fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_any_text() {
        for text in [
            "postgres vacuum",
            "a&b=c",
            "\"quoted\" + 100%",
            "🦀 crab",
            "",
        ] {
            let query = SearchQuery {
                q: text.to_string(),
            };
            assert_eq!(SearchQuery::parse(&query.to_string()), query);
        }
    }

    #[test]
    fn decodes_what_a_browser_form_sends() {
        assert_eq!(SearchQuery::parse("q=c%2B%2B").q, "c++");
        assert_eq!(SearchQuery::parse("?q=rust+async").q, "rust async");
        assert_eq!(SearchQuery::parse("q=a%26b&x=1").q, "a&b");
        assert_eq!(SearchQuery::parse("q=%2541").q, "%41");
        assert_eq!(SearchQuery::parse("q=caf%C3%A9").q, "café");
    }

    #[test]
    fn malformed_escapes_are_kept_as_typed() {
        assert_eq!(SearchQuery::parse("q=100%&x=1").q, "100%");
        assert_eq!(SearchQuery::parse("q=%zz%4").q, "%zz%4");
        assert_eq!(SearchQuery::parse("q=%+a").q, "% a");
        assert_eq!(SearchQuery::parse("q=%FF").q, "\u{FFFD}");
        assert_eq!(SearchQuery::parse("nothing").q, "");
    }
}
