//! Resized WebP and AVIF copies of the posts' raster images, made in the
//! background and served at `<post>/_img/<hash>-<width>.webp` / `.avif`
//! (through [`super::post_files`], so only while the post is visible).
//!
//! Why a module of its own: resizing is the one CPU-heavy job ingest
//! leaves behind, so it runs on one thread of its own at background
//! priority ([`crate::background`]), after the post is already served.
//! AVIF takes about three times WebP's time to encode, so every queued
//! image gets its WebP copies before any image gets its AVIF ones.
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

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::content::Document;
use crate::content::images::LocalImage;
use crate::content::images::resolve::Format;

pub use self::serve::serve;

/// One image to make copies of.
#[derive(Clone, Debug)]
struct Job {
    source: PathBuf,
    hash: String,
    /// The copies to make: width and format.
    copies: Vec<(u32, Format)>,
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
                work(&jobs, &dir);
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

    /// Makes every missing copy of `images` into `dir` now, in
    /// parallel, and serves them from there (`quire export` writes them,
    /// so they must exist before it asks).
    pub fn make_now(
        &self,
        dir: PathBuf,
        content_dir: &Path,
        images: &[LocalImage],
    ) -> std::io::Result<()> {
        use rayon::prelude::*;
        std::fs::create_dir_all(&dir)?;
        let _ = self.dir.set(dir.clone());
        let jobs: Vec<Job> = images
            .iter()
            .filter_map(|image| missing(&dir, content_dir, image))
            .collect();
        if jobs.is_empty() {
            return Ok(());
        }
        // The one long step of a first export of a blog of photos: said,
        // so that a minute of silence is not taken for a hang.
        let copies: usize = jobs.iter().map(|job| job.copies.len()).sum();
        tracing::info!(images = jobs.len(), copies, dir = %dir.display(), "making the images' resized copies (kept for the next export)");
        let started = std::time::Instant::now();
        jobs.par_iter().for_each(|job| make::variants(job, &dir));
        let elapsed_ms = started.elapsed().as_millis() as u64;
        tracing::info!(
            images = jobs.len(),
            copies,
            elapsed_ms,
            "resized copies made"
        );
        Ok(())
    }

    /// The copy of `hash` at `width` in `format`, when it has been made.
    fn made(&self, hash: &str, width: u32, format: Format) -> Option<PathBuf> {
        let path = variant_path(self.dir.get()?, hash, width, format);
        path.is_file().then_some(path)
    }

    /// What answers at the address of the copy in `format`: the copy, or a
    /// smaller one in another format (some screenshots take more bytes in
    /// AVIF than in WebP), and whether it is final (`false`: the copy in
    /// `format` is still to be made, so browsers must ask again).
    fn best(&self, hash: &str, width: u32, format: Format) -> Option<(PathBuf, Format, bool)> {
        let size = |path: &PathBuf| std::fs::metadata(path).map_or(u64::MAX, |m| m.len());
        let asked = self.made(hash, width, format);
        // Only a format every browser that asks for `format` shows.
        let other = match format {
            Format::Avif => Some(Format::Webp),
            Format::Webp => None,
        }
        .and_then(|f| Some((self.made(hash, width, f)?, f)));
        match (asked, other) {
            (Some(path), Some((smaller, f))) if size(&smaller) < size(&path) => {
                Some((smaller, f, true))
            }
            (Some(path), _) => Some((path, format, true)),
            (None, Some((path, f))) => Some((path, f, false)),
            (None, None) => None,
        }
    }
}

/// The worker's loop: WebP copies as jobs arrive; the AVIF copies of the
/// jobs seen so far only when no job is waiting, so a new image's WebP
/// copies never wait behind another image's AVIF ones.
fn work(jobs: &Receiver<Job>, dir: &Path) {
    let mut later: VecDeque<Job> = VecDeque::new();
    loop {
        let job = match jobs.try_recv() {
            Ok(job) => job,
            Err(TryRecvError::Disconnected) if later.is_empty() => return,
            Err(_) => match later.pop_front() {
                Some(avif) => {
                    make::variants(&avif, dir);
                    continue;
                }
                None => match jobs.recv() {
                    Ok(job) => job,
                    Err(_) => return,
                },
            },
        };
        let (webp, avif) = job.split(Format::Webp);
        if let Some(webp) = webp {
            make::variants(&webp, dir);
        }
        later.extend(avif);
    }
}

