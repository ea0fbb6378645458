//! `quire export DIR`: the whole site as files, for a host that runs no
//! code (GitHub Pages, an object store, nginx, any CDN).
//!
//! The site is built the way `serve` builds it (same content, settings
//! and data folder), then every address is asked of the same router
//! `serve` runs, in process ([`crawl`]), so each page is byte-identical to
//! what `serve` sends for the same `base_url`. The answers are written
//! where static hosts look for them ([`files`]), with `.br`/`.gz` copies,
//! only when they changed ([`output`]); redirects become pages and a
//! `_redirects` file ([`redirects`]); the search index becomes files the
//! browser searches itself ([`search`]). What only a server can do (query
//! strings, response headers, `/api/`) is listed in docs/DEPLOY.md.

mod collect;
mod crawl;
pub mod files;
pub mod filtered;
pub mod inputs;
pub mod links;
pub mod narrow;
mod old;
pub mod output;
pub mod redirects;
mod relative;
mod search;
mod site;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use axum::http::StatusCode;
use rayon::prelude::*;

use self::collect::{Collect, Summary};
use self::crawl::{Crawl, Fetched};
use self::inputs::Again;
use self::output::{File, Rest};
use super::cli::ExportArgs;
use super::commands::{CommandResult, usage};
use super::{Site, http};

pub use self::site::prepare;

/// The address asked for to get the site's 404 page (any address the
/// site does not have answers with the same page).
const NOT_FOUND_PROBE: &str = "/404.html";

/// Runs `quire export`.
pub fn run(args: ExportArgs) -> CommandResult {
    let started = std::time::Instant::now();
    let (site, public) = prepare(&args)?;
    check_target(&args.dir, &site.content_dir)?;
    let prepared = started.elapsed();
    let inputs = inputs::Inputs::of(&site, public.as_deref(), (args.drafts, args.relative))?;
    let ready = started.elapsed();
    let dir = args.dir.as_path();
    let writer = output::Writer::open(dir).map_err(|e| cannot_write(dir, e))?;
    let (search_files, engine) = search::files(&site, public.as_deref())?;
    let searched = started.elapsed();
    let runtime = tokio::runtime::Runtime::new()?;
    let app = http::router(site.clone());
    let known = runtime.block_on(ask_again(&site, &app, dir, &inputs, &engine))?;
    let asked = match known {
        Some(asked) => asked,
        None => {
            inputs::forget(dir).map_err(|e| cannot_write(dir, e))?;
            let whole = Whole {
                site: &site,
                app: &app,
                engine: &engine,
                relative: args.relative,
            };
            whole.ask(&runtime, public.as_deref(), &writer)?
        }
    };
    let crawled = started.elapsed();
    let written = write(&args, inputs, asked, writer, search_files)?;
    tracing::info!(
        ingest_ms = prepared.as_millis() as u64,
        inputs_ms = (ready - prepared).as_millis() as u64,
        search_ms = (searched - ready).as_millis() as u64,
        crawl_and_write_ms = (crawled - searched).as_millis() as u64,
        rest_ms = (started.elapsed() - crawled).as_millis() as u64,
        "export phases (site ready; inputs read; search index made; every address asked, its file written; the rest written)"
    );
    report(&args.dir, &written, started.elapsed());
    Ok(0)
}

fn cannot_write(dir: &Path, e: std::io::Error) -> anyhow::Error {
    anyhow::anyhow!("cannot write into {}: {e}", dir.display())
}

/// What the site was asked this time.
struct Asked {
    crawl: Crawl,
    /// The files of its answers not written yet, and the counts.
    collect: Collect,
    /// Every address the folder holds an answer for, and when to ask it
    /// again.
    addresses: BTreeMap<String, Again>,
    /// What an earlier export wrote stays (only some addresses were
    /// asked again).
    rest: Rest,
}

/// Every address of the site asked, from the seeds.
struct Whole<'a> {
    site: &'a Arc<Site>,
    app: &'a http::App,
    engine: &'a str,
    /// Links are rewritten relative, which needs every file's name
    /// first: the files are held until the crawl is done.
    relative: bool,
}

