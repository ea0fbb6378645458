//! The content store: the only module that touches sled.
//!
//! Trees: `posts` (slug → document), `listings` (slug → what an index card
//! needs), `dates` (`date \0 slug` → slug, for newest-first scans), `sources`
//! (path → hash and slug), `aliases` (old path → slug). One transaction per
//! post keeps them consistent. Everything here can be rebuilt from
//! `content/`: a store from another format version, or one whose files or
//! records do not decode, is wiped and rebuilt rather than trusted. An I/O
//! error (read-only, full, no permission) never wipes it ([`error`]).
//!
//! Writes are refused while the disk is nearly full ([`space`]), and a
//! database whose write failed anyway is reopened once space is back
//! ([`recovery`]): sled would otherwise fail every later write.

mod error;
mod recovery;
pub mod renames;
pub mod space;
pub mod sync;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::ConflictableTransactionError;

use crate::content::Document;
use crate::model::{Facet, PostSummary, slugify};
pub use error::{StoreError, is_read_only};
pub use recovery::Recovery;

/// Bump when the stored encoding or the rendering changes: older stores are rebuilt.
pub const FORMAT_VERSION: &str = "quire-store-4";
const FORMAT_KEY: &[u8] = b"format";
/// sled's page cache. Its default (1 GiB) lets it keep every page it ever
/// read or wrote: ingesting 10,000 posts grew the process by hundreds of MB.
/// Reads go through the in-memory catalog and the page cache first, so a
/// small sled cache costs little.
const CACHE_CAPACITY: u64 = 32 * 1024 * 1024;

/// What the index needs about a post, plus what decides its visibility.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    pub summary: PostSummary,
    pub draft: bool,
    pub publish_at: Option<DateTime<Utc>>,
}

impl Listing {
    /// The listing record of `doc`, as [`Store::upsert`] stores it.
    pub fn of(doc: &Document) -> Self {
        Self {
            summary: doc.summary(),
            draft: doc.draft,
            publish_at: doc.publish_at,
        }
    }

    pub fn is_visible(&self, now: DateTime<Utc>, show_drafts: bool) -> bool {
        crate::content::is_published(self.draft, self.publish_at, now, show_drafts)
    }
}

/// Where a source file's post lives and which content version it had.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRecord {
    pub hash: String,
    pub slug: String,
}

/// Handle to the store. Cheap to clone; every clone sees the same sled
/// database, including after [`Store::recover`] reopened it.
#[derive(Clone)]
pub struct Store {
    shared: Arc<Shared>,
}

struct Shared {
    /// Where the store lives; `None` for a temporary one.
    dir: Option<PathBuf>,
    /// The open database; `None` only while a reopen has failed.
    trees: RwLock<Option<Arc<Trees>>>,
    /// sled reported an I/O error on a write: it now fails every later
    /// write (and may fail reads) until it is opened again.
    poisoned: AtomicBool,
    /// The poisoned database could not even flush (sled 0.34 leaks a log
    /// reservation when a large value fails to write): it can never be
    /// closed, so it cannot be reopened in this process.
    wedged: AtomicBool,
}

