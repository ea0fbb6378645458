//! The static site's search: the index as JSON files under `/_search/`
//! (`quire_find::format`), which the search box loads on a host that runs
//! no code, and the engine's wasm module it runs them with and its loader
//! (already among the bundle's assets, named here in `meta.json`).

use std::path::{Path, PathBuf};

use quire_find::format::{self, FOLDER, Head};

/// The index's folder in the export, as its files' paths begin (`_search/`).
pub fn folder() -> &'static str {
    FOLDER.trim_start_matches('/')
}

use super::output::File;
use crate::server::Site;

/// The files of the search index: `meta.json` (the [`Head`], which names
/// the engine and every file it opens with), the index (`format::Meta`), the
/// shards of postings and norms, and the posts' shards.
pub fn files(site: &Site, public: Option<&Path>) -> anyhow::Result<Vec<File>> {
    let exported = site.blog.export_search()?;
    let file = |name: &str, bytes: Vec<u8>| File {
        path: PathBuf::from(format!("{}{name}", folder())),
        bytes,
        compress: true,
    };
    let index = serde_json::to_vec(&exported.meta)?;
    let index_name = format::index_file(&index);
    let norms = exported.meta.fields.iter();
    let norms = norms.map(|f| format::norms_file(&f.name)).collect();
    let asset = |extension| public.and_then(|p| asset(p, extension)).unwrap_or_default();
    let head = Head::new(asset(".wasm"), asset(".js"), index_name.clone(), norms);
    let mut files = vec![
        file("meta.json", serde_json::to_vec(&head)?),
        file(&index_name, index),
    ];
    for (name, bytes) in exported.shards {
        files.push(file(&name, bytes));
    }
    for (name, docs) in &exported.docs {
        files.push(file(name, serde_json::to_vec(docs)?));
    }
    Ok(files)
}

/// The site address of the engine's module (`.wasm`) or its loader
/// (`.js`) in the bundle (`assets/quire-find-<hash>…`, put there by
/// `make build`, scripts/find-module.sh).
fn asset(public: &Path, extension: &str) -> Option<String> {
    let assets = std::fs::read_dir(public.join("assets")).ok()?;
    let name = assets
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .find(|name| name.starts_with("quire-find-") && name.ends_with(extension))?;
    Some(format!("/assets/{name}"))
}
