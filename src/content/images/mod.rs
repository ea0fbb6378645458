//! Images and other local files a post references, resolved at ingest.
//!
//! Why a module of its own: a relative reference (`../img/x.png`) means
//! the file beside the Markdown file, wherever the post is served, so it
//! is resolved once, here, against the file's folder; the disk is read
//! only when a content root is given ([`Place::root`], set by
//! `read_document`), so rendering stays pure in tests.
//!
//! - Addresses ([`resolve`]): a file inside a bundle post's folder keeps
//!   its address beside the post; any other file under `content/` is
//!   served at `<post>/_files/<path inside content/>`, and only for posts
//!   that reference it. `../` that climbs out of `content/` is never
//!   served from the disk: it is resolved against the page's address, as
//!   the browser would (how Jekyll and Zola authors write them), and with
//!   absolute paths (`/images/x.png`) recorded as [`Rooted`] for `quire
//!   check`; one in the site's `static/` folder is sized.
//! - A missing image is a problem with file and line (`quire check` exits
//!   1); the post is still published and the browser shows the alt text.
//! - Raster images get `width`/`height` from their header ([`probe`]) and,
//!   when resizable, a `srcset` of WebP copies at [`VARIANT_WIDTHS`] (never
//!   upscaled) and a `<picture>` source of the same widths in AVIF, keyed
//!   by a hash of the file's bytes; the server makes them in the
//!   background and serves the original at those addresses until they
//!   exist, so a page never points at a missing file.

mod locate;
pub use locate::page_link;
mod probe;
mod raw;
pub mod resolve;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use comrak::nodes::{AstNode, NodeValue};
use serde::{Deserialize, Serialize};

use self::locate::{beside_page, content_file, in_static, is_served_file, source_link};
use self::probe::Found;
use self::resolve::{Format, Target};
use super::ContentError;

/// Widths of the resized copies, in pixels; only those narrower than the
/// original are made.
pub const VARIANT_WIDTHS: [u32; 3] = [480, 960, 1600];
/// Largest image (in pixels) Quire decodes to resize: 40 megapixels is a
/// 160 MB RGBA buffer. Bigger ones keep their original only, with a warning.
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;
/// Largest image file Quire hashes and resizes.
pub const MAX_IMAGE_BYTES: u64 = 50_000_000;
/// The `sizes` of every `srcset`: the article column.
pub const SIZES: &str = "(max-width: 48rem) 100vw, 46rem";
/// How a missing-file problem starts; `quire check` counts these as errors.
const MISSING: &str = "missing file";

/// A raster image a post shows, found and sized at ingest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalImage {
    /// Relative to `content/`.
    pub path: PathBuf,
    /// Where the post's HTML points (the original).
    pub url: String,
    /// Hex of the bytes' hash; the key of the resized copies.
    pub hash: String,
    pub width: u32,
    pub height: u32,
    /// Whether resized copies are made (a resizable type within limits).
    pub variants: bool,
}

impl LocalImage {
    /// The widths of the resized copies this image gets.
    pub fn variant_widths(&self) -> Vec<u32> {
        if !self.variants {
            return Vec::new();
        }
        VARIANT_WIDTHS
            .into_iter()
            .filter(|w| *w < self.width)
            .collect()
    }

    /// The `srcset` of the copies in `format`, then the original at its
    /// own width (so a wide screen still gets every pixel there is).
    fn srcset(&self, base: &str, format: Format) -> Option<String> {
        let copies = self.copies_srcset(base, format)?;
        Some(format!("{copies}, {} {}w", self.url, self.width))
    }

    /// The `srcset` of the copies in `format` alone; `None` without copies.
    fn copies_srcset(&self, base: &str, format: Format) -> Option<String> {
        let widths = self.variant_widths();
        if widths.is_empty() {
            return None;
        }
        let parts: Vec<String> = widths
            .iter()
            .map(|w| {
                let address = resolve::variant_address(base, &self.hash, *w, format);
                format!("{address} {w}w")
            })
            .collect();
        Some(parts.join(", "))
    }
}

