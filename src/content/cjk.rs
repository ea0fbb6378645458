//! Which characters are Chinese, Japanese or Korean script: text in them
//! is not split into words by spaces, so reading time counts the
//! characters and search indexes them in pairs. The rule lives in
//! `quire-find`, which the browser's search on a static host shares.

pub use quire_find::cjk::{is_cjk, is_han_or_kana, is_hangul};
