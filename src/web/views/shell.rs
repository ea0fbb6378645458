//! The layout around every page: skip link, header, main landmark, footer.

use dioxus::prelude::*;

use crate::web::Route;

#[component]
pub fn Shell() -> Element {
    rsx! {
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
