//! `<html lang>` from the site's `language` setting.
//!
//! The page template (`index.html`, baked into the client bundle by dx) says
//! `lang="en"`; this middleware sets that one attribute in rendered pages
//! to the configured language (and adds it to a template without one). It
//! sits inside the page cache, so each page is rewritten once per render.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

use super::Site;
use axum::extract::State;
use std::sync::Arc;

/// What the template carries.
const TEMPLATE_TAG: &str = "<html lang=\"en\">";
use crate::content::limits::MAX_PAGE_BYTES;

pub async fn layer(State(site): State<Arc<Site>>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let language = &site.config.language;
    if !is_plain_html(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    match to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => {
            let html = String::from_utf8_lossy(&bytes);
            Response::from_parts(parts, Body::from(with_language(&html, language)))
        }
        Err(err) => super::security::page_too_large(&err),
    }
}

fn is_plain_html(response: &Response) -> bool {
    let headers = response.headers();
    !headers.contains_key(header::CONTENT_ENCODING)
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
}

/// The page with its `<html lang>` set to `language`. A value that is not a
/// plain language tag (letters, digits, `-`) leaves the page as it is.
pub fn with_language(html: &str, language: &str) -> String {
    let valid = !language.is_empty()
        && language
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid {
        return html.to_string();
    }
    let tag = format!("<html lang=\"{language}\">");
    if html.contains(TEMPLATE_TAG) {
        html.replacen(TEMPLATE_TAG, &tag, 1)
    } else {
        // A template without the attribute (Dioxus's SSR-only default).
        html.replacen("<html>", &tag, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::with_language;

    #[test]
    fn sets_the_language_tag_once() {
        let page = "<!DOCTYPE html>\n<html lang=\"en\">\n<body><p>html lang=\"en\"</p>";
        assert_eq!(
            with_language(page, "de-CH"),
            "<!DOCTYPE html>\n<html lang=\"de-CH\">\n<body><p>html lang=\"en\"</p>"
        );
    }

    #[test]
    fn adds_the_attribute_when_the_template_has_none() {
        assert_eq!(
            with_language("<html><head>", "fr"),
            "<html lang=\"fr\"><head>"
        );
    }

    #[test]
    fn refuses_values_that_are_not_language_tags() {
        let page = "<html lang=\"en\">";
        assert_eq!(with_language(page, "x\" onload=\"y"), page);
    }
}
