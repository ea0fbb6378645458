//! The plain-HTTP listener while HTTPS is on: it answers ACME HTTP-01
//! challenges (`/.well-known/acme-challenge/<token>`) and sends everything
//! else to the same address on HTTPS with a `308` (which, unlike a `301`,
//! keeps the method and body). No page is ever served in the clear.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// Where HTTP-01 challenge answers are served from.
pub const CHALLENGE_PREFIX: &str = "/.well-known/acme-challenge/";

/// The HTTP-01 answers of the orders in progress: token → key authorization.
#[derive(Clone, Debug, Default)]
pub struct Challenges(Arc<RwLock<HashMap<String, String>>>);

impl Challenges {
    pub fn insert(&self, token: &str, answer: &str) {
        let mut map = self.0.write().unwrap_or_else(PoisonError::into_inner);
        map.insert(token.to_string(), answer.to_string());
    }

    pub fn remove(&self, token: &str) {
        let mut map = self.0.write().unwrap_or_else(PoisonError::into_inner);
        map.remove(token);
    }

    fn get(&self, token: &str) -> Option<String> {
        let map = self.0.read().unwrap_or_else(PoisonError::into_inner);
        map.get(token).cloned()
    }
}

#[derive(Clone)]
struct Target {
    challenges: Challenges,
    /// The HTTPS port, left out of the address when it is 443.
    tls_port: u16,
}

/// The plain listener's whole router.
pub fn router(challenges: Challenges, tls_port: u16) -> Router {
    let target = Target {
        challenges,
        tls_port,
    };
    Router::new()
        .route(&format!("{CHALLENGE_PREFIX}{{token}}"), get(challenge))
        .fallback(to_https)
        .with_state(target)
}

async fn challenge(State(target): State<Target>, Path(token): Path<String>) -> Response {
    match target.challenges.get(&token) {
        Some(answer) => {
            ([(header::CONTENT_TYPE, "application/octet-stream")], answer).into_response()
        }
        None => (StatusCode::NOT_FOUND, "no such ACME challenge").into_response(),
    }
}

async fn to_https(State(target): State<Target>, request: Request) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().host());
    let Some(host) = host.and_then(bare_host) else {
        return (
            StatusCode::BAD_REQUEST,
            "this site is served over HTTPS; send a Host header",
        )
            .into_response();
    };
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let location = https_url(host, target.tls_port, path);
    (
        StatusCode::PERMANENT_REDIRECT,
        [
            (header::LOCATION, location),
            (header::CACHE_CONTROL, "max-age=3600".into()),
        ],
    )
        .into_response()
}

/// The host of a `Host` header without its port, if it is a plausible
/// name or address (no userinfo, no spaces, no path).
fn bare_host(host: &str) -> Option<&str> {
    let host = host.trim();
    let bare = if host.starts_with('[') {
        &host[..=host.find(']')?]
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    let ok = !bare.is_empty()
        && bare
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'));
    ok.then_some(bare)
}

fn https_url(host: &str, port: u16, path: &str) -> String {
    if port == 443 {
        format!("https://{host}{path}")
    } else {
        format!("https://{host}:{port}{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_https_address_keeps_path_and_query_and_drops_the_http_port() {
        assert_eq!(
            https_url(bare_host("blog.example:80").unwrap(), 443, "/a?b=c"),
            "https://blog.example/a?b=c"
        );
        assert_eq!(
            https_url(bare_host("[::1]:8080").unwrap(), 8443, "/"),
            "https://[::1]:8443/"
        );
    }

    #[test]
    fn hosts_with_userinfo_or_paths_are_refused() {
        assert_eq!(bare_host("evil.example/x"), None);
        assert_eq!(bare_host("a@b"), None);
        assert_eq!(bare_host(""), None);
    }
}
