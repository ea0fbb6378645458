//! The sitemap protocol's two documents, built from the catalog: the
//! sitemap index at `/sitemap.xml` and the sitemap files it points to,
//! `/sitemaps/<n>.xml`.
//!
//! Search engines reject a sitemap of more than 50,000 URLs or 50 MB, and
//! a site of 100,000 posts has more; so the site's addresses (the index,
//! every visible post, category, tag and author page, standalone pages and
//! sections) are split into files of at most `sitemap_urls` URLs (and
//! 50 MB), in a stable order, each with `lastmod`. Everything here is pure;
//! the routes are in `discovery.rs`, and the page cache keeps each answer.

use std::collections::{HashMap, HashSet};

use crate::content::escape::escape_markup;
use crate::model::{Date, slugify};
use crate::store::Listing;
use crate::urls;
use crate::urls::languages::Languages;

/// The protocol's limit of URLs per sitemap file.
pub const MAX_URLS: usize = 50_000;
/// The protocol's limit of bytes per sitemap file (uncompressed).
pub const MAX_BYTES: usize = 50 * 1024 * 1024;
/// URLs per file unless `sitemap_urls` says otherwise: files of about
/// 1 MB, each rendered in milliseconds and well inside a cache entry.
pub const DEFAULT_URLS: usize = 10_000;
/// Where the sitemap files live: `/sitemaps/1.xml`, `/sitemaps/2.xml`…
pub const FILES_PREFIX: &str = "/sitemaps/";

const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const URLSET_CLOSE: &str = "</urlset>\n";

/// One address the sitemap lists, and its last change when known.
pub type Entry = (String, Option<Date>);

/// Address → the `hreflang` alternates of a translated post: each
/// language's version (itself included) and `x-default`, as (tag, path).
pub type Alternates = HashMap<String, Vec<(String, String)>>;

/// The alternates of every translated post of `snapshot` (Google's
/// sitemap form of `hreflang`: each version lists all, itself included).
pub fn alternates(snapshot: &crate::read::Snapshot, default_language: &str) -> Alternates {
    let mut alternates = Alternates::new();
    for group in snapshot.translation_groups() {
        let tag = |l: &Listing| {
            l.lang
                .clone()
                .unwrap_or_else(|| default_language.to_string())
        };
        let mut links: Vec<(String, String)> = group
            .iter()
            .map(|l| (tag(l), l.summary.url.clone()))
            .collect();
        links.sort();
        if let Some(default) = group.iter().find(|l| l.edition.is_empty()) {
            links.push(("x-default".to_string(), default.summary.url.clone()));
        }
        for listing in &group {
            alternates.insert(listing.summary.url.clone(), links.clone());
        }
    }
    alternates
}

/// The sitemap of one catalog snapshot for one base URL: every address
/// it lists, and how they are cut into files. The files' XML is written
/// when asked (the page cache keeps it), not held here: at 100,000 posts
/// it was 15 MB beside the 5 MB of addresses it is written from.
#[derive(Debug, Default)]
pub struct Sitemap {
    base_url: String,
    entries: Vec<Entry>,
    alternates: Alternates,
    parts: Vec<Part>,
}

/// One sitemap file: where its URLs are among the entries, and the
/// newest change among them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Part {
    start: usize,
    pub urls: usize,
    lastmod: Option<Date>,
}

/// The address of sitemap file `n` (from 1).
pub fn file_path(n: usize) -> String {
    format!("{FILES_PREFIX}{n}.xml")
}

/// The file number in a sitemap file's name (`3.xml`), in its one
/// canonical spelling (no sign, no leading zero).
pub fn file_number(name: &str) -> Option<usize> {
    let digits = name.strip_suffix(".xml")?;
    let canonical = !digits.is_empty()
        && !digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit());
    canonical.then(|| digits.parse().ok()).flatten()
}

/// The last change of a post: `updated` when later than `date`.
fn lastmod(listing: &Listing) -> Date {
    let summary = &listing.summary;
    summary
        .updated
        .map_or(summary.date, |updated| updated.max(summary.date))
}

