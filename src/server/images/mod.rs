//! Resized WebP copies of the posts' raster images, made in the background
//! and served at `/_quire/img/<hash>-<width>.webp`.
//!
//! Why a module of its own: resizing is the one CPU-heavy job ingest
//! leaves behind, so it runs on one thread of its own at background
//! priority ([`crate::background`]), after the post is already served.
//! Until a copy exists its address answers with the original image (not
//! cached by browsers), so a page never points at a missing file and
//! pages are never re-rendered for it. Copies live in the data directory
//! under the hash of the original's bytes and the width, so a restart
//! finds them and a changed image (a new hash) gets new ones.
//!
//! Layout: this file (which images are known, the queue), `make` (decode
//! within limits, resize, encode), `serve` (the route).

mod make;
mod serve;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::content::Document;
use crate::content::images::LocalImage;

pub use self::serve::serve;

/// One image to make copies of.
#[derive(Clone, Debug)]
struct Job {
    source: PathBuf,
    hash: String,
    widths: Vec<u32>,
}

/// The images of the site's posts, by hash, and the queue of copies.
#[derive(Default)]
pub struct Images {
    /// Where copies are kept; unset, no copies are made (the originals
    /// answer at their addresses).
    dir: OnceLock<PathBuf>,
    queue: OnceLock<Mutex<Sender<Job>>>,
    /// Hash → the original, for answering before the copy exists.
    known: Mutex<HashMap<String, PathBuf>>,
}

impl Images {
    /// Starts the background thread that makes copies into `dir`.
    pub fn start(&self, dir: PathBuf) -> std::io::Result<()> {
        std::fs::create_dir_all(&dir)?;
        if self.dir.set(dir.clone()).is_err() {
            return Ok(());
        }
        let (sender, jobs) = channel::<Job>();
        let _ = self.queue.set(Mutex::new(sender));
        std::thread::Builder::new()
            .name("quire-images".into())
            .spawn(move || {
                crate::background::lower_current_thread_priority();
                for job in jobs {
                    make::variants(&job, &dir);
                }
            })?;
        Ok(())
    }

    /// Learns the images of `docs` (files under `content_dir`) and queues
    /// the copies that do not exist yet.
    pub fn ingested<'a>(&self, content_dir: &Path, docs: impl IntoIterator<Item = &'a Document>) {
        for image in docs.into_iter().flat_map(|d| &d.images) {
            self.learn(content_dir, image);
        }
    }

    fn learn(&self, content_dir: &Path, image: &LocalImage) {
        let widths = image.variant_widths();
        if widths.is_empty() {
            return;
        }
        let source = content_dir.join(&image.path);
        let mut known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        known.insert(image.hash.clone(), source.clone());
        drop(known);
        let (Some(dir), Some(queue)) = (self.dir.get(), self.queue.get()) else {
            return;
        };
        let widths: Vec<u32> = widths
            .into_iter()
            .filter(|w| !variant_path(dir, &image.hash, *w).is_file())
            .collect();
        if widths.is_empty() {
            return;
        }
        let job = Job {
            source,
            hash: image.hash.clone(),
            widths,
        };
        let queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = queue.send(job);
    }

    /// The copy `hash`/`width` when it exists, else the original it is made from.
    fn lookup(&self, hash: &str, width: u32) -> Option<Lookup> {
        if let Some(dir) = self.dir.get() {
            let path = variant_path(dir, hash, width);
            if path.is_file() {
                return Some(Lookup::Variant(path));
            }
        }
        let known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        known.get(hash).cloned().map(Lookup::Original)
    }
}

/// What answers at a copy's address.
enum Lookup {
    Variant(PathBuf),
    Original(PathBuf),
}

/// Where the copy of `hash` at `width` is kept.
fn variant_path(dir: &Path, hash: &str, width: u32) -> PathBuf {
    dir.join(format!("{hash}-{width}.webp"))
}
