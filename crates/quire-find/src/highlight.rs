//! Marking the words a query matched, for titles and result snippets.
//!
//! The output is plain fragments, never HTML: the page renders each hit in a
//! `<mark>` itself, so nothing from a post can inject markup here. The
//! server marks its results with this, and so does the browser's engine
//! on a static host: words are split and folded as the index does
//! (`words`), and match by the query's rules (`query`).
//!
//! Chinese and Japanese text is indexed in overlapping character pairs;
//! here the pairs a query matched are merged back into runs of text, so
//! a match is marked once, cut only at character boundaries.

use serde::{Deserialize, Serialize};

use crate::query::{QueryTerms, is_lone_cjk, within_one_edit};
use crate::words::{self, Fold};

/// A piece of a title or snippet; `hit` pieces are the matched words (the
/// server's `model::Fragment`, the same JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    pub text: String,
    pub hit: bool,
}

/// Words in a result's snippet.
pub const SNIPPET_WORDS: usize = 28;
/// Words shown before the first match, for context.
const LEAD_WORDS: usize = 8;

/// The whole `text`, with matched words marked.
pub fn highlight(text: &str, terms: &QueryTerms, fold: &(impl Fold + ?Sized)) -> Vec<Fragment> {
    let tokens = tokens(text, terms, None, fold);
    fragments(text, &tokens, 0, tokens.len())
}

/// About `words` words of `text` around its first match (or its start).
pub fn snippet(
    text: &str,
    terms: &QueryTerms,
    words: usize,
    fold: &(impl Fold + ?Sized),
) -> Vec<Fragment> {
    window(text, &tokens(text, terms, Some(words), fold), words)
}

/// `words` of `tokens` around the first match, with `…` where text was cut.
fn window(text: &str, tokens: &[Token], words: usize) -> Vec<Fragment> {
    let first = tokens.iter().position(|t| t.hit).unwrap_or(0);
    let start = first.saturating_sub(LEAD_WORDS);
    let end = (start + words).min(tokens.len());
    let mut out = fragments(text, tokens, start, end);
    if start > 0 {
        push_plain(&mut out, "…", true);
    }
    if end < tokens.len() {
        push_plain(&mut out, "…", false);
    }
    out
}

/// A span of `text` (byte offsets) and whether a query word matched it.
struct Token {
    hit: bool,
    from: usize,
    to: usize,
}

/// The spans of `text`, in order and not overlapping. With `window`
/// (a snippet of that many words), only as far as the snippet reaches
/// plus one span, which tells that the text goes on: a snippet's cost
/// is the words before its first match and its own, not the whole post
/// (each span is compared with every query word, typos included).
fn tokens(
    text: &str,
    terms: &QueryTerms,
    window: Option<usize>,
    fold: &(impl Fold + ?Sized),
) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut first_hit: Option<usize> = None;
    let spans = words::spans(text, false);
    let normalised =
        spans.filter_map(|(from, to)| Some((words::normalise(&text[from..to], fold)?, from, to)));
    for (word, from, to) in normalised {
        // Spans before the last are final: a merge only changes the last.
        if let (Some(words), Some(first)) = (window, first_hit)
            && out.len() > first.saturating_sub(LEAD_WORDS) + words
        {
            break;
        }
        let next = Token {
            hit: matches(&word, terms),
            from,
            to,
        };
        merge(&mut out, next);
        if first_hit.is_none() && out.last().is_some_and(|t| t.hit) {
            first_hit = Some(out.len() - 1);
        }
    }
    out
}

/// Adds `next` after the spans so far; a character pair that overlaps the
/// last one shares its first character with it, marked if either pair
/// matched. Each CJK character ends up a span of its own, so snippets
/// count characters there.
fn merge(out: &mut Vec<Token>, mut next: Token) {
    let Some(last) = out.last_mut() else {
        out.push(next);
        return;
    };
    if next.from >= last.to {
        out.push(next);
    } else if next.hit && !last.hit {
        last.to = next.from;
        if last.from == last.to {
            out.pop();
        }
        out.push(next);
    } else {
        next.from = last.to;
        if next.from < next.to {
            out.push(next);
        }
    }
}

/// The same rule the index applies: exact, prefix, or one typo; and,
/// near enough, a stem: the word is the stem or starts with it.
fn matches(word: &str, terms: &QueryTerms) -> bool {
    let by_word = terms.words.iter().any(|term| {
        word == term
            || ((term.chars().count() >= 2 || is_lone_cjk(term)) && word.starts_with(term.as_str()))
            || one_typo_apart(word, term)
    });
    by_word
        || terms.stems.iter().flatten().any(|stem| {
            // Behind its language's code: `en:run`.
            let stem = stem.split_once(':').map_or(stem.as_str(), |(_, stem)| stem);
            word == stem || (stem.chars().count() >= 3 && word.starts_with(stem))
        })
}

/// Within one typo (a swap is one edit) of a query word of at least four
/// characters. Words whose lengths differ by more than one cannot be, and
/// most words of a post are told apart so, without the distance's
/// allocations.
fn one_typo_apart(word: &str, term: &str) -> bool {
    let term_chars = term.chars().count();
    term_chars >= 4 && word.chars().count().abs_diff(term_chars) <= 1 && within_one_edit(word, term)
}

