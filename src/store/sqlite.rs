//! The SQLite backend: one writing connection behind a mutex and a few reading ones, WAL
//! journal, `synchronous=FULL`.
//!
//! Durability: every change runs in its own `BEGIN IMMEDIATE` transaction that is committed
//! before the method returns, so an acknowledged change survives `kill -9`. Reads run in a
//! transaction of their own on a reading connection: WAL lets them see the last commit while
//! the writer's transaction (and its sync) is under way, so a start's lookups do not wait
//! behind a batch of history rows being synced. A read that begins after a write returned
//! sees that write. One more reading connection never waits (busy timeout 0): a JWT's key
//! is read on it from the async thread (`Store::key_at_once`), and when it is in use or
//! SQLite would have to wait, the read goes to the blocking pool as any other.
//!
//! No data is cached: the `voxrun keys` CLI writes to the same file while a server runs, and
//! the server must see new and revoked keys at once. Statements are prepared once per
//! connection (`prepare_cached`). SQLite types stay in this module and its children.

mod accounts;
mod applications;
mod history;
mod key_value;
mod peers;
mod rules;
mod scenarios;
mod schema;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_kv;
mod transcripts;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, Params, Row, Transaction, TransactionBehavior};

use super::{
    Account, ApiKeyRecord, Application, ApplicationChange, ApplicationFilter, HistoryFilter,
    HistoryPage, HistoryRow, KvItem, KvKey, Listing, NewRule, NewScenario, Page, Pick, Rule,
    RuleChange, RuleFilter, Scenario, ScenarioChange, ScenarioFilter, SessionCalls, SessionWrite,
    Store, StoreError, StoreResult,
};

/// How long a write waits for another process (the keys CLI) to release the database.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Idle reading connections kept open (more are opened while reads overlap, then closed).
const IDLE_READERS_MAX: usize = 4;

/// Prepared statements kept per connection (the store has about 90 distinct ones).
const STATEMENT_CACHE: usize = 128;

pub struct SqliteStore {
    conn: Mutex<Connection>,
    path: PathBuf,
    readers: Mutex<Vec<Connection>>,
    /// A reading connection that never waits (busy timeout 0), for reads made on an async
    /// thread ([`Store::key_at_once`]); `None` until first used.
    at_once: Mutex<Option<Connection>>,
}

impl SqliteStore {
    /// Open (creating if needed) the database at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> StoreResult<SqliteStore> {
        let mut conn = Connection::open(path).db()?;
        conn.busy_timeout(BUSY_TIMEOUT).db()?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .db()?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Backend(format!(
                "cannot use the WAL journal (got {mode})"
            )));
        }
        conn.pragma_update(None, "synchronous", "FULL").db()?;
        conn.pragma_update(None, "foreign_keys", "ON").db()?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        schema::migrate(&mut conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            readers: Mutex::new(Vec::new()),
            at_once: Mutex::new(None),
        })
    }

    /// A reading connection: the files exist (the writer made them), and it refuses writes.
    fn open_reader(&self) -> StoreResult<Connection> {
        let conn = Connection::open(&self.path).db()?;
        conn.busy_timeout(BUSY_TIMEOUT).db()?;
        conn.pragma_update(None, "query_only", "ON").db()?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(conn)
    }

    fn lock(&self) -> StoreResult<std::sync::MutexGuard<'_, Connection>> {
        self.conn
            .lock()
            .map_err(|_| StoreError::Backend("the store's connection lock is poisoned".into()))
    }

    /// Runs `f` on the never-waiting connection if it is free; `None` when it is in use,
    /// cannot be opened, or SQLite would have to wait (the database is busy or locked).
    fn read_at_once<R>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<R>,
    ) -> Option<StoreResult<R>> {
        let mut slot = self.at_once.try_lock().ok()?;
        if slot.is_none() {
            let conn = self.open_reader().ok()?;
            conn.busy_timeout(Duration::ZERO).ok()?;
            *slot = Some(conn);
        }
        let conn = slot.as_ref()?;
        match f(conn) {
            Ok(r) => Some(Ok(r)),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                None
            }
            Err(e) => Some(Err(StoreError::Backend(e.to_string()))),
        }
    }

    /// Run reads in one read transaction (one snapshot) on a reading connection.
    fn read<R>(&self, f: impl FnOnce(&Connection) -> StoreResult<R>) -> StoreResult<R> {
        let idle = self
            .readers
            .lock()
            .map_err(|_| StoreError::Backend("the store's reader list is poisoned".into()))?
            .pop();
        let mut conn = match idle {
            Some(c) => c,
            None => self.open_reader()?,
        };
        let out = {
            let tx = conn.transaction().db()?;
            // Dropped at the end: a read transaction's rollback only ends its snapshot.
            f(&tx)
        };
        if let Ok(mut idle) = self.readers.lock() {
            if idle.len() < IDLE_READERS_MAX {
                idle.push(conn);
            }
        }
        out
    }

    /// Run a change in one immediate transaction, committed before returning. An error rolls
    /// everything back (the transaction is dropped uncommitted).
    fn write<R>(&self, f: impl FnOnce(&Transaction<'_>) -> StoreResult<R>) -> StoreResult<R> {
        let mut conn = self.lock()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db()?;
        let out = f(&tx)?;
        tx.commit().db()?;
        Ok(out)
    }
}

