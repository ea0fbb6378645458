//! The visible posts, held in memory as one snapshot for every read query.
//!
//! Listing pages, related posts, previous/next links and search results all
//! need "what readers may see now, newest first". Decoding that from sled on
//! each request costs milliseconds at 10,000 posts, so a snapshot is built
//! once and reused until content changes ([`Catalog::invalidate`]) or the
//! next scheduled post comes due.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Utc};

use crate::content::Kind;
use crate::store::{Listing, Store, StoreError};

use super::keys::KeyIndex;
use super::packed::Packed;
use super::positions::{Editions, Facets, Positions};

/// Visible posts, pages and sections at one moment.
pub struct Snapshot {
    /// The posts, newest first, packed ([`Packed`]): as structs they
    /// took about 800 bytes each, near half of all the memory a post cost
    /// at 100,000 posts.
    pub listings: Packed,
    /// Slug → position in `listings`.
    positions: KeyIndex,
    /// Address (decoded) → position in `listings`.
    addresses: KeyIndex,
    /// Standalone pages and sections' own files: found at their address,
    /// never listed.
    pub pages: Vec<Listing>,
    /// Address (decoded) → position in `pages`.
    page_addresses: KeyIndex,
    /// Key → position in `pages`.
    page_keys: KeyIndex,
    /// Each language's posts, and those of its every category, tag,
    /// section, series and author, by the language's code ("" for the
    /// default's).
    editions: HashMap<String, Facets>,
    /// Translation key → the posts sharing it, for the keys two or more
    /// visible posts share.
    translations: HashMap<String, Positions>,
    /// The same for standalone pages (`pages/about.fr.md`), positions in
    /// `pages`.
    page_translations: HashMap<String, Positions>,
    generation: u64,
    /// When a scheduled post appears and this snapshot goes stale.
    valid_until: Option<DateTime<Utc>>,
    /// How many times a scheduled post has come due (see [`Catalog`]).
    pub schedule_epoch: u64,
}

impl Snapshot {
    /// A snapshot of `listings` (newest first) that never goes stale by itself.
    pub fn from_listings(listings: Vec<Listing>) -> Self {
        let (pages, posts): (Vec<_>, Vec<_>) =
            listings.into_iter().partition(|l| l.kind != Kind::Post);
        Self::of(Packed::of(&posts), pages)
    }

    /// The snapshot of `posts` and `pages`, both newest first.
    fn of(posts: Packed, mut pages: Vec<Listing>) -> Self {
        pages.extend(implicit_sections(&posts, &pages));
        let mut editions = Editions::default();
        let mut translations = Translations::default();
        for (i, listing) in posts.iter().enumerate() {
            editions.add(i as u32, &listing);
            translations.add(i as u32, &listing);
        }
        Self {
            positions: key_index(posts.len(), |i| posts.slug(i)),
            page_keys: key_index(pages.len(), |i| slug_of(&pages, i)),
            addresses: address_index(posts.len(), |i| posts.url(i)),
            page_addresses: address_index(pages.len(), |i| &pages[i].summary.url),
            editions: editions.0,
            translations: translations.groups(),
            page_translations: Translations::of(&pages).groups(),
            pages,
            listings: posts,
            generation: 0,
            valid_until: None,
            schedule_epoch: 0,
        }
    }

    /// The snapshot of what `store` holds now, for a new [`Catalog`]
    /// ([`Catalog::offer`]).
    pub fn build(store: &Store, show_drafts: bool) -> Result<Self, StoreError> {
        build(store, show_drafts, Utc::now(), 0, 0)
    }

    /// The posts of language `code`'s pages ("": the default's); none
    /// for a language no visible post is in.
    pub fn edition(&self, code: &str) -> &Facets {
        static NONE: std::sync::LazyLock<Facets> = std::sync::LazyLock::new(Facets::default);
        self.editions.get(code).unwrap_or(&NONE)
    }

    /// Every language's posts, in no particular order.
    pub fn editions(&self) -> impl Iterator<Item = &Facets> {
        self.editions.values()
    }

    /// The codes of the languages other than the default that visible
    /// posts are in.
    pub fn other_editions(&self) -> impl Iterator<Item = &str> {
        self.editions
            .keys()
            .map(String::as_str)
            .filter(|c| !c.is_empty())
    }

