//! The open connections, and which one gives way when the cap is reached.
//!
//! Each accepted connection takes a slot. When every slot is taken, the
//! connection that has waited longest for a request head is shed to make
//! room for the new one, instead of the accept loop stopping: otherwise a
//! few hundred clients dribbling their headers a byte at a time (slowloris)
//! would hold every slot until the header timeout, and readers would queue
//! behind them. A connection with a request in flight is never shed; when
//! every one is busy, the new connection waits for a slot.
//!
//! An HTTP/2 connection carries several requests at once: it is busy while
//! any of them is in flight (a count, `Conn::in_flight`), and waiting again
//! when the last one ends.

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
    /// Requests in flight (several at once on HTTP/2). Held while moving
    /// between waiting and [`BUSY`], so those moves never interleave.
    in_flight: Mutex<usize>,
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
            in_flight: Mutex::new(0),
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

    fn in_flight(&self) -> std::sync::MutexGuard<'_, usize> {
        self.in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
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

    /// Resolves once the connection has waited longer than `limit` for a
    /// request: the idle timeout of HTTP/2, which has no header timeout of
    /// its own (HTTP/1.1 has hyper's).
    pub async fn idle(&self, limit: std::time::Duration) {
        let limit_ns = u64::try_from(limit.as_nanos()).unwrap_or(u64::MAX);
        loop {
            let since = self.conn.waiting_since();
            let waited = self.connections.now().saturating_sub(since);
            if since < SHED && waited >= limit_ns {
                return;
            }
            let left = if since < SHED {
                limit_ns - waited
            } else {
                limit_ns
            };
            tokio::time::sleep(std::time::Duration::from_nanos(left)).await;
        }
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
    /// `None` when the connection has been chosen to give way: the request
    /// must not start. A connection already busy (HTTP/2) takes another.
    pub fn begin(&self) -> Option<Busy> {
        let mut in_flight = self.conn.in_flight();
        if *in_flight == 0 {
            let since = self.conn.waiting_since();
            let started = since < SHED
                && self
                    .conn
                    .waiting_since
                    .compare_exchange(since, BUSY, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok();
            if !started {
                return None;
            }
        }
        *in_flight += 1;
        Some(Busy(self.clone()))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let mut in_flight = self.0.conn.in_flight();
        *in_flight = in_flight.saturating_sub(1);
        if *in_flight > 0 {
            return;
        }
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

    #[tokio::test]
    async fn a_connection_waiting_past_the_limit_is_idle_but_not_while_busy() {
        let limit = std::time::Duration::from_millis(200);
        let connections = Connections::new(1);
        let slot = connections.slot().await;
        let busy = slot.activity().begin().unwrap();
        let idle = tokio::time::timeout(limit * 3, slot.idle(limit)).await;
        assert!(idle.is_err(), "busy is not idle");
        drop(busy);
        tokio::time::timeout(limit * 2, slot.idle(limit))
            .await
            .expect("idle after the limit");
    }

    #[tokio::test]
    async fn an_http2_connection_takes_concurrent_requests_and_waits_after_the_last() {
        let connections = Connections::new(1);
        let slot = connections.slot().await;
        let first = slot.activity().begin().expect("first stream");
        let second = slot.activity().begin().expect("a second stream at once");
        drop(first);
        assert_eq!(
            slot.conn.waiting_since(),
            BUSY,
            "one stream still in flight"
        );
        drop(second);
        assert!(slot.conn.waiting_since() < SHED, "waiting again");
    }
}
