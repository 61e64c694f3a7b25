//! Persistence. Knows nothing of sessions or JS: it stores accounts, API keys, applications,
//! rules, scenarios, call history with session logs, transcripts and calls, and the
//! applications' key-value storage ([`key_value`] owns its limits).
//!
//! [`Store`] is the backend-neutral trait (SQLite now, PostgreSQL later); no SQLite type
//! leaves this module. Its methods block, so async code calls them through
//! [`StoreHandle::call`], which runs them off the async threads.

pub mod key_value;
mod model;
mod sqlite;

use std::sync::Arc;

pub use key_value::{KvError, KvItem, KvKey};
pub use model::*;
pub use sqlite::SqliteStore;

/// A storage failure. `Conflict`/`NotFound` carry what the caller needs to pick an API code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The backend failed (I/O, corruption, ...). The text is for logs only.
    Backend(String),
    /// The object a call names does not exist (in the caller's account).
    NotFound(Missing),
    /// The change would break a rule of the data model.
    Conflict(Conflict),
    /// Input the store refuses whatever the data (a limit, a malformed value).
    Invalid(Invalid),
}

/// What was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// A key-value key, value, TTL or pattern outside the platform's limits.
    KeyValue(KvError),
    /// A session transcript that is not a JSON array.
    Transcript,
}

/// What was not found, and by what it was named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    ApplicationId,
    ApplicationName,
    RuleId,
    RuleName,
    ScenarioId,
    ScenarioName,
    History,
}

/// Why a change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// Another application of the account has that name.
    ApplicationName,
    /// Another rule of the application has that name.
    RuleName,
    /// Another scenario of the account has that name.
    ScenarioName,
    /// The scenario belongs to an application other than the rule's.
    ScenarioOfOtherApplication,
    /// A reorder named a scenario that is not bound to the rule.
    ScenarioNotBound,
    /// A reorder did not name every bound scenario exactly once.
    NotTheBoundSet,
    /// A reorder named a rule twice.
    RepeatedRule,
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Backend(m) => write!(f, "storage error: {m}"),
            StoreError::NotFound(what) => write!(f, "not found: {what:?}"),
            StoreError::Conflict(why) => write!(f, "conflict: {why:?}"),
            StoreError::Invalid(Invalid::KeyValue(e)) => write!(f, "invalid: {e}"),
            StoreError::Invalid(Invalid::Transcript) => {
                write!(f, "invalid: the transcript is not a JSON array")
            }
        }
    }
}

impl std::error::Error for StoreError {}

