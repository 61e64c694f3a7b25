//! The key-value methods and GetCallHistory's calls and records, through `dispatch`,
//! against a real SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;

use super::tests::{code, names, Api};
use crate::api::Role;
use crate::store::{CallRecord, HistoryStart, RecordRecord, SessionWritesForTests};

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn msg(v: &Value) -> String {
    v["error"]["msg"].as_str().unwrap_or("").to_string()
}

#[tokio::test]
async fn items_round_trip_by_application_id_and_name() {
    let api = Api::new();
    let app = api.app("store").await;
    let full = "store.acme.voximplant.com";
    let set = api
        .ok(
            "SetKeyValueItem",
            &[
                ("application_id", &app),
                ("key", "caller:+1555"),
                ("value", "gold"),
                ("ttl", "600"),
            ],
        )
        .await;
    assert_eq!(set["result"]["key"], "caller:+1555");
    assert_eq!(set["result"]["value"], "gold");
    let expires = set["result"]["expires_at"]
        .as_i64()
        .expect("expires_at is an integer");
    let got = api
        .ok(
            "GetKeyValueItem",
            &[("application_name", full), ("key", "caller:+1555")],
        )
        .await;
    assert_eq!(got["result"], set["result"]);
    // Another write replaces the value; an empty value is a value.
    api.ok(
        "SetKeyValueItem",
        &[
            ("application_name", "store"),
            ("key", "caller:+1555"),
            ("value", ""),
            ("expires_at", &(expires + 60).to_string()),
        ],
    )
    .await;
    let got = api
        .ok(
            "GetKeyValueItem",
            &[("application_id", &app), ("key", "caller:+1555")],
        )
        .await;
    assert_eq!(got["result"]["value"], "");
    assert_eq!(got["result"]["expires_at"], expires + 60);
    let del = api
        .ok(
            "DelKeyValueItem",
            &[("application_id", &app), ("key", "caller:+1555")],
        )
        .await;
    assert_eq!(del["result"], 1);
    let gone = api
        .ok(
            "GetKeyValueItem",
            &[("application_id", &app), ("key", "caller:+1555")],
        )
        .await;
    assert!(gone["result"].is_null(), "{gone}");
    let again = api
        .ok(
            "DelKeyValueItem",
            &[("application_id", &app), ("key", "caller:+1555")],
        )
        .await;
    assert_eq!(again["result"], 0);
}

#[tokio::test]
async fn the_default_ttl_is_30_days() {
    let api = Api::new();
    let app = api.app("ttl").await;
    let before = unix_now();
    let set = api
        .ok(
            "SetKeyValueItem",
            &[("application_id", &app), ("key", "k"), ("value", "v")],
        )
        .await;
    let after = unix_now();
    let at = set["result"]["expires_at"].as_i64().unwrap();
    let month = 30 * 86_400;
    assert!(before + month <= at && at <= after + month, "{at}");
}

#[tokio::test]
async fn listings_select_a_namespace_in_key_order_and_page() {
    let api = Api::new();
    let app = api.app("lists").await;
    let other = api.app("elsewhere").await;
    for k in ["ivr:2", "ivr", "ivr:1", "ivrx", "menu:1"] {
        api.ok(
            "SetKeyValueItem",
            &[("application_id", &app), ("key", k), ("value", k)],
        )
        .await;
    }
    api.ok(
        "SetKeyValueItem",
        &[("application_id", &other), ("key", "ivr:9"), ("value", "x")],
    )
    .await;
    let items = api
        .ok(
            "GetKeyValueItems",
            &[("application_id", &app), ("key", "ivr")],
        )
        .await;
    assert_eq!(names(&items["result"], "key"), ["ivr", "ivr:1", "ivr:2"]);
    assert_eq!(names(&items["result"], "value"), ["ivr", "ivr:1", "ivr:2"]);
    assert_eq!(items["total_count"], 3);
    let keys = api.ok("GetKeyValueKeys", &[("application_id", &app)]).await;
    assert_eq!(
        names(&keys["result"], "key"),
        ["ivr", "ivr:1", "ivr:2", "ivrx", "menu:1"]
    );
    assert!(keys["result"][0]["expires_at"].is_i64(), "{keys}");
    assert!(
        keys["result"][0].get("value").is_none(),
        "keys carry no values: {keys}"
    );
    let page = api
        .ok(
            "GetKeyValueKeys",
            &[
                ("application_id", &app),
                ("key", "ivr"),
                ("count", "2"),
                ("offset", "1"),
            ],
        )
        .await;
    assert_eq!(names(&page["result"], "key"), ["ivr:1", "ivr:2"]);
    assert_eq!(
        (page["count"].as_i64(), page["total_count"].as_i64()),
        (Some(2), Some(3))
    );
}

