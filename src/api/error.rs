//! The one error type of the Management API and its mapping to the wire.
//!
//! Every failure a method can report is an [`ApiError`]; [`ApiError::to_json`] turns it into
//! the platform's error body. API errors travel with HTTP 200 (docs/api.md#responses).

use serde_json::{json, Value};

/// Error codes of `shared/reference/error-codes.txt` that voxrun reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Internal = 2,
    AuthorizationFailed = 100,
    InvalidArguments = 101,
    MissingCmd = 102,
    UnknownCommand = 103,
    ForbiddenCommand = 104,
    InvalidApplicationName = 107,
    InvalidApplicationId = 116,
    ApplicationNameIsntUnique = 129,
    ScriptTextIsTooLong = 130,
    InvalidScenarioId = 132,
    ScenarioNameIsntUnique = 133,
    RequiredIsEmpty = 134,
    InvalidRuleId = 147,
    InvalidRulePattern = 148,
    InvalidRulePatternExclude = 149,
    InvalidCallSessionHistoryId = 150,
    InvalidRuleName = 156,
    InvalidScenarioName = 168,
    DuplicateRuleName = 175,
    InvalidReferenceIp = 257,
    InvalidConferenceName = 269,
    ConferenceNameTooLong = 270,
    RateLimitExceed = 340,
    RuleNoScenarioBound = 375,
    InvalidTokenFormat = 447,
    InvalidTokenTtl = 454,
    TokenIssuedInFuture = 455,
    TokenExpired = 456,
    ApplicationNotFound = 558,
}

impl Code {
    pub fn message(self) -> &'static str {
        match self {
            Code::Internal => "Internal error",
            Code::AuthorizationFailed => "Authorization failed",
            Code::InvalidArguments => "Invalid arguments",
            Code::MissingCmd => "Missing 'cmd' parameter",
            Code::UnknownCommand => "Unknown command",
            Code::ForbiddenCommand => "Forbidden command",
            Code::InvalidApplicationName => "Invalid application name",
            Code::InvalidApplicationId => "The 'application_id' parameter is invalid",
            Code::ApplicationNameIsntUnique => "Application name is not unique",
            Code::ScriptTextIsTooLong => "The script text is too long",
            Code::InvalidScenarioId => "The 'scenario_id' parameter is invalid",
            Code::ScenarioNameIsntUnique => "The scenario name is not unique",
            Code::RequiredIsEmpty => "Required parameter is empty",
            Code::InvalidRuleId => "The 'rule_id' parameter is invalid",
            Code::InvalidRulePattern => "The 'rule_pattern' parameter is invalid",
            Code::InvalidRulePatternExclude => "The 'rule_pattern_exclude' parameter is invalid",
            Code::InvalidCallSessionHistoryId => {
                "The 'call_session_history_id' parameter is invalid"
            }
            Code::InvalidRuleName => "The 'rule_name' parameter is invalid",
            Code::InvalidScenarioName => "The 'scenario_name' parameter is invalid",
            Code::DuplicateRuleName => "The 'rule_name' is not unique",
            Code::InvalidReferenceIp => "The 'reference_ip' parameter is invalid",
            Code::InvalidConferenceName => "The 'conference_name' parameter is invalid",
            Code::ConferenceNameTooLong => {
                "The 'conference_name' parameter length should be less than 50"
            }
            Code::RateLimitExceed => "Rate limit exceed",
            Code::RuleNoScenarioBound => "No scenario is bound to the rule",
            Code::InvalidTokenFormat => "Invalid token format.",
            Code::InvalidTokenTtl => "The token TTL exceeds the maximum limit.",
            Code::TokenIssuedInFuture => "Token issued in the future.",
            Code::TokenExpired => "The token has expired.",
            Code::ApplicationNotFound => "Application is not found.",
        }
    }
}

/// A failed API call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// A code with its standard message.
    Code(Code),
    /// 101 with a message that names the parameter (wrong type, wrong value, missing).
    InvalidArgument(String),
    /// 458: two parameters that exclude each other were both given.
    OnlyOneOf(String),
    /// 2: a fault of ours (storage, ...). The detail is logged, never sent.
    Internal(String),
    /// 104: a method of the platform that voxrun does not implement (its name).
    NotSupported(String),
}

impl From<Code> for ApiError {
    fn from(c: Code) -> Self {
        ApiError::Code(c)
    }
}

impl ApiError {
    /// 101 naming `param`: `why` completes "The 'param' parameter ...".
    pub fn invalid(param: &str, why: &str) -> Self {
        ApiError::InvalidArgument(format!("The '{param}' parameter {why}."))
    }

    /// 101: a required parameter is missing or empty.
    pub fn missing(param: &str) -> Self {
        ApiError::InvalidArgument(format!("The '{param}' parameter is required."))
    }

    /// A name that names nothing (an unknown application, rule or scenario name).
    pub fn is_unknown_name(&self) -> bool {
        matches!(
            self,
            ApiError::Code(
                Code::ApplicationNotFound | Code::InvalidRuleId | Code::InvalidScenarioName
            )
        )
    }

    pub fn code(&self) -> u32 {
        match self {
            ApiError::Code(c) => *c as u32,
            ApiError::InvalidArgument(_) => Code::InvalidArguments as u32,
            ApiError::OnlyOneOf(_) => 458,
            ApiError::Internal(_) => Code::Internal as u32,
            ApiError::NotSupported(_) => Code::ForbiddenCommand as u32,
        }
    }

    pub fn message(&self) -> String {
        match self {
            ApiError::Code(c) => c.message().to_string(),
            ApiError::InvalidArgument(m) => m.clone(),
            ApiError::OnlyOneOf(names) => {
                format!("Specify only one of the following parameters: {names}")
            }
            ApiError::Internal(_) => Code::Internal.message().to_string(),
            ApiError::NotSupported(method) => format!(
                "{method} is a Voximplant Management API method that is not supported by voxrun"
            ),
        }
    }

    /// The platform's error body: `error` plus the same entry in `errors`.
    pub fn to_json(&self) -> Value {
        let entry = json!({"msg": self.message(), "code": self.code()});
        json!({"error": entry.clone(), "errors": [entry]})
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message(), self.code())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_repeats_the_entry_in_errors() {
        let body = ApiError::Code(Code::ScenarioNameIsntUnique).to_json();
        assert_eq!(body["error"]["code"], 133);
        assert_eq!(body["error"]["msg"], "The scenario name is not unique");
        assert_eq!(body["errors"][0], body["error"]);
    }

    #[test]
    fn a_platform_method_voxrun_lacks_is_named_and_told_apart_from_an_unknown_one() {
        let body = ApiError::NotSupported("GetUsers".into()).to_json();
        assert_eq!(body["error"]["code"], 104);
        assert_eq!(
            body["error"]["msg"],
            "GetUsers is a Voximplant Management API method that is not supported by voxrun"
        );
        assert_ne!(body["error"]["code"], Code::UnknownCommand as u32);
    }

    #[test]
    fn internal_detail_is_not_sent() {
        let body = ApiError::Internal("disk I/O error at /secret/path".into()).to_json();
        assert_eq!(body["error"]["msg"], "Internal error");
    }
}
