//! Who is calling: service-account JWTs (RS256, by `kid`) and legacy API keys.

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;
use subtle::ConstantTimeEq;

use super::verified_tokens::TokenId;
use super::{ApiError, ApiState, Code, Params};
use crate::store::ApiKeyRecord;

/// A service-account role (docs/api.md#authentication).
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

/// Clock skew allowed on `iat` and `exp` (the Python client sends `iat = now - 5`).
const SKEW_SECS: i64 = 30;
/// The longest token lifetime the platform accepts.
const MAX_TTL_SECS: i64 = 3600;

/// Authenticate a call: a Bearer JWT if present, else the legacy API key parameters.
pub async fn authenticate(
    state: &ApiState,
    authorization: Option<&str>,
    params: &Params,
) -> Result<Caller, ApiError> {
    if let Some(header) = authorization {
        let token = bearer_token(header).ok_or(Code::AuthorizationFailed)?;
        return verify_jwt(state, token, chrono::Utc::now().timestamp()).await;
    }
    verify_api_key(state, params).await
}

fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// The header fields we need, read before any signature check.
struct JwtHeader {
    kid: String,
}

fn read_header(token: &str) -> Result<JwtHeader, ApiError> {
    use base64::Engine;
    let mut parts = token.split('.');
    let (Some(h), Some(_), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Code::InvalidTokenFormat.into());
    };
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(h.trim_end_matches('='))
        .map_err(|_| Code::InvalidTokenFormat)?;
    let v: Value = serde_json::from_slice(&raw).map_err(|_| Code::InvalidTokenFormat)?;
    // Only RS256: this refuses `none` and HS256 signed with the public key.
    if v.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(Code::AuthorizationFailed.into());
    }
    // `crit` names extensions the recipient must understand (RFC 7515 §4.1.11); voxrun
    // understands none, so any `crit` at all (even empty or malformed) refuses the token.
    if v.get("crit").is_some() {
        return Err(Code::AuthorizationFailed.into());
    }
    let kid = v
        .get("kid")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty())
        .ok_or(Code::AuthorizationFailed)?;
    Ok(JwtHeader {
        kid: kid.to_string(),
    })
}

/// The claims of `token` if its RS256 signature is valid under `key`.
fn verify_signature(token: &str, key: &ApiKeyRecord) -> Result<Value, ApiError> {
    let decoding = DecodingKey::from_rsa_pem(key.public_key_pem.as_bytes())
        .map_err(|e| ApiError::Internal(format!("stored key {} is unusable: {e}", key.key_id)))?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.algorithms = vec![Algorithm::RS256];
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<Value>(token, &decoding, &validation)
        .map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::InvalidSignature => {
                ApiError::Code(Code::AuthorizationFailed)
            }
            jsonwebtoken::errors::ErrorKind::InvalidAlgorithm => {
                ApiError::Code(Code::AuthorizationFailed)
            }
            _ => ApiError::Code(Code::InvalidTokenFormat),
        })
        .map(|t| t.claims)
}

async fn verify_jwt(state: &ApiState, token: &str, now: i64) -> Result<Caller, ApiError> {
    let header = read_header(token)?;
    let key = state
        .store
        .key(&header.kid)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .filter(|k| !k.revoked)
        .ok_or(Code::AuthorizationFailed)?;
    let role = Role::parse(&key.role).ok_or(Code::AuthorizationFailed)?;
    let id = TokenId::new(token, &key.public_key_pem);
    let claims = match state.verified_tokens.claims(&id) {
        Some(claims) => claims,
        None => {
            let claims = verify_signature(token, &key)?;
            state.verified_tokens.insert(id, claims.clone());
            claims
        }
    };
    let iat = claims
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or(Code::InvalidTokenFormat)?;
    let exp = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or(Code::InvalidTokenFormat)?;
    // Checked: absurd claims must not wrap around the TTL rule.
    if exp.checked_sub(iat).is_none_or(|ttl| ttl > MAX_TTL_SECS) {
        return Err(Code::InvalidTokenTtl.into());
    }
    if iat > now + SKEW_SECS {
        return Err(Code::TokenIssuedInFuture.into());
    }
    if exp < now - SKEW_SECS || exp <= iat {
        return Err(Code::TokenExpired.into());
    }
    let iss = match claims.get("iss") {
        Some(Value::String(s)) => s
            .trim()
            .parse::<u64>()
            .map_err(|_| Code::AuthorizationFailed)?,
        Some(Value::Number(n)) => n.as_u64().ok_or(Code::AuthorizationFailed)?,
        _ => return Err(Code::AuthorizationFailed.into()),
    };
    // `0` means the key's own account (the Python client sends "0" from a config object).
    if iss != 0 && iss != key.account_id {
        return Err(Code::AuthorizationFailed.into());
    }
    Ok(Caller {
        account_id: key.account_id,
        role,
    })
}

async fn verify_api_key(state: &ApiState, params: &Params) -> Result<Caller, ApiError> {
    let given = params.str("api_key").ok_or(Code::AuthorizationFailed)?;
    let account = &state.account;
    let names_account = match (params.str("account_id"), params.str("account_name")) {
        (Some(id), _) => id.trim().parse::<u64>().ok() == Some(account.id),
        (None, Some(name)) => name == account.name,
        (None, None) => false,
    };
    let key_ok: bool = given.as_bytes().ct_eq(account.api_key.as_bytes()).into();
    if names_account && key_ok {
        Ok(Caller {
            account_id: account.id,
            role: Role::Owner,
        })
    } else {
        Err(Code::AuthorizationFailed.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn token_with_header(header: &Value) -> String {
        let b64 =
            |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        format!(
            "{}.{}.c2ln",
            b64(header),
            b64(&serde_json::json!({"iss": 0, "iat": 0, "exp": 60}))
        )
    }

    #[test]
    fn header_without_crit_is_read() {
        let t = token_with_header(&serde_json::json!({"alg": "RS256", "typ": "JWT", "kid": "k1"}));
        assert!(matches!(read_header(&t), Ok(h) if h.kid == "k1"));
    }

    #[test]
    fn any_crit_member_refuses_the_token() {
        for crit in [
            serde_json::json!(["exp"]),
            serde_json::json!(["b64"]),
            serde_json::json!([]),
            serde_json::json!(null),
            serde_json::json!("x"),
        ] {
            let t = token_with_header(
                &serde_json::json!({"alg": "RS256", "typ": "JWT", "kid": "k1", "crit": crit}),
            );
            assert_eq!(
                read_header(&t).err(),
                Some(ApiError::Code(Code::AuthorizationFailed)),
                "crit = {crit}"
            );
        }
    }
}
