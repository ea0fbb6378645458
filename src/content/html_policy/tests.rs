//! The allow-list pinned: what authors write survives, what runs code
//! does not, iframes follow `embed_hosts`, and the report names exactly
//! what the sanitiser took out.

use super::report::{DROPPED, REMOVED};
use super::*;
use crate::content::markdown::{RenderOptions, render};

fn youtube() -> Vec<String> {
    vec!["www.youtube.com".to_string()]
}

fn clean(html: &str) -> String {
    sanitize(html, &youtube())
}

fn rendered(markdown: &str, raw_html: RawHtml) -> crate::content::markdown::Rendered {
    let options = RenderOptions {
        raw_html,
        embed_hosts: youtube(),
        ..RenderOptions::default()
    };
    render(markdown, &options)
}

#[test]
fn quire_s_own_markup_passes_unchanged() {
    let markdown = "# Title\n\n## Part *one*\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n\
        ~~old~~ https://example.com <b>x</b>\n\n- [x] done\n- [ ] todo\n\n\
        Note[^1]\n\n[^1]: the note\n\n```rust\nfn main() { let x = \"<\"; }\n```\n\n\
        ![alt](pic.png \"t\") [link](/a \"title\")\n\n1. one\n2. two\n\n> quote\n\n---\n";
    // Serialisation may differ (`<hr />` is written `<hr>`); no element
    // or attribute may go.
    let trusted = rendered(markdown, RawHtml::Trust).html;
    let sanitised = rendered(markdown, RawHtml::Sanitize).html;
    assert_eq!(
        lost(&trusted, &sanitised),
        Vec::<String>::new(),
        "{sanitised}"
    );
    assert!(rendered(markdown, RawHtml::Sanitize).problems.is_empty());
}

#[test]
fn what_blog_authors_write_is_kept() {
    for html in [
        "<details open><summary>More</summary><p>hidden</p></details>",
        "<table><caption>c</caption><thead><tr><th colspan=\"2\" align=\"left\">h</th></tr></thead><tbody><tr><td rowspan=\"2\">1</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>",
        "<figure><img src=\"a.png\" srcset=\"a.png 1x, a@2x.png 2x\" sizes=\"50vw\" width=\"640\" height=\"480\" alt=\"A\" loading=\"lazy\"><figcaption>cap</figcaption></figure>",
        "<picture><source srcset=\"a.webp\" type=\"image/webp\" media=\"(min-width: 600px)\"><img src=\"a.jpg\" alt=\"\"></picture>",
        "<video src=\"v.mp4\" poster=\"p.jpg\" controls=\"\" muted=\"\" loop=\"\" playsinline=\"\" preload=\"none\" width=\"320\" height=\"240\"><track src=\"c.vtt\" kind=\"captions\" srclang=\"en\" label=\"English\"></video>",
        "<audio controls=\"\"><source src=\"a.ogg\" type=\"audio/ogg\"></audio>",
        "<p>x<sup>2</sup> H<sub>2</sub>O <kbd>Ctrl</kbd> <abbr title=\"HyperText\">HTML</abbr> <mark>m</mark> <small>s</small><br>next</p>",
        "<progress value=\"70\" max=\"100\">70 %</progress><meter value=\"0.6\" min=\"0\" max=\"1\" low=\"0.2\" high=\"0.8\" optimum=\"0.5\"></meter>",
        "<div class=\"note\" id=\"n1\"><span class=\"k\">k</span></div>",
        "<dl><dt>term</dt><dd>def</dd></dl><hr><center>c</center>",
        "<p><ins datetime=\"2024-01-01\">new</ins><del cite=\"https://a.b/\">old</del><q cite=\"https://a.b/\">q</q><cite>c</cite><time datetime=\"2024-01-01\">today</time></p>",
        "<p><a href=\"https://a.b/\" rel=\"nofollow noopener\" target=\"_blank\">ext</a><a name=\"anchor\"></a><a href=\"mailto:a@b.c\">m</a></p>",
        "<ol start=\"3\" reversed=\"\"><li value=\"7\">x</li></ol>",
        // Keyboard focus as generated documentation writes it.
        "<h2 id=\"scope\" tabindex=\"-1\">Scope</h2><div class=\"table-wrap\" tabindex=\"0\"><table><tr><td>1</td></tr></table></div>",
        "<figure itemscope=\"\" itemtype=\"http://schema.org/ImageObject\"><img src=\"a.png\" itemprop=\"thumbnail\" alt=\"\"><figcaption itemprop=\"caption description\">c</figcaption></figure>",
        // A README's header, as GitHub keeps it (Zola's theme pages).
        "<p align=\"center\"><img src=\"logo.png\" alt=\"\" border=\"0\" hspace=\"4\"></p><div align=\"center\"><h1 align=\"center\">T</h1></div>",
    ] {
        assert_eq!(lost(html, &clean(html)), Vec::<String>::new(), "{html}");
        let tags = report_of(html);
        assert!(tags.is_empty(), "{html}: reported {tags:?}");
    }
}

