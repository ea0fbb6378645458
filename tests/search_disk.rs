//! The search index on disk (`<data>/search/`), with the binary as a
//! process: a restart with nothing changed opens it without a rebuild,
//! damage (truncated files, garbage) rebuilds it with one log line, a
//! post added while the site runs or while it is stopped reaches search
//! without a rebuild, and a SIGKILL while it is being committed leaves an
//! index the next start opens or rebuilds, never one that answers wrong.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{Server, post, write};

const POSTS: usize = 60;

fn content(root: &Path) -> PathBuf {
    let content = root.join("content");
    for i in 0..POSTS {
        let body = format!("Lighthouse keeper number {i} writes about tides.\n");
        let text = format!(
            "+++\ntitle = \"Tide log {i}\"\ndate = 2025-03-{:02}\n+++\n\n{body}",
            i % 28 + 1
        );
        write(&content, &format!("post-{i:03}.md"), &text);
    }
    content
}

/// How many posts the search API finds for `word`.
fn hits(server: &Server, word: &str) -> u64 {
    let (status, body) = server.get(&format!("/api/search?limit=1&q={word}"));
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    json["total"].as_u64().unwrap()
}

/// Starts the site and waits for its "search index ready" line; returns
/// the server and every log line up to that one.
fn start(content: &Path, data: &Path) -> (Server, Vec<String>) {
    let server = Server::start(content, data);
    let mut lines = server.startup.clone();
    if !lines.iter().any(|l| l.contains("search index ready")) {
        lines.push(server.wait_for_log(|l| l.contains("search index ready")));
    }
    (server, lines)
}

fn ready_line(lines: &[String]) -> &str {
    lines
        .iter()
        .find(|l| l.contains("search index ready"))
        .unwrap()
}

/// Whether "search index ready" was logged before "Quire is serving".
fn ready_before_serving(lines: &[String]) -> bool {
    let serving = lines
        .iter()
        .position(|l| l.contains("Quire is serving"))
        .unwrap();
    lines[..serving]
        .iter()
        .any(|l| l.contains("search index ready"))
}

fn mentions_rebuild(lines: &[String]) -> Vec<&String> {
    let says = |l: &String| l.contains("rebuil") && !l.contains("search index ready");
    lines.iter().filter(|l| says(l)).collect()
}

/// SIGTERM, and wait for the graceful stop.
fn stop(mut server: Server) {
    let pid = server.child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(server.child.wait().unwrap().success());
}

fn kill(mut server: Server) {
    server.child.kill().unwrap();
    server.child.wait().unwrap();
}

#[test]
fn a_restart_with_nothing_changed_opens_the_index_without_rebuilding() {
    let root = tempfile::tempdir().unwrap();
    let (content, data) = (content(root.path()), root.path().join("data"));
    let (server, first) = start(&content, &data);
    // A cold start indexes each post as it is stored: the index is
    // complete before "serving", with no read of the store afterwards.
    assert!(
        ready_line(&first).contains("built during the ingest"),
        "{first:#?}"
    );
    assert!(ready_before_serving(&first), "{first:#?}");
    assert_eq!(hits(&server, "lighthouse"), POSTS as u64);
    stop(server);
    assert!(data.join("search/FORMAT").is_file());

    let (server, lines) = start(&content, &data);
    let ready = ready_line(&lines);
    assert!(ready.contains("opened"), "{ready}");
    assert!(mentions_rebuild(&lines).is_empty(), "{lines:#?}");
    // Ready before "serving": the first search already has every post.
    assert!(ready_before_serving(&lines), "{lines:#?}");
    assert_eq!(hits(&server, "lighthouse"), POSTS as u64);
    assert_eq!(hits(&server, "lighthou"), POSTS as u64, "prefix");
    assert_eq!(hits(&server, "lighthuose"), POSTS as u64, "typo");
    // Search pages are cached again: the index is complete.
    server.get("/search?q=tides");
    let reply = common::fetch(&server.addr, "/search?q=tides");
    assert_eq!(reply.header("x-quire-cache"), Some("hit"));
}

/// Segment files of the index: everything but tantivy's and Quire's metadata.
fn segment_files(index: &Path) -> Vec<PathBuf> {
    let files: Vec<PathBuf> = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            !name.ends_with(".json") && !name.starts_with('.') && name != "FORMAT"
        })
        .collect();
    assert!(!files.is_empty());
    files
}

