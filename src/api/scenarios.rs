//! AddScenario, BindScenario, DelScenario, GetScenarios, ReorderScenarios, SetScenarioInfo.
//!
//! Names are unique per account; a scenario either belongs to one application or is shared
//! (docs/api.md#methods). Unknown scenario id → 132, unknown name → 168 (docs/sessions.md#decisions-where-the-platform-is-silent).

use serde_json::{json, Value};

use super::methods::{done, explicit_ids, explicit_names, listing, page, pick, same_object, store};
use super::{applications, rules, ApiError, Code, Ctx, Params};
use crate::store::{Missing, NewScenario, Scenario, ScenarioChange, ScenarioFilter, StoreError};

/// Names must be shorter than this many characters.
const NAME_MAX_CHARS: usize = 30;
/// Scripts must be shorter than 128 KB (UTF-8 bytes).
const SCRIPT_MAX_BYTES: usize = 128 * 1024;

/// A name of 30 characters or more is an invalid `scenario_name`: 168 (its specific code,
/// docs/sessions.md#decisions-where-the-platform-is-silent), not the generic 101.
fn check_name(name: &str) -> Result<(), ApiError> {
    if name.chars().count() >= NAME_MAX_CHARS {
        return Err(Code::InvalidScenarioName.into());
    }
    Ok(())
}

fn check_script(script: &str) -> Result<(), ApiError> {
    if script.len() >= SCRIPT_MAX_BYTES {
        return Err(Code::ScriptTextIsTooLong.into());
    }
    Ok(())
}

/// ScenarioInfo as GetScenarios and RuleInfo show it; the script only when loaded.
pub(super) fn scenario_json(s: &Scenario) -> Value {
    let mut v = json!({
        "scenario_id": s.id,
        "scenario_name": s.name,
        "modified": super::params::format_datetime(s.modified),
        "parent": false,
    });
    if let Some(script) = &s.script {
        v["scenario_script"] = Value::String(script.clone());
    }
    v
}

/// Scenario names → ids, in order; an unknown name → 168.
async fn ids_of_names(ctx: &Ctx<'_>, names: Vec<String>) -> Result<Vec<u64>, ApiError> {
    let account = ctx.caller.account_id;
    store(ctx, move |s| {
        let mut ids = Vec::with_capacity(names.len());
        for name in &names {
            let found = s
                .scenario_by_name(account, name)?
                .ok_or(StoreError::NotFound(Missing::ScenarioName))?;
            ids.push(found.id);
        }
        Ok(ids)
    })
    .await
}

/// The ordered scenario list a call gives by `scenario_id` and/or `scenario_name`. Both
/// given: they must name the same scenarios in the same order, else 458.
pub(super) async fn ids_param(ctx: &Ctx<'_>, p: &Params) -> Result<Option<Vec<u64>>, ApiError> {
    let ids = explicit_ids(p, "scenario_id")?;
    let names = explicit_names(p, "scenario_name")?;
    match (ids, names) {
        (None, None) => Ok(None),
        (Some(ids), None) => Ok(Some(ids)),
        (None, Some(names)) => Ok(Some(ids_of_names(ctx, names).await?)),
        // A name of no scenario conflicts with the ids as much as another scenario's.
        (Some(ids), Some(names)) => match ids_of_names(ctx, names).await {
            Ok(named) if named == ids => Ok(Some(ids)),
            Err(e) if !e.is_unknown_name() => Err(e),
            _ => Err(ApiError::OnlyOneOf("scenario_id, scenario_name".into())),
        },
    }
}