/// Where a post's file is, for resolving what it references.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// The Markdown file, relative to `content/`.
    pub source: PathBuf,
    /// The folder of a bundle post (`<slug>/index.md`).
    pub bundle_dir: Option<PathBuf>,
    /// `content/`, when the files may be looked at.
    pub root: Option<PathBuf>,
    /// The site's `static/` folder, served at the root, when absolute
    /// paths may be looked up in it.
    pub static_root: Option<PathBuf>,
    /// Hosts images may come from (`image_hosts`); others are a problem.
    pub image_hosts: Vec<String>,
}

/// An image the post names by an address on this site rather than a file
/// beside it (`/images/x.png`, or a path that climbs out of `content/`,
/// resolved against the page as a browser would): `quire check` makes
/// sure something serves it ([`crate::content::Document::rooted`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rooted {
    /// The body's line (`None`: the front matter's `image`).
    pub line: Option<usize>,
    /// As written.
    pub written: String,
    /// The address it is fetched from, with no query or fragment.
    pub address: String,
}

/// What resolving a post's references found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Localized {
    /// Raster images, once each.
    pub images: Vec<LocalImage>,
    /// Files outside the bundle folder the post may serve under `_files/`.
    pub files: Vec<PathBuf>,
    /// The address of the first image (local or not), for link previews.
    pub first_image: Option<String>,
    /// Images named by an address on this site, for `quire check`.
    pub rooted: Vec<Rooted>,
    /// Missing files, files outside `content/`, images too big to resize;
    /// lines are the body's.
    pub problems: Vec<ContentError>,
    /// Where the post's files live (ends with `/`).
    pub base: String,
}

/// Rewrites the post's relative image and link targets to the addresses
/// they are served at (`base`: where the post's files live, ending in `/`).
pub fn localize<'a>(root: &'a AstNode<'a>, place: &Place, base: &str) -> Localized {
    let mut found = Localized {
        base: base.to_string(),
        ..Localized::default()
    };
    for node in root.descendants() {
        let mut data = node.data_mut();
        let line = data.sourcepos.start.line;
        match &mut data.value {
            NodeValue::Image(link) => {
                link.url = found.image(place, base, &link.url, Some(line));
                found.first_image.get_or_insert_with(|| link.url.clone());
            }
            NodeValue::Link(link) => link.url = found.link(place, base, &link.url),
            NodeValue::HtmlBlock(block) => {
                block.literal = found.raw_html(place, base, &block.literal, line);
            }
            NodeValue::HtmlInline(html) => *html = found.raw_html(place, base, html, line),
            _ => {}
        }
    }
    found
}

impl Localized {
    /// The address of an image the post shows at `line` (or in its front
    /// matter, `None`), recording what the disk says.
    pub fn image(&mut self, place: &Place, base: &str, url: &str, line: Option<usize>) -> String {
        let path = match resolve::target(&place.source, url) {
            Target::NotLocal => return self.rooted(place, url, url, line),
            Target::Outside => {
                let address = resolve::against_page(base, url);
                match content_file(place, &address) {
                    Some(path) => path,
                    None => return self.rooted(place, url, &address, line),
                }
            }
            Target::Local(path) => beside_page(place, url, path),
        };
        if let Some(address) = in_static(place, &path) {
            return self.rooted(place, url, &address, line);
        }
        let address = resolve::address(base, place.bundle_dir.as_deref(), &path);
        let Some(root) = &place.root else {
            return address;
        };
        match probe::probe(root, &path, &address) {
            Found::Missing => self.problems.push(missing(place, url, &path, line)),
            Found::Other => {}
            Found::Image(image, refused) => {
                if let Some(why) = refused {
                    self.problems.push(too_big(place, url, &why, line));
                }
                if !self.images.iter().any(|i| i.path == image.path) {
                    self.images.push(image);
                }
            }
        }
        self.share(place, &path);
        address
    }

