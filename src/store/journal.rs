//! Which listing records were written since a point, so the catalog can
//! patch its snapshot with just those instead of reading every listing
//! again: at 100,000 posts a full read is a second of work, and every
//! page it reads stays in sled's cache (issue 18, memory after an edit).
//!
//! The store is the one owner of this: it records each slug whose listing
//! it wrote or removed, after the write committed, so nothing that reaches
//! the listings tree can be missed by a reader that asks. Positions
//! ([`Store::listing_mark`]) count writes since the store was made. Only
//! the newest [`KEPT`] are kept; a reader whose mark is older, or older
//! than a reopen that may have lost writes ([`Journal::forget`]), is told
//! to read everything again.

use std::collections::{BTreeSet, VecDeque};
use std::sync::{Mutex, PoisonError};

use super::Store;

/// Slugs kept: past this many writes since a snapshot, reading every
/// listing again costs about what patching would.
const KEPT: usize = 8_192;

/// The slugs written, oldest first.
#[derive(Default)]
pub(super) struct Journal {
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    /// The position of `slugs[0]`.
    floor: u64,
    slugs: VecDeque<String>,
}

impl Entries {
    fn next(&self) -> u64 {
        self.floor + self.slugs.len() as u64
    }
}

impl Journal {
    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Notes that the listings of `slugs` were written (or removed).
    pub(super) fn record<'a>(&self, slugs: impl IntoIterator<Item = &'a str>) {
        let mut entries = self.entries();
        entries.slugs.extend(slugs.into_iter().map(str::to_string));
        while entries.slugs.len() > KEPT {
            entries.slugs.pop_front();
            entries.floor += 1;
        }
    }

    /// Forgets every write so far: after a reopen that may have lost
    /// some, no reader can be told what changed.
    pub(super) fn forget(&self) {
        let mut entries = self.entries();
        entries.floor = entries.next();
        entries.slugs.clear();
    }

    fn mark(&self) -> u64 {
        self.entries().next()
    }

    fn since(&self, mark: u64) -> Option<BTreeSet<String>> {
        let entries = self.entries();
        let skip = usize::try_from(mark.checked_sub(entries.floor)?).ok()?;
        let newer = entries.slugs.iter().skip(skip);
        (mark <= entries.next()).then(|| newer.cloned().collect())
    }
}

impl Store {
    /// The position of the next listing write: read it before reading the
    /// listings, then [`Store::listings_written_since`] names what changed.
    pub fn listing_mark(&self) -> u64 {
        self.shared.journal.mark()
    }

    /// The slugs whose listing was written or removed since `mark`
    /// ([`Store::listing_mark`]), each once; `None` when that is no longer
    /// known (too many writes since, or a reopen after a failed write):
    /// read every listing again.
    pub fn listings_written_since(&self, mark: u64) -> Option<BTreeSet<String>> {
        self.shared.journal.since(mark)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_is_told_each_slug_written_since_its_mark_once() {
        let journal = Journal::default();
        journal.record(["a", "b"]);
        let mark = journal.mark();
        journal.record(["c", "a", "c"]);
        let since = journal.since(mark).unwrap();
        assert_eq!(since.into_iter().collect::<Vec<_>>(), ["a", "c"]);
        assert_eq!(journal.since(journal.mark()).unwrap().len(), 0);
        assert_eq!(journal.since(0).unwrap().len(), 3, "a, b and c");
    }

    #[test]
    fn a_mark_older_than_what_is_kept_or_a_forget_reads_everything() {
        let journal = Journal::default();
        let start = journal.mark();
        journal.record((0..KEPT + 1).map(|_| "a"));
        assert!(
            journal.since(start).is_none(),
            "the oldest write was dropped"
        );
        assert!(journal.since(1).is_some());
        let mark = journal.mark();
        journal.record(["b"]);
        journal.forget();
        assert!(journal.since(mark).is_none());
        assert_eq!(journal.since(journal.mark()).unwrap().len(), 0);
        assert!(
            journal.since(journal.mark() + 1).is_none(),
            "a mark from the future"
        );
    }
}
