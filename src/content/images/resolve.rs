//! Where a relative reference in a post points, without touching the disk:
//! the file (relative to `content/`) and the address it is served at.
//!
//! Kept pure so the one rule for `../`, `./`, percent escapes and escaping
//! `content/` is tested on strings alone.

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

/// The folder, under a post's address, of files it references outside its
/// own bundle folder: `<post>/_files/<path inside content/>`. A name
/// starting with `_` is never published from a bundle folder
/// (`post_files::publishable`), so the two cannot collide.
pub const SHARED_FILES: &str = "_files/";

/// The folder, under a post's address, of its images' resized copies:
/// `<post>/_img/<hash>-<width>.webp` and `.avif`.
pub const VARIANTS: &str = "_img/";

/// The encodings resized copies are made in: every copy exists in both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Made first (fast to encode, every browser shows it).
    Webp,
    /// Made after every WebP copy (smaller, slower to encode); offered in
    /// a `<picture>` source, so browsers without AVIF never ask for it.
    Avif,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Webp, Format::Avif];

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Avif => "avif",
        }
    }

    /// The `Content-Type` and `<source type>`.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Webp => "image/webp",
            Format::Avif => "image/avif",
        }
    }

    /// The format of a copy's file name's extension.
    pub fn from_extension(extension: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.extension() == extension)
    }
}

/// The address of the copy `width` pixels wide of the image `hash` in
/// `format`, for the post whose files live at `base`.
pub fn variant_address(base: &str, hash: &str, width: u32, format: Format) -> String {
    format!("{base}{VARIANTS}{hash}-{width}.{}", format.extension())
}

/// What a reference in a post points at.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file under `content/`: its path relative to `content/`, normalised.
    Local(PathBuf),
    /// A relative path whose `../` climb out of `content/`.
    Outside,
    /// Not a relative path: a URL with a scheme, `//host`, `/path`,
    /// `#fragment`, `?query`, or empty.
    NotLocal,
}

/// Resolves `url` against the folder of `source` (the post's path inside
/// `content/`). A query or fragment is ignored for the file's path.
pub fn target(source: &Path, url: &str) -> Target {
    if !is_relative(url) {
        return Target::NotLocal;
    }
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let Ok(path) = percent_decode_str(path).decode_utf8() else {
        return Target::NotLocal;
    };
    let mut resolved = source.parent().map(Path::to_path_buf).unwrap_or_default();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if !resolved.pop() {
                    return Target::Outside;
                }
            }
            name => resolved.push(name),
        }
    }
    if resolved.as_os_str().is_empty() {
        return Target::NotLocal;
    }
    Target::Local(resolved)
}

/// Where a browser goes for the relative `url` on a page whose folder is
/// `base` (`/blog/a/`): the address another engine's author meant when
/// the path climbs out of `content/` from the file's folder (Jekyll and
/// Zola resolve nothing; the page's address decides). `..` stops at `/`.
pub fn against_page(base: &str, url: &str) -> String {
    let cut = url.find(['?', '#']).unwrap_or(url.len());
    let (path, suffix) = url.split_at(cut);
    let mut segments: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            name => segments.push(name),
        }
    }
    let slash = if path.ends_with('/') && !segments.is_empty() {
        "/"
    } else {
        ""
    };
    format!("/{}{slash}{suffix}", segments.join("/"))
}

/// The host, lower case, of an image fetched from another site
/// (`https://host/…`, `http://host/…`, `//host/…`).
pub fn image_host(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    let rest = ["https://", "http://", "//"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.to_string())
}

/// Whether `url` is a path on this site (`/images/x.png`), not a URL with
/// a host (`//cdn/x.png`, `https://…`).
pub fn is_site_path(url: &str) -> bool {
    url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\")
}

