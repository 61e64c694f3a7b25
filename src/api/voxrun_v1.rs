//! voxrun's own interface on the API listener (docs/telephony.md#driving-calls-on-a-server): place inbound calls, act as a
//! call's far end, the outbound peer table, live sessions and their transcripts. JSON in
//! and out, authenticated like the Management API (JWT or account_id + api_key), owners and
//! developers only. Every answer of this interface is made here, from [`V1Error`] or a
//! JSON value.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{json, Value};

use super::sessions::{start_rule, Launch};
use super::{applications, auth, rules, ApiError, ApiState, Code, Ctx, Params, Role};
use crate::session::FarEndError;
use crate::store::{Application, RuleFilter};
use crate::telephony::peer::{PeerScript, PeerTable};
use crate::telephony::{FarEndAct, Inbound, DEFAULT_CALLER};

mod sessions;
pub(super) use sessions::{follow, is_follow};
use sessions::{session_log, sessions, terminate, transcript};

/// Where this interface lives.
pub(super) const PREFIX: &str = "/voxrun/v1/";

/// An error answer: its HTTP status and the Management API error it carries.
pub(super) struct V1Error(StatusCode, ApiError);

impl V1Error {
    fn bad(field: &str, why: &str) -> Self {
        V1Error(StatusCode::BAD_REQUEST, ApiError::invalid(field, why))
    }

    fn not_found(code: Code) -> Self {
        V1Error(StatusCode::NOT_FOUND, ApiError::Code(code))
    }
}

impl From<ApiError> for V1Error {
    fn from(e: ApiError) -> Self {
        let status = match &e {
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Code(Code::AuthorizationFailed)
            | ApiError::Code(Code::InvalidTokenFormat)
            | ApiError::Code(Code::TokenExpired)
            | ApiError::Code(Code::TokenIssuedInFuture)
            | ApiError::Code(Code::InvalidTokenTtl) => StatusCode::UNAUTHORIZED,
            ApiError::Code(Code::ForbiddenCommand) => StatusCode::FORBIDDEN,
            ApiError::Code(Code::RateLimitExceed) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Code(Code::InvalidApplicationId | Code::ApplicationNotFound) => {
                StatusCode::NOT_FOUND
            }
            _ => StatusCode::BAD_REQUEST,
        };
        V1Error(status, e)
    }
}

pub(super) type V1Result = Result<(StatusCode, Value), V1Error>;

