//! The index filter, as it appears in the URL: `?category=databases&tag=rust&tag=wasm`.
//!
//! Parsing is lenient: unknown keys and malformed pairs are ignored, so a
//! mangled query string still renders a page.
//!
//! [`Filter::parse`] is the one reading of a listing's query string: the
//! page renders from it ([`Filter::of_page`]) and the page cache keys the
//! page by its [`fmt::Display`] form (`server::cache::key`), so two query
//! strings share a cached page exactly when they show the same page.
//! The form is canonical: names and values decoded once, values slugified
//! (so `Rust` and `rust` are one tag), tags sorted and without repeats.

use std::fmt;

use crate::model::ListingQuery;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Category slug.
    pub category: Option<String>,
    /// Tag slugs; a post must carry all of them.
    pub tags: Vec<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.category.is_none() && self.tags.is_empty()
    }

    /// The same filter with `category` selected (or cleared when it already is).
    pub fn toggle_category(&self, category: &str) -> Self {
        let category = (self.category.as_deref() != Some(category)).then(|| category.to_string());
        Self {
            category,
            tags: self.tags.clone(),
        }
    }

    /// The same filter with `tag` added, or removed when present.
    pub fn toggle_tag(&self, tag: &str) -> Self {
        let mut tags: Vec<String> = self.tags.iter().filter(|t| *t != tag).cloned().collect();
        if tags.len() == self.tags.len() {
            insert_sorted(&mut tags, tag.to_string());
        }
        Self {
            category: self.category.clone(),
            tags,
        }
    }

    /// Reads a raw (still percent-encoded) query string such as
    /// `category=go&tag=wasm&tag=Rust&utm_source=x`, decoding it once as a
    /// browser's form encodes it.
    pub fn parse(query: &str) -> Self {
        let mut filter = Filter::default();
        for (key, value) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
            let value = crate::model::slugify(&value);
            if value.is_empty() {
                continue;
            }
            match key.as_ref() {
                "category" => filter.category = Some(value),
                "tag" => insert_sorted(&mut filter.tags, value),
                _ => {}
            }
        }
        filter
    }

    /// The filter of the listing page being rendered on the server, from
    /// the request's raw query string (the router's copy has been decoded
    /// once already: `?tag%3Dx` reaches it as `tag=x`). `None` outside a
    /// request.
    pub fn of_page() -> Option<Self> {
        crate::web::search_query::raw_page_query().map(|query| Self::parse(&query))
    }
}

impl Filter {
    /// The store query for page `page` of this filter.
    pub fn query(&self, page: u32) -> ListingQuery {
        ListingQuery {
            category: self.category.clone(),
            tags: self.tags.clone(),
            section: None,
            edition: String::new(),
            page,
        }
    }
}

/// Adds `tag` where it sorts, once. A binary search and an insert, rather
/// than a sort, which would add ~2 KB of sorting code to the wasm client.
fn insert_sorted(tags: &mut Vec<String>, tag: String) {
    if let Err(at) = tags.binary_search(&tag) {
        tags.insert(at, tag);
    }
}

/// What the router hands over (already decoded once); the pages read
/// [`Filter::of_page`] instead, and this stays the fallback.
impl From<&str> for Filter {
    fn from(query: &str) -> Self {
        Self::parse(query)
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let category = self.category.iter().map(|c| format!("category={c}"));
        let tags = self.tags.iter().map(|t| format!("tag={t}"));
        let pairs: Vec<String> = category.chain(tags).collect();
        f.write_str(&pairs.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_query_string() {
        let filter = Filter::from("category=databases&tag=rust&tag=wasm");
        assert_eq!(filter.category.as_deref(), Some("databases"));
        assert_eq!(filter.tags, ["rust", "wasm"]);
        assert_eq!(filter.to_string(), "category=databases&tag=rust&tag=wasm");
    }

    #[test]
    fn malformed_queries_are_ignored() {
        assert_eq!(
            Filter::from("&&=x&tag&category=&foo=bar"),
            Filter::default()
        );
        assert_eq!(Filter::from("tag=Rust Lang").tags, ["rust-lang"]);
    }

    #[test]
    fn the_form_is_canonical() {
        let canonical = "category=go&tag=rust&tag=wasm";
        for query in [
            "tag=wasm&tag=rust&category=go",
            "tag=Rust&tag=WASM&tag=rust&category=Go&utm_source=x",
            "%74ag=wasm&c%61tegory=go&tag=rust",
            "?tag=rust&tag=wasm&category=go",
        ] {
            assert_eq!(Filter::parse(query).to_string(), canonical, "{query}");
        }
        // Decoded once: an encoded `=` or `&` is part of a name or value.
        assert_eq!(Filter::parse("tag%3Dx"), Filter::default());
        assert_eq!(Filter::parse("a=1%26tag%3Dx"), Filter::default());
    }

    #[test]
    fn toggles_add_and_remove() {
        let filter = Filter::default()
            .toggle_tag("a")
            .toggle_tag("b")
            .toggle_tag("a");
        assert_eq!(filter.tags, ["b"]);
        assert_eq!(
            filter.toggle_category("x").toggle_category("x").category,
            None
        );
    }
}
