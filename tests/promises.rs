//! Promises of README.md, docs/SECURITY.md and docs/DEPLOY.md that an
//! audit found without a test of their own, each checked from outside the
//! binary: a `quire` process, HTTP/1.1 on 127.0.0.1 and its command line.
//! Every read has a deadline, and a read that times out fails the test: it
//! is never taken for an answer or for a closed connection.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::Server;

// ---- Wire helpers -------------------------------------------------------------

/// One response: status, headers (names lower-cased), body (de-chunked).
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `raw` on a fresh connection and reads until the server closes it.
/// A read that waits `guard` fails the test; a reset after a complete
/// response head is a close (a server refusing a body it did not read may
/// reset), a reset before one is a failure.
fn exchange(addr: &str, raw: &[u8], guard: Duration) -> Answer {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(guard)).unwrap();
    // The server may answer (413, 431) and close before reading it all.
    let _ = stream.write_all(raw);
    let mut bytes = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            Err(err) if err.kind() == ErrorKind::ConnectionReset && has_head(&bytes) => break,
            Err(err) => panic!(
                "no complete answer within {guard:?} ({err}); got {:?}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
            ),
        }
    }
    parse(&bytes)
}

fn has_head(bytes: &[u8]) -> bool {
    bytes.windows(4).any(|w| w == b"\r\n\r\n")
}

fn parse(bytes: &[u8]) -> Answer {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| {
            panic!(
                "no response head in {:?}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
            )
        });
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {head:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let body = &bytes[end + 4..];
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    Answer {
        status,
        body: if chunked {
            dechunk(body)
        } else {
            body.to_vec()
        },
        headers,
    }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&raw[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok())
            .expect("a chunk size");
        raw = &raw[eol + 2..];
        if size == 0 {
            break;
        }
        assert!(raw.len() >= size, "a truncated chunk");
        out.extend_from_slice(&raw[..size]);
        raw = &raw[(size + 2).min(raw.len())..];
    }
    out
}

/// `GET path` with `Connection: close` and extra request headers.
fn get_with(addr: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut raw = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        raw.push_str(&format!("{name}: {value}\r\n"));
    }
    raw.push_str("\r\n");
    exchange(addr, raw.as_bytes(), Duration::from_secs(20))
}

fn get(addr: &str, path: &str) -> Answer {
    get_with(addr, path, &[])
}

/// `POST path` with a JSON body sent with its `Content-Length`.
fn post_json(addr: &str, path: &str, body: &[u8]) -> Answer {
    let mut raw = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    raw.extend_from_slice(body);
    exchange(addr, &raw, Duration::from_secs(20))
}

/// `POST path` with a JSON body sent in chunks of at most 16 KiB (no
/// length announced).
fn post_json_chunked(addr: &str, path: &str, body: &[u8]) -> Answer {
    let mut raw = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    .into_bytes();
    for chunk in body.chunks(16 * 1024) {
        raw.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        raw.extend_from_slice(chunk);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    exchange(addr, &raw, Duration::from_secs(20))
}

// ---- Process helpers ----------------------------------------------------------

/// The `quire` binary with `cwd` as its working directory and none of the
/// caller's `QUIRE_*` or `DIOXUS_*` variables, so only what a test sets counts.
fn quire_at(binary: &Path, cwd: &Path) -> Command {
    let mut command = Command::new(binary);
    command.current_dir(cwd);
    for (name, _) in std::env::vars_os() {
        let text = name.to_string_lossy();
        if text.starts_with("QUIRE_") || text.starts_with("DIOXUS_") {
            command.env_remove(&name);
        }
    }
    command
}

/// The debug `quire` this test suite was built with.
fn debug_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_quire"))
}

/// Spawns `command` (a `quire serve`) and waits for its "serving" line,
/// which must name `addr`; fails with its log when it exits or stays silent
/// for 60 s.
fn start(mut command: Command, addr: &str) -> Server {
    let mut child = command
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut startup = Vec::new();
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(remaining) {
            Ok(line) => {
                let serving = line.contains("Quire is serving");
                startup.push(line);
                if serving {
                    break;
                }
            }
            Err(err) => {
                let _ = child.kill();
                let status = child.wait().unwrap();
                panic!(
                    "no serving line ({err}; process {status}):\n{}",
                    startup.join("\n")
                );
            }
        }
    }
    let serving = startup.last().unwrap();
    assert!(
        serving.contains(&format!("http://{addr}/")),
        "the server listens on {addr}: {serving}"
    );
    Server {
        child,
        addr: addr.to_string(),
        startup,
        log: rx,
    }
}

/// Sends SIGTERM to the server.
fn terminate(server: &Server) {
    let pid = server.child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success(), "kill -TERM {pid}");
}

/// Waits for the server process to exit (at most `limit`) and returns its
/// exit code and the rest of its log.
fn wait_for_exit(server: &mut Server, limit: Duration) -> (Option<i32>, Vec<String>) {
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still running {limit:?} after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut log = Vec::new();
    while let Ok(line) = server.log.recv_timeout(Duration::from_secs(10)) {
        log.push(line);
    }
    (status.code(), log)
}

/// The log lines the server has printed so far.
fn log_so_far(server: &Server) -> Vec<String> {
    server.log.try_iter().collect()
}

fn assert_no_panic(lines: &[String]) {
    assert!(
        !lines.iter().any(|l| l.contains("panicked")),
        "a panic in the server log:\n{}",
        lines.join("\n")
    );
}

/// A post whose front matter is written as given (`title` is TOML-quoted).
fn post_file(title: &str, date: &str, extra: &str) -> String {
    let title = toml_string(title);
    format!(
        "+++\ntitle = {title}\ndate = {date}\n{extra}+++\n\nThe opening paragraph.\n\n## A section\n\nMore text.\n"
    )
}

fn toml_string(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{escaped}\"")
}

/// Slugs of the `/blog/<slug>` links in `html`, in order, without repeats.
fn article_links(html: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut slugs = Vec::new();
    for piece in html.split("href=\"/blog/").skip(1) {
        let slug: String = piece
            .chars()
            .take_while(|c| !"\"/?#".contains(*c))
            .collect();
        if !slug.is_empty() && seen.insert(slug.clone()) {
            slugs.push(slug);
        }
    }
    slugs
}

// ---- 1. The per-request timeout -------------------------------------------------

