//! Automatic certificates against a real ACME server: Debian's `pebble`
//! (Let's Encrypt's test CA), installed by `scripts/setup.sh`. A missing
//! pebble fails these tests rather than skipping them.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Server, free_port, post, write};

const PEBBLE: &str = "/usr/bin/pebble";

/// A running pebble, killed on drop, with its log lines.
struct Pebble {
    child: Child,
    directory: String,
    management: String,
    /// Its own HTTPS certificate (self-signed): the `--acme-ca-root`.
    root: PathBuf,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Drop for Pebble {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Pebble {
    /// Validates HTTP-01 on `http_port` and TLS-ALPN-01 on `tls_port` of
    /// the domain's address (`localhost`).
    fn start(dir: &Path, http_port: u16, tls_port: u16, validity_secs: u64) -> Self {
        assert!(
            Path::new(PEBBLE).exists(),
            "{PEBBLE} is missing: run scripts/setup.sh (it installs Debian's pebble package)"
        );
        let made = rcgen::generate_simple_self_signed(vec![
            "localhost".to_string(),
            "127.0.0.1".to_string(),
        ])
        .unwrap();
        let root = dir.join("pebble-cert.pem");
        std::fs::write(&root, made.cert.pem()).unwrap();
        std::fs::write(dir.join("pebble-key.pem"), made.signing_key.serialize_pem()).unwrap();
        let (api, management) = (free_port(), free_port());
        let config = serde_json::json!({ "pebble": {
            "listenAddress": format!("127.0.0.1:{api}"),
            "managementListenAddress": format!("127.0.0.1:{management}"),
            "certificate": root,
            "privateKey": dir.join("pebble-key.pem"),
            "httpPort": http_port,
            "tlsPort": tls_port,
            "ocspResponderURL": "",
            "externalAccountBindingRequired": false,
            "certificateValidityPeriod": validity_secs,
        }});
        let config_path = dir.join("pebble.json");
        std::fs::write(&config_path, config.to_string()).unwrap();
        let mut child = Command::new(PEBBLE)
            .arg("-config")
            .arg(&config_path)
            .env("PEBBLE_VA_NOSLEEP", "1")
            .env("PEBBLE_WFE_NONCEREJECT", "0")
            .env("PEBBLE_AUTHZREUSE", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let lines = lines.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    lines.lock().unwrap().push(line);
                }
            });
        }
        wait_for_port(api);
        Self {
            child,
            directory: format!("https://127.0.0.1:{api}/dir"),
            management: format!("https://127.0.0.1:{management}"),
            root,
            lines,
        }
    }

    /// The directory URL and the root to trust for it.
    fn ca(&self) -> (&str, &Path) {
        (&self.directory, &self.root)
    }

    fn count(&self, needle: &str) -> usize {
        let lines = self.lines.lock().unwrap();
        lines.iter().filter(|l| l.contains(needle)).count()
    }

    /// The root that signs the certificates pebble issues (made at start).
    async fn issuing_root(&self) -> reqwest::Certificate {
        let pem = std::fs::read(&self.root).unwrap();
        let client = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
            .tls_built_in_root_certs(false)
            .build()
            .unwrap();
        let url = format!("{}/roots/0", self.management);
        let root = client.get(url).send().await.unwrap().bytes().await.unwrap();
        reqwest::Certificate::from_pem(&root).unwrap()
    }
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "pebble did not listen on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Quire on `plain` and `tls` ports, getting a certificate for localhost.
fn quire(dir: &Path, plain: u16, tls: u16, ca: (&str, &Path), challenge: &str) -> Server {
    write(
        dir,
        "content/hello.md",
        &post("Hello ACME", "2024-05-01", ""),
    );
    let tls_addr = format!("127.0.0.1:{tls}");
    let args = [
        "--tls-addr",
        &tls_addr,
        "--acme-domain",
        "localhost",
        "--acme-email",
        "owner@blog.example",
        "--acme-directory",
        ca.0,
        "--acme-ca-root",
        ca.1.to_str().unwrap(),
        "--acme-challenge",
        challenge,
    ];
    Server::start_on(
        plain,
        &[],
        &dir.join("content"),
        &dir.join("data"),
        &args,
        &[],
    )
}

