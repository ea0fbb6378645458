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

mod crawl;
pub mod files;
pub mod filtered;
pub mod inputs;
pub mod links;
pub mod narrow;
pub mod output;
pub mod redirects;
mod relative;
mod search;
mod site;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use axum::http::StatusCode;
use rayon::prelude::*;

use self::crawl::{Crawl, Fetched};
use self::inputs::Again;
use self::output::{File, Rest};
use self::redirects::Moved;
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
    let inputs = inputs::Inputs::of(&site, public.as_deref(), (args.drafts, args.relative))?;
    let ready = started.elapsed();
    let runtime = tokio::runtime::Runtime::new()?;
    let app = http::router(site.clone());
    let asked = runtime.block_on(async {
        if let Some(some) = ask_again(&site, &app, &args.dir, &inputs).await? {
            return anyhow::Ok(some);
        }
        let mut seeds = site::seeds(&site, public.as_deref())?;
        seeds.push(NOT_FOUND_PROBE.to_string());
        let crawl = crawl::crawl(&app, seeds, HashSet::new(), &site.config.base_url).await?;
        anyhow::Ok(Asked::whole(&site, crawl))
    })?;
    let crawled = started.elapsed();
    let written = write(&site, &args, public.as_deref(), inputs, asked)?;
    tracing::info!(
        ingest_ms = ready.as_millis() as u64,
        render_ms = (crawled - ready).as_millis() as u64,
        write_ms = (started.elapsed() - crawled).as_millis() as u64,
        "export phases (site ready, every address asked, files compressed and written)"
    );
    report(&args.dir, &written, started.elapsed());
    Ok(0)
}

/// What the site was asked this time.
struct Asked {
    crawl: Crawl,
    /// Every address the folder holds an answer for, and when to ask it
    /// again.
    addresses: BTreeMap<String, Again>,
    /// What an earlier export wrote stays (only some addresses were
    /// asked again).
    rest: Rest,
}

impl Asked {
    fn whole(site: &Site, crawl: Crawl) -> Self {
        let addresses = addresses(site, &crawl);
        Asked {
            crawl,
            addresses,
            rest: Rest::Removed,
        }
    }
}

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
    let crawl = crawl::crawl(app, again, known, &site.config.base_url).await?;
    let plain = |a: &&Fetched| a.status == StatusCode::OK || a.path == NOT_FOUND_PROBE;
    if let Some(odd) = crawl.fetched.iter().find(|a| !plain(a)) {
        let why = format!("{} answers {}, not a page", odd.path, odd.status);
        return whole(&why);
    }
    let mut addresses = old.addresses;
    addresses.extend(self::addresses(site, &crawl));
    Ok(Some(Asked {
        crawl,
        addresses,
        // The search index is written whole: a shard it no longer has goes.
        rest: Rest::Kept {
            but: search::folder(),
        },
    }))
}

/// When each answer of `crawl` is asked again. A broken link is not
/// (only a new post or address can mend it, and that asks everything).
fn addresses(site: &Site, crawl: &Crawl) -> BTreeMap<String, Again> {
    let when = |answer: &Fetched| match answer.status {
        StatusCode::NOT_FOUND if answer.path != NOT_FOUND_PROBE => Again::Never,
        _ => inputs::again_for(site, answer),
    };
    crawl
        .fetched
        .iter()
        .map(|answer| (answer.path.clone(), when(answer)))
        .collect()
}

/// Writes the answers, the search index and the record of the inputs.
fn write(
    site: &Site,
    args: &ExportArgs,
    public: Option<&Path>,
    inputs: inputs::Inputs,
    mut asked: Asked,
) -> anyhow::Result<Done> {
    let dir = args.dir.as_path();
    let cannot = |e: std::io::Error| anyhow::anyhow!("cannot write into {}: {e}", dir.display());
    std::fs::create_dir_all(dir).map_err(cannot)?;
    inputs::forget(dir).map_err(cannot)?;
    // The bodies move into the files: a second copy of every page would
    // double the export's memory.
    let fetched = std::mem::take(&mut asked.crawl.fetched);
    let count = (fetched.len(), asked.addresses.len());
    let whole = asked.rest == Rest::Removed;
    let (mut files, summary) =
        files_of(fetched, &site.config.base_url, &site.config.language, whole);
    narrow_links(&mut files);
    let (search_files, engine) = search::files(site, public)?;
    files.retain(|file| search::kept(file, &engine));
    files.extend(search_files);
    if args.relative {
        relative_links(dir, &mut files, asked.rest);
    }
    let written = output::write_all(dir, files, asked.rest).map_err(cannot)?;
    if asked.addresses.keys().all(|path| inputs::recordable(path)) {
        let addresses = asked.addresses;
        inputs::write(dir, &inputs::Recorded { inputs, addresses }).map_err(cannot)?;
    }
    Ok(Done {
        summary,
        written,
        crawl: asked.crawl,
        whole,
        asked: count,
    })
}

