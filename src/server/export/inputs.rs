//! What an export was made from, kept beside it (`.quire-export-inputs`)
//! so the next export into the same folder asks the site again only for
//! the addresses a change can have touched.
//!
//! Two parts: a digest of everything a page can show apart from the
//! posts' bodies (the binary, the settings, the theme, every file of
//! `content/` that is not a post, `static/`, the client bundle, the
//! aliases, and the catalog's listing records in order), and each post
//! source's content hash. When the digest is the same and only sources
//! changed, the change is a body-only edit, and the pages it can have
//! changed are the ones the page cache drops for one
//! ([`PageCache::drop_changed`]): the posts' own pages, feeds, search
//! pages and the 404 page ([`Kind`], the same classification). Anything
//! else (a title, a date, a tag, a new post, a setting, a new binary)
//! changes the digest, and the whole site is asked again.
//!
//! Why a module of its own: deciding that a page cannot have changed is
//! the one place an incremental export can go wrong, so what counts as
//! an input is listed here, once.
//!
//! [`PageCache::drop_changed`]: crate::server::cache::PageCache::drop_changed

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::crawl::Fetched;
use crate::server::Site;
use crate::server::cache::Kind;

/// The file's name inside the export folder.
pub const FILE: &str = ".quire-export-inputs";
/// The first line; another one means the file is not read (2: pages'
/// several-facet links are narrowed, `export::narrow`, and an export of
/// 1's pages has them as `serve` writes them; 3: the binary is digested
/// by its stat, [`executable`]).
const FORMAT: &str = "quire-export-inputs 3";

/// What the site is made from now.
#[derive(Debug, PartialEq, Eq)]
pub struct Inputs {
    /// Everything but the posts' bodies, hashed.
    pub site: String,
    /// Post slug → its source's content hash.
    pub sources: BTreeMap<String, String>,
}

/// When an address is asked again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Again {
    /// When this post's source changes.
    Post(String),
    /// At every export: feeds, the sitemap, search pages, the 404 page.
    Always,
    /// Only when the whole site is asked again.
    Never,
}

/// The inputs an export was made from and what it asked for.
#[derive(Debug)]
pub struct Recorded {
    pub inputs: Inputs,
    /// Every address asked, and when to ask it again.
    pub addresses: BTreeMap<String, Again>,
}

impl Inputs {
    /// The inputs of `site`, ingested, with the client bundle in `public`,
    /// exported with or without drafts and relative links.
    pub fn of(
        site: &Site,
        public: Option<&Path>,
        (drafts, relative): (bool, bool),
    ) -> anyhow::Result<Self> {
        let records = site.store().all_sources()?;
        let source_files: BTreeSet<String> = records.iter().map(|(k, _)| k.clone()).collect();
        let sources: BTreeMap<String, String> = records
            .into_iter()
            .map(|(_, record)| (record.slug, record.hash))
            .collect();
        let mut digest = Digest::default();
        digest.text(FORMAT);
        digest.text(&executable()?);
        digest.text(&format!("{:?} {drafts} {relative}", site.config));
        digest.text(&format!("{:?}", site.theme.get()));
        let css = site.custom_css.get().map(|c| c.address);
        digest.text(css.as_deref().unwrap_or(""));
        digest.files(&site.content_dir, &source_files);
        for dir in [site.static_dir.as_deref(), public].into_iter().flatten() {
            digest.files(dir, &BTreeSet::new());
        }
        for path in site.store().alias_paths()? {
            let to = site.store().alias(&path)?.unwrap_or_default();
            digest.text(&format!("{path} {to}"));
        }
        let snapshot = site.blog.snapshot()?;
        for listing in snapshot
            .listings
            .iter()
            .chain(snapshot.pages.iter().cloned())
        {
            digest.bytes(&serde_json::to_vec(&listing)?);
        }
        Ok(Inputs {
            site: digest.finish(),
            sources,
        })
    }
}

