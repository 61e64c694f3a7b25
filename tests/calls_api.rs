//! Calls on a real server (docs/telephony.md#driving-calls-on-a-server): `POST /voxrun/v1/calls` routed by rule patterns, the
//! far end driven live, the outbound peer table, live sessions, transcripts (live and
//! stored), `GetCallHistory with_calls`, and ApplicationStorage seeded with the key-value
//! methods and read by a scenario.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::sessions::{ok, start_server, wait_finished, wait_log_line, worker_pid, HISTORY_WAIT};
use common::{http, Reply, ServerProc};
use serde_json::{json, Value};

/// A `/voxrun/v1` request with the Owner JWT and a JSON body.
fn v1(server: &ServerProc, method: &str, path: &str, body: &Value) -> Reply {
    let body = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    v1_text(server, method, path, &body)
}

fn v1_text(server: &ServerProc, method: &str, path: &str, body: &str) -> Reply {
    let auth = format!("Bearer {}", server.token());
    http(
        server.api_addr,
        method,
        &format!("/voxrun/v1/{path}"),
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        body.as_bytes(),
    )
}

/// An application with one rule of `pattern` running `script`; returns the rule id.
fn app_rule(server: &ServerProc, name: &str, pattern: &str, script: &str) -> (u64, u64) {
    let app = ok(server, "AddApplication", &[("application_name", name)]);
    let app_id = app["application_id"].as_u64().unwrap();
    let s = ok(
        server,
        "AddScenario",
        &[
            ("scenario_name", &format!("{name}-s")),
            ("scenario_script", script),
        ],
    );
    let rule = ok(
        server,
        "AddRule",
        &[
            ("application_id", &app_id.to_string()),
            ("rule_name", &format!("{name}-rule")),
            ("rule_pattern", pattern),
            (
                "scenario_id",
                &s["scenario_id"].as_u64().unwrap().to_string(),
            ),
        ],
    );
    (app_id, rule["rule_id"].as_u64().unwrap())
}

