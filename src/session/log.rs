//! A session's log while it runs: lines appended by the runtime (which caps its size, see
//! `Limits::max_log_bytes`), read by the log URL, and persisted when the session ends.

use std::sync::Mutex;

#[derive(Default)]
pub struct SessionLog {
    text: Mutex<String>,
}

impl SessionLog {
    pub fn new() -> Self {
        Self::default()
    }

    /// Append one entry (a newline is added).
    pub fn push(&self, line: &str) {
        if let Ok(mut t) = self.text.lock() {
            t.push_str(line);
            t.push('\n');
        }
    }

    pub fn snapshot(&self) -> String {
        self.text.lock().map(|t| t.clone()).unwrap_or_default()
    }
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
}
