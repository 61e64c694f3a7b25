//! The accept loop shared by the API and control listeners.
//!
//! One port serves HTTPS and plain HTTP: the first byte of a connection decides (a TLS
//! handshake starts with 0x16). Connections are HTTP/1.1 with keep-alive; bodies are read
//! whole up to a limit (413 beyond it) and handed to a [`Handler`].

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

/// How long a request body may take to arrive (a stalled upload must not hold a task).
const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Answers a request whose body has been read.
pub trait Handler: Clone + Send + Sync + 'static {
    fn call(&self, req: Request<Bytes>) -> impl Future<Output = Response<Full<Bytes>>> + Send;
}

impl Handler for crate::api::ApiService {
    fn call(&self, req: Request<Bytes>) -> impl Future<Output = Response<Full<Bytes>>> + Send {
        self.handle(req)
    }
}

/// Listener settings.
#[derive(Clone)]
pub struct ListenerConfig {
    /// `None`: plain HTTP only.
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// Largest request body; more gets 413.
    pub body_limit: usize,
    /// How long a new connection may take to send its first byte and finish TLS.
    pub handshake_timeout: Duration,
    /// How long in-flight requests may take to finish after shutdown starts.
    pub drain_timeout: Duration,
}

impl ListenerConfig {
    pub fn new(tls: Option<Arc<rustls::ServerConfig>>, body_limit: usize) -> Self {
        ListenerConfig {
            tls,
            body_limit,
            handshake_timeout: Duration::from_secs(10),
            drain_timeout: Duration::from_secs(10),
        }
    }
}

/// Serve `listener` with `handler` until `shutdown` resolves, then let open requests finish.
pub async fn run<H: Handler>(
    listener: TcpListener,
    config: ListenerConfig,
    handler: H,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let acceptor = config.tls.clone().map(TlsAcceptor::from);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // EMFILE and friends: back off instead of spinning.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let conn = serve_connection(stream, peer, acceptor.clone(), config.clone(), handler.clone(), graceful.watcher());
                tokio::spawn(conn);
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    if tokio::time::timeout(config.drain_timeout, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the drain timeout");
    }
}

async fn serve_connection<H: Handler>(
    stream: TcpStream,
    peer: SocketAddr,
    acceptor: Option<TlsAcceptor>,
    config: ListenerConfig,
    handler: H,
    watcher: hyper_util::server::graceful::Watcher,
) {
    let mut first = [0u8; 1];
    let is_tls = match tokio::time::timeout(config.handshake_timeout, stream.peek(&mut first)).await
    {
        Ok(Ok(1)) => first[0] == 0x16,
        _ => return, // closed, failed or silent: nothing to serve
    };
    let limit = config.body_limit;
    let service = service_fn(move |req: Request<Incoming>| {
        let handler = handler.clone();
        async move { Ok::<_, std::convert::Infallible>(read_and_call(req, limit, handler).await) }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(Some(config.handshake_timeout))
        .keep_alive(true);
    if is_tls {
        let Some(acceptor) = acceptor else { return };
        let tls =
            match tokio::time::timeout(config.handshake_timeout, acceptor.accept(stream)).await {
                Ok(Ok(s)) => s,
                Ok(Err(e)) => {
                    tracing::debug!(%peer, error = %e, "TLS handshake failed");
                    return;
                }
                Err(_) => return,
            };
        let conn = builder.serve_connection(TokioIo::new(tls), service);
        if let Err(e) = watcher.watch(conn).await {
            tracing::debug!(%peer, error = %e, "connection ended with an error");
        }
    } else {
        let conn = builder.serve_connection(TokioIo::new(stream), service);
        if let Err(e) = watcher.watch(conn).await {
            tracing::debug!(%peer, error = %e, "connection ended with an error");
        }
    }
}

/// Read the body (up to `limit`) and call the handler; 413/400 when the body cannot be had.
async fn read_and_call<H: Handler>(
    req: Request<Incoming>,
    limit: usize,
    handler: H,
) -> Response<Full<Bytes>> {
    let (parts, body) = req.into_parts();
    if let Some(len) = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    {
        if len > limit as u64 {
            return crate::api::plain(StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
        }
    }
    let read = tokio::time::timeout(BODY_READ_TIMEOUT, Limited::new(body, limit).collect());
    let Ok(read) = read.await else {
        return crate::api::plain(
            StatusCode::REQUEST_TIMEOUT,
            "the request body did not arrive in time",
        );
    };
    let bytes = match read {
        Ok(c) => c.to_bytes(),
        Err(e) => {
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                return crate::api::plain(StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
            }
            return crate::api::plain(StatusCode::BAD_REQUEST, "request body could not be read");
        }
    };
    handler.call(Request::from_parts(parts, bytes)).await
}
