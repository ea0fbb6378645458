//! The RSS 2.0 layout of a feed (`/rss.xml`), written by the `rss` crate,
//! with the full HTML in `content:encoded` and an `atom:link` to itself.

use super::channel::{Channel, Item, feed_updated};
use crate::content::escape::escape_markup;

const RSS_CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const DUBLIN_CORE_NS: &str = "http://purl.org/dc/elements/1.1/";

/// The RSS 2.0 document, full HTML in `content:encoded`.
pub fn rss(channel: &Channel, items: &[Item]) -> String {
    let updated = feed_updated(items);
    let items = items
        .iter()
        .map(|item| ::rss::Item {
            title: Some(item.title.clone()),
            link: Some(item.url.clone()),
            // Readers render an RSS description as HTML; the summary is
            // text (front matter), so escape it or `<img onerror>` runs.
            description: Some(escape_markup(&item.summary)).filter(|s| !s.is_empty()),
            guid: Some(::rss::Guid {
                value: item.url.clone(),
                permalink: true,
            }),
            pub_date: Some(item.published.to_rfc2822()),
            // `<author>` must be an e-mail address: names go in `dc:creator`.
            dublin_core_ext: (!item.authors.is_empty()).then(|| {
                ::rss::extension::dublincore::DublinCoreExtension {
                    creators: item.authors.iter().map(|a| a.name.clone()).collect(),
                    ..Default::default()
                }
            }),
            content: Some(item.html.clone()),
            categories: std::iter::once(&item.category)
                .chain(&item.tags)
                .map(|name| ::rss::Category {
                    name: name.clone(),
                    domain: None,
                })
                .collect(),
            ..Default::default()
        })
        .collect();
    let self_link = ::rss::extension::Extension {
        name: "atom:link".to_string(),
        attrs: [
            ("href".to_string(), channel.feed_url.clone()),
            ("rel".to_string(), "self".to_string()),
            ("type".to_string(), "application/rss+xml".to_string()),
        ]
        .into(),
        ..Default::default()
    };
    let description = if channel.description.is_empty() {
        channel.title.clone()
    } else {
        channel.description.clone()
    };
    let channel = ::rss::Channel {
        title: channel.title.clone(),
        link: channel.home_url.clone(),
        description,
        language: Some(channel.language.clone()),
        generator: Some("Quire".to_string()),
        last_build_date: Some(updated.to_rfc2822()),
        items,
        namespaces: [
            ("content".to_string(), RSS_CONTENT_NS.to_string()),
            ("atom".to_string(), ATOM_NS.to_string()),
            ("dc".to_string(), DUBLIN_CORE_NS.to_string()),
        ]
        .into(),
        extensions: [(
            "atom".to_string(),
            [("link".to_string(), vec![self_link])].into(),
        )]
        .into(),
        ..Default::default()
    };
    channel.to_string()
}
