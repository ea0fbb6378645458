//! Debian's nginx run from one of `deploy/`'s configs in a temporary
//! prefix, for the tests that check those configs do what docs/DEPLOY.md
//! says (the caching front, the static host of an export). One copy, so
//! both start and stop nginx the same way.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where the tests expect nginx; a machine without it fails them with the
/// install hint rather than passing them unrun.
pub const BINARY: &str = "/usr/sbin/nginx";

/// A running nginx; stopped on drop.
pub struct Nginx {
    child: Child,
    pub addr: String,
    _prefix: tempfile::TempDir,
}

impl Nginx {
    /// Starts nginx with `config` (a `deploy/` template) once `{{LISTEN}}`,
    /// `{{PREFIX}}` and each of `fill`'s placeholders are filled in, and
    /// waits (at most 10 s) until it accepts connections.
    pub fn start(config: &str, fill: &[(&str, &str)]) -> Self {
        assert!(
            Path::new(BINARY).exists(),
            "no nginx at {BINARY}: run scripts/setup.sh --browser"
        );
        let prefix = tempfile::tempdir().unwrap();
        // Workers may run as another user when the tests run as root.
        for dir in ["", "tmp", "cache"] {
            let path = prefix.path().join(dir);
            std::fs::create_dir_all(&path).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o777)).unwrap();
        }
        let addr = format!("127.0.0.1:{}", super::free_port());
        let mut config = config
            .replace("{{LISTEN}}", &addr)
            .replace("{{PREFIX}}", &prefix.path().display().to_string());
        for (placeholder, value) in fill {
            config = config.replace(placeholder, value);
        }
        let config_path = prefix.path().join("nginx.conf");
        std::fs::write(&config_path, config).unwrap();
        let child = Command::new(BINARY)
            .arg("-p")
            .arg(prefix.path())
            .arg("-c")
            .arg(&config_path)
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx (scripts/setup.sh --browser installs it)");
        let nginx = Self {
            child,
            addr,
            _prefix: prefix,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(&nginx.addr).is_err() {
            assert!(Instant::now() < deadline, "nginx did not start within 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
        nginx
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM, not SIGKILL: the master then stops its workers too.
        let stopped = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        if !stopped {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}
