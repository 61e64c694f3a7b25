//! Scenarios and their bindings to rules (`rule_scenarios`, ordered by `position`).

use std::collections::HashSet;

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{api_id, fold, json_list, now, rules, sql_id, sql_int, Cached, Db};
use crate::store::{
    Conflict, Listing, Missing, NewScenario, Page, Pick, Rule, Scenario, ScenarioChange,
    ScenarioFilter, StoreError, StoreResult,
};

/// Columns of `scenarios s`, with the script.
const WITH_SCRIPT: &str = "s.id, s.application_id, s.name, s.script, s.modified";
/// The same without the script (it can be 128 KB).
const WITHOUT_SCRIPT: &str = "s.id, s.application_id, s.name, NULL, s.modified";

fn columns(with_script: bool) -> &'static str {
    if with_script {
        WITH_SCRIPT
    } else {
        WITHOUT_SCRIPT
    }
}

fn scenario_row(r: &Row<'_>) -> rusqlite::Result<Scenario> {
    Ok(Scenario {
        id: api_id(r.get(0)?),
        application_id: r.get::<_, Option<i64>>(1)?.map(api_id),
        name: r.get(2)?,
        script: r.get(3)?,
        modified: r.get(4)?,
    })
}

fn name_taken(conn: &Connection, account_id: u64, name: &str, except: u64) -> StoreResult<bool> {
    conn.row(
        "SELECT EXISTS (SELECT 1 FROM scenarios WHERE account_id = ?1 AND name = ?2 AND id != ?3)",
        params![sql_id(account_id), name, sql_id(except)],
        |r| r.get(0),
    )
    .db()
}

fn rule(conn: &Connection, account_id: u64, rule_id: u64) -> StoreResult<Rule> {
    rules::by_id(conn, account_id, rule_id)?.ok_or(StoreError::NotFound(Missing::RuleId))
}

pub(super) fn add(conn: &Connection, account_id: u64, new: &NewScenario) -> StoreResult<u64> {
    if let Some(app) = new.application_id {
        if !super::applications::exists(conn, account_id, app)? {
            return Err(StoreError::NotFound(Missing::ApplicationId));
        }
    }
    if let Some(rule_id) = new.rule_id {
        rule(conn, account_id, rule_id)?;
    }
    let id = match by_name(conn, account_id, &new.name)? {
        Some(_) if !new.rewrite => return Err(StoreError::Conflict(Conflict::ScenarioName)),
        Some(existing) => {
            // Rewrite: new script, same id, same folder.
            conn.run(
                "UPDATE scenarios SET script = ?2, modified = ?3 WHERE id = ?1",
                params![sql_id(existing.id), new.script, now()],
            )
            .db()?;
            existing.id
        }
        None => {
            conn.run(
                "INSERT INTO scenarios (account_id, application_id, name, name_folded, script, \
                 modified) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    sql_id(account_id),
                    new.application_id.map(sql_id),
                    new.name,
                    fold(&new.name),
                    new.script,
                    now()
                ],
            )
            .db()?;
            api_id(conn.last_insert_rowid())
        }
    };
    if let Some(rule_id) = new.rule_id {
        bind(conn, account_id, rule_id, &[id])?;
    }
    Ok(id)
}

pub(super) fn by_id(conn: &Connection, account_id: u64, id: u64) -> StoreResult<Option<Scenario>> {
    conn.row(
        &format!("SELECT {WITH_SCRIPT} FROM scenarios s WHERE s.account_id = ?1 AND s.id = ?2"),
        params![sql_id(account_id), sql_id(id)],
        scenario_row,
    )
    .optional()
    .db()
}

pub(super) fn by_name(
    conn: &Connection,
    account_id: u64,
    name: &str,
) -> StoreResult<Option<Scenario>> {
    conn.row(
        &format!("SELECT {WITH_SCRIPT} FROM scenarios s WHERE s.account_id = ?1 AND s.name = ?2"),
        params![sql_id(account_id), name],
        scenario_row,
    )
    .optional()
    .db()
}

