//! Content: turning the author's files in `content/` into [`Document`]s.
//!
//! Pure parsing ([`parse_document`]) is kept apart from the thin I/O wrapper
//! ([`read_document`]) that enforces size, encoding and path rules, and from
//! discovery ([`discover`]), which decides which files are posts. Nothing in
//! here ever writes to the content directory.

pub mod error;
pub mod escape;
pub mod front_matter;
pub mod limits;
pub mod markdown;
pub mod tree;

use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use error::ContentError;
pub use markdown::RenderOptions;

use crate::model::{Date, PostSummary, TocEntry, slugify};

pub use limits::MAX_FILE_BYTES;

/// A post, parsed and rendered, as the store keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub slug: String,
    pub title: String,
    pub date: Date,
    pub updated: Option<Date>,
    pub description: String,
    pub category: String,
    pub tags: Vec<String>,
    pub draft: bool,
    pub publish_at: Option<DateTime<Utc>>,
    /// Hidden from this time on (Hugo's `expiryDate`).
    pub expires_at: Option<DateTime<Utc>>,
    /// `false`: stored for `quire check`, never shown (Zola's `render = false`).
    pub render: bool,
    /// `false`: left out of the search index (Zola's `in_search_index`).
    pub in_search_index: bool,
    /// The address the front matter asks for (`path`, `url` or
    /// `permalink`), as written; routing it is the URL layer's business.
    pub permalink_override: Option<String>,
    pub aliases: Vec<String>,
    /// Author ids as written in the front matter.
    pub authors: Vec<String>,
    pub series: Option<String>,
    pub image: Option<String>,
    pub extra: serde_json::Value,
    pub html: String,
    pub summary: String,
    pub toc: Vec<TocEntry>,
    pub word_count: u32,
    pub reading_minutes: u32,
    pub plain_text: String,
    /// Path relative to the content dir.
    pub source: PathBuf,
    /// Directory (relative to the content dir) whose other files are served
    /// under `/blog/<slug>/`, for posts written as `<slug>/index.md`.
    pub asset_dir: Option<PathBuf>,
}

impl Document {
    /// Whether readers see it now; see [`Publication::is_published`].
    pub fn is_visible(&self, now: DateTime<Utc>, show_drafts: bool) -> bool {
        self.publication().is_published(now, show_drafts)
    }

    /// What decides when readers see it.
    pub fn publication(&self) -> Publication {
        Publication {
            draft: self.draft,
            publish_at: self.publish_at,
            expires_at: self.expires_at,
            render: self.render,
        }
    }

    /// Whether the search index holds it (drafts only when shown).
    pub fn is_searchable(&self, include_drafts: bool) -> bool {
        self.in_search_index && self.render && (include_drafts || !self.draft)
    }

    pub fn summary(&self) -> PostSummary {
        PostSummary {
            slug: self.slug.clone(),
            title: self.title.clone(),
            date: self.date,
            updated: self.updated,
            category: self.category.clone(),
            tags: self.tags.clone(),
            description: self.description.clone(),
            reading_minutes: self.reading_minutes,
        }
    }
}

/// The inputs of the publishing rule, as the front matter set them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Publication {
    pub draft: bool,
    pub publish_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub render: bool,
}

impl Publication {
    /// The publishing rule: drafts are seen only with `--drafts`;
    /// scheduled posts from their `publish_at` on and, when they expire,
    /// until their `expires_at`; a post with `render = false` never.
    pub fn is_published(&self, now: DateTime<Utc>, show_drafts: bool) -> bool {
        self.render
            && (show_drafts || !self.draft)
            && self.publish_at.is_none_or(|at| at <= now)
            && self.expires_at.is_none_or(|at| now < at)
    }

    /// The next moment after `now` at which the rule's answer changes.
    pub fn next_change(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        [self.publish_at, self.expires_at]
            .into_iter()
            .flatten()
            .filter(|at| *at > now)
            .min()
    }
}

/// Category given to posts whose front matter names none.
pub const DEFAULT_CATEGORY: &str = "Uncategorized";

/// What the file path says about a post: its slug, maybe its date, and
/// whether it is a bundle (`<slug>/index.md`) with files beside it.
#[derive(Debug, PartialEq, Eq)]
pub struct PathInfo {
    pub slug: String,
    pub date: Option<Date>,
    pub bundle_dir: Option<PathBuf>,
}

