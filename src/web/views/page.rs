//! A standalone page (`content/pages/about.md`, or `page = true`): the
//! article's body without date, category, tags, neighbours or related
//! posts, since it is not part of the blog's chronology.

use dioxus::prelude::*;

use crate::model::{Post, SiteMeta};
use crate::web::views::Seo;
use crate::web::views::article::with_copy_buttons;
use crate::web::views::use_ui;

#[component]
pub fn StandalonePage(page: Post) -> Element {
    let meta = use_context::<SiteMeta>();
    let summary = &page.summary;
    rsx! {
        Seo {
            title: "{summary.title} — {meta.title}",
            description: "{summary.description}",
            path: summary.url.clone(),
            kind: "website",
            image: page.image.clone(),
        }
        article { class: "post page",
            header { class: "post-header",
                h1 { "{summary.title}" }
            }
            div { class: "post-body", dangerous_inner_html: with_copy_buttons(&page.html, &use_ui()) }
        }
    }
}
