//! The site's `static/` folder (beside `content/`, or `static_dir`),
//! served at the root over HTTP in process: files with their type and
//! validators, a page always first, nothing hidden or outside the folder,
//! a cached 404 giving way to a file added later; images named by a site
//! address sized from it; and `quire check` naming an image address that
//! nothing serves, with its file and line.

mod common;

#[path = "support/in_process.rs"]
mod in_process;

use std::path::Path;
use std::process::Command;

use axum::http::StatusCode;
use in_process::{get, site_from};
use quire::server::{SiteConfig, http};

fn png(path: &Path, width: u32, height: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    image::RgbImage::new(width, height).save(path).unwrap();
}

/// `site/content` with a post and a page, `site/static` with files.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let body = "![chart](/images/chart.png)\n\n![up](../../../shared/up.png)\n";
    let post = common::post("Hello", "2024-01-01", "").replace("More text.", body);
    common::write(&content, "hello.md", &post);
    common::write(
        &content,
        "pages/about.md",
        "+++\ntitle = \"About\"\n+++\nThe page.\n",
    );
    let fixed = dir.path().join("static");
    png(&fixed.join("images/chart.png"), 640, 320);
    png(&fixed.join("shared/up.png"), 10, 10);
    std::fs::write(fixed.join("about"), "a static file named like the page").unwrap();
    std::fs::write(fixed.join("google1234.html"), "google-site-verification").unwrap();
    std::fs::write(fixed.join(".env"), "SECRET=1").unwrap();
    dir
}

fn app(dir: &Path) -> http::App {
    let site = site_from(&dir.join("content"), SiteConfig::default());
    http::router(site)
}

#[tokio::test]
async fn files_of_the_static_folder_are_served_at_the_root() {
    let dir = tree();
    let app = app(dir.path());
    let file = get(app.clone(), "/google1234.html").await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, "google-site-verification");
    assert_eq!(file.header("content-type"), "text/html; charset=utf-8");
    assert!(file.header("etag").starts_with('"'), "{:?}", file.headers);
    let image = get(app.clone(), "/images/chart.png").await;
    assert_eq!(image.status, StatusCode::OK);
    assert_eq!(image.header("content-type"), "image/png");
    assert!(!image.header("content-security-policy").is_empty());
}

#[tokio::test]
async fn a_page_always_wins_and_nothing_hidden_or_outside_is_served() {
    let dir = tree();
    let app = app(dir.path());
    let page = get(app.clone(), "/about").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("The page."), "{}", page.body);
    for path in [
        "/.env",
        "/%2e%2e/static/.env",
        "/images/",
        "/images/../.env",
    ] {
        let answer = get(app.clone(), path).await;
        assert_ne!(answer.status, StatusCode::OK, "{path}");
        assert!(!answer.body.contains("SECRET"), "{path}");
    }
}

#[tokio::test]
async fn a_cached_404_gives_way_to_a_file_added_later() {
    let dir = tree();
    let app = app(dir.path());
    assert_eq!(
        get(app.clone(), "/late.txt").await.status,
        StatusCode::NOT_FOUND
    );
    let again = get(app.clone(), "/late.txt").await;
    assert_eq!(again.header("x-quire-cache"), "hit", "404s are cached");
    std::fs::write(dir.path().join("static/late.txt"), "here now").unwrap();
    let found = get(app, "/late.txt").await;
    assert_eq!(
        (found.status, found.body.as_str()),
        (StatusCode::OK, "here now")
    );
}

#[tokio::test]
async fn images_named_by_a_site_address_are_sized_from_the_static_folder() {
    let dir = tree();
    let page = get(app(dir.path()), "/blog/hello").await;
    assert!(
        page.body.contains("src=\"/images/chart.png\"") && page.body.contains("width=\"640\""),
        "{}",
        page.body
    );
    // `../../../shared/up.png` climbs out of content/: resolved against
    // the page (/blog/hello/) as the browser would, so /shared/up.png.
    assert!(
        page.body.contains("src=\"/shared/up.png\""),
        "{}",
        page.body
    );
}

#[test]
fn check_names_an_image_address_nothing_serves() {
    let dir = tree();
    let content = dir.path().join("content");
    let check = |dir: &Path| {
        let output = Command::new(env!("CARGO_BIN_EXE_quire"))
            .args(["check", "--content"])
            .arg(dir)
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let clean = check(&content);
    assert!(clean.contains("0 errors, 0 warnings"), "{clean}");
    std::fs::remove_file(dir.path().join("static/shared/up.png")).unwrap();
    let broken = check(&content);
    assert!(
        broken.contains("warning: hello.md:12: image `../../../shared/up.png` is fetched from /shared/up.png, which this site does not serve"),
        "{broken}"
    );
    assert!(
        broken.contains("put the file in the site's static/ folder"),
        "{broken}"
    );
}
