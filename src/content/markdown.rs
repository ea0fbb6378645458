//! Markdown to HTML, done once at ingest: GFM extensions, heading anchors,
//! table of contents, summary, word count and server-side highlighting.
//!
//! Highlighting emits CSS classes (not inline colours) so the light and dark
//! themes in `assets/main.css` both apply. Raw HTML in Markdown follows the
//! `raw_html` setting (see [`super::html_policy`]): sanitised by default,
//! dropped, or trusted. Shortcodes are expanded before parsing
//! ([`super::shortcodes`]); formulas become MathML ([`super::math`]); both
//! reach the page through [`Splices`], after sanitising.

use std::sync::LazyLock;

use comrak::nodes::{AstNode, NodeValue};
use comrak::options::Plugins;
use comrak::plugins::syntect::{SyntectAdapter, SyntectAdapterBuilder};
use comrak::{Anchorizer, Arena, Options, parse_document};

use super::ContentError;
use super::html_policy::{self, RawHtml};
use super::images;
use super::splice::Splices;
use super::{math, shortcodes};
use crate::model::TocEntry;

/// Marker that ends the summary when present.
const MORE_MARKER: &str = "<!-- more -->";

/// The result of rendering one Markdown body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// Plain-text summary: the text before `<!-- more -->`, else the first paragraph.
    pub summary: String,
    pub toc: Vec<TocEntry>,
    /// Prose words, code excluded.
    pub word_count: u32,
    pub reading_minutes: u32,
    /// Prose text (for the search index), code excluded, formulas as
    /// their LaTeX source.
    pub plain_text: String,
    /// What `quire check` lists for this body (raw HTML removed or
    /// dropped, a formula that does not parse, a shortcode Quire does not
    /// render, a missing image): empty path, lines counted from the body's
    /// first line.
    pub problems: Vec<ContentError>,
    /// Local images and shared files the body references ([`images`]).
    pub files: images::Localized,
}

/// Rendering choices that come from the site configuration.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// What happens to raw HTML (`raw_html` in quire.toml).
    pub raw_html: RawHtml,
    /// Hosts whose `https` iframes are kept (`embed_hosts`), lower case.
    pub embed_hosts: Vec<String>,
    /// Hosts posts may show images from (`image_hosts`), lower case: an
    /// image from another host is a problem (the page's policy blocks it).
    pub image_hosts: Vec<String>,
    /// URL prefix for relative image and link targets (`/blog/<slug>/` for a
    /// post kept as `<slug>/index.md` with its files beside it).
    pub asset_base: Option<String>,
    /// `content/`, when referenced files may be looked at (ingest, `check`).
    pub content_root: Option<std::path::PathBuf>,
    /// The site's `static/` folder (served at the root), when absolute
    /// image paths may be looked up in it.
    pub static_root: Option<std::path::PathBuf>,
    /// The post's file, when its relative references are resolved against
    /// its folder ([`images::localize`], with `asset_base` as the base).
    pub place: Option<images::Place>,
    /// Where posts live (`permalink` and `[permalinks]` in `quire.toml`).
    pub permalinks: crate::urls::permalink::Permalinks,
    /// The site's `language`, a post's language when it names none
    /// ([`super::language::of_post`]).
    pub language: Option<String>,
    /// The site's other languages and their prefixes (`[languages]`): a
    /// translation's address starts with its language's prefix.
    pub languages: crate::urls::languages::Languages,
    /// Hugo's one content folder per language (`contentDir`): a folder
    /// under `content/` and the language tag of the files in it
    /// ([`super::language::in_folder`]).
    pub language_folders: Vec<(std::path::PathBuf, String)>,
    /// The site's `[params]`: what `{{ site.x }}` and `{{< param "x" >}}`
    /// stand for.
    pub params: std::sync::Arc<std::collections::BTreeMap<String, String>>,
    /// Jekyll's collections read as sections (`collections`): `docs`
    /// reads `_docs/` ([`super::paths::is_post_path_in`]).
    pub collections: Vec<String>,
    /// The old engine's other taxonomies (`taxonomies`), whose terms are
    /// the posts' tags ([`super::front_matter::parse_with`]).
    pub taxonomies: Vec<String>,
}

static HIGHLIGHTER: LazyLock<SyntectAdapter> = LazyLock::new(|| {
    SyntectAdapterBuilder::new()
        .css_with_class_prefix("hl-")
        .build()
});

