//! The theme laid onto a rendered page, as lol_html handlers added to
//! `page_rewrite`'s one pass: the logo in place of the site's name, the
//! footer text and partials where they go, an icon before each social
//! link, Quire's favicon out when the owner has one (dates are written
//! in the owner's format by the views themselves, `model::Date::shown`,
//! so a listing the client swaps in shows them the same way). Every insertion is HTML the theme made or sanitised.

use lol_html::html_content::ContentType;
use lol_html::{Settings, element};

use super::Theme;
use super::partials::Partials;
use crate::content::escape::escape_markup;

/// `settings` with the handlers `theme` and `partials` need.
pub fn handlers<'h>(
    settings: Settings<'h, 'static>,
    theme: &'h Theme,
    partials: &'h Partials,
) -> Settings<'h, 'static> {
    let settings = header(settings, theme);
    let settings = body_partials(settings, theme, partials);
    footer(settings, theme, partials)
}

/// Quire's favicon out when the owner has one; the logo in the header.
fn header<'h>(mut settings: Settings<'h, 'static>, theme: &'h Theme) -> Settings<'h, 'static> {
    if theme.favicon {
        settings = settings.append_element_content_handler(element!("link[rel=\"icon\"]", |el| {
            el.remove();
            Ok(())
        }));
    }
    if let Some(logo) = logo_markup(theme) {
        settings = settings.append_element_content_handler(element!("a.site-name", move |el| {
            el.set_inner_content(&logo, ContentType::Html);
            el.set_attribute("class", "site-name site-name-logo")?;
            Ok(())
        }));
    }
    settings
}

/// The header partial under the header, the article-end one after a
/// post's body, the 404 one in place of the 404 page's first paragraph.
fn body_partials<'h>(
    mut settings: Settings<'h, 'static>,
    theme: &'h Theme,
    partials: &'h Partials,
) -> Settings<'h, 'static> {
    let places = [
        (
            &partials.header,
            "header.site-header",
            "partial-header",
            Place::After,
        ),
        (
            &partials.article_end,
            "div.post-body",
            "partial-article-end",
            Place::After,
        ),
        (
            &partials.not_found,
            "section.not-found > p:first-of-type",
            "partial-404",
            Place::Replace,
        ),
    ];
    let label = theme.notice_label.clone();
    for (html, selector, class, place) in places {
        let Some(html) = html else { continue };
        // Outside every landmark, the header partial is one of its own.
        let block = match place {
            Place::After if class == "partial-header" => {
                format!("<aside class=\"partial {class}\" aria-label=\"{label}\">{html}</aside>")
            }
            _ => block(&format!("partial {class}"), html),
        };
        settings = settings.append_element_content_handler(element!(selector, move |el| {
            match place {
                Place::After => el.after(&block, ContentType::Html),
                Place::Replace => el.replace(&block, ContentType::Html),
            }
            Ok(())
        }));
    }
    settings
}

#[derive(Clone, Copy)]
enum Place {
    After,
    Replace,
}

/// The footer text in place of Quire's line, the footer partial after
/// the links, and an icon before each social link of a known kind.
fn footer<'h>(
    mut settings: Settings<'h, 'static>,
    theme: &'h Theme,
    partials: &'h Partials,
) -> Settings<'h, 'static> {
    if let Some(html) = &theme.footer {
        let block = block("site-footer-text", html);
        settings = settings.append_element_content_handler(element!(
            "footer.site-footer > p",
            move |el| {
                el.replace(&block, ContentType::Html);
                Ok(())
            }
        ));
    }
    if let Some(html) = &partials.footer {
        let block = block("partial partial-footer", html);
        settings =
            settings.append_element_content_handler(element!("footer.site-footer", move |el| {
                el.append(&block, ContentType::Html);
                Ok(())
            }));
    }
    if !theme.social.is_empty() {
        settings = settings.append_element_content_handler(element!(
            "footer.site-footer a[rel=\"me\"]",
            move |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                let kind = theme.social.iter().find(|(url, _)| *url == href);
                if let Some(svg) = kind.and_then(|(_, kind)| super::icons::svg(kind)) {
                    el.prepend(&svg, ContentType::Html);
                }
                Ok(())
            }
        ));
    }
    settings
}

fn block(class: &str, html: &str) -> String {
    format!("<div class=\"{class}\">{html}</div>")
}

/// The logo (and the dark one, shown in the dark scheme instead), sized,
/// its `alt` the site's title; `None` without a logo.
fn logo_markup(theme: &Theme) -> Option<String> {
    let alt = escape_markup(&theme.title);
    let img = |logo: &super::Logo, class: &str| {
        format!(
            "<img class=\"{class}\" src=\"{}\" width=\"{}\" height=\"{}\" alt=\"{alt}\">",
            logo.asset.address, logo.width, logo.height
        )
    };
    match (&theme.logo, &theme.logo_dark) {
        (Some(light), Some(dark)) => Some(format!(
            "{}{}",
            img(light, "site-logo site-logo-light"),
            img(dark, "site-logo site-logo-dark")
        )),
        (Some(one), None) | (None, Some(one)) => Some(img(one, "site-logo")),
        (None, None) => None,
    }
}
