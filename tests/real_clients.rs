//! The official, unmodified Voximplant API clients (PyPI `voximplant-apiclient`, npm
//! `@voximplant/apiclient-nodejs`) against a real `voxrun serve` over HTTPS.
//!
//! The test setup installs both clients itself, once, under `<target>/clients/` (a Python venv
//! and an npm prefix), guarded by a file lock so parallel test processes do not collide, and
//! skips the install when a marker file says the pinned version is already there. Missing
//! `python3`/`node`/`npm` or a failed install fails the tests with what was run and what it
//! printed. The scripts in `tests/clients/` drive every applications/rules/scenarios method and
//! print each failed check with the call that produced it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::clients::{
    client_script, isolate_client, official_node_modules, official_python, run_client_script,
};
use common::ServerProc;

fn python_script(server: &ServerProc, support: Option<&Path>) -> Command {
    let mut cmd = Command::new(official_python());
    cmd.arg(client_script("python_methods.py"))
        .arg("--endpoint")
        .arg(server.endpoint())
        .arg("--credentials")
        .arg(&server.credentials);
    if let Some(support) = support {
        cmd.arg("--support-credentials").arg(support);
    }
    isolate_client(&mut cmd, server);
    cmd
}

fn node_script(server: &ServerProc, support: Option<&Path>) -> Command {
    let modules = official_node_modules();
    let mut cmd = Command::new("node");
    cmd.arg(client_script("node_methods.js"))
        .arg("--endpoint")
        .arg(server.endpoint())
        .arg("--credentials")
        .arg(&server.credentials);
    if let Some(support) = support {
        cmd.arg("--support-credentials").arg(support);
    }
    isolate_client(&mut cmd, server);
    cmd.env("NODE_PATH", modules);
    cmd
}

/// A key file with the Support role, made by `voxrun keys create` while the server runs.
fn support_key(server: &ServerProc) -> PathBuf {
    let out = server
        .data_dir
        .parent()
        .unwrap_or(&server.data_dir)
        .join("support-key.json");
    let res = Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .args(["keys", "create", "--role", "Support", "--out"])
        .arg(&out)
        .arg("--data-dir")
        .arg(&server.data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run voxrun keys create");
    assert!(
        res.status.success(),
        "voxrun keys create --role Support failed ({}): {}{}",
        res.status,
        String::from_utf8_lossy(&res.stdout),
        String::from_utf8_lossy(&res.stderr)
    );
    let kf: serde_json::Value =
        serde_json::from_slice(&fs::read(&out).expect("read the Support key file"))
            .expect("key file JSON");
    for field in ["account_email", "account_id", "key_id", "private_key"] {
        assert!(
            !kf[field].is_null(),
            "the Support key file lacks {field}: {kf}"
        );
    }
    assert_ne!(
        kf["key_id"],
        server.key_file()["key_id"],
        "a new key must get a new key id"
    );
    out
}

#[test]
fn python_client_drives_every_method() {
    official_python();
    let server = ServerProc::start();
    let out = run_client_script("python_methods.py", python_script(&server, None));
    assert!(
        out.contains("8 of 8 sections passed"),
        "unexpected output:\n{out}"
    );
}

#[test]
fn node_client_drives_every_method() {
    official_node_modules();
    let server = ServerProc::start();
    let out = run_client_script("node_methods.js", node_script(&server, None));
    assert!(
        out.contains("8 of 8 sections passed"),
        "unexpected output:\n{out}"
    );
}

#[test]
fn python_client_with_a_support_key_reads_but_cannot_change() {
    official_python();
    let server = ServerProc::start();
    let key = support_key(&server);
    let out = run_client_script(
        "python_methods.py (Support key)",
        python_script(&server, Some(&key)),
    );
    assert!(
        out.contains("1 of 1 sections passed"),
        "unexpected output:\n{out}"
    );
}

#[test]
fn node_client_with_a_support_key_reads_but_cannot_change() {
    official_node_modules();
    let server = ServerProc::start();
    let key = support_key(&server);
    let out = run_client_script(
        "node_methods.js (Support key)",
        node_script(&server, Some(&key)),
    );
    assert!(
        out.contains("1 of 1 sections passed"),
        "unexpected output:\n{out}"
    );
}
