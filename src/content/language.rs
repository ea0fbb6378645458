//! A post's language: what search stems it with, how its reading time is
//! counted, and (later) which translation it is.
//!
//! Three places say it, first wins: the front matter's `lang` (Jekyll's and
//! Hugo's multilingual themes), the file name's suffix (Zola's
//! `slug.fr.md`), else the site's `language` setting
//! ([`super::RenderOptions::language`]). Tags are kept as written
//! (`pt-BR`); [`primary`] gives the part search compares (`pt`).

use std::path::Path;

/// The post's language, as its front matter (`lang`), its file name
/// (`hello.fr.md`) or the site says it; `None` when none of them does.
pub fn of_post(relative: &Path, front: Option<&str>, site: Option<&str>) -> Option<String> {
    front
        .map(str::to_string)
        .or_else(|| file_suffix(relative))
        .or_else(|| site.map(str::to_string))
        .filter(|tag| is_tag(tag))
}

/// Zola's `slug.fr.md`: the language code between the slug and `.md`.
fn file_suffix(relative: &Path) -> Option<String> {
    let stem = relative.file_stem()?.to_str()?;
    let (_, suffix) = stem.rsplit_once('.')?;
    let primary = suffix.split('-').next().unwrap_or_default();
    let known = (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_lowercase());
    (known && is_tag(suffix)).then(|| suffix.to_string())
}

/// A BCP 47-shaped tag: ASCII letters, digits and `-`, starting with
/// letters (`en`, `zh-Hans`, `de-CH`).
pub fn is_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag.starts_with(|c: char| c.is_ascii_alphabetic())
        && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The primary language subtag, lower case: `pt-BR` → `pt`, `zh_CN` → `zh`.
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_then_file_name_then_site() {
        let path = Path::new("blog/hello.fr.md");
        assert_eq!(of_post(path, Some("de"), Some("en")).as_deref(), Some("de"));
        assert_eq!(of_post(path, None, Some("en")).as_deref(), Some("fr"));
        let plain = Path::new("blog/hello.md");
        assert_eq!(of_post(plain, None, Some("en")).as_deref(), Some("en"));
        assert_eq!(of_post(plain, None, None), None);
        let dotted = Path::new("blog/v1.2.md");
        assert_eq!(of_post(dotted, None, None), None, "not a language");
        let bundle = Path::new("blog/hello/index.ja.md");
        assert_eq!(of_post(bundle, None, None).as_deref(), Some("ja"));
    }

    #[test]
    fn primary_subtags() {
        assert_eq!(primary("pt-BR"), "pt");
        assert_eq!(primary("zh_CN"), "zh");
        assert_eq!(primary("EN"), "en");
        assert!(!is_tag("fr\""));
    }
}
