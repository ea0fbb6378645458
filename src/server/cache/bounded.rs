//! The bounded store itself: LRU buckets (pages, 404s, searches) with
//! exact byte accounting, and the invalidation rules content changes and
//! the schedule trigger.

use super::*;

/// The bounded, invalidatable store of [`Entry`]s. One per site.
pub struct PageCache {
    pub(super) enabled: bool,
    pub(super) state: Mutex<State>,
    /// Bumped by every invalidation; a render stores its result only when
    /// the generation it started under is still current.
    pub(super) generation: AtomicU64,
    /// The catalog's schedule epoch the stored pages were made under.
    pub(super) schedule_epoch: AtomicU64,
    /// Concurrent misses for one page render it once.
    pub(super) turns: single_flight::RenderTurns,
}

/// Entries of one kind of answer, bounded in bytes, least recently used
/// first out.
pub(super) struct Bucket {
    pub(super) lru: LruCache<String, Arc<Entry>>,
    pub(super) bytes: usize,
    pub(super) max_bytes: usize,
}

impl Bucket {
    pub(super) fn new(max_bytes: usize) -> Self {
        Self {
            lru: LruCache::unbounded(),
            bytes: 0,
            max_bytes,
        }
    }

    /// One entry may use at most this much, so a single huge page cannot
    /// flush everything else.
    pub(super) fn fits(&self, size: usize) -> bool {
        size <= self.max_bytes / MAX_ENTRY_SHARE
    }

    pub(super) fn put(&mut self, key: String, entry: Arc<Entry>) {
        let size = entry.size(&key);
        self.remove(&key);
        self.lru.put(key, entry);
        self.bytes += size;
        while self.bytes > self.max_bytes {
            let Some((old_key, old)) = self.lru.pop_lru() else {
                break;
            };
            self.bytes -= old.size(&old_key);
        }
    }

    pub(super) fn remove(&mut self, key: &str) {
        if let Some(old) = self.lru.pop(key) {
            self.bytes -= old.size(key);
        }
    }

    pub(super) fn remove_where(&mut self, drop: &impl Fn(&Kind) -> bool) {
        let doomed: Vec<String> = self
            .lru
            .iter()
            .filter(|(_, entry)| drop(&entry.kind))
            .map(|(key, _)| key.clone())
            .collect();
        for key in doomed {
            self.remove(&key);
        }
    }
}

/// Pages, feeds and assets in one bucket; 404s and search results in
/// small ones of their own: any client can ask for endless made-up
/// addresses or searches, each a different page, and neither flood can
/// push a single article or listing out.
pub(super) struct State {
    pub(super) pages: Bucket,
    pub(super) missing: Bucket,
    pub(super) searches: Bucket,
}

impl State {
    pub(super) fn bucket(&mut self, kind: &Kind) -> &mut Bucket {
        match kind {
            Kind::NotFound => &mut self.missing,
            Kind::Search => &mut self.searches,
            _ => &mut self.pages,
        }
    }

    pub(super) fn buckets(&mut self) -> [&mut Bucket; 3] {
        [&mut self.pages, &mut self.missing, &mut self.searches]
    }

    pub(super) fn get(&mut self, key: &str) -> Option<Arc<Entry>> {
        self.buckets()
            .into_iter()
            .find_map(|bucket| bucket.lru.get(key).cloned())
    }

    pub(super) fn bytes(&self) -> usize {
        self.pages.bytes + self.missing.bytes + self.searches.bytes
    }

    pub(super) fn len(&self) -> usize {
        self.pages.lru.len() + self.missing.lru.len() + self.searches.lru.len()
    }
}

/// The share of the bound that 404 pages may use.
pub(super) const MISSING_SHARE: usize = 16;
/// The share of the bound that search result pages may use.
pub(super) const SEARCH_SHARE: usize = 8;

