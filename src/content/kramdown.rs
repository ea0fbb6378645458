//! Jekyll's Markdown is kramdown's, whose raw HTML block runs to its
//! element's end tag, blank lines and all. CommonMark's (comrak's, as
//! Zola's and Hugo's) ends at the first blank line, so a table written
//! with blank lines inside its cells (jekyllrb.com's documentation) fell
//! apart: its rest was read as Markdown, an indented line as a code
//! block showing the markup. For a Jekyll document (in `_posts/`,
//! `_drafts/` or a collection) each blank line inside such a block is
//! filled with an empty HTML comment, which keeps the block whole and
//! shows nothing; lines keep their numbers. A block whose tag asks for
//! Markdown inside (`markdown="1"`) is left as written.

use std::borrow::Cow;
use std::path::Path;

/// CommonMark's block-level tags (spec 4.6, condition 6): an HTML block
/// starting with one of these ends at a blank line.
const BLOCK_TAGS: [&str; 62] = [
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// What fills a blank line inside a block: not blank, shows nothing.
const FILLER: &str = "<!-- -->";

/// Whether `relative` is a document Jekyll rendered with kramdown: a post
/// or draft, or a page of one of `collections` (`_docs/`).
pub fn is_jekyll_document(relative: &Path, collections: &[String]) -> bool {
    super::paths::in_collection(relative, collections) || super::paths::in_jekyll_posts(relative)
}

/// `body` with every blank line inside a raw HTML block filled, so the
/// block reaches its end tag as in kramdown.
pub fn whole_html_blocks(body: &str) -> Cow<'_, str> {
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut filled: Vec<usize> = Vec::new();
    let mut fence: Option<&str> = None;
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        if let Some(open) = fence {
            fence = (!closes_fence(line, open)).then_some(open);
        } else if let Some(open) = opens_fence(line) {
            fence = Some(open);
        } else if let Some(end) = block_tag(line).and_then(|tag| block_end(&lines, index, tag)) {
            filled.extend((index + 1..end).filter(|&i| lines[i].trim().is_empty()));
            index = end;
        }
        index += 1;
    }
    if filled.is_empty() {
        return Cow::Borrowed(body);
    }
    Cow::Owned(fill(&lines, &filled))
}

/// `lines` joined, those at `filled` replaced by the filler.
fn fill(lines: &[&str], filled: &[usize]) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        match filled.binary_search(&i) {
            Ok(_) => {
                out.push_str(FILLER);
                out.push_str(if line.ends_with('\n') { "\n" } else { "" });
            }
            Err(_) => out.push_str(line),
        }
    }
    out
}

/// The backticks or tildes opening a fenced code block on `line`.
fn opens_fence(line: &str) -> Option<&str> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let mark = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let run = trimmed.len() - trimmed.trim_start_matches(mark).len();
    (run >= 3).then(|| &trimmed[..run])
}

fn closes_fence(line: &str, open: &str) -> bool {
    opens_fence(line).is_some_and(|run| run.starts_with(open) && line.trim().len() == run.len())
}

/// The lower-case block tag that opens an HTML block on `line`, unless it
/// asks for Markdown inside (`markdown="1"`, kramdown's).
fn block_tag(line: &str) -> Option<String> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let rest = trimmed.strip_prefix('<')?;
    let name: String = rest
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let after = rest[name.len()..].chars().next();
    let ends_name = matches!(after, None | Some(' ' | '\t' | '\n' | '\r' | '>' | '/'));
    let markdown = line.contains("markdown=");
    (BLOCK_TAGS.contains(&name.as_str()) && ends_name && !markdown).then_some(name)
}

/// The index of the line that closes the `tag` element opened on line
/// `start` (its nested elements of the same name counted), when that is
/// a later line; `None` when it closes on its own line or never.
fn block_end(lines: &[&str], start: usize, tag: String) -> Option<usize> {
    let open = format!("<{tag}");
    let close = format!("</{tag}");
    let mut depth = 0usize;
    for (i, line) in lines.iter().enumerate().skip(start) {
        let lower = line.to_ascii_lowercase();
        depth += count_tags(&lower, &open);
        let closed = count_tags(&lower, &close);
        if closed >= depth {
            return (i > start).then_some(i);
        }
        depth -= closed;
    }
    None
}

/// How many tags starting with `prefix` (`<div`, `</div`) `line` holds.
fn count_tags(line: &str, prefix: &str) -> usize {
    line.match_indices(prefix)
        .filter(|(at, _)| {
            let after = line[at + prefix.len()..].chars().next();
            matches!(after, None | Some(' ' | '\t' | '\n' | '\r' | '>' | '/'))
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// jekyllrb.com's `_docs/static_files.md`, shortened.
    const TABLE: &str = "Metadata:\n\n<div class=\"scroller\">\n<table>\n  <tr>\n    <td><p><code>file.path</code></p></td>\n    <td><p>\n\n        The relative path, e.g. <code>/a.jpg</code>\n\n    </p></td>\n  </tr>\n</table>\n</div>\n\nAfter.\n";

    #[test]
    fn a_blank_line_inside_a_block_is_filled_up_to_its_end_tag() {
        let whole = whole_html_blocks(TABLE);
        assert_eq!(
            whole.lines().count(),
            TABLE.lines().count(),
            "lines keep their numbers"
        );
        assert_eq!(
            whole,
            TABLE
                .replace("<p>\n\n        The", "<p>\n<!-- -->\n        The")
                .replace("</code>\n\n    </p>", "</code>\n<!-- -->\n    </p>")
        );
        let html = crate::content::markdown::render(&whole, &Default::default()).html;
        assert!(!html.contains("<pre"), "no code block: {html}");
        assert!(
            html.contains("The relative path, e.g. <code>/a.jpg</code>"),
            "{html}"
        );
        assert!(html.contains("<p>After.</p>"), "{html}");
    }

    #[test]
    fn code_markdown_blocks_and_one_line_blocks_are_left_as_written() {
        for body in [
            "```\n<div>\n\n</div>\n```\n",
            "<div markdown=\"1\">\n\n**bold**\n\n</div>\n",
            "<div>one line</div>\n\n<p>two</p>\n",
            "<div>\n\nnever closed\n",
            "<span>\n\ninline\n\n</span>\n",
            "    <div>\n\n    </div>\n",
        ] {
            assert_eq!(whole_html_blocks(body), body, "{body:?}");
        }
    }

    #[test]
    fn nested_elements_of_the_same_name_are_counted() {
        let body = "<div>\n<div>\n\ninner\n</div>\n\nouter\n</div>\n\nAfter.\n";
        let want = "<div>\n<div>\n<!-- -->\ninner\n</div>\n<!-- -->\nouter\n</div>\n\nAfter.\n";
        assert_eq!(whole_html_blocks(body), want);
    }

    #[test]
    fn jekyll_s_documents_are_its_posts_drafts_and_collections() {
        let docs = ["docs".to_string()];
        for (path, jekyll) in [
            ("_posts/2020-01-01-a.md", true),
            ("en/news/_drafts/a.md", true),
            ("_docs/setup.md", true),
            ("_tutorials/a.md", false),
            ("posts/a.md", false),
            ("a.md", false),
        ] {
            assert_eq!(is_jekyll_document(Path::new(path), &docs), jekyll, "{path}");
        }
    }
}
