//! The HTTP surface: Dioxus SSR and server functions, plus the routes that
//! are not pages (health, files beside bundle posts: [`super::post_files`]),
//! and the serve loop with graceful shutdown.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use dioxus::prelude::{DioxusRouterExt, ServeConfig};
use hyper::body::Incoming;
use tokio::net::{TcpListener, TcpStream};
use tokio_io_timeout::TimeoutStream;
use tower::ServiceExt;
use tower::util::BoxCloneSyncService;

use super::Site;
use super::client_limits::{ClientLimits, Peer};
use super::connections::Connections;
use super::edge::Edge;
use super::tls::Transport;
use crate::web::App as Pages;

/// The whole application, as one cloneable service (what the accept loop
/// and in-process tests call).
pub type App = Edge<BoxCloneSyncService<Request, Response, Infallible>>;

/// The whole application router for `site`. Every handler and middleware
/// gets the site explicitly (router state); the pages and the API's server
/// functions read its [`crate::read::Blog`] from a request extension.
pub fn router(site: Arc<Site>) -> App {
    let own_routes = Router::new()
        .route(crate::urls::HEALTH, get(super::health::healthz))
        .route("/_custom/{name}", get(super::custom_css::serve))
        .route("/_theme/{name}", get(super::theme::serve))
        .route("/_search/meta.json", get(super::search_index::live_meta))
        .with_state(site.clone());
    let router = Router::new()
        .serve_dioxus_application(ServeConfig::new(), Pages)
        .merge(own_routes)
        .merge(super::feeds::routes(site.clone()))
        .merge(super::discovery::routes(site.clone()));
    let router = if site.live_reload {
        super::live_reload::wire(router, site.clone())
    } else {
        router
    };
    // Outside in: [`Edge`] (the address length, a cache hit, then the
    // security headers and the log line on every answer); the `static/`
    // folder (only where the site answers 404, so a page always wins); files beside
    // posts (at any post's address, so not a route; read fresh, never
    // cached); the cache's miss path (render once, store); the read model for server functions
    // and views (a request extension, added on misses only); the body
    // limit and the whole body read (bounded in time); redirects; section
    // feeds (at each section's own address, so not a route); one pass
    // over a rendered page (`<html lang>`, live reload, the CSP hashes,
    // stored with it); a language's prefix taken off (`/fr/page/2`),
    // inside the cache and the page pass; undecodable server-function arguments become 400s
    // inside each route. The stack wraps the router once, rather than each
    // route (`Router::layer`), so a request does not clone every route's
    // layers.
    let stack = tower::ServiceBuilder::new()
        .layer(from_fn_with_state(site.clone(), super::static_files::layer))
        .layer(from_fn_with_state(site.clone(), super::post_files::layer))
        .layer(from_fn_with_state(site.clone(), super::cache::layer))
        .layer(Extension(site.blog.clone()))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_REQUEST_BODY_BYTES,
        ))
        .map_request(|request: axum::http::Request<_>| request.map(axum::body::Body::new))
        .layer(from_fn(super::security::buffered_body))
        .layer(from_fn_with_state(site.clone(), super::redirects::layer))
        .layer(from_fn_with_state(
            site.clone(),
            super::feeds::section_layer,
        ))
        .layer(from_fn_with_state(site.clone(), super::page_rewrite::layer))
        .layer(from_fn_with_state(site.clone(), super::languages::layer));
    // Per route: it reads the error body of a server function, which the
    // router empties for HEAD once the route has answered.
    let router = router.layer(from_fn(super::security::malformed_arguments));
    Edge::new(site, BoxCloneSyncService::new(stack.service(router)))
}

/// Largest request body accepted (413 beyond). The only bodies Quire reads
/// are the JSON arguments of server functions (a search query, a listing
/// filter): a few hundred bytes. axum's `DefaultBodyLimit` (2 MB) only
/// covers its own extractors; this layer covers every route.
pub const MAX_REQUEST_BODY_BYTES: usize = 64 * 1024;