/// `query_row` and `execute` through the connection's statement cache.
trait Cached {
    fn row<T, P: Params>(
        &self,
        sql: &str,
        params: P,
        f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T>;
    fn run<P: Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
}

impl Cached for Connection {
    fn row<T, P: Params>(
        &self,
        sql: &str,
        params: P,
        f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    fn run<P: Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }
}

/// rusqlite errors → `StoreError::Backend`, without a public `From` that would leak the type.
trait Db<T> {
    fn db(self) -> StoreResult<T>;
}

impl<T> Db<T> for Result<T, rusqlite::Error> {
    fn db(self) -> StoreResult<T> {
        self.map_err(|e| StoreError::Backend(e.to_string()))
    }
}

/// Ids cross the API as u64 but SQLite stores i64; ids beyond i64 cannot exist.
fn sql_id(id: u64) -> i64 {
    i64::try_from(id).unwrap_or(i64::MAX)
}

/// An id read back from SQLite (always positive).
fn api_id(id: i64) -> u64 {
    u64::try_from(id).unwrap_or(0)
}

fn sql_int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A list of ids or names as one JSON parameter for `json_each(?)`: any length, still bound
/// (not spliced into the SQL).
fn json_list<T: serde::Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_string())
}

/// The case-folded form used for case-insensitive name filters (SQLite's own `lower()` and
/// `LIKE` fold ASCII only).
fn fold(s: &str) -> String {
    s.to_lowercase()
}

impl Store for SqliteStore {
    fn init_account(&self, name: &str, email: &str, api_key: &str) -> StoreResult<Account> {
        self.write(|tx| accounts::init_account(tx, name, email, api_key))
    }

    fn rename_account(&self, id: u64, name: &str) -> StoreResult<()> {
        self.write(|tx| accounts::rename_account(tx, id, name))
    }

    fn account(&self, id: u64) -> StoreResult<Option<Account>> {
        self.read(|c| accounts::account(c, id))
    }

    fn account_by_name(&self, name: &str) -> StoreResult<Option<Account>> {
        self.read(|c| accounts::account_by_name(c, name))
    }

    fn add_key(&self, key: &ApiKeyRecord) -> StoreResult<()> {
        self.write(|tx| accounts::add_key(tx, key))
    }

    fn key(&self, key_id: &str) -> StoreResult<Option<ApiKeyRecord>> {
        self.read(|c| accounts::key(c, key_id))
    }

    fn key_at_once(&self, key_id: &str) -> Option<StoreResult<Option<ApiKeyRecord>>> {
        self.read_at_once(|c| accounts::key_query(c, key_id))
    }

    fn keys(&self) -> StoreResult<Vec<ApiKeyRecord>> {
        self.read(accounts::keys)
    }

    fn revoke_key(&self, key_id: &str) -> StoreResult<bool> {
        self.write(|tx| accounts::revoke_key(tx, key_id))
    }

