//! Every post keeps the address it was published at: the site's permalink
//! patterns, the addresses posts give themselves (Zola's `path`, Hugo's
//! `url`, Jekyll's `permalink`), sections, and every former address (the
//! pattern's when a post sets its own, aliases, `.html` spellings, the
//! addresses from before a pattern changed) answering one 301 to it.

mod common;
#[path = "support/in_process.rs"]
mod in_process;

use std::path::Path;
use std::sync::Arc;

use axum::http::StatusCode;
use in_process::{Answer, get, site_from};
use quire::server::config::SectionPermalink;
use quire::server::{Site, SiteConfig, http};

fn app(site: &Arc<Site>) -> http::App {
    http::router(site.clone())
}

/// Asserts `path` answers one 301 to `to`, and that `to` answers 200.
async fn moves(site: &Arc<Site>, path: &str, to: &str) {
    let answer = get(app(site), path).await;
    assert_eq!(answer.status, StatusCode::MOVED_PERMANENTLY, "{path}");
    assert_eq!(answer.header("location"), to, "{path}");
    assert_eq!(get(app(site), to).await.status, StatusCode::OK, "{to}");
}

async fn page(site: &Arc<Site>, path: &str) -> Answer {
    let answer = get(app(site), path).await;
    assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.body);
    answer
}

/// Posts written for the three engines, in one content tree.
fn migrated_blog(root: &Path) {
    let zola = "path = \"2019/03/zola-post/\"\naliases = [\"/old/zola.html\"]\n";
    common::write(
        root,
        "blog/zola-post.md",
        &common::post("Zola post", "2019-03-01", zola),
    );
    let hugo = "url = \"/posts/hugo-post.html\"\n";
    common::write(
        root,
        "posts/hugo.md",
        &common::post("Hugo post", "2020-05-02", hugo),
    );
    let jekyll = "permalink: /jekyll/post/\nredirect_from:\n  - /j/p\n";
    let text = format!("---\ntitle: Jekyll post\n{jekyll}---\n\nBody.\n");
    common::write(root, "_posts/2021-07-04-jekyll-post.md", &text);
    common::write(root, "top.md", &common::post("Top post", "2022-01-01", ""));
}

#[tokio::test]
async fn posts_are_served_at_the_addresses_their_engines_gave_them() {
    let dir = tempfile::tempdir().unwrap();
    migrated_blog(dir.path());
    let site = site_from(dir.path(), SiteConfig::default());
    // Each spelled as written, the trailing slash included.
    let zola = page(&site, "/2019/03/zola-post/").await;
    assert!(zola.body.contains("Zola post"));
    assert!(
        zola.body
            .contains("href=\"http://127.0.0.1:8080/2019/03/zola-post/\""),
        "canonical"
    );
    assert!(
        page(&site, "/posts/hugo-post.html")
            .await
            .body
            .contains("Hugo post")
    );
    assert!(
        page(&site, "/jekyll/post/")
            .await
            .body
            .contains("Jekyll post")
    );
    assert!(page(&site, "/blog/top").await.body.contains("Top post"));
    let index = page(&site, "/").await.body;
    for href in [
        "/2019/03/zola-post/",
        "/posts/hugo-post.html",
        "/jekyll/post/",
        "/blog/top",
    ] {
        assert!(
            index.contains(&format!("href=\"{href}\"")),
            "card links to {href}"
        );
    }
}

#[tokio::test]
async fn every_former_address_answers_one_redirect() {
    let dir = tempfile::tempdir().unwrap();
    migrated_blog(dir.path());
    let site = site_from(dir.path(), SiteConfig::default());
    // The other trailing slash, either way.
    moves(&site, "/2019/03/zola-post", "/2019/03/zola-post/").await;
    moves(&site, "/2019/03/zola-post//", "/2019/03/zola-post/").await;
    moves(&site, "/jekyll/post", "/jekyll/post/").await;
    moves(&site, "/blog/top/", "/blog/top").await;
    // Static-host spellings.
    moves(
        &site,
        "/2019/03/zola-post/index.html",
        "/2019/03/zola-post/",
    )
    .await;
    moves(&site, "/2019/03/zola-post.html", "/2019/03/zola-post/").await;
    moves(&site, "/posts/hugo-post", "/posts/hugo-post.html").await;
    moves(&site, "/posts/hugo-post/", "/posts/hugo-post.html").await;
    // The section pattern's address, when a post sets its own.
    moves(&site, "/blog/zola-post", "/2019/03/zola-post/").await;
    moves(&site, "/posts/hugo", "/posts/hugo-post.html").await;
    moves(&site, "/blog/jekyll-post", "/jekyll/post/").await;
    // Aliases (Zola, Hugo) and `redirect_from` (Jekyll).
    moves(&site, "/old/zola.html", "/2019/03/zola-post/").await;
    moves(&site, "/j/p", "/jekyll/post/").await;
    moves(&site, "/j/p/", "/jekyll/post/").await;
}

