//! The static site's search: the index as JSON files under `/_search/`
//! (`quire_find::format`), which the search box loads on a host that runs
//! no code, and the engine's wasm module it runs them with and its loader
//! (already among the bundle's assets, named here in `meta.json`).

use std::path::{Path, PathBuf};

use quire_find::format::{self, FOLDER, Head};

use super::output::File;
use crate::server::Site;

/// How the engine's files in the bundle's `assets/` begin
/// (`quire-find-<hash>.wasm`, `quire-find-en-<hash>.wasm`,
/// `quire-find-<hash>.js`), as scripts/find-module.sh names them.
const ENGINE_PREFIX: &str = "quire-find-";

/// The index's folder in the export, as its files' paths begin (`_search/`).
pub fn folder() -> &'static str {
    FOLDER.trim_start_matches('/')
}

/// The files of the search index: `meta.json` (the [`Head`], which names
/// the engine and every file it opens with), the index (`format::Meta`), the
/// shards of postings and norms, and the posts' shards; and the site
/// address of the engine the head names.
pub fn files(site: &Site, public: Option<&Path>) -> anyhow::Result<(Vec<File>, String)> {
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
    let stemmers = &exported.meta.stemmers;
    let asset = |extension| {
        public
            .and_then(|p| asset(p, extension, stemmers))
            .unwrap_or_default()
    };
    let engine = asset(".wasm");
    let mut head = Head::new(engine.clone(), asset(".js"), index_name.clone(), norms);
    let budget = site.config.search_prefetch_kb.saturating_mul(1024);
    let packs = packs(&exported.packs)?;
    let (packs, weight) = within_budget(packs, budget);
    head.background = background((&packs, weight), &exported.shards, budget);
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
    files.extend(packs.into_iter().map(|(name, bytes)| file(&name, bytes)));
    Ok((files, engine))
}

/// The packs as files' bytes, by name.
fn packs(packs: &[(String, format::DocPack)]) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let bytes =
        |(name, pack): &(String, format::DocPack)| Ok((name.clone(), serde_json::to_vec(pack)?));
    packs.iter().map(bytes).collect()
}

/// `files` when their brotli copies weigh no more than `budget` together,
/// else none; and what those kept weigh.
///
/// The budget is the owner's (`search_prefetch_kb`, 2 MiB unless set):
/// what the loader fetches once the engine is open ([`Head::background`]),
/// only between queries' own fetches; on Lighthouse's phone profile
/// (1.6 Mbit/s) 2 MiB is about ten seconds of the link. The posts' packs
/// (`format::DocPack`) come first: with them every query waits on one
/// round trip, not two (10,000 generated posts weigh about 440 KB). Then
/// every postings shard, when the whole index fits (10,000 generated
/// posts: another 555 KB): from then on a query fetches nothing and
/// answers in tens of milliseconds. A larger site's queries fetch what
/// they need.
fn within_budget(files: Vec<(String, Vec<u8>)>, budget: usize) -> (Vec<(String, Vec<u8>)>, usize) {
    let weight = brotli_weight(&files);
    match weight <= budget {
        true => (files, weight),
        false => (Vec::new(), 0),
    }
}

/// The names the head lists for the background: the packs kept (and
/// what they weigh), then every postings shard when the packs and the
/// shards fit `budget` together (the norms come with the engine already).
fn background(
    (packs, weight): (&[(String, Vec<u8>)], usize),
    shards: &[(String, Vec<u8>)],
    budget: usize,
) -> Vec<String> {
    let mut names: Vec<String> = packs.iter().map(|(name, _)| name.clone()).collect();
    let postings = || {
        shards
            .iter()
            .filter(|(name, _)| !format::is_preloaded(name))
    };
    let raw: usize = postings().map(|(_, bytes)| bytes.len()).sum();
    let room = budget.saturating_sub(weight);
    // Shards rarely compress beyond a tenth: far over, none is weighed.
    let fits = !packs.is_empty() && raw <= 10 * room && {
        let postings: Vec<(String, Vec<u8>)> = postings().cloned().collect();
        brotli_weight(&postings) <= room
    };
    if fits {
        names.extend(postings().map(|(name, _)| name.clone()));
    }
    names
}

/// What `files` weigh together as brotli, at the effort the export
/// writes them with.
fn brotli_weight(files: &[(String, Vec<u8>)]) -> usize {
    use crate::server::cache::{Effort, Encoding, compress};
    use rayon::prelude::*;
    let brotli =
        |(_, bytes): &(String, Vec<u8>)| compress(bytes, Encoding::Brotli, Effort::Fast).len();
    files.par_iter().map(brotli).sum()
}

/// Whether the export keeps `file`: not when it is one of the bundle's
/// engine modules other than `engine`, the one the head names (the
/// bundle carries the lean one and the whole one; a reader only ever
/// loads the named one, and the other is some 330 KB and its copies).
pub fn kept(file: &File, engine: &str) -> bool {
    let name = super::output::slash_path(&file.path);
    let module = name
        .strip_prefix("assets/")
        .is_some_and(|n| n.starts_with(ENGINE_PREFIX) && n.ends_with(".wasm"));
    !module || engine.trim_start_matches('/') == name
}

