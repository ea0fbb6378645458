//! `/healthz`: whether the site is kept up to date with `content/`.
//!
//! Reads never depend on the store's writes: when writes fail (a full disk)
//! the last good site keeps being served and the watcher retries. That is
//! invisible to readers, so it shows here, for the load balancer or the
//! monitor: `200 ok` when healthy, `503 degraded: <reason>` (with
//! `Retry-After`) while writes fail. The reason names the cause but no
//! path: anyone can read this route.
//!
//! With HTTPS on, a second line says when the certificate expires (what a
//! monitor should alert on), or that there is none yet (`503`).

use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::State;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Seconds a client is asked to wait before checking again.
const RETRY_AFTER_SECS: &str = "5";

/// The site's health: healthy, or store writes failing.
#[derive(Default)]
pub struct Health {
    failure: Mutex<Option<WriteFailure>>,
    /// The certificates served over HTTPS, when it is on.
    certificate: std::sync::OnceLock<Arc<super::tls::Certificates>>,
}

#[derive(Clone, PartialEq, Eq)]
struct WriteFailure {
    /// What the operating system said, without paths.
    cause: String,
    /// Retrying cannot help: the process must restart.
    needs_restart: bool,
}

impl Health {
    /// Store writes fail with `cause`; they are retried.
    pub fn writes_failing(&self, cause: String) {
        let needs_restart = self.lock().as_ref().is_some_and(|f| f.needs_restart);
        self.set(WriteFailure {
            cause,
            needs_restart,
        });
    }

    /// Store writes cannot work again until a restart; the cause is kept.
    pub fn needs_restart(&self) {
        let cause = self
            .lock()
            .as_ref()
            .map_or_else(|| "the store cannot flush".to_string(), |f| f.cause.clone());
        self.set(WriteFailure {
            cause,
            needs_restart: true,
        });
    }

    /// Marks the site healthy; logs when it was not.
    pub fn recover(&self) {
        if self.lock().take().is_some() {
            tracing::info!("health: ok (store writes work again)");
        }
    }

    /// Why the site is degraded, as `/healthz` says it, if it is.
    pub fn degraded(&self) -> Option<String> {
        self.lock().as_ref().map(WriteFailure::reason)
    }

    /// Reports the expiry of the certificate `certs` serves.
    pub fn watch_certificate(&self, certs: Arc<super::tls::Certificates>) {
        let _ = self.certificate.set(certs);
    }

    /// `certificate expires …`, or why there is none; `None` without HTTPS.
    fn certificate(&self) -> Option<Result<String, String>> {
        let certs = self.certificate.get()?;
        Some(match certs.current() {
            Some(loaded) => Ok(format!(
                "certificate expires {}",
                super::tls::expiry_text(loaded.not_after)
            )),
            None => Err(
                "no certificate yet (the ACME order is in progress or failing; see the log)".into(),
            ),
        })
    }

    /// Logs when what `/healthz` says changes.
    fn set(&self, failure: WriteFailure) {
        let mut current = self.lock();
        if current.as_ref() != Some(&failure) {
            tracing::error!("health: degraded: {}", failure.reason());
            *current = Some(failure);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<WriteFailure>> {
        self.failure.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl WriteFailure {
    /// `store writes failing (No space left on device); retrying`.
    fn reason(&self) -> String {
        let next = if self.needs_restart {
            "restart Quire to recover"
        } else {
            "retrying"
        };
        format!("store writes failing ({}); {next}", self.cause)
    }
}

/// `GET /healthz`.
pub async fn healthz(State(site): State<Arc<super::Site>>) -> Response {
    let certificate = site.health.certificate();
    let reason = match (site.health.degraded(), &certificate) {
        (Some(reason), _) => Some(reason),
        (None, Some(Err(why))) => Some(why.clone()),
        (None, _) => None,
    };
    let Some(reason) = reason else {
        return match certificate {
            Some(Ok(line)) => format!("ok\n{line}\n").into_response(),
            _ => "ok".into_response(),
        };
    };
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::RETRY_AFTER, RETRY_AFTER_SECS),
            (header::CACHE_CONTROL, "no-store"),
        ],
        format!("degraded: {reason}"),
    )
        .into_response()
}
