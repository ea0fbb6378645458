//! Content: turning the author's files in `content/` into [`Document`]s.
//!
//! Pure parsing ([`parse_document`]) is kept apart from the thin I/O wrapper
//! ([`read_document`]) that enforces size, encoding and path rules, and from
//! discovery ([`discover`]), which decides which files are posts. Nothing in
//! here ever writes to the content directory.

pub mod cjk;
pub mod error;
pub mod escape;
pub mod front_matter;
mod html_body;
pub mod html_policy;
pub mod images;
mod kramdown;
pub mod language;
pub mod limits;
pub mod markdown;
mod math;
mod params;
pub mod paths;
pub mod place;
mod reading;
mod section;
mod shortcodes;
mod source;
mod splice;
pub mod tree;
mod untitled;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use error::ContentError;
use front_matter::FrontMatter;
pub use html_policy::RawHtml;
pub use markdown::RenderOptions;

use crate::model::{Date, PostSummary, TocEntry, slugify};

pub use limits::MAX_FILE_BYTES;
pub use params::names_param;
pub use paths::{
    PathInfo, SECTION_FILE, is_post_path, is_post_path_in, is_section_path, path_info,
};
pub use source::read_text;

/// A post, parsed and rendered, as the store keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The post's key in the store and the API: its slug, behind its
    /// section's path when it has one (`notes/hello`), so slugs are unique
    /// per section. Not an address: that is [`Document::url`].
    pub slug: String,
    /// The section's path (`notes`, `blog/2024`), empty at the top of `content/`.
    pub section: String,
    /// The canonical path readers find it at, decoded (`/blog/hello`,
    /// `/2019/03/hello.html`): computed here once, read everywhere else.
    pub url: String,
    /// Addresses that redirect here besides `aliases`: the site pattern's
    /// address when the post sets its own.
    pub former_urls: Vec<String>,
    /// A post, a standalone page or a section's own file.
    #[serde(default)]
    pub kind: Kind,
    /// A page listed in the header's navigation (`nav = true`).
    #[serde(default)]
    pub nav: bool,
    pub title: String,
    pub date: Date,
    pub updated: Option<Date>,
    pub description: String,
    pub category: String,
    pub tags: Vec<String>,
    pub draft: bool,
    pub publish_at: Option<DateTime<Utc>>,
    /// Hidden from this time on (Hugo's `expiryDate`).
    pub expires_at: Option<DateTime<Utc>>,
    /// `false`: stored for `quire check`, never shown (Zola's `render = false`).
    pub render: bool,
    /// `false`: left out of the search index (Zola's `in_search_index`).
    pub in_search_index: bool,
    pub aliases: Vec<String>,
    /// Author ids as written in the front matter.
    pub authors: Vec<String>,
    pub series: Option<String>,
    /// The post's language tag (`fr`, `pt-BR`): front matter `lang`, else
    /// the file name's `slug.fr.md`, else the site's `language`
    /// ([`language::of_post`]). Search stems by it.
    #[serde(default)]
    pub lang: Option<String>,
    /// The language whose pages list it (`fr`: `/fr/`, its feeds and
    /// sitemap entries); empty for the default language's
    /// ([`language::edition`]).
    #[serde(default)]
    pub edition: String,
    /// What it shares with its translations: the front matter's
    /// `translation_key`, else its path without a language suffix and
    /// extension (`blog/hello` for `blog/hello.md` and `blog/hello.fr.md`).
    #[serde(default)]
    pub translation: String,
    pub image: Option<String>,
    pub extra: serde_json::Value,
    pub html: String,
    pub summary: String,
    pub toc: Vec<TocEntry>,
    pub word_count: u32,
    pub reading_minutes: u32,
    pub plain_text: String,
    /// Path relative to the content dir.
    pub source: PathBuf,
    /// Directory (relative to the content dir) whose other files are served
    /// under `/blog/<slug>/`, for posts written as `<slug>/index.md`.
    pub asset_dir: Option<PathBuf>,
    /// Raster images the post shows, sized, with the key of their copies.
    #[serde(default)]
    pub images: Vec<images::LocalImage>,
    /// Files under `content/` outside the bundle folder that the post
    /// references, served at `<post>/_files/<path>` ([`images::resolve`]).
    #[serde(default)]
    pub files: Vec<PathBuf>,
    /// Images named by an address on this site (`/images/x.png`), which
    /// `quire check` makes sure something serves.
    #[serde(default)]
    pub rooted: Vec<images::Rooted>,
    /// The link-preview image (`og:image`): front matter's `image`, else
    /// the body's first image; a path on this site or a URL.
    #[serde(default)]
    pub cover: Option<String>,
}

