//! The one rule for what under `content/` Quire walks, watches and reads:
//! **symbolic links inside `content/` are never followed**, to files or to
//! folders. `content/` itself may be a link (deploys swap it); it is the root
//! and is resolved as such.
//!
//! Why: a link to `/` made the start-up walk crawl `/sys` for ten minutes
//! before serving, and the recursive watch through it pinned a core and
//! stopped live ingest; a link to a file elsewhere could publish it. Links
//! that stay inside `content/` are refused too: a linked folder lists its
//! posts twice (duplicate slugs), and the watcher would have to map every
//! target back to its links to notice an edit. Never following a link makes
//! loops impossible and keeps the walk, the watch and every read inside
//! `content/`'s own tree, so start-up is bounded by the content itself.
//!
//! Everything that walks or watches `content/` goes through this module:
//! [`walk`] (start-up sync, `quire check`, the watcher's full syncs),
//! [`FOLLOW_LINKS`] (the watcher's recursive watch, `pack`), and
//! [`first_link`] (reading one post, the watcher's single-path syncs).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use super::{ContentError, is_post_path, is_post_path_in};

/// Whether links below the root are followed: never (see the module docs).
pub const FOLLOW_LINKS: bool = false;

/// What [`walk`] found under the root.
#[derive(Debug, Default)]
pub struct Walk {
    /// Post files, sorted, as absolute paths.
    pub files: Vec<PathBuf>,
    /// Directories that could not be read (permissions, I/O errors),
    /// relative to the root (`""` for the root itself), with the cause.
    /// Their posts are missing from `files` but not gone.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Links skipped by the rule, relative to the root, that could have been
    /// posts: links named like a post, and links to folders or to nothing.
    /// Links to other files (images beside a post) are not listed.
    pub links: Vec<PathBuf>,
    /// Posts in a format Quire does not read (`_posts/x.html`), relative
    /// to the root ([`super::paths::is_unread_post`]).
    pub unread: Vec<PathBuf>,
    /// Folders whose name starts with `_` (a Jekyll collection, another
    /// engine's), relative to the root, with how many Markdown files each
    /// holds that are not read ([`super::paths::unpublished_folder`]).
    pub unpublished: BTreeMap<PathBuf, usize>,
}

/// Every post file under `root` (Jekyll's `collections` among them,
/// [`super::paths::is_post_path_in`]), the unreadable folders and the
/// skipped links. Hidden files and folders are not entered.
pub fn walk(root: &Path, collections: &[String]) -> Walk {
    let mut found = Walk::default();
    let entries = walkdir::WalkDir::new(root)
        .follow_links(FOLLOW_LINKS)
        // The root may be a link; it is the content directory all the same.
        .follow_root_links(true)
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in entries {
        match entry {
            Ok(entry) => found.add(root, entry, collections),
            Err(err) => found.add_error(root, &err),
        }
    }
    // Each path once: an unstable sort orders them the same, faster.
    found.files.sort_unstable();
    found
}

impl Walk {
    fn add(&mut self, root: &Path, entry: walkdir::DirEntry, collections: &[String]) {
        let Ok(relative) = entry.path().strip_prefix(root) else {
            return;
        };
        if entry.path_is_symlink() && entry.depth() > 0 {
            if could_be_a_post(entry.path(), relative) {
                self.links.push(relative.to_path_buf());
            }
        } else if entry.file_type().is_file() && is_document(root, relative, collections) {
            self.files.push(entry.into_path());
        } else if entry.file_type().is_file() && super::paths::is_unread_post(relative, collections)
        {
            self.unread.push(relative.to_path_buf());
        } else if let Some(folder) = entry
            .file_type()
            .is_file()
            .then(|| super::paths::unpublished_folder(relative, collections))
            .flatten()
        {
            *self.unpublished.entry(folder).or_default() += 1;
        }
    }

    fn add_error(&mut self, root: &Path, err: &walkdir::Error) {
        if let Some(dir) = err.path().filter(|p| p.is_dir()) {
            let relative = dir.strip_prefix(root).unwrap_or(dir).to_path_buf();
            let cause = err
                .io_error()
                .map_or_else(|| err.to_string(), ToString::to_string);
            self.unreadable.push((relative, cause));
        }
    }
}

/// Whether `relative` (under `root`) is a document Quire reads: a
/// Markdown file where posts may be ([`is_post_path_in`]), or an HTML
/// file there that opens with front matter ([`is_html_document`]).
pub fn is_document(root: &Path, relative: &Path, collections: &[String]) -> bool {
    is_post_path_in(relative, collections) || is_html_document(root, relative, collections)
}

