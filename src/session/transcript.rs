//! A live session's transcript in the supervisor: the entries received so far, the calls
//! they name, and a watch that followers (`?follow=1`) wait on.

use std::sync::Mutex;

use tokio::sync::watch;

pub struct LiveTranscript {
    /// The session ended and its last entry is in.
    ended: std::sync::atomic::AtomicBool,
    lines: Mutex<Vec<String>>,
    calls: Mutex<Vec<String>>,
    /// The number of entries; closed (dropped) when the session's entry goes away.
    len: watch::Sender<usize>,
}

impl Default for LiveTranscript {
    fn default() -> Self {
        LiveTranscript {
            ended: std::sync::atomic::AtomicBool::new(false),
            lines: Mutex::new(Vec::new()),
            calls: Mutex::new(Vec::new()),
            len: watch::channel(0).0,
        }
    }
}

impl LiveTranscript {
    /// Appends one entry (a JSON line); a `dial` or `alerting` entry adds its call.
    pub fn push(&self, line: &str) {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
            let what = v.get("what").and_then(|w| w.as_str());
            if matches!(what, Some("dial" | "alerting")) {
                if let (Some(call), Ok(mut calls)) =
                    (v.get("call").and_then(|c| c.as_str()), self.calls.lock())
                {
                    calls.push(call.to_string());
                }
            }
        }
        let n = match self.lines.lock() {
            Ok(mut lines) => {
                lines.push(line.to_string());
                lines.len()
            }
            Err(_) => return,
        };
        self.len.send_replace(n);
    }

    /// The session is over: followers get what is left and stop.
    pub fn finish(&self) {
        self.ended.store(true, std::sync::atomic::Ordering::SeqCst);
        self.len.send_modify(|_| {});
    }

    pub fn is_finished(&self) -> bool {
        self.ended.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The entries from `from` on.
    pub fn lines_from(&self, from: usize) -> Vec<String> {
        self.lines
            .lock()
            .map(|l| l.get(from..).map(<[String]>::to_vec).unwrap_or_default())
            .unwrap_or_default()
    }

    /// The calls of the session, in the order they were placed.
    pub fn calls(&self) -> Vec<String> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// Changes of the entry count, for a follower.
    pub fn watch(&self) -> watch::Receiver<usize> {
        self.len.subscribe()
    }
}
