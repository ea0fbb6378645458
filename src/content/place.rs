//! Where a document lives: its kind (post, page or section), its key, its
//! date and its address, decided once at ingest from the file's path, its
//! front matter and the site's permalink patterns. Everything that links
//! to a post reads the address computed here (`Document::url`).

use std::path::Path;

use super::front_matter::{self, FrontMatter};
use super::paths::PathInfo;
use super::{ContentError, Kind, RenderOptions, UNDATED};
use crate::model::{Date, slugify};
use crate::urls::languages::Languages;
use crate::urls::permalink::{self, Facts};

/// The folder (at the top of `content/`) whose files are standalone pages.
pub const PAGES_FOLDER: &str = "pages";

/// A document's place on the site.
#[derive(Debug)]
pub struct Place {
    pub kind: Kind,
    /// The store key: the slug behind the section's path.
    pub key: String,
    pub date: Date,
    /// The canonical address (decoded).
    pub url: String,
    /// The address the site's patterns would give it, when the document
    /// sets its own: it redirects there.
    pub former_urls: Vec<String>,
}

/// A title (or a `slug`) as the addresses of Hugo's `:title` and `:slug`
/// spell it (Hugo's `urlize`): lower case, letters, digits and `. _ + ~ -`
/// kept, a space a `-` (one after another `-`), anything else dropped.
/// So an apostrophe inside a word is no break between words (linkerd.io's
/// "Why Linkerd doesn't use Envoy" is at `…/why-linkerd-doesnt-use-envoy/`)
/// and a version keeps its dots (CoreDNS's "CoreDNS-1.0.6 Release" is at
/// `…/coredns-1.0.6-release/`): served there, the posts keep their
/// addresses and their feed ids. A title that leaves nothing, or only
/// dots, is [`slugify`]'d instead.
fn title_slug(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut after_hyphen = false;
    for ch in title.trim().chars() {
        if ch.is_alphanumeric() || matches!(ch, '.' | '_' | '+' | '~' | '-') {
            after_hyphen = ch == '-';
            out.extend(ch.to_lowercase());
        } else if ch.is_whitespace() && !after_hyphen {
            out.push('-');
            after_hyphen = true;
        }
    }
    if out.chars().all(|c| c == '.' || c == '-') {
        return slugify(&title.replace(['\'', '\u{2019}'], ""));
    }
    out
}

/// The file name's words (or the `slug`'s) as Jekyll's `:title` keeps
/// them (`slugify` in its "pretty" mode, cased): letters in their case,
/// digits and `. _ ~ ! $ & ' ( ) + , ; = @` kept, any other run a `-`
/// (`2017-02-03-Mixed-Case.md` is at `…/Mixed-Case/`, `swift-5.2-released`
/// keeps its dot). Nothing left, or only dots: `slug`.
fn as_filed(written: &str, slug: &str) -> String {
    let kept = |c: char| c.is_alphanumeric() || "._~!$&'()+,;=@".contains(c);
    let mut out = String::with_capacity(written.len());
    for ch in written.chars() {
        match kept(ch) {
            true => out.push(ch),
            false if !out.ends_with('-') => out.push('-'),
            false => {}
        }
    }
    let out = out.trim_matches('-');
    if out.chars().all(|c| c == '.') {
        return slug.to_string();
    }
    out.to_string()
}