impl Job {
    /// This job's copies in `format`, and the others, as two jobs.
    fn split(self, format: Format) -> (Option<Job>, Option<Job>) {
        let (mine, others): (Vec<_>, Vec<_>) = self.copies.iter().partition(|(_, f)| *f == format);
        let part = |copies: Vec<(u32, Format)>| {
            (!copies.is_empty()).then(|| Job {
                source: self.source.clone(),
                hash: self.hash.clone(),
                copies,
            })
        };
        (part(mine), part(others))
    }
}

/// The copies of `image` not made yet, as one job; `None` when all are.
fn missing(dir: &Path, content_dir: &Path, image: &LocalImage) -> Option<Job> {
    let copies: Vec<(u32, Format)> = Format::ALL
        .into_iter()
        .flat_map(|format| image.variant_widths().into_iter().map(move |w| (w, format)))
        .filter(|(w, format)| !variant_path(dir, &image.hash, *w, *format).is_file())
        .collect();
    (!copies.is_empty()).then(|| Job {
        source: content_dir.join(&image.path),
        hash: image.hash.clone(),
        copies,
    })
}

/// Where the copy of `hash` at `width` in `format` is kept.
fn variant_path(dir: &Path, hash: &str, width: u32, format: Format) -> PathBuf {
    dir.join(format!("{hash}-{width}.{}", format.extension()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(dir: &Path, name: &str) -> Job {
        let source = dir.join(format!("{name}.png"));
        image::RgbImage::new(600, 300).save(&source).unwrap();
        let copies = Format::ALL.into_iter().map(|f| (480, f)).collect();
        Job {
            source,
            hash: name.repeat(32),
            copies,
        }
    }

    fn made_at(dir: &Path, name: &str, format: Format) -> std::time::SystemTime {
        let path = variant_path(dir, &name.repeat(32), 480, format);
        std::fs::metadata(path).unwrap().modified().unwrap()
    }

    #[test]
    fn an_avif_address_answers_with_the_smaller_copy_and_says_when_it_is_final() {
        let dir = tempfile::tempdir().unwrap();
        let images = Images::default();
        let _ = images.dir.set(dir.path().to_path_buf());
        let hash = "a".repeat(32);
        let write = |format, bytes: usize| {
            std::fs::write(variant_path(dir.path(), &hash, 480, format), vec![0; bytes]).unwrap();
        };
        let best = |format| {
            images
                .best(&hash, 480, format)
                .map(|(_, made, fin)| (made, fin))
        };
        assert_eq!(best(Format::Avif), None);
        write(Format::Webp, 100);
        assert_eq!(best(Format::Avif), Some((Format::Webp, false)));
        assert_eq!(best(Format::Webp), Some((Format::Webp, true)));
        write(Format::Avif, 60);
        assert_eq!(best(Format::Avif), Some((Format::Avif, true)));
        assert_eq!(best(Format::Webp), Some((Format::Webp, true)));
        write(Format::Avif, 140);
        assert_eq!(best(Format::Avif), Some((Format::Webp, true)));
        assert_eq!(best(Format::Webp), Some((Format::Webp, true)));
    }

    #[test]
    fn every_queued_webp_copy_is_made_before_any_avif_copy() {
        let dir = tempfile::tempdir().unwrap();
        let (sender, jobs) = channel();
        sender.send(job(dir.path(), "a")).unwrap();
        sender.send(job(dir.path(), "b")).unwrap();
        drop(sender);
        work(&jobs, dir.path());
        let last_webp = made_at(dir.path(), "b", Format::Webp);
        assert!(last_webp <= made_at(dir.path(), "a", Format::Avif));
        assert!(made_at(dir.path(), "a", Format::Avif) <= made_at(dir.path(), "b", Format::Avif));
    }
}
