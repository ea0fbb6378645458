//! What the disk says about a file a post references: whether it is there
//! (inside `content/`, reached through no link), and for a raster image its
//! size from the header (`imagesize`: no decoding) and a hash of its bytes,
//! the key of its resized copies.

use std::io::Read;
use std::path::Path;

use super::{LocalImage, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS};
use crate::content::tree;

/// What was found at a referenced path.
#[derive(Debug)]
pub enum Found {
    /// No regular file there (or one reached through a link).
    Missing,
    /// A file that is not an image Quire can size (SVG, PDF…).
    Other,
    /// A raster image, sized; `variants` is false when it is too big to
    /// resize (then the reason is in `refused`).
    Image(LocalImage, Option<String>),
}

/// Extensions whose resized WebP copies Quire makes (GIF is left alone:
/// its animation would be lost).
const RESIZABLE: [&str; 4] = ["png", "jpg", "jpeg", "webp"];

/// Looks at `relative` (a path inside `root`).
pub fn probe(root: &Path, relative: &Path, url: &str) -> Found {
    if tree::first_link(root, relative).is_some() {
        return Found::Missing;
    }
    let path = root.join(relative);
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return Found::Missing;
    };
    if !meta.is_file() {
        return Found::Missing;
    }
    let Ok(size) = imagesize::size(&path) else {
        return Found::Other;
    };
    let (Ok(width), Ok(height)) = (u32::try_from(size.width), u32::try_from(size.height)) else {
        return Found::Other;
    };
    let mut image = LocalImage {
        path: relative.to_path_buf(),
        url: url.to_string(),
        hash: String::new(),
        width,
        height,
        variants: false,
    };
    let refused = refusal(width, height, meta.len());
    if refused.is_none()
        && is_resizable(relative)
        && let Some(hash) = hash_file(&path)
    {
        image.hash = hash;
        image.variants = true;
    }
    Found::Image(image, refused)
}

/// Why an image gets no resized copies: too many pixels (a decompression
/// bomb costs its pixels in memory, whatever its file size) or bytes.
fn refusal(width: u32, height: u32, bytes: u64) -> Option<String> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_IMAGE_PIXELS {
        return Some(format!(
            "{width}×{height} pixels, over the {} megapixels Quire resizes",
            MAX_IMAGE_PIXELS / 1_000_000
        ));
    }
    (bytes > MAX_IMAGE_BYTES).then(|| {
        format!(
            "{:.1} MB, over the {} MB Quire resizes",
            bytes as f64 / 1e6,
            MAX_IMAGE_BYTES / 1_000_000
        )
    })
}

fn is_resizable(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| RESIZABLE.contains(&e.to_ascii_lowercase().as_str()))
}

/// The first 128 bits of the BLAKE3 hash of the file's bytes, in hex.
fn hash_file(path: &Path) -> Option<String> {
    let file = std::fs::File::open(path).ok()?;
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(file.take(MAX_IMAGE_BYTES)).ok()?;
    Some(hasher.finalize().to_hex()[..32].to_string())
}
