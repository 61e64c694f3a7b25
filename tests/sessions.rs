//! Sessions end to end, through real processes: a real `voxrun serve`, the official Python and
//! Node API clients (tests/clients/{python,node}_sessions.{py,js}), the control URL over HTTP
//! and HTTPS, GetCallHistory and the log URL, containment of runaway scripts (the per-event
//! deadline and the stuck-thread watchdog), shutdown by SIGTERM, a crash (SIGKILL) and the
//! concurrent-start limit.
//!
//! Waits are bounded polls for a state a user can see (a history row that has ended); nothing
//! here measures time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::Command;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use common::sessions::*;
use common::{Reply, ServerProc};
use serde_json::Value;

// ------------------------------------------------------------------------------------ helpers

/// A local HTTP server on 127.0.0.1:0 that answers every request `200 ok` and reports each
/// request line.
fn local_http_server() -> (SocketAddr, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
            let mut buf = Vec::new();
            let mut chunk = [0u8; 1024];
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                match conn.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            let head = String::from_utf8_lossy(&buf);
            let _ = tx.send(head.lines().next().unwrap_or_default().to_string());
            let _ = conn.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
            );
        }
    });
    (addr, rx)
}

// -------------------------------------------------------------------- official clients

fn python_sessions(server: &ServerProc, section: &str) -> Command {
    let mut cmd = Command::new(common::clients::official_python());
    cmd.arg(common::clients::client_script("python_sessions.py"))
        .arg("--endpoint")
        .arg(server.endpoint())
        .arg("--credentials")
        .arg(&server.credentials)
        .arg("--cert")
        .arg(&server.cert)
        .args(["--only", section]);
    common::clients::isolate_client(&mut cmd, server);
    cmd
}

fn node_sessions(server: &ServerProc, section: &str) -> Command {
    let modules = common::clients::official_node_modules();
    let mut cmd = Command::new("node");
    cmd.arg(common::clients::client_script("node_sessions.js"))
        .arg("--endpoint")
        .arg(server.endpoint())
        .arg("--credentials")
        .arg(&server.credentials)
        .arg("--cert")
        .arg(&server.cert)
        .args(["--only", section]);
    common::clients::isolate_client(&mut cmd, server);
    cmd.env("NODE_PATH", modules);
    cmd
}

fn run_section(what: &str, cmd: Command) {
    let out = common::clients::run_client_script(what, cmd);
    assert!(
        out.contains("1 of 1 sections passed"),
        "{what}: unexpected output:\n{out}"
    );
}

/// StartScenarios → control URL over HTTP and HTTPS (bodies, content types, X-* headers) →
/// GetCallHistory (finish reason, final custom data, duration) → the log over HTTPS.
#[test]
fn python_client_runs_a_session_from_start_to_history_and_log() {
    common::clients::official_python();
    let (_tmp, server) = start_server(&[]);
    run_section("python_sessions.py flow", python_sessions(&server, "flow"));
}

/// StartScenarios on a rule without scenarios → 375, unknown rule → 147, custom data over
/// 200 bytes → 101 (200 bytes pass).
#[test]
fn python_client_sees_start_errors() {
    common::clients::official_python();
    let (_tmp, server) = start_server(&[]);
    run_section(
        "python_sessions.py errors",
        python_sessions(&server, "errors"),
    );
}

#[test]
fn node_client_runs_a_session_from_start_to_history_and_log() {
    common::clients::official_node_modules();
    let (_tmp, server) = start_server(&[]);
    run_section("node_sessions.js flow", node_sessions(&server, "flow"));
}

/// StartConference joins the live session of that name, starts a new one after it ended,
/// and refuses names of 50+ characters with 270.
#[test]
fn node_client_conferences_join_while_alive() {
    common::clients::official_node_modules();
    let (_tmp, server) = start_server(&[]);
    run_section(
        "node_sessions.js conference",
        node_sessions(&server, "conference"),
    );
}

