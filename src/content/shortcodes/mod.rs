//! Zola and Hugo shortcodes are never silently lost.
//!
//! A pre-pass over the Markdown body, before comrak: every tag outside
//! code (`{{ name(…) }}`, `{% name(…) %}…{% end %}`, `{{< name … >}}`,
//! `{{% name %}}`, their closing tags) is replaced. The ones Quire knows
//! ([`known`]) become their markup (through a [`Splices`] placeholder) or,
//! for `ref`/`relref`, the post's address (`highlight`: a fenced code
//! block); Jekyll's Liquid tags for addresses (`{% post_url x %}`,
//! `{{ site.baseurl }}`) the address they stand for, the rest of Liquid
//! left as written and reported; kramdown's attribute lists (`{: .x}`)
//! left out with a note; any other is shown as written in
//! a `<code class="shortcode">` and reported with its line and what to do.
//! Themes' callouts (Docsy's `alert`) become GitHub alerts ([`callout`]),
//! Hugo's `details` a disclosure box ([`details`]).
//! A replacement keeps the tag's line breaks, so the lines of everything
//! after it (and of problems found later, e.g. in formulas) stay the file's.

mod args;
mod callout;
mod details;
mod known;
pub use known::reference_url;
mod scan;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use comrak::Options;

use super::ContentError;
use super::escape::escape_markup;
use super::images::Place;
use super::splice::{Splice, Splices};
use known::Output;
use scan::Tag;

/// The body with its shortcodes replaced, and what was wrong with them.
pub struct Expanded<'a> {
    pub markdown: Cow<'a, str>,
    /// Lines are the body's, as in `Rendered::problems`.
    pub problems: Vec<ContentError>,
    /// The lines of `markdown` that are not the body's (a blank line that
    /// gives a `details` tag its own paragraph), in order.
    pub inserted: Vec<usize>,
}

impl Expanded<'_> {
    /// The body's line for `line` of the expanded Markdown.
    pub fn body_line(&self, line: usize) -> usize {
        line - self.inserted.partition_point(|&added| added < line)
    }
}

/// What a tag's replacement may depend on besides the tag.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// Where the post's files are served, for `figure`.
    pub asset_base: Option<&'a str>,
    /// The site's `[params]`, for `{{ site.x }}` and `param`.
    pub params: &'a BTreeMap<String, String>,
    /// The page's file, for a `ref` to a page beside it.
    pub place: Option<&'a Place>,
}

#[cfg(test)]
impl Context<'static> {
    /// No post address and no params (tests, bodies outside a post).
    pub fn bare() -> Self {
        static NONE: BTreeMap<String, String> = BTreeMap::new();
        Context {
            asset_base: None,
            params: &NONE,
            place: None,
        }
    }
}

/// Replaces the shortcodes of `body`; see the module documentation.
pub fn expand<'a>(
    body: &'a str,
    options: &Options,
    splices: &mut Splices,
    context: Context<'_>,
) -> Expanded<'a> {
    let mut problems = Vec::new();
    if !body.contains("{{") && !body.contains("{%") && !body.contains("{:") {
        return Expanded {
            markdown: Cow::Borrowed(body),
            problems,
            inserted: Vec::new(),
        };
    }
    let mut out = String::with_capacity(body.len());
    let (mut copied, mut line) = (0, 1);
    let tags = scan::tags(body, options);
    // An open callout: the index of its closing tag, where its body starts
    // in `out`, and the indent of its opening line (inside a list item).
    let mut callout: Option<(usize, usize, String)> = None;
    // The closing tags of the open `details` boxes, innermost last.
    let mut boxes = Vec::new();
    let mut inserted = Vec::new();
    for (index, tag) in tags.iter().enumerate() {
        line += body[copied..tag.range.start].matches('\n').count();
        out.push_str(&body[copied..tag.range.start]);
        let written = &body[tag.range.clone()];
        let mut skip = 0;
        let opened = match callout {
            None => callout::opens(tag, body, &tags[index + 1..]),
            Some(_) => None,
        };
        let replaced = match (opened, &callout) {
            (Some(close), _) => {
                let indent = out[out.rfind('\n').map_or(0, |i| i + 1)..].to_string();
                out.push_str(&callout::header(tag, &args::parse(tag.args)));
                callout = Some((index + 1 + close, out.len(), indent));
                String::new()
            }
            (None, Some((close, start, indent))) if *close == index => {
                let inside = out.split_off(*start);
                out.push_str(&callout::quoted(&inside, indent));
                callout = None;
                String::new()
            }
            _ => match disclosure(
                index,
                &tags,
                body,
                &mut boxes,
                splices,
                &mut out,
                &mut inserted,
            ) {
                Some((text, skipped)) => {
                    skip = skipped;
                    text
                }
                None => replacement(tag, written, line, splices, &mut problems, context),
            },
        };
        out.push_str(&replaced);
        let breaks = written.matches('\n').count();
        out.extend(std::iter::repeat_n(
            '\n',
            breaks.saturating_sub(replaced.matches('\n').count()),
        ));
        line += breaks + skip;
        copied = tag.range.end + skip;
    }
    out.push_str(&body[copied..]);
    Expanded {
        markdown: Cow::Owned(out),
        problems,
        inserted,
    }
}

