//! The search results page, `/search?q=…`: what the search box's form
//! submits to, so search works without JavaScript too.

use crate::web::views::use_server_data;
use dioxus::prelude::*;

use crate::web::views::Seo;

use crate::api;
use crate::model::{SearchResults, SiteMeta};
use crate::web::SearchQuery;
use crate::web::components::Fragments;

/// Results on the page.
const PAGE_RESULTS: u32 = 20;

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
    let query = q.clone();
    let results = use_server_data(move || api::load(api::search(query.clone(), PAGE_RESULTS)))?;
    let results = results
        .read()
        .clone()
        .and_then(Result::ok)
        .unwrap_or_default();
    let canonical = format!("{}?{}", crate::urls::SEARCH, SearchQuery { q: q.clone() });
    let title = if q.trim().is_empty() {
        format!("Search — {}", meta.title)
    } else {
        format!("“{}” — Search — {}", q.trim(), meta.title)
    };
    rsx! {
        Seo { title: "{title}", description: "{meta.description}", path: "{canonical}" }
        section { class: "search-page",
            h1 { "Search" }
            form { class: "search-page-form", role: "search", aria_label: "Search the articles", action: crate::urls::SEARCH, method: "get",
                label { r#for: "search-page-input", "Search the articles" }
                div { class: "search-page-row",
                    input { id: "search-page-input", r#type: "search", name: "q", value: "{q}" }
                    button { r#type: "submit", "Search" }
                }
            }
            ResultsList { results, q: q.clone() }
        }
    }
}

#[component]
fn ResultsList(results: SearchResults, q: String) -> Element {
    let format = use_context::<SiteMeta>().date_format;
    let summary = match (q.trim().is_empty(), results.total) {
        (true, _) => "Type a word or two to search titles, tags and full text.".to_string(),
        (false, 0) => format!("No articles match “{}”.", q.trim()),
        (false, 1) => format!("1 article matches “{}”.", q.trim()),
        (false, n) => format!("{n} articles match “{}”.", q.trim()),
    };
    rsx! {
        p { class: "count", role: "status", aria_live: "polite", "{summary}" }
        if results.total == 0 && !q.trim().is_empty() {
            div { class: "empty",
                p { "Try fewer or different words." }
                a { href: "/", "Browse all articles" }
            }
        }
        ol { class: "results",
            for hit in results.hits.iter() {
                li { key: "{hit.slug}", class: "result",
                    h2 { class: "card-title",
                        a { href: "{hit.url}", Fragments { fragments: hit.title.clone() } }
                    }
                    p { class: "card-meta",
                        span { class: "card-category", "{hit.category}" }
                        time { datetime: "{hit.date}", "{hit.date.shown(&format)}" }
                    }
                    p { class: "result-snippet", Fragments { fragments: hit.snippet.clone() } }
                }
            }
        }
    }
}