/// Zola gives every page an address ending in `/` (`path = "x"` is `/x/`)
/// and Hugo every page but `uglyURLs`' ones: `trailing_slash = true` keeps
/// them so, in pages, feeds (whose entries' ids are the addresses: a
/// reader would show every post again if they changed) and the sitemap.
#[tokio::test]
async fn a_site_of_slashed_addresses_serves_feeds_and_sitemap_with_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let zola = "path = \"2019/03/zola-post\"\n";
    common::write(root, "a.md", &common::post("Zola post", "2019-03-01", zola));
    let page_named = "path = \"2019/03/old.html\"\n";
    common::write(root, "b.md", &common::post("Old", "2019-03-02", page_named));
    common::write(root, "notes/c.md", &common::post("Note", "2019-03-03", ""));
    let config = SiteConfig {
        trailing_slash: true,
        ..SiteConfig::default()
    };
    let site = site_from(root, config);
    page(&site, "/2019/03/zola-post/").await;
    page(&site, "/2019/03/old.html").await;
    page(&site, "/notes/c/").await;
    moves(&site, "/2019/03/zola-post", "/2019/03/zola-post/").await;
    moves(&site, "/notes/c", "/notes/c/").await;
    moves(&site, "/blog/a", "/2019/03/zola-post/").await;
    moves(&site, "/blog/a/", "/2019/03/zola-post/").await;
    let base = "http://127.0.0.1:8080";
    let atom = page(&site, "/atom.xml").await.body;
    assert!(
        atom.contains(&format!("<id>{base}/2019/03/zola-post/</id>")),
        "{atom}"
    );
    let rss = page(&site, "/rss.xml").await.body;
    assert!(rss.contains(&format!("{base}/notes/c/</guid>")), "{rss}");
    let sitemap = page(&site, "/sitemap.xml").await.body;
    let sitemap = match sitemap.contains("<sitemapindex") {
        true => {
            let first = sitemap.split("<loc>").nth(1).unwrap_or_default();
            let first = first.split("</loc>").next().unwrap_or_default();
            page(&site, first.trim_start_matches(base)).await.body
        }
        false => sitemap,
    };
    assert!(
        sitemap.contains(&format!("<loc>{base}/2019/03/zola-post/</loc>")),
        "{sitemap}"
    );
    assert!(
        sitemap.contains(&format!("<loc>{base}/2019/03/old.html</loc>")),
        "{sitemap}"
    );
}

