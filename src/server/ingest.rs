//! The start-up ingest: `content/` synced into the store before serving
//! (with a progress bar on a terminal), its problems logged, and on a
//! cold start the search index filled as each post is stored, under a
//! watchdog that ends a stalled ingest ([`super::stall`]). Apart from
//! `commands.rs`, which wires the process, because `serve` and `export`
//! share it.

use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use super::SiteConfig;
use crate::content;
use crate::store::sync::{self, SyncReport};
use crate::store::{Store, StoreError};

/// [`ingest_opened`], and on a cold start (an empty store) each post
/// indexed for search as it is stored ([`crate::search::Bulk`]): the
/// index is then complete when "serving" is logged. Otherwise the index
/// catches up afterwards ([`super::search_index::start`]).
pub(super) fn ingest_indexing(
    store: &Store,
    content_dir: &Path,
    config: &SiteConfig,
    (search, drafts): (&crate::search::SearchIndex, bool),
) -> anyhow::Result<(SyncReport, Option<StoreError>, Option<String>)> {
    let bulk = match store.post_count() {
        0 => search
            .bulk(drafts)
            .inspect_err(|e| tracing::warn!(error = %e, "cannot index posts as they are ingested; indexing them afterwards"))
            .ok(),
        _ => None,
    };
    let Some(bulk) = bulk else {
        return ingest_opened(store, content_dir, config, &|_| {});
    };
    let ingested = ingest_opened(store, content_dir, config, &|doc| bulk.add(doc))?;
    if let Err(e) = bulk.finish(store) {
        tracing::warn!(error = %e, "the search index built during the ingest failed; rebuilding it");
    }
    Ok(ingested)
}

/// The sync of a store already open, its problems logged, a write failure
/// apart, and the store's digest from before.
fn ingest_opened(
    store: &Store,
    content_dir: &Path,
    config: &SiteConfig,
    on_stored: sync::OnStored,
) -> anyhow::Result<(SyncReport, Option<StoreError>, Option<String>)> {
    let digest_before = store.digest().ok();
    let (report, write_failure) = match ingest(store, content_dir, config, on_stored) {
        Ok(report) => (report, None),
        Err(e) if !e.is_damage() => {
            tracing::error!(content = %content_dir.display(), error = %e, "could not bring the store up to date with the content; serving what it has and retrying");
            (SyncReport::default(), Some(e))
        }
        Err(e) => return Err(e.into()),
    };
    log_problems(&report, "");
    if write_failure.is_none() && report.added.len() + report.updated.len() >= CHECKPOINT_AFTER {
        checkpoint(
            store,
            "after a large ingest, so that the next start reads a snapshot",
        );
    }
    Ok((report, write_failure, digest_before))
}

/// Posts written (or read) by one pass past which the store is reopened
/// ([`Store::checkpoint`]): below it, replaying the log at the next start
/// costs less than the reopen, and sled's cache holds little.
pub(super) const CHECKPOINT_AFTER: usize = 5_000;

/// After a pass that read `read` posts (a start-up's content check and
/// catalog, a search index rebuild): the store is reopened when that is
/// `at_least` ([`CHECKPOINT_AFTER`]). sled keeps each page such a scan
/// read resident, past its cache bound (it counts a page only after many
/// reads of its shard): at 100,000 posts, 70 MB after a start and 260 MB
/// after a rebuild, held until the process ends. A reopen lets go of them
/// in 0.1 to 0.2 s at 100,000 posts; requests wait for it.
pub(super) fn let_go(store: &Store, read: usize, at_least: usize, why: &str) {
    if read >= at_least {
        checkpoint(store, why);
        crate::background::release_free_memory();
    }
}

/// [`Store::checkpoint`], timed, the log saying `why`; a failure is
/// logged, not fatal (the next start replays the log instead).
pub(super) fn checkpoint(store: &Store, why: &str) {
    let started = std::time::Instant::now();
    match store.checkpoint() {
        Ok(()) => tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "store reopened {why}"
        ),
        Err(e) => {
            tracing::warn!(error = %e, "cannot reopen the store {why}; it goes on as it is")
        }
    }
}

/// Full sync of the content dir, with a progress bar on a terminal.
fn ingest(
    store: &Store,
    content_dir: &Path,
    config: &SiteConfig,
    on_stored: sync::OnStored,
) -> Result<SyncReport, crate::store::StoreError> {
    // Counting the files is a walk of its own: only for a terminal.
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let total = match terminal {
        true => content::discover(content_dir, &config.collections).len() as u64,
        false => 0,
    };
    let progress = if terminal && total > 200 {
        ProgressBar::new(total).with_style(
            ProgressStyle::with_template("ingesting {bar:40} {pos}/{len} posts ({eta})")
                .expect("valid template"),
        )
    } else {
        ProgressBar::hidden()
    };
    let started = std::time::Instant::now();
    let report = super::stall::watched(content_dir, |watched| {
        sync::sync_all_with(
            store,
            content_dir,
            &config.render_options(content_dir),
            &|| {
                watched.tick();
                progress.inc(1)
            },
            &|doc| {
                watched.tick();
                on_stored(doc)
            },
        )
    });
    progress.finish_and_clear();
    let report = report?;
    tracing::info!(
        added = report.added.len(),
        updated = report.updated.len(),
        removed = report.removed.len(),
        unchanged = report.unchanged,
        unread = report.unread,
        errors = report.errors.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "content synced"
    );
    Ok(report)
}

/// Logs a sync's warnings, skipped files and errors, each error followed
/// by `after_error` (the watcher adds that the last good version stays).
pub(super) fn log_problems(report: &SyncReport, after_error: &str) {
    for warning in &report.warnings {
        // Notes (a custom front matter key) are for `quire check`.
        if warning.severity == crate::content::error::Severity::Note {
            tracing::debug!("{warning}");
        } else {
            tracing::warn!("{warning}");
        }
    }
    for skipped in &report.skipped {
        tracing::info!("skipped: {skipped}");
    }
    for error in &report.errors {
        tracing::error!("{error}{after_error}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pass that read the bound's worth of posts reopens the store
    /// (which lets go of the pages sled kept from the read); a smaller one
    /// leaves it open. The store and search answer as before either way.
    #[test]
    fn a_store_is_reopened_after_a_read_of_at_least_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        let site = crate::server::testing::site_on_disk(dir.path(), 3);
        let posts = site.rebuild_search().unwrap();
        assert_eq!(posts, 3);
        let_go(site.store(), posts, 4, "in a test");
        assert_eq!(site.store().reopens(), 0, "below the bound");
        let_go(site.store(), posts, 3, "in a test");
        assert_eq!(site.store().reopens(), 1, "at the bound");
        assert_eq!(site.store().post_count(), 3);
        assert!(site.store().post("post-2").unwrap().is_some());
        assert_eq!(site.blog.search.len(), 3);
    }
}
