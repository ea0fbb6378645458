//! The sitemap index and its files, over HTTP (in process): `/sitemap.xml`
//! points to `/sitemaps/<n>.xml` files of at most `sitemap_urls` URLs,
//! every address once across them, each file valid per the sitemap
//! protocol, cached and precompressed like a page; robots.txt names the
//! index. The split size is injected (3) so seven posts make several files.

mod common;
#[allow(dead_code)]
#[path = "support/in_process.rs"]
mod in_process;

use std::collections::HashMap;
use std::process::{Command, Stdio};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use quire::server::{SiteConfig, http};
use tower::ServiceExt;

const BASE: &str = "https://ex.org";

/// Seven dated posts (uncategorized, no tags), a standalone page and a
/// section with one post: 12 addresses with the index and the category.
fn app(split: usize) -> (tempfile::TempDir, http::App) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for day in 1..=7 {
        let text = common::post(&format!("Post {day}"), &format!("2026-01-0{day}"), "");
        common::write(root, &format!("post-{day}.md"), &text);
    }
    common::write(root, "about.md", "+++\ntitle = \"About\"\n+++\n\nWho.\n");
    common::write(root, "notes/_index.md", "+++\ntitle = \"Notes\"\n+++\n");
    let note = common::post("A note", "2026-02-01", "updated = 2026-03-05\n");
    common::write(root, "notes/first.md", &note);
    let config = SiteConfig {
        base_url: BASE.into(),
        sitemap_urls: split,
        ..SiteConfig::default()
    };
    let site = in_process::site_from(root, config);
    (dir, http::router(site))
}

async fn get(
    app: &http::App,
    path: &str,
    encoding: &str,
) -> (StatusCode, HashMap<String, String>, Vec<u8>) {
    let request = Request::get(path)
        .header("accept-encoding", encoding)
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, body)
}

async fn text(app: &http::App, path: &str) -> String {
    let (status, headers, body) = get(app, path, "identity").await;
    assert_eq!(status, StatusCode::OK, "{path}");
    assert_eq!(
        headers["content-type"], "application/xml; charset=utf-8",
        "{path}"
    );
    String::from_utf8(body).unwrap()
}

/// Parses a sitemap document with Python's XML parser and checks it
/// against the protocol: the root, its children, `loc` absolute under the
/// base URL, `lastmod` a W3C date, at most 50,000 entries. Returns the
/// `(loc, lastmod)` pairs.
const CHECK: &str = r#"
import sys, json, re, xml.etree.ElementTree as ET
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
root_name, entry_name, base = sys.argv[1], sys.argv[2], sys.argv[3]
root = ET.fromstring(sys.stdin.buffer.read())
assert root.tag == NS + root_name, root.tag
entries = []
for entry in root:
    assert entry.tag == NS + entry_name, entry.tag
    tags = [child.tag for child in entry]
    assert tags[0] == NS + "loc" and set(tags) <= {NS + "loc", NS + "lastmod"} and len(tags) == len(set(tags)), tags
    loc = entry.findtext(NS + "loc")
    assert loc.startswith(base + "/") and len(loc) < 2048, loc
    lastmod = entry.findtext(NS + "lastmod")
    assert lastmod is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod), lastmod
    entries.append([loc, lastmod])
assert 0 < len(entries) <= 50000
print(json.dumps(entries))
"#;

fn parse(xml: &str, root: &str, entry: &str) -> Vec<(String, Option<String>)> {
    let mut child = Command::new("python3")
        .args(["-c", CHECK, root, entry, BASE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(xml.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}\n{xml}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn the_index_points_to_files_of_at_most_the_split_size_each_url_once() {
    let (_dir, app) = app(3);
    let index = parse(&text(&app, "/sitemap.xml").await, "sitemapindex", "sitemap");
    // 13 addresses in files of 3.
    let files: Vec<String> = (1..=5)
        .map(|n| format!("{BASE}/sitemaps/{n}.xml"))
        .collect();
    let locs: Vec<&String> = index.iter().map(|(loc, _)| loc).collect();
    assert_eq!(locs, files.iter().collect::<Vec<_>>());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (file, lastmod) in &index {
        let path = file.strip_prefix(BASE).unwrap();
        let urls = parse(&text(&app, path).await, "urlset", "url");
        assert!(urls.len() <= 3, "{file}: {urls:?}");
        let newest = urls.iter().filter_map(|(_, day)| day.clone()).max();
        assert_eq!(lastmod, &newest, "{file} is dated by its newest URL");
        for (loc, _) in urls {
            *seen.entry(loc).or_default() += 1;
        }
    }
    let mut expected: Vec<String> = (1..=7).map(|d| format!("{BASE}/blog/post-{d}")).collect();
    for path in [
        "/",
        "/category/uncategorized",
        "/category",
        "/blog/about",
        "/notes",
        "/notes/first",
    ] {
        expected.push(format!("{BASE}{path}"));
    }
    let mut listed: Vec<String> = seen.keys().cloned().collect();
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);
    assert!(seen.values().all(|&n| n == 1), "each URL once: {seen:?}");
    let (status, _, _) = get(&app, "/sitemaps/6.xml", "identity").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "past the last file");
    for path in ["/sitemaps/0.xml", "/sitemaps/01.xml", "/sitemaps/x.xml"] {
        assert_eq!(
            get(&app, path, "identity").await.0,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn posts_carry_their_last_change() {
    let (_dir, app) = app(50_000);
    let index = parse(&text(&app, "/sitemap.xml").await, "sitemapindex", "sitemap");
    assert_eq!(index.len(), 1, "one file at the default split: {index:?}");
    assert_eq!(index[0].1.as_deref(), Some("2026-03-05"));
    let urls: HashMap<String, Option<String>> =
        parse(&text(&app, "/sitemaps/1.xml").await, "urlset", "url")
            .into_iter()
            .collect();
    assert_eq!(
        urls[&format!("{BASE}/blog/post-3")].as_deref(),
        Some("2026-01-03")
    );
    assert_eq!(
        urls[&format!("{BASE}/notes/first")].as_deref(),
        Some("2026-03-05")
    );
    assert_eq!(urls[&format!("{BASE}/")].as_deref(), Some("2026-03-05"));
    assert_eq!(
        urls[&format!("{BASE}/blog/about")],
        None,
        "an undated page has no lastmod"
    );
}

#[tokio::test]
async fn the_index_and_its_files_are_cached_and_precompressed() {
    let (_dir, app) = app(3);
    for path in ["/sitemap.xml", "/sitemaps/1.xml", "/sitemaps/4.xml"] {
        let (_, first, _) = get(&app, path, "br").await;
        assert_eq!(first["x-quire-cache"], "miss", "{path}");
        let (status, second, body) = get(&app, path, "br").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            second["x-quire-cache"], "hit",
            "{path}: served from the cache"
        );
        assert_eq!(second["content-type"], "application/xml; charset=utf-8");
        if body.len() >= 512 {
            assert_eq!(second["content-encoding"], "br", "{path}");
        }
        assert!(second.contains_key("etag"), "{path}");
    }
}

#[tokio::test]
async fn robots_names_the_index() {
    let (_dir, app) = app(3);
    let (status, _, body) = get(&app, "/robots.txt", "identity").await;
    assert_eq!(status, StatusCode::OK);
    let body = String::from_utf8(body).unwrap();
    assert!(
        body.contains(&format!("\nSitemap: {BASE}/sitemap.xml\n")),
        "{body}"
    );
    assert_eq!(body.matches("Sitemap:").count(), 1, "{body}");
}
