//! Permanent redirects, as one axum middleware ([`layer`]), each in one
//! hop: a post's address spelled with the other trailing slash goes to
//! the post's own spelling (`/a/b/` to `/a/b`, and `/a/b` to `/a/b/` for a
//! post whose address has one: a migrated Zola or Hugo site's), any other
//! path with a trailing slash to the path without it; an old
//! URL the store knows as an alias (front-matter `aliases`, the previous
//! address of a renamed post or of a post whose permalink changed, the
//! site pattern's address of a post that sets its own) goes to its post;
//! and a static host's spelling of a post's address (`/a/b.html`,
//! `/a/b/index.html`, or `/a/b` for `/a/b.html`) goes to the address. A
//! page of another language that has no translation there is found (302,
//! the translation may come) at the default language's page. A
//! real post's URL always wins over an alias, and every `Location` is a
//! same-origin path, never `//host`.
//!
//! Also owns the `quire check` rules for addresses (`problems.rs`,
//! [`address_problems`]):
//! two posts at one address, a post or an alias on a page of the site
//! itself, an alias that is another post's URL or is claimed by two posts;
//! and ([`language_problems`]) addresses a language's prefix shadows.

use std::collections::HashMap;
use std::path::Path;

use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Site;
use crate::store::StoreError;
use crate::urls;
use crate::urls::permalink;
use axum::extract::State;
use std::sync::Arc;

mod problems;

pub use problems::{address_problems, empty_own_pages, language_problems};

/// The middleware: 301 for the other trailing slash and aliases, 302 for
/// a page not translated, else the router.
pub async fn layer(State(site): State<Arc<Site>>, request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let path = request.uri().path();
    let query = request.uri().query();
    if let Some(url) = reference_target(&site, path) {
        return moved(&url, query);
    }
    let trimmed = permalink::key(path);
    if !urls::is_reserved(trimmed) {
        match alias_target(&site, trimmed) {
            Ok(Some(url)) => return moved(&url, query),
            Ok(None) => {}
            // The page itself may still be served; the store problem is logged.
            Err(err) => tracing::warn!(path, error = %err, "alias lookup failed"),
        }
        match own_spelling(&site, path) {
            Some(Spelling::Served) => return next.run(request).await,
            Some(Spelling::Other(url)) => return moved(&url, query),
            None => {}
        }
        if let Some(url) = static_spelling(&site, trimmed) {
            return moved(&url, query);
        }
    }
    if let Some(url) = other_engines_feed(&site, trimmed) {
        return moved(&url, query);
    }
    if let Some(url) = other_engines_list(&site, trimmed) {
        return moved(&url, query);
    }
    if trimmed != path {
        // One hop for an untranslated page asked with its slash.
        if let Some(url) = untranslated(&site, trimmed) {
            return found(&url, query);
        }
        return moved(&same_origin(trimmed), query);
    }
    // Only a request the site has no page for reads the languages again.
    let uri = request.uri().clone();
    let response = next.run(request).await;
    if response.status() == StatusCode::NOT_FOUND
        && let Some(url) = untranslated(&site, uri.path())
    {
        return found(&url, uri.query());
    }
    response
}

/// How a request names the document at its address.
enum Spelling {
    /// As the document's own address is spelled: served.
    Served,
    /// With the other trailing slash (or doubled slashes): the address
    /// (encoded) to redirect to.
    Other(String),
}

/// Whether `path` is the address of a visible post, page or section as
/// it spells it, or another spelling of it; `None` when no document is
/// at that address.
fn own_spelling(site: &Site, path: &str) -> Option<Spelling> {
    let decoded = percent_decode(path)?;
    let snapshot = site.blog.snapshot().ok()?;
    let url = snapshot.at(&decoded)?.summary.url;
    match permalink::decode(&url) == decoded {
        true => Some(Spelling::Served),
        false => Some(Spelling::Other(url)),
    }
}

/// A path that cannot leave the origin: leading slashes and backslashes
/// collapse to one slash (`//evil.example` would be another host).
pub fn same_origin(path: &str) -> String {
    format!("/{}", path.trim_start_matches(['/', '\\']))
}

/// The address (encoded) `path` should redirect to: an alias whose post
/// exists and is visible now, unless `path` is itself a post's URL.
pub fn alias_target(site: &Site, path: &str) -> Result<Option<String>, StoreError> {
    let store = site.store();
    let decoded = percent_decode(path);
    let mut slug = store.alias(path)?;
    if slug.is_none()
        && let Some(decoded) = decoded.as_deref().filter(|d| *d != path)
    {
        slug = store.alias(decoded)?;
    }
    let Some(slug) = slug else {
        return Ok(None);
    };
    let snapshot = site.blog.snapshot()?;
    if snapshot.serves(decoded.as_deref().unwrap_or(path)) {
        return Ok(None);
    }
    Ok(snapshot.find(&slug).map(|listing| listing.summary.url))
}

