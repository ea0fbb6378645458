//! From files in a content directory to the store: sync, live edits and
//! every kind of bad input an author can produce.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::Utc;
use quire::content::{ContentError, RenderOptions};
use quire::store::Store;
use quire::store::sync::{SyncReport, sync_all, sync_path};

struct Fixture {
    dir: tempfile::TempDir,
    store: Store,
}

impl Fixture {
    fn new() -> Self {
        let fixture = Self {
            dir: tempfile::tempdir().unwrap(),
            store: Store::temporary().unwrap(),
        };
        fixture.write("good.md", &post("Good post", "2026-01-02"));
        fixture
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.root().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    fn sync(&self) -> SyncReport {
        sync_all(&self.store, self.root(), &RenderOptions::default(), &|| {}).unwrap()
    }

    fn sync_one(&self, path: &Path) -> SyncReport {
        sync_path(&self.store, self.root(), path, &RenderOptions::default()).unwrap()
    }

    fn titles(&self) -> Vec<String> {
        self.store
            .visible_listings(Utc::now(), false)
            .unwrap()
            .into_iter()
            .map(|l| l.summary.title)
            .collect()
    }
}

fn post(title: &str, date: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = {date}\n+++\n\nSome *text* here.\n")
}

/// Asserts one error for `file`, on `line` if given, with a fix, and that the good post survived.
fn assert_single_error(
    fixture: &Fixture,
    report: &SyncReport,
    file: &str,
    line: Option<usize>,
    needle: &str,
) -> ContentError {
    assert_eq!(report.errors.len(), 1, "errors: {:#?}", report.errors);
    let err = report.errors[0].clone();
    assert_eq!(err.path, Path::new(file), "{err}");
    if line.is_some() {
        assert_eq!(err.line, line, "{err}");
    }
    assert!(err.to_string().contains(needle), "`{needle}` not in: {err}");
    assert!(!err.fix.is_empty(), "no fix offered: {err}");
    assert_eq!(
        fixture.titles(),
        ["Good post"],
        "the good post must still be served"
    );
    err
}

#[test]
fn ingests_posts_newest_first_and_skips_unchanged_files_on_restart() {
    let fixture = Fixture::new();
    fixture.write("2026-03-04-dated.md", "+++\ntitle = \"Dated\"\n+++\nBody");
    fixture.write("bundle/index.md", &post("Bundle", "2025-12-01"));
    fixture.write("bundle/figure.svg", "<svg/>");
    fixture.write(".hidden.md", &post("Hidden", "2026-01-01"));
    fixture.write("notes.txt", "not a post");
    let first = fixture.sync();
    assert!(first.errors.is_empty(), "{:#?}", first.errors);
    assert_eq!(first.added.len(), 3);
    assert_eq!(fixture.titles(), ["Dated", "Good post", "Bundle"]);
    let bundle = fixture.store.post("bundle").unwrap().unwrap();
    assert_eq!(bundle.asset_dir.as_deref(), Some(Path::new("bundle")));

    let second = fixture.sync();
    assert_eq!(second.unchanged, 3);
    assert!(!second.changed());
}

#[test]
fn changing_raw_html_or_embed_hosts_renders_every_post_again() {
    let fixture = Fixture::new();
    let frame = "<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n";
    fixture.write(
        "video.md",
        &format!("{}{frame}", post("Video", "2026-01-03")),
    );
    let sync = |options: &RenderOptions| {
        sync_all(&fixture.store, fixture.root(), options, &|| {}).unwrap()
    };
    let html = || fixture.store.post("video").unwrap().unwrap().html;
    let first = sync(&RenderOptions::default());
    assert_eq!(first.added.len(), 2);
    assert!(!html().contains("<iframe"));
    assert_eq!(
        first.warnings.len(),
        1,
        "the refused frame: {:#?}",
        first.warnings
    );
    let embedding = RenderOptions {
        embed_hosts: vec!["www.youtube.com".into()],
        ..RenderOptions::default()
    };
    let second = sync(&embedding);
    assert_eq!(second.updated.len(), 2, "every post rendered again");
    assert!(html().contains("<iframe src=\"https://www.youtube.com/embed/x\""));
    assert!(sync(&embedding).unchanged == 2);
    let dropping = RenderOptions {
        raw_html: quire::content::RawHtml::Drop,
        ..embedding
    };
    assert_eq!(sync(&dropping).updated.len(), 2);
    assert!(!html().contains("<iframe"));
}

#[test]
fn deleting_a_file_removes_its_post() {
    let fixture = Fixture::new();
    let other = fixture.write("other.md", &post("Other", "2026-02-01"));
    fixture.sync();
    fs::remove_file(&other).unwrap();
    let report = fixture.sync_one(&other);
    assert_eq!(report.removed, ["other"]);
    assert_eq!(fixture.titles(), ["Good post"]);
}

/// Hugo's content format `html` and jekyll-import's posts: an HTML file
/// that opens with front matter is a post whose body is HTML, added,
/// edited and removed live like Markdown; without front matter it is a
/// file, not a post.
#[test]
fn an_html_file_with_front_matter_is_a_post_live() {
    let fixture = Fixture::new();
    fixture.sync();
    let html = "+++\ntitle = \"Written in HTML\"\ndate = 2026-03-01\n+++\n<p>One</p>\n\n    <p>Two a_b</p>\n";
    let path = fixture.write("stats.html", html);
    let report = fixture.sync_one(&path);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(fixture.titles(), ["Written in HTML", "Good post"]);
    let post = fixture.store.post("stats").unwrap().expect("stored");
    assert!(post.html.contains("<p>Two a_b</p>"), "{}", post.html);
    assert_eq!(post.description, "One");
    fixture.write("stats.html", "<p>No front matter: a file.</p>\n");
    let report = fixture.sync_one(&path);
    assert_eq!(report.removed, ["stats"]);
    fixture.write("stats.html", html);
    fixture.sync_one(&path);
    fs::remove_file(&path).unwrap();
    assert_eq!(fixture.sync_one(&path).removed, ["stats"]);
    fixture.write("demo.html", "<!DOCTYPE html><p>A demo</p>\n");
    fixture.sync();
    assert_eq!(fixture.titles(), ["Good post"]);
}

#[test]
fn a_broken_edit_keeps_the_last_good_version_online() {
    let fixture = Fixture::new();
    fixture.sync();
    let path = fixture.write("good.md", "+++\ntitle = \"Broken\ndate = 2026-01-02\n+++\n");
    let report = fixture.sync_one(&path);
    assert_single_error(&fixture, &report, "good.md", None, "invalid TOML");
    let fixed = fixture.write(
        "good.md",
        &post("Good post", "2026-01-02").replace("Some", "Edited"),
    );
    let report = fixture.sync_one(&fixed);
    assert_eq!(report.updated, ["good"]);
    assert!(
        fixture
            .store
            .post("good")
            .unwrap()
            .unwrap()
            .html
            .contains("Edited")
    );
}

#[test]
fn renaming_a_post_redirects_its_old_url() {
    let fixture = Fixture::new();
    fixture.sync();
    fixture.write(
        "good.md",
        &post("Good post", "2026-01-02").replace("+++\n\n", "slug = \"better-name\"\n+++\n\n"),
    );
    let report = fixture.sync();
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert!(fixture.store.post("good").unwrap().is_none());
    assert!(fixture.store.post("better-name").unwrap().is_some());
    assert_eq!(
        fixture.store.alias("/blog/good").unwrap().as_deref(),
        Some("better-name")
    );
}

#[test]
fn drafts_and_scheduled_posts_stay_hidden() {
    let fixture = Fixture::new();
    fixture.write(
        "draft.md",
        "+++\ntitle = \"Draft\"\ndate = 2026-01-03\ndraft = true\n+++\n",
    );
    fixture.write(
        "later.md",
        "+++\ntitle = \"Later\"\ndate = 2026-01-04\npublish_at = 2999-01-01T00:00:00Z\n+++\n",
    );
    fixture.sync();
    assert_eq!(fixture.titles(), ["Good post"]);
    let with_drafts: Vec<_> = fixture
        .store
        .visible_listings(Utc::now(), true)
        .unwrap()
        .into_iter()
        .map(|l| l.summary.title)
        .collect();
    assert_eq!(with_drafts, ["Draft", "Good post"]);
    assert!(fixture.store.next_scheduled(Utc::now()).unwrap().is_some());
}

#[test]
fn missing_title() {
    // Zola and Hugo publish a page without a title: so does Quire, under
    // its first heading or its file name, with a warning saying which. A
    // file without a title or text is another engine's template-only
    // page; it is skipped and reported, as a file without front matter.
    let fixture = Fixture::new();
    fixture.write("bad.md", "+++\ndate = 2026-01-01\n+++\nBody");
    fixture.write(
        "headed.md",
        "+++\ndate = 2026-01-02\n+++\n\n# Heading *first*\n\nText",
    );
    fixture.write("search.md", "+++\ntemplate = \"search.html\"\n+++\n");
    fixture.write("README.md", "# About this folder\n");
    let report = fixture.sync();
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    let skipped: Vec<String> = report.skipped.iter().map(ToString::to_string).collect();
    assert_eq!(skipped.len(), 2, "{skipped:#?}");
    assert!(
        skipped[0].starts_with("README.md:1: no front matter found, so this is not a post"),
        "{skipped:?}"
    );
    assert!(
        skipped[1].starts_with("search.md:2: no `title` and no text, so this is not a post"),
        "{skipped:?}"
    );
    let warned: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    let says = |start: &str| warned.iter().any(|w| w.starts_with(start));
    assert!(
        says(
            "bad.md:2: the front matter names no `title`: published as \"Bad\", from its file name"
        ),
        "{warned:#?}"
    );
    assert!(
        says(
            "headed.md:5: the front matter names no `title`: published as \"Heading first\", from its first heading"
        ),
        "{warned:#?}"
    );
    assert_eq!(fixture.titles(), ["Heading first", "Good post", "Bad"]);
    let headed = fixture.store.post("headed").unwrap().unwrap();
    assert!(
        !headed.html.contains("<h1"),
        "the heading is the page's title, not shown twice: {}",
        headed.html
    );
    assert!(headed.html.contains("Text"), "{}", headed.html);
}

#[test]
fn bad_date() {
    let fixture = Fixture::new();
    fixture.write("bad.md", "+++\ntitle = \"T\"\ndate = \"yesterday\"\n+++\n");
    assert_single_error(
        &fixture,
        &fixture.sync(),
        "bad.md",
        Some(3),
        "unreadable date",
    );
}

#[test]
fn unterminated_front_matter() {
    let fixture = Fixture::new();
    fixture.write(
        "bad.md",
        "+++\ntitle = \"T\"\ndate = 2026-01-01\n\nBody without end",
    );
    assert_single_error(&fixture, &fixture.sync(), "bad.md", Some(1), "never closed");
}

#[test]
fn invalid_toml() {
    let fixture = Fixture::new();
    fixture.write("bad.md", "+++\ntitle = \"T\"\ntags = [\"a\",\n+++\n");
    assert_single_error(&fixture, &fixture.sync(), "bad.md", None, "invalid TOML");
}

#[test]
fn invalid_yaml() {
    let fixture = Fixture::new();
    fixture.write(
        "bad.md",
        "---\ntitle: T\ndate: 2026-01-01\ntags: [a, b\n---\n",
    );
    assert_single_error(&fixture, &fixture.sync(), "bad.md", None, "invalid YAML");
}

#[test]
fn invalid_utf8() {
    let fixture = Fixture::new();
    let path = fixture.root().join("bad.md");
    fs::write(&path, b"+++\ntitle = \"T\"\n+++\nline four \xff\xfe\n").unwrap();
    assert_single_error(&fixture, &fixture.sync(), "bad.md", Some(4), "UTF-8");
}

#[test]
fn binary_file_named_md() {
    let fixture = Fixture::new();
    fs::write(
        fixture.root().join("bad.md"),
        [0x89, b'P', b'N', b'G', 0, 0, 0, 13],
    )
    .unwrap();
    assert_single_error(&fixture, &fixture.sync(), "bad.md", None, "binary");
}

#[test]
fn empty_file() {
    let fixture = Fixture::new();
    fixture.write("bad.md", "");
    assert_single_error(&fixture, &fixture.sync(), "bad.md", Some(1), "empty");
}

#[test]
fn twenty_megabyte_file() {
    let fixture = Fixture::new();
    let mut text = post("Huge", "2026-01-01");
    text.push_str(&"word ".repeat(4 * 1024 * 1024));
    fixture.write("bad.md", &text);
    assert_single_error(&fixture, &fixture.sync(), "bad.md", None, "MB");
}

#[test]
fn two_posts_with_the_same_slug() {
    let fixture = Fixture::new();
    let impostor = post("Impostor", "2026-01-05").replace("+++\n\n", "slug = \"good\"\n+++\n\n");
    fixture.write("other.md", &impostor);
    let err = assert_single_error(
        &fixture,
        &fixture.sync(),
        "other.md",
        None,
        "already used by good.md",
    );
    assert!(err.fix.contains("slug"), "{err}");
}

/// Slugs are unique per section, as in Zola and Hugo: the same file name
/// in two folders is two posts, each at its section's address.
#[test]
fn the_same_slug_in_two_sections_is_two_posts() {
    let fixture = Fixture::new();
    fixture.write("notes/good.md", &post("Note", "2026-01-05"));
    fixture.write("essays/good/index.md", &post("Essay", "2026-01-06"));
    let report = fixture.sync();
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    let mut addresses: Vec<String> = fixture
        .store
        .visible_listings(Utc::now(), false)
        .unwrap()
        .into_iter()
        .map(|l| format!("{} {}", l.summary.slug, l.summary.url))
        .collect();
    addresses.sort();
    assert_eq!(
        addresses,
        [
            "essays/good /essays/good",
            "good /blog/good",
            "notes/good /notes/good"
        ]
    );
}

/// Links are never followed (src/content/tree.rs): skipped with a warning
/// that names the link, by the full sync and by the watcher's single paths.
#[cfg(unix)]
#[test]
fn symlink_pointing_outside_the_content_dir() {
    let fixture = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    fs::write(&secret, post("Secret", "2026-01-01")).unwrap();
    let link = fixture.root().join("link.md");
    std::os::unix::fs::symlink(&secret, &link).unwrap();
    let report = fixture.sync();
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(report.warnings.len(), 1, "{:#?}", report.warnings);
    let warning = report.warnings[0].to_string();
    assert!(
        warning.starts_with(&format!(
            "link.md: is a symbolic link (to {})",
            secret.display()
        )),
        "{warning}"
    );
    assert_eq!(fixture.titles(), ["Good post"]);
    let report = fixture.sync_one(&link);
    assert_eq!(report.warnings.len(), 1, "{:#?}", report.warnings);
    assert!(report.errors.is_empty() && !report.changed());
    assert_eq!(fixture.titles(), ["Good post"]);
}

/// A post whose file is replaced by a link goes, like a deleted one.
#[cfg(unix)]
#[test]
fn a_post_replaced_by_a_link_is_removed() {
    let fixture = Fixture::new();
    let path = fixture.write("was-real.md", &post("Was real", "2026-01-01"));
    fixture.sync();
    fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink("good.md", &path).unwrap();
    let report = fixture.sync_one(&path);
    assert_eq!(report.removed, ["was-real"]);
    assert_eq!(fixture.titles(), ["Good post"]);
}

/// Moved to another file under the same slug while stopped: the full sync
/// must not remove the post after its new file took the slug.
#[test]
fn a_post_moved_under_the_same_slug_stays() {
    let fixture = Fixture::new();
    let old = fixture.write("moved.md", &post("Moved", "2026-01-01"));
    fixture.sync();
    fixture.write("2026-01-01-moved.md", &post("Moved", "2026-01-01"));
    fs::remove_file(old).unwrap();
    let report = fixture.sync();
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(fixture.titles(), ["Good post", "Moved"]);
    assert!(fixture.store.post("moved").unwrap().is_some());
}

/// A rename while stopped: the next full sync sees the old source gone and
/// the same bytes under a new name, and the old slug becomes an alias.
#[test]
fn a_rename_between_syncs_becomes_an_alias() {
    let fixture = Fixture::new();
    let old = fixture.write("before.md", &post("Renamed", "2026-01-01"));
    fixture.sync();
    fs::rename(old, fixture.root().join("after.md")).unwrap();
    let report = fixture.sync();
    assert_eq!(
        (report.removed, report.added),
        (vec!["before".to_string()], vec!["after".to_string()])
    );
    assert_eq!(
        fixture.store.alias("/blog/before").unwrap().as_deref(),
        Some("after")
    );
}

#[test]
fn file_deleted_mid_read() {
    // The watcher reports a path that is gone by the time it is read: that is
    // a removal, not a failure.
    let fixture = Fixture::new();
    fixture.sync();
    let report = fixture.sync_one(&fixture.root().join("vanished.md"));
    assert!(report.errors.is_empty() && !report.changed());
    // Reading a file that disappears names it and says what to do.
    let err = quire::content::read_text(
        fixture.root(),
        &fixture.root().join("vanished.md"),
        Path::new("vanished.md"),
    )
    .unwrap_err();
    assert_eq!(err.path, Path::new("vanished.md"));
    assert!(err.message.contains("cannot read"), "{err}");
    assert_eq!(fixture.titles(), ["Good post"]);
}

#[test]
fn unknown_key_is_only_a_warning() {
    let fixture = Fixture::new();
    fixture.write(
        "warn.md",
        "+++\ntitle = \"Warned\"\ndate = 2026-02-02\nauthr = \"me\"\n+++\n",
    );
    let report = fixture.sync();
    assert!(report.errors.is_empty());
    assert_eq!(report.warnings.len(), 1);
    assert!(
        report.warnings[0].to_string().contains("warn.md:4"),
        "{}",
        report.warnings[0]
    );
    assert_eq!(fixture.titles(), ["Warned", "Good post"]);
}

#[test]
fn a_damaged_or_foreign_store_is_rebuilt() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("store");
    {
        let (store, reset) = Store::open(&dir).unwrap();
        assert!(reset);
        let fixture = Fixture::new();
        sync_all(&store, fixture.root(), &RenderOptions::default(), &|| {}).unwrap();
        assert_eq!(store.post_count(), 1);
    }
    let (store, reset) = Store::open(&dir).unwrap();
    assert!(!reset, "an intact store is reused");
    assert_eq!(store.post_count(), 1);
    drop(store);
    // Overwrite every file of the store with garbage: it must be rebuilt, not trusted.
    for entry in walk(&dir) {
        fs::write(entry, b"garbage").unwrap();
    }
    let (store, reset) = Store::open(&dir).unwrap();
    assert!(reset);
    assert_eq!(
        store.post_count(),
        0,
        "a rebuilt store starts empty and is filled from content/"
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path))
        } else {
            files.push(path)
        }
    }
    files
}

