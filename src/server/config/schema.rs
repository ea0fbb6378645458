//! The list of valid keys, read off the settings struct itself so that it
//! can never drift from it: there is no second, hand-kept table.
//!
//! A [`Tracer`] is a serde `Deserializer` that answers every request with a
//! placeholder and writes down what was asked for: `deserialize_struct`
//! hands over the struct's field names, and the call made for each field
//! says its kind (text, number, flag, list, table). Deserializing
//! `SiteConfig` through it once yields every key, nested ones dotted
//! (`author.name`), which is what the unknown-key check, the "did you mean"
//! hints and the `QUIRE_<KEY>` variables are derived from.

use serde::de::value::{Error, StrDeserializer};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

/// How a setting is written, which is how its variable is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    Number,
    Flag,
    /// An array (`[[nav]]`); its items' keys are listed with `in_list`.
    List,
    /// A table (`[author]`); its keys follow, dotted.
    Table,
    /// A table of named tables (`[authors.<id>]`): any name, each table's
    /// keys listed under `<map>.*` (`authors.*.name`).
    Map,
}

/// One key of the settings struct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Key {
    /// Dotted path: `title`, `author.name`, `nav.label`.
    pub name: String,
    pub kind: Kind,
    /// A key of the tables inside a list (`nav.label`): not settable alone.
    pub in_list: bool,
}

/// Every key of a settings type, in declaration order.
#[derive(Debug)]
pub(super) struct Schema {
    keys: Vec<Key>,
}

impl Schema {
    /// Traces `T`. Panics if `T` has a field the tracer cannot describe (a
    /// map, an enum, a float): a programming error every config test hits.
    pub fn of<T: DeserializeOwned>() -> Self {
        let mut keys = Vec::new();
        let tracer = Tracer {
            name: String::new(),
            in_list: false,
            keys: &mut keys,
        };
        if let Err(e) = T::deserialize(tracer) {
            panic!("config::schema cannot describe a settings field: {e}");
        }
        Self { keys }
    }

    /// The key called `name` (dotted), if there is one.
    pub fn get(&self, name: &str) -> Option<&Key> {
        self.keys.iter().find(|k| k.name == name)
    }

    /// Keys directly inside the table or list `parent` (`""` for the top),
    /// dotted from the top.
    pub fn children(&self, parent: &str) -> Vec<String> {
        let inside = |k: &&Key| match parent {
            "" => !k.name.contains('.'),
            _ => k
                .name
                .strip_prefix(parent)
                .and_then(|r| r.strip_prefix('.'))
                .is_some_and(|rest| !rest.contains('.')),
        };
        self.keys
            .iter()
            .filter(inside)
            .map(|k| k.name.clone())
            .collect()
    }

    /// Keys that take one value from one variable: all but tables and the
    /// keys inside list items and named tables.
    pub fn settable(&self) -> impl Iterator<Item = &Key> {
        self.keys
            .iter()
            .filter(|k| !k.in_list && !matches!(k.kind, Kind::Table | Kind::Map))
    }
}

/// Joins a parent path and a field name with a dot.
pub(super) fn join(parent: &str, field: &str) -> String {
    match parent {
        "" => field.to_string(),
        _ => format!("{parent}.{field}"),
    }
}

/// Records the kind of the value at `name` and hands back a placeholder.
struct Tracer<'a> {
    name: String,
    in_list: bool,
    keys: &'a mut Vec<Key>,
}

impl Tracer<'_> {
    /// Notes the key once: the root has no name, and a list's items share
    /// the list's name.
    fn record(&mut self, kind: Kind) {
        let seen = self.keys.iter().any(|k| k.name == self.name);
        if !self.name.is_empty() && !seen {
            self.keys.push(Key {
                name: self.name.clone(),
                kind,
                in_list: self.in_list,
            });
        }
    }
}

macro_rules! number {
    ($($method:ident => $visit:ident($zero:expr)),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
            self.record(Kind::Number);
            visitor.$visit($zero)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Tracer<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Error> {
        Err(de::Error::custom(format!(
            "`{}` has a type without a fixed TOML shape",
            self.name
        )))
    }

    fn deserialize_bool<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        self.record(Kind::Flag);
        visitor.visit_bool(false)
    }

    number! {
        deserialize_u8 => visit_u8(0), deserialize_u16 => visit_u16(0),
        deserialize_u32 => visit_u32(0), deserialize_u64 => visit_u64(0),
        deserialize_i8 => visit_i8(0), deserialize_i16 => visit_i16(0),
        deserialize_i32 => visit_i32(0), deserialize_i64 => visit_i64(0),
    }

    fn deserialize_str<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        self.record(Kind::Text);
        visitor.visit_str("")
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        self.record(Kind::List);
        let item = Tracer {
            in_list: true,
            ..self
        };
        visitor.visit_seq(OneItem(Some(item)))
    }

    fn deserialize_map<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        self.record(Kind::Map);
        let value = Tracer {
            name: join(&self.name, ANY_NAME),
            in_list: true,
            keys: self.keys,
        };
        visitor.visit_map(OneEntry(Some(value)))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        mut self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.record(Kind::Table);
        visitor.visit_map(Fields {
            fields,
            next: 0,
            parent: self,
        })
    }

    serde::forward_to_deserialize_any! {
        f32 f64 char bytes byte_buf unit unit_struct tuple tuple_struct
        enum identifier ignored_any i128 u128
    }
}

