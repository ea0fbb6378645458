//! The server's allocator: jemalloc, except that while compressing, a
//! large block asked for zeroed is taken like any other and cleared by
//! hand.
//!
//! Why: brotli allocates its match finder's tables (about 1 MB at the
//! quality pages use) zeroed, afresh for every page it compresses.
//! jemalloc answers a large zeroed request by handing freshly purged
//! pages to the kernel to zero, so each of those tables cost about 256
//! page faults: half of the time brotli took per page (0.42 of 0.89 ms
//! for a 24 KB page), and a third of a cold export's CPU time was the
//! kernel's. A block reused from jemalloc's freed ones and cleared with
//! `memset` costs a few microseconds instead.
//!
//! Only while compressing ([`clearing_zeroed_blocks`]): elsewhere a large
//! zeroed block is often sparse and long-lived (tantivy's indexing arena,
//! sled's buffers), where untouched pages that cost nothing are worth the
//! faults; clearing them all by hand raised `serve`'s memory after an
//! ingest by about 6 MB. Small requests keep jemalloc's own zeroing, and
//! so do huge ones.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

use tikv_jemallocator::Jemalloc;

/// From this size on, a zeroed block is cleared by hand.
const CLEARED_FROM: usize = 64 * 1024;
/// Up to this size: brotli's and zlib's tables, not a huge sparse table.
const CLEARED_UP_TO: usize = 8 * 1024 * 1024;

thread_local! {
    /// Whether this thread is in [`clearing_zeroed_blocks`].
    static CLEARING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work` with large zeroed blocks cleared by hand on this thread:
/// work that allocates and frees the same tables again and again (brotli,
/// gzip).
pub fn clearing_zeroed_blocks<T>(work: impl FnOnce() -> T) -> T {
    let _restore = Restore(CLEARING.with(|c| c.replace(true)));
    work()
}

/// Puts the thread's flag back as it was, also when `work` panics (a
/// worker thread goes on with its next task).
struct Restore(bool);

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = CLEARING.try_with(|c| c.set(self.0));
    }
}

fn clearing() -> bool {
    CLEARING.try_with(Cell::get).unwrap_or(false)
}

/// jemalloc, with large zeroed blocks cleared by hand where asked.
pub struct Allocator;

// SAFETY: every call is jemalloc's, with the caller's layout; the one
// change hands back a block of `layout` whose bytes are all zero, which
// is what `alloc_zeroed` promises.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        unsafe { Jemalloc.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { Jemalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        unsafe { Jemalloc.realloc(ptr, layout, new_size) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !(CLEARED_FROM..=CLEARED_UP_TO).contains(&layout.size()) || !clearing() {
            // SAFETY: the caller's contract, passed on.
            return unsafe { Jemalloc.alloc_zeroed(layout) };
        }
        // SAFETY: the caller's contract; a non-null block holds
        // `layout.size()` writable bytes.
        unsafe {
            let block = Jemalloc.alloc(layout);
            if !block.is_null() {
                std::ptr::write_bytes(block, 0, layout.size());
            }
            block
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// Minor page faults of the calling thread so far.
    fn faults() -> i64 {
        // SAFETY: getrusage writes one `rusage` into the value given.
        unsafe {
            let mut usage: libc::rusage = std::mem::zeroed();
            libc::getrusage(libc::RUSAGE_THREAD, &mut usage);
            usage.ru_minflt
        }
    }

    /// Asks `allocator` 50 times for a zeroed table of 1 MB, writes all
    /// of it as brotli does, checks it came zeroed, and frees it.
    fn tables(allocator: &dyn GlobalAlloc) -> i64 {
        let layout = Layout::from_size_align(1 << 20, 8).unwrap();
        let before = faults();
        for _ in 0..50 {
            // SAFETY: a non-zero layout; the block is freed with it.
            unsafe {
                let table = allocator.alloc_zeroed(layout);
                assert!(!table.is_null());
                let bytes = std::slice::from_raw_parts_mut(table, layout.size());
                assert!(bytes.iter().all(|b| *b == 0), "a reused block is cleared");
                bytes.fill(0xA5);
                allocator.dealloc(table, layout);
            }
        }
        faults() - before
    }

    #[test]
    fn a_table_asked_for_again_and_again_comes_zeroed_without_page_faults() {
        let by_hand = clearing_zeroed_blocks(|| tables(&Allocator));
        let elsewhere = tables(&Allocator);
        let jemalloc = tables(&Jemalloc);
        assert!(
            elsewhere > 5_000,
            "outside clearing_zeroed_blocks jemalloc zeroes: {elsewhere} faults"
        );
        // 50 tables of 256 pages each: jemalloc's zeroing faults on
        // about every page; cleared by hand, a reused block faults on
        // none after the first.
        assert!(
            by_hand < 1_000,
            "{by_hand} page faults for 50 tables cleared by hand"
        );
        assert!(
            jemalloc > 5_000,
            "jemalloc's own zeroing faulted {jemalloc} times: the reason for this module is gone"
        );
    }

    #[test]
    fn a_panic_while_clearing_leaves_the_thread_as_it_was() {
        let caught = std::panic::catch_unwind(|| clearing_zeroed_blocks(|| panic!("in work")));
        assert!(caught.is_err());
        assert!(!clearing(), "the flag outlived the panic");
        clearing_zeroed_blocks(|| clearing_zeroed_blocks(|| assert!(clearing())));
        assert!(!clearing());
    }

    #[test]
    fn small_and_huge_blocks_are_zeroed_by_jemalloc() {
        for size in [16, CLEARED_FROM - 1, CLEARED_UP_TO + 1] {
            let layout = Layout::from_size_align(size, 8).unwrap();
            // SAFETY: a non-zero layout; the block is freed with it.
            unsafe {
                let block = clearing_zeroed_blocks(|| Allocator.alloc_zeroed(layout));
                let bytes = std::slice::from_raw_parts(block, size);
                assert!(bytes.iter().all(|b| *b == 0));
                Allocator.dealloc(block, layout);
            }
        }
    }
}
