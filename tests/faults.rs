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
    "/sitemaps/1.xml",
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
/// Returns whether the kill landed before the ingest finished, and how
/// many lines it had written.
fn kill_after_lines(content: &Path, data: &Path, lines: usize) -> (bool, usize) {
    let port = common::free_port();
    std::fs::create_dir_all(data.join("public")).unwrap();
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
    (mid_ingest, seen)
}

/// Kill points: `count` line numbers spread over the `total` log lines of a
/// cold ingest by a seeded generator. The seed is `QUIRE_FAULT_SEED` if
/// set, else the clock; it is printed so a failing run replays exactly.
fn kill_points(total: usize, count: usize) -> (u64, Vec<usize>) {
    let seed = std::env::var("QUIRE_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    let mut state = seed | 1;
    let mut points: Vec<usize> = (0..count)
        .map(|_| {
            // xorshift64*
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            1 + (state.wrapping_mul(0x2545_F491_4F6C_DD1D) % total as u64) as usize
        })
        .collect();
    points.sort_unstable();
    (seed, points)
}

/// Kills during a cold ingest, at this many points.
const KILLS: usize = 20;

#[test]
fn sigkill_during_cold_ingest_then_restart_serves_what_a_clean_ingest_serves() {
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    generate(&content);
    let expected = clean_snapshot(&content, root.path());
    // How many log lines a cold ingest writes before it serves: the range
    // the kill points are drawn from.
    let (_, total) = kill_after_lines(&content, &root.path().join("measure"), usize::MAX);
    let (seed, points) = kill_points(total, KILLS);
    println!("QUIRE_FAULT_SEED={seed}: kills after {points:?} of {total} log lines");

    let mut mid_ingest_kills = 0;
    for (round, lines) in points.into_iter().enumerate() {
        let what = format!("seed {seed}, killed after {lines} of {total} log lines");
        let data = root.path().join(format!("data-{round}"));
        if kill_after_lines(&content, &data, lines).0 {
            mid_ingest_kills += 1;
        }
        let server = Server::start_with_env(&content, &data, &[], &ENV);
        assert_same(&expected, &snapshot(&server), &what);
        let log: Vec<String> = server.log.try_iter().collect();
        assert!(
            !log.iter().any(|l| l.contains("panicked")),
            "{what}: {}",
            log.join("\n")
        );
        drop(server);
        // Killed twice in a row: during the recovery ingest too.
        if round % 2 == 1 {
            kill_after_lines(&content, &data, lines / 2 + 1);
            let server = Server::start_with_env(&content, &data, &[], &ENV);
            assert_same(
                &expected,
                &snapshot(&server),
                &format!("{what}, then during recovery"),
            );
        }
    }
    println!("{mid_ingest_kills} of {KILLS} kills landed before the ingest finished");
    assert!(
        mid_ingest_kills >= KILLS / 2,
        "seed {seed}: only {mid_ingest_kills} kills landed before the ingest finished: the test no longer hits ingest"
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
        // A rebuild says why, as an error: the damage is not silent.
        let rebuilt = server
            .startup
            .iter()
            .any(|l| l.contains("store created (or rebuilt"));
        let explained = server
            .startup
            .iter()
            .any(|l| l.contains("ERROR") && l.contains("the store is damaged"));
        println!("{how}: rebuilt {rebuilt}, error logged {explained}");
        assert_eq!(
            rebuilt,
            explained,
            "{how}: a rebuild comes with an error naming the damage:\n{}",
            server.startup.join("\n")
        );
        // sled recovers a truncated log to its last intact write (the sync
        // then re-applies the rest); noise or nothing cannot be recovered.
        if matches!(how, "garbage db" | "empty db") {
            assert!(rebuilt, "{how}: a damaged db is rebuilt");
        }
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

/// `content/` deleted, then recreated (a checkout, a deploy swapping the
/// folder): the new folder is watched and synced without a restart, and
/// later edits in it are picked up too.
#[test]
fn a_recreated_content_directory_is_picked_up_without_a_restart() {
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    common::write(&content, "a.md", &common::post("Old A", "2026-01-01", ""));
    let server = Server::start(&content, &root.path().join("data"));
    assert_eq!(server.get("/blog/a").0, 200);
    std::fs::remove_dir_all(&content).unwrap();
    server.wait_for_log(|l| l.contains("ERROR") && l.contains("content directory is gone"));
    // The new folder is built aside and moved in at once, as a deploy does.
    let staged = root.path().join("content.new");
    common::write(&staged, "b.md", &common::post("New B", "2026-02-01", ""));
    std::fs::rename(&staged, &content).unwrap();
    server.wait_for(
        "/blog/b",
        "the post in the recreated folder",
        |status, body| status == 200 && body.contains("New B"),
    );
    server.wait_for(
        "/blog/a",
        "the post gone with the old folder",
        |status, _| status == 404,
    );
    common::write(&content, "c.md", &common::post("Later C", "2026-03-01", ""));
    server.wait_for(
        "/blog/c",
        "an edit in the recreated folder",
        |status, body| status == 200 && body.contains("Later C"),
    );
}

/// Whether the tests run as root, which reads any file whatever its mode.
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1).map(|uid| uid == "0"))
        .unwrap()
}

