//! The API as server functions, registered as axum routes.
//!
//! Thin by design: each one asks [`crate::server::queries`] and maps failure
//! to a generic error, logging the detail on the server so a reader never
//! sees internals. [`super::client`] mirrors these signatures and paths.

use dioxus::prelude::*;

use crate::model::{ListingPage, ListingQuery, Post, PostSummary, SearchResults, SiteMeta};

/// Title, tagline, links: what the layout shows on every page.
#[get("/api/site")]
pub async fn site_meta() -> Result<SiteMeta, ServerFnError> {
    Ok(crate::server::queries::site_meta())
}

/// One page of posts for a category and tags (the index, category and tag pages).
#[post("/api/listing")]
pub async fn listing(query: ListingQuery) -> Result<ListingPage, ServerFnError> {
    crate::server::queries::listing(query).map_err(internal)
}

/// One post by slug; `None` when no visible post has it.
#[get("/api/post/{slug}")]
pub async fn post(slug: String) -> Result<Option<Post>, ServerFnError> {
    crate::server::queries::post(&slug).map_err(internal)
}

/// Ranked results for what the reader typed, best first.
#[get("/api/search?q&limit")]
pub async fn search(q: String, limit: u32) -> Result<SearchResults, ServerFnError> {
    let limit = (limit as usize).clamp(1, crate::server::queries::SEARCH_PAGE_RESULTS);
    crate::server::queries::search(&q, limit).map_err(internal)
}

/// Posts resembling a path that does not exist, for the 404 page.
#[get("/api/suggest?path")]
pub async fn suggestions(path: String) -> Result<Vec<PostSummary>, ServerFnError> {
    crate::server::queries::suggestions(&path, 3).map_err(internal)
}

fn internal(err: impl std::fmt::Display) -> ServerFnError {
    tracing::error!(error = %err, "query failed");
    ServerFnError::new("internal error")
}