/// Whether `relative` is an HTML file, where posts may be, whose first
/// line that is not blank opens front matter: Hugo publishes such a file
/// as a page of its format `html`, Jekyll as a page or post. Read through
/// no link (the module's rule), its first 4 KB only.
pub fn is_html_document(root: &Path, relative: &Path, collections: &[String]) -> bool {
    use std::io::Read;
    if !super::paths::is_html_path_in(relative, collections) || first_link(root, relative).is_some()
    {
        return false;
    }
    let mut head = Vec::with_capacity(HEAD_BYTES);
    let read = std::fs::File::open(root.join(relative))
        .and_then(|file| file.take(HEAD_BYTES as u64).read_to_end(&mut head));
    read.is_ok() && super::front_matter::split::opens(&String::from_utf8_lossy(&head))
}

/// How much of an HTML file [`is_html_document`] reads: blank lines and
/// the opening line fit many times over.
const HEAD_BYTES: usize = 4096;

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// Whether a skipped link is worth a warning: named like a post, or
/// pointing at a folder (posts inside), at nothing, or round in a loop.
fn could_be_a_post(path: &Path, relative: &Path) -> bool {
    is_post_path(relative) || !std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// The problem of a post (or a collection's page) [`Walk::unread`] lists.
pub fn unread_post(relative: &Path) -> ContentError {
    let format = relative
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    // A collection's documents are pages (`content::place`).
    let kind = match super::paths::in_jekyll_posts(relative) {
        true => "post",
        false => "page",
    };
    ContentError::new(
        relative,
        None,
        format!(
            "this {kind} is written in {format}, which Jekyll renders and Quire does not read (Quire reads Markdown and HTML), so it is not published"
        ),
        "convert it to Markdown (`pandoc -t gfm`), keeping its front matter",
    )
}

/// The note on a folder [`Walk::unpublished`] lists, holding `files`
/// Markdown files: `quire check` shows it (the server's log only when
/// debugging).
pub fn unpublished_folder(folder: &Path, files: usize) -> ContentError {
    let name = folder
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let plural = if files == 1 { "file" } else { "files" };
    ContentError::new(
        folder,
        None,
        format!(
            "the folder `{name}/` holds {files} Markdown {plural} that {verb} not published: Quire reads no folder whose name starts with `_` (another engine's: a Jekyll collection, a theme's files)",
            verb = if files == 1 { "is" } else { "are" },
        ),
        unpublished_fix(folder, name.trim_start_matches('_')),
    )
    // A note: a Jekyll collection without pages of its own (`output:
    // false`, authors' profiles) stays, and is no fault of the site.
    .note()
}

/// How to publish a folder [`unpublished_folder`] names: a folder at the
/// top is read as a Jekyll collection once `collections` names it; one
/// deeper is renamed.
fn unpublished_fix(folder: &Path, name: &str) -> String {
    let top = folder.parent().is_none_or(|p| p.as_os_str().is_empty());
    let how = match top {
        true => format!(
            "add `collections = [\"{name}\"]` to quire.toml, and they are read as the section `{name}`, each at the address its `permalink` names"
        ),
        false => format!("rename the folder to `{name}`"),
    };
    format!(
        "if they are pages of the site (a Jekyll collection with `output: true`), {how}; if they are not, nothing to do"
    )
}

/// The first link on the way from `root` to `root/relative`, relative to
/// `root`, or `None` when every part is a plain file or folder. A path
/// that leaves the root (`..`, absolute) counts as a link at its start.
/// Parts that do not exist end the search: there is nothing to follow.
pub fn first_link(root: &Path, relative: &Path) -> Option<PathBuf> {
    let mut walked = PathBuf::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => walked.push(part),
            Component::CurDir => continue,
            _ => return Some(relative.to_path_buf()),
        }
        match std::fs::symlink_metadata(root.join(&walked)) {
            Ok(meta) if meta.file_type().is_symlink() => return Some(walked),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// The warning for `relative`, skipped because of `link` (itself, or a
/// folder on its way that is a link): the link, its target, the fix.
pub fn skipped_link(root: &Path, relative: &Path, link: &Path) -> ContentError {
    let target = std::fs::read_link(root.join(link)).map_or_else(
        |_| "outside the content directory".into(),
        |t| t.display().to_string(),
    );
    let what = if relative == link {
        format!("is a symbolic link (to {target})")
    } else {
        format!(
            "is inside {}, a symbolic link (to {target})",
            link.display()
        )
    };
    ContentError::new(
        relative,
        None,
        format!("{what}; Quire never follows links inside the content directory, so it is skipped"),
        "move or copy the file or folder it points to into the content directory, or delete the link",
    )
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("sub/deeper")).unwrap();
        std::fs::write(root.join("a.md"), "a").unwrap();
        std::fs::write(root.join("sub/deeper/b.md"), "b").unwrap();
        std::fs::write(root.join("sub/fig.png"), "png").unwrap();
        symlink("/", root.join("root")).unwrap();
        symlink(".", root.join("loop")).unwrap();
        symlink("a.md", root.join("inside.md")).unwrap();
        symlink("fig.png", root.join("sub/other.png")).unwrap();
        symlink("nowhere", root.join("sub/dangling")).unwrap();
        symlink("../sub", root.join("sub/deeper/up")).unwrap();
        dir
    }

    #[test]
    fn the_walk_lists_real_posts_and_the_links_it_skips() {
        let dir = tree();
        let found = walk(dir.path(), &[]);
        let relative = |paths: &[PathBuf]| -> Vec<String> {
            paths
                .iter()
                .map(|p| {
                    p.strip_prefix(dir.path())
                        .unwrap_or(p)
                        .display()
                        .to_string()
                })
                .collect()
        };
        assert_eq!(relative(&found.files), ["a.md", "sub/deeper/b.md"]);
        let mut links = relative(&found.links);
        links.sort();
        assert_eq!(
            links,
            ["inside.md", "loop", "root", "sub/dangling", "sub/deeper/up"]
        );
        assert!(found.unreadable.is_empty(), "{:?}", found.unreadable);
    }

    #[test]
    fn an_html_file_is_a_document_when_it_opens_with_front_matter() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            ("donate.html", "---\ntitle: Donate\n---\n<p>Give</p>\n"),
            (
                "stats.HTM",
                "\n\n+++\ntitle = \"Stats\"\n+++\n<p>Numbers</p>\n",
            ),
            (
                "_posts/2012-05-06-imported.html",
                "---\nlayout: post\n---\n<p>Old</p>\n",
            ),
            (
                "post/demo.html",
                "<!DOCTYPE html><p>A demo beside a post</p>\n",
            ),
            ("_layouts/post.html", "---\n---\n{{ content }}\n"),
        ];
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let found = walk(dir.path(), &[]);
        let mut names: Vec<String> = found
            .files
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "_posts/2012-05-06-imported.html",
                "donate.html",
                "stats.HTM"
            ]
        );
        assert!(found.unread.is_empty(), "{:?}", found.unread);
    }

    #[test]
    fn a_section_s_translation_is_walked_like_its_section() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "blog/_index.md",
            "blog/_index.fr.md",
            "blog/_index.pt-BR.md",
            "blog/_index.old.backup.md",
            "_partials/_index.fr.md",
            "blog/a.md",
        ] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "+++\n+++\n").unwrap();
        }
        let found = walk(dir.path(), &[]);
        let names: Vec<String> = found
            .files
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "blog/_index.fr.md",
                "blog/_index.md",
                "blog/_index.pt-BR.md",
                "blog/a.md"
            ]
        );
    }

    #[test]
    fn a_linked_root_is_walked() {
        let dir = tree();
        let linked = tempfile::tempdir().unwrap();
        let root = linked.path().join("content");
        symlink(dir.path(), &root).unwrap();
        assert_eq!(walk(&root, &[]).files.len(), 2);
        assert_eq!(first_link(&root, Path::new("a.md")), None);
    }

    #[test]
    fn the_first_link_on_a_path_is_named() {
        let dir = tree();
        let root = dir.path();
        assert_eq!(first_link(root, Path::new("sub/deeper/b.md")), None);
        assert_eq!(first_link(root, Path::new("missing/x.md")), None);
        let link = |p: &str| first_link(root, Path::new(p)).map(|p| p.display().to_string());
        assert_eq!(link("inside.md").as_deref(), Some("inside.md"));
        assert_eq!(link("root/etc/passwd").as_deref(), Some("root"));
        assert_eq!(
            link("sub/deeper/up/fig.png").as_deref(),
            Some("sub/deeper/up")
        );
        assert_eq!(link("../x.md").as_deref(), Some("../x.md"));
    }

    #[test]
    fn the_warning_names_the_link_its_target_and_the_fix() {
        let dir = tree();
        let text = skipped_link(dir.path(), Path::new("root"), Path::new("root")).to_string();
        assert!(
            text.starts_with("root: is a symbolic link (to /)"),
            "{text}"
        );
        assert!(text.contains("move or copy"), "{text}");
        let below = Path::new("sub/deeper/up/x.md");
        let text = skipped_link(dir.path(), below, Path::new("sub/deeper/up")).to_string();
        assert!(
            text.starts_with(
                "sub/deeper/up/x.md: is inside sub/deeper/up, a symbolic link (to ../sub)"
            ),
            "{text}"
        );
    }
}