#[tokio::test]
async fn patterns_place_posts_and_a_changed_pattern_redirects_the_old_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::write(root, "first.md", &common::post("First", "2019-03-07", ""));
    common::write(
        root,
        "notes/second.md",
        &common::post("Second", "2020-11-02", ""),
    );
    let before = SiteConfig {
        permalink: "/{year}/{month}/{day}/{slug}.html".into(),
        permalinks: vec![SectionPermalink {
            section: "Notes".into(),
            pattern: "/n/{year}/{slug}".into(),
        }],
        ..SiteConfig::default()
    };
    let site = site_from(root, before);
    page(&site, "/2019/03/07/first.html").await;
    page(&site, "/n/2020/second").await;
    moves(&site, "/2019/03/07/first", "/2019/03/07/first.html").await;
    // Jekyll kept the file name's dots and case in a `.html` address.
    common::write(root, "Tool-3.0.md", &common::post("Tool", "2022-12-21", ""));
    let dotted = site_from(root, site.config.clone());
    moves(
        &dotted,
        "/2022/12/21/Tool-3.0.html",
        "/2022/12/21/tool-3-0.html",
    )
    .await;

    // A pattern's folders as written (ruby-lang.org's `zh_cn`), and
    // Jekyll's `:title` with the file name's case.
    common::write(
        root,
        "zh_cn/news/_posts/2023-06-29-redos-CVE-2023-36617.md",
        "---\ntitle: ReDoS\n---\nText.\n",
    );
    let mut config = site.config.clone();
    config.permalinks.push(SectionPermalink {
        section: "zh_cn/news".into(),
        pattern: "/zh_cn/news/{year}/{month}/{day}/{slug}/".into(),
    });
    let folders = site_from(root, config);
    moves(
        &folders,
        "/zh_cn/news/2023/06/29/redos-CVE-2023-36617",
        "/zh_cn/news/2023/06/29/redos-cve-2023-36617/",
    )
    .await;

    // The same store re-synced under new patterns, as a restart would.
    let after = SiteConfig::default();
    let store = site.store().clone();
    let report =
        quire::store::sync::sync_all(&store, root, &after.render_options(root), &|| {}).unwrap();
    assert_eq!(
        report.updated.len(),
        2,
        "every post re-rendered: {report:?}"
    );
    let site = Arc::new(Site::new(store, after, root.to_path_buf()));
    page(&site, "/blog/first").await;
    page(&site, "/notes/second").await;
    moves(&site, "/2019/03/07/first.html", "/blog/first").await;
    moves(&site, "/n/2020/second", "/notes/second").await;
}

/// An empty SVG image at `path` under `root`.
fn write_svg(root: &std::path::Path, path: &str) {
    common::write(root, path, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
}

#[tokio::test]
async fn files_beside_a_post_follow_its_address() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let text = common::post("Pics", "2024-01-01", "path = \"gallery/2024\"\n")
        .replace("More text.", "![a figure](figure.svg)");
    common::write(root, "pics/index.md", &text);
    write_svg(root, "pics/figure.svg");
    let site = site_from(root, SiteConfig::default());
    let post = page(&site, "/gallery/2024").await;
    assert!(
        post.body.contains("src=\"/gallery/2024/figure.svg\""),
        "{}",
        post.body
    );
    let file = page(&site, "/gallery/2024/figure.svg").await;
    assert_eq!(file.header("content-type"), "image/svg+xml");
    assert_eq!(
        get(app(&site), "/gallery/2024/missing.svg").await.status,
        StatusCode::NOT_FOUND
    );
}

/// rust-embedded's blog (Zola) keeps its images at the top of `content/`
/// and writes `../ferris.png` against the post's address `/hal-v1/`:
/// Zola publishes them at `/ferris.png`. Quire serves the same file.
#[tokio::test]
async fn a_path_written_against_the_page_finds_the_file_in_content() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let text = common::post("HAL", "2024-01-09", "")
        .replace("More text.", "![Ferris](../ferris.svg) [bus](../bus.svg)");
    common::write(root, "2024-01-09-hal-v1.md", &text);
    write_svg(root, "ferris.svg");
    write_svg(root, "bus.svg");
    let config = SiteConfig {
        permalink: "/{slug}/".into(),
        ..SiteConfig::default()
    };
    let site = site_from(root, config);
    let post = page(&site, "/hal-v1/").await.body;
    let src = post.split("alt=\"Ferris\"").next().unwrap_or_default();
    let src = src.rsplit("src=\"").next().unwrap_or_default();
    let src = src.split('"').next().unwrap_or_default().to_string();
    assert!(src.contains("ferris.svg"), "{post}");
    assert_eq!(
        page(&site, &src).await.header("content-type"),
        "image/svg+xml"
    );
    let href = post.split("\">bus</a>").next().unwrap_or_default();
    let href = href
        .rsplit("href=\"")
        .next()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        page(&site, &href).await.header("content-type"),
        "image/svg+xml"
    );
}

