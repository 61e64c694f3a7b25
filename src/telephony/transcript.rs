//! The transcript (docs/telephony.md#the-transcript): what happened to a session's calls, one JSON object per
//! entry, `{"t", "call", "what", ...}`. It is what tests assert on, so its shape is the
//! contract: the [`What`] variants and their field names.

use serde::{Deserialize, Serialize};

/// At most this many entries are kept per session; later ones are only counted.
pub const MAX_ENTRIES: usize = 10_000;

/// Who hung a call up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    Scenario,
    Peer,
}

/// One entry's kind and its fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum What {
    Dial {
        number: String,
        callerid: String,
    },
    Alerting {
        from: String,
        to: String,
    },
    Ringing,
    Answer,
    Reject {
        code: u16,
    },
    Connected,
    Failed {
        code: u16,
        reason: String,
    },
    Say {
        text: String,
        voice: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player: Option<String>,
    },
    Play {
        url: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player: Option<String>,
    },
    PlaybackFinished {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player: Option<String>,
    },
    /// `player.pause()`: it holds where it is.
    PlayerPaused {
        player: String,
    },
    /// `player.resume()`: it plays on from there.
    PlayerResumed {
        player: String,
    },
    RecordStarted {
        url: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        recorder: Option<String>,
    },
    RecordStopped {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        recorder: Option<String>,
    },
    DtmfIn {
        digit: String,
    },
    DtmfOut {
        digits: String,
    },
    SpeechIn {
        text: String,
    },
    AsrResult {
        text: String,
        asr: String,
    },
    MessageIn {
        text: String,
    },
    MessageOut {
        text: String,
    },
    InfoIn {
        mime: String,
        body: String,
    },
    InfoOut {
        mime: String,
        body: String,
    },
    Media {
        from: String,
        to: String,
        on: bool,
    },
    ConferenceJoin {
        conference: String,
    },
    ConferenceLeave {
        conference: String,
    },
    Hangup {
        by: By,
    },
    Disconnected,
    PeerTimeout {
        step: usize,
    },
    NotEmulated {
        api: String,
    },
    Request {
        method: String,
        path: String,
        status: u16,
    },
    SessionEnd {
        reason: String,
        #[serde(default, skip_serializing_if = "is_zero")]
        dropped: u64,
    },
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One entry: when (seconds since the session started, 3 decimals), which call, what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub t: f64,
    pub call: Option<String>,
    #[serde(flatten)]
    pub what: What,
}

/// A session's transcript: the first [`MAX_ENTRIES`] entries, and how many were dropped.
#[derive(Debug, Clone, Default)]
pub struct Transcript {
    entries: Vec<Entry>,
    dropped: u64,
}

impl Transcript {
    /// Appends an entry at `at_ms` since the session started.
    pub fn record(&mut self, at_ms: u64, call: Option<&str>, what: What) {
        if self.entries.len() >= MAX_ENTRIES {
            self.dropped = self.dropped.saturating_add(1);
            return;
        }
        self.entries.push(Entry {
            t: seconds(at_ms),
            call: call.map(str::to_string),
            what,
        });
    }

    /// The last entry, even over the cap (`session_end` must always be there).
    pub fn record_final(&mut self, at_ms: u64, reason: &str) {
        let what = What::SessionEnd {
            reason: reason.to_string(),
            dropped: self.dropped,
        };
        self.entries.push(Entry {
            t: seconds(at_ms),
            call: None,
            what,
        });
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// How many entries went over the cap.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries from `from` on, as JSON lines.
    pub fn lines_from(&self, from: usize) -> Vec<String> {
        self.entries
            .get(from..)
            .unwrap_or_default()
            .iter()
            .map(entry_line)
            .collect()
    }
}

/// One entry as its JSON line.
pub fn entry_line(e: &Entry) -> String {
    serde_json::to_string(e).unwrap_or_else(|_| String::from("{}"))
}

/// Milliseconds as seconds with at most 3 decimals.
fn seconds(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_have_the_contract_shape() {
        let mut t = Transcript::default();
        t.record(1500, Some("call-1"), What::DtmfIn { digit: "1".into() });
        t.record(0, None, What::Hangup { by: By::Peer });
        t.record(
            2,
            Some("call-1"),
            What::Say {
                text: "hi".into(),
                voice: "v".into(),
                player: None,
            },
        );
        assert_eq!(
            t.lines_from(0),
            [
                r#"{"t":1.5,"call":"call-1","what":"dtmf_in","digit":"1"}"#,
                r#"{"t":0.0,"call":null,"what":"hangup","by":"peer"}"#,
                r#"{"t":0.002,"call":"call-1","what":"say","text":"hi","voice":"v"}"#,
            ]
        );
    }

    #[test]
    fn over_the_cap_entries_are_counted_and_the_end_is_kept() {
        let mut t = Transcript::default();
        for i in 0..MAX_ENTRIES + 5 {
            t.record(i as u64, None, What::Ringing);
        }
        t.record_final(1, "Normal");
        assert_eq!(t.len(), MAX_ENTRIES + 1);
        assert_eq!(t.dropped(), 5);
        assert!(t.lines_from(MAX_ENTRIES)[0].contains(r#""dropped":5"#));
    }
}
