//! Syndication feeds: Atom (`/atom.xml`), RSS 2.0 (`/rss.xml`) and JSON
//! Feed 1.1 (`/feed.json`) for the whole site, and Atom per category
//! (`/category/<slug>/atom.xml`) and per tag (`/tags/<slug>/atom.xml`).
//!
//! Every feed carries the newest [`FEED_LIMIT`] posts readers may see now,
//! newest first, with their full HTML (root-relative links made absolute
//! with `base_url`, [`absolutize`]). Building a feed is pure: [`channel()`]
//! and [`Item::from_document`] say what a feed holds, and [`atom()`],
//! [`rss()`] and [`json()`] lay it out, each in a module of its own. This
//! file holds the routes, whose handlers only gather the posts.

mod atom;
mod channel;
mod json;
mod links;
mod rss;
#[cfg(test)]
mod tests;

use axum::Router;
use axum::extract::Path as UrlPath;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::Arc;

use super::Site;
use crate::store::{Listing, StoreError};
use crate::urls;

pub use self::atom::atom;
pub use self::channel::{Channel, Item, Scope, channel, day_start};
pub use self::json::json;
pub use self::links::absolutize;
pub use self::rss::rss;

/// Posts per feed.
pub const FEED_LIMIT: usize = 50;
pub const ATOM_TYPE: &str = "application/atom+xml; charset=utf-8";
pub const RSS_TYPE: &str = "application/rss+xml; charset=utf-8";
pub const JSON_FEED_TYPE: &str = "application/feed+json; charset=utf-8";

/// The feed routes, merged into the application router.
pub fn routes(site: Arc<Site>) -> Router {
    Router::new()
        .route(urls::ATOM, get(site_atom))
        .route(urls::RSS, get(site_rss))
        .route(urls::JSON_FEED, get(site_json))
        .route("/category/{slug}/atom.xml", get(category_atom))
        .route("/tags/{slug}/atom.xml", get(tag_atom))
        .with_state(site)
}

/// The newest [`FEED_LIMIT`] visible posts of `scope`, as feed items.
fn items(site: &Site, scope: &Scope, listings: &[Listing]) -> Result<Vec<Item>, StoreError> {
    let mut items = Vec::with_capacity(FEED_LIMIT);
    for listing in listings.iter().filter(|l| scope.matches(l)) {
        if items.len() == FEED_LIMIT {
            break;
        }
        if let Some(doc) = site.store().post(&listing.summary.slug)? {
            items.push(Item::from_document(&doc, &site.config.base_url));
        }
    }
    Ok(items)
}

#[derive(Clone, Copy)]
enum Format {
    Atom,
    Rss,
    Json,
}

/// Gathers the posts and renders one feed; 404 for an empty category or
/// tag, a generic 500 (details in the log) when the store fails.
fn respond(site: &Site, scope: Scope, format: Format, feed_path: &str) -> Response {
    let result = site.blog.snapshot().and_then(|snapshot| {
        let Some(channel) = channel(&site.config, &scope, &snapshot.listings, feed_path) else {
            return Ok(None);
        };
        let items = items(site, &scope, &snapshot.listings)?;
        Ok(Some((channel, items)))
    });
    match result {
        Ok(Some((channel, items))) => {
            let (content_type, body) = match format {
                Format::Atom => (ATOM_TYPE, atom(&channel, &items)),
                Format::Rss => (RSS_TYPE, rss(&channel, &items)),
                Format::Json => (JSON_FEED_TYPE, json(&channel, &items)),
            };
            ([(header::CONTENT_TYPE, content_type)], body).into_response()
        }
        Ok(None) => not_found(),
        Err(err) => internal_error(feed_path, &err),
    }
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "not found",
    )
        .into_response()
}

/// Logs the detail; the reader only learns that something failed.
pub(super) fn internal_error(path: &str, err: &dyn std::fmt::Display) -> Response {
    tracing::error!(path, error = %err, "cannot build the response");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "internal error",
    )
        .into_response()
}

async fn site_atom(State(site): State<Arc<Site>>) -> Response {
    respond(&site, Scope::Site, Format::Atom, urls::ATOM)
}

async fn site_rss(State(site): State<Arc<Site>>) -> Response {
    respond(&site, Scope::Site, Format::Rss, urls::RSS)
}

async fn site_json(State(site): State<Arc<Site>>) -> Response {
    respond(&site, Scope::Site, Format::Json, urls::JSON_FEED)
}

async fn category_atom(State(site): State<Arc<Site>>, UrlPath(slug): UrlPath<String>) -> Response {
    let path = urls::category_feed(&slug);
    respond(&site, Scope::Category(slug), Format::Atom, &path)
}

async fn tag_atom(State(site): State<Arc<Site>>, UrlPath(slug): UrlPath<String>) -> Response {
    let path = urls::tag_feed(&slug);
    respond(&site, Scope::Tag(slug), Format::Atom, &path)
}
