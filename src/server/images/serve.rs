//! `GET <post>/_img/<hash>-<width>.webp` (or `.avif`): a resized copy of one of the
//! post's images, cached for a year (its address names its bytes), or
//! until the copy exists, the WebP copy or else the original image
//! (`no-cache`, so the browser asks again later). An AVIF address answers
//! with the WebP copy when that one is smaller. Answered only while the post is visible, and only for an
//! image the post shows at a width Quire makes of it.

use std::path::Path;
use std::sync::Arc;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::content::images::LocalImage;
use crate::content::images::resolve::Format;
use crate::server::Site;
use crate::server::post_files::visible_post;
use crate::server::responses::not_found;

/// Copies never change at their address.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The answer for the copy `name` of the post `slug`.
pub async fn serve(site: Arc<Site>, slug: String, name: String) -> Response {
    let found = tokio::task::spawn_blocking(move || read(&site, &slug, &name)).await;
    match found {
        Ok(Some((bytes, kind, cache))) => {
            let kind = HeaderValue::from_str(&kind)
                .unwrap_or(HeaderValue::from_static("application/octet-stream"));
            let headers = [
                (header::CONTENT_TYPE, kind),
                (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            ];
            (headers, bytes).into_response()
        }
        _ => not_found(),
    }
}

/// `<32 hex digits>-<width>.webp` or `.avif`.
fn parse(name: &str) -> Option<(&str, u32, Format)> {
    let (stem, extension) = name.rsplit_once('.')?;
    let format = Format::from_extension(extension)?;
    let (hash, rest) = stem.split_once('-')?;
    let width: u32 = rest.parse().ok()?;
    let hex = hash.len() == 32 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    hex.then_some((hash, width, format))
}

type Answer = (Vec<u8>, String, &'static str);

fn read(site: &Site, slug: &str, name: &str) -> Option<Answer> {
    let (hash, width, format) = parse(name)?;
    let doc = visible_post(site, slug)?;
    let image = doc
        .images
        .iter()
        .find(|i| i.hash == hash && i.variant_widths().contains(&width))?;
    let best = site.images.best(hash, width, format);
    if let Some((path, made, true)) = best {
        return Some((std::fs::read(path).ok()?, made.mime().into(), IMMUTABLE));
    }
    site.images.learn(&site.content_dir, image);
    match best {
        Some((path, made, _)) => Some((std::fs::read(path).ok()?, made.mime().into(), "no-cache")),
        None => original(&site.content_dir, image),
    }
}

/// The original's bytes and type, reached through no link.
fn original(content_dir: &Path, image: &LocalImage) -> Option<Answer> {
    if crate::content::tree::first_link(content_dir, &image.path).is_some() {
        return None;
    }
    let path = content_dir.join(&image.path);
    let kind = mime_guess::from_path(&path)
        .first()?
        .essence_str()
        .to_string();
    let meta = std::fs::symlink_metadata(&path).ok()?;
    let bytes = meta.is_file().then(|| std::fs::read(&path).ok())??;
    Some((bytes, kind, "no-cache"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashes_and_widths_are_asked_for() {
        let hash = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            parse(&format!("{hash}-480.webp")),
            Some((hash, 480, Format::Webp))
        );
        assert_eq!(
            parse(&format!("{hash}-960.avif")),
            Some((hash, 960, Format::Avif))
        );
        for bad in [
            format!("{hash}-48x.webp"),
            format!("{hash}-480.png"),
            format!("{hash}-480.avif.webp.png"),
            format!("{hash}-480.jxl"),
            "../x-480.webp".into(),
            format!("{hash}x-480.webp"),
        ] {
            assert_eq!(parse(&bad), None, "{bad}");
        }
    }
}