/// A list with one item, so that the item's type is traced too.
struct OneItem<'a>(Option<Tracer<'a>>);

impl<'de> SeqAccess<'de> for OneItem<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0.take().map(|item| seed.deserialize(item)).transpose()
    }
}

/// The name a named table's entries are traced under (`authors.*`).
pub(super) const ANY_NAME: &str = "*";

/// A map with one entry, named [`ANY_NAME`], so its values' type is traced.
struct OneEntry<'a>(Option<Tracer<'a>>);

impl<'de> MapAccess<'de> for OneEntry<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.0.is_none() {
            return Ok(None);
        }
        let key: StrDeserializer<'_, Error> = ANY_NAME.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self.0.take().expect("a value follows its key");
        seed.deserialize(value)
    }
}

/// A struct's fields as map entries, each value traced at its dotted name.
struct Fields<'a> {
    fields: &'static [&'static str],
    next: usize,
    parent: Tracer<'a>,
}

impl<'de> MapAccess<'de> for Fields<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(field) = self.fields.get(self.next) else {
            return Ok(None);
        };
        let key: StrDeserializer<'_, Error> = field.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let field = self.fields[self.next];
        self.next += 1;
        seed.deserialize(Tracer {
            name: join(&self.parent.name, field),
            in_list: self.parent.in_list,
            keys: self.parent.keys,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::config::SiteConfig;

    fn names(keys: &[String]) -> Vec<&str> {
        keys.iter().map(String::as_str).collect()
    }

    #[test]
    fn the_keys_are_read_off_the_struct() {
        let schema = Schema::of::<SiteConfig>();
        assert_eq!(
            names(&schema.children("")),
            [
                "title",
                "tagline",
                "description",
                "base_url",
                "language",
                "language_folder",
                "languages",
                "author",
                "authors",
                "page_size",
                "sitemap_urls",
                "nav",
                "social",
                "header_links",
                "logo",
                "logo_dark",
                "favicon",
                "accent",
                "accent_dark",
                "font_text",
                "font_code",
                "code_theme",
                "code_theme_dark",
                "card_layout",
                "date_format",
                "strings",
                "params",
                "home_page_size",
                "footer",
                "raw_html",
                "embed_hosts",
                "image_hosts",
                "collections",
                "taxonomies",
                "permalink",
                "section_permalink",
                "permalinks",
                "trailing_slash",
                "cache_max_mb",
                "store_cache_mb",
                "search_prefetch_kb",
                "hsts",
                "static_dir",
                "custom_css",
                "max_connections_per_ip",
                "requests_per_second_per_ip",
                "burst_per_ip",
                "trusted_proxies",
                "tls_cert",
                "tls_key",
                "acme_domains",
                "acme_email",
                "acme_directory",
                "acme_ca_root",
                "acme_challenge"
            ]
        );
        assert_eq!(
            names(&schema.children("author")),
            ["author.name", "author.url"]
        );
        assert_eq!(names(&schema.children("nav")), ["nav.label", "nav.url"]);
    }

    #[test]
    fn each_key_has_the_kind_of_its_field() {
        let schema = Schema::of::<SiteConfig>();
        let kind = |name: &str| schema.get(name).map(|k| k.kind);
        assert_eq!(kind("title"), Some(Kind::Text));
        assert_eq!(
            kind("author.url"),
            Some(Kind::Text),
            "Option<String> is text"
        );
        assert_eq!(kind("page_size"), Some(Kind::Number));
        assert_eq!(kind("hsts"), Some(Kind::Flag));
        assert_eq!(kind("nav"), Some(Kind::List));
        assert_eq!(kind("author"), Some(Kind::Table));
        assert_eq!(kind("nope"), None);
    }

    #[test]
    fn list_items_and_tables_are_not_settable_alone() {
        let schema = Schema::of::<SiteConfig>();
        let settable: Vec<&str> = schema.settable().map(|k| k.name.as_str()).collect();
        assert!(settable.contains(&"author.name") && settable.contains(&"nav"));
        assert!(!settable.contains(&"author") && !settable.contains(&"nav.label"));
    }
}
