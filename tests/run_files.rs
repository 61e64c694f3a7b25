//! `voxrun run` as a library: exit codes and printed output.
#![allow(clippy::unwrap_used)]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use voxrun::runtime::{run_files, RunOptions, RunReport, SessionLink};

struct Collect(RefCell<Vec<String>>);

impl SessionLink for Collect {
    fn write(&self, line: &str) {
        self.0.borrow_mut().push(line.to_string());
    }
}

fn run(script: &str, requests: &[&str], timeout: Option<u64>) -> (RunReport, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.js");
    std::fs::write(&path, script).unwrap();
    let opts = RunOptions {
        files: vec![path],
        custom_data: "cd".to_string(),
        requests: requests.iter().map(|s| s.to_string()).collect(),
        timeout: timeout.map(Duration::from_millis),
        ..RunOptions::default()
    };
    let out = Rc::new(Collect(RefCell::new(Vec::new())));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let local = tokio::task::LocalSet::new();
    let report = local.block_on(&rt, run_files(opts, out.clone()));
    let text = out.0.borrow().join("\n");
    (report, text)
}

#[test]
fn requests_are_answered_and_terminate_exits_zero() {
    let (report, out) = run(
        "VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => { \
           if (e.content === 'stop') VoxEngine.terminate(); \
           return e.method + ' ' + e.path + ' ' + e.content + ' ' + VoxEngine.customData(); });",
        &["POST /x?y=1 hello world", "GET /z stop"],
        Some(5000),
    );
    assert_eq!(report.exit_code, 0, "{report:?}\n{out}");
    assert!(out.contains("> POST /x?y=1"), "{out}");
    assert!(
        out.contains("< 200 text/plain; charset=utf-8\nPOST /x?y=1 hello world cd"),
        "{out}"
    );
    assert!(out.contains("GET /z stop cd"), "{out}");
    assert!(out.contains("Session ended: Normal termination"), "{out}");
}

#[test]
fn load_error_exits_one() {
    let (report, out) = run("Logger.write('x'); nope();", &["GET /a"], Some(5000));
    assert_eq!(report.exit_code, 1, "{report:?}");
    assert!(out.contains("ReferenceError"), "{out}");
    assert!(
        !out.contains("> GET /a"),
        "no request after a load error: {out}"
    );
}

#[test]
fn uncaught_error_exits_one() {
    let (report, out) = run(
        "VoxEngine.addEventListener(AppEvents.Started, () => { throw new Error('in started'); });",
        &[],
        Some(5000),
    );
    assert_eq!(report.exit_code, 1, "{report:?}");
    assert!(out.contains("Error: in started"), "{out}");
}

#[test]
fn unhandled_rejection_exits_one() {
    let (report, out) = run(
        "VoxEngine.addEventListener(AppEvents.Started, async () => { \
           await null; throw new Error('after await'); });",
        &[],
        Some(5000),
    );
    assert_eq!(report.exit_code, 1, "{report:?}\n{out}");
    assert!(
        out.contains("Unhandled Promise rejection: Error: after await"),
        "{out}"
    );
}

#[test]
fn timeout_exits_two_after_terminating() {
    let (report, out) = run(
        "VoxEngine.addEventListener(AppEvents.Terminating, () => Logger.write('terminating ran'));",
        &[],
        Some(200),
    );
    assert_eq!(report.exit_code, 2, "{report:?}");
    assert!(report.message.contains("timeout"), "{report:?}");
    assert!(out.contains("terminating ran"), "{out}");
}

#[test]
fn bad_request_line_and_missing_file_fail() {
    // A malformed --request is a usage error (exit 2); an unreadable file exits 1.
    let (report, _) = run("", &["GET"], None);
    assert_eq!(report.exit_code, 2, "{report:?}");
    assert!(report.message.contains("bad --request"), "{report:?}");
    let opts = RunOptions {
        files: vec!["/nonexistent/x.js".into()],
        ..RunOptions::default()
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let local = tokio::task::LocalSet::new();
    let out = Rc::new(Collect(RefCell::new(Vec::new())));
    let report = local.block_on(&rt, run_files(opts, out));
    assert_eq!(report.exit_code, 1);
    assert!(report.message.contains("cannot read"));
}
