//! The threads that parse posts in parallel during a sync: one pool per
//! priority, built once. Why a module of its own: which priority a pool
//! runs at is a rule of its own (start-up ingest and `quire check` at the
//! caller's, the watcher's full syncs lowered), tested apart from syncing.

use std::sync::OnceLock;

use rayon::ThreadPool;

/// The parse threads, built once per priority and kept for later syncs.
/// A thread starts at its spawner's priority and cannot raise it again, so
/// start-up ingest and `quire check` (normal priority) and the watcher's
/// full syncs (lowered, [`crate::background`]) each get their own pool, at
/// their caller's priority, as the threads each sync spawned used to be.
/// Not rayon's global pool, which tantivy's threads may use. `None` when the
/// threads could not be started: the caller parses alone.
pub(super) fn parse_pool() -> Option<&'static ThreadPool> {
    static NORMAL: OnceLock<Option<ThreadPool>> = OnceLock::new();
    static LOWERED: OnceLock<Option<ThreadPool>> = OnceLock::new();
    if caller_is_lowered() {
        LOWERED
            .get_or_init(|| build_pool(crate::background::lower_current_thread_priority))
            .as_ref()
    } else {
        NORMAL.get_or_init(|| build_pool(|| {})).as_ref()
    }
}

/// Whether the calling thread runs at background priority.
fn caller_is_lowered() -> bool {
    #[cfg(target_os = "linux")]
    {
        crate::background::current_thread_nice() >= crate::background::BACKGROUND_NICE
    }
    #[cfg(not(target_os = "linux"))]
    {
        // Priorities are not lowered elsewhere: one pool.
        false
    }
}

/// One pool thread per core; `on_start` runs first on each thread.
fn build_pool(on_start: fn()) -> Option<ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("parse-{i}"))
        .start_handler(move |_| on_start())
        .build()
        .inspect_err(|err| {
            tracing::warn!(error = %err, "cannot start the parse threads; parsing on one core (raise the thread limit, ulimit -u, to parse in parallel)")
        })
        .ok()
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use crate::background::{BACKGROUND_NICE, current_thread_nice};

    /// The nice value of every thread of the pool the calling thread gets.
    fn pool_nices() -> Vec<i32> {
        let pool = parse_pool().expect("parse threads");
        pool.broadcast(|_| current_thread_nice())
    }

    #[test]
    fn parse_threads_run_at_their_callers_priority() {
        let caller = current_thread_nice();
        assert!(pool_nices().iter().all(|nice| *nice == caller));
        let lowered = std::thread::spawn(|| {
            crate::background::lower_current_thread_priority();
            pool_nices()
        })
        .join()
        .unwrap();
        assert!(
            lowered
                .iter()
                .all(|nice| *nice == BACKGROUND_NICE.max(caller))
        );
        assert_eq!(current_thread_nice(), caller);
    }
}