/// The head of a `POST /api/listing` announcing [`LISTING_BODY`]'s length.
fn slow_listing_head() -> String {
    format!(
        "POST /api/listing HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        LISTING_BODY.len()
    )
}
const LISTING_BODY: &str = "{\"query\":{\"category\":null,\"tags\":[],\"page\":1}}";

/// docs/SECURITY.md: "A request that outlives the request timeout (30 s,
/// `QUIRE_REQUEST_TIMEOUT_SECS`) → 503 with `Retry-After: 5`". No route is
/// slow by itself, but the timeout covers reading the request body
/// (`security::buffered_body`, 10 s of its own): a server-function call
/// whose body stops arriving is a request that cannot finish. With the
/// timeout at 2 s, a body completed after 0.5 s is answered 200 and one
/// that never completes is answered 503 after about 2 s (not the body's
/// own 408 after 10 s), and the server goes on serving.
#[test]
fn a_request_over_the_request_timeout_is_answered_503_with_retry_after_5() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::write(&content, "first.md", &post_file("First", "2026-01-01", ""));
    let server = Server::start_with_env(
        &content,
        &dir.path().join("data"),
        &[],
        &[("QUIRE_REQUEST_TIMEOUT_SECS", "2")],
    );
    let addr = server.addr.as_str();

    // Within the timeout: answered.
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(slow_listing_head().as_bytes()).unwrap();
    stream.write_all(&LISTING_BODY.as_bytes()[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    stream.write_all(&LISTING_BODY.as_bytes()[10..]).unwrap();
    let mut bytes = Vec::new();
    stream
        .read_to_end(&mut bytes)
        .expect("an answer within 20 s");
    let within = parse(&bytes);
    assert_eq!(within.status, 200, "{}", within.text());

    // Past it: 503 with Retry-After: 5, at the timeout.
    let started = Instant::now();
    let mut raw = slow_listing_head().as_bytes().to_vec();
    raw.extend_from_slice(&LISTING_BODY.as_bytes()[..10]);
    let reply = exchange(addr, &raw, Duration::from_secs(20));
    let took = started.elapsed();
    assert_eq!(reply.status, 503, "after {took:?}: {}", reply.text());
    assert_eq!(reply.header("retry-after"), Some("5"));
    assert!(
        took >= Duration::from_millis(1900) && took < Duration::from_secs(8),
        "answered after {took:?}, expected about 2 s"
    );

    // Still serving.
    assert_eq!(get(addr, "/blog/first").status, 200);
    let log = log_so_far(&server);
    assert!(
        log.iter().any(|l| l.contains("took longer than")),
        "the abandoned request is logged:\n{}",
        log.join("\n")
    );
    assert_no_panic(&log);
}

// ---- 2. In-flight requests finish on SIGTERM ------------------------------------------

const MOVIE_BYTES: usize = 48 * 1024 * 1024;

/// Bytes no two neighbouring 64 KiB blocks share, so a lost, repeated or
/// reordered block is seen.
fn movie_bytes() -> Vec<u8> {
    (0..MOVIE_BYTES)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).rotate_right(13) as u8 ^ (i >> 16) as u8)
        .collect()
}

/// docs/SECURITY.md, "Connections": on SIGTERM the server stops accepting,
/// lets in-flight requests finish (at most 8 s), flushes the store, logs
/// "stopped" and exits 0. A 48 MB file beside a bundle post is being read
/// slowly when SIGTERM arrives: no new connection is accepted from then on,
/// the process waits for the download, every byte arrives, then it exits 0.
#[test]
fn sigterm_lets_an_in_flight_download_finish_then_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::write(
        &content,
        "big/index.md",
        &post_file("Big", "2026-01-01", ""),
    );
    let movie = movie_bytes();
    std::fs::write(content.join("big/movie.mp4"), &movie).unwrap();
    let mut server = Server::start(&content, &dir.path().join("data"));
    let addr = server.addr.clone();

    let mut stream = TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /blog/big/movie.mp4 HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    // The head, then the first 512 KiB, slowly.
    let mut received = Vec::with_capacity(MOVIE_BYTES + 4096);
    let mut buf = vec![0u8; 16 * 1024];
    let read = |stream: &mut TcpStream, buf: &mut [u8], what: &str| -> usize {
        match stream.read(buf) {
            Ok(0) => panic!("the connection closed {what}"),
            Ok(n) => n,
            Err(err) => panic!("no bytes within 10 s {what}: {err}"),
        }
    };
    while !has_head(&received) || received.len() < 512 * 1024 {
        let n = read(&mut stream, &mut buf, "before SIGTERM");
        received.extend_from_slice(&buf[..n]);
        std::thread::sleep(Duration::from_millis(5));
    }
    let head_end = received.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = parse(&received[..head_end]);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length"),
        Some(MOVIE_BYTES.to_string().as_str())
    );
    let total = head_end + MOVIE_BYTES;
    assert!(
        received.len() < total / 2,
        "the download is in flight when SIGTERM is sent"
    );

    terminate(&server);
    server.wait_for_log(|l| l.contains("no longer accepting connections"));
    // A new connection is refused while the download goes on.
    match TcpStream::connect(&addr) {
        Err(err) => assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err}"),
        Ok(mut late) => {
            // Accepted by a listener still open: it must not be served.
            late.set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let _ = write!(late, "GET /healthz HTTP/1.1\r\nHost: {addr}\r\n\r\n");
            let mut reply = Vec::new();
            let _ = late.read_to_end(&mut reply);
            panic!(
                "a connection made after SIGTERM was accepted; it got {:?}",
                String::from_utf8_lossy(&reply)
            );
        }
    }

    // Most of the file is unsent (the sockets' buffers hold a few MiB):
    // the process is still there, waiting for this reader.
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the process exited with most of the download unsent"
    );

    // The rest, still slowly: about 1 MiB per 40 ms, ~2 s in all.
    while received.len() < total {
        let want = buf.len().min(total - received.len());
        let n = read(&mut stream, &mut buf[..want], "after SIGTERM");
        received.extend_from_slice(&buf[..n]);
        if received.len() % (1024 * 1024) < n {
            std::thread::sleep(Duration::from_millis(40));
        }
    }
    assert!(
        received[head_end..] == movie[..],
        "the body that arrived is not the file"
    );
    // Then the connection is closed and the process exits 0.
    let mut tail = [0u8; 1];
    match stream.read(&mut tail) {
        Ok(0) => {}
        Err(err) if err.kind() == ErrorKind::ConnectionReset => {}
        other => panic!("the connection stayed open after the response: {other:?}"),
    }
    let (code, log) = wait_for_exit(&mut server, Duration::from_secs(15));
    assert_eq!(code, Some(0), "{}", log.join("\n"));
    assert!(
        log.iter().any(|l| l.contains("stopped")),
        "\"stopped\" is logged after the flush:\n{}",
        log.join("\n")
    );
    assert!(
        !log.iter().any(|l| l.contains("still open after")),
        "the download was cut by the grace period:\n{}",
        log.join("\n")
    );
    assert_no_panic(&log);
    assert!(
        TcpStream::connect(&addr).is_err(),
        "nothing listens any more"
    );
}

