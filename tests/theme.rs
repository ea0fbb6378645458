//! The theme an owner sets without touching Rust (docs/THEMING.md): the
//! settings of `quire.toml` on every page (logo, favicon set, accent,
//! fonts, layout, dates, links, footer, social icons), a low-contrast
//! accent refused by `quire check` and `serve` with the pair and the ratio,
//! and the partials of `content/_partials/`: shown, sanitised, live, and
//! never a post.

mod common;

#[path = "support/in_process.rs"]
mod in_process;

use std::path::Path;
use std::process::Command;

use axum::http::StatusCode;
use in_process::{get, site_from};
use quire::server::theme::Theme;
use quire::server::{SiteConfig, http};

/// `site/content` with three posts in two categories.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    for (title, date, category) in [
        ("First", "2026-03-08", "rust"),
        ("Second", "2026-03-09", "rust"),
        ("Third", "2026-03-10", "web"),
    ] {
        let extra = format!("categories = [\"{category}\"]\n");
        let name = format!("{}.md", title.to_lowercase());
        common::write(&content, &name, &common::post(title, date, &extra));
    }
    dir
}

/// Files the settings name: two logos and a favicon source.
fn theme_files(dir: &Path) {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"32\"><rect width=\"120\" height=\"32\"/></svg>";
    common::write(dir, "brand/logo.svg", svg);
    common::write(
        dir,
        "brand/logo-dark.svg",
        &svg.replace("<rect", "<rect fill=\"#fff\""),
    );
    image::RgbImage::from_pixel(600, 600, image::Rgb([107, 47, 179]))
        .save(dir.join("brand/icon.png"))
        .unwrap();
}

fn themed_config(dir: &Path) -> SiteConfig {
    let text = format!(
        r##"
title = "Notes & Co"
logo = "{0}/brand/logo.svg"
logo_dark = "{0}/brand/logo-dark.svg"
favicon = "{0}/brand/icon.png"
accent = "#6b2fb3"
font_text = "Georgia, 'Times New Roman', serif"
card_layout = "list"
date_format = "%d %B %Y"
home_page_size = 2
footer = "Licensed [CC BY](https://creativecommons.org/licenses/by/4.0/)."

[[header_links]]
title = "Talks"
url = "/talks"

[[social]]
kind = "mastodon"
url = "https://social.example/@ada"

[[social]]
label = "Now"
url = "/now"
"##,
        dir.display()
    );
    let no_env = |_: &str| None;
    quire::server::config::parse(&text, Path::new("quire.toml"), &no_env)
        .unwrap()
        .0
}

/// The site of `dir` with `config`, its theme loaded as `serve` loads it.
fn themed_app(dir: &Path, config: SiteConfig) -> http::App {
    let content = dir.join("content");
    let site = site_from(&content, config.clone());
    let theme = Theme::load(&config, &content).unwrap();
    site.theme.set(theme);
    http::router(site)
}

fn address_after<'a>(html: &'a str, marker: &str) -> &'a str {
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker}: {html}"))
        + marker.len();
    let end = start + html[start..].find('"').unwrap();
    &html[start..end]
}

/// The text of each `<time>` of `html`.
fn times(html: &str) -> Vec<String> {
    html.split("<time ")
        .skip(1)
        .filter_map(|rest| Some(rest[rest.find('>')? + 1..rest.find("</time>")?].to_string()))
        .collect()
}