pub(super) fn list(
    conn: &Connection,
    account_id: u64,
    filter: &ScenarioFilter,
    page: Page,
) -> StoreResult<Listing<Scenario>> {
    const WHERE: &str = "s.account_id = ?1 AND (?2 IS NULL OR s.id = ?2) \
                         AND (?3 IS NULL OR instr(s.name_folded, ?3) > 0) \
                         AND (?4 IS NULL OR s.application_id = ?4)";
    let account = sql_id(account_id);
    let id = filter.id.map(sql_id);
    let name = filter.name_contains.as_deref().map(fold);
    let app = filter.application_id.map(sql_id);
    let total: i64 = conn
        .row(
            &format!("SELECT COUNT(*) FROM scenarios s WHERE {WHERE}"),
            params![account, id, name, app],
            |r| r.get(0),
        )
        .db()?;
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {} FROM scenarios s WHERE {WHERE} ORDER BY s.id LIMIT ?5 OFFSET ?6",
            columns(filter.with_script)
        ))
        .db()?;
    let items = stmt
        .query_map(
            params![
                account,
                id,
                name,
                app,
                sql_int(page.count),
                sql_int(page.offset)
            ],
            scenario_row,
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
    change: &ScenarioChange,
) -> StoreResult<()> {
    if by_id(conn, account_id, id)?.is_none() {
        return Err(StoreError::NotFound(Missing::ScenarioId));
    }
    if let Some(name) = &change.name {
        if name_taken(conn, account_id, name, id)? {
            return Err(StoreError::Conflict(Conflict::ScenarioName));
        }
    }
    conn.run(
        "UPDATE scenarios SET name = COALESCE(?2, name), name_folded = COALESCE(?3, name_folded), \
         script = COALESCE(?4, script), modified = ?5 WHERE id = ?1",
        params![
            sql_id(id),
            change.name,
            change.name.as_deref().map(fold),
            change.script,
            now()
        ],
    )
    .db()?;
    Ok(())
}

pub(super) fn delete(conn: &Connection, account_id: u64, which: &Pick) -> StoreResult<u64> {
    let account = sql_id(account_id);
    // Bindings go with the scenarios (ON DELETE CASCADE).
    let (column, list, missing) = match which {
        Pick::All => {
            let n = conn
                .run("DELETE FROM scenarios WHERE account_id = ?1", [account])
                .db()?;
            return Ok(n as u64);
        }
        Pick::Ids(ids) => ("id", json_list(ids), Missing::ScenarioId),
        Pick::Names(names) => ("name", json_list(names), Missing::ScenarioName),
    };
    // `column` is one of our two column names, never input.
    let unknown: i64 = conn
        .row(
            &format!(
                "SELECT COUNT(DISTINCT j.value) FROM json_each(?2) AS j WHERE NOT EXISTS \
                 (SELECT 1 FROM scenarios WHERE account_id = ?1 AND {column} = j.value)"
            ),
            params![account, list],
            |r| r.get(0),
        )
        .db()?;
    if unknown > 0 {
        return Err(StoreError::NotFound(missing));
    }
    let n = conn
        .run(
            &format!(
                "DELETE FROM scenarios WHERE account_id = ?1 \
                 AND {column} IN (SELECT value FROM json_each(?2))"
            ),
            params![account, list],
        )
        .db()?;
    Ok(n as u64)
}

pub(super) fn bound_to(
    conn: &Connection,
    account_id: u64,
    rule_id: u64,
    with_script: bool,
) -> StoreResult<Vec<Scenario>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {} FROM rule_scenarios b JOIN scenarios s ON s.id = b.scenario_id \
             WHERE s.account_id = ?1 AND b.rule_id = ?2 ORDER BY b.position",
            columns(with_script)
        ))
        .db()?;
    let rows = stmt
        .query_map(params![sql_id(account_id), sql_id(rule_id)], scenario_row)
        .db()?;
    rows.collect::<Result<Vec<_>, _>>().db()
}

