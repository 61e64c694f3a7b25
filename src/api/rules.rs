//! AddRule, GetRules, SetRuleInfo, DelRule, ReorderRules, and how other methods name a rule
//! (`rule_id` / `rule_name`).
//!
//! Patterns use the `regex` crate (linear time) and match the whole destination
//! (`^(?:pattern)$`, docs/sessions.md#decisions-where-the-platform-is-silent); the compiled size is capped so a blow-up pattern is refused
//! with 148/149 instead of eating memory.

use serde_json::{json, Value};

use super::methods::{done, explicit_ids, listing, page, pick, same_object, store, store_error};
use super::{applications, scenarios, ApiError, Code, Ctx, Params};
use crate::store::{
    Application, Missing, NewRule, Rule, RuleChange, RuleFilter, Scenario, Store, StoreError,
};

/// `rule_name` must be shorter than this many characters.
const RULE_NAME_MAX_CHARS: usize = 100;
/// A pattern compiled for whole-destination matching; None if it is invalid or too big.
pub(super) fn compile_pattern(pattern: &str) -> Option<regex::Regex> {
    crate::telephony::pattern::compile(pattern)
}

fn check_pattern(pattern: &str, code: Code) -> Result<(), ApiError> {
    compile_pattern(pattern)
        .map(|_| ())
        .ok_or(ApiError::Code(code))
}

fn check_rule_name(name: &str) -> Result<(), ApiError> {
    if name.chars().count() >= RULE_NAME_MAX_CHARS {
        return Err(ApiError::invalid(
            "rule_name",
            "must be shorter than 100 characters",
        ));
    }
    Ok(())
}

/// Whether a rule routes `destination`: its pattern matches and its exclude pattern does not.
pub(super) fn routes(rule: &Rule, destination: &str) -> bool {
    let matches = compile_pattern(&rule.pattern).is_some_and(|re| re.is_match(destination));
    let excluded = !rule.pattern_exclude.is_empty()
        && compile_pattern(&rule.pattern_exclude).is_some_and(|re| re.is_match(destination));
    matches && !excluded
}

/// RuleInfo; `scenarios` (binding order) when given.
pub(super) fn rule_json(rule: &Rule, bound: Option<&[Scenario]>) -> Value {
    let mut v = json!({
        "rule_id": rule.id,
        "application_id": rule.application_id,
        "rule_name": rule.name,
        "rule_pattern": rule.pattern,
        "rule_pattern_exclude": rule.pattern_exclude,
        "video_conference": rule.video_conference,
        "modified": super::params::format_datetime(rule.modified),
    });
    if let Some(bound) = bound {
        v["scenarios"] = bound.iter().map(scenarios::scenario_json).collect();
    }
    v
}

/// How a call names a rule: `rule_id` and/or `rule_name`.
pub(super) struct RuleRef {
    id: Option<u64>,
    name: Option<String>,
}

impl RuleRef {
    pub(super) fn parse(p: &Params) -> Result<RuleRef, ApiError> {
        Ok(RuleRef {
            id: p.id("rule_id")?,
            name: p.str("rule_name").map(str::to_string),
        })
    }

    /// The rule named, if any, read with `s` (the caller's store trip). A name is looked
    /// up in the application `app_id` when given, else in the whole account (it must then
    /// be unambiguous). An id needs no application: in AddScenario the application is the
    /// scenario's folder, and a rule of another application must give 132 there, not "no
    /// such rule".
    pub(super) fn find(
        &self,
        s: &dyn Store,
        account: u64,
        app_id: Option<u64>,
    ) -> Result<Option<Rule>, ApiError> {
        match (self.id, &self.name) {
            (None, None) => Ok(None),
            (Some(id), name) => {
                let rule = s
                    .rule(account, id)
                    .map_err(store_error)?
                    .ok_or(Code::InvalidRuleId)?;
                same_object(name.as_deref(), &rule.name, "rule_id, rule_name")?;
                Ok(Some(rule))
            }
            (None, Some(name)) => {
                let mut found = s.rules_named(account, app_id, name).map_err(store_error)?;
                match found.len() {
                    0 => Err(Code::InvalidRuleId.into()),
                    1 => Ok(found.pop()),
                    // The same name in several applications: say which one.
                    _ => Err(ApiError::missing("application_id")),
                }
            }
        }
    }

    fn names_none(&self) -> bool {
        self.id.is_none() && self.name.is_none()
    }
}

/// The rule a call names by `rule_id` and/or `rule_name`, if any ([`RuleRef::find`]).
pub(super) async fn resolve(
    ctx: &Ctx<'_>,
    p: &Params,
    app: Option<&Application>,
) -> Result<Option<Rule>, ApiError> {
    let named = RuleRef::parse(p)?;
    if named.names_none() {
        return Ok(None);
    }
    let account = ctx.caller.account_id;
    let app_id = app.map(|a| a.id);
    store(ctx, move |s| Ok(named.find(s, account, app_id))).await?
}

