//! A call's far end (its peer script's steps, and live far-end actions from the server API)
//! and what the scenario does to a call's media: say, play, record, DTMF, messages.

use serde_json::json;

use super::emulator::{
    speech_ms, url_ms, CallError, Due, Emulator, State, ASR_RESULT_DELAY_MS, DTMF_SPACING_MS,
};
use super::peer::{PeerEvent, Step};
use super::transcript::{By, What};

impl Emulator {
    /// Runs the far end's steps from the current one until one has to wait.
    pub(super) fn run_steps(&mut self, at: u64, c: usize) {
        loop {
            let call = &self.calls[c];
            if call.state != State::Connected || call.waiting.is_some() {
                return;
            }
            let Some(step) = call.peer.steps.get(call.step).cloned() else {
                return;
            };
            let epoch = call.epoch;
            match step {
                Step::Wait { ms } => {
                    self.schedule(at.saturating_add(ms), Due::Step { call: c, epoch });
                    return;
                }
                Step::WaitFor { event, timeout_ms } => {
                    if let Some(i) = self.calls[c].seen.iter().position(|e| *e == event) {
                        self.calls[c].seen.remove(i);
                        self.advance(c);
                        continue;
                    }
                    self.calls[c].waiting = Some(event);
                    if let Some(t) = timeout_ms {
                        self.schedule(at.saturating_add(t), Due::StepTimeout { call: c, epoch });
                    }
                    return;
                }
                Step::Dtmf { digits } => {
                    let mut t = at;
                    for (i, d) in digits.chars().enumerate() {
                        t = at.saturating_add(i as u64 * DTMF_SPACING_MS);
                        self.schedule(t, Due::Digit { call: c, digit: d });
                    }
                    self.schedule(t, Due::Step { call: c, epoch });
                    return;
                }
                Step::Say { text } => {
                    let end = self.far_end_speaks(at, c, &text);
                    self.schedule(end, Due::Step { call: c, epoch });
                    return;
                }
                Step::Message { text } => {
                    self.record(at, Some(c), What::MessageIn { text: text.clone() });
                    self.call_event(
                        at,
                        c,
                        "MessageReceived",
                        json!({ "text": text, "headers": {} }),
                    );
                    self.advance(c);
                }
                Step::Info { mime, body } => {
                    self.record(
                        at,
                        Some(c),
                        What::InfoIn {
                            mime: mime.clone(),
                            body: body.clone(),
                        },
                    );
                    self.call_event(
                        at,
                        c,
                        "InfoReceived",
                        json!({ "mimeType": mime, "body": body, "headers": {} }),
                    );
                    self.advance(c);
                }
                Step::Hangup => {
                    self.advance(c);
                    self.record(at, Some(c), What::Hangup { by: By::Peer });
                    self.disconnect(at, c);
                    return;
                }
            }
        }
    }

    /// The current step is over: the next one starts, with a clean slate of seen events.
    fn advance(&mut self, c: usize) {
        let call = &mut self.calls[c];
        call.step += 1;
        call.epoch += 1;
        call.waiting = None;
        call.seen.clear();
    }

    pub(super) fn step_done(&mut self, at: u64, c: usize) {
        self.advance(c);
        self.run_steps(at, c);
    }

    /// The far end of `c` notices `event` (its own media, a message...).
    pub(super) fn peer_saw(&mut self, at: u64, c: usize, event: PeerEvent) {
        if self.calls[c].state == State::Terminated {
            return;
        }
        if self.calls[c].waiting == Some(event) {
            self.step_done(at, c);
        } else {
            self.calls[c].seen.push(event);
        }
    }

    /// The far end of `c` speaks `text`: every ASR its media reaches hears it. Returns when
    /// the speech ends.
    fn far_end_speaks(&mut self, at: u64, c: usize, text: &str) -> u64 {
        self.record(
            at,
            Some(c),
            What::SpeechIn {
                text: text.to_string(),
            },
        );
        let end = at.saturating_add(speech_ms(text));
        let id = self.calls[c].info.id.clone();
        for target in self.media.reach(&id) {
            if let Some(asr) = self.objects.asr_index(&target) {
                self.object_event(at, &target, "CaptureStarted", json!({}));
                self.schedule(
                    end.saturating_add(ASR_RESULT_DELAY_MS),
                    Due::AsrResult {
                        asr,
                        text: text.to_string(),
                    },
                );
            }
        }
        end
    }