/// Reads slug and date from `YYYY-MM-DD-slug.md`, `slug.md` or `slug/index.md`.
pub fn path_info(relative: &Path) -> PathInfo {
    let stem = relative
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let (name, bundle_dir) = if stem == "index" || stem == "_index" {
        let dir = relative.parent().unwrap_or(Path::new(""));
        (
            dir.file_name().and_then(|s| s.to_str()).unwrap_or_default(),
            Some(dir.to_path_buf()),
        )
    } else {
        (stem, None)
    };
    let dated = name
        .get(..10)
        .and_then(front_matter::parse_day)
        .filter(|_| name.as_bytes().get(10) == Some(&b'-'));
    let (date, rest) = match dated {
        Some(date) => (Some(date), &name[11..]),
        None => (None, name),
    };
    PathInfo {
        slug: slugify(rest),
        date,
        bundle_dir,
    }
}

/// Parses one post from its text. `relative` is its path inside the content dir.
pub fn parse_document(
    relative: &Path,
    text: &str,
    options: &RenderOptions,
) -> Result<(Document, Vec<ContentError>), ContentError> {
    if text.trim().is_empty() {
        return Err(ContentError::new(
            relative,
            Some(1),
            "the file is empty",
            "add front matter (`+++`, `title = \"…\"`, `+++`) and a body, or delete the file",
        ));
    }
    let split = front_matter::split(relative, text)?;
    let (front, warnings) = front_matter::parse(relative, &split)?;
    let info = path_info(relative);
    let slug = front.slug.as_deref().map(slugify).unwrap_or(info.slug);
    if slug.is_empty() {
        return Err(ContentError::new(
            relative,
            None,
            "cannot make a URL slug from this file name",
            "rename the file with letters or digits, or set `slug = \"…\"`",
        ));
    }
    let date = front.date.or(info.date).ok_or_else(|| {
        ContentError::new(
            relative,
            Some(2),
            "the post has no date",
            "add `date = 2026-01-31` to the front matter, or name the file `2026-01-31-slug.md`",
        )
    })?;
    let mut render_options = options.clone();
    if info.bundle_dir.is_some() {
        render_options.asset_base = Some(format!("/blog/{slug}/"));
    }
    let rendered = markdown::render(split.body, &render_options);
    limits::check_rendered(relative, &rendered.html)?;
    let document = Document {
        slug,
        title: front.title,
        date,
        updated: front.updated,
        description: front.description.unwrap_or_else(|| {
            limits::shorten(&rendered.summary, limits::MAX_DERIVED_DESCRIPTION_CHARS)
        }),
        category: front
            .category
            .unwrap_or_else(|| DEFAULT_CATEGORY.to_string()),
        tags: front
            .tags
            .iter()
            .map(|t| slugify(t))
            .filter(|t| !t.is_empty())
            .collect(),
        draft: front.draft,
        publish_at: front.publish_at,
        expires_at: front.expires_at,
        render: front.render,
        in_search_index: front.in_search_index,
        permalink_override: front.path,
        aliases: front.aliases,
        authors: front.authors,
        series: front.series,
        image: front.image,
        extra: front.extra,
        html: rendered.html,
        summary: rendered.summary,
        toc: rendered.toc,
        word_count: rendered.word_count,
        reading_minutes: rendered.reading_minutes,
        plain_text: rendered.plain_text,
        source: relative.to_path_buf(),
        asset_dir: info.bundle_dir,
    };
    Ok((document, warnings))
}

/// Reads and parses one file, refusing what cannot be a post: symbolic
/// links ([`tree`]), huge files, binary data, bad UTF-8.
pub fn read_document(
    root: &Path,
    path: &Path,
    options: &RenderOptions,
) -> Result<(Document, Vec<ContentError>), ContentError> {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let text = read_text(root, path, relative)?;
    parse_document(relative, &text, options)
}

/// The file's text, with the checks that make reading it safe: no link
/// on the way ([`tree::first_link`]), size, binary data, encoding.
pub fn read_text(root: &Path, path: &Path, relative: &Path) -> Result<String, ContentError> {
    let io_error = |err: std::io::Error| {
        ContentError::new(
            relative,
            None,
            format!("cannot read the file: {err}"),
            "check that it exists and is readable by the user running quire",
        )
    };
    if let Some(link) = tree::first_link(root, relative) {
        return Err(tree::skipped_link(root, relative, &link));
    }
    let bytes = read_capped(path).map_err(io_error)?.map_err(|size| {
        ContentError::new(
            relative,
            None,
            format!(
                "the file is {:.1} MB; posts are limited to {} MB",
                size as f64 / 1e6,
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            "split the post, or move large data into a file beside it (`<slug>/index.md`)",
        )
    })?;
    if bytes.contains(&0) {
        return Err(ContentError::new(
            relative,
            None,
            "looks like a binary file, not Markdown text",
            "rename it so it does not end in `.md`, or replace it with a text file",
        ));
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        ContentError::new(
            relative,
            Some(line),
            "the file is not valid UTF-8 text",
            "re-save the file with UTF-8 encoding",
        )
    })
}

