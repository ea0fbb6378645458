//! The pages of the site's other languages, behind their prefixes.
//!
//! `/fr`, `/fr/page/2`, `/fr/category/x`, `/fr/search`, `/fr/atom.xml`:
//! every route the default language has, its other languages repeat
//! under their prefix (`urls::languages`), and each section's listing
//! too (`/fr/notes`, the section's French posts). Rather than a second route
//! table, this middleware takes the prefix off such a request, marks it
//! with its language ([`Edition`], which the API's queries and the feeds
//! read), and lets the one router answer. It sits inside the page cache,
//! which keys on the address as asked. On the way out, [`page_rewrite`]
//! puts the prefix back on the page's links, by the same table.
//!
//! [`page_rewrite`]: super::page_rewrite

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Uri};
use axum::middleware::Next;
use axum::response::Response;

pub use crate::api::Edition;

use super::Site;

/// The response header a page names its language's pages by (`fr`), for
/// [`super::page_rewrite`], which takes it off.
pub const EDITION_HEADER: &str = "x-quire-edition";

/// The middleware: a request for a language's route is answered as the
/// default language's route, in that language; any other address under
/// the language's prefix (a translated post's) is answered as it is, in
/// that language.
pub async fn layer(State(site): State<Arc<Site>>, mut request: Request, next: Next) -> Response {
    let languages = site.blog.languages();
    if languages.others.is_empty() {
        return next.run(request).await;
    }
    let path = request.uri().path();
    let Some(language) = languages.under(path) else {
        return next.run(request).await;
    };
    let code = language.code.clone();
    let route = languages.split(path).map(|(_, route)| route.to_string());
    let route = route.or_else(|| section_route(&site, path, &language.prefix));
    if let Some(uri) = route.and_then(|route| with_path(request.uri(), &route)) {
        *request.uri_mut() = uri;
    }
    request.extensions_mut().insert(Edition(code.clone()));
    let mut response = next.run(request).await;
    if is_html(&response)
        && let Ok(value) = HeaderValue::from_str(&code)
    {
        let headers = response.headers_mut();
        headers.entry(EDITION_HEADER).or_insert(value);
    }
    response
}

/// The section listing `path` is behind `prefix` (`/fr/notes/page/2` →
/// `/notes/page/2`): each section lists each language's posts at the
/// section's address behind the language's prefix.
fn section_route(site: &Site, path: &str, prefix: &str) -> Option<String> {
    let rest = path.strip_prefix(prefix)?;
    let decoded = super::redirects::percent_decode(rest)?;
    (rest.starts_with('/') && site.blog.sections().at(&decoded)).then(|| rest.to_string())
}

/// Whether `response` is a page, which `page_rewrite` reads (and takes
/// the header off); feeds and files never carry it.
fn is_html(response: &Response) -> bool {
    let content_type = response.headers().get(axum::http::header::CONTENT_TYPE);
    content_type.is_some_and(|v| v.as_bytes().starts_with(b"text/html"))
}

/// `uri` with its path replaced by `path`, its query kept.
fn with_path(uri: &Uri, path: &str) -> Option<Uri> {
    let path_and_query = match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_string(),
    };
    Uri::builder().path_and_query(path_and_query).build().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_route_replaces_the_path_and_the_query_stays() {
        let uri: Uri = "/fr/page/2?category=garden".parse().unwrap();
        let uri = with_path(&uri, "/page/2").unwrap();
        assert_eq!(uri.to_string(), "/page/2?category=garden");
    }
}
