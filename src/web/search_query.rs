//! The search page's URL: `/search?q=postgres+vacuum`.
//!
//! Percent-decoding is done here, leniently: bytes that do not decode are
//! kept as typed, so no query string can fail to render the page.

use std::fmt;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    pub q: String,
}

impl From<&str> for SearchQuery {
    fn from(query: &str) -> Self {
        let q = query
            .trim_start_matches('?')
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == "q")
            .map(|(_, value)| decode(value))
            .unwrap_or_default();
        Self { q }
    }
}

impl fmt::Display for SearchQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "q={}", encode(&self.q))
    }
}

/// `application/x-www-form-urlencoded` value → text.
pub fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[i], escaped) {
            (_, Some(byte)) => {
                out.push(byte);
                i += 3;
                continue;
            }
            (b'+', None) => out.push(b' '),
            (byte, None) => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Text → a query-string value (unreserved characters kept, space as `+`).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_any_text() {
        for text in [
            "postgres vacuum",
            "a&b=c",
            "\"quoted\" + 100%",
            "🦀 crab",
            "",
        ] {
            let query = SearchQuery {
                q: text.to_string(),
            };
            assert_eq!(SearchQuery::from(query.to_string().as_str()), query);
        }
    }

    #[test]
    fn malformed_escapes_are_kept_as_typed() {
        assert_eq!(SearchQuery::from("q=100%&x=1").q, "100%");
        assert_eq!(SearchQuery::from("q=%zz%4").q, "%zz%4");
        assert_eq!(SearchQuery::from("q=%FF").q, "\u{FFFD}");
        assert_eq!(SearchQuery::from("nothing").q, "");
    }
}
