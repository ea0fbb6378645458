//! Server functions: the HTTP API the pages load their data through.
//!
//! Thin by design: each one asks [`crate::server::queries`] and maps failure
//! to a generic error, logging the detail on the server so a reader never
//! sees internals. Bodies compile only with the `server` feature; the wasm
//! client gets HTTP stubs with the same signatures.

use dioxus::prelude::*;

use crate::model::{IndexData, Post};

/// Everything the index shows: posts newest first and the category chips.
#[get("/api/index")]
pub async fn index_data() -> Result<IndexData, ServerFnError> {
    crate::server::queries::index_data().map_err(internal)
}

/// One post by slug; `None` when no visible post has it.
#[get("/api/post/{slug}")]
pub async fn post(slug: String) -> Result<Option<Post>, ServerFnError> {
    crate::server::queries::post(&slug).map_err(internal)
}

#[cfg(feature = "server")]
fn internal(err: crate::store::StoreError) -> ServerFnError {
    tracing::error!(error = %err, "store query failed");
    ServerFnError::new("internal error")
}