async fn https_get(root: &reqwest::Certificate, tls: u16, path: &str) -> (u16, String) {
    let client = reqwest::Client::builder()
        .add_root_certificate(root.clone())
        .tls_built_in_root_certs(false)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let response = client
        .get(format!("https://localhost:{tls}{path}"))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn issues_with(challenge: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (plain, tls) = (free_port(), free_port());
    let pebble = Pebble::start(dir.path(), plain, tls, 90 * 86_400);
    let server = quire(dir.path(), plain, tls, pebble.ca(), challenge);
    wait_for_issue(&server);
    let root = pebble.issuing_root().await;
    let (status, body) = https_get(&root, tls, "/blog/hello").await;
    assert_eq!(status, 200);
    assert!(body.contains("Hello ACME"));
    let (_, health) = https_get(&root, tls, "/healthz").await;
    assert!(health.starts_with("ok\ncertificate expires "), "{health}");
    assert_eq!(pebble.count("Added order"), 1);
    let mode = |p: &Path| {
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(p).unwrap().permissions())
            & 0o777
    };
    let acme = dir.path().join("data/acme");
    assert_eq!(mode(&acme), 0o700);
    for entry in std::fs::read_dir(&acme).unwrap() {
        assert_eq!(mode(&entry.unwrap().path()), 0o600);
    }
    drop(server);

    let again = quire(dir.path(), plain, tls, pebble.ca(), challenge);
    assert!(
        again
            .startup
            .iter()
            .any(|l| l.contains("acme: serving the stored certificate")),
        "{:?}",
        again.startup
    );
    let (status, _) = https_get(&root, tls, "/blog/hello").await;
    assert_eq!(status, 200, "served at once after a restart");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        pebble.count("Added order"),
        1,
        "a restart placed no new order"
    );
    drop(again);

    let (directory, ca_root) = (pebble.directory.clone(), pebble.root.clone());
    drop(pebble);
    let offline = quire(dir.path(), plain, tls, (&directory, &ca_root), challenge);
    let (status, _) = https_get(&root, tls, "/blog/hello").await;
    assert_eq!(
        status, 200,
        "the stored certificate serves with the CA unreachable"
    );
    drop(offline);
}

#[tokio::test(flavor = "multi_thread")]
async fn pebble_issues_by_tls_alpn_01_and_a_restart_orders_nothing() {
    issues_with("tls-alpn-01").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pebble_issues_by_http_01_and_a_restart_orders_nothing() {
    issues_with("http-01").await;
}

/// Waits for the "certificate issued" line; panics with the log so far.
fn wait_for_issue(server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    while let Ok(line) = server
        .log
        .recv_timeout(deadline.saturating_duration_since(Instant::now()))
    {
        if line.contains("acme: certificate issued for localhost") {
            return;
        }
        seen.push(line);
    }
    let acme: Vec<&String> = seen.iter().filter(|l| l.contains("acme")).collect();
    panic!("no certificate issued within 30 s: {acme:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_short_lived_certificate_is_renewed_while_requests_keep_answering() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, tls) = (free_port(), free_port());
    let pebble = Pebble::start(dir.path(), plain, tls, 15);
    let server = quire(dir.path(), plain, tls, pebble.ca(), "tls-alpn-01");
    wait_for_issue(&server);
    let root = pebble.issuing_root().await;
    let renewed = tokio::task::spawn_blocking(move || {
        wait_for_issue(&server);
        server
    });
    let mut answered = 0;
    while !renewed.is_finished() {
        let (status, _) = https_get(&root, tls, "/blog/hello").await;
        assert_eq!(status, 200, "a request during renewal");
        answered += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _server = renewed.await.unwrap();
    assert!(answered > 10, "only {answered} requests while renewing");
    assert_eq!(pebble.count("Added order"), 2, "one renewal order");
    let (status, _) = https_get(&root, tls, "/blog/hello").await;
    assert_eq!(status, 200, "the renewed certificate serves");
}

#[test]
fn without_a_certificate_and_the_ca_unreachable_http_still_answers() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, tls, closed) = (free_port(), free_port(), free_port());
    let directory = format!("https://127.0.0.1:{closed}/dir");
    let root = dir.path().join("root.pem");
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    std::fs::write(&root, made.cert.pem()).unwrap();
    let server = quire(dir.path(), plain, tls, (&directory, &root), "http-01");
    let line = server.wait_for_log(|l| l.contains("acme: "));
    assert!(line.contains("cannot create an account"), "{line}");
    assert!(
        line.contains("retrying in 120s; no certificate yet"),
        "{line}"
    );
    let health = common::fetch(&server.addr, "/healthz");
    assert_eq!(health.status, 503);
    assert!(
        health.body.contains("no certificate yet"),
        "{}",
        health.body
    );
    let (status, _) = server.get("/.well-known/acme-challenge/some-token");
    assert_eq!(
        status, 404,
        "the challenge path is answered, not redirected"
    );
}
