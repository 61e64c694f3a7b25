//! Micro-measurement of one session start on one thread, without HTTP: the context, the
//! prelude, the 50-line scenario of `examples/load.rs`, and `Started` (the time until
//! `run_session` signals `started`), repeated sequentially.
//!
//! `cargo run --release --example start_cost -- [STARTS] [spare]` (default 2000). Prints
//! p50/p90/p99 and the mean per start (wall and thread CPU time), and whole sessions/s of
//! one thread (CPU of the spare contexts' builds included). `spare`: keep a context ready,
//! as worker processes do. A benchmark, not a test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use voxrun::runtime::{FinishReason, SessionMsg, StartResult};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    // `spare`: as in a worker process, each start takes a context built in idle time.
    let spare = std::env::args().nth(2).as_deref() == Some("spare");
    if spare {
        voxrun::runtime::keep_spare_contexts();
    }
    support::on_one_js_thread(async move {
        let source = support::fifty_lines("Logger.write('started');");
        let mut times = Vec::with_capacity(n);
        let mut cpu = Vec::with_capacity(n);
        let warmup = n / 10;
        let all = Instant::now();
        for i in 0..n + warmup {
            // Idle time between starts (the spare context is built in it).
            for _ in 0..4 {
                tokio::task::yield_now().await;
            }
            let t0 = Instant::now();
            let c0 = support::thread_cpu();
            let session = support::spawn_session(i as u64 + 1, &source, None);
            let started = session.started.await.unwrap();
            let dt = t0.elapsed();
            let dc = support::thread_cpu() - c0;
            assert_eq!(started, StartResult::Started);
            let _ = session
                .inbox
                .send(SessionMsg::Terminate {
                    reason: FinishReason::Admin,
                })
                .await;
            session.task.await.unwrap();
            if i >= warmup {
                times.push(dt);
                cpu.push(dc);
            }
        }
        let total = all.elapsed();
        let total_cpu = support::thread_cpu();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        for (what, v) in [("wall", &mut times), ("thread CPU", &mut cpu)] {
            v.sort();
            let pct = |p: f64| v[((v.len() as f64 - 1.0) * p) as usize];
            let mean: Duration = v.iter().sum::<Duration>() / v.len() as u32;
            println!(
                "{n} starts, {what}: p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, mean {:.3} ms",
                ms(pct(0.5)),
                ms(pct(0.9)),
                ms(pct(0.99)),
                ms(mean),
            );
        }
        println!(
            "whole sessions (start, terminate, drop): {:.0}/s wall, {:.0}/s per CPU second",
            (n + warmup) as f64 / total.as_secs_f64(),
            (n + warmup) as f64 / total_cpu.as_secs_f64()
        );
    });
}
