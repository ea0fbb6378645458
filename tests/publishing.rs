//! Publishing, end to end against the `quire` binary: `quire.toml` and its
//! environment overrides, the Atom/RSS/JSON feeds (checked by Python's
//! feedparser and a JSON Feed 1.1 schema), the sitemap and robots.txt, and
//! the redirects (aliases, renamed posts, trailing slashes).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{Server, fetch, post, write};
use serde_json::Value;

const TRICKY_TITLE: &str = "Fish & <Chips> \"quoted\" 'single' 🦀";
const BASE: &str = "https://blog.example.org";

/// The first Python with feedparser and jsonschema (see scripts/setup.sh).
fn python() -> &'static str {
    ["python3", "/usr/bin/python3"]
        .into_iter()
        .find(|py| {
            Command::new(py)
                .args(["-c", "import feedparser, jsonschema"])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
        .expect("a python3 with feedparser and jsonschema; run scripts/setup.sh --browser")
}

/// Runs a Python script with `input` on stdin and returns its stdout.
fn run_python(script: &str, args: &[&str], input: &str) -> String {
    let mut child = Command::new(python())
        .arg("-c")
        .arg(script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "python failed: {}\ninput:\n{input}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

const FEEDPARSER: &str = r#"
import sys, json, feedparser
d = feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({
    "bozo": bool(d.bozo),
    "error": str(d.get("bozo_exception", "")),
    "version": d.get("version", ""),
    "title": d.feed.get("title"),
    "links": [l.get("href") for l in d.feed.get("links", [])],
    "entries": [{
        "title": e.get("title"),
        "link": e.get("link"),
        "content": (e.get("content") or [{}])[0].get("value", ""),
    } for e in d.entries],
}))
"#;

/// The feed as feedparser sees it; fails the test on a bozo (malformed) feed.
fn feedparse(body: &str) -> Value {
    let parsed: Value = serde_json::from_str(&run_python(FEEDPARSER, &[], body)).unwrap();
    assert_eq!(
        parsed["bozo"], false,
        "feedparser: {}\n{body}",
        parsed["error"]
    );
    parsed
}

const JSON_TITLES: &str = r#"
import sys, json
print(json.dumps([item.get("title") for item in json.load(sys.stdin)["items"]]))
"#;

/// Entry titles as Python reads them: feedparser for Atom and RSS; for
/// JSON Feed (feedparser 6 does not read it) the schema check and `json`.
fn feed_titles(body: &str, path: &str) -> Vec<String> {
    if path.ends_with(".json") {
        validate_json_feed(body);
        serde_json::from_str(&run_python(JSON_TITLES, &[], body)).unwrap()
    } else {
        titles(&feedparse(body))
    }
}

const SCHEMA_CHECK: &str = r#"
import sys, json, jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft7Validator.check_schema(schema)
jsonschema.validate(json.load(sys.stdin), schema, cls=jsonschema.Draft7Validator)
print("valid")
"#;

fn schema_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jsonfeed-1.1.schema.json")
}

fn validate_json_feed(body: &str) {
    let schema = schema_path();
    assert_eq!(
        run_python(SCHEMA_CHECK, &[schema.to_str().unwrap()], body).trim(),
        "valid"
    );
}

const SITEMAP_PARSE: &str = r#"
import sys, json, xml.etree.ElementTree as ET
ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
root = ET.fromstring(sys.stdin.buffer.read())
print(json.dumps([[u.findtext("s:loc", namespaces=ns), u.findtext("s:lastmod", namespaces=ns)]
                  for u in root.findall("s:url", ns)]))
"#;

/// `(loc, lastmod)` pairs, parsed by Python's XML parser.
fn sitemap_urls(body: &str) -> Vec<(String, Option<String>)> {
    serde_json::from_str(&run_python(SITEMAP_PARSE, &[], body)).unwrap()
}

fn config_file(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("quire.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// A site with three visible posts, a draft, a scheduled post and one with
/// a tricky title, served with `base_url = BASE`.
struct Site {
    _dir: tempfile::TempDir,
    content: PathBuf,
    server: Server,
}

fn start_site(extra_posts: &[(&str, String)]) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    write(
        &content,
        "oldest.md",
        &post(
            "Oldest post",
            "2026-01-01",
            "category = \"Rust\"\ntags = [\"async\"]\n",
        ),
    );
    write(
        &content,
        "middle.md",
        &post(
            "Middle post",
            "2026-01-02",
            "category = \"Ops\"\ntags = [\"async\", \"linux\"]\nupdated = 2026-03-01\n",
        ),
    );
    write(
        &content,
        "newest.md",
        &post("Newest post", "2026-01-03", "category = \"Rust\"\n"),
    );
    write(
        &content,
        "draft.md",
        &post("Secret draft", "2026-01-04", "draft = true\n"),
    );
    write(
        &content,
        "scheduled.md",
        &post(
            "Future post",
            "2026-01-05",
            "publish_at = 2999-01-01T00:00:00Z\n",
        ),
    );
    for (name, text) in extra_posts {
        write(&content, name, text);
    }
    let config = config_file(
        dir.path(),
        &format!("title = \"Test blog\"\nbase_url = \"{BASE}/\"\n[author]\nname = \"Ada\"\n"),
    );
    let server = Server::start_with(
        &content,
        &dir.path().join("data"),
        &["--config", config.to_str().unwrap()],
    );
    Site {
        _dir: dir,
        content,
        server,
    }
}

fn titles(parsed: &Value) -> Vec<String> {
    parsed["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_three_feeds_parse_cleanly_with_full_html_newest_first() {
    let site = start_site(&[]);
    let addr = &site.server.addr;
    let expected = ["Newest post", "Middle post", "Oldest post"];

    let atom = fetch(addr, "/atom.xml");
    assert_eq!(atom.status, 200);
    assert_eq!(
        atom.header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    let parsed = feedparse(&atom.body);
    assert_eq!(parsed["version"], "atom10");
    assert_eq!(parsed["title"], "Test blog");
    assert_eq!(
        titles(&parsed),
        expected,
        "drafts and scheduled posts stay out"
    );
    assert_eq!(parsed["entries"][0]["link"], format!("{BASE}/blog/newest"));
    assert!(
        parsed["links"]
            .as_array()
            .unwrap()
            .contains(&Value::from(format!("{BASE}/atom.xml"))),
        "{parsed}"
    );
    let content = parsed["entries"][0]["content"].as_str().unwrap();
    assert!(
        content.contains("Intro paragraph for Newest post") && content.contains("<h2"),
        "full HTML: {content}"
    );

    let rss = fetch(addr, "/rss.xml");
    assert_eq!(
        rss.header("content-type"),
        Some("application/rss+xml; charset=utf-8")
    );
    let parsed = feedparse(&rss.body);
    assert_eq!(parsed["version"], "rss20");
    assert_eq!(titles(&parsed), expected);
    assert!(
        parsed["entries"][1]["content"]
            .as_str()
            .unwrap()
            .contains("<h2"),
        "{parsed}"
    );

    let json = fetch(addr, "/feed.json");
    assert_eq!(
        json.header("content-type"),
        Some("application/feed+json; charset=utf-8")
    );
    validate_json_feed(&json.body);
    let feed: Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(feed["feed_url"], format!("{BASE}/feed.json"));
    assert_eq!(feed["home_page_url"], format!("{BASE}/"));
    assert_eq!(feed["authors"][0]["name"], "Ada");
    let json_titles: Vec<&str> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(json_titles, expected);
    assert!(
        feed["items"][0]["content_html"]
            .as_str()
            .unwrap()
            .contains("<h2")
    );
    assert_eq!(
        feed["items"][1]["date_modified"],
        "2026-03-01T00:00:00+00:00"
    );
}

#[test]
fn feeds_hold_the_newest_fifty_posts() {
    let many: Vec<(String, String)> = (1..=55)
        .map(|n| {
            (
                format!("bulk-{n:02}.md"),
                post(
                    &format!("Bulk {n:02}"),
                    &format!("2025-06-{:02}", n % 28 + 1),
                    "",
                ),
            )
        })
        .collect();
    let refs: Vec<(&str, String)> = many.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let site = start_site(&refs);
    for path in ["/atom.xml", "/rss.xml", "/feed.json"] {
        let titles = feed_titles(&fetch(&site.server.addr, path).body, path);
        assert_eq!(titles.len(), 50, "{path}");
        assert_eq!(
            &titles[..3],
            ["Newest post", "Middle post", "Oldest post"],
            "{path}"
        );
    }
}

#[test]
fn a_tricky_title_round_trips_through_every_feed_and_the_sitemap() {
    let tricky = format!(
        "+++\ntitle = {}\ndate = 2026-02-01\ncategory = \"C++ & <Systems>\"\ntags = [\"r&d\"]\ndescription = {}\n+++\n\nBody with <b>raw</b> & \"quotes\" 🦀.\n",
        toml_string(TRICKY_TITLE),
        toml_string(&format!("About {TRICKY_TITLE}")),
    );
    let site = start_site(&[
        ("tricky.md", tricky),
        ("café.md", post("Café post", "2025-12-01", "")),
    ]);
    let addr = &site.server.addr;

    for path in ["/atom.xml", "/rss.xml"] {
        let parsed = feedparse(&fetch(addr, path).body);
        assert_eq!(
            parsed["entries"][0]["title"], TRICKY_TITLE,
            "{path}: {parsed}"
        );
        let content = parsed["entries"][0]["content"].as_str().unwrap();
        assert!(content.contains("🦀"), "{path}: {content}");
    }
    assert_eq!(
        feed_titles(&fetch(addr, "/feed.json").body, "/feed.json")[0],
        TRICKY_TITLE
    );
    let json: Value = serde_json::from_str(&fetch(addr, "/feed.json").body).unwrap();
    assert_eq!(json["items"][0]["title"], TRICKY_TITLE);
    assert_eq!(json["items"][0]["summary"], format!("About {TRICKY_TITLE}"));
    assert_eq!(json["items"][0]["tags"][0], "C++ & <Systems>");

    let sitemap = fetch(addr, "/sitemaps/1.xml");
    assert_eq!(sitemap.status, 200);
    assert_eq!(
        sitemap.header("content-type"),
        Some("application/xml; charset=utf-8")
    );
    let urls = sitemap_urls(&sitemap.body);
    let has = |loc: &str| urls.iter().any(|(l, _)| l == loc);
    assert!(has(&format!("{BASE}/blog/tricky")), "{urls:?}");
    assert!(has(&format!("{BASE}/category/c-systems")), "{urls:?}");
    assert!(has(&format!("{BASE}/tags/r-d")), "{urls:?}");
    assert!(has(&format!("{BASE}/blog/caf%C3%A9")), "{urls:?}");
    // The percent-encoded address is the post's real address.
    let cafe = fetch(addr, "/blog/caf%C3%A9");
    assert_eq!(cafe.status, 200);
    assert!(cafe.body.contains("Café post"));
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[test]
fn the_sitemap_and_robots_use_absolute_urls_and_only_visible_posts() {
    let site = start_site(&[]);
    let addr = &site.server.addr;
    let urls = sitemap_urls(&fetch(addr, "/sitemaps/1.xml").body);
    let lastmod = |loc: &str| {
        urls.iter()
            .find(|(l, _)| l == loc)
            .unwrap_or_else(|| panic!("{loc} in {urls:?}"))
            .1
            .clone()
    };
    assert_eq!(lastmod(&format!("{BASE}/")).as_deref(), Some("2026-03-01"));
    assert_eq!(
        lastmod(&format!("{BASE}/blog/oldest")).as_deref(),
        Some("2026-01-01")
    );
    assert_eq!(
        lastmod(&format!("{BASE}/blog/middle")).as_deref(),
        Some("2026-03-01")
    );
    assert_eq!(
        lastmod(&format!("{BASE}/category/rust")).as_deref(),
        Some("2026-01-03")
    );
    assert_eq!(
        lastmod(&format!("{BASE}/tags/async")).as_deref(),
        Some("2026-03-01")
    );
    assert_eq!(
        lastmod(&format!("{BASE}/tags/linux")).as_deref(),
        Some("2026-03-01")
    );
    assert!(
        !urls
            .iter()
            .any(|(l, _)| l.contains("draft") || l.contains("scheduled")),
        "{urls:?}"
    );
    for list in ["category", "tags"] {
        assert_eq!(
            lastmod(&format!("{BASE}/{list}")).as_deref(),
            Some("2026-03-01"),
            "the list of every {list}"
        );
    }
    assert_eq!(urls.len(), 1 + 3 + 2 + 2 + 2, "{urls:?}");

    let robots = fetch(addr, "/robots.txt");
    assert_eq!(robots.status, 200);
    assert!(
        robots
            .body
            .contains(&format!("Sitemap: {BASE}/sitemap.xml")),
        "{}",
        robots.body
    );
}

#[test]
fn category_and_tag_feeds_hold_their_posts_and_unknown_ones_are_404() {
    let site = start_site(&[]);
    let addr = &site.server.addr;
    let rust = fetch(addr, "/category/rust/atom.xml");
    assert_eq!(rust.status, 200);
    assert_eq!(
        rust.header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    let parsed = feedparse(&rust.body);
    assert_eq!(titles(&parsed), ["Newest post", "Oldest post"]);
    assert_eq!(parsed["title"], "Test blog — Rust");

    let tag = feedparse(&fetch(addr, "/tags/async/atom.xml").body);
    assert_eq!(titles(&tag), ["Middle post", "Oldest post"]);

    assert_eq!(fetch(addr, "/category/nope/atom.xml").status, 404);
    assert_eq!(fetch(addr, "/tags/nope/atom.xml").status, 404);
    // A tag only a draft has is unknown to readers.
    write(
        &site.content,
        "draft.md",
        &post(
            "Secret draft",
            "2026-01-04",
            "draft = true\ntags = [\"hidden\"]\n",
        ),
    );
    assert_eq!(fetch(addr, "/tags/hidden/atom.xml").status, 404);
}

#[test]
fn edits_show_in_the_feed_and_the_sitemap_on_the_next_request() {
    let site = start_site(&[]);
    let server = &site.server;
    // Prime whatever caches there are.
    assert!(server.get("/atom.xml").1.contains("Newest post"));
    assert!(!server.get("/sitemaps/1.xml").1.contains("/blog/fresh"));

    write(
        &site.content,
        "fresh.md",
        &post("Fresh post", "2026-02-10", ""),
    );
    write(
        &site.content,
        "oldest.md",
        &post("Oldest post, retitled", "2026-01-01", ""),
    );
    let atom = server.wait_for("/atom.xml", "the new and the retitled post", |_, body| {
        body.contains("Fresh post") && body.contains("Oldest post, retitled")
    });
    assert_eq!(titles(&feedparse(&atom))[0], "Fresh post");
    server.wait_for("/sitemaps/1.xml", "the new post's URL", |_, body| {
        body.contains(&format!("{BASE}/blog/fresh"))
    });
    server.wait_for("/feed.json", "the new post", |_, body| {
        body.contains("Fresh post")
    });

    std::fs::remove_file(site.content.join("fresh.md")).unwrap();
    server.wait_for("/rss.xml", "the deleted post to go", |_, body| {
        !body.contains("Fresh post")
    });
    server.wait_for("/sitemaps/1.xml", "the deleted post to go", |_, body| {
        !body.contains("/blog/fresh")
    });
}

#[test]
fn aliases_trailing_slashes_and_renamed_posts_redirect() {
    let site = start_site(&[(
        "moved.md",
        post(
            "Moved post",
            "2025-05-05",
            "aliases = [\"/2019/05/old-name/\", \"old-path.html\"]\nslug = \"before\"\n",
        ),
    )]);
    let addr = &site.server.addr;

    let alias = fetch(addr, "/2019/05/old-name");
    assert_eq!(alias.status, 301);
    assert_eq!(alias.header("location"), Some("/blog/before"));
    let alias = fetch(addr, "/old-path.html?utm=x");
    assert_eq!(alias.status, 301);
    assert_eq!(alias.header("location"), Some("/blog/before?utm=x"));
    // An alias with a trailing slash goes to the post in one hop.
    let alias = fetch(addr, "/2019/05/old-name/");
    assert_eq!(alias.header("location"), Some("/blog/before"));

    let slash = fetch(addr, "/blog/newest/?page=2");
    assert_eq!(slash.status, 301);
    assert_eq!(slash.header("location"), Some("/blog/newest?page=2"));
    let slash = fetch(addr, "/category/rust/");
    assert_eq!(slash.header("location"), Some("/category/rust"));
    let escape = fetch(addr, "//evil.example/");
    assert_eq!(escape.status, 301);
    assert_eq!(
        escape.header("location"),
        Some("/evil.example"),
        "same origin only"
    );
    assert_eq!(fetch(addr, "/").status, 200, "the root is not redirected");
    assert_eq!(fetch(addr, "/blog/newest").status, 200);
    assert_eq!(fetch(addr, "/no/such/alias").status, 404);

    // Renaming the post keeps its old URL working.
    write(
        &site.content,
        "moved.md",
        &post(
            "Moved post",
            "2025-05-05",
            "aliases = [\"/2019/05/old-name/\"]\nslug = \"after\"\n",
        ),
    );
    site.server
        .wait_for("/blog/after", "the renamed post", |status, _| status == 200);
    let old = fetch(addr, "/blog/before");
    assert_eq!(old.status, 301);
    assert_eq!(old.header("location"), Some("/blog/after"));
    assert_eq!(
        fetch(addr, "/2019/05/old-name").header("location"),
        Some("/blog/after")
    );
    // The alias that was dropped from the front matter no longer redirects.
    assert_eq!(fetch(addr, "/old-path.html").status, 404);
}

#[test]
fn an_alias_to_a_hidden_post_does_not_redirect() {
    let site = start_site(&[(
        "hidden.md",
        post(
            "Hidden",
            "2026-01-01",
            "draft = true\naliases = [\"/hidden-old\"]\n",
        ),
    )]);
    assert_eq!(fetch(&site.server.addr, "/hidden-old").status, 404);
}

#[test]
fn an_alias_on_a_real_posts_url_loses_and_check_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    write(
        &content,
        "z.md",
        &post("Post Z", "2026-01-01", "aliases = [\"/blog/b\"]\n"),
    );
    write(&content, "b.md", &post("Post B", "2026-01-02", ""));
    // z.md is stored after b.md, so the alias is in the store: the
    // middleware itself must let the real post win.
    let server = Server::start(&content, &dir.path().join("data"));
    let real = fetch(&server.addr, "/blog/b");
    assert_eq!(real.status, 200, "the real post wins");
    assert!(real.body.contains("Post B"));
    drop(server);

    let output = common::quire_command(&[])
        .args(["check", "--content"])
        .arg(&content)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("alias"))
        .unwrap_or_else(|| panic!("an alias error in: {stdout}"));
    assert!(line.starts_with("error: z.md:4:"), "{line}");
    assert!(
        line.contains("`/blog/b`") && line.contains("b.md"),
        "{line}"
    );
    assert!(
        line.contains("fix: remove `/blog/b` from `aliases` in z.md"),
        "{line}"
    );
}

#[test]
fn an_unknown_config_key_exits_2_with_the_nearest_key() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    write(&content, "a.md", &post("A", "2026-01-01", ""));
    let config = config_file(
        dir.path(),
        "# my blog\ntitle = \"x\"\ntagline = \"y\"\nbase_rul = \"https://a.org\"\n",
    );
    let expected = format!(
        "unknown key `base_rul` in {} line 4; did you mean `base_url`?",
        config.display()
    );
    for command in ["serve", "check"] {
        let output = common::quire_command(&[])
            .args([command, "--content"])
            .arg(&content)
            .arg("--config")
            .arg(&config)
            .env("QUIRE_DATA", dir.path().join("data"))
            .env("DIOXUS_PUBLIC_PATH", dir.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{command}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&expected), "{command}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_base_url_without_scheme_or_a_missing_config_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    write(&content, "a.md", &post("A", "2026-01-01", ""));
    let config = config_file(dir.path(), "base_url = \"example.com\"\n");
    let run = |config: &Path, env: &[(&str, &str)]| {
        common::quire_command(&[])
            .args(["serve", "--content"])
            .arg(&content)
            .arg("--config")
            .arg(config)
            .env("QUIRE_DATA", dir.path().join("data"))
            .env("DIOXUS_PUBLIC_PATH", dir.path())
            .envs(env.iter().copied())
            .output()
            .unwrap()
    };
    let output = run(&config, &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`base_url` in") && stderr.contains("https://example.com"),
        "{stderr}"
    );

    let fine = config_file(dir.path(), "title = \"ok\"\n");
    let output = run(&fine, &[("QUIRE_BASE_URL", "example.com")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("QUIRE_BASE_URL"));

    let output = run(&dir.path().join("missing.toml"), &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("missing.toml") && stderr.contains("--config"),
        "{stderr}"
    );
}

#[test]
fn environment_overrides_show_in_the_feeds_and_base_url_follows_the_listen_address() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    write(&content, "a.md", &post("A", "2026-01-01", ""));
    let config = config_file(dir.path(), "title = \"From the file\"\n");
    let server = Server::start_with_env(
        &content,
        &dir.path().join("data"),
        &["--config", config.to_str().unwrap()],
        &[
            ("QUIRE_TITLE", "From the environment & more"),
            ("QUIRE_AUTHOR_NAME", "Env Author"),
            ("QUIRE_LANGUAGE", "de"),
        ],
    );
    let addr = &server.addr;
    assert!(
        fetch(addr, "/").body.contains("<html lang=\"de\">"),
        "the language setting reaches <html lang>"
    );
    let parsed = feedparse(&fetch(addr, "/atom.xml").body);
    assert_eq!(parsed["title"], "From the environment & more");
    let json: Value = serde_json::from_str(&fetch(addr, "/feed.json").body).unwrap();
    assert_eq!(json["title"], "From the environment & more");
    assert_eq!(json["authors"][0]["name"], "Env Author");
    // No base_url anywhere: links use the address the server listens on.
    assert_eq!(json["feed_url"], format!("http://{addr}/feed.json"));
    assert_eq!(json["items"][0]["url"], format!("http://{addr}/blog/a"));
    assert!(
        fetch(addr, "/robots.txt")
            .body
            .contains(&format!("Sitemap: http://{addr}/sitemap.xml"))
    );
}

#[test]
fn without_a_config_file_the_log_says_defaults_are_used() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    write(&content, "a.md", &post("A", "2026-01-01", ""));
    let mut child = common::quire_command(&[])
        .args(["serve", "--content"])
        .arg(&content)
        .arg("--data")
        .arg(dir.path().join("data"))
        .args(["--addr", "127.0.0.1:0"])
        .env("DIOXUS_PUBLIC_PATH", dir.path())
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
    let mut seen = Vec::new();
    let found = loop {
        let Some(Ok(line)) = lines.next() else {
            break false;
        };
        if line.contains("no config file found at quire.toml") {
            break true;
        }
        seen.push(line);
        if seen.last().is_some_and(|l| l.contains("Quire is serving")) {
            break false;
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(found, "{seen:#?}");
}

/// docs/DEPLOY.md: replicas of one site serve the same bytes and ETags, so
/// a cache in front may revalidate against any of them. Without
/// `base_url`, absolute links follow the `Host` the proxy sends (before,
/// each replica wrote its own listen address into every page and feed).
#[test]
fn replicas_without_base_url_serve_identical_bytes_for_one_host() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    write(&content, "a.md", &post("Alpha", "2026-01-01", ""));
    let replicas: Vec<Server> = (0..2)
        .map(|i| Server::start(&content, &dir.path().join(format!("data{i}"))))
        .collect();
    assert_ne!(replicas[0].addr, replicas[1].addr);
    for path in [
        "/",
        "/blog/a",
        "/atom.xml",
        "/rss.xml",
        "/feed.json",
        "/sitemap.xml",
        "/robots.txt",
    ] {
        let answers: Vec<common::Reply> = replicas
            .iter()
            .map(|r| common::fetch_as(&r.addr, "blog.example", path))
            .collect();
        assert_eq!(answers[0].status, 200, "{path}");
        assert_eq!(
            answers[0].body, answers[1].body,
            "{path}: the replicas differ"
        );
        assert_eq!(
            answers[0].header("etag"),
            answers[1].header("etag"),
            "{path}"
        );
        for replica in &replicas {
            assert!(
                !answers[0].body.contains(&replica.addr),
                "{path} names a listen address"
            );
        }
    }
    let feed = common::fetch_as(&replicas[0].addr, "blog.example", "/atom.xml").body;
    assert!(feed.contains("http://blog.example/blog/a"), "{feed}");
    // The Host is part of the cache key: another name gets its own links.
    let other = common::fetch_as(&replicas[0].addr, "other.example", "/atom.xml").body;
    assert!(other.contains("http://other.example/blog/a"), "{other}");
}
