//! The HTTP client behind `Net.httpRequestAsync` (docs/sessions.md#the-voxengine-globals): one connection per request,
//! limits per session, platform error codes.
//!
//! Codes: the HTTP status, or -2 malformed URL, -3 host not found, -4 connection error
//! (refused, reset, TLS or protocol failure), -7 timeout (connection or whole request),
//! -9 response body larger than the limit, 0 when a session limit or `--net-allow` refused it.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Uri;
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::Notify;
use tokio::task::AbortHandle;

use super::Limits;

const USER_AGENT: &str = "VoxEngine/1.0";
const MAX_TIMEOUT_S: f64 = 90.0;
const DEFAULT_CONNECT_TIMEOUT_S: f64 = 6.0;

/// Options as the prelude normalizes them (JSON).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct NetOptions {
    method: Option<String>,
    body: Option<String>,
    body_bytes: Option<Vec<u8>>,
    headers: Vec<(String, String)>,
    params: Vec<(String, String)>,
    raw: bool,
    timeout: Option<f64>,
    connect_timeout: Option<f64>,
}

/// What `Net` hands back to script.
#[derive(Debug, Default)]
pub(crate) struct NetResult {
    pub(crate) code: i32,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) raw: bool,
    pub(crate) error: Option<String>,
}

impl NetResult {
    fn fail(code: i32, error: impl Into<String>) -> Self {
        NetResult {
            code,
            error: Some(error.into()),
            ..NetResult::default()
        }
    }

    /// `{code, text, headers: [{key, value}], raw_headers, data?, error?}`.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        let headers: Vec<serde_json::Value> = self
            .headers
            .iter()
            .map(|(k, v)| serde_json::json!({ "key": k, "value": v }))
            .collect();
        let raw_headers: String = self
            .headers
            .iter()
            .map(|(k, v)| format!("{k}: {v}\r\n"))
            .collect();
        let mut out = serde_json::json!({
            "code": self.code,
            "text": String::from_utf8_lossy(&self.body),
            "headers": headers,
            "raw_headers": raw_headers,
        });
        if self.raw {
            out["data"] = serde_json::json!(self.body);
        }
        if let Some(e) = &self.error {
            out["error"] = serde_json::json!(e);
        }
        out
    }
}

struct Request {
    uri: Uri,
    opts: NetOptions,
    max_body: usize,
}

struct Inner {
    in_flight: Cell<usize>,
    max_in_flight: usize,
    waiting: RefCell<VecDeque<(u64, Request)>>,
    completed: RefCell<VecDeque<(u64, NetResult)>>,
    tasks: RefCell<Vec<AbortHandle>>,
    wake: Rc<Notify>,
}

/// A session's Net requests: counted, queued past the in-flight limit, completed into a
/// queue the session loop drains.
pub(crate) struct NetState {
    inner: Rc<Inner>,
    next_id: Cell<u64>,
    started: Cell<usize>,
    max_total: usize,
    max_body: usize,
    allow: Option<Vec<String>>,
    /// Requests still allowed while `Terminating` runs.
    pub(crate) terminating_allowance: Cell<usize>,
}

impl NetState {
    pub(crate) fn new(limits: &Limits, wake: Rc<Notify>) -> Self {
        NetState {
            inner: Rc::new(Inner {
                in_flight: Cell::new(0),
                max_in_flight: limits.net_in_flight.max(1),
                waiting: RefCell::new(VecDeque::new()),
                completed: RefCell::new(VecDeque::new()),
                tasks: RefCell::new(Vec::new()),
                wake,
            }),
            next_id: Cell::new(0),
            started: Cell::new(0),
            max_total: limits.net_total,
            max_body: limits.net_max_response,
            allow: limits.net_allow.clone(),
            terminating_allowance: Cell::new(0),
        }
    }

    fn id(&self) -> u64 {
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        id
    }

