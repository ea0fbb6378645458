//! A query's stems: "running" finds "run", "chanteuses" finds "chanteuse".
//!
//! The server indexes every post a second time in a `stemmed` field, by
//! the Snowball stemmer of its language (tantivy's `Stemmer`, which is
//! `frostem`), each stem behind its language's code (`en:run`), so a
//! query's words, stemmed in every language the index holds, only meet
//! stems of posts in that language. This is the query side, shared by the
//! server and the browser: the same stemmers, in the same order as the
//! server's analyzer (split, drop long words, lower-case, stem, fold).

use std::borrow::Cow;

pub use frostem::{Algorithm, Stemmer};

use crate::cjk::is_cjk;
use crate::words::{self, Fold};

/// Every stemmer, by the primary language subtag it is kept behind.
#[cfg(feature = "all-languages")]
pub const STEMMERS: [(&str, Algorithm); 18] = [
    ("ar", Algorithm::Arabic),
    ("da", Algorithm::Danish),
    ("de", Algorithm::German),
    ("el", Algorithm::Greek),
    ("en", Algorithm::English),
    ("es", Algorithm::Spanish),
    ("fi", Algorithm::Finnish),
    ("fr", Algorithm::French),
    ("hu", Algorithm::Hungarian),
    ("it", Algorithm::Italian),
    ("nl", Algorithm::Dutch),
    ("no", Algorithm::Norwegian),
    ("pt", Algorithm::Portuguese),
    ("ro", Algorithm::Romanian),
    ("ru", Algorithm::Russian),
    ("sv", Algorithm::Swedish),
    ("ta", Algorithm::Tamil),
    ("tr", Algorithm::Turkish),
];

/// English's alone: the module of an export in English
/// (`all-languages` off).
#[cfg(not(feature = "all-languages"))]
pub const STEMMERS: [(&str, Algorithm); 1] = [("en", Algorithm::English)];

/// The stemmer code of a primary language subtag (`fr`): Norwegian's
/// `nb` and `nn` are `no`; `None` for a language with no stemmer.
pub fn code_of(primary: &str) -> Option<&'static str> {
    let primary = match primary {
        "nb" | "nn" => "no",
        other => other,
    };
    STEMMERS
        .iter()
        .map(|(code, _)| *code)
        .find(|code| *code == primary)
}

/// The Snowball algorithm of a stemmer code (`en`).
pub fn algorithm(code: &str) -> Option<Algorithm> {
    STEMMERS.iter().find(|(c, _)| *c == code).map(|(_, a)| *a)
}

/// `word` (lower-cased) stemmed by `stemmer`.
pub fn stem<'a>(stemmer: &Stemmer, word: &'a str) -> Cow<'a, str> {
    stemmer.stem(word)
}

/// For each word of `query` (in order, as [`words::spans`] splits it),
/// its stems as `code:stem` in each of `languages`; CJK words have none.
pub fn query_stems(
    query: &str,
    fold: &(impl Fold + ?Sized),
    languages: &[&str],
) -> Vec<Vec<String>> {
    let mut stems: Vec<Vec<String>> = Vec::new();
    for &code in languages {
        let Some(algorithm) = algorithm(code) else {
            continue;
        };
        let stemmer = Stemmer::new(algorithm);
        let tokens = words::spans(query, true)
            .map(|(a, b)| &query[a..b])
            .filter(|word| word.len() < words::MAX_WORD_BYTES);
        for (index, word) in tokens.enumerate() {
            if index == stems.len() {
                stems.push(Vec::new());
            }
            let stemmed = words::fold(&stem(&stemmer, &words::lowercase(word)), fold);
            if !stemmed.contains(is_cjk) {
                stems[index].push(format!("{code}:{stemmed}"));
            }
        }
    }
    stems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_meet_at_their_stem_in_their_language() {
        let stems = query_stems("Running horses", [].as_slice(), &["en", "fr"]);
        assert_eq!(stems[0][0], "en:run");
        assert_eq!(stems[1][0], "en:hors");
        assert!(stems[0][1].starts_with("fr:"));
        assert_eq!(code_of("nb"), Some("no"));
        assert_eq!(code_of("ja"), None);
    }
}