/// Every page's links filtering by several facets, which a static host
/// cannot answer, narrowed to the one facet each adds ([`narrow`]).
fn narrow_links(files: &mut [File]) {
    files.par_iter_mut().for_each(|file| {
        let html = file.path.extension().is_some_and(|e| e == "html");
        if let Some(bytes) = html.then(|| narrow::page(&file.bytes)).flatten() {
            file.bytes = bytes;
        }
    });
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

/// What the export holds, counted for the report.
#[derive(Default)]
struct Summary {
    pages: usize,
    other: usize,
    redirects: usize,
    broken: Vec<String>,
}

/// The files of the crawl's answers: pages and files where a host looks
/// for them, `404.html`, redirect pages, `_redirects` and `.nojekyll`.
/// Only a `whole` export writes `_redirects` (a partial one has not seen
/// every redirect).
fn files_of(
    fetched: Vec<Fetched>,
    base_url: &str,
    language: &str,
    whole: bool,
) -> (Vec<File>, Summary) {
    let mut summary = Summary::default();
    let mut files: Vec<File> = Vec::new();
    let mut claimed = std::collections::HashSet::new();
    let mut moved = Vec::new();
    for answer in fetched {
        match answer.status {
            StatusCode::OK => {
                // Two addresses one file stands for: the first one asked wins.
                let html = answer.is_html();
                if let Some(file) = file_of(answer).filter(|f| !claimed.contains(&f.path)) {
                    if html {
                        summary.pages += 1;
                    } else {
                        summary.other += 1;
                    }
                    claimed.insert(file.path.clone());
                    files.push(file);
                }
            }
            status if status.is_redirection() => {
                if let Some(to) = answer
                    .location
                    .as_deref()
                    .and_then(|l| links::site_path(l, base_url))
                {
                    moved.push(Moved {
                        from: answer.path.clone(),
                        to,
                    });
                }
            }
            StatusCode::NOT_FOUND if answer.path == NOT_FOUND_PROBE => files.push(File {
                path: "404.html".into(),
                bytes: answer.body,
                compress: true,
            }),
            _ => summary
                .broken
                .push(format!("{} ({})", answer.path, answer.status)),
        }
    }
    moved.sort_by(|a, b| a.from.cmp(&b.from));
    for m in &moved {
        let page = redirects::page(&m.to, base_url, language);
        for file in redirect_files(&m.from) {
            if claimed.insert(file.clone()) {
                summary.redirects += 1;
                files.push(File {
                    path: file,
                    bytes: page.clone().into_bytes(),
                    compress: false,
                });
            }
        }
    }
    if !whole {
        return (files, summary);
    }
    files.push(File {
        path: "_redirects".into(),
        bytes: redirects::redirects_file(&moved, filtered::NETLIFY_RULES).into_bytes(),
        compress: false,
    });
    // GitHub Pages' Jekyll would drop every `_`-prefixed folder (`/_custom/`, `/_ref/`).
    files.push(File {
        path: ".nojekyll".into(),
        bytes: Vec::new(),
        compress: false,
    });
    (files, summary)
}

/// The file of a `200` answer.
fn file_of(answer: Fetched) -> Option<File> {
    let path = match answer.path.contains('?') {
        true => filtered::file_for(&answer.path)?,
        false => files::file_for(&answer.path, answer.is_html())?,
    };
    Some(File {
        path,
        bytes: answer.body,
        compress: files::compressible(&answer.content_type),
    })
}

/// Where a redirect page for `from` goes: `from.html`, and
/// `from/index.html` for links written with a trailing slash (Hugo's,
/// Jekyll's), which a static host looks for there. An address that is
/// a page's file name already (`/blog/x/index.html`, an old engine's
/// spelling a post linked to) is that file alone: it cannot also be a
/// folder; one that ends with a slash (`/2025/06/26/x/`, a link to the
/// old address as written) is its folder's `index.html` alone.
fn redirect_files(from: &str) -> Vec<std::path::PathBuf> {
    if let Some(folder) = from.strip_suffix('/').filter(|f| !f.is_empty()) {
        let index = files::file_for(&format!("{folder}/index.html"), true);
        return index.into_iter().collect();
    }
    let Some(html) = files::file_for(from, true) else {
        return Vec::new();
    };
    let mut out = vec![html];
    let named = from.ends_with(".html") || from.ends_with(".htm");
    if from != "/"
        && !named
        && let Some(folder) = files::file_for(&format!("{from}/index.html"), true)
    {
        out.push(folder);
    }
    out
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
