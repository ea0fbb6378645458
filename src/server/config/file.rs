//! The config file: its text is parsed once, into a spanned tree, and
//! everything else is read from that tree. The spans give the line of an
//! unknown key (with the nearest valid key from the [`Schema`]) and of a
//! value of the wrong type; the same tree, without spans, is the table the
//! `QUIRE_<KEY>` variables are laid over.

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue, Deserializer};

use super::errors::{ConfigError, hint, line_of, syntax};
use super::schema::{ANY_NAME, Kind, Schema, join};

/// The file's settings, typed, and as the table they were read from.
pub(super) fn read<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    schema: &Schema,
) -> Result<(T, toml::Table), ConfigError> {
    let root = DeTable::parse(text).map_err(|e| syntax(text, path, &e))?;
    if let Some(unknown) = first_unknown(root.get_ref(), schema) {
        return Err(unknown_key(text, path, schema, unknown));
    }
    let typed =
        T::deserialize(Deserializer::from(root.clone())).map_err(|e| syntax(text, path, &e))?;
    let table =
        toml::Table::deserialize(Deserializer::from(root)).map_err(|e| syntax(text, path, &e))?;
    Ok((typed, table))
}

/// A key of the file that the settings struct does not have.
#[derive(Debug)]
struct Unknown {
    /// Dotted: `author.nmae`, `nav.link`.
    name: String,
    span: Range<usize>,
}

/// The unknown key that comes first in the file, if any.
fn first_unknown(root: &DeTable<'_>, schema: &Schema) -> Option<Unknown> {
    let mut found = Vec::new();
    unknown_in(root, "", schema, &mut found);
    found.into_iter().min_by_key(|u| u.span.start)
}

fn unknown_in(table: &DeTable<'_>, parent: &str, schema: &Schema, found: &mut Vec<Unknown>) {
    for (key, value) in table {
        let name = join(parent, key.get_ref());
        match schema.get(&name).map(|k| k.kind) {
            None => found.push(Unknown {
                name,
                span: key.span(),
            }),
            Some(Kind::Table | Kind::List) => unknown_below(value.get_ref(), &name, schema, found),
            Some(Kind::Map) => {
                let each = join(&name, ANY_NAME);
                // A map of text (`[params]`, whose tables its own reader
                // flattens, `config::params`) has no keys below to check.
                let of_tables = schema.get(&each).is_some_and(|k| k.kind == Kind::Table);
                if let (DeValue::Table(named), true) = (value.get_ref(), of_tables) {
                    for (_, table) in named {
                        unknown_below(table.get_ref(), &each, schema, found);
                    }
                }
            }
            Some(_) => {}
        }
    }
}

/// Looks inside a table, or inside each table of an array.
fn unknown_below(value: &DeValue<'_>, name: &str, schema: &Schema, found: &mut Vec<Unknown>) {
    match value {
        DeValue::Table(table) => unknown_in(table, name, schema, found),
        DeValue::Array(items) => {
            for item in items.iter() {
                unknown_below(item.get_ref(), name, schema, found);
            }
        }
        _ => {}
    }
}

/// Keys Quire once read, and what replaced them.
const REPLACED: &[(&str, &str)] = &[(
    "allow_raw_html",
    "it was replaced by raw_html = \"sanitize\" (the default: safe HTML is kept), \"drop\" or \"trust\"",
)];

fn unknown_key(text: &str, path: &Path, schema: &Schema, unknown: Unknown) -> ConfigError {
    let candidates = candidates(schema, &unknown.name);
    let replaced = REPLACED.iter().find(|(old, _)| *old == unknown.name);
    ConfigError::UnknownKey {
        hint: replaced.map_or_else(
            || hint(&unknown.name, &candidates),
            |(_, new)| new.to_string(),
        ),
        key: unknown.name,
        path: path.to_path_buf(),
        line: line_of(text, unknown.span.start),
    }
}

/// The valid keys beside `name`; at the top, dotted keys of tables too
/// (`author_name` → `author.name`).
fn candidates(schema: &Schema, name: &str) -> Vec<String> {
    let Some((parent, _)) = name.rsplit_once('.') else {
        let dotted = schema.settable().filter(|k| k.name.contains('.'));
        let dotted: Vec<String> = dotted.map(|k| k.name.clone()).collect();
        return [schema.children(""), dotted].concat();
    };
    schema.children(parent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::config::SiteConfig;

    fn unknown(text: &str) -> Option<String> {
        let root = DeTable::parse(text).unwrap();
        first_unknown(root.get_ref(), &Schema::of::<SiteConfig>()).map(|u| u.name)
    }

    #[test]
    fn known_keys_at_any_depth_pass() {
        let text = "title = \"t\"\n[author]\nname = \"a\"\n[[nav]]\nlabel = \"l\"\nurl = \"/\"\n";
        assert_eq!(unknown(text), None);
        assert_eq!(unknown("social = [{ label = \"l\", url = \"/\" }]\n"), None);
    }

    #[test]
    fn named_author_tables_take_any_id_and_only_known_keys() {
        let text = "[authors.alice]\nname = \"A\"\nbio = \"b\"\n[authors.bob]\nurl = \"/\"\n";
        assert_eq!(unknown(text), None);
        assert_eq!(
            unknown("[authors.alice]\nnmae = \"A\"\n").as_deref(),
            Some("authors.*.nmae")
        );
    }

    #[test]
    fn the_first_unknown_key_in_the_file_is_reported() {
        assert_eq!(unknown("zzz = 1\naaa = 2\n").as_deref(), Some("zzz"));
        assert_eq!(
            unknown("[[social]]\nlabel = \"l\"\nhref = \"/\"\n").as_deref(),
            Some("social.href")
        );
    }

    #[test]
    fn a_value_of_the_wrong_shape_is_left_to_the_type_check() {
        assert_eq!(unknown("title = { x = 1 }\n"), None);
        let err = read::<SiteConfig>(
            "title = { x = 1 }\n",
            Path::new("q.toml"),
            &Schema::of::<SiteConfig>(),
        );
        assert!(err.unwrap_err().to_string().starts_with("q.toml line 1:"));
    }

    #[test]
    fn top_level_candidates_include_the_dotted_keys_of_tables() {
        let schema = Schema::of::<SiteConfig>();
        let top = candidates(&schema, "author_name");
        assert!(top.contains(&"title".to_string()) && top.contains(&"author.name".to_string()));
        assert!(!top.contains(&"nav.label".to_string()));
        assert_eq!(candidates(&schema, "nav.link"), ["nav.label", "nav.url"]);
    }
}
