//! Golden scenario tests: every folder in `tests/scenarios/` is one case.
//!
//! A case holds `case.js` (plus `case2.js`, `case3.js`, ... loaded after it, in name order),
//! an optional `requests` file and the expected transcript `case.out`. Scenario sources may
//! use `{{NET}}` (a local HTTP server, see `net_server`) and `{{CLOSED}}` (a closed port).
//! The session runs on a manual clock starting at 2024-01-01 00:00:00 UTC, so log
//! timestamps are deterministic.
//!
//! `requests` lines:
//! - `METHOD PATH [BODY]`: one control request; its reply is printed as `< STATUS TYPE` + body.
//! - `&METHOD PATH [BODY]`: send without waiting; the replies of such requests are printed
//!   (in order) before the next line other than `&...`, `advance`, `sleep` or `header`.
//! - `header NAME: VALUE`: a header for the next request.
//! - `advance MS`: move the manual clock and run what became due.
//! - `session N`: the following lines go to session N (started on first use, same scripts).
//! - `terminate`: end the current session administratively.
//! - `sleep MS`: real sleep (for idle timeouts only; reply timeouts follow `advance`).
//! - `set KEY VALUE` (before the first request): `per_event_ms`, `reply_timeout_ms`,
//!   `idle_timeout_ms`, `custom_data`, `conference_name`, `net_allow` (comma-separated),
//!   `net_total`, `max_timers`, `terminating_net_wait_ms`, `loop_iteration_limit`.
//!   A case about one limit sets the others out of reach, so that the outcome never
//!   depends on how fast the machine is.
//!
//! After the last line every session still running is terminated administratively and its
//! outcome printed. `UPDATE_GOLDEN=1 cargo test --test scenarios` rewrites the `case.out`
//! files; read every rewritten file before committing it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/net_server.rs"]
mod net_server;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use voxrun::runtime::{
    run_session, ClockSource, FinishReason, HttpEvent, Limits, ScenarioSource, SessionLink,
    SessionMsg, SessionOutcome, SessionSpec,
};

const START_MS: u64 = 1_704_067_200_000;

#[derive(Clone, Default)]
struct Transcript(Rc<RefCell<Vec<String>>>);

impl Transcript {
    fn push(&self, s: impl Into<String>) {
        self.0.borrow_mut().push(s.into());
    }
}

struct Tagged(Transcript, String);

impl SessionLink for Tagged {
    fn write(&self, line: &str) {
        self.0.push(format!("{}{line}", self.1));
    }
}

struct Session {
    tx: mpsc::Sender<SessionMsg>,
    join: Option<JoinHandle<SessionOutcome>>,
}

struct Case {
    dir: PathBuf,
    scenarios: Vec<ScenarioSource>,
    limits: Limits,
    custom_data: String,
    conference_name: Option<String>,
    out: Transcript,
    sessions: BTreeMap<u32, Session>,
}

impl Case {
    async fn start(&mut self, n: u32) {
        let (tx, rx) = mpsc::channel(100);
        let (started_tx, started_rx) = oneshot::channel();
        let spec = SessionSpec {
            session_id: u64::from(n) * 1000 + 1,
            account_id: 42,
            application_id: 7,
            access_url: "http://127.0.0.1:12092/request/tok/SECRET".to_string(),
            access_secure_url: "https://127.0.0.1:12092/request/tok/SECRET".to_string(),
            log_url: "https://127.0.0.1:8080/logs/1/LOGSECRET".to_string(),
            conference_name: self.conference_name.clone(),
            custom_data: self.custom_data.clone(),
            control_secret: Some("SECRET".to_string()),
            scenarios: self.scenarios.clone(),
            calls: Default::default(),
        };
        let tag = if n == 1 {
            String::new()
        } else {
            format!("[{n}] ")
        };
        let sink = Rc::new(Tagged(self.out.clone(), tag));
        let clock = ClockSource::Manual { start_ms: START_MS };
        let join = tokio::task::spawn_local(run_session(
            spec,
            self.limits.clone(),
            clock,
            sink,
            rx,
            started_tx,
        ));
        let started = started_rx.await;
        self.out.push(format!("= started: {started:?}"));
        self.sessions.insert(
            n,
            Session {
                tx,
                join: Some(join),
            },
        );
    }

    async fn finish(&mut self, n: u32, terminate: bool) {
        let Some(s) = self.sessions.get_mut(&n) else {
            return;
        };
        if terminate {
            let _ =
                s.tx.send(SessionMsg::Terminate {
                    reason: FinishReason::Admin,
                })
                .await;
        }
        if let Some(join) = s.join.take() {
            let o = join.await.unwrap();
            self.out.push(format!(
                "= outcome: {} system_error={} custom_data={:?}",
                o.finish_reason.as_str(),
                o.system_error,
                o.custom_data
            ));
        }
    }
}

/// Prints the replies of the requests sent so far, in order.
async fn flush(
    out: &Transcript,
    queued: &mut Vec<(String, oneshot::Receiver<voxrun::runtime::HttpReply>)>,
) {
    let many = queued.len() > 1;
    for (label, rx) in queued.drain(..) {
        let prefix = if many {
            format!("< [{label}]")
        } else {
            "<".to_string()
        };
        match rx.await {
            Ok(r) => {
                let ct = r.content_type.map_or("-", |t| t.mime());
                out.push(format!(
                    "{prefix} {} {ct} {}",
                    r.status,
                    String::from_utf8_lossy(&r.body)
                ));
            }
            Err(_) => out.push(format!("{prefix} (no reply)")),
        }
    }
}

fn substitute(src: &str, net: &str, closed: &str) -> String {
    src.replace("{{NET}}", net).replace("{{CLOSED}}", closed)
}