#[test]
fn check_names_both_files_of_a_shared_address_and_addresses_of_the_sites_own_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::write(
        root,
        "a.md",
        &common::post("A", "2024-01-01", "path = \"/same\"\n"),
    );
    common::write(
        root,
        "b.md",
        &common::post("B", "2024-01-02", "url = \"/same/\"\n"),
    );
    common::write(
        root,
        "c.md",
        &common::post("C", "2024-01-03", "path = \"/tags/x\"\n"),
    );
    let store = quire::store::Store::temporary().unwrap();
    let options = SiteConfig::default().render_options(Path::new("content"));
    quire::store::sync::sync_all(&store, root, &options, &|| {}).unwrap();
    let docs: Vec<_> = store.all_posts().collect::<Result<_, _>>().unwrap();
    let problems = quire::server::redirects::address_problems(&docs, root);
    let texts: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(texts.len(), 2, "{texts:#?}");
    assert!(
        texts[0].starts_with("b.md: the post's address /same/ is also the address of a.md"),
        "{texts:#?}"
    );
    assert!(
        texts[1].starts_with("c.md: the post's address /tags/x is one of the site's own pages"),
        "{texts:#?}"
    );
}

#[test]
fn an_address_that_leaves_the_site_is_an_error_naming_the_line() {
    let text = "+++\ntitle = \"X\"\ndate = 2024-01-01\npath = \"../../etc\"\n+++\nBody\n";
    let options = SiteConfig::default().render_options(Path::new("content"));
    let err = quire::content::parse_document(Path::new("x.md"), text, &options).unwrap_err();
    assert_eq!(err.line, Some(4), "{err}");
    assert!(
        err.to_string().contains("is not a path on this site"),
        "{err}"
    );
    let both = "+++\ntitle = \"X\"\ndate = 2024-01-01\npath = \"/a\"\nurl = \"/b\"\n+++\n";
    let err = quire::content::parse_document(Path::new("x.md"), both, &options).unwrap_err();
    assert!(
        err.to_string().contains("`path` and `url` both set"),
        "{err}"
    );
}

/// Sections with and without an `_index.md`, pages, and posts at the top.
fn sections_and_pages(root: &Path) {
    let intro = "+++\ntitle = \"Field notes\"\ndescription = \"Short ones.\"\nsort_by = \"date\"\n+++\nNotes *intro*.\n";
    common::write(root, "notes/_index.md", intro);
    common::write(
        root,
        "notes/a.md",
        &common::post("Note A", "2024-01-01", ""),
    );
    common::write(
        root,
        "notes/2024/b.md",
        &common::post("Note B", "2024-02-01", ""),
    );
    common::write(
        root,
        "essays/a.md",
        &common::post("Essay A", "2024-03-01", ""),
    );
    common::write(root, "top.md", &common::post("Top post", "2024-04-01", ""));
    common::write(
        root,
        "pages/about.md",
        "+++\ntitle = \"About me\"\nnav = true\n+++\nHello.\n",
    );
    common::write(
        root,
        "colophon.md",
        "+++\ntitle = \"Colophon\"\npage = true\n+++\nType.\n",
    );
}

#[tokio::test]
async fn a_section_has_its_page_its_feed_and_a_link_in_the_header() {
    let dir = tempfile::tempdir().unwrap();
    sections_and_pages(dir.path());
    let site = site_from(
        dir.path(),
        SiteConfig {
            page_size: 1,
            ..SiteConfig::default()
        },
    );
    let notes = page(&site, "/notes").await.body;
    assert!(
        notes.contains("Field notes") && notes.contains("Short ones."),
        "{notes}"
    );
    assert!(notes.contains("Notes <em>intro</em>."), "the introduction");
    assert!(
        notes.contains("2 articles"),
        "nested sections count: {notes}"
    );
    assert!(notes.contains("href=\"/notes/2024/b\""), "newest first");
    assert!(!notes.contains("Essay A") && !notes.contains("Top post"));
    let second = page(&site, "/notes/page/2").await.body;
    assert!(second.contains("href=\"/notes/a\""), "{second}");
    assert_eq!(
        get(app(&site), "/notes/page/3").await.status,
        StatusCode::NOT_FOUND
    );
    let essays = page(&site, "/essays").await.body;
    assert!(
        essays.contains("<h1>Essays</h1>"),
        "title from the folder: {essays}"
    );
    let feed = page(&site, "/notes/atom.xml").await;
    assert!(
        feed.header("content-type")
            .starts_with("application/atom+xml")
    );
    assert!(feed.body.contains("Note A") && feed.body.contains("Note B"));
    assert!(!feed.body.contains("Essay A"), "{}", feed.body);
    let index = page(&site, "/").await.body;
    for nav in ["href=\"/notes\"", "href=\"/essays\"", "href=\"/about\""] {
        assert!(index.contains(nav), "header link {nav}");
    }
    assert!(
        !index.contains("href=\"/colophon\""),
        "a page without nav = true"
    );
}

