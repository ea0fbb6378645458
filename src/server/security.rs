//! Security headers on every response, and a Content-Security-Policy that
//! allows no inline script it has not hashed.
//!
//! Two places (wired in [`super::http::router`]):
//!
//! - [`super::page_rewrite`] sits inside the page cache, right around the
//!   renderer. For an HTML response it hashes every inline executable
//!   `<script>` (the theme script of `index.html`, the Dioxus hydration
//!   bootstrap and data, the live-reload script) with SHA-256 and sets
//!   `Content-Security-Policy` from [`policy_with`] those hashes. The page
//!   cache keeps the header with the page, so a cache hit carries the
//!   policy of the exact bytes it serves, and hashing costs nothing per hit.
//! - [`headers`] sits outside the cache and every other layer but the
//!   request log, so redirects, 304s, cache hits, API answers, assets and
//!   errors all get `X-Content-Type-Options`, `Referrer-Policy`,
//!   `Permissions-Policy`, `Strict-Transport-Security` (when the `hsts`
//!   setting is on), and the base policy when no policy was set inside.
//!
//! The policy: scripts only from this origin or with a listed hash, plus
//! `'wasm-unsafe-eval'` (compiling the WebAssembly client; without it
//! `WebAssembly.instantiateStreaming` is refused). No `'unsafe-inline'`, so
//! an injected `<script>` or `on*=` attribute never runs. No `'unsafe-eval'`
//! either (see [`SCRIPT_SRC`]); the browser suite fails on any CSP
//! violation. `style-src-attr 'unsafe-inline'` lets the `style`
//! attributes the raw-HTML sanitiser keeps show (`content::html_policy`);
//! style sheets only
//! from this origin: neither the server-rendered pages nor the client use
//! `style=` attributes or `<style>` elements (the raw HTML sanitiser drops
//! them from posts). Frames only from the `embed_hosts` setting
//! (`frame-src`), the same hosts `content::html_policy` keeps iframes of.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Directives after `script-src` — the same for every response.
const STYLE_SRC: &str = "style-src 'self'; style-src-attr 'unsafe-inline'";
/// Images from this origin and `data:` URLs, then the `image_hosts`.
const IMG_SRC: &str = "img-src 'self' data:";
const OTHER_DIRECTIVES: &str = "font-src 'self'; \
     connect-src 'self'; media-src 'self'; manifest-src 'self'; worker-src 'self'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";
/// Script sources every page may use besides its hashed inline scripts.
///
/// No `'unsafe-eval'`: Dioxus 0.7.10's web `document::Title` evaluates a
/// string (`new Function("document.title = …")`), so the client sets titles
/// through the DOM instead (`web::browser::set_title`); the browser suite fails
/// on any CSP violation.
const SCRIPT_SRC: &str = "script-src 'self' 'wasm-unsafe-eval'";
use crate::content::limits::MAX_PAGE_BYTES;
/// `Strict-Transport-Security` when the `hsts` setting is on: a year, the
/// minimum the browsers' preload lists accept. No `includeSubDomains`: the
/// blog cannot know whether every subdomain of its host speaks HTTPS.
const HSTS: &str = "max-age=31536000";
/// No powerful feature is used by a blog page; `interest-cohort` opts out of
/// FLoC-style tracking.
const PERMISSIONS_POLICY_HEADER: header::HeaderName =
    header::HeaderName::from_static("permissions-policy");
const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), interest-cohort=()";

/// The policy without any inline-script hash or frame: for responses that
/// are not HTML pages (API answers, feeds, assets, redirects).
pub fn base_policy() -> String {
    policy_with(&[], &Hosts::default())
}

/// The other sites a page may load from: the `embed_hosts` and
/// `image_hosts` settings, bare lower-case host names.
#[derive(Clone, Copy, Debug, Default)]
pub struct Hosts<'a> {
    pub frames: &'a [String],
    pub images: &'a [String],
}

/// The policy allowing exactly the inline scripts with these hashes
/// (`sha256-<base64>` each), images from this origin and the
/// `image_hosts` (a bare host: the page's own scheme or https), and frames
/// from exactly the `embed_hosts` (over https). With no host there is no
/// `frame-src`, so `default-src 'self'` applies (Quire's pages have no
/// frames of their own).
pub fn policy_with(hashes: &[String], hosts: &Hosts) -> String {
    let frame_hosts = hosts.frames;
    let mut policy = String::with_capacity(500 + hashes.len() * 56 + frame_hosts.len() * 40);
    policy.push_str("default-src 'self'; ");
    policy.push_str(SCRIPT_SRC);
    for hash in hashes {
        policy.push_str(" '");
        policy.push_str(hash);
        policy.push('\'');
    }
    policy.push_str("; ");
    policy.push_str(STYLE_SRC);
    policy.push_str("; ");
    policy.push_str(IMG_SRC);
    for host in hosts.images {
        policy.push(' ');
        policy.push_str(host);
    }
    policy.push_str("; ");
    policy.push_str(OTHER_DIRECTIVES);
    if !frame_hosts.is_empty() {
        policy.push_str("; frame-src");
        for host in frame_hosts {
            policy.push_str(" https://");
            policy.push_str(host);
        }
    }
    policy
}

