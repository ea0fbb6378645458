//! An author's page (`/authors/<slug>`, `/authors/<slug>/page/<n>`): who
//! they are (name, picture, bio, link, feed) and their posts, newest
//! first, paginated like a tag's. 404 when no visible post names them.
//! Server-rendered only: the islands client does not mount on it, so its
//! page links are plain links.

use dioxus::prelude::*;

use crate::api;
use crate::model::{AuthorPage, SiteMeta};
use crate::urls;
use crate::web::views::{NotFoundBody, PostCard, Seo, use_server_data, use_ui};
use crate::web::{Filter, set_unavailable_status};

#[component]
pub fn Author(slug: String) -> Element {
    rsx! { AuthorLoader { key: "{slug}", slug, page: 1 } }
}

#[component]
pub fn AuthorPagination(slug: String, page: u32) -> Element {
    rsx! { AuthorLoader { key: "{slug}/{page}", slug, page } }
}

#[component]
fn AuthorLoader(slug: String, page: u32) -> Element {
    let wanted = slug.clone();
    let data = use_server_data(move || api::load(api::author(wanted.clone(), page)))?;
    let data = data.read();
    match &*data {
        Some(Ok(Some(data))) => rsx! { AuthorView { data: data.clone() } },
        Some(Ok(None)) => rsx! { NotFoundBody { path: urls::author(&slug) } },
        Some(Err(_)) => {
            set_unavailable_status();
            rsx! { p { class: "error", {use_ui().text("listing-unavailable")} } }
        }
        None => rsx! {},
    }
}

#[component]
fn AuthorView(data: AuthorPage) -> Element {
    let meta = use_context::<SiteMeta>();
    let ui = use_ui();
    let author = &data.author;
    let listing = &data.listing;
    let page = listing.query.page;
    let path = page_path(&author.slug, page);
    let description = data.bio.clone().unwrap_or_else(|| {
        let (name, site) = ((&author.name).into(), (&meta.title).into());
        ui.with("author-description", &[("name", name), ("site", site)])
    });
    let count = ui.with("author-articles", &[("count", listing.total.into())]);
    let name = ("name", (&author.name).into());
    let newer = ui.text("newer");
    let older = ui.text("older");
    let page_of = ui.with(
        "page-of",
        &[("page", page.into()), ("pages", listing.pages.into())],
    );
    rsx! {
        Seo { title: "{author.name} — {meta.title}", description: "{description}", path: "{path}", kind: "profile" }
        document::Link { rel: "alternate", r#type: "application/atom+xml", title: "{author.name}", href: urls::author_feed(&author.slug) }
        nav { class: "breadcrumbs author-breadcrumbs", aria_label: ui.text("breadcrumb"),
            a { href: "/", {ui.text("home")} }
            span { aria_hidden: "true", " / " }
            a { href: urls::AUTHORS, {ui.text("authors")} }
        }
        header { class: "author-header",
            if let Some(avatar) = &data.avatar {
                img { class: "author-avatar", src: "{avatar}", alt: "", width: "96", height: "96" }
            }
            h1 { "{author.name}" }
            if let Some(bio) = &data.bio {
                p { class: "author-bio", "{bio}" }
            }
            p { class: "author-links",
                if let Some(url) = &data.url {
                    a { rel: "me", href: "{url}", {ui.text("author-website")} }
                    " · "
                }
                a { href: urls::author_feed(&author.slug), {ui.text("author-feed")} }
                " · {count}"
            }
        }
        section { class: "listing", aria_label: ui.with("author-listing", &[name]),
            for post in listing.posts.iter() {
                PostCard { key: "{post.slug}", post: post.clone(), filter: Filter::default() }
            }
        }
        if listing.pages > 1 {
            nav { class: "pagination", aria_label: ui.text("pagination"),
                if page > 1 {
                    a { rel: "prev", class: "page-step", href: page_path(&author.slug, page - 1), "{newer}" }
                }
                span { class: "page-current", aria_current: "page", " {page_of} " }
                if page < listing.pages {
                    a { rel: "next", class: "page-step", href: page_path(&author.slug, page + 1), "{older}" }
                }
            }
        }
    }
}

/// Page 1 is the author's own address; later pages add `/page/<n>`.
fn page_path(slug: &str, page: u32) -> String {
    match page {
        0 | 1 => urls::author(slug),
        page => urls::author_page(slug, page),
    }
}
