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

/// The tokens of one text, made up front.
pub struct Tokens {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for WordsAndPairs {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        Tokens {
            tokens: tokens(text, self.query),
            next: 0,
        }
    }
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
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

fn tokens(text: &str, query: bool) -> Vec<Token> {
    let mut out = Vec::new();
    // The run being read: its class and the byte offsets of its characters.
    let mut run: Vec<usize> = Vec::new();
    let mut run_class = Class::Separator;
    for (at, c) in text.char_indices() {
        let now = class(c);
        if now != run_class {
            emit(text, &run, (run_class, query), at, &mut out);
            run.clear();
            run_class = now;
        }
        if now != Class::Separator {
            run.push(at);
        }
    }
    emit(text, &run, (run_class, query), text.len(), &mut out);
    out
}

/// The tokens of one run of characters starting at `starts`, ending at
/// `end`, of `class`, for a query or not.
fn emit(
    text: &str,
    starts: &[usize],
    (class, query): (Class, bool),
    end: usize,
    out: &mut Vec<Token>,
) {
    let Some(&first) = starts.first() else {
        return;
    };
    let mut push = |from: usize, to: usize| {
        out.push(Token {
            offset_from: from,
            offset_to: to,
            position: out.len(),
            text: text[from..to].to_string(),
            position_length: 1,
        })
    };
    match class {
        Class::Word => push(first, end),
        Class::Cjk if starts.len() == 1 => push(first, end),
        Class::Cjk => {
            for pair in 0..starts.len() - 1 {
                let to = starts.get(pair + 2).copied().unwrap_or(end);
                push(starts[pair], to);
            }
            if !query {
                push(starts[starts.len() - 1], end);
            }
        }
        Class::Separator => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        for token in tokens(text, false) {
            assert_eq!(&text[token.offset_from..token.offset_to], token.text);
        }
    }
}