// ---- 3. The request body limit, exactly ---------------------------------------------

/// A valid listing query padded with spaces to exactly `len` bytes.
fn listing_body(len: usize) -> Vec<u8> {
    let head = b"{\"query\":{\"category\":null,\"tags\":[],\"page\":1}";
    let mut body = head.to_vec();
    body.resize(len - 1, b' ');
    body.push(b'}');
    assert_eq!(body.len(), len);
    body
}

/// docs/SECURITY.md: request bodies over 64 KiB → 413, announced or
/// chunked. Exactly 65,536 bytes is within the limit (a valid query padded
/// with spaces: 200), 65,537 is over it (413), both ways of sending it.
#[test]
fn a_body_of_exactly_64_kib_is_accepted_and_one_byte_more_is_413() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::write(&content, "first.md", &post_file("First", "2026-01-01", ""));
    let server = Server::start(&content, &dir.path().join("data"));
    let addr = server.addr.as_str();
    let at = listing_body(64 * 1024);
    let over = listing_body(64 * 1024 + 1);

    let reply = post_json(addr, "/api/listing", &at);
    assert_eq!(reply.status, 200, "65,536 bytes: {}", reply.text());
    assert!(
        reply.text().contains("First"),
        "the query was answered: {}",
        reply.text()
    );
    let reply = post_json_chunked(addr, "/api/listing", &at);
    assert_eq!(reply.status, 200, "65,536 bytes chunked: {}", reply.text());

    let reply = post_json(addr, "/api/listing", &over);
    assert_eq!(reply.status, 413, "65,537 bytes: {}", reply.text());
    let reply = post_json_chunked(addr, "/api/listing", &over);
    assert_eq!(reply.status, 413, "65,537 bytes chunked: {}", reply.text());

    // Still serving.
    assert_eq!(post_json(addr, "/api/listing", &at).status, 200);
    assert_no_panic(&log_so_far(&server));
}

// ---- 4. Security headers on every kind of answer -----------------------------------

/// The directives of docs/SECURITY.md's policy; `script-src` may list the
/// page's inline-script hashes after these.
const POLICY: [&str; 14] = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
];

/// The headers docs/SECURITY.md says every response carries, with their
/// exact values (the policy directive by directive).
fn security_header_problems(what: &str, reply: &Answer, hsts: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let mut expect = |name: &str, want: Option<&str>| {
        let got = reply.header(name);
        if got != want {
            problems.push(format!(
                "{what} ({}): {name} is {got:?}, expected {want:?}",
                reply.status
            ));
        }
    };
    expect("x-content-type-options", Some("nosniff"));
    expect("referrer-policy", Some("strict-origin-when-cross-origin"));
    expect(
        "permissions-policy",
        Some("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    expect(
        "strict-transport-security",
        hsts.then_some("max-age=31536000"),
    );
    match reply.header("content-security-policy") {
        None => problems.push(format!(
            "{what} ({}): no content-security-policy",
            reply.status
        )),
        Some(policy) => {
            let directives: Vec<&str> = policy.split(';').map(str::trim).collect();
            let script = directives
                .iter()
                .find(|d| d.starts_with("script-src"))
                .copied()
                .unwrap_or("");
            let hashes_only = script
                .strip_prefix(POLICY[1])
                .is_some_and(|rest| rest.split_whitespace().all(|h| h.starts_with("'sha256-")));
            let others: Vec<&str> = directives
                .iter()
                .filter(|d| !d.starts_with("script-src"))
                .copied()
                .collect();
            let want: Vec<&str> = POLICY
                .iter()
                .filter(|d| **d != POLICY[1])
                .copied()
                .collect();
            if !hashes_only || others != want {
                problems.push(format!(
                    "{what} ({}): content-security-policy is {policy:?}",
                    reply.status
                ));
            }
        }
    }
    problems
}

/// A site with a post, a bundle post with a file beside it, a hashed
/// client asset, and the request timeout at 2 s (a 503 to look at).
fn headers_site(hsts: bool) -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let data = dir.path().join("data");
    common::write(
        &content,
        "first.md",
        &post_file("First", "2026-01-01", "tags = [\"rust\"]\n"),
    );
    common::write(
        &content,
        "pics/index.md",
        &post_file("Pics", "2026-01-02", ""),
    );
    common::write(&content, "pics/notes.txt", "notes beside a post");
    common::write(
        &data.join("public"),
        "assets/app-dxh0123abcd.js",
        &"console.log('quire asset');\n".repeat(200),
    );
    let server = Server::start_with_env(
        &content,
        &data,
        &[],
        &[
            ("QUIRE_REQUEST_TIMEOUT_SECS", "2"),
            ("QUIRE_HSTS", if hsts { "true" } else { "false" }),
        ],
    );
    // 404 pages are cached only once the search index is complete.
    server.wait_for_search_index();
    (dir, server)
}