    /// A request that fails before it starts still completes asynchronously.
    fn complete_now(&self, id: u64, result: NetResult) -> u64 {
        self.inner.completed.borrow_mut().push_back((id, result));
        self.inner.wake.notify_one();
        id
    }

    /// Starts (or queues) a request and returns its id; the result arrives through
    /// [`NetState::take_completed`]. `refusal`: the session phase forbids it (code 0).
    pub(crate) fn request(&self, url: &str, options_json: &str, refusal: Option<&str>) -> u64 {
        let id = self.id();
        if let Some(why) = refusal {
            return self.complete_now(id, NetResult::fail(0, why));
        }
        if self.started.get() >= self.max_total {
            let msg = format!(
                "the limit of {} Net requests per session is reached",
                self.max_total
            );
            return self.complete_now(id, NetResult::fail(0, msg));
        }
        self.started.set(self.started.get() + 1);
        let opts: NetOptions = serde_json::from_str(options_json).unwrap_or_default();
        let uri = match build_uri(url, &opts.params) {
            Ok(u) => u,
            Err(e) => return self.complete_now(id, NetResult::fail(-2, e)),
        };
        if !allowed(self.allow.as_deref(), &uri) {
            let msg = format!("{} is not allowed by --net-allow", authority(&uri));
            return self.complete_now(id, NetResult::fail(0, msg));
        }
        let req = Request {
            uri,
            opts,
            max_body: self.max_body,
        };
        if self.inner.in_flight.get() < self.inner.max_in_flight {
            spawn(self.inner.clone(), id, req);
        } else {
            self.inner.waiting.borrow_mut().push_back((id, req));
        }
        id
    }

    pub(crate) fn take_completed(&self) -> Option<(u64, NetResult)> {
        self.inner.completed.borrow_mut().pop_front()
    }

    /// Requests running, queued or completed but not yet delivered.
    pub(crate) fn busy(&self) -> bool {
        self.inner.in_flight.get() > 0
            || !self.inner.waiting.borrow().is_empty()
            || !self.inner.completed.borrow().is_empty()
    }

    /// Stops every request (the session is over).
    pub(crate) fn abort_all(&self) {
        self.inner.waiting.borrow_mut().clear();
        for t in self.inner.tasks.borrow_mut().drain(..) {
            t.abort();
        }
    }

    /// Stops every request and forgets their answers: the session is ending, and only the
    /// request its Terminating handler makes is awaited (docs/sessions.md).
    pub(crate) fn abandon_all(&self) {
        self.abort_all();
        self.inner.in_flight.set(0);
        self.inner.completed.borrow_mut().clear();
    }
}

fn spawn(inner: Rc<Inner>, id: u64, req: Request) {
    inner.in_flight.set(inner.in_flight.get() + 1);
    let task_inner = inner.clone();
    let handle = tokio::task::spawn_local(async move {
        let result = perform(req).await;
        let inner = task_inner;
        inner.in_flight.set(inner.in_flight.get().saturating_sub(1));
        inner.completed.borrow_mut().push_back((id, result));
        let next = inner.waiting.borrow_mut().pop_front();
        if let Some((next_id, next_req)) = next {
            spawn(inner.clone(), next_id, next_req);
        }
        inner.wake.notify_one();
    });
    let mut tasks = inner.tasks.borrow_mut();
    tasks.retain(|t| !t.is_finished());
    tasks.push(handle.abort_handle());
}

fn build_uri(url: &str, params: &[(String, String)]) -> Result<Uri, String> {
    let mut url = url.trim().to_string();
    if !params.is_empty() {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params.iter())
            .finish();
        let base = url.split('#').next().unwrap_or_default().to_string();
        let sep = if base.contains('?') { '&' } else { '?' };
        url = format!("{base}{sep}{query}");
    }
    let uri: Uri = url.parse().map_err(|e| format!("malformed URL: {e}"))?;
    match uri.scheme_str() {
        Some("http") | Some("https") => {}
        _ => return Err("malformed URL: the scheme must be http or https".to_string()),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err("malformed URL: no host".to_string());
    }
    Ok(uri)
}

