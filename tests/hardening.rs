//! The second hardening round (docs/SECURITY.md, "Limits"): each test
//! replays one shape an adversarial pass found broken and asserts the exact
//! answer. A read that times out is a failure here, never an answer.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use common::Server;

/// Status, headers (lower-cased names) and body of one response.
struct Answer {
    status: u16,
    head: String,
    body: Vec<u8>,
}

/// Sends `raw` and reads until the server closes; panics on a read timeout
/// (`guard`), so a hanging server fails the test.
fn exchange(addr: &str, raw: &[u8], guard: Duration) -> Answer {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(guard)).unwrap();
    let _ = stream.write_all(raw);
    let mut bytes = Vec::new();
    if let Err(err) = stream.read_to_end(&mut bytes) {
        let got = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
        panic!("no complete answer within {guard:?} ({err}); got {got:?}");
    }
    answer(&bytes)
}

fn answer(bytes: &[u8]) -> Answer {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap();
    Answer {
        status,
        head,
        body: bytes[end + 4..].to_vec(),
    }
}

fn get(addr: &str, path: &str) -> Answer {
    let raw = format!("GET {path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    exchange(addr, raw.as_bytes(), Duration::from_secs(20))
}

/// The server's log so far, failing on any panic in it.
fn assert_no_panic(server: &Server) -> Vec<String> {
    let lines: Vec<String> = server.log.try_iter().collect();
    let panics = lines.iter().filter(|l| l.contains("panicked")).count();
    assert_eq!(panics, 0, "panics in the log:\n{}", lines.join("\n"));
    lines
}

fn site(posts: impl FnOnce(&Path)) -> (tempfile::TempDir, Server) {
    site_with_env(&[], posts)
}

/// [`site`], with extra environment variables for the server.
fn site_with_env(env: &[(&str, &str)], posts: impl FnOnce(&Path)) -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::write(
        &content,
        "first.md",
        &common::post("First", "2026-01-01", ""),
    );
    posts(&content);
    let server = Server::start_with_env(&content, &dir.path().join("data"), &[], env);
    (dir, server)
}

const CHUNKED_POST: &str = "POST /api/listing HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";

/// Item 6: a server function's body over 64 KiB (chunked, so no length
/// announces it), a malformed chunk, or a body that stops arriving: 413,
/// 400 and 408, and no panic in the log.
#[test]
fn broken_bodies_get_413_400_408_and_no_panic() {
    let (_dir, server) = site(|_| {});
    let addr = server.addr.as_str();
    let mut over = CHUNKED_POST.as_bytes().to_vec();
    for _ in 0..2 {
        over.extend_from_slice(format!("{:x}\r\n", 40 * 1024).as_bytes());
        over.extend(std::iter::repeat_n(b' ', 40 * 1024));
        over.extend_from_slice(b"\r\n");
    }
    over.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(exchange(addr, &over, Duration::from_secs(20)).status, 413);
    let malformed = format!("{CHUNKED_POST}zz\r\n{{}}\r\n0\r\n\r\n");
    assert_eq!(
        exchange(addr, malformed.as_bytes(), Duration::from_secs(20)).status,
        400
    );
    let started = Instant::now();
    let slow = "POST /api/listing HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"page\":";
    let reply = exchange(addr, slow.as_bytes(), Duration::from_secs(25));
    assert_eq!(reply.status, 408, "after {:?}", started.elapsed());
    let good = "{\"query\":{\"category\":null,\"tags\":[],\"page\":1}}";
    let raw = format!(
        "POST /api/listing HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{good}",
        good.len()
    );
    assert_eq!(
        exchange(addr, raw.as_bytes(), Duration::from_secs(20)).status,
        200
    );
    assert_no_panic(&server);
}

/// CPU time the process has used so far (user + system), from /proc.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split(' ').collect();
    // utime and stime are fields 14 and 15 of the line, in clock ticks.
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}

