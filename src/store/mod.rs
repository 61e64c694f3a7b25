//! Persistence. Knows nothing of sessions or JS: it stores accounts, API keys, applications,
//! rules, scenarios, call history and session logs.
//!
//! [`Store`] is the backend-neutral trait (SQLite now, PostgreSQL later); no SQLite type
//! leaves this module. Its methods block, so async code calls them through
//! [`StoreHandle::call`], which runs them off the async threads.

mod sqlite;

use std::sync::Arc;

pub use sqlite::SqliteStore;

/// A storage failure. `Conflict`/`NotFound` carry what the caller needs to pick an API code.
#[derive(Debug)]
pub enum StoreError {
    /// The backend failed (I/O, corruption, ...). The text is for logs only.
    Backend(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Backend(m) => write!(f, "storage error: {m}"),
        }
    }
}

impl std::error::Error for StoreError {}

pub type StoreResult<T> = Result<T, StoreError>;

/// The account that owns everything (voxrun has one per data dir, created on first start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: u64,
    pub name: String,
    pub email: String,
    /// The legacy API key. Secret: never log it.
    pub api_key: String,
    /// Unix seconds.
    pub created: i64,
}

/// A service-account key. The server keeps only the public half.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyRecord {
    pub key_id: String,
    pub account_id: u64,
    /// `Owner`, `Developer` or `Support`.
    pub role: String,
    pub public_key_pem: String,
    /// Unix seconds.
    pub created: i64,
    pub revoked: bool,
}

/// The storage backend.
pub trait Store: Send + Sync + 'static {
    /// Create the account if the store has none; return the (first) account.
    fn init_account(&self, name: &str, email: &str, api_key: &str) -> StoreResult<Account>;
    fn account(&self, id: u64) -> StoreResult<Option<Account>>;
    fn account_by_name(&self, name: &str) -> StoreResult<Option<Account>>;

    fn add_key(&self, key: &ApiKeyRecord) -> StoreResult<()>;
    /// A key by id, revoked or not.
    fn key(&self, key_id: &str) -> StoreResult<Option<ApiKeyRecord>>;
    fn keys(&self) -> StoreResult<Vec<ApiKeyRecord>>;
    /// Mark a key revoked; false when there is no such key.
    fn revoke_key(&self, key_id: &str) -> StoreResult<bool>;
}

/// A cheap, cloneable handle that runs store calls on the blocking pool.
#[derive(Clone)]
pub struct StoreHandle {
    inner: Arc<dyn Store>,
}

impl StoreHandle {
    pub fn new(store: Arc<dyn Store>) -> Self {
        StoreHandle { inner: store }
    }

    /// Run `f` against the store off the async threads.
    pub async fn call<R, F>(&self, f: F) -> StoreResult<R>
    where
        F: FnOnce(&dyn Store) -> StoreResult<R> + Send + 'static,
        R: Send + 'static,
    {
        let store = self.inner.clone();
        match tokio::task::spawn_blocking(move || f(store.as_ref())).await {
            Ok(r) => r,
            Err(e) => Err(StoreError::Backend(format!("store task failed: {e}"))),
        }
    }

    /// Direct, blocking access (CLI commands, start-up, tests).
    pub fn blocking(&self) -> &dyn Store {
        self.inner.as_ref()
    }
}