#[tokio::test]
async fn pages_are_served_at_their_slug_and_listed_nowhere() {
    let dir = tempfile::tempdir().unwrap();
    sections_and_pages(dir.path());
    let site = site_from(dir.path(), SiteConfig::default());
    let about = page(&site, "/about").await.body;
    assert!(about.contains("About me") && about.contains("Hello."));
    assert!(!about.contains("min read"), "no post metadata on a page");
    assert!(page(&site, "/colophon").await.body.contains("Type."));
    let index = page(&site, "/").await.body;
    assert!(index.contains("4 articles"), "pages are not posts: {index}");
    let feed = page(&site, "/atom.xml").await.body;
    assert!(!feed.contains("About me") && !feed.contains("Colophon"));
    let sitemap = page(&site, "/sitemaps/1.xml").await.body;
    for url in [
        "/about</loc>",
        "/colophon</loc>",
        "/notes</loc>",
        "/essays</loc>",
    ] {
        assert!(sitemap.contains(url), "{url} in {sitemap}");
    }
}

#[tokio::test]
async fn a_zola_internal_link_leads_to_the_post_or_section_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let target = common::post("Target", "2024-01-01", "path = \"/2024/target-post\"\n");
    common::write(root, "inside/target/index.md", &target);
    common::write(root, "inside/_index.md", "+++\ntitle = \"Inside\"\n+++\n");
    let linking = common::post("Linking", "2024-02-01", "").replace(
        "More text.",
        "[post](@/inside/target/index.md#Part-Two) [section](@/inside/_index.md)",
    );
    common::write(root, "linking.md", &linking);
    let site = site_from(root, SiteConfig::default());
    let body = page(&site, "/blog/linking").await.body;
    assert!(
        body.contains("href=\"/_ref/inside/target#part-two\""),
        "{body}"
    );
    assert!(body.contains("href=\"/inside\""), "{body}");
    moves(&site, "/_ref/inside/target", "/2024/target-post").await;
    assert_eq!(page(&site, "/inside").await.status, StatusCode::OK);
}

#[tokio::test]
async fn jekyll_s_post_url_leads_to_the_post_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let target = "---\ntitle: Hello\n---\nHello.\n";
    common::write(root, "_posts/2020-01-02-hello.md", target);
    let linking =
        "---\ntitle: Linking\n---\n[hello]({{ site.baseurl }}{% post_url 2020-01-02-hello %}).\n";
    common::write(root, "_posts/2020-02-03-linking.md", linking);
    let site = site_from(root, SiteConfig::default());
    let listed = page(&site, "/").await.body;
    let at = listed.find("Linking").expect("the linking post is listed");
    let href = listed[..at].rfind("href=\"").unwrap() + 6;
    let url = &listed[href..href + listed[href..].find('"').unwrap()];
    let body = page(&site, url).await.body;
    assert!(body.contains("href=\"/_ref/hello\""), "{body}");
    let answer = get(app(&site), "/_ref/hello").await;
    assert_eq!(answer.status, StatusCode::MOVED_PERMANENTLY);
    let to = answer.header("location");
    assert!(page(&site, to).await.body.contains("Hello."), "{to}");
}

#[tokio::test]
async fn a_section_its_index_file_declares_answers_with_no_posts_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let intro = "+++\ntitle = \"Releases\"\n+++\nEvery release, announced.\n";
    common::write(root, "releases/_index.md", intro);
    common::write(root, "hello.md", &common::post("Hello", "2024-01-01", ""));
    let site = site_from(root, SiteConfig::default());
    let section = page(&site, "/releases").await;
    assert_eq!(section.status, StatusCode::OK);
    assert!(
        section.body.contains("Every release, announced."),
        "{}",
        section.body
    );
    assert!(
        !section.body.contains("/releases/atom.xml"),
        "no feed to name"
    );
    for missing in ["/releases/page/2", "/nothing-here"] {
        let status = get(app(&site), missing).await.status;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
    }
}

