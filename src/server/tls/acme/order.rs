//! One ACME order, from new order to certificate: each domain's challenge
//! is put up (HTTP-01 on the plain listener, or TLS-ALPN-01 in the HTTPS
//! listener's resolver), the CA is told it is ready, the order is
//! finalized with a CSR for a fresh ECDSA P-256 key, and the chain fetched.
//! The challenges are taken down whatever happens.

use std::sync::Arc;

use instant_acme::{
    Account, AuthorizationStatus, ChallengeType, Identifier, NewOrder, OrderStatus, RetryPolicy,
};

use super::ChallengeKind;
use crate::server::tls::{Certificates, Challenges};

/// Where the challenges are answered.
pub struct Responders<'a> {
    pub certs: &'a Arc<Certificates>,
    pub challenges: &'a Challenges,
    pub kind: ChallengeKind,
}

/// A PEM chain and its PEM private key.
pub struct Issued {
    pub chain: String,
    pub key: String,
}

/// What was put up, to take down afterwards.
#[derive(Default)]
struct PutUp {
    tokens: Vec<String>,
    domains: Vec<String>,
}

fn failed(step: &str) -> impl Fn(instant_acme::Error) -> String + '_ {
    move |e| format!("{step}: {e}")
}

pub async fn issue(
    account: &Account,
    domains: &[String],
    responders: &Responders<'_>,
) -> Result<Issued, String> {
    let mut put_up = PutUp::default();
    let result = run(account, domains, responders, &mut put_up).await;
    for token in &put_up.tokens {
        responders.challenges.remove(token);
    }
    for domain in &put_up.domains {
        responders.certs.remove_challenge(domain);
    }
    result
}

async fn run(
    account: &Account,
    domains: &[String],
    responders: &Responders<'_>,
    put_up: &mut PutUp,
) -> Result<Issued, String> {
    let identifiers: Vec<Identifier> = domains.iter().cloned().map(Identifier::Dns).collect();
    let mut order = account
        .new_order(&NewOrder::new(&identifiers))
        .await
        .map_err(failed("placing the order"))?;
    tracing::info!("acme: order placed for {}", domains.join(", "));
    let mut authorizations = order.authorizations();
    while let Some(authorization) = authorizations.next().await {
        let authorization = authorization.map_err(failed("reading an authorization"))?;
        match authorization.status {
            AuthorizationStatus::Pending => answer(authorization, responders, put_up).await?,
            AuthorizationStatus::Valid => {}
            other => return Err(format!("an authorization is {other:?}")),
        }
    }
    finalize(&mut order, domains).await
}

/// Puts up the challenge of one pending authorization and tells the CA.
async fn answer(
    mut authorization: instant_acme::AuthorizationHandle<'_>,
    responders: &Responders<'_>,
    put_up: &mut PutUp,
) -> Result<(), String> {
    let Identifier::Dns(domain) = authorization.identifier().identifier.clone() else {
        return Err("the CA asked to validate something other than a domain".into());
    };
    let wanted = match responders.kind {
        ChallengeKind::Http01 => ChallengeType::Http01,
        ChallengeKind::TlsAlpn01 => ChallengeType::TlsAlpn01,
    };
    let kind = responders.kind.name();
    let mut challenge = authorization
        .challenge(wanted)
        .ok_or_else(|| format!("the CA offers no {kind} challenge for {domain}"))?;
    let key_authorization = challenge.key_authorization();
    match responders.kind {
        ChallengeKind::Http01 => {
            let token = challenge.token.clone();
            responders
                .challenges
                .insert(&token, key_authorization.as_str());
            put_up.tokens.push(token);
        }
        ChallengeKind::TlsAlpn01 => {
            let key = alpn_certificate(&domain, key_authorization.digest().as_ref())?;
            responders.certs.add_challenge(&domain, key);
            put_up.domains.push(domain.clone());
        }
    }
    challenge
        .set_ready()
        .await
        .map_err(failed("answering the challenge"))?;
    tracing::info!("acme: {kind} challenge ready for {domain}");
    Ok(())
}

/// Waits for validation, sends the CSR of a fresh key, fetches the chain.
async fn finalize(order: &mut instant_acme::Order, domains: &[String]) -> Result<Issued, String> {
    let retries = RetryPolicy::new().timeout(std::time::Duration::from_secs(90));
    let status = order
        .poll_ready(&retries)
        .await
        .map_err(failed("waiting for validation"))?;
    if status != OrderStatus::Ready {
        return Err(format!(
            "the CA did not validate the domains (order {status:?})"
        ));
    }
    tracing::info!("acme: domains validated; finalizing the order");
    let key = rcgen::KeyPair::generate().map_err(|e| e.to_string())?;
    let mut params = rcgen::CertificateParams::new(domains.to_vec()).map_err(|e| e.to_string())?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    let csr = params.serialize_request(&key).map_err(|e| e.to_string())?;
    order
        .finalize_csr(csr.der())
        .await
        .map_err(failed("finalizing the order"))?;
    let chain = order
        .poll_certificate(&retries)
        .await
        .map_err(failed("downloading the certificate"))?;
    Ok(Issued {
        chain,
        key: key.serialize_pem(),
    })
}

/// The self-signed certificate that answers TLS-ALPN-01 for `domain`
/// (RFC 8737): the key authorization's digest in the acmeIdentifier
/// extension.
fn alpn_certificate(
    domain: &str,
    digest: &[u8],
) -> Result<Arc<rustls::sign::CertifiedKey>, String> {
    let key = rcgen::KeyPair::generate().map_err(|e| e.to_string())?;
    let mut params =
        rcgen::CertificateParams::new(vec![domain.to_string()]).map_err(|e| e.to_string())?;
    params.custom_extensions = vec![rcgen::CustomExtension::new_acme_identifier(digest)];
    let cert = params.self_signed(&key).map_err(|e| e.to_string())?;
    let der = rustls_pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into());
    // Not `CertifiedKey::from_der`: its check parses the certificate with
    // webpki, which refuses the critical acmeIdentifier extension.
    let signer = rustls::crypto::ring::sign::any_supported_type(&der).map_err(|e| e.to_string())?;
    let certified = rustls::sign::CertifiedKey::new(vec![cert.der().clone()], signer);
    Ok(Arc::new(certified))
}
