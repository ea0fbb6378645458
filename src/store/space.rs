//! Free space on the store's filesystem, checked before every write.
//!
//! sled 0.34 turns one failed write (`ENOSPC`) into a global error: every
//! later operation on that database fails, reads included, until it is
//! opened again. Refusing a write while the disk is nearly full keeps sled
//! healthy, so the last good site keeps being served; the watcher retries
//! the write once space is back. A write that still fails (the space went
//! between the check and the write, a quota, a file-size limit) is handled
//! by reopening the store ([`super::Store::recover`]).

use std::path::Path;

use super::StoreError;

/// Free space below which writes are refused: a few of sled's 512 KiB
/// segments plus a snapshot, with room for a batch of large posts.
pub const RESERVE_BYTES: u64 = 8 * 1024 * 1024;

/// `Ok` when the filesystem holding `dir` has [`RESERVE_BYTES`] free for
/// unprivileged writers, or when that cannot be told (the write itself will
/// then report what is wrong).
pub fn ensure(dir: &Path) -> Result<(), StoreError> {
    match free_bytes(dir) {
        Some(free) if free < RESERVE_BYTES => Err(StoreError::NoSpace {
            path: dir.to_path_buf(),
            free_kib: free / 1024,
            reserve_mib: RESERVE_BYTES / (1024 * 1024),
        }),
        _ => Ok(()),
    }
}

/// Bytes an unprivileged process may still write on `dir`'s filesystem.
#[cfg(unix)]
pub fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: `path` is NUL-terminated and `stats` is written by the call.
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid for the duration of the call.
    if unsafe { libc::statvfs(path.as_ptr(), &mut stats) } != 0 {
        return None;
    }
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    Some((stats.f_bavail as u64).saturating_mul(stats.f_frsize as u64))
}

#[cfg(not(unix))]
pub fn free_bytes(_dir: &Path) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_directory_has_a_size_and_a_missing_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        assert!(free_bytes(dir.path()).is_some_and(|free| free > 0));
        assert_eq!(free_bytes(&dir.path().join("missing")), None);
    }
}
