//! The parse half of a sync: reading, hashing, parsing and encoding files,
//! on every core ([`super::super::parse_pool`]). Apart from the writes in
//! [`super`] because it is the part that runs in parallel: nothing here
//! writes the store. A file its stat record vouches for
//! ([`super::super::stats`]) is not even read.

use std::path::{Path, PathBuf};

use rayon::iter::{IntoParallelRefIterator, ParallelIterator};

use crate::content::{self, ContentError, Document, RenderOptions};

use std::collections::HashMap;

use super::super::parse_pool::parse_pool;
use super::super::records::{SourceRecord, source_key};
use super::super::stats::{FileStat, StatRecord};
use super::super::writes::Encoded;
use super::super::{Store, StoreError};

/// A file read and hashed, and parsed only when its hash changed.
pub(super) enum Outcome {
    /// The post as stored (its slug); the file's stat record to keep when
    /// it was read (`None`: its record vouched for it, it was not read).
    Unchanged(Option<StatRecord>, String),
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
        // And the renderer: a post stored by another build of Quire is
        // rendered again, so an upgrade's fixes reach every post, not
        // only those whose files change.
        let key = format!("{} {options:?}", renderer());
        let digest = blake3::hash(key.as_bytes()).to_hex()[..32].to_string();
        Self {
            options,
            key,
            digest,
        }
    }
}

/// The build of Quire running: a hash of its executable, read once a
/// process (a few tens of milliseconds for a 50 MB binary).
fn renderer() -> &'static str {
    static RENDERER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    RENDERER.get_or_init(|| {
        let exe = std::env::current_exe().and_then(std::fs::read);
        exe.map_or_else(
            |_| "unknown build".to_string(),
            |bytes| blake3::hash(&bytes).to_hex()[..16].to_string(),
        )
    })
}

/// What the store knew of a source file before this sync: its source
/// record and its stat record.
#[derive(Default)]
pub(super) struct Prior {
    pub source: Option<SourceRecord>,
    pub stat: Option<StatRecord>,
}

impl Prior {
    /// One file's, looked up (the watcher's single paths).
    pub fn of(store: &Store, relative: &Path) -> Self {
        Self {
            source: store.source(relative).ok().flatten(),
            stat: store.stat(relative).ok().flatten(),
        }
    }
}

/// Every source file's [`Prior`], by source key, from one walk of each
/// tree: sled walks a tree far faster than it looks keys up one by one
/// (two lookups per file were a second of each restart at 100,000 posts).
pub(super) fn priors(store: &Store) -> Result<HashMap<String, Prior>, StoreError> {
    let mut priors: HashMap<String, Prior> = HashMap::new();
    for (key, source) in store.all_sources()? {
        priors.entry(key).or_default().source = Some(source);
    }
    for (key, stat) in store.all_stats()? {
        priors.entry(key).or_default().stat = Some(stat);
    }
    Ok(priors)
}

pub(super) fn read_and_parse(
    root: &Path,
    path: &Path,
    settings: &Settings,
    prior: &Prior,
    again: bool,
) -> Outcome {
    let relative = path.strip_prefix(root).unwrap_or(path);
    // Taken before the text is read: a change after it shows next time.
    let stat = FileStat::at(path);
    let stored = prior.source.as_ref().map(|r| r.hash.as_str());
    let slug = || {
        prior
            .source
            .as_ref()
            .map(|r| r.slug.clone())
            .unwrap_or_default()
    };
    if !again && vouched_for(prior, stat.as_ref(), stored, settings) {
        return Outcome::Unchanged(None, slug());
    }
    let text = match content::read_text(root, path, relative) {
        Ok(text) => text,
        Err(err) => return Outcome::Failed(err),
    };
    let hash = content_hash(&text, &settings.key);
    let record = stat.map(|stat| StatRecord::new(stat, &hash, &settings.digest));
    if !again && stored == Some(hash.as_str()) {
        return Outcome::Unchanged(record, slug());
    }
    parse(root, relative, &text, settings.options, (hash, record))
}

/// Whether the file whose metadata is `stat` and whose post is stored
/// with the hash `stored` is the one read last time.
fn vouched_for(
    prior: &Prior,
    stat: Option<&FileStat>,
    stored: Option<&str>,
    settings: &Settings,
) -> bool {
    let (Some(stat), Some(stored), Some(record)) = (stat, stored, &prior.stat) else {
        return false;
    };
    record.vouches_for(stat, stored, &settings.digest)
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

/// The files their stat records vouch for, found in one pass on all
/// cores: the slug stored for each (not read; a slug, not an [`Outcome`],
/// which is six times the size), `None` for those to read.
/// Apart from the reads so that a restart with nothing changed is one
/// parallel pass of `stat` calls, not hundreds of small batches each
/// handing work to the pool and back (on a busy machine every hand-off
/// waited for a time slice: seconds at 100,000 posts).
pub(super) fn vouched_in_parallel(
    priors: &HashMap<String, Prior>,
    root: &Path,
    files: &[PathBuf],
    settings: &Settings,
    on_progress: &(dyn Fn() + Sync),
) -> Vec<Option<String>> {
    let look = |path: &PathBuf| {
        let prior = prior_of(priors, root, path)?;
        let stat = FileStat::at(path);
        let stored = prior.source.as_ref()?;
        if !vouched_for(prior, stat.as_ref(), Some(stored.hash.as_str()), settings) {
            return None;
        }
        on_progress();
        Some(stored.slug.clone())
    };
    run_in_pool(files, look)
}

fn prior_of<'a>(priors: &'a HashMap<String, Prior>, root: &Path, path: &Path) -> Option<&'a Prior> {
    priors.get(&source_key(path.strip_prefix(root).unwrap_or(path)))
}

/// `work` on each of `items` on the parse threads (here when there are
/// none); results in input order.
fn run_in_pool<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    match parse_pool() {
        Some(pool) => pool.install(|| items.par_iter().map(work).collect()),
        None => items.iter().map(work).collect(),
    }
}

/// Reads and parses files on all cores; results come back in input order.
pub(super) fn parse_in_parallel(
    priors: &HashMap<String, Prior>,
    root: &Path,
    files: &[&PathBuf],
    settings: &Settings,
    on_progress: &(dyn Fn() + Sync),
) -> Vec<Outcome> {
    let none = Prior::default();
    let parse = |path: &&PathBuf| {
        let prior = prior_of(priors, root, path).unwrap_or(&none);
        let outcome = read_and_parse(root, path, settings, prior, false);
        on_progress();
        outcome
    };
    run_in_pool(files, parse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_name_the_build_so_posts_stored_by_another_are_rendered_again() {
        let options = RenderOptions::default();
        let settings = Settings::of(&options);
        let exe = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        let build = blake3::hash(&exe).to_hex()[..16].to_string();
        assert!(settings.key.starts_with(&build), "{}", settings.key);
        // A record hashed by another build no longer matches.
        let other_build = format!("0000000000000000 {options:?}");
        assert_ne!(
            content_hash("+++\ntitle = \"T\"\n+++\n", &settings.key),
            content_hash("+++\ntitle = \"T\"\n+++\n", &other_build)
        );
    }
}
