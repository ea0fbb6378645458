//! A post whose front matter names no title. Zola and Hugo publish such
//! a page (untitled, at its address), so a site moved from them would lose
//! that address and its text if Quire skipped it. Quire publishes it under
//! a title read from the post itself: its body's leading `# heading` (then
//! not shown a second time under the page's own), else its file name; a
//! warning says which, so `quire check` tells the author how to choose.
//! A file with neither a title nor a body is another engine's
//! template-only page (a search or archive page its layout fills): it is
//! reported and skipped, as before. A Jekyll post (in `_posts/` or
//! `_drafts/`) or a page of a collection it reads (`_docs/`) keeps the
//! title Jekyll gave it, from its file name, with no warning: that is the
//! title its readers knew. One module owns every
//! title not written in the front matter.

use std::borrow::Cow;
use std::path::Path;

use comrak::{Arena, Options, parse_document};

use super::error::ContentError;
use super::paths::undated_name;

/// The title an untitled post is shown under, the body to render, and
/// the warning that says where the title came from (none for Jekyll's).
#[derive(Debug)]
pub struct Titled<'a> {
    pub title: String,
    pub body: Cow<'a, str>,
    pub warning: Option<ContentError>,
}

/// Titles the post at `relative` whose front matter (from `front_line`)
/// names none; `body` starts on the file's line `body_line`. `jekyll`:
/// the file is a Jekyll document (a post, or a page of a collection),
/// which Jekyll titled after its file name.
pub fn title<'a>(
    relative: &Path,
    body: &'a str,
    lines: (usize, usize),
    jekyll: bool,
) -> Result<Titled<'a>, ContentError> {
    let (front_line, body_line) = lines;
    if let Some(title) = jekyll.then(|| jekyll_title(relative)).flatten() {
        return Ok(Titled {
            title,
            body: Cow::Borrowed(body),
            warning: None,
        });
    }
    if body.trim().is_empty() {
        return Err(no_title_no_body(relative, front_line));
    }
    if let Some((index, text, title)) = leading_heading(body) {
        let warning = warning(relative, body_line + index, &title, "its first heading");
        return Ok(Titled {
            title,
            body: Cow::Owned(without_line(body, text)),
            warning: Some(warning),
        });
    }
    let title = from_file_name(relative);
    let warning = warning(relative, front_line, &title, "its file name");
    Ok(Titled {
        title,
        body: Cow::Borrowed(body),
        warning: Some(warning),
    })
}

/// Jekyll's title for a post that sets none: its file name without the
/// date, each word between hyphens capitalised as Ruby does (first letter
/// upper case, the rest lower): `2018-04-25-KubeVirt-Network-Deep-Dive.md`
/// is "Kubevirt Network Deep Dive"; a collection's `rendering-process.md`
/// is "Rendering Process" (Jekyll's `Document#populate_title`).
fn jekyll_title(relative: &Path) -> Option<String> {
    let stem = relative.file_stem()?.to_str()?;
    let slug = undated_name(stem).trim_end_matches('.');
    let capitalized = slug.split('-').map(|word| {
        let mut chars = word.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
        first.unwrap_or_default() + &chars.as_str().to_lowercase()
    });
    Some(capitalized.collect::<Vec<_>>().join(" ")).filter(|t| !t.trim().is_empty())
}

fn no_title_no_body(relative: &Path, front_line: usize) -> ContentError {
    ContentError::new(
        relative,
        Some(front_line),
        "no `title` and no text, so this is not a post (another engine's template-only page)",
        "add `title = \"Your title\"` and some text to publish it",
    )
    .not_a_post()
}

fn warning(relative: &Path, line: usize, title: &str, from: &str) -> ContentError {
    ContentError::new(
        relative,
        Some(line),
        format!("the front matter names no `title`: published as \"{title}\", from {from}"),
        "add `title = \"Your title\"` to the front matter to choose it",
    )
}

/// The body's first line that is not blank, when it is a level-one ATX
/// heading (`# Title`) with text: its index among the lines, the line
/// itself, and its text without markup.
fn leading_heading(body: &str) -> Option<(usize, &str, String)> {
    let (index, line) = body
        .split_inclusive('\n')
        .enumerate()
        .find(|(_, line)| !line.trim().is_empty())?;
    let heading = line.trim_start_matches(' ');
    let is_h1 =
        line.len() - heading.len() < 4 && heading.strip_prefix('#')?.starts_with([' ', '\t']);
    let title = is_h1.then(|| heading_text(heading))?;
    (!title.is_empty()).then_some((index, line, title))
}

