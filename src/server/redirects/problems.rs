//! The `quire check` rules for addresses: two posts at one address, a
//! post or an alias on a page of the site itself, an alias that is another
//! post's URL or is claimed by two posts, and addresses a language's prefix
//! shadows. Apart from the middleware, which reads the same store, because
//! these read every document at once and name files and lines.

use std::collections::HashMap;
use std::path::Path;

use crate::content::{ContentError, Document};
use crate::store::alias_key;
use crate::urls;
use crate::urls::languages::{Language, Languages};
use crate::urls::permalink;

/// Address problems `quire check` reports, each naming the files involved
/// and the fix. `content_dir` is read only to name the line of an alias.
pub fn address_problems(docs: &[Document], content_dir: &Path) -> Vec<ContentError> {
    let mut sorted: Vec<&Document> = docs.iter().collect();
    sorted.sort_by(|a, b| a.source.cmp(&b.source));
    let mut post_urls: HashMap<String, &Document> = HashMap::new();
    let mut problems = Vec::new();
    let described = sorted.iter().filter(|doc| !is_home(doc));
    for doc in described {
        if let Some(problem) = url_problem(doc, &post_urls) {
            problems.push(problem);
        } else {
            post_urls.insert(permalink::key(&doc.url).to_string(), doc);
        }
    }
    problems.extend(alias_problems(&sorted, &post_urls, content_dir));
    problems
}

/// A root `_index.md` (or a language's, `_index.fr.md`) describes the
/// index itself, which is served at `/` (or `/fr`).
fn is_home(doc: &Document) -> bool {
    doc.kind == crate::content::Kind::Section && doc.translation == "_index"
}

/// A post whose address is one of the site's own pages, or another post's.
fn url_problem(doc: &Document, taken: &HashMap<String, &Document>) -> Option<ContentError> {
    let error = |message: String, fix: String| ContentError::new(&doc.source, None, message, fix);
    let address = permalink::key(&doc.url);
    if urls::is_reserved(address) && !is_empty(doc) {
        return Some(error(
            format!("the post's address {} is one of the site's own pages, so it is never served", doc.url),
            "set another `path`/`url`/`permalink` in its front matter, or change the `permalink` pattern in quire.toml".to_string(),
        ));
    }
    let owner = taken.get(address)?;
    Some(error(
        format!(
            "the post's address {} is also the address of {}; only one of them can be served there",
            doc.url,
            owner.source.display()
        ),
        format!(
            "give one of them another `slug` or `path`/`url`/`permalink`, or add `{{section}}` or the date to the `permalink` pattern in quire.toml (both are {})",
            doc.url
        ),
    ))
}

/// Empty pages at one of the site's own addresses, for `quire check`'s
/// warnings: a page of another engine that its layout filled (grpc.io's
/// `search.md`, front matter and no text, at `/search/`). Nothing of it
/// is lost: Quire's own page answers there, so it is not an error.
pub fn empty_own_pages(docs: &[Document]) -> Vec<ContentError> {
    let own = docs.iter().filter(|doc| {
        !is_home(doc) && urls::is_reserved(permalink::key(&doc.url)) && is_empty(doc)
    });
    own.map(|doc| {
        ContentError::new(
            &doc.source,
            None,
            format!(
                "the page has no text and its address {} is one of the site's own pages, which answers there instead",
                doc.url
            ),
            "nothing is lost: remove the file (its old engine's layout filled it), or give it text and another `path`/`url`/`permalink`",
        )
    })
    .collect()
}

/// A page with nothing in its body (no text, no image, no markup).
fn is_empty(doc: &Document) -> bool {
    doc.html.trim().is_empty()
}

/// Addresses a language's pages shadow, for `quire check`: a post, page
/// or section of another language behind a language's prefix (a folder
/// `content/fr/` when `/fr` is French), which would be served as one of
/// that language's pages, and an alias on a language's home or repeated
/// route (`/fr`, `/fr/page/2`), which never redirects. The languages are
/// the configured ones and those posts are in.
pub fn language_problems(
    docs: &[Document],
    languages: &Languages,
    content_dir: &Path,
) -> Vec<ContentError> {
    let languages = with_editions(languages, docs);
    let mut problems = Vec::new();
    for doc in docs.iter().filter(|doc| doc.translation != "_index") {
        let shadowed = languages.under(&doc.url).filter(|l| l.code != doc.edition);
        if let Some(language) = shadowed {
            problems.push(ContentError::new(
                &doc.source,
                None,
                format!("the address {} is behind {}, the prefix of the {} pages, so it is served as one of them", doc.url, language.prefix, language.name),
                format!("give it another `path`/`url`/`permalink` (or rename its folder), or set another `prefix` in `[languages.{}]`", language.code),
            ));
        }
        for alias in &doc.aliases {
            let Some((language, _)) = languages.split(&alias_key(alias)) else {
                continue;
            };
            problems.push(ContentError::new(
                &doc.source,
                alias_line(content_dir, doc, alias),
                format!(
                    "the alias `{alias}` is one of the {} pages, so it never redirects",
                    language.name
                ),
                format!("remove `{alias}` from `aliases`"),
            ));
        }
    }
    problems
}

/// `languages` and every other language a document is in.
fn with_editions(languages: &Languages, docs: &[Document]) -> Languages {
    let mut all = languages.clone();
    for doc in docs.iter().filter(|doc| !doc.edition.is_empty()) {
        if all.get(&doc.edition).is_none() {
            all.others.push(Language::of_code(&doc.edition));
        }
    }
    all
}

/// Alias problems: one on the site's own pages, on another post's URL, or
/// claimed by two posts.
fn alias_problems(
    sorted: &[&Document],
    post_urls: &HashMap<String, &Document>,
    content_dir: &Path,
) -> Vec<ContentError> {
    let mut claimed: HashMap<String, &Document> = HashMap::new();
    let mut problems = Vec::new();
    for &doc in sorted {
        for alias in &doc.aliases {
            let key = alias_key(alias);
            let error = |message: String, fix: String| {
                ContentError::new(
                    &doc.source,
                    alias_line(content_dir, doc, alias),
                    message,
                    fix,
                )
            };
            if urls::is_reserved(&key) {
                problems.push(error(
                    format!("the alias `{alias}` would hide the site's own page {key}"),
                    format!("remove `{alias}` from `aliases`"),
                ));
            } else if let Some(owner) = post_urls.get(&key).filter(|owner| owner.slug != doc.slug) {
                problems.push(error(
                    format!(
                        "the alias `{alias}` is the URL of the post in {}, so it never redirects: that post is served there",
                        owner.source.display()
                    ),
                    format!(
                        "remove `{alias}` from `aliases` in {}, or give {} another slug",
                        doc.source.display(),
                        owner.source.display()
                    ),
                ));
            } else if let Some(first) = claimed.get(&key).filter(|first| first.slug != doc.slug) {
                problems.push(error(
                    format!(
                        "the alias `{alias}` is also an alias of {}; only one post can have it",
                        first.source.display()
                    ),
                    format!(
                        "keep `{alias}` in one file: remove it from {} or from {}",
                        doc.source.display(),
                        first.source.display()
                    ),
                ));
            } else {
                claimed.insert(key, doc);
            }
        }
    }
    problems
}

/// The first line of the post's file that mentions `alias`.
fn alias_line(content_dir: &Path, doc: &Document, alias: &str) -> Option<usize> {
    let text = std::fs::read_to_string(content_dir.join(&doc.source)).ok()?;
    text.lines()
        .position(|line| line.contains(alias))
        .map(|index| index + 1)
}
