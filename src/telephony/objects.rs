//! Players, recorders, ASR and conferences, and the media routing between them and calls.

use serde_json::json;

use super::emulator::{speech_ms, url_ms, CallError, Due, Emulator, State};
use super::peer::PeerEvent;
use super::transcript::What;
use super::{MAX_ASRS, MAX_CONFERENCES};

/// What a player plays.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PlayerSource {
    Tts { text: String, voice: String },
    Url { url: String },
    Tones { script: String },
}

#[derive(Debug, Default)]
pub(super) struct Objects {
    players: Vec<Player>,
    recorders: Vec<Recorder>,
    asrs: Vec<Asr>,
    conferences: Vec<Conference>,
    endpoints: usize,
}

#[derive(Debug)]
struct Player {
    id: String,
    token: u64,
    playing: bool,
    /// When it finishes, while it plays; `None`: it plays until stopped.
    due_ms: Option<u64>,
    /// Paused (`pause()` or created `onPause`): what was left of it then.
    paused: Option<Option<u64>>,
}

#[derive(Debug)]
struct Recorder {
    id: String,
    url: String,
    started_ms: u64,
    on: bool,
}

#[derive(Debug)]
struct Asr {
    id: String,
    on: bool,
}

#[derive(Debug)]
struct Conference {
    id: String,
    on: bool,
    /// (endpoint id, call id)
    members: Vec<(String, String)>,
}

impl Objects {
    pub(super) fn asr_index(&self, id: &str) -> Option<usize> {
        self.asrs.iter().position(|a| a.id == id && a.on)
    }
}

impl Emulator {
    /// A player (`createTTSPlayer`, `createURLPlayer`, `createToneScriptPlayer`): it
    /// starts at once; `looped` never finishes.
    pub fn create_player(
        &mut self,
        now_ms: u64,
        source: PlayerSource,
        looped: bool,
        on_pause: bool,
    ) -> String {
        let id = format!("player-{}", self.objects.players.len() + 1);
        // `None`: plays until stopped.
        let ms = match &source {
            PlayerSource::Tts { text, voice } => {
                self.transcript.record(
                    now_ms,
                    None,
                    What::Say {
                        text: text.clone(),
                        voice: voice.clone(),
                        player: Some(id.clone()),
                    },
                );
                Some(speech_ms(text))
            }
            PlayerSource::Url { url } => {
                self.record_player_play(now_ms, &id, url.clone());
                Some(url_ms(url))
            }
            PlayerSource::Tones { script } => {
                self.record_player_play(now_ms, &id, format!("tones:{script}"));
                super::emulator::tone_script_ms(script)
            }
        };
        let ms = if looped { None } else { ms };
        self.objects.players.push(Player {
            id: id.clone(),
            token: 1,
            playing: true,
            due_ms: ms.map(|ms| now_ms.saturating_add(ms)),
            paused: on_pause.then_some(ms),
        });
        let index = self.objects.players.len() - 1;
        self.object_event(now_ms, &id, "Created", json!({}));
        self.object_event(
            now_ms,
            &id,
            "Started",
            json!({ "duration": ms.map_or(-1.0, |m| m as f64 / 1000.0) }),
        );
        if let (false, Some(ms)) = (on_pause, ms) {
            self.schedule(
                now_ms.saturating_add(ms),
                Due::PlayerDone {
                    player: index,
                    token: 1,
                },
            );
        }
        id
    }

    fn record_player_play(&mut self, now_ms: u64, id: &str, url: String) {
        self.transcript.record(
            now_ms,
            None,
            What::Play {
                url,
                player: Some(id.to_string()),
            },
        );
    }

    pub(super) fn player_done(&mut self, at: u64, player: usize, token: u64) {
        let Some(p) = self.objects.players.get_mut(player) else {
            return;
        };
        if p.token != token || !p.playing {
            return;
        }
        p.playing = false;
        let id = p.id.clone();
        self.transcript.record(
            at,
            None,
            What::PlaybackFinished {
                player: Some(id.clone()),
            },
        );
        self.object_event(at, &id, "PlaybackFinished", json!({}));
        for target in self.media.targets(&id) {
            if let Ok(c) = self.find(&target) {
                self.peer_saw(at, c, PeerEvent::PlaybackFinished);
            }
        }
    }

    /// `player.stop()`.
    pub fn stop_player(&mut self, now_ms: u64, id: &str) -> Result<(), CallError> {
        let index = self.player_index(id)?;
        let p = &mut self.objects.players[index];
        if p.playing {
            p.playing = false;
            p.token += 1;
            self.object_event(now_ms, id, "Stopped", json!({}));
        }
        Ok(())
    }

    /// `player.pause()`: the player holds; its end moves by as long as it stays paused.
    pub fn pause_player(&mut self, now_ms: u64, id: &str) -> Result<(), CallError> {
        let index = self.player_index(id)?;
        let p = &mut self.objects.players[index];
        if !p.playing || p.paused.is_some() {
            return Ok(());
        }
        p.paused = Some(p.due_ms.map(|d| d.saturating_sub(now_ms)));
        p.token += 1;
        let player = p.id.clone();
        self.transcript
            .record(now_ms, None, What::PlayerPaused { player });
        Ok(())
    }

