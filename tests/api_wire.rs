//! Raw-HTTP tests of the Management API's wire details and authentication, against a real
//! server process over real sockets (plain HTTP and TLS on the same port).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{form, http, https, https_raw, now, raw, sign_token, ServerProc};
use serde_json::{json, Value};

fn post(s: &ServerProc, path: &str, headers: &[(&str, &str)], body: &str) -> Value {
    let r = http(s.api_addr, "POST", path, headers, body.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r
        .header("content-type")
        .unwrap_or_default()
        .starts_with("application/json"));
    r.json()
}

fn with_token(s: &ServerProc, method: &str, token: &str) -> Value {
    let auth = format!("Bearer {token}");
    post(
        s,
        &format!("/platform_api/{method}"),
        &[("Authorization", &auth)],
        "",
    )
}

fn code(v: &Value) -> i64 {
    v["error"]["code"].as_i64().unwrap_or(0)
}

#[test]
fn one_port_serves_plain_http_and_https() {
    let s = ServerProc::start();
    let auth = format!("Bearer {}", s.token());
    let plain = http(
        s.api_addr,
        "GET",
        "/platform_api/GetAccountInfo",
        &[("Authorization", &auth)],
        b"",
    );
    let tls = https(
        s.api_addr,
        &s.cert,
        "GET",
        "/platform_api/GetAccountInfo",
        &[("Authorization", &auth)],
        b"",
    );
    assert_eq!(plain.status, 200);
    assert_eq!(tls.status, 200);
    assert_eq!(
        plain.json()["result"]["account_id"],
        tls.json()["result"]["account_id"]
    );
    assert!(tls.json()["result"]["account_id"].as_u64().unwrap() > 0);
}

#[test]
fn https_clients_that_offer_http_1_0_or_1_1_by_alpn_are_served() {
    let s = ServerProc::start();
    let auth = format!("Bearer {}", s.token());
    for (alpn, version) in [(&b"http/1.0"[..], "1.0"), (b"http/1.1", "1.1")] {
        let request = format!(
            "GET /platform_api/GetAccountInfo HTTP/{version}\r\nHost: localhost\r\n\
             Authorization: {auth}\r\nConnection: close\r\n\r\n"
        );
        let r = https_raw(s.api_addr, &s.cert, &[alpn], request.as_bytes());
        assert_eq!(r.status, 200, "ALPN {alpn:?}: {}", r.text());
        assert!(r.json()["result"]["account_id"].as_u64().unwrap() > 0);
    }
}

#[test]
fn routing_accepts_path_and_cmd_forms_and_names_missing_or_unknown_methods() {
    let s = ServerProc::start();
    let auth = format!("Bearer {}", s.token());
    let h = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    for path in [
        "/platform_api/GetAccountInfo",
        "/platform_api/GetAccountInfo/",
    ] {
        assert!(post(&s, path, &h, "")["result"].is_object(), "{path}");
    }
    for path in ["/platform_api", "/platform_api/"] {
        assert!(
            post(&s, path, &h, "cmd=GetAccountInfo")["result"].is_object(),
            "{path}"
        );
        let q = http(
            s.api_addr,
            "GET",
            &format!("{path}?cmd=GetAccountInfo"),
            &h,
            b"",
        );
        assert!(q.json()["result"].is_object());
    }
    let missing = post(&s, "/platform_api", &h, "");
    assert_eq!(code(&missing), 102);
    assert_eq!(missing["error"]["msg"], "Missing 'cmd' parameter");
    assert_eq!(missing["errors"][0]["code"], 102);
    assert_eq!(code(&post(&s, "/platform_api/NoSuchMethod", &h, "")), 103);
    // Method names are case-sensitive.
    assert_eq!(code(&post(&s, "/platform_api/getaccountinfo", &h, "")), 103);
    // A platform method voxrun lacks is told apart from a name that is no method at all.
    for method in ["GetUsers", "AttachPhoneNumber", "SendSmsMessage"] {
        let v = post(&s, &format!("/platform_api/{method}"), &h, "");
        assert_eq!(code(&v), 104, "{method}: {v}");
        let msg = v["error"]["msg"].as_str().unwrap_or_default();
        assert!(
            msg.contains(method) && msg.contains("not supported by voxrun"),
            "{msg}"
        );
    }
    assert_eq!(http(s.api_addr, "GET", "/elsewhere", &[], b"").status, 404);
}

