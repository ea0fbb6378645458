//! Stemming: "running" finds "run", "chanteuses" finds "chanteuse".
//!
//! Each post is indexed a second time, in one `stemmed` field, by the
//! Snowball stemmer of its own language (tantivy's `Stemmer`; a post with
//! no language is English, one in a language without a stemmer, such as
//! Chinese or Japanese, is left out). A query's words are stemmed by every
//! stemmer, since the reader's language is not the post's: a stem only
//! meets the posts its language made it in. The exact fields stay as they
//! were, so prefix and typo matching are unchanged and an exact match
//! still ranks above a stemmed one.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, PreTokenizedString, RemoveLongFilter, Stemmer,
    TextAnalyzer, TokenStream,
};

use super::tokenizer::WordsAndPairs;
use crate::content::cjk::is_cjk;
use crate::content::{Document, language};

/// Every stemmer tantivy ships, by primary language subtag.
const STEMMERS: [(&str, Language); 18] = [
    ("ar", Language::Arabic),
    ("da", Language::Danish),
    ("de", Language::German),
    ("el", Language::Greek),
    ("en", Language::English),
    ("es", Language::Spanish),
    ("fi", Language::Finnish),
    ("fr", Language::French),
    ("hu", Language::Hungarian),
    ("it", Language::Italian),
    ("nl", Language::Dutch),
    ("no", Language::Norwegian),
    ("pt", Language::Portuguese),
    ("ro", Language::Romanian),
    ("ru", Language::Russian),
    ("sv", Language::Swedish),
    ("ta", Language::Tamil),
    ("tr", Language::Turkish),
];

/// The stemmer for a language tag: none given is English; Norwegian's
/// `nb` and `nn` are `no`; `None` for a language tantivy has no stemmer for.
pub fn stemmer_of(tag: Option<&str>) -> Option<Language> {
    let primary = tag.map_or_else(|| "en".to_string(), language::primary);
    let primary = match primary.as_str() {
        "nb" | "nn" => "no",
        other => other,
    };
    STEMMERS
        .iter()
        .find(|(code, _)| *code == primary)
        .map(|&(_, language)| language)
}

/// Words, lower-cased, stemmed, then accents folded (the stemmers know
/// their language's accents; the query goes through the same steps).
fn analyzer(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(WordsAndPairs)
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(language))
        .filter(AsciiFoldingFilter)
        .build()
}

/// The post's text stemmed in its language, for the `stemmed` field.
pub fn stemmed(doc: &Document) -> Option<PreTokenizedString> {
    let language = stemmer_of(doc.lang.as_deref())?;
    let text = [
        doc.title.as_str(),
        &doc.description,
        &doc.category,
        &doc.tags.join(" "),
        &doc.plain_text,
    ]
    .join("\n");
    let mut analyzer = analyzer(language);
    let mut tokens = Vec::new();
    let mut stream = analyzer.token_stream(&text);
    while let Some(token) = stream.next() {
        if !token.text.contains(is_cjk) {
            let mut token = token.clone();
            token.position = tokens.len();
            tokens.push(token);
        }
    }
    drop(stream);
    Some(PreTokenizedString { text, tokens })
}

/// For each of the query's tokens (in order, as the index's analyzer makes
/// them), its distinct stems in every language.
pub fn query_stems(query: &str) -> Vec<Vec<String>> {
    let mut stems: Vec<Vec<String>> = Vec::new();
    for &(_, language) in &STEMMERS {
        let mut analyzer = analyzer(language);
        let mut stream = analyzer.token_stream(query);
        let mut index = 0;
        while let Some(token) = stream.next() {
            if index == stems.len() {
                stems.push(Vec::new());
            }
            if !token.text.contains(is_cjk) && !stems[index].contains(&token.text) {
                stems[index].push(token.text.clone());
            }
            index += 1;
        }
    }
    stems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(language: Language, word: &str) -> String {
        let mut analyzer = analyzer(language);
        let mut stream = analyzer.token_stream(word);
        stream.next().unwrap().text.clone()
    }

    #[test]
    fn european_words_meet_at_their_stem() {
        assert_eq!(
            stem(Language::English, "running"),
            stem(Language::English, "run")
        );
        assert_eq!(
            stem(Language::English, "Databases"),
            stem(Language::English, "database")
        );
        let fr = |w| stem(Language::French, w);
        assert_eq!(fr("chanteuses"), fr("chanteuse"));
        assert_eq!(fr("chevaux"), fr("cheval"));
        assert_eq!(fr("chantaient"), fr("chanter"));
        assert_eq!(
            stem(Language::Spanish, "corriendo"),
            stem(Language::Spanish, "correr")
        );
        assert_eq!(
            stem(Language::German, "Häuser"),
            stem(Language::German, "Haus")
        );
    }

    #[test]
    fn languages_by_tag() {
        assert_eq!(stemmer_of(None), Some(Language::English));
        assert_eq!(stemmer_of(Some("fr-CA")), Some(Language::French));
        assert_eq!(stemmer_of(Some("nb")), Some(Language::Norwegian));
        assert_eq!(stemmer_of(Some("ja")), None);
        assert_eq!(stemmer_of(Some("zh-Hans")), None);
    }

    #[test]
    fn every_query_token_has_its_stems() {
        let stems = query_stems("running 日本");
        assert_eq!(stems.len(), 2);
        assert!(stems[0].contains(&"run".to_string()), "{stems:?}");
        assert!(stems[1].is_empty(), "CJK pairs are matched exactly");
    }
}
