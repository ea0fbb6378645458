//! Files beside bundle posts: `content/<slug>/diagram.svg` at
//! `/blog/<slug>/diagram.svg`.
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
//! - Encoding is decided here, not by the page cache (which passes these
//!   paths by): small text-like files are sent brotli- or gzip-compressed,
//!   each variant compressed once and kept in a small cache, with `Vary:
//!   Accept-Encoding`; everything else is sent as it is, without `Vary`.
//!   So `HEAD` answers exactly the headers `GET` would.

use std::io::{Read, Seek, SeekFrom};
use std::num::NonZeroUsize;
use std::path::{Component, Path, PathBuf};
use std::sync::{LazyLock, Mutex, PoisonError};
use std::time::SystemTime;

use axum::body::{Body, Bytes};
use axum::extract::Path as UrlPath;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use headers::{
    AcceptRanges, ContentRange, ETag, HeaderMapExt, IfModifiedSince, IfNoneMatch, IfRange,
    LastModified,
};
use mime_guess::Mime;
use tokio::io::AsyncReadExt;

use super::Site;
use super::cache::{Effort, Encoding, compress, negotiate};
use axum::extract::State;
use std::sync::Arc;

/// Bytes read from disk at a time while streaming a file.
const CHUNK_BYTES: usize = 64 * 1024;
/// Text-like files this size or larger are compressed ...
const MIN_COMPRESS_BYTES: u64 = 512;
/// ... up to this size: beyond it they stream as they are.
const MAX_COMPRESS_BYTES: u64 = 1024 * 1024;
/// Compressed variants kept in memory, at most.
const COMPRESSED_CACHE_BYTES: usize = 8 * 1024 * 1024;

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

