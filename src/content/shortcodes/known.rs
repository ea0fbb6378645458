//! The shortcodes Quire renders itself: `figure`, `youtube` and `vimeo`
//! (a link card: no iframe, no third-party thumbnail, nothing loaded from
//! elsewhere until the reader clicks), `gist` (a link) and `ref`/`relref`
//! (the referenced post's address), `x` and `tweet` (a link card to the
//! post on X), `param` (a value of the page's front matter, its sections'
//! `cascade` or the site's `[params]`, gathered by `content::params`). Every value that reaches markup is
//! escaped, and URLs must be relative or `http(s)`.

use std::collections::BTreeMap;
use std::path::Path;

use super::Context;
use super::args::Args;
use crate::content::escape::escape_markup;
use crate::content::splice::Splice;

/// What a known shortcode becomes.
#[derive(Debug, PartialEq, Eq)]
pub enum Output {
    /// Markup put in after rendering.
    Markup(Splice),
    /// Text put into the Markdown in its place (an address).
    Markdown(String),
}

/// Why a known shortcode could not be rendered: the problem and its fix.
pub type Refusal = (String, &'static str);

/// Renders `name`, or `None` when Quire does not know it.
pub fn render(name: &str, args: &Args, context: Context<'_>) -> Option<Result<Output, Refusal>> {
    Some(match name {
        "figure" => figure(args, context.asset_base),
        "param" => param(args, context.params),
        "youtube" => youtube(args),
        "vimeo" => vimeo(args),
        "gist" => gist(args),
        "x" | "tweet" | "twitter" => post_on_x(args),
        "ref" | "relref" => reference(args, context),
        _ => return None,
    })
}

/// Hugo's `{{< param "name" >}}`: the page's value of that name (its own,
/// its sections' `cascade`, then the site's `[params]`), as text.
fn param(args: &Args, params: &BTreeMap<String, String>) -> Result<Output, Refusal> {
    let name = args.get("name", Some(0)).unwrap_or_default().trim();
    match params
        .get(name)
        .or_else(|| params.get(&name.to_lowercase()))
    {
        Some(value) => Ok(Output::Markdown(escape_markdown(value))),
        None => refuse(
            format!(
                "`param \"{name}\"` names no value of the page's front matter, of a `cascade` in its sections' `_index.md` or of quire.toml's `[params]`, so it is shown as written"
            ),
            "set it in the front matter, in a section's `cascade`, or under `[params]` in quire.toml (`bench/migrate.py` copies Hugo's `params`)",
        ),
    }
}

/// `text` as Markdown that shows it as written.
pub(super) fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if "\\`*_[]<>#|!~&".contains(ch) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

fn refuse(message: impl Into<String>, fix: &'static str) -> Result<Output, Refusal> {
    Err((message.into(), fix))
}

fn figure(args: &Args, asset_base: Option<&str>) -> Result<Output, Refusal> {
    let Some(src) = args.get("src", Some(0)).filter(|s| !s.trim().is_empty()) else {
        return refuse(
            "the figure has no `src`",
            "add `src=\"image.png\"`, or use Markdown `![alt](image.png)`",
        );
    };
    let Some(src) = safe_url(src.trim(), asset_base) else {
        return refuse(
            format!("the figure's `src` `{src}` is not a relative or http(s) address"),
            "point `src` at an image beside the post or an https:// address",
        );
    };
    let mut img = format!("<img loading=\"lazy\" src=\"{}\"", escape_markup(&src));
    img.push_str(&format!(
        " alt=\"{}\"",
        escape_markup(args.get("alt", None).unwrap_or(""))
    ));
    for side in ["width", "height"] {
        if let Some(n) = args.get(side, None).filter(|n| is_dimension(n)) {
            img.push_str(&format!(" {side}=\"{n}\""));
        }
    }
    img.push('>');
    // Hugo's `link`: the image links there (when it is a safe address).
    if let Some(link) = args
        .get("link", None)
        .and_then(|l| safe_url(l.trim(), None))
    {
        img = format!("<a href=\"{}\">{img}</a>", escape_markup(&link));
    }
    let caption = args.any(&["caption", "title"]).unwrap_or("");
    let mut html = format!("<figure>{img}");
    if !caption.is_empty() {
        html.push_str(&format!(
            "<figcaption>{}</figcaption>",
            escape_markup(caption)
        ));
    }
    html.push_str("</figure>");
    Ok(Output::Markup(Splice {
        html,
        text: caption.to_string(),
        block: true,
    }))
}

fn is_dimension(value: &str) -> bool {
    (1..=5).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit())
}

