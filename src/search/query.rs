//! Turning what a reader typed into a tantivy query.
//!
//! The words, their stems and how each may match are
//! `quire_find::query`'s, which the browser's search on a static host
//! follows too; this builds them as tantivy queries with the same boosts.

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

pub use quire_find::query::QueryTerms;
use quire_find::query::{EXACT_BOOST, STEMMED_BOOST, TYPO_BOOST, WordRule};

/// `terms` as one query. Each word may match any of `fields` (field,
/// boost); with `all`, every word must match, else any may (ranked by how
/// many do). `indexed` tells whether a word occurs as typed anywhere. A
/// word's stems match in `stemmed`, below an exact match; only those
/// `has_stem` finds there are asked for.
pub fn to_query(
    terms: &QueryTerms,
    fields: &[(Field, f32)],
    stemmed: Field,
    all: bool,
    indexed: &dyn Fn(&str) -> bool,
    has_stem: &dyn Fn(&str) -> bool,
) -> Option<Box<dyn Query>> {
    if terms.is_empty() {
        return None;
    }
    let occur = if all { Occur::Must } else { Occur::Should };
    let clauses = terms
        .words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            let rule = terms.rule(i, indexed(word));
            let mut query = word_query(word, fields, rule);
            let stems = terms.stems.get(i).map(Vec::as_slice).unwrap_or_default();
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

/// One word in any field: exact beats prefix beats one typo.
fn word_query(word: &str, fields: &[(Field, f32)], rule: WordRule) -> Vec<(Occur, Box<dyn Query>)> {
    let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for &(field, boost) in fields {
        let term = Term::from_field_text(field, word);
        let exact = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
        alternatives.push(boosted(Box::new(exact), boost * EXACT_BOOST));
        if rule.prefix {
            let prefix = FuzzyTermQuery::new_prefix(term.clone(), 0, true);
            alternatives.push(boosted(Box::new(prefix), boost));
        }
        if rule.typo {
            let typo = FuzzyTermQuery::new(term, 1, true);
            alternatives.push(boosted(Box::new(typo), boost * TYPO_BOOST));
        }
    }
    alternatives
}

fn boosted(query: Box<dyn Query>, boost: f32) -> (Occur, Box<dyn Query>) {
    (Occur::Should, Box::new(BoostQuery::new(query, boost)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn accents_fold() {
        let terms = super::super::SearchIndex::new().unwrap().terms("Café");
        assert_eq!(terms.words, ["cafe"]);
    }
}
