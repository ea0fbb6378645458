//! Filling the index as a cold start's ingest stores each post, rather
//! than reading every post back from the store afterwards
//! ([`SearchIndex::rebuild`]): at 100,000 posts that read took another
//! 22 s, and sled kept the pages it read (500 MB resident after a cold
//! start, 231 MB with this).

use std::sync::Mutex;

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
            handed: Mutex::new((0, None)),
        })
    }
}

/// The index being filled: each post is indexed when the ingest stores it.
pub struct Bulk<'a> {
    index: &'a SearchIndex,
    include_drafts: bool,
    /// Posts handed to the writer, and its first error.
    handed: Mutex<(usize, Option<tantivy::TantivyError>)>,
}

impl Bulk<'_> {
    /// Indexes `doc` (if searches may find it).
    pub fn add(&self, doc: &Document) {
        if !doc.is_searchable(self.include_drafts) {
            return;
        }
        let mut handed = self.handed.lock().unwrap_or_else(|e| e.into_inner());
        if handed.1.is_some() {
            return;
        }
        handed.0 += 1;
        let mut writer = self.index.lock_writer();
        let added = writer.add_document(self.index.document(doc));
        if let Err(e) = added.and_then(|_| wait_every_batch(&mut writer, handed.0)) {
            handed.1 = Some(e);
        }
    }

    /// Commits every post added, as built from what `store` holds now, and
    /// shows them to searches. An error leaves the index to be rebuilt.
    pub fn finish(self, store: &Store) -> Result<usize, SearchError> {
        let (count, failed) = self.handed.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = failed {
            return Err(e.into());
        }
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
