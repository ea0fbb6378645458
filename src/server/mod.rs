//! Process wiring for the native binary: CLI, start-up, HTTP, live ingest.

pub mod bundle;
pub mod cache;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod config;
pub mod connections;
pub mod discovery;
pub mod feeds;
pub mod health;
pub mod http;
pub mod language;
pub mod live_reload;
pub mod page_template;
pub mod post_files;
pub mod queries;
pub mod redirects;
pub mod security;
pub mod watcher;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use clap::Parser;

use crate::store::Store;
pub use config::SiteConfig;

/// Exit status for bad usage or configuration (missing directory, busy port).
pub const EXIT_USAGE: i32 = 2;

/// The running site: its store and settings. One per process.
pub struct Site {
    pub store: Store,
    pub config: SiteConfig,
    /// Absolute, so the watcher's absolute event paths fall inside it.
    pub content_dir: PathBuf,
    pub show_drafts: bool,
    /// Whether pages carry the live-reload script (`--live-reload`).
    pub live_reload: bool,
    /// Slugs of posts that changed, for live reload.
    pub changes: tokio::sync::broadcast::Sender<String>,
    /// Rendered pages, feeds and assets with their compressed variants.
    pub cache: cache::PageCache,
    /// The visible posts, in memory.
    pub catalog: catalog::Catalog,
    /// Full-text index of every post.
    pub search: crate::search::SearchIndex,
    /// Whether store writes fail (`/healthz`).
    pub health: health::Health,
}

impl Site {
    pub fn new(store: Store, config: SiteConfig, content_dir: PathBuf) -> Self {
        let changes = tokio::sync::broadcast::channel(64).0;
        Self {
            store,
            config,
            content_dir,
            show_drafts: false,
            live_reload: false,
            changes,
            cache: cache::PageCache::default(),
            catalog: catalog::Catalog::default(),
            search: crate::search::SearchIndex::new()
                .expect("an in-memory search index can always be created"),
            health: health::Health::default(),
        }
    }
}

impl Site {
    /// Everything that must follow a content change: the one place the
    /// watcher reports to (caches, search index, live-reload listeners).
    pub fn content_changed(&self, report: &crate::store::sync::SyncReport) {
        if !report.changed() {
            return;
        }
        self.catalog.invalidate();
        let slugs = report
            .added
            .iter()
            .chain(&report.updated)
            .chain(&report.removed);
        if let Err(err) = self.search.update(&self.store, slugs, self.show_drafts) {
            tracing::error!(error = %err, "search index update failed; results may be stale");
        }
        // Last: pages rendered from here on see the new catalog and index.
        self.cache.content_changed(report, &self.store);
        // Live reload: nobody listening is fine.
        for slug in report
            .added
            .iter()
            .chain(&report.updated)
            .chain(&report.removed)
        {
            let _ = self.changes.send(slug.clone());
        }
    }
}

impl Site {
    /// After store writes failed and then worked again: some of what the
    /// failed syncs wrote may have reached the store unannounced, or been
    /// lost with a reopened database and written again, so everything
    /// derived from the store is rebuilt rather than patched.
    pub fn store_recovered(&self) {
        self.catalog.invalidate();
        if let Err(err) = self.search.rebuild(&self.store, self.show_drafts) {
            tracing::error!(error = %err, "search index rebuild failed; results may be stale");
        }
        self.cache.invalidate(|_| true);
        self.health.recover();
    }
}

static SITE: OnceLock<Arc<Site>> = OnceLock::new();

/// Installs the site the request handlers read. Only the first call counts.
pub fn install(site: Site) -> Arc<Site> {
    SITE.get_or_init(|| Arc::new(site)).clone()
}

/// The installed site.
///
/// # Panics
/// If called before [`install`]; the binary installs it before serving.
pub fn site() -> Arc<Site> {
    SITE.get()
        .expect("the site is installed before any request is served")
        .clone()
}

/// Runs the CLI and returns the process exit code.
pub fn main() -> i32 {
    return_large_buffers_to_the_system();
    let cli = cli::Cli::parse();
    init_tracing();
    let result = match cli
        .command
        .unwrap_or(cli::Command::Serve(cli::ServeArgs::default()))
    {
        cli::Command::Serve(args) => commands::serve(args),
        cli::Command::Check(args) => commands::check(args),
        cli::Command::New(args) => commands::new_post(args),
        cli::Command::Pack(args) => commands::pack(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            err.exit_code()
        }
    }
}

/// Buffers of 256 KiB and more (brotli's windows, big pages) are mapped
/// and unmapped by themselves. glibc otherwise raises that threshold each
/// time such a buffer is freed, after which they come from the per-thread
/// heaps and stay resident: a flood of misses through an 8 MiB cache left
/// 82 MiB behind, 13 MiB with the threshold fixed
/// (`tests/cache.rs::resident_memory_follows_the_cache_bound_after_a_flood`).
fn return_large_buffers_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; called before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("QUIRE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sled=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
