//! Lookups by key (a post's slug, its address) that store no key.
//!
//! A `HashMap<String, usize>` keeps a copy of every slug and every address
//! beside the listings that already hold them: about 150 bytes a post for
//! the two maps, a tenth of the catalog's memory. Here a table holds only
//! positions (four bytes and a control byte a post); a lookup hashes the
//! key asked for and compares it with the key of each candidate position.

use std::hash::{BuildHasher, RandomState};

use hashbrown::HashTable;

/// Positions found by a key that the caller derives from each position.
#[derive(Default)]
pub struct KeyIndex {
    table: HashTable<u32>,
    hasher: RandomState,
}

impl KeyIndex {
    /// The index of `keys` (position, key); a key seen again keeps its
    /// first position.
    pub fn of<K: AsRef<str>>(
        keys: impl IntoIterator<Item = (usize, K)>,
        key_of: impl Fn(usize) -> K,
    ) -> Self {
        let mut index = Self::default();
        for (position, key) in keys {
            let key = key.as_ref();
            let hash = index.hasher.hash_one(key);
            let same = |&p: &u32| key_of(p as usize).as_ref() == key;
            if index.table.find(hash, same).is_none() {
                let rehash = |&p: &u32| index.hasher.hash_one(key_of(p as usize).as_ref());
                index.table.insert_unique(hash, position as u32, rehash);
            }
        }
        index
    }

    /// The position whose key is `key`.
    pub fn get<K: AsRef<str>>(&self, key: &str, key_of: impl Fn(usize) -> K) -> Option<usize> {
        let hash = self.hasher.hash_one(key);
        self.table
            .find(hash, |&p| key_of(p as usize).as_ref() == key)
            .map(|&p| p as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_key_and_keeps_the_first_of_two() {
        let keys = ["a", "b", "a", "c"];
        let index = KeyIndex::of(keys.iter().copied().enumerate(), |p| keys[p]);
        assert_eq!(index.get("a", |p| keys[p]), Some(0), "the first keeps it");
        assert_eq!(index.get("c", |p| keys[p]), Some(3));
        assert_eq!(index.get("d", |p| keys[p]), None);
    }
}
