//! The files of an exported search index, under `/_search/` of a static
//! site: written by the server (`search::exported`), read by [`crate::Engine`].
//!
//! `meta.json` is read on the search box's first focus ([`Head`]): it is
//! small and names every file the engine opens with, so that the client
//! fetches them all at once, side by side, not one after the other. Among
//! them, `index-{hash}.json` ([`Meta`]): the vocabulary of each field (to
//! find prefixes and typos without the postings), BM25's length part by
//! norm, the posts' languages and the words the box shows.
//! The postings are cut by term, in the vocabulary's order, into binary
//! shards (`{field}-{hash of its first term}.bin`, [`Shard`]) fetched only
//! when a query needs them. A field only ever looked up word for word (the
//! stems) keeps its vocabulary in its shards too, and the index names only
//! each shard's first term ([`FieldMeta::terms_in_shards`]): on real prose
//! the stems were half of what the first focus fetched; each post's length norm in a field and each
//! term's BM25 weight are in `norms-{field}.bin` ([`Norms`]), fetched when
//! a query scores that field; the posts' titles and
//! addresses are in shards of [`DOCS_PER_SHARD`] (`docs-{n}.json`),
//! fetched only for the results shown. A site whose posts' display data is
//! small also has it in a few larger files (`docpack-{n}.json`,
//! [`DocPack`], named by [`Head::background`]), which the loader fetches
//! at low priority once the engine is open: from then on a query waits on
//! one round trip (its postings), not two; none when the whole index is
//! small, and the head names every shard too.
//!
//! Postings are binary because a common word is in most posts: as a
//! bitmap of posts and one byte of frequency each, it costs a tenth of
//! what it did as JSON numbers.

use serde::{Deserialize, Serialize};

/// Bumped whenever the files change shape: a client never reads files of
/// another format (it falls back to the search page).
pub const FORMAT: u32 = 6;
/// Posts per `docs-{n}.json`.
pub const DOCS_PER_SHARD: usize = 10;
/// Posts per `docpack-{n}.json`: a whole number of `docs-{n}.json`, so
/// a pack stands for its shards; about 22 KB brotli for generated posts,
/// a tenth of a second on a phone's link, so a pack in flight holds up a
/// query's own files little (the loader fetches one at a time).
pub const DOCS_PER_PACK: usize = 50 * DOCS_PER_SHARD;
/// The folder of the index, at the site's root.
pub const FOLDER: &str = "/_search/";

/// `meta.json`: what the search box asks first. A live server answers
/// it with no engine (it searches through `/api/search`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Head {
    pub format: u32,
    /// Where the engine's wasm module is (`/assets/quire-find-….wasm`).
    pub engine: String,
    /// Where the script that loads it is (`/assets/quire-find-….js`):
    /// the client adds it on the search box's first focus.
    pub loader: String,
    /// The index's [`Meta`], under [`FOLDER`] ([`index_file`]).
    #[serde(default)]
    pub index: String,
    /// Each field's [`Norms`], under [`FOLDER`]: every query scores with
    /// them, so they come with the engine.
    #[serde(default)]
    pub norms: Vec<String>,
    /// Every file the engine opens with, by site address (the module, the
    /// index, the norms): the client asks for them all as it adds the
    /// loader, so they arrive side by side.
    #[serde(default)]
    pub preload: Vec<String>,
    /// What the loader fetches once the engine is open, one file at a
    /// time between queries' own, under [`FOLDER`]: every [`DocPack`]
    /// when they are small enough, then every postings shard when the
    /// whole index is (a query then fetches nothing).
    #[serde(default)]
    pub background: Vec<String>,
}

impl Head {
    /// The head of an index whose [`Meta`] is in `index` and whose
    /// fields' norms are in `norms` (names under [`FOLDER`]).
    pub fn new(engine: String, loader: String, index: String, norms: Vec<String>) -> Self {
        let files = std::iter::once(&index).chain(&norms);
        let files = files.map(|name| format!("{FOLDER}{name}"));
        let preload = std::iter::once(engine.clone()).filter(|e| !e.is_empty());
        let preload = preload.chain(files).collect();
        Self {
            format: FORMAT,
            engine,
            loader,
            index,
            norms,
            preload,
            background: Vec::new(),
        }
    }
}

