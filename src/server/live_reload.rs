//! `--live-reload`: open pages refresh themselves when their post changes.
//!
//! Pages get a small script that listens to `/_quire/live`, a server-sent
//! event stream of changed slugs fed by the watcher. An article reloads when
//! its own slug arrives; the index reloads on any change. Off by default: it
//! is a tool for authors at their desk, not for readers.

use std::convert::Infallible;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast::error::RecvError;

use super::Site;
use axum::extract::State;
use std::sync::Arc;

use crate::content::limits::MAX_PAGE_BYTES;
use crate::urls;

/// Reloads the index, or the post whose address an event names.
const SCRIPT: &str = r#"<script>(()=>{const s=new EventSource("/_quire/live");s.onmessage=e=>{const p=location.pathname;if(p==="/"||p===e.data)location.reload()}})()</script>"#;

/// Adds the event stream and the script injection to the router.
pub fn wire(router: Router, site: Arc<Site>) -> Router {
    let events = Router::new()
        .route(urls::LIVE_EVENTS, get(events))
        .with_state(site);
    router
        .merge(events)
        .layer(axum::middleware::from_fn(inject_script))
}

async fn events(
    State(site): State<Arc<Site>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = site.changes.subscribe();
    let changes = stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(slug) => {
                    let event = Event::default().data(urls::post(&slug));
                    return Some((Ok(event), receiver));
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(changes).keep_alive(KeepAlive::default())
}

async fn inject_script(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_PAGE_BYTES).await else {
        return (
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "page too large",
        )
            .into_response();
    };
    let html = String::from_utf8_lossy(&bytes);
    let html = match html.rfind("</body>") {
        Some(at) => format!("{}{SCRIPT}{}", &html[..at], &html[at..]),
        None => format!("{html}{SCRIPT}"),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}
