//! `voxrun run` through the real binary: flags, stdout and the exit code.
#![allow(clippy::unwrap_used)]

use std::process::Command;

fn voxrun_run(files: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_voxrun"));
    cmd.arg("run");
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        cmd.arg(p);
    }
    let out = cmd.args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn files_share_one_scope_requests_are_answered_and_terminate_exits_0() {
    let a = "var greeting = 'hello'; VoxEngine.addEventListener(AppEvents.Started, () => Logger.write('data=' + VoxEngine.customData()));";
    let b = "VoxEngine.addEventListener(AppEvents.HttpRequest, e => { if (e.content === 'bye') VoxEngine.terminate(); return greeting + ' ' + e.method + ' ' + e.path; });";
    let (code, out, err) = voxrun_run(
        &[("a.js", a), ("b.js", b)],
        &[
            "--custom-data",
            "xyz",
            "--request",
            "POST /one hi",
            "--request",
            "PUT /two?q=1 bye",
        ],
    );
    assert_eq!(code, 0, "stdout: {out}\nstderr: {err}");
    assert!(out.contains("data=xyz"), "{out}");
    assert!(out.contains("hello POST /one"), "{out}");
    assert!(out.contains("hello PUT /two?q=1"), "{out}");
    assert!(out.contains("Normal termination"), "{out}");
}

#[test]
fn a_load_error_fails_with_the_reason() {
    let (code, out, err) = voxrun_run(&[("bad.js", "this is not javascript(")], &[]);
    assert_eq!(code, 1, "stdout: {out}\nstderr: {err}");
    assert!(out.contains("SyntaxError"), "{out}");
    assert!(err.contains("JS session error"), "{err}");
}

#[test]
fn a_session_that_never_ends_fails_at_the_timeout() {
    let (code, _out, err) = voxrun_run(
        &[("idle.js", "Logger.write('waiting');")],
        &["--timeout", "1"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("timeout"), "{err}");
}

#[test]
fn a_missing_file_is_one_clear_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .args(["run", "/nonexistent/scenario.js"])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/scenario.js"), "{err}");
}

#[test]
fn without_a_timeout_the_run_waits_for_the_scenario_to_end_itself() {
    let script = "VoxEngine.addEventListener(AppEvents.Started, () => \
        setTimeout(() => { Logger.write('timer fired'); VoxEngine.terminate(); }, 100));";
    let (code, out, err) = voxrun_run(&[("later.js", script)], &[]);
    assert_eq!(code, 0, "stdout: {out}\nstderr: {err}");
    assert!(out.contains("timer fired"), "{out}");
    assert!(out.contains("Normal termination"), "{out}");
}

#[test]
fn a_crash_in_the_session_exits_1_and_says_what_happened() {
    let deep = format!("var x = {}1{};", "(".repeat(5000), ")".repeat(5000));
    let (code, out, err) = voxrun_run(&[("deep.js", &deep)], &[]);
    assert_eq!(code, 1, "stdout: {out}\nstderr: {err}");
    assert!(err.contains("the session crashed"), "{err}");
    assert!(err.contains("stack overflow"), "{err}");
    let (code, _, err) = voxrun_run(
        &[("big.js", "Logger.write('x'.repeat(2 ** 30).length);")],
        &[],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("the session crashed"), "{err}");
}

#[test]
fn the_timeout_fires_while_the_script_sits_in_a_native_builtin() {
    // A backtracking regex never returns to the session loop; the run still ends.
    let spin = "VoxEngine.addEventListener(AppEvents.Started, () => { /(a+)+$/.test('a'.repeat(60) + 'b'); });";
    let (code, out, err) = voxrun_run(&[("spin.js", spin)], &["--timeout", "1"]);
    assert_eq!(code, 2, "stdout: {out}\nstderr: {err}");
    assert!(err.contains("timeout"), "{err}");
}

#[test]
fn without_a_timeout_a_script_stuck_in_a_native_builtin_ends_the_run_with_exit_1() {
    let spin = "VoxEngine.addEventListener(AppEvents.Started, () => { Logger.write('before'); /(a+)+$/.test('a'.repeat(60) + 'b'); });";
    for args in [&[][..], &["--timeout", "600"][..]] {
        let (code, out, err) = voxrun_run(&[("spin.js", spin)], args);
        assert_eq!(code, 1, "{args:?}: stdout: {out}\nstderr: {err}");
        assert!(out.contains("before"), "{out}");
        assert!(
            err.contains("the session is stuck: its script did not return control"),
            "{err}"
        );
    }
}

const IVR: &str = r#"
VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => {
  e.call.handleTones(true);
  e.call.addEventListener(CallEvents.Connected, () => e.call.say('Press one'));
  e.call.addEventListener(CallEvents.ToneReceived, (t) => { Logger.write('pressed ' + t.tone); e.call.hangup(); });
  e.call.addEventListener(CallEvents.Disconnected, () => VoxEngine.terminate());
  e.call.answer();
});"#;

/// Writes `text` to a file in a fresh directory and returns (dir, path).
fn file(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    (dir, p.display().to_string())
}

