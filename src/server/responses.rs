//! One error policy for requests, and the plain answers handlers share.
//!
//! A handler that cannot answer returns an [`AppError`]; its
//! `IntoResponse` logs the detail (with the path) and tells the reader
//! only what they can act on: `503` with `Retry-After` while the store is
//! unavailable, `500` otherwise. Both carry `Cache-Control: no-store`, and
//! the page cache stores only `200` and `404`, so an error is never a
//! `200` and never cached (`server::cache::middleware::is_storable`).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::search::SearchError;
use crate::store::StoreError;

/// Why a request could not be answered.
#[derive(Debug)]
pub struct AppError {
    /// What was asked for, for the log.
    pub path: String,
    pub kind: ErrorKind,
}

#[derive(Debug)]
pub enum ErrorKind {
    /// The store cannot be read now (I/O); trying again later may work.
    Unavailable(String),
    /// Anything else: a bug or damaged data.
    Internal(String),
}

impl AppError {
    pub fn store(path: &str, err: &StoreError) -> Self {
        let kind = match err {
            StoreError::Sled(_) | StoreError::Closed(_) | StoreError::NoSpace { .. } => {
                ErrorKind::Unavailable(err.to_string())
            }
            _ => ErrorKind::Internal(err.to_string()),
        };
        Self {
            path: path.to_string(),
            kind,
        }
    }

    pub fn search(path: &str, err: &SearchError) -> Self {
        Self {
            path: path.to_string(),
            kind: ErrorKind::Internal(err.to_string()),
        }
    }

    pub fn internal(path: &str, detail: impl std::fmt::Display) -> Self {
        Self {
            path: path.to_string(),
            kind: ErrorKind::Internal(detail.to_string()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, message, retry) = match &self.kind {
            ErrorKind::Unavailable(detail) => {
                tracing::error!(path = %self.path, error = %detail, "the store is unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "temporarily unavailable; try again",
                    Some("5"),
                )
            }
            ErrorKind::Internal(detail) => {
                tracing::error!(path = %self.path, error = %detail, "cannot build the response");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error", None)
            }
        };
        let mut response = (
            status,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            message,
        )
            .into_response();
        if let Some(seconds) = retry {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from_static(seconds),
            );
        }
        response
    }
}

/// The plain 404 of routes that are not pages (feeds, files beside posts).
pub fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "not found",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_never_ok_and_never_cacheable() {
        let io = StoreError::Closed("/data/store".into());
        for (error, status) in [
            (
                AppError::store("/atom.xml", &io),
                StatusCode::SERVICE_UNAVAILABLE,
            ),
            (
                AppError::internal("/x", "bug"),
                StatusCode::INTERNAL_SERVER_ERROR,
            ),
        ] {
            let response = error.into_response();
            assert_eq!(response.status(), status);
            assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
        }
    }
}
