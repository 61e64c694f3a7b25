//! The method table: name → handler.

use serde_json::Value;

use super::{ApiError, Code, Ctx, Params};

/// Every method voxrun answers.
pub const METHODS: &[&str] = &["GetAccountInfo"];

pub fn is_known(method: &str) -> bool {
    METHODS.contains(&method)
}

pub async fn dispatch(_ctx: &Ctx<'_>, _method: &str, _p: &Params) -> Result<Value, ApiError> {
    Err(ApiError::Code(Code::UnknownCommand))
}
