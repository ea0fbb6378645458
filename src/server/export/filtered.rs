//! The index filtered by one category or one tag (`/?category=rust`,
//! `/page/2?tag=wasm`, and a language's `/fr?tag=pain`: the links of the
//! category chips and of the tags on cards) on a static host, which ignores query strings. Each such
//! page is exported as `serve` renders it, under `_filtered/`, and the
//! `_redirects` file gets the rules by which Netlify serves it at its own
//! address (a rewrite, status 200: the address bar keeps `?category=…`);
//! docs/DEPLOY.md has the same for nginx. Filters of several facets at
//! once are left to a server (they grow as categories × tags): the
//! export's links to them lead to one facet instead (`narrow`).
//!
//! Why a module of its own: the host rules that lead from a filtered link
//! to its file (the file itself is `web::links::static_file`, which the
//! listing island reads too).

use std::path::PathBuf;

use crate::web::links;

/// The folder filtered pages are written under.
pub const FOLDER: &str = links::FILTERED_FOLDER;

/// Netlify's rules (query parameters matched by name) from the filtered
/// links to their files.
pub const NETLIFY_RULES: &str = "\
/ category=:category /_filtered/category/:category 200
/ tag=:tag /_filtered/tag/:tag 200
/page/:n category=:category /_filtered/category/:category/page/:n 200
/page/:n tag=:tag /_filtered/tag/:tag/page/:n 200
/:lang category=:category /:lang/_filtered/category/:category 200
/:lang tag=:tag /:lang/_filtered/tag/:tag 200
/:lang/page/:n category=:category /:lang/_filtered/category/:category/page/:n 200
/:lang/page/:n tag=:tag /:lang/_filtered/tag/:tag/page/:n 200
";

/// The file of a filtered index link, when it filters by exactly one
/// category or one tag, written canonically (`category=<slug>`): the one
/// rule the listing island reads too ([`links::static_file`]).
pub fn file_for(link: &str) -> Option<PathBuf> {
    links::static_file(link).map(|file| PathBuf::from(&file[1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_facet_filters_have_a_file_and_others_do_not() {
        let cases = [
            ("/?category=rust", Some("_filtered/category/rust.html")),
            ("/?tag=wasm", Some("_filtered/tag/wasm.html")),
            (
                "/page/2?category=rust",
                Some("_filtered/category/rust/page/2.html"),
            ),
            ("/page/3?tag=wasm", Some("_filtered/tag/wasm/page/3.html")),
            ("/?category=rust&tag=wasm", None),
            ("/?category=Rust", None),
            ("/search?q=rust", None),
            ("/page/x?tag=wasm", None),
            ("/?utm_source=x", None),
            ("/fr?tag=pain", Some("fr/_filtered/tag/pain.html")),
            (
                "/fr/page/2?category=jardin",
                Some("fr/_filtered/category/jardin/page/2.html"),
            ),
            ("/fr/blog/x?tag=pain", None),
            ("/atom.xml?tag=pain", None),
        ];
        for (link, file) in cases {
            assert_eq!(file_for(link), file.map(PathBuf::from), "{link}");
        }
    }
}
