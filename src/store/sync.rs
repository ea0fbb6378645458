//! Bringing the store in line with `content/`: at start-up for the whole
//! tree ([`sync_all`]), and for single paths as the watcher reports them
//! ([`sync_path`]). Only files whose bytes changed are parsed again, and
//! files whose size, times and inode did not change since they were last
//! read are not even read ([`super::stats`]). A file that fails to parse
//! keeps its last good version in the store.
//!
//! Which files count is [`content::tree`]'s rule (links are skipped, with a
//! warning). Removals are applied before additions, so a post moved to
//! another file under the same slug is not removed after its new file took
//! the slug; each removal and addition is also told to [`super::renames`], which
//! turns a rename into a redirect from the old slug.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::content::{self, ContentError, Document, RenderOptions, tree};

use super::renames::Trace;
use super::writes::Encoded;
use super::{Store, StoreError};

mod claims;
mod parse;
mod pass;

use claims::{claim, distinct};
use parse::{Outcome, Prior, Settings, priors, read_and_parse};
use pass::Pass;

use super::stats::StatRecord;

/// What one sync did.
#[derive(Debug, Default)]
pub struct SyncReport {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub removed: Vec<String>,
    /// Updated posts whose listing record (title, date, category, tags,
    /// description, visibility, slug) changed: every page listing posts is stale.
    pub listing_changed: Vec<String>,
    pub unchanged: usize,
    /// Of the unchanged files, those not even read: their stat records
    /// vouched for them ([`super::stats`]).
    pub unread: usize,
    pub errors: Vec<ContentError>,
    pub warnings: Vec<ContentError>,
    /// Files that are not posts (no front matter, no title): reported, not
    /// errors ([`ContentError::not_a_post`]).
    pub skipped: Vec<ContentError>,
    /// Renamed posts, old slug then new: `/blog/<old>` now redirects.
    pub moved: Vec<(String, String)>,
    /// Sources refused because another file has their slug; worth another
    /// try once a post is removed (a copy saved before the original goes).
    pub blocked: Vec<PathBuf>,
    /// Section files (`_index.md`) parsed or removed: their `cascade` may
    /// have changed what the pages below them read ([`reparse_cascaded`]).
    pub sections_changed: Vec<PathBuf>,
}

impl SyncReport {
    /// Files the sync could not publish: errors, or skipped non-posts.
    pub fn failed(&mut self, problem: ContentError) {
        if problem.severity == crate::content::error::Severity::NotAPost {
            self.skipped.push(problem);
        } else {
            self.errors.push(problem);
        }
    }

    pub fn changed(&self) -> bool {
        !(self.added.is_empty() && self.updated.is_empty() && self.removed.is_empty())
    }
}

/// Syncs every file under `root`. `on_progress` is called once per file.
pub fn sync_all(
    store: &Store,
    root: &Path,
    options: &RenderOptions,
    on_progress: &(dyn Fn() + Sync),
) -> Result<SyncReport, StoreError> {
    sync_all_with(store, root, options, on_progress, &|_| {})
}

/// Called with each post a full sync stores, once it is stored (a cold
/// start indexes them for search as they come, rather than reading every
/// post back from the store afterwards).
pub type OnStored<'a> = &'a (dyn Fn(&Document) + Sync);

/// [`sync_all`], telling `on_stored` of each post it stores.
pub fn sync_all_with(
    store: &Store,
    root: &Path,
    options: &RenderOptions,
    on_progress: &(dyn Fn() + Sync),
    on_stored: OnStored,
) -> Result<SyncReport, StoreError> {
    let walk = tree::walk(root, &options.collections);
    let mut report = SyncReport::default();
    report.errors.extend(
        walk.unreadable
            .iter()
            .map(|(dir, cause)| unreadable_dir(root, dir, cause)),
    );
    report.warnings.extend(
        walk.links
            .iter()
            .map(|link| tree::skipped_link(root, link, link)),
    );
    report
        .warnings
        .extend(walk.unread.iter().map(|path| tree::unread_post(path)));
    report.warnings.extend(
        walk.unpublished
            .iter()
            .map(|(folder, files)| tree::unpublished_folder(folder, *files)),
    );
    let priors = priors(store)?;
    // A store that held pages before: one a section above them changed in.
    let warm = priors.values().any(|prior| prior.source.is_some());
    let known = priors.iter().filter(|(_, prior)| prior.source.is_some());
    remove_missing(store, root, &walk, known.map(|(key, _)| key), &mut report)?;
    let settings = Settings::of(options);
    let pass = Pass {
        store,
        root,
        priors: &priors,
        settings: &settings,
        on_progress,
        on_stored,
    };
    pass.apply(&walk.files, &mut report)?;
    let sections = std::mem::take(&mut report.sections_changed);
    if warm {
        reparse_cascaded(store, root, &sections, options, &mut report)?;
    }
    store.flush()?;
    crate::background::release_free_memory();
    Ok(report)
}

