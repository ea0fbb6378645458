//! Wire types shared by the server and the wasm client.
//!
//! Everything here is plain data with serde derives: no I/O, no server-only
//! crates, so it compiles into the client unchanged. Dates travel as
//! `YYYY-MM-DD` strings to keep a date library out of the wasm build.

use serde::{Deserialize, Serialize};

/// What an index card shows about a post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostSummary {
    pub slug: String,
    pub title: String,
    /// Publication date, `YYYY-MM-DD`.
    pub date: String,
    pub updated: Option<String>,
    pub category: String,
    pub tags: Vec<String>,
    pub description: String,
    pub reading_minutes: u32,
}

/// One entry of an article's table of contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A link to a neighbouring post (previous, next, related).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostLink {
    pub slug: String,
    pub title: String,
}

/// A whole article, rendered to HTML at ingest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub summary: PostSummary,
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub word_count: u32,
    pub newer: Option<PostLink>,
    pub older: Option<PostLink>,
}

/// A category or tag with the number of visible posts carrying it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet {
    pub name: String,
    pub slug: String,
    pub count: u32,
}

/// Everything the index page needs, in one response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexData {
    pub site_title: String,
    pub tagline: String,
    /// Newest first.
    pub posts: Vec<PostSummary>,
    /// Ordered by their most recent post, newest first.
    pub categories: Vec<Facet>,
}

/// Turns a display name ("AI/ML", "Real-time") into its URL form ("ai-ml", "real-time").
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for ch in name.chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() {
            slug.push(ch);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugify_makes_url_segments_from_names() {
        assert_eq!(slugify("AI/ML"), "ai-ml");
        assert_eq!(slugify("Real-time"), "real-time");
        assert_eq!(slugify("  JavaScript Internals "), "javascript-internals");
        assert_eq!(slugify("C++ & Rust!"), "c-rust");
    }
}