    /// The visible posts that share `listing`'s translation key, itself
    /// included, in no particular order.
    pub fn translations<'a>(&'a self, listing: &Listing) -> impl Iterator<Item = Listing> + 'a {
        let page = listing.kind == Kind::Page;
        let groups = match page {
            true => &self.page_translations,
            false => &self.translations,
        };
        let key = &listing.translation;
        let found = (!key.is_empty()).then(|| groups.get(key)).flatten();
        let positions = found.into_iter().flatten();
        positions.map(move |&p| self.listing_or_page(page, p as usize))
    }

    /// Each group of visible posts, or of standalone pages, that are
    /// translations of each other.
    pub fn translation_groups(&self) -> impl Iterator<Item = Vec<Listing>> + '_ {
        let posts = self.translations.values().map(|group| (group, false));
        let pages = self.page_translations.values().map(|group| (group, true));
        posts.chain(pages).map(|(group, page)| {
            let listing = |&p: &u32| self.listing_or_page(page, p as usize);
            group.iter().map(listing).collect()
        })
    }

    /// Post `i`, or page `i` when `page`.
    fn listing_or_page(&self, page: bool, i: usize) -> Listing {
        match page {
            true => self.pages[i].clone(),
            false => self.listings.get(i),
        }
    }

    pub fn get(&self, slug: &str) -> Option<Listing> {
        self.position(slug).map(|i| self.listings.get(i))
    }

    /// Where the visible post `slug` is in `listings`.
    pub fn position(&self, slug: &str) -> Option<usize> {
        self.positions.get(slug, |i| self.listings.slug(i))
    }

    /// The visible post, page or section whose address is `path`
    /// (decoded, canonical).
    pub fn at(&self, path: &str) -> Option<Listing> {
        match self.post_at(path) {
            Some(i) => Some(self.listings.get(i)),
            None => self.page_at(path).cloned(),
        }
    }

    /// Whether a visible post, page or section is at `path`, without
    /// decoding it.
    pub fn serves(&self, path: &str) -> bool {
        self.post_at(path).is_some() || self.page_at(path).is_some()
    }

    /// The section at `path`, if one is there (sections are among the
    /// pages, never the posts).
    pub fn section_at(&self, path: &str) -> Option<&Listing> {
        self.page_at(path).filter(|l| l.kind == Kind::Section)
    }

    fn post_at(&self, path: &str) -> Option<usize> {
        self.addresses.get(path, |i| address(self.listings.url(i)))
    }

    fn page_at(&self, path: &str) -> Option<&Listing> {
        let page = self
            .page_addresses
            .get(path, |i| address(&self.pages[i].summary.url));
        page.map(|i| &self.pages[i])
    }

    /// A visible post, page or section by key.
    pub fn find(&self, key: &str) -> Option<Listing> {
        let page = || self.page_keys.get(key, |i| slug_of(&self.pages, i));
        self.get(key)
            .or_else(|| page().map(|i| self.pages[i].clone()))
    }
}

/// The top-level sections that have posts but no `_index.md`: as in
/// Hugo, a folder at the top of `content/` is a section by itself (deeper
/// folders only with an `_index.md`). Titled after the folder.
fn implicit_sections(posts: &Packed, pages: &[Listing]) -> Vec<Listing> {
    let described: std::collections::HashSet<&str> = pages
        .iter()
        .filter(|l| l.kind == Kind::Section)
        .map(|l| l.summary.slug.trim_end_matches("/_index"))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..posts.len() {
        if let Some((top, _)) = posts.slug(i).split_once('/')
            && !described.contains(top)
        {
            seen.insert(top.to_string());
        }
    }
    seen.into_iter()
        .map(|path| section_listing(&path))
        .collect()
}

/// The listing of a section known only from its posts.
fn section_listing(path: &str) -> Listing {
    let mut title = path.replace('-', " ");
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + &title[1..];
    }
    Listing {
        kind: Kind::Section,
        ..Listing::public(crate::model::PostSummary {
            slug: format!("{path}/_index"),
            url: crate::urls::section(path),
            title,
            date: crate::content::UNDATED,
            updated: None,
            category: String::new(),
            tags: Vec::new(),
            description: String::new(),
            reading_minutes: 0,
            authors: Vec::new(),
        })
    }
}

/// The posts (or standalone pages) by translation key, gathered one at a
/// time ([`Translations::add`]); sections have none.
#[derive(Default)]
struct Translations(HashMap<String, Positions>);

impl Translations {
    fn of(listings: &[Listing]) -> Self {
        let mut translations = Self::default();
        for (i, listing) in listings.iter().enumerate() {
            translations.add(i as u32, listing);
        }
        translations
    }

    fn add(&mut self, i: u32, listing: &Listing) {
        let key = &listing.translation;
        if key.is_empty() || listing.kind == Kind::Section {
            return;
        }
        match self.0.get_mut(key) {
            Some(group) => group.push(i),
            None => drop(self.0.insert(key.clone(), vec![i])),
        }
    }

