//! What Dioxus's server renderer writes for a client that hydrates the
//! page, taken off every page by [`super::page_rewrite`].
//!
//! Quire's client does not hydrate: it mounts islands into the server's
//! markup and reads what it needs from the DOM (`web::islands`). So the
//! `data-node-hydration` attributes, the `<!--node-idN-->`, `<!--#-->` and
//! `<!--placeholderN-->` comments, and the two bootstrap scripts
//! (`window.hydrate_queue`, `window.initial_dioxus_hydration_data`) are
//! bytes no reader uses: on a listing page of 20 cards they were 40% of
//! the HTML and a third of its brotli, on an article a tenth; every one of
//! them was also compressed, cached and written by `quire export`.
//!
//! Only what Dioxus writes is touched: an author's text cannot hold these
//! comments or attributes (Markdown escapes `<` and `"`, and the sanitiser
//! drops raw comments), and a page that streams a suspended part
//! (`window.dx_hydrate(…)` after the bootstrap) keeps its scripts.

use std::borrow::Cow;

use lol_html::{Settings, doc_comments, element};
use memchr::memmem;

/// The attribute Dioxus marks hydrated elements with.
const ATTRIBUTE: &str = "data-node-hydration";
/// The opening of each bootstrap script Dioxus writes.
const SCRIPTS: [&[u8]; 2] = [
    b"<script>window.hydrate_queue=",
    b"<script>window.initial_dioxus_hydration_data=",
];
/// How a streamed part calls the bootstrap; the bootstrap names it once.
const STREAMED_CALL: &[u8] = b"dx_hydrate";

/// `html` without Dioxus's bootstrap scripts, unless a streamed part
/// still needs them.
pub fn without_scripts(html: &[u8]) -> Cow<'_, [u8]> {
    if memmem::find_iter(html, STREAMED_CALL).nth(1).is_some() {
        return Cow::Borrowed(html);
    }
    let mut page = Cow::Borrowed(html);
    for opening in SCRIPTS {
        if let Some(span) = script_span(&page, opening) {
            page.to_mut().drain(span);
        }
    }
    page
}

/// Where the script starting with `opening` lies, its end tag included.
fn script_span(html: &[u8], opening: &[u8]) -> Option<std::ops::Range<usize>> {
    const END: &[u8] = b"</script>";
    let start = memmem::find(html, opening)?;
    let end = memmem::find(&html[start..], END)? + start + END.len();
    Some(start..end)
}

/// `settings` with handlers taking the attributes and comments off.
pub fn handlers<'h>(settings: Settings<'h, 'static>) -> Settings<'h, 'static> {
    settings
        .append_element_content_handler(element!("[data-node-hydration]", |el| {
            el.remove_attribute(ATTRIBUTE);
            Ok(())
        }))
        .append_document_content_handler(doc_comments!(|comment| {
            if is_marker(&comment.text()) {
                comment.remove();
            }
            Ok(())
        }))
}

/// `#`, `node-id12` or `placeholder3`: the comments Dioxus writes.
fn is_marker(text: &str) -> bool {
    let numbered = |prefix: &str| {
        text.strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    text == "#" || numbered("node-id") || numbered("placeholder")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(html: &str) -> String {
        let html = without_scripts(html.as_bytes());
        let mut out = Vec::new();
        let mut rewriter = lol_html::HtmlRewriter::new(handlers(Settings::new()), |c: &[u8]| {
            out.extend_from_slice(c)
        });
        rewriter.write(&html).unwrap();
        rewriter.end().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn markers_and_bootstrap_go_and_the_page_stays() {
        let page = concat!(
            "<div id=\"main\"><script>window.hydrate_queue=[];window.dx_hydrate=(id)=>{};</script>",
            "<!--placeholder0--><article class=\"card\" data-node-hydration=\"61\">",
            "<span><!--node-id62-->Databases<!--#--></span><!-- more --><!--#1-->",
            "</article><script>window.initial_dioxus_hydration_data=\"k4E=\";</script></div>",
            "<script type=\"module\">load()</script>"
        );
        assert_eq!(
            stripped(page),
            concat!(
                "<div id=\"main\"><article class=\"card\"><span>Databases</span>",
                "<!-- more --><!--#1--></article></div><script type=\"module\">load()</script>"
            )
        );
    }

    #[test]
    fn a_streamed_part_keeps_the_bootstrap() {
        let page = "<script>window.hydrate_queue=[];window.dx_hydrate=(i)=>{};</script>\
                    <div hidden id=\"ds-1\"></div><script>window.dx_hydrate([1],\"\")</script>";
        assert_eq!(without_scripts(page.as_bytes()), page.as_bytes());
    }

    #[test]
    fn only_dioxus_comments_are_markers() {
        for marker in ["#", "node-id0", "node-id123", "placeholder7"] {
            assert!(is_marker(marker), "{marker}");
        }
        for kept in [" more ", "node-id", "placeholder", "node-id1x", "# ", "##"] {
            assert!(!is_marker(kept), "{kept}");
        }
    }
}
