//! The site's theme as the settings and the owner's files make it
//! (docs/THEMING.md): the generated stylesheet, logos and favicon set
//! (all served from memory at hashed addresses under `/_theme/`, like
//! the owner's `custom.css`), the footer text, the social icons, the date
//! format and the partials. `page_rewrite` lays it onto every rendered
//! page (`markup`), so the views and the wasm client stay as they are.
//!
//! Files are read at start (a bad one stops `serve` and fails `quire
//! check`, naming it) and again whenever the watcher sees one change (a
//! bad one then is logged and the last good theme kept); partials are
//! read again whenever the watcher sees `content/_partials/` change.

pub mod code;
pub mod colour;
mod css;
pub mod files;
pub mod icons;
pub mod markup;
pub mod partials;

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{Site, SiteConfig};
use crate::content::escape::escape_markup;
use crate::content::{RenderOptions, markdown};
use files::{Asset, Logo};
use partials::Partials;

/// Where theme files are served: `/_theme/<name>-<hash>.<ext>`.
pub const PREFIX: &str = "/_theme/";

/// One site's theme.
#[derive(Debug, Default)]
pub struct Theme {
    /// Everything served under [`PREFIX`].
    assets: Vec<Asset>,
    /// Markup appended to every page's `<head>`: stylesheet, icons, manifest.
    pub head: String,
    pub logo: Option<Logo>,
    pub logo_dark: Option<Logo>,
    /// Whether the favicon set replaces Quire's icon.
    pub favicon: bool,
    /// The site's title, the logos' `alt`.
    pub title: String,
    /// `footer`, rendered from Markdown and sanitised.
    pub footer: Option<String>,
    /// Social link addresses (as written in pages) and their kinds.
    pub social: Vec<(String, String)>,
    /// The header partial's accessible name, in the site's language.
    pub notice_label: String,
    partials: RwLock<Arc<Partials>>,
    content_dir: PathBuf,
    render_options: RenderOptions,
}

/// The theme a site shows now: swapped whole when the owner's logo or
/// favicon changes while `serve` runs ([`crate::server::Site::theme_files_changed`]).
#[derive(Debug, Default)]
pub struct Current(RwLock<Arc<Theme>>);

impl Current {
    pub fn new(theme: Theme) -> Self {
        Current(RwLock::new(Arc::new(theme)))
    }

    pub fn get(&self) -> Arc<Theme> {
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn set(&self, theme: Theme) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(theme);
    }
}

/// The files the settings name (logos, favicon source), absolute: the
/// watcher watches their folders.
pub fn files_of(config: &SiteConfig) -> Vec<PathBuf> {
    [&config.logo, &config.logo_dark, &config.favicon]
        .into_iter()
        .filter(|value| !value.trim().is_empty())
        .map(|value| std::path::absolute(value).unwrap_or_else(|_| PathBuf::from(value)))
        .collect()
}

impl Theme {
    /// The theme of `config` for a site reading `content_dir`, its files
    /// read; or what is wrong with one of them, naming it.
    pub fn load(config: &SiteConfig, content_dir: &Path) -> Result<Self, String> {
        let mut theme = Self::without_files(config, content_dir);
        let mut assets = std::mem::take(&mut theme.assets);
        let file = |value: &str| (!value.trim().is_empty()).then(|| PathBuf::from(value));
        if let Some(path) = file(&config.logo) {
            theme.logo = Some(files::logo("logo", &path)?);
        }
        if let Some(path) = file(&config.logo_dark) {
            theme.logo_dark = Some(files::logo("logo_dark", &path)?);
        }
        assets.extend(
            theme
                .logo
                .iter()
                .chain(&theme.logo_dark)
                .map(|l| l.asset.clone()),
        );
        if let Some(path) = file(&config.favicon) {
            let icons = files::favicons(&path)?;
            let manifest = files::manifest(&config.title, &icons);
            theme.head.push_str(&icon_links(&icons, &manifest));
            theme.favicon = true;
            assets.extend(icons);
            assets.push(manifest);
        }
        theme.assets = assets;
        Ok(theme)
    }

    /// The theme without the files settings name (tests, and a fallback
    /// that keeps a site up): stylesheet, footer, partials.
    pub fn without_files(config: &SiteConfig, content_dir: &Path) -> Self {
        let mut assets = Vec::new();
        let mut head = String::new();
        if let Some(css) = css::stylesheet(config) {
            let asset = Asset::new("theme", "css", "text/css; charset=utf-8", css.into_bytes());
            head.push_str(&format!(
                "<link rel=\"stylesheet\" href=\"{}\" type=\"text/css\">",
                asset.address
            ));
            assets.push(asset);
        }
        let render_options = config.render_options(content_dir);
        let footer = (!config.footer.trim().is_empty())
            .then(|| markdown::render(&config.footer, &RenderOptions::default()).html);
        let social = config
            .social
            .iter()
            .filter(|l| !l.kind.is_empty())
            .map(|l| (escape_markup(&l.url), l.kind.clone()))
            .collect();
        let notice_label =
            crate::i18n::Ui::new(&config.language, &config.strings).text("site-notice");
        Self {
            assets,
            head,
            notice_label: escape_markup(&notice_label),
            title: config.title.clone(),
            footer,
            social,
            partials: RwLock::new(Arc::new(partials::load(content_dir, &render_options))),
            content_dir: content_dir.to_path_buf(),
            render_options,
            ..Self::default()
        }
    }

    /// The partials as last read.
    pub fn partials(&self) -> Arc<Partials> {
        self.partials
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Reads the partials again; whether they changed.
    pub fn reload_partials(&self) -> bool {
        let fresh = partials::load(&self.content_dir, &self.render_options);
        let mut current = self
            .partials
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if **current == fresh {
            return false;
        }
        *current = Arc::new(fresh);
        true
    }

    fn asset(&self, address: &str) -> Option<&Asset> {
        self.assets.iter().find(|a| a.address == address)
    }
}

/// The `<link>`s of the favicon set and the manifest.
fn icon_links(icons: &[Asset], manifest: &Asset) -> String {
    let mut out = String::new();
    for (size, icon) in files::FAVICON_SIZES.iter().zip(icons) {
        let rel = if *size == 180 {
            "apple-touch-icon"
        } else {
            "icon"
        };
        out.push_str(&format!(
            "<link rel=\"{rel}\" type=\"image/png\" sizes=\"{size}x{size}\" href=\"{}\">",
            icon.address
        ));
    }
    out.push_str(&format!(
        "<link rel=\"manifest\" href=\"{}\">",
        manifest.address
    ));
    out
}

/// The route: a theme file at its hashed address, else 404.
pub async fn serve(State(site): State<Arc<Site>>, UrlPath(name): UrlPath<String>) -> Response {
    let theme = site.theme.get();
    let Some(asset) = theme.asset(&format!("{PREFIX}{name}")) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        ),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ),
    ];
    (headers, asset.bytes.to_vec()).into_response()
}
