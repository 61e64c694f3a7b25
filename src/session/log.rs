//! A session's log while it runs: lines appended by the runtime (which caps its size, see
//! `Limits::max_log_bytes`), read by the log URL and by followers (`voxrun logs --follow`),
//! and persisted when the session ends.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use tokio::sync::watch;

pub struct SessionLog {
    text: Mutex<String>,
    /// The log is persisted and takes no more lines.
    ended: AtomicBool,
    /// The text's length in bytes, for followers to wait on.
    len: watch::Sender<usize>,
}

impl Default for SessionLog {
    fn default() -> Self {
        SessionLog {
            text: Mutex::new(String::new()),
            ended: AtomicBool::new(false),
            len: watch::channel(0).0,
        }
    }
}

impl SessionLog {
    pub fn new() -> Self {
        Self::default()
    }

    /// Append one entry (a newline is added).
    pub fn push(&self, line: &str) {
        let n = match self.text.lock() {
            Ok(mut t) => {
                t.push_str(line);
                t.push('\n');
                t.len()
            }
            Err(_) => return,
        };
        self.len.send_replace(n);
    }

    pub fn snapshot(&self) -> String {
        self.text.lock().map(|t| t.clone()).unwrap_or_default()
    }

    /// The text from byte `from` on. Offsets a follower got from earlier reads fall between
    /// entries, so they are always character boundaries.
    pub fn text_from(&self, from: usize) -> String {
        self.text
            .lock()
            .map(|t| t.get(from..).unwrap_or_default().to_string())
            .unwrap_or_default()
    }

    /// The session is over and its log persisted: followers get what is left and stop.
    pub fn finish(&self) {
        self.ended.store(true, Ordering::SeqCst);
        self.len.send_modify(|_| {});
    }

    pub fn is_finished(&self) -> bool {
        self.ended.load(Ordering::SeqCst)
    }

    /// Changes of the text's length, for a follower.
    pub fn watch(&self) -> watch::Receiver<usize> {
        self.len.subscribe()
    }
}

/// The `tracing` target of scenarios' own log lines (`RUST_LOG=voxrun::scenario=debug`).
pub const SCENARIO_TARGET: &str = "voxrun::scenario";

/// A scenario's log line on the server's stderr, at DEBUG, with its session id. The
/// control secret is masked, as in logged request paths.
pub fn trace_scenario_line(session: u64, secret: &str, line: &str) {
    if !tracing::enabled!(target: SCENARIO_TARGET, tracing::Level::DEBUG) {
        return;
    }
    let line = crate::runtime::SecretMask::new(Some(secret)).apply(line);
    tracing::debug!(target: SCENARIO_TARGET, session, "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_accumulate_in_order_one_per_line() {
        let log = SessionLog::new();
        log.push("a");
        log.push("b\n  at f");
        assert_eq!(log.snapshot(), "a\nb\n  at f\n");
    }

    #[test]
    fn a_follower_reads_what_is_new_and_sees_the_end() {
        let log = SessionLog::new();
        let mut rx = log.watch();
        log.push("héllo");
        assert!(rx.has_changed().unwrap_or(false));
        let first = log.text_from(0);
        assert_eq!(first, "héllo\n");
        rx.mark_unchanged();
        log.push("second");
        assert_eq!(log.text_from(first.len()), "second\n");
        assert!(!log.is_finished());
        log.finish();
        assert!(log.is_finished());
        assert!(rx.has_changed().unwrap_or(false));
        assert_eq!(log.text_from(usize::MAX), "");
    }
}
