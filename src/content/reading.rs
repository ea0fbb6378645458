//! How long a post takes to read: words (split at spaces) at 220 a minute,
//! and Chinese and Japanese characters, written without spaces, at 500 a
//! minute, so a Japanese post is not "1 min read" because it has few spaces.

use super::cjk::is_han_or_kana;

/// Words a reader gets through per minute.
const WORDS_PER_MINUTE: u64 = 220;
/// Chinese or Japanese characters a reader gets through per minute.
const CJK_CHARS_PER_MINUTE: u64 = 500;

/// The words of `text` (each Chinese or Japanese character counts as one)
/// and the minutes it takes to read, at least one.
pub fn estimate(text: &str) -> (u32, u32) {
    let (mut words, mut cjk) = (0u64, 0u64);
    for chunk in text.split_whitespace() {
        let ideographs = chunk.chars().filter(|&c| is_han_or_kana(c)).count() as u64;
        cjk += ideographs;
        // Latin text in a chunk beside ideographs (`Rustの`) is one word.
        if chunk
            .chars()
            .any(|c| c.is_alphanumeric() && !is_han_or_kana(c))
            || ideographs == 0
        {
            words += 1;
        }
    }
    let per_both = WORDS_PER_MINUTE * CJK_CHARS_PER_MINUTE;
    let minutes = (words * CJK_CHARS_PER_MINUTE + cjk * WORDS_PER_MINUTE).div_ceil(per_both);
    let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    (clamp(words + cjk), clamp(minutes).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_at_220_a_minute() {
        assert_eq!(estimate("one two three"), (3, 1));
        assert_eq!(estimate(&"word ".repeat(441)).1, 3);
    }

    #[test]
    fn chinese_and_japanese_characters_at_500_a_minute() {
        // 1,500 characters with no space: three minutes, not one.
        let japanese = "日本語の文章です。".repeat(167);
        let (words, minutes) = estimate(&japanese);
        assert_eq!(words, 8 * 167);
        assert_eq!(minutes, 3);
        assert_eq!(estimate(&"中文".repeat(1_000)), (2_000, 4));
        assert_eq!(
            estimate("Rustの所有権"),
            (5, 1),
            "a Latin word and four characters"
        );
    }
}
