//! The properties the fuzz targets check, in one place: `fuzz/fuzz_targets/*`
//! (cargo fuzz, nightly) and `tests/fuzz_corpus.rs` (the checked-in corpus,
//! stable) both include this file with `#[path]`, so a crash found by the
//! fuzzer replays under `make test` against exactly the same oracle.
//!
//! Each check takes raw bytes (what libFuzzer hands out) and panics when a
//! property fails; "no panic" is the first property of every target.
#![allow(dead_code)]

#[path = "hostile_html.rs"]
mod html;

use std::path::Path;
use std::str::FromStr;
use std::sync::OnceLock;

use quire::content::{RawHtml, RenderOptions, markdown, parse_document};
use quire::search::SearchIndex;
use quire::server::redirects;
use quire::web::Route;

/// Inputs past this are cut: the engine refuses files over 4 MiB anyway,
/// and libFuzzer's default `-max_len` is far below it.
const MAX_INPUT: usize = 64 * 1024;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_INPUT)]).into_owned()
}

/// The settings of the renderer that promise inert output: raw HTML
/// dropped and sanitised (the default, also with an embed host and with a
/// bundle asset base).
fn all_options() -> [RenderOptions; 3] {
    [
        RenderOptions {
            raw_html: RawHtml::Drop,
            ..RenderOptions::default()
        },
        RenderOptions {
            embed_hosts: vec!["www.youtube.com".into()],
            ..RenderOptions::default()
        },
        RenderOptions {
            asset_base: Some("/blog/x/".to_string()),
            ..RenderOptions::default()
        },
    ]
}

fn assert_inert(what: &str, input: &str, output: &str) {
    let problems = html::problems(what, output);
    assert!(
        problems.is_empty(),
        "{what}: {problems:?}\ninput: {input:?}\noutput: {output}"
    );
}

/// The HTML property alone, so the corpus test can show it is not vacuous.
pub fn assert_inert_for_test(html: &str) {
    assert_inert("test", "", html);
}

/// Front matter + document: a parse error names the file; a parsed post
/// has a non-empty slug without `/` behind its section, a canonical
/// address, and its HTML carries no script.
pub fn front_matter(bytes: &[u8]) {
    let input = text(bytes);
    for options in all_options() {
        match parse_document(Path::new("posts/fuzzed.md"), &input, &options) {
            Ok((doc, warnings)) => {
                assert!(
                    doc.slug
                        .strip_prefix("posts/")
                        .is_some_and(|s| !s.is_empty() && !s.contains('/')),
                    "slug {:?} from {input:?}",
                    doc.slug
                );
                assert!(
                    doc.url.starts_with('/')
                        && !doc.url.contains("/../")
                        && !doc.url.contains("//"),
                    "address {:?} from {input:?}",
                    doc.url
                );
                assert_inert("document", &input, &doc.html);
                for warning in warnings {
                    assert!(warning.to_string().contains("fuzzed.md"), "{warning}");
                }
            }
            Err(err) => {
                let message = err.to_string();
                assert!(
                    message.contains("fuzzed.md"),
                    "error without the file: {message}"
                );
            }
        }
    }
}

/// Markdown → HTML, both settings: no script, handler, dangerous URL or
/// frame in the output, and the summary is not longer than the input allows.
pub fn markdown(bytes: &[u8]) {
    let input = text(bytes);
    for options in all_options() {
        let rendered = markdown::render(&input, &options);
        assert_inert("markdown", &input, &rendered.html);
        assert!(
            rendered.summary.len() <= input.len() * 2 + 16,
            "summary of {} bytes from {} bytes of input",
            rendered.summary.len(),
            input.len()
        );
    }
}

/// A small index, built once per process (tantivy in RAM, a temporary
/// store): the posts the queries run against.
fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let store = quire::store::Store::temporary().expect("temporary store");
        let dir = std::env::temp_dir().join(format!("quire-fuzz-search-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        for (i, title) in ["Rust async", "Postgres indexes", "Café crème", "日本語の記事"]
            .iter()
            .enumerate()
        {
            let post = format!(
                "+++\ntitle = \"{title}\"\ndate = 2026-01-0{}\ntags = [\"t{i}\"]\n+++\n\n{title} body text.\n",
                i + 1
            );
            std::fs::write(dir.join(format!("p{i}.md")), post).expect("write post");
        }
        quire::store::sync::sync_all(&store, &dir, &RenderOptions::default(), &|| {})
            .expect("sync");
        let _ = std::fs::remove_dir_all(&dir);
        let index = SearchIndex::new().expect("index");
        index.rebuild(&store, false).expect("rebuild");
        index
    })
}

