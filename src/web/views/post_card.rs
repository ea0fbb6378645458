//! One article on a listing: category, date, reading time, title, byline,
//! description, tags.

use dioxus::prelude::*;

use super::use_ui;
use crate::model::{PostSummary, SiteMeta};
use crate::web::components::RouteLink;
use crate::web::{Filter, links};

#[component]
pub fn PostCard(post: PostSummary, filter: Filter) -> Element {
    let ui = use_ui();
    let href = post.url.clone();
    let format = use_context::<SiteMeta>().date_format;
    let minutes = ui.with("reading-time", &[("minutes", post.reading_minutes.into())]);
    rsx! {
        article { class: "card",
            div { class: "card-meta",
                span { class: "card-category", "{post.category}" }
                time { datetime: "{post.date}", "{ui.date(post.date, &format)}" }
                span { "{minutes}" }
            }
            h2 { class: "card-title", a { href: "{href}", "{post.title}" } }
            if !post.authors.is_empty() {
                p { class: "byline",
                    {ui.text("byline")} " "
                    for (i, author) in post.authors.iter().enumerate() {
                        if i > 0 { ", " }
                        a { rel: "author", href: crate::urls::author(&author.slug), "{author.name}" }
                    }
                }
            }
            p { class: "card-description", "{post.description}" }
            if !post.tags.is_empty() {
                ul { class: "tags", aria_label: ui.text("tags"),
                    for tag in post.tags.iter() {
                        li { key: "{tag}",
                            RouteLink {
                                to: links::index(&filter.toggle_tag(tag)),
                                class: if filter.tags.contains(tag) { "tag active" } else { "tag" },
                                "#{tag}"
                            }
                        }
                    }
                }
            }
            a { class: "read-more", href: "{href}", aria_label: ui.with("read-more-label", &[("title", (&post.title).into())]), {ui.text("read-more")} }
        }
    }
}
