//! The addresses Zola, Hugo and Jekyll gave the lists and feeds Quire
//! spells its own way (`/categories/<c>/`, jekyll-archives' `/tag/<t>/`,
//! Hugo's `/index.xml`), read both ways: which of Quire's lists an old
//! address names ([`other_engines_list`], for `serve`'s redirects), and
//! which old addresses a list of Quire's had ([`other_engines_spellings`],
//! for a static export's redirect pages, where no host reads rules).
//!
//! Why a module of its own: the two directions are one table, kept side
//! by side so that a spelling one knows the other knows (a test walks
//! every spelling back).

use super::{CATEGORIES, TAGS};

/// A feed address another engine published, which a migrated site's
/// subscribers' readers still poll: [`other_engines_feed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtherFeed<'a> {
    /// `/feed.xml`: jekyll-feed's, and Zola's when `feed_filenames` names
    /// it (the Rust blog's). Quire's [`ATOM`](super::ATOM).
    Atom,
    /// `/index.xml`: Hugo's. Quire's [`RSS`](super::RSS).
    Rss,
    /// `<list>/feed.xml` or `<list>/index.xml`: the feed of a section
    /// (`/posts`), a tag (`/tags/go`) or a category (Hugo's
    /// `/categories/go`), each Quire's Atom feed of that list.
    Of(&'a str),
}

/// Which feed `path` (decoded) was on Zola, Hugo or Jekyll, if it was one.
pub fn other_engines_feed(path: &str) -> Option<OtherFeed<'_>> {
    let (list, file) = path.rsplit_once('/')?;
    let atom = match file {
        "feed.xml" => true,
        "index.xml" => false,
        _ => return None,
    };
    Some(match (list, atom) {
        ("", true) => OtherFeed::Atom,
        ("", false) => OtherFeed::Rss,
        _ => OtherFeed::Of(list),
    })
}

/// A list address another engine published that Quire spells its own
/// way: [`other_engines_list`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtherList<'a> {
    /// `/categories` (Zola's and Hugo's): Quire's [`CATEGORIES`].
    Categories,
    /// The page of one of the site's other taxonomies (`/theme-tags`),
    /// whose terms are tags: Quire's [`TAGS`].
    Tags,
    /// A tag's page (`/tags/<t>`, jekyll-archives' `/tag/<t>`, a term of
    /// one of the site's other taxonomies: `/theme-tags/<t>`), as the
    /// tag was written or slugified by that engine (Hugo keeps dots:
    /// `/tags/1.0`), and its page number (1 for the first).
    Tag(&'a str, u32),
    /// A category's page: `/categories/<c>` (Zola's, Hugo's) or
    /// `/category/<c>` (jekyll-archives').
    Category(&'a str, u32),
    /// An author's page as an `authors` taxonomy spelled it (`/authors/<a>`).
    Author(&'a str, u32),
    /// Page N of the index as jekyll-paginate writes it (`/page2`).
    Index(u32),
}

/// Which list page `path` (decoded, without a trailing slash) was on
/// Zola, Hugo or Jekyll, if it names one; `taxonomies` are the site's
/// other ones (quire.toml's `taxonomies`), whose terms are tags.
pub fn other_engines_list<'a>(path: &'a str, taxonomies: &[String]) -> Option<OtherList<'a>> {
    if path == "/categories" {
        return Some(OtherList::Categories);
    }
    let other = |name: &str| taxonomies.iter().any(|t| t == name);
    if path.strip_prefix('/').is_some_and(other) {
        return Some(OtherList::Tags);
    }
    if let Some(n) = path.strip_prefix("/page").and_then(page_number) {
        return (n >= 2).then_some(OtherList::Index(n));
    }
    let (list, page) = match path.rsplit_once("/page/") {
        Some((list, n)) => (list, page_number(n).filter(|n| *n >= 1)?),
        None => (path, 1),
    };
    let (kind, term) = list.strip_prefix('/')?.split_once('/')?;
    if term.is_empty() || term.contains('/') {
        return None;
    }
    match kind {
        "tags" | "tag" => Some(OtherList::Tag(term, page)),
        "categories" | "category" => Some(OtherList::Category(term, page)),
        "authors" => Some(OtherList::Author(term, page)),
        kind if other(kind) => Some(OtherList::Tag(term, page)),
        _ => None,
    }
}

/// The addresses other engines gave the list Quire serves at `path` (its
/// own spelling as requested, without a trailing slash): Zola's and
/// Hugo's `/categories/<c>` and jekyll-archives' `/category/<c>` (also
/// for a tag: a post's second category is one), jekyll-archives' `/tag/<t>`, the site's other `taxonomies`'
/// `/<taxonomy>/<t>`, jekyll-paginate's `/page2`, page numbers kept.
/// [`other_engines_list`] leads each back to `path`'s list. Only the
/// default language's lists have them (as `serve` redirects only those).
pub fn other_engines_spellings(path: &str, taxonomies: &[String]) -> Vec<String> {
    if path == CATEGORIES {
        return vec!["/categories".to_string()];
    }
    if path == TAGS {
        return taxonomies.iter().map(|t| format!("/{t}")).collect();
    }
    if let Some(n) = path.strip_prefix("/page/").and_then(page_number) {
        return (n >= 2).then(|| format!("/page{n}")).into_iter().collect();
    }
    let Some((kind, rest)) = path.strip_prefix('/').and_then(|p| p.split_once('/')) else {
        return Vec::new();
    };
    term_spellings(kind, rest, taxonomies)
}

