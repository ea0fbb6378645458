//! One pass over every rendered page, before the cache keeps it.
//!
//! The pass also takes off what Dioxus writes for a hydrating client,
//! which Quire's is not ([`super::hydration_residue`]). Three things need
//! the finished HTML of a page: its `<html lang>` (the
//! template says `en`; the site's `language` setting decides), the
//! live-reload script (`serve --live-reload`), and the
//! Content-Security-Policy, which lists the SHA-256 of every inline script
//! the page runs (see [`super::security`] for the policy itself). They
//! used to be three middlewares, each buffering and re-reading the page;
//! here the body is buffered once and read once by lol_html's streaming
//! tokenizer, which also means the hashed text is exactly the raw script
//! text a browser hashes. The cache then stores the page with its policy,
//! so a hit costs none of this.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use lol_html::html_content::ContentType;
use lol_html::{HtmlRewriter, Settings, element, text};
use sha2::{Digest, Sha256};

use super::Site;
use super::security::{page_too_large, policy_with};
use super::theme::Theme;
use super::theme::partials::Partials;
use crate::content::limits::MAX_PAGE_BYTES;

/// What a page gets besides its policy.
#[derive(Clone, Debug, Default)]
pub struct Additions<'a> {
    /// `<html lang>`; `None` (or a value that is not a plain language tag)
    /// leaves the attribute as it is.
    pub language: Option<&'a str>,
    /// A script appended to `<body>` (live reload), hashed like the rest.
    pub body_script: Option<&'a str>,
    /// Markup appended to `<head>`: the theme's stylesheet and icons,
    /// the owner's stylesheet, after Quire's.
    pub head_end: Option<&'a str>,
    /// The theme and its partials, laid onto the page (`theme::markup`).
    pub theme: Option<(&'a Theme, &'a Partials)>,
    /// The page belongs to another language's pages: its links to the
    /// routes every language repeats take that language's prefix.
    pub links: Option<LanguageLinks<'a>>,
}

/// Where a language's pages live, for [`Additions::links`].
#[derive(Clone, Copy)]
pub struct LanguageLinks<'a> {
    /// `/fr`.
    pub prefix: &'a str,
    /// The site's absolute base (`https://blog.example`), whose absolute
    /// links (canonical, `og:url`) are moved too.
    pub base: &'a str,
    /// Whether a path (decoded) is a section's listing, which every
    /// language repeats too (`read::Sections::at`).
    pub is_section: &'a (dyn Fn(&str) -> bool + Sync),
}

impl std::fmt::Debug for LanguageLinks<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (prefix, base) = (self.prefix, self.base);
        f.debug_struct("LanguageLinks")
            .field("prefix", &prefix)
            .field("base", &base)
            .finish()
    }
}

impl LanguageLinks<'_> {
    /// `url` as this language's pages link it, when it moves: a root
    /// path or an absolute URL on the site, to a route every language
    /// repeats (`urls::languages::in_language`) or a section's listing.
    pub fn moved(&self, url: &str) -> Option<String> {
        if let Some(path) = url
            .strip_prefix(self.base)
            .filter(|_| !self.base.is_empty())
        {
            let path = if path.is_empty() { "/" } else { path };
            return path
                .starts_with('/')
                .then(|| self.moved_path(path))
                .flatten()
                .map(|moved| format!("{}{moved}", self.base));
        }
        let rooted = url.starts_with('/') && !url.starts_with("//");
        rooted.then(|| self.moved_path(url)).flatten()
    }

    /// A section's feed (`/notes/atom.xml`) moves with its section: each
    /// language's is behind its prefix, and the default's may have no
    /// posts at all.
    fn moved_path(&self, path: &str) -> Option<String> {
        let moved = crate::urls::languages::in_language(self.prefix, path);
        moved.or_else(|| {
            let bare = path.split(['?', '#']).next().unwrap_or_default();
            let listing = bare.strip_suffix(crate::urls::ATOM).unwrap_or(bare);
            let decoded = super::redirects::percent_decode(listing)?;
            (self.is_section)(&decoded).then(|| format!("{}{path}", self.prefix))
        })
    }
}

