//! Site settings: `quire.toml` (or the file given with `--config`), then
//! `QUIRE_<KEY>` environment variables on top, then validation.
//!
//! This file owns [`SiteConfig`]: its fields, and its defaults in one place
//! (`#[serde(default)]` and one `Default` impl), with `deny_unknown_fields`.
//! Everything else is derived from the struct, so adding a field is all it
//! takes to add a key, its `QUIRE_<KEY>` variable and its "did you mean":
//!
//! - `schema`: the valid keys and their kinds, traced from the struct;
//! - `file`: the text parsed once; unknown keys and type errors with lines;
//! - `env`: the `QUIRE_<KEY>` overlay;
//! - `validate`: values Quire cannot work with (relative base URL…);
//! - `errors`: every message an owner sees.

mod addresses;
mod env;
mod errors;
mod file;
mod params;
mod schema;
mod theme;
mod validate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::content::{RawHtml, RenderOptions};
/// The header and footer links are the model's own type: the file is read
/// straight into what the client is sent.
pub use crate::model::NavLink;
pub use crate::read::AuthorProfile;
use crate::urls::permalink;
use env::Env;
pub use errors::ConfigError;
use schema::Schema;
pub use theme::{HeaderLink, SOCIAL_KINDS, SocialLink, check_date_format};
pub use validate::normalize_base_url;

