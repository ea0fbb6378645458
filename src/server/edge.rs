//! The outermost step of every request, hit or miss.
//!
//! It refuses an over-long address (414), answers a cache hit, or hands the
//! request to the rest of the stack; then, on whatever answers, it sets the
//! security headers (a hit carries them already: [`super::cache::hit`]) and
//! writes the one `debug` log line. It is a tower
//! service of its own rather than an axum `from_fn` middleware: a hit is
//! answered without cloning or boxing the stack behind it (a `from_fn`
//! clones its inner service on every call), so the one request path costs
//! a hit what the old fast path did, and the stack is shared behind an
//! `Arc` so cloning the service per request is cheap.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::Request;
use axum::http::{Method, Uri};
use axum::response::Response;
use tower::{Service, ServiceExt};

use super::Site;

/// The service: `site` for the headers and the cache, `inner` for misses.
pub struct Edge<S> {
    site: Arc<Site>,
    inner: Arc<S>,
}

impl<S> Clone for Edge<S> {
    fn clone(&self) -> Self {
        Self {
            site: self.site.clone(),
            inner: self.inner.clone(),
        }
    }
}

impl<S> Edge<S> {
    pub fn new(site: Arc<Site>, inner: S) -> Self {
        Self {
            site,
            inner: Arc::new(inner),
        }
    }
}

type Answer = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

impl<S> Service<Request> for Edge<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + Sync + 'static,
    S::Future: Send,
{
    type Response = Response;
    type Error = Infallible;
    type Future =
        futures_util::future::Either<std::future::Ready<Result<Response, Infallible>>, Answer>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        use futures_util::future::Either;
        let seen = Seen::of(&request);
        if let Some(response) = super::security::uri_too_long(&request) {
            return Either::Left(std::future::ready(Ok(seen.finish(&self.site, response))));
        }
        // A hit comes with its security headers (kept with the entry).
        if let Some(response) = super::cache::hit(&self.site, &request) {
            return Either::Left(std::future::ready(Ok(seen.log(response))));
        }
        let (site, inner) = (self.site.clone(), S::clone(&self.inner));
        Either::Right(Box::pin(async move {
            let response = inner.oneshot(request).await?;
            Ok(seen.finish(&site, response))
        }))
    }
}

/// What the log line needs of the request, taken only when the line is
/// written (`quire::request` at `debug`): a hit then costs no clock read
/// and no copy of its address.
struct Seen(Option<Asked>);

struct Asked {
    method: Method,
    uri: Uri,
    /// Who asked ([`super::client_limits`]: the peer, or the address a
    /// trusted proxy forwarded); none in process.
    client: Option<std::net::IpAddr>,
    started: Instant,
}

impl Seen {
    fn of(request: &Request) -> Self {
        if !tracing::enabled!(target: "quire::request", tracing::Level::DEBUG) {
            return Self(None);
        }
        Self(Some(Asked {
            method: request.method().clone(),
            uri: request.uri().clone(),
            client: request
                .extensions()
                .get::<super::client_limits::ClientAddr>()
                .map(|c| c.0.ip()),
            started: Instant::now(),
        }))
    }

    /// The security headers and the log line, on any answer.
    fn finish(self, site: &Site, mut response: Response) -> Response {
        super::security::secure(&mut response, site.config.hsts());
        self.log(response)
    }

    /// The log line, on an answer that has its security headers.
    fn log(self, response: Response) -> Response {
        if let Some(asked) = self.0 {
            let ms = asked.started.elapsed().as_secs_f64() * 1e3;
            let status = response.status().as_u16();
            let (method, uri) = (asked.method, asked.uri);
            let client = asked.client.map(|ip| ip.to_string()).unwrap_or_default();
            tracing::debug!(target: "quire::request", "{client} {method} {uri} {status} {ms:.2}ms");
        }
        response
    }
}