/// Longest request target (path and query) answered: 16 KiB, twice
/// nginx's default buffer. Real addresses are far shorter (a slug, a search
/// of a few words, tracking tags; the search box sends what was typed, and
/// 10,000 characters of ASCII fit); pages echo parts of the address (the
/// search box's value, the filter, Dioxus's hydration data), so an
/// unbounded one made a 60 KB `?tag=` into a 1 MB page.
pub const MAX_URI_BYTES: usize = 16 * 1024;

/// Answers 414 to a request target over [`MAX_URI_BYTES`], before any
/// rendering, as nginx does past its header buffers.
pub fn uri_too_long(request: &Request) -> Option<Response> {
    let uri = request.uri();
    let length = uri.path().len() + uri.query().map_or(0, |q| q.len() + 1);
    if length <= MAX_URI_BYTES {
        return None;
    }
    let refused = (
        StatusCode::URI_TOO_LONG,
        [(header::CONNECTION, "close")],
        "the address is too long",
    );
    Some(refused.into_response())
}

/// How long a client has to send a whole request body. Under the request
/// timeout (30 s, answered 503), so a slow body is the client's fault: 408.
pub const BODY_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Reads a request body whole before any handler sees it, bounded in size
/// (the body limit layer outside makes an over-long one fail) and in time.
/// Server functions decode their arguments from a body stream and panic
/// when it fails half-way (a chunked body over the limit, a malformed
/// chunk, a client that stops sending); here such a request is answered
/// 413, 400 or 408, with no handler run and nothing in the log but a line.
pub async fn buffered_body(request: Request, next: Next) -> Response {
    if !has_body(&request) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(BODY_READ_TIMEOUT, to_bytes(body, usize::MAX)).await;
    match read {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Err(err)) if is_over_limit(&err) => body_refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the request body is over the limit",
        ),
        Ok(Err(_)) => body_refused(
            StatusCode::BAD_REQUEST,
            "the request body could not be read",
        ),
        Err(_) => body_refused(
            StatusCode::REQUEST_TIMEOUT,
            "the request body did not arrive in time",
        ),
    }
}

fn has_body(request: &Request) -> bool {
    let headers = request.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|length| length != "0")
}

