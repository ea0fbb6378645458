//! `quire export`: the exported folder is the site. Every page is the
//! bytes the in-process server sends, every link of every page has its
//! file where a static host looks, redirects are pages and `_redirects`
//! lines, and a second export rewrites only what changed.

mod common;
#[path = "support/in_process.rs"]
#[allow(dead_code)] // Only its request helper: the site here is built with the owner's stylesheet.
mod in_process;

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use std::sync::Arc;

use common::nginx::Nginx;
use quire::server::{Site, cache, custom_css, http};

const BASE: &str = "https://blog.example";

/// A fixture site: posts in two categories with tags (pages of two), a
/// bundle post with a file beside it, an alias, a `static/` file, a logo.
fn fixture(root: &Path) -> PathBuf {
    let content = root.join("content");
    let category = |c: &str, tags: &str| format!("category = \"{c}\"\ntags = [{tags}]\n");
    common::write(
        &content,
        "alpha.md",
        &common::post(
            "Alpha",
            "2026-02-01",
            &format!(
                "{}aliases = [\"/old/alpha\"]\nauthors = [\"ada\"]\n",
                category("Databases", "\"sql\", \"rust\"")
            ),
        ),
    );
    common::write(
        &content,
        "beta.md",
        &common::post("Beta", "2026-01-01", &category("Rust", "\"rust\"")),
    );
    common::write(
        &content,
        "gamma.md",
        &common::post("Gamma", "2025-12-01", &category("Rust", "\"wasm\"")).replace(
            "More text.",
            "More text, [after Alpha]({{< ref \"alpha.md\" >}}).",
        ),
    );
    common::write(
        &content,
        "pics/index.md",
        &common::post("Pictures", "2025-11-01", "category = \"Rust\"\n")
            .replace("More text.", "![diagram](figure.svg)"),
    );
    common::write(
        &content,
        "pics/figure.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    // Beside the post from the start, shown only once a test links it.
    common::write(
        &content,
        "pics/second.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\"/>",
    );
    common::write(root, "static/verify.txt", "site-verification: 1234\n");
    common::write(root, "assets/custom.css", ":root { --accent: #0a5; }\n");
    common::write(
        root,
        "brand/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"30\"/>",
    );
    common::write(root, "quire.toml", &settings(root, 2));
    content
}

/// The fixture's settings: pages of `page_size` posts, a logo (named by
/// its absolute path: the export and the in-process server run in
/// different working directories).
fn settings(root: &Path, page_size: usize) -> String {
    let logo = root.join("brand/logo.svg");
    format!(
        "base_url = \"{BASE}\"\npage_size = {page_size}\nlogo = \"{}\"\n",
        logo.display()
    )
}

/// Runs `quire export out` over the fixture; its stdout.
fn export(root: &Path, out: &Path) -> String {
    export_with(root, out, &[])
}

/// Runs `quire export out ARGS…` over the fixture; its stdout.
fn export_with(root: &Path, out: &Path, args: &[&str]) -> String {
    let public = root.join("public");
    std::fs::create_dir_all(&public).unwrap();
    let output = common::quire_command(&[])
        .arg("export")
        .arg(out)
        .arg("--content")
        .arg(root.join("content"))
        .arg("--config")
        .arg(root.join("quire.toml"))
        .arg("--data")
        .arg(root.join("data"))
        .args(args)
        .env("DIOXUS_PUBLIC_PATH", &public)
        .current_dir(root)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    // Shown when a test fails: why the export asked what it asked.
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The in-process server over the same content and settings, with the
/// owner's stylesheet and theme files as `serve` reads them.
fn server(root: &Path) -> http::App {
    let config = quire::server::config::load(Some(&root.join("quire.toml")))
        .unwrap()
        .config;
    let content = root.join("content");
    // The router reads it when built; every test sets the same value.
    // SAFETY: no test of this file reads or sets it concurrently otherwise.
    unsafe { std::env::set_var("DIOXUS_PUBLIC_PATH", root.join("public")) };
    let store = quire::store::Store::temporary().unwrap();
    let options = config.render_options(&content);
    quire::store::sync::sync_all(&store, &content, &options, &|| {}).unwrap();
    let stylesheet = config
        .custom_css_path(&content)
        .map(|p| custom_css::Stylesheet::read(&p).unwrap())
        .unwrap_or_default();
    let theme = quire::server::theme::Theme::load(&config, &content).unwrap();
    let mut site = Site::new(store, config, content);
    site.custom_css = stylesheet;
    site.theme.set(theme);
    site.rebuild_search().unwrap();
    http::router(Arc::new(site))
}

/// Every file of the export but the manifest and the record of inputs,
/// relative, `/`-separated.
fn files(out: &Path) -> Vec<String> {
    let mut files: Vec<String> = walk(out)
        .into_iter()
        .map(|p| p.strip_prefix(out).unwrap().to_string_lossy().into_owned())
        .filter(|p| !p.starts_with(".quire-export"))
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// What a static host serves at `path`, as nginx's
/// `try_files $uri $uri.html $uri/index.html` and GitHub Pages do.
fn served(out: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let relative = decoded.trim_start_matches('/');
    let file = out.join(relative);
    [
        file.clone(),
        PathBuf::from(format!("{}.html", file.display())),
        file.join("index.html"),
    ]
    .into_iter()
    .find(|f| f.is_file())
}

/// Every link of an HTML file as written, read with scraper: hrefs,
/// sources (each of a `srcset`), form actions and a refresh's URL.
fn raw_links(html: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let selector =
        scraper::Selector::parse("[href], [src], [srcset], [action], meta[http-equiv=refresh]")
            .unwrap();
    let mut links = Vec::new();
    for element in document.select(&selector) {
        let value = element.value();
        for name in ["href", "src", "action"] {
            links.extend(value.attr(name).map(str::to_string));
        }
        let srcset = value.attr("srcset").unwrap_or_default();
        links.extend(
            srcset
                .split(',')
                .filter_map(|c| c.split_whitespace().next())
                .map(str::to_string),
        );
        let refresh = value.attr("content").and_then(|c| c.split_once("url="));
        links.extend(refresh.map(|(_, url)| url.to_string()));
    }
    links
}

/// The site links (root-relative, no query) of an HTML file, the base
/// URL's made root-relative.
fn links_of(html: &str) -> Vec<String> {
    raw_links(html)
        .into_iter()
        .map(|l| {
            l.strip_prefix(BASE).map_or(l.clone(), |rest| {
                if rest.is_empty() {
                    "/".into()
                } else {
                    rest.into()
                }
            })
        })
        .map(|l| l.split('#').next().unwrap().to_string())
        .filter(|l| l.starts_with('/') && !l.starts_with("//") && !l.contains('?'))
        // asset!() in a build without dx (tests) names a file of the
        // source tree, or a placeholder; dx's builds name `/assets/…`.
        .filter(|l| !l.contains(' ') && !l.starts_with(env!("CARGO_MANIFEST_DIR")))
        .map(|l| l.replace("/./", "/"))
        .collect()
}

/// The link a file under `_filtered/` stands for: `category/rust.html`
/// is `/?category=rust`, `tag/x/page/2.html` is `/page/2?tag=x`.
fn filtered_link(file: &str) -> String {
    let file = file.strip_suffix(".html").unwrap();
    let parts: Vec<&str> = file.split('/').collect();
    match parts.as_slice() {
        [facet, slug] => format!("/?{facet}={slug}"),
        [facet, slug, "page", n] => format!("/page/{n}?{facet}={slug}"),
        _ => panic!("unexpected filtered file {file}"),
    }
}

fn is_redirect_page(text: &str) -> bool {
    text.contains("<meta http-equiv=\"refresh\"")
}

#[tokio::test]
async fn the_export_is_the_site_byte_for_byte_with_no_broken_link() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fixture(root);
    let out = root.join("out");
    export(root, &out);
    let app = server(root);
    let all = files(&out);
    for expected in [
        "index.html",
        "page/2.html",
        "blog/alpha.html",
        "category/rust.html",
        "tags/rust.html",
        "atom.xml",
        "rss.xml",
        "feed.json",
        "sitemap.xml",
        "sitemaps/1.xml",
        "robots.txt",
        "404.html",
        "blog/pics/figure.svg",
        "verify.txt",
        "_redirects",
        ".nojekyll",
        "blog/alpha.html.br",
        "blog/alpha.html.gz",
        "old/alpha.html",
        "old/alpha/index.html",
        "_filtered/category/rust.html",
        "_filtered/category/rust/page/2.html",
        "_filtered/tag/rust.html",
        "_ref/alpha.html",
        "category/rust/atom.xml",
        "tags/wasm/atom.xml",
        "authors/ada.html",
        "authors/ada/atom.xml",
    ] {
        assert!(
            all.iter().any(|f| f == expected),
            "{expected} missing from {all:#?}"
        );
    }
    assert!(
        all.iter()
            .any(|f| f.starts_with("_custom/") && f.ends_with(".css")),
        "the owner's stylesheet: {all:#?}"
    );
    let mut broken = Vec::new();
    let mut searched = 0;
    let mut compared = 0;
    let mut narrowed_pages = 0;
    for name in all
        .iter()
        .filter(|f| !f.ends_with(".br") && !f.ends_with(".gz"))
    {
        let bytes = std::fs::read(out.join(name)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        if name.ends_with(".html") {
            let narrowed = quire::server::export::narrow::page(&bytes);
            assert!(
                narrowed.is_none_or(|n| n == bytes),
                "{name} still links a filter of several facets"
            );
            for link in links_of(&text) {
                if served(&out, &link).is_none() {
                    broken.push(format!("{name} → {link}"));
                }
            }
        }
        if is_redirect_page(&text) || [".nojekyll", "_redirects"].contains(&name.as_str()) {
            continue;
        }
        // The static search index is the export's own: a server searches
        // through its API (src/search/exported.rs tests the two agree).
        if name.starts_with("_search/") {
            searched += 1;
            continue;
        }
        let path = match name.as_str() {
            "index.html" => "/".to_string(),
            "404.html" => "/404.html".to_string(),
            other => match other.strip_prefix("_filtered/") {
                Some(filtered) => filtered_link(filtered),
                None => format!("/{}", other.strip_suffix(".html").unwrap_or(other)),
            },
        };
        let answer = in_process::get(app.clone(), &path).await;
        let status = if name == "404.html" {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::OK
        };
        assert_eq!(answer.status, status, "{path}");
        // What only a server can answer: a filter of several facets,
        // which the export narrows to the facet each link adds.
        let served = answer.body.as_bytes();
        let narrowed = quire::server::export::narrow::page(served);
        narrowed_pages += usize::from(narrowed.is_some());
        assert!(
            narrowed.as_deref().unwrap_or(served) == bytes.as_slice(),
            "{name} differs from GET {path}"
        );
        compared += 1;
    }
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    assert!(compared >= 15, "{compared} files compared");
    // The tag pages link Alpha's other tag as a filter of two tags.
    assert!(narrowed_pages >= 1, "no page had a link of several facets");
    assert!(searched >= 3, "{searched} search index files");
    let head = std::fs::read_to_string(out.join("_search/meta.json")).unwrap();
    let head: quire_find::format::Head = serde_json::from_str(&head).unwrap();
    assert_eq!(head.format, quire_find::format::FORMAT);
    let preloaded: Vec<&str> = head.preload.iter().map(String::as_str).collect();
    for file in &preloaded {
        let path = out.join(file.trim_start_matches('/'));
        assert!(
            path.is_file(),
            "meta.json preloads {file}, which the export lacks"
        );
    }
    // What the loader fetches once the engine is open: a small site's
    // packs of posts and every shard of postings, so queries fetch nothing.
    let packs = head.background.iter().filter(|f| f.starts_with("docpack-"));
    assert!(
        packs.count() >= 1,
        "no pack of posts: {:?}",
        head.background
    );
    let shards = all
        .iter()
        .filter(|f| f.starts_with("_search/") && f.ends_with(".bin"));
    let shards: Vec<&str> = shards
        .map(|f| f.trim_start_matches("_search/"))
        .filter(|f| !f.starts_with("norms-"))
        .collect();
    assert!(!shards.is_empty());
    for shard in shards {
        let named = head.background.iter().any(|f| f == shard);
        assert!(named, "{shard} is not in the background");
    }
    for file in &head.background {
        let path = out.join("_search").join(file);
        assert!(
            path.is_file(),
            "meta.json names {file}, which the export lacks"
        );
    }
    // The fixture's bundle has no engine module (`make build` adds it).
    let engine = usize::from(!head.engine.is_empty());
    assert_eq!(
        preloaded.len(),
        engine + 1 + head.norms.len(),
        "{preloaded:?}"
    );
    let index = std::fs::read_to_string(out.join("_search").join(&head.index)).unwrap();
    // Fetched by every reader at the box's first focus: dense.
    let br = std::fs::read(out.join("_search").join(format!("{}.br", head.index))).unwrap();
    let best = cache::compress(
        index.as_bytes(),
        cache::Encoding::Brotli,
        cache::Effort::Dense,
    );
    assert!(
        br == best.as_ref(),
        "the index's .br is not compressed densely"
    );
    let index: serde_json::Value = serde_json::from_str(&index).unwrap();
    assert_eq!(index["format"], quire_find::format::FORMAT);
    assert_eq!(index["docs"], 4, "the fixture's visible posts");
    assert_eq!(head.norms.len(), index["fields"].as_array().unwrap().len());
}

/// Every link of an HTML file that is a path, as written (fragment
/// dropped).
fn paths_of(html: &str) -> Vec<String> {
    let is_path = |l: &String| {
        !l.is_empty() && !l.starts_with('#') && !l.starts_with("//") && !l.contains(':')
    };
    raw_links(html)
        .into_iter()
        .filter(is_path)
        .map(|l| l.split('#').next().unwrap().to_string())
        .collect()
}

#[test]
fn a_relative_export_links_every_page_to_its_files_from_its_own_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fixture(root);
    let out = root.join("out");
    export_with(root, &out, &["--relative"]);
    let mut broken = Vec::new();
    let mut relative = 0;
    for name in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(out.join(name)).unwrap();
        let folder = Path::new(name).parent().unwrap();
        for link in paths_of(&html) {
            if link.starts_with('/') {
                // Left as it is only when the export has no file for it
                // (a filter of several facets is a server's).
                if !link.contains('?') && served(&out, &link).is_some() {
                    broken.push(format!("{name} → {link}: still root-relative"));
                }
                continue;
            }
            relative += 1;
            let link = link.split('?').next().unwrap();
            let decoded = percent_encoding::percent_decode_str(link)
                .decode_utf8()
                .unwrap();
            let file = out.join(folder).join(decoded.as_ref());
            if !file.is_file() {
                broken.push(format!("{name} → {link}: no file {}", file.display()));
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
    assert!(relative > 100, "{relative} relative links");
    let alpha = std::fs::read_to_string(out.join("blog/alpha.html")).unwrap();
    assert!(
        alpha.contains("href=\"../index.html\""),
        "the home link, from blog/"
    );
    assert!(
        alpha.contains("<link rel=\"canonical\" href=\"https://blog.example/blog/alpha\""),
        "absolute links stay"
    );
    let moved = std::fs::read_to_string(out.join("old/alpha.html")).unwrap();
    assert!(moved.contains("url=../blog/alpha.html"), "{moved}");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("href=\"_filtered/category/rust.html\""),
        "a chip's filtered page"
    );
}

#[test]
fn switching_to_relative_links_exports_every_page_again() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fixture(root);
    let out = root.join("out");
    export(root, &out);
    let root_relative = std::fs::read_to_string(out.join("blog/alpha.html")).unwrap();
    export_with(root, &out, &["--relative"]);
    let relative = std::fs::read_to_string(out.join("blog/alpha.html")).unwrap();
    assert!(root_relative.contains("href=\"/\""));
    assert!(relative.contains("href=\"../index.html\"") && !relative.contains("href=\"/\""));
    // A body edit asks only the post again: it links relatively too, to
    // the pages kept from the last export.
    edit(
        &root.join("content/beta.md"),
        "More text.",
        "More text, edited.",
    );
    let again = export_with(root, &out, &["--relative"]);
    assert!(!again.contains(" 0 unchanged"), "a partial export: {again}");
    let beta = std::fs::read_to_string(out.join("blog/beta.html")).unwrap();
    assert!(
        beta.contains("edited") && beta.contains("href=\"../index.html\""),
        "{beta}"
    );
    export(root, &out);
    assert_eq!(
        std::fs::read_to_string(out.join("blog/alpha.html")).unwrap(),
        root_relative
    );
}

#[tokio::test]
async fn redirects_are_pages_and_redirects_lines_as_serve_answers_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fixture(root);
    let out = root.join("out");
    export(root, &out);
    let answer = in_process::get(server(root), "/old/alpha").await;
    assert_eq!(answer.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(answer.header("location"), "/blog/alpha");
    let redirects = std::fs::read_to_string(out.join("_redirects")).unwrap();
    assert!(
        redirects.lines().any(|l| l == "/old/alpha /blog/alpha 301"),
        "{redirects}"
    );
    for page in ["old/alpha.html", "old/alpha/index.html"] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(
            html.contains("<meta http-equiv=\"refresh\" content=\"0; url=/blog/alpha\">"),
            "{html}"
        );
        assert!(html.contains(&format!(
            "<link rel=\"canonical\" href=\"{BASE}/blog/alpha\">"
        )));
    }
}

#[test]
fn compressed_copies_hold_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fixture(root);
    let out = root.join("out");
    export(root, &out);
    let page = std::fs::read(out.join("blog/alpha.html")).unwrap();
    let mut brotli = Vec::new();
    brotli::BrotliDecompress(
        &mut std::fs::File::open(out.join("blog/alpha.html.br")).unwrap(),
        &mut brotli,
    )
    .unwrap();
    assert_eq!(brotli, page);
    let mut gzip = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(
            std::fs::File::open(out.join("blog/alpha.html.gz")).unwrap(),
        ),
        &mut gzip,
    )
    .unwrap();
    assert_eq!(gzip, page);
}