    /// An image at an address on this site (`address`, as the browser will
    /// fetch it): recorded for `quire check`, and sized when it is a file
    /// of the `static/` folder. Its resized copies are not made (they are
    /// for files under `content/`).
    fn rooted(
        &mut self,
        place: &Place,
        written: &str,
        address: &str,
        line: Option<usize>,
    ) -> String {
        if !resolve::is_site_path(address) {
            if let Some(host) = resolve::image_host(address)
                && !place.image_hosts.contains(&host)
            {
                self.problems
                    .push(blocked_host(place, written, &host, line));
            }
            return address.to_string();
        }
        let path = address.split(['?', '#']).next().unwrap_or_default();
        if !self.rooted.iter().any(|r| r.address == path) {
            self.rooted.push(Rooted {
                line,
                written: written.to_string(),
                address: path.to_string(),
            });
        }
        let relative = resolve::target(Path::new("x"), path.trim_start_matches('/'));
        if let (Some(root), Target::Local(relative)) = (&place.static_root, relative)
            && let Found::Image(mut image, _) = probe::probe(root, &relative, address)
            && !self.images.iter().any(|i| i.url == address)
        {
            image.variants = false;
            self.images.push(image);
        }
        address.to_string()
    }

    /// A link to a local file that exists (not a post's Markdown source)
    /// points where the file is served; any other link stays as written.
    fn link(&mut self, place: &Place, base: &str, url: &str) -> String {
        self.file(place, base, url)
    }

    /// The address of a file a link or a media element names, when it is
    /// one under `content/` (else `url` as written).
    fn file(&mut self, place: &Place, base: &str, url: &str) -> String {
        // `../other/` or `./notes/`, not a file: a page, written against
        // the old engine's address with its trailing slash (Zola, Hugo):
        // resolved against that, as the browser did there. In a section's
        // own text (`_index.md`) a bare `upgrade_3_0` too: there the
        // section's folder was the page (`/docs/upgrades/`), where Quire's
        // address has no slash and the browser would climb one folder.
        let page_relative = url.starts_with("./")
            || url.starts_with("../")
            || super::paths::is_section_path(&place.source);
        let elsewhere = || match page_relative {
            true => resolve::against_page(base, url),
            false => url.to_string(),
        };
        let path = match resolve::target(&place.source, url) {
            Target::Local(path) => beside_page(place, url, path),
            Target::Outside => match content_file(place, &resolve::against_page(base, url)) {
                Some(path) => path,
                None => return elsewhere(),
            },
            Target::NotLocal => return url.to_string(),
        };
        let beside_bundle = || page_link(place, place.bundle_dir.as_deref()?, url);
        if let Some(address) = source_link(place, &path, url).or_else(beside_bundle) {
            return address;
        }
        let in_bundle = place
            .bundle_dir
            .as_ref()
            .is_some_and(|d| path.starts_with(d));
        let is_file = (place.root.as_ref()).is_some_and(|root| is_served_file(root, &path));
        if !in_bundle && !is_file {
            let suffix = url.find(['?', '#']).map_or("", |at| &url[at..]);
            return match in_static(place, &path) {
                Some(address) => format!("{address}{suffix}"),
                None => elsewhere(),
            };
        }
        self.share(place, &path);
        let suffix = url.find(['?', '#']).map_or("", |at| &url[at..]);
        format!(
            "{}{suffix}",
            resolve::address(base, place.bundle_dir.as_deref(), &path)
        )
    }

    fn share(&mut self, place: &Place, path: &Path) {
        let in_bundle = place
            .bundle_dir
            .as_ref()
            .is_some_and(|d| path.starts_with(d));
        if !in_bundle && !self.files.iter().any(|f| f == path) {
            self.files.push(path.to_path_buf());
        }
    }
}

impl Localized {
    /// The image of link previews: the front matter's `image` (resolved
    /// as the body's images are), else the body's first image.
    pub fn cover(
        &mut self,
        image: Option<&str>,
        place: Option<&Place>,
        base: Option<&str>,
    ) -> Option<String> {
        let Some(image) = image else {
            return self.first_image.clone();
        };
        match (place, base) {
            (Some(place), Some(base)) => Some(self.image(place, base, image, None)),
            _ => Some(image.to_string()),
        }
    }
}

