//! Finding shortcode tags in a Markdown body, outside code.
//!
//! Code blocks, code spans and math are located by comrak itself (their
//! source positions), so what counts as code is exactly what the renderer
//! will treat as code; the tags are then read from the source text, before
//! Markdown can rewrite their arguments (emphasis in `a_b_c.png`, …).

use std::ops::Range;

use comrak::nodes::NodeValue;
use comrak::{Arena, Options, parse_document};

/// How a tag was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// `{{< name >}}`
    HugoAngle,
    /// `{{% name %}}`
    HugoPercent,
    /// `{{ name() }}`
    Zola,
    /// `{% name() %}` (with a body and `{% end %}`)
    ZolaBody,
    /// kramdown's attribute list, `{: .notice}`, `{:toc}` (Jekyll's
    /// Markdown): no shortcode, but no text of the post either.
    Kramdown,
}

impl Syntax {
    /// The opening and closing delimiters.
    pub fn delimiters(self) -> (&'static str, &'static str) {
        let (open, close, _) = DELIMITERS[self as usize];
        (open, close)
    }
}

/// One tag found in the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag<'a> {
    /// Where the whole tag sits in the body.
    pub range: Range<usize>,
    pub syntax: Syntax,
    /// `{{< /name >}}` or `{% end %}`.
    pub closing: bool,
    /// `{{</* name */>}}`: the author wants the tag shown as written.
    pub escaped: bool,
    pub name: &'a str,
    /// The text after the name (inside the parentheses for Zola).
    pub args: &'a str,
    /// Hugo's `highlight`: the code between it and its closing tag, which
    /// `range` then covers too.
    pub body: Option<Range<usize>>,
    /// One of Jekyll's Liquid tags for addresses (`{% post_url x %}`,
    /// `{% link _posts/x.md %}`, `{{ site.baseurl }}`): no shortcode, but
    /// in a link it is where the link leads.
    pub liquid: bool,
}

const DELIMITERS: [(&str, &str, Syntax); 5] = [
    ("{{<", ">}}", Syntax::HugoAngle),
    ("{{%", "%}}", Syntax::HugoPercent),
    ("{{", "}}", Syntax::Zola),
    ("{%", "%}", Syntax::ZolaBody),
    ("{:", "}", Syntax::Kramdown),
];

/// Longest tag read; a longer one is left as text.
const MAX_TAG_BYTES: usize = 4096;

/// Every tag in `body` outside code, in order.
pub fn tags<'a>(body: &'a str, options: &Options) -> Vec<Tag<'a>> {
    let code = code_ranges(body, options);
    let mut code = code.iter().peekable();
    let mut closers = Closers::default();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = body[at..].find('{') {
        let start = at + offset;
        while code.next_if(|range| range.end <= start).is_some() {}
        if let Some(range) = code.peek().filter(|range| range.contains(&start)) {
            at = range.end;
            continue;
        }
        match read_tag(body, start, &mut closers) {
            Some(tag) => {
                let tag = with_toc_list(body, with_code_body(body, tag, &mut closers));
                at = tag.range.end;
                if tag.liquid && tag.name == "raw" {
                    at = raw_end(body, at);
                }
                found.push(tag);
            }
            None => at = start + 1,
        }
    }
    found
}

/// Where Liquid's `{% raw %}` ends: what is between is text as written,
/// never read for tags.
fn raw_end(body: &str, from: usize) -> usize {
    ["{% endraw", "{%- endraw", "{%endraw"]
        .iter()
        .filter_map(|close| body[from..].find(close))
        .min()
        .map_or(from, |at| from + at)
}

/// The next place each closing delimiter occurs, remembered so that a body
/// of many `{{` with no `}}` is read once, not once per `{{`.
#[derive(Default)]
struct Closers {
    delimiters: [Option<Option<usize>>; DELIMITERS.len()],
    /// Start and length of the next closing `highlight` tag.
    highlight: Option<Option<(usize, usize)>>,
}

/// The ways a `highlight` is closed: Hugo's, then Jekyll's Liquid.
const HIGHLIGHT_CLOSERS: [&str; 9] = [
    "{{< /highlight >}}",
    "{{</highlight>}}",
    "{{% /highlight %}}",
    "{{%/highlight%}}",
    "{% endhighlight %}",
    "{%endhighlight%}",
    "{%- endhighlight -%}",
    "{%- endhighlight %}",
    "{% endhighlight -%}",
];