/// The file read when no `--config` is given, relative to the working directory.
pub const DEFAULT_PATH: &str = "quire.toml";
/// The base URL used until `serve` knows its listen address.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8080";
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
    /// Hugo's `contentDir` for the default language: a folder under
    /// `content/` whose files are read as if at the root (`en/x.md` is
    /// `/x`); empty: none.
    pub language_folder: String,
    /// The site's other languages (`[languages.fr]`): each one's pages
    /// (index, listings, feeds, search) live behind its prefix.
    pub languages: BTreeMap<String, LanguageConfig>,
    pub author: Author,
    /// Profiles of the authors posts name (`[authors.<id>]`).
    pub authors: BTreeMap<String, AuthorProfile>,
    /// Posts per listing page, 1..=500.
    pub page_size: usize,
    /// URLs per sitemap file (`/sitemaps/<n>.xml`), 1..=50,000.
    pub sitemap_urls: usize,
    pub nav: Vec<NavLink>,
    /// Footer links (`[[social]]`: `kind`, `label`, `url`); a known
    /// `kind` gets its icon (`config::theme`).
    pub social: Vec<SocialLink>,
    /// Header links after the site's name and `nav` (`[[header_links]]`).
    pub header_links: Vec<HeaderLink>,
    /// The theme (docs/THEMING.md, `server::theme`): image files shown in
    /// the header (empty: the title as text), relative to the working
    /// directory.
    pub logo: String,
    pub logo_dark: String,
    /// One image the favicon set (32, 180, 192, 512 px) is made from.
    pub favicon: String,
    /// `#rrggbb` for links and buttons, held to WCAG AA on both
    /// backgrounds (`accent_dark`, if set, takes the dark one).
    pub accent: String,
    pub accent_dark: String,
    /// CSS font stacks for text and code.
    pub font_text: String,
    pub font_code: String,
    /// syntect themes for code in the light and dark schemes (empty:
    /// Quire's colours).
    pub code_theme: String,
    pub code_theme_dark: String,
    /// "grid" or "list".
    pub card_layout: String,
    /// strftime date fields for dates on pages (empty: "Mar 8, 2026").
    pub date_format: String,
    /// The owner's interface text over the language's (`[strings]`:
    /// message id → Fluent pattern; `i18n`, docs/LANGUAGES.md).
    pub strings: BTreeMap<String, String>,
    /// The site's own values, by name (`[params]`): what a post's Jekyll
    /// `{{ site.repository }}` or Hugo `{{< param "repository" >}}` stands
    /// for (`bench/migrate.py` copies them from the old site's settings).
    /// A table inside gives dotted names (`[params.versions] core = "1.8"`
    /// is `versions.core`, as Hugo's `param "versions.core"` reads it);
    /// numbers and true/false are their text ([`params::dotted`]).
    #[serde(deserialize_with = "params::dotted")]
    pub params: BTreeMap<String, String>,
    /// Posts per page of the unfiltered index; 0 follows `page_size`.
    pub home_page_size: usize,
    /// Markdown shown in the footer in place of Quire's line.
    pub footer: String,
    /// Raw HTML in posts: "sanitize" (default), "drop" or "trust"; read
    /// with [`SiteConfig::raw_html`] (checked when the settings are read).
    pub raw_html: String,
    /// Hosts whose `https` iframes posts may embed (`www.youtube.com`);
    /// the Content-Security-Policy's `frame-src` lists exactly these.
    pub embed_hosts: Vec<String>,
    /// Hosts posts may show images from (`https://` or protocol-relative
    /// `<img>`s); the Content-Security-Policy's `img-src` lists exactly
    /// these, and `quire check` names an image from any other host.
    pub image_hosts: Vec<String>,
    /// Jekyll's collections to read (`_docs/` for "docs"), each as the
    /// section of its name: the `collections` with `output: true` in the
    /// old `_config.yml`. Written without the `_` (checked when read).
    pub collections: Vec<String>,
    /// The old engine's other taxonomies (Zola's `theme-tags`, Hugo's
    /// `series`): their terms are the posts' tags, and their pages'
    /// addresses (`/theme-tags/<t>/`) lead to the tags' (checked when read).
    pub taxonomies: Vec<String>,
    /// Where posts at the top of `content/` live (`urls::permalink`).
    pub permalink: String,
    /// Where posts in a section live, unless `permalinks` names the section.
    pub section_permalink: String,
    /// Per-section patterns: `[[permalinks]]` with `section` and `pattern`.
    pub permalinks: Vec<SectionPermalink>,
    /// Every post's and page's address ends in `/`, as Zola's always do and
    /// Hugo's do unless `uglyURLs` (`urls::permalink::Permalinks::spelled`);
    /// otherwise an address ends in one only when its pattern or its
    /// `path`/`url`/`permalink` does.
    pub trailing_slash: bool,
    /// Memory budget of the page cache, in MiB.
    pub cache_max_mb: usize,
    /// sled's own page cache (the store's recently read pages), in MiB:
    /// with the page cache, what bounds memory however many posts there are.
    pub store_cache_mb: usize,
    /// On an exported site, how much of the search index (KiB, as
    /// brotli) a reader's browser fetches ahead once the box is first
    /// focused, between their queries: the posts' packs, then the whole
    /// index when it fits (`server::export::search`). 0: only what each
    /// query needs.
    pub search_prefetch_kb: usize,
    /// Send `Strict-Transport-Security`: on by default when Quire serves
    /// HTTPS itself (`tls_cert` or `acme_domains`), off otherwise (set it
    /// behind a proxy that serves HTTPS). Read with [`SiteConfig::hsts`].
    pub hsts: Option<bool>,
    /// The folder served at the site root (`server::static_files`);
    /// empty: `static/` beside the content directory, if there is one.
    pub static_dir: String,
    /// The owner's stylesheet (`server::custom_css`); empty:
    /// `assets/custom.css` beside the content directory, if there is one.
    pub custom_css: String,
    /// Connections one client address may hold open at once; 0: no cap
    /// (`server::client_limits`).
    pub max_connections_per_ip: usize,
    /// Requests per second one client address may make, sustained; 0: no
    /// limit.
    pub requests_per_second_per_ip: usize,
    /// Requests one client address may make at once above that rate (the
    /// token bucket's size).
    pub burst_per_ip: usize,
    /// Proxies (IPs or CIDR networks) whose `X-Forwarded-For` and
    /// `Forwarded` headers name the client; from any other peer they are
    /// ignored.
    pub trusted_proxies: Vec<String>,
    /// PEM certificate chain served over HTTPS (`--tls-cert`); reloaded
    /// when the file changes.
    pub tls_cert: Option<String>,
    /// PEM private key of `tls_cert` (`--tls-key`).
    pub tls_key: Option<String>,
    /// Domains to get a certificate for automatically (`--acme-domain`).
    pub acme_domains: Vec<String>,
    /// Contact address given to the CA (`--acme-email`): expiry warnings.
    pub acme_email: Option<String>,
    /// The CA's ACME directory (`--acme-directory`); Let's Encrypt's
    /// production one when unset.
    pub acme_directory: Option<String>,
    /// A PEM root to trust for the CA's own HTTPS (`--acme-ca-root`): a
    /// private or test CA.
    pub acme_ca_root: Option<String>,
    /// How the CA checks the domains (`--acme-challenge`): "tls-alpn-01"
    /// (default, on the HTTPS port) or "http-01" (on the HTTP port).
    pub acme_challenge: Option<String>,
}

