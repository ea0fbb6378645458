//! The owner's own stylesheet: `assets/custom.css` beside the content directory
//! (or the file `custom_css` names), served at an address that carries a
//! hash of its bytes and linked from every page after Quire's stylesheet,
//! so it restyles through the documented custom properties
//! (docs/THEMING.md) or plain rules, without touching Rust.
//!
//! Why a module of its own: it is the one stylesheet that comes from the
//! owner's disk rather than the build. It is read at start (a bad one
//! stops `serve`) and again whenever the watcher sees the file change
//! ([`Stylesheet::reload`]: a bad edit is logged and the last good one
//! kept), served from memory with `Cache-Control: immutable` (a new file
//! is a new address, and every stored page is dropped so each links the
//! new one), from this origin, so the Content-Security-Policy
//! (`style-src 'self'`) allows it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

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

/// The site's stylesheet: the file it is read from and what it held when
/// last read well.
#[derive(Debug, Default)]
pub struct Stylesheet {
    /// Absolute, as the watcher reports its changes.
    path: Option<PathBuf>,
    current: RwLock<Option<CustomCss>>,
}

impl Stylesheet {
    /// The stylesheet at `path`, read ([`load`]'s error when it cannot be).
    pub fn read(path: &Path) -> Result<Self, String> {
        let css = load(path)?;
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        Ok(Stylesheet {
            path: Some(path),
            current: RwLock::new(Some(css)),
        })
    }

    /// What pages link and `/_custom/` serves now.
    pub fn get(&self) -> Option<CustomCss> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The file, when the site has one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Whether a changed `path` (as the watcher reports it) is this file.
    pub fn is(&self, path: &Path) -> bool {
        self.path.as_deref() == Some(path)
    }

    /// Reads the file again; whether what is served changed. A file that
    /// cannot be used now (half saved, too large, gone) is logged, naming
    /// it and the fix, and the last good one stays.
    pub fn reload(&self) -> bool {
        let Some(path) = &self.path else {
            return false;
        };
        let css = match load(path) {
            Ok(css) => css,
            Err(e) => {
                tracing::error!("{e}; the last good stylesheet is still served");
                return false;
            }
        };
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        if current
            .as_ref()
            .is_some_and(|old| old.address == css.address)
        {
            return false;
        }
        tracing::info!(path = %path.display(), address = %css.address, "the site's own stylesheet changed; pages link the new one");
        *current = Some(css);
        true
    }
}

/// The route: the stylesheet at its hashed address, else 404.
pub async fn serve(State(site): State<Arc<Site>>, UrlPath(name): UrlPath<String>) -> Response {
    let Some(css) = site.custom_css.get() else {
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
    fn a_reload_follows_the_file_and_keeps_the_last_good_one() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("custom.css");
        std::fs::write(&file, "a { color: red }").unwrap();
        let sheet = Stylesheet::read(&file).unwrap();
        let first = sheet.get().unwrap().address;
        assert!(sheet.is(&file));
        assert!(!sheet.reload(), "the same bytes");
        std::fs::write(&file, "a { color: blue }").unwrap();
        assert!(sheet.reload());
        let second = sheet.get().unwrap();
        assert_ne!(second.address, first);
        std::fs::write(&file, [0xff, 0xfe]).unwrap();
        assert!(!sheet.reload(), "not UTF-8: the last good one stays");
        assert_eq!(sheet.get().unwrap().address, second.address);
        std::fs::remove_file(&file).unwrap();
        assert!(!sheet.reload());
        assert_eq!(&*sheet.get().unwrap().bytes, b"a { color: blue }");
        assert!(!Stylesheet::default().reload());
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