fn is_over_limit(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

/// A refused body: the connection is closed after it, since the rest of
/// the body (if any) was not read.
fn body_refused(status: StatusCode, message: &'static str) -> Response {
    tracing::debug!(target: "quire::request", "{message}: {}", status.as_u16());
    (status, [(header::CONNECTION, "close")], message).into_response()
}

/// The answer when a page's body cannot be buffered (over
/// [`MAX_PAGE_BYTES`], which content within `content::limits` never
/// reaches): a logged 500, which the cache never stores, rather than a
/// page cut short or emptied.
pub fn page_too_large(err: &axum::Error) -> Response {
    tracing::error!(error = %err, "a page could not be buffered (limit {MAX_PAGE_BYTES} bytes); answered 500");
    (
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "this page is too large to serve",
    )
        .into_response()
}

/// Server functions answer 500 when they cannot decode their arguments (a
/// missing field, malformed JSON, a GET where a POST was expected): that is
/// the client's fault, and a crawler or scanner sending junk must not fill
/// the logs and dashboards with server errors. Such answers become 400.
pub async fn malformed_arguments(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let asked = format!("{} {}", request.method(), request.uri().path());
    let response = next.run(request).await;
    if response.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Error bodies are one short JSON object.
    let Ok(bytes) = to_bytes(body, 64 * 1024).await else {
        return (
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "internal error",
        )
            .into_response();
    };
    let Some(cause) = argument_error(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.status = axum::http::StatusCode::BAD_REQUEST;
    parts.headers.remove(header::CONTENT_LENGTH);
    // Dioxus words it as a failure to read its own results; it is the
    // request's arguments that could not be read.
    let error = format!(
        "{asked}: the request's arguments cannot be read ({cause}); docs/ARCHITECTURE.md, `api`, lists each endpoint's arguments"
    );
    Response::from_parts(
        parts,
        Body::from(serde_json::json!({ "error": error }).to_string()),
    )
}

/// What a server function's error body says about its arguments, when it
/// is an error decoding them.
fn argument_error(body: &[u8]) -> Option<String> {
    // Dioxus's words (`error deserializing server function results: …`,
    // or any other `error deserializing …`), then its cause.
    const NEEDLE: &str = "error deserializing";
    let text = String::from_utf8_lossy(body);
    let message = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("error")?.as_str().map(str::to_string))
        .unwrap_or_else(|| text.to_string());
    let said = &message[message.find(NEEDLE)?..];
    let cause = said.split_once(':').map_or("", |(_, cause)| cause.trim());
    Some(match cause.is_empty() {
        true => "malformed".into(),
        false => cause.into(),
    })
}

/// Adds the fixed headers, HSTS when asked for, and the base policy when
/// none is set. A policy already present (with hashes) is kept. A 304 gets
/// no policy: browsers copy a 304's headers onto the stored page, and the
/// base policy would then block that page's hashed inline scripts.
pub fn secure(response: &mut Response, hsts: bool) {
    let not_modified = response.status() == axum::http::StatusCode::NOT_MODIFIED;
    let headers = response.headers_mut();
    if !not_modified
        && !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(value) = HeaderValue::from_str(&base_policy())
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(
        PERMISSIONS_POLICY_HEADER,
        HeaderValue::from_static(PERMISSIONS_POLICY),
    );
    if hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hash the page rewrite lists for a script whose text is `text`.
    fn sha(text: &str) -> String {
        let page = format!("<script>{text}</script>");
        crate::server::page_rewrite::inline_script_hashes(page.as_bytes()).remove(0)
    }

    #[test]
    fn argument_errors_are_told_by_dioxus_words_and_keep_their_cause() {
        let json = |m: &str| serde_json::json!({ "error": m }).to_string().into_bytes();
        let missing = "error deserializing server function results: missing field `limit`";
        assert_eq!(
            argument_error(&json(missing)).as_deref(),
            Some("missing field `limit`")
        );
        let other = "error deserializing request: expected value at line 1";
        assert_eq!(
            argument_error(&json(other)).as_deref(),
            Some("expected value at line 1")
        );
        assert_eq!(
            argument_error(b"error deserializing").as_deref(),
            Some("malformed")
        );
        assert_eq!(argument_error(&json("the store is gone")), None);
    }

    #[test]
    fn policy_lists_hashes_and_allows_inline_style_attributes_only() {
        let policy = policy_with(&[sha("x")], &Hosts::default());
        assert!(policy.contains(&format!("{SCRIPT_SRC} '{}';", sha("x"))));
        assert!(policy.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"));
        let inline = policy.split("; ").filter(|d| d.contains("unsafe-inline"));
        assert_eq!(
            inline.collect::<Vec<_>>(),
            ["style-src-attr 'unsafe-inline'"]
        );
        for directive in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
        ] {
            assert!(policy.contains(directive), "{directive}");
        }
    }

    #[test]
    fn frames_are_allowed_from_the_embed_hosts_only() {
        assert!(!base_policy().contains("frame-src"));
        let hosts = ["www.youtube.com".to_string(), "player.vimeo.com".into()];
        let frames = Hosts {
            frames: &hosts,
            images: &[],
        };
        let policy = policy_with(&[], &frames);
        assert!(
            policy.ends_with("; frame-src https://www.youtube.com https://player.vimeo.com"),
            "{policy}"
        );
    }

    #[test]
    fn images_are_allowed_from_the_image_hosts_only() {
        assert!(base_policy().contains("; img-src 'self' data:; "));
        let hosts = ["github.com".to_string(), "static.crates.io".into()];
        let images = Hosts {
            frames: &[],
            images: &hosts,
        };
        let policy = policy_with(&[], &images);
        assert!(
            policy.contains("; img-src 'self' data: github.com static.crates.io; "),
            "{policy}"
        );
        assert!(!policy.contains("frame-src"), "{policy}");
    }

    #[test]
    fn static_headers_keep_a_hashed_policy_and_add_hsts_on_request() {
        let mut response = Response::new(Body::empty());
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("hashed"),
        );
        secure(&mut response, false);
        let headers = response.headers();
        assert_eq!(headers[header::CONTENT_SECURITY_POLICY], "hashed");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(!headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
        let mut response = Response::new(Body::empty());
        secure(&mut response, true);
        let headers = response.headers();
        assert_eq!(
            headers[header::CONTENT_SECURITY_POLICY],
            base_policy().as_str()
        );
        assert_eq!(headers[header::STRICT_TRANSPORT_SECURITY], HSTS);
    }

    #[test]
    fn not_modified_gets_no_policy_that_would_replace_the_stored_one() {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = axum::http::StatusCode::NOT_MODIFIED;
        secure(&mut response, false);
        assert!(
            !response
                .headers()
                .contains_key(header::CONTENT_SECURITY_POLICY)
        );
        assert_eq!(
            response.headers()[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff"
        );
    }
}
