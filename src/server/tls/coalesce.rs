//! Fewer, larger writes for HTTP/2: responses of concurrent streams leave
//! in one TLS record run and one system call instead of one each.
//!
//! The h2 crate writes a DATA frame's payload by itself (a vectored write
//! of the frame head and the body) and flushes after every such frame, and
//! at the end of every poll of the connection (hyper polls it once more
//! per request it accepts), so a connection with five responses ready
//! made up to five `writev`s, five TLS record runs and five trips through
//! the kernel's TCP stack: the cost that kept HTTP/2 at 0.6× nginx
//! (docs/BENCHMARKS.md). Each response comes from its own stream task,
//! which wakes the connection as soon as it is done, before the other
//! streams have run.
//!
//! [`Coalesce`] buffers what h2 writes and reports every flush done
//! without writing; the first one after new writes wakes the connection's
//! task, so the stream tasks already waiting run before it is polled
//! again. [`Turns`], which drives the connection, counts its polls: at the
//! end of a poll that finds bytes held since an earlier one (the other
//! tasks have had their turn, and this poll gathered what they answered),
//! it polls the connection once more with flushes going through, so
//! everything leaves in one write. Nothing waits longer than one turn of
//! the scheduler; a full buffer and shutdown write through at once.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Past this many buffered bytes a write goes through before more are
/// taken (four full TLS records).
const LIMIT: usize = 64 * 1024;

/// Past this capacity the buffer is freed once written, so an idle
/// connection does not keep a burst's 64 KiB.
const KEEP: usize = 16 * 1024;

/// What [`Turns`] and its [`Coalesce`] share: the connection's poll count,
/// the poll in which the bytes now buffered were first held (0: none), and
/// whether flushes go through.
#[derive(Default)]
struct Shared {
    poll: AtomicU64,
    held_since: AtomicU64,
    draining: AtomicBool,
}

/// An I/O stream whose writes are gathered until [`Turns`] lets a flush
/// through (see the module's documentation).
pub struct Coalesce<T> {
    inner: T,
    buf: Vec<u8>,
    /// How much of `buf` is already written to `inner`.
    sent: usize,
    shared: Arc<Shared>,
}

/// Drives the connection that writes through a [`Coalesce`]: counts its
/// polls and lets the held bytes out once per turn.
pub struct Turns {
    shared: Arc<Shared>,
}

/// `io` wrapped, and what must drive the connection that uses it.
pub fn coalesce<T>(io: T) -> (Coalesce<T>, Turns) {
    let shared = Arc::new(Shared {
        poll: AtomicU64::new(1),
        ..Shared::default()
    });
    let turns = Turns {
        shared: shared.clone(),
    };
    let io = Coalesce {
        inner: io,
        buf: Vec::new(),
        sent: 0,
        shared,
    };
    (io, turns)
}

impl Turns {
    /// Polls `connection` until it completes; after a poll that left bytes
    /// held since an earlier poll, polls it again with flushes going through.
    pub async fn drive<F: Future>(self, connection: F) -> F::Output {
        let mut connection = std::pin::pin!(connection);
        std::future::poll_fn(|cx| {
            let shared = &self.shared;
            let this_poll = shared.poll.fetch_add(1, Relaxed) + 1;
            if let Poll::Ready(done) = connection.as_mut().poll(cx) {
                return Poll::Ready(done);
            }
            let held_since = shared.held_since.load(Relaxed);
            if held_since == 0 || held_since >= this_poll {
                return Poll::Pending;
            }
            shared.draining.store(true, Relaxed);
            let again = connection.as_mut().poll(cx);
            shared.draining.store(false, Relaxed);
            again
        })
        .await
    }
}

impl<T: AsyncWrite + Unpin> Coalesce<T> {
    /// Writes the whole buffer to `inner`.
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.buf.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.buf[self.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        if self.buf.capacity() > KEEP {
            self.buf = Vec::new();
        } else {
            self.buf.clear();
        }
        self.sent = 0;
        self.shared.held_since.store(0, Relaxed);
        Poll::Ready(Ok(()))
    }

    /// Room for more: a full buffer is written out first.
    fn poll_room(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.buf.len() >= LIMIT {
            ready!(self.poll_drain(cx))?;
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Coalesce<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Coalesce<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_room(cx))?;
        this.buf.extend_from_slice(data);
        Poll::Ready(Ok(data.len()))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_room(cx))?;
        let mut n = 0;
        for slice in bufs {
            this.buf.extend_from_slice(slice);
            n += slice.len();
        }
        Poll::Ready(Ok(n))
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.buf.is_empty() {
            return Pin::new(&mut this.inner).poll_flush(cx);
        }
        let shared = &this.shared;
        if !shared.draining.load(Relaxed) {
            if shared.held_since.load(Relaxed) == 0 {
                shared.held_since.store(shared.poll.load(Relaxed), Relaxed);
                cx.waker().wake_by_ref();
            }
            return Poll::Ready(Ok(()));
        }
        ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use tokio::io::AsyncWriteExt;

