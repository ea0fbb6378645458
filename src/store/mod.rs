//! The content store: the only module that touches sled.
//!
//! Trees: `posts` (slug → document), `listings` (slug → what an index card
//! needs), `dates` (`date \0 slug` → slug, for newest-first scans), `sources`
//! (path → hash and slug), `aliases` (old path → slug), `images` (slug →
//! the post's local images, for the resized copies made at start). One
//! transaction per post keeps them consistent, and keeps the number of
//! posts under [`COUNT_KEY`], so opening checks the trees agree without
//! reading every post. `stats` (path → what the file looked like when
//! read, [`stats`]) lets a sync skip files that did not change. Everything here can be rebuilt from
//! `content/`: a store from another format version, or one whose files or
//! records do not decode, is wiped and rebuilt rather than trusted. An I/O
//! error (read-only, full, no permission) never wipes it ([`error`]).
//!
//! Writes are refused while the disk is nearly full ([`space`]), and a
//! database whose write failed anyway is reopened once space is back
//! ([`recovery`]): sled would otherwise fail every later write.
//!
//! Layout: `records` (what is stored, under which keys), `reads` and
//! `writes` (the [`Store`] methods over them); this file opens, checks and
//! holds the database.

mod digest;
mod error;
mod journal;
mod parse_pool;
mod reads;
mod records;
mod recovery;
pub mod renames;
pub mod space;
pub mod stats;
pub mod sync;
mod writes;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

pub use error::{StoreError, is_read_only};
pub use reads::Visit;
pub use records::{Listing, SourceRecord, alias_key, count_category};
pub use recovery::Recovery;

/// Bump when the stored encoding or the rendering changes: older stores are rebuilt.
pub const FORMAT_VERSION: &str = "quire-store-14";
const FORMAT_KEY: &[u8] = b"format";
/// How long opening waits for the database's lock: a store of this
/// process that was just closed lets go of it once sled's background work
/// for it ends, a moment later. Another process holding it still fails.
const LOCK_WAIT: Duration = Duration::from_secs(3);
/// The number of posts, as a big-endian `u64`, written in the transaction
/// of every post written or removed.
const COUNT_KEY: &[u8] = b"posts";
/// sled's page cache unless the settings say otherwise (`store_cache_mb`).
/// Its own default (1 GiB) lets it keep every page it ever read or wrote:
/// ingesting 10,000 posts grew the process by hundreds of MB. Reads go
/// through the in-memory catalog and the page cache first, so a small
/// sled cache costs little.
pub const CACHE_CAPACITY: u64 = 32 * 1024 * 1024;

/// Handle to the store. Cheap to clone; every clone sees the same sled
/// database, including after [`Store::recover`] reopened it.
#[derive(Clone)]
pub struct Store {
    shared: Arc<Shared>,
}

struct Shared {
    /// Where the store lives; `None` for a temporary one.
    dir: Option<PathBuf>,
    /// sled's page cache, in bytes.
    cache_bytes: u64,
    /// The open database; `None` only while a reopen has failed.
    trees: RwLock<Option<Arc<Trees>>>,
    /// sled reported an I/O error on a write: it now fails every later
    /// write (and may fail reads) until it is opened again.
    poisoned: AtomicBool,
    /// The poisoned database could not even flush (sled 0.34 leaks a log
    /// reservation when a large value fails to write): it can never be
    /// closed, so it cannot be reopened in this process.
    wedged: AtomicBool,
    /// Times the database was opened again in this process
    /// ([`Store::reopens`]).
    reopens: AtomicU64,
    /// The listings written, for the catalog's patches ([`journal`]).
    journal: journal::Journal,
}

/// One open sled database and its trees.
struct Trees {
    db: sled::Db,
    posts: sled::Tree,
    listings: sled::Tree,
    dates: sled::Tree,
    sources: sled::Tree,
    aliases: sled::Tree,
    images: sled::Tree,
    stats: sled::Tree,
}

/// Why an existing store that opens is not used as it is.
enum Unusable {
    /// Another format version: an older or newer Quire.
    OtherFormat,
    /// No format record, or records that do not match up: a torn write,
    /// a damaged or emptied file.
    Torn,
}

