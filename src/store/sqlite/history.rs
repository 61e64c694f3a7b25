//! Call history rows and session logs.

use rusqlite::{params, Connection, OptionalExtension, Row};
use subtle::ConstantTimeEq;

use super::{api_id, json_list, now, sql_id, sql_int, Cached, Db};
use crate::store::{
    HistoryFilter, HistoryPage, HistoryRow, HistoryStart, Missing, Page, StoreError, StoreResult,
};

const COLUMNS: &str = "id, account_id, application_id, application_name, rule_id, rule_name, \
                       user_id, start_date, duration, finish_reason, custom_data, log_secret, \
                       conference_name, state";

fn history_row(r: &Row<'_>) -> rusqlite::Result<HistoryRow> {
    Ok(HistoryRow {
        id: api_id(r.get(0)?),
        account_id: api_id(r.get(1)?),
        application_id: api_id(r.get(2)?),
        application_name: r.get(3)?,
        rule_id: api_id(r.get(4)?),
        rule_name: r.get(5)?,
        user_id: r.get::<_, Option<i64>>(6)?.map(api_id),
        start_date: r.get(7)?,
        duration: r.get::<_, Option<i64>>(8)?.map(api_id),
        finish_reason: r.get(9)?,
        custom_data: r.get(10)?,
        log_secret: r.get(11)?,
        conference_name: r.get(12)?,
        running: r.get::<_, String>(13)? == "running",
    })
}

/// Inserts a running row under `id`, one the caller reserved.
pub(super) fn create(conn: &Connection, id: u64, row: &HistoryStart) -> StoreResult<()> {
    conn.run(
        "INSERT INTO call_history (id, account_id, application_id, application_name, rule_id, \
         rule_name, user_id, start_date, custom_data, log_secret, conference_name, state) \
         VALUES (?11, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'running')",
        params![
            sql_id(row.account_id),
            sql_id(row.application_id),
            row.application_name,
            sql_id(row.rule_id),
            row.rule_name,
            row.user_id.map(sql_id),
            now(),
            row.custom_data,
            row.log_secret,
            row.conference_name,
            sql_id(id)
        ],
    )
    .db()?;
    Ok(())
}

/// The highest id ever given: AUTOINCREMENT's counter (it remembers deleted rows) or the
/// highest row.
pub(super) fn last_id(conn: &Connection) -> StoreResult<u64> {
    let seq: Option<i64> = conn
        .row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'call_history'",
            [],
            |r| r.get(0),
        )
        .optional()
        .db()?;
    let max: Option<i64> = conn
        .row("SELECT MAX(id) FROM call_history", [], |r| r.get(0))
        .db()?;
    Ok(api_id(seq.unwrap_or(0).max(max.unwrap_or(0))))
}

pub(super) fn finish(
    conn: &Connection,
    id: u64,
    duration: u64,
    finish_reason: &str,
    custom_data: &str,
    log: &str,
) -> StoreResult<()> {
    let n = conn
        .run(
            "UPDATE call_history SET state = 'finished', duration = ?2, finish_reason = ?3, \
             custom_data = ?4, log = ?5 WHERE id = ?1",
            params![
                sql_id(id),
                sql_int(duration),
                finish_reason,
                custom_data,
                log
            ],
        )
        .db()?;
    found(n)
}

pub(super) fn append_log(conn: &Connection, id: u64, text: &str) -> StoreResult<()> {
    let n = conn
        .run(
            "UPDATE call_history SET log = log || ?2 WHERE id = ?1",
            params![sql_id(id), text],
        )
        .db()?;
    found(n)
}

fn found(updated: usize) -> StoreResult<()> {
    if updated == 0 {
        Err(StoreError::NotFound(Missing::History))
    } else {
        Ok(())
    }
}

pub(super) fn log(conn: &Connection, id: u64, secret: &str) -> StoreResult<Option<String>> {
    let stored = conn
        .row(
            "SELECT log_secret, log FROM call_history WHERE id = ?1",
            [sql_id(id)],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()
        .db()?;
    Ok(stored.and_then(|(expected, log)| {
        let same: bool = expected.as_bytes().ct_eq(secret.as_bytes()).into();
        same.then_some(log)
    }))
}

pub(super) fn row(conn: &Connection, account_id: u64, id: u64) -> StoreResult<Option<HistoryRow>> {
    conn.row(
        &format!("SELECT {COLUMNS} FROM call_history WHERE account_id = ?1 AND id = ?2"),
        params![sql_id(account_id), sql_id(id)],
        history_row,
    )
    .optional()
    .db()
}

pub(super) fn list(
    conn: &Connection,
    account_id: u64,
    filter: &HistoryFilter,
    page: Page,
) -> StoreResult<HistoryPage> {
    // NULL parameters switch a filter off.
    const WHERE: &str = "account_id = ?1 AND start_date >= ?2 AND start_date <= ?3 \
                         AND (?4 IS NULL OR id IN (SELECT value FROM json_each(?4))) \
                         AND (?5 IS NULL OR application_id = ?5) \
                         AND (?6 IS NULL OR rule_name = ?6) \
                         AND (?7 IS NULL OR custom_data = ?7)";
    let ids = filter.ids.as_deref().map(json_list);
    let account = sql_id(account_id);
    let app = filter.application_id.map(sql_id);
    let total = if filter.with_total {
        let n: i64 = conn
            .row(
                &format!("SELECT COUNT(*) FROM call_history WHERE {WHERE}"),
                params![
                    account,
                    filter.from,
                    filter.to,
                    ids,
                    app,
                    filter.rule_name,
                    filter.custom_data
                ],
                |r| r.get(0),
            )
            .db()?;
        Some(api_id(n))
    } else {
        None
    };
    let order = if filter.desc { "DESC" } else { "ASC" };
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM call_history WHERE {WHERE} \
             ORDER BY start_date {order}, id {order} LIMIT ?8 OFFSET ?9"
        ))
        .db()?;
    let rows = stmt
        .query_map(
            params![
                account,
                filter.from,
                filter.to,
                ids,
                app,
                filter.rule_name,
                filter.custom_data,
                sql_int(page.count),
                sql_int(page.offset)
            ],
            history_row,
        )
        .db()?
        .collect::<Result<Vec<_>, _>>()
        .db()?;
    Ok(HistoryPage { total, rows })
}

pub(super) fn close_running(conn: &Connection, finish_reason: &str) -> StoreResult<u64> {
    let n = conn
        .run(
            "UPDATE call_history SET state = 'finished', finish_reason = ?1 \
             WHERE state = 'running'",
            [finish_reason],
        )
        .db()?;
    Ok(n as u64)
}
