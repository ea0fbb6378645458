//! Bounded property tests in place of `cargo fuzz` (see docs/SECURITY.md):
//! a fixed-seed generator builds thousands of inputs from hostile pieces
//! for the front matter parser, the Markdown renderer (raw HTML dropped and
//! sanitised), the search query parser and the URL router. Properties: no
//! panic, errors name the file, rendered HTML never carries script, routes
//! print back to themselves, pathological inputs stay linear.

#[path = "support/hostile_html.rs"]
mod html;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, Instant};

use quire::content::{RawHtml, RenderOptions, markdown, parse_document};
use quire::web::Route;

/// Cases per property: enough to find the shallow bugs in a few seconds of
/// a debug build; a failure prints the seed-determined input.
const CASES: usize = 3000;

/// xorshift64*: fixed seed, so a failing input replays exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// Up to `max` pieces, with a random character now and then.
    fn text(&mut self, pieces: &[&str], max: usize) -> String {
        let count = self.below(max + 1);
        let mut out = String::new();
        for _ in 0..count {
            match self.below(10) {
                0 => out.push(char::from_u32(self.below(0x3000) as u32).unwrap_or('?')),
                1 => out.push(char::from(self.below(128) as u8)),
                _ => out.push_str(self.pick(pieces)),
            }
        }
        out
    }
}

fn no_panic<T>(what: &str, input: &str, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => value,
        Err(_) => panic!("{what} panicked on input {input:?}"),
    }
}

const FRONT_PIECES: &[&str] = &[
    "title = \"T\"\n",
    "date = 2026-01-01\n",
    "date = 2026-13-45\n",
    "date = \"yesterday\"\n",
    "publish_at = 2026-01-01T00:00:00Z\n",
    "tags = [\"a\", \"b\"]\n",
    "tags = [",
    "]\n",
    "tags = 7\n",
    "category = \"</script>\"\n",
    "slug = \"../../etc/passwd\"\n",
    "aliases = [\"//evil.example\", \"/x\"]\n",
    "[extra]\n",
    "[taxonomies]\n",
    "draft = maybe\n",
    "title: T\n",
    "tags:\n  - a\n",
    "- \n",
    ": :\n",
    "&a [*a, *a]\n",
    "!!binary aGk=\n",
    "{ a: [ { b: [ [ [",
    "\"",
    "'",
    "\\",
    "\\u0000",
    "\\uD800",
    "=",
    "\n",
    "\t",
    "\u{feff}",
    "\r\n",
    "+++",
    "---",
    "<!--",
    "x = 1e999\n",
    "x = 99999999999999999999999\n",
];

#[test]
fn front_matter_parser_never_panics_and_errors_name_the_file() {
    let mut rng = Rng(0x0123_4567_89AB_CDEF);
    let mut parsed = 0;
    for _ in 0..CASES {
        let fence = rng.pick(&["+++", "---", "+++", "---", "", "++", "----"]);
        // Half the inputs start from a valid header, so the parser's
        // success paths (and the renderer after it) are reached too.
        let valid = match fence {
            "+++" => "title = \"T\"\ndate = 2026-01-01\n",
            "---" => "title: T\ndate: 2026-01-01\n",
            _ => "",
        };
        let base = if rng.below(2) == 0 { valid } else { "" };
        let extra = if base.is_empty() { 12 } else { 2 };
        let front = format!("{base}{}", rng.text(FRONT_PIECES, extra));
        let close = if rng.below(8) == 0 { "" } else { fence };
        let body = rng.text(&["Body", "\n", "# H", "<!-- more -->"], 6);
        let text = format!("{fence}\n{front}\n{close}\n{body}");
        let result = no_panic("front matter", &text, || {
            parse_document(Path::new("posts/f.md"), &text, &RenderOptions::default())
        });
        match result {
            Ok(_) => parsed += 1,
            Err(err) => {
                let message = err.to_string();
                assert!(
                    message.contains("f.md"),
                    "error without the file: {message}"
                );
            }
        }
    }
    // The generator reaches valid posts too, not only errors.
    assert!(parsed > 10, "only {parsed} of {CASES} inputs parsed");
}

const MARKDOWN_PIECES: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">a</a>",
    "[l](javascript:alert(1))",
    "[l](JaVa&#x09;Script:alert(1))",
    "![i](data:text/html,<script>alert(1)</script>)",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=x>",
    "<style>*{}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<",
    ">",
    "\"",
    "'",
    "`",
    "```\n",
    "~~~",
    "\n\n",
    "\n",
    "    ",
    "> ",
    "- ",
    "1. ",
    "- [ ] ",
    "| a | b |\n|---|---|\n",
    "[^1]",
    "[^1]: note\n",
    "# ",
    "## ",
    "*",
    "_",
    "**",
    "~~",
    "[",
    "]",
    "(",
    ")",
    "[x]: javascript:alert(1)\n",
    "<javascript:alert(1)>",
    "<http://a.example>",
    "&#0;",
    "&lt;script&gt;",
    "&",
    "\\",
    "word ",
    "<!-- more -->",
    "<details open ontoggle=alert(1)>",
    "<form action=javascript:alert(1)>",
    "<base href=//evil.example>",
    "<meta http-equiv=refresh content=0>",
    "<p/onclick=alert(1)>",
    "<object data=x>",
    "<embed src=x>",
];

