//! A link to one of our routes that is a real `<a href>` without
//! JavaScript and a router navigation (no page load) once hydrated.
//!
//! The router's own `Link` writes a bare `?` after routes whose query is
//! empty (`/page/2?`); this one writes the clean URL readers and search
//! engines should see.

use dioxus::prelude::*;

use crate::web::Route;

#[component]
pub fn RouteLink(
    to: Route,
    #[props(into, default)] class: Option<String>,
    #[props(into, default)] rel: Option<String>,
    #[props(into, default)] aria_label: Option<String>,
    children: Element,
) -> Element {
    let href = href(&to);
    rsx! {
        a {
            href,
            class,
            rel,
            aria_label,
            onclick: move |event: MouseEvent| {
                // Modified clicks keep their browser meaning (new tab, window).
                let modifiers = event.modifiers();
                if modifiers.ctrl() || modifiers.meta() || modifiers.shift() || modifiers.alt() {
                    return;
                }
                event.prevent_default();
                navigator().push(to.clone());
            },
            {children}
        }
    }
}

/// The route's URL without a dangling `?`.
pub fn href(route: &Route) -> String {
    let url = route.to_string();
    url.strip_suffix('?').map(str::to_string).unwrap_or(url)
}