/// The bytes of `path`, or its size when that is over [`MAX_FILE_BYTES`].
/// Opened without following a final link, so a link swapped in after
/// [`tree::first_link`] looked is not read either, and without blocking,
/// so a FIFO named `*.md` cannot stall the watcher.
fn read_capped(path: &Path) -> std::io::Result<Result<Vec<u8>, u64>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NOFOLLOW | libc::O_NONBLOCK,
    );
    let mut file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let size = meta.len();
    if size > MAX_FILE_BYTES {
        return Ok(Err(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.read_to_end(&mut bytes)?;
    Ok(Ok(bytes))
}

/// Whether a path inside the content dir is a post. Hidden files and folders,
/// editor swap and backup files and non-Markdown files are not.
pub fn is_post_path(relative: &Path) -> bool {
    let hidden = relative.components().any(|c| matches!(c, Component::Normal(part) if part.to_str().is_none_or(|s| s.starts_with('.') || s.starts_with('#') || s.starts_with('_') && s != "_index.md")));
    let name = relative
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    !hidden && name.ends_with(".md") && !name.ends_with('~')
}

/// Every post file under `root`, sorted, as absolute paths; see [`tree::walk`].
pub fn discover(root: &Path) -> Vec<PathBuf> {
    tree::walk(root).files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_forms_give_slug_and_date() {
        assert_eq!(
            path_info(Path::new("hello-world.md")),
            PathInfo {
                slug: "hello-world".into(),
                date: None,
                bundle_dir: None
            }
        );
        let dated = path_info(Path::new("2026-03-01-hello.md"));
        assert_eq!(
            (dated.slug.as_str(), dated.date),
            ("hello", Date::new(2026, 3, 1))
        );
        let bundle = path_info(Path::new("2024/my-post/index.md"));
        assert_eq!(bundle.slug, "my-post");
        assert_eq!(bundle.bundle_dir, Some(PathBuf::from("2024/my-post")));
    }

    #[test]
    fn ignores_hidden_swap_and_other_files() {
        assert!(is_post_path(Path::new("a/b.md")));
        assert!(!is_post_path(Path::new(".hidden.md")));
        assert!(!is_post_path(Path::new(".git/x.md")));
        assert!(!is_post_path(Path::new("post.md~")));
        assert!(!is_post_path(Path::new(".post.md.swp")));
        assert!(!is_post_path(Path::new("#post.md#")));
        assert!(!is_post_path(Path::new("image.png")));
    }

    #[test]
    fn date_can_come_from_the_file_name() {
        let (doc, _) = parse_document(
            Path::new("2026-02-03-x.md"),
            "+++\ntitle = \"X\"\n+++\nHi",
            &RenderOptions::default(),
        )
        .unwrap();
        assert_eq!(
            (doc.slug.as_str(), doc.date),
            ("x", Date::new(2026, 2, 3).unwrap())
        );
    }

    #[test]
    fn a_post_without_any_date_is_an_error() {
        let err = parse_document(
            Path::new("x.md"),
            "+++\ntitle = \"X\"\n+++\n",
            &RenderOptions::default(),
        )
        .unwrap_err();
        assert!(err.fix.contains("date ="), "{err}");
    }

    #[test]
    fn scheduled_and_draft_posts_are_hidden_until_due() {
        let (mut doc, _) = parse_document(
            Path::new("x.md"),
            "+++\ntitle = \"X\"\ndate = 2026-01-01\npublish_at = 2030-01-01T00:00:00Z\n+++\n",
            &RenderOptions::default(),
        )
        .unwrap();
        let now = Utc::now();
        assert!(!doc.is_visible(now, false));
        assert!(doc.is_visible(front_matter::parse_instant("2030-01-01").unwrap(), false));
        doc.publish_at = None;
        doc.draft = true;
        assert!(!doc.is_visible(now, false));
        assert!(doc.is_visible(now, true));
    }
}