/// Where a `ref` link (`/_ref/<key>`, see `urls::REFERENCE`) leads: the
/// post with that key, else the post of the file the key was made from
/// when its front matter sets another `slug` (linkerd.io's
/// `0416-announcing-linkerd-2-3/index.md` is `announcing-linkerd-2.3`),
/// else the only post whose key ends with its slug (Hugo lets
/// `ref "post.md"` name a post in any section).
fn reference_target(site: &Site, path: &str) -> Option<String> {
    let key = percent_decode(path.strip_prefix(urls::REFERENCE)?)?;
    let snapshot = site.blog.snapshot().ok()?;
    if let Some(listing) = snapshot.find(&key) {
        return Some(listing.summary.url.clone());
    }
    let sources = [format!("{key}.md"), format!("{key}/index.md")];
    let own_slug = sources.iter().find_map(|file| {
        let record = site.store().source(Path::new(file)).ok()??;
        snapshot.find(&record.slug)
    });
    if let Some(listing) = own_slug {
        return Some(listing.summary.url.clone());
    }
    let slug = key.rsplit('/').next()?;
    let suffix = format!("/{slug}");
    let posts = &snapshot.listings;
    let posts = (0..posts.len()).map(|i| (posts.slug(i), posts.url(i)));
    let pages = snapshot.pages.iter();
    let pages = pages.map(|l| (l.summary.slug.as_str(), l.summary.url.as_str()));
    let mut same = posts
        .chain(pages)
        .filter(|(key, _)| *key == slug || key.ends_with(&suffix));
    let (_, url) = same.next()?;
    same.next().is_none().then(|| url.to_string())
}

/// Quire's feed for a feed address the old engine published (Jekyll's
/// and the Rust blog's `/feed.xml`, Hugo's `/index.xml`, a section's,
/// tag's or category's), so a migrated site's subscribers keep getting
/// its posts: feed readers follow a 301 and keep the new address. A
/// list's feed only when the list is there (a section) or has a page of
/// its own (tags, categories, whose feeds answer 404 when empty).
fn other_engines_feed(site: &Site, path: &str) -> Option<String> {
    use urls::OtherFeed;
    let decoded = percent_decode(path)?;
    let list = match urls::other_engines_feed(&decoded)? {
        OtherFeed::Atom => return Some(urls::ATOM.to_string()),
        OtherFeed::Rss => return Some(urls::RSS.to_string()),
        OtherFeed::Of(list) => list,
    };
    let term = |prefix: &str| list.strip_prefix(prefix).filter(|t| !t.contains('/'));
    if let Some(tag) = term("/tags/") {
        return Some(urls::tag_feed(&crate::model::slugify(tag)));
    }
    if let Some(category) = term("/categories/").or_else(|| term("/category/")) {
        let slug = crate::model::slugify(category);
        // A post's other categories are its tags (`content::front_matter`).
        let snapshot = site.blog.snapshot().ok()?;
        let facets = snapshot.edition("");
        if !facets.categories.contains_key(&slug) && facets.tags.contains_key(&slug) {
            return Some(urls::tag_feed(&slug));
        }
        return Some(urls::category_feed(&slug));
    }
    let languages = site.blog.languages();
    if languages.under(list).is_some_and(|l| l.prefix == list) {
        return Some(format!("{list}{}", urls::ATOM));
    }
    let snapshot = site.blog.snapshot().ok()?;
    snapshot.section_at(list)?;
    Some(urls::section_feed(list.trim_start_matches('/')))
}

/// Quire's address of a list page another engine published under its
/// own spelling: Zola's and Hugo's `/categories` and `/categories/<c>`,
/// jekyll-archives' `/tag/<t>`, jekyll-paginate's `/page2`, and a tag, category or author as that
/// engine slugified it (Hugo keeps a version's dots: `/tags/0.9.10`;
/// Quire's is `/tags/0-9-10`), page numbers kept; a category that is no
/// post's first leads to its tag. Only a list with posts is led to (any
/// other is a 404 where it was asked), and only the default language's;
/// nothing served at `path` itself is moved (a real post at such an
/// address, or Quire's own spelling).
fn other_engines_list(site: &Site, path: &str) -> Option<String> {
    use urls::OtherList;
    let decoded = percent_decode(path)?;
    let list = urls::other_engines_list(&decoded, &site.config.taxonomies)?;
    let snapshot = site.blog.snapshot().ok()?;
    if snapshot.serves(&decoded) {
        return None;
    }
    let facets = snapshot.edition("");
    let has = |terms: &HashMap<String, Vec<u32>>, term: &str| {
        let slug = crate::model::slugify(term);
        terms.contains_key(&slug).then_some(slug)
    };
    let target = match list {
        OtherList::Categories => urls::CATEGORIES.to_string(),
        OtherList::Tags => urls::TAGS.to_string(),
        OtherList::Index(page) => urls::index_page(page),
        OtherList::Tag(term, page) => numbered(urls::tag(&has(&facets.tags, term)?), page),
        // A post's other categories are its tags (`content::front_matter`).
        OtherList::Category(term, page) => {
            let first = match has(&facets.categories, term) {
                Some(slug) => urls::category(&slug),
                None => urls::tag(&has(&facets.tags, term)?),
            };
            numbered(first, page)
        }
        OtherList::Author(term, page) => numbered(urls::author(&has(&facets.authors, term)?), page),
    };
    (target != path).then_some(target)
}

