//! Background work runs at a lower CPU priority than serving requests,
//! and hands back the memory it freed when it is done.
//!
//! Building the search index (about 1.5 s of CPU for 10,000 posts, right
//! after start-up) and applying live edits compete with request handling
//! for the same cores: on one core, index p99 went from under 1 ms to over
//! 100 ms while the index was built. Threads doing that work lower their
//! own priority; threads they spawn (tantivy's indexing and merge threads)
//! inherit it. Bulk work (a full sync, an index build) frees tens of MB at
//! once; [`release_free_memory`] returns it to the system at the end
//! rather than leaving it to the allocator's own pace.

/// The nice value of background threads: well below requests, still
/// scheduled when the machine is busy.
pub const BACKGROUND_NICE: i32 = 10;

/// Lowers the calling thread's CPU priority (Linux: its nice value; each
/// thread has its own). Best effort: a failure leaves the priority as it was.
pub fn lower_current_thread_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: setpriority takes no pointers; on Linux, PRIO_PROCESS with
        // who = 0 names the calling thread only.
        let result = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, BACKGROUND_NICE) };
        if result != 0 {
            tracing::debug!(error = %std::io::Error::last_os_error(), "cannot lower a background thread's priority");
        }
    }
}

/// Hands the memory freed by bulk work (a full sync, a search index
/// build) back to the system now, rather than a second later: the
/// server's allocator is jemalloc (`main.rs`), whose arenas are purged.
/// Where jemalloc is not the allocator (tests), its arenas are empty.
pub fn release_free_memory() {
    const ALL_ARENAS: &std::ffi::CStr = c"arena.4096.purge";
    // SAFETY: "arena.<MALLCTL_ARENAS_ALL>.purge" takes no value and
    // writes none; null pointers with length 0 are its documented call.
    unsafe {
        tikv_jemalloc_sys::mallctl(
            ALL_ARENAS.as_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        );
    }
}

/// The nice value of the calling thread (tests, logs).
#[cfg(target_os = "linux")]
pub fn current_thread_nice() -> i32 {
    // SAFETY: as above. getpriority can return -1 as a value; errno is not
    // consulted because the call cannot fail for the calling thread.
    unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_background_thread_is_lowered_and_the_caller_is_not() {
        let before = current_thread_nice();
        let lowered = std::thread::spawn(|| {
            lower_current_thread_priority();
            current_thread_nice()
        })
        .join()
        .unwrap();
        assert_eq!(lowered, BACKGROUND_NICE);
        assert_eq!(current_thread_nice(), before);
    }
}