/// `url` if it is safe in `src`/`href`: relative (resolved against the
/// post's folder) or `http(s)`. `javascript:`, `data:` and the rest are not.
fn safe_url(url: &str, asset_base: Option<&str>) -> Option<String> {
    let scheme = url.split_once(':').map(|(scheme, _)| scheme).filter(|s| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    match scheme {
        Some(scheme)
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            Some(url.to_string())
        }
        Some(_) => None,
        None if url.chars().any(char::is_control) => None,
        None => Some(match asset_base {
            Some(base) => crate::content::markdown::resolve_relative(base, url),
            None => url.to_string(),
        }),
    }
}

/// A link card: the address, the text, no iframe and no image.
fn card(class: &str, href: &str, text: &str) -> Splice {
    Splice {
        html: format!(
            "<p class=\"link-card {class}\"><a href=\"{}\">{}</a></p>",
            escape_markup(href),
            escape_markup(text)
        ),
        text: text.to_string(),
        block: true,
    }
}

fn is_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn youtube(args: &Args) -> Result<Output, Refusal> {
    match args.get("id", Some(0)).filter(|id| is_id(id)) {
        Some(id) => Ok(Output::Markup(card(
            "youtube",
            &format!("https://www.youtube.com/watch?v={id}"),
            &format!(
                "▶ {} (YouTube)",
                args.get("title", None).unwrap_or("Watch the video")
            ),
        ))),
        None => refuse(
            "the YouTube shortcode has no valid video id",
            "write it as `{{< youtube VIDEO_ID >}}` with the id from the video's address",
        ),
    }
}

fn vimeo(args: &Args) -> Result<Output, Refusal> {
    match args
        .get("id", Some(0))
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
    {
        Some(id) => Ok(Output::Markup(card(
            "vimeo",
            &format!("https://vimeo.com/{id}"),
            &format!(
                "▶ {} (Vimeo)",
                args.get("title", None).unwrap_or("Watch the video")
            ),
        ))),
        None => refuse(
            "the Vimeo shortcode has no valid video id",
            "write it as `{{< vimeo 123456 >}}` with the number from the video's address",
        ),
    }
}

fn gist(args: &Args) -> Result<Output, Refusal> {
    if let Some(url) = args.get("url", None)
        && let Some(path) = url
            .strip_prefix("https://gist.github.com/")
            .filter(|p| p.split('/').all(is_id))
    {
        return Ok(Output::Markup(card(
            "gist",
            url,
            &format!("View the gist {path} on GitHub"),
        )));
    }
    match (args.get("user", Some(0)), args.get("id", Some(1))) {
        (Some(user), Some(id)) if is_id(user) && is_id(id) => Ok(Output::Markup(card(
            "gist",
            &format!("https://gist.github.com/{user}/{id}"),
            &format!("View the gist {user}/{id} on GitHub"),
        ))),
        _ => refuse(
            "the gist shortcode needs a user and a gist id",
            "write it as `{{< gist USER ID >}}`, or link the gist in Markdown",
        ),
    }
}

/// Hugo's `{{< x user="name" id="123" >}}` (and its older `tweet`): a link
/// card to the post, nothing loaded from X.
fn post_on_x(args: &Args) -> Result<Output, Refusal> {
    let user = args.get("user", None).filter(|u| is_id(u));
    let id = args
        .get("id", None)
        .filter(|id| id.bytes().all(|b| b.is_ascii_digit()));
    match (user, id) {
        (Some(user), Some(id)) if !id.is_empty() && id.len() <= 20 => Ok(Output::Markup(card(
            "x-post",
            &format!("https://x.com/{user}/status/{id}"),
            &format!("View @{user}'s post on X"),
        ))),
        _ => refuse(
            "the x shortcode needs a `user` and a numeric post `id`",
            "write it as `{{< x user=\"name\" id=\"123\" >}}`, or link the post in Markdown",
        ),
    }
}

