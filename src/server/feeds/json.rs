//! The JSON Feed 1.1 layout of a feed (`/feed.json`), serialized by serde.

use serde::Serialize;

use super::channel::{Channel, Item};

pub(super) const JSON_FEED_VERSION: &str = "https://jsonfeed.org/version/1.1";

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    language: &'a str,
    authors: [JsonAuthor<'a>; 1],
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    content_html: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'a str,
    date_published: String,
    date_modified: String,
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor<'a>>,
}

/// The JSON Feed 1.1 document.
pub fn json(channel: &Channel, items: &[Item]) -> String {
    let feed = JsonFeed {
        version: JSON_FEED_VERSION,
        title: &channel.title,
        home_page_url: &channel.home_url,
        feed_url: &channel.feed_url,
        description: &channel.description,
        language: &channel.language,
        authors: [JsonAuthor {
            name: &channel.author.name,
            url: channel.author.url.as_deref(),
        }],
        items: items
            .iter()
            .map(|item| JsonItem {
                id: &item.url,
                url: &item.url,
                title: &item.title,
                content_html: &item.html,
                summary: &item.summary,
                date_published: item.published.to_rfc3339(),
                date_modified: item.updated.to_rfc3339(),
                tags: std::iter::once(&item.category)
                    .chain(&item.tags)
                    .map(String::as_str)
                    .collect(),
                authors: item
                    .authors
                    .iter()
                    .map(|a| JsonAuthor {
                        name: &a.name,
                        url: a.url.as_deref(),
                    })
                    .collect(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&feed).expect("structs of strings always serialize")
}