/// Every kind of answer the audit listed, with the status each must have.
fn every_kind_of_answer(addr: &str) -> Vec<(&'static str, u16, Answer)> {
    let mut answers = Vec::new();
    let mut add = |what: &'static str, status: u16, reply: Answer| {
        answers.push((what, status, reply));
    };
    // Pages and assets, a miss then a hit (checked below).
    for (what, path) in [
        ("page", "/blog/first"),
        ("index", "/"),
        ("404 page", "/blog/no-such-post"),
        ("hashed asset", "/assets/app-dxh0123abcd.js"),
    ] {
        let miss = get(addr, path);
        let hit = get(addr, path);
        let status = if what == "404 page" { 404 } else { 200 };
        assert_eq!(miss.header("x-quire-cache"), Some("miss"), "{what} {path}");
        assert_eq!(hit.header("x-quire-cache"), Some("hit"), "{what} {path}");
        add(what, status, miss);
        add(what, status, hit);
    }
    add("file beside a post", 200, get(addr, "/blog/pics/notes.txt"));
    add("redirect (trailing slash)", 301, get(addr, "/blog/first/"));
    add("feed", 200, get(addr, "/atom.xml"));
    add("health", 200, get(addr, "/healthz"));
    // The API.
    add("GET /api/site", 200, get(addr, "/api/site"));
    add(
        "POST /api/listing",
        200,
        post_json(addr, "/api/listing", LISTING_BODY.as_bytes()),
    );
    add(
        "POST /api/listing, bad JSON",
        400,
        post_json(addr, "/api/listing", b"{{{{{"),
    );
    // Refusals.
    add(
        "413 (body over 64 KiB)",
        413,
        post_json(addr, "/api/listing", &listing_body(64 * 1024 + 1)),
    );
    let huge_header = format!(
        "GET / HTTP/1.1\r\nHost: a\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "b".repeat(100 * 1024)
    );
    add(
        "431 (100 KB header)",
        431,
        exchange(addr, huge_header.as_bytes(), Duration::from_secs(20)),
    );
    add(
        "400 (not an HTTP request)",
        400,
        exchange(
            addr,
            b"\x00\x01\x02 not http\r\n\r\n",
            Duration::from_secs(20),
        ),
    );
    add(
        "414 (20 KB path)",
        414,
        get(addr, &format!("/search?q={}", "a".repeat(20 * 1024))),
    );
    let mut slow = slow_listing_head().as_bytes().to_vec();
    slow.extend_from_slice(b"{");
    add(
        "503 (request timeout)",
        503,
        exchange(addr, &slow, Duration::from_secs(20)),
    );
    answers
}

fn check_security_headers(hsts: bool) {
    let (_dir, server) = headers_site(hsts);
    let answers = every_kind_of_answer(&server.addr);
    let mut problems = Vec::new();
    for (what, status, reply) in &answers {
        if reply.status != *status {
            problems.push(format!(
                "{what}: status {}, expected {status}",
                reply.status
            ));
        }
        if written_by_the_parser(what) {
            problems.extend(parser_answer_problems(what, reply));
        } else {
            problems.extend(security_header_problems(what, reply, hsts));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems in the {} answers:\n{}",
        problems.len(),
        answers.len(),
        problems.join("\n")
    );
    assert_no_panic(&log_so_far(&server));
}

/// The answers hyper writes while parsing, before any Quire code runs
/// (docs/SECURITY.md, "Response headers": the exceptions).
fn written_by_the_parser(what: &str) -> bool {
    what.starts_with("431") || what.starts_with("400 (not an HTTP")
}

/// What docs/SECURITY.md promises of the parser's answers instead: an
/// empty body, and the connection closed.
fn parser_answer_problems(what: &str, reply: &Answer) -> Vec<String> {
    let mut problems = Vec::new();
    if reply.header("connection") != Some("close") {
        problems.push(format!("{what}: the connection is not closed"));
    }
    if !reply.body.is_empty() {
        problems.push(format!("{what}: a body of {} bytes", reply.body.len()));
    }
    problems
}

/// docs/SECURITY.md, "Response headers": every response — page, cache
/// hit, 404, redirect, feed, asset, server function, 413/414/503 — carries
/// `Content-Security-Policy`, `X-Content-Type-Options`, `Referrer-Policy`
/// and `Permissions-Policy` with the documented values, and no
/// `Strict-Transport-Security` without `hsts = true`.
#[test]
fn every_kind_of_answer_carries_the_documented_security_headers() {
    check_security_headers(false);
}

/// The same with `hsts = true`: `Strict-Transport-Security: max-age=31536000`
/// on every one of them too.
#[test]
fn every_kind_of_answer_carries_hsts_when_configured() {
    check_security_headers(true);
}

// ---- 5. OpenGraph and Twitter tags --------------------------------------------------

/// The `content` of the one `<meta {attribute}="{name}">`; fails when there
/// is none or more than one.
fn meta(page: &scraper::Html, attribute: &str, name: &str) -> String {
    let selector = scraper::Selector::parse(&format!("meta[{attribute}=\"{name}\"]")).unwrap();
    let found: Vec<_> = page.select(&selector).collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one <meta {attribute}=\"{name}\"> in the page, found {}",
        found.len()
    );
    found[0]
        .value()
        .attr("content")
        .unwrap_or_else(|| panic!("<meta {attribute}=\"{name}\"> has no content"))
        .to_string()
}

fn only(page: &scraper::Html, css: &str, attribute: Option<&str>) -> String {
    let selector = scraper::Selector::parse(css).unwrap();
    let found: Vec<_> = page.select(&selector).collect();
    assert_eq!(found.len(), 1, "expected exactly one {css}");
    match attribute {
        Some(name) => found[0]
            .value()
            .attr(name)
            .unwrap_or_else(|| panic!("{css} has no {name}"))
            .to_string(),
        None => found[0].text().collect(),
    }
}

const OG_TITLE: &str = "Ties & \"Quotes\" <in> titles";
const OG_DESCRIPTION: &str = "One sentence & a <b>tag</b> for \"link previews\".";

/// Checks the head of `/blog/ties` against the post and `base`, the
/// absolute origin its URLs must start with.
fn check_article_head(addr: &str, base: &str) {
    let reply = get(addr, "/blog/ties");
    assert_eq!(reply.status, 200);
    let page = scraper::Html::parse_document(&reply.text());
    let title = format!("{OG_TITLE} — Audit Site");
    let url = format!("{base}/blog/ties");
    assert_eq!(only(&page, "head > title", None), title, "<title>");
    assert_eq!(only(&page, "h1", None), OG_TITLE, "<h1>");
    assert_eq!(meta(&page, "property", "og:type"), "article");
    assert_eq!(meta(&page, "property", "og:title"), title);
    assert_eq!(meta(&page, "property", "og:url"), url);
    assert_eq!(meta(&page, "property", "og:site_name"), "Audit Site");
    assert_eq!(meta(&page, "property", "og:description"), OG_DESCRIPTION);
    assert_eq!(meta(&page, "name", "description"), OG_DESCRIPTION);
    assert_eq!(meta(&page, "name", "twitter:card"), "summary");
    assert_eq!(meta(&page, "name", "twitter:title"), title);
    assert_eq!(meta(&page, "name", "twitter:description"), OG_DESCRIPTION);
    assert!(
        meta(&page, "property", "article:published_time").starts_with("2026-03-04"),
        "article:published_time"
    );
    assert_eq!(only(&page, "link[rel=canonical]", Some("href")), url);
}

