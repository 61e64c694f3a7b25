//! Micro-measurement of one control request inside a session, without sockets: the
//! `HttpRequest` event made for the script, the dispatch, a trivial handler
//! (`e => 'ok'`), the reply, the session's log line and transcript entry. One thread,
//! requests one after another (each waits for its reply), as a worker's JS thread runs a
//! session under load.
//!
//! `cargo run --release --example event_cost -- [REQUESTS]` (default 100000). Prints the
//! thread CPU time per request. A benchmark, not a test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::rc::Rc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use voxrun::runtime::{
    run_session, ClockSource, FinishReason, HttpEvent, Limits, ReplyTo, ScenarioSource,
    SessionLink, SessionMsg, SessionSpec, StartResult,
};

struct Discard;

impl SessionLink for Discard {
    fn write(&self, _: &str) {}
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async move {
        let spec = SessionSpec {
            session_id: 1,
            scenarios: vec![ScenarioSource {
                name: "trivial".into(),
                source: "VoxEngine.addEventListener(AppEvents.HttpRequest, e => 'ok');".into(),
            }],
            control_secret: Some("s3cret".into()),
            ..SessionSpec::default()
        };
        let (tx, inbox) = mpsc::channel::<SessionMsg>(4);
        let (started_tx, started_rx) = oneshot::channel();
        let session = tokio::task::spawn_local(run_session(
            spec,
            Limits::default(),
            ClockSource::System,
            Rc::new(Discard),
            inbox,
            started_tx,
        ));
        assert_eq!(started_rx.await.unwrap(), StartResult::Started);
        let warmup = n / 10;
        let mut c0 = thread_cpu();
        for i in 0..n + warmup {
            if i == warmup {
                c0 = thread_cpu();
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
        let cpu = thread_cpu() - c0;
        println!(
            "{n} control requests: {:.2} µs of thread CPU each",
            cpu.as_secs_f64() * 1e6 / n as f64
        );
        let _ = tx
            .send(SessionMsg::Terminate {
                reason: FinishReason::Admin,
            })
            .await;
        session.await.unwrap();
    });
}

/// CPU time of the calling thread.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}
