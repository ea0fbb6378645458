//! The engine as a wasm module with no imports and a plain C interface,
//! loaded by the client (`api::static_search`) on a static host: bytes
//! go in through memory the caller asks [`quire_alloc`] for, JSON comes
//! out through [`quire_output`]. No wasm-bindgen: the module is fetched
//! and instantiated only when a reader first focuses the search box, so
//! pages that never search pay nothing for it.

use std::cell::RefCell;

use crate::engine::{Engine, Outcome};

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Memory for `len` bytes of input; the call it is passed to frees it.
#[unsafe(no_mangle)]
pub extern "C" fn quire_alloc(len: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(len.max(1));
    let pointer = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    pointer
}

/// Takes back an input buffer from [`quire_alloc`].
fn take(pointer: *mut u8, len: usize) -> Vec<u8> {
    // SAFETY: the caller got `pointer` from `quire_alloc(len)` (capacity
    // `len.max(1)`) and wrote `len` bytes into it.
    unsafe { Vec::from_raw_parts(pointer, len, len.max(1)) }
}

/// Opens the index `index-{hash}.json` describes (`format::Meta`, named
/// by `meta.json`); 1 on success, 0 for JSON
/// that is no index of this module's format.
#[unsafe(no_mangle)]
pub extern "C" fn quire_open(meta: *mut u8, len: usize) -> u32 {
    let bytes = take(meta, len);
    match serde_json::from_slice::<crate::format::Meta>(&bytes) {
        Ok(meta) if meta.format == crate::format::FORMAT => {
            ENGINE.with(|engine| *engine.borrow_mut() = Some(Engine::new(meta)));
            1
        }
        _ => 0,
    }
}

/// Adds the file `name` (as a `Need` named it); 1 on success.
#[unsafe(no_mangle)]
pub extern "C" fn quire_add(name: *mut u8, name_len: usize, json: *mut u8, len: usize) -> u32 {
    let name = take(name, name_len);
    let json = take(json, len);
    let name = String::from_utf8_lossy(&name);
    ENGINE.with(|engine| match engine.borrow_mut().as_mut() {
        Some(engine) => engine.add(&name, &json).is_ok() as u32,
        None => 0,
    })
}

/// Searches; the outcome (`{"Need": [...]}` or `{"Found": {...}}`) is
/// left in [`quire_output`], and its length returned (0: no index open).
#[unsafe(no_mangle)]
pub extern "C" fn quire_search(
    query: *mut u8,
    len: usize,
    limit: u32,
    lang: *mut u8,
    lang_len: usize,
) -> usize {
    let query = take(query, len);
    let lang = take(lang, lang_len);
    let query = String::from_utf8_lossy(&query);
    let lang = String::from_utf8_lossy(&lang);
    let lang = (!lang.is_empty()).then_some(lang.as_ref());
    let outcome: Option<Outcome> = ENGINE.with(|engine| {
        Some(
            engine
                .borrow()
                .as_ref()?
                .search(&query, limit as usize, lang),
        )
    });
    let Some(outcome) = outcome else { return 0 };
    let json = serde_json::to_vec(&outcome).unwrap_or_default();
    OUTPUT.with(|output| {
        let len = json.len();
        *output.borrow_mut() = json;
        len
    })
}

/// Where the last outcome is.
#[unsafe(no_mangle)]
pub extern "C" fn quire_output() -> *const u8 {
    OUTPUT.with(|output| output.borrow().as_ptr())
}
