//! Accounts and service-account keys.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{api_id, now, sql_id, Cached, Db};
use crate::store::{Account, ApiKeyRecord, StoreResult};

const ACCOUNT_COLUMNS: &str = "id, name, email, api_key, created";
const KEY_COLUMNS: &str = "key_id, account_id, role, public_key_pem, created, revoked";

fn account_row(r: &Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        id: api_id(r.get(0)?),
        name: r.get(1)?,
        email: r.get(2)?,
        api_key: r.get(3)?,
        created: r.get(4)?,
    })
}

fn key_row(r: &Row<'_>) -> rusqlite::Result<ApiKeyRecord> {
    Ok(ApiKeyRecord {
        key_id: r.get(0)?,
        account_id: api_id(r.get(1)?),
        role: r.get(2)?,
        public_key_pem: r.get(3)?,
        created: r.get(4)?,
        revoked: r.get(5)?,
    })
}

pub(super) fn init_account(
    conn: &Connection,
    name: &str,
    email: &str,
    api_key: &str,
) -> StoreResult<Account> {
    let first = conn
        .row(
            &format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY id LIMIT 1"),
            [],
            account_row,
        )
        .optional()
        .db()?;
    if let Some(account) = first {
        return Ok(account);
    }
    let created = now();
    conn.run(
        "INSERT INTO accounts (name, email, api_key, created) VALUES (?1, ?2, ?3, ?4)",
        params![name, email, api_key, created],
    )
    .db()?;
    Ok(Account {
        id: api_id(conn.last_insert_rowid()),
        name: name.to_string(),
        email: email.to_string(),
        api_key: api_key.to_string(),
        created,
    })
}

pub(super) fn rename_account(conn: &Connection, id: u64, name: &str) -> StoreResult<()> {
    conn.run(
        "UPDATE accounts SET name = ?1 WHERE id = ?2",
        params![name, sql_id(id)],
    )
    .db()?;
    Ok(())
}

pub(super) fn account(conn: &Connection, id: u64) -> StoreResult<Option<Account>> {
    conn.row(
        &format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = ?1"),
        [sql_id(id)],
        account_row,
    )
    .optional()
    .db()
}

pub(super) fn account_by_name(conn: &Connection, name: &str) -> StoreResult<Option<Account>> {
    conn.row(
        &format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE name = ?1"),
        [name],
        account_row,
    )
    .optional()
    .db()
}

pub(super) fn add_key(conn: &Connection, key: &ApiKeyRecord) -> StoreResult<()> {
    conn.run(
        "INSERT INTO api_keys (key_id, account_id, role, public_key_pem, created, revoked) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            key.key_id,
            sql_id(key.account_id),
            key.role,
            key.public_key_pem,
            key.created,
            key.revoked
        ],
    )
    .db()?;
    Ok(())
}

pub(super) fn key(conn: &Connection, key_id: &str) -> StoreResult<Option<ApiKeyRecord>> {
    key_query(conn, key_id).db()
}

/// [`key`], with SQLite's own error (the quick path tells "busy" from a failure).
pub(super) fn key_query(conn: &Connection, key_id: &str) -> rusqlite::Result<Option<ApiKeyRecord>> {
    conn.row(
        &format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE key_id = ?1"),
        [key_id],
        key_row,
    )
    .optional()
}

pub(super) fn keys(conn: &Connection) -> StoreResult<Vec<ApiKeyRecord>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {KEY_COLUMNS} FROM api_keys ORDER BY created, key_id"
        ))
        .db()?;
    let rows = stmt.query_map([], key_row).db()?;
    rows.collect::<Result<Vec<_>, _>>().db()
}

pub(super) fn revoke_key(conn: &Connection, key_id: &str) -> StoreResult<bool> {
    let n = conn
        .run(
            "UPDATE api_keys SET revoked = 1 WHERE key_id = ?1",
            [key_id],
        )
        .db()?;
    Ok(n > 0)
}
