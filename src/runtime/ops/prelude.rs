//! `op_prelude_*`: loading the prelude files that run on first use.

use boa_engine::{Context, JsResult, JsValue};

use super::{arg_string, type_error, Op};
use crate::runtime::prelude;

pub(super) const OPS: &[Op] = &[
    ("op_prelude_load", op_prelude_load, 3),
    ("op_prelude_tables", op_prelude_tables, 0),
];

/// `op_prelude_tables()`: the constant tables' data (`55_tables.data.json`), as JS values.
fn op_prelude_tables(_: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    JsValue::from_json(prelude::tables_data(), ctx)
}

/// `op_prelude_load(file, ops, vox)`: runs the lazy prelude file `file` with the prelude's
/// own `ops` and `vox` (see `vox.lazy` in `00_core.js`).
fn op_prelude_load(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let name = arg_string(args, 0, ctx)?;
    let object = |i: usize| {
        args.get(i)
            .and_then(JsValue::as_object)
            .ok_or_else(|| type_error("op_prelude_load: expected the prelude's ops and vox"))
    };
    let (ops, vox) = (object(1)?, object(2)?);
    prelude::load(&name, &ops, &vox, ctx)?;
    Ok(JsValue::undefined())
}
