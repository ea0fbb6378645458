//! Files beside bundle posts, against the real binary: only what a post may
//! publish is served (no Markdown sources or editor copies of them, nothing
//! of a hidden post nested inside a visible one), large files are streamed
//! with bounded memory and dropped when a client stops reading, byte ranges
//! and validators work, and HEAD answers exactly the headers GET would.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::Server;

/// One HTTP response read off the wire, body as bytes.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `method path` with `headers` on a fresh connection and reads the
/// reply to the end (the server closes: `Connection: close`).
fn send(addr: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let extra: String = headers
        .iter()
        .map(|(n, v)| format!("{n}: {v}\r\n"))
        .collect();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{extra}\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    parse(&raw).unwrap_or_else(|| panic!("{method} {path}: no reply"))
}

fn get(addr: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
    send(addr, "GET", path, headers)
}

fn parse(raw: &[u8]) -> Option<Reply> {
    let head_end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..head_end]);
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Reply {
        status,
        headers,
        body: raw[head_end + 4..].to_vec(),
    })
}

/// 1,000 bytes whose every offset is recognisable.
fn pattern() -> Vec<u8> {
    (0..1000u32).map(|i| (i * 7 % 251) as u8).collect()
}

/// A text-like file big enough to be worth compressing.
fn svg() -> String {
    let circles: String = (0..60)
        .map(|i| format!("<circle cx=\"{i}\" cy=\"{i}\" r=\"4\" fill=\"#336699\"/>\n"))
        .collect();
    format!("<svg xmlns=\"http://www.w3.org/2000/svg\">\n{circles}</svg>\n")
}

fn post(title: &str, extra: &str) -> String {
    common::post(title, "2026-01-02", extra)
}

/// A site with a bundle post `pics` holding publishable files, source
/// copies, and hidden posts nested inside it.
fn site() -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let write = |name: &str, text: &str| common::write(&content, name, text);
    write("pics/index.md", &post("Pics", ""));
    write("pics/figure.svg", &svg());
    write("pics/notes.txt", &"plain words, repeated. ".repeat(100));
    std::fs::write(content.join("pics/clip.mp4"), pattern()).unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(pattern());
    std::fs::write(content.join("pics/photo.png"), png).unwrap();
    write("pics/images/inner.png", "inner");
    for copy in SOURCE_COPIES {
        write(
            &format!("pics/{copy}"),
            "+++\ntitle = \"source\"\n+++\nSOURCE-TEXT",
        );
    }
    for other in ["page.html", "data.bin", "app.js"] {
        write(&format!("pics/{other}"), "NOT-PUBLISHED");
    }
    for text in ["script.sh", "config.toml"] {
        write(&format!("pics/{text}"), "shown as text");
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(content.join("pics/index.md"), content.join("pics/leak.png"))
        .unwrap();
    // Hidden posts: their own URL and the visible parent's must both 404.
    write(
        "pics/nested-draft/index.md",
        &post("Nested draft", "draft = true\n"),
    );
    write(
        "pics/nested-later/index.md",
        &post("Later", "publish_at = 2099-01-01T00:00:00Z\n"),
    );
    write("pics/nested-broken/index.md", "+++\ntitle = \n+++\nbroken");
    write(
        "pics/nested-renamed/index.md.bak",
        &post("Renamed away", ""),
    );
    for hidden in [
        "nested-draft",
        "nested-later",
        "nested-broken",
        "nested-renamed",
    ] {
        write(&format!("pics/{hidden}/secret.png"), "HIDDEN-POST-FILE");
    }
    write("draft/index.md", &post("Draft", "draft = true\n"));
    write("draft/secret.png", "HIDDEN-POST-FILE");
    write(
        "later/index.md",
        &post("Later", "publish_at = 2099-01-01T00:00:00Z\n"),
    );
    write("later/secret.png", "HIDDEN-POST-FILE");
    let server = Server::start(&content, &dir.path().join("data"));
    (dir, server)
}

