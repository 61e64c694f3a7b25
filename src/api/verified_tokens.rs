//! JWT signatures already verified, so that a client that sends the same token again (a
//! token is valid for up to an hour) does not pay for an RSA verification each time.
//!
//! What is kept is only the fact "these exact token bytes carry a valid signature under this
//! exact public key", with the token's claims; both are immutable. Everything that can
//! change is still checked on every request by the caller: the key is looked up (so a
//! deleted key or a changed role takes effect at once) and the claims' times are checked
//! against the clock. Entries are named by SHA-256 digests; no token is stored.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Past this many entries the cache starts again empty (tokens live an hour at most).
const MAX_ENTRIES: usize = 4096;

type Digest32 = [u8; 32];

#[derive(Default)]
pub struct VerifiedTokens {
    entries: Mutex<HashMap<Digest32, (Digest32, Value)>>,
}

/// Names one token under one public key.
pub struct TokenId {
    token: Digest32,
    key: Digest32,
}

impl TokenId {
    pub fn new(token: &str, public_key_pem: &str) -> Self {
        TokenId {
            token: Sha256::digest(token.as_bytes()).into(),
            key: Sha256::digest(public_key_pem.as_bytes()).into(),
        }
    }
}

impl VerifiedTokens {
    /// The claims of a token whose signature was verified under the same key before.
    pub fn claims(&self, id: &TokenId) -> Option<Value> {
        let entries = self.entries.lock().ok()?;
        let (key, claims) = entries.get(&id.token)?;
        (*key == id.key).then(|| claims.clone())
    }

    /// Records a token whose signature was just verified.
    pub fn insert(&self, id: TokenId, claims: Value) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(id.token, (id.key, claims));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_known_only_under_the_key_that_verified_it() {
        let cache = VerifiedTokens::default();
        cache.insert(TokenId::new("a.b.c", "KEY1"), serde_json::json!({"iss": 1}));
        assert_eq!(
            cache.claims(&TokenId::new("a.b.c", "KEY1")),
            Some(serde_json::json!({"iss": 1}))
        );
        assert_eq!(cache.claims(&TokenId::new("a.b.c", "KEY2")), None);
        assert_eq!(cache.claims(&TokenId::new("a.b.d", "KEY1")), None);
    }
}
