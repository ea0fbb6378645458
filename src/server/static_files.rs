//! The site's `static/` folder, served at the site root: verification
//! files, downloads, a favicon, the images a migrated blog names with
//! absolute paths (`/images/x.png`, Zola's and Hugo's `static/`, Jekyll's
//! asset folders).
//!
//! Why a module of its own: it is the one place where a request path maps
//! straight onto the owner's disk, so it carries the rules that keep that
//! safe and keep pages first:
//!
//! - A page always wins: a file is sent only when the site itself answers
//!   404 for the path, so `static/about` can never hide the page `/about`.
//! - Nothing hidden (`.git`, `.env`), no `..`, no symbolic link out of the
//!   folder: the path is canonicalised and must stay inside it.
//! - The answer is the same as for files beside posts
//!   ([`super::post_files`]): content type by name, strong `ETag`,
//!   `Last-Modified`, ranges, and compressed text with `Vary`.
//!
//! Where the folder is: `static_dir` in `quire.toml` (or
//! `QUIRE_STATIC_DIR`), else `static/` beside the content directory when
//! it exists ([`root`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use super::Site;

/// The folder served at the root: `configured` (relative to the working
/// directory) if set, else `static/` beside `content_dir` if it exists.
pub fn root(configured: Option<&str>, content_dir: &Path) -> Option<PathBuf> {
    let dir = match configured.filter(|c| !c.trim().is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => content_dir.parent()?.join("static"),
    };
    let dir = std::path::absolute(&dir).unwrap_or(dir);
    dir.is_dir().then(|| dir.canonicalize().unwrap_or(dir))
}

/// The middleware: a `GET`/`HEAD` the site answers 404 is answered with
/// the file at that path under the static folder, when there is one.
pub async fn layer(State(site): State<Arc<Site>>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let file = match (&site.static_dir, &method) {
        (Some(dir), &Method::GET | &Method::HEAD) => file_at(dir, request.uri().path()),
        _ => None,
    };
    let Some(file) = file else {
        return next.run(request).await;
    };
    let headers = request.headers().clone();
    let response = next.run(request).await;
    if response.status() != StatusCode::NOT_FOUND {
        return response;
    }
    super::post_files::send_file(method == Method::HEAD, &headers, file)
        .await
        .unwrap_or(response)
}

/// The file a request path names inside `dir`, when it is a visible,
/// regular file that stays inside `dir`.
pub fn file_at(dir: &Path, request_path: &str) -> Option<PathBuf> {
    let decoded = super::redirects::percent_decode(request_path)?;
    let relative = relative_path(&decoded)?;
    let path = dir.join(relative).canonicalize().ok()?;
    (path.starts_with(dir) && path.is_file()).then_some(path)
}

/// `/a/b.png` as `a/b.png`, refusing hidden names, `..`, backslashes and
/// empty segments (a trailing slash names a folder, never served).
fn relative_path(decoded: &str) -> Option<PathBuf> {
    let rest = decoded.strip_prefix('/')?;
    let mut path = PathBuf::new();
    for segment in rest.split('/') {
        let bad = segment.is_empty() || segment.starts_with('.') || segment.contains(['\\', '\0']);
        if bad {
            return None;
        }
        path.push(segment);
    }
    (!path.as_os_str().is_empty()).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_visible_paths_map_to_files() {
        assert_eq!(relative_path("/a/b.png"), Some(PathBuf::from("a/b.png")));
        for bad in [
            "/",
            "/a/",
            "/.env",
            "/a/.git/config",
            "/../x",
            "/a//b",
            "/a\\b",
            "x",
        ] {
            assert_eq!(relative_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_link_out_of_the_folder_is_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "no").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::write(root.join("ok.txt"), "yes").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), root.join("link.txt"))
            .unwrap();
        assert_eq!(file_at(&root, "/ok.txt"), Some(root.join("ok.txt")));
        assert_eq!(file_at(&root, "/link.txt"), None);
        assert_eq!(file_at(&root, "/%2e%2e/secret.txt"), None);
    }
}
