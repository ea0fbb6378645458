//! One article: header (with its byline), series box, table of contents,
//! body, previous/next, related.
//! Every address the other routes do not claim comes here: a post's, a
//! standalone page's (`views::page`) or a section's (`views::section`) if
//! the catalog has one there, else the 404 page.

use crate::web::views::use_server_data;
use dioxus::prelude::*;

use crate::web::components::{RouteLink, href};
use serde_json::json;

use crate::api;
use crate::content::escape::escape_markup;
use crate::i18n::Ui;
use crate::model::{Addressed, AuthorLink, Post, PostSummary, SiteMeta, is_right_to_left, slugify};
use crate::web::Route;
use crate::web::views::byline::{Byline, SeriesBox};
use crate::web::views::{
    Alternates, JsonLd, NotFoundBody, SectionView, Seo, StandalonePage, TermsView, Translations,
    use_ui,
};

#[component]
pub fn Article(segments: Vec<String>) -> Element {
    let path = format!("/{}", segments.join("/"));
    // Keyed, so moving from one article to another loads the new one.
    rsx! { ArticleLoader { key: "{path}", path } }
}

#[component]
fn ArticleLoader(path: String) -> Element {
    let wanted = path.clone();
    let found = use_server_data(move || api::load(api::at(wanted.clone())))?;
    let found = found.read();
    match &*found {
        Some(Ok(Some(Addressed::Post(post)))) => rsx! { ArticlePage { post: post.clone() } },
        Some(Ok(Some(Addressed::Page(page)))) => rsx! { StandalonePage { page: page.clone() } },
        Some(Ok(Some(Addressed::Section(section)))) => {
            rsx! { SectionView { section: section.clone() } }
        }
        Some(Ok(Some(Addressed::Terms(terms)))) => rsx! { TermsView { page: terms.clone() } },
        Some(Ok(None)) => rsx! { NotFoundBody { path } },
        Some(Err(_)) => rsx! { Unavailable {} },
        None => rsx! {},
    }
}

/// The article could not be loaded: a 503, not an error text in a 200.
#[component]
fn Unavailable() -> Element {
    crate::web::set_unavailable_status();
    rsx! { p { class: "error", {use_ui().text("article-unavailable")} } }
}

#[component]
fn ArticlePage(post: Post) -> Element {
    let meta = use_context::<SiteMeta>();
    let ui = use_ui();
    let minutes = ui.with(
        "reading-time",
        &[("minutes", post.summary.reading_minutes.into())],
    );
    let summary = &post.summary;
    let category_slug = slugify(&summary.category);
    // Marked only where it differs from the page's `<html lang dir>`.
    let foreign = post.lang.clone().filter(|lang| *lang != meta.language);
    let direction = foreign
        .as_deref()
        .map(|lang| if is_right_to_left(lang) { "rtl" } else { "ltr" });
    rsx! {
        Seo {
            title: "{summary.title} — {meta.title}",
            description: "{summary.description}",
            path: summary.url.clone(),
            kind: "article",
            image: post.image.clone(),
        }
        document::Meta { property: "article:published_time", content: "{summary.date}" }
        JsonLd { value: structured_data(summary, &post.authors, post.lang.as_deref(), &meta) }
        if !post.translations.is_empty() {
            Alternates { translations: post.translations.clone() }
        }
        article { class: "post", lang: foreign.clone(), dir: direction,
            header { class: "post-header",
                nav { class: "breadcrumbs", aria_label: ui.text("breadcrumb"),
                    a { href: "/", {ui.text("home")} }
                    span { aria_hidden: "true", " / " }
                    RouteLink { to: href(&Route::Category { slug: category_slug.clone() }), "{summary.category}" }
                }
                h1 { "{summary.title}" }
                Byline { authors: post.authors.clone() }
                if !post.translations.is_empty() {
                    Translations { translations: post.translations.clone(), current: summary.url.clone() }
                }
                p { class: "card-meta",
                    time { datetime: "{summary.date}", {ui.date(summary.date, &meta.date_format)} }
                    if let Some(updated) = summary.updated {
                        span { {ui.text("updated")} " " time { datetime: "{updated}", {ui.date(updated, &meta.date_format)} } }
                    }
                    span { "{minutes}" }
                }
                p { class: "post-description", "{summary.description}" }
                if !summary.tags.is_empty() {
                    ul { class: "tags", aria_label: ui.text("tags"),
                        for tag in summary.tags.iter() {
                            li { key: "{tag}",
                                RouteLink { to: href(&Route::Tag { slug: tag.clone() }), class: "tag", "#{tag}" }
                            }
                        }
                    }
                }
            }
            if let Some(series) = &post.series {
                SeriesBox { series: series.clone() }
            }
            div { class: "post-layout",
                if !post.toc.is_empty() {
                    nav { class: "toc", aria_label: ui.text("table-of-contents"),
                        h2 { {ui.text("contents")} }
                        ol {
                            for entry in post.toc.iter() {
                                li { key: "{entry.id}", class: "toc-level-{entry.level}",
                                    a { href: "#{entry.id}", "{entry.title}" }
                                }
                            }
                        }
                    }
                }
                div { class: "post-body", dangerous_inner_html: with_copy_buttons(&post.html, &ui) }
            }
            nav { class: "post-nav", aria_label: ui.text("post-nav"),
                if let Some(newer) = &post.newer {
                    a { rel: "prev", href: "{newer.url}", span { {ui.text("newer")} } " {newer.title}" }
                }
                if let Some(older) = &post.older {
                    a { rel: "next", href: "{older.url}", span { {ui.text("older")} } " {older.title}" }
                }
            }
            if !post.related.is_empty() {
                Related { posts: post.related.clone() }
            }
        }
    }
}