pub(super) fn respond(result: V1Result) -> Response<Full<Bytes>> {
    let (status, body) = match result {
        Ok(ok) => ok,
        Err(V1Error(status, e)) => {
            if let ApiError::Internal(detail) = &e {
                tracing::error!(%detail, "internal error in a /voxrun/v1 call");
            }
            let v = json!({ "error": { "code": e.code(), "msg": e.message() } });
            (status, v)
        }
    };
    let mut r = Response::new(Full::new(Bytes::from(body.to_string())));
    *r.status_mut() = status;
    if let Ok(v) = hyper::header::HeaderValue::from_str("application/json") {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

/// One request under [`PREFIX`]; `rest` is the path after it.
pub(super) async fn handle(
    state: &ApiState,
    req: Request<Bytes>,
    rest: &str,
) -> Response<Full<Bytes>> {
    respond(route(state, req, rest).await)
}

async fn route(state: &ApiState, req: Request<Bytes>, rest: &str) -> V1Result {
    let method = req.method().clone();
    let caller = authorize(state, &req).await?;
    let ctx = Ctx {
        state,
        caller: &caller,
    };
    let body = req.into_body();
    let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    match (&method, parts.as_slice()) {
        (&Method::POST, ["calls"]) => place_call(&ctx, &body).await,
        (&Method::POST, ["calls", call, action]) => far_end(&ctx, call, action, &body).await,
        (&Method::PUT, ["peers"]) => put_peers(&ctx, &body).await,
        (&Method::GET, ["peers"]) => {
            let table = stored_peers(&ctx).await?;
            Ok((StatusCode::OK, table.to_json()))
        }
        (&Method::GET, ["sessions"]) => sessions(&ctx),
        (&Method::POST, ["sessions", id, "terminate"]) => terminate(&ctx, id),
        (&Method::GET, ["sessions", id, "transcript"]) => transcript(&ctx, id).await,
        (&Method::GET, ["sessions", id, "log"]) => session_log(&ctx, id).await,
        _ => Err(V1Error(
            StatusCode::NOT_FOUND,
            ApiError::invalid("path", "is not a /voxrun/v1 endpoint"),
        )),
    }
}

/// The caller, authenticated like the Management API (a JWT, or `account_id` and
/// `api_key` in the query); owners and developers only.
pub(super) async fn authorize(
    state: &ApiState,
    req: &Request<Bytes>,
) -> Result<super::Caller, V1Error> {
    let bearer = req
        .headers()
        .get(hyper::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let params = Params::parse(req.uri().query(), None, Bytes::new()).await?;
    let caller = auth::authenticate(state, bearer, &params).await?;
    if !matches!(caller.role, Role::Owner | Role::Developer) {
        return Err(ApiError::Code(Code::ForbiddenCommand).into());
    }
    Ok(caller)
}

fn json_body(body: &Bytes) -> Result<serde_json::Map<String, Value>, V1Error> {
    if body.is_empty() {
        return Ok(serde_json::Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(V1Error::bad("body", "must be a JSON object")),
        Err(e) => Err(V1Error::bad("body", &format!("is not valid JSON: {e}"))),
    }
}

fn text_field(m: &serde_json::Map<String, Value>, name: &str) -> Result<Option<String>, V1Error> {
    match m.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(V1Error::bad(name, "must be a string")),
    }
}

/// The account's stored peer table (empty when none was set).
pub(super) async fn stored_peers(ctx: &Ctx<'_>) -> Result<PeerTable, ApiError> {
    let account = ctx.caller.account_id;
    let text = super::methods::store(ctx, move |s| s.peer_table(account)).await?;
    Ok(peers_from(text))
}

/// The account's peer table from its stored text (none or unreadable: the default).
pub(super) fn peers_from(text: Option<String>) -> PeerTable {
    text.and_then(|t| PeerTable::parse_str(&t).ok())
        .unwrap_or_default()
}

async fn put_peers(ctx: &Ctx<'_>, body: &Bytes) -> V1Result {
    let text = std::str::from_utf8(body).map_err(|_| V1Error::bad("body", "is not UTF-8"))?;
    let table = PeerTable::parse_str(text).map_err(|e| V1Error::bad(&e.at, &e.what))?;
    let ordered = table_text(&table);
    let account = ctx.caller.account_id;
    super::methods::store(ctx, move |s| s.set_peer_table(account, &ordered)).await?;
    Ok((
        StatusCode::OK,
        json!({ "result": 1, "patterns": table.entries.len() }),
    ))
}

/// The table as JSON text in its pattern order (a `Value` object would sort it).
fn table_text(table: &PeerTable) -> String {
    let parts: Vec<String> = table
        .entries
        .iter()
        .map(|(p, s)| format!("{}:{}", Value::from(p.as_str()), s.to_json()))
        .collect();
    format!("{{{}}}", parts.join(","))
}

/// `POST /voxrun/v1/calls`: routes `to` through the rules and starts the first matching
/// rule's session with an inbound call.
async fn place_call(ctx: &Ctx<'_>, body: &Bytes) -> V1Result {
    let m = json_body(body)?;
    let to = text_field(&m, "to")?.ok_or_else(|| V1Error::bad("to", "is required"))?;
    if to.is_empty() {
        return Err(V1Error::bad("to", "must not be empty"));
    }
    let from = text_field(&m, "from")?.unwrap_or_else(|| DEFAULT_CALLER.to_string());
    let caller = match m.get("caller") {
        None | Some(Value::Null) => PeerScript::default(),
        Some(v) => {
            PeerScript::parse(v).map_err(|e| V1Error::bad(&format!("caller.{}", e.at), &e.what))?
        }
    };
    let headers = match m.get("headers") {
        None | Some(Value::Null) => Default::default(),
        Some(Value::Object(h)) => h
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_string),
                )
            })
            .collect(),
        Some(_) => return Err(V1Error::bad("headers", "must be an object")),
    };
    let custom_data = text_field(&m, "custom_data")?;
    let display_name = text_field(&m, "display_name")?.unwrap_or_default();
    let apps = candidate_apps(ctx, &m).await?;
    let account = ctx.caller.account_id;
    let target = to.clone();
    let found = super::methods::store(ctx, move |s| {
        for app in apps {
            let filter = RuleFilter {
                application_id: app.id,
                ..RuleFilter::default()
            };
            let rules = s.rules(account, &filter)?;
            if let Some(rule) = rules.into_iter().find(|r| rules::routes(r, &target)) {
                return Ok(Some((app, rule)));
            }
        }
        Ok(None)
    })
    .await?;
    let Some((app, rule)) = found else {
        return Err(V1Error::not_found(Code::InvalidRuleId));
    };
    let launch = Launch {
        app: Some(app),
        rule,
        user_id: None,
        custom_data: String::new(),
        conference: None,
        inbound: Some(Inbound {
            to,
            from,
            display_name,
            headers,
            custom_data,
            caller,
        }),
    };
    let started = start_rule(ctx, launch).await?;
    Ok((
        StatusCode::OK,
        json!({
            "call_session_history_id": started.id,
            "call_id": format!("{}call-1", crate::session::call_prefix(started.id)),
            "media_session_access_url": started.access_url,
        }),
    ))
}

