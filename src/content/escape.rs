//! The one escaper for text Quire writes into markup by hand: the sitemap
//! and the parts of feed entries that are not the post's own HTML. Pages
//! are escaped by Dioxus, post bodies by comrak, feeds' XML by their crates.

/// Text as XML or HTML that shows exactly that text, in content or in a
/// quoted attribute value: `& < > " '` become references every XML and
/// HTML reader knows, and the control characters XML 1.0 forbids are
/// dropped rather than emitted into a document that would not parse.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_references_and_forbidden_controls_go() {
        assert_eq!(
            escape_markup("a < b & \"c\" 'd' > 🦀"),
            "a &lt; b &amp; &quot;c&quot; &#39;d&#39; &gt; 🦀"
        );
        assert_eq!(escape_markup("bell\u{7}tab\t\r\n"), "belltab\t\r\n");
        assert_eq!(escape_markup("&amp;"), "&amp;amp;");
    }
}