/// README "What readers get": articles carry a canonical URL and
/// OpenGraph/Twitter tags. On an article with `&`, quotes and `<` in its
/// title and description: `og:type` is `article`; `og:title` and
/// `twitter:title` are the page's title (the post's title, then " — " and
/// the site's); `og:url` and the canonical link are the absolute URL of the
/// article, from `base_url` when set and from the listen address when not;
/// `description`, `og:description` and `twitter:description` are the
/// post's description. Each tag is there exactly once.
#[test]
fn an_article_carries_its_opengraph_and_twitter_tags() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::write(
        &content,
        "ties.md",
        &post_file(
            OG_TITLE,
            "2026-03-04",
            &format!("description = {}\n", toml_string(OG_DESCRIPTION)),
        ),
    );
    let env = [
        ("QUIRE_TITLE", "Audit Site"),
        ("QUIRE_BASE_URL", "https://blog.example.com"),
    ];
    let server = Server::start_with_env(&content, &dir.path().join("data"), &[], &env);
    check_article_head(&server.addr, "https://blog.example.com");
    drop(server);

    let server = Server::start_with_env(
        &content,
        &dir.path().join("data2"),
        &[],
        &[("QUIRE_TITLE", "Audit Site")],
    );
    check_article_head(&server.addr, &format!("http://{}", server.addr));
}

// ---- 6. QUIRE_CONTENT, QUIRE_ADDR, QUIRE_CONFIG, QUIRE_DATA --------------------------

/// A working directory with its own `./content` (post "Wrong") and
/// `./quire.toml` (title "Wrong Site"), so a variable that is ignored
/// shows as the defaults being used instead.
fn decoy_cwd() -> tempfile::TempDir {
    let cwd = tempfile::tempdir().unwrap();
    common::write(
        &cwd.path().join("content"),
        "wrong.md",
        &post_file("Wrong", "2026-01-01", ""),
    );
    std::fs::write(cwd.path().join("quire.toml"), "title = \"Wrong Site\"\n").unwrap();
    cwd
}

/// `quire serve` in `cwd`, the public folder in `data`, with `env`.
fn serve_in(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    std::fs::create_dir_all(cwd.join("public")).unwrap();
    let mut command = quire_at(&debug_binary(), cwd);
    command
        .arg("serve")
        .args(args)
        .env("DIOXUS_PUBLIC_PATH", cwd.join("public"))
        .envs(env.iter().copied());
    command
}

/// README's settings table: `QUIRE_CONTENT` is the content directory, for
/// `serve`, `check` and `new` alike, over `./content`.
#[test]
fn quire_content_sets_the_content_directory() {
    let cwd = decoy_cwd();
    let elsewhere = tempfile::tempdir().unwrap();
    let content = elsewhere.path().join("posts");
    common::write(&content, "right.md", &post_file("Right", "2026-01-02", ""));
    let content_var = content.to_str().unwrap();
    let addr = format!("127.0.0.1:{}", common::free_port());
    let server = start(
        serve_in(
            cwd.path(),
            &["--addr", &addr],
            &[("QUIRE_CONTENT", content_var)],
        ),
        &addr,
    );
    assert_eq!(
        get(&addr, "/blog/right").status,
        200,
        "the post in QUIRE_CONTENT"
    );
    assert_eq!(
        get(&addr, "/blog/wrong").status,
        404,
        "the post in ./content"
    );
    drop(server);

    // `check` reads it too: a broken post there fails the check.
    common::write(&content, "broken.md", "+++\ntitle = \"Broken\"\n");
    let check = quire_at(&debug_binary(), cwd.path())
        .arg("check")
        .env("QUIRE_CONTENT", content_var)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{out}");
    assert!(out.contains("broken.md"), "{out}");
    std::fs::remove_file(content.join("broken.md")).unwrap();

    // And `new` writes there.
    let new = quire_at(&debug_binary(), cwd.path())
        .args(["new", "Env Post"])
        .env("QUIRE_CONTENT", content_var)
        .output()
        .unwrap();
    assert_eq!(
        new.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&new.stderr)
    );
    assert!(content.join("env-post.md").is_file());
    assert!(!cwd.path().join("content/env-post.md").exists());
}

/// README's settings table: `QUIRE_ADDR` is the listen address.
#[test]
fn quire_addr_sets_the_listen_address() {
    let cwd = decoy_cwd();
    let addr = format!("127.0.0.1:{}", common::free_port());
    let server = start(
        serve_in(cwd.path(), &[], &[("QUIRE_ADDR", addr.as_str())]),
        &addr,
    );
    assert_eq!(get(&addr, "/healthz").text(), "ok");
    assert_eq!(get(&addr, "/blog/wrong").status, 200);
    drop(server);
}

/// README's settings table: `QUIRE_CONFIG` is the site settings file, over
/// `./quire.toml`, for `serve` and `check`.
#[test]
fn quire_config_sets_the_settings_file() {
    let cwd = decoy_cwd();
    let elsewhere = tempfile::tempdir().unwrap();
    let config = elsewhere.path().join("site.toml");
    std::fs::write(&config, "title = \"Right Site\"\npage_size = 7\n").unwrap();
    let config_var = config.to_str().unwrap();
    let addr = format!("127.0.0.1:{}", common::free_port());
    let server = start(
        serve_in(
            cwd.path(),
            &["--addr", &addr],
            &[("QUIRE_CONFIG", config_var)],
        ),
        &addr,
    );
    let page = scraper::Html::parse_document(&get(&addr, "/blog/wrong").text());
    assert_eq!(
        meta(&page, "property", "og:site_name"),
        "Right Site",
        "the title from QUIRE_CONFIG"
    );
    drop(server);

    // `check` reads it too: an unknown key there stops it with exit 2.
    std::fs::write(&config, "titel = \"Typo\"\n").unwrap();
    let check = quire_at(&debug_binary(), cwd.path())
        .arg("check")
        .env("QUIRE_CONFIG", config_var)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(2), "{err}");
    assert!(err.contains("site.toml"), "{err}");
}

