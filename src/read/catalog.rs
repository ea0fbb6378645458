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

use crate::model::Facet;
use crate::store::{self, Listing, Store, StoreError};

/// Visible posts at one moment.
pub struct Snapshot {
    /// Newest first.
    pub listings: Vec<Listing>,
    /// Slug → position in `listings`.
    pub positions: HashMap<String, usize>,
    /// Ordered by their most recent post.
    pub categories: Vec<Facet>,
    generation: u64,
    /// When a scheduled post appears and this snapshot goes stale.
    valid_until: Option<DateTime<Utc>>,
}

impl Snapshot {
    /// A snapshot of `listings` (newest first) that never goes stale by itself.
    pub fn from_listings(listings: Vec<Listing>) -> Self {
        let positions = listings
            .iter()
            .enumerate()
            .map(|(i, l)| (l.summary.slug.clone(), i))
            .collect();
        Self {
            categories: store::category_facets(&listings),
            positions,
            listings,
            generation: 0,
            valid_until: None,
        }
    }

    pub fn get(&self, slug: &str) -> Option<&Listing> {
        self.positions.get(slug).map(|&i| &self.listings[i])
    }
}

#[derive(Default)]
pub struct Catalog {
    generation: AtomicU64,
    current: RwLock<Option<Arc<Snapshot>>>,
}

impl Catalog {
    /// The current snapshot, rebuilt first when content changed or a
    /// scheduled post came due.
    pub fn snapshot(&self, store: &Store, show_drafts: bool) -> Result<Arc<Snapshot>, StoreError> {
        let now = Utc::now();
        let generation = self.generation.load(Ordering::Acquire);
        if let Some(snapshot) = self.read() {
            let fresh = snapshot.generation == generation
                && snapshot.valid_until.is_none_or(|until| now < until);
            if fresh {
                return Ok(snapshot);
            }
        }
        let snapshot = Arc::new(build(store, show_drafts, now, generation)?);
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
) -> Result<Snapshot, StoreError> {
    let listings = store.visible_listings(now, show_drafts)?;
    Ok(Snapshot {
        generation,
        valid_until: store.next_scheduled(now)?,
        ..Snapshot::from_listings(listings)
    })
}
