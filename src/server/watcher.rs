//! Live ingest: watches `content/` and syncs what changed into the store.
//!
//! Events arrive in bursts (editors write, rename and chmod in a row), so a
//! batch is collected until the directory is quiet for a moment, then each
//! path is synced once. Directory events (a bundle moved or deleted) trigger
//! a full sync, which re-parses only files whose bytes changed.
//!
//! The folder holding `content/` is watched too (not recursively): when
//! `content/` is deleted and later comes back (a `git checkout`, a deploy
//! that swaps the folder), the watch on the old folder is dead, so the new
//! one is watched and synced as a whole.
//!
//! So are the folders of the owner's stylesheet (`assets/custom.css`)
//! and theme files (logos, favicon): their changes restyle the site live
//! ([`Site::stylesheet_changed`], [`Site::theme_files_changed`]).
//!
//! The watch never follows links inside `content/` ([`tree::FOLLOW_LINKS`]):
//! watching through a link to `/` crawled `/sys` and pinned a core. Within a
//! batch, removed paths are synced first, so a post moved to another file
//! under the same slug is not removed after its new file took it over. A
//! file refused because another one had its slug is tried again after the
//! next removal (a copy saved before the original is deleted).
//!
//! A sync that fails to write (a full disk) leaves the last good site
//! online; its paths are kept and retried every [`RETRY_PERIOD`] until a
//! retry works, with `/healthz` degraded meanwhile ([`super::health`]), so
//! a post added while the disk was full appears once space is back,
//! without a restart or another edit.
//!
//! Not `notify-debouncer-full` (0.7, for notify 8): its timeout delays each
//! event rather than waiting for quiet, so a file still being written was
//! emitted mid-write (its create event, 90 ms into a 330 ms burst of
//! appends), and a copy then a delete 60 ms later came as two batches
//! (the copy refused for its slug before the original went). It also wakes
//! every timeout/4 while idle, and off Linux its file-id cache walks the
//! tree following links.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecursiveMode, Watcher};

use super::Site;
use crate::content::tree;
use crate::store::sync::{self, SyncReport};
use crate::store::{Recovery, StoreError};

/// How long the directory must stay quiet before a batch is applied.
const QUIET_PERIOD: Duration = Duration::from_millis(75);
/// How often paths whose sync failed to write are tried again.
const RETRY_PERIOD: Duration = Duration::from_secs(2);

/// Keeps the watch alive; dropping it stops live ingest.
pub struct ContentWatcher {
    _watcher: Arc<Mutex<notify::RecommendedWatcher>>,
}

/// The content tree under watch, its events queued until [`spawn`]
/// applies them.
pub struct Watching {
    watcher: notify::RecommendedWatcher,
    rx: mpsc::Receiver<PathBuf>,
}

/// Starts watching `content_dir`, queueing its events. `serve` calls it
/// before the start-up sync (on another core while the store opens): a
/// file changed during the sync is then synced again once the site runs,
/// never missed, and the recursive watch's walk of a large tree (100,000
/// files: a fifth of a second) is off the start-up path.
pub fn watch(content_dir: &Path) -> notify::Result<Watching> {
    let (tx, rx) = mpsc::channel::<PathBuf>();
    let root = content_dir.to_path_buf();
    let handler = move |event: notify::Result<notify::Event>| match event {
        // The kernel's queue overflowed: events were lost, so the whole
        // tree is synced again (the root is a folder: a full sync).
        Ok(event) if event.need_rescan() => {
            tracing::warn!(
                "the content watcher lost events (queue overflow); syncing the whole tree"
            );
            drop(tx.send(root.clone()))
        }
        Ok(event) if changes_content(&event.kind) => {
            event.paths.into_iter().for_each(|path| drop(tx.send(path)))
        }
        Ok(_) => {}
        Err(err) => tracing::warn!(error = %err, "content watcher error"),
    };
    let config = notify::Config::default().with_follow_symlinks(tree::FOLLOW_LINKS);
    let mut watcher = notify::RecommendedWatcher::new(handler, config)?;
    watcher.watch(content_dir, RecursiveMode::Recursive)?;
    if let Some(parent) = watchable_parent(content_dir) {
        // Best effort: without it, a recreated content/ needs a restart.
        if let Err(err) = watcher.watch(&parent, RecursiveMode::NonRecursive) {
            tracing::warn!(path = %parent.display(), error = %err, "cannot watch the folder holding the content directory; if the content directory is recreated, restart Quire");
        }
    }
    Ok(Watching { watcher, rx })
}

