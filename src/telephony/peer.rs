//! Peer scripts: how the far end of a call behaves (docs/telephony.md#far-ends).
//!
//! User input is JSON ([`PeerScript::parse`], [`PeerTable::parse`]); a script that does not
//! validate is refused as a whole, with an error that names `answer` or `steps[N]`. The
//! parsed forms are serde types, so a validated script travels to a worker as it is.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::pattern;

/// At most this many steps in one peer script (docs/telephony.md#limits).
pub const MAX_STEPS: usize = 1000;
/// `answer` when a script gives none: answered after this long.
pub const DEFAULT_ANSWER_MS: u64 = 1000;
/// `"no_answer"` gives up after this long (or the call's own timeout, if shorter).
pub const NO_ANSWER_MS: u64 = 30_000;
/// Longest wait a script may ask for (a day), so that times stay far from overflow.
const MAX_WAIT_MS: u64 = 86_400_000;
/// Longest text of a `say`, `message` or `info` step, in characters.
const MAX_TEXT_CHARS: usize = 10_000;

/// A far end's behaviour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerScript {
    pub answer: Answer,
    pub steps: Vec<Step>,
}

impl Default for PeerScript {
    /// Answers after 1 s and does nothing else.
    fn default() -> Self {
        PeerScript {
            answer: Answer::After {
                ms: DEFAULT_ANSWER_MS,
            },
            steps: Vec::new(),
        }
    }
}

/// How an outbound call is answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// `Ringing` at once, `Connected` after `ms`.
    After { ms: u64 },
    /// `Failed` 486.
    Busy,
    /// `Failed` 408 after 30 s (or the call's timeout).
    NoAnswer,
    /// `Failed` with this code.
    Reject { code: u16 },
    /// Rings until the scenario gives up.
    Never,
}

/// What a `wait_for` step waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PeerEvent {
    Connected,
    PlaybackStarted,
    PlaybackFinished,
    RecordStarted,
    Listening,
    Message,
}

impl PeerEvent {
    const ALL: [(&'static str, PeerEvent); 6] = [
        ("connected", PeerEvent::Connected),
        ("playback_started", PeerEvent::PlaybackStarted),
        ("playback_finished", PeerEvent::PlaybackFinished),
        ("record_started", PeerEvent::RecordStarted),
        ("listening", PeerEvent::Listening),
        ("message", PeerEvent::Message),
    ];

    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, e)| *e == self)
            .map_or("?", |(n, _)| n)
    }

    fn parse(name: &str) -> Option<PeerEvent> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, e)| *e)
    }
}

/// One step of a far end, run in order once the call is connected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Wait {
        ms: u64,
    },
    WaitFor {
        event: PeerEvent,
        timeout_ms: Option<u64>,
    },
    Dtmf {
        digits: String,
    },
    Say {
        text: String,
    },
    Message {
        text: String,
    },
    Info {
        mime: String,
        body: String,
    },
    Hangup,
}

/// Why a peer script was refused: where (`answer`, `steps[3]`, a pattern) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerError {
    pub at: String,
    pub what: String,
}

impl std::fmt::Display for PeerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.what)
    }
}

impl std::error::Error for PeerError {}

fn err(at: impl Into<String>, what: impl Into<String>) -> PeerError {
    PeerError {
        at: at.into(),
        what: what.into(),
    }
}

/// Seconds (a JSON number ≥ 0, at most a day) as milliseconds.
fn seconds(v: &Value, at: &str, field: &str) -> Result<u64, PeerError> {
    let s = v
        .as_f64()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .ok_or_else(|| err(at, format!("\"{field}\" must be a number of seconds ≥ 0")))?;
    let ms = (s * 1000.0).round();
    if ms > MAX_WAIT_MS as f64 {
        return Err(err(at, format!("\"{field}\" is longer than a day")));
    }
    Ok(ms as u64)
}

