//! Micro-measurement of one control request inside a session, without sockets: the
//! `HttpRequest` event made for the script, the dispatch, a trivial handler
//! (`e => 'ok'`), the reply, the session's log line and transcript entry. One thread,
//! requests one after another (each waits for its reply), as a worker's JS thread runs a
//! session under load.
//!
//! `cargo run --release --example event_cost -- [REQUESTS]` (default 100000). Prints the
//! thread CPU time per request. A benchmark, not a test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use tokio::sync::oneshot;
use voxrun::runtime::{FinishReason, HttpEvent, ReplyTo, SessionMsg, StartResult};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    support::on_one_js_thread(async move {
        let handler = "VoxEngine.addEventListener(AppEvents.HttpRequest, e => 'ok');";
        let session = support::spawn_session(1, handler, Some("s3cret"));
        let tx = session.inbox;
        assert_eq!(session.started.await.unwrap(), StartResult::Started);
        let warmup = n / 10;
        let mut c0 = support::thread_cpu();
        for i in 0..n + warmup {
            if i == warmup {
                c0 = support::thread_cpu();
            }
            let event = HttpEvent {
                method: "GET".into(),
                path: "/request/t0k3n/s3cret".into(),
                content: String::new(),
                headers: Vec::new(),
            };
            let (reply_tx, reply_rx) = oneshot::channel();
            let reply = ReplyTo::callback(move |r| {
                let _ = reply_tx.send(r);
            });
            tx.send(SessionMsg::Http(event, reply)).await.unwrap();
            let r = reply_rx.await.unwrap().unwrap();
            assert_eq!(r.body, b"ok");
        }
        let cpu = support::thread_cpu() - c0;
        println!(
            "{n} control requests: {:.2} µs of thread CPU each",
            cpu.as_secs_f64() * 1e6 / n as f64
        );
        let _ = tx
            .send(SessionMsg::Terminate {
                reason: FinishReason::Admin,
            })
            .await;
        session.task.await.unwrap();
    });
}
