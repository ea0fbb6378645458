//! Authors and series at the HTTP level: bylines, author pages and their
//! feeds, authors in the site's feeds and JSON-LD, the series box.

mod common;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use quire::content::RenderOptions;
use quire::server::config::AuthorProfile;
use quire::server::{Site, SiteConfig, http};
use quire::store::Store;
use tower::ServiceExt;

const SERIES: &str = "series = \"Rust from scratch\"\n";

/// Five posts: two by Alice and one by both in a series, one by Bob, one
/// by nobody, and a draft by Alice.
fn app() -> http::App {
    static SITE: OnceLock<(tempfile::TempDir, tempfile::TempDir, Arc<Site>)> = OnceLock::new();
    let (_, _, site) = SITE.get_or_init(|| {
        let public = tempfile::tempdir().unwrap();
        // SAFETY: set once, before any router (which reads it) is built.
        unsafe { std::env::set_var("DIOXUS_PUBLIC_PATH", public.path()) };
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        let alice = format!("authors = [\"alice\"]\n{SERIES}");
        common::write(
            &root,
            "part-one.md",
            &common::post("Part One", "2026-01-01", &alice),
        );
        common::write(
            &root,
            "part-two.md",
            &common::post("Part Two", "2026-02-01", &alice),
        );
        let both = format!("authors = [\"alice\", \"Bob Stone\"]\n{SERIES}");
        common::write(
            &root,
            "finale.md",
            &common::post("Finale", "2026-03-01", &both),
        );
        common::write(
            &root,
            "bobs.md",
            "---\ntitle: Bob Alone\ndate: 2026-01-15\nauthor: Bob Stone\n---\n\nBy Bob.\n",
        );
        common::write(
            &root,
            "nobody.md",
            &common::post("Anonymous", "2026-01-20", ""),
        );
        let draft = "authors = [\"alice\"]\ndraft = true\n";
        common::write(
            &root,
            "secret.md",
            &common::post("Secret Alice", "2026-03-05", draft),
        );
        let site = site_from(&root, config());
        (public, dir, site)
    });
    http::router(site.clone())
}

fn config() -> SiteConfig {
    let alice = AuthorProfile {
        name: Some("Alice Martin".into()),
        url: Some("https://alice.example/".into()),
        bio: Some("Writes about compilers.".into()),
        avatar: Some("/alice.png".into()),
    };
    SiteConfig {
        page_size: 2,
        base_url: "https://blog.example".into(),
        authors: [("alice".to_string(), alice)].into(),
        ..SiteConfig::default()
    }
}

fn site_from(root: &Path, config: SiteConfig) -> Arc<Site> {
    let store = Store::temporary().unwrap();
    let report =
        quire::store::sync::sync_all(&store, root, &RenderOptions::default(), &|| {}).unwrap();
    assert!(
        report.errors.is_empty() && report.warnings.is_empty(),
        "{report:#?}"
    );
    let site = Arc::new(Site::new(store, config, root.to_path_buf()));
    site.rebuild_search().unwrap();
    site
}

async fn get(path: &str) -> (StatusCode, String) {
    let response = app()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// The text of the first element with `class="<class>"`, tags and all.
fn element<'a>(body: &'a str, class: &str) -> &'a str {
    let start = body
        .find(&format!("class=\"{class}\""))
        .unwrap_or_else(|| panic!("no {class} in {body}"));
    let end = start + body[start..].find("</p>").unwrap_or(body.len() - start);
    &body[start..end]
}

/// Titles of the cards on a listing page, in order.
fn card_titles(body: &str) -> Vec<String> {
    body.match_indices("class=\"card-title\"")
        .map(|(at, _)| {
            let rest = &body[at..];
            let rest = &rest[rest.find("<a ").unwrap()..];
            let rest = &rest[rest.find('>').unwrap() + 1..];
            rest[..rest.find('<').unwrap()].to_string()
        })
        .collect()
}

