//! Search and reading time across languages, over HTTP: a small site in
//! English, French, Japanese, Chinese and Arabic (`tests/fixtures/languages/`).
//! Two-character Japanese and Chinese words find their posts, stemming
//! finds other forms of English and French words, typos are forgiven in
//! English as before, the reader's language ranks first, and a Japanese
//! post's reading time counts its characters.

mod common;
#[path = "support/in_process.rs"]
mod in_process;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use in_process::{get, site_from};
use quire::server::{Site, SiteConfig, http};
use tower::ServiceExt;

/// A long Japanese post: 1,496 characters with no space, three minutes
/// at 500 a minute (one minute if only spaces were counted).
fn long_japanese() -> String {
    // 22 characters counted (the two punctuation marks are not).
    let sentence = "朝早く起きて、川沿いの道をゆっくり散歩しました。";
    let body = sentence.repeat(68);
    format!("+++\ntitle = \"長い散歩\"\ndate = 2026-03-10\nlang = \"ja\"\n+++\n\n{body}\n")
}

fn app() -> http::App {
    static SITE: OnceLock<(tempfile::TempDir, Arc<Site>)> = OnceLock::new();
    let (_dir, site) = SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
        for entry in std::fs::read_dir(fixture).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            common::write(&root, &name, &std::fs::read_to_string(&path).unwrap());
        }
        common::write(&root, "walk.md", &long_japanese());
        let site = site_from(&root, SiteConfig::default());
        (dir, site)
    });
    http::router(site.clone())
}

/// The slugs `/api/search` answers for `query` (already encoded), in order,
/// with `accept_language` sent when given.
async fn found(query: &str, accept_language: Option<&str>) -> Vec<String> {
    let mut request = Request::get(format!("/api/search?q={query}&limit=10"));
    if let Some(language) = accept_language {
        request = request.header("accept-language", language);
    }
    let response = app()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let results: serde_json::Value = serde_json::from_slice(&body).unwrap();
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["slug"].as_str().unwrap().to_string())
        .collect()
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn two_character_japanese_and_chinese_words_find_their_posts() {
    assert_eq!(found(&encode("東京"), None).await, ["tokyo"]);
    assert_eq!(found(&encode("抹茶"), None).await, ["kyoto"]);
    assert_eq!(found(&encode("烤鸭"), None).await, ["beijing"]);
    assert_eq!(found(&encode("绿茶"), None).await, ["tea.zh"]);
    assert_eq!(found(&encode("京都"), None).await, ["kyoto"], "not 東京");
    assert!(found(&encode("都京"), None).await.is_empty());
    assert_eq!(
        found(&encode("القاهرة"), None).await,
        ["cairo.ar"],
        "Arabic words"
    );
}

#[tokio::test]
async fn stems_find_other_forms_in_english_and_french() {
    assert_eq!(found("running+", None).await, ["run-every-morning"]);
    assert_eq!(found("chanteuse+", None).await, ["concert.fr"]);
    assert_eq!(found("cheval+", None).await, ["concert.fr"], "chevaux");
    assert_eq!(found("cuisiner+", None).await, ["cuisine"], "cuisinait");
}

#[tokio::test]
async fn english_typos_and_prefixes_are_forgiven_as_before() {
    assert_eq!(
        found("postgers", None).await,
        ["postgres-vacuum"],
        "one typo"
    );
    assert_eq!(found("vacum+", None).await, ["postgres-vacuum"], "one typo");
    assert_eq!(found("autovac", None).await, ["postgres-vacuum"], "prefix");
    assert!(found("pstgrs+", None).await.is_empty(), "two typos");
}

#[tokio::test]
async fn the_reader_s_language_ranks_first() {
    let both = ["concert.fr", "run-every-morning"];
    let fr_first = found("canal&lang=fr", None).await;
    assert_eq!(fr_first, both);
    let en_first = found("canal&lang=en", None).await;
    assert_eq!(en_first, [both[1], both[0]]);
    let browser = found("canal", Some("fr-CH, fr;q=0.9, en;q=0.5")).await;
    assert_eq!(browser, both, "Accept-Language on the API");
    let browser = found("canal", Some("en-GB,en;q=0.9")).await;
    assert_eq!(browser, [both[1], both[0]]);
}

#[tokio::test]
async fn the_search_page_follows_its_lang_parameter() {
    let page = get(app(), "/search?q=canal&lang=fr").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("content-type").starts_with("text/html"));
    let (fr, en) = (page.body.find("Un soir"), page.body.find("Why I run"));
    assert!(fr.unwrap() < en.unwrap(), "{}", page.body);
}