/// The folder (application or shared) of each scenario, checked to exist in the account.
fn folder(conn: &Connection, account_id: u64, id: u64) -> StoreResult<Option<u64>> {
    conn.row(
        "SELECT application_id FROM scenarios WHERE account_id = ?1 AND id = ?2",
        params![sql_id(account_id), sql_id(id)],
        |r| r.get::<_, Option<i64>>(0),
    )
    .optional()
    .db()?
    .map(|app| app.map(api_id))
    .ok_or(StoreError::NotFound(Missing::ScenarioId))
}

fn bound_ids(conn: &Connection, rule_id: u64) -> StoreResult<Vec<u64>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT scenario_id FROM rule_scenarios WHERE rule_id = ?1 ORDER BY position",
        )
        .db()?;
    let rows = stmt
        .query_map([sql_id(rule_id)], |r| r.get::<_, i64>(0))
        .db()?;
    rows.map(|r| r.map(api_id))
        .collect::<Result<Vec<_>, _>>()
        .db()
}

pub(super) fn bind(
    conn: &Connection,
    account_id: u64,
    rule_id: u64,
    scenario_ids: &[u64],
) -> StoreResult<()> {
    let rule = rule(conn, account_id, rule_id)?;
    for id in scenario_ids {
        match folder(conn, account_id, *id)? {
            Some(app) if app != rule.application_id => {
                return Err(StoreError::Conflict(Conflict::ScenarioOfOtherApplication))
            }
            _ => {}
        }
    }
    let mut next: i64 = conn
        .row(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM rule_scenarios WHERE rule_id = ?1",
            [sql_id(rule_id)],
            |r| r.get(0),
        )
        .db()?;
    let mut stmt = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO rule_scenarios (rule_id, scenario_id, position) \
             VALUES (?1, ?2, ?3)",
        )
        .db()?;
    for id in scenario_ids {
        // Already bound (or repeated in the list): ignored, it keeps its place.
        if stmt
            .execute(params![sql_id(rule_id), sql_id(*id), next])
            .db()?
            > 0
        {
            next += 1;
        }
    }
    Ok(())
}

pub(super) fn unbind(
    conn: &Connection,
    account_id: u64,
    rule_id: u64,
    scenario_ids: &[u64],
) -> StoreResult<()> {
    rule(conn, account_id, rule_id)?;
    for id in scenario_ids {
        folder(conn, account_id, *id)?;
    }
    let mut stmt = conn
        .prepare_cached("DELETE FROM rule_scenarios WHERE rule_id = ?1 AND scenario_id = ?2")
        .db()?;
    for id in scenario_ids {
        stmt.execute(params![sql_id(rule_id), sql_id(*id)]).db()?;
    }
    Ok(())
}

pub(super) fn reorder(
    conn: &Connection,
    account_id: u64,
    rule_id: u64,
    scenario_ids: &[u64],
) -> StoreResult<()> {
    rule(conn, account_id, rule_id)?;
    let bound: HashSet<u64> = bound_ids(conn, rule_id)?.into_iter().collect();
    let mut seen = HashSet::with_capacity(scenario_ids.len());
    for id in scenario_ids {
        if !bound.contains(id) {
            folder(conn, account_id, *id)?;
            return Err(StoreError::Conflict(Conflict::ScenarioNotBound));
        }
        if !seen.insert(*id) {
            return Err(StoreError::Conflict(Conflict::NotTheBoundSet));
        }
    }
    if seen.len() != bound.len() {
        return Err(StoreError::Conflict(Conflict::NotTheBoundSet));
    }
    let mut stmt = conn
        .prepare_cached(
            "UPDATE rule_scenarios SET position = ?3 WHERE rule_id = ?1 AND scenario_id = ?2",
        )
        .db()?;
    for (position, id) in scenario_ids.iter().enumerate() {
        stmt.execute(params![sql_id(rule_id), sql_id(*id), position as i64 + 1])
            .db()?;
    }
    Ok(())
}