fn json_ld(body: &str) -> serde_json::Value {
    let tag = body.find("application/ld+json").unwrap();
    let start = tag + body[tag..].find('>').unwrap() + 1;
    let end = start + body[start..].find("</script>").unwrap();
    serde_json::from_str(&body[start..end]).unwrap()
}

#[tokio::test]
async fn the_article_has_a_byline_linking_each_author() {
    let (status, body) = get("/blog/finale").await;
    assert_eq!(status, StatusCode::OK);
    let byline = element(&body, "byline");
    assert!(byline.contains("href=\"/authors/alice\""), "{byline}");
    assert!(
        byline.contains(">Alice Martin<"),
        "configured name: {byline}"
    );
    assert!(byline.contains("href=\"/authors/bob-stone\""), "{byline}");
    assert!(byline.contains(">Bob Stone<"), "id as written: {byline}");
    let (_, anonymous) = get("/blog/nobody").await;
    assert!(!anonymous.contains("class=\"byline\""));
}

#[tokio::test]
async fn index_and_author_cards_carry_bylines() {
    let (_, index) = get("/").await;
    let card = index
        .split("<article class=\"card\"")
        .find(|card| card.contains(">Finale<"))
        .expect("the Finale card");
    assert!(card.contains("class=\"byline\""), "{card}");
    assert!(
        card.contains(">Alice Martin<") && card.contains("href=\"/authors/bob-stone\""),
        "{card}"
    );
    let mut pages = Vec::new();
    for path in ["/", "/page/2", "/page/3"] {
        pages.push(get(path).await.1);
    }
    let anonymous = pages
        .iter()
        .flat_map(|page| page.split("<article class=\"card\""))
        .find(|card| card.contains(">Anonymous<"))
        .expect("the Anonymous card");
    assert!(!anonymous.contains("byline"), "{anonymous}");
    let (_, page) = get("/authors/bob-stone").await;
    assert!(
        page.contains(">Alice Martin<"),
        "co-author named on the card"
    );
}

#[tokio::test]
async fn an_author_page_lists_exactly_their_visible_posts_paginated() {
    let (status, body) = get("/authors/alice").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<h1>Alice Martin</h1>"), "{body}");
    assert!(body.contains("Writes about compilers."));
    assert!(body.contains("src=\"/alice.png\""));
    assert!(body.contains("href=\"https://alice.example/\""));
    assert!(body.contains("href=\"/authors/alice/atom.xml\""));
    assert_eq!(card_titles(&body), ["Finale", "Part Two"]);
    assert!(body.contains("href=\"/authors/alice/page/2\""));
    let (status, second) = get("/authors/alice/page/2").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        card_titles(&second),
        ["Part One"],
        "no draft, no one else's"
    );
    let (_, bob) = get("/authors/bob-stone").await;
    assert!(bob.contains("<h1>Bob Stone</h1>"));
    assert_eq!(card_titles(&bob), ["Finale", "Bob Alone"]);
}