impl Document {
    /// Whether readers see it now; see [`Publication::is_published`].
    pub fn is_visible(&self, now: DateTime<Utc>, show_drafts: bool) -> bool {
        self.publication().is_published(now, show_drafts)
    }

    /// What decides when readers see it.
    pub fn publication(&self) -> Publication {
        Publication {
            draft: self.draft,
            publish_at: self.publish_at,
            expires_at: self.expires_at,
            render: self.render,
        }
    }

    /// Whether the search index holds it (drafts only when shown).
    pub fn is_searchable(&self, include_drafts: bool) -> bool {
        self.in_search_index && self.render && (include_drafts || !self.draft)
    }

    pub fn summary(&self) -> PostSummary {
        PostSummary {
            slug: self.slug.clone(),
            url: crate::urls::permalink::encode(&self.url),
            title: self.title.clone(),
            date: self.date,
            updated: self.updated,
            category: self.category.clone(),
            tags: self.tags.clone(),
            description: self.description.clone(),
            reading_minutes: self.reading_minutes,
            authors: Vec::new(),
        }
    }
}

/// What a file in `content/` publishes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// Listed on the index, its section and taxonomies; in feeds; dated.
    #[default]
    Post,
    /// A standalone page (`content/pages/…`, or `page = true`): served at
    /// `/<slug>`, never listed, in no feed and related to nothing.
    Page,
    /// A section's own file (`_index.md`, as in Zola and Hugo): the title,
    /// description and introduction of the section's listing page.
    Section,
}

/// The date of a page or section that names none: such documents are not
/// dated to readers (no date shown, no `lastmod` in the sitemap).
pub const UNDATED: Date = Date::UNDATED;

/// The inputs of the publishing rule, as the front matter set them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Publication {
    pub draft: bool,
    pub publish_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub render: bool,
}

impl Publication {
    /// The publishing rule: drafts are seen only with `--drafts`;
    /// scheduled posts from their `publish_at` on and, when they expire,
    /// until their `expires_at`; a post with `render = false` never.
    pub fn is_published(&self, now: DateTime<Utc>, show_drafts: bool) -> bool {
        self.render
            && (show_drafts || !self.draft)
            && self.publish_at.is_none_or(|at| at <= now)
            && self.expires_at.is_none_or(|at| now < at)
    }

    /// The next moment after `now` at which the rule's answer changes.
    pub fn next_change(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        [self.publish_at, self.expires_at]
            .into_iter()
            .flatten()
            .filter(|at| *at > now)
            .min()
    }
}

/// Category given to posts whose front matter names none.
pub const DEFAULT_CATEGORY: &str = "Uncategorized";

/// Parses one document (a post, a page or a section's `_index.md`) from
/// its text. `relative` is its path inside the content dir.
pub fn parse_document(
    relative: &Path,
    text: &str,
    options: &RenderOptions,
) -> Result<(Document, Vec<ContentError>), ContentError> {
    if paths::is_section_path(relative) {
        return section::parse(relative, text, options);
    }
    if is_home_page(relative) {
        return Err(ContentError::new(
            relative,
            None,
            "a home page written for another engine, so this is not a post (Quire's index lists the posts itself)",
            "nothing to do; to show its text on the site, move it to `pages/` with a `title`",
        )
        .not_a_post());
    }
    if text.trim().is_empty() {
        return Err(ContentError::new(
            relative,
            Some(1),
            "the file is empty",
            "add front matter (`+++`, `title = \"…\"`, `+++`) and a body, or delete the file",
        ));
    }
    let split = front_matter::split(relative, text)?;
    let (mut front, mut warnings) =
        front_matter::parse_with(relative, &split, &options.taxonomies)?;
    let mut body_text = std::borrow::Cow::Borrowed(split.body);
    if front.title.is_empty() {
        let lines = (split.front_line, split.body_line);
        let jekyll = kramdown::is_jekyll_document(relative, &options.collections);
        let titled = untitled::title(relative, split.body, lines, jekyll)?;
        front.title = titled.title;
        body_text = titled.body;
        warnings.extend(titled.warning);
    }
    let html = paths::is_html_name(relative);
    let source = body_text.clone();
    if html {
        body_text = std::borrow::Cow::Owned(html_body::as_one_block(&body_text));
    } else if kramdown::is_jekyll_document(relative, &options.collections)
        && let std::borrow::Cow::Owned(whole) = kramdown::whole_html_blocks(&body_text)
    {
        body_text = std::borrow::Cow::Owned(whole);
    }
    let languages = &options.languages;
    let (info, folder) = path_info_in(relative, options);
    let named = front.lang.as_deref().or(folder);
    let site = options.language.as_deref();
    let lang = language::of_post_in(relative, named, site, languages);
    let edition = language::edition(relative, named, languages);
    let translation = (front.translation_key.clone()).unwrap_or_else(|| info.key(&info.slug));
    let mut place = place::of_post(relative, &front, &info, options)?;
    place::into_language(&mut place, &edition, languages);
    let body = Body {
        text: &body_text,
        line: split.body_line,
        image: front.image.as_deref(),
    };
    let root = options.content_root.as_deref();
    let with_params =
        params::of_page(relative, &split, &options.params, root).map(|params| RenderOptions {
            params,
            ..options.clone()
        });
    let options = with_params.as_ref().unwrap_or(options);
    let mut rendered = render(relative, body, &info, &place.url, options)?;
    if html {
        html_body::read_prose(&mut rendered, &source);
    }
    warnings.append(&mut rendered.problems);
    let document = assemble(relative, front, info, place, rendered);
    let document = Document {
        lang,
        edition,
        translation,
        ..document
    };
    Ok((document, warnings))
}