/// Applies `watching`'s events to `site`, those queued so far first; the
/// returned watcher must be kept alive.
pub fn spawn(site: Arc<Site>, watching: Watching) -> ContentWatcher {
    let Watching { mut watcher, rx } = watching;
    watch_site_files(&site, &mut watcher);
    let watcher = Arc::new(Mutex::new(watcher));
    let rewatch = watcher.clone();
    std::thread::Builder::new()
        .name("content-watcher".into())
        .spawn(move || {
            crate::background::lower_current_thread_priority();
            apply_batches(&site, &rx, &rewatch)
        })
        .expect("spawning the watcher thread");
    ContentWatcher { _watcher: watcher }
}

/// Watches the folders of the owner's stylesheet and theme files
/// (outside `content/`, as `assets/custom.css` and `static/logo.svg`
/// are): their changes come down the same queue, and [`apply_batches`]
/// hands them to [`Site::stylesheet_changed`] and
/// [`Site::theme_files_changed`].
fn watch_site_files(site: &Site, watcher: &mut notify::RecommendedWatcher) {
    let files = site_files(site);
    let folders: BTreeSet<&Path> = files.iter().filter_map(|f| f.parent()).collect();
    for folder in folders {
        if is_within(folder, &site.content_dir) {
            continue; // Watched already, with the content.
        }
        if let Err(err) = watcher.watch(folder, RecursiveMode::NonRecursive) {
            tracing::warn!(path = %folder.display(), error = %err, "cannot watch the folder of the site's stylesheet or theme files; restart Quire after changing them");
        }
    }
}

/// The stylesheet and the theme's files, absolute.
fn site_files(site: &Site) -> Vec<PathBuf> {
    let mut files = super::theme::files_of(&site.config);
    files.extend(site.custom_css.path().map(Path::to_path_buf));
    files
}

/// The folder holding `content`, as a path notify can watch.
fn watchable_parent(content: &Path) -> Option<PathBuf> {
    match content.parent() {
        Some(parent) if parent.as_os_str().is_empty() => Some(PathBuf::from(".")),
        Some(parent) => Some(parent.to_path_buf()),
        None => None,
    }
}

/// Whether an event can change what a post renders. notify's inotify
/// backend also reports opens and reads: the watcher's own reads of the
/// files it syncs (and walkdir's of the directories) would come back as
/// events and re-sync them every [`QUIET_PERIOD`], forever. A write that
/// ends (`Close(Write)`) does count: some editors report nothing else.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

fn apply_batches(
    site: &Site,
    rx: &mpsc::Receiver<PathBuf>,
    watcher: &Mutex<notify::RecommendedWatcher>,
) {
    // Whether the content directory went away since it was last synced.
    let mut lost = false;
    let root = &site.content_dir;
    // Paths whose sync failed to write; a start-up sync that failed left
    // the whole tree to do.
    let mut pending = BTreeSet::new();
    // Files refused for a slug another file had, to try after a removal.
    let mut blocked = BTreeSet::new();
    if site.health.degraded().is_some() {
        pending.insert(root.clone());
    }
    let theme_files = super::theme::files_of(&site.config);
    while let Some(mut batch) = next_batch(rx, !pending.is_empty()) {
        if batch.iter().any(|path| site.custom_css.is(path)) {
            site.stylesheet_changed();
        }
        if batch.iter().any(|path| theme_files.contains(path)) {
            site.theme_files_changed();
        }
        // The folder above reports its other entries too.
        batch.retain(|path| is_within(path, root));
        batch.append(&mut pending);
        if batch.is_empty() {
            continue;
        }
        // A vanished content directory (deleted, unmounted) is an accident,
        // not an author removing every post: keep the last good site online.
        if !root.is_dir() {
            if !lost {
                tracing::error!(
                    path = %root.display(),
                    "the content directory is gone; the last good site stays online until it is back"
                );
            }
            lost = true;
            continue;
        }
        if lost {
            lost = !rewatch(root, watcher);
            // Everything in the new folder, whatever the batch named.
            batch.insert(root.clone());
        }
        if !apply_when_writable(site, &batch, &mut blocked) {
            pending = batch;
        }
    }
}