#[tokio::test]
async fn the_settings_appear_on_every_page() {
    let dir = tree();
    theme_files(dir.path());
    let app = themed_app(dir.path(), themed_config(dir.path()));
    let home = get(app.clone(), "/").await;
    assert_eq!(home.status, StatusCode::OK);
    let html = &home.body;
    // The logos, sized, their alt the title; the title's text replaced.
    assert!(
        html.contains("class=\"site-logo site-logo-light\""),
        "{html}"
    );
    assert!(
        html.contains("width=\"120\" height=\"32\" alt=\"Notes &amp; Co\""),
        "{html}"
    );
    assert!(
        html.contains("class=\"site-logo site-logo-dark\""),
        "{html}"
    );
    // The favicon set and manifest instead of Quire's icon.
    assert!(
        html.contains("sizes=\"32x32\"") && html.contains("rel=\"apple-touch-icon\""),
        "{html}"
    );
    assert!(
        !html.contains("favicon.svg"),
        "Quire's icon is replaced: {html}"
    );
    let icon = get(
        app.clone(),
        &format!(
            "/_theme/favicon-32-{}",
            address_after(html, "/_theme/favicon-32-")
        ),
    )
    .await;
    assert_eq!(
        (icon.status, icon.header("content-type")),
        (StatusCode::OK, "image/png")
    );
    let manifest = get(
        app.clone(),
        &format!(
            "/_theme/manifest-{}",
            address_after(html, "/_theme/manifest-")
        ),
    )
    .await;
    assert!(
        manifest.body.contains("\"name\":\"Notes & Co\""),
        "{}",
        manifest.body
    );
    // The generated stylesheet, before the owner's, with the settings.
    let sheet = format!("/_theme/theme-{}", address_after(html, "/_theme/theme-"));
    let css = get(app.clone(), &sheet).await;
    assert_eq!(css.header("content-type"), "text/css; charset=utf-8");
    assert!(css.header("cache-control").contains("immutable"));
    assert!(css.body.contains("--accent: #6b2fb3;"), "{}", css.body);
    assert!(
        css.body
            .contains("--font-text: Georgia, 'Times New Roman', serif;")
    );
    assert!(
        css.body
            .contains(".cards { grid-template-columns: minmax(0, 1fr); }")
    );
    let policy = home.header("content-security-policy");
    assert!(
        policy.contains("style-src 'self';"),
        "no inline <style> is needed: {policy}"
    );
    // Links, footer, social icons, dates, the home page's size.
    assert!(html.contains(">Talks</a>"), "{html}");
    assert!(
        html.contains(
            "Licensed <a href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY</a>."
        ),
        "{html}"
    );
    assert!(!html.contains("Served by Quire"), "{html}");
    assert!(html.contains("<svg class=\"social-icon\""), "{html}");
    assert!(
        html.contains(">Mastodon</a>") && html.contains(">Now</a>"),
        "{html}"
    );
    assert!(times(html).contains(&"10 March 2026".into()), "{html}");
    assert_eq!(
        html.matches("class=\"card\"").count(),
        2,
        "home_page_size = 2"
    );
    let rust = get(app.clone(), "/category/rust").await;
    assert_eq!(rust.status, StatusCode::OK, "{}", rust.body);
    assert!(
        times(&rust.body).contains(&"09 March 2026".into()),
        "{}",
        rust.body
    );
    let second = get(app.clone(), "/blog/second").await;
    assert!(
        times(&second.body).contains(&"09 March 2026".into()),
        "{}",
        second.body
    );
}

#[tokio::test]
async fn without_settings_nothing_changes() {
    let dir = tree();
    let app = http::router(site_from(
        &dir.path().join("content"),
        SiteConfig::default(),
    ));
    let html = get(app, "/").await.body;
    assert!(!html.contains("/_theme/"), "{html}");
    assert!(
        html.contains("favicon.svg") && html.contains("Served by Quire"),
        "{html}"
    );
    assert_eq!(html.matches("class=\"card\"").count(), 3);
}

fn quire(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quire"));
    command.current_dir(dir);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("QUIRE_") {
            command.env_remove(&name);
        }
    }
    command
}

#[test]
fn a_low_contrast_accent_is_refused_by_check_and_serve() {
    let dir = tree();
    let expected = "accent #ffee00 on background #ffffff: contrast 1.2:1, below 4.5:1 (WCAG AA); choose a darker accent";
    std::fs::write(dir.path().join("quire.toml"), "accent = \"#ffee00\"\n").unwrap();
    let check = quire(dir.path())
        .args(["check", "--content", "content"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("`accent` in quire.toml: {expected}")),
        "{err}"
    );
    std::fs::remove_file(dir.path().join("quire.toml")).unwrap();
    let serve = quire(dir.path())
        .args([
            "serve",
            "--content",
            "content",
            "--data",
            "data",
            "--addr",
            "127.0.0.1:0",
        ])
        .env("QUIRE_ACCENT_DARK", "#1f5fbf")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&serve.stderr);
    assert_eq!(serve.status.code(), Some(2), "{err}");
    assert!(
        err.contains("QUIRE_ACCENT_DARK: accent #1f5fbf on background #121417: contrast 3.0:1, below 4.5:1 (WCAG AA); choose a lighter accent"),
        "{err}"
    );
}

#[test]
fn a_missing_logo_stops_serve_and_fails_check_naming_it() {
    let dir = tree();
    let serve = quire(dir.path())
        .args([
            "serve",
            "--content",
            "content",
            "--data",
            "data",
            "--addr",
            "127.0.0.1:0",
        ])
        .env("QUIRE_LOGO", "brand/nope.svg")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&serve.stderr);
    assert_eq!(serve.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot use brand/nope.svg as the `logo`"),
        "{err}"
    );
    let check = quire(dir.path())
        .args(["check", "--content", "content"])
        .env("QUIRE_LOGO", "brand/nope.svg")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{out}");
    assert!(
        out.contains("cannot use brand/nope.svg as the `logo`"),
        "{out}"
    );
}

