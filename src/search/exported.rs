//! The index as the files of a static site's search (`quire export`): the
//! vocabulary, postings, BM25 weights and length norms tantivy ranks
//! with, in `quire_find::format`, so the browser's `quire_find::Engine`
//! finds the same posts in the same order as the server.
//!
//! Only the posts the export shows are in the postings; the weights are
//! the server's, counted over the whole index as tantivy counts them
//! (a term's idf over every post, deleted ones included, the average
//! length over every post), so scores match to the last bit.
//!
//! An edit changes as few files as it can, so that a later export
//! rewrites little: posts are numbered in the order ties rank in
//! ([`super::TIE_ORDER`]), which an edit does not change; the weights,
//! which any edit moves a little, are beside the norms, not in the
//! postings; and shards end at terms picked by their bytes
//! ([`quire_find::format::ends_shard`]) once long enough, so a term added
//! or grown moves the ends of its own shard only. A common word is a
//! shard of its own, so a query for it fetches it and not its neighbours.
//! The stems, only ever looked up word for word, are in their shards and
//! not in the index the search box fetches at its first focus.

use std::collections::BTreeMap;

use quire_find::format::{
    self, DOCS_PER_SHARD, Doc, DocPack, DocShard, FieldMeta, K1, Meta, Postings, Shard,
};
use tantivy::DocId;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings as _;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, SegmentReader, TERMINATED};

use super::{SearchError, SearchIndex};

/// A shard may end once it is this long…
const SHARD_BYTES: usize = 2_048;
/// …or holds this many terms, at a term that ends shards.
const SHARD_TERMS: usize = 1_000;
/// It ends at the first term past either, whatever the term: small
/// enough that a query fetches little (at 32 KB, a query for a common
/// word fetched half as much again as at 16 KB on a throttled phone).
const SHARD_BYTES_MAX: usize = 8_192;
const SHARD_TERMS_MAX: usize = 4_000;
/// A term this long is a shard of its own: a common word, in most of
/// 10,000 posts, is about 11 KB, and a query for it should not fetch its
/// neighbours too (with them, a query for one common word fetched about
/// twice its own bytes in each field).
const ALONE_BYTES: usize = 2_048;

/// The files of an exported index, by name under `/_search/`.
pub struct Exported {
    pub meta: Meta,
    /// Postings shards, encoded ([`Shard::encode`]), and each field's norms.
    pub shards: Files,
    pub docs: Vec<(String, DocShard)>,
    /// The same posts, [`format::DOCS_PER_PACK`] a file.
    pub packs: Vec<(String, DocPack)>,
}

/// Files by name, and their bytes.
type Files = Vec<(String, Vec<u8>)>;

/// The export's numbering of the posts it shows: by (segment, doc id).
type Numbering = Vec<Vec<Option<u32>>>;

impl SearchIndex {
    /// The index as files, with the posts `shown` returns a `Doc` for.
    pub fn export(&self, shown: &dyn Fn(&str) -> Option<Doc>) -> Result<Exported, SearchError> {
        let searcher = self.reader.searcher();
        let (numbering, docs) = number(&searcher, shown)?;
        let total_docs: u64 = searcher
            .segment_readers()
            .iter()
            .map(|s| u64::from(s.max_doc()))
            .sum();
        let counts = (total_docs, docs.len() as u32);
        let (fields, shards) = self.export_fields(&searcher, &numbering, counts)?;
        let lang = self.fields.lang;
        let (langs, doc_langs) = languages(&searcher, lang, &numbering, docs.len())?;
        let stemmers = self
            .languages
            .of(&searcher, lang)
            .iter()
            .map(|(c, _)| c.to_string())
            .collect();
        let meta = Meta {
            format: format::FORMAT,
            docs: docs.len() as u32,
            fields,
            doc_langs,
            langs,
            stemmers,
            fieldnorms: (0..=255u8).map(FieldNormReader::id_to_fieldnorm).collect(),
            fold: super::fold::table().to_vec(),
            ..Meta::default()
        };
        Ok(Exported {
            meta,
            shards,
            packs: pack_files(&docs),
            docs: docs_files(&docs),
        })
    }

