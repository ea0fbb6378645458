//! Syndication feeds: Atom (`/atom.xml`), RSS 2.0 (`/rss.xml`) and JSON
//! Feed 1.1 (`/feed.json`) for the whole site, and Atom per category
//! (`/category/<slug>/atom.xml`), per tag (`/tags/<slug>/atom.xml`), per
//! author (`/authors/<slug>/atom.xml`) and per section (`/<section>/atom.xml`,
//! answered by [`section_layer`] since a section lives at its own folder's
//! address). Entries name their post's
//! authors (Atom `<author>`, RSS `<dc:creator>`, JSON Feed `authors`).
//!
//! Every feed carries the newest [`FEED_LIMIT`] posts readers may see now,
//! newest first, with their full HTML (root-relative links made absolute
//! with `base_url`, [`absolutize`]). Building a feed is pure: [`channel()`]
//! and [`Item::from_document`] say what a feed holds, and [`atom()`],
//! [`rss()`] and [`json()`] lay it out, each in a module of its own. This
//! file holds the routes, whose handlers only gather the posts.

mod atom;
mod channel;
mod json;
mod links;
mod rss;
#[cfg(test)]
mod tests;

use axum::Router;
use axum::extract::Path as UrlPath;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::Arc;

use super::Site;
use super::languages::Edition;
use super::responses::{AppError, not_found};
use crate::read::Snapshot;
use crate::store::StoreError;
use crate::urls;
use axum::Extension;

pub use self::atom::atom;
pub use self::channel::{Channel, Item, Scope, channel, day_start};
pub use self::json::json;
pub use self::links::absolutize;
pub use self::rss::rss;

/// Posts per feed.
pub const FEED_LIMIT: usize = 50;
pub const ATOM_TYPE: &str = "application/atom+xml; charset=utf-8";
pub const RSS_TYPE: &str = "application/rss+xml; charset=utf-8";
pub const JSON_FEED_TYPE: &str = "application/feed+json; charset=utf-8";

/// The feed routes, merged into the application router.
pub fn routes(site: Arc<Site>) -> Router {
    Router::new()
        .route(urls::ATOM, get(site_atom))
        .route(urls::RSS, get(site_rss))
        .route(urls::JSON_FEED, get(site_json))
        .route("/category/{slug}/atom.xml", get(category_atom))
        .route("/tags/{slug}/atom.xml", get(tag_atom))
        .route("/authors/{slug}/atom.xml", get(author_atom))
        .with_state(site)
}

/// The newest [`FEED_LIMIT`] of `posts` (the scope's, by position in
/// `snapshot`), as feed items.
fn items(
    site: &Site,
    base_url: &str,
    snapshot: &Snapshot,
    posts: &[u32],
) -> Result<Vec<Item>, StoreError> {
    let mut items = Vec::with_capacity(FEED_LIMIT);
    for &position in posts {
        if items.len() == FEED_LIMIT {
            break;
        }
        if let Some(doc) = site
            .store()
            .post(snapshot.listings.slug(position as usize))?
        {
            items.push(Item::from_document(&doc, base_url, &site.blog.authors));
        }
    }
    Ok(items)
}

/// The positions of `scope`'s visible posts in language `edition`, or in
/// every language for `None`, newest first.
fn scoped(snapshot: &Snapshot, scope: &Scope, edition: Option<&str>) -> Vec<u32> {
    let mut posts = match edition {
        Some(code) => scope.positions(snapshot.edition(code)).to_vec(),
        None => {
            let every = snapshot
                .editions()
                .flat_map(|facets| scope.positions(facets));
            let mut posts: Vec<u32> = every.copied().collect();
            posts.sort_unstable();
            posts
        }
    };
    // Each once, should a list name a post twice.
    posts.dedup();
    posts
}

#[derive(Clone, Copy)]
enum Format {
    Atom,
    Rss,
    Json,
}