fn text(v: &Value, at: &str, field: &str) -> Result<String, PeerError> {
    let s = v
        .as_str()
        .ok_or_else(|| err(at, format!("\"{field}\" must be a string")))?;
    if s.chars().count() > MAX_TEXT_CHARS {
        return Err(err(
            at,
            format!("\"{field}\" is longer than {MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(s.to_string())
}

fn only_keys(obj: &Map<String, Value>, at: &str, allowed: &[&str]) -> Result<(), PeerError> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(err(at, format!("unknown field \"{k}\""))),
        None => Ok(()),
    }
}

fn parse_answer(v: &Value) -> Result<Answer, PeerError> {
    const AT: &str = "answer";
    match v {
        Value::String(s) => match s.as_str() {
            "busy" => Ok(Answer::Busy),
            "no_answer" => Ok(Answer::NoAnswer),
            "never" => Ok(Answer::Never),
            other => Err(err(
                AT,
                format!("unknown answer \"{other}\" (expected \"busy\", \"no_answer\", \"never\", {{\"after\": S}} or {{\"reject\": CODE}})"),
            )),
        },
        Value::Object(obj) => {
            if let Some(after) = obj.get("after") {
                only_keys(obj, AT, &["after"])?;
                return Ok(Answer::After {
                    ms: seconds(after, AT, "after")?,
                });
            }
            if let Some(code) = obj.get("reject") {
                only_keys(obj, AT, &["reject"])?;
                let code = code
                    .as_u64()
                    .filter(|c| (300..=699).contains(c))
                    .ok_or_else(|| err(AT, "\"reject\" must be a SIP code from 300 to 699"))?;
                return Ok(Answer::Reject { code: code as u16 });
            }
            Err(err(AT, "expected {\"after\": S} or {\"reject\": CODE}"))
        }
        _ => Err(err(AT, "must be a string or an object")),
    }
}

fn parse_step(i: usize, v: &Value) -> Result<Step, PeerError> {
    let at = format!("steps[{i}]");
    let obj = v
        .as_object()
        .ok_or_else(|| err(&at, "must be an object with one action"))?;
    let action = [
        "wait", "wait_for", "dtmf", "say", "message", "info", "hangup",
    ]
    .into_iter()
    .find(|a| obj.contains_key(*a))
    .ok_or_else(|| {
        err(
            &at,
            "names no action (expected one of wait, wait_for, dtmf, say, message, info, hangup)",
        )
    })?;
    let value = &obj[action];
    match action {
        "wait" => {
            only_keys(obj, &at, &["wait"])?;
            Ok(Step::Wait {
                ms: seconds(value, &at, "wait")?,
            })
        }
        "wait_for" => {
            only_keys(obj, &at, &["wait_for", "timeout"])?;
            let name = value
                .as_str()
                .ok_or_else(|| err(&at, "\"wait_for\" must be an event name"))?;
            let event = PeerEvent::parse(name).ok_or_else(|| {
                let names: Vec<&str> = PeerEvent::ALL.iter().map(|(n, _)| *n).collect();
                err(
                    &at,
                    format!(
                        "unknown event \"{name}\" (expected one of {})",
                        names.join(", ")
                    ),
                )
            })?;
            let timeout_ms = match obj.get("timeout") {
                None => None,
                Some(t) => Some(seconds(t, &at, "timeout")?),
            };
            Ok(Step::WaitFor { event, timeout_ms })
        }
        "dtmf" => {
            only_keys(obj, &at, &["dtmf"])?;
            let digits = text(value, &at, "dtmf")?;
            if digits.is_empty() {
                return Err(err(&at, "\"dtmf\" is empty"));
            }
            if let Some(c) = super::first_non_dtmf(&digits) {
                return Err(err(
                    &at,
                    format!(
                        "\"dtmf\" has {c:?}, not a DTMF digit ({})",
                        super::DTMF_DIGITS
                    ),
                ));
            }
            Ok(Step::Dtmf { digits })
        }
        "say" => {
            only_keys(obj, &at, &["say"])?;
            Ok(Step::Say {
                text: text(value, &at, "say")?,
            })
        }
        "message" => {
            only_keys(obj, &at, &["message"])?;
            Ok(Step::Message {
                text: text(value, &at, "message")?,
            })
        }
        "info" => {
            only_keys(obj, &at, &["info"])?;
            let info = value
                .as_object()
                .ok_or_else(|| err(&at, "\"info\" must be {\"mime\", \"body\"}"))?;
            only_keys(info, &at, &["mime", "body"])?;
            let mime = text(info.get("mime").unwrap_or(&Value::Null), &at, "info.mime")?;
            let body = text(info.get("body").unwrap_or(&Value::Null), &at, "info.body")?;
            Ok(Step::Info { mime, body })
        }
        _ => {
            only_keys(obj, &at, &["hangup"])?;
            if value != &Value::Bool(true) {
                return Err(err(&at, "\"hangup\" must be true"));
            }
            Ok(Step::Hangup)
        }
    }
}

impl PeerScript {
    /// Validates a peer script given as JSON.
    pub fn parse(v: &Value) -> Result<PeerScript, PeerError> {
        let obj = v
            .as_object()
            .ok_or_else(|| err("peer script", "must be a JSON object"))?;
        only_keys(obj, "peer script", &["answer", "steps"])?;
        let answer = match obj.get("answer") {
            None => PeerScript::default().answer,
            Some(a) => parse_answer(a)?,
        };
        let steps = match obj.get("steps") {
            None => Vec::new(),
            Some(Value::Array(list)) => {
                if list.len() > MAX_STEPS {
                    return Err(err(
                        "steps",
                        format!("has {} steps; at most {MAX_STEPS} are allowed", list.len()),
                    ));
                }
                list.iter()
                    .enumerate()
                    .map(|(i, s)| parse_step(i, s))
                    .collect::<Result<_, _>>()?
            }
            Some(_) => return Err(err("steps", "must be an array")),
        };
        Ok(PeerScript { answer, steps })
    }

    /// [`PeerScript::parse`] of JSON text.
    pub fn parse_str(text: &str) -> Result<PeerScript, PeerError> {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| err("peer script", format!("is not valid JSON: {e}")))?;
        PeerScript::parse(&v)
    }
}

/// Number patterns (whole match, rule-pattern syntax) to peer scripts, in the order given;
/// the first pattern that matches a dialled number gives its far end.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerTable {
    pub entries: Vec<(String, PeerScript)>,
}

