//! Faults: the binary SIGKILLed in the middle of a cold ingest, a damaged
//! store file, and content/ deleted while serving. The store is a cache of
//! content/: after any of these the site must serve exactly what a clean
//! ingest serves (or, for a deleted content/, keep the last good site).

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::Server;

/// Posts in the generated site: enough that a cold ingest takes a while.
const POSTS: usize = 300;
/// Absolute URLs in pages and feeds must not depend on the random port.
const BASE_URL: &str = "http://quire.test";
const ENV: [(&str, &str); 1] = [("QUIRE_BASE_URL", BASE_URL)];

fn generate(content: &Path) {
    let paragraph = "Ingest must survive a crash at any point: the store is a cache \
        of these files, rebuilt or completed on the next start. ";
    for i in 0..POSTS {
        let body = format!(
            "Opening paragraph of post {i}.\n\n## Part one\n\n{}\n\n```rust\nfn main() {{ println!(\"{i}\"); }}\n```\n\n## Part two\n\n{}\n",
            paragraph.repeat(8),
            paragraph.repeat(4)
        );
        let text = format!(
            "+++\ntitle = \"Post number {i}\"\ndate = 2025-{:02}-{:02}\ncategory = \"Cat {}\"\ntags = [\"t{}\", \"t{}\"]\n+++\n\n{body}",
            1 + i % 12,
            1 + i % 28,
            i % 7,
            i % 11,
            i % 5
        );
        common::write(content, &format!("post-{i:04}.md"), &text);
    }
}

/// Pages whose bytes must match a clean ingest.
const PAGES: [&str; 9] = [
    "/",
    "/page/3",
    "/sitemap.xml",
    "/feed.json",
    "/category/cat-3",
    "/tags/t7",
    "/blog/post-0000",
    "/blog/post-0150",
    "/blog/post-0299",
];

fn snapshot(server: &Server) -> Vec<(String, u16, String)> {
    PAGES
        .iter()
        .map(|path| {
            let (status, body) = server.get(path);
            (path.to_string(), status, body)
        })
        .collect()
}

fn assert_same(expected: &[(String, u16, String)], actual: &[(String, u16, String)], what: &str) {
    for ((path, status, body), (_, got_status, got_body)) in expected.iter().zip(actual) {
        assert_eq!(status, got_status, "{what}: {path} status");
        assert!(
            body == got_body,
            "{what}: {path} differs from a clean ingest ({} vs {} bytes)",
            body.len(),
            got_body.len()
        );
    }
}

/// The site after a clean, uninterrupted ingest.
fn clean_snapshot(content: &Path, root: &Path) -> Vec<(String, u16, String)> {
    let server = Server::start_with_env(content, &root.join("clean-data"), &[], &ENV);
    let snapshot = snapshot(&server);
    assert_eq!(snapshot[6].1, 200, "the generated posts ingest");
    assert!(
        snapshot[3].2.matches("\"id\"").count() >= 50,
        "the feed lists posts"
    );
    snapshot
}

/// Starts `quire serve` with verbose logs and SIGKILLs it once it has
/// written `lines` log lines (or once it serves, if ingest ends first).
/// Returns whether the kill landed before the ingest finished.
fn kill_after_lines(content: &Path, data: &Path, lines: usize) -> bool {
    let port = common::free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["serve", "--content"])
        .arg(content)
        .arg("--data")
        .arg(data)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .env("DIOXUS_PUBLIC_PATH", data.join("public"))
        .env("QUIRE_BASE_URL", BASE_URL)
        // sled's own debug and trace lines mark its writes as they happen.
        .env("QUIRE_LOG", "debug,sled=trace")
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
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut seen = 0;
    let mut mid_ingest = true;
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let Ok(line) = rx.recv_timeout(remaining) else {
            panic!("the server neither logged {lines} lines nor served within 120 s");
        };
        seen += 1;
        if line.contains("content synced") || line.contains("Quire is serving") {
            mid_ingest = false;
        }
        if seen >= lines || line.contains("Quire is serving") {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    mid_ingest
}

#[test]
fn sigkill_during_cold_ingest_then_restart_serves_what_a_clean_ingest_serves() {
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    generate(&content);
    let expected = clean_snapshot(&content, root.path());

    let mut mid_ingest_kills = 0;
    for (round, lines) in [2, 8, 30, 120, 400, 1500, 5000].into_iter().enumerate() {
        let data = root.path().join(format!("data-{round}"));
        if kill_after_lines(&content, &data, lines) {
            mid_ingest_kills += 1;
        }
        let server = Server::start_with_env(&content, &data, &[], &ENV);
        assert_same(
            &expected,
            &snapshot(&server),
            &format!("killed after {lines} log lines"),
        );
        let log: Vec<String> = server.log.try_iter().collect();
        assert!(
            !log.iter().any(|l| l.contains("panicked")),
            "{}",
            log.join("\n")
        );
        drop(server);
        // Killed twice in a row: during the recovery ingest too.
        if round % 2 == 1 {
            kill_after_lines(&content, &data, lines / 2);
            let server = Server::start_with_env(&content, &data, &[], &ENV);
            assert_same(&expected, &snapshot(&server), "killed during recovery");
        }
    }
    println!("{mid_ingest_kills} of 7 kills landed before the ingest finished");
    assert!(
        mid_ingest_kills >= 3,
        "only {mid_ingest_kills} kills landed before the ingest finished: the test no longer hits ingest"
    );
}

