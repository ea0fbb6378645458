//! `quire export --relative`: every root-relative link of every exported
//! page rewritten as a path relative to the page's own file, naming the
//! file itself (`/tags/rust` → `../tags/rust.html`, `/` → `index.html`,
//! `/?tag=wasm` → `_filtered/tag/wasm.html`), so the folder works opened
//! from disk (`file://`), where there is no host to find `x.html` for
//! `/x` or `index.html` for `/`, and served under a sub-path
//! (`user.github.io/blog/`), where `/x` names another site.
//!
//! What is rewritten: `href`, `src`, `srcset`, `action`, `poster` and a
//! refresh's `url=` (the redirect pages). Absolute URLs (canonical links,
//! `og:url`, feeds' entries) keep naming `base_url`; a link to an address
//! the export has no file for (an API, a filter of several facets) keeps
//! its root-relative form; scripts are left as they are, so the client,
//! which loads from the root, stays off there and the pages work as they
//! do without JavaScript.
//!
//! Why a module of its own: the one place that turns the site's addresses
//! into the export's file names from a page's point of view; serving the
//! folder at a host's root needs none of it, and pages without it stay
//! byte-identical to what `serve` sends.

use std::collections::HashSet;

use lol_html::{HtmlRewriter, Settings, element};

use super::output::slash_path;
use super::{files, filtered};
use crate::urls;

/// Every file the export holds, by `/`-separated path in the folder.
pub struct Targets {
    files: HashSet<String>,
}

impl Targets {
    pub fn new(files: impl IntoIterator<Item = String>) -> Self {
        Self {
            files: files.into_iter().collect(),
        }
    }

    /// The file `path` (no query) is answered from: a file of its own name
    /// (`/atom.xml`, an image), else a page (`/blog/x` → `blog/x.html`).
    fn file_of(&self, path: &str) -> Option<String> {
        [false, true]
            .into_iter()
            .filter_map(|html| files::file_for(path, html))
            .map(|file| slash_path(&file))
            .find(|file| self.files.contains(file))
    }

    /// `link` as seen from the page in file `from`, when it is a
    /// root-relative link to a file of the export; `None` leaves it as is.
    pub fn relative(&self, link: &str, from: &str) -> Option<String> {
        if !link.starts_with('/') || link.starts_with("//") {
            return None;
        }
        let (link, fragment) = match link.split_once('#') {
            Some((before, after)) => (before, Some(after)),
            None => (link, None),
        };
        let file = match link.split_once('?') {
            Some(_) => filtered::file_for(link)
                .map(|f| slash_path(&f))
                .filter(|f| self.files.contains(f))?,
            None => self.file_of(link)?,
        };
        let up = "../".repeat(from.matches('/').count());
        let encoded: Vec<String> = file.split('/').map(urls::encode_segment).collect();
        let mut out = format!("{up}{}", encoded.join("/"));
        if let Some(fragment) = fragment {
            out.push('#');
            out.push_str(fragment);
        }
        Some(out)
    }

    /// `html`, the page in file `from`, with its links rewritten.
    pub fn rewrite(&self, html: &[u8], from: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(html.len());
        let plain = ["href", "src", "action", "poster"];
        let result = {
            let settings = Settings::new()
                .append_element_content_handler(element!(
                    "[href], [src], [action], [poster]",
                    |el| {
                        for name in plain {
                            let new = el.get_attribute(name).and_then(|v| self.relative(&v, from));
                            if let Some(new) = new {
                                el.set_attribute(name, &new)?;
                            }
                        }
                        Ok(())
                    }
                ))
                .append_element_content_handler(element!("[srcset]", |el| {
                    if let Some(srcset) = el.get_attribute("srcset") {
                        el.set_attribute("srcset", &self.srcset(&srcset, from))?;
                    }
                    Ok(())
                }))
                .append_element_content_handler(element!(
                    "meta[http-equiv=refresh i][content]",
                    |el| {
                        if let Some(content) = el.get_attribute("content") {
                            el.set_attribute("content", &self.refresh(&content, from))?;
                        }
                        Ok(())
                    }
                ));
            let mut rewriter =
                HtmlRewriter::new(settings, |chunk: &[u8]| out.extend_from_slice(chunk));
            rewriter.write(html).and_then(|()| rewriter.end())
        };
        // A page lol_html cannot read is written as it was.
        match result {
            Ok(()) => out,
            Err(_) => html.to_vec(),
        }
    }

