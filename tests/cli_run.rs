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