#[tokio::test]
async fn highlights_mark_cjk_matches() {
    let response = app()
        .oneshot(
            Request::get(format!("/api/search?q={}&limit=5", encode("東京")))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let results: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let title = &results["hits"][0]["title"];
    assert_eq!(title[0]["text"], "東京");
    assert_eq!(title[0]["hit"], true);
    let snippet = results["hits"][0]["snippet"].to_string();
    assert!(
        snippet.contains(r#"{"hit":true,"text":"東京"}"#) || snippet.contains(r#""text":"東京""#),
        "{snippet}"
    );
}

#[tokio::test]
async fn a_japanese_post_s_reading_time_counts_its_characters() {
    let page = get(app(), "/blog/walk").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("3 min read"), "{}", page.body);
    let short = get(app(), "/blog/tokyo").await;
    assert!(short.body.contains("1 min read"), "{}", short.body);
}

/// The opening tag of the page's `<article>`.
fn article_tag(body: &str) -> &str {
    let start = body.find("<article").expect("an article");
    &body[start..start + body[start..].find('>').unwrap() + 1]
}

#[tokio::test]
async fn a_post_in_another_language_marks_its_article_with_its_language_and_direction() {
    // `lang` in front matter, no `[languages]`: the site's page, the post's text.
    let kyoto = get(app(), "/blog/kyoto").await;
    assert_eq!(kyoto.status, StatusCode::OK);
    let tag = article_tag(&kyoto.body);
    assert!(
        tag.contains(r#"lang="ja""#) && tag.contains(r#"dir="ltr""#),
        "{tag}"
    );
    assert!(
        kyoto.body.contains(r#""inLanguage":"ja""#),
        "{}",
        kyoto.body
    );
    assert!(
        kyoto.body.contains(r#"<html lang="en">"#),
        "the page around it stays the site's"
    );
    let french = get(app(), "/blog/cuisine").await;
    let tag = article_tag(&french.body);
    assert!(
        tag.contains(r#"lang="fr""#) && tag.contains(r#"dir="ltr""#),
        "{tag}"
    );
    let english = get(app(), "/blog/postgres-vacuum").await;
    let tag = article_tag(&english.body);
    assert!(!tag.contains("lang=") && !tag.contains("dir="), "{tag}");
}

#[tokio::test]
async fn a_suffixed_post_is_a_page_of_its_language() {
    // `cairo.ar.md`: the Arabic pages' post, right to left from `<html>`.
    let arabic = get(app(), "/ar/blog/cairo").await;
    assert_eq!(arabic.status, StatusCode::OK);
    assert!(
        arabic.body.contains(r#"<html lang="ar" dir="rtl">"#),
        "{}",
        arabic.body
    );
    assert!(arabic.body.contains(r#""inLanguage":"ar""#));
    assert_eq!(
        get(app(), "/blog/cairo-ar").await.status,
        StatusCode::NOT_FOUND
    );
    let french = get(app(), "/fr/blog/concert").await;
    assert!(
        french.body.contains(r#"<html lang="fr">"#),
        "{}",
        french.body
    );
}

#[tokio::test]
async fn an_arabic_site_is_right_to_left_from_its_html_element() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("content");
    let cairo = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages/cairo.ar.md");
    common::write(&root, "cairo.md", &std::fs::read_to_string(cairo).unwrap());
    let config = SiteConfig {
        language: "ar".into(),
        ..SiteConfig::default()
    };
    let page = get(http::router(site_from(&root, config)), "/blog/cairo").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(r#"<html lang="ar" dir="rtl">"#),
        "{}",
        page.body
    );
    let tag = article_tag(&page.body);
    assert!(!tag.contains("dir="), "the page says it once: {tag}");
}

/// A site in `language` holding the French fixture posts, with `strings`.
fn french_posts_site(language: &str, strings: &[(&str, &str)]) -> (tempfile::TempDir, http::App) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("content");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    for name in ["concert.fr.md", "cuisine.md"] {
        let text = std::fs::read_to_string(fixtures.join(name)).unwrap();
        // On a French site `.fr` is the site's own language; elsewhere it
        // would make a translation, off the index these tests count.
        let name = match language {
            "fr" => name.to_string(),
            _ => name.replace(".fr.", "."),
        };
        common::write(&root, &name, &text);
    }
    let config = SiteConfig {
        language: language.into(),
        strings: strings
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..SiteConfig::default()
    };
    let app = http::router(site_from(&root, config));
    (dir, app)
}

#[tokio::test]
async fn a_french_site_speaks_french_in_every_interface_word() {
    let (_dir, app) = french_posts_site("fr", &[]);
    let index = get(app.clone(), "/").await;
    for words in [
        "Aller au contenu principal",
        "aria-label=\"Catégories\"",
        ">Tout<",
        "2 articles",
        "min de lecture",
        "4 mars 2026",
        "Lire la suite →",
        "placeholder=\"Rechercher…  /\"",
        "data-to-light=\"Passer au thème clair\"",
        "Propulsé par Quire",
    ] {
        assert!(index.body.contains(words), "index lacks {words:?}");
    }
    for english in ["min read", "Read more", "Skip to main content", "Mar 4"] {
        assert!(
            !index.body.contains(english),
            "index still says {english:?}"
        );
    }
    let missing = get(app.clone(), "/no-such-page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.body.contains("Page introuvable"),
        "{}",
        missing.body
    );
    let search = get(app, "/api/search?q=cuisine&limit=5").await;
    let results: serde_json::Value = serde_json::from_str(&search.body).unwrap();
    assert_eq!(results["status"], "1 résultat");
    assert_eq!(results["all"], "Le seul résultat →");
}

#[tokio::test]
async fn an_arabic_count_takes_the_dual_and_the_owners_strings_win() {
    let (_dir, app) = french_posts_site("ar", &[("read-more", "Continue →")]);
    let index = get(app, "/").await;
    assert!(
        index.body.contains("مقالتان"),
        "two posts in the dual: {}",
        index.body
    );
    assert!(index.body.contains(">Continue →<"), "the owner's words");
    assert!(
        index.body.contains("دقيقة واحدة للقراءة"),
        "one minute, in the singular"
    );
}
