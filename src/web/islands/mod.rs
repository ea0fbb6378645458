//! The wasm client. The server renders every page whole; the browser does
//! not hydrate that tree (which would ship every view and the router), it
//! brings to life only the pieces that need it:
//!
//! - the header's search box, a small Dioxus app rendered afresh inside the
//!   server's `<form>` ([`search`]);
//! - the theme button, the `/` shortcut and code copy buttons, plain DOM
//!   listeners (`web::browser`);
//! - on listing pages, chip, tag and page links: their clicks and Back swap
//!   the listing in place, through a Dioxus app mounted into `<main>` the
//!   first time the listing changes ([`listing`]);
//! - on a static host's search page, the results of the exported index
//!   ([`search_page`]).
//!
//! `div.app[data-hydrated]` turns true once the search box is live.

mod listing;
mod search;
mod search_page;

use wasm_bindgen::JsCast;

use crate::web::{assets, browser};

/// Starts every island on the page the server sent.
pub fn start() {
    // Kept in the client build, where dx looks for the assets to bundle.
    std::hint::black_box((&assets::MAIN_CSS, &assets::FAVICON));
    browser::install_listeners();
    browser::install_theme_toggle();
    listing::install();
    search::mount();
    search_page::mount();
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// The element matching `selector`, as the type asked for.
fn find<T: JsCast>(selector: &str) -> Option<T> {
    document()?.query_selector(selector).ok()??.dyn_into().ok()
}