/// The next batch of changed paths: the first event, then every event
/// until the directory is quiet. While `retrying`, an empty batch after
/// [`RETRY_PERIOD`] without events. `None` once the watch is gone.
fn next_batch(rx: &mpsc::Receiver<PathBuf>, retrying: bool) -> Option<BTreeSet<PathBuf>> {
    let first = if retrying {
        match rx.recv_timeout(RETRY_PERIOD) {
            Ok(path) => path,
            Err(RecvTimeoutError::Timeout) => return Some(BTreeSet::new()),
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    } else {
        rx.recv().ok()?
    };
    let mut batch = BTreeSet::from([first]);
    while let Ok(path) = rx.recv_timeout(QUIET_PERIOD) {
        batch.insert(path);
    }
    Some(batch)
}

/// Syncs `paths` if the store can take writes; `false` when the store
/// failed to write (the caller keeps the paths to retry).
fn apply_when_writable(
    site: &Site,
    paths: &BTreeSet<PathBuf>,
    blocked: &mut BTreeSet<PathBuf>,
) -> bool {
    let was_degraded = site.health.degraded().is_some();
    match site.store().recover() {
        Ok(Recovery::Healthy | Recovery::Reopened) => {}
        // Writing would wait forever on sled's stuck flush.
        Ok(Recovery::NeedsRestart) => {
            site.health.needs_restart();
            return false;
        }
        Err(err) => return write_failed(site, &site.content_dir, &err),
    }
    match apply(site, paths, blocked) {
        Ok(()) => {
            if was_degraded {
                site.store_recovered();
            }
            true
        }
        Err((path, err)) => write_failed(site, &path, &err),
    }
}

/// Logs a failed write and marks the site degraded; always `false`.
fn write_failed(site: &Site, path: &Path, err: &StoreError) -> bool {
    if site.health.degraded().is_none() {
        log_store_error(path, err);
    } else {
        tracing::debug!(path = %path.display(), error = %err, "retry failed");
    }
    site.health.writes_failing(err.cause());
    false
}

/// Whether `path` is `root` or inside it; notify joins names onto the
/// watched path as given, so `./content/a.md` is inside `content`.
fn is_within(path: &Path, root: &Path) -> bool {
    let normal = |p: &Path| -> PathBuf {
        p.components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect()
    };
    normal(path).starts_with(normal(root))
}

/// Watches a recreated content directory; `false` when that failed (the
/// next event in the folder above tries again).
fn rewatch(root: &Path, watcher: &Mutex<notify::RecommendedWatcher>) -> bool {
    let mut watcher = watcher.lock().unwrap_or_else(PoisonError::into_inner);
    // The old watch died with the old folder; dropping it may fail.
    let _ = watcher.unwatch(root);
    match watcher.watch(root, RecursiveMode::Recursive) {
        Ok(()) => {
            tracing::info!(path = %root.display(), "the content directory is back; syncing it");
            true
        }
        Err(err) => {
            tracing::error!(path = %root.display(), error = %err, "the content directory is back but cannot be watched");
            false
        }
    }
}

/// Syncs `paths` and announces what changed, including the part of a batch
/// that was applied before a write failed. The whole tree when a folder
/// changed, else each path, removals first; `blocked` carries refused files
/// from batch to batch. The error names the path.
fn apply(
    site: &Site,
    paths: &BTreeSet<PathBuf>,
    blocked: &mut BTreeSet<PathBuf>,
) -> Result<(), (PathBuf, StoreError)> {
    let root = &site.content_dir;
    if paths
        .iter()
        .any(|p| super::theme::partials::is_partial(p, root))
    {
        site.partials_changed();
    }
    let whole_tree = paths.iter().any(|p| is_folder(site, p));
    let mut total = SyncReport::default();
    let failure = if whole_tree {
        blocked.clear();
        match sync::sync_all(
            site.store(),
            root,
            &site.config.render_options(root),
            &|| {},
        ) {
            Ok(report) => {
                total = report;
                None
            }
            Err(err) => Some((root.clone(), err)),
        }
    } else {
        sync_paths(site, paths, blocked, &mut total).err()
    };
    blocked.extend(total.blocked.iter().map(|p| root.join(p)));
    log_report(&total);
    site.content_changed(&total);
    failure.map_or(Ok(()), Err)
}

/// Whether `path` is a folder, or was one: a vanished path without an
/// extension below which the store knows files. Editors' scratch files
/// have no extension either (vim's `4913`, `sed -i`'s `sedXXXXXX`), and
/// taking each for a folder cost every save a full sync: 0.8 s and tens
/// of MB at 100,000 posts.
fn is_folder(site: &Site, path: &Path) -> bool {
    if path.is_dir() {
        return true;
    }
    if path.exists() || path.extension().is_some() {
        return false;
    }
    let relative = path.strip_prefix(&site.content_dir).unwrap_or(path);
    if relative.as_os_str().is_empty() {
        return true; // `content/` itself.
    }
    // When the store cannot say, the whole tree is synced, as before.
    site.store().knows_files_under(relative).unwrap_or(true)
}

/// Syncs each path, the removed ones first, into `total`; after a removal,
/// retries the files that were refused because the removed post had their
/// slug. Stops at the first failed write.
fn sync_paths(
    site: &Site,
    paths: &BTreeSet<PathBuf>,
    blocked: &mut BTreeSet<PathBuf>,
    total: &mut SyncReport,
) -> Result<(), (PathBuf, StoreError)> {
    let root = &site.content_dir;
    let options = site.config.render_options(root);
    let sync_one = |path: &Path, total: &mut SyncReport| {
        let report = sync::sync_path(site.store(), root, path, &options)
            .map_err(|err| (path.to_path_buf(), err))?;
        merge(total, report);
        Ok(())
    };
    let (gone, present): (Vec<&PathBuf>, Vec<&PathBuf>) = paths.iter().partition(|p| !p.exists());
    for path in gone.into_iter().chain(present) {
        sync_one(path, total)?;
    }
    if !total.removed.is_empty() {
        let retry: Vec<PathBuf> = std::mem::take(blocked)
            .into_iter()
            .filter(|p| !paths.contains(p))
            .collect();
        for path in retry {
            sync_one(&path, total)?;
        }
    }
    Ok(())
}

fn merge(total: &mut SyncReport, report: SyncReport) {
    total.added.extend(report.added);
    total.updated.extend(report.updated);
    total.removed.extend(report.removed);
    total.listing_changed.extend(report.listing_changed);
    total.unchanged += report.unchanged;
    total.errors.extend(report.errors);
    total.warnings.extend(report.warnings);
    total.skipped.extend(report.skipped);
    total.moved.extend(report.moved);
    total.blocked.extend(report.blocked);
}

fn log_report(report: &SyncReport) {
    super::ingest::log_problems(report, " — the last good version stays online");
    if report.changed() {
        tracing::info!(added = ?report.added, updated = ?report.updated, removed = ?report.removed, "content changed");
    }
}

fn log_store_error(path: &Path, err: &crate::store::StoreError) {
    tracing::error!(path = %path.display(), error = %err, "could not apply a content change");
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind, RemoveKind};

    #[test]
    fn only_paths_in_the_content_directory_count() {
        let root = Path::new("content");
        assert!(is_within(Path::new("./content"), root));
        assert!(is_within(Path::new("./content/a/index.md"), root));
        assert!(is_within(Path::new("content/a.md"), root));
        assert!(!is_within(Path::new("./content-old/a.md"), root));
        assert!(!is_within(Path::new("./README.md"), root));
        assert!(is_within(
            Path::new("/srv/blog/content/a.md"),
            Path::new("/srv/blog/content")
        ));
    }

    /// A post written after the watch began but before the site ran (as
    /// during `serve`'s start-up sync) reaches the site once it runs.
    #[test]
    fn a_change_made_before_the_site_runs_is_applied_when_it_does() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir(&content).unwrap();
        let watching = watch(&content).unwrap();
        let post = "+++\ntitle = \"Early\"\ndate = 2026-01-01\n+++\nWritten during the sync.";
        std::fs::write(content.join("early.md"), post).unwrap();
        let store = crate::store::Store::temporary().unwrap();
        let config = crate::server::SiteConfig::default();
        let site = Arc::new(Site::new(store, config, content.clone()));
        let _watcher = spawn(site.clone(), watching);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while site.store().post("early").unwrap().is_none() {
            assert!(
                std::time::Instant::now() < deadline,
                "the early post never arrived"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A vanished name without an extension is a folder only if the
    /// store knows files below it: an editor's scratch file is not.
    #[test]
    fn a_vanished_scratch_file_is_not_taken_for_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("trip")).unwrap();
        let post = "+++\ntitle = \"Trip\"\ndate = 2026-01-01\n+++\nBody.";
        std::fs::write(content.join("trip/index.md"), post).unwrap();
        let store = crate::store::Store::temporary().unwrap();
        let options = crate::content::RenderOptions::default();
        crate::store::sync::sync_all(&store, &content, &options, &|| {}).unwrap();
        let site = Site::new(store, crate::server::SiteConfig::default(), content.clone());
        assert!(is_folder(&site, &content.join("trip")), "there");
        assert!(!is_folder(&site, &content.join("4913")), "vim's check file");
        assert!(
            !is_folder(&site, &content.join("trip/sedAb12Cd")),
            "sed -i's"
        );
        std::fs::rename(content.join("trip"), dir.path().join("moved")).unwrap();
        assert!(
            is_folder(&site, &content.join("trip")),
            "moved away, posts inside"
        );
        std::fs::remove_dir(&content).unwrap();
        assert!(is_folder(&site, &content), "content/ itself, gone");
    }

    #[test]
    fn reads_are_not_changes_and_writes_are() {
        for read in [
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            EventKind::Access(AccessKind::Open(AccessMode::Read)),
            EventKind::Access(AccessKind::Read),
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
        ] {
            assert!(!changes_content(&read), "{read:?}");
        }
        for write in [
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            EventKind::Create(CreateKind::File),
            EventKind::Modify(ModifyKind::Any),
            EventKind::Remove(RemoveKind::Folder),
            EventKind::Any,
        ] {
            assert!(changes_content(&write), "{write:?}");
        }
    }
}
