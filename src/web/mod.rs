//! The user interface: routes, layout and views, rendered on the server and
//! hydrated in the browser from the same components.

pub mod components;
pub mod filter;
pub mod views;

use dioxus::prelude::*;

pub use filter::Filter;
use views::{Article, Index, NotFound, Shell};

/// Every page of the site. Article links are plain `<a>` elements (a full,
/// server-rendered load); filter chips use the router and stay on the page.
#[derive(Routable, Clone, PartialEq, Debug)]
#[rustfmt::skip]
pub enum Route {
    #[layout(Shell)]
        #[route("/?:..filter")]
        Index { filter: Filter },
        #[route("/blog/:slug")]
        Article { slug: String },
        #[route("/:..segments")]
        NotFound { segments: Vec<String> },
}

/// Root component for both the server renderer and the wasm client.
#[component]
pub fn App() -> Element {
    rsx! {
        document::Stylesheet { href: asset!("/assets/main.css") }
        Router::<Route> {}
    }
}

/// Marks the response as 404 when rendering on the server; a no-op in the browser.
pub fn set_not_found_status() {
    dioxus::fullstack::FullstackContext::commit_http_status(
        dioxus::fullstack::StatusCode::NOT_FOUND,
        None,
    );
}

/// `2026-03-18` → `Mar 18, 2026`; anything else is shown as written.
pub fn human_date(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut parts = date.splitn(3, '-');
    let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else {
        return date.to_string();
    };
    let (Ok(month), Ok(day)) = (month.parse::<usize>(), day.parse::<u32>()) else {
        return date.to_string();
    };
    match MONTHS.get(month.wrapping_sub(1)) {
        Some(name) => format!("{name} {day}, {year}"),
        None => date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::human_date;

    #[test]
    fn formats_iso_dates_for_readers() {
        assert_eq!(human_date("2026-03-08"), "Mar 8, 2026");
        assert_eq!(human_date("2026-13-08"), "2026-13-08");
        assert_eq!(human_date("soon"), "soon");
    }
}
