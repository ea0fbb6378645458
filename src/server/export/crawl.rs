//! Asking the site itself for every address: each one is a `GET` sent in
//! process to the same router `serve` runs (`server::http::router`), so
//! an exported file holds exactly the bytes `serve` would send. Starting
//! from the seeds (the sitemap's addresses, feeds, assets…), every page's
//! links are followed, so pagination, facets, feeds named in `<link>`,
//! bundle files and image copies are found the way a reader finds them.
//!
//! Why a module of its own: what to ask for and what to leave to a server
//! (links with a query string, `/api/`, live paths) is decided here once.

use std::collections::{BTreeSet, HashSet, VecDeque};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::links::internal_links;
use super::old;
use crate::server::http::App;
use crate::urls;

/// Requests in flight at once: four a core, enough to keep every core
/// busy while some answers wait on the store.
fn in_flight() -> usize {
    4 * std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// One answer of the site.
pub struct Fetched {
    pub path: String,
    pub status: StatusCode,
    pub content_type: String,
    /// Where a redirect leads.
    pub location: Option<String>,
    pub body: Vec<u8>,
    /// Asked as an old address no page links to ([`old::Spellings`]).
    pub guessed: bool,
}

impl Fetched {
    pub fn is_html(&self) -> bool {
        self.content_type.starts_with("text/html")
    }
}

/// What the crawl found.
#[derive(Default)]
pub struct Crawl {
    /// Every answer, by address (without the bodies `keep` took).
    pub fetched: Vec<Fetched>,
    /// Links only a server can answer (a query string), each once.
    pub server_only: BTreeSet<String>,
    /// Links that are no valid address (an unencoded space…), each once.
    pub malformed: BTreeSet<String>,
}

/// `GET path` from `app`.
pub async fn fetch(app: &App, path: &str) -> anyhow::Result<Fetched> {
    let request = Request::get(path).body(Body::empty())?;
    let response = app.clone().oneshot(request).await?;
    let status = response.status();
    let headers = response.headers();
    let content_type = header_text(headers, header::CONTENT_TYPE).unwrap_or_default();
    let location = header_text(headers, header::LOCATION);
    let body = response.into_body().collect().await?.to_bytes().to_vec();
    Ok(Fetched {
        path: path.to_string(),
        status,
        content_type,
        location,
        body,
        guessed: false,
    })
}

/// A header's value as text, when it is text.
fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The addresses the crawl has seen, and which of them it only guessed.
#[derive(Default)]
struct Seen {
    all: HashSet<String>,
    guessed: HashSet<String>,
}

/// Fetches `seeds` and everything their pages link to but the `known`
/// addresses (those an earlier export asked, kept as they are), and the
/// `old` spellings of each list page; each answer goes through `keep` as
/// it arrives (which may take its body).
pub async fn crawl(
    app: &App,
    (seeds, known): (Vec<String>, HashSet<String>),
    old: Option<&old::Spellings>,
    base_url: &str,
    keep: &mut dyn FnMut(Fetched) -> Fetched,
) -> anyhow::Result<Crawl> {
    let mut crawl = Crawl::default();
    let mut seen = Seen {
        all: known,
        ..Seen::default()
    };
    for seed in &seeds {
        seen.all.remove(seed);
    }
    let mut queue: VecDeque<String> = VecDeque::new();
    for seed in seeds {
        enqueue(&mut crawl, &mut seen, &mut queue, seed);
    }
    let mut running = FuturesUnordered::new();
    let in_flight = in_flight();
    loop {
        while running.len() < in_flight
            && let Some(path) = queue.pop_front()
        {
            let base_url = base_url.to_string();
            running.push(tokio::spawn(fetch_and_follow(app.clone(), path, base_url)));
        }
        let Some(joined) = running.next().await else {
            break;
        };
        let (mut answer, links) = joined??;
        answer.guessed = seen.guessed.contains(&answer.path);
        if answer.guessed && !old::answers_for(&answer) {
            continue;
        }
        // Where a guess leads is a list the crawl meets by its links, or
        // one no page links to (`/category/go/page/2` when only the tag
        // has a second page, which `serve` clamps to the first): not
        // followed.
        for link in links.into_iter().filter(|_| !answer.guessed) {
            enqueue(&mut crawl, &mut seen, &mut queue, link);
        }
        for guess in old.map(|o| o.of_answer(&answer)).unwrap_or_default() {
            if seen.all.insert(guess.clone()) {
                seen.guessed.insert(guess.clone());
                queue.push_back(guess);
            }
        }
        crawl.fetched.push(keep(answer));
    }
    // Answers come in as they finish; the export is the same every time.
    crawl.fetched.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(crawl)
}

/// [`fetch`] and the links to follow from its answer, as a task of its
/// own: the router's middleware and the link parsing of one page run on
/// any of the runtime's threads, beside the other pages', not all on the
/// thread that drives the crawl.
async fn fetch_and_follow(
    app: App,
    path: String,
    base_url: String,
) -> anyhow::Result<(Fetched, Vec<String>)> {
    let mut answer = fetch(&app, &path).await?;
    if let Some(feed) = old::feed_moved_to(&answer, &base_url) {
        answer = old::copy(answer, fetch(&app, &feed).await?);
    }
    let links = followed(&answer, &base_url);
    Ok((answer, links))
}

/// The links of an answer worth following: a page's links, a redirect's
/// target.
fn followed(answer: &Fetched, base_url: &str) -> Vec<String> {
    if answer.status.is_redirection() {
        return answer
            .location
            .iter()
            .filter_map(|l| super::links::site_path(l, base_url))
            .collect();
    }
    if answer.status == StatusCode::OK && answer.is_html() {
        return internal_links(&answer.body, base_url, &answer.path);
    }
    Vec::new()
}

fn enqueue(crawl: &mut Crawl, seen: &mut Seen, queue: &mut VecDeque<String>, link: String) {
    // A page links to it: no longer a guess.
    seen.guessed.remove(&link);
    let seen = &mut seen.all;
    if link.parse::<axum::http::Uri>().is_err() {
        crawl.malformed.insert(link);
        return;
    }
    if link.contains('?') && super::filtered::file_for(&link).is_none() {
        // Pages link here instead ([`super::narrow`]): the plain address
        // and each facet's own filter.
        let bare = link.split('?').next().unwrap_or("/").to_string();
        let facets = super::narrow::facets_of(&link).into_iter();
        let narrowed = facets.filter(|one| super::filtered::file_for(one).is_some());
        crawl.server_only.insert(link);
        for next in std::iter::once(bare).chain(narrowed) {
            if seen.insert(next.clone()) {
                queue.push_back(next);
            }
        }
        return;
    }
    if urls::is_live(&link) {
        return;
    }
    if seen.insert(link.clone()) {
        queue.push_back(link);
    }
}
