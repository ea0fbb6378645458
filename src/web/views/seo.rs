//! What a page tells search engines and link previews: `<title>`,
//! description, canonical URL, OpenGraph and Twitter card tags, and JSON-LD.

use dioxus::prelude::*;

use crate::model::SiteMeta;

/// The page's `<title>`, through Dioxus's `document::Title` on the server.
/// (The islands client sets titles through the DOM, `web::browser`:
/// Dioxus's web renderer would evaluate a string of JavaScript, which the
/// site's Content-Security-Policy, with no `'unsafe-eval'`, forbids.)
#[component]
pub fn PageTitle(text: String) -> Element {
    rsx! { document::Title { "{text}" } }
}

/// Head tags for one page. `path` is the canonical path (`/blog/slug`).
#[component]
pub fn Seo(
    title: String,
    description: String,
    path: String,
    #[props(default = "website".to_string())] kind: String,
    /// The link-preview image: a path on this site or an `http(s)` URL.
    #[props(default)]
    image: Option<String>,
) -> Element {
    let meta = use_context::<SiteMeta>();
    let url = format!("{}{}", meta.base_url, path);
    let image = image.and_then(|i| absolute_image(&meta.base_url, &i));
    let card = if image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    rsx! {
        PageTitle { text: "{title}" }
        document::Meta { name: "description", content: "{description}" }
        document::Link { rel: "canonical", href: "{url}" }
        document::Meta { property: "og:type", content: "{kind}" }
        document::Meta { property: "og:site_name", content: "{meta.title}" }
        document::Meta { property: "og:title", content: "{title}" }
        document::Meta { property: "og:description", content: "{description}" }
        document::Meta { property: "og:url", content: "{url}" }
        if let Some(image) = image {
            document::Meta { property: "og:image", content: "{image}" }
            document::Meta { name: "twitter:image", content: "{image}" }
        }
        document::Meta { name: "twitter:card", content: "{card}" }
        document::Meta { name: "twitter:title", content: "{title}" }
        document::Meta { name: "twitter:description", content: "{description}" }
    }
}

/// `image` as an absolute `http(s)` URL: a site path is put under
/// `base_url`; anything else (`data:`, relative) is no preview.
fn absolute_image(base_url: &str, image: &str) -> Option<String> {
    if image.starts_with("https://") || image.starts_with("http://") {
        Some(image.to_string())
    } else if image.starts_with('/') && !image.starts_with("//") {
        Some(format!("{base_url}{image}"))
    } else {
        None
    }
}

/// A JSON-LD block. `<` is escaped so no value can end the script early.
#[component]
pub fn JsonLd(value: serde_json::Value) -> Element {
    let json = value.to_string().replace('<', "\\u003c");
    rsx! {
        script { r#type: "application/ld+json", dangerous_inner_html: "{json}" }
    }
}
