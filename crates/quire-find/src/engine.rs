//! Ranking an exported index as the server ranks its own: the same words
//! ([`QueryTerms`]), the same ways to match ([`QueryTerms::rule`]) and
//! tantivy's scores, computed from the exported weights and norms with
//! the same `f32` operations.
//!
//! A word's score in a post is the sum of what it matched there: an exact
//! word, BM25 × its field's boost × 2 ([`EXACT_BOOST`]); any word it is the
//! start of, the field's boost once; any word one typo away, half of it;
//! a stem, its BM25. Every word must match; a post's score is the sum of
//! its words', plus [`LANGUAGE_FIRST`] in the reader's language. Ties go
//! to the lower-numbered post: the export numbers the posts in the order
//! the server breaks ties in.
//!
//! The engine holds only the files it was given: [`Engine::search`]
//! answers [`Outcome::Need`] with the files a query needs first. A
//! [`DocPack`] added stands for every `docs-{n}.json` it holds.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::format::{self, DocPack, DocShard, FieldMeta, Malformed, Meta, Norms, Shard};
use crate::highlight::{Fragment, SNIPPET_WORDS, highlight, snippet};
use crate::query::{
    EXACT_BOOST, EXACT_FIELDS, LANGUAGE_FIRST, QueryTerms, STEMMED_BOOST, STEMMED_FIELD,
    TYPO_BOOST, within_one_edit,
};

/// An exported index and the shards loaded so far.
pub struct Engine {
    meta: Meta,
    /// Each field's BM25 length part by field norm id
    /// ([`format::FieldMeta::length_parts`]).
    length_parts: Vec<Vec<f32>>,
    /// By file name.
    shards: HashMap<String, Shard>,
    /// Each post's norm in a field and each term's weight, by file name.
    norms: HashMap<String, Norms>,
    docs: HashMap<String, DocShard>,
}

/// What a search needs or found.
#[derive(Debug, Serialize, Deserialize)]
pub enum Outcome {
    /// These files (under [`format::FOLDER`]) must be loaded first.
    Need(Vec<String>),
    Found(Found),
}

/// The results, in the shape of the server's `/api/search` answer.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Found {
    pub query: String,
    pub hits: Vec<Hit>,
    pub total: u32,
    pub status: String,
    pub all: String,
    /// The search page's count sentence.
    pub page: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Hit {
    pub slug: String,
    pub url: String,
    pub title: Vec<Fragment>,
    pub category: String,
    pub date: String,
    pub shown: String,
    pub snippet: Vec<Fragment>,
}

/// One way a word matches: the postings of some terms of a field, scored
/// by BM25 or by a constant once per post.
struct Alternative {
    field: usize,
    terms: Vec<usize>,
    boost: f32,
    bm25: bool,
}

impl Engine {
    /// An engine over the index `meta.json` describes.
    pub fn new(meta: Meta) -> Self {
        let fields = meta.fields.iter();
        let length_parts = fields.map(|f| f.length_parts(&meta.fieldnorms)).collect();
        Self {
            meta,
            length_parts,
            shards: HashMap::new(),
            norms: HashMap::new(),
            docs: HashMap::new(),
        }
    }