    fn add_application(
        &self,
        account_id: u64,
        name: &str,
        secure_record_storage: bool,
    ) -> StoreResult<Application> {
        self.write(|tx| applications::add(tx, account_id, name, secure_record_storage))
    }

    fn application(&self, account_id: u64, id: u64) -> StoreResult<Option<Application>> {
        self.read(|c| applications::by_id(c, account_id, id))
    }

    fn application_by_name(&self, account_id: u64, name: &str) -> StoreResult<Option<Application>> {
        self.read(|c| applications::by_name(c, account_id, name))
    }

    fn applications(
        &self,
        account_id: u64,
        filter: &ApplicationFilter,
        page: Page,
    ) -> StoreResult<Listing<Application>> {
        self.read(|c| applications::list(c, account_id, filter, page))
    }

    fn update_application(
        &self,
        account_id: u64,
        id: u64,
        change: &ApplicationChange,
    ) -> StoreResult<()> {
        self.write(|tx| applications::update(tx, account_id, id, change))
    }

    fn delete_applications(&self, account_id: u64, which: &Pick) -> StoreResult<u64> {
        self.write(|tx| applications::delete(tx, account_id, which))
    }

    fn add_rule(&self, account_id: u64, rule: &NewRule) -> StoreResult<u64> {
        self.write(|tx| rules::add(tx, account_id, rule))
    }

    fn rule(&self, account_id: u64, id: u64) -> StoreResult<Option<Rule>> {
        self.read(|c| rules::by_id(c, account_id, id))
    }

    fn rules_named(
        &self,
        account_id: u64,
        application_id: Option<u64>,
        name: &str,
    ) -> StoreResult<Vec<Rule>> {
        self.read(|c| rules::named(c, account_id, application_id, name))
    }

    fn rules(&self, account_id: u64, filter: &RuleFilter) -> StoreResult<Vec<Rule>> {
        self.read(|c| rules::list(c, account_id, filter))
    }

    fn update_rule(&self, account_id: u64, id: u64, change: &RuleChange) -> StoreResult<()> {
        self.write(|tx| rules::update(tx, account_id, id, change))
    }

    fn delete_rules(
        &self,
        account_id: u64,
        application_id: Option<u64>,
        which: &Pick,
    ) -> StoreResult<u64> {
        self.write(|tx| rules::delete(tx, account_id, application_id, which))
    }

    fn reorder_rules(
        &self,
        account_id: u64,
        application_id: u64,
        rule_ids: &[u64],
    ) -> StoreResult<()> {
        self.write(|tx| rules::reorder(tx, account_id, application_id, rule_ids))
    }

    fn rule_scenarios(
        &self,
        account_id: u64,
        rule_id: u64,
        with_script: bool,
    ) -> StoreResult<Vec<Scenario>> {
        self.read(|c| scenarios::bound_to(c, account_id, rule_id, with_script))
    }

    fn add_scenario(&self, account_id: u64, scenario: &NewScenario) -> StoreResult<u64> {
        self.write(|tx| scenarios::add(tx, account_id, scenario))
    }

    fn scenario(&self, account_id: u64, id: u64) -> StoreResult<Option<Scenario>> {
        self.read(|c| scenarios::by_id(c, account_id, id))
    }

    fn scenario_by_name(&self, account_id: u64, name: &str) -> StoreResult<Option<Scenario>> {
        self.read(|c| scenarios::by_name(c, account_id, name))
    }

    fn scenarios(
        &self,
        account_id: u64,
        filter: &ScenarioFilter,
        page: Page,
    ) -> StoreResult<Listing<Scenario>> {
        self.read(|c| scenarios::list(c, account_id, filter, page))
    }

    fn update_scenario(
        &self,
        account_id: u64,
        id: u64,
        change: &ScenarioChange,
    ) -> StoreResult<()> {
        self.write(|tx| scenarios::update(tx, account_id, id, change))
    }

    fn delete_scenarios(&self, account_id: u64, which: &Pick) -> StoreResult<u64> {
        self.write(|tx| scenarios::delete(tx, account_id, which))
    }

