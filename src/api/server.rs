//! The API as server functions, registered as axum routes.
//!
//! Thin by design: each one asks the request's [`Blog`] (the read model,
//! installed by the server as a request extension) and maps failure to a
//! generic error, logging the detail on the server so a reader never sees
//! internals. [`super::client`] mirrors these signatures and paths.

use std::sync::Arc;

use dioxus::fullstack::FullstackContext;
use dioxus::prelude::*;

use crate::model::{
    Addressed, AuthorPage, ListingPage, ListingQuery, Post, PostSummary, SearchResults, SiteMeta,
};
use crate::read::{Blog, SEARCH_PAGE_RESULTS};

/// The language whose pages a request is for (`fr` for `/fr/…`): a
/// request extension the server installs when it takes the language's
/// prefix off the address (`server::languages`); absent for the default
/// language's pages.
#[derive(Clone, Debug, Default)]
pub struct Edition(pub String);

/// The current request's [`Edition`] ("" for the default language's).
fn edition() -> String {
    FullstackContext::current()
        .and_then(|context| context.extension::<Edition>())
        .map(|Edition(code)| code)
        .unwrap_or_default()
}

/// Title, tagline, links: what the layout shows on every page, in the
/// language of the request's pages.
#[get("/api/site")]
pub async fn site_meta() -> Result<SiteMeta, ServerFnError> {
    Ok(blog()?.site_meta(request_host().as_deref(), &edition()))
}

/// One page of posts for a category and tags (the index, category and
/// tag pages), among the posts of the request's language.
#[post("/api/listing")]
pub async fn listing(query: ListingQuery) -> Result<ListingPage, ServerFnError> {
    let query = ListingQuery {
        edition: edition(),
        ..query
    };
    blog()?.listing(query).map_err(internal)
}

/// One post by slug; `None` when no visible post has it.
#[get("/api/post/{slug}")]
pub async fn post(slug: String) -> Result<Option<Post>, ServerFnError> {
    blog()?.post(&slug).map_err(internal)
}

/// Page `page` of an author's posts, with who they are; `None` when no
/// visible post names them.
#[get("/api/author/{slug}?page")]
pub async fn author(slug: String, page: u32) -> Result<Option<AuthorPage>, ServerFnError> {
    blog()?
        .author_page(&slug, page, &edition())
        .map_err(internal)
}

/// What is served at `path` (decoded): a post, a page or a section;
/// `None` when nothing visible is. The server's pages resolve every
/// address no route names through it.
#[post("/api/at")]
pub async fn at(path: String) -> Result<Option<Addressed>, ServerFnError> {
    blog()?.at(&path, &edition()).map_err(internal)
}

/// Nothing to get ready on the server (the browser's loads the static
/// host's search engine, `api::static_search`).
pub async fn warm_search() {}

/// Every query is a request to this server's API.
pub fn search_waits_for_pause() -> bool {
    true
}

/// Ranked results for what the reader typed, best first.
#[get("/api/search?q&limit")]
pub async fn search(q: String, limit: u32) -> Result<SearchResults, ServerFnError> {
    let limit = (limit as usize).clamp(1, SEARCH_PAGE_RESULTS);
    let blog = blog()?;
    let asked = reader_language();
    let code = match edition() {
        code if !code.is_empty() => code,
        _ => page_edition(&blog, asked.as_deref()),
    };
    let language = asked.or_else(|| (!code.is_empty()).then(|| code.clone()));
    let mut results = blog
        .search_in(&q, limit, language.as_deref())
        .map_err(internal)?;
    let meta = blog.site_meta(None, &code);
    let ui = crate::i18n::Ui::new(&meta.language, &meta.strings);
    let count = [("count", results.total.into())];
    results.status = ui.with("search-status", &count);
    results.all = ui.with("search-all", &count);
    Ok(results)
}

/// The site language whose pages' words a search answers in: the one the
/// reader's language (the page's `lang`, which the client sends) is, if
/// it is one of the site's other languages; else "" (the default's).
fn page_edition(blog: &Blog, reader: Option<&str>) -> String {
    let Some(reader) = reader else {
        return String::new();
    };
    let languages = blog.site_languages();
    let same =
        |l: &&crate::model::SiteLanguage| crate::content::language::primary(&l.code) == reader;
    languages
        .iter()
        .find(same)
        .map(|l| l.code.clone())
        .unwrap_or_default()
}

/// The reader's language ([`crate::search::language_parameter`]; on the
/// API, which is never cached, else `Accept-Language`).
fn reader_language() -> Option<String> {
    let context = FullstackContext::current()?;
    let parts = context.parts_mut();
    let uri = &parts.uri;
    crate::search::language_parameter(uri.query().unwrap_or_default()).or_else(|| {
        let header = parts.headers.get(axum::http::header::ACCEPT_LANGUAGE)?;
        let api = uri.path().starts_with("/api/");
        api.then(|| crate::search::accepted_language(header.to_str().ok()?))
            .flatten()
    })
}

/// Posts resembling a path that does not exist, for the 404 page.
#[get("/api/suggest?path")]
pub async fn suggestions(path: String) -> Result<Vec<PostSummary>, ServerFnError> {
    blog()?.suggestions(&path, 3).map_err(internal)
}

/// The blog the current request is for (a request extension the server
/// installs on every route). Missing only if the router was built wrong.
fn blog() -> Result<Arc<Blog>, ServerFnError> {
    FullstackContext::current()
        .and_then(|context| context.extension::<Arc<Blog>>())
        .ok_or_else(|| internal("no site is installed for this request"))
}

/// The `Host` header of the current request, if any.
fn request_host() -> Option<String> {
    let context = FullstackContext::current()?;
    let parts = context.parts_mut();
    let host = parts.headers.get(axum::http::header::HOST)?;
    host.to_str().ok().map(str::to_owned)
}

fn internal(err: impl std::fmt::Display) -> ServerFnError {
    tracing::error!(error = %err, "query failed");
    ServerFnError::new("internal error")
}