/// The place of a post or page from its front matter and path.
pub fn of_post(
    relative: &Path,
    front: &FrontMatter,
    info: &PathInfo,
    options: &RenderOptions,
) -> Result<Place, ContentError> {
    let slug = slug(relative, front, info)?;
    let title = title_slug(&front.title);
    let categories: Vec<String> = front.categories.iter().map(|c| slugify(c)).collect();
    let categories = categories.join("/");
    let slug_or_title = match &front.slug {
        Some(own) => title_slug(own),
        None => title.clone(),
    };
    let written = front.slug.as_deref().unwrap_or(&info.name);
    let name = as_filed(written, &slug);
    let file = match title_slug(written) {
        file if file.is_empty() => slug.clone(),
        file => file,
    };
    let explicit_page = front.page || info.section == PAGES_FOLDER;
    let date = date(front, info);
    let facts = Facts {
        slug: &slug,
        title: &title,
        slug_or_title: &slug_or_title,
        name: &name,
        file: &file,
        categories: &categories,
        section: &info.section,
        date: date.unwrap_or(UNDATED),
    };
    let pattern_url = match (explicit_page, date) {
        (true, _) => permalink::normalize(&slug).unwrap_or_default(),
        (false, Some(_)) => options.permalinks.of(facts),
        (false, None) => undated_url(facts, options),
    };
    // Undated documents are pages, as in Hugo and Jekyll: not part of
    // the blog's chronology (`quire check` lists them). So are a Jekyll
    // collection's, dated or not (kubevirt.io's `_galleries/2020-01-31-…`):
    // Jekyll lists only `_posts/` as the blog's.
    let collection = super::paths::in_collection(relative, &options.collections);
    let kind = match (explicit_page || collection, date) {
        (false, Some(_)) => Kind::Post,
        _ => Kind::Page,
    };
    let date = date.unwrap_or(UNDATED);
    let pattern_url = options.permalinks.spelled(pattern_url);
    let url = match &front.path {
        Some(own) => options.permalinks.spelled(own.clone()),
        None => pattern_url.clone(),
    };
    let former_urls = if permalink::key(&url) == permalink::key(&pattern_url) {
        Vec::new()
    } else {
        vec![pattern_url]
    };
    Ok(Place {
        kind,
        key: info.key(&slug),
        date,
        url,
        former_urls,
    })
}

/// `place` moved to the pages of language `edition` (nothing when it is
/// the default's): its address behind the language's prefix (unless the
/// author wrote it there already), and its key told apart from the
/// original's (`hello.fr` beside `hello`).
pub fn into_language(place: &mut Place, edition: &str, languages: &Languages) {
    if edition.is_empty() {
        return;
    }
    let prefix = languages.prefix(edition);
    let behind = |url: &str| match url.strip_prefix(prefix.as_str()) {
        Some(rest) if rest.starts_with('/') => url.to_string(),
        // The home is `/fr`: a trailing slash is never canonical.
        _ if url == "/" => prefix.clone(),
        _ => format!("{prefix}{url}"),
    };
    place.key = format!("{}.{edition}", place.key);
    place.url = behind(&place.url);
    for url in &mut place.former_urls {
        *url = behind(url);
    }
}

/// The place of a section's `_index.md`: the section's own address.
pub fn of_section(info: &PathInfo) -> Place {
    Place {
        kind: Kind::Section,
        key: info.key("_index"),
        date: UNDATED,
        url: format!("/{}", info.section),
        former_urls: Vec::new(),
    }
}

/// The front matter's `slug`, else the file name's.
fn slug(relative: &Path, front: &FrontMatter, info: &PathInfo) -> Result<String, ContentError> {
    let slug = match &front.slug {
        Some(slug) => slugify(slug),
        None => info.slug.clone(),
    };
    if slug.is_empty() {
        return Err(ContentError::new(
            relative,
            None,
            "cannot make a URL slug from this file name",
            "rename the file with letters or digits, or set `slug = \"…\"`",
        ));
    }
    Ok(slug)
}

/// The front matter's date, else the file name's, else one spelled in the
/// document's own address.
fn date(front: &FrontMatter, info: &PathInfo) -> Option<Date> {
    let dated_path = front.path.as_deref().and_then(front_matter::date_in_path);
    front.date.or(info.date).or(dated_path)
}

/// Where an undated document of a section lives: the section's pattern
/// when it needs no date, else `/<section>/<slug>`.
fn undated_url(facts: Facts<'_>, options: &RenderOptions) -> String {
    let pattern = options.permalinks.pattern(facts.section).as_str();
    let dated = ["{year}", "{month}", "{day}"]
        .iter()
        .any(|p| pattern.contains(p));
    let pattern = match dated {
        true => permalink::DEFAULT_SECTION_PATTERN,
        false => pattern,
    };
    permalink::Pattern::parse(pattern)
        .map(|pattern| pattern.expand(facts))
        .unwrap_or_else(|_| format!("/{}", facts.slug))
}

