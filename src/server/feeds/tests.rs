use atom_syndication as atom_xml;

use super::json::JSON_FEED_VERSION;
use super::*;
use crate::model::Date;
use crate::server::config::{Author, SiteConfig};
use crate::store::Listing;
use crate::urls;

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

fn day(year: u16, month: u8, day: u32) -> Date {
    Date::new(year, month, day as u8).unwrap()
}

fn item(n: u32) -> Item {
    Item {
        url: format!("https://example.com/blog/post-{n}"),
        title: format!("{TRICKY} {n}"),
        summary: format!("Summary {TRICKY}"),
        html: format!("<p>Body {n} &amp; <a href=\"https://example.com/x\">link</a> 🦀</p>"),
        published: day_start(day(2026, 1, n)),
        updated: day_start(day(2026, 2, n)),
        category: "C++ & Rust".into(),
        tags: vec!["rust".into(), "wasm".into()],
        authors: Vec::new(),
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
    let parsed = ::rss::Channel::read_from(xml.as_bytes()).unwrap();
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
    ::rss::Channel::read_from(rss(&site_channel(), &[]).as_bytes()).unwrap();
}

#[test]
fn root_relative_links_become_absolute() {
    let html = r##"<p><a href="/blog/x">x</a> <img src="/blog/p/d.svg" alt=""> <a href="//cdn.example/y">y</a> <a href="https://a.b/">z</a> <a href="#top">t</a></p>"##;
    assert_eq!(
        absolutize(html, "https://ex.org/sub"),
        r##"<p><a href="https://ex.org/sub/blog/x">x</a> <img src="https://ex.org/sub/blog/p/d.svg" alt=""> <a href="//cdn.example/y">y</a> <a href="https://a.b/">z</a> <a href="#top">t</a></p>"##
    );
}

const BASE: &str = "https://ex.org/sub";

#[test]
fn attributes_are_found_however_they_are_quoted_spaced_or_cased() {
    for (html, expected) in [
        (
            "<a href='/x'>x</a>",
            r#"<a href="https://ex.org/sub/x">x</a>"#,
        ),
        (
            "<a href=/x>x</a>",
            r#"<a href="https://ex.org/sub/x">x</a>"#,
        ),
        (
            r#"<a href = "/x" >x</a>"#,
            r#"<a href="https://ex.org/sub/x">x</a>"#,
        ),
        (
            r#"<A HREF="/x">x</A>"#,
            r#"<A HREF="https://ex.org/sub/x">x</A>"#,
        ),
        (
            r#"<a href=" /x">x</a>"#,
            r#"<a href="https://ex.org/sub/x">x</a>"#,
        ),
        (
            r#"<video poster="/p.jpg" src='/v.mp4'></video>"#,
            r#"<video poster="https://ex.org/sub/p.jpg" src="https://ex.org/sub/v.mp4"></video>"#,
        ),
    ] {
        assert_eq!(absolutize(html, BASE), expected, "{html}");
    }
}

#[test]
fn values_keep_their_quotes_and_entities() {
    let html = r#"<a title='say "hi"' href='/q?a=1&amp;b="2"'>x</a>"#;
    assert_eq!(
        absolutize(html, BASE),
        r#"<a title='say "hi"' href="https://ex.org/sub/q?a=1&amp;b=&quot;2&quot;">x</a>"#
    );
}

#[test]
fn only_root_relative_urls_change() {
    let html = r##"<a href="//cdn.example/y">y</a><a href="/\evil.example">e</a><a href="https://a.b/">z</a><a href="#top">t</a><a href="mailto:a@b.c">m</a><img src="d.svg"><a href="">n</a>"##;
    assert_eq!(absolutize(html, BASE), html);
}

#[test]
fn text_that_looks_like_an_attribute_is_left_alone() {
    let html = r#"<p>write src="/x" or href='/y'</p><pre><code>&lt;a href="/z"&gt;</code></pre><!-- <a href="/c"> --><script>let s = 'src="/s"';</script>"#;
    assert_eq!(absolutize(html, BASE), html);
}

#[test]
fn every_srcset_candidate_becomes_absolute() {
    let html = r#"<img srcset="/a.png 1x, /b.png 2x,/c,w_2/d.png 480w,  https://cdn.example/e.png 3x,/f.png" src="/a.png">"#;
    assert_eq!(
        absolutize(html, BASE),
        r#"<img srcset="https://ex.org/sub/a.png 1x, https://ex.org/sub/b.png 2x,https://ex.org/sub/c,w_2/d.png 480w,  https://cdn.example/e.png 3x,https://ex.org/sub/f.png" src="https://ex.org/sub/a.png">"#
    );
    let picture = r#"<picture><source srcset="/g.webp, //cdn.example/h.webp 2x" type="image/webp"></picture>"#;
    assert_eq!(
        absolutize(picture, BASE),
        r#"<picture><source srcset="https://ex.org/sub/g.webp, //cdn.example/h.webp 2x" type="image/webp"></picture>"#
    );
}

#[test]
fn srcset_commas_inside_parentheses_do_not_end_a_candidate() {
    assert_eq!(
        absolutize(r#"<img srcset="/a.png (x, y) 1x, /b.png 2x">"#, BASE),
        r#"<img srcset="https://ex.org/sub/a.png (x, y) 1x, https://ex.org/sub/b.png 2x">"#
    );
}

#[test]
fn dates_and_segments() {
    assert_eq!(
        day_start(day(2026, 3, 4)).to_rfc3339(),
        "2026-03-04T00:00:00+00:00"
    );
    assert_eq!(urls::encode_segment("café-1"), "caf%C3%A9-1");
}

fn listing(slug: &str, category: &str, tags: &[&str]) -> Listing {
    Listing::public(crate::model::PostSummary {
        slug: slug.into(),
        url: urls::post(slug),
        title: slug.into(),
        date: day(2026, 1, 1),
        updated: None,
        category: category.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        description: String::new(),
        reading_minutes: 1,
        authors: Vec::new(),
    })
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

/// A feed's posts are read off the snapshot's lists (`Scope::positions`);
/// they are exactly those `Scope::matches` picks, whatever the spelling of
/// a category, a tag named twice, nested sections or authors' names.
#[test]
fn a_scopes_lists_hold_the_posts_it_matches() {
    let mut listings = vec![
        listing("notes/2024/a", "Big Data", &["rust", "rust"]),
        listing("b", "big data", &["Rust"]),
        listing("notes/c", "Web Dev", &[]),
        listing("notesy/d", "", &["rust", "wasm"]),
    ];
    listings[0].authors = vec!["Ann Lee".into(), "ann-lee".into()];
    listings[2].authors = vec!["Bo".into()];
    let facets = crate::read::positions::Facets::of(&listings);
    let scopes = [
        Scope::Site,
        Scope::Category("big-data".into()),
        Scope::Category("".into()),
        Scope::Category("nope".into()),
        Scope::Tag("rust".into()),
        Scope::Tag("Rust".into()),
        Scope::Tag("wasm".into()),
        Scope::Author("ann-lee".into()),
        Scope::Author("bo".into()),
        Scope::Section {
            path: "notes".into(),
            title: String::new(),
        },
        Scope::Section {
            path: "notes/2024".into(),
            title: String::new(),
        },
    ];
    for scope in &scopes {
        let mut read: Vec<u32> = scope.positions(&facets).to_vec();
        read.dedup();
        let matched: Vec<u32> = (0..listings.len() as u32)
            .filter(|&i| scope.matches(&listings[i as usize]))
            .collect();
        assert_eq!(read, matched, "{scope:?}");
    }
}

#[test]
fn an_entry_is_updated_only_by_a_later_day() {
    let item = |updated: &str| {
        let text = format!("+++\ntitle = \"X\"\ndate = 2026-03-04\nupdated = {updated}\n+++\nHi");
        let options = crate::content::RenderOptions::default();
        let (doc, _) =
            crate::content::parse_document(std::path::Path::new("x.md"), &text, &options).unwrap();
        Item::from_document(&doc, BASE, &crate::read::Authors::default())
    };
    let later = item("2026-03-05");
    assert_eq!(later.published.to_rfc3339(), "2026-03-04T00:00:00+00:00");
    assert_eq!(later.updated.to_rfc3339(), "2026-03-05T00:00:00+00:00");
    let earlier = item("2026-03-01");
    assert_eq!(earlier.updated, earlier.published);
}

#[test]
fn entries_name_their_authors_in_every_format() {
    let mut with_authors = item(1);
    with_authors.authors = vec![Author {
        name: "Alice & Co".into(),
        url: Some("https://example.com/authors/alice".into()),
    }];
    let items = [with_authors, item(2)];
    let atom_text = atom(&site_channel(), &items);
    let feed: atom_xml::Feed = atom_text.parse().unwrap();
    assert_eq!(feed.entries[0].authors[0].name, "Alice & Co");
    assert_eq!(
        feed.entries[0].authors[0].uri.as_deref(),
        Some("https://example.com/authors/alice")
    );
    assert!(
        feed.entries[1].authors.is_empty(),
        "the feed's author stands in"
    );
    let rss_text = rss(&site_channel(), &items);
    let channel = ::rss::Channel::read_from(rss_text.as_bytes()).unwrap();
    let creators = &channel.items[0].dublin_core_ext.as_ref().unwrap().creators;
    assert_eq!(creators, &["Alice & Co".to_string()]);
    assert!(rss_text.contains("xmlns:dc=\"http://purl.org/dc/elements/1.1/\""));
    let json_feed: serde_json::Value =
        serde_json::from_str(&json(&site_channel(), &items)).unwrap();
    assert_eq!(json_feed["items"][0]["authors"][0]["name"], "Alice & Co");
    assert!(json_feed["items"][1].get("authors").is_none());
}
