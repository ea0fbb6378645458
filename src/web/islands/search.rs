//! The search box island: [`SearchFields`] rendered by its own Dioxus app
//! inside the server-rendered `form.search`.
//!
//! The server's fields are replaced by an identical client render (same
//! elements, same size), in one task before the next paint, so nothing
//! shifts. What the reader typed before the client arrived, and the focus,
//! carry over.

use dioxus::prelude::*;
use dioxus_web::Config;
use web_sys::HtmlInputElement;

use super::{document, find};
use crate::web::browser;
use crate::web::components::{SearchFields, SearchText};

/// Replaces the server's search fields with the live ones.
pub fn mount() {
    let Some(form) = find::<web_sys::Element>("form.search") else {
        browser::mark_hydrated();
        return;
    };
    let input = find::<HtmlInputElement>("#search-input");
    let typed = input
        .as_ref()
        .map(HtmlInputElement::value)
        .unwrap_or_default();
    let focused = match (input, document().and_then(|d| d.active_element())) {
        (Some(input), Some(active)) => active == **input,
        _ => false,
    };
    let words = words_of(&form);
    form.set_text_content(None);
    let props = SearchIslandProps {
        typed,
        focused,
        words,
    };
    let app = VirtualDom::new_with_props(SearchIsland, props);
    dioxus_web::launch::launch_virtual_dom(app, Config::new().rootelement(form));
}

/// The words the server wrote into the form, in the page's language.
fn words_of(form: &web_sys::Element) -> SearchText {
    let attribute = |selector: &str, name: &str| {
        let element = match selector {
            "" => Some(form.clone()),
            _ => form.query_selector(selector).ok().flatten(),
        };
        element
            .and_then(|e| e.get_attribute(name))
            .unwrap_or_default()
    };
    let label = form
        .query_selector("label")
        .ok()
        .flatten()
        .and_then(|label| label.text_content())
        .unwrap_or_default();
    SearchText {
        form: attribute("", "aria-label"),
        label,
        placeholder: attribute("input", "placeholder"),
        list: attribute("", "data-list"),
        none: attribute("", "data-none"),
    }
}

#[component]
fn SearchIsland(typed: String, focused: bool, words: SearchText) -> Element {
    // Effects run once the fields are in the page.
    use_effect(move || {
        if focused && let Some(input) = find::<web_sys::HtmlElement>("#search-input") {
            let _ = input.focus();
        }
        browser::mark_hydrated();
    });
    rsx! { SearchFields { typed, words } }
}
