//! `[params]`, the site's own values a post may show: Hugo sites keep
//! them in tables (grpc.io's `params.grpc_vers.core`, read by `{{< param
//! "grpc_vers.core" >}}` on 55 pages), so a table inside is read under
//! dotted names, and a number or true/false as its text. Only a list, or
//! tables nested deeper than a post could name, is refused, by name.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// How many tables deep a value may sit (`a.b.c.d.e`).
const MAX_DEPTH: usize = 5;

/// `[params]` read into dotted names and text values.
pub fn dotted<'de, D: Deserializer<'de>>(from: D) -> Result<BTreeMap<String, String>, D::Error> {
    let table = BTreeMap::<String, Param>::deserialize(from)?;
    let mut values = BTreeMap::new();
    for (name, value) in table {
        flatten(name, value, &mut values, 1).map_err(serde::de::Error::custom)?;
    }
    Ok(values)
}

/// One value of `[params]` as written.
enum Param {
    Text(String),
    Table(BTreeMap<String, Param>),
    List,
}

/// toml's own key for a date and time written bare (`2026-01-01`).
const TOML_DATETIME: &str = "$__toml_private_datetime";

impl<'de> Deserialize<'de> for Param {
    /// Asked for as text, so that the settings' schema (`schema::Tracer`)
    /// describes `[params]` as a table of text; toml hands over whatever
    /// the file holds.
    fn deserialize<D: Deserializer<'de>>(from: D) -> Result<Self, D::Error> {
        from.deserialize_str(ParamVisitor)
    }
}

struct ParamVisitor;

impl<'de> Visitor<'de> for ParamVisitor {
    type Value = Param;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("text, a number, true or false, or a table of them")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Param, E> {
        Ok(Param::Text(text.to_string()))
    }

    fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Param, E> {
        Ok(Param::Text(n.to_string()))
    }

    fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Param, E> {
        Ok(Param::Text(n.to_string()))
    }

    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Param, E> {
        Ok(Param::Text(n.to_string()))
    }

    fn visit_bool<E: serde::de::Error>(self, flag: bool) -> Result<Param, E> {
        Ok(Param::Text(flag.to_string()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Param, A::Error> {
        while items.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Param::List)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Param, A::Error> {
        let mut table = BTreeMap::new();
        while let Some((name, value)) = entries.next_entry::<String, Param>()? {
            if name == TOML_DATETIME {
                return Ok(value);
            }
            table.insert(name, value);
        }
        Ok(Param::Table(table))
    }
}

fn flatten(
    name: String,
    value: Param,
    values: &mut BTreeMap<String, String>,
    depth: usize,
) -> Result<(), String> {
    match value {
        Param::Text(text) => {
            values.insert(name, text);
        }
        Param::Table(table) if depth < MAX_DEPTH => {
            for (inner, value) in table {
                flatten(format!("{name}.{inner}"), value, values, depth + 1)?;
            }
        }
        Param::Table(_) => {
            return Err(format!(
                "`params.{name}` nests tables more than {MAX_DEPTH} deep: a post names at most `a.b.c.d.e`"
            ));
        }
        Param::List => {
            return Err(format!(
                "`params.{name}` is a list, which no post can show: give each value a name of its own"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Site {
        #[serde(deserialize_with = "dotted")]
        params: BTreeMap<String, String>,
    }

    fn read(text: &str) -> Result<BTreeMap<String, String>, String> {
        toml::from_str::<Site>(text)
            .map(|site| site.params)
            .map_err(|e| e.message().to_string())
    }

    #[test]
    fn tables_give_dotted_names_and_numbers_their_text() {
        let params = read(
            "[params]\nrepo = \"grpc/grpc\"\nport = 50051\nbeta = false\nsince = 2015-02-26\n[params.grpc_vers]\ncore = \"v1.82.0\"\n[params.grpc_vers.node]\nlatest = \"1.9.0\"\n",
        )
        .unwrap();
        assert_eq!(params["repo"], "grpc/grpc");
        assert_eq!(params["port"], "50051");
        assert_eq!(params["beta"], "false");
        assert_eq!(params["since"], "2015-02-26");
        assert_eq!(params["grpc_vers.core"], "v1.82.0");
        assert_eq!(params["grpc_vers.node.latest"], "1.9.0");
    }

    #[test]
    fn a_list_is_refused_by_its_name() {
        let err = read("[params.ui]\nlinks = [\"a\", \"b\"]\n").unwrap_err();
        assert!(err.contains("`params.ui.links` is a list"), "{err}");
    }
}