/// Polls the transcript until an entry satisfies `pred`.
fn wait_entry(server: &ServerProc, id: u64, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + HISTORY_WAIT;
    loop {
        let r = v1(
            server,
            "GET",
            &format!("sessions/{id}/transcript"),
            &Value::Null,
        );
        assert_eq!(r.status, 200, "{}", r.text());
        let entries: Vec<Value> = r.json().as_array().cloned().unwrap_or_default();
        if entries.iter().any(&pred) {
            return entries;
        }
        assert!(Instant::now() < deadline, "no such entry in {entries:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A session's stored (or live) transcript.
fn stored_transcript(server: &ServerProc, id: u64) -> Vec<Value> {
    let t = v1(
        server,
        "GET",
        &format!("sessions/{id}/transcript"),
        &Value::Null,
    );
    assert_eq!(t.status, 200, "{}", t.text());
    t.json().as_array().cloned().unwrap_or_default()
}

/// The `what` of each entry.
fn whats(entries: &[Value]) -> Vec<String> {
    entries
        .iter()
        .map(|e| e["what"].as_str().unwrap_or("").to_string())
        .collect()
}

const IVR: &str = r#"
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  const call = e.call;
  Logger.write('ivr: call from ' + e.callerid + ' to ' + e.destination + ' data=' + e.customData);
  call.addEventListener(CallEvents.Connected, () => { call.handleTones(true); call.say('Press a key'); });
  call.addEventListener(CallEvents.ToneReceived, (t) => Logger.write('ivr: tone ' + t.tone));
  call.addEventListener(CallEvents.MessageReceived, (m) => Logger.write('ivr: message ' + m.text));
  call.addEventListener(CallEvents.Disconnected, () => { Logger.write('ivr: bye'); VoxEngine.terminate(); });
  call.answer();
});
"#;

#[test]
fn an_inbound_call_is_routed_driven_live_and_recorded() {
    let (_tmp, server) = start_server(&[]);
    app_rule(&server, "other", "\\+44.*", "Logger.write('wrong rule');");
    let (_, ivr_rule) = app_rule(&server, "ivr", "\\+1800.*", IVR);

    let missing = v1(&server, "POST", "calls", &json!({"to": "+3300000"}));
    assert_eq!(missing.status, 404, "{}", missing.text());
    assert_eq!(missing.json()["error"]["code"], 147);

    let placed = v1(
        &server,
        "POST",
        "calls",
        &json!({"to": "+18005550100", "from": "+15551230000", "custom_data": "vip"}),
    );
    assert_eq!(placed.status, 200, "{}", placed.text());
    let placed = placed.json();
    let id = placed["call_session_history_id"].as_u64().unwrap();
    let call = placed["call_id"].as_str().unwrap().to_string();
    assert!(placed["media_session_access_url"]
        .as_str()
        .unwrap()
        .starts_with("http"));
    wait_log_line(
        &server,
        id,
        "ivr: call from +15551230000 to +18005550100 data=vip",
    );

    let list = v1(&server, "GET", "sessions", &Value::Null).json();
    let mine = list["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["call_session_history_id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("not listed: {list}"));
    assert_eq!(mine["rule_id"], ivr_rule);
    assert_eq!(mine["calls"], json!([call]));

    wait_entry(&server, id, |e| e["what"] == "connected");
    let r = v1(
        &server,
        "POST",
        &format!("calls/{call}/dtmf"),
        &json!({"digits": "42"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    wait_log_line(&server, id, "ivr: tone 2");
    let r = v1(
        &server,
        "POST",
        &format!("calls/{call}/message"),
        &json!({"text": "hi"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    wait_log_line(&server, id, "ivr: message hi");
    let bad = v1(
        &server,
        "POST",
        &format!("calls/{call}/dtmf"),
        &json!({"digits": "4x"}),
    );
    assert_eq!(bad.status, 400, "{}", bad.text());
    let r = v1(
        &server,
        "POST",
        &format!("calls/{call}/hangup"),
        &Value::Null,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let row = wait_finished(&server, id);
    assert_eq!(row["finish_reason"], "Normal termination", "{row}");
    let gone = v1(
        &server,
        "POST",
        &format!("calls/{call}/say"),
        &json!({"text": "x"}),
    );
    assert_eq!(gone.status, 404, "{}", gone.text());

    // The stored transcript, after the end.
    let entries = stored_transcript(&server, id);
    let whats = whats(&entries);
    for w in [
        "alerting",
        "answer",
        "connected",
        "say",
        "dtmf_in",
        "message_in",
        "hangup",
        "disconnected",
        "session_end",
    ] {
        assert!(whats.iter().any(|x| x == w), "{w} missing from {whats:?}");
    }
    let digits: Vec<Value> = entries
        .iter()
        .filter(|e| e["what"] == "dtmf_in")
        .map(|e| e["digit"].clone())
        .collect();
    assert_eq!(digits, [json!("4"), json!("2")]);

    // GetCallHistory with the calls.
    let h = ok(
        &server,
        "GetCallHistory",
        &[
            ("call_session_history_id", &id.to_string()),
            ("with_calls", "true"),
        ],
    );
    let calls = h["result"][0]["calls"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(calls.len(), 1, "{h}");
    assert_eq!(calls[0]["call_id"], json!(call));
    assert_eq!(calls[0]["incoming"], true);
    assert_eq!(calls[0]["remote_number"], "+15551230000");
    assert_eq!(calls[0]["successful"], true);
}

#[test]
fn outbound_calls_take_the_stored_peer_table_and_sessions_can_be_stopped() {
    let (_tmp, server) = start_server(&[]);
    let bad = v1(
        &server,
        "PUT",
        "peers",
        &json!({"\\+1555.*": {"steps": [{"wait": "x"}]}}),
    );
    assert_eq!(bad.status, 400, "{}", bad.text());
    assert!(bad.text().contains("steps[0]"), "{}", bad.text());
    // Raw text: the patterns' order matters (a `json!` object would sort them).
    let peers = r#"{"\\+1555.*": {"answer": "busy"}, ".*": {"answer": "never"}}"#;
    let r = v1_text(&server, "PUT", "peers", peers);
    assert_eq!(r.status, 200, "{}", r.text());
    let got = v1(&server, "GET", "peers", &Value::Null).json();
    assert_eq!(got["\\+1555.*"]["answer"], "busy", "{got}");

    let script = r#"
    VoxEngine.addEventListener(AppEvents.Started, () => {
      const c = VoxEngine.callPSTN('+15550001', '+18005550100');
      c.addEventListener(CallEvents.Failed, (e) => Logger.write('out: failed ' + e.code));
      const d = VoxEngine.callPSTN('+4400000', '+18005550100');
      d.addEventListener(CallEvents.Ringing, () => Logger.write('out: ringing'));
    });"#;
    let (_, rule) = app_rule(&server, "dialer", ".*", script);
    let s = ok(&server, "StartScenarios", &[("rule_id", &rule.to_string())]);
    let id = s["call_session_history_id"].as_u64().unwrap();
    wait_log_line(&server, id, "out: failed 486");
    wait_log_line(&server, id, "out: ringing");
    let r = v1(
        &server,
        "POST",
        &format!("sessions/{id}/terminate"),
        &Value::Null,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let row = wait_finished(&server, id);
    assert_eq!(row["finish_reason"], "Terminated administratively");
    let again = v1(
        &server,
        "POST",
        &format!("sessions/{id}/terminate"),
        &Value::Null,
    );
    assert_eq!(again.status, 404);
}

#[test]
fn application_storage_is_seeded_by_the_key_value_methods_and_survives_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut server = ServerProc::start_in(&data, &[]);
    let script = r#"
    require(Modules.ApplicationStorage);
    VoxEngine.addEventListener(AppEvents.Started, async () => {
      const greeting = await ApplicationStorage.get('greeting');
      Logger.write('store: greeting=' + (greeting ? greeting.value : 'none'));
      await ApplicationStorage.put('seen', 'yes', 600);
      VoxEngine.terminate();
    });"#;
    let (app, rule) = app_rule(&server, "kv", ".*", script);
    ok(
        &server,
        "SetKeyValueItem",
        &[
            ("application_id", &app.to_string()),
            ("key", "greeting"),
            ("value", "hello"),
        ],
    );
    let s = ok(&server, "StartScenarios", &[("rule_id", &rule.to_string())]);
    let id = s["call_session_history_id"].as_u64().unwrap();
    wait_finished(&server, id);
    wait_log_line(&server, id, "store: greeting=hello");
    server.kill9();
    let server = ServerProc::start_in(&data, &[]);
    let seen = ok(
        &server,
        "GetKeyValueItem",
        &[("application_id", &app.to_string()), ("key", "seen")],
    );
    assert_eq!(seen["result"]["value"], "yes", "{seen}");
}

#[test]
fn a_live_transcript_streams_as_server_sent_events() {
    use std::io::{BufRead, BufReader, Write};
    let (_tmp, server) = start_server(&[]);
    app_rule(&server, "sse", ".*", IVR);
    let placed = v1(&server, "POST", "calls", &json!({"to": "+18005550100"})).json();
    let id = placed["call_session_history_id"].as_u64().unwrap();
    let call = placed["call_id"].as_str().unwrap().to_string();
    let mut s = std::net::TcpStream::connect(server.api_addr).unwrap();
    s.set_read_timeout(Some(HISTORY_WAIT)).unwrap();
    let req = format!(
        "GET /voxrun/v1/sessions/{id}/transcript?follow=1 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
        server.token()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut lines = BufReader::new(s).lines();
    let head = lines.next().unwrap().unwrap();
    assert!(head.contains("200"), "{head}");
    let mut events = Vec::new();
    let mut hung_up = false;
    for line in lines {
        let line = line.unwrap();
        if line.contains("text/event-stream") || !line.starts_with("data: ") {
            continue;
        }
        let v: Value = serde_json::from_str(&line["data: ".len()..]).unwrap();
        if v == json!({}) {
            break; // the end event
        }
        if v["what"] == "connected" && !hung_up {
            hung_up = true;
            let r = v1(
                &server,
                "POST",
                &format!("calls/{call}/hangup"),
                &Value::Null,
            );
            assert_eq!(r.status, 200, "{}", r.text());
        }
        events.push(v["what"].as_str().unwrap_or("").to_string());
    }
    assert!(hung_up, "{events:?}");
    assert_eq!(
        events.first().map(String::as_str),
        Some("alerting"),
        "{events:?}"
    );
    assert_eq!(
        events.last().map(String::as_str),
        Some("session_end"),
        "{events:?}"
    );
    assert!(events.iter().any(|e| e == "hangup"), "{events:?}");
}

#[test]
fn a_virtual_clock_server_skips_media_and_far_end_waits() {
    // An hour of ringing and talking: only possible within the test's bounded wait because
    // `--clock virtual` makes media and far-end waits instant.
    let (_tmp, server) = start_server(&["--clock", "virtual"]);
    let peers = r#"{".*": {"answer": {"after": 600}, "steps": [{"wait": 3600}, {"say": "bye now"}, {"hangup": true}]}}"#;
    assert_eq!(v1_text(&server, "PUT", "peers", peers).status, 200);
    let script = r#"
    VoxEngine.addEventListener(AppEvents.Started, () => {
      const c = VoxEngine.callPSTN('+15550001', '+18005550100');
      c.addEventListener(CallEvents.Connected, () => Logger.write('slow: connected'));
      c.addEventListener(CallEvents.Disconnected, (e) => {
        Logger.write('slow: disconnected after ' + e.duration + ' s');
        VoxEngine.terminate();
      });
    });"#;
    let (_, rule) = app_rule(&server, "slow", ".*", script);
    let s = ok(&server, "StartScenarios", &[("rule_id", &rule.to_string())]);
    let id = s["call_session_history_id"].as_u64().unwrap();
    let row = wait_finished(&server, id);
    assert_eq!(row["finish_reason"], "Normal termination", "{row}");
    wait_log_line(&server, id, "slow: disconnected after 3600 s");
    let t = v1(
        &server,
        "GET",
        &format!("sessions/{id}/transcript"),
        &Value::Null,
    )
    .json();
    let connected = t
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["what"] == "connected")
        .cloned();
    assert_eq!(
        connected.map(|e| e["t"].as_f64().unwrap_or(0.0) >= 600.0),
        Some(true),
        "{t}"
    );
}

#[test]
fn support_keys_and_bad_credentials_are_refused() {
    let (_tmp, server) = start_server(&[]);
    let key = server.data_dir.parent().unwrap().join("support.json");
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .args(["keys", "create", "--role", "Support", "--out"])
        .arg(&key)
        .arg("--data-dir")
        .arg(&server.data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let kf: Value = serde_json::from_slice(&std::fs::read(&key).unwrap()).unwrap();
    let t = common::now();
    let token = common::sign_token(
        &kf,
        json!({"iss": kf["account_id"], "iat": t, "exp": t + 60}),
    );
    let auth = format!("Bearer {token}");
    let r = http(
        server.api_addr,
        "GET",
        "/voxrun/v1/sessions",
        &[("Authorization", &auth)],
        b"",
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], 104);
    let r = http(server.api_addr, "GET", "/voxrun/v1/sessions", &[], b"");
    assert_eq!(r.status, 401, "{}", r.text());
    // The legacy key works, as for the Management API.
    let account = server.key_file()["account_id"].to_string();
    let path = format!(
        "/voxrun/v1/sessions?account_id={account}&api_key={}",
        server.api_key()
    );
    let r = http(server.api_addr, "GET", &path, &[], b"");
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn a_session_whose_worker_dies_keeps_its_transcript_and_calls() {
    let (_tmp, server) = start_server(&[]);
    app_rule(&server, "ivr", "\\+1800.*", IVR);
    let placed = v1(
        &server,
        "POST",
        "calls",
        &json!({"to": "+18005550100", "from": "+15551230000"}),
    );
    assert_eq!(placed.status, 200, "{}", placed.text());
    let placed = placed.json();
    let id = placed["call_session_history_id"].as_u64().unwrap();
    let call = placed["call_id"].as_str().unwrap().to_string();
    wait_entry(&server, id, |e| e["what"] == "say");
    let pid = worker_pid(&server, id);
    // SAFETY: SIGKILL to the worker process this test's server started.
    unsafe {
        libc::kill(pid as i32, libc::SIGKILL);
    }
    let row = wait_finished(&server, id);
    assert_eq!(row["finish_reason"], "JS session error", "{row}");

    let whats = whats(&stored_transcript(&server, id));
    for w in ["alerting", "connected", "say"] {
        assert!(whats.iter().any(|x| x == w), "no {w} in {whats:?}");
    }
    let v = ok(
        &server,
        "GetCallHistory",
        &[
            ("call_session_history_id", &id.to_string()),
            ("with_calls", "true"),
        ],
    );
    let calls = v["result"][0]["calls"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(calls.len(), 1, "{v}");
    assert_eq!(calls[0]["call_id"], call.as_str());
    assert_eq!(calls[0]["remote_number"], "+15551230000");
    assert_eq!(calls[0]["incoming"], true);
    assert_eq!(calls[0]["successful"], true);
}
