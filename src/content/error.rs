//! Errors and warnings about one content file, each naming the file, the
//! line it applies to, and what the author should do about it.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in one file under `content/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentError {
    /// Path as the author knows it (relative to the content dir when possible).
    pub path: PathBuf,
    /// 1-based line the problem applies to, when one can be named.
    pub line: Option<usize>,
    pub message: String,
    pub fix: String,
    /// How `quire check` counts it.
    pub severity: Severity,
}

/// How a problem counts. Errors and warnings are told apart by where they
/// are collected; these say when a problem is neither.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Severity {
    /// An error or a warning, as collected.
    #[default]
    Problem,
    /// The file is not a document at all (no front matter, no title: a
    /// README, a partial, a template-only file of another engine): it is
    /// reported and skipped, not counted as an error.
    NotAPost,
    /// Worth knowing, nothing to fix: a custom front matter key (Hugo's
    /// params, Jekyll's variables), kept but unused. Listed once per kind.
    Note,
}

impl ContentError {
    pub fn new(
        path: &Path,
        line: Option<usize>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            path: path.to_path_buf(),
            line,
            message: message.into(),
            fix: fix.into(),
            severity: Severity::Problem,
        }
    }

    /// This problem, marked as saying the file is not a post.
    pub fn not_a_post(self) -> Self {
        Self {
            severity: Severity::NotAPost,
            ..self
        }
    }

    /// This problem, marked as a note ([`Severity::Note`]).
    pub fn note(self) -> Self {
        Self {
            severity: Severity::Note,
            ..self
        }
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message)?,
            None => write!(f, "{}: {}", self.path.display(), self.message)?,
        }
        write!(f, " (fix: {})", self.fix)
    }
}

impl std::error::Error for ContentError {}
