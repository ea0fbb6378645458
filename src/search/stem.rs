//! Stemming: "running" finds "run", "chanteuses" finds "chanteuse".
//!
//! Each post is indexed a second time, in one `stemmed` field, by the
//! Snowball stemmer of its own language (tantivy's `Stemmer`; a post with
//! no language is English, one in a language without a stemmer, such as
//! Chinese or Japanese, is left out). Each stem is kept behind its
//! language's code (`en:run`, `fr:cheval`), so a query's words, stemmed
//! by the stemmer of every language the index holds, only meet stems of
//! posts in that language: Danish would make "runner" `run`, which must
//! not find an English post about running. The exact fields stay as they
//! were, so prefix and typo matching are unchanged and an exact match
//! still ranks above a stemmed one.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, PreTokenizedString, RemoveLongFilter, Stemmer,
    TextAnalyzer, TokenStream,
};

use tantivy::Searcher;
use tantivy::schema::Field;

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

/// A stemmer and the code its stems are kept behind.
pub type Stemming = (&'static str, Language);

/// The stemmer for a language tag: none given is English; Norwegian's
/// `nb` and `nn` are `no`; `None` for a language tantivy has no stemmer for.
pub fn stemmer_of(tag: Option<&str>) -> Option<Stemming> {
    let primary = tag.map_or_else(|| "en".to_string(), language::primary);
    let primary = match primary.as_str() {
        "nb" | "nn" => "no",
        other => other,
    };
    STEMMERS.iter().find(|(code, _)| *code == primary).copied()
}

/// Words, lower-cased, stemmed, then accents folded (the stemmers know
/// their language's accents; the query goes through the same steps).
fn analyzer(language: Language, query: bool) -> TextAnalyzer {
    TextAnalyzer::builder(WordsAndPairs { query })
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(language))
        .filter(AsciiFoldingFilter)
        .build()
}

/// The post's text stemmed in its language, for the `stemmed` field.
pub fn stemmed(doc: &Document) -> Option<PreTokenizedString> {
    let (code, language) = stemmer_of(doc.lang.as_deref())?;
    let text = [
        doc.title.as_str(),
        &doc.description,
        &doc.category,
        &doc.tags.join(" "),
        &doc.plain_text,
    ]
    .join("\n");
    let mut analyzer = analyzer(language, false);
    let mut tokens = Vec::new();
    let mut stream = analyzer.token_stream(&text);
    while let Some(token) = stream.next() {
        if !token.text.contains(is_cjk) {
            let mut token = token.clone();
            token.text = format!("{code}:{}", token.text);
            token.position = tokens.len();
            tokens.push(token);
        }
    }
    drop(stream);
    Some(PreTokenizedString { text, tokens })
}

/// The stemmers of the languages of the posts in `searcher` (their `lang`
/// field's terms; a post with none is English).
pub fn languages_in(searcher: &Searcher, lang: Field) -> Vec<Stemming> {
    let mut out: Vec<Stemming> = Vec::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(lang) else {
            continue;
        };
        let Ok(mut terms) = inverted.terms().stream() else {
            continue;
        };
        while terms.advance() {
            let tag = std::str::from_utf8(terms.key()).unwrap_or_default();
            let stemming = stemmer_of(Some(tag).filter(|tag| !tag.is_empty()));
            if let Some(stemming) = stemming.filter(|s| !out.contains(s)) {
                out.push(stemming);
            }
        }
    }
    out
}

/// For each of the query's tokens (in order, as the index's analyzer makes
/// them), its stems in each of `languages`, behind their codes (`en:run`).
pub fn query_stems(query: &str, languages: &[Stemming]) -> Vec<Vec<String>> {
    let mut stems: Vec<Vec<String>> = Vec::new();
    for &(code, language) in languages {
        let mut analyzer = analyzer(language, true);
        let mut stream = analyzer.token_stream(query);
        let mut index = 0;
        while let Some(token) = stream.next() {
            if index == stems.len() {
                stems.push(Vec::new());
            }
            if !token.text.contains(is_cjk) {
                stems[index].push(format!("{code}:{}", token.text));
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
        let mut analyzer = analyzer(language, true);
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
        assert_eq!(stemmer_of(None), Some(("en", Language::English)));
        assert_eq!(stemmer_of(Some("fr-CA")), Some(("fr", Language::French)));
        assert_eq!(stemmer_of(Some("nb")), Some(("no", Language::Norwegian)));
        assert_eq!(stemmer_of(Some("ja")), None);
        assert_eq!(stemmer_of(Some("zh-Hans")), None);
    }

    #[test]
    fn every_query_token_has_its_stems() {
        let languages = [("en", Language::English), ("da", Language::Danish)];
        let stems = query_stems("running runner 日本", &languages);
        assert_eq!(stems.len(), 3);
        assert_eq!(stems[0], ["en:run", "da:running"]);
        assert_eq!(
            stems[1],
            ["en:runner", "da:run"],
            "Danish stems meet Danish posts only"
        );
        assert!(stems[2].is_empty(), "CJK pairs are matched exactly");
    }
}
