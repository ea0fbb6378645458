//! Resized WebP copies of the posts' raster images, made in the background
//! and served at `<post>/_img/<hash>-<width>.webp` (through
//! [`super::post_files`], so only while the post is visible).
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
//! Layout: this file (the queue), `make` (decode within limits, resize,
//! encode), `serve` (the answer).

mod make;
mod serve;

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

/// Where copies are kept, and the queue of copies to make.
#[derive(Default)]
pub struct Images {
    /// Unset, no copies are made (the originals answer at their addresses).
    dir: OnceLock<PathBuf>,
    queue: OnceLock<Mutex<Sender<Job>>>,
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
        self.found(content_dir, docs.into_iter().flat_map(|d| &d.images));
    }

    /// [`Images::ingested`] for images listed without their posts (the
    /// store's images tree, read at start).
    pub fn found<'a>(&self, content_dir: &Path, images: impl IntoIterator<Item = &'a LocalImage>) {
        for image in images {
            self.learn(content_dir, image);
        }
    }

    /// Queues the copies of `image` that do not exist yet (none without
    /// [`Images::start`]).
    fn learn(&self, content_dir: &Path, image: &LocalImage) {
        let (Some(dir), Some(queue)) = (self.dir.get(), self.queue.get()) else {
            return;
        };
        let Some(job) = missing(dir, content_dir, image) else {
            return;
        };
        let queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = queue.send(job);
    }

    /// Makes every missing copy of the images of `docs` into `dir` now, in
    /// parallel, and serves them from there (`quire export` writes them,
    /// so they must exist before it asks).
    pub fn make_now<'a>(
        &self,
        dir: PathBuf,
        content_dir: &Path,
        docs: impl IntoIterator<Item = &'a Document>,
    ) -> std::io::Result<()> {
        use rayon::prelude::*;
        std::fs::create_dir_all(&dir)?;
        let _ = self.dir.set(dir.clone());
        let jobs: Vec<Job> = docs
            .into_iter()
            .flat_map(|d| &d.images)
            .filter_map(|image| missing(&dir, content_dir, image))
            .collect();
        jobs.par_iter().for_each(|job| make::variants(job, &dir));
        Ok(())
    }

    /// The copy of `hash` at `width`, when it has been made.
    fn made(&self, hash: &str, width: u32) -> Option<PathBuf> {
        let path = variant_path(self.dir.get()?, hash, width);
        path.is_file().then_some(path)
    }
}

/// The copies of `image` not made yet, as one job; `None` when all are.
fn missing(dir: &Path, content_dir: &Path, image: &LocalImage) -> Option<Job> {
    let widths: Vec<u32> = image
        .variant_widths()
        .into_iter()
        .filter(|w| !variant_path(dir, &image.hash, *w).is_file())
        .collect();
    (!widths.is_empty()).then(|| Job {
        source: content_dir.join(&image.path),
        hash: image.hash.clone(),
        widths,
    })
}

/// Where the copy of `hash` at `width` is kept.
fn variant_path(dir: &Path, hash: &str, width: u32) -> PathBuf {
    dir.join(format!("{hash}-{width}.webp"))
}
