//! One article: header, table of contents, body, previous/next.

use dioxus::prelude::*;

use crate::api;
use crate::model::Post;
use crate::web::human_date;
use crate::web::views::NotFoundBody;

#[component]
pub fn Article(slug: String) -> Element {
    let post = use_server_future(move || api::post(slug.clone()))?;
    let post = post.read();
    match &*post {
        Some(Ok(Some(post))) => rsx! { ArticlePage { post: post.clone() } },
        Some(Ok(None)) => rsx! { NotFoundBody {} },
        Some(Err(_)) => {
            rsx! { p { class: "error", "This article could not be loaded. Please try again." } }
        }
        None => rsx! {},
    }
}

#[component]
fn ArticlePage(post: Post) -> Element {
    let summary = &post.summary;
    rsx! {
        document::Title { "{summary.title} — Quire" }
        document::Meta { name: "description", content: "{summary.description}" }
        article { class: "post",
            header { class: "post-header",
                p { class: "card-meta",
                    span { class: "card-category", "{summary.category}" }
                    time { datetime: "{summary.date}", "{human_date(&summary.date)}" }
                    if let Some(updated) = &summary.updated {
                        span { "Updated " time { datetime: "{updated}", "{human_date(updated)}" } }
                    }
                    span { "{summary.reading_minutes} min read" }
                }
                h1 { "{summary.title}" }
                p { class: "post-description", "{summary.description}" }
            }
            div { class: "post-layout",
                if !post.toc.is_empty() {
                    nav { class: "toc", aria_label: "Table of contents",
                        h2 { "Contents" }
                        ol {
                            for entry in post.toc.iter() {
                                li { key: "{entry.id}", class: "toc-level-{entry.level}",
                                    a { href: "#{entry.id}", "{entry.title}" }
                                }
                            }
                        }
                    }
                }
                div { class: "post-body", dangerous_inner_html: "{post.html}" }
            }
            nav { class: "post-nav", aria_label: "More articles",
                if let Some(newer) = &post.newer {
                    a { rel: "prev", href: "/blog/{newer.slug}", span { "← Newer" } " {newer.title}" }
                }
                if let Some(older) = &post.older {
                    a { rel: "next", href: "/blog/{older.slug}", span { "Older →" } " {older.title}" }
                }
            }
        }
    }
}
