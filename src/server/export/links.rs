//! The site addresses one exported page points at: every `href`, `src`
//! and `srcset` of its HTML, made root-relative, so the export follows
//! the page's own links (pagination, facets, bundle files, image copies,
//! assets) and never misses one a reader could click.
//!
//! Why a module of its own: it is the one reading of a page's links,
//! shared by the crawl that decides what to write and by `tests/export.rs`,
//! which checks that every link of every page has its file.

use lol_html::{HtmlRewriter, Settings, element};

/// The root-relative targets of `html`'s links (fragment dropped), in
/// page order; links to other origins and `mailto:`, `data:`… are left out.
/// A link written as an absolute URL under `base_url` counts as its path;
/// one relative to the page at `page` (an author's `using-x/`, left as
/// written) as the path a browser resolves it to, so the export has a
/// file (or a redirect page) for it too.
pub fn internal_links(html: &[u8], base_url: &str, page: &str) -> Vec<String> {
    let mut raw: Vec<String> = Vec::new();
    {
        let mut rewriter = HtmlRewriter::new(
            Settings::new().append_element_content_handler(element!(
                "[href], [src], [srcset]",
                |el| {
                    for name in ["href", "src"] {
                        if let Some(value) = el.get_attribute(name) {
                            raw.push(value);
                        }
                    }
                    if let Some(srcset) = el.get_attribute("srcset") {
                        raw.extend(srcset_urls(&srcset));
                    }
                    Ok(())
                }
            )),
            |_: &[u8]| {},
        );
        // A malformed page still yields the links read before the fault.
        let _ = rewriter.write(html);
        let _ = rewriter.end();
    }
    raw.iter()
        .filter_map(|link| site_path(link, base_url).or_else(|| against(page, link)))
        .collect()
}

/// A relative `link` (no scheme, no leading `/`) resolved against the
/// page at `page`, as a browser resolves it: from the page's folder, so
/// `b/` on `/docs/a` is `/docs/b/`.
fn against(page: &str, link: &str) -> Option<String> {
    let link = link.trim();
    let link = link.split_once('#').map_or(link, |(before, _)| before);
    let scheme = link.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if link.is_empty() || scheme || link.starts_with(['/', '?', '\\']) {
        return None;
    }
    let page = page.split_once('?').map_or(page, |(path, _)| path);
    let folder = &page[..page.rfind('/')? + 1];
    Some(without_dot_segments(&format!("{folder}{link}")))
}

/// The URLs of a `srcset` (`a.webp 480w, b.webp 960w`).
fn srcset_urls(srcset: &str) -> impl Iterator<Item = String> + '_ {
    srcset
        .split(',')
        .filter_map(|candidate| candidate.split_whitespace().next())
        .map(str::to_string)
}

/// `link` as a path of this site (`/a/b?q`), without its fragment; `None`
/// for another origin, another scheme or a relative link.
pub fn site_path(link: &str, base_url: &str) -> Option<String> {
    let link = link.trim();
    let link = link.split_once('#').map_or(link, |(before, _)| before);
    let base = base_url.trim_end_matches('/');
    let path = match link.strip_prefix(base) {
        Some(rest) if !base.is_empty() && (rest.is_empty() || rest.starts_with(['/', '?'])) => rest,
        _ => link,
    };
    if path.is_empty() && link.len() > base.len() {
        return None;
    }
    let path = if path.is_empty() { "/" } else { path };
    let path = if let Some(query) = path.strip_prefix('?') {
        return Some(format!("/?{query}"));
    } else {
        path
    };
    (path.starts_with('/') && !path.starts_with("//")).then(|| without_dot_segments(path))
}

/// `path` with `.` and `..` segments resolved as a browser resolves them
/// (`/./assets/x.js` is `/assets/x.js`); the query is kept as it is.
fn without_dot_segments(path: &str) -> String {
    let (path, query) = match path.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path, None),
    };
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path[1..].split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.into_iter().enumerate() {
        if segment == ".." {
            out.pop();
        }
        if segment != "." && segment != ".." {
            out.push(segment);
        } else if i == last {
            out.push("");
        }
    }
    let resolved = format!("/{}", out.join("/"));
    match query {
        Some(query) => format!("{resolved}?{query}"),
        None => resolved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_href_src_and_srcset_as_site_paths() {
        let html = br#"<a href="/blog/a#top">a</a><img src="/blog/a/x.png" srcset="/blog/a/_img/h-480.webp 480w, /blog/a/_img/h-960.webp 960w">
<a href="https://elsewhere.example/x">x</a><a href="mailto:a@b">m</a>
<link rel="canonical" href="https://blog.example/blog/a"><a href="https://blog.example">home</a>"#;
        assert_eq!(
            internal_links(html, "https://blog.example", "/blog/a"),
            [
                "/blog/a",
                "/blog/a/x.png",
                "/blog/a/_img/h-480.webp",
                "/blog/a/_img/h-960.webp",
                "/blog/a",
                "/",
            ]
        );
    }

    #[test]
    fn relative_links_are_resolved_against_the_page_as_a_browser_does() {
        let html = br##"<a href="using-x/">a</a><a href="../y#top">b</a><a href="./z.png">c</a>
<a href="mailto:a@b">m</a><a href="#top">t</a><a href="tel:123">p</a><a href="javascript:void(0)">j</a>"##;
        assert_eq!(
            internal_links(html, "https://blog.example", "/docs/tasks/a"),
            ["/docs/tasks/using-x/", "/docs/y", "/docs/tasks/z.png", "/"]
        );
        assert_eq!(internal_links(br#"<a href="b">b</a>"#, "", "/"), ["/b"]);
    }

    #[test]
    fn other_hosts_sharing_a_prefix_are_not_this_site() {
        assert_eq!(
            site_path("https://blog.example.org/x", "https://blog.example"),
            None
        );
        assert_eq!(site_path("//cdn.example/x", "https://blog.example"), None);
        assert_eq!(site_path("relative/x", "https://blog.example"), None);
        assert_eq!(
            site_path("/./assets/a.js", "").as_deref(),
            Some("/assets/a.js")
        );
        assert_eq!(site_path("/a/b/../c", "").as_deref(), Some("/a/c"));
        assert_eq!(
            site_path("/?category=a", "https://blog.example").as_deref(),
            Some("/?category=a")
        );
    }
}
