//! A section's page (`/notes`, `/notes/page/2`): its title, description
//! and introduction from its `_index.md`, then its posts, newest first,
//! paginated like the index. Served at the section's own address, so it
//! comes through the catch-all route (`views::article`); each language's
//! version (`/fr/notes`, from `_index.fr.md`) links the others.

use dioxus::prelude::*;

use crate::model::{SectionPage, SiteMeta};
use crate::web::Filter;
use crate::web::ListingKind;
use crate::web::views::{Alternates, Seo, Translations};
use crate::web::views::{Pagination, PostCard, use_ui};

#[component]
pub fn SectionView(section: SectionPage) -> Element {
    let meta = use_context::<SiteMeta>();
    let ui = use_ui();
    let listing = &section.listing;
    let path = listing.query.section.clone().unwrap_or_default();
    let page = listing.query.page;
    let title = match page {
        0 | 1 => format!("{} — {}", section.title, meta.title),
        _ => format!(
            "{} — {}",
            ui.with(
                "page-title",
                &[("title", (&section.title).into()), ("page", page.into())]
            ),
            meta.title
        ),
    };
    let canonical = ListingKind::Section(path.clone()).href(page);
    let description = match section.description.as_str() {
        "" => meta.description.clone(),
        own => own.to_string(),
    };
    let count = ui.with("listing-count", &[("count", listing.total.into())]);
    // Other languages' versions of this page: only the first page has
    // its counterpart at a known address.
    let translations = match page {
        0 | 1 => section.translations.clone(),
        _ => Vec::new(),
    };
    let current = translations.iter().find(|t| t.edition == meta.edition);
    let current = current.map(|t| t.url.clone()).unwrap_or_default();
    rsx! {
        Seo { title: "{title}", description: "{description}", path: "{canonical}" }
        // A section declared with no posts yet has no feed to name.
        if listing.total > 0 {
            document::Link { rel: "alternate", r#type: "application/atom+xml", title: "{section.title}", href: crate::urls::section_feed(&path) }
        }
        if !translations.is_empty() {
            Alternates { translations: translations.clone() }
        }
        section { class: "hero",
            h1 { "{section.title}" }
            if !translations.is_empty() {
                Translations { translations, current, page: true }
            }
            if !section.description.is_empty() {
                p { class: "tagline", "{section.description}" }
            }
        }
        if !section.intro_html.trim().is_empty() {
            div { class: "post-body section-intro", dangerous_inner_html: "{section.intro_html}" }
        }
        p { class: "count", "{count}" }
        div { class: "cards",
            for post in listing.posts.iter() {
                PostCard { key: "{post.slug}", post: post.clone(), filter: Filter::default() }
            }
        }
        Pagination { kind: ListingKind::Section(path), page: listing.query.page, pages: listing.pages }
        if !section.pages.is_empty() {
            section { class: "related", aria_labelledby: "pages-heading",
                h2 { id: "pages-heading", {ui.text("section-pages")} }
                ul {
                    for page in section.pages.iter() {
                        li { key: "{page.slug}", a { href: "{page.url}", "{page.title}" } }
                    }
                }
            }
        }
    }
}