impl From<KvError> for StoreError {
    fn from(e: KvError) -> Self {
        StoreError::Invalid(Invalid::KeyValue(e))
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The account that owns everything (voxrun has one per data dir, created on first start).
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    pub id: u64,
    pub name: String,
    pub email: String,
    /// The legacy API key. Secret: never log it.
    pub api_key: String,
    /// Unix seconds.
    pub created: i64,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
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
    /// Give the account a new name (its applications' full names follow it).
    fn rename_account(&self, id: u64, name: &str) -> StoreResult<()>;
    fn account(&self, id: u64) -> StoreResult<Option<Account>>;
    fn account_by_name(&self, name: &str) -> StoreResult<Option<Account>>;

    fn add_key(&self, key: &ApiKeyRecord) -> StoreResult<()>;
    /// A key by id, revoked or not.
    fn key(&self, key_id: &str) -> StoreResult<Option<ApiKeyRecord>>;
    /// [`Store::key`] if the backend can answer at once, without waiting for a lock or a
    /// busy database (it is called on an async thread); `None`: ask [`Store::key`] off the
    /// async threads instead.
    fn key_at_once(&self, _key_id: &str) -> Option<StoreResult<Option<ApiKeyRecord>>> {
        None
    }
    fn keys(&self) -> StoreResult<Vec<ApiKeyRecord>>;
    /// Mark a key revoked; false when there is no such key.
    fn revoke_key(&self, key_id: &str) -> StoreResult<bool>;

    // Applications. Every method is scoped to `account_id`: another account's objects do not
    // exist for it.

    /// `name` is the short name. A taken name → `Conflict(ApplicationName)`.
    fn add_application(
        &self,
        account_id: u64,
        name: &str,
        secure_record_storage: bool,
    ) -> StoreResult<Application>;
    fn application(&self, account_id: u64, id: u64) -> StoreResult<Option<Application>>;
    fn application_by_name(&self, account_id: u64, name: &str) -> StoreResult<Option<Application>>;
    /// Ordered by id.
    fn applications(
        &self,
        account_id: u64,
        filter: &ApplicationFilter,
        page: Page,
    ) -> StoreResult<Listing<Application>>;
    fn update_application(
        &self,
        account_id: u64,
        id: u64,
        change: &ApplicationChange,
    ) -> StoreResult<()>;
    /// Deletes the applications and their rules; their scenarios become shared. All or
    /// nothing: one unknown id or name deletes nothing. Returns how many were deleted.
    fn delete_applications(&self, account_id: u64, which: &Pick) -> StoreResult<u64>;

    // Rules.

    /// Adds the rule last in priority and binds `scenario_ids` in order.
    fn add_rule(&self, account_id: u64, rule: &NewRule) -> StoreResult<u64>;
    fn rule(&self, account_id: u64, id: u64) -> StoreResult<Option<Rule>>;
    /// Rules with exactly this name, in one application or (None) in all of the account's.
    fn rules_named(
        &self,
        account_id: u64,
        application_id: Option<u64>,
        name: &str,
    ) -> StoreResult<Vec<Rule>>;
    /// Matching rules of one application in priority order (no paging: the API filters
    /// further by `template`).
    fn rules(&self, account_id: u64, filter: &RuleFilter) -> StoreResult<Vec<Rule>>;
    fn update_rule(&self, account_id: u64, id: u64, change: &RuleChange) -> StoreResult<()>;
    /// Within one application, or (None) the whole account. All or nothing.
    fn delete_rules(
        &self,
        account_id: u64,
        application_id: Option<u64>,
        which: &Pick,
    ) -> StoreResult<u64>;
    /// `rule_ids` (rules of `application_id`) take the first places in that order; the
    /// others follow in their previous order.
    fn reorder_rules(
        &self,
        account_id: u64,
        application_id: u64,
        rule_ids: &[u64],
    ) -> StoreResult<()>;
    /// The scenarios bound to a rule, in binding order.
    fn rule_scenarios(
        &self,
        account_id: u64,
        rule_id: u64,
        with_script: bool,
    ) -> StoreResult<Vec<Scenario>>;

    // Scenarios.

    /// A taken name → `Conflict(ScenarioName)` unless `rewrite`. Returns the scenario id.
    fn add_scenario(&self, account_id: u64, scenario: &NewScenario) -> StoreResult<u64>;
    /// With its script.
    fn scenario(&self, account_id: u64, id: u64) -> StoreResult<Option<Scenario>>;
    /// With its script.
    fn scenario_by_name(&self, account_id: u64, name: &str) -> StoreResult<Option<Scenario>>;
    fn scenarios(
        &self,
        account_id: u64,
        filter: &ScenarioFilter,
        page: Page,
    ) -> StoreResult<Listing<Scenario>>;
    fn update_scenario(&self, account_id: u64, id: u64, change: &ScenarioChange)
        -> StoreResult<()>;
    /// Deletes and unbinds everywhere. All or nothing.
    fn delete_scenarios(&self, account_id: u64, which: &Pick) -> StoreResult<u64>;
    /// Appends the scenarios not yet bound, in the given order; bound ones keep their place.
    fn bind_scenarios(
        &self,
        account_id: u64,
        rule_id: u64,
        scenario_ids: &[u64],
    ) -> StoreResult<()>;
    /// Unbinds; scenarios that are not bound are ignored.
    fn unbind_scenarios(
        &self,
        account_id: u64,
        rule_id: u64,
        scenario_ids: &[u64],
    ) -> StoreResult<()>;
    /// `scenario_ids` must be exactly the bound set, each once.
    fn reorder_scenarios(
        &self,
        account_id: u64,
        rule_id: u64,
        scenario_ids: &[u64],
    ) -> StoreResult<()>;

    // Call history and session logs.

    /// Applies session writes in order, all in one transaction: one commit, one sync to disk
    /// for the lot (group commit). All or nothing.
    fn apply_session_writes(&self, writes: &[SessionWrite]) -> StoreResult<()>;
    /// The highest `call_session_history_id` ever given (deleted rows included).
    fn last_history_id(&self) -> StoreResult<u64>;
    /// Appends to the stored session log.
    fn append_history_log(&self, id: u64, text: &str) -> StoreResult<()>;
    /// The stored log, if the row exists and `secret` is its log secret.
    fn history_log(&self, id: u64, secret: &str) -> StoreResult<Option<String>>;
    fn history_row(&self, account_id: u64, id: u64) -> StoreResult<Option<HistoryRow>>;
    fn history(
        &self,
        account_id: u64,
        filter: &HistoryFilter,
        page: Page,
    ) -> StoreResult<HistoryPage>;
    /// Closes every row still running (left by a crash) with this reason; their duration
    /// stays unknown (null). Returns how many.
    fn close_running_sessions(&self, finish_reason: &str) -> StoreResult<u64>;

    /// Replaces the account's outbound peer table (its JSON text, validated by the caller).
    fn set_peer_table(&self, account_id: u64, peers_json: &str) -> StoreResult<()>;
    /// The account's outbound peer table; `None` when none was ever set.
    fn peer_table(&self, account_id: u64) -> StoreResult<Option<String>>;
    /// The saved transcript; `None` if the row is unknown or none was saved yet.
    fn transcript(&self, history_id: u64) -> StoreResult<Option<String>>;
    /// The saved calls and recordings of these rows (rows without any are left out).
    fn session_calls(
        &self,
        history_ids: &[u64],
    ) -> StoreResult<std::collections::HashMap<u64, SessionCalls>>;

    // Key-value storage of an application ([`key_value`]). `now` is Unix seconds: items
    // with `expires_at <= now` do not exist for any method (writes purge them). Keys,
    // values, TTLs and patterns are checked here (`Invalid(KeyValue(..))`).

    /// Creates or replaces the item; `ttl` `None` → the default TTL. Unknown application →
    /// `NotFound(ApplicationId)`.
    fn kv_put(
        &self,
        application_id: u64,
        key: &str,
        value: &str,
        ttl: Option<u64>,
        now: i64,
    ) -> StoreResult<KvItem>;
    fn kv_get(&self, application_id: u64, key: &str, now: i64) -> StoreResult<Option<KvItem>>;
    /// Deletes the item; returns it if it existed (and had not expired).
    fn kv_delete(&self, application_id: u64, key: &str, now: i64) -> StoreResult<Option<KvItem>>;
    /// Keys matching `pattern` (`None`: all), ordered by key.
    fn kv_keys(
        &self,
        application_id: u64,
        pattern: Option<&str>,
        page: Page,
        now: i64,
    ) -> StoreResult<Listing<KvKey>>;
    /// Items matching `pattern` (`None`: all), ordered by key.
    fn kv_items(
        &self,
        application_id: u64,
        pattern: Option<&str>,
        page: Page,
        now: i64,
    ) -> StoreResult<Listing<KvItem>>;
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

    /// A key by id, read at once when the backend can ([`Store::key_at_once`]: every
    /// authenticated request with a JWT needs it), else off the async threads.
    pub async fn key(&self, key_id: &str) -> StoreResult<Option<ApiKeyRecord>> {
        if let Some(answer) = self.inner.key_at_once(key_id) {
            return answer;
        }
        let key_id = key_id.to_string();
        self.call(move |s| s.key(&key_id)).await
    }

    /// Direct, blocking access (CLI commands, start-up, tests).
    pub fn blocking(&self) -> &dyn Store {
        self.inner.as_ref()
    }
}

/// One-step session writes for tests: each is a one-item [`Store::apply_session_writes`],
/// the one way the server writes a session.
#[cfg(test)]
pub(crate) trait SessionWritesForTests: Store {
    /// Records a running session under the next id; returns it.
    fn create_history(&self, row: &HistoryStart) -> StoreResult<u64> {
        let id = self.last_history_id()? + 1;
        self.apply_session_writes(&[SessionWrite::Start {
            id,
            row: row.clone(),
        }])?;
        Ok(id)
    }

    fn finish_history(
        &self,
        id: u64,
        duration: u64,
        reason: &str,
        custom_data: &str,
        log: &str,
    ) -> StoreResult<()> {
        self.apply_session_writes(&[SessionWrite::Finish {
            id,
            duration,
            reason: reason.to_string(),
            custom_data: custom_data.to_string(),
            log: log.to_string(),
        }])
    }

    fn save_session_calls(
        &self,
        id: u64,
        transcript: &str,
        calls: &[CallRecord],
        records: &[RecordRecord],
    ) -> StoreResult<()> {
        self.apply_session_writes(&[SessionWrite::Calls {
            id,
            transcript: transcript.to_string(),
            calls: calls.to_vec(),
            records: records.to_vec(),
        }])
    }
}

#[cfg(test)]
impl<S: Store + ?Sized> SessionWritesForTests for S {}
