//! The methods through `dispatch`, against a real SQLite file: the shared fixture, and the
//! application and account methods. Rules: `rules_tests.rs`; scenarios: `scenarios_tests.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use serde_json::Value;

use super::{dispatch, store_error, METHODS};
use crate::api::{ApiState, Caller, Ctx, Params, Role};
use crate::store::{Conflict, Missing, SqliteStore, StoreError, StoreHandle};

/// An API over a fresh store in a temp dir, called as the account's Owner.
pub(super) struct Api {
    _dir: tempfile::TempDir,
    state: ApiState,
    pub(super) account_id: u64,
}

impl Api {
    pub(super) fn new() -> Api {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("voxrun.db")).unwrap();
        let store = StoreHandle::new(Arc::new(store));
        let account = store
            .blocking()
            .init_account("acme", "ops@acme.test", "legacy-key")
            .unwrap();
        let account_id = account.id;
        let state = ApiState::new(store, account, "127.0.0.1:8080".into());
        Api {
            _dir: dir,
            state,
            account_id,
        }
    }

    /// The store under the API, for setting up what no method creates (history rows).
    pub(super) fn store(&self) -> &dyn crate::store::Store {
        self.state.store.blocking()
    }

    pub(super) async fn call_as(&self, role: Role, method: &str, params: &[(&str, &str)]) -> Value {
        let caller = Caller {
            account_id: self.account_id,
            role,
        };
        let ctx = Ctx {
            state: &self.state,
            caller: &caller,
        };
        let p = Params::from_pairs(params.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        match dispatch(&ctx, method, &p).await {
            Ok(v) => v,
            Err(e) => e.to_json(),
        }
    }

    pub(super) async fn call(&self, method: &str, params: &[(&str, &str)]) -> Value {
        self.call_as(Role::Owner, method, params).await
    }

    /// A call that must succeed.
    pub(super) async fn ok(&self, method: &str, params: &[(&str, &str)]) -> Value {
        let v = self.call(method, params).await;
        assert!(v.get("error").is_none(), "{method} {params:?} failed: {v}");
        v
    }

    pub(super) async fn app(&self, name: &str) -> String {
        let v = self
            .ok("AddApplication", &[("application_name", name)])
            .await;
        v["application_id"].to_string()
    }

    pub(super) async fn scenario(&self, name: &str, extra: &[(&str, &str)]) -> String {
        let mut params = vec![("scenario_name", name), ("scenario_script", "// js")];
        params.extend_from_slice(extra);
        self.ok("AddScenario", &params).await["scenario_id"].to_string()
    }

    pub(super) async fn rule(&self, app_id: &str, name: &str, extra: &[(&str, &str)]) -> String {
        let mut params = vec![
            ("application_id", app_id),
            ("rule_name", name),
            ("rule_pattern", ".*"),
        ];
        params.extend_from_slice(extra);
        self.ok("AddRule", &params).await["rule_id"].to_string()
    }

    /// Names of the scenarios bound to a rule, in binding order.
    pub(super) async fn bound(&self, app_id: &str, rule_id: &str) -> Vec<String> {
        let v = self
            .ok(
                "GetRules",
                &[
                    ("application_id", app_id),
                    ("rule_id", rule_id),
                    ("with_scenarios", "true"),
                ],
            )
            .await;
        names(&v["result"][0]["scenarios"], "scenario_name")
    }
}

pub(super) fn code(v: &Value) -> i64 {
    v["error"]["code"].as_i64().unwrap_or(0)
}

