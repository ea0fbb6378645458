//! The `QUIRE_<KEY>` overlay: one variable per settable key of the
//! [`Schema`] (`author.name` → `QUIRE_AUTHOR_NAME`), read as the key's kind
//! and laid over the file's table, so a variable always wins.
//!
//! A single small function rather than `figment`, because figment made the
//! messages worse: its `Env` provider reads the process environment only
//! (here the environment is a lookup function, so `load_with` and tests can
//! pass their own), it maps `QUIRE_AUTHOR_NAME` to a key by splitting on
//! `_`, which cannot tell `author.name` from `base_url`, its `Toml`
//! provider would parse the file a second time and report no line, and its
//! errors name "environment variable(s)" rather than the variable to fix.
//! Here each variable is checked as it is laid on, so a bad value is blamed
//! on its variable.

use serde::de::DeserializeOwned;

use super::errors::{ConfigError, invalid};
use super::schema::{Key, Kind, Schema};

/// Looks up an environment variable (the process's, or a test's).
pub(super) type Env<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// The variable that overrides `key`: `author.name` → `QUIRE_AUTHOR_NAME`.
pub(super) fn var_name(key: &str) -> String {
    format!("QUIRE_{}", key.replace('.', "_").to_ascii_uppercase())
}

/// Lays every variable that is set over `table` and returns the settings
/// read from the result (`typed` unchanged when none is set).
pub(super) fn overlay<T: DeserializeOwned>(
    mut typed: T,
    table: &mut toml::Table,
    schema: &Schema,
    env: &Env<'_>,
) -> Result<T, ConfigError> {
    for key in schema.settable() {
        let var = var_name(&key.name);
        let Some(raw) = env(&var) else { continue };
        let fix = |m: String| invalid(&var, format!("{m}; {}", advice(key, schema)));
        let value = value(key, &raw).map_err(fix)?;
        set_dotted(table, &key.name, value);
        typed = typed_from(table).map_err(fix)?;
    }
    Ok(typed)
}

fn typed_from<T: DeserializeOwned>(table: &toml::Table) -> Result<T, String> {
    let value = toml::Value::Table(table.clone());
    value
        .try_into()
        .map_err(|e: toml::de::Error| e.message().trim().to_string())
}

/// Converts a variable's text to the TOML value its key expects.
fn value(key: &Key, raw: &str) -> Result<toml::Value, String> {
    match key.kind {
        Kind::Text | Kind::Table | Kind::Map => Ok(toml::Value::String(raw.to_string())),
        Kind::Number => number(raw),
        Kind::Flag => flag(raw),
        Kind::List => list(raw),
    }
}

fn number(raw: &str) -> Result<toml::Value, String> {
    let n = raw.trim().parse::<i64>().ok().filter(|n| *n >= 0);
    n.map(toml::Value::Integer)
        .ok_or_else(|| format!("`{raw}` is not a whole number"))
}

fn flag(raw: &str) -> Result<toml::Value, String> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(toml::Value::Boolean(true)),
        "0" | "false" | "no" | "off" | "" => Ok(toml::Value::Boolean(false)),
        _ => Err(format!("`{raw}` is not true or false")),
    }
}

/// A TOML array (empty text is an empty one).
fn list(raw: &str) -> Result<toml::Value, String> {
    if raw.trim().is_empty() {
        return Ok(toml::Value::Array(Vec::new()));
    }
    match raw.parse::<toml::Value>() {
        Ok(value @ toml::Value::Array(_)) => Ok(value),
        Ok(other) => Err(format!("{} is not an array", other.type_str())),
        Err(e) => Err(e.message().trim().to_string()),
    }
}

/// What to write instead, by kind; a list's example shows its items' keys
/// (from the schema): `[{ label = "…", url = "…" }]`.
fn advice(key: &Key, schema: &Schema) -> String {
    match key.kind {
        Kind::Number => "set a number such as 20".into(),
        Kind::Flag => "set it to true or false".into(),
        Kind::List if schema.children(&key.name).is_empty() => {
            "write a TOML array such as [\"…\"]".into()
        }
        Kind::List => {
            let children = schema.children(&key.name);
            let leaf = |k: &String| k.rsplit('.').next().unwrap_or(k).to_string();
            let fields: Vec<String> = children
                .iter()
                .map(|k| format!("{} = \"…\"", leaf(k)))
                .collect();
            format!("write a TOML array such as [{{ {} }}]", fields.join(", "))
        }
        Kind::Text | Kind::Table | Kind::Map => "fix the value".into(),
    }
}

/// Sets `a.b` inside `table`, creating (or replacing) the inner table.
fn set_dotted(table: &mut toml::Table, key: &str, value: toml::Value) {
    let Some((outer, inner)) = key.split_once('.') else {
        table.insert(key.to_string(), value);
        return;
    };
    let entry = table
        .entry(outer.to_string())
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    if !entry.is_table() {
        *entry = toml::Value::Table(toml::Table::new());
    }
    if let toml::Value::Table(inner_table) = entry {
        set_dotted(inner_table, inner, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_names_follow_the_dotted_key() {
        assert_eq!(var_name("title"), "QUIRE_TITLE");
        assert_eq!(var_name("author.name"), "QUIRE_AUTHOR_NAME");
        assert_eq!(var_name("cache_max_mb"), "QUIRE_CACHE_MAX_MB");
    }

    #[test]
    fn flags_and_numbers_are_read_leniently_but_not_guessed() {
        assert_eq!(flag(" Yes ").unwrap(), toml::Value::Boolean(true));
        assert_eq!(flag("off").unwrap(), toml::Value::Boolean(false));
        assert_eq!(flag("maybe").unwrap_err(), "`maybe` is not true or false");
        assert_eq!(number(" 7 ").unwrap(), toml::Value::Integer(7));
        assert!(number("-1").is_err() && number("7.5").is_err());
    }

    #[test]
    fn a_list_must_be_a_toml_array() {
        assert!(list("[]").unwrap().is_array());
        assert!(list(" ").unwrap().is_array());
        assert!(list("\"About\"").unwrap_err().contains("not an array"));
        assert!(list("[{ label = ").is_err());
    }

    #[test]
    fn the_advice_for_a_list_shows_its_items_keys() {
        let schema = Schema::of::<crate::server::config::SiteConfig>();
        let nav = schema.get("nav").unwrap();
        assert_eq!(
            advice(nav, &schema),
            "write a TOML array such as [{ label = \"…\", url = \"…\" }]"
        );
    }

    #[test]
    fn a_dotted_key_goes_inside_its_table() {
        let mut table: toml::Table = toml::from_str("author = \"flat\"\n").unwrap();
        set_dotted(&mut table, "author.name", toml::Value::String("Ada".into()));
        assert_eq!(table["author"]["name"].as_str(), Some("Ada"));
    }
}
