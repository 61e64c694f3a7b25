//! ApplicationStorage requests of sessions, answered from the store (docs/telephony.md#the-voxengine-surface). The same
//! items the Management API's key-value methods read and write.

use crate::runtime::{StorageAnswer, StorageItem, StorageOp, StorageRequest};
use crate::store::{KvItem, Page, Store, StoreError};

/// Most keys one `keys()` call returns when the script gives no count.
const KEYS_DEFAULT_COUNT: u64 = 1000;

/// Answers one request against `store` at `now` (Unix seconds).
pub fn answer(store: &dyn Store, req: &StorageRequest, now: i64) -> StorageAnswer {
    let app = req.application_id;
    let result = match &req.op {
        StorageOp::Get { key } => store.kv_get(app, key, now).map(item),
        StorageOp::Put { key, value, ttl } => store
            .kv_put(app, key, value, *ttl, now)
            .map(|i| item(Some(i))),
        StorageOp::Remove { key } => store.kv_delete(app, key, now).map(item),
        StorageOp::Keys { pattern, count } => {
            let page = Page {
                count: count.unwrap_or(KEYS_DEFAULT_COUNT).min(KEYS_DEFAULT_COUNT),
                offset: 0,
            };
            store
                .kv_keys(app, pattern.as_deref(), page, now)
                .map(|l| StorageAnswer::Keys(l.items.into_iter().map(|k| k.key).collect()))
        }
    };
    result.unwrap_or_else(|e| StorageAnswer::Failed(failure(&e)))
}

fn item(i: Option<KvItem>) -> StorageAnswer {
    StorageAnswer::Item(i.map(|i| StorageItem {
        key: i.key,
        value: i.value,
        expire_at: u64::try_from(i.expires_at).unwrap_or(0),
    }))
}

/// What the script's Promise is rejected with. Storage failures are not detailed (the log
/// of the server has them).
fn failure(e: &StoreError) -> String {
    match e {
        StoreError::Invalid(crate::store::Invalid::KeyValue(kv)) => {
            format!("the {} {}", kv.field(), kv.problem())
        }
        StoreError::NotFound(_) => "the application no longer exists".to_string(),
        other => {
            tracing::error!(error = %other, "ApplicationStorage request failed");
            "the storage failed".to_string()
        }
    }
}
