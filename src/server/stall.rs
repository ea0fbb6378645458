//! The start-up ingest is never left waiting forever: when it settles no
//! file for [`LIMIT`], the process ends with an error saying why.
//!
//! A stall this watchdog caught in practice was sled 0.34's deadlock under
//! a heavy write load (spacejam/sled#1412, about one cold ingest of
//! 10,000 posts in twenty): the writer waited, holding the log's segment
//! lock, for a file truncation queued on sled's I/O threads, and every one
//! of those threads waited for that lock. The patched sled in
//! `vendor/sled` runs the truncation on a thread of its own, which fixes
//! that one. The watchdog stays for whatever else could hang a write:
//! nothing in the process can undo a stuck store (closing it waits too),
//! and the ingest would hang with nothing said. Ending the process loses
//! nothing: what was stored is on disk, and the next start (the owner's,
//! or a supervisor's `Restart=on-failure`) resumes the ingest where it
//! stopped.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long the ingest may go without settling a file. A file is parsed
/// in milliseconds and a batch of them stored in well under a second; a
/// healthy ingest never comes near this, even on a loaded machine.
pub const LIMIT: Duration = Duration::from_secs(120);
/// Exit status of a stalled ingest (`EX_TEMPFAIL`: try again).
const EXIT_STALLED: i32 = 75;

/// Progress of one ingest, as the watchdog sees it.
pub struct Progress {
    started: Instant,
    /// Milliseconds after `started` when a file was last settled.
    last: AtomicU64,
    done: AtomicBool,
}

impl Progress {
    pub fn new() -> Self {
        Self {
            started: Instant::now(),
            last: AtomicU64::new(0),
            done: AtomicBool::new(false),
        }
    }

    /// A file was parsed or a post stored.
    pub fn tick(&self) {
        let now = self.started.elapsed().as_millis() as u64;
        self.last.store(now, Ordering::Relaxed);
    }

    /// How long since the last tick (or the start), as of `now`.
    fn idle(&self, now: Instant) -> Duration {
        let last = self.started + Duration::from_millis(self.last.load(Ordering::Relaxed));
        now.saturating_duration_since(last)
    }
}

/// Runs `ingest` with a watchdog beside it that ends the process if the
/// ingest goes [`LIMIT`] without a [`Progress::tick`].
pub fn watched<T>(content: &std::path::Path, ingest: impl FnOnce(&Progress) -> T) -> T {
    let progress = Progress::new();
    std::thread::scope(|scope| {
        let watchdog = scope.spawn(|| watch(&progress, LIMIT, content));
        // A panic ends the watch too: the scope waits for the watchdog.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ingest(&progress)));
        progress.done.store(true, Ordering::Release);
        watchdog.thread().unpark();
        result.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Wakes every second until the ingest is done; exits if it stalled.
fn watch(progress: &Progress, limit: Duration, content: &std::path::Path) {
    while !progress.done.load(Ordering::Acquire) {
        let idle = progress.idle(Instant::now());
        if idle >= limit {
            tracing::error!(
                content = %content.display(),
                idle_s = idle.as_secs(),
                "the ingest stopped: no file was settled for {} s. The store stopped answering writes (a stuck disk, or a deadlock in sled). Nothing is lost: start Quire again and the ingest resumes where it stopped (under systemd, Restart=on-failure does it)",
                limit.as_secs()
            );
            std::process::exit(EXIT_STALLED);
        }
        std::thread::park_timeout(Duration::from_secs(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_time_counts_from_the_last_tick() {
        let progress = Progress::new();
        let start = progress.started;
        assert_eq!(
            progress.idle(start + Duration::from_secs(5)),
            Duration::from_secs(5)
        );
        progress.tick();
        let ticked =
            progress.started + Duration::from_millis(progress.last.load(Ordering::Relaxed));
        assert_eq!(
            progress.idle(ticked + Duration::from_secs(2)),
            Duration::from_secs(2)
        );
        assert_eq!(progress.idle(ticked), Duration::ZERO);
    }

    #[test]
    fn a_panicking_ingest_stops_its_watchdog_and_panics_on() {
        let started = Instant::now();
        let caught = std::panic::catch_unwind(|| {
            watched(std::path::Path::new("content"), |_| -> u8 {
                panic!("parse bug")
            })
        });
        assert!(caught.is_err());
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "not held for the limit"
        );
    }

    #[test]
    fn a_finished_ingest_returns_at_once_and_stops_its_watchdog() {
        let started = Instant::now();
        let answer = watched(std::path::Path::new("content"), |progress| {
            progress.tick();
            42
        });
        assert_eq!(answer, 42);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the watchdog was unparked"
        );
    }
}
