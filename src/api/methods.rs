//! The method table (name → handler) and what the handlers share: store calls, error
//! mapping, paging and the list/change response shapes.

use serde_json::{json, Value};

use super::params::Selection;
use super::{account, applications, key_value, rules, scenarios, sessions};
use super::{ApiError, Code, Ctx, Params};
use crate::store::{Conflict, Invalid, Missing, Page, Pick, Store, StoreError, StoreResult};

/// Every method voxrun answers.
pub const METHODS: &[&str] = &[
    "AddApplication",
    "GetApplications",
    "SetApplicationInfo",
    "DelApplication",
    "AddRule",
    "GetRules",
    "SetRuleInfo",
    "DelRule",
    "ReorderRules",
    "AddScenario",
    "BindScenario",
    "DelScenario",
    "GetScenarios",
    "ReorderScenarios",
    "SetScenarioInfo",
    "GetAccountInfo",
    "StartScenarios",
    "StartConference",
    "GetCallHistory",
    "SetKeyValueItem",
    "GetKeyValueItem",
    "GetKeyValueItems",
    "GetKeyValueKeys",
    "DelKeyValueItem",
];

/// Methods that start a session (limited in concurrency, docs/api.md#responses).
pub fn starts_session(method: &str) -> bool {
    matches!(method, "StartScenarios" | "StartConference")
}

pub fn is_known(method: &str) -> bool {
    METHODS.contains(&method)
}

pub async fn dispatch(ctx: &Ctx<'_>, method: &str, p: &Params) -> Result<Value, ApiError> {
    match method {
        "AddApplication" => applications::add(ctx, p).await,
        "GetApplications" => applications::get(ctx, p).await,
        "SetApplicationInfo" => applications::set_info(ctx, p).await,
        "DelApplication" => applications::delete(ctx, p).await,
        "AddRule" => rules::add(ctx, p).await,
        "GetRules" => rules::get(ctx, p).await,
        "SetRuleInfo" => rules::set_info(ctx, p).await,
        "DelRule" => rules::delete(ctx, p).await,
        "ReorderRules" => rules::reorder(ctx, p).await,
        "AddScenario" => scenarios::add(ctx, p).await,
        "BindScenario" => scenarios::bind(ctx, p).await,
        "DelScenario" => scenarios::delete(ctx, p).await,
        "GetScenarios" => scenarios::get(ctx, p).await,
        "ReorderScenarios" => scenarios::reorder(ctx, p).await,
        "SetScenarioInfo" => scenarios::set_info(ctx, p).await,
        "GetAccountInfo" => account::get_info(ctx, p).await,
        "StartScenarios" => sessions::start_scenarios(ctx, p).await,
        "StartConference" => sessions::start_conference(ctx, p).await,
        "GetCallHistory" => sessions::get_call_history(ctx, p).await,
        "SetKeyValueItem" => key_value::set_item(ctx, p).await,
        "GetKeyValueItem" => key_value::get_item(ctx, p).await,
        "GetKeyValueItems" => key_value::get_items(ctx, p).await,
        "GetKeyValueKeys" => key_value::get_keys(ctx, p).await,
        "DelKeyValueItem" => key_value::delete_item(ctx, p).await,
        _ => Err(ApiError::Code(Code::UnknownCommand)),
    }
}

/// Run a store call off the async threads; its failure becomes the API error (docs/sessions.md#decisions-where-the-platform-is-silent).
pub(super) async fn store<R, F>(ctx: &Ctx<'_>, f: F) -> Result<R, ApiError>
where
    F: FnOnce(&dyn Store) -> StoreResult<R> + Send + 'static,
    R: Send + 'static,
{
    ctx.state.store.call(f).await.map_err(store_error)
}

/// The one mapping from store failures to API codes.
pub(super) fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::Backend(detail) => ApiError::Internal(detail),
        StoreError::NotFound(what) => ApiError::Code(match what {
            Missing::ApplicationId => Code::InvalidApplicationId,
            Missing::ApplicationName => Code::ApplicationNotFound,
            Missing::RuleId | Missing::RuleName => Code::InvalidRuleId,
            Missing::ScenarioId => Code::InvalidScenarioId,
            Missing::ScenarioName => Code::InvalidScenarioName,
            Missing::History => Code::InvalidCallSessionHistoryId,
        }),
        StoreError::Conflict(why) => match why {
            Conflict::ApplicationName => Code::ApplicationNameIsntUnique.into(),
            Conflict::RuleName => Code::DuplicateRuleName.into(),
            Conflict::ScenarioName => Code::ScenarioNameIsntUnique.into(),
            Conflict::ScenarioOfOtherApplication | Conflict::ScenarioNotBound => {
                Code::InvalidScenarioId.into()
            }
            Conflict::NotTheBoundSet => ApiError::invalid(
                "scenario_id",
                "must list every scenario bound to the rule, each once",
            ),
            Conflict::RepeatedRule => ApiError::invalid("rule_id", "lists a rule twice"),
        },
        StoreError::Invalid(Invalid::KeyValue(e)) => ApiError::invalid(e.field(), &e.problem()),
        // Transcripts come from the runtime, never from a request: a fault of ours.
        StoreError::Invalid(Invalid::Transcript) => {
            ApiError::Internal("a session transcript is not a JSON array".into())
        }
    }
}

