//! Rules: per-application priority order (`position`) and their scenario bindings.

use std::collections::HashSet;

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{api_id, fold, json_list, now, scenarios, sql_id, Cached, Db};
use crate::store::{
    Conflict, Missing, NewRule, Pick, Rule, RuleChange, RuleFilter, StoreError, StoreResult,
};

/// Columns of `rules r`; callers join `applications a` to scope by account.
const COLUMNS: &str =
    "r.id, r.application_id, r.name, r.pattern, r.pattern_exclude, r.video_conference, r.modified";
const FROM: &str = "rules r JOIN applications a ON a.id = r.application_id";

fn rule_row(r: &Row<'_>) -> rusqlite::Result<Rule> {
    Ok(Rule {
        id: api_id(r.get(0)?),
        application_id: api_id(r.get(1)?),
        name: r.get(2)?,
        pattern: r.get(3)?,
        pattern_exclude: r.get(4)?,
        video_conference: r.get(5)?,
        modified: r.get(6)?,
    })
}

fn name_taken(
    conn: &Connection,
    application_id: u64,
    name: &str,
    except: u64,
) -> StoreResult<bool> {
    conn.row(
        "SELECT EXISTS (SELECT 1 FROM rules WHERE application_id = ?1 AND name = ?2 AND id != ?3)",
        params![sql_id(application_id), name, sql_id(except)],
        |r| r.get(0),
    )
    .db()
}

pub(super) fn add(conn: &Connection, account_id: u64, rule: &NewRule) -> StoreResult<u64> {
    if !super::applications::exists(conn, account_id, rule.application_id)? {
        return Err(StoreError::NotFound(Missing::ApplicationId));
    }
    if name_taken(conn, rule.application_id, &rule.name, 0)? {
        return Err(StoreError::Conflict(Conflict::RuleName));
    }
    conn.run(
        "INSERT INTO rules (application_id, name, name_folded, pattern, pattern_exclude, \
         video_conference, position, modified) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, COALESCE(MAX(position), 0) + 1, ?7 \
         FROM rules WHERE application_id = ?1",
        params![
            sql_id(rule.application_id),
            rule.name,
            fold(&rule.name),
            rule.pattern,
            rule.pattern_exclude,
            rule.video_conference,
            now()
        ],
    )
    .db()?;
    let id = api_id(conn.last_insert_rowid());
    // In the same transaction: a bad scenario id rolls the new rule back too.
    scenarios::bind(conn, account_id, id, &rule.scenario_ids)?;
    Ok(id)
}

pub(super) fn by_id(conn: &Connection, account_id: u64, id: u64) -> StoreResult<Option<Rule>> {
    conn.row(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE a.account_id = ?1 AND r.id = ?2"),
        params![sql_id(account_id), sql_id(id)],
        rule_row,
    )
    .optional()
    .db()
}

pub(super) fn named(
    conn: &Connection,
    account_id: u64,
    application_id: Option<u64>,
    name: &str,
) -> StoreResult<Vec<Rule>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE a.account_id = ?1 \
             AND (?2 IS NULL OR r.application_id = ?2) AND r.name = ?3 ORDER BY r.id"
        ))
        .db()?;
    let rows = stmt
        .query_map(
            params![sql_id(account_id), application_id.map(sql_id), name],
            rule_row,
        )
        .db()?;
    rows.collect::<Result<Vec<_>, _>>().db()
}

pub(super) fn list(
    conn: &Connection,
    account_id: u64,
    filter: &RuleFilter,
) -> StoreResult<Vec<Rule>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE a.account_id = ?1 AND r.application_id = ?2 \
             AND (?3 IS NULL OR r.id = ?3) \
             AND (?4 IS NULL OR instr(r.name_folded, ?4) > 0) \
             AND (?5 IS NULL OR r.video_conference = ?5) \
             ORDER BY r.position, r.id"
        ))
        .db()?;
    let rows = stmt
        .query_map(
            params![
                sql_id(account_id),
                sql_id(filter.application_id),
                filter.rule_id.map(sql_id),
                filter.name_contains.as_deref().map(fold),
                filter.video_conference
            ],
            rule_row,
        )
        .db()?;
    rows.collect::<Result<Vec<_>, _>>().db()
}

