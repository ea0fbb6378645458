//! `GET /_quire/img/<hash>-<width>.webp`: a resized copy, cached for a
//! year (its address names its bytes), or the original image until the
//! copy exists (`no-cache`, so the browser asks again later).

use std::sync::Arc;

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::Lookup;
use crate::content::images::VARIANT_WIDTHS;
use crate::server::Site;
use crate::server::responses::not_found;

/// Copies never change at their address.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub async fn serve(State(site): State<Arc<Site>>, UrlPath(name): UrlPath<String>) -> Response {
    let Some((hash, width)) = parse(&name) else {
        return not_found();
    };
    let found = tokio::task::spawn_blocking(move || read(&site, &hash, width)).await;
    match found {
        Ok(Some((bytes, kind, cache))) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_str(&kind)
                        .unwrap_or(HeaderValue::from_static("application/octet-stream")),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            ],
            bytes,
        )
            .into_response(),
        _ => not_found(),
    }
}

/// `<32 hex digits>-<a width Quire makes>.webp`.
fn parse(name: &str) -> Option<(String, u32)> {
    let (hash, rest) = name.strip_suffix(".webp")?.split_once('-')?;
    let width: u32 = rest.parse().ok()?;
    let hex = hash.len() == 32 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    (hex && VARIANT_WIDTHS.contains(&width)).then(|| (hash.to_string(), width))
}

fn read(site: &Site, hash: &str, width: u32) -> Option<(Vec<u8>, String, &'static str)> {
    match site.images.lookup(hash, width)? {
        Lookup::Variant(path) => Some((std::fs::read(path).ok()?, "image/webp".into(), IMMUTABLE)),
        Lookup::Original(path) => {
            let kind = mime_guess::from_path(&path)
                .first()?
                .essence_str()
                .to_string();
            Some((read_no_link(&path)?, kind, "no-cache"))
        }
    }
}

/// The original's bytes, not through a final link (ingest checked the
/// folders on its way).
fn read_no_link(path: &std::path::Path) -> Option<Vec<u8>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    meta.is_file().then(|| std::fs::read(path).ok())?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashes_and_widths_quire_makes_are_asked_for() {
        let hash = "0123456789abcdef0123456789abcdef";
        assert_eq!(parse(&format!("{hash}-480.webp")), Some((hash.into(), 480)));
        for bad in [
            format!("{hash}-481.webp"),
            format!("{hash}-480.png"),
            "../x-480.webp".into(),
            format!("{hash}x-480.webp"),
        ] {
            assert_eq!(parse(&bad), None, "{bad}");
        }
    }
}