#[tokio::test]
async fn a_page_holds_at_most_50_and_10_by_default() {
    let api = Api::new();
    let app = api.app("many").await;
    for i in 0..55 {
        let key = format!("k:{i:02}");
        api.ok(
            "SetKeyValueItem",
            &[("application_id", &app), ("key", &key), ("value", "v")],
        )
        .await;
    }
    let all = api
        .ok(
            "GetKeyValueKeys",
            &[("application_id", &app), ("count", "1000")],
        )
        .await;
    assert_eq!(
        (all["count"].as_i64(), all["total_count"].as_i64()),
        (Some(50), Some(55))
    );
    let default = api
        .ok(
            "GetKeyValueItems",
            &[("application_id", &app), ("key", "k")],
        )
        .await;
    assert_eq!(default["count"], 10);
}

#[tokio::test]
async fn bad_input_gets_the_code_and_names_the_parameter() {
    let api = Api::new();
    let app = api.app("strict").await;
    let set = |extra: Vec<(&'static str, String)>| {
        let (api, app) = (&api, app.clone());
        async move {
            let mut params: Vec<(&str, String)> = vec![("application_id", app)];
            params.extend(extra);
            let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            api.call("SetKeyValueItem", &params).await
        }
    };
    let v = |s: &str| s.to_string();
    let cases = [
        (vec![("value", v("x"))], "'key'"),
        (vec![("key", v("k"))], "'value'"),
        (vec![("key", "k".repeat(201)), ("value", v("x"))], "'key'"),
        (vec![("key", v("a b")), ("value", v("x"))], "'key'"),
        (
            vec![("key", v("k")), ("value", "x".repeat(2001))],
            "'value'",
        ),
        (
            vec![("key", v("k")), ("value", v("x")), ("ttl", v("7776001"))],
            "'ttl'",
        ),
        (
            vec![("key", v("k")), ("value", v("x")), ("ttl", v("-1"))],
            "'ttl'",
        ),
        (
            vec![
                ("key", v("k")),
                ("value", v("x")),
                ("expires_at", v("1000")),
            ],
            "'expires_at'",
        ),
    ];
    for (params, named) in cases {
        let r = set(params.clone()).await;
        assert_eq!(code(&r), 101, "{params:?}: {r}");
        assert!(msg(&r).contains(named), "{params:?}: {r}");
    }
    let both = set(vec![
        ("key", v("k")),
        ("value", v("x")),
        ("ttl", v("5")),
        ("expires_at", v("9999999999")),
    ])
    .await;
    assert_eq!(code(&both), 458, "{both}");
    let no_app = api.call("GetKeyValueItem", &[("key", "k")]).await;
    assert_eq!(code(&no_app), 101, "{no_app}");
    assert!(msg(&no_app).contains("'application_id'"), "{no_app}");
    let r = api
        .call(
            "GetKeyValueItem",
            &[("application_id", "999"), ("key", "k")],
        )
        .await;
    assert_eq!(code(&r), 116, "{r}");
    let r = api
        .call("GetKeyValueKeys", &[("application_name", "nope")])
        .await;
    assert_eq!(code(&r), 558, "{r}");
    let r = api
        .call("GetKeyValueItems", &[("application_id", &app)])
        .await;
    assert!(code(&r) == 101 && msg(&r).contains("'key'"), "{r}");
    let long = "p".repeat(201);
    let r = api
        .call(
            "GetKeyValueKeys",
            &[("application_id", &app), ("key", &long)],
        )
        .await;
    assert!(code(&r) == 101 && msg(&r).contains("'key'"), "{r}");
    // Nothing was stored by the refused calls.
    let keys = api.ok("GetKeyValueKeys", &[("application_id", &app)]).await;
    assert_eq!(keys["total_count"], 0);
}

