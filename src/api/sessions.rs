//! StartScenarios, StartConference and GetCallHistory: the methods that start sessions and
//! report on them. The sessions themselves live in [`crate::session`].

use serde_json::{json, Value};

use super::applications::AppRef;
use super::methods::{page, store, store_error};
use super::params::format_datetime;
use super::rules::RuleRef;
use super::{applications, ApiError, Code, Ctx, Params};
use crate::runtime::{CallSetup, ScenarioSource};
use crate::session::{StartError, StartRequest, StartedSession};
use crate::store::{
    Application, CallRecord, HistoryFilter, HistoryRow, RecordRecord, Rule, Scenario, SessionCalls,
    Store, StoreResult,
};
use crate::telephony::Inbound;

/// The platform's customData limit, in bytes.
const MAX_CUSTOM_DATA: usize = 200;
/// `conference_name` must be shorter than this (characters).
const MAX_CONFERENCE_NAME: usize = 50;
/// Default GetCallHistory window.
const DEFAULT_HISTORY_DAYS: i64 = 30;
const MAX_HISTORY_COUNT: u64 = 1000;

pub(super) async fn start_scenarios(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    start(ctx, p, None).await
}

pub(super) async fn start_conference(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let name = p.required_str("conference_name")?;
    if name.chars().count() >= MAX_CONFERENCE_NAME {
        return Err(Code::ConferenceNameTooLong.into());
    }
    start(ctx, p, Some(name.to_string())).await
}

async fn start(ctx: &Ctx<'_>, p: &Params, conference: Option<String>) -> Result<Value, ApiError> {
    let app_named = AppRef::parse(ctx, p, "application_name")?;
    // A malformed rule_id is reported after an unknown application, as it always was.
    let rule_named = RuleRef::parse(p);
    let account = ctx.caller.account_id;
    // One trip to the store for everything a start reads.
    let (rule, data) = store(ctx, move |s| {
        Ok(find_start(s, account, &app_named, rule_named))
    })
    .await??;
    let custom_data = p.str("script_custom_data").unwrap_or_default().to_string();
    if custom_data.len() > MAX_CUSTOM_DATA {
        return Err(ApiError::invalid(
            "script_custom_data",
            "must be at most 200 bytes",
        ));
    }
    if let Some(ip) = p.str("reference_ip") {
        if ip.trim().parse::<std::net::IpAddr>().is_err() {
            return Err(Code::InvalidReferenceIp.into());
        }
    }
    let user_id = p.id("user_id")?;
    let launch = Launch {
        app: None,
        rule,
        user_id,
        custom_data,
        conference,
        inbound: None,
    };
    let started = launch_with(ctx, launch, data).await?;
    Ok(json!({
        "result": 1,
        "media_session_access_url": started.access_url,
        "media_session_access_secure_url": started.access_secure_url,
        "call_session_history_id": started.id,
    }))
}

/// A session to start for a rule.
pub(super) struct Launch {
    /// The rule's application, if the caller already has it (else it is looked up).
    pub app: Option<Application>,
    pub rule: Rule,
    pub user_id: Option<u64>,
    pub custom_data: String,
    pub conference: Option<String>,
    /// An inbound call to place after Started (`POST /voxrun/v1/calls`).
    pub inbound: Option<Inbound>,
}

/// The application and rule a start names, and what it reads for them ([`start_data`]).
fn find_start(
    s: &dyn Store,
    account: u64,
    app_named: &AppRef,
    rule_named: Result<RuleRef, ApiError>,
) -> Result<(Rule, StartData), ApiError> {
    let app = app_named.find(s, account)?;
    let rule = rule_named?
        .find(s, account, app.as_ref().map(|a| a.id))?
        .ok_or_else(|| ApiError::missing("rule_id"))?;
    if app.as_ref().is_some_and(|a| a.id != rule.application_id) {
        return Err(Code::InvalidRuleId.into());
    }
    let data = start_data(s, account, app, &rule).map_err(store_error)?;
    Ok((rule, data))
}

/// What a start of `rule` reads besides the rule: its application (unless the caller
/// has it), its bound scenarios with their scripts, the account's peer table.
struct StartData {
    app: Option<Application>,
    bound: Vec<Scenario>,
    peers: Option<String>,
}

fn start_data(
    s: &dyn Store,
    account: u64,
    app: Option<Application>,
    rule: &Rule,
) -> StoreResult<StartData> {
    let app = match app {
        Some(app) => Some(app),
        None => s.application(account, rule.application_id)?,
    };
    Ok(StartData {
        app,
        bound: s.rule_scenarios(account, rule.id, true)?,
        peers: s.peer_table(account)?,
    })
}

/// Starts a session of the rule's bound scenarios; its outbound calls take the account's
/// stored peer table.
pub(super) async fn start_rule(ctx: &Ctx<'_>, mut l: Launch) -> Result<StartedSession, ApiError> {
    let account = ctx.caller.account_id;
    let (app, rule) = (l.app.take(), l.rule.clone());
    // One trip to the store for everything else a start reads.
    let data = store(ctx, move |s| start_data(s, account, app, &rule)).await?;
    launch_with(ctx, l, data).await
}

