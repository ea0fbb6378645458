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
use crate::store::{Listing, Store, StoreError, Visit};
use crate::urls::permalink;

use super::keys::KeyIndex;
use super::packed::Packed;
use super::positions::{Editions, Facets, Positions};

mod patch;

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
    /// How many of `pages` are documents; the rest are implicit
    /// sections, made from the posts' folders.
    own_pages: usize,
    generation: u64,
    /// The store's listing mark when this was read ([`Store::listing_mark`]):
    /// the next snapshot reads only what was written since ([`patch`]).
    mark: u64,
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
        let own_pages = pages.len();
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
            own_pages,
            generation: 0,
            mark: 0,
            valid_until: None,
            schedule_epoch: 0,
        }
    }

    /// The snapshot of what `store` holds now, for a new [`Catalog`]
    /// ([`Catalog::offer`]).
    pub fn build(store: &Store, show_drafts: bool) -> Result<Self, StoreError> {
        let mark = store.listing_mark();
        Ok(Self {
            mark,
            ..build(store, show_drafts, Utc::now())?
        })
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
    /// (decoded, canonical), with or without its trailing slash.
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
        let path = permalink::key(path);
        self.addresses.get(path, |i| address(self.listings.url(i)))
    }

    fn page_at(&self, path: &str) -> Option<&Listing> {
        let path = permalink::key(path);
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

/// The address `url` (percent-encoded) names, decoded, as it is found
/// ([`permalink::key`]: without its trailing slash).
fn address(url: &str) -> std::borrow::Cow<'_, str> {
    if url.contains('%') {
        permalink::key(&permalink::decode(url)).to_string().into()
    } else {
        permalink::key(url).into()
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
        let generation = self.generation.load(Ordering::Acquire);
        let snapshot = Arc::new(self.next(store, show_drafts, generation)?);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(snapshot.clone());
        Ok(snapshot)
    }

    /// After content changed: the next snapshot, built while readers go on
    /// with the current one, which it then replaces. Unlike
    /// [`Catalog::invalidate`], no reader waits for the build (seconds at
    /// 1,000,000 posts). Not taken if the catalog was invalidated meanwhile.
    pub fn refresh(&self, store: &Store, show_drafts: bool) -> Result<Arc<Snapshot>, StoreError> {
        let _building = self.building.lock().unwrap_or_else(|e| e.into_inner());
        let generation = self.generation.load(Ordering::Acquire);
        let snapshot = Arc::new(self.next(store, show_drafts, generation + 1)?);
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        let (ordering, failure) = (Ordering::AcqRel, Ordering::Acquire);
        let unchanged =
            self.generation
                .compare_exchange(generation, generation + 1, ordering, failure);
        if unchanged.is_ok() {
            *current = Some(snapshot.clone());
        }
        Ok(snapshot)
    }

    /// The snapshot to follow the current one: the current one patched
    /// with the listings written since it was read, when the store still
    /// knows which ([`patch`]); else every listing read again. A scheduled
    /// post that came due moves the schedule epoch, and reads everything.
    fn next(
        &self,
        store: &Store,
        show_drafts: bool,
        generation: u64,
    ) -> Result<Snapshot, StoreError> {
        let now = Utc::now();
        let held = self.read();
        let came_due = held
            .as_ref()
            .is_some_and(|s| s.valid_until.is_some_and(|until| now >= until));
        if came_due {
            self.schedule_epoch.fetch_add(1, Ordering::AcqRel);
        }
        let epoch = self.schedule_epoch.load(Ordering::Acquire);
        let mark = store.listing_mark();
        let patchable = held.filter(|_| !came_due);
        let written =
            patchable.and_then(|old| Some((store.listings_written_since(old.mark)?, old)));
        let snapshot = match written {
            Some((changed, old)) => patch::patched(&old, store, &changed, show_drafts, now)?,
            None => build(store, show_drafts, now)?,
        };
        Ok(Snapshot {
            generation,
            schedule_epoch: epoch,
            mark,
            ..snapshot
        })
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

/// The snapshot of every visible listing in `store` (generation, mark
/// and epoch left for the caller to set).
fn build(store: &Store, show_drafts: bool, now: DateTime<Utc>) -> Result<Snapshot, StoreError> {
    let mut posts = Packed::default();
    let mut dates = Vec::new();
    let mut pages = Vec::new();
    let valid_until = store.visit_catalog(Visit::All, now, show_drafts, |listing| {
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
    newest_first(&mut pages);
    Ok(Snapshot {
        valid_until,
        ..Snapshot::of(posts.reordered(&order), pages)
    })
}

/// Sorts `listings` as the store's dates tree is: date, then key,
/// descending.
fn newest_first(listings: &mut [Listing]) {
    listings.sort_unstable_by(|a, b| {
        (b.summary.date, &b.summary.slug).cmp(&(a.summary.date, &a.summary.slug))
    });
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

    /// Parses `text` as ingest does and stores it as the file `path`.
    fn put(store: &Store, path: &str, text: &str) {
        let (doc, _) = parse_document(Path::new(path), text, &RenderOptions::default()).unwrap();
        store.upsert(&doc, path).unwrap();
    }

    fn post(title: &str, date: &str, extra: &str) -> String {
        format!("+++\ntitle = \"{title}\"\ndate = {date}\n{extra}+++\n\nBody.\n")
    }

    /// What a reader can tell two snapshots apart by: the posts in order,
    /// the pages and sections, when it goes stale.
    fn contents(snapshot: &Snapshot) -> (Vec<Listing>, Vec<Listing>, usize) {
        let posts = snapshot.listings.iter().collect();
        (posts, snapshot.pages.clone(), snapshot.own_pages)
    }

    /// After posts are added, edited (a new date, a new slug, a draft, now
    /// a page), removed, and pages and a new folder come and go, the
    /// refreshed snapshot (the old one patched with the listings written
    /// since) holds what a snapshot read from every listing holds.
    #[test]
    fn a_refreshed_snapshot_holds_what_a_full_read_does() {
        let store = store_of((0..12).map(|i| {
            let folder = ["notes", "blog", "misc"][i % 3];
            let day = 1 + i;
            (
                format!("{folder}/p{i}.md"),
                post(&format!("P{i}"), &format!("2026-01-{day:02}"), ""),
            )
        }));
        put(
            &store,
            "about.md",
            &post("About", "2025-01-01", "page = true\n"),
        );
        put(&store, "blog/_index.md", "+++\ntitle = \"The blog\"\n+++\n");
        let catalog = Catalog::default();
        let before = catalog.snapshot(&store, false).unwrap();
        put(&store, "notes/p0.md", &post("P0 moved", "2026-02-01", ""));
        put(
            &store,
            "blog/p1.md",
            &post("P1", "2026-01-02", "slug = \"renamed\"\n"),
        );
        put(
            &store,
            "misc/p2.md",
            &post("P2", "2026-01-03", "draft = true\n"),
        );
        put(
            &store,
            "notes/p3.md",
            &post("P3", "2026-01-04", "page = true\n"),
        );
        put(&store, "fresh/new.md", &post("New", "2026-01-05", ""));
        put(
            &store,
            "colophon.md",
            &post("Colophon", "2025-01-02", "page = true\n"),
        );
        for gone in ["misc/p5.md", "about.md", "blog/_index.md"] {
            store.remove_source(Path::new(gone)).unwrap();
        }
        let written = store.listings_written_since(before.mark).unwrap();
        assert!(written.len() < 12, "only what changed is read: {written:?}");
        let refreshed = catalog.refresh(&store, false).unwrap();
        assert!(Arc::ptr_eq(
            &refreshed,
            &catalog.snapshot(&store, false).unwrap()
        ));
        let built = Snapshot::build(&store, false).unwrap();
        assert_eq!(contents(&refreshed), contents(&built));
        assert_eq!(refreshed.valid_until, built.valid_until);
        assert!(refreshed.find("fresh/new").is_some() && refreshed.section_at("/fresh").is_some());
        assert!(refreshed.get("misc/p2").is_none() && refreshed.get("misc/p5").is_none());
        assert_eq!(
            refreshed.listings.slug(0),
            "notes/p0",
            "moved to the top by its date"
        );
    }

    /// A refresh patches the snapshot with what was written since it was
    /// read: a post only the old snapshot held (planted here) is still
    /// there, which a read of every listing would have dropped. A store
    /// that cannot say what changed (a reopen after a failed write) is
    /// read whole instead.
    #[test]
    fn a_refresh_patches_the_snapshot_unless_the_store_cannot_say_what_changed() {
        let store = store_with(3);
        let catalog = Catalog::default();
        let first = catalog.snapshot(&store, false).unwrap();
        let unchanged = catalog.refresh(&store, false).unwrap();
        assert_eq!(contents(&unchanged), contents(&first));
        let mut ghost = store.listing("post-1").unwrap().unwrap();
        ghost.summary.slug = "ghost".into();
        ghost.summary.url = "/blog/ghost".into();
        let planted = |mark| Snapshot {
            mark,
            ..Snapshot::from_listings(vec![ghost.clone()])
        };
        let install = |snapshot| *catalog.current.write().unwrap() = Some(Arc::new(snapshot));
        install(planted(store.listing_mark()));
        put(&store, "post-9.md", &post("Nine", "2026-03-01", ""));
        let patched = catalog.refresh(&store, false).unwrap();
        let slugs: Vec<_> = patched.listings.iter().map(|l| l.summary.slug).collect();
        assert_eq!(slugs, ["post-9", "ghost"]);
        install(planted(u64::MAX));
        let read_whole = catalog.refresh(&store, false).unwrap();
        assert_eq!(read_whole.listings.len(), 4);
        assert!(read_whole.get("ghost").is_none());
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