/// SIGTERM, and wait for the graceful stop that flushes the store.
fn stop(mut server: Server) {
    let pid = server.child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(
        server.child.wait().unwrap().success(),
        "clean exit on SIGTERM"
    );
}

/// Ways to damage a store on disk.
fn damage(store: &Path, how: &str) {
    let db = store.join("db");
    match how {
        "truncate db" => {
            let len = std::fs::metadata(&db).unwrap().len();
            let file = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
            file.set_len(len / 3).unwrap();
        }
        "garbage db" => {
            let len = std::fs::metadata(&db).unwrap().len() as usize;
            // Deterministic noise over the whole file.
            let noise: Vec<u8> = (0..len).map(|i| (i * 7919 % 251) as u8 ^ 0x5a).collect();
            std::fs::write(&db, noise).unwrap();
        }
        "empty db" => std::fs::write(&db, b"").unwrap(),
        "garbage conf" => std::fs::write(store.join("conf"), b"\xff\xfenot a config\0").unwrap(),
        "garbage snapshot" => {
            for entry in std::fs::read_dir(store).unwrap() {
                let path = entry.unwrap().path();
                if path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("snap."))
                {
                    std::fs::write(&path, vec![0xa5; 4096]).unwrap();
                }
            }
        }
        other => unreachable!("{other}"),
    }
}

#[test]
fn damaged_store_files_are_rebuilt_from_content() {
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    generate(&content);
    let expected = clean_snapshot(&content, root.path());
    for how in [
        "truncate db",
        "garbage db",
        "empty db",
        "garbage conf",
        "garbage snapshot",
    ] {
        let data = root.path().join(format!("data-{}", how.replace(' ', "-")));
        let server = Server::start_with_env(&content, &data, &[], &ENV);
        assert_same(&expected, &snapshot(&server), "before damage");
        stop(server);
        let store = data.join("store");
        assert!(
            store.join("db").is_file(),
            "sled keeps its data in store/db"
        );
        damage(&store, how);
        let server = Server::start_with_env(&content, &data, &[], &ENV);
        assert_same(&expected, &snapshot(&server), how);
        let log: Vec<String> = server.log.try_iter().collect();
        assert!(
            !log.iter().any(|l| l.contains("panicked")),
            "{how}: {}",
            log.join("\n")
        );
    }
}

#[test]
fn rebuilt_store_is_logged() {
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    common::write(&content, "a.md", &common::post("A", "2026-01-01", ""));
    let data = root.path().join("data");
    stop(Server::start_with_env(&content, &data, &[], &ENV));
    damage(&data.join("store"), "garbage db");
    // The "store created (or rebuilt…)" line comes before "serving": read
    // the start-up log directly.
    let port = common::free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["serve", "--content"])
        .arg(&content)
        .arg("--data")
        .arg(&data)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .env("DIOXUS_PUBLIC_PATH", data.join("public"))
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let reader = BufReader::new(child.stderr.take().unwrap());
    let mut rebuilt = false;
    for line in reader.lines().map_while(Result::ok) {
        if line.contains("store created (or rebuilt") {
            rebuilt = true;
        }
        if line.contains("Quire is serving") {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(rebuilt, "a damaged store is rebuilt, and the log says so");
}

#[test]
fn deleting_content_while_serving_keeps_the_last_good_site() {
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    common::write(&content, "a.md", &common::post("Kept A", "2026-01-01", ""));
    common::write(
        &content,
        "b/index.md",
        &common::post("Kept B", "2026-01-02", ""),
    );
    let server = Server::start(&content, &root.path().join("data"));
    assert_eq!(server.get("/blog/a").0, 200);
    let before = server.get("/").1;
    assert!(before.contains("Kept A") && before.contains("Kept B"));
    std::fs::remove_dir_all(&content).unwrap();
    let line = server.wait_for_log(|l| l.contains("ERROR") && l.contains("content"));
    assert!(line.contains(&*content.to_string_lossy()), "{line}");
    // The watcher has acted (it logged); the site is unchanged.
    for slug in ["a", "b"] {
        let (status, body) = server.get(&format!("/blog/{slug}"));
        assert_eq!(status, 200, "{slug} still served");
        assert!(body.contains("Kept"));
    }
    let after = server.get("/").1;
    assert!(after.contains("Kept A") && after.contains("Kept B"));
}