/// What a feed request needs: the site, the request's headers (the base
/// URL may follow its `Host`), what the feed is about and its path.
struct Asked<'a> {
    site: &'a Site,
    headers: &'a HeaderMap,
    scope: Scope,
    path: &'a str,
    /// The language whose posts the feed holds ("": the default's),
    /// `None` for every language's.
    edition: Option<String>,
}

impl Asked<'_> {
    /// The feed of language `edition`'s pages, when the request was for one.
    fn in_language(self, edition: InLanguage) -> Self {
        let code = edition
            .map(|Extension(Edition(code))| code)
            .unwrap_or_default();
        Self {
            edition: Some(code),
            ..self
        }
    }
}

/// Gathers the posts and renders one feed; 404 for an empty category or
/// tag (the site's feed answers with no entries), an [`AppError`] when
/// the store fails.
fn respond(asked: Asked, format: Format) -> Result<Response, AppError> {
    let Asked {
        site,
        headers,
        scope,
        path,
        edition,
    } = asked;
    let config = site.config_for(headers);
    let snapshot = site
        .blog
        .snapshot()
        .map_err(|e| AppError::store(path, &e))?;
    let edition = edition.as_deref();
    let posts = scoped(&snapshot, &scope, edition);
    // The site's own feed (each language's too) is there even with no
    // post yet: every page names it. A category's or tag's is not.
    let found = matches!(scope, Scope::Site) || !posts.is_empty();
    // The channel is named after the scope's newest post in any language.
    let newest = || {
        let first = scoped(&snapshot, &scope, None).first().copied();
        first.map(|p| snapshot.listings.get(p as usize))
    };
    let channel = found.then(|| channel(&config, &scope, newest().as_slice(), path));
    let Some(channel) = channel.flatten() else {
        return Ok(not_found());
    };
    let channel = in_language(channel, site, &config.base_url, edition.unwrap_or_default());
    let items =
        items(site, &config.base_url, &snapshot, &posts).map_err(|e| AppError::store(path, &e))?;
    let (content_type, body) = match format {
        Format::Atom => (ATOM_TYPE, atom(&channel, &items)),
        Format::Rss => (RSS_TYPE, rss(&channel, &items)),
        Format::Json => (JSON_FEED_TYPE, json(&channel, &items)),
    };
    Ok(([(header::CONTENT_TYPE, content_type)], body).into_response())
}

type Answer = Result<Response, AppError>;

/// The language whose feed a request asks for (`/fr/atom.xml`: `fr`;
/// `server::languages` marks it), `None` for the default language's.
type InLanguage = Option<Extension<Edition>>;

async fn site_atom(State(site): State<Arc<Site>>, e: InLanguage, headers: HeaderMap) -> Answer {
    let asked = asked(&site, &headers, Scope::Site, urls::ATOM);
    respond(asked.in_language(e), Format::Atom)
}

async fn site_rss(State(site): State<Arc<Site>>, e: InLanguage, headers: HeaderMap) -> Answer {
    let asked = asked(&site, &headers, Scope::Site, urls::RSS);
    respond(asked.in_language(e), Format::Rss)
}

async fn site_json(State(site): State<Arc<Site>>, e: InLanguage, headers: HeaderMap) -> Answer {
    let asked = asked(&site, &headers, Scope::Site, urls::JSON_FEED);
    respond(asked.in_language(e), Format::Json)
}

async fn category_atom(
    State(site): State<Arc<Site>>,
    e: InLanguage,
    headers: HeaderMap,
    UrlPath(slug): UrlPath<String>,
) -> Answer {
    let path = urls::category_feed(&slug);
    let asked = asked(&site, &headers, Scope::Category(slug), &path);
    respond(asked.in_language(e), Format::Atom)
}

