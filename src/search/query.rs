//! Turning what a reader typed into a tantivy query.
//!
//! No query language: quotes, operators and punctuation are just separators,
//! so nothing a reader types can fail to parse. Every word must match in some
//! field: exactly, as a prefix, or (for longer words) with one typo; or
//! by its stem, in the posts of a language that stems it so.

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use super::stem::Stemming;

/// Words beyond this many are ignored: they cannot narrow a blog search
/// further and each one costs a round of automaton matching.
const MAX_TERMS: usize = 8;
/// Longer input is cut here before tokenising (a pasted 10,000-char query).
const MAX_QUERY_BYTES: usize = 256;
/// Prefix matching starts at this many characters ("ka" would match half
/// the vocabulary and tell the reader nothing).
const MIN_PREFIX_CHARS: usize = 2;
/// Typo tolerance starts at this many characters.
const MIN_FUZZY_CHARS: usize = 4;
/// A stem's weight: as a prefix in the body, below any exact match.
const STEMMED_BOOST: f32 = 1.0;

/// The normalised words of a query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryTerms {
    pub words: Vec<String>,
    /// The reader may still be typing the last word (no space after it),
    /// so it is also matched as a prefix even when it exists as typed.
    pub last_is_partial: bool,
    /// Each word's stems, in every language with a stemmer ([`super::stem`]).
    pub stems: Vec<Vec<String>>,
}

impl QueryTerms {
    /// The words of `query`, and their stems in each of `languages`.
    pub fn parse(query: &str, analyzer: &mut TextAnalyzer, languages: &[Stemming]) -> Self {
        let query = truncate(query, MAX_QUERY_BYTES);
        let mut words: Vec<String> = Vec::new();
        // The token each word was first seen as, to find its stems.
        let mut first_seen: Vec<usize> = Vec::new();
        let mut stream = analyzer.token_stream(query);
        let mut index = 0;
        while let Some(token) = stream.next() {
            if words.len() == MAX_TERMS {
                break;
            }
            if !words.contains(&token.text) {
                words.push(token.text.clone());
                first_seen.push(index);
            }
            index += 1;
        }
        let mut all_stems = super::stem::query_stems(query, languages);
        let stems = first_seen
            .iter()
            .map(|&i| all_stems.get_mut(i).map(std::mem::take).unwrap_or_default())
            .collect();
        let last_is_partial = !query.ends_with(|c: char| c.is_whitespace());
        Self {
            words,
            last_is_partial,
            stems,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Each word may match any of `fields` (field, boost); with `all`, every
    /// word must match, else any may (ranked by how many do). `indexed`
    /// tells whether a word occurs as typed anywhere: only words that do
    /// not (typos, unfinished words) pay for prefix and fuzzy matching.
    /// A word's stems match in `stemmed`, below an exact match; only
    /// those `has_stem` finds there are asked for.
    pub fn to_query(
        &self,
        fields: &[(Field, f32)],
        stemmed: Field,
        all: bool,
        indexed: &dyn Fn(&str) -> bool,
        has_stem: &dyn Fn(&str) -> bool,
    ) -> Option<Box<dyn Query>> {
        if self.words.is_empty() {
            return None;
        }
        let occur = if all { Occur::Must } else { Occur::Should };
        let last = self.words.len() - 1;
        let clauses = self
            .words
            .iter()
            .enumerate()
            .map(|(i, word)| {
                let known = indexed(word);
                // A lone CJK character is a word of its own, found at the
                // start of the pairs it begins (see `tokenizer.rs`).
                let lone = is_lone_cjk(word);
                let prefix = !known || lone || (i == last && self.last_is_partial);
                let mut query = word_query(word, fields, prefix, !known);
                let stems = self.stems.get(i).map(Vec::as_slice).unwrap_or_default();
                query.extend(stems.iter().filter(|stem| has_stem(stem)).map(|stem| {
                    let term = Term::from_field_text(stemmed, stem);
                    let exact = TermQuery::new(term, IndexRecordOption::WithFreqs);
                    boosted(Box::new(exact), STEMMED_BOOST)
                }));
                (occur, Box::new(BooleanQuery::new(query)) as Box<dyn Query>)
            })
            .collect();
        Some(Box::new(BooleanQuery::new(clauses)))
    }
}

/// One word in any field: exact beats prefix beats one typo.
fn word_query(
    word: &str,
    fields: &[(Field, f32)],
    prefix: bool,
    typo: bool,
) -> Vec<(Occur, Box<dyn Query>)> {
    let chars = word.chars().count();
    let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for &(field, boost) in fields {
        let term = Term::from_field_text(field, word);
        let exact = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
        alternatives.push(boosted(Box::new(exact), boost * 2.0));
        if prefix && (chars >= MIN_PREFIX_CHARS || is_lone_cjk(word)) {
            let prefix = FuzzyTermQuery::new_prefix(term.clone(), 0, true);
            alternatives.push(boosted(Box::new(prefix), boost));
        }
        if typo && chars >= MIN_FUZZY_CHARS {
            let typo = FuzzyTermQuery::new(term, 1, true);
            alternatives.push(boosted(Box::new(typo), boost * 0.5));
        }
    }
    alternatives
}

/// One Chinese, Japanese or Korean character.
pub(super) fn is_lone_cjk(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(crate::content::cjk::is_cjk) && chars.next().is_none()
}

fn boosted(query: Box<dyn Query>, boost: f32) -> (Occur, Box<dyn Query>) {
    (Occur::Should, Box::new(BoostQuery::new(query, boost)))
}

/// The longest prefix of `text` within `max` bytes, cut at a char boundary
/// and, where there is one, before the word the limit falls in.
fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &text[..end];
    match cut.rfind(char::is_whitespace) {
        Some(space) => &cut[..space],
        None => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Vec<String> {
        QueryTerms::parse(query, &mut super::super::query_analyzer(), &[]).words
    }

    #[test]
    fn operators_and_punctuation_are_separators() {
        assert_eq!(parse("\"Rust\" AND (async)"), ["rust", "and", "async"]);
        assert!(parse("?!*…").is_empty());
        assert!(parse("🦀").is_empty());
    }

    #[test]
    fn long_queries_are_capped() {
        let words = parse(&"word ".repeat(2_000));
        assert_eq!(words, ["word"], "duplicates collapse");
        let many: String = (0..50).map(|i| format!("w{i} ")).collect();
        assert_eq!(parse(&many).len(), MAX_TERMS);
        assert_eq!(truncate("é", 1), "");
    }

    #[test]
    fn accents_fold() {
        assert_eq!(parse("Café"), ["cafe"]);
    }
}