/// Search query parsing and execution: at most 8 distinct, non-empty words
/// taken from the first 256 bytes, and both searches run without error.
pub fn search_query(bytes: &[u8]) {
    let query = text(bytes);
    let index = index();
    let terms = index.terms(&query);
    assert!(terms.words.len() <= 8, "{query:?}: {:?}", terms.words);
    for (i, word) in terms.words.iter().enumerate() {
        assert!(!word.is_empty(), "{query:?}: empty word");
        assert!(
            !terms.words[..i].contains(word),
            "{query:?}: {word:?} twice"
        );
    }
    // Words come from the first 256 bytes; case folding may grow a
    // character (İ → i̇), never by more than 3×.
    let total: usize = terms.words.iter().map(String::len).sum();
    assert!(total <= 3 * 256, "{query:?}: {total} bytes of words");
    index.search(&terms, 10).expect("search");
    index.search_any(&terms, 10).expect("search_any");
}

/// URL routing: any path either fails to route or routes to a page that
/// prints back to a path routing to the same page; the redirect helpers
/// never produce a path that leaves the origin.
pub fn routing(bytes: &[u8]) {
    let input = text(bytes);
    let path = if input.starts_with('/') {
        input.clone()
    } else {
        format!("/{input}")
    };
    // The redirect middleware's view of the path.
    let trimmed = quire::urls::permalink::key(&path);
    assert!(trimmed.starts_with('/'), "{path:?} → {trimmed:?}");
    let location = redirects::same_origin(trimmed);
    assert!(
        location.starts_with('/') && !location.starts_with("//") && !location.starts_with("/\\"),
        "{path:?} redirects off the origin: {location:?}"
    );
    if let Some(decoded) = redirects::percent_decode(&path) {
        assert!(decoded.len() <= path.len(), "{path:?} decoded longer");
    }
    // The router's view.
    let Ok(route) = Route::from_str(&path) else {
        return;
    };
    let printed = route.to_string();
    let again = Route::from_str(&printed)
        .unwrap_or_else(|_| panic!("{path:?} → {printed:?} does not parse again"));
    // The catch-all (every post's address, else a 404) prints its segments
    // unescaped, so its printed path may route elsewhere; post links are
    // never printed by the router (they are the stored, encoded addresses). So may a
    // slug no post can have: the router decodes `%2F` into the slug and
    // prints `/` back raw, and keeps a segment with a bad escape (`%\r`)
    // undecoded but prints it with `\r` escaped and `%` not. Both are 404s
    // and never printed into links; found by this target (see
    // docs/SECURITY.md). So may an empty slug (`/blog//`). Slugs the site
    // can serve (non-empty, what `slugify` makes)
    // must round-trip exactly.
    let servable = |slug: &str| !slug.is_empty() && quire::model::slugify(slug) == slug;
    let round_trips = match &route {
        Route::Article { .. } => false,
        Route::Category { slug }
        | Route::CategoryPage { slug, .. }
        | Route::Tag { slug }
        | Route::TagPage { slug, .. }
        | Route::Author { slug }
        | Route::AuthorPagination { slug, .. } => servable(slug),
        // Found by this target: the router percent-decodes the whole query
        // string before the route sees it, so a query route need not
        // round-trip (`%2B` comes back as a space). The search page reads
        // the raw query instead (`SearchQuery::of_page`;
        // tests/http.rs::search_page_searches_what_the_form_sent); filter
        // values are slugs, which decoding leaves alone. Query routes must
        // still print and parse again without a panic.
        Route::Index { .. } | Route::IndexPage { .. } | Route::Search { .. } => false,
    };
    if round_trips {
        assert_eq!(again, route, "{path:?} → {printed:?}");
        assert_eq!(again.to_string(), printed, "{path:?} → {printed:?}");
    }
}