pub(super) async fn add(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let app = applications::required(ctx, p).await?;
    let name = p.required_str("rule_name")?.to_string();
    check_rule_name(&name)?;
    let pattern = p.required_str("rule_pattern")?.to_string();
    check_pattern(&pattern, Code::InvalidRulePattern)?;
    let pattern_exclude = p.str("rule_pattern_exclude").unwrap_or("").to_string();
    if !pattern_exclude.is_empty() {
        check_pattern(&pattern_exclude, Code::InvalidRulePatternExclude)?;
    }
    let rule = NewRule {
        application_id: app.id,
        name,
        pattern,
        pattern_exclude,
        video_conference: p.bool("video_conference")?.unwrap_or(false),
        scenario_ids: scenarios::ids_param(ctx, p).await?.unwrap_or_default(),
    };
    let account = ctx.caller.account_id;
    let id = store(ctx, move |s| s.add_rule(account, &rule)).await?;
    Ok(done(json!({ "rule_id": id })))
}

pub(super) async fn get(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let app = applications::required(ctx, p).await?;
    let filter = RuleFilter {
        application_id: app.id,
        rule_id: p.id("rule_id")?,
        name_contains: p.str("rule_name").map(str::to_string),
        video_conference: p.bool("video_conference")?,
    };
    let template = p.str("template").map(str::to_string);
    let with_scenarios = p.bool("with_scenarios")?.unwrap_or(false);
    let page = page(p, 20)?;
    let account = ctx.caller.account_id;
    let found = store(ctx, move |s| {
        let mut rules = s.rules(account, &filter)?;
        // Regex matching cannot run in SQL: filter, then page, here (on the blocking pool).
        if let Some(destination) = &template {
            rules.retain(|r| routes(r, destination));
        }
        let total = rules.len() as u64;
        let offset = usize::try_from(page.offset).unwrap_or(usize::MAX);
        let count = usize::try_from(page.count).unwrap_or(usize::MAX);
        let mut items = Vec::new();
        for rule in rules.into_iter().skip(offset).take(count) {
            let bound = if with_scenarios {
                Some(s.rule_scenarios(account, rule.id, false)?)
            } else {
                None
            };
            items.push((rule, bound));
        }
        Ok((items, total))
    })
    .await?;
    let (items, total) = found;
    let items = items
        .iter()
        .map(|(rule, bound)| rule_json(rule, bound.as_deref()))
        .collect();
    Ok(listing(items, total))
}

pub(super) async fn set_info(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let id = p
        .id("rule_id")?
        .ok_or_else(|| ApiError::missing("rule_id"))?;
    let name = p.str("rule_name").map(str::to_string);
    if let Some(name) = &name {
        check_rule_name(name)?;
    }
    let pattern = p.str("rule_pattern").map(str::to_string);
    if let Some(pattern) = &pattern {
        check_pattern(pattern, Code::InvalidRulePattern)?;
    }
    let pattern_exclude = p.str("rule_pattern_exclude").map(str::to_string);
    if let Some(pattern) = &pattern_exclude {
        check_pattern(pattern, Code::InvalidRulePatternExclude)?;
    }
    // Bindings are not a rule's info: SetRuleInfo never touches them.
    let change = RuleChange {
        name,
        pattern,
        pattern_exclude,
        video_conference: p.bool("video_conference")?,
    };
    let account = ctx.caller.account_id;
    store(ctx, move |s| s.update_rule(account, id, &change)).await?;
    Ok(done(json!({})))
}

pub(super) async fn delete(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let app = applications::resolve(ctx, p, "application_name").await?;
    let app_id = app.map(|a| a.id);
    let account = ctx.caller.account_id;
    let which = pick(p, "rule_id", "rule_name", |names| {
        store(ctx, move |s| {
            let mut ids = Vec::new();
            for name in &names {
                let found = s.rules_named(account, app_id, name)?;
                if found.is_empty() {
                    return Err(StoreError::NotFound(Missing::RuleName));
                }
                ids.extend(found.iter().map(|r| r.id));
            }
            Ok(ids)
        })
    })
    .await?;
    store(ctx, move |s| s.delete_rules(account, app_id, &which)).await?;
    Ok(done(json!({})))
}

pub(super) async fn reorder(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let app = applications::resolve(ctx, p, "application_name").await?;
    let ids = explicit_ids(p, "rule_id")?.ok_or_else(|| ApiError::missing("rule_id"))?;
    let account = ctx.caller.account_id;
    let app_id = match app {
        Some(app) => app.id,
        // No application given: the rules' own (they must all be of one application).
        None => {
            let first = ids
                .first()
                .copied()
                .ok_or_else(|| ApiError::missing("rule_id"))?;
            store(ctx, move |s| s.rule(account, first))
                .await?
                .ok_or(Code::InvalidRuleId)?
                .application_id
        }
    };
    store(ctx, move |s| s.reorder_rules(account, app_id, &ids)).await?;
    Ok(done(json!({})))
}