impl Closers {
    /// Where `DELIMITERS[kind]`'s closer next occurs at or after `from`.
    fn next(&mut self, body: &str, kind: usize, from: usize) -> Option<usize> {
        let cached = self.delimiters[kind].filter(|found| found.is_none_or(|at| at >= from));
        let found =
            cached.unwrap_or_else(|| body[from..].find(DELIMITERS[kind].1).map(|i| from + i));
        self.delimiters[kind] = Some(found);
        found
    }

    /// Where the next closing `highlight` tag at or after `from` starts, and its length.
    fn highlight(&mut self, body: &str, from: usize) -> Option<(usize, usize)> {
        let cached = self
            .highlight
            .filter(|found| found.is_none_or(|(at, _)| at >= from));
        let found = cached.unwrap_or_else(|| {
            HIGHLIGHT_CLOSERS
                .iter()
                .filter_map(|close| body[from..].find(close).map(|at| (from + at, close.len())))
                .min()
        });
        self.highlight = Some(found);
        found
    }
}

/// The tag that starts at `start`, if one does.
fn read_tag<'a>(body: &'a str, start: usize, closers: &mut Closers) -> Option<Tag<'a>> {
    let rest = &body[start..];
    let kind = DELIMITERS
        .iter()
        .position(|(open, _, _)| rest.starts_with(open))?;
    let (open, close, syntax) = DELIMITERS[kind];
    let inner_end = closers.next(body, kind, start + open.len())?;
    if inner_end - start > MAX_TAG_BYTES {
        return None;
    }
    let inner = body[start + open.len()..inner_end].trim();
    let (inner, escaped) = match inner.strip_prefix("/*").and_then(|s| s.strip_suffix("*/")) {
        Some(inner) => (inner.trim(), true),
        None => (inner, false),
    };
    let liquid = liquid_inner(inner, syntax).filter(|_| !escaped);
    let (closing, name, args) = match liquid {
        Some((name, args)) => (false, name, args),
        None => split_inner(inner, syntax)?,
    };
    Some(Tag {
        range: start..inner_end + close.len(),
        syntax,
        closing,
        escaped,
        name,
        args,
        body: None,
        liquid: liquid.is_some(),
    })
}

/// A `highlight` tag at the start of its line (Hugo's, or Jekyll's
/// `{% highlight ruby %}`) takes everything up to its closing tag as its
/// body: code, never read for tags.
fn with_code_body<'a>(body: &str, mut tag: Tag<'a>, closers: &mut Closers) -> Tag<'a> {
    let hugo = matches!(
        tag.syntax,
        Syntax::HugoAngle | Syntax::HugoPercent | Syntax::ZolaBody
    );
    let line_start = body[..tag.range.start].rfind('\n').map_or(0, |i| i + 1);
    let starts_line = body[line_start..tag.range.start].trim().is_empty();
    if tag.name != "highlight" || tag.closing || tag.escaped || !hugo || !starts_line {
        return tag;
    }
    if let Some((at, len)) = closers.highlight(body, tag.range.end) {
        tag.body = Some(tag.range.end..at);
        tag.range.end = at + len;
    }
    tag
}

/// Jekyll's Liquid, which no shortcode syntax reads: an output
/// (`{{ site.baseurl }}`, `{{ release.url.gz | upcase }}`: a variable, not
/// Zola's `{{ name(…) }}`) or one of Liquid's and Jekyll's tags
/// (`{% post_url NAME %}`, `{% include note.html %}`); its name and the
/// rest. [`super::known::liquid`] says what each becomes.
fn liquid_inner(inner: &str, syntax: Syntax) -> Option<(&str, &str)> {
    let inner = inner.trim_matches('-').trim();
    match syntax {
        Syntax::Zola => {
            let (name, filters) = inner.split_once('|').unwrap_or((inner, ""));
            let name = name.trim();
            is_variable(name).then_some((name, filters.trim()))
        }
        Syntax::ZolaBody => {
            let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
            LIQUID_TAGS.contains(&name).then_some((name, args.trim()))
        }
        _ => None,
    }
}

/// A Liquid variable: names joined by `.`, maybe indexed (`site.data.x[0]`).
fn is_variable(text: &str) -> bool {
    let name = |part: &str| {
        let part = part.split('[').next().unwrap_or_default();
        part.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
    };
    !text.is_empty() && text.split('.').all(name)
}

