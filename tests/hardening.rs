//! Listener limits (docs/isolation.md) and JWT `crit` refusal, against a real server process over raw
//! TCP on 127.0.0.1: 431 for an oversized request head or too many header fields, 414 for an
//! overlong URI, and requests just inside the limits still reaching the API.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{form, http, now, raw, Reply, ServerProc};
use serde_json::{json, Value};

/// A GET with exactly `fields` header fields in all (Host and Connection included).
fn get_with_fields(s: &ServerProc, path: &str, fields: usize, value_len: usize) -> Reply {
    assert!(fields >= 2);
    let mut req = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        s.api_addr
    );
    let value = "v".repeat(value_len);
    for i in 0..fields - 2 {
        req.push_str(&format!("X-Pad-{i}: {value}\r\n"));
    }
    req.push_str("\r\n");
    raw(s.api_addr, req.as_bytes())
}

fn is_api_json(r: &Reply) -> Value {
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        r.header("content-type")
            .unwrap_or_default()
            .starts_with("application/json"),
        "{:?}",
        r.headers
    );
    r.json()
}

#[test]
fn oversized_header_block_gets_431() {
    let s = ServerProc::start();
    // One 70 KiB header field.
    let big = "a".repeat(70 * 1024);
    let r = http(
        s.api_addr,
        "GET",
        "/platform_api/GetAccountInfo",
        &[("X-Big", &big)],
        b"",
    );
    assert_eq!(r.status, 431, "{}", r.text());
    // The same total spread over many small fields (fewer than the field cap).
    let r = get_with_fields(&s, "/platform_api/GetAccountInfo", 90, 800);
    assert_eq!(r.status, 431, "{}", r.text());
    // The server keeps serving.
    let v = is_api_json(&get_with_fields(&s, "/platform_api/GetAccountInfo", 3, 10));
    assert_eq!(v["error"]["code"], 100, "{v}");
}

#[test]
fn too_many_header_fields_get_431() {
    let s = ServerProc::start();
    let r = get_with_fields(&s, "/platform_api/GetAccountInfo", 101, 4);
    assert_eq!(r.status, 431, "{}", r.text());
}

#[test]
fn many_small_headers_within_the_limits_work() {
    let s = ServerProc::start();
    // 99 fields.
    let v = is_api_json(&get_with_fields(&s, "/platform_api/GetAccountInfo", 99, 16));
    assert_eq!(v["error"]["code"], 100, "{v}");
    // Exactly 100 fields, and with a real token the call succeeds.
    let mut req = format!(
        "POST /platform_api/GetAccountInfo HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\
         Authorization: Bearer {}\r\nContent-Length: 0\r\n",
        s.api_addr,
        s.token()
    );
    for i in 0..96 {
        req.push_str(&format!("X-Pad-{i}: small\r\n"));
    }
    req.push_str("\r\n");
    let v = is_api_json(&raw(s.api_addr, req.as_bytes()));
    assert!(v["result"]["account_id"].is_u64(), "{v}");
}

#[test]
fn overlong_uri_gets_414_and_a_long_one_still_works() {
    let s = ServerProc::start();
    let path = |len: usize| {
        let base = "/platform_api/GetAccountInfo?pad=";
        format!("{base}{}", "x".repeat(len - base.len()))
    };
    let r = http(s.api_addr, "GET", &path(9 * 1024), &[], b"");
    assert_eq!(r.status, 414, "{}", r.text());
    // Just past the limit.
    let r = http(s.api_addr, "GET", &path(8 * 1024 + 1), &[], b"");
    assert_eq!(r.status, 414, "{}", r.text());
    // ~7 KiB reaches the API (no credentials: a JSON API error, not an HTTP one).
    let v = is_api_json(&http(s.api_addr, "GET", &path(7 * 1024), &[], b""));
    assert_eq!(v["error"]["code"], 100, "{v}");
    // Exactly at the limit, with credentials in the query: the call succeeds.
    let key = s.api_key();
    let kf = s.key_file();
    let query = form(&[
        ("account_id", &kf["account_id"].to_string()),
        ("api_key", &key),
    ]);
    let base = format!("/platform_api/GetAccountInfo?{query}&pad=");
    let at_limit = format!("{base}{}", "x".repeat(8 * 1024 - base.len()));
    assert_eq!(at_limit.len(), 8 * 1024);
    let v = is_api_json(&http(s.api_addr, "GET", &at_limit, &[], b""));
    assert!(v["result"]["account_id"].is_u64(), "{v}");
}

#[test]
fn jwt_with_crit_header_is_refused() {
    use base64::Engine;
    let s = ServerProc::start();
    let kf = s.key_file();
    let t = now();
    let claims = json!({"iss": kf["account_id"], "iat": t, "exp": t + 60});
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let key =
        jsonwebtoken::EncodingKey::from_rsa_pem(kf["private_key"].as_str().unwrap().as_bytes())
            .unwrap();
    // Correctly signed with the account's own key; only the header differs.
    let sign = |header: Value| {
        let message = format!("{}.{}", b64(&header), b64(&claims));
        let sig =
            jsonwebtoken::crypto::sign(message.as_bytes(), &key, jsonwebtoken::Algorithm::RS256)
                .unwrap();
        format!("{message}.{sig}")
    };
    let call = |token: &str| {
        let auth = format!("Bearer {token}");
        is_api_json(&http(
            s.api_addr,
            "POST",
            "/platform_api/GetAccountInfo",
            &[("Authorization", &auth)],
            b"",
        ))
    };
    let plain = sign(json!({"alg": "RS256", "typ": "JWT", "kid": kf["key_id"]}));
    assert!(call(&plain)["result"]["account_id"].is_u64());
    for crit in [json!(["exp"]), json!(["b64"]), json!([])] {
        let token = sign(json!({"alg": "RS256", "typ": "JWT", "kid": kf["key_id"], "crit": crit}));
        let v = call(&token);
        assert!(v.get("result").is_none(), "{v}");
        assert_eq!(v["error"]["code"], 100, "crit {crit}: {v}");
    }
}
