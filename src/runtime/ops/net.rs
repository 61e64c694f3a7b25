//! `op_net_*`: outbound HTTP. The result arrives later as a `net` work item.

use boa_engine::{Context, JsResult, JsValue};

use super::{arg_string, Op};
use crate::runtime::host::{host, Phase};

pub(super) const OPS: &[Op] = &[("op_net_request", op_net_request, 2)];

/// `op_net_request(url, optionsJson)` → request id.
fn op_net_request(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let url = arg_string(args, 0, ctx)?;
    let options = arg_string(args, 1, ctx)?;
    let h = host(ctx)?;
    let refusal = match h.phase.get() {
        Phase::Running => None,
        Phase::Terminating => {
            let left = h.net.terminating_allowance.get();
            if left > 0 {
                h.net.terminating_allowance.set(left - 1);
                None
            } else {
                Some("only one Net request is allowed while the session is terminating")
            }
        }
        Phase::Terminated => Some("the session has terminated"),
    };
    let id = h.net.request(&url, &options, refusal);
    Ok(JsValue::from(id as f64))
}