#[tokio::test]
async fn a_ref_shortcode_leads_to_the_posts_address_wherever_it_lives() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let target = common::post("Target", "2024-01-01", "path = \"/2024/target-post\"\n");
    common::write(root, "notes/target.md", &target);
    let linking = common::post("Linking", "2024-02-01", "").replace(
        "More text.",
        "[by key]({{< ref \"notes/target.md\" >}}) [by name]({{< relref \"target\" >}})",
    );
    common::write(root, "linking.md", &linking);
    let site = site_from(root, SiteConfig::default());
    let body = page(&site, "/blog/linking").await.body;
    assert!(body.contains("href=\"/_ref/notes/target\""), "{body}");
    moves(&site, "/_ref/notes/target", "/2024/target-post").await;
    // A file whose front matter sets its own slug is found by its name.
    let own = common::post("Own", "2024-03-01", "slug = \"own-2.3\"\n");
    common::write(root, "notes/0416-own/index.md", &own);
    let again = common::post("Again", "2024-03-02", "").replace(
        "More text.",
        "[own]({{< ref \"notes/0416-own/index.md\" >}})",
    );
    common::write(root, "notes/again.md", &again);
    let site = site_from(root, SiteConfig::default());
    let body = page(&site, "/notes/again").await.body;
    assert!(body.contains("href=\"/_ref/notes/0416-own\""), "{body}");
    moves(&site, "/_ref/notes/0416-own", "/notes/own-2-3").await;
    moves(&site, "/_ref/target", "/2024/target-post").await;
    assert_eq!(
        get(app(&site), "/_ref/nothing").await.status,
        StatusCode::NOT_FOUND
    );
}

/// etcd's docs keep one copy of each page per version, and each version's
/// `install.md` writes `{{< relref "op-guide/hardware" >}}`: Hugo finds
/// the page beside the linking one first, so each version links its own.
#[tokio::test]
async fn a_relative_ref_names_the_page_beside_the_linking_one_first() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for version in ["v3.5", "v3.6"] {
        let hardware = common::post(&format!("Hardware {version}"), "2024-01-01", "");
        common::write(
            root,
            &format!("docs/{version}/op-guide/hardware.md"),
            &hardware,
        );
        let install = common::post(&format!("Install {version}"), "2024-02-01", "").replace(
            "More text.",
            "[Hardware]({{< relref \"op-guide/hardware\" >}}) [up]({{< ref \"../v3.5/op-guide/hardware.md\" >}})",
        );
        common::write(root, &format!("docs/{version}/install.md"), &install);
    }
    let site = site_from(root, SiteConfig::default());
    for version in ["v3-5", "v3-6"] {
        let body = page(&site, &format!("/docs/{version}/install")).await.body;
        let own = format!("href=\"/_ref/docs/{version}/op-guide/hardware\"");
        assert!(body.contains(&own), "{body}");
        assert!(
            body.contains("href=\"/_ref/docs/v3-5/op-guide/hardware\">up"),
            "{body}"
        );
        let target = format!("/docs/{version}/op-guide/hardware");
        moves(
            &site,
            &format!("/_ref/docs/{version}/op-guide/hardware"),
            &target,
        )
        .await;
    }
}

/// Let's Encrypt's blog (Hugo, `post = "/:year/:month/:day/:slug/"`)
/// publishes its transparency report twice a year, each file with
/// `slug: legal-transparency-report`: one slug, three addresses, three
/// posts. Two files at one address are still refused.
#[tokio::test]
async fn posts_sharing_a_slug_at_dated_addresses_are_each_served() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let report = |date: &str| {
        let title = format!("Transparency report {date}");
        common::post(&title, date, "slug = \"legal-transparency-report\"\n")
    };
    common::write(root, "post/2015-7-1-report.md", &report("2015-07-01"));
    common::write(root, "post/2016-4-1-report.md", &report("2016-04-01"));
    common::write(root, "post/2016-10-1-report.md", &report("2016-10-01"));
    let config = SiteConfig {
        permalinks: vec![SectionPermalink {
            section: "post".into(),
            pattern: "/{year}/{month}/{day}/{slug}/".into(),
        }],
        ..SiteConfig::default()
    };
    let site = site_from(root, config.clone());
    for (date, path) in [
        ("2015-07-01", "/2015/07/01/legal-transparency-report/"),
        ("2016-04-01", "/2016/04/01/legal-transparency-report/"),
        ("2016-10-01", "/2016/10/01/legal-transparency-report/"),
    ] {
        let answer = page(&site, path).await;
        assert!(
            answer.body.contains(&format!("Transparency report {date}")),
            "{path}"
        );
    }
    let listed = page(&site, "/post").await.body;
    assert_eq!(
        listed.matches("class=\"card-title\"").count(),
        3,
        "{listed}"
    );

    // The same address twice is no second post.
    common::write(root, "post/again.md", &report("2016-10-01"));
    let store = site.store().clone();
    let sync = quire::store::sync::sync_all(&store, root, &config.render_options(root), &|| {});
    let errors = sync.unwrap().errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].to_string().contains("post/again.md"),
        "{}",
        errors[0]
    );
}

