//! The listing island: on the index, category and tag pages, clicks on
//! listing links (chips, tags, page links) and Back/Forward swap the
//! listing in place instead of loading a page.
//!
//! Until the listing first changes, the page stays exactly as the server
//! sent it: one delegated click listener on `<main>` and a `popstate`
//! listener are all there is. The first swap mounts a Dioxus app rendering
//! [`ListingBody`] into `<main>`; later ones send it the new page. The old
//! listing stays on screen, marked busy, until the new one has arrived. A
//! failed fetch falls back to loading the page.

use std::cell::RefCell;
use std::rc::Rc;

use dioxus::prelude::*;
use dioxus_web::Config;
use futures_util::StreamExt;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::MouseEvent;

use super::find;
use crate::api;
use crate::model::{ListingPage, SiteMeta};
use crate::web::components::{ListingBody, listing_headings};
use crate::web::{ListingKind, browser};

/// One listing, ready to show.
#[derive(Clone, PartialEq)]
struct Shown {
    kind: ListingKind,
    data: ListingPage,
    meta: SiteMeta,
}

/// What the mounted app is told. One message per click, so its size
/// does not matter; boxing `Show` would only add code to the client.
#[allow(clippy::large_enum_variant)]
enum Update {
    /// A new listing was asked for: mark the current one busy.
    Busy,
    Show(Shown),
}

#[derive(Default)]
struct State {
    /// The listing last asked for (shown, or on its way).
    wanted: Option<(ListingKind, u32)>,
    /// Counts requests, so a slow answer never replaces a newer one.
    generation: u64,
    /// Loaded with the first swap; the hero needs the title and tagline.
    meta: Option<SiteMeta>,
    /// The mounted app, once there is one.
    app: Option<UnboundedSender<Update>>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::default();
}

/// Listens for listing links and history moves, on listing pages only.
pub fn install() {
    let Some(here) = current_listing() else {
        return;
    };
    STATE.with_borrow_mut(|state| state.wanted = Some(here));
    let (Some(main), Some(window)) = (find::<web_sys::Element>("main"), web_sys::window()) else {
        return;
    };
    let on_click = Closure::<dyn FnMut(MouseEvent)>::new(follow_listing_link);
    let on_popstate = Closure::<dyn FnMut()>::new(|| {
        if let Some((kind, page)) = current_listing() {
            show(kind, page, None);
        }
    });
    let _ = main.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    let _ =
        window.add_event_listener_with_callback("popstate", on_popstate.as_ref().unchecked_ref());
    // Both live as long as the page.
    on_click.forget();
    on_popstate.forget();
}

/// The listing the address bar names, if it names one.
fn current_listing() -> Option<(ListingKind, u32)> {
    let location = web_sys::window()?.location();
    let url = format!("{}{}", location.pathname().ok()?, location.search().ok()?);
    ListingKind::parse(&url)
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
    let Some((kind, page)) = ListingKind::parse(&href) else {
        return;
    };
    event.prevent_default();
    show(kind, page, Some(&href));
}

/// Shows `page` of `kind`; `push` is the URL to add to the history (a
/// click), `None` when the history already moved (Back, Forward).
fn show(kind: ListingKind, page: u32, push: Option<&str>) {
    let wanted = Some((kind.clone(), page));
    if STATE.with_borrow(|state| state.wanted == wanted) {
        return;
    }
    if let Some(url) = push
        && let Some(history) = web_sys::window().and_then(|w| w.history().ok())
    {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
    let (generation, page_changed) = STATE.with_borrow_mut(|state| {
        let page_changed = state.wanted.as_ref().is_some_and(|(_, p)| *p != page);
        state.wanted = wanted;
        state.generation += 1;
        (state.generation, page_changed)
    });
    mark_busy();
    wasm_bindgen_futures::spawn_local(async move {
        let url = kind.href(page);
        let Some(shown) = load(kind, page).await else {
            // The server still renders the page: load it.
            browser::go_to(&url);
            return;
        };
        if STATE.with_borrow(|state| state.generation) != generation {
            return;
        }
        let (_, title, path) = listing_headings(&shown.kind, &shown.data, &shown.meta);
        browser::set_page_identity(&title, &format!("{}{path}", shown.meta.base_url));
        deliver(shown);
        if page_changed && let Some(window) = web_sys::window() {
            // A new page of the same list starts at its top, as a loaded page would.
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
}

/// The site settings (once) and the listing.
async fn load(kind: ListingKind, page: u32) -> Option<Shown> {
    let meta = match STATE.with_borrow(|state| state.meta.clone()) {
        Some(meta) => meta,
        None => {
            let meta = api::site_meta().await.ok()?;
            STATE.with_borrow_mut(|state| state.meta = Some(meta.clone()));
            meta
        }
    };
    let data = api::listing(kind.query(page)).await.ok()?;
    Some(Shown { kind, data, meta })
}

/// Marks the listing on screen as being replaced.
fn mark_busy() {
    let sent = STATE.with_borrow(|state| {
        state
            .app
            .as_ref()
            .is_some_and(|app| app.unbounded_send(Update::Busy).is_ok())
    });
    // Before the app is mounted, the server's markup is still there.
    if !sent && let Some(cards) = find::<web_sys::Element>("main .cards") {
        let _ = cards.set_attribute("aria-busy", "true");
    }
}

/// Hands the listing to the app, mounting it the first time.
fn deliver(shown: Shown) {
    match STATE.with_borrow(|state| state.app.clone()) {
        Some(app) => {
            let _ = app.unbounded_send(Update::Show(shown));
        }
        None => mount(shown),
    }
}

/// Replaces the server's listing in `<main>` with the app's render of
/// `first`, in the same task as the app's first render: no paint between.
fn mount(first: Shown) {
    let Some(main) = find::<web_sys::Element>("main") else {
        return;
    };
    let (sender, updates) = futures_channel::mpsc::unbounded();
    STATE.with_borrow_mut(|state| state.app = Some(sender));
    main.set_text_content(None);
    let props = IslandProps {
        first,
        updates: Rc::new(RefCell::new(Some(updates))),
    };
    dioxus_web::launch::launch_virtual_dom(
        VirtualDom::new_with_props(ListingIsland, props),
        Config::new().rootelement(main),
    );
}

#[derive(Props, Clone)]
struct IslandProps {
    first: Shown,
    /// Taken by the app's first render.
    updates: Rc<RefCell<Option<UnboundedReceiver<Update>>>>,
}

impl PartialEq for IslandProps {
    /// The root's props are set once and never compared.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

#[allow(non_snake_case)]
fn ListingIsland(props: IslandProps) -> Element {
    let mut shown = use_signal(|| props.first.clone());
    let mut busy = use_signal(|| false);
    use_context_provider(|| props.first.meta.clone());
    use_hook(|| {
        let Some(mut updates) = props.updates.borrow_mut().take() else {
            return;
        };
        spawn(async move {
            while let Some(update) = updates.next().await {
                match update {
                    Update::Busy => busy.set(true),
                    Update::Show(next) => {
                        shown.set(next);
                        busy.set(false);
                    }
                }
            }
        });
    });
    let shown = shown.read();
    rsx! {
        ListingBody { data: shown.data.clone(), kind: shown.kind.clone(), busy: busy() }
    }
}