pub(super) async fn add(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let name = p.required_str("scenario_name")?.to_string();
    check_name(&name)?;
    let script = p.str("scenario_script").unwrap_or("").to_string();
    check_script(&script)?;
    let rewrite = p.bool("rewrite")?.unwrap_or(false);
    let app = applications::resolve(ctx, p, "application_name").await?;
    let rule = rules::resolve(ctx, p, app.as_ref()).await?;
    let new = NewScenario {
        application_id: app.map(|a| a.id),
        name,
        script,
        rewrite,
        rule_id: rule.map(|r| r.id),
    };
    let account = ctx.caller.account_id;
    let id = store(ctx, move |s| s.add_scenario(account, &new)).await?;
    Ok(done(json!({ "scenario_id": id })))
}

pub(super) async fn bind(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let app = applications::resolve(ctx, p, "application_name").await?;
    let rule = rules::resolve(ctx, p, app.as_ref())
        .await?
        .ok_or_else(|| ApiError::missing("rule_id"))?;
    let ids = ids_param(ctx, p)
        .await?
        .ok_or_else(|| ApiError::missing("scenario_id"))?;
    let bind = p.bool("bind")?.unwrap_or(true);
    let account = ctx.caller.account_id;
    store(ctx, move |s| {
        if bind {
            s.bind_scenarios(account, rule.id, &ids)
        } else {
            s.unbind_scenarios(account, rule.id, &ids)
        }
    })
    .await?;
    Ok(done(json!({})))
}

pub(super) async fn delete(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let which = pick(p, "scenario_id", "scenario_name", |names| {
        ids_of_names(ctx, names)
    })
    .await?;
    let account = ctx.caller.account_id;
    store(ctx, move |s| s.delete_scenarios(account, &which)).await?;
    Ok(done(json!({})))
}

pub(super) async fn get(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let id = p.id("scenario_id")?;
    let with_script = p.bool("with_script")?.unwrap_or(false);
    let app = applications::resolve(ctx, p, "application_name").await?;
    let filter = ScenarioFilter {
        id,
        name_contains: p.str("scenario_name").map(str::to_string),
        application_id: app.map(|a| a.id),
        // Scripts only for a single scenario (the platform's rule).
        with_script: id.is_some() && with_script,
    };
    let page = page(p, 20)?;
    let account = ctx.caller.account_id;
    let found = store(ctx, move |s| s.scenarios(account, &filter, page)).await?;
    let items = found.items.iter().map(scenario_json).collect();
    Ok(listing(items, found.total))
}

pub(super) async fn reorder(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let app = applications::resolve(ctx, p, "application_name").await?;
    let rule = rules::resolve(ctx, p, app.as_ref())
        .await?
        .ok_or_else(|| ApiError::missing("rule_id"))?;
    // Absent: the empty order, right only for a rule with nothing bound.
    let ids = explicit_ids(p, "scenario_id")?.unwrap_or_default();
    let account = ctx.caller.account_id;
    store(ctx, move |s| s.reorder_scenarios(account, rule.id, &ids)).await?;
    Ok(done(json!({})))
}

pub(super) async fn set_info(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let account = ctx.caller.account_id;
    let by_name = p.str("required_scenario_name").map(str::to_string);
    let scenario = match (p.id("scenario_id")?, by_name) {
        (None, None) => return Err(ApiError::missing("scenario_id")),
        (Some(id), name) => {
            let found = store(ctx, move |s| s.scenario(account, id))
                .await?
                .ok_or(Code::InvalidScenarioId)?;
            same_object(
                name.as_deref(),
                &found.name,
                "scenario_id, required_scenario_name",
            )?;
            found
        }
        (None, Some(name)) => store(ctx, move |s| s.scenario_by_name(account, &name))
            .await?
            .ok_or(Code::InvalidScenarioName)?,
    };
    let name = p.str("scenario_name").map(str::to_string);
    if let Some(name) = &name {
        check_name(name)?;
    }
    let script = p.str("scenario_script").map(str::to_string);
    if let Some(script) = &script {
        check_script(script)?;
    }
    let change = ScenarioChange { name, script };
    store(ctx, move |s| {
        s.update_scenario(account, scenario.id, &change)
    })
    .await?;
    Ok(done(json!({})))
}