/// Replaces `from` with `to` in the file at `path`, as an author's edit.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// Inode of every file: a file written again (renamed into place) gets a new one.
fn inodes(out: &Path) -> BTreeMap<String, u64> {
    files(out)
        .into_iter()
        .map(|f| {
            let ino = std::fs::metadata(out.join(&f)).unwrap().ino();
            (f, ino)
        })
        .collect()
}

#[test]
fn a_second_export_rewrites_only_what_changed_and_removes_only_its_own_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let content = fixture(root);
    let out = root.join("out");
    export(root, &out);
    std::fs::write(out.join("CNAME"), "blog.example\n").unwrap();
    let before = inodes(&out);
    let again = export(root, &out);
    assert_eq!(
        inodes(&out),
        before,
        "nothing changed, nothing written: {again}"
    );
    assert!(again.contains(" 0 written"), "{again}");

    edit(&content.join("gamma.md"), "More text,", "Edited text,");
    std::fs::remove_file(content.join("beta.md")).unwrap();
    let edited = export(root, &out);
    let after = inodes(&out);
    assert_ne!(
        after.get("blog/gamma.html"),
        before.get("blog/gamma.html"),
        "the edited post is rewritten"
    );
    assert!(
        std::fs::read_to_string(out.join("blog/gamma.html"))
            .unwrap()
            .contains("Edited text,")
    );
    assert!(
        !out.join("blog/beta.html").exists(),
        "a removed post's page goes: {edited}"
    );
    assert!(!out.join("blog/beta.html.br").exists());
    assert_eq!(
        after.get("blog/pics/figure.svg"),
        before.get("blog/pics/figure.svg"),
        "unchanged files stay"
    );
    assert_eq!(after.get("robots.txt"), before.get("robots.txt"));
    assert!(
        out.join("CNAME").is_file(),
        "a file Quire did not write stays"
    );
}

