//! Writing the export folder incrementally: a file whose bytes are the
//! same as last time is not rewritten (its hash is in the manifest,
//! `.quire-export`, and the file is still there), each compressible file
//! gets `.br` and `.gz` copies beside it (for nginx's `brotli_static` /
//! `gzip_static` and hosts that serve them), and a file Quire wrote last
//! time that is no longer part of the site is removed. Nothing else in
//! the folder is ever removed: only what the manifest names.
//!
//! Why a module of its own: every byte the export writes goes through
//! here, so the rules "only rewrite what changed" and "only delete what
//! Quire wrote" are kept in one place.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::server::cache::{Effort, Encoding, compress};

/// The manifest's name inside the export folder.
pub const MANIFEST: &str = ".quire-export";
/// Below this, a compressed copy saves less than its own request costs.
const MIN_COMPRESS_BYTES: usize = 256;

/// One file to put in the export folder.
pub struct File {
    /// Relative to the folder, `/`-separated.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// Gets `.br` and `.gz` copies.
    pub compress: bool,
}

/// What a write changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Files (copies included) whose bytes were written.
    pub written: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files of an earlier export removed.
    pub removed: usize,
    /// Every file the export holds now, copies included.
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
}

/// Path → blake3 of its bytes (tagged, for a copy) and its length (not
/// in a manifest of an older Quire).
type Manifest = BTreeMap<String, (String, Option<u64>)>;

/// What an export holds besides the files it writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rest {
    /// Nothing: a file an earlier export wrote that is not among the
    /// files written now is removed.
    Removed,
    /// What the earlier export wrote, as it is (an export that asked the
    /// site again only for some addresses), except under `but`: a folder
    /// written whole every time (the search index), where what is not
    /// written now is removed.
    Kept { but: &'static str },
}

/// Writes `files` into `dir` (created), leaving unchanged ones alone;
/// what an earlier export wrote that `files` does not have is removed or
/// kept, as `rest` says.
pub fn write_all(dir: &Path, files: Vec<File>, rest: Rest) -> std::io::Result<Written> {
    let writer = Writer::open(dir)?;
    files
        .into_par_iter()
        .try_for_each(|file| writer.put(file))?;
    writer.finish(rest)
}

/// An export folder being written a file at a time, from any thread:
/// files are put as the site answers, so no page is held longer than it
/// takes to compress and write it; [`Writer::finish`] then removes what
/// the earlier export wrote and this one did not, and writes the manifest.
pub struct Writer {
    dir: PathBuf,
    old: Manifest,
    written: AtomicUsize,
    /// The manifest lines of the files put so far, by path.
    new: Mutex<BTreeMap<String, (String, u64)>>,
}

impl Writer {
    /// A writer into `dir` (created), which reads the last export's manifest.
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            old: read_manifest(dir),
            dir: dir.to_path_buf(),
            written: AtomicUsize::new(0),
            new: Mutex::new(BTreeMap::new()),
        })
    }

    /// The folder written into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `file` and its copies, unless they are as the last export
    /// wrote them. A file put twice is as the second put left it.
    pub fn put(&self, file: File) -> std::io::Result<()> {
        let lines = put(&self.dir, &self.old, file, &self.written)?;
        let mut new = self.new.lock().unwrap_or_else(|e| e.into_inner());
        new.extend(
            lines
                .into_iter()
                .map(|(path, hash, len)| (path, (hash, len))),
        );
        Ok(())
    }

    /// Removes or keeps (as `rest` says) what the last export wrote and no
    /// [`Writer::put`] did, and writes the manifest.
    pub fn finish(self, rest: Rest) -> std::io::Result<Written> {
        let (dir, old) = (self.dir.as_path(), &self.old);
        let mut new = self.new.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut removed = 0;
        let others = old.iter().filter(|(path, _)| !new.contains_key(*path));
        for (path, (hash, len)) in others.collect::<Vec<_>>() {
            let kept = matches!(rest, Rest::Kept { but } if !path.starts_with(but));
            if kept {
                let len = len.unwrap_or_else(|| length(&dir.join(path)));
                new.insert(path.clone(), (hash.clone(), len));
            } else if remove(dir, path) {
                removed += 1;
            }
        }
        let manifest: Manifest = new
            .iter()
            .map(|(path, (hash, len))| (path.clone(), (hash.clone(), Some(*len))))
            .collect();
        write_manifest(dir, &manifest)?;
        let written = self.written.into_inner().min(new.len());
        Ok(Written {
            written,
            unchanged: new.len() - written,
            removed,
            files: new.len(),
            bytes: new.values().map(|(_, len)| len).sum(),
        })
    }
}

/// Whether every file the manifest of `dir` names is there: an export
/// that keeps what the last one wrote needs it whole. The folder's
/// listings are read rather than each file looked up: a few hundred
/// system calls instead of one per file.
pub fn is_whole(dir: &Path) -> bool {
    let mut present = HashSet::new();
    files_under(dir, "", &mut present);
    read_manifest(dir).keys().all(|path| present.contains(path))
}