/// README's settings table: `QUIRE_DATA` is the data directory (store).
#[test]
fn quire_data_sets_the_data_directory() {
    let cwd = decoy_cwd();
    let elsewhere = tempfile::tempdir().unwrap();
    let data = elsewhere.path().join("state");
    let addr = format!("127.0.0.1:{}", common::free_port());
    let server = start(
        serve_in(
            cwd.path(),
            &["--addr", &addr],
            &[("QUIRE_DATA", data.to_str().unwrap())],
        ),
        &addr,
    );
    assert_eq!(get(&addr, "/blog/wrong").status, 200);
    assert!(data.join("store").is_dir(), "the store is in QUIRE_DATA");
    assert!(!cwd.path().join("data").exists(), "nothing in ./data");
    drop(server);
}

// ---- 7. --drafts --------------------------------------------------------------------

/// README: `--drafts` shows draft posts. A post with `draft = true` is a
/// 404, absent from the index, the feed and the sitemap without it; with
/// it, the post is served and listed on the index.
#[test]
fn drafts_are_hidden_without_the_flag_and_served_and_listed_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::write(
        &content,
        "public.md",
        &post_file("Public", "2026-01-01", ""),
    );
    common::write(
        &content,
        "secret-draft.md",
        &post_file("Secret Draft", "2026-01-02", "draft = true\n"),
    );

    let server = Server::start(&content, &dir.path().join("data"));
    let addr = server.addr.as_str();
    assert_eq!(get(addr, "/blog/public").status, 200);
    assert_eq!(get(addr, "/blog/secret-draft").status, 404);
    let index = get(addr, "/").text();
    assert_eq!(article_links(&index), ["public"], "the index lists");
    for path in ["/atom.xml", "/sitemaps/1.xml"] {
        let reply = get(addr, path);
        assert_eq!(reply.status, 200, "{path}");
        assert!(reply.text().contains("/blog/public"), "{path}");
        assert!(
            !reply.text().contains("secret-draft"),
            "{path} names the draft"
        );
    }
    drop(server);

    let server = Server::start_with(&content, &dir.path().join("data-drafts"), &["--drafts"]);
    let addr = server.addr.as_str();
    let draft = get(addr, "/blog/secret-draft");
    assert_eq!(draft.status, 200);
    assert!(draft.text().contains("Secret Draft"));
    let index = get(addr, "/").text();
    assert_eq!(
        article_links(&index),
        ["secret-draft", "public"],
        "the index lists, newest first"
    );
}

// ---- 8. Quire never writes or deletes anything in content/ ---------------------------

/// What is recorded of each path under content/: kind, size, permissions,
/// inode, modification and change times (nanoseconds), and a hash of the
/// bytes (or the link target). A write, a replace-by-rename, a chmod, a
/// created-then-deleted temporary file (the directory's times) all show.
#[derive(Debug, PartialEq, Eq)]
struct Stat {
    kind: &'static str,
    len: u64,
    mode: u32,
    inode: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    hash: u64,
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn snapshot(root: &Path) -> BTreeMap<PathBuf, Stat> {
    use std::os::unix::fs::MetadataExt;
    let mut out = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(path) = pending.pop() {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let (kind, hash) = if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&path).unwrap();
            ("link", fnv(target.as_os_str().as_encoded_bytes()))
        } else if meta.is_dir() {
            let mut names: Vec<PathBuf> = std::fs::read_dir(&path)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            names.sort();
            let listing: Vec<u8> = names
                .iter()
                .flat_map(|n| n.as_os_str().as_encoded_bytes().to_vec())
                .collect();
            pending.extend(names);
            ("dir", fnv(&listing))
        } else {
            ("file", fnv(&std::fs::read(&path).unwrap()))
        };
        out.insert(
            path.strip_prefix(root).unwrap().to_path_buf(),
            Stat {
                kind,
                len: meta.len(),
                mode: meta.mode(),
                inode: meta.ino(),
                mtime: (meta.mtime(), meta.mtime_nsec()),
                ctime: (meta.ctime(), meta.ctime_nsec()),
                hash,
            },
        );
    }
    out
}