/// Fragments covering tokens `start..end` and the text between them.
fn fragments(text: &str, tokens: &[Token], start: usize, end: usize) -> Vec<Fragment> {
    if start >= end {
        return if tokens.is_empty() && !text.is_empty() {
            vec![plain(text)]
        } else {
            Vec::new()
        };
    }
    let mut out: Vec<Fragment> = Vec::new();
    let mut cursor = if start == 0 { 0 } else { tokens[start].from };
    for token in &tokens[start..end] {
        append(&mut out, &text[cursor..token.from], false);
        append(&mut out, &text[token.from..token.to], token.hit);
        cursor = token.to;
    }
    if end == tokens.len() {
        append(&mut out, &text[cursor..], false);
    }
    out
}

/// Adds text, merging it into the previous fragment when both are alike.
fn append(out: &mut Vec<Fragment>, text: &str, hit: bool) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(last) if last.hit == hit => last.text.push_str(text),
        _ => out.push(Fragment {
            text: text.to_string(),
            hit,
        }),
    }
}

fn push_plain(out: &mut Vec<Fragment>, text: &str, front: bool) {
    if front {
        out.insert(0, plain(text));
    } else {
        out.push(plain(text));
    }
}

fn plain(text: &str) -> Fragment {
    Fragment {
        text: text.to_string(),
        hit: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No folding: these texts are ASCII or CJK.
    const NO_FOLD: &[(char, String)] = &[];

    fn terms(words: &[&str]) -> QueryTerms {
        QueryTerms {
            words: words.iter().map(|w| w.to_string()).collect(),
            ..QueryTerms::default()
        }
    }

    fn render(fragments: &[Fragment]) -> String {
        fragments
            .iter()
            .map(|f| {
                if f.hit {
                    format!("[{}]", f.text)
                } else {
                    f.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn marks_exact_prefix_and_typo_matches() {
        let text = "Postgres vacuum, autovacuum and the Vacum tuning guide.";
        assert_eq!(
            render(&highlight(text, &terms(&["vacuum"]), NO_FOLD)),
            "Postgres [vacuum], autovacuum and the [Vacum] tuning guide."
        );
        assert_eq!(
            render(&highlight(text, &terms(&["post"]), NO_FOLD)),
            "[Postgres] vacuum, autovacuum and the Vacum tuning guide."
        );
    }

    #[test]
    fn snippets_centre_on_the_first_match() {
        let text: String = (0..100).map(|i| format!("w{i} ")).collect();
        let snip = render(&snippet(&text, &terms(&["w50"]), 12, NO_FOLD));
        assert!(snip.starts_with("…w42 "), "{snip}");
        assert!(snip.contains("[w50]"), "{snip}");
        assert!(snip.ends_with("w53…"), "{snip}");
    }

    #[test]
    fn cjk_matches_are_marked_once_at_character_boundaries() {
        let text = "今日は東京タワーに行きました。東京は大きい。";
        assert_eq!(
            render(&highlight(text, &terms(&["東京"]), NO_FOLD)),
            "今日は[東京]タワーに行きました。[東京]は大きい。"
        );
        // A three-character word: both of its pairs, one mark.
        assert_eq!(
            render(&highlight(
                "私は日本語を学ぶ",
                &terms(&["日本", "本語"]),
                NO_FOLD
            )),
            "私は[日本語]を学ぶ"
        );
        let long = format!("{}東京{}", "あ".repeat(100), "い".repeat(100));
        let snip = render(&snippet(&long, &terms(&["東京"]), 12, NO_FOLD));
        assert!(snip.contains("[東京]"), "{snip}");
        assert!(snip.starts_with('…') && snip.ends_with('…'), "{snip}");
    }

    /// The snippet as made from every span of the text.
    fn snippet_of_all_spans(text: &str, terms: &QueryTerms, words: usize) -> String {
        render(&window(text, &tokens(text, terms, None, NO_FOLD), words))
    }

    #[test]
    fn a_snippet_reads_the_text_only_as_far_as_it_shows() {
        let text = format!("intro words then vacuum {}", "filler ".repeat(100_000));
        let spans = tokens(&text, &terms(&["vacum"]), Some(12), NO_FOLD);
        assert_eq!(
            spans.len(),
            13,
            "the window and one span to tell it goes on"
        );
        let cjk = format!("{}東京{}", "あ".repeat(30), "い".repeat(30));
        for (text, words) in [
            (text.as_str(), &["vacum"][..]),
            ("a b c d e f g h i j k l m n o p", &["zzz"]),
            ("a b c d e f g h i j k l m n o p", &["o"]),
            (&cjk, &["東京"]),
            (
                "今日は東京タワーに行きました。東京は大きい。",
                &["東京", "京タ"],
            ),
        ] {
            for n in [1, 3, 12, 40] {
                assert_eq!(
                    render(&snippet(text, &terms(words), n, NO_FOLD)),
                    snippet_of_all_spans(text, &terms(words), n),
                    "{text:.40} {words:?} {n}"
                );
            }
        }
    }

    #[test]
    fn text_is_kept_verbatim_including_markup_characters() {
        let text = "<script>alert(1)</script> & more";
        let out = highlight(text, &terms(&["alert"]), NO_FOLD);
        assert_eq!(render(&out), "<script>[alert](1)</script> & more");
    }
}
