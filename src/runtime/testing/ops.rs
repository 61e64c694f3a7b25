//! `op_test_*`: what `runtime-js/test_harness.js` calls. Ops that wait return a Promise
//! and leave a [`Waiting`] entry that the driver (`mod.rs`) settles.

use std::rc::Rc;

use boa_engine::builtins::promise::ResolvingFunctions;
use boa_engine::object::builtins::{JsArray, JsPromise};
use boa_engine::object::ObjectInitializer;
use boa_engine::{js_string, Context, JsNativeError, JsResult, JsString, JsValue, NativeFunction};
use tokio::sync::oneshot;

use super::world::{StartArgs, World};
use crate::runtime::ops::{arg_f64, arg_string, error, type_error};
use crate::runtime::{FinishReason, HttpEvent, HttpReply, SessionMsg, StartResult};
use crate::telephony::FarEndAct;

/// What a pending Promise of the test file waits for.
pub(crate) enum Waiting {
    Started(u64, oneshot::Receiver<StartResult>),
    Reply(oneshot::Receiver<HttpReply>),
    FarEnd(oneshot::Receiver<Result<(), String>>),
    /// Anything to happen (the world's fingerprint to move off `seen`), within an hour of
    /// virtual time from `since`.
    Step {
        since: u64,
        seen: u64,
    },
    /// The virtual clock to reach `until` (wall ms).
    Advance {
        until: u64,
    },
}

/// The test file's host state, reached through [`test_host`].
pub(crate) struct TestHost {
    pub(crate) world: Rc<World>,
    pub(crate) waiting: std::cell::RefCell<Vec<(Waiting, ResolvingFunctions)>>,
}

pub(crate) fn test_host(ctx: &Context) -> JsResult<Rc<TestHost>> {
    ctx.get_data::<Rc<TestHost>>()
        .cloned()
        .ok_or_else(|| JsNativeError::error().with_message("no test").into())
}

type Op = (
    &'static str,
    fn(&JsValue, &[JsValue], &mut Context) -> JsResult<JsValue>,
    usize,
);

const OPS: &[Op] = &[
    ("start", op_test_start, 1),
    ("request", op_test_request, 5),
    ("farEnd", op_test_far_end, 4),
    ("terminate", op_test_terminate, 1),
    ("transcript", op_test_transcript, 2),
    ("transcriptLines", op_test_transcript_lines, 1),
    ("log", op_test_log, 1),
    ("ended", op_test_ended, 1),
    ("now", op_test_now, 0),
    ("step", op_test_step, 1),
    ("advance", op_test_advance, 1),
];

/// The `ops` object the harness gets; `file` is the test file's name as stacks show it.
pub(crate) fn ops_object(ctx: &mut Context, file: &str) -> boa_engine::JsObject {
    let mut init = ObjectInitializer::new(ctx);
    for (name, f, len) in OPS {
        init.function(NativeFunction::from_fn_ptr(*f), JsString::from(*name), *len);
    }
    init.property(
        js_string!("file"),
        JsString::from(file),
        boa_engine::property::Attribute::READONLY,
    );
    init.build()
}

fn wait(ctx: &mut Context, h: &TestHost, w: Waiting) -> JsValue {
    let (promise, fns) = JsPromise::new_pending(ctx);
    h.waiting.borrow_mut().push((w, fns));
    promise.into()
}

fn session_arg(
    h: &TestHost,
    args: &[JsValue],
    ctx: &mut Context,
) -> JsResult<Rc<super::world::TestSession>> {
    let id = arg_f64(args, 0, 0.0, ctx)? as u64;
    h.world
        .session(id)
        .ok_or_else(|| error(format!("no session {id} in this test")))
}

fn op_test_start(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = test_host(ctx)?;
    let spec = args.first().cloned().unwrap_or_default().to_json(ctx)?;
    let spec: StartArgs = spec
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or_else(|| type_error("voxrun.start: bad options"))?;
    match h.world.start(spec) {
        Ok((id, rx)) => Ok(wait(ctx, &h, Waiting::Started(id, rx))),
        Err(msg) => Ok(JsPromise::reject(error(msg), ctx)?.into()),
    }
}

fn op_test_request(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = test_host(ctx)?;
    let s = session_arg(&h, args, ctx)?;
    let method = arg_string(args, 1, ctx)?.to_ascii_uppercase();
    let path = arg_string(args, 2, ctx)?;
    let content = arg_string(args, 3, ctx)?;
    let headers: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&arg_string(args, 4, ctx)?).unwrap_or_default();
    let headers = headers
        .into_iter()
        .map(|(k, v)| {
            // As a server passes them: names in lower case (HTTP/2 and hyper's way).
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            (k.to_ascii_lowercase(), v)
        })
        .collect();
    let event = HttpEvent {
        method,
        path,
        content,
        headers,
    };
    let (tx, rx) = oneshot::channel();
    if s.inbox
        .try_send(SessionMsg::Http(event, tx.into()))
        .is_err()
    {
        return Ok(JsPromise::reject(error(format!("session {} has ended", s.id)), ctx)?.into());
    }
    Ok(wait(ctx, &h, Waiting::Reply(rx)))
}

