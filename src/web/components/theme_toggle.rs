//! The light/dark switch. The theme itself is applied before first paint by
//! the inline script in `index.html`; this button only changes and stores it.
//! Hidden (but keeping its space) until the client hydrates.

use dioxus::prelude::*;

use crate::web::browser;

#[component]
pub fn ThemeToggle() -> Element {
    // Unknown on the server; read from the page once hydrated.
    let mut dark = use_signal(|| None::<bool>);
    use_effect(move || dark.set(Some(browser::is_dark())));
    let label = match dark() {
        Some(true) => "Switch to light theme",
        _ => "Switch to dark theme",
    };
    rsx! {
        button {
            class: "theme-toggle",
            r#type: "button",
            aria_label: "{label}",
            title: "{label}",
            onclick: move |_| {
                let next = !dark().unwrap_or(false);
                browser::set_dark(next);
                dark.set(Some(next));
            },
            span { aria_hidden: "true", if dark() == Some(true) { "☀" } else { "☾" } }
        }
    }
}
