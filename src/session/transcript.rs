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
    pub fn push(&self, line: String) {
        // Most entries (one per control request, media, DTMF) name no new call: only a
        // line that mentions one of the two kinds is parsed.
        let may_name_a_call = line.contains("\"dial\"") || line.contains("\"alerting\"");
        if let Some(v) = may_name_a_call
            .then(|| serde_json::from_str::<serde_json::Value>(&line).ok())
            .flatten()
        {
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
                lines.push(line);
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

/// The calls a transcript names, summed up from its entries: what a session that could not
/// report its own end (its worker died) leaves in `GetCallHistory`'s `calls`.
pub fn calls_of(lines: &[String]) -> Vec<crate::telephony::CallSummary> {
    use serde_json::Value;
    struct Seen {
        summary: crate::telephony::CallSummary,
        connected_ms: Option<u64>,
        ended: bool,
    }
    let ms = |v: &Value| (v["t"].as_f64().unwrap_or(0.0).max(0.0) * 1000.0).round() as u64;
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut calls: Vec<Seen> = Vec::new();
    for line in lines {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let Some(call) = v["call"].as_str() else {
            continue;
        };
        let at = ms(&v);
        let what = v["what"].as_str().unwrap_or_default();
        if matches!(what, "dial" | "alerting") {
            let incoming = what == "alerting";
            let (local, remote) = if incoming {
                (text(&v["to"]), text(&v["from"]))
            } else {
                (text(&v["callerid"]), text(&v["number"]))
            };
            calls.push(Seen {
                summary: crate::telephony::CallSummary {
                    call_id: call.to_string(),
                    start_ms: at,
                    duration_s: 0,
                    local_number: local,
                    remote_number: remote,
                    incoming,
                    successful: false,
                    record_url: None,
                },
                connected_ms: None,
                ended: false,
            });
            continue;
        }
        let Some(seen) = calls.iter_mut().find(|c| c.summary.call_id == call) else {
            continue;
        };
        match what {
            "connected" => {
                seen.summary.successful = true;
                seen.connected_ms = Some(at);
            }
            "record_started" => seen.summary.record_url = v["url"].as_str().map(str::to_string),
            "disconnected" | "failed" if !seen.ended => {
                seen.ended = true;
                if let Some(from) = seen.connected_ms {
                    seen.summary.duration_s = at.saturating_sub(from) / 1000;
                }
            }
            _ => {}
        }
    }
    calls.into_iter().map(|c| c.summary).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_summed_up_from_the_entries_received() {
        let lines: Vec<String> = [
            r#"{"t":0.0,"call":"1-call-1","what":"alerting","from":"+15550001","to":"+18005550100"}"#,
            r#"{"t":0.5,"call":"1-call-1","what":"connected"}"#,
            r#"{"t":1.0,"call":"1-call-1","what":"record_started","url":"https://h/r.mp3"}"#,
            r#"{"t":2.0,"call":"1-call-2","what":"dial","number":"+15557777","callerid":"+18005550100"}"#,
            r#"{"t":3.0,"call":"1-call-2","what":"failed","code":486,"reason":"Busy"}"#,
            r#"{"t":12.6,"call":"1-call-1","what":"disconnected"}"#,
            r#"{"t":13.0,"call":null,"what":"session_end","reason":"x"}"#,
            "not json",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let calls = calls_of(&lines);
        assert_eq!(calls.len(), 2);
        let inbound = &calls[0];
        assert!(inbound.incoming && inbound.successful);
        assert_eq!(
            (
                inbound.local_number.as_str(),
                inbound.remote_number.as_str()
            ),
            ("+18005550100", "+15550001")
        );
        assert_eq!(inbound.duration_s, 12);
        assert_eq!(inbound.record_url.as_deref(), Some("https://h/r.mp3"));
        let outbound = &calls[1];
        assert!(!outbound.incoming && !outbound.successful);
        assert_eq!(outbound.remote_number, "+15557777");
        assert_eq!(outbound.start_ms, 2000);
        assert_eq!(outbound.duration_s, 0);
    }
}
