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
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lru::LruCache;

pub use encoding::{Encoding, negotiate};

use super::Site;
use crate::store::sync::SyncReport;
use crate::urls;

/// Default bound when the configuration sets none.
pub const DEFAULT_MAX_MB: usize = 64;
/// Header telling whether a response came from the cache.
pub const STATUS_HEADER: &str = "x-quire-cache";
/// Header carrying the cache's size in bytes after this response.
pub const BYTES_HEADER: &str = "x-quire-cache-bytes";

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
    /// `/blog/<slug>`: its post's body, plus titles of neighbours.
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

impl Kind {
    /// Classifies a response by its path, status and content type.
    pub fn of(path: &str, status: StatusCode, content_type: &str) -> Kind {
        if status == StatusCode::NOT_FOUND {
            return Kind::NotFound;
        }
        if is_hashed_asset(path) {
            return Kind::Asset;
        }
        if path == urls::SEARCH || path.starts_with("/search/") {
            return Kind::Search;
        }
        if let Some(slug) = urls::post_slug(path) {
            return Kind::Post(slug.to_string());
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

/// One cached response: headers, identity bytes and compressed variants.
#[derive(Debug)]
pub struct Entry {
    kind: Kind,
    status: StatusCode,
    headers: HeaderMap,
    /// Hex blake3 of the identity bytes (without quotes or suffix).
    etag: String,
    identity: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
}

/// How hard to compress: pages are compressed on the request path, assets
/// once per process in the background.
#[derive(Clone, Copy, Debug)]
pub enum Effort {
    None,
    Fast,
    Best,
}

impl Entry {
    /// Builds an entry; variants are kept only when they are smaller.
    pub fn new(
        kind: Kind,
        status: StatusCode,
        headers: HeaderMap,
        identity: Bytes,
        effort: Effort,
    ) -> Self {
        let etag = blake3::hash(&identity).to_hex()[..32].to_string();
        // A body collected from a stream may sit in a larger buffer; keep
        // exactly its bytes so `size` is what the entry holds.
        let identity = Bytes::copy_from_slice(&identity);
        let compressible =
            identity.len() >= MIN_COMPRESS_BYTES && is_compressible(content_type(&headers));
        let (brotli, gzip) = match effort {
            Effort::None => (None, None),
            _ if !compressible => (None, None),
            Effort::Fast | Effort::Best => (
                smaller(compress(&identity, Encoding::Brotli, effort), &identity),
                smaller(compress(&identity, Encoding::Gzip, effort), &identity),
            ),
        };
        Self {
            kind,
            status,
            headers,
            etag,
            identity,
            brotli,
            gzip,
        }
    }

    /// Bytes this entry holds, counting every variant and the key.
    pub fn size(&self, key: &str) -> usize {
        let headers: usize = self
            .headers
            .iter()
            .map(|(k, v)| k.as_str().len() + v.len())
            .sum();
        key.len()
            + headers
            + self.identity.len()
            + self.brotli.as_ref().map_or(0, Bytes::len)
            + self.gzip.as_ref().map_or(0, Bytes::len)
    }

    pub fn kind(&self) -> &Kind {
        &self.kind
    }

    /// The body for `encoding`; it must be one [`Entry::encoding_for`] returned.
    fn body(&self, encoding: Encoding) -> &Bytes {
        let variant = match encoding {
            Encoding::Identity => None,
            Encoding::Gzip => self.gzip.as_ref(),
            Encoding::Brotli => self.brotli.as_ref(),
        };
        variant.unwrap_or(&self.identity)
    }

    fn encoding_for(&self, accept_encoding: Option<&str>) -> Encoding {
        negotiate(accept_encoding, self.brotli.is_some(), self.gzip.is_some())
    }

    /// Whether `If-None-Match` names this entry (any representation of it).
    fn matches(&self, if_none_match: &str) -> bool {
        if_none_match.split(',').any(|tag| {
            let tag = tag.trim();
            if tag == "*" {
                return true;
            }
            let tag = tag.strip_prefix("W/").unwrap_or(tag);
            let Some(opaque) = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
                return false;
            };
            let base = opaque
                .strip_suffix(Encoding::Brotli.etag_suffix())
                .or_else(|| opaque.strip_suffix(Encoding::Gzip.etag_suffix()))
                .unwrap_or(opaque);
            base == self.etag
        })
    }
}

/// The bounded, invalidatable store of [`Entry`]s. One per site.
pub struct PageCache {
    enabled: bool,
    state: Mutex<State>,
    /// Bumped by every invalidation; a render stores its result only when
    /// the generation it started under is still current.
    generation: AtomicU64,
    /// The catalog's schedule epoch the stored pages were made under.
    schedule_epoch: AtomicU64,
    /// Concurrent misses for one page render it once.
    turns: single_flight::RenderTurns,
}

/// Entries of one kind of answer, bounded in bytes, least recently used
/// first out.
struct Bucket {
    lru: LruCache<String, Arc<Entry>>,
    bytes: usize,
    max_bytes: usize,
}

impl Bucket {
    fn new(max_bytes: usize) -> Self {
        Self {
            lru: LruCache::unbounded(),
            bytes: 0,
            max_bytes,
        }
    }

    /// One entry may use at most this much, so a single huge page cannot
    /// flush everything else.
    fn fits(&self, size: usize) -> bool {
        size <= self.max_bytes / MAX_ENTRY_SHARE
    }

    fn put(&mut self, key: String, entry: Arc<Entry>) {
        let size = entry.size(&key);
        self.remove(&key);
        self.lru.put(key, entry);
        self.bytes += size;
        while self.bytes > self.max_bytes {
            let Some((old_key, old)) = self.lru.pop_lru() else {
                break;
            };
            self.bytes -= old.size(&old_key);
        }
    }

    fn remove(&mut self, key: &str) {
        if let Some(old) = self.lru.pop(key) {
            self.bytes -= old.size(key);
        }
    }

    fn remove_where(&mut self, drop: &impl Fn(&Kind) -> bool) {
        let doomed: Vec<String> = self
            .lru
            .iter()
            .filter(|(_, entry)| drop(&entry.kind))
            .map(|(key, _)| key.clone())
            .collect();
        for key in doomed {
            self.remove(&key);
        }
    }
}

/// Pages, feeds and assets in one bucket; 404s and search results in
/// small ones of their own: any client can ask for endless made-up
/// addresses or searches, each a different page, and neither flood can
/// push a single article or listing out.
struct State {
    pages: Bucket,
    missing: Bucket,
    searches: Bucket,
}

impl State {
    fn bucket(&mut self, kind: &Kind) -> &mut Bucket {
        match kind {
            Kind::NotFound => &mut self.missing,
            Kind::Search => &mut self.searches,
            _ => &mut self.pages,
        }
    }

    fn buckets(&mut self) -> [&mut Bucket; 3] {
        [&mut self.pages, &mut self.missing, &mut self.searches]
    }

    fn get(&mut self, key: &str) -> Option<Arc<Entry>> {
        self.buckets()
            .into_iter()
            .find_map(|bucket| bucket.lru.get(key).cloned())
    }

    fn bytes(&self) -> usize {
        self.pages.bytes + self.missing.bytes + self.searches.bytes
    }

    fn len(&self) -> usize {
        self.pages.lru.len() + self.missing.lru.len() + self.searches.lru.len()
    }
}

/// The share of the bound that 404 pages may use.
const MISSING_SHARE: usize = 16;
/// The share of the bound that search result pages may use.
const SEARCH_SHARE: usize = 8;

impl PageCache {
    /// A cache holding at most `max_bytes`; a disabled one stores nothing
    /// (`--live-reload`, whose pages carry an injected script).
    pub fn new(max_bytes: usize, enabled: bool) -> Self {
        let missing = max_bytes / MISSING_SHARE;
        let searches = max_bytes / SEARCH_SHARE;
        Self {
            enabled,
            state: Mutex::new(State {
                pages: Bucket::new(max_bytes - missing - searches),
                missing: Bucket::new(missing),
                searches: Bucket::new(searches),
            }),
            generation: AtomicU64::new(0),
            schedule_epoch: AtomicU64::new(0),
            turns: single_flight::RenderTurns::default(),
        }
    }

    /// A cache of `mb` mebibytes.
    pub fn with_max_mb(mb: usize, enabled: bool) -> Self {
        Self::new(mb.saturating_mul(1024 * 1024), enabled)
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Bytes held now, all variants counted.
    pub fn bytes(&self) -> usize {
        self.lock().bytes()
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub fn get(&self, key: &str) -> Option<Arc<Entry>> {
        self.lock().get(key)
    }

    /// [`PageCache::get`] and the cache's size, under one lock (the hit path).
    fn get_with_bytes(&self, key: &str) -> (Option<Arc<Entry>>, usize) {
        let mut state = self.lock();
        (state.get(key), state.bytes())
    }

    /// Stores `entry` unless an invalidation happened since `generation`, or
    /// it is too big for its bucket; evicts least recently used entries of
    /// that bucket to stay in bounds. Returns whether it was stored.
    pub fn insert(&self, key: String, entry: Arc<Entry>, generation: u64) -> bool {
        if !self.enabled {
            return false;
        }
        let size = entry.size(&key);
        let mut state = self.lock();
        // Checked under the lock: invalidations bump the generation first and
        // then take the lock, so a stale render cannot slip in between.
        if self.generation() != generation || !state.bucket(&entry.kind).fits(size) {
            return false;
        }
        for bucket in state.buckets() {
            bucket.remove(&key);
        }
        let kind = entry.kind.clone();
        state.bucket(&kind).put(key, entry);
        true
    }

    /// Drops every entry `drop` selects.
    pub fn invalidate(&self, drop: impl Fn(&Kind) -> bool) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        for bucket in self.lock().buckets() {
            bucket.remove_where(&drop);
        }
    }

    /// Something every listing shows changed: everything but assets goes.
    pub fn invalidate_listings(&self) {
        self.invalidate(|kind| *kind != Kind::Asset);
    }

    /// Follows a content change: drops the pages it can have changed.
    pub fn content_changed(&self, report: &SyncReport) {
        self.drop_changed(report);
    }

    /// Drops what `report` can have changed. Body-only edits (the listing
    /// record of every touched post is unchanged) drop the posts' own pages
    /// and the pages that quote bodies; anything a listing shows drops all
    /// pages, since every article links its neighbours by title.
    pub fn drop_changed(&self, report: &SyncReport) {
        let listing_changed = !(report.added.is_empty()
            && report.removed.is_empty()
            && report.listing_changed.is_empty());
        if listing_changed {
            self.invalidate_listings();
            return;
        }
        self.invalidate(|kind| match kind {
            Kind::Post(slug) => report.updated.contains(slug),
            Kind::Feed | Kind::Search | Kind::NotFound => true,
            Kind::Asset | Kind::Listing => false,
        });
    }

    /// Follows the catalog's schedule: when its epoch moved (a scheduled
    /// post came due), every listing may show it, so they all go.
    pub fn follow_schedule(&self, epoch: u64) {
        if self.schedule_epoch.swap(epoch, Ordering::AcqRel) != epoch {
            self.invalidate_listings();
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves consistent data (every
        // mutation is a few lines with no panics), so keep serving.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for PageCache {
    fn default() -> Self {
        Self::with_max_mb(DEFAULT_MAX_MB, true)
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
    if method != Method::GET && method != Method::HEAD {
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

/// The axum middleware: answer from the cache, or render, store and answer.
pub async fn layer(
    axum::extract::State(site): axum::extract::State<Arc<Site>>,
    request: Request,
    next: Next,
) -> Response {
    let cache = &site.cache;
    if !cache.enabled() || site.live_reload {
        return next.run(request).await;
    }
    let route = route(&request);
    if route == Route::Bypass {
        let Asked { accept, head, .. } = Asked::of(&request);
        let response = next.run(request).await;
        return bypassed(compress_uncached(response, accept.as_deref(), head).await);
    }
    match site.blog.schedule_epoch() {
        Ok(epoch) => cache.follow_schedule(epoch),
        Err(err) => tracing::warn!(error = %err, "cannot read the schedule; pages may be stale"),
    }
    let ask = Asked::of(&request);
    let key = if site.blog.base_url.varies_by_host() {
        key::with_host(&request)
    } else {
        key::of(&request)
    };
    if let (Some(entry), bytes) = cache.get_with_bytes(&key) {
        return ask.respond(&entry, "hit", bytes);
    }
    // Misses for the same page queue here; whoever waited finds the page
    // the first one stored.
    let _turn = cache.turns.take(&key).await;
    if let (Some(entry), bytes) = cache.get_with_bytes(&key) {
        return ask.respond(&entry, "hit", bytes);
    }
    let generation = cache.generation();
    // Search pages and 404s (suggestions) made before the index holds every
    // post are served but not kept.
    let index_complete = site.blog.search.is_complete();
    let path = key::canonical_path(request.uri().path());
    let response = next.run(plain_get(request)).await;
    if !is_storable(&response) {
        return bypassed(compress_uncached(response, ask.accept.as_deref(), ask.head).await);
    }
    let (parts, body) = response.into_parts();
    let identity = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(identity) => identity,
        Err(err) => return super::security::page_too_large(&err),
    };
    let kind = Kind::of(&path, parts.status, content_type(&parts.headers));
    let keep = index_complete || !kind.quotes_the_index();
    let headers = storable_headers(parts.headers);
    let entry = match route {
        Route::Asset => {
            // Best compression of a megabyte of wasm takes seconds: serve
            // identity now, store the compressed variants when ready.
            let entry = Arc::new(Entry::new(
                kind.clone(),
                parts.status,
                headers.clone(),
                identity.clone(),
                Effort::None,
            ));
            cache.insert(key.clone(), entry.clone(), generation);
            compress_in_background(site.clone(), key, kind, parts.status, headers, identity);
            entry
        }
        _ => {
            let status = parts.status;
            let entry = tokio::task::spawn_blocking(move || {
                Entry::new(kind, status, headers, identity, Effort::Fast)
            })
            .await;
            let Ok(entry) = entry.map(Arc::new) else {
                return (StatusCode::INTERNAL_SERVER_ERROR, "compression failed").into_response();
            };
            if keep {
                cache.insert(key, entry.clone(), generation);
            }
            entry
        }
    };
    ask.respond(&entry, "miss", cache.bytes())
}

/// Marks a response the cache did not keep.
fn bypassed(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(STATUS_HEADER, HeaderValue::from_static("bypass"));
    response
}

fn compress_in_background(
    site: Arc<super::Site>,
    key: String,
    kind: Kind,
    status: StatusCode,
    headers: HeaderMap,
    identity: Bytes,
) {
    tokio::task::spawn_blocking(move || {
        let entry = Entry::new(kind, status, headers, identity, Effort::Best);
        // Assets never go stale, so any generation will do.
        let cache = &site.cache;
        cache.insert(key, Arc::new(entry), cache.generation());
    });
}

/// The request parts a cached answer depends on.
struct Asked {
    accept: Option<String>,
    if_none_match: Option<String>,
    head: bool,
}

impl Asked {
    fn of(request: &Request) -> Self {
        Self {
            accept: header_string(request.headers(), header::ACCEPT_ENCODING),
            if_none_match: header_string(request.headers(), header::IF_NONE_MATCH),
            head: request.method() == Method::HEAD,
        }
    }

    fn respond(&self, entry: &Entry, status_label: &'static str, cache_bytes: usize) -> Response {
        let encoding = entry.encoding_for(self.accept.as_deref());
        let etag = format!("\"{}{}\"", entry.etag, encoding.etag_suffix());
        let not_modified = entry.status == StatusCode::OK
            && self
                .if_none_match
                .as_deref()
                .is_some_and(|inm| entry.matches(inm));
        let status = if not_modified {
            StatusCode::NOT_MODIFIED
        } else {
            entry.status
        };
        let mut response = Response::new(Body::empty());
        *response.status_mut() = status;
        let headers = response.headers_mut();
        if !not_modified {
            headers.extend(entry.headers.clone());
        }
        if !headers.contains_key(header::CACHE_CONTROL) {
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static(entry.kind.cache_control()),
            );
        }
        insert_header(headers, header::ETAG, &etag);
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        headers.insert(STATUS_HEADER, HeaderValue::from_static(status_label));
        headers.insert(BYTES_HEADER, HeaderValue::from(cache_bytes));
        if not_modified {
            return response;
        }
        if let Some(value) = encoding.header_value() {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(value));
        }
        let body = entry.body(encoding);
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        if !self.head {
            *response.body_mut() = Body::from(body.clone());
        }
        response
    }
}

fn insert_header(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

/// The request the renderer sees on a miss: a plain GET for the whole
/// identity body, whatever validators or encodings the client sent.
fn plain_get(mut request: Request) -> Request {
    *request.method_mut() = Method::GET;
    let headers = request.headers_mut();
    for name in [
        header::IF_NONE_MATCH,
        header::IF_MODIFIED_SINCE,
        header::ACCEPT_ENCODING,
        header::RANGE,
        header::IF_RANGE,
    ] {
        headers.remove(name);
    }
    request
}

/// Status 200 or 404, a page/feed/asset type, nothing private or varying.
fn is_storable(response: &Response) -> bool {
    let status = response.status();
    if status != StatusCode::OK && status != StatusCode::NOT_FOUND {
        return false;
    }
    let headers = response.headers();
    if headers.contains_key(header::SET_COOKIE) || headers.contains_key(header::CONTENT_ENCODING) {
        return false;
    }
    let cache_control = header_string(headers, header::CACHE_CONTROL).unwrap_or_default();
    let cache_control = cache_control.to_ascii_lowercase();
    if cache_control.contains("no-store") || cache_control.contains("private") {
        return false;
    }
    let varies_otherwise = header_string(headers, header::VARY)
        .is_some_and(|vary| !vary.trim().eq_ignore_ascii_case("accept-encoding"));
    if varies_otherwise {
        return false;
    }
    let ty = content_type(headers);
    !ty.starts_with("text/event-stream")
        && (ty.starts_with("text/")
            || is_compressible(ty)
            || ty.starts_with("image/")
            || ty.starts_with("font/"))
}

fn storable_headers(mut headers: HeaderMap) -> HeaderMap {
    for name in HOP_HEADERS {
        headers.remove(name);
    }
    headers.remove(header::VARY);
    headers
}

/// Compresses a response the cache does not keep (server functions' JSON,
/// bundle files), when it is text-like, complete and of a sensible size.
async fn compress_uncached(response: Response, accept: Option<&str>, head: bool) -> Response {
    let encoding = negotiate(accept, true, true);
    let worth_it = !head
        && encoding != Encoding::Identity
        && matches!(response.status(), StatusCode::OK | StatusCode::NOT_FOUND)
        && !response.headers().contains_key(header::CONTENT_ENCODING)
        && is_compressible(content_type(response.headers()))
        && !header_string(response.headers(), header::CACHE_CONTROL)
            .is_some_and(|cc| cc.contains("no-transform"));
    let size = axum::body::HttpBody::size_hint(response.body()).exact();
    let sized = size.is_some_and(|n| (MIN_COMPRESS_BYTES as u64..=4 * 1024 * 1024).contains(&n));
    if !(worth_it && sized) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let identity = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(identity) => identity,
        Err(err) => return super::security::page_too_large(&err),
    };
    let compressed =
        tokio::task::spawn_blocking(move || compress(&identity, encoding, Effort::Fast)).await;
    let Ok(compressed) = compressed else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "compression failed").into_response();
    };
    let headers = &mut parts.headers;
    headers.remove(header::ETAG);
    headers.insert(
        header::CONTENT_ENCODING,
        HeaderValue::from_static(encoding.header_value().unwrap_or("identity")),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(compressed.len()));
    headers.append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    Response::from_parts(parts, Body::from(compressed))
}

/// Worth compressing: text, markup, scripts, wasm, JSON, SVG.
fn is_compressible(content_type: &str) -> bool {
    let ty = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    ty.starts_with("text/")
        || ty.ends_with("+xml")
        || ty.ends_with("+json")
        || matches!(
            ty.as_str(),
            "application/javascript"
                | "application/json"
                | "application/xml"
                | "application/wasm"
                | "image/svg+xml"
        )
}

/// Brotli or gzip of `data`; identity returns the bytes as they are.
pub fn compress(data: &[u8], encoding: Encoding, effort: Effort) -> Bytes {
    use std::io::Write;
    let best = matches!(effort, Effort::Best);
    match encoding {
        Encoding::Identity => Bytes::copy_from_slice(data),
        Encoding::Brotli => {
            // Quality 5 compresses a 30 KB page in about a millisecond and
            // lands within a few percent of 11, which takes ~50 ms.
            let params = brotli::enc::BrotliEncoderParams {
                quality: if best { 11 } else { 5 },
                lgwin: 22,
                ..Default::default()
            };
            let mut out = Vec::with_capacity(data.len() / 4);
            let mut input = data;
            // Writing into a Vec cannot fail.
            let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
            out.shrink_to_fit();
            Bytes::from(out)
        }
        Encoding::Gzip => {
            let level = if best { 9 } else { 6 };
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(data.len() / 3),
                flate2::Compression::new(level),
            );
            // Writing into a Vec cannot fail.
            let _ = encoder.write_all(data);
            let mut out = encoder.finish().unwrap_or_default();
            out.shrink_to_fit();
            Bytes::from(out)
        }
    }
}

fn smaller(variant: Bytes, identity: &Bytes) -> Option<Bytes> {
    (!variant.is_empty() && variant.len() < identity.len()).then_some(variant)
}

fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn header_string(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(kind: Kind, bytes: usize) -> Arc<Entry> {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        // Incompressible filler keeps the size predictable.
        let body: Vec<u8> = (0..bytes).map(|i| (i * 7919 % 251) as u8).collect();
        Arc::new(Entry::new(
            kind,
            StatusCode::OK,
            headers,
            Bytes::from(body),
            Effort::None,
        ))
    }

    #[test]
    fn the_byte_bound_holds_and_evicts_least_recently_used() {
        let cache = PageCache::new(100_000, true);
        for i in 0..50 {
            assert!(cache.insert(format!("/?q={i}"), page(Kind::Listing, 10_000), 0));
            assert!(cache.bytes() <= 100_000, "{} bytes", cache.bytes());
        }
        assert!(cache.len() <= 10);
        assert!(cache.get("/?q=49").is_some());
        assert!(cache.get("/?q=0").is_none());
    }

    #[test]
    fn recently_read_entries_survive_eviction() {
        let cache = PageCache::new(100_000, true);
        assert!(cache.insert("/".into(), page(Kind::Listing, 10_000), 0));
        for i in 0..20 {
            assert!(cache.get("/").is_some());
            cache.insert(format!("/?q={i}"), page(Kind::Listing, 10_000), 0);
        }
        assert!(cache.get("/").is_some());
    }

    #[test]
    fn byte_count_follows_replacements_and_invalidations() {
        let cache = PageCache::new(1_000_000, true);
        cache.insert("/a".into(), page(Kind::Listing, 1_000), 0);
        cache.insert("/a".into(), page(Kind::Listing, 2_000), 0);
        let one = cache.bytes();
        assert!((2_000..2_100).contains(&one), "{one}");
        cache.invalidate_listings();
        assert_eq!(cache.bytes(), 0);
        assert!(cache.is_empty());
    }

    #[test]
    fn oversized_entries_and_stale_renders_are_refused() {
        let cache = PageCache::new(80_000, true);
        assert!(!cache.insert("/big".into(), page(Kind::Listing, 20_000), 0));
        let generation = cache.generation();
        cache.invalidate_listings();
        assert!(!cache.insert("/".into(), page(Kind::Listing, 100), generation));
        assert!(cache.insert("/".into(), page(Kind::Listing, 100), cache.generation()));
    }

    #[test]
    fn a_disabled_cache_stores_nothing() {
        let cache = PageCache::new(1_000_000, false);
        assert!(!cache.insert("/".into(), page(Kind::Listing, 100), 0));
    }

    fn report(updated: &[&str], listing_changed: &[&str]) -> SyncReport {
        SyncReport {
            updated: updated.iter().map(|s| s.to_string()).collect(),
            listing_changed: listing_changed.iter().map(|s| s.to_string()).collect(),
            ..SyncReport::default()
        }
    }

    fn filled() -> PageCache {
        let cache = PageCache::new(10_000_000, true);
        for (key, kind) in [
            ("/", Kind::Listing),
            ("/blog/x", Kind::Post("x".into())),
            ("/blog/y", Kind::Post("y".into())),
            ("/feed.xml", Kind::Feed),
            ("/search?q=a", Kind::Search),
            ("/nope", Kind::NotFound),
            ("/assets/a-dxh12.js", Kind::Asset),
        ] {
            cache.insert(key.into(), page(kind, 100), 0);
        }
        cache
    }

    #[test]
    fn a_body_edit_drops_only_its_post_and_pages_quoting_bodies() {
        let cache = filled();
        cache.drop_changed(&report(&["x"], &[]));
        for kept in ["/", "/blog/y", "/assets/a-dxh12.js"] {
            assert!(cache.get(kept).is_some(), "{kept} kept");
        }
        for gone in ["/blog/x", "/feed.xml", "/search?q=a", "/nope"] {
            assert!(cache.get(gone).is_none(), "{gone} dropped");
        }
    }

    #[test]
    fn a_listing_edit_drops_every_page_but_keeps_assets() {
        let cache = filled();
        cache.drop_changed(&report(&["x"], &["x"]));
        assert_eq!(cache.len(), 1);
        assert!(cache.get("/assets/a-dxh12.js").is_some());
    }

    #[test]
    fn a_schedule_epoch_change_drops_listings_once() {
        let cache = filled();
        let before = cache.len();
        cache.follow_schedule(0);
        assert_eq!(cache.len(), before, "the epoch pages were made under");
        cache.follow_schedule(1);
        assert_eq!(cache.len(), 1, "only the asset stays");
        assert!(cache.get("/assets/a-dxh12.js").is_some());
    }

    #[test]
    fn etags_match_any_representation_and_reject_junk() {
        let entry = page(Kind::Listing, 100);
        let tag = format!("\"{}\"", entry.etag);
        assert!(entry.matches(&tag));
        assert!(entry.matches(&format!("\"{}-br\"", entry.etag)));
        assert!(entry.matches(&format!("W/{tag}, \"other\"")));
        assert!(entry.matches("*"));
        assert!(!entry.matches("junk"));
        assert!(!entry.matches("\"0000\""));
        assert!(!entry.matches(&entry.etag));
    }

    #[test]
    fn variants_decode_to_the_identity_bytes() {
        let html = "<p>hello cache</p>".repeat(200);
        let br = compress(html.as_bytes(), Encoding::Brotli, Effort::Fast);
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut br.as_ref(), &mut decoded).unwrap();
        assert_eq!(decoded, html.as_bytes());
        let gz = compress(html.as_bytes(), Encoding::Gzip, Effort::Fast);
        let mut decoded = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(gz.as_ref()), &mut decoded)
            .unwrap();
        assert_eq!(decoded, html);
        assert!(br.len() < html.len() && gz.len() < html.len());
    }

    #[test]
    fn routes_and_kinds() {
        assert!(is_hashed_asset("/assets/main-dxh62ad92a36425570.css"));
        assert!(!is_hashed_asset("/assets/main.css"));
        assert!(!is_hashed_asset("/main-dxh1234.css"));
        let ok = StatusCode::OK;
        assert_eq!(Kind::of("/blog/a", ok, "text/html"), Kind::Post("a".into()));
        assert_eq!(
            Kind::of("/blog/a", StatusCode::NOT_FOUND, "text/html"),
            Kind::NotFound
        );
        assert_eq!(
            Kind::of("/atom.xml", ok, "application/atom+xml"),
            Kind::Feed
        );
        assert_eq!(Kind::of("/search", ok, "text/html"), Kind::Search);
        assert_eq!(Kind::of("/category/rust", ok, "text/html"), Kind::Listing);
        let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();
        assert_eq!(route(&get("/api/index")), Route::Bypass);
        assert_eq!(route(&get("/_quire/live")), Route::Bypass);
        assert_eq!(route(&get("/healthz")), Route::Bypass);
        assert_eq!(route(&get("/blog/a/figure.svg")), Route::Bypass);
        assert_eq!(route(&get("/blog/a")), Route::Page);
        assert_eq!(route(&get("/assets/quire-dxh24b5.js")), Route::Asset);
        let post = Request::post("/").body(Body::empty()).unwrap();
        assert_eq!(route(&post), Route::Bypass);
    }
}
