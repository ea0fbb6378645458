//! Typed readers over the front matter's fields, with errors that point at
//! the line where the key was written, and the warning (with a suggestion)
//! for a key Quire does not know.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::dates::{parse_date, parse_instant};
use super::keys;
use crate::content::error::ContentError;
use crate::model::Date;

/// Typed readers over the front matter map, producing errors that point at
/// the line where the key was written.
pub(super) struct Fields<'a> {
    pub(super) path: &'a Path,
    pub(super) front: &'a str,
    /// The file line of `front`'s first line.
    pub(super) front_line: usize,
    pub(super) map: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    /// File line of `key`.
    fn line_of(&self, key: &str) -> Option<usize> {
        self.front
            .lines()
            .position(|line| {
                // JSON writes the key quoted.
                let line = line.trim_start().trim_start_matches('"');
                line.get(..key.len())
                    .filter(|start| start.eq_ignore_ascii_case(key))
                    .is_some_and(|_| {
                        let after = line[key.len()..].trim_start_matches('"');
                        after.trim_start().starts_with(['=', ':'])
                    })
            })
            .map(|index| index + self.front_line)
    }

    pub(super) fn error(&self, key: &str, message: String, fix: String) -> ContentError {
        ContentError::new(
            self.path,
            self.line_of(key).or(Some(self.front_line)),
            message,
            fix,
        )
    }

    /// The value of `key`, written in any letter case (Hugo's keys are
    /// case-insensitive: `expirydate` is `expiryDate`).
    pub(super) fn value(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).or_else(|| {
            self.map
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v)
        })
    }

    /// One warning per key in no engine's table ([`keys::KEYS`]), with a
    /// suggestion only when an honoured key is really close ([`keys::nearest`]).
    /// The keys Quire does not read, but the site's other `taxonomies`.
    pub(super) fn unknown_keys(&self, taxonomies: &[String]) -> Vec<ContentError> {
        self.map
            .keys()
            .filter(|key| keys::find(key).is_none() && !taxonomies.contains(key))
            .map(|key| match keys::nearest(key) {
                // Close to a key Quire reads: most likely a typo.
                Some(known) => self.error(
                    key,
                    format!("unknown front matter key `{key}`"),
                    format!("did you mean `{known}`? Unknown keys are ignored; put custom data under `extra`"),
                ),
                // Hugo's params and Jekyll's variables are any key an
                // author likes: kept (unused), noted once per key.
                None => self
                    .error(
                        key,
                        format!("custom front matter key `{key}`"),
                        "nothing to do: Quire keeps it but does not use it (or move it under `extra`)".to_string(),
                    )
                    .note(),
            })
            .collect()
    }

    pub(super) fn string(&self, key: &str) -> Result<Option<String>, ContentError> {
        match self.value(key) {
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
        match self.value(key) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(self.error(
                key,
                format!("`{key}` must be true or false, found {}", kind(other)),
                format!("write `{key} = true` or `{key} = false` without quotes"),
            )),
        }
    }

    /// Whether a flag that defaults to `true` is written `false`.
    pub(super) fn is_false(&self, key: &str) -> Result<bool, ContentError> {
        match self.value(key) {
            None | Some(Value::Null) => Ok(false),
            Some(_) => Ok(!self.bool(key)?),
        }
    }

    pub(super) fn string_list(&self, key: &str) -> Result<Vec<String>, ContentError> {
        match self.value(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(value) => self.list_of(key, value),
        }
    }

    /// Tags or categories: a list, or Jekyll's space-separated text.
    pub(super) fn terms(&self, key: &str) -> Result<Vec<String>, ContentError> {
        match self.value(key) {
            Some(Value::String(text)) => Ok(text.split_whitespace().map(str::to_string).collect()),
            _ => self.string_list(key),
        }
    }

    /// Author ids: text, a list, or tables with a `name` (Jekyll's
    /// `author: {name: …}`), each read as its name.
    pub(super) fn names(&self, key: &str) -> Result<Vec<String>, ContentError> {
        let name_of = |value: &Value| match value {
            Value::String(s) => Some(s.clone()),
            Value::Object(table) => table
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string),
            _ => None,
        };
        let bad = || {
            self.error(
                key,
                format!("`{key}` must name authors"),
                format!("write `{key} = [\"alice\", \"bob\"]` (ids as in `[authors.<id>]` of quire.toml)"),
            )
        };
        match self.value(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items.iter().map(|v| name_of(v).ok_or_else(bad)).collect(),
            Some(value) => name_of(value).map(|name| vec![name]).ok_or_else(bad),
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
