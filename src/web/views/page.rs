//! A standalone page (`content/pages/about.md`, or `page = true`): the
//! article's body without date, category, tags, neighbours or related
//! posts, since it is not part of the blog's chronology.

use dioxus::prelude::*;

use crate::model::{Post, SiteMeta};
use crate::web::views::article::with_copy_buttons;
use crate::web::views::use_ui;
use crate::web::views::{Alternates, Seo, Translations};

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
        if !page.translations.is_empty() {
            Alternates { translations: page.translations.clone() }
        }
        article { class: "post page",
            header { class: "post-header",
                h1 { "{summary.title}" }
                if !page.translations.is_empty() {
                    Translations { translations: page.translations.clone(), current: summary.url.clone(), page: true }
                }
            }
            div { class: "post-body", dangerous_inner_html: with_copy_buttons(&page.html, &use_ui()) }
        }
    }
}