#[test]
fn rendered_markdown_never_carries_script_with_raw_html_dropped_or_sanitised() {
    let mut rng = Rng(0xFEED_FACE_CAFE_BEEF);
    for case in 0..CASES {
        let markdown = rng.text(MARKDOWN_PIECES, 40);
        for raw_html in [RawHtml::Drop, RawHtml::Sanitize] {
            let options = RenderOptions {
                raw_html,
                embed_hosts: vec!["www.youtube.com".into()],
                asset_base: (case % 3 == 0).then(|| "/blog/x/".to_string()),
                ..RenderOptions::default()
            };
            let rendered = no_panic("markdown", &markdown, || {
                markdown::render(&markdown, &options)
            });
            let problems = html::problems("render", &rendered.html);
            assert!(
                problems.is_empty(),
                "raw HTML {}: {problems:?}\ninput: {markdown:?}\noutput: {}",
                raw_html.as_str(),
                rendered.html
            );
            // The summary and plain text are text: they are escaped where
            // they are shown, but they must not be longer than the input.
            assert!(rendered.summary.len() <= markdown.len() * 2 + 16);
        }
    }
}

/// comrak's own fuzzing has a `quadratic` target; these are the classic
/// shapes. Each renders far under the bound on a debug build; a quadratic
/// blow-up at this size would take minutes.
#[test]
fn pathological_markdown_renders_in_bounded_time() {
    let n = 20_000;
    let inputs = [
        "[".repeat(n),
        "*a".repeat(n),
        "> ".repeat(n / 4),
        "`".repeat(n),
        "<".repeat(n),
        "- ".repeat(n / 4),
        "[a](".repeat(n / 4),
        "<a href=\"".repeat(n / 4),
        "&#".repeat(n),
        "|a".repeat(n / 4) + "\n|-|\n",
        "[^1]".repeat(n / 4),
        "**_".repeat(n / 2),
    ];
    for input in &inputs {
        for raw_html in [RawHtml::Drop, RawHtml::Sanitize] {
            let options = RenderOptions {
                raw_html,
                ..RenderOptions::default()
            };
            let started = Instant::now();
            let rendered = no_panic("markdown", &input[..40], || {
                markdown::render(input, &options)
            });
            let took = started.elapsed();
            assert!(
                took < Duration::from_secs(10),
                "{:?}… ({} bytes) took {took:?}",
                &input[..20],
                input.len()
            );
            assert!(html::problems("render", &rendered.html).is_empty());
        }
    }
}

#[test]
fn search_queries_of_any_shape_parse_and_run() {
    let store = quire::store::Store::temporary().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (i, title) in [
        "Rust async",
        "Postgres indexes",
        "Café crème",
        "日本語の記事",
    ]
    .iter()
    .enumerate()
    {
        std::fs::write(
            dir.path().join(format!("p{i}.md")),
            format!(
                "+++\ntitle = \"{title}\"\ndate = 2026-01-0{}\n+++\n\n{title} body text.\n",
                i + 1
            ),
        )
        .unwrap();
    }
    quire::store::sync::sync_all(&store, dir.path(), &RenderOptions::default(), &|| {}).unwrap();
    let index = quire::search::SearchIndex::new().unwrap();
    index.rebuild(&store, false).unwrap();
    let pieces = &[
        "rust",
        "\"",
        "'",
        "AND",
        "OR",
        "NOT",
        "-",
        "+",
        "*",
        "?",
        "~2",
        "^3",
        ":",
        "title:",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "\\",
        "/",
        " ",
        "  ",
        "café",
        "CAFE",
        "日本",
        "\u{0}",
        "\u{200b}",
        "🦀",
        "a",
        "ab",
        "postgers",
        "%",
        "&",
        "<script>",
        "x".repeat(300).leak(),
    ];
    let mut rng = Rng(0xDEAD_BEEF_0BAD_F00D);
    for _ in 0..CASES {
        let query = rng.text(pieces, 30);
        let terms = no_panic("query parse", &query, || index.terms(&query));
        assert!(terms.words.len() <= 8, "{query:?}: {:?}", terms.words);
        assert!(
            terms
                .words
                .iter()
                .all(|w| !w.is_empty() && w.len() <= 40 * 4),
            "{query:?}: {:?}",
            terms.words
        );
        no_panic("search", &query, || {
            index.search(&terms, 10).unwrap();
            index.search_any(&terms, 10).unwrap();
        });
    }
    // The generator is not vacuous: a real word still finds its post.
    let terms = index.terms("postgers");
    assert!(
        index.search(&terms, 10).unwrap().1 >= 1,
        "typo-tolerant search"
    );
}

#[test]
fn any_path_routes_and_routes_print_back_to_themselves() {
    let pieces = &[
        "/",
        "/",
        "blog",
        "page",
        "category",
        "tags",
        "search",
        "?",
        "&",
        "=",
        "q",
        "tag",
        "category",
        "page",
        "1",
        "0",
        "-1",
        "99999999999",
        "%",
        "%2F",
        "%00",
        "%zz",
        "%E2%82%AC",
        "..",
        ".",
        "#",
        "+",
        " ",
        "é",
        "\u{0}",
        "<script>",
        "a",
        "rust",
    ];
    let mut rng = Rng(0x1357_9BDF_2468_ACE0);
    let mut routed = 0;
    for _ in 0..CASES * 2 {
        let path = format!("/{}", rng.text(pieces, 14));
        let Ok(route) = no_panic("route", &path, || Route::from_str(&path)) else {
            continue;
        };
        routed += 1;
        let printed = no_panic("route display", &path, || route.to_string());
        let again = Route::from_str(&printed)
            .unwrap_or_else(|_| panic!("{path:?} → {printed:?} does not parse again"));
        if let Route::Article { .. } = route {
            // The catch-all prints its segments unescaped (`#`, `?`, empty
            // segments), so the printed path may route elsewhere; it must
            // still parse, and 404 paths are never printed into links.
            let _ = again;
        } else {
            assert_eq!(again, route, "{path:?} → {printed:?}");
            assert_eq!(again.to_string(), printed, "{path:?} → {printed:?}");
        }
    }
    assert!(routed > CASES, "only {routed} paths routed");
}
