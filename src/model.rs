//! Wire types shared by the server and the wasm client.
//!
//! Everything here is plain data with serde derives: no I/O, no server-only
//! crates, so it compiles into the client unchanged. Dates are [`Date`]s
//! (`model/date.rs`), which travel as `YYYY-MM-DD` strings and need no date
//! library in the wasm build.

mod date;

use serde::{Deserialize, Serialize};

pub use date::{Date, DateError, DateNames};

/// What an index card shows about a post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostSummary {
    /// The post's key (its slug, behind its section's path).
    pub slug: String,
    /// Its address, percent-encoded, ready for an `href`.
    pub url: String,
    pub title: String,
    /// Publication date.
    pub date: Date,
    pub updated: Option<Date>,
    pub category: String,
    pub tags: Vec<String>,
    pub description: String,
    pub reading_minutes: u32,
    /// Who wrote it, as the card's byline names them (filled in at read
    /// time from the configured profiles; empty when no one is named).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<AuthorLink>,
}

/// One entry of an article's table of contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A link to a neighbouring post (previous, next, related).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostLink {
    pub slug: String,
    pub url: String,
    pub title: String,
}

/// A whole article, rendered to HTML at ingest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub summary: PostSummary,
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub word_count: u32,
    pub newer: Option<PostLink>,
    pub older: Option<PostLink>,
    /// Up to three posts sharing the most tags with this one.
    pub related: Vec<PostSummary>,
    /// The link-preview image: a path on this site or a URL.
    #[serde(default)]
    pub image: Option<String>,
    /// Who wrote it; empty when the front matter names no one.
    pub authors: Vec<AuthorLink>,
    /// The series it is a part of, with every visible part.
    pub series: Option<Series>,
    /// Its language tag (`fr`, `ar`), when known; the page marks the
    /// article with it (and its direction) when it is not the site's.
    #[serde(default)]
    pub lang: Option<String>,
    /// The language whose pages list it ("": the default's).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub edition: String,
    /// The post and its translations, the default language's first, then
    /// in the site's order of languages; empty when it has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translations: Vec<Translation>,
}

/// One language's version of a post, for `hreflang` links and the
/// language switcher.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    /// Its language tag (`fr`).
    pub lang: String,
    /// The language whose pages list it ("": the default's).
    pub edition: String,
    pub url: String,
    pub title: String,
}

/// Whether text in `lang` (a BCP 47 tag: `ar`, `he-IL`) is written right
/// to left: Arabic, Hebrew, Persian, Urdu and the other scripts that are.
pub fn is_right_to_left(lang: &str) -> bool {
    const RTL: [&str; 10] = ["ar", "arc", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur"];
    let primary = lang.split(['-', '_']).next().unwrap_or_default();
    RTL.iter().any(|code| primary.eq_ignore_ascii_case(code)) || lang.contains("-Arab")
}

/// An author as a byline names them; their page is `urls::author(slug)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorLink {
    pub slug: String,
    pub name: String,
}

/// The posts sharing an article's `series`, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub parts: Vec<PostLink>,
    /// Index in `parts` of the article showing the box.
    pub current: u32,
}

/// An author's page: who they are and one page of their posts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorPage {
    pub author: AuthorLink,
    pub url: Option<String>,
    pub bio: Option<String>,
    pub avatar: Option<String>,
    /// Their posts, paginated like a tag's.
    pub listing: ListingPage,
}

/// A category or tag with the number of visible posts carrying it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet {
    pub name: String,
    pub slug: String,
    pub count: u32,
}

/// Site-wide settings the layout shows on every page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteMeta {
    pub title: String,
    pub tagline: String,
    pub description: String,
    /// Absolute, without a trailing slash: `https://blog.example.com`.
    pub base_url: String,
    pub language: String,
    pub author: String,
    /// How dates are written ([`Date::shown`]); empty: `Mar 8, 2026`.
    #[serde(default)]
    pub date_format: String,
    pub nav: Vec<NavLink>,
    pub social: Vec<NavLink>,
    /// The owner's interface text (`[strings]` in quire.toml: message id →
    /// Fluent pattern) over the language's own (`i18n`).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub strings: std::collections::BTreeMap<String, String>,
    /// The language whose pages these are (`fr`); empty: the default's.
    /// Its `title`, `tagline`, `description` and `language` are above.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub edition: String,
    /// The tag of the site's default language, whatever `language` the
    /// page is in.
    #[serde(default)]
    pub default_language: String,
    /// The site's other languages (`[languages]` in quire.toml, and any a
    /// `slug.fr.md` is in), in the owner's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<SiteLanguage>,
}

/// One of the site's languages besides the default: what its pages say
/// of the site, and where they live.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteLanguage {
    /// Its tag (`fr`).
    pub code: String,
    /// Its name in itself (`Français`).
    pub name: String,
    /// Where its pages live (`/fr`).
    pub prefix: String,
    /// The site's title, tagline and description in it; empty: the
    /// default language's.
    pub title: String,
    pub tagline: String,
    pub description: String,
    /// The owner's interface text in it (message id → Fluent pattern).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub strings: std::collections::BTreeMap<String, String>,
}

