//! The search box in every page's header.
//!
//! Without JavaScript it is a plain GET form to `/search`. In the browser the
//! islands client renders [`SearchFields`] afresh inside the server's form
//! (`web::islands`): it shows ranked results as the reader types
//! (debounced), with arrow keys to move, Enter to open, Escape to close;
//! `/` anywhere focuses it (see `web::browser`).

use dioxus::prelude::*;

use crate::api;
use crate::model::SearchResults;
use crate::web::SearchQuery;
use crate::web::browser::{self, SearchKey};
use crate::web::components::Fragments;

/// Results shown under the box; the search page shows more.
const BOX_RESULTS: u32 = 8;
/// Quiet time after the last keystroke before asking the server. Long
/// enough to fold a burst of keys (auto-repeat, a pasted word typed by a
/// tool) into one request, short enough to leave most of the 100 ms budget
/// (last keystroke to results painted) for the request and the frame: a
/// query costs the server ~5 ms and stale answers are dropped anyway.
/// None on a static host, where a query costs no server anything and the
/// engine fetches each file once: there the pause only delayed results
/// (bench/static-search.mjs, in docs/BENCHMARKS.md).
const DEBOUNCE_MS: u32 = 30;

/// The box's words in the page's language: the server writes them from
/// its message files; the client reads them back from the form it mounts
/// into (its label and placeholder, and `data-list`, `data-none`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchText {
    /// The form's accessible name.
    pub form: String,
    pub label: String,
    pub placeholder: String,
    /// The results list's accessible name.
    pub list: String,
    /// Shown when nothing matches.
    pub none: String,
}

/// The form, as the server renders it; the client mounts into it.
#[component]
pub fn SearchBox(text: SearchText) -> Element {
    rsx! {
        form { class: "search", role: "search", aria_label: "{text.form}", action: crate::urls::SEARCH, method: "get",
            "data-list": "{text.list}", "data-none": "{text.none}",
            SearchFields { typed: String::new(), words: text.clone() }
        }
    }
}

/// What the form holds: label, input, live status, results. `typed` is what
/// the input already shows when the client takes over.
#[component]
pub fn SearchFields(typed: String, words: SearchText) -> Element {
    let mut text = use_signal(|| typed.clone());
    let mut results = use_signal(|| None::<SearchResults>);
    let mut active = use_signal(|| None::<usize>);
    let mut open = use_signal(|| false);
    let mut generation = use_signal(|| 0u64);

    let on_input = move |event: FormEvent| {
        let query = event.value();
        text.set(query.clone());
        active.set(None);
        let ticket = generation() + 1;
        generation.set(ticket);
        if query.trim().is_empty() {
            results.set(None);
            open.set(false);
            return;
        }
        spawn(async move {
            if api::search_waits_for_pause() {
                debounce().await;
            }
            if generation() != ticket {
                return;
            }
            if let Ok(found) = api::search(query, BOX_RESULTS).await
                && generation() == ticket
            {
                results.set(Some(found));
                open.set(true);
            }
        });
    };

    // Arrows move through the results, Enter opens the chosen one, Escape
    // closes the list. Installed once the box is in the page.
    use_effect(move || {
        browser::on_search_keys(move |key| {
            let count = results.peek().as_ref().map_or(0, |r| r.hits.len());
            match key {
                SearchKey::Down if count > 0 => {
                    open.set(true);
                    let next = active.peek().map_or(0, |i| (i + 1) % count);
                    active.set(Some(next));
                    true
                }
                SearchKey::Up if count > 0 => {
                    let previous = active.peek().map_or(count - 1, |i| (i + count - 1) % count);
                    active.set(Some(previous));
                    true
                }
                SearchKey::Enter => {
                    let chosen = active.peek().and_then(|i| {
                        results
                            .peek()
                            .as_ref()
                            .and_then(|r| r.hits.get(i).map(|h| h.url.clone()))
                    });
                    let Some(url) = chosen else { return false };
                    browser::go_to(&url);
                    true
                }
                SearchKey::Escape if *open.peek() => {
                    open.set(false);
                    active.set(None);
                    true
                }
                _ => false,
            }
        });
    });

    let expanded = open() && results.read().is_some();
    let active_id = active().map(|i| format!("search-result-{i}"));
    let status = match (&*results.read(), expanded) {
        (Some(r), true) if r.hits.is_empty() => words.none.clone(),
        (Some(r), true) => r.status.clone(),
        _ => String::new(),
    };

    rsx! {
            label { r#for: "search-input", class: "visually-hidden", "{words.label}" }
            input {
                id: "search-input",
                // `text`, not `search`: HTML allows the combobox role only
                // on text inputs (the Nu checker rejects it on `search`).
                r#type: "text",
                inputmode: "search",
                enterkeyhint: "search",
                name: "q",
                placeholder: "{words.placeholder}",
                autocomplete: "off",
                spellcheck: "false",
                role: "combobox",
                aria_autocomplete: "list",
                aria_controls: "search-results",
                aria_expanded: "{expanded}",
                aria_activedescendant: active_id,
                value: "{text}",
                oninput: on_input,
                onfocusout: move |_| open.set(false),
                onfocusin: move |_| {
                    open.set(results.read().is_some());
                    // On a static host, the engine loads now, not at the
                    // first query.
                    spawn(api::warm_search());
                },
            }
            p { class: "visually-hidden", role: "status", aria_live: "polite", "{status}" }
            if expanded {
                ResultList { results: results().unwrap_or_default(), active: active(), words: words.clone() }
            }
    }
}

#[component]
fn ResultList(results: SearchResults, active: Option<usize>, words: SearchText) -> Element {
    // The query the list answers, not what the box holds now: while the
    // answer to a newer keystroke is on its way, "All N results" still
    // counts, and leads to, the list's own query.
    let q = results.query.clone();
    let all = format!("{}?{}", crate::urls::SEARCH, SearchQuery { q });
    rsx! {
        div { class: "search-results",
            // Keeps focus in the box while a result is clicked, so the
            // focus-out that closes the list does not swallow the click.
            onmousedown: move |event| event.prevent_default(),
            ul { id: "search-results", role: "listbox", aria_label: "{words.list}",
                for (i, hit) in results.hits.iter().enumerate() {
                    li {
                        key: "{hit.slug}",
                        id: "search-result-{i}",
                        role: "option",
                        aria_selected: "{active == Some(i)}",
                        class: if active == Some(i) { "search-result active" } else { "search-result" },
                        a { href: "{hit.url}",
                            span { class: "search-result-title", Fragments { fragments: hit.title.clone() } }
                            span { class: "search-result-snippet", Fragments { fragments: hit.snippet.clone() } }
                        }
                    }
                }
            }
            if results.hits.is_empty() {
                p { class: "search-empty", "{words.none}" }
            } else {
                a { class: "search-all", href: "{all}", "{results.all}" }
            }
        }
    }
}

async fn debounce() {
    #[cfg(target_arch = "wasm32")]
    gloo_timers::future::TimeoutFuture::new(DEBOUNCE_MS).await;
    #[cfg(not(target_arch = "wasm32"))]
    let _ = DEBOUNCE_MS;
}
