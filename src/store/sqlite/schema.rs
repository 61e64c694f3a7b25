//! Schema migrations, versioned in code: `MIGRATIONS[i]` takes the database from version `i`
//! to `i + 1` (`PRAGMA user_version`). Append new steps; never edit a released one.

use rusqlite::{Connection, TransactionBehavior};

use super::Db;
use crate::store::{StoreError, StoreResult};

pub(super) const MIGRATIONS: &[&str] = &[
    // 1: accounts, keys, applications, rules, scenarios, bindings, call history.
    r#"
    CREATE TABLE accounts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        email TEXT NOT NULL,
        api_key TEXT NOT NULL,
        created INTEGER NOT NULL
    );
    CREATE TABLE api_keys (
        key_id TEXT PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        public_key_pem TEXT NOT NULL,
        created INTEGER NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0
    );
    -- AUTOINCREMENT everywhere: a deleted object's id is never handed out again.
    CREATE TABLE applications (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        secure_record_storage INTEGER NOT NULL DEFAULT 0,
        modified INTEGER NOT NULL,
        UNIQUE (account_id, name)
    );
    CREATE TABLE rules (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        name_folded TEXT NOT NULL,
        pattern TEXT NOT NULL,
        pattern_exclude TEXT NOT NULL DEFAULT '',
        video_conference INTEGER NOT NULL DEFAULT 0,
        position INTEGER NOT NULL,
        modified INTEGER NOT NULL,
        UNIQUE (application_id, name)
    );
    CREATE INDEX rules_by_position ON rules (application_id, position);
    CREATE TABLE scenarios (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        -- NULL: the shared folder. Deleting the application makes its scenarios shared.
        application_id INTEGER REFERENCES applications(id) ON DELETE SET NULL,
        name TEXT NOT NULL,
        name_folded TEXT NOT NULL,
        script TEXT NOT NULL,
        modified INTEGER NOT NULL,
        UNIQUE (account_id, name)
    );
    CREATE INDEX scenarios_by_application ON scenarios (application_id);
    CREATE TABLE rule_scenarios (
        rule_id INTEGER NOT NULL REFERENCES rules(id) ON DELETE CASCADE,
        scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        PRIMARY KEY (rule_id, scenario_id)
    );
    CREATE INDEX rule_scenarios_by_scenario ON rule_scenarios (scenario_id);
    -- History outlives the applications and rules it names: no foreign keys.
    CREATE TABLE call_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id INTEGER NOT NULL,
        application_id INTEGER NOT NULL,
        application_name TEXT NOT NULL,
        rule_id INTEGER NOT NULL,
        rule_name TEXT NOT NULL,
        user_id INTEGER,
        start_date INTEGER NOT NULL,
        duration INTEGER,
        finish_reason TEXT,
        custom_data TEXT NOT NULL DEFAULT '',
        log_secret TEXT NOT NULL,
        log TEXT NOT NULL DEFAULT '',
        conference_name TEXT,
        state TEXT NOT NULL CHECK (state IN ('running', 'finished'))
    );
    CREATE INDEX call_history_by_start ON call_history (account_id, start_date);
    CREATE INDEX call_history_running ON call_history (state) WHERE state = 'running';
    "#,
    // 2: applications' key-value storage; sessions' transcripts, calls and recordings.
    r#"
    -- An application's storage goes with it.
    CREATE TABLE kv_items (
        application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (application_id, key)
    ) WITHOUT ROWID;
    CREATE INDEX kv_items_by_expiry ON kv_items (application_id, expires_at);
    -- NULL: none saved (sessions of older versions, or still running).
    ALTER TABLE call_history ADD COLUMN transcript TEXT;
    CREATE TABLE session_calls (
        history_id INTEGER NOT NULL REFERENCES call_history(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        call_id TEXT NOT NULL,
        start_time INTEGER NOT NULL,
        duration INTEGER NOT NULL,
        local_number TEXT NOT NULL,
        remote_number TEXT NOT NULL,
        incoming INTEGER NOT NULL,
        successful INTEGER NOT NULL,
        record_url TEXT,
        PRIMARY KEY (history_id, position)
    ) WITHOUT ROWID;
    -- AUTOINCREMENT: the id is the record_id the API reports, never handed out twice.
    CREATE TABLE session_records (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        history_id INTEGER NOT NULL REFERENCES call_history(id) ON DELETE CASCADE,
        record_name TEXT,
        record_url TEXT NOT NULL,
        start_time INTEGER NOT NULL,
        duration INTEGER NOT NULL,
        call_id TEXT NOT NULL
    );
    CREATE INDEX session_records_by_history ON session_records (history_id);
    "#,
    // 3: the account's outbound peer table (`PUT /voxrun/v1/peers`).
    r#"
    CREATE TABLE peer_tables (
        account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        peers TEXT NOT NULL,
        modified INTEGER NOT NULL
    );
    "#,
];

/// The schema version this build writes.
pub(super) const VERSION: usize = MIGRATIONS.len();

/// Apply the migrations the database lacks, each in its own transaction. Safe against a
/// second process migrating at the same moment: the version is re-read under the write lock.
pub(super) fn migrate(conn: &mut Connection) -> StoreResult<()> {
    loop {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db()?;
        let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0)).db()?;
        let current = usize::try_from(current).unwrap_or(usize::MAX);
        if current == VERSION {
            return tx.commit().db();
        }
        let Some(step) = MIGRATIONS.get(current) else {
            return Err(StoreError::Backend(format!(
                "the database has schema version {current}, newer than this voxrun ({VERSION})"
            )));
        };
        tx.execute_batch(step).db()?;
        // PRAGMA values cannot be bound; this one is our own integer, not input.
        tx.execute_batch(&format!("PRAGMA user_version = {}", current + 1))
            .db()?;
        tx.commit().db()?;
    }
}
