//! The key-value storage methods against a real `voxrun serve`: through the official Python
//! client over HTTPS (tests/clients/python_kv.py), across a `kill -9`, and with a Support key.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::clients::{client_script, isolate_client, official_python, run_client_script};
use common::{form, http, now, sign_token, ServerProc};

#[test]
fn python_client_drives_the_key_value_methods() {
    let py = official_python();
    let server = ServerProc::start();
    let mut cmd = Command::new(py);
    cmd.arg(client_script("python_kv.py"))
        .arg("--endpoint")
        .arg(server.endpoint())
        .arg("--credentials")
        .arg(&server.credentials);
    isolate_client(&mut cmd, &server);
    let out = run_client_script("python_kv.py", cmd);
    assert!(
        out.contains("4 of 4 sections passed"),
        "unexpected output:\n{out}"
    );
}

#[test]
fn an_acknowledged_item_survives_kill_9() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let mut s = ServerProc::start_in(&dir, &[]);
    let app = s.call_jwt("AddApplication", &[("application_name", "durable-kv")]);
    let app_id = app["application_id"].to_string();
    let set = s.call_jwt(
        "SetKeyValueItem",
        &[
            ("application_id", &app_id),
            ("key", "counter:calls"),
            ("value", "41"),
        ],
    );
    assert_eq!(set["result"]["value"], "41", "{set}");
    s.kill9();
    let s2 = ServerProc::start_in(&dir, &[]);
    let got = s2.call_jwt(
        "GetKeyValueItem",
        &[("application_id", &app_id), ("key", "counter:calls")],
    );
    assert_eq!(got["result"], set["result"], "{got}");
}

/// Call a method over plain HTTP with a JWT signed by the key file at `key_path`.
fn call_with_key(
    server: &ServerProc,
    key_path: &std::path::Path,
    method: &str,
    params: &[(&str, &str)],
) -> serde_json::Value {
    let kf: serde_json::Value = serde_json::from_slice(&std::fs::read(key_path).unwrap()).unwrap();
    let t = now();
    let token = sign_token(
        &kf,
        serde_json::json!({"iss": kf["account_id"], "iat": t, "exp": t + 60}),
    );
    let auth = format!("Bearer {token}");
    let r = http(
        server.api_addr,
        "POST",
        &format!("/platform_api/{method}"),
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        form(params).as_bytes(),
    );
    assert_eq!(r.status, 200, "{method}: {}", r.text());
    r.json()
}

#[test]
fn a_support_key_reads_items_but_cannot_change_them() {
    let server = ServerProc::start();
    let key = server.data_dir.parent().unwrap().join("support.json");
    let made = Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .args(["keys", "create", "--role", "Support", "--out"])
        .arg(&key)
        .arg("--data-dir")
        .arg(&server.data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let app = server.call_jwt("AddApplication", &[("application_name", "kv-roles")]);
    let app_id = app["application_id"].to_string();
    let seeded = server.call_jwt(
        "SetKeyValueItem",
        &[("application_id", &app_id), ("key", "k"), ("value", "v")],
    );
    assert_eq!(seeded["result"]["key"], "k", "{seeded}");
    let read = call_with_key(
        &server,
        &key,
        "GetKeyValueKeys",
        &[("application_id", &app_id)],
    );
    assert_eq!(read["result"][0]["key"], "k", "{read}");
    for (method, extra) in [
        ("SetKeyValueItem", Some(("value", "changed"))),
        ("DelKeyValueItem", None),
    ] {
        let mut params = vec![("application_id", app_id.as_str()), ("key", "k")];
        params.extend(extra);
        let r = call_with_key(&server, &key, method, &params);
        assert_eq!(r["error"]["code"], 104, "{method}: {r}");
    }
    let after = server.call_jwt(
        "GetKeyValueItem",
        &[("application_id", &app_id), ("key", "k")],
    );
    assert_eq!(after["result"]["value"], "v", "{after}");
}