    /// Each URL of a `srcset` (`a.webp 480w, b.webp 960w`) rewritten.
    fn srcset(&self, srcset: &str, from: &str) -> String {
        let candidates = srcset.split(',').map(|candidate| {
            let candidate = candidate.trim();
            let (url, rest) = candidate.split_once(' ').unwrap_or((candidate, ""));
            let url = self.relative(url, from).unwrap_or_else(|| url.to_string());
            if rest.is_empty() {
                url
            } else {
                format!("{url} {rest}")
            }
        });
        candidates.collect::<Vec<_>>().join(", ")
    }

    /// A refresh's `0; url=/x` with the URL rewritten.
    fn refresh(&self, content: &str, from: &str) -> String {
        let Some((delay, target)) = content.split_once("url=") else {
            return content.to_string();
        };
        match self.relative(target.trim(), from) {
            Some(target) => format!("{delay}url={target}"),
            None => content.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> Targets {
        Targets::new(
            [
                "index.html",
                "blog/a.html",
                "blog/a/figure.png",
                "blog/café.html",
                "tags/rust.html",
                "atom.xml",
                "search.html",
                "_filtered/tag/wasm.html",
            ]
            .map(String::from),
        )
    }

    #[test]
    fn links_name_their_files_from_the_page_s_folder() {
        let t = targets();
        let cases = [
            ("/", "index.html", Some("index.html")),
            ("/", "blog/a.html", Some("../index.html")),
            ("/tags/rust", "blog/a.html", Some("../tags/rust.html")),
            ("/blog/a#top", "blog/a.html", Some("../blog/a.html#top")),
            (
                "/blog/a/figure.png",
                "blog/a.html",
                Some("../blog/a/figure.png"),
            ),
            ("/blog/caf%C3%A9", "index.html", Some("blog/caf%C3%A9.html")),
            ("/atom.xml", "tags/rust.html", Some("../atom.xml")),
            ("/?tag=wasm", "index.html", Some("_filtered/tag/wasm.html")),
            ("/?tag=rust&tag=wasm", "index.html", None),
            ("/api/search", "index.html", None),
            ("/blog/missing", "index.html", None),
            ("https://blog.example/blog/a", "index.html", None),
            ("//cdn.example/x.js", "index.html", None),
            ("#top", "index.html", None),
            ("relative.html", "index.html", None),
        ];
        for (link, from, want) in cases {
            assert_eq!(
                t.relative(link, from).as_deref(),
                want,
                "{link} from {from}"
            );
        }
    }

    #[test]
    fn a_page_s_links_sources_and_refresh_are_rewritten_and_scripts_are_not() {
        let html = br#"<html><head><link rel="canonical" href="https://blog.example/blog/a"><link rel="alternate" href="/atom.xml"><meta http-equiv="refresh" content="0; url=/tags/rust"><script>import("/assets/x.js")</script></head>
<body><a href="/">Home</a><img src="/blog/a/figure.png" srcset="/blog/a/figure.png 1x, /blog/a/missing.png 2x"><form action="/search"></form><a href="/api/x">api</a></body></html>"#;
        let out = String::from_utf8(targets().rewrite(html, "blog/a.html")).unwrap();
        for want in [
            r#"href="https://blog.example/blog/a""#,
            r#"href="../atom.xml""#,
            r#"content="0; url=../tags/rust.html""#,
            r#"import("/assets/x.js")"#,
            r#"<a href="../index.html">"#,
            r#"src="../blog/a/figure.png""#,
            r#"srcset="../blog/a/figure.png 1x, /blog/a/missing.png 2x""#,
            r#"action="../search.html""#,
            r#"href="/api/x""#,
        ] {
            assert!(out.contains(want), "{want} in {out}");
        }
    }
}
