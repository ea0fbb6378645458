//! Every size limit on content, in one place.
//!
//! Ingest and `quire check` enforce these through the same functions
//! ([`super::read_text`], [`check_rendered`]), so a post `quire check`
//! accepts is a post the server serves whole, and the server's own limits
//! on what it buffers (`MAX_PAGE_BYTES`) sit safely above anything content
//! within these limits can produce.

use std::path::Path;

use super::ContentError;

/// Largest Markdown file accepted; bigger ones are almost certainly mistakes.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// Largest rendered body of one post. A 4 MB source of prose renders to
/// about as much HTML; headings (anchor links), footnotes and highlighted
/// code multiply it: 40,000 headings in 1.5 MB render to 8.8 MB.
pub const MAX_HTML_BYTES: usize = 12 * 1024 * 1024;
/// Headings listed in a post's table of contents; later headings keep their
/// anchors in the body but are not listed (a contents box of 40,000 lines
/// helps no reader and would double the page).
pub const MAX_TOC_ENTRIES: usize = 200;
/// Largest body the server buffers for one page (rewriting, hashing,
/// caching): the biggest post body plus its page around it fits with room
/// to spare. A page over it is an error (500, logged), never an empty 200.
pub const MAX_PAGE_BYTES: usize = 24 * 1024 * 1024;
/// Largest post body a feed entry carries; a bigger post's entry carries its
/// summary and a link to the whole post, so a feed of 50 entries stays a
/// few megabytes whatever the posts.
pub const MAX_FEED_ENTRY_BYTES: usize = 128 * 1024;

/// Longest description derived from a post's first paragraph (when the
/// front matter gives none): it is shown on every listing card, in link
/// previews and feeds, so a one-paragraph 4 MB post must not repeat itself
/// there. Cut at a word, with `…`.
pub const MAX_DERIVED_DESCRIPTION_CHARS: usize = 300;

/// `text` cut to at most `max` characters at a word boundary, with `…`
/// when anything was cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let at_word = cut
        .rfind(char::is_whitespace)
        .filter(|&i| i > cut.len() / 2);
    format!("{}…", cut[..at_word.unwrap_or(cut.len())].trim_end())
}

/// The rendered body of `relative` must fit [`MAX_HTML_BYTES`].
pub fn check_rendered(relative: &Path, html: &str) -> Result<(), ContentError> {
    if html.len() <= MAX_HTML_BYTES {
        return Ok(());
    }
    Err(ContentError::new(
        relative,
        None,
        format!(
            "the post renders to {:.1} MB of HTML; a post may render to at most {} MB",
            html.len() as f64 / 1e6,
            MAX_HTML_BYTES / (1024 * 1024)
        ),
        "split the post into several, or move large data into a file beside it (`<slug>/index.md`)",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_at_a_word_and_marks_the_cut() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("one two three four", 12), "one two…");
        assert_eq!(shorten(&"x".repeat(50), 10), format!("{}…", "x".repeat(9)));
        assert_eq!(shorten("héllo wörld ünïcode", 8), "héllo…");
    }
}
