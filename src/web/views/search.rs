//! The search results page, `/search?q=…`: what the search box's form
//! submits to, so search works without JavaScript too.

use crate::web::views::use_server_data;
use dioxus::prelude::*;

use crate::web::views::{Seo, use_ui};

use crate::api;
use crate::model::{SearchResults, SiteMeta};
use crate::web::SearchQuery;
use crate::web::components::ResultItems;

use crate::web::search_query::PAGE_RESULTS;

#[component]
pub fn Search(query: SearchQuery) -> Element {
    // The router's copy has been percent-decoded once too often (see
    // `SearchQuery`); the page's own URL has not.
    let query = SearchQuery::of_page().unwrap_or(query);
    rsx! { SearchPage { key: "{query}", q: query.q } }
}

#[component]
fn SearchPage(q: String) -> Element {
    let meta = use_context::<SiteMeta>();
    let ui = use_ui();
    let query = q.clone();
    let results = use_server_data(move || api::load(api::search(query.clone(), PAGE_RESULTS)))?;
    let results = results
        .read()
        .clone()
        .and_then(Result::ok)
        .unwrap_or_default();
    let canonical = format!("{}?{}", crate::urls::SEARCH, SearchQuery { q: q.clone() });
    let site = ("site", (&meta.title).into());
    let title = match q.trim() {
        "" => ui.with("search-title", &[site]),
        q => ui.with("search-title-query", &[site, ("query", q.into())]),
    };
    rsx! {
        Seo { title: "{title}", description: "{meta.description}", path: "{canonical}" }
        section { class: "search-page",
            h1 { {ui.text("search-heading")} }
            form { class: "search-page-form", role: "search", aria_label: ui.text("search-page-label"), action: crate::urls::SEARCH, method: "get",
                label { r#for: "search-page-input", {ui.text("search-page-label")} }
                div { class: "search-page-row",
                    input { id: "search-page-input", r#type: "search", name: "q", value: "{q}" }
                    button { r#type: "submit", {ui.text("search-button")} }
                }
            }
            ResultsList { results, q: q.clone() }
        }
    }
}

#[component]
fn ResultsList(results: SearchResults, q: String) -> Element {
    let format = use_context::<SiteMeta>().date_format;
    let ui = use_ui();
    let query = ("query", q.trim().into());
    let dates = results
        .hits
        .iter()
        .map(|hit| ui.date(hit.date, &format))
        .collect();
    let summary = match (q.trim().is_empty(), results.total) {
        (true, _) => ui.text("search-prompt"),
        (false, 0) => ui.with("search-page-none", &[query]),
        (false, n) => ui.with("search-page-count", &[query, ("count", n.into())]),
    };
    rsx! {
        p { class: "count", role: "status", aria_live: "polite", "{summary}" }
        if results.total == 0 && !q.trim().is_empty() {
            div { class: "empty",
                p { {ui.text("search-try")} }
                a { href: "/", {ui.text("browse-all")} }
            }
        }
        ol { class: "results",
            ResultItems { hits: results.hits.clone(), dates }
        }
    }
}