#[test]
fn partials_show_live_and_are_never_posts() {
    let dir = tree();
    let content = dir.path().join("content");
    let partials = content.join("_partials");
    common::write(&partials, "footer.md", "Footer **one**.");
    common::write(
        &partials,
        "article_end.html",
        "<div class=\"newsletter\">Subscribe<script>x()</script></div>",
    );
    common::write(&partials, "404.md", "Nothing here; try the [archive](/).");
    common::write(
        &partials,
        "header.md",
        "+++\ntitle = \"Not a post\"\n+++\nA banner.",
    );
    let server = common::Server::start(&content, &dir.path().join("data"));
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(
        home.contains("<div class=\"partial partial-footer\"><p>Footer <strong>one</strong>.</p>"),
        "{home}"
    );
    assert!(home.contains("partial partial-header"), "{home}");
    assert_eq!(
        home.matches("class=\"card\"").count(),
        3,
        "a partial is not listed: {home}"
    );
    let (_, post) = server.get("/blog/first");
    assert!(
        post.contains(
            "<div class=\"partial partial-article-end\"><div class=\"newsletter\">Subscribe</div>"
        ),
        "{post}"
    );
    assert!(!post.contains("x()"), "sanitised like a post");
    let (status, missing) = server.get("/nope");
    assert_eq!(status, 404);
    assert!(
        missing.contains("Nothing here; try the <a href=\"/\">archive</a>."),
        "{missing}"
    );
    for path in [
        "/_partials/footer",
        "/blog/footer",
        "/footer",
        "/not-a-post",
    ] {
        assert_eq!(server.get(path).0, 404, "{path}");
    }
    // Cached now; an edit shows without a restart.
    assert_eq!(server.get("/").1, home);
    std::fs::write(partials.join("footer.md"), "Footer **two**.").unwrap();
    server.wait_for("/", "the edited footer", |_, body| {
        body.contains("Footer <strong>two</strong>.")
    });
    server.wait_for("/blog/first", "the edited footer on a post", |_, body| {
        body.contains("Footer <strong>two</strong>.")
    });
}

/// The address of the logo a page shows.
fn logo_address(page: &str) -> String {
    let at = page.find("/_theme/logo-").expect("a logo");
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

#[test]
fn a_changed_logo_shows_live_and_a_broken_one_keeps_the_last_good() {
    let dir = tree();
    theme_files(dir.path());
    let settings = dir.path().join("quire.toml");
    let logo = dir.path().join("brand/logo.svg");
    std::fs::write(&settings, format!("logo = \"{}\"\n", logo.display())).unwrap();
    let content = dir.path().join("content");
    let config = settings.to_string_lossy().into_owned();
    let server =
        common::Server::start_with(&content, &dir.path().join("data"), &["--config", &config]);
    let first = logo_address(&server.get("/").1);
    let wider = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"32\"/>";
    std::fs::write(&logo, wider).unwrap();
    let page = server.wait_for("/blog/first", "the new logo", |_, body| {
        body.contains("/_theme/logo-") && logo_address(body) != first
    });
    let second = logo_address(&page);
    assert!(
        page.contains("width=\"200\""),
        "its size read again: {page}"
    );
    assert_eq!(server.get(&second), (200, wider.to_string()));
    assert_eq!(server.get(&first).0, 404, "the old bytes are gone");
    std::fs::write(&logo, "not an image").unwrap();
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(
        logo_address(&server.get("/").1),
        second,
        "the last good one"
    );
}

#[test]
fn check_names_partial_problems_with_file_and_line() {
    let dir = tree();
    let partials = dir.path().join("content/_partials");
    common::write(
        &partials,
        "footer.html",
        "<p>ok</p>\n<p onclick=\"x()\">two</p>\n",
    );
    common::write(&partials, "header.md", "a");
    common::write(&partials, "header.html", "b");
    let check = quire(dir.path())
        .args(["check", "--content", "content"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{out}");
    assert!(
        out.contains("html: _partials/footer.html:2: raw HTML removed:"),
        "{out}"
    );
    assert!(
        out.contains(
            "error: _partials/header.html: both _partials/header.md and _partials/header.html exist"
        ),
        "{out}"
    );
    assert!(out.contains("3 posts OK"), "partials are not posts: {out}");
}
