//! The light/dark switch. The theme itself is applied before first paint by
//! the inline script in `index.html`; the islands client makes this button
//! change and store it (`web::browser::install_theme_toggle`). Hidden (but
//! keeping its space) until the client has taken over.

use dioxus::prelude::*;

/// `to_dark` and `to_light` are the button's two labels in the page's
/// language; the client reads them back from its `data-` attributes.
#[component]
pub fn ThemeToggle(to_dark: String, to_light: String) -> Element {
    // The theme is unknown on the server; the client relabels the button.
    rsx! {
        button {
            class: "theme-toggle",
            r#type: "button",
            aria_label: "{to_dark}",
            title: "{to_dark}",
            "data-to-dark": "{to_dark}",
            "data-to-light": "{to_light}",
            span { aria_hidden: "true", "☾" }
        }
    }
}
