//! HTTPS, HTTP/2 and the plain listener's redirects (docs/SECURITY.md,
//! "HTTPS"): each test runs `quire serve` with a certificate made by
//! `rcgen` at test time and talks to it with reqwest (rustls) or the `h2`
//! crate.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Server, free_port, post, write};
use reqwest::{Certificate, Client, Version, redirect};

/// A self-signed certificate for `localhost` and 127.0.0.1, as PEM files.
struct TestCert {
    cert: String,
    key: String,
}

fn make_cert() -> TestCert {
    let names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
    let made = rcgen::generate_simple_self_signed(names).unwrap();
    TestCert {
        cert: made.cert.pem(),
        key: made.signing_key.serialize_pem(),
    }
}

fn write_cert(dir: &Path, cert: &TestCert) -> (PathBuf, PathBuf) {
    let (c, k) = (dir.join("cert.pem"), dir.join("key.pem"));
    // Written beside, then renamed: what certbot and most renewers do.
    std::fs::write(dir.join("cert.tmp"), &cert.cert).unwrap();
    std::fs::write(dir.join("key.tmp"), &cert.key).unwrap();
    std::fs::rename(dir.join("key.tmp"), &k).unwrap();
    std::fs::rename(dir.join("cert.tmp"), &c).unwrap();
    (c, k)
}

fn content(dir: &Path) {
    write(
        dir,
        "content/hello.md",
        &post("Hello TLS", "2024-05-01", ""),
    );
    write(dir, "content/other.md", &post("Other", "2024-05-02", ""));
}

/// A server with HTTPS from `cert`, and its HTTPS address.
fn tls_server(dir: &Path, cert: &TestCert, extra: &[&str]) -> (Server, String) {
    let env = [("QUIRE_BASE_URL", "https://blog.example")];
    tls_server_with(dir, cert, extra, &env)
}

