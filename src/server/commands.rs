//! The subcommands: `serve`, `check`, `new`, and the build-time `pack`.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;

use super::bundle;
use super::cli::{NewArgs, PackArgs, ServeArgs};
use super::config::{self, LoadedConfig};
use super::directories::{check_content_dir, demo_config, prepare_directories, read_only};
use super::ingest::ingest_indexing;
use super::{EXIT_USAGE, Site, SiteConfig, SiteOptions, custom_css, search_index, tls, watcher};
use crate::store::sync::SyncReport;
use crate::store::{Store, StoreError};

/// Bad usage or configuration (missing directory, busy port, bad
/// `quire.toml`): the message says what to change.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// A failure the person running the command can fix by changing how they
/// run it (exit 2); any other error exits 1.
pub(super) fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(message.into()))
}

/// The exit status for an error that ended a command.
pub fn exit_code(err: &anyhow::Error) -> i32 {
    if err.downcast_ref::<UsageError>().is_some() {
        EXIT_USAGE
    } else {
        1
    }
}

/// The exit status a command chose (`check` exits 1 on content problems),
/// or the error that stopped it.
pub(super) type CommandResult = anyhow::Result<i32>;

pub fn serve(args: ServeArgs) -> CommandResult {
    let (content_dir, demo) = prepare_directories(&args)?;
    let mut loaded = load_config(args.config.config.as_deref())?;
    if let (false, Some(text)) = (loaded.found, demo) {
        loaded = demo_config(&text)?;
    }
    args.limits.apply(&mut loaded.config).map_err(usage)?;
    let listener = bind(args.addr)?;
    let https = prepare_https(&args, &loaded.config)?;
    let base_url_from_host = !loaded.base_url_set;
    if base_url_from_host {
        tracing::info!(
            "no base_url set: absolute links (feeds, sitemap, canonical) follow each request's Host; set base_url to the public address"
        );
    }
    let mut config = match &https {
        Some((tls, _)) => with_listen_url(loaded, tls, "https"),
        None => with_listen_url(loaded, &listener, "http"),
    };
    if https.is_some() {
        config.hsts.get_or_insert(true);
    }
    let stylesheet = own_stylesheet(&config, &content_dir)?;
    let theme = super::theme::Theme::load(&config, &content_dir).map_err(usage)?;
    // The search index opens (and checks its files), and the content's
    // watch is set up, on other cores while the store is opened and synced.
    let data = args.data.clone();
    let search = std::thread::spawn(move || search_index::open(&data));
    let watched = content_dir.clone();
    let watching = std::thread::spawn(move || watcher::watch(&watched));
    let (store, ahead) = open_store(&args.data, &config, args.drafts)?;
    let (search, opened) = search
        .join()
        .unwrap_or_else(|p| std::panic::resume_unwind(p));
    let (report, write_failure, digest_before) =
        ingest_indexing(&store, &content_dir, &config, (&search, args.drafts))?;
    let options = SiteOptions {
        show_drafts: args.drafts,
        live_reload: args.live_reload,
        base_url_from_host,
    };
    let mut site = Site::with_search(store, search, config, content_dir.clone(), options);
    site.custom_css = stylesheet;
    site.theme.set(theme);
    let site = Arc::new(site);
    if let Some(e) = &write_failure {
        site.health.writes_failing(e.cause());
    }
    take_catalog_ahead(&site, ahead, &report, write_failure.is_none());
    let changed = report
        .added
        .iter()
        .chain(&report.updated)
        .chain(&report.removed);
    let changed = changed.cloned().collect();
    // After a failed sync the report is empty whatever it wrote: the
    // digest from before says nothing of the store now.
    let digest_before = digest_before.filter(|_| write_failure.is_none());
    search_index::start(
        site.clone(),
        opened,
        search_index::Ingested {
            digest_before,
            changed,
        },
    );
    start_images(site.clone(), &args.data);
    start_sitemaps(site.clone());
    let watching = watching
        .join()
        .unwrap_or_else(|p| std::panic::resume_unwind(p))
        .with_context(|| format!("cannot watch {} for changes", content_dir.display()))?;
    let _watcher = watcher::spawn(site.clone(), watching);

    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(run_http(site, listener, https, args.tls.h2c, report))
}