/// The applications whose rules route a call: the one named, else all, by id.
async fn candidate_apps(
    ctx: &Ctx<'_>,
    m: &serde_json::Map<String, Value>,
) -> Result<Vec<Application>, V1Error> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let Some(v) = m.get("application_id") {
        let id = v.as_u64().map_or_else(|| v.to_string(), |n| n.to_string());
        pairs.push(("application_id".into(), id));
    }
    if let Some(Value::String(v)) = m.get("application_name") {
        pairs.push(("application_name".into(), v.clone()));
    }
    let p = Params::from_pairs(pairs);
    if let Some(app) = applications::resolve(ctx, &p, "application_name").await? {
        return Ok(vec![app]);
    }
    let account = ctx.caller.account_id;
    let all = super::methods::store(ctx, move |s| {
        s.applications(
            account,
            &Default::default(),
            crate::store::Page {
                count: u64::MAX,
                offset: 0,
            },
        )
    })
    .await?;
    Ok(all.items)
}

/// `POST /voxrun/v1/calls/{call_id}/{dtmf|say|message|hangup}`.
async fn far_end(ctx: &Ctx<'_>, call: &str, action: &str, body: &Bytes) -> V1Result {
    let m = json_body(body)?;
    let need = |field: &str| -> Result<String, V1Error> {
        text_field(&m, field)?.ok_or_else(|| V1Error::bad(field, "is required"))
    };
    let act = match action {
        "dtmf" => {
            let digits = need("digits")?;
            if digits.is_empty() || crate::telephony::first_non_dtmf(&digits).is_some() {
                return Err(V1Error::bad(
                    "digits",
                    &format!("must be DTMF digits ({})", crate::telephony::DTMF_DIGITS),
                ));
            }
            FarEndAct::Dtmf(digits)
        }
        "say" => FarEndAct::Say(need("text")?),
        "message" => FarEndAct::Message(need("text")?),
        "hangup" => FarEndAct::Hangup,
        _ => {
            return Err(V1Error(
                StatusCode::NOT_FOUND,
                ApiError::invalid("action", "must be dtmf, say, message or hangup"),
            ))
        }
    };
    let sessions = live_sessions(ctx)?;
    match sessions.far_end(ctx.caller.account_id, call, act).await {
        Ok(()) => Ok((StatusCode::OK, json!({ "result": 1 }))),
        Err(FarEndError::NoSuchCall) => Err(V1Error(
            StatusCode::NOT_FOUND,
            ApiError::invalid("call_id", "names no live call"),
        )),
        Err(FarEndError::Refused(why)) => Err(V1Error(
            StatusCode::CONFLICT,
            ApiError::invalid("call_id", &why),
        )),
    }
}

pub(super) fn live_sessions<'a>(
    ctx: &'a Ctx<'_>,
) -> Result<&'a std::sync::Arc<crate::session::SessionManager>, V1Error> {
    ctx.state
        .sessions
        .as_ref()
        .ok_or_else(|| ApiError::Internal("the session runtime is not running".into()).into())
}
