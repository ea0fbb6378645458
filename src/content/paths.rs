//! File rules: which files in `content/` are posts, sections and pages,
//! and what a file's path says about its post (slug, date, section,
//! bundle). Pure functions of the relative path; shared by the walk, the
//! watcher, `check` and parsing.

use std::path::{Component, Path, PathBuf};

use crate::model::{Date, slugify};

/// What the file path says about a post: its slug, maybe its date, and
/// whether it is a bundle (`<slug>/index.md`) with files beside it.
#[derive(Debug, PartialEq, Eq)]
pub struct PathInfo {
    pub slug: String,
    /// The file name's (or bundle folder's) words as written, after its
    /// date: what Jekyll's `:title` keeps (`place`'s `{name}`).
    pub name: String,
    pub date: Option<Date>,
    pub bundle_dir: Option<PathBuf>,
    /// The section: the folders above the post (or above its bundle),
    /// each slugified, without Jekyll's `_posts` and `_drafts`.
    pub section: String,
    /// Under Jekyll's `_drafts/`.
    pub draft: bool,
}

impl PathInfo {
    /// The store key: the slug behind the section's path.
    pub fn key(&self, slug: &str) -> String {
        if self.section.is_empty() {
            slug.to_string()
        } else {
            format!("{}/{slug}", self.section)
        }
    }
}

/// Folders that hold a Jekyll site's posts and drafts: not sections.
const JEKYLL_FOLDERS: [&str; 2] = ["_posts", "_drafts"];

/// The section path of the folders in `dir`, and whether one is `_drafts`.
/// Folders inside `_posts/` only sort the files, as Jekyll reads them
/// (kubevirt's `_posts/releases/`): they are no section.
fn section_of(dir: &Path) -> (String, bool) {
    let mut parts = Vec::new();
    let mut draft = false;
    let mut in_posts = false;
    for part in dir.components().filter_map(|c| c.as_os_str().to_str()) {
        draft |= part == "_drafts";
        in_posts |= JEKYLL_FOLDERS.contains(&part);
        if !in_posts {
            parts.push(slugify(part));
        }
    }
    parts.retain(|p| !p.is_empty());
    (parts.join("/"), draft)
}

/// `2026-03-01-hello` → (2026-03-01, `hello`). Months and days may have
/// one digit, as Jekyll accepts (`2016-1-5-hello`); the date may end in
/// `_` instead, as Zola accepts (`2016-10-08_hello`).
fn dated_name(name: &str) -> Option<(Date, &str)> {
    let (year, rest) = name.split_once('-')?;
    let (month, rest) = rest.split_once('-')?;
    let end = rest.find(['-', '_'])?;
    let (day, rest) = (&rest[..end], &rest[end + 1..]);
    let digits = |s: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(year, 4..=4) && digits(month, 1..=2) && digits(day, 1..=2)) || rest.is_empty() {
        return None;
    }
    let date = Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)?;
    Some((date, rest))
}

/// `name` without the date it starts with, if any (`2026-03-01-hello`
/// → `hello`).
pub fn undated_name(name: &str) -> &str {
    dated_name(name).map_or(name, |(_, rest)| rest)
}

/// Reads slug and date from `YYYY-MM-DD-slug.md` (or `YYYY-MM-DD_slug.md`), `slug.md` or
/// `slug/index.md`, and the section from the folders above.
pub fn path_info(relative: &Path) -> PathInfo {
    let stem = relative
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let (name, bundle_dir) = if stem == "index" {
        let dir = relative.parent().unwrap_or(Path::new(""));
        (
            dir.file_name().and_then(|s| s.to_str()).unwrap_or_default(),
            Some(dir.to_path_buf()),
        )
    } else {
        (stem, None)
    };
    let (date, rest) = match dated_name(name) {
        Some((date, rest)) => (Some(date), rest),
        None => (None, name),
    };
    let above = match &bundle_dir {
        Some(dir) => dir.parent(),
        None => relative.parent(),
    };
    let (section, draft) = section_of(above.unwrap_or(Path::new("")));
    PathInfo {
        slug: slugify(rest),
        name: rest.to_string(),
        date,
        bundle_dir,
        section,
        draft,
    }
}

