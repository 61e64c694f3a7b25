//! The account's outbound peer table (docs/telephony.md#driving-calls-on-a-server), kept as the JSON text it was given (its
//! pattern order matters, and the store does not interpret it).

use rusqlite::{params, Connection, OptionalExtension};

use super::{sql_id, Cached, Db};
use crate::store::StoreResult;

pub(super) fn set(conn: &Connection, account_id: u64, peers_json: &str) -> StoreResult<()> {
    conn.run(
        "INSERT INTO peer_tables (account_id, peers, modified) VALUES (?1, ?2, ?3) \
         ON CONFLICT (account_id) DO UPDATE SET peers = excluded.peers, modified = excluded.modified",
        params![sql_id(account_id), peers_json, chrono::Utc::now().timestamp()],
    )
    .db()?;
    Ok(())
}

pub(super) fn get(conn: &Connection, account_id: u64) -> StoreResult<Option<String>> {
    conn.row(
        "SELECT peers FROM peer_tables WHERE account_id = ?1",
        [sql_id(account_id)],
        |r| r.get(0),
    )
    .optional()
    .db()
}
