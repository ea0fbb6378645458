//! What the content walker and watcher do with symbolic links and renamed
//! posts, through the real binary. Links inside `content/` are never
//! followed (a link to `/` once made start-up crawl `/sys` for minutes and
//! pinned a core while serving); a post whose file or folder is renamed keeps
//! its old URL as one permanent redirect, live, across a stop and after a
//! restart.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Server, fetch, post, write};

fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// CPU time (user + system) the process has used, in clock ticks (1/100 s
/// on Linux, whatever the kernel's HZ).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The command name (field 2) may hold spaces: count from after it.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    // utime and stime are fields 14 and 15; `fields[0]` is field 3.
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// `quire check` on `content`: its exit code and its output.
fn check(content: &Path) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["check", "--content"])
        .arg(content)
        .output()
        .unwrap();
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.code(), text)
}

fn new_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    (root, content)
}

#[test]
fn a_link_to_the_root_directory_neither_delays_start_up_nor_busies_the_server() {
    let (root, content) = new_site();
    write(&content, "a.md", &post("Plain A", "2026-01-01", ""));
    symlink("/", content.join("x"));
    let started = Instant::now();
    let server = Server::start(&content, &root.path().join("data"));
    let took = started.elapsed();
    assert!(took < Duration::from_secs(10), "serving after {took:?}");
    let (status, body) = server.get("/blog/a");
    assert_eq!((status, body.contains("Plain A")), (200, true));
    // Start-up work (search index, first watch) settles, then the idle
    // server must stay idle: watching through the link pinned a core.
    std::thread::sleep(Duration::from_secs(1));
    let pid = server.child.id();
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(3));
    let used = cpu_ticks(pid) - before;
    assert!(used < 30, "{used} ticks of CPU in 3 idle seconds");
    // Live ingest still works.
    write(&content, "b.md", &post("Later B", "2026-01-02", ""));
    server.wait_for("/blog/b", "a post added after start", |status, body| {
        status == 200 && body.contains("Later B")
    });
}

#[test]
fn link_loops_are_skipped_and_check_names_them() {
    let (root, content) = new_site();
    write(&content, "p.md", &post("Top P", "2026-01-01", ""));
    write(&content, "b/q.md", &post("Nested Q", "2026-01-02", ""));
    symlink(".", content.join("a"));
    symlink("../b", content.join("b/c"));
    let (code, text) = check(&content);
    assert_eq!(code, Some(0), "links are warnings, not errors:\n{text}");
    assert!(text.contains("2 posts OK"), "{text}");
    for link in ["a", "b/c"] {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("warning: {link}:")))
            .unwrap_or_else(|| panic!("no warning for {link}:\n{text}"));
        assert!(line.contains("symbolic link"), "{line}");
        assert!(line.contains("move or copy"), "the fix: {line}");
    }
    let server = Server::start(&content, &root.path().join("data"));
    assert!(
        !server.startup.iter().any(|l| l.contains("ERROR")),
        "{:#?}",
        server.startup
    );
    assert_eq!(server.get("/blog/p").0, 200);
    assert_eq!(server.get("/b/q").0, 200, "b/ is a section");
    write(&content, "b/r.md", &post("Later R", "2026-01-03", ""));
    server.wait_for("/b/r", "a post added beside the loop", |status, _| {
        status == 200
    });
}

#[test]
fn linked_files_are_never_read_inside_or_outside_content() {
    let (root, content) = new_site();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, post("Secret outside", "2026-01-01", "")).unwrap();
    write(&content, "real.md", &post("Real post", "2026-01-02", ""));
    symlink("real.md", content.join("inside.md"));
    symlink(&secret, content.join("outside.md"));
    symlink("/etc/passwd", content.join("passwd.md"));
    let (code, text) = check(&content);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("1 posts OK"), "{text}");
    for link in ["inside.md", "outside.md", "passwd.md"] {
        assert!(
            text.contains(&format!("warning: {link}: ")),
            "{link} named:\n{text}"
        );
    }
    assert!(!text.contains("root:"), "{text}");

    let server = Server::start(&content, &root.path().join("data"));
    assert_eq!(server.get("/blog/real").0, 200);
    for slug in ["inside", "outside", "passwd"] {
        assert_eq!(server.get(&format!("/blog/{slug}")).0, 404, "{slug}");
    }
    // A link made while serving is skipped the same way.
    symlink(&secret, content.join("later.md"));
    write(&content, "marker.md", &post("Marker", "2026-01-03", ""));
    server.wait_for("/blog/marker", "the marker post", |status, _| status == 200);
    assert_eq!(server.get("/blog/later").0, 404);
    for path in ["/", "/feed.json", "/search?q=secret"] {
        let body = server.get(path).1;
        assert!(!body.contains("Secret outside"), "{path}");
        assert!(!body.contains("root:x:"), "{path}");
    }
}

/// `/blog/<old>` answers one 301 to `/blog/<new>`.
fn assert_moved(server: &Server, old: &str, new: &str) {
    let reply = fetch(&server.addr, &format!("/blog/{old}"));
    assert_eq!(
        (reply.status, reply.header("location")),
        (301, Some(format!("/blog/{new}").as_str())),
        "/blog/{old}"
    );
}

