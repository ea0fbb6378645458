//! The `quire` binary as a user runs it: serve, live edits, check, new, and
//! the errors for bad directories and busy ports.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Server, post, write};

fn quire() -> Command {
    Command::new(env!("CARGO_BIN_EXE_quire"))
}

/// `quire check` on the posts in `content`.
fn check(content: &Path) -> std::process::Output {
    quire()
        .arg("check")
        .arg("--content")
        .arg(content)
        .output()
        .unwrap()
}

#[test]
fn missing_content_dir_is_a_one_line_error_with_exit_code_2() {
    let data = tempfile::tempdir().unwrap();
    let output = quire()
        .args(["serve", "--content", "/no/such/dir", "--data"])
        .arg(data.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let error_lines: Vec<_> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(error_lines.len(), 1, "{stderr}");
    assert!(
        error_lines[0].contains("/no/such/dir") && error_lines[0].contains("--content"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn busy_port_names_the_address() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("content"),
        "a.md",
        &post("A", "2026-01-01", ""),
    );
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let output = quire()
        .args(["serve", "--content"])
        .arg(dir.path().join("content"))
        .arg("--data")
        .arg(dir.path().join("data"))
        .args(["--addr", &addr])
        .env("DIOXUS_PUBLIC_PATH", dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on {addr}")),
        "{stderr}"
    );
}

#[test]
fn live_edits_additions_and_deletions_show_on_the_next_request() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    write(&content, "first.md", &post("First post", "2026-01-01", ""));
    let server = Server::start(&content, &dir.path().join("data"));
    let (status, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(body.contains("First post") && body.contains("1 article"));
    assert!(
        !body.contains("EventSource"),
        "live reload is off by default"
    );

    write(
        &content,
        "second.md",
        &post("Second post", "2026-01-02", ""),
    );
    server.wait_for("/", "the added post", |_, body| {
        body.contains("Second post") && body.contains("2 articles")
    });

    write(
        &content,
        "second.md",
        &post("Second post, revised", "2026-01-02", ""),
    );
    server.wait_for("/blog/second", "the edit", |_, body| {
        body.contains("Second post, revised")
    });

    write(&content, "second.md", "+++\ntitle = \"broken\n+++\n");
    let line = server.wait_for_log(|line| line.contains("last good version"));
    assert!(
        line.contains("second.md:2:") && line.contains("invalid TOML"),
        "{line}"
    );
    assert!(
        server
            .get("/blog/second")
            .1
            .contains("Second post, revised"),
        "last good version stays online"
    );

    std::fs::remove_file(content.join("second.md")).unwrap();
    server.wait_for("/blog/second", "the deletion", |status, _| status == 404);
}

/// `quire serve --content content`, as the README runs it: the watcher
/// reports absolute paths for a relative watch, and they must still count
/// as inside `content/`.
#[test]
fn live_edits_reach_a_server_started_with_a_relative_content_path() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    write(&content, "first.md", &post("First post", "2026-01-01", ""));
    let site = dir.path().to_str().unwrap();
    let in_site = ["sh", "-c", "cd \"$0\" && exec \"$@\"", site];
    let server = Server::start_wrapped(
        &in_site,
        std::path::Path::new("content"),
        &dir.path().join("data"),
        &[],
        &[],
    );
    assert!(server.get("/").1.contains("1 article"));
    write(
        &content,
        "second.md",
        &post("Second post", "2026-01-02", ""),
    );
    server.wait_for("/", "the added post", |_, body| {
        body.contains("Second post") && body.contains("2 articles")
    });
    std::fs::remove_file(content.join("second.md")).unwrap();
    server.wait_for("/blog/second", "the deletion", |status, _| status == 404);
}

#[test]
fn check_reports_every_problem_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.md", &post("Good", "2026-01-01", ""));
    write(dir.path(), "no-title.md", "+++\ndate = 2026-01-01\n+++\n");
    write(
        dir.path(),
        "bad-date.md",
        "+++\ntitle = \"x\"\ndate = \"soon\"\n+++\n",
    );
    write(
        dir.path(),
        "broken.md",
        "+++\ntitle = \"x\"\ndate = 2026-01-01\ntags = 3\n+++\n",
    );
    let output = check(dir.path());
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("error: broken.md:4:") && stdout.contains("error: bad-date.md:3:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("skipped: no-title.md:2:"),
        "not a post: {stdout}"
    );
    assert!(
        stdout.contains(
            "1 posts OK, 2 errors, 0 warnings, 0 raw HTML removals, 1 files that are not posts"
        ),
        "{stdout}"
    );

    std::fs::remove_file(dir.path().join("broken.md")).unwrap();
    std::fs::remove_file(dir.path().join("bad-date.md")).unwrap();
    let output = check(dir.path());
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn check_names_each_file_beside_a_post_that_is_not_published() {
    let dir = tempfile::tempdir().unwrap();
    let body = "More text, and [the timings](report.html).";
    let text = post("Bundle", "2026-01-01", "").replace("More text.", body);
    write(dir.path(), "bundle/index.md", &text);
    for file in [
        "report.html",
        "charts.js",
        "chart.png",
        "data/table.csv",
        ".hidden.html",
    ] {
        write(dir.path(), &format!("bundle/{file}"), "x");
    }
    let output = check(dir.path());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let linked = "warning: bundle/index.md: `report.html` beside the post is not published";
    assert!(stdout.contains(linked), "{stdout}");
    assert!(
        stdout.contains("put it in the site's static/ folder"),
        "{stdout}"
    );
    let unlinked = "note: bundle/index.md: `charts.js` beside the post is not published";
    assert!(stdout.contains(unlinked), "{stdout}");
    for published in ["chart.png", "table.csv", "hidden"] {
        assert!(!stdout.contains(published), "{published}: {stdout}");
    }
    assert!(
        stdout.contains("1 posts OK, 0 errors, 1 warnings"),
        "{stdout}"
    );
}

/// `jekyll-import` writes a WordPress blog's posts as `_posts/*.html`,
/// which Jekyll publishes; Quire reads Markdown, and says so for each.
#[test]
fn check_names_each_jekyll_post_in_a_format_quire_does_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let html = "---\ntitle: Imported\n---\n<p>From WordPress.</p>\n";
    write(dir.path(), "_posts/2012-05-06-imported.html", html);
    write(
        dir.path(),
        "_posts/2013-01-02-notes.textile",
        "---\ntitle: T\n---\nh1. x\n",
    );
    write(
        dir.path(),
        "_posts/2014-01-02-kept.md",
        &post("Kept", "2014-01-02", ""),
    );
    write(dir.path(), "pages/page.html", "<p>not a post</p>");
    let output = check(dir.path());
    let stdout = String::from_utf8_lossy(&output.stdout);
    // jekyll-import's HTML post is read (`content::html_body`).
    assert!(!stdout.contains("imported.html"), "{stdout}");
    let textile = "warning: _posts/2013-01-02-notes.textile: this post is written in textile";
    assert!(stdout.contains(textile), "{stdout}");
    assert!(stdout.contains("pandoc -t gfm"), "{stdout}");
    assert!(!stdout.contains("page.html"), "{stdout}");
    assert!(
        stdout.contains("2 posts OK, 0 errors, 1 warnings"),
        "{stdout}"
    );
}