impl PeerTable {
    /// Validates `{"PATTERN": PEER, ...}`; errors name the pattern.
    pub fn parse(v: &Value) -> Result<PeerTable, PeerError> {
        let obj = v.as_object().ok_or_else(|| {
            err(
                "peers",
                "must be a JSON object of number patterns to peer scripts",
            )
        })?;
        let mut entries = Vec::with_capacity(obj.len());
        for (pat, script) in obj {
            if pattern::compile(pat).is_none() {
                return Err(err(
                    format!("peers[{pat:?}]"),
                    "is not a valid number pattern",
                ));
            }
            let script = PeerScript::parse(script).map_err(|e| PeerError {
                at: format!("peers[{pat:?}].{}", e.at),
                what: e.what,
            })?;
            entries.push((pat.clone(), script));
        }
        Ok(PeerTable { entries })
    }

    /// [`PeerTable::parse`] of JSON text, keeping the patterns in the order written
    /// (a parsed [`Value`] object would sort them).
    pub fn parse_str(text: &str) -> Result<PeerTable, PeerError> {
        let ordered: Ordered = serde_json::from_str(text).map_err(|e| {
            err(
                "peers",
                format!("is not a JSON object of number patterns to peer scripts: {e}"),
            )
        })?;
        let mut entries = Vec::with_capacity(ordered.0.len());
        for (pat, script) in ordered.0 {
            let one = PeerTable::parse(&Value::Object(Map::from_iter([(pat, script)])))?;
            entries.extend(one.entries);
        }
        Ok(PeerTable { entries })
    }

    /// The far end for a dialled number: the first matching pattern's, else the default.
    pub fn for_number(&self, number: &str) -> PeerScript {
        self.entries
            .iter()
            .find(|(pat, _)| pattern::compile(pat).is_some_and(|re| re.is_match(number)))
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    }

    /// The table as the JSON object it was parsed from.
    pub fn to_json(&self) -> Value {
        let mut obj = Map::new();
        for (pat, script) in &self.entries {
            obj.insert(pat.clone(), script.to_json());
        }
        Value::Object(obj)
    }
}

/// A JSON object's members in the order written.
struct Ordered(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, Value>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(Visit)
    }
}

