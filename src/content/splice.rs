//! Markup that Quire makes itself (MathML, shortcode cards) is carried
//! through comrak and the raw-HTML sanitiser as an inert text placeholder
//! and put in place afterwards, so it is neither escaped by comrak nor
//! stripped by the sanitiser's allow-list (which knows nothing of MathML).
//!
//! A placeholder is a nonce and an index written in private-use characters
//! only, so heading anchors (which keep letters and digits) never see it.
//! The nonce is a hash of the Markdown body, so an author cannot write a
//! placeholder into a post (it would change the hash it has to match).
//! A placeholder that lands in an attribute (a formula in an image's alt
//! text) becomes escaped text there, never markup.

use lol_html::{RewriteStrSettings, element, rewrite_str};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::escape::escape_markup;

/// What one placeholder stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Splice {
    /// Markup put into the page in its place.
    pub html: String,
    /// Plain text put into the summary and search text in its place.
    pub text: String,
    /// Block markup: a paragraph holding only this placeholder is replaced
    /// whole, so the block does not sit inside a `<p>`.
    pub block: bool,
}

/// The placeholders of one render.
#[derive(Clone, Debug, Default)]
pub struct Splices {
    /// `OPEN` and the nonce: how every placeholder of this render starts.
    prefix: String,
    items: Vec<Splice>,
}

const OPEN: char = '\u{E000}';
/// What a link's address keeps as it is when a placeholder's text goes
/// into it; the rest is percent-encoded, as comrak encodes addresses.
const URL_TEXT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');
const CLOSE: char = '\u{E001}';
/// Hex digit `d` of the nonce and decimal digit `d` of an index are written
/// as `DIGITS + d`.
const DIGITS: u32 = 0xE010;

fn private_digits(digits: &str) -> String {
    digits
        .chars()
        .filter_map(|c| c.to_digit(16))
        .filter_map(|d| char::from_u32(DIGITS + d))
        .collect()
}

fn read_index(encoded: &str) -> Option<usize> {
    let digits: Option<String> = encoded
        .chars()
        .map(|c| {
            (c as u32)
                .checked_sub(DIGITS)
                .and_then(|d| char::from_digit(d, 10))
        })
        .collect();
    digits?.parse().ok()
}

impl Splices {
    /// Placeholders for a render of `markdown`.
    pub fn for_body(markdown: &str) -> Self {
        let hash = blake3::hash(markdown.as_bytes()).to_hex();
        Self {
            prefix: format!("{OPEN}{}", private_digits(&hash[..16])),
            items: Vec::new(),
        }
    }

    /// Registers `splice` and returns the text that stands for it.
    pub fn add(&mut self, splice: Splice) -> String {
        let placeholder = self.placeholder(self.items.len());
        self.items.push(splice);
        placeholder
    }

    fn placeholder(&self, index: usize) -> String {
        format!(
            "{}{}{CLOSE}",
            self.prefix,
            private_digits(&index.to_string())
        )
    }

    /// `html` with every placeholder replaced by its markup; in attribute
    /// values (an image's alt text, a link's title) by its escaped text,
    /// since markup there would end the attribute.
    pub fn apply_html(&self, html: &str) -> String {
        if self.items.is_empty() {
            return html.to_string();
        }
        let html = self.text_in_attributes(html);
        self.apply(&html, true, |splice, out| out.push_str(&splice.html))
    }

    /// Placeholders in attribute values replaced by their escaped text.
    /// lol_html tokenises the HTML as a browser does, so what is left
    /// afterwards is in text content only. Should it fail, every
    /// placeholder becomes escaped text, which is safe anywhere.
    fn text_in_attributes(&self, html: &str) -> String {
        let escaped = |value: &str| {
            self.apply(value, false, |splice, out| {
                out.push_str(&escape_markup(&splice.text))
            })
        };
        let handler = element!("*", |el| {
            let changed: Vec<(String, String)> = el
                .attributes()
                .iter()
                .filter_map(|attribute| {
                    let value = self.unencoded(attribute.value())?;
                    Some((attribute.name(), escaped(&value)))
                })
                .collect();
            for (name, value) in changed {
                el.set_attribute(&name, &value)?;
            }
            Ok(())
        });
        let settings = RewriteStrSettings::new().append_element_content_handler(handler);
        rewrite_str(html, settings).unwrap_or_else(|_| escaped(html))
    }

    /// `value` when it holds a placeholder, one comrak percent-encoded in
    /// a link's address (a shortcode in `[x](/docs/{{< param v >}}/)`)
    /// replaced by its text percent-encoded: the address shows what the
    /// author wrote, never the placeholder's characters.
    fn unencoded(&self, value: String) -> Option<String> {
        let encoded = |text: &str| utf8_percent_encode(text, URL_TEXT).to_string();
        if value.contains(self.prefix.as_str()) {
            return Some(value);
        }
        if !value.contains(&encoded(&self.prefix)) {
            return None;
        }
        let mut value = value;
        for (index, splice) in self.items.iter().enumerate() {
            value = value.replace(&encoded(&self.placeholder(index)), &encoded(&splice.text));
        }
        Some(value)
    }

    /// `text` with every placeholder replaced by its plain text.
    pub fn apply_text(&self, text: &str) -> String {
        self.apply(text, false, |splice, out| out.push_str(&splice.text))
    }

