//! Syndication feeds: Atom (`/atom.xml`), RSS 2.0 (`/rss.xml`) and JSON
//! Feed 1.1 (`/feed.json`) for the whole site, and Atom per category
//! (`/category/<slug>/atom.xml`) and per tag (`/tags/<slug>/atom.xml`).
//!
//! Every feed carries the newest [`FEED_LIMIT`] posts readers may see now,
//! newest first, with their full HTML (root-relative links made absolute
//! with `base_url`). Building a feed is pure ([`atom`], [`rss`], [`json`]
//! over [`Channel`] and [`Item`]); the handlers only gather the posts.

use atom_syndication as atom_xml;
use axum::Router;
use axum::extract::Path as UrlPath;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::Site;
use super::config::{Author, SiteConfig};
use crate::content::{Document, limits};
use crate::model::slugify;
use crate::store::{Listing, StoreError};
use crate::urls;
use axum::extract::State;
use std::sync::Arc;

/// Posts per feed.
pub const FEED_LIMIT: usize = 50;
pub const ATOM_TYPE: &str = "application/atom+xml; charset=utf-8";
pub const RSS_TYPE: &str = "application/rss+xml; charset=utf-8";
pub const JSON_FEED_TYPE: &str = "application/feed+json; charset=utf-8";
const JSON_FEED_VERSION: &str = "https://jsonfeed.org/version/1.1";
const RSS_CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// The feed routes, merged into the application router.
pub fn routes(site: Arc<Site>) -> Router {
    Router::new()
        .route(urls::ATOM, get(site_atom))
        .route(urls::RSS, get(site_rss))
        .route(urls::JSON_FEED, get(site_json))
        .route("/category/{slug}/atom.xml", get(category_atom))
        .route("/tags/{slug}/atom.xml", get(tag_atom))
        .with_state(site)
}

/// What a feed is about: the site, or one category or tag of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Channel {
    pub title: String,
    pub description: String,
    /// Absolute URL of the page the feed mirrors.
    pub home_url: String,
    /// Absolute URL of the feed itself.
    pub feed_url: String,
    pub language: String,
    pub author: Author,
}

/// One post in a feed.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// Absolute URL; also the entry's id.
    pub url: String,
    pub title: String,
    /// Plain-text summary.
    pub summary: String,
    /// Full HTML with absolute links.
    pub html: String,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub category: String,
    pub tags: Vec<String>,
}

impl Item {
    pub fn from_document(doc: &Document, base_url: &str) -> Self {
        let published = day_start(&doc.date);
        let updated = doc
            .updated
            .as_deref()
            .map(day_start)
            .filter(|updated| *updated > published)
            .unwrap_or(published);
        let url = urls::absolute(base_url, &urls::post(&doc.slug));
        Self {
            html: entry_html(doc, &url, base_url),
            url,
            title: doc.title.clone(),
            summary: limits::shorten(&doc.description, limits::MAX_DERIVED_DESCRIPTION_CHARS),
            published,
            updated,
            category: doc.category.clone(),
            tags: doc.tags.clone(),
        }
    }
}

/// The post's body for a feed entry: the whole of it with absolute links,
/// or, past [`limits::MAX_FEED_ENTRY_BYTES`], its summary and a link to
/// the post, so one huge post cannot make every feed huge.
fn entry_html(doc: &Document, url: &str, base_url: &str) -> String {
    if doc.html.len() <= limits::MAX_FEED_ENTRY_BYTES {
        return absolutize(&doc.html, base_url);
    }
    let summary = limits::shorten(&doc.summary, 2 * limits::MAX_DERIVED_DESCRIPTION_CHARS);
    format!(
        "<p>{}</p><p><a href=\"{}\">Read the whole post</a></p>",
        escape_html(&summary),
        escape_html(url)
    )
}

/// Midnight UTC of a `YYYY-MM-DD` day (or an RFC 3339 instant); the epoch
/// when neither parses, so a bad date cannot break a feed.
pub fn day_start(text: &str) -> DateTime<Utc> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return at.with_timezone(&Utc);
    }
    NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d")
        .ok()
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map_or(DateTime::UNIX_EPOCH, |at| at.and_utc())
}