#[test]
fn call_in_with_a_caller_script_runs_on_the_virtual_clock_and_prints_the_transcript() {
    // Ten minutes of waiting in the caller's script: only the virtual clock makes this end.
    let caller = r#"{"steps": [{"wait_for": "playback_started"}, {"wait": 600}, {"dtmf": "1"}]}"#;
    let (_d, caller) = file("caller.json", caller);
    let (code, out, err) = voxrun_run(
        &[("ivr.js", IVR)],
        &[
            "--call-in",
            "+18005550100,+15551230000",
            "--caller",
            &caller,
            "--transcript",
            "-",
        ],
    );
    assert_eq!(code, 0, "stdout: {out}\nstderr: {err}");
    assert!(out.contains("pressed 1"), "{out}");
    let entries: Vec<serde_json::Value> = out
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let dtmf = entries.iter().find(|e| e["what"] == "dtmf_in").unwrap();
    assert_eq!(dtmf["t"].as_f64(), Some(600.0), "{out}");
    assert_eq!(dtmf["call"], "call-1");
    assert_eq!(entries.last().unwrap()["what"], "session_end");
    // The same inputs give the same transcript.
    let (_, again, _) = voxrun_run(
        &[("ivr.js", IVR)],
        &[
            "--call-in",
            "+18005550100,+15551230000",
            "--caller",
            &caller,
            "--transcript",
            "-",
        ],
    );
    let t = |s: &str| {
        s.lines()
            .filter(|l| l.starts_with('{'))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(t(&out), t(&again));
}

#[test]
fn a_bad_request_or_an_unwritable_transcript_is_refused_before_anything_runs() {
    let script = [("a.js", "Logger.write('loaded');")];
    for bad in ["GARBAGE", ""] {
        let (code, out, err) = voxrun_run(&script, &["--request", bad]);
        assert_eq!(code, 2, "--request {bad:?}: stdout: {out}\nstderr: {err}");
        assert!(err.contains("bad --request"), "{err}");
        assert!(!out.contains("loaded"), "{out}");
    }
    let (code, out, err) = voxrun_run(&script, &["--transcript", "/nonexistent/dir/t.jsonl"]);
    assert_eq!(code, 1, "stdout: {out}\nstderr: {err}");
    assert!(err.contains("cannot write the transcript"), "{err}");
    assert!(!out.contains("loaded"), "the session ran first: {out}");
}

#[test]
fn requests_after_the_session_ended_say_so() {
    let script = "VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => { \
        if (e.path === '/end') VoxEngine.terminate(); return 'ok ' + e.path; });";
    let (code, out, err) = voxrun_run(
        &[("a.js", script)],
        &["--request", "GET /end", "--request", "GET /after"],
    );
    assert_eq!(code, 0, "stdout: {out}\nstderr: {err}");
    let after = out.split("> GET /after\n").nth(1).unwrap_or_default();
    assert!(
        after.starts_with("< (no answer: the session has ended)"),
        "{out}"
    );
}

#[test]
fn a_bad_peer_script_is_refused_before_anything_runs() {
    let (_d, peers) = file(
        "peers.json",
        r#"{".*": {"steps": [{"wait": 1}, {"dtmf": "9z"}]}}"#,
    );
    let (code, out, err) = voxrun_run(&[("a.js", "Logger.write('loaded');")], &["--peers", &peers]);
    assert_eq!(code, 2, "stdout: {out}\nstderr: {err}");
    assert!(err.contains("steps[1]") && err.contains("'z'"), "{err}");
    assert!(!out.contains("loaded"), "{out}");
}

#[test]
fn an_idle_session_on_the_virtual_clock_exits_2_and_the_transcript_goes_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    let script = "VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => e.call.answer());";
    let (code, out, err) = voxrun_run(
        &[("a.js", script)],
        &[
            "--call-in",
            "+1800",
            "--transcript",
            &path.display().to_string(),
        ],
    );
    assert_eq!(code, 2, "stdout: {out}\nstderr: {err}");
    assert!(err.contains("the session is idle"), "{err}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(r#""what":"connected""#), "{text}");
    assert!(
        text.trim_end()
            .ends_with(r#""what":"session_end","reason":"Timeout"}"#),
        "{text}"
    );
}

#[test]
fn on_the_virtual_clock_a_promise_reply_waits_in_virtual_time_and_times_out_there() {
    // A reply settled by a 20 s timer, and one that never settles: both are answered as a
    // server would answer them (the answer, then 504 at the 30 s reply timeout), on the
    // session's clock: the log's times say how much virtual time went by.
    let script = "VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => e.path === '/never' \
        ? new Promise(() => {}) \
        : new Promise((resolve) => setTimeout(() => resolve('late ' + Date.now()), 20000)));\n\
        VoxEngine.addEventListener(AppEvents.Started, () => Logger.write('t0 ' + Date.now()));";
    let (code, out, err) = voxrun_run(
        &[("a.js", script)],
        &[
            "--clock",
            "virtual",
            "--request",
            "GET /timer",
            "--request",
            "GET /never",
            "--request",
            "GET /timer",
        ],
    );
    assert_eq!(code, 2, "stdout: {out}\nstderr: {err}");
    let t0: u64 = out
        .split("t0 ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{out}"));
    let lates: Vec<u64> = out
        .lines()
        .filter_map(|l| l.strip_prefix("late "))
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    // 20 s, then the 30 s of the unanswered request, then 20 s more.
    assert_eq!(lates, vec![t0 + 20_000, t0 + 70_000], "{out}");
    assert!(
        out.contains("< 504 application/json\n{\"error\":\"the handler did not answer in time\"}"),
        "{out}"
    );
    assert!(err.contains("the session is idle"), "{err}");
}
