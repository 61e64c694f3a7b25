//! A local HTTP server for the Net cases, on 127.0.0.1 port 0.
//! - `/hello`: 200 `hello` with `X-Test: yes`
//! - `/echo`: 200 JSON `{method, path, ua, x, body}` (`x`: the `x-*` request headers)
//! - `/status/N`: status N
//! - `/big`: a 3 MB body
//! - `/slow`: answers after 5 s
//! - `/bytes`: the bytes 0, 1, 2, 255
//! - `/inflight`: answers after 100 ms with the most `/inflight` requests seen at once
#![allow(clippy::unwrap_used, dead_code)]

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};

static INFLIGHT: AtomicUsize = AtomicUsize::new(0);
static INFLIGHT_MAX: AtomicUsize = AtomicUsize::new(0);
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

async fn handle(req: Request<hyper::body::Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = req.uri().path().to_string();
    let path_q = req
        .uri()
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let method = req.method().to_string();
    let ua = req
        .headers()
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut x: Vec<(String, String)> = req
        .headers()
        .iter()
        .filter(|(k, _)| k.as_str().starts_with("x-"))
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    x.sort();
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let resp = |status: u16, body: Bytes| {
        Response::builder()
            .status(status)
            .body(Full::new(body))
            .unwrap()
    };
    Ok(match path.as_str() {
        "/hello" => Response::builder()
            .header("x-test", "yes")
            .body(Full::new(Bytes::from("hello")))
            .unwrap(),
        "/echo" => {
            let json = serde_json::json!({
                "method": method, "path": path_q, "ua": ua, "x": x,
                "body": String::from_utf8_lossy(&body),
            });
            resp(200, Bytes::from(json.to_string()))
        }
        "/big" => resp(200, Bytes::from(vec![b'a'; 3 * 1024 * 1024])),
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            resp(200, Bytes::from("slow"))
        }
        "/inflight" => {
            let now = INFLIGHT.fetch_add(1, Ordering::SeqCst) + 1;
            INFLIGHT_MAX.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(100)).await;
            INFLIGHT.fetch_sub(1, Ordering::SeqCst);
            resp(
                200,
                Bytes::from(INFLIGHT_MAX.load(Ordering::SeqCst).to_string()),
            )
        }
        "/bytes" => resp(200, Bytes::from(vec![0u8, 1, 2, 255])),
        p if p.starts_with("/status/") => {
            let code: u16 = p["/status/".len()..].parse().unwrap_or(500);
            resp(code, Bytes::from(format!("status {code}")))
        }
        _ => resp(404, Bytes::from("not found")),
    })
}

/// Starts the server on the current `LocalSet`; returns `http://127.0.0.1:PORT`.
pub async fn start() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::task::spawn_local(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            tokio::task::spawn_local(async move {
                let service = hyper::service::service_fn(handle);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    format!("http://{addr}")
}

/// `http://127.0.0.1:PORT` of a port nobody listens on.
pub async fn closed_port() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}