/// `count` (default `default_count`) and `offset` (default 0).
pub(super) fn page(p: &Params, default_count: u64) -> Result<Page, ApiError> {
    Ok(Page {
        count: p.uint("count")?.unwrap_or(default_count),
        offset: p.uint("offset")?.unwrap_or(0),
    })
}

/// `{"result": 1}` plus `extra` fields.
pub(super) fn done(extra: Value) -> Value {
    let mut body = json!({"result": 1});
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
    body
}

/// `{"result": [...], "total_count": N, "count": M}`.
pub(super) fn listing(items: Vec<Value>, total: u64) -> Value {
    let count = items.len();
    json!({"result": items, "total_count": total, "count": count})
}

/// An id sent together with a name for one object: fine when the name is absent or names
/// the same object; otherwise the client named two objects → 458.
pub(super) fn same_object(
    name_given: Option<&str>,
    actual: &str,
    params: &str,
) -> Result<(), ApiError> {
    match name_given {
        Some(name) if name != actual => Err(ApiError::OnlyOneOf(params.to_string())),
        _ => Ok(()),
    }
}

/// A Del* selection from an id list (`all` allowed) and a name list. Both given: they must
/// select the same objects (`ids_of_names` resolves the names), else 458.
pub(super) async fn pick<F, Fut>(
    p: &Params,
    id_param: &str,
    name_param: &str,
    ids_of_names: F,
) -> Result<Pick, ApiError>
where
    F: FnOnce(Vec<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<u64>, ApiError>>,
{
    let ids = p.id_list(id_param)?;
    let names = p.name_list(name_param);
    let both = || ApiError::OnlyOneOf(format!("{id_param}, {name_param}"));
    match (ids, names) {
        (None, None) => Err(ApiError::missing(id_param)),
        (Some(Selection::All), None) | (None, Some(Selection::All)) => Ok(Pick::All),
        (Some(Selection::Some(ids)), None) => Ok(Pick::Ids(ids)),
        (None, Some(Selection::Some(names))) => Ok(Pick::Names(names)),
        (Some(Selection::All), Some(Selection::All)) => Ok(Pick::All),
        (Some(Selection::Some(ids)), Some(Selection::Some(names))) => {
            let mut named = match ids_of_names(names).await {
                Ok(named) => named,
                Err(e) if e.is_unknown_name() => return Err(both()),
                Err(e) => return Err(e),
            };
            let mut given = ids.clone();
            named.sort_unstable();
            named.dedup();
            given.sort_unstable();
            given.dedup();
            if named == given {
                Ok(Pick::Ids(ids))
            } else {
                Err(both())
            }
        }
        _ => Err(both()),
    }
}

/// An intlist that must not be `all` (binding and ordering lists).
pub(super) fn explicit_ids(p: &Params, name: &str) -> Result<Option<Vec<u64>>, ApiError> {
    match p.id_list(name)? {
        None => Ok(None),
        Some(Selection::Some(ids)) => Ok(Some(ids)),
        Some(Selection::All) => Err(ApiError::invalid(name, "must be a list of ids")),
    }
}

/// A stringlist that must not be `all`.
pub(super) fn explicit_names(p: &Params, name: &str) -> Result<Option<Vec<String>>, ApiError> {
    match p.name_list(name) {
        None => Ok(None),
        Some(Selection::Some(names)) => Ok(Some(names)),
        Some(Selection::All) => Err(ApiError::invalid(name, "must be a list of names")),
    }
}

#[cfg(test)]
#[path = "methods_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "rules_tests.rs"]
mod rules_tests;

#[cfg(test)]
#[path = "scenarios_tests.rs"]
mod scenarios_tests;

#[cfg(test)]
#[path = "key_value_tests.rs"]
mod key_value_tests;