/// [`tls_server`] with `extra` arguments and exactly the variables `env`.
fn tls_server_with(
    dir: &Path,
    cert: &TestCert,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (Server, String) {
    content(dir);
    let (c, k) = write_cert(dir, cert);
    let tls_addr = format!("127.0.0.1:{}", free_port());
    let mut args = vec![
        "--tls-cert",
        c.to_str().unwrap(),
        "--tls-key",
        k.to_str().unwrap(),
        "--tls-addr",
        &tls_addr,
    ];
    args.extend_from_slice(extra);
    let server = Server::start_with_env(&dir.join("content"), &dir.join("data"), &args, env);
    (server, tls_addr)
}

fn client(cert: &TestCert, version: Option<Version>) -> Client {
    let builder = Client::builder()
        .add_root_certificate(Certificate::from_pem(cert.cert.as_bytes()).unwrap())
        .tls_built_in_root_certs(false)
        .tls_info(true)
        .redirect(redirect::Policy::none())
        .timeout(Duration::from_secs(10));
    let builder = match version {
        Some(Version::HTTP_11) => builder.http1_only(),
        _ => builder,
    };
    builder.build().unwrap()
}

/// Status, version, the headers that must agree, and the body.
async fn answer(
    client: &Client,
    url: &str,
    encoding: &str,
) -> (u16, Version, Vec<(String, String)>, Vec<u8>) {
    let response = client
        .get(url)
        .header("accept-encoding", encoding)
        .send()
        .await
        .unwrap();
    let keep = [
        "content-type",
        "etag",
        "content-security-policy",
        "cache-control",
        "x-content-type-options",
        "referrer-policy",
        "vary",
        "content-encoding",
    ];
    let headers = keep
        .iter()
        .filter_map(|name| {
            let value = response.headers().get(*name)?.to_str().ok()?;
            Some((name.to_string(), value.to_string()))
        })
        .collect();
    let status = response.status().as_u16();
    let version = response.version();
    (
        status,
        version,
        headers,
        response.bytes().await.unwrap().to_vec(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn https_answers_like_http_over_http1_and_h2() {
    let cert = make_cert();
    let tls_dir = tempfile::tempdir().unwrap();
    let (_tls, tls_addr) = tls_server(tls_dir.path(), &cert, &[]);
    let plain_dir = tempfile::tempdir().unwrap();
    content(plain_dir.path());
    let env = [("QUIRE_BASE_URL", "https://blog.example")];
    let plain = Server::start_with_env(
        &plain_dir.path().join("content"),
        &plain_dir.path().join("data"),
        &[],
        &env,
    );
    let h2 = client(&cert, None);
    let h1 = client(&cert, Some(Version::HTTP_11));
    let clear = client(&cert, Some(Version::HTTP_11));
    let paths = ["/", "/blog/hello", "/atom.xml"];
    for (path, encoding) in paths.iter().flat_map(|p| [(*p, "identity"), (*p, "br")]) {
        let tls_port = port(&tls_addr);
        let over_h2 = answer(
            &h2,
            &format!("https://localhost:{tls_port}{path}"),
            encoding,
        )
        .await;
        let over_h1 = answer(
            &h1,
            &format!("https://127.0.0.1:{tls_port}{path}"),
            encoding,
        )
        .await;
        let over_http = answer(&clear, &format!("http://{}{path}", plain.addr), encoding).await;
        assert_eq!(over_h2.0, 200, "{path} over h2");
        assert_eq!(over_h2.1, Version::HTTP_2, "ALPN chose h2 for {path}");
        assert_eq!(over_h1.1, Version::HTTP_11);
        assert_eq!(
            over_h2.2, over_h1.2,
            "{path}: same headers on h2 and http/1.1"
        );
        assert_eq!(over_h2.3, over_h1.3, "{path}: same body on h2 and http/1.1");
        assert_eq!(over_h1.2, over_http.2, "{path}: same headers as plain HTTP");
        assert_eq!(over_h1.3, over_http.3, "{path}: same body as plain HTTP");
    }
    let response = h2
        .get(format!("https://localhost:{}/", port(&tls_addr)))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000",
        "HSTS is on by default with HTTPS"
    );
}

fn port(addr: &str) -> u16 {
    addr.rsplit(':').next().unwrap().parse().unwrap()
}

fn peer_cert(response: &reqwest::Response) -> Vec<u8> {
    let info = response
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .unwrap();
    info.peer_certificate().unwrap().to_vec()
}

#[tokio::test(flavor = "multi_thread")]
async fn replaced_certificate_files_serve_new_connections_and_keep_open_ones() {
    let (first, second) = (make_cert(), make_cert());
    let dir = tempfile::tempdir().unwrap();
    let (server, tls_addr) = tls_server(dir.path(), &first, &[]);
    let url = format!("https://localhost:{}/", port(&tls_addr));
    let open = client(&first, Some(Version::HTTP_11));
    let before = open.get(&url).send().await.unwrap();
    assert_eq!(peer_cert(&before), pem_der(&first.cert));
    before.bytes().await.unwrap();

    write_cert(dir.path(), &second);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let fresh = client(&second, Some(Version::HTTP_11));
        if let Ok(response) = fresh.get(&url).send().await {
            assert_eq!(peer_cert(&response), pem_der(&second.cert));
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new certificate was never served"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let again = open
        .get(&url)
        .send()
        .await
        .expect("the open connection still answers");
    assert_eq!(again.status(), 200);
    assert_eq!(
        peer_cert(&again),
        pem_der(&first.cert),
        "answered on the connection opened before the reload"
    );
    server.wait_for_log(|line| line.contains("tls: loaded the new certificate"));
}

fn pem_der(pem: &str) -> Vec<u8> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    CertificateDer::from_pem_slice(pem.as_bytes())
        .unwrap()
        .to_vec()
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_redirects_to_https_with_308_and_keeps_the_challenge_path() {
    let cert = make_cert();
    let dir = tempfile::tempdir().unwrap();
    let (server, tls_addr) = tls_server(dir.path(), &cert, &[]);
    let clear = client(&cert, Some(Version::HTTP_11));
    let response = clear
        .get(format!("http://{}/hello?x=1", server.addr))
        .header("host", "blog.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 308);
    assert_eq!(
        response.headers()["location"],
        format!("https://blog.example:{}/hello?x=1", port(&tls_addr)).as_str()
    );
    let challenge = clear
        .get(format!(
            "http://{}/.well-known/acme-challenge/unknown",
            server.addr
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        challenge.status(),
        404,
        "the challenge path is answered, not redirected"
    );
    let health = client(&cert, None)
        .get(format!("https://localhost:{}/healthz", port(&tls_addr)))
        .send()
        .await
        .unwrap();
    let body = health.text().await.unwrap();
    assert!(body.starts_with("ok\ncertificate expires "), "{body}");
}

#[test]
fn a_missing_or_mismatched_key_is_refused_with_the_file_named() {
    let dir = tempfile::tempdir().unwrap();
    content(dir.path());
    let (cert, other) = (make_cert(), make_cert());
    let (c, _) = write_cert(dir.path(), &cert);
    let wrong = dir.path().join("wrong.pem");
    std::fs::write(&wrong, &other.key).unwrap();
    let output = common::quire_command(&[])
        .args(["serve", "--content"])
        .arg(dir.path().join("content"))
        .arg("--data")
        .arg(dir.path().join("data"))
        .args(["--addr", &format!("127.0.0.1:{}", free_port())])
        .args(["--tls-addr", &format!("127.0.0.1:{}", free_port())])
        .arg("--tls-cert")
        .arg(&c)
        .arg("--tls-key")
        .arg(&wrong)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("wrong.pem"), "{stderr}");
    assert!(
        stderr.contains("give the key that was made with this certificate"),
        "{stderr}"
    );
}

/// A server with HTTPS and the given `QUIRE_*` limits.
fn tls_server_env(dir: &Path, cert: &TestCert, env: &[(&str, &str)]) -> (Server, String) {
    tls_server_with(dir, cert, &[], env)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_handshake_is_dropped_and_idle_tls_connections_give_way() {
    use tokio::io::AsyncReadExt;
    let cert = make_cert();
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("QUIRE_HEADER_TIMEOUT_SECS", "1"),
        ("QUIRE_MAX_CONNECTIONS", "4"),
    ];
    let (_server, tls_addr) = tls_server_env(dir.path(), &cert, &env);
    let mut silent = tokio::net::TcpStream::connect(&tls_addr).await.unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 16];
    let read = tokio::time::timeout(Duration::from_secs(5), silent.read(&mut buf)).await;
    assert!(
        matches!(read, Ok(Ok(0)) | Ok(Err(_))),
        "a client that never says hello is closed: {read:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // More silent sockets than the cap: each new one sheds the one idle
    // longest, so a real client still gets in.
    let mut idle = Vec::new();
    for _ in 0..8 {
        idle.push(tokio::net::TcpStream::connect(&tls_addr).await.unwrap());
    }
    let url = format!("https://localhost:{}/", port(&tls_addr));
    let response = client(&cert, None).get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.version(), Version::HTTP_2);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_base_url_links_follow_the_https_host_on_both_protocols() {
    let cert = make_cert();
    let dir = tempfile::tempdir().unwrap();
    let (_server, tls_addr) = tls_server_env(dir.path(), &cert, &[]);
    let url = format!("https://localhost:{}/atom.xml", port(&tls_addr));
    let over_h2 = answer(&client(&cert, None), &url, "identity").await;
    let over_h1 = answer(&client(&cert, Some(Version::HTTP_11)), &url, "identity").await;
    assert_eq!(over_h2.1, Version::HTTP_2);
    let feed = String::from_utf8(over_h2.3.clone()).unwrap();
    let own = format!("https://localhost:{}/blog/hello", port(&tls_addr));
    assert!(feed.contains(&own), "links name the HTTPS host: {feed}");
    assert_eq!(
        over_h2.3, over_h1.3,
        "same feed on h2 (:authority) and http/1.1 (Host)"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_environment_turns_https_on_as_the_flags_do() {
    let cert = make_cert();
    let dir = tempfile::tempdir().unwrap();
    content(dir.path());
    let (c, k) = write_cert(dir.path(), &cert);
    let tls_addr = format!("127.0.0.1:{}", free_port());
    let env = [
        ("QUIRE_TLS_CERT", c.to_str().unwrap()),
        ("QUIRE_TLS_KEY", k.to_str().unwrap()),
        ("QUIRE_TLS_ADDR", tls_addr.as_str()),
    ];
    let server = Server::start_with_env(
        &dir.path().join("content"),
        &dir.path().join("data"),
        &[],
        &env,
    );
    let url = format!("https://localhost:{}/", port(&tls_addr));
    let response = client(&cert, None).get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let (status, _) = server.get("/");
    assert_eq!(status, 308, "plain HTTP redirects");
}

#[test]
fn sigterm_stops_both_listeners_and_exits_0() {
    let cert = make_cert();
    let dir = tempfile::tempdir().unwrap();
    let (mut server, tls_addr) = tls_server(dir.path(), &cert, &[]);
    let pid = server.child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    // The store was flushed before the last line.
    server.wait_for_log(|line| line.contains("stopped"));
    assert!(
        std::net::TcpStream::connect(&tls_addr).is_err(),
        "HTTPS closed"
    );
    assert!(
        std::net::TcpStream::connect(&server.addr).is_err(),
        "HTTP closed"
    );
}

/// A TCP connection from 127.0.0.2 (not a trusted proxy, so counted).
async fn connect_from_second_address(addr: &str) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
    socket.connect(addr.parse().unwrap()).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_over_its_addresss_cap_on_https_is_closed_at_once() {
    use tokio::io::AsyncReadExt;
    let cert = make_cert();
    let dir = tempfile::tempdir().unwrap();
    let env = [("QUIRE_MAX_CONNECTIONS_PER_IP", "2")];
    let (_server, tls_addr) = tls_server_env(dir.path(), &cert, &env);
    let _held = [
        connect_from_second_address(&tls_addr).await,
        connect_from_second_address(&tls_addr).await,
    ];
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut over = connect_from_second_address(&tls_addr).await;
    let mut buf = [0u8; 64];
    let read = tokio::time::timeout(Duration::from_secs(2), over.read(&mut buf)).await;
    // Closed without a word: a plain-HTTP 429 would be garbage to TLS.
    assert!(
        matches!(read, Ok(Ok(0)) | Ok(Err(_))),
        "the third connection is closed at once: {read:?}"
    );
    // Another address is still served.
    let url = format!("https://localhost:{}/", port(&tls_addr));
    let response = client(&cert, None).get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
}
