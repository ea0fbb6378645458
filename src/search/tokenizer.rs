//! Splitting text into the words the index holds, in any script: the
//! rule is `quire_find::words` (words, and Chinese, Japanese and Korean
//! runs as character pairs), shared with the browser's search on a static
//! host; this is its tantivy `Tokenizer`.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Words, and CJK runs as character pairs.
#[derive(Clone, Copy, Default)]
pub struct WordsAndPairs {
    /// A query's: a run's last character is not a word of its own there
    /// ("日本" asks for the pair, not also for "本" alone).
    pub query: bool,
}

/// The tokens of one text, made as they are read: one token buffer, no
/// allocation per token (highlighting tokenises every result's text).
pub struct Tokens<'a> {
    text: &'a str,
    spans: quire_find::words::Spans<'a>,
    token: Token,
}

impl Tokenizer for WordsAndPairs {
    type TokenStream<'a> = Tokens<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens<'a> {
        Tokens {
            text,
            spans: quire_find::words::spans(text, self.query),
            token: Token::default(),
        }
    }
}

impl TokenStream for Tokens<'_> {
    fn advance(&mut self) -> bool {
        let Some((from, to)) = self.spans.next() else {
            return false;
        };
        let token = &mut self.token;
        // `usize::MAX` before the first token (tantivy's default).
        token.position = token.position.wrapping_add(1);
        token.offset_from = from;
        token.offset_to = to;
        token.text.clear();
        token.text.push_str(&self.text[from..to]);
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str, query: bool) -> Vec<Token> {
        let mut words = WordsAndPairs { query };
        let mut stream = words.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }

    fn texts(text: &str) -> Vec<String> {
        tokens(text, false).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn a_query_asks_for_the_pairs_only() {
        let query: Vec<String> = tokens("日本語 猫", true)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(query, ["日本", "本語", "猫"]);
    }

    #[test]
    fn words_split_at_anything_but_letters_and_digits() {
        assert_eq!(
            texts("Hello, wörld! v2 — ok"),
            ["Hello", "wörld", "v2", "ok"]
        );
        assert!(texts("?!… 🦀").is_empty());
    }

    #[test]
    fn cjk_runs_become_pairs_and_lone_characters_stay() {
        assert_eq!(texts("日本語"), ["日本", "本語", "語"]);
        assert_eq!(texts("東京、京都"), ["東京", "京", "京都", "都"]);
        assert_eq!(texts("猫"), ["猫"]);
        assert_eq!(
            texts("Rustの所有権"),
            ["Rust", "の所", "所有", "有権", "権"]
        );
        assert_eq!(texts("한국어 검색"), ["한국", "국어", "어", "검색", "색"]);
    }

    #[test]
    fn offsets_are_char_boundaries() {
        let text = "été 日本語";
        for (position, token) in tokens(text, false).into_iter().enumerate() {
            assert_eq!(&text[token.offset_from..token.offset_to], token.text);
            assert_eq!(token.position, position);
        }
    }
}