/// Applies one file's outcome of a full sync. `slug_owner` holds the slugs
/// claimed so far in this sync; `on_stored` hears of each post stored.
fn settle(
    (store, root, on_stored): (&Store, &Path, OnStored),
    relative: PathBuf,
    outcome: Outcome,
    slug_owner: &mut HashMap<String, PathBuf>,
    report: &mut SyncReport,
) -> Result<(), StoreError> {
    match outcome {
        Outcome::Unchanged(stat, slug) => {
            unchanged(store, &relative, stat, report)?;
            slug_owner.insert(slug, relative);
        }
        Outcome::Failed(err) => report.failed(err),
        Outcome::Parsed(parsed, hash, warnings, stat) => {
            report.warnings.extend(warnings);
            if content::is_section_path(&relative) {
                report.sections_changed.push(relative.clone());
            }
            let parsed = distinct(store, root, &relative, parsed, slug_owner)?;
            let (doc, encoded) = &*parsed;
            if claim(store, root, relative.clone(), &doc.slug, slug_owner, report)? {
                apply(store, (doc, encoded), &hash, false, report)?;
                on_stored(doc);
                keep_stat(store, &relative, stat)?;
            }
        }
    }
    Ok(())
}

/// Counts an unchanged file, keeping its stat record when it was read.
fn unchanged(
    store: &Store,
    relative: &Path,
    stat: Option<StatRecord>,
    report: &mut SyncReport,
) -> Result<(), StoreError> {
    report.unchanged += 1;
    if stat.is_none() {
        report.unread += 1;
    }
    keep_stat(store, relative, stat)
}

/// Keeps the stat record of a file just read, once its post is stored.
fn keep_stat(store: &Store, relative: &Path, stat: Option<StatRecord>) -> Result<(), StoreError> {
    match stat {
        Some(stat) => store.set_stat(relative, &stat),
        None => Ok(()),
    }
}

/// Removes the posts whose source the walk no longer found, in path
/// order; `known` are the stored source keys (from [`priors`]: one walk
/// of the sources tree serves both). A post in a directory that could not
/// be read is not removed: its last good version stays online.
fn remove_missing<'a>(
    store: &Store,
    root: &Path,
    walk: &tree::Walk,
    known: impl Iterator<Item = &'a String>,
    report: &mut SyncReport,
) -> Result<(), StoreError> {
    let seen: HashSet<&Path> = walk
        .files
        .iter()
        .map(|path| path.strip_prefix(root).unwrap_or(path))
        .collect();
    let mut missing: Vec<&Path> = known
        .map(Path::new)
        .filter(|known| !seen.contains(known))
        .collect();
    missing.sort_unstable();
    for known in missing {
        let hidden = walk
            .unreadable
            .iter()
            .any(|(dir, _)| known.starts_with(dir));
        if !hidden {
            remove(store, known, report)?;
        }
    }
    Ok(())
}

/// Whether a change to `relative`, which is a document now or not
/// (`document`, [`tree::is_document`]), concerns the store: it is one, or
/// an HTML file stored as one before (its front matter gone, or the file).
fn is_synced(
    store: &Store,
    relative: &Path,
    document: bool,
    collections: &[String],
) -> Result<bool, StoreError> {
    if document {
        return Ok(true);
    }
    if !content::paths::is_html_path_in(relative, collections) {
        return Ok(false);
    }
    Ok(store.source(relative)?.is_some())
}

/// Removes the post from `relative`, if any, and tells [`super::renames`]:
/// when the same post came under another slug, its old URL now redirects.
fn remove(store: &Store, relative: &Path, report: &mut SyncReport) -> Result<(), StoreError> {
    if content::is_section_path(relative) {
        report.sections_changed.push(relative.to_path_buf());
    }
    let trace = stored_trace(store, relative)?;
    store.forget_stat(relative)?;
    let Some(slug) = store.remove_source(relative)? else {
        return Ok(());
    };
    report.removed.push(slug);
    if let Some(gone) = trace
        && let Some(to) = store.post_gone(&gone)?
    {
        report.moved.push((gone.slug, to));
    }
    Ok(())
}

