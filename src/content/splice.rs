//! Markup that Quire makes itself (MathML, shortcode cards) is carried
//! through comrak and the raw-HTML sanitiser as an inert text placeholder
//! and put in place afterwards, so it is neither escaped by comrak nor
//! stripped by the sanitiser's allow-list (which knows nothing of MathML).
//!
//! A placeholder is two private-use characters around a nonce and an index.
//! The nonce is a hash of the Markdown body, so an author cannot write a
//! placeholder into a post (it would change the hash it has to match).

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
    nonce: String,
    items: Vec<Splice>,
}

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

impl Splices {
    /// Placeholders for a render of `markdown`.
    pub fn for_body(markdown: &str) -> Self {
        let hash = blake3::hash(markdown.as_bytes()).to_hex();
        Self {
            nonce: hash[..16].to_string(),
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
        format!("{OPEN}{}q{index}{CLOSE}", self.nonce)
    }

    /// `html` with every placeholder replaced by its markup.
    pub fn apply_html(&self, html: &str) -> String {
        self.apply(html, |splice, out, in_paragraph| {
            if splice.block && in_paragraph {
                out.truncate(out.len() - "<p>".len());
            }
            out.push_str(&splice.html);
            splice.block && in_paragraph
        })
    }

    /// `text` with every placeholder replaced by its plain text.
    pub fn apply_text(&self, text: &str) -> String {
        self.apply(text, |splice, out, _| {
            out.push_str(&splice.text);
            false
        })
    }

    /// Walks `input`, handing each placeholder to `put`, which writes its
    /// replacement and says whether a following `</p>\n` is to be dropped.
    fn apply(&self, input: &str, put: impl Fn(&Splice, &mut String, bool) -> bool) -> String {
        if self.items.is_empty() {
            return input.to_string();
        }
        let prefix = format!("{OPEN}{}q", self.nonce);
        let mut out = String::with_capacity(input.len());
        let mut rest = input;
        while let Some(at) = rest.find(&prefix) {
            out.push_str(&rest[..at]);
            let after = &rest[at + prefix.len()..];
            let Some((index, tail)) = after.split_once(CLOSE) else {
                break;
            };
            let Some(splice) = index.parse::<usize>().ok().and_then(|i| self.items.get(i)) else {
                out.push_str(&rest[at..at + prefix.len()]);
                rest = after;
                continue;
            };
            let whole_paragraph = out.ends_with("<p>") && tail.starts_with("</p>");
            rest = tail;
            if put(splice, &mut out, whole_paragraph) {
                rest = rest.trim_start_matches("</p>").trim_start_matches('\n');
                out.push('\n');
            }
        }
        out.push_str(rest);
        out
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
    fn a_placeholder_of_another_body_is_left_as_text() {
        let mut other = Splices::for_body("other");
        let foreign = other.add(splice("<b>x</b>", false));
        let mut splices = Splices::for_body("body");
        splices.add(splice("<i>y</i>", false));
        assert_eq!(splices.apply_html(&foreign), foreign);
    }
}
