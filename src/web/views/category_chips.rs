//! The row of category chips. Each chip is a real link (works without
//! JavaScript); on listing pages the islands client swaps the
//! listing in place instead (`web::islands::listing`).

use dioxus::prelude::*;

use super::use_ui;
use crate::model::Facet;
use crate::web::components::RouteLink;
use crate::web::{Filter, links};

#[component]
pub fn CategoryChips(categories: Vec<Facet>, filter: Filter) -> Element {
    let ui = use_ui();
    let all = Filter {
        category: None,
        tags: filter.tags.clone(),
    };
    rsx! {
        nav { class: "chips", aria_label: ui.text("chips"),
            RouteLink {
                to: links::index(&all),
                class: if filter.category.is_none() { "chip active" } else { "chip" },
                {ui.text("chip-all")}
            }
            for facet in categories.iter() {
                RouteLink {
                    key: "{facet.slug}",
                    to: links::index(&filter.toggle_category(&facet.slug)),
                    class: if filter.category.as_deref() == Some(facet.slug.as_str()) { "chip active" } else { "chip" },
                    "{facet.name}"
                }
            }
        }
    }
}
