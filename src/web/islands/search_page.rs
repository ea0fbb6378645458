//! The search page on a static host (`quire export`): the host sends the
//! empty search page whatever the query string, so the client reads `q`
//! from the address, asks the exported index (`api::static_search_page`)
//! and renders the results into the page as the server would have (the
//! same list markup; the count and dates as the export wrote them, in
//! the site's words). On a live server the page came with its results
//! and this does nothing.

use dioxus::prelude::VirtualDom;
use dioxus_web::Config;
use web_sys::{Element as DomElement, HtmlInputElement};

use super::find;
use crate::api;
use crate::web::components::{ResultItems, ResultItemsProps};
use crate::web::search_query::{PAGE_RESULTS, SearchQuery};

/// Fills an empty search page asked for with a query, on a static host.
pub fn mount() {
    let Some(list) = find::<DomElement>("section.search-page ol.results") else {
        return;
    };
    let search = web_sys::window().and_then(|w| w.location().search().ok());
    let q = SearchQuery::parse(&search.unwrap_or_default()).q;
    if list.child_element_count() > 0 || q.trim().is_empty() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(Some(results)) = api::static_search_page(q.clone(), PAGE_RESULTS).await else {
            return;
        };
        if let Some(input) = find::<HtmlInputElement>("#search-page-input") {
            input.set_value(&q);
        }
        if let Some(count) = find::<DomElement>("section.search-page p.count") {
            count.set_text_content(Some(&results.page));
        }
        let dates = results.hits.iter().map(|hit| hit.shown.clone()).collect();
        let props = ResultItemsProps {
            hits: results.hits,
            dates,
        };
        let app = VirtualDom::new_with_props(ResultItems, props);
        dioxus_web::launch::launch_virtual_dom(app, Config::new().rootelement(list));
    });
}
