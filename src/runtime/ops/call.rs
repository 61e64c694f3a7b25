//! `op_call_*`, `op_media_*`, `op_player_*`, `op_recorder_*`, `op_asr_*`, `op_conference_*`:
//! the emulated calls (docs/telephony.md). Typed arguments (Boa's `TryFromJs`); the prelude
//! (`50_calls.js`) normalizes what scripts pass before calling them. The state lives in the
//! session's [`crate::telephony::Emulator`]; events come back through the session loop.

use std::collections::BTreeMap;
use std::rc::Rc;

use boa_engine::{Context, IntoJsFunctionCopied, JsResult, JsValue, NativeFunction};

use super::error;
use crate::runtime::host::{host, Host, Phase};
use crate::telephony::transcript::What;
use crate::telephony::{CallError, Emulator, PlayerSource};

/// One typed op: its JS name and how to build it.
pub(crate) type TypedOp = (&'static str, fn(&mut Context) -> NativeFunction);

macro_rules! typed {
    ($name:literal, $f:expr) => {
        ($name, |ctx: &mut Context| ($f).into_js_function_copied(ctx))
    };
}

pub(super) const OPS: &[TypedOp] = &[
    typed!("op_call_dial", op_call_dial),
    typed!("op_call_info", op_call_info),
    typed!("op_call_answer", op_call_answer),
    typed!("op_call_reject", op_call_reject),
    typed!("op_call_ring", op_call_ring),
    typed!("op_call_hangup", op_call_hangup),
    typed!("op_call_say", op_call_say),
    typed!("op_call_play", op_call_play),
    typed!("op_call_progress_tone", op_call_progress_tone),
    typed!("op_call_stop_playback", op_call_stop_playback),
    typed!("op_call_record", op_call_record),
    typed!("op_call_handle_tones", op_call_handle_tones),
    typed!("op_call_send_digits", op_call_send_digits),
    typed!("op_call_send_message", op_call_send_message),
    typed!("op_call_send_info", op_call_send_info),
    typed!("op_call_not_emulated", op_call_not_emulated),
    typed!("op_media_send", op_media_send),
    typed!("op_player_create", op_player_create),
    typed!("op_player_stop", op_player_stop),
    typed!("op_player_pause", op_player_pause),
    typed!("op_player_resume", op_player_resume),
    typed!("op_recorder_create", op_recorder_create),
    typed!("op_recorder_stop", op_recorder_stop),
    typed!("op_asr_create", op_asr_create),
    typed!("op_asr_stop", op_asr_stop),
    typed!("op_conference_create", op_conference_create),
    typed!("op_conference_add", op_conference_add),
    typed!("op_conference_stop", op_conference_stop),
];

/// Runs `f` on the session's emulator at the session's time; a [`CallError`] becomes an
/// `Error` whose message starts with `api`.
fn with_calls<R>(
    ctx: &mut Context,
    api: &str,
    f: impl FnOnce(&mut Emulator, u64) -> Result<R, CallError>,
) -> JsResult<R> {
    let h: Rc<Host> = host(ctx)?;
    let now = h.media_now();
    let mut calls = h.calls.borrow_mut();
    f(&mut calls, now).map_err(|e| error(format!("{api}: {e}")))
}

/// New calls and objects only while the session runs (not in Terminating/Terminated).
fn running(ctx: &mut Context, api: &str) -> JsResult<()> {
    if host(ctx)?.phase.get() == Phase::Running {
        Ok(())
    } else {
        Err(error(format!("{api}: the session is ending")))
    }
}

fn op_call_dial(
    api: String,
    number: String,
    callerid: String,
    display_name: Option<String>,
    headers: Option<BTreeMap<String, String>>,
    ctx: &mut Context,
) -> JsResult<String> {
    running(ctx, &api)?;
    let name = display_name.unwrap_or_default();
    with_calls(ctx, &api, |e, now| {
        e.dial(now, &number, &callerid, &name, headers.unwrap_or_default())
    })
}

/// `op_call_info(id)` → `{id, incoming, number, callerid, display_name, headers, state}`.
fn op_call_info(id: String, ctx: &mut Context) -> JsResult<JsValue> {
    let info = with_calls(ctx, "Call", |e, _| e.info(&id))?;
    let json = serde_json::to_value(info).map_err(|e| error(e.to_string()))?;
    JsValue::from_json(&json, ctx)
}

fn op_call_answer(id: String, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "Call.answer", |e, now| e.answer(now, &id))
}

fn op_call_reject(id: String, code: f64, ctx: &mut Context) -> JsResult<()> {
    let code = if (300.0..700.0).contains(&code) {
        code as u16
    } else {
        486
    };
    with_calls(ctx, "Call.reject", |e, now| e.reject(now, &id, code))
}

fn op_call_ring(id: String, early_media: bool, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "Call.ring", |e, now| e.ring(now, &id, early_media))
}

