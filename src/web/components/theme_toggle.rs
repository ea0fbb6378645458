//! The light/dark switch. The theme itself is applied before first paint by
//! the inline script in `index.html`; the islands client makes this button
//! change and store it (`web::browser::install_theme_toggle`). Hidden (but
//! keeping its space) until the client has taken over.

use dioxus::prelude::*;

#[component]
pub fn ThemeToggle() -> Element {
    // The theme is unknown on the server; the client relabels the button.
    let label = "Switch to dark theme";
    rsx! {
        button {
            class: "theme-toggle",
            r#type: "button",
            aria_label: "{label}",
            title: "{label}",
            span { aria_hidden: "true", "☾" }
        }
    }
}