/// Every file of `out` (copies included, the manifest and the record of
/// inputs not) with its bytes.
fn contents(out: &Path) -> BTreeMap<String, Vec<u8>> {
    walk(out)
        .into_iter()
        .map(|f| {
            let name = f.strip_prefix(out).unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&f).unwrap())
        })
        .filter(|(name, _)| !name.starts_with(".quire-export"))
        .collect()
}

/// Exports `root` into a new folder, asking every address.
fn whole_export(root: &Path, name: &str) -> BTreeMap<String, Vec<u8>> {
    let out = root.join(name);
    let said = export(root, &out);
    assert!(said.starts_with("exported "), "{said}");
    assert!(!said.contains("exported again"), "{said}");
    contents(&out)
}

#[test]
fn after_a_body_edit_only_what_it_touches_is_asked_and_the_folder_is_a_whole_export() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let content = fixture(root);
    let out = root.join("out");
    assert!(!export(root, &out).contains("exported again"));
    let again = export(root, &out);
    assert!(
        again.contains("exported again the") && again.contains(" 0 written"),
        "nothing changed: {again}"
    );

    edit(&content.join("gamma.md"), "More text,", "Edited text,");
    let edited = export(root, &out);
    assert!(edited.contains("exported again the"), "{edited}");
    let asked: usize = edited
        .split("exported again the ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(asked < 20, "the post, feeds, search and 404: {edited}");
    let page = std::fs::read_to_string(out.join("blog/gamma.html")).unwrap();
    assert!(page.contains("Edited text,"));
    assert_eq!(contents(&out), whole_export(root, "whole-1"));

    // A body now showing a file no page linked to: found by its link.
    edit(
        &content.join("pics/index.md"),
        "(figure.svg)",
        "(figure.svg)\n\n![second](second.svg)",
    );
    let linked = export(root, &out);
    assert!(linked.contains("exported again the"), "{linked}");
    assert!(out.join("blog/pics/second.svg").is_file(), "{linked}");
    assert_eq!(contents(&out), whole_export(root, "whole-1b"));

    // A title is on every listing: the whole site is asked again.
    edit(
        &content.join("beta.md"),
        "title = \"Beta\"",
        "title = \"Beta, renamed\"",
    );
    let renamed = export(root, &out);
    assert!(!renamed.contains("exported again"), "{renamed}");
    assert_eq!(contents(&out), whole_export(root, "whole-2"));

    // So is a setting, and a file of the folder deleted by hand.
    common::write(root, "quire.toml", &settings(root, 3));
    assert!(!export(root, &out).contains("exported again"));
    std::fs::remove_file(out.join("blog/alpha.html")).unwrap();
    let mended = export(root, &out);
    assert!(!mended.contains("exported again"), "{mended}");
    assert!(out.join("blog/alpha.html").is_file());
    assert_eq!(contents(&out), whole_export(root, "whole-3"));
}

