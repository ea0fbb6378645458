//! Themes' callout shortcodes, a box around Markdown: Docsy's
//! `{{% alert title="Note" color="warning" %}}…{{% /alert %}}` (etcd,
//! gRPC and most Hugo documentation), the Learn themes' `notice` and
//! Hugo Book's `hint`, and the `note`, `warning`… of Kubernetes' and
//! linkerd.io's sites. Each becomes a GitHub alert (`> [!WARNING] Note`,
//! comrak's `alerts`), so its body is Markdown inside the box, and the
//! lines after it stay the file's: the opening tag's line is the alert's
//! first, each body line is quoted in place, the closing tag's line is
//! left empty.

use super::args::Args;
use super::known::escape_markdown;
use super::scan::Tag;

/// The shortcodes read as callouts: those with the kind in an argument,
/// then those named after their kind (Kubernetes' and linkerd.io's
/// `{{< note >}}`, `{{< warning >}}`).
const NAMES: [&str; 9] = [
    "alert",
    "notice",
    "hint",
    "note",
    "tip",
    "info",
    "important",
    "warning",
    "caution",
];

/// Where, among the `tags` after `tag`, the tag closing its callout is,
/// when `tag` opens one: the opening tag alone on its line, the next tag
/// of that name the closing one, first on its line (what follows it,
/// etcd's `{{% /alert %}}.`, is kept: Markdown reads it into the box's
/// last paragraph).
pub fn opens(tag: &Tag<'_>, body: &str, tags: &[Tag<'_>]) -> Option<usize> {
    if !NAMES.contains(&tag.name) {
        return None;
    }
    alone_pair(tag, body, tags)
}

/// Where, among the `tags` after `tag`, its closing tag is: `tag` alone
/// on its line, the next tag of its name a closing one first on its line.
pub fn alone_pair(tag: &Tag<'_>, body: &str, tags: &[Tag<'_>]) -> Option<usize> {
    if !opens_alone(tag, body) {
        return None;
    }
    let close = tags.iter().position(|t| t.name == tag.name)?;
    (tags[close].closing && starts_line(&tags[close], body)).then_some(close)
}

/// As [`alone_pair`], for boxes that nest (a `details` in a `details`):
/// a tag of the same name that opens alone on its line is closed first.
pub fn nested_pair(tag: &Tag<'_>, body: &str, tags: &[Tag<'_>]) -> Option<usize> {
    if !opens_alone(tag, body) {
        return None;
    }
    let mut depth = 0usize;
    for (at, other) in tags.iter().enumerate() {
        if other.name != tag.name || other.escaped {
            continue;
        }
        match (other.closing, depth) {
            (true, 0) => return starts_line(other, body).then_some(at),
            (true, _) => depth -= 1,
            (false, _) if opens_alone(other, body) => depth += 1,
            (false, _) => {}
        }
    }
    None
}

/// Whether `tag` opens, alone on its line.
fn opens_alone(tag: &Tag<'_>, body: &str) -> bool {
    !tag.closing && !tag.escaped && starts_line(tag, body) && ends_line(tag, body)
}

fn starts_line(tag: &Tag<'_>, body: &str) -> bool {
    let start = body[..tag.range.start].rfind('\n').map_or(0, |i| i + 1);
    body[start..tag.range.start].trim().is_empty()
}

fn ends_line(tag: &Tag<'_>, body: &str) -> bool {
    let rest = &body[tag.range.end..];
    rest[..rest.find('\n').unwrap_or(rest.len())]
        .trim()
        .is_empty()
}

/// The alert's first line: its kind and title.
pub fn header(tag: &Tag<'_>, args: &Args) -> String {
    let (kind, title) = match tag.name {
        // Docsy: `color` (Bootstrap's), `title`.
        "alert" => (
            args.get("color", None).unwrap_or("info"),
            args.get("title", None),
        ),
        // Learn: `{{% notice tip "Title" %}}` or `style=`/`title=`.
        "notice" => (
            args.get("style", Some(0)).unwrap_or("note"),
            args.get("title", Some(1)),
        ),
        // Hugo Book: `{{< hint warning >}}`.
        "hint" => (
            args.get("type", Some(0)).unwrap_or("info"),
            args.get("title", None),
        ),
        // `{{< note >}}`, `{{< warning title="…" >}}`.
        kind => (kind, args.get("title", None)),
    };
    let kind = match kind.trim().to_ascii_lowercase().as_str() {
        "success" | "tip" | "green" => "TIP",
        "warning" | "orange" | "yellow" => "WARNING",
        "danger" | "error" | "caution" | "red" => "CAUTION",
        "important" => "IMPORTANT",
        _ => "NOTE",
    };
    let title = title.map(str::trim).filter(|t| !t.is_empty());
    match title {
        Some(title) => format!("> [!{kind}] {}", escape_markdown(title)),
        None => format!("> [!{kind}]"),
    }
}

/// The callout's body (what followed the opening tag up to the closing
/// one, its own tags already replaced) with each line after the first
/// (the rest of the opening tag's line) quoted at `indent`, the opening
/// tag's: a callout indented under a list item's text stays in the item.
pub fn quoted(inside: &str, indent: &str) -> String {
    let mut out = String::with_capacity(inside.len() + 64);
    let mut lines = inside.split('\n');
    out.push_str(lines.next().unwrap_or_default());
    let mut rest: Vec<&str> = lines.collect();
    // The closing tag's own line is not the body's.
    let last = rest.pop();
    for line in rest {
        out.push('\n');
        out.push_str(indent);
        out.push_str("> ");
        out.push_str(line.strip_prefix(indent).unwrap_or(line.trim_start()));
    }
    if let Some(last) = last {
        out.push('\n');
        out.push_str(last);
    }
    out
}
