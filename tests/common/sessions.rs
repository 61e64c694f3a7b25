//! Session helpers shared by the test files: rules with scenarios, starts, control-URL
//! requests, history rows and logs, all through a real server process.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::thread;
use std::time::{Duration, Instant};

use super::{Reply, ServerProc};
use serde_json::Value;

/// Bounded wait for a history row to show that its session ended.
pub const HISTORY_WAIT: Duration = Duration::from_secs(30);

pub fn start_server(extra: &[&str]) -> (tempfile::TempDir, ServerProc) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = ServerProc::start_in(&tmp.path().join("data"), extra);
    (tmp, server)
}

/// Call a method; panic with the request and answer unless it succeeded.
pub fn ok(server: &ServerProc, method: &str, params: &[(&str, &str)]) -> Value {
    let v = server.call_jwt(method, params);
    assert!(v.get("error").is_none(), "{method} {params:?} failed: {v}");
    v
}

/// An application and a rule with these scenarios bound in this order; returns
/// (rule id, scenario ids).
pub fn rule_with(server: &ServerProc, label: &str, scripts: &[&str]) -> (u64, Vec<u64>) {
    let app = ok(
        server,
        "AddApplication",
        &[("application_name", &format!("app-{label}"))],
    );
    let app_id = app["application_id"].as_u64().expect("application_id");
    let mut ids = Vec::new();
    for (i, script) in scripts.iter().enumerate() {
        let r = ok(
            server,
            "AddScenario",
            &[
                ("scenario_name", &format!("{label}-{i}")),
                ("scenario_script", script),
            ],
        );
        ids.push(r["scenario_id"].as_u64().expect("scenario_id"));
    }
    let list = ids.iter().map(u64::to_string).collect::<Vec<_>>().join(";");
    let rule = ok(
        server,
        "AddRule",
        &[
            ("application_id", &app_id.to_string()),
            ("rule_name", &format!("rule-{label}")),
            ("rule_pattern", ".*"),
            ("scenario_id", &list),
        ],
    );
    (rule["rule_id"].as_u64().expect("rule_id"), ids)
}

/// A started session as StartScenarios reports it.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: u64,
    pub url: String,
    pub secure_url: String,
}

pub fn start_session(server: &ServerProc, rule_id: u64) -> Session {
    start_with_data(server, rule_id, "")
}

pub fn start_with_data(server: &ServerProc, rule_id: u64, custom_data: &str) -> Session {
    let v = ok(
        server,
        "StartScenarios",
        &[
            ("rule_id", &rule_id.to_string()),
            ("script_custom_data", custom_data),
        ],
    );
    Session {
        id: v["call_session_history_id"]
            .as_u64()
            .unwrap_or_else(|| panic!("call_session_history_id: {v}")),
        url: v["media_session_access_url"]
            .as_str()
            .expect("media_session_access_url")
            .to_string(),
        secure_url: v["media_session_access_secure_url"]
            .as_str()
            .expect("media_session_access_secure_url")
            .to_string(),
    }
}

/// `scheme://host:port/path` → (address, path).
pub fn split_url(url: &str) -> (SocketAddr, String) {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or_else(|| panic!("not an http(s) URL: {url}"));
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    (
        host.parse()
            .unwrap_or_else(|e| panic!("{url}: {host} is not an address: {e}")),
        path.to_string(),
    )
}

/// One request to a control URL (or any URL of the server) over plain HTTP.
pub fn post(url: &str, body: &str) -> Reply {
    let (addr, path) = split_url(url);
    super::http(addr, "POST", &path, &[], body.as_bytes())
}

/// The same over HTTPS, trusting the server's certificate.
pub fn get_tls(server: &ServerProc, url: &str) -> Reply {
    assert!(url.starts_with("https://"), "not an https URL: {url}");
    let (addr, path) = split_url(url);
    super::https(addr, &server.cert, "GET", &path, &[], b"")
}

pub fn history(server: &ServerProc, id: u64) -> Value {
    let v = ok(
        server,
        "GetCallHistory",
        &[("call_session_history_id", &id.to_string())],
    );
    let rows = v["result"].as_array().expect("result list");
    assert_eq!(rows.len(), 1, "GetCallHistory({id}): {v}");
    rows[0].clone()
}

/// Poll GetCallHistory (bounded) until the session's row has a finish reason.
pub fn wait_finished(server: &ServerProc, id: u64) -> Value {
    let deadline = Instant::now() + HISTORY_WAIT;
    loop {
        let row = history(server, id);
        if !row["finish_reason"].is_null() {
            return row;
        }
        assert!(
            Instant::now() < deadline,
            "session {id} still has no finish_reason after {HISTORY_WAIT:?}: {row}"
        );
        thread::sleep(Duration::from_millis(50));
    }
}

/// The session log, fetched over HTTPS from the row's `log_file_url`.
pub fn log_of(server: &ServerProc, row: &Value) -> String {
    let url = row["log_file_url"].as_str().expect("log_file_url");
    let r = get_tls(server, url);
    assert_eq!(r.status, 200, "GET {url}: {}", r.text());
    r.text()
}

/// SIGTERM, then wait (bounded) for the exit status; a server that does not exit fails the
/// test (and is killed on drop).
pub fn sigterm_and_wait(server: &mut ServerProc) -> std::process::ExitStatus {
    const LIMIT: Duration = Duration::from_secs(60);
    // SAFETY: a signal to the child process this test started.
    unsafe {
        libc::kill(server.child.id() as i32, libc::SIGTERM);
    }
    let deadline = Instant::now() + LIMIT;
    loop {
        if let Some(status) = server.child.try_wait().expect("wait for voxrun serve") {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "voxrun serve did not exit within {LIMIT:?} of SIGTERM"
        );
        thread::sleep(Duration::from_millis(50));
    }
}

/// Poll (bounded) a live session's log until it contains `needle`.
pub fn wait_log_line(server: &ServerProc, id: u64, needle: &str) {
    let deadline = Instant::now() + HISTORY_WAIT;
    let row = history(server, id);
    loop {
        if log_of(server, &row).contains(needle) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "session {id}: {needle:?} never showed up in its log"
        );
        thread::sleep(Duration::from_millis(50));
    }
}

/// A session that answers every request with "pong <body>".
pub const PONG: &str =
    "VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => 'pong ' + e.content);";

pub fn assert_pong(s: &Session, body: &str, what: &str) {
    let r = post(&s.url, body);
    assert_eq!(
        (r.status, r.text()),
        (200, format!("pong {body}")),
        "{what}: POST {} {body:?}",
        s.url
    );
}

/// The pid of the worker process a session runs in (its log names it).
pub fn worker_pid(server: &ServerProc, id: u64) -> u32 {
    let row = history(server, id);
    let log = log_of(server, &row);
    log.lines()
        .find_map(|l| {
            l.split("Worker process ")
                .nth(1)?
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("session {id}: no worker line in its log:\n{log}"))
}
