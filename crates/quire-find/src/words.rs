//! Splitting text into words, in any script, and normalising them.
//!
//! Words are runs of letters and digits, except in Chinese, Japanese and
//! Korean script, which is written without spaces between words: a run of
//! it becomes its overlapping character pairs (`日本語` → `日本`, `本語`),
//! a lone character itself, and the run's last character on its own too:
//! a two-character word then finds its post, a longer one finds it through
//! all its pairs, and a one-character word is the start of a pair or a
//! run's last character (a prefix query), with no dictionary.
//!
//! A word is then kept only under [`MAX_WORD_BYTES`], lower-cased and
//! folded to ASCII where it has an ASCII form ("Café" → "cafe"), exactly
//! as the server's tantivy analyzer does (the server's `search::tokenizer`
//! wraps [`Spans`]; the fold table is tantivy's, see [`Fold`]).

use std::iter::Peekable;
use std::str::CharIndices;

use crate::cjk::is_cjk;

/// Words this long or longer are left out (tantivy's `RemoveLongFilter`).
pub const MAX_WORD_BYTES: usize = 40;

/// The byte ranges of the words of a text, in order.
pub struct Spans<'a> {
    text: &'a str,
    chars: Peekable<CharIndices<'a>>,
    /// A query's: a run's last character is not a word of its own there
    /// ("日本" asks for the pair, not also for "本" alone).
    query: bool,
    /// Inside a CJK run: where its last character read starts, and how
    /// many characters the run has so far.
    run: Option<(usize, usize)>,
}

/// The words of `text` (of a query, with `query`).
pub fn spans(text: &str, query: bool) -> Spans<'_> {
    Spans {
        text,
        chars: text.char_indices().peekable(),
        query,
        run: None,
    }
}

impl Iterator for Spans<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        loop {
            if let Some(span) = self.continue_run() {
                return Some(span);
            }
            let (at, c) = self.chars.next()?;
            match class(c) {
                Class::Separator => {}
                Class::Cjk => self.run = Some((at, 1)),
                Class::Word => return Some((at, self.word_end(at + c.len_utf8()))),
            }
        }
    }
}

impl Spans<'_> {
    /// The next pair of a CJK run, or its last character once it ends
    /// (in a query only when it is the whole run).
    fn continue_run(&mut self) -> Option<(usize, usize)> {
        let (last, length) = self.run?;
        match self.chars.peek().copied() {
            Some((at, c)) if is_cjk(c) => {
                self.chars.next();
                self.run = Some((at, length + 1));
                Some((last, at + c.len_utf8()))
            }
            next => {
                self.run = None;
                let end = next.map_or(self.text.len(), |(at, _)| at);
                (!self.query || length == 1).then_some((last, end))
            }
        }
    }

    /// Where the word whose first character ends at `end` ends.
    fn word_end(&mut self, mut end: usize) -> usize {
        while let Some(&(next, c)) = self.chars.peek() {
            if class(c) != Class::Word {
                break;
            }
            end = next + c.len_utf8();
            self.chars.next();
        }
        end
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
    // Most text is ASCII, which has no CJK and a cheaper test for letters.
    if c.is_ascii() {
        return match c.is_ascii_alphanumeric() {
            true => Class::Word,
            false => Class::Separator,
        };
    }
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Separator
    }
}

/// Each character's ASCII form, where it has one (tantivy's
/// `AsciiFoldingFilter`: the server asks tantivy, the browser reads the
/// table the export wrote).
pub trait Fold {
    fn fold(&self, c: char) -> Option<&str>;
}

/// A fold table: characters and their ASCII forms, sorted by character.
impl Fold for [(char, String)] {
    fn fold(&self, c: char) -> Option<&str> {
        let at = self.binary_search_by_key(&c, |(from, _)| *from).ok()?;
        Some(self[at].1.as_str())
    }
}

/// `word` lower-cased as tantivy's `LowerCaser` does (character by
/// character: no final-sigma rule).
pub fn lowercase(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    word.chars().flat_map(char::to_lowercase).collect()
}

/// `word` with each character folded by `fold`.
pub fn fold(word: &str, fold: &(impl Fold + ?Sized)) -> String {
    if word.is_ascii() {
        return word.to_string();
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match fold.fold(c) {
            Some(folded) => out.push_str(folded),
            None => out.push(c),
        }
    }
    out
}

/// A word as the index holds it: `None` when too long to be indexed.
pub fn normalise(word: &str, folding: &(impl Fold + ?Sized)) -> Option<String> {
    (word.len() < MAX_WORD_BYTES).then(|| fold(&lowercase(word), folding))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, query: bool) -> Vec<&str> {
        spans(text, query).map(|(a, b)| &text[a..b]).collect()
    }

    #[test]
    fn a_query_asks_for_the_pairs_only() {
        assert_eq!(texts("日本語 猫", true), ["日本", "本語", "猫"]);
    }

    #[test]
    fn words_split_at_anything_but_letters_and_digits() {
        assert_eq!(
            texts("Hello, wörld! v2 — ok", false),
            ["Hello", "wörld", "v2", "ok"]
        );
        assert!(texts("?!… 🦀", false).is_empty());
    }

    #[test]
    fn cjk_runs_become_pairs_and_lone_characters_stay() {
        assert_eq!(texts("日本語", false), ["日本", "本語", "語"]);
        assert_eq!(texts("東京、京都", false), ["東京", "京", "京都", "都"]);
        assert_eq!(texts("猫", false), ["猫"]);
        assert_eq!(
            texts("Rustの所有権", false),
            ["Rust", "の所", "所有", "有権", "権"]
        );
    }

    #[test]
    fn words_are_lower_cased_folded_and_long_ones_left_out() {
        let table = vec![('é', "e".to_string())];
        assert_eq!(normalise("Été", table.as_slice()).as_deref(), Some("ete"));
        assert_eq!(
            normalise(&"a".repeat(39), table.as_slice()).map(|w| w.len()),
            Some(39)
        );
        assert_eq!(normalise(&"a".repeat(40), table.as_slice()), None);
        assert_eq!(lowercase("ΣΑΣ"), "σασ", "no final sigma, as tantivy");
    }
}