/// The `field` of every item of a JSON array.
pub(super) fn names(items: &Value, field: &str) -> Vec<String> {
    items
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| i[field].as_str().unwrap_or("?").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn every_listed_method_is_dispatched_and_others_are_unknown() {
    let api = Api::new();
    for m in METHODS {
        assert_ne!(code(&api.call(m, &[]).await), 103, "{m}");
    }
    assert_eq!(code(&api.call("StartSomething", &[]).await), 103);
    assert_eq!(code(&api.call("getaccountinfo", &[]).await), 103);
}

#[tokio::test]
async fn account_info_shows_the_api_key_to_owners_only() {
    let api = Api::new();
    let v = api.ok("GetAccountInfo", &[]).await;
    assert_eq!(v["result"]["account_id"], api.account_id);
    assert_eq!(v["result"]["account_name"], "acme");
    assert_eq!(v["result"]["account_email"], "ops@acme.test");
    assert_eq!(v["result"]["active"], true);
    assert_eq!(v["result"]["api_key"], "legacy-key");
    assert_eq!(v["api_address"], "127.0.0.1:8080");
    for role in [Role::Developer, Role::Support] {
        let v = api.call_as(role, "GetAccountInfo", &[]).await;
        assert_eq!(v["result"]["account_id"], api.account_id);
        assert!(v["result"].get("api_key").is_none(), "{role:?}");
    }
}

#[tokio::test]
async fn add_application_answers_the_full_name_and_refuses_bad_or_taken_names() {
    let api = Api::new();
    let v = api
        .ok(
            "AddApplication",
            &[
                ("application_name", "support"),
                ("secure_record_storage", "True"),
            ],
        )
        .await;
    assert_eq!(v["result"], 1);
    assert!(v["application_id"].as_u64().unwrap() > 0);
    assert_eq!(v["application_name"], "support.acme.voximplant.com");
    assert_eq!(v["secure_record_storage"], true);

    let full = api
        .ok(
            "AddApplication",
            &[("application_name", "sales.acme.voximplant.com")],
        )
        .await;
    assert_eq!(full["application_name"], "sales.acme.voximplant.com");
    assert_eq!(full["secure_record_storage"], false);

    let dup = api
        .call(
            "AddApplication",
            &[("application_name", "support.acme.voximplant.com")],
        )
        .await;
    assert_eq!(code(&dup), 129);
    for bad in [
        "x",
        "Upper",
        "9lives",
        "a_b",
        "sales.other.voximplant.com",
        "héllo",
    ] {
        let v = api
            .call("AddApplication", &[("application_name", bad)])
            .await;
        assert_eq!(code(&v), 107, "{bad}");
    }
    assert_eq!(code(&api.call("AddApplication", &[]).await), 101);
}

#[tokio::test]
async fn get_applications_filters_pages_and_nests_rules_and_scenarios() {
    let api = Api::new();
    for i in 0..22 {
        api.app(&format!("app{i:02}")).await;
    }
    let first = api.ok("GetApplications", &[]).await;
    assert_eq!(first["total_count"], 22);
    assert_eq!(first["count"], 20, "count defaults to 20");
    let item = &first["result"][0];
    assert_eq!(item["application_name"], "app00.acme.voximplant.com");
    assert!(item["application_id"].is_u64());
    assert_eq!(item["secure_record_storage"], false);
    assert_eq!(item["modified"].as_str().unwrap().len(), 19);
    assert!(item.get("rules").is_none());

    let paged = api
        .ok("GetApplications", &[("count", "5"), ("offset", "20")])
        .await;
    assert_eq!(paged["total_count"], 22);
    assert_eq!(
        names(&paged["result"], "application_name"),
        vec!["app20.acme.voximplant.com", "app21.acme.voximplant.com"]
    );
    let by_name = api
        .ok("GetApplications", &[("application_name", "app1")])
        .await;
    assert_eq!(by_name["total_count"], 10);
    let by_full = api
        .ok(
            "GetApplications",
            &[("application_name", "app07.acme.voximplant.com")],
        )
        .await;
    assert_eq!(by_full["total_count"], 1);

    let app = api.app("nested").await;
    let a = api.scenario("a", &[]).await;
    let b = api.scenario("b", &[]).await;
    let ids = format!("{b};{a}");
    api.rule(&app, "r1", &[("scenario_id", &ids)]).await;
    let v = api
        .ok(
            "GetApplications",
            &[
                ("application_id", &app),
                ("with_rules", "1"),
                ("with_scenarios", "true"),
            ],
        )
        .await;
    let rules = &v["result"][0]["rules"];
    assert_eq!(names(rules, "rule_name"), vec!["r1"]);
    assert_eq!(
        names(&rules[0]["scenarios"], "scenario_name"),
        vec!["b", "a"]
    );
    let v = api
        .ok(
            "GetApplications",
            &[("application_id", &app), ("with_rules", "1")],
        )
        .await;
    assert!(v["result"][0]["rules"][0].get("scenarios").is_none());
    assert_eq!(
        code(&api.call("GetApplications", &[("count", "x")]).await),
        101
    );
}

#[tokio::test]
async fn set_application_info_renames_and_checks_what_it_is_given() {
    let api = Api::new();
    let id = api.app("old").await;
    api.app("taken").await;
    api.ok(
        "SetApplicationInfo",
        &[("application_id", &id), ("application_name", "new")],
    )
    .await;
    let v = api.ok("GetApplications", &[("application_id", &id)]).await;
    assert_eq!(
        v["result"][0]["application_name"],
        "new.acme.voximplant.com"
    );
    // By the full name, with a matching id too.
    api.ok(
        "SetApplicationInfo",
        &[
            ("application_id", &id),
            ("required_application_name", "new.acme.voximplant.com"),
            ("secure_record_storage", "true"),
        ],
    )
    .await;
    let v = api.ok("GetApplications", &[("application_id", &id)]).await;
    assert_eq!(v["result"][0]["secure_record_storage"], true);

    let set = |params: Vec<(&'static str, String)>| {
        let api = &api;
        async move {
            let p: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            code(&api.call("SetApplicationInfo", &p).await)
        }
    };
    assert_eq!(
        set(vec![
            ("application_id", id.clone()),
            ("application_name", "taken".into())
        ])
        .await,
        129
    );
    assert_eq!(
        set(vec![
            ("application_id", id.clone()),
            ("application_name", "Bad!".into())
        ])
        .await,
        107
    );
    assert_eq!(set(vec![("application_id", "99999".into())]).await, 116);
    assert_eq!(
        set(vec![("required_application_name", "ghost".into())]).await,
        558
    );
    assert_eq!(
        set(vec![
            ("application_id", id.clone()),
            ("required_application_name", "taken".into())
        ])
        .await,
        458
    );
    assert_eq!(set(vec![]).await, 101);
}

#[tokio::test]
async fn del_application_deletes_its_rules_and_leaves_its_scenarios_shared() {
    let api = Api::new();
    let app = api.app("doomed").await;
    let own = api.scenario("own", &[("application_id", &app)]).await;
    let rule = api.rule(&app, "r", &[("scenario_id", &own)]).await;
    assert_eq!(
        code(
            &api.call("DelApplication", &[("application_id", "424242")])
                .await
        ),
        116
    );
    assert_eq!(
        code(
            &api.call("DelApplication", &[("application_name", "ghost")])
                .await
        ),
        558
    );
    assert_eq!(code(&api.call("DelApplication", &[]).await), 101);
    api.ok("DelApplication", &[("application_id", &app)]).await;
    let apps = api.ok("GetApplications", &[]).await;
    assert_eq!(apps["total_count"], 0);
    // The rule is gone: binding to it fails; the scenario lives on, shared.
    let v = api
        .call("BindScenario", &[("rule_id", &rule), ("scenario_id", &own)])
        .await;
    assert_eq!(code(&v), 147);
    let other = api.app("other").await;
    api.rule(&other, "r2", &[("scenario_id", &own)]).await;

    // By full names, and `all`.
    api.app("x1").await;
    api.ok(
        "DelApplication",
        &[("application_name", "x1.acme.voximplant.com;other")],
    )
    .await;
    api.app("y1").await;
    api.app("y2").await;
    api.ok("DelApplication", &[("application_id", "all")]).await;
    assert_eq!(api.ok("GetApplications", &[]).await["total_count"], 0);
    let s = api.ok("GetScenarios", &[]).await;
    assert_eq!(names(&s["result"], "scenario_name"), vec!["own"]);
}

#[test]
fn store_failures_map_to_the_codes_of_spec_section_9() {
    let internal = store_error(StoreError::Backend("disk I/O error at /data".into()));
    assert_eq!(internal.code(), 2);
    assert_eq!(internal.to_json()["error"]["msg"], "Internal error");
    let cases = [
        (StoreError::NotFound(Missing::ApplicationId), 116),
        (StoreError::NotFound(Missing::ApplicationName), 558),
        (StoreError::NotFound(Missing::RuleName), 147),
        (StoreError::NotFound(Missing::ScenarioName), 168),
        (StoreError::NotFound(Missing::History), 150),
        (
            StoreError::Conflict(Conflict::ScenarioOfOtherApplication),
            132,
        ),
        (StoreError::Conflict(Conflict::NotTheBoundSet), 101),
    ];
    for (e, code) in cases {
        assert_eq!(store_error(e.clone()).code(), code, "{e:?}");
    }
}
