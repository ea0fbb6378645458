//! Where each address of the site lives in the export folder, chosen for
//! what static hosts do with Quire's links: `/blog/x` is written as
//! `blog/x.html`, which GitHub Pages, Netlify, Cloudflare Pages and nginx
//! (`try_files $uri $uri.html …`) all serve at `/blog/x` without a
//! redirect, whereas `blog/x/index.html` makes GitHub Pages and
//! Cloudflare answer `/blog/x` with a 301 to `/blog/x/`. An address that
//! ends in a slash (`/2019/03/x/`, a migrated Zola or Hugo post's) is
//! `2019/03/x/index.html`, which every host serves there. `/` is
//! `index.html`; a file with its own name (`/atom.xml`, an image) keeps it.
//!
//! Why a module of its own: the one rule shared by the writer, the
//! redirect pages and `tests/export.rs`, which maps links to files the
//! way a host will.

use std::path::PathBuf;

use crate::server::redirects::percent_decode;

/// The file, relative to the export folder, that answers `path` (no query)
/// on a static host; `html` when the answer is a page. `None` for a path
/// no file can stand for (`..`, a hidden name, an empty segment).
pub fn file_for(path: &str, html: bool) -> Option<PathBuf> {
    let decoded = percent_decode(path)?;
    let rest = decoded.strip_prefix('/')?;
    if rest.is_empty() {
        return html.then(|| PathBuf::from("index.html"));
    }
    let (rest, folder) = match rest.strip_suffix('/') {
        Some(inside) if html => (inside, true),
        _ => (rest, false),
    };
    let mut file = PathBuf::new();
    for segment in rest.split('/') {
        let bad = segment.is_empty()
            || segment == "."
            || segment == ".."
            || segment.starts_with(".quire")
            || segment.contains(['\\', '\0']);
        if bad {
            return None;
        }
        file.push(segment);
    }
    if folder {
        file.push("index.html");
    } else if html && !(decoded.ends_with(".html") || decoded.ends_with(".htm")) {
        let name = file.file_name()?.to_string_lossy().into_owned();
        file.set_file_name(format!("{name}.html"));
    }
    Some(file)
}

/// Whether a response of `content_type` is worth `.br` and `.gz` copies.
pub fn compressible(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.starts_with("text/")
        || essence.ends_with("+xml")
        || essence.ends_with("+json")
        || matches!(
            essence,
            "application/json"
                | "application/xml"
                | "application/javascript"
                | "application/wasm"
                | "image/svg+xml"
                | "image/x-icon"
                | "image/vnd.microsoft.icon"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_html_files_beside_their_folders() {
        let cases = [
            ("/", true, Some("index.html")),
            ("/blog/a", true, Some("blog/a.html")),
            ("/page/2", true, Some("page/2.html")),
            ("/old.html", true, Some("old.html")),
            ("/atom.xml", false, Some("atom.xml")),
            ("/blog/a/figure.svg", false, Some("blog/a/figure.svg")),
            ("/blog/caf%C3%A9", true, Some("blog/café.html")),
            ("/blog/../etc", true, None),
            ("/a//b", true, None),
            ("/2019/03/x/", true, Some("2019/03/x/index.html")),
            ("/a//", true, None),
            ("/blog/a/", false, None),
            ("/", false, None),
            ("/.quire-export", false, None),
        ];
        for (path, html, file) in cases {
            assert_eq!(file_for(path, html), file.map(PathBuf::from), "{path}");
        }
    }

    #[test]
    fn text_formats_are_compressed_and_images_are_not() {
        assert!(compressible("text/html; charset=utf-8"));
        assert!(compressible("application/atom+xml"));
        assert!(compressible("application/wasm"));
        assert!(!compressible("image/webp"));
        assert!(!compressible("image/png"));
    }
}
