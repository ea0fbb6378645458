//! Raw HTML as readers and authors meet it: a post's HTML served intact
//! through the sanitiser, iframes only from `embed_hosts` (and the CSP's
//! `frame-src` naming exactly those), and `quire check` listing every
//! removal with its file and line without failing.

mod common;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use quire::server::{Site, SiteConfig, http};
use quire::store::Store;
use tower::ServiceExt;

/// The raw HTML a migrated Zola blog lost: a table written as HTML,
/// `details`, `sup`, `progress`, `br` and an image with `srcset`.
const AUTHOR_HTML: &str = "Intro.

<details><summary>Spoiler</summary>

Hidden *Markdown*.

</details>

<table>
<tr><th colspan=\"2\">Results</th></tr>
<tr><td>a</td><td>b</td></tr>
</table>

E = mc<sup>2</sup>, done: <progress value=\"70\" max=\"100\">70%</progress><br>next line

<img src=\"/pic.png\" srcset=\"/pic.png 1x, /pic@2x.png 2x\" width=\"640\" height=\"480\" alt=\"A picture\">

<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" allowfullscreen></iframe>

<iframe src=\"https://www.youtube.com.evil.example/embed/abc\"></iframe>

<p onclick=\"alert(1)\">Click</p><script>alert(2)</script>
";

fn write_post(root: &Path) {
    common::write(
        root,
        "html.md",
        &format!("+++\ntitle = \"HTML\"\ndate = 2026-01-05\n+++\n{AUTHOR_HTML}"),
    );
}

/// A site over `root` with `config`, rendered with the config's options.
fn site_from(root: &Path, config: SiteConfig) -> Arc<Site> {
    static PUBLIC: OnceLock<tempfile::TempDir> = OnceLock::new();
    let public = PUBLIC.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        // SAFETY: set once, before any router (which reads it) is built.
        unsafe { std::env::set_var("DIOXUS_PUBLIC_PATH", dir.path()) };
        dir
    });
    let _ = public;
    let store = Store::temporary().unwrap();
    let options = config.render_options(root);
    let report = quire::store::sync::sync_all(&store, root, &options, &|| {}).unwrap();
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    Arc::new(Site::new(store, config, root.to_path_buf()))
}

/// Status, Content-Security-Policy and body of `path`.
async fn get(site: Arc<Site>, path: &str) -> (StatusCode, String, String) {
    let response = http::router(site)
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let policy = response
        .headers()
        .get("content-security-policy")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, policy, String::from_utf8_lossy(&body).into_owned())
}

fn embedding_youtube() -> SiteConfig {
    SiteConfig {
        embed_hosts: vec!["www.youtube.com".into()],
        ..SiteConfig::default()
    }
}

#[tokio::test]
async fn the_authors_html_is_served_intact_and_only_the_dangerous_part_goes() {
    let dir = tempfile::tempdir().unwrap();
    write_post(dir.path());
    let site = site_from(dir.path(), embedding_youtube());
    let (status, policy, page) = get(site, "/blog/html").await;
    assert_eq!(status, StatusCode::OK);
    for kept in [
        "<details><summary>Spoiler</summary>",
        "<em>Markdown</em>",
        "<th colspan=\"2\">Results</th>",
        "<td>a</td>",
        "mc<sup>2</sup>",
        "<progress value=\"70\" max=\"100\">70%</progress><br>",
        "srcset=\"/pic.png 1x, /pic@2x.png 2x\" width=\"640\" height=\"480\" alt=\"A picture\"",
        "<iframe src=\"https://www.youtube.com/embed/abc\"",
        "sandbox=\"allow-scripts allow-same-origin",
        "<p>Click</p>",
    ] {
        assert!(page.contains(kept), "{kept} missing:\n{page}");
    }
    for gone in ["evil.example", "onclick", "alert(2)"] {
        assert!(!page.contains(gone), "{gone} served:\n{page}");
    }
    assert!(
        policy.ends_with("; frame-src https://www.youtube.com"),
        "{policy}"
    );
}

#[tokio::test]
async fn without_embed_hosts_no_iframe_is_kept_and_the_policy_allows_no_frame() {
    let dir = tempfile::tempdir().unwrap();
    write_post(dir.path());
    let site = site_from(dir.path(), SiteConfig::default());
    let (status, policy, page) = get(site, "/blog/html").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("<iframe"), "{page}");
    assert!(page.contains("<details>"), "{page}");
    assert!(!policy.contains("frame-src"), "{policy}");
}

#[tokio::test]
async fn raw_html_drop_serves_none_of_it() {
    let dir = tempfile::tempdir().unwrap();
    write_post(dir.path());
    let config = SiteConfig {
        raw_html: "drop".into(),
        ..embedding_youtube()
    };
    let (_, _, page) = get(site_from(dir.path(), config), "/blog/html").await;
    assert!(page.contains("<em>Markdown</em>"), "{page}");
    for gone in ["<details", "<table", "<sup", "<iframe", "<progress"] {
        assert!(!page.contains(gone), "{gone} served:\n{page}");
    }
}

#[test]
fn check_lists_each_removal_with_file_and_line_and_passes() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    write_post(&content);
    // The post's `/pic.png` and `/pic@2x.png`, in the static folder.
    common::write(&dir.path().join("static"), "pic.png", "png");
    common::write(&dir.path().join("static"), "pic@2x.png", "png");
    let output = common::quire_command(&[])
        .current_dir(dir.path())
        .env("QUIRE_EMBED_HOSTS", "[\"www.youtube.com\"]")
        .env_remove("QUIRE_RAW_HTML")
        .arg("check")
        .arg("--content")
        .arg(&content)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    // The body starts on line 5 of the file: the refused iframe is on line 24.
    for line in [
        "html: html.md:24: raw HTML removed: `<iframe src=\"https://www.youtube.com.evil.example/embed/abc\">` (fix: add \"www.youtube.com.evil.example\" to `embed_hosts` in quire.toml)",
        "html: html.md:26: raw HTML removed: the `onclick` attribute of `<p>`",
        "html: html.md:26: raw HTML removed: `<script>` and its content",
    ] {
        assert!(stdout.contains(line), "{line} missing:\n{stdout}");
    }
    assert!(
        stdout.contains("1 posts OK, 0 errors, 0 warnings, 3 raw HTML removals"),
        "{stdout}"
    );
}