/// Limits of the accept loop. The defaults suit a blog on a small machine;
/// `QUIRE_HEADER_TIMEOUT_SECS`, `QUIRE_REQUEST_TIMEOUT_SECS`,
/// `QUIRE_SEND_TIMEOUT_SECS` and `QUIRE_MAX_CONNECTIONS` override them
/// (operators, tests).
#[derive(Clone, Debug)]
pub struct Limits {
    /// Time a client has to send a complete request head, counted from the
    /// moment the server waits for one — so it is also the idle keep-alive
    /// timeout. 10 s: a real browser sends its headers in one packet and
    /// reopens a closed keep-alive connection transparently; a slowloris
    /// client dribbling a byte at a time is dropped (hyper's own 30 s
    /// default does nothing without a timer, which `axum::serve` never sets).
    pub header_read: Duration,
    /// Whole time a request may take to produce its response head. A page
    /// renders in milliseconds; 30 s only stops a stuck handler from holding
    /// its connection and memory forever. Answered with 503.
    pub request: Duration,
    /// Longest a write to a client may wait (its socket buffer full because
    /// it does not read) before the connection is closed, as nginx's
    /// `send_timeout`: counted between two writes that make progress, so a
    /// slow reader is fine and one that stopped reading cannot hold a
    /// streamed file (or any response) open forever. 30 s.
    pub send: Duration,
    /// Connections served at once, so a flood of sockets cannot exhaust file
    /// descriptors and starve the store. At the cap, the connection idle
    /// longest (waiting for a request head) is closed to make room; when
    /// every one has a request in flight, new connections queue in the
    /// kernel's backlog ([`super::connections`]).
    pub max_connections: usize,
    /// How long shutdown waits for in-flight requests before closing what
    /// is left: under the 10 s a container runtime gives between SIGTERM
    /// and SIGKILL, so the store is flushed before the hard kill.
    pub shutdown_grace: Duration,
    /// Connections and requests per client address, and whose forwarding
    /// headers name the client (the site's settings; [`super::client_limits`]).
    pub per_client: super::client_limits::Settings,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(30),
            send: Duration::from_secs(30),
            max_connections: default_max_connections(),
            shutdown_grace: Duration::from_secs(8),
            per_client: super::client_limits::Settings::default(),
        }
    }
}

impl Limits {
    /// The defaults with the `QUIRE_*` overrides applied; a bad value is
    /// ignored with a warning.
    pub fn from_env() -> Self {
        let mut limits = Self::default();
        let read = |name: &str| -> Option<u64> {
            let raw = std::env::var(name).ok()?;
            match raw.trim().parse::<u64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    tracing::warn!(
                        "{name}={raw:?} is not a positive whole number; using the default"
                    );
                    None
                }
            }
        };
        if let Some(secs) = read("QUIRE_HEADER_TIMEOUT_SECS") {
            limits.header_read = Duration::from_secs(secs);
        }
        if let Some(secs) = read("QUIRE_REQUEST_TIMEOUT_SECS") {
            limits.request = Duration::from_secs(secs);
        }
        if let Some(secs) = read("QUIRE_SEND_TIMEOUT_SECS") {
            limits.send = Duration::from_secs(secs);
        }
        if let Some(n) = read("QUIRE_MAX_CONNECTIONS") {
            limits.max_connections = n as usize;
        }
        limits
    }
}

/// 1,024 connections, or fewer when the open-file limit is low even after
/// raising it: each connection is a descriptor, and the store, the watcher
/// and the bundle need a few dozen of their own.
fn default_max_connections() -> usize {
    const WANTED: usize = 1024;
    const RESERVED: usize = 64;
    match raise_open_file_limit() {
        Some(limit) => WANTED.min(limit.saturating_sub(RESERVED)).max(16),
        None => WANTED,
    }
}