/// A section's title when its `_index.md` names none: its folder's name
/// as written, with dashes and underscores as spaces (`inside-rust` is
/// "Inside rust").
pub fn section_title(relative: &Path) -> String {
    let folder = relative
        .parent()
        .and_then(Path::file_name)
        .and_then(|name| name.to_str())
        .unwrap_or_default()
        .replace(['-', '_'], " ");
    let mut chars = folder.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_document;

    fn parsed(path: &str, front: &str) -> crate::content::Document {
        let text = format!("+++\ntitle = \"T\"\n{front}+++\nBody\n");
        parse_document(Path::new(path), &text, &RenderOptions::default())
            .unwrap()
            .0
    }

    #[test]
    fn another_engines_home_page_is_not_a_post() {
        let text = "---\nlayout: home\n---\nWelcome.\n";
        let err =
            parse_document(Path::new("index.md"), text, &RenderOptions::default()).unwrap_err();
        assert_eq!(
            err.severity,
            crate::content::error::Severity::NotAPost,
            "{err}"
        );
    }

    #[test]
    fn titles_are_spelled_as_hugo_spells_them_in_addresses() {
        for (title, spelled) in [
            ("CoreDNS-1.0.6 Release", "coredns-1.0.6-release"),
            (
                "Why Linkerd doesn't use Envoy",
                "why-linkerd-doesnt-use-envoy",
            ),
            ("Rust 1.78 — out now!", "rust-1.78-out-now"),
            ("C++ & you", "c++-you"),
            ("Ünïcode titles", "ünïcode-titles"),
            ("...", ""),
            ("?!", ""),
        ] {
            assert_eq!(title_slug(title), spelled, "{title}");
        }
    }

    #[test]
    fn names_are_spelled_as_jekylls_title_keeps_them() {
        for (written, spelled) in [
            ("Mixed-Case", "Mixed-Case"),
            ("swift-5.2-released", "swift-5.2-released"),
            ("what is  new?", "what-is-new"),
            ("..", "fallback"),
            ("??", "fallback"),
        ] {
            assert_eq!(as_filed(written, "fallback"), spelled, "{written}");
        }
    }

    #[test]
    fn each_engines_file_name_placeholder_keeps_what_it_kept() {
        let options = RenderOptions {
            permalinks: crate::urls::permalink::Permalinks {
                other_sections: permalink::Pattern::parse("/{section}/{file}/").unwrap(),
                top: permalink::Pattern::parse("/{year}/{name}/").unwrap(),
                ..Default::default()
            },
            ..RenderOptions::default()
        };
        let text = "+++\ntitle = \"T\"\ndate = 2020-01-02\n+++\nBody\n";
        let url = |path: &str| {
            let (doc, _) = parse_document(Path::new(path), text, &options).unwrap();
            doc.url
        };
        assert_eq!(url("plugins/k8s_External.md"), "/plugins/k8s_external/");
        assert_eq!(url("2020-01-02-Mixed-Case.md"), "/2020/Mixed-Case/");
    }

    #[test]
    fn pages_live_at_their_slug_and_need_no_date() {
        let about = parsed("pages/about.md", "nav = true\n");
        assert_eq!((about.kind, about.url.as_str()), (Kind::Page, "/about"));
        assert_eq!((about.date, about.nav), (UNDATED, true));
        let flagged = parsed("colophon.md", "page = true\ndate = 2024-01-01\n");
        assert_eq!(
            (flagged.kind, flagged.url.as_str()),
            (Kind::Page, "/colophon")
        );
    }

    #[test]
    fn a_sections_file_describes_the_section() {
        let text = "+++\ndescription = \"D\"\nsort_by = \"date\"\n+++\nIntro.\n";
        let (doc, warnings) = parse_document(
            Path::new("inside-rust/_index.md"),
            text,
            &RenderOptions::default(),
        )
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            (doc.kind, doc.url.as_str()),
            (Kind::Section, "/inside-rust")
        );
        assert_eq!(
            (doc.title.as_str(), doc.description.as_str()),
            ("Inside rust", "D")
        );
        assert!(doc.html.contains("Intro."));
    }
}