/// Jekyll's own site keeps its documentation in collections (`_docs/`,
/// `_tutorials/`), which Jekyll publishes and Quire does not read: each
/// folder is named once, with its count, and the fix; template parts
/// (`_includes/`) and Quire's own partials are not.
#[test]
fn check_names_each_underscore_folder_of_markdown_it_does_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let page = "---\ntitle: Setup\npermalink: /docs/setup/\n---\nText.\n";
    write(dir.path(), "_docs/setup.md", page);
    write(
        dir.path(),
        "_docs/install/linux.md",
        "---\ntitle: Linux\n---\nText.\n",
    );
    write(dir.path(), "_tutorials/first.markdown", page);
    // A collection's page in HTML, which Jekyll renders.
    let html = "---\ntitle: Legacy\n---\n<p>Old.</p>\n";
    write(dir.path(), "_docs/legacy.html", html);
    let dated = "---\ntitle: Dated\n---\nText.\n";
    write(dir.path(), "_docs/2020-01-31-dated.md", dated);
    write(dir.path(), "_includes/note.md", "A snippet.");
    write(dir.path(), "_partials/footer.md", "Footer.");
    write(
        dir.path(),
        "_posts/2014-01-02-kept.md",
        &post("Kept", "2014-01-02", ""),
    );
    let output = check(dir.path());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let docs = "note: _docs: the folder `_docs/` holds 3 Markdown files that are not published";
    assert!(stdout.contains(docs), "{stdout}");
    let fix = "add `collections = [\"docs\"]` to quire.toml";
    assert!(stdout.contains(fix), "{stdout}");
    let tutorials =
        "note: _tutorials: the folder `_tutorials/` holds 1 Markdown file that is not published";
    assert!(stdout.contains(tutorials), "{stdout}");
    for quiet in ["_includes", "_partials"] {
        assert!(!stdout.contains(quiet), "{quiet}: {stdout}");
    }
    assert!(
        stdout.contains("1 posts OK, 0 errors, 0 warnings"),
        "{stdout}"
    );
    // Named in quire.toml, a collection is read: its pages are published,
    // at the address their `permalink` names, and no longer noted.
    std::fs::write(dir.path().join("quire.toml"), "collections = [\"docs\"]\n").unwrap();
    let output = quire()
        .arg("check")
        .arg("--content")
        .arg(dir.path())
        .arg("--config")
        .arg(dir.path().join("quire.toml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("`_docs/`"), "{stdout}");
    assert!(stdout.contains("`_tutorials/`"), "{stdout}");
    // Pages, dated or not (Jekyll lists only `_posts/` as the blog's),
    // with no hint that a date would make them posts.
    for page in [
        "page: _docs/setup.md is a standalone page at /docs/setup/",
        "page: _docs/install/linux.md is a standalone page at /docs/install/linux",
        "page: _docs/2020-01-31-dated.md is a standalone page at /docs/dated",
    ] {
        assert!(stdout.lines().any(|line| line == page), "{page}: {stdout}");
    }
    // Its page in HTML, front matter first, is one too (`content::html_body`).
    let legacy = "page: _docs/legacy.html is a standalone page at /docs/legacy";
    assert!(stdout.lines().any(|line| line == legacy), "{stdout}");
    assert!(stdout.contains("5 posts OK, 0 errors"), "{stdout}");
}

#[test]
fn check_notes_a_render_false_file_without_failing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.md", &post("Good", "2026-01-01", ""));
    write(
        dir.path(),
        "hidden.md",
        &post("Hidden", "2026-01-02", "render = false\n"),
    );
    let output = check(dir.path());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("note: hidden.md: not rendered (render = false)"),
        "{stdout}"
    );
    assert!(stdout.contains("0 errors, 0 warnings"), "{stdout}");
}

