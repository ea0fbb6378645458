//! The 404 page: the site layout, a clear message, a way back, status 404.

use dioxus::prelude::*;

use crate::web::set_not_found_status;

#[component]
pub fn NotFound(segments: Vec<String>) -> Element {
    rsx! { NotFoundBody {} }
}

/// The 404 content, also shown by views whose item does not exist.
#[component]
pub fn NotFoundBody() -> Element {
    set_not_found_status();
    rsx! {
        document::Title { "Page not found — Quire" }
        section { class: "not-found",
            h1 { "Page not found" }
            p { "There is no page at this address. It may have moved, or the link may be mistyped." }
            p { a { href: "/", "Browse all articles" } }
        }
    }
}