    /// Adds a loaded file: `name` as [`Outcome::Need`] named it.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> Result<(), Malformed> {
        let name = name.to_string();
        if name.starts_with("docs-") {
            let docs = serde_json::from_slice(bytes).map_err(|_| Malformed)?;
            self.docs.insert(name, docs);
        } else if name.starts_with("docpack-") {
            let pack: DocPack = serde_json::from_slice(bytes).map_err(|_| Malformed)?;
            self.docs.extend(pack.into_shards()?);
        } else if name.starts_with("norms-") {
            let mut fields = self.meta.fields.iter();
            let field = fields.find(|f| format::norms_file(&f.name) == name);
            let terms = field.ok_or(Malformed)?.count as usize;
            let norms = Norms::decode(bytes, self.meta.docs, terms)?;
            self.norms.insert(name, norms);
        } else {
            self.shards
                .insert(name, Shard::decode(bytes, self.meta.docs)?);
        }
        Ok(())
    }

    /// The best `limit` posts for `query`, those in `language` (a page's
    /// `lang`, when it is one of the site's) first.
    pub fn search(&self, query: &str, limit: usize, language: Option<&str>) -> Outcome {
        let terms = self.terms(query);
        let mut ranked = match self.rank_terms(&terms, language) {
            Ok(ranked) => ranked,
            Err(need) => return Outcome::Need(need),
        };
        let top: Vec<u32> = best(&mut ranked, limit)
            .iter()
            .map(|(doc, _)| *doc)
            .collect();
        let need = self.missing(top.iter().map(|doc| format::docs_file(*doc)));
        if !need.is_empty() {
            return Outcome::Need(need);
        }
        let words = self.words(language);
        let total = ranked.len();
        Outcome::Found(Found {
            query: query.to_string(),
            hits: top
                .iter()
                .filter_map(|doc| self.hit(*doc, &terms))
                .collect(),
            total: total as u32,
            status: words.map(|w| w.status(total)).unwrap_or_default(),
            all: words.map(|w| w.all(total)).unwrap_or_default(),
            page: words
                .map(|w| w.page(total, query.trim()))
                .unwrap_or_default(),
        })
    }

    /// Every matching post and its score, best first; `Err` with the files
    /// the query needs when some are not loaded.
    pub fn rank(
        &self,
        query: &str,
        language: Option<&str>,
    ) -> Result<Vec<(u32, f32)>, Vec<String>> {
        let mut ranked = self.rank_terms(&self.terms(query), language)?;
        ranked.sort_unstable_by(best_first);
        Ok(ranked)
    }

    /// [`Engine::rank`] for a query already parsed, in no order.
    fn rank_terms(
        &self,
        terms: &QueryTerms,
        language: Option<&str>,
    ) -> Result<Vec<(u32, f32)>, Vec<String>> {
        let words: Vec<Vec<Alternative>> = (0..terms.words.len())
            .map(|i| self.alternatives(terms, i))
            .collect();
        let alternatives = || words.iter().flatten().filter(|alt| !alt.terms.is_empty());
        let shards =
            alternatives().flat_map(|alt| alt.terms.iter().map(|t| self.shard_of(alt.field, *t).0));
        // Each post's norm in the fields scored by BM25.
        let norms = alternatives().filter(|alt| alt.bm25);
        let norms = norms.map(|alt| format::norms_file(&self.meta.fields[alt.field].name));
        // The shards that hold the stems, if they are there at all: they
        // come with the first shards, not a round trip after them.
        let stems = terms.stems.iter().flatten();
        let stems = stems.flat_map(|stem| self.stem_files(stem));
        let need = self.missing(shards.chain(norms).chain(stems));
        if !need.is_empty() {
            return Err(need);
        }
        let mut total: Option<Scores> = None;
        for alternatives in &words {
            let scores = self.word_scores(alternatives);
            total = Some(match total {
                None => scores,
                Some(sum) => sum.intersect(&scores),
            });
        }
        let mut ranked = total.map(|t| t.ranked()).unwrap_or_default();
        if let Some(lang) = language.and_then(|l| self.lang_index(l)) {
            for (doc, score) in &mut ranked {
                if self.meta.doc_langs.get(*doc as usize) == Some(&lang) {
                    *score += LANGUAGE_FIRST;
                }
            }
        }
        Ok(ranked)
    }

    /// The words and stems of `query`.
    fn terms(&self, query: &str) -> QueryTerms {
        let stemmers: Vec<&str> = self.meta.stemmers.iter().map(String::as_str).collect();
        QueryTerms::parse(query, self.meta.fold.as_slice(), &stemmers)
    }

    /// The ways word `i` of `terms` matches, in the server's order.
    fn alternatives(&self, terms: &QueryTerms, i: usize) -> Vec<Alternative> {
        let word = &terms.words[i];
        let exact_fields = &self.meta.fields[..EXACT_FIELDS.len().min(self.meta.fields.len())];
        let known = exact_fields.iter().any(|f| find(f, word).is_some());
        let rule = terms.rule(i, known);
        let mut out = Vec::new();
        for (field, (meta, (_, boost))) in exact_fields.iter().zip(EXACT_FIELDS).enumerate() {
            if let Some(t) = find(meta, word) {
                out.push(Alternative {
                    field,
                    terms: vec![t],
                    boost: boost * EXACT_BOOST,
                    bm25: true,
                });
            }
            if rule.prefix {
                out.push(Alternative {
                    field,
                    terms: with_prefix(meta, word),
                    boost,
                    bm25: false,
                });
            }
            if rule.typo {
                let near = meta
                    .terms
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| within_one_edit(t, word));
                let terms = near.map(|(i, _)| i).collect();
                out.push(Alternative {
                    field,
                    terms,
                    boost: boost * TYPO_BOOST,
                    bm25: false,
                });
            }
        }
        let stemmed = self.stemmed_field();
        for stem in terms.stems.get(i).into_iter().flatten() {
            if let Some((field, t)) = stemmed.and_then(|f| Some((f, self.find_in(f, stem)?))) {
                out.push(Alternative {
                    field,
                    terms: vec![t],
                    boost: STEMMED_BOOST,
                    bm25: true,
                });
            }
        }
        out
    }

    /// The number of the stemmed field, when the index has one.
    fn stemmed_field(&self) -> Option<usize> {
        let mut fields = self.meta.fields.iter();
        fields.position(|f| f.name == STEMMED_FIELD)
    }

    /// The number of `word` among the terms of field `field`; `None` when
    /// it is not one, or is in a shard not loaded yet.
    fn find_in(&self, field: usize, word: &str) -> Option<usize> {
        let meta = &self.meta.fields[field];
        if !meta.terms_in_shards {
            return find(meta, word);
        }
        let shard = meta.shard_for(word)?;
        let file = format::shard_file(&meta.name, meta.first_term(shard));
        let words = &self.shards.get(&file)?.words;
        let at = words.binary_search_by(|w| w.as_str().cmp(word)).ok()?;
        Some(meta.shards[shard] as usize + at)
    }

    /// The file that holds `stem` if the stemmed field has it, when that
    /// field's shards hold its terms, and the norms that score it.
    fn stem_files(&self, stem: &str) -> Vec<String> {
        let Some(meta) = self.stemmed_field().map(|f| &self.meta.fields[f]) else {
            return Vec::new();
        };
        match meta.terms_in_shards.then(|| meta.shard_for(stem)).flatten() {
            Some(shard) => vec![
                format::shard_file(&meta.name, meta.first_term(shard)),
                format::norms_file(&meta.name),
            ],
            None => Vec::new(),
        }
    }

    /// A word's score in each post it matches: its alternatives' summed,
    /// each post's in the same order as the server adds them.
    fn word_scores(&self, alternatives: &[Alternative]) -> Scores {
        let mut scores = Scores::new(self.meta.docs as usize);
        for alt in alternatives {
            match alt.bm25 {
                true => self.add_bm25(alt, &mut scores),
                false => self.add_once(alt, &mut scores),
            }
        }
        scores
    }

    /// Adds `alt`'s BM25 in each post its terms are in.
    fn add_bm25(&self, alt: &Alternative, scores: &mut Scores) {
        let field = &self.meta.fields[alt.field];
        let norms = &self.norms[&format::norms_file(&field.name)];
        let parts = &self.length_parts[alt.field];
        for &term in &alt.terms {
            let postings = self.postings(alt.field, term);
            let weight = norms.weights[term] * alt.boost;
            for (doc, tf) in postings.docs.iter().zip(&postings.frequencies) {
                let norm = norms.norms.get(*doc as usize);
                if let Some(norm) = norm.and_then(|id| parts.get(usize::from(*id))) {
                    scores.add(*doc, bm25(weight, *tf, *norm));
                }
            }
        }
    }

    /// Adds `alt`'s boost once in each post any of its terms is in.
    fn add_once(&self, alt: &Alternative, scores: &mut Scores) {
        let mut seen = vec![false; scores.score.len()];
        for &term in &alt.terms {
            for &doc in &self.postings(alt.field, term).docs {
                if let Some(seen) = seen.get_mut(doc as usize).filter(|s| !**s) {
                    *seen = true;
                    scores.add(doc, alt.boost);
                }
            }
        }
    }

    fn postings(&self, field: usize, term: usize) -> &format::Postings {
        let (file, at) = self.shard_of(field, term);
        &self.shards[&file].terms[at]
    }

    /// The file holding a term's postings, and its place there.
    fn shard_of(&self, field: usize, term: usize) -> (String, usize) {
        let meta = &self.meta.fields[field];
        let (shard, at) = meta.shard_of(term);
        (format::shard_file(&meta.name, meta.first_term(shard)), at)
    }

    fn missing(&self, files: impl Iterator<Item = String>) -> Vec<String> {
        let mut need: Vec<String> = files
            .filter(|f| {
                !self.shards.contains_key(f)
                    && !self.norms.contains_key(f)
                    && !self.docs.contains_key(f)
            })
            .collect();
        need.sort();
        need.dedup();
        need
    }

    /// What a result shows of `doc`: its title and description, the
    /// words `terms` matched marked.
    fn hit(&self, doc: u32, terms: &QueryTerms) -> Option<Hit> {
        let shard = self.docs.get(&format::docs_file(doc))?;
        let entry = shard.docs.get(doc as usize % format::DOCS_PER_SHARD)?;
        let fold = self.meta.fold.as_slice();
        Some(Hit {
            slug: entry.slug.clone(),
            url: entry.url.clone(),
            title: highlight(&entry.title, terms, fold),
            category: entry.category.clone(),
            date: entry.date.clone(),
            shown: entry.shown.clone(),
            snippet: snippet(&entry.description, terms, SNIPPET_WORDS, fold),
        })
    }

    fn lang_index(&self, language: &str) -> Option<u16> {
        let primary = primary(language);
        let at = self.meta.langs.iter().position(|l| *l == primary)?;
        u16::try_from(at).ok()
    }

    /// The box's words in the page's language, else the default's.
    fn words(&self, language: Option<&str>) -> Option<&format::Words> {
        let find = |code: &str| {
            self.meta
                .words
                .iter()
                .find(|(c, _)| c == code)
                .map(|(_, w)| w)
        };
        language
            .and_then(|l| find(&primary(l)))
            .or_else(|| find(""))
    }
}