impl Whole<'_> {
    /// Asks every address; each answer's file is compressed and written
    /// by `writer` on rayon's threads as the crawl goes on (held instead
    /// for `--relative`), at most [`IN_WRITING`] files waiting at once.
    fn ask(
        &self,
        runtime: &tokio::runtime::Runtime,
        public: Option<&Path>,
        writer: &output::Writer,
    ) -> anyhow::Result<Asked> {
        let mut seeds = site::seeds(self.site, public)?;
        seeds.push(NOT_FOUND_PROBE.to_string());
        let config = &self.site.config;
        let (base_url, language) = (config.base_url.as_str(), config.language.as_str());
        if self.relative {
            let collect =
                Collect::held(base_url, language, self.engine).with_taxonomies(&config.taxonomies);
            return runtime.block_on(self.crawl(seeds, collect));
        }
        std::thread::scope(|scope| {
            let (out, files) = std::sync::mpsc::sync_channel::<File>(IN_WRITING);
            let writing = scope.spawn(move || {
                let files = files.into_iter().par_bridge();
                files.try_for_each(|file| writer.put(narrowed(file)))
            });
            let collect = Collect::sent(base_url, language, self.engine, out)
                .with_taxonomies(&config.taxonomies);
            let asked = runtime.block_on(self.crawl(seeds, collect));
            let wrote = writing
                .join()
                .map_err(|_| anyhow::anyhow!("a write panicked"))?;
            wrote.map_err(|e| cannot_write(writer.dir(), e))?;
            asked
        })
    }

    async fn crawl(&self, seeds: Vec<String>, mut collect: Collect) -> anyhow::Result<Asked> {
        let base_url = &self.site.config.base_url;
        let mut keep = |answer| collect.take(answer);
        let old = old::Spellings::of(&self.site.config);
        let asks = (seeds, HashSet::new());
        let crawl = crawl::crawl(self.app, asks, old.as_ref(), base_url, &mut keep).await;
        // Whatever happened, the writer's thread sees the end.
        collect.close();
        let crawl = crawl?;
        Ok(Asked {
            addresses: addresses(self.site, &crawl),
            crawl,
            collect,
            rest: Rest::Removed,
        })
    }
}

/// Files sent to be written and not yet taken: enough to keep every core
/// compressing, few enough that memory does not grow with the site.
const IN_WRITING: usize = 64;

/// Asks again only what the last export's record says a change since
/// can have touched ([`inputs`]); `None` when the whole site must be
/// asked: no record, another digest, a file of the folder missing, or
/// an answer that is not a plain page (a new redirect or broken link is
/// the whole site's business: `_redirects`, the report).
async fn ask_again(
    site: &Site,
    app: &http::App,
    dir: &Path,
    now: &inputs::Inputs,
    engine: &str,
) -> anyhow::Result<Option<Asked>> {
    let whole = |why: &str| {
        tracing::info!("every address is asked: {why}");
        Ok(None)
    };
    let Some(old) = inputs::read(dir) else {
        return whole("no record of an earlier export into this folder");
    };
    let Some(again) = old.again(now) else {
        return whole("the site changed beyond the bodies of its posts since the last export");
    };
    if !output::is_whole(dir) {
        return whole("a file the last export wrote is missing");
    }
    let known = old.addresses.keys().cloned().collect();
    let config = &site.config;
    let mut collect = Collect::held(&config.base_url, &config.language, engine)
        .with_taxonomies(&config.taxonomies);
    let mut keep = |answer| collect.take(answer);
    // A list's old spellings are asked by whole exports only: a change
    // that adds or removes a list is not one of a post's body.
    let crawl = crawl::crawl(app, (again, known), None, &config.base_url, &mut keep).await?;
    let plain = |a: &&Fetched| a.status == StatusCode::OK || a.path == NOT_FOUND_PROBE;
    if let Some(odd) = crawl.fetched.iter().find(|a| !plain(a)) {
        let why = format!("{} answers {}, not a page", odd.path, odd.status);
        return whole(&why);
    }
    let mut addresses = old.addresses;
    addresses.extend(self::addresses(site, &crawl));
    Ok(Some(Asked {
        crawl,
        collect,
        addresses,
        // The search index is written whole: a shard it no longer has goes.
        rest: Rest::Kept {
            but: search::folder(),
        },
    }))
}

/// When each answer of `crawl` is asked again. A broken link is not
/// (only a new post or address can mend it, and that asks everything),
/// nor a redirect (only a change of addresses moves it, and that too
/// asks everything: a list's old `/search/` is no search page).
fn addresses(site: &Site, crawl: &Crawl) -> BTreeMap<String, Again> {
    let when = |answer: &Fetched| match answer.status {
        StatusCode::NOT_FOUND if answer.path != NOT_FOUND_PROBE => Again::Never,
        status if status.is_redirection() => Again::Never,
        _ => inputs::again_for(site, answer),
    };
    crawl
        .fetched
        .iter()
        .map(|answer| (answer.path.clone(), when(answer)))
        .collect()
}

