//! The site's languages and where each one's pages live.
//!
//! A site has one default language, whose pages are at the root, and any
//! number of others (`[languages.fr]` in quire.toml, or a `slug.fr.md`
//! beside `slug.md`), each with its own index, listings, feeds and search
//! page behind a prefix (`/fr/`). A translated post's own address carries
//! the prefix from ingest on ([`Languages::prefix`], read by
//! `content::place`). The listing routes are repeated under every prefix:
//! the server takes the prefix off a request (`split`) and serves the
//! route for that language, and puts it back on the page's links
//! (`in_language`), so both directions follow one table
//! ([`is_language_route`]).

/// One language the site is written in besides its default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Language {
    /// Its tag as authors write it (`fr`, `pt-BR`).
    pub code: String,
    /// Its name in itself, for the language switcher (`Français`).
    pub name: String,
    /// Where its pages live: `/fr`, never with a trailing slash.
    pub prefix: String,
}

impl Language {
    /// A language known by its code only: its pages under `/<code>`.
    pub fn of_code(code: &str) -> Self {
        Self {
            code: code.to_string(),
            name: code.to_string(),
            prefix: format!("/{}", code.to_ascii_lowercase()),
        }
    }

    /// Its home page: `/fr/`.
    pub fn home(&self) -> String {
        self.prefix.clone()
    }
}

/// The default language and the others, with their prefixes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Languages {
    /// The default language's tag (`en`): its pages have no prefix.
    pub default: String,
    /// The others, in the owner's order.
    pub others: Vec<Language>,
}

impl Languages {
    /// The languages of the site `meta` describes.
    pub fn of(meta: &crate::model::SiteMeta) -> Self {
        let others = meta.languages.iter().map(|l| Language {
            code: l.code.clone(),
            name: l.name.clone(),
            prefix: l.prefix.clone(),
        });
        Self {
            default: meta.language.clone(),
            others: others.collect(),
        }
    }

    /// The language `code` names among the others (`fr`, `FR`), if any.
    pub fn get(&self, code: &str) -> Option<&Language> {
        self.others
            .iter()
            .find(|l| l.code.eq_ignore_ascii_case(code))
    }

    /// Whether `code` is the default language.
    pub fn is_default(&self, code: &str) -> bool {
        code.eq_ignore_ascii_case(&self.default)
    }

    /// Where the pages of language `code` live: "" for the default, its
    /// configured prefix, else `/<code>`.
    pub fn prefix(&self, code: &str) -> String {
        if self.is_default(code) {
            return String::new();
        }
        match self.get(code) {
            Some(language) => language.prefix.clone(),
            None => Language::of_code(code).prefix,
        }
    }

    /// The language whose pages `path` is among: `/fr`, or under `/fr/`.
    pub fn under(&self, path: &str) -> Option<&Language> {
        self.others.iter().find(|language| {
            let rest = path.strip_prefix(language.prefix.as_str());
            rest.is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }

    /// The language whose prefix starts `path`, and the route behind it
    /// (`/fr/category/x` → fr, `/category/x`; `/fr` and `/fr/` → fr, `/`),
    /// when that route is one every language repeats.
    pub fn split<'a>(&self, path: &'a str) -> Option<(&Language, &'a str)> {
        self.others.iter().find_map(|language| {
            let rest = path.strip_prefix(language.prefix.as_str())?;
            let rest = if rest.is_empty() { "/" } else { rest };
            (rest.starts_with('/') && is_language_route(rest)).then_some((language, rest))
        })
    }
}

/// `path` as language `prefix` serves it: behind the prefix when it is a
/// route every language repeats (`/category/x` → `/fr/category/x`, `/` →
/// `/fr`: a trailing slash is never canonical), else as it is (a post's own address already carries its
/// language, and files are the same for all).
pub fn in_language(prefix: &str, path: &str) -> Option<String> {
    if prefix.is_empty() || !is_language_route(path) {
        return None;
    }
    match path.strip_prefix('/') {
        Some(rest) if rest.is_empty() || rest.starts_with(['?', '#']) => {
            Some(format!("{prefix}{rest}"))
        }
        _ => Some(format!("{prefix}{path}")),
    }
}

/// Whether `path` (with its query, if any) is a route every language
/// repeats under its prefix: the index and its pages, categories, tags,
/// authors and the lists of each, the search page and the site's feeds.
pub fn is_language_route(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    const EXACT: &[&str] = &[
        "/",
        super::SEARCH,
        super::ATOM,
        super::RSS,
        super::JSON_FEED,
        super::TAGS,
        super::CATEGORIES,
        super::AUTHORS,
    ];
    const UNDER: &[&str] = &["/page/", "/category/", "/tags/", "/authors/"];
    EXACT.contains(&path) || UNDER.iter().any(|p| path.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Languages {
        Languages {
            default: "en".into(),
            others: vec![
                Language {
                    name: "Français".into(),
                    ..Language::of_code("fr")
                },
                Language {
                    prefix: "/nihongo".into(),
                    ..Language::of_code("ja")
                },
            ],
        }
    }

    #[test]
    fn prefixes_come_from_the_table_or_the_code() {
        let languages = site();
        assert_eq!(languages.prefix("en"), "");
        assert_eq!(languages.prefix("EN"), "");
        assert_eq!(languages.prefix("fr"), "/fr");
        assert_eq!(languages.prefix("ja"), "/nihongo");
        assert_eq!(languages.prefix("pt-BR"), "/pt-br", "not configured");
    }

    #[test]
    fn a_prefixed_listing_route_splits_and_anything_else_does_not() {
        let languages = site();
        let split = |p| languages.split(p).map(|(l, rest)| (l.code.as_str(), rest));
        assert_eq!(split("/fr"), Some(("fr", "/")));
        assert_eq!(split("/fr/"), Some(("fr", "/")));
        assert_eq!(split("/fr/page/2"), Some(("fr", "/page/2")));
        assert_eq!(
            split("/fr/category/garden"),
            Some(("fr", "/category/garden"))
        );
        assert_eq!(split("/nihongo/search"), Some(("ja", "/search")));
        assert_eq!(split("/fr/atom.xml"), Some(("fr", "/atom.xml")));
        assert_eq!(split("/fr/blog/pain"), None, "a post's own address");
        assert_eq!(split("/french/"), None);
        assert_eq!(split("/ja/"), None, "ja lives at /nihongo");
        assert_eq!(split("/category/x"), None);
        let under = |p| languages.under(p).map(|l| l.code.as_str());
        assert_eq!(under("/fr/blog/pain"), Some("fr"));
        assert_eq!(under("/fr"), Some("fr"));
        assert_eq!(under("/french"), None);
        assert_eq!(under("/blog/bread"), None);
    }

    #[test]
    fn links_take_the_prefix_back_only_on_language_routes() {
        assert_eq!(in_language("/fr", "/").as_deref(), Some("/fr"));
        assert_eq!(
            in_language("/fr", "/tags/bread?page=2").as_deref(),
            Some("/fr/tags/bread?page=2")
        );
        assert_eq!(
            in_language("/fr", "/?category=garden").as_deref(),
            Some("/fr?category=garden")
        );
        assert_eq!(in_language("/fr", "/blog/bread"), None);
        assert_eq!(in_language("/fr", "/assets/app.css"), None);
        assert_eq!(in_language("", "/"), None);
    }
}
