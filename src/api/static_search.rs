//! Search on a static host (`quire export`), in the browser: no
//! `/api/search` there, so the box searches the exported index itself
//! with the engine's wasm module (`quire_find`), which ranks as the
//! server does.
//!
//! Nothing is loaded until a reader first focuses the box ([`prepare`]):
//! then `/_search/meta.json` tells a static host, where it names the
//! engine's loader (`crates/quire-find/loader.js`), from a live server,
//! where it names none. On a static host the loader is added to the page;
//! it fetches the module and, for each query, the shards of postings and
//! posts the query needs, and answers with `/api/search`'s JSON. Pages
//! that never search pay nothing, and the client carries only this glue.

use std::cell::Cell;

use js_sys::{Function, Promise, Reflect};
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::Unavailable;
use crate::model::SearchResults;
use crate::urls::SEARCH_INDEX;

/// What the loader sets on the page's global object.
const GLOBAL: &str = "__quireFind";
/// Where the page leaves `meta.json`'s text for the loader.
const HEAD: &str = "__quireFindHead";
/// How long the loader may take to fetch and open the engine.
const READY_POLLS: u32 = 500;
const POLL_MS: u32 = 20;

/// What the page's site is, once known.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Unknown,
    Probing,
    /// A live server: the API searches.
    Live,
    /// A static host: the loader's engine searches.
    Static,
    /// Neither: the box shows no results (the form still works).
    None,
}

thread_local! {
    static MODE: Cell<Mode> = const { Cell::new(Mode::Unknown) };
}

/// Finds out, once, whether the site searches through its API or through
/// the exported index, and adds the engine's loader if so (the box's
/// first focus).
pub async fn prepare() {
    if MODE.get() != Mode::Unknown {
        return;
    }
    MODE.set(Mode::Probing);
    let found = match head().await {
        Some(head) if add_script(&head).is_some() => Mode::Static,
        Some(_) => Mode::None,
        None => Mode::Live,
    };
    MODE.set(found);
}

/// What `/_search/meta.json` names: the engine's loader and the files it
/// opens with (`quire_find::format::Head`).
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    loader: String,
    #[serde(default)]
    preload: Vec<String>,
    /// The file as fetched, handed to the loader.
    #[serde(skip)]
    text: String,
}

/// `/_search/meta.json`; `None` when it names no loader (a live server's
/// answer) or is not there (a server older than the page).
async fn head() -> Option<Head> {
    let text = super::client::get_text(&format!("{SEARCH_INDEX}meta.json"))
        .await
        .ok()?;
    let head: Head = serde_json::from_str(&text).ok()?;
    let head = Head { text, ..head };
    Some(head).filter(|head| !head.loader.is_empty())
}

/// Adds the loader, and asks for every file it will open at once
/// (`<link rel=preload>`): they arrive side by side while the loader
/// itself arrives, not one after another. The loader is handed the head
/// (`__quireFindHead`), so it does not ask for it again: a round trip
/// less before the engine opens where round trips cost more than bytes
/// (about 100 ms at 100 ms and 20 Mbit/s; on a throttled phone profile
/// the engine's 93 KB hide it).
fn add_script(head: &Head) -> Option<()> {
    let global = js_sys::global();
    Reflect::set(&global, &HEAD.into(), &head.text.as_str().into()).ok()?;
    let document = web_sys::window()?.document()?;
    for file in &head.preload {
        let link = document.create_element("link").ok()?;
        link.set_attribute("rel", "preload").ok()?;
        link.set_attribute("as", "fetch").ok()?;
        link.set_attribute("crossorigin", "anonymous").ok()?;
        link.set_attribute("href", file).ok()?;
        document.head()?.append_child(&link).ok()?;
    }
    let script = document.create_element("script").ok()?;
    script.set_attribute("type", "module").ok()?;
    script.set_attribute("src", &head.loader).ok()?;
    document.head()?.append_child(&script).ok()?;
    Some(())
}

/// Whether the box searches the exported index (after [`prepare`]).
pub async fn is_static() -> Result<bool, Unavailable> {
    prepare().await;
    for _ in 0..READY_POLLS {
        match MODE.get() {
            Mode::Probing => gloo_timers::future::TimeoutFuture::new(POLL_MS).await,
            Mode::Static => return Ok(true),
            Mode::Live => return Ok(false),
            Mode::None | Mode::Unknown => return Err(Unavailable),
        }
    }
    Err(Unavailable)
}

/// The best `limit` posts for `query` from the exported index, those in
/// `language` (the page's) first, as the server ranks them.
pub async fn search(
    query: &str,
    limit: u32,
    language: Option<String>,
) -> Result<SearchResults, Unavailable> {
    let engine = engine().await?;
    let search: Function = get(&engine, "search")?.unchecked_into();
    let language = JsValue::from_str(&language.unwrap_or_default());
    let answer = search
        .call3(&engine, &query.into(), &limit.into(), &language)
        .map_err(|_| Unavailable)?;
    let json = JsFuture::from(Promise::from(answer))
        .await
        .map_err(|_| Unavailable)?;
    serde_json::from_str(&json.as_string().ok_or(Unavailable)?).map_err(|_| Unavailable)
}

/// Whether the page's site is known (after [`prepare`]) to be a static
/// host, where the engine in the page answers queries.
pub fn is_static_now() -> bool {
    MODE.get() == Mode::Static
}

/// The loader's engine, once it has opened the index.
async fn engine() -> Result<JsValue, Unavailable> {
    for _ in 0..READY_POLLS {
        let engine = get(&js_sys::global(), GLOBAL)?;
        if !engine.is_undefined() {
            return match get(&engine, "search")?.is_function() {
                true => Ok(engine),
                false => Err(Unavailable),
            };
        }
        gloo_timers::future::TimeoutFuture::new(POLL_MS).await;
    }
    Err(Unavailable)
}

fn get(object: &JsValue, name: &str) -> Result<JsValue, Unavailable> {
    Reflect::get(object, &JsValue::from_str(name)).map_err(|_| Unavailable)
}
