//! The reader's language, for ranking the posts in it first: a `lang=`
//! parameter (`/search?q=…&lang=fr`, `/api/search?…&lang=fr`), else, on
//! the API only, the browser's `Accept-Language`.
//!
//! The search page is cached by its canonical query (`server::cache::key`
//! reads [`language_parameter`] too), so it follows the parameter only:
//! a header the cache key does not hold must not change what it stores.
//! The API is never cached, so the search box's live results follow the
//! browser's language.

use crate::content::language::{is_tag, primary};

/// The `lang` parameter of a raw query string, as a primary subtag (`fr`
/// for `fr-CA`); `None` when absent or not a language tag.
pub fn language_parameter(query: &str) -> Option<String> {
    form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .find(|(key, _)| key == "lang")
        .map(|(_, value)| value.trim().to_string())
        .filter(|tag| is_tag(tag))
        .map(|tag| primary(&tag))
}

/// The language an `Accept-Language` header prefers most (highest `q`,
/// the first among equals), as a primary subtag; `*` names none.
pub fn accepted_language(header: &str) -> Option<String> {
    let mut best: Option<(f32, String)> = None;
    for item in header.split(',').take(16) {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        let weight = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if is_tag(tag) && weight > 0.0 && best.as_ref().is_none_or(|(w, _)| weight > *w) {
            best = Some((weight, primary(tag)));
        }
    }
    best.map(|(_, tag)| tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parameter_in_canonical_form() {
        assert_eq!(language_parameter("q=x&lang=fr-CA").as_deref(), Some("fr"));
        assert_eq!(language_parameter("?lang=JA&q=x").as_deref(), Some("ja"));
        assert_eq!(language_parameter("q=x&lang=%22%3E"), None);
        assert_eq!(language_parameter("q=x"), None);
    }

    #[test]
    fn the_most_wanted_accepted_language() {
        assert_eq!(
            accepted_language("fr-CH, fr;q=0.9, en;q=0.8").as_deref(),
            Some("fr")
        );
        assert_eq!(accepted_language("en;q=0.5, ja").as_deref(), Some("ja"));
        assert_eq!(accepted_language("*"), None);
        assert_eq!(accepted_language("de;q=0"), None);
        assert_eq!(accepted_language(""), None);
    }
}
