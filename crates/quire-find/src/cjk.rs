//! Which characters are Chinese, Japanese or Korean script: text in them
//! is not split into words by spaces, so reading time counts the
//! characters and search indexes them in pairs.

/// Han ideographs and Japanese kana: read at about 500 characters a minute,
/// written without spaces between words.
pub fn is_han_or_kana(c: char) -> bool {
    matches!(c,
        '\u{3005}' | '\u{3007}'            // 々 〇
        | '\u{3040}'..='\u{30FF}'          // Hiragana, Katakana (with ー)
        | '\u{31F0}'..='\u{31FF}'          // Katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}'          // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'          // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}'          // compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}'          // half-width Katakana
        | '\u{20000}'..='\u{2FA1F}'        // extensions B–F, supplement
    )
}

/// Hangul syllables and letters.
pub fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// Any CJK script character: search splits runs of them into pairs.
pub fn is_cjk(c: char) -> bool {
    is_han_or_kana(c) || is_hangul(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts() {
        assert!("日本語のテキスト中文".chars().all(is_han_or_kana));
        assert!("한국어".chars().all(is_hangul));
        assert!(!"abc é، ١".chars().any(is_cjk));
        assert!(!"。、「」".chars().any(is_cjk), "punctuation separates");
    }
}
