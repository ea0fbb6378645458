//! tantivy's ASCII folding ("é" → "e", "ß" → "ss") as a table of the
//! characters it changes: the server folds a query's words with it, as
//! `quire_find` does, and `quire export` writes it for the browser's
//! search on a static host, so both fold as the index did.

use std::sync::OnceLock;

use tantivy::tokenizer::{AsciiFoldingFilter, RawTokenizer, TextAnalyzer};

/// The blocks holding every character tantivy folds (Latin-1 to Latin
/// Extended-B, phonetic and Latin Extended Additional, punctuation to
/// dingbats and arrows, Latin Extended-C to supplemental punctuation,
/// Latin Extended-D, ligatures, full-width forms); a test scans the rest.
const BLOCKS: [(u32, u32); 7] = [
    (0x80, 0x2FF),
    (0x1D00, 0x1EFF),
    (0x2000, 0x2BFF),
    (0x2C00, 0x2EFF),
    (0xA700, 0xA7FF),
    (0xFB00, 0xFBFF),
    (0xFF00, 0xFFEF),
];

/// Every character tantivy folds and its ASCII form, sorted.
pub fn table() -> &'static [(char, String)] {
    static TABLE: OnceLock<Vec<(char, String)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut analyzer = folding();
        BLOCKS
            .iter()
            .flat_map(|&(from, to)| (from..=to).filter_map(char::from_u32))
            .filter_map(|c| Some((c, folded(&mut analyzer, c)?)))
            .collect()
    })
}

fn folding() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(AsciiFoldingFilter)
        .build()
}

/// `c`'s ASCII form, when tantivy folds it.
fn folded(analyzer: &mut TextAnalyzer, c: char) -> Option<String> {
    let text = c.to_string();
    let mut stream = analyzer.token_stream(&text);
    let token = stream.next()?.text.clone();
    (token != text).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_folds_as_tantivy() {
        let table = table();
        let fold = |c| quire_find::words::fold(&String::from(c), table);
        assert_eq!(fold('é'), "e");
        assert_eq!(fold('ß'), "ss");
        assert_eq!(fold('Ａ'), "A");
        assert_eq!(fold('日'), "日");
        assert!(table.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
    }

    #[test]
    fn no_character_outside_the_blocks_folds() {
        let mut analyzer = folding();
        let inside = |c: u32| BLOCKS.iter().any(|&(from, to)| (from..=to).contains(&c));
        let outside = (0x80..=0x10FFFF)
            .filter(|&c| !inside(c))
            .filter_map(char::from_u32);
        let folds: Vec<char> = outside
            .filter(|&c| folded(&mut analyzer, c).is_some())
            .collect();
        assert!(folds.is_empty(), "{folds:?}");
    }
}