/// The Rust blog (Zola, every address ending in `/`) shows an image of
/// one post's folder from another, written against the slashed address
/// (`../../../../2024/05/07/a/figure.svg` from `/inside/2024/10/01/b/`):
/// served, and not reported as missing by `quire check`.
#[tokio::test]
async fn a_file_beside_a_slashed_post_is_found_from_another_post() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("content");
    let a = common::post("A", "2024-05-07", "path = \"inside/2024/05/07/a\"\n");
    common::write(&root, "inside/a/index.md", &a);
    write_svg(&root, "inside/a/figure.svg");
    let b = common::post("B", "2024-10-01", "path = \"inside/2024/10/01/b\"\n").replace(
        "More text.",
        "![figure](../../../../2024/05/07/a/figure.svg)",
    );
    common::write(&root, "inside/b/index.md", &b);
    let toml = dir.path().join("quire.toml");
    std::fs::write(&toml, "trailing_slash = true\n").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["check", "--content"])
        .arg(&root)
        .arg("--config")
        .arg(&toml)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("0 errors, 0 warnings"), "{stdout}");
    let config = SiteConfig {
        trailing_slash: true,
        ..SiteConfig::default()
    };
    let site = site_from(&root, config);
    let post = page(&site, "/inside/2024/10/01/b/").await.body;
    let src = "src=\"/inside/2024/05/07/a/figure.svg\"";
    assert!(post.contains(src), "{post}");
    page(&site, "/inside/2024/05/07/a/figure.svg").await;
}

/// A migrated blog's subscribers poll the old engine's feed address:
/// jekyll-feed's and the Rust blog's `/feed.xml`, Hugo's `/index.xml` and
/// its sections', tags' and categories' `index.xml`. Each answers one 301
/// to Quire's feed of the same list (feed readers keep the new address).
#[tokio::test]
async fn other_engines_feed_addresses_lead_to_quires_feeds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let tagged = "category = \"Rust\"\ntags = [\"go\"]\n";
    common::write(root, "notes/a.md", &common::post("A", "2024-01-01", tagged));
    common::write(root, "notes/a.fr.md", &common::post("Un", "2024-01-01", ""));
    let site = site_from(root, SiteConfig::default());
    moves(&site, "/feed.xml", "/atom.xml").await;
    moves(&site, "/fr/index.xml", "/fr/atom.xml").await;
    moves(&site, "/index.xml", "/rss.xml").await;
    moves(&site, "/notes/index.xml", "/notes/atom.xml").await;
    moves(&site, "/notes/feed.xml", "/notes/atom.xml").await;
    moves(&site, "/tags/go/index.xml", "/tags/go/atom.xml").await;
    moves(
        &site,
        "/categories/Rust/index.xml",
        "/category/rust/atom.xml",
    )
    .await;
    for none in ["/nothing/index.xml", "/notes/a/index.xml"] {
        let answer = get(app(&site), none).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{none}");
    }
}