#[test]
fn json_bodies_are_accepted() {
    let s = ServerProc::start();
    let auth = format!("Bearer {}", s.token());
    let h = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
    ];
    let v = post(&s, "/platform_api", &h, r#"{"cmd":"GetAccountInfo"}"#);
    assert!(v["result"]["account_name"].is_string(), "{v}");
}

#[test]
fn chunked_multipart_bodies_are_read() {
    let s = ServerProc::start();
    let auth = format!("Bearer {}", s.token());
    let part =
        "--B\r\nContent-Disposition: form-data; name=\"cmd\"\r\n\r\nGetAccountInfo\r\n--B--\r\n";
    let req = format!(
        "POST /platform_api HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: {auth}\r\n\
         Content-Type: multipart/form-data; boundary=B\r\nTransfer-Encoding: chunked\r\n\r\n\
         {:x}\r\n{part}\r\n0\r\n\r\n",
        part.len()
    );
    let r = raw(s.api_addr, req.as_bytes());
    assert_eq!(r.status, 200);
    assert!(r.json()["result"]["account_id"].is_u64(), "{}", r.text());
}

#[test]
fn jwt_attacks_are_refused() {
    let s = ServerProc::start();
    let kf = s.key_file();
    let t = now();
    let good = json!({"iss": kf["account_id"], "iat": t, "exp": t + 60});

    // The genuine token works; `iss` may be the id as a string, or "0".
    assert!(with_token(&s, "GetAccountInfo", &s.token())["result"].is_object());
    let as_string = json!({"iss": kf["account_id"].to_string(), "iat": t - 5, "exp": t + 24});
    assert!(with_token(&s, "GetAccountInfo", &sign_token(&kf, as_string))["result"].is_object());
    let zero = json!({"iss": "0", "iat": t, "exp": t + 60});
    assert!(with_token(&s, "GetAccountInfo", &sign_token(&kf, zero))["result"].is_object());

    // alg: none, unsigned.
    use base64::Engine;
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT", "kid": kf["key_id"]})),
        b64(&good)
    );
    assert_ne!(code(&with_token(&s, "GetAccountInfo", &none)), 0);
    assert!(with_token(&s, "GetAccountInfo", &none)
        .get("result")
        .is_none());

    // HS256 signed with the server's public key as the secret.
    let private = rsa::RsaPrivateKey::from_pkcs1_pem(kf["private_key"].as_str().unwrap()).unwrap();
    let public_pem = {
        use rsa::pkcs1::EncodeRsaPublicKey;
        private
            .to_public_key()
            .to_pkcs1_pem(rsa::pkcs8::LineEnding::LF)
            .unwrap()
    };
    let mut hs = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    hs.kid = kf["key_id"].as_str().map(str::to_string);
    let hs_token = jsonwebtoken::encode(
        &hs,
        &good,
        &jsonwebtoken::EncodingKey::from_secret(public_pem.as_bytes()),
    )
    .unwrap();
    assert_eq!(code(&with_token(&s, "GetAccountInfo", &hs_token)), 100);

    // A key the server does not know, claiming our kid.
    let foreign = {
        use rsa::pkcs1::EncodeRsaPrivateKey;
        let k = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
        let pem = k
            .to_pkcs1_pem(rsa::pkcs8::LineEnding::LF)
            .unwrap()
            .to_string();
        let mut f = kf.clone();
        f["private_key"] = Value::String(pem);
        sign_token(&f, good.clone())
    };
    assert_eq!(code(&with_token(&s, "GetAccountInfo", &foreign)), 100);

    // An unknown kid.
    let mut other_kid = kf.clone();
    other_kid["key_id"] = json!("00000000-0000-0000-0000-000000000000");
    assert_eq!(
        code(&with_token(
            &s,
            "GetAccountInfo",
            &sign_token(&other_kid, good.clone())
        )),
        100
    );

    // Expired, issued in the future, TTL over an hour.
    let expired = json!({"iss": kf["account_id"], "iat": t - 600, "exp": t - 300});
    assert_eq!(
        code(&with_token(&s, "GetAccountInfo", &sign_token(&kf, expired))),
        456
    );
    let future = json!({"iss": kf["account_id"], "iat": t + 600, "exp": t + 660});
    assert_eq!(
        code(&with_token(&s, "GetAccountInfo", &sign_token(&kf, future))),
        455
    );
    let long = json!({"iss": kf["account_id"], "iat": t, "exp": t + 3601});
    assert_eq!(
        code(&with_token(&s, "GetAccountInfo", &sign_token(&kf, long))),
        454
    );

    // Absurd claims must not wrap the TTL check around.
    let absurd = json!({"iss": "0", "iat": -5_000_000_000_000_000_000i64, "exp": 5_000_000_000_000_000_000i64});
    assert_eq!(
        code(&with_token(&s, "GetAccountInfo", &sign_token(&kf, absurd))),
        454
    );

    // Another account's id in `iss`.
    let wrong_iss = json!({"iss": 999999, "iat": t, "exp": t + 60});
    assert_eq!(
        code(&with_token(
            &s,
            "GetAccountInfo",
            &sign_token(&kf, wrong_iss)
        )),
        100
    );

    // A tampered payload under the genuine signature.
    let genuine = s.token();
    let parts: Vec<&str> = genuine.split('.').collect();
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64(&json!({"iss": kf["account_id"], "iat": t, "exp": t + 3000})),
        parts[2]
    );
    assert_eq!(code(&with_token(&s, "GetAccountInfo", &forged)), 100);

    // Garbage.
    assert_eq!(code(&with_token(&s, "GetAccountInfo", "not-a-token")), 447);
    let none_at_all = post(&s, "/platform_api/GetAccountInfo", &[], "");
    assert_eq!(code(&none_at_all), 100);
}

