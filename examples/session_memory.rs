//! Micro-measurement of an idle session's memory inside one JS thread, without the
//! supervisor or sockets: `N` sessions started one after another on one thread and kept
//! alive, and the growth of the process's RSS divided by `N`.
//!
//! `cargo run --release --example session_memory -- [SESSIONS] [fifty]` (default 1000; `fifty`:
//! the 50-line scenario of `examples/load.rs` instead of a one-line handler). A benchmark,
//! not a test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use voxrun::runtime::StartResult;

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
    support::on_one_js_thread(async move {
        let before = support::process_rss_kib("/proc/self/status");
        // The inboxes keep the sessions alive (a session ends when its inbox closes).
        let mut alive = Vec::with_capacity(n);
        for i in 0..n {
            let session = support::spawn_session(i as u64 + 1, &source, None);
            assert_eq!(session.started.await.unwrap(), StartResult::Started);
            alive.push(session.inbox);
        }
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        let grown = support::process_rss_kib("/proc/self/status").saturating_sub(before);
        println!(
            "{n} idle sessions on one thread ({} scenario): RSS +{grown} KiB = {:.0} KiB per session",
            if fifty { "50-line" } else { "one-line" },
            grown as f64 / n.max(1) as f64
        );
        // Not dropped one by one: only the figure above was wanted.
        std::process::exit(0);
    });
}
