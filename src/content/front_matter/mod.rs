//! Front matter: splitting it from the body and reading its fields.
//!
//! TOML between `+++` lines, YAML between `---` lines and Hugo's JSON
//! object are accepted. Each is first turned into a JSON value so that one
//! set of field readers serves every format, Zola's `[taxonomies]` and Hugo's `categories` list
//! included. Pure functions: the caller supplies the text.
//!
//! Layout: `split` (where the front matter ends, on which lines), `syntax`
//! (TOML, YAML or JSON to JSON), `keys` (the one table of keys
//! Quire, Zola, Hugo and Jekyll write, honoured or accepted), `fields`
//! (typed readers and unknown keys), `dates` (the date forms accepted,
//! read into [`Date`]s); this file assembles the
//! [`FrontMatter`], where each engine's spelling of a field lands in one
//! place (`lastmod` in `updated`, `publishDate` in `publish_at`…).

mod dates;
mod fields;
pub mod keys;
pub(crate) mod split;
mod syntax;
#[cfg(test)]
mod tests;

use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use self::fields::Fields;
use super::error::ContentError;
use crate::model::Date;

pub use self::dates::{date_in_path, parse_date, parse_day, parse_instant};
pub use self::split::{Format, Split, split};

/// Validated front matter. Its default renders and is searchable.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub description: Option<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub publish_at: Option<DateTime<Utc>>,
    /// Hidden from this time on (Hugo's `expiryDate`).
    pub expires_at: Option<DateTime<Utc>>,
    /// `false` (Zola's `render = false`): read, never published.
    pub render: bool,
    /// `false` (Zola's `in_search_index = false`): left out of search.
    pub in_search_index: bool,
    pub slug: Option<String>,
    /// The post's own address: Zola's `path`, Hugo's `url` or Jekyll's
    /// `permalink`, as written.
    pub path: Option<String>,
    pub aliases: Vec<String>,
    /// Author ids as written (`authors`, `author`).
    pub authors: Vec<String>,
    pub series: Option<String>,
    /// The post's language tag as written (`lang`), checked.
    pub lang: Option<String>,
    /// What its translations share (`translation_key`, Hugo's
    /// `translationKey`); `None`: its path without a language suffix.
    pub translation_key: Option<String>,
    /// Every category named, in order (Jekyll's `:categories` in an
    /// address): `category`, Hugo's and Jekyll's `categories` (a list, or
    /// a string of space-separated names, as Jekyll reads it), Zola's.
    pub categories: Vec<String>,
    /// A standalone page rather than a post.
    pub page: bool,
    /// A page listed in the header's navigation.
    pub nav: bool,
    pub image: Option<String>,
    pub extra: Value,
}

impl Default for FrontMatter {
    fn default() -> Self {
        Self {
            title: String::new(),
            date: None,
            updated: None,
            description: None,
            category: None,
            tags: Vec::new(),
            draft: false,
            publish_at: None,
            expires_at: None,
            render: true,
            in_search_index: true,
            slug: None,
            path: None,
            aliases: Vec::new(),
            authors: Vec::new(),
            series: None,
            lang: None,
            translation_key: None,
            categories: Vec::new(),
            page: false,
            nav: false,
            image: None,
            extra: Value::Null,
        }
    }
}

/// Parses and validates the front matter text. Returns the fields and the
/// warnings (unknown keys) that do not stop the post from being published.
/// The front matter as a table of values (JSON's), whatever its syntax.
pub fn table(path: &Path, split: &Split<'_>) -> Result<Value, ContentError> {
    syntax::to_json(path, split)
}

pub fn parse(
    path: &Path,
    split: &Split<'_>,
) -> Result<(FrontMatter, Vec<ContentError>), ContentError> {
    parse_with(path, split, &[])
}