use rsa::pkcs1::DecodeRsaPrivateKey;

#[test]
fn legacy_api_key_authenticates_and_a_wrong_one_does_not() {
    let s = ServerProc::start();
    let key = s.api_key();
    let info = s.call_jwt("GetAccountInfo", &[]);
    let id = info["result"]["account_id"].to_string();
    let name = info["result"]["account_name"].as_str().unwrap().to_string();
    let ok = http(
        s.api_addr,
        "GET",
        &format!("/platform_api/GetAccountInfo?account_id={id}&api_key={key}"),
        &[],
        b"",
    );
    assert_eq!(ok.json()["result"]["account_id"].to_string(), id);
    let by_name = post(
        &s,
        "/platform_api/GetAccountInfo",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &form(&[("account_name", &name), ("api_key", &key)]),
    );
    assert!(by_name["result"].is_object());
    // `voxrun account` prints the same key for curl users.
    let printed = std::process::Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .args(["account", "--data-dir"])
        .arg(&s.data_dir)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&printed.stdout).into_owned();
    assert!(
        printed.contains(&format!("VOXRUN_API_KEY={key}")),
        "{printed}"
    );
    assert!(
        printed.contains(&format!("VOXRUN_ACCOUNT_ID={id}")),
        "{printed}"
    );
    let bad = http(
        s.api_addr,
        "GET",
        &format!("/platform_api/GetAccountInfo?account_id={id}&api_key=x{key}"),
        &[],
        b"",
    );
    assert_eq!(code(&bad.json()), 100);
    let no_account = http(
        s.api_addr,
        "GET",
        &format!("/platform_api/GetAccountInfo?api_key={key}"),
        &[],
        b"",
    );
    assert_eq!(code(&no_account.json()), 100);
}

