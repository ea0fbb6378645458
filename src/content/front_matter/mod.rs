//! Front matter: splitting it from the body and reading its fields.
//!
//! TOML between `+++` lines and YAML between `---` lines are both accepted.
//! Either is first turned into a JSON value so that one set of field readers
//! serves both formats, Zola's `[taxonomies]` and Hugo's `categories` list
//! included. Pure functions: the caller supplies the text.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use super::error::ContentError;

/// The fields Quire understands; anything else is reported as a warning.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "description",
    "category",
    "categories",
    "tags",
    "draft",
    "publish_at",
    "slug",
    "aliases",
    "series",
    "image",
    "extra",
    "taxonomies",
];

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
    pub date: Option<NaiveDate>,
    pub updated: Option<NaiveDate>,
    pub description: Option<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub publish_at: Option<DateTime<Utc>>,
    pub slug: Option<String>,
    pub aliases: Vec<String>,
    pub series: Option<String>,
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
    let table = to_json(path, split)?;
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
    let title = fields
        .string("title")?
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| {
            ContentError::new(
                path,
                Some(2),
                "the required field `title` is missing or empty",
                "add `title = \"Your title\"` to the front matter",
            )
        })?;
    let front = FrontMatter {
        title,
        date: fields.date("date")?,
        updated: fields.date("updated")?,
        description: fields.string("description")?,
        category,
        tags,
        draft: fields.bool("draft")?,
        publish_at: fields.instant("publish_at")?,
        slug: fields.string("slug")?,
        aliases: fields.string_list("aliases")?,
        series: fields.string("series")?,
        image: fields.string("image")?,
        extra: map.get("extra").cloned().unwrap_or(Value::Null),
    };
    Ok((front, warnings))
}

fn to_json(path: &Path, split: &Split<'_>) -> Result<Value, ContentError> {
    match split.format {
        Format::Toml => {
            let table: toml::Table = toml::from_str(split.front).map_err(|err| {
                let line = err
                    .span()
                    .map(|span| line_of_offset(split.front, span.start) + 2);
                ContentError::new(
                    path,
                    line,
                    format!("invalid TOML front matter: {}", err.message()),
                    "check quoting and `key = value` syntax on that line",
                )
            })?;
            Ok(toml_to_json(toml::Value::Table(table)))
        }
        Format::Yaml => {
            if split.front.trim().is_empty() {
                return Ok(Value::Object(Map::new()));
            }
            serde_norway::from_str::<Value>(split.front).map_err(|err| {
                let line = err.location().map(|loc| loc.line() + 1);
                let message = err.to_string();
                let message = message
                    .split(" at line")
                    .next()
                    .unwrap_or(&message)
                    .to_string();
                ContentError::new(
                    path,
                    line,
                    format!("invalid YAML front matter: {message}"),
                    "check indentation and `key: value` syntax on that line",
                )
            })
        }
    }
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

/// 0-based line number of a byte offset.
fn line_of_offset(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count()
}

fn dedup_preserving_order(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|item| seen.insert(item.clone()));
}

/// Typed readers over the front matter map, producing errors that point at
/// the line where the key was written.
struct Fields<'a> {
    path: &'a Path,
    front: &'a str,
    map: &'a Map<String, Value>,
}

impl Fields<'_> {
    /// File line of `key`: the opening delimiter is line 1.
    fn line_of(&self, key: &str) -> Option<usize> {
        self.front
            .lines()
            .position(|line| {
                let line = line.trim_start();
                line.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(['=', ':']))
            })
            .map(|index| index + 2)
    }

    fn error(&self, key: &str, message: String, fix: String) -> ContentError {
        ContentError::new(self.path, self.line_of(key).or(Some(2)), message, fix)
    }

    fn unknown_keys(&self) -> Vec<ContentError> {
        self.map
            .keys()
            .filter(|key| !KNOWN_KEYS.contains(&key.as_str()))
            .map(|key| {
                let fix = match nearest_known_key(key) {
                    Some(known) => format!("did you mean `{known}`? Unknown keys are ignored; put custom data under `extra`"),
                    None => "remove it or move it under `extra`".to_string(),
                };
                self.error(key, format!("unknown front matter key `{key}`"), fix)
            })
            .collect()
    }

    fn string(&self, key: &str) -> Result<Option<String>, ContentError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(other) => Err(self.error(
                key,
                format!("`{key}` must be text, found {}", kind(other)),
                format!("write `{key} = \"…\"`"),
            )),
        }
    }

    fn bool(&self, key: &str) -> Result<bool, ContentError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(self.error(
                key,
                format!("`{key}` must be true or false, found {}", kind(other)),
                format!("write `{key} = true` or `{key} = false` without quotes"),
            )),
        }
    }

    fn string_list(&self, key: &str) -> Result<Vec<String>, ContentError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(value) => self.list_of(key, value),
        }
    }

    fn list_of(&self, key: &str, value: &Value) -> Result<Vec<String>, ContentError> {
        let bad = || {
            self.error(
                key,
                format!("`{key}` must be a list of text values"),
                format!("write `{key} = [\"one\", \"two\"]`"),
            )
        };
        match value {
            Value::String(s) => Ok(vec![s.clone()]),
            Value::Array(items) => items
                .iter()
                .map(|item| item.as_str().map(str::to_string).ok_or_else(bad))
                .collect(),
            _ => Err(bad()),
        }
    }

    fn date(&self, key: &str) -> Result<Option<NaiveDate>, ContentError> {
        let Some(text) = self.string(key)? else {
            return Ok(None);
        };
        parse_date(&text).map(Some).ok_or_else(|| {
            self.error(key, format!("`{key}` has an unreadable date `{text}`"), format!("write `{key} = 2026-01-31` (YYYY-MM-DD) or an RFC 3339 time like 2026-01-31T09:00:00Z"))
        })
    }

    fn instant(&self, key: &str) -> Result<Option<DateTime<Utc>>, ContentError> {
        let Some(text) = self.string(key)? else {
            return Ok(None);
        };
        parse_instant(&text).map(Some).ok_or_else(|| {
            self.error(
                key,
                format!("`{key}` has an unreadable time `{text}`"),
                format!("write `{key} = 2026-01-31T09:00:00Z` (RFC 3339) or a date YYYY-MM-DD"),
            )
        })
    }
}