/// `GET`/`HEAD /blog/{slug}/{*file}`.
pub async fn serve(
    State(site): State<Arc<Site>>,
    method: Method,
    UrlPath((slug, file)): UrlPath<(String, String)>,
    request: HeaderMap,
) -> Response {
    let found = tokio::task::spawn_blocking(move || find(&site, &slug, &file)).await;
    match found {
        Ok(Some(found)) => respond(method == Method::HEAD, &request, found).await,
        Ok(None) => not_found(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
    }
}

/// The rule for files beside a post, in one place: the type to serve the
/// file at `relative` (inside the post's folder) with, or `None` when it is
/// not published. Published: images, audio, video, fonts and the
/// [`DOCUMENT_TYPES`], by the type `mime_guess` gives the name. Never:
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
    let mime = mime_guess::from_path(name).first()?;
    is_media_or_document(&mime).then_some(mime)
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
    let doc = site.store().post(slug).ok()??;
    if !doc.is_visible(chrono::Utc::now(), site.blog.show_drafts) {
        return None;
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

/// Whether a folder between `root` and the file holds a Markdown source
/// (a post, a draft, one that fails to parse, one renamed away): its files
/// are that post's, served (or not) by its own rules.
fn in_a_post_of_its_own(root: &Path, inside: &Path) -> bool {
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

/// What the request gets of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wanted {
    Whole,
    /// First and last byte, inclusive.
    Part(u64, u64),
    Unsatisfiable,
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

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
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
        let essence = self.mime.essence_str();
        let text_like = self.mime.type_() == mime_guess::mime::TEXT
            || matches!(essence, "image/svg+xml" | "application/json");
        text_like && (MIN_COMPRESS_BYTES..=MAX_COMPRESS_BYTES).contains(&self.len)
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

/// The range asked for, when it is to be honoured: one range, well
/// formed, and an `If-Range` (if any) that names the identity bytes now.
fn wanted(request: &HeaderMap, found: &Found) -> Wanted {
    let Some(range) = request.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Wanted::Whole;
    };
    if request.contains_key(header::IF_RANGE) && !if_range_holds(request, found) {
        return Wanted::Whole;
    }
    match http_range_header::parse_range_header(range).map(|parsed| parsed.ranges) {
        Ok(ranges) if ranges.len() == 1 => resolve(ranges[0], found.len),
        _ => Wanted::Whole,
    }
}

fn if_range_holds(request: &HeaderMap, found: &Found) -> bool {
    let etag = found.etag(Encoding::Identity);
    let modified = LastModified::from(found.modified);
    request
        .typed_get::<IfRange>()
        .is_some_and(|if_range| !if_range.is_modified(Some(&etag), Some(&modified)))
}

/// One range against a file of `len` bytes (RFC 9110 §14.1.2): a suffix
/// longer than the file is the whole file, an end past it is cut to it, a
/// start at or past it cannot be satisfied; `5-2` is malformed (ignored).
fn resolve(range: http_range_header::SyntacticallyCorrectRange, len: u64) -> Wanted {
    use http_range_header::{EndPosition, StartPosition};
    let last = len.saturating_sub(1);
    let (first, end) = match (range.start, range.end) {
        (StartPosition::FromLast(n), _) => (len.saturating_sub(n), last),
        (StartPosition::Index(first), EndPosition::LastByte) => (first, last),
        (StartPosition::Index(first), EndPosition::Index(end)) if end < first => {
            return Wanted::Whole;
        }
        (StartPosition::Index(first), EndPosition::Index(end)) => (first, end.min(last)),
    };
    if len == 0 || first >= len {
        Wanted::Unsatisfiable
    } else {
        Wanted::Part(first, end)
    }
}

fn unsatisfiable(len: u64) -> Response {
    let mut response = (StatusCode::RANGE_NOT_SATISFIABLE, "range not satisfiable").into_response();
    response
        .headers_mut()
        .typed_insert(ContentRange::unsatisfied_bytes(len));
    response
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

/// The compressed variant the request accepts, when the file is worth
/// compressing and the variant is smaller.
async fn compressed(request: &HeaderMap, found: &Found) -> Option<(Encoding, Bytes)> {
    if !found.is_compressible() {
        return None;
    }
    let accept = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok());
    let encoding = negotiate(accept, true, true);
    encoding.header_value()?;
    let key = (found.path.clone(), found.tag(encoding));
    if let Some(variant) = COMPRESSED.get(&key) {
        return variant.map(|bytes| (encoding, bytes));
    }
    let file = found.file.try_clone().ok()?;
    let len = found.len;
    let variant = tokio::task::spawn_blocking(move || compress_file(file, len, encoding))
        .await
        .ok()?;
    COMPRESSED.put(key, variant.clone());
    variant.map(|bytes| (encoding, bytes))
}

/// The file compressed, when that makes it smaller.
fn compress_file(file: std::fs::File, len: u64, encoding: Encoding) -> Option<Bytes> {
    let mut data = Vec::with_capacity(len as usize);
    file.take(len).read_to_end(&mut data).ok()?;
    let variant = compress(&data, encoding, Effort::Fast);
    (!variant.is_empty() && variant.len() < data.len()).then_some(variant)
}

/// Compressed variants by canonical path and tag (size, time, encoding),
/// least recently used dropped beyond [`COMPRESSED_CACHE_BYTES`]. `None`
/// remembers that compressing did not help.
static COMPRESSED: LazyLock<Variants> = LazyLock::new(Variants::default);

type Key = (PathBuf, String);

struct Variants {
    entries: Mutex<(lru::LruCache<Key, Option<Bytes>>, usize)>,
}

impl Default for Variants {
    fn default() -> Self {
        let slots = NonZeroUsize::new(1024).expect("not zero");
        Self {
            entries: Mutex::new((lru::LruCache::new(slots), 0)),
        }
    }
}

impl Variants {
    fn get(&self, key: &Key) -> Option<Option<Bytes>> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.0.get(key).cloned()
    }

    fn put(&self, key: Key, variant: Option<Bytes>) {
        let size = |v: &Option<Bytes>| v.as_ref().map_or(0, Bytes::len);
        let mut guard = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let (cache, bytes) = &mut *guard;
        *bytes += size(&variant);
        if let Some((_, old)) = cache.push(key, variant) {
            *bytes -= size(&old);
        }
        while *bytes > COMPRESSED_CACHE_BYTES {
            let Some((_, old)) = cache.pop_lru() else {
                break;
            };
            *bytes -= size(&old);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_and_documents_are_published_sources_and_copies_never() {
        for name in [
            "a.png",
            "a.JPG",
            "a.svg",
            "a.mp4",
            "a.mp3",
            "a.woff2",
            "a.pdf",
            "a.txt",
            "a.csv",
            "a.json",
            "a.zip",
            "sub/dir/a.webp",
            "2026.report.pdf",
        ] {
            assert!(publishable(Path::new(name)).is_some(), "{name}");
        }
        for name in [
            "index.md",
            "index.MD",
            "index.md~",
            "#index.md#",
            ".index.md.swp",
            "index.md.bak",
            "index.markdown",
            "index.md.orig",
            "index.md.tmp",
            "INDEX.MD.BAK",
            "index.md.txt",
            "post.mdx",
            "a.html",
            "a.js",
            "a.css",
            "a.sh",
            "a.toml",
            "a.bin",
            "noext",
            ".hidden.png",
            "_private.png",
            "_drafts/a.png",
            ".git/a.png",
            "a.png~",
            "../a.png",
            "/etc/a.png",
            "",
        ] {
            assert!(publishable(Path::new(name)).is_none(), "{name}");
        }
    }

    #[test]
    fn ranges_resolve_as_rfc_9110_says() {
        let one = |s: &str| http_range_header::parse_range_header(s).unwrap().ranges[0];
        assert_eq!(resolve(one("bytes=0-9"), 100), Wanted::Part(0, 9));
        assert_eq!(resolve(one("bytes=90-200"), 100), Wanted::Part(90, 99));
        assert_eq!(resolve(one("bytes=-10"), 100), Wanted::Part(90, 99));
        assert_eq!(resolve(one("bytes=-1000"), 100), Wanted::Part(0, 99));
        assert_eq!(resolve(one("bytes=50-"), 100), Wanted::Part(50, 99));
        assert_eq!(resolve(one("bytes=100-"), 100), Wanted::Unsatisfiable);
        assert_eq!(resolve(one("bytes=0-"), 0), Wanted::Unsatisfiable);
        assert_eq!(resolve(one("bytes=-5"), 0), Wanted::Unsatisfiable);
        assert_eq!(resolve(one("bytes=9-2"), 100), Wanted::Whole);
    }
}