#[test]
fn node_client_sees_start_errors() {
    common::clients::official_node_modules();
    let (_tmp, server) = start_server(&[]);
    run_section("node_sessions.js errors", node_sessions(&server, "errors"));
}

// ---------------------------------------------------------------------- scenario order

/// Each scenario records itself in a shared global `order`, noting whether it saw the other
/// one's top-level `const`.
fn order_scenario(me: &str, other: &str) -> String {
    format!(
        "var order = (typeof order === 'undefined') ? [] : order;\n\
         order.push('{me}' + (typeof lex{other} !== 'undefined' ? '+saw' + lex{other} : ''));\n\
         const lex{me} = '{me}';\n\
         VoxEngine.addEventListener(AppEvents.HttpRequest, () => ({{order}}));\n"
    )
}

#[test]
fn scenarios_run_in_binding_order_in_one_scope_and_reorder_applies_to_the_next_session() {
    let (_tmp, server) = start_server(&[]);
    let a = order_scenario("A", "B");
    let b = order_scenario("B", "A");
    // Bound B first, then A: binding order, not creation order.
    let app = ok(&server, "AddApplication", &[("application_name", "order")]);
    let app_id = app["application_id"].as_u64().unwrap().to_string();
    let id_a = ok(
        &server,
        "AddScenario",
        &[("scenario_name", "order-a"), ("scenario_script", &a)],
    )["scenario_id"]
        .as_u64()
        .unwrap();
    let id_b = ok(
        &server,
        "AddScenario",
        &[("scenario_name", "order-b"), ("scenario_script", &b)],
    )["scenario_id"]
        .as_u64()
        .unwrap();
    let rule = ok(
        &server,
        "AddRule",
        &[
            ("application_id", &app_id),
            ("rule_name", "order"),
            ("rule_pattern", ".*"),
            ("scenario_id", &format!("{id_b};{id_a}")),
        ],
    )["rule_id"]
        .as_u64()
        .unwrap();

    let first = start_session(&server, rule);
    let r = post(&first.url, "");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json(),
        serde_json::json!({"order": ["B", "A+sawB"]}),
        "scenarios bound [B, A] must run B then A in one global scope"
    );

    ok(
        &server,
        "ReorderScenarios",
        &[
            ("rule_id", &rule.to_string()),
            ("scenario_id", &format!("{id_a};{id_b}")),
        ],
    );
    let second = start_session(&server, rule);
    let r = post(&second.url, "");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json(),
        serde_json::json!({"order": ["A", "B+sawA"]}),
        "after ReorderScenarios [A, B], a new session runs A then B"
    );
    // The session that was already running keeps what it loaded.
    let r = post(&first.url, "");
    assert_eq!(
        r.json(),
        serde_json::json!({"order": ["B", "A+sawB"]}),
        "the first session after ReorderScenarios"
    );
}

// ------------------------------------------------------------------- control URL errors

