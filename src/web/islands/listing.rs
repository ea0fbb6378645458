//! The listing island: on the index, category and tag pages, clicks on
//! listing links (chips, tags, page links) and Back/Forward swap the
//! listing in place instead of loading a page.
//!
//! The client renders no listing itself: it fetches the page the link
//! names, as the server (or a static host serving `quire export`'s files)
//! sends it to any reader, and moves that page's `<main>` and head identity
//! into the current document. So a swapped-in listing is the server's
//! markup byte for byte (the owner's date format, the site's language and
//! its interface strings included), the filter works in place on a static
//! host, and no listing code ships in the wasm. The old listing stays on
//! screen, marked busy, until the new one has arrived; a failed fetch, or
//! an answer that is not a page, falls back to loading the page.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Document, DomParser, MouseEvent, SupportedType};

use super::find;
use crate::api;
use crate::web::{ListingKind, browser, links};

#[derive(Default)]
struct State {
    /// The listing last asked for (shown, or on its way).
    wanted: Option<(ListingKind, u32)>,
    /// Counts requests, so a slow answer never replaces a newer one.
    generation: u64,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::default();
}

/// Listens for listing links and history moves, on listing pages only.
/// When the page does not show the listing its address names (a static
/// host answered `/?tag=rust`, reloaded or bookmarked after a chip was
/// clicked, with the plain index: it ignores query strings), that listing
/// is swapped in at once.
pub fn install() {
    let Some((here, url)) = current_listing() else {
        return;
    };
    let on_screen = super::document().and_then(|page| shown_by(&page));
    // Another list, not another page of it: a page past the last one
    // shows the last (and names it).
    let shown = on_screen.as_ref().is_none_or(|(kind, _)| *kind == here.0);
    let wanted = if shown { Some(here.clone()) } else { on_screen };
    STATE.with_borrow_mut(|state| state.wanted = wanted);
    let (Some(main), Some(window)) = (find::<web_sys::Element>("main"), web_sys::window()) else {
        return;
    };
    let on_click = Closure::<dyn FnMut(MouseEvent)>::new(follow_listing_link);
    let on_popstate = Closure::<dyn FnMut()>::new(|| {
        if let Some((wanted, url)) = current_listing() {
            show(wanted, url, Navigation::Moved);
        }
    });
    let _ = main.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    let _ =
        window.add_event_listener_with_callback("popstate", on_popstate.as_ref().unchecked_ref());
    // Both live as long as the page.
    on_click.forget();
    on_popstate.forget();
    if !shown {
        // No page to fall back to: the host answers this address with
        // the page already on screen (a filter of several facets, which
        // only a server can answer, stays the index).
        show(here, url, Navigation::Replace);
    }
}

/// The listing the address bar names, if it names one, and that address.
fn current_listing() -> Option<((ListingKind, u32), String)> {
    let location = web_sys::window()?.location();
    let url = format!("{}{}", location.pathname().ok()?, location.search().ok()?);
    Some((listing_at(&url)?, url))
}

/// The listing `url` names among the pages of this page's language
/// (behind its `data-prefix`, `/fr`); `None` for any other page, another
/// language's included, which loads as a page.
fn listing_at(url: &str) -> Option<(ListingKind, u32)> {
    let app = find::<web_sys::Element>("div.app")?;
    let prefix = app.get_attribute("data-prefix").unwrap_or_default();
    ListingKind::parse(&links::within(&prefix, url)?)
}

/// Takes over a plain left click on a same-site listing link; anything
/// else (modified clicks, other pages, other sites) keeps its browser meaning.
fn follow_listing_link(event: MouseEvent) {
    if event.default_prevented()
        || event.button() != 0
        || event.ctrl_key()
        || event.meta_key()
        || event.shift_key()
        || event.alt_key()
    {
        return;
    }
    let Some(href) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|element| element.closest("a[href]").ok().flatten())
        .and_then(|link| link.get_attribute("href"))
    else {
        return;
    };
    if !href.starts_with('/') || href.starts_with("//") {
        return;
    }
    let Some(wanted) = listing_at(&href) else {
        return;
    };
    event.prevent_default();
    show(wanted, href, Navigation::Click);
}