/// The regular files under `dir`, by `/`-separated path behind `prefix`.
fn files_under(dir: &Path, prefix: &str, found: &mut HashSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let Some(name) = entry.file_name().to_str().map(String::from) else {
            continue;
        };
        let path = format!("{prefix}{name}");
        if kind.is_dir() {
            files_under(&entry.path(), &format!("{path}/"), found);
        } else if kind.is_file() {
            found.insert(path);
        }
    }
}

fn length(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Writes one file and its copies when they changed; their manifest lines.
fn put(
    dir: &Path,
    old: &Manifest,
    file: File,
    written: &AtomicUsize,
) -> std::io::Result<Vec<(String, String, u64)>> {
    let name = slash_path(&file.path);
    let hash = blake3::hash(&file.bytes).to_hex().to_string();
    let mut lines = Vec::with_capacity(3);
    let compress_it = file.compress && file.bytes.len() >= MIN_COMPRESS_BYTES;
    let copies: &[(&str, Encoding)] = if compress_it {
        &[(".br", Encoding::Brotli), (".gz", Encoding::Gzip)]
    } else {
        &[]
    };
    let unchanged = |path: &str| {
        old.get(path)
            .is_some_and(|(h, _)| h.starts_with(&hash[..16]) && dir.join(path).is_file())
    };
    // A copy's manifest hash is the original's, tagged: the copy changes
    // exactly when the original does.
    let tagged = |suffix: &str| format!("{}{suffix}", &hash[..16]);
    if !unchanged(&name)
        || copies
            .iter()
            .any(|(s, _)| !unchanged(&format!("{name}{s}")))
    {
        replace(&dir.join(&file.path), &file.bytes, old.contains_key(&name))?;
        written.fetch_add(1, Ordering::Relaxed);
        for (suffix, encoding) in copies {
            let bytes = compress(&file.bytes, *encoding, effort(&name));
            let copy = format!("{name}{suffix}");
            replace(&dir.join(&copy), &bytes, old.contains_key(&copy))?;
            written.fetch_add(1, Ordering::Relaxed);
            lines.push((
                format!("{name}{suffix}"),
                tagged(suffix),
                bytes.len() as u64,
            ));
        }
    } else {
        for (suffix, _) in copies {
            let path = format!("{name}{suffix}");
            let known = old.get(&path).and_then(|(_, len)| *len);
            let len = known.unwrap_or_else(|| length(&dir.join(&path)));
            lines.push((path, tagged(suffix), len));
        }
    }
    lines.push((name, tagged(""), file.bytes.len() as u64));
    Ok(lines)
}

/// The client's files are compressed as well as brotli can (they are
/// few, large and fetched by every reader); the search files every reader
/// fetches at the box's first focus (its index and norms) nearly as well
/// (the demo's index: 37.7 KB instead of 44.2; written again after every
/// edit, so not at the best, which takes twice as long); pages at serve's
/// first effort.
fn effort(name: &str) -> Effort {
    let search = name.strip_prefix(super::search::folder());
    if name.starts_with("assets/") || name.starts_with("_custom/") {
        Effort::Best
    } else if search.is_some_and(quire_find::format::is_preloaded) {
        Effort::Dense
    } else {
        Effort::Fast
    }
}

/// `path` with `/` between its parts, as the manifest names files.
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Writes `bytes` at `path` whole: a temporary file renamed over it, so a
/// host serving the folder never sees half a file. A file no earlier
/// export wrote (`named` false) is written in place: if the export stops
/// halfway, the manifest, written last, still does not name it, and the
/// next export writes it again. One file created instead of two names
/// halves what a cold export of tens of thousands of files asks of the
/// file system.
pub(super) fn replace(path: &Path, bytes: &[u8], named: bool) -> std::io::Result<()> {
    let named_path =
        |e: std::io::Error| std::io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    write_replacing(path, bytes, named).map_err(named_path)
}

fn write_replacing(path: &Path, bytes: &[u8], named: bool) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    if !named {
        match std::fs::File::create_new(path) {
            Ok(mut out) => return out.write_all(bytes),
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
            Err(_) => {}
        }
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".quire-tmp");
    let temporary = PathBuf::from(temporary);
    let mut out = std::fs::File::create(&temporary)?;
    out.write_all(bytes)?;
    drop(out);
    std::fs::rename(&temporary, path)
}

/// Removes a file an earlier export wrote, then its folders left empty.
fn remove(dir: &Path, path: &str) -> bool {
    let file = dir.join(path);
    let gone = std::fs::remove_file(&file).is_ok();
    let mut parent = file.parent();
    while let Some(folder) = parent.filter(|p| *p != dir && p.starts_with(dir)) {
        if std::fs::remove_dir(folder).is_err() {
            break;
        }
        parent = folder.parent();
    }
    gone
}