/// `ref`/`relref`: the post named by a file (`post.md`, `section/post.md`,
/// `/posts/post`) becomes a link to its key ([`reference_url`]); a path
/// without a leading `/` names a page beside the linking one first, as
/// Hugo reads it, then one from `content/`.
fn reference(args: &Args, context: Context<'_>) -> Result<Output, Refusal> {
    let target = args.get("path", Some(0)).unwrap_or("");
    let beside = context
        .place
        .filter(|_| !target.starts_with('/'))
        .and_then(|place| crate::content::images::page_link(place, &place.source, target));
    match beside.or_else(|| reference_url(target)) {
        Some(url) => Ok(Output::Markdown(url)),
        None => refuse(
            format!("cannot tell which post `{target}` refers to"),
            "name the post's file, as in `{{< ref \"my-post.md\" >}}`, or link its address in Markdown",
        ),
    }
}

/// What one of Jekyll's address tags stands for (`scan::liquid_inner`):
/// `{% post_url 2024-01-02-hello %}` and `{% link _posts/x.md %}` the
/// post's `ref` address ([`reference_url`]); `{{ site.url }}` and
/// `{{ site.baseurl }}` nothing, so that `{{ site.baseurl }}/about`
/// is `/about` on this site; a `link` to a file that is no Markdown
/// (`assets/x.pdf`) its address at the site's root, where `static/` has it;
/// `raw` and `endraw` nothing (what is between stays as written);
/// `{{ site.x }}` the site's `[params]` value `x`. `None`
/// for the rest of Liquid, which Quire does not run.
pub fn liquid(name: &str, arg: &str, params: &BTreeMap<String, String>) -> Option<String> {
    let own = matches!(name, "site.url" | "site.baseurl");
    if let Some(value) = name
        .strip_prefix("site.")
        .filter(|_| !own)
        .and_then(|key| params.get(key))
    {
        return Some(value.clone());
    }
    let arg = arg.trim().trim_matches(['"', '\'']);
    let markdown = crate::content::is_post_path(Path::new(arg));
    let url = match name {
        "post_url" => reference_url(&format!("{arg}.md")),
        "link" if markdown => reference_url(arg),
        "link" => Some(format!("/{}", arg.trim_start_matches('/'))),
        "site.url" | "site.baseurl" | "raw" | "endraw" => Some(String::new()),
        _ => return None,
    };
    Some(url.unwrap_or_else(|| arg.to_string()))
}

/// The address of the post a file names (`post.md`, `section/post.md`,
/// `/posts/post`, `#anchor` kept): its key (`urls::reference`), which the
/// server redirects to the post's address, so a link follows the post
/// wherever its front matter puts it. A section's `_index.md` is the
/// section's own address. `None` when no file is named.
pub fn reference_url(target: &str) -> Option<String> {
    let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
    let file = file.trim().trim_end_matches('/');
    let stem = file.rsplit('/').next().unwrap_or("");
    let mut url = match file.ends_with("_index.md") {
        // The section's address, from its folder as every section's is
        // (`2.19/reference/_index.md` is `/2-19/reference`).
        true => {
            let info = crate::content::path_info(Path::new(file.trim_start_matches('/')));
            crate::urls::section(&info.section)
        }
        false => post_reference(file, stem)?,
    };
    if !anchor.is_empty() {
        url.push('#');
        url.push_str(&crate::model::slugify(anchor));
    }
    Some(url)
}

/// The `ref` address of the post in `file`, named `stem`.
fn post_reference(file: &str, stem: &str) -> Option<String> {
    let with_extension = match crate::content::is_post_path(Path::new(file)) {
        true => file.to_string(),
        false => format!("{file}.md"),
    };
    let info = crate::content::path_info(Path::new(with_extension.trim_start_matches('/')));
    let slug = info.slug.clone();
    if stem.is_empty() || stem == ".md" || slug.is_empty() {
        return None;
    }
    Some(crate::urls::reference(&info.key(&slug)))
}

