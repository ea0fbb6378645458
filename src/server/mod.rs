//! Process wiring for the native binary: CLI, start-up, HTTP, live ingest.

pub mod allocator;
pub mod bundle;
pub mod cache;
pub mod check;
pub mod cli;
pub mod client_limits;
pub mod commands;
pub mod config;
pub mod connections;
pub mod custom_css;
pub mod directories;
pub mod discovery;
pub mod edge;
pub mod export;
pub mod feeds;
pub mod health;
pub mod http;
pub mod hydration_residue;
pub mod images;
mod ingest;
pub mod languages;
pub mod live_reload;
pub mod page_rewrite;
pub mod page_template;
pub mod post_files;
pub mod redirects;
pub mod responses;
pub mod search_index;
pub mod security;
pub mod sitemaps;
mod stall;
pub mod static_files;
pub mod theme;
pub mod tls;
pub mod watcher;

use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;

use crate::model::SiteMeta;
use crate::read::Blog;
use crate::store::Store;
use crate::urls::BaseUrl;
pub use config::SiteConfig;

/// Exit status for bad usage or configuration (missing directory, busy port).
pub const EXIT_USAGE: i32 = 2;

/// One running site: what readers see ([`Blog`]) plus what serving it
/// needs. Passed explicitly as `Arc<Site>` (router state, the watcher,
/// start-up); a process may hold several (tests do).
pub struct Site {
    /// The read model the API and pages query.
    pub blog: Arc<Blog>,
    pub config: SiteConfig,
    /// Absolute, so the watcher's absolute event paths fall inside it.
    pub content_dir: PathBuf,
    /// Whether pages carry the live-reload script (`--live-reload`).
    pub live_reload: bool,
    /// Slugs of posts that changed, for live reload.
    pub changes: tokio::sync::broadcast::Sender<String>,
    /// Rendered pages, feeds and assets with their compressed variants.
    pub cache: cache::PageCache,
    /// Whether store writes fail (`/healthz`).
    pub health: health::Health,
    /// The posts' images and their resized copies.
    pub images: images::Images,
    /// The folder served at the site root (`static_files`), canonical.
    pub static_dir: Option<PathBuf>,
    /// The owner's stylesheet, linked after Quire's (`custom_css`); read
    /// by `serve` at start, again when the watcher sees it change.
    pub custom_css: custom_css::Stylesheet,
    /// The theme (`theme`): without its files until `serve` loads them
    /// ([`theme::Theme::load`]), made again when the watcher sees one
    /// change.
    pub theme: theme::Current,
    /// The split of the site into sitemap files, made once per catalog
    /// snapshot.
    pub sitemaps: discovery::SitemapParts,
}

/// How `serve` was asked to run a site.
#[derive(Clone, Copy, Debug, Default)]
pub struct SiteOptions {
    /// Drafts are listed and served (`--drafts`).
    pub show_drafts: bool,
    /// Pages reload when their post changes (`--live-reload`).
    pub live_reload: bool,
    /// No `base_url` was set: absolute URLs follow the request's `Host`
    /// (`config.base_url` is the fallback).
    pub base_url_from_host: bool,
}

impl Site {
    /// A site with the default options.
    pub fn new(store: Store, config: SiteConfig, content_dir: PathBuf) -> Self {
        Self::with_options(store, config, content_dir, SiteOptions::default())
    }

    pub fn with_options(
        store: Store,
        config: SiteConfig,
        content_dir: PathBuf,
        options: SiteOptions,
    ) -> Self {
        let search = crate::search::SearchIndex::new()
            .expect("an in-memory search index can always be created");
        Self::with_search(store, search, config, content_dir, options)
    }

    /// A site searched through `search` (`serve` keeps it on disk).
    pub fn with_search(
        store: Store,
        search: crate::search::SearchIndex,
        config: SiteConfig,
        content_dir: PathBuf,
        options: SiteOptions,
    ) -> Self {
        let meta = site_meta(&config);
        let static_dir = config.static_root(&content_dir);
        let page_size = config.page_size;
        let mut blog = Blog::with_search(store, search, meta, page_size, options.show_drafts);
        blog.home_page_size = config.home_page_size;
        blog.authors = crate::read::Authors::new(&config.authors);
        if options.base_url_from_host {
            blog.base_url = BaseUrl::FromHost {
                fallback: config.base_url.clone(),
            };
        }
        let theme = theme::Theme::without_files(&config, &content_dir);
        Self {
            blog: Arc::new(blog),
            theme: theme::Current::new(theme),
            cache: cache::PageCache::with_max_mb(config.cache_max_mb, !options.live_reload),
            config,
            content_dir,
            live_reload: options.live_reload,
            changes: tokio::sync::broadcast::channel(64).0,
            health: health::Health::default(),
            images: images::Images::default(),
            static_dir,
            custom_css: custom_css::Stylesheet::default(),
            sitemaps: discovery::SitemapParts::default(),
        }
    }

