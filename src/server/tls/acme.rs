//! Automatic certificates from an ACME CA (placeholder until the client lands).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Certificates, Challenges};

/// Let's Encrypt's production directory, the default CA.
pub const LETS_ENCRYPT: &str = "https://acme-v02.api.letsencrypt.org/directory";
/// Let's Encrypt's staging directory (untrusted certificates, high limits).
pub const LETS_ENCRYPT_STAGING: &str = "https://acme-staging-v02.api.letsencrypt.org/directory";

/// What the owner asked of the CA.
#[derive(Clone, Debug, Default)]
pub struct AcmeOptions {
    pub domains: Vec<String>,
    pub email: Option<String>,
    pub directory: Option<String>,
    pub ca_root: Option<PathBuf>,
}

/// The certificate's keeper: orders, stores and renews it.
pub struct Acme {
    _certs: Arc<Certificates>,
    _challenges: Challenges,
}

impl Acme {
    pub fn prepare(
        _options: &AcmeOptions,
        _data: &Path,
        _certs: Arc<Certificates>,
        _challenges: Challenges,
    ) -> Result<Self, String> {
        Err("--acme-domain is not available yet; use --tls-cert and --tls-key".into())
    }

    pub fn start(self) {}
}