/// With HTTPS on: its listener bound and its certificate loaded (or the
/// stored ACME one), before the content is ingested, so a busy port or a
/// wrong path fails at once.
fn prepare_https(
    args: &ServeArgs,
    config: &SiteConfig,
) -> anyhow::Result<Option<(std::net::TcpListener, tls::Https)>> {
    let options = tls::options(&args.tls, config).map_err(usage)?;
    if !options.enabled() {
        return Ok(None);
    }
    let listener = bind(options.addr.unwrap_or(tls::DEFAULT_TLS_ADDR))?;
    let https = tls::prepare(&options, &args.data).map_err(usage)?;
    Ok(Some((listener, https)))
}

/// Starts making resized copies of the posts' images into `data/images`,
/// in the background (the images are listed off the start-up path, from
/// the store's small images tree: decoding every post to find them cost
/// seconds of CPU at each start); the originals are served until then.
fn start_images(site: Arc<Site>, data: &Path) {
    if let Err(e) = site.images.start(data.join("images")) {
        tracing::warn!(error = %e, "cannot keep resized images; originals are served");
    }
    std::thread::spawn(move || {
        crate::background::lower_current_thread_priority();
        match site.store().all_images() {
            Ok(images) => site.images.found(&site.content_dir, &images),
            Err(e) => {
                tracing::warn!(error = %e, "cannot list the posts' images; originals are served")
            }
        }
    });
}

/// Splits the site into sitemap files in the background, at a lower
/// priority than requests, so the first crawler does not wait for it.
fn start_sitemaps(site: Arc<Site>) {
    let split = move || {
        crate::background::lower_current_thread_priority();
        super::discovery::split_ahead(&site);
    };
    let spawned = std::thread::Builder::new()
        .name("sitemaps".into())
        .spawn(split);
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "cannot start the thread that splits the sitemap ahead; the first request will split it");
    }
}

/// The owner's stylesheet, read before anything is ingested so that a
/// bad one stops `serve` at once, naming the file.
pub(super) fn own_stylesheet(
    config: &SiteConfig,
    content_dir: &Path,
) -> anyhow::Result<custom_css::Stylesheet> {
    let Some(path) = config.custom_css_path(content_dir) else {
        return Ok(custom_css::Stylesheet::default());
    };
    let css = custom_css::Stylesheet::read(&path).map_err(usage)?;
    tracing::info!(path = %path.display(), "the site's own stylesheet is linked after Quire's");
    Ok(css)
}

/// The store, brought up to date with `content_dir` (on a cold start
/// each post indexed into `search` as it is stored, [`ingest_indexing`]),
/// and its digest from before (what the search index may have been built
/// from). A sync that cannot write (a full disk) serves what the store
/// has, and returns the failure for `/healthz`; the watcher retries it.
pub(super) fn open_and_ingest(
    data: &Path,
    content_dir: &Path,
    config: &SiteConfig,
    search: (&crate::search::SearchIndex, bool),
) -> anyhow::Result<(Store, SyncReport, Option<StoreError>, Option<String>)> {
    let store = open_store_only(data, config)?;
    let (report, write_failure, digest_before) =
        ingest_indexing(&store, content_dir, config, search)?;
    Ok((store, report, write_failure, digest_before))
}

/// The catalog's snapshot, built on another thread from the store as it
/// was opened, while the start-up sync runs: at 100,000 posts each is
/// about half a second of one core. Used when the sync changed nothing.
type Ahead = std::thread::JoinHandle<Result<crate::read::Snapshot, StoreError>>;

/// The store opened, and its catalog being built ahead ([`Ahead`]).
fn open_store(data: &Path, config: &SiteConfig, drafts: bool) -> anyhow::Result<(Store, Ahead)> {
    let store = open_store_only(data, config)?;
    let reader = store.clone();
    let ahead = std::thread::spawn(move || crate::read::Snapshot::build(&reader, drafts));
    Ok((store, ahead))
}

/// Serves the catalog built ahead when the sync changed no post (and
/// wrote everything it meant to): the store then holds what it was built
/// from. Else it is dropped and the catalog built again before serving.
fn take_catalog_ahead(site: &Site, ahead: Ahead, report: &SyncReport, complete: bool) {
    if report.changed() || !complete {
        return;
    }
    match ahead.join() {
        Ok(Ok(snapshot)) => {
            site.blog.catalog.offer(snapshot);
            // Built beside the sync: its freed buffers, and the sync's,
            // are handed back once both are done.
            crate::background::release_free_memory();
        }
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "the catalog built ahead failed; building it again")
        }
        Err(_) => tracing::debug!("the catalog built ahead panicked; building it again"),
    }
}