/// The tags of Liquid and of Jekyll (not `highlight`, which is code).
const LIQUID_TAGS: [&str; 36] = [
    "post_url",
    "link",
    "include",
    "include_relative",
    "assign",
    "capture",
    "endcapture",
    "if",
    "elsif",
    "else",
    "endif",
    "unless",
    "endunless",
    "case",
    "when",
    "endcase",
    "for",
    "endfor",
    "break",
    "continue",
    "cycle",
    "tablerow",
    "endtablerow",
    "comment",
    "endcomment",
    "raw",
    "endraw",
    "increment",
    "decrement",
    "render",
    "endhighlight",
    "seo",
    "gist",
    "youtube",
    "avatar",
    "github_edit_link",
];

/// Name and arguments of a tag's inside, or `None` when it is no shortcode
/// (Zola's `{{ x }}` without parentheses, an empty tag, …).
fn split_inner(inner: &str, syntax: Syntax) -> Option<(bool, &str, &str)> {
    let is_name = |name: &str| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/' | '.'))
    };
    match syntax {
        Syntax::HugoAngle | Syntax::HugoPercent => {
            let inner = inner.strip_suffix('/').unwrap_or(inner).trim();
            let (closing, inner) = match inner.strip_prefix('/') {
                Some(rest) => (true, rest.trim_start()),
                None => (false, inner),
            };
            let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
            is_name(name).then_some((closing, name, args.trim()))
        }
        Syntax::Kramdown => is_attribute_list(inner).then_some((false, "kramdown", inner)),
        Syntax::ZolaBody if inner == "end" => Some((true, "end", "")),
        // Jekyll's `{% highlight ruby linenos %}`, Liquid without parentheses.
        Syntax::ZolaBody if jekyll_highlight(inner) => {
            let inner = inner.trim_matches('-').trim();
            let args = inner.strip_prefix("highlight").unwrap_or_default();
            Some((false, "highlight", args.trim()))
        }
        Syntax::Zola | Syntax::ZolaBody => {
            let (name, args) = inner.strip_suffix(')')?.split_once('(')?;
            let name = name.trim();
            (is_name(name) && !name.contains(['/', '.'])).then_some((false, name, args))
        }
    }
}

/// Whether the inside of `{: … }` is a kramdown attribute list: `toc`,
/// `.class`, `#id`, `key="value"` (not a Ruby hash, `{:a=>1}`, nor a
/// Python format, `{:.2f}`).
fn is_attribute_list(inner: &str) -> bool {
    let inner = inner.trim();
    if inner.contains("=>") || inner.contains('\n') {
        return false;
    }
    let named =
        |rest: &str| rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '-');
    inner.is_empty()
        || inner == "toc"
        || inner.strip_prefix(['.', '#']).is_some_and(named)
        || inner.split_once('=').is_some_and(|(key, _)| {
            !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// kramdown's `{:toc}` stands for the list item above it (`* TOC`), which
/// it replaces with the table of contents: the tag takes that line too.
fn with_toc_list<'a>(body: &str, mut tag: Tag<'a>) -> Tag<'a> {
    if tag.syntax != Syntax::Kramdown || tag.args.trim() != "toc" {
        return tag;
    }
    let line_start = body[..tag.range.start].rfind('\n').map_or(0, |i| i + 1);
    let Some(above) = line_start.checked_sub(1) else {
        return tag;
    };
    let above_start = body[..above].rfind('\n').map_or(0, |i| i + 1);
    let item = body[above_start..above].trim_start();
    let bullet = ["* ", "- ", "+ ", "1. "]
        .iter()
        .any(|b| item.starts_with(b));
    if bullet && body[line_start..tag.range.start].trim().is_empty() {
        tag.range.start = above_start;
    }
    tag
}

/// Whether a `{% … %}` inside is Jekyll's `highlight` opening tag
/// (`highlight ruby`, `- highlight sh linenos -`).
fn jekyll_highlight(inner: &str) -> bool {
    let inner = inner.trim_matches('-').trim();
    inner
        .strip_prefix("highlight")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
}

/// Byte ranges of code blocks, code spans and math, in order.
fn code_ranges(body: &str, options: &Options) -> Vec<Range<usize>> {
    let arena = Arena::new();
    let root = parse_document(&arena, body, options);
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |line: usize, column: usize| {
        let start = line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(body.len());
        (start + column.saturating_sub(1)).min(body.len())
    };
    let mut ranges: Vec<Range<usize>> = root
        .descendants()
        .filter_map(|node| {
            let data = node.data();
            let pos = data.sourcepos;
            match data.value {
                NodeValue::CodeBlock(_) => {
                    Some(offset(pos.start.line, 1)..offset(pos.end.line + 1, 1))
                }
                NodeValue::Code(_) | NodeValue::Math(_) => Some(
                    offset(pos.start.line, pos.start.column)
                        ..offset(pos.end.line, pos.end.column) + 1,
                ),
                _ => None,
            }
        })
        .collect();
    // Whatever comrak's columns say, a range ends inside the body and on a
    // character boundary, so slicing at it cannot panic.
    for range in &mut ranges {
        range.start = ceil_boundary(body, range.start);
        range.end = ceil_boundary(body, range.end).max(range.start);
    }
    ranges.sort_by_key(|range| range.start);
    ranges
}

