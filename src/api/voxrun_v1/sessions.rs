//! The session endpoints of `/voxrun/v1`: the live list, a stop, the transcript and the
//! log, whole (JSON) or followed as server-sent events while the session runs.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::{Request, Response, StatusCode};
use serde_json::{json, Value};

use super::{authorize, handle, live_sessions, respond, V1Error, V1Result};
use crate::api::{ApiError, ApiState, Code, Ctx};
use crate::session::log::SessionLog;
use crate::session::transcript::LiveTranscript;
use crate::session::SessionLogSource;

pub(super) fn sessions(ctx: &Ctx<'_>) -> V1Result {
    let list: Vec<Value> = live_sessions(ctx)?
        .live(ctx.caller.account_id)
        .into_iter()
        .map(|s| {
            json!({
                "call_session_history_id": s.id,
                "application_id": s.about.application_id,
                "application_name": s.about.application_name,
                "rule_id": s.about.rule_id,
                "rule_name": s.about.rule_name,
                "start_date": s.about.start_date,
                "state": s.state,
                "calls": s.calls,
            })
        })
        .collect();
    Ok((StatusCode::OK, json!({ "result": list })))
}

fn session_id(id: &str) -> Result<u64, V1Error> {
    id.parse()
        .map_err(|_| V1Error::bad("call_session_history_id", "must be a number"))
}

pub(super) fn terminate(ctx: &Ctx<'_>, id: &str) -> V1Result {
    let id = session_id(id)?;
    if live_sessions(ctx)?.stop(ctx.caller.account_id, id) {
        Ok((StatusCode::OK, json!({ "result": 1 })))
    } else {
        Err(V1Error::not_found(Code::InvalidCallSessionHistoryId))
    }
}

/// The transcript of a live or ended session of the account, as a JSON array.
pub(super) async fn transcript(ctx: &Ctx<'_>, id: &str) -> V1Result {
    let id = session_id(id)?;
    let account = ctx.caller.account_id;
    if let Some(live) = live_sessions(ctx)?.live_transcript(account, id) {
        let entries: Vec<Value> = live
            .lines_from(0)
            .iter()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        return Ok((StatusCode::OK, Value::Array(entries)));
    }
    let stored = crate::api::methods::store(ctx, move |s| {
        if s.history_row(account, id)?.is_none() {
            return Ok(None);
        }
        s.transcript(id)
    })
    .await?;
    match stored {
        Some(text) => {
            let v = serde_json::from_str(&text).unwrap_or_else(|_| Value::Array(Vec::new()));
            Ok((StatusCode::OK, v))
        }
        None => Err(V1Error::not_found(Code::InvalidCallSessionHistoryId)),
    }
}

/// `GET .../sessions/{id}/log`: the session's log so far (live) or its stored log.
pub(super) async fn session_log(ctx: &Ctx<'_>, id: &str) -> V1Result {
    let id = session_id(id)?;
    let found = live_sessions(ctx)?
        .session_log(ctx.caller.account_id, id)
        .await
        .map_err(ApiError::Internal)?;
    let (live, text) = match found {
        Some(SessionLogSource::Live(log)) => (true, log.snapshot()),
        Some(SessionLogSource::Stored(text)) => (false, text),
        None => return Err(V1Error::not_found(Code::InvalidCallSessionHistoryId)),
    };
    Ok((
        StatusCode::OK,
        json!({ "call_session_history_id": id, "live": live, "log": text }),
    ))
}

/// What a follower reads: a live transcript (one event per entry) or a live log (one
/// event per new piece of text).
enum Feed {
    Transcript(Arc<LiveTranscript>),
    Log(Arc<SessionLog>),
}

impl Feed {
    fn watch(&self) -> tokio::sync::watch::Receiver<usize> {
        match self {
            Feed::Transcript(t) => t.watch(),
            Feed::Log(l) => l.watch(),
        }
    }

    fn is_finished(&self) -> bool {
        match self {
            Feed::Transcript(t) => t.is_finished(),
            Feed::Log(l) => l.is_finished(),
        }
    }

