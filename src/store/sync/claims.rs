//! Which file a post's key belongs to when two files would give the same
//! one: one rule for full syncs, single paths and `quire check`, so the
//! answer never depends on the order files are read in.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::super::writes::Encoded;
use super::super::{Store, StoreError};
use super::SyncReport;
use crate::content::{self, ContentError, Document};
use crate::urls::permalink::key;

/// The one rule for two files with one slug, for full syncs, single
/// paths and `quire check` alike: `relative` may take `slug` unless
/// another file holds it, either claimed earlier in this sync (`claims`)
/// or with its post in the store while that file is still there. Then
/// `relative` is refused (an error naming the holder, and `blocked`, to try
/// again after a removal) and `false` returned; else its claim is recorded.
pub(super) fn claim(
    store: &Store,
    root: &Path,
    relative: PathBuf,
    slug: &str,
    claims: &mut HashMap<String, PathBuf>,
    report: &mut SyncReport,
) -> Result<bool, StoreError> {
    if let Some(owner) = holder(store, root, &relative, slug, claims)? {
        report.errors.push(duplicate_slug(&relative, slug, &owner));
        report.blocked.push(relative);
        return Ok(false);
    }
    claims.insert(slug.to_string(), relative);
    Ok(true)
}

/// The file other than `relative` that holds `slug`: claimed earlier in
/// this sync, or with its post in the store while that file is still there.
fn holder(
    store: &Store,
    root: &Path,
    relative: &Path,
    slug: &str,
    claims: &HashMap<String, PathBuf>,
) -> Result<Option<PathBuf>, StoreError> {
    match claims.get(slug).filter(|owner| *owner != relative) {
        Some(owner) => Ok(Some(owner.clone())),
        None => stored_owner(store, root, slug, relative),
    }
}

/// A dated post whose key another file holds at another address (Hugo's
/// `slug: transparency-report` every half year under
/// `/:year/:month/:day/:slug/`) is a post of its own, not a duplicate: it
/// takes the key with its date behind (`post/transparency-report-2016-10-01`).
/// The key is no address (`Document::slug`), so nothing a reader sees
/// changes. Two files at one address are still refused by [`claim`].
pub(super) fn distinct(
    store: &Store,
    root: &Path,
    relative: &Path,
    parsed: Box<(Document, Encoded)>,
    claims: &HashMap<String, PathBuf>,
) -> Result<Box<(Document, Encoded)>, StoreError> {
    let doc = &parsed.0;
    if doc.kind != content::Kind::Post
        || holder(store, root, relative, &doc.slug, claims)?.is_none()
    {
        return Ok(parsed);
    }
    let elsewhere = store
        .post(&doc.slug)?
        .is_some_and(|held| key(&held.url) != key(&doc.url));
    if !elsewhere {
        return Ok(parsed);
    }
    let mut doc = parsed.0;
    doc.slug = format!("{}-{}", doc.slug, doc.date);
    let encoded = Encoded::of(&doc)?;
    Ok(Box::new((doc, encoded)))
}

/// The file, other than `relative`, whose post has `slug` in the store, if
/// that file is still there: the slug stays with it, whatever order the
/// files are read in.
fn stored_owner(
    store: &Store,
    root: &Path,
    slug: &str,
    relative: &Path,
) -> Result<Option<PathBuf>, StoreError> {
    // The common case, an edit that keeps the slug, without decoding a post.
    if store.source(relative)?.is_some_and(|r| r.slug == slug) {
        return Ok(None);
    }
    Ok(store
        .post(slug)?
        .map(|existing| existing.source)
        .filter(|source| source != relative && root.join(source).exists()))
}

fn duplicate_slug(relative: &Path, slug: &str, owner: &Path) -> ContentError {
    ContentError::new(
        relative,
        None,
        format!(
            "the URL slug `{slug}` is already used by {}",
            owner.display()
        ),
        "rename one of the files or set a different `slug = \"…\"` in its front matter",
    )
}