/// The first character boundary of `text` at or after `at`, at most its length.
fn ceil_boundary(text: &str, at: usize) -> usize {
    (at.min(text.len())..=text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(body: &str) -> Vec<String> {
        tags(body, &Options::default())
            .iter()
            .map(|t| format!("{}{}", if t.closing { "/" } else { "" }, t.name))
            .collect()
    }

    #[test]
    fn all_four_syntaxes_are_found() {
        let body = "{{< youtube abc >}} {{% note %}}x{{% /note %}}\n\n{{ figure(src=\"a.png\") }}\n\n{% quote(by=\"me\") %}\nq\n{% end %}\n";
        assert_eq!(
            names(body),
            ["youtube", "note", "/note", "figure", "quote", "/end"]
        );
        let tag = &tags(body, &Options::default())[0];
        assert_eq!((tag.syntax, tag.args), (Syntax::HugoAngle, "abc"));
        assert_eq!(&body[tag.range.clone()], "{{< youtube abc >}}");
    }

    #[test]
    fn code_and_non_shortcodes_are_skipped() {
        let body = "`{{< a >}}` and ``x {{< b >}}``\n\n```\n{{< c >}}\n```\n\n    {{< d >}}\n\n- item\n\n  ```\n  {{< e >}}\n  ```\n\n{{ not_a_call }} {{< f >}} {{<>}}";
        // `{{ not_a_call }}` is no Zola call: it is read as Liquid's.
        assert_eq!(names(body), ["not_a_call", "f"]);
        assert!(tags(body, &Options::default())[0].liquid);
    }

    #[test]
    fn a_highlight_body_is_not_read_for_tags() {
        let body = "{{< highlight go >}}\nx := \"{{< y >}}\"\n{{< /highlight >}}\n{{< z >}}";
        let found = tags(body, &Options::default());
        assert_eq!(found.len(), 2);
        assert_eq!(
            &body[found[0].body.clone().unwrap()],
            "\nx := \"{{< y >}}\"\n"
        );
        assert_eq!(found[1].name, "z");
    }

    #[test]
    fn liquid_outputs_and_tags_are_found_and_raw_is_not_read() {
        let body = "{{ release.url.gz }} {{ page.title | upcase }} {{ x[0].y }}\n\n{% include note.html %} {% raw %}{{ shown }}{% endraw %} {{ call() }}";
        let found = tags(body, &Options::default());
        let liquid: Vec<_> = found.iter().filter(|t| t.liquid).map(|t| t.name).collect();
        assert_eq!(
            liquid,
            [
                "release.url.gz",
                "page.title",
                "x[0].y",
                "include",
                "raw",
                "endraw"
            ]
        );
        assert_eq!(
            found.last().map(|t| (t.name, t.liquid)),
            Some(("call", false))
        );
    }

    /// `jekyll new`'s first post, and ruby-lang.org's 615 code blocks.
    #[test]
    fn a_jekyll_highlight_block_is_code_up_to_endhighlight() {
        let body = "Text.\n\n{% highlight ruby linenos %}\nputs \"{{ x }}\"\n{% endhighlight %}\n\n{%- highlight sh -%}\nls\n{%- endhighlight -%}\n";
        let found = tags(body, &Options::default());
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            (found[0].name, found[0].args),
            ("highlight", "ruby linenos")
        );
        assert_eq!(
            &body[found[0].body.clone().unwrap()],
            "\nputs \"{{ x }}\"\n"
        );
        assert!(body[found[0].range.clone()].ends_with("{% endhighlight %}"));
        assert_eq!((found[1].name, found[1].args), ("highlight", "sh"));
        assert_eq!(&body[found[1].body.clone().unwrap()], "\nls\n");
        let plain = tags("{% highlighted %} {% endhighlight %}", &Options::default());
        assert!(plain.iter().all(|t| t.name != "highlight"), "{plain:?}");
    }

    #[test]
    fn escaped_tags_are_marked() {
        let found = tags("{{</* youtube x */>}}", &Options::default());
        assert!(found[0].escaped);
        assert_eq!(found[0].name, "youtube");
    }
}
