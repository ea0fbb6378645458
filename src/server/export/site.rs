//! The site `quire export` writes, set up as `serve` sets it up (the same
//! directories, settings, ingest into the data folder's store, the
//! owner's stylesheet), with `base_url` fixed and every image copy made
//! first; and the addresses the crawl starts from.
//!
//! Why a module of its own: start-up is `serve`'s, reused through the
//! same functions, and kept apart from what is done with the answers.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use crate::server::cli::{ExportArgs, ServeArgs};
use crate::server::commands::{load_config, open_and_ingest, own_stylesheet, usage};
use crate::server::directories::{demo_config, prepare_directories};
use crate::server::{Site, SiteOptions, search_index, sitemaps};
use crate::urls;

/// The site, ingested and indexed, and the client bundle's folder.
pub fn prepare(args: &ExportArgs) -> anyhow::Result<(Arc<Site>, Option<PathBuf>)> {
    let (content_dir, demo) = prepare_directories(&serve_args(args))?;
    let mut loaded = load_config(args.config.config.as_deref())?;
    if let (false, Some(text)) = (loaded.found, demo) {
        loaded = demo_config(&text)?;
    }
    let base_url_set = loaded.base_url_set;
    let mut config = loaded.config;
    set_base_url(&mut config, args.base_url.as_deref(), base_url_set)?;
    let stylesheet = own_stylesheet(&config, &content_dir)?;
    // The logos, favicon set and partials, as `serve` loads them.
    let theme = crate::server::theme::Theme::load(&config, &content_dir).map_err(usage)?;
    // The index `serve` keeps in the data folder: a second export (or one
    // after `serve`) only catches up what changed.
    let (search, opened) = search_index::open(&args.data);
    let (store, report, failure, digest_before) =
        open_and_ingest(&args.data, &content_dir, &config, (&search, args.drafts))?;
    if let Some(e) = failure {
        return Err(anyhow::anyhow!(
            "cannot bring the store in {} up to date: {e}",
            args.data.display()
        ));
    }
    let options = SiteOptions {
        show_drafts: args.drafts,
        ..SiteOptions::default()
    };
    let mut site = Site::with_search(store, search, config, content_dir, options);
    site.custom_css = stylesheet;
    site.theme.set(theme);
    // Each page is asked for once: a cache would only hold it and
    // compress it a second time (the bytes are the same without it).
    site.cache = crate::server::cache::PageCache::with_max_mb(0, false);
    let changed = report
        .added
        .iter()
        .chain(&report.updated)
        .chain(&report.removed);
    let ingested = search_index::Ingested {
        digest_before,
        changed: changed.cloned().collect(),
    };
    search_index::update_now(&site, opened.as_ref(), &ingested)?;
    // From the images' own tree, not every post decoded and held at once.
    let images = site.store().all_images()?;
    site.images
        .make_now(args.data.join("images"), &site.content_dir, &images)?;
    let public = std::env::var_os("DIOXUS_PUBLIC_PATH").map(PathBuf::from);
    Ok((Arc::new(site), public))
}

/// `serve`'s arguments for the same content, settings and data.
fn serve_args(args: &ExportArgs) -> ServeArgs {
    ServeArgs {
        content: crate::server::cli::ContentArg {
            content: args.content.content.clone(),
        },
        config: crate::server::cli::ConfigArg {
            config: args.config.config.clone(),
        },
        data: args.data.clone(),
        drafts: args.drafts,
        ..ServeArgs::default()
    }
}

/// `--base-url` over the settings' `base_url`; with neither, a warning.
fn set_base_url(
    config: &mut crate::server::SiteConfig,
    flag: Option<&str>,
    set_in_settings: bool,
) -> anyhow::Result<()> {
    match flag {
        Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
            config.base_url = url.trim_end_matches('/').to_string();
        }
        Some(url) => {
            return Err(usage(format!(
                "--base-url {url} is not an http(s) address; give the public address, such as https://blog.example"
            )));
        }
        None if !set_in_settings => tracing::warn!(
            base_url = %config.base_url,
            "no base_url set: feeds, the sitemap and canonical links name this address; pass --base-url https://your.host"
        ),
        None => {}
    }
    Ok(())
}

/// Where the crawl starts: the index, every address of the sitemap,
/// the sitemap itself, the feeds (the site's, each category's and tag's), robots.txt, the search page, the old
/// addresses the store redirects, the client bundle's files and the
/// owner's `static/` folder. Links of the pages add the rest.
pub fn seeds(site: &Site, public: Option<&Path>) -> anyhow::Result<Vec<String>> {
    let snapshot = site.blog.snapshot()?;
    let languages = site.blog.languages();
    let entries = sitemaps::entries(snapshot.listings.iter(), &snapshot.pages, &languages);
    let alternates = sitemaps::alternates(&snapshot, &languages.default);
    let base = &site.config.base_url;
    let mut seeds: Vec<String> = entries.iter().map(|(path, _)| path.clone()).collect();
    let files = sitemaps::split(base, entries, site.config.sitemap_urls, alternates);
    // Category and tag feeds, which no page links to (author and section
    // feeds are found by their pages' `<link rel="alternate">`).
    let facet_feeds: Vec<String> = seeds
        .iter()
        .filter(|path| path.starts_with("/category/") || path.starts_with("/tags/"))
        .map(|path| format!("{path}{}", urls::ATOM))
        .collect();
    seeds.extend(facet_feeds);
    seeds.extend((1..=files.parts().len()).map(sitemaps::file_path));
    let fixed = [
        urls::SITEMAP,
        urls::ROBOTS,
        urls::ATOM,
        urls::RSS,
        urls::JSON_FEED,
    ];
    seeds.extend(fixed.iter().map(|p| p.to_string()));
    seeds.push(urls::SEARCH.to_string());
    seeds.extend(site.store().alias_paths()?);
    if let Some(public) = public {
        seeds.extend(files_under(public).filter(|p| p != "/index.html"));
    }
    if let Some(dir) = &site.static_dir {
        seeds.extend(files_under(dir));
    }
    Ok(seeds)
}

/// The site address of every visible file under `dir`.
fn files_under(dir: &Path) -> impl Iterator<Item = String> + '_ {
    WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(move |e| {
            let relative = e.path().strip_prefix(dir).ok()?;
            let segments: Vec<String> = relative
                .components()
                .map(|c| urls::encode_segment(&c.as_os_str().to_string_lossy()))
                .collect();
            Some(format!("/{}", segments.join("/")))
        })
}