/// Starts `l` with what [`start_data`] read for it (`l.app` is not used).
async fn launch_with(
    ctx: &Ctx<'_>,
    l: Launch,
    data: StartData,
) -> Result<StartedSession, ApiError> {
    let sessions = ctx
        .state
        .sessions
        .as_ref()
        .ok_or_else(|| ApiError::Internal("the session runtime is not running".into()))?;
    let account = ctx.caller.account_id;
    let Launch {
        rule,
        user_id,
        custom_data,
        conference,
        inbound,
        ..
    } = l;
    let StartData { app, bound, peers } = data;
    let app = app.ok_or(Code::InvalidApplicationId)?;
    if bound.is_empty() {
        return Err(Code::RuleNoScenarioBound.into());
    }
    let scenarios = bound
        .into_iter()
        .map(|s| ScenarioSource {
            name: s.name,
            source: s.script.unwrap_or_default(),
        })
        .collect();
    let req = StartRequest {
        account_id: account,
        application_id: app.id,
        application_name: applications::full_name(ctx, &app.name),
        rule_id: rule.id,
        rule_name: rule.name,
        user_id,
        custom_data,
        conference_name: conference,
        scenarios,
        calls: CallSetup {
            peers: super::voxrun_v1::peers_from(peers),
            inbound,
            ..CallSetup::default()
        },
    };
    sessions.start(req).await.map_err(|e| match e {
        StartError::Full => ApiError::Code(Code::RateLimitExceed),
        StartError::Internal(m) => ApiError::Internal(m),
    })
}

pub(super) async fn get_call_history(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let account = ctx.caller.account_id;
    let now = chrono::Utc::now().timestamp();
    let to = p.datetime("to_date")?.unwrap_or(now);
    let from = p
        .datetime("from_date")?
        .unwrap_or(to - DEFAULT_HISTORY_DAYS * 86400);
    let ids = match p.id_list("call_session_history_id")? {
        None => None,
        Some(super::params::Selection::Some(ids)) => Some(ids),
        Some(super::params::Selection::All) => {
            return Err(ApiError::invalid(
                "call_session_history_id",
                "must be a list of ids",
            ))
        }
    };
    let app = applications::resolve(ctx, p, "application_name").await?;
    let mut paging = page(p, 100)?;
    paging.count = paging.count.min(MAX_HISTORY_COUNT);
    let filter = HistoryFilter {
        from,
        to,
        ids,
        application_id: app.map(|a| a.id),
        rule_name: p.str("rule_name").map(str::to_string),
        custom_data: p
            .str("call_session_history_custom_data")
            .map(str::to_string),
        desc: p.bool("desc_order")?.unwrap_or(false),
        with_total: p.bool("with_total_count")?.unwrap_or(true),
    };
    let with_total = filter.with_total;
    let with_calls = p.bool("with_calls")?.unwrap_or(false);
    let with_records = p.bool("with_records")?.unwrap_or(false);
    let found = store(ctx, move |s| s.history(account, &filter, paging)).await?;
    let mut saved = if with_calls || with_records {
        let ids: Vec<u64> = found.rows.iter().map(|r| r.id).collect();
        store(ctx, move |s| s.session_calls(&ids)).await?
    } else {
        Default::default()
    };
    let items: Vec<Value> = found
        .rows
        .iter()
        .map(|r| {
            let mine = saved.remove(&r.id).unwrap_or_default();
            let calls = if with_calls { mine.calls } else { Vec::new() };
            let records = if with_records {
                mine.records
            } else {
                Vec::new()
            };
            history_json(ctx, r, SessionCalls { calls, records })
        })
        .collect();
    let mut body = json!({"result": items, "count": found.rows.len()});
    if with_total {
        body["total_count"] = json!(found.total.unwrap_or(found.rows.len() as u64));
    }
    Ok(body)
}

/// A history row; `saved` holds the calls and recordings asked for (else empty).
fn history_json(ctx: &Ctx<'_>, r: &HistoryRow, saved: SessionCalls) -> Value {
    json!({
        "call_session_history_id": r.id,
        "account_id": r.account_id,
        "application_id": r.application_id,
        "application_name": r.application_name,
        "rule_name": r.rule_name,
        "user_id": r.user_id,
        "start_date": format_datetime(r.start_date),
        "duration": r.duration,
        "finish_reason": r.finish_reason,
        "custom_data": r.custom_data,
        "log_file_url": log_url(ctx, r.id, &r.log_secret),
        "media_server_address": ctx.state.api_address.rsplit_once(':').map(|(h, _)| h).unwrap_or_default(),
        "calls": saved.calls.iter().map(call_json).collect::<Vec<_>>(),
        "records": saved.records.iter().map(record_json).collect::<Vec<_>>(),
        "other_resource_usage": [],
    })
}

/// Seconds as the wire's `YYYY-MM-DD HH:mm:ss`.
fn wire_time(unix: u64) -> String {
    format_datetime(i64::try_from(unix).unwrap_or(i64::MAX))
}

/// The platform's CallInfoType fields voxrun knows; `call_id` is the transcript's call id.
fn call_json(c: &CallRecord) -> Value {
    let mut v = json!({
        "call_id": c.call_id,
        "start_time": wire_time(c.start_time),
        "duration": c.duration,
        "local_number": c.local_number,
        "remote_number": c.remote_number,
        "incoming": c.incoming,
        "successful": c.successful,
    });
    if let Some(url) = &c.record_url {
        v["record_url"] = json!(url);
    }
    v
}

/// The platform's RecordType fields voxrun knows, plus the recorded call's id.
fn record_json(r: &RecordRecord) -> Value {
    json!({
        "record_id": r.record_id,
        "record_name": r.record_name,
        "start_time": wire_time(r.start_time),
        "duration": r.duration,
        "record_url": r.record_url,
        "call_id": r.call_id,
    })
}

/// The session log's URL on the API listener (docs/sessions.md#the-control-url).
pub fn log_url(ctx: &Ctx<'_>, id: u64, secret: &str) -> String {
    format!("https://{}/logs/{id}/{secret}", ctx.state.api_address)
}
