//! What went wrong with the store, and what kind of wrong it is.
//!
//! The store is a cache of `content/`, so a store that is *damaged* (it
//! does not decode, or is from another format) is deleted and rebuilt. An
//! I/O error says nothing about the store's bytes: a read-only or full disk,
//! a missing permission, another process holding the lock. Deleting the
//! store then would throw away the last good site for nothing (or fail half
//! way), so [`StoreError::is_damage`] is true only for real damage, and the
//! callers keep everything else as it is and say what to fix.

use std::io;
use std::path::PathBuf;

use sled::transaction::TransactionError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store at {path} cannot be used: {source}")]
    Open { path: PathBuf, source: sled::Error },
    #[error("cannot remove the damaged store at {path}: {source}")]
    Reset {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("store I/O failed: {0}")]
    Sled(#[from] sled::Error),
    #[error("a stored record is damaged: {0}")]
    Decode(#[from] serde_json::Error),
    /// Refused before writing: sled would turn the failed write into an
    /// error on every later read (see [`super::space`]).
    #[error(
        "No space left on device: {free_kib} KiB free for the store at {path}, under the {reserve_mib} MiB Quire keeps free; free some space (the write is retried)"
    )]
    NoSpace {
        path: PathBuf,
        free_kib: u64,
        reserve_mib: u64,
    },
    /// The store was closed to be reopened after a failed write, and
    /// opening it again failed; the next retry tries again.
    #[error("the store at {0} is closed after a failed write and could not be reopened yet")]
    Closed(PathBuf),
}

impl From<TransactionError<StoreError>> for StoreError {
    fn from(err: TransactionError<StoreError>) -> Self {
        match err {
            TransactionError::Abort(err) => err,
            TransactionError::Storage(err) => StoreError::Sled(err),
        }
    }
}

impl StoreError {
    /// Whether the store's own bytes are bad (undecodable records or files,
    /// a format sled does not support): the only case in which it may be
    /// deleted and rebuilt from content.
    pub fn is_damage(&self) -> bool {
        match self {
            StoreError::Decode(_) => true,
            StoreError::Open { source, .. } | StoreError::Sled(source) => sled_damage(source),
            StoreError::Reset { .. } | StoreError::NoSpace { .. } | StoreError::Closed(_) => false,
        }
    }

    /// The operating system's error behind this one, if any.
    pub fn io_error(&self) -> Option<&io::Error> {
        match self {
            StoreError::Open { source, .. } | StoreError::Sled(source) => match source {
                sled::Error::Io(err) => Some(err),
                _ => None,
            },
            StoreError::Reset { source, .. } => Some(source),
            _ => None,
        }
    }

    /// Whether writing is refused by the filesystem or its permissions
    /// (`EROFS`, `EACCES`, `EPERM`): fixed by the operator, not by retrying.
    pub fn is_read_only(&self) -> bool {
        self.io_error().is_some_and(is_read_only)
    }

    /// A short cause without paths, for `/healthz` (which anyone can read):
    /// "No space left on device", "Read-only file system".
    pub fn cause(&self) -> String {
        match self {
            StoreError::NoSpace { .. } => "No space left on device".into(),
            StoreError::Closed(_) => "the store is being reopened".into(),
            StoreError::Decode(_) => "a stored record is damaged".into(),
            _ => match self.io_error() {
                Some(err) => without_os_code(err),
                None => "the store failed".into(),
            },
        }
    }
}

/// sled's verdict on its own files: corruption, an unsupported format, or
/// an internal inconsistency, and the decode errors its recovery reports
/// as I/O (a truncated or garbled file reads as `UnexpectedEof` or
/// `InvalidData` with no OS error behind it).
fn sled_damage(err: &sled::Error) -> bool {
    match err {
        sled::Error::Corruption { .. }
        | sled::Error::Unsupported(_)
        | sled::Error::ReportableBug(_)
        | sled::Error::CollectionNotFound(_) => true,
        sled::Error::Io(err) => {
            err.raw_os_error().is_none()
                && matches!(
                    err.kind(),
                    io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidData
                )
        }
    }
}

/// `EROFS`, `EACCES` or `EPERM`.
pub fn is_read_only(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied
    )
}

/// "No space left on device (os error 28)" → "No space left on device".
fn without_os_code(err: &io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}
