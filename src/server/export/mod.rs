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
pub mod links;
pub mod output;
pub mod redirects;
mod search;
mod site;

use std::path::Path;

use axum::http::StatusCode;

use self::crawl::{Crawl, Fetched};
use self::output::File;
use self::redirects::Moved;
use super::cli::ExportArgs;
use super::commands::{CommandResult, usage};
use super::http;

pub use self::site::prepare;

/// The address asked for to get the site's 404 page (any address the
/// site does not have answers with the same page).
const NOT_FOUND_PROBE: &str = "/404.html";

/// Runs `quire export`.
pub fn run(args: ExportArgs) -> CommandResult {
    let started = std::time::Instant::now();
    let (site, public) = prepare(&args)?;
    check_target(&args.dir, &site.content_dir)?;
    let ready = started.elapsed();
    let runtime = tokio::runtime::Runtime::new()?;
    let app = http::router(site.clone());
    let seeds = site::seeds(&site, public.as_deref())?;
    let mut crawl = runtime.block_on(async {
        let mut crawl = crawl::crawl(&app, seeds, &site.config.base_url).await?;
        let not_found = crawl::fetch(&app, NOT_FOUND_PROBE).await?;
        crawl.fetched.push(not_found);
        anyhow::Ok(crawl)
    })?;
    let crawled = started.elapsed();
    // The bodies move into the files: a second copy of every page would
    // double the export's memory.
    let fetched = std::mem::take(&mut crawl.fetched);
    let (mut files, summary) = files_of(fetched, &site.config.base_url, &site.config.language);
    files.extend(search::files(&site, public.as_deref())?);
    let written = output::write_all(&args.dir, files)
        .map_err(|e| anyhow::anyhow!("cannot write into {}: {e}", args.dir.display()))?;
    tracing::info!(
        ingest_ms = ready.as_millis() as u64,
        render_ms = (crawled - ready).as_millis() as u64,
        write_ms = (started.elapsed() - crawled).as_millis() as u64,
        "export phases (site ready, every address asked, files compressed and written)"
    );
    report(&args.dir, &summary, &written, &crawl, started.elapsed());
    Ok(0)
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
fn files_of(fetched: Vec<Fetched>, base_url: &str, language: &str) -> (Vec<File>, Summary) {
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
/// Jekyll's), which a static host looks for there.
fn redirect_files(from: &str) -> Vec<std::path::PathBuf> {
    let Some(html) = files::file_for(from, true) else {
        return Vec::new();
    };
    let mut out = vec![html];
    if from != "/"
        && let Some(folder) = files::file_for(&format!("{from}/index.html"), true)
    {
        out.push(folder);
    }
    out
}

fn report(
    dir: &Path,
    summary: &Summary,
    written: &output::Written,
    crawl: &Crawl,
    elapsed: std::time::Duration,
) {
    for broken in &summary.broken {
        tracing::warn!("a link of the site answers with an error, not exported: {broken}");
    }
    for link in &crawl.malformed {
        tracing::warn!("a link of the site is not a valid address, not exported: {link}");
    }
    if !crawl.server_only.is_empty() {
        tracing::info!(
            links = crawl.server_only.len(),
            "links filtering by several facets at once are left to a server: a static host shows them unfiltered"
        );
    }
    println!(
        "exported {} pages, {} other files and {} redirect pages into {} in {} ms: {} files ({} bytes) in all; {} written, {} unchanged, {} removed",
        summary.pages,
        summary.other,
        summary.redirects,
        dir.display(),
        elapsed.as_millis(),
        written.files,
        written.bytes,
        written.written,
        written.unchanged,
        written.removed
    );
}