/// The default language's page (encoded address) for `path`, a page of
/// another language that has no translation there: Let's Encrypt's 326
/// untranslated pages (`/ca/certificates/`), which its theme filled with
/// the English text, would otherwise answer 404. Not for the routes every
/// language repeats (`/fr/tags/x` is French's own), nor for an address
/// behind two prefixes (`/fr/fr/notes`).
fn untranslated(site: &Site, path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    let languages = site.blog.languages();
    let language = languages.under(&decoded)?;
    let rest = &decoded[language.prefix.len()..];
    let own_route = rest.is_empty() || urls::languages::is_language_route(rest);
    if own_route || languages.under(rest).is_some() {
        return None;
    }
    let snapshot = site.blog.snapshot().ok()?;
    if snapshot.serves(&decoded) {
        return None;
    }
    snapshot.at(rest).map(|listing| listing.summary.url)
}

/// Page `page` of the list whose first page is at `first`.
fn numbered(first: String, page: u32) -> String {
    match page {
        1 => first,
        page => format!("{first}/page/{page}"),
    }
}

/// The address (encoded) of the post a static host would serve at `path`
/// under another spelling, when `path` is not a post's address itself:
/// `.html` forms, and the old engine's spelling of a slug (Jekyll's
/// `:title` keeps the file name's letter case, Hugo's keeps dots:
/// `Example-1.0`; Quire's slugs are `example-1-0`).
fn static_spelling(site: &Site, path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    let snapshot = site.blog.snapshot().ok()?;
    if snapshot.serves(&decoded) {
        return None;
    }
    let mut candidates = urls::permalink::static_forms(&decoded);
    candidates.insert(0, decoded);
    let slugged: Vec<String> = candidates
        .iter()
        .flat_map(|c| [slugged(c), slugged_last(c)])
        .collect();
    candidates
        .iter()
        .skip(1)
        .chain(&slugged)
        .find_map(|form| snapshot.at(form))
        .map(|listing| listing.summary.url)
}

/// `path` with its last segment slugified: the folders a pattern names as
/// written stay (ruby-lang.org's `/zh_cn/news/…/redos-in-uri-CVE-2023-36617`
/// → `/zh_cn/news/…/redos-in-uri-cve-2023-36617`).
fn slugged_last(path: &str) -> String {
    match path.rsplit_once('/') {
        Some((folders, last)) => format!("{folders}{}", slugged(&format!("/{last}"))),
        None => slugged(path),
    }
}

/// `path` with each segment slugified (`/2017/Mixed-Case` → `/2017/mixed-case`),
/// a page's `.html` kept (Jekyll's `/2022/tool-3.0.html` → `/2022/tool-3-0.html`).
fn slugged(path: &str) -> String {
    let page = [".html", ".htm"]
        .iter()
        .find_map(|e| Some((path.strip_suffix(e)?, *e)));
    let (path, extension) = page.unwrap_or((path, ""));
    let segments: Vec<String> = path.split('/').map(crate::model::slugify).collect();
    format!("{}{extension}", segments.join("/"))
}

