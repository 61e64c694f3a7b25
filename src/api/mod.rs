//! The Management API (docs/api.md, docs/api.md#methods): routing, parameters, auth, and the methods.
//!
//! [`ApiService::handle`] takes a request with its body already read and returns the
//! response, so tests can call the whole API without sockets.

mod account;
mod applications;
pub mod auth;
pub mod error;
mod key_value;
mod methods;
pub mod params;
mod platform_methods;
mod rules;
mod scenarios;
mod sessions;
mod verified_tokens;
mod voxrun_v1;

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::Value;

pub use auth::{Caller, Role};
pub use error::{ApiError, Code};
pub use params::Params;

use tokio::sync::Semaphore;

use crate::session::SessionManager;
use crate::store::{Account, StoreHandle};

/// What the API needs to answer: the store and a few settings.
pub struct ApiState {
    pub store: StoreHandle,
    /// The account of this data dir.
    pub account: Account,
    /// `host:port` that clients use for the API (GetAccountInfo's `api_address`).
    pub api_address: String,
    /// The session runtime; `None` where only the API runs (method tests).
    pub sessions: Option<Arc<SessionManager>>,
    /// Concurrent StartScenarios/StartConference calls; beyond them, HTTP 429.
    pub start_permits: Arc<Semaphore>,
    /// JWT signatures verified before (`verified_tokens.rs`).
    pub verified_tokens: Arc<verified_tokens::VerifiedTokens>,
}

impl ApiState {
    pub fn new(store: StoreHandle, account: Account, api_address: String) -> Self {
        ApiState {
            store,
            account,
            api_address,
            sessions: None,
            start_permits: Arc::new(Semaphore::new(DEFAULT_MAX_CONCURRENT_STARTS)),
            verified_tokens: Arc::default(),
        }
    }
}

/// The platform's limit on concurrent session starts.
pub const DEFAULT_MAX_CONCURRENT_STARTS: usize = 200;

/// One call's context, handed to every method.
pub struct Ctx<'a> {
    pub state: &'a ApiState,
    pub caller: &'a Caller,
}

/// The Management API as a request → response function.
#[derive(Clone)]
pub struct ApiService {
    state: Arc<ApiState>,
}

impl ApiService {
    pub fn new(state: ApiState) -> Self {
        ApiService {
            state: Arc::new(state),
        }
    }

    pub fn state(&self) -> &ApiState {
        &self.state
    }

    /// A method called by the server itself as the account's Owner (the voxfiles loader):
    /// the same checks and answers as over HTTP, without a socket or a key.
    pub async fn call_as_owner(
        &self,
        method: &str,
        params: &[(&str, String)],
    ) -> Result<serde_json::Value, ApiError> {
        let caller = Caller {
            account_id: self.state.account.id,
            role: Role::Owner,
        };
        let ctx = Ctx {
            state: &self.state,
            caller: &caller,
        };
        let params = Params::from_pairs(params.iter().map(|(k, v)| (*k, v.as_str())));
        methods::dispatch(&ctx, method, &params).await
    }

