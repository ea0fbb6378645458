//! The page cache: rendered pages, feeds, the sitemap and hashed client
//! assets kept in memory as bytes, with brotli and gzip variants made once,
//! a strong ETag, and an LRU bound on the bytes of all variants.
//!
//! Dioxus renders a page in milliseconds; a cached page is a memcpy. The
//! cache sits in front of the whole router ([`layer`]) and is keyed by path
//! and the query parameters pages read, as they read them ([`key`]);
//! concurrent misses for one page render it once (`single_flight`). Content changes reach it through
//! [`PageCache::content_changed`], which drops exactly the pages a change can
//! show up on (see [`Kind`]); a render that started before a change is never
//! stored after it (generation counter). Scheduled posts appear on their own:
//! the catalog owns the schedule ([`crate::read::Catalog`]), and when its
//! schedule epoch moves (a `publish_at` passed) the cache counts it as a
//! listing change ([`PageCache::follow_schedule`]).
//!
//! Response headers (documented in `docs/DEPLOY.md`):
//! - pages, feeds, 404s: `Cache-Control: public, max-age=60,
//!   stale-while-revalidate=600` — a browser or CDN may keep a page a minute
//!   and serve it stale while refetching for ten, so an edit reaches every
//!   reader within about a minute while the origin sees one request per
//!   page per minute at most;
//! - hashed assets (`/assets/name-dxh<hex>.ext`): a year, `immutable`;
//! - `Vary: Accept-Encoding` on everything that has variants;
//! - `x-quire-cache: hit|miss|bypass` and `x-quire-cache-bytes` for tests
//!   and operators.
//!
//! A `Range` header on a page or hashed asset is ignored, as RFC 9110
//! §14.2 allows: the answer is the whole representation (200) from the
//! cache, so a range cannot force a render, and an invalid one is no error.
//! 404s and search pages live in small buckets of their own (1/16 and 1/8
//! of the bound), so made-up addresses and searches cannot evict real
//! pages; entry sizes count exactly the bytes held (no spare capacity), so
//! the bound is what the cache really uses.

mod encoding;
pub mod key;
mod single_flight;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lru::LruCache;

pub use encoding::{Encoding, negotiate};

use super::Site;
use crate::store::sync::SyncReport;
use crate::urls;

/// Default bound when the configuration sets none.
pub const DEFAULT_MAX_MB: usize = 64;
/// Header telling whether a response came from the cache (a constant
/// name, so no response parses it).
pub const STATUS_HEADER: HeaderName = HeaderName::from_static("x-quire-cache");
/// Header carrying the cache's size in bytes after this response.
pub const BYTES_HEADER: HeaderName = HeaderName::from_static("x-quire-cache-bytes");

const PAGE_CACHE_CONTROL: &str = "public, max-age=60, stale-while-revalidate=600";
const ASSET_CACHE_CONTROL: &str = "public, max-age=31536000, immutable";
/// Largest body read into memory (`content::limits`).
const MAX_BODY_BYTES: usize = crate::content::limits::MAX_PAGE_BYTES;
/// Smaller bodies are not worth a compressed variant.
const MIN_COMPRESS_BYTES: usize = 512;
/// One entry may use at most this share of its bucket's bound.
const MAX_ENTRY_SHARE: usize = 8;
/// Headers of the rendered response that a cached copy must not repeat.
const HOP_HEADERS: [header::HeaderName; 6] = [
    header::CONTENT_LENGTH,
    header::TRANSFER_ENCODING,
    header::DATE,
    header::AGE,
    header::ETAG,
    header::CONNECTION,
];

/// What a cached response shows, which decides what invalidates it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `/assets/…-dxh<hash>.…`: content-addressed, never invalidated.
    Asset,
    /// A post's page (the key): its body, plus titles of neighbours.
    Post(String),
    /// Feeds and the sitemap: carry bodies and dates of many posts.
    Feed,
    /// `/search…`: results quote post text.
    Search,
    /// Any 404: suggests posts, and a new post or alias may fill the path.
    NotFound,
    /// Everything else: index, pages, categories, tags.
    Listing,
}

/// `/fr/search`: a language's search page (`urls::languages`), whose
/// results quote post text as `/search`'s do.
fn is_language_search(path: &str) -> bool {
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    segments.next().is_some() && segments.next() == Some("search") && segments.next().is_none()
}

impl Kind {
    /// Classifies a response by its path, the post served there (if the
    /// path is a post's address), its status and content type.
    pub fn of(path: &str, post: Option<String>, status: StatusCode, content_type: &str) -> Kind {
        if status == StatusCode::NOT_FOUND {
            return Kind::NotFound;
        }
        if is_hashed_asset(path) {
            return Kind::Asset;
        }
        if path == urls::SEARCH || path.starts_with("/search/") {
            return Kind::Search;
        }
        if let Some(key) = post {
            return Kind::Post(key);
        }
        if is_language_search(path) {
            return Kind::Search;
        }
        if content_type.contains("xml") || content_type.contains("json") {
            return Kind::Feed;
        }
        Kind::Listing
    }

    /// Made from search results or suggestions.
    fn quotes_the_index(&self) -> bool {
        matches!(self, Kind::Search | Kind::NotFound)
    }

    fn cache_control(&self) -> &'static str {
        match self {
            Kind::Asset => ASSET_CACHE_CONTROL,
            _ => PAGE_CACHE_CONTROL,
        }
    }
}

/// What the cache does with a request.
#[derive(Debug, PartialEq, Eq)]
enum Route {
    /// Never stored: APIs, event streams, health, bundle files, non-GET.
    Bypass,
    /// A page, feed or sitemap (decided finally by the response).
    Page,
    /// A content-hashed client asset.
    Asset,
}

fn route(request: &Request) -> Route {
    let method = request.method();
    if method != Method::GET && method != Method::HEAD || has_body(request) {
        return Route::Bypass;
    }
    let path = request.uri().path();
    if crate::urls::is_live(path) {
        Route::Bypass
    } else if is_hashed_asset(path) {
        Route::Asset
    } else {
        Route::Page
    }
}

/// A request that says it carries a body goes through the body limits
/// (413, 400, 408) rather than being answered from the cache.
fn has_body(request: &Request) -> bool {
    let headers = request.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0")
}

/// dx names bundle files `name-dxh<hex>.ext`; the hash changes with the bytes.
pub fn is_hashed_asset(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/assets/") else {
        return false;
    };
    name.rsplit_once("-dxh").is_some_and(|(_, rest)| {
        let hash: &str = rest.split('.').next().unwrap_or("");
        !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

mod bounded;
mod entry;
mod hit;
mod middleware;
#[cfg(test)]
mod tests;

pub use bounded::PageCache;
pub use entry::{Effort, Entry, compress};
pub use hit::hit;
pub use middleware::layer;
