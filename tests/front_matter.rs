//! Front matter written for Zola, Hugo and Jekyll: real blogs' keys read
//! without a single warning, and each engine's spelling of a field landing
//! in the post (`tests/fixtures/frontmatter/{zola,hugo,jekyll}/`).

use std::path::{Path, PathBuf};

use quire::content::{ContentError, Document, RenderOptions, front_matter, parse_document};
use quire::model::Date;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/frontmatter")
}

/// Every Markdown file under `dir`, relative to the fixtures.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn warnings_of(path: &Path) -> Vec<ContentError> {
    let text = std::fs::read_to_string(path).unwrap();
    let split = front_matter::split(path, &text).unwrap();
    front_matter::parse(path, &split).unwrap().1
}

fn document(relative: &str) -> Document {
    let path = fixtures().join(relative);
    let text = std::fs::read_to_string(&path).unwrap();
    let (doc, warnings) =
        parse_document(Path::new(relative), &text, &RenderOptions::default()).unwrap();
    assert!(warnings.is_empty(), "{relative}: {warnings:?}");
    doc
}

fn day(text: &str) -> Date {
    text.parse().unwrap()
}

#[test]
fn zola_hugo_and_jekyll_corpora_give_zero_warnings() {
    for engine in ["zola", "hugo", "jekyll"] {
        let files = files(&fixtures().join(engine));
        assert!(files.len() >= 3, "{engine}: {files:?}");
        for file in files {
            let warnings = warnings_of(&file);
            assert!(warnings.is_empty(), "{}: {warnings:?}", file.display());
        }
    }
}

#[test]
fn zola_keys_are_honoured() {
    let doc = document("zola/rust-async-cancellation.md");
    assert_eq!(doc.authors, ["Yoshua Wuyts"]);
    assert_eq!(doc.url, "/blog/async-cancellation");
    assert_eq!(
        (doc.category.as_str(), doc.tags.as_slice()),
        (
            "Programming",
            &["rust".to_string(), "async".to_string()][..]
        )
    );
    assert!(doc.in_search_index && doc.render);
    let garden = document("zola/garden-notes/index.md");
    assert_eq!(garden.date, day("2021-09-03"));
    assert_eq!(garden.authors, ["amos"]);
    assert_eq!(garden.series.as_deref(), Some("Garden diaries"));
}

#[test]
fn hugo_keys_are_honoured() {
    let doc = document("hugo/2024-kubernetes-operators.md");
    assert_eq!(doc.date, day("2024-02-02"));
    assert_eq!(doc.updated, Some(day("2024-03-10")));
    assert_eq!(doc.description, "Reconcile loops without tears.");
    assert_eq!(doc.authors, ["Jane Doe"]);
    assert_eq!(doc.image.as_deref(), Some("/img/operators.png"));
    assert_eq!(doc.url, "/2024/02/kubernetes-operators/", "as written");
    assert_eq!(
        doc.tags,
        ["kubernetes", "go"],
        "keywords only stand in for no tags"
    );
    assert_eq!(
        doc.publish_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2024-02-02T12:00:00+00:00")
    );
    let offer = document("hugo/limited-offer.md");
    assert!(offer.expires_at.is_some());
    assert_eq!(offer.authors, ["jane", "sam"]);
    assert_eq!(offer.series.as_deref(), Some("Conference season"));
    let about = document("hugo/menu-page.md");
    assert_eq!(
        about.updated,
        Some(day("2020-01-01")),
        "`Lastmod` in any case"
    );
}

#[test]
fn jekyll_keys_are_honoured() {
    let doc = document("jekyll/_posts/2019-03-01-welcome-to-jekyll.md");
    assert_eq!(doc.date, day("2019-03-01"));
    assert_eq!(
        doc.category, "jekyll",
        "space-separated categories: the first"
    );
    assert_eq!(
        doc.tags,
        ["meta", "welcome", "update"],
        "the other categories are kept as tags"
    );
    assert_eq!(doc.authors, ["mojombo"]);
    assert_eq!(doc.url, "/welcome/", "as written");
    let mistakes = document("jekyll/_posts/2020-07-14-minimal-mistakes.md");
    assert_eq!(mistakes.date, day("2020-07-14"), "from the file name");
    assert_eq!(mistakes.authors, ["Michael Rose"]);
    assert_eq!(mistakes.updated, Some(day("2020-08-01")));
    assert_eq!(mistakes.aliases, ["/layout-header-image/"]);
    assert_eq!(
        mistakes.description,
        "This post should display a header image."
    );
    let draft = document("jekyll/_posts/2021-01-05-unpublished-draft.md");
    assert!(draft.draft, "published: false");
}

fn parse_text(text: &str) -> Result<(Document, Vec<ContentError>), ContentError> {
    parse_document(Path::new("p.md"), text, &RenderOptions::default())
}

#[test]
fn two_address_keys_are_an_error_naming_both() {
    let err =
        parse_text("+++\ntitle = \"T\"\ndate = 2024-01-01\npath = \"a\"\nurl = \"/b/\"\n+++\n")
            .unwrap_err();
    assert!(
        err.message.contains("`path`") && err.message.contains("`url`"),
        "{err}"
    );
    assert_eq!(err.line, Some(5));
}

#[test]
fn an_unknown_key_warns_once_without_a_far_fetched_hint() {
    let (_, warnings) =
        parse_text("+++\ntitle = \"T\"\ndate = 2024-01-01\nnote = \"x\"\ntitel = \"y\"\n+++\n")
            .unwrap();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    let note = warnings
        .iter()
        .find(|w| w.message.contains("`note`"))
        .unwrap();
    assert!(!note.fix.contains("did you mean"), "{note}");
    assert_eq!(note.line, Some(4));
    let titel = warnings
        .iter()
        .find(|w| w.message.contains("`titel`"))
        .unwrap();
    assert!(titel.fix.contains("did you mean `title`?"), "{titel}");
    let (_, warnings) =
        parse_text("+++\ntitle = \"T\"\ndate = 2024-01-01\ndescripton = \"d\"\n+++\n").unwrap();
    let typo = warnings
        .iter()
        .find(|w| w.message.contains("`descripton`"))
        .unwrap();
    assert!(typo.fix.contains("did you mean `description`?"), "{typo}");
}

#[test]
fn render_false_and_search_index_false_are_kept_apart() {
    let (doc, warnings) = parse_text(
        "+++\ntitle = \"T\"\ndate = 2024-01-01\nrender = false\nin_search_index = false\n+++\n",
    )
    .unwrap();
    assert!(warnings.is_empty());
    assert!(!doc.render && !doc.in_search_index);
    assert!(
        !doc.is_visible(chrono::Utc::now(), true),
        "not even with --drafts"
    );
}
