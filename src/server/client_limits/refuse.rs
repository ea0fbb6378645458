//! The answers over a limit: `429 Too Many Requests` with `Retry-After`,
//! for a request over its address's rate and for a connection over its
//! address's cap (read, answered, closed, all within a few seconds).

use std::convert::Infallible;
use std::time::Duration;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpStream;

use super::open::Guard;

/// Longest a refused connection is kept: it has this long to send its
/// request head and read the answer.
const REFUSAL_TIMEOUT: Duration = Duration::from_secs(5);

/// 429 for a request over its address's rate; `wait` is how long until
/// the next one would be allowed (rounded up to whole seconds, at least 1).
pub fn too_many_requests(wait: Duration, hsts: bool) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let message = "too many requests from your address; slow down and try again";
    answer(secs.max(1), message, hsts)
}

/// Answers the connection's one request with 429 and closes it; `guard`
/// keeps it counted against its address until then.
pub fn over_connection_cap(stream: TcpStream, guard: Guard, hsts: bool) {
    let mut http1 = hyper::server::conn::http1::Builder::new();
    http1
        .timer(TokioTimer::new())
        .header_read_timeout(REFUSAL_TIMEOUT)
        .keep_alive(false)
        .max_buf_size(16 * 1024);
    let service = hyper::service::service_fn(move |_request| async move {
        let message = "too many connections from your address; close some and try again";
        Ok::<_, Infallible>(answer(1, message, hsts))
    });
    let _ = stream.set_nodelay(true);
    let connection = http1.serve_connection(TokioIo::new(stream), service);
    tokio::spawn(async move {
        let _ = tokio::time::timeout(REFUSAL_TIMEOUT, connection).await;
        drop(guard);
    });
}

fn answer(retry_after_secs: u64, message: &'static str, hsts: bool) -> Response {
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, retry_after_secs.to_string())],
        message,
    )
        .into_response();
    crate::server::security::secure(&mut response, hsts);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_whole_seconds_rounded_up() {
        let secs = |wait| {
            let response = too_many_requests(wait, false);
            assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
            assert!(response.headers().contains_key("x-content-type-options"));
            response.headers()[header::RETRY_AFTER]
                .to_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(secs(Duration::from_millis(20)), "1");
        assert_eq!(secs(Duration::from_millis(1500)), "2");
        assert_eq!(secs(Duration::from_secs(3)), "3");
    }
}