/// Decodes `%XX` escapes; `None` when the result is not UTF-8.
pub fn percent_decode(path: &str) -> Option<String> {
    percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

fn moved(path: &str, query: Option<&str>) -> Response {
    redirect(
        StatusCode::MOVED_PERMANENTLY,
        "moved permanently",
        path,
        query,
    )
}

/// A `302` to `path`: where the page is for now (a translation may come).
fn found(path: &str, query: Option<&str>) -> Response {
    redirect(StatusCode::FOUND, "found", path, query)
}

fn redirect(status: StatusCode, text: &'static str, path: &str, query: Option<&str>) -> Response {
    let location = match query {
        Some(query) => format!("{path}?{query}"),
        None => path.to_string(),
    };
    match HeaderValue::from_str(&location) {
        Ok(value) => (status, [(header::LOCATION, value)], text).into_response(),
        Err(_) => (StatusCode::BAD_REQUEST, "bad path").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Document;

    #[test]
    fn trailing_slashes_are_trimmed_but_the_root_stays() {
        assert_eq!(permalink::key("/"), "/");
        assert_eq!(permalink::key("/blog/x/"), "/blog/x");
        assert_eq!(permalink::key("/a//"), "/a");
        assert_eq!(permalink::key("//"), "/");
        assert_eq!(permalink::key("/a"), "/a");
    }

    #[test]
    fn locations_never_leave_the_origin() {
        assert_eq!(same_origin("//evil.example"), "/evil.example");
        assert_eq!(same_origin("/\\evil.example"), "/evil.example");
        assert_eq!(same_origin("/a/b"), "/a/b");
        let response = moved(&same_origin(permalink::key("//evil.example/")), Some("q=1"));
        assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY);
        assert_eq!(response.headers()[header::LOCATION], "/evil.example?q=1");
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("/caf%C3%A9").as_deref(), Some("/café"));
        assert_eq!(percent_decode("/100%").as_deref(), Some("/100%"));
        assert_eq!(percent_decode("/%zz").as_deref(), Some("/%zz"));
        assert_eq!(percent_decode("/%FF"), None);
        assert_eq!(percent_decode("/%+a").as_deref(), Some("/%+a"));
    }

    fn doc(slug: &str, source: &str, aliases: &[&str]) -> Document {
        let (mut doc, _) = crate::content::parse_document(
            Path::new(source),
            "+++\ntitle = \"T\"\ndate = 2026-01-01\n+++\nBody\n",
            &crate::content::RenderOptions::default(),
        )
        .unwrap();
        doc.slug = slug.to_string();
        doc.aliases = aliases.iter().map(|a| a.to_string()).collect();
        doc
    }

    #[test]
    fn an_alias_on_another_posts_url_is_reported_with_both_files() {
        let docs = [doc("a", "a.md", &["/blog/b/"]), doc("b", "b.md", &[])];
        let problems = address_problems(&docs, Path::new("/nonexistent"));
        assert_eq!(problems.len(), 1, "{problems:?}");
        let text = problems[0].to_string();
        assert!(
            text.starts_with("a.md: the alias `/blog/b/` is the URL of the post in b.md"),
            "{text}"
        );
        assert!(
            text.contains("remove `/blog/b/` from `aliases` in a.md, or give b.md another slug"),
            "{text}"
        );
    }

    #[test]
    fn shared_and_reserved_aliases_are_reported() {
        let docs = [
            doc("a", "a.md", &["old/path", "/"]),
            doc("b", "b.md", &["/old/path/"]),
            doc("c", "c.md", &["/blog/c", "/fine"]),
            doc("d", "d.md", &["/category/rust", "/tags/go/", "/page/2"]),
        ];
        let problems = address_problems(&docs, Path::new("/nonexistent"));
        let texts: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(texts.len(), 5, "{texts:?}");
        for page in ["/category/rust", "/tags/go", "/page/2"] {
            assert!(
                texts.iter().any(|t| t.starts_with("d.md:")
                    && t.contains(&format!("would hide the site's own page {page}"))),
                "{page}: {texts:?}"
            );
        }
        assert!(
            texts[0].contains("would hide the site's own page /"),
            "{texts:?}"
        );
        assert!(
            texts[1].starts_with("b.md: the alias `/old/path/` is also an alias of a.md"),
            "{texts:?}"
        );
    }

    #[test]
    fn an_empty_page_at_the_sites_own_address_is_a_warning_not_an_error() {
        let mut empty = doc("search", "search.md", &[]);
        (empty.url, empty.html) = ("/search/".into(), String::new());
        let mut written = doc("tags", "tags.md", &[]);
        written.url = "/tags/go".into();
        let docs = [empty, written];
        let errors = address_problems(&docs, Path::new("/nonexistent"));
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .starts_with("tags.md: the post's address /tags/go is one of the site's own pages"),
            "{errors:?}"
        );
        let warnings = empty_own_pages(&docs);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].to_string().starts_with("search.md: the page has no text and its address /search/ is one of the site's own pages"), "{warnings:?}");
    }

    #[test]
    fn the_line_of_the_alias_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.md"),
            "+++\ntitle = \"A\"\ndate = 2026-01-01\naliases = [\"/blog/b\"]\n+++\n",
        )
        .unwrap();
        let docs = [doc("a", "a.md", &["/blog/b"]), doc("b", "b.md", &[])];
        let problems = address_problems(&docs, dir.path());
        assert_eq!(problems[0].line, Some(4));
    }
}
