//! `voxrun test` (docs/testing.md), run as a user runs it: the binary on fixture test files in
//! `tests/voxrun_test/` (every API of docs/testing.md, tests that must fail, broken files, a file that
//! never finishes) and on `examples/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::copy_dir;

fn voxrun_test(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .arg("test")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run voxrun test");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The lines of `out` for test `name`, and what follows up to the next test line.
fn block<'a>(out: &'a str, name: &str) -> &'a str {
    let start = out
        .find(&format!("› {name} ("))
        .unwrap_or_else(|| panic!("no test {name:?} in:\n{out}"));
    let line_start = out[..start].rfind('\n').map_or(0, |i| i + 1);
    let skip = "›".len();
    let rest = &out[start + skip..];
    let end = rest
        .find("\nPASS ")
        .into_iter()
        .chain(rest.find("\nFAIL "))
        .chain(rest.find("\nERROR "))
        .chain(rest.find(" passed, "))
        .min()
        .map_or(rest.len(), |i| i + skip + 1);
    &out[line_start..start + end]
}

#[test]
fn every_api_of_the_spec_works_in_passing_tests() {
    let (code, out, err) = voxrun_test(&["tests/voxrun_test/pass"]);
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    for name in [
        "expect: every matcher and .not",
        "start, request, log, terminate",
        "advance moves the virtual clock; a request may wait in virtual time",
        "ApplicationStorage is shared by the sessions of a test file",
        "an outbound call: nextCall, answer, heard, dtmf, say, message, waitFor, hangup",
        "peers script the far end; reject refuses a ringing call",
        "callIn: s.call is the caller; its caller script and custom data",
        "heard: players sent to the call with sendMediaTo",
        "tone-script players last as long as their cadence sections",
        "player pause, resume and onPause hold and move its end",
    ] {
        assert!(block(&out, name).starts_with("PASS "), "{name}:\n{out}");
    }
    assert!(out.ends_with("11 passed, 0 failed\n"), "{out}");
    // The 30 s and 90 s waits took virtual time only.
    assert!(out.contains("90.0 s virtual"), "{out}");
}