/// The middleware: every plain (not yet compressed) HTML response.
pub async fn layer(State(site): State<Arc<Site>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let base = site.blog.base_url.resolve(host);
    let response = next.run(request).await;
    if !is_plain_html(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let page = PageLanguage::take(&mut parts.headers, &site);
    let bytes = match to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(err) => return page_too_large(&err),
    };
    let theme = site.theme.get();
    let mut head_end = theme.head.clone();
    if let Some(css) = site.custom_css.get() {
        head_end.push_str(&super::custom_css::link(&css));
    }
    let partials = theme.partials();
    // Read only for a page of a language behind a prefix.
    let sections = page.prefix.is_some().then(|| site.blog.sections());
    let is_section = |path: &str| sections.as_ref().is_some_and(|s| s.at(path));
    let links = page.prefix.as_deref().map(|prefix| LanguageLinks {
        prefix,
        base: &base,
        is_section: &is_section,
    });
    let additions = Additions {
        language: Some(&page.lang),
        links,
        body_script: site.live_reload.then_some(super::live_reload::SCRIPT),
        head_end: (!head_end.is_empty()).then_some(head_end.as_str()),
        theme: Some((&theme, &partials)),
    };
    let (html, hashes) = rewrite(&bytes, &additions);
    if let Ok(value) = HeaderValue::from_str(&policy_with(
        &hashes,
        &super::security::Hosts {
            frames: &site.config.embed_hosts,
            images: &site.config.image_hosts,
        },
    )) {
        parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}

/// The language a page is in and the prefix of the language's pages it
/// belongs to, as `server::languages` named them (`EDITION_HEADER`,
/// taken off here), else the site's language.
struct PageLanguage {
    lang: String,
    prefix: Option<String>,
}

impl PageLanguage {
    fn take(headers: &mut axum::http::HeaderMap, site: &Site) -> Self {
        let edition = headers.remove(super::languages::EDITION_HEADER);
        let edition = edition.and_then(|v| v.to_str().ok().map(str::to_string));
        let edition = edition.filter(|code| !code.is_empty());
        let prefix = edition
            .as_deref()
            .map(|code| site.blog.languages().prefix(code));
        Self {
            lang: edition.unwrap_or_else(|| site.config.language.clone()),
            prefix: prefix.filter(|p| !p.is_empty()),
        }
    }
}

fn is_plain_html(response: &Response) -> bool {
    let headers = response.headers();
    !headers.contains_key(header::CONTENT_ENCODING)
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .get(..9)
                    .is_some_and(|t| t.eq_ignore_ascii_case("text/html"))
            })
}

/// The page with `additions` made, and the `sha256-<base64>` of every
/// inline script it runs (duplicates once), in one pass.
pub fn rewrite(html: &[u8], additions: &Additions) -> (Vec<u8>, Vec<String>) {
    let html = super::hydration_residue::stripped(html);
    let hashes = ScriptHashes::default();
    let language = additions.language.filter(|l| is_language_tag(l));
    let mut settings = hashes.settings();
    if let Some(language) = language {
        settings = settings.append_element_content_handler(element!("html", move |el| {
            el.set_attribute("lang", language)?;
            if crate::model::is_right_to_left(language) {
                el.set_attribute("dir", "rtl")?;
            }
            Ok(())
        }));
    }
    if let Some(markup) = additions.head_end {
        settings = settings.append_element_content_handler(element!("head", move |el| {
            el.append(markup, ContentType::Html);
            Ok(())
        }));
    }
    if let Some((theme, partials)) = additions.theme {
        settings = super::theme::markup::handlers(settings, theme, partials);
    }
    if let Some(links) = additions.links {
        settings = link_handlers(settings, links);
    }
    if let Some(script) = additions.body_script {
        hashes.add(inline_text(script));
        settings = settings.append_element_content_handler(element!("body", move |el| {
            el.append(script, ContentType::Html);
            Ok(())
        }));
    }
    let mut out = Vec::with_capacity(html.len() + 512);
    let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| out.extend_from_slice(chunk));
    // Only handlers fail, and ours never do.
    let _ = rewriter.write(&html).and_then(|()| rewriter.end());
    hashes.finish();
    (out, hashes.take())
}