/// What [`super::renames`] needs of the post stored from `relative`.
fn stored_trace(store: &Store, relative: &Path) -> Result<Option<Trace>, StoreError> {
    let Some(record) = store.source(relative)? else {
        return Ok(None);
    };
    let Some(listing) = store.listing(&record.slug)? else {
        return Ok(None);
    };
    let summary = listing.summary;
    let url = crate::urls::permalink::decode(&summary.url);
    Ok(Some(Trace::new(
        record.slug,
        url,
        record.hash,
        summary.title,
        summary.date,
    )))
}

/// Syncs one path the watcher reported as created, changed or removed. A
/// path that is (or is reached through) a link counts as removed, with a
/// warning ([`tree`]).
pub fn sync_path(
    store: &Store,
    root: &Path,
    path: &Path,
    options: &RenderOptions,
) -> Result<SyncReport, StoreError> {
    let mut report = SyncReport::default();
    let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    // Read once: an HTML file is a document by its first line.
    let document = tree::is_document(root, &relative, &options.collections);
    if !is_synced(store, &relative, document, &options.collections)? {
        if is_image_or_media(&relative) {
            reparse_dependents(store, root, &relative, options, &mut report)?;
            store.flush()?;
        }
        return Ok(report);
    }
    if let Some(link) = tree::first_link(root, &relative) {
        report
            .warnings
            .push(tree::skipped_link(root, &relative, &link));
        remove(store, &relative, &mut report)?;
    } else if !path.exists() || !document {
        remove(store, &relative, &mut report)?;
    } else {
        sync_file(store, root, path, options, &mut report)?;
    }
    let mut sections = std::mem::take(&mut report.sections_changed);
    if content::is_section_path(&relative) && !sections.contains(&relative) {
        sections.push(relative);
    }
    reparse_cascaded(store, root, &sections, options, &mut report)?;
    store.flush()?;
    Ok(report)
}

/// Parses again the pages below the changed section files `sections` that
/// read a param (`content::params`): a `cascade` there hands down their
/// values, though the pages' own text is unchanged. Their text is read to
/// know (cheap beside a render); the sections themselves were just parsed.
fn reparse_cascaded(
    store: &Store,
    root: &Path,
    sections: &[PathBuf],
    options: &RenderOptions,
    report: &mut SyncReport,
) -> Result<(), StoreError> {
    if sections.is_empty() {
        return Ok(());
    }
    let folders: Vec<&Path> = sections.iter().filter_map(|s| s.parent()).collect();
    let below = |source: &Path| folders.iter().any(|folder| source.starts_with(folder));
    let sources: Vec<PathBuf> = store
        .all_sources()?
        .into_iter()
        .map(|(key, _)| PathBuf::from(key))
        .filter(|source| below(source) && !sections.contains(source))
        .collect();
    for source in sources {
        let path = root.join(&source);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if content::names_param(&text) {
            parse_file(store, root, &path, options, true, report)?;
        }
    }
    Ok(())
}

/// Files whose change can change a post's page (its sizes, its problems):
/// not an editor's swap file, which would cost a look at every post.
fn is_image_or_media(path: &Path) -> bool {
    const TYPES: [&str; 12] = [
        "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "mp4", "webm", "mp3", "ogg", "pdf",
    ];
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| TYPES.contains(&e.to_ascii_lowercase().as_str()))
}

/// Parses again the posts that show or link the file `relative` (an
/// image replaced, added or removed beside them), although their own text
/// is unchanged: their images' sizes and problems come from that file.
fn reparse_dependents(
    store: &Store,
    root: &Path,
    relative: &Path,
    options: &RenderOptions,
    report: &mut SyncReport,
) -> Result<(), StoreError> {
    let named = |doc: &Document| {
        doc.asset_dir
            .as_ref()
            .is_some_and(|dir| relative.starts_with(dir))
            || doc.images.iter().any(|image| image.path == relative)
            || doc.files.iter().any(|file| file == relative)
    };
    let sources: Vec<PathBuf> = store
        .all_posts()
        .filter_map(Result::ok)
        .filter(|doc| named(doc))
        .map(|doc| root.join(doc.source))
        .collect();
    for source in sources {
        parse_file(store, root, &source, options, true, report)?;
    }
    Ok(())
}

