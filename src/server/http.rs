//! The HTTP surface: Dioxus SSR and server functions, plus the routes that
//! are not pages (health, files beside bundle posts), and the serve loop
//! with graceful shutdown.

use axum::Router;
use axum::extract::Path as UrlPath;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use dioxus::prelude::{DioxusRouterExt, ServeConfig};
use tokio::net::TcpListener;

use super::site;
use crate::web::App;

/// The whole application router.
pub fn router() -> Router {
    let router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/blog/{slug}/{*file}", get(post_asset))
        .serve_dioxus_application(ServeConfig::new(), App)
        .merge(super::feeds::routes())
        .merge(super::discovery::routes());
    let router = if site().live_reload {
        super::live_reload::wire(router)
    } else {
        router
    };
    router
        .layer(axum::middleware::from_fn(super::cache::layer))
        .layer(axum::middleware::from_fn(super::redirects::layer))
        .layer(axum::middleware::from_fn(log_request))
}

/// One debug line per request: method, path, status, time taken.
async fn log_request(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let method = request.method().clone();
    let uri = request.uri().clone();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    tracing::debug!(target: "quire::request", "{method} {uri} {} {:.2}ms", response.status().as_u16(), started.elapsed().as_secs_f64() * 1e3);
    response
}

/// Serves until SIGINT or SIGTERM, then lets in-flight requests finish.
pub async fn serve(listener: TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async { tokio::signal::ctrl_c().await.ok() };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => signal.recv().await,
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<Option<()>>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

/// A file kept beside a bundle post (`content/<slug>/diagram.svg` at
/// `/blog/<slug>/diagram.svg`). Only plain names inside the post's own
/// directory are served; Markdown sources are not.
async fn post_asset(UrlPath((slug, file)): UrlPath<(String, String)>) -> Response {
    let site = site();
    let not_found = || (StatusCode::NOT_FOUND, "not found").into_response();
    let Ok(Some(doc)) = site.store.post(&slug) else {
        return not_found();
    };
    if !doc.is_visible(chrono::Utc::now(), site.show_drafts) {
        return not_found();
    }
    let Some(dir) = doc.asset_dir else {
        return not_found();
    };
    let relative = std::path::Path::new(&file);
    let plain = relative.components().all(
        |c| matches!(c, std::path::Component::Normal(p) if !p.to_string_lossy().starts_with('.')),
    );
    if !plain || file.ends_with(".md") {
        return not_found();
    }
    let root = site.content_dir.join(&dir);
    let path = root.join(relative);
    let inside = match (path.canonicalize(), root.canonicalize()) {
        (Ok(path), Ok(root)) => path.starts_with(root),
        _ => false,
    };
    if !inside {
        return not_found();
    }
    match tokio::fs::read(&path).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type(&file)),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => not_found(),
    }
}

fn content_type(file: &str) -> &'static str {
    match file
        .rsplit('.')
        .next()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("pdf") => "application/pdf",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