/// The permalink pattern of one section (`[[permalinks]]`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionPermalink {
    /// The section's path: its folder under `content/` (`notes`, `blog/2024`).
    pub section: String,
    pub pattern: String,
}

/// One of the site's other languages (`[languages.<code>]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LanguageConfig {
    /// Its name in itself, for the language switcher; empty: the code.
    pub name: String,
    /// The site's title, tagline and description in it; empty: the
    /// default language's.
    pub title: String,
    pub tagline: String,
    pub description: String,
    /// Where its pages live (`/fr`); empty: `/<code>`.
    pub prefix: String,
    /// The owner's interface text in it (`[languages.fr.strings]`), as
    /// `[strings]` is for the default language.
    pub strings: BTreeMap<String, String>,
    /// Hugo's `contentDir`: a folder under `content/` whose files are in
    /// this language, read as if at the root (`fr/x.md` is `/fr/x`, the
    /// translation of `x.md`); empty: none.
    pub folder: String,
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

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            title: "Blog".to_string(),
            tagline: String::new(),
            description: String::new(),
            base_url: DEFAULT_BASE_URL.to_string(),
            language: "en".to_string(),
            language_folder: String::new(),
            languages: BTreeMap::new(),
            author: Author::default(),
            authors: BTreeMap::new(),
            page_size: 20,
            sitemap_urls: crate::server::sitemaps::DEFAULT_URLS,
            nav: Vec::new(),
            social: Vec::new(),
            header_links: Vec::new(),
            logo: String::new(),
            logo_dark: String::new(),
            favicon: String::new(),
            accent: String::new(),
            accent_dark: String::new(),
            font_text: String::new(),
            font_code: String::new(),
            code_theme: String::new(),
            code_theme_dark: String::new(),
            card_layout: "grid".to_string(),
            date_format: String::new(),
            strings: BTreeMap::new(),
            params: BTreeMap::new(),
            home_page_size: 0,
            footer: String::new(),
            raw_html: RawHtml::default().as_str().to_string(),
            embed_hosts: Vec::new(),
            image_hosts: Vec::new(),
            collections: Vec::new(),
            taxonomies: Vec::new(),
            permalink: permalink::DEFAULT_PATTERN.to_string(),
            section_permalink: permalink::DEFAULT_SECTION_PATTERN.to_string(),
            permalinks: Vec::new(),
            trailing_slash: false,
            cache_max_mb: 64,
            store_cache_mb: 16,
            search_prefetch_kb: 2048,
            hsts: None,
            static_dir: String::new(),
            custom_css: String::new(),
            max_connections_per_ip: 64,
            requests_per_second_per_ip: 50,
            burst_per_ip: 200,
            trusted_proxies: vec!["127.0.0.1".into(), "::1".into()],
            tls_cert: None,
            tls_key: None,
            acme_domains: Vec::new(),
            acme_email: None,
            acme_directory: None,
            acme_ca_root: None,
            acme_challenge: None,
        }
    }
}

impl SiteConfig {
    /// The folder served at the site root for a site reading `content_dir`.
    pub fn static_root(&self, content_dir: &Path) -> Option<PathBuf> {
        super::static_files::root(Some(&self.static_dir), content_dir)
    }

    /// The owner's stylesheet for a site reading `content_dir`.
    pub fn custom_css_path(&self, content_dir: &Path) -> Option<PathBuf> {
        super::custom_css::path(&self.custom_css, content_dir)
    }

