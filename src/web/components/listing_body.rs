//! The body of a listing page (hero, chips, count, cards, pages), shared by
//! the server's listing views and the islands client, which renders it
//! again when it swaps the listing in place.

use dioxus::prelude::*;

use super::{CategoryChips, Pagination, PostCard, RouteLink};
use crate::model::{ListingPage, SiteMeta};
use crate::web::{Filter, ListingKind, links};

/// What `<main>` holds on a listing page: hero, chips, count, cards, pages.
/// The islands client renders the same component when it swaps the
/// listing in place, `busy` while the next page is on its way.
#[component]
pub fn ListingBody(data: ListingPage, kind: ListingKind, busy: bool) -> Element {
    let meta = use_context::<SiteMeta>();
    let count = describe_count(data.total, data.category_name.as_deref(), &data.query.tags);
    let filter = match &kind {
        ListingKind::Index(filter) => filter.clone(),
        _ => Filter::default(),
    };
    let (heading, _, _) = listing_headings(&kind, &data, &meta);
    rsx! {
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
                RouteLink { to: links::index(&Filter::default()), "Show all articles" }
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

/// The page's heading, its `<title>` and its canonical path.
pub fn listing_headings(
    kind: &ListingKind,
    data: &ListingPage,
    meta: &SiteMeta,
) -> (String, String, String) {
    let page = data.query.page;
    let suffix = if page > 1 {
        format!(" — page {page}")
    } else {
        String::new()
    };
    let path = kind.href(page);
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
        ListingKind::Section(name) => (
            name.clone(),
            format!("{name}{suffix} — {}", meta.title),
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