/// Posts (title, date, the text in place of the common body's last
/// line) under `root/content`, with `base_url` set, exported into
/// `root/out`, which is returned.
fn export_posts(root: &Path, posts: &[(&str, &str, &str)]) -> PathBuf {
    export_posts_with(root, posts, "")
}

/// [`export_posts`] with `settings` added to `quire.toml`.
fn export_posts_with(root: &Path, posts: &[(&str, &str, &str)], settings: &str) -> PathBuf {
    for (title, date, text) in posts {
        let post = common::post(title, date, "").replace("More text.", text);
        let file = format!("{}.md", title.to_lowercase());
        common::write(&root.join("content"), &file, &post);
    }
    let toml = format!("base_url = \"{BASE}\"\n{settings}");
    common::write(root, "quire.toml", &toml);
    let out = root.join("out");
    export(root, &out);
    out
}

/// The search index's files a reader's browser fetches ahead (the head's
/// `background`) are the owner's to bound: `search_prefetch_kb = 0` names
/// none, so each query fetches only what it needs; the default names the
/// posts' packs and, when the whole index fits, every shard.
#[test]
fn the_owner_bounds_what_readers_fetch_of_the_search_index_ahead() {
    let background = |settings: &str| {
        let dir = tempfile::tempdir().unwrap();
        let posts = [("Alpha", "2026-01-01", "A."), ("Beta", "2026-01-02", "B.")];
        let out = export_posts_with(dir.path(), &posts, settings);
        let head = std::fs::read_to_string(out.join("_search/meta.json")).unwrap();
        let head: quire_find::format::Head = serde_json::from_str(&head).unwrap();
        head.background
    };
    let all = background("");
    assert!(all.iter().any(|f| f.starts_with("docpack-")), "{all:?}");
    assert!(all.iter().any(|f| f.ends_with(".bin")), "{all:?}");
    assert_eq!(background("search_prefetch_kb = 0\n"), Vec::<String>::new());
}