/// Makes root-relative `href="/…"` and `src="/…"` absolute, so images and
/// links work in a feed reader. Protocol-relative `//…` stays as it is.
pub fn absolutize(html: &str, base_url: &str) -> String {
    let mut out = html.to_string();
    for attr in ["href=\"/", "src=\"/"] {
        let mut rebuilt = String::with_capacity(out.len());
        let mut parts = out.split(attr);
        rebuilt.push_str(parts.next().unwrap_or_default());
        for part in parts {
            if part.starts_with('/') {
                rebuilt.push_str(attr);
            } else {
                rebuilt.push_str(&attr[..attr.len() - 1]);
                rebuilt.push_str(base_url);
                rebuilt.push('/');
            }
            rebuilt.push_str(part);
        }
        out = rebuilt;
    }
    out
}

/// The newest entry's date, or the epoch for an empty feed (stable bytes).
fn feed_updated(items: &[Item]) -> DateTime<Utc> {
    items
        .iter()
        .map(|item| item.updated)
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

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

/// Text as HTML that shows exactly that text.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The RSS 2.0 document, full HTML in `content:encoded`.
pub fn rss(channel: &Channel, items: &[Item]) -> String {
    let updated = feed_updated(items);
    let items = items
        .iter()
        .map(|item| rss::Item {
            title: Some(item.title.clone()),
            link: Some(item.url.clone()),
            // Readers render an RSS description as HTML; the summary is
            // text (front matter), so escape it or `<img onerror>` runs.
            description: Some(escape_html(&item.summary)).filter(|s| !s.is_empty()),
            guid: Some(rss::Guid {
                value: item.url.clone(),
                permalink: true,
            }),
            pub_date: Some(item.published.to_rfc2822()),
            content: Some(item.html.clone()),
            categories: std::iter::once(&item.category)
                .chain(&item.tags)
                .map(|name| rss::Category {
                    name: name.clone(),
                    domain: None,
                })
                .collect(),
            ..Default::default()
        })
        .collect();
    let self_link = rss::extension::Extension {
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
    let channel = rss::Channel {
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
            })
            .collect(),
    };
    serde_json::to_string_pretty(&feed).expect("structs of strings always serialize")
}

/// Which posts a feed shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Site,
    Category(String),
    Tag(String),
}

impl Scope {
    fn matches(&self, listing: &Listing) -> bool {
        match self {
            Scope::Site => true,
            Scope::Category(slug) => slugify(&listing.summary.category) == *slug,
            Scope::Tag(slug) => listing.summary.tags.iter().any(|t| t == slug),
        }
    }
}

/// The channel of a scope; `None` when no visible post is in it (unknown slug).
pub fn channel(
    config: &SiteConfig,
    scope: &Scope,
    listings: &[Listing],
    feed_path: &str,
) -> Option<Channel> {
    let base = &config.base_url;
    let (title, home_path) = match scope {
        Scope::Site => (config.title.clone(), "/".to_string()),
        Scope::Category(slug) => {
            let name = &listings.iter().find(|l| scope.matches(l))?.summary.category;
            (format!("{} — {name}", config.title), urls::category(slug))
        }
        Scope::Tag(slug) => {
            listings.iter().find(|l| scope.matches(l))?;
            (format!("{} — #{slug}", config.title), urls::tag(slug))
        }
    };
    Some(Channel {
        title,
        description: config.description.clone(),
        home_url: format!("{base}{home_path}"),
        feed_url: format!("{base}{feed_path}"),
        language: config.language.clone(),
        author: config.author.clone(),
    })
}

/// The newest [`FEED_LIMIT`] visible posts of `scope`, as feed items.
fn items(site: &Site, scope: &Scope, listings: &[Listing]) -> Result<Vec<Item>, StoreError> {
    let mut items = Vec::with_capacity(FEED_LIMIT);
    for listing in listings.iter().filter(|l| scope.matches(l)) {
        if items.len() == FEED_LIMIT {
            break;
        }
        if let Some(doc) = site.store().post(&listing.summary.slug)? {
            items.push(Item::from_document(&doc, &site.config.base_url));
        }
    }
    Ok(items)
}

#[derive(Clone, Copy)]
enum Format {
    Atom,
    Rss,
    Json,
}