/// Accepts `YYYY-MM-DD` or an RFC 3339 timestamp (its date part is kept).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| {
            DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|t| t.date_naive())
        })
        .or_else(|| {
            text.get(..10)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .filter(|_| text.as_bytes().get(10) == Some(&b'T'))
        })
}

/// Accepts an RFC 3339 timestamp, or a date meaning midnight UTC.
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    }
}

/// The known key closest to a misspelt one, if any is close enough to suggest.
fn nearest_known_key(key: &str) -> Option<&'static str> {
    KNOWN_KEYS
        .iter()
        .map(|known| (edit_distance(key, known), *known))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, known)| known)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<(FrontMatter, Vec<ContentError>), ContentError> {
        let path = Path::new("post.md");
        parse(path, &split(path, text)?)
    }

    #[test]
    fn reads_toml_front_matter() {
        let (front, warnings) = parse_text("+++\ntitle = \"Hello\"\ndate = 2026-03-01\ntags = [\"a\", \"b\"]\ncategory = \"Rust\"\n+++\nBody").unwrap();
        assert_eq!(front.title, "Hello");
        assert_eq!(front.date, NaiveDate::from_ymd_opt(2026, 3, 1));
        assert_eq!(front.tags, ["a", "b"]);
        assert_eq!(front.category.as_deref(), Some("Rust"));
        assert!(warnings.is_empty());
    }

    #[test]
    fn reads_yaml_front_matter() {
        let (front, _) =
            parse_text("---\ntitle: \"Hello\"\ndate: 2026-03-01T10:00:00Z\ntags: [a]\n---\nBody")
                .unwrap();
        assert_eq!(front.title, "Hello");
        assert_eq!(front.date, NaiveDate::from_ymd_opt(2026, 3, 1));
        assert_eq!(front.tags, ["a"]);
    }

    #[test]
    fn accepts_zola_taxonomies_and_hugo_categories() {
        let (zola, _) = parse_text(
            "+++\ntitle = \"Z\"\n[taxonomies]\ntags = [\"x\"]\ncategories = [\"Ops\"]\n+++\n",
        )
        .unwrap();
        assert_eq!(
            (zola.tags, zola.category.as_deref()),
            (vec!["x".to_string()], Some("Ops"))
        );
        let (hugo, _) = parse_text("---\ntitle: H\ncategories: [Web, Other]\n---\n").unwrap();
        assert_eq!(hugo.category.as_deref(), Some("Web"));
    }

    #[test]
    fn unknown_key_is_a_warning_with_a_suggestion() {
        let (_, warnings) = parse_text("+++\ntitle = \"T\"\ntitel = \"x\"\n+++\n").unwrap();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, Some(3));
        assert!(warnings[0].fix.contains("`title`"));
    }

    #[test]
    fn missing_title_names_the_fix() {
        let err = parse_text("+++\ndate = 2026-01-01\n+++\n").unwrap_err();
        assert!(err.message.contains("title"));
        assert!(err.fix.contains("title = "));
    }

    #[test]
    fn bad_date_points_at_its_line() {
        let err = parse_text("+++\ntitle = \"T\"\ndate = \"31/01/2026\"\n+++\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("31/01/2026"));
    }

    #[test]
    fn unterminated_front_matter_is_reported() {
        let err = parse_text("+++\ntitle = \"T\"\nno end").unwrap_err();
        assert!(err.message.contains("never closed"), "{err}");
    }

    #[test]
    fn invalid_toml_reports_the_line() {
        let err = parse_text("+++\ntitle = \"T\"\ndate = = 3\n+++\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.message.starts_with("invalid TOML"));
    }

    #[test]
    fn invalid_yaml_reports_the_line() {
        let err = parse_text("---\ntitle: T\ntags: [a, b\n---\n").unwrap_err();
        assert!(err.message.starts_with("invalid YAML"), "{err}");
        assert!(err.line.is_some());
    }

    #[test]
    fn body_line_counts_from_the_file_start() {
        let text = "+++\ntitle = \"T\"\n+++\nfirst body line";
        let s = split(Path::new("p.md"), text).unwrap();
        assert_eq!(s.body_line, 4);
        assert_eq!(s.body, "first body line");
    }
}