#[test]
fn new_writes_a_post_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        quire()
            .args([
                "new",
                "Hello, World!",
                "--category",
                "Rust",
                "--tag",
                "intro",
                "--content",
            ])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let output = run();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(dir.path().join("hello-world.md")).unwrap();
    assert!(
        text.starts_with("+++\ntitle = \"Hello, World!\"\n"),
        "{text}"
    );
    assert!(
        text.contains("category = \"Rust\"") && text.contains("tags = [\"intro\"]"),
        "{text}"
    );
    let check = check(dir.path());
    assert!(
        check.status.success(),
        "a new post passes check: {}",
        String::from_utf8_lossy(&check.stdout)
    );

    std::fs::write(dir.path().join("hello-world.md"), "mine").unwrap();
    let again = run();
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("hello-world.md")).unwrap(),
        "mine"
    );
}

#[test]
fn version_and_help() {
    let version = quire().arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("quire "));
    let help = quire().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("serve") && text.contains("check") && text.contains("new"),
        "{text}"
    );
}

#[test]
fn live_reload_tells_open_pages_which_post_changed() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    write(&content, "first.md", &post("First post", "2026-01-01", ""));
    let server = Server::start_with(&content, &dir.path().join("data"), &["--live-reload"]);
    let (status, page) = server.get("/blog/first");
    assert_eq!(status, 200);
    assert!(
        page.contains("new EventSource(\"/_quire/live\")"),
        "the page carries the live-reload script"
    );

    let mut events = common::open_stream(&server.addr, "/_quire/live");
    write(
        &content,
        "first.md",
        &post("First post, edited", "2026-01-01", ""),
    );
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            events.read_line(&mut line).unwrap() > 0,
            "event stream closed"
        );
        if line.starts_with("data:") {
            break;
        }
    }
    assert_eq!(
        line.trim_end(),
        "data: /blog/first",
        "the event names the address to reload"
    );
}

