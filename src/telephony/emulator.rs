//! The calls of one session and everything attached to them (docs/telephony.md).
//!
//! The emulator is a deterministic state machine on the session's clock: every method takes
//! `now_ms` (milliseconds since the session started). What it decides to happen later goes
//! into a queue ordered by (time, sequence); [`Emulator::take_due`] turns due items into
//! [`Notice`]s, the events the scenario sees. Everything is recorded in the transcript.
//! Players, recorders, ASR and conferences are in `objects.rs`; far-end steps in `far_end.rs`.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::media::MediaGraph;
use super::peer::{Answer, PeerEvent, PeerScript, PeerTable, NO_ANSWER_MS};
use super::transcript::{By, Transcript, What};
use super::MAX_CALLS;

/// `say` lasts this long per character of its text...
pub const SAY_MS_PER_CHAR: u64 = 60;
/// ...and at least this long.
pub const SAY_MIN_MS: u64 = 500;
/// A URL playback without `#duration=S`.
pub const URL_PLAY_MS: u64 = 3000;
/// Between two DTMF digits of a far end.
pub const DTMF_SPACING_MS: u64 = 100;
/// An ASR's `Result` comes this long after the far end stops speaking.
pub const ASR_RESULT_DELAY_MS: u64 = 300;

/// How long speaking `text` takes.
pub fn speech_ms(text: &str) -> u64 {
    (text.chars().count() as u64)
        .saturating_mul(SAY_MS_PER_CHAR)
        .max(SAY_MIN_MS)
}

/// How long playing `url` takes: `#duration=S` at its end, else [`URL_PLAY_MS`].
pub fn url_ms(url: &str) -> u64 {
    url.rsplit_once("#duration=")
        .and_then(|(_, s)| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0 && *s <= 86_400.0)
        .map_or(URL_PLAY_MS, |s| (s * 1000.0).round() as u64)
}

/// How long a tone script (`createToneScriptPlayer`) plays: the sum of its cadence
/// sections' durations, in the ToneScript form `FREQS;D1(on/off/f,...);D2(...)` with each `D`
/// in seconds (`350@-19,440@-19;10(*/0/1+2)` plays 10 s). `None`: a section of `*` plays
/// until stopped. A script without a readable cadence plays [`URL_PLAY_MS`].
pub fn tone_script_ms(script: &str) -> Option<u64> {
    let mut sections = script.split(';').skip(1).peekable();
    if sections.peek().is_none() {
        return Some(URL_PLAY_MS);
    }
    let mut total = 0.0f64;
    for section in sections {
        let Some((seconds, _)) = section.trim().split_once('(') else {
            return Some(URL_PLAY_MS);
        };
        match seconds.trim() {
            "*" => return None,
            d => match d.parse::<f64>() {
                Ok(d) if d.is_finite() && d >= 0.0 => total += d,
                _ => return Some(URL_PLAY_MS),
            },
        }
    }
    Some((total.min(86_400.0) * 1000.0).round() as u64)
}

/// What the scenario sees: an event for one of its calls or objects. `event` is the member
/// name of the matching events enum (`Connected` of `CallEvents`, `Result` of `ASREvents`);
/// the prelude owns the string values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// An inbound call: `AppEvents.CallAlerting`.
    Alerting { call: CallInfo },
    /// An event of a call, with the fields the typings give it.
    Call {
        call: String,
        event: String,
        fields: Value,
    },
    /// An event of a player, recorder, ASR or conference (known by its id's prefix).
    Object {
        object: String,
        event: String,
        fields: Value,
    },
}

/// What a scenario can ask a call about without an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallInfo {
    pub id: String,
    pub incoming: bool,
    /// The dialled number.
    pub number: String,
    pub callerid: String,
    pub display_name: String,
    pub headers: BTreeMap<String, String>,
    pub state: String,
    /// The caller's custom data (`CallAlerting.customData`, `call.customData()`).
    pub custom_data: Option<String>,
}

/// A call as the scenario sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Alerting,
    Progressing,
    Connected,
    Terminated,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Alerting => "ALERTING",
            State::Progressing => "PROGRESSING",
            State::Connected => "CONNECTED",
            State::Terminated => "TERMINATED",
        }
    }
}