fn port_of(uri: &Uri) -> u16 {
    uri.port_u16()
        .unwrap_or(if uri.scheme_str() == Some("https") {
            443
        } else {
            80
        })
}

fn host_of(uri: &Uri) -> String {
    uri.host()
        .unwrap_or_default()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase()
}

fn authority(uri: &Uri) -> String {
    format!("{}:{}", host_of(uri), port_of(uri))
}

/// `HOST` allows every port of that host; `HOST:PORT` one port.
fn allowed(allow: Option<&[String]>, uri: &Uri) -> bool {
    let Some(list) = allow else { return true };
    let host = host_of(uri);
    let port = port_of(uri);
    list.iter().any(|entry| {
        let entry = entry.trim().to_ascii_lowercase();
        match entry.rsplit_once(':') {
            Some((h, p)) if !h.is_empty() && !h.ends_with(':') && p.parse::<u16>().is_ok() => {
                h.trim_start_matches('[').trim_end_matches(']') == host && p.parse() == Ok(port)
            }
            _ => entry.trim_start_matches('[').trim_end_matches(']') == host,
        }
    })
}

fn seconds(v: Option<f64>, default: f64, max: f64) -> Duration {
    let s = v
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(default)
        .min(max);
    Duration::from_secs_f64(s)
}

async fn perform(req: Request) -> NetResult {
    let total = seconds(req.opts.timeout, MAX_TIMEOUT_S, MAX_TIMEOUT_S);
    match tokio::time::timeout(total, perform_inner(req)).await {
        Ok(r) => r,
        Err(_) => NetResult::fail(-7, "request timed out"),
    }
}

async fn perform_inner(req: Request) -> NetResult {
    let host = host_of(&req.uri);
    let port = port_of(&req.uri);
    let connect_timeout = seconds(
        req.opts.connect_timeout,
        DEFAULT_CONNECT_TIMEOUT_S,
        MAX_TIMEOUT_S,
    );
    let addrs: Vec<std::net::SocketAddr> = match tokio::time::timeout(
        connect_timeout,
        tokio::net::lookup_host((host.as_str(), port)),
    )
    .await
    {
        Err(_) => return NetResult::fail(-7, "host lookup timed out"),
        Ok(Err(e)) => return NetResult::fail(-3, format!("host not found: {e}")),
        Ok(Ok(a)) => a.collect(),
    };
    if addrs.is_empty() {
        return NetResult::fail(-3, "host not found");
    }
    let tcp =
        match tokio::time::timeout(connect_timeout, tokio::net::TcpStream::connect(&addrs[..]))
            .await
        {
            Err(_) => return NetResult::fail(-7, "connection timed out"),
            Ok(Err(e)) => return NetResult::fail(-4, format!("connection error: {e}")),
            Ok(Ok(s)) => s,
        };
    if req.uri.scheme_str() == Some("https") {
        let name = match rustls::pki_types::ServerName::try_from(host.clone()) {
            Ok(n) => n,
            Err(e) => return NetResult::fail(-2, format!("malformed URL: {e}")),
        };
        let connector = tokio_rustls::TlsConnector::from(tls_config());
        match tokio::time::timeout(connect_timeout, connector.connect(name, tcp)).await {
            Err(_) => NetResult::fail(-7, "TLS handshake timed out"),
            Ok(Err(e)) => NetResult::fail(-4, format!("TLS error: {e}")),
            Ok(Ok(tls)) => exchange(tls, req).await,
        }
    } else {
        exchange(tcp, req).await
    }
}

fn tls_config() -> Arc<rustls::ClientConfig> {
    static CONFIG: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let roots = rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let config = match rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
            {
                Ok(b) => b.with_root_certificates(roots).with_no_client_auth(),
                Err(_) => rustls::ClientConfig::builder()
                    .with_root_certificates(rustls::RootCertStore::empty())
                    .with_no_client_auth(),
            };
            Arc::new(config)
        })
        .clone()
}