/// Gathers the posts and renders one feed; 404 for an empty category or
/// tag, a generic 500 (details in the log) when the store fails.
fn respond(site: &Site, scope: Scope, format: Format, feed_path: &str) -> Response {
    let result = site.blog.snapshot().and_then(|snapshot| {
        let Some(channel) = channel(&site.config, &scope, &snapshot.listings, feed_path) else {
            return Ok(None);
        };
        let items = items(site, &scope, &snapshot.listings)?;
        Ok(Some((channel, items)))
    });
    match result {
        Ok(Some((channel, items))) => {
            let (content_type, body) = match format {
                Format::Atom => (ATOM_TYPE, atom(&channel, &items)),
                Format::Rss => (RSS_TYPE, rss(&channel, &items)),
                Format::Json => (JSON_FEED_TYPE, json(&channel, &items)),
            };
            ([(header::CONTENT_TYPE, content_type)], body).into_response()
        }
        Ok(None) => not_found(),
        Err(err) => internal_error(feed_path, &err),
    }
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "not found",
    )
        .into_response()
}

/// Logs the detail; the reader only learns that something failed.
pub(super) fn internal_error(path: &str, err: &dyn std::fmt::Display) -> Response {
    tracing::error!(path, error = %err, "cannot build the response");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "internal error",
    )
        .into_response()
}

async fn site_atom(State(site): State<Arc<Site>>) -> Response {
    respond(&site, Scope::Site, Format::Atom, urls::ATOM)
}

async fn site_rss(State(site): State<Arc<Site>>) -> Response {
    respond(&site, Scope::Site, Format::Rss, urls::RSS)
}

async fn site_json(State(site): State<Arc<Site>>) -> Response {
    respond(&site, Scope::Site, Format::Json, urls::JSON_FEED)
}

async fn category_atom(State(site): State<Arc<Site>>, UrlPath(slug): UrlPath<String>) -> Response {
    let path = urls::category_feed(&slug);
    respond(&site, Scope::Category(slug), Format::Atom, &path)
}

