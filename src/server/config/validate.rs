//! Checks run on the merged settings before anything starts: values that
//! are well-typed TOML but that Quire cannot work with (a relative base URL,
//! a page size of 0, an empty language). Separate from reading because a
//! bad value can come from the file or from a variable alike.

use super::errors::invalid;
use super::{ConfigError, PAGE_SIZE_RANGE, SiteConfig};
use crate::content::RawHtml;

/// Names where a setting came from (its variable, or its key in the file).
pub(super) type Origin<'a> = dyn Fn(&str) -> String + 'a;

/// Each `[languages.<code>]`: a language tag other than the default
/// `language`, at a prefix of one path segment that no other language
/// and none of the site's own paths takes.
/// Each language folder is a folder under `content/`, its own.
fn check_folders(config: &SiteConfig) -> Result<(), (String, String)> {
    let others = config.languages.iter();
    let keys = others.map(|(code, set)| (format!("languages.{code}.folder"), &set.folder));
    let all = std::iter::once(("language_folder".to_string(), &config.language_folder));
    let mut seen = std::collections::BTreeSet::new();
    for (key, folder) in all.chain(keys).filter(|(_, f)| !f.trim().is_empty()) {
        let path = std::path::Path::new(folder.trim());
        let inside = path.components().all(|c| {
            matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        });
        let normal = super::folder_path(folder);
        let hidden = normal
            .to_str()
            .is_none_or(|p| p.is_empty() || p.starts_with(['_', '.']));
        if !inside || hidden || !seen.insert(normal) {
            let message = format!(
                "`{folder}` is not a folder of its own under `content/`; write a relative path such as `folder = \"fr\"`, one per language, not hidden and without `..`"
            );
            return Err((key, message));
        }
    }
    Ok(())
}