async fn exchange<S>(stream: S, req: Request) -> NetResult
where
    S: AsyncRead + AsyncWrite + Unpin + 'static,
{
    let (mut sender, conn) =
        match hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(stream)).await {
            Ok(p) => p,
            Err(e) => return NetResult::fail(-4, format!("connection error: {e}")),
        };
    let conn_task = tokio::task::spawn_local(async move {
        let _ = conn.await;
    });
    let result = send(&mut sender, req).await;
    conn_task.abort();
    result
}

async fn send(
    sender: &mut hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    req: Request,
) -> NetResult {
    let Request {
        uri,
        opts,
        max_body,
    } = req;
    let method = opts
        .method
        .as_deref()
        .unwrap_or("GET")
        .trim()
        .to_ascii_uppercase();
    let method = match hyper::Method::from_bytes(method.as_bytes()) {
        Ok(m) => m,
        Err(_) => return NetResult::fail(-2, format!("invalid method: {method}")),
    };
    let body: Bytes = match (opts.body_bytes, opts.body) {
        (Some(b), _) => Bytes::from(b),
        (None, Some(s)) => Bytes::from(s),
        (None, None) => Bytes::new(),
    };
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
    let host_header = match uri.port_u16() {
        Some(p) => format!("{}:{p}", uri.host().unwrap_or_default()),
        None => uri.host().unwrap_or_default().to_string(),
    };
    let mut builder = hyper::Request::builder()
        .method(method)
        .uri(path)
        .header("host", host_header);
    let mut has_ua = false;
    for (k, v) in &opts.headers {
        has_ua |= k.eq_ignore_ascii_case("user-agent");
        if k.eq_ignore_ascii_case("host") || k.eq_ignore_ascii_case("content-length") {
            continue;
        }
        builder = builder.header(k.trim(), v.trim());
    }
    if !has_ua {
        builder = builder.header("user-agent", USER_AGENT);
    }
    if !body.is_empty() {
        builder = builder.header("content-length", body.len());
    }
    let request = match builder.body(Full::new(body)) {
        Ok(r) => r,
        Err(e) => return NetResult::fail(-2, format!("invalid request: {e}")),
    };
    let response = match sender.send_request(request).await {
        Ok(r) => r,
        Err(e) => return NetResult::fail(-4, format!("connection error: {e}")),
    };
    let code = i32::from(response.status().as_u16());
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut incoming = response.into_body();
    let mut body = Vec::new();
    while let Some(frame) = incoming.frame().await {
        let frame = match frame {
            Ok(f) => f,
            Err(e) => return NetResult::fail(-4, format!("connection error: {e}")),
        };
        if let Ok(data) = frame.into_data() {
            if body.len() + data.len() > max_body {
                return NetResult::fail(-9, format!("response larger than {max_body} bytes"));
            }
            body.extend_from_slice(&data);
        }
    }
    NetResult {
        code,
        headers,
        body,
        raw: opts.raw,
        error: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_list_matches_host_and_port() {
        let uri: Uri = "http://Example.com:8080/x".parse().unwrap_or_default();
        assert!(allowed(None, &uri));
        assert!(allowed(Some(&["example.com".into()]), &uri));
        assert!(allowed(Some(&["example.com:8080".into()]), &uri));
        assert!(!allowed(Some(&["example.com:80".into()]), &uri));
        assert!(!allowed(Some(&["other.com".into()]), &uri));
    }

    #[test]
    fn params_are_added_to_the_query() {
        let p = vec![("a".to_string(), "1 2".to_string())];
        assert_eq!(
            build_uri("http://h/x?y=1", &p).map(|u| u.to_string()),
            Ok("http://h/x?y=1&a=1+2".to_string())
        );
        assert!(build_uri("ftp://h/", &[]).is_err());
        assert!(build_uri("not a url", &[]).is_err());
    }
}
