//! The control listener: `/request/{token}/{secret}` → one `AppEvents.HttpRequest` in that
//! session, and the handler's answer back (SPEC §4.3).

use std::sync::Arc;

use crate::api::plain;
use crate::runtime::{HttpEvent, HttpReply};
use crate::session::registry::Registry;
use crate::worker::protocol::ControlOutcome;
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request, Response, StatusCode};
use subtle::ConstantTimeEq;

#[derive(Clone)]
pub struct ControlService {
    registry: Arc<Registry>,
}

impl ControlService {
    pub fn new(registry: Arc<Registry>) -> Self {
        ControlService { registry }
    }

    pub async fn handle(&self, req: Request<Bytes>) -> Response<Full<Bytes>> {
        let Some((token, secret)) = parse_path(req.uri().path()) else {
            return not_found();
        };
        let Some(entry) = self.registry.by_token(token) else {
            return not_found();
        };
        // Same answer for a wrong secret as for an unknown token: reveal nothing.
        if !bool::from(secret.as_bytes().ct_eq(entry.secret.as_bytes())) || entry.has_failed() {
            return not_found();
        }
        let path = match req.uri().query() {
            Some(q) => format!("{}?{q}", req.uri().path()),
            None => req.uri().path().to_string(),
        };
        let headers = req
            .headers()
            .iter()
            .filter(|(k, _)| k.as_str().len() > 2 && k.as_str()[..2].eq_ignore_ascii_case("x-"))
            .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect();
        let method = req.method().as_str().to_string();
        let Ok(content) = String::from_utf8(req.into_body().to_vec()) else {
            return plain(
                StatusCode::BAD_REQUEST,
                "the request body is not valid UTF-8",
            );
        };
        let event = HttpEvent {
            method,
            path,
            content,
            headers,
        };
        let Some(rx) = entry.worker.http(entry.id, event) else {
            return unavailable();
        };
        tokio::select! {
            outcome = rx => match outcome {
                Ok(ControlOutcome::Reply(r)) => to_response(r),
                Ok(ControlOutcome::Busy) => busy(),
                Ok(ControlOutcome::Gone) => not_found(),
                // The session ended with the request still queued, or its worker died.
                Ok(ControlOutcome::Unanswered) | Err(_) => unavailable(),
            },
            _ = entry.failed() => unavailable(),
        }
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

/// `/request/{token}/{secret}` (a trailing slash allowed).
fn parse_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/request/")?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let (token, secret) = rest.split_once('/')?;
    if token.is_empty() || secret.is_empty() || secret.contains('/') {
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
    if let Some(ct) = r
        .content_type
        .and_then(|c| hyper::header::HeaderValue::from_str(&c).ok())
    {
        resp.headers_mut().insert(hyper::header::CONTENT_TYPE, ct);
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
    fn control_paths_need_a_token_and_a_secret() {
        assert_eq!(parse_path("/request/t/s"), Some(("t", "s")));
        assert_eq!(parse_path("/request/t/s/"), Some(("t", "s")));
        assert_eq!(parse_path("/request/t"), None);
        assert_eq!(parse_path("/request//s"), None);
        assert_eq!(parse_path("/request/t/s/x"), None);
        assert_eq!(parse_path("/other/t/s"), None);
    }
}
