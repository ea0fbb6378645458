//! Text with the search hits marked, rendered without any raw HTML.

use dioxus::prelude::*;

use crate::model::Fragment;

#[component]
pub fn Fragments(fragments: Vec<Fragment>) -> Element {
    rsx! {
        for (i, fragment) in fragments.iter().enumerate() {
            if fragment.hit {
                mark { key: "{i}", "{fragment.text}" }
            } else {
                span { key: "{i}", "{fragment.text}" }
            }
        }
    }
}