fn comrak_options(render: &RenderOptions) -> Options<'static> {
    let mut options = Options::default();
    let ext = &mut options.extension;
    ext.strikethrough = true;
    ext.table = true;
    ext.autolink = true;
    ext.tasklist = true;
    ext.footnotes = true;
    ext.math_dollars = true;
    ext.math_code = true;
    // GitHub's `> [!NOTE]`, and themes' callouts (`shortcodes::callout`).
    ext.alerts = true;
    ext.header_id_prefix = Some(String::new());
    options.render.github_pre_lang = true;
    if let (Some(base), None) = (&render.asset_base, &render.place) {
        let base = base.clone();
        let rewrite = std::sync::Arc::new(move |url: &str| resolve_relative(&base, url));
        options.extension.image_url_rewriter = Some(rewrite.clone());
        options.extension.link_url_rewriter = Some(rewrite);
    }
    options
}

/// Prefixes a relative URL with `base`; absolute URLs, paths and fragments stay.
pub(crate) fn resolve_relative(base: &str, url: &str) -> String {
    let is_relative = !url.is_empty()
        && !url.starts_with(['/', '#', '?'])
        && !url.split_once(':').is_some_and(|(scheme, _)| {
            scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
    if is_relative {
        format!("{base}{}", url.trim_start_matches("./"))
    } else {
        url.to_string()
    }
}

/// Zola's internal links (`[x](@/blog/post.md#part)`, a file under
/// `content/`) lead to the post that file is: its `ref` address
/// ([`shortcodes::reference_url`]), which follows the post wherever its
/// front matter puts it.
fn internal_links<'a>(root: &'a AstNode<'a>) {
    for node in root.descendants() {
        if let NodeValue::Link(link) = &mut node.data_mut().value {
            let target = link.url.strip_prefix("@/");
            if let Some(url) = target.and_then(shortcodes::reference_url) {
                link.url = url;
            }
        }
    }
}

/// Renders a Markdown body. Pure: same input, same output.
pub fn render(markdown: &str, render_options: &RenderOptions) -> Rendered {
    let mut options = comrak_options(render_options);
    let mut splices = Splices::for_body(markdown);
    let context = shortcodes::Context {
        asset_base: render_options.asset_base.as_deref(),
        params: &render_options.params,
        place: render_options.place.as_ref(),
    };
    let mut expanded = shortcodes::expand(markdown, &options, &mut splices, context);
    let mut problems = std::mem::take(&mut expanded.problems);
    let markdown = expanded.markdown.as_ref();
    let found = problems.len();
    let arena = Arena::new();
    let root = parse_document(&arena, markdown, &options);
    internal_links(root);
    let mut files = match (&render_options.place, &render_options.asset_base) {
        (Some(place), Some(base)) => images::localize(root, place, base),
        _ => images::Localized::default(),
    };

    let plain_text = splices.apply_text(&prose_text(root));
    let (word_count, reading_minutes) = super::reading::estimate(&plain_text);
    let summary = splices.apply_text(&summary(markdown, root));
    problems.extend(html_policy::report::problems(
        root,
        render_options.raw_html,
        &render_options.embed_hosts,
    ));
    math::replace_formulas(&arena, root, &mut splices, &mut problems);
    // After the formulas are placeholders, as comrak sees them when it
    // writes the headings' ids.
    let mut toc = table_of_contents(root);
    for entry in &mut toc {
        entry.title = splices.apply_text(&entry.title);
    }
    let html = to_html(root, &mut options, render_options, markdown.len() * 2);
    let html = images::annotate(&html, &files);
    problems.append(&mut files.problems);
    for problem in &mut problems[found..] {
        problem.line = problem.line.map(|line| expanded.body_line(line));
    }
    problems.sort_by_key(|problem| problem.line);

    Rendered {
        html: splices.apply_html(&html),
        summary,
        toc,
        word_count,
        reading_minutes,
        plain_text,
        problems,
        files,
    }
}

/// comrak's HTML of `root`. Raw HTML is written out when the setting keeps
/// it and the body has some, and with `sanitize` the page then goes
/// through the allow-list. A body without raw HTML (most posts) is written
/// in comrak's safe mode, which needs no sanitiser: ingest stays as fast
/// as when raw HTML was dropped.
fn to_html<'a>(
    root: &'a AstNode<'a>,
    options: &mut Options<'static>,
    render: &RenderOptions,
    capacity: usize,
) -> String {
    let mode = render.raw_html;
    let has_raw = mode != RawHtml::Drop && html_policy::has_raw_html(root);
    options.render.r#unsafe = mode == RawHtml::Trust || has_raw;
    let mut plugins = Plugins::default();
    plugins.render.codefence_syntax_highlighter = Some(&*HIGHLIGHTER);
    let mut html = String::with_capacity(capacity);
    comrak::format_html_with_plugins(root, options, &mut html, &plugins)
        .expect("writing HTML into a String cannot fail");
    if mode == RawHtml::Sanitize && has_raw {
        html = html_policy::sanitize(&html, &render.embed_hosts);
    }
    lazy_images(&html)
}

