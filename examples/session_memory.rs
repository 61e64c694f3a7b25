//! Micro-measurement of an idle session's memory inside one JS thread, without the
//! supervisor or sockets: `N` sessions started one after another on one thread and kept
//! alive, and the growth of the process's RSS divided by `N`.
//!
//! `cargo run --release --example session_memory -- [SESSIONS] [fifty]` (default 1000; `fifty`:
//! the 50-line scenario of `examples/load.rs` instead of a one-line handler). A benchmark,
//! not a test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::rc::Rc;

use tokio::sync::{mpsc, oneshot};
use voxrun::runtime::{
    run_session, ClockSource, Limits, ScenarioSource, SessionLink, SessionMsg, SessionSpec,
    StartResult,
};

struct Discard;

impl SessionLink for Discard {
    fn write(&self, _: &str) {}
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let fifty = std::env::args().nth(2).as_deref() == Some("fifty");
    let source = if fifty {
        support::fifty_lines("Logger.write('started');")
    } else {
        "VoxEngine.addEventListener(AppEvents.HttpRequest, e => 'ok');".to_string()
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async move {
        let before = rss_kib();
        // The inboxes keep the sessions alive (a session ends when its inbox closes).
        let mut alive = Vec::with_capacity(n);
        for i in 0..n {
            let spec = SessionSpec {
                session_id: i as u64 + 1,
                scenarios: vec![ScenarioSource {
                    name: "idle".into(),
                    source: source.clone(),
                }],
                ..SessionSpec::default()
            };
            let (tx, inbox) = mpsc::channel::<SessionMsg>(100);
            let (started_tx, started_rx) = oneshot::channel();
            tokio::task::spawn_local(run_session(
                spec,
                Limits::default(),
                ClockSource::System,
                Rc::new(Discard),
                inbox,
                started_tx,
            ));
            assert_eq!(started_rx.await.unwrap(), StartResult::Started);
            alive.push(tx);
        }
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        let grown = rss_kib().saturating_sub(before);
        println!(
            "{n} idle sessions on one thread ({} scenario): RSS +{grown} KiB = {:.0} KiB per session",
            if fifty { "50-line" } else { "one-line" },
            grown as f64 / n.max(1) as f64
        );
        // Not dropped one by one: only the figure above was wanted.
        std::process::exit(0);
    });
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