/// Zola and Hugo publish a page of every term (`/tags/`, `/categories/`)
/// and one per term (`/categories/<c>/`, each category a post names, not
/// only its first), spelled as that engine slugifies it (Hugo keeps a
/// version's dots: `/tags/0.9.10/`); jekyll-archives writes `/tag/<t>/`,
/// jekyll-paginate the index's pages at `/page2/`.
/// Each answers Quire's list in one 301, page numbers kept; a term no
/// visible post has stays a 404.
#[tokio::test]
async fn other_engines_list_addresses_lead_to_quires_lists() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let hugo = "categories = [\"Plugin\", \"istio\"]\ntags = [\"0.9.10\", \"go\"]\n";
    common::write(root, "a.md", &common::post("A", "2024-01-01", hugo));
    common::write(root, "b.md", &common::post("B", "2024-01-02", hugo));
    let config = SiteConfig {
        page_size: 1,
        ..SiteConfig::default()
    };
    let site = site_from(root, config);
    moves(&site, "/categories/", "/category").await;
    moves(&site, "/categories/plugin/", "/category/plugin").await;
    moves(
        &site,
        "/categories/Plugin/page/2/",
        "/category/plugin/page/2",
    )
    .await;
    moves(&site, "/categories/istio/", "/tags/istio").await;
    moves(&site, "/tags/0.9.10/", "/tags/0-9-10").await;
    moves(&site, "/tags/0.9.10/page/2/", "/tags/0-9-10/page/2").await;
    moves(&site, "/tag/go/", "/tags/go").await;
    moves(&site, "/categories/istio/index.xml", "/tags/istio/atom.xml").await;
    moves(&site, "/page2/", "/page/2").await;
    page(&site, "/tags/go").await;
    for none in ["/categories/nope", "/tags/nope", "/tag/nope/page/2"] {
        let answer = get(app(&site), none).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{none}");
    }
}

/// `/tags`, `/category` and `/authors` list every tag, category and
/// author, by name, each linked to its page with its number of posts, and
/// the sitemap names them (an `authors` taxonomy's spelling of a name
/// leads to its page); a site without tags has no `/tags` (404), and an author's own
/// page at `/tags` (Jekyll's `tags.md`) is served instead of the list.
#[tokio::test]
async fn the_lists_of_every_tag_and_category_are_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let tagged = "category = \"Ops\"\ntags = [\"zig\", \"Go\"]\nauthors = [\"Jane Doe\"]\n";
    common::write(root, "a.md", &common::post("A", "2024-01-01", tagged));
    common::write(
        root,
        "b.md",
        &common::post("B", "2024-01-02", "tags = [\"go\"]\n"),
    );
    let site = site_from(root, SiteConfig::default());
    let tags = page(&site, "/tags").await.body;
    let go = tags
        .find("<a href=\"/tags/go\" class=\"tag\">#go</a>")
        .expect("go listed");
    let zig = tags.find("href=\"/tags/zig\"").expect("zig listed");
    assert!(go < zig, "by name");
    assert!(
        tags.contains("2 articles") && tags.contains("1 article<"),
        "counts"
    );
    assert!(tags.contains("rel=\"canonical\""), "a page of its own");
    let categories = page(&site, "/category").await.body;
    assert!(
        categories.contains("href=\"/category/ops\""),
        "{categories}"
    );
    let authors = page(&site, "/authors").await.body;
    assert!(
        authors.contains("<a href=\"/authors/jane-doe\" class=\"tag\">Jane Doe</a>"),
        "{authors}"
    );
    moves(&site, "/authors/Jane%20Doe/", "/authors/jane-doe").await;
    let listing = page(&site, "/tags/go").await.body;
    assert!(
        listing.contains("<a href=\"/tags\">Tags</a>"),
        "the tag's page leads to the list"
    );
    let sitemap = page(&site, "/sitemaps/1.xml").await.body;
    for list in ["/tags</loc>", "/category</loc>", "/authors</loc>"] {
        assert!(sitemap.contains(list), "{list} in {sitemap}");
    }

    let bare = tempfile::tempdir().unwrap();
    common::write(bare.path(), "a.md", &common::post("A", "2024-01-01", ""));
    let site = site_from(bare.path(), SiteConfig::default());
    assert_eq!(get(app(&site), "/tags").await.status, StatusCode::NOT_FOUND);
    let own = "+++\ntitle = \"All my tags\"\npath = \"tags\"\n+++\n\nHand-made.\n";
    common::write(bare.path(), "pages/tags.md", own);
    let site = site_from(bare.path(), SiteConfig::default());
    assert!(page(&site, "/tags").await.body.contains("Hand-made."));
}
