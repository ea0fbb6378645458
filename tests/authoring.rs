//! What authors write beyond plain Markdown, end to end: formulas served as
//! MathML (no JavaScript), Zola/Hugo shortcodes rendered or shown as
//! written, and both reported by `quire check` with the file's line.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use quire::content::RenderOptions;
use quire::server::{Site, SiteConfig, http};
use quire::store::Store;
use tower::ServiceExt;

const MATH: &str = "+++\ntitle = \"Math\"\ndate = 2026-01-02\n+++\n\nEnergy is $E=mc^2$, for $5 or $10.\n\n$$\\sum_{i=1}^n i$$\n\nBroken: $\\frac{1}{$ here.\n";

const SHORTCODES: &str = "+++\ntitle = \"Codes\"\ndate = 2026-01-03\n+++\n\nA video:\n\n{{< youtube abc >}}\n\n{{ figure(src=\"a.png\", caption=\"C\") }}\n\n{{< chart >}}\n";

fn content() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "math.md", MATH);
    common::write(dir.path(), "codes.md", SHORTCODES);
    dir
}

fn site(root: &Path) -> http::App {
    let public = tempfile::tempdir().unwrap().keep();
    // SAFETY: set before the router (which reads it) is built; every test
    // of this binary sets a directory that stays.
    unsafe { std::env::set_var("DIOXUS_PUBLIC_PATH", public) };
    let store = Store::temporary().unwrap();
    let report =
        quire::store::sync::sync_all(&store, root, &RenderOptions::default(), &|| {}).unwrap();
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    let site = Arc::new(Site::new(store, SiteConfig::default(), root.to_path_buf()));
    site.rebuild_search().unwrap();
    http::router(site)
}

async fn get(app: &http::App, path: &str) -> (StatusCode, String) {
    let response = app
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn formulas_are_served_as_mathml_in_pages_and_feeds() {
    let dir = content();
    let app = site(dir.path());
    let (status, page) = get(&app, "/blog/math").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<math><mi>E</mi>"), "{page}");
    assert!(page.contains("<math display=\"block\">"), "{page}");
    assert!(!page.contains("$$"), "{page}");
    assert!(page.contains("for $5 or $10."), "prices stay prose: {page}");
    assert!(
        page.contains("<code class=\"math-error\">\\frac{1}{</code>"),
        "{page}"
    );
    let (_, feed) = get(&app, "/atom.xml").await;
    assert!(
        feed.contains("&lt;math display=&quot;block&quot;&gt;")
            || feed.contains("<math display=\"block\">"),
        "{feed}"
    );
    let (_, found) = get(&app, "/api/search?q=energy&limit=5").await;
    assert!(found.contains("\"math\""), "{found}");
    assert!(
        !found.contains("<mi>") && !found.contains("&lt;mi"),
        "{found}"
    );
}

#[tokio::test]
async fn known_shortcodes_render_and_unknown_ones_are_shown() {
    let dir = content();
    let app = site(dir.path());
    let (status, page) = get(&app, "/blog/codes").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<a href=\"https://www.youtube.com/watch?v=abc\">"),
        "{page}"
    );
    assert!(!page.contains("<iframe"), "{page}");
    assert!(
        page.contains("<figure><img loading=\"lazy\" src=\"/blog/codes/a.png\""),
        "{page}"
    );
    assert!(page.contains("<figcaption>C</figcaption>"), "{page}");
    assert!(
        page.contains("<code class=\"shortcode\">{{&lt; chart &gt;}}</code>"),
        "{page}"
    );
}

#[test]
fn check_reports_broken_formulas_and_unknown_shortcodes_by_line() {
    let dir = content();
    let output = Command::new(env!("CARGO_BIN_EXE_quire"))
        .arg("check")
        .arg("--content")
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "warnings only: {stdout}");
    assert!(
        stdout.contains("math.md:10: the formula `\\frac{1}{`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("codes.md:12: the shortcode `{{< chart >}}`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("fix: replace the shortcode with Markdown or HTML"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 posts OK, 0 errors, 2 warnings"),
        "{stdout}"
    );
}
