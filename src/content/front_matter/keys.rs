//! The one table of front matter keys Quire knows, from its own format and
//! from Zola's, Hugo's and Jekyll's, with what each one does here.
//!
//! A blog moved from another engine brings that engine's keys along. Keys
//! that mean something to a reader are honoured (`lastmod` is `updated`);
//! keys that only steer the other engine's templates or build (`layout`,
//! `template`, `weight`) are accepted without a word; only a key in neither
//! list is warned about. The unknown-key warning, its "did you mean" and the
//! authoring guide's table (`docs/AUTHORING.md`, checked by a test) all read
//! this one table.

/// What Quire does with a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    /// Read into the post.
    Honoured,
    /// Another engine's plumbing: accepted silently, without effect.
    Accepted,
}

/// One known key.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    /// As the engines spell it; matched without regard to case, as Hugo does.
    pub name: &'static str,
    /// Which engines write it: `quire`, `zola`, `hugo`, `jekyll`.
    pub engines: &'static str,
    pub use_: Use,
    /// What it does in Quire (or why it is accepted).
    pub meaning: &'static str,
}

const fn honoured(name: &'static str, engines: &'static str, meaning: &'static str) -> Key {
    Key {
        name,
        engines,
        use_: Use::Honoured,
        meaning,
    }
}

const fn accepted(name: &'static str, engines: &'static str, meaning: &'static str) -> Key {
    Key {
        name,
        engines,
        use_: Use::Accepted,
        meaning,
    }
}

const TEMPLATE: &str = "chooses the other engine's template; Quire has one layout";
const ORDER: &str = "orders pages in the other engine's menus and sections";
const THEME: &str = "a theme's switch (table of contents, comments, sharing, math…)";
const BUILD: &str = "steers the other engine's build or outputs";

/// Every key Quire knows, honoured first.
pub const KEYS: &[Key] = &[
    honoured(
        "title",
        "quire zola hugo jekyll",
        "the post's title (required)",
    ),
    honoured(
        "date",
        "quire zola hugo jekyll",
        "publication day; a time or offset is allowed (`2019-03-01 10:00:00 +0100`); else from a `YYYY-MM-DD-` file name",
    ),
    honoured("updated", "quire zola", "last update day"),
    honoured("lastmod", "hugo", "same as `updated`"),
    honoured("modified", "hugo", "same as `updated`"),
    honoured(
        "last_modified_at",
        "jekyll",
        "same as `updated` (jekyll-last-modified-at)",
    ),
    honoured(
        "description",
        "quire zola hugo jekyll",
        "summary for cards, feeds and meta tags",
    ),
    honoured("summary", "hugo", "`description` when that is absent"),
    honoured(
        "excerpt",
        "jekyll",
        "`description` when that and `summary` are absent",
    ),
    honoured("category", "quire jekyll", "the category"),
    honoured(
        "categories",
        "hugo jekyll",
        "the first is the category (a list, or Jekyll's space-separated text)",
    ),
    honoured(
        "tags",
        "quire zola hugo jekyll",
        "tags (a list, or Jekyll's space-separated text)",
    ),
    honoured("keywords", "hugo", "the tags when the post has none"),
    honoured(
        "taxonomies",
        "zola",
        "`tags`, `categories`, `authors` and `series` inside it are read, and the terms of those quire.toml's `taxonomies` names, as tags; others are accepted",
    ),
    honoured(
        "draft",
        "quire zola hugo",
        "`true`: shown only with `serve --drafts`",
    ),
    honoured(
        "published",
        "jekyll hugo",
        "`false` is a draft (Jekyll); a date is `publish_at` (Hugo)",
    ),
    honoured("publish_at", "quire", "hidden until this time"),
    honoured("publishDate", "hugo", "same as `publish_at`"),
    honoured("pubdate", "hugo", "same as `publish_at`"),
    honoured(
        "expiryDate",
        "hugo",
        "hidden from this time on (pages, listings, feeds, search)",
    ),
    honoured("unpublishdate", "hugo", "same as `expiryDate`"),
    honoured(
        "render",
        "zola",
        "`false`: the file is read but not published (`quire check` lists it)",
    ),
    honoured(
        "build",
        "hugo",
        "`render: never` or `link` (or `false`): read, not published, as `render = false`",
    ),
    honoured("_build", "hugo", "same as `build`"),
    honoured("headless", "hugo", "`true`: read, not published"),
    honoured("in_search_index", "zola", "`false`: left out of search"),
    honoured(
        "slug",
        "quire zola hugo jekyll",
        "the post's slug instead of the file name's",
    ),
    honoured(
        "path",
        "zola",
        "the post's own address (one of `path`, `url`, `permalink`)",
    ),
    honoured(
        "url",
        "hugo",
        "the post's own address (one of `path`, `url`, `permalink`)",
    ),
    honoured(
        "permalink",
        "jekyll",
        "the post's own address (one of `path`, `url`, `permalink`)",
    ),
    honoured(
        "aliases",
        "quire zola hugo",
        "old addresses that redirect here",
    ),
    honoured(
        "redirect_from",
        "jekyll",
        "same as `aliases` (jekyll-redirect-from)",
    ),
    honoured(
        "authors",
        "quire zola hugo",
        "author ids (see `[authors.<id>]` in quire.toml)",
    ),
    honoured(
        "author",
        "hugo jekyll",
        "an author id, or a list of them; a table's `name` is read",
    ),
    honoured("series", "quire hugo", "the series this post is a part of"),
    honoured(
        "lang",
        "quire jekyll",
        "the post's language (else a `slug.fr.md` suffix, else the site's `language`)",
    ),
    honoured(
        "translationKey",
        "hugo",
        "posts sharing it are translations of each other",
    ),
    honoured(
        "translation_key",
        "quire",
        "posts sharing it are translations of each other (else the file's path without `.fr`)",
    ),
    honoured("image", "quire jekyll", "social card image"),
    honoured("images", "hugo", "the first is the social card image"),
    honoured(
        "extra",
        "quire zola",
        "custom data, kept and never warned about",
    ),
    honoured("params", "hugo", "custom data, kept and never warned about"),
    accepted("template", "zola", TEMPLATE),
    accepted("page_template", "zola", TEMPLATE),
    accepted("layout", "hugo jekyll", TEMPLATE),
    accepted("type", "hugo", TEMPLATE),
    accepted("weight", "zola hugo", ORDER),
    accepted("sort_by", "zola", ORDER),
    accepted("paginate_by", "zola", ORDER),
    accepted("paginate_path", "zola", ORDER),
    accepted("paginate_reversed", "zola", ORDER),
    accepted("transparent", "zola", ORDER),
    accepted("generate_feeds", "zola", BUILD),
    accepted(
        "insert_anchor_links",
        "zola",
        "Quire always adds heading anchors",
    ),
    accepted("redirect_to", "zola jekyll", BUILD),
    accepted("linkTitle", "hugo", ORDER),
    accepted("menu", "hugo", ORDER),
    accepted("menus", "hugo", ORDER),
    accepted("isCJKLanguage", "hugo", BUILD),
    accepted("markup", "hugo", BUILD),
    accepted("outputs", "hugo", BUILD),
    accepted("resources", "hugo", BUILD),
    accepted("cascade", "hugo", BUILD),
    accepted("sitemap", "hugo jekyll", BUILD),
    accepted("excerpt_separator", "jekyll", BUILD),
    accepted("toc", "hugo jekyll", THEME),
    accepted("toc_label", "jekyll", THEME),
    accepted("toc_sticky", "jekyll", THEME),
    accepted("showToc", "hugo", THEME),
    accepted("tocOpen", "hugo", THEME),
    accepted("math", "hugo zola", THEME),
    accepted("mathjax", "jekyll", THEME),
    accepted("katex", "hugo zola", THEME),
    accepted("comments", "hugo jekyll", THEME),
    accepted("share", "jekyll", THEME),
    accepted("featured", "hugo", THEME),
    accepted("hidden", "hugo jekyll", THEME),
    accepted("subtitle", "hugo jekyll", THEME),
    accepted("cover", "hugo", THEME),
    accepted("header", "jekyll", THEME),
    accepted("classes", "jekyll", THEME),
    accepted("related", "jekyll", THEME),
    accepted("read_time", "jekyll", THEME),
    accepted("author_profile", "jekyll", THEME),
    accepted("ShowReadingTime", "hugo", THEME),
    accepted("ShowWordCount", "hugo", THEME),
    accepted("ShowBreadCrumbs", "hugo", THEME),
    accepted("ShowPostNavLinks", "hugo", THEME),
    accepted("ShowShareButtons", "hugo", THEME),
    accepted("disableShare", "hugo", THEME),
    accepted("hidemeta", "hugo", THEME),
    accepted("searchHidden", "hugo", THEME),
];