/// Headings of level 2 and 3, with the same ids comrak gives them.
fn table_of_contents<'a>(root: &'a AstNode<'a>) -> Vec<TocEntry> {
    let mut anchorizer = Anchorizer::new();
    let mut toc = Vec::new();
    for node in root.descendants() {
        let NodeValue::Heading(heading) = node.data().value else {
            continue;
        };
        let title = node.collect_text();
        let id = anchorizer.anchorize(&title);
        if (2..=3).contains(&heading.level) && toc.len() < super::limits::MAX_TOC_ENTRIES {
            toc.push(TocEntry {
                level: heading.level,
                id,
                title,
            });
        }
    }
    toc
}

/// All text outside code blocks, separated by spaces.
fn prose_text<'a>(root: &'a AstNode<'a>) -> String {
    let mut text = String::new();
    for node in root.descendants() {
        match &node.data().value {
            NodeValue::Text(t) => text.push_str(t),
            NodeValue::Code(code) => text.push_str(&code.literal),
            NodeValue::Math(math) => text.push_str(&math.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
            NodeValue::Paragraph
            | NodeValue::Heading(_)
            | NodeValue::TableCell
            | NodeValue::Item(_) => text.push(' '),
            _ => {}
        }
    }
    text
}

fn summary<'a>(markdown: &str, root: &'a AstNode<'a>) -> String {
    if let Some((before, _)) = markdown.split_once(MORE_MARKER) {
        let arena = Arena::new();
        let head = parse_document(&arena, before, &comrak_options(&RenderOptions::default()));
        return collapse_whitespace(&prose_text(head));
    }
    root.children()
        .find(|node| matches!(node.data().value, NodeValue::Paragraph))
        .map(|node| collapse_whitespace(&node.collect_text()))
        .unwrap_or_default()
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Images load lazily: most sit below the fold.
fn lazy_images(html: &str) -> String {
    html.replace("<img src=", "<img loading=\"lazy\" src=")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(markdown: &str) -> String {
        render(markdown, &RenderOptions::default()).html
    }

    #[test]
    fn a_shortcode_shown_as_written_in_a_link_s_address_is_its_text_not_placeholder_characters() {
        let out = html("[client](/docs/{{< param version >}}/client/) ![i]({{< missing >}}.png)");
        let written = "%7B%7B%3C%20param%20version%20%3E%7D%7D";
        assert!(
            out.contains(&format!("href=\"/docs/{written}/client/\"")),
            "{out}"
        );
        assert!(
            out.contains("src=\"%7B%7B%3C%20missing%20%3E%7D%7D.png\""),
            "{out}"
        );
        assert!(!out.contains("%EE%80"), "{out}");
    }

    #[test]
    fn renders_gfm_extensions() {
        let out = html(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ https://example.com\n\n- [x] done\n\nNote[^1]\n\n[^1]: the note",
        );
        assert!(out.contains("<table>"), "{out}");
        assert!(out.contains("<del>old</del>"), "{out}");
        assert!(out.contains("<a href=\"https://example.com\">"), "{out}");
        assert!(out.contains("type=\"checkbox\""), "{out}");
        assert!(out.contains("footnote"), "{out}");
    }

    #[test]
    fn headings_get_ids_that_match_the_toc() {
        let rendered = render(
            "## First part\n\ntext\n\n### Detail\n\n## First part\n",
            &RenderOptions::default(),
        );
        let ids: Vec<_> = rendered.toc.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["first-part", "detail", "first-part-1"]);
        for id in ids {
            assert!(
                rendered.html.contains(&format!("id=\"{id}\"")),
                "{}",
                rendered.html
            );
        }
    }

    #[test]
    fn code_is_highlighted_with_classes_and_not_counted_as_words() {
        let rendered = render(
            "one two three\n\n```rust\nfn main() { let x = 1; }\n```\n",
            &RenderOptions::default(),
        );
        assert!(rendered.html.contains("class=\"hl-"), "{}", rendered.html);
        assert!(!rendered.html.contains("style="), "{}", rendered.html);
        assert_eq!(rendered.word_count, 3);
        assert_eq!(rendered.reading_minutes, 1);
    }

    #[test]
    fn raw_html_is_sanitised_by_default_dropped_or_trusted_on_request() {
        let markdown = "<script>alert(1)</script>\n\n<b onclick=\"x()\">bold</b>";
        let sanitised = html(markdown);
        assert!(!sanitised.contains("<script"), "{sanitised}");
        assert!(!sanitised.contains("onclick"), "{sanitised}");
        assert!(sanitised.contains("<b>bold</b>"), "{sanitised}");
        let with = |raw_html| {
            let options = RenderOptions {
                raw_html,
                ..RenderOptions::default()
            };
            render(markdown, &options).html
        };
        let dropped = with(RawHtml::Drop);
        assert!(
            !dropped.contains("<script") && !dropped.contains("<b"),
            "{dropped}"
        );
        let trusted = with(RawHtml::Trust);
        assert!(trusted.contains("<script>alert(1)</script>"), "{trusted}");
        assert!(trusted.contains("onclick"), "{trusted}");
    }

    #[test]
    fn summary_stops_at_the_more_marker_or_the_first_paragraph() {
        let with_marker = render(
            "One *two*.\n\nThree.\n\n<!-- more -->\n\nFour.",
            &RenderOptions::default(),
        );
        assert_eq!(with_marker.summary, "One two. Three.");
        let without = render(
            "## Title\n\nFirst para\nwraps.\n\nSecond.",
            &RenderOptions::default(),
        );
        assert_eq!(without.summary, "First para wraps.");
    }

    #[test]
    fn relative_urls_of_bundle_posts_point_under_the_post() {
        let options = RenderOptions {
            asset_base: Some("/blog/p/".into()),
            ..RenderOptions::default()
        };
        let out = render(
            "![d](./d.svg) [x](https://a.b/c) [y](#top) [z](/abs)",
            &options,
        )
        .html;
        assert!(out.contains("src=\"/blog/p/d.svg\""), "{out}");
        assert!(out.contains("href=\"https://a.b/c\""), "{out}");
        assert!(out.contains("href=\"#top\""), "{out}");
        assert!(out.contains("href=\"/abs\""), "{out}");
    }

    #[test]
    fn images_load_lazily() {
        assert!(html("![alt](a.png)").contains("<img loading=\"lazy\" src=\"a.png\""));
    }

    #[test]
    fn formulas_are_mathml_and_prices_stay_prose() {
        let rendered = render(
            "Energy $E=mc^2$ costs $5 and $10.\n\n$$\\sum_{i=1}^n i$$\n\n```math\nx^2\n```\n",
            &RenderOptions::default(),
        );
        let out = &rendered.html;
        assert!(out.contains("<math><mi>E</mi>"), "{out}");
        assert!(out.contains("costs $5 and $10."), "{out}");
        assert_eq!(out.matches("<math display=\"block\">").count(), 2, "{out}");
        assert!(
            !out.contains("$$") && !out.contains("data-math-style"),
            "{out}"
        );
        assert!(
            rendered.plain_text.contains("E=mc^2"),
            "{}",
            rendered.plain_text
        );
        assert!(
            !rendered.plain_text.contains('<'),
            "{}",
            rendered.plain_text
        );
        assert!(rendered.problems.is_empty(), "{:?}", rendered.problems);
    }

    #[test]
    fn a_broken_formula_is_code_and_a_problem_on_its_line() {
        let rendered = render("ok\n\nsee $\\frac{1}{$ here", &RenderOptions::default());
        assert!(
            rendered
                .html
                .contains("<code class=\"math-error\">\\frac{1}{</code>"),
            "{}",
            rendered.html
        );
        assert_eq!(rendered.problems.len(), 1);
        assert_eq!(rendered.problems[0].line, Some(3));
    }

    #[test]
    fn mathml_and_shortcodes_survive_the_sanitiser() {
        let options = RenderOptions {
            raw_html: RawHtml::Sanitize,
            ..RenderOptions::default()
        };
        let rendered = render("$x_1$ <b>b</b>\n\n{{< youtube abc >}}\n", &options);
        assert!(rendered.html.contains("<msub>"), "{}", rendered.html);
        assert!(
            rendered.html.contains("youtube.com/watch?v=abc"),
            "{}",
            rendered.html
        );
    }

    #[test]
    fn shortcodes_render_or_show_as_written_with_their_line() {
        let rendered = render(
            "Intro.\n\n{{ figure(src=\"a_b_c.png\", caption=\"C\") }}\n\n{{< chart\n  kind=bar >}}\n\nSee [it]({{< ref \"other.md\" >}}) and $y$.\n\n`{{< chart >}}`",
            &RenderOptions::default(),
        );
        let out = &rendered.html;
        assert!(
            out.contains("<figure><img loading=\"lazy\" src=\"a_b_c.png\""),
            "{out}"
        );
        assert!(out.contains("<figcaption>C</figcaption></figure>"), "{out}");
        assert!(!out.contains("<p><figure>"), "{out}");
        assert!(
            out.contains("<code class=\"shortcode\">{{&lt; chart\n  kind=bar &gt;}}</code>"),
            "{out}"
        );
        assert!(out.contains("<a href=\"/_ref/other\">it</a>"), "{out}");
        assert!(out.contains("<code>{{&lt; chart &gt;}}</code>"), "{out}");
        let lines: Vec<_> = rendered.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(5)]);
        assert!(
            rendered.plain_text.contains(" C "),
            "{}",
            rendered.plain_text
        );
        assert!(
            !rendered.plain_text.contains('\u{E000}'),
            "{}",
            rendered.plain_text
        );
    }

    #[test]
    fn a_heading_with_a_formula_keeps_its_toc_link() {
        let rendered = render("## The $x^2$ trick\n", &RenderOptions::default());
        let entry = &rendered.toc[0];
        assert_eq!(entry.title, "The x^2 trick");
        assert!(
            rendered.html.contains(&format!("id=\"{}\"", entry.id)),
            "{} {}",
            entry.id,
            rendered.html
        );
        assert!(rendered.html.contains("<math>"), "{}", rendered.html);
    }

    #[test]
    fn hugo_highlight_is_a_code_block_and_lines_after_it_stay() {
        let rendered = render(
            "{{< highlight rust >}}\nlet x = \"{{< y >}}\";\n{{< /highlight >}}\n\n$\\frac{$\n",
            &RenderOptions::default(),
        );
        assert!(rendered.html.contains("hl-rust"), "{}", rendered.html);
        assert!(
            rendered.html.contains("{{&lt; y &gt;}}"),
            "{}",
            rendered.html
        );
        let lines: Vec<_> = rendered.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(5)]);
    }

    #[test]
    fn hugo_s_details_is_a_disclosure_box_of_markdown_and_lines_after_it_stay() {
        let body = "Intro.\n{{< details summary=\"See <why> **now**\" open=true >}}\nUse **v3**.\n\n- a\n- b\n{{< /details >}}\nAfter.\n\n$\\frac{$\n";
        let rendered = render(body, &RenderOptions::default());
        let html = &rendered.html;
        assert_eq!(
            html.split("<ul>").next().unwrap(),
            "<p>Intro.</p>\n<details open><summary>See &lt;why&gt; <strong>now</strong></summary>\n<p>Use <strong>v3</strong>.</p>\n",
        );
        assert!(html.contains("</ul>\n</details>\n<p>After.</p>"), "{html}");
        let lines: Vec<_> = rendered.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(10)]);
        // Hugo Book's and the Learn themes' forms; an unpaired tag is shown.
        for (body, start) in [
            (
                "{{< details \"Title\" open >}}\nx\n{{< /details >}}",
                "<details open><summary>Title</summary>",
            ),
            (
                "{{% expand \"More\" %}}\nx\n{{% /expand %}}",
                "<details><summary>More</summary>",
            ),
        ] {
            let html = render(body, &RenderOptions::default()).html;
            assert!(html.starts_with(start), "{html}");
            assert!(html.contains("<p>x</p>\n</details>"), "{html}");
        }
        let item = "1. Step\n   {{< details \"More\" >}}\n   x\n   {{< /details >}}\n2. Next\n";
        let html = render(item, &RenderOptions::default()).html;
        let first_end = html.find("</li>").expect(&html);
        assert!(html.find("</details>").expect(&html) < first_end, "{html}");
        assert_eq!(html.matches("<li>").count(), 2, "{html}");
        let lone = render("{{< details >}}\nx\n", &RenderOptions::default());
        assert!(!lone.html.contains("<details"), "{}", lone.html);
        assert_eq!(lone.problems.len(), 1, "{:?}", lone.problems);
    }

    #[test]
    fn a_details_box_inside_another_is_nested_in_it() {
        let body = "{{< details \"Outer\" >}}\nA\n{{< details \"Inner\" >}}\nB\n{{< /details >}}\nC\n{{< /details >}}\nAfter.\n";
        let rendered = render(body, &RenderOptions::default());
        assert!(rendered.problems.is_empty(), "{:?}", rendered.problems);
        let html = rendered.html;
        assert_eq!(
            html,
            "<details><summary>Outer</summary>\n<p>A</p>\n<details><summary>Inner</summary>\n<p>B</p>\n</details>\n<p>C</p>\n</details>\n<p>After.</p>\n",
        );
        // A lone opener inside a box is shown as written; the box still pairs.
        let lone = render(
            "{{< details \"Outer\" >}}\nA {{< details >}}\n{{< /details >}}\n",
            &RenderOptions::default(),
        );
        assert!(
            lone.html.starts_with("<details><summary>Outer</summary>"),
            "{}",
            lone.html
        );
        assert!(lone.html.contains("</details>"), "{}", lone.html);
    }

    #[test]
    fn a_callout_indented_in_a_list_item_stays_in_the_item() {
        let body = "1. Stop the member.\n\n   {{% alert title=\"Note\" %}}\n   Back up **first**.\n\n       nested code\n   {{% /alert %}}\n\n2. Start it.\n";
        let html = render(body, &RenderOptions::default()).html;
        assert_eq!(html.matches("<ol>").count(), 1, "{html}");
        assert_eq!(html.matches("<li>").count(), 2, "{html}");
        let alert = html.find("markdown-alert-note").expect(&html);
        let (first_end, second) = (html.find("</li>").unwrap(), html.find("Start it").unwrap());
        assert!(alert < first_end && first_end < second, "{html}");
        let body = html.find("<strong>first</strong>").expect(&html);
        assert!(body < first_end, "the callout's body left the item: {html}");
        assert!(!html.contains("<ol start"), "{html}");
        assert!(
            html.contains("<pre") && html.contains("nested code"),
            "{html}"
        );
    }

    #[test]
    fn docsy_s_alert_is_a_callout_of_markdown_and_lines_after_it_stay() {
        // etcd's docs, 227 times.
        let body = "Intro.\n\n{{% alert title=\"Note\" color=\"warning\" %}}\nUse **v3** API.\n\n```sh\netcdctl put k v\n```\n{{% /alert %}}\n\n$\\frac{$\n";
        let rendered = render(body, &RenderOptions::default());
        let html = &rendered.html;
        assert!(
            html.contains(r#"<div class="markdown-alert markdown-alert-warning">"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<p class="markdown-alert-title">Note</p>"#),
            "{html}"
        );
        assert!(html.contains("<strong>v3</strong>"), "{html}");
        assert!(html.contains("hl-"), "{html}");
        assert!(
            !html.contains("alert %") && !html.contains("shortcode"),
            "{html}"
        );
        assert!(!html.contains("&gt;"), "{html}");
        let lines: Vec<_> = rendered.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(11)]);
        // GitHub's own form, and the Learn and Book themes' callouts.
        for (body, class) in [
            ("> [!TIP]\n> Try it.", "markdown-alert-tip"),
            (
                "{{% notice tip \"Hint\" %}}\nTry it.\n{{% /notice %}}",
                "markdown-alert-tip",
            ),
            (
                "{{< hint danger >}}\nTry it.\n{{< /hint >}}",
                "markdown-alert-caution",
            ),
            (
                "{{% alert %}}\nTry it.\n{{% /alert %}}",
                "markdown-alert-note",
            ),
            // Kubernetes' and linkerd.io's, named after their kind.
            (
                "{{< note >}}\nTry it.\n{{< /note >}}",
                "markdown-alert-note",
            ),
            (
                "{{< warning >}}\nTry it.\n{{< /warning >}}",
                "markdown-alert-warning",
            ),
        ] {
            let html = render(body, &RenderOptions::default()).html;
            assert!(
                html.contains(class) && html.contains("<p>Try it.</p>"),
                "{body}: {html}"
            );
        }
        // etcd's stray full stop after a closing tag: kept, in the box's
        // last paragraph (a line more after it would move the lines after).
        let html = render(
            "{{% alert %}}\nTry it.\n{{% /alert %}}.",
            &RenderOptions::default(),
        )
        .html;
        assert!(
            html.contains("markdown-alert-note") && html.contains("Try it.\n.</p>"),
            "{html}"
        );
        // Not alone on its line, or never closed: shown as written, reported.
        for body in [
            "Text {{% alert %}} x {{% /alert %}}",
            "{{% alert %}}\nTry it.",
        ] {
            let rendered = render(body, &RenderOptions::default());
            assert!(
                !rendered.html.contains("markdown-alert"),
                "{}",
                rendered.html
            );
            assert!(!rendered.problems.is_empty(), "{body}");
        }
    }

    #[test]
    fn jekyll_highlight_is_a_code_block() {
        let body =
            "{% highlight ruby %}\ndef hi = puts \"{{ name }}\"\n{% endhighlight %}\n\nAfter.\n";
        let rendered = render(body, &RenderOptions::default());
        assert!(rendered.html.contains("hl-ruby"), "{}", rendered.html);
        assert!(!rendered.html.contains("endhighlight"), "{}", rendered.html);
        assert!(rendered.html.contains("<p>After.</p>"), "{}", rendered.html);
        assert!(rendered.problems.is_empty(), "{:?}", rendered.problems);
    }

    /// Minimal Mistakes' `{: .notice}`, ruby-lang.org's image styles and
    /// kramdown's `{:toc}` were shown as text.
    #[test]
    fn kramdown_attribute_lists_are_left_out_and_noted() {
        let body = "* TOC\n{:toc}\n\n## One\n\n![a](b.png){: width=\"180\"}\n\nNote.\n{: .notice}\n\nRuby {:a=>1} and Python {:.2f} stay.\n";
        let rendered = render(body, &RenderOptions::default());
        for gone in ["{:", "TOC", "notice", "180"] {
            let html = rendered
                .html
                .replace("{:a=&gt;1}", "")
                .replace("{:.2f}", "");
            assert!(!html.contains(gone), "{gone}: {}", rendered.html);
        }
        assert!(rendered.html.contains("<p>Note.</p>"), "{}", rendered.html);
        let kept = "Ruby {:a=&gt;1} and Python {:.2f} stay.";
        assert!(rendered.html.contains(kept), "{}", rendered.html);
        let lines: Vec<_> = rendered.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(1), Some(6), Some(9)]);
        let note = crate::content::error::Severity::Note;
        assert!(rendered.problems.iter().all(|p| p.severity == note));
    }

    #[test]
    fn quire_markup_never_lands_inside_an_attribute() {
        // Failed before splices looked at attributes: the figure's markup
        // inside `alt` ended it, and `onerror` became an attribute.
        for raw_html in [RawHtml::Drop, RawHtml::Sanitize, RawHtml::Trust] {
            let options = RenderOptions {
                raw_html,
                ..RenderOptions::default()
            };
            let out = render(
                "![a> {{< figure src=\"x onerror=alert(1)\" >}} $\\sum \\text{ onload=alert(2) }$](p.png \"{{< chart >}}\")",
                &options,
            )
            .html;
            let page = scraper::Html::parse_fragment(&out);
            let elements: Vec<_> = page
                .root_element()
                .descendants()
                .filter_map(scraper::ElementRef::wrap)
                .map(|el| el.value().clone())
                .collect();
            let names: Vec<_> = elements.iter().map(|el| el.name()).collect();
            assert_eq!(names, ["html", "p", "img"], "{out}");
            let img = &elements[2];
            let attributes: Vec<_> = img.attrs().map(|(name, _)| name).collect();
            assert!(
                attributes
                    .iter()
                    .all(|name| ["loading", "src", "alt", "title", "rel"].contains(name)),
                "{out}"
            );
            assert!(img.attr("alt").unwrap().contains("\\sum"), "{out}");
            assert_eq!(img.attr("title"), Some("{{< chart >}}"), "{out}");
        }
    }
}