/// A post linking to its own `index.html` (an old engine's spelling,
/// which the server redirects to the post) gets one redirect page at
/// that file. The export used to put a second one in a folder of the
/// same name beside it and stop with "File exists", naming no file.
#[test]
fn a_link_to_an_index_html_spelling_is_one_redirect_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = export_posts(
        dir.path(),
        &[("Delta", "2026-01-01", "See [the top](./index.html#top).")],
    );
    let page = std::fs::read_to_string(out.join("blog/delta/index.html")).unwrap();
    assert!(is_redirect_page(&page), "{page}");
    assert!(page.contains("url=/blog/delta\""), "{page}");
}

#[test]
fn a_link_with_a_trailing_slash_is_a_redirect_page_in_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = export_posts(
        dir.path(),
        &[
            ("Echo", "2026-01-01", "More text."),
            ("Foxtrot", "2026-01-02", "As [Echo said](/blog/echo/)."),
        ],
    );
    let page = std::fs::read_to_string(out.join("blog/echo/index.html")).unwrap();
    assert!(is_redirect_page(&page), "{page}");
    assert!(page.contains("url=/blog/echo\""), "{page}");
    let redirects = std::fs::read_to_string(out.join("_redirects")).unwrap();
    assert!(
        redirects.contains("/blog/echo/ /blog/echo 301"),
        "{redirects}"
    );
}

