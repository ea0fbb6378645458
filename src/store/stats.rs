//! The stat fast path of a sync: what each source file looked like (size,
//! modification and change times, inode) when its text was last read, so
//! a restart with nothing changed need not read and hash every file again
//! (at 100,000 posts that was most of a restart).
//!
//! The records live in their own tree (`stats`), apart from the sources
//! and outside [`Store::digest`]: they say nothing about what the store
//! holds, only whether a file must be read again to know. A missing or
//! stale record only costs that read. A record vouches for a file only
//! when every field still matches, the file was read under the same
//! settings (their digest), its post is stored with the hash read then,
//! and its modification time is not within [`RACY_NANOS`] of when the
//! record was written: a file changed in the same tick as it was read
//! could keep its size and times (git's "racy" rule), so it is read again
//! until its record is older than that.

use std::fs::Metadata;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::records::source_key;
use super::{Store, StoreError};

/// A file modified this close to when its record was written is always
/// read again (file systems keep times in ticks of up to 2 s).
pub const RACY_NANOS: i64 = 2_000_000_000;

/// What a file's metadata says about its content, cheaply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStat {
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime: i64,
    /// Inode change time (a rename, a `touch`), nanoseconds; 0 where the
    /// system has none.
    pub ctime: i64,
    /// Inode number: a file replaced by a rename is another file.
    pub ino: u64,
}

impl FileStat {
    pub fn of(meta: &Metadata) -> Self {
        #[cfg(unix)]
        let (ctime, ino) = {
            use std::os::unix::fs::MetadataExt;
            (meta.ctime() * 1_000_000_000 + meta.ctime_nsec(), meta.ino())
        };
        #[cfg(not(unix))]
        let (ctime, ino) = (0, 0);
        Self {
            size: meta.len(),
            mtime: meta.modified().map_or(0, nanos),
            ctime,
            ino,
        }
    }

    /// The metadata of the file at `path` now, if it can be read.
    pub fn at(path: &Path) -> Option<Self> {
        std::fs::metadata(path).ok().map(|meta| Self::of(&meta))
    }
}

/// A file's stat when its text was read, with the content hash read then
/// and the digest of the settings it was hashed under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatRecord {
    pub stat: FileStat,
    /// When the record was made (the stat was taken before the read).
    pub recorded: i64,
    pub hash: String,
    pub settings: String,
}

impl StatRecord {
    /// A record of `stat` taken now.
    pub fn new(stat: FileStat, hash: &str, settings: &str) -> Self {
        Self {
            stat,
            recorded: nanos(SystemTime::now()),
            hash: hash.to_string(),
            settings: settings.to_string(),
        }
    }

    /// Whether a file whose metadata is now `stat`, stored with `hash`
    /// under `settings`, is surely the one this record was made from.
    pub fn vouches_for(&self, stat: &FileStat, hash: &str, settings: &str) -> bool {
        self.stat == *stat
            && self.hash == hash
            && self.settings == settings
            && self.stat.mtime.saturating_add(RACY_NANOS) < self.recorded
    }
}

fn nanos(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_nanos()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_nanos()).unwrap_or(i64::MAX),
    }
}

impl Store {
    /// The stat record of the source at `relative`, if any; one that does
    /// not decode is as good as none.
    pub fn stat(&self, relative: &Path) -> Result<Option<StatRecord>, StoreError> {
        Ok(self
            .trees()?
            .stats
            .get(source_key(relative))?
            .and_then(|bytes| serde_json::from_slice(&bytes).ok()))
    }

    /// Every stat record, by source key (one walk of the tree); records
    /// that do not decode are left out.
    pub fn all_stats(&self) -> Result<Vec<(String, StatRecord)>, StoreError> {
        let mut out = Vec::new();
        for entry in self.trees()?.stats.iter() {
            let (key, bytes) = entry?;
            if let Ok(record) = serde_json::from_slice(&bytes) {
                out.push((String::from_utf8_lossy(&key).into_owned(), record));
            }
        }
        Ok(out)
    }

    pub fn set_stat(&self, relative: &Path, record: &StatRecord) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(record)?;
        self.write(|t| {
            t.stats.insert(source_key(relative), bytes)?;
            Ok(())
        })
    }

    pub fn forget_stat(&self, relative: &Path) -> Result<(), StoreError> {
        self.write(|t| {
            t.stats.remove(source_key(relative))?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(mtime: i64) -> FileStat {
        FileStat {
            size: 10,
            mtime,
            ctime: mtime,
            ino: 7,
        }
    }

    #[test]
    fn a_record_vouches_only_for_the_same_file_read_long_enough_after_its_change() {
        let old = stat(1_000 * RACY_NANOS);
        let mut record = StatRecord::new(old, "h", "s");
        assert!(record.vouches_for(&old, "h", "s"));
        assert!(!record.vouches_for(&old, "other hash", "s"));
        assert!(!record.vouches_for(&old, "h", "other settings"));
        for changed in [
            FileStat { size: 11, ..old },
            FileStat { mtime: 1, ..old },
            FileStat { ctime: 1, ..old },
            FileStat { ino: 8, ..old },
        ] {
            assert!(!record.vouches_for(&changed, "h", "s"), "{changed:?}");
        }
        // Modified within the racy window of the record: read again.
        record.recorded = old.mtime + RACY_NANOS / 2;
        assert!(!record.vouches_for(&old, "h", "s"));
        record.recorded = old.mtime + RACY_NANOS + 1;
        assert!(record.vouches_for(&old, "h", "s"));
    }
}
