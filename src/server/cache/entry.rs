//! One stored answer: its bytes, compressed variants and ETag, and the
//! kind of page it is, which decides what a content change drops.

use headers::{ETag, IfNoneMatch};

use super::middleware::{content_type, is_compressible};
use super::*;

/// One cached response: headers, identity bytes and compressed variants.
#[derive(Debug)]
pub struct Entry {
    pub(super) kind: Kind,
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    /// Hex blake3 of the identity bytes (without quotes or suffix).
    pub(super) etag: String,
    pub(super) identity: Bytes,
    pub(super) brotli: Option<Bytes>,
    pub(super) gzip: Option<Bytes>,
    /// The whole head of a hit in each encoding (identity, gzip, brotli),
    /// security headers included, made on the first hit
    /// ([`super::hit`]); the `bool` is the `hsts` it was made with.
    pub(super) hit_heads: [std::sync::OnceLock<(bool, HeaderMap)>; 3],
}

/// How hard to compress: pages are compressed on the request path, assets
/// once per process in the background.
#[derive(Clone, Copy, Debug)]
pub enum Effort {
    None,
    Fast,
    /// Brotli 10: nearly all of the best's gain (the demo's search index:
    /// 37.7 KB against 36.7, 44.2 at the fast effort) in two fifths of its
    /// time, for a large file written again on every change (the static
    /// search index, which every reader fetches).
    Dense,
    Best,
}

impl Entry {
    /// Builds an entry; variants are kept only when they are smaller.
    pub fn new(
        kind: Kind,
        status: StatusCode,
        headers: HeaderMap,
        identity: Bytes,
        effort: Effort,
    ) -> Self {
        let etag = blake3::hash(&identity).to_hex()[..32].to_string();
        // A body collected from a stream may sit in a larger buffer; keep
        // exactly its bytes so `size` is what the entry holds.
        let identity = Bytes::copy_from_slice(&identity);
        let compressible =
            identity.len() >= MIN_COMPRESS_BYTES && is_compressible(content_type(&headers));
        let (brotli, gzip) = match effort {
            Effort::None => (None, None),
            _ if !compressible => (None, None),
            Effort::Fast | Effort::Dense | Effort::Best => (
                smaller(compress(&identity, Encoding::Brotli, effort), &identity),
                smaller(compress(&identity, Encoding::Gzip, effort), &identity),
            ),
        };
        Self {
            kind,
            status,
            headers,
            etag,
            identity,
            brotli,
            gzip,
            hit_heads: Default::default(),
        }
    }

    /// Bytes this entry holds, counting every variant and the key.
    pub fn size(&self, key: &str) -> usize {
        let headers: usize = self
            .headers
            .iter()
            .map(|(k, v)| k.as_str().len() + v.len())
            .sum();
        key.len()
            + headers
            + self.identity.len()
            + self.brotli.as_ref().map_or(0, Bytes::len)
            + self.gzip.as_ref().map_or(0, Bytes::len)
    }

    pub fn kind(&self) -> &Kind {
        &self.kind
    }

    /// The body for `encoding`; it must be one [`Entry::encoding_for`] returned.
    pub(super) fn body(&self, encoding: Encoding) -> &Bytes {
        let variant = match encoding {
            Encoding::Identity => None,
            Encoding::Gzip => self.gzip.as_ref(),
            Encoding::Brotli => self.brotli.as_ref(),
        };
        variant.unwrap_or(&self.identity)
    }

    pub(super) fn encoding_for(&self, accept_encoding: Option<&str>) -> Encoding {
        negotiate(accept_encoding, self.brotli.is_some(), self.gzip.is_some())
    }

    /// The strong tag of one representation: `"<hash>"`, `"<hash>-br"`
    /// or `"<hash>-gz"`.
    pub(super) fn etag_for(&self, encoding: Encoding) -> ETag {
        format!("\"{}{}\"", self.etag, encoding.etag_suffix())
            .parse()
            .expect("hex digits make a valid tag")
    }