pub(super) struct Call {
    pub(super) info: CallInfo,
    pub(super) state: State,
    pub(super) peer: PeerScript,
    /// The next far-end step to run.
    pub(super) step: usize,
    /// Bumped whenever the far end moves on, so that stale queued steps are ignored.
    pub(super) epoch: u64,
    /// The event the current `wait_for` step waits for.
    pub(super) waiting: Option<PeerEvent>,
    /// Far-end events since the previous step ended.
    pub(super) seen: Vec<PeerEvent>,
    pub(super) handle_tones: bool,
    /// Bumped by each new playback, so that a replaced one does not finish.
    pub(super) playback: u64,
    pub(super) playing: bool,
    pub(super) started_ms: u64,
    pub(super) connected_ms: Option<u64>,
    pub(super) ended_ms: Option<u64>,
    pub(super) record_url: Option<String>,
}

/// Something the emulator will do at a given time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Due {
    Alerting { call: usize },
    Ringing { call: usize },
    Connect { call: usize },
    Fail { call: usize, code: u16 },
    PlaybackDone { call: usize, token: u64 },
    Step { call: usize, epoch: u64 },
    StepTimeout { call: usize, epoch: u64 },
    Digit { call: usize, digit: char },
    Notice(Box<NoticeDue>),
    PlayerDone { player: usize, token: u64 },
    AsrResult { asr: usize, text: String },
}

/// A notice that only has to be delivered (and recorded) at its time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NoticeDue {
    pub(super) call: Option<usize>,
    pub(super) notice: NoticeKey,
}

/// Notices are stored by key and built when delivered, so that they carry the state of
/// that moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum NoticeKey {
    CallEvent {
        event: &'static str,
        fields: String,
    },
    ObjectEvent {
        object: String,
        event: &'static str,
        fields: String,
    },
}

/// An error a scenario's call gets as an exception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError(pub String);

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One call's record for `GetCallHistory` (`with_calls`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallSummary {
    pub call_id: String,
    /// Milliseconds since the session started.
    pub start_ms: u64,
    /// Whole seconds it was connected.
    pub duration_s: u64,
    pub local_number: String,
    pub remote_number: String,
    pub incoming: bool,
    pub successful: bool,
    pub record_url: Option<String>,
}

/// An inbound call to place (`--call-in`, `POST /voxrun/v1/calls`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Inbound {
    pub to: String,
    pub from: String,
    pub display_name: String,
    pub headers: BTreeMap<String, String>,
    pub custom_data: Option<String>,
    pub caller: PeerScript,
}

/// The calls of one session.
#[derive(Default)]
pub struct Emulator {
    pub(super) calls: Vec<Call>,
    pub(super) queue: BTreeMap<(u64, u64), Due>,
    seq: u64,
    outbox: VecDeque<Notice>,
    pub(super) media: MediaGraph,
    pub(super) transcript: Transcript,
    peers: PeerTable,
    pub(super) objects: super::objects::Objects,
    /// Where recordings are said to be (`{id}` is replaced by the recording's name).
    record_base: String,
    /// Put before every call id (`call-1` → `57-call-1` on a server, where call ids must
    /// name their session).
    call_prefix: String,
}

impl Emulator {
    /// An emulator whose outbound calls take their far ends from `peers`, and whose
    /// recordings get URLs under `record_base`.
    pub fn new(peers: PeerTable, record_base: String, call_prefix: String) -> Self {
        Emulator {
            peers,
            record_base,
            call_prefix,
            ..Emulator::default()
        }
    }

    pub fn transcript(&self) -> &Transcript {
        &self.transcript
    }

    pub fn transcript_mut(&mut self) -> &mut Transcript {
        &mut self.transcript
    }

    /// When the next queued item is due (`Some(0)`-like "now" when notices are waiting).
    pub fn next_due(&self) -> Option<u64> {
        if !self.outbox.is_empty() {
            return Some(0);
        }
        self.queue.keys().next().map(|(at, _)| *at)
    }

    /// `true` when nothing is queued: no media event or far-end step can happen by itself.
    pub fn is_idle(&self) -> bool {
        self.outbox.is_empty() && self.queue.is_empty()
    }

