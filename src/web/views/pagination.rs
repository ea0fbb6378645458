//! Previous / numbered / next links under a listing. Real links: they work
//! without JavaScript; on listing pages the islands client swaps the
//! listing in place instead.

use dioxus::prelude::*;

use super::use_ui;
use crate::web::ListingKind;
use crate::web::components::RouteLink;

/// Pages shown on each side of the current one before "…".
const WINDOW: u32 = 2;

#[component]
pub fn Pagination(kind: ListingKind, page: u32, pages: u32) -> Element {
    if pages <= 1 {
        return rsx! {};
    }
    let ui = use_ui();
    let shown = shown_pages(page, pages);
    let label = |n: u32| ui.with("page-number", &[("page", n.into())]);
    rsx! {
        nav { class: "pagination", aria_label: ui.text("pagination"),
            if page > 1 {
                RouteLink { to: kind.href(page - 1), rel: "prev", class: "page-step", {ui.text("newer")} }
            }
            ol {
                for (i, number) in shown.iter().enumerate() {
                    li { key: "{i}",
                        match number {
                            None => rsx! { span { class: "page-gap", "…" } },
                            Some(n) if *n == page => rsx! {
                                span { class: "page-current", aria_current: "page", "{n}" }
                            },
                            Some(n) => rsx! {
                                RouteLink { to: kind.href(*n), aria_label: label(*n), "{n}" }
                            },
                        }
                    }
                }
            }
            if page < pages {
                RouteLink { to: kind.href(page + 1), rel: "next", class: "page-step", {ui.text("older")} }
            }
        }
    }
}

/// First, last and a window around `page`; `None` marks a gap.
fn shown_pages(page: u32, pages: u32) -> Vec<Option<u32>> {
    let mut out = Vec::new();
    let mut last = 0;
    for n in 1..=pages {
        let near = n.abs_diff(page) <= WINDOW;
        if n == 1 || n == pages || near {
            if n > last + 1 {
                out.push(None);
            }
            out.push(Some(n));
            last = n;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::shown_pages;

    #[test]
    fn gaps_collapse_far_pages() {
        assert_eq!(shown_pages(1, 3), [Some(1), Some(2), Some(3)]);
        assert_eq!(
            shown_pages(10, 500),
            [
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(500)
            ]
        );
    }
}
