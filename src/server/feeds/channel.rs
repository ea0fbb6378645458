//! What a feed says, whatever its format: the [`Channel`] (the site, or
//! one category or tag of it) and its [`Item`]s, each a post with absolute
//! URLs and its HTML made fit for a feed reader. The format modules
//! (`atom`, `rss`, `json`) only lay these out.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::links::absolutize;
use crate::content::escape::escape_markup;
use crate::content::{Document, limits};
use crate::model::{Date, slugify};
use crate::read::Authors;
use crate::read::authors::wrote;
use crate::read::positions::Facets;
use crate::server::config::{Author, SiteConfig};
use crate::store::Listing;
use crate::urls;

/// What a feed is about: the site, or one category, tag or author of it.
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
    /// The post's authors, each with their page; empty when it names none
    /// (the channel's author stands for them).
    pub authors: Vec<Author>,
}

impl Item {
    pub fn from_document(doc: &Document, base_url: &str, authors: &Authors) -> Self {
        let published = day_start(doc.date);
        let updated = doc
            .updated
            .filter(|updated| *updated > doc.date)
            .map_or(published, day_start);
        let url = urls::absolute(base_url, &urls::permalink::encode(&doc.url));
        Self {
            html: entry_html(doc, &url, base_url),
            url,
            title: doc.title.clone(),
            summary: limits::shorten(&doc.description, limits::MAX_DERIVED_DESCRIPTION_CHARS),
            published,
            updated,
            category: doc.category.clone(),
            tags: doc.tags.clone(),
            authors: authors
                .links(&doc.authors)
                .into_iter()
                .map(|link| Author {
                    url: Some(urls::absolute(base_url, &urls::author(&link.slug))),
                    name: link.name,
                })
                .collect(),
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
        escape_markup(&summary),
        escape_markup(url)
    )
}

/// Midnight UTC of a post's day: feeds give times, posts have days.
pub fn day_start(date: Date) -> DateTime<Utc> {
    NaiveDate::from(date).and_time(NaiveTime::MIN).and_utc()
}

/// The newest entry's date, or the epoch for an empty feed (stable bytes).
pub(super) fn feed_updated(items: &[Item]) -> DateTime<Utc> {
    items
        .iter()
        .map(|item| item.updated)
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// Which posts a feed shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Site,
    Category(String),
    Tag(String),
    Author(String),
    /// A section, by its path (`notes`), with its title.
    Section {
        path: String,
        title: String,
    },
}

impl Scope {
    /// The positions of the scope's posts among `facets`' (one language's),
    /// newest first: the posts [`Scope::matches`] would pick, read off the
    /// snapshot's lists rather than by decoding every post.
    pub(super) fn positions<'a>(&self, facets: &'a Facets) -> &'a [u32] {
        let list = match self {
            Scope::Site => return &facets.posts,
            Scope::Category(slug) => facets.categories.get(slug),
            Scope::Tag(tag) => facets.tags.get(tag),
            Scope::Author(slug) => facets.authors.get(slug),
            Scope::Section { path, .. } => facets.sections.get(path),
        };
        list.map_or(&[], Vec::as_slice)
    }

    pub(super) fn matches(&self, listing: &Listing) -> bool {
        match self {
            Scope::Site => true,
            Scope::Category(slug) => slugify(&listing.summary.category) == *slug,
            Scope::Tag(slug) => listing.summary.tags.iter().any(|t| t == slug),
            Scope::Author(slug) => wrote(listing, slug),
            // A post's key is its slug behind its section's path.
            Scope::Section { path, .. } => listing
                .summary
                .slug
                .strip_prefix(path.as_str())
                .is_some_and(|rest| rest.starts_with('/')),
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
        Scope::Author(slug) => {
            let listing = listings.iter().find(|l| scope.matches(l))?;
            let id = listing.authors.iter().find(|id| slugify(id) == *slug)?;
            let name = Authors::new(&config.authors).link(id).name;
            (format!("{} — {name}", config.title), urls::author(slug))
        }
        Scope::Section { path, title } => {
            (format!("{} — {title}", config.title), urls::section(path))
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