    /// A DTMF digit from the far end: recorded either way, `ToneReceived` if tones are
    /// handled.
    pub(super) fn digit_in(&mut self, at: u64, c: usize, digit: char) {
        if self.calls[c].state == State::Terminated {
            return;
        }
        self.record(
            at,
            Some(c),
            What::DtmfIn {
                digit: digit.to_string(),
            },
        );
        if self.calls[c].handle_tones {
            self.deliver_call(
                c,
                "ToneReceived",
                json!({ "tone": digit.to_string(), "type": "RFC2833" }),
            );
        }
    }

    /// Starts a playback on call `c` that lasts `ms`, or for good when `None`. It replaces
    /// the one playing, which ends without `PlaybackFinished` (only `stopPlayback` and a
    /// playback's natural end fire it).
    fn start_playback(&mut self, at: u64, c: usize, ms: Option<u64>) {
        let call = &mut self.calls[c];
        call.playback += 1;
        call.playing = true;
        let token = call.playback;
        self.call_event(at, c, "PlaybackReady", json!({}));
        self.call_event(
            at,
            c,
            "PlaybackStarted",
            json!({ "duration": ms.map_or(-1.0, |m| m as f64 / 1000.0) }),
        );
        if let Some(ms) = ms {
            self.schedule(at.saturating_add(ms), Due::PlaybackDone { call: c, token });
        }
        self.peer_saw(at, c, PeerEvent::PlaybackStarted);
    }

    /// `call.say(text)` with the voice named `voice`.
    pub fn say(&mut self, now_ms: u64, id: &str, text: &str, voice: &str) -> Result<(), CallError> {
        let Some(c) = self.live(id)? else {
            return Ok(());
        };
        self.record(
            now_ms,
            Some(c),
            What::Say {
                text: text.to_string(),
                voice: voice.to_string(),
                player: None,
            },
        );
        self.start_playback(now_ms, c, Some(speech_ms(text)));
        Ok(())
    }

    /// `call.startPlayback(url, {loop})`.
    pub fn play(
        &mut self,
        now_ms: u64,
        id: &str,
        url: &str,
        looped: bool,
    ) -> Result<(), CallError> {
        let Some(c) = self.live(id)? else {
            return Ok(());
        };
        self.record(
            now_ms,
            Some(c),
            What::Play {
                url: url.to_string(),
                player: None,
            },
        );
        let ms = (!looped).then(|| url_ms(url));
        self.start_playback(now_ms, c, ms);
        Ok(())
    }

    /// `call.playProgressTone(country)`: plays until replaced or stopped.
    pub fn progress_tone(&mut self, now_ms: u64, id: &str, country: &str) -> Result<(), CallError> {
        let Some(c) = self.live(id)? else {
            return Ok(());
        };
        self.record(
            now_ms,
            Some(c),
            What::Play {
                url: format!("progress-tone:{country}"),
                player: None,
            },
        );
        let call = &mut self.calls[c];
        call.playback += 1;
        call.playing = true;
        Ok(())
    }

    /// `call.stopPlayback()`: the playback finishes at once.
    pub fn stop_playback(&mut self, now_ms: u64, id: &str) -> Result<(), CallError> {
        let Some(c) = self.live(id)? else {
            return Ok(());
        };
        if self.calls[c].playing {
            let call = &mut self.calls[c];
            call.playing = false;
            call.playback += 1;
            self.record(now_ms, Some(c), What::PlaybackFinished { player: None });
            self.call_event(now_ms, c, "PlaybackFinished", json!({}));
            self.peer_saw(now_ms, c, PeerEvent::PlaybackFinished);
        }
        Ok(())
    }

    /// `call.record()`: returns the recording's URL.
    pub fn record_call(&mut self, now_ms: u64, id: &str) -> Result<Option<String>, CallError> {
        let Some(c) = self.live(id)? else {
            return Ok(None);
        };
        if let Some(url) = self.calls[c].record_url.clone() {
            return Ok(Some(url));
        }
        let url = self.record_url(id);
        self.calls[c].record_url = Some(url.clone());
        self.record(
            now_ms,
            Some(c),
            What::RecordStarted {
                url: url.clone(),
                recorder: None,
            },
        );
        self.call_event(now_ms, c, "RecordStarted", json!({ "url": url }));
        self.peer_saw(now_ms, c, PeerEvent::RecordStarted);
        Ok(Some(url))
    }

