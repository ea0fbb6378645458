//! Typed readers over the front matter's fields, with errors that point at
//! the line where the key was written, and the warning (with a suggestion)
//! for a key Quire does not know.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::dates::{parse_date, parse_instant};
use crate::content::error::ContentError;
use crate::model::Date;

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
    "path",
    "url",
    "permalink",
    "redirect_from",
    "series",
    "image",
    "page",
    "nav",
    "extra",
    "taxonomies",
];

/// Typed readers over the front matter map, producing errors that point at
/// the line where the key was written.
pub(super) struct Fields<'a> {
    pub(super) path: &'a Path,
    pub(super) front: &'a str,
    pub(super) map: &'a Map<String, Value>,
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

    pub(super) fn error(&self, key: &str, message: String, fix: String) -> ContentError {
        ContentError::new(self.path, self.line_of(key).or(Some(2)), message, fix)
    }

    pub(super) fn unknown_keys(&self) -> Vec<ContentError> {
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

    pub(super) fn string(&self, key: &str) -> Result<Option<String>, ContentError> {
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

    pub(super) fn bool(&self, key: &str) -> Result<bool, ContentError> {
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

    pub(super) fn string_list(&self, key: &str) -> Result<Vec<String>, ContentError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(value) => self.list_of(key, value),
        }
    }

    pub(super) fn list_of(&self, key: &str, value: &Value) -> Result<Vec<String>, ContentError> {
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

    pub(super) fn date(&self, key: &str) -> Result<Option<Date>, ContentError> {
        let Some(text) = self.string(key)? else {
            return Ok(None);
        };
        parse_date(&text).map(Some).ok_or_else(|| {
            self.error(key, format!("`{key}` has an unreadable date `{text}`"), format!("write `{key} = 2026-01-31` (YYYY-MM-DD) or an RFC 3339 time like 2026-01-31T09:00:00Z"))
        })
    }

    pub(super) fn instant(&self, key: &str) -> Result<Option<DateTime<Utc>>, ContentError> {
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

/// The known key closest to a misspelt one, if any is close enough to
/// suggest. Distance is `strsim`'s Damerau-Levenshtein, as for the site
/// configuration's keys and search's fuzzy matches: a swap (`titel`) is one edit.
fn nearest_known_key(key: &str) -> Option<&'static str> {
    KNOWN_KEYS
        .iter()
        .map(|known| (strsim::damerau_levenshtein(key, known), *known))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, known)| known)
}
