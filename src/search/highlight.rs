//! Marking the words a query matched, for titles and result snippets: the
//! rule is `quire_find::highlight` (which the browser's search on a static
//! host uses too), folding with tantivy's table; here its fragments become
//! the wire type.

use super::QueryTerms;
use crate::model::Fragment;

/// The whole `text`, with matched words marked.
pub fn highlight(text: &str, terms: &QueryTerms) -> Vec<Fragment> {
    wire(quire_find::highlight::highlight(
        text,
        terms,
        super::fold::table(),
    ))
}

/// About `words` words of `text` around its first match (or its start).
pub fn snippet(text: &str, terms: &QueryTerms, words: usize) -> Vec<Fragment> {
    let fold = super::fold::table();
    wire(quire_find::highlight::snippet(text, terms, words, fold))
}

fn wire(fragments: Vec<quire_find::highlight::Fragment>) -> Vec<Fragment> {
    fragments
        .into_iter()
        .map(|f| Fragment {
            text: f.text,
            hit: f.hit,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_words_are_marked_as_typed() {
        let terms = super::super::SearchIndex::new().unwrap().terms("cafe");
        let marked = highlight("Le Café du coin", &terms);
        assert_eq!(
            marked[1],
            Fragment {
                text: "Café".into(),
                hit: true
            }
        );
    }
}