#[tokio::test]
async fn an_unknown_author_is_a_404() {
    for path in [
        "/authors/nobody",
        "/authors/nobody/atom.xml",
        "/authors/secret-alice",
    ] {
        assert_eq!(get(path).await.0, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn the_author_feed_is_atom_with_their_entries() {
    let (status, body) = get("/authors/alice/atom.xml").await;
    assert_eq!(status, StatusCode::OK);
    let feed: atom_syndication::Feed = body.parse().unwrap();
    assert!(
        feed.title.as_str().ends_with("Alice Martin"),
        "{}",
        feed.title.as_str()
    );
    let titles: Vec<&str> = feed.entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["Finale", "Part Two", "Part One"]);
    let finale = &feed.entries[0];
    let names: Vec<&str> = finale.authors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Alice Martin", "Bob Stone"]);
    assert_eq!(
        finale.authors[0].uri.as_deref(),
        Some("https://blog.example/authors/alice")
    );
}

#[tokio::test]
async fn site_feeds_name_each_posts_authors() {
    let (_, atom) = get("/atom.xml").await;
    let feed: atom_syndication::Feed = atom.parse().unwrap();
    let bob = feed
        .entries
        .iter()
        .find(|e| e.title.as_str() == "Bob Alone")
        .unwrap();
    assert_eq!(bob.authors[0].name, "Bob Stone");
    let nobody = feed
        .entries
        .iter()
        .find(|e| e.title.as_str() == "Anonymous")
        .unwrap();
    assert!(nobody.authors.is_empty(), "the feed's own author stands in");
    let (_, rss) = get("/rss.xml").await;
    assert!(
        rss.contains("<dc:creator>Alice Martin</dc:creator>"),
        "{rss}"
    );
    assert!(rss.contains("xmlns:dc=\"http://purl.org/dc/elements/1.1/\""));
    let (_, json) = get("/feed.json").await;
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let finale = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "Finale")
        .unwrap();
    assert_eq!(finale["authors"][0]["name"], "Alice Martin");
    assert_eq!(
        finale["authors"][1]["url"],
        "https://blog.example/authors/bob-stone"
    );
}

#[tokio::test]
async fn json_ld_names_the_authors_or_the_site_author() {
    let (_, body) = get("/blog/finale").await;
    let author = &json_ld(&body)["@graph"][0]["author"];
    assert_eq!(author[0]["@type"], "Person");
    assert_eq!(author[0]["name"], "Alice Martin");
    assert_eq!(author[0]["url"], "https://blog.example/authors/alice");
    assert_eq!(author[1]["name"], "Bob Stone");
    let (_, body) = get("/blog/nobody").await;
    let author = &json_ld(&body)["@graph"][0]["author"];
    assert_eq!(author[0]["name"], SiteConfig::default().author.name);
}

#[tokio::test]
async fn each_part_of_a_series_shows_the_numbered_box() {
    let (_, body) = get("/blog/part-two").await;
    let start = body.find("class=\"series\"").expect("a series box");
    let series = &body[start..start + body[start..].find("</aside>").unwrap()];
    assert!(series.contains("Part 2 of 3: "), "{series}");
    assert!(
        series.contains("<strong>Rust from scratch</strong>"),
        "{series}"
    );
    let one = series
        .find("href=\"/blog/part-one\"")
        .expect("part one linked");
    let two = series
        .find("aria-current=\"page\">Part Two<")
        .expect("this part marked");
    let three = series
        .find("href=\"/blog/finale\"")
        .expect("the finale linked");
    assert!(one < two && two < three, "oldest first: {series}");
    assert!(
        !series.contains("href=\"/blog/part-two\""),
        "the current part is no link"
    );
    let (_, bob) = get("/blog/bobs").await;
    assert!(!bob.contains("class=\"series\""), "no series, no box");
}

#[tokio::test]
async fn the_sitemap_lists_author_pages() {
    let (_, body) = get("/sitemaps/1.xml").await;
    assert!(body.contains("<loc>https://blog.example/authors/alice</loc>"));
    assert!(body.contains("<loc>https://blog.example/authors/bob-stone</loc>"));
}

/// `src/api/client.rs`'s `author` request decodes into the page's type.
#[tokio::test]
async fn the_author_api_answers_the_client_path() {
    let (status, body) = get("/api/author/alice?page=2").await;
    assert_eq!(status, StatusCode::OK);
    let page: Option<quire::model::AuthorPage> = serde_json::from_str(&body).unwrap();
    let page = page.unwrap();
    assert_eq!(page.author.name, "Alice Martin");
    assert_eq!((page.listing.query.page, page.listing.total), (2, 3));
    let (_, body) = get("/api/author/nobody?page=1").await;
    assert_eq!(
        serde_json::from_str::<Option<quire::model::AuthorPage>>(&body).unwrap(),
        None
    );
}