/// The removals reported for `html` written as one raw HTML block.
fn report_of(html: &str) -> Vec<String> {
    rendered(html, RawHtml::Sanitize)
        .problems
        .into_iter()
        .map(|p| p.message)
        .collect()
}

#[test]
fn nothing_that_can_run_code_or_escape_the_page_survives() {
    for (html, gone) in [
        ("<script>alert(1)</script>", "<script"),
        ("<style>p{}</style>", "<style"),
        ("<img src=x onerror=alert(1)>", "onerror"),
        ("<form action=\"/x\"><input type=\"text\"></form>", "<form"),
        ("<input type=\"text\" value=\"v\">", "<input"),
        ("<object data=\"x.swf\"></object>", "<object"),
        ("<embed src=\"x.swf\">", "<embed"),
        ("<base href=\"https://evil.com/\">", "<base"),
        ("<meta http-equiv=\"refresh\" content=\"0\">", "<meta"),
        ("<link rel=\"stylesheet\" href=\"x.css\">", "<link"),
        ("<a href=\"javascript:alert(1)\">x</a>", "javascript"),
        ("<a href=\"JaVaScRiPt:alert(1)\">x</a>", "alert"),
        ("<a href=\"java&#x73;cript:alert(1)\">x</a>", "alert"),
        (
            "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
            "data:",
        ),
        (
            "<img src=\"x\" srcset=\"javascript:alert(1) 1x\">",
            "srcset",
        ),
        ("<p style=\"position:fixed;inset:0\">x</p>", "position"),
        ("<p style=\"background:url(https://e.vil/x)\">x</p>", "url("),
        ("<svg><script>alert(1)</script></svg>", "<script"),
        (
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "onerror",
        ),
        (
            "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
            "<iframe",
        ),
        (
            "<a href=\"/x\" target=\"_top\" rel=\"opener\">x</a>",
            "target",
        ),
        ("<video autoplay src=\"v.mp4\"></video>", "autoplay"),
        // Not code, but it takes the keyboard out of the page's order.
        ("<a href=\"/x\" tabindex=\"3\">x</a>", "tabindex"),
    ] {
        let out = clean(html);
        assert!(!out.contains(gone), "{html} kept {gone}: {out}");
        assert!(!report_of(html).is_empty(), "{html}: nothing reported");
    }
}

/// The attributes Quire sets on an iframe come in one order, whatever the
/// process: ammonia keeps them in a HashMap, whose order changed between
/// two ingests of the Rust blog (and with it the page's bytes). Each
/// `clean` builds its policy afresh, with a new hasher.
#[test]
fn an_iframes_own_attributes_come_in_one_order() {
    let html = "<iframe src=\"https://www.youtube.com/embed/x\" loading=\"eager\"></iframe>";
    let first = clean(html);
    let order = ["sandbox=", "loading=", "referrerpolicy="];
    let at: Vec<usize> = order.iter().map(|a| first.find(a).unwrap()).collect();
    assert!(at.is_sorted(), "{first}");
    assert!(first.contains("loading=\"lazy\""), "{first}");
    for _ in 0..32 {
        assert_eq!(clean(html), first);
    }
}

