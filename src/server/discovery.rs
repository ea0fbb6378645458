//! How crawlers find the site: `/sitemap.xml` (the sitemap index),
//! `/sitemaps/<n>.xml` (the sitemap files it points to: every visible post
//! with its last change, every category, tag and author page, the pages
//! and sections; built in [`super::sitemaps`]) and `/robots.txt` (which
//! names the index). All use absolute URLs from `base_url`. The page cache
//! keeps each answer like a page, with its compressed variants; the split
//! of the site into files, which all of them read, is made once per
//! catalog snapshot ([`SitemapParts`]).

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
use std::sync::{Arc, Mutex, Weak};

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

/// The last split of the site into sitemap files, kept while the catalog
/// snapshot it was made from is the current one, for the base URL it was
/// made for. A split walks every visible post: 1.5 s at 1,000,000 posts,
/// and `/sitemap.xml` and each of its files need the same one.
pub type SitemapParts = PerSnapshot<crate::read::Snapshot, sitemaps::Sitemap>;

/// A value computed from one `S` (held weakly: an old snapshot is not
/// kept alive for it) and a key, made again when either changes.
pub struct PerSnapshot<S, V>(Mutex<Option<Made<S, V>>>);

/// What [`PerSnapshot`] keeps: what the value was made of and for, and it.
type Made<S, V> = (Weak<S>, String, Arc<V>);

impl<S, V> Default for PerSnapshot<S, V> {
    fn default() -> Self {
        Self(Mutex::new(None))
    }
}

impl<S, V> PerSnapshot<S, V> {
    /// The value for `snapshot` and `key`, made by `make` unless the last
    /// one was for both. Callers wait for one another: the value is made
    /// once.
    pub fn get(&self, snapshot: &Arc<S>, key: &str, make: impl FnOnce() -> V) -> Arc<V> {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((of, for_key, value)) = kept.as_ref()
            && std::ptr::eq(of.as_ptr(), Arc::as_ptr(snapshot))
            && for_key == key
        {
            return value.clone();
        }
        let value = Arc::new(make());
        *kept = Some((Arc::downgrade(snapshot), key.to_string(), value.clone()));
        value
    }
}

/// The sitemap index: one entry per sitemap file.
async fn sitemap_handler(
    State(site): State<Arc<Site>>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let sitemap = sitemap(site, headers, urls::SITEMAP).await?;
    Ok(xml(sitemap.index()))
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
    let sitemap = sitemap(site, headers, &sitemaps::file_path(n)).await?;
    Ok(sitemap.urlset(n).map_or_else(not_found, xml))
}

/// The sitemap of the visible posts and pages, split as configured, off
/// the async threads (a split can take seconds).
async fn sitemap(
    site: Arc<Site>,
    headers: HeaderMap,
    path: &str,
) -> Result<Arc<sitemaps::Sitemap>, AppError> {
    let path = path.to_string();
    let split = tokio::task::spawn_blocking(move || split(&site, &headers, &path)).await;
    split.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

fn split(site: &Site, headers: &HeaderMap, path: &str) -> Result<Arc<sitemaps::Sitemap>, AppError> {
    let snapshot = site
        .blog
        .snapshot()
        .map_err(|e| AppError::store(path, &e))?;
    let base_url = site.config_for(headers).base_url.clone();
    Ok(site.sitemaps.get(&snapshot, &base_url, || {
        let languages = site.blog.languages();
        let entries = sitemaps::entries(snapshot.listings.iter(), &snapshot.pages, &languages);
        let alternates = sitemaps::alternates(&snapshot, &languages.default);
        sitemaps::split(&base_url, entries, site.config.sitemap_urls, alternates)
    }))
}

/// Splits the site into sitemap files now, for the configured base URL,
/// so that the first crawler to ask does not wait for the split (1.5 s
/// at 1,000,000 posts). Nothing when the base URL is each request's host:
/// which host is not known until one asks.
pub fn split_ahead(site: &Site) {
    if site.blog.base_url.varies_by_host() {
        return;
    }
    if let Err(e) = split(site, &HeaderMap::new(), urls::SITEMAP) {
        tracing::warn!(error = ?e, "cannot split the sitemap ahead; the first request will");
    }
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
    fn a_split_is_made_once_per_snapshot_and_base_url() {
        let kept: PerSnapshot<u32, String> = PerSnapshot::default();
        let made = std::cell::Cell::new(0);
        let make = |text: &str| {
            made.set(made.get() + 1);
            text.to_string()
        };
        let first = Arc::new(1);
        assert_eq!(*kept.get(&first, "https://a", || make("one")), "one");
        assert_eq!(*kept.get(&first, "https://a", || make("again")), "one");
        assert_eq!(made.get(), 1);
        assert_eq!(
            *kept.get(&first, "https://b", || make("other host")),
            "other host"
        );
        let second = Arc::new(1);
        assert_eq!(
            *kept.get(&second, "https://b", || make("new snapshot")),
            "new snapshot"
        );
        assert_eq!(made.get(), 3);
        drop(first);
        let weak = kept
            .0
            .lock()
            .unwrap()
            .as_ref()
            .map(|(of, ..)| of.strong_count());
        assert_eq!(
            weak,
            Some(1),
            "the snapshot is held weakly, by its owner only"
        );
    }

    #[test]
    fn the_split_made_ahead_is_the_one_requests_read() {
        let dir = tempfile::tempdir().unwrap();
        let post = "+++\ntitle = \"One\"\ndate = 2026-01-01\n+++\nText.";
        std::fs::write(dir.path().join("one.md"), post).unwrap();
        let store = crate::store::Store::temporary().unwrap();
        let config = crate::server::SiteConfig {
            base_url: "https://blog.example".into(),
            ..Default::default()
        };
        let options = config.render_options(dir.path());
        crate::store::sync::sync_all(&store, dir.path(), &options, &|| {}).unwrap();
        let site = Site::new(store, config, dir.path().to_path_buf());
        split_ahead(&site);
        let snapshot = site.blog.snapshot().unwrap();
        let made = site.sitemaps.get(&snapshot, "https://blog.example", || {
            panic!("the split was not made ahead")
        });
        assert!(
            made.urlset(1)
                .unwrap()
                .contains("https://blog.example/blog/one")
        );
        // A content change splits the new catalog as it comes.
        let second = post.replace("One", "Two");
        std::fs::write(dir.path().join("two.md"), second).unwrap();
        let options = site.config.render_options(dir.path());
        let report =
            crate::store::sync::sync_all(site.store(), dir.path(), &options, &|| {}).unwrap();
        site.content_changed(&report);
        let snapshot = site.blog.snapshot().unwrap();
        let made = site.sitemaps.get(&snapshot, "https://blog.example", || {
            panic!("the change's split was not made ahead")
        });
        assert!(
            made.urlset(1)
                .unwrap()
                .contains("https://blog.example/blog/two")
        );
    }

    #[test]
    fn robots_names_the_sitemap_index() {
        assert!(robots("https://ex.org").contains("\nSitemap: https://ex.org/sitemap.xml\n"));
    }
}