/// The store in `data`, opened (created or rebuilt when it must be).
fn open_store_only(data: &Path, config: &SiteConfig) -> anyhow::Result<Store> {
    let store_dir = data.join("store");
    let opening = std::time::Instant::now();
    let (store, was_reset) =
        Store::open_with_cache(&store_dir, config.store_cache_mb as u64 * 1024 * 1024)
            .map_err(|e| store_open_failed(data, &store_dir, &e))?;
    if was_reset {
        tracing::info!(path = %store_dir.display(), "store created (or rebuilt from content)");
    } else {
        let ms = opening.elapsed().as_millis() as u64;
        tracing::info!(path = %store_dir.display(), posts = store.post_count(), ms, "store opened");
    }
    Ok(store)
}

/// Why the store could not be opened, and what to do. Only damage is ever
/// repaired by deleting (inside [`Store::open`]); nothing else touches it.
fn store_open_failed(data: &Path, store: &Path, e: &crate::store::StoreError) -> anyhow::Error {
    match e.io_error() {
        Some(io) if e.is_read_only() => read_only(data, io),
        _ => anyhow::anyhow!(
            "{e}; nothing was deleted: fix the cause, or delete {} to rebuild it from content",
            store.display()
        ),
    }
}

/// Reads the site settings; a bad file or variable is a usage error (exit 2).
pub(super) fn load_config(path: Option<&Path>) -> anyhow::Result<LoadedConfig> {
    let loaded = config::load(path).map_err(|e| usage(e.to_string()))?;
    if loaded.found {
        tracing::info!(path = %loaded.path.display(), "site settings read");
    } else {
        tracing::info!(
            "no config file found at {}: using the defaults (and any QUIRE_* variables)",
            loaded.path.display()
        );
    }
    Ok(loaded)
}

/// Binds before the content is ingested, so a busy port fails at once and
/// the real address is known for `base_url`.
fn bind(addr: SocketAddr) -> anyhow::Result<std::net::TcpListener> {
    let busy = |e: std::io::Error| {
        let fix = if e.kind() == std::io::ErrorKind::PermissionDenied && addr.port() < 1024 {
            "ports below 1024 need CAP_NET_BIND_SERVICE: run Quire with deploy/quire.service, or `setcap cap_net_bind_service=+ep` on the binary (docs/DEPLOY.md), or choose a port from 1024 up with --addr HOST:PORT"
        } else {
            "stop the other process using it or choose another address with --addr HOST:PORT"
        };
        usage(format!("cannot listen on {addr}: {e}; {fix}"))
    };
    let listener = std::net::TcpListener::bind(addr).map_err(busy)?;
    listener.set_nonblocking(true).map_err(busy)?;
    Ok(listener)
}

/// The settings, with `base_url` taken from the listen address when the
/// owner did not set one (`0.0.0.0` becomes the loopback address): the
/// fallback for a request without a usable `Host`.
fn with_listen_url(
    loaded: LoadedConfig,
    listener: &std::net::TcpListener,
    scheme: &str,
) -> SiteConfig {
    let mut config = loaded.config;
    if !loaded.base_url_set
        && let Ok(local) = listener.local_addr()
    {
        let ip = match local.ip() {
            std::net::IpAddr::V4(ip) if ip.is_unspecified() => std::net::Ipv4Addr::LOCALHOST.into(),
            std::net::IpAddr::V6(ip) if ip.is_unspecified() => std::net::Ipv6Addr::LOCALHOST.into(),
            ip => ip,
        };
        config.base_url = format!("{scheme}://{}", SocketAddr::new(ip, local.port()));
    }
    config
}

