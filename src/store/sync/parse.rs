//! The parse half of a sync: reading, hashing, parsing and encoding files,
//! on every core ([`super::super::parse_pool`]). Apart from the writes in
//! [`super`] because it is the part that runs in parallel: nothing here
//! writes the store. A file its stat record vouches for
//! ([`super::super::stats`]) is not even read.

use std::path::{Path, PathBuf};

use rayon::iter::{IntoParallelRefIterator, ParallelIterator};

use crate::content::{self, ContentError, Document, RenderOptions};

use super::super::parse_pool::parse_pool;
use super::super::stats::{FileStat, StatRecord};
use super::super::writes::Encoded;
use super::super::{Store, StoreError};

/// A file read and hashed, and parsed only when its hash changed.
pub(super) enum Outcome {
    /// The post as stored; the file's stat record to keep when it was
    /// read (`None`: its record vouched for it, it was not read).
    Unchanged(Option<StatRecord>),
    /// The document, its records encoded for the store, its hash,
    /// warnings, and the file's stat record to keep once it is stored.
    Parsed(
        Box<(Document, Encoded)>,
        String,
        Vec<ContentError>,
        Option<StatRecord>,
    ),
    Failed(ContentError),
}

/// The render settings of a sync, and what content hashes take of them,
/// formatted once per sync rather than once per file.
pub struct Settings<'a> {
    pub options: &'a RenderOptions,
    /// `{options:?}`, hashed after each file's text.
    key: String,
    /// A digest of `key`, kept in stat records.
    digest: String,
}

impl<'a> Settings<'a> {
    pub fn of(options: &'a RenderOptions) -> Self {
        // Every option is part of the hash: a changed setting (raw HTML,
        // permalinks…) re-renders every post, and moved addresses become
        // redirects ([`Store::upsert`]).
        let key = format!("{options:?}");
        let digest = blake3::hash(key.as_bytes()).to_hex()[..32].to_string();
        Self {
            options,
            key,
            digest,
        }
    }
}

pub(super) fn read_and_parse(
    store: &Store,
    root: &Path,
    path: &Path,
    settings: &Settings,
    again: bool,
) -> Outcome {
    let relative = path.strip_prefix(root).unwrap_or(path);
    // Taken before the text is read: a change after it shows next time.
    let stat = FileStat::at(path);
    let stored = store.source(relative).ok().flatten().map(|r| r.hash);
    if !again && vouched_for(store, relative, stat.as_ref(), stored.as_deref(), settings) {
        return Outcome::Unchanged(None);
    }
    let text = match content::read_text(root, path, relative) {
        Ok(text) => text,
        Err(err) => return Outcome::Failed(err),
    };
    let hash = content_hash(&text, &settings.key);
    let record = stat.map(|stat| StatRecord::new(stat, &hash, &settings.digest));
    if !again && stored.is_some_and(|stored| stored == hash) {
        return Outcome::Unchanged(record);
    }
    parse(root, relative, &text, settings.options, (hash, record))
}

/// Whether the file at `relative`, whose metadata is `stat` and whose
/// post is stored with the hash `stored`, is the one read last time.
fn vouched_for(
    store: &Store,
    relative: &Path,
    stat: Option<&FileStat>,
    stored: Option<&str>,
    settings: &Settings,
) -> bool {
    let (Some(stat), Some(stored)) = (stat, stored) else {
        return false;
    };
    let record = store.stat(relative).ok().flatten();
    record.is_some_and(|r| r.vouches_for(stat, stored, &settings.digest))
}

/// Parses and encodes `text`, read from `relative` with `hash`.
fn parse(
    root: &Path,
    relative: &Path,
    text: &str,
    options: &RenderOptions,
    (hash, record): (String, Option<StatRecord>),
) -> Outcome {
    // The content root lets rendering look at the images a post references.
    let options = RenderOptions {
        content_root: Some(root.to_path_buf()),
        ..options.clone()
    };
    match content::parse_document(relative, text, &options) {
        Ok((doc, warnings)) => match Encoded::of(&doc) {
            Ok(encoded) => Outcome::Parsed(Box::new((doc, encoded)), hash, warnings, record),
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

/// Hash of the file and of the settings that change its rendering
/// ([`Settings`]'s key).
fn content_hash(text: &str, settings_key: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(text.as_bytes());
    hasher.update(settings_key.as_bytes());
    hasher.finalize().to_hex()[..32].to_string()
}

/// Reads and parses files on all cores; results come back in input order.
pub(super) fn parse_in_parallel(
    store: &Store,
    root: &Path,
    files: &[PathBuf],
    settings: &Settings,
    on_progress: &(dyn Fn() + Sync),
) -> Vec<Outcome> {
    let parse = |path: &PathBuf| {
        let outcome = read_and_parse(store, root, path, settings, false);
        on_progress();
        outcome
    };
    match parse_pool() {
        Some(pool) => pool.install(|| files.par_iter().map(parse).collect()),
        None => files.iter().map(parse).collect(),
    }
}