#[tokio::test]
async fn support_keys_read_but_do_not_write() {
    let api = Api::new();
    let app = api.app("roles").await;
    api.ok(
        "SetKeyValueItem",
        &[("application_id", &app), ("key", "k"), ("value", "v")],
    )
    .await;
    let get = api
        .call_as(
            Role::Support,
            "GetKeyValueItem",
            &[("application_id", &app), ("key", "k")],
        )
        .await;
    assert_eq!(get["result"]["value"], "v", "{get}");
    for m in ["SetKeyValueItem", "DelKeyValueItem"] {
        assert!(!Role::Support.may_call(m), "{m}");
        assert!(Role::Developer.may_call(m), "{m}");
    }
}

fn start(api: &Api) -> u64 {
    api.store()
        .create_history(&HistoryStart {
            account_id: api.account_id,
            application_id: 1,
            application_name: "calls.acme.voximplant.com".into(),
            rule_id: 1,
            rule_name: "inbound".into(),
            user_id: None,
            custom_data: String::new(),
            conference_name: None,
            log_secret: "s".into(),
        })
        .unwrap()
}

#[tokio::test]
async fn call_history_shows_saved_calls_and_records_when_asked() {
    let api = Api::new();
    let with = start(&api);
    let without = start(&api);
    let call = CallRecord {
        call_id: "call-1".into(),
        start_time: 1_700_000_000,
        duration: 42,
        local_number: "+18005550100".into(),
        remote_number: "+15551234567".into(),
        incoming: true,
        successful: true,
        record_url: Some("https://rec.test/1.mp3".into()),
    };
    let rec = RecordRecord {
        record_id: None,
        record_name: Some("greeting".into()),
        record_url: "https://rec.test/1.mp3".into(),
        start_time: 1_700_000_005,
        duration: 30,
        call_id: "call-1".into(),
    };
    api.store()
        .save_session_calls(with, "[]", std::slice::from_ref(&call), &[rec])
        .unwrap();
    let ids = format!("{with};{without}");
    let h = api
        .ok(
            "GetCallHistory",
            &[
                ("call_session_history_id", &ids),
                ("with_calls", "true"),
                ("with_records", "true"),
            ],
        )
        .await;
    let rows = h["result"].as_array().unwrap();
    let row = |id: u64| {
        rows.iter()
            .find(|r| r["call_session_history_id"] == id)
            .unwrap()
    };
    let c = &row(with)["calls"][0];
    assert_eq!(c["call_id"], "call-1");
    assert_eq!(c["start_time"], "2023-11-14 22:13:20");
    assert_eq!(c["duration"], 42);
    assert_eq!(c["local_number"], "+18005550100");
    assert_eq!(c["remote_number"], "+15551234567");
    assert_eq!(
        (c["incoming"].as_bool(), c["successful"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(c["record_url"], "https://rec.test/1.mp3");
    let r = &row(with)["records"][0];
    assert!(r["record_id"].as_u64().is_some_and(|id| id > 0), "{r}");
    assert_eq!(r["record_name"], "greeting");
    assert_eq!(r["start_time"], "2023-11-14 22:13:25");
    assert_eq!(r["duration"], 30);
    assert_eq!(row(without)["calls"], serde_json::json!([]));
    assert_eq!(row(without)["records"], serde_json::json!([]));
    // Not asked for: empty arrays.
    let plain = api
        .ok(
            "GetCallHistory",
            &[("call_session_history_id", &with.to_string())],
        )
        .await;
    assert_eq!(plain["result"][0]["calls"], serde_json::json!([]));
    assert_eq!(plain["result"][0]["records"], serde_json::json!([]));
    let calls_only = api
        .ok(
            "GetCallHistory",
            &[
                ("call_session_history_id", &with.to_string()),
                ("with_calls", "1"),
            ],
        )
        .await;
    assert_eq!(
        calls_only["result"][0]["calls"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(calls_only["result"][0]["records"], serde_json::json!([]));
}
