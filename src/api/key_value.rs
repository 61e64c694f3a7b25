//! SetKeyValueItem, GetKeyValueItem, GetKeyValueItems, GetKeyValueKeys, DelKeyValueItem: an
//! application's key-value storage, the same one scenarios reach as `ApplicationStorage`.
//! Limits and the pattern rule belong to [`crate::store::key_value`].
//!
//! Responses *(platform)*: an item is `{key, value, expires_at}` with `expires_at` in Unix
//! seconds (a JSON integer); a key listing gives `{key, expires_at}`. Lists also carry
//! `total_count`/`count` as every voxrun list does. *(voxrun)*: GetKeyValueItem of a missing
//! (or expired) key gives `result: null`; DelKeyValueItem gives `result: 1` when it deleted
//! an item and `0` when there was none; `count` above 50 is clamped to 50.

use serde_json::{json, Value};

use super::methods::{done, listing, page, store};
use super::{applications, ApiError, Ctx, Params};
use crate::store::{key_value, KvItem, KvKey};

/// The platform's page size for item and key listings, and its largest.
const DEFAULT_COUNT: u64 = 10;
const MAX_COUNT: u64 = 50;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn item_json(i: &KvItem) -> Value {
    json!({"key": i.key, "value": i.value, "expires_at": i.expires_at})
}

fn key_json(k: &KvKey) -> Value {
    json!({"key": k.key, "expires_at": k.expires_at})
}

pub(super) async fn set_item(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let app = applications::required(ctx, p).await?;
    let key = p.required_str("key")?.to_string();
    // An empty value is a value: only a value that was not sent at all is missing.
    let value = p
        .raw("value")
        .ok_or_else(|| ApiError::missing("value"))?
        .to_string();
    let now = now();
    let ttl = match (p.uint("ttl")?, p.uint("expires_at")?) {
        (Some(_), Some(_)) => return Err(ApiError::OnlyOneOf("ttl, expires_at".into())),
        (ttl, None) => ttl,
        (None, Some(at)) => {
            let at = i64::try_from(at).unwrap_or(i64::MAX);
            Some(
                key_value::ttl_until(at, now)
                    .map_err(|e| ApiError::invalid(e.field(), &e.problem()))?,
            )
        }
    };
    let item = store(ctx, move |s| s.kv_put(app.id, &key, &value, ttl, now)).await?;
    Ok(json!({"result": item_json(&item)}))
}

pub(super) async fn get_item(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let app = applications::required(ctx, p).await?;
    let key = p.required_str("key")?.to_string();
    let now = now();
    let item = store(ctx, move |s| s.kv_get(app.id, &key, now)).await?;
    Ok(json!({"result": item.as_ref().map(item_json)}))
}

pub(super) async fn get_items(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let app = applications::required(ctx, p).await?;
    let pattern = p.required_str("key")?.to_string();
    let paging = listing_page(p)?;
    let now = now();
    let found = store(ctx, move |s| {
        s.kv_items(app.id, Some(&pattern), paging, now)
    })
    .await?;
    Ok(listing(
        found.items.iter().map(item_json).collect(),
        found.total,
    ))
}

pub(super) async fn get_keys(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let app = applications::required(ctx, p).await?;
    let pattern = p.str("key").map(str::to_string);
    let paging = listing_page(p)?;
    let now = now();
    let found = store(ctx, move |s| {
        s.kv_keys(app.id, pattern.as_deref(), paging, now)
    })
    .await?;
    Ok(listing(
        found.items.iter().map(key_json).collect(),
        found.total,
    ))
}

pub(super) async fn delete_item(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let app = applications::required(ctx, p).await?;
    let key = p.required_str("key")?.to_string();
    let now = now();
    let deleted = store(ctx, move |s| s.kv_delete(app.id, &key, now)).await?;
    Ok(match deleted {
        Some(_) => done(json!({})),
        None => json!({"result": 0}),
    })
}

fn listing_page(p: &Params) -> Result<crate::store::Page, ApiError> {
    let mut paging = page(p, DEFAULT_COUNT)?;
    paging.count = paging.count.min(MAX_COUNT);
    Ok(paging)
}