#[test]
fn a_section_s_cascade_reaches_the_pages_below_it_live_and_at_the_next_start() {
    // etcd's docs: `/docs/{{< param version >}}/…` in every page, the
    // version set once in the version's `_index.md`.
    let fixture = Fixture::new();
    let options = RenderOptions {
        content_root: Some(fixture.root().to_path_buf()),
        ..RenderOptions::default()
    };
    let section =
        |version: &str| format!("---\ntitle: Docs\ncascade:\n  version: {version}\n---\n");
    let index = fixture.write("docs/v3/_index.md", &section("v3.5"));
    fixture.write(
        "docs/v3/ops/page.md",
        "+++\ntitle = \"Ops\"\ndate = 2026-01-03\n+++\nSee [the client](/docs/{{< param version >}}/client).\n",
    );
    let html = || {
        let posts = fixture.store.all_posts().map(Result::unwrap);
        posts
            .filter(|p| p.title == "Ops")
            .map(|p| p.html)
            .next()
            .unwrap()
    };
    sync_all(&fixture.store, fixture.root(), &options, &|| {}).unwrap();
    assert!(html().contains("href=\"/docs/v3.5/client\""), "{}", html());
    // Live: the section file changes, the page's does not.
    fs::write(&index, section("v3.6-rc")).unwrap();
    sync_path(&fixture.store, fixture.root(), &index, &options).unwrap();
    assert!(
        html().contains("href=\"/docs/v3.6-rc/client\""),
        "{}",
        html()
    );
    // Changed while Quire was stopped: the next full sync.
    fs::write(&index, section("v3.7.0-final")).unwrap();
    sync_all(&fixture.store, fixture.root(), &options, &|| {}).unwrap();
    assert!(
        html().contains("href=\"/docs/v3.7.0-final/client\""),
        "{}",
        html()
    );
}
