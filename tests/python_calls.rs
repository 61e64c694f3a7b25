//! Emulated calls on a real `voxrun serve` driven the way a user's Python test rig would:
//! the Management API through the official Python client and `/voxrun/v1` through urllib
//! (tests/clients/python_calls.py): routing by rule pattern, the far end driven live,
//! ApplicationStorage seeded with SetKeyValueItem, GetCallHistory with_calls, the session
//! log, the transcript (also `?follow=1` after the end) and the interface's errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::clients::{client_script, isolate_client, official_python, run_client_script};
use common::ServerProc;

#[test]
fn python_rig_places_drives_and_inspects_an_inbound_call() {
    let py = official_python();
    let server = ServerProc::start();
    let mut cmd = Command::new(py);
    cmd.arg(client_script("python_calls.py"))
        .arg("--endpoint")
        .arg(server.endpoint())
        .arg("--credentials")
        .arg(&server.credentials)
        .arg("--cert")
        .arg(&server.cert);
    isolate_client(&mut cmd, &server);
    let out = run_client_script("python_calls.py", cmd);
    println!("{out}");
    assert!(
        out.contains("7 of 7 sections passed"),
        "unexpected output:\n{out}"
    );
}