    /// How posts read from `content_dir` are rendered.
    pub fn render_options(&self, content_dir: &Path) -> RenderOptions {
        RenderOptions {
            static_root: self.static_root(content_dir),
            raw_html: self.raw_html(),
            embed_hosts: self.embed_hosts.clone(),
            image_hosts: self.image_hosts.clone(),
            // Checked when the settings were loaded ([`validate`]).
            permalinks: self.permalinks().unwrap_or_default(),
            language: Some(self.language.clone()),
            languages: self.url_languages(),
            language_folders: self.language_folders(),
            params: std::sync::Arc::new(self.params.clone()),
            collections: self.collections.clone(),
            taxonomies: self.taxonomies.clone(),
            ..RenderOptions::default()
        }
    }

    /// Each language's content folder (`language_folder`, `[languages.fr]
    /// folder`) and its tag, as written less a leading `content/` (Hugo
    /// writes `contentDir = "content/fr"`).
    pub fn language_folders(&self) -> Vec<(PathBuf, String)> {
        let others = self.languages.iter().map(|(code, set)| (&set.folder, code));
        let all = std::iter::once((&self.language_folder, &self.language)).chain(others);
        all.filter(|(folder, _)| !folder.trim().is_empty())
            .map(|(folder, code)| (folder_path(folder), code.clone()))
            .collect()
    }

    /// The site's other languages as pages show them (`[languages]`, by
    /// code; an empty `name` is the code, an empty `prefix` `/<code>`).
    pub fn site_languages(&self) -> Vec<crate::model::SiteLanguage> {
        let languages = self.languages.iter();
        let language = |(code, set): (&String, &LanguageConfig)| {
            let known = crate::urls::languages::Language::of_code(code);
            let or = |own: &str, default: String| match own.trim() {
                "" => default,
                own => own.trim_end_matches('/').to_string(),
            };
            let name = crate::i18n::language_name(code).unwrap_or(known.name);
            crate::model::SiteLanguage {
                code: code.clone(),
                name: or(&set.name, name),
                strings: set.strings.clone(),
                // Written `fr`, `/fr` or `/fr/`: the path `/fr`.
                prefix: format!("/{}", or(&set.prefix, known.prefix).trim_start_matches('/')),
                title: set.title.clone(),
                tagline: set.tagline.clone(),
                description: set.description.clone(),
            }
        };
        languages.map(language).collect()
    }

    /// The site's languages as addresses see them.
    pub fn url_languages(&self) -> crate::urls::languages::Languages {
        let meta = crate::model::SiteMeta {
            language: self.language.clone(),
            languages: self.site_languages(),
            ..Default::default()
        };
        crate::urls::languages::Languages::of(&meta)
    }

    /// Whether responses carry `Strict-Transport-Security` (unset: off).
    pub fn hsts(&self) -> bool {
        self.hsts.unwrap_or(false)
    }

    /// The `raw_html` mode (validated on load; the default otherwise).
    pub fn raw_html(&self) -> RawHtml {
        RawHtml::parse(&self.raw_html).unwrap_or_default()
    }
}

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
///
/// The one default that is a rule rather than a value: an unset
/// `description` follows the tagline, whichever source set that.
pub fn parse(
    text: &str,
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(SiteConfig, bool), ConfigError> {
    let (mut config, table) = layered::<SiteConfig>(text, path, env)?;
    if !table.contains_key("description") {
        config.description = config.tagline.clone();
    }
    validate::validate(&mut config, &|key| origin(key, path, env))?;
    Ok((config, table.contains_key("base_url")))
}

/// Any settings type read from the file, then the variables laid over it:
/// the typed result and the merged table (which says what was set).
fn layered<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    env: &Env<'_>,
) -> Result<(T, toml::Table), ConfigError> {
    let schema = Schema::of::<T>();
    let (typed, mut table) = file::read::<T>(text, path, &schema)?;
    let typed = env::overlay(typed, &mut table, &schema, env)?;
    Ok((typed, table))
}

/// Where a setting's value came from, for messages.
fn origin(key: &str, path: &Path, env: &Env<'_>) -> String {
    let var = env::var_name(key);
    match env(&var) {
        Some(_) => var,
        None => format!("`{key}` in {}", path.display()),
    }
}

/// A language folder as written (`fr`, `content/fr/`, `./fr`), as a path
/// under `content/`.
pub(super) fn folder_path(written: &str) -> PathBuf {
    let path = Path::new(written.trim());
    let path = path.strip_prefix("content").unwrap_or(path);
    path.components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .collect()
}

#[cfg(test)]
mod tests;
