//! The few things the islands client does with the DOM directly: the `/`
//! shortcut to the search box, its arrow/Enter/Escape keys, copy buttons on
//! code blocks, the theme button, and the mark that the client has taken
//! over. (Keys go through web-sys rather than
//! Dioxus's `onkeydown`: its keyboard event decodes every key and code name,
//! 18 KB of the wasm for four keys.) Each is a no-op outside the browser, so the server renders the
//! same components.

/// The theme a reader picked, kept in `localStorage` under this key. The
/// inline script in `index.html` applies it before first paint.
pub const THEME_KEY: &str = "quire-theme";

#[cfg(target_arch = "wasm32")]
mod dom {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{Element, HtmlElement, KeyboardEvent};

    fn document() -> Option<web_sys::Document> {
        web_sys::window()?.document()
    }

    /// Installs the document-wide listeners once, when the client starts.
    pub fn install_listeners() {
        let Some(document) = document() else { return };
        let on_key = Closure::<dyn FnMut(KeyboardEvent)>::new(focus_search_on_slash);
        let on_click = Closure::<dyn FnMut(web_sys::Event)>::new(copy_code_on_click);
        let _ =
            document.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
        let _ =
            document.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        // The listeners live as long as the page.
        on_key.forget();
        on_click.forget();
    }

    fn focus_search_on_slash(event: KeyboardEvent) {
        if event.key() != "/" || event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let typing = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .is_some_and(|el| {
                matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    || el.has_attribute("contenteditable")
            });
        if typing {
            return;
        }
        if let Some(input) = document()
            .and_then(|d| d.get_element_by_id("search-input"))
            .and_then(|el| el.dyn_into::<HtmlElement>().ok())
        {
            event.prevent_default();
            let _ = input.focus();
        }
    }

    fn copy_code_on_click(event: web_sys::Event) {
        let Some(button) = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|el| el.closest(".copy-code").ok().flatten())
        else {
            return;
        };
        let code = button
            .parent_element()
            .and_then(|block| block.query_selector("pre").ok().flatten())
            .and_then(|pre| pre.text_content())
            .unwrap_or_default();
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = window.navigator().clipboard().write_text(&code);
        // The words are the page's (`data-copied`, `data-failed`: its
        // language); the resting one is kept from the first click, so a
        // second click within the pause does not keep "Copied" for good.
        if !button.has_attribute("data-rest") {
            let _ = button.set_attribute("data-rest", &button.text_content().unwrap_or_default());
        }
        let label = button.get_attribute("data-rest").unwrap_or_default();
        wasm_bindgen_futures::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            let said = button.get_attribute(if done { "data-copied" } else { "data-failed" });
            button.set_text_content(said.as_deref());
            gloo_timers::future::TimeoutFuture::new(1_500).await;
            button.set_text_content(Some(&label));
        });
    }

    /// Calls `handle` for the search box's navigation keys; prevents the
    /// browser's default when it returns true.
    pub fn on_search_keys(mut handle: impl FnMut(super::SearchKey) -> bool + 'static) {
        let Some(input) = document().and_then(|d| d.get_element_by_id("search-input")) else {
            return;
        };
        let on_key = Closure::<dyn FnMut(KeyboardEvent)>::new(move |event: KeyboardEvent| {
            let key = match event.key().as_str() {
                "ArrowDown" => super::SearchKey::Down,
                "ArrowUp" => super::SearchKey::Up,
                "Enter" => super::SearchKey::Enter,
                "Escape" => super::SearchKey::Escape,
                _ => return,
            };
            if handle(key) {
                event.prevent_default();
            }
        });
        let _ = input.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
        // The search box lives as long as the page.
        on_key.forget();
    }

    pub fn stored_theme() -> Option<String> {
        let storage = web_sys::window()?.local_storage().ok()??;
        storage.get_item(super::THEME_KEY).ok()?
    }

    pub fn system_prefers_dark() -> bool {
        web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|query| query.matches())
    }

    /// Makes the theme button switch and remember the theme, and labels it
    /// for the theme shown now (the server cannot know it).
    pub fn install_theme_toggle() {
        let Some(button) = document()
            .and_then(|d| d.query_selector("button.theme-toggle").ok())
            .flatten()
        else {
            return;
        };
        label_theme_toggle(&button, super::is_dark());
        let on_click = Closure::<dyn FnMut()>::new({
            let button = button.clone();
            move || {
                let dark = !super::is_dark();
                apply_theme(if dark { "dark" } else { "light" });
                label_theme_toggle(&button, dark);
            }
        });
        let _ = button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        // The button lives as long as the page.
        on_click.forget();
    }

    /// The button names what it will do; its icon shows the other theme.
    fn label_theme_toggle(button: &Element, dark: bool) {
        // Both labels are the page's, in its language.
        let label = button
            .get_attribute(if dark {
                "data-to-light"
            } else {
                "data-to-dark"
            })
            .unwrap_or_default();
        let _ = button.set_attribute("aria-label", &label);
        let _ = button.set_attribute("title", &label);
        if let Some(icon) = button.first_element_child() {
            icon.set_text_content(Some(if dark { "☀" } else { "☾" }));
        }
    }

    pub fn mark_hydrated() {
        if let Some(app) = document().and_then(|d| d.query_selector("div.app").ok().flatten()) {
            let _ = app.set_attribute("data-hydrated", "true");
        }
    }

    fn apply_theme(theme: &str) {
        if let Some(root) = document().and_then(|d| d.document_element()) {
            let _ = root.set_attribute("data-theme", theme);
        }
        if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
            let _ = storage.set_item(super::THEME_KEY, theme);
        }
    }
}

