//! What the content walker and watcher do with symbolic links, through the
//! real binary. Links inside `content/` are never followed (a link to `/`
//! once made start-up crawl `/sys` for minutes and pinned a core while
//! serving).

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Server, post, write};

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
    assert_eq!(server.get("/blog/q").0, 200);
    write(&content, "b/r.md", &post("Later R", "2026-01-03", ""));
    server.wait_for("/blog/r", "a post added beside the loop", |status, _| {
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
