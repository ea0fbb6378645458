//! Parts of an article's page that name other pages: the byline (who
//! wrote it, each name a link to their page) and the series box (every
//! part of the series, this one marked). Server-rendered only: the
//! islands client never renders an article, so none of this is in it.

use dioxus::prelude::*;

use crate::model::{AuthorLink, Series};
use crate::web::views::use_ui;

/// "By Alice and Bob", each name a link to `/authors/<slug>`.
#[component]
pub fn Byline(authors: Vec<AuthorLink>) -> Element {
    if authors.is_empty() {
        return rsx! {};
    }
    let ui = use_ui();
    let and = format!(" {} ", ui.text("byline-and"));
    let last = authors.len() - 1;
    rsx! {
        p { class: "byline",
            {ui.text("byline")} " "
            for (i, author) in authors.iter().enumerate() {
                span { key: "{author.slug}",
                    if i > 0 {
                        if i == last { "{and}" } else { ", " }
                    }
                    a { rel: "author", href: crate::urls::author(&author.slug), "{author.name}" }
                }
            }
        }
    }
}

/// "Part N of M: <series>" and an ordered list of every part; the
/// current one is not a link and carries `aria-current="page"`.
#[component]
pub fn SeriesBox(series: Series) -> Element {
    let current = series.current as usize;
    let (number, count) = (current + 1, series.parts.len());
    let part = use_ui().with(
        "series-part",
        &[("number", number.into()), ("count", count.into())],
    );
    rsx! {
        aside { class: "series", aria_labelledby: "series-heading",
            p { id: "series-heading", class: "series-title",
                "{part} "
                strong { "{series.name}" }
            }
            ol {
                for (i, part) in series.parts.iter().enumerate() {
                    li { key: "{part.slug}",
                        if i == current {
                            span { aria_current: "page", "{part.title}" }
                        } else {
                            a { href: "{part.url}", "{part.title}" }
                        }
                    }
                }
            }
        }
    }
}