#[test]
fn a_throwing_handler_gets_500_and_the_session_lives_on_and_bad_urls_get_404() {
    let (_tmp, server) = start_server(&[]);
    let script = "VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {\n\
                    if (e.content === 'throw') throw new Error('boom-' + e.method);\n\
                    if (e.content === 'bye') { VoxEngine.terminate(); return 'bye'; }\n\
                    return 'fine';\n\
                  });";
    let (rule, _) = rule_with(&server, "throws", &[script]);
    let s = start_session(&server, rule);

    let r = post(&s.url, "throw");
    assert_eq!(r.status, 500, "a handler that throws: {}", r.text());
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("application/json")),
        "500 carries a short JSON error: {:?} {}",
        r.headers,
        r.text()
    );
    let _ = r.json();
    let r = post(&s.url, "after");
    assert_eq!(
        (r.status, r.text()),
        (200, "fine".to_string()),
        "the session lives on after a handler threw"
    );
    // And over HTTPS.
    let (addr, path) = split_url(&s.secure_url);
    let r = common::https(addr, &server.cert, "POST", &path, &[], b"throw");
    assert_eq!(r.status, 500, "a handler that throws (https): {}", r.text());

    // Unknown token, wrong secret: 404 alike.
    let (addr, path) = split_url(&s.url);
    let (base, secret) = path.rsplit_once('/').unwrap();
    let (_, token) = base.rsplit_once('/').unwrap();
    let wrong_secret = format!("{base}/{}", "0".repeat(secret.len()));
    let unknown_token = format!("/request/{}/{secret}", "f".repeat(token.len()));
    for p in [&wrong_secret, &unknown_token] {
        let r = common::http(addr, "POST", p, &[], b"x");
        assert_eq!(r.status, 404, "POST {p}: {}", r.text());
    }
    let r = common::http(addr, "POST", &wrong_secret, &[], b"x");
    let r2 = common::http(addr, "POST", &unknown_token, &[], b"x");
    assert_eq!(
        r.text(),
        r2.text(),
        "a wrong secret and an unknown token must look the same"
    );

    let r = post(&s.url, "bye");
    assert_eq!(r.status, 200, "{}", r.text());
    let row = wait_finished(&server, s.id);
    assert_eq!(row["finish_reason"], "Normal termination", "{row}");
    let r = post(&s.url, "after");
    assert_eq!(r.status, 404, "after terminate: {}", r.text());
    let log = log_of(&server, &row);
    assert!(
        log.contains("boom-POST"),
        "the thrown error belongs in the session log:\n{log}"
    );
    // The runtime logs each control request's method and path, with the secret masked.
    let (_, path) = split_url(&s.url);
    let (token_path, secret) = path.rsplit_once('/').unwrap();
    assert!(
        log.lines()
            .any(|l| l.contains("POST") && l.contains(&format!("{token_path}/"))),
        "the log names each control request (method and path):\n{log}"
    );
    assert!(
        !log.contains(secret),
        "the log must not show the control secret:\n{log}"
    );
}

// ------------------------------------------------------------------------ containment

/// The row's `duration` (whole seconds, rounded up) covers at least the time this test saw
/// the session alive (from StartScenarios' answer to the failed request's answer).
fn assert_history_covers(row: &Value, seen_alive: Duration) {
    let duration = row["duration"]
        .as_u64()
        .unwrap_or_else(|| panic!("duration: {row}"));
    assert!(
        duration >= seen_alive.as_secs(),
        "duration {duration} s is shorter than the {seen_alive:?} the session was seen alive: {row}"
    );
}

/// Send one request from another thread; meanwhile keep checking that `healthy` answers.
/// Returns the request's reply and how many healthy answers came while it was in flight.
fn request_while_checking(url: &str, body: &str, healthy: &Session) -> (Reply, u32) {
    let (url, body) = (url.to_string(), body.to_string());
    let h = thread::spawn(move || post(&url, &body));
    let mut answered = 0;
    while !h.is_finished() {
        assert_pong(
            healthy,
            &format!("during-{answered}"),
            "another session while one is stuck",
        );
        answered += 1;
        // Keep the checks going without flooding the machine.
        thread::sleep(Duration::from_millis(5));
    }
    (h.join().expect("request thread"), answered)
}