    /// Every field's vocabulary, norms and shards, the fields side by
    /// side on rayon's threads (`body` and `stemmed` take the longest).
    fn export_fields(
        &self,
        searcher: &Searcher,
        numbering: &Numbering,
        counts: (u64, u32),
    ) -> Result<(Vec<FieldMeta>, Files), SearchError> {
        use rayon::prelude::*;
        let fields: Vec<(Field, &str)> = self.exported_fields().collect();
        let each =
            |&(field, name): &(Field, &str)| export_field(searcher, field, name, numbering, counts);
        let exported: Vec<(FieldMeta, Files)> =
            fields.par_iter().map(each).collect::<Result<_, _>>()?;
        let (fields, files): (Vec<FieldMeta>, Vec<Files>) = exported.into_iter().unzip();
        Ok((fields, files.into_iter().flatten().collect()))
    }

    /// The fields the browser searches, by quire-find's names: the exact
    /// ones, then `stemmed`.
    fn exported_fields(&self) -> impl Iterator<Item = (Field, &'static str)> {
        let f = self.fields;
        let exact = [f.title, f.tags, f.category, f.description, f.body];
        let names = quire_find::query::EXACT_FIELDS.map(|(name, _)| name);
        exact
            .into_iter()
            .zip(names)
            .chain([(f.stemmed, quire_find::query::STEMMED_FIELD)])
    }
}

/// The shown posts, [`format::DOCS_PER_PACK`] a file.
fn pack_files(docs: &[Doc]) -> Vec<(String, DocPack)> {
    chunked(docs, format::DOCS_PER_PACK, |first, docs| {
        (format::pack_file(first), DocPack { first, docs })
    })
}

/// The shown posts, [`DOCS_PER_SHARD`] a file.
fn docs_files(docs: &[Doc]) -> Vec<(String, DocShard)> {
    chunked(docs, DOCS_PER_SHARD, |first, docs| {
        (format::docs_file(first), DocShard { docs })
    })
}

/// `docs` cut into files of `size` posts, each made by `file` from the
/// number of its first post and its posts.
fn chunked<T>(docs: &[Doc], size: usize, file: impl Fn(u32, Vec<Doc>) -> T) -> Vec<T> {
    let each = |(n, chunk): (usize, &[Doc])| file((n * size) as u32, chunk.to_vec());
    docs.chunks(size).enumerate().map(each).collect()
}

/// Numbers the shown posts in the order their ties rank in
/// ([`super::TIE_ORDER`]: newest day, then slug, both descending), which
/// an edit of a post does not change.
fn number(
    searcher: &Searcher,
    shown: &dyn Fn(&str) -> Option<Doc>,
) -> Result<(Numbering, Vec<Doc>), SearchError> {
    let [day, slug] = super::TIE_ORDER;
    let mut found: Vec<((u64, String), usize, DocId, Doc)> = Vec::new();
    let mut numbering = Vec::new();
    for (at, segment) in searcher.segment_readers().iter().enumerate() {
        let fast = segment.fast_fields();
        let days = fast.u64(day)?.first_or_default_col(0);
        let slugs = fast.str(slug)?.ok_or_else(|| no_column(slug))?;
        let keys = terms_by_ord(&slugs)?;
        for id in segment.doc_ids_alive() {
            let Some(key) = slugs
                .term_ords(id)
                .next()
                .and_then(|o| keys.get(o as usize))
            else {
                continue;
            };
            if let Some(doc) = shown(key) {
                found.push(((days.get_val(id), key.clone()), at, id, doc));
            }
        }
        numbering.push(vec![None; segment.max_doc() as usize]);
    }
    found.sort_by(|a, b| b.0.cmp(&a.0));
    let mut docs = Vec::with_capacity(found.len());
    for (_, at, id, doc) in found {
        numbering[at][id as usize] = Some(docs.len() as u32);
        docs.push(doc);
    }
    Ok((numbering, docs))
}

