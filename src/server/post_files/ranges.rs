//! Which bytes a request gets (RFC 9110 §14): the whole file, one range,
//! or a 416. One satisfiable range is honoured; several ranges, a malformed
//! `Range` or an `If-Range` that no longer matches get the whole file.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use headers::{ContentRange, HeaderMapExt, IfRange, LastModified};

use super::Found;
use crate::server::cache::Encoding;

/// What the request gets of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Wanted {
    Whole,
    /// First and last byte, inclusive.
    Part(u64, u64),
    Unsatisfiable,
}

/// The range asked for, when it is to be honoured: one range, well
/// formed, and an `If-Range` (if any) that names the identity bytes now.
pub(super) fn wanted(request: &HeaderMap, found: &Found) -> Wanted {
    let Some(range) = request.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Wanted::Whole;
    };
    if request.contains_key(header::IF_RANGE) && !if_range_holds(request, found) {
        return Wanted::Whole;
    }
    match http_range_header::parse_range_header(range).map(|parsed| parsed.ranges) {
        Ok(ranges) if ranges.len() == 1 => resolve(ranges[0], found.len),
        _ => Wanted::Whole,
    }
}

fn if_range_holds(request: &HeaderMap, found: &Found) -> bool {
    let etag = found.etag(Encoding::Identity);
    let modified = LastModified::from(found.modified);
    request
        .typed_get::<IfRange>()
        .is_some_and(|if_range| !if_range.is_modified(Some(&etag), Some(&modified)))
}

/// One range against a file of `len` bytes (RFC 9110 §14.1.2): a suffix
/// longer than the file is the whole file, an end past it is cut to it, a
/// start at or past it cannot be satisfied; `5-2` is malformed (ignored).
pub(super) fn resolve(range: http_range_header::SyntacticallyCorrectRange, len: u64) -> Wanted {
    use http_range_header::{EndPosition, StartPosition};
    let last = len.saturating_sub(1);
    let (first, end) = match (range.start, range.end) {
        (StartPosition::FromLast(n), _) => (len.saturating_sub(n), last),
        (StartPosition::Index(first), EndPosition::LastByte) => (first, last),
        (StartPosition::Index(first), EndPosition::Index(end)) if end < first => {
            return Wanted::Whole;
        }
        (StartPosition::Index(first), EndPosition::Index(end)) => (first, end.min(last)),
    };
    if len == 0 || first >= len {
        Wanted::Unsatisfiable
    } else {
        Wanted::Part(first, end)
    }
}

pub(super) fn unsatisfiable(len: u64) -> Response {
    let mut response = (StatusCode::RANGE_NOT_SATISFIABLE, "range not satisfiable").into_response();
    response
        .headers_mut()
        .typed_insert(ContentRange::unsatisfied_bytes(len));
    response
}
