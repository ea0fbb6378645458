//! Per-client limits: how many connections one client address may hold
//! open, and how many requests per second it may make (a token bucket).
//! The global connection cap ([`super::connections`]) keeps the process
//! alive under a flood; these keep one client from taking what others need.
//!
//! The accept loop asks [`ClientLimits::admit`] about each new connection
//! and each request asks its connection's [`Peer::check`] before the cache
//! (so hits count). The client is the socket's peer unless that is a
//! trusted proxy ([`proxies`]): then the address it forwarded. A trusted
//! proxy's connections are not counted, nor its requests that forward no
//! address (it carries many readers). IPv6 clients are counted by their
//! /64 network, the block one subscriber gets.
//!
//! Over a limit the answer is `429 Too Many Requests` with `Retry-After`
//! (whole seconds) and the usual security headers. A connection over the
//! per-address cap is still read and answered with that 429 (then closed),
//! so a browser sees why; once an address holds twice its cap, further
//! connections are closed without an answer, so refusing costs at most
//! the cap's worth of sockets per address.

mod args;
mod open;
mod proxies;
mod rate;
mod refuse;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::response::Response;
use tokio::net::TcpStream;

pub use args::LimitArgs;
pub use proxies::{Client, TrustedProxies};

use crate::server::SiteConfig;

/// The settings, as read from `quire.toml`, `QUIRE_*` and the flags.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Open connections per client address; 0: no cap.
    pub max_connections_per_ip: usize,
    /// Sustained requests per second per client address; 0: no limit.
    pub requests_per_second: u32,
    /// Requests above that rate one address may make at once (0: the rate).
    pub burst: u32,
    pub trusted: TrustedProxies,
}

impl Settings {
    /// The settings of `config` (whose `trusted_proxies` were checked when
    /// it was loaded; an unreadable list here trusts nobody).
    pub fn from_config(config: &SiteConfig) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            max_connections_per_ip: config.max_connections_per_ip,
            requests_per_second: clamp(config.requests_per_second_per_ip),
            burst: clamp(config.burst_per_ip),
            trusted: TrustedProxies::parse(&config.trusted_proxies).unwrap_or_default(),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self::from_config(&SiteConfig::default())
    }
}

/// The client address of a request (a request extension, set by the
/// accept loop), for the log line.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddr(pub Client);

/// The limits' state, shared by the accept loop and every connection.
#[derive(Clone)]
pub struct ClientLimits {
    shared: Arc<Shared>,
    /// Whether a connection over its address's cap gets a plain-HTTP 429
    /// (false on a TLS listener: it is closed).
    answer_refusals: bool,
}

struct Shared {
    settings: Settings,
    open: open::OpenPerAddress,
    rate: Option<rate::Rate>,
    hsts: bool,
}

impl ClientLimits {
    /// Call from inside the runtime: the rate limiter's sweeper is a task.
    pub fn new(settings: Settings, hsts: bool) -> Self {
        let rate = rate::Rate::new(settings.requests_per_second, settings.burst);
        Self {
            answer_refusals: true,
            shared: Arc::new(Shared {
                open: open::OpenPerAddress::new(settings.max_connections_per_ip),
                settings,
                rate,
                hsts,
            }),
        }
    }

    /// These limits for a listener whose connections speak TLS first: a
    /// connection over its address's cap is closed rather than answered.
    pub fn closing_refusals(self) -> Self {
        Self {
            answer_refusals: false,
            ..self
        }
    }

    /// A connection just accepted from `peer`: the stream and its [`Peer`]
    /// to serve, or `None` when it was over the address's cap (then it is
    /// answered 429 and closed by a task of its own, or closed at once).
    pub fn admit(&self, stream: TcpStream, peer: SocketAddr) -> Option<(TcpStream, Peer)> {
        let ip = peer.ip().to_canonical();
        // A trusted proxy carries many clients on its connections.
        let counted = !self.shared.settings.trusted.trusts(ip);
        let key = counted.then(|| key(ip));
        match self.shared.open.enter(key) {
            open::Entry::Admitted(guard) => Some((stream, self.peer(ip, guard))),
            // Over TLS a plain-text answer would only be a failed
            // handshake: the connection is closed instead.
            open::Entry::Refused(_) if !self.answer_refusals => None,
            open::Entry::Refused(guard) => {
                refuse::over_connection_cap(stream, guard, self.shared.hsts);
                None
            }
            open::Entry::Dropped => None,
        }
    }

    fn peer(&self, ip: IpAddr, guard: open::Guard) -> Peer {
        Peer {
            ip,
            limits: self.clone(),
            _open: Arc::new(guard),
        }
    }
}

/// One admitted connection: its peer address, and its place in the count
/// (released when the last clone is dropped, as the connection ends).
#[derive(Clone)]
pub struct Peer {
    ip: IpAddr,
    limits: ClientLimits,
    _open: Arc<open::Guard>,
}

impl Peer {
    /// Notes the request's client ([`ClientAddr`]) and takes a token from
    /// its bucket: `Some(429)` when there is none.
    pub fn check<B>(&self, request: &mut axum::http::Request<B>) -> Option<Response> {
        let shared = &self.limits.shared;
        let client = shared.settings.trusted.client(self.ip, request.headers());
        // Only the log line reads it: not kept (three allocations) when off.
        if tracing::enabled!(target: "quire::request", tracing::Level::DEBUG) {
            request.extensions_mut().insert(ClientAddr(client));
        }
        let rate = shared.rate.as_ref()?;
        let wait = rate.take(key(client.limited()?))?;
        let (ip, method, uri) = (client.ip(), request.method(), request.uri());
        tracing::debug!(target: "quire::request", "{ip} {method} {uri} 429 over the rate");
        Some(refuse::too_many_requests(wait, shared.hsts))
    }
}

/// What an address is counted as: itself, or for IPv6 its /64 network.
fn key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let mut octets = v6.octets();
            octets[8..].fill(0);
            IpAddr::V6(octets.into())
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_counted_by_their_64_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(key(a), key(b));
        assert_ne!(key(a), key(c));
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(key(mapped), "192.0.2.1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn the_defaults_let_a_page_and_its_assets_through_and_trust_loopback() {
        let settings = Settings::default();
        assert!(
            settings.max_connections_per_ip >= 6 * 4,
            "6 per browser tab"
        );
        assert!(settings.burst >= 100 && settings.requests_per_second >= 20);
        assert!(settings.trusted.trusts("127.0.0.1".parse().unwrap()));
        assert!(settings.trusted.trusts("::1".parse().unwrap()));
    }
}