/// Handlers moving a page's links into its language's pages: `href`s,
/// the search form's `action` and `og:url`. A link that names its own
/// language (`hreflang`: the switcher, the alternates) stays as it is.
fn link_handlers<'h>(
    settings: Settings<'h, 'static>,
    links: LanguageLinks<'h>,
) -> Settings<'h, 'static> {
    let attribute = move |el: &mut lol_html::html_content::Element, name: &str| {
        if el.has_attribute("hreflang") {
            return Ok(());
        }
        let moved = el.get_attribute(name).and_then(|url| links.moved(&url));
        match moved {
            Some(url) => el.set_attribute(name, &url),
            None => Ok(()),
        }
    };
    settings
        .append_element_content_handler(element!("a[href], link[href]", move |el| {
            Ok(attribute(el, "href")?)
        }))
        .append_element_content_handler(element!("form[action]", move |el| {
            Ok(attribute(el, "action")?)
        }))
        .append_element_content_handler(element!("meta[property=\"og:url\"]", move |el| {
            Ok(attribute(el, "content")?)
        }))
}

/// The hashes of a page's inline scripts, as [`rewrite`] finds them.
pub fn inline_script_hashes(html: &[u8]) -> Vec<String> {
    rewrite(html, &Additions::default()).1
}

/// A language tag safe as an attribute: letters, digits and `-`.
fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty() && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The text inside `<script>…</script>`.
fn inline_text(script: &str) -> &str {
    let start = script.find('>').map_or(0, |i| i + 1);
    let end = script.rfind("</script>").unwrap_or(script.len());
    &script[start..end.max(start)]
}

/// Hashes of inline scripts, collected while lol_html reads a page.
#[derive(Clone, Default)]
struct ScriptHashes {
    hashes: Rc<RefCell<Vec<String>>>,
    /// The inline script being read, if any.
    open: Rc<RefCell<Option<Sha256>>>,
}

impl ScriptHashes {
    /// Handlers that hash `<script>` elements a browser would run: no
    /// `src`, and a `type` that is absent, empty, JavaScript or `module`
    /// (data blocks like JSON-LD never run).
    fn settings<'h>(&self) -> Settings<'h, 'static> {
        let (on_element, on_text) = (self.clone(), self.clone());
        Settings::new()
            .append_element_content_handler(element!("script", move |script| {
                let kind = script.get_attribute("type");
                if !runs_inline(script.has_attribute("src"), kind.as_deref()) {
                    return Ok(());
                }
                *on_element.open.borrow_mut() = Some(Sha256::new());
                if let Some(end_handlers) = script.end_tag_handlers() {
                    let on_end = on_element.clone();
                    let handler: lol_html::EndTagHandler<'static> = Box::new(move |_| {
                        on_end.finish();
                        Ok(())
                    });
                    end_handlers.push(handler);
                }
                Ok(())
            }))
            .append_element_content_handler(text!("script", move |chunk| {
                if let Some(hasher) = on_text.open.borrow_mut().as_mut() {
                    hasher.update(chunk.as_str().as_bytes());
                }
                Ok(())
            }))
    }

    /// Adds the hash of the script being read, if any (an unclosed script
    /// runs to the end of the page).
    fn finish(&self) {
        if let Some(hasher) = self.open.borrow_mut().take() {
            self.push(hasher);
        }
    }

    fn add(&self, text: &str) {
        let mut hasher = Sha256::new();
        hasher.update(text.as_bytes());
        self.push(hasher);
    }

    fn push(&self, hasher: Sha256) {
        use base64::Engine;
        let digest = base64::engine::general_purpose::STANDARD.encode(hasher.finalize());
        let hash = format!("sha256-{digest}");
        let mut hashes = self.hashes.borrow_mut();
        if !hashes.contains(&hash) {
            hashes.push(hash);
        }
    }

    fn take(&self) -> Vec<String> {
        self.hashes.take()
    }
}

