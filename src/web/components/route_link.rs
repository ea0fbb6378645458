//! A link to one of our pages: a plain `<a href>`, a full page load without
//! JavaScript. On listing pages the islands client takes over clicks on
//! listing links and swaps the listing in place (`web::islands::listing`),
//! so the link itself carries no handler and no router.
//!
//! The router's own `Link` writes a bare `?` after routes whose query is
//! empty (`/page/2?`); [`href`] writes the clean URL readers and search
//! engines should see.

use dioxus::prelude::*;

#[cfg(not(target_arch = "wasm32"))]
use crate::web::Route;

#[component]
pub fn RouteLink(
    /// The URL, from [`href`] or `ListingKind::href`.
    to: String,
    #[props(into, default)] class: Option<String>,
    #[props(into, default)] rel: Option<String>,
    #[props(into, default)] aria_label: Option<String>,
    children: Element,
) -> Element {
    rsx! {
        a { href: to, class, rel, aria_label, {children} }
    }
}

/// The route's URL without a dangling `?`.
#[cfg(not(target_arch = "wasm32"))]
pub fn href(route: &Route) -> String {
    let url = route.to_string();
    url.strip_suffix('?').map(str::to_string).unwrap_or(url)
}
