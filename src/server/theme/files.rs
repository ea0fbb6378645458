//! The theme's files: the logos (`logo`, `logo_dark`) served as they are,
//! with the width and height the page gives them (no layout shift), and
//! the favicon set made from one source image (`favicon`): PNGs of 32,
//! 180 (Apple touch), 192 and 512 pixels, and a web manifest naming the
//! two large ones. Every file is served from memory at an address that
//! carries its hash, like the owner's stylesheet.

use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use image::imageops::FilterType;

use super::PREFIX;

/// Largest source file read (a logo or icon is a few hundred KB).
const MAX_BYTES: u64 = 8 * 1024 * 1024;
/// The favicon sizes made, in pixels.
pub const FAVICON_SIZES: [u32; 4] = [32, 180, 192, 512];

/// One file served at `/_theme/<name>`.
#[derive(Clone, Debug)]
pub struct Asset {
    /// `/_theme/<stem>-<hash>.<ext>`.
    pub address: String,
    pub content_type: &'static str,
    pub bytes: Arc<[u8]>,
}

impl Asset {
    /// `bytes` at an address made of `stem`, their hash and `ext`.
    pub fn new(stem: &str, ext: &str, content_type: &'static str, bytes: Vec<u8>) -> Self {
        let hash = blake3::hash(&bytes).to_hex();
        Self {
            address: format!("{PREFIX}{stem}-{}.{ext}", &hash[..16]),
            content_type,
            bytes: bytes.into(),
        }
    }
}

/// A logo and the size it is shown at.
#[derive(Clone, Debug)]
pub struct Logo {
    pub asset: Asset,
    pub width: u32,
    pub height: u32,
}

/// Reads `path` (the setting `key` names it) within [`MAX_BYTES`].
fn read(key: &str, path: &Path) -> Result<Vec<u8>, String> {
    let fail = |why: String| {
        format!(
            "cannot use {} as the `{key}`: {why}; fix the file or the setting",
            path.display()
        )
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
    if meta.len() > MAX_BYTES {
        return Err(fail(format!("it is {} bytes, over 8 MiB", meta.len())));
    }
    std::fs::read(path).map_err(|e| fail(e.to_string()))
}

/// The logo at `path`: SVG, PNG, JPEG, WebP or GIF, with its size.
pub fn logo(key: &str, path: &Path) -> Result<Logo, String> {
    let bytes = read(key, path)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let fail = |why: &str| format!("cannot use {} as the `{key}`: {why}", path.display());
    let (content_type, (width, height)) = match ext.as_str() {
        "svg" => ("image/svg+xml", svg_size(&bytes).ok_or_else(|| fail("its <svg> has neither width and height nor a viewBox; add width=\"…\" height=\"…\""))?),
        "png" => ("image/png", raster_size(&bytes).ok_or_else(|| fail("it is not a readable PNG"))?),
        "jpg" | "jpeg" => ("image/jpeg", raster_size(&bytes).ok_or_else(|| fail("it is not a readable JPEG"))?),
        "webp" => ("image/webp", raster_size(&bytes).ok_or_else(|| fail("it is not a readable WebP"))?),
        "gif" => ("image/gif", raster_size(&bytes).ok_or_else(|| fail("it is not a readable GIF"))?),
        _ => return Err(fail("use an .svg, .png, .jpg, .webp or .gif file")),
    };
    let stem = if key == "logo_dark" {
        "logo-dark"
    } else {
        "logo"
    };
    Ok(Logo {
        asset: Asset::new(stem, &ext, content_type, bytes),
        width,
        height,
    })
}

fn raster_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let size = imagesize::blob_size(bytes).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}

/// The size an `<svg>` declares: `width`/`height` in pixels (or unitless),
/// else its `viewBox`.
fn svg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attribute = |name: &str| {
        let at = tag.find(&format!(" {name}="))? + name.len() + 2;
        let quote = tag[at..].chars().next()?;
        let rest = &tag[at + 1..];
        Some(rest[..rest.find(quote)?].trim().to_string())
    };
    let number = |v: String| {
        v.trim_end_matches("px")
            .parse::<f64>()
            .ok()
            .filter(|n| *n > 0.0)
    };
    if let (Some(w), Some(h)) = (
        attribute("width").and_then(number),
        attribute("height").and_then(number),
    ) {
        return Some((w.round() as u32, h.round() as u32));
    }
    let view: Vec<f64> = attribute("viewBox")?
        .split([' ', ','])
        .filter_map(|p| p.parse().ok())
        .collect();
    match view.as_slice() {
        [_, _, w, h] if *w > 0.0 && *h > 0.0 => Some((w.round() as u32, h.round() as u32)),
        _ => None,
    }
}

/// The favicon set made from the image at `path`: one PNG per size of
/// [`FAVICON_SIZES`], smallest first.
pub fn favicons(path: &Path) -> Result<Vec<Asset>, String> {
    let bytes = read("favicon", path)?;
    let source = image::load_from_memory(&bytes).map_err(|e| {
        format!(
            "cannot use {} as the `favicon`: {e}; use a square PNG, JPEG or WebP of at least 512×512 pixels",
            path.display()
        )
    })?;
    FAVICON_SIZES
        .iter()
        .map(|&size| {
            let icon = source.resize_to_fill(size, size, FilterType::Lanczos3);
            let mut png = Vec::new();
            icon.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
                .map_err(|e| format!("cannot write the {size}px favicon: {e}"))?;
            Ok(Asset::new(
                &format!("favicon-{size}"),
                "png",
                "image/png",
                png,
            ))
        })
        .collect()
}

/// The web manifest: the site's name and the two large icons.
pub fn manifest(title: &str, icons: &[Asset]) -> Asset {
    let icons: Vec<serde_json::Value> = FAVICON_SIZES
        .iter()
        .zip(icons)
        .filter(|(size, _)| **size >= 192)
        .map(|(size, icon)| {
            serde_json::json!({
                "src": icon.address,
                "sizes": format!("{size}x{size}"),
                "type": "image/png",
            })
        })
        .collect();
    let body = serde_json::json!({
        "name": title,
        "short_name": title,
        "start_url": "/",
        "display": "browser",
        "icons": icons,
    });
    Asset::new(
        "manifest",
        "webmanifest",
        "application/manifest+json",
        body.to_string().into_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes_come_from_attributes_or_the_view_box() {
        assert_eq!(
            svg_size(b"<svg width=\"120\" height='40px'>"),
            Some((120, 40))
        );
        assert_eq!(
            svg_size(b"<?xml?><svg xmlns=\"x\" viewBox=\"0 0 300 100\">"),
            Some((300, 100))
        );
        assert_eq!(svg_size(b"<svg>"), None);
    }

    #[test]
    fn a_favicon_set_is_made_from_one_image() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("icon.png");
        image::RgbImage::from_pixel(600, 600, image::Rgb([200, 30, 30]))
            .save(&file)
            .unwrap();
        let icons = favicons(&file).unwrap();
        let sizes: Vec<_> = icons
            .iter()
            .map(|i| raster_size(&i.bytes).unwrap())
            .collect();
        assert_eq!(sizes, [(32, 32), (180, 180), (192, 192), (512, 512)]);
        assert!(icons[0].address.starts_with("/_theme/favicon-32-"));
        let manifest = manifest("Notes", &icons);
        let text = std::str::from_utf8(&manifest.bytes).unwrap();
        assert!(
            text.contains("512x512") && !text.contains("32x32"),
            "{text}"
        );
        std::fs::write(&file, b"not an image").unwrap();
        assert!(favicons(&file).unwrap_err().contains("icon.png"));
    }
}
