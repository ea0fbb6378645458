//! Reading the store: one post, one listing, the visible listings newest
//! first, sources and aliases. Every read takes the open database for its
//! own duration ([`Store::trees`]), so a reopen never strands it.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::records::{Listing, SourceRecord, decode_document, source_key};
use super::{Store, StoreError};
use crate::content::Document;
use crate::content::images::LocalImage;

impl Store {
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

    /// The local images of every post that has any (the resized copies
    /// made at start), from their own small tree: no post is decoded.
    pub fn all_images(&self) -> Result<Vec<LocalImage>, StoreError> {
        let mut out = Vec::new();
        for bytes in self.trees()?.images.iter().values() {
            out.extend(serde_json::from_slice::<Vec<LocalImage>>(&bytes?)?);
        }
        Ok(out)
    }

    /// The listing record of `slug`, if stored.
    pub fn listing(&self, slug: &str) -> Result<Option<Listing>, StoreError> {
        self.trees()?
            .listings
            .get(slug)?
            .map(|bytes| serde_json::from_slice(&bytes).map_err(StoreError::from))
            .transpose()
    }

    /// The number of stored posts (pages and sections included), as the
    /// writes keep it: sled's `len` walks a whole tree.
    pub fn post_count(&self) -> usize {
        self.trees()
            .and_then(|t| Ok(t.db.get(super::COUNT_KEY)?))
            .map_or(0, |count| super::decode_count(count.as_deref()) as usize)
    }

    pub fn source(&self, relative: &Path) -> Result<Option<SourceRecord>, StoreError> {
        self.trees()?
            .sources
            .get(source_key(relative))?
            .map(|bytes| serde_json::from_slice(&bytes).map_err(StoreError::from))
            .transpose()
    }

    /// A digest of what the store holds: its format and every source
    /// path with the content hash and slug it was read with. Data derived
    /// from the store (the search index on disk) records the digest it was
    /// built from, and is out of step when the digests differ. Kept by
    /// the writes ([`super::digest`]): one record read, at any size.
    pub fn digest(&self) -> Result<String, StoreError> {
        let sum = self.trees()?.db.get(super::digest::DIGEST_KEY)?;
        Ok(super::digest::Sum::decode(sum.as_deref()).text(super::FORMAT_VERSION))
    }

    /// Whether a post's source, or an image a post shows, is below the
    /// folder `relative` (relative to `content/`): when such a folder
    /// vanishes, the watcher syncs the whole tree. A name no post knows (an
    /// editor's scratch file, vim's `4913`) then costs nothing.
    pub fn knows_files_under(&self, relative: &Path) -> Result<bool, StoreError> {
        let prefix = format!("{}/", source_key(relative).trim_end_matches('/'));
        let t = self.trees()?;
        if t.sources
            .scan_prefix(prefix.as_bytes())
            .next()
            .transpose()?
            .is_some()
        {
            return Ok(true);
        }
        for bytes in t.images.iter().values() {
            let images: Vec<LocalImage> = serde_json::from_slice(&bytes?)?;
            if images.iter().any(|image| image.path.starts_with(relative)) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Every source record, by source key (one walk of the tree).
    pub fn all_sources(&self) -> Result<Vec<(String, SourceRecord)>, StoreError> {
        let mut out = Vec::new();
        for entry in self.trees()?.sources.iter() {
            let (key, bytes) = entry?;
            let record = serde_json::from_slice(&bytes)?;
            out.push((String::from_utf8_lossy(&key).into_owned(), record));
        }
        Ok(out)
    }

    /// Every old URL path that has an alias entry (`quire export` writes
    /// a redirect for each that still leads somewhere).
    pub fn alias_paths(&self) -> Result<Vec<String>, StoreError> {
        self.trees()?
            .aliases
            .iter()
            .keys()
            .map(|key| Ok(String::from_utf8_lossy(&key?).into_owned()))
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

    /// Posts readers may see, newest first (date, then slug, descending).
    pub fn visible_listings(
        &self,
        now: DateTime<Utc>,
        show_drafts: bool,
    ) -> Result<Vec<Listing>, StoreError> {
        Ok(self.catalog_listings(now, show_drafts)?.0)
    }

    /// What the catalog is built from: [`Store::visible_listings`] and
    /// [`Store::next_scheduled`] in one pass over the listing records,
    /// sorted in memory. Walking the dates tree, looking each listing up,
    /// then decoding every listing again for the schedule cost seconds of
    /// each start at 100,000 posts.
    pub fn catalog_listings(
        &self,
        now: DateTime<Utc>,
        show_drafts: bool,
    ) -> Result<(Vec<Listing>, Option<DateTime<Utc>>), StoreError> {
        let mut out = Vec::with_capacity(self.post_count());
        let next = self.visit_catalog(Visit::All, now, show_drafts, |listing| out.push(listing))?;
        // The dates tree's order: `date \0 slug`, descending.
        out.sort_unstable_by(|a, b| {
            (b.summary.date, &b.summary.slug).cmp(&(a.summary.date, &a.summary.slug))
        });
        Ok((out, next))
    }

    /// [`Store::catalog_listings`] one listing at a time, in no order:
    /// `visit` takes each visible listing of `which` as it is decoded (the
    /// catalog packs it at once, rather than holding every post as
    /// structs: hundreds of MB at 1,000,000 posts). Returns the next
    /// scheduled change among them. The one fold of schedule and
    /// visibility over listing records: the catalog's full read and its
    /// patch after an edit both go through it.
    pub fn visit_catalog(
        &self,
        which: Visit<'_>,
        now: DateTime<Utc>,
        show_drafts: bool,
        mut visit: impl FnMut(Listing),
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let mut next: Option<DateTime<Utc>> = None;
        let mut fold = |listing: Listing| {
            if let Some(at) = listing.publication().next_change(now) {
                next = Some(next.map_or(at, |n| n.min(at)));
            }
            if listing.is_visible(now, show_drafts) {
                visit(listing);
            }
        };
        match which {
            Visit::All => {
                for entry in self.trees()?.listings.iter().values() {
                    fold(serde_json::from_slice(&entry?)?);
                }
            }
            Visit::Named(slugs) => {
                for slug in slugs {
                    if let Some(listing) = self.listing(slug)? {
                        fold(listing);
                    }
                }
            }
        }
        Ok(next)
    }

    /// The earliest future `publish_at` or `expires_at`, so the catalog
    /// shows or hides that post on time.
    pub fn next_scheduled(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.visit_catalog(Visit::All, now, false, |_| {})
    }
}

/// Which listing records [`Store::visit_catalog`] reads.
#[derive(Clone, Copy, Debug)]
pub enum Visit<'a> {
    /// Every one (a full read of the catalog).
    All,
    /// Those of these slugs still stored (the catalog's patch after an
    /// edit: the listings written since its last read).
    Named(&'a std::collections::BTreeSet<String>),
}