    /// A call's recording stops with the call.
    pub(super) fn stop_call_recording(&mut self, at: u64, c: usize) {
        if let Some(url) = self.calls[c].record_url.clone() {
            if self.calls[c].state != State::Terminated {
                let started = self.calls[c]
                    .connected_ms
                    .unwrap_or(self.calls[c].started_ms);
                self.record(at, Some(c), What::RecordStopped { recorder: None });
                self.call_event(
                    at,
                    c,
                    "RecordStopped",
                    json!({ "url": url, "cost": "0", "duration": at.saturating_sub(started) / 1000 }),
                );
            }
        }
    }

    pub fn handle_tones(&mut self, id: &str, on: bool) -> Result<(), CallError> {
        let c = self.find(id)?;
        self.calls[c].handle_tones = on;
        Ok(())
    }

    pub fn send_digits(&mut self, now_ms: u64, id: &str, digits: &str) -> Result<(), CallError> {
        if let Some(c) = self.live(id)? {
            self.record(
                now_ms,
                Some(c),
                What::DtmfOut {
                    digits: digits.to_string(),
                },
            );
        }
        Ok(())
    }

    pub fn send_message(&mut self, now_ms: u64, id: &str, text: &str) -> Result<(), CallError> {
        if let Some(c) = self.live(id)? {
            self.record(
                now_ms,
                Some(c),
                What::MessageOut {
                    text: text.to_string(),
                },
            );
            self.peer_saw(now_ms, c, PeerEvent::Message);
        }
        Ok(())
    }

    pub fn send_info(
        &mut self,
        now_ms: u64,
        id: &str,
        mime: &str,
        body: &str,
    ) -> Result<(), CallError> {
        if let Some(c) = self.live(id)? {
            self.record(
                now_ms,
                Some(c),
                What::InfoOut {
                    mime: mime.to_string(),
                    body: body.to_string(),
                },
            );
        }
        Ok(())
    }

    /// A live far-end action (the server's `/voxrun/v1/calls/{id}/...`): acts now, beside
    /// the peer script.
    pub fn far_end_act(&mut self, now_ms: u64, id: &str, act: &FarEndAct) -> Result<(), CallError> {
        let c = self.find(id)?;
        if self.calls[c].state == State::Terminated {
            return Err(CallError(format!("call {id} has ended")));
        }
        match act {
            FarEndAct::Dtmf(digits) => {
                for (i, d) in digits.chars().enumerate() {
                    let t = now_ms.saturating_add(i as u64 * DTMF_SPACING_MS);
                    self.schedule(t, Due::Digit { call: c, digit: d });
                }
            }
            FarEndAct::Say(text) => {
                self.far_end_speaks(now_ms, c, text);
            }
            FarEndAct::Message(text) => {
                self.record(now_ms, Some(c), What::MessageIn { text: text.clone() });
                self.call_event(
                    now_ms,
                    c,
                    "MessageReceived",
                    json!({ "text": text, "headers": {} }),
                );
            }
            FarEndAct::Hangup => {
                self.record(now_ms, Some(c), What::Hangup { by: By::Peer });
                self.disconnect(now_ms, c);
            }
            FarEndAct::Answer | FarEndAct::Reject(_) => {
                let call = &self.calls[c];
                if call.info.incoming {
                    return Err(CallError(format!(
                        "call {id} is inbound: its far end placed it and cannot answer it"
                    )));
                }
                if call.state != State::Progressing {
                    return Err(CallError(format!("call {id} is no longer ringing")));
                }
                match act {
                    FarEndAct::Reject(code) => self.schedule(
                        now_ms,
                        Due::Fail {
                            call: c,
                            code: *code,
                        },
                    ),
                    _ => self.schedule(now_ms, Due::Connect { call: c }),
                }
            }
        }
        Ok(())
    }
}

/// The DTMF digits a far end can send.
pub const DTMF_DIGITS: &str = "0-9, *, #, A-D";

/// The first character of `digits` that is no DTMF digit ([`DTMF_DIGITS`]).
pub fn first_non_dtmf(digits: &str) -> Option<char> {
    digits
        .chars()
        .find(|c| !matches!(c, '0'..='9' | '*' | '#' | 'A'..='D'))
}

/// What a far end can be told to do live.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FarEndAct {
    Dtmf(String),
    Say(String),
    Message(String),
    Hangup,
    /// Answer a ringing outbound call (a far end that a test drives).
    Answer,
    /// Refuse a ringing outbound call with this SIP code.
    Reject(u16),
}
