//! Why a configuration is refused, worded for the site owner: every message
//! names the file and line, or the variable, and says what to change. Kept
//! apart from the reading so that all wording lives in one place.

use std::path::{Path, PathBuf};

/// A configuration the process cannot start with. Every message names the
/// file or variable and what to change.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "cannot read the config file {path}: {source}; create it (see quire.example.toml) or pass another with --config PATH"
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} line {line}: {message}; fix the TOML there")]
    Syntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("unknown key `{key}` in {path} line {line}; {hint}")]
    UnknownKey {
        key: String,
        path: PathBuf,
        line: usize,
        hint: String,
    },
    #[error("{setting}: {message}")]
    Invalid { setting: String, message: String },
}

/// A TOML syntax or type error at the line its span starts on.
pub(super) fn syntax(text: &str, path: &Path, err: &toml::de::Error) -> ConfigError {
    ConfigError::Syntax {
        path: path.to_path_buf(),
        line: err.span().map_or(1, |span| line_of(text, span.start)),
        message: err.message().trim().to_string(),
    }
}

/// A bad value, named by where it came from (`QUIRE_X`, or `` `x` in file``).
pub(super) fn invalid(setting: &str, message: String) -> ConfigError {
    ConfigError::Invalid {
        setting: setting.to_string(),
        message,
    }
}

/// 1-based line of a byte offset.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// "did you mean `x`?" for a close key, else the list of valid keys.
pub(super) fn hint(key: &str, candidates: &[String]) -> String {
    let best = candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(key, c), c))
        .min();
    match best {
        Some((distance, candidate)) if distance <= (key.len() / 3).max(2) => {
            format!("did you mean `{candidate}`?")
        }
        _ => format!("remove it; valid keys are {}", candidates.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn lines_are_counted_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }

    #[test]
    fn a_close_key_is_suggested_and_a_far_one_gets_the_list() {
        let valid = keys(&["title", "tagline"]);
        assert_eq!(hint("titel", &valid), "did you mean `title`?");
        assert_eq!(
            hint("colour_scheme", &valid),
            "remove it; valid keys are title, tagline"
        );
    }
}
