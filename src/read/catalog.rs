//! The visible posts, held in memory as one snapshot for every read query.
//!
//! Listing pages, related posts, previous/next links and search results all
//! need "what readers may see now, newest first". Decoding that from sled on
//! each request costs milliseconds at 10,000 posts, so a snapshot is built
//! once and reused until content changes ([`Catalog::invalidate`]) or the
//! next scheduled post comes due.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};

use crate::content::Kind;
use crate::model::Facet;
use crate::store::{self, Listing, Store, StoreError};

use super::positions::Facets;

/// Visible posts, pages and sections at one moment.
pub struct Snapshot {
    /// The posts, newest first.
    pub listings: Vec<Listing>,
    /// Slug → position in `listings`.
    pub positions: HashMap<String, usize>,
    /// Address (decoded) → position in `listings`.
    pub addresses: HashMap<String, usize>,
    /// Standalone pages and sections' own files: found at their address,
    /// never listed.
    pub pages: Vec<Listing>,
    /// Address (decoded) → position in `pages`.
    pub page_addresses: HashMap<String, usize>,
    /// Key → position in `pages`.
    page_keys: HashMap<String, usize>,
    /// Ordered by their most recent post.
    pub categories: Vec<Facet>,
    /// The posts of each category, tag, section, series and author.
    pub facets: Facets,
    generation: u64,
    /// When a scheduled post appears and this snapshot goes stale.
    valid_until: Option<DateTime<Utc>>,
    /// How many times a scheduled post has come due (see [`Catalog`]).
    pub schedule_epoch: u64,
}

impl Snapshot {
    /// A snapshot of `listings` (newest first) that never goes stale by itself.
    pub fn from_listings(listings: Vec<Listing>) -> Self {
        let (listings, mut pages): (Vec<Listing>, Vec<Listing>) =
            listings.into_iter().partition(|l| l.kind == Kind::Post);
        pages.extend(implicit_sections(&listings, &pages));
        let positions = listings
            .iter()
            .enumerate()
            .map(|(i, l)| (l.summary.slug.clone(), i))
            .collect();
        let page_keys = pages
            .iter()
            .enumerate()
            .map(|(i, l)| (l.summary.slug.clone(), i))
            .collect();
        Self {
            addresses: by_address(&listings),
            page_addresses: by_address(&pages),
            page_keys,
            facets: Facets::of(&listings),
            pages,
            categories: store::category_facets(&listings),
            positions,
            listings,
            generation: 0,
            valid_until: None,
            schedule_epoch: 0,
        }
    }

    pub fn get(&self, slug: &str) -> Option<&Listing> {
        self.positions.get(slug).map(|&i| &self.listings[i])
    }

    /// The visible post, page or section whose address is `path`
    /// (decoded, canonical).
    pub fn at(&self, path: &str) -> Option<&Listing> {
        let post = self.addresses.get(path).map(|&i| &self.listings[i]);
        post.or_else(|| self.page_addresses.get(path).map(|&i| &self.pages[i]))
    }

    /// A visible post, page or section by key.
    pub fn find(&self, key: &str) -> Option<&Listing> {
        self.get(key)
            .or_else(|| self.page_keys.get(key).map(|&i| &self.pages[i]))
    }
}

/// The top-level sections that have posts but no `_index.md`: as in
/// Hugo, a folder at the top of `content/` is a section by itself (deeper
/// folders only with an `_index.md`). Titled after the folder.
fn implicit_sections(posts: &[Listing], pages: &[Listing]) -> Vec<Listing> {
    let described: std::collections::HashSet<&str> = pages
        .iter()
        .filter(|l| l.kind == Kind::Section)
        .map(|l| l.summary.slug.trim_end_matches("/_index"))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for post in posts {
        if let Some((top, _)) = post.summary.slug.split_once('/')
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

/// Address (decoded) → position. Two documents at one address (`quire
/// check` reports it): the first (the newest post) is served there. The
/// index's own `/` is never a document's.
fn by_address(listings: &[Listing]) -> HashMap<String, usize> {
    let mut addresses = HashMap::with_capacity(listings.len());
    for (i, listing) in listings.iter().enumerate() {
        let url = crate::urls::permalink::decode(&listing.summary.url);
        if url != "/" {
            addresses.entry(url).or_insert(i);
        }
    }
    addresses
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
}

impl Catalog {
    /// The current snapshot, rebuilt first when content changed or a
    /// scheduled post came due.
    pub fn snapshot(&self, store: &Store, show_drafts: bool) -> Result<Arc<Snapshot>, StoreError> {
        let now = Utc::now();
        let generation = self.generation.load(Ordering::Acquire);
        if let Some(snapshot) = self.read() {
            let same_content = snapshot.generation == generation;
            let came_due = snapshot.valid_until.is_some_and(|until| now >= until);
            if same_content && !came_due {
                return Ok(snapshot);
            }
            if came_due {
                self.schedule_epoch.fetch_add(1, Ordering::AcqRel);
            }
        }
        let epoch = self.schedule_epoch.load(Ordering::Acquire);
        let snapshot = Arc::new(build(store, show_drafts, now, generation, epoch)?);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(snapshot.clone());
        Ok(snapshot)
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
    let listings = store.visible_listings(now, show_drafts)?;
    Ok(Snapshot {
        generation,
        schedule_epoch,
        valid_until: store.next_scheduled(now)?,
        ..Snapshot::from_listings(listings)
    })
}