/// A site whose addresses end in a slash (`trailing_slash`, a migrated
/// Zola or Hugo blog) exports each post as its folder's `index.html`,
/// which every static host serves at that address, with the slash in its
/// canonical link and its feed entry's id.
#[test]
fn a_post_at_an_address_with_a_slash_is_its_folder_s_index() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    let posts = [("Golf", "2026-01-01", "As [Hotel](/blog/hotel/) says.")];
    let out = export_posts_with(root, &posts, "trailing_slash = true\n");
    let page = std::fs::read_to_string(out.join("blog/golf/index.html")).unwrap();
    assert!(!is_redirect_page(&page), "{page}");
    let canonical = format!("<link rel=\"canonical\" href=\"{BASE}/blog/golf/\"");
    assert!(page.contains(&canonical), "{page}");
    assert!(!out.join("blog/golf.html").exists());
    let atom = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(
        atom.contains(&format!("<id>{BASE}/blog/golf/</id>")),
        "{atom}"
    );
    let config = include_str!("../deploy/nginx-static.conf");
    let nginx = Nginx::start(config, &[("{{ROOT}}", &out.display().to_string())]);
    let reply = common::fetch(&nginx.addr, "/blog/golf/");
    assert_eq!((reply.status, reply.body), (200, page));
}

