//! A session's log while it runs: lines appended by the runtime, read by the log URL, and
//! persisted when the session ends.

use std::sync::Mutex;

/// Most bytes one session's log keeps; later lines are dropped with one notice (SPEC §7).
pub const MAX_LOG_BYTES: usize = 4 * 1024 * 1024;

#[derive(Default)]
pub struct SessionLog {
    text: Mutex<LogText>,
}

#[derive(Default)]
struct LogText {
    buf: String,
    truncated: bool,
}

impl SessionLog {
    pub fn new() -> Self {
        Self::default()
    }

    /// Append one line (a newline is added).
    pub fn push(&self, line: &str) {
        let Ok(mut t) = self.text.lock() else { return };
        if t.truncated {
            return;
        }
        if t.buf.len() + line.len() + 1 > MAX_LOG_BYTES {
            t.truncated = true;
            t.buf
                .push_str("... log truncated: the session wrote more than the log keeps\n");
            return;
        }
        t.buf.push_str(line);
        t.buf.push('\n');
    }

    pub fn snapshot(&self) -> String {
        self.text.lock().map(|t| t.buf.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_accumulate_and_stop_at_the_cap_with_one_notice() {
        let log = SessionLog::new();
        log.push("a");
        log.push("b");
        assert_eq!(log.snapshot(), "a\nb\n");
        let big = "x".repeat(MAX_LOG_BYTES);
        log.push(&big);
        log.push("c");
        let s = log.snapshot();
        assert!(s.starts_with("a\nb\n... log truncated"));
        assert_eq!(s.lines().count(), 3);
    }
}
