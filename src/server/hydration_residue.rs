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
//! Only what Dioxus writes is touched, and it is found by its bytes, before
//! lol_html reads the page (so that pass reads less): an author's text
//! cannot spell these comments or attributes, since every `<` and `"` of
//! text is escaped (Markdown, Dioxus's text and attributes, syntect, the
//! JSON-LD block), and the sanitiser drops raw comments and unknown
//! attributes. A page that streams a suspended part
//! (`window.dx_hydrate(…)` after the bootstrap) keeps its scripts.

use std::ops::Range;

use memchr::memmem;

/// The attribute Dioxus marks hydrated elements with, as written.
const ATTRIBUTE: &[u8] = b" data-node-hydration=\"";
/// The opening of each bootstrap script Dioxus writes.
const SCRIPTS: [&[u8]; 2] = [
    b"<script>window.hydrate_queue=",
    b"<script>window.initial_dioxus_hydration_data=",
];
/// The longest marker comment's text (`placeholder` and a number).
const MARKER_MAX: usize = 32;
/// How a streamed part calls the bootstrap; the bootstrap names it once.
const STREAMED_CALL: &[u8] = b"dx_hydrate";

/// `html` without Dioxus's hydration attributes, comments and (unless a
/// streamed part still needs them) bootstrap scripts, in one copy.
pub fn stripped(html: &[u8]) -> Vec<u8> {
    let mut cuts: Vec<Range<usize>> = marker_comments(html).chain(attributes(html)).collect();
    if memmem::find_iter(html, STREAMED_CALL).nth(1).is_none() {
        cuts.extend(
            SCRIPTS
                .iter()
                .filter_map(|opening| script_span(html, opening)),
        );
    }
    cuts.sort_unstable_by_key(|cut| cut.start);
    let mut out = Vec::with_capacity(html.len());
    let mut kept_from = 0;
    for cut in cuts {
        if cut.start >= kept_from {
            out.extend_from_slice(&html[kept_from..cut.start]);
        }
        kept_from = kept_from.max(cut.end);
    }
    out.extend_from_slice(&html[kept_from..]);
    out
}

/// Where the script starting with `opening` lies, its end tag included.
fn script_span(html: &[u8], opening: &[u8]) -> Option<Range<usize>> {
    const END: &[u8] = b"</script>";
    let start = memmem::find(html, opening)?;
    let end = memmem::find(&html[start..], END)? + start + END.len();
    Some(start..end)
}

/// Where the `<!--#-->`, `<!--node-idN-->` and `<!--placeholderN-->`
/// comments lie.
fn marker_comments(html: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    memmem::find_iter(html, b"<!--").filter_map(|at| {
        let after = &html[at + 4..];
        // A marker is short: only its first bytes are looked at.
        let head = &after[..after.len().min(MARKER_MAX + 3)];
        let end = memmem::find(head, b"-->").filter(|&end| is_marker(&after[..end]))?;
        Some(at..at + 4 + end + 3)
    })
}

/// Where each ` data-node-hydration="…"` lies.
fn attributes(html: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    memmem::find_iter(html, ATTRIBUTE).map(|at| {
        let value = at + ATTRIBUTE.len();
        let end = memchr::memchr(b'"', &html[value..]).map_or(html.len(), |end| value + end + 1);
        at..end
    })
}

/// `#`, `node-id12` or `placeholder3`: the comments Dioxus writes.
fn is_marker(text: &[u8]) -> bool {
    let numbered = |prefix: &[u8]| {
        text.strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.iter().all(u8::is_ascii_digit))
    };
    text == b"#" || numbered(b"node-id") || numbered(b"placeholder")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        String::from_utf8(stripped(html.as_bytes())).unwrap()
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
            text(page),
            concat!(
                "<div id=\"main\"><article class=\"card\"><span>Databases</span>",
                "<!-- more --><!--#1--></article></div><script type=\"module\">load()</script>"
            )
        );
    }

    #[test]
    fn an_authors_text_is_never_taken() {
        let page = concat!(
            "<p>&lt;!--#--&gt; a data-node-hydration=&quot;1&quot; b</p>",
            "<pre><code>&lt;!--node-id1--&gt;</code></pre><p title=\"&lt;!--#--&gt;\">x</p>"
        );
        assert_eq!(text(page), page);
        let unclosed = "<p>x</p><!--#";
        assert_eq!(text(unclosed), unclosed);
    }

    #[test]
    fn a_streamed_part_keeps_the_bootstrap() {
        let page = "<script>window.hydrate_queue=[];window.dx_hydrate=(i)=>{};</script>\
                    <div hidden id=\"ds-1\"></div><script>window.dx_hydrate([1],\"\")</script>";
        assert_eq!(text(page), page);
    }

    #[test]
    fn only_dioxus_comments_are_markers() {
        for marker in ["#", "node-id0", "node-id123", "placeholder7"] {
            assert!(is_marker(marker.as_bytes()), "{marker}");
        }
        for kept in [" more ", "node-id", "placeholder", "node-id1x", "# ", "##"] {
            assert!(!is_marker(kept.as_bytes()), "{kept}");
        }
    }
}
