//! Writing the store: a post in, a post out, each one transaction over
//! every tree (and the post count), so a post's records and index entries
//! change together.

use std::path::Path;

use sled::Transactional;
use sled::transaction::ConflictableTransactionError;

use super::records::{Listing, SourceRecord, alias_key, date_key, encode_document, source_key};
use super::{Store, StoreError};
use crate::content::Document;
use crate::urls::permalink::key;

/// A document's records as stored, encoded ahead of the write: a sync
/// encodes (serializes and deflates) on the parse threads, in parallel,
/// leaving only the transaction to the one writer.
pub struct Encoded {
    doc: Vec<u8>,
    listing: Vec<u8>,
    /// The post's local images, when it has any.
    images: Option<Vec<u8>>,
}

impl Encoded {
    pub fn of(doc: &Document) -> Result<Self, StoreError> {
        let images = match doc.images.is_empty() {
            true => None,
            false => Some(serde_json::to_vec(&doc.images)?),
        };
        Ok(Self {
            doc: encode_document(doc)?,
            listing: serde_json::to_vec(&Listing::of(doc))?,
            images,
        })
    }
}

/// The post count inside a transaction, moved by `delta`.
fn count_by(
    meta: &sled::transaction::TransactionalTree,
    delta: i64,
) -> Result<(), ConflictableTransactionError<StoreError>> {
    if delta != 0 {
        let count = super::decode_count(meta.get(super::COUNT_KEY)?.as_deref());
        let count = count.saturating_add_signed(delta);
        meta.insert(super::COUNT_KEY, &count.to_be_bytes())?;
    }
    Ok(())
}

impl Store {
    /// Inserts or replaces the post from `doc.source`, in one transaction:
    /// the old version's index entries go, the new ones arrive together.
    pub fn upsert(&self, doc: &Document, hash: &str) -> Result<(), StoreError> {
        self.upsert_encoded(doc, &Encoded::of(doc)?, hash)
    }

    /// [`Store::upsert`] of a document already encoded.
    pub fn upsert_encoded(
        &self,
        doc: &Document,
        encoded: &Encoded,
        hash: &str,
    ) -> Result<(), StoreError> {
        let previous = self.source(&doc.source)?;
        let old_doc = match &previous {
            Some(record) => self.post(&record.slug)?,
            None => None,
        };
        let (doc_bytes, listing_bytes) = (&encoded.doc, &encoded.listing);
        let source_bytes = serde_json::to_vec(&SourceRecord {
            hash: hash.to_string(),
            slug: doc.slug.clone(),
        })?;
        let source_key = source_key(&doc.source);
        self.write(|t| {
            let db: &sled::Tree = &t.db;
            let trees = (&t.posts, &t.listings, &t.dates, &t.sources, &t.aliases);
            (trees.0, trees.1, trees.2, trees.3, trees.4, &t.images, db).transaction(
                |(posts, listings, dates, sources, aliases, images, meta)| {
                    let mut delta = 0;
                    if let Some(old) = &old_doc {
                        delta -= i64::from(posts.remove(old.slug.as_bytes())?.is_some());
                        images.remove(old.slug.as_bytes())?;
                        listings.remove(old.slug.as_bytes())?;
                        dates.remove(date_key(old.date, &old.slug))?;
                        for alias in redirected(old) {
                            aliases.remove(alias.as_bytes())?;
                        }
                        if key(&old.url) != key(&doc.url) {
                            // A new slug or permalink: the old address keeps
                            // working as a redirect.
                            aliases.insert(key(&old.url).as_bytes(), doc.slug.as_bytes())?;
                        }
                    }
                    aliases.remove(key(&doc.url).as_bytes())?;
                    let new = posts.insert(doc.slug.as_bytes(), doc_bytes.as_slice())?;
                    count_by(meta, delta + i64::from(new.is_none()))?;
                    if let Some(found) = &encoded.images {
                        images.insert(doc.slug.as_bytes(), found.as_slice())?;
                    }
                    listings.insert(doc.slug.as_bytes(), listing_bytes.as_slice())?;
                    dates.insert(date_key(doc.date, &doc.slug), doc.slug.as_bytes())?;
                    for alias in redirected(doc) {
                        aliases.insert(alias.as_bytes(), doc.slug.as_bytes())?;
                    }
                    let key = source_key.as_bytes();
                    let replaced = sources.insert(key, source_bytes.as_slice())?;
                    let new = Some(source_bytes.as_slice());
                    super::digest::replaced(meta, key, replaced.as_deref(), new)?;
                    Ok::<_, ConflictableTransactionError<StoreError>>(())
                },
            )?;
            Ok(())
        })?;
        let old_slug = old_doc.as_ref().map(|old| old.slug.as_str());
        let written = old_slug.into_iter().filter(|old| *old != doc.slug);
        self.shared
            .journal
            .record(written.chain([doc.slug.as_str()]));
        Ok(())
    }

    /// Removes the post that came from `relative`, if any. Returns its slug.
    pub fn remove_source(&self, relative: &Path) -> Result<Option<String>, StoreError> {
        let Some(record) = self.source(relative)? else {
            return Ok(None);
        };
        let doc = self.post(&record.slug)?;
        let key = source_key(relative);
        self.write(|t| {
            let db: &sled::Tree = &t.db;
            let trees = (&t.posts, &t.listings, &t.dates, &t.sources, &t.aliases);
            (trees.0, trees.1, trees.2, trees.3, trees.4, &t.images, db).transaction(
                |(posts, listings, dates, sources, aliases, images, meta)| {
                    let removed = sources.remove(key.as_bytes())?;
                    super::digest::replaced(meta, key.as_bytes(), removed.as_deref(), None)?;
                    if let Some(doc) = &doc {
                        let gone = posts.remove(doc.slug.as_bytes())?.is_some();
                        count_by(meta, -i64::from(gone))?;
                        images.remove(doc.slug.as_bytes())?;
                        listings.remove(doc.slug.as_bytes())?;
                        dates.remove(date_key(doc.date, &doc.slug))?;
                        for alias in redirected(doc) {
                            aliases.remove(alias.as_bytes())?;
                        }
                    }
                    Ok::<_, ConflictableTransactionError<StoreError>>(())
                },
            )?;
            Ok(())
        })?;
        self.shared.journal.record([record.slug.as_str()]);
        Ok(Some(record.slug))
    }
}

/// The addresses that redirect to `doc` by its own say: its `aliases`
/// and its former URLs, never its own URL. An alias written without a
/// leading `/` is read from the root, as Zola does, and beside the post,
/// as Hugo does (`renamed` on `/2019/04/post` is also `/2019/04/renamed`).
fn redirected(doc: &Document) -> impl Iterator<Item = String> + '_ {
    let own = key(&doc.url);
    let parent = own.rsplit_once('/').map_or("", |(parent, _)| parent);
    let relative = doc
        .aliases
        .iter()
        .filter(|alias| !alias.trim().starts_with('/') && !parent.is_empty())
        .map(move |alias| alias_key(&format!("{parent}/{}", alias.trim())));
    let aliases = doc.aliases.iter().map(|alias| alias_key(alias));
    aliases
        .chain(relative)
        .chain(doc.former_urls.iter().map(|url| key(url).to_string()))
        .filter(move |alias| alias != own)
}