/// The running binary as its path, length and modification time: a new
/// build or a copy of another one moves them, and they cost a `stat`
/// where hashing the binary's bytes read 55 MB at every export.
fn executable() -> std::io::Result<String> {
    let path = std::env::current_exe()?;
    let meta = std::fs::metadata(&path)?;
    let modified = meta.modified()?.duration_since(std::time::UNIX_EPOCH);
    let nanos = modified.map_or(0, |d| d.as_nanos());
    Ok(format!("{} {} {nanos}", path.display(), meta.len()))
}

impl Recorded {
    /// The addresses to ask again for `now`, or `None` when the whole
    /// site must be asked (the digest moved, or the posts are not the
    /// same posts).
    pub fn again(&self, now: &Inputs) -> Option<Vec<String>> {
        let old = &self.inputs;
        if old.site != now.site || !old.sources.keys().eq(now.sources.keys()) {
            return None;
        }
        let changed: BTreeSet<&String> = now
            .sources
            .iter()
            .filter(|(slug, hash)| old.sources.get(*slug) != Some(hash))
            .map(|(slug, _)| slug)
            .collect();
        let again = self.addresses.iter().filter(|(_, when)| match when {
            Again::Post(slug) => changed.contains(slug),
            Again::Always => true,
            Again::Never => false,
        });
        Some(again.map(|(path, _)| path.clone()).collect())
    }
}

/// When `answer` is asked again, by the page cache's classification.
pub fn again_for(site: &Site, answer: &Fetched) -> Again {
    let post = site.blog.post_key_at(&answer.path);
    match Kind::of(&answer.path, post, answer.status, &answer.content_type) {
        Kind::Post(slug) => Again::Post(slug),
        Kind::Feed | Kind::Search | Kind::NotFound => Again::Always,
        Kind::Asset | Kind::Listing => Again::Never,
    }
}

/// Reads the record of the last export into `dir`; `None` when there is
/// none or it cannot be read (then the whole site is asked).
pub fn read(dir: &Path) -> Option<Recorded> {
    let text = std::fs::read_to_string(dir.join(FILE)).ok()?;
    let mut lines = text.lines();
    if lines.next()? != FORMAT {
        return None;
    }
    let site = lines.next()?.strip_prefix("site\t")?.to_string();
    let mut recorded = Recorded {
        inputs: Inputs {
            site,
            sources: BTreeMap::new(),
        },
        addresses: BTreeMap::new(),
    };
    for line in lines {
        let mut fields = line.split('\t');
        match (fields.next()?, fields.next()?, fields.next()?) {
            ("source", slug, hash) => {
                recorded.inputs.sources.insert(slug.into(), hash.into());
            }
            ("path", when, path) => {
                recorded.addresses.insert(path.into(), again_of(when)?);
            }
            _ => return None,
        }
    }
    Some(recorded)
}

fn again_of(text: &str) -> Option<Again> {
    match text {
        "always" => Some(Again::Always),
        "never" => Some(Again::Never),
        _ => text.strip_prefix("post:").map(|s| Again::Post(s.into())),
    }
}

/// Writes the record into `dir` (last, after every file: an export that
/// stops halfway leaves none, and the next one asks for everything).
pub fn write(dir: &Path, recorded: &Recorded) -> std::io::Result<()> {
    let mut text = format!("{FORMAT}\nsite\t{}\n", recorded.inputs.site);
    for (slug, hash) in &recorded.inputs.sources {
        text.push_str(&format!("source\t{slug}\t{hash}\n"));
    }
    for (path, when) in &recorded.addresses {
        let when = match when {
            Again::Post(slug) => format!("post:{slug}"),
            Again::Always => "always".into(),
            Again::Never => "never".into(),
        };
        text.push_str(&format!("path\t{when}\t{path}\n"));
    }
    super::output::replace(&dir.join(FILE), text.as_bytes(), true)
}

