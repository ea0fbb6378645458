//! Files beside bundle posts: `content/<slug>/diagram.svg` at the post's
//! address plus the file's name (`/blog/<slug>/diagram.svg`), answered by
//! a middleware ([`layer`]) since a post can live at any address; files
//! elsewhere under `content/` that a post references (`../img/x.png`) at
//! `<post address>/_files/<path>`, for that post only
//! (`content::images::resolve`); and the resized copies of its images at
//! `<post address>/_img/<hash>-<width>.webp` ([`super::images`]).
//!
//! Why a module of its own: these are the only answers read from the
//! author's directory at request time, so they carry rules no page needs.
//!
//! - What may be published ([`publishable`]): media and documents by the
//!   type of their name, never a Markdown source or an editor's or backup
//!   copy of one, nothing hidden, and nothing in a sub-folder that holds a
//!   post of its own (a draft nested in a visible post stays hidden).
//! - Streaming: a file is read from disk 64 KiB at a time, so a 300 MB
//!   video costs a buffer per request, not its size. A client that stops
//!   reading is dropped by the accept loop's send timeout
//!   ([`super::http::Limits::send`]), which closes the file with it.
//! - Byte ranges on the identity bytes: one satisfiable range is a 206 with
//!   `Content-Range`; a range starting past the end is a 416 with
//!   `Content-Range: bytes */<length>`; several ranges, a malformed
//!   `Range` or an `If-Range` that no longer matches get the whole file
//!   (200), as RFC 9110 allows: no `multipart/byteranges`.
//! - Validators: a strong `ETag` (one per encoding) and `Last-Modified`;
//!   `If-None-Match` (or, without it, `If-Modified-Since`) answers 304.
//! - Encoding is decided here, not by the page cache (this middleware runs
//!   before it, so it never sees these answers): small text-like files are sent brotli- or gzip-compressed,
//!   each variant compressed once and kept in a small cache, with `Vary:
//!   Accept-Encoding`; everything else is sent as it is, without `Vary`.
//!   So `HEAD` answers exactly the headers `GET` would.
//!
//! Layout: `publish` (what may be published), `ranges` (which bytes),
//! `variants` (compressed copies); this file finds, opens and answers.

mod publish;
mod ranges;
#[cfg(test)]
mod tests;
mod variants;