fn op_call_hangup(id: String, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "Call.hangup", |e, now| e.hangup(now, &id))
}

fn op_call_say(id: String, text: String, voice: String, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "Call.say", |e, now| e.say(now, &id, &text, &voice))
}

fn op_call_play(id: String, url: String, looped: bool, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "Call.startPlayback", |e, now| {
        e.play(now, &id, &url, looped)
    })
}

fn op_call_progress_tone(id: String, country: String, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "Call.playProgressTone", |e, now| {
        e.progress_tone(now, &id, &country)
    })
}

fn op_call_stop_playback(id: String, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "Call.stopPlayback", |e, now| e.stop_playback(now, &id))
}

fn op_call_record(id: String, ctx: &mut Context) -> JsResult<Option<String>> {
    with_calls(ctx, "Call.record", |e, now| e.record_call(now, &id))
}

fn op_call_handle_tones(id: String, on: bool, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "Call.handleTones", |e, _| e.handle_tones(&id, on))
}

fn op_call_send_digits(id: String, digits: String, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "Call.sendDigits", |e, now| {
        e.send_digits(now, &id, &digits)
    })
}

fn op_call_send_message(id: String, text: String, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "Call.sendMessage", |e, now| {
        e.send_message(now, &id, &text)
    })
}

fn op_call_send_info(id: String, mime: String, body: String, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "Call.sendInfo", |e, now| {
        e.send_info(now, &id, &mime, &body)
    })
}

/// `op_call_not_emulated(api)`: a script called something voxrun does not emulate; it is
/// logged and recorded before the prelude throws.
fn op_call_not_emulated(api: String, ctx: &mut Context) -> JsResult<()> {
    let h = host(ctx)?;
    h.log.system(&format!("{api} is not emulated by voxrun"));
    let now = h.media_now();
    h.calls
        .borrow_mut()
        .transcript_mut()
        .record(now, None, What::NotEmulated { api });
    Ok(())
}

fn op_media_send(from: String, to: String, on: bool, ctx: &mut Context) -> JsResult<()> {
    let api = if on { "sendMediaTo" } else { "stopMediaTo" };
    with_calls(ctx, api, |e, now| e.media(now, &from, &to, on))
}

/// `op_player_create(kind, content, voice, loop)`: kind `tts` (content = text), `url` or
/// `tones` (content = the tone script).
fn op_player_create(
    kind: String,
    content: String,
    voice: String,
    looped: bool,
    on_pause: bool,
    ctx: &mut Context,
) -> JsResult<String> {
    running(ctx, "VoxEngine.createPlayer")?;
    let source = match kind.as_str() {
        "tts" => PlayerSource::Tts {
            text: content,
            voice,
        },
        "url" => PlayerSource::Url { url: content },
        _ => PlayerSource::Tones { script: content },
    };
    with_calls(ctx, "VoxEngine.createPlayer", |e, now| {
        Ok(e.create_player(now, source, looped, on_pause))
    })
}

fn op_player_stop(id: String, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "Player.stop", |e, now| e.stop_player(now, &id))
}

fn op_player_pause(id: String, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "Player.pause", |e, now| e.pause_player(now, &id))
}

fn op_player_resume(id: String, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "Player.resume", |e, now| e.resume_player(now, &id))
}

/// `op_recorder_create()` → `[id, url]`.
fn op_recorder_create(ctx: &mut Context) -> JsResult<JsValue> {
    running(ctx, "VoxEngine.createRecorder")?;
    let (id, url) = with_calls(ctx, "VoxEngine.createRecorder", |e, now| {
        Ok(e.create_recorder(now))
    })?;
    JsValue::from_json(&serde_json::json!([id, url]), ctx)
}

fn op_recorder_stop(id: String, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "Recorder.stop", |e, now| e.stop_recorder(now, &id))
}

fn op_asr_create(ctx: &mut Context) -> JsResult<String> {
    running(ctx, "VoxEngine.createASR")?;
    with_calls(ctx, "VoxEngine.createASR", |e, now| e.create_asr(now))
}

fn op_asr_stop(id: String, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "ASR.stop", |e, now| e.stop_asr(now, &id))
}

fn op_conference_create(ctx: &mut Context) -> JsResult<String> {
    running(ctx, "VoxEngine.createConference")?;
    with_calls(ctx, "VoxEngine.createConference", |e, now| {
        e.create_conference(now)
    })
}

fn op_conference_add(conf: String, call: String, ctx: &mut Context) -> JsResult<String> {
    with_calls(ctx, "Conference.add", |e, now| {
        e.conference_join(now, &conf, &call)
    })
}

fn op_conference_stop(id: String, ctx: &mut Context) -> JsResult<()> {
    with_calls(ctx, "Conference.stop", |e, now| e.stop_conference(now, &id))
}
