//! Certificates from files (`--tls-cert`, `--tls-key`), reloaded when the
//! files change.
//!
//! Whatever renews them (certbot, a cron job, a secrets manager) replaces
//! the files; Quire notices within a second (it compares both files' size
//! and modification time, following symlinks as certbot's `live/` ones) and
//! serves the new pair from the next handshake. A pair that does not load
//! (the key not yet written beside a new certificate) is logged once and
//! the old certificate keeps serving until the next change.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::certs::{Certificates, load_pem};

/// How often the files are looked at.
const POLL: Duration = Duration::from_secs(1);

/// What a file looked like: changes when it is rewritten or replaced.
type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// Watches `cert` and `key` and loads them into `certs` after each change,
/// for as long as the runtime runs.
pub fn watch(cert: PathBuf, key: PathBuf, certs: Arc<Certificates>) {
    let mut seen = (stamp(&cert), stamp(&key));
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(POLL).await;
            let now = (stamp(&cert), stamp(&key));
            if now == seen {
                continue;
            }
            seen = now;
            reload(&cert, &key, &certs);
        }
    });
}

fn reload(cert: &Path, key: &Path, certs: &Certificates) {
    match load_pem(cert, key) {
        Ok(loaded) => {
            let expires = super::expiry_text(loaded.not_after);
            certs.set(loaded);
            tracing::info!(
                "tls: loaded the new certificate from {}; it expires {expires}",
                cert.display()
            );
        }
        Err(e) => tracing::warn!(
            "tls: the certificate files changed but do not load: {e}; still serving the previous certificate"
        ),
    }
}