/// [`other_engines_spellings`] of a term's list: `kind` (`tags`,
/// `category`) and `rest`, the term and any `/page/<n>`.
fn term_spellings(kind: &str, rest: &str, taxonomies: &[String]) -> Vec<String> {
    let (term, page) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let numbered = page.is_empty() || page.strip_prefix("/page/").and_then(page_number).is_some();
    if term.is_empty() || !numbered {
        return Vec::new();
    }
    let kinds: Vec<&str> = match kind {
        "tags" => ["tag", "categories", "category"]
            .into_iter()
            .chain(taxonomies.iter().map(String::as_str))
            .collect(),
        "category" => vec!["categories"],
        _ => Vec::new(),
    };
    kinds
        .into_iter()
        .map(|k| format!("/{k}/{term}{page}"))
        .collect()
}

/// A page number written in digits alone (`u32`'s parser also takes `+2`).
fn page_number(text: &str) -> Option<u32> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| text.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_engines_lists_are_named() {
        assert_eq!(
            other_engines_list("/categories", &[]),
            Some(OtherList::Categories)
        );
        assert_eq!(
            other_engines_list("/tags/0.9.10", &[]),
            Some(OtherList::Tag("0.9.10", 1))
        );
        assert_eq!(
            other_engines_list("/tag/Go", &[]),
            Some(OtherList::Tag("Go", 1))
        );
        assert_eq!(
            other_engines_list("/categories/Web Dev/page/3", &[]),
            Some(OtherList::Category("Web Dev", 3))
        );
        assert_eq!(
            other_engines_list("/category/x", &[]),
            Some(OtherList::Category("x", 1))
        );
        assert_eq!(other_engines_list("/page2", &[]), Some(OtherList::Index(2)));
        let theirs = ["theme-tags".to_string()];
        let list = |path| other_engines_list(path, &theirs);
        assert_eq!(list("/theme-tags"), Some(OtherList::Tags));
        assert_eq!(list("/theme-tags/Blog"), Some(OtherList::Tag("Blog", 1)));
        assert_eq!(
            list("/theme-tags/blog/page/2"),
            Some(OtherList::Tag("blog", 2))
        );
        assert_eq!(
            other_engines_list("/theme-tags/blog", &[]),
            None,
            "not declared"
        );
        assert_eq!(list("/theme-tagsx"), None);
        for none in [
            "/tags",
            "/tags/",
            "/tags/a/b",
            "/tags/a/page/x",
            "/tags/a/page/0",
            "/tags/a/page/+2",
            "/blog/a",
            "/page1",
            "/page+2",
            "/pages",
        ] {
            assert_eq!(other_engines_list(none, &[]), None, "{none}");
        }
    }

    #[test]
    fn other_engines_feeds_are_named() {
        assert_eq!(other_engines_feed("/feed.xml"), Some(OtherFeed::Atom));
        assert_eq!(other_engines_feed("/index.xml"), Some(OtherFeed::Rss));
        assert_eq!(
            other_engines_feed("/posts/index.xml"),
            Some(OtherFeed::Of("/posts"))
        );
        assert_eq!(
            other_engines_feed("/tags/go/feed.xml"),
            Some(OtherFeed::Of("/tags/go"))
        );
        for other in ["/atom.xml", "/feed.xml/x", "/blog/x", "/"] {
            assert_eq!(other_engines_feed(other), None, "{other}");
        }
    }

    #[test]
    fn each_list_s_old_spellings_lead_back_to_it() {
        let theirs = ["theme-tags".to_string()];
        let spelled = |path| other_engines_spellings(path, &theirs);
        assert_eq!(spelled("/category"), ["/categories"]);
        assert_eq!(spelled("/tags"), ["/theme-tags"]);
        assert_eq!(spelled("/page/3"), ["/page3"]);
        assert_eq!(
            spelled("/tags/go/page/2"),
            [
                "/tag/go/page/2",
                "/categories/go/page/2",
                "/category/go/page/2",
                "/theme-tags/go/page/2"
            ]
        );
        assert_eq!(spelled("/category/web/page/2"), ["/categories/web/page/2"]);
        for none in [
            "/",
            "/page/1",
            "/authors/ada",
            "/fr/tags/go",
            "/tags/go/x",
            "/tags/",
            "/blog/a",
        ] {
            assert_eq!(spelled(none), Vec::<String>::new(), "{none}");
        }
        for (own, list) in [
            ("/category", OtherList::Categories),
            ("/tags", OtherList::Tags),
            ("/page/3", OtherList::Index(3)),
            ("/tags/go", OtherList::Tag("go", 1)),
            ("/tags/go/page/2", OtherList::Tag("go", 2)),
            ("/category/web", OtherList::Category("web", 1)),
            ("/category/web/page/4", OtherList::Category("web", 4)),
        ] {
            for old in spelled(own) {
                let back = other_engines_list(&old, &theirs);
                // A tag's `/categories/<t>` is a category's spelling, which
                // `serve` leads to the tag when no category has that name.
                let tag_as_category = matches!((list, back), (OtherList::Tag(t, n), Some(OtherList::Category(c, m))) if t == c && n == m);
                assert!(
                    back == Some(list) || tag_as_category,
                    "{own}: {old} reads as {back:?}"
                );
            }
        }
    }
}
