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
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, TextAnalyzer, Token, TokenFilter,
    TokenStream, Tokenizer,
};

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

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
        .filter(RememberingStemmer::new(language))
        .filter(AsciiFoldingFilter)
        .build()
}

/// Distinct words an analyzer remembers the stems of before it forgets
/// them all and starts again (about 1 MB).
const REMEMBERED_STEMS: usize = 16_384;

/// tantivy's `Stemmer` (the same `frostem` algorithm), remembering the
/// stem of each word it met: most words of a post are a few thousand
/// common ones, which then cost a lookup instead of a Snowball run
/// (stemming was about 8% of a cold ingest's CPU).
#[derive(Clone, Copy)]
struct RememberingStemmer {
    algorithm: quire_find::stem::Algorithm,
}

impl RememberingStemmer {
    fn new(language: Language) -> Self {
        let code = STEMMERS.iter().find(|(_, l)| *l == language);
        let algorithm = code.and_then(|(code, _)| quire_find::stem::algorithm(code));
        Self {
            algorithm: algorithm.expect("every stemmer of STEMMERS is one of quire-find's"),
        }
    }
}

impl TokenFilter for RememberingStemmer {
    type Tokenizer<T: Tokenizer> = Remembering<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> Remembering<T> {
        Remembering {
            inner,
            algorithm: self.algorithm,
            stems: HashMap::new(),
        }
    }
}

/// [`RememberingStemmer`] over a tokenizer. A copy (tantivy copies an
/// analyzer for each indexing thread) starts with nothing remembered.
pub struct Remembering<T> {
    inner: T,
    algorithm: quire_find::stem::Algorithm,
    stems: HashMap<String, String>,
}

impl<T: Clone> Clone for Remembering<T> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            algorithm: self.algorithm,
            stems: HashMap::new(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for Remembering<T> {
    type TokenStream<'a> = RememberingStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberingStream {
            tail: self.inner.token_stream(text),
            stemmer: quire_find::stem::Stemmer::new(self.algorithm),
            stems: &mut self.stems,
        }
    }
}

/// The stems of one text's words.
pub struct RememberingStream<'a, S> {
    tail: S,
    stemmer: quire_find::stem::Stemmer,
    stems: &'a mut HashMap<String, String>,
}

impl<S: TokenStream> TokenStream for RememberingStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.stems.get(&token.text) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        if self.stems.len() >= REMEMBERED_STEMS {
            self.stems.clear();
        }
        let stem = self.stemmer.stem(&token.text).into_owned();
        let word = std::mem::replace(&mut token.text, stem.clone());
        self.stems.insert(word, stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The name the `stemmed` field's tokenizer ([`ByLanguage`]) is
/// registered under.
pub const TOKENIZER: &str = "quire-stemmed";

/// Encloses the language code at the head of the `stemmed` field's text
/// (a control character no post's text keeps).
const MARK: char = '\u{1}';

/// The post's text for the `stemmed` field: its language's code between
/// two [`MARK`]s, then the text, which [`ByLanguage`] stems as it is
/// indexed. `None` for a language without a stemmer.
pub fn stemmed(doc: &Document) -> Option<String> {
    let (code, _) = stemmer_of(doc.lang.as_deref())?;
    let tags = doc.tags.join(" ");
    let parts = [
        doc.title.as_str(),
        &doc.description,
        &doc.category,
        &tags,
        &doc.plain_text,
    ];
    let mut text = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum::<usize>() + 8);
    text.push(MARK);
    text.push_str(code);
    text.push(MARK);
    for part in parts {
        text.push_str(part);
        text.push('\n');
    }
    Some(text)
}

/// The `stemmed` field's tokenizer: stems the text with the stemmer its
/// head names and yields each stem behind its code, leaving CJK out. It
/// streams through one token buffer: building every post's stems as
/// owned tokens first made the index rebuild several times slower.
#[derive(Clone)]
pub struct ByLanguage {
    analyzers: Vec<(&'static str, TextAnalyzer)>,
}

impl Default for ByLanguage {
    fn default() -> Self {
        let analyzers = STEMMERS
            .iter()
            .map(|&(code, language)| (code, analyzer(language, false)))
            .collect();
        Self { analyzers }
    }
}

/// The stems of one text (see [`ByLanguage`]).
pub struct Prefixed<'a> {
    inner: Option<tantivy::tokenizer::BoxTokenStream<'a>>,
    code: &'static str,
    /// Bytes of the head, so offsets point into the whole text.
    head: usize,
    token: Token,
}

impl Tokenizer for ByLanguage {
    type TokenStream<'a> = Prefixed<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Prefixed<'a> {
        let found = split_head(text).and_then(|(code, body)| {
            let (code, analyzer) = self.analyzers.iter_mut().find(|(c, _)| *c == code)?;
            Some((*code, analyzer.token_stream(body), text.len() - body.len()))
        });
        let (code, inner, head) = match found {
            Some((code, inner, head)) => (code, Some(inner), head),
            None => ("", None, 0),
        };
        Prefixed {
            inner,
            code,
            head,
            token: Token::default(),
        }
    }
}