/// A bundle file replaced on disk is served anew at once: files beside
/// posts are read from disk (validators from their size and time), never
/// kept by the page cache, whose kinds would not drop them with the post.
#[test]
fn a_bundle_file_replaced_on_disk_is_served_anew() {
    let (dir, server) = site();
    let content = dir.path().join("content");
    for (name, new) in [
        ("photo.png", b"\x89PNG\r\n\x1a\nNEW".to_vec()),
        (
            "figure.svg",
            svg().replace("#336699", "#993366").into_bytes(),
        ),
    ] {
        let path = format!("/blog/pics/{name}");
        let old = get(&server.addr, &path, &[]);
        assert_eq!(old.status, 200, "{path}");
        assert_eq!(
            old.header("x-quire-cache"),
            None,
            "{path} is not the cache's"
        );
        std::fs::write(content.join("pics").join(name), &new).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while get(&server.addr, &path, &[]).body != new {
            assert!(
                Instant::now() < deadline,
                "{path} still served as it was 10 s after it was replaced"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Copies of `index.md` that editors, merges and people leave behind.
const SOURCE_COPIES: [&str; 14] = [
    "index.md~",
    "#index.md#",
    ".index.md.swp",
    "index.md.bak",
    "index.MD",
    "INDEX.MD.BAK",
    "index.markdown",
    "index.md.orig",
    "index.md.tmp",
    "index.md.txt",
    "index.md.swp",
    "notes.mdx",
    "index.md.rej",
    "Index.Markdown~",
];

#[test]
fn editor_and_backup_copies_of_the_source_are_never_served() {
    let (_dir, server) = site();
    let addr = &server.addr;
    let mut served = Vec::new();
    let mut names: Vec<String> = SOURCE_COPIES.iter().map(|c| c.to_string()).collect();
    names.extend(["index.md", "leak.png"].map(String::from));
    names.extend(["page.html", "data.bin", "app.js"].map(String::from));
    for name in &names {
        let encoded = name.replace('#', "%23");
        let reply = get(addr, &format!("/blog/pics/{encoded}"), &[]);
        if reply.status != 404 {
            served.push(format!("{name}: {}", reply.status));
        }
        let body = String::from_utf8_lossy(&reply.body);
        assert!(
            !body.contains("SOURCE-TEXT") && !body.contains("title = "),
            "{name} leaked"
        );
    }
    assert!(served.is_empty(), "served: {served:#?}");
    // What a post publishes is still served, with the type of its name.
    for (path, content_type) in [
        ("/blog/pics/figure.svg", "image/svg+xml"),
        ("/blog/pics/notes.txt", "text/plain; charset=utf-8"),
        // Configuration and code, as text a browser shows and never runs.
        ("/blog/pics/script.sh", "text/plain; charset=utf-8"),
        ("/blog/pics/config.toml", "text/plain; charset=utf-8"),
        ("/blog/pics/photo.png", "image/png"),
        ("/blog/pics/clip.mp4", "video/mp4"),
        ("/blog/pics/images/inner.png", "image/png"),
    ] {
        let reply = get(addr, path, &[]);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(content_type), "{path}");
    }
}

#[test]
fn files_of_hidden_posts_are_not_served_through_a_visible_parent() {
    let (_dir, server) = site();
    let addr = &server.addr;
    let mut leaked = Vec::new();
    for path in [
        "/blog/draft/secret.png",
        "/blog/later/secret.png",
        "/blog/nested-draft/secret.png",
        "/blog/nested-later/secret.png",
        "/blog/pics/nested-draft/secret.png",
        "/blog/pics/nested-later/secret.png",
        "/blog/pics/nested-broken/secret.png",
        "/blog/pics/nested-renamed/secret.png",
    ] {
        let reply = get(addr, path, &[]);
        if reply.status != 404 || String::from_utf8_lossy(&reply.body).contains("HIDDEN") {
            leaked.push(format!("{path}: {}", reply.status));
        }
    }
    assert!(leaked.is_empty(), "leaked: {leaked:#?}");
    // A plain folder of the visible post is still its own.
    assert_eq!(get(addr, "/blog/pics/images/inner.png", &[]).status, 200);
}

#[test]
fn ranges_answer_206_with_exactly_the_slice() {
    let (_dir, server) = site();
    let addr = &server.addr;
    let file = pattern();
    let path = "/blog/pics/clip.mp4";
    let whole = get(addr, path, &[]);
    assert_eq!(whole.status, 200);
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    assert_eq!(whole.body, file);
    for (range, start, end) in [
        ("bytes=10-19", 10, 19),
        ("bytes=0-0", 0, 0),
        ("bytes=990-5000", 990, 999),
        ("bytes=-100", 900, 999),
        ("bytes=-5000", 0, 999),
        ("bytes=500-", 500, 999),
        ("bytes=999-", 999, 999),
    ] {
        let reply = get(addr, path, &[("Range", range)]);
        assert_eq!(reply.status, 206, "{range}");
        assert_eq!(
            reply.header("content-range"),
            Some(format!("bytes {start}-{end}/1000").as_str()),
            "{range}"
        );
        let length = end - start + 1;
        assert_eq!(
            reply.header("content-length"),
            Some(length.to_string().as_str())
        );
        assert_eq!(reply.body, &file[start..=end], "{range}");
    }
    // A range of a compressible file is a slice of its identity bytes.
    let svg = svg();
    let reply = get(
        addr,
        "/blog/pics/figure.svg",
        &[("Range", "bytes=0-9"), ("Accept-Encoding", "br, gzip")],
    );
    assert_eq!(reply.status, 206);
    assert_eq!(reply.header("content-encoding"), None);
    assert_eq!(reply.body, &svg.as_bytes()[..10]);
}

#[test]
fn unsatisfiable_and_ignored_ranges() {
    let (_dir, server) = site();
    let addr = &server.addr;
    let path = "/blog/pics/clip.mp4";
    for range in ["bytes=1000-", "bytes=5000-6000", "bytes=1000-1000"] {
        let reply = get(addr, path, &[("Range", range)]);
        assert_eq!(reply.status, 416, "{range}");
        assert_eq!(
            reply.header("content-range"),
            Some("bytes */1000"),
            "{range}"
        );
    }
    // Several ranges, malformed ones and other units: the whole file.
    for range in [
        "bytes=0-1,5-6",
        "bytes=5-2",
        "bytes=abc",
        "items=0-1",
        "bytes 0-1",
    ] {
        let reply = get(addr, path, &[("Range", range)]);
        assert_eq!(reply.status, 200, "{range}");
        assert_eq!(reply.body.len(), 1000, "{range}");
        assert_eq!(reply.header("content-range"), None, "{range}");
    }
}

#[test]
fn if_range_and_validators() {
    let (_dir, server) = site();
    let addr = &server.addr;
    let path = "/blog/pics/clip.mp4";
    let whole = get(addr, path, &[]);
    let etag = whole.header("etag").expect("an ETag").to_string();
    let modified = whole
        .header("last-modified")
        .expect("Last-Modified")
        .to_string();
    assert!(etag.starts_with('"'), "a strong tag: {etag}");
    // If-Range: the current tag or date gets the range, a stale one the whole file.
    let ranged = |if_range: &str| {
        get(
            addr,
            path,
            &[("Range", "bytes=0-9"), ("If-Range", if_range)],
        )
    };
    assert_eq!(ranged(&etag).status, 206);
    assert_eq!(ranged(&modified).status, 206);
    for stale in ["\"stale\"", "W/\"stale\"", "Mon, 01 Jan 2001 00:00:00 GMT"] {
        let reply = ranged(stale);
        assert_eq!(reply.status, 200, "{stale}");
        assert_eq!(reply.body.len(), 1000, "{stale}");
    }
    // 304 for a matching tag or a date not older than the file, GET and HEAD.
    for method in ["GET", "HEAD"] {
        let listed = format!("\"other\", {etag}");
        for (name, value) in [
            ("If-None-Match", etag.as_str()),
            ("If-None-Match", listed.as_str()),
            ("If-None-Match", "*"),
            ("If-Modified-Since", modified.as_str()),
        ] {
            let reply = send(addr, method, path, &[(name, value)]);
            assert_eq!(reply.status, 304, "{method} {name}: {value}");
            assert_eq!(reply.header("etag"), Some(etag.as_str()));
            assert!(reply.body.is_empty());
        }
        let reply = send(addr, method, path, &[("If-None-Match", "\"other\"")]);
        assert_eq!(reply.status, 200, "{method}");
        // If-None-Match wins over If-Modified-Since.
        let reply = send(
            addr,
            method,
            path,
            &[
                ("If-None-Match", "\"other\""),
                ("If-Modified-Since", &modified),
            ],
        );
        assert_eq!(reply.status, 200, "{method}");
    }
}

#[test]
fn head_answers_exactly_the_headers_get_would() {
    let (_dir, server) = site();
    let addr = &server.addr;
    let compared = [
        "content-type",
        "content-length",
        "content-encoding",
        "vary",
        "etag",
        "last-modified",
        "accept-ranges",
        "cache-control",
    ];
    for file in ["figure.svg", "notes.txt", "photo.png"] {
        let path = format!("/blog/pics/{file}");
        for accept in [Some("br, gzip"), Some("gzip"), None] {
            let headers: Vec<(&str, &str)> =
                accept.map(|a| ("Accept-Encoding", a)).into_iter().collect();
            let got = get(addr, &path, &headers);
            let head = send(addr, "HEAD", &path, &headers);
            assert_eq!(got.status, 200, "{file} {accept:?}");
            assert_eq!(head.status, got.status, "{file} {accept:?}");
            for name in compared {
                assert_eq!(
                    head.header(name),
                    got.header(name),
                    "{file} {accept:?}: {name}"
                );
            }
            assert!(head.body.is_empty());
            assert_eq!(
                got.header("content-length"),
                Some(got.body.len().to_string().as_str()),
                "{file} {accept:?}"
            );
        }
    }
    // Text is compressed (by the file's own handler), images are not.
    let compressed = get(
        addr,
        "/blog/pics/figure.svg",
        &[("Accept-Encoding", "br, gzip")],
    );
    assert_eq!(compressed.header("content-encoding"), Some("br"));
    assert_eq!(compressed.header("vary"), Some("Accept-Encoding"));
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut compressed.body.as_slice(), &mut decoded).unwrap();
    assert_eq!(decoded, svg().as_bytes());
    let plain = get(addr, "/blog/pics/figure.svg", &[]);
    assert_ne!(
        plain.header("etag"),
        compressed.header("etag"),
        "one tag per encoding"
    );
    let png = get(
        addr,
        "/blog/pics/photo.png",
        &[("Accept-Encoding", "br, gzip")],
    );
    assert_eq!(png.header("content-encoding"), None);
    assert_eq!(png.header("vary"), None);
}

// ---- Large files -------------------------------------------------------------

const BIG_BYTES: u64 = 64 * 1024 * 1024;

/// A site whose bundle post `big` has a 64 MB (sparse) video beside it.
fn big_site(env: &[(&str, &str)]) -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::write(&content, "big/index.md", &post("Big", ""));
    let file = std::fs::File::create(content.join("big/movie.mp4")).unwrap();
    file.set_len(BIG_BYTES).unwrap();
    let server = Server::start_with_env(&content, &dir.path().join("data"), &[], env);
    (dir, server)
}

fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap()
}