#[test]
fn failing_tests_say_what_and_where_and_the_file_error_names_its_line() {
    let (code, out, _) = voxrun_test(&["tests/voxrun_test/fail"]);
    assert_eq!(code, 1, "{out}");
    assert!(block(&out, "passes").starts_with("PASS "), "{out}");

    let wrong = block(&out, "a wrong value shows both");
    assert!(wrong.starts_with("FAIL "), "{wrong}");
    assert!(wrong.contains(r#"expected: {"menu":"Press 2"}"#), "{wrong}");
    assert!(wrong.contains(r#"received: {"menu":"Press 1"}"#), "{wrong}");
    assert!(
        wrong.contains("at tests/voxrun_test/fail/fails.test.js:6:"),
        "{wrong}"
    );

    let never = block(&out, "a wait for what never comes fails after an hour");
    assert!(never.starts_with("FAIL "), "{never}");
    assert!(never.contains("3600.0 s virtual"), "{never}");
    assert!(never.contains("60 minutes of virtual time"), "{never}");
    assert!(never.contains("fails.test.js:11:"), "{never}");
    // The transcript tail: the call was answered and nothing was said.
    assert!(never.contains(r#""what":"connected""#), "{never}");

    let unsettled = block(
        &out,
        "a Promise that nothing can settle fails at once, while a session ticks on",
    );
    assert!(unsettled.starts_with("FAIL "), "{unsettled}");
    assert!(unsettled.contains("0.0 s virtual"), "{unsettled}");
    assert!(
        unsettled.contains("the test waits for a Promise that nothing can settle"),
        "{unsettled}"
    );

    let thrown = block(&out, "a thrown error fails the test");
    assert!(thrown.contains("TypeError"), "{thrown}");
    assert!(thrown.contains("fails.test.js:15:"), "{thrown}");

    assert!(
        out.contains("ERROR tests/voxrun_test/fail/broken.test.js: tests/voxrun_test/fail/broken.test.js:3:18: SyntaxError"),
        "{out}"
    );
    assert!(
        out.ends_with("1 passed, 4 failed, 1 test file could not run\n"),
        "{out}"
    );
}

#[test]
fn unequal_containers_nested_tests_and_a_runaway_advance_fail() {
    let (code, out, err) = voxrun_test(&["tests/voxrun_test/strict"]);
    assert_eq!(code, 1, "{out}");
    assert!(!err.contains("panicked"), "{err}");
    for (name, why) in [
        ("different Maps", "received: Map [[1,2]]"),
        ("different Sets", "expected: Set [2]"),
        ("different boxed numbers", "toEqual(expected) failed"),
        ("different symbol-keyed members", "toEqual(expected) failed"),
        (
            "a test inside a test",
            "must be called at the top level of the file",
        ),
        (
            "an advance past the clock",
            "takes a number of seconds from 0 to",
        ),
        (
            "a caller that sends what is no DTMF digit",
            "'x' is not a DTMF digit (0-9, *, #, A-D)",
        ),
    ] {
        let b = block(&out, name);
        assert!(b.starts_with("FAIL "), "{name} must fail:\n{b}");
        assert!(b.contains(why), "{name}:\n{b}");
    }
    assert!(
        block(&out, "equal containers").starts_with("PASS "),
        "{out}"
    );
    // The refused advance left the clock as it was.
    assert!(
        block(&out, "the clock is still fine").starts_with("PASS "),
        "{out}"
    );
    assert!(out.ends_with("2 passed, 7 failed\n"), "{out}");
}

#[test]
fn filter_runs_only_matching_tests_and_junit_records_the_results() {
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("results.xml");
    let (code, out, _) = voxrun_test(&[
        "tests/voxrun_test/fail/fails.test.js",
        "--filter",
        "wrong value",
        "--junit",
        junit.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.ends_with("0 passed, 1 failed\n"), "{out}");
    assert!(!out.contains("› passes"), "{out}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains(r#"<testsuites name="voxrun test" tests="1" failures="1" errors="0">"#),
        "{xml}"
    );
    assert!(xml.contains(r#"name="a wrong value shows both""#), "{xml}");
    assert!(
        xml.contains("<failure message=\"expect(received).toEqual(expected) failed\">"),
        "{xml}"
    );
    assert!(xml.contains("&quot;menu&quot;"), "{xml}");
}

#[test]
fn files_run_in_parallel_and_print_in_file_order() {
    let (code, out, _) = voxrun_test(&[
        "--jobs",
        "3",
        "tests/voxrun_test/pass",
        "tests/voxrun_test/fail",
        "examples",
    ]);
    assert_eq!(code, 1);
    let files: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter(|f| f.ends_with(".test.js") || f.ends_with(".test.js:"))
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "{out}");
    assert!(
        out.ends_with("18 passed, 4 failed, 1 test file could not run\n"),
        "{out}"
    );
}

#[test]
fn a_file_that_never_finishes_is_killed_and_named() {
    let start = Instant::now();
    let (code, out, _) = voxrun_test(&["tests/voxrun_test/hang", "--timeout", "2"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("ERROR tests/voxrun_test/hang/forever.test.js: it did not finish within 2 s (--timeout); its process was killed (while running the test \"never finishes\")"),
        "{out}"
    );
    assert!(start.elapsed() < Duration::from_secs(60));
}

#[test]
fn no_test_files_or_a_missing_path_is_one_line_and_exit_1() {
    let empty = tempfile::tempdir().unwrap();
    let (code, out, err) = voxrun_test(&[empty.path().to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.starts_with("voxrun: no test files (*.test.js) under "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
    let (code, _, err) = voxrun_test(&["no/such/dir"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("voxrun: no/such/dir: "), "{err}");
}

#[test]
fn the_example_passes_and_a_broken_copy_fails_with_a_readable_diff() {
    let (code, out, _) = voxrun_test(&["examples"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("6 passed, 0 failed\n"), "{out}");

    let dir = tempfile::tempdir().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&root.join("examples/ivr"), dir.path());
    let ivr = dir.path().join("ivr.js");
    let text = std::fs::read_to_string(&ivr).unwrap();
    std::fs::write(
        &ivr,
        text.replace("Support is closed today.", "Support is open."),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .arg("test")
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let fail = block(
        &stdout,
        "2 reaches support, which is closed, and the call ends",
    );
    assert!(fail.starts_with("FAIL "), "{stdout}");
    assert!(
        fail.contains(r#"expected: "Support is closed today. Goodbye.""#),
        "{fail}"
    );
    assert!(
        fail.contains(r#"received: "Support is open. Goodbye.""#),
        "{fail}"
    );
    assert!(fail.contains("ivr.test.js:17:"), "{fail}");
}

#[test]
fn watch_runs_again_when_a_scenario_changes() {
    let dir = tempfile::tempdir().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&root.join("examples/ivr"), dir.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .arg("test")
        .arg("--watch")
        .arg(dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut summaries = Vec::new();
    while let Some(Ok(line)) = lines.next() {
        if line.contains(" passed, ") {
            summaries.push(line.clone());
        }
        if line.starts_with("watching for changes") {
            if summaries.len() == 2 {
                break;
            }
            // Break the scenario: the next run must see it.
            std::thread::sleep(Duration::from_millis(50));
            let ivr = dir.path().join("ivr.js");
            let text = std::fs::read_to_string(&ivr).unwrap();
            std::fs::write(&ivr, text.replace("Press 1 for sales", "Press 9 for sales")).unwrap();
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(summaries, vec!["6 passed, 0 failed", "5 passed, 1 failed"]);
}

#[test]
fn test_files_get_no_modules_and_nothing_of_the_host() {
    let (code, out, _) = voxrun_test(&["tests/voxrun_test/host"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        block(&out, "import() is refused").starts_with("PASS "),
        "{out}"
    );
    assert!(block(&out, "no host globals").starts_with("PASS "), "{out}");
    assert!(
        out.contains("ERROR tests/voxrun_test/host/static_import.test.js: Error: modules are not available in voxrun test files"),
        "{out}"
    );
    assert!(
        out.ends_with("2 passed, 0 failed, 1 test file could not run\n"),
        "{out}"
    );
}