/// `index-{hash}.json`: the index's vocabulary and what ranking needs of
/// every post.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Meta {
    pub format: u32,
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
    /// The token count each one-byte field norm id stands for (tantivy's
    /// table), shared by every field: see [`FieldMeta::length_parts`].
    pub fieldnorms: Vec<u32>,
    /// Characters and their ASCII forms, sorted (tantivy's folding).
    pub fold: Vec<(char, String)>,
    /// The box's words, by site language (`""` for the default).
    pub words: Vec<(String, Words)>,
}

/// One field: its vocabulary, sorted by bytes, and where its shards begin.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FieldMeta {
    pub name: String,
    /// The average number of tokens a post has in the field.
    pub average: f32,
    /// Every term, or each shard's first term when the shards hold them.
    pub terms: Vec<String>,
    /// The number, among all the field's terms, of each shard's first term.
    pub shards: Vec<u32>,
    /// How many terms the field has (and weights in its [`Norms`]).
    pub count: u32,
    /// Whether each shard holds its terms ([`Shard::words`]) and `terms`
    /// only each shard's first: for a field no query matches by prefix or
    /// typo, whose vocabulary need not be fetched whole.
    #[serde(default)]
    pub terms_in_shards: bool,
}

/// BM25's parameters, tantivy's: the server's index and the engine share
/// them.
pub const K1: f32 = 1.2;
pub const B: f32 = 0.75;

impl FieldMeta {
    /// BM25's length part for each field norm id, `fieldnorms` the token
    /// counts they stand for ([`Meta::fieldnorms`]): computed where it is
    /// used, with the server's arithmetic, rather than sent (six fields of
    /// 256 floats were 15% of a small blog's index on the wire).
    pub fn length_parts(&self, fieldnorms: &[u32]) -> Vec<f32> {
        let average = self.average;
        let part = |n: &u32| K1 * (1.0 - B + B * *n as f32 / average);
        fieldnorms.iter().map(part).collect()
    }

    /// The first term of shard `n`.
    pub fn first_term(&self, n: usize) -> &str {
        match self.terms_in_shards {
            true => &self.terms[n],
            false => &self.terms[self.shards[n] as usize],
        }
    }

    /// The shard holding term number `term`, and the term's place in it.
    pub fn shard_of(&self, term: usize) -> (usize, usize) {
        let shard = self.shards.partition_point(|first| *first as usize <= term) - 1;
        (shard, term - self.shards[shard] as usize)
    }

    /// The shard `word` would be in when the shards hold the terms: the
    /// last whose first term is not after it.
    pub fn shard_for(&self, word: &str) -> Option<usize> {
        let after = self.terms.partition_point(|t| t.as_str() <= word);
        after.checked_sub(1)
    }
}

/// `{field}-{n}.bin`: the postings of the shard's terms, in order, and
/// the terms themselves when the field keeps them in its shards.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shard {
    /// Empty unless [`FieldMeta::terms_in_shards`].
    pub words: Vec<String>,
    pub terms: Vec<Postings>,
}

/// The posts holding one term, in order, with the term's frequency in each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Postings {
    pub docs: Vec<u32>,
    pub frequencies: Vec<u32>,
}

/// A shard that is not one: cut short, or a list that does not add up.
#[derive(Debug, PartialEq, Eq)]
pub struct Malformed;

/// How a term's posts are written: the gaps between them, or a bitmap of
/// every post when that is shorter.
const GAPS: u8 = 0;
const BITMAP: u8 = 1;

impl Shard {
    /// The shard as bytes, for an index of `docs` posts: its words (a
    /// count, then each one's length and bytes, all varints but the
    /// bytes), then each term's [`Postings::encode`].
    pub fn encode(&self, docs: u32) -> Vec<u8> {
        let postings = self.terms.iter().flat_map(|t| t.encode(docs));
        Self::assemble(&self.words, &postings.collect::<Vec<u8>>())
    }

    /// A shard's bytes from its words and its terms' postings, encoded.
    pub fn assemble(words: &[String], postings: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(postings.len() + 1);
        varint(&mut out, words.len() as u32);
        for word in words {
            varint(&mut out, word.len() as u32);
            out.extend(word.as_bytes());
        }
        out.extend(postings);
        out
    }

