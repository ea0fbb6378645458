//! HTTPS in the binary itself: rustls (ring, no OpenSSL), HTTP/2 by ALPN,
//! certificates from files or from an ACME CA, and the plain listener's
//! redirects while HTTPS is on.
//!
//! - `certs`: the resolver every handshake asks (swapped in place);
//! - `files`: `--tls-cert`/`--tls-key`, reloaded when they change;
//! - `acme`: automatic certificates (`--acme-domain`);
//! - `listener`: the TLS handshake and HTTP/1.1 / HTTP/2 per connection;
//! - `coalesce`: HTTP/2's writes gathered into fewer, larger ones;
//! - `redirect`: plain HTTP → `308` to HTTPS, and HTTP-01 challenges.
//!
//! [`crate::server::http::serve_with`] stays the one accept loop: this
//! module hands it a [`Transport`] per listener.

pub mod acme;
pub mod certs;
mod coalesce;
mod files;
mod listener;
mod redirect;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use certs::Certificates;
pub use listener::Transport;
pub use redirect::Challenges;
use tokio::net::TcpListener;

use super::cli::TlsArgs;
use super::http::{Limits, router, serve_with, shutdown_signal};
use super::{Site, SiteConfig};

/// The default HTTPS listen address (beside `--addr`'s 127.0.0.1:8080).
pub const DEFAULT_TLS_ADDR: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 8443);

/// How the owner asked for HTTPS (CLI over `quire.toml` over defaults).
#[derive(Clone, Debug, Default)]
pub struct TlsOptions {
    /// PEM certificate chain and key (`--tls-cert`, `--tls-key`).
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    /// Where HTTPS listens (`--tls-addr`, else [`DEFAULT_TLS_ADDR`]).
    pub addr: Option<SocketAddr>,
    /// Automatic certificates (`--acme-domain`…).
    pub acme: acme::AcmeOptions,
}

impl TlsOptions {
    /// Whether HTTPS is on: a certificate pair or an ACME domain.
    pub fn enabled(&self) -> bool {
        self.cert.is_some() || self.key.is_some() || !self.acme.domains.is_empty()
    }
}

/// The HTTPS settings: the flags over `quire.toml` and `QUIRE_*`.
pub fn options(args: &TlsArgs, config: &SiteConfig) -> Result<TlsOptions, String> {
    let path = |flag: &Option<PathBuf>, set: &Option<String>| {
        flag.clone().or_else(|| set.as_ref().map(PathBuf::from))
    };
    let domains = if args.acme_domains.is_empty() {
        config.acme_domains.clone()
    } else {
        args.acme_domains.clone()
    };
    let challenge = match args
        .acme_challenge
        .as_ref()
        .or(config.acme_challenge.as_ref())
    {
        Some(text) => acme::ChallengeKind::parse(text)?,
        None => acme::ChallengeKind::default(),
    };
    Ok(TlsOptions {
        cert: path(&args.tls_cert, &config.tls_cert),
        key: path(&args.tls_key, &config.tls_key),
        addr: args.tls_addr,
        acme: acme::AcmeOptions {
            domains,
            email: args
                .acme_email
                .clone()
                .or_else(|| config.acme_email.clone()),
            directory: args
                .acme_directory
                .clone()
                .or_else(|| config.acme_directory.clone()),
            ca_root: path(&args.acme_ca_root, &config.acme_ca_root),
            challenge,
        },
    })
}

/// HTTPS ready to serve: the certificate source started, the challenges
/// the plain listener answers.
pub struct Https {
    pub certs: Arc<Certificates>,
    pub challenges: Challenges,
    source: Source,
}

/// Where the certificate comes from, and so what keeps it fresh.
enum Source {
    /// Files the owner renews; reloaded when they change.
    Files(PathBuf, PathBuf),
    /// An ACME CA; renewed by Quire.
    Acme(acme::Acme),
}

impl Https {
    /// Starts what keeps the certificate fresh (on the running runtime).
    fn start(self) -> (Arc<Certificates>, Challenges) {
        match self.source {
            Source::Files(cert, key) => files::watch(cert, key, self.certs.clone()),
            Source::Acme(acme) => acme.start(),
        }
        (self.certs, self.challenges)
    }
}

/// Loads the certificate files (or the stored ACME certificate) before the
/// site is ingested, so a wrong path fails at once. The error is the whole
/// message for the owner.
pub fn prepare(options: &TlsOptions, data: &Path) -> Result<Https, String> {
    let certs = Arc::new(Certificates::default());
    let challenges = Challenges::default();
    if !options.acme.domains.is_empty() {
        if options.cert.is_some() || options.key.is_some() {
            return Err("--tls-cert/--tls-key and --acme-domain both given; use one: files you renew yourself, or automatic certificates".into());
        }
        let acme = acme::Acme::prepare(&options.acme, data, certs.clone(), challenges.clone())?;
        return Ok(Https {
            certs,
            challenges,
            source: Source::Acme(acme),
        });
    }
    let (Some(cert), Some(key)) = (&options.cert, &options.key) else {
        return Err("HTTPS needs both --tls-cert FILE and --tls-key FILE (PEM), or --acme-domain NAME for automatic certificates".into());
    };
    let loaded = certs::load_pem(cert, key)?;
    tracing::info!(
        "tls: serving the certificate from {}; it expires {}",
        cert.display(),
        expiry_text(loaded.not_after)
    );
    certs.set(loaded);
    let source = Source::Files(cert.clone(), key.clone());
    Ok(Https {
        certs,
        challenges,
        source,
    })
}

