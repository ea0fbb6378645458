//! Site settings: `quire.toml` (or the file given with `--config`), then
//! `QUIRE_<KEY>` environment variables on top, then validation.
//!
//! Owns [`SiteConfig`] and its defaults, the list of valid keys (so an
//! unknown key is an error naming the file, the line and the nearest valid
//! key), the environment overrides, and the checks run before anything
//! starts (an absolute base URL, a sane page size).

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::content::RenderOptions;

/// The file read when no `--config` is given, relative to the working directory.
pub const DEFAULT_PATH: &str = "quire.toml";
/// The base URL used until `serve` knows its listen address.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8080";
const DEFAULT_TAGLINE: &str = "Technical articles on agentic AI, generative AI, scalable infrastructure, and modern web development — written from real-world engineering experience.";
/// The accepted range of `page_size`.
pub const PAGE_SIZE_RANGE: std::ops::RangeInclusive<usize> = 1..=500;

/// Everything an owner can set about the site.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    pub tagline: String,
    /// Feed and meta description; defaults to the tagline.
    pub description: String,
    /// Absolute, without a trailing slash.
    pub base_url: String,
    pub language: String,
    pub author: Author,
    /// Posts per listing page, 1..=500.
    pub page_size: usize,
    pub nav: Vec<NavLink>,
    pub social: Vec<NavLink>,
    pub allow_raw_html: bool,
    /// Memory budget of the page cache, in MiB.
    pub cache_max_mb: usize,
    /// Send `Strict-Transport-Security` (only behind HTTPS).
    pub hsts: bool,
}

/// Who writes the blog (feeds name them).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Author {
    pub name: String,
    pub url: Option<String>,
}

impl Default for Author {
    fn default() -> Self {
        Self {
            name: "Quire".to_string(),
            url: None,
        }
    }
}

/// A labelled link in the header (`nav`) or footer (`social`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NavLink {
    pub label: String,
    pub url: String,
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            title: "Blog".to_string(),
            tagline: DEFAULT_TAGLINE.to_string(),
            description: DEFAULT_TAGLINE.to_string(),
            base_url: DEFAULT_BASE_URL.to_string(),
            language: "en".to_string(),
            author: Author::default(),
            page_size: 20,
            nav: Vec::new(),
            social: Vec::new(),
            allow_raw_html: false,
            cache_max_mb: 64,
            hsts: false,
        }
    }
}

impl SiteConfig {
    pub fn render_options(&self) -> RenderOptions {
        RenderOptions {
            allow_raw_html: self.allow_raw_html,
            asset_base: None,
        }
    }
}

/// A configuration the process cannot start with. Every message names the
/// file or variable and what to change.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "cannot read the config file {path}: {source}; create it (see quire.example.toml) or pass another with --config PATH"
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} line {line}: {message}; fix the TOML there")]
    Syntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("unknown key `{key}` in {path} line {line}; {hint}")]
    UnknownKey {
        key: String,
        path: PathBuf,
        line: usize,
        hint: String,
    },
    #[error("{setting}: {message}")]
    Invalid { setting: String, message: String },
}

/// How a value is written in an environment variable.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Text,
    OptionalText,
    Number,
    Flag,
    Links,
}

/// One setting: its key in the file (dotted inside tables), its variable, its kind.
struct Setting {
    key: &'static str,
    env: &'static str,
    kind: Kind,
}

const SETTINGS: &[Setting] = &[
    Setting {
        key: "title",
        env: "QUIRE_TITLE",
        kind: Kind::Text,
    },
    Setting {
        key: "tagline",
        env: "QUIRE_TAGLINE",
        kind: Kind::Text,
    },
    Setting {
        key: "description",
        env: "QUIRE_DESCRIPTION",
        kind: Kind::Text,
    },
    Setting {
        key: "base_url",
        env: "QUIRE_BASE_URL",
        kind: Kind::Text,
    },
    Setting {
        key: "language",
        env: "QUIRE_LANGUAGE",
        kind: Kind::Text,
    },
    Setting {
        key: "author.name",
        env: "QUIRE_AUTHOR_NAME",
        kind: Kind::Text,
    },
    Setting {
        key: "author.url",
        env: "QUIRE_AUTHOR_URL",
        kind: Kind::OptionalText,
    },
    Setting {
        key: "page_size",
        env: "QUIRE_PAGE_SIZE",
        kind: Kind::Number,
    },
    Setting {
        key: "nav",
        env: "QUIRE_NAV",
        kind: Kind::Links,
    },
    Setting {
        key: "social",
        env: "QUIRE_SOCIAL",
        kind: Kind::Links,
    },
    Setting {
        key: "allow_raw_html",
        env: "QUIRE_ALLOW_RAW_HTML",
        kind: Kind::Flag,
    },
    Setting {
        key: "cache_max_mb",
        env: "QUIRE_CACHE_MAX_MB",
        kind: Kind::Number,
    },
    Setting {
        key: "hsts",
        env: "QUIRE_HSTS",
        kind: Kind::Flag,
    },
];