async fn tag_atom(
    State(site): State<Arc<Site>>,
    e: InLanguage,
    headers: HeaderMap,
    UrlPath(slug): UrlPath<String>,
) -> Answer {
    let path = urls::tag_feed(&slug);
    let asked = asked(&site, &headers, Scope::Tag(slug), &path);
    respond(asked.in_language(e), Format::Atom)
}

async fn author_atom(
    State(site): State<Arc<Site>>,
    e: InLanguage,
    headers: HeaderMap,
    UrlPath(slug): UrlPath<String>,
) -> Answer {
    let path = urls::author_feed(&slug);
    let asked = asked(&site, &headers, Scope::Author(slug), &path);
    respond(asked.in_language(e), Format::Atom)
}

/// `channel` as language `edition`'s pages show it: the language's title,
/// description and tag, its links behind the language's prefix.
fn in_language(mut channel: Channel, site: &Site, base: &str, edition: &str) -> Channel {
    if edition.is_empty() {
        return channel;
    }
    let meta = site.blog.site_meta(None, edition);
    let sections = site.blog.sections();
    let is_section = |path: &str| sections.at(path);
    let links = super::page_rewrite::LanguageLinks {
        prefix: &site.blog.languages().prefix(edition),
        base: "",
        is_section: &is_section,
    };
    let moved = |url: &str| {
        let path = url.strip_prefix(base).unwrap_or(url);
        links.moved(path).map(|path| format!("{base}{path}"))
    };
    channel.title = channel
        .title
        .replacen(&site.blog.meta.title, &meta.title, 1);
    channel.description = meta.description;
    channel.language = meta.language;
    channel.home_url = moved(&channel.home_url).unwrap_or(channel.home_url);
    channel.feed_url = moved(&channel.feed_url).unwrap_or(channel.feed_url);
    channel
}

/// The middleware for section feeds: `GET`/`HEAD <section>/atom.xml`,
/// when that section exists, with the default language's posts, and
/// `<prefix>/<section>/atom.xml` with another language's (`/fr/notes/atom.xml`);
/// anything else goes on to the router.
pub async fn section_layer(
    State(site): State<Arc<Site>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let method = request.method();
    let is_read = method == axum::http::Method::GET || method == axum::http::Method::HEAD;
    let path = request.uri().path().to_string();
    // This layer sits outside `languages`: it takes a prefix off itself.
    let languages = site.blog.languages();
    let (code, route) = match languages.under(&path) {
        Some(language) => (language.code.clone(), &path[language.prefix.len()..]),
        None => (String::new(), path.as_str()),
    };
    let section = is_read
        .then(|| section_scope(&site, route, &code))
        .flatten();
    let Some(scope) = section else {
        return next.run(request).await;
    };
    let edition = (!code.is_empty()).then_some(Extension(Edition(code)));
    let asked = asked(&site, request.headers(), scope, &path).in_language(edition);
    respond(asked, Format::Atom).unwrap_or_else(IntoResponse::into_response)
}

/// The section whose feed `path` is, titled in language `edition` when
/// its file is translated (`_index.fr.md`).
fn section_scope(site: &Site, path: &str, edition: &str) -> Option<Scope> {
    let base = path.strip_suffix(urls::ATOM)?;
    let base = super::redirects::percent_decode(base)?;
    let snapshot = site.blog.snapshot().ok()?;
    let listing = snapshot
        .at(&base)
        .filter(|l| l.kind == crate::content::Kind::Section)?;
    let translated = format!("{}.{edition}", listing.summary.slug);
    let own = (!edition.is_empty()).then(|| snapshot.find(&translated));
    let own = own.flatten().unwrap_or(listing);
    let section = base.trim_start_matches('/').to_string();
    Some(Scope::Section {
        path: section,
        title: own.summary.title.clone(),
    })
}

fn asked<'a>(site: &'a Site, headers: &'a HeaderMap, scope: Scope, path: &'a str) -> Asked<'a> {
    Asked {
        site,
        headers,
        scope,
        path,
        edition: None,
    }
}
