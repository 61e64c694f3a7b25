//! Control-URL requests: `/request/{token}/{secret}` (or a sub-path of it) → one
//! `AppEvents.HttpRequest` in that session, and the handler's answer back (docs/sessions.md#the-control-url). The
//! supervisor's listener forwards each request over the session's worker's socket and
//! answers from the typed outcome.

use std::sync::Arc;

use crate::api::plain;
use crate::runtime::{is_event_header, HttpEvent, HttpReply};
use crate::session::registry::Registry;
use crate::worker::protocol::ControlOutcome;
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request, Response, StatusCode};
use subtle::ConstantTimeEq;

/// A control request, parsed: whose it is and the event it becomes.
struct ControlRequest<'a> {
    token: &'a str,
    secret: &'a str,
    event: HttpEvent,
}

/// Why a request is no control request.
enum Refusal {
    /// Not `/request/{token}/{secret}[/...]`: 404.
    NoSuchPath,
    /// 400.
    BodyNotUtf8,
}

impl Refusal {
    fn response(self) -> Response<Full<Bytes>> {
        match self {
            Refusal::NoSuchPath => not_found(),
            Refusal::BodyNotUtf8 => plain(
                StatusCode::BAD_REQUEST,
                "the request body is not valid UTF-8",
            ),
        }
    }
}

/// Parse a control-URL request: token, secret, and the `HttpRequest` event it becomes.
fn parse_request(req: &Request<Bytes>) -> Result<ControlRequest<'_>, Refusal> {
    let Some((token, secret)) = parse_path(req.uri().path()) else {
        return Err(Refusal::NoSuchPath);
    };
    let path = match req.uri().query() {
        Some(q) => format!("{}?{q}", req.uri().path()),
        None => req.uri().path().to_string(),
    };
    let headers = req
        .headers()
        .iter()
        .filter(|(k, _)| is_event_header(k.as_str()))
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    let Ok(content) = std::str::from_utf8(req.body()) else {
        return Err(Refusal::BodyNotUtf8);
    };
    Ok(ControlRequest {
        token,
        secret,
        event: HttpEvent {
            method: req.method().as_str().to_string(),
            path,
            content: content.to_string(),
            headers,
        },
    })
}

/// Constant-time secret check (a wrong secret gets the same 404 as an unknown token).
fn secret_matches(given: &str, expected: &str) -> bool {
    bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

/// The HTTP answer to what became of a control request; `None`: the session (or its
/// worker) ended before it answered.
fn answer(outcome: Option<ControlOutcome>) -> Response<Full<Bytes>> {
    match outcome {
        Some(ControlOutcome::Reply(r)) => to_response(r),
        Some(ControlOutcome::Busy) => busy(),
        Some(ControlOutcome::Gone) => not_found(),
        Some(ControlOutcome::Unanswered) | None => unavailable(),
    }
}

/// The supervisor's control listener: finds the session in the registry and forwards the
/// request to its worker over the worker's socket.
#[derive(Clone)]
pub struct ControlService {
    registry: Arc<Registry>,
}

impl ControlService {
    pub fn new(registry: Arc<Registry>) -> Self {
        ControlService { registry }
    }

    pub async fn handle(&self, req: Request<Bytes>) -> Response<Full<Bytes>> {
        let parsed = match parse_request(&req) {
            Ok(p) => p,
            Err(refusal) => return refusal.response(),
        };
        let Some(entry) = self.registry.by_token(parsed.token) else {
            return not_found();
        };
        if !secret_matches(parsed.secret, &entry.secret) || entry.has_failed() {
            return not_found();
        }
        let Some(rx) = entry.worker.http(entry.id, parsed.event) else {
            return unavailable();
        };
        // A worker that dies drops its waiting requests' senders: 503.
        answer(rx.await.ok())
    }
}

impl crate::server::Handler for ControlService {
    fn call(
        &self,
        req: Request<Bytes>,
    ) -> impl std::future::Future<Output = Response<Full<Bytes>>> + Send {
        self.handle(req)
    }
}

/// `/request/{token}/{secret}`, or a sub-path of it (`/request/{token}/{secret}/status`):
/// like the platform, every path under a control URL reaches the session, and its
/// handler sees the whole path (with the query) in `e.path`.
fn parse_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/request/")?;
    let (token, after) = rest.split_once('/')?;
    let secret = after.split('/').next().unwrap_or(after);
    if token.is_empty() || secret.is_empty() {
        return None;
    }
    Some((token, secret))
}

/// Largest handler reply sent back; a bigger one is refused rather than held and copied.
const MAX_REPLY_BYTES: usize = 8 * 1024 * 1024;

fn to_response(r: HttpReply) -> Response<Full<Bytes>> {
    if r.body.len() > MAX_REPLY_BYTES {
        return plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the handler's reply is larger than 8 MiB",
        );
    }
    let mut resp = Response::new(Full::new(Bytes::from(r.body)));
    *resp.status_mut() =
        StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(ct) = r.content_type {
        resp.headers_mut().insert(
            hyper::header::CONTENT_TYPE,
            hyper::header::HeaderValue::from_static(ct.mime()),
        );
    }
    resp
}

fn not_found() -> Response<Full<Bytes>> {
    plain(StatusCode::NOT_FOUND, "no such session")
}

fn busy() -> Response<Full<Bytes>> {
    let mut r = plain(
        StatusCode::SERVICE_UNAVAILABLE,
        "the session's event queue is full",
    );
    r.headers_mut().insert(
        hyper::header::RETRY_AFTER,
        hyper::header::HeaderValue::from_static("1"),
    );
    r
}

fn unavailable() -> Response<Full<Bytes>> {
    plain(
        StatusCode::SERVICE_UNAVAILABLE,
        "the session ended before it answered",
    )
}

#[cfg(test)]
mod tests {
    use super::parse_path;

    #[test]
    fn control_paths_need_a_token_and_a_secret_and_may_go_on() {
        assert_eq!(parse_path("/request/t/s"), Some(("t", "s")));
        assert_eq!(parse_path("/request/t/s/"), Some(("t", "s")));
        assert_eq!(parse_path("/request/t/s/x"), Some(("t", "s")));
        assert_eq!(parse_path("/request/t/s/x/y/"), Some(("t", "s")));
        assert_eq!(parse_path("/request/t"), None);
        assert_eq!(parse_path("/request/t/"), None);
        assert_eq!(parse_path("/request//s"), None);
        assert_eq!(parse_path("/request/t//x"), None);
        assert_eq!(parse_path("/other/t/s"), None);
    }
}