#[test]
fn keys_cli_creates_and_revokes_keys_while_the_server_runs() {
    let s = ServerProc::start();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("support.json");
    let bin = env!("CARGO_BIN_EXE_voxrun");
    let created = std::process::Command::new(bin)
        .args(["keys", "create", "--role", "Support", "--out"])
        .arg(&out)
        .arg("--data-dir")
        .arg(&s.data_dir)
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let kf: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    for field in ["account_email", "account_id", "key_id", "private_key"] {
        assert!(!kf[field].is_null(), "key file lacks {field}");
    }
    let t = now();
    let token = || {
        sign_token(
            &kf,
            json!({"iss": kf["account_id"], "iat": t, "exp": t + 60}),
        )
    };
    // Support may read, not write.
    assert!(with_token(&s, "GetAccountInfo", &token())["result"].is_object());
    assert!(with_token(&s, "GetAccountInfo", &token())["result"]
        .get("api_key")
        .is_none());
    assert_eq!(code(&with_token(&s, "AddApplication", &token())), 104);

    let list = std::process::Command::new(bin)
        .args(["keys", "list", "--data-dir"])
        .arg(&s.data_dir)
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&list.stdout).into_owned();
    assert!(
        listing.contains(kf["key_id"].as_str().unwrap()),
        "{listing}"
    );
    assert!(
        !listing.contains("PRIVATE"),
        "the listing must not show secrets"
    );

    let revoked = std::process::Command::new(bin)
        .args([
            "keys",
            "revoke",
            kf["key_id"].as_str().unwrap(),
            "--data-dir",
        ])
        .arg(&s.data_dir)
        .output()
        .unwrap();
    assert!(revoked.status.success());
    assert_eq!(code(&with_token(&s, "GetAccountInfo", &token())), 100);
    // The Owner key still works.
    assert!(with_token(&s, "GetAccountInfo", &s.token())["result"].is_object());
}

#[test]
fn bad_http_gets_http_errors_and_the_server_keeps_serving() {
    let s = ServerProc::start();
    let garbage = raw(s.api_addr, b"THIS IS NOT HTTP\r\n\r\n");
    assert_eq!(garbage.status, 400);
    // A declared body over the limit is refused before it is read.
    let over = raw(
        s.api_addr,
        b"POST /platform_api/GetAccountInfo HTTP/1.1\r\nHost: x\r\nContent-Length: 5242880\r\n\r\naaaa",
    );
    assert_eq!(over.status, 413);
    let auth = format!("Bearer {}", s.token());
    let bad_utf8 = http(
        s.api_addr,
        "POST",
        "/platform_api/AddApplication",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        b"application_name=%FF%FEab",
    );
    assert_eq!(code(&bad_utf8.json()), 101);
    let bad_mp = http(
        s.api_addr,
        "POST",
        "/platform_api/GetAccountInfo",
        &[
            ("Authorization", &auth),
            ("Content-Type", "multipart/form-data; boundary=Z"),
        ],
        b"--Z\r\nbroken",
    );
    assert_eq!(code(&bad_mp.json()), 101);
    // Still serving.
    assert!(s.call_jwt("GetAccountInfo", &[])["result"].is_object());
}

#[test]
fn hostile_values_get_json_errors_and_change_nothing() {
    let s = ServerProc::start();
    let sql = "x'); DROP TABLE scenarios; --";
    let added = s.call_jwt(
        "AddScenario",
        &[("scenario_name", "safe"), ("scenario_script", "1")],
    );
    assert!(added["scenario_id"].is_u64(), "{added}");
    let weird = s.call_jwt(
        "AddScenario",
        &[("scenario_name", sql), ("scenario_script", "2")],
    );
    let found = s.call_jwt("GetScenarios", &[("scenario_name", "DROP TABLE")]);
    if weird.get("scenario_id").is_some() {
        assert_eq!(found["result"][0]["scenario_name"], sql);
    }
    let absurd = s.call_jwt("GetScenarios", &[("count", "99999999999999999999999999")]);
    assert_eq!(code(&absurd), 101);
    let negative = s.call_jwt("GetScenarios", &[("offset", "-1")]);
    assert_eq!(code(&negative), 101);
    let blowup = s.call_jwt("AddApplication", &[("application_name", "regexapp")]);
    assert!(blowup["application_id"].is_u64(), "{blowup}");
    let r = s.call_jwt(
        "AddRule",
        &[
            ("application_name", "regexapp"),
            ("rule_name", "big"),
            ("rule_pattern", "(a{1000}){1000}"),
        ],
    );
    assert_eq!(code(&r), 148, "{r}");
    let all = s.call_jwt("GetScenarios", &[("scenario_name", "safe")]);
    assert_eq!(all["total_count"], 1);
}