#[test]
fn a_runaway_js_loop_ends_only_its_session() {
    let (_tmp, server) = start_server(&["--sessions-per-thread", "1"]);
    let (pong_rule, _) = rule_with(&server, "pong", &[PONG]);
    let (loop_rule, _) = rule_with(
        &server,
        "spin",
        &[
            "VoxEngine.addEventListener(AppEvents.HttpRequest, () => { Logger.write('SPIN-START'); while (true) {} });",
        ],
    );
    let b = start_session(&server, pong_rule);
    assert_pong(&b, "before", "the healthy session");
    let a = start_with_data(&server, loop_rule, "spin-data");
    let lived = Instant::now();

    let (reply, answered) = request_while_checking(&a.url, "spin", &b);
    let lived = lived.elapsed();
    eprintln!("while(true): the other session answered {answered} requests meanwhile");
    assert_eq!(
        reply.status,
        504,
        "a handler stuck in while(true): {}",
        reply.text()
    );
    let row = wait_finished(&server, a.id);
    assert_eq!(row["finish_reason"], "JS session error", "{row}");
    assert_eq!(
        row["custom_data"], "spin-data",
        "custom data of the failed session: {row}"
    );
    assert_history_covers(&row, lived);
    let log = log_of(&server, &row);
    assert!(
        log.contains("SPIN-START"),
        "log of the looping session:\n{log}"
    );
    assert_eq!(
        post(&a.url, "again").status,
        404,
        "the failed session's URL"
    );

    assert_pong(
        &b,
        "after",
        "the healthy session after the other one failed",
    );
    let c = start_session(&server, pong_rule);
    assert_pong(&c, "new", "a session started after the failure");
}

#[test]
fn the_watchdog_fails_a_session_stuck_in_native_callbacks_and_others_keep_answering() {
    let (_tmp, server) = start_server(&["--sessions-per-thread", "1"]);
    let (pong_rule, _) = rule_with(&server, "pong", &[PONG]);
    // 10^10 calls with no JS loop: Boa cannot interrupt it; only the watchdog notices.
    let (stuck_rule, _) = rule_with(
        &server,
        "foreach",
        &["VoxEngine.addEventListener(AppEvents.HttpRequest, () => {\n\
             Logger.write('FOREACH-START');\n\
             const a = [...Array(100).keys()];\n\
             a.forEach(() => a.forEach(() => a.forEach(() => a.forEach(() => a.forEach(() => {})))));\n\
             return 'finished?';\n\
           });"],
    );
    let b = start_session(&server, pong_rule);
    assert_pong(&b, "before", "the healthy session");
    let stuck = start_with_data(&server, stuck_rule, "stuck-data");
    let lived = Instant::now();

    let (reply, answered) = request_while_checking(&stuck.url, "go", &b);
    let lived = lived.elapsed();
    eprintln!("forEach: the other session answered {answered} requests meanwhile");
    assert_eq!(
        reply.status,
        503,
        "the request to a session stuck in native callbacks: {}",
        reply.text()
    );
    let row = wait_finished(&server, stuck.id);
    assert_eq!(row["finish_reason"], "JS session error", "{row}");
    assert_eq!(
        row["custom_data"], "stuck-data",
        "custom data of the session the watchdog failed (the script never changed it): {row}"
    );
    assert_history_covers(&row, lived);
    let log = log_of(&server, &row);
    assert!(
        log.contains("FOREACH-START"),
        "log of the stuck session:\n{log}"
    );
    assert_eq!(
        post(&stuck.url, "again").status,
        404,
        "the failed session's URL"
    );

    // Its thread still spins; everything else works.
    assert_pong(&b, "after", "the healthy session after the watchdog fired");
    for i in 0..3 {
        let c = start_session(&server, pong_rule);
        assert_pong(
            &c,
            &format!("new-{i}"),
            "a session started after the watchdog fired",
        );
    }
}