/// Raises the soft open-file limit to the hard one, as nginx does (many
/// systems start processes at a soft 1,024 under a far higher hard limit),
/// and returns the soft limit now in force.
fn raise_open_file_limit() -> Option<usize> {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => Some(usize::try_from(limit).unwrap_or(usize::MAX)),
        Err(err) => {
            tracing::warn!(error = %err, "could not read or raise the open-file limit");
            None
        }
    }
}

/// Serves until SIGINT or SIGTERM, then lets in-flight requests finish.
/// The signal handlers are installed by this call, before the returned
/// future is first polled (call it from inside the runtime).
pub fn serve(
    listener: TcpListener,
    site: Arc<Site>,
) -> impl std::future::Future<Output = std::io::Result<()>> {
    let shutdown = shutdown_signal();
    let hsts = site.config.hsts();
    let limits = Limits {
        per_client: super::client_limits::Settings::from_config(&site.config),
        ..Limits::from_env()
    };
    let transport = Transport::plain(&limits, false);
    serve_with(listener, router(site), limits, hsts, transport, shutdown)
}

/// The accept loop: connections through hyper ([`Transport`]: HTTP/1.1,
/// h2c, or TLS with HTTP/2) with a header-read (and idle) timeout, a send
/// timeout, a cap on open connections, a per-request timeout, and graceful
/// shutdown when `shutdown` completes: stop accepting, let in-flight
/// requests finish (closing idle connections at once), give up after
/// [`Limits::shutdown_grace`].
pub async fn serve_with<S>(
    listener: TcpListener,
    router: S,
    limits: Limits,
    hsts: bool,
    transport: Transport,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()>
where
    S: tower::Service<Request, Response = Response, Error = Infallible> + Clone + Send + Sync,
    S: 'static,
    S::Future: Send,
{
    let connections = Connections::new(limits.max_connections);
    let per_client = ClientLimits::new(limits.per_client.clone(), hsts);
    let per_client = if transport.is_tls() {
        per_client.closing_refusals()
    } else {
        per_client
    };
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tracing::debug!(?limits, "accepting connections");
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => match per_client.admit(stream, peer) {
                    Some(admitted) => admitted,
                    None => continue,
                },
                Err(err) => {
                    accept_failed(err).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = tokio::select! {
            slot = connections.slot() => slot,
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let answer = Answer {
            router: router.clone(),
            activity: slot.activity(),
            peer,
            timeout: limits.request,
            hsts,
        };
        let service = hyper::service::service_fn(move |request| answer.clone().call(request));
        transport.spawn(stream, service, slot, graceful.watcher());
    }
    drop(listener);
    drain(graceful, limits.shutdown_grace).await;
    Ok(())
}

/// hyper's HTTP/1.1 settings: the header-read (and idle) timeout, and a
/// request head of at most 64 KiB (nginx allows 4 x 8 KiB); more is
/// answered with 431 and the connection is closed. Both bounds: the buffer
/// one alone misses a head that arrives in one read.
pub(super) fn http1(limits: &Limits) -> hyper::server::conn::http1::Builder {
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .keep_alive(true)
        .max_header_size(64 * 1024)
        .max_buf_size(64 * 1024);
    builder
}

/// How one connection answers its requests: through the router, within
/// the request timeout, unless the connection was chosen to make room.
#[derive(Clone)]
struct Answer<S> {
    router: S,
    activity: super::connections::Activity,
    peer: Peer,
    timeout: Duration,
    hsts: bool,
}

impl<S> Answer<S>
where
    S: tower::Service<Request, Response = Response, Error = Infallible>,
{
    /// The connection counts as busy until the response body has been
    /// sent (dropped), so it is neither shed nor closed as idle mid-body.
    async fn call(
        self,
        mut request: hyper::Request<Incoming>,
    ) -> Result<Response, std::convert::Infallible> {
        let Some(busy) = self.activity.begin() else {
            return Ok(shed_response(self.hsts));
        };
        if let Some(over) = self.peer.check(&mut request) {
            return Ok(over);
        }
        let mut request = request.map(axum::body::Body::new);
        authority_as_host(&mut request);
        let response = within(self.timeout, self.router.oneshot(request))
            .await
            .unwrap_or_else(|()| timed_out(self.timeout, self.hsts));
        Ok(response.map(|body| {
            use http_body_util::BodyExt;
            axum::body::Body::new(body.map_frame(move |frame| {
                let _held = &busy;
                frame
            }))
        }))
    }
}

/// `answer` if it completes within `limit`. A cache hit completes on its
/// first poll, which is made before the timer exists, so the hits pay for
/// no timer (tokio's `timeout` builds one per call); the rest is bounded
/// from the same start as before.
async fn within<F>(limit: Duration, answer: F) -> Result<Response, ()>
where
    F: std::future::Future<Output = Result<Response, Infallible>>,
{
    let deadline = tokio::time::Instant::now() + limit;
    let mut answer = std::pin::pin!(answer);
    let first = std::future::poll_fn(|cx| std::task::Poll::Ready(answer.as_mut().poll(cx))).await;
    let result = match first {
        std::task::Poll::Ready(result) => result,
        std::task::Poll::Pending => tokio::time::timeout_at(deadline, answer)
            .await
            .map_err(drop)?,
    };
    Ok(result.unwrap_or_else(|never| match never {}))
}

/// HTTP/2 carries the host in `:authority` rather than `Host`: copied into
/// `Host`, so absolute links and the cache key follow it on both protocols.
fn authority_as_host(request: &mut Request) {
    if request.version() != axum::http::Version::HTTP_2
        || request.headers().contains_key(header::HOST)
    {
        return;
    }
    let authority = request.uri().authority();
    if let Some(value) = authority.and_then(|a| header::HeaderValue::from_str(a.as_str()).ok()) {
        request.headers_mut().insert(header::HOST, value);
    }
}

/// After the last accept: lets in-flight requests finish (idle
/// connections close at once), and gives up after `grace`.
async fn drain(graceful: hyper_util::server::graceful::GracefulShutdown, grace: Duration) {
    tracing::info!("no longer accepting connections; finishing in-flight requests");
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after {grace:?}; closing them");
    }
}

/// The connection's socket, whose writes fail with `TimedOut` once one has
/// waited `send` for the client to make room ([`Limits::send`]); hyper then
/// closes the connection and drops the response body (and its file).
pub(super) fn with_send_timeout(
    stream: TcpStream,
    send: Duration,
) -> Pin<Box<TimeoutStream<TcpStream>>> {
    let mut stream = TimeoutStream::new(stream);
    stream.set_write_timeout(Some(send));
    Box::pin(stream)
}

/// Accept errors are per connection (reset before accept) or resource
/// exhaustion (out of descriptors): log, and for the latter give the
/// process a moment to close some before trying again.
async fn accept_failed(err: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::Interrupted
    ) {
        return;
    }
    tracing::error!(error = %err, "accepting a connection failed; retrying in 100 ms");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// The answer to a request that arrives on a connection just chosen to
/// make room for another (it is closed right after).
fn shed_response(hsts: bool) -> Response {
    let mut response = (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "1"), (header::CONNECTION, "close")],
        "the server is at its connection limit; try again",
    )
        .into_response();
    super::security::secure(&mut response, hsts);
    response
}

/// The answer when a request outlives [`Limits::request`].
fn timed_out(after: Duration, hsts: bool) -> Response {
    tracing::error!("a request took longer than {after:?} and was abandoned");
    let mut response = (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "5")],
        "the server took too long to answer; try again",
    )
        .into_response();
    super::security::secure(&mut response, hsts);
    response
}

/// Resolves on SIGINT or SIGTERM. The handlers are installed when this is
/// called, not when first polled: a signal that arrives while the router
/// is still being built must not kill the process unflushed.
pub(super) fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let (interrupt, terminate) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |signal: Option<tokio::signal::unix::Signal>| async move {
                match signal {
                    Some(mut signal) => signal.recv().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = wait(interrupt) => {},
                _ = wait(terminate) => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down: finishing in-flight requests");
    }
}
