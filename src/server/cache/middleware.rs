//! The axum middleware: answer from the cache, or render once, store and
//! answer; what is never stored passes through compressed on the fly.

use headers::{HeaderMapExt, IfNoneMatch};

use super::*;

/// Drops the listings when a scheduled post came due since the last look.
pub(super) fn follow_schedule(site: &Site) {
    match site.blog.schedule_epoch() {
        Ok(epoch) => site.cache.follow_schedule(epoch),
        Err(err) => tracing::warn!(error = %err, "cannot read the schedule; pages may be stale"),
    }
}

pub(super) fn key_of(site: &Site, request: &Request) -> String {
    if site.blog.base_url.varies_by_host() {
        key::with_host(request)
    } else {
        key::of(request)
    }
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
        let ask = Asked::of(&request);
        let response = next.run(request).await;
        return bypassed(compress_uncached(response, ask.accept(), ask.head).await);
    }
    follow_schedule(&site);
    let ask = Asked::of(&request);
    let key = key_of(&site, &request);
    if let (Some(entry), bytes) = cache.get_with_bytes(&key) {
        return ask.respond(&entry, "hit", bytes);
    }
    // Misses for the same page queue here; whoever waited finds the page
    // the first one stored.
    let _turn = cache.turns.take(&key).await;
    if let (Some(entry), bytes) = cache.get_with_bytes(&key) {
        return ask.respond(&entry, "hit", bytes);
    }
    let miss = Miss {
        site: site.clone(),
        key,
        route,
        generation: cache.generation(),
        // Search pages and 404s (suggestions) made before the index holds
        // every post are served but not kept.
        index_complete: site.blog.search.is_complete(),
        path: key::canonical_path(request.uri().path()),
    };
    let response = next.run(plain_get(request)).await;
    miss.store(response, &ask).await
}

/// A page the cache did not have, being rendered under `generation`.
struct Miss {
    site: Arc<Site>,
    key: String,
    route: Route,
    generation: u64,
    index_complete: bool,
    path: String,
}

impl Miss {
    /// Keeps the rendered `response` when it may be kept, and answers `ask`.
    async fn store(self, response: Response, ask: &Asked) -> Response {
        if !is_storable(&response) {
            return bypassed(compress_uncached(response, ask.accept(), ask.head).await);
        }
        let (parts, body) = response.into_parts();
        let identity = match to_bytes(body, MAX_BODY_BYTES).await {
            Ok(identity) => identity,
            Err(err) => return crate::server::security::page_too_large(&err),
        };
        let post = self.site.blog.post_key_at(&self.path);
        let kind = Kind::of(&self.path, post, parts.status, content_type(&parts.headers));
        let headers = storable_headers(parts.headers);
        let site = self.site.clone();
        let cache = &site.cache;
        let entry = if self.route == Route::Asset {
            self.store_asset(kind, parts.status, headers, identity)
        } else {
            let keep = self.index_complete || !kind.quotes_the_index();
            let status = parts.status;
            let made = tokio::task::spawn_blocking(move || {
                Entry::new(kind, status, headers, identity, Effort::Fast)
            })
            .await;
            let Ok(entry) = made.map(Arc::new) else {
                return (StatusCode::INTERNAL_SERVER_ERROR, "compression failed").into_response();
            };
            if keep {
                cache.insert(self.key, entry.clone(), self.generation);
            }
            entry
        };
        ask.respond(&entry, "miss", cache.bytes())
    }

    /// Best compression of a megabyte of wasm takes seconds: an asset is
    /// served and stored as it is now, its compressed variants when ready.
    fn store_asset(
        self,
        kind: Kind,
        status: StatusCode,
        headers: HeaderMap,
        identity: Bytes,
    ) -> Arc<Entry> {
        let entry = Arc::new(Entry::new(
            kind.clone(),
            status,
            headers.clone(),
            identity.clone(),
            Effort::None,
        ));
        self.site
            .cache
            .insert(self.key.clone(), entry.clone(), self.generation);
        compress_in_background(self.site, self.key, kind, status, headers, identity);
        entry
    }
}

/// Marks a response the cache did not keep.
pub(super) fn bypassed(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(STATUS_HEADER, HeaderValue::from_static("bypass"));
    response
}

pub(super) fn compress_in_background(
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
pub(super) struct Asked {
    /// `Accept-Encoding` (its bytes shared, not copied).
    pub(super) accept: Option<HeaderValue>,
    /// Absent when missing or not a valid header value (then nothing matches).
    pub(super) if_none_match: Option<IfNoneMatch>,
    pub(super) head: bool,
}

impl Asked {
    pub(super) fn of(request: &Request) -> Self {
        Self {
            accept: request.headers().get(header::ACCEPT_ENCODING).cloned(),
            if_none_match: request.headers().typed_get(),
            head: request.method() == Method::HEAD,
        }
    }

    /// `Accept-Encoding` as text; none when missing or not visible ASCII.
    pub(super) fn accept(&self) -> Option<&str> {
        self.accept.as_ref().and_then(|value| value.to_str().ok())
    }

    pub(super) fn respond(
        &self,
        entry: &Entry,
        status_label: &'static str,
        cache_bytes: usize,
    ) -> Response {
        let encoding = entry.encoding_for(self.accept());
        self.respond_in(entry, encoding, status_label, cache_bytes)
    }

    /// Whether the client's `If-None-Match` makes the answer a 304.
    pub(super) fn not_modified(&self, entry: &Entry) -> bool {
        entry.status == StatusCode::OK
            && self
                .if_none_match
                .as_ref()
                .is_some_and(|inm| entry.matches(inm))
    }

    /// [`Asked::respond`] in `encoding`, which the entry must hold.
    pub(super) fn respond_in(
        &self,
        entry: &Entry,
        encoding: Encoding,
        status_label: &'static str,
        cache_bytes: usize,
    ) -> Response {
        let etag = entry.etag_for(encoding);
        let not_modified = self.not_modified(entry);
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
        headers.typed_insert(etag);
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

/// The request the renderer sees on a miss: a plain GET for the whole
/// identity body, whatever validators or encodings the client sent.
pub(super) fn plain_get(mut request: Request) -> Request {
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
pub(super) fn is_storable(response: &Response) -> bool {
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

pub(super) fn storable_headers(mut headers: HeaderMap) -> HeaderMap {
    for name in HOP_HEADERS {
        headers.remove(name);
    }
    headers.remove(header::VARY);
    headers
}

/// Compresses a response the cache does not keep (server functions' JSON,
/// bundle files), when it is text-like, complete and of a sensible size.
pub(super) async fn compress_uncached(
    response: Response,
    accept: Option<&str>,
    head: bool,
) -> Response {
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
        Err(err) => return crate::server::security::page_too_large(&err),
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
pub(super) fn is_compressible(content_type: &str) -> bool {
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

pub(super) fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

pub(super) fn header_string(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}
