//! The order of a full sync's work over the walk's files: first, on
//! every core, the files their stat records vouch for (not read); then
//! the others read and parsed a batch at a time, each batch parsed while
//! the one before is written. Apart from [`super`] because it is the one
//! place that decides what runs in parallel and in which order files are
//! settled (path order, which the slug rule, [`super::claims`], relies on).

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::parse::{Outcome, Prior, Settings, parse_in_parallel, vouched_in_parallel};
use super::{OnStored, SyncReport, settle};
use crate::store::{Store, StoreError};

/// Files parsed in parallel (on the parse threads) before
/// their documents are written.
const PARSE_BATCH: usize = 128;

/// One full sync's reads and writes over the walk's files.
pub(super) struct Pass<'a> {
    pub store: &'a Store,
    pub root: &'a Path,
    pub priors: &'a HashMap<String, Prior>,
    pub settings: &'a Settings<'a>,
    pub on_progress: &'a (dyn Fn() + Sync),
    pub on_stored: OnStored<'a>,
}

impl Pass<'_> {
    /// Settles every file of `files` (sorted) in order. Those their stat
    /// records vouch for are found first, in one parallel pass; the others
    /// are read and parsed a batch at a time: holding all of them (10,000
    /// rendered posts) before writing cost hundreds of MB of memory that
    /// the allocator then kept. The next batch is parsed while this one is
    /// written, so the writer never waits for the parsers.
    pub fn apply(&self, files: &[PathBuf], report: &mut SyncReport) -> Result<(), StoreError> {
        let mut slug_owner: HashMap<String, PathBuf> = HashMap::new();
        let mut vouched = self.vouched(files);
        let to_read: Vec<bool> = vouched.iter().map(Option::is_none).collect();
        let parse = |range: Range<usize>| {
            let batch: Vec<&PathBuf> = range
                .clone()
                .filter(|&i| to_read[i])
                .map(|i| &files[i])
                .collect();
            (range, self.parse(&batch))
        };
        let mut batches = batches(&to_read).into_iter();
        let mut pending = batches.next().map(parse);
        while let Some((range, parsed)) = pending.take() {
            let next = batches.next();
            std::thread::scope(|scope| {
                let parsing = next.map(|next| scope.spawn(|| parse(next)));
                let mut parsed = parsed.into_iter();
                for i in range {
                    let unread = vouched[i].take().map(|slug| Outcome::Unchanged(None, slug));
                    let outcome = unread.or_else(|| parsed.next());
                    self.settle(&files[i], outcome, &mut slug_owner, report)?;
                }
                pending = parsing.map(|thread| {
                    thread
                        .join()
                        .unwrap_or_else(|p| std::panic::resume_unwind(p))
                });
                Ok::<_, StoreError>(())
            })?;
        }
        Ok(())
    }

    /// [`settle`] for the file at `path`, when it has an outcome.
    fn settle(
        &self,
        path: &Path,
        outcome: Option<Outcome>,
        slug_owner: &mut HashMap<String, PathBuf>,
        report: &mut SyncReport,
    ) -> Result<(), StoreError> {
        let Some(outcome) = outcome else {
            return Ok(());
        };
        let relative = path.strip_prefix(self.root).unwrap_or(path).to_path_buf();
        let context = (self.store, self.root, self.on_stored);
        settle(context, relative, outcome, slug_owner, report)
    }

    fn vouched(&self, files: &[PathBuf]) -> Vec<Option<String>> {
        vouched_in_parallel(
            self.priors,
            self.root,
            files,
            self.settings,
            self.on_progress,
        )
    }

    fn parse(&self, batch: &[&PathBuf]) -> Vec<Outcome> {
        parse_in_parallel(
            self.priors,
            self.root,
            batch,
            self.settings,
            self.on_progress,
        )
    }
}

/// Consecutive ranges of the walk's files, each holding at most
/// [`PARSE_BATCH`] files to read (`to_read`): files not read cost nothing
/// to batch, so with nothing changed the whole walk is one range.
fn batches(to_read: &[bool]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let (mut start, mut reads) = (0, 0);
    for (i, &read) in to_read.iter().enumerate() {
        if read && reads == PARSE_BATCH {
            ranges.push(start..i);
            (start, reads) = (i, 0);
        }
        reads += usize::from(read);
    }
    if start < to_read.len() {
        ranges.push(start..to_read.len());
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files not read never end a batch; each batch reads at most
    /// [`PARSE_BATCH`]. Fails on a split into fixed chunks of the walk.
    #[test]
    fn batches_count_only_the_files_to_read() {
        let one = batches(&vec![false; 100_000]);
        assert_eq!((one.len(), one.first()), (1, Some(&(0..100_000))));
        let mut to_read = vec![false; 1_000];
        for i in (0..1_000).step_by(3) {
            to_read[i] = true;
        }
        let ranges = batches(&to_read);
        assert_eq!(ranges.first().map(|r| r.start), Some(0));
        assert_eq!(ranges.last().map(|r| r.end), Some(1_000));
        assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
        let reads = |r: &Range<usize>| to_read[r.clone()].iter().filter(|&&x| x).count();
        assert!(ranges.iter().all(|r| reads(r) <= PARSE_BATCH));
        assert_eq!(ranges.len(), 334usize.div_ceil(PARSE_BATCH));
        assert!(batches(&[]).is_empty());
    }
}