/// The same with the default placement (many sessions per thread) and at most two threads:
/// the stuck thread is retired and replaced, so new sessions never land on it.
#[test]
fn after_the_watchdog_fires_new_sessions_avoid_the_stuck_thread() {
    let (_tmp, server) = start_server(&["--js-threads-max", "2"]);
    let (pong_rule, _) = rule_with(&server, "pong", &[PONG]);
    let (stuck_rule, _) = rule_with(
        &server,
        "foreach",
        &["VoxEngine.addEventListener(AppEvents.HttpRequest, () => {\n\
             const a = [...Array(100).keys()];\n\
             a.forEach(() => a.forEach(() => a.forEach(() => a.forEach(() => a.forEach(() => {})))));\n\
           });"],
    );
    let stuck = start_session(&server, stuck_rule);
    let r = post(&stuck.url, "go");
    assert_eq!(r.status, 503, "the stuck session's request: {}", r.text());
    assert_eq!(
        wait_finished(&server, stuck.id)["finish_reason"],
        "JS session error"
    );
    // Several new sessions: with two threads at most, one of them would be the stuck one if
    // it were still used (its sessions would never answer Started).
    let fresh: Vec<Session> = (0..6).map(|_| start_session(&server, pong_rule)).collect();
    for (i, s) in fresh.iter().enumerate() {
        assert_pong(
            s,
            &format!("fresh-{i}"),
            "a session started after the watchdog fired",
        );
    }
}

// ------------------------------------------------------------------ load error, idle limit

#[test]
fn a_scenario_that_throws_while_loading_ends_its_session_with_js_session_error() {
    let (_tmp, server) = start_server(&[]);
    let (rule, _) = rule_with(
        &server,
        "loadfail",
        &[
            "Logger.write('FIRST-LOADED');",
            "VoxEngine.addEventListener(AppEvents.HttpRequest, () => 'never');\nthrow new Error('LOAD-FAIL-MARK');",
        ],
    );
    // The API call still answers with the session's id and URLs.
    let s = start_session(&server, rule);
    let row = wait_finished(&server, s.id);
    assert_eq!(row["finish_reason"], "JS session error", "{row}");
    let log = log_of(&server, &row);
    for needle in ["FIRST-LOADED", "LOAD-FAIL-MARK"] {
        assert!(log.contains(needle), "log lacks {needle:?}:\n{log}");
    }
    assert_eq!(
        post(&s.url, "x").status,
        404,
        "the control URL of a failed load"
    );
}

#[test]
fn an_idle_session_ends_with_timeout() {
    let (_tmp, server) = start_server(&["--session-idle-timeout", "1"]);
    let (rule, _) = rule_with(
        &server,
        "idle",
        &["VoxEngine.addEventListener(AppEvents.Terminating, () => Logger.write('IDLE-TERMINATING'));"],
    );
    let s = start_session(&server, rule);
    let row = wait_finished(&server, s.id);
    assert_eq!(row["finish_reason"], "Timeout", "{row}");
    let log = log_of(&server, &row);
    assert!(log.contains("IDLE-TERMINATING"), "log:\n{log}");
}

// ------------------------------------------------------------------------ conferences

/// Participants joining a new room at the same moment: StartConference calls that overlap
/// must all land in one session (no second session for a name that has a live one).
#[test]
fn overlapping_start_conference_calls_with_one_name_share_one_session() {
    const CALLS: usize = 16;
    let (_tmp, server) = start_server(&[]);
    let (rule, _) = rule_with(&server, "room", &[PONG]);
    let (addr, token) = (server.api_addr, server.token());
    for round in 0..3 {
        let room = format!("room-{round}");
        let gate = std::sync::Arc::new(std::sync::Barrier::new(CALLS));
        let calls: Vec<_> = (0..CALLS)
            .map(|_| {
                let (token, room, gate) = (token.clone(), room.clone(), gate.clone());
                thread::spawn(move || {
                    let body =
                        common::form(&[("rule_id", &rule.to_string()), ("conference_name", &room)]);
                    let auth = format!("Bearer {token}");
                    gate.wait();
                    common::http(
                        addr,
                        "POST",
                        "/platform_api/StartConference",
                        &[
                            ("Authorization", &auth),
                            ("Content-Type", "application/x-www-form-urlencoded"),
                        ],
                        body.as_bytes(),
                    )
                })
            })
            .collect();
        let mut ids = Vec::new();
        for c in calls {
            let r = c.join().expect("StartConference thread");
            assert_eq!(r.status, 200, "{}", r.text());
            let v = r.json();
            ids.push(
                v["call_session_history_id"]
                    .as_u64()
                    .unwrap_or_else(|| panic!("StartConference: {v}")),
            );
        }
        let mut distinct = ids.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            1,
            "{CALLS} overlapping StartConference(conference_name={room}) calls got session ids {ids:?}"
        );
    }
}