impl SiteMeta {
    /// This meta as the pages of language `edition` show it (itself for
    /// the default's, or a language it does not have).
    pub fn in_edition(mut self, edition: &str) -> Self {
        let Some(language) = self.languages.iter().find(|l| l.code == edition) else {
            return self;
        };
        let or = |own: &str, default: String| match own {
            "" => default,
            own => own.to_string(),
        };
        self.title = or(&language.title, self.title);
        self.tagline = or(&language.tagline, self.tagline);
        // As for the site: an unset description follows the tagline.
        let tagline = or(&language.tagline, String::new());
        let description = or(&language.description, tagline);
        self.description = or(&description, self.description);
        self.language = language.code.clone();
        self.edition = language.code.clone();
        self.strings = language.strings.clone();
        self
    }

    /// Where the pages of this meta's language live: "" or `/fr`.
    pub fn prefix(&self) -> &str {
        match self.languages.iter().find(|l| l.code == self.edition) {
            Some(language) if !self.edition.is_empty() => &language.prefix,
            _ => "",
        }
    }
}

/// A labelled link in the header (`nav`) or footer (`social`): written in
/// the site configuration (which refuses any other key) and sent to the
/// client in [`SiteMeta`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NavLink {
    pub label: String,
    pub url: String,
}

/// Which posts a listing page shows: the filter from the URL and the page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingQuery {
    /// Category slug.
    pub category: Option<String>,
    /// Tag slugs; a post must carry all of them.
    pub tags: Vec<String>,
    /// A section's path (`notes`): its posts, those of its sub-sections too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The language whose pages these are (`fr`); empty: the default
    /// language's. Set by the server from the address (`/fr/…`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub edition: String,
    /// 1-based.
    pub page: u32,
}

/// One page of a listing (index, category, tag), ready to render.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingPage {
    pub query: ListingQuery,
    /// The posts on this page, newest first.
    pub posts: Vec<PostSummary>,
    /// Posts matching the filter, on all pages.
    pub total: u32,
    /// Number of pages (at least 1).
    pub pages: u32,
    /// Display name of the selected category; `None` when there is none or
    /// it does not exist (see `unknown_filter`).
    pub category_name: Option<String>,
    /// The category or a tag in the query matches no visible post.
    pub unknown_filter: bool,
    /// Every category, ordered by its most recent post, newest first.
    pub categories: Vec<Facet>,
}

/// What the server shows at an address no route names: a post, a
/// standalone page, a section, or the list of every tag, category or
/// author. Rendered on the server only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Addressed {
    Post(Post),
    /// An article without date, neighbours or related posts.
    Page(Post),
    Section(SectionPage),
    Terms(TermsPage),
}

/// Which list of terms a [`TermsPage`] shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TermKind {
    Tags,
    Categories,
    Authors,
}

/// Every tag (at `/tags`), category (at `/category`) or author (at
/// `/authors`) of the visible posts of one language, by name, each with
/// its number of posts: the page Zola's `taxonomy_list` and Hugo's
/// `terms` templates render.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsPage {
    pub kind: TermKind,
    pub terms: Vec<Facet>,
}

/// One page of a section's listing, with what its `_index.md` says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionPage {
    pub title: String,
    pub description: String,
    /// The section's introduction (its `_index.md` body), rendered.
    pub intro_html: String,
    /// Its posts; `query.section` is the section's path.
    pub listing: ListingPage,
    /// Its undated documents (a documentation section's pages), by title.
    pub pages: Vec<PostLink>,
    /// The section in each language that has it, the default first; empty
    /// on a site of one language.
    #[serde(default)]
    pub translations: Vec<Translation>,
}

/// A piece of a search snippet; `hit` pieces are the matched words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    pub text: String,
    pub hit: bool,
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub slug: String,
    pub url: String,
    pub title: Vec<Fragment>,
    pub category: String,
    pub date: Date,
    pub snippet: Vec<Fragment>,
    /// The date as the site shows it, on a static host's search page
    /// (the server renders its own page from `date`).
    #[serde(default)]
    pub shown: String,
}

/// Ranked results for a query, best first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub hits: Vec<SearchHit>,
    /// All matches, of which `hits` are the best.
    pub total: u32,
    /// "3 results", in the site's language: the search box's live status
    /// (the server writes it, with the language's plural rules).
    #[serde(default)]
    pub status: String,
    /// "All 3 results →", the search box's link to the results page.
    #[serde(default)]
    pub all: String,
    /// "3 results for “rust”", a static host's search page's count (the
    /// server renders its own page).
    #[serde(default)]
    pub page: String,
}

/// Turns a display name ("AI/ML", "Real-time") into its URL form ("ai-ml", "real-time").
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for ch in name.chars().flat_map(lowercase) {
        if ch.is_alphanumeric() {
            slug.push(ch);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// `ch` in lower case, as [`char::to_lowercase`] gives it. The wasm client
/// asks the browser for non-ASCII letters rather than carrying Rust's
/// Unicode case table (~12 KB of the client).
fn lowercase(ch: char) -> impl Iterator<Item = char> {
    #[cfg(target_arch = "wasm32")]
    {
        let lower: String = if ch.is_ascii() {
            ch.to_ascii_lowercase().to_string()
        } else {
            js_sys::JsString::from(ch).to_lower_case().into()
        };
        lower.chars().collect::<Vec<_>>().into_iter()
    }
    #[cfg(not(target_arch = "wasm32"))]
    ch.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugify_makes_url_segments_from_names() {
        assert_eq!(slugify("AI/ML"), "ai-ml");
        assert_eq!(slugify("Real-time"), "real-time");
        assert_eq!(slugify("  JavaScript Internals "), "javascript-internals");
        assert_eq!(slugify("C++ & Rust!"), "c-rust");
    }
}
