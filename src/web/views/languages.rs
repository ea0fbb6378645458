//! The site's languages on a page: the header's switcher between each
//! language's home, and an article's links to its translations (visible,
//! and as `hreflang` alternates in the head, both ways, with `x-default`).
//!
//! Every link here carries `hreflang`, which is what tells the server's
//! page pass (`server::page_rewrite`) to leave it pointing at the other
//! language rather than move it into the page's own.

use dioxus::prelude::*;

use crate::model::{SiteMeta, Translation};
use crate::web::views::use_ui;

/// The name of the language whose pages are `edition` ("": the default
/// language's), in itself.
fn name_of(meta: &SiteMeta, edition: &str) -> String {
    if edition.is_empty() {
        let default = &meta.default_language;
        return crate::i18n::language_name(default).unwrap_or_else(|| default.clone());
    }
    let known = meta.languages.iter().find(|l| l.code == edition);
    known.map_or_else(|| edition.to_string(), |l| l.name.clone())
}

/// Each language's home: code ("" for the default), its tag, name and
/// address.
fn homes(meta: &SiteMeta) -> Vec<(String, String, String, String)> {
    let default = (
        String::new(),
        meta.default_language.clone(),
        name_of(meta, ""),
        "/".to_string(),
    );
    let others = meta.languages.iter().map(|l| {
        (
            l.code.clone(),
            l.code.clone(),
            l.name.clone(),
            l.prefix.clone(),
        )
    });
    std::iter::once(default).chain(others).collect()
}

/// How many languages the header lists inline; a site of more (Let's
/// Encrypt's 28) gets them in a disclosure named for the current one, so
/// the header keeps its height.
const INLINE_LANGUAGES: usize = 4;

/// The header's switcher: every language's home, the page's own marked
/// current. Nothing on a site of one language.
#[component]
pub fn LanguageSwitch() -> Element {
    let meta = use_context::<SiteMeta>();
    if meta.languages.is_empty() {
        return rsx! {};
    }
    let ui = use_ui();
    let homes = homes(&meta);
    let links = rsx! {
        for (edition, tag, name, home) in homes.iter().cloned() {
            if edition == meta.edition {
                span { key: "{tag}", lang: "{tag}", aria_current: "true", "{name}" }
            } else {
                a { key: "{tag}", href: "{home}", hreflang: "{tag}", lang: "{tag}", "{name}" }
            }
        }
    };
    if homes.len() <= INLINE_LANGUAGES {
        return rsx! {
            nav { class: "languages", aria_label: ui.text("nav-languages"), {links} }
        };
    }
    let current = name_of(&meta, &meta.edition);
    rsx! {
        details { class: "language-menu",
            summary {
                span { class: "visually-hidden", {ui.text("nav-languages")} ": " }
                "{current}"
            }
            nav { class: "languages", aria_label: ui.text("nav-languages"), {links} }
        }
    }
}

/// An article's translations in the head: one `hreflang` alternate each,
/// itself included, and `x-default` for the default language's version.
///
/// Written through the document directly: `document::Link` keeps one link
/// per `href` and `rel`, and `x-default` shares its address with the
/// default language's own alternate.
#[component]
pub fn Alternates(translations: Vec<Translation>) -> Element {
    let base = use_context::<SiteMeta>().base_url;
    use_hook(move || {
        let document = document::document();
        if !document.create_head_component() {
            return;
        }
        for (lang, url) in alternates(&translations) {
            let href = crate::urls::absolute(&base, &url);
            let link = document::LinkProps::builder().rel("alternate".to_string());
            document.create_link(link.hreflang(lang).href(href).build());
        }
    });
    rsx! {}
}

/// Each translation's tag and address, then `x-default` and the default
/// language's address.
fn alternates(translations: &[Translation]) -> Vec<(String, String)> {
    let each = translations.iter().map(|t| (t.lang.clone(), t.url.clone()));
    let default = translations.iter().find(|t| t.edition.is_empty());
    let default = default.map(|t| ("x-default".to_string(), t.url.clone()));
    each.chain(default).collect()
}

/// An article's (or with `page`, a page's or listing's) visible links to
/// its translations, its own language marked current.
#[component]
pub fn Translations(
    translations: Vec<Translation>,
    current: String,
    #[props(default)] page: bool,
) -> Element {
    let meta = use_context::<SiteMeta>();
    let ui = use_ui();
    rsx! {
        nav { class: "translations", aria_label: ui.text(if page { "page-translations" } else { "post-translations" }),
            for t in translations.iter() {
                if t.url == current {
                    span { key: "{t.lang}", lang: "{t.lang}", aria_current: "page", {name_of(&meta, &t.edition)} }
                } else {
                    a { key: "{t.lang}", href: "{t.url}", hreflang: "{t.lang}", lang: "{t.lang}", {name_of(&meta, &t.edition)} }
                }
            }
        }
    }
}
