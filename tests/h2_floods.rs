//! HTTP/2's own attacks (docs/SECURITY.md, "HTTPS and HTTP/2"): rapid reset
//! (CVE-2023-44487) and CONTINUATION floods (CVE-2024-27316) on one
//! connection leave other clients' requests answering. Run over h2c
//! (`--h2c`), which uses the same hyper HTTP/2 settings as HTTPS.

mod common;

use std::time::{Duration, Instant};

use common::{Server, post, write};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn h2c_server(dir: &std::path::Path) -> Server {
    write(dir, "content/hello.md", &post("Hello", "2024-05-01", ""));
    Server::start_with(&dir.join("content"), &dir.join("data"), &["--h2c"])
}

/// A normal HTTP/2 request from another client, and how long it took.
async fn normal_request(addr: &str) -> Duration {
    let client = reqwest::Client::builder()
        .http2_prior_knowledge()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let started = Instant::now();
    let response = client.get(format!("http://{addr}/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.version(), reqwest::Version::HTTP_2);
    response.bytes().await.unwrap();
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rapid_reset_client_is_cut_off_and_others_are_answered() {
    let dir = tempfile::tempdir().unwrap();
    let server = h2c_server(dir.path());
    let tcp = TcpStream::connect(&server.addr).await.unwrap();
    let (mut send, connection) = h2::client::handshake(tcp).await.unwrap();
    let ended = tokio::spawn(connection);
    let mut sent = 0;
    let started = Instant::now();
    while sent < 20_000 && started.elapsed() < Duration::from_secs(10) {
        let Ok(ready) = send.ready().await else { break };
        send = ready;
        let request = axum::http::Request::get(format!("http://{}/", server.addr))
            .body(())
            .unwrap();
        let Ok((_response, mut stream)) = send.send_request(request, true) else {
            break;
        };
        stream.send_reset(h2::Reason::CANCEL);
        sent += 1;
    }
    let cut_off = tokio::time::timeout(Duration::from_secs(5), ended).await;
    assert!(
        matches!(cut_off, Ok(Ok(Err(_)))),
        "the attacking connection was closed with an error after {sent} resets: {cut_off:?}"
    );
    let took = normal_request(&server.addr).await;
    assert!(
        took < Duration::from_secs(2),
        "a normal request took {took:?}"
    );
}

/// A HEADERS frame with no END_HEADERS, then CONTINUATION frames whose
/// header block grows past any limit (valid HPACK literals, so only the
/// size can stop it).
fn continuation_flood(total: usize) -> Vec<u8> {
    let mut block = Vec::new();
    while block.len() < total {
        // Literal without indexing, new name "x-a", a 1,000-byte value.
        block.extend_from_slice(&[0x00, 0x03, b'x', b'-', b'a', 0x7f, 0xE9, 0x06]);
        block.extend(std::iter::repeat_n(b'a', 1000));
    }
    let mut out = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec();
    out.extend_from_slice(&[0, 0, 0, 4, 0, 0, 0, 0, 0]); // SETTINGS, empty
    for (i, chunk) in block.chunks(16_384).enumerate() {
        let kind = if i == 0 { 1 } else { 9 }; // HEADERS, then CONTINUATION
        let len = chunk.len() as u32;
        out.extend_from_slice(&len.to_be_bytes()[1..]);
        out.extend_from_slice(&[kind, 0, 0, 0, 0, 1]);
        out.extend_from_slice(chunk);
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn a_continuation_flood_is_cut_off_and_others_are_answered() {
    let dir = tempfile::tempdir().unwrap();
    let server = h2c_server(dir.path());
    let tcp = TcpStream::connect(&server.addr).await.unwrap();
    let (mut read, mut write) = tcp.into_split();
    let flood = continuation_flood(64 * 1024 * 1024);
    let writer = tokio::spawn(async move { write.write_all(&flood).await });
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        let mut buf = [0u8; 4096];
        loop {
            match read.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await;
    assert!(
        closed.is_ok(),
        "the server kept reading a 64 MiB header block"
    );
    let written = tokio::time::timeout(Duration::from_secs(5), writer).await;
    assert!(
        matches!(written, Ok(Ok(Err(_)))),
        "the flood was not refused: {written:?}"
    );
    let took = normal_request(&server.addr).await;
    assert!(
        took < Duration::from_secs(2),
        "a normal request took {took:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_idle_http2_connection_is_closed_after_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "content/hello.md",
        &post("Hello", "2024-05-01", ""),
    );
    let env = [("QUIRE_HEADER_TIMEOUT_SECS", "1")];
    let server = Server::start_with_env(
        &dir.path().join("content"),
        &dir.path().join("data"),
        &["--h2c"],
        &env,
    );
    let tcp = TcpStream::connect(&server.addr).await.unwrap();
    let (send, connection) = h2::client::handshake(tcp).await.unwrap();
    let ended = tokio::spawn(connection);
    let mut send = send.ready().await.unwrap();
    let request = axum::http::Request::get(format!("http://{}/", server.addr))
        .body(())
        .unwrap();
    let (response, _) = send.send_request(request, true).unwrap();
    let mut body = response.await.unwrap().into_body();
    while let Some(chunk) = body.data().await {
        let chunk = chunk.unwrap();
        let _ = body.flow_control().release_capacity(chunk.len());
    }
    let started = Instant::now();
    let closed = tokio::time::timeout(Duration::from_secs(5), ended).await;
    assert!(closed.is_ok(), "the idle connection was never closed");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(500) && waited < Duration::from_secs(3),
        "closed after {waited:?}"
    );
}