/// A language tag's primary subtag (`fr-CA` → `fr`).
fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Higher scores first; equal ones, the lower-numbered post first.
fn best_first(a: &(u32, f32), b: &(u32, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// The best `limit` of `ranked`, in order (the rest left unsorted: a
/// common word's thousands of posts need not be).
fn best(ranked: &mut [(u32, f32)], limit: usize) -> &[(u32, f32)] {
    let limit = limit.min(ranked.len());
    if limit < ranked.len() {
        ranked.select_nth_unstable_by(limit, best_first);
    }
    let top = &mut ranked[..limit];
    top.sort_unstable_by(best_first);
    top
}

/// tantivy's BM25: `weight` (idf × (1 + k1) × boost) × tf / (tf + norm).
fn bm25(weight: f32, tf: u32, norm: f32) -> f32 {
    let tf = tf as f32;
    weight * (tf / (tf + norm))
}

/// Each post's score, by post number, and whether it matched at all: an
/// array rather than a map, since a common word is in most posts (a
/// tenth of the time a hash map takes in the browser's engine).
struct Scores {
    score: Vec<f32>,
    matched: Vec<bool>,
}

impl Scores {
    fn new(docs: usize) -> Self {
        Self {
            score: vec![0.0; docs],
            matched: vec![false; docs],
        }
    }

    /// Adds `value` to `doc`'s score (a post the index does not count is
    /// not one).
    fn add(&mut self, doc: u32, value: f32) {
        if let Some(score) = self.score.get_mut(doc as usize) {
            *score += value;
            self.matched[doc as usize] = true;
        }
    }

    /// The posts in both, their scores summed.
    fn intersect(mut self, other: &Scores) -> Scores {
        let both = self.matched.iter_mut().zip(&other.matched);
        for (doc, (matched, theirs)) in both.enumerate() {
            *matched &= *theirs;
            if *matched {
                self.score[doc] += other.score[doc];
            }
        }
        self
    }

    /// The posts matched and their scores, by post number.
    fn ranked(&self) -> Vec<(u32, f32)> {
        let matched = self.matched.iter().zip(&self.score).enumerate();
        let matched = matched.filter(|(_, (m, _))| **m);
        matched.map(|(doc, (_, s))| (doc as u32, *s)).collect()
    }
}

fn find(field: &FieldMeta, word: &str) -> Option<usize> {
    field.terms.binary_search_by(|t| t.as_str().cmp(word)).ok()
}

/// The terms of `field` that begin with `word` (itself included).
fn with_prefix(field: &FieldMeta, word: &str) -> Vec<usize> {
    let start = field.terms.partition_point(|t| t.as_str() < word);
    (start..field.terms.len())
        .take_while(|&i| field.terms[i].starts_with(word))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_are_the_full_order_s_first_ties_to_the_lower_post() {
        let ranked: Vec<(u32, f32)> = (0..200u32).map(|d| (d, (d % 7) as f32)).collect();
        let mut sorted = ranked.clone();
        sorted.sort_by(best_first);
        for limit in [0, 1, 10, 199, 200, 500] {
            let mut some = ranked.clone();
            let top = best(&mut some, limit);
            assert_eq!(top, &sorted[..limit.min(200)], "limit {limit}");
        }
        assert_eq!(sorted[0], (6, 6.0), "ties go to the lower post");
    }

    #[test]
    fn scores_add_in_order_and_intersect_to_the_posts_in_both() {
        let mut first = Scores::new(4);
        first.add(1, 0.5);
        first.add(1, 0.25);
        first.add(3, 1.0);
        first.add(9, 1.0);
        let mut second = Scores::new(4);
        second.add(1, 2.0);
        second.add(2, 2.0);
        assert_eq!(first.ranked(), [(1, 0.75), (3, 1.0)], "post 9 is not one");
        assert_eq!(first.intersect(&second).ranked(), [(1, 2.75)]);
    }
}
