//! `--live-reload`: open pages refresh themselves when their post changes.
//!
//! Pages get a small script that listens to `/_quire/live`, a server-sent
//! event stream of changed slugs fed by the watcher. An article reloads when
//! its own slug arrives; the index reloads on any change. Off by default: it
//! is a tool for authors at their desk, not for readers.

use std::convert::Infallible;

use axum::Router;
use axum::response::sse::{Event, KeepAlive, Sse};

use axum::routing::get;
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast::error::RecvError;

use super::Site;
use axum::extract::State;
use std::sync::Arc;

use crate::urls;

/// Reloads the index, or the post whose address an event names.
pub const SCRIPT: &str = r#"<script>(()=>{const s=new EventSource("/_quire/live");s.onmessage=e=>{const p=location.pathname;if(p==="/"||p===e.data)location.reload()}})()</script>"#;

/// Adds the event stream and the script injection to the router.
pub fn wire(router: Router, site: Arc<Site>) -> Router {
    let events = Router::new()
        .route(urls::LIVE_EVENTS, get(events))
        .with_state(site);
    router.merge(events)
}

async fn events(
    State(site): State<Arc<Site>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = site.changes.subscribe();
    let changes = stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(url) => {
                    let event = Event::default().data(url);
                    return Some((Ok(event), receiver));
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(changes).keep_alive(KeepAlive::default())
}
