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