    /// The events for what came after `cursor`, and the new cursor; `None`: nothing new.
    fn events_after(&self, cursor: usize) -> Option<(String, usize)> {
        let mut text = String::new();
        let next = match self {
            Feed::Transcript(t) => {
                let new = t.lines_from(cursor);
                for line in &new {
                    text.push_str(&format!("data: {line}\n\n"));
                }
                cursor + new.len()
            }
            Feed::Log(l) => {
                let new = l.text_from(cursor);
                if !new.is_empty() {
                    text.push_str(&format!("data: {}\n\n", json!({ "text": new })));
                }
                cursor + new.len()
            }
        };
        (next != cursor).then_some((text, next))
    }
}

/// `GET .../sessions/{id}/transcript?follow=1` and `.../log?follow=1`.
pub(in crate::api) fn is_follow(rest: &str, query: Option<&str>) -> bool {
    let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    matches!(parts.as_slice(), ["sessions", _, "transcript" | "log"])
        && query.is_some_and(|q| {
            q.split('&')
                .any(|kv| kv == "follow=1" || kv == "follow=true")
        })
}

/// A live session's transcript or log as server-sent events: what there is so far first,
/// then each addition as it comes (`data: {entry}` per transcript entry, `data: {"text":
/// ...}` per new piece of log), then `event: end` when the session is over. An ended
/// session's stored transcript or log is answered whole, as without `follow`.
pub(in crate::api) async fn follow(
    state: &ApiState,
    req: Request<Bytes>,
    rest: &str,
) -> Response<crate::server::Body> {
    let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let (id, is_log) = match parts.as_slice() {
        ["sessions", id, what] => (id.to_string(), *what == "log"),
        _ => (String::new(), false),
    };
    let feed = match feed(state, &req, &id, is_log).await {
        Ok(Some(feed)) => feed,
        Ok(None) => return handle(state, req, rest).await.map(BodyExt::boxed),
        Err(e) => return respond(Err(e)).map(BodyExt::boxed),
    };
    let rx = feed.watch();
    let stream = futures_util::stream::unfold(
        (feed, rx, 0usize, false),
        |(feed, mut rx, cursor, done)| async move {
            if done {
                return None;
            }
            loop {
                if let Some((text, next)) = feed.events_after(cursor) {
                    let frame = hyper::body::Frame::data(Bytes::from(text));
                    return Some((
                        Ok::<_, std::convert::Infallible>(frame),
                        (feed, rx, next, false),
                    ));
                }
                if feed.is_finished() {
                    let end =
                        hyper::body::Frame::data(Bytes::from_static(b"event: end\ndata: {}\n\n"));
                    return Some((Ok(end), (feed, rx, cursor, true)));
                }
                if rx.changed().await.is_err() {
                    return None;
                }
            }
        },
    );
    let mut r = Response::new(http_body_util::StreamBody::new(stream).boxed());
    let headers = r.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(
        hyper::header::CACHE_CONTROL,
        hyper::header::HeaderValue::from_static("no-cache"),
    );
    r
}

/// Authenticates a follow request and finds its live session's feed; `None`: the session
/// ended (or is unknown), and the plain answer says which.
async fn feed(
    state: &ApiState,
    req: &Request<Bytes>,
    id: &str,
    is_log: bool,
) -> Result<Option<Feed>, V1Error> {
    let caller = authorize(state, req).await?;
    let id = session_id(id)?;
    let sessions = state.sessions.as_ref().ok_or_else(|| {
        V1Error::from(ApiError::Internal(
            "the session runtime is not running".into(),
        ))
    })?;
    if !is_log {
        return Ok(sessions
            .live_transcript(caller.account_id, id)
            .map(Feed::Transcript));
    }
    match sessions.session_log(caller.account_id, id).await {
        Ok(Some(SessionLogSource::Live(log))) => Ok(Some(Feed::Log(log))),
        Ok(_) => Ok(None),
        Err(e) => Err(ApiError::Internal(e).into()),
    }
}
