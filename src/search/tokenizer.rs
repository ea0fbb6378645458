//! Splitting text into the words the index holds, in any script.
//!
//! Words are runs of letters and digits, as tantivy's `SimpleTokenizer`
//! makes them, except in Chinese, Japanese and Korean script, which is
//! written without spaces between words: a run of it becomes its
//! overlapping character pairs (`日本語` → `日本`, `本語`), a lone character
//! itself. A two-character word then finds its post, and a longer one
//! finds it through all its pairs, with no dictionary in the binary.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::content::cjk::is_cjk;

/// Words, and CJK runs as character pairs.
#[derive(Clone, Default)]
pub struct WordsAndPairs;

/// The tokens of one text, made up front.
pub struct Tokens {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for WordsAndPairs {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        Tokens {
            tokens: tokens(text),
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

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    // The run being read: its class and the byte offsets of its characters.
    let mut run: Vec<usize> = Vec::new();
    let mut run_class = Class::Separator;
    for (at, c) in text.char_indices() {
        let now = class(c);
        if now != run_class {
            emit(text, &run, run_class, at, &mut out);
            run.clear();
            run_class = now;
        }
        if now != Class::Separator {
            run.push(at);
        }
    }
    emit(text, &run, run_class, text.len(), &mut out);
    out
}

/// The tokens of one run of characters starting at `starts`, ending at `end`.
fn emit(text: &str, starts: &[usize], class: Class, end: usize, out: &mut Vec<Token>) {
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
        }
        Class::Separator => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.text).collect()
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
        assert_eq!(texts("日本語"), ["日本", "本語"]);
        assert_eq!(texts("東京、京都"), ["東京", "京都"]);
        assert_eq!(texts("猫"), ["猫"]);
        assert_eq!(texts("Rustの所有権"), ["Rust", "の所", "所有", "有権"]);
        assert_eq!(texts("한국어 검색"), ["한국", "국어", "검색"]);
    }

    #[test]
    fn offsets_are_char_boundaries() {
        let text = "été 日本語";
        for token in tokens(text) {
            assert_eq!(&text[token.offset_from..token.offset_to], token.text);
        }
    }
}
