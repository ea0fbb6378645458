//! The HTTP surface, in process: pages are complete on first byte, unknown
//! things get a styled 404, and files beside bundle posts are served safely.

mod common;
#[path = "support/in_process.rs"]
mod in_process;

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use in_process::site_from;
use quire::server::{Site, SiteConfig, http};
use tower::ServiceExt;

/// The shared site of most tests, built once from a small content tree.
fn app() -> http::App {
    static SITE: OnceLock<(tempfile::TempDir, Arc<Site>)> = OnceLock::new();
    let (_dir, site) = SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        common::write(
            &root,
            "alpha.md",
            &common::post(
                "Alpha & <Omega>",
                "2026-02-01",
                "category = \"Databases\"\ntags = [\"sql\", \"rust\"]\n",
            ),
        );
        common::write(
            &root,
            "beta.md",
            &common::post(
                "Beta",
                "2026-01-01",
                "category = \"Rust\"\ntags = [\"rust\"]\n",
            ),
        );
        common::write(
            &root,
            "draft.md",
            &common::post("Secret draft", "2026-03-01", "draft = true\n"),
        );
        common::write(
            &root,
            "pics/index.md",
            &common::post("Pictures", "2025-12-01", "")
                .replace("More text.", "![diagram](figure.svg)"),
        );
        common::write(
            &root,
            "pics/figure.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
        let config = SiteConfig {
            page_size: 2,
            ..SiteConfig::default()
        };
        let site = site_from(&root, config);
        (dir, site)
    });
    http::router(site.clone())
}

async fn get(path: &str) -> (StatusCode, String, String) {
    get_from(app(), path).await
}

async fn get_from(app: http::App, path: &str) -> (StatusCode, String, String) {
    let answer = in_process::get(app, path).await;
    let content_type = answer.header("content-type").to_string();
    (answer.status, content_type, answer.body)
}

#[tokio::test]
async fn index_is_server_rendered_newest_first() {
    let (status, _, body) = get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("3 articles"), "count missing");
    let alpha = body
        .find("Alpha &#38; &#60;Omega&#62;")
        .expect("escaped title of the newest post");
    let beta = body.find(">Beta<").expect("second post");
    assert!(alpha < beta, "newest first");
    assert!(!body.contains("Secret draft"), "drafts are hidden");
    assert!(body.contains("href=\"/blog/alpha\""));
}

#[tokio::test]
async fn category_filter_renders_without_javascript() {
    let (status, _, body) = get("/?category=databases").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("1 article in Databases"), "filtered count");
    assert!(!body.contains(">Beta<"));
}

#[tokio::test]
async fn unknown_category_is_an_empty_state_with_404() {
    let (status, _, body) = get("/?category=no-such-thing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("No articles match"));
    assert!(body.contains("Show all articles"));
}

#[tokio::test]
async fn malformed_query_strings_are_ignored() {
    let (status, _, body) = get("/?%%%&&tag&=&category").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("3 articles"));
}

#[tokio::test]
async fn article_is_complete_in_the_first_response() {
    let (status, _, body) = get("/blog/beta").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<title>Beta — Blog</title>"), "title tag");
    assert!(body.contains("Intro paragraph for Beta."), "body");
    assert!(body.contains("id=\"section\""), "heading anchors");
    assert!(body.contains("href=\"#section\""), "table of contents");
    assert!(
        body.contains("href=\"/blog/alpha\""),
        "link to the newer post"
    );
}

