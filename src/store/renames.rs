//! Renamed posts keep their old URL: when a post's file or folder is
//! renamed, `/blog/<old>` becomes a permanent redirect to `/blog/<new>`. (A
//! front-matter `slug` change keeps its file and is handled by
//! [`Store::upsert`].)
//!
//! A rename reaches the store as a removal and an addition: in one sync (a
//! start-up after a rename while stopped, a folder moved) or in two (the
//! watcher's batches, for editors that write the new file and then delete
//! the old one, or the other way round). Each side is written down in the
//! `moves` tree for [`WINDOW`]; when the other side comes in time and is
//! the same post, the old slug is stored as an alias of the new one. It
//! lasts, restarts included, until a post takes that slug again (a real post
//! always wins over a redirect).
//!
//! The same post means the same source bytes (content hash), or, for a
//! post renamed and edited at once, the same title and date when exactly
//! one candidate has them. Nothing else is guessed: two posts with
//! the same title and date in the window redirect neither.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{Store, StoreError, Trees};
use crate::model::Date;
use crate::urls::permalink::key;

/// How long one side of a rename waits for the other.
pub const WINDOW: Duration = Duration::from_secs(10 * 60);

/// A post that went or came, as far as telling renames apart needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    pub slug: String,
    /// Its address (decoded), where a redirect must come from or go to.
    pub url: String,
    /// The source's content hash (see `sync::content_hash`).
    pub hash: String,
    pub title: String,
    pub date: Date,
    /// Seconds since the Unix epoch when it was seen.
    pub at: u64,
}

impl Trace {
    pub fn new(slug: String, url: String, hash: String, title: String, date: Date) -> Self {
        Self {
            slug,
            url,
            hash,
            title,
            date,
            at: now(),
        }
    }
}

/// The two sides of a rename, as key prefixes in the `moves` tree.
const GONE: &str = "gone/";
const CAME: &str = "came/";

impl Store {
    /// `gone`'s source was removed. If the same post came recently under
    /// another slug, redirects the old slug to it and returns the new slug;
    /// else remembers `gone` for a later arrival.
    pub fn post_gone(&self, gone: &Trace) -> Result<Option<String>, StoreError> {
        self.write(|trees| trees.post_gone(gone))
    }

    /// `came` was added from a new source. If the same post went recently
    /// under another slug, redirects that slug here and returns it; else,
    /// when `remember` (the removal may come in a later sync), remembers
    /// `came`. A full sync does not remember: it saw every removal first.
    pub fn post_came(&self, came: &Trace, remember: bool) -> Result<Option<String>, StoreError> {
        self.write(|trees| trees.post_came(came, remember))
    }
}

impl Trees {
    fn post_gone(&self, gone: &Trace) -> Result<Option<String>, StoreError> {
        if let Some(came) = self.take_twin(CAME, gone)?
            && self.posts.contains_key(&came.slug)?
        {
            return self.redirect(gone, &came);
        }
        self.remember(GONE, gone)?;
        Ok(None)
    }

    fn post_came(&self, came: &Trace, remember: bool) -> Result<Option<String>, StoreError> {
        if let Some(gone) = self.take_twin(GONE, came)? {
            return Ok(self.redirect(&gone, came)?.map(|_| gone.slug));
        }
        if remember {
            self.remember(CAME, came)?;
        }
        Ok(None)
    }

    fn moves(&self) -> Result<sled::Tree, StoreError> {
        Ok(self.db.open_tree("moves")?)
    }

    fn remember(&self, side: &str, trace: &Trace) -> Result<(), StoreError> {
        let key = format!("{side}{:020}/{}", trace.at, trace.slug);
        self.moves()?.insert(key, serde_json::to_vec(trace)?)?;
        Ok(())
    }

    /// Removes and returns the newest `side` record of the same post as
    /// `trace`, dropping expired ones on the way.
    fn take_twin(&self, side: &str, trace: &Trace) -> Result<Option<Trace>, StoreError> {
        let moves = self.moves()?;
        let mut same_bytes = None;
        let mut same_title = Vec::new();
        for entry in moves.scan_prefix(side).rev() {
            let (key, value) = entry?;
            let other = serde_json::from_slice::<Trace>(&value).ok();
            let Some(other) = other.filter(|o| now().saturating_sub(o.at) <= WINDOW.as_secs())
            else {
                moves.remove(&key)?;
                continue;
            };
            if other.hash == trace.hash {
                same_bytes = Some((key, other));
                break;
            }
            if other.title == trace.title && other.date == trace.date {
                same_title.push((key, other));
            }
        }
        let twin = same_bytes.or_else(|| match same_title.len() {
            1 => same_title.pop(),
            _ => None,
        });
        let Some((key, twin)) = twin else {
            return Ok(None);
        };
        moves.remove(key)?;
        Ok(Some(twin))
    }