fn wait_served(server: &Server, slug: &str) {
    server.wait_for(&format!("/blog/{slug}"), slug, |status, _| status == 200);
}

#[test]
fn a_renamed_file_redirects_live_and_after_a_restart() {
    let (root, content) = new_site();
    let data = root.path().join("data");
    write(&content, "a.md", &post("Moving A", "2026-01-01", ""));
    let server = Server::start(&content, &data);
    wait_served(&server, "a");
    std::fs::rename(content.join("a.md"), content.join("b.md")).unwrap();
    wait_served(&server, "b");
    server.wait_for("/blog/a", "the old URL to redirect", |status, _| {
        status == 301
    });
    assert_moved(&server, "a", "b");
    drop(server);
    let server = Server::start(&content, &data);
    assert_moved(&server, "a", "b");
    // A real post at the old slug wins over the redirect.
    write(&content, "a.md", &post("Another A", "2026-02-01", ""));
    server.wait_for("/blog/a", "the new post at the old URL", |status, body| {
        status == 200 && body.contains("Another A")
    });
}

#[test]
fn a_renamed_bundle_folder_redirects() {
    let (root, content) = new_site();
    write(&content, "x/index.md", &post("Bundle X", "2026-01-01", ""));
    write(&content, "x/figure.txt", "figure");
    let server = Server::start(&content, &root.path().join("data"));
    wait_served(&server, "x");
    std::fs::rename(content.join("x"), content.join("y")).unwrap();
    wait_served(&server, "y");
    server.wait_for("/blog/x", "the old URL to redirect", |status, _| {
        status == 301
    });
    assert_moved(&server, "x", "y");
    assert_eq!(server.get("/blog/y/figure.txt").0, 200);
}

#[test]
fn a_file_renamed_while_stopped_redirects_at_the_next_start() {
    let (root, content) = new_site();
    let data = root.path().join("data");
    write(
        &content,
        "2026-01-01-old.md",
        &post("Dated", "2026-01-01", ""),
    );
    let server = Server::start(&content, &data);
    wait_served(&server, "old");
    drop(server);
    std::fs::rename(
        content.join("2026-01-01-old.md"),
        content.join("2026-01-01-new.md"),
    )
    .unwrap();
    let server = Server::start(&content, &data);
    assert_eq!(server.get("/blog/new").0, 200);
    assert_moved(&server, "old", "new");
}

/// Editors that save as a new file, then delete the old one; and a delete
/// followed, a moment later, by the new file (two watcher batches).
#[test]
fn renames_seen_as_two_separate_changes_redirect_in_either_order() {
    let (root, content) = new_site();
    let text = post("Copied first", "2026-01-01", "");
    write(&content, "first.md", &text);
    let other = post("Deleted first", "2026-01-02", "");
    write(&content, "gone.md", &other);
    let server = Server::start(&content, &root.path().join("data"));

    write(&content, "second.md", &text);
    wait_served(&server, "second");
    assert_eq!(server.get("/blog/first").0, 200, "a copy is no rename");
    std::fs::remove_file(content.join("first.md")).unwrap();
    server.wait_for("/blog/first", "the old URL to redirect", |status, _| {
        status == 301
    });
    assert_moved(&server, "first", "second");

    std::fs::remove_file(content.join("gone.md")).unwrap();
    server.wait_for("/blog/gone", "the deleted post", |status, _| status == 404);
    std::thread::sleep(Duration::from_millis(300));
    // Renamed and edited at once: same title and date, another body.
    write(&content, "back.md", &other.replace("More text.", "Edited."));
    wait_served(&server, "back");
    assert_moved(&server, "gone", "back");
}

/// Renamed twice: the first URL goes straight to the newest one.
#[test]
fn a_post_renamed_twice_redirects_from_both_old_urls_in_one_hop() {
    let (root, content) = new_site();
    write(&content, "one.md", &post("Twice", "2026-01-01", ""));
    let server = Server::start(&content, &root.path().join("data"));
    std::fs::rename(content.join("one.md"), content.join("two.md")).unwrap();
    wait_served(&server, "two");
    std::fs::rename(content.join("two.md"), content.join("three.md")).unwrap();
    wait_served(&server, "three");
    server.wait_for("/blog/two", "the old URL to redirect", |status, _| {
        status == 301
    });
    assert_moved(&server, "one", "three");
    assert_moved(&server, "two", "three");
}

/// Moved under the same slug by copying first: the copy is refused while
/// the original has the slug, and takes over when the original goes.
#[test]
fn a_copy_under_the_same_slug_takes_over_when_the_original_goes() {
    let (root, content) = new_site();
    let text = post("Same slug", "2026-01-01", "");
    write(&content, "kept.md", &text);
    let server = Server::start(&content, &root.path().join("data"));
    write(
        &content,
        "2026-01-01-kept.md",
        &text.replace("More text.", "Moved."),
    );
    server.wait_for_log(|l| l.contains("already used by kept.md"));
    std::fs::remove_file(content.join("kept.md")).unwrap();
    server.wait_for("/blog/kept", "the copy to take over", |status, body| {
        status == 200 && body.contains("Moved.")
    });
}
