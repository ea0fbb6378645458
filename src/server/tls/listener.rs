//! How an accepted connection is spoken to: HTTP/1.1 in the clear, HTTP/2
//! in the clear by prior knowledge (h2c, `--h2c`), or TLS, where ALPN
//! chooses `h2` or `http/1.1`.
//!
//! The accept loop ([`crate::server::http::serve_with`]) is the same for
//! every listener (connection cap, request timeout, graceful shutdown);
//! this module only adds what differs per connection: the TLS handshake
//! (bounded in time, like a request head) and the protocol's settings.
//! HTTP/2's are those of hyper's protections: at most 100 concurrent
//! streams, a 64 KiB header list (which also bounds a CONTINUATION flood,
//! CVE-2024-27316), and caps on streams reset before being answered (rapid
//! reset, CVE-2023-44487) and on streams the server had to reset.

use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::graceful::Watcher;
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;

use super::certs::ACME_TLS_ALPN;
use super::coalesce::coalesce;
use crate::server::connections::Slot;
use crate::server::http::{Limits, http1, with_send_timeout};

/// The first bytes of every HTTP/2 connection (RFC 9113, 3.4).
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Concurrent streams per HTTP/2 connection (nginx: 128).
pub const MAX_CONCURRENT_STREAMS: u32 = 100;
/// Largest HTTP/2 header list, the same 64 KiB as an HTTP/1.1 head.
pub const MAX_HEADER_LIST: u32 = 64 * 1024;
/// Streams a client may open and reset before they are answered, at
/// once, before the connection is closed (rapid reset).
pub const MAX_PENDING_RESETS: usize = 20;
/// Streams the server may reset because of client errors before it closes
/// the connection.
pub const MAX_ERROR_RESETS: usize = 256;

/// One listener's way of speaking to its connections.
#[derive(Clone)]
pub struct Transport {
    tls: Option<TlsAcceptor>,
    h2c: bool,
    http1: hyper::server::conn::http1::Builder,
    http2: hyper::server::conn::http2::Builder<TokioExecutor>,
    /// [`Limits::header_read`]: also bounds the TLS handshake and an idle
    /// HTTP/2 connection.
    header_read: Duration,
    /// [`Limits::send`].
    send: Duration,
}

/// A request handler hyper can drive on HTTP/1.1 and HTTP/2.
pub trait Handler:
    hyper::service::Service<
        hyper::Request<Incoming>,
        Response = axum::response::Response,
        Error = std::convert::Infallible,
        Future: Send + 'static,
    > + Clone
    + Send
    + Sync
    + 'static
{
}

impl<S> Handler for S where
    S: hyper::service::Service<
            hyper::Request<Incoming>,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
            Future: Send + 'static,
        > + Clone
        + Send
        + Sync
        + 'static
{
}

impl Transport {
    /// Plain HTTP: HTTP/1.1, and HTTP/2 by prior knowledge when `h2c`.
    pub fn plain(limits: &Limits, h2c: bool) -> Self {
        Self {
            tls: None,
            h2c,
            http1: http1(limits),
            http2: http2(limits),
            header_read: limits.header_read,
            send: limits.send,
        }
    }

    /// TLS with `config` (its ALPN list offers `h2` and `http/1.1`).
    /// Whether connections start with a TLS handshake.
    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    pub fn tls(limits: &Limits, config: Arc<rustls::ServerConfig>) -> Self {
        Self {
            tls: Some(TlsAcceptor::from(config)),
            ..Self::plain(limits, false)
        }
    }

    /// Serves `stream` on its own task until it closes, the connection is
    /// shed, or shutdown ends it.
    pub fn spawn(&self, stream: TcpStream, service: impl Handler, slot: Slot, watcher: Watcher) {
        let transport = self.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = transport.serve(stream, service, &slot, watcher) => {},
                () = slot.shed() => {},
            }
            drop(slot);
        });
    }

    async fn serve(&self, stream: TcpStream, service: impl Handler, slot: &Slot, watcher: Watcher) {
        let Some(acceptor) = &self.tls else {
            let h2 = self.h2c && is_h2_preface(&stream, self.header_read).await;
            let io = with_send_timeout(stream, self.send);
            return self.speak(io, h2, service, slot, watcher).await;
        };
        let io = with_send_timeout(stream, self.send);
        let handshake = tokio::time::timeout(self.header_read, acceptor.accept(io));
        let tls = match handshake.await {
            Ok(Ok(tls)) => tls,
            Ok(Err(err)) => return tracing::debug!(error = %err, "TLS handshake failed"),
            Err(_) => return tracing::debug!("TLS handshake timed out"),
        };
        let alpn = tls.get_ref().1.alpn_protocol().map(<[u8]>::to_vec);
        let h2 = match alpn.as_deref() {
            // TLS-ALPN-01: the handshake was the whole answer.
            Some(ACME_TLS_ALPN) => return,
            Some(protocol) => protocol == b"h2",
            None => false,
        };
        self.speak(tls, h2, service, slot, watcher).await;
    }

    /// HTTP/2 has no header timeout in hyper: a connection that waits for
    /// a request longer than [`Limits::header_read`] is closed here (a
    /// response body still being sent counts as busy). Its writes go
    /// through [`super::coalesce::Coalesce`], released once per turn by
    /// [`super::coalesce::Turns`]; HTTP/1.1's are gathered by hyper already.
    async fn speak<I>(&self, io: I, h2: bool, service: impl Handler, slot: &Slot, watcher: Watcher)
    where
        I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        if !h2 {
            let io = TokioIo::new(io);
            return finish(watcher.watch(self.http1.serve_connection(io, service))).await;
        }
        let (io, turns) = coalesce(io);
        let connection = watcher.watch(self.http2.serve_connection(TokioIo::new(io), service));
        tokio::select! {
            () = turns.drive(finish(connection)) => {},
            () = slot.idle(self.header_read) => {
                tracing::debug!("closing an HTTP/2 connection idle past the header timeout");
            },
        }
    }
}

async fn finish<E: std::fmt::Display>(connection: impl Future<Output = Result<(), E>>) {
    if let Err(err) = connection.await {
        tracing::debug!(error = %err, "connection ended with an error");
    }
}

/// Whether the client opens with the HTTP/2 preface (h2c with prior
/// knowledge), read without consuming it.
async fn is_h2_preface(stream: &TcpStream, within: Duration) -> bool {
    let peek = async {
        let mut buf = [0u8; H2_PREFACE.len()];
        loop {
            let n = stream.peek(&mut buf).await.unwrap_or(0);
            if n == 0 || buf[..n] != H2_PREFACE[..n] {
                return false;
            }
            if n == H2_PREFACE.len() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    tokio::time::timeout(within, peek).await.unwrap_or(false)
}

/// hyper's HTTP/2 settings (see the module's documentation).
fn http2(limits: &Limits) -> hyper::server::conn::http2::Builder<TokioExecutor> {
    let mut builder = hyper::server::conn::http2::Builder::new(TokioExecutor::new());
    builder
        .timer(TokioTimer::new())
        .max_concurrent_streams(MAX_CONCURRENT_STREAMS)
        .max_header_list_size(MAX_HEADER_LIST)
        .max_pending_accept_reset_streams(MAX_PENDING_RESETS)
        .max_local_error_reset_streams(MAX_ERROR_RESETS)
        .keep_alive_interval(limits.header_read * 2)
        .keep_alive_timeout(limits.header_read);
    builder
}