/// Whether a script with these attributes has inline code a browser runs.
fn runs_inline(has_src: bool, kind: Option<&str>) -> bool {
    if has_src {
        return false;
    }
    let Some(kind) = kind else { return true };
    let kind = kind.trim().to_ascii_lowercase();
    kind.is_empty()
        || kind == "module"
        || matches!(
            kind.split(';').next().unwrap_or("").trim(),
            "text/javascript"
                | "application/javascript"
                | "text/ecmascript"
                | "application/ecmascript"
                | "text/jscript"
                | "text/livescript"
                | "application/x-javascript"
                | "text/x-javascript"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(text: &str) -> String {
        use base64::Engine;
        let digest = Sha256::digest(text.as_bytes());
        format!(
            "sha256-{}",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    }

    fn page(html: &str, additions: &Additions) -> (String, Vec<String>) {
        let (out, hashes) = rewrite(html.as_bytes(), additions);
        (String::from_utf8(out).unwrap(), hashes)
    }

    #[test]
    fn hashes_match_the_csp_spec() {
        // The CSP spec's example: sha256 of `alert('Hello, world.');`.
        assert_eq!(
            inline_script_hashes(b"<script>alert('Hello, world.');</script>"),
            ["sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng="]
        );
    }

    #[test]
    fn hashes_inline_scripts_only() {
        let html = r#"<head><script>one()</script><SCRIPT type="module">two()</SCRIPT>
            <script type="module" async src="/a.js"></script>
            <script type="application/ld+json" data-x="1">{"a":"</p>"}</script>
            <scripts>not()</scripts><script>one()</script>
            <script data-q="a>b" type='text/javascript'>three()</script>
            <!-- <script>commented()</script> -->
            <script>if (a</b) { four("</p>") }</script><script></script>"#;
        assert_eq!(
            inline_script_hashes(html.as_bytes()),
            vec![
                sha("one()"),
                sha("two()"),
                sha("three()"),
                sha("if (a</b) { four(\"</p>\") }"),
                sha("")
            ]
        );
    }

    #[test]
    fn an_unclosed_script_is_hashed_to_the_end() {
        assert_eq!(inline_script_hashes(b"<script>x"), vec![sha("x")]);
        assert!(inline_script_hashes(b"<script").is_empty());
    }

    #[test]
    fn sets_the_language_tag_once_and_nothing_else() {
        let additions = Additions {
            language: Some("de-CH"),
            ..Additions::default()
        };
        let (html, _) = page(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<body><p>html lang=\"en\"</p>",
            &additions,
        );
        assert_eq!(
            html,
            "<!DOCTYPE html>\n<html lang=\"de-CH\">\n<body><p>html lang=\"en\"</p>"
        );
        let (html, _) = page("<html><head>", &additions);
        assert_eq!(html, "<html lang=\"de-CH\"><head>");
    }

    #[test]
    fn a_right_to_left_language_sets_the_direction() {
        for (language, html) in [
            ("ar", "<html lang=\"ar\" dir=\"rtl\">"),
            ("he-IL", "<html lang=\"he-IL\" dir=\"rtl\">"),
            ("fr", "<html lang=\"fr\">"),
        ] {
            let additions = Additions {
                language: Some(language),
                ..Additions::default()
            };
            assert_eq!(page("<html lang=\"en\">", &additions).0, html);
        }
    }

    #[test]
    fn refuses_values_that_are_not_language_tags() {
        let additions = Additions {
            language: Some("x\" onload=\"y"),
            ..Additions::default()
        };
        assert_eq!(
            page("<html lang=\"en\">", &additions).0,
            "<html lang=\"en\">"
        );
    }

    #[test]
    fn the_body_script_is_appended_and_hashed() {
        let additions = Additions {
            body_script: Some("<script>reload()</script>"),
            ..Additions::default()
        };
        let (html, hashes) = page("<html><body><p>x</p></body></html>", &additions);
        assert_eq!(
            html,
            "<html><body><p>x</p><script>reload()</script></body></html>"
        );
        assert_eq!(hashes, vec![sha("reload()")]);
    }
}