/// Whether `relative` is another engine's home page at the top of
/// `content/` (`index.md`, Jekyll's `index.html`): Quire's index lists
/// the posts itself.
fn is_home_page(relative: &Path) -> bool {
    ["index.md", "index.html", "index.htm"]
        .iter()
        .any(|name| relative == Path::new(name))
}

/// What `relative`'s path says (slug, date, section), read inside its
/// language's folder when it is in one (Hugo's `contentDir`: `fr/x.md`
/// is `x`), with that folder's language tag.
fn path_info_in<'a>(relative: &Path, options: &'a RenderOptions) -> (PathInfo, Option<&'a str>) {
    let folder = language::in_folder(relative, &options.language_folders);
    let inner = folder.map_or(relative, |(_, _, inner)| inner);
    let mut info = path_info(&language::without_suffix(inner, &options.languages));
    if let Some((dir, _, _)) = folder {
        // A bundle's files are found from the content root.
        info.bundle_dir = info.bundle_dir.map(|bundle| dir.join(bundle));
    }
    (info, folder.map(|(_, code, _)| code))
}

/// A body to render: its text, the file line it starts on, and the
/// front matter's `image`.
struct Body<'a> {
    text: &'a str,
    line: usize,
    image: Option<&'a str>,
}

/// The body rendered where the post lives: relative references resolve
/// against its file's folder, and its files are served under its address
/// (`asset_base`, [`images`]). `files.first_image` becomes the link-preview
/// image (the front matter's `image`, else the body's first image);
/// `problems` carry lines in the file.
fn render(
    relative: &Path,
    body: Body,
    info: &PathInfo,
    url: &str,
    options: &RenderOptions,
) -> Result<markdown::Rendered, ContentError> {
    let base = crate::urls::permalink::encode(url);
    let options = RenderOptions {
        asset_base: Some(format!("{}/", base.trim_end_matches('/'))),
        place: Some(images::Place {
            source: relative.to_path_buf(),
            bundle_dir: info.bundle_dir.clone(),
            root: options.content_root.clone(),
            static_root: options.static_root.clone(),
            image_hosts: options.image_hosts.clone(),
        }),
        ..options.clone()
    };
    let mut rendered = markdown::render(body.text, &options);
    limits::check_rendered(relative, &rendered.html)?;
    let files = &mut rendered.files;
    files.first_image = files.cover(
        body.image,
        options.place.as_ref(),
        options.asset_base.as_deref(),
    );
    rendered.problems.append(&mut rendered.files.problems);
    let problems: Vec<ContentError> =
        in_file(relative, body.line, &mut rendered.problems).collect();
    for rooted in &mut rendered.files.rooted {
        rooted.line = rooted.line.map(|line| body.line + line - 1);
    }
    rendered.problems = problems;
    Ok(rendered)
}