/// A blog migrated from Zola or Hugo (`trailing_slash`) had its lists at
/// `/tags/rust/`, `/categories/databases/`, `/page/2/`, its other
/// taxonomies' at `/series/<t>/`, its feeds at `/index.xml` and
/// `/posts/index.xml`: `serve` leads each to Quire's in one 301, and the
/// export writes a redirect page (a list's) or a copy of the feed where a
/// host without redirect rules (GitHub Pages, an object store) looks for
/// each, so none answers 404 there. They are not `_redirects` lines (its
/// rules cover them; hosts cap the file's lines). A site born in Quire
/// (no setting of another engine's addresses) gets none of these files.
#[test]
fn a_migrated_blog_s_old_list_addresses_are_redirect_pages() {
    let site = |settings: &str| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (title, extra) in [
            (
                "Kilo",
                "categories = [\"Databases\", \"News\"]\ntags = [\"rust\"]\nseries = [\"Deep Dives\"]\n",
            ),
            (
                "Lima",
                "categories = [\"Databases\"]\ntags = [\"rust\", \"ops\"]\n",
            ),
            (
                "posts/Mike",
                "category = \"Ops\"\ntags = [\"go\", \"ops\"]\n",
            ),
        ] {
            let post = common::post(title, "2026-01-01", extra);
            common::write(
                &root.join("content"),
                &format!("{}.md", title.to_lowercase()),
                &post,
            );
        }
        let toml = format!("base_url = \"{BASE}\"\npage_size = 1\n{settings}");
        common::write(root, "quire.toml", &toml);
        let out = root.join("out");
        export(root, &out);
        (dir, out)
    };
    let (dir, out) = site("trailing_slash = true\ntaxonomies = [\"series\"]\n");
    for (old, new) in [
        ("/tags/rust/", "/tags/rust"),
        ("/tags/rust/page/2/", "/tags/rust/page/2"),
        ("/tag/rust/", "/tags/rust"),
        ("/tags/", "/tags"),
        ("/category/databases/", "/category/databases"),
        ("/categories/databases/", "/category/databases"),
        ("/categories/news/", "/tags/news"),
        ("/categories/", "/category"),
        ("/series/deep-dives/", "/tags/deep-dives"),
        ("/series/", "/tags"),
        ("/page/2/", "/page/2"),
        ("/page2/", "/page/2"),
        ("/category/rust/", "/tags/rust"),
        ("/posts/", "/posts"),
    ] {
        let file = served(&out, old).unwrap_or_else(|| panic!("{old}: no file"));
        let page = std::fs::read_to_string(&file).unwrap();
        assert!(is_redirect_page(&page), "{old}: {page}");
        assert!(page.contains(&format!("url={new}\"")), "{old}: {page}");
        let list = std::fs::read_to_string(served(&out, new).unwrap()).unwrap();
        assert!(!is_redirect_page(&list), "{new}");
    }
    for (old, feed) in [
        ("index.xml", "rss.xml"),
        ("feed.xml", "atom.xml"),
        ("posts/index.xml", "posts/atom.xml"),
    ] {
        let copy = std::fs::read(out.join(old)).unwrap_or_else(|e| panic!("{old}: {e}"));
        assert_eq!(copy, std::fs::read(out.join(feed)).unwrap(), "{old}");
    }
    // The tag `ops` has two pages, the category `ops` one: the guess
    // `/category/ops/page/2/` leads to a page `serve` clamps to the first,
    // which is no page of the export.
    assert!(out.join("tags/ops/page/2.html").exists());
    assert!(!out.join("category/ops/page/2.html").exists());
    let redirects = std::fs::read_to_string(out.join("_redirects")).unwrap();
    assert!(!redirects.contains("/tags/rust/ "), "{redirects}");
    // A body's edit is exported again alone (an old address's redirect is
    // not asked again), and the feed's copies follow the feed.
    edit(&dir.path().join("content/kilo.md"), "More text.", "Edited.");
    let again = export(dir.path(), &out);
    assert!(again.starts_with("exported again"), "{again}");
    let rss = std::fs::read_to_string(out.join("rss.xml")).unwrap();
    assert!(rss.contains("Edited."));
    assert_eq!(std::fs::read_to_string(out.join("index.xml")).unwrap(), rss);
    let (_plain_dir, plain) = site("");
    for old in [
        "tags/rust/index.html",
        "categories",
        "tag",
        "page2",
        "index.xml",
    ] {
        assert!(!plain.join(old).exists(), "{old}");
    }
}

#[test]
fn exporting_into_the_content_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let content = fixture(root);
    let output = common::quire_command(&[])
        .arg("export")
        .arg(content.join("site"))
        .arg("--content")
        .arg(&content)
        .arg("--data")
        .arg(root.join("data"))
        .env("DIOXUS_PUBLIC_PATH", root)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("never writes into content/"));
    assert!(!content.join("site").exists());
}