    /// The groups two or more share.
    fn groups(mut self) -> HashMap<String, Positions> {
        self.0.retain(|_, posts| posts.len() > 1);
        self.0.shrink_to_fit();
        self.0
    }
}

fn slug_of(listings: &[Listing], i: usize) -> &str {
    &listings[i].summary.slug
}

/// Key → position, for the `len` keys `key_of` gives.
fn key_index<'a>(len: usize, key_of: impl Fn(usize) -> &'a str) -> KeyIndex {
    KeyIndex::of((0..len).map(|i| (i, key_of(i))), &key_of)
}

/// The address `url` (percent-encoded) names, decoded.
fn address(url: &str) -> std::borrow::Cow<'_, str> {
    if url.contains('%') {
        crate::urls::permalink::decode(url).into()
    } else {
        url.into()
    }
}

/// Address (decoded) → position, for the `len` addresses (percent-encoded)
/// `url_of` gives. Two documents at one address (`quire check` reports
/// it): the first (the newest post) is served there. The index's own `/`
/// is never a document's.
fn address_index<'a>(len: usize, url_of: impl Fn(usize) -> &'a str) -> KeyIndex {
    let address_of = |i| address(url_of(i));
    let addresses = (0..len).map(|i| (i, address_of(i)));
    KeyIndex::of(addresses.filter(|(_, url)| url != "/"), address_of)
}

/// The one owner of "what is visible now": content changes mark the
/// snapshot stale ([`Catalog::invalidate`]), and so does time, when the
/// next `publish_at` passes. The latter also moves the schedule epoch,
/// which the page cache follows to drop its listings.
#[derive(Default)]
pub struct Catalog {
    generation: AtomicU64,
    schedule_epoch: AtomicU64,
    current: RwLock<Option<Arc<Snapshot>>>,
    /// Held while a snapshot is built: one build at a time, which the
    /// other readers wait for and share (at 100,000 posts each build is a
    /// second of work and tens of MB; fifty connections must not start
    /// fifty).
    building: Mutex<()>,
}

impl Catalog {
    /// The current snapshot, rebuilt first when content changed or a
    /// scheduled post came due.
    pub fn snapshot(&self, store: &Store, show_drafts: bool) -> Result<Arc<Snapshot>, StoreError> {
        if let Some(snapshot) = self.current_if_fresh() {
            return Ok(snapshot);
        }
        let _building = self.building.lock().unwrap_or_else(|e| e.into_inner());
        // Another reader may have built it while this one waited.
        if let Some(snapshot) = self.current_if_fresh() {
            return Ok(snapshot);
        }
        let now = Utc::now();
        let generation = self.generation.load(Ordering::Acquire);
        if let Some(snapshot) = self.read()
            && snapshot.valid_until.is_some_and(|until| now >= until)
        {
            self.schedule_epoch.fetch_add(1, Ordering::AcqRel);
        }
        let epoch = self.schedule_epoch.load(Ordering::Acquire);
        let snapshot = Arc::new(build(store, show_drafts, now, generation, epoch)?);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(snapshot.clone());
        Ok(snapshot)
    }

    /// The current snapshot, unless content changed or a scheduled post
    /// came due since it was built.
    fn current_if_fresh(&self) -> Option<Arc<Snapshot>> {
        let generation = self.generation.load(Ordering::Acquire);
        let snapshot = self.read()?;
        let came_due = snapshot
            .valid_until
            .is_some_and(|until| Utc::now() >= until);
        (snapshot.generation == generation && !came_due).then_some(snapshot)
    }

    /// Takes `snapshot`, built ahead ([`Snapshot::build`], on another
    /// thread while the start-up sync ran), as the current one, unless a
    /// snapshot is already held or content changed since this catalog was
    /// made: the caller vouches the store still holds what it was built
    /// from. Returns whether it was taken.
    pub fn offer(&self, snapshot: Snapshot) -> bool {
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        let fresh = self.generation.load(Ordering::Acquire) == snapshot.generation;
        if current.is_some() || !fresh {
            return false;
        }
        *current = Some(Arc::new(snapshot));
        true
    }