/// Every address the sitemap lists, each once: the index, the visible
/// posts (newest first, as the catalog holds them), their category, tag
/// and author pages (each dated by its newest post), then the standalone
/// pages and sections. The posts are read once, in one pass: the
/// catalog decodes each as it comes.
pub fn entries(
    listings: impl ExactSizeIterator<Item = Listing>,
    pages: &[Listing],
    languages: &Languages,
) -> Vec<Entry> {
    let mut posts: Vec<Entry> = Vec::with_capacity(listings.len() + pages.len());
    let mut newest: HashMap<String, Date> = HashMap::new();
    let sections: HashSet<&str> = pages
        .iter()
        .filter(|l| l.kind == crate::content::Kind::Section)
        .filter_map(|l| l.summary.slug.strip_suffix("/_index"))
        .collect();
    let mut grouped: Vec<Entry> = Vec::new();
    let mut group_at: HashMap<String, usize> = HashMap::new();
    for listing in listings {
        let listing = &listing;
        let modified = lastmod(listing);
        let edition_newest = newest.entry(listing.edition.clone()).or_insert(modified);
        *edition_newest = modified.max(*edition_newest);
        posts.push((listing.summary.url.clone(), Some(modified)));
        let in_sections = language_sections(listing, &sections, languages);
        for path in group_pages(listing, languages).chain(in_sections) {
            match group_at.get(&path) {
                Some(&i) => grouped[i].1 = grouped[i].1.max(Some(modified)),
                None => {
                    group_at.insert(path.clone(), grouped.len());
                    grouped.push((path, Some(modified)));
                }
            }
        }
    }
    let mut entries = vec![("/".to_string(), newest.values().max().copied())];
    entries.extend(language_homes(&newest, languages));
    entries.append(&mut posts);
    entries.extend(grouped);
    let dated = |l: &Listing| Some(lastmod(l)).filter(|d| *d != crate::content::UNDATED);
    // A section's translated file (`_index.fr.md`) is listed above with
    // the language's posts in it, or not at all when it has none.
    let pages = pages.iter().filter(|l| l.summary.url != "/");
    let pages = pages.filter(|l| l.kind != crate::content::Kind::Section || l.edition.is_empty());
    entries.extend(pages.map(|l| (l.summary.url.clone(), dated(l))));
    entries
}

/// The home of each other language visible posts are in, dated by its
/// newest post (`newest`, by language code), in the order of the site's
/// languages.
fn language_homes(newest: &HashMap<String, Date>, languages: &Languages) -> Vec<Entry> {
    let homes = languages.others.iter().filter_map(|language| {
        let newest = newest.get(&language.code)?;
        Some((language.home(), Some(*newest)))
    });
    homes.collect()
}

/// The category, tag and author pages a post is listed on, among its
/// language's pages.
fn group_pages<'a>(
    listing: &'a Listing,
    languages: &Languages,
) -> impl Iterator<Item = String> + 'a {
    let prefix = languages.prefix(&listing.edition);
    let prefix = if listing.edition.is_empty() {
        String::new()
    } else {
        prefix
    };
    group_paths(listing).map(move |path| format!("{prefix}{path}"))
}

/// The section listings of its language a post of another language than
/// the default is on (`/fr/notes`); the default language's sections are
/// among the pages.
fn language_sections(
    listing: &Listing,
    sections: &HashSet<&str>,
    languages: &Languages,
) -> Vec<String> {
    if listing.edition.is_empty() {
        return Vec::new();
    }
    let prefix = languages.prefix(&listing.edition);
    let slug = &listing.summary.slug;
    let folders = slug.match_indices('/').map(|(at, _)| &slug[..at]);
    let found = folders.filter(|folder| sections.contains(folder));
    found
        .map(|folder| format!("{prefix}{}", urls::section(folder)))
        .collect()
}

/// The category, tag and author pages of the default language a post's
/// are like, and the lists of every category, tag and author it is on.
fn group_paths(listing: &Listing) -> impl Iterator<Item = String> + '_ {
    let summary = &listing.summary;
    let category = urls::category(&slugify(&summary.category));
    let category = [urls::CATEGORIES.to_string(), category];
    let tags_list = summary.tags.first().map(|_| urls::TAGS.to_string());
    let tags = tags_list
        .into_iter()
        .chain(summary.tags.iter().map(|tag| urls::tag(tag)));
    let authors: Vec<String> = listing
        .authors
        .iter()
        .map(|id| slugify(id))
        .filter(|slug| !slug.is_empty())
        .map(|slug| urls::author(&slug))
        .collect();
    let authors_list = authors.first().map(|_| urls::AUTHORS.to_string());
    let authors = authors_list.into_iter().chain(authors);
    category.into_iter().chain(tags).chain(authors)
}