// ---------------------------------------------------------------------- shutdown, crash

#[test]
fn sigterm_ends_live_sessions_administratively_and_runs_their_terminating_handlers() {
    let (net_addr, net_requests) = local_http_server();
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let mut server = ServerProc::start_in(&dir, &[]);
    let plain = "VoxEngine.addEventListener(AppEvents.HttpRequest, () => 'up');\n\
                 VoxEngine.addEventListener(AppEvents.Terminating, (e) => Logger.write('TERMINATING-LINE plain systemError=' + e.systemError));\n\
                 VoxEngine.addEventListener(AppEvents.Terminated, () => Logger.write('TERMINATED-LINE plain'));";
    let with_net = format!(
        "VoxEngine.addEventListener(AppEvents.HttpRequest, () => 'up');\n\
         VoxEngine.addEventListener(AppEvents.Terminating, async () => {{\n\
           Logger.write('TERMINATING-LINE net');\n\
           const r = await Net.httpRequestAsync('http://{net_addr}/terminating');\n\
           Logger.write('TERMINATING-NET code=' + r.code + ' text=' + r.text);\n\
         }});\n\
         VoxEngine.addEventListener(AppEvents.Terminated, () => Logger.write('TERMINATED-LINE net'));"
    );
    let (rule_plain, _) = rule_with(&server, "term-plain", &[plain]);
    let (rule_net, _) = rule_with(&server, "term-net", &[&with_net]);
    let s1 = start_session(&server, rule_plain);
    let s2 = start_session(&server, rule_net);
    for s in [&s1, &s2] {
        let r = post(&s.url, "");
        assert_eq!((r.status, r.text()), (200, "up".to_string()), "{s:?}");
    }

    let status = sigterm_and_wait(&mut server);
    assert_eq!(
        status.code(),
        Some(0),
        "voxrun serve after SIGTERM with live sessions: {status:?}"
    );
    let got = net_requests.recv_timeout(Duration::from_secs(5));
    assert_eq!(
        got.as_deref().ok(),
        Some("GET /terminating HTTP/1.1"),
        "the Terminating handler's Net request must reach the server during shutdown"
    );

    let server = ServerProc::start_in(&dir, &[]);
    let row1 = history(&server, s1.id);
    let row2 = history(&server, s2.id);
    for row in [&row1, &row2] {
        assert_eq!(
            row["finish_reason"], "Terminated administratively",
            "after SIGTERM: {row}"
        );
        assert!(row["duration"].is_u64(), "duration: {row}");
    }
    let log1 = log_of(&server, &row1);
    assert!(
        !log1.contains("systemError=true"),
        "a shutdown is not a fault (Terminating.systemError):\n{log1}"
    );
    for needle in ["TERMINATING-LINE plain", "TERMINATED-LINE plain"] {
        assert!(log1.contains(needle), "log lacks {needle:?}:\n{log1}");
    }
    let log2 = log_of(&server, &row2);
    for needle in [
        "TERMINATING-LINE net",
        "TERMINATING-NET code=200 text=ok",
        "TERMINATED-LINE net",
    ] {
        assert!(log2.contains(needle), "log lacks {needle:?}:\n{log2}");
    }
}