async fn run_case(dir: &Path, net: &str, closed: &str) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name.starts_with("case") && name.ends_with(".js")
        })
        .collect();
    files.sort();
    let scenarios = files
        .iter()
        .map(|p| ScenarioSource {
            name: p.file_name().unwrap().to_string_lossy().to_string(),
            source: substitute(&std::fs::read_to_string(p).unwrap(), net, closed),
        })
        .collect();
    let requests = std::fs::read_to_string(dir.join("requests")).unwrap_or_default();
    let mut case = Case {
        dir: dir.to_path_buf(),
        scenarios,
        limits: Limits::default(),
        custom_data: String::new(),
        conference_name: None,
        out: Transcript::default(),
        sessions: BTreeMap::new(),
    };
    let mut current = 1u32;
    let mut headers = Vec::new();
    let mut queued: Vec<(String, oneshot::Receiver<voxrun::runtime::HttpReply>)> = Vec::new();
    for line in requests
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        if !matches!(word, "advance" | "sleep" | "header") && !word.starts_with('&') {
            flush(&case.out, &mut queued).await;
        }
        match word {
            "set" => {
                let (k, v) = rest.split_once(' ').unwrap_or((rest, ""));
                let ms = || Duration::from_millis(v.parse().unwrap());
                match k {
                    "per_event_ms" => case.limits.per_event = ms(),
                    "reply_timeout_ms" => case.limits.event_reply_timeout = ms(),
                    "idle_timeout_ms" => case.limits.idle_timeout = ms(),
                    "terminating_net_wait_ms" => case.limits.terminating_net_wait = ms(),
                    "custom_data" => case.custom_data = v.to_string(),
                    "conference_name" => case.conference_name = Some(v.to_string()),
                    "net_allow" => {
                        case.limits.net_allow = Some(
                            v.split(',')
                                .map(|s| {
                                    substitute(s, net, closed)
                                        .trim_start_matches("http://")
                                        .to_string()
                                })
                                .collect(),
                        )
                    }
                    "net_total" => case.limits.net_total = v.parse().unwrap(),
                    "max_timers" => case.limits.max_timers = v.parse().unwrap(),
                    "max_log_bytes" => case.limits.max_log_bytes = v.parse().unwrap(),
                    "loop_iteration_limit" => case.limits.loop_iteration_limit = v.parse().unwrap(),
                    other => panic!("{}: unknown setting {other}", case.dir.display()),
                }
                continue;
            }
            "session" => {
                current = rest.parse().unwrap();
                continue;
            }
            _ => {}
        }
        if !case.sessions.contains_key(&current) {
            case.start(current).await;
        }
        let tx = case.sessions[&current].tx.clone();
        match word {
            "header" => {
                let (k, v) = rest.split_once(':').unwrap();
                headers.push((k.trim().to_string(), v.trim().to_string()));
            }
            "advance" => {
                case.out.push(format!("= advance {rest}"));
                let (done, wait) = oneshot::channel();
                if tx
                    .send(SessionMsg::AdvanceClock {
                        ms: rest.parse().unwrap(),
                        done,
                    })
                    .await
                    .is_ok()
                {
                    let _ = wait.await;
                }
            }
            "sleep" => tokio::time::sleep(Duration::from_millis(rest.parse().unwrap())).await,
            "terminate" => case.finish(current, true).await,
            "wait" => case.finish(current, false).await,
            method => {
                let (method, wait) = match method.strip_prefix('&') {
                    Some(m) => (m, false),
                    None => (method, true),
                };
                let (path, body) = rest.split_once(' ').unwrap_or((rest, ""));
                let ev = HttpEvent {
                    method: method.to_string(),
                    path: path.to_string(),
                    content: body.to_string(),
                    headers: std::mem::take(&mut headers),
                };
                let label = format!("{method} {path}");
                case.out.push(format!("> {label}"));
                let (reply_tx, reply_rx) = oneshot::channel();
                if tx
                    .send(SessionMsg::Http(ev, reply_tx.into()))
                    .await
                    .is_err()
                {
                    case.out.push("< (session gone)");
                    continue;
                }
                queued.push((label, reply_rx));
                if wait {
                    flush(&case.out, &mut queued).await;
                }
            }
        }
    }
    flush(&case.out, &mut queued).await;
    if case.sessions.is_empty() {
        case.start(1).await;
    }
    let ids: Vec<u32> = case.sessions.keys().copied().collect();
    for n in ids {
        case.finish(n, true).await;
    }
    let lines = case.out.0.borrow().join("\n");
    lines + "\n"
}

#[test]
fn golden_scenarios() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        // Folders with a peer table are call cases (tests/call_scenarios.rs).
        .filter(|p| p.is_dir() && !p.join("case.peers.json").exists())
        .collect();
    dirs.sort();
    let only = std::env::var("CASE").ok();
    let update = std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let local = tokio::task::LocalSet::new();
    let mut failures = Vec::new();
    let mut ran = 0;
    local.block_on(&rt, async {
        let server = net_server::start().await;
        let closed = net_server::closed_port().await;
        for dir in &dirs {
            let name = dir.file_name().unwrap().to_string_lossy().to_string();
            if only.as_ref().is_some_and(|o| !name.contains(o.as_str())) {
                continue;
            }
            ran += 1;
            let got = run_case(dir, &server, &closed).await;
            let want_path = dir.join("case.out");
            if update {
                std::fs::write(&want_path, &got).unwrap();
                continue;
            }
            let want = std::fs::read_to_string(&want_path).unwrap_or_default();
            if got != want {
                failures.push(format!("--- {name}: expected\n{want}--- got\n{got}"));
            }
        }
    });
    assert!(ran > 0, "no scenario case ran");
    assert!(
        failures.is_empty(),
        "{} case(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
