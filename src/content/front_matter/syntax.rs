//! TOML, YAML or JSON front matter turned into one JSON value, so one set of
//! field readers (`fields`) serves both syntaxes. Syntax errors
//! name the file line they are on.

use std::path::Path;

use serde_json::{Map, Value};

use super::{Format, Split};
use crate::content::error::ContentError;

pub(super) fn to_json(path: &Path, split: &Split<'_>) -> Result<Value, ContentError> {
    match split.format {
        Format::Toml => {
            let table: toml::Table = toml::from_str(split.front).map_err(|err| {
                let line = err
                    .span()
                    .map(|span| line_of_offset(split.front, span.start) + split.front_line);
                ContentError::new(
                    path,
                    line,
                    format!("invalid TOML front matter: {}", err.message()),
                    "check quoting and `key = value` syntax on that line",
                )
            })?;
            Ok(toml_to_json(toml::Value::Table(table)))
        }
        Format::Json => serde_json::from_str(split.front).map_err(|err| {
            ContentError::new(
                path,
                Some(split.front_line + err.line().max(1) - 1),
                format!("invalid JSON front matter: {err}"),
                "check quoting, commas and the closing `}` of the object the file starts with",
            )
        }),
        Format::Yaml => {
            if split.front.trim().is_empty() {
                return Ok(Value::Object(Map::new()));
            }
            serde_norway::from_str::<Value>(split.front).map_err(|err| {
                let line = err.location().map(|loc| loc.line() + split.front_line - 1);
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