async fn run_http(
    site: Arc<Site>,
    listener: std::net::TcpListener,
    https: Option<(std::net::TcpListener, tls::Https)>,
    h2c: bool,
    report: SyncReport,
) -> CommandResult {
    let from_std =
        |l| tokio::net::TcpListener::from_std(l).context("cannot serve on the bound socket");
    let listener = from_std(listener)?;
    let local = listener
        .local_addr()
        .context("cannot read the listen address")?;
    let (https, also) = match https {
        Some((tls, https)) => {
            let tls = from_std(tls)?;
            let also = format!(" and https://{}/", tls.local_addr()?);
            (Some((tls, https)), also)
        }
        None => (None, String::new()),
    };
    // Router built and signal handlers installed before the line that
    // tells scripts the server is up (a SIGTERM right after it is graceful).
    let serving = tls::serve(listener, https, site.clone(), h2c);
    // The catalog (listings, facets) is built before the line below, so
    // the first request does not wait for it (issue 18).
    let listing = std::time::Instant::now();
    if let Err(e) = site.blog.snapshot() {
        tracing::warn!(error = %e, "could not list the posts before serving; the first request retries");
    }
    let catalog_ms = listing.elapsed().as_millis() as u64;
    let_go_of_start_up_reads(&site, super::ingest::CHECKPOINT_AFTER);
    tracing::info!(
        content = %site.content_dir.display(),
        posts = site.store().post_count(),
        catalog_ms,
        errors = report.errors.len(),
        "Quire is serving http://{local}/{also}"
    );
    serving.await.context("the HTTP server stopped")?;
    site.store().flush()?;
    tracing::info!("stopped");
    Ok(0)
}

/// Once the start-up read every post's source record (the content check)
/// and listing (the catalog), the store lets go of what sled kept of them
/// ([`super::ingest::let_go`]), before the first request; not while the
/// search index is still being built from every post (that lets go when
/// done, `search_index`).
fn let_go_of_start_up_reads(site: &Site, at_least: usize) {
    if site.blog.search.is_complete() {
        let why = "to let go of the pages the start-up read";
        super::ingest::let_go(site.store(), site.store().post_count(), at_least, why);
    }
}

pub use super::check::check;

/// Writes `content/<slug>.md` with front matter; never overwrites.
pub fn new_post(args: NewArgs) -> CommandResult {
    let slug = crate::model::slugify(&args.title);
    if slug.is_empty() {
        return Err(usage(
            "the title needs at least one letter or digit to make a file name",
        ));
    }
    check_content_dir(&args.content)?;
    let path = args.content.join(format!("{slug}.md"));
    let today = chrono::Utc::now().date_naive();
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut front = format!("+++\ntitle = {}\ndate = {today}\n", quote(&args.title));
    if let Some(category) = &args.category {
        front.push_str(&format!("category = {}\n", quote(category)));
    }
    let tags: Vec<String> = args.tags.iter().map(|t| quote(t)).collect();
    front.push_str(&format!("tags = [{}]\ndescription = \"\"\ndraft = true\n+++\n\nWrite the opening paragraph here.\n\n<!-- more -->\n\n## A first section\n", tags.join(", ")));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            usage(format!(
                "cannot create {}: {e}; choose another title or remove the existing file",
                path.display()
            ))
        })?;
    std::io::Write::write_all(&mut file, front.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!("{}", path.display());
    Ok(0)
}

/// Build step: appends `public/` and the default content to a copy of this binary.
pub fn pack(args: PackArgs) -> CommandResult {
    let exe = std::env::current_exe()?;
    if !args.public.join("index.html").is_file() {
        return Err(usage(format!(
            "{} has no index.html; run `dx build --web --release` first",
            args.public.display()
        )));
    }
    let dirs = bundle::Packed {
        public: &args.public,
        content: &args.content,
        demo: args.demo.as_deref(),
    };
    let bytes = bundle::pack(&exe, &dirs, &args.out)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    println!(
        "packed {} bytes of client bundle and content into {}",
        bytes,
        args.out.display()
    );
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A large store is reopened once the start-up read it, unless the
    /// search index is still being built from it; a small one never is.
    #[test]
    fn a_large_store_is_reopened_before_serving_once_search_is_ready() {
        let dir = tempfile::tempdir().unwrap();
        let site = crate::server::testing::site_on_disk(dir.path(), 3);
        site.blog.snapshot().unwrap();
        let_go_of_start_up_reads(&site, 3);
        assert_eq!(site.store().reopens(), 0, "the index is being built");
        site.blog.search.mark_complete();
        let_go_of_start_up_reads(&site, 3);
        assert_eq!(site.store().reopens(), 1);
        assert_eq!(site.blog.snapshot().unwrap().listings.len(), 3);
    }
}