/// [`parse`] for a site that reads the old engine's other `taxonomies`
/// (quire.toml): their terms are the post's tags too.
pub fn parse_with(
    path: &Path,
    split: &Split<'_>,
    taxonomies: &[String],
) -> Result<(FrontMatter, Vec<ContentError>), ContentError> {
    let table = syntax::to_json(path, split)?;
    let Value::Object(map) = table else {
        return Err(ContentError::new(
            path,
            Some(split.front_line),
            "front matter is not a table of fields",
            "write `key = value` lines (TOML) or `key: value` lines (YAML)",
        ));
    };
    let fields = Fields {
        path,
        front: split.front,
        front_line: split.front_line,
        map: &map,
    };
    let warnings = fields.unknown_keys(taxonomies);
    let (category, mut tags) = category_and_tags(&fields, &map)?;
    tags.extend(other_terms(&fields, &map, taxonomies)?);
    dedup_preserving_order(&mut tags);
    let categories = all_categories(&fields, &map)?;
    let front = FrontMatter {
        title: title(&fields)?,
        date: fields.date("date")?,
        updated: first_date(
            &fields,
            &["updated", "lastmod", "modified", "last_modified_at"],
        )?,
        description: first_string(&fields, &["description", "summary", "excerpt"])?,
        category,
        categories,
        tags,
        draft: fields.bool("draft")? || published(&fields)? == Some(false),
        publish_at: publish_at(&fields)?,
        expires_at: first_instant(&fields, &["expiryDate", "unpublishdate"])?,
        render: !fields.is_false("render")? && !hugo_unrendered(&fields),
        in_search_index: !fields.is_false("in_search_index")?,
        slug: fields.string("slug")?,
        path: own_path(&fields)?,
        aliases: aliases(&fields)?,
        authors: authors(&fields, &map)?,
        series: series(&fields, &map)?,
        lang: lang(&fields)?,
        translation_key: first_string(&fields, &["translation_key", "translationKey"])?
            .map(|key| key.trim().to_string())
            .filter(|key| !key.is_empty()),
        page: fields.bool("page")?,
        nav: fields.bool("nav")?,
        image: image(&fields)?,
        extra: map.get("extra").cloned().unwrap_or(Value::Null),
    };
    Ok((front, warnings))
}

fn first_string(fields: &Fields<'_>, keys: &[&str]) -> Result<Option<String>, ContentError> {
    for key in keys {
        if let Some(value) = fields.string(key)? {
            return Ok(Some(value));
        }
    }
    Ok(None)
}

fn first_date(fields: &Fields<'_>, keys: &[&str]) -> Result<Option<Date>, ContentError> {
    for key in keys {
        if let Some(value) = fields.date(key)? {
            return Ok(Some(value));
        }
    }
    Ok(None)
}

fn first_instant(
    fields: &Fields<'_>,
    keys: &[&str],
) -> Result<Option<DateTime<Utc>>, ContentError> {
    for key in keys {
        if let Some(value) = fields.instant(key)? {
            return Ok(Some(value));
        }
    }
    Ok(None)
}

/// `published`: Jekyll's flag (`false` is a draft), or Hugo's alias of
/// `publishDate`. `Some(flag)` for the flag, `None` otherwise.
fn published(fields: &Fields<'_>) -> Result<Option<bool>, ContentError> {
    match fields.value("published") {
        Some(Value::Bool(flag)) => Ok(Some(*flag)),
        _ => Ok(None),
    }
}

/// `publish_at`, else Hugo's `publishDate`, `pubdate` or a dated `published`.
fn publish_at(fields: &Fields<'_>) -> Result<Option<DateTime<Utc>>, ContentError> {
    let hugo = if published(fields)?.is_some() {
        None
    } else {
        fields.instant("published")?
    };
    Ok(first_instant(fields, &["publish_at", "publishDate", "pubdate"])?.or(hugo))
}