    pub fn store(&self) -> &Store {
        &self.blog.store
    }

    /// The settings with `base_url` resolved for a request's headers.
    pub fn config_for(&self, headers: &axum::http::HeaderMap) -> std::borrow::Cow<'_, SiteConfig> {
        if !self.blog.base_url.varies_by_host() {
            return std::borrow::Cow::Borrowed(&self.config);
        }
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok());
        std::borrow::Cow::Owned(SiteConfig {
            base_url: self.blog.base_url.resolve(host),
            ..self.config.clone()
        })
    }
}

/// What every page shows of the settings.
fn site_meta(config: &SiteConfig) -> SiteMeta {
    SiteMeta {
        title: config.title.clone(),
        tagline: config.tagline.clone(),
        // Pages always carry a description; with none set, the site's title.
        description: match config.description.as_str() {
            "" => config.title.clone(),
            set => set.to_string(),
        },
        base_url: config.base_url.clone(),
        language: config.language.clone(),
        author: config.author.name.clone(),
        date_format: config.date_format.clone(),
        strings: config.strings.clone(),
        edition: String::new(),
        default_language: config.language.clone(),
        languages: config.site_languages(),
        nav: config
            .nav
            .iter()
            .cloned()
            .chain(config.header_links.iter().map(|l| crate::model::NavLink {
                label: l.title.clone(),
                url: l.url.clone(),
            }))
            .collect(),
        social: config
            .social
            .iter()
            .map(|l| crate::model::NavLink {
                label: l.text(),
                url: l.url.clone(),
            })
            .collect(),
    }
}

impl Site {
    /// Everything that must follow a content change: the one place the
    /// watcher reports to (caches, search index, live-reload listeners).
    pub fn content_changed(&self, report: &crate::store::sync::SyncReport) {
        if !report.changed() {
            return;
        }
        let blog = &self.blog;
        // Removed posts' addresses are only in the catalog from before.
        let before = blog.snapshot().ok();
        let slugs = report
            .added
            .iter()
            .chain(&report.updated)
            .chain(&report.removed);
        // The index first: once the catalog shows a change, the index on
        // disk has committed it (a stop right after loses nothing).
        if let Err(err) = blog.search.update(&blog.store, slugs, blog.show_drafts) {
            tracing::error!(error = %err, "search index update failed; results may be stale");
        }
        // The next snapshot is made here, on the watcher's thread, from
        // the current one and the changed listings; requests go on with
        // the current one meanwhile.
        if let Err(err) = blog.catalog.refresh(&blog.store, blog.show_drafts) {
            tracing::error!(error = %err, "the catalog could not be brought up to date; the next request tries again");
            blog.catalog.invalidate();
        }
        self.images_changed(report.added.iter().chain(&report.updated));
        // Last: pages rendered from here on see the new catalog and index.
        self.cache.content_changed(report);
        self.announce(report, before.as_deref());
        // After the pages: the sitemap's split of the new catalog, so no
        // crawler waits for it (1.5 s at 1,000,000 posts).
        discovery::split_ahead(self);
        // The snapshot replaced and the index writer's buffers are freed
        // memory the allocator would otherwise keep.
        crate::background::release_free_memory();
    }

    /// After the watcher saw `content/_partials/` change: the partials are
    /// read again and, if they changed, every stored page is dropped (each
    /// shows them) and open index pages reload.
    pub fn partials_changed(&self) {
        if self.theme.get().reload_partials() {
            self.cache.invalidate(|_| true);
            let _ = self.changes.send("/".to_string());
        }
    }

    /// After the watcher saw a file of the theme change (a logo, the
    /// favicon source): the theme is made again and, when it can be,
    /// swapped in and every stored page dropped; when it cannot (a half
    /// saved image), the error is logged, naming the file, and the last
    /// good theme stays.
    pub fn theme_files_changed(&self) {
        match theme::Theme::load(&self.config, &self.content_dir) {
            Ok(fresh) => {
                self.theme.set(fresh);
                tracing::info!("the theme's files changed; pages show the new ones");
                self.cache.invalidate(|_| true);
                let _ = self.changes.send("/".to_string());
            }
            Err(e) => tracing::error!("{e}; the last good theme is still shown"),
        }
    }

