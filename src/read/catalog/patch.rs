//! The next snapshot from the current one and the listings written since
//! it was read ([`Store::listings_written_since`]), instead of every
//! listing read again.
//!
//! Why: an edit changes one post, yet reading every listing cost a second
//! at 100,000 posts (ten at 1,000,000), and each page sled read stayed in
//! its cache: one edit took the server from 78 to about 155 MB. Here only
//! the changed listings are read; the rest are copied packed, as they are,
//! and the indexes are made again from memory ([`Snapshot::of`]).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::{Snapshot, newest_first};
use crate::content::Kind;
use crate::read::packed::Packed;
use crate::store::{Listing, Store, StoreError, Visit};

/// `old` with the listings of `changed` as `store` holds them now: gone
/// when removed or no longer visible, in their dates' place when visible.
/// Generation, mark and epoch are left for the caller to set.
pub(super) fn patched(
    old: &Snapshot,
    store: &Store,
    changed: &BTreeSet<String>,
    show_drafts: bool,
    now: DateTime<Utc>,
) -> Result<Snapshot, StoreError> {
    let (mut posts, mut pages) = (Vec::new(), Vec::new());
    let next = store.visit_catalog(
        Visit::Named(changed),
        now,
        show_drafts,
        |listing| match listing.kind {
            Kind::Post => posts.push(listing),
            _ => pages.push(listing),
        },
    )?;
    let valid_until = match (old.valid_until, next) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let own_pages = old.pages[..old.own_pages].iter();
    let kept_pages = own_pages.filter(|page| !changed.contains(&page.summary.slug));
    pages.extend(kept_pages.cloned());
    newest_first(&mut pages);
    Ok(Snapshot {
        valid_until,
        ..Snapshot::of(merged(&old.listings, changed, posts), pages)
    })
}

/// `old`'s posts but those `changed`, with `fresh` merged in where their
/// dates put them. Each fresh post's place is found by a binary search,
/// so only a few of the old posts are decoded.
fn merged(old: &Packed, changed: &BTreeSet<String>, mut fresh: Vec<Listing>) -> Packed {
    newest_first(&mut fresh);
    let kept: Vec<usize> = (0..old.len())
        .filter(|&i| !changed.contains(old.slug(i)))
        .collect();
    let newer_than = |i: usize, post: &Listing| {
        let date = old.summary(i).date;
        (date, old.slug(i)) > (post.summary.date, post.summary.slug.as_str())
    };
    let places = fresh
        .iter()
        .map(|post| kept.partition_point(|&i| newer_than(i, post)));
    let mut fresh = fresh.iter().zip(places.collect::<Vec<_>>()).peekable();
    let mut packed = Packed::default();
    for (place, &i) in kept.iter().enumerate() {
        while let Some((post, _)) = fresh.next_if(|&(_, at)| at == place) {
            packed.push(post);
        }
        packed.push_from(old, i);
    }
    for (post, _) in fresh {
        packed.push(post);
    }
    packed.shrink();
    packed
}