    /// A connection that, on its `n`th poll, writes `writes[n]` (each
    /// followed by a flush, as h2 flushes after every DATA frame), then
    /// flushes once more (as h2 does at the end of every poll); it never
    /// completes.
    fn connection<T: AsyncWrite + Unpin>(
        mut io: T,
        writes: Vec<Vec<&'static [u8]>>,
    ) -> impl Future<Output = ()> {
        let mut n = 0;
        std::future::poll_fn(move |cx| {
            for data in writes.get(n).into_iter().flatten() {
                assert!(Pin::new(&mut io).poll_write(cx, data).is_ready());
                let _ = Pin::new(&mut io).poll_flush(cx);
            }
            n += 1;
            let _ = Pin::new(&mut io).poll_flush(cx);
            Poll::Pending
        })
    }

    /// Polls `future` once with a waker that counts its wakes.
    fn poll_once(future: Pin<&mut impl Future>, wakes: &Arc<Wakes>) {
        let waker = std::task::Waker::from(wakes.clone());
        assert!(future.poll(&mut Context::from_waker(&waker)).is_pending());
    }

    #[derive(Default)]
    struct Wakes(AtomicUsize);
    impl std::task::Wake for Wakes {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Relaxed);
        }
    }

    /// The writes of the poll after a held flush, however many flushes
    /// come between them, leave with the held bytes in one write (the old
    /// `Coalesce` wrote at the first flush of that poll, then held the rest).
    #[tokio::test]
    async fn what_one_turn_answers_leaves_in_one_write() {
        let (client, mut server) = tokio::io::duplex(1 << 20);
        let counted = Counted::new(client);
        let writes = counted.writes.clone();
        let (io, turns) = coalesce(counted);
        let wakes = Arc::new(Wakes::default());
        let polls = vec![vec![&b"one "[..]], vec![&b"two "[..], &b"three"[..]]];
        let mut driven = std::pin::pin!(turns.drive(connection(io, polls)));
        poll_once(driven.as_mut(), &wakes);
        assert_eq!(read_now(&mut server).await, b"", "held, not written");
        assert_eq!(wakes.0.load(Relaxed), 1, "a held flush wakes its task");
        poll_once(driven.as_mut(), &wakes);
        assert_eq!(read_now(&mut server).await, b"one two three");
        assert_eq!(writes.load(Relaxed), 1, "one write for the whole turn");
        poll_once(driven.as_mut(), &wakes);
        assert_eq!(writes.load(Relaxed), 1, "nothing held, nothing written");
    }

    #[tokio::test]
    async fn a_full_buffer_and_shutdown_write_through() {
        let (client, mut server) = tokio::io::duplex(1 << 20);
        let (mut io, _turns) = coalesce(client);
        io.write_all(&vec![b'x'; LIMIT]).await.unwrap();
        io.write_all(b"y").await.unwrap();
        assert_eq!(read_now(&mut server).await.len(), LIMIT);
        assert!(io.buf.capacity() <= KEEP, "a burst's buffer is not kept");
        io.shutdown().await.unwrap();
        assert_eq!(read_now(&mut server).await, b"y");
    }

    /// An I/O stream that counts the writes reaching it.
    struct Counted<T> {
        inner: T,
        writes: Arc<AtomicUsize>,
    }

    impl<T> Counted<T> {
        fn new(inner: T) -> Self {
            Self {
                inner,
                writes: Arc::default(),
            }
        }
    }

    impl<T: AsyncWrite + Unpin> AsyncWrite for Counted<T> {
        fn poll_write(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            data: &[u8],
        ) -> Poll<io::Result<usize>> {
            self.writes.fetch_add(1, Relaxed);
            Pin::new(&mut self.inner).poll_write(cx, data)
        }

        fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
            Pin::new(&mut self.inner).poll_flush(cx)
        }

        fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
            Pin::new(&mut self.inner).poll_shutdown(cx)
        }
    }

    /// What `server` can read without waiting.
    async fn read_now(server: &mut tokio::io::DuplexStream) -> Vec<u8> {
        use tokio::io::AsyncReadExt;
        let mut out = Vec::new();
        let mut chunk = [0u8; 8192];
        while let Ok(Ok(n)) = tokio::time::timeout(
            std::time::Duration::from_millis(20),
            server.read(&mut chunk),
        )
        .await
        {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&chunk[..n]);
        }
        out
    }
}
