//! Splitting text into the words the index holds, in any script.
//!
//! Words are runs of letters and digits, as tantivy's `SimpleTokenizer`
//! makes them, except in Chinese, Japanese and Korean script, which is
//! written without spaces between words: a run of it becomes its
//! overlapping character pairs (`日本語` → `日本`, `本語`), a lone character
//! itself, and the run's last character on its own too: a two-character
//! word then finds its post, a longer one finds it through all its pairs,
//! and a one-character word is the start of a pair or a run's last
//! character (a prefix query), with no dictionary in the binary.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::content::cjk::is_cjk;

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
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    query: bool,
    /// Inside a CJK run: where its last character read starts, and how
    /// many characters the run has so far.
    run: Option<(usize, usize)>,
    token: Token,
}

impl Tokenizer for WordsAndPairs {
    type TokenStream<'a> = Tokens<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens<'a> {
        Tokens {
            text,
            chars: text.char_indices().peekable(),
            query: self.query,
            run: None,
            token: Token::default(),
        }
    }
}

impl TokenStream for Tokens<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some((last, length)) = self.run {
                match self.chars.peek().copied() {
                    Some((at, c)) if is_cjk(c) => {
                        self.chars.next();
                        self.run = Some((at, length + 1));
                        self.emit(last, at + c.len_utf8());
                        return true;
                    }
                    next => {
                        // The run ends: its last character on its own (in
                        // a query only when it is the whole run).
                        self.run = None;
                        if !self.query || length == 1 {
                            let end = next.map_or(self.text.len(), |(at, _)| at);
                            self.emit(last, end);
                            return true;
                        }
                    }
                }
            }
            let Some((at, c)) = self.chars.next() else {
                return false;
            };
            match class(c) {
                Class::Separator => {}
                Class::Cjk => self.run = Some((at, 1)),
                Class::Word => {
                    let mut end = at + c.len_utf8();
                    while let Some(&(next, c)) = self.chars.peek() {
                        if class(c) != Class::Word {
                            break;
                        }
                        end = next + c.len_utf8();
                        self.chars.next();
                    }
                    self.emit(at, end);
                    return true;
                }
            }
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokens<'_> {
    /// Makes `text[from..to]` the current token, the next position.
    fn emit(&mut self, from: usize, to: usize) {
        let token = &mut self.token;
        // `usize::MAX` before the first token (tantivy's default).
        token.position = token.position.wrapping_add(1);
        token.offset_from = from;
        token.offset_to = to;
        token.text.clear();
        token.text.push_str(&self.text[from..to]);
    }
}

/// What a character is to the tokenizer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Cjk,
    Separator,
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Separator
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
