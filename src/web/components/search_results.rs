//! The search page's list items: rendered by the server's search page,
//! and by the client into a static host's empty search page
//! (`web::islands::search_page`), so both lists are the same markup.

use dioxus::prelude::*;

use crate::model::SearchHit;
use crate::web::components::Fragments;

/// One `li` per hit; `dates` are the hits' dates as the site shows them.
#[component]
pub fn ResultItems(hits: Vec<SearchHit>, dates: Vec<String>) -> Element {
    rsx! {
        for (hit, date) in hits.iter().zip(dates) {
            li { key: "{hit.slug}", class: "result",
                h2 { class: "card-title",
                    a { href: "{hit.url}", Fragments { fragments: hit.title.clone() } }
                }
                p { class: "card-meta",
                    span { class: "card-category", "{hit.category}" }
                    time { datetime: "{hit.date}", "{date}" }
                }
                p { class: "result-snippet", Fragments { fragments: hit.snippet.clone() } }
            }
        }
    }
}