/// Fails listing every path that differs between the snapshots.
fn assert_unchanged(before: &BTreeMap<PathBuf, Stat>, root: &Path, when: &str) {
    let after = snapshot(root);
    let mut changes = Vec::new();
    for (path, stat) in before {
        match after.get(path) {
            None => changes.push(format!("deleted: {}", path.display())),
            Some(now) if now != stat => {
                changes.push(format!("changed: {}: {stat:?} -> {now:?}", path.display()))
            }
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        changes.push(format!("created: {}", path.display()));
    }
    assert!(
        changes.is_empty(),
        "content/ changed {when}:\n{}",
        changes.join("\n")
    );
}

/// Writes every file the live-ingest part adds: posts that do not parse,
/// one that is not UTF-8, one without a title, an editor swap file.
fn write_bad_files(content: &Path) {
    common::write(
        content,
        "unterminated.md",
        "+++\ntitle = \"Never closed\"\n\nText.\n",
    );
    common::write(
        content,
        "no-title.md",
        "+++\ndate = 2026-01-01\n+++\n\nText.\n",
    );
    common::write(content, "bad-toml.md", "+++\ntitle = = \"x\"\n+++\n");
    std::fs::write(
        content.join("latin1.md"),
        b"+++\ntitle = \"caf\xe9\"\n+++\n",
    )
    .unwrap();
    common::write(content, ".swap.md.swp", "swap");
}

/// README: "Quire never writes to or deletes anything in `content/`."
/// A snapshot of content/ (paths, sizes, modes, inodes, mtimes, ctimes,
/// content hashes) is unchanged by: start-up and serving every kind of
/// page; live ingest of broken files, an edit, a file rename, a bundle
/// folder rename and a deletion (each change made by the test, the
/// snapshot taken right after it and compared once the server has shown
/// it); SIGTERM; a start after a rename made while stopped; `quire check`
/// (failing on the broken files). `quire new`, which the README documents
/// as writing a post, adds exactly its one file.
#[test]
fn quire_never_writes_or_deletes_anything_in_content() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let data = dir.path().join("data");
    common::write(
        &content,
        "alpha.md",
        &post_file("Alpha", "2026-01-01", "tags = [\"x\"]\n"),
    );
    common::write(
        &content,
        "2026-01-02-beta.md",
        &post_file("Beta", "2026-01-02", ""),
    );
    common::write(
        &content,
        "pics/index.md",
        &post_file("Pics", "2026-01-03", ""),
    );
    common::write(&content, "pics/notes.txt", "notes");
    common::write(&content, "notes.txt", "not a post");
    std::os::unix::fs::symlink("alpha.md", content.join("link.md")).unwrap();
    let settle = || std::thread::sleep(Duration::from_millis(700));

    let before = snapshot(&content);
    let mut server = Server::start(&content, &data);
    let addr = server.addr.clone();
    for path in [
        "/",
        "/blog/alpha",
        "/blog/beta",
        "/blog/pics",
        "/blog/pics/notes.txt",
        "/tags/x",
        "/search?q=alpha",
        "/atom.xml",
        "/sitemap.xml",
        "/blog/nope",
    ] {
        assert!(get(&addr, path).status < 500, "{path}");
    }
    server.wait_for_search_index();
    settle();
    assert_unchanged(&before, &content, "by start-up and serving");

    // Live: broken files, then a good post the server must show (so the
    // batch with the broken ones has been read).
    write_bad_files(&content);
    common::write(
        &content,
        "sentinel.md",
        &post_file("Sentinel", "2026-01-04", ""),
    );
    let after_edit = snapshot(&content);
    server.wait_for("/blog/sentinel", "the sentinel post", |s, _| s == 200);
    settle();
    assert_unchanged(&after_edit, &content, "by live ingest of broken files");

    // Live: an edit, a rename, a folder rename, a deletion.
    common::write(
        &content,
        "alpha.md",
        &post_file("Alpha", "2026-01-01", "tags = [\"y\"]\n"),
    );
    std::fs::rename(content.join("2026-01-02-beta.md"), content.join("gamma.md")).unwrap();
    std::fs::rename(content.join("pics"), content.join("photos")).unwrap();
    std::fs::remove_file(content.join("sentinel.md")).unwrap();
    let after_edit = snapshot(&content);
    server.wait_for("/blog/beta", "the renamed post's redirect", |s, _| s == 301);
    server.wait_for("/blog/pics", "the renamed folder's redirect", |s, _| {
        s == 301
    });
    server.wait_for("/blog/sentinel", "the deletion", |s, _| s == 404);
    server.wait_for("/tags/y", "the edit", |s, b| {
        s == 200 && b.contains("/blog/alpha")
    });
    settle();
    assert_unchanged(
        &after_edit,
        &content,
        "by live renames, edits and deletions",
    );

    // SIGTERM (the store is flushed on the way out).
    terminate(&server);
    let (code, log) = wait_for_exit(&mut server, Duration::from_secs(20));
    assert_eq!(code, Some(0), "{}", log.join("\n"));
    assert_unchanged(&after_edit, &content, "by SIGTERM");
    drop(server);

    // A rename while stopped, then a start that finds it.
    std::fs::rename(content.join("gamma.md"), content.join("delta.md")).unwrap();
    let after_edit = snapshot(&content);
    let server = Server::start(&content, &data);
    assert_eq!(get(&server.addr, "/blog/delta").status, 200);
    assert_eq!(get(&server.addr, "/blog/gamma").status, 301);
    settle();
    assert_unchanged(&after_edit, &content, "by a start after a rename");

    // `quire check`, with --content and from the parent directory.
    let check = common::quire_command(&[])
        .arg("check")
        .arg("--content")
        .arg(&content)
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let check = quire_at(&debug_binary(), dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert_unchanged(&after_edit, &content, "by quire check (server running)");
    drop(server);
    assert_unchanged(&after_edit, &content, "by a killed server");

    // `quire new` writes its one file, and nothing else changes but the
    // folder's listing and times.
    let new = quire_at(&debug_binary(), dir.path())
        .args(["new", "Fresh Post"])
        .output()
        .unwrap();
    assert_eq!(new.status.code(), Some(0));
    let after_new = snapshot(&content);
    let created: Vec<_> = after_new
        .keys()
        .filter(|p| !after_edit.contains_key(*p))
        .collect();
    assert_eq!(created, [Path::new("fresh-post.md")]);
    for (path, stat) in &after_edit {
        if path != Path::new("") {
            assert_eq!(
                after_new.get(path),
                Some(stat),
                "{} changed",
                path.display()
            );
        }
    }
}

// ---- 9. Copy the binary anywhere and it serves the demo -----------------------------

/// Slugs of the demo posts in the repository's content/: file stems
/// without a date prefix, and bundle folder names.
fn demo_slugs() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.to_string();
            if path.is_dir() {
                return path.join("index.md").is_file().then_some(name);
            }
            let stem = name.strip_suffix(".md")?;
            let dated = stem.len() > 11
                && stem.as_bytes()[10] == b'-'
                && stem[..10].bytes().enumerate().all(|(i, b)| match i {
                    4 | 7 => b == b'-',
                    _ => b.is_ascii_digit(),
                });
            Some(if dated { &stem[11..] } else { stem }.to_string())
        })
        .collect()
}

/// Copies `binary` into an empty directory as `quire`, starts it there
/// with no flag but `--addr` and no `QUIRE_*` variable, and checks that it
/// serves the demo: the index lists demo posts, articles answer 200, the
/// client script the page loads is served.
/// The demo's tagline, from demo/quire.toml (not a default of Quire's).
const DEMO_TAGLINE: &str = "Technical articles on agentic AI";

/// With someone else's content and no settings, nothing of the demo's
/// identity shows: no tagline, and the description is the site's title.
#[test]
fn a_strangers_content_without_settings_shows_nothing_of_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        &dir.path().join("content"),
        "hello.md",
        &common::post("Hello", "2024-01-01", ""),
    );
    let addr = format!("127.0.0.1:{}", common::free_port());
    let mut command = quire_at(&debug_binary(), dir.path());
    command.args(["serve", "--content", "content", "--addr", &addr]);
    let server = start(command, &addr);
    let index = get(&addr, "/").text();
    assert!(!index.contains("agentic"), "{index}");
    assert!(
        index.contains("<meta name=\"description\" content=\"Blog\""),
        "{index}"
    );
    assert_no_panic(&log_so_far(&server));
}

