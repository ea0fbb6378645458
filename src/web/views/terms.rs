//! The list of every tag (`/tags`), category (`/category`) or author
//! (`/authors`): each a link to its page, with how many posts it has. Zola
//! (`taxonomy_list`) and Hugo (`terms`) publish these pages at `/tags/`,
//! `/categories/` and (an `authors` taxonomy) `/authors/`,
//! so a migrated site's readers and search engines find them again
//! (`server::redirects` leads the other engines' spellings here).

use dioxus::prelude::*;

use super::{Seo, use_ui};
use crate::model::{SiteMeta, TermKind, TermsPage};
use crate::urls;

#[component]
pub fn TermsView(page: TermsPage) -> Element {
    let meta = use_context::<SiteMeta>();
    let ui = use_ui();
    let (heading, path) = match page.kind {
        TermKind::Tags => (ui.text("tags"), urls::TAGS),
        TermKind::Categories => (ui.text("chips"), urls::CATEGORIES),
        TermKind::Authors => (ui.text("authors"), urls::AUTHORS),
    };
    let link = |slug: &str| match page.kind {
        TermKind::Tags => urls::tag(slug),
        TermKind::Categories => urls::category(slug),
        TermKind::Authors => urls::author(slug),
    };
    let shown = |name: &str| match page.kind {
        TermKind::Tags => format!("#{name}"),
        TermKind::Categories | TermKind::Authors => name.to_string(),
    };
    rsx! {
        Seo { title: "{heading} — {meta.title}", description: "{meta.description}", path: "{path}" }
        section { class: "hero", h1 { "{heading}" } }
        ul { class: "tags terms",
            for term in page.terms.iter() {
                li { key: "{term.slug}",
                    a { href: link(&term.slug), class: "tag", {shown(&term.name)} }
                    " "
                    span { class: "term-count",
                        {ui.with("listing-count", &[("count", term.count.into())])}
                    }
                }
            }
        }
    }
}