/// Keys of one `[[nav]]` / `[[social]]` entry.
const LINK_KEYS: &[&str] = &["label", "url"];

/// The configuration the process runs with, and where it came from.
#[derive(Clone, Debug)]
pub struct LoadedConfig {
    pub config: SiteConfig,
    /// The file read, or looked for.
    pub path: PathBuf,
    /// Whether that file existed.
    pub found: bool,
    /// Whether the file or `QUIRE_BASE_URL` set `base_url` (else `serve`
    /// derives it from the listen address).
    pub base_url_set: bool,
}

/// Reads `path` (an explicit `--config`, which must exist) or `quire.toml`
/// (which may be missing), then applies the process environment.
pub fn load(explicit: Option<&Path>) -> Result<LoadedConfig, ConfigError> {
    load_with(explicit, &|name| std::env::var(name).ok())
}

/// [`load`] with the environment given as a lookup function (tests).
pub fn load_with(
    explicit: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<LoadedConfig, ConfigError> {
    let path = explicit.map_or_else(|| PathBuf::from(DEFAULT_PATH), Path::to_path_buf);
    let (text, found) = match std::fs::read_to_string(&path) {
        Ok(text) => (text, true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {
            (String::new(), false)
        }
        Err(source) => return Err(ConfigError::Read { path, source }),
    };
    let (config, base_url_set) = parse(&text, &path, env)?;
    Ok(LoadedConfig {
        config,
        path,
        found,
        base_url_set,
    })
}

/// Parses the text of a config file named `path`, applies `env` and
/// validates. Returns the settings and whether `base_url` was set.
pub fn parse(
    text: &str,
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(SiteConfig, bool), ConfigError> {
    check_keys(text, path)?;
    let mut table: toml::Table = toml::from_str(text).map_err(|e| syntax(text, path, &e))?;
    // Type errors (a string for `page_size`…) with the line they are on.
    toml::from_str::<SiteConfig>(text).map_err(|e| syntax(text, path, &e))?;
    for setting in SETTINGS {
        if let Some(raw) = env(setting.env) {
            let value = env_value(setting, &raw)?;
            set_dotted(&mut table, setting.key, value);
        }
    }
    let origin = |key: &str| origin(key, path, env);
    let has_description = table.contains_key("description");
    let base_url_set = table.contains_key("base_url");
    let mut config: SiteConfig =
        toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Invalid {
                setting: path.display().to_string(),
                message: format!("{}; fix the value", e.message()),
            })?;
    if !has_description {
        config.description = config.tagline.clone();
    }
    validate(&mut config, &origin)?;
    Ok((config, base_url_set))
}

/// Where a setting's value came from, for messages.
fn origin(key: &str, path: &Path, env: &dyn Fn(&str) -> Option<String>) -> String {
    match SETTINGS.iter().find(|s| s.key == key) {
        Some(setting) if env(setting.env).is_some() => setting.env.to_string(),
        _ => format!("`{key}` in {}", path.display()),
    }
}

fn validate(config: &mut SiteConfig, origin: &dyn Fn(&str) -> String) -> Result<(), ConfigError> {
    config.base_url =
        normalize_base_url(&config.base_url).map_err(|message| ConfigError::Invalid {
            setting: origin("base_url"),
            message,
        })?;
    if !PAGE_SIZE_RANGE.contains(&config.page_size) {
        return Err(ConfigError::Invalid {
            setting: origin("page_size"),
            message: format!(
                "{} posts per page is out of range; choose a number from {} to {}",
                config.page_size,
                PAGE_SIZE_RANGE.start(),
                PAGE_SIZE_RANGE.end()
            ),
        });
    }
    if config.language.trim().is_empty() {
        return Err(ConfigError::Invalid {
            setting: origin("language"),
            message: "the language is empty; set a language tag such as \"en\" or \"de-CH\"".into(),
        });
    }
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
    let host = rest.split('/').next().unwrap_or_default();
    let bad = host.is_empty()
        || rest.contains(['?', '#'])
        || url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>');
    if bad {
        return Err(format!(
            "`{raw}` is not a usable base URL; write scheme, host and optional path, e.g. \"https://example.com/blog\""
        ));
    }
    Ok(url.to_string())
}

/// Rejects keys Quire does not know, naming the line and the nearest valid key.
fn check_keys(text: &str, path: &Path) -> Result<(), ConfigError> {
    let root = DeTable::parse(text).map_err(|e| syntax(text, path, &e))?;
    let top: Vec<&str> = SETTINGS
        .iter()
        .map(|s| s.key.split('.').next().unwrap_or(s.key))
        .collect();
    let unknown = |key: &str, span: Range<usize>, candidates: &[&str]| ConfigError::UnknownKey {
        key: key.to_string(),
        path: path.to_path_buf(),
        line: line_of(text, span.start),
        hint: hint(key, candidates),
    };
    for (key, value) in root.get_ref() {
        let name = key.get_ref().as_ref();
        if !top.contains(&name) {
            // Dotted keys are candidates too: `author_name` → `author.name`.
            let all: Vec<&str> = top
                .iter()
                .copied()
                .chain(SETTINGS.iter().map(|s| s.key))
                .collect();
            return Err(unknown(name, key.span(), &all));
        }
        match (name, value.get_ref()) {
            ("author", DeValue::Table(table)) => {
                let valid: Vec<&str> = SETTINGS
                    .iter()
                    .filter_map(|s| s.key.strip_prefix("author."))
                    .collect();
                check_table(table, "author.", &valid, &unknown)?;
            }
            ("nav" | "social", DeValue::Array(items)) => {
                for item in items.iter() {
                    if let DeValue::Table(table) = item.get_ref() {
                        check_table(table, &format!("{name}."), LINK_KEYS, &unknown)?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Builds the error for an unknown key: its name, its span, the valid keys.
type UnknownKey<'a> = dyn Fn(&str, Range<usize>, &[&str]) -> ConfigError + 'a;

fn check_table(
    table: &DeTable<'_>,
    prefix: &str,
    valid: &[&str],
    unknown: &UnknownKey<'_>,
) -> Result<(), ConfigError> {
    for key in table.keys() {
        let name = key.get_ref().as_ref();
        if !valid.contains(&name) {
            let dotted: Vec<String> = valid.iter().map(|v| format!("{prefix}{v}")).collect();
            let dotted: Vec<&str> = dotted.iter().map(String::as_str).collect();
            return Err(unknown(&format!("{prefix}{name}"), key.span(), &dotted));
        }
    }
    Ok(())
}

/// "did you mean `x`?" for a close key, else the list of valid keys.
fn hint(key: &str, candidates: &[&str]) -> String {
    let best = candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(key, c), *c))
        .min();
    match best {
        Some((distance, candidate)) if distance <= (key.len() / 3).max(2) => {
            format!("did you mean `{candidate}`?")
        }
        _ => {
            let mut names: Vec<&str> = candidates.to_vec();
            names.dedup();
            format!("remove it; valid keys are {}", names.join(", "))
        }
    }
}

fn syntax(text: &str, path: &Path, err: &toml::de::Error) -> ConfigError {
    ConfigError::Syntax {
        path: path.to_path_buf(),
        line: err.span().map_or(1, |span| line_of(text, span.start)),
        message: err.message().trim().to_string(),
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Converts an environment value to the TOML value the key expects.
fn env_value(setting: &Setting, raw: &str) -> Result<toml::Value, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        setting: setting.env.to_string(),
        message,
    };
    match setting.kind {
        Kind::Text | Kind::OptionalText => Ok(toml::Value::String(raw.to_string())),
        Kind::Number => raw
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(toml::Value::Integer)
            .ok_or_else(|| {
                invalid(format!(
                    "`{raw}` is not a whole number; set a number such as 20"
                ))
            }),
        Kind::Flag => match raw.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(toml::Value::Boolean(true)),
            "0" | "false" | "no" | "off" | "" => Ok(toml::Value::Boolean(false)),
            _ => Err(invalid(format!(
                "`{raw}` is not true or false; set it to true or false"
            ))),
        },
        Kind::Links => {
            if raw.trim().is_empty() {
                return Ok(toml::Value::Array(Vec::new()));
            }
            let wrapped = format!("links = {raw}");
            let parsed: Result<LinksOnly, _> = toml::from_str(&wrapped);
            match (parsed, toml::from_str::<toml::Table>(&wrapped)) {
                (Ok(_), Ok(mut table)) => Ok(table
                    .remove("links")
                    .unwrap_or(toml::Value::Array(Vec::new()))),
                (Err(e), _) | (_, Err(e)) => Err(invalid(format!(
                    "{}; write a TOML array such as [{{ label = \"About\", url = \"/about\" }}]",
                    e.message().trim()
                ))),
            }
        }
    }
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct LinksOnly {
    links: Vec<NavLink>,
}

/// Sets `a.b` inside `table`, creating the inner table when needed.
fn set_dotted(table: &mut toml::Table, key: &str, value: toml::Value) {
    match key.split_once('.') {
        None => {
            table.insert(key.to_string(), value);
        }
        Some((outer, inner)) => {
            let entry = table
                .entry(outer.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if !entry.is_table() {
                *entry = toml::Value::Table(toml::Table::new());
            }
            if let toml::Value::Table(inner_table) = entry {
                set_dotted(inner_table, inner, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn parse_ok(text: &str) -> SiteConfig {
        parse(text, Path::new("quire.toml"), &no_env).unwrap().0
    }

    fn parse_err(text: &str) -> String {
        parse(text, Path::new("quire.toml"), &no_env)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn an_empty_file_gives_the_defaults() {
        let (config, base_url_set) = parse("", Path::new("quire.toml"), &no_env).unwrap();
        assert_eq!(config, SiteConfig::default());
        assert!(!base_url_set);
        assert_eq!(config.description, config.tagline);
        assert_eq!(config.page_size, 20);
        assert_eq!(config.cache_max_mb, 64);
        assert_eq!(config.author.name, "Quire");
    }

    #[test]
    fn every_setting_is_read_from_the_file() {
        let config = parse_ok(
            r#"
title = "Notes"
tagline = "Short"
base_url = "https://example.com/blog/"
language = "de"
page_size = 5
allow_raw_html = true
cache_max_mb = 8
hsts = true

[author]
name = "Ada"
url = "https://ada.example"

[[nav]]
label = "About"
url = "/about"

[[social]]
label = "Mastodon"
url = "https://social.example/@ada"
"#,
        );
        assert_eq!(config.title, "Notes");
        assert_eq!(
            config.description, "Short",
            "description follows the tagline"
        );
        assert_eq!(config.base_url, "https://example.com/blog");
        assert_eq!(config.language, "de");
        assert_eq!(config.page_size, 5);
        assert!(config.allow_raw_html && config.hsts);
        assert_eq!(config.cache_max_mb, 8);
        assert_eq!(config.author.name, "Ada");
        assert_eq!(config.author.url.as_deref(), Some("https://ada.example"));
        assert_eq!(
            config.nav,
            vec![NavLink {
                label: "About".into(),
                url: "/about".into()
            }]
        );
        assert_eq!(config.social[0].label, "Mastodon");
    }

    #[test]
    fn an_unknown_key_names_the_file_the_line_and_the_nearest_key() {
        let message = parse_err("# site\n\ntitel = \"x\"\n");
        assert_eq!(
            message,
            "unknown key `titel` in quire.toml line 3; did you mean `title`?"
        );
    }

    #[test]
    fn unknown_keys_inside_tables_are_found_too() {
        let message = parse_err("[author]\nname = \"A\"\nnmae = \"B\"\n");
        assert!(message.contains("unknown key `author.nmae`"), "{message}");
        assert!(message.contains("line 3"), "{message}");
        assert!(message.contains("did you mean `author.name`?"), "{message}");

        let message = parse_err("[[nav]]\nlabel = \"A\"\nlink = \"/a\"\n");
        assert!(
            message.contains("`nav.link`") && message.contains("line 3"),
            "{message}"
        );
        assert!(
            message.contains("`nav.label`") || message.contains("nav.url"),
            "{message}"
        );

        let message = parse_err("author_name = \"A\"\n");
        assert!(message.contains("did you mean `author.name`?"), "{message}");
    }

    #[test]
    fn a_far_away_unknown_key_lists_the_valid_keys() {
        let message = parse_err("colour_scheme = \"dark\"\n");
        assert!(
            message.contains("valid keys are title, tagline"),
            "{message}"
        );
    }

    #[test]
    fn syntax_and_type_errors_name_the_line() {
        let message = parse_err("title = \"ok\"\npage_size = \"ten\"\n");
        assert!(message.starts_with("quire.toml line 2:"), "{message}");
        let message = parse_err("title = \"ok\"\n\ntagline = \n");
        assert!(message.starts_with("quire.toml line 3:"), "{message}");
    }

    #[test]
    fn a_base_url_without_scheme_is_an_error_naming_the_setting() {
        let message = parse_err("base_url = \"example.com\"\n");
        assert!(
            message.starts_with("`base_url` in quire.toml:"),
            "{message}"
        );
        assert!(message.contains("https://example.com"), "{message}");
        assert!(parse_err("base_url = \"https://\"\n").contains("base_url"));
        assert!(parse_err("base_url = \"ftp://x.org\"\n").contains("base_url"));
    }

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
    }

    #[test]
    fn page_size_must_be_in_range() {
        assert!(parse_err("page_size = 0\n").contains("from 1 to 500"));
        assert!(parse_err("page_size = 501\n").contains("`page_size` in quire.toml"));
        assert_eq!(parse_ok("page_size = 500\n").page_size, 500);
    }

    #[test]
    fn environment_variables_override_the_file() {
        let vars: HashMap<&str, &str> = HashMap::from([
            ("QUIRE_TITLE", "From env"),
            ("QUIRE_BASE_URL", "https://env.example/"),
            ("QUIRE_PAGE_SIZE", "7"),
            ("QUIRE_AUTHOR_NAME", "Env Author"),
            ("QUIRE_HSTS", "true"),
            ("QUIRE_NAV", r#"[{ label = "Home", url = "/" }]"#),
        ]);
        let env = |name: &str| vars.get(name).map(|v| v.to_string());
        let (config, base_url_set) = parse(
            "title = \"File\"\npage_size = 3\n[author]\nurl = \"https://a.example\"\n",
            Path::new("quire.toml"),
            &env,
        )
        .unwrap();
        assert_eq!(config.title, "From env");
        assert_eq!(config.base_url, "https://env.example");
        assert!(base_url_set);
        assert_eq!(config.page_size, 7);
        assert_eq!(config.author.name, "Env Author");
        assert_eq!(config.author.url.as_deref(), Some("https://a.example"));
        assert!(config.hsts);
        assert_eq!(config.nav[0].url, "/");
    }

    #[test]
    fn bad_environment_values_name_the_variable() {
        let env = |name: &str| (name == "QUIRE_PAGE_SIZE").then(|| "many".to_string());
        let message = parse("", Path::new("quire.toml"), &env)
            .unwrap_err()
            .to_string();
        assert!(message.starts_with("QUIRE_PAGE_SIZE:"), "{message}");

        let env = |name: &str| (name == "QUIRE_BASE_URL").then(|| "example.com".to_string());
        let message = parse("", Path::new("quire.toml"), &env)
            .unwrap_err()
            .to_string();
        assert!(message.starts_with("QUIRE_BASE_URL:"), "{message}");

        let env = |name: &str| (name == "QUIRE_SOCIAL").then(|| "[{ name = 1 }]".to_string());
        let message = parse("", Path::new("quire.toml"), &env)
            .unwrap_err()
            .to_string();
        assert!(message.starts_with("QUIRE_SOCIAL:"), "{message}");
    }

    #[test]
    fn a_missing_default_file_is_fine_but_a_missing_explicit_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        let err = load_with(Some(&missing), &no_env).unwrap_err();
        assert!(matches!(err, ConfigError::Read { .. }));
        assert!(err.to_string().contains("nope.toml"));

        let file = dir.path().join("site.toml");
        std::fs::write(&file, "title = \"T\"\n").unwrap();
        let loaded = load_with(Some(&file), &no_env).unwrap();
        assert!(loaded.found);
        assert_eq!(loaded.config.title, "T");
    }

    #[test]
    fn the_example_file_is_valid_and_complete() {
        let text = include_str!("../../../quire.example.toml");
        let (config, _) = parse(text, Path::new("quire.example.toml"), &no_env).unwrap();
        assert_eq!(config.page_size, SiteConfig::default().page_size);
        for setting in SETTINGS {
            let key = setting.key.rsplit('.').next().unwrap();
            assert!(
                text.contains(key),
                "quire.example.toml documents `{}`",
                setting.key
            );
            assert!(
                text.contains(setting.env),
                "quire.example.toml names {}",
                setting.env
            );
        }
    }
}
