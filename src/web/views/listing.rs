//! Listing pages: the index (`/`, `/page/N`, filtered by `?category=` and
//! `?tag=`), category pages (`/category/<slug>`) and tag pages
//! (`/tags/<slug>`): their data, status and head tags; the body is
//! [`ListingBody`].
//!
//! The server renders every page here. In the browser, the islands client
//! (`web::islands::listing`) swaps another listing page's `<main>` in
//! place when a chip, tag or page link is clicked.

use crate::web::views::use_server_data;
use dioxus::prelude::*;

use crate::api;
use crate::model::{ListingPage, ListingQuery, SiteMeta};
use crate::web::views::listing_body::{ListingBody, listing_headings};
use crate::web::views::{Seo, use_ui};
use crate::web::{Filter, ListingKind, set_not_found_status, set_unavailable_status};

#[component]
pub fn Index(filter: Filter) -> Element {
    // The router's copy was decoded twice (see `Filter::of_page`); the page
    // cache keys the page by the request's own query, read the same way.
    let filter = Filter::of_page().unwrap_or(filter);
    rsx! { Listing { kind: ListingKind::Index(filter), page: 1 } }
}

#[component]
pub fn IndexPage(page: u32, filter: Filter) -> Element {
    let filter = Filter::of_page().unwrap_or(filter);
    rsx! { Listing { kind: ListingKind::Index(filter), page } }
}

#[component]
pub fn Category(slug: String) -> Element {
    rsx! { Listing { kind: ListingKind::Category(slug), page: 1 } }
}

#[component]
pub fn CategoryPage(slug: String, page: u32) -> Element {
    rsx! { Listing { kind: ListingKind::Category(slug), page } }
}

#[component]
pub fn Tag(slug: String) -> Element {
    rsx! { Listing { kind: ListingKind::Tag(slug), page: 1 } }
}

#[component]
pub fn TagPage(slug: String, page: u32) -> Element {
    rsx! { Listing { kind: ListingKind::Tag(slug), page } }
}

#[component]
fn Listing(kind: ListingKind, page: u32) -> Element {
    let query = kind.query(page);
    let data = use_server_data(move || api::load(api::listing(query.clone())))?;
    let data = data.read();
    match &*data {
        Some(Ok(data)) => rsx! { ListingView { data: data.clone(), kind } },
        _ => rsx! { Unavailable {} },
    }
}

/// The listing's data could not be loaded: a 503, not an empty 200.
#[component]
fn Unavailable() -> Element {
    set_unavailable_status();
    rsx! { p { class: "error", {use_ui().text("listing-unavailable")} } }
}

/// A listing page as the server renders it: head tags, then the body.
#[component]
fn ListingView(data: ListingPage, kind: ListingKind) -> Element {
    let meta = use_context::<SiteMeta>();
    if data.unknown_filter || (data.total == 0 && !is_unfiltered(&data.query)) {
        set_not_found_status();
    }
    let (_, title, path) = listing_headings(&use_ui(), &kind, &data, &meta);
    rsx! {
        Seo { title: "{title}", description: "{meta.description}", path: "{path}" }
        ListingBody { data, kind }
    }
}

fn is_unfiltered(query: &ListingQuery) -> bool {
    query.category.is_none() && query.tags.is_empty()
}