    /// Answer one request whose body has been read.
    pub async fn handle(&self, req: Request<Bytes>) -> Response<Full<Bytes>> {
        let began = std::time::Instant::now();
        let path = req.uri().path();
        if let Some(rest) = path.strip_prefix("/logs/") {
            let r = self.session_log(rest).await;
            request_log::log_url(rest, r.status(), began);
            return r;
        }
        if let Some(rest) = path.strip_prefix(voxrun_v1::PREFIX) {
            let (method, rest) = (req.method().clone(), rest.to_string());
            let r = voxrun_v1::handle(&self.state, req, &rest).await;
            request_log::v1(&method, &rest, r.status(), began);
            return r;
        }
        let Some(path_method) = route(path) else {
            return plain(StatusCode::NOT_FOUND, "not found");
        };
        if req.method() != Method::GET && req.method() != Method::POST {
            return plain(StatusCode::METHOD_NOT_ALLOWED, "use GET or POST");
        }
        let path_method = path_method.map(str::to_string);
        let query = req.uri().query().map(str::to_string);
        let content_type = req
            .headers()
            .get(hyper::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bearer = req
            .headers()
            .get(hyper::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = req.into_body();
        // The method's name once known, for the request's log line.
        let mut called: Option<String> = None;
        let result = async {
            let params = Params::parse(query.as_deref(), content_type.as_deref(), body).await?;
            let method = match path_method {
                Some(m) => m,
                None => params.str("cmd").ok_or(Code::MissingCmd)?.to_string(),
            };
            called = Some(method.clone());
            if !methods::is_known(&method) {
                if platform_methods::is_not_supported(&method) {
                    return Err(ApiError::NotSupported(method));
                }
                return Err(ApiError::Code(Code::UnknownCommand));
            }
            let caller = auth::authenticate(&self.state, bearer.as_deref(), &params).await?;
            if !caller.role.may_call(&method) {
                return Err(ApiError::Code(Code::ForbiddenCommand));
            }
            // Counted once authenticated: a caller with a bad key gets its auth error
            // whatever the load, not a 429.
            let _permit = if methods::starts_session(&method) {
                match self.state.start_permits.clone().try_acquire_owned() {
                    Ok(p) => Some(p),
                    Err(_) => return Ok(None),
                }
            } else {
                None
            };
            let ctx = Ctx {
                state: &self.state,
                caller: &caller,
            };
            methods::dispatch(&ctx, &method, &params).await.map(Some)
        }
        .await;
        let known = called.as_deref().filter(|m| methods::is_known(m));
        let code = match &result {
            Ok(Some(_)) => None,
            Ok(None) => Some(Code::RateLimitExceed as u32),
            Err(e) => Some(e.code()),
        };
        request_log::method(known, called.as_deref(), code, began);
        match result {
            Ok(Some(v)) => json(&v),
            Ok(None) => too_many_starts(),
            Err(e) => {
                if let ApiError::Internal(detail) = &e {
                    tracing::error!(%detail, "internal error in an API call");
                }
                json(&e.to_json())
            }
        }
    }
}

impl ApiService {
    /// Like [`ApiService::handle`], but a transcript asked for with `?follow=1` is streamed
    /// as server-sent events.
    pub async fn respond_streaming(&self, req: Request<Bytes>) -> Response<crate::server::Body> {
        use http_body_util::BodyExt;
        let path = req.uri().path();
        if let Some(rest) = path.strip_prefix(voxrun_v1::PREFIX) {
            if voxrun_v1::is_follow(rest, req.uri().query()) {
                let began = std::time::Instant::now();
                let (method, rest) = (req.method().clone(), rest.to_string());
                let r = voxrun_v1::follow(&self.state, req, &rest).await;
                request_log::v1(&method, &rest, r.status(), began);
                return r;
            }
        }
        self.handle(req).await.map(BodyExt::boxed)
    }

    /// `GET /logs/{call_session_history_id}/{secret}`: the session log, live or stored.
    async fn session_log(&self, rest: &str) -> Response<Full<Bytes>> {
        let not_found = || plain(StatusCode::NOT_FOUND, "no such log");
        let Some((id, secret)) = rest.trim_end_matches('/').split_once('/') else {
            return not_found();
        };
        let (Ok(id), Some(sessions)) = (id.parse::<u64>(), self.state.sessions.as_ref()) else {
            return not_found();
        };
        match sessions.log_text(id, secret.to_string()).await {
            Some(text) => response(
                StatusCode::OK,
                "text/plain; charset=utf-8",
                Bytes::from(text),
            ),
            None => not_found(),
        }
    }
}

/// HTTP 429, the platform's answer past the concurrent-start limit (docs/api.md#responses).
fn too_many_starts() -> Response<Full<Bytes>> {
    let mut r = json(&ApiError::Code(Code::RateLimitExceed).to_json());
    *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    r
}

/// `/platform_api[/]` → Some(None); `/platform_api/{Method}[/]` → Some(Some(Method)).
fn route(path: &str) -> Option<Option<&str>> {
    let rest = path.strip_prefix("/platform_api")?;
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    if !rest.is_empty() && !path[..path.len() - rest.len()].ends_with('/') {
        return None; // "/platform_apiX"
    }
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        Some(None)
    } else if rest.contains('/') {
        None
    } else {
        Some(Some(rest))
    }
}

/// A JSON response; API errors travel with 200 too (docs/api.md#responses).
pub fn json(v: &Value) -> Response<Full<Bytes>> {
    let body = serde_json::to_vec(v).unwrap_or_else(|_| b"{}".to_vec());
    response(StatusCode::OK, "application/json", Bytes::from(body))
}

/// A plain-text response for HTTP-level failures.
pub fn plain(status: StatusCode, text: &str) -> Response<Full<Bytes>> {
    response(
        status,
        "text/plain; charset=utf-8",
        Bytes::from(text.to_string()),
    )
}

fn response(status: StatusCode, content_type: &str, body: Bytes) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(body));
    *r.status_mut() = status;
    if let Ok(v) = hyper::header::HeaderValue::from_str(content_type) {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

/// The INFO line of each request (`voxrun::api`): the method, its result (`ok` or `error
/// CODE`) and the milliseconds it took. Never parameters, keys, tokens or secrets: only
/// the method's name, and for `/voxrun/v1` the path without its query.
mod request_log {
    use std::time::Instant;

    use hyper::{Method, StatusCode};

    const TARGET: &str = "voxrun::api";

    fn ms(began: Instant) -> f64 {
        (began.elapsed().as_secs_f64() * 10_000.0).round() / 10.0
    }

    /// Client-given text, made safe for one log line: printable ASCII of a path, cut short.
    pub(super) fn clean(text: &str, max: usize) -> String {
        let mut out: String = text
            .chars()
            .take(max)
            .map(|c| {
                if c.is_ascii_alphanumeric() || "/-_.:".contains(c) {
                    c
                } else {
                    '?'
                }
            })
            .collect();
        if text.chars().count() > max {
            out.push_str("...");
        }
        out
    }

    /// A Management API call; `known`: its name if it is a method, `given`: what was asked.
    pub(super) fn method(
        known: Option<&str>,
        given: Option<&str>,
        code: Option<u32>,
        began: Instant,
    ) {
        let method = match (known, given) {
            (Some(m), _) => m.to_string(),
            (None, Some(g)) => format!("unknown:{}", clean(g, 64)),
            (None, None) => "-".to_string(),
        };
        let result = code.map_or_else(|| "ok".to_string(), |c| format!("error {c}"));
        tracing::info!(target: TARGET, %method, %result, ms = ms(began), "request");
    }

    /// A `/voxrun/v1` call (`rest`: the path after the prefix).
    pub(super) fn v1(method: &Method, rest: &str, status: StatusCode, began: Instant) {
        let method = format!("{method} /voxrun/v1/{}", clean(rest, 100));
        let result = if status.is_success() {
            "ok".to_string()
        } else {
            format!("http {}", status.as_u16())
        };
        tracing::info!(target: TARGET, %method, %result, ms = ms(began), "request");
    }

    /// A session log URL: its id only, never its secret (DEBUG: not an API call).
    pub(super) fn log_url(rest: &str, status: StatusCode, began: Instant) {
        let id = clean(rest.split('/').next().unwrap_or(""), 20);
        let method = format!("GET /logs/{id}/***");
        let result = status.as_u16();
        tracing::debug!(target: TARGET, %method, result, ms = ms(began), "request");
    }
}

#[cfg(test)]
mod tests {
    use super::route;

    #[test]
    fn routes_accept_the_documented_shapes() {
        assert_eq!(route("/platform_api"), Some(None));
        assert_eq!(route("/platform_api/"), Some(None));
        assert_eq!(route("/platform_api/AddRule"), Some(Some("AddRule")));
        assert_eq!(route("/platform_api/AddRule/"), Some(Some("AddRule")));
        assert_eq!(route("/platform_apiX"), None);
        assert_eq!(route("/platform_api/a/b"), None);
        assert_eq!(route("/other"), None);
    }

    /// The README's list of methods is the dispatch table: no method missing, none extra.
    #[test]
    fn the_readme_lists_exactly_the_methods_answered() {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("## Management API methods")
            .unwrap_or_else(|| panic!("the README has no method list"));
        let section = &readme[start + 3..];
        let section = &section[..section.find("\n## ").unwrap_or(section.len())];
        let mut listed: Vec<&str> = section
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|w| w.chars().all(|c| c.is_ascii_alphabetic()))
            .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
            .collect();
        let mut answered = super::methods::METHODS.to_vec();
        listed.sort_unstable();
        answered.sort_unstable();
        assert_eq!(listed, answered);
    }

    #[test]
    fn logged_names_are_one_short_line() {
        assert_eq!(super::request_log::clean("Get\nX", 64), "Get?X");
        assert_eq!(super::request_log::clean("abcdef", 3), "abc...");
    }
}