/// The text of a heading line as a reader sees it: `# The *new* \`x\``
/// is "The new x".
fn heading_text(line: &str) -> String {
    let arena = Arena::new();
    let root = parse_document(&arena, line, &Options::default());
    let text = root.collect_text();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `body` with `line` (one of its lines, by address) left blank, so the
/// lines after it keep their numbers.
fn without_line(body: &str, line: &str) -> String {
    let start = line.as_ptr() as usize - body.as_ptr() as usize;
    let ending = if line.ends_with('\n') { "\n" } else { "" };
    format!("{}{ending}{}", &body[..start], &body[start + line.len()..])
}

/// The file's name (its folder's, for a bundle's `index.md`) without its
/// date, words apart and the first capitalised: `2019-05-02-my_first-post.md`
/// is "My first post".
fn from_file_name(relative: &Path) -> String {
    let stem = relative.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let named = match stem {
        "index" => relative
            .parent()
            .and_then(Path::file_name)
            .and_then(|s| s.to_str()),
        _ => Some(stem),
    };
    let words = undated_name(named.unwrap_or(stem)).replace(['-', '_'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titled(relative: &str, body: &str) -> Result<Titled<'static>, ContentError> {
        let body: &'static str = Box::leak(body.to_string().into_boxed_str());
        let jekyll = crate::content::paths::in_jekyll_posts(Path::new(relative));
        title(Path::new(relative), body, (2, 4), jekyll)
    }

    /// kubevirt.io's posts set no title; Jekyll gave them their file's,
    /// which stays theirs, with no warning, even over a heading or with
    /// no text.
    #[test]
    fn a_jekyll_post_gets_the_title_jekyll_gave_it() {
        let got = titled(
            "_posts/2018-04-25-KubeVirt-Network-Deep-Dive.markdown",
            "# Other\n",
        )
        .unwrap();
        assert_eq!(got.title, "Kubevirt Network Deep Dive");
        assert!(got.warning.is_none());
        assert_eq!(got.body, "# Other\n");
        let got = titled("en/news/_drafts/élan-vital.md", "").unwrap();
        assert_eq!(got.title, "Élan Vital");
        let elsewhere = titled("notes/2018-04-25-the-notes.md", "Text.").unwrap();
        assert_eq!(elsewhere.title, "The notes");
        assert!(elsewhere.warning.is_some());
    }

    #[test]
    fn the_leading_heading_is_the_title_and_is_not_shown_twice() {
        let got = titled("posts/x.md", "\n# The *new* `quire`  #\n\nText.\n").unwrap();
        assert_eq!(got.title, "The new quire");
        assert_eq!(
            got.body, "\n\n\nText.\n",
            "the heading's line is left blank"
        );
        let warning = got.warning.unwrap();
        assert_eq!(warning.line, Some(5), "the heading's line in the file");
        assert!(
            warning
                .message
                .contains("\"The new quire\", from its first heading")
        );
        assert!(warning.fix.contains("title = "));
    }

    #[test]
    fn without_a_leading_heading_the_file_name_is_the_title() {
        let got = titled("2019-05-02-my_first-post.md", "Text first.\n# Later\n").unwrap();
        assert_eq!(got.title, "My first post");
        assert_eq!(got.body, "Text first.\n# Later\n", "the body as written");
        assert_eq!(
            got.warning.unwrap().line,
            Some(2),
            "the front matter's line"
        );
        assert_eq!(titled("notes/hello/index.md", "Hi").unwrap().title, "Hello");
        assert_eq!(titled("_-.md", "Hi").unwrap().title, "Untitled");
    }

    #[test]
    fn what_is_not_a_level_one_heading_is_text() {
        for body in ["## Two\n", "#hashtag\n", "    # code\n", "#\n", "# \n"] {
            let got = titled("a-b.md", body).unwrap();
            assert_eq!(got.title, "A b", "{body:?}");
            assert_eq!(got.body, body, "{body:?}");
        }
    }

    #[test]
    fn no_title_and_no_text_is_not_a_post() {
        let err = titled("search.md", " \n\n").unwrap_err();
        assert_eq!(err.severity, crate::content::error::Severity::NotAPost);
        assert_eq!(err.line, Some(2));
        assert!(err.fix.contains("title = "), "{err}");
    }
}