/// Document-wide listeners (`/` shortcut, copy buttons).
pub fn install_listeners() {
    #[cfg(target_arch = "wasm32")]
    dom::install_listeners();
}

/// The keys the search box acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchKey {
    Down,
    Up,
    Enter,
    Escape,
}

/// Routes the search box's navigation keys to `handle` (see [`SearchKey`]);
/// `handle` returns whether it used the key.
pub fn on_search_keys(handle: impl FnMut(SearchKey) -> bool + 'static) {
    #[cfg(target_arch = "wasm32")]
    dom::on_search_keys(handle);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = handle;
}

/// Whether the page shows dark now: the reader's choice, else the system's.
pub fn is_dark() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        match dom::stored_theme().as_deref() {
            Some("dark") => true,
            Some("light") => false,
            _ => dom::system_prefers_dark(),
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    false
}

/// Makes the header's theme button work (see `components::ThemeToggle`).
pub fn install_theme_toggle() {
    #[cfg(target_arch = "wasm32")]
    dom::install_theme_toggle();
}

/// Sets `data-hydrated="true"` on the app's root once the client has taken
/// over: CSS then reveals the controls that need it, and tests wait for it.
pub fn mark_hydrated() {
    #[cfg(target_arch = "wasm32")]
    dom::mark_hydrated();
}

/// Names a listing swapped in without a page load as the server's page
/// `from` names it: the document title, and the canonical URL and share
/// titles that bookmarks, share buttons and reader apps read from the head.
#[cfg(target_arch = "wasm32")]
pub fn adopt_page_identity(from: &web_sys::Document) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    document.set_title(&from.title());
    for (selector, attribute) in [
        ("link[rel=canonical]", "href"),
        ("meta[property='og:url']", "content"),
        ("meta[property='og:title']", "content"),
        ("meta[name='twitter:title']", "content"),
    ] {
        let value = from
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|element| element.get_attribute(attribute));
        if let (Ok(Some(element)), Some(value)) = (document.query_selector(selector), value) {
            let _ = element.set_attribute(attribute, &value);
        }
    }
}

/// Sends the browser to `url` with a full page load.
pub fn go_to(url: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(url);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = url;
}
