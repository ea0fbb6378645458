//! Marking the words a query matched, for titles and result snippets.
//!
//! The output is plain fragments, never HTML: the page renders each hit in a
//! `<mark>` itself, so nothing from a post can inject markup here.

use tantivy::tokenizer::TextAnalyzer;

use super::QueryTerms;
use crate::model::Fragment;

/// Words shown before the first match, for context.
const LEAD_WORDS: usize = 8;

/// The whole `text`, with matched words marked.
pub fn highlight(text: &str, terms: &QueryTerms) -> Vec<Fragment> {
    let tokens = tokens(text);
    fragments(text, &tokens, 0, tokens.len(), terms)
}

/// About `words` words of `text` around its first match (or its start).
pub fn snippet(text: &str, terms: &QueryTerms, words: usize) -> Vec<Fragment> {
    let tokens = tokens(text);
    let first = tokens
        .iter()
        .position(|t| matches(&t.normalized, terms))
        .unwrap_or(0);
    let start = first.saturating_sub(LEAD_WORDS);
    let end = (start + words).min(tokens.len());
    let mut out = fragments(text, &tokens, start, end, terms);
    if start > 0 {
        push_plain(&mut out, "…", true);
    }
    if end < tokens.len() {
        push_plain(&mut out, "…", false);
    }
    out
}

struct Token {
    normalized: String,
    from: usize,
    to: usize,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut analyzer: TextAnalyzer = super::analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(Token {
            normalized: token.text.clone(),
            from: token.offset_from,
            to: token.offset_to,
        });
    }
    out
}

/// The same rule the index applies: exact, prefix, or one typo.
fn matches(word: &str, terms: &QueryTerms) -> bool {
    terms.words.iter().any(|term| {
        word == term
            || (term.chars().count() >= 2 && word.starts_with(term.as_str()))
            || (term.chars().count() >= 4 && strsim::damerau_levenshtein(word, term) <= 1)
    })
}

/// Fragments covering tokens `start..end` and the text between them.
fn fragments(
    text: &str,
    tokens: &[Token],
    start: usize,
    end: usize,
    terms: &QueryTerms,
) -> Vec<Fragment> {
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
        append(
            &mut out,
            &text[token.from..token.to],
            matches(&token.normalized, terms),
        );
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
            render(&highlight(text, &terms(&["vacuum"]))),
            "Postgres [vacuum], autovacuum and the [Vacum] tuning guide."
        );
        assert_eq!(
            render(&highlight(text, &terms(&["post"]))),
            "[Postgres] vacuum, autovacuum and the Vacum tuning guide."
        );
    }

    #[test]
    fn snippets_centre_on_the_first_match() {
        let text: String = (0..100).map(|i| format!("w{i} ")).collect();
        let snip = render(&snippet(&text, &terms(&["w50"]), 12));
        assert!(snip.starts_with("…w42 "), "{snip}");
        assert!(snip.contains("[w50]"), "{snip}");
        assert!(snip.ends_with("w53…"), "{snip}");
    }

    #[test]
    fn text_is_kept_verbatim_including_markup_characters() {
        let text = "<script>alert(1)</script> & more";
        let out = highlight(text, &terms(&["alert"]));
        assert_eq!(render(&out), "<script>[alert](1)</script> & more");
    }
}