    /// After the watcher saw the owner's stylesheet change: read again
    /// and, if what is served changed, every stored page is dropped (each
    /// links it by its hash) and open pages reload.
    pub fn stylesheet_changed(&self) {
        if self.custom_css.reload() {
            self.cache.invalidate(|_| true);
            let _ = self.changes.send("/".to_string());
        }
    }

    /// Live reload: the address of every post that changed (nobody
    /// listening is fine).
    fn announce(
        &self,
        report: &crate::store::sync::SyncReport,
        before: Option<&crate::read::Snapshot>,
    ) {
        let now = self.blog.snapshot().ok();
        let changed = report
            .added
            .iter()
            .chain(&report.updated)
            .chain(&report.removed);
        for slug in changed {
            let listed = [now.as_deref(), before]
                .into_iter()
                .flatten()
                .find_map(|snapshot| snapshot.get(slug));
            if let Some(listing) = listed {
                let _ = self.changes.send(listing.summary.url.clone());
            }
        }
    }

    /// Queues resized copies of the images of the posts `slugs`.
    pub fn images_changed<'a>(&self, slugs: impl Iterator<Item = &'a String>) {
        let docs: Vec<_> = slugs
            .filter_map(|slug| self.store().post(slug).ok().flatten())
            .collect();
        self.images.ingested(&self.content_dir, &docs);
    }

    /// After store writes failed and then worked again: some of what the
    /// failed syncs wrote may have reached the store unannounced, or been
    /// lost with a reopened database and written again, so everything
    /// derived from the store is rebuilt rather than patched.
    pub fn store_recovered(&self) {
        let blog = &self.blog;
        blog.catalog.invalidate();
        if let Err(err) = blog.search.rebuild(&blog.store, blog.show_drafts) {
            tracing::error!(error = %err, "search index rebuild failed; results may be stale");
        }
        self.cache.invalidate(|_| true);
        self.health.recover();
    }

    /// Builds the search index from the store (at start, or after recovery).
    pub fn rebuild_search(&self) -> Result<usize, crate::search::SearchError> {
        self.blog
            .search
            .rebuild(&self.blog.store, self.blog.show_drafts)
    }
}

/// Runs the CLI and returns the process exit code.
pub fn main() -> i32 {
    let cli = cli::Cli::parse();
    init_tracing();
    let result = match cli
        .command
        .unwrap_or(cli::Command::Serve(cli::ServeArgs::default()))
    {
        cli::Command::Serve(args) => commands::serve(args),
        cli::Command::Check(args) => commands::check(args),
        cli::Command::New(args) => commands::new_post(args),
        cli::Command::Export(args) => export::run(args),
        cli::Command::Pack(args) => commands::pack(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            commands::exit_code(&err)
        }
    }
}

/// The log's default filter (`QUIRE_LOG` replaces it). html5ever's
/// warnings are its parser's notes on misnested markup ("foster parenting
/// not implemented": text misplaced inside a table, which it moves before
/// the table), one line per occurrence, naming no file: 131 lines for an
/// export of 6,000 crates' READMEs and docs. What Quire removes from a
/// post it reports itself, with the file and line.
const LOG_FILTER: &str = "info,sled=warn,html5ever=error";

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("QUIRE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(LOG_FILTER));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// What tests of several server modules build on.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::Path;

    use super::{Site, SiteConfig};
    use crate::content::{RenderOptions, parse_document};
    use crate::store::Store;

    /// A site over a store on disk in `dir` holding `count` dated posts
    /// (`post-<i>`), each parsed as ingest does.
    pub fn site_on_disk(dir: &Path, count: usize) -> Site {
        let (store, _) = Store::open(&dir.join("store")).unwrap();
        for i in 0..count {
            let path = format!("post-{i}.md");
            let text = format!("+++\ntitle = \"Post {i}\"\ndate = 2026-01-01\n+++\n\nBody.\n");
            let (doc, _) =
                parse_document(Path::new(&path), &text, &RenderOptions::default()).unwrap();
            store.upsert(&doc, &path).unwrap();
        }
        Site::new(store, SiteConfig::default(), dir.join("content"))
    }
}
