//! A cache hit, answered from a head made once per entry and encoding.
//!
//! A hit is the request Quire answers most, and building its head header by
//! header (the stored headers, `Cache-Control`, the ETag formatted and
//! parsed, `Vary`, `Content-Encoding`, `Content-Length`, then the security
//! headers) cost more per request than the cache lookup itself. Every one
//! of those is the same for each hit on one entry in one encoding, so the
//! first hit makes the whole head, security headers included, and keeps it
//! with the entry; later hits clone it and add the one header that changes,
//! `x-quire-cache-bytes`. The answer is header for header what
//! [`Asked::respond`] followed by [`crate::server::security::secure`] gives
//! (a test holds them equal); a 304 still goes that way.

use super::middleware::{Asked, follow_schedule, key_of};
use super::*;

/// The stored answer to `request`, if there is one, security headers
/// included: what the outermost step of the stack ([`crate::server::edge`])
/// answers a hit with, before anything else runs. `None` for a miss, and
/// for what is never stored.
pub fn hit(site: &Site, request: &Request) -> Option<Response> {
    let cache = &site.cache;
    if !cache.enabled() || site.live_reload || route(request) == Route::Bypass {
        return None;
    }
    follow_schedule(site);
    let (entry, bytes) = cache.get_with_bytes(&key_of(site, request));
    let entry = entry?;
    if entry.status == StatusCode::NOT_FOUND && shadowed_by_static(site, request) {
        return None;
    }
    Some(answer(
        &Asked::of(request),
        &entry,
        bytes,
        site.config.hsts(),
    ))
}

/// Whether a cached 404 is stale because the site's `static/` folder now
/// holds a file at that path (`static_files` answers it on the miss path).
fn shadowed_by_static(site: &Site, request: &Request) -> bool {
    site.static_dir
        .as_deref()
        .is_some_and(|dir| super::super::static_files::file_at(dir, request.uri().path()).is_some())
}

/// The hit's response: the entry's head for the negotiated encoding, the
/// cache's size, and the body (none for `HEAD`).
pub(super) fn answer(ask: &Asked, entry: &Entry, cache_bytes: usize, hsts: bool) -> Response {
    if ask.not_modified(entry) {
        let mut response = ask.respond(entry, "hit", cache_bytes);
        crate::server::security::secure(&mut response, hsts);
        return response;
    }
    let encoding = entry.encoding_for(ask.accept());
    let mut headers = head(entry, encoding, hsts);
    headers.insert(BYTES_HEADER, HeaderValue::from(cache_bytes));
    let body = if ask.head {
        Body::empty()
    } else {
        Body::from(entry.body(encoding).clone())
    };
    let mut response = Response::new(body);
    *response.status_mut() = entry.status;
    *response.headers_mut() = headers;
    response
}

/// The head of a full (not 304) hit in `encoding`, without
/// `x-quire-cache-bytes`: kept with the entry once made.
fn head(entry: &Entry, encoding: Encoding, hsts: bool) -> HeaderMap {
    let slot = &entry.hit_heads[match encoding {
        Encoding::Identity => 0,
        Encoding::Gzip => 1,
        Encoding::Brotli => 2,
    }];
    let (made_with, headers) = slot.get_or_init(|| (hsts, make_head(entry, encoding, hsts)));
    if *made_with == hsts {
        headers.clone()
    } else {
        make_head(entry, encoding, hsts)
    }
}

fn make_head(entry: &Entry, encoding: Encoding, hsts: bool) -> HeaderMap {
    let full = Asked {
        accept: None,
        if_none_match: None,
        head: true,
    };
    let mut response = full.respond_in(entry, encoding, "hit", 0);
    crate::server::security::secure(&mut response, hsts);
    let mut headers = std::mem::take(response.headers_mut());
    headers.remove(BYTES_HEADER);
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        let body = "<p>a page that is long enough to be worth compressing</p>".repeat(40);
        Entry::new(
            Kind::Listing,
            StatusCode::OK,
            headers,
            Bytes::from(body),
            Effort::Fast,
        )
    }

    fn asked(accept: Option<&str>, if_none_match: Option<&str>, head: bool) -> Asked {
        let mut headers = HeaderMap::new();
        if let Some(tag) = if_none_match {
            headers.insert(header::IF_NONE_MATCH, HeaderValue::from_str(tag).unwrap());
        }
        Asked {
            accept: accept.map(|a| HeaderValue::from_str(a).unwrap()),
            if_none_match: headers::HeaderMapExt::typed_get(&headers),
            head,
        }
    }

    /// What a hit answered before heads were kept: built header by header,
    /// then the security headers.
    fn built(ask: &Asked, entry: &Entry, bytes: usize, hsts: bool) -> Response {
        let mut response = ask.respond(entry, "hit", bytes);
        crate::server::security::secure(&mut response, hsts);
        response
    }

    fn sorted(response: &Response) -> Vec<(String, Vec<u8>)> {
        let mut all: Vec<_> = response
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect();
        all.sort();
        all
    }

    #[test]
    fn a_kept_head_answers_exactly_what_building_it_did() {
        let entry = entry();
        let tag = format!("\"{}-gz\"", entry.etag);
        for hsts in [false, true] {
            for accept in [None, Some("gzip"), Some("br, gzip")] {
                for (inm, head) in [(None, false), (None, true), (Some(tag.as_str()), false)] {
                    let ask = asked(accept, inm, head);
                    // Twice: the first makes and keeps the head, the second reuses it.
                    for bytes in [1234, 98765] {
                        let (kept, old) = (
                            answer(&ask, &entry, bytes, hsts),
                            built(&ask, &entry, bytes, hsts),
                        );
                        assert_eq!(kept.status(), old.status());
                        assert_eq!(
                            sorted(&kept),
                            sorted(&old),
                            "{accept:?} {inm:?} {head} {hsts}"
                        );
                        let size = |r: Response| axum::body::HttpBody::size_hint(r.body()).exact();
                        assert_eq!(size(kept), size(old));
                    }
                }
            }
        }
    }
}