    /// Walks `input`, handing each placeholder to `put`, which writes its
    /// replacement. With `lift`, a block placeholder alone on its line in
    /// a paragraph leaves it: the paragraph is closed before it and opened
    /// again after it (a `figure` or `details` tag with text on the next
    /// line never puts a block inside a `<p>`).
    fn apply(&self, input: &str, lift: bool, put: impl Fn(&Splice, &mut String)) -> String {
        if self.items.is_empty() {
            return input.to_string();
        }
        let prefix = &self.prefix;
        let mut out = String::with_capacity(input.len());
        let mut rest = input;
        while let Some(at) = rest.find(prefix.as_str()) {
            out.push_str(&rest[..at]);
            let after = &rest[at + prefix.len()..];
            let Some((index, tail)) = after.split_once(CLOSE) else {
                break;
            };
            let Some(splice) = read_index(index).and_then(|i| self.items.get(i)) else {
                out.push_str(&rest[at..at + prefix.len()]);
                rest = after;
                continue;
            };
            let line = match lift && splice.block {
                true => Line::of(&out, tail),
                false => Line::Inline,
            };
            line.close_before(&mut out);
            put(splice, &mut out);
            rest = line.open_after(&mut out, tail);
        }
        out.push_str(rest);
        out
    }
}

/// Where a placeholder stands in the rendered HTML: within a line, or
/// alone on its line of a paragraph, which a block leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Line {
    Inline,
    /// The paragraph's only line.
    Whole,
    First,
    Last,
    Middle,
}

impl Line {
    fn of(before: &str, after: &str) -> Line {
        let opens = before.ends_with("<p>");
        let broken = before.ends_with('\n') && in_paragraph(before);
        let closes = after.starts_with("</p>");
        let breaks = after.starts_with('\n');
        match (opens, broken, closes, breaks) {
            (true, _, true, _) => Line::Whole,
            (true, _, _, true) => Line::First,
            (_, true, true, _) => Line::Last,
            (_, true, _, true) => Line::Middle,
            _ => Line::Inline,
        }
    }

    /// Ends the paragraph before the block, or drops its empty start.
    fn close_before(self, out: &mut String) {
        match self {
            Line::Inline => {}
            Line::Whole | Line::First => out.truncate(out.len() - "<p>".len()),
            Line::Last | Line::Middle => {
                out.pop();
                out.push_str("</p>\n");
            }
        }
    }

    /// What follows the block: the rest of the paragraph opened again, or
    /// its end dropped.
    fn open_after<'a>(self, out: &mut String, after: &'a str) -> &'a str {
        match self {
            Line::Inline => after,
            Line::Whole | Line::Last => {
                out.push('\n');
                after["</p>".len()..].trim_start_matches('\n')
            }
            Line::First | Line::Middle => {
                out.push_str("\n<p>");
                &after[1..]
            }
        }
    }
}

/// Whether the end of `html` is inside a `<p>`: its last paragraph opened
/// and not closed (a paragraph holds no other block, so nothing between
/// can be another one's).
fn in_paragraph(html: &str) -> bool {
    match (html.rfind("<p>"), html.rfind("</p>")) {
        (Some(open), Some(close)) => open > close,
        (Some(_), None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splice(html: &str, block: bool) -> Splice {
        Splice {
            html: html.into(),
            text: "T".into(),
            block,
        }
    }

    #[test]
    fn placeholders_become_markup_and_blocks_leave_their_paragraph() {
        let mut splices = Splices::for_body("body");
        let inline = splices.add(splice("<math></math>", false));
        let block = splices.add(splice("<figure></figure>", true));
        let html = format!("<p>a {inline} b</p>\n<p>{block}</p>\n<p>c {block}</p>\n");
        assert_eq!(
            splices.apply_html(&html),
            "<p>a <math></math> b</p>\n<figure></figure>\n<p>c <figure></figure></p>\n"
        );
        assert_eq!(splices.apply_text(&format!("a {inline} b")), "a T b");
    }

    #[test]
    fn a_block_alone_on_a_line_of_a_paragraph_leaves_it() {
        let mut splices = Splices::for_body("body");
        let block = splices.add(splice("<figure></figure>", true));
        let cases = [
            (
                format!("<p>{block}\nafter</p>\n"),
                "<figure></figure>\n<p>after</p>\n",
            ),
            (
                format!("<p>before\n{block}</p>\n"),
                "<p>before</p>\n<figure></figure>\n",
            ),
            (
                format!("<p>a\n{block}\nb</p>\n"),
                "<p>a</p>\n<figure></figure>\n<p>b</p>\n",
            ),
            (
                format!("<ul>\n<li>a\n{block}</li>\n</ul>\n"),
                "<ul>\n<li>a\n<figure></figure></li>\n</ul>\n",
            ),
        ];
        for (html, expected) in cases {
            assert_eq!(splices.apply_html(&html), expected, "{html:?}");
        }
    }

    #[test]
    fn placeholders_hold_no_letter_or_digit() {
        let mut splices = Splices::for_body("body");
        for _ in 0..12 {
            splices.add(splice("x", false));
        }
        let placeholder = splices.add(splice("<b>12</b>", false));
        assert!(
            !placeholder.chars().any(char::is_alphanumeric),
            "{placeholder:?}"
        );
        assert_eq!(splices.apply_html(&placeholder), "<b>12</b>");
    }

    #[test]
    fn a_placeholder_of_another_body_is_left_as_text() {
        let mut other = Splices::for_body("other");
        let foreign = other.add(splice("<b>x</b>", false));
        let mut splices = Splices::for_body("body");
        splices.add(splice("<i>y</i>", false));
        assert_eq!(splices.apply_html(&foreign), foreign);
    }
}