/// SIGTERM while one worker thread is stuck in native callbacks (it never finishes): the
/// server still exits 0 and the other session's Terminating handler runs.
#[test]
fn sigterm_with_a_stuck_thread_still_exits_cleanly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let mut server = ServerProc::start_in(&dir, &[]);
    let healthy_script = format!(
        "{PONG}\nVoxEngine.addEventListener(AppEvents.Terminating, () => Logger.write('HEALTHY-TERMINATING'));"
    );
    let (pong_rule, _) = rule_with(&server, "pong", &[&healthy_script]);
    let (stuck_rule, _) = rule_with(
        &server,
        "foreach",
        &["VoxEngine.addEventListener(AppEvents.HttpRequest, () => {\n\
             Logger.write('FOREACH-START');\n\
             const a = [...Array(100).keys()];\n\
             a.forEach(() => a.forEach(() => a.forEach(() => a.forEach(() => a.forEach(() => {})))));\n\
           });"],
    );
    let healthy = start_session(&server, pong_rule);
    let stuck = start_session(&server, stuck_rule);
    let url = stuck.url.clone();
    let pending = thread::spawn(move || post(&url, "go"));
    // The handler is running (and cannot be interrupted) before the signal goes out.
    wait_log_line(&server, stuck.id, "FOREACH-START");
    assert_pong(&healthy, "before-sigterm", "the healthy session");

    let status = sigterm_and_wait(&mut server);
    assert_eq!(
        status.code(),
        Some(0),
        "voxrun serve after SIGTERM with a stuck worker thread: {status:?}"
    );
    let r = pending.join().expect("request thread");
    assert_eq!(r.status, 503, "the stuck session's request: {}", r.text());

    let server = ServerProc::start_in(&dir, &[]);
    let row = history(&server, healthy.id);
    assert_eq!(row["finish_reason"], "Terminated administratively", "{row}");
    let log = log_of(&server, &row);
    assert!(log.contains("HEALTHY-TERMINATING"), "log:\n{log}");
    let row = history(&server, stuck.id);
    assert!(
        row["finish_reason"] == "JS session error"
            || row["finish_reason"] == "Terminated administratively",
        "the stuck session's row: {row}"
    );
}

#[test]
fn a_session_alive_at_kill_9_is_closed_administratively_at_the_next_start() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let mut server = ServerProc::start_in(&dir, &[]);
    let (rule, _) = rule_with(&server, "crash", &[PONG]);
    let s = start_session(&server, rule);
    assert_pong(&s, "alive", "the session before the crash");
    assert!(history(&server, s.id)["finish_reason"].is_null());
    server.kill9();

    let server = ServerProc::start_in(&dir, &[]);
    let row = history(&server, s.id);
    assert_eq!(
        row["finish_reason"], "Terminated administratively",
        "a row left running by kill -9: {row}"
    );
    // Its log URL still answers (what was persisted: the crash lost the in-memory part).
    let url = row["log_file_url"].as_str().expect("log_file_url");
    let r = get_tls(&server, url);
    assert_eq!(
        r.status,
        200,
        "GET {url} of a crashed session: {}",
        r.text()
    );
    // The server works as before.
    let s2 = start_session(&server, rule);
    assert_pong(&s2, "again", "a session after the restart");
    assert!(s2.id > s.id, "ids keep growing: {} then {}", s.id, s2.id);
}

// --------------------------------------------------------------------------------- 429

/// StartScenarios of `rule` with a JWT, as the official clients send it.
fn start_with_jwt(addr: SocketAddr, token: &str, rule: u64) -> Reply {
    let body = common::form(&[("rule_id", &rule.to_string())]);
    let auth = format!("Bearer {token}");
    common::http(
        addr,
        "POST",
        "/platform_api/StartScenarios",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        body.as_bytes(),
    )
}