#[test]
fn iframes_stay_only_from_an_embed_host_over_https() {
    let kept = clean(
        "<iframe src=\"https://www.youtube.com/embed/x\" width=\"560\" allowfullscreen></iframe>",
    );
    assert!(
        kept.starts_with("<iframe src=\"https://www.youtube.com/embed/x\""),
        "{kept}"
    );
    for attr in [
        "sandbox=\"allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation\"",
        "loading=\"lazy\"",
        "referrerpolicy=\"strict-origin-when-cross-origin\"",
        "allowfullscreen",
    ] {
        assert!(kept.contains(attr), "{attr}: {kept}");
    }
    for src in [
        "https://www.youtube.com.evil.com/embed/x",
        "https://evil.com/?https://www.youtube.com/",
        "https://www.youtube.com@evil.com/",
        "https://www.youtube.com:8443/embed/x",
        "http://www.youtube.com/embed/x",
        "//www.youtube.com/embed/x",
        "//evil.com/x",
        "/local",
        "javascript:alert(1)",
        "data:text/html,x",
    ] {
        let html = format!("<p>a</p><iframe src=\"{src}\">fallback</iframe>");
        let out = clean(&html);
        assert!(!out.contains("<iframe"), "{src}: {out}");
        assert!(!report_of(&html).is_empty(), "{src}: not reported");
    }
    assert!(
        !sanitize(
            "<iframe src=\"https://www.youtube.com/embed/x\"></iframe>",
            &[]
        )
        .contains("<iframe")
    );
}

#[test]
fn style_attributes_keep_what_dresses_the_element() {
    let html = rendered(
        "<table><tr><td style=\"text-align:right;position:absolute\">1</td></tr></table>\n",
        RawHtml::Sanitize,
    )
    .html;
    assert!(
        html.contains("<td style=\"text-align: right\">1</td>"),
        "{html}"
    );
}

#[test]
fn every_removal_is_reported_with_its_line_and_fix() {
    let markdown = "Intro\n\n<div onclick=\"x()\">\n<form>\n<b style=\"color:red;position:fixed\">b</b>\n</form>\n</div>\n\n\
        Text <sup>1</sup> and <iframe src=\"https://vimeo.com/1\"></iframe>\n";
    let problems = rendered(markdown, RawHtml::Sanitize).problems;
    let lines: Vec<_> = problems
        .iter()
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            (
                Some(3),
                "raw HTML removed: the `onclick` attribute of `<div>`"
            ),
            (Some(4), "raw HTML removed: `<form>` (its text is kept)"),
            (
                Some(5),
                "raw HTML removed: `position` in the `style` attribute of `<b>`"
            ),
            (
                Some(9),
                "raw HTML removed: `<iframe src=\"https://vimeo.com/1\">`"
            ),
        ]
    );
    assert_eq!(
        problems[3].fix,
        "add \"vimeo.com\" to `embed_hosts` in quire.toml"
    );
    assert!(problems.iter().all(|p| p.message.starts_with(REMOVED)));
}

#[test]
fn drop_reports_each_block_and_trust_reports_nothing() {
    let markdown =
        "<details>\n<summary>s</summary>\n</details>\n\nText<br>more\n\n<!-- more -->\n\nEnd</p>\n";
    let dropped = rendered(markdown, RawHtml::Drop);
    assert!(
        !dropped.html.contains("<details") && !dropped.html.contains("<br"),
        "{}",
        dropped.html
    );
    let lines: Vec<_> = dropped.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [Some(1), Some(5)], "{:?}", dropped.problems);
    assert!(
        dropped.problems[0]
            .message
            .starts_with(&format!("{DROPPED} `<details>` and the rest"))
    );
    let inline = format!("{DROPPED} `<br>` (raw_html = \"drop\")");
    assert_eq!(dropped.problems[1].message, inline);
    let trusted = rendered(markdown, RawHtml::Trust);
    assert!(trusted.problems.is_empty());
    assert!(trusted.html.contains("<details>"));
}

