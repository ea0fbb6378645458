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

fn main() {
    #[cfg(feature = "server")]
    std::process::exit(quire::server::main());

    #[cfg(all(target_arch = "wasm32", feature = "web", not(feature = "server")))]
    quire::web::islands::start();
}
