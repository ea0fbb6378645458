//! What a migrated blog's readers, search engines and feed readers still
//! ask for though no page of the site links to it: the addresses its
//! lists and feeds had on the engine it came from. `serve` answers each
//! with one 301 (`server::redirects`); a host without redirect rules
//! (GitHub Pages, an object store, `file://`) needs a file there, so the
//! crawl asks for them too: a list's old address becomes a redirect page,
//! a feed's a copy of the feed it moved to (feed readers follow a 301,
//! not a page's refresh).
//!
//! Why a module of its own: which old addresses are worth asking for, and
//! which of their answers are kept, is decided here once; the crawl only
//! asks.

use axum::http::StatusCode;

use super::crawl::Fetched;
use super::links::site_path;
use crate::server::config::SiteConfig;
use crate::server::redirects::percent_decode;
use crate::urls;

/// The old addresses asked after each list page: its own address with a
/// trailing slash (`/tags/go/`, Zola's and Hugo's spelling) and the other
/// engines' spellings of it ([`urls::other_engines_spellings`]:
/// `/categories/go/`, `/tag/go/`), each with its slash; after the index,
/// Hugo's `/index.xml` and jekyll-feed's `/feed.xml`; after a section's
/// page, Hugo's `<section>/index.xml` and the `<section>/feed.xml` of a
/// Zola site whose `feed_filenames` name it (the Rust blog's). Only for a
/// site whose addresses are another engine's
/// ([`kept_from_another_engine`]); a site born in Quire has no such
/// readers.
pub struct Spellings {
    taxonomies: Vec<String>,
}

impl Spellings {
    pub fn of(config: &SiteConfig) -> Option<Self> {
        let taxonomies = config.taxonomies.clone();
        kept_from_another_engine(config).then_some(Self { taxonomies })
    }

    /// The old addresses of `answer`'s page, when it is the index or a list.
    pub fn of_answer(&self, answer: &Fetched) -> Vec<String> {
        let path = answer.path.as_str();
        let page = answer.status == StatusCode::OK && answer.is_html() && !answer.guessed;
        let last = path.rsplit('/').next().unwrap_or_default();
        if !page || last.contains(['.', '?']) {
            return Vec::new();
        }
        if path == "/" {
            return vec!["/index.xml".to_string(), "/feed.xml".to_string()];
        }
        if last.is_empty() {
            return Vec::new();
        }
        let others = urls::other_engines_spellings(path, &self.taxonomies);
        let slashed = std::iter::once(path.to_string()).chain(others);
        let mut old: Vec<String> = slashed.map(|s| format!("{s}/")).collect();
        if is_section(path) {
            old.extend(["index.xml", "feed.xml"].map(|f| format!("{path}/{f}")));
        }
        old
    }
}

/// Whether the settings keep another engine's addresses: `trailing_slash`,
/// a `permalink` or `[[permalinks]]` of the site's own, other
/// `taxonomies` (what `bench/migrate.py` writes for a Zola, Hugo or
/// Jekyll blog: Jekyll's `/:year/:month/:day/:title.html` has no slash,
/// and its jekyll-archives lists are at `/tag/<t>/`).
fn kept_from_another_engine(config: &SiteConfig) -> bool {
    let default = SiteConfig::default();
    config.trailing_slash
        || config.permalink != default.permalink
        || !config.permalinks.is_empty()
        || !config.taxonomies.is_empty()
}

/// Whether the list at `path` is a section's first page (not the tags',
/// categories', authors' or the index's, which have lists of their own).
fn is_section(path: &str) -> bool {
    let own = [
        urls::TAGS,
        urls::CATEGORIES,
        urls::AUTHORS,
        "/page",
        urls::SEARCH,
    ];
    let first = path.split('/').nth(1).map(|s| format!("/{s}"));
    !path.contains("/page/") && !first.is_some_and(|f| own.contains(&f.as_str()))
}

/// Whether a guessed address's answer is kept: a redirect (a page is
/// written there) or a feed copied to an old feed address ([`copy`]);
/// anything else (a 404: the old engine had no such list) is dropped.
pub fn answers_for(answer: &Fetched) -> bool {
    answer.status.is_redirection() || is_old_feed(&answer.path) && answer.status == StatusCode::OK
}

fn is_old_feed(path: &str) -> bool {
    percent_decode(path).is_some_and(|p| urls::other_engines_feed(&p).is_some())
}

/// Where an old feed address (`/index.xml`, `/posts/feed.xml`) moved,
/// when `answer` is `serve`'s 301 for one.
pub fn feed_moved_to(answer: &Fetched, base_url: &str) -> Option<String> {
    let moved = answer.status.is_redirection() && is_old_feed(&answer.path);
    let location = answer.location.as_deref().filter(|_| moved)?;
    site_path(location, base_url)
}

/// `answer` (a 301 from an old feed address) made the copy of `feed`, the
/// answer where it led, when that is a feed; else `answer` as it was.
pub fn copy(answer: Fetched, feed: Fetched) -> Fetched {
    if feed.status != StatusCode::OK {
        return answer;
    }
    Fetched {
        path: answer.path,
        guessed: answer.guessed,
        location: None,
        ..feed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str) -> Fetched {
        Fetched {
            path: path.to_string(),
            status: StatusCode::OK,
            content_type: "text/html; charset=utf-8".to_string(),
            location: None,
            body: Vec::new(),
            guessed: false,
        }
    }

    #[test]
    fn lists_sections_and_the_index_have_old_addresses() {
        let old = Spellings {
            taxonomies: vec!["series".into()],
        };
        assert_eq!(old.of_answer(&page("/")), ["/index.xml", "/feed.xml"]);
        assert_eq!(
            old.of_answer(&page("/posts")),
            ["/posts/", "/posts/index.xml", "/posts/feed.xml"]
        );
        assert_eq!(old.of_answer(&page("/posts/page/2")), ["/posts/page/2/"]);
        assert_eq!(
            old.of_answer(&page("/tags/go")),
            [
                "/tags/go/",
                "/tag/go/",
                "/categories/go/",
                "/category/go/",
                "/series/go/"
            ]
        );
        assert_eq!(old.of_answer(&page("/search")), ["/search/"]);
        for none in ["/blog/a/", "/atom.xml", "/404.html"] {
            assert_eq!(old.of_answer(&page(none)), Vec::<String>::new(), "{none}");
        }
        let guessed = Fetched {
            guessed: true,
            ..page("/tags/go")
        };
        assert_eq!(old.of_answer(&guessed), Vec::<String>::new());
    }
}