fn op_test_far_end(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = test_host(ctx)?;
    let s = session_arg(&h, args, ctx)?;
    let call = arg_string(args, 1, ctx)?;
    let kind = arg_string(args, 2, ctx)?;
    let arg = arg_string(args, 3, ctx)?;
    let act = match kind.as_str() {
        "answer" => FarEndAct::Answer,
        "reject" => FarEndAct::Reject(
            arg.parse::<u16>()
                .ok()
                .filter(|c| (400..700).contains(c))
                .ok_or_else(|| type_error(format!("reject({arg}): a SIP code 400-699")))?,
        ),
        "dtmf" => {
            let digits = crate::telephony::DTMF_DIGITS;
            if arg.is_empty() {
                return Err(type_error(format!("dtmf(digits): no digits ({digits})")));
            }
            if let Some(c) = crate::telephony::first_non_dtmf(&arg) {
                return Err(type_error(format!(
                    "dtmf({arg:?}): {c:?} is not a DTMF digit ({digits})"
                )));
            }
            FarEndAct::Dtmf(arg)
        }
        "say" => FarEndAct::Say(arg),
        "message" => FarEndAct::Message(arg),
        "hangup" => FarEndAct::Hangup,
        other => return Err(type_error(format!("no far-end action {other}"))),
    };
    let (tx, rx) = oneshot::channel();
    let msg = SessionMsg::FarEnd {
        call,
        act,
        done: tx,
    };
    if s.inbox.try_send(msg).is_err() {
        return Ok(JsPromise::reject(error(format!("session {} has ended", s.id)), ctx)?.into());
    }
    Ok(wait(ctx, &h, Waiting::FarEnd(rx)))
}

fn op_test_terminate(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = test_host(ctx)?;
    let s = session_arg(&h, args, ctx)?;
    let _ = s.inbox.try_send(SessionMsg::Terminate {
        reason: FinishReason::Admin,
    });
    Ok(JsPromise::resolve(JsValue::undefined(), ctx)?.into())
}

fn op_test_transcript(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = test_host(ctx)?;
    let s = session_arg(&h, args, ctx)?;
    let from = arg_f64(args, 1, 0.0, ctx)? as usize;
    let lines: Vec<String> = s
        .record
        .transcript
        .borrow()
        .iter()
        .skip(from)
        .cloned()
        .collect();
    let out = JsArray::new(ctx)?;
    for line in lines {
        let value: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        out.push(JsValue::from_json(&value, ctx)?, ctx)?;
    }
    Ok(out.into())
}

/// The transcript as its JSON lines, as written (for failure messages).
fn op_test_transcript_lines(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = test_host(ctx)?;
    let s = session_arg(&h, args, ctx)?;
    let lines: Vec<JsValue> = s
        .record
        .transcript
        .borrow()
        .iter()
        .map(|l| JsString::from(l.as_str()).into())
        .collect();
    Ok(JsArray::from_iter(lines, ctx).into())
}

fn op_test_log(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = test_host(ctx)?;
    let s = session_arg(&h, args, ctx)?;
    let lines: Vec<JsValue> = s
        .record
        .log
        .borrow()
        .iter()
        .map(|l| JsString::from(l.as_str()).into())
        .collect();
    Ok(JsArray::from_iter(lines, ctx).into())
}

fn op_test_ended(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = test_host(ctx)?;
    let s = session_arg(&h, args, ctx)?;
    let reason = *s.ended.borrow();
    match reason {
        None => Ok(JsValue::null()),
        Some(r) => {
            let v = serde_json::json!({ "reason": r.as_str() });
            JsValue::from_json(&v, ctx)
        }
    }
}

fn op_test_now(_: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = test_host(ctx)?;
    Ok(JsValue::from(h.world.now() as f64))
}

fn op_test_step(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = test_host(ctx)?;
    let since = arg_f64(args, 0, h.world.now() as f64, ctx)? as u64;
    let seen = h.world.fingerprint();
    Ok(wait(ctx, &h, Waiting::Step { since, seen }))
}

fn op_test_advance(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = test_host(ctx)?;
    let ms = arg_f64(args, 0, 0.0, ctx)?.max(0.0) as u64;
    let until = h.world.now().saturating_add(ms);
    Ok(wait(ctx, &h, Waiting::Advance { until }))
}
