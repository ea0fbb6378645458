//! The page template dx writes (`public/index.html`), adjusted when the
//! binary is packed so the wasm client loads after first paint.
//!
//! dx puts a `<link rel="preload" as="script">` for the client's JS in the
//! head and an `async` module script at the end of the body: the JS (and
//! the wasm it fetches at once) start downloading while the page is still
//! being parsed and compete with it for the first paint. Every page is
//! complete without the client, so it is fetched once the first paint is
//! reported instead: the preload goes, and the module script becomes a
//! small inline loader (hashed into the page's CSP like every inline
//! script).

use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, rewrite_str};

/// Why a template could not be adjusted.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error(
        "index.html has no <script type=\"module\" src=…> to defer; was it written by `dx build --web`?"
    )]
    NoClientScript,
    #[error("index.html could not be parsed: {0}")]
    Unparsable(String),
}

/// The template with the client's preload removed and its module script
/// replaced by a loader that imports it after the first paint.
pub fn defer_client(template: &str) -> Result<String, TemplateError> {
    let mut deferred = 0;
    let html = rewrite_str(
        template,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("link[rel=preload][as=script]", |link| {
                link.remove();
                Ok(())
            }))
            .append_element_content_handler(element!("script[type=module][src]", |script| {
                let src = script.get_attribute("src").unwrap_or_default();
                script.replace(&loader(&src), ContentType::Html);
                deferred += 1;
                Ok(())
            })),
    )
    .map_err(|e| TemplateError::Unparsable(e.to_string()))?;
    if deferred == 0 {
        return Err(TemplateError::NoClientScript);
    }
    Ok(html)
}

/// An inline module script importing `src` once the browser reports the
/// first contentful paint (Paint Timing; a page opened in a background tab
/// paints, and so loads its client, when it is first shown). Browsers
/// without paint entries import it at `load`.
fn loader(src: &str) -> String {
    // A JSON string is a JavaScript string literal; `<` is escaped so no
    // value can close the script element.
    let literal = serde_json::to_string(src)
        .expect("a string serializes")
        .replace('<', "\\u003c");
    format!(
        "<script type=\"module\">const load=()=>import({literal});\
         if(PerformanceObserver.supportedEntryTypes.includes(\"paint\"))\
         new PerformanceObserver((list,observer)=>{{\
         if(list.getEntriesByName(\"first-contentful-paint\").length){{observer.disconnect();load()}}\
         }}).observe({{type:\"paint\",buffered:true}});\
         else addEventListener(\"load\",load)</script>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const DX_TEMPLATE: &str = r#"<!DOCTYPE html>
<html lang="en">
    <head>
        <title>Quire</title>
        <script>try{var t=localStorage.getItem("quire-theme")}catch(e){}</script>
    <link rel="preload" as="script" href="/./assets/quire-dxh1.js" crossorigin></head>
    <body>
        <div id="main"></div>
    <script type="module" async src="/./assets/quire-dxh1.js"></script>
            </body>
</html>"#;

    #[test]
    fn the_client_is_imported_after_first_paint_and_not_preloaded() {
        let html = defer_client(DX_TEMPLATE).unwrap();
        assert!(!html.contains("preload"), "{html}");
        assert!(!html.contains("src="), "{html}");
        assert!(
            html.contains(
                r#"<script type="module">const load=()=>import("/./assets/quire-dxh1.js");"#
            ),
            "{html}"
        );
        assert!(html.contains("first-contentful-paint"), "{html}");
    }

    #[test]
    fn the_rest_of_the_template_is_untouched() {
        let html = defer_client(DX_TEMPLATE).unwrap();
        for kept in [
            "<title>Quire</title>",
            r#"<script>try{var t=localStorage.getItem("quire-theme")}catch(e){}</script>"#,
            r#"<div id="main"></div>"#,
        ] {
            assert!(html.contains(kept), "{kept} missing from {html}");
        }
    }

    #[test]
    fn a_template_without_a_client_script_is_an_error() {
        let err = defer_client("<html><body><div id=\"main\"></div></body></html>").unwrap_err();
        assert!(matches!(err, TemplateError::NoClientScript));
        assert!(err.to_string().contains("dx build"));
    }

    #[test]
    fn a_hostile_src_cannot_close_the_script() {
        let html =
            defer_client(r#"<script type="module" src="/a</script><b>.js"></script>"#).unwrap();
        assert!(!html.contains("</script><b>"), "{html}");
        assert!(
            html.contains(r#"import("/a\u003c/script>\u003cb>.js")"#),
            "{html}"
        );
    }
}