    /// The next notice due at `now_ms`, running what falls due on the way.
    pub fn take_due(&mut self, now_ms: u64) -> Option<Notice> {
        loop {
            if let Some(n) = self.outbox.pop_front() {
                return Some(n);
            }
            let (&key, _) = self
                .queue
                .iter()
                .next()
                .filter(|((at, _), _)| *at <= now_ms)?;
            let due = self.queue.remove(&key)?;
            self.run_due(key.0, due);
        }
    }

    pub(super) fn schedule(&mut self, at_ms: u64, due: Due) {
        self.seq += 1;
        self.queue.insert((at_ms, self.seq), due);
    }

    pub(super) fn emit(&mut self, n: Notice) {
        self.outbox.push_back(n);
    }

    /// Queues a call event with its fields, delivered at `at_ms`.
    pub(super) fn call_event(
        &mut self,
        at_ms: u64,
        call: usize,
        event: &'static str,
        fields: Value,
    ) {
        let notice = NoticeKey::CallEvent {
            event,
            fields: fields.to_string(),
        };
        self.schedule(
            at_ms,
            Due::Notice(Box::new(NoticeDue {
                call: Some(call),
                notice,
            })),
        );
    }

    pub(super) fn object_event(
        &mut self,
        at_ms: u64,
        object: &str,
        event: &'static str,
        fields: Value,
    ) {
        let notice = NoticeKey::ObjectEvent {
            object: object.to_string(),
            event,
            fields: fields.to_string(),
        };
        self.schedule(
            at_ms,
            Due::Notice(Box::new(NoticeDue { call: None, notice })),
        );
    }

    pub(super) fn record(&mut self, at_ms: u64, call: Option<usize>, what: What) {
        let id = call
            .and_then(|c| self.calls.get(c))
            .map(|c| c.info.id.clone());
        self.transcript.record(at_ms, id.as_deref(), what);
    }

    /// The index of call `id`, if it exists.
    pub(super) fn find(&self, id: &str) -> Result<usize, CallError> {
        self.calls
            .iter()
            .position(|c| c.info.id == id)
            .ok_or_else(|| CallError(format!("no call {id} in this session")))
    }

    /// The index of call `id` while it is live; `None` once it ended (acting on an ended
    /// call does nothing, as on the platform).
    pub(super) fn live(&self, id: &str) -> Result<Option<usize>, CallError> {
        let i = self.find(id)?;
        Ok((self.calls[i].state != State::Terminated).then_some(i))
    }

    fn new_call(
        &mut self,
        now_ms: u64,
        info: CallInfo,
        peer: PeerScript,
        state: State,
    ) -> Result<usize, CallError> {
        if self.calls.len() >= MAX_CALLS {
            return Err(CallError(format!(
                "too many calls in this session (the limit is {MAX_CALLS})"
            )));
        }
        self.calls.push(Call {
            info,
            state,
            peer,
            step: 0,
            epoch: 0,
            waiting: None,
            seen: Vec::new(),
            handle_tones: false,
            playback: 0,
            playing: false,
            started_ms: now_ms,
            connected_ms: None,
            ended_ms: None,
            record_url: None,
        });
        Ok(self.calls.len() - 1)
    }

    fn next_call_id(&self) -> String {
        format!("{}call-{}", self.call_prefix, self.calls.len() + 1)
    }