fn check_languages(config: &SiteConfig) -> Result<(), (String, String)> {
    let mut prefixes = std::collections::BTreeSet::new();
    for (language, (code, _)) in config.site_languages().iter().zip(&config.languages) {
        let key = format!("languages.{code}");
        let primary = crate::content::language::primary(code);
        let iso =
            (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
        if !crate::content::language::is_tag(code) || !iso {
            let message = format!(
                "`{code}` is not a language tag; name the table by one, such as `[languages.fr]` or `[languages.pt-BR]`"
            );
            return Err((key, message));
        }
        if code.eq_ignore_ascii_case(&config.language) {
            let message = format!(
                "`{code}` is the site's default `language`, whose pages have no prefix; remove this table, or set `language` to another tag"
            );
            return Err((key, message));
        }
        let prefix = &language.prefix;
        let segment = prefix.strip_prefix('/').unwrap_or_default();
        let plain = !segment.is_empty()
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !plain
            || crate::urls::is_reserved(prefix)
            || crate::urls::is_reserved(&format!("{prefix}/"))
            || !prefixes.insert(prefix.to_ascii_lowercase())
        {
            let message = format!(
                "the prefix `{prefix}` is not one free path segment; write one such as `prefix = \"/{}\"` that no other language and none of Quire's own paths (`/page`, `/tags`…) uses",
                code.to_ascii_lowercase()
            );
            return Err((format!("{key}.prefix"), message));
        }
    }
    check_folders(config)?;
    for (code, set) in &config.languages {
        crate::i18n::check_overrides(&set.strings).map_err(|e| {
            let key = format!("languages.{code}.strings.{}", e.id);
            (key, format!("{}; {}", e.problem, e.fix))
        })?;
    }
    Ok(())
}

/// Normalises `config` in place or says which setting to fix.
pub(super) fn validate(config: &mut SiteConfig, origin: &Origin<'_>) -> Result<(), ConfigError> {
    config.base_url =
        normalize_base_url(&config.base_url).map_err(|m| invalid(&origin("base_url"), m))?;
    check_page_size(config.page_size).map_err(|m| invalid(&origin("page_size"), m))?;
    check_sitemap_urls(config.sitemap_urls).map_err(|m| invalid(&origin("sitemap_urls"), m))?;
    if config.language.trim().is_empty() {
        let message = "the language is empty; set a language tag such as \"en\" or \"de-CH\"";
        return Err(invalid(&origin("language"), message.into()));
    }
    check_languages(config).map_err(|(key, m)| invalid(&origin(&key), m))?;
    check_raw_html(&config.raw_html).map_err(|m| invalid(&origin("raw_html"), m))?;
    config.embed_hosts = config
        .embed_hosts
        .iter()
        .map(|host| embed_host(host))
        .collect::<Result<_, _>>()
        .map_err(|m| invalid(&origin("embed_hosts"), m))?;
    config.image_hosts = config
        .image_hosts
        .iter()
        .map(|host| embed_host(host))
        .collect::<Result<_, _>>()
        .map_err(|m| invalid(&origin("image_hosts"), m))?;
    config.collections = config
        .collections
        .iter()
        .map(|name| collection(name))
        .collect::<Result<_, _>>()
        .map_err(|m| invalid(&origin("collections"), m))?;
    config.taxonomies = config
        .taxonomies
        .iter()
        .map(|name| taxonomy(name))
        .collect::<Result<_, _>>()
        .map_err(|m| invalid(&origin("taxonomies"), m))?;
    crate::server::client_limits::TrustedProxies::parse(&config.trusted_proxies)
        .map_err(|m| invalid(&origin("trusted_proxies"), m))?;
    if let Err((key, message)) = config.permalinks() {
        let message = format!("{message}; see \"Addresses\" in README.md");
        return Err(invalid(&origin(key), message));
    }
    super::theme::validate(config, origin)?;
    crate::i18n::check_overrides(&config.strings).map_err(|e| {
        let setting = origin(&format!("strings.{}", e.id));
        invalid(&setting, format!("{}; {}", e.problem, e.fix))
    })?;
    if config
        .author
        .url
        .as_deref()
        .is_some_and(|u| u.trim().is_empty())
    {
        config.author.url = None;
    }
    Ok(())
}

fn check_raw_html(value: &str) -> Result<(), String> {
    match RawHtml::parse(value) {
        Some(_) => Ok(()),
        None => Err(format!(
            "`{value}` is not a raw HTML mode; choose one of \"{}\"",
            RawHtml::CHOICES.join("\", \"")
        )),
    }
}

/// A host name as the CSP and the iframe check compare it: lower case,
/// without `https://` or a trailing slash, no path, port or wildcard.
fn embed_host(raw: &str) -> Result<String, String> {
    let host = raw.trim().to_ascii_lowercase();
    let host = host.strip_prefix("https://").unwrap_or(&host);
    let host = host.trim_end_matches('/');
    let valid = !host.is_empty()
        && !host.starts_with(['.', '-'])
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    if valid {
        return Ok(host.to_string());
    }
    Err(format!(
        "`{raw}` is not a host name; list bare host names such as \"www.youtube.com\" (no scheme other than https://, path, port or wildcard)"
    ))
}

/// A Jekyll collection's name as `_config.yml` writes it (`docs`; a
/// leading `_`, the folder's, is taken off): one folder at the top of
/// `content/`, so no `/`, no hidden name, not Jekyll's posts (always read)
/// nor Quire's own `_partials/`.
fn collection(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    let name = name.strip_prefix('_').unwrap_or(name);
    let valid = !name.is_empty()
        && !name.starts_with(['.', '#', '_'])
        && !name.contains(['/', '\\'])
        && !matches!(name, "posts" | "drafts" | "partials");
    if valid {
        return Ok(name.to_string());
    }
    Err(format!(
        "`{raw}` is not a collection to read; list the names of Jekyll's collections, as `_config.yml` writes them (\"docs\" reads the folder `_docs/`; `_posts/` and `_drafts/` are always read, `_partials/` holds the theme's partials)"
    ))
}

/// A taxonomy of the old engine, named as its addresses spell it: one
/// segment (`theme-tags`), none Quire lists itself.
fn taxonomy(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    let segment = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with(['.', '_']);
    let reserved = |path: String| crate::urls::is_reserved(&path);
    // Other engines' spellings of Quire's own lists (`/categories/<c>`,
    // `/tag/<t>`) are already led to them.
    let listed = crate::urls::other_engines_list(&format!("/{name}/term"), &[]).is_some();
    let own = reserved(format!("/{name}")) || reserved(format!("/{name}/")) || listed;
    if segment && !own {
        return Ok(name.to_string());
    }
    Err(format!(
        "`{raw}` is not a taxonomy to read; list the old engine's other taxonomies by the name its addresses use (\"theme-tags\" for `/theme-tags/<term>/`): tags, categories and authors are read already"
    ))
}

fn check_page_size(page_size: usize) -> Result<(), String> {
    if PAGE_SIZE_RANGE.contains(&page_size) {
        return Ok(());
    }
    Err(format!(
        "{page_size} posts per page is out of range; choose a number from {} to {}",
        PAGE_SIZE_RANGE.start(),
        PAGE_SIZE_RANGE.end()
    ))
}

fn check_sitemap_urls(urls: usize) -> Result<(), String> {
    let max = crate::server::sitemaps::MAX_URLS;
    if (1..=max).contains(&urls) {
        return Ok(());
    }
    Err(format!(
        "{urls} URLs per sitemap file is out of range; choose a number from 1 to {max} (the sitemap protocol's limit)"
    ))
}

/// Accepts `http(s)://host[:port][/path]` and strips trailing slashes.
pub fn normalize_base_url(raw: &str) -> Result<String, String> {
    let url = raw.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Err(format!(
            "`{raw}` is not an absolute URL; write it with its scheme, e.g. \"https://{}\"",
            url.split("://").last().unwrap_or(url)
        ));
    };
    if !usable(url, rest) {
        return Err(format!(
            "`{raw}` is not a usable base URL; write scheme, host and optional path, e.g. \"https://example.com/blog\""
        ));
    }
    Ok(url.to_string())
}