/// (thread name, nice value) of every thread of process `pid`.
fn threads_of(pid: u32) -> Vec<(String, i32)> {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap()
        .filter_map(|task| {
            let dir = task.ok()?.path();
            let name = std::fs::read_to_string(dir.join("comm")).ok()?;
            let stat = std::fs::read_to_string(dir.join("stat")).ok()?;
            // Fields after the parenthesised name; nice is the 19th field.
            let after_name = &stat[stat.rfind(')')? + 1..];
            let nice = after_name.split_whitespace().nth(16)?.parse().ok()?;
            Some((name.trim().to_string(), nice))
        })
        .collect()
}

/// Indexing and live ingest give way to requests: on one core, building
/// the search index at start-up took index p99 from under 1 ms to over
/// 100 ms while it ran at the same priority.
#[test]
fn background_work_runs_below_request_handling() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    write(&content, "a.md", &post("A", "2026-01-01", ""));
    let server = Server::start(&content, &dir.path().join("data"));
    server.wait_for_search_index();
    // The commit that logged it respawns tantivy's indexing thread, which
    // carries its spawner's name until it names itself; so does each
    // request thread, which the runtime may still be starting when the
    // log says so (CI once saw four threads still named `quire`). A
    // background thread lowers its own priority as it starts, so it may be
    // named a moment before (CI once saw `content-watcher` at 0): they are
    // read again until all are low or the deadline passes.
    let background = ["content-watcher", "thrd-tantivy", "merge_thread"];
    let nice_of = |threads: &[(String, i32)], prefix: &str| -> Vec<i32> {
        threads
            .iter()
            .filter(|(name, _)| name.starts_with(prefix))
            .map(|(_, nice)| *nice)
            .collect()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let threads = loop {
        let threads = threads_of(server.child.id());
        let has = |prefix: &str| threads.iter().any(|(name, _)| name.starts_with(prefix));
        let low = background
            .iter()
            .all(|b| nice_of(&threads, b).iter().all(|n| *n > 0));
        if has("thrd-tantivy") && has("tokio-rt-worker") && low {
            break threads;
        }
        if std::time::Instant::now() >= deadline {
            break threads;
        }
        std::thread::yield_now();
    };
    let nice_of = |prefix: &str| nice_of(&threads, prefix);
    assert!(
        !nice_of("thrd-tantivy").is_empty(),
        "no tantivy indexing thread after 10 s: {threads:?}"
    );
    for background in background {
        let nices = nice_of(background);
        assert!(
            !nices.is_empty() && nices.iter().all(|n| *n > 0),
            "{background}: {threads:?}"
        );
    }
    let workers = nice_of("tokio-rt-worker");
    assert!(
        !workers.is_empty() && workers.iter().all(|n| *n == 0),
        "request threads: {threads:?}"
    );
}

/// Text misplaced inside a raw HTML table is moved before it by the HTML
/// parser, which says so in a line naming no file ("foster parenting not
/// implemented"), once per occurrence: the log leaves those out.
#[test]
fn the_html_parser_s_notes_stay_out_of_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let table = "<table><tr>stray text<td>a</td></tr></table>\n\n";
    let body = format!("More text.\n\n{}", table.repeat(3));
    let text = post("Table", "2026-01-01", "").replace("More text.", &body);
    write(dir.path(), "table.md", &text);
    let output = check(dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("foster parenting"), "{stderr}");
}
