//! The parse half of a sync: reading, hashing, parsing and encoding files,
//! on every core ([`super::super::parse_pool`]). Apart from the writes in
//! [`super`] because it is the part that runs in parallel: nothing here
//! writes the store.

use std::path::{Path, PathBuf};

use rayon::iter::{IntoParallelRefIterator, ParallelIterator};

use crate::content::{self, ContentError, Document, RenderOptions};

use super::super::parse_pool::parse_pool;
use super::super::writes::Encoded;
use super::super::{Store, StoreError};

/// A file read and hashed, and parsed only when its hash changed.
pub(super) enum Outcome {
    Unchanged,
    /// The document, its records encoded for the store, its hash, warnings.
    Parsed(Box<(Document, Encoded)>, String, Vec<ContentError>),
    Failed(ContentError),
}

pub(super) fn read_and_parse(
    store: &Store,
    root: &Path,
    path: &Path,
    options: &RenderOptions,
    again: bool,
) -> Outcome {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let text = match content::read_text(root, path, relative) {
        Ok(text) => text,
        Err(err) => return Outcome::Failed(err),
    };
    let hash = content_hash(&text, options);
    if !again
        && store
            .source(relative)
            .ok()
            .flatten()
            .is_some_and(|record| record.hash == hash)
    {
        return Outcome::Unchanged;
    }
    // The content root lets rendering look at the images a post references.
    let options = RenderOptions {
        content_root: Some(root.to_path_buf()),
        ..options.clone()
    };
    match content::parse_document(relative, &text, &options) {
        Ok((doc, warnings)) => match Encoded::of(&doc) {
            Ok(encoded) => Outcome::Parsed(Box::new((doc, encoded)), hash, warnings),
            Err(err) => Outcome::Failed(unencodable(relative, &err)),
        },
        Err(err) => Outcome::Failed(err),
    }
}

/// A parsed document the store cannot encode (never seen: serializing a
/// document only fails on a bug), reported like a file that fails to parse.
fn unencodable(relative: &Path, err: &StoreError) -> ContentError {
    ContentError::new(
        relative,
        None,
        format!("this post could not be stored: {err}"),
        "report this as a bug in Quire, with the file",
    )
}

/// Hash of the file and of the settings that change its rendering.
fn content_hash(text: &str, options: &RenderOptions) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(text.as_bytes());
    // Every option is part of the hash: a changed setting (raw HTML,
    // permalinks…) re-renders every post, and moved addresses become
    // redirects ([`Store::upsert`]).
    hasher.update(format!("{options:?}").as_bytes());
    hasher.finalize().to_hex()[..32].to_string()
}

/// Reads and parses files on all cores; results come back in input order.
pub(super) fn parse_in_parallel(
    store: &Store,
    root: &Path,
    files: &[PathBuf],
    options: &RenderOptions,
    on_progress: &(dyn Fn() + Sync),
) -> Vec<Outcome> {
    let parse = |path: &PathBuf| {
        let outcome = read_and_parse(store, root, path, options, false);
        on_progress();
        outcome
    };
    match parse_pool() {
        Some(pool) => pool.install(|| files.par_iter().map(parse).collect()),
        None => files.iter().map(parse).collect(),
    }
}