/// Every file the last export into `dir` wrote, copies included.
pub fn manifest_paths(dir: &Path) -> Vec<String> {
    read_manifest(dir).into_keys().collect()
}

fn read_manifest(dir: &Path) -> Manifest {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
    text.lines()
        .filter_map(|line| line.split_once("  "))
        .filter(|(_, path)| !path.split('/').any(|s| s == ".." || s.is_empty()))
        .map(|(hash, path)| {
            let (hash, len) = hash.split_once(' ').unwrap_or((hash, ""));
            (path.to_string(), (hash.to_string(), len.parse().ok()))
        })
        .collect()
}

fn write_manifest(dir: &Path, manifest: &Manifest) -> std::io::Result<()> {
    let mut text = String::from("");
    for (path, (hash, len)) in manifest {
        let len = len.map(|l| format!(" {l}")).unwrap_or_default();
        text.push_str(&format!("{hash}{len}  {path}\n"));
    }
    replace(&dir.join(MANIFEST), text.as_bytes(), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> File {
        File {
            path: PathBuf::from(path),
            bytes: text.as_bytes().to_vec(),
            compress: path.ends_with(".html"),
        }
    }

    #[test]
    fn rewrites_only_what_changed_and_removes_only_its_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let big = "x".repeat(1000);
        std::fs::write(dir.path().join("mine.txt"), "the owner's").unwrap();
        let first = write_all(
            dir.path(),
            vec![
                file("a.html", &big),
                file("b/c.html", "small"),
                file("d.xml", "d"),
            ],
            Rest::Removed,
        )
        .unwrap();
        assert_eq!(
            (first.written, first.files),
            (5, 5),
            "a.html, .br, .gz, b/c.html, d.xml"
        );
        assert!(dir.path().join("a.html.br").is_file());
        let second = write_all(
            dir.path(),
            vec![file("a.html", &big), file("d.xml", "changed")],
            Rest::Removed,
        )
        .unwrap();
        assert_eq!(
            (second.written, second.unchanged, second.removed),
            (1, 3, 1)
        );
        assert!(
            !dir.path().join("b").exists(),
            "its emptied folder goes too"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("d.xml")).unwrap(),
            "changed"
        );
        assert!(
            dir.path().join("mine.txt").is_file(),
            "never Quire's to remove"
        );
    }

    #[test]
    fn kept_files_stay_named_and_unwritten() {
        let dir = tempfile::tempdir().unwrap();
        let big = "x".repeat(1000);
        write_all(
            dir.path(),
            vec![file("a.html", &big), file("b.xml", "b")],
            Rest::Removed,
        )
        .unwrap();
        let kept = Rest::Kept { but: "_search/" };
        let some = write_all(dir.path(), vec![file("b.xml", "c")], kept).unwrap();
        assert_eq!(
            (some.written, some.unchanged, some.removed, some.files),
            (1, 3, 0, 4)
        );
        assert_eq!(
            some.bytes,
            std::fs::metadata(dir.path().join("a.html.br"))
                .unwrap()
                .len()
                + 1000
                + std::fs::metadata(dir.path().join("a.html.gz"))
                    .unwrap()
                    .len()
                + 1
        );
        assert!(is_whole(dir.path()));
        std::fs::remove_file(dir.path().join("a.html.gz")).unwrap();
        assert!(!is_whole(dir.path()));
        let all = write_all(dir.path(), vec![file("b.xml", "c")], Rest::Removed).unwrap();
        assert_eq!(
            all.removed, 2,
            "a.html and a.html.br; the copy deleted by hand is gone already"
        );
    }

    #[test]
    fn kept_files_but_those_of_a_folder_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let files = || {
            vec![
                file("a.xml", "a"),
                file("s/1.bin", "1"),
                file("s/2.bin", "2"),
            ]
        };
        write_all(dir.path(), files(), Rest::Removed).unwrap();
        let kept = Rest::Kept { but: "s/" };
        let some = write_all(dir.path(), vec![file("s/2.bin", "2")], kept).unwrap();
        assert_eq!((some.removed, some.files), (1, 2));
        assert!(dir.path().join("a.xml").is_file());
        assert!(!dir.path().join("s/1.bin").exists());
    }

    #[test]
    fn a_file_deleted_by_hand_is_written_again() {
        let dir = tempfile::tempdir().unwrap();
        write_all(dir.path(), vec![file("a.xml", "a")], Rest::Removed).unwrap();
        std::fs::remove_file(dir.path().join("a.xml")).unwrap();
        let again = write_all(dir.path(), vec![file("a.xml", "a")], Rest::Removed).unwrap();
        assert_eq!(again.written, 1);
        assert!(dir.path().join("a.xml").is_file());
    }
}
