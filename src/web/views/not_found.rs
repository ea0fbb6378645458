//! The 404 page: the site layout, a clear message, the articles whose names
//! come closest to the address asked for, a search box, status 404.

use crate::web::views::use_server_data;
use dioxus::prelude::*;

use crate::web::views::PageTitle;

use crate::api;
use crate::model::SiteMeta;
use crate::web::set_not_found_status;

/// The 404 content, also shown by views whose item does not exist.
#[component]
pub fn NotFoundBody(#[props(default)] path: String) -> Element {
    set_not_found_status();
    let meta = use_context::<SiteMeta>();
    let suggestions = use_server_data(move || api::load(api::suggestions(path.clone())))?;
    let suggestions = suggestions
        .read()
        .clone()
        .and_then(Result::ok)
        .unwrap_or_default();
    rsx! {
        PageTitle { text: "Page not found — {meta.title}" }
        document::Meta { name: "robots", content: "noindex" }
        section { class: "not-found",
            h1 { "Page not found" }
            p { "There is no page at this address. It may have moved, or the link may be mistyped." }
            if !suggestions.is_empty() {
                h2 { "Were you looking for one of these?" }
                ul { class: "suggestions",
                    for post in suggestions.iter() {
                        li { key: "{post.slug}",
                            a { href: "{post.url}", "{post.title}" }
                            span { class: "related-meta", " · {post.category} · {post.date.shown(&meta.date_format)}" }
                        }
                    }
                }
            }
            p { a { href: "/", "Browse all articles" } " or search with the box above." }
        }
    }
}
