//! The Atom 1.0 layout of a feed (`/atom.xml`, and one per category and
//! tag), written by `atom_syndication`.

use atom_syndication as atom_xml;

use super::channel::{Channel, Item, feed_updated};

/// The Atom 1.0 document.
pub fn atom(channel: &Channel, items: &[Item]) -> String {
    let author = atom_xml::Person {
        name: channel.author.name.clone(),
        uri: channel.author.url.clone(),
        ..Default::default()
    };
    let link = |href: &str, rel: &str, mime: &str| atom_xml::Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: Some(mime.to_string()),
        ..Default::default()
    };
    let entries = items
        .iter()
        .map(|item| atom_xml::Entry {
            title: atom_xml::Text::plain(item.title.clone()),
            id: item.url.clone(),
            updated: item.updated.fixed_offset(),
            published: Some(item.published.fixed_offset()),
            links: vec![link(&item.url, "alternate", "text/html")],
            authors: item
                .authors
                .iter()
                .map(|a| atom_xml::Person {
                    name: a.name.clone(),
                    uri: a.url.clone(),
                    ..Default::default()
                })
                .collect(),
            summary: (!item.summary.is_empty())
                .then(|| atom_xml::Text::plain(item.summary.clone())),
            content: Some(atom_xml::Content {
                content_type: Some("html".to_string()),
                value: Some(item.html.clone()),
                ..Default::default()
            }),
            categories: std::iter::once(&item.category)
                .chain(&item.tags)
                .map(|term| atom_xml::Category {
                    term: term.clone(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        })
        .collect();
    let feed = atom_xml::Feed {
        title: atom_xml::Text::plain(channel.title.clone()),
        subtitle: (!channel.description.is_empty())
            .then(|| atom_xml::Text::plain(channel.description.clone())),
        id: channel.home_url.clone(),
        updated: feed_updated(items).fixed_offset(),
        authors: vec![author],
        links: vec![
            link(&channel.feed_url, "self", "application/atom+xml"),
            link(&channel.home_url, "alternate", "text/html"),
        ],
        generator: Some(atom_xml::Generator {
            value: "Quire".to_string(),
            ..Default::default()
        }),
        lang: Some(channel.language.clone()),
        entries,
        ..Default::default()
    };
    feed.to_string()
}
