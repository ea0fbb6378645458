//! Quire's search rules that do not need tantivy, shared by the server and
//! the browser.
//!
//! The server searches with tantivy; a site exported with `quire export`
//! has no server, so the export writes the index's postings as files
//! (`format`) and the browser ranks them with this crate compiled to a
//! small wasm module (`abi`, loaded on the search box's first focus).
//! Both sides split and normalise a query with the same code (`words`,
//! `query`, `stem`), so one query finds the same posts in the same order
//! on a live site and on its export (`engine` scores exactly as tantivy's
//! BM25 does).

pub mod cjk;
pub mod engine;
pub mod format;
pub mod highlight;
pub mod query;
pub mod stem;
pub mod words;

#[cfg(all(feature = "abi", target_arch = "wasm32"))]
mod abi;

pub use engine::{Engine, Outcome};
pub use query::QueryTerms;
