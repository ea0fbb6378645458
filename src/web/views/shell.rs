//! The layout around every page: skip link, header (site name, nav, search,
//! theme), main landmark, footer. It loads the site settings once and
//! shares them with every view through the context.

use std::rc::Rc;

use crate::web::views::use_server_data;
use dioxus::prelude::*;

use crate::i18n::Ui;

use crate::api;
use crate::model::SiteMeta;
use crate::web::Route;
use crate::web::components::{SearchBox, SearchText, ThemeToggle};
use crate::web::views::LanguageSwitch;

#[component]
pub fn Shell() -> Element {
    let meta = use_server_data(|| api::load(api::site_meta()))?;
    let meta: SiteMeta = meta.read().clone().and_then(Result::ok).unwrap_or_default();
    use_context_provider(|| meta.clone());
    let ui = use_context_provider(|| Rc::new(Ui::new(&meta.language, &meta.strings)));
    rsx! {
        document::Link { rel: "alternate", r#type: "application/atom+xml", title: "{meta.title} (Atom)", href: crate::urls::ATOM }
        document::Link { rel: "alternate", r#type: "application/rss+xml", title: "{meta.title} (RSS)", href: crate::urls::RSS }
        document::Link { rel: "alternate", r#type: "application/feed+json", title: "{meta.title} (JSON Feed)", href: crate::urls::JSON_FEED }
        // The islands client sets `data-hydrated` to true once it has taken
        // over (`web::islands`): CSS then reveals the controls that need it.
        // `data-prefix`: where the page's language lives (`/fr`), for the
        // listing island, which reads listing links behind it.
        div { class: "app", "data-hydrated": "false", "data-prefix": (!meta.prefix().is_empty()).then(|| meta.prefix().to_string()),
            a { class: "skip-link", href: "#main-content", {ui.text("skip-to-content")} }
            header { class: "site-header",
                a { class: "site-name", href: "/", "{meta.title}" }
                if !meta.nav.is_empty() {
                    nav { class: "site-nav", aria_label: ui.text("nav-site"),
                        for link in meta.nav.iter() {
                            a { key: "{link.url}", href: "{link.url}", "{link.label}" }
                        }
                    }
                }
                LanguageSwitch {}
                SearchBox { text: search_text(&ui) }
                ThemeToggle { to_dark: ui.text("theme-to-dark"), to_light: ui.text("theme-to-light") }
            }
            main { id: "main-content", tabindex: "-1",
                Outlet::<Route> {}
            }
            footer { class: "site-footer",
                nav { aria_label: ui.text("nav-feeds"),
                    a { href: crate::urls::ATOM, "Atom" }
                    a { href: crate::urls::RSS, "RSS" }
                    a { href: crate::urls::JSON_FEED, "JSON Feed" }
                    for link in meta.social.iter() {
                        a { key: "{link.url}", href: "{link.url}", rel: "me", "{link.label}" }
                    }
                }
                p { {ui.with("footer-credit", &[("author", (&meta.author).into())])} }
            }
        }
    }
}

/// The search box's words in the page's language.
fn search_text(ui: &Ui) -> SearchText {
    SearchText {
        form: ui.text("search-form"),
        label: ui.text("search-label"),
        placeholder: ui.text("search-placeholder"),
        list: ui.text("search-list"),
        none: ui.text("search-none"),
    }
}
