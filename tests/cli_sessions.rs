//! `voxrun sessions`, `sessions stop`, `logs [--follow]` and `transcript [--follow]`: the
//! real binary against a real server on its data dir, and their answers to bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use common::sessions::{
    post, rule_with, sigterm_and_wait, start_server, start_session, wait_finished,
};

/// Run `voxrun ARGS --data-dir DIR`; (exit code, stdout, stderr).
fn voxrun(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("VOXRUN_DATA_DIR")
        .output()
        .expect("run voxrun");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Logs each request's body, answers "ok", and says goodbye when it ends.
const SCRIPT: &str = "VoxEngine.addEventListener(AppEvents.Started, () => Logger.write('hello from the scenario'));\
     VoxEngine.addEventListener(AppEvents.HttpRequest, e => { Logger.write('got ' + e.content); return 'ok'; });\
     VoxEngine.addEventListener(AppEvents.Terminating, () => Logger.write('goodbye'));";

#[test]
fn sessions_are_listed_followed_and_stopped_from_the_command_line() {
    let (_tmp, server) = start_server(&[]);
    let dir = server.data_dir.clone();
    let (rule_id, _) = rule_with(&server, "cli", &[SCRIPT]);
    let s = start_session(&server, rule_id);
    let id = s.id.to_string();

    let (code, out, err) = voxrun(&dir, &["sessions"]);
    assert_eq!(code, 0, "{err}");
    let line = out
        .lines()
        .find(|l| l.starts_with(&format!("{id}\t")))
        .unwrap_or_else(|| panic!("session {id} not listed: {out}"));
    let cols: Vec<&str> = line.split('\t').collect();
    assert_eq!(cols.len(), 4, "{line}");
    assert!(cols[1].starts_with("rule-cli (app-cli."), "{line}");
    assert!(cols[2].ends_with(" UTC"), "{line}");
    assert_eq!(cols[3], "running", "{line}");

    let (code, out, err) = voxrun(&dir, &["logs", &id]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("hello from the scenario"), "{out}");

    // A follower sees what was written before it came and what is written while it runs.
    let mut follower = Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .args(["logs", &id, "--follow", "--data-dir"])
        .arg(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn voxrun logs --follow");
    let mut lines = BufReader::new(follower.stdout.take().expect("stdout")).lines();
    let mut next_line = |needle: &str| -> String {
        for line in lines.by_ref() {
            let line = line.expect("read the follower's stdout");
            if line.contains(needle) {
                return line;
            }
        }
        panic!("the follower ended before {needle:?}");
    };
    next_line("hello from the scenario");
    assert_eq!(post(&s.url, "while-followed").status, 200);
    next_line("got while-followed");

    let (code, out, err) = voxrun(&dir, &["sessions", "stop", &id]);
    assert_eq!(
        (code, out.trim()),
        (0, format!("session {id} ended").as_str()),
        "{err}"
    );
    next_line("goodbye");
    next_line("Terminated administratively");
    let status = follower.wait().expect("wait for the follower");
    assert!(status.success(), "voxrun logs --follow: {status}");

    // Ended: no longer listed; log and transcript come from the store.
    wait_finished(&server, s.id);
    let (code, out, _) = voxrun(&dir, &["sessions"]);
    assert_eq!(code, 0);
    assert!(
        !out.lines().any(|l| l.starts_with(&format!("{id}\t"))),
        "{out}"
    );
    let (code, out, err) = voxrun(&dir, &["logs", &id]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("got while-followed") && out.contains("goodbye"),
        "{out}"
    );
    let (code, followed, err) = voxrun(&dir, &["logs", &id, "--follow"]);
    assert_eq!((code, &followed), (0, &out), "{err}");

    let (code, out, err) = voxrun(&dir, &["transcript", &id]);
    assert_eq!(code, 0, "{err}");
    let entries: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert!(entries.iter().any(|e| e["what"] == "request"), "{out}");
    assert_eq!(
        entries.last().map(|e| e["what"].clone()),
        Some("session_end".into())
    );
    let (code, followed, err) = voxrun(&dir, &["transcript", &id, "--follow"]);
    assert_eq!((code, &followed), (0, &out), "{err}");
}

#[test]
fn a_live_transcript_is_streamed_until_the_session_ends() {
    let (_tmp, server) = start_server(&[]);
    let dir = server.data_dir.clone();
    let (rule_id, _) = rule_with(&server, "tr", &[SCRIPT]);
    let s = start_session(&server, rule_id);
    let id = s.id.to_string();
    assert_eq!(post(&s.url, "one").status, 200);
    let mut follower = Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .args(["transcript", &id, "-f", "--data-dir"])
        .arg(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn voxrun transcript -f");
    let mut lines = BufReader::new(follower.stdout.take().expect("stdout")).lines();
    let first: serde_json::Value =
        serde_json::from_str(&lines.next().expect("a line").expect("read")).expect("JSON");
    assert_eq!(first["what"], "request", "{first}");
    let (code, _, err) = voxrun(&dir, &["sessions", "stop", &id]);
    assert_eq!(code, 0, "{err}");
    let rest: Vec<String> = lines.map(|l| l.expect("read")).collect();
    assert!(
        rest.last().is_some_and(|l| l.contains("\"session_end\"")),
        "{rest:?}"
    );
    assert!(follower.wait().expect("wait").success());
}

/// A command that fails: exit 1 and exactly one line on stderr, which contains `needle`.
fn fails_with_one_line(dir: &Path, args: &[&str], needle: &str) {
    let (code, out, err) = voxrun(dir, args);
    assert_eq!(code, 1, "{args:?}: stdout {out:?}, stderr {err:?}");
    assert_eq!(err.lines().count(), 1, "{args:?}: {err:?}");
    assert!(
        err.starts_with("voxrun: ") && err.contains(needle),
        "{args:?}: {err:?}"
    );
}

#[test]
fn unknown_ids_missing_servers_and_bad_data_dirs_are_one_clear_line() {
    let (tmp, mut server) = start_server(&[]);
    let dir = server.data_dir.clone();
    fails_with_one_line(
        &dir,
        &["logs", "424242"],
        "no session 424242 on this server",
    );
    fails_with_one_line(&dir, &["transcript", "424242"], "no session 424242");
    fails_with_one_line(&dir, &["logs", "424242", "--follow"], "no session 424242");
    fails_with_one_line(
        &dir,
        &["sessions", "stop", "424242"],
        "no live session 424242",
    );
    let (code, _, err) = voxrun(&dir, &["logs", "not-a-number"]);
    assert_eq!(code, 2, "a usage error: {err}");

    // A revoked key file is refused by the server.
    let key_id = server.key_file()["key_id"]
        .as_str()
        .expect("key_id")
        .to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .args(["keys", "revoke", &key_id, "--data-dir"])
        .arg(&dir)
        .output()
        .expect("voxrun keys revoke");
    assert!(out.status.success(), "{out:?}");
    fails_with_one_line(
        &dir,
        &["sessions"],
        "the server refused the data dir's key file",
    );

    // A clean stop removes the address file: the tools say no server runs.
    assert!(dir.join("server.json").exists());
    assert!(sigterm_and_wait(&mut server).success());
    assert!(!dir.join("server.json").exists());
    fails_with_one_line(
        &dir,
        &["sessions"],
        "no voxrun server is running on the data dir",
    );

    // After a crash the file names an address nobody answers on.
    let mut crashed = common::ServerProc::start_in(&dir, &[]);
    crashed.kill9();
    assert!(dir.join("server.json").exists());
    fails_with_one_line(
        &dir,
        &["logs", "1"],
        "no voxrun server is running on the data dir",
    );

    let nowhere = tmp.path().join("no-such-dir");
    fails_with_one_line(&nowhere, &["sessions"], "no voxrun data dir at");
    assert!(!nowhere.exists(), "a typo must not create a data dir");
}