/// Clients that ask for `path` and never read a byte of the answer.
fn stalled_clients(addr: &str, path: &str, count: usize) -> Vec<TcpStream> {
    (0..count)
        .map(|_| {
            let mut stream = TcpStream::connect(addr).unwrap();
            write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
            stream
        })
        .collect()
}

/// Whether the server process has `name` open.
fn holds_open(pid: u32, name: &str) -> bool {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .any(|target| target.ends_with(name))
}

#[test]
fn clients_that_never_read_a_large_file_cost_little_memory() {
    let (_dir, server) = big_site(&[]);
    let addr = &server.addr;
    let pid = server.child.id();
    assert_eq!(get(addr, "/blog/big", &[]).status, 200);
    let before = rss_kb(pid);
    let clients = stalled_clients(addr, "/blog/big/movie.mp4", 8);
    let mut peak = before;
    let until = Instant::now() + Duration::from_secs(4);
    while Instant::now() < until {
        peak = peak.max(rss_kb(pid));
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        holds_open(pid, "movie.mp4"),
        "the requests are in flight, streaming"
    );
    let growth_mb = (peak - before) / 1024;
    assert!(
        growth_mb < 100,
        "8 stalled clients of a {} MB file grew the server by {growth_mb} MB",
        BIG_BYTES >> 20
    );
    drop(clients);
    // A client that reads gets every byte.
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET /blog/big/movie.mp4 HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let reply = parse(&raw).unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-length"),
        Some(BIG_BYTES.to_string().as_str())
    );
    assert_eq!(reply.body.len() as u64, BIG_BYTES);
}

#[test]
fn a_client_that_stops_reading_is_dropped_after_the_send_timeout() {
    let (_dir, server) = big_site(&[("QUIRE_SEND_TIMEOUT_SECS", "2")]);
    let addr = &server.addr;
    let pid = server.child.id();
    let started = Instant::now();
    let mut clients = stalled_clients(addr, "/blog/big/movie.mp4", 2);
    std::thread::sleep(Duration::from_millis(800));
    assert!(
        holds_open(pid, "movie.mp4"),
        "the file is streamed from disk while it is being sent"
    );
    // Past the timeout the connection is closed and the file with it.
    let deadline = started + Duration::from_secs(10);
    while holds_open(pid, "movie.mp4") {
        assert!(
            Instant::now() < deadline,
            "the file is still open 10 s after its clients stopped reading"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // What was in flight arrives, then the end: never the whole file.
    let stream = &mut clients[0];
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut received = 0u64;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => received += n as u64,
            Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(err) => panic!("the connection was not closed: {err} after {received} bytes"),
        }
    }
    assert!(received < BIG_BYTES, "received {received} bytes");
    // The server still answers.
    assert_eq!(get(addr, "/healthz", &[]).status, 200);
}
