//! `op_log_*`: the session log.

use boa_engine::{Context, JsResult, JsValue};

use super::{arg_string, Op};
use crate::runtime::host::host;

pub(super) const OPS: &[Op] = &[
    ("op_log_write", op_log_write, 1),
    ("op_log_uncaught", op_log_uncaught, 1),
];

/// `op_log_write(text)`: one log entry (cut to 15,000 characters).
fn op_log_write(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let text = arg_string(args, 0, ctx)?;
    host(ctx)?.log.write(&text);
    Ok(JsValue::undefined())
}

/// `op_log_uncaught(text)`: an error no script code caught (logged, and counted).
fn op_log_uncaught(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let text = arg_string(args, 0, ctx)?;
    let h = host(ctx)?;
    h.log.write(&text);
    h.uncaught.set(h.uncaught.get().saturating_add(1));
    Ok(JsValue::undefined())
}