/// Forgets the record before an export writes anything.
pub fn forget(dir: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(dir.join(FILE)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Whether a line of the record can hold `text` (no tab, no line break).
pub fn recordable(text: &str) -> bool {
    !text.contains(['\t', '\n', '\r'])
}

/// A blake3 hash of length-prefixed parts.
#[derive(Default)]
struct Digest(blake3::Hasher);

impl Digest {
    fn bytes(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    fn text(&mut self, text: &str) {
        self.bytes(text.as_bytes());
    }

    /// Every file under `dir` but the `skipped` ones (relative, `/`
    /// separated): its path, size and modification time, as `make` and
    /// the store's stat records trust them.
    fn files(&mut self, dir: &Path, skipped: &BTreeSet<String>) {
        let mut found: Vec<(String, u64, u128)> = walkdir::WalkDir::new(dir)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let relative = e.path().strip_prefix(dir).ok()?;
                let relative = relative.to_string_lossy().replace('\\', "/");
                let meta = e.metadata().ok()?;
                let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH);
                Some((relative, meta.len(), modified.ok()?.as_nanos()))
            })
            .filter(|(relative, _, _)| !skipped.contains(relative))
            .collect();
        found.sort_unstable();
        self.text(&dir.to_string_lossy());
        for (path, len, modified) in found {
            self.text(&format!("{path} {len} {modified}"));
        }
    }

    fn finish(self) -> String {
        self.0.finalize().to_hex().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded(sources: &[(&str, &str)], addresses: &[(&str, Again)]) -> Recorded {
        Recorded {
            inputs: Inputs {
                site: "s".into(),
                sources: sources
                    .iter()
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .collect(),
            },
            addresses: addresses
                .iter()
                .map(|(p, a)| (p.to_string(), a.clone()))
                .collect(),
        }
    }

    #[test]
    fn a_changed_source_asks_its_pages_and_what_is_asked_always() {
        let old = recorded(
            &[("a", "1"), ("b", "2")],
            &[
                ("/blog/a", Again::Post("a".into())),
                ("/blog/b", Again::Post("b".into())),
                ("/atom.xml", Again::Always),
                ("/", Again::Never),
            ],
        );
        let now = recorded(&[("a", "1"), ("b", "3")], &[]).inputs;
        assert_eq!(old.again(&now).unwrap(), ["/atom.xml", "/blog/b"]);
        let same = recorded(&[("a", "1"), ("b", "2")], &[]).inputs;
        assert_eq!(old.again(&same).unwrap(), ["/atom.xml"]);
    }

    #[test]
    fn another_digest_or_other_posts_ask_for_everything() {
        let old = recorded(&[("a", "1")], &[("/", Again::Never)]);
        let mut moved = recorded(&[("a", "1")], &[]).inputs;
        moved.site = "t".into();
        assert!(old.again(&moved).is_none());
        let added = recorded(&[("a", "1"), ("b", "1")], &[]).inputs;
        assert!(old.again(&added).is_none());
        let gone = recorded(&[], &[]).inputs;
        assert!(old.again(&gone).is_none());
    }

    #[test]
    fn the_record_reads_back_and_a_damaged_one_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let old = recorded(
            &[("a b", "1")],
            &[
                ("/blog/a b", Again::Post("a b".into())),
                ("/atom.xml", Again::Always),
                ("/", Again::Never),
            ],
        );
        write(dir.path(), &old).unwrap();
        let back = read(dir.path()).unwrap();
        assert_eq!(back.inputs, old.inputs);
        assert_eq!(back.addresses, old.addresses);
        let text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        std::fs::write(dir.path().join(FILE), text.replace("path\t", "path ")).unwrap();
        assert!(read(dir.path()).is_none(), "a line it does not know");
        std::fs::write(dir.path().join(FILE), "quire-export-inputs 0\n").unwrap();
        assert!(read(dir.path()).is_none(), "another format");
        forget(dir.path()).unwrap();
        assert!(read(dir.path()).is_none());
        forget(dir.path()).unwrap();
    }
}