/// Item 7: a made-up path or a `path` for suggestions costs what a short
/// one does, with 2,000 posts to compare it against (measured as the
/// server's own CPU time, so a busy machine does not blur it); an address
/// over 16 KiB is refused with 414 before any rendering, so no page echoes
/// it back (a 60 KB `?tag=` made a 1 MB page).
#[test]
fn huge_not_found_paths_cost_milliseconds() {
    let (_dir, server) = site(|content| {
        for i in 0..2000 {
            let title = format!("Post number {i} about topic {}", i % 37);
            common::write(
                content,
                &format!("post-{i}.md"),
                &common::post(&title, "2026-01-02", ""),
            );
        }
    });
    server.wait_for_search_index();
    let addr = server.addr.as_str();
    let pid = server.child.id();
    let words = |i: usize, bytes: usize| -> String {
        let long: String = (0..12_000).map(|n| format!("w{i}{n}-")).collect();
        long[..bytes].to_string()
    };
    for (path, status) in [
        (format!("/{}", words(0, 60_000)), 414),
        (format!("/?tag={}", words(0, 60_000)), 414),
        (format!("/search?q={}", words(0, 60_000)), 414),
    ] {
        assert_eq!(get(addr, &path).status, status, "{}", &path[..20]);
    }
    let before = cpu_time(pid);
    let requests = 20;
    for i in 0..requests / 2 {
        let long = words(i as usize, 4000);
        for path in [format!("/{long}"), format!("/api/suggest?path={long}")] {
            let reply = get(addr, &path);
            assert!(matches!(reply.status, 404 | 200), "{}", reply.status);
            assert!(
                reply.body.len() < 64 * 1024,
                "{} bytes for a 4 KB address",
                reply.body.len()
            );
        }
    }
    let per_request = (cpu_time(pid) - before) / requests;
    // Debug build; the unbounded version used over a second per request.
    assert!(
        per_request < Duration::from_millis(40),
        "{per_request:?} of CPU per request"
    );
    // Suggestions still work for a short, mistyped address.
    let page = get(addr, "/blog/post-number-12-about-topik");
    assert_eq!(page.status, 404);
    assert!(String::from_utf8_lossy(&page.body).contains("class=\"suggestions\""));
}

/// Item 5: a post with 40,000 headings is served whole (not an empty 200)
/// and a 4 MB one-paragraph post keeps the feeds and the index small.
#[test]
fn huge_posts_are_served_whole_and_feeds_stay_bounded() {
    let (_dir, server) = site(|content| {
        let headings: String = (0..40_000)
            .map(|i| format!("## Heading number {i}\n\nText {i}.\n\n"))
            .collect();
        common::write(
            content,
            "headings.md",
            &common::post("Headings", "2026-01-03", "")
                .replace("Intro", &format!("{headings}Intro")),
        );
        let words = "word ".repeat(800_000);
        common::write(
            content,
            "one-line.md",
            &format!("+++\ntitle = \"One line\"\ndate = 2026-01-04\n+++\n\n{words}\n"),
        );
    });
    let addr = server.addr.as_str();
    let page = get(addr, "/blog/headings");
    assert_eq!(page.status, 200);
    let length: usize = header(&page, "content-length").parse().unwrap();
    assert_eq!(length, page.body.len());
    let html = String::from_utf8_lossy(&page.body);
    assert!(html.contains("id=\"heading-number-39999\"") && html.contains("</html>"));
    assert_eq!(
        html.matches("class=\"toc-level-").count(),
        200,
        "the contents box is capped"
    );
    for feed in ["/atom.xml", "/rss.xml", "/feed.json"] {
        let reply = get(addr, feed);
        assert_eq!(reply.status, 200, "{feed}");
        assert!(
            reply.body.len() < 512 * 1024,
            "{feed}: {} bytes",
            reply.body.len()
        );
        assert!(
            String::from_utf8_lossy(&reply.body).contains("/blog/one-line"),
            "{feed}"
        );
    }
    let index = get(addr, "/");
    assert_eq!(index.status, 200);
    assert!(
        index.body.len() < 200 * 1024,
        "index: {} bytes",
        index.body.len()
    );
    assert_no_panic(&server);
}

fn header<'a>(answer: &'a Answer, name: &str) -> &'a str {
    answer
        .head
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no {name} header"))
}