/// One open sled database and its trees.
struct Trees {
    db: sled::Db,
    posts: sled::Tree,
    listings: sled::Tree,
    dates: sled::Tree,
    sources: sled::Tree,
    aliases: sled::Tree,
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
        if dir.exists() {
            match Self::open_checked(dir) {
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
        let store = Self::open_raw(dir)?;
        store.write(|t| {
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
        Ok(Self::from_trees(None, Trees::of(db)?))
    }

    /// The store in `dir` if it has our format and every record decodes.
    fn open_checked(dir: &Path) -> Result<Result<Self, Unusable>, StoreError> {
        let store = Self::open_raw(dir)?;
        let t = store.trees()?;
        let format = t.db.get(FORMAT_KEY)?;
        match format.as_deref() {
            Some(version) if version == FORMAT_VERSION.as_bytes() => {}
            Some(_) => return Ok(Err(Unusable::OtherFormat)),
            None => return Ok(Err(Unusable::Torn)),
        }
        // Every listing must decode and have its document: a torn write
        // shows up here, not mid-request. Listings are small, so this costs
        // a few milliseconds at 10,000 posts where decompressing and
        // decoding every document cost ~750 ms of each restart; sled's own
        // checksums catch damaged pages when it opens the files.
        let mut listed = 0;
        for entry in t.listings.iter() {
            let (slug, value) = entry?;
            serde_json::from_slice::<Listing>(&value)?;
            if !t.posts.contains_key(&slug)? {
                return Ok(Err(Unusable::Torn));
            }
            listed += 1;
        }
        if listed != t.posts.len() {
            return Ok(Err(Unusable::Torn));
        }
        drop(t);
        Ok(Ok(store))
    }

    fn open_raw(dir: &Path) -> Result<Self, StoreError> {
        Ok(Self::from_trees(Some(dir.to_path_buf()), Trees::open(dir)?))
    }

    fn from_trees(dir: Option<PathBuf>, trees: Trees) -> Self {
        Self {
            shared: Arc::new(Shared {
                dir,
                trees: RwLock::new(Some(Arc::new(trees))),
                poisoned: AtomicBool::new(false),
                wedged: AtomicBool::new(false),
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

    pub fn post(&self, slug: &str) -> Result<Option<Document>, StoreError> {
        self.trees()?
            .posts
            .get(slug)?
            .map(|bytes| decode_document(&bytes))
            .transpose()
    }

    /// Every stored post, in slug order (search index rebuilds). The
    /// iterator keeps the database it started on open.
    pub fn all_posts(&self) -> impl Iterator<Item = Result<Document, StoreError>> + use<> {
        let (trees, error) = match self.trees() {
            Ok(trees) => (Some(trees), None),
            Err(err) => (None, Some(Err(err))),
        };
        let values = trees.as_ref().map(|t| t.posts.iter().values());
        error
            .into_iter()
            .chain(values.into_iter().flatten().map(move |bytes| {
                let _open = &trees;
                decode_document(&bytes?)
            }))
    }

    /// The listing record of `slug`, if stored.
    pub fn listing(&self, slug: &str) -> Result<Option<Listing>, StoreError> {
        self.trees()?
            .listings
            .get(slug)?
            .map(|bytes| serde_json::from_slice(&bytes).map_err(StoreError::from))
            .transpose()
    }

    pub fn post_count(&self) -> usize {
        // sled's `len` walks the tree: counting the small listing records
        // (one per post) keeps every full document out of memory.
        self.trees().map_or(0, |t| t.listings.len())
    }

    pub fn source(&self, relative: &Path) -> Result<Option<SourceRecord>, StoreError> {
        self.trees()?
            .sources
            .get(source_key(relative))?
            .map(|bytes| serde_json::from_slice(&bytes).map_err(StoreError::from))
            .transpose()
    }

    /// Every source path the store knows, relative to the content dir.
    pub fn source_paths(&self) -> Result<Vec<PathBuf>, StoreError> {
        self.trees()?
            .sources
            .iter()
            .keys()
            .map(|key| Ok(PathBuf::from(String::from_utf8_lossy(&key?).into_owned())))
            .collect()
    }

    /// Slug an old URL path (`aliases`) points to.
    pub fn alias(&self, path: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .trees()?
            .aliases
            .get(path)?
            .map(|slug| String::from_utf8_lossy(&slug).into_owned()))
    }

    /// Inserts or replaces the post from `doc.source`, in one transaction:
    /// the old version's index entries go, the new ones arrive together.
    pub fn upsert(&self, doc: &Document, hash: &str) -> Result<(), StoreError> {
        let previous = self.source(&doc.source)?;
        let old_doc = match &previous {
            Some(record) => self.post(&record.slug)?,
            None => None,
        };
        let listing = Listing::of(doc);
        let doc_bytes = encode_document(doc)?;
        let listing_bytes = serde_json::to_vec(&listing)?;
        let source_bytes = serde_json::to_vec(&SourceRecord {
            hash: hash.to_string(),
            slug: doc.slug.clone(),
        })?;
        let source_key = source_key(&doc.source);
        self.write(|t| {
            (&t.posts, &t.listings, &t.dates, &t.sources, &t.aliases).transaction(
                |(posts, listings, dates, sources, aliases)| {
                    if let Some(old) = &old_doc {
                        posts.remove(old.slug.as_bytes())?;
                        listings.remove(old.slug.as_bytes())?;
                        dates.remove(date_key(&old.date, &old.slug))?;
                        for alias in &old.aliases {
                            aliases.remove(alias_key(alias).as_bytes())?;
                        }
                        if old.slug != doc.slug {
                            // A renamed post: its old URL keeps working as a redirect.
                            aliases.insert(
                                crate::urls::post_path(&old.slug).as_bytes(),
                                doc.slug.as_bytes(),
                            )?;
                        }
                    }
                    aliases.remove(crate::urls::post_path(&doc.slug).as_bytes())?;
                    posts.insert(doc.slug.as_bytes(), doc_bytes.as_slice())?;
                    listings.insert(doc.slug.as_bytes(), listing_bytes.as_slice())?;
                    dates.insert(date_key(&doc.date, &doc.slug), doc.slug.as_bytes())?;
                    for alias in &doc.aliases {
                        aliases.insert(alias_key(alias).as_bytes(), doc.slug.as_bytes())?;
                    }
                    sources.insert(source_key.as_bytes(), source_bytes.as_slice())?;
                    Ok::<_, ConflictableTransactionError<StoreError>>(())
                },
            )?;
            Ok(())
        })
    }

    /// Removes the post that came from `relative`, if any. Returns its slug.
    pub fn remove_source(&self, relative: &Path) -> Result<Option<String>, StoreError> {
        let Some(record) = self.source(relative)? else {
            return Ok(None);
        };
        let doc = self.post(&record.slug)?;
        let key = source_key(relative);
        self.write(|t| {
            (&t.posts, &t.listings, &t.dates, &t.sources, &t.aliases).transaction(
                |(posts, listings, dates, sources, aliases)| {
                    sources.remove(key.as_bytes())?;
                    if let Some(doc) = &doc {
                        posts.remove(doc.slug.as_bytes())?;
                        listings.remove(doc.slug.as_bytes())?;
                        dates.remove(date_key(&doc.date, &doc.slug))?;
                        for alias in &doc.aliases {
                            aliases.remove(alias_key(alias).as_bytes())?;
                        }
                    }
                    Ok::<_, ConflictableTransactionError<StoreError>>(())
                },
            )?;
            Ok(())
        })?;
        Ok(Some(record.slug))
    }

    /// Posts readers may see, newest first (date, then slug, descending).
    pub fn visible_listings(
        &self,
        now: DateTime<Utc>,
        show_drafts: bool,
    ) -> Result<Vec<Listing>, StoreError> {
        let t = self.trees()?;
        let mut out = Vec::with_capacity(t.listings.len());
        for entry in t.dates.iter().rev() {
            let (_, slug) = entry?;
            if let Some(bytes) = t.listings.get(&slug)? {
                let listing: Listing = serde_json::from_slice(&bytes)?;
                if listing.is_visible(now, show_drafts) {
                    out.push(listing);
                }
            }
        }
        Ok(out)
    }

    /// The earliest future `publish_at`, so a timer can reveal it on time.
    pub fn next_scheduled(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, StoreError> {
        let mut next: Option<DateTime<Utc>> = None;
        for entry in self.trees()?.listings.iter().values() {
            let listing: Listing = serde_json::from_slice(&entry?)?;
            if let Some(at) = listing.publish_at.filter(|at| *at > now) {
                next = Some(next.map_or(at, |n| n.min(at)));
            }
        }
        Ok(next)
    }
}

impl Trees {
    fn open(dir: &Path) -> Result<Self, StoreError> {
        let db = sled::Config::new()
            .path(dir)
            .mode(sled::Mode::HighThroughput)
            .cache_capacity(CACHE_CAPACITY)
            .open()
            .map_err(|source| StoreError::Open {
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
            db,
        })
    }
}

/// Categories with counts, ordered by their most recent post (the input is newest first).
pub fn category_facets(listings: &[Listing]) -> Vec<Facet> {
    let mut facets: Vec<Facet> = Vec::new();
    for listing in listings {
        let name = &listing.summary.category;
        match facets.iter_mut().find(|f| &f.name == name) {
            Some(facet) => facet.count += 1,
            None => facets.push(Facet {
                name: name.clone(),
                slug: slugify(name),
                count: 1,
            }),
        }
    }
    facets
}

/// Documents are stored deflated. sled's page cache only accounts for a
/// page after 64 accesses to its shard, so one scan of every post (search
/// rebuild, start-up check) keeps every page it read resident: deflated
/// records (HTML compresses about 5×) keep that to tens of MB at 10,000 posts.
fn encode_document(doc: &Document) -> Result<Vec<u8>, StoreError> {
    use std::io::Write;
    let json = serde_json::to_vec(doc)?;
    let mut encoder = flate2::write::DeflateEncoder::new(
        Vec::with_capacity(json.len() / 4),
        flate2::Compression::fast(),
    );
    encoder
        .write_all(&json)
        .and_then(|()| encoder.finish())
        .map_err(|e| StoreError::Decode(serde_json::Error::io(e)))
}

fn decode_document(bytes: &[u8]) -> Result<Document, StoreError> {
    use std::io::Read;
    let mut json = Vec::with_capacity(bytes.len() * 5);
    flate2::read::DeflateDecoder::new(bytes)
        .read_to_end(&mut json)
        .map_err(|e| StoreError::Decode(serde_json::Error::io(e)))?;
    Ok(serde_json::from_slice(&json)?)
}

fn date_key(date: &str, slug: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(date.len() + slug.len() + 1);
    key.extend_from_slice(date.as_bytes());
    key.push(0);
    key.extend_from_slice(slug.as_bytes());
    key
}

fn source_key(relative: &Path) -> String {
    relative.to_string_lossy().replace('\\', "/")
}

/// Aliases are stored as absolute URL paths without a trailing slash.
pub fn alias_key(alias: &str) -> String {
    let trimmed = alias.trim().trim_end_matches('/');
    if trimmed.starts_with('/') {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    }
}