/// A host, no query or fragment, nothing that breaks out of an attribute.
fn usable(url: &str, after_scheme: &str) -> bool {
    let host = after_scheme.split('/').next().unwrap_or_default();
    let odd = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>');
    !host.is_empty() && !after_scheme.contains(['?', '#']) && !url.chars().any(odd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalised() {
        assert_eq!(
            normalize_base_url("https://a.org/").unwrap(),
            "https://a.org"
        );
        assert_eq!(
            normalize_base_url(" http://a.org:8080/x// ").unwrap(),
            "http://a.org:8080/x"
        );
        assert!(normalize_base_url("https://a.org/?q").is_err());
        assert!(normalize_base_url("https://a b.org").is_err());
        assert!(normalize_base_url("https://a.org/\"><script>").is_err());
        assert!(normalize_base_url("ftp://a.org").is_err());
    }

    #[test]
    fn raw_html_modes_and_embed_hosts_are_checked() {
        let origin = |key: &str| format!("`{key}`");
        let mut config = SiteConfig {
            raw_html: " Drop ".into(),
            embed_hosts: vec!["https://WWW.YouTube.com/".into(), "player.vimeo.com".into()],
            ..SiteConfig::default()
        };
        validate(&mut config, &origin).unwrap();
        assert_eq!(config.raw_html(), RawHtml::Drop);
        assert_eq!(config.embed_hosts, ["www.youtube.com", "player.vimeo.com"]);
        config.raw_html = "allow".into();
        let message = validate(&mut config, &origin).unwrap_err().to_string();
        assert!(
            message.contains("\"sanitize\", \"drop\", \"trust\""),
            "{message}"
        );
        for bad in [
            "*.youtube.com",
            "http://a.com",
            "a.com/embed",
            "a.com:8443",
            "",
        ] {
            let mut config = SiteConfig {
                embed_hosts: vec![bad.into()],
                ..SiteConfig::default()
            };
            let message = validate(&mut config, &origin).unwrap_err().to_string();
            assert!(message.starts_with("`embed_hosts`:"), "{bad}: {message}");
        }
    }

    #[test]
    fn collections_are_folder_names_without_their_underscore() {
        let origin = |key: &str| format!("`{key}`");
        let mut config = SiteConfig {
            collections: vec!["docs".into(), " _tutorials ".into()],
            ..SiteConfig::default()
        };
        validate(&mut config, &origin).unwrap();
        assert_eq!(config.collections, ["docs", "tutorials"]);
        for bad in [
            "", "_", "a/b", "../x", ".git", "posts", "_drafts", "__x", "partials",
        ] {
            let mut config = SiteConfig {
                collections: vec![bad.into()],
                ..SiteConfig::default()
            };
            let message = validate(&mut config, &origin).unwrap_err().to_string();
            assert!(message.starts_with("`collections`:"), "{bad}: {message}");
            assert!(message.contains("`_docs/`"), "{bad}: {message}");
        }
    }

    #[test]
    fn taxonomies_are_one_segment_quire_does_not_list_itself() {
        let origin = |key: &str| format!("`{key}`");
        let mut config = SiteConfig {
            taxonomies: vec!["theme-tags".into(), " series ".into()],
            ..SiteConfig::default()
        };
        validate(&mut config, &origin).unwrap();
        assert_eq!(config.taxonomies, ["theme-tags", "series"]);
        for bad in [
            "",
            "a/b",
            "..",
            "_x",
            "search",
            "healthz",
            "atom.xml",
            "tags",
            "categories",
            "page",
            "api",
            "a b",
        ] {
            let mut config = SiteConfig {
                taxonomies: vec![bad.into()],
                ..SiteConfig::default()
            };
            let message = validate(&mut config, &origin).unwrap_err().to_string();
            assert!(message.starts_with("`taxonomies`:"), "{bad}: {message}");
        }
    }

    #[test]
    fn an_empty_author_url_means_none_and_an_empty_language_is_refused() {
        let origin = |key: &str| format!("`{key}`");
        let mut config = SiteConfig::default();
        config.author.url = Some("  ".into());
        validate(&mut config, &origin).unwrap();
        assert_eq!(config.author.url, None);
        config.language = " ".into();
        let message = validate(&mut config, &origin).unwrap_err().to_string();
        assert!(message.starts_with("`language`:"), "{message}");
    }

    #[test]
    fn image_hosts_are_bare_host_names() {
        let origin = |key: &str| format!("`{key}`");
        let mut config = SiteConfig {
            image_hosts: vec!["https://GitHub.com/".into(), "static.crates.io".into()],
            ..SiteConfig::default()
        };
        validate(&mut config, &origin).unwrap();
        assert_eq!(config.image_hosts, ["github.com", "static.crates.io"]);
        config.image_hosts = vec!["'self' https:".into()];
        let message = validate(&mut config, &origin).unwrap_err().to_string();
        assert!(message.starts_with("`image_hosts`:"), "{message}");
    }
}