#[tokio::test]
async fn unknown_slug_and_path_get_a_styled_404() {
    for path in ["/blog/nope", "/blog/draft", "/no/such/page"] {
        let (status, content_type, body) = get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            content_type.starts_with("text/html"),
            "{path}: {content_type}"
        );
        assert!(
            body.contains("Page not found") && body.contains("site-header"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn files_beside_a_bundle_post_are_served_and_nothing_else() {
    let (status, content_type, body) = get("/blog/pics/figure.svg").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "image/svg+xml");
    assert!(body.starts_with("<svg"));
    let (_, _, page) = get("/blog/pics").await;
    assert!(
        page.contains("src=\"/blog/pics/figure.svg\""),
        "relative image rewritten"
    );
    for path in [
        "/blog/pics/index.md",
        "/blog/pics/..%2F..%2Falpha.md",
        "/blog/pics/%2e%2e/alpha.md",
        "/blog/alpha/figure.svg",
    ] {
        let (status, _, _) = get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn listings_paginate() {
    let (_, _, first) = get("/").await;
    assert!(first.contains(">Beta<") && !first.contains(">Pictures<"));
    assert!(first.contains("href=\"/page/2\""), "link to page 2");
    let (status, _, second) = get("/page/2").await;
    assert_eq!(status, StatusCode::OK);
    assert!(second.contains(">Pictures<") && !second.contains(">Beta<"));
    assert!(second.contains("3 articles"), "count covers every page");
    let (status, _, _) = get("/page/zero").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn category_and_tag_pages_render() {
    let (status, _, body) = get("/category/databases").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("1 article in Databases"));
    let (status, _, body) = get("/tags/rust").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("2 articles tagged #rust"));
    let (status, _, body) = get("/tags/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Show all articles"));
}

#[tokio::test]
async fn search_page_renders_ranked_highlighted_results() {
    let (status, _, body) = get("/search?q=omeg").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("1 article matches"), "prefix match");
    assert!(
        body.contains("&#60;</span><mark>Omega</mark><span>&#62;"),
        "hit highlighted, title escaped"
    );
    let (_, _, body) = get("/search?q=Secret").await;
    assert!(body.contains("No articles match"), "drafts are not found");
    for query in [
        "%22%22",
        "a%20AND%20(",
        "%F0%9F%A6%80",
        "%3Cscript%3Ealert(1)",
        "%%%",
    ] {
        let (status, _, body) = get(&format!("/search?q={query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert!(!body.contains("<script>alert"), "{query}");
    }
}

/// The query string is decoded exactly once, as a browser's form encoded
/// it: the router's own decoding pass must not reach the search
/// (`fuzz/corpus/routing/crash-search-plus-sign-hex`).
#[tokio::test]
async fn search_page_searches_what_the_form_sent() {
    for (sent, typed) in [
        ("c%2B%2B", "c++"),
        ("rust+async", "rust async"),
        ("a%26b&page=2", "a&#38;b"),
        ("%2541", "%41"),
        ("100%25+sure", "100% sure"),
        ("%+a", "% a"),
    ] {
        let (status, _, body) = get(&format!("/search?q={sent}")).await;
        assert_eq!(status, StatusCode::OK, "{sent}");
        assert!(
            body.contains(&format!("value=\"{typed}\"")),
            "{sent}: the search box shows {typed:?}"
        );
        assert!(
            body.contains(&format!("match “{typed}”")),
            "{sent}: the page searched for {typed:?}"
        );
    }
}

#[tokio::test]
async fn unknown_slug_suggests_the_nearest_posts() {
    let (status, _, body) = get("/blog/alpha-omega-post").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("href=\"/blog/alpha\""), "suggestion");
}

#[tokio::test]
async fn article_carries_structured_data() {
    let (_, _, body) = get("/blog/alpha").await;
    let tag = body.find("application/ld+json").unwrap();
    let start = tag + body[tag..].find('>').unwrap() + 1;
    let end = start + body[start..].find("</script>").unwrap();
    let json: serde_json::Value = serde_json::from_str(&body[start..end]).unwrap();
    let posting = &json["@graph"][0];
    assert_eq!(posting["headline"], "Alpha & <Omega>");
    assert_eq!(posting["datePublished"], "2026-02-01");
    assert!(posting["url"].as_str().unwrap().ends_with("/blog/alpha"));
    assert!(body.contains("rel=\"canonical\""));
}

#[tokio::test]
async fn api_returns_json() {
    let (status, content_type, body) = get("/api/search?q=beta&limit=5").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["hits"][0]["slug"], "beta");
}

/// A request missing an argument is the client's fault (400), and the
/// answer names the request and the argument, not a failure of the
/// server's "results".
#[tokio::test]
async fn an_api_request_missing_an_argument_is_told_which() {
    let (status, content_type, body) = get("/api/search?q=beta").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let error = json["error"].as_str().unwrap();
    assert!(error.starts_with("GET /api/search: "), "{error}");
    assert!(error.contains("missing field `limit`"), "{error}");
    assert!(!error.contains("results"), "{error}");
}

/// The requests `src/api/client.rs` sends from the browser (paths, query
/// encoding, the POST body shape) decode into the types the views expect.
#[tokio::test]
async fn api_answers_the_requests_the_browser_client_sends() {
    use quire::model::{ListingPage, Post, PostSummary, SearchResults, SiteMeta};

    let (status, _, body) = get("/api/site").await;
    assert_eq!(status, StatusCode::OK);
    let site: SiteMeta = serde_json::from_str(&body).unwrap();
    assert!(!site.title.is_empty());

    let response = app()
        .oneshot(
            Request::post("/api/listing")
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .body(Body::from(
                    r#"{"query":{"category":null,"tags":["rust"],"page":1}}"#,
                ))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let page: ListingPage = serde_json::from_slice(&body).unwrap();
    let slugs: Vec<&str> = page.posts.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(slugs, ["alpha", "beta"]);

    let (_, _, body) = get("/api/post/alpha").await;
    let post: Option<Post> = serde_json::from_str(&body).unwrap();
    assert_eq!(post.unwrap().summary.title, "Alpha & <Omega>");
    let (_, _, body) = get("/api/post/no%20such%20post").await;
    assert_eq!(serde_json::from_str::<Option<Post>>(&body).unwrap(), None);

    // encodeURIComponent of `Alpha & <Omega>`.
    let (_, _, body) = get("/api/search?q=Alpha%20%26%20%3COmega%3E&limit=8").await;
    let results: SearchResults = serde_json::from_str(&body).unwrap();
    assert_eq!(results.hits[0].slug, "alpha");

    let (_, _, body) = get("/api/suggest?path=%2Fblog%2Fbeta-post").await;
    let suggestions: Vec<PostSummary> = serde_json::from_str(&body).unwrap();
    assert_eq!(suggestions[0].slug, "beta");
}

#[tokio::test]
async fn health_check_answers() {
    let (status, _, body) = get("/healthz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
}

/// The bytes of Dioxus's hydration data in a page (base64 in an inline
/// script), decoded.
fn hydration_data(html: &str) -> Vec<u8> {
    use base64::Engine;
    let marker = "initial_dioxus_hydration_data=\"";
    let Some(start) = html.find(marker) else {
        return Vec::new();
    };
    let rest = &html[start + marker.len()..];
    let encoded = &rest[..rest.find('"').unwrap()];
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap()
}

/// One page of each kind the views render: index, article, search,
/// category and the 404 page.
const PAGE_KINDS: [&str; 5] = [
    "/",
    "/blog/beta",
    "/search?q=rust",
    "/category/rust",
    "/nope",
];

/// Nothing in the browser hydrates the views (the islands client fetches
/// what it shows), so pages must not carry a serialized copy of the post,
/// the listing or the site settings: on the demo index that copy was 16 KB
/// of base64, a third of the page.
#[tokio::test]
async fn pages_carry_no_serialized_copy_of_their_data() {
    for path in PAGE_KINDS {
        let (_, _, body) = get(path).await;
        let data = hydration_data(&body);
        assert!(
            data.len() < 200,
            "{path}: {} bytes of hydration data",
            data.len()
        );
    }
}

/// The client mounts islands into the server's markup and hydrates
/// nothing, so what Dioxus writes for hydration is taken off every page:
/// on a listing page it was 40% of the HTML.
#[tokio::test]
async fn pages_carry_no_hydration_markers() {
    for path in PAGE_KINDS {
        let (_, _, body) = get(path).await;
        assert!(body.contains("</main>"), "{path}: {body}");
        for residue in [
            "data-node-hydration",
            "<!--node-id",
            "<!--#-->",
            "<!--placeholder",
            "window.hydrate_queue",
            "initial_dioxus_hydration_data",
        ] {
            assert!(!body.contains(residue), "{path} carries {residue}: {body}");
        }
    }
}

/// Sites are values: two in one process serve their own content and
/// settings side by side (a process-wide site served the first to either).
#[tokio::test]
async fn two_sites_serve_side_by_side_in_one_process() {
    let mut sites = Vec::new();
    for (name, post) in [("First", "Apples"), ("Second", "Pears")] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        common::write(&root, "a.md", &common::post(post, "2026-01-01", ""));
        let config = SiteConfig {
            title: format!("{name} blog"),
            ..SiteConfig::default()
        };
        sites.push((dir, name, post, http::router(site_from(&root, config))));
    }
    for (_dir, name, post, router) in &sites {
        let (status, _, html) = get_from(router.clone(), "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&format!("{name} blog")), "{name}: {html}");
        assert!(html.contains(post), "{name} lists its own post");
        let (status, _, json) = get_from(router.clone(), "/api/search?q=pears&limit=5").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(json.contains("Pears"), *post == "Pears", "{name}: {json}");
        let (_, _, feed) = get_from(router.clone(), "/atom.xml").await;
        assert!(feed.contains(&format!("{name} blog")), "{name}: {feed}");
    }
}

/// Copy buttons are a reader's tool added to the page at render: the
/// article has one per code block, the feeds (read from the same stored
/// HTML) have none.
#[tokio::test]
async fn copy_buttons_are_on_pages_and_never_in_feeds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("content");
    let body = "Intro.\n\n```rust\nfn main() {}\n```\n";
    common::write(
        &root,
        "code.md",
        &common::post("Code", "2026-01-01", "").replace("More text.", body),
    );
    let router = http::router(site_from(&root, SiteConfig::default()));
    let (status, _, page) = get_from(router.clone(), "/blog/code").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page.matches("class=\"copy-code\"").count(), 1, "{page}");
    for feed in ["/atom.xml", "/rss.xml", "/feed.json"] {
        let (status, _, body) = get_from(router.clone(), feed).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("fn"), "{feed} carries the code: {body}");
        assert!(
            !body.contains("copy-code"),
            "{feed} carries a button: {body}"
        );
    }
}
