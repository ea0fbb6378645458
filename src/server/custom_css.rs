//! The owner's own stylesheet: `assets/custom.css` beside the content directory
//! (or the file `custom_css` names), served at an address that carries a
//! hash of its bytes and linked from every page after Quire's stylesheet,
//! so it restyles through the documented custom properties
//! (docs/THEMING.md) or plain rules, without touching Rust.
//!
//! Why a module of its own: it is the one stylesheet that comes from the
//! owner's disk rather than the build. It is read once at start (a change
//! needs a restart, as other settings do), served from memory with
//! `Cache-Control: immutable` (a new file is a new address), from this
//! origin, so the Content-Security-Policy (`style-src 'self'`) allows it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Site;

/// Where custom stylesheets are served: `/_custom/<hash>.css`.
pub const PREFIX: &str = "/_custom/";
/// Largest stylesheet read (a theme's CSS is a few KB).
const MAX_BYTES: u64 = 1024 * 1024;

/// The owner's stylesheet, read.
#[derive(Clone, Debug)]
pub struct CustomCss {
    /// `/_custom/<hash>.css`.
    pub address: String,
    pub bytes: Arc<[u8]>,
}

/// The file to read: `configured` if set (relative to the working
/// directory), else `assets/custom.css` beside `content_dir` when it exists.
pub fn path(configured: &str, content_dir: &Path) -> Option<PathBuf> {
    if !configured.trim().is_empty() {
        return Some(PathBuf::from(configured));
    }
    let beside = content_dir.parent()?.join("assets/custom.css");
    beside.is_file().then_some(beside)
}

/// Reads the stylesheet at `path`; an unreadable or oversized one is an
/// error naming the file and the fix (`serve` stops: a site that loses
/// its look silently is worse than one that does not start).
pub fn load(path: &Path) -> Result<CustomCss, String> {
    let fail = |why: String| {
        format!(
            "cannot use {} as the site's stylesheet: {why}; fix the file or the `custom_css` setting",
            path.display()
        )
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
    if meta.len() > MAX_BYTES {
        return Err(fail(format!("it is {} bytes, over 1 MiB", meta.len())));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    std::str::from_utf8(&bytes).map_err(|_| fail("it is not UTF-8 text".into()))?;
    let hash = blake3::hash(&bytes).to_hex();
    Ok(CustomCss {
        address: format!("{PREFIX}{}.css", &hash[..16]),
        bytes: bytes.into(),
    })
}

/// The route: the stylesheet at its hashed address, else 404.
pub async fn serve(State(site): State<Arc<Site>>, UrlPath(name): UrlPath<String>) -> Response {
    let Some(css) = site.custom_css.as_ref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if css.address != format!("{PREFIX}{name}") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/css; charset=utf-8"),
        ),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ),
    ];
    (headers, css.bytes.to_vec()).into_response()
}

/// The `<link>` every page gets at the end of its `<head>`.
pub fn link(css: &CustomCss) -> String {
    format!(
        "<link rel=\"stylesheet\" href=\"{}\" type=\"text/css\">",
        css.address
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_follows_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("custom.css");
        std::fs::write(&file, ":root { --accent: #8a2be2; }").unwrap();
        let first = load(&file).unwrap();
        assert!(first.address.starts_with("/_custom/") && first.address.ends_with(".css"));
        std::fs::write(&file, ":root { --accent: #006400; }").unwrap();
        assert_ne!(load(&file).unwrap().address, first.address);
        std::fs::write(&file, [0xff, 0xfe]).unwrap();
        let err = load(&file).unwrap_err();
        assert!(
            err.contains("custom.css") && err.contains("not UTF-8"),
            "{err}"
        );
    }

    #[test]
    fn the_default_file_sits_beside_the_content_directory() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        assert_eq!(path("", &content), None);
        std::fs::create_dir_all(dir.path().join("assets")).unwrap();
        std::fs::write(dir.path().join("assets/custom.css"), "a{}").unwrap();
        assert_eq!(
            path("", &content),
            Some(dir.path().join("assets/custom.css"))
        );
        assert_eq!(
            path("theme/x.css", &content),
            Some(PathBuf::from("theme/x.css"))
        );
    }
}
