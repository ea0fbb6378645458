//! What of a post's folder may be published: the rule [`publishable`] for
//! a file's name and type, and [`in_a_post_of_its_own`] for the folders
//! between the post and the file; and what the author put there that the
//! rule keeps back ([`withheld`], which `quire check` lists). Kept apart
//! from serving so the rule reads in one place.

use std::path::{Component, Path, PathBuf};

use mime_guess::Mime;

/// Extensions of Markdown sources, matched anywhere in a name after its
/// first dot and in any case (`index.MD`, `index.md.bak`).
const MARKDOWN_EXTENSIONS: [&str; 11] = [
    "md", "markdown", "mdown", "mkd", "mkdn", "mdwn", "mdtxt", "mdtext", "mdx", "rmd", "qmd",
];
/// Document types published besides images, audio, video and fonts.
const DOCUMENT_TYPES: [&str; 7] = [
    "application/pdf",
    "text/plain",
    "text/csv",
    "application/json",
    "application/zip",
    "application/gzip",
    "application/epub+zip",
];

/// Configuration and source files a post links to (etcd's
/// `etcd3_alert.rules`, a Kubernetes manifest `vm.yaml`, a script):
/// published as `text/plain`, so a reader sees or downloads them and a
/// browser never runs them. Web pages, scripts and styles (`.html`,
/// `.js`, `.css`) beside a post are not among them: the site's own
/// origin would serve them.
const PLAIN_TEXT_EXTENSIONS: [&str; 33] = [
    "yaml",
    "yml",
    "toml",
    "ini",
    "conf",
    "cfg",
    "rules",
    "properties",
    "sh",
    "bash",
    "zsh",
    "fish",
    "ps1",
    "py",
    "rb",
    "go",
    "rs",
    "c",
    "h",
    "cc",
    "cpp",
    "hpp",
    "java",
    "kt",
    "swift",
    "sql",
    "proto",
    "diff",
    "patch",
    "log",
    "tf",
    "hcl",
    "nix",
];

/// The rule for files beside a post, in one place: the type to serve the
/// file at `relative` (inside the post's folder) with, or `None` when it is
/// not published. Published: images, audio, video, fonts and the
/// [`DOCUMENT_TYPES`], by the type `mime_guess` gives the name, and the
/// [`PLAIN_TEXT_EXTENSIONS`] as `text/plain`. Never:
/// anything that looks like a Markdown source or a copy of one, and names
/// hidden as they are for posts (starting with `.`, `_` or `#`, or ending
/// with `~` or `#`) at any depth.
pub fn publishable(relative: &Path) -> Option<Mime> {
    let plain = relative.components().all(|c| match c {
        Component::Normal(name) => name.to_str().is_some_and(is_plain_name),
        _ => false,
    });
    let name = relative.file_name()?.to_str()?;
    if !plain || looks_like_markdown(name) {
        return None;
    }
    if is_plain_text(name) {
        return Some(mime_guess::mime::TEXT_PLAIN);
    }
    let mime = mime_guess::from_path(name).first()?;
    is_media_or_document(&mime).then_some(mime)
}

fn is_plain_text(name: &str) -> bool {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    extension.is_some_and(|e| PLAIN_TEXT_EXTENSIONS.contains(&e.as_str()))
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with(['.', '_', '#']) && !name.ends_with(['~', '#'])
}

/// A Markdown source or an editor's or backup copy of one:
/// `index.md~`, `#index.md#`, `.index.md.swp`, `index.MD.bak`, `notes.markdown`.
fn looks_like_markdown(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let name = name
        .trim_start_matches(['.', '#'])
        .trim_end_matches(['~', '#']);
    name.split('.')
        .skip(1)
        .any(|part| MARKDOWN_EXTENSIONS.contains(&part))
}

fn is_media_or_document(mime: &Mime) -> bool {
    matches!(mime.type_().as_str(), "image" | "audio" | "video" | "font")
        || DOCUMENT_TYPES.contains(&mime.essence_str())
}

/// Whether a folder between `root` and the file holds a Markdown source
/// (a post, a draft, one that fails to parse, one renamed away): its files
/// are that post's, served (or not) by its own rules.
pub(super) fn in_a_post_of_its_own(root: &Path, inside: &Path) -> bool {
    inside
        .ancestors()
        .skip(1)
        .filter(|dir| !dir.as_os_str().is_empty())
        .any(|dir| holds_markdown(&root.join(dir)))
}

fn holds_markdown(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return true;
    };
    entries
        .flatten()
        .any(|entry| looks_like_markdown(&entry.file_name().to_string_lossy()))
}

/// The files of a post's `folder` that a reader cannot fetch though they
/// are no Markdown, hidden or backup file: HTML, scripts, styles and other
/// types [`publishable`] keeps back (a page of the author's own, under
/// the site's origin, would run its scripts there). Paths relative to
/// `folder`, sorted; sub-folders holding a post of their own are theirs.
pub fn withheld(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(inside) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(folder.join(&inside)) else {
            continue;
        };
        for entry in entries.flatten() {
            let relative = inside.join(entry.file_name());
            let name = entry.file_name().to_string_lossy().into_owned();
            if !is_plain_name(&name) || looks_like_markdown(&name) {
                continue;
            }
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => pending.push(relative),
                Ok(kind) if kind.is_file() => found.push(relative),
                _ => {}
            }
        }
    }
    found.retain(|file| publishable(file).is_none() && !in_a_post_of_its_own(folder, file));
    found.sort();
    found
}
