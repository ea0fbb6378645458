//! Who the client is: the socket's peer, unless that peer is a proxy the
//! owner listed in `trusted_proxies`, in which case the address the proxy
//! forwarded (`Forwarded: for=`, else `X-Forwarded-For`). Without this, a
//! site behind a CDN or a local nginx would see every reader as the proxy,
//! and per-client limits would throttle them all at once; honouring the
//! headers from any peer would let a client name itself anyone.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The networks whose forwarding headers are believed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    nets: Vec<IpNet>,
}

/// The address requests are counted against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Client {
    /// An untrusted peer: the socket's address.
    Direct(IpAddr),
    /// A trusted proxy's peer: the right-most untrusted forwarded address.
    Forwarded(IpAddr),
    /// A trusted proxy that named no untrusted client (no header, only
    /// trusted or unreadable entries): not limited, since every reader
    /// behind it would share the one address.
    Proxy(IpAddr),
}

impl Client {
    /// The address to log.
    pub fn ip(self) -> IpAddr {
        match self {
            Self::Direct(ip) | Self::Forwarded(ip) | Self::Proxy(ip) => ip,
        }
    }

    /// The address to limit, if any.
    pub fn limited(self) -> Option<IpAddr> {
        match self {
            Self::Direct(ip) | Self::Forwarded(ip) => Some(ip),
            Self::Proxy(_) => None,
        }
    }
}

impl TrustedProxies {
    /// Reads `trusted_proxies`: each an IP (`127.0.0.1`, `::1`) or a CIDR
    /// network (`10.0.0.0/8`, `2001:db8::/32`); the message names the first
    /// one that is neither.
    pub fn parse(written: &[String]) -> Result<Self, String> {
        let nets = written
            .iter()
            .map(|raw| net(raw.trim()).ok_or_else(|| not_a_network(raw)))
            .collect::<Result<_, _>>()?;
        Ok(Self { nets })
    }

    /// Whether `ip` is in a listed network (an IPv4-mapped IPv6 address
    /// counts as its IPv4 address).
    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.nets.iter().any(|net| net.contains(&ip))
    }

    /// The client of a request that came from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> Client {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return Client::Direct(peer);
        }
        let mut nearest = peer;
        for hop in forwarded_chain(headers).into_iter().rev() {
            match hop {
                Some(ip) if self.trusts(ip) => nearest = ip,
                Some(ip) => return Client::Forwarded(ip),
                None => break,
            }
        }
        Client::Proxy(nearest)
    }
}

fn net(text: &str) -> Option<IpNet> {
    text.parse::<IpNet>()
        .ok()
        .or_else(|| text.parse::<IpAddr>().ok().map(IpNet::from))
}

fn not_a_network(raw: &str) -> String {
    format!(
        "`{raw}` is not an IP address or network; list addresses such as \"127.0.0.1\" or CIDR networks such as \"10.0.0.0/8\" or \"2001:db8::/32\""
    )
}

/// The forwarded addresses, client first, proxies after: every
/// `Forwarded` header's `for=` when there is one, else every
/// `X-Forwarded-For`. An entry that is not an address (`unknown`, an
/// obfuscated name, garbage) is `None`.
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = |name: axum::http::HeaderName| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_string())
            .collect()
    };
    let forwarded = values(axum::http::header::FORWARDED);
    if !forwarded.is_empty() {
        return forwarded.iter().map(|e| forwarded_for(e)).collect();
    }
    values(axum::http::HeaderName::from_static("x-forwarded-for"))
        .iter()
        .map(|entry| node(entry))
        .collect()
}

/// The `for=` node of one `Forwarded` element (`for=192.0.2.60;proto=http`).
fn forwarded_for(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("for")
            .then(|| node(value.trim().trim_matches('"')))
            .flatten()
    })
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`,
/// `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:4711`.
fn node(text: &str) -> Option<IpAddr> {
    let ip = text
        .parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            let inner = text.strip_prefix('[')?.strip_suffix(']')?;
            inner.parse::<IpAddr>().ok()
        })?;
    Some(ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(list: &[&str]) -> TrustedProxies {
        let list: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        TrustedProxies::parse(&list).unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn addresses_and_networks_are_read_and_others_named() {
        let list = proxies(&["127.0.0.1", "10.0.0.0/8", " ::1 ", "2001:db8::/32"]);
        assert!(list.trusts(ip("10.1.2.3")) && list.trusts(ip("2001:db8::5")));
        assert!(list.trusts(ip("::ffff:127.0.0.1")), "IPv4-mapped");
        assert!(!list.trusts(ip("127.0.0.2")) && !list.trusts(ip("11.0.0.1")));
        let message = TrustedProxies::parse(&["10.0.0.0/33".into()]).unwrap_err();
        assert!(message.starts_with("`10.0.0.0/33` is not"), "{message}");
    }

    #[test]
    fn headers_from_an_unlisted_peer_are_ignored() {
        let list = proxies(&["10.0.0.0/8"]);
        let forged = headers(&[("x-forwarded-for", "1.2.3.4"), ("forwarded", "for=1.2.3.4")]);
        assert_eq!(
            list.client(ip("9.9.9.9"), &forged),
            Client::Direct(ip("9.9.9.9"))
        );
    }

    #[test]
    fn the_right_most_untrusted_forwarded_address_is_the_client() {
        let list = proxies(&["10.0.0.0/8"]);
        let chain = headers(&[
            ("x-forwarded-for", "6.6.6.6, 1.2.3.4"),
            ("x-forwarded-for", "10.0.0.7"),
        ]);
        assert_eq!(
            list.client(ip("10.0.0.1"), &chain),
            Client::Forwarded(ip("1.2.3.4")),
            "6.6.6.6 was written by the client and is not believed"
        );
        let rfc = headers(&[
            (
                "forwarded",
                "for=6.6.6.6, for=\"[2001:db8::1]:4711\";proto=https",
            ),
            ("x-forwarded-for", "1.2.3.4"),
        ]);
        assert_eq!(
            list.client(ip("10.0.0.1"), &rfc),
            Client::Forwarded(ip("2001:db8::1")),
            "Forwarded wins over X-Forwarded-For"
        );
        assert_eq!(
            list.client(
                ip("10.0.0.1"),
                &headers(&[("x-forwarded-for", "1.2.3.4:5678")])
            ),
            Client::Forwarded(ip("1.2.3.4"))
        );
    }

    #[test]
    fn a_proxy_that_names_no_untrusted_client_is_not_limited() {
        let list = proxies(&["10.0.0.0/8"]);
        let peer = ip("10.0.0.1");
        assert_eq!(list.client(peer, &HeaderMap::new()), Client::Proxy(peer));
        let junk = headers(&[("x-forwarded-for", "1.2.3.4, unknown, 10.0.0.9")]);
        assert_eq!(list.client(peer, &junk), Client::Proxy(ip("10.0.0.9")));
        assert_eq!(list.client(peer, &junk).limited(), None);
    }
}