impl Store {
    /// Opens the store in `dir`, creating it when absent and rebuilding it
    /// from scratch when it is from another format version or damaged.
    /// Returns whether the store starts empty (created or rebuilt).
    ///
    /// Only damage deletes: an I/O error (read-only, full, no permission,
    /// locked by another process) is returned with the store untouched.
    pub fn open(dir: &Path) -> Result<(Self, bool), StoreError> {
        Self::open_with_cache(dir, CACHE_CAPACITY)
    }

    /// [`Store::open`] with sled's page cache at `cache_bytes`.
    pub fn open_with_cache(dir: &Path, cache_bytes: u64) -> Result<(Self, bool), StoreError> {
        if dir.exists() {
            match Self::open_checked(dir, cache_bytes) {
                Ok(Ok(store)) => return Ok((store, false)),
                Ok(Err(Unusable::OtherFormat)) => tracing::info!(
                    path = %dir.display(),
                    "the store is from another version of Quire; rebuilding it from content"
                ),
                Ok(Err(Unusable::Torn)) => tracing::error!(
                    path = %dir.display(),
                    "the store is damaged (no format record, or posts and listings that do not match); rebuilding it from content"
                ),
                Err(err) if err.is_damage() => tracing::error!(
                    path = %dir.display(),
                    error = %err,
                    "the store is damaged; rebuilding it from content"
                ),
                Err(err) => return Err(err),
            }
            std::fs::remove_dir_all(dir).map_err(|source| StoreError::Reset {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let store = Self::open_raw(dir, cache_bytes)?;
        store.write(|t| {
            t.db.insert(COUNT_KEY, &0u64.to_be_bytes())?;
            t.db.insert(FORMAT_KEY, FORMAT_VERSION)?;
            t.db.flush()?;
            Ok(())
        })?;
        Ok((store, true))
    }

    /// A store that lives in memory only (tests, `quire check`).
    pub fn temporary() -> Result<Self, StoreError> {
        let db = sled::Config::new()
            .temporary(true)
            .cache_capacity(CACHE_CAPACITY)
            .open()?;
        Ok(Self::from_trees(None, CACHE_CAPACITY, Trees::of(db)?))
    }

    /// The store in `dir` if it has our format and every record decodes.
    fn open_checked(dir: &Path, cache_bytes: u64) -> Result<Result<Self, Unusable>, StoreError> {
        let store = Self::open_raw(dir, cache_bytes)?;
        let t = store.trees()?;
        let format = t.db.get(FORMAT_KEY)?;
        match format.as_deref() {
            Some(version) if version == FORMAT_VERSION.as_bytes() => {}
            Some(_) => return Ok(Err(Unusable::OtherFormat)),
            None => return Ok(Err(Unusable::Torn)),
        }
        if !t.agree()? {
            return Ok(Err(Unusable::Torn));
        }
        drop(t);
        Ok(Ok(store))
    }

    fn open_raw(dir: &Path, cache_bytes: u64) -> Result<Self, StoreError> {
        let trees = Trees::open(dir, cache_bytes)?;
        Ok(Self::from_trees(
            Some(dir.to_path_buf()),
            cache_bytes,
            trees,
        ))
    }

    fn from_trees(dir: Option<PathBuf>, cache_bytes: u64, trees: Trees) -> Self {
        Self {
            shared: Arc::new(Shared {
                dir,
                cache_bytes,
                trees: RwLock::new(Some(Arc::new(trees))),
                poisoned: AtomicBool::new(false),
                wedged: AtomicBool::new(false),
                reopens: AtomicU64::new(0),
                journal: journal::Journal::default(),
            }),
        }
    }

    /// The open database, for one operation.
    fn trees(&self) -> Result<Arc<Trees>, StoreError> {
        let slot = self
            .shared
            .trees
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        slot.clone()
            .ok_or_else(|| StoreError::Closed(self.dir_or_memory()))
    }

    fn dir_or_memory(&self) -> PathBuf {
        self.shared
            .dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("(memory)"))
    }

    /// Runs a write: refused up front while the disk is nearly full, and
    /// an I/O failure marks the database for reopening ([`Store::recover`]).
    fn write<T>(&self, op: impl FnOnce(&Trees) -> Result<T, StoreError>) -> Result<T, StoreError> {
        if let Some(dir) = &self.shared.dir {
            space::ensure(dir)?;
        }
        let result = op(&*self.trees()?);
        if let Err(err) = &result
            && err.io_error().is_some()
        {
            self.shared.poisoned.store(true, Ordering::Release);
        }
        result
    }

    pub fn flush(&self) -> Result<(), StoreError> {
        self.write(|t| {
            t.db.flush()?;
            Ok(())
        })
    }
}

impl Trees {
    /// Whether the posts and listings agree with the stored count: a torn
    /// write or an emptied file shows here, not mid-request. Counts the
    /// small listing records and looks at the ends of both trees; reading
    /// every post (and checking each listing has one) cost seconds of
    /// every restart at 100,000 posts. A record that does not decode is
    /// found when it is read, and the catalog reads every listing before
    /// serving.
    fn agree(&self) -> Result<bool, StoreError> {
        let Some(count) = self.db.get(COUNT_KEY)? else {
            return Ok(false);
        };
        if decode_count(Some(&count)) != self.listings.len() as u64 {
            return Ok(false);
        }
        for (this, other) in [(&self.posts, &self.listings), (&self.listings, &self.posts)] {
            for end in [this.first()?, this.last()?].into_iter().flatten() {
                if !other.contains_key(&end.0)? {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    fn open(dir: &Path, cache_bytes: u64) -> Result<Self, StoreError> {
        Self::open_waiting(dir, cache_bytes, LOCK_WAIT)
    }

    /// Opens the database at `dir`, waiting up to `wait` while another
    /// handle (a store of this process closed a moment ago, whose sled
    /// threads are ending) holds its lock.
    fn open_waiting(dir: &Path, cache_bytes: u64, wait: Duration) -> Result<Self, StoreError> {
        let config = sled::Config::new()
            .path(dir)
            .mode(sled::Mode::HighThroughput)
            .cache_capacity(cache_bytes);
        let db = open_waiting_for_lock(&config, wait).map_err(|source| StoreError::Open {
            path: dir.to_path_buf(),
            source,
        })?;
        Self::of(db)
    }

    fn of(db: sled::Db) -> Result<Self, StoreError> {
        Ok(Self {
            posts: db.open_tree("posts")?,
            listings: db.open_tree("listings")?,
            dates: db.open_tree("dates")?,
            sources: db.open_tree("sources")?,
            aliases: db.open_tree("aliases")?,
            images: db.open_tree("images")?,
            stats: db.open_tree("stats")?,
            db,
        })
    }
}

/// Whether opening failed because another handle holds the database's
/// file lock: the patched sled reports it as `WouldBlock`
/// (vendor/sled/QUIRE.md), which no other failure to open uses.
pub fn lock_held(error: &std::io::Error) -> bool {
    error.kind() == std::io::ErrorKind::WouldBlock
}

/// The stored post count ([`COUNT_KEY`]); none is zero.
fn decode_count(bytes: Option<&[u8]>) -> u64 {
    bytes
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map_or(0, u64::from_be_bytes)
}

/// `config` opened, waiting up to `wait` while its lock is held.
fn open_waiting_for_lock(config: &sled::Config, wait: Duration) -> sled::Result<sled::Db> {
    let deadline = Instant::now() + wait;
    loop {
        match config.open() {
            Err(sled::Error::Io(e)) if lock_held(&e) && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            opened => return opened,
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod memory_tests {
    use super::Store;

    /// This process's resident memory, in KiB.
    fn resident_kib() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find_map(|l| l.strip_prefix("VmRSS:"));
        let kib = line.and_then(|v| v.split_whitespace().next()?.parse().ok());
        kib.unwrap()
    }

    /// sled measures nothing (`no_metrics`), so opening a store makes no
    /// histograms: its 41 of them were 21.5 MB resident in every process
    /// (vendor/sled/QUIRE.md).
    #[test]
    fn opening_a_store_takes_a_few_megabytes() {
        let dir = tempfile::tempdir().unwrap();
        let before = resident_kib();
        let (store, _) = Store::open(dir.path()).unwrap();
        let grown = resident_kib().saturating_sub(before);
        drop(store);
        assert!(grown < 12 * 1024, "opening a store took {grown} KiB");
    }
}