/// The known key `key` is, ignoring case (Hugo reads `expirydate` and
/// `expiryDate` alike).
pub fn find(key: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name.eq_ignore_ascii_case(key))
}

/// The honoured key a misspelt one most likely meant, when it is really
/// close: one edit for keys of up to five letters, two for longer ones
/// (`titel` → `title`, `descripton` → `description`; `path` is not `date`).
/// Distance is `strsim`'s Damerau-Levenshtein, as for the site
/// configuration's keys: a swap is one edit.
pub fn nearest(key: &str) -> Option<&'static str> {
    let key = key.to_ascii_lowercase();
    let allowed = if key.chars().count() <= 5 { 1 } else { 2 };
    KEYS.iter()
        .filter(|k| k.use_ == Use::Honoured)
        .map(|k| {
            (
                strsim::damerau_levenshtein(&key, &k.name.to_ascii_lowercase()),
                k.name,
            )
        })
        .filter(|(distance, _)| *distance <= allowed)
        .min()
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_whatever_their_case() {
        assert_eq!(find("expirydate").map(|k| k.name), Some("expiryDate"));
        assert_eq!(find("LAYOUT").map(|k| k.use_), Some(Use::Accepted));
        assert!(find("nonsense").is_none());
    }

    #[test]
    fn only_a_close_honoured_key_is_suggested() {
        assert_eq!(nearest("titel"), Some("title"));
        assert_eq!(nearest("descripton"), Some("description"));
        assert_eq!(nearest("tag"), Some("tags"));
        assert_eq!(nearest("authr"), Some("author"));
        // Two edits from `date` (the old rule's "did you mean `date`?" for
        // a real Zola blog's `path`): too far for a four-letter key.
        assert_eq!(nearest("note"), None);
        for far in ["colour", "banner", "foo", "zzz"] {
            assert_eq!(nearest(far), None, "{far}");
        }
    }

    #[test]
    fn every_key_is_in_the_authoring_guide() {
        let guide = include_str!("../../../docs/AUTHORING.md");
        for key in KEYS {
            assert!(
                guide.contains(&format!("`{}`", key.name)),
                "docs/AUTHORING.md does not list `{}`",
                key.name
            );
        }
    }
}
