//! The HTTP API the pages load their data through: `/api/site`,
//! `/api/listing`, `/api/post/{slug}`, `/api/search`, `/api/suggest`.
//!
//! One signature per endpoint, two bodies. On the server ([`server`]) each
//! is a Dioxus server function that asks the read model ([`crate::read::Blog`]); during
//! server rendering the views call it directly. In the browser ([`client`])
//! the same function fetches the endpoint with `fetch` and decodes the JSON,
//! which keeps Dioxus's server-function client (reqwest, url, http, the
//! devtools socket) out of the wasm bundle.
//!
//! Views hydrate with [`Loaded`] values rather than the endpoints' own
//! results: the reader only needs to know whether the data came, and a
//! unit error keeps `ServerFnError`'s decoder (and `serde_json::Value`'s)
//! out of the client.

use std::future::Future;

use serde::{Deserialize, Serialize};

#[cfg(not(feature = "server"))]
mod client;
#[cfg(feature = "server")]
mod server;
#[cfg(not(feature = "server"))]
mod static_search;

#[cfg(not(feature = "server"))]
pub use client::*;
#[cfg(feature = "server")]
pub use server::*;

/// What a view renders from: the data, or [`Unavailable`].
pub type Loaded<T> = Result<T, Unavailable>;

/// The data could not be loaded; the server log says why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unavailable;

/// Runs one API call for a view, keeping only whether it succeeded.
pub async fn load<T, E>(call: impl Future<Output = Result<T, E>>) -> Loaded<T> {
    call.await.map_err(|_| Unavailable)
}
