//! The search index on disk: `<data>/search/`, a tantivy `MmapDirectory`
//! plus a `FORMAT` file naming the index's format version.
//!
//! Rebuilding the index from the store took most of a restart (seconds at
//! 10,000 posts, nearly a minute at 100,000), so `serve` opens the index it
//! left behind. An index that is missing, of another format or schema, or
//! damaged (a file that fails tantivy's checksum, a segment that does not
//! open, unreadable metadata) is deleted and made again, empty, to be
//! rebuilt: it is derived data, like the store. Each commit records the
//! store digest it was built from (tantivy's commit payload, written
//! atomically with the commit), so [`plan`] can tell an index up to date
//! from one a start-up ingest moved ahead of (caught up with the changed
//! posts) or one out of step for any other reason (rebuilt).

use std::path::Path;

use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader};

use super::{SearchError, SearchIndex, reader_of, register_tokenizers, schema};

/// Bump when the schema or the tokenizer changes: older indexes are rebuilt.
pub const FORMAT_VERSION: &str = "quire-search-4";
const FORMAT_FILE: &str = "FORMAT";

/// What [`SearchIndex::open`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Opened {
    /// A usable index, last committed from the store digest it names
    /// (`None`: no build ever finished).
    Existing { built_from: Option<String> },
    /// A new, empty index: there was none (`None`), or the old one was
    /// unusable, for the reason given.
    Created { replaced: Option<String> },
}

/// What start-up does with an opened index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Built from the store as it is: searches answer at once.
    UpToDate,
    /// Built from the store as it was before the start-up ingest:
    /// re-index the posts that ingest changed.
    CatchUp,
    /// Build it from the store (the reason, for the log).
    Rebuild(String),
}

/// What to do with `opened`, given the store digest now and before the
/// start-up ingest (as [`super::built_from`] spells them).
pub fn plan(opened: &Opened, now: &str, before: Option<&str>) -> Plan {
    match opened {
        Opened::Created { replaced: None } => Plan::Rebuild("a new search index".into()),
        Opened::Created {
            replaced: Some(why),
        } => Plan::Rebuild(why.clone()),
        Opened::Existing { built_from: None } => {
            Plan::Rebuild("the search index was never completely built".into())
        }
        Opened::Existing {
            built_from: Some(built),
        } if built == now => Plan::UpToDate,
        Opened::Existing {
            built_from: Some(built),
        } if Some(built.as_str()) == before => Plan::CatchUp,
        Opened::Existing { .. } => {
            Plan::Rebuild("the search index is out of step with the store".into())
        }
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, or makes a new empty one there when it is
    /// missing or unusable (see the module docs). An error means no index
    /// can be kept in `dir` (no permission, no space): the caller may fall
    /// back to one in memory.
    pub fn open(dir: &Path) -> Result<(Self, Opened), SearchError> {
        let replaced = match open_existing(dir) {
            Ok(Some((index, reader, built_from))) => {
                let search = Self::from_index(&index, reader, true)?;
                return Ok((search, Opened::Existing { built_from }));
            }
            Ok(None) => None,
            Err(why) => Some(format!("the search index in {} {why}", dir.display())),
        };
        let index = create(dir)?;
        let reader = reader_of(&index)?;
        let search = Self::from_index(&index, reader, true)?;
        Ok((search, Opened::Created { replaced }))
    }
}

/// An index that opened, its reader and what it was built from.
type Existing = (Index, IndexReader, Option<String>);

/// The index in `dir`, its reader and what it was built from, `None` when there is
/// none, or why it cannot be used.
fn open_existing(dir: &Path) -> Result<Option<Existing>, String> {
    let format = match std::fs::read_to_string(dir.join(FORMAT_FILE)) {
        Ok(format) => format,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && is_empty(dir) => return Ok(None),
        Err(e) => return Err(format!("has no readable {FORMAT_FILE} file ({e})")),
    };
    if format.trim() != FORMAT_VERSION {
        return Err(format!("is of another format ({})", format.trim()));
    }
    let damaged = |e: tantivy::TantivyError| format!("is damaged ({e})");
    let index = Index::open_in_dir(dir).map_err(damaged)?;
    if index.schema() != schema().0 {
        return Err("has another schema".into());
    }
    let files = index.validate_checksum().map_err(damaged)?;
    if !files.is_empty() {
        let mut names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        names.sort();
        return Err(format!("is damaged (checksum of {})", names.join(", ")));
    }
    register_tokenizers(&index);
    // Opens every segment: a missing or truncated file shows here.
    let reader = reader_of(&index).map_err(damaged)?;
    let built_from = index.load_metas().map_err(damaged)?.payload;
    Ok(Some((index, reader, built_from)))
}

fn is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).map_or(true, |mut entries| entries.next().is_none())
}

/// A new, empty index in `dir`, whatever was there before.
fn create(dir: &Path) -> Result<Index, SearchError> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let directory = MmapDirectory::open(dir).map_err(|e| io(dir, e))?;
    let index = Index::create(directory, schema().0, Default::default())?;
    register_tokenizers(&index);
    // Written last: an index without it is made again at the next start.
    std::fs::write(dir.join(FORMAT_FILE), format!("{FORMAT_VERSION}\n")).map_err(|e| io(dir, e))?;
    Ok(index)
}

fn io(dir: &Path, e: impl std::fmt::Display) -> SearchError {
    SearchError::Disk(format!("{}: {e}", dir.display()))
}

#[cfg(test)]
mod tests;