/// A `details` box's start or end, when the tag at `index` is one, put in
/// a paragraph of its own, and how many bytes after the tag that took.
fn disclosure(
    index: usize,
    tags: &[Tag<'_>],
    body: &str,
    boxes: &mut Vec<usize>,
    splices: &mut Splices,
    out: &mut String,
    inserted: &mut Vec<usize>,
) -> Option<(String, usize)> {
    let tag = &tags[index];
    let splice = if boxes.last() == Some(&index) {
        boxes.pop();
        details::end()
    } else {
        let close = details::opens(tag, body, &tags[index + 1..])?;
        boxes.push(index + 1 + close);
        details::start(tag, &args::parse(tag.args))
    };
    let (skipped, added) = details::own_paragraph(out, &body[tag.range.end..]);
    inserted.extend(added);
    Some((splices.add(splice), skipped))
}

/// What one tag becomes in the Markdown.
fn replacement(
    tag: &Tag<'_>,
    written: &str,
    line: usize,
    splices: &mut Splices,
    problems: &mut Vec<ContentError>,
    context: Context<'_>,
) -> String {
    if tag.escaped {
        return splices.add(shown_as_written(&unescaped(tag, written), false));
    }
    if tag.closing {
        return splices.add(shown_as_written(written, true));
    }
    if tag.syntax == scan::Syntax::Kramdown {
        let message = match tag.args.trim() {
            "toc" => "kramdown's `{:toc}` and the list item it replaces are left out: Quire shows its own table of contents".to_string(),
            list => format!(
                "kramdown's attribute list `{{:{}}}` has no meaning in Quire's Markdown, so it is left out (what it marks is shown without it)",
                shorten(list)
            ),
        };
        problems.push(note(
            line,
            message,
            "nothing to do, or style it with custom.css",
        ));
        return String::new();
    }
    if let Some(message) = shown_by_quire(tag, context) {
        problems.push(note(
            line,
            message,
            "nothing to do: remove the tag if you like",
        ));
        return String::new();
    }
    let embed = tag.liquid && matches!(tag.name, "youtube" | "gist");
    if tag.liquid && !embed {
        if let Some(text) = known::liquid(tag.name, tag.args, context.params) {
            return text;
        }
        let message = format!(
            "`{}` is Jekyll's Liquid, which Quire does not run, so it is shown as written",
            shorten(written)
        );
        let fix = "replace it with the Markdown or HTML it stood for";
        problems.push(ContentError::new(Path::new(""), Some(line), message, fix));
        return written.to_string();
    }
    let args = match embed {
        true => args::parse(&jekyll_embed_args(tag.name, tag.args)),
        false => args::parse(tag.args),
    };
    if let Some(code) = &tag.body {
        return known::fenced(
            &args,
            &written[code.start - tag.range.start..code.end - tag.range.start],
        );
    }
    let (message, fix) = match known::render(tag.name, &args, context) {
        Some(Ok(Output::Markup(splice))) => return splices.add(splice),
        Some(Ok(Output::Markdown(text))) => return text,
        Some(Err(refusal)) => refusal,
        None => (
            format!(
                "the shortcode `{}` is not one Quire renders, so it is shown as written",
                shorten(written)
            ),
            "replace the shortcode with Markdown or HTML",
        ),
    };
    problems.push(ContentError::new(Path::new(""), Some(line), message, fix));
    splices.add(shown_as_written(written, true))
}

/// A note (not a warning) about the body's `line`.
fn note(line: usize, message: String, fix: &'static str) -> ContentError {
    let mut note = ContentError::new(Path::new(""), Some(line), message, fix);
    note.severity = super::error::Severity::Note;
    note
}

/// Why a theme's tag for what Quire's pages show anyway is left out: a
/// table of contents (`{{< toc >}}`, Hugo Book's and most themes'; every
/// article has Quire's beside it) and, in a section's `_index.md`, the
/// list of its pages (linkerd.io's `{{< section-toc >}}`).
fn shown_by_quire(tag: &Tag<'_>, context: Context<'_>) -> Option<String> {
    if tag.liquid || tag.closing || tag.body.is_some() {
        return None;
    }
    let section = context
        .place
        .is_some_and(|place| crate::content::is_section_path(&place.source));
    let what = match tag.name {
        "toc" => "the article's table of contents, which Quire shows beside it",
        "section-toc" if section => "the section's pages, which Quire lists on its page",
        _ => return None,
    };
    Some(format!(
        "`{}` stands for {what}, so it is left out",
        tag.name
    ))
}

/// The arguments of Jekyll's `{% gist parkr/931c1c8d %}` and `{% youtube
/// ID_OR_URL %}` plugin tags as Hugo's shortcodes of those names take them.
fn jekyll_embed_args(name: &str, written: &str) -> String {
    let first = written.split_whitespace().next().unwrap_or_default();
    let first = first.trim_matches(['"', '\'']);
    match name {
        "gist" => match first.split_once('/') {
            Some((user, id)) => format!("{user} {id}"),
            None => format!("url=\"https://gist.github.com/{first}\""),
        },
        _ => {
            let id = first
                .split("v=")
                .nth(1)
                .or_else(|| first.split("youtu.be/").nth(1));
            id.unwrap_or(first)
                .split(['&', '?'])
                .next()
                .unwrap_or_default()
                .to_string()
        }
    }
}

/// The tag's text in a visible element, for the author to see.
fn shown_as_written(text: &str, as_code: bool) -> Splice {
    let escaped = escape_markup(text);
    Splice {
        html: if as_code {
            format!("<code class=\"shortcode\">{escaped}</code>")
        } else {
            escaped
        },
        text: text.to_string(),
        block: false,
    }
}

/// `{{</* name */>}}` as the author wants it shown: `{{< name >}}`.
fn unescaped(tag: &Tag<'_>, written: &str) -> String {
    let (open, close) = tag.syntax.delimiters();
    let inner = written[open.len()..written.len() - close.len()].replacen("/*", "", 1);
    let inner = match inner.rfind("*/") {
        Some(at) => format!("{}{}", &inner[..at], &inner[at + 2..]),
        None => inner,
    };
    format!("{open}{inner}{close}")
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random bodies from the pieces tags, code and math are made of: the
    /// pass never panics, and a body without tags comes back unchanged.
    #[test]
    fn any_mix_of_tag_code_and_math_pieces_is_expanded_without_panic() {
        const PIECES: [&str; 18] = [
            "{{<", ">}}", "{{%", "%}}", "{{ a(", ") }}", "{%", "%}", "`", "```\n", "$", "é", "\t",
            "\n", "    ", "> ", "- ", " /x ",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let options = Options::default();
        for _ in 0..2000 {
            let mut body = String::new();
            for _ in 0..24 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                body.push_str(PIECES[(seed >> 33) as usize % PIECES.len()]);
            }
            let mut splices = Splices::for_body(&body);
            let expanded = expand(&body, &options, &mut splices, Context::bare());
            assert_eq!(
                expanded.markdown.matches('\n').count(),
                body.matches('\n').count(),
                "{body:?}"
            );
        }
    }

    #[test]
    fn jekyll_s_address_tags_become_the_addresses_they_stand_for() {
        let body = "[a]({% post_url 2020-01-02-hello %}) [b]({{ site.baseurl }}{% link _posts/2021-03-04-other.markdown %})\n\
            ![c]({{site.url}}/assets/c.png) [d]({% link assets/d.pdf %}) `{% post_url x %}`";
        let mut splices = Splices::for_body(body);
        let expanded = expand(body, &Options::default(), &mut splices, Context::bare());
        let want = "[a](/_ref/hello) [b](/_ref/other)\n![c](/assets/c.png) [d](/assets/d.pdf) `{% post_url x %}`";
        assert_eq!(expanded.markdown, want);
        assert!(expanded.problems.is_empty(), "{:?}", expanded.problems);
        // Hugo's own tag of that name is not Jekyll's; other Liquid is
        // shown as written, and named.
        let hugo = "{{< link \"x\" >}} {{ site.title }}";
        let mut splices = Splices::for_body(hugo);
        let expanded = expand(hugo, &Options::default(), &mut splices, Context::bare());
        assert_eq!(expanded.problems.len(), 2, "{:?}", expanded.problems);
        let liquid = &expanded.problems[1].message;
        assert!(
            liquid.contains("`{{ site.title }}` is Jekyll's Liquid"),
            "{liquid}"
        );
        assert!(
            expanded.markdown.ends_with(" {{ site.title }}"),
            "{}",
            expanded.markdown
        );
    }

    /// Jekyll's own blog writes `{{ site.repository }}` in 35 links; the
    /// Bootstrap blog `{{< param "main" >}}` 105 times.
    #[test]
    fn site_params_fill_liquid_variables_and_hugo_s_param() {
        let params = BTreeMap::from([
            ("repository".to_string(), "jekyll/jekyll".to_string()),
            ("main".to_string(), "5.3".to_string()),
            ("url".to_string(), "https://jekyllrb.com".to_string()),
        ]);
        let context = Context {
            asset_base: None,
            params: &params,
            place: None,
        };
        let body = "[#1](https://github.com/{{ site.repository }}/issues/1) v{{< param \"main\" >}} [a]({{ site.url }}/a) {{< param missing >}}";
        let mut splices = Splices::for_body(body);
        let expanded = expand(body, &Options::default(), &mut splices, context);
        let want = "[#1](https://github.com/jekyll/jekyll/issues/1) v5.3 [a](/a) ";
        assert!(expanded.markdown.starts_with(want), "{}", expanded.markdown);
        assert_eq!(expanded.problems.len(), 1, "{:?}", expanded.problems);
        assert!(expanded.problems[0].message.contains("`param \"missing\"`"));
    }

    /// jekyll-gist's and jekyll-youtube's tags are the link cards Hugo's
    /// `gist` and `youtube` become, not Liquid left as written.
    #[test]
    fn jekyll_gist_and_youtube_tags_become_link_cards() {
        let body = "{% gist parkr/931c1c8d465a04042403 %}\n\n{% gist 931c1c8d465a04042403 %}\n\n{% youtube \"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1\" %}\n\n{% youtube dQw4w9WgXcQ %}\n";
        let mut splices = Splices::for_body(body);
        let expanded = expand(body, &Options::default(), &mut splices, Context::bare());
        assert!(expanded.problems.is_empty(), "{:?}", expanded.problems);
        let html = splices.apply_html(&expanded.markdown);
        for want in [
            "https://gist.github.com/parkr/931c1c8d465a04042403",
            "https://gist.github.com/931c1c8d465a04042403",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ] {
            assert!(html.contains(want), "{want}: {html}");
        }
    }

    /// Hugo Book's `{{< toc >}}` and, in a section file, linkerd.io's
    /// `{{< section-toc >}}` (43 times) stand for what Quire's pages show.
    #[test]
    fn a_theme_s_table_of_contents_is_left_out_with_a_note() {
        let section = Place {
            source: "2.18/common-errors/_index.md".into(),
            ..Place::default()
        };
        let post = Place {
            source: "2.18/tasks/x.md".into(),
            ..Place::default()
        };
        let body = "Intro.\n\n{{< toc >}}\n\n{{< section-toc >}}\n";
        for (place, left) in [(&section, 0), (&post, 1)] {
            let context = Context {
                place: Some(place),
                ..Context::bare()
            };
            let mut splices = Splices::for_body(body);
            let expanded = expand(body, &Options::default(), &mut splices, context);
            assert_eq!(expanded.markdown.matches('\n').count(), 5);
            assert!(!expanded.markdown.contains("toc"), "{}", expanded.markdown);
            let severities: Vec<_> = expanded.problems.iter().map(|p| p.severity).collect();
            let note = super::super::error::Severity::Note;
            assert_eq!(severities.iter().filter(|s| **s == note).count(), 2 - left);
            assert_eq!(expanded.problems.len(), 2, "{:?}", expanded.problems);
            assert_eq!(expanded.problems[0].line, Some(3));
        }
    }
}
