//! Unit tests of the sitemap documents: what is listed, how it is split.

use super::*;
use crate::model::PostSummary;
use crate::urls::languages::Languages;

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

/// Every file of the sitemap, concatenated.
fn all(base: &str, listings: &[Listing], pages: &[Listing]) -> String {
    let sitemap = split(
        base,
        entries(listings.iter().cloned(), pages, &Languages::default()),
        MAX_URLS,
        Alternates::new(),
    );
    let files = 1..=sitemap.parts().len();
    files.map(|n| sitemap.urlset(n).unwrap()).collect()
}

#[test]
fn the_sitemap_lists_index_posts_categories_and_tags_and_their_lists_with_lastmod() {
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
    let xml = all("https://ex.org", &listings, &[]);
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
    assert!(has("https://ex.org/category", "2026-04-01"), "{xml}");
    assert!(has("https://ex.org/tags", "2026-04-01"), "{xml}");
    assert_eq!(xml.matches("<url>").count(), 10, "each page once: {xml}");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">"));
}

#[test]
fn the_sitemap_lists_author_pages() {
    let mut by_alice = listing("a", "2026-02-01", None, "C", &[]);
    by_alice.authors = vec!["Alice".into(), "Bob Stone".into()];
    let mut by_bob = listing("b", "2026-03-01", None, "C", &[]);
    by_bob.authors = vec!["bob stone".into()];
    let xml = all("https://ex.org", &[by_bob, by_alice], &[]);
    assert!(
        xml.contains("<loc>https://ex.org/authors/alice</loc><lastmod>2026-02-01</lastmod>"),
        "{xml}"
    );
    assert!(
        xml.contains("<loc>https://ex.org/authors/bob-stone</loc><lastmod>2026-03-01</lastmod>"),
        "{xml}"
    );
    assert_eq!(xml.matches("/authors/bob-stone<").count(), 1, "{xml}");
}

#[test]
fn sitemap_urls_are_escaped() {
    let listings = [listing("x", "2026-01-01", None, "C", &[])];
    let xml = all("https://ex.org/a&b", &listings, &[]);
    assert!(
        xml.contains("<loc>https://ex.org/a&amp;b/blog/x</loc>"),
        "{xml}"
    );
    assert!(!xml.contains("a&b"), "{xml}");
    let index = split("https://ex.org/a&b", Vec::new(), 10, Alternates::new()).index();
    assert!(
        index.contains("<loc>https://ex.org/a&amp;b/sitemaps/1.xml</loc>"),
        "{index}"
    );
}

#[test]
fn an_empty_site_still_has_its_index() {
    let xml = all("https://ex.org", &[], &[]);
    assert!(
        xml.contains("<url><loc>https://ex.org/</loc></url>"),
        "{xml}"
    );
    let sitemap = split(
        "https://ex.org",
        entries(std::iter::empty(), &[], &Languages::default()),
        10,
        Alternates::new(),
    );
    assert_eq!(sitemap.parts().len(), 1);
    assert!(!sitemap.index().contains("<lastmod>"));
    assert_eq!(sitemap.urlset(2), None, "past the last file");
    assert_eq!(sitemap.urlset(0), None, "files count from 1");
}

#[test]
fn files_hold_at_most_the_asked_number_of_urls_and_the_protocol_limit() {
    let entries: Vec<Entry> = (0..7).map(|i| (format!("/p{i}"), None)).collect();
    let sizes = |max| -> Vec<usize> {
        let sitemap = split("", entries.clone(), max, Alternates::new());
        sitemap.parts().iter().map(|p| p.urls).collect()
    };
    assert_eq!(sizes(3), [3, 3, 1]);
    assert_eq!(sizes(7), [7]);
    assert_eq!(sizes(0), [1; 7], "at least one URL per file");
    // Each file holds its own URLs, in order.
    let sitemap = split("", entries.clone(), 3, Alternates::new());
    let second = sitemap.urlset(2).unwrap();
    let locs: Vec<&str> = second
        .match_indices("<loc>/p")
        .map(|(at, _)| &second[at + 5..at + 8])
        .collect();
    assert_eq!(locs, ["/p3", "/p4", "/p5"], "{second}");
    assert!(sitemap.urlset(3).unwrap().contains("<loc>/p6</loc>"));
    let many: Vec<Entry> = (0..MAX_URLS + 1)
        .map(|i| (format!("/p{i}"), None))
        .collect();
    let sitemap = split("", many, usize::MAX, Alternates::new());
    assert_eq!(
        sitemap.parts().iter().map(|p| p.urls).collect::<Vec<_>>(),
        [MAX_URLS, 1]
    );
}

#[test]
fn files_stay_under_50_mb() {
    let long = "x".repeat(4000);
    let entries: Vec<Entry> = (0..14_000).map(|i| (format!("/{long}{i}"), None)).collect();
    let sitemap = split("https://ex.org", entries, MAX_URLS, Alternates::new());
    assert_eq!(sitemap.parts().len(), 2);
    for n in [1, 2] {
        let xml = sitemap.urlset(n).unwrap();
        assert!(xml.len() <= MAX_BYTES, "{}", xml.len());
    }
    let urls: usize = sitemap.parts().iter().map(|p| p.urls).sum();
    assert_eq!(urls, 14_000);
}

#[test]
fn the_index_dates_each_file_by_its_newest_url() {
    let day = |d: &str| Some(d.parse::<Date>().unwrap());
    let entries: Vec<Entry> = vec![
        ("/a".into(), day("2026-01-02")),
        ("/b".into(), day("2026-03-01")),
        ("/c".into(), None),
    ];
    let xml = split("https://ex.org", entries, 2, Alternates::new()).index();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    assert!(xml.contains("<sitemap><loc>https://ex.org/sitemaps/1.xml</loc><lastmod>2026-03-01</lastmod></sitemap>"), "{xml}");
    assert!(
        xml.contains("<sitemap><loc>https://ex.org/sitemaps/2.xml</loc></sitemap>"),
        "{xml}"
    );
}

#[test]
fn file_names_have_one_spelling() {
    assert_eq!(file_number("1.xml"), Some(1));
    assert_eq!(file_number("12.xml"), Some(12));
    for name in [
        "0.xml",
        "01.xml",
        "+1.xml",
        "1.XML",
        ".xml",
        "1",
        "x.xml",
        "99999999999999999999999.xml",
    ] {
        assert_eq!(file_number(name), None, "{name}");
    }
}