/// Adds `width`, `height` and (when copies are made) `srcset`/`sizes` to
/// the `<img>` of each local image, unless the tag has its own, and puts
/// it in a `<picture>` whose first source is the AVIF copies (unless the
/// author's HTML already has it in one).
pub fn annotate(html: &str, found: &Localized) -> String {
    let images = &found.images;
    if images.is_empty() {
        return html.to_string();
    }
    let by_url: HashMap<&str, &LocalImage> = images.iter().map(|i| (i.url.as_str(), i)).collect();
    let in_picture = std::rc::Rc::new(std::cell::Cell::new(0u32));
    let depth = in_picture.clone();
    let pictures = lol_html::element!("picture", move |el| {
        depth.set(depth.get() + 1);
        let depth = depth.clone();
        if let Some(handlers) = el.end_tag_handlers() {
            handlers.push(Box::new(move |_: &mut lol_html::html_content::EndTag<'_>| {
                depth.set(depth.get().saturating_sub(1));
                Ok(())
            }) as _);
        }
        Ok(())
    });
    let images = lol_html::element!("img[src]", |el| {
        let Some(image) = el
            .get_attribute("src")
            .and_then(|src| by_url.get(src.as_str()).copied())
        else {
            return Ok(());
        };
        if el.has_attribute("width") || el.has_attribute("height") {
            return Ok(());
        }
        size(el, image, &found.base, in_picture.get() == 0)
    });
    let settings = lol_html::RewriteStrSettings::new()
        .append_element_content_handler(pictures)
        .append_element_content_handler(images);
    lol_html::rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// Sizes one `<img>`, with its copies, in a `<picture>` when `wrap`.
fn size(
    el: &mut lol_html::html_content::Element,
    image: &LocalImage,
    base: &str,
    wrap: bool,
) -> lol_html::HandlerResult {
    el.set_attribute("width", &image.width.to_string())?;
    el.set_attribute("height", &image.height.to_string())?;
    let Some(srcset) = image.srcset(base, Format::Webp) else {
        return Ok(());
    };
    el.set_attribute("srcset", &srcset)?;
    el.set_attribute("sizes", SIZES)?;
    if let (true, Some(avif)) = (wrap, image.srcset(base, Format::Avif)) {
        let avif = avif.replace('&', "&amp;").replace('"', "&quot;");
        let source = format!(
            r#"<picture><source type="{}" srcset="{avif}" sizes="{SIZES}">"#,
            Format::Avif.mime()
        );
        el.before(&source, lol_html::html_content::ContentType::Html);
        el.after("</picture>", lol_html::html_content::ContentType::Html);
    }
    Ok(())
}

/// Whether `problem` is a missing file: an error for `quire check`, a
/// warning for live ingest (the post is still published).
pub fn is_missing_file(problem: &ContentError) -> bool {
    problem.message.starts_with(MISSING)
}

fn missing(place: &Place, url: &str, path: &Path, line: Option<usize>) -> ContentError {
    ContentError::new(
        &place.source,
        line,
        format!(
            "{MISSING}: `{url}` is not in content/ (looked for content/{})",
            path.display()
        ),
        "add the file there or correct the path (relative to this file's folder); \
         the post is published meanwhile, showing the alt text, and `quire check` exits 1",
    )
}

fn blocked_host(place: &Place, url: &str, host: &str, line: Option<usize>) -> ContentError {
    ContentError::new(
        &place.source,
        line,
        format!(
            "image `{url}` comes from {host}, which the page's Content-Security-Policy does not allow: readers see no image"
        ),
        format!(
            "add \"{host}\" to `image_hosts` in quire.toml (readers' browsers then fetch it from that host), or copy the image into static/ or beside the post"
        ),
    )
}

fn too_big(place: &Place, url: &str, why: &str, line: Option<usize>) -> ContentError {
    ContentError::new(
        &place.source,
        line,
        format!("image `{url}` is {why}: it is served as it is, without smaller copies"),
        "export it smaller (e.g. 3000 pixels wide) so phones get a resized copy",
    )
}

#[cfg(test)]
pub(crate) mod tests;