    /// `player.resume()`: a paused player (or one created `onPause`) plays on.
    pub fn resume_player(&mut self, now_ms: u64, id: &str) -> Result<(), CallError> {
        let index = self.player_index(id)?;
        let p = &mut self.objects.players[index];
        let Some(left) = p.paused.take().filter(|_| p.playing) else {
            return Ok(());
        };
        p.due_ms = left.map(|l| now_ms.saturating_add(l));
        let (due, token, player) = (p.due_ms, p.token, p.id.clone());
        self.transcript
            .record(now_ms, None, What::PlayerResumed { player });
        if let Some(at) = due {
            self.schedule(
                at,
                Due::PlayerDone {
                    player: index,
                    token,
                },
            );
        }
        Ok(())
    }

    fn player_index(&self, id: &str) -> Result<usize, CallError> {
        self.objects
            .players
            .iter()
            .position(|p| p.id == id)
            .ok_or_else(|| CallError(format!("no player {id}")))
    }

    /// `createRecorder()`: records what is sent to it; returns (id, url).
    pub fn create_recorder(&mut self, now_ms: u64) -> (String, String) {
        let id = format!("recorder-{}", self.objects.recorders.len() + 1);
        let url = self.record_url(&id);
        self.transcript.record(
            now_ms,
            None,
            What::RecordStarted {
                url: url.clone(),
                recorder: Some(id.clone()),
            },
        );
        self.objects.recorders.push(Recorder {
            id: id.clone(),
            url: url.clone(),
            started_ms: now_ms,
            on: true,
        });
        self.object_event(now_ms, &id, "Started", json!({ "url": url }));
        (id, url)
    }

    /// `recorder.stop()`.
    pub fn stop_recorder(&mut self, now_ms: u64, id: &str) -> Result<(), CallError> {
        let r = self
            .objects
            .recorders
            .iter_mut()
            .find(|r| r.id == id)
            .ok_or_else(|| CallError(format!("no recorder {id}")))?;
        if !r.on {
            return Ok(());
        }
        r.on = false;
        let fields = json!({ "url": r.url, "cost": "0", "duration": now_ms.saturating_sub(r.started_ms) / 1000 });
        self.transcript.record(
            now_ms,
            None,
            What::RecordStopped {
                recorder: Some(id.to_string()),
            },
        );
        self.media.remove_node(id);
        self.object_event(now_ms, id, "Stopped", fields);
        Ok(())
    }

    /// `createASR()`.
    pub fn create_asr(&mut self, now_ms: u64) -> Result<String, CallError> {
        if self.objects.asrs.len() >= MAX_ASRS {
            return Err(CallError(format!(
                "too many ASR instances in this session (the limit is {MAX_ASRS})"
            )));
        }
        let id = format!("asr-{}", self.objects.asrs.len() + 1);
        self.objects.asrs.push(Asr {
            id: id.clone(),
            on: true,
        });
        self.object_event(now_ms, &id, "Started", json!({}));
        Ok(id)
    }

    /// `asr.stop()`.
    pub fn stop_asr(&mut self, now_ms: u64, id: &str) -> Result<(), CallError> {
        let a = self
            .objects
            .asrs
            .iter_mut()
            .find(|a| a.id == id)
            .ok_or_else(|| CallError(format!("no ASR {id}")))?;
        if a.on {
            a.on = false;
            self.media.remove_node(id);
            self.object_event(now_ms, id, "Stopped", json!({}));
        }
        Ok(())
    }

    pub(super) fn asr_result(&mut self, at: u64, asr: usize, text: String) {
        let Some(a) = self.objects.asrs.get(asr).filter(|a| a.on) else {
            return;
        };
        let id = a.id.clone();
        self.transcript.record(
            at,
            None,
            What::AsrResult {
                text: text.clone(),
                asr: id.clone(),
            },
        );
        self.object_event(at, &id, "SpeechCaptured", json!({}));
        self.object_event(
            at,
            &id,
            "Result",
            json!({ "text": text, "confidence": 100 }),
        );
    }

    /// `createConference()`.
    pub fn create_conference(&mut self, now_ms: u64) -> Result<String, CallError> {
        if self.objects.conferences.len() >= MAX_CONFERENCES {
            return Err(CallError(format!(
                "too many conferences in this session (the limit is {MAX_CONFERENCES})"
            )));
        }
        let id = format!("conference-{}", self.objects.conferences.len() + 1);
        self.objects.conferences.push(Conference {
            id: id.clone(),
            on: true,
            members: Vec::new(),
        });
        self.object_event(now_ms, &id, "Started", json!({}));
        Ok(id)
    }