#[component]
fn Related(posts: Vec<PostSummary>) -> Element {
    let format = use_context::<SiteMeta>().date_format;
    let ui = use_ui();
    rsx! {
        section { class: "related", aria_labelledby: "related-heading",
            h2 { id: "related-heading", {ui.text("related")} }
            ul {
                for post in posts.iter() {
                    li { key: "{post.slug}",
                        a { href: "{post.url}", "{post.title}" }
                        span { class: "related-meta", " · {post.category} · {ui.date(post.date, &format)}" }
                    }
                }
            }
        }
    }
}

/// Wraps each code block with a copy button: a reader's tool, added to
/// the page at render (stored HTML and feeds carry none). The button is
/// hidden by CSS until the client hydrates, since it needs JavaScript.
/// The button's text for the moments after a click is in its `data-`
/// attributes, for the client to show.
pub(super) fn with_copy_buttons(html: &str, ui: &Ui) -> String {
    let attribute = |id: &str| escape_markup(&ui.text(id));
    let button = format!(
        "<div class=\"code-block\"><button type=\"button\" class=\"copy-code\" aria-label=\"{}\" data-copied=\"{}\" data-failed=\"{}\">{}</button><pre",
        attribute("copy-label"),
        attribute("copied"),
        attribute("copy-failed"),
        escape_markup(&ui.text("copy")),
    );
    html.replace("<pre", &button)
        .replace("</pre>", "</pre></div>")
}

/// schema.org `Person`s for the post's authors (each with their page), or
/// the site's author when the post names none.
fn people(authors: &[AuthorLink], meta: &SiteMeta) -> serde_json::Value {
    if authors.is_empty() {
        return json!([{ "@type": "Person", "name": meta.author }]);
    }
    authors
        .iter()
        .map(|a| {
            let url = crate::urls::absolute(&meta.base_url, &crate::urls::author(&a.slug));
            json!({ "@type": "Person", "name": a.name, "url": url })
        })
        .collect()
}

/// schema.org `BlogPosting` plus its breadcrumb trail.
fn structured_data(
    summary: &PostSummary,
    authors: &[AuthorLink],
    lang: Option<&str>,
    meta: &SiteMeta,
) -> serde_json::Value {
    let url = crate::urls::absolute(&meta.base_url, &summary.url);
    let category = crate::urls::category(&slugify(&summary.category));
    let category =
        crate::urls::languages::in_language(meta.prefix(), &category).unwrap_or(category);
    let category_url = crate::urls::absolute(&meta.base_url, &category);
    json!({
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "BlogPosting",
                "headline": summary.title,
                "description": summary.description,
                "datePublished": summary.date,
                "dateModified": summary.updated.unwrap_or(summary.date),
                "author": people(authors, meta),
                "publisher": { "@type": "Organization", "name": meta.title },
                "url": url,
                "mainEntityOfPage": url,
                "articleSection": summary.category,
                "keywords": summary.tags.join(", "),
                "inLanguage": lang.unwrap_or(&meta.language),
            },
            {
                "@type": "BreadcrumbList",
                "itemListElement": [
                    { "@type": "ListItem", "position": 1, "name": meta.title, "item": format!("{}/", meta.base_url) },
                    { "@type": "ListItem", "position": 2, "name": summary.category, "item": category_url },
                    { "@type": "ListItem", "position": 3, "name": summary.title, "item": url },
                ]
            }
        ]
    })
}