    /// An outbound call to `number` (`callPSTN`, `callUser`, `callSIP`, ...); its far end is
    /// the peer table's script for that number.
    pub fn dial(
        &mut self,
        now_ms: u64,
        number: &str,
        callerid: &str,
        display_name: &str,
        headers: BTreeMap<String, String>,
    ) -> Result<String, CallError> {
        let peer = self.peers.for_number(number);
        let info = CallInfo {
            id: self.next_call_id(),
            incoming: false,
            number: number.to_string(),
            callerid: callerid.to_string(),
            display_name: display_name.to_string(),
            headers,
            state: State::Progressing.as_str().to_string(),
            custom_data: None,
        };
        let id = info.id.clone();
        let c = self.new_call(now_ms, info, peer, State::Progressing)?;
        self.record(
            now_ms,
            Some(c),
            What::Dial {
                number: number.to_string(),
                callerid: callerid.to_string(),
            },
        );
        // The platform's `VI-CallTimeout` header: no answer within it → 408.
        let timeout_ms = call_timeout_ms(&self.calls[c].info.headers);
        let give_up = |this: &mut Self, after_ms: u64| {
            this.schedule(
                now_ms.saturating_add(after_ms),
                Due::Fail { call: c, code: 408 },
            );
        };
        match self.calls[c].peer.answer.clone() {
            Answer::After { ms } => {
                self.schedule(now_ms, Due::Ringing { call: c });
                match timeout_ms.filter(|t| *t < ms) {
                    Some(t) => give_up(self, t),
                    None => self.schedule(now_ms.saturating_add(ms), Due::Connect { call: c }),
                }
            }
            Answer::Busy => self.schedule(now_ms, Due::Fail { call: c, code: 486 }),
            Answer::Reject { code } => self.schedule(now_ms, Due::Fail { call: c, code }),
            Answer::NoAnswer => {
                self.schedule(now_ms, Due::Ringing { call: c });
                give_up(
                    self,
                    timeout_ms.map_or(NO_ANSWER_MS, |t| t.min(NO_ANSWER_MS)),
                );
            }
            Answer::Never => {
                self.schedule(now_ms, Due::Ringing { call: c });
                if let Some(t) = timeout_ms {
                    give_up(self, t);
                }
            }
        }
        Ok(id)
    }

    /// An inbound call: recorded now, `CallAlerting` fired through the queue.
    pub fn inbound(&mut self, now_ms: u64, call: Inbound) -> Result<String, CallError> {
        let info = CallInfo {
            id: self.next_call_id(),
            incoming: true,
            number: call.to.clone(),
            callerid: call.from.clone(),
            display_name: call.display_name,
            headers: call.headers,
            state: State::Alerting.as_str().to_string(),
            custom_data: call.custom_data,
        };
        let id = info.id.clone();
        let c = self.new_call(now_ms, info, call.caller, State::Alerting)?;
        self.record(
            now_ms,
            Some(c),
            What::Alerting {
                from: call.from,
                to: call.to,
            },
        );
        self.schedule(now_ms, Due::Alerting { call: c });
        Ok(id)
    }

    pub(super) fn set_state(&mut self, at_ms: u64, c: usize, state: State) {
        let old = self.calls[c].state;
        if old == state {
            return;
        }
        self.calls[c].state = state;
        self.calls[c].info.state = state.as_str().to_string();
        self.call_event(
            at_ms,
            c,
            "StateChanged",
            json!({ "oldState": old.as_str(), "newState": state.as_str() }),
        );
    }

    fn run_due(&mut self, at: u64, due: Due) {
        match due {
            Due::Alerting { call } => {
                let info = self.calls[call].info.clone();
                self.emit(Notice::Alerting { call: info });
            }
            Due::Ringing { call } => {
                if self.calls[call].state == State::Progressing {
                    self.record(at, Some(call), What::Ringing);
                    self.deliver_call(call, "Ringing", json!({ "headers": {} }));
                }
            }
            Due::Connect { call } => self.connect(at, call),
            Due::Fail { call, code } => self.fail(at, call, code),
            Due::PlaybackDone { call, token } => {
                let c = &self.calls[call];
                if c.playback == token && c.playing && c.state != State::Terminated {
                    self.calls[call].playing = false;
                    self.record(at, Some(call), What::PlaybackFinished { player: None });
                    self.deliver_call(call, "PlaybackFinished", json!({}));
                    self.peer_saw(at, call, PeerEvent::PlaybackFinished);
                }
            }
            Due::Step { call, epoch } => {
                if self.calls[call].epoch == epoch {
                    self.step_done(at, call);
                }
            }
            Due::StepTimeout { call, epoch } => {
                if self.calls[call].epoch == epoch && self.calls[call].waiting.is_some() {
                    let step = self.calls[call].step;
                    self.record(at, Some(call), What::PeerTimeout { step });
                    self.step_done(at, call);
                }
            }
            Due::Digit { call, digit } => self.digit_in(at, call, digit),
            Due::Notice(n) => self.deliver(*n),
            Due::PlayerDone { player, token } => self.player_done(at, player, token),
            Due::AsrResult { asr, text } => self.asr_result(at, asr, text),
        }
    }

