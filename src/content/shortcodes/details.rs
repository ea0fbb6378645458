//! Disclosure boxes around Markdown: Hugo's own `{{< details summary="…"
//! open=true >}}…{{< /details >}}` (since 0.140), Hugo Book's
//! `{{< details "Title" open >}}` and the Learn themes'
//! `{{% expand "Title" %}}`. Each becomes `<details><summary>…</summary>`
//! and `</details>`, block markup that leaves the paragraph around it
//! (`Splices::apply_html`), so the Markdown between the tags is rendered as
//! the rest of the post and every line keeps its number.

use super::args::Args;
use super::callout::nested_pair;
use super::scan::Tag;
use crate::content::escape::escape_markup;
use crate::content::splice::Splice;

const NAMES: [&str; 2] = ["details", "expand"];

/// Where, among the `tags` after `tag`, the tag closing its box is, when
/// `tag` opens one (both alone on their lines, as for callouts; a box
/// opened inside it is closed first).
pub fn opens(tag: &Tag<'_>, body: &str, tags: &[Tag<'_>]) -> Option<usize> {
    if !NAMES.contains(&tag.name) {
        return None;
    }
    nested_pair(tag, body, tags)
}

/// The box's start: `<details>` (open when asked) and its summary.
pub fn start(tag: &Tag<'_>, args: &Args) -> Splice {
    let fallback = match tag.name {
        "expand" => "Expand me…",
        _ => "Details",
    };
    let summary = args
        .get("summary", None)
        .or_else(|| args.get("title", Some(0)))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(fallback);
    let open = match args.any(&["open", "expanded"]) {
        Some(value) => value == "true",
        None => args.positional[1.min(args.positional.len())..]
            .iter()
            .any(|word| word == "open" || word == "true"),
    };
    let open = if open { " open" } else { "" };
    Splice {
        html: format!("<details{open}><summary>{}</summary>", inline(summary)),
        text: format!("{summary} "),
        block: true,
    }
}

/// The summary's Markdown (`Show the **config**`), as Hugo renders it:
/// comrak's safe defaults (`javascript:` links left out), raw HTML shown
/// as text; a summary that is not one line of text is shown as written.
fn inline(summary: &str) -> String {
    let mut options = comrak::Options::default();
    options.render.escape = true;
    let html = comrak::markdown_to_html(summary, &options);
    let html = html.trim_end();
    match html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => escape_markup(summary),
    }
}

/// The box's end.
pub fn end() -> Splice {
    Splice {
        html: "</details>".into(),
        text: " ".into(),
        block: true,
    }
}

/// Starts a paragraph at the tag's line, which `out` ends in, so that the
/// line before (a list item's, a paragraph's) does not run on into it: a
/// blank line is put before it, and the blank line after the tag, if any,
/// is taken out so the lines after keep their numbers. Returns the bytes
/// taken after the tag, and the line of `out` put in when none could be.
pub fn own_paragraph(out: &mut String, after: &str) -> (usize, Option<usize>) {
    let start = out.rfind('\n').map_or(0, |i| i + 1);
    let before = out[..start].trim_end_matches('\n');
    let previous = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    if start == 0 || before.len() + 1 < start || previous.trim().is_empty() {
        return (0, None);
    }
    out.insert(start, '\n');
    match after.starts_with("\n\n") {
        true => (1, None),
        false => (0, Some(out[..start].matches('\n').count() + 1)),
    }
}
