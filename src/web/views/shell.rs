//! The layout around every page: skip link, header, main landmark, footer.

use dioxus::prelude::*;

use crate::web::Route;

#[component]
pub fn Shell() -> Element {
    // Effects run only in the browser, after hydration: the attribute tells
    // tests (and curious readers) that the client has taken over.
    let mut hydrated = use_signal(|| false);
    use_effect(move || hydrated.set(true));
    rsx! {
        div { class: "app", "data-hydrated": "{hydrated}",
            a { class: "skip-link", href: "#main-content", "Skip to main content" }
            header { class: "site-header",
                a { class: "site-name", href: "/", "Quire" }
            }
            main { id: "main-content", tabindex: "-1",
                Outlet::<Route> {}
            }
            footer { class: "site-footer",
                p { "Served by Quire." }
            }
        }
    }
}
