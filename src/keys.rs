//! Service-account keys: RSA key pairs, the official key-file format, and the `keys` command.
//!
//! The server stores only public keys; the private key goes to the key file and nowhere else.

use std::io::Write;
use std::path::Path;

use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::pkcs8::LineEnding;
use rsa::RsaPrivateKey;
use serde::{Deserialize, Serialize};

use crate::api::Role;
use crate::store::{Account, ApiKeyRecord, Store};

/// The official key file: what the real API clients read.
#[derive(Clone, Serialize, Deserialize)]
pub struct KeyFile {
    pub account_email: String,
    pub account_id: u64,
    pub key_id: String,
    pub private_key: String,
}

impl std::fmt::Debug for KeyFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyFile")
            .field("account_id", &self.account_id)
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// A new RSA-2048 key for `account` with `role`: the key file and the record to store.
pub fn generate(account: &Account, role: Role) -> Result<(KeyFile, ApiKeyRecord), String> {
    let mut rng = rand::thread_rng();
    let private =
        RsaPrivateKey::new(&mut rng, 2048).map_err(|e| format!("key generation failed: {e}"))?;
    let private_pem = private
        .to_pkcs1_pem(LineEnding::LF)
        .map_err(|e| format!("key encoding failed: {e}"))?;
    let public_pem = private
        .to_public_key()
        .to_pkcs1_pem(LineEnding::LF)
        .map_err(|e| format!("key encoding failed: {e}"))?;
    let key_id = uuid::Uuid::new_v4().to_string();
    let file = KeyFile {
        account_email: account.email.clone(),
        account_id: account.id,
        key_id: key_id.clone(),
        private_key: private_pem.to_string(),
    };
    let record = ApiKeyRecord {
        key_id,
        account_id: account.id,
        role: role.as_str().to_string(),
        public_key_pem: public_pem,
        created: chrono::Utc::now().timestamp(),
        revoked: false,
    };
    Ok((file, record))
}

/// Create a key, store its public half, and write the key file (mode 0600).
///
/// The key is stored first: a crash in between leaves an unused public key, never a key
/// file the server does not know.
pub fn create(
    store: &dyn Store,
    account: &Account,
    role: Role,
    out: &Path,
) -> Result<KeyFile, String> {
    let (file, record) = generate(account, role)?;
    let json =
        serde_json::to_vec_pretty(&file).map_err(|e| format!("cannot encode the key file: {e}"))?;
    store.add_key(&record).map_err(|e| e.to_string())?;
    if let Err(e) = write_private(out, &json) {
        let _ = store.revoke_key(&record.key_id);
        return Err(e);
    }
    Ok(file)
}

/// Write a secret file readable by its owner only, atomically (temp file + rename).
pub fn write_private(path: &Path, data: &[u8]) -> Result<(), String> {
    let tmp = path.with_extension("tmp");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(&tmp)
        .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    f.write_all(data)
        .and_then(|_| f.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_signs_tokens_its_public_half_verifies() {
        let account = Account {
            id: 7,
            name: "dev".into(),
            email: "dev@localhost".into(),
            api_key: "k".into(),
            created: 0,
        };
        let (file, record) = generate(&account, Role::Developer).unwrap();
        assert_eq!(file.account_id, 7);
        assert_eq!(record.role, "Developer");
        assert!(file
            .private_key
            .starts_with("-----BEGIN RSA PRIVATE KEY-----"));
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(file.key_id.clone());
        let claims = serde_json::json!({"iss": "7", "iat": 1, "exp": 2});
        let enc = jsonwebtoken::EncodingKey::from_rsa_pem(file.private_key.as_bytes()).unwrap();
        let token = jsonwebtoken::encode(&header, &claims, &enc).unwrap();
        let dec =
            jsonwebtoken::DecodingKey::from_rsa_pem(record.public_key_pem.as_bytes()).unwrap();
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        v.validate_exp = false;
        v.required_spec_claims.clear();
        assert!(jsonwebtoken::decode::<serde_json::Value>(&token, &dec, &v).is_ok());
    }
}
