//! `op_storage_request`: ApplicationStorage (docs/telephony.md#the-voxengine-surface). The request leaves through the
//! session's link (to the supervisor's store, or `voxrun run`'s memory); the answer comes
//! back as a `storage` work item that settles the script's Promise (`60_storage.js`).

use boa_engine::{Context, JsResult};

use super::error;
use crate::runtime::host::{host, Phase};
use crate::runtime::{StorageOp, StorageRequest};

pub(super) const OPS: &[super::call::TypedOp] = &[("op_storage_request", |ctx: &mut Context| {
    boa_engine::IntoJsFunctionCopied::into_js_function_copied(op_storage_request, ctx)
})];

/// `op_storage_request(op, key, value, ttl, pattern, count)` → request id; `op` is `get`,
/// `put`, `remove` or `keys`.
fn op_storage_request(
    op: String,
    key: Option<String>,
    value: Option<String>,
    ttl: Option<f64>,
    pattern: Option<String>,
    count: Option<f64>,
    ctx: &mut Context,
) -> JsResult<f64> {
    let h = host(ctx)?;
    if h.phase.get() == Phase::Terminated {
        return Err(error("ApplicationStorage: the session has ended"));
    }
    let key = key.unwrap_or_default();
    let op = match op.as_str() {
        "get" => StorageOp::Get { key },
        "put" => StorageOp::Put {
            key,
            value: value.unwrap_or_default(),
            // A negative or NaN TTL is out of range like a too long one, not the default.
            ttl: ttl.map(|t| {
                if t.is_finite() && t >= 0.0 {
                    t as u64
                } else {
                    u64::MAX
                }
            }),
        },
        "remove" => StorageOp::Remove { key },
        _ => StorageOp::Keys {
            pattern,
            count: count
                .filter(|c| c.is_finite() && *c >= 0.0)
                .map(|c| c as u64),
        },
    };
    let id = h.storage_next.get() + 1;
    h.storage_next.set(id);
    let request = StorageRequest {
        id,
        application_id: h.application_id,
        op,
    };
    h.log
        .link()
        .storage(request)
        .map_err(|e| error(format!("ApplicationStorage: {e}")))?;
    h.storage_pending.borrow_mut().insert(id);
    Ok(id as f64)
}
