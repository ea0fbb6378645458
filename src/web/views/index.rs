//! The blog index: title, tagline, article count, category chips, cards.
//! The whole list arrives with the page; filtering happens in place.

use dioxus::prelude::*;

use crate::api;
use crate::model::IndexData;
use crate::web::components::{CategoryChips, PostCard};
use crate::web::{Filter, Route, set_not_found_status};

#[component]
pub fn Index(filter: Filter) -> Element {
    let data = use_server_future(api::index_data)?;
    let data = data.read();
    match &*data {
        Some(Ok(data)) => rsx! { IndexPage { data: data.clone(), filter } },
        Some(Err(_)) => {
            rsx! { p { class: "error", "The articles could not be loaded. Please try again." } }
        }
        None => rsx! {},
    }
}

#[component]
fn IndexPage(data: IndexData, filter: Filter) -> Element {
    let category = filter
        .category
        .as_ref()
        .map(|slug| data.categories.iter().find(|c| &c.slug == slug));
    let unknown_category = matches!(category, Some(None));
    let posts: Vec<_> = data
        .posts
        .iter()
        .filter(|p| filter.matches(p))
        .cloned()
        .collect();
    if unknown_category || (posts.is_empty() && !filter.is_empty()) {
        set_not_found_status();
    }
    let count = describe_count(
        posts.len(),
        category.flatten().map(|c| c.name.as_str()),
        &filter.tags,
    );
    rsx! {
        document::Title { "{data.site_title}" }
        document::Meta { name: "description", content: "{data.tagline}" }
        section { class: "hero",
            h1 { "{data.site_title}" }
            p { class: "tagline", "{data.tagline}" }
        }
        CategoryChips { categories: data.categories.clone(), filter: filter.clone() }
        p { class: "count", role: "status", aria_live: "polite", "{count}" }
        if posts.is_empty() {
            div { class: "empty",
                p { "No articles match this filter." }
                Link { to: Route::Index { filter: Filter::default() }, "Show all articles" }
            }
        }
        div { class: "cards",
            for post in posts {
                PostCard { key: "{post.slug}", post, filter: filter.clone() }
            }
        }
    }
}

/// "102 articles", "7 articles in Databases", "1 article tagged #rust".
fn describe_count(count: usize, category: Option<&str>, tags: &[String]) -> String {
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
