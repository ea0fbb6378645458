//! Which file (or address) a post's relative reference means when it is
//! not simply beside the Markdown file: written against the old engine's
//! page address (Hugo, Zola), a file of `static/`, or another Markdown
//! source. Apart from [`super`] so the rules of where a reference leads
//! read in one place, and the rewriting of the document in another.

use std::path::{Path, PathBuf};

use super::Place;
use super::resolve::{self, Target};

/// The file under `content/` at the site address `address`, when there is
/// one (not a post's source): Zola and Hugo publish the files beside
/// the posts at their paths, so rust-embedded's `../ferris.png`, written
/// against the page `/embedded-hal-v1/`, is `content/ferris.png`.
pub(super) fn content_file(place: &Place, address: &str) -> Option<PathBuf> {
    let root = place.root.as_ref()?;
    let path = address.split(['?', '#']).next().unwrap_or_default();
    let Target::Local(path) = resolve::target(Path::new("x"), path.trim_start_matches('/')) else {
        return None;
    };
    is_served_file(root, &path).then_some(path)
}

/// `path`, the file `url` names beside the post's source, when it is
/// there; else, for a post that is not a bundle (`blog/post.md`), the
/// file `url` names against the post's own folder as Hugo published it
/// (`blog/post/`), when that one is: etcd's `dev-internal/modules.md`
/// shows `../img/modules.svg`, which is `dev-internal/img/modules.svg`.
pub(super) fn beside_page(place: &Place, url: &str, path: PathBuf) -> PathBuf {
    let Some(root) = place.root.as_ref() else {
        return path;
    };
    if place.bundle_dir.is_some() || std::fs::symlink_metadata(root.join(&path)).is_ok() {
        return path;
    }
    let own_folder = place.source.with_extension("").join("index.md");
    match resolve::target(&own_folder, url) {
        Target::Local(other) if is_served_file(root, &other) => other,
        _ => path,
    }
}

/// A link to another Markdown file under `content/` (`../tasks/x.md`, as
/// GitHub shows the docs), or to the page one is by its path from the
/// linking file's folder (`../features/egress`, as Hugo's link hooks read
/// it, the default one and linkerd.io's): the `ref` address of the post
/// (or section) that file is, which follows it wherever its front matter
/// puts it. A path that is a file or folder of its own is not a page.
pub(super) fn source_link(place: &Place, path: &Path, url: &str) -> Option<String> {
    let root = place.root.as_ref()?;
    let file = page_source(root, path)?;
    let file = file.to_str()?.replace('\\', "/");
    match url.split_once('#') {
        Some((_, anchor)) => crate::content::shortcodes::reference_url(&format!("{file}#{anchor}")),
        None => crate::content::shortcodes::reference_url(&file),
    }
}

/// The `ref` address of the page `url` names by its path from the folder
/// `from` sits in, when there is one. Two readers use it: a bundle post's
/// link to a page beside its folder (`from` is the bundle: linkerd.io's
/// `blog/2019/0809-tracing-myths/index.md` links `0518-linkerd-benchmarks`,
/// the bundle next to it, which Hugo's link hook finds by name and a
/// browser on Hugo's `/2019/08/09/tracing-myths/` would not), and Hugo's
/// `ref "op-guide/x"` without a leading `/` (`from` is the page's file:
/// Hugo looks beside the page before the site's root, and etcd's eight
/// versions of `op-guide/hardware` are told apart so).
pub fn page_link(place: &Place, from: &Path, url: &str) -> Option<String> {
    let file = url.split(['?', '#']).next().unwrap_or_default();
    let Target::Local(path) = resolve::target(from, file) else {
        return None;
    };
    source_link(place, &path, url)
}

/// The source (Markdown, or HTML with front matter) `path` is, or names
/// as a page: `path` itself, else `path.md`, `path/index.md` or
/// `path/_index.md`.
fn page_source(root: &Path, path: &Path) -> Option<PathBuf> {
    let is_source = |p: &Path| {
        let markdown = crate::content::is_post_path(p) || crate::content::is_section_path(p);
        (markdown && root.join(p).is_file()) || crate::content::tree::is_html_document(root, p, &[])
    };
    if is_source(path) {
        return Some(path.to_path_buf());
    }
    if path.extension().is_some()
        || std::fs::symlink_metadata(root.join(path)).is_ok_and(|m| m.is_file())
    {
        return None;
    }
    let named = path.with_extension("md");
    let candidates = [named, path.join("index.md"), path.join("_index.md")];
    candidates.into_iter().find(|p| is_source(p))
}

/// The site address of `path` (relative to `content/`) when no such file
/// is under `content/` but the site's `static/` folder has one there:
/// both are served at the site root, so kubevirt's Jekyll posts show
/// `../assets/x.png` from `_posts/`, the file `static/assets/x.png`.
pub(super) fn in_static(place: &Place, path: &Path) -> Option<String> {
    let (root, static_root) = (place.root.as_ref()?, place.static_root.as_ref()?);
    if std::fs::symlink_metadata(root.join(path)).is_ok()
        || crate::content::tree::first_link(static_root, path).is_some()
        || !std::fs::symlink_metadata(static_root.join(path)).is_ok_and(|m| m.is_file())
    {
        return None;
    }
    let segments: Vec<String> = path
        .iter()
        .map(|s| crate::urls::encode_segment(&s.to_string_lossy()))
        .collect();
    Some(format!("/{}", segments.join("/")))
}

/// Whether `path` (under `root`, content/) is a file a link may be served:
/// a regular file reached through no symbolic link, and not a post's
/// Markdown source.
pub(super) fn is_served_file(root: &Path, path: &Path) -> bool {
    crate::content::tree::first_link(root, path).is_none()
        && std::fs::symlink_metadata(root.join(path)).is_ok_and(|m| m.is_file())
        && !crate::content::is_post_path(path)
        && !crate::content::tree::is_html_document(root, path, &[])
}