    /// Marks the snapshot stale; the next query rebuilds it.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    fn read(&self) -> Option<Arc<Snapshot>> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

fn build(
    store: &Store,
    show_drafts: bool,
    now: DateTime<Utc>,
    generation: u64,
    schedule_epoch: u64,
) -> Result<Snapshot, StoreError> {
    let mut posts = Packed::default();
    let mut dates = Vec::new();
    let mut pages = Vec::new();
    let valid_until = store.visit_catalog(now, show_drafts, |listing| {
        if listing.kind == Kind::Post {
            dates.push(listing.summary.date);
            posts.push(&listing);
        } else {
            pages.push(listing);
        }
    })?;
    // The dates tree's order: `date \0 slug`, descending.
    let mut order: Vec<u32> = (0..posts.len() as u32).collect();
    let key = |i: u32| (dates[i as usize], posts.slug(i as usize));
    order.sort_unstable_by(|&a, &b| key(b).cmp(&key(a)));
    pages.sort_unstable_by(|a, b| {
        (b.summary.date, &b.summary.slug).cmp(&(a.summary.date, &a.summary.slug))
    });
    Ok(Snapshot {
        generation,
        schedule_epoch,
        valid_until,
        ..Snapshot::of(posts.reordered(&order), pages)
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::content::{RenderOptions, parse_document};

    /// A store holding `files` (path, Markdown), each parsed as ingest does.
    fn store_of(files: impl IntoIterator<Item = (String, String)>) -> Store {
        let store = Store::temporary().unwrap();
        for (path, text) in files {
            let (doc, _) =
                parse_document(Path::new(&path), &text, &RenderOptions::default()).unwrap();
            store.upsert(&doc, &path).unwrap();
        }
        store
    }

    fn store_with(count: usize) -> Store {
        store_of((0..count).map(|i| {
            let text = format!("+++\ntitle = \"Post {i}\"\ndate = 2026-01-01\n+++\n\nBody.\n");
            (format!("post-{i}.md"), text)
        }))
    }

    /// A snapshot built from the store one post at a time holds what one
    /// built from the sorted listings holds, in the same order: posts
    /// newest first (then by key, descending), pages apart.
    #[test]
    fn a_snapshot_packed_as_the_store_is_read_is_in_date_order() {
        let days = [
            "2026-01-02",
            "2025-05-01",
            "2026-01-02",
            "2027-03-04",
            "2024-12-31",
        ];
        let store = store_of(days.iter().enumerate().map(|(i, day)| {
            let page = if i == 2 { "page = true\n" } else { "" };
            let text = format!("+++\ntitle = \"P{i}\"\ndate = {day}\n{page}+++\n\nBody.\n");
            (format!("notes/p{i}.md"), text)
        }));
        let built = Snapshot::build(&store, false).unwrap();
        let (listings, _) = store.catalog_listings(Utc::now(), false).unwrap();
        let sorted = Snapshot::from_listings(listings);
        let slugs = |s: &Snapshot| {
            s.listings
                .iter()
                .map(|l| l.summary.slug)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            slugs(&built),
            ["notes/p3", "notes/p0", "notes/p1", "notes/p4"]
        );
        assert_eq!(slugs(&built), slugs(&sorted));
        assert_eq!(built.pages, sorted.pages);
        assert_eq!(built.find("notes/p2").unwrap().kind, Kind::Page);
        assert_eq!(built.position("notes/p1"), Some(2));
        assert!(built.section_at("/notes").is_some(), "a folder of posts");
    }

    /// A snapshot built ahead is served as it is by a new catalog, but
    /// never by one whose content changed since (it may lack the change).
    #[test]
    fn a_snapshot_built_ahead_is_taken_only_while_nothing_changed() {
        let store = store_with(3);
        let catalog = Catalog::default();
        assert!(catalog.offer(Snapshot::build(&store, false).unwrap()));
        assert_eq!(catalog.snapshot(&store, false).unwrap().listings.len(), 3);
        assert!(
            !catalog.offer(Snapshot::build(&store, false).unwrap()),
            "one is held"
        );
        let changed = Catalog::default();
        changed.invalidate();
        assert!(!changed.offer(Snapshot::build(&store, false).unwrap()));
    }

    /// Readers arriving while the catalog is stale share one build: each
    /// building its own cost a build's time and memory per connection.
    /// Fails on the code before the build lock (every thread built its own).
    #[test]
    fn readers_of_a_stale_catalog_share_one_build() {
        let store = store_with(300);
        let catalog = Catalog::default();
        catalog.snapshot(&store, false).unwrap();
        catalog.invalidate();
        let start = std::sync::Barrier::new(8);
        let snapshots: Vec<Arc<Snapshot>> = std::thread::scope(|scope| {
            let readers: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        catalog.snapshot(&store, false).unwrap()
                    })
                })
                .collect();
            readers.into_iter().map(|r| r.join().unwrap()).collect()
        });
        assert!(snapshots.iter().all(|s| Arc::ptr_eq(s, &snapshots[0])));
        assert_eq!(snapshots[0].listings.len(), 300);
        assert!(snapshots[0].get("post-7").is_some() && snapshots[0].find("post-7").is_some());
    }
}