    /// A shard from [`Shard::encode`]'s bytes.
    pub fn decode(bytes: &[u8], docs: u32) -> Result<Self, Malformed> {
        let mut input = Input { bytes, at: 0 };
        let words = input.words()?;
        let mut terms = Vec::new();
        while input.at < bytes.len() {
            let count = input.varint()? as usize;
            let docs = match input.take(1)?[0] {
                GAPS => input.gaps(count)?,
                BITMAP => bits(input.take((docs as usize).div_ceil(8))?),
                _ => return Err(Malformed),
            };
            if docs.len() != count {
                return Err(Malformed);
            }
            let frequencies = (0..count)
                .map(|_| input.varint())
                .collect::<Result<_, _>>()?;
            terms.push(Postings { docs, frequencies });
        }
        if !words.is_empty() && words.len() != terms.len() {
            return Err(Malformed);
        }
        Ok(Self { words, terms })
    }
}

impl Postings {
    /// One term's postings as bytes, for an index of `docs` posts: its
    /// post count (varint), how its posts are written (a byte) and they,
    /// then each post's frequency (varint).
    pub fn encode(&self, docs: u32) -> Vec<u8> {
        let mut out = Vec::new();
        varint(&mut out, self.docs.len() as u32);
        let mut gaps = Vec::new();
        let mut last = 0;
        for (i, doc) in self.docs.iter().enumerate() {
            varint(&mut gaps, if i == 0 { *doc } else { doc - last });
            last = *doc;
        }
        let bitmap_len = (docs as usize).div_ceil(8);
        if gaps.len() > bitmap_len {
            let mut bitmap = vec![0u8; bitmap_len];
            for doc in &self.docs {
                bitmap[*doc as usize / 8] |= 1 << (doc % 8);
            }
            out.push(BITMAP);
            out.extend(bitmap);
        } else {
            out.push(GAPS);
            out.extend(gaps);
        }
        for frequency in &self.frequencies {
            varint(&mut out, *frequency);
        }
        out
    }
}

fn varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// The posts a bitmap marks, in order.
fn bits(bitmap: &[u8]) -> Vec<u32> {
    let mut docs = Vec::new();
    for (i, byte) in bitmap.iter().enumerate() {
        for bit in 0..8 {
            if byte & (1 << bit) != 0 {
                docs.push((i * 8 + bit) as u32);
            }
        }
    }
    docs
}

struct Input<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Input<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Malformed> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
            .ok_or(Malformed)?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn varint(&mut self) -> Result<u32, Malformed> {
        let mut value: u32 = 0;
        for shift in (0..35).step_by(7) {
            let byte = self.take(1)?[0];
            value |= u32::from(byte & 0x7F).checked_shl(shift).ok_or(Malformed)?;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Malformed)
    }

    /// A count, then that many words (each a length and its bytes).
    fn words(&mut self) -> Result<Vec<String>, Malformed> {
        let count = self.varint()? as usize;
        let mut words = Vec::with_capacity(count.min(self.bytes.len()));
        for _ in 0..count {
            let len = self.varint()? as usize;
            let word = std::str::from_utf8(self.take(len)?).map_err(|_| Malformed)?;
            words.push(word.to_string());
        }
        Ok(words)
    }

    fn gaps(&mut self, count: usize) -> Result<Vec<u32>, Malformed> {
        let mut docs = Vec::with_capacity(count);
        let mut last: u32 = 0;
        for i in 0..count {
            let gap = self.varint()?;
            last = if i == 0 {
                gap
            } else {
                last.checked_add(gap).ok_or(Malformed)?
            };
            docs.push(last);
        }
        Ok(docs)
    }
}

/// `docs-{n}.json`: what a result shows of each post.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DocShard {
    pub docs: Vec<Doc>,
}

/// `docpack-{n}.json`: the posts of [`DOCS_PER_PACK`] shards in one file,
/// from post `first` (a multiple of [`DOCS_PER_SHARD`]).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DocPack {
    pub first: u32,
    pub docs: Vec<Doc>,
}

impl DocPack {
    /// The `docs-{n}.json` shards this pack holds, by file name.
    pub fn into_shards(self) -> Result<Vec<(String, DocShard)>, Malformed> {
        if !(self.first as usize).is_multiple_of(DOCS_PER_SHARD) {
            return Err(Malformed);
        }
        let mut shards = Vec::with_capacity(self.docs.len().div_ceil(DOCS_PER_SHARD));
        let mut docs = self.docs.into_iter().peekable();
        let mut first = self.first;
        while docs.peek().is_some() {
            let chunk: Vec<Doc> = docs.by_ref().take(DOCS_PER_SHARD).collect();
            shards.push((docs_file(first), DocShard { docs: chunk }));
            first += DOCS_PER_SHARD as u32;
        }
        Ok(shards)
    }
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

/// `norms-{field}.bin`: each post's length norm in a field, one byte per
/// post (an index into [`FieldMeta::norms`]), then each term's BM25
/// weight (idf × (1 + k1), `f32` little-endian) in the vocabulary's order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Norms {
    pub norms: Vec<u8>,
    pub weights: Vec<f32>,
}

