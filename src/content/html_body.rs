//! A document written in HTML: Hugo's content format `html` (front
//! matter, then HTML: letsencrypt.org's donate and statistics pages),
//! Jekyll's `.html` pages and the posts `jekyll-import` writes for a
//! WordPress blog. Its body is HTML as written, never read as Markdown:
//! a blank line must not end it, an indented line is no code block, and
//! `a_b_c` is no emphasis.
//!
//! So comrak is handed the body as one raw HTML block, and the raw HTML
//! policy sanitises it and reports what it removes, line by line, as it
//! does for HTML written in Markdown. comrak sees no prose in a raw
//! block, so the prose that search, the summary and the reading time
//! need is read here from the HTML, by html5ever's tokenizer (the one the
//! sanitiser parses with: entities decoded as a browser decodes them).

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::markdown::Rendered;

/// The marker that ends a summary, as in Markdown.
const MORE_MARKER: &str = "<!-- more -->";

/// `body` as Markdown that comrak reads as one raw HTML block: `<div>`
/// opens its first line (a block-level tag, CommonMark's condition 6,
/// whose block only a blank line ends) and each blank line is filled
/// with an empty comment, which the page does not show. Every line keeps
/// its number, so problems name the file's lines. An empty body (a page
/// its old layout filled) stays empty.
pub fn as_one_block(body: &str) -> String {
    if body.trim().is_empty() {
        return String::new();
    }
    let mut block = String::with_capacity(body.len() + 64);
    block.push_str("<div>");
    for line in body.split_inclusive('\n') {
        if line.trim().is_empty() {
            block.push_str("<!-- -->");
            block.push_str(&line[line.trim_end_matches(['\r', '\n']).len()..]);
        } else {
            block.push_str(line);
        }
    }
    if !block.ends_with('\n') {
        block.push('\n');
    }
    block.push_str("</div>\n");
    block
}

/// Fills in what comrak could not read from an HTML body (`source`, as
/// written): the prose for search, the summary (the text before `<!--
/// more -->`, else the first paragraph) and the reading time.
pub fn read_prose(rendered: &mut Rendered, source: &str) {
    rendered.plain_text = collapse(&prose(&rendered.html));
    let (words, minutes) = super::reading::estimate(&rendered.plain_text);
    rendered.word_count = words;
    rendered.reading_minutes = minutes;
    rendered.summary = match source.split_once(MORE_MARKER) {
        Some((before, _)) => collapse(&prose(before)),
        None => first_paragraph(&rendered.html),
    };
}

/// The text of the first `<p>` of `html` that has any, else nothing.
fn first_paragraph(html: &str) -> String {
    let mut rest = html;
    while let Some(start) = rest.find("<p") {
        let after = &rest[start + 2..];
        if !after.starts_with(['>', ' ', '\t', '\n', '\r']) {
            rest = after;
            continue;
        }
        let end = after.find("</p>").unwrap_or(after.len());
        let text = collapse(&prose(&format!("<p{}", &after[..end])));
        if !text.is_empty() {
            return text;
        }
        rest = &after[end..];
    }
    String::new()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text a reader reads in `html`: characters outside scripts,
/// styles, templates and preformatted code, with a space where a tag was.
fn prose(html: &str) -> String {
    let tokenizer = Tokenizer::new(Prose::default(), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.text.take()
}

/// Elements whose content is no prose.
const SKIPPED: [&str; 5] = ["script", "style", "template", "pre", "noscript"];

#[derive(Default)]
struct Prose {
    text: RefCell<String>,
    /// How many [`SKIPPED`] elements are open.
    skipping: RefCell<usize>,
}

impl TokenSink for Prose {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(text) if *self.skipping.borrow() == 0 => {
                self.text.borrow_mut().push_str(&text);
            }
            Token::TagToken(tag) => {
                self.text.borrow_mut().push(' ');
                let name = tag.name.to_string();
                if !SKIPPED.contains(&name.as_str()) || tag.self_closing {
                    return TokenSinkResult::Continue;
                }
                let mut skipping = self.skipping.borrow_mut();
                match tag.kind {
                    TagKind::StartTag => *skipping += 1,
                    TagKind::EndTag => *skipping = skipping.saturating_sub(1),
                }
                return match (tag.kind, name.as_str()) {
                    (TagKind::StartTag, "script") => TokenSinkResult::RawData(RawKind::ScriptData),
                    (TagKind::StartTag, "style") => TokenSinkResult::RawData(RawKind::Rawtext),
                    _ => TokenSinkResult::Continue,
                };
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::{RenderOptions, render};

    fn rendered(body: &str) -> Rendered {
        let mut out = render(&as_one_block(body), &RenderOptions::default());
        read_prose(&mut out, body);
        out
    }

    #[test]
    fn the_body_stays_html_through_blank_lines_and_indentation() {
        let body = "<p>First a_b_c *not emphasis*.</p>\n\n<div>\n\n        <p>Indented, not code.</p>\n\n</div>\n";
        let out = rendered(body);
        assert!(
            out.html.contains("<p>First a_b_c *not emphasis*.</p>"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<p>Indented, not code.</p>"),
            "{}",
            out.html
        );
        assert!(!out.html.contains("<pre"), "{}", out.html);
        assert!(!out.html.contains("&lt;"), "{}", out.html);
        assert_eq!(out.summary, "First a_b_c *not emphasis*.");
        assert_eq!(
            out.plain_text,
            "First a_b_c *not emphasis*. Indented, not code."
        );
        assert_eq!(out.word_count, 7);
    }

    #[test]
    fn scripts_are_removed_and_reported_on_their_line_and_are_no_prose() {
        let body =
            "<p>Give &amp; get</p>\n\n<script>var x = 'secret';</script>\n<style>p{}</style>\n";
        let out = rendered(body);
        assert!(!out.html.contains("secret"), "{}", out.html);
        assert!(!out.plain_text.contains("secret"), "{}", out.plain_text);
        assert_eq!(out.plain_text, "Give & get");
        let script = out.problems.iter().find(|p| p.message.contains("<script>"));
        assert_eq!(script.and_then(|p| p.line), Some(3), "{:?}", out.problems);
    }

    #[test]
    fn the_summary_is_the_text_before_the_more_marker() {
        let out = rendered("<p>One</p>\n<p>Two</p>\n<!-- more -->\n<p>Three</p>\n");
        assert_eq!(out.summary, "One Two");
        assert_eq!(as_one_block("a\n\nb"), "<div>a\n<!-- -->\nb\n</div>\n");
        assert_eq!(as_one_block("\n \n"), "");
    }
}
