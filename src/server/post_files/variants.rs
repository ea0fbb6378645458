//! Compressed variants of small text-like files (SVG, JSON, text): each
//! compressed once, on first request, and kept in a small LRU cache by
//! file and validator, so a changed file is compressed again.

use std::io::Read;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::{LazyLock, Mutex, PoisonError};

use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use mime_guess::Mime;

use super::Found;
use crate::server::cache::{Effort, Encoding, compress, negotiate};

/// Text-like files this size or larger are compressed ...
const MIN_COMPRESS_BYTES: u64 = 512;
/// ... up to this size: beyond it they stream as they are.
const MAX_COMPRESS_BYTES: u64 = 1024 * 1024;
/// Compressed variants kept in memory, at most.
const COMPRESSED_CACHE_BYTES: usize = 8 * 1024 * 1024;

/// Whether a file of this type and size is sent compressed when the
/// client accepts it (so its answer depends on `Accept-Encoding`).
pub(super) fn is_compressible(mime: &Mime, len: u64) -> bool {
    let essence = mime.essence_str();
    let text_like = mime.type_() == mime_guess::mime::TEXT
        || matches!(essence, "image/svg+xml" | "application/json");
    text_like && (MIN_COMPRESS_BYTES..=MAX_COMPRESS_BYTES).contains(&len)
}

/// The compressed variant the request accepts, when the file is worth
/// compressing and the variant is smaller.
pub(super) async fn compressed(request: &HeaderMap, found: &Found) -> Option<(Encoding, Bytes)> {
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