    /// Whether `If-None-Match` names this entry: any representation's tag
    /// (a client may revalidate with the tag of another encoding), or `*`.
    /// `headers` parses the list and compares weakly, as RFC 9110 §13.1.2
    /// asks; elements that are not entity-tags never match.
    pub(super) fn matches(&self, if_none_match: &IfNoneMatch) -> bool {
        REPRESENTATIONS
            .into_iter()
            .any(|encoding| !if_none_match.precondition_passes(&self.etag_for(encoding)))
    }
}

/// Every encoding an entry may answer in, hence every tag it may have sent.
const REPRESENTATIONS: [Encoding; 3] = [Encoding::Identity, Encoding::Brotli, Encoding::Gzip];

/// Brotli or gzip of `data`; identity returns the bytes as they are.
/// Brotli's and gzip's tables, made afresh for each call, are cleared by
/// hand (`server::allocator`).
pub fn compress(data: &[u8], encoding: Encoding, effort: Effort) -> Bytes {
    crate::server::allocator::clearing_zeroed_blocks(|| compress_now(data, encoding, effort))
}

fn compress_now(data: &[u8], encoding: Encoding, effort: Effort) -> Bytes {
    use std::io::Write;
    let best = matches!(effort, Effort::Best | Effort::Dense);
    match encoding {
        Encoding::Identity => Bytes::copy_from_slice(data),
        Encoding::Brotli => {
            // Quality 5 compresses a 30 KB page in about a millisecond and
            // lands within a few percent of 11, which takes ~50 ms.
            let params = brotli::enc::BrotliEncoderParams {
                quality: match effort {
                    Effort::Best => 11,
                    Effort::Dense => 10,
                    Effort::None | Effort::Fast => 5,
                },
                lgwin: if best { 22 } else { window_bits(data.len()) },
                size_hint: data.len(),
                ..Default::default()
            };
            let mut out = Vec::with_capacity(data.len() / 4);
            let mut input = data;
            // Writing into a Vec cannot fail.
            let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
            out.shrink_to_fit();
            Bytes::from(out)
        }
        Encoding::Gzip => {
            let level = if best { 9 } else { 6 };
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(data.len() / 3),
                flate2::Compression::new(level),
            );
            // Writing into a Vec cannot fail.
            let _ = encoder.write_all(data);
            let mut out = encoder.finish().unwrap_or_default();
            out.shrink_to_fit();
            Bytes::from(out)
        }
    }
}

/// The smallest brotli window (from 2^17, below which quality 5 has no
/// hasher of its own in the `brotli` crate, up to 2^22) that holds all of
/// `len` bytes: a larger one finds nothing more in a page and only costs
/// its ring buffer.
fn window_bits(len: usize) -> i32 {
    let bits = usize::BITS - len.saturating_sub(1).leading_zeros();
    bits.clamp(17, 22) as i32
}

pub(super) fn smaller(variant: Bytes, identity: &Bytes) -> Option<Bytes> {
    (!variant.is_empty() && variant.len() < identity.len()).then_some(variant)
}

#[cfg(test)]
mod window_tests {
    use super::*;

    #[test]
    fn the_window_holds_the_whole_input_within_brotlis_bounds() {
        assert_eq!(window_bits(0), 17);
        assert_eq!(window_bits(30_000), 17);
        assert_eq!(window_bits(1 << 17), 17);
        assert_eq!(window_bits((1 << 17) + 1), 18);
        assert_eq!(window_bits(900_000), 20);
        assert_eq!(window_bits(50 << 20), 22);
    }

    #[test]
    fn a_page_above_the_smallest_window_decompresses_whole() {
        // About 300 KB: a window of 2^19, not the 2^17 of most pages.
        let page: Vec<u8> = (0..30_000u32)
            .flat_map(|i| format!("<p>{}</p>", i % 7919).into_bytes())
            .collect();
        let packed = compress(&page, Encoding::Brotli, Effort::Fast);
        let mut plain = Vec::new();
        brotli::BrotliDecompress(&mut packed.as_ref(), &mut plain).unwrap();
        assert_eq!(plain, page);
    }
}
