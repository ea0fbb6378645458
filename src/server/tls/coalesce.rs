//! Fewer, larger writes for HTTP/2: responses of concurrent streams leave
//! in one TLS record run and one system call instead of one each.
//!
//! The h2 crate writes a DATA frame's payload by itself (a vectored write
//! of the frame head and the body) and flushes after every such frame, so
//! a connection with five responses ready made five `writev`s, five TLS
//! record runs and five trips through the kernel's TCP stack: the cost
//! that kept HTTP/2 at 0.6× nginx (docs/BENCHMARKS.md). Each response
//! comes from its own stream task, which wakes the connection as soon as
//! it is done, before the other streams have run.
//!
//! [`Coalesce`] buffers what h2 writes and holds the first flush after new
//! writes for one turn of the scheduler: it wakes the connection's task
//! and reports the flush done, so the stream tasks already waiting run
//! first and their responses join the same buffer. The next flush writes
//! everything out. A held flush is always followed by a real one (the
//! task was woken, and h2 flushes on every poll), so nothing waits longer
//! than one turn; a full buffer and shutdown write through at once.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Past this many buffered bytes a write goes through before more are
/// taken (four full TLS records).
const LIMIT: usize = 64 * 1024;

/// Past this capacity the buffer is freed once written, so an idle
/// connection does not keep a burst's 64 KiB.
const KEEP: usize = 16 * 1024;

/// An I/O stream whose writes are gathered until a flush that was held
/// once (see the module's documentation).
pub struct Coalesce<T> {
    inner: T,
    buf: Vec<u8>,
    /// How much of `buf` is already written to `inner`.
    sent: usize,
    /// Whether a flush was held since the buffer last emptied.
    held: bool,
}

impl<T> Coalesce<T> {
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            buf: Vec::new(),
            sent: 0,
            held: false,
        }
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
        self.held = false;
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
        if !this.held {
            this.held = true;
            cx.waker().wake_by_ref();
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
    use tokio::io::AsyncWriteExt;

    #[tokio::test]
    async fn the_first_flush_is_held_and_the_second_writes_everything() {
        let (client, mut server) = tokio::io::duplex(1 << 20);
        let mut io = Coalesce::new(client);
        io.write_all(b"one ").await.unwrap();
        io.flush().await.unwrap();
        io.write_all(b"two").await.unwrap();
        assert_eq!(pending_bytes(&mut server).await, 0, "held, not written");
        io.flush().await.unwrap();
        assert_eq!(read_now(&mut server).await, b"one two");
    }

    #[tokio::test]
    async fn a_full_buffer_and_shutdown_write_through() {
        let (client, mut server) = tokio::io::duplex(1 << 20);
        let mut io = Coalesce::new(client);
        io.write_all(&vec![b'x'; LIMIT]).await.unwrap();
        io.write_all(b"y").await.unwrap();
        assert_eq!(read_now(&mut server).await.len(), LIMIT);
        assert!(io.buf.capacity() <= KEEP, "a burst's buffer is not kept");
        io.shutdown().await.unwrap();
        assert_eq!(read_now(&mut server).await, b"y");
    }

    /// A held flush wakes its task, so a caller that only polls when woken
    /// still sees the bytes leave.
    #[tokio::test]
    async fn a_held_flush_wakes_the_task() {
        let (client, _server) = tokio::io::duplex(1 << 20);
        let mut io = Coalesce::new(client);
        io.write_all(b"z").await.unwrap();
        let woken = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = Flag(woken.clone());
        let waker = std::task::Waker::from(std::sync::Arc::new(flag));
        let mut cx = Context::from_waker(&waker);
        assert!(Pin::new(&mut io).poll_flush(&mut cx).is_ready());
        assert!(woken.load(std::sync::atomic::Ordering::SeqCst));
    }

    struct Flag(std::sync::Arc<std::sync::atomic::AtomicBool>);
    impl std::task::Wake for Flag {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }

    async fn pending_bytes(server: &mut tokio::io::DuplexStream) -> usize {
        read_now(server).await.len()
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
