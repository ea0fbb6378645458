//! How crawlers find the site: `/sitemap.xml` (the index, every visible
//! post with its last change, every category and tag page) and
//! `/robots.txt` (which names the sitemap). Both use absolute URLs from
//! `base_url`; building them is pure ([`sitemap`], [`robots`]).

use std::collections::HashMap;

use axum::Router;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::Site;
use super::responses::AppError;
use crate::content::escape::escape_markup;
use crate::model::{Date, slugify};
use crate::store::Listing;
use crate::urls;
use axum::extract::State;
use std::sync::Arc;

pub const SITEMAP_TYPE: &str = "application/xml; charset=utf-8";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// The discovery routes, merged into the application router.
pub fn routes(site: Arc<Site>) -> Router {
    Router::new()
        .route(urls::SITEMAP, get(sitemap_handler))
        .route(urls::ROBOTS, get(robots_handler))
        .with_state(site)
}

/// The last change of a post: `updated` when later than `date`.
fn lastmod(listing: &Listing) -> Date {
    let summary = &listing.summary;
    summary
        .updated
        .map_or(summary.date, |updated| updated.max(summary.date))
}

/// The sitemap of the visible posts (newest first, as the catalog holds
/// them), their categories and tags, and the standalone pages and sections.
pub fn sitemap(base_url: &str, listings: &[Listing], pages: &[Listing]) -> String {
    let newest = listings.iter().map(lastmod).max();
    let mut entries: Vec<(String, Option<Date>)> = Vec::with_capacity(listings.len() + 1);
    entries.push(("/".to_string(), newest));
    // Category, tag and author pages, each with the newest change among its posts.
    let mut sections: Vec<(String, Option<Date>)> = Vec::new();
    let mut section_at: HashMap<String, usize> = HashMap::new();
    for listing in listings {
        let modified = lastmod(listing);
        let summary = &listing.summary;
        entries.push((summary.url.clone(), Some(modified)));
        let category = urls::category(&slugify(&summary.category));
        let tags = summary.tags.iter().map(|tag| urls::tag(tag));
        let authors = listing
            .authors
            .iter()
            .map(|id| slugify(id))
            .filter(|slug| !slug.is_empty())
            .map(|slug| urls::author(&slug));
        for path in std::iter::once(category).chain(tags).chain(authors) {
            match section_at.get(&path) {
                Some(&i) => sections[i].1 = sections[i].1.max(Some(modified)),
                None => {
                    section_at.insert(path.clone(), sections.len());
                    sections.push((path, Some(modified)));
                }
            }
        }
    }
    entries.extend(sections);
    let dated = |l: &Listing| Some(lastmod(l)).filter(|d| *d != crate::content::UNDATED);
    let pages = pages.iter().filter(|l| l.summary.url != "/");
    entries.extend(pages.map(|l| (l.summary.url.clone(), dated(l))));
    let mut xml =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{SITEMAP_NS}\">\n");
    for (path, modified) in &entries {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape_markup(&format!("{base_url}{path}")));
        xml.push_str("</loc>");
        if let Some(modified) = modified {
            // `YYYY-MM-DD`: nothing in it to escape.
            xml.push_str(&format!("<lastmod>{modified}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt`: everything may be crawled but the API; the sitemap's address.
pub fn robots(base_url: &str) -> String {
    format!("User-agent: *\nAllow: /\nDisallow: /api/\n\nSitemap: {base_url}/sitemap.xml\n")
}

async fn sitemap_handler(
    State(site): State<Arc<Site>>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let snapshot = site
        .blog
        .snapshot()
        .map_err(|e| AppError::store(urls::SITEMAP, &e))?;
    let base_url = &site.config_for(&headers).base_url;
    let body = sitemap(base_url, &snapshot.listings, &snapshot.pages);
    Ok(([(header::CONTENT_TYPE, SITEMAP_TYPE)], body).into_response())
}

async fn robots_handler(State(site): State<Arc<Site>>, headers: HeaderMap) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        robots(&site.config_for(&headers).base_url),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PostSummary;

    fn listing(
        slug: &str,
        date: &str,
        updated: Option<&str>,
        category: &str,
        tags: &[&str],
    ) -> Listing {
        Listing::public(PostSummary {
            slug: slug.into(),
            url: urls::post(slug),
            title: format!("<{slug}> & \"co\" 🦀"),
            date: date.parse().unwrap(),
            updated: updated.map(|day| day.parse().unwrap()),
            category: category.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            description: String::new(),
            reading_minutes: 1,
            authors: Vec::new(),
        })
    }

    #[test]
    fn the_sitemap_lists_index_posts_categories_and_tags_with_lastmod() {
        let listings = [
            listing("newer", "2026-03-01", None, "Web Dev", &["rust"]),
            listing(
                "older",
                "2026-01-01",
                Some("2026-04-01"),
                "Web Dev",
                &["rust", "go"],
            ),
            listing("café", "2025-01-01", None, "Ops", &[]),
        ];
        let xml = sitemap("https://ex.org", &listings, &[]);
        let has = |loc: &str, lastmod: &str| {
            xml.contains(&format!(
                "<url><loc>{loc}</loc><lastmod>{lastmod}</lastmod></url>"
            ))
        };
        assert!(has("https://ex.org/", "2026-04-01"), "{xml}");
        assert!(has("https://ex.org/blog/newer", "2026-03-01"), "{xml}");
        assert!(has("https://ex.org/blog/older", "2026-04-01"), "{xml}");
        assert!(has("https://ex.org/blog/caf%C3%A9", "2025-01-01"), "{xml}");
        assert!(
            has("https://ex.org/category/web-dev", "2026-04-01"),
            "{xml}"
        );
        assert!(has("https://ex.org/category/ops", "2025-01-01"), "{xml}");
        assert!(has("https://ex.org/tags/rust", "2026-04-01"), "{xml}");
        assert!(has("https://ex.org/tags/go", "2026-04-01"), "{xml}");
        assert_eq!(xml.matches("<url>").count(), 8, "each page once: {xml}");
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    }

    #[test]
    fn the_sitemap_lists_author_pages() {
        let mut by_alice = listing("a", "2026-02-01", None, "C", &[]);
        by_alice.authors = vec!["Alice".into(), "Bob Stone".into()];
        let mut by_bob = listing("b", "2026-03-01", None, "C", &[]);
        by_bob.authors = vec!["bob stone".into()];
        let xml = sitemap("https://ex.org", &[by_bob, by_alice], &[]);
        assert!(
            xml.contains("<loc>https://ex.org/authors/alice</loc><lastmod>2026-02-01</lastmod>"),
            "{xml}"
        );
        assert!(
            xml.contains(
                "<loc>https://ex.org/authors/bob-stone</loc><lastmod>2026-03-01</lastmod>"
            ),
            "{xml}"
        );
        assert_eq!(xml.matches("/authors/bob-stone<").count(), 1, "{xml}");
    }

    #[test]
    fn sitemap_urls_are_escaped() {
        let xml = sitemap(
            "https://ex.org/a&b",
            &[listing("x", "2026-01-01", None, "C", &[])],
            &[],
        );
        assert!(
            xml.contains("<loc>https://ex.org/a&amp;b/blog/x</loc>"),
            "{xml}"
        );
        assert!(!xml.contains("a&b"), "{xml}");
    }

    #[test]
    fn an_empty_site_still_has_its_index() {
        let xml = sitemap("https://ex.org", &[], &[]);
        assert!(
            xml.contains("<url><loc>https://ex.org/</loc></url>"),
            "{xml}"
        );
    }

    #[test]
    fn robots_names_the_sitemap() {
        assert!(robots("https://ex.org").contains("\nSitemap: https://ex.org/sitemap.xml\n"));
    }
}