fn damage(index: &Path, how: &str) {
    match how {
        "truncated" => {
            for file in segment_files(index) {
                let len = std::fs::metadata(&file).unwrap().len();
                let f = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
                f.set_len(len / 3).unwrap();
            }
        }
        "garbage" => {
            for file in segment_files(index) {
                let mut bytes = std::fs::read(&file).unwrap();
                let len = bytes.len();
                bytes[len / 4..len / 2].iter_mut().for_each(|b| *b ^= 0xa5);
                std::fs::write(&file, bytes).unwrap();
            }
        }
        "garbage metadata" => std::fs::write(index.join("meta.json"), "{ not json").unwrap(),
        "emptied" => {
            for file in segment_files(index) {
                std::fs::write(file, b"").unwrap();
            }
        }
        other => panic!("{other}"),
    }
}

#[test]
fn a_damaged_index_is_rebuilt_with_one_log_line_and_search_answers() {
    let root = tempfile::tempdir().unwrap();
    let content = content(root.path());
    for how in ["truncated", "garbage", "garbage metadata", "emptied"] {
        let data = root.path().join(format!("data-{}", how.replace(' ', "-")));
        let (server, _) = start(&content, &data);
        stop(server);
        damage(&data.join("search"), how);
        let (server, lines) = start(&content, &data);
        let rebuild = mentions_rebuild(&lines);
        assert_eq!(rebuild.len(), 1, "{how}: one line says why: {lines:#?}");
        assert!(rebuild[0].contains("damaged"), "{how}: {}", rebuild[0]);
        assert!(rebuild[0].contains("WARN"), "{how}: {}", rebuild[0]);
        assert!(ready_line(&lines).contains("rebuilt"), "{how}");
        assert_eq!(hits(&server, "lighthouse"), POSTS as u64, "{how}");
        assert!(!lines.iter().any(|l| l.contains("panicked")), "{how}");
        stop(server);
        let (_, lines) = start(&content, &data);
        assert!(
            ready_line(&lines).contains("opened"),
            "{how}: repaired for good"
        );
    }
}

#[test]
fn new_posts_reach_search_without_a_rebuild() {
    let root = tempfile::tempdir().unwrap();
    let (content, data) = (content(root.path()), root.path().join("data"));
    let (server, _) = start(&content, &data);
    stop(server);
    // Added while the site is stopped: the start-up ingest indexes it.
    write(
        &content,
        "walrus.md",
        &post("Walrus migration", "2026-01-02", ""),
    );
    let (server, lines) = start(&content, &data);
    assert!(ready_line(&lines).contains("caught up"), "{lines:#?}");
    assert!(mentions_rebuild(&lines).is_empty(), "{lines:#?}");
    assert_eq!(hits(&server, "walrus"), 1);
    // Added while it runs: the watcher indexes it.
    write(
        &content,
        "narwhal.md",
        &post("Narwhal sightings", "2026-01-03", ""),
    );
    server.wait_for(
        "/api/search?limit=1&q=narwhal",
        "the new post in search",
        |_, body| body.contains("\"total\":1"),
    );
    std::fs::remove_file(content.join("walrus.md")).unwrap();
    server.wait_for(
        "/api/search?limit=1&q=walrus",
        "the removed post gone",
        |_, body| body.contains("\"total\":0"),
    );
    let later: Vec<String> = server.log.try_iter().collect();
    assert!(mentions_rebuild(&later).is_empty(), "{later:#?}");
    stop(server);
    let (server, lines) = start(&content, &data);
    assert!(
        ready_line(&lines).contains("opened"),
        "updates were committed: {lines:#?}"
    );
    assert_eq!(hits(&server, "narwhal"), 1);
    assert_eq!(hits(&server, "walrus"), 0);
}

#[test]
fn sigkill_while_the_index_is_built_or_updated_leaves_search_right_after_restart() {
    let root = tempfile::tempdir().unwrap();
    let content = content(root.path());
    for (round, delay_ms) in [0u64, 5, 20, 60, 150].into_iter().enumerate() {
        let data = root.path().join(format!("data-{round}"));
        // Killed while the first build (one commit) runs or just after.
        let server = Server::start(&content, &data);
        std::thread::sleep(Duration::from_millis(delay_ms));
        kill(server);
        let (server, lines) = start(&content, &data);
        assert_eq!(
            hits(&server, "lighthouse"),
            POSTS as u64,
            "round {round}: {lines:#?}"
        );
        // Killed right after a change: the store may have it and the index not.
        write(
            &content,
            &format!("kill-{round}.md"),
            &post(&format!("Killround{round} note"), "2026-01-04", ""),
        );
        std::thread::sleep(Duration::from_millis(delay_ms * 4));
        kill(server);
        let (server, lines) = start(&content, &data);
        assert_eq!(
            hits(&server, &format!("killround{round}")),
            1,
            "round {round}: {lines:#?}"
        );
        assert_eq!(hits(&server, "lighthouse"), POSTS as u64, "round {round}");
        assert!(
            !lines.iter().any(|l| l.contains("panicked")),
            "round {round}: {lines:#?}"
        );
        kill(server);
    }
}