    fn deliver(&mut self, n: NoticeDue) {
        match n.notice {
            NoticeKey::CallEvent { event, fields } => {
                if let Some(c) = n.call {
                    let fields = serde_json::from_str(&fields).unwrap_or(Value::Null);
                    self.deliver_call(c, event, fields);
                }
            }
            NoticeKey::ObjectEvent {
                object,
                event,
                fields,
            } => {
                let fields = serde_json::from_str(&fields).unwrap_or(Value::Null);
                self.emit(Notice::Object {
                    object,
                    event: event.to_string(),
                    fields,
                });
            }
        }
    }

    pub(super) fn deliver_call(&mut self, c: usize, event: &str, fields: Value) {
        let call = self.calls[c].info.id.clone();
        self.emit(Notice::Call {
            call,
            event: event.to_string(),
            fields,
        });
    }

    fn connect(&mut self, at: u64, c: usize) {
        if matches!(self.calls[c].state, State::Terminated | State::Connected) {
            return;
        }
        self.calls[c].connected_ms = Some(at);
        self.calls[c].playing = false;
        self.record(at, Some(c), What::Connected);
        self.set_state(at, c, State::Connected);
        let custom = self.calls[c].info.headers.get("VI-CallData").cloned();
        let mut fields = json!({ "headers": {} });
        if let Some(data) = custom {
            fields["customData"] = json!(data);
        }
        self.call_event(at, c, "Connected", fields);
        self.call_event(at, c, "AudioStarted", json!({ "headers": {} }));
        self.peer_saw(at, c, PeerEvent::Connected);
        self.run_steps(at, c);
    }

    fn fail(&mut self, at: u64, c: usize, code: u16) {
        if matches!(self.calls[c].state, State::Terminated | State::Connected) {
            return;
        }
        let reason = sip_reason(code).to_string();
        self.record(
            at,
            Some(c),
            What::Failed {
                code,
                reason: reason.clone(),
            },
        );
        self.terminate(at, c);
        self.call_event(
            at,
            c,
            "Failed",
            json!({ "code": code, "reason": reason, "headers": {} }),
        );
    }

    /// The scenario answers an inbound call.
    pub fn answer(&mut self, now_ms: u64, id: &str) -> Result<(), CallError> {
        let Some(c) = self.live(id)? else {
            return Ok(());
        };
        if !self.calls[c].info.incoming {
            return Err(CallError(format!("{id} is an outbound call")));
        }
        if self.calls[c].state == State::Connected {
            return Ok(());
        }
        self.record(now_ms, Some(c), What::Answer);
        self.schedule(now_ms, Due::Connect { call: c });
        Ok(())
    }

    /// The scenario rejects an inbound call (`reject`, `decline`).
    pub fn reject(&mut self, now_ms: u64, id: &str, code: u16) -> Result<(), CallError> {
        let Some(c) = self.live(id)? else {
            return Ok(());
        };
        if self.calls[c].state == State::Connected {
            return Err(CallError(format!("{id} is already connected")));
        }
        self.record(now_ms, Some(c), What::Reject { code });
        self.terminate(now_ms, c);
        Ok(())
    }

    /// `ring()` / `startEarlyMedia()` of an inbound call.
    pub fn ring(&mut self, now_ms: u64, id: &str, early_media: bool) -> Result<(), CallError> {
        let Some(c) = self.live(id)? else {
            return Ok(());
        };
        if self.calls[c].state == State::Alerting {
            self.record(now_ms, Some(c), What::Ringing);
            self.set_state(now_ms, c, State::Progressing);
        }
        if early_media {
            self.call_event(now_ms, c, "AudioStarted", json!({ "headers": {} }));
        }
        Ok(())
    }

    /// The scenario hangs up (any state but terminated).
    pub fn hangup(&mut self, now_ms: u64, id: &str) -> Result<(), CallError> {
        if let Some(c) = self.live(id)? {
            self.record(now_ms, Some(c), What::Hangup { by: By::Scenario });
            self.disconnect(now_ms, c);
        }
        Ok(())
    }