/// [`sync_path`] for a file that is there.
fn sync_file(
    store: &Store,
    root: &Path,
    path: &Path,
    options: &RenderOptions,
    report: &mut SyncReport,
) -> Result<(), StoreError> {
    parse_file(store, root, path, options, false, report)
}

/// Parses `path` and stores it, unless its text and settings are the
/// ones stored (and `again` is false).
fn parse_file(
    store: &Store,
    root: &Path,
    path: &Path,
    options: &RenderOptions,
    again: bool,
    report: &mut SyncReport,
) -> Result<(), StoreError> {
    let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let settings = Settings::of(options);
    let prior = Prior::of(store, &relative);
    match read_and_parse(root, path, &settings, &prior, again) {
        Outcome::Unchanged(stat, _) => unchanged(store, &relative, stat, report)?,
        Outcome::Failed(err) => report.failed(err),
        Outcome::Parsed(parsed, hash, warnings, stat) => {
            report.warnings.extend(warnings);
            // One path: no other file has claimed a slug in this sync.
            let mut claims = HashMap::new();
            let parsed = distinct(store, root, &relative, parsed, &claims)?;
            let (doc, encoded) = &*parsed;
            if claim(
                store,
                root,
                relative.clone(),
                &doc.slug,
                &mut claims,
                report,
            )? {
                apply(store, (doc, encoded), &hash, true, report)?;
                keep_stat(store, &relative, stat)?;
            }
        }
    }
    Ok(())
}

/// Stores `doc`. A new source is told to [`super::renames`]; `remember`
/// keeps it for a removal in a later sync (the watcher's single paths).
fn apply(
    store: &Store,
    (doc, encoded): (&Document, &Encoded),
    hash: &str,
    remember: bool,
    report: &mut SyncReport,
) -> Result<(), StoreError> {
    let previous = store.source(&doc.source)?;
    let old_listing = match &previous {
        Some(record) => store.listing(&record.slug)?,
        None => None,
    };
    store.upsert_encoded(doc, encoded, hash)?;
    if previous.is_some() {
        if old_listing.as_ref() != Some(&super::Listing::of(doc)) {
            report.listing_changed.push(doc.slug.clone());
        }
        report.updated.push(doc.slug.clone());
        return Ok(());
    }
    report.added.push(doc.slug.clone());
    let came = Trace::new(
        doc.slug.clone(),
        doc.url.clone(),
        hash.to_string(),
        doc.title.clone(),
        doc.date,
    );
    if let Some(from) = store.post_came(&came, remember)? {
        report.moved.push((from, doc.slug.clone()));
    }
    Ok(())
}

fn unreadable_dir(root: &Path, relative: &Path, cause: &str) -> ContentError {
    let shown = if relative.as_os_str().is_empty() {
        root
    } else {
        relative
    };
    ContentError::new(
        shown,
        None,
        format!("cannot read this directory: {cause}"),
        "make it readable by the user running quire; the posts in it stay online as they were",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replaced_image_resizes_the_posts_that_show_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a")).unwrap();
        let text = "+++\ntitle = \"A\"\ndate = 2026-01-01\n+++\n![c](chart.png)\n";
        std::fs::write(root.join("a/index.md"), text).unwrap();
        let png = |w, h| {
            image::RgbImage::new(w, h)
                .save(root.join("a/chart.png"))
                .unwrap()
        };
        png(100, 50);
        let store = Store::temporary().unwrap();
        let options = RenderOptions::default();
        sync_all(&store, root, &options, &|| {}).unwrap();
        let html = |store: &Store| store.post("a").unwrap().unwrap().html;
        assert!(html(&store).contains("width=\"100\""), "{}", html(&store));
        png(300, 80);
        let report = sync_path(&store, root, &root.join("a/chart.png"), &options).unwrap();
        assert_eq!(report.updated, ["a"]);
        assert!(
            html(&store).contains("width=\"300\" height=\"80\""),
            "{}",
            html(&store)
        );
        std::fs::remove_file(root.join("a/chart.png")).unwrap();
        let report = sync_path(&store, root, &root.join("a/chart.png"), &options).unwrap();
        assert!(
            report.warnings[0].message.contains("missing file"),
            "{:?}",
            report.warnings
        );
        let swap = sync_path(&store, root, &root.join("a/.index.md.swp"), &options).unwrap();
        assert!(swap.updated.is_empty());
    }
}