/// How a listing came to be asked for, which decides the history entry
/// and what a failed fetch does.
#[derive(Clone, Copy, PartialEq)]
enum Navigation {
    /// A link clicked: a new history entry; on failure the page loads.
    Click,
    /// Back or Forward: the history already moved; on failure the page
    /// loads.
    Moved,
    /// The page loaded shows another listing than its address names: on
    /// failure it stays as it is (loading it again gives the same page).
    Replace,
}

/// Shows the listing at `url`, with the history entry and fallback
/// `navigation` asks for.
fn show(wanted: (ListingKind, u32), url: String, navigation: Navigation) {
    let page = wanted.1;
    let asked = Some(wanted.clone());
    if STATE.with_borrow(|state| state.wanted == asked) {
        return;
    }
    let push = navigation == Navigation::Click;
    if push && let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
    let (generation, page_changed) = STATE.with_borrow_mut(|state| {
        let page_changed = state.wanted.as_ref().is_some_and(|(_, p)| *p != page);
        state.wanted = asked;
        state.generation += 1;
        (state.generation, page_changed)
    });
    mark_busy();
    wasm_bindgen_futures::spawn_local(async move {
        let fetched = load(&url, &wanted).await;
        if STATE.with_borrow(|state| state.generation) != generation {
            return;
        }
        if !fetched.is_some_and(|page| swap_in(&page)) {
            // The server (or the static host) still has the page: load it.
            if navigation != Navigation::Replace {
                browser::go_to(&url);
            }
            return;
        }
        if page_changed && let Some(window) = web_sys::window() {
            // A new page of the same list starts at its top, as a loaded page would.
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
}

/// The page showing `wanted`, from `url`, or from the file a static host
/// keeps it in when the host answered `url` with another page (it ignores
/// the query string of `/?category=…`): see `links::static_file`.
async fn load(url: &str, wanted: &(ListingKind, u32)) -> Option<Document> {
    let page = fetch_page(url).await?;
    if shows(&page, wanted) {
        return Some(page);
    }
    let page = fetch_page(&links::static_file(url)?).await?;
    shows(&page, wanted).then_some(page)
}

/// Whether `page` is the listing wanted, as its canonical link names it.
fn shows(page: &Document, wanted: &(ListingKind, u32)) -> bool {
    shown_by(page).as_ref() == Some(wanted)
}

/// The listing `page` shows, as its canonical link names it.
fn shown_by(page: &Document) -> Option<(ListingKind, u32)> {
    let canonical = page
        .query_selector("link[rel=canonical]")
        .ok()
        .flatten()
        .and_then(|link| link.get_attribute("href"))?;
    let path = match canonical.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |slash| &rest[slash..]),
        None => canonical.as_str(),
    };
    listing_at(path)
}

/// The page at `url`, parsed (no script in it runs, nothing loads).
async fn fetch_page(url: &str) -> Option<Document> {
    let html = api::page(url).await.ok()?;
    let parser = DomParser::new().ok()?;
    parser
        .parse_from_string(&html, SupportedType::TextHtml)
        .ok()
}

/// Moves the fetched page's `<main>` and head identity into this page;
/// false when it has no `<main>` to take.
fn swap_in(fetched: &Document) -> bool {
    let (Some(main), Ok(Some(new_main))) = (
        find::<web_sys::Element>("main"),
        fetched.query_selector("main"),
    ) else {
        return false;
    };
    let focused = super::document()
        .and_then(|document| document.active_element())
        .and_then(|element| element.get_attribute("href"));
    main.set_inner_html(&new_main.inner_html());
    browser::adopt_page_identity(fetched);
    if let Some(href) = focused {
        refocus(&main, &href);
    }
    true
}

/// Gives focus back to the link that had it (a chip, a page number) in
/// the listing swapped in, so a keyboard reader keeps their place.
fn refocus(main: &web_sys::Element, href: &str) {
    let Ok(links) = main.query_selector_all("a[href]") else {
        return;
    };
    let same = (0..links.length())
        .filter_map(|i| links.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .find(|link| link.get_attribute("href").as_deref() == Some(href));
    if let Some(link) = same {
        let _ = link.focus();
    }
}

/// Marks the listing on screen as being replaced.
fn mark_busy() {
    if let Some(cards) = find::<web_sys::Element>("main .cards") {
        let _ = cards.set_attribute("aria-busy", "true");
    }
}