/// A wrapper under which file modes bind the server: as root, the
/// capabilities that override them are dropped (util-linux `setpriv`); as
/// another user, none is needed.
fn modes_bind() -> Vec<&'static str> {
    if running_as_root() {
        vec!["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    } else {
        Vec::new()
    }
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn unreadable_content_keeps_the_last_good_site_and_logs_the_error() {
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    common::write(&content, "a.md", &common::post("Kept A", "2026-01-01", ""));
    common::write(
        &content,
        "posts/b.md",
        &common::post("Kept B", "2026-01-02", ""),
    );
    common::write(
        &content,
        "posts/c.md",
        &common::post("Kept C", "2026-01-03", ""),
    );
    let server =
        Server::start_wrapped(&modes_bind(), &content, &root.path().join("data"), &[], &[]);
    let all_served = |when: &str| {
        // `posts/` is a section: its posts live under `/posts/`.
        for url in ["/blog/a", "/posts/b", "/posts/c"] {
            let (status, body) = server.get(url);
            assert_eq!(status, 200, "{when}: {url} still served");
            assert!(body.contains("Kept"), "{when}: {url}");
        }
        let index = server.get("/").1;
        for title in ["Kept A", "Kept B", "Kept C"] {
            assert!(index.contains(title), "{when}: {title} listed");
        }
    };
    all_served("before");

    // A folder of posts, then the whole content directory, made unreadable.
    let posts = content.join("posts");
    chmod(&posts, 0o000);
    let line = server.wait_for_log(|l| l.contains("ERROR") && l.contains("cannot read"));
    assert!(line.contains("posts"), "the error names the folder: {line}");
    all_served("posts/ unreadable");
    chmod(&content, 0o000);
    let line = server.wait_for_log(|l| l.contains("ERROR") && l.contains("cannot read"));
    assert!(
        line.contains(&*content.to_string_lossy()),
        "the error names the content directory: {line}"
    );
    all_served("content/ unreadable");

    // Readable again: changes are picked up as before.
    chmod(&content, 0o755);
    chmod(&posts, 0o755);
    common::write(
        &content,
        "posts/d.md",
        &common::post("New D", "2026-01-04", ""),
    );
    server.wait_for("/posts/d", "the post added after recovery", |status, _| {
        status == 200
    });
    all_served("after recovery");
}

#[test]
fn content_replaced_by_a_file_or_a_dangling_link_keeps_the_last_good_site() {
    for replacement in ["file", "dangling link"] {
        let root = tempfile::tempdir().unwrap();
        let content = root.path().join("content");
        common::write(&content, "a.md", &common::post("Kept A", "2026-01-01", ""));
        let server = Server::start(&content, &root.path().join("data"));
        assert_eq!(server.get("/blog/a").0, 200);
        std::fs::remove_dir_all(&content).unwrap();
        match replacement {
            "file" => std::fs::write(&content, "not a directory").unwrap(),
            _ => std::os::unix::fs::symlink(root.path().join("nowhere"), &content).unwrap(),
        }
        let line = server.wait_for_log(|l| l.contains("ERROR") && l.contains("content"));
        assert!(
            line.contains(&*content.to_string_lossy()),
            "{replacement}: {line}"
        );
        let (status, body) = server.get("/blog/a");
        assert_eq!(status, 200, "{replacement}: a still served");
        assert!(body.contains("Kept A"));
        assert!(server.get("/").1.contains("Kept A"), "{replacement}");
    }
}

/// `quire serve` that is expected to stop at start-up: its exit code and
/// its stderr.
fn serve_fails(wrapper: &[&str], content: &Path, data: &Path) -> (Option<i32>, String) {
    let mut command = common::quire_command(wrapper);
    let port = common::free_port();
    let output = command
        .args(["serve", "--content"])
        .arg(content)
        .arg("--data")
        .arg(data)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .env("DIOXUS_PUBLIC_PATH", data.join("public"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
        .wait_with_output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn unwritable_data_dir_stops_start_up_with_a_clear_error() {
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    common::write(&content, "a.md", &common::post("A", "2026-01-01", ""));

    // The data directory is a file.
    let file = root.path().join("data-file");
    std::fs::write(&file, "").unwrap();
    let (code, stderr) = serve_fails(&[], &content, &file);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot create the data directory")
            && stderr.contains(&*file.to_string_lossy())
            && stderr.contains("--data"),
        "{stderr}"
    );

    // The store's place inside it is taken by a file.
    let data = root.path().join("data-store-file");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("store"), "").unwrap();
    let (code, stderr) = serve_fails(&[], &content, &data);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("error:") && stderr.contains(&*data.join("store").to_string_lossy()),
        "the error names the store: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    // A read-only data directory.
    let data = root.path().join("data-read-only");
    std::fs::create_dir_all(&data).unwrap();
    chmod(&data, 0o555);
    let (code, stderr) = serve_fails(&modes_bind(), &content, &data);
    chmod(&data, 0o755);
    assert!(matches!(code, Some(1 | 2)), "{code:?}: {stderr}");
    assert!(
        stderr.contains("error:")
            && stderr.contains(&*data.to_string_lossy())
            && stderr.to_lowercase().contains("permission denied"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Text that does not compress: a post too big for the store's quota.
fn incompressible_post(bytes: usize) -> String {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut body = String::with_capacity(bytes);
    while body.len() < bytes {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        for i in 0..6 {
            body.push(char::from(b'a' + ((state >> (i * 5)) % 26) as u8));
        }
        body.push(if state.is_multiple_of(11) { '\n' } else { ' ' });
    }
    common::post("Too big", "2026-02-01", "").replace("More text.", &body)
}

#[test]
fn full_data_dir_logs_the_error_and_keeps_serving() {
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    common::write(&content, "a.md", &common::post("Kept A", "2026-01-01", ""));
    common::write(&content, "b.md", &common::post("Kept B", "2026-01-02", ""));
    // A file-size limit stands in for a quota (no mount needed): writes
    // past 128 KiB (dash counts 512-byte blocks) fail with EFBIG, which the
    // free-space check cannot see coming. SIGXFSZ is ignored so the write
    // fails instead of killing the process (an ignored signal survives exec).
    let quota = ["sh", "-c", "trap '' XFSZ; ulimit -f 256; exec \"$@\"", "sh"];
    let server = Server::start_wrapped(&quota, &content, &root.path().join("data"), &[], &[]);
    assert_eq!(server.get("/blog/a").0, 200);

    std::fs::write(content.join("big.md"), incompressible_post(1024 * 1024)).unwrap();
    let line = server.wait_for_log(|l| l.contains("ERROR") && l.contains("big.md"));
    assert!(line.contains("could not apply"), "{line}");
    assert!(
        line.contains("File too large"),
        "the cause is named: {line}"
    );
    for slug in ["a", "b"] {
        let (status, body) = server.get(&format!("/blog/{slug}"));
        assert_eq!(status, 200, "{slug} still served with the store full");
        assert!(body.contains("Kept"));
    }
    let index = server.get("/").1;
    assert!(index.contains("Kept A") && index.contains("Kept B"));
    // The large post failed inside sled (it stores large pages in files of
    // their own), which leaves that database unable to flush: reads go on,
    // and health says a restart is needed rather than retrying forever.
    server.wait_for(
        "/healthz",
        "health to report the failure",
        |status, body| {
            status == 503
                && body
                    == "degraded: store writes failing (File too large); restart Quire to recover"
        },
    );
    assert_eq!(server.get("/blog/a").0, 200, "reads go on");
    let log: Vec<String> = server.log.try_iter().collect();
    assert!(
        !log.iter().any(|l| l.contains("panicked")),
        "{}",
        log.join("\n")
    );
}

/// A tmpfs mounted for one test, unmounted (lazily, so a busy file cannot
/// leave it behind) when dropped. Needs root: a test that cannot mount
/// fails, it does not pass.
struct Mount(std::path::PathBuf);

impl Mount {
    fn tmpfs(at: &Path, size: &str) -> Self {
        Self::run(at, &["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
    }

    /// `source` again at `at`, read-only.
    fn read_only_bind(source: &Path, at: &Path) -> Self {
        let mount = Self::run(at, &["--bind", &source.to_string_lossy()]);
        let status = Command::new("mount")
            .args(["-o", "remount,bind,ro"])
            .arg(at)
            .status()
            .unwrap();
        assert!(status.success(), "remounting {} read-only", at.display());
        mount
    }

    fn run(at: &Path, args: &[&str]) -> Self {
        std::fs::create_dir_all(at).unwrap();
        let output = Command::new("mount").args(args).arg(at).output().unwrap();
        assert!(
            output.status.success(),
            "this test needs to mount a filesystem (run it as root): mount {args:?} {}: {}",
            at.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        Self(at.to_path_buf())
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fills the filesystem holding `dir` with one file; returns its path.
fn fill(dir: &Path) -> std::path::PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let block = vec![0x5a_u8; 64 * 1024];
    while file.write_all(&block).is_ok() {}
    // The last partial block too.
    while file.write_all(&block[..512]).is_ok() {}
    path
}

#[test]
fn full_disk_while_serving_keeps_the_last_good_site_and_recovers_without_a_restart() {
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    common::write(&content, "a.md", &common::post("Kept A", "2026-01-01", ""));
    common::write(&content, "b.md", &common::post("Kept B", "2026-01-02", ""));
    let data = root.path().join("data");
    let _mount = Mount::tmpfs(&data, "32m");
    let server = Server::start(&content, &data);
    assert_eq!(server.get("/blog/a").0, 200);
    assert_eq!(server.get("/healthz"), (200, "ok".to_string()));

    let filler = fill(&data);
    common::write(&content, "c.md", &common::post("New C", "2026-01-03", ""));
    let degraded = "degraded: store writes failing (No space left on device); retrying";
    server.wait_for(
        "/healthz",
        "health to report the full disk",
        |status, body| status == 503 && body == degraded,
    );
    let health = common::fetch(&server.addr, "/healthz");
    assert_eq!(health.header("retry-after"), Some("5"));
    // The last good site, including pages first rendered now (/blog/b, the
    // feed): reads do not depend on the failed write.
    for (path, text) in [
        ("/", "Kept B"),
        ("/blog/a", "Kept A"),
        ("/blog/b", "Kept B"),
        ("/feed.json", "Kept A"),
        ("/category/uncategorized", "Kept A"),
    ] {
        let (status, body) = server.get(path);
        assert_eq!(status, 200, "{path} with the disk full");
        assert!(body.contains(text), "{path}: {body}");
        assert!(!body.contains("could not be loaded"), "{path}: {body}");
    }
    assert_eq!(server.get("/blog/c").0, 404, "not stored yet");

    // Space comes back: the retry stores the post, no restart, no edit.
    std::fs::remove_file(filler).unwrap();
    server.wait_for("/blog/c", "the post added while full", |status, body| {
        status == 200 && body.contains("New C")
    });
    server.wait_for("/healthz", "health back to ok", |status, body| {
        status == 200 && body == "ok"
    });
    let index = server.get("/").1;
    assert!(
        index.contains("New C") && index.contains("Kept A"),
        "{index}"
    );
    let log: Vec<String> = server.log.try_iter().collect();
    assert!(
        !log.iter().any(|l| l.contains("panicked")),
        "{}",
        log.join("\n")
    );
}

/// Every file under `dir` with its bytes, to show nothing was deleted.
fn files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out.sort();
    out
}

fn assert_read_only_error(code: Option<i32>, stderr: &str, data: &Path, cause: &str) {
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("is read-only")
            && stderr.contains(cause)
            && stderr.contains(&*data.to_string_lossy())
            && stderr.contains("--data <writable dir>"),
        "{stderr}"
    );
    assert!(!stderr.contains("damaged"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn read_only_data_dir_with_a_store_fails_clearly_and_deletes_nothing() {
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    common::write(&content, "a.md", &common::post("Kept A", "2026-01-01", ""));
    let data = root.path().join("data");
    stop(Server::start_with_env(&content, &data, &[], &ENV));
    let store = data.join("store");
    let before = files(&store);
    assert!(!before.is_empty());

    // Modes: every file and folder without write permission.
    let chmod_r = |mode: &str| {
        assert!(
            Command::new("chmod")
                .args(["-R", mode])
                .arg(&data)
                .status()
                .unwrap()
                .success()
        );
    };
    chmod_r("a-w");
    let (code, stderr) = serve_fails(&modes_bind(), &content, &data);
    chmod_r("u+w");
    assert_read_only_error(code, &stderr, &data, "Permission denied");
    assert_eq!(files(&store), before, "nothing deleted or changed");

    // A read-only filesystem: the same folder bound read-only.
    let read_only = root.path().join("data-ro");
    {
        let _mount = Mount::read_only_bind(&data, &read_only);
        let (code, stderr) = serve_fails(&[], &content, &read_only);
        assert_read_only_error(code, &stderr, &read_only, "Read-only file system");
    }
    assert_eq!(files(&store), before, "nothing deleted or changed");

    // Writable again: the same store serves, not rebuilt.
    let server = Server::start_with_env(&content, &data, &[], &ENV);
    assert!(server.get("/blog/a").1.contains("Kept A"));
    assert!(
        !server.startup.iter().any(|l| l.contains("rebuilt")),
        "{}",
        server.startup.join("\n")
    );
}