/// Whether `url` is a relative path (what the author wrote next to the file).
pub fn is_relative(url: &str) -> bool {
    !url.is_empty()
        && !url.starts_with(['/', '#', '?', '\\'])
        && !url.split_once(':').is_some_and(|(scheme, _)| {
            scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// The address of the file `path` (relative to `content/`) for a post
/// whose files live at `base` (ends with `/`): beside the post when the
/// file is inside its bundle folder, else under [`SHARED_FILES`].
pub fn address(base: &str, bundle_dir: Option<&Path>, path: &Path) -> String {
    let (prefix, rest) = match bundle_dir.and_then(|dir| path.strip_prefix(dir).ok()) {
        Some(inside) => ("", inside),
        None => (SHARED_FILES, path),
    };
    let segments: Vec<String> = rest
        .iter()
        .map(|s| crate::urls::encode_segment(&s.to_string_lossy()))
        .collect();
    format!("{base}{prefix}{}", segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(source: &str, url: &str) -> Target {
        target(Path::new(source), url)
    }

    #[test]
    fn relative_paths_resolve_against_the_files_folder() {
        let p = |s: &str| Target::Local(PathBuf::from(s));
        assert_eq!(local("blog/a/index.md", "x.png"), p("blog/a/x.png"));
        assert_eq!(
            local("blog/a/index.md", "./img/x.png"),
            p("blog/a/img/x.png")
        );
        assert_eq!(local("blog/a/index.md", "../x.png"), p("blog/x.png"));
        assert_eq!(
            local("blog/a/index.md", "../../static/x.png"),
            p("static/x.png")
        );
        assert_eq!(
            local("post.md", "images/my%20x.png?v=2#f"),
            p("images/my x.png")
        );
        assert_eq!(local("blog/a/index.md", "../../../x.png"), Target::Outside);
        assert_eq!(local("post.md", "../etc/passwd"), Target::Outside);
    }

    #[test]
    fn a_path_that_climbs_out_resolves_against_the_page_as_a_browser_would() {
        let base = "/inside-rust/2024/10/01/cycle-1.82/";
        assert_eq!(
            against_page(base, "../../../../2024/05/07/cycle-1.79/info.svg"),
            "/inside-rust/2024/05/07/cycle-1.79/info.svg"
        );
        assert_eq!(
            against_page("/blog/a/", "../../../../x.png?v=1#f"),
            "/x.png?v=1#f"
        );
        assert_eq!(against_page("/blog/a/", "./img/x.png"), "/blog/a/img/x.png");
        assert!(is_site_path("/x.png"));
        assert!(!is_site_path("//cdn/x.png"));
        assert!(!is_site_path("https://a/x.png"));
        assert_eq!(
            image_host("https://GitHub.com/x.png").as_deref(),
            Some("github.com")
        );
        assert_eq!(image_host("//cdn.b:8080/x.png").as_deref(), Some("cdn.b"));
        assert_eq!(image_host("/x.png"), None);
        assert_eq!(image_host("data:image/png;base64,AA"), None);
    }

    #[test]
    fn urls_and_absolute_paths_are_not_local() {
        for url in [
            "https://a.b/x.png",
            "//cdn/x.png",
            "/images/x.png",
            "#top",
            "?q",
            "",
            "data:image/png;base64,AA",
            "mailto:a@b",
        ] {
            assert_eq!(local("a/index.md", url), Target::NotLocal, "{url}");
        }
    }

    #[test]
    fn addresses_stay_beside_the_bundle_or_go_under_shared_files() {
        let bundle = Some(Path::new("blog/a"));
        assert_eq!(
            address("/blog/a/", bundle, Path::new("blog/a/img/x.png")),
            "/blog/a/img/x.png"
        );
        assert_eq!(
            address("/blog/a/", bundle, Path::new("blog/x y.png")),
            "/blog/a/_files/blog/x%20y.png"
        );
        assert_eq!(
            address("/blog/p/", None, Path::new("images/x.png")),
            "/blog/p/_files/images/x.png"
        );
    }
}
