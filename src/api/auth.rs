//! Who is calling: service-account JWTs (RS256, by `kid`) and legacy API keys.

use super::{ApiError, ApiState, Code, Params};

/// A service-account role (SPEC §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Owner,
    Developer,
    Support,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "Owner" => Some(Role::Owner),
            "Developer" => Some(Role::Developer),
            "Support" => Some(Role::Support),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Developer => "Developer",
            Role::Support => "Support",
        }
    }

    /// Owner and Developer may call everything; Support only `Get*`.
    pub fn may_call(self, method: &str) -> bool {
        match self {
            Role::Owner | Role::Developer => true,
            Role::Support => method.starts_with("Get"),
        }
    }
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account_id: u64,
    pub role: Role,
}

pub async fn authenticate(
    _state: &ApiState,
    _bearer: Option<&str>,
    _params: &Params,
) -> Result<Caller, ApiError> {
    Err(ApiError::Code(Code::AuthorizationFailed))
}