/// Writes what the crawl left to write (held answers, redirect pages),
/// the search index and the record of the inputs.
fn write(
    args: &ExportArgs,
    inputs: inputs::Inputs,
    asked: Asked,
    writer: output::Writer,
    search_files: Vec<File>,
) -> anyhow::Result<Done> {
    let dir = args.dir.as_path();
    let count = (asked.crawl.fetched.len(), asked.addresses.len());
    let whole = asked.rest == Rest::Removed;
    let (files, summary) = asked.collect.finish(whole);
    let mut files: Vec<File> = files.into_par_iter().map(narrowed).collect();
    files.extend(search_files);
    if args.relative {
        relative_links(dir, &mut files, asked.rest);
    }
    let put = files.into_par_iter().try_for_each(|file| writer.put(file));
    put.map_err(|e| cannot_write(dir, e))?;
    let written = writer
        .finish(asked.rest)
        .map_err(|e| cannot_write(dir, e))?;
    if asked.addresses.keys().all(|path| inputs::recordable(path)) {
        let addresses = asked.addresses;
        let recorded = inputs::Recorded { inputs, addresses };
        inputs::write(dir, &recorded).map_err(|e| cannot_write(dir, e))?;
    }
    Ok(Done {
        summary,
        written,
        crawl: asked.crawl,
        whole,
        asked: count,
    })
}

/// A page's links filtering by several facets, which a static host
/// cannot answer, narrowed to the one facet each adds ([`narrow`]).
fn narrowed(mut file: File) -> File {
    let html = file.path.extension().is_some_and(|e| e == "html");
    if let Some(bytes) = html.then(|| narrow::page(&file.bytes)).flatten() {
        file.bytes = bytes;
    }
    file
}

/// Every page's root-relative links as paths from its own file
/// (`--relative`, [`relative`]): to the files written now and, when the
/// rest is kept, to those the last export wrote.
fn relative_links(dir: &Path, files: &mut [File], rest: Rest) {
    let written = files.iter().map(|f| output::slash_path(&f.path));
    let kept = match rest {
        Rest::Kept { .. } => output::manifest_paths(dir),
        Rest::Removed => Vec::new(),
    };
    let targets = relative::Targets::new(written.chain(kept));
    files.par_iter_mut().for_each(|file| {
        let from = output::slash_path(&file.path);
        if from.ends_with(".html") {
            file.bytes = targets.rewrite(&file.bytes, &from);
        }
    });
}

/// What an export did, for the report.
struct Done {
    summary: Summary,
    written: output::Written,
    crawl: Crawl,
    whole: bool,
    /// Addresses asked, of those the folder holds answers for.
    asked: (usize, usize),
}

/// Refuses an export folder that is, or is inside, or holds the content.
fn check_target(dir: &Path, content: &Path) -> anyhow::Result<()> {
    let dir = std::path::absolute(dir)?;
    let content = content.canonicalize().unwrap_or(content.to_path_buf());
    let dir = dir.canonicalize().unwrap_or(dir);
    if dir.starts_with(&content) || content.starts_with(&dir) {
        return Err(usage(format!(
            "{} overlaps the content directory {}: Quire never writes into content/; export into a folder of its own, such as ./public",
            dir.display(),
            content.display()
        )));
    }
    Ok(())
}

fn report(dir: &Path, done: &Done, elapsed: std::time::Duration) {
    let (summary, written, crawl) = (&done.summary, &done.written, &done.crawl);
    for broken in &summary.broken {
        tracing::warn!("a link of the site answers with an error, not exported: {broken}");
    }
    for link in &crawl.malformed {
        tracing::warn!("a link of the site is not a valid address, not exported: {link}");
    }
    if !crawl.server_only.is_empty() {
        tracing::info!(
            links = crawl.server_only.len(),
            "links filtering by several facets at once, which a static host cannot answer, lead to the one facet each adds to its page's"
        );
    }
    let exported = match done.whole {
        true => format!(
            "exported {} pages, {} other files and {} redirect pages",
            summary.pages, summary.other, summary.redirects
        ),
        false => format!(
            "exported again the {} of {} addresses the changes since the last export can touch (the rest kept as they are)",
            done.asked.0, done.asked.1
        ),
    };
    println!(
        "{exported} into {} in {} ms: {} files ({} bytes) in all; {} written, {} unchanged, {} removed",
        dir.display(),
        elapsed.as_millis(),
        written.files,
        written.bytes,
        written.written,
        written.unchanged,
        written.removed
    );
}
