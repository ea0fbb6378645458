//! How crawlers find the site: `/sitemap.xml` (the sitemap index),
//! `/sitemaps/<n>.xml` (the sitemap files it points to: every visible post
//! with its last change, every category, tag and author page, the pages
//! and sections; built in [`super::sitemaps`]) and `/robots.txt` (which
//! names the index). All use absolute URLs from `base_url`. The page cache
//! keeps each answer like a page, with its compressed variants.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::Site;
use super::responses::{AppError, not_found};
use super::sitemaps;
use crate::urls;
use axum::extract::State;
use std::sync::Arc;

pub const SITEMAP_TYPE: &str = "application/xml; charset=utf-8";

/// The discovery routes, merged into the application router.
pub fn routes(site: Arc<Site>) -> Router {
    Router::new()
        .route(urls::SITEMAP, get(sitemap_handler))
        .route(
            &format!("{}{{name}}", sitemaps::FILES_PREFIX),
            get(sitemap_file_handler),
        )
        .route(urls::ROBOTS, get(robots_handler))
        .with_state(site)
}

/// `robots.txt`: everything may be crawled but the API; the sitemap's address.
pub fn robots(base_url: &str) -> String {
    format!("User-agent: *\nAllow: /\nDisallow: /api/\n\nSitemap: {base_url}/sitemap.xml\n")
}

/// The sitemap index: one entry per sitemap file.
async fn sitemap_handler(
    State(site): State<Arc<Site>>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (base_url, parts) = parts(&site, &headers, urls::SITEMAP)?;
    Ok(xml(sitemaps::index(&base_url, &parts)))
}

/// Sitemap file `n`; a number past the last file is a 404.
async fn sitemap_file_handler(
    State(site): State<Arc<Site>>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Some(n) = sitemaps::file_number(&name) else {
        return Ok(not_found());
    };
    let (_, parts) = parts(&site, &headers, &sitemaps::file_path(n))?;
    Ok(match parts.get(n - 1) {
        Some(part) => xml(sitemaps::urlset(part)),
        None => not_found(),
    })
}

/// The sitemap files of the visible posts and pages, split as configured.
fn parts(
    site: &Site,
    headers: &HeaderMap,
    path: &str,
) -> Result<(String, Vec<sitemaps::Part>), AppError> {
    let snapshot = site
        .blog
        .snapshot()
        .map_err(|e| AppError::store(path, &e))?;
    let base_url = site.config_for(headers).base_url.clone();
    let languages = site.blog.languages();
    let entries = sitemaps::entries(&snapshot.listings, &snapshot.pages, &languages);
    let alternates = sitemaps::alternates(&snapshot, &languages.default);
    let parts = sitemaps::split(&base_url, &entries, site.config.sitemap_urls, &alternates);
    Ok((base_url, parts))
}

fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, SITEMAP_TYPE)], body).into_response()
}

async fn robots_handler(State(site): State<Arc<Site>>, headers: HeaderMap) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        robots(&site.config_for(&headers).base_url),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_names_the_sitemap_index() {
        assert!(robots("https://ex.org").contains("\nSitemap: https://ex.org/sitemap.xml\n"));
    }
}