async fn tag_atom(State(site): State<Arc<Site>>, UrlPath(slug): UrlPath<String>) -> Response {
    let path = urls::tag_feed(&slug);
    respond(&site, Scope::Tag(slug), Format::Atom, &path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRICKY: &str = "Fish & <Chips> \"quoted\" 'single' 🦀 done";

    fn site_channel() -> Channel {
        Channel {
            title: format!("Site {TRICKY}"),
            description: format!("About {TRICKY}"),
            home_url: "https://example.com/".into(),
            feed_url: "https://example.com/atom.xml".into(),
            language: "en".into(),
            author: Author {
                name: "Ada & Co".into(),
                url: Some("https://example.com/about?a=1&b=2".into()),
            },
        }
    }

    fn item(n: u32) -> Item {
        Item {
            url: format!("https://example.com/blog/post-{n}"),
            title: format!("{TRICKY} {n}"),
            summary: format!("Summary {TRICKY}"),
            html: format!("<p>Body {n} &amp; <a href=\"https://example.com/x\">link</a> 🦀</p>"),
            published: day_start(&format!("2026-01-{:02}", n)),
            updated: day_start(&format!("2026-02-{:02}", n)),
            category: "C++ & Rust".into(),
            tags: vec!["rust".into(), "wasm".into()],
        }
    }

    #[test]
    fn atom_round_trips_titles_with_markup_characters_and_emoji() {
        let xml = atom(&site_channel(), &[item(2), item(1)]);
        let feed: atom_xml::Feed = xml.parse().unwrap();
        assert_eq!(feed.title.value, format!("Site {TRICKY}"));
        assert_eq!(feed.entries.len(), 2);
        assert_eq!(feed.entries[0].title.value, format!("{TRICKY} 2"));
        assert_eq!(
            feed.entries[0].summary.as_ref().unwrap().value,
            format!("Summary {TRICKY}")
        );
        let content = feed.entries[0].content.as_ref().unwrap();
        assert_eq!(content.content_type.as_deref(), Some("html"));
        assert_eq!(content.value.as_deref(), Some(item(2).html.as_str()));
        assert_eq!(feed.authors[0].name, "Ada & Co");
        assert_eq!(feed.entries[0].categories[0].term, "C++ & Rust");
        assert_eq!(feed.updated, item(2).updated.fixed_offset());
        assert!(!xml.contains("<Chips>"), "escaped: {xml}");
    }

    #[test]
    fn rss_round_trips_titles_and_carries_full_html() {
        let xml = rss(&site_channel(), &[item(2), item(1)]);
        let parsed = rss::Channel::read_from(xml.as_bytes()).unwrap();
        assert_eq!(parsed.title, format!("Site {TRICKY}"));
        assert_eq!(parsed.description, format!("About {TRICKY}"));
        assert_eq!(
            parsed.items[0].title.as_deref(),
            Some(format!("{TRICKY} 2").as_str())
        );
        assert_eq!(
            parsed.items[0].content.as_deref(),
            Some(item(2).html.as_str())
        );
        assert_eq!(parsed.items[1].guid.as_ref().unwrap().value, item(1).url);
        assert!(
            xml.contains("xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""),
            "{xml}"
        );
        assert!(xml.contains("<atom:link"), "{xml}");
        assert!(!outside_cdata(&xml).contains("<Chips>"), "escaped: {xml}");
    }

    /// The document with its CDATA sections cut out.
    fn outside_cdata(xml: &str) -> String {
        let mut out = String::new();
        let mut rest = xml;
        while let Some(start) = rest.find("<![CDATA[") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("]]>").expect("CDATA is closed");
            rest = &rest[start + end + 3..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn json_feed_round_trips_and_has_the_required_members() {
        let text = json(&site_channel(), &[item(1)]);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["version"], JSON_FEED_VERSION);
        assert_eq!(value["title"], format!("Site {TRICKY}"));
        assert_eq!(value["items"][0]["title"], format!("{TRICKY} 1"));
        assert_eq!(value["items"][0]["id"], item(1).url);
        assert_eq!(value["items"][0]["content_html"], item(1).html);
        assert_eq!(
            value["items"][0]["date_published"],
            "2026-01-01T00:00:00+00:00"
        );
        assert_eq!(value["authors"][0]["name"], "Ada & Co");
    }

    #[test]
    fn empty_feeds_are_still_valid_and_stable() {
        let xml = atom(&site_channel(), &[]);
        let feed: atom_xml::Feed = xml.parse().unwrap();
        assert!(feed.entries.is_empty());
        assert_eq!(xml, atom(&site_channel(), &[]));
        rss::Channel::read_from(rss(&site_channel(), &[]).as_bytes()).unwrap();
    }

    #[test]
    fn root_relative_links_become_absolute() {
        let html = r##"<p><a href="/blog/x">x</a> <img src="/blog/p/d.svg" alt=""> <a href="//cdn.example/y">y</a> <a href="https://a.b/">z</a> <a href="#top">t</a></p>"##;
        assert_eq!(
            absolutize(html, "https://ex.org/sub"),
            r##"<p><a href="https://ex.org/sub/blog/x">x</a> <img src="https://ex.org/sub/blog/p/d.svg" alt=""> <a href="//cdn.example/y">y</a> <a href="https://a.b/">z</a> <a href="#top">t</a></p>"##
        );
    }

    #[test]
    fn dates_and_segments() {
        assert_eq!(
            day_start("2026-03-04").to_rfc3339(),
            "2026-03-04T00:00:00+00:00"
        );
        assert_eq!(
            day_start("2026-03-04T10:00:00Z").to_rfc3339(),
            "2026-03-04T10:00:00+00:00"
        );
        assert_eq!(day_start("garbage"), DateTime::UNIX_EPOCH);
        assert_eq!(urls::encode_segment("café-1"), "caf%C3%A9-1");
    }

    fn listing(slug: &str, category: &str, tags: &[&str]) -> Listing {
        Listing {
            summary: crate::model::PostSummary {
                slug: slug.into(),
                title: slug.into(),
                date: "2026-01-01".into(),
                updated: None,
                category: category.into(),
                tags: tags.iter().map(|t| t.to_string()).collect(),
                description: String::new(),
                reading_minutes: 1,
            },
            draft: false,
            publish_at: None,
        }
    }

    #[test]
    fn channels_exist_only_for_categories_and_tags_with_posts() {
        let config = SiteConfig {
            base_url: "https://ex.org".into(),
            ..SiteConfig::default()
        };
        let listings = [listing("a", "Web Dev", &["rust"])];
        let category = Scope::Category("web-dev".into());
        let found = channel(&config, &category, &listings, "/category/web-dev/atom.xml").unwrap();
        assert_eq!(found.title, "Blog — Web Dev");
        assert_eq!(found.home_url, "https://ex.org/category/web-dev");
        assert_eq!(found.feed_url, "https://ex.org/category/web-dev/atom.xml");
        assert!(channel(&config, &Scope::Category("nope".into()), &listings, "/x").is_none());
        assert!(channel(&config, &Scope::Tag("rust".into()), &listings, "/x").is_some());
        assert!(channel(&config, &Scope::Tag("go".into()), &listings, "/x").is_none());
        assert!(channel(&config, &Scope::Site, &[], "/atom.xml").is_some());
    }
}