/// README: `QUIRE_LOG=debug` logs one line per request, cache hits
/// included (they are answered before the router and its log layer).
#[test]
fn debug_logs_every_request_cache_hits_included() {
    let (_dir, server) = site_with_env(&[("QUIRE_LOG", "info,quire::request=debug")], |_| {});
    for _ in 0..3 {
        assert_eq!(get(&server.addr, "/blog/first").status, 200);
    }
    std::thread::sleep(Duration::from_millis(300));
    let lines = assert_no_panic(&server);
    let logged = lines
        .iter()
        .filter(|l| l.contains("GET /blog/first 200"))
        .count();
    assert_eq!(logged, 3, "one line per request:\n{}", lines.join("\n"));
}

/// Item 5: the limits are one set, enforced by `quire check` as by ingest:
/// a post that renders past them is an error naming the file and the fix.
#[test]
fn check_refuses_a_post_that_renders_past_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let headings: String = (0..80_000)
        .map(|i| format!("## Heading number {i}\n\nText {i}.\n\n"))
        .collect();
    common::write(&content, "ok.md", &common::post("Fine", "2026-01-01", ""));
    common::write(
        &content,
        "huge.md",
        &format!("+++\ntitle = \"Huge\"\ndate = 2026-01-02\n+++\n\n{headings}"),
    );
    let out = common::quire_command(&[])
        .args(["check", "--content"])
        .arg(&content)
        .output()
        .unwrap();
    let stderr =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("huge.md")
            && stderr.contains("renders to")
            && stderr.contains("split the post"),
        "{stderr}"
    );
}

/// docs/SECURITY.md: a request that outlives the request timeout is
/// answered 503 with `Retry-After: 5` (here a body that stops arriving,
/// with the timeout lowered under the body's own 10 s).
#[test]
fn a_request_over_the_request_timeout_gets_503_with_retry_after() {
    let (_dir, server) = site_with_env(&[("QUIRE_REQUEST_TIMEOUT_SECS", "1")], |_| {});
    let started = Instant::now();
    let slow = "POST /api/listing HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{";
    let reply = exchange(&server.addr, slow.as_bytes(), Duration::from_secs(8));
    assert_eq!(reply.status, 503);
    assert!(reply.head.contains("retry-after: 5"), "{}", reply.head);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

/// An alias under a listing prefix would 301 a real category, tag or index
/// page away: `quire check` reports it, and the server never follows it.
#[test]
fn aliases_cannot_take_over_listing_pages() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let extra = "category = \"Rust\"\ntags = [\"go\"]\naliases = [\"/category/rust\", \"/tags/go\", \"/page/1\"]\n";
    common::write(
        &content,
        "first.md",
        &common::post("First", "2026-01-01", extra),
    );
    let out = common::quire_command(&[])
        .args(["check", "--content"])
        .arg(&content)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(
        text.matches("would hide the site's own page").count(),
        3,
        "{text}"
    );
    let server = Server::start(&content, &dir.path().join("data"));
    for page in ["/category/rust", "/tags/go", "/page/1"] {
        assert_eq!(get(&server.addr, page).status, 200, "{page}");
    }
}

/// A path in raw UTF-8 (hyper accepts it unescaped) is served like its
/// percent-encoded form, with no panic anywhere on the way.
#[test]
fn raw_utf8_paths_are_served_without_a_panic() {
    let (_dir, server) = site(|content| {
        common::write(content, "café.md", &common::post("Café", "2026-01-05", ""));
    });
    for raw in [
        &b"GET /blog/caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"[..],
        b"GET /blog/caf%C3%A9 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        b"GET /\xe6\x97\xa5\xe6\x9c\xac?tag=\xc3\xa9 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    ] {
        let reply = exchange(&server.addr, raw, Duration::from_secs(20));
        assert!(matches!(reply.status, 200 | 404 | 400), "{}", reply.status);
    }
    let reply = exchange(
        &server.addr,
        b"GET /blog/caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        Duration::from_secs(20),
    );
    assert_eq!(reply.status, 200);
    assert_no_panic(&server);
}
