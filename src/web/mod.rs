//! The user interface: routes, layout and views, rendered on the server;
//! the browser brings the interactive pieces to life from the same
//! components ([`islands`]).

pub mod assets;
pub mod browser;
pub mod components;
pub mod filter;
#[cfg(all(target_arch = "wasm32", feature = "web"))]
pub mod islands;
pub mod links;
pub mod search_query;
// The pages, the router and the root component are the server's: the
// islands client renders only components, so none of this is built for it.
#[cfg(not(target_arch = "wasm32"))]
pub mod views;

#[cfg(not(target_arch = "wasm32"))]
use dioxus::prelude::*;

use crate::model;
pub use filter::Filter;
pub use search_query::SearchQuery;
#[cfg(not(target_arch = "wasm32"))]
use views::{
    Article, Author, AuthorPagination, Category, CategoryPage, Index, IndexPage, Search, Shell,
    Tag, TagPage,
};

/// Every page of the site, as the server routes it. Every link is a plain
/// `<a>`; on listing pages the islands client keeps chip, tag and page
/// links on the page (see [`links`], which writes and reads their URLs
/// without this type).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Routable, Clone, PartialEq, Debug)]
#[rustfmt::skip]
pub enum Route {
    #[layout(Shell)]
        #[route("/?:..filter")]
        Index { filter: Filter },
        #[route("/page/:page?:..filter")]
        IndexPage { page: u32, filter: Filter },
        #[route("/category/:slug")]
        Category { slug: String },
        #[route("/category/:slug/page/:page")]
        CategoryPage { slug: String, page: u32 },
        #[route("/tags/:slug")]
        Tag { slug: String },
        #[route("/tags/:slug/page/:page")]
        TagPage { slug: String, page: u32 },
        #[route("/authors/:slug")]
        Author { slug: String },
        #[route("/authors/:slug/page/:page")]
        AuthorPagination { slug: String, page: u32 },
        #[route("/search?:..query")]
        Search { query: SearchQuery },
        // Every other address: a post's (each post has its own, see
        // `urls::permalink`), else the 404 page.
        #[route("/:..segments")]
        Article { segments: Vec<String> },
}

/// Which list a listing page shows; decides where its page links go.
#[derive(Clone, Debug, PartialEq)]
pub enum ListingKind {
    /// The index, filtered by the query string.
    Index(Filter),
    Category(String),
    Tag(String),
    /// A section, by its path (`notes`): its page is at `/notes`.
    Section(String),
}

impl ListingKind {
    /// The store query for `page` of this list.
    pub fn query(&self, page: u32) -> model::ListingQuery {
        match self {
            Self::Index(filter) => filter.query(page),
            Self::Category(slug) => model::ListingQuery {
                category: Some(slug.clone()),
                page,
                ..Default::default()
            },
            Self::Tag(slug) => model::ListingQuery {
                tags: vec![slug.clone()],
                page,
                ..Default::default()
            },
            Self::Section(path) => model::ListingQuery {
                section: Some(path.clone()),
                page,
                ..Default::default()
            },
        }
    }

    /// The route of `page` of this list (page 1 has no `/page/` part).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn route(&self, page: u32) -> Route {
        match (self, page) {
            (Self::Index(filter), 0 | 1) => Route::Index {
                filter: filter.clone(),
            },
            (Self::Index(filter), page) => Route::IndexPage {
                page,
                filter: filter.clone(),
            },
            (Self::Category(slug), 0 | 1) => Route::Category { slug: slug.clone() },
            (Self::Category(slug), page) => Route::CategoryPage {
                slug: slug.clone(),
                page,
            },
            (Self::Tag(slug), 0 | 1) => Route::Tag { slug: slug.clone() },
            (Self::Tag(slug), page) => Route::TagPage {
                slug: slug.clone(),
                page,
            },
            (Self::Section(_), page) => Route::Article {
                segments: self
                    .href(page)
                    .split('/')
                    .skip(1)
                    .map(str::to_string)
                    .collect(),
            },
        }
    }
}

/// Root component of the server renderer.
#[cfg(not(target_arch = "wasm32"))]
#[component]
pub fn App() -> Element {
    rsx! {
        document::Stylesheet { href: assets::main_css_href() }
        document::Link { rel: "icon", r#type: "image/svg+xml", href: assets::favicon_href() }
        Router::<Route> {}
    }
}

/// Marks the response as 404 when rendering on the server; a no-op in the browser.
pub fn set_not_found_status() {
    #[cfg(feature = "server")]
    dioxus::fullstack::FullstackContext::commit_http_status(
        dioxus::fullstack::StatusCode::NOT_FOUND,
        None,
    );
}

/// Marks the response as 503 with `Retry-After` when rendering on the
/// server (a no-op in the browser): for a page whose data could not be
/// loaded, so an error page is never a 200 and never cached.
pub fn set_unavailable_status() {
    #[cfg(feature = "server")]
    {
        use axum::http::{HeaderValue, header};
        use dioxus::fullstack::FullstackContext;
        if let Some(context) = FullstackContext::current() {
            context.add_response_header(header::RETRY_AFTER, HeaderValue::from_static("30"));
        }
        FullstackContext::commit_http_status(
            dioxus::fullstack::StatusCode::SERVICE_UNAVAILABLE,
            None,
        );
    }
}