#[test]
fn two_hundred_concurrent_starts_all_succeed_and_the_next_one_gets_429() {
    // The default --max-concurrent-starts is 200.
    let (tmp, server) = start_server(&[]);
    let (rule, _) = rule_with(
        &server,
        "two-hundred",
        &["VoxEngine.addEventListener(AppEvents.HttpRequest, () => 'ok');"],
    );
    let (addr, token) = (server.api_addr, server.token());
    // The database's write lock, held by this test: every start waits at its history row
    // with its permit taken (the server waits up to 10 s for the lock; it is held ~2 s).
    let db = rusqlite::Connection::open(tmp.path().join("data").join("voxrun.db")).unwrap();
    db.execute_batch("BEGIN IMMEDIATE").unwrap();
    let starts: Vec<_> = (0..200)
        .map(|_| {
            let token = token.clone();
            thread::spawn(move || start_with_jwt(addr, &token, rule))
        })
        .collect();
    // Time for the 200 requests to reach the server (not a timed assertion: a slower
    // machine only makes this wait too short, and the test says so).
    thread::sleep(Duration::from_millis(1500));
    let extra = start_with_jwt(addr, &token, rule);
    // A caller with a bad key learns that, not the load: its auth error, not a 429.
    let bad_key = start_with_jwt(addr, "not-a-token", rule);
    db.execute_batch("COMMIT").unwrap();
    assert_eq!(bad_key.status, 200, "{}", bad_key.text());
    assert_eq!(
        bad_key.json()["error"]["code"],
        447,
        "a bad key while the starts are full: {}",
        bad_key.text()
    );
    assert_eq!(
        extra.status,
        429,
        "the 201st concurrent start must be refused: {}",
        extra.text()
    );
    let mut ids = std::collections::HashSet::new();
    for s in starts {
        let r = s.join().expect("start");
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        assert_eq!(v["result"], 1, "every one of the 200 starts: {v}");
        ids.insert(v["call_session_history_id"].as_u64().expect("id"));
    }
    assert_eq!(ids.len(), 200, "200 sessions, each with its own id");
}

#[test]
fn starts_beyond_the_concurrency_limit_get_http_429() {
    let (_tmp, server) = start_server(&["--max-concurrent-starts", "1"]);
    let (rule, _) = rule_with(
        &server,
        "slow",
        &[
            "VoxEngine.addEventListener(AppEvents.Started, () => { const t = Date.now(); while (Date.now() - t < 800) {} });\n\
             VoxEngine.addEventListener(AppEvents.HttpRequest, () => 'ok');",
        ],
    );
    let start = |addr: SocketAddr, token: String, rule: u64| start_with_jwt(addr, &token, rule);
    let (addr, token) = (server.api_addr, server.token());
    let first = {
        let token = token.clone();
        thread::spawn(move || start(addr, token, rule))
    };
    // While the first start is in flight, more starts come in. Whichever of two overlapping
    // calls gets the only permit holds it for the ~800 ms of Started, so the other is refused
    // with 429 (the first one, if it reached the server last).
    let mut others = Vec::new();
    while !first.is_finished() {
        let r = start(addr, token.clone(), rule);
        let refused = r.status == 429;
        others.push(r);
        if refused {
            break;
        }
    }
    let first = first.join().expect("first start");
    let all: Vec<&Reply> = std::iter::once(&first).chain(others.iter()).collect();
    let statuses: Vec<u16> = all.iter().map(|r| r.status).collect();
    eprintln!("429 test: the first start, then the overlapping ones: {statuses:?}");
    assert!(
        statuses.contains(&429),
        "with --max-concurrent-starts 1, overlapping StartScenarios calls must see an HTTP 429; got {statuses:?}"
    );
    for r in &all {
        match r.status {
            200 => {
                let v = r.json();
                assert_eq!(v["result"], 1, "a start that was let through: {v}");
            }
            429 => {}
            other => panic!("unexpected status {other}: {}", r.text()),
        }
    }
    // Once nothing is in flight, a start goes through again.
    let s = start_session(&server, rule);
    let r = post(&s.url, "");
    assert_eq!((r.status, r.text()), (200, "ok".to_string()));
}