    /// Stores `from`'s address as a redirect to `to`, and points the older
    /// URLs that led to `from` straight at `to` (one hop, never a chain to
    /// a post that is gone). Returns `to`'s key, or `None` when nothing moved.
    fn redirect(&self, from: &Trace, to: &Trace) -> Result<Option<String>, StoreError> {
        if from.slug == to.slug && from.url == to.url {
            return Ok(None);
        }
        let own = key(&to.url).as_bytes();
        for entry in self.aliases.iter() {
            let (key, slug) = entry?;
            if slug == from.slug.as_bytes() && key != own {
                self.aliases.insert(key, to.slug.as_bytes())?;
            }
        }
        // A post is served there; an alias of it would only be a loop.
        self.aliases.remove(own)?;
        if key(&from.url) != key(&to.url) {
            self.aliases
                .insert(key(&from.url).as_bytes(), to.slug.as_bytes())?;
        }
        tracing::info!(from = %from.url, to = %to.url, "a renamed post keeps its old URL as a redirect");
        Ok(Some(to.slug.clone()))
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trace(slug: &str, hash: &str, title: &str) -> Trace {
        Trace::new(
            slug.into(),
            format!("/blog/{slug}"),
            hash.into(),
            title.into(),
            Date::new(2026, 1, 1).unwrap(),
        )
    }

    fn store_with(slug: &str) -> Store {
        let store = Store::temporary().unwrap();
        store
            .trees()
            .unwrap()
            .posts
            .insert(slug, b"doc".as_slice())
            .unwrap();
        store
    }

    #[test]
    fn removal_then_addition_of_the_same_bytes_redirects() {
        let store = store_with("b");
        assert_eq!(store.post_gone(&trace("a", "h1", "A")).unwrap(), None);
        assert_eq!(
            store.post_came(&trace("b", "h1", "B"), true).unwrap(),
            Some("a".into())
        );
        assert_eq!(store.alias("/blog/a").unwrap().as_deref(), Some("b"));
        // The record is used up: a second copy is not another rename.
        assert_eq!(store.post_came(&trace("c", "h1", "C"), true).unwrap(), None);
    }

    #[test]
    fn addition_then_removal_redirects_to_a_live_post_only() {
        let store = store_with("b");
        assert_eq!(store.post_came(&trace("b", "h1", "T"), true).unwrap(), None);
        assert_eq!(
            store.post_came(&trace("gone", "h2", "T"), true).unwrap(),
            None
        );
        assert_eq!(
            store.post_gone(&trace("a", "h1", "T")).unwrap(),
            Some("b".into())
        );
        // `gone` has the same title and date, but it is not stored.
        assert_eq!(store.post_gone(&trace("z", "h2", "T")).unwrap(), None);
        assert_eq!(store.alias("/blog/z").unwrap(), None);
    }

    #[test]
    fn title_and_date_match_only_when_unambiguous() {
        let store = store_with("new");
        store.post_gone(&trace("one", "h1", "Same")).unwrap();
        store.post_gone(&trace("two", "h2", "Same")).unwrap();
        assert_eq!(
            store.post_came(&trace("new", "h3", "Same"), true).unwrap(),
            None
        );
        store.post_gone(&trace("three", "h4", "Other")).unwrap();
        assert_eq!(
            store.post_came(&trace("new", "h5", "Other"), true).unwrap(),
            Some("three".into())
        );
    }

    #[test]
    fn expired_records_are_dropped() {
        let store = store_with("b");
        let mut old = trace("a", "h1", "A");
        old.at -= WINDOW.as_secs() + 1;
        store.post_gone(&old).unwrap();
        assert_eq!(store.post_came(&trace("b", "h1", "B"), true).unwrap(), None);
        assert_eq!(
            store.trees().unwrap().moves().unwrap().len(),
            1,
            "only the new arrival"
        );
    }

    #[test]
    fn older_urls_follow_the_post_in_one_hop() {
        let store = store_with("three");
        store
            .trees()
            .unwrap()
            .redirect(&trace("one", "h", "T"), &trace("two", "h", "T"))
            .unwrap();
        store
            .trees()
            .unwrap()
            .redirect(&trace("two", "h", "T"), &trace("three", "h", "T"))
            .unwrap();
        assert_eq!(store.alias("/blog/one").unwrap().as_deref(), Some("three"));
        assert_eq!(store.alias("/blog/two").unwrap().as_deref(), Some("three"));
        // Renamed back: the new slug's own URL is never an alias of itself.
        store
            .trees()
            .unwrap()
            .redirect(&trace("three", "h", "T"), &trace("two", "h", "T"))
            .unwrap();
        assert_eq!(store.alias("/blog/three").unwrap().as_deref(), Some("two"));
        assert_eq!(store.alias("/blog/two").unwrap(), None);
        assert_eq!(store.alias("/blog/one").unwrap().as_deref(), Some("two"));
    }
}
