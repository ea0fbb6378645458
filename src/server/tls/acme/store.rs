//! What ACME leaves on disk, under `<data>/acme/` (mode 0700, files 0600):
//! the account's credentials, one file per CA directory, and the
//! certificate with its key, one pair per CA and set of domains. A restart
//! reads them back, so it places no new order while the certificate is
//! valid (a CA rate-limits repeated orders: Let's Encrypt allows 5 a week
//! for the same names).

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::server::tls::certs::{Loaded, load_pem};

/// The files of one CA and set of domains.
pub struct Store {
    account: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

/// A short stable name for `parts` (the CA's URL, the domains).
fn short_hash(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    /// Creates `<data>/acme/` (0700) if needed.
    pub fn open(data: &Path, directory: &str, domains: &[String]) -> Result<Self, String> {
        let dir = data.join("acme");
        std::fs::create_dir_all(&dir)
            .and_then(|()| restrict(&dir, 0o700))
            .map_err(|e| {
                format!(
                    "cannot create {} ({e}); give Quire a writable --data directory",
                    dir.display()
                )
            })?;
        let mut sorted: Vec<&str> = domains.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        let mut parts = vec![directory];
        parts.extend(&sorted);
        let name = format!("{}-{}", sorted[0], short_hash(&parts));
        Ok(Self {
            account: dir.join(format!("account-{}.json", short_hash(&[directory]))),
            cert: dir.join(format!("{name}.crt.pem")),
            key: dir.join(format!("{name}.key.pem")),
        })
    }

    pub fn load_account(&self) -> Option<instant_acme::AccountCredentials> {
        let text = std::fs::read_to_string(&self.account).ok()?;
        match serde_json::from_str(&text) {
            Ok(credentials) => Some(credentials),
            Err(e) => {
                tracing::warn!(
                    "acme: {} cannot be read ({e}); creating a new account",
                    self.account.display()
                );
                None
            }
        }
    }

    pub fn save_account(
        &self,
        credentials: &instant_acme::AccountCredentials,
    ) -> Result<(), String> {
        let text = serde_json::to_string(credentials).map_err(|e| e.to_string())?;
        write_private(&self.account, text.as_bytes())
    }

    /// The stored certificate, if there is one that loads.
    pub fn load_certificate(&self) -> Option<Loaded> {
        if !self.cert.exists() {
            return None;
        }
        match load_pem(&self.cert, &self.key) {
            Ok(loaded) => Some(loaded),
            Err(e) => {
                tracing::warn!(
                    "acme: the stored certificate does not load: {e}; ordering a new one"
                );
                None
            }
        }
    }

    /// Stores a new certificate (key first: a crash between the two leaves
    /// a pair that does not load, which is ordered again, never a
    /// certificate served with the wrong key).
    pub fn save_certificate(&self, chain: &str, key: &str) -> Result<Loaded, String> {
        write_private(&self.key, key.as_bytes())?;
        write_private(&self.cert, chain.as_bytes())?;
        load_pem(&self.cert, &self.key)
    }

    pub fn cert_path(&self) -> &Path {
        &self.cert
    }
}

/// Writes `bytes` to `path` through a temporary file made 0600 before
/// anything is written to it, then renamed into place.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = path.with_extension("tmp");
    let write = || -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp)?;
        restrict(&tmp, 0o600)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        format!(
            "cannot write {} ({e}); check the --data directory is writable",
            path.display()
        )
    })
}

fn restrict(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_private_and_named_per_ca_and_domains() {
        let data = tempfile::tempdir().unwrap();
        let domains = vec!["b.example".to_string(), "a.example".to_string()];
        let store = Store::open(data.path(), "https://ca/dir", &domains).unwrap();
        write_private(&store.key, b"secret").unwrap();
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data.path().join("acme")), 0o700);
        assert_eq!(mode(&store.key), 0o600);
        let name = store.cert.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with("a.example-"), "{name}");
        let other = Store::open(data.path(), "https://other/dir", &domains).unwrap();
        assert_ne!(other.cert, store.cert, "another CA, another certificate");
        assert_ne!(other.account, store.account);
    }
}
