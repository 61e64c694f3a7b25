//! The accept loop shared by the API and control listeners.
//!
//! One port serves HTTPS and plain HTTP: the first byte of a connection decides (a TLS
//! handshake starts with 0x16). Connections are HTTP/1.1 with keep-alive; bodies are read
//! whole up to a limit (413 beyond it) and handed to a [`Handler`].
//!
//! What one client can hold is capped (docs/isolation.md): open connections per listener
//! ([`ListenerConfig::max_connections`]), the size and field count of a request head
//! ([`MAX_HEADER_BYTES`], [`MAX_HEADER_FIELDS`]: 431) and the length of the request target
//! ([`MAX_URI_BYTES`]: 414).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Body as _, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode, Uri};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_rustls::TlsAcceptor;

/// How long a request body may take to arrive (a stalled upload must not hold a task).
const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Default for [`ListenerConfig::max_connections`]: open connections per listener. When all
/// are taken the listener stops accepting (new connections wait in the kernel's backlog)
/// until one closes.
pub const DEFAULT_MAX_CONNECTIONS: usize = 10_000;

/// Largest request head in bytes: the request line plus all header fields, as hyper counts
/// them (its `max_header_size`). A larger head is answered 431 by hyper and the connection
/// is closed.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Most header fields in one request (hyper's `max_headers`); more are answered 431 by hyper
/// and the connection is closed.
pub const MAX_HEADER_FIELDS: usize = 100;

/// Longest request target (the URI as sent on the request line) in bytes; longer ones are
/// answered 414 before the body is read or the handler runs.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// A response body as the listener sends it: whole, or streamed (server-sent events).
pub type Body = http_body_util::combinators::BoxBody<Bytes, std::convert::Infallible>;

/// Answers a request whose body has been read.
pub trait Handler: Clone + Send + Sync + 'static {
    fn call(&self, req: Request<Bytes>) -> impl Future<Output = Response<Full<Bytes>>> + Send;

    /// The answer the listener sends: [`Handler::call`]'s, unless the handler streams it.
    fn respond(&self, req: Request<Bytes>) -> impl Future<Output = Response<Body>> + Send {
        let answer = self.call(req);
        async move { answer.await.map(BodyExt::boxed) }
    }
}

impl Handler for crate::api::ApiService {
    fn call(&self, req: Request<Bytes>) -> impl Future<Output = Response<Full<Bytes>>> + Send {
        self.handle(req)
    }