/// `authors`, `author` and Zola's `[taxonomies] authors`, each once.
fn authors(fields: &Fields<'_>, map: &Map<String, Value>) -> Result<Vec<String>, ContentError> {
    let mut ids = [fields.names("authors")?, fields.names("author")?].concat();
    if let Some(zola) = taxonomy(map, "authors") {
        ids.extend(fields.list_of("taxonomies", zola)?);
    }
    ids.retain(|id| !id.trim().is_empty());
    dedup_preserving_order(&mut ids);
    Ok(ids)
}

/// `series`, else the first of Hugo's `series` list or Zola's taxonomy.
fn series(fields: &Fields<'_>, map: &Map<String, Value>) -> Result<Option<String>, ContentError> {
    let listed = match (fields.value("series"), taxonomy(map, "series")) {
        (Some(Value::Array(_)), _) => fields.string_list("series")?,
        (Some(_), _) => return fields.string("series"),
        (None, Some(zola)) => fields.list_of("taxonomies", zola)?,
        (None, None) => Vec::new(),
    };
    Ok(listed.into_iter().next())
}

/// `lang`: a language tag (`fr`, `pt-BR`; a POSIX `zh_CN` is read as
/// `zh-CN`), what search and reading time go by.
fn lang(fields: &Fields<'_>) -> Result<Option<String>, ContentError> {
    let written = fields.string("lang")?;
    match written.as_deref().map(crate::content::language::written_tag) {
        Some(Some(tag)) => Ok(Some(tag)),
        Some(None) => Err(fields.error(
            "lang",
            format!("`lang = \"{}\"` is not a language tag", written.unwrap_or_default()),
            "write a tag such as `lang = \"fr\"` or `lang = \"pt-BR\"`, or remove it to use the site's `language`".into(),
        )),
        None => Ok(None),
    }
}

/// `image`, else the first of Hugo's `images`.
fn image(fields: &Fields<'_>) -> Result<Option<String>, ContentError> {
    match fields.string("image")? {
        Some(image) => Ok(Some(image)),
        None => Ok(fields.string_list("images")?.into_iter().next()),
    }
}

fn taxonomy<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.get("taxonomies")
        .and_then(Value::as_object)
        .and_then(|t| t.get(name))
}

/// What a section's `_index.md` says about it: its title and description,
/// if set. Its other keys (sorting, templates, pagination, feeds of the
/// engine it was written for) are accepted as they are: Quire lists a
/// section newest first and has its own feeds.
pub fn section_fields(
    path: &Path,
    split: &Split<'_>,
) -> Result<(Option<String>, Option<String>), ContentError> {
    let Value::Object(map) = syntax::to_json(path, split)? else {
        return Ok((None, None));
    };
    let fields = Fields {
        path,
        front: split.front,
        front_line: split.front_line,
        map: &map,
    };
    Ok((fields.string("title")?, fields.string("description")?))
}

/// The category (`category`, else the first of Hugo's or Jekyll's
/// `categories` or Zola's `[taxonomies] categories`) and the tags (`tags`
/// and Zola's `[taxonomies] tags`, each once, in order; Hugo's `keywords`
/// when there are none), then every other category named.
fn category_and_tags(
    fields: &Fields<'_>,
    map: &Map<String, Value>,
) -> Result<(Option<String>, Vec<String>), ContentError> {
    let mut tags = fields.terms("tags")?;
    if let Some(zola_tags) = taxonomy(map, "tags") {
        tags.extend(fields.list_of("taxonomies", zola_tags)?);
    }
    if tags.is_empty() {
        tags = fields.string_list("keywords")?;
    }
    let listed = fields.terms("categories")?;
    let zola = match taxonomy(map, "categories") {
        Some(value) => fields.list_of("taxonomies", value)?,
        None => Vec::new(),
    };
    let mut named = fields
        .string("category")?
        .into_iter()
        .chain(listed)
        .chain(zola);
    let category = named.next();
    let named = named.filter(|other| Some(other) != category.as_ref());
    // A post has one category; the others it names stay on it as tags,
    // so their posts keep a list of their own (`/tags/<c>`, where the
    // other engine's `/categories/<c>` leads).
    tags.extend(named.collect::<Vec<_>>());
    dedup_preserving_order(&mut tags);
    Ok((category, tags))
}