/// The site address of the engine's loader (`.js`) or module (`.wasm`) in
/// the bundle (`assets/quire-find-<hash>…`, put there by `make build`,
/// scripts/find-module.sh), for an index whose posts need `stemmers`.
fn asset(public: &Path, extension: &str, stemmers: &[String]) -> Option<String> {
    let assets = std::fs::read_dir(public.join("assets")).ok()?;
    let names: Vec<String> = assets
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    let name = pick(&names, extension, stemmers)?;
    Some(format!("/assets/{name}"))
}

/// Of the bundle's files, the loader, or the module: English's alone
/// (`quire-find-en-…`, a third smaller) when no other stemmer is needed,
/// else the one with every language's.
fn pick<'a>(names: &'a [String], extension: &str, stemmers: &[String]) -> Option<&'a str> {
    let ours = names
        .iter()
        .filter_map(|n| n.strip_prefix(ENGINE_PREFIX).map(|rest| (n, rest)));
    let ours: Vec<(&String, &str)> = ours.filter(|(_, rest)| rest.ends_with(extension)).collect();
    let english = |rest: &str| rest.starts_with("en-");
    let english_only = stemmers.iter().all(|code| code == "en");
    let lean = ours.iter().find(|(_, rest)| english_only && english(rest));
    let every = ours.iter().find(|(_, rest)| !english(rest));
    lean.or(every).map(|(name, _)| name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_english_site_names_the_lean_module_and_any_other_the_whole() {
        let names: Vec<String> = [
            "quire-find-0a1b.wasm",
            "quire-find-en-2c3d.wasm",
            "quire-find-4e5f.js",
            "main.css",
        ]
        .map(String::from)
        .to_vec();
        let codes = |c: &[&str]| c.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let wasm = |stemmers: &[&str]| pick(&names, ".wasm", &codes(stemmers));
        assert_eq!(wasm(&["en"]), Some("quire-find-en-2c3d.wasm"));
        assert_eq!(
            wasm(&[]),
            Some("quire-find-en-2c3d.wasm"),
            "no stemmer at all (CJK)"
        );
        assert_eq!(wasm(&["en", "fr"]), Some("quire-find-0a1b.wasm"));
        assert_eq!(wasm(&["de"]), Some("quire-find-0a1b.wasm"));
        assert_eq!(
            pick(&names, ".js", &codes(&["fr"])),
            Some("quire-find-4e5f.js")
        );
        // A bundle without the lean module: the whole one serves English too.
        let whole = vec!["quire-find-0a1b.wasm".to_string()];
        assert_eq!(
            pick(&whole, ".wasm", &codes(&["en"])),
            Some("quire-find-0a1b.wasm")
        );
    }

    /// Words brotli cannot guess: a file's weight is its text's.
    fn noise(seed: u64, words: usize) -> Vec<u8> {
        let mut state = seed;
        let mut word = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            format!("{:x}", state >> 24)
        };
        let text: Vec<String> = (0..words).map(|_| word()).collect();
        text.join(" ").into_bytes()
    }

    fn named(names: &[&str], words: usize) -> Vec<(String, Vec<u8>)> {
        let file = |(i, name): (usize, &&str)| (name.to_string(), noise(i as u64 + 1, words));
        names.iter().enumerate().map(file).collect()
    }

    #[test]
    fn the_packs_are_kept_within_their_budget_and_left_out_whole_above_it() {
        let packs = named(&["docpack-0.json", "docpack-1.json"], 2_000);
        let one = brotli_weight(&packs[..1]);
        let both = brotli_weight(&packs);
        assert_eq!(within_budget(packs.clone(), both), (packs.clone(), both));
        assert!(
            within_budget(packs.clone(), both - 1).0.is_empty(),
            "all or none"
        );
        assert!(within_budget(packs, one).0.is_empty());
    }

    #[test]
    fn the_background_names_the_packs_then_every_shard_when_the_whole_index_fits() {
        let packs = named(&["docpack-0.json"], 1_000);
        let shards = named(&["body-01.bin", "norms-body.bin", "title-02.bin"], 500);
        let postings = [&shards[0], &shards[2]].map(|f| f.clone());
        let weight = brotli_weight(&packs);
        let all = weight + brotli_weight(&postings);
        let names = background((&packs, weight), &shards, all);
        assert_eq!(
            names,
            ["docpack-0.json", "body-01.bin", "title-02.bin"],
            "the norms come with the engine"
        );
        let packed = (packs.as_slice(), weight);
        assert_eq!(background(packed, &shards, all - 1), ["docpack-0.json"]);
        assert!(
            background((&[], 0), &shards, usize::MAX).is_empty(),
            "no packs, no shards"
        );
    }

    #[test]
    fn the_export_keeps_the_engine_the_head_names_and_no_other() {
        let file = |path: &str| File {
            path: PathBuf::from(path),
            bytes: Vec::new(),
            compress: true,
        };
        let engine = "/assets/quire-find-en-2c3d.wasm";
        assert!(kept(&file("assets/quire-find-en-2c3d.wasm"), engine));
        assert!(!kept(&file("assets/quire-find-0a1b.wasm"), engine));
        assert!(
            kept(&file("assets/quire-find-4e5f.js"), engine),
            "the loader"
        );
        assert!(
            kept(&file("assets/quire_bg-dxh1.wasm"), engine),
            "the client"
        );
        assert!(
            kept(&file("blog/quire-find-0a1b.wasm"), engine),
            "a post's file"
        );
    }
}