impl Norms {
    /// The file's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let weights = self.weights.iter().flat_map(|w| w.to_le_bytes());
        self.norms.iter().copied().chain(weights).collect()
    }

    /// The file of an index of `docs` posts and `terms` terms in the field.
    pub fn decode(bytes: &[u8], docs: u32, terms: usize) -> Result<Self, Malformed> {
        let docs = docs as usize;
        if bytes.len() != docs + 4 * terms {
            return Err(Malformed);
        }
        let (norms, weights) = bytes.split_at(docs);
        let weights = weights.chunks_exact(4);
        Ok(Self {
            norms: norms.to_vec(),
            weights: weights
                .map(|w| f32::from_le_bytes([w[0], w[1], w[2], w[3]]))
                .collect(),
        })
    }
}

/// The file of a field's shard that begins with `first`: named by its
/// first term, so a shard an edit did not reach keeps its name.
pub fn shard_file(field: &str, first: &str) -> String {
    format!("{field}-{:016x}.bin", fnv1a(first.as_bytes()))
}

/// Whether a shard may end after `term` (one term in 32): shards end at
/// terms, not at sizes alone, so a term added or grown moves the end of
/// its own shard and not of every shard after it.
pub fn ends_shard(term: &str) -> bool {
    fnv1a(term.as_bytes()).is_multiple_of(32)
}

/// FNV-1a, 64 bits: the same on every platform and in every build, as
/// file names and shard ends must be.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The file of the index's [`Meta`], named by its bytes: a host that
/// keeps `meta.json` a while never pairs it with another export's index.
pub fn index_file(bytes: &[u8]) -> String {
    format!("index-{:016x}.json", fnv1a(bytes))
}

/// The file of [`Norms`] of a field.
pub fn norms_file(field: &str) -> String {
    format!("norms-{field}.bin")
}

/// Whether `name`, a file of the folder, is one the head preloads: the
/// index ([`index_file`]) or a field's norms ([`norms_file`]), which every
/// reader fetches at the box's first focus.
pub fn is_preloaded(name: &str) -> bool {
    let index = name.starts_with("index-") && name.ends_with(".json");
    let norms = name.starts_with("norms-") && name.ends_with(".bin");
    index || norms
}

/// The file of the posts `doc` is among.
pub fn docs_file(doc: u32) -> String {
    format!("docs-{}.json", doc as usize / DOCS_PER_SHARD)
}

