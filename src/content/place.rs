//! Where a document lives: its kind (post, page or section), its key, its
//! date and its address, decided once at ingest from the file's path, its
//! front matter and the site's permalink patterns. Everything that links
//! to a post reads the address computed here (`Document::url`).

use std::path::Path;

use super::front_matter::{self, FrontMatter};
use super::paths::PathInfo;
use super::{ContentError, Kind, RenderOptions, UNDATED};
use crate::model::{Date, slugify};
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

/// The place of a post or page from its front matter and path.
pub fn of_post(
    relative: &Path,
    front: &FrontMatter,
    info: &PathInfo,
    options: &RenderOptions,
) -> Result<Place, ContentError> {
    let slug = slug(relative, front, info)?;
    let kind = if front.page || info.section == PAGES_FOLDER {
        Kind::Page
    } else {
        Kind::Post
    };
    let date = date(relative, front, info, kind)?;
    let pattern_url = match kind {
        Kind::Page => permalink::normalize(&slug).unwrap_or_default(),
        _ => options.permalinks.of(Facts {
            slug: &slug,
            section: &info.section,
            date,
        }),
    };
    let url = front.path.clone().unwrap_or_else(|| pattern_url.clone());
    let former_urls = if url == pattern_url {
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

fn slug(relative: &Path, front: &FrontMatter, info: &PathInfo) -> Result<String, ContentError> {
    let slug = front
        .slug
        .as_deref()
        .map(slugify)
        .unwrap_or_else(|| info.slug.clone());
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
/// post's own address; a page needs none.
fn date(
    relative: &Path,
    front: &FrontMatter,
    info: &PathInfo,
    kind: Kind,
) -> Result<Date, ContentError> {
    let dated_path = front.path.as_deref().and_then(front_matter::date_in_path);
    let found = front.date.or(info.date).or(dated_path);
    match (found, kind) {
        (Some(date), _) => Ok(date),
        (None, Kind::Page | Kind::Section) => Ok(UNDATED),
        (None, Kind::Post) => Err(ContentError::new(
            relative,
            Some(2),
            "the post has no date",
            "add `date = 2026-01-31` to the front matter, or name the file `2026-01-31-slug.md`",
        )),
    }
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
