//! Where the front matter ends and the body starts: TOML between `+++`
//! lines, YAML between `---` lines, Hugo's JSON object, after any blank
//! lines; and on which line of the file each starts, so errors name it.

use std::path::Path;

use crate::content::error::ContentError;

/// Which syntax the front matter was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
    /// Hugo's JSON object, its braces on the first and last lines.
    Json,
}

/// Front matter text and body, split apart.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub format: Format,
    pub front: &'a str,
    pub body: &'a str,
    /// 1-based line of the front matter's first line in the file (2,
    /// unless blank lines come before the opening delimiter).
    pub front_line: usize,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
}

/// Separates front matter from the body. The opening delimiter must be the
/// file's first line that is not blank, as Zola and Hugo read it (a UTF-8
/// byte order mark is tolerated).
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, ContentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (blank_lines, text) = skip_blank_lines(text);
    let open_line = blank_lines + 1;
    let first_line = text.lines().next().unwrap_or("").trim_end();
    let (format, delimiter) = match first_line {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ if is_json_opening(first_line) => return split_json(path, text, open_line),
        _ => {
            return Err(ContentError::not_a_post(ContentError::new(
                path,
                Some(open_line),
                "no front matter found, so this is not a post",
                "to publish it, start the file with a `+++` line, then `title = \"…\"`, then a closing `+++` line (or use `---` and YAML)",
            )));
        }
    };
    let after_open = &text[first_line.len()..];
    let after_open = after_open
        .strip_prefix("\r\n")
        .or_else(|| after_open.strip_prefix('\n'))
        .unwrap_or(after_open);
    let mut offset = 0;
    for (index, line) in after_open.split_inclusive('\n').enumerate() {
        if line.trim_end() == delimiter {
            let front = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            return Ok(Split {
                format,
                front,
                body,
                front_line: open_line + 1,
                body_line: open_line + index + 2,
            });
        }
        offset += line.len();
    }
    Err(ContentError::new(
        path,
        Some(open_line),
        format!("front matter opened with `{delimiter}` on line {open_line} is never closed"),
        format!("add a line containing only `{delimiter}` after the last front matter field"),
    ))
}

/// Whether `text` starts with front matter: its first line that is not
/// blank (after a byte order mark) opens it, as [`split`] reads it. An
/// HTML file under `content/` is a page only then (Hugo's and Jekyll's
/// rule), else no page.
pub fn opens(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = skip_blank_lines(text)
        .1
        .lines()
        .next()
        .unwrap_or("")
        .trim_end();
    matches!(first, "+++" | "---") || is_json_opening(first)
}

/// Whether a first line opens Hugo's JSON front matter: `{` alone or
/// before a key, not a shortcode's `{{`.
fn is_json_opening(line: &str) -> bool {
    line.strip_prefix('{')
        .is_some_and(|rest| rest.trim_start().is_empty() || rest.trim_start().starts_with('"'))
}

/// Hugo's JSON front matter: one object, the body after the line that
/// closes it.
fn split_json<'a>(path: &Path, text: &'a str, open_line: usize) -> Result<Split<'a>, ContentError> {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    if let Some(Err(err)) = values.next() {
        return Err(ContentError::new(
            path,
            Some(open_line + err.line().max(1) - 1),
            format!("invalid JSON front matter: {err}"),
            "check quoting, commas and the closing `}` of the object the file starts with",
        ));
    }
    let end = values.byte_offset();
    let (front, rest) = text.split_at(end);
    let closing_line = open_line + front.matches('\n').count();
    // The body starts on the next line, unless text follows the `}`.
    let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let (body, body_line) = match rest[..line_end].trim().is_empty() {
        true => (&rest[line_end..], closing_line + 1),
        false => (rest.trim_start_matches([' ', '\t']), closing_line),
    };
    Ok(Split {
        format: Format::Json,
        front,
        body,
        front_line: open_line,
        body_line,
    })
}

/// The number of blank (or whitespace-only) lines `text` starts with, and
/// the text after them.
fn skip_blank_lines(text: &str) -> (usize, &str) {
    let mut rest = text;
    let mut count = 0;
    while let Some(end) = rest.find('\n')
        && rest[..end].trim().is_empty()
    {
        rest = &rest[end + 1..];
        count += 1;
    }
    (count, rest)
}