#[test]
fn an_acknowledged_change_survives_kill_9() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let mut s = ServerProc::start_in(&dir, &[]);
    let r = s.call_jwt("AddApplication", &[("application_name", "durable")]);
    assert_eq!(r["result"], 1, "{r}");
    s.kill9();
    let s2 = ServerProc::start_in(&dir, &[]);
    let apps = s2.call_jwt("GetApplications", &[("application_name", "durable")]);
    assert_eq!(apps["total_count"], 1, "{apps}");
    assert_eq!(apps["result"][0]["application_id"], r["application_id"]);
    // The same credentials and certificate are kept across restarts.
    assert_eq!(s2.credentials, s.credentials);
}

#[test]
fn sigterm_exits_cleanly() {
    let mut s = ServerProc::start();
    let status = s.terminate();
    assert!(status.success(), "{status:?}");
}

#[test]
fn an_unusable_data_dir_is_one_clear_line_and_a_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .args(["serve", "--api-addr", "127.0.0.1:0", "--data-dir"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("data dir"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let bad_flag = std::process::Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .args(["serve", "--api-addr", "nonsense"])
        .output()
        .unwrap();
    assert!(!bad_flag.status.success());
    let err = String::from_utf8_lossy(&bad_flag.stderr);
    // clap's whole message (issue 8): what is wrong with which flag, and where to look.
    assert!(
        err.contains("invalid value 'nonsense' for '--api-addr"),
        "{err}"
    );
    assert!(err.contains("invalid socket address syntax"), "{err}");
}

#[test]
fn an_operator_certificate_is_served_instead_of_a_generated_one() {
    let tmp = tempfile::tempdir().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    let cert = params.self_signed(&key).unwrap();
    let cert_path = tmp.path().join("op-cert.pem");
    let key_path = tmp.path().join("op-key.pem");
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();
    let data = tmp.path().join("data");
    let s = ServerProc::start_in(
        &data,
        &[
            "--tls-cert",
            cert_path.to_str().unwrap(),
            "--tls-key",
            key_path.to_str().unwrap(),
        ],
    );
    assert_eq!(s.cert, cert_path);
    assert!(!data.join("tls").exists(), "no certificate is generated");
    let auth = format!("Bearer {}", s.token());
    let r = https(
        s.api_addr,
        &cert_path,
        "GET",
        "/platform_api/GetAccountInfo",
        &[("Authorization", &auth)],
        b"",
    );
    assert!(r.json()["result"]["account_id"].is_u64(), "{}", r.text());
}

#[test]
fn connections_are_kept_alive_between_requests() {
    let s = ServerProc::start();
    let auth = format!("Bearer {}", s.token());
    let one = format!(
        "GET /platform_api/GetAccountInfo HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\n\r\n"
    );
    let last = format!(
        "GET /platform_api/GetAccountInfo HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\nConnection: close\r\n\r\n"
    );
    // Two requests on one connection: both are answered.
    let r = raw(s.api_addr, format!("{one}{last}").as_bytes());
    assert_eq!(r.status, 200);
    let answered = String::from_utf8_lossy(&r.body)
        .matches("HTTP/1.1 200")
        .count()
        + 1;
    assert_eq!(answered, 2, "{}", r.text());
}
