//! Links that filter by several facets at once, on a static host, which
//! cannot: each becomes the one facet it adds to its page's own.
//!
//! On a page filtered by one facet, a card's tag and the other chips link
//! to the page's filter with one more facet (`/?tag=llm&tag=redis` on the
//! `llm` page). A server answers that; a static host ignores the query
//! string and answers the plain index, so the reader who asked for fewer
//! posts got every post. The export has a page for every one-facet filter
//! (`filtered`), so such a link points there instead: to the facet the
//! reader clicked (`/?tag=redis`), whose page says what it shows.
//!
//! Which facet was clicked is the link's facet that the page's own filter
//! lacks; the page's filter is its canonical link's query. A link that
//! adds more than one facet, or none, is left as it was.
//!
//! Why a module of its own: the one difference between an exported page
//! and `serve`'s besides `--relative`, which only a server can answer.
//! `tests/export.rs` compares every page with `serve`'s through
//! [`page`].

use std::cell::RefCell;

use lol_html::{HtmlRewriter, Settings, element};

use crate::web::Filter;

/// `html` with its several-facet filter links narrowed; `None` when it has
/// none (most pages), so the page is not parsed again.
pub fn page(html: &[u8]) -> Option<Vec<u8>> {
    let has = |marker: &[u8]| memchr::memmem::find(html, marker).is_some();
    if !has(b"&#38;tag=") && !has(b"&amp;tag=") {
        return None;
    }
    let own = RefCell::new(Filter::default());
    let mut out = Vec::with_capacity(html.len());
    let result = {
        let settings = Settings::new()
            .append_element_content_handler(element!("link[rel=canonical][href]", |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                *own.borrow_mut() = Filter::parse(query_of(&href).unwrap_or_default());
                Ok(())
            }))
            .append_element_content_handler(element!("a[href]", |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                if let Some(narrowed) = narrowed(&href, &own.borrow()) {
                    el.set_attribute("href", &narrowed)?;
                }
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| out.extend_from_slice(chunk));
        rewriter.write(html).and_then(|()| rewriter.end())
    };
    // A page lol_html cannot read is written as it was.
    result.ok().map(|()| out)
}

/// A root-relative index link `href` (as written in HTML) filtering by
/// several facets, as the one-facet filter it adds to `own`.
fn narrowed(href: &str, own: &Filter) -> Option<String> {
    let href = href.replace("&#38;", "&").replace("&amp;", "&");
    let (path, query) = href.split_once('?')?;
    if !path.starts_with('/') || path.starts_with("//") || query.contains('#') {
        return None;
    }
    let link = Filter::parse(query);
    if link.tags.len() + usize::from(link.category.is_some()) < 2 {
        return None;
    }
    let one = added(own, &link)?;
    let narrowed = format!("{path}?{one}");
    super::filtered::file_for(&narrowed).map(|_| narrowed)
}

/// Each one-facet link a several-facet `link` can be narrowed to, on
/// whatever page it is (`/?tag=a&tag=b` → `/?tag=a`, `/?tag=b`): the crawl
/// asks them all, so the page a narrowed link names is exported.
pub fn facets_of(link: &str) -> Vec<String> {
    let Some((path, query)) = link.split_once('?') else {
        return Vec::new();
    };
    let filter = Filter::parse(query);
    let category = filter.category.iter().map(|c| format!("category={c}"));
    let tags = filter.tags.iter().map(|t| format!("tag={t}"));
    category
        .chain(tags)
        .map(|one| format!("{path}?{one}"))
        .collect()
}

/// The one facet `link` has and `own` lacks; `None` for none or several.
fn added(own: &Filter, link: &Filter) -> Option<Filter> {
    let category = link
        .category
        .as_ref()
        .filter(|c| own.category.as_ref() != Some(*c));
    let tags: Vec<&String> = link.tags.iter().filter(|t| !own.tags.contains(t)).collect();
    match (category, tags.as_slice()) {
        (Some(category), []) => Some(Filter {
            category: Some(category.clone()),
            tags: Vec::new(),
        }),
        (None, [tag]) => Some(Filter {
            category: None,
            tags: vec![(*tag).clone()],
        }),
        _ => None,
    }
}

/// The query of a link or absolute URL (`https://x/?tag=a` → `tag=a`).
fn query_of(href: &str) -> Option<&str> {
    href.split_once('?').map(|(_, query)| query)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_of(canonical: &str, links: &[&str]) -> String {
        let anchors: String = links
            .iter()
            .map(|l| format!(r#"<a href="{l}">x</a>"#))
            .collect();
        format!(
            r#"<html><head><link rel="canonical" href="{canonical}"></head><body>{anchors}</body></html>"#
        )
    }

    fn hrefs(html: &[u8]) -> Vec<String> {
        let html = String::from_utf8(html.to_vec()).unwrap();
        html.split(r#"<a href=""#)
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().to_string())
            .collect()
    }

    #[test]
    fn a_link_adding_a_facet_goes_to_that_facet_alone() {
        let html = page_of(
            "https://example.com/?tag=llm",
            &[
                "/?tag=llm&#38;tag=redis",
                "/?category=rust&amp;tag=llm",
                "/fr?tag=llm&#38;tag=pain",
                "/?tag=redis",
                "/blog/x",
            ],
        );
        let out = page(html.as_bytes()).expect("the page has several-facet links");
        assert_eq!(
            hrefs(&out),
            [
                "/?tag=redis",
                "/?category=rust",
                "/fr?tag=pain",
                "/?tag=redis",
                "/blog/x"
            ]
        );
    }

    #[test]
    fn a_category_page_s_tag_links_and_a_link_adding_two_facets() {
        let html = page_of(
            "https://example.com/page/3?category=databases",
            &[
                "/?category=databases&#38;tag=sqlite",
                "/?category=rust&#38;tag=wasm",
            ],
        );
        let out = page(html.as_bytes()).unwrap();
        // The second adds two facets (another category and a tag): which
        // one the reader meant is not known, so it stays.
        assert_eq!(
            hrefs(&out),
            ["/?tag=sqlite", "/?category=rust&#38;tag=wasm"]
        );
    }

    #[test]
    fn the_crawl_asks_each_facet_of_a_several_facet_link() {
        assert_eq!(
            facets_of("/fr?category=x&tag=b&tag=a"),
            ["/fr?category=x", "/fr?tag=a", "/fr?tag=b"]
        );
        assert!(facets_of("/blog/x").is_empty());
    }

    #[test]
    fn pages_without_such_links_are_not_parsed() {
        let html = page_of("https://example.com/", &["/?tag=a", "/?category=b"]);
        assert_eq!(page(html.as_bytes()), None);
    }
}
