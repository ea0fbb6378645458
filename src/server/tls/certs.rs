//! The certificate every TLS handshake is answered with, swapped in place.
//!
//! One [`Certificates`] is the rustls certificate resolver of the HTTPS
//! listener. Its certificate sits behind an [`ArcSwapOption`]: a reload
//! (files changed on disk, or a renewal from the CA) stores a new one, the
//! next handshake uses it, and connections already open keep the one they
//! were made with, so nothing is dropped. It also holds the TLS-ALPN-01
//! challenge certificates while an ACME order is being validated.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};

use arc_swap::ArcSwapOption;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// The ALPN protocol of the TLS-ALPN-01 challenge (RFC 8737).
pub const ACME_TLS_ALPN: &[u8] = b"acme-tls/1";

/// A certificate ready to serve, with when it stops being valid.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub key: Arc<CertifiedKey>,
    /// Seconds since the Unix epoch of the leaf's `notAfter`.
    pub not_after: i64,
    /// Seconds since the Unix epoch of the leaf's `notBefore`.
    pub not_before: i64,
}

/// The resolver: the current certificate and the challenge ones.
#[derive(Debug, Default)]
pub struct Certificates {
    current: ArcSwapOption<Loaded>,
    challenges: RwLock<HashMap<String, Arc<CertifiedKey>>>,
}

impl Certificates {
    /// Serves `loaded` from the next handshake on.
    pub fn set(&self, loaded: Loaded) {
        self.current.store(Some(Arc::new(loaded)));
    }

    /// The certificate being served, if any.
    pub fn current(&self) -> Option<Arc<Loaded>> {
        self.current.load_full()
    }

    /// Answers TLS-ALPN-01 handshakes for `domain` with `key`.
    pub fn add_challenge(&self, domain: &str, key: Arc<CertifiedKey>) {
        let mut challenges = self
            .challenges
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        challenges.insert(domain.to_ascii_lowercase(), key);
    }

    /// Stops answering the challenge for `domain`.
    pub fn remove_challenge(&self, domain: &str) {
        let mut challenges = self
            .challenges
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        challenges.remove(&domain.to_ascii_lowercase());
    }

    fn challenge(&self, domain: &str) -> Option<Arc<CertifiedKey>> {
        let challenges = self
            .challenges
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        challenges.get(&domain.to_ascii_lowercase()).cloned()
    }
}

impl ResolvesServerCert for Certificates {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let acme = hello
            .alpn()
            .is_some_and(|mut protocols| protocols.any(|p| p == ACME_TLS_ALPN));
        if acme {
            return self.challenge(hello.server_name()?);
        }
        self.current
            .load()
            .as_ref()
            .map(|loaded| loaded.key.clone())
    }
}

/// Reads a PEM certificate chain and private key and checks they belong
/// together. The error says which file is wrong and what to do.
pub fn load_pem(cert: &Path, key: &Path) -> Result<Loaded, String> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<_, _>>())
        .map_err(|e| {
            format!(
                "{}: cannot read a PEM certificate chain ({e}); give the full chain file (fullchain.pem)",
                cert.display()
            )
        })?;
    if chain.is_empty() {
        return Err(format!(
            "{}: no certificate in this file; give the PEM full chain (-----BEGIN CERTIFICATE-----)",
            cert.display()
        ));
    }
    let private = PrivateKeyDer::from_pem_file(key).map_err(|e| {
        format!(
            "{}: cannot read a PEM private key ({e}); give the key file (privkey.pem)",
            key.display()
        )
    })?;
    from_der(chain, private).map_err(|e| {
        format!(
            "{} and {}: {e}; give the key that was made with this certificate",
            cert.display(),
            key.display()
        )
    })
}

/// A certificate chain and its key as rustls serves them (ring provider).
pub fn from_der(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<Loaded, String> {
    let (not_before, not_after) = validity(&chain[0])?;
    let provider = rustls::crypto::ring::default_provider();
    let key = CertifiedKey::from_der(chain, key, &provider).map_err(|e| e.to_string())?;
    Ok(Loaded {
        key: Arc::new(key),
        not_after,
        not_before,
    })
}

/// The leaf certificate's validity period, in Unix seconds.
pub fn validity(leaf: &CertificateDer<'_>) -> Result<(i64, i64), String> {
    let (_, parsed) = x509_parser::parse_x509_certificate(leaf.as_ref())
        .map_err(|e| format!("the certificate cannot be parsed ({e})"))?;
    let validity = parsed.validity();
    Ok((
        validity.not_before.timestamp(),
        validity.not_after.timestamp(),
    ))
}
