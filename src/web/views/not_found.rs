//! The 404 page: the site layout, a clear message, the articles whose names
//! come closest to the address asked for, a search box, status 404.

use crate::web::views::use_server_data;
use dioxus::prelude::*;

use crate::web::views::{PageTitle, use_ui};

use crate::api;
use crate::model::SiteMeta;
use crate::web::set_not_found_status;

/// The 404 content, also shown by views whose item does not exist.
#[component]
pub fn NotFoundBody(#[props(default)] path: String) -> Element {
    set_not_found_status();
    let meta = use_context::<SiteMeta>();
    let ui = use_ui();
    let title = ui.text("not-found-title");
    let suggestions = use_server_data(move || api::load(api::suggestions(path.clone())))?;
    let suggestions = suggestions
        .read()
        .clone()
        .and_then(Result::ok)
        .unwrap_or_default();
    rsx! {
        PageTitle { text: "{title} — {meta.title}" }
        document::Meta { name: "robots", content: "noindex" }
        section { class: "not-found",
            h1 { "{title}" }
            p { {ui.text("not-found-text")} }
            if !suggestions.is_empty() {
                h2 { {ui.text("not-found-suggest")} }
                ul { class: "suggestions",
                    for post in suggestions.iter() {
                        li { key: "{post.slug}",
                            a { href: "{post.url}", "{post.title}" }
                            span { class: "related-meta", " · {post.category} · {ui.date(post.date, &meta.date_format)}" }
                        }
                    }
                }
            }
            p { a { href: "/", {ui.text("browse-all")} } " " {ui.text("not-found-search")} }
        }
    }
}