/// Hugo's `{{< highlight LANG >}}…{{< /highlight >}}`: a fenced code
/// block, so it is highlighted like any other. The fence is longer than
/// any run of backticks in the code; the line count stays the same.
pub fn fenced(args: &Args, code: &str) -> String {
    let lang = args
        .get("lang", Some(0))
        .filter(|l| {
            l.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-_.#".contains(c))
        })
        .unwrap_or("");
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let open = if code.starts_with('\n') { "" } else { "\n" };
    let close = if code.ends_with('\n') { "" } else { "\n" };
    format!("{fence}{lang}{open}{code}{close}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::shortcodes::args::parse;

    fn markup(name: &str, args: &str) -> String {
        match render(
            name,
            &parse(args),
            Context {
                asset_base: Some("/blog/p/"),
                ..Context::bare()
            },
        ) {
            Some(Ok(Output::Markup(splice))) => splice.html,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn figures_cards_and_refs_render() {
        assert_eq!(
            markup(
                "figure",
                r#"src="a.png" alt="A" caption="C" width=10 height="x""#
            ),
            "<figure><img loading=\"lazy\" src=\"/blog/p/a.png\" alt=\"A\" width=\"10\"><figcaption>C</figcaption></figure>"
        );
        assert!(
            markup("youtube", "abc_D-1")
                .contains("href=\"https://www.youtube.com/watch?v=abc_D-1\"")
        );
        assert!(markup("vimeo", "123").contains("href=\"https://vimeo.com/123\""));
        assert!(markup("gist", "alice 42").contains("href=\"https://gist.github.com/alice/42\""));
        // linkerd.io's posts on X: a link, nothing loaded from X.
        let x = markup("x", r#"user="LiliCosic" id="1197335694856687616""#);
        assert!(
            x.contains("href=\"https://x.com/LiliCosic/status/1197335694856687616\""),
            "{x}"
        );
        assert!(!x.contains("<script") && !x.contains("<iframe"), "{x}");
        let refused = render(
            "tweet",
            &parse(r#"user="a" id="1 onerror""#),
            Context::bare(),
        );
        assert!(matches!(refused, Some(Err(_))), "{refused:?}");
        for (target, url) in [
            ("post.md", "/_ref/post"),
            (
                "blog/2024-01-02-post.md#Part Two",
                "/_ref/blog/post#part-two",
            ),
            ("/posts/post/", "/_ref/posts/post"),
            ("post/index.md", "/_ref/post"),
        ] {
            assert_eq!(
                render("ref", &parse(&format!("{target:?}")), Context::bare()),
                Some(Ok(Output::Markdown(url.into()))),
                "{target}"
            );
        }
        assert!(render("chart", &parse(""), Context::bare()).is_none());
    }

    #[test]
    fn highlight_becomes_a_fence_longer_than_its_code_s_backticks() {
        assert_eq!(fenced(&parse("go"), "\nx := 1\n"), "```go\nx := 1\n```");
        assert_eq!(fenced(&parse("\"a b\""), "\n````\n"), "`````\n````\n`````");
    }

    #[test]
    fn hostile_values_are_refused_or_escaped() {
        assert!(
            render(
                "figure",
                &parse(r#"src="javascript:alert(1)""#),
                Context::bare()
            )
            .unwrap()
            .is_err()
        );
        assert!(
            render(
                "figure",
                &parse(r#"src=" JaVaScRiPt:alert(1)""#),
                Context::bare()
            )
            .unwrap()
            .is_err()
        );
        let html = markup(
            "figure",
            r#"src="a.png" alt="\"><script>x</script>" caption="<b>""#,
        );
        assert!(!html.contains("<script") && !html.contains("<b>"), "{html}");
        assert!(
            render("youtube", &parse(r#""x\"><script>""#), Context::bare())
                .unwrap()
                .is_err()
        );
        assert!(
            render(
                "gist",
                &parse(r#"url="https://gist.github.com/a/b?<x>""#),
                Context::bare()
            )
            .unwrap()
            .is_err()
        );
        assert!(
            render("ref", &parse(r#""""#), Context::bare())
                .unwrap()
                .is_err()
        );
    }
}