    /// Ends call `c` with `Disconnected` (hangup by either side).
    pub(super) fn disconnect(&mut self, at: u64, c: usize) {
        let connected = self.calls[c].connected_ms;
        self.terminate(at, c);
        self.record(at, Some(c), What::Disconnected);
        let duration = connected.map_or(0, |t| at.saturating_sub(t) / 1000);
        let direction = if self.calls[c].info.incoming {
            "INCOMING"
        } else {
            "OUTGOING"
        };
        self.call_event(
            at,
            c,
            "Disconnected",
            json!({ "headers": {}, "reason": "Normal call clearing", "internalCode": 200,
                    "duration": duration, "cost": 0, "direction": direction }),
        );
    }

    /// Marks call `c` terminated: stops its far end, playback, recording, media and
    /// conferences, and drops what was queued for it.
    fn terminate(&mut self, at: u64, c: usize) {
        self.calls[c].ended_ms = Some(at);
        self.calls[c].epoch += 1;
        self.calls[c].waiting = None;
        self.calls[c].playing = false;
        self.queue.retain(|_, d| !due_of_call(d, c));
        self.stop_call_recording(at, c);
        self.leave_conferences(at, c);
        let id = self.calls[c].info.id.clone();
        self.media.remove_node(&id);
        self.set_state(at, c, State::Terminated);
    }

    /// Per-call summaries for the history.
    pub fn summaries(&self) -> Vec<CallSummary> {
        self.calls
            .iter()
            .map(|c| {
                let end = c.ended_ms.unwrap_or(c.started_ms);
                let (local, remote) = if c.info.incoming {
                    (c.info.number.clone(), c.info.callerid.clone())
                } else {
                    (c.info.callerid.clone(), c.info.number.clone())
                };
                CallSummary {
                    call_id: c.info.id.clone(),
                    start_ms: c.started_ms,
                    duration_s: c.connected_ms.map_or(0, |t| end.saturating_sub(t) / 1000),
                    local_number: local,
                    remote_number: remote,
                    incoming: c.info.incoming,
                    successful: c.connected_ms.is_some(),
                    record_url: c.record_url.clone(),
                }
            })
            .collect()
    }

    /// Ends every live call (the session is ending): recorded, no events.
    pub fn end_all(&mut self, now_ms: u64) {
        for c in 0..self.calls.len() {
            if self.calls[c].state != State::Terminated {
                self.terminate(now_ms, c);
                self.record(now_ms, Some(c), What::Disconnected);
            }
        }
        self.queue.clear();
        self.outbox.clear();
    }

    /// A call's state and fields, for `Call` methods.
    pub fn info(&self, id: &str) -> Result<CallInfo, CallError> {
        Ok(self.calls[self.find(id)?].info.clone())
    }

    /// A recording's URL.
    pub(super) fn record_url(&self, name: &str) -> String {
        format!("{}{name}.mp3", self.record_base)
    }
}

fn due_of_call(d: &Due, c: usize) -> bool {
    match d {
        Due::Alerting { call }
        | Due::Ringing { call }
        | Due::Connect { call }
        | Due::Fail { call, .. }
        | Due::PlaybackDone { call, .. }
        | Due::Step { call, .. }
        | Due::StepTimeout { call, .. }
        | Due::Digit { call, .. } => *call == c,
        Due::Notice(n) => n.call == Some(c),
        Due::PlayerDone { .. } | Due::AsrResult { .. } => false,
    }
}

/// The reason phrase of a SIP final response code.
pub fn sip_reason(code: u16) -> &'static str {
    match code {
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        480 => "Temporarily Unavailable",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        600 => "Busy Everywhere",
        603 => "Decline",
        _ => "Call failed",
    }
}

/// A dialled call's `VI-CallTimeout` header (seconds; the platform takes 10 to 400), in ms.
fn call_timeout_ms(headers: &BTreeMap<String, String>) -> Option<u64> {
    let (_, value) = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("VI-CallTimeout"))?;
    let secs: u64 = value.trim().parse().ok()?;
    Some(secs.clamp(10, 400) * 1000)
}
