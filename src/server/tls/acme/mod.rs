//! Automatic certificates from an ACME CA (Let's Encrypt by default), with
//! `instant-acme` for the protocol and `rcgen` for keys and CSRs.
//!
//! Designed against the ways this goes wrong in practice:
//! - re-ordering on every restart until the CA rate-limits: the account and
//!   certificate persist under `<data>/acme/` (`store`), and a start with a
//!   stored certificate serves it and orders nothing until it is due;
//! - a failed renewal treated as fatal: failures are retried with
//!   exponential back-off ([`backoff`]) while the current certificate
//!   keeps serving;
//! - a renewed certificate never loaded: a new one is swapped into the
//!   resolver at once ([`Certificates::set`]), no restart.
//!
//! Renewal is due at two thirds of the certificate's lifetime
//! ([`renew_at`]: day 60 of Let's Encrypt's 90). Every step is one `info`
//! line starting `acme:`.

mod order;
mod store;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use instant_acme::{Account, NewAccount};

use super::certs::Loaded;
use super::{Certificates, Challenges, expiry_text};
use store::Store;

/// Let's Encrypt's production directory, the default CA.
pub const LETS_ENCRYPT: &str = "https://acme-v02.api.letsencrypt.org/directory";
/// Let's Encrypt's staging directory (untrusted certificates, high limits).
pub const LETS_ENCRYPT_STAGING: &str = "https://acme-staging-v02.api.letsencrypt.org/directory";

/// First wait after a failed order; doubled after each further failure.
const FIRST_RETRY: Duration = Duration::from_secs(120);
/// Longest wait between two attempts.
const LONGEST_RETRY: Duration = Duration::from_secs(6 * 3600);

/// Which challenge proves control of the domains.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ChallengeKind {
    /// TLS-ALPN-01, answered on the HTTPS listener (port 443 for a public CA).
    #[default]
    TlsAlpn01,
    /// HTTP-01, answered on the plain listener (port 80 for a public CA).
    Http01,
}

impl ChallengeKind {
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "tls-alpn-01" => Ok(Self::TlsAlpn01),
            "http-01" => Ok(Self::Http01),
            other => Err(format!(
                "acme challenge {other:?} is not known; write \"tls-alpn-01\" (answered on the HTTPS port) or \"http-01\" (on the HTTP port)"
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::TlsAlpn01 => "tls-alpn-01",
            Self::Http01 => "http-01",
        }
    }
}

/// What the owner asked of the CA.
#[derive(Clone, Debug, Default)]
pub struct AcmeOptions {
    pub domains: Vec<String>,
    pub email: Option<String>,
    pub directory: Option<String>,
    pub ca_root: Option<PathBuf>,
    pub challenge: ChallengeKind,
}

/// The certificate's keeper: orders, stores and renews it.
pub struct Acme {
    options: AcmeOptions,
    directory: String,
    store: Store,
    certs: Arc<Certificates>,
    challenges: Challenges,
}

impl Acme {
    /// Checks the settings, opens the store and serves a stored
    /// certificate at once if there is one.
    pub fn prepare(
        options: &AcmeOptions,
        data: &Path,
        certs: Arc<Certificates>,
        challenges: Challenges,
    ) -> Result<Self, String> {
        check_domains(&options.domains)?;
        let directory = options
            .directory
            .clone()
            .unwrap_or_else(|| LETS_ENCRYPT.into());
        let store = Store::open(data, &directory, &options.domains)?;
        let names = options.domains.join(", ");
        match store.load_certificate() {
            Some(loaded) => {
                tracing::info!(
                    "acme: serving the stored certificate for {names} from {}; it expires {}",
                    store.cert_path().display(),
                    expiry_text(loaded.not_after)
                );
                certs.set(loaded);
            }
            None => tracing::info!(
                "acme: no stored certificate for {names}; ordering one from {directory}"
            ),
        }
        Ok(Self {
            options: options.clone(),
            directory,
            store,
            certs,
            challenges,
        })
    }

    /// Keeps the certificate fresh on the running runtime.
    pub fn start(self) {
        tokio::spawn(self.run());
    }

