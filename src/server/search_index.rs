//! The search index at start-up: opened from `<data>/search/` and brought
//! in line with the store, without a rebuild when it can be.
//!
//! Rebuilding the index was most of a restart (seconds at 10,000 posts,
//! a minute at 100,000), so `serve` opens the one it left behind
//! ([`crate::search::SearchIndex::open`]) and asks [`crate::search::plan`]
//! what it needs: nothing (it answers before "serving" is logged), the
//! posts the start-up ingest changed (re-indexed in the background), or a
//! rebuild (in the background, as before, with one log line saying why).
//! Each ends with one "search index ready" line naming what was done.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use super::Site;
use crate::search::{Opened, Plan, SearchIndex, built_from, plan, stamp};

/// Where the index lives in the data directory.
pub const DIR: &str = "search";

/// The index kept in `data`, or, when none can be kept there (no
/// permission, no space), one in memory (`None`: rebuilt at every start).
pub fn open(data: &Path) -> (SearchIndex, Option<Opened>) {
    let dir = data.join(DIR);
    match SearchIndex::open(&dir) {
        Ok((index, opened)) => (index, Some(opened)),
        Err(e) => {
            tracing::warn!(error = %e, "cannot keep the search index in {}; keeping it in memory, rebuilt at every start", dir.display());
            let index =
                SearchIndex::new().expect("an in-memory search index can always be created");
            (index, None)
        }
    }
}

/// What the start-up ingest changed: the store's digest before it
/// ([`crate::store::Store::digest`]) and the posts it added, updated or
/// removed. No post changed: the digest before is the digest now (the
/// caller leaves it out when the ingest failed part way).
pub struct Ingested {
    pub digest_before: Option<String>,
    pub changed: Vec<String>,
}

/// Brings the site's index in line with its store: at once when it is up
/// to date, else on a background thread (searches answer from what the
/// index holds meanwhile, and pages made from them are not cached).
pub fn start(site: Arc<Site>, opened: Option<Opened>, ingested: Ingested) {
    let started = Instant::now();
    match plan_for(&site, opened.as_ref(), &ingested) {
        (Plan::UpToDate, how) => {
            site.blog.search.mark_complete();
            ready(&site, how, started);
        }
        (Plan::CatchUp, _) => in_the_background(site, move |site| {
            let blog = &site.blog;
            let slugs = ingested.changed.iter();
            blog.search.update(&blog.store, slugs, blog.show_drafts)?;
            blog.search.mark_complete();
            ready(site, "caught up", started);
            let_go_of_the_scan(site, ingested.changed.len());
            Ok(())
        }),
        (Plan::Rebuild(why), _) => {
            match opened {
                Some(Opened::Created { replaced: None }) | None => {
                    tracing::info!("{why}; building it")
                }
                Some(_) => tracing::warn!("{why}; rebuilding it from the store"),
            }
            in_the_background(site, move |site| {
                let posts = site.rebuild_search()?;
                ready(site, "rebuilt", started);
                let_go_of_the_scan(site, posts);
                Ok(())
            })
        }
    }
}

/// [`start`]'s work done now, on this thread (`quire export`, which
/// renders nothing before the index is complete).
pub fn update_now(
    site: &Site,
    opened: Option<&Opened>,
    ingested: &Ingested,
) -> Result<(), crate::search::SearchError> {
    let blog = &site.blog;
    match plan_for(site, opened, ingested).0 {
        Plan::UpToDate => {}
        Plan::CatchUp => {
            blog.search
                .update(&blog.store, ingested.changed.iter(), blog.show_drafts)?
        }
        Plan::Rebuild(_) => {
            site.rebuild_search()?;
        }
    }
    blog.search.mark_complete();
    Ok(())
}

/// What the opened index needs, given the store's digest before the
/// start-up ingest, and how the ready line says an index that needs
/// nothing came to be: filled as a cold start's ingest stored each post
/// ([`crate::search::Bulk`]), or opened as the last run left it.
fn plan_for(site: &Site, opened: Option<&Opened>, ingested: &Ingested) -> (Plan, &'static str) {
    if site.blog.search.is_complete() {
        return (Plan::UpToDate, "built during the ingest");
    }
    (plan_on_disk(site, opened, ingested), "opened")
}

/// [`plan_for`] of an index not filled during the ingest.
fn plan_on_disk(site: &Site, opened: Option<&Opened>, ingested: &Ingested) -> Plan {
    let blog = &site.blog;
    let before = ingested.digest_before.as_deref();
    match (opened, built_now(site, ingested)) {
        (None, _) => Plan::Rebuild("the search index is kept in memory".into()),
        (Some(_), Err(e)) => Plan::Rebuild(format!("the store's digest cannot be read ({e})")),
        (Some(opened), Ok(now)) => {
            let before = before.map(|digest| stamp(digest, blog.show_drafts));
            plan(opened, &now, before.as_deref())
        }
    }
}

/// What an index built from the store now records ([`built_from`]): the
/// digest from before the ingest when it changed no post (a walk of
/// every source record saved, a tenth of a second at 100,000 posts).
fn built_now(site: &Site, ingested: &Ingested) -> Result<String, crate::search::SearchError> {
    let blog = &site.blog;
    match (&ingested.digest_before, ingested.changed.is_empty()) {
        (Some(digest), true) => Ok(stamp(digest, blog.show_drafts)),
        _ => built_from(&blog.store, blog.show_drafts),
    }
}

/// After a rebuild (a missing or damaged index) or a catch-up over
/// thousands of changes, which read `posts` posts from the store: it lets
/// go of what sled kept of them ([`super::ingest::let_go`]).
fn let_go_of_the_scan(site: &Site, posts: usize) {
    let why = "to let go of the posts the search index was built from";
    super::ingest::let_go(site.store(), posts, super::ingest::CHECKPOINT_AFTER, why);
}

/// The one line scripts and tests wait for.
fn ready(site: &Site, how: &str, started: Instant) {
    // Indexing every post left tens of MB of freed buffers resident.
    crate::background::release_free_memory();
    tracing::info!(
        posts = site.blog.search.len(),
        ms = started.elapsed().as_millis() as u64,
        how,
        "search index ready"
    );
}

fn in_the_background(
    site: Arc<Site>,
    work: impl FnOnce(&Site) -> Result<(), crate::search::SearchError> + Send + 'static,
) {
    std::thread::Builder::new()
        .name("search-index".into())
        .spawn(move || {
            crate::background::lower_current_thread_priority();
            if let Err(err) = work(&site) {
                tracing::error!(error = %err, "search index could not be built");
            }
        })
        .expect("spawning the search indexer");
}

/// `/_search/meta.json` on a live server: an index with no engine, which
/// tells the search box to ask `/api/search` (on a static export the file
/// names the engine's module, `api::static_search`).
pub async fn live_meta() -> axum::response::Response {
    use axum::response::IntoResponse;
    let json = r#"{"format":0,"engine":"","loader":""}"#;
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        json,
    )
        .into_response()
}