/// The language code and the text after the head, if the head is there.
fn split_head(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix(MARK)?;
    let (code, body) = rest.split_once(MARK)?;
    Some((code, body))
}

impl TokenStream for Prefixed<'_> {
    fn advance(&mut self) -> bool {
        let Some(inner) = self.inner.as_mut() else {
            return false;
        };
        while inner.advance() {
            let from = inner.token();
            if from.text.contains(is_cjk) {
                continue;
            }
            let token = &mut self.token;
            token.text.clear();
            token.text.push_str(self.code);
            token.text.push(':');
            token.text.push_str(&from.text);
            token.offset_from = from.offset_from + self.head;
            token.offset_to = from.offset_to + self.head;
            token.position = token.position.wrapping_add(1);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The stemmers of the languages the index holds, found once per reader
/// generation (a reload after a commit starts a new one). Walking the
/// `lang` field's terms in every segment at every query cost a search a
/// good part of its time.
#[derive(Default)]
pub struct IndexedLanguages {
    cached: RwLock<Option<(u64, Arc<[Stemming]>)>>,
}

impl IndexedLanguages {
    /// The stemmers for `searcher`'s generation, found now if not yet.
    pub fn of(&self, searcher: &Searcher, lang: Field) -> Arc<[Stemming]> {
        let generation = searcher.generation().generation_id();
        let read = self.cached.read().unwrap_or_else(|e| e.into_inner());
        if let Some((seen, languages)) = read.as_ref()
            && *seen == generation
        {
            return languages.clone();
        }
        drop(read);
        let languages: Arc<[Stemming]> = languages_in(searcher, lang).into();
        let mut write = self.cached.write().unwrap_or_else(|e| e.into_inner());
        *write = Some((generation, languages.clone()));
        languages
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(language: Language, word: &str) -> String {
        let mut analyzer = analyzer(language, true);
        let mut stream = analyzer.token_stream(word);
        stream.next().unwrap().text.clone()
    }

    /// Every token `analyzer` makes of `text`.
    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn remembered_stems_are_tantivy_s_before_and_after_the_memory_fills() {
        for (_, language) in ["en", "fr", "ru"].map(|c| stemmer_of(Some(c)).unwrap()) {
            let mut ours = analyzer(language, false);
            let mut tantivy = TextAnalyzer::builder(WordsAndPairs { query: false })
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .filter(tantivy::tokenizer::Stemmer::new(language))
                .filter(AsciiFoldingFilter)
                .build();
            let common = "Running runners ran; chevaux chantaient, Häuser бегущие running";
            let rare: Vec<String> = (0..REMEMBERED_STEMS + 100)
                .map(|n| format!("nations{n}x"))
                .collect();
            for text in [common, &rare.join(" "), common, common] {
                assert_eq!(tokens(&mut ours, text), tokens(&mut tantivy, text));
            }
        }
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

    fn indexed(text: &str) -> Vec<String> {
        let mut tokenizer = ByLanguage::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn the_field_is_stemmed_in_the_language_its_head_names() {
        let fr = format!("{MARK}fr{MARK}Les chevaux 東京");
        assert_eq!(indexed(&fr), ["fr:le", "fr:cheval"]);
        let en = format!("{MARK}en{MARK}running");
        assert_eq!(indexed(&en), ["en:run"]);
        assert!(indexed("no head at all").is_empty());
        assert!(indexed(&format!("{MARK}xx{MARK}unknown language")).is_empty());
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
        let stems =
            quire_find::stem::query_stems("running runner 日本", [].as_slice(), &["en", "da"]);
        assert_eq!(stems.len(), 3);
        assert_eq!(stems[0], ["en:run", "da:running"]);
        assert_eq!(
            stems[1],
            ["en:runner", "da:run"],
            "Danish stems meet Danish posts only"
        );
        assert!(stems[2].is_empty(), "CJK pairs are matched exactly");
    }

    /// The browser's stemmers (quire-find's) are the index's, language by
    /// language, accents and case included.
    #[test]
    fn a_query_stems_as_the_index_does() {
        let codes: Vec<&str> = STEMMERS.iter().map(|(code, _)| *code).collect();
        let finds: Vec<&str> = quire_find::stem::STEMMERS
            .iter()
            .map(|(code, _)| *code)
            .collect();
        assert_eq!(codes, finds);
        let words = "Running Chanteuses Häuser cafés Ελληνικά читающий Koşuyor corações";
        for &(code, language) in &STEMMERS {
            let ours = quire_find::stem::query_stems(words, super::super::fold::table(), &[code]);
            let ours: Vec<String> = ours.into_iter().flatten().collect();
            let mut analyzer = analyzer(language, true);
            let mut stream = analyzer.token_stream(words);
            let mut theirs = Vec::new();
            while let Some(token) = stream.next() {
                theirs.push(format!("{code}:{}", token.text));
            }
            assert_eq!(ours, theirs, "{code}");
        }
    }
}