impl PeerScript {
    /// The script as JSON, in the input format.
    pub fn to_json(&self) -> Value {
        let secs = |ms: u64| serde_json::json!(ms as f64 / 1000.0);
        let answer = match &self.answer {
            Answer::After { ms } => serde_json::json!({ "after": secs(*ms) }),
            Answer::Busy => Value::from("busy"),
            Answer::NoAnswer => Value::from("no_answer"),
            Answer::Never => Value::from("never"),
            Answer::Reject { code } => serde_json::json!({ "reject": code }),
        };
        let steps: Vec<Value> = self
            .steps
            .iter()
            .map(|s| match s {
                Step::Wait { ms } => serde_json::json!({ "wait": secs(*ms) }),
                Step::WaitFor { event, timeout_ms } => {
                    let mut v = serde_json::json!({ "wait_for": event.as_str() });
                    if let Some(t) = timeout_ms {
                        v["timeout"] = secs(*t);
                    }
                    v
                }
                Step::Dtmf { digits } => serde_json::json!({ "dtmf": digits }),
                Step::Say { text } => serde_json::json!({ "say": text }),
                Step::Message { text } => serde_json::json!({ "message": text }),
                Step::Info { mime, body } => {
                    serde_json::json!({ "info": { "mime": mime, "body": body } })
                }
                Step::Hangup => serde_json::json!({ "hangup": true }),
            })
            .collect();
        serde_json::json!({ "answer": answer, "steps": steps })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_full_script_parses_and_round_trips() {
        let v = json!({"answer": {"after": 1.5}, "steps": [
            {"wait_for": "playback_finished", "timeout": 10}, {"dtmf": "1#"}, {"wait": 2},
            {"say": "I want to pay"}, {"message": "hi"}, {"info": {"mime": "a/b", "body": "x"}},
            {"hangup": true}]});
        let s = PeerScript::parse(&v).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.answer, Answer::After { ms: 1500 });
        assert_eq!(s.steps.len(), 7);
        assert_eq!(PeerScript::parse(&s.to_json()), Ok(s));
    }

    #[test]
    fn errors_name_the_step_and_the_problem() {
        let bad = |v: Value| PeerScript::parse(&v).err().map(|e| e.to_string());
        assert_eq!(
            bad(json!({"steps": [{"wait": 1}, {"dtmf": "1x"}]})),
            Some("steps[1]: \"dtmf\" has 'x', not a DTMF digit (0-9, *, #, A-D)".into())
        );
        assert_eq!(
            bad(json!({"steps": [{"jump": 1}]}))
                .map(|s| s.starts_with("steps[0]: names no action")),
            Some(true)
        );
        assert_eq!(
            bad(json!({"answer": "maybe"}))
                .map(|s| s.starts_with("answer: unknown answer \"maybe\"")),
            Some(true)
        );
        assert_eq!(
            bad(json!({"steps": [{"wait_for": "dinner"}]}))
                .map(|s| s.starts_with("steps[0]: unknown event \"dinner\"")),
            Some(true)
        );
        assert_eq!(
            bad(json!({"steps": [{"wait": -1}]})),
            Some("steps[0]: \"wait\" must be a number of seconds ≥ 0".into())
        );
        assert_eq!(
            bad(json!({"answer": {"reject": 200}})),
            Some("answer: \"reject\" must be a SIP code from 300 to 699".into())
        );
        let many: Vec<Value> = (0..1001).map(|_| json!({"wait": 1})).collect();
        assert_eq!(
            bad(json!({ "steps": many })),
            Some("steps: has 1001 steps; at most 1000 are allowed".into())
        );
    }

    #[test]
    fn the_table_picks_the_first_matching_pattern_else_the_default() {
        let t =
            PeerTable::parse_str(r#"{"\\+1555.*": {"answer": "busy"}, ".*": {"answer": "never"}}"#)
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.for_number("+15550001").answer, Answer::Busy);
        assert_eq!(t.for_number("+4400").answer, Answer::Never);
        assert_eq!(PeerTable::default().for_number("1"), PeerScript::default());
        let t = PeerTable::parse_str(r#"{"9.*": {"answer": "busy"}, "1.*": {"answer": "never"}}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        let order: Vec<&str> = t.entries.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(order, ["9.*", "1.*"]);
        let e = PeerTable::parse(&json!({"(": {}}))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e,
            Some("peers[\"(\"]: is not a valid number pattern".into())
        );
        let e = PeerTable::parse(&json!({"1": {"steps": [{"hangup": 1}]}}))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e,
            Some("peers[\"1\"].steps[0]: \"hangup\" must be true".into())
        );
    }
}
