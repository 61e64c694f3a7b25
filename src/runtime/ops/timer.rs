//! `op_timer_*`: timers. The callbacks stay in the prelude; Rust keeps the deadlines.

use boa_engine::{Context, JsResult, JsValue};

use super::{arg_f64, error, Op};
use crate::runtime::host::{host, Phase};

pub(super) const OPS: &[Op] = &[
    ("op_timer_start", op_timer_start, 2),
    ("op_timer_stop", op_timer_stop, 1),
];

/// `op_timer_start(ms, repeat)` → timer id (0 once the session is terminating).
fn op_timer_start(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let ms = arg_f64(args, 0, 0.0, ctx)?.clamp(0.0, 2_147_483_647.0) as u64;
    let repeat = args.get(1).is_some_and(JsValue::to_boolean);
    let h = host(ctx)?;
    if h.phase.get() != Phase::Running {
        return Ok(JsValue::from(0));
    }
    let now = h.clock.elapsed_ms();
    let max = h.limits.max_timers;
    let started = h.timers.borrow_mut().start(now, ms, repeat, max);
    match started {
        Some(id) => Ok(JsValue::from(id)),
        None => Err(error(format!(
            "too many active timers (the limit is {max})"
        ))),
    }
}

/// `op_timer_stop(id)`.
fn op_timer_stop(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let id = arg_f64(args, 0, 0.0, ctx)?;
    if id >= 1.0 && id <= f64::from(u32::MAX) {
        host(ctx)?.timers.borrow_mut().stop(id as u32);
    }
    Ok(JsValue::undefined())
}
