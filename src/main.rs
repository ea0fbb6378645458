//! Binary entry point: the server CLI natively, the islands client in wasm.

/// The client's allocator: `lol_alloc`'s free list instead of std's
/// dlmalloc, for its size (docs/BUDGETS.md). Freed blocks are merged with
/// their free neighbours and reused first-fit, so a page that swaps its
/// listing many times reuses the same memory (the browser suite checks
/// the wasm memory stops growing).
// SAFETY: the client is single-threaded: it is built without the `atomics`
// target feature, so no second thread can share its memory.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

/// The server's allocator: jemalloc. With glibc's, a cold ingest spent
/// an eighth of its time in malloc and free (100,000 posts synced in 82 s,
/// 62 s with jemalloc), and pages freed by bulk work stayed resident.
/// Large zeroed blocks are cleared by hand (`server::allocator`).
#[cfg(feature = "server")]
#[global_allocator]
static ALLOCATOR: quire::server::allocator::Allocator = quire::server::allocator::Allocator;

/// jemalloc's settings, read before `main`: a background thread hands
/// freed pages back to the system a second after they are freed, without
/// waiting for the next allocation in their arena.
#[cfg(feature = "server")]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: Option<&'static std::ffi::c_char> =
    Some(unsafe { &*c"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0".as_ptr() });

fn main() {
    #[cfg(feature = "server")]
    std::process::exit(quire::server::main());

    #[cfg(all(target_arch = "wasm32", feature = "web", not(feature = "server")))]
    quire::web::islands::start();
}