/// The extensions of the Markdown files Quire reads: Zola's `.md`, and
/// the others Jekyll reads by default (`jekyll new` writes `.markdown`)
/// and Hugo reads too.
pub const MARKDOWN_EXTENSIONS: [&str; 6] = ["md", "markdown", "mdown", "mkdn", "mkd", "mkdown"];

/// The extensions of HTML documents: a file with one of them that opens
/// with front matter is a page whose body is HTML (Hugo's content
/// format `html`, a Jekyll page or a post `jekyll-import` wrote), not
/// Markdown; without front matter it is no page (and `server::post_files`
/// never serves an `.html` file as it is).
pub const HTML_EXTENSIONS: [&str; 2] = ["html", "htm"];

/// Whether `relative` is named like an HTML document Quire may read
/// ([`HTML_EXTENSIONS`], where a post may be): whether it is one depends
/// on its first line ([`crate::content::tree::is_html_document`]).
pub fn is_html_path_in(relative: &Path, collections: &[String]) -> bool {
    is_html_name(relative) && is_content_path(relative, collections)
}

/// Whether `relative`'s extension is one of [`HTML_EXTENSIONS`] (any case).
pub fn is_html_name(relative: &Path) -> bool {
    let extension = relative.extension().and_then(|e| e.to_str());
    extension.is_some_and(|e| HTML_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Whether a path inside the content dir is a document the store keeps
/// (a post, a page or a section's `_index.md`). Hidden files and folders,
/// editor swap and backup files and non-Markdown files are not.
pub fn is_post_path(relative: &Path) -> bool {
    is_post_path_in(relative, &[])
}

/// [`is_post_path`] on a site that reads `collections`: Jekyll's
/// collections (`collections` in quire.toml), each a folder at the top of
/// `content/` named for it with a `_` before (`docs` reads `_docs/`),
/// whose files are read as the section of that name.
pub fn is_post_path_in(relative: &Path, collections: &[String]) -> bool {
    let extension = relative.extension().and_then(|e| e.to_str());
    let markdown = extension.is_some_and(|e| MARKDOWN_EXTENSIONS.contains(&e));
    is_content_path(relative, collections) && markdown
}

/// The other formats Jekyll renders posts from that Quire does not read:
/// Textile, and the plugins' AsciiDoc, Org and reStructuredText. (HTML,
/// what `jekyll-import` writes for a WordPress blog, Quire reads:
/// [`HTML_EXTENSIONS`].)
const OTHER_POST_FORMATS: [&str; 5] = ["textile", "adoc", "asciidoc", "org", "rst"];

/// Whether `relative` lies under Jekyll's `_posts/` or `_drafts/`, at
/// any depth: the one rule for "a Jekyll post" (its title, its HTML
/// blocks, its formats).
pub fn in_jekyll_posts(relative: &Path) -> bool {
    relative.parent().is_some_and(|dir| {
        dir.iter()
            .any(|part| JEKYLL_FOLDERS.iter().any(|f| part == *f))
    })
}

/// Whether `relative` is a document Jekyll would publish from `_posts/`,
/// `_drafts/` or one of `collections` in a format Quire does not read:
/// `quire check` names it, so it is not lost without a word.
pub fn is_unread_post(relative: &Path, collections: &[String]) -> bool {
    let extension = relative.extension().and_then(|e| e.to_str());
    (in_jekyll_posts(relative) || in_collection(relative, collections))
        && is_content_path(relative, collections)
        && extension.is_some_and(|e| OTHER_POST_FORMATS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Folders whose Markdown is parts of pages, not pages: Quire's partials,
/// Jekyll's includes, layouts, data and built site, a theme's styles.
const TEMPLATE_FOLDERS: [&str; 7] = [
    "_partials",
    "_includes",
    "_layouts",
    "_data",
    "_site",
    "_sass",
    "_plugins",
];

/// The `_` folder that keeps the Markdown file `relative` from being read
/// (`_docs/` for `_docs/setup/install.md`): a Jekyll collection not in
/// `collections`, another engine's folder. `None` when the file is read,
/// is no Markdown, or lies in a folder of template parts
/// ([`TEMPLATE_FOLDERS`]). `quire check` names each such folder, so no
/// page is left out without a word.
pub fn unpublished_folder(relative: &Path, collections: &[String]) -> Option<PathBuf> {
    let extension = relative.extension().and_then(|e| e.to_str());
    let markdown = extension.is_some_and(|e| MARKDOWN_EXTENSIONS.contains(&e));
    if !markdown || is_post_path_in(relative, collections) {
        return None;
    }
    let mut folder = PathBuf::new();
    for part in relative.parent()?.iter() {
        folder.push(part);
        let name = part.to_str()?;
        if name.starts_with('.') || TEMPLATE_FOLDERS.contains(&name) {
            return None;
        }
        if name.starts_with('_') && !JEKYLL_FOLDERS.contains(&name) {
            return Some(folder);
        }
    }
    None
}

/// A section's own file (title and description), as in Zola and Hugo.
pub const SECTION_FILE: &str = "_index.md";

/// Whether `relative` is a section's `_index.md`, or its translation
/// (Zola's `_index.fr.md`).
pub fn is_section_path(relative: &Path) -> bool {
    let name = relative.file_name().and_then(|n| n.to_str());
    is_content_path(relative, &[]) && name.is_some_and(is_section_name)
}

/// `_index.md`, or `_index.<tag>.md` with a language-like tag (`fr`,
/// `pt-BR`): the file that describes a section, in some language.
fn is_section_name(name: &str) -> bool {
    if name == SECTION_FILE {
        return true;
    }
    let tag = name
        .strip_prefix("_index.")
        .and_then(|n| n.strip_suffix(".md"))
        .unwrap_or_default();
    let primary = tag.split('-').next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Whether `relative` is in the folder of one of Jekyll's `collections`
/// (`_docs/…` for `docs`), which is at the top of `content/`.
pub fn in_collection(relative: &Path, collections: &[String]) -> bool {
    let top = relative.iter().next().and_then(|p| p.to_str());
    top.and_then(|top| top.strip_prefix('_'))
        .is_some_and(|name| collections.iter().any(|c| c == name))
}

/// Not hidden: no part starts with `.` or `#`, nor with `_` (a partial,
/// a theme's folder) except Jekyll's `_posts`/`_drafts`, a section's
/// `_index.md` (or `_index.fr.md`), and at the top the folder of one of
/// `collections` (`_docs` for `docs`).
fn is_content_path(relative: &Path, collections: &[String]) -> bool {
    let collection = |index: usize, s: &str| index == 0 && in_collection(Path::new(s), collections);
    !relative.components().enumerate().any(|(index, c)| {
        matches!(c, Component::Normal(part) if part.to_str().is_none_or(|s| {
            s.starts_with('.')
                || s.starts_with('#')
                || (s.starts_with('_')
                    && !is_section_name(s)
                    && !JEKYLL_FOLDERS.contains(&s)
                    && !collection(index, s))
        }))
    })
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
                name: "hello-world".into(),
                date: None,
                bundle_dir: None,
                section: String::new(),
                draft: false,
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
        assert_eq!(bundle.section, "2024");
        assert_eq!(bundle.key("my-post"), "2024/my-post");
        let short = path_info(Path::new("_posts/2016-1-5-short.md"));
        assert_eq!(
            (short.slug.as_str(), short.date),
            ("short", Date::new(2016, 1, 5))
        );
        // Zola's form, as its own test site writes it.
        let zola = path_info(Path::new("posts/2016-10-08_a-post-with-dates.md"));
        assert_eq!(
            (zola.slug.as_str(), zola.date),
            ("a-post-with-dates", Date::new(2016, 10, 8))
        );
        assert_eq!(path_info(Path::new("2016-13-01-x.md")).date, None);
        assert_eq!(path_info(Path::new("2016-01-01-.md")).slug, "2016-01-01");
        let jekyll = path_info(Path::new("_posts/2019-03-01-Hello.md"));
        assert_eq!(
            (jekyll.slug.as_str(), jekyll.section.as_str()),
            ("hello", "")
        );
        let sorted = path_info(Path::new("en/_posts/releases/2017-11-07-v004.md"));
        assert_eq!(
            (sorted.slug.as_str(), sorted.section.as_str()),
            ("v004", "en")
        );
        let draft = path_info(Path::new("Notes/_drafts/x.md"));
        assert_eq!((draft.section.as_str(), draft.draft), ("notes", true));
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
        assert!(is_post_path(Path::new("_posts/2019-01-01-x.md")));
        let unread = |path: &str| is_unread_post(Path::new(path), &[]);
        assert!(unread("_posts/2012-05-06-imported.textile"));
        assert!(
            !unread("_posts/2012-05-06-imported.html"),
            "read when it has front matter"
        );
        assert!(unread("en/news/_drafts/x.textile"));
        assert!(!unread("_posts/2012-05-06-x.md"));
        // A collection's documents too, once it is read.
        let docs = ["docs".to_string()];
        assert!(is_unread_post(Path::new("_docs/guide/setup.rst"), &docs));
        assert!(!is_unread_post(Path::new("_docs/guide/setup.md"), &docs));
        assert!(!unread("_docs/guide/setup.rst"), "not a collection read");
        assert!(!unread("blog/page.html"), "beside a post");
        assert!(!unread("_posts/.x.html"));
        // What `jekyll new` writes, and Jekyll's other defaults.
        for name in ["_posts/2019-01-01-x.markdown", "a.mkd", "a.mdown", "a.mkdn"] {
            assert!(is_post_path(Path::new(name)), "{name}");
        }
        for name in ["a.markdown~", "a.md.bak", "a.mdx", "a.txt"] {
            assert!(!is_post_path(Path::new(name)), "{name}");
        }
        assert!(!is_post_path(Path::new("_layouts/x.md")));
        assert!(is_post_path(Path::new("blog/_index.md")));
        assert!(is_section_path(Path::new("blog/_index.md")));
    }

    /// Jekyll's own site keeps 102 pages in its `_docs` and `_tutorials`
    /// collections: they are not read, and the folder that holds them is
    /// named; template parts and other files are not.
    #[test]
    fn markdown_in_an_underscore_folder_names_that_folder() {
        let folder = |p: &str| unpublished_folder(Path::new(p), &[]);
        assert_eq!(folder("_docs/install.md"), Some(PathBuf::from("_docs")));
        assert_eq!(
            folder("_docs/setup/step.markdown"),
            Some(PathBuf::from("_docs"))
        );
        assert_eq!(
            folder("blog/_notes/a/b.md"),
            Some(PathBuf::from("blog/_notes"))
        );
        for read_or_parts in [
            "post.md",
            "_posts/2020-01-01-x.md",
            "blog/_index.md",
            "_partials/footer.md",
            "_includes/note.md",
            "_layouts/x.md",
            "_docs/logo.png",
            "_x.md",
            ".git/_docs/x.md",
        ] {
            assert_eq!(folder(read_or_parts), None, "{read_or_parts}");
        }
    }

    /// Jekyll's `collections: docs: output: true` is `collections =
    /// ["docs"]`: `_docs/` at the top is read as the section `docs`, and
    /// only there.
    #[test]
    fn a_collection_s_folder_is_read_as_its_section() {
        let docs = ["docs".to_string()];
        let read = |p: &str| is_post_path_in(Path::new(p), &docs);
        assert!(read("_docs/setup.md"));
        assert!(read("_docs/install/linux.markdown"));
        assert!(!read("_tutorials/first.md"));
        assert!(!read("blog/_docs/x.md"), "only at the top");
        assert!(!read("_docs/.x.md"));
        assert!(!read("_docs/_layouts/x.md"));
        assert!(!is_post_path(Path::new("_docs/setup.md")), "not without it");
        assert_eq!(unpublished_folder(Path::new("_docs/setup.md"), &docs), None);
        let info = path_info(Path::new("_docs/install/linux.md"));
        assert_eq!(
            (info.section.as_str(), info.slug.as_str()),
            ("docs/install", "linux")
        );
    }
}
