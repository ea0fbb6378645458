//! `Accept-Encoding` negotiation: which of the variants the cache holds a
//! client gets. A small pure parser, so every odd header is a unit test.
//!
//! Rules (RFC 9110 §12.5.3, narrowed to what is always safe):
//! - a coding is acceptable when it is listed with a q-value above zero
//!   (`br;q=0` means "no brotli");
//! - the highest q wins, ties go to brotli (smaller), then gzip;
//! - `*` alone, an empty header, garbage or no header get identity: identity
//!   is always understood, while guessing wrong sends bytes a client cannot read;
//! - an element with a malformed q-value is ignored, not the whole header.

/// A representation of a response body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// The `Content-Encoding` value; identity sends none.
    pub fn header_value(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some("gzip"),
            Encoding::Brotli => Some("br"),
        }
    }

    /// Appended to the ETag: each representation needs its own strong tag.
    pub fn etag_suffix(self) -> &'static str {
        match self {
            Encoding::Identity => "",
            Encoding::Gzip => "-gz",
            Encoding::Brotli => "-br",
        }
    }
}

/// The best encoding for `header` among identity and the compressed
/// variants that exist (`brotli`, `gzip`).
pub fn negotiate(header: Option<&str>, brotli: bool, gzip: bool) -> Encoding {
    let Some(header) = header else {
        return Encoding::Identity;
    };
    let mut q_brotli = None;
    let mut q_gzip = None;
    for (coding, q) in header.split(',').filter_map(parse_element) {
        let slot = match coding.as_str() {
            "br" => &mut q_brotli,
            "gzip" | "x-gzip" => &mut q_gzip,
            _ => continue,
        };
        // The first mention counts; later duplicates are noise.
        slot.get_or_insert(q);
    }
    let brotli_q = q_brotli.filter(|q| brotli && *q > 0.0);
    let gzip_q = q_gzip.filter(|q| gzip && *q > 0.0);
    match (brotli_q, gzip_q) {
        (Some(b), Some(g)) if g > b => Encoding::Gzip,
        (Some(_), _) => Encoding::Brotli,
        (None, Some(_)) => Encoding::Gzip,
        (None, None) => Encoding::Identity,
    }
}

/// `coding[;q=value][;other=params]` → lower-case coding and its q-value,
/// or `None` when the element is empty or its q-value is malformed.
fn parse_element(element: &str) -> Option<(String, f32)> {
    let mut parts = element.split(';');
    let coding = parts.next()?.trim().to_ascii_lowercase();
    if coding.is_empty() || !coding.bytes().all(is_token_byte) {
        return None;
    }
    let mut q = 1.0;
    for param in parts {
        let (name, value) = param.split_once('=')?;
        if name.trim().eq_ignore_ascii_case("q") {
            q = parse_q(value.trim())?;
        }
    }
    Some((coding, q))
}

/// A qvalue: `0`, `1`, or up to three decimals (`0.5`, `1.000`).
fn parse_q(value: &str) -> Option<f32> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    let digits_ok = matches!(whole, "0" | "1")
        && fraction.len() <= 3
        && fraction.bytes().all(|b| b.is_ascii_digit());
    if !digits_ok {
        return None;
    }
    let q: f32 = value.parse().ok()?;
    (0.0..=1.0).contains(&q).then_some(q)
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::Encoding::{Brotli, Gzip, Identity};
    use super::negotiate;

    fn pick(header: &str) -> super::Encoding {
        negotiate(Some(header), true, true)
    }

    #[test]
    fn browsers_get_brotli() {
        assert_eq!(pick("gzip, deflate, br, zstd"), Brotli);
        assert_eq!(pick("br"), Brotli);
        assert_eq!(pick("BR;Q=1"), Brotli);
    }

    #[test]
    fn q_zero_refuses_a_coding() {
        assert_eq!(pick("br;q=0, gzip"), Gzip);
        assert_eq!(pick("br;q=0.000, gzip;q=0"), Identity);
        assert_eq!(pick("gzip;q=0"), Identity);
    }

    #[test]
    fn the_highest_q_wins_and_ties_go_to_brotli() {
        assert_eq!(pick("br;q=0.5, gzip;q=0.8"), Gzip);
        assert_eq!(pick("gzip;q=0.8, br;q=0.8"), Brotli);
        assert_eq!(pick("x-gzip"), Gzip);
    }

    #[test]
    fn wildcard_empty_and_garbage_get_identity() {
        assert_eq!(pick("*"), Identity);
        assert_eq!(pick(""), Identity);
        assert_eq!(pick("%%%, ;;; ,"), Identity);
        assert_eq!(pick("identity"), Identity);
        assert_eq!(negotiate(None, true, true), Identity);
    }

    #[test]
    fn malformed_q_values_drop_only_their_element() {
        assert_eq!(pick("br;q=abc, gzip"), Gzip);
        assert_eq!(pick("br;q=1.5, gzip;q=0.1"), Gzip);
        assert_eq!(pick("br;q=-1"), Identity);
        assert_eq!(pick("br;q"), Identity);
        assert_eq!(pick("br;q=0.12345"), Identity);
    }

    #[test]
    fn only_variants_that_exist_are_chosen() {
        assert_eq!(negotiate(Some("br, gzip"), false, true), Gzip);
        assert_eq!(negotiate(Some("br"), false, true), Identity);
        assert_eq!(negotiate(Some("br, gzip"), false, false), Identity);
    }

    #[test]
    fn first_mention_of_a_coding_counts() {
        assert_eq!(pick("br;q=0, br, gzip"), Gzip);
    }
}