    fn bind_scenarios(
        &self,
        account_id: u64,
        rule_id: u64,
        scenario_ids: &[u64],
    ) -> StoreResult<()> {
        self.write(|tx| scenarios::bind(tx, account_id, rule_id, scenario_ids))
    }

    fn unbind_scenarios(
        &self,
        account_id: u64,
        rule_id: u64,
        scenario_ids: &[u64],
    ) -> StoreResult<()> {
        self.write(|tx| scenarios::unbind(tx, account_id, rule_id, scenario_ids))
    }

    fn reorder_scenarios(
        &self,
        account_id: u64,
        rule_id: u64,
        scenario_ids: &[u64],
    ) -> StoreResult<()> {
        self.write(|tx| scenarios::reorder(tx, account_id, rule_id, scenario_ids))
    }

    fn apply_session_writes(&self, writes: &[SessionWrite]) -> StoreResult<()> {
        self.write(|tx| {
            for w in writes {
                match w {
                    SessionWrite::Start { id, row } => {
                        history::create(tx, *id, row)?;
                    }
                    SessionWrite::Calls {
                        id,
                        transcript,
                        calls,
                        records,
                    } => transcripts::save(tx, *id, transcript, calls, records)?,
                    SessionWrite::Finish {
                        id,
                        duration,
                        reason,
                        custom_data,
                        log,
                    } => history::finish(tx, *id, *duration, reason, custom_data, log)?,
                }
            }
            Ok(())
        })
    }

    fn last_history_id(&self) -> StoreResult<u64> {
        self.read(history::last_id)
    }

    fn append_history_log(&self, id: u64, text: &str) -> StoreResult<()> {
        self.write(|tx| history::append_log(tx, id, text))
    }

    fn history_log(&self, id: u64, secret: &str) -> StoreResult<Option<String>> {
        self.read(|c| history::log(c, id, secret))
    }

    fn history_row(&self, account_id: u64, id: u64) -> StoreResult<Option<HistoryRow>> {
        self.read(|c| history::row(c, account_id, id))
    }

    fn history(
        &self,
        account_id: u64,
        filter: &HistoryFilter,
        page: Page,
    ) -> StoreResult<HistoryPage> {
        self.read(|c| history::list(c, account_id, filter, page))
    }

    fn close_running_sessions(&self, finish_reason: &str) -> StoreResult<u64> {
        self.write(|tx| history::close_running(tx, finish_reason))
    }

    fn set_peer_table(&self, account_id: u64, peers_json: &str) -> StoreResult<()> {
        self.write(|tx| peers::set(tx, account_id, peers_json))
    }

    fn peer_table(&self, account_id: u64) -> StoreResult<Option<String>> {
        self.read(|c| peers::get(c, account_id))
    }

    fn transcript(&self, history_id: u64) -> StoreResult<Option<String>> {
        self.read(|c| transcripts::transcript(c, history_id))
    }

    fn session_calls(&self, history_ids: &[u64]) -> StoreResult<HashMap<u64, SessionCalls>> {
        self.read(|c| transcripts::calls(c, history_ids))
    }

    fn kv_put(
        &self,
        app: u64,
        key: &str,
        value: &str,
        ttl: Option<u64>,
        now: i64,
    ) -> StoreResult<KvItem> {
        self.write(|tx| key_value::put(tx, app, key, value, ttl, now))
    }

    fn kv_get(&self, app: u64, key: &str, now: i64) -> StoreResult<Option<KvItem>> {
        self.read(|c| key_value::get(c, app, key, now))
    }

    fn kv_delete(&self, app: u64, key: &str, now: i64) -> StoreResult<Option<KvItem>> {
        self.write(|tx| key_value::delete(tx, app, key, now))
    }

    fn kv_keys(
        &self,
        app: u64,
        pattern: Option<&str>,
        page: Page,
        now: i64,
    ) -> StoreResult<Listing<KvKey>> {
        self.read(|c| key_value::keys(c, app, pattern, page, now))
    }

    fn kv_items(
        &self,
        app: u64,
        pattern: Option<&str>,
        page: Page,
        now: i64,
    ) -> StoreResult<Listing<KvItem>> {
        self.read(|c| key_value::items(c, app, pattern, page, now))
    }
}