/// The [`DocPack`] that begins at post `first`.
pub fn pack_file(first: u32) -> String {
    format!("docpack-{}.json", first as usize / DOCS_PER_PACK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_preloads_the_engine_the_index_and_every_norm() {
        let norms = vec![norms_file("title"), norms_file("body")];
        let index = index_file(b"{}");
        let head = Head::new("/assets/e.wasm".into(), "/assets/l.js".into(), index, norms);
        let want = [
            "/assets/e.wasm",
            "/_search/index-",
            "/_search/norms-title.bin",
        ];
        for (file, want) in head.preload.iter().zip(want) {
            assert!(file.starts_with(want), "{file}");
        }
        assert_eq!(head.preload.len(), 4);
        assert_eq!(head.format, FORMAT);
        // With no engine in the bundle there is nothing to ask for there.
        let bare = Head::new(String::new(), String::new(), "i".into(), Vec::new());
        assert_eq!(bare.preload, ["/_search/i"]);
        assert_ne!(index_file(b"a"), index_file(b"b"));
        // Every file the head preloads from the folder is known as such.
        for file in head.preload.iter().filter_map(|f| f.strip_prefix(FOLDER)) {
            assert!(is_preloaded(file), "{file}");
        }
        assert!(!is_preloaded(&docs_file(0)));
        assert!(!is_preloaded("body-0123.bin"));
        assert!(!is_preloaded("meta.json"));
    }

    #[test]
    fn shards_read_back_as_written_in_gaps_and_bitmaps() {
        let sparse = Postings {
            docs: vec![3, 300, 70_000],
            frequencies: vec![1, 2, 200],
        };
        let dense = Postings {
            docs: (0..90).collect(),
            frequencies: vec![1; 90],
        };
        let shard = Shard {
            terms: vec![sparse, dense.clone(), Postings::default()],
            ..Shard::default()
        };
        let bytes = shard.encode(100);
        assert_eq!(Shard::decode(&bytes, 100), Ok(shard));
        assert!(
            Shard {
                terms: vec![dense.clone()],
                ..Shard::default()
            }
            .encode(100)
            .len()
                < 111,
            "a bitmap and a byte each"
        );
        let with_words = Shard {
            words: vec!["café".into(), "cafés".into()],
            terms: vec![dense.clone(), dense],
        };
        let bytes = with_words.encode(100);
        assert_eq!(Shard::decode(&bytes, 100), Ok(with_words.clone()));
        let one_word = Shard {
            words: vec!["café".into()],
            ..with_words
        };
        assert_eq!(
            Shard::decode(&one_word.encode(100), 100),
            Err(Malformed),
            "a word for each term"
        );
        assert_eq!(
            Shard::decode(&bytes[..bytes.len() - 1], 100),
            Err(Malformed)
        );
        assert_eq!(Shard::decode(&[0, 5, 9], 100), Err(Malformed));
        assert_eq!(Shard::decode(&[1, 2, 0xff, 0xfe], 100), Err(Malformed));
    }

    #[test]
    fn a_term_is_found_in_its_shard_whichever_holds_the_vocabulary() {
        let words = |w: &[&str]| w.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        let whole = FieldMeta {
            terms: words(&["a", "b", "c", "d", "e"]),
            shards: vec![0, 2, 4],
            count: 5,
            ..FieldMeta::default()
        };
        let cut = FieldMeta {
            terms: words(&["a", "c", "e"]),
            terms_in_shards: true,
            ..whole.clone()
        };
        for meta in [&whole, &cut] {
            assert_eq!(meta.first_term(1), "c");
            assert_eq!(meta.shard_of(3), (1, 1));
            assert_eq!(meta.shard_of(4), (2, 0));
        }
        assert_eq!(cut.shard_for("d"), Some(1));
        assert_eq!(cut.shard_for("c"), Some(1));
        assert_eq!(cut.shard_for("zz"), Some(2));
        assert_eq!(cut.shard_for("0"), None, "before the first term");
    }

    #[test]
    fn a_pack_stands_for_the_docs_shards_it_holds_and_one_out_of_step_is_refused() {
        let doc = |n: usize| Doc {
            slug: format!("post-{n}"),
            ..Doc::default()
        };
        let docs = (0..25).map(|n| doc(2_000 + n)).collect();
        let pack = DocPack { first: 2_000, docs };
        assert_eq!(pack_file(2_000), "docpack-4.json");
        let shards = pack.into_shards().unwrap();
        let names: Vec<&str> = shards.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["docs-200.json", "docs-201.json", "docs-202.json"]);
        assert_eq!(shards[2].1.docs.len(), 5);
        assert_eq!(shards[1].1.docs[0].slug, "post-2010");
        assert_eq!(names[1], docs_file(2_010));
        let out_of_step = DocPack {
            first: 5,
            docs: vec![doc(5)],
        };
        assert!(out_of_step.into_shards().is_err());
    }

    #[test]
    fn norms_read_back_and_a_file_of_another_length_is_refused() {
        let norms = Norms {
            norms: vec![3, 0, 255],
            weights: vec![1.5, 0.25],
        };
        let bytes = norms.encode();
        assert_eq!(Norms::decode(&bytes, 3, 2), Ok(norms));
        assert_eq!(Norms::decode(&bytes, 3, 3), Err(Malformed));
        assert_eq!(Norms::decode(&bytes[1..], 3, 2), Err(Malformed));
    }

    #[test]
    fn shard_names_and_ends_follow_the_term_alone() {
        assert_eq!(shard_file("body", "rust"), shard_file("body", "rust"));
        assert_ne!(shard_file("body", "rust"), shard_file("body", "rusty"));
        assert_ne!(shard_file("body", "rust"), shard_file("title", "rust"));
        // FNV-1a's published value for "a": names do not change between builds.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        let ends = (0..3200).filter(|n| ends_shard(&format!("w{n}"))).count();
        assert!((50..150).contains(&ends), "{ends} of 3200 end a shard");
    }
}
