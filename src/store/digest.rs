//! The store's digest, kept up to date by each write rather than computed
//! by reading every source record.
//!
//! Why: the search index on disk records the digest it was built from, so
//! every content change asked for it. Computed by a walk of the `sources`
//! tree, that cost each edit a read of 100,000 records at 100,000 posts
//! (tens of MB that sled then kept resident) and each start one more.
//!
//! How: each source record contributes the hash of its key and value; the
//! digest is their sum (four wrapping 64-bit lanes), so a write adds the
//! new record's hash and takes away the old one's, in the transaction that
//! writes the record. The sum does not depend on order, and equal sets of
//! records give equal sums. It is stored under [`DIGEST_KEY`].

use sled::transaction::{ConflictableTransactionError, TransactionalTree};

use super::StoreError;

/// Where the sum lives, beside the post count.
pub(super) const DIGEST_KEY: &[u8] = b"sources-digest";

/// The sum of every source record's hash.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub(super) struct Sum([u64; 4]);

impl Sum {
    pub(super) fn decode(bytes: Option<&[u8]>) -> Self {
        let mut lanes = [0u64; 4];
        if let Some(bytes) = bytes.filter(|b| b.len() == 32) {
            for (lane, chunk) in lanes.iter_mut().zip(bytes.chunks_exact(8)) {
                *lane = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            }
        }
        Self(lanes)
    }

    fn encode(self) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        for (chunk, lane) in bytes.chunks_exact_mut(8).zip(self.0) {
            chunk.copy_from_slice(&lane.to_le_bytes());
        }
        bytes
    }

    /// One record's hash: its key and value, each after its length.
    fn of(key: &[u8], value: &[u8]) -> Self {
        let mut hasher = blake3::Hasher::new();
        for part in [key, value] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        Self::decode(Some(hasher.finalize().as_bytes()))
    }

    fn plus(self, other: Self, sign: Sign) -> Self {
        let mut lanes = self.0;
        for (lane, add) in lanes.iter_mut().zip(other.0) {
            *lane = match sign {
                Sign::Add => lane.wrapping_add(add),
                Sign::Take => lane.wrapping_sub(add),
            };
        }
        Self(lanes)
    }

    /// The digest's text: the format version and the sum, hashed.
    pub(super) fn text(self, format: &str) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(format.as_bytes());
        hasher.update(&self.encode());
        hasher.finalize().to_hex()[..32].to_string()
    }
}

#[derive(Clone, Copy)]
enum Sign {
    Add,
    Take,
}

/// Inside the transaction that replaced the source record under `key`
/// (`old`, if any) with `new` (if any): moves the stored sum to match.
pub(super) fn replaced(
    meta: &TransactionalTree,
    key: &[u8],
    old: Option<&[u8]>,
    new: Option<&[u8]>,
) -> Result<(), ConflictableTransactionError<StoreError>> {
    let mut sum = Sum::decode(meta.get(DIGEST_KEY)?.as_deref());
    if let Some(old) = old {
        sum = sum.plus(Sum::of(key, old), Sign::Take);
    }
    if let Some(new) = new {
        sum = sum.plus(Sum::of(key, new), Sign::Add);
    }
    meta.insert(DIGEST_KEY, &sum.encode())?;
    Ok(())
}

/// The sum of `records`, as the writes would have kept it (tests).
#[cfg(test)]
pub(super) fn sum_of<'a>(records: impl IntoIterator<Item = (&'a [u8], &'a [u8])>) -> Sum {
    records.into_iter().fold(Sum::default(), |sum, (k, v)| {
        sum.plus(Sum::of(k, v), Sign::Add)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sum_depends_on_the_records_not_their_order_and_a_removal_undoes_an_add() {
        let a: (&[u8], &[u8]) = (b"a.md", b"1");
        let b: (&[u8], &[u8]) = (b"b.md", b"2");
        assert_eq!(sum_of([a, b]), sum_of([b, a]));
        assert_ne!(sum_of([a]), sum_of([b]));
        let x: (&[u8], &[u8]) = (b"a.md", b"2");
        let y: (&[u8], &[u8]) = (b"a.m", b"d2");
        assert_ne!(
            sum_of([x]),
            sum_of([y]),
            "a record's key and value stay apart"
        );
        let back = sum_of([a, b]).plus(Sum::of(b.0, b.1), Sign::Take);
        assert_eq!(back, sum_of([a]));
        assert_eq!(Sum::decode(Some(&back.encode())), back);
        assert_ne!(back.text("v1"), back.text("v2"));
    }

    fn put(store: &super::super::Store, path: &str, title: &str) {
        use crate::content::{RenderOptions, parse_document};
        let text = format!("+++\ntitle = \"{title}\"\ndate = 2026-01-01\n+++\n\nBody.\n");
        let options = RenderOptions::default();
        let (doc, _) = parse_document(std::path::Path::new(path), &text, &options).unwrap();
        store.upsert(&doc, title).unwrap();
    }

    /// The digest the writes keep is the one a walk of every source record
    /// gives, after adds, edits and removals; and it moves with each.
    #[test]
    fn the_kept_digest_is_the_sum_of_every_source_record() {
        let store = super::super::Store::temporary().unwrap();
        let walked = |store: &super::super::Store| {
            let records = store.trees().unwrap().sources.iter().map(Result::unwrap);
            let records: Vec<_> = records.collect();
            let pairs = records.iter().map(|(k, v)| (k.as_ref(), v.as_ref()));
            sum_of(pairs).text(super::super::FORMAT_VERSION)
        };
        let empty = store.digest().unwrap();
        assert_eq!(empty, walked(&store));
        put(&store, "a.md", "A");
        put(&store, "b.md", "B");
        let two = store.digest().unwrap();
        assert_ne!(two, empty);
        put(&store, "a.md", "A again");
        assert_ne!(store.digest().unwrap(), two);
        store.remove_source(std::path::Path::new("b.md")).unwrap();
        assert_eq!(store.digest().unwrap(), walked(&store));
        store.remove_source(std::path::Path::new("a.md")).unwrap();
        assert_eq!(store.digest().unwrap(), empty);
    }
}