#[test]
fn the_report_and_the_sanitiser_agree() {
    // For every tag the report passes, the sanitiser keeps the tag and all
    // its attributes; for every tag it flags, something is missing.
    for html in [
        "<b onclick=x>b</b>",
        "<a href=\"ftp://x\">f</a>",
        "<a href=\"https://x\" rel=\"me\">m</a>",
        "<img src=\"data:image/png;base64,AA\">",
        "<span class=\"c\" data-x=\"1\">s</span>",
        "<table border=\"1\"><tr><td width=\"5\">1</td></tr></table>",
        "<input type=\"checkbox\" checked=\"\" disabled=\"\">",
        "<font color=\"red\">f</font>",
        "<iframe src=\"https://www.youtube.com/embed/x\"></iframe>",
    ] {
        let reported = !report_of(html).is_empty();
        let changed = !lost(html, &clean(html)).is_empty();
        assert_eq!(reported, changed, "{html} → {}", clean(html));
    }
}

/// The tag and attribute names of `before` missing from `after` (the
/// sanitiser may add: `<tbody>`, Quire's iframe attributes).
fn lost(before: &str, after: &str) -> Vec<String> {
    let mut left = start_tags_of(after);
    let mut missing = Vec::new();
    for name in start_tags_of(before) {
        match left.iter().position(|n| *n == name) {
            Some(i) => drop(left.swap_remove(i)),
            None => missing.push(name),
        }
    }
    missing
}

/// Tag and attribute names of every start tag (a rough reading: enough
/// for the well-formed HTML of these tests).
fn start_tags_of(html: &str) -> Vec<String> {
    let mut names = Vec::new();
    let dom = html.split('<').skip(1).filter(|t| !t.starts_with('/'));
    for tag in dom {
        let head = tag.split('>').next().unwrap_or_default();
        let mut words = head.split_whitespace();
        names.push(words.next().unwrap_or_default().to_string());
        let attrs = words.map(|w| w.split('=').next().unwrap_or_default());
        names.extend(attrs.filter(|a| *a != "/").map(str::to_string));
    }
    names
}

#[test]
fn a_body_without_raw_html_is_rendered_safely_without_the_sanitiser() {
    let markdown = "[x](javascript:alert(1)) ![i](data:text/html,x)\n\n<!-- more -->\n";
    let out = rendered(markdown, RawHtml::Sanitize).html;
    assert!(
        !out.contains("javascript") && !out.contains("data:"),
        "{out}"
    );
    let has_raw = |raw: &str| {
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, raw, &comrak::Options::default());
        has_raw_html(root)
    };
    assert!(!has_raw("text\n\n<!-- more -->\n\nmore <!-- x --> text"));
    assert!(has_raw("<!-- a --><b>x</b><!-- c -->\n"));
    assert!(has_raw("text <br> text"));
}

#[test]
fn the_setting_reads_its_three_values() {
    assert_eq!(RawHtml::parse(" Sanitize "), Some(RawHtml::Sanitize));
    assert_eq!(RawHtml::parse("drop"), Some(RawHtml::Drop));
    assert_eq!(RawHtml::parse("TRUST"), Some(RawHtml::Trust));
    assert_eq!(RawHtml::parse("true"), None);
    assert_eq!(RawHtml::default(), RawHtml::Sanitize);
    for choice in RawHtml::CHOICES {
        assert_eq!(RawHtml::parse(choice).map(RawHtml::as_str), Some(choice));
    }
}

#[test]
fn noscript_fallbacks_are_shown_as_html_not_as_text() {
    let html = "<div><script>draw()</script><NoScript><img src=\"f.png\" alt=\"chart\" onerror=\"x()\"></noscript ></div>";
    let out = super::sanitize(html, &[]);
    assert_eq!(out, "<div><img src=\"f.png\" alt=\"chart\"></div>");
    let text = super::sanitize("<p>noscript is a word; <noscripts> is not a tag</p>", &[]);
    assert!(text.contains("noscript is a word"), "{text}");
}
