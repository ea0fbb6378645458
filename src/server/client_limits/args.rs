//! The per-client limits as `quire serve` flags, for an owner trying a
//! value without editing `quire.toml`: each flag given wins over the file
//! and the `QUIRE_*` variable of the same setting.

use crate::server::SiteConfig;

use super::TrustedProxies;

#[derive(Debug, Default, Clone, clap::Args)]
pub struct LimitArgs {
    /// Connections one client address may hold open; 0: no cap [default: `max_connections_per_ip`, 64].
    #[arg(long, value_name = "N")]
    pub max_connections_per_ip: Option<usize>,
    /// Requests per second one client address may make; 0: no limit [default: `requests_per_second_per_ip`, 50].
    #[arg(long, value_name = "N")]
    pub requests_per_second_per_ip: Option<usize>,
    /// Requests one address may make at once above that rate [default: `burst_per_ip`, 200].
    #[arg(long, value_name = "N")]
    pub burst_per_ip: Option<usize>,
    /// A proxy (IP or CIDR) whose X-Forwarded-For names the client; repeat for several, `none` for none [default: `trusted_proxies`, loopback].
    #[arg(long = "trusted-proxy", value_name = "IP_OR_CIDR")]
    pub trusted_proxies: Vec<String>,
}

impl LimitArgs {
    /// Lays the flags given over `config`; the message names a bad proxy.
    pub fn apply(&self, config: &mut SiteConfig) -> Result<(), String> {
        let set = |target: &mut usize, flag: Option<usize>| {
            if let Some(value) = flag {
                *target = value;
            }
        };
        set(
            &mut config.max_connections_per_ip,
            self.max_connections_per_ip,
        );
        set(
            &mut config.requests_per_second_per_ip,
            self.requests_per_second_per_ip,
        );
        set(&mut config.burst_per_ip, self.burst_per_ip);
        if self.trusted_proxies.is_empty() {
            return Ok(());
        }
        let listed: Vec<String> = self
            .trusted_proxies
            .iter()
            .filter(|p| !p.trim().eq_ignore_ascii_case("none"))
            .cloned()
            .collect();
        TrustedProxies::parse(&listed).map_err(|m| format!("--trusted-proxy: {m}"))?;
        config.trusted_proxies = listed;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_given_win_and_others_keep_the_settings() {
        let mut config = SiteConfig {
            burst_per_ip: 7,
            ..SiteConfig::default()
        };
        let args = LimitArgs {
            requests_per_second_per_ip: Some(0),
            trusted_proxies: vec!["10.0.0.0/8".into(), "::1".into()],
            ..LimitArgs::default()
        };
        args.apply(&mut config).unwrap();
        assert_eq!(config.requests_per_second_per_ip, 0);
        assert_eq!(config.burst_per_ip, 7);
        assert_eq!(config.trusted_proxies, ["10.0.0.0/8", "::1"]);
        let none = LimitArgs {
            trusted_proxies: vec!["none".into()],
            ..LimitArgs::default()
        };
        none.apply(&mut config).unwrap();
        assert!(config.trusted_proxies.is_empty());
        let bad = LimitArgs {
            trusted_proxies: vec!["proxy.example".into()],
            ..LimitArgs::default()
        };
        let message = bad.apply(&mut config).unwrap_err();
        assert!(
            message.starts_with("--trusted-proxy: `proxy.example` is not"),
            "{message}"
        );
    }
}