/// Every term of a string column, by its number (ord): the dictionary
/// read through once, each compressed block opened once, where looking
/// up each post's ord (`ord_to_str`) opens a block, with a new zstd
/// context, per post.
fn terms_by_ord(column: &tantivy::columnar::StrColumn) -> Result<Vec<String>, SearchError> {
    let dictionary = column.dictionary();
    let mut terms = Vec::with_capacity(dictionary.num_terms());
    let mut stream = dictionary.stream()?;
    while stream.advance() {
        terms.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(terms)
}

/// An index without the fast field ties are ranked by (one written
/// before it existed is rebuilt at start, `FORMAT_VERSION`).
fn no_column(field: &str) -> SearchError {
    let what = format!("the index has no fast field {field}: it is of an older format");
    SearchError::Index(tantivy::TantivyError::SchemaError(what))
}

/// One field's vocabulary, norms and shards (`counts`: the posts tantivy
/// counts, the posts shown).
fn export_field(
    searcher: &Searcher,
    field: Field,
    name: &str,
    numbering: &Numbering,
    counts: (u64, u32),
) -> Result<(FieldMeta, Files), SearchError> {
    let (total_docs, shown) = counts;
    let mut terms: BTreeMap<Vec<u8>, (u64, Postings)> = BTreeMap::new();
    let mut tokens = 0u64;
    for (segment, numbers) in searcher.segment_readers().iter().zip(numbering) {
        tokens += segment.inverted_index(field)?.total_num_tokens();
        read_segment(segment, field, numbers, &mut terms)?;
    }
    let mut meta = FieldMeta {
        name: name.to_string(),
        average: tokens as f32 / total_docs.max(1) as f32,
        terms_in_shards: name == quire_find::query::STEMMED_FIELD,
        ..FieldMeta::default()
    };
    let norms = norms_of(searcher, field, numbering, shown)?;
    let (shards, weights) = cut(&mut meta, terms, counts);
    let norms = format::Norms { norms, weights };
    let mut files = vec![(format::norms_file(name), norms.encode())];
    files.extend(shards);
    Ok((meta, files))
}

/// Each shown post's field norm id in `field`.
fn norms_of(
    searcher: &Searcher,
    field: Field,
    numbering: &Numbering,
    shown: u32,
) -> Result<Vec<u8>, SearchError> {
    let mut norms = vec![0u8; shown as usize];
    for (segment, numbers) in searcher.segment_readers().iter().zip(numbering) {
        let reader = segment.get_fieldnorms_reader(field)?;
        for (id, number) in numbers.iter().enumerate() {
            if let Some(number) = number {
                norms[*number as usize] = reader.fieldnorm_id(id as u32);
            }
        }
    }
    Ok(norms)
}

/// The terms into `meta`'s vocabulary (or its shards', when they hold
/// the terms) and shards, and each term's weight. A shard ends after a term [`format::ends_shard`] picks once it
/// holds [`SHARD_BYTES`] or [`SHARD_TERMS`], or at any term past the
/// maxima; a term of [`ALONE_BYTES`] is a shard of its own.
fn cut(
    meta: &mut FieldMeta,
    terms: BTreeMap<Vec<u8>, (u64, Postings)>,
    counts: (u64, u32),
) -> (Files, Vec<f32>) {
    let (total_docs, shown) = counts;
    let mut shards = Shards::default();
    let mut weights = Vec::with_capacity(terms.len());
    for (key, (doc_freq, postings)) in terms {
        let term = String::from_utf8_lossy(&key).into_owned();
        let bytes = in_order(postings).encode(shown);
        let alone = bytes.len() >= ALONE_BYTES;
        if alone {
            shards.close(meta);
        }
        let ends = format::ends_shard(&term);
        shards.add(meta, term, bytes);
        weights.push(idf(doc_freq, total_docs) * (1.0 + K1));
        if alone || shards.full(ends) {
            shards.close(meta);
        }
    }
    shards.close(meta);
    (shards.done, weights)
}

/// The shards of a field as [`cut`] closes them, and the one open.
#[derive(Default)]
struct Shards {
    done: Files,
    /// The open shard's postings, encoded.
    open: Vec<u8>,
    /// Its terms, when the shards hold them.
    words: Vec<String>,
    terms: usize,
}

impl Shards {
    /// Adds `term`, its postings encoded in `bytes`, to the open shard.
    fn add(&mut self, meta: &mut FieldMeta, term: String, bytes: Vec<u8>) {
        if self.terms == 0 {
            meta.shards.push(meta.count);
            if meta.terms_in_shards {
                meta.terms.push(term.clone());
            }
        }
        match meta.terms_in_shards {
            true => self.words.push(term),
            false => meta.terms.push(term),
        }
        meta.count += 1;
        self.open.extend(bytes);
        self.terms += 1;
    }

    /// Whether the open shard ends here, after a term that `ends` shards.
    fn full(&self, ends: bool) -> bool {
        let long = self.open.len() >= SHARD_BYTES || self.terms >= SHARD_TERMS;
        let too_long = self.open.len() >= SHARD_BYTES_MAX || self.terms >= SHARD_TERMS_MAX;
        (ends && long) || too_long
    }

    /// Closes the open shard, if it holds a term.
    fn close(&mut self, meta: &FieldMeta) {
        if self.terms > 0 {
            let bytes = Shard::assemble(&self.words, &self.open);
            self.done.push(close(meta, bytes));
            self.open.clear();
            self.words.clear();
            self.terms = 0;
        }
    }
}

/// `postings` by post number (segments number their posts apart).
fn in_order(postings: Postings) -> Postings {
    let mut pairs: Vec<(u32, u32)> = postings
        .docs
        .into_iter()
        .zip(postings.frequencies)
        .collect();
    pairs.sort_unstable();
    let (docs, frequencies) = pairs.into_iter().unzip();
    Postings { docs, frequencies }
}

/// The last shard of `meta`, named by its first term.
fn close(meta: &FieldMeta, bytes: Vec<u8>) -> (String, Vec<u8>) {
    let first = meta.first_term(meta.shards.len() - 1);
    (format::shard_file(&meta.name, first), bytes)
}

/// Adds one segment's terms of `field`: document frequency (every post,
/// as tantivy's idf counts it) and the shown posts with the frequency.
fn read_segment(
    segment: &SegmentReader,
    field: Field,
    numbers: &[Option<u32>],
    terms: &mut BTreeMap<Vec<u8>, (u64, Postings)>,
) -> Result<(), SearchError> {
    let inverted = segment.inverted_index(field)?;
    let mut stream = inverted.terms().stream()?;
    while stream.advance() {
        let info = stream.value().clone();
        let (doc_freq, postings) = terms.entry(stream.key().to_vec()).or_default();
        *doc_freq += u64::from(info.doc_freq);
        let mut read = inverted.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
        while read.doc() != TERMINATED {
            if let Some(number) = numbers[read.doc() as usize] {
                postings.docs.push(number);
                postings.frequencies.push(read.term_freq());
            }
            read.advance();
        }
    }
    Ok(())
}

/// tantivy's idf: ln(1 + (N − n + 0.5) / (n + 0.5)).
fn idf(doc_freq: u64, total_docs: u64) -> f32 {
    let x = ((total_docs - doc_freq) as f32 + 0.5) / (doc_freq as f32 + 0.5);
    (1.0 + x).ln()
}

/// The primary language of each shown post, from the `lang` field.
fn languages(
    searcher: &Searcher,
    lang: Field,
    numbering: &Numbering,
    count: usize,
) -> Result<(Vec<String>, Vec<u16>), SearchError> {
    let mut langs: Vec<String> = Vec::new();
    let mut doc_langs = vec![0u16; count];
    for (segment, numbers) in searcher.segment_readers().iter().zip(numbering) {
        let inverted = segment.inverted_index(lang)?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            let tag = String::from_utf8_lossy(stream.key()).into_owned();
            let at = match langs.iter().position(|l| *l == tag) {
                Some(at) => at,
                None => {
                    langs.push(tag);
                    langs.len() - 1
                }
            };
            let info = stream.value().clone();
            let mut postings =
                inverted.read_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
            while postings.doc() != TERMINATED {
                if let Some(number) = numbers[postings.doc() as usize] {
                    doc_langs[number as usize] = at as u16;
                }
                postings.advance();
            }
        }
    }
    Ok((langs, doc_langs))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use quire_find::{Engine, Outcome};

    use super::*;
    use crate::content::{RenderOptions, read_document};
    use crate::store::Store;

    /// The bundled blog and the languages fixture, in one store.
    fn store() -> Store {
        let store = Store::temporary().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for folder in ["content", "tests/fixtures/languages"] {
            let folder = root.join(folder);
            for path in crate::content::discover(&folder, &[]) {
                let (doc, _) = read_document(&folder, &path, &RenderOptions::default()).unwrap();
                store.upsert(&doc, &doc.slug).unwrap();
            }
        }
        store
    }

    fn queries() -> Vec<String> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/search/queries.txt"
        );
        let text = std::fs::read_to_string(path).unwrap();
        text.lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect()
    }

    fn shown(doc: &str) -> Option<Doc> {
        Some(Doc {
            slug: doc.to_string(),
            ..Doc::default()
        })
    }

    /// An engine holding every file of `exported`.
    fn engine(exported: &Exported) -> Engine {
        let mut engine = Engine::new(exported.meta.clone());
        for (name, bytes) in &exported.shards {
            engine.add(name, bytes).unwrap();
        }
        for (name, docs) in &exported.docs {
            engine
                .add(name, &serde_json::to_vec(docs).unwrap())
                .unwrap();
        }
        engine
    }

    /// Every match, as the server ranks them and as the engine does: the
    /// same posts, the same scores, the same order, ties included.
    fn assert_same(
        index: &SearchIndex,
        exported: &Exported,
        engine: &Engine,
        query: &str,
        lang: Option<&str>,
    ) {
        let terms = index.terms(query);
        let (server, total) = index.search_in(&terms, 10_000, lang).unwrap();
        let slugs: Vec<&str> = exported
            .docs
            .iter()
            .flat_map(|(_, d)| &d.docs)
            .map(|d| d.slug.as_str())
            .collect();
        let ours: Vec<(&str, f32)> = engine
            .rank(query, lang)
            .unwrap()
            .into_iter()
            .map(|(doc, score)| (slugs[doc as usize], score))
            .collect();
        assert_eq!(ours.len(), total, "{query:?}: {ours:?}\nserver {server:?}");
        for (i, ((slug, score), (theirs, their_score))) in ours.iter().zip(&server).enumerate() {
            let close = (score - their_score).abs() <= 1e-4 * their_score.abs().max(1.0);
            assert!(
                close,
                "{query:?} #{i}: {slug} {score} vs {theirs} {their_score}"
            );
            assert_eq!(slug, theirs, "{query:?} #{i}: {ours:?}\nserver {server:?}");
        }
    }

    /// An index of every post of `store`.
    fn built(store: &Store) -> SearchIndex {
        let index = SearchIndex::new().unwrap();
        index.rebuild(store, false).unwrap();
        index
    }

    /// Indexes three posts again: a second segment, and deleted copies
    /// the statistics still count.
    fn index_again(index: &SearchIndex, store: &Store) {
        let again = ["postgres-vacuum", "tokyo", "concert"].map(String::from);
        index.update(store, &again, false).unwrap();
    }

    #[test]
    fn the_export_ranks_every_query_as_the_server_does() {
        let store = store();
        let index = built(&store);
        index_again(&index, &store);
        let exported = index.export(&shown).unwrap();
        assert!(
            exported.shards.len() > 6,
            "{} shards",
            exported.shards.len()
        );
        let engine = engine(&exported);
        let queries = queries();
        assert!(queries.len() >= 30);
        for query in &queries {
            assert_same(&index, &exported, &engine, query, None);
            assert_same(&index, &exported, &engine, query, Some("fr"));
        }
    }

    #[test]
    fn posts_indexed_again_unchanged_leave_every_shard_and_post_file_as_it_was() {
        let store = store();
        let index = built(&store);
        let before = index.export(&shown).unwrap();
        index_again(&index, &store);
        let after = index.export(&shown).unwrap();
        let shards = |e: &Exported| -> Vec<(String, Vec<u8>)> {
            let not_norms = e.shards.iter().filter(|(n, _)| !n.starts_with("norms-"));
            not_norms.cloned().collect()
        };
        assert_eq!(shards(&after), shards(&before));
        let slugs = |e: &Exported| -> Vec<String> {
            let docs = e.docs.iter().flat_map(|(_, d)| &d.docs);
            docs.map(|d| d.slug.clone()).collect()
        };
        assert_eq!(slugs(&after), slugs(&before));
        let norms = |e: &Exported| {
            e.shards
                .iter()
                .find(|(n, _)| n == "norms-body.bin")
                .cloned()
        };
        assert_ne!(
            norms(&after),
            norms(&before),
            "the weights count the old copies"
        );
    }

    #[test]
    fn with_the_packs_a_query_waits_on_its_postings_alone() {
        let index = built(&store());
        let exported = index.export(&shown).unwrap();
        let in_packs = exported.packs.iter().flat_map(|(_, p)| &p.docs);
        let in_shards = exported.docs.iter().flat_map(|(_, d)| &d.docs);
        let slugs = |docs: &mut dyn Iterator<Item = &Doc>| -> Vec<String> {
            docs.map(|d| d.slug.clone()).collect()
        };
        assert_eq!(slugs(&mut in_packs.clone()), slugs(&mut in_shards.clone()));
        let mut engine = Engine::new(exported.meta.clone());
        for (name, pack) in &exported.packs {
            engine
                .add(name, &serde_json::to_vec(pack).unwrap())
                .unwrap();
        }
        let Outcome::Need(files) = engine.search("postgres", 5, None) else {
            panic!("nothing to load")
        };
        let all: std::collections::HashMap<&str, &Vec<u8>> = exported
            .shards
            .iter()
            .map(|(n, s)| (n.as_str(), s))
            .collect();
        for file in &files {
            engine.add(file, all[file.as_str()]).unwrap();
        }
        let Outcome::Found(found) = engine.search("postgres", 5, None) else {
            panic!("a second round: the packs did not stand for the posts' shards")
        };
        let server = index.search(&index.terms("postgres"), 5).unwrap().0;
        let slugs: Vec<&str> = found.hits.iter().map(|h| h.slug.as_str()).collect();
        let theirs: Vec<&str> = server.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(slugs, theirs);
    }

    #[test]
    fn a_query_asks_for_the_shards_it_needs_then_the_posts_it_shows() {
        let index = built(&store());
        let exported = index.export(&shown).unwrap();
        let mut engine = Engine::new(exported.meta.clone());
        let Outcome::Need(files) = engine.search("postgres", 5, None) else {
            panic!("nothing to load")
        };
        assert!(files.iter().all(|f| !f.starts_with("docs-")), "{files:?}");
        assert!(files.len() < exported.shards.len() / 2, "{files:?}");
        let all: std::collections::HashMap<&str, Vec<u8>> = exported
            .shards
            .iter()
            .map(|(n, s)| (n.as_str(), s.clone()))
            .chain(
                exported
                    .docs
                    .iter()
                    .map(|(n, d)| (n.as_str(), serde_json::to_vec(d).unwrap())),
            )
            .collect();
        for round in 0..3 {
            match engine.search("postgres", 5, None) {
                Outcome::Need(files) => {
                    // The stem's shard comes with the word's, then the posts.
                    let docs = files.iter().filter(|f| f.starts_with("docs-")).count();
                    match round {
                        0 => assert!(files.iter().any(|f| f.starts_with("stemmed-"))),
                        _ => assert_eq!(docs, files.len(), "round {round}: {files:?}"),
                    }
                    for file in files {
                        engine.add(&file, &all[file.as_str()]).unwrap();
                    }
                }
                Outcome::Found(found) => {
                    assert_eq!(round, 2, "postings and norms, then posts");
                    let server = index.search(&index.terms("postgres"), 5).unwrap().0;
                    let slugs: Vec<&str> = found.hits.iter().map(|h| h.slug.as_str()).collect();
                    let theirs: Vec<&str> = server.iter().map(|(s, _)| s.as_str()).collect();
                    assert_eq!(slugs, theirs);
                    return;
                }
            }
        }
        panic!("still loading after three rounds");
    }

    #[test]
    fn the_stems_are_in_their_shards_and_the_index_names_each_shard_s_first() {
        let exported = built(&store()).export(&shown).unwrap();
        let fields = &exported.meta.fields;
        let stemmed = fields.iter().find(|f| f.name == "stemmed").unwrap();
        assert!(stemmed.terms_in_shards);
        assert_eq!(stemmed.terms.len(), stemmed.shards.len());
        let mut words = Vec::new();
        for (n, first) in stemmed.terms.iter().enumerate() {
            let file = format::shard_file("stemmed", first);
            let bytes = exported.shards.iter().find(|(name, _)| *name == file);
            let shard = Shard::decode(&bytes.unwrap().1, exported.meta.docs).unwrap();
            assert_eq!(shard.words.first(), Some(first));
            assert_eq!(stemmed.shards[n] as usize, words.len());
            words.extend(shard.words);
        }
        assert!(words.len() > 2 * stemmed.terms.len(), "{}", words.len());
        assert_eq!(words.len(), stemmed.count as usize);
        assert!(words.is_sorted(), "{words:?}");
        assert!(words.contains(&"en:postgr".to_string()), "{words:?}");
        // The exact fields keep their vocabulary in the index, for prefixes
        // and typos, and their shards hold postings alone.
        let body = fields.iter().find(|f| f.name == "body").unwrap();
        assert!(!body.terms_in_shards && body.terms.len() == body.count as usize);
    }

    #[test]
    fn a_common_word_is_a_shard_of_its_own() {
        let rare = |doc: u32| {
            (
                1,
                Postings {
                    docs: vec![doc],
                    frequencies: vec![1],
                },
            )
        };
        let common = Postings {
            docs: (0..20_000).collect(),
            frequencies: vec![1; 20_000],
        };
        let mut terms: BTreeMap<Vec<u8>, (u64, Postings)> = BTreeMap::new();
        for n in 0..40u32 {
            terms.insert(format!("a{n:02}").into_bytes(), rare(n));
            terms.insert(format!("z{n:02}").into_bytes(), rare(n));
        }
        terms.insert(b"m-common".to_vec(), (20_000, common));
        let mut meta = FieldMeta::default();
        let (files, weights) = cut(&mut meta, terms, (20_000, 20_000));
        assert_eq!(weights.len(), 81);
        let at = meta.terms.iter().position(|t| t == "m-common").unwrap() as u32;
        let own = meta.shards.iter().position(|s| *s == at);
        let own = own.expect("the common word begins a shard");
        assert_eq!(
            meta.shards.get(own + 1),
            Some(&(at + 1)),
            "{:?}",
            meta.shards
        );
        assert_eq!(files.len(), meta.shards.len());
        // The rare words beside it are in shards a fraction of its size.
        let common_bytes = files[own].1.len();
        assert!(
            files
                .iter()
                .enumerate()
                .all(|(i, f)| i == own || f.1.len() < common_bytes / 10)
        );
    }
}
