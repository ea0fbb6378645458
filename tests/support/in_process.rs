//! Sites served in process (through the router, no socket), for suites
//! that test the HTTP surface: one builder and one request helper, so
//! every such suite builds a site the way `serve` does.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use quire::server::{Site, SiteConfig, http};
use quire::store::Store;
use tower::ServiceExt;

/// A site over the content tree at `root` with `config` (its render
/// options and permalinks included), indexed and ready to serve. Panics
/// on a content error: tests that expect some use `sync_all` themselves.
pub fn site_from(root: &Path, config: SiteConfig) -> Arc<Site> {
    static PUBLIC: OnceLock<tempfile::TempDir> = OnceLock::new();
    PUBLIC.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        // SAFETY: set once, before any router (which reads it) is built.
        unsafe { std::env::set_var("DIOXUS_PUBLIC_PATH", dir.path()) };
        dir
    });
    let store = Store::temporary().unwrap();
    let options = config.render_options(root);
    let report = quire::store::sync::sync_all(&store, root, &options, &|| {}).unwrap();
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    let site = Arc::new(Site::new(store, config, root.to_path_buf()));
    site.rebuild_search().unwrap();
    site
}

/// One answer: status, a header's value when asked, the body as text.
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map_or("", |value| value.to_str().unwrap_or(""))
    }
}

/// `GET path` from `app`.
pub async fn get(app: http::App, path: &str) -> Answer {
    let request = Request::get(path).body(Body::empty()).unwrap();
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}