    /// `conference.add({call})` or media between a call and a conference: the call joins
    /// (both directions of media). Returns the endpoint id.
    pub fn conference_join(
        &mut self,
        now_ms: u64,
        conf: &str,
        call: &str,
    ) -> Result<String, CallError> {
        let c = self.find(call)?;
        let k = self.conference(conf)?;
        if let Some((ep, _)) = self.objects.conferences[k]
            .members
            .iter()
            .find(|(_, m)| m == call)
        {
            return Ok(ep.clone());
        }
        if self.calls[c].state == State::Terminated {
            return Err(CallError(format!("call {call} has ended")));
        }
        self.objects.endpoints += 1;
        let ep = format!("endpoint-{}", self.objects.endpoints);
        self.objects.conferences[k]
            .members
            .push((ep.clone(), call.to_string()));
        self.record(
            now_ms,
            Some(c),
            What::ConferenceJoin {
                conference: conf.to_string(),
            },
        );
        self.set_media(now_ms, call, conf, true);
        self.set_media(now_ms, conf, call, true);
        self.object_event(
            now_ms,
            conf,
            "EndpointAdded",
            json!({ "endpoint": ep, "call": call }),
        );
        Ok(ep)
    }

    fn conference(&self, id: &str) -> Result<usize, CallError> {
        self.objects
            .conferences
            .iter()
            .position(|k| k.id == id && k.on)
            .ok_or_else(|| CallError(format!("no running conference {id}")))
    }

    /// A call leaves every conference it is in (it ended).
    pub(super) fn leave_conferences(&mut self, at: u64, c: usize) {
        let call = self.calls[c].info.id.clone();
        let mut left = Vec::new();
        for k in &mut self.objects.conferences {
            if let Some(i) = k.members.iter().position(|(_, m)| *m == call) {
                let (ep, _) = k.members.remove(i);
                left.push((k.id.clone(), ep));
            }
        }
        for (conf, ep) in left {
            self.record(
                at,
                Some(c),
                What::ConferenceLeave {
                    conference: conf.clone(),
                },
            );
            self.object_event(
                at,
                &conf,
                "EndpointRemoved",
                json!({ "endpoint": ep, "call": call }),
            );
        }
    }

    /// `conference.stop()`: every member leaves.
    pub fn stop_conference(&mut self, now_ms: u64, id: &str) -> Result<(), CallError> {
        let k = self.conference(id)?;
        let members = std::mem::take(&mut self.objects.conferences[k].members);
        self.objects.conferences[k].on = false;
        for (ep, call) in members {
            if let Ok(c) = self.find(&call) {
                self.record(
                    now_ms,
                    Some(c),
                    What::ConferenceLeave {
                        conference: id.to_string(),
                    },
                );
            }
            self.object_event(
                now_ms,
                id,
                "EndpointRemoved",
                json!({ "endpoint": ep, "call": call }),
            );
        }
        self.media.remove_node(id);
        self.object_event(now_ms, id, "Stopped", json!({}));
        Ok(())
    }

    /// Media `from → to` on or off (`sendMediaTo`, `stopMediaTo`). A call sending to a
    /// conference joins it; the far end of a call whose media starts reaching an ASR is
    /// told it is `listening`.
    pub fn media(&mut self, now_ms: u64, from: &str, to: &str, on: bool) -> Result<(), CallError> {
        self.check_node(from)?;
        self.check_node(to)?;
        if on && from.starts_with("call-") && to.starts_with("conference-") {
            self.conference_join(now_ms, to, from)?;
            return Ok(());
        }
        self.set_media(now_ms, from, to, on);
        Ok(())
    }

    fn set_media(&mut self, now_ms: u64, from: &str, to: &str, on: bool) {
        let heard_before: Vec<bool> = (0..self.calls.len()).map(|c| self.reaches_asr(c)).collect();
        let changed = if on {
            self.media.connect(from, to)
        } else {
            self.media.disconnect(from, to)
        };
        if !changed {
            return;
        }
        self.transcript.record(
            now_ms,
            None,
            What::Media {
                from: from.to_string(),
                to: to.to_string(),
                on,
            },
        );
        if !on {
            return;
        }
        // Far ends whose media now reaches an ASR are being listened to.
        for (c, before) in heard_before.into_iter().enumerate() {
            if !before && self.reaches_asr(c) {
                self.peer_saw(now_ms, c, PeerEvent::Listening);
            }
        }
        // A playing player sent to a call counts as that call's playback.
        let playing = self
            .objects
            .players
            .iter()
            .any(|p| p.id == from && p.playing);
        if let (true, Ok(c)) = (playing, self.find(to)) {
            self.peer_saw(now_ms, c, PeerEvent::PlaybackStarted);
        }
    }

    /// Whether call `c`'s media reaches a running ASR.
    fn reaches_asr(&self, c: usize) -> bool {
        let id = &self.calls[c].info.id;
        self.media
            .reach(id)
            .iter()
            .any(|n| self.objects.asr_index(n).is_some())
    }

    fn check_node(&self, id: &str) -> Result<(), CallError> {
        let known = self.calls.iter().any(|c| c.info.id == id)
            || self.objects.players.iter().any(|p| p.id == id)
            || self.objects.recorders.iter().any(|r| r.id == id)
            || self.objects.asrs.iter().any(|a| a.id == id)
            || self.objects.conferences.iter().any(|k| k.id == id);
        if known {
            Ok(())
        } else {
            Err(CallError(format!(
                "no call or media object {id} in this session"
            )))
        }
    }
}
