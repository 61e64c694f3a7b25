//! GetAccountInfo.

use serde_json::{json, Value};

use super::methods::store;
use super::params::format_datetime;
use super::{ApiError, Ctx, Params, Role};

pub(super) async fn get_info(ctx: &Ctx<'_>, _p: &Params) -> Result<Value, ApiError> {
    let id = ctx.caller.account_id;
    let account = store(ctx, move |s| s.account(id))
        .await?
        .ok_or_else(|| ApiError::Internal(format!("the caller's account {id} is missing")))?;
    let mut info = json!({
        "account_id": account.id,
        "account_name": account.name,
        "account_email": account.email,
        "active": true,
        "frozen": false,
        "created": format_datetime(account.created),
    });
    // The legacy key is a secret: Owners only (docs/sessions.md#decisions-where-the-platform-is-silent).
    if ctx.caller.role == Role::Owner {
        info["api_key"] = Value::String(account.api_key);
    }
    Ok(json!({"result": info, "api_address": ctx.state.api_address}))
}
