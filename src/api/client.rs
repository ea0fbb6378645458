//! The API from the browser: `fetch` and JSON, with the signatures and
//! paths of [`super::server`] (a test in `tests/http.rs` calls every path
//! the way this module does).
//!
//! Errors carry no detail: the views show their empty or retry state
//! whatever went wrong, and the browser's console already names the cause.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use super::Unavailable;
use crate::model::{
    AuthorPage, ListingPage, ListingQuery, Post, PostSummary, SearchResults, SiteMeta,
};

/// Title, tagline, links: what the layout shows on every page.
pub async fn site_meta() -> Result<SiteMeta, Unavailable> {
    send("/api/site", None).await
}

/// One page of posts for a category and tags (the index, category and tag pages).
pub async fn listing(query: ListingQuery) -> Result<ListingPage, Unavailable> {
    // Server functions take their arguments as one JSON object, by name.
    #[derive(Serialize)]
    struct Arguments<'a> {
        query: &'a ListingQuery,
    }
    let body = serde_json::to_string(&Arguments { query: &query }).map_err(|_| Unavailable)?;
    send("/api/listing", Some(body)).await
}

/// One post by slug; `None` when no visible post has it.
pub async fn post(slug: String) -> Result<Option<Post>, Unavailable> {
    send(&format!("/api/post/{}", encode(&slug)), None).await
}

/// Page `page` of an author's posts; `None` when no visible post names them.
pub async fn author(slug: String, page: u32) -> Result<Option<AuthorPage>, Unavailable> {
    send(&format!("/api/author/{}?page={page}", encode(&slug)), None).await
}

/// Ranked results for what the reader typed, best first: from the API,
/// or on a static host from the exported index ([`super::static_search`]).
pub async fn search(q: String, limit: u32) -> Result<SearchResults, Unavailable> {
    if super::static_search::is_static().await? {
        return super::static_search::search(&q, limit, page_language()).await;
    }
    let lang = page_language()
        .map(|l| format!("&lang={}", encode(&l)))
        .unwrap_or_default();
    send(
        &format!("/api/search?q={}&limit={limit}{lang}", encode(&q)),
        None,
    )
    .await
}

/// Whether the box waits for a pause in typing before it asks: not on a
/// static host ([`super::static_search::is_static_now`]), whose engine in
/// the page fetches each file once however many keystrokes ask for it,
/// so a pause would only delay the answer (and each keystroke's query
/// starts fetching what the next one needs, sooner).
pub fn search_waits_for_pause() -> bool {
    !super::static_search::is_static_now()
}

/// On a static host, the search page's results from the exported index;
/// `None` on a live server, whose page came with them.
pub async fn static_search_page(
    q: String,
    limit: u32,
) -> Result<Option<SearchResults>, Unavailable> {
    if !super::static_search::is_static().await? {
        return Ok(None);
    }
    let results = super::static_search::search(&q, limit, page_language()).await?;
    Ok(Some(results))
}

/// Gets searching ready (the search box's first focus): on a static
/// host, loads the exported index's engine.
pub async fn warm_search() {
    super::static_search::prepare().await;
}

/// The page's `<html lang>`: the search API ranks that language's posts
/// first and writes its counts in it.
fn page_language() -> Option<String> {
    let root = web_sys::window()?.document()?.document_element()?;
    root.get_attribute("lang").filter(|lang| !lang.is_empty())
}

/// The page at `url` as HTML, as the server (or a static host serving
/// `quire export`'s files) sends it to any reader: the listing island
/// swaps its `<main>` in (`web::islands::listing`).
pub async fn page(url: &str) -> Result<String, Unavailable> {
    fetch_text(url, None, "text/html").await
}

/// Posts resembling a path that does not exist, for the 404 page.
pub async fn suggestions(path: String) -> Result<Vec<PostSummary>, Unavailable> {
    send(&format!("/api/suggest?path={}", encode(&path)), None).await
}

fn encode(component: &str) -> String {
    js_sys::encode_uri_component(component).into()
}

/// GET `url`'s JSON answer as text.
pub(super) async fn get_text(url: &str) -> Result<String, Unavailable> {
    fetch_text(url, None, "application/json").await
}

/// GET `url`, or POST `body` as JSON to it, and decode the JSON answer.
async fn send<T: DeserializeOwned>(url: &str, body: Option<String>) -> Result<T, Unavailable> {
    let text = fetch_text(url, body, "application/json").await?;
    serde_json::from_str(&text).map_err(|_| Unavailable)
}

async fn fetch_text(url: &str, body: Option<String>, accept: &str) -> Result<String, Unavailable> {
    let init = RequestInit::new();
    if let Some(body) = &body {
        init.set_method("POST");
        init.set_body(&JsValue::from_str(body));
    }
    let request = Request::new_with_str_and_init(url, &init).map_err(unreachable_server)?;
    let headers = request.headers();
    headers.set("accept", accept).map_err(unreachable_server)?;
    if body.is_some() {
        headers
            .set("content-type", "application/json")
            .map_err(unreachable_server)?;
    }
    let window = web_sys::window().ok_or(Unavailable)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(unreachable_server)?
        .unchecked_into();
    if !response.ok() {
        return Err(Unavailable);
    }
    let text = JsFuture::from(response.text().map_err(unreachable_server)?)
        .await
        .map_err(unreachable_server)?;
    Ok(text.as_string().unwrap_or_default())
}

/// Network failures and refused requests: the browser already logs why.
fn unreachable_server(_: JsValue) -> Unavailable {
    Unavailable
}
