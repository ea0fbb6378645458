//! The open connections, and which one gives way when the cap is reached.
//!
//! Each accepted connection takes a slot. When every slot is taken, the
//! connection that has waited longest for a request head is shed to make
//! room for the new one, instead of the accept loop stopping: otherwise a
//! few hundred clients dribbling their headers a byte at a time (slowloris)
//! would hold every slot until the header timeout, and readers would queue
//! behind them. A connection with a request in flight is never shed; when
//! every one is busy, the new connection waits for a slot.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

/// `Conn::waiting_since` while a request is being answered.
const BUSY: u64 = u64::MAX;
/// `Conn::waiting_since` once the connection has been chosen to give way.
const SHED: u64 = u64::MAX - 1;

/// Every open connection, and the slots they hold.
#[derive(Clone)]
pub struct Connections {
    slots: Arc<Semaphore>,
    open: Arc<Mutex<HashMap<u64, Arc<Conn>>>>,
    next_id: Arc<AtomicU64>,
    epoch: Instant,
}

/// One connection's state, shared by the accept loop, its task and its
/// request handler.
struct Conn {
    /// Nanoseconds since `epoch` at which it started waiting for a request
    /// head (accepted, or its last response sent), or [`BUSY`] / [`SHED`].
    waiting_since: AtomicU64,
    /// Told when the connection must close.
    shed: Notify,
}

/// A connection's hold on a slot: frees it, and forgets the connection,
/// when dropped (however its task ends).
pub struct Slot {
    id: u64,
    conn: Arc<Conn>,
    connections: Connections,
    _permit: OwnedSemaphorePermit,
}

impl Connections {
    pub fn new(max: usize) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(max)),
            open: Arc::default(),
            next_id: Arc::default(),
            epoch: Instant::now(),
        }
    }

    /// A slot for a connection just accepted. When none is free, the
    /// connection waiting longest for a request head is told to close;
    /// then this waits for its slot (or any other) to come free.
    pub async fn slot(&self) -> Slot {
        let permit = match self.slots.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                self.shed_longest_waiting();
                self.slots
                    .clone()
                    .acquire_owned()
                    .await
                    .expect("the semaphore is never closed")
            }
        };
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(Conn {
            waiting_since: AtomicU64::new(self.now()),
            shed: Notify::new(),
        });
        self.lock().insert(id, conn.clone());
        Slot {
            id,
            conn,
            connections: self.clone(),
            _permit: permit,
        }
    }

    fn shed_longest_waiting(&self) {
        let open = self.lock();
        let waiting = open.values().map(|conn| (conn, conn.waiting_since()));
        let Some(victim) = longest_waiting(waiting) else {
            return;
        };
        let since = victim.waiting_since();
        // Lost the race if it has just started a request: then the new
        // connection waits for a slot like when every one is busy.
        if victim
            .waiting_since
            .compare_exchange(since, SHED, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            tracing::debug!("connection cap reached; closing the connection idle longest");
            victim.shed.notify_one();
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(SHED - 1)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Conn>>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Conn {
    fn waiting_since(&self) -> u64 {
        self.waiting_since.load(Ordering::Acquire)
    }
}

/// The item waiting longest; busy and already-shed ones are never chosen.
fn longest_waiting<T>(candidates: impl Iterator<Item = (T, u64)>) -> Option<T> {
    candidates
        .filter(|(_, since)| *since < SHED)
        .min_by_key(|(_, since)| *since)
        .map(|(item, _)| item)
}

impl Slot {
    /// Resolves when the connection has been chosen to give way.
    pub async fn shed(&self) {
        self.conn.shed.notified().await
    }

    /// A handle for the connection's request handler.
    pub fn activity(&self) -> Activity {
        Activity {
            conn: self.conn.clone(),
            connections: self.connections.clone(),
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.connections.lock().remove(&self.id);
    }
}

/// Marks a connection busy while a request is answered.
#[derive(Clone)]
pub struct Activity {
    conn: Arc<Conn>,
    connections: Connections,
}

/// Held while a request is answered; the connection is waiting again once
/// it is dropped.
pub struct Busy(Activity);

impl Activity {
    /// `None` when the connection has been chosen to give way (or is
    /// already busy): the request must not start.
    pub fn begin(&self) -> Option<Busy> {
        let since = self.conn.waiting_since();
        (since < SHED
            && self
                .conn
                .waiting_since
                .compare_exchange(since, BUSY, Ordering::AcqRel, Ordering::Acquire)
                .is_ok())
        .then(|| Busy(self.clone()))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let now = self.0.connections.now();
        // Only BUSY → waiting: a shed connection stays shed.
        let _ = self.0.conn.waiting_since.compare_exchange(
            BUSY,
            now,
            Ordering::AcqRel,
            Ordering::Acquire,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_waiting_longest_gives_way() {
        let picked = longest_waiting([("b", 20), ("a", 10), ("c", 30)].into_iter());
        assert_eq!(picked, Some("a"));
    }

    #[test]
    fn busy_and_shed_connections_are_never_chosen() {
        assert_eq!(
            longest_waiting([("busy", BUSY), ("shed", SHED)].into_iter()),
            None
        );
        assert_eq!(
            longest_waiting([("busy", BUSY), ("idle", 99)].into_iter()),
            Some("idle")
        );
    }

    #[tokio::test]
    async fn a_full_house_sheds_the_idle_connection_not_the_busy_one() {
        let connections = Connections::new(2);
        let idle = connections.slot().await;
        let busy = connections.slot().await;
        let _request = busy.activity().begin().expect("not shed");
        let newcomer = tokio::spawn({
            let connections = connections.clone();
            async move { connections.slot().await }
        });
        idle.shed().await;
        assert!(
            idle.activity().begin().is_none(),
            "a shed connection takes no request"
        );
        drop(idle);
        let _newcomer = newcomer.await.unwrap();
        assert_eq!(
            busy.conn.waiting_since(),
            BUSY,
            "still answering its request"
        );
    }
}
