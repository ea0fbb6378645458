//! What a reader typed, as the words and stems a search looks for, and the
//! rules of how each word may match: the one definition the server's
//! tantivy query (`search::query`) and the browser's [`crate::Engine`]
//! both follow.
//!
//! No query language: quotes, operators and punctuation are just
//! separators, so nothing a reader types can fail to parse. Every word
//! must match in some field: exactly, as a prefix, or (for longer words)
//! with one typo; or by its stem, in the posts of a language that stems
//! it so.

use crate::cjk::is_cjk;
use crate::words::{self, Fold};

/// Words beyond this many are ignored: they cannot narrow a blog search
/// further and each one costs a round of automaton matching.
pub const MAX_TERMS: usize = 8;
/// Longer input is cut here before tokenising (a pasted 10,000-char query).
pub const MAX_QUERY_BYTES: usize = 256;
/// Prefix matching starts at this many characters ("ka" would match half
/// the vocabulary and tell the reader nothing).
pub const MIN_PREFIX_CHARS: usize = 2;
/// Typo tolerance starts at this many characters.
pub const MIN_FUZZY_CHARS: usize = 4;
/// A stem's weight: as a prefix in the body, below any exact match.
pub const STEMMED_BOOST: f32 = 1.0;
/// An exact match's weight, times its field's boost.
pub const EXACT_BOOST: f32 = 2.0;
/// A one-typo match's weight, times its field's boost (a prefix's is 1).
pub const TYPO_BOOST: f32 = 0.5;
/// Added to the score of a post in the reader's language: more than any
/// text score reaches, so those posts come first.
pub const LANGUAGE_FIRST: f32 = 1.0e6;

/// The fields a word is looked for in, as written (no stemming), and
/// their boosts: a word in a title counts four times one in the body.
pub const EXACT_FIELDS: [(&str, f32); 5] = [
    ("title", 4.0),
    ("tags", 2.5),
    ("category", 2.0),
    ("description", 1.5),
    ("body", 1.0),
];
/// The field of every post's text stemmed in its language.
pub const STEMMED_FIELD: &str = "stemmed";

/// The normalised words of a query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryTerms {
    pub words: Vec<String>,
    /// The reader may still be typing the last word (no space after it),
    /// so it is also matched as a prefix even when it exists as typed.
    pub last_is_partial: bool,
    /// Each word's stems, in every language with a stemmer ([`crate::stem`]).
    pub stems: Vec<Vec<String>>,
}

/// How one word of a query may match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordRule {
    /// As typed.
    pub exact: bool,
    /// As the start of a longer word.
    pub prefix: bool,
    /// With one typo.
    pub typo: bool,
}

impl QueryTerms {
    /// The words of `query`, and their stems in each of `languages`
    /// (stemmer codes, [`crate::stem::code_of`]).
    pub fn parse(query: &str, fold: &(impl Fold + ?Sized), languages: &[&str]) -> Self {
        let query = truncate(query, MAX_QUERY_BYTES);
        let mut words: Vec<String> = Vec::new();
        // The token each word was first seen as, to find its stems.
        let mut first_seen: Vec<usize> = Vec::new();
        let tokens =
            words::spans(query, true).filter_map(|(a, b)| words::normalise(&query[a..b], fold));
        for (index, token) in tokens.enumerate() {
            if words.len() == MAX_TERMS {
                break;
            }
            if !words.contains(&token) {
                words.push(token);
                first_seen.push(index);
            }
        }
        let mut all_stems = crate::stem::query_stems(query, fold, languages);
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

    /// How the `i`th word may match; `known` tells whether it occurs as
    /// typed anywhere: only words that do not (typos, unfinished words)
    /// pay for prefix and typo matching.
    pub fn rule(&self, i: usize, known: bool) -> WordRule {
        let word = &self.words[i];
        let chars = word.chars().count();
        // A lone CJK character is a word of its own, found at the start
        // of the pairs it begins (see `words`).
        let lone = is_lone_cjk(word);
        let last = i + 1 == self.words.len();
        let prefix = !known || lone || (last && self.last_is_partial);
        WordRule {
            exact: true,
            prefix: prefix && (chars >= MIN_PREFIX_CHARS || lone),
            typo: !known && chars >= MIN_FUZZY_CHARS,
        }
    }
}

/// One Chinese, Japanese or Korean character.
pub fn is_lone_cjk(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(is_cjk) && chars.next().is_none()
}

/// The longest prefix of `text` within `max` bytes, cut at a char boundary
/// and, where there is one, before the word the limit falls in.
pub fn truncate(text: &str, max: usize) -> &str {
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

/// Whether `a` and `b` are at most one edit apart: one character added,
/// removed, replaced, or two neighbours swapped (tantivy's `FuzzyTermQuery`
/// at distance 1 with transpositions).
pub fn within_one_edit(a: &str, b: &str) -> bool {
    // One edit changes the length by at most one character, four bytes:
    // most words of a vocabulary are told apart here, without allocating.
    if a.len().abs_diff(b.len()) > 4 {
        return false;
    }
    // Where both are ASCII a byte is a character: compared in place (the
    // typo rule tries every word of a field's vocabulary).
    if a.is_ascii() && b.is_ascii() {
        return one_edit(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    one_edit(&a, &b)
}

/// [`within_one_edit`] over characters.
fn one_edit<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let start = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if start == short.len() {
        return true;
    }
    if short.len() == long.len() {
        let same_after = |from: usize| short[from..] == long[from..];
        return same_after(start + 1)
            || (start + 1 < short.len()
                && short[start] == long[start + 1]
                && short[start + 1] == long[start]
                && same_after(start + 2));
    }
    short[start..] == long[start + 1..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Vec<String> {
        QueryTerms::parse(query, [].as_slice(), &[]).words
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
    fn one_edit_is_an_addition_removal_replacement_or_swap() {
        for (a, b) in [
            ("rust", "rust"),
            ("rust", "rost"),
            ("rust", "rut"),
            ("rust", "rusty"),
            ("rust", "rsut"),
            ("été", "ete"),
        ] {
            let expected = !matches!((a, b), ("été", "ete"));
            assert_eq!(within_one_edit(a, b), expected, "{a} {b}");
        }
        assert!(!within_one_edit("rust", "ruts "));
        assert!(!within_one_edit("rust", "trus"));
        assert!(within_one_edit("", "a"));
        // One side ASCII, the other not: compared by character.
        assert!(within_one_edit("cafe", "café"));
        assert!(within_one_edit("été", "eté"));
        assert!(!within_one_edit("cafe", "cafébar"));
    }
}
