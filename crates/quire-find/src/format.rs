//! The files of an exported search index, under `/_search/` of a static
//! site: written by the server (`search::exported`), read by [`crate::Engine`].
//!
//! `meta.json` is read on the search box's first focus: the vocabulary of
//! each field (to find prefixes and typos without the postings), the
//! BM25 length norms, the posts' languages and the words the box shows.
//! The postings are cut by term, in the vocabulary's order, into shards
//! (`{field}-{n}.json`) fetched only when a query needs them, and the
//! posts' titles and addresses into shards of [`DOCS_PER_SHARD`]
//! (`docs-{n}.json`), fetched only for the results shown.

use serde::{Deserialize, Serialize};

/// Bumped whenever the files change shape: a client never reads files of
/// another format (it falls back to the search page).
pub const FORMAT: u32 = 1;
/// Posts per `docs-{n}.json`.
pub const DOCS_PER_SHARD: usize = 500;
/// The folder of the index, at the site's root.
pub const FOLDER: &str = "/_search/";

/// `meta.json`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Meta {
    pub format: u32,
    /// Where the engine's wasm module is (`/assets/quire-find-….wasm`).
    pub engine: String,
    /// Where the script that loads it is (`/assets/quire-find-….js`):
    /// the client adds it on the search box's first focus.
    pub loader: String,
    /// How many posts the index holds (its document numbers are 0..docs).
    pub docs: u32,
    /// The exact fields ([`crate::query::EXACT_FIELDS`]), then `stemmed`.
    pub fields: Vec<FieldMeta>,
    /// Each post's language: an index into `langs`.
    pub doc_langs: Vec<u16>,
    /// Primary language subtags (`en`, `fr`).
    pub langs: Vec<String>,
    /// The stemmer codes of the languages the index holds.
    pub stemmers: Vec<String>,
    /// Characters and their ASCII forms, sorted (tantivy's folding).
    pub fold: Vec<(char, String)>,
    /// The box's words, by site language (`""` for the default).
    pub words: Vec<(String, Words)>,
}

/// One field: its vocabulary, sorted by bytes, and where its shards begin.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FieldMeta {
    pub name: String,
    /// BM25's length part, by tantivy's one-byte field norm of a post.
    pub norms: Vec<f32>,
    pub terms: Vec<String>,
    /// The index in `terms` of each shard's first term.
    pub shards: Vec<u32>,
}

/// `{field}-{n}.json`: the postings of the shard's terms, in order.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Shard {
    pub terms: Vec<Postings>,
}

/// One term's BM25 weight (idf × (1 + k1)) and the posts holding it, as
/// `[doc, frequency, norm]` triples, by post.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Postings {
    pub weight: f32,
    pub docs: Vec<u32>,
}

/// `docs-{n}.json`: what a result shows of each post.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DocShard {
    pub docs: Vec<Doc>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Doc {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub category: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The date as the site shows it (its `date_format`, its language's
    /// month names), for the search page.
    pub shown: String,
    pub description: String,
}

/// "3 results" and "All 3 results →" (the box), "3 results for “rust”"
/// and "Nothing found for “rust”" (the search page), in one language,
/// written by the server's plural rules for 0 to 199; a larger count reads
/// the form of 100 + count % 100 with the number put in (`{}` marks it,
/// `{q}` the query).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Words {
    pub status: Vec<String>,
    pub all: Vec<String>,
    pub page: Vec<String>,
    pub page_none: String,
}

impl Words {
    /// How many forms are written out.
    pub const FORMS: usize = 200;

    /// The status for `count` matches.
    pub fn status(&self, count: usize) -> String {
        Self::form(&self.status, count)
    }

    /// The link to the results page for `count` matches.
    pub fn all(&self, count: usize) -> String {
        Self::form(&self.all, count)
    }

    /// The search page's count of what `query` found.
    pub fn page(&self, count: usize, query: &str) -> String {
        match count {
            0 => self.page_none.replace("{q}", query),
            _ => Self::form(&self.page, count).replace("{q}", query),
        }
    }

    fn form(forms: &[String], count: usize) -> String {
        if let Some(form) = forms.get(count) {
            return form.replace("{}", &count.to_string());
        }
        let like = 100 + count % 100;
        forms
            .get(like)
            .map(|form| form.replace("{}", &count.to_string()))
            .unwrap_or_else(|| count.to_string())
    }
}

/// The file of a field's shard.
pub fn shard_file(field: &str, shard: usize) -> String {
    format!("{field}-{shard}.json")
}

/// The file of the posts `doc` is among.
pub fn docs_file(doc: u32) -> String {
    format!("docs-{}.json", doc as usize / DOCS_PER_SHARD)
}
