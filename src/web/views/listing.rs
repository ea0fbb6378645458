//! Listing pages: the index (`/`, `/page/N`, filtered by `?category=` and
//! `?tag=`), category pages (`/category/<slug>`) and tag pages
//! (`/tags/<slug>`): title, tagline, count, chips, one card per post, pages.
//!
//! The first page comes with the server-rendered HTML. Once hydrated, a
//! chip or tag click changes the route; the new page of posts is fetched
//! and swapped in without a page load, the old one staying on screen
//! (marked busy) until it arrives.

use dioxus::prelude::*;
use dioxus_fullstack_core::use_server_future;

use crate::web::components::{RouteLink, href};

use crate::api;
use crate::model::{ListingPage, ListingQuery, SiteMeta};
use crate::web::components::{CategoryChips, Pagination, PostCard};
use crate::web::views::Seo;
use crate::web::{Filter, ListingKind, Route, set_not_found_status};

#[component]
pub fn Index(filter: Filter) -> Element {
    rsx! { Listing { kind: ListingKind::Index(filter), page: 1 } }
}

#[component]
pub fn IndexPage(page: u32, filter: Filter) -> Element {
    rsx! { Listing { kind: ListingKind::Index(filter), page } }
}

#[component]
pub fn Category(slug: String) -> Element {
    rsx! { Listing { kind: ListingKind::Category(slug), page: 1 } }
}

#[component]
pub fn CategoryPage(slug: String, page: u32) -> Element {
    rsx! { Listing { kind: ListingKind::Category(slug), page } }
}

#[component]
pub fn Tag(slug: String) -> Element {
    rsx! { Listing { kind: ListingKind::Tag(slug), page: 1 } }
}

#[component]
pub fn TagPage(slug: String, page: u32) -> Element {
    rsx! { Listing { kind: ListingKind::Tag(slug), page } }
}

#[component]
fn Listing(kind: ListingKind, page: u32) -> Element {
    let query = kind.query(page);
    let first_query = use_hook(|| query.clone());
    let first = use_server_future({
        let first_query = first_query.clone();
        move || api::load(api::listing(first_query.clone()))
    })?;

    // What the route asks for now, as a signal the fetch effect follows.
    let mut wanted = use_signal(|| query.clone());
    if *wanted.peek() != query {
        wanted.set(query.clone());
    }
    let mut fetched = use_signal(|| None::<(ListingQuery, ListingPage)>);
    let first_query_seen = first_query.clone();
    use_effect(move || {
        let want = wanted();
        if want == first_query_seen {
            return;
        }
        spawn(async move {
            if let Ok(page) = api::listing(want.clone()).await
                && *wanted.peek() == want
            {
                fetched.set(Some((want, page)));
            }
        });
    });

    let first = first.read();
    let first_data = match &*first {
        Some(Ok(data)) => Some(data),
        _ => None,
    };
    let fetched = fetched.read();
    let (data, busy) = match fetched.as_ref() {
        Some((q, data)) if *q == query => (Some(data), false),
        _ if query == first_query => (first_data, false),
        // Still loading: keep what is on screen, marked busy.
        other => (other.map(|(_, data)| data).or(first_data), true),
    };
    match data {
        Some(data) => rsx! { ListingView { data: data.clone(), kind, busy } },
        None => {
            rsx! { p { class: "error", "The articles could not be loaded. Please try again." } }
        }
    }
}

#[component]
fn ListingView(data: ListingPage, kind: ListingKind, busy: bool) -> Element {
    let meta = use_context::<SiteMeta>();
    if data.unknown_filter || (data.total == 0 && !is_unfiltered(&data.query)) {
        set_not_found_status();
    }
    let count = describe_count(data.total, data.category_name.as_deref(), &data.query.tags);
    let filter = match &kind {
        ListingKind::Index(filter) => filter.clone(),
        _ => Filter::default(),
    };
    let (heading, title, path) = headings(&kind, &data, &meta);
    rsx! {
        Seo { title: "{title}", description: "{meta.description}", path: "{path}" }
        section { class: "hero",
            h1 { "{heading}" }
            if matches!(kind, ListingKind::Index(_)) {
                p { class: "tagline", "{meta.tagline}" }
            }
        }
        CategoryChips { categories: data.categories.clone(), filter: filter.clone() }
        p { class: "count", role: "status", aria_live: "polite", "{count}" }
        if data.posts.is_empty() {
            div { class: "empty",
                p { "No articles match this filter." }
                RouteLink { to: Route::Index { filter: Filter::default() }, "Show all articles" }
            }
        }
        div { class: "cards", aria_busy: "{busy}",
            for post in data.posts.iter() {
                PostCard { key: "{post.slug}", post: post.clone(), filter: filter.clone() }
            }
        }
        Pagination { kind, page: data.query.page, pages: data.pages }
    }
}

fn is_unfiltered(query: &ListingQuery) -> bool {
    query.category.is_none() && query.tags.is_empty()
}

/// The page's heading, its `<title>` and its canonical path.
fn headings(kind: &ListingKind, data: &ListingPage, meta: &SiteMeta) -> (String, String, String) {
    let page = data.query.page;
    let suffix = if page > 1 {
        format!(" — page {page}")
    } else {
        String::new()
    };
    let path = href(&kind.route(page));
    match kind {
        ListingKind::Index(_) => (meta.title.clone(), format!("{}{suffix}", meta.title), path),
        ListingKind::Category(slug) => {
            let name = data.category_name.clone().unwrap_or_else(|| slug.clone());
            (
                name.clone(),
                format!("{name}{suffix} — {}", meta.title),
                path,
            )
        }
        ListingKind::Tag(slug) => (
            format!("#{slug}"),
            format!("#{slug}{suffix} — {}", meta.title),
            path,
        ),
    }
}

/// "102 articles", "7 articles in Databases", "1 article tagged #rust".
fn describe_count(count: u32, category: Option<&str>, tags: &[String]) -> String {
    let noun = if count == 1 { "article" } else { "articles" };
    let mut text = format!("{count} {noun}");
    if let Some(category) = category {
        text.push_str(&format!(" in {category}"));
    }
    if !tags.is_empty() {
        let tags: Vec<String> = tags.iter().map(|t| format!("#{t}")).collect();
        text.push_str(&format!(" tagged {}", tags.join(" + ")));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::describe_count;

    #[test]
    fn count_names_the_filter() {
        assert_eq!(describe_count(102, None, &[]), "102 articles");
        assert_eq!(
            describe_count(7, Some("Databases"), &[]),
            "7 articles in Databases"
        );
        assert_eq!(
            describe_count(1, None, &["rust".into(), "wasm".into()]),
            "1 article tagged #rust + #wasm"
        );
    }
}
