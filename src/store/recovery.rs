//! Getting a healthy sled back after a failed write, without a restart.
//!
//! sled 0.34 remembers the first I/O error of a database (a full disk, a
//! quota) and fails every later write with it, even once space is back:
//! the database has to be closed and opened again. Reads keep working on
//! the failed database meanwhile, so it is kept for them until space is
//! back; then it is closed (after every reader let go of it: sled locks its
//! file, so two handles cannot be open at once) and opened again from what
//! reached the disk. The writes that were lost are the ones the watcher
//! retries.
//!
//! One case cannot be undone: when a value sled stores in its own file (a
//! large page) fails to write, sled leaks its log reservation and every
//! later flush waits forever; closing the database would wait too. That
//! database is left open for reads and reported as needing a restart.
//!
//! The same close-and-open serves a healthy database after a large ingest
//! ([`Store::checkpoint`]): sled 0.34 writes its recovery snapshot only
//! when it opens, so the next start would otherwise replay the ingest's
//! whole log (1.2 s more at 100,000 posts).

use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError, mpsc};
use std::time::{Duration, Instant};

use super::{Store, StoreError, Trees, space};

/// How long a flush of the failed database may take before it is judged
/// stuck (a healthy flush of a failed database returns its error at once).
const FLUSH_PROBE: Duration = Duration::from_secs(3);
/// How long a reopen waits for readers of the old database to finish.
const READERS_GRACE: Duration = Duration::from_secs(10);

/// What [`Store::recover`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recovery {
    /// Nothing had failed.
    Healthy,
    /// The database was closed and opened again: writes work again.
    Reopened,
    /// The database cannot be closed in this process (see the module
    /// docs): reads work, writes need a restart.
    NeedsRestart,
}

impl Store {
    /// Reopens the database if a write failed, once the disk has room.
    /// Errors leave things as they were (or, if the new open failed, with
    /// no database until the next call): call again later.
    pub fn recover(&self) -> Result<Recovery, StoreError> {
        if self.shared.wedged.load(Ordering::Acquire) {
            return Ok(Recovery::NeedsRestart);
        }
        if !self.shared.poisoned.load(Ordering::Acquire) {
            return Ok(Recovery::Healthy);
        }
        let Some(dir) = self.shared.dir.clone() else {
            return Ok(Recovery::Healthy);
        };
        space::ensure(&dir)?;
        let mut slot = self
            .shared
            .trees
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if slot.as_ref().is_some_and(|old| !flushes(old)) {
            self.shared.wedged.store(true, Ordering::Release);
            return Ok(Recovery::NeedsRestart);
        }
        reopen(&mut slot, &dir, self.shared.cache_bytes)?;
        // Writes that failed may have landed in part, or not at all.
        self.shared.journal.forget();
        self.shared.reopens.fetch_add(1, Ordering::AcqRel);
        self.shared.poisoned.store(false, Ordering::Release);
        tracing::info!(path = %dir.display(), "the store was reopened after a failed write");
        Ok(Recovery::Reopened)
    }

    /// Closes the database and opens it again, so that sled writes its
    /// snapshot now rather than the next start replaying everything
    /// written since this one opened. For after a large ingest, before
    /// serving: readers wait for the open meanwhile. A store in memory,
    /// or one whose writes failed (that is [`Store::recover`]'s), is left
    /// as it is.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        let Some(dir) = self.shared.dir.clone() else {
            return Ok(());
        };
        let mut slot = self
            .shared
            .trees
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if self.shared.poisoned.load(Ordering::Acquire) {
            return Ok(());
        }
        if let Some(open) = slot.as_ref() {
            open.db.flush()?;
        }
        let reopened = reopen(&mut slot, &dir, self.shared.cache_bytes);
        if reopened.is_ok() {
            self.shared.reopens.fetch_add(1, Ordering::AcqRel);
        }
        if reopened.is_err() && slot.is_none() {
            // No database now: `recover` opens it again later, as after
            // a failed write.
            self.shared.poisoned.store(true, Ordering::Release);
        }
        reopened
    }

    /// How many times the database was closed and opened again in this
    /// process ([`Store::checkpoint`], [`Store::recover`]).
    pub fn reopens(&self) -> u64 {
        self.shared.reopens.load(Ordering::Acquire)
    }

    /// Whether writes cannot succeed until the process restarts.
    pub fn needs_restart(&self) -> bool {
        self.shared.wedged.load(Ordering::Acquire)
    }
}

/// Closes the database in `slot` once no reader holds it, then opens the
/// one at `dir` again. A reader holding on gives the old one back
/// ([`StoreError::Closed`]); a failed open leaves `slot` empty.
fn reopen(
    slot: &mut Option<Arc<Trees>>,
    dir: &std::path::Path,
    cache_bytes: u64,
) -> Result<(), StoreError> {
    if let Some(old) = slot.take()
        && let Err(old) = sole_owner(old)
    {
        *slot = Some(old);
        return Err(StoreError::Closed(dir.to_path_buf()));
    }
    // sled's background threads may hold the file lock a moment after
    // the last handle is dropped.
    *slot = Some(Arc::new(Trees::open_waiting(
        dir,
        cache_bytes,
        READERS_GRACE,
    )?));
    Ok(())
}

/// Whether a flush of `trees` returns (with its error) rather than waiting
/// forever. The probe runs on its own thread, left behind if it is stuck.
fn flushes(trees: &Arc<Trees>) -> bool {
    let db = trees.db.clone();
    let (done, finished) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("store-flush-probe".into())
        .spawn(move || {
            let flushed = db.flush().is_ok();
            // Let go of the database before answering: sled's file lock
            // is released only when the last handle is gone.
            drop(db);
            let _ = done.send(flushed);
        });
    spawned.is_ok() && finished.recv_timeout(FLUSH_PROBE).is_ok()
}

/// Waits until no reader holds `trees` and drops it, closing sled's file.
/// Gives it back if a reader holds on longer than [`READERS_GRACE`].
fn sole_owner(trees: Arc<Trees>) -> Result<(), Arc<Trees>> {
    let deadline = Instant::now() + READERS_GRACE;
    let mut trees = trees;
    loop {
        match Arc::try_unwrap(trees) {
            Ok(trees) => {
                drop(trees);
                return Ok(());
            }
            Err(shared) if Instant::now() < deadline => {
                trees = shared;
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(shared) => return Err(shared),
        }
    }
}