/// The terms of the site's other `taxonomies`, each under Zola's
/// `[taxonomies]` or as a key of its own (Hugo's `series = ["x"]`, or
/// one term as text).
fn other_terms(
    fields: &Fields<'_>,
    map: &Map<String, Value>,
    taxonomies: &[String],
) -> Result<Vec<String>, ContentError> {
    let mut terms = Vec::new();
    for name in taxonomies {
        if let Some(zola) = taxonomy(map, name) {
            terms.extend(fields.list_of("taxonomies", zola)?);
        }
        match fields.value(name) {
            Some(Value::String(one)) => terms.push(one.trim().to_string()),
            Some(_) => terms.extend(fields.string_list(name)?),
            None => {}
        }
    }
    terms.retain(|term| !term.is_empty());
    Ok(terms)
}

/// Former addresses: `aliases` (Zola, Hugo) and `redirect_from` (Jekyll).
fn aliases(fields: &Fields<'_>) -> Result<Vec<String>, ContentError> {
    let mut aliases = fields.string_list("aliases")?;
    aliases.extend(fields.string_list("redirect_from")?);
    Ok(aliases)
}

/// The address the post gives itself, from whichever of the three
/// engines' keys is present; two of them at once is an error.
fn own_path(fields: &Fields<'_>) -> Result<Option<String>, ContentError> {
    let mut found: Option<(&str, String)> = None;
    for key in ["path", "url", "permalink"] {
        let Some(value) = fields.string(key)? else {
            continue;
        };
        if let Some((first, _)) = &found {
            return Err(fields.error(
                key,
                format!("`{first}` and `{key}` both set the post's address"),
                format!("keep one of `{first}` and `{key}`"),
            ));
        }
        let path = crate::urls::permalink::normalize(&value).ok_or_else(|| {
            fields.error(
                key,
                format!("`{key} = \"{value}\"` is not a path on this site"),
                format!("write a path such as `{key} = \"/2019/03/my-post/\"`: no scheme or host, no `..`, `?` or `#`"),
            )
        })?;
        found = Some((key, path));
    }
    Ok(found.map(|(_, path)| path))
}

/// Every category named: see [`FrontMatter::categories`].
fn all_categories(
    fields: &Fields<'_>,
    map: &Map<String, Value>,
) -> Result<Vec<String>, ContentError> {
    let mut all: Vec<String> = fields.string("category")?.into_iter().collect();
    all.extend(fields.terms("categories")?);
    if let Some(zola) = taxonomy(map, "categories") {
        all.extend(fields.list_of("taxonomies", zola)?);
    }
    dedup_preserving_order(&mut all);
    Ok(all)
}

/// Hugo writes no page for a file whose `build` (or `_build`) says
/// `render: never` (or `link`, a page only menus link to, or `false`), nor
/// for a `headless` bundle: Zola's `render = false`.
fn hugo_unrendered(fields: &Fields) -> bool {
    let options = fields.value("build").or_else(|| fields.value("_build"));
    let render = options.and_then(|build| {
        let map = build.as_object()?;
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("render"))
            .map(|(_, v)| v)
    });
    let unrendered = match render {
        Some(serde_json::Value::Bool(flag)) => !flag,
        Some(serde_json::Value::String(text)) => {
            matches!(text.as_str(), "never" | "link" | "false")
        }
        _ => false,
    };
    unrendered
        || matches!(
            fields.value("headless"),
            Some(serde_json::Value::Bool(true))
        )
}

/// The non-blank `title`, else empty: the post is then titled from
/// itself (`content::untitled`, which also keeps Jekyll's rule).
fn title(fields: &Fields<'_>) -> Result<String, ContentError> {
    let title = fields.string("title")?.filter(|t| !t.trim().is_empty());
    Ok(title.unwrap_or_default())
}

fn dedup_preserving_order(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|item| seen.insert(item.clone()));
}
