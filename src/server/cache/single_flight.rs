//! One render per page at a time: when many requests miss the same page
//! together (the index right after an edit, a link shared under load), the
//! first renders it and the rest wait for its result instead of rendering
//! the same bytes again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::{Mutex as TurnLock, OwnedMutexGuard};

/// Above this many tracked keys, finished ones are swept on the next turn,
/// so a flood of distinct misses cannot grow the map.
const SWEEP_ABOVE: usize = 1024;

/// Per-key turns to render.
#[derive(Default)]
pub struct RenderTurns {
    turns: Mutex<HashMap<String, Weak<TurnLock<()>>>>,
}

/// Held while rendering a key; dropping it lets the next waiter look again.
pub type Turn = OwnedMutexGuard<()>;

impl RenderTurns {
    /// Waits until no other request is rendering `key`, then holds the turn.
    pub async fn take(&self, key: &str) -> Turn {
        self.lock_for(key).lock_owned().await
    }

    fn lock_for(&self, key: &str) -> Arc<TurnLock<()>> {
        let mut turns = self
            .turns
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(lock) = turns.get(key).and_then(Weak::upgrade) {
            return lock;
        }
        if turns.len() > SWEEP_ABOVE {
            turns.retain(|_, lock| lock.strong_count() > 0);
        }
        let lock = Arc::new(TurnLock::new(()));
        turns.insert(key.to_string(), Arc::downgrade(&lock));
        lock
    }

    /// Keys tracked now, finished ones not yet swept included.
    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.turns.lock().unwrap().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_second_request_for_the_same_key_waits_for_the_first() {
        let turns = Arc::new(RenderTurns::default());
        let first = turns.take("/").await;
        let waiting = tokio::spawn({
            let turns = turns.clone();
            async move { turns.take("/").await }
        });
        // Another key is not held up by the first.
        drop(turns.take("/other").await);
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished(), "took a turn that was held");
        drop(first);
        drop(waiting.await.unwrap());
    }

    #[tokio::test]
    async fn finished_turns_are_swept() {
        let turns = RenderTurns::default();
        for i in 0..5 * SWEEP_ABOVE {
            drop(turns.take(&format!("/search?q={i}")).await);
        }
        assert!(turns.tracked() <= SWEEP_ABOVE + 1, "{}", turns.tracked());
    }
}