/// rustls's settings: TLS 1.2 and 1.3 with the ring provider's safe
/// defaults, `h2` preferred over `http/1.1`, and `acme-tls/1` for the
/// TLS-ALPN-01 challenge.
pub fn server_config(certs: Arc<Certificates>) -> Arc<rustls::ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("the ring provider supports the default versions")
        .with_no_client_auth()
        .with_cert_resolver(certs);
    config.alpn_protocols = vec![
        b"h2".to_vec(),
        b"http/1.1".to_vec(),
        certs::ACME_TLS_ALPN.to_vec(),
    ];
    Arc::new(config)
}

/// Serves `plain` and, when given, HTTPS on `tls`, until SIGINT or
/// SIGTERM (call it from inside the runtime). With HTTPS on, `plain` only redirects and answers HTTP-01
/// challenges; without it, it serves the site (HTTP/2 by prior knowledge
/// too when `h2c`).
pub fn serve(
    plain: TcpListener,
    tls: Option<(TcpListener, Https)>,
    site: Arc<Site>,
    h2c: bool,
) -> impl Future<Output = std::io::Result<()>> {
    let stop = Stop::on_signal();
    let limits = Limits {
        per_client: super::client_limits::Settings::from_config(&site.config),
        ..Limits::from_env()
    };
    async move {
        let hsts = site.config.hsts();
        let Some((tls, https)) = tls else {
            let transport = Transport::plain(&limits, h2c);
            return serve_with(plain, router(site), limits, hsts, transport, stop.wait()).await;
        };
        let tls_port = tls.local_addr()?.port();
        let (certs, challenges) = https.start();
        site.health.watch_certificate(certs.clone());
        let (secure_limits, clear_limits) = split_connections(limits);
        let transport = Transport::tls(&secure_limits, server_config(certs));
        let site_router = router(site.clone());
        let secure = serve_with(
            tls,
            site_router,
            secure_limits,
            hsts,
            transport,
            stop.wait(),
        );
        let clear_router = redirect::router(challenges, tls_port).merge(health_in_the_clear(site));
        let transport = Transport::plain(&clear_limits, h2c);
        let clear = serve_with(
            plain,
            clear_router,
            clear_limits,
            false,
            transport,
            stop.wait(),
        );
        tokio::try_join!(secure, clear).map(|_| ())
    }
}

/// The connection cap shared by the two listeners, so together they hold
/// no more descriptors than one did: an eighth (at least 16) for plain
/// HTTP, which only redirects, the rest for HTTPS.
fn split_connections(limits: Limits) -> (Limits, Limits) {
    let total = limits.max_connections.max(2);
    let clear = (total / 8).max(16).min(total / 2).max(1);
    let secure = Limits {
        max_connections: total - clear,
        ..limits.clone()
    };
    let clear = Limits {
        max_connections: clear,
        ..limits
    };
    (secure, clear)
}

/// `/healthz` stays readable in the clear: a monitor sees "no certificate
/// yet" even while HTTPS cannot answer.
fn health_in_the_clear(site: Arc<Site>) -> axum::Router {
    axum::Router::new()
        .route(
            crate::urls::HEALTH,
            axum::routing::get(super::health::healthz),
        )
        .with_state(site)
}

/// SIGINT or SIGTERM, told to every listener.
struct Stop(tokio::sync::watch::Receiver<bool>);

impl Stop {
    /// Installs the signal handlers now (see [`shutdown_signal`]; call it
    /// from inside the runtime).
    fn on_signal() -> Self {
        let signal = shutdown_signal();
        let (tell, told) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            signal.await;
            let _ = tell.send(true);
        });
        Self(told)
    }

    fn wait(&self) -> impl Future<Output = ()> + use<> {
        let mut told = self.0.clone();
        async move {
            let _ = told.wait_for(|stop| *stop).await;
        }
    }
}

/// `2026-03-01 12:00 UTC (in 89 days)`: an expiry as the log and
/// `/healthz` say it.
pub fn expiry_text(not_after: i64) -> String {
    let when = chrono::DateTime::from_timestamp(not_after, 0).map_or_else(
        || not_after.to_string(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    );
    let days = (not_after - chrono::Utc::now().timestamp()) / 86_400;
    format!("{when} (in {days} days)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_listeners_share_the_connection_cap() {
        let with = |n| Limits {
            max_connections: n,
            ..Limits::default()
        };
        let (secure, clear) = split_connections(with(1024));
        assert_eq!((secure.max_connections, clear.max_connections), (896, 128));
        let (secure, clear) = split_connections(with(40));
        assert_eq!((secure.max_connections, clear.max_connections), (24, 16));
        let (secure, clear) = split_connections(with(4));
        assert_eq!((secure.max_connections, clear.max_connections), (2, 2));
    }
}
