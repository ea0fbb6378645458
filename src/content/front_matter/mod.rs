//! Front matter: splitting it from the body and reading its fields.
//!
//! TOML between `+++` lines and YAML between `---` lines are both accepted.
//! Either is first turned into a JSON value so that one set of field readers
//! serves both formats, Zola's `[taxonomies]` and Hugo's `categories` list
//! included. Pure functions: the caller supplies the text.
//!
//! Layout: `syntax` (TOML or YAML to JSON), `fields` (typed readers and
//! unknown keys), `dates` (the date forms accepted, read into [`Date`]s);
//! this file splits the text and assembles the [`FrontMatter`].

mod dates;
mod fields;
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

/// Which syntax the front matter was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
}

/// Front matter text and body, split apart.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub format: Format,
    pub front: &'a str,
    pub body: &'a str,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
}

/// Validated front matter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub description: Option<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub publish_at: Option<DateTime<Utc>>,
    pub slug: Option<String>,
    pub aliases: Vec<String>,
    /// The post's own address as another engine wrote it: Zola's `path`,
    /// Hugo's `url` or Jekyll's `permalink` (at most one of them).
    pub path: Option<String>,
    pub series: Option<String>,
    /// A standalone page rather than a post.
    pub page: bool,
    /// A page listed in the header's navigation.
    pub nav: bool,
    pub image: Option<String>,
    pub extra: Value,
}

/// Separates front matter from the body. The opening delimiter must be the
/// file's first line (a UTF-8 byte order mark is tolerated).
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, ContentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or("").trim_end();
    let (format, delimiter) = match first_line {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ => {
            return Err(ContentError::new(
                path,
                Some(1),
                "no front matter found",
                "start the file with a `+++` line, then `title = \"…\"`, then a closing `+++` line (or use `---` and YAML)",
            ));
        }
    };
    let after_open = &text[first_line.len()..];
    let after_open = after_open
        .strip_prefix("\r\n")
        .or_else(|| after_open.strip_prefix('\n'))
        .unwrap_or(after_open);
    let mut offset = 0;
    for (index, line) in after_open.split_inclusive('\n').enumerate() {
        if line.trim_end() == delimiter {
            let front = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            return Ok(Split {
                format,
                front,
                body,
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err(ContentError::new(
        path,
        Some(1),
        format!("front matter opened with `{delimiter}` on line 1 is never closed"),
        format!("add a line containing only `{delimiter}` after the last front matter field"),
    ))
}

/// Parses and validates the front matter text. Returns the fields and the
/// warnings (unknown keys) that do not stop the post from being published.
pub fn parse(
    path: &Path,
    split: &Split<'_>,
) -> Result<(FrontMatter, Vec<ContentError>), ContentError> {
    let table = syntax::to_json(path, split)?;
    let Value::Object(map) = table else {
        return Err(ContentError::new(
            path,
            Some(2),
            "front matter is not a table of fields",
            "write `key = value` lines (TOML) or `key: value` lines (YAML)",
        ));
    };
    let fields = Fields {
        path,
        front: split.front,
        map: &map,
    };
    let warnings = fields.unknown_keys();
    let (category, tags) = category_and_tags(&fields, &map)?;
    let front = FrontMatter {
        title: title(&fields)?,
        date: fields.date("date")?,
        updated: fields.date("updated")?,
        description: fields.string("description")?,
        category,
        tags,
        draft: fields.bool("draft")?,
        publish_at: fields.instant("publish_at")?,
        slug: fields.string("slug")?,
        aliases: aliases(&fields)?,
        path: own_path(&fields)?,
        series: fields.string("series")?,
        page: fields.bool("page")?,
        nav: fields.bool("nav")?,
        image: fields.string("image")?,
        extra: map.get("extra").cloned().unwrap_or(Value::Null),
    };
    Ok((front, warnings))
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
        map: &map,
    };
    Ok((fields.string("title")?, fields.string("description")?))
}

/// The category (`category`, else the first of Hugo's `categories` or
/// Zola's `[taxonomies] categories`) and the tags (`tags` and Zola's
/// `[taxonomies] tags`, each once, in order).
fn category_and_tags(
    fields: &Fields<'_>,
    map: &Map<String, Value>,
) -> Result<(Option<String>, Vec<String>), ContentError> {
    let taxonomies = map.get("taxonomies").and_then(Value::as_object);
    let mut tags = fields.string_list("tags")?;
    if let Some(zola_tags) = taxonomies.and_then(|t| t.get("tags")) {
        tags.extend(fields.list_of("taxonomies", zola_tags)?);
    }
    let mut category = fields.string("category")?;
    if category.is_none() {
        let hugo = fields.string_list("categories")?;
        let zola = match taxonomies.and_then(|t| t.get("categories")) {
            Some(value) => fields.list_of("taxonomies", value)?,
            None => Vec::new(),
        };
        category = hugo.into_iter().chain(zola).next();
    }
    dedup_preserving_order(&mut tags);
    Ok((category, tags))
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

/// The required, non-blank `title`.
fn title(fields: &Fields<'_>) -> Result<String, ContentError> {
    fields
        .string("title")?
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| {
            ContentError::new(
                fields.path,
                Some(2),
                "the required field `title` is missing or empty",
                "add `title = \"Your title\"` to the front matter",
            )
        })
}

fn dedup_preserving_order(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|item| seen.insert(item.clone()));
}
