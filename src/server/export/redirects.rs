//! Redirects on a host that runs no code: each old address (an alias, a
//! former URL, a `ref` link) becomes a small HTML page that moves the
//! reader on at once (`<meta http-equiv="refresh">`) and names the new
//! address as canonical, so search engines move their ranking over; and
//! one `_redirects` file in the form Netlify and Cloudflare Pages read,
//! where those hosts answer with a real `301`.
//!
//! Why a module of its own: the redirects are the one part of the site
//! `serve` answers with a status and a header only, so the export must
//! write them in a form of its own.

use crate::content::escape::escape_markup;

/// One redirect: the old address and where it leads, both root-relative.
pub struct Moved {
    pub from: String,
    pub to: String,
}

/// The page written at `from`'s file: a refresh to `to`, `to` (absolute,
/// under `base_url`) as canonical, and a plain link for the rest.
pub fn page(to: &str, base_url: &str, language: &str) -> String {
    let target = escape_markup(to);
    let canonical = escape_markup(&format!("{base_url}{to}"));
    let language = escape_markup(language);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{language}\"><head><meta charset=\"utf-8\"><title>Moved</title>\
<meta name=\"robots\" content=\"noindex\">\
<link rel=\"canonical\" href=\"{canonical}\">\
<meta http-equiv=\"refresh\" content=\"0; url={target}\"></head>\
<body><p>This page has moved to <a href=\"{target}\">{canonical}</a>.</p></body></html>\n"
    )
}

/// Other engines' feed addresses, which a migrated blog's subscribers
/// poll, to Quire's feeds (as `serve` answers them,
/// `crate::urls::other_engines_feed`); a host applies a rule only where
/// no file is.
const FEED_RULES: &str = "\
/feed.xml /atom.xml 301
/index.xml /rss.xml 301
/categories/:term/index.xml /category/:term/atom.xml 301
/categories/:term/feed.xml /category/:term/atom.xml 301
/tags/:term/index.xml /tags/:term/atom.xml 301
/tags/:term/feed.xml /tags/:term/atom.xml 301
/:list/index.xml /:list/atom.xml 301
/:list/feed.xml /:list/atom.xml 301
";

/// Other engines' list pages (`crate::urls::other_engines_list`): Zola's
/// and Hugo's `/categories/`, jekyll-archives' `/tag/<t>/`. (A host
/// matches them with or without the trailing slash.)
const LIST_RULES: &str = "\
/categories /category 301
/categories/:term /category/:term 301
/categories/:term/page/:n /category/:term/page/:n 301
/tag/:term /tags/:term 301
/tag/:term/page/:n /tags/:term/page/:n 301
";

/// The `_redirects` file: one `from to 301` line per redirect, in order,
/// other engines' feed addresses and list pages (the site's other
/// `taxonomies` among them), then `rules` (rewrites of the filtered
/// index, [`super::filtered`]).
pub fn redirects_file(moved: &[Moved], taxonomies: &[String], rules: &str) -> String {
    let mut text =
        String::from("# Written by `quire export`: old addresses and where they moved.\n");
    for m in moved {
        text.push_str(&format!("{} {} 301\n", m.from, m.to));
    }
    text.push_str("# Other engines' feed addresses (a migrated blog's subscribers).\n");
    text.push_str(FEED_RULES);
    text.push_str("# Other engines' list pages.\n");
    text.push_str(LIST_RULES);
    for name in taxonomies {
        text.push_str(&format!(
            "/{name} /tags 301\n/{name}/:term /tags/:term 301\n/{name}/:term/page/:n /tags/:term/page/:n 301\n"
        ));
    }
    text.push_str(
        "# The index filtered by one category or tag (Netlify matches query parameters).\n",
    );
    text.push_str(rules);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_refreshes_to_the_target_and_names_it_canonical() {
        let html = page("/blog/a&b", "https://blog.example", "en");
        assert!(
            html.contains("<meta http-equiv=\"refresh\" content=\"0; url=/blog/a&amp;b\">"),
            "{html}"
        );
        assert!(
            html.contains("<link rel=\"canonical\" href=\"https://blog.example/blog/a&amp;b\">")
        );
    }

    #[test]
    fn the_redirects_file_has_one_301_per_line() {
        let file = redirects_file(
            &[Moved {
                from: "/old".into(),
                to: "/blog/new".into(),
            }],
            &["theme-tags".into()],
            "",
        );
        assert!(file.contains("\n/old /blog/new 301\n"), "{file}");
        assert!(
            file.contains("\n/theme-tags/:term /tags/:term 301\n"),
            "{file}"
        );
    }
}
