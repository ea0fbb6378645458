//! Search on a static host (`quire export`), in the browser: no
//! `/api/search` there, so the box searches the exported index itself
//! with the engine's wasm module (`quire_find`, built with its `abi`
//! feature), which ranks as the server does.
//!
//! Nothing is loaded until a reader first focuses the box ([`prepare`]):
//! then one probe tells a live server (the API answers) from a static
//! host, where `/_search/meta.json` names the module; the module and the
//! metadata are fetched, and each query fetches only the shards of
//! postings and posts it needs. Pages that never search pay nothing.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Reflect, Uint8Array, WebAssembly};
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

use super::Unavailable;
use crate::model::SearchResults;

/// Where the index is (`quire_find::format::FOLDER`).
const FOLDER: &str = "/_search/";
/// The index format this client reads (`quire_find::format::FORMAT`).
const FORMAT: u32 = 1;
/// Rounds of loading a query may take: postings, then posts.
const ROUNDS: usize = 4;

/// What the page's site is, once known.
#[derive(Clone)]
enum Mode {
    Unknown,
    Probing,
    /// A live server: the API searches.
    Live,
    /// A static host: the module searches.
    Static(Rc<Module>),
    /// Neither answers.
    None,
}

thread_local! {
    static MODE: RefCell<Mode> = const { RefCell::new(Mode::Unknown) };
}

/// Finds out, once, whether the site searches itself or through the
/// module, and loads the module if so (the box's first focus).
pub async fn prepare() {
    if !matches!(mode(), Mode::Unknown) {
        return;
    }
    set(Mode::Probing);
    let found = match live().await {
        true => Mode::Live,
        false => load()
            .await
            .map_or(Mode::None, |m| Mode::Static(Rc::new(m))),
    };
    set(found);
}

/// The module when the site is static (after [`prepare`]); `None` on a
/// live server.
pub async fn module() -> Result<Option<Rc<Module>>, Unavailable> {
    prepare().await;
    for _ in 0..500 {
        match mode() {
            Mode::Probing => gloo_timers::future::TimeoutFuture::new(20).await,
            Mode::Static(module) => return Ok(Some(module)),
            Mode::Live => return Ok(None),
            Mode::None | Mode::Unknown => return Err(Unavailable),
        }
    }
    Err(Unavailable)
}

fn mode() -> Mode {
    MODE.with(|mode| mode.borrow().clone())
}

fn set(next: Mode) {
    MODE.with(|mode| *mode.borrow_mut() = next);
}

/// Whether the API answers (an empty query costs the server nothing).
async fn live() -> bool {
    fetch_bytes("/api/search?q=&limit=1").await.is_ok()
}

/// The module and the index's metadata, from `/_search/meta.json`.
async fn load() -> Result<Module, Unavailable> {
    #[derive(Deserialize)]
    struct Head {
        format: u32,
        engine: String,
    }
    let meta = fetch_bytes(&format!("{FOLDER}meta.json")).await?;
    let head: Head = serde_json::from_slice(&meta).map_err(|_| Unavailable)?;
    if head.format != FORMAT || head.engine.is_empty() {
        return Err(Unavailable);
    }
    let module = Module::instantiate(&fetch_bytes(&head.engine).await?).await?;
    let (pointer, len) = module.put(&meta)?;
    match module.call("quire_open", &[pointer, len])? == 1.0 {
        true => Ok(module),
        false => Err(Unavailable),
    }
}

/// The best `limit` posts for `query`, ranked by the module; the posts in
/// `language` (the page's) first, as the server ranks them.
pub async fn search(
    module: &Module,
    query: &str,
    limit: u32,
    language: Option<String>,
) -> Result<SearchResults, Unavailable> {
    #[derive(Deserialize)]
    enum Outcome {
        Need(Vec<String>),
        Found(SearchResults),
    }
    let language = language.unwrap_or_default();
    for _ in 0..ROUNDS {
        let (q, q_len) = module.put(query.as_bytes())?;
        let (l, l_len) = module.put(language.as_bytes())?;
        let len = module.call("quire_search", &[q, q_len, f64::from(limit), l, l_len])?;
        let output = module.output(len)?;
        match serde_json::from_slice(&output).map_err(|_| Unavailable)? {
            Outcome::Found(results) => return Ok(results),
            Outcome::Need(files) => {
                for file in files {
                    let bytes = fetch_bytes(&format!("{FOLDER}{file}")).await?;
                    let (n, n_len) = module.put(file.as_bytes())?;
                    let (b, b_len) = module.put(&bytes)?;
                    module.call("quire_add", &[n, n_len, b, b_len])?;
                }
            }
        }
    }
    Err(Unavailable)
}

/// The instantiated engine: its exports and its memory.
pub struct Module {
    exports: Object,
}

impl Module {
    async fn instantiate(bytes: &[u8]) -> Result<Self, Unavailable> {
        let promise = WebAssembly::instantiate_buffer(bytes, &Object::new());
        let made = JsFuture::from(promise).await.map_err(|_| Unavailable)?;
        let instance: WebAssembly::Instance = get(&made, "instance")?.unchecked_into();
        Ok(Self {
            exports: instance.exports(),
        })
    }

    /// Calls an export with numbers, for a number.
    fn call(&self, name: &str, args: &[f64]) -> Result<f64, Unavailable> {
        let function: Function = get(&self.exports, name)?.unchecked_into();
        let args: Array = args.iter().map(|a| JsValue::from_f64(*a)).collect();
        let answer = function
            .apply(&JsValue::NULL, &args)
            .map_err(|_| Unavailable)?;
        answer.as_f64().ok_or(Unavailable)
    }

    /// Copies `bytes` into the module's memory: (pointer, length).
    fn put(&self, bytes: &[u8]) -> Result<(f64, f64), Unavailable> {
        let len = bytes.len() as f64;
        let pointer = self.call("quire_alloc", &[len])?;
        self.memory()?.set(&Uint8Array::from(bytes), pointer as u32);
        Ok((pointer, len))
    }

    /// The last outcome's `len` bytes.
    fn output(&self, len: f64) -> Result<Vec<u8>, Unavailable> {
        let pointer = self.call("quire_output", &[])?;
        let memory = self.memory()?;
        Ok(memory
            .subarray(pointer as u32, (pointer + len) as u32)
            .to_vec())
    }

    fn memory(&self) -> Result<Uint8Array, Unavailable> {
        let memory: WebAssembly::Memory = get(&self.exports, "memory")?.unchecked_into();
        Ok(Uint8Array::new(&memory.buffer()))
    }
}

fn get(object: &JsValue, name: &str) -> Result<JsValue, Unavailable> {
    Reflect::get(object, &JsValue::from_str(name)).map_err(|_| Unavailable)
}

/// GET `url`'s bytes; an error status is an error.
async fn fetch_bytes(url: &str) -> Result<Vec<u8>, Unavailable> {
    let window = web_sys::window().ok_or(Unavailable)?;
    let response: Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| Unavailable)?
        .unchecked_into();
    if !response.ok() {
        return Err(Unavailable);
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(|_| Unavailable)?)
        .await
        .map_err(|_| Unavailable)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
