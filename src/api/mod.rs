//! The Management API (SPEC §2, §3): routing, parameters, auth, and the methods.
//!
//! [`ApiService::handle`] takes a request with its body already read and returns the
//! response, so tests can call the whole API without sockets.

mod account;
mod applications;
pub mod auth;
pub mod error;
mod methods;
pub mod params;
mod rules;
mod scenarios;

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::Value;

pub use auth::{Caller, Role};
pub use error::{ApiError, Code};
pub use params::Params;

use crate::store::{Account, StoreHandle};

/// What the API needs to answer: the store and a few settings.
pub struct ApiState {
    pub store: StoreHandle,
    /// The account of this data dir.
    pub account: Account,
    /// `host:port` that clients use for the API (GetAccountInfo's `api_address`).
    pub api_address: String,
}

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

    /// Answer one request whose body has been read.
    pub async fn handle(&self, req: Request<Bytes>) -> Response<Full<Bytes>> {
        let path = req.uri().path();
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
        let result = async {
            let params = Params::parse(query.as_deref(), content_type.as_deref(), body).await?;
            let method = match path_method {
                Some(m) => m,
                None => params.str("cmd").ok_or(Code::MissingCmd)?.to_string(),
            };
            if !methods::is_known(&method) {
                return Err(ApiError::Code(Code::UnknownCommand));
            }
            let caller = auth::authenticate(&self.state, bearer.as_deref(), &params).await?;
            if !caller.role.may_call(&method) {
                return Err(ApiError::Code(Code::ForbiddenCommand));
            }
            let ctx = Ctx {
                state: &self.state,
                caller: &caller,
            };
            methods::dispatch(&ctx, &method, &params).await
        }
        .await;
        match result {
            Ok(v) => json(&v),
            Err(e) => {
                if let ApiError::Internal(detail) = &e {
                    tracing::error!(%detail, "internal error in an API call");
                }
                json(&e.to_json())
            }
        }
    }
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

/// A JSON response; API errors travel with 200 too (SPEC §2.4).
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
}