pub(super) fn update(
    conn: &Connection,
    account_id: u64,
    id: u64,
    change: &RuleChange,
) -> StoreResult<()> {
    let rule = by_id(conn, account_id, id)?.ok_or(StoreError::NotFound(Missing::RuleId))?;
    if let Some(name) = &change.name {
        if name_taken(conn, rule.application_id, name, id)? {
            return Err(StoreError::Conflict(Conflict::RuleName));
        }
    }
    conn.run(
        "UPDATE rules SET name = COALESCE(?2, name), name_folded = COALESCE(?3, name_folded), \
         pattern = COALESCE(?4, pattern), pattern_exclude = COALESCE(?5, pattern_exclude), \
         video_conference = COALESCE(?6, video_conference), modified = ?7 WHERE id = ?1",
        params![
            sql_id(id),
            change.name,
            change.name.as_deref().map(fold),
            change.pattern,
            change.pattern_exclude,
            change.video_conference,
            now()
        ],
    )
    .db()?;
    Ok(())
}

pub(super) fn delete(
    conn: &Connection,
    account_id: u64,
    application_id: Option<u64>,
    which: &Pick,
) -> StoreResult<u64> {
    // The rules in scope: the account's, or one application's.
    const SCOPE: &str = "application_id IN (SELECT id FROM applications WHERE account_id = ?1) \
                         AND (?2 IS NULL OR application_id = ?2)";
    let account = sql_id(account_id);
    let app = application_id.map(sql_id);
    let n = match which {
        Pick::All => conn
            .run(
                &format!("DELETE FROM rules WHERE {SCOPE}"),
                params![account, app],
            )
            .db()?,
        Pick::Ids(ids) => {
            let list = json_list(ids);
            if count_missing(conn, SCOPE, "id", account, app, &list)? > 0 {
                return Err(StoreError::NotFound(Missing::RuleId));
            }
            conn.run(
                &format!(
                    "DELETE FROM rules WHERE {SCOPE} AND id IN (SELECT value FROM json_each(?3))"
                ),
                params![account, app, list],
            )
            .db()?
        }
        Pick::Names(names) => {
            let list = json_list(names);
            if count_missing(conn, SCOPE, "name", account, app, &list)? > 0 {
                return Err(StoreError::NotFound(Missing::RuleName));
            }
            conn.run(
                &format!(
                    "DELETE FROM rules WHERE {SCOPE} AND name IN (SELECT value FROM json_each(?3))"
                ),
                params![account, app, list],
            )
            .db()?
        }
    };
    Ok(n as u64)
}

/// How many distinct values of the JSON list match no rule in scope. `scope` and `column`
/// are our own SQL, never input.
fn count_missing(
    conn: &Connection,
    scope: &str,
    column: &str,
    account: i64,
    app: Option<i64>,
    list: &str,
) -> StoreResult<i64> {
    conn.row(
        &format!(
            "SELECT COUNT(DISTINCT j.value) FROM json_each(?3) AS j WHERE NOT EXISTS \
             (SELECT 1 FROM rules WHERE {scope} AND {column} = j.value)"
        ),
        params![account, app, list],
        |r| r.get(0),
    )
    .db()
}

pub(super) fn reorder(
    conn: &Connection,
    account_id: u64,
    application_id: u64,
    rule_ids: &[u64],
) -> StoreResult<()> {
    if !super::applications::exists(conn, account_id, application_id)? {
        return Err(StoreError::NotFound(Missing::ApplicationId));
    }
    let mut current: Vec<u64> = {
        let mut stmt = conn
            .prepare_cached("SELECT id FROM rules WHERE application_id = ?1 ORDER BY position, id")
            .db()?;
        let rows = stmt
            .query_map([sql_id(application_id)], |r| r.get::<_, i64>(0))
            .db()?;
        rows.map(|r| r.map(api_id))
            .collect::<Result<Vec<_>, _>>()
            .db()?
    };
    // Sets, not scans: the list comes from a request and may be long.
    let known: HashSet<u64> = current.iter().copied().collect();
    let mut seen = HashSet::with_capacity(rule_ids.len());
    for id in rule_ids {
        if !seen.insert(*id) {
            return Err(StoreError::Conflict(Conflict::RepeatedRule));
        }
        if !known.contains(id) {
            return Err(StoreError::NotFound(Missing::RuleId));
        }
    }
    current.retain(|id| !seen.contains(id));
    let order = rule_ids.iter().chain(current.iter());
    let mut stmt = conn
        .prepare_cached("UPDATE rules SET position = ?2 WHERE id = ?1")
        .db()?;
    for (position, id) in order.enumerate() {
        stmt.execute(params![sql_id(*id), position as i64 + 1])
            .db()?;
    }
    Ok(())
}
