//! What a session leaves beside its history row: the transcript (a column of
//! `call_history`), its calls (`session_calls`) and recordings (`session_records`).

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};

use super::{api_id, json_list, sql_id, sql_int, Cached, Db};
use crate::store::{
    CallRecord, Invalid, Missing, RecordRecord, SessionCalls, StoreError, StoreResult,
};

pub(super) fn save(
    conn: &Connection,
    history_id: u64,
    transcript_json: &str,
    calls: &[CallRecord],
    records: &[RecordRecord],
) -> StoreResult<()> {
    // Checked without building the entries (a transcript can hold 10,000 of them).
    if serde_json::from_str::<Vec<serde::de::IgnoredAny>>(transcript_json).is_err() {
        return Err(StoreError::Invalid(Invalid::Transcript));
    }
    let id = sql_id(history_id);
    let n = conn
        .run(
            "UPDATE call_history SET transcript = ?2 WHERE id = ?1",
            params![id, transcript_json],
        )
        .db()?;
    if n == 0 {
        return Err(StoreError::NotFound(Missing::History));
    }
    conn.run("DELETE FROM session_calls WHERE history_id = ?1", [id])
        .db()?;
    conn.run("DELETE FROM session_records WHERE history_id = ?1", [id])
        .db()?;
    let mut add_call = conn
        .prepare_cached(
            "INSERT INTO session_calls (history_id, position, call_id, start_time, duration, \
             local_number, remote_number, incoming, successful, record_url) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .db()?;
    for (position, c) in calls.iter().enumerate() {
        add_call
            .execute(params![
                id,
                sql_int(position as u64),
                c.call_id,
                sql_int(c.start_time),
                sql_int(c.duration),
                c.local_number,
                c.remote_number,
                c.incoming,
                c.successful,
                c.record_url
            ])
            .db()?;
    }
    let mut add_record = conn
        .prepare_cached(
            "INSERT INTO session_records (history_id, record_name, record_url, start_time, \
             duration, call_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .db()?;
    for r in records {
        add_record
            .execute(params![
                id,
                r.record_name,
                r.record_url,
                sql_int(r.start_time),
                sql_int(r.duration),
                r.call_id
            ])
            .db()?;
    }
    Ok(())
}

pub(super) fn transcript(conn: &Connection, history_id: u64) -> StoreResult<Option<String>> {
    let stored: Option<Option<String>> = conn
        .row(
            "SELECT transcript FROM call_history WHERE id = ?1",
            [sql_id(history_id)],
            |r| r.get(0),
        )
        .optional()
        .db()?;
    Ok(stored.flatten())
}

pub(super) fn calls(
    conn: &Connection,
    history_ids: &[u64],
) -> StoreResult<HashMap<u64, SessionCalls>> {
    let mut out: HashMap<u64, SessionCalls> = HashMap::new();
    if history_ids.is_empty() {
        return Ok(out);
    }
    let ids = json_list(history_ids);
    let mut stmt = conn
        .prepare_cached(
            "SELECT history_id, call_id, start_time, duration, local_number, remote_number, \
             incoming, successful, record_url FROM session_calls \
             WHERE history_id IN (SELECT value FROM json_each(?1)) \
             ORDER BY history_id, position",
        )
        .db()?;
    let rows = stmt
        .query_map([&ids], |r| {
            Ok((
                api_id(r.get(0)?),
                CallRecord {
                    call_id: r.get(1)?,
                    start_time: api_id(r.get(2)?),
                    duration: api_id(r.get(3)?),
                    local_number: r.get(4)?,
                    remote_number: r.get(5)?,
                    incoming: r.get(6)?,
                    successful: r.get(7)?,
                    record_url: r.get(8)?,
                },
            ))
        })
        .db()?;
    for row in rows {
        let (history_id, call) = row.db()?;
        out.entry(history_id).or_default().calls.push(call);
    }
    let mut stmt = conn
        .prepare_cached(
            "SELECT history_id, id, record_name, record_url, start_time, duration, call_id \
             FROM session_records WHERE history_id IN (SELECT value FROM json_each(?1)) \
             ORDER BY history_id, id",
        )
        .db()?;
    let rows = stmt
        .query_map([&ids], |r| {
            Ok((
                api_id(r.get(0)?),
                RecordRecord {
                    record_id: Some(api_id(r.get(1)?)),
                    record_name: r.get(2)?,
                    record_url: r.get(3)?,
                    start_time: api_id(r.get(4)?),
                    duration: api_id(r.get(5)?),
                    call_id: r.get(6)?,
                },
            ))
        })
        .db()?;
    for row in rows {
        let (history_id, record) = row.db()?;
        out.entry(history_id).or_default().records.push(record);
    }
    Ok(out)
}
