//! Native functions, `op_<area>_<verb>`, one file per area. They are handed to the prelude
//! as one object (never made global); each prelude file takes what it needs.

mod call;
mod log;
mod net;
mod prelude;
mod session;
mod storage;
mod timer;
mod util;

use crate::runtime::text::rust_string;
use boa_engine::native_function::NativeFunctionPointer;
use boa_engine::object::ObjectInitializer;
use boa_engine::{Context, JsNativeError, JsObject, JsResult, JsString, JsValue};

/// One op: its JS name, the function, its `length`.
pub(crate) type Op = (&'static str, NativeFunctionPointer, usize);

/// The object holding every op, passed to each prelude file.
pub(crate) fn ops_object(ctx: &mut Context) -> JsObject {
    let mut init = ObjectInitializer::new(ctx);
    for area in [
        log::OPS,
        session::OPS,
        timer::OPS,
        net::OPS,
        util::OPS,
        prelude::OPS,
    ] {
        for (name, f, len) in area {
            init.function(
                boa_engine::NativeFunction::from_fn_ptr(*f),
                JsString::from(*name),
                *len,
            );
        }
    }
    for (name, make) in call::OPS.iter().chain(storage::OPS) {
        let f = make(init.context());
        init.function(f, JsString::from(*name), 0);
    }
    init.build()
}

/// Argument `i` as a Rust string (`undefined` → "").
pub(crate) fn arg_string(args: &[JsValue], i: usize, ctx: &mut Context) -> JsResult<String> {
    match args.get(i) {
        None => Ok(String::new()),
        Some(v) if v.is_undefined() => Ok(String::new()),
        Some(v) => Ok(rust_string(&v.to_string(ctx)?)),
    }
}

/// Argument `i` as a number (`undefined`/NaN → `default`).
pub(crate) fn arg_f64(
    args: &[JsValue],
    i: usize,
    default: f64,
    ctx: &mut Context,
) -> JsResult<f64> {
    match args.get(i) {
        None => Ok(default),
        Some(v) if v.is_undefined() => Ok(default),
        Some(v) => {
            let n = v.to_number(ctx)?;
            Ok(if n.is_nan() { default } else { n })
        }
    }
}

pub(crate) fn type_error(msg: impl Into<String>) -> boa_engine::JsError {
    JsNativeError::typ().with_message(msg.into()).into()
}

pub(crate) fn error(msg: impl Into<String>) -> boa_engine::JsError {
    JsNativeError::error().with_message(msg.into()).into()
}
