//! The body of a listing page (hero, chips, count, cards, pages). The
//! islands client swaps the whole `<main>` of another listing page in
//! when a chip, tag or page link is clicked (`web::islands::listing`), so
//! this is the only code that writes a listing.

use dioxus::prelude::*;

use super::{CategoryChips, Pagination, PostCard, use_ui};
use crate::i18n::Ui;
use crate::model::{ListingPage, SiteMeta};
use crate::urls;
use crate::web::components::RouteLink;
use crate::web::{Filter, ListingKind, links};

/// What `<main>` holds on a listing page: hero, chips, count, cards, pages.
#[component]
pub fn ListingBody(data: ListingPage, kind: ListingKind) -> Element {
    let meta = use_context::<SiteMeta>();
    let ui = use_ui();
    let count = describe_count(
        &ui,
        data.total,
        data.category_name.as_deref(),
        &data.query.tags,
    );
    let filter = match &kind {
        ListingKind::Index(filter) => filter.clone(),
        _ => Filter::default(),
    };
    let (heading, _, _) = listing_headings(&ui, &kind, &data, &meta);
    rsx! {
        section { class: "hero",
            if let Some((label, list)) = terms_list(&ui, &kind) {
                nav { class: "breadcrumbs", aria_label: ui.text("breadcrumb"),
                    a { href: "/", {ui.text("home")} }
                    span { aria_hidden: "true", " / " }
                    a { href: list, "{label}" }
                }
            }
            h1 { "{heading}" }
            if matches!(kind, ListingKind::Index(_)) {
                p { class: "tagline", "{meta.tagline}" }
            }
        }
        CategoryChips { categories: data.categories.clone(), filter: filter.clone() }
        p { class: "count", role: "status", aria_live: "polite", "{count}" }
        if data.posts.is_empty() {
            div { class: "empty",
                p { {ui.text("listing-empty")} }
                RouteLink { to: links::index(&Filter::default()), {ui.text("listing-show-all")} }
            }
        }
        // The islands client marks it busy while the next listing loads.
        div { class: "cards", aria_busy: "false",
            for post in data.posts.iter() {
                PostCard { key: "{post.slug}", post: post.clone(), filter: filter.clone() }
            }
        }
        Pagination { kind, page: data.query.page, pages: data.pages }
    }
}

/// The list a tag's or category's page is one of, and its address
/// (`/tags`, `/category`: `views::terms`), for the breadcrumb above it.
fn terms_list(ui: &Ui, kind: &ListingKind) -> Option<(String, &'static str)> {
    match kind {
        ListingKind::Tag(_) => Some((ui.text("tags"), urls::TAGS)),
        ListingKind::Category(_) => Some((ui.text("chips"), urls::CATEGORIES)),
        _ => None,
    }
}

/// The page's heading, its `<title>` and its canonical path.
pub fn listing_headings(
    ui: &Ui,
    kind: &ListingKind,
    data: &ListingPage,
    meta: &SiteMeta,
) -> (String, String, String) {
    let page = data.query.page;
    let path = kind.href(page);
    let heading = match kind {
        ListingKind::Index(_) => meta.title.clone(),
        ListingKind::Category(slug) => data.category_name.clone().unwrap_or_else(|| slug.clone()),
        ListingKind::Tag(slug) => format!("#{slug}"),
        ListingKind::Section(name) => name.clone(),
    };
    let numbered = match page {
        0 | 1 => heading.clone(),
        _ => ui.with(
            "page-title",
            &[("title", (&heading).into()), ("page", page.into())],
        ),
    };
    let title = match kind {
        ListingKind::Index(_) => numbered,
        _ => format!("{numbered} — {}", meta.title),
    };
    (heading, title, path)
}

/// "102 articles", "7 articles in Databases", "1 article tagged #rust".
fn describe_count(ui: &Ui, count: u32, category: Option<&str>, tags: &[String]) -> String {
    let tags: Vec<String> = tags.iter().map(|t| format!("#{t}")).collect();
    let tags = tags.join(" + ");
    let id = match (category.is_some(), tags.is_empty()) {
        (false, true) => "listing-count",
        (true, true) => "listing-count-category",
        (false, false) => "listing-count-tags",
        (true, false) => "listing-count-category-tags",
    };
    let category = category.unwrap_or_default();
    ui.with(
        id,
        &[
            ("count", count.into()),
            ("category", category.into()),
            ("tags", tags.as_str().into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::describe_count;
    use crate::i18n::Ui;

    #[test]
    fn count_names_the_filter() {
        let ui = Ui::new("en", &BTreeMap::new());
        assert_eq!(describe_count(&ui, 102, None, &[]), "102 articles");
        assert_eq!(
            describe_count(&ui, 7, Some("Databases"), &[]),
            "7 articles in Databases"
        );
        assert_eq!(
            describe_count(&ui, 1, None, &["rust".into(), "wasm".into()]),
            "1 article tagged #rust + #wasm"
        );
        let french = Ui::new("fr", &BTreeMap::new());
        assert_eq!(
            describe_count(&french, 1, Some("Bases"), &["rust".into()]),
            "1 article dans Bases avec #rust"
        );
    }
}
