//! Filling the index as a cold start's ingest stores each post, rather
//! than reading every post back from the store afterwards
//! ([`SearchIndex::rebuild`]): at 100,000 posts that read took another
//! 22 s, and sled kept the pages it read (500 MB resident after a cold
//! start, 231 MB with this).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{SearchError, SearchIndex, wait_every_batch};
use crate::content::Document;
use crate::store::Store;

impl SearchIndex {
    /// An empty index to be filled as a cold start's ingest stores each
    /// post ([`Bulk`]).
    pub fn bulk(&self, include_drafts: bool) -> Result<Bulk<'_>, SearchError> {
        self.lock_writer().delete_all_documents()?;
        Ok(Bulk {
            index: self,
            include_drafts,
            handed: AtomicUsize::new(0),
            failed: OnceLock::new(),
        })
    }
}

/// The index being filled: each post is indexed when the ingest stores it.
pub struct Bulk<'a> {
    index: &'a SearchIndex,
    include_drafts: bool,
    /// Posts handed to the writer (counted under its lock).
    handed: AtomicUsize,
    /// The writer's first error: later posts are not indexed.
    failed: OnceLock<tantivy::TantivyError>,
}

impl Bulk<'_> {
    /// Indexes `doc` (if searches may find it).
    pub fn add(&self, doc: &Document) {
        if !doc.is_searchable(self.include_drafts) || self.failed.get().is_some() {
            return;
        }
        let mut writer = self.index.lock_writer();
        let handed = self.handed.fetch_add(1, Ordering::Relaxed) + 1;
        let added = writer.add_document(self.index.document(doc));
        if let Err(e) = added.and_then(|_| wait_every_batch(&mut writer, handed)) {
            let _ = self.failed.set(e);
        }
    }

    /// Commits every post added, as built from what `store` holds now, and
    /// shows them to searches. An error leaves the index to be rebuilt.
    pub fn finish(self, store: &Store) -> Result<usize, SearchError> {
        if let Some(e) = self.failed.into_inner() {
            return Err(e.into());
        }
        let count = self.handed.into_inner();
        let built = self.index.built_from(store, self.include_drafts)?;
        // On a thread at background priority: tantivy respawns its
        // indexing thread at each commit, from the committing thread,
        // and that thread indexes the live edits that follow.
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    crate::background::lower_current_thread_priority();
                    self.index.commit(&mut self.index.lock_writer(), built)
                })
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p))
        })?;
        self.index.mark_complete();
        Ok(count)
    }
}
