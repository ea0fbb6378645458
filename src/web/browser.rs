//! The few things the hydrated client does with the DOM directly: the `/`
//! shortcut to the search box, its arrow/Enter/Escape keys, copy buttons on
//! code blocks, and the theme choice. (Keys go through web-sys rather than
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

    /// Installs the document-wide listeners once, after hydration.
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
        wasm_bindgen_futures::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            button.set_text_content(Some(if done { "Copied" } else { "Copy failed" }));
            gloo_timers::future::TimeoutFuture::new(1_500).await;
            button.set_text_content(Some("Copy"));
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

    pub fn apply_theme(theme: &str) {
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

/// Shows and remembers `dark` or light.
pub fn set_dark(dark: bool) {
    #[cfg(target_arch = "wasm32")]
    dom::apply_theme(if dark { "dark" } else { "light" });
    #[cfg(not(target_arch = "wasm32"))]
    let _ = dark;
}

/// Sets the document title through the DOM (no string evaluation).
pub fn set_title(title: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(title);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = title;
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
