//! How many connections each client address holds open, so that one
//! address cannot take every slot of the global cap.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};

/// Open connections by address; an address leaves the map with its last
/// connection, so the map is never larger than the open connections.
#[derive(Clone)]
pub struct OpenPerAddress {
    cap: usize,
    counts: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// What a new connection may do.
pub enum Entry {
    /// Serve it.
    Admitted(Guard),
    /// Answer its first request with 429, then close it.
    Refused(Guard),
    /// Close it at once: the address already holds twice the cap.
    Dropped,
}

/// A connection's place in its address's count, given back when dropped.
pub struct Guard {
    key: Option<IpAddr>,
    counts: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl OpenPerAddress {
    /// `cap` connections per address; 0: no cap.
    pub fn new(cap: usize) -> Self {
        Self {
            cap,
            counts: Arc::default(),
        }
    }

    /// Counts a connection from `key` (`None`: not counted, as a trusted
    /// proxy's).
    pub fn enter(&self, key: Option<IpAddr>) -> Entry {
        let Some(key) = key.filter(|_| self.cap > 0) else {
            return Entry::Admitted(self.guard(None));
        };
        let held = {
            let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
            let held = counts.entry(key).or_default();
            if *held >= 2 * self.cap {
                return Entry::Dropped;
            }
            *held += 1;
            *held
        };
        let guard = self.guard(Some(key));
        if held > self.cap {
            Entry::Refused(guard)
        } else {
            Entry::Admitted(guard)
        }
    }

    fn guard(&self, key: Option<IpAddr>) -> Guard {
        Guard {
            key,
            counts: self.counts.clone(),
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let Some(key) = self.key else { return };
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(held) = counts.get_mut(&key) {
            *held -= 1;
            if *held == 0 {
                counts.remove(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_over_its_cap_is_refused_then_dropped_and_others_admitted() {
        let open = OpenPerAddress::new(2);
        let (a, b) = (
            Some("192.0.2.1".parse().unwrap()),
            Some("192.0.2.2".parse().unwrap()),
        );
        let first = [open.enter(a), open.enter(a)];
        assert!(first.iter().all(|e| matches!(e, Entry::Admitted(_))));
        let refused = [open.enter(a), open.enter(a)];
        assert!(refused.iter().all(|e| matches!(e, Entry::Refused(_))));
        assert!(matches!(open.enter(a), Entry::Dropped));
        assert!(matches!(open.enter(b), Entry::Admitted(_)));
        assert!(matches!(open.enter(None), Entry::Admitted(_)), "uncounted");
        drop(first);
        drop(refused);
        assert!(open.counts.lock().unwrap().keys().all(|k| Some(*k) != a));
        assert!(matches!(open.enter(a), Entry::Admitted(_)));
    }

    #[test]
    fn no_cap_admits_everything() {
        let open = OpenPerAddress::new(0);
        let a = Some("192.0.2.1".parse().unwrap());
        let all: Vec<Entry> = (0..100).map(|_| open.enter(a)).collect();
        assert!(all.iter().all(|e| matches!(e, Entry::Admitted(_))));
        assert!(open.counts.lock().unwrap().is_empty());
    }
}
