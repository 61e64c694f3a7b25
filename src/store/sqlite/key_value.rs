//! Key-value items of applications (`kv_items`). Expired rows are skipped by every read and
//! purged, per application, by every write (no background sweeper: nothing else runs here).

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{api_id, sql_id, sql_int, Cached, Db};
use crate::store::key_value::{self, KvItem, KvKey};
use crate::store::{Listing, Missing, Page, StoreError, StoreResult};

/// A pattern as query parameters: the exact key and its namespace prefix with that prefix's
/// length in characters; all NULL for "every key" (see [`key_value::matches`]).
struct PatternParams {
    exact: Option<String>,
    prefix: Option<String>,
    prefix_chars: Option<i64>,
}

fn pattern_params(pattern: Option<&str>) -> StoreResult<PatternParams> {
    match pattern.filter(|p| !p.is_empty()) {
        None => Ok(PatternParams {
            exact: None,
            prefix: None,
            prefix_chars: None,
        }),
        Some(p) => {
            key_value::check_pattern(p)?;
            let prefix = key_value::namespace_prefix(p);
            let chars = i64::try_from(prefix.chars().count()).unwrap_or(i64::MAX);
            Ok(PatternParams {
                exact: Some(p.to_string()),
                prefix: Some(prefix),
                prefix_chars: Some(chars),
            })
        }
    }
}

/// `?2` now, `?3` exact key, `?4` prefix, `?5` prefix length; SQLite's `substr` and the
/// BINARY collation work on characters and code points, as the Rust rule does.
const MATCHING: &str = "application_id = ?1 AND expires_at > ?2 \
                        AND (?3 IS NULL OR key = ?3 OR substr(key, 1, ?5) = ?4)";

fn item(r: &Row<'_>) -> rusqlite::Result<KvItem> {
    Ok(KvItem {
        key: r.get(0)?,
        value: r.get(1)?,
        expires_at: r.get(2)?,
    })
}

fn purge_expired(conn: &Connection, application_id: u64, now: i64) -> StoreResult<()> {
    conn.run(
        "DELETE FROM kv_items WHERE application_id = ?1 AND expires_at <= ?2",
        params![sql_id(application_id), now],
    )
    .db()?;
    Ok(())
}

pub(super) fn put(
    conn: &Connection,
    application_id: u64,
    key: &str,
    value: &str,
    ttl: Option<u64>,
    now: i64,
) -> StoreResult<KvItem> {
    key_value::check_key(key)?;
    key_value::check_value(value)?;
    let ttl = key_value::ttl_or_default(ttl)?;
    let exists: Option<i64> = conn
        .row(
            "SELECT 1 FROM applications WHERE id = ?1",
            [sql_id(application_id)],
            |r| r.get(0),
        )
        .optional()
        .db()?;
    if exists.is_none() {
        return Err(StoreError::NotFound(Missing::ApplicationId));
    }
    purge_expired(conn, application_id, now)?;
    let expires_at = key_value::expiry(now, ttl);
    conn.run(
        "INSERT INTO kv_items (application_id, key, value, expires_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (application_id, key) DO UPDATE SET value = ?3, expires_at = ?4",
        params![sql_id(application_id), key, value, expires_at],
    )
    .db()?;
    Ok(KvItem {
        key: key.to_string(),
        value: value.to_string(),
        expires_at,
    })
}

pub(super) fn get(
    conn: &Connection,
    application_id: u64,
    key: &str,
    now: i64,
) -> StoreResult<Option<KvItem>> {
    key_value::check_key(key)?;
    conn.row(
        "SELECT key, value, expires_at FROM kv_items \
         WHERE application_id = ?1 AND key = ?2 AND expires_at > ?3",
        params![sql_id(application_id), key, now],
        item,
    )
    .optional()
    .db()
}

pub(super) fn delete(
    conn: &Connection,
    application_id: u64,
    key: &str,
    now: i64,
) -> StoreResult<Option<KvItem>> {
    let found = get(conn, application_id, key, now)?;
    conn.run(
        "DELETE FROM kv_items WHERE application_id = ?1 AND key = ?2",
        params![sql_id(application_id), key],
    )
    .db()?;
    purge_expired(conn, application_id, now)?;
    Ok(found)
}

fn count(conn: &Connection, application_id: u64, now: i64, p: &PatternParams) -> StoreResult<u64> {
    let n: i64 = conn
        .row(
            &format!("SELECT COUNT(*) FROM kv_items WHERE {MATCHING}"),
            params![
                sql_id(application_id),
                now,
                p.exact,
                p.prefix,
                p.prefix_chars
            ],
            |r| r.get(0),
        )
        .db()?;
    Ok(api_id(n))
}

/// The matching rows, paged, with `columns` read by `map`.
fn page_of<T>(
    conn: &Connection,
    application_id: u64,
    pattern: Option<&str>,
    page: Page,
    now: i64,
    columns: &str,
    map: fn(&Row<'_>) -> rusqlite::Result<T>,
) -> StoreResult<Listing<T>> {
    let p = pattern_params(pattern)?;
    let total = count(conn, application_id, now, &p)?;
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {columns} FROM kv_items WHERE {MATCHING} ORDER BY key LIMIT ?6 OFFSET ?7"
        ))
        .db()?;
    let items = stmt
        .query_map(
            params![
                sql_id(application_id),
                now,
                p.exact,
                p.prefix,
                p.prefix_chars,
                sql_int(page.count),
                sql_int(page.offset)
            ],
            map,
        )
        .db()?
        .collect::<Result<Vec<_>, _>>()
        .db()?;
    Ok(Listing { total, items })
}

pub(super) fn keys(
    conn: &Connection,
    application_id: u64,
    pattern: Option<&str>,
    page: Page,
    now: i64,
) -> StoreResult<Listing<KvKey>> {
    page_of(
        conn,
        application_id,
        pattern,
        page,
        now,
        "key, expires_at",
        |r| {
            Ok(KvKey {
                key: r.get(0)?,
                expires_at: r.get(1)?,
            })
        },
    )
}

pub(super) fn items(
    conn: &Connection,
    application_id: u64,
    pattern: Option<&str>,
    page: Page,
    now: i64,
) -> StoreResult<Listing<KvItem>> {
    page_of(
        conn,
        application_id,
        pattern,
        page,
        now,
        "key, value, expires_at",
        item,
    )
}
