//! A site in four languages, over HTTP: the fixture in
//! `tests/fixtures/multilingual/` (English by default, French, Arabic and
//! Japanese, translations written both as `slug.fr.md` and with Hugo's
//! `lang` + `translationKey`). Each language has its own index, pages,
//! categories, feeds and sitemap entries; each translation links its
//! siblings with `hreflang` both ways and `x-default`, and a visible
//! switcher; `<html lang dir>` follows the page; every link on a French
//! page stays French; search finds Japanese words and French stems.

mod common;
#[path = "support/in_process.rs"]
mod in_process;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use axum::http::StatusCode;
use in_process::{Answer, get, site_from};
use quire::server::{Site, http};

const BASE: &str = "http://127.0.0.1:8080";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multilingual")
}

fn app() -> http::App {
    static SITE: OnceLock<Arc<Site>> = OnceLock::new();
    let site = SITE.get_or_init(|| {
        let text = std::fs::read_to_string(fixture().join("quire.toml")).unwrap();
        let no_env = |_: &str| None;
        let (config, _) =
            quire::server::config::parse(&text, Path::new("quire.toml"), &no_env).unwrap();
        site_from(&fixture().join("content"), config)
    });
    http::router(site.clone())
}

async fn page(path: &str) -> Answer {
    let answer = get(app(), path).await;
    assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.body);
    answer
}

/// The opening `<html …>` tag.
fn html_tag(body: &str) -> &str {
    let start = body.find("<html").expect("an html element");
    &body[start..start + body[start..].find('>').unwrap() + 1]
}

/// The page's first heading, with its markup.
fn h1(body: &str) -> &str {
    let start = body.find("<h1").expect("a heading");
    &body[start..start + body[start..].find("</h1>").unwrap()]
}