    fn respond(&self, req: Request<Bytes>) -> impl Future<Output = Response<Body>> + Send {
        self.respond_streaming(req)
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
    /// Most connections open at once on this listener; when all are taken, accepting pauses
    /// until one closes.
    pub max_connections: usize,
}

impl ListenerConfig {
    pub fn new(tls: Option<Arc<rustls::ServerConfig>>, body_limit: usize) -> Self {
        ListenerConfig {
            tls,
            body_limit,
            handshake_timeout: Duration::from_secs(10),
            drain_timeout: Duration::from_secs(10),
            max_connections: DEFAULT_MAX_CONNECTIONS,
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
    // One permit per open connection; at least one, or nothing would ever be served.
    let slots = Arc::new(Semaphore::new(config.max_connections.max(1)));
    tokio::pin!(shutdown);
    loop {
        // Wait for a free slot first: while all are taken nothing is accepted.
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break, // never closed; nothing left to do if it were
            },
            _ = &mut shutdown => break,
        };
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // EMFILE and friends: back off instead of spinning.
                        tracing::warn!(error = %e, "accept failed");
                        drop(permit);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let conn = serve_connection(stream, peer, acceptor.clone(), config.clone(), handler.clone(), graceful.watcher(), permit);
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
    // Held until the connection is done; dropping it lets the accept loop take another.
    _permit: OwnedSemaphorePermit,
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
        .max_header_size(MAX_HEADER_BYTES)
        .max_headers(MAX_HEADER_FIELDS)
        // A client that shuts down its sending side after a request (`nc -N`, scripts)
        // still gets the answer: without this hyper drops the connection on that EOF while
        // the handler runs, after the request has taken effect.
        .half_close(true)
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

/// Length of the request target as it was sent: origin form (`/path?query`), absolute form
/// (`scheme://authority/path?query`), authority form (`host:port`) or `*`.
fn target_len(uri: &Uri) -> usize {
    let scheme = uri.scheme_str().map_or(0, |s| s.len() + "://".len());
    let authority = uri.authority().map_or(0, |a| a.as_str().len());
    let path = uri.path_and_query().map_or(0, |p| p.as_str().len());
    scheme + authority + path
}

/// Read the body (up to `limit`) and call the handler; 414 for an overlong URI, 413/400 when
/// the body cannot be had.
async fn read_and_call<H: Handler>(
    req: Request<Incoming>,
    limit: usize,
    handler: H,
) -> Response<Body> {
    match read_body(req, limit).await {
        Ok(req) => handler.respond(req).await,
        Err(refusal) => refusal.map(BodyExt::boxed),
    }
}

/// The request with its body read, or the refusal to send.
async fn read_body(
    req: Request<Incoming>,
    limit: usize,
) -> Result<Request<Bytes>, Response<Full<Bytes>>> {
    if target_len(req.uri()) > MAX_URI_BYTES {
        return Err(crate::api::plain(
            StatusCode::URI_TOO_LONG,
            "request URI too long",
        ));
    }
    let (parts, body) = req.into_parts();
    if let Some(len) = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    {
        if len > limit as u64 {
            return Err(crate::api::plain(
                StatusCode::PAYLOAD_TOO_LARGE,
                "request body too large",
            ));
        }
    }
    // Nothing to read (a GET): no timer to arm and disarm.
    if body.is_end_stream() {
        return Ok(Request::from_parts(parts, Bytes::new()));
    }
    let read = tokio::time::timeout(BODY_READ_TIMEOUT, Limited::new(body, limit).collect());
    let Ok(read) = read.await else {
        return Err(crate::api::plain(
            StatusCode::REQUEST_TIMEOUT,
            "the request body did not arrive in time",
        ));
    };
    let bytes = match read {
        Ok(c) => c.to_bytes(),
        Err(e) => {
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                return Err(crate::api::plain(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "request body too large",
                ));
            }
            return Err(crate::api::plain(
                StatusCode::BAD_REQUEST,
                "request body could not be read",
            ));
        }
    };
    Ok(Request::from_parts(parts, bytes))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[derive(Clone)]
    struct Ok200;

    impl Handler for Ok200 {
        async fn call(&self, _req: Request<Bytes>) -> Response<Full<Bytes>> {
            Response::new(Full::new(Bytes::from_static(b"ok")))
        }
    }

    /// Answers after a while, as a handler waiting on a session or the store does.
    #[derive(Clone)]
    struct Slow;

    impl Handler for Slow {
        async fn call(&self, _req: Request<Bytes>) -> Response<Full<Bytes>> {
            tokio::time::sleep(Duration::from_millis(200)).await;
            Response::new(Full::new(Bytes::from_static(b"done")))
        }
    }

    const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_request_followed_by_a_half_close_is_still_answered() {
        let server = TestServer::start(ListenerConfig::new(None, 1024), Slow).await;
        let addr = server.addr;
        tokio::task::spawn_blocking(move || {
            for request in [
                &b"GET /x HTTP/1.0\r\n\r\n"[..],
                b"POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc",
            ] {
                let mut s = std::net::TcpStream::connect(addr).unwrap();
                s.write_all(request).unwrap();
                s.shutdown(std::net::Shutdown::Write).unwrap();
                let reply = read_reply(&mut s, Duration::from_secs(30));
                assert!(reply.starts_with("HTTP/1."), "no answer: {reply:?}");
                assert!(reply.contains(" 200 "), "{reply}");
                assert!(reply.ends_with("done"), "{reply}");
            }
        })
        .await
        .unwrap();
        server.stop().await;
    }

    /// A listener on port 0 serving `handler`, stopped by [`TestServer::stop`].
    struct TestServer {
        addr: SocketAddr,
        stop: tokio::sync::oneshot::Sender<()>,
        task: tokio::task::JoinHandle<()>,
    }

    impl TestServer {
        async fn start<H: Handler>(cfg: ListenerConfig, handler: H) -> Self {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let task = tokio::spawn(run(listener, cfg, handler, async {
                let _ = stopped.await;
            }));
            TestServer { addr, stop, task }
        }

        async fn stop(self) {
            self.stop.send(()).unwrap();
            tokio::time::timeout(Duration::from_secs(30), self.task)
                .await
                .expect("server stops")
                .unwrap();
        }
    }

    /// Everything the server sends until it closes (bounded by `limit` as a failure bound).
    fn read_reply(s: &mut std::net::TcpStream, limit: Duration) -> String {
        s.set_read_timeout(Some(limit)).unwrap();
        let mut out = Vec::new();
        s.read_to_end(&mut out).unwrap();
        String::from_utf8_lossy(&out).into_owned()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn connection_cap_holds_new_connections_until_one_closes() {
        let mut cfg = ListenerConfig::new(None, 1024);
        assert_eq!(cfg.max_connections, DEFAULT_MAX_CONNECTIONS);
        cfg.max_connections = 2;
        // Idle connections must stay open for the whole test.
        cfg.handshake_timeout = Duration::from_secs(300);
        let server = TestServer::start(cfg, Ok200).await;
        let addr = server.addr;

        tokio::task::spawn_blocking(move || {
            // Two idle connections take both slots (the backlog is served in order).
            let held1 = std::net::TcpStream::connect(addr).unwrap();
            let mut held2 = std::net::TcpStream::connect(addr).unwrap();
            // A third connects (the kernel completes the handshake) but is not served.
            let mut third = std::net::TcpStream::connect(addr).unwrap();
            third.write_all(GET).unwrap();
            third
                .set_read_timeout(Some(Duration::from_millis(500)))
                .unwrap();
            let mut buf = [0u8; 64];
            match third.read(&mut buf) {
                Ok(n) => panic!("third connection answered while the cap was reached: {n} bytes"),
                Err(e) => assert!(
                    matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ),
                    "{e}"
                ),
            }
            // Freeing one slot lets the third in.
            drop(held1);
            let reply = read_reply(&mut third, Duration::from_secs(30));
            assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
            assert!(reply.ends_with("ok"), "{reply}");
            // The connection that kept its slot is still served.
            held2.write_all(GET).unwrap();
            let reply = read_reply(&mut held2, Duration::from_secs(30));
            assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
        })
        .await
        .unwrap();
        server.stop().await;
    }

    #[test]
    fn target_len_counts_the_uri_as_sent() {
        for target in [
            "/",
            "/platform_api/GetAccountInfo?a=1&b=%20x",
            "http://example.com:8080/p?q=1",
            "example.com:443",
            "*",
        ] {
            let uri: Uri = target.parse().unwrap();
            assert_eq!(target_len(&uri), target.len(), "{target}");
        }
    }
}
