//! Applications.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{api_id, json_list, now, sql_id, sql_int, Cached, Db};
use crate::store::{
    Application, ApplicationChange, ApplicationFilter, Conflict, Listing, Missing, Page, Pick,
    StoreError, StoreResult,
};

const COLUMNS: &str = "id, account_id, name, secure_record_storage, modified";

fn app_row(r: &Row<'_>) -> rusqlite::Result<Application> {
    Ok(Application {
        id: api_id(r.get(0)?),
        account_id: api_id(r.get(1)?),
        name: r.get(2)?,
        secure_record_storage: r.get(3)?,
        modified: r.get(4)?,
    })
}

fn name_taken(conn: &Connection, account_id: u64, name: &str, except: u64) -> StoreResult<bool> {
    conn.row(
        "SELECT EXISTS (SELECT 1 FROM applications WHERE account_id = ?1 AND name = ?2 AND id != ?3)",
        params![sql_id(account_id), name, sql_id(except)],
        |r| r.get(0),
    )
    .db()
}

pub(super) fn add(
    conn: &Connection,
    account_id: u64,
    name: &str,
    secure_record_storage: bool,
) -> StoreResult<Application> {
    if name_taken(conn, account_id, name, 0)? {
        return Err(StoreError::Conflict(Conflict::ApplicationName));
    }
    let modified = now();
    conn.run(
        "INSERT INTO applications (account_id, name, secure_record_storage, modified) \
         VALUES (?1, ?2, ?3, ?4)",
        params![sql_id(account_id), name, secure_record_storage, modified],
    )
    .db()?;
    Ok(Application {
        id: api_id(conn.last_insert_rowid()),
        account_id,
        name: name.to_string(),
        secure_record_storage,
        modified,
    })
}

/// Whether the account has an application with this id.
pub(super) fn exists(conn: &Connection, account_id: u64, id: u64) -> StoreResult<bool> {
    conn.row(
        "SELECT EXISTS (SELECT 1 FROM applications WHERE account_id = ?1 AND id = ?2)",
        params![sql_id(account_id), sql_id(id)],
        |r| r.get(0),
    )
    .db()
}

pub(super) fn by_id(
    conn: &Connection,
    account_id: u64,
    id: u64,
) -> StoreResult<Option<Application>> {
    conn.row(
        &format!("SELECT {COLUMNS} FROM applications WHERE account_id = ?1 AND id = ?2"),
        params![sql_id(account_id), sql_id(id)],
        app_row,
    )
    .optional()
    .db()
}

pub(super) fn by_name(
    conn: &Connection,
    account_id: u64,
    name: &str,
) -> StoreResult<Option<Application>> {
    conn.row(
        &format!("SELECT {COLUMNS} FROM applications WHERE account_id = ?1 AND name = ?2"),
        params![sql_id(account_id), name],
        app_row,
    )
    .optional()
    .db()
}

pub(super) fn list(
    conn: &Connection,
    account_id: u64,
    filter: &ApplicationFilter,
    page: Page,
) -> StoreResult<Listing<Application>> {
    // NULL parameters switch a filter off; `instr` is a plain substring test (no LIKE
    // wildcards to escape).
    const WHERE: &str = "account_id = ?1 AND (?2 IS NULL OR id = ?2) \
                         AND (?3 IS NULL OR instr(name, ?3) > 0)";
    let id = filter.id.map(sql_id);
    let name = filter.name_contains.as_deref();
    let total: i64 = conn
        .row(
            &format!("SELECT COUNT(*) FROM applications WHERE {WHERE}"),
            params![sql_id(account_id), id, name],
            |r| r.get(0),
        )
        .db()?;
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM applications WHERE {WHERE} ORDER BY id LIMIT ?4 OFFSET ?5"
        ))
        .db()?;
    let items = stmt
        .query_map(
            params![
                sql_id(account_id),
                id,
                name,
                sql_int(page.count),
                sql_int(page.offset)
            ],
            app_row,
        )
        .db()?
        .collect::<Result<Vec<_>, _>>()
        .db()?;
    Ok(Listing {
        total: api_id(total),
        items,
    })
}

pub(super) fn update(
    conn: &Connection,
    account_id: u64,
    id: u64,
    change: &ApplicationChange,
) -> StoreResult<()> {
    if by_id(conn, account_id, id)?.is_none() {
        return Err(StoreError::NotFound(Missing::ApplicationId));
    }
    if let Some(name) = &change.name {
        if name_taken(conn, account_id, name, id)? {
            return Err(StoreError::Conflict(Conflict::ApplicationName));
        }
    }
    conn.run(
        "UPDATE applications SET name = COALESCE(?3, name), \
         secure_record_storage = COALESCE(?4, secure_record_storage), modified = ?5 \
         WHERE account_id = ?1 AND id = ?2",
        params![
            sql_id(account_id),
            sql_id(id),
            change.name,
            change.secure_record_storage,
            now()
        ],
    )
    .db()?;
    Ok(())
}

pub(super) fn delete(conn: &Connection, account_id: u64, which: &Pick) -> StoreResult<u64> {
    let account = sql_id(account_id);
    let n = match which {
        Pick::All => conn
            .run("DELETE FROM applications WHERE account_id = ?1", [account])
            .db()?,
        Pick::Ids(ids) => {
            let list = json_list(ids);
            if count_missing(conn, account, "id", &list)? > 0 {
                return Err(StoreError::NotFound(Missing::ApplicationId));
            }
            conn.run(
                "DELETE FROM applications WHERE account_id = ?1 \
                 AND id IN (SELECT value FROM json_each(?2))",
                params![account, list],
            )
            .db()?
        }
        Pick::Names(names) => {
            let list = json_list(names);
            if count_missing(conn, account, "name", &list)? > 0 {
                return Err(StoreError::NotFound(Missing::ApplicationName));
            }
            conn.run(
                "DELETE FROM applications WHERE account_id = ?1 \
                 AND name IN (SELECT value FROM json_each(?2))",
                params![account, list],
            )
            .db()?
        }
    };
    Ok(n as u64)
}

/// How many distinct values of the JSON list name no application of the account.
/// `column` is one of our own column names, never input.
fn count_missing(conn: &Connection, account: i64, column: &str, list: &str) -> StoreResult<i64> {
    conn.row(
        &format!(
            "SELECT COUNT(DISTINCT j.value) FROM json_each(?2) AS j WHERE NOT EXISTS \
             (SELECT 1 FROM applications a WHERE a.account_id = ?1 AND a.{column} = j.value)"
        ),
        params![account, list],
        |r| r.get(0),
    )
    .db()
}