impl PageCache {
    /// A cache holding at most `max_bytes`; a disabled one stores nothing
    /// (`--live-reload`, whose pages carry an injected script).
    pub fn new(max_bytes: usize, enabled: bool) -> Self {
        let missing = max_bytes / MISSING_SHARE;
        let searches = max_bytes / SEARCH_SHARE;
        Self {
            enabled,
            state: Mutex::new(State {
                pages: Bucket::new(max_bytes - missing - searches),
                missing: Bucket::new(missing),
                searches: Bucket::new(searches),
            }),
            generation: AtomicU64::new(0),
            schedule_epoch: AtomicU64::new(0),
            turns: single_flight::RenderTurns::default(),
        }
    }

    /// A cache of `mb` mebibytes.
    pub fn with_max_mb(mb: usize, enabled: bool) -> Self {
        Self::new(mb.saturating_mul(1024 * 1024), enabled)
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Bytes held now, all variants counted.
    pub fn bytes(&self) -> usize {
        self.lock().bytes()
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub fn get(&self, key: &str) -> Option<Arc<Entry>> {
        self.lock().get(key)
    }

    /// [`PageCache::get`] and the cache's size, under one lock (the hit path).
    pub(super) fn get_with_bytes(&self, key: &str) -> (Option<Arc<Entry>>, usize) {
        let mut state = self.lock();
        (state.get(key), state.bytes())
    }

    /// Stores `entry` unless an invalidation happened since `generation`, or
    /// it is too big for its bucket; evicts least recently used entries of
    /// that bucket to stay in bounds. Returns whether it was stored.
    pub fn insert(&self, key: String, entry: Arc<Entry>, generation: u64) -> bool {
        if !self.enabled {
            return false;
        }
        let size = entry.size(&key);
        let mut state = self.lock();
        // Checked under the lock: invalidations bump the generation first and
        // then take the lock, so a stale render cannot slip in between.
        if self.generation() != generation || !state.bucket(&entry.kind).fits(size) {
            return false;
        }
        for bucket in state.buckets() {
            bucket.remove(&key);
        }
        let kind = entry.kind.clone();
        state.bucket(&kind).put(key, entry);
        true
    }

    /// Drops every entry `drop` selects.
    pub fn invalidate(&self, drop: impl Fn(&Kind) -> bool) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        for bucket in self.lock().buckets() {
            bucket.remove_where(&drop);
        }
    }

    /// Something every listing shows changed: everything but assets goes.
    pub fn invalidate_listings(&self) {
        self.invalidate(|kind| *kind != Kind::Asset);
    }

    /// Follows a content change: drops the pages it can have changed.
    pub fn content_changed(&self, report: &SyncReport) {
        self.drop_changed(report);
    }

    /// Drops what `report` can have changed. Body-only edits (the listing
    /// record of every touched post is unchanged) drop the posts' own pages
    /// and the pages that quote bodies; anything a listing shows drops all
    /// pages, since every article links its neighbours by title.
    pub fn drop_changed(&self, report: &SyncReport) {
        let listing_changed = !(report.added.is_empty()
            && report.removed.is_empty()
            && report.listing_changed.is_empty());
        if listing_changed {
            self.invalidate_listings();
            return;
        }
        self.invalidate(|kind| match kind {
            Kind::Post(slug) => report.updated.contains(slug),
            Kind::Feed | Kind::Search | Kind::NotFound => true,
            Kind::Asset | Kind::Listing => false,
        });
    }

    /// Follows the catalog's schedule: when its epoch moved (a scheduled
    /// post came due), every listing may show it, so they all go.
    pub fn follow_schedule(&self, epoch: u64) {
        if self.schedule_epoch.swap(epoch, Ordering::AcqRel) != epoch {
            self.invalidate_listings();
        }
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves consistent data (every
        // mutation is a few lines with no panics), so keep serving.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for PageCache {
    fn default() -> Self {
        Self::with_max_mb(DEFAULT_MAX_MB, true)
    }
}