    async fn run(self) {
        let mut failures = 0u32;
        loop {
            if let Some(wait) = self.due_in() {
                tokio::time::sleep(wait).await;
                continue;
            }
            match self.renew().await {
                Ok(loaded) => {
                    failures = 0;
                    let (expires, due) = (
                        loaded.not_after,
                        renew_at(loaded.not_before, loaded.not_after),
                    );
                    self.certs.set(loaded);
                    tracing::info!(
                        "acme: certificate issued for {}; it expires {}, renewal is due {}",
                        self.options.domains.join(", "),
                        expiry_text(expires),
                        expiry_text(due)
                    );
                }
                Err(e) => {
                    failures += 1;
                    let delay = backoff(failures);
                    tracing::warn!(
                        "acme: {e}; retrying in {}s; {}",
                        delay.as_secs(),
                        self.serving()
                    );
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }

    /// How long until the current certificate is due for renewal (at most
    /// an hour, then asked again); `None` when it is due now.
    fn due_in(&self) -> Option<Duration> {
        let current = self.certs.current()?;
        let due = renew_at(current.not_before, current.not_after);
        let left = due - chrono::Utc::now().timestamp();
        (left > 0).then(|| Duration::from_secs(left.unsigned_abs().min(3600)))
    }

    fn serving(&self) -> String {
        match self.certs.current() {
            Some(c) => format!(
                "still serving the current certificate (expires {})",
                expiry_text(c.not_after)
            ),
            None => "no certificate yet: HTTPS handshakes fail until one is issued".into(),
        }
    }

    async fn renew(&self) -> Result<Loaded, String> {
        let account = self.account().await?;
        let responders = order::Responders {
            certs: &self.certs,
            challenges: &self.challenges,
            kind: self.options.challenge,
        };
        let issued = order::issue(&account, &self.options.domains, &responders).await?;
        self.store.save_certificate(&issued.chain, &issued.key)
    }

    async fn account(&self) -> Result<Account, String> {
        let builder = match &self.options.ca_root {
            Some(root) => Account::builder_with_root(root),
            None => Account::builder(),
        }
        .map_err(|e| format!("cannot set up the HTTPS client for the CA: {e}"))?;
        if let Some(credentials) = self.store.load_account() {
            return builder
                .from_credentials(credentials)
                .await
                .map_err(|e| format!("cannot reach the CA at {} ({e})", self.directory));
        }
        let contact = self.options.email.as_ref().map(|e| format!("mailto:{e}"));
        let contacts: Vec<&str> = contact.iter().map(String::as_str).collect();
        let new = NewAccount {
            contact: &contacts,
            terms_of_service_agreed: true,
            only_return_existing: false,
        };
        let (account, credentials) = builder
            .create(&new, self.directory.clone(), None)
            .await
            .map_err(|e| format!("cannot create an account at {} ({e})", self.directory))?;
        self.store.save_account(&credentials)?;
        tracing::info!("acme: account created at {}", self.directory);
        Ok(account)
    }
}

/// Domains a CA can issue for: names, no scheme, port or path.
fn check_domains(domains: &[String]) -> Result<(), String> {
    for domain in domains {
        let ok = !domain.is_empty()
            && (domain.contains('.') || domain == "localhost")
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '*'));
        if !ok {
            return Err(format!(
                "--acme-domain {domain:?} is not a domain name; give the bare name, such as blog.example.com (no https://, port or path)"
            ));
        }
    }
    Ok(())
}

/// When a certificate valid from `not_before` to `not_after` is renewed:
/// two thirds into its lifetime.
pub fn renew_at(not_before: i64, not_after: i64) -> i64 {
    not_before + (not_after - not_before).max(0) * 2 / 3
}

/// The wait after the `failures`-th failure in a row: 2 min, doubled each
/// time, at most 6 h (Let's Encrypt allows 5 failed validations an hour).
pub fn backoff(failures: u32) -> Duration {
    let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(16));
    FIRST_RETRY.saturating_mul(factor).min(LONGEST_RETRY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_is_due_at_two_thirds_of_the_lifetime() {
        let day = 86_400;
        assert_eq!(renew_at(0, 90 * day), 60 * day);
        assert_eq!(renew_at(1000, 1030), 1020);
    }

    #[test]
    fn failures_back_off_exponentially_up_to_six_hours() {
        assert_eq!(backoff(1), Duration::from_secs(120));
        assert_eq!(backoff(2), Duration::from_secs(240));
        assert_eq!(backoff(4), Duration::from_secs(960));
        assert_eq!(backoff(40), LONGEST_RETRY);
    }

    #[test]
    fn domains_are_bare_names() {
        assert!(check_domains(&["blog.example".into(), "localhost".into()]).is_ok());
        let message = check_domains(&["https://blog.example".into()]).unwrap_err();
        assert!(message.contains("give the bare name"), "{message}");
    }
}
