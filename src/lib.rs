//! Quire: a blog engine. One crate built twice: with `server` it is the
//! native binary (store, ingest, HTTP); with `web` it is the wasm client that
//! brings the server-rendered pages' interactive islands to life. See
//! `docs/ARCHITECTURE.md`.

pub mod api;
pub mod model;
pub mod urls;
pub mod web;

#[cfg(feature = "server")]
pub mod background;
#[cfg(feature = "server")]
pub mod content;
#[cfg(feature = "server")]
pub mod i18n;
#[cfg(feature = "server")]
pub mod read;
#[cfg(feature = "server")]
pub mod search;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "server")]
pub mod store;