/// `assets/custom.css` beside `content/` is linked on every page after
/// Quire's stylesheet, at an address that carries its hash, served from
/// this origin as CSS, and followed live (a bad edit keeps the last good
/// one); a stylesheet that cannot be read at start stops `serve` naming
/// the file.
#[test]
fn the_owners_stylesheet_is_linked_after_quires() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        &dir.path().join("content"),
        "hello.md",
        &common::post("Hello", "2024-01-01", ""),
    );
    let css = ":root { --accent: #8a2be2; }\n";
    common::write(&dir.path().join("assets"), "custom.css", css);
    let addr = format!("127.0.0.1:{}", common::free_port());
    let mut command = quire_at(&debug_binary(), dir.path());
    command.args(["serve", "--content", "content", "--addr", &addr]);
    let server = start(command, &addr);
    for page in ["/", "/blog/hello"] {
        let html = get(&addr, page).text();
        let own = html
            .find("href=\"/_custom/")
            .unwrap_or_else(|| panic!("{page}: {html}"));
        let quires = html.find("main.css").expect("Quire's stylesheet");
        assert!(quires < own, "{page}: the owner's stylesheet comes last");
    }
    let html = get(&addr, "/").text();
    let start_at = html.find("/_custom/").unwrap();
    let address = &html[start_at..start_at + html[start_at..].find('"').unwrap()];
    let sheet = get(&addr, address);
    assert_eq!(sheet.status, 200, "{address}");
    assert_eq!(
        sheet.header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(sheet.text(), css);
    assert_eq!(get(&addr, "/_custom/0123456789abcdef.css").status, 404);

    // Edited while serving: pages link the new file, the old address goes.
    let edited = ":root { --accent: #006400; }\n";
    std::fs::write(dir.path().join("assets/custom.css"), edited).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let new_address = loop {
        let html = get(&addr, "/blog/hello").text();
        let at = html.find("/_custom/").unwrap();
        let linked = html[at..at + html[at..].find('"').unwrap()].to_string();
        if linked != address {
            break linked;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the edited stylesheet is still not linked after 10 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(get(&addr, &new_address).text(), edited);
    assert_eq!(get(&addr, address).status, 404, "the old bytes are gone");
    // A bad edit is refused; the last good stylesheet stays.
    std::fs::write(dir.path().join("assets/custom.css"), [0xff, 0xfe]).unwrap();
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert!(get(&addr, "/").text().contains(&new_address));
    assert_eq!(get(&addr, &new_address).text(), edited);
    drop(server);

    let output = quire_at(&debug_binary(), dir.path())
        .args(["serve", "--content", "content", "--addr", "127.0.0.1:0"])
        .env("QUIRE_CUSTOM_CSS", "theme/missing.css")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains("theme/missing.css") && err.contains("custom_css"),
        "{err}"
    );
}

fn check_copy_serves_the_demo(binary: &Path) {
    let empty = tempfile::tempdir().unwrap();
    let copy = empty.path().join("quire");
    std::fs::copy(binary, &copy).unwrap();
    let addr = format!("127.0.0.1:{}", common::free_port());
    let mut command = quire_at(&copy, empty.path());
    command.args(["serve", "--addr", &addr]);
    let server = start(command, &addr);
    assert!(
        server
            .startup
            .iter()
            .any(|l| l.contains("serving the bundled demo content")),
        "{}",
        server.startup.join("\n")
    );
    let index = get(&addr, "/");
    assert_eq!(index.status, 200);
    assert!(
        index.text().contains(DEMO_TAGLINE),
        "the demo is served with its own settings (demo/quire.toml)"
    );
    let listed = article_links(&index.text());
    let demo = demo_slugs();
    assert!(
        listed.len() >= 10,
        "the index lists {} posts: {listed:?}",
        listed.len()
    );
    let strangers: Vec<_> = listed.iter().filter(|s| !demo.contains(*s)).collect();
    assert!(
        strangers.is_empty(),
        "listed posts that are not in the repository's content/: {strangers:?}"
    );
    for slug in listed.iter().take(3) {
        let article = get(&addr, &format!("/blog/{slug}"));
        assert_eq!(article.status, 200, "/blog/{slug}");
        assert!(article.text().contains("<h1"), "/blog/{slug}");
    }
    let html = index.text();
    let script = html
        .split("/assets/")
        .skip(1)
        .map(|rest| rest.split(['"', '\'', ')']).next().unwrap_or(""))
        .find(|name| name.ends_with(".js"))
        .unwrap_or_else(|| panic!("the index loads no client script from /assets/"));
    let asset = get(&addr, &format!("/assets/{script}"));
    assert_eq!(asset.status, 200, "/assets/{script}");
    assert!(
        empty.path().join("data").is_dir(),
        "the store went to ./data"
    );
    assert_no_panic(&log_so_far(&server));
}

/// README: "Copy `dist/quire` anywhere and start it: with no `./content`
/// next to it, it serves the demo blog it carries." Only `make build`'s
/// `dist/quire` carries the demo (the bundle is appended by its `pack`
/// step; the debug test binary carries none, see the next test), and
/// `make test` builds it before the tests run, so a missing `dist/quire`
/// fails here instead of skipping.
#[test]
fn a_copy_of_dist_quire_in_an_empty_directory_serves_the_demo() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist/quire");
    assert!(
        dist.is_file(),
        "{} does not exist: this test needs the release binary `make build` writes (`make test` builds it first); run `make build`",
        dist.display()
    );
    check_copy_serves_the_demo(&dist);
}

/// The same promise through the build's own step on the debug binary: a
/// plain build carries nothing (in an empty directory it stops with exit 2
/// and says so); packed with the repository's content/ and a client
/// template by the hidden `pack` command, a copy serves the demo.
#[test]
fn a_packed_debug_binary_copied_to_an_empty_directory_serves_the_demo() {
    let empty = tempfile::tempdir().unwrap();
    let output = quire_at(&debug_binary(), empty.path())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("carries no default content"), "{err}");

    let build = tempfile::tempdir().unwrap();
    let public = build.path().join("public");
    common::write(
        &public,
        "index.html",
        "<!DOCTYPE html><html><head><title>{app_title}</title></head><body><div id=\"main\"></div><script type=\"module\" async src=\"/assets/quire-dxh0a1b2c3d.js\"></script></body></html>",
    );
    common::write(
        &public,
        "assets/quire-dxh0a1b2c3d.js",
        "export default 1;\n",
    );
    let packed = build.path().join("quire");
    let pack = common::quire_command(&[])
        .args(["pack", "--public"])
        .arg(&public)
        .arg("--content")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
        .arg("--demo")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("demo"))
        .arg("--out")
        .arg(&packed)
        .output()
        .unwrap();
    assert_eq!(
        pack.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&pack.stderr)
    );
    check_copy_serves_the_demo(&packed);
}