use std::io::{Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use headers::{
    AcceptRanges, ContentRange, ETag, HeaderMapExt, IfModifiedSince, IfNoneMatch, LastModified,
};
use mime_guess::Mime;
use tokio::io::AsyncReadExt;

use self::publish::in_a_post_of_its_own;
use self::ranges::{Wanted, unsatisfiable, wanted};
use self::variants::compressed;
use super::Site;
use super::responses::AppError;
use crate::content::Document;
use crate::content::images::resolve::{SHARED_FILES, VARIANTS};
use crate::server::cache::Encoding;

pub use self::publish::{publishable, withheld};

/// Bytes read from disk at a time while streaming a file.
const CHUNK_BYTES: usize = 64 * 1024;

/// Past this many segments from the end, a path is not looked at as a
/// post's address plus a file (bounds the lookups a long path costs).
const MAX_FILE_DEPTH: usize = 8;

/// The middleware: `GET`/`HEAD` of `<post address>/<file>` is answered
/// here when the post publishes that file; anything else goes on (a
/// static host's spelling such as `<post address>/index.html` is then
/// redirected, an unknown file gets the site's 404 page).
pub async fn layer(State(site): State<Arc<Site>>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    if !matches!(method, Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let Some((key, file)) = owner(&site, request.uri().path()) else {
        return next.run(request).await;
    };
    if let Some(name) = file.strip_prefix(VARIANTS) {
        return super::images::serve(site, key, name.to_string()).await;
    }
    let found = tokio::task::spawn_blocking({
        let site = site.clone();
        move || find(&site, &key, &file)
    })
    .await;
    match found {
        Ok(Some(found)) => respond(method == Method::HEAD, request.headers(), found).await,
        Ok(None) => next.run(request).await,
        Err(err) => AppError::internal("a file beside a post", err).into_response(),
    }
}

/// The visible post whose address `path` starts with, and the rest of
/// the path (the file), when `path` is not a post's address itself.
fn owner(site: &Site, path: &str) -> Option<(String, String)> {
    let path = super::redirects::percent_decode(path)?;
    let snapshot = site.blog.snapshot().ok()?;
    if snapshot.serves(&path) {
        return None;
    }
    let splits = path.rmatch_indices('/').take(MAX_FILE_DEPTH);
    let inner = |(at, _): &(usize, &str)| *at > 0 && *at + 1 < path.len();
    splits.filter(inner).find_map(|(at, _)| {
        let listing = snapshot.at(&path[..at])?;
        Some((listing.summary.slug, path[at + 1..].to_string()))
    })
}

/// A file found for a request, opened.
struct Found {
    file: std::fs::File,
    /// Canonical; the compressed cache's key.
    path: PathBuf,
    mime: Mime,
    len: u64,
    modified: SystemTime,
}

/// The file `file` of the post `slug`, when the post is visible now and
/// the file is one it publishes (the name asked for and, through links,
/// the file itself), inside the post's folder and not in a sub-folder
/// holding a post of its own.
fn find(site: &Site, slug: &str, file: &str) -> Option<Found> {
    let doc = visible_post(site, slug)?;
    if let Some(shared) = file.strip_prefix(SHARED_FILES) {
        return find_shared(site, &doc.files, Path::new(shared));
    }
    publishable(Path::new(file))?;
    let root = site.content_dir.join(doc.asset_dir?).canonicalize().ok()?;
    let path = root.join(file).canonicalize().ok()?;
    let inside = path.strip_prefix(&root).ok()?;
    let mime = publishable(inside)?;
    if in_a_post_of_its_own(&root, inside) {
        return None;
    }
    open(path, mime)
}

/// The post `slug`, when readers may see it now.
pub(crate) fn visible_post(site: &Site, slug: &str) -> Option<Document> {
    let doc = site.store().post(slug).ok()??;
    doc.is_visible(chrono::Utc::now(), site.blog.show_drafts)
        .then_some(doc)
}

/// A file outside the post's folder that the post references
/// (`<post>/_files/<path inside content/>`): only a file the post lists,
/// publishable by the same rule, reached through no link, inside `content/`.
fn find_shared(site: &Site, listed: &[PathBuf], shared: &Path) -> Option<Found> {
    if !listed.iter().any(|f| f == shared) {
        return None;
    }
    let mime = publishable(shared)?;
    if crate::content::tree::first_link(&site.content_dir, shared).is_some() {
        return None;
    }
    let root = site.content_dir.canonicalize().ok()?;
    let path = root.join(shared).canonicalize().ok()?;
    path.starts_with(&root).then_some(())?;
    open(path, mime)
}

/// Answers with the file at `path` (a file Quire has decided to publish,
/// such as one of the site's `static/` folder), typed by its name.
pub(super) async fn send_file(head: bool, request: &HeaderMap, path: PathBuf) -> Option<Response> {
    let mime = mime_guess::from_path(&path).first_or_octet_stream();
    let found = tokio::task::spawn_blocking(move || open(path, mime))
        .await
        .ok()??;
    Some(respond(head, request, found).await)
}

fn open(path: PathBuf, mime: Mime) -> Option<Found> {
    let file = std::fs::File::open(&path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    Some(Found {
        file,
        path,
        mime,
        len: meta.len(),
        modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
    })
}

/// Conditions first (RFC 9110 §13.2.2), then the range, then the body.
async fn respond(head: bool, request: &HeaderMap, found: Found) -> Response {
    let wanted = wanted(request, &found);
    let compressed = match wanted {
        Wanted::Whole => compressed(request, &found).await,
        _ => None,
    };
    let encoding = compressed.as_ref().map_or(Encoding::Identity, |(e, _)| *e);
    let etag = found.etag(encoding);
    let headers = found.headers(&etag, encoding);
    if not_modified(request, &etag, found.modified) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    match (wanted, compressed) {
        (Wanted::Unsatisfiable, _) => unsatisfiable(found.len),
        (Wanted::Part(first, last), _) => part(head, found, headers, first, last),
        (Wanted::Whole, Some((_, bytes))) => sized(head, headers, bytes.len() as u64, bytes.into()),
        (Wanted::Whole, None) => {
            let len = found.len;
            sized(head, headers, len, stream(found.file, 0, len))
        }
    }
}

impl Found {
    /// Strong, from size and modification time, one per encoding.
    fn etag(&self, encoding: Encoding) -> ETag {
        self.tag(encoding)
            .parse()
            .expect("hex digits make a valid tag")
    }

    fn tag(&self, encoding: Encoding) -> String {
        let nanos = self
            .modified
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        format!("\"{:x}-{nanos:x}{}\"", self.len, encoding.etag_suffix())
    }

    /// The headers every answer about the file carries (304 included).
    fn headers(&self, etag: &ETag, encoding: Encoding) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, content_type(&self.mime));
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        );
        headers.typed_insert(etag.clone());
        headers.typed_insert(LastModified::from(self.modified));
        headers.typed_insert(AcceptRanges::bytes());
        if self.is_compressible() {
            headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        }
        if let Some(coding) = encoding.header_value() {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        headers
    }

    /// Whether the answer depends on `Accept-Encoding`.
    fn is_compressible(&self) -> bool {
        variants::is_compressible(&self.mime, self.len)
    }
}

/// Text is UTF-8, as the rest of the site.
fn content_type(mime: &Mime) -> HeaderValue {
    let value = if mime.type_() == mime_guess::mime::TEXT {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

fn not_modified(request: &HeaderMap, etag: &ETag, modified: SystemTime) -> bool {
    if let Some(if_none_match) = request.typed_get::<IfNoneMatch>() {
        return !if_none_match.precondition_passes(etag);
    }
    request
        .typed_get::<IfModifiedSince>()
        .is_some_and(|since| !since.is_modified(modified))
}

fn part(head: bool, found: Found, mut headers: HeaderMap, first: u64, last: u64) -> Response {
    let len = last - first + 1;
    if let Ok(range) = ContentRange::bytes(first..=last, found.len) {
        headers.typed_insert(range);
    }
    let mut response = sized(head, headers, len, stream(found.file, first, len));
    *response.status_mut() = StatusCode::PARTIAL_CONTENT;
    response
}

/// A 200 of `len` bytes; HEAD gets the same headers and no body.
fn sized(head: bool, mut headers: HeaderMap, len: u64, body: Body) -> Response {
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    let body = if head { Body::empty() } else { body };
    (headers, body).into_response()
}

/// `len` bytes of `file` from byte `from`, read a chunk at a time (the
/// position is set here: compressing may have moved it). No exact size
/// hint: the length is in `Content-Length`, and the page cache leaves
/// bodies it cannot size alone.
fn stream(mut file: std::fs::File, from: u64, len: u64) -> Body {
    if file.seek(SeekFrom::Start(from)).is_err() {
        return Body::empty();
    }
    let file = tokio::fs::File::from_std(file).take(len);
    Body::from_stream(tokio_util::io::ReaderStream::with_capacity(
        file,
        CHUNK_BYTES,
    ))
}