/// The document from its parts.
fn assemble(
    relative: &Path,
    front: FrontMatter,
    info: PathInfo,
    place: place::Place,
    rendered: markdown::Rendered,
) -> Document {
    Document {
        slug: place.key,
        section: info.section,
        url: place.url,
        former_urls: place.former_urls,
        kind: place.kind,
        nav: front.nav,
        title: front.title,
        date: place.date,
        updated: front.updated,
        description: front.description.unwrap_or_else(|| {
            limits::shorten(&rendered.summary, limits::MAX_DERIVED_DESCRIPTION_CHARS)
        }),
        category: front
            .category
            .unwrap_or_else(|| DEFAULT_CATEGORY.to_string()),
        tags: front
            .tags
            .iter()
            .map(|t| slugify(t))
            .filter(|t| !t.is_empty())
            .collect(),
        draft: front.draft || info.draft,
        publish_at: front.publish_at,
        expires_at: front.expires_at,
        render: front.render,
        in_search_index: front.in_search_index,
        aliases: front.aliases,
        authors: front.authors,
        series: front.series,
        lang: front.lang,
        edition: String::new(),
        translation: String::new(),
        image: front.image,
        extra: front.extra,
        html: rendered.html,
        summary: rendered.summary,
        toc: rendered.toc,
        word_count: rendered.word_count,
        reading_minutes: rendered.reading_minutes,
        plain_text: rendered.plain_text,
        source: relative.to_path_buf(),
        asset_dir: info.bundle_dir,
        images: rendered.files.images,
        files: rendered.files.files,
        rooted: rendered.files.rooted,
        cover: rendered.files.first_image,
    }
}

/// Render problems (lines counted from the body) placed in the file.
fn in_file<'a>(
    relative: &'a Path,
    body_line: usize,
    problems: &'a mut Vec<ContentError>,
) -> impl Iterator<Item = ContentError> + 'a {
    problems.drain(..).map(move |mut problem| {
        problem.path = relative.to_path_buf();
        problem.line = problem.line.map(|line| body_line + line - 1);
        problem
    })
}

/// Reads and parses one file, refusing what cannot be a post: symbolic
/// links ([`tree`]), huge files, binary data, bad UTF-8.
pub fn read_document(
    root: &Path,
    path: &Path,
    options: &RenderOptions,
) -> Result<(Document, Vec<ContentError>), ContentError> {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let text = read_text(root, path, relative)?;
    let options = RenderOptions {
        content_root: Some(root.to_path_buf()),
        ..options.clone()
    };
    parse_document(relative, &text, &options)
}

/// Every post file under `root` (with Jekyll's `collections` read),
/// sorted, as absolute paths; see [`tree::walk`].
pub fn discover(root: &Path, collections: &[String]) -> Vec<PathBuf> {
    tree::walk(root, collections).files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_can_come_from_the_file_name() {
        let (doc, _) = parse_document(
            Path::new("2026-02-03-x.md"),
            "+++\ntitle = \"X\"\n+++\nHi",
            &RenderOptions::default(),
        )
        .unwrap();
        assert_eq!(
            (doc.slug.as_str(), doc.date),
            ("x", Date::new(2026, 2, 3).unwrap())
        );
    }

    #[test]
    fn a_date_in_the_posts_own_address_is_its_date() {
        let text = "+++\ntitle = \"X\"\npath = \"inside/2024/02/19/x\"\n+++\n";
        let (doc, _) = parse_document(Path::new("x.md"), text, &RenderOptions::default()).unwrap();
        assert_eq!(doc.date, Date::new(2024, 2, 19).unwrap());
        assert_eq!(front_matter::date_in_path("/2024/13/01/x"), None);
        assert_eq!(front_matter::date_in_path("/v1/2024/x"), None);
    }

    #[test]
    fn a_document_without_any_date_is_a_page() {
        let (doc, _) = parse_document(
            Path::new("docs/x.md"),
            "+++\ntitle = \"X\"\n+++\n",
            &RenderOptions::default(),
        )
        .unwrap();
        assert_eq!((doc.kind, doc.url.as_str()), (Kind::Page, "/docs/x"));
        assert_eq!(doc.date, UNDATED);
    }

    #[test]
    fn scheduled_and_draft_posts_are_hidden_until_due() {
        let (mut doc, _) = parse_document(
            Path::new("x.md"),
            "+++\ntitle = \"X\"\ndate = 2026-01-01\npublish_at = 2030-01-01T00:00:00Z\n+++\n",
            &RenderOptions::default(),
        )
        .unwrap();
        let now = Utc::now();
        assert!(!doc.is_visible(now, false));
        assert!(doc.is_visible(front_matter::parse_instant("2030-01-01").unwrap(), false));
        doc.publish_at = None;
        doc.draft = true;
        assert!(!doc.is_visible(now, false));
        assert!(doc.is_visible(now, true));
    }
}