/// Whether `body` has a `<link rel=alternate>` for `lang` to `url`.
fn has_alternate(body: &str, lang: &str, url: &str) -> bool {
    body.split("<link").any(|tag| {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        tag.contains(r#"rel="alternate""#)
            && tag.contains(&format!(r#"hreflang="{lang}""#))
            && tag.contains(&format!(r#"href="{BASE}{url}""#))
    })
}

const ENGLISH: [&str; 3] = [
    "Collecting Rainwater from the Shed Roof",
    "Tomatoes in a Dry Summer",
    "Keeping a Sourdough Starter Alive",
];
const FRENCH: [&str; 3] = [
    "Un samedi au marché",
    "Des tomates pendant un été sec",
    "Garder un levain en vie",
];

#[tokio::test]
async fn each_language_has_its_own_index_and_pages() {
    let en = page("/").await;
    assert!(en.body.contains(ENGLISH[0]), "{}", en.body);
    for title in FRENCH {
        assert!(!en.body.contains(title), "{title} on the English index");
    }
    assert!(!en.body.contains("自家採種"), "a Japanese-only post");
    let fr = page("/fr").await;
    assert!(fr.body.contains(FRENCH[0]) && fr.body.contains(FRENCH[1]));
    assert!(fr.body.contains("Carnet de terrain"), "the French title");
    for title in ENGLISH {
        assert!(!fr.body.contains(title), "{title} on the French index");
    }
    // Four French posts, three a page: the oldest is alone on page 2.
    let fr2 = page("/fr/page/2").await;
    assert!(fr2.body.contains(FRENCH[2]), "{}", fr2.body);
    assert!(!fr2.body.contains(FRENCH[0]));
    let ja = page("/ja").await;
    assert!(ja.body.contains("自家採種の小さな習慣") && ja.body.contains("古い梁で作業台をつくる"));
    assert!(!ja.body.contains(ENGLISH[0]));
}

#[tokio::test]
async fn html_lang_and_dir_follow_the_page() {
    assert_eq!(html_tag(&page("/").await.body), r#"<html lang="en">"#);
    let fr = page("/fr/blog/sourdough").await;
    assert!(
        html_tag(&fr.body).contains(r#"lang="fr""#),
        "{}",
        html_tag(&fr.body)
    );
    for path in ["/ar", "/ar/blog/sourdough"] {
        let ar = page(path).await;
        let tag = html_tag(&ar.body);
        assert!(
            tag.contains(r#"lang="ar""#) && tag.contains(r#"dir="rtl""#),
            "{path}: {tag}"
        );
    }
    let ar = page("/ar").await;
    assert!(ar.body.contains("ملاحظات ميدانية"), "the Arabic title");
}

#[tokio::test]
async fn translations_link_each_other_both_ways_with_x_default() {
    let en = page("/blog/sourdough").await;
    let fr = page("/fr/blog/sourdough").await;
    for body in [&en.body, &fr.body] {
        assert!(has_alternate(body, "en", "/blog/sourdough"), "{body}");
        assert!(has_alternate(body, "fr", "/fr/blog/sourdough"), "{body}");
        assert!(has_alternate(body, "ar", "/ar/blog/sourdough"));
        assert!(has_alternate(body, "ja", "/ja/blog/sourdough"));
        assert!(has_alternate(body, "x-default", "/blog/sourdough"));
    }
    // Tomatoes have no Japanese version; the compost post has none at all.
    let tomatoes = page("/fr/blog/tomatoes").await;
    assert!(has_alternate(&tomatoes.body, "ar", "/ar/blog/tomatoes"));
    assert!(!tomatoes.body.contains(r#"hreflang="ja" href="http"#));
    let compost = page("/blog/compost").await;
    assert!(!compost.body.contains(r#"hreflang="x-default""#));
}

#[tokio::test]
async fn the_switcher_names_each_translation_in_its_language() {
    let fr = page("/fr/blog/sourdough").await;
    let nav = &fr.body[fr.body.find(r#"class="translations""#).expect("a switcher")..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(nav.contains(r#"href="/blog/sourdough""#), "{nav}");
    assert!(
        nav.contains(r#"href="/ja/blog/sourdough""#) && nav.contains("日本語"),
        "{nav}"
    );
    assert!(
        nav.contains(r#"aria-current="page""#) && nav.contains("Français"),
        "{nav}"
    );
    let header = &fr.body[fr.body.find(r#"class="languages""#).expect("the header's")..];
    assert!(header.contains(r#"href="/ar""#) && header.contains("العربية"));
}

#[tokio::test]
async fn hugo_translation_keys_pair_posts_with_other_names() {
    let en = page("/notes/pruning").await;
    assert!(
        has_alternate(&en.body, "fr", "/fr/notes/taille-des-arbres"),
        "{}",
        en.body
    );
    let fr = page("/fr/notes/taille-des-arbres").await;
    assert!(has_alternate(&fr.body, "en", "/notes/pruning"));
    assert!(html_tag(&fr.body).contains(r#"lang="fr""#));
}

#[tokio::test]
async fn links_on_a_french_page_stay_french() {
    let fr = page("/fr").await;
    assert!(
        fr.body
            .contains(r#"content="Notes d’un petit jardin et d’un atelier""#)
    );
    assert!(fr.body.contains(r#"href="/fr/blog/marche""#), "{}", fr.body);
    assert!(
        fr.body.contains(r#"href="/fr?category=garden""#),
        "the filter"
    );
    assert!(!fr.body.contains(r#"href="/?category=garden""#));
    assert!(fr.body.contains(r#"href="/fr/page/2""#));
    let article = page("/fr/blog/marche").await;
    assert!(
        article.body.contains(r#""inLanguage":"fr""#),
        "{}",
        article.body
    );
    assert!(
        article.body.contains(r#"href="/fr/category/garden""#),
        "the breadcrumb"
    );
    assert!(
        article
            .body
            .contains(&format!(r#""item":"{BASE}/fr/category/garden""#))
    );
    assert!(
        article
            .body
            .contains(&format!(r#""url":"{BASE}/fr/blog/marche""#))
    );
}

#[tokio::test]
async fn categories_and_tags_are_per_language() {
    let fr = page("/fr/category/garden").await;
    assert!(fr.body.contains(FRENCH[0]) && fr.body.contains(FRENCH[1]));
    assert!(!fr.body.contains(ENGLISH[1]), "{}", fr.body);
    let en = page("/category/garden").await;
    assert!(en.body.contains(ENGLISH[1]) && !en.body.contains(FRENCH[1]));
    let tag = page("/fr/tags/pruning").await;
    assert!(tag.body.contains("La taille du vieux pommier"));
    assert!(!tag.body.contains("Pruning the Old Apple Tree"));
}

#[tokio::test]
async fn each_language_has_its_own_feeds() {
    let atom = page("/fr/atom.xml").await;
    assert!(
        atom.body.contains(FRENCH[0]) && !atom.body.contains(ENGLISH[0]),
        "{}",
        atom.body
    );
    assert!(atom.body.contains("Carnet de terrain"));
    assert!(atom.body.contains(&format!("{BASE}/fr/blog/marche")));
    let rss = page("/fr/rss.xml").await;
    assert!(
        rss.header("content-type").contains("xml"),
        "{:?}",
        rss.headers
    );
    assert!(rss.body.contains("<language>fr</language>"), "{}", rss.body);
    assert!(rss.body.contains(FRENCH[1]) && !rss.body.contains(ENGLISH[1]));
    let json = page("/fr/feed.json").await;
    let feed: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(feed["language"], "fr");
    let titles: Vec<&str> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 4, "{titles:?}");
    let en = page("/atom.xml").await;
    assert!(en.body.contains(ENGLISH[0]) && !en.body.contains(FRENCH[0]));
}

#[tokio::test]
async fn the_sitemap_lists_every_language_with_its_alternates() {
    // Few URLs: one sitemap file behind the index.
    let sitemap = page("/sitemaps/1.xml").await.body;
    for url in [
        "/",
        "/fr",
        "/ar",
        "/ja",
        "/fr/blog/sourdough",
        "/ja/blog/seeds",
        "/fr/category/garden",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{BASE}{url}</loc>")),
            "{url}: {sitemap}"
        );
    }
    assert!(sitemap.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#));
    let entry = &sitemap[sitemap
        .find(&format!("<loc>{BASE}/fr/blog/sourdough</loc>"))
        .unwrap()..];
    let entry = &entry[..entry.find("</url>").unwrap()];
    for (lang, url) in [
        ("en", "/blog/sourdough"),
        ("ja", "/ja/blog/sourdough"),
        ("x-default", "/blog/sourdough"),
    ] {
        let link = format!(r#"<xhtml:link rel="alternate" hreflang="{lang}" href="{BASE}{url}"/>"#);
        assert!(entry.contains(&link), "{link} in {entry}");
    }
}

/// The slugs `/api/search` answers for `query` (already encoded).
async fn found(query: &str) -> Vec<String> {
    let answer = page(&format!("/api/search?q={query}&limit=10")).await;
    let results: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    let hits = results["hits"].as_array().unwrap();
    hits.iter()
        .map(|hit| hit["slug"].as_str().unwrap().to_string())
        .collect()
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn search_finds_japanese_words_and_stems_in_translations() {
    assert_eq!(found(&encode("酵母")).await, ["sourdough.ja"]);
    assert_eq!(found(&encode("木材")).await, ["workbench.ja"]);
    let mut run = found("running+").await;
    run.sort();
    assert_eq!(run, ["compost", "rainwater"]);
    // "couche" (tomatoes) and "coucher" (the market) share a French stem.
    let mut bed = found("coucher+").await;
    bed.sort();
    assert_eq!(bed, ["marche.fr", "tomatoes.fr"]);
}

#[tokio::test]
async fn a_language_s_filtered_index_is_cached_apart_from_its_home() {
    let app = app();
    let kitchen = get(app.clone(), "/fr?category=kitchen").await;
    assert!(kitchen.body.contains(FRENCH[2]) && !kitchen.body.contains(FRENCH[0]));
    let home = get(app.clone(), "/fr").await;
    assert!(
        home.body.contains(FRENCH[0]),
        "the filtered page was served for the home: {}",
        home.body
    );
    let again = get(app, "/fr?category=kitchen").await;
    assert_eq!(again.header("x-quire-cache"), "hit", "{:?}", again.headers);
}

#[tokio::test]
async fn only_pages_say_their_language_in_a_header_and_pages_take_it_off() {
    for path in ["/fr/atom.xml", "/fr/feed.json", "/fr", "/fr/blog/marche"] {
        let answer = page(path).await;
        assert_eq!(answer.header("x-quire-edition"), "", "{path}");
    }
}

#[tokio::test]
async fn each_section_lists_each_language_s_posts_behind_its_prefix() {
    let en = page("/notes").await;
    assert!(
        en.body.contains("Pruning the Old Apple Tree"),
        "{}",
        en.body
    );
    assert!(!en.body.contains("La taille du vieux pommier"));
    let fr = page("/fr/notes").await;
    assert!(
        fr.body.contains("La taille du vieux pommier"),
        "{}",
        fr.body
    );
    assert!(!fr.body.contains("Pruning the Old Apple Tree"));
    assert!(html_tag(&fr.body).contains(r#"lang="fr""#));
    // Every link to the section from a French page stays French.
    let article = page("/fr/notes/taille-des-arbres").await;
    assert!(
        article.body.contains(r#"href="/fr/notes""#),
        "{}",
        article.body
    );
    assert!(!article.body.contains(r#"href="/notes""#));
    assert_eq!(
        get(app(), "/fr/nowhere").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn standalone_pages_link_their_translations_too() {
    let en = page("/about").await;
    assert!(has_alternate(&en.body, "fr", "/fr/about"), "{}", en.body);
    assert!(has_alternate(&en.body, "x-default", "/about"));
    let fr = page("/fr/about").await;
    assert!(has_alternate(&fr.body, "en", "/about"));
    assert!(html_tag(&fr.body).contains(r#"lang="fr""#));
    let nav = &fr.body[fr.body.find(r#"class="translations""#).expect("a switcher")..];
    assert!(nav[..nav.find("</nav>").unwrap()].contains(r#"href="/about""#));
}

#[tokio::test]
async fn a_section_s_translated_file_titles_and_introduces_its_language_s_listing() {
    let fr = page("/fr/notes").await;
    assert!(h1(&fr.body).contains("Notes du jardin"), "{}", fr.body);
    assert!(fr.body.contains("Ces notes suivent un jardin"));
    assert!(!fr.body.contains("Garden notes"));
    assert!(has_alternate(&fr.body, "en", "/notes"), "{}", fr.body);
    assert!(has_alternate(&fr.body, "x-default", "/notes"));
    let en = page("/notes").await;
    assert!(h1(&en.body).contains("Garden notes"), "{}", en.body);
    assert!(!en.body.contains("Notes du jardin"));
    assert!(has_alternate(&en.body, "fr", "/fr/notes"), "{}", en.body);
    // Only languages with posts in the section are linked: no Arabic.
    assert!(!en.body.contains(r#"href="/ar/notes""#));
    // The header names the section in the page's language.
    let home = page("/fr").await;
    let header = &home.body[..home.body.find("</header>").unwrap()];
    assert!(header.contains("Notes du jardin"), "{header}");
    assert!(!page("/").await.body.contains("Notes du jardin"));
}

#[tokio::test]
async fn a_section_s_feed_holds_its_language_s_posts() {
    let en = page("/notes/atom.xml").await;
    assert!(
        en.body.contains("Pruning the Old Apple Tree"),
        "{}",
        en.body
    );
    assert!(!en.body.contains("La taille du vieux pommier"));
    let fr = page("/fr/notes/atom.xml").await;
    assert!(
        fr.body.contains("La taille du vieux pommier"),
        "{}",
        fr.body
    );
    assert!(!fr.body.contains("Pruning the Old Apple Tree"));
    assert!(fr.body.contains("Notes du jardin"));
    assert!(
        fr.body.contains(&format!(r#"href="{BASE}/fr/notes""#)),
        "{}",
        fr.body
    );
}

#[tokio::test]
async fn the_sitemap_lists_a_translated_section_once() {
    let sitemap = page("/sitemaps/1.xml").await.body;
    let at = |url: &str| sitemap.matches(&format!("<loc>{BASE}{url}</loc>")).count();
    assert_eq!(at("/notes"), 1, "{sitemap}");
    assert_eq!(at("/fr/notes"), 1, "{sitemap}");
}

/// A site in Hugo's other layout: one content folder per language
/// (`contentDir`), the same path in each being the same post.
fn hugo_folders_site() -> (tempfile::TempDir, http::App) {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "en/hello.md",
            "+++\ntitle = \"Hello, garden\"\ndate = 2026-03-01\n+++\nThe beds are dug.",
        ),
        (
            "fr/hello.md",
            "+++\ntitle = \"Bonjour, jardin\"\ndate = 2026-03-01\n+++\nLes massifs sont bêchés.",
        ),
        ("en/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("fr/_index.md", "+++\ntitle = \"Accueil\"\n+++\n"),
        ("en/notes/_index.md", "+++\ntitle = \"Notes\"\n+++\n"),
        ("fr/notes/_index.md", "+++\ntitle = \"Carnets\"\n+++\n"),
        (
            "en/notes/frost.md",
            "+++\ntitle = \"Late frost\"\ndate = 2026-03-02\n+++\nCold.",
        ),
        (
            "fr/notes/frost.md",
            "+++\ntitle = \"Gel tardif\"\ndate = 2026-03-02\n+++\nFroid. [Les carnets](/fr/notes), [tous](/notes).",
        ),
        (
            "fr/notes/only/index.md",
            "+++\ntitle = \"Seulement en français\"\ndate = 2026-03-03\n+++\n![Un plan](plan.svg)",
        ),
        (
            "en/about.md",
            "+++\ntitle = \"About\"\nnav = true\n+++\nUs.",
        ),
        (
            "fr/about.md",
            "+++\ntitle = \"À propos\"\nnav = true\n+++\nNous.",
        ),
        (
            "fr/mentions.md",
            "+++\ntitle = \"Mentions légales\"\nnav = true\n+++\nÉditeur.",
        ),
        (
            "fr/notes/only/plan.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>",
        ),
    ];
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let toml = "base_url = \"http://127.0.0.1:8080\"\nlanguage = \"en\"\nlanguage_folder = \"en\"\n[languages.fr]\nfolder = \"content/fr\"\n";
    let no_env = |_: &str| None;
    let (config, _) = quire::server::config::parse(toml, Path::new("quire.toml"), &no_env).unwrap();
    let site = site_from(dir.path(), config);
    (dir, http::router(site))
}

#[tokio::test]
async fn hugo_s_content_folder_per_language_pairs_translations_by_path() {
    let (_dir, app) = hugo_folders_site();
    let home = get(app.clone(), "/").await.body;
    assert!(
        home.contains("Hello, garden") && !home.contains("Bonjour"),
        "{home}"
    );
    let fr = get(app.clone(), "/fr").await.body;
    assert!(
        fr.contains("Bonjour, jardin") && !fr.contains("Hello, garden"),
        "{fr}"
    );
    // The same path in each folder is the same post, in two languages.
    let hello_at = |body: &str, title: &str| {
        let card = &body[..body.find(title).unwrap()];
        let href = &card[card.rfind("href=\"").unwrap() + 6..];
        href[..href.find('"').unwrap()].to_string()
    };
    let en_url = hello_at(&home, "Hello, garden");
    let fr_url = hello_at(&fr, "Bonjour, jardin");
    assert!(!en_url.contains("/en/"), "{en_url}");
    assert_eq!(fr_url, format!("/fr{en_url}"));
    let article = get(app.clone(), &fr_url).await;
    assert_eq!(article.status, StatusCode::OK);
    assert!(
        has_alternate(&article.body, "en", &en_url),
        "{}",
        article.body
    );
    assert!(html_tag(&article.body).contains(r#"lang="fr""#));
    // Sections too: `fr/notes/_index.md` titles `/fr/notes`.
    let notes = get(app.clone(), "/fr/notes").await.body;
    assert!(h1(&notes).contains("Carnets"), "{notes}");
    assert!(notes.contains("Gel tardif") && !notes.contains("Late frost"));
    // A link its author wrote behind the language's prefix stays as
    // written (Let's Encrypt's `/pt-br/docs` became `/pt-br/pt-br/docs`,
    // which answered a copy of the page); the section's own address in
    // the default language moves behind it.
    let frost = get(app.clone(), &hello_at(&notes, "Gel tardif")).await.body;
    assert!(!frost.contains("/fr/fr/"), "{frost}");
    assert_eq!(frost.matches(r#"href="/fr/notes""#).count(), 3, "{frost}");
    let twice = get(app.clone(), "/fr/fr/notes").await.status;
    assert_eq!(twice, StatusCode::NOT_FOUND);
    // The section's feed is linked behind the prefix too, where it is:
    // `/notes/atom.xml` lists the default language's posts (Let's
    // Encrypt's `/docs` had none, and its feed link answered 404).
    let feed = r#"<link rel="alternate" title="Carnets" href="/fr/notes/atom.xml""#;
    assert!(notes.contains(feed), "{notes}");
    let fr_feed = get(app.clone(), "/fr/notes/atom.xml").await;
    assert_eq!(fr_feed.status, StatusCode::OK);
    assert!(fr_feed.body.contains("Gel tardif"), "{}", fr_feed.body);
    // The header shows each page in the page's language, and a page
    // written only in French only in French.
    let header = |body: &str| body[..body.find("</header>").unwrap()].to_string();
    let (en_header, fr_header) = (header(&home), header(&fr));
    assert!(
        en_header.contains("About") && !en_header.contains("propos"),
        "{en_header}"
    );
    assert!(!en_header.contains("Mentions"), "{en_header}");
    assert!(
        fr_header.contains("À propos") && fr_header.contains("Mentions légales"),
        "{fr_header}"
    );
    assert!(!fr_header.contains(">About<"), "{fr_header}");
    // A bundle in a language's folder keeps its files.
    let only = get(app.clone(), "/fr").await.body;
    let url = hello_at(&only, "Seulement en français");
    let bundle = get(app.clone(), &url).await.body;
    let image = &bundle[bundle.find("<img").unwrap()..];
    let src = &image[image.find("src=\"").unwrap() + 5..];
    let src = &src[..src.find('"').unwrap()];
    assert_eq!(get(app, src).await.status, StatusCode::OK, "{src}");
}

#[test]
fn check_names_addresses_a_language_s_prefix_shadows() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "fr/x.md",
            "+++\ntitle = \"X\"\ndate = 2026-01-01\n+++\nA folder named like the prefix.",
        ),
        (
            "y.md",
            "+++\ntitle = \"Y\"\ndate = 2026-01-02\naliases = [\"/fr/page/2\"]\n+++\nY.",
        ),
        (
            "z.fr.md",
            "+++\ntitle = \"Z\"\ndate = 2026-01-03\n+++\nZ, French.",
        ),
    ];
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let no_env = |_: &str| None;
    let toml = "[languages.fr]\nname = \"Français\"\n";
    let (config, _) = quire::server::config::parse(toml, Path::new("quire.toml"), &no_env).unwrap();
    let store = quire::store::Store::temporary().unwrap();
    let options = config.render_options(dir.path());
    quire::store::sync::sync_all(&store, dir.path(), &options, &|| {}).unwrap();
    let docs: Vec<_> = store.all_posts().collect::<Result<_, _>>().unwrap();
    let languages = config.url_languages();
    let problems = quire::server::redirects::language_problems(&docs, &languages, dir.path());
    let texts: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(texts.len(), 2, "{texts:#?}");
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("fr/x.md") && t.contains("behind /fr")),
        "{texts:#?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("y.md:4") && t.contains("`/fr/page/2`")),
        "{texts:#?}"
    );
}

/// Let's Encrypt's site declares 28 languages; Chinese had pages but no
/// post, and its pages named `/zh-cn/atom.xml` (and the RSS and JSON
/// feeds), which answered 404: a broken link on every page of it, in the
/// served site and in the export.
#[tokio::test]
async fn a_language_without_posts_still_has_the_feeds_its_pages_name() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "hello.md",
        &common::post("Hello", "2024-01-01", ""),
    );
    let text = "language = \"en\"\n[languages.de]\ntitle = \"Notizen\"\n";
    let no_env = |_: &str| None;
    let (config, _) = quire::server::config::parse(text, Path::new("quire.toml"), &no_env).unwrap();
    let app = http::router(site_from(dir.path(), config));
    let home = get(app.clone(), "/de").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    for feed in ["/de/atom.xml", "/de/rss.xml", "/de/feed.json"] {
        assert!(home.body.contains(&format!("href=\"{feed}\"")), "{feed}");
        let answer = get(app.clone(), feed).await;
        assert_eq!(answer.status, StatusCode::OK, "{feed}: {}", answer.body);
        assert!(answer.body.contains("Notizen"), "{feed}: {}", answer.body);
        assert!(!answer.body.contains("Hello"), "{feed}: {}", answer.body);
    }
    let empty = get(app, "/de/tags/nothing/atom.xml").await;
    assert_eq!(empty.status, StatusCode::NOT_FOUND);
}

/// Each language lists its own tags at its `/tags` (`/fr/tags`), whose
/// links stay in that language, and a French tag's page leads back to
/// the French list.
#[tokio::test]
async fn each_language_lists_its_own_tags() {
    let english = page("/tags").await.body;
    assert!(english.contains("href=\"/tags/compost\""), "{english}");
    assert!(
        !english.contains("/tags/market"),
        "French tags are not English ones"
    );
    let french = page("/fr/tags").await.body;
    assert!(french.contains("href=\"/fr/tags/market\""), "{french}");
    assert!(!french.contains("/tags/compost"), "{french}");
    let tag = page("/fr/tags/market").await.body;
    assert!(
        tag.contains("<a href=\"/fr/tags\">"),
        "the breadcrumb stays in French"
    );
    assert!(
        page("/fr/category")
            .await
            .body
            .contains("href=\"/fr/category/")
    );
}

/// Let's Encrypt's 28 languages, listed inline, ran down the page from
/// the header (a column 28 names tall over the article): past four, the
/// header names the current language in a disclosure that holds the
/// rest, each link still there without JavaScript.
#[tokio::test]
async fn many_languages_fold_into_a_menu_named_for_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "hello.md",
        &common::post("Hello", "2024-01-01", ""),
    );
    let mut text = String::from("language = \"en\"\n");
    for (code, name) in [
        ("de", "Deutsch"),
        ("fr", "Français"),
        ("ja", "日本語"),
        ("ko", "한국어"),
        ("sv", "Svenska"),
    ] {
        text.push_str(&format!("[languages.{code}]\nname = \"{name}\"\n"));
    }
    let no_env = |_: &str| None;
    let (config, _) =
        quire::server::config::parse(&text, Path::new("quire.toml"), &no_env).unwrap();
    let app = http::router(site_from(dir.path(), config));
    let home = get(app.clone(), "/ja").await;
    let menu = &home.body[home
        .body
        .find(r#"<details class="language-menu">"#)
        .expect("a menu")..];
    let menu = &menu[..menu.find("</details>").unwrap()];
    let summary = &menu[..menu.find("</summary>").unwrap()];
    assert!(summary.contains("日本語"), "{summary}");
    for link in [
        r#"href="/""#,
        r#"href="/de""#,
        r#"href="/sv""#,
        r#"href="/ko""#,
    ] {
        assert!(menu.contains(link), "{link}: {menu}");
    }
    assert!(
        menu.contains(r#"<span lang="ja" aria-current="true">日本語</span>"#),
        "{menu}"
    );
}

/// Let's Encrypt's 326 untranslated pages (`/ca/certificates/`), which its
/// theme filled with the English text, answered 404: a page with no
/// translation in a language is found, for now (302), at the default
/// language's page. A language's own routes, an address behind two
/// prefixes and an address no language has still answer 404.
#[tokio::test]
async fn a_page_not_translated_is_found_in_the_default_language() {
    let missing = get(app(), "/ja/blog/tomatoes").await;
    assert_eq!(missing.status, StatusCode::FOUND, "{}", missing.body);
    assert_eq!(missing.header("location"), "/blog/tomatoes");
    let slashed = get(app(), "/ja/blog/tomatoes/").await;
    assert_eq!(slashed.status, StatusCode::FOUND, "one hop");
    assert_eq!(slashed.header("location"), "/blog/tomatoes");
    let with_query = get(app(), "/ja/blog/tomatoes?x=1").await;
    assert_eq!(with_query.header("location"), "/blog/tomatoes?x=1");
    // Translated: served in its language.
    assert_eq!(get(app(), "/fr/blog/tomatoes").await.status, StatusCode::OK);
    for path in [
        "/ja/nowhere",
        "/fr/fr/notes",
        "/ja/tags/no-such-tag",
        "/ja/blog/tomatoes/extra",
    ] {
        assert_eq!(
            get(app(), path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}
