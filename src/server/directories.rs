//! Where `serve` reads and writes, settled before anything is served: the
//! data directory (created, writable), the content directory (`--content`,
//! `./content`, or the demo the binary carries, with the demo's own
//! settings), and the client bundle unpacked beside the store.
//!
//! Why a module of its own: these are the start-up checks an owner meets
//! first, each failing with exit 2 and the fix, kept apart from the
//! serving itself (`commands`).

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::bundle::Bundle;
use super::cli::ServeArgs;
use super::commands::usage;
use super::config::{self, LoadedConfig};

/// The demo's own settings (its title and tagline), read from the binary
/// when it serves the demo content it carries and the owner has no
/// settings file: someone else's content never shows the demo's identity.
pub(super) fn demo_config(text: &str) -> anyhow::Result<LoadedConfig> {
    let path = PathBuf::from("(the demo's quire.toml inside this binary)");
    let (config, base_url_set) = config::parse(text, &path, &|name| std::env::var(name).ok())
        .map_err(|e| usage(e.to_string()))?;
    tracing::info!("serving the bundled demo with its own settings");
    Ok(LoadedConfig {
        config,
        path,
        found: true,
        base_url_set,
    })
}

/// The data directory (created, writable), the client bundle unpacked, and
/// the content directory to serve, made absolute: the watcher reports
/// absolute paths, and a relative root would never match them. With it,
/// the demo's settings when the content is the demo the binary carries.
pub(super) fn prepare_directories(args: &ServeArgs) -> anyhow::Result<(PathBuf, Option<String>)> {
    let bundle = Bundle::from_current_exe().context("cannot read the bundle inside this binary")?;
    std::fs::create_dir_all(&args.data).map_err(|e| {
        usage(format!(
            "cannot create the data directory {}: {e}; pass a writable one with --data",
            args.data.display()
        ))
    })?;
    check_writable(&args.data)?;
    let (content_dir, bundled) =
        resolve_content_dir(args.content.content.as_deref(), bundle.as_ref(), &args.data)?;
    prepare_public_dir(bundle.as_ref(), &args.data)?;
    let demo = bundle.filter(|_| bundled).and_then(|b| b.demo_settings());
    Ok((
        std::path::absolute(&content_dir).unwrap_or(content_dir),
        demo,
    ))
}

/// Stops start-up with exit 2 when the data directory refuses writes
/// (read-only filesystem, no permission): the store cannot be kept there.
/// Other failures surface where they happen.
fn check_writable(data: &Path) -> anyhow::Result<()> {
    let probe = data.join(format!(".quire-write-check-{}", std::process::id()));
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) if crate::store::is_read_only(&e) => Err(read_only(data, &e)),
        Err(_) => Ok(()),
    }
}

pub(super) fn read_only(data: &Path, cause: &dyn std::fmt::Display) -> anyhow::Error {
    let dir = data.display();
    usage(format!(
        "the data directory {dir} is read-only ({cause}): Quire keeps its store there and must write to it; make {dir} writable or pass --data <writable dir> (nothing was deleted)"
    ))
}

/// `--content` if given (it must exist), else `./content`, else the
/// bundled demo content (then `true`).
fn resolve_content_dir(
    explicit: Option<&Path>,
    bundle: Option<&Bundle>,
    data: &Path,
) -> anyhow::Result<(PathBuf, bool)> {
    if let Some(dir) = explicit {
        return Ok((check_content_dir(dir)?, false));
    }
    let local = Path::new("content");
    if local.is_dir() {
        return Ok((check_content_dir(local)?, false));
    }
    let Some(bundle) = bundle else {
        return Err(usage(
            "no ./content directory here and this binary carries no default content; pass --content DIR",
        ));
    };
    let dir = data.join(format!("default-content-{}", bundle.id));
    bundle
        .extract("content", &dir)
        .with_context(|| format!("cannot unpack the bundled content into {}", dir.display()))?;
    tracing::info!(path = %dir.display(), "no ./content directory: serving the bundled demo content");
    Ok((dir, true))
}

pub(crate) fn check_content_dir(dir: &Path) -> anyhow::Result<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(_) => Ok(dir.to_path_buf()),
        Err(e) => Err(usage(format!(
            "cannot read the content directory {}: {e}; create it (mkdir -p {}) or pass an existing one with --content DIR",
            dir.display(),
            dir.display()
        ))),
    }
}

/// Gives the Dioxus server its `public/` folder (index.html template, wasm,
/// JS, CSS): from the bundle, or an existing folder, or an SSR-only template.
fn prepare_public_dir(bundle: Option<&Bundle>, data: &Path) -> anyhow::Result<()> {
    if std::env::var_os("DIOXUS_PUBLIC_PATH").is_some() {
        return Ok(());
    }
    let dir = match bundle {
        Some(bundle) => {
            let dir = data.join(format!("public-{}", bundle.id));
            bundle.extract("public", &dir).with_context(|| {
                format!("cannot unpack the client bundle into {}", dir.display())
            })?;
            dir
        }
        None => {
            let beside_exe = std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|p| p.join("public")));
            match beside_exe.filter(|p| p.join("index.html").is_file()) {
                Some(dir) => dir,
                None => {
                    tracing::warn!(
                        "this binary carries no client bundle: pages render, but nothing hydrates (build with `make build`)"
                    );
                    let dir = data.join("public-ssr-only");
                    std::fs::create_dir_all(&dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                    dir
                }
            }
        }
    };
    // Read by the Dioxus server when the router is built; set before any thread starts.
    // SAFETY: called from `main`'s thread before the runtime or any other thread exists.
    unsafe { std::env::set_var("DIOXUS_PUBLIC_PATH", &dir) };
    Ok(())
}
