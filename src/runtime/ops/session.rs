//! `op_session_*`, `op_run_take`, `op_job_take`, `op_event_reply`: custom data, termination, dispatch.

use boa_engine::{js_string, Context, JsResult, JsValue};

use super::{arg_f64, arg_string, error, Op};
use crate::runtime::host::{host, Phase};
use crate::runtime::{HttpReply, ReplyType};

/// Largest custom data, in UTF-8 bytes (docs/sessions.md#the-voxengine-globals).
pub(crate) const MAX_CUSTOM_DATA: usize = 200;

pub(super) const OPS: &[Op] = &[
    ("op_session_custom_data", op_session_custom_data, 1),
    ("op_session_terminate", op_session_terminate, 0),
    ("op_run_take", op_run_take, 0),
    ("op_job_take", op_job_take, 0),
    ("op_event_reply", op_event_reply, 4),
];

/// `op_session_custom_data()` → the value; `op_session_custom_data(s)` sets it.
fn op_session_custom_data(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    if args.first().is_none_or(JsValue::is_undefined) {
        return Ok(js_string!(h.custom_data.borrow().as_str()).into());
    }
    // Only Logger.write works in Terminated (docs/sessions.md): the outcome is being made.
    if h.phase.get() == Phase::Terminated {
        return Err(error(
            "the session has terminated; its customData can no longer change".to_string(),
        ));
    }
    let value = arg_string(args, 0, ctx)?;
    if value.len() > MAX_CUSTOM_DATA {
        return Err(error(format!(
            "customData is {} bytes long; the limit is {MAX_CUSTOM_DATA} bytes",
            value.len()
        )));
    }
    *h.custom_data.borrow_mut() = value;
    Ok(JsValue::undefined())
}

/// `op_session_terminate()`: ends the session once the running code returns.
fn op_session_terminate(_: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    if h.phase.get() == Phase::Running {
        h.terminate_requested.set(true);
    }
    Ok(JsValue::undefined())
}

/// `op_run_take()`: the work item the session loop is dispatching (once).
fn op_run_take(_: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let h = host(ctx)?;
    let work = h.work.borrow_mut().take();
    Ok(work.unwrap_or_default())
}

/// `op_job_take()`: the Promise job `__voxrun_job` runs, `[callback, this, ...args]` (once).
fn op_job_take(_: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(crate::runtime::engine::JobRunner::take(ctx).unwrap_or_default())
}

/// `op_event_reply(id, status, type, body)`: answers a control request; `type` is the body's
/// code for [`ReplyType::from_code`].
fn op_event_reply(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let id = arg_f64(args, 0, -1.0, ctx)?;
    let status = arg_f64(args, 1, 200.0, ctx)?;
    let content_type = ReplyType::from_code(arg_f64(args, 2, 0.0, ctx)?);
    let body = arg_string(args, 3, ctx)?;
    if id >= 0.0 {
        let reply = HttpReply {
            status: status.clamp(100.0, 599.0) as u16,
            content_type,
            body: body.into_bytes(),
        };
        host(ctx)?.reply(id as u64, reply);
    }
    Ok(JsValue::undefined())
}