#[test]
fn nginx_with_the_documented_config_serves_every_page_at_its_address() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    fixture(root);
    let out = root.join("out");
    export(root, &out);
    let config = include_str!("../deploy/nginx-static.conf");
    let nginx = Nginx::start(config, &[("{{ROOT}}", &out.display().to_string())]);
    let read = |file: &str| std::fs::read_to_string(out.join(file)).unwrap();
    let mut served = 0;
    for name in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let path = match name.as_str() {
            "index.html" | "404.html" => continue,
            n if n.starts_with("_filtered/") || n.ends_with("/index.html") => continue,
            n => format!("/{}", n.strip_suffix(".html").unwrap()),
        };
        let reply = common::fetch(&nginx.addr, &path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.body, read(name), "{path}");
        served += 1;
    }
    assert!(served >= 10, "{served}");
    for (link, file) in [
        ("/", "index.html"),
        ("/?category=rust", "_filtered/category/rust.html"),
        ("/?tag=wasm", "_filtered/tag/wasm.html"),
        (
            "/page/2?category=rust",
            "_filtered/category/rust/page/2.html",
        ),
        ("/old/alpha/", "old/alpha/index.html"),
    ] {
        let reply = common::fetch(&nginx.addr, link);
        assert_eq!((reply.status, reply.body), (200, read(file)), "{link}");
    }
    // Other engines' feed addresses lead to Quire's feeds, and their
    // list pages to Quire's lists, as `serve`'s do.
    for (old, new) in [
        ("/feed.xml", "/atom.xml"),
        ("/index.xml", "/rss.xml"),
        ("/tags/rust/index.xml", "/tags/rust/atom.xml"),
        ("/categories/", "/category"),
        ("/categories/rust/", "/category/rust"),
        ("/tag/wasm/", "/tags/wasm"),
        ("/page2/", "/page/2"),
    ] {
        let reply = common::fetch(&nginx.addr, old);
        assert_eq!(reply.status, 301, "{old}");
        let location = reply.header("location").unwrap_or_default();
        assert!(location.ends_with(new), "{old}: {location}");
        assert_eq!(common::fetch(&nginx.addr, new).status, 200, "{new}");
    }
    let redirects = read("_redirects");
    assert!(
        redirects.contains("/feed.xml /atom.xml 301\n"),
        "{redirects}"
    );
    assert!(
        redirects.contains("/categories/:term /category/:term 301\n"),
        "{redirects}"
    );
    let missing = common::fetch(&nginx.addr, "/no/such/page");
    assert_eq!((missing.status, missing.body), (404, read("404.html")));
    assert!(gzip_head(&nginx.addr, "/blog/alpha").contains("Content-Encoding: gzip"));
}

#[test]
fn a_language_s_pages_and_filters_are_exported_and_served_by_nginx() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multilingual");
    let source = fixture.join("content");
    for file in walk(&source) {
        let relative = file
            .strip_prefix(&source)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        common::write(
            &root.join("content"),
            &relative,
            &std::fs::read_to_string(&file).unwrap(),
        );
    }
    std::fs::copy(fixture.join("quire.toml"), root.join("quire.toml")).unwrap();
    let out = root.join("out");
    export(root, &out);
    let read = |file: &str| std::fs::read_to_string(out.join(file)).unwrap();
    let kitchen = read("fr/_filtered/category/kitchen.html");
    assert!(
        kitchen.contains("Garder un levain en vie") && !kitchen.contains("Un samedi au marché")
    );
    let config = include_str!("../deploy/nginx-static.conf");
    let nginx = Nginx::start(config, &[("{{ROOT}}", &out.display().to_string())]);
    for (link, file) in [
        ("/fr", "fr.html"),
        ("/fr/page/2", "fr/page/2.html"),
        ("/fr?category=kitchen", "fr/_filtered/category/kitchen.html"),
        ("/fr?tag=pruning", "fr/_filtered/tag/pruning.html"),
        ("/ja/blog/seeds", "ja/blog/seeds.html"),
        ("/fr/atom.xml", "fr/atom.xml"),
        ("/?category=kitchen", "_filtered/category/kitchen.html"),
    ] {
        let reply = common::fetch(&nginx.addr, link);
        assert_eq!((reply.status, reply.body), (200, read(file)), "{link}");
    }
}

/// The response head of `GET path` asking for gzip.
fn gzip_head(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw);
    text.split("\r\n\r\n").next().unwrap().to_string()
}

/// The search box asks `/_search/meta.json` on its first focus: a live
/// server names no engine there (it searches through `/api/search`), an
/// export names the one it wrote.
#[tokio::test]
async fn a_live_server_s_search_meta_names_no_engine() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fixture(root);
    export(root, &root.join("out"));
    let answer = in_process::get(server(root), "/_search/meta.json").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("content-type"), "application/json");
    let meta: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(meta["engine"], "");
    assert_eq!(meta["loader"], "");
}