/// `entries` cut into sitemap files of at most `max_urls` URLs (itself at
/// most [`MAX_URLS`]) and [`MAX_BYTES`] each, in order. Never empty.
pub fn split(
    base_url: &str,
    entries: Vec<Entry>,
    max_urls: usize,
    alternates: Alternates,
) -> Sitemap {
    let max_urls = max_urls.clamp(1, MAX_URLS);
    let budget = MAX_BYTES - urlset_open().len() - URLSET_CLOSE.len();
    let mut parts = vec![Part::default()];
    let mut bytes = 0;
    for (at, (path, modified)) in entries.iter().enumerate() {
        let links = alternates.get(path).map(Vec::as_slice).unwrap_or_default();
        let line = url_line(base_url, path, *modified, links).len();
        let last = parts.last().expect("parts is never empty");
        if last.urls == max_urls || bytes + line > budget {
            parts.push(Part {
                start: at,
                ..Part::default()
            });
            bytes = 0;
        }
        let part = parts.last_mut().expect("parts is never empty");
        bytes += line;
        part.urls += 1;
        part.lastmod = part.lastmod.max(*modified);
    }
    Sitemap {
        base_url: base_url.to_string(),
        entries,
        alternates,
        parts,
    }
}

impl Sitemap {
    /// The files, in order.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// Sitemap file `n` (from 1, as its address numbers it) as XML
    /// (`<urlset>`); `None` past the last file.
    pub fn urlset(&self, n: usize) -> Option<String> {
        let part = self.parts.get(n.checked_sub(1)?)?;
        let mut xml = urlset_open();
        for (path, modified) in &self.entries[part.start..part.start + part.urls] {
            let links = self.alternates.get(path);
            let links = links.map(Vec::as_slice).unwrap_or_default();
            xml.push_str(&url_line(&self.base_url, path, *modified, links));
        }
        xml.push_str(URLSET_CLOSE);
        Some(xml)
    }

    /// The sitemap index (`<sitemapindex>`): one `<sitemap>` per file,
    /// with the newest change among its URLs.
    pub fn index(&self) -> String {
        let mut xml = format!("{XML_DECLARATION}<sitemapindex xmlns=\"{NS}\">\n");
        for (i, part) in self.parts.iter().enumerate() {
            let loc = escape_markup(&format!("{}{}", self.base_url, file_path(i + 1)));
            xml.push_str(&format!("  <sitemap><loc>{loc}</loc>"));
            if let Some(day) = part.lastmod {
                xml.push_str(&format!("<lastmod>{day}</lastmod>"));
            }
            xml.push_str("</sitemap>\n");
        }
        xml.push_str("</sitemapindex>\n");
        xml
    }
}

fn url_line(
    base_url: &str,
    path: &str,
    modified: Option<Date>,
    links: &[(String, String)],
) -> String {
    let loc = escape_markup(&format!("{base_url}{path}"));
    let mut line = format!("  <url><loc>{loc}</loc>");
    if let Some(day) = modified {
        // `YYYY-MM-DD`: nothing in it to escape.
        line.push_str(&format!("<lastmod>{day}</lastmod>"));
    }
    for (tag, to) in links {
        let href = escape_markup(&format!("{base_url}{to}"));
        let tag = escape_markup(tag);
        line.push_str(&format!(
            "<xhtml:link rel=\"alternate\" hreflang=\"{tag}\" href=\"{href}\"/>"
        ));
    }
    line.push_str("</url>\n");
    line
}

/// The namespace of `hreflang` alternates in a sitemap.
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

fn urlset_open() -> String {
    format!("{XML_DECLARATION}<urlset xmlns=\"{NS}\" xmlns:xhtml=\"{XHTML_NS}\">\n")
}

#[cfg(test)]
mod tests;
